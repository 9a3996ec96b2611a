//! Socket and context options: one declarative table each, every `ZMQ_*` option of libzmq
//! 4.3.5 typed, with its access checked at compile time.
//!
//! # Two spellings, one table
//! Every socket option `ZMQ_FOO` is, generated from the table in [`opt`]:
//! - **a method pair on [`Socket`]** — `foo()` to read, `set_foo(value)` to write (only the
//!   getter for a read-only option, only the setter for a write-only one). **This is the
//!   primary spelling**: a C program ports to it line by line
//!   (`zmq_setsockopt(s, ZMQ_ROUTER_MANDATORY, &one, sizeof one)` →
//!   `s.set_router_mandatory(true)?`), and the docs of each method say what it does.
//! - **a marker type [`opt::Foo`](opt)** for the generic [`Socket::get`] / [`Socket::set`],
//!   for code that is generic over options (a configuration loader, a test over the table).
//!
//! Context options work the same way through [`ctxopt`]: [`Context::io_threads`] /
//! [`Context::set_io_threads`], or `ctx.get(ctxopt::IoThreads)` / `ctx.set(ctxopt::IoThreads, n)`.
//!
//! Reading a write-only option or writing a read-only one does not compile: the method does
//! not exist, and the marker does not implement [`ReadableOption`] / [`WritableOption`].
//!
//! ```
//! use zmq4::{ctxopt, opt, Context, SocketType};
//!
//! let ctx = Context::new();
//! ctx.set_max_sockets(256)?;                     // zmq_ctx_set(ctx, ZMQ_MAX_SOCKETS, 256)
//! assert_eq!(ctx.get(ctxopt::MaxSockets)?, 256);
//!
//! let router = ctx.socket(SocketType::Router)?;
//! router.set_linger(0)?;                         // zmq_setsockopt(s, ZMQ_LINGER, ...)
//! router.set_router_mandatory(true)?;            // write-only: there is no router_mandatory()
//! router.set_routing_id(b"router-1")?;
//! assert_eq!(router.routing_id()?, b"router-1");
//!
//! router.set(opt::Sndhwm, 500)?;                 // the generic spelling
//! assert_eq!(router.get(opt::Sndhwm)?, 500);
//! assert_eq!(router.sndhwm()?, 500);
//!
//! router.bind("tcp://127.0.0.1:*")?;
//! assert!(router.last_endpoint()?.starts_with("tcp://127.0.0.1:"));
//! assert_eq!(router.socket_type()?, SocketType::Router);
//! # Ok::<(), zmq4::Error>(())
//! ```
//!
//! ```compile_fail
//! # use zmq4::{opt, Context, SocketType};
//! # let sock = Context::new().socket(SocketType::Pair).unwrap();
//! sock.set(opt::LastEndpoint, "tcp://x:1"); // read-only: does not compile
//! ```
//!
//! ```compile_fail
//! # use zmq4::{opt, Context, SocketType};
//! # let sock = Context::new().socket(SocketType::Sub).unwrap();
//! sock.get(opt::Subscribe); // write-only: does not compile
//! ```
//!
//! # Value types
//! | C | Rust get | Rust set |
//! |---|---|---|
//! | `int` | `i32` | `i32` |
//! | `int64_t` / `uint64_t` | `i64` / `u64` | `i64` / `u64` |
//! | `int` 0/1 | `bool` | `bool` |
//! | binary data | `Vec<u8>` | `&[u8]` |
//! | character string | `String` | `&str` (no NUL inside: else [`Error::InvalidArgument`]; `""` clears, passed as `NULL, 0`) |
//! | CURVE key (32 bytes or 40 Z85 chars) | [`CurveKey`] | anything [`IntoCurveKey`]: a `CurveKey`, `[u8; 32]`, a Z85 `&str` |
//! | `ZMQ_MECHANISM` | [`Mechanism`] | — |
//! | `ZMQ_TYPE` | [`SocketType`] | — |
//! | `ZMQ_EVENTS` | [`PollEvents`] | — |
//! | `ZMQ_FD` | [`RawFd`] | — |
//! | `ZMQ_USE_FD` | [`RawFd`] | `Option<`[`OwnedListener`]`>`: an `OwnedFd` (Unix) that libzmq takes over, `None` clears |
//! | `ZMQ_ROUTER_NOTIFY` (draft) | `RouterNotify` | `RouterNotify` |
//! | `ZMQ_RECONNECT_STOP` (draft) | `ReconnectStop` | `ReconnectStop` |
//!
//! Strings and bytes are read with a buffer that grows until it fits (up to 1 MiB), so a
//! long `ZMQ_LAST_ENDPOINT` (an ipc or ws path) is never cut. A value libzmq reports that this
//! crate does not know (a socket type or mechanism number) is [`Error::NotSupported`], never a
//! panic; unknown flag bits are kept.
//!
//! # What is not in the table
//! [`EXCLUDED_SOCKET_OPTIONS`] lists the `ZMQ_*` socket option names of zmq.h that have no
//! row, each with the reason and what to use instead: the deprecated aliases (`ZMQ_IDENTITY`
//! is [`opt::RoutingId`], …), the deprecated filters (`ZMQ_TCP_ACCEPT_FILTER`,
//! `ZMQ_IPC_FILTER_*`, replaced by ZAP; still reachable through the untyped
//! [`Socket::setsockopt`]), `ZMQ_IPV4ONLY` (the inverse of [`opt::Ipv6`]), and `ZMQ_BLOCKY`,
//! which zmq.h numbers among the socket options but is a context option
//! ([`ctxopt::Blocky`]).
//!
//! [`SOCKET_OPTIONS`] and [`CONTEXT_OPTIONS`] list every row (C name, number, Rust names,
//! value type, access, draft or not) for code and tests that walk the table; their docs are
//! the porting table.
//!
//! Options of transports or mechanisms this libzmq is built without (GSSAPI, NORM, VMCI,
//! wss without the `wss` feature, CURVE without `curve`) are in the table, as in zmq.h, and
//! fail at run time with [`Error::InvalidArgument`], as in C.
//!
//! [`CurveKey`]: crate::security::CurveKey
//! [`IntoCurveKey`]: crate::security::IntoCurveKey
//! [`SocketType`]: crate::SocketType
//! [`PollEvents`]: crate::PollEvents
//! [`RawFd`]: std::os::fd::RawFd
//! [`Socket`]: crate::Socket
//! [`Context::io_threads`]: crate::Context::io_threads
//! [`Context::set_io_threads`]: crate::Context::set_io_threads
//! [`Error::InvalidArgument`]: crate::Error::InvalidArgument
//! [`Error::NotSupported`]: crate::Error::NotSupported

use crate::context::Context;
use crate::error::Result;
use crate::socket::{Socket, ThreadMode};
use libc::c_void;
use std::fmt;

#[macro_use]
mod kinds;
#[macro_use]
mod table;

pub mod ctxopt;
pub mod opt;
pub(crate) mod value;

pub use self::value::{Mechanism, OwnedListener};
#[cfg(feature = "draft")]
pub use self::value::{ReconnectStop, RouterNotify};

mod sealed {
    pub trait Sealed {}
}

/// Whether an option can be read, written, or both.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Access {
    /// Read-only: `zmq_getsockopt` / `zmq_ctx_get` only.
    Read,
    /// Write-only: `zmq_setsockopt` / `zmq_ctx_set` only.
    Write,
    /// Both.
    ReadWrite,
}

impl Access {
    /// Whether the option can be read.
    pub const fn readable(self) -> bool {
        matches!(self, Access::Read | Access::ReadWrite)
    }

    /// Whether the option can be written.
    pub const fn writable(self) -> bool {
        matches!(self, Access::Write | Access::ReadWrite)
    }
}

/// One row of an option table, as data: see [`SOCKET_OPTIONS`] and [`CONTEXT_OPTIONS`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct OptionInfo {
    /// The C name, e.g. `"ZMQ_LINGER"`.
    pub c_name: &'static str,
    /// The C constant's value.
    pub raw: i32,
    /// The marker type in [`opt`] or [`ctxopt`], e.g. `"Linger"`.
    pub marker: &'static str,
    /// The getter method, e.g. `Some("linger")`; `None` if write-only.
    pub getter: Option<&'static str>,
    /// The setter method, e.g. `Some("set_linger")`; `None` if read-only.
    pub setter: Option<&'static str>,
    /// The value kind: `"i32"`, `"i64"`, `"u64"`, `"bool"`, `"bytes"`, `"string"`,
    /// `"CurveKey"`, `"Mechanism"`, `"SocketType"`, `"PollEvents"`, `"RawFd"`, `"OwnedListener"`,
    /// `"RouterNotify"` or `"ReconnectStop"`.
    pub value_type: &'static str,
    /// Read, write, or both.
    pub access: Access,
    /// Whether the option is part of libzmq's DRAFT API (feature `draft`).
    pub draft: bool,
}

/// A `ZMQ_*` socket option name of zmq.h that deliberately has no row in the table.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct ExcludedOption {
    /// The C name, e.g. `"ZMQ_IDENTITY"`.
    pub c_name: &'static str,
    /// The C constant's value.
    pub raw: i32,
    /// What to use instead, if anything.
    pub instead: &'static str,
    /// Why it has no row.
    pub reason: &'static str,
}

/// Every `ZMQ_*` socket option name of zmq.h 4.3.5 that has no row in [`opt`], and why.
///
/// | C name | instead | why |
/// |---|---|---|
/// | `ZMQ_BLOCKY` | [`ctxopt::Blocky`] | a context option numbered among the socket options; `zmq_setsockopt` rejects it |
/// | `ZMQ_IDENTITY` | [`opt::RoutingId`] | deprecated alias (same number) |
/// | `ZMQ_CONNECT_RID` | [`opt::ConnectRoutingId`] | deprecated alias (same number) |
/// | `ZMQ_DELAY_ATTACH_ON_CONNECT` | [`opt::Immediate`] | deprecated alias (same number) |
/// | `ZMQ_FAIL_UNROUTABLE`, `ZMQ_ROUTER_BEHAVIOR` | [`opt::RouterMandatory`] | deprecated aliases (same number) |
/// | `ZMQ_IPV4ONLY` | [`opt::Ipv6`] | deprecated; its inverse |
/// | `ZMQ_TCP_ACCEPT_FILTER` | ZAP authentication, or [`Socket::setsockopt`] | deprecated in libzmq |
/// | `ZMQ_IPC_FILTER_PID`, `_UID`, `_GID` | ZAP authentication, or [`Socket::setsockopt`] | deprecated in libzmq |
///
/// [`Socket::setsockopt`]: crate::Socket::setsockopt
pub const EXCLUDED_SOCKET_OPTIONS: &[ExcludedOption] = &[
    ExcludedOption {
        c_name: "ZMQ_BLOCKY",
        raw: crate::sys::ZMQ_BLOCKY,
        instead: "ctxopt::Blocky / Context::set_blocky",
        reason: "a context option (zmq_ctx_set) that zmq.h numbers among the socket options; zmq_setsockopt rejects it",
    },
    ExcludedOption {
        c_name: "ZMQ_IDENTITY",
        raw: crate::sys::ZMQ_IDENTITY,
        instead: "opt::RoutingId / routing_id, set_routing_id",
        reason: "deprecated alias of ZMQ_ROUTING_ID (same number)",
    },
    ExcludedOption {
        c_name: "ZMQ_CONNECT_RID",
        raw: crate::sys::ZMQ_CONNECT_RID,
        instead: "opt::ConnectRoutingId / set_connect_routing_id",
        reason: "deprecated alias of ZMQ_CONNECT_ROUTING_ID (same number)",
    },
    ExcludedOption {
        c_name: "ZMQ_DELAY_ATTACH_ON_CONNECT",
        raw: crate::sys::ZMQ_DELAY_ATTACH_ON_CONNECT,
        instead: "opt::Immediate / immediate, set_immediate",
        reason: "deprecated alias of ZMQ_IMMEDIATE (same number)",
    },
    ExcludedOption {
        c_name: "ZMQ_FAIL_UNROUTABLE",
        raw: crate::sys::ZMQ_FAIL_UNROUTABLE,
        instead: "opt::RouterMandatory / set_router_mandatory",
        reason: "deprecated alias of ZMQ_ROUTER_MANDATORY (same number)",
    },
    ExcludedOption {
        c_name: "ZMQ_ROUTER_BEHAVIOR",
        raw: crate::sys::ZMQ_ROUTER_BEHAVIOR,
        instead: "opt::RouterMandatory / set_router_mandatory",
        reason: "deprecated alias of ZMQ_ROUTER_MANDATORY (same number)",
    },
    ExcludedOption {
        c_name: "ZMQ_IPV4ONLY",
        raw: crate::sys::ZMQ_IPV4ONLY,
        instead: "opt::Ipv6 / set_ipv6(!ipv4only)",
        reason: "deprecated in favour of ZMQ_IPV6, its inverse",
    },
    ExcludedOption {
        c_name: "ZMQ_TCP_ACCEPT_FILTER",
        raw: crate::sys::ZMQ_TCP_ACCEPT_FILTER,
        instead: "ZAP authentication; or Socket::setsockopt(ZMQ_TCP_ACCEPT_FILTER, b\"10.0.0.0/8\")",
        reason: "deprecated in libzmq in favour of ZAP",
    },
    ExcludedOption {
        c_name: "ZMQ_IPC_FILTER_PID",
        raw: crate::sys::ZMQ_IPC_FILTER_PID,
        instead: "ZAP authentication; or Socket::setsockopt with a native-endian pid_t",
        reason: "deprecated in libzmq in favour of ZAP",
    },
    ExcludedOption {
        c_name: "ZMQ_IPC_FILTER_UID",
        raw: crate::sys::ZMQ_IPC_FILTER_UID,
        instead: "ZAP authentication; or Socket::setsockopt with a native-endian uid_t",
        reason: "deprecated in libzmq in favour of ZAP",
    },
    ExcludedOption {
        c_name: "ZMQ_IPC_FILTER_GID",
        raw: crate::sys::ZMQ_IPC_FILTER_GID,
        instead: "ZAP authentication; or Socket::setsockopt with a native-endian gid_t",
        reason: "deprecated in libzmq in favour of ZAP",
    },
];

pub use self::ctxopt::CONTEXT_OPTIONS;
pub use self::opt::SOCKET_OPTIONS;

/// A socket option: one of the marker types in [`opt`].
pub trait SocketOption: Copy + Default + fmt::Debug + sealed::Sealed {
    /// The C constant (`ZMQ_LINGER`, …).
    const RAW: i32;
    /// The C name (`"ZMQ_LINGER"`, …).
    const NAME: &'static str;
    /// Whether it can be read, written, or both.
    const ACCESS: Access;
}

/// A socket option [`Socket::get`] can read.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a readable socket option",
    label = "write-only socket option",
    note = "a write-only option (or a context option) has no getter: see its row in `zmq4::opt`"
)]
pub trait ReadableOption: SocketOption {
    /// The type it is read as.
    type Value: value::SocketGet;
}

/// A socket option [`Socket::set`] can write.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a writable socket option",
    label = "read-only socket option",
    note = "a read-only option (or a context option) has no setter: see its row in `zmq4::opt`"
)]
pub trait WritableOption: SocketOption {
    /// The type it is set from (borrowing for bytes and strings).
    type Input<'a>: value::SocketSet;
}

/// A context option: one of the marker types in [`ctxopt`].
pub trait ContextOption: Copy + Default + fmt::Debug + sealed::Sealed {
    /// The C constant (`ZMQ_IO_THREADS`, …).
    const RAW: i32;
    /// The C name (`"ZMQ_IO_THREADS"`, …).
    const NAME: &'static str;
    /// Whether it can be read, written, or both.
    const ACCESS: Access;
}

/// A context option [`Context::get`] can read.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a readable context option",
    label = "write-only context option",
    note = "a write-only option (or a socket option) has no getter: see its row in `zmq4::ctxopt`"
)]
pub trait ReadableContextOption: ContextOption {
    /// The type it is read as.
    type Value: value::ContextGet;
}

/// A context option [`Context::set`] can write.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a writable context option",
    label = "read-only context option",
    note = "a read-only option (or a socket option) has no setter: see its row in `zmq4::ctxopt`"
)]
pub trait WritableContextOption: ContextOption {
    /// The type it is set from.
    type Input<'a>: value::ContextSet;
}

/// Readable padding for the untyped [`Socket::setsockopt`]: short values are copied into it
/// so that libzmq, which reads some options as an `int` or `uint64_t` without checking the
/// length first, stays inside the buffer.
const RAW_PAD: usize = 8;

impl<M: ThreadMode> Socket<M> {
    /// Reads a socket option, named by its marker type (`zmq_getsockopt`); the generic form
    /// of the getter methods: `sock.get(opt::Linger)` is `sock.linger()`.
    ///
    /// ```
    /// # use zmq4::{opt, Context, SocketType};
    /// let sock = Context::new().socket(SocketType::Dealer)?;
    /// assert_eq!(sock.get(opt::Sndhwm)?, 1000);
    /// assert_eq!(sock.get(opt::Type)?, SocketType::Dealer);
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub fn get<O: ReadableOption>(&self, option: O) -> Result<O::Value> {
        let _ = option;
        <O::Value as value::SocketGet>::get_from(self, O::RAW)
    }

    /// Writes a socket option, named by its marker type (`zmq_setsockopt`); the generic form
    /// of the setter methods: `sock.set(opt::Linger, 0)` is `sock.set_linger(0)`.
    ///
    /// ```
    /// # use zmq4::{opt, Context, SocketType};
    /// let sock = Context::new().socket(SocketType::Sub)?;
    /// sock.set(opt::Subscribe, b"weather.")?;
    /// sock.set(opt::Rcvtimeo, 100)?;
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub fn set<O: WritableOption>(&self, option: O, value: O::Input<'_>) -> Result<()> {
        let _ = option;
        value::SocketSet::set_on(value, self, O::RAW)
    }

    /// `zmq_setsockopt` with an untyped value: `value` is passed as is (`value.as_ptr()`,
    /// `value.len()`; an integer as its native-endian bytes).
    ///
    /// This is for what the table leaves out on purpose (`ZMQ_TCP_ACCEPT_FILTER`,
    /// `ZMQ_IPC_FILTER_*`, see [`EXCLUDED_SOCKET_OPTIONS`]); every other option has a typed
    /// method. Unknown options and values of the wrong size fail with
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument), as in C, and so does
    /// `ZMQ_USE_FD`: it hands libzmq a descriptor to own and close, which only
    /// [`Socket::set_use_fd`] can do safely (it takes the descriptor's ownership).
    ///
    /// ```
    /// # use zmq4::{sys, Context, Error, SocketType};
    /// let sock = Context::new().socket(SocketType::Router)?;
    /// sock.setsockopt(sys::ZMQ_TCP_ACCEPT_FILTER, b"127.0.0.1")?;
    /// assert_eq!(sock.setsockopt(9999, &1i32.to_ne_bytes()), Err(Error::InvalidArgument));
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub fn setsockopt(&self, option: i32, value: &[u8]) -> Result<()> {
        if option == crate::sys::ZMQ_USE_FD {
            return Err(crate::Error::InvalidArgument);
        }
        let mut pad = [0u8; RAW_PAD];
        let ptr = if value.len() >= RAW_PAD {
            value.as_ptr()
        } else {
            pad[..value.len()].copy_from_slice(value);
            pad.as_ptr()
        };
        // SAFETY: `ptr` is readable for max(value.len(), RAW_PAD) bytes: libzmq reads at most
        // `value.len()` bytes, or an int/uint64 where it skips the length check.
        unsafe { self.setsockopt_raw(option, ptr.cast::<c_void>(), value.len()) }
    }

    /// `zmq_getsockopt` into an untyped buffer; returns the length libzmq stored (for an
    /// integer option, `buf` must be exactly its size; for a string, it includes the NUL).
    /// A buffer that is too small, or an unknown option, is
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument).
    ///
    /// ```
    /// # use zmq4::{sys, Context, SocketType};
    /// let sock = Context::new().socket(SocketType::Pair)?;
    /// let mut buf = [0u8; 4];
    /// assert_eq!(sock.getsockopt(sys::ZMQ_LINGER, &mut buf)?, 4);
    /// assert_eq!(i32::from_ne_bytes(buf), -1);
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub fn getsockopt(&self, option: i32, buf: &mut [u8]) -> Result<usize> {
        if buf.is_empty() {
            let mut pad = [0u8; RAW_PAD];
            // SAFETY: `pad` is writable; libzmq is told it has 0 bytes and writes none.
            return unsafe { self.getsockopt_raw(option, pad.as_mut_ptr().cast::<c_void>(), 0) };
        }
        // SAFETY: `buf` is writable for `buf.len()` bytes; libzmq writes at most that many.
        unsafe { self.getsockopt_raw(option, buf.as_mut_ptr().cast::<c_void>(), buf.len()) }
    }
}

impl Context {
    /// Reads a context option, named by its marker type (`zmq_ctx_get`); the generic form of
    /// the getter methods: `ctx.get(ctxopt::IoThreads)` is `ctx.io_threads()`.
    ///
    /// ```
    /// # use zmq4::{ctxopt, Context};
    /// assert_eq!(Context::new().get(ctxopt::IoThreads)?, 1);
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub fn get<O: ReadableContextOption>(&self, option: O) -> Result<O::Value> {
        let _ = option;
        <O::Value as value::ContextGet>::get_from(self, O::RAW)
    }

    /// Writes a context option, named by its marker type (`zmq_ctx_set`); the generic form of
    /// the setter methods: `ctx.set(ctxopt::IoThreads, 2)` is `ctx.set_io_threads(2)`.
    ///
    /// ```
    /// # use zmq4::{ctxopt, Context};
    /// let ctx = Context::new();
    /// ctx.set(ctxopt::Blocky, false)?;
    /// assert!(!ctx.blocky()?);
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub fn set<O: WritableContextOption>(&self, option: O, value: O::Input<'_>) -> Result<()> {
        let _ = option;
        value::ContextSet::set_on(value, self, O::RAW)
    }
}
