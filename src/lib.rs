//! Safe, complete bindings to libzmq 4.3.5 — built from the vendored, unmodified source with
//! the DRAFT API and CURVE — that a C zmq program ports to line by line.
//!
//! ```
//! use zmq4::{Context, RecvFlags, SendFlags, SocketType};
//!
//! let ctx = Context::new();
//! let server = ctx.socket(SocketType::Rep)?;
//! server.bind("tcp://127.0.0.1:*")?;
//! let endpoint = server.last_endpoint()?;
//!
//! let client = ctx.socket(SocketType::Req)?;
//! client.connect(&endpoint)?;
//! client.send("ping", SendFlags::empty())?;
//! assert_eq!(server.recv_bytes(RecvFlags::empty())?, b"ping");
//! server.send("pong", SendFlags::empty())?;
//! assert_eq!(client.recv_bytes(RecvFlags::empty())?, b"pong");
//! # Ok::<(), zmq4::Error>(())
//! ```
//!
//! # Map
//! The core:
//! - [`Context`] ([`context`]), [`Socket`] ([`socket`]; all 21 [`SocketType`]s, classic and
//!   thread-safe), [`Message`] ([`message`]; zero-copy both ways), [`Error`] ([`error`]: one
//!   variant per errno, `Display` from `zmq_strerror`).
//!
//! Around it, a module per concept:
//! - [`options`]: socket and context options, one typed table each ([`opt`], [`ctxopt`]);
//!   each option is a method pair (`linger()` / `set_linger()`) and a marker type for
//!   `get`/`set`.
//! - [`poll`]: [`poll()`](poll::poll), with `draft` the `Poller` and
//!   [`timers`] (`zmq_timers`).
//! - [`security`]: CURVE keys and Z85; certificates and czmq-style certificate stores
//!   ([`cert`]); the ZAP [`Authenticator`] ([`auth`]).
//! - [`monitor`]: socket events, typed. [`proxy`]: `zmq_proxy`, steerable proxies on a
//!   thread.
//! - `tokio` (feature `tokio`): async sockets, streams and sinks, async monitor events.
//! - [`raw`]: handing contexts, sockets and messages to C and back; [`sys`]: the raw C API,
//!   generated from `zmq.h`; [`AtomicCounter`]: libzmq's atomic counter.
//! - [`aborts`]: the libzmq asserts reachable from the safe API, and how each is guarded.
//!
//! # Features
//! - `draft` (default): libzmq's DRAFT API — the nine draft socket types, draft options,
//!   `zmq_poller`, `zmq_timers`, ws://.
//! - `curve` (default): CURVE security through libsodium.
//! - `system`: link the system libzmq (pkg-config, 4.3.5 ≤ version < 4.4) instead of the
//!   bundled one; `LIBZMQ_NO_VENDOR=1` does the same from the environment.
//! - `cmake-build`: build the bundled libzmq with its CMakeLists (needs cmake).
//! - `wss`: wss:// through the system GnuTLS.
//! - `tokio` (off; Unix): async sockets for the tokio runtime, every socket type, with
//!   `futures` Stream/Sink impls and cancel-safe receives (module `zmq4::tokio`).
//!
//! # Platforms
//! Unix (Linux, macOS, the BSDs) and Windows (MSVC and MinGW-w64, x86_64 and i686). What
//! differs on Windows:
//! - descriptors are Winsock `SOCKET`s: [`RawDescriptor`] is `RawFd` on Unix and
//!   `RawSocket` on Windows (`ZMQ_FD`, `ZMQ_USE_FD`, [`PollItem::from_fd`], the `Poller`'s
//!   `*_fd` methods, monitor events);
//! - `ipc://` exists with MSVC only (AF_UNIX through afunix.h; libzmq cannot build it with
//!   MinGW): check [`has`]`(`[`Capability::Ipc`]`)`;
//! - `zmq_ppoll` (`poll::ppoll`, draft) takes a POSIX signal mask and is Unix-only, as is the
//!   `tokio` feature (it registers `ZMQ_FD` with tokio's Unix `AsyncFd`);
//! - certificate files ([`cert`]) are written without POSIX permission bits.
#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
// docs.rs (`--cfg docsrs`): each feature-gated item shows the feature it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

#[doc = include_str!("aborts.md")]
pub mod aborts {}
pub mod atomic_counter;
pub mod context;
pub mod error;
mod guard;
pub mod message;
pub mod monitor;
pub mod options;
pub mod poll;
pub mod proxy;
pub mod raw;
pub mod security;
pub mod socket;
// Doc-only: the compile-fail cases, as doctests.
#[cfg(doctest)]
mod compile_fail;
// While rustdoc collects doctests, the module exists only with the feature that brings what its
// examples need (`__tokio-doctests`, see Cargo.toml): `--features tokio` alone skips them.
#[cfg(all(
    feature = "tokio",
    unix,
    any(not(doctest), feature = "__tokio-doctests")
))]
pub mod tokio;
// The async layer registers ZMQ_FD with tokio's Unix-only AsyncFd; saying so beats a missing
// module.
#[cfg(all(feature = "tokio", not(unix)))]
compile_error!(
    "zmq4's `tokio` feature is Unix-only (it needs tokio's AsyncFd); on Windows use the \
     blocking API from tokio::task::spawn_blocking, or poll ZMQ_FD yourself"
);

// Their own top-level paths, as before they moved into the concept they belong to.
pub use poll::timers;
pub use security::{auth, cert};

pub use atomic_counter::AtomicCounter;
pub use auth::Authenticator;
pub use context::Context;
pub use error::{Error, Result};
pub use message::{FrameError, FrameValue, Message};
pub use options::{ctxopt, opt, Mechanism};
#[cfg(feature = "draft")]
pub use options::{ReconnectStop, RouterNotify};
pub use poll::{PollEvents, PollItem};
pub use security::{CurveKey, CurveKeyPair};
pub use socket::{
    Exclusive, Received, RecvFlags, SendFlags, Shared, SharedSocket, Socket, SocketType, ThreadMode,
};

/// The raw C API of libzmq 4.3.5: the [`zmq4-sys`](zmq4_sys) crate, which builds (or finds)
/// libzmq and owns `links = "zmq"`. Use it for what the safe API lacks.
///
/// ```
/// // SAFETY: zmq_has takes a NUL-terminated capability name.
/// let curve = unsafe { zmq4::sys::zmq_has(c"curve".as_ptr()) };
/// assert_eq!(curve == 1, cfg!(feature = "curve"));
/// ```
pub use zmq4_sys as sys;

/// The OS handle libzmq reports and accepts for `ZMQ_FD`, `ZMQ_USE_FD`, poll items and
/// monitor events: a file descriptor on Unix.
#[cfg(not(windows))]
pub type RawDescriptor = std::os::fd::RawFd;
/// The OS handle libzmq reports and accepts for `ZMQ_FD`, `ZMQ_USE_FD`, poll items and
/// monitor events: a Winsock `SOCKET` on Windows.
#[cfg(windows)]
pub type RawDescriptor = std::os::windows::io::RawSocket;

/// The version of the libzmq in use, `(major, minor, patch)` (`zmq_version`).
///
/// ```
/// assert_eq!(zmq4::version(), (4, 3, 5));
/// ```
pub fn version() -> (i32, i32, i32) {
    let (mut major, mut minor, mut patch) = (0, 0, 0);
    // SAFETY: zmq_version writes three ints through valid pointers.
    unsafe { sys::zmq_version(&mut major, &mut minor, &mut patch) };
    (major, minor, patch)
}

/// An optional libzmq capability, as `zmq_has` names them.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum Capability {
    /// `ipc://` transport.
    Ipc,
    /// `pgm://`/`epgm://` (not built here).
    Pgm,
    /// `tipc://` transport (needs the tipc kernel module at run time).
    Tipc,
    /// `norm://` (not built here).
    Norm,
    /// `vmci://` (not built here).
    Vmci,
    /// CURVE security (feature `curve`).
    Curve,
    /// GSSAPI security (not built here).
    Gssapi,
    /// The DRAFT API (feature `draft`).
    Draft,
    /// `ws://` (with `draft`). libzmq 4.3.5 answers only to the upper-case name `"WS"`.
    Ws,
    /// `wss://` (feature `wss`). libzmq 4.3.5 answers only to `"WSS"`.
    Wss,
}

impl Capability {
    /// Every capability `zmq_has` knows.
    pub const ALL: [Capability; 10] = [
        Capability::Ipc,
        Capability::Pgm,
        Capability::Tipc,
        Capability::Norm,
        Capability::Vmci,
        Capability::Curve,
        Capability::Gssapi,
        Capability::Draft,
        Capability::Ws,
        Capability::Wss,
    ];

    /// The name `zmq_has` expects (note `"WS"`/`"WSS"` in upper case).
    pub fn name(self) -> &'static str {
        self.c_name().to_str().unwrap_or_default()
    }

    fn c_name(self) -> &'static std::ffi::CStr {
        match self {
            Capability::Ipc => c"ipc",
            Capability::Pgm => c"pgm",
            Capability::Tipc => c"tipc",
            Capability::Norm => c"norm",
            Capability::Vmci => c"vmci",
            Capability::Curve => c"curve",
            Capability::Gssapi => c"gssapi",
            Capability::Draft => c"draft",
            Capability::Ws => c"WS",
            Capability::Wss => c"WSS",
        }
    }
}

/// Whether this libzmq has a capability (`zmq_has`).
///
/// ```
/// use zmq4::{has, Capability};
/// assert!(has(Capability::Ipc));
/// assert_eq!(has(Capability::Curve), cfg!(feature = "curve"));
/// assert!(!has(Capability::Gssapi));
/// ```
pub fn has(capability: Capability) -> bool {
    // SAFETY: zmq_has reads a NUL-terminated string.
    unsafe { sys::zmq_has(capability.c_name().as_ptr()) == 1 }
}
