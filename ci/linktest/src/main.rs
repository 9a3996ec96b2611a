//! Calls the C code build.rs compiled against zmq4's libzmq (from DEP_ZMQ_* only) and checks
//! that the C side and zmq4 share the one libzmq in this program. Prints what it found; the
//! `DEP_ZMQ_*=` lines are read by ci/linktest.sh for its pkg-config check.

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::mem::size_of;
use std::process::ExitCode;
use std::ptr;

use zmq4::sys;

extern "C" {
    fn linktest_run(buf: *mut c_char, len: usize) -> c_int;
    fn linktest_send_in(ctx: *mut c_void, endpoint: *const c_char, text: *const c_char) -> c_int;
    fn linktest_zmq_version_address() -> *mut c_void;
    fn linktest_echo_once(socket: *mut c_void, err: *mut c_int) -> *mut c_void;
}

fn last_error() -> String {
    // SAFETY: zmq_errno has no preconditions; zmq_strerror returns a static C string.
    unsafe { CStr::from_ptr(sys::zmq_strerror(sys::zmq_errno())) }
        .to_string_lossy()
        .into_owned()
}

/// A message sent by the C code on a socket it made in a context zmq4 made, received by zmq4.
fn shared_context_round_trip() -> Result<(), String> {
    let endpoint = CString::new("inproc://linktest-shared").unwrap();
    let text = CString::new("from C").unwrap();
    // SAFETY: a fresh context and socket are used only here and closed/terminated before
    // returning; option values point to ints of the passed size; the C function gets the live
    // context and NUL-terminated strings that outlive the call; buf has buf.len() bytes.
    unsafe {
        let ctx = sys::zmq_ctx_new();
        if ctx.is_null() {
            return Err(format!("zmq_ctx_new: {}", last_error()));
        }
        let s = sys::zmq_socket(ctx, sys::ZMQ_PAIR);
        let timeout: c_int = 5000;
        let linger: c_int = 0;
        let mut result = Ok(());
        if s.is_null()
            || sys::zmq_setsockopt(
                s,
                sys::ZMQ_LINGER,
                ptr::from_ref(&linger).cast(),
                size_of::<c_int>(),
            ) != 0
            || sys::zmq_setsockopt(
                s,
                sys::ZMQ_RCVTIMEO,
                ptr::from_ref(&timeout).cast(),
                size_of::<c_int>(),
            ) != 0
            || sys::zmq_bind(s, endpoint.as_ptr()) != 0
        {
            result = Err(format!("zmq4 side: {}", last_error()));
        } else {
            let rc = linktest_send_in(ctx, endpoint.as_ptr(), text.as_ptr());
            if rc != 0 {
                result = Err(format!("linktest_send_in: errno {rc}"));
            } else {
                let mut buf = [0u8; 64];
                let n = sys::zmq_recv(s, buf.as_mut_ptr().cast(), buf.len(), 0);
                if n < 0 {
                    result = Err(format!("zmq_recv (5 s bound): {}", last_error()));
                } else if &buf[..n as usize] != b"from C" {
                    result = Err(format!(
                        "received {:?}",
                        String::from_utf8_lossy(&buf[..n as usize])
                    ));
                }
            }
        }
        if !s.is_null() {
            sys::zmq_close(s);
        }
        sys::zmq_ctx_term(ctx);
        result
    }
}

/// A zmq4 socket handed to a C function (`into_raw`), used there, and taken back
/// (`from_raw`): the round trip a C library that works on `void *` sockets needs.
fn socket_through_c() -> Result<(), String> {
    use zmq4::{Context, RecvFlags, SendFlags, Socket, SocketType};
    let e = |e: zmq4::Error| e.to_string();
    let ctx = Context::new();
    let client = ctx.socket(SocketType::Pair).map_err(e)?;
    client.set_linger(0).map_err(e)?;
    client.set_rcvtimeo(5000).map_err(e)?;
    client.bind("inproc://linktest-through-c").map_err(e)?;
    let echo = ctx.socket(SocketType::Pair).map_err(e)?;
    echo.set_linger(0).map_err(e)?;
    echo.connect("inproc://linktest-through-c").map_err(e)?;
    client.send("through C", SendFlags::empty()).map_err(e)?;

    let (raw, ctx_handle) = echo.into_raw();
    let mut err: c_int = 0;
    // SAFETY: `raw` is a live socket that nothing else uses while C has it; err is writable.
    let back = unsafe { linktest_echo_once(raw, &mut err) };
    if back.is_null() {
        // SAFETY: C gave up on it; it is ours again, and adopting it closes it on drop.
        drop(unsafe { Socket::from_raw(&ctx_handle, raw) });
        return Err(format!("linktest_echo_once: errno {err}"));
    }
    // SAFETY: the same socket, made in ctx, handed back by C, which keeps no copy.
    let echo = unsafe { Socket::from_raw(&ctx_handle, back) }.map_err(e)?;
    let reply = client.recv_bytes(RecvFlags::empty()).map_err(e)?;
    if reply != b"through C" {
        return Err(format!("echo: {:?}", String::from_utf8_lossy(&reply)));
    }
    // The adopted socket works from Rust, and closes on drop (term would wait otherwise).
    echo.send("again", SendFlags::empty()).map_err(e)?;
    if client.recv_bytes(RecvFlags::empty()).map_err(e)? != b"again" {
        return Err("adopted socket: wrong message".into());
    }
    drop((echo, client, ctx_handle));
    ctx.term().map_err(e)
}

fn main() -> ExitCode {
    for (key, value) in [
        ("ROOT", env!("LINKTEST_DEP_ZMQ_ROOT")),
        ("INCLUDE", env!("LINKTEST_DEP_ZMQ_INCLUDE")),
        ("LIB", env!("LINKTEST_DEP_ZMQ_LIB")),
        ("PKGCONFIG", env!("LINKTEST_DEP_ZMQ_PKGCONFIG")),
        ("VERSION", env!("LINKTEST_DEP_ZMQ_VERSION")),
        ("CURVE", env!("LINKTEST_DEP_ZMQ_CURVE")),
        ("DRAFT", env!("LINKTEST_DEP_ZMQ_DRAFT")),
        ("VENDORED", env!("LINKTEST_DEP_ZMQ_VENDORED")),
        ("STATIC", env!("LINKTEST_DEP_ZMQ_STATIC")),
    ] {
        println!("DEP_ZMQ_{key}={value}");
    }

    let mut failures = Vec::new();

    let mut report = vec![0 as c_char; 4096];
    // SAFETY: report has report.len() writable bytes; linktest_run NUL-terminates it.
    let rc = unsafe { linktest_run(report.as_mut_ptr(), report.len()) };
    // SAFETY: NUL-terminated by linktest_run (its first statement writes a NUL).
    let text = unsafe { CStr::from_ptr(report.as_ptr()) }
        .to_string_lossy()
        .into_owned();
    println!("--- C (cc crate, DEP_ZMQ_* only):\n{}", text.trim_end());
    if rc != 0 {
        failures.push(format!("C checks failed at linktest.c:{rc}"));
    }

    println!("--- Rust (zmq4):");
    let version = zmq4::version();
    println!("zmq4::version(): {version:?}");
    if version != (4, 3, 5) {
        failures.push(format!("zmq4::version() = {version:?}"));
    }

    // One libzmq: the C code's zmq_version is the very function zmq4 calls.
    // SAFETY: returns a function address, no preconditions.
    let c_addr = unsafe { linktest_zmq_version_address() } as usize;
    let rust_addr = sys::zmq_version as *const () as usize;
    println!("zmq_version address: C {c_addr:#x}, Rust {rust_addr:#x}");
    if c_addr != rust_addr {
        failures.push("two copies of libzmq: zmq_version differs between C and Rust".into());
    }

    match shared_context_round_trip() {
        Ok(()) => println!("C socket in a zmq4 context -> zmq4 socket over inproc: ok"),
        Err(e) => failures.push(format!("shared context: {e}")),
    }

    match socket_through_c() {
        Ok(()) => println!("zmq4 socket -> into_raw -> C echoes on it -> from_raw -> zmq4: ok"),
        Err(e) => failures.push(format!("socket through C: {e}")),
    }

    if failures.is_empty() {
        println!("linktest (cc + DEP_ZMQ_*): all checks passed");
        ExitCode::SUCCESS
    } else {
        for f in &failures {
            println!("FAILED: {f}");
        }
        ExitCode::FAILURE
    }
}
