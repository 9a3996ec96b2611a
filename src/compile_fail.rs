//! Compile-time guarantees, checked as `compile_fail` doctests against the crate as built
//! (this module exists only while rustdoc collects doctests: `cargo test --doc`).
//!
//! - a read-only option cannot be written, a write-only option cannot be read, neither
//!   through the methods nor through the generic `set`/`get`; a value of the wrong type is
//!   refused;
//! - a classic `Socket` is not `Sync`, a `SharedSocket` is;
//! - without the `draft` feature, the draft socket types do not exist.
//!
//! Each failing block holds one offending line and names the error code it must fail with.
//! An error code alone would also accept a typo ("no method named …" is E0599 either way), so
//! the block below compiles every name the failing blocks use, in its allowed direction: the
//! failing blocks then fail only for the access or type they try.
//!
//! ```
//! use zmq4::{ctxopt, opt, Context, SocketType};
//!
//! fn require_send<T: Send>() {}
//! fn require_sync<T: Sync + Send>() {}
//!
//! let ctx = Context::new();
//! let sock = ctx.socket(SocketType::Sub).unwrap();
//! // Each option in its allowed direction, through the method and the generic form.
//! let _ = sock.last_endpoint().unwrap();
//! let _ = sock.get(opt::LastEndpoint).unwrap();
//! let _ = sock.rcvmore().unwrap();
//! let _ = sock.get(opt::Rcvmore).unwrap();
//! let _ = ctx.socket_limit().unwrap();
//! let _ = ctx.get(ctxopt::SocketLimit).unwrap();
//! sock.set_subscribe(b"").unwrap();
//! sock.set(opt::Subscribe, b"").unwrap();
//! let _ = ctx.set_thread_priority(0);
//! let _ = ctx.set(ctxopt::ThreadPriority, 0);
//! let router = ctx.socket(SocketType::Router).unwrap();
//! router.set_router_mandatory(true).unwrap();
//! router.set(opt::RouterMandatory, true).unwrap();
//! // The right value types.
//! sock.set(opt::Linger, 0).unwrap();
//! sock.set_routing_id(b"id").unwrap();
//! // Thread safety.
//! require_send::<zmq4::Socket>();
//! require_sync::<zmq4::SharedSocket>();
//! require_sync::<zmq4::Context>();
//! ```
//!
//! ## A read-only option has no setter
//!
//! ```compile_fail,E0599
//! # let sock = zmq4::Context::new().socket(zmq4::SocketType::Pair).unwrap();
//! sock.set_last_endpoint("tcp://127.0.0.1:5555").unwrap();
//! ```
//! ```compile_fail,E0599
//! # let sock = zmq4::Context::new().socket(zmq4::SocketType::Pair).unwrap();
//! sock.set_rcvmore(true).unwrap();
//! ```
//! ```compile_fail,E0599
//! # let ctx = zmq4::Context::new();
//! ctx.set_socket_limit(10).unwrap();
//! ```
//!
//! ## A write-only option has no getter
//!
//! ```compile_fail,E0599
//! # let sock = zmq4::Context::new().socket(zmq4::SocketType::Sub).unwrap();
//! let _ = sock.subscribe();
//! ```
//! ```compile_fail,E0599
//! # let sock = zmq4::Context::new().socket(zmq4::SocketType::Router).unwrap();
//! let _ = sock.router_mandatory();
//! ```
//! ```compile_fail,E0599
//! # let ctx = zmq4::Context::new();
//! let _ = ctx.thread_priority();
//! ```
//!
//! ## The generic `set` takes no read-only option
//!
//! ```compile_fail,E0277
//! # use zmq4::opt;
//! # let sock = zmq4::Context::new().socket(zmq4::SocketType::Pair).unwrap();
//! sock.set(opt::LastEndpoint, "tcp://127.0.0.1:5555").unwrap();
//! ```
//! ```compile_fail,E0277
//! # use zmq4::opt;
//! # let sock = zmq4::Context::new().socket(zmq4::SocketType::Pair).unwrap();
//! sock.set(opt::Rcvmore, true).unwrap();
//! ```
//! ```compile_fail,E0277
//! # use zmq4::ctxopt;
//! # let ctx = zmq4::Context::new();
//! ctx.set(ctxopt::SocketLimit, 10).unwrap();
//! ```
//!
//! ## The generic `get` takes no write-only option
//!
//! ```compile_fail,E0277
//! # use zmq4::opt;
//! # let sock = zmq4::Context::new().socket(zmq4::SocketType::Sub).unwrap();
//! let _ = sock.get(opt::Subscribe);
//! ```
//! ```compile_fail,E0277
//! # use zmq4::opt;
//! # let sock = zmq4::Context::new().socket(zmq4::SocketType::Router).unwrap();
//! let _ = sock.get(opt::RouterMandatory);
//! ```
//! ```compile_fail,E0277
//! # use zmq4::ctxopt;
//! # let ctx = zmq4::Context::new();
//! let _ = ctx.get(ctxopt::ThreadPriority);
//! ```
//!
//! ## An option takes only its own value type
//!
//! ```compile_fail,E0308
//! # use zmq4::opt;
//! # let sock = zmq4::Context::new().socket(zmq4::SocketType::Pair).unwrap();
//! sock.set(opt::Linger, "0").unwrap();
//! ```
//! ```compile_fail,E0308
//! # let sock = zmq4::Context::new().socket(zmq4::SocketType::Pair).unwrap();
//! sock.set_routing_id(42).unwrap();
//! ```
//!
//! ## A classic socket may move between threads but not be shared by them
//!
//! ```compile_fail,E0277
//! fn require_sync<T: Sync>() {}
//! require_sync::<zmq4::Socket>();
//! ```

/// Without the `draft` feature, the draft socket types do not exist.
///
/// ```compile_fail,E0599
/// let _ = zmq4::SocketType::Server;
/// ```
#[cfg(not(feature = "draft"))]
pub struct NoDraftSocketTypes;

/// With the `draft` feature, the draft socket types exist (the counterpart of the case
/// above, which runs without it).
///
/// ```
/// let _ = zmq4::SocketType::Server;
/// ```
#[cfg(feature = "draft")]
pub struct DraftSocketTypes;
