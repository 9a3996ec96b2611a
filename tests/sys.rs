//! The raw layer (`zmq4::sys`) against the linked libzmq: version, capabilities, REQ/REP round
//! trips over tcp and ipc, CURVE key generation and the `zmq_msg_t` layout. Every wait is
//! bounded by ZMQ_RCVTIMEO / ZMQ_SNDTIMEO.
//!
//! Expectations that depend on how libzmq was built follow the crate's features: `draft`
//! (ZMQ_BUILD_DRAFT_API, and ws:// which libzmq only builds with drafts), `curve` and `wss`.
//! `ci/feature-builds.sh` also runs this file against the `system` and `cmake-build` variants.

use std::mem::{align_of, size_of};
use std::os::raw::c_char;
use std::ptr;
#[cfg(not(all(windows, target_env = "gnu")))] // req_rep_over_ipc only
use std::sync::atomic::{AtomicUsize, Ordering};

use zmq4::sys;

mod common;

use common::raw::{has, last_error, Ctx};

/// One REQ/REP exchange through `endpoint` (bound by REP, connected to by REQ); returns the
/// endpoint the REP socket resolved it to.
fn req_rep(endpoint: &str) -> String {
    let ctx = Ctx::new();
    let rep = ctx.socket(sys::ZMQ_REP);
    rep.bind(endpoint);
    let resolved = rep.last_endpoint();
    let req = ctx.socket(sys::ZMQ_REQ);
    req.connect(&resolved);
    req.send(b"ping");
    assert_eq!(rep.recv(), b"ping");
    rep.send(b"pong");
    assert_eq!(req.recv(), b"pong");
    resolved
}

#[test]
fn version_is_4_3_5() {
    let (mut major, mut minor, mut patch) = (-1, -1, -1);
    // SAFETY: zmq_version writes three ints through valid pointers.
    unsafe { sys::zmq_version(&mut major, &mut minor, &mut patch) };
    assert_eq!(sys::ZMQ_VERSION, 40305);
    if !sys::BUNDLED {
        // A system libzmq: the oldest the build script accepts is 4.3.4 (4.3.5 with draft).
        let oldest = if cfg!(feature = "draft") { 5 } else { 4 };
        assert!(
            (major, minor) == (4, 3) && patch >= oldest,
            "{major}.{minor}.{patch}"
        );
        return;
    }
    assert_eq!((major, minor, patch), (4, 3, 5));
    assert_eq!(major * 10000 + minor * 100 + patch, sys::ZMQ_VERSION);
}

#[test]
fn capabilities_follow_features() {
    let report: Vec<String> = [
        "ipc", "tipc", "pgm", "norm", "vmci", "gssapi", "curve", "draft", "WS", "WSS",
    ]
    .iter()
    .map(|c| format!("{c}={}", has(c)))
    .collect();
    println!("zmq_has: {}", report.join(" "));

    // MinGW: libzmq cannot build ipc:// there (ipc_address.hpp needs <sys/socket.h>).
    let ipc_expected = !cfg!(all(windows, target_env = "gnu"));
    assert_eq!(has("ipc"), ipc_expected, "ipc:// (ZMQ_HAVE_IPC)");
    if !sys::BUNDLED {
        // A system library has the capabilities its packager chose (Debian's: pgm, norm,
        // gssapi, curve); only what the features require is checked.
        if cfg!(feature = "draft") {
            assert!(
                has("draft"),
                "feature `draft` with a system libzmq without drafts"
            );
        }
        return;
    }
    assert_eq!(
        has("curve"),
        cfg!(feature = "curve"),
        "zmq_has(\"curve\") vs feature `curve`"
    );
    assert_eq!(
        has("draft"),
        cfg!(feature = "draft"),
        "zmq_has(\"draft\") vs feature `draft`"
    );
    // libzmq builds ws:// only together with the DRAFT API.
    assert_eq!(
        has("WS"),
        cfg!(feature = "draft"),
        "zmq_has(\"WS\") vs feature `draft`"
    );
    assert_eq!(
        has("WSS"),
        cfg!(feature = "wss"),
        "zmq_has(\"WSS\") vs feature `wss`"
    );
    // Transports and mechanisms this crate never builds.
    for absent in ["pgm", "norm", "vmci", "gssapi", "no-such-capability", ""] {
        assert!(!has(absent), "zmq_has({absent:?}) should be false");
    }
}

#[cfg(all(feature = "draft", feature = "curve"))]
#[test]
fn default_features_have_curve_draft_ws() {
    for c in ["curve", "draft", "WS"] {
        assert!(has(c), "zmq_has({c:?}) is false with default features");
    }
}

#[cfg(not(any(feature = "draft", feature = "curve")))]
#[test]
fn no_default_features_lack_curve_draft() {
    for c in ["curve", "draft", "WS"] {
        assert!(
            !has(c),
            "zmq_has({c:?}) is true without the draft/curve features"
        );
    }
    assert!(has("ipc"));
}

#[test]
fn req_rep_over_tcp_loopback() {
    let resolved = req_rep("tcp://127.0.0.1:*");
    let port = resolved
        .strip_prefix("tcp://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected ZMQ_LAST_ENDPOINT {resolved:?}"));
    let port: u16 = port.parse().unwrap();
    assert_ne!(port, 0);
}

#[test]
fn req_rep_over_tcp_port_zero() {
    // Port 0 is the OS's choice too; ZMQ_LAST_ENDPOINT reports the real port.
    let resolved = req_rep("tcp://127.0.0.1:0");
    assert!(resolved.starts_with("tcp://127.0.0.1:"), "{resolved}");
    assert!(!resolved.ends_with(":0"), "{resolved}");
}

// MinGW builds have no ipc:// (tests/windows.rs checks the typed error instead).
#[cfg(not(all(windows, target_env = "gnu")))]
#[test]
fn req_rep_over_ipc() {
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "zmq4-sys-{}-{}.ipc",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_file(&path);
    let endpoint = format!("ipc://{}", path.display());
    let resolved = req_rep(&endpoint);
    assert_eq!(resolved, endpoint);
    // The context is gone: libzmq unlinks the socket file when the listener closes.
    let _ = std::fs::remove_file(&path);
}

#[test]
fn msg_t_layout() {
    assert_eq!(size_of::<sys::zmq_msg_t>(), 64);
    // zmq.h: `unsigned char _[64] __attribute__ ((aligned (sizeof (void *))))`.
    assert_eq!(align_of::<sys::zmq_msg_t>(), size_of::<*const u8>());
    // A zmq_msg_t on the Rust stack works with the C functions.
    let mut msg = sys::zmq_msg_t { __: [0; 64] };
    // SAFETY: msg is a writable zmq_msg_t; it is initialised by zmq_msg_init_size before use
    // and closed once.
    unsafe {
        assert_eq!(sys::zmq_msg_init_size(&mut msg, 5), 0, "{}", last_error());
        assert_eq!(sys::zmq_msg_size(&msg), 5);
        ptr::copy_nonoverlapping(
            b"hello".as_ptr(),
            sys::zmq_msg_data(&mut msg).cast::<u8>(),
            5,
        );
        let data = std::slice::from_raw_parts(sys::zmq_msg_data(&mut msg).cast::<u8>(), 5);
        assert_eq!(data, b"hello");
        assert_eq!(sys::zmq_msg_close(&mut msg), 0);
    }
}

#[cfg(feature = "curve")]
#[test]
fn curve_keypair_is_two_z85_keys() {
    const Z85: &[u8] =
        b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
    let mut public = [0 as c_char; 41];
    let mut secret = [0 as c_char; 41];
    // SAFETY: both buffers hold 41 bytes, the 40 Z85 characters plus NUL zmq_curve_keypair writes.
    let rc = unsafe { sys::zmq_curve_keypair(public.as_mut_ptr(), secret.as_mut_ptr()) };
    assert_eq!(rc, 0, "zmq_curve_keypair: {}", last_error());
    // SAFETY: zmq_curve_keypair NUL-terminated both buffers.
    let (public_s, secret_s) = unsafe {
        (
            std::ffi::CStr::from_ptr(public.as_ptr())
                .to_bytes()
                .to_vec(),
            std::ffi::CStr::from_ptr(secret.as_ptr())
                .to_bytes()
                .to_vec(),
        )
    };
    for key in [&public_s, &secret_s] {
        assert_eq!(key.len(), 40, "{:?}", String::from_utf8_lossy(key));
        assert!(
            key.iter().all(|b| Z85.contains(b)),
            "not Z85: {:?}",
            String::from_utf8_lossy(key)
        );
    }
    assert_ne!(public_s, secret_s);

    // The public key derives from the secret one.
    let mut derived = [0 as c_char; 41];
    // SAFETY: derived holds 41 bytes; secret is the NUL-terminated Z85 key written above.
    let rc = unsafe { sys::zmq_curve_public(derived.as_mut_ptr(), secret.as_ptr()) };
    assert_eq!(rc, 0, "zmq_curve_public: {}", last_error());
    // SAFETY: zmq_curve_public NUL-terminated the buffer.
    let derived = unsafe { std::ffi::CStr::from_ptr(derived.as_ptr()) }
        .to_bytes()
        .to_vec();
    assert_eq!(derived, public_s);
}

#[cfg(not(feature = "curve"))]
#[test]
fn curve_keypair_is_not_supported_without_curve() {
    let mut public = [0 as c_char; 41];
    let mut secret = [0 as c_char; 41];
    // SAFETY: both buffers hold 41 bytes.
    let rc = unsafe { sys::zmq_curve_keypair(public.as_mut_ptr(), secret.as_mut_ptr()) };
    assert_eq!(rc, -1);
    // SAFETY: zmq_errno has no preconditions.
    assert_eq!(unsafe { sys::zmq_errno() }, libc::ENOTSUP);
}
