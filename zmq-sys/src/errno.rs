//! Error numbers `zmq_errno` returns, under the names zmq-sys 0.12 gives them (all `i32`).
//!
//! The system ones come from `libc`; `EFSM`, `ENOCOMPATPROTO`, `ETERM` and `EMTHREAD` are
//! libzmq's own. The `*_ALT` values are the numbers `zmq.h` assigns (`ZMQ_HAUSNUMERO + n`)
//! on platforms whose `errno.h` lacks the name; on Linux libzmq returns the system values,
//! but the names exist for code that matches on both.

/// Base of libzmq's own error numbers.
const HAUSNUMERO: i32 = zmq4_sys::ZMQ_HAUSNUMERO;

/// Declares system error numbers under their `libc` names.
macro_rules! system {
    ($($name:ident),* $(,)?) => {
        $(
            #[doc = concat!("`", stringify!($name), "` of the system's `errno.h`.")]
            pub const $name: i32 = libc::$name;
        )*
    };
}

system!(
    EACCES,
    EADDRINUSE,
    EAGAIN,
    EBUSY,
    ECONNREFUSED,
    EFAULT,
    EINTR,
    EHOSTUNREACH,
    EINPROGRESS,
    EINVAL,
    EMFILE,
    EMSGSIZE,
    ENAMETOOLONG,
    ENODEV,
    ENOENT,
    ENOMEM,
    ENOTCONN,
    ENOTSOCK,
    EPROTO,
    EPROTONOSUPPORT,
    ENOTSUP,
    ENOBUFS,
    ENETDOWN,
    EADDRNOTAVAIL,
);

/// The operation cannot be done in the socket's current state (libzmq's own number).
pub const EFSM: i32 = zmq4_sys::EFSM;
/// The peer speaks an incompatible protocol (libzmq's own number).
pub const ENOCOMPATPROTO: i32 = zmq4_sys::ENOCOMPATPROTO;
/// The context was terminated (libzmq's own number).
pub const ETERM: i32 = zmq4_sys::ETERM;
/// No I/O thread is available (libzmq's own number).
pub const EMTHREAD: i32 = zmq4_sys::EMTHREAD;

/// Declares the `*_ALT` numbers: `ZMQ_HAUSNUMERO + offset`, offsets as in `zmq.h`.
macro_rules! alternates {
    ($($name:ident = $offset:literal),* $(,)?) => {
        $(
            #[doc = concat!(
                "`", stringify!($name), "`: `ZMQ_HAUSNUMERO + ", stringify!($offset),
                "`, the number zmq.h uses where the system lacks the name."
            )]
            pub const $name: i32 = HAUSNUMERO + $offset;
        )*
    };
}

alternates!(
    ENOTSUP_ALT = 1,
    EPROTONOSUPPORT_ALT = 2,
    ENOBUFS_ALT = 3,
    ENETDOWN_ALT = 4,
    EADDRINUSE_ALT = 5,
    EADDRNOTAVAIL_ALT = 6,
    ECONNREFUSED_ALT = 7,
    EINPROGRESS_ALT = 8,
    ENOTSOCK_ALT = 9,
    EMSGSIZE_ALT = 10,
    EAFNOSUPPORT_ALT = 11,
    ENETUNREACH_ALT = 12,
    ECONNABORTED_ALT = 13,
    ECONNRESET_ALT = 14,
    ENOTCONN_ALT = 15,
    ETIMEDOUT_ALT = 16,
    EHOSTUNREACH_ALT = 17,
    ENETRESET_ALT = 18,
);
