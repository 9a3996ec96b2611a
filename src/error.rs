//! Errors: one [`Error`] enum for every errno libzmq reports, with a distinct timeout case.
//!
//! libzmq reports failures through `errno`. Each value it documents, and each value of the
//! system it passes on (a monitor event's `EPIPE`, a bind's `ENAMETOOLONG`), has a variant
//! here; any other value arrives as [`Error::Other`], never as a panic. `Display` is
//! libzmq's own `zmq_strerror` text; `Debug` names the variant, the errno and that text.
//!
//! ```
//! use zmq4::{Context, Error, RecvFlags, SocketType};
//!
//! let ctx = Context::new();
//! let pull = ctx.socket(SocketType::Pull)?;
//! pull.set_rcvtimeo(10)?;
//! // Nothing was sent: a blocking recv with RCVTIMEO set times out.
//! assert_eq!(pull.recv_bytes(RecvFlags::empty()).unwrap_err(), Error::TimedOut);
//! // The non-blocking form says "would block" instead.
//! assert_eq!(pull.recv_bytes(RecvFlags::DONTWAIT).unwrap_err(), Error::WouldBlock);
//! # Ok::<(), zmq4::Error>(())
//! ```

use crate::sys;
use std::ffi::CStr;
use std::fmt;

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

macro_rules! errors {
    ($( $(#[$doc:meta])* $variant:ident = $errno:expr, )*) => {
        /// A libzmq error, one variant per errno value libzmq documents or passes on from
        /// the system (in calls and in monitor events).
        ///
        /// `EAGAIN` is split in two: [`Error::WouldBlock`] for a non-blocking call
        /// (`DONTWAIT`) that could not proceed, [`Error::TimedOut`] for a blocking call that
        /// gave up after `ZMQ_SNDTIMEO`/`ZMQ_RCVTIMEO`. Both map back to `EAGAIN`.
        ///
        /// `Debug` names the variant, the errno and libzmq's message:
        /// `BrokenPipe { errno: 32, message: "Broken pipe" }`.
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Error {
            /// `EAGAIN` from a non-blocking call: the operation would have blocked.
            WouldBlock,
            /// `EAGAIN` from a blocking call: `ZMQ_SNDTIMEO` or `ZMQ_RCVTIMEO` expired.
            TimedOut,
            $( $(#[$doc])* $variant, )*
            /// Any other errno value, kept as is.
            Other(i32),
        }

        impl Error {
            /// The error for an errno value (`EAGAIN` becomes [`Error::WouldBlock`]).
            pub fn from_errno(errno: i32) -> Error {
                match errno {
                    libc::EAGAIN => Error::WouldBlock,
                    $( e if e == $errno => Error::$variant, )*
                    other => Error::Other(other),
                }
            }

            /// The variant's name, for `Debug`.
            fn name(self) -> &'static str {
                match self {
                    Error::WouldBlock => "WouldBlock",
                    Error::TimedOut => "TimedOut",
                    $( Error::$variant => stringify!($variant), )*
                    Error::Other(_) => "Other",
                }
            }

            /// The errno value of this error.
            pub fn errno(self) -> i32 {
                match self {
                    Error::WouldBlock | Error::TimedOut => libc::EAGAIN,
                    $( Error::$variant => $errno, )*
                    Error::Other(e) => e,
                }
            }
        }
    };
}

errors! {
    /// `EINTR`: a signal interrupted the call.
    Interrupted = libc::EINTR,
    /// `ETERM`: the socket's context was terminated or shut down.
    ContextTerminated = sys::ETERM,
    /// `EFSM`: the operation is not valid in the socket's current state (e.g. REQ sending twice).
    InvalidState = sys::EFSM,
    /// `ENOCOMPATPROTO`: the transport protocol is not compatible with the socket type.
    IncompatibleProtocol = sys::ENOCOMPATPROTO,
    /// `EMTHREAD`: no I/O thread is available for the operation.
    NoIoThread = sys::EMTHREAD,
    /// `EHOSTUNREACH`: the message cannot be routed (e.g. ROUTER_MANDATORY, unknown peer).
    HostUnreachable = libc::EHOSTUNREACH,
    /// `EADDRINUSE`: the address is already in use.
    AddressInUse = libc::EADDRINUSE,
    /// `EADDRNOTAVAIL`: the address is not local.
    AddressNotAvailable = libc::EADDRNOTAVAIL,
    /// `ENODEV`: the network interface named in the endpoint does not exist.
    NoSuchDevice = libc::ENODEV,
    /// `EPROTONOSUPPORT`: the transport is not supported.
    ProtocolNotSupported = libc::EPROTONOSUPPORT,
    /// `EINVAL`: an argument (endpoint, option value, flag) is invalid.
    InvalidArgument = libc::EINVAL,
    /// `ENOTSOCK`: the socket is invalid.
    NotSocket = libc::ENOTSOCK,
    /// `EMSGSIZE`: the message is too large.
    MessageTooLarge = libc::EMSGSIZE,
    /// `ENOTSUP`: the operation is not supported by this socket type or build.
    NotSupported = libc::ENOTSUP,
    /// `ECONNREFUSED`: the connection was refused.
    ConnectionRefused = libc::ECONNREFUSED,
    /// `ENOBUFS`: no buffer space is available.
    NoBufferSpace = libc::ENOBUFS,
    /// `ENOENT`: the endpoint was not bound or connected (unbind/disconnect).
    NotFound = libc::ENOENT,
    /// `ENOMEM`: not enough memory.
    OutOfMemory = libc::ENOMEM,
    /// `EFAULT`: an invalid pointer or message was passed.
    Fault = libc::EFAULT,
    /// `EMFILE`: the process or context is out of file descriptors or sockets.
    TooManyOpenFiles = libc::EMFILE,
    /// `ENETDOWN`: the network is down.
    NetworkDown = libc::ENETDOWN,
    /// `ENETUNREACH`: the network is unreachable.
    NetworkUnreachable = libc::ENETUNREACH,
    /// `ENETRESET`: the connection was aborted by the network.
    NetworkReset = libc::ENETRESET,
    /// `ECONNABORTED`: the connection was aborted.
    ConnectionAborted = libc::ECONNABORTED,
    /// `ECONNRESET`: the connection was reset by the peer.
    ConnectionReset = libc::ECONNRESET,
    /// `ENOTCONN`: the socket is not connected.
    NotConnected = libc::ENOTCONN,
    /// `ETIMEDOUT`: a network operation timed out.
    ConnectionTimedOut = libc::ETIMEDOUT,
    /// `EINPROGRESS`: the operation is in progress.
    InProgress = libc::EINPROGRESS,
    /// `EAFNOSUPPORT`: the address family is not supported.
    AddressFamilyNotSupported = libc::EAFNOSUPPORT,
    /// `EACCES`: permission denied.
    PermissionDenied = libc::EACCES,
    /// `EBADF`: a bad file descriptor.
    BadFileDescriptor = libc::EBADF,
    /// `EPROTO`: a protocol error: a peer that is not ZMTP, a malformed ZAP or monitor
    /// message, an `accept` that failed on a protocol error.
    Protocol = libc::EPROTO,
    /// `EPIPE`: the peer closed the connection (a handshake that ended early reports it).
    BrokenPipe = libc::EPIPE,
    /// `EBUSY`: the resource is busy.
    Busy = libc::EBUSY,
    /// `ENFILE`: the system is out of file descriptors (`accept` failed).
    TooManyOpenFilesInSystem = libc::ENFILE,
    /// `EPERM`: the operation is not permitted (e.g. a firewall refused an `accept`).
    NotPermitted = libc::EPERM,
    /// `ENOPROTOOPT`: the protocol option is not available.
    ProtocolOptionNotAvailable = libc::ENOPROTOOPT,
    /// `EISCONN`: the socket is already connected.
    AlreadyConnected = libc::EISCONN,
    /// `EDESTADDRREQ`: a destination address is required.
    DestinationAddressRequired = libc::EDESTADDRREQ,
    /// `ERANGE`: a value is out of range.
    OutOfRange = libc::ERANGE,
    /// `ENAMETOOLONG`: a path (an `ipc://` endpoint) is too long.
    NameTooLong = libc::ENAMETOOLONG,
    /// `ENOTDIR`: a component of an `ipc://` path is not a directory.
    NotADirectory = libc::ENOTDIR,
    /// `EROFS`: an `ipc://` path is on a read-only file system.
    ReadOnlyFilesystem = libc::EROFS,
    /// `ELOOP`: too many symbolic links in an `ipc://` path.
    TooManySymlinks = libc::ELOOP,
    /// `EEXIST`: the file (an `ipc://` path) already exists.
    AlreadyExists = libc::EEXIST,
    /// `EIO`: an input/output error.
    InputOutput = libc::EIO,
    /// `ENOSPC`: no space left on the device.
    NoSpace = libc::ENOSPC,
}

impl Error {
    /// The error libzmq reported last on this thread (`zmq_errno`).
    pub fn last() -> Error {
        // SAFETY: zmq_errno only reads the calling thread's errno.
        Error::from_errno(unsafe { sys::zmq_errno() })
    }

    /// Whether this is [`Error::TimedOut`] or [`Error::WouldBlock`] (both `EAGAIN`).
    pub fn is_again(self) -> bool {
        matches!(self, Error::WouldBlock | Error::TimedOut)
    }

    /// libzmq's message for this error (`zmq_strerror`).
    pub fn message(self) -> &'static str {
        // SAFETY: zmq_strerror returns a pointer to a static NUL-terminated string (libzmq's
        // own table or the C library's strerror table, which outlive the program's use of it).
        let text = unsafe { CStr::from_ptr(sys::zmq_strerror(self.errno())) };
        text.to_str().unwrap_or("unknown error")
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::TimedOut => write!(f, "{} (send/receive timeout expired)", self.message()),
            _ => f.write_str(self.message()),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(self.name())
            .field("errno", &self.errno())
            .field("message", &self.message())
            .finish()
    }
}

impl std::error::Error for Error {}

impl From<Error> for std::io::Error {
    fn from(e: Error) -> std::io::Error {
        match e {
            Error::TimedOut => std::io::Error::new(std::io::ErrorKind::TimedOut, e),
            Error::WouldBlock => std::io::Error::new(std::io::ErrorKind::WouldBlock, e),
            _ => std::io::Error::from_raw_os_error(e.errno()),
        }
    }
}

/// `Err(Error::last())` if `rc == -1`, else `Ok(rc)`.
#[inline]
pub(crate) fn check(rc: libc::c_int) -> Result<libc::c_int> {
    if rc == -1 {
        Err(Error::last())
    } else {
        Ok(rc)
    }
}

/// Like [`check`] for a send/receive: `EAGAIN` is [`Error::TimedOut`] unless the call was
/// non-blocking.
#[inline]
pub(crate) fn check_io(rc: libc::c_int, nonblocking: bool) -> Result<libc::c_int> {
    if rc == -1 {
        Err(match Error::last() {
            Error::WouldBlock if !nonblocking => Error::TimedOut,
            e => e,
        })
    } else {
        Ok(rc)
    }
}
