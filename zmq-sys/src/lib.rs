//! A stand-in for the `zmq-sys` 0.12 crate, the raw layer of rust-zmq (`zmq` 0.10), that links
//! the libzmq 4.3.5 built by `zmq4-sys` (CURVE and DRAFT included) instead of its own.
//!
//! It is meant to be used through Cargo's `[patch]`, with no change to code that depends on
//! `zmq` 0.10:
//!
//! ```toml
//! [patch.crates-io]
//! zmq-sys = { git = "<this repository>" }   # or { path = "<checkout>/zmq-sys" }
//! ```
//!
//! Its version is exactly 0.12.0, the one a `Cargo.lock` holds for `zmq` 0.10, so the patch
//! takes effect without `cargo update` (unless that lock pins build dependencies older than
//! zmq4-sys accepts: then `cargo update` once).
//!
//! The public API is the one zmq-sys 0.12 exports: the same functions with the same
//! signatures, `zmq_msg_t` (with `Default`), `zmq_pollitem_t`, `zmq_free_fn`, the `ZMQ_*`
//! constants typed as zmq-sys 0.12 types them (`u32`, but the two `*_DFLT` priorities `i32`),
//! the [`errno`] module and [`RawFd`]. The one deliberate difference: `zmq_sendiov` and
//! `zmq_recviov` take `libc::iovec`, where zmq-sys 0.12 has a private opaque type nobody can
//! name.
//!
//! This crate declares no `links` key: the library comes from `zmq4-sys`, which owns
//! `links = "zmq"`. A program may therefore use `zmq` (through this crate) and `zmq4` at the
//! same time, and both talk to the one libzmq linked into it.
//!
//! Everything here is `unsafe` C API; see the libzmq manual (`man zmq_*`) for the contracts.
//! Unix only, like `zmq4-sys`.
#![allow(non_camel_case_types)]

use std::os::raw::{c_char, c_int, c_long, c_short, c_uchar, c_void};

pub mod errno;

/// A file descriptor, as `zmq_pollitem_t::fd` and `ZMQ_FD` carry it.
pub use std::os::unix::io::RawFd;

// Functions whose zmq4-sys declarations have exactly zmq-sys 0.12's signatures (they take no
// type this crate defines itself) are re-exported as they are.
pub use zmq4_sys::{
    zmq_bind, zmq_close, zmq_connect, zmq_ctx_get, zmq_ctx_new, zmq_ctx_set, zmq_ctx_shutdown,
    zmq_ctx_term, zmq_curve_keypair, zmq_device, zmq_disconnect, zmq_errno, zmq_free_fn,
    zmq_getsockopt, zmq_has, zmq_proxy, zmq_proxy_steerable, zmq_recv, zmq_recviov, zmq_send,
    zmq_send_const, zmq_sendiov, zmq_setsockopt, zmq_socket, zmq_socket_monitor, zmq_strerror,
    zmq_unbind, zmq_version, zmq_z85_decode, zmq_z85_encode,
};

/// A message: 64 opaque bytes, 8-byte aligned, as in `zmq.h`. Initialise it with one of the
/// `zmq_msg_init*` functions before any other use; `Default` only gives zeroed storage.
#[repr(C)]
#[repr(align(8))]
#[derive(Copy, Clone)]
pub struct zmq_msg_t {
    /// The opaque storage libzmq manages.
    pub __: [c_uchar; 64],
}

impl Default for zmq_msg_t {
    fn default() -> Self {
        zmq_msg_t { __: [0; 64] }
    }
}

/// One entry of the array `zmq_poll` takes: a socket, or a file descriptor when `socket` is
/// null, with the events asked for and (on return) the events seen.
#[repr(C)]
#[derive(Debug, Copy, Clone)]
pub struct zmq_pollitem_t {
    /// The ØMQ socket to poll, or null to poll `fd`.
    pub socket: *mut c_void,
    /// The file descriptor to poll when `socket` is null.
    pub fd: c_int,
    /// The events to wait for (`ZMQ_POLLIN`, `ZMQ_POLLOUT`, `ZMQ_POLLERR`, `ZMQ_POLLPRI`).
    pub events: c_short,
    /// The events that occurred, written by `zmq_poll`.
    pub revents: c_short,
}

impl Default for zmq_pollitem_t {
    fn default() -> Self {
        zmq_pollitem_t {
            socket: std::ptr::null_mut(),
            fd: 0,
            events: 0,
            revents: 0,
        }
    }
}

// The two structs must be the very types libzmq (and zmq4-sys) lay out: checked at compile time.
const _: () = {
    use std::mem::{align_of, offset_of, size_of};
    assert!(size_of::<zmq_msg_t>() == size_of::<zmq4_sys::zmq_msg_t>());
    assert!(align_of::<zmq_msg_t>() == align_of::<zmq4_sys::zmq_msg_t>());
    assert!(size_of::<zmq_pollitem_t>() == size_of::<zmq4_sys::zmq_pollitem_t>());
    assert!(align_of::<zmq_pollitem_t>() == align_of::<zmq4_sys::zmq_pollitem_t>());
    assert!(offset_of!(zmq_pollitem_t, fd) == offset_of!(zmq4_sys::zmq_pollitem_t, fd));
    assert!(offset_of!(zmq_pollitem_t, events) == offset_of!(zmq4_sys::zmq_pollitem_t, events));
    assert!(offset_of!(zmq_pollitem_t, revents) == offset_of!(zmq4_sys::zmq_pollitem_t, revents));
};

// Functions that take this crate's `zmq_msg_t` or `zmq_pollitem_t`. The symbols are resolved
// against the libzmq that zmq4-sys links.
extern "C" {
    /// `zmq_msg_init(3)`: initialise an empty message.
    pub fn zmq_msg_init(msg_: *mut zmq_msg_t) -> c_int;
    /// `zmq_msg_init_size(3)`: initialise a message of `size_` bytes.
    pub fn zmq_msg_init_size(msg_: *mut zmq_msg_t, size_: usize) -> c_int;
    /// `zmq_msg_init_data(3)`: initialise a message over caller-owned data.
    pub fn zmq_msg_init_data(
        msg_: *mut zmq_msg_t,
        data_: *mut c_void,
        size_: usize,
        ffn_: zmq_free_fn,
        hint_: *mut c_void,
    ) -> c_int;
    /// `zmq_msg_send(3)`: send a message part on a socket.
    pub fn zmq_msg_send(msg_: *mut zmq_msg_t, s_: *mut c_void, flags_: c_int) -> c_int;
    /// `zmq_msg_recv(3)`: receive a message part from a socket.
    pub fn zmq_msg_recv(msg_: *mut zmq_msg_t, s_: *mut c_void, flags_: c_int) -> c_int;
    /// `zmq_msg_close(3)`: release a message.
    pub fn zmq_msg_close(msg_: *mut zmq_msg_t) -> c_int;
    /// `zmq_msg_move(3)`: move the content of `src_` into `dest_`.
    pub fn zmq_msg_move(dest_: *mut zmq_msg_t, src_: *mut zmq_msg_t) -> c_int;
    /// `zmq_msg_copy(3)`: make `dest_` share the content of `src_`.
    pub fn zmq_msg_copy(dest_: *mut zmq_msg_t, src_: *mut zmq_msg_t) -> c_int;
    /// `zmq_msg_data(3)`: the message content.
    pub fn zmq_msg_data(msg_: *mut zmq_msg_t) -> *mut c_void;
    /// `zmq_msg_size(3)`: the message size in bytes.
    pub fn zmq_msg_size(msg_: *const zmq_msg_t) -> usize;
    /// `zmq_msg_more(3)`: whether more parts follow.
    pub fn zmq_msg_more(msg_: *const zmq_msg_t) -> c_int;
    /// `zmq_msg_get(3)`: a message property.
    pub fn zmq_msg_get(msg_: *const zmq_msg_t, property_: c_int) -> c_int;
    /// `zmq_msg_set(3)`: set a message property.
    pub fn zmq_msg_set(msg_: *mut zmq_msg_t, property_: c_int, optval_: c_int) -> c_int;
    /// `zmq_msg_gets(3)`: a metadata property of a received message.
    pub fn zmq_msg_gets(msg_: *const zmq_msg_t, property_: *const c_char) -> *const c_char;
    /// `zmq_sendmsg(3)`: the older spelling of `zmq_msg_send` with swapped arguments.
    pub fn zmq_sendmsg(s_: *mut c_void, msg_: *mut zmq_msg_t, flags_: c_int) -> c_int;
    /// `zmq_recvmsg(3)`: the older spelling of `zmq_msg_recv` with swapped arguments.
    pub fn zmq_recvmsg(s_: *mut c_void, msg_: *mut zmq_msg_t, flags_: c_int) -> c_int;
    /// `zmq_poll(3)`: wait for events on sockets and file descriptors.
    pub fn zmq_poll(items_: *mut zmq_pollitem_t, nitems_: c_int, timeout_: c_long) -> c_int;
}

/// Declares each `ZMQ_*` constant as `u32` (zmq-sys 0.12's type for them), with the value
/// zmq4-sys took from libzmq 4.3.5's `zmq.h`.
macro_rules! u32_constants {
    ($($name:ident),* $(,)?) => {
        $(
            #[doc = concat!("`", stringify!($name), "` from `zmq.h`, as `u32`.")]
            pub const $name: u32 = zmq4_sys::$name as u32;
        )*
    };
}

u32_constants!(
    // Context options and their defaults.
    ZMQ_HAUSNUMERO,
    ZMQ_IO_THREADS,
    ZMQ_MAX_SOCKETS,
    ZMQ_SOCKET_LIMIT,
    ZMQ_THREAD_PRIORITY,
    ZMQ_THREAD_SCHED_POLICY,
    ZMQ_MAX_MSGSZ,
    ZMQ_MSG_T_SIZE,
    ZMQ_THREAD_AFFINITY_CPU_ADD,
    ZMQ_THREAD_AFFINITY_CPU_REMOVE,
    ZMQ_THREAD_NAME_PREFIX,
    ZMQ_IO_THREADS_DFLT,
    ZMQ_MAX_SOCKETS_DFLT,
    // Socket types.
    ZMQ_PAIR,
    ZMQ_PUB,
    ZMQ_SUB,
    ZMQ_REQ,
    ZMQ_REP,
    ZMQ_DEALER,
    ZMQ_ROUTER,
    ZMQ_PULL,
    ZMQ_PUSH,
    ZMQ_XPUB,
    ZMQ_XSUB,
    ZMQ_STREAM,
    // Socket options.
    ZMQ_AFFINITY,
    ZMQ_ROUTING_ID,
    ZMQ_SUBSCRIBE,
    ZMQ_UNSUBSCRIBE,
    ZMQ_RATE,
    ZMQ_RECOVERY_IVL,
    ZMQ_SNDBUF,
    ZMQ_RCVBUF,
    ZMQ_RCVMORE,
    ZMQ_FD,
    ZMQ_EVENTS,
    ZMQ_TYPE,
    ZMQ_LINGER,
    ZMQ_RECONNECT_IVL,
    ZMQ_BACKLOG,
    ZMQ_RECONNECT_IVL_MAX,
    ZMQ_MAXMSGSIZE,
    ZMQ_SNDHWM,
    ZMQ_RCVHWM,
    ZMQ_MULTICAST_HOPS,
    ZMQ_RCVTIMEO,
    ZMQ_SNDTIMEO,
    ZMQ_LAST_ENDPOINT,
    ZMQ_ROUTER_MANDATORY,
    ZMQ_TCP_KEEPALIVE,
    ZMQ_TCP_KEEPALIVE_CNT,
    ZMQ_TCP_KEEPALIVE_IDLE,
    ZMQ_TCP_KEEPALIVE_INTVL,
    ZMQ_IMMEDIATE,
    ZMQ_XPUB_VERBOSE,
    ZMQ_ROUTER_RAW,
    ZMQ_IPV6,
    ZMQ_MECHANISM,
    ZMQ_PLAIN_SERVER,
    ZMQ_PLAIN_USERNAME,
    ZMQ_PLAIN_PASSWORD,
    ZMQ_CURVE_SERVER,
    ZMQ_CURVE_PUBLICKEY,
    ZMQ_CURVE_SECRETKEY,
    ZMQ_CURVE_SERVERKEY,
    ZMQ_PROBE_ROUTER,
    ZMQ_REQ_CORRELATE,
    ZMQ_REQ_RELAXED,
    ZMQ_CONFLATE,
    ZMQ_ZAP_DOMAIN,
    ZMQ_ROUTER_HANDOVER,
    ZMQ_TOS,
    ZMQ_CONNECT_ROUTING_ID,
    ZMQ_GSSAPI_SERVER,
    ZMQ_GSSAPI_PRINCIPAL,
    ZMQ_GSSAPI_SERVICE_PRINCIPAL,
    ZMQ_GSSAPI_PLAINTEXT,
    ZMQ_HANDSHAKE_IVL,
    ZMQ_SOCKS_PROXY,
    ZMQ_XPUB_NODROP,
    ZMQ_BLOCKY,
    ZMQ_XPUB_MANUAL,
    ZMQ_XPUB_WELCOME_MSG,
    ZMQ_STREAM_NOTIFY,
    ZMQ_INVERT_MATCHING,
    ZMQ_HEARTBEAT_IVL,
    ZMQ_HEARTBEAT_TTL,
    ZMQ_HEARTBEAT_TIMEOUT,
    ZMQ_XPUB_VERBOSER,
    ZMQ_CONNECT_TIMEOUT,
    ZMQ_TCP_MAXRT,
    ZMQ_THREAD_SAFE,
    ZMQ_MULTICAST_MAXTPDU,
    ZMQ_VMCI_BUFFER_SIZE,
    ZMQ_VMCI_BUFFER_MIN_SIZE,
    ZMQ_VMCI_BUFFER_MAX_SIZE,
    ZMQ_VMCI_CONNECT_TIMEOUT,
    ZMQ_USE_FD,
    ZMQ_GSSAPI_PRINCIPAL_NAMETYPE,
    ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE,
    ZMQ_BINDTODEVICE,
    // Message options, send/recv flags, security mechanisms.
    ZMQ_MORE,
    ZMQ_SHARED,
    ZMQ_DONTWAIT,
    ZMQ_SNDMORE,
    ZMQ_NULL,
    ZMQ_PLAIN,
    ZMQ_CURVE,
    ZMQ_GSSAPI,
    ZMQ_GROUP_MAX_LENGTH,
    // Socket monitor events.
    ZMQ_EVENT_CONNECTED,
    ZMQ_EVENT_CONNECT_DELAYED,
    ZMQ_EVENT_CONNECT_RETRIED,
    ZMQ_EVENT_LISTENING,
    ZMQ_EVENT_BIND_FAILED,
    ZMQ_EVENT_ACCEPTED,
    ZMQ_EVENT_ACCEPT_FAILED,
    ZMQ_EVENT_CLOSED,
    ZMQ_EVENT_CLOSE_FAILED,
    ZMQ_EVENT_DISCONNECTED,
    ZMQ_EVENT_MONITOR_STOPPED,
    ZMQ_EVENT_ALL,
    ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL,
    ZMQ_EVENT_HANDSHAKE_SUCCEEDED,
    ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL,
    ZMQ_EVENT_HANDSHAKE_FAILED_AUTH,
    ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED,
    ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND,
    ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE,
    ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE,
    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED,
    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE,
    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO,
    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE,
    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR,
    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY,
    ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME,
    ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA,
    ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC,
    ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH,
    ZMQ_PROTOCOL_ERROR_ZAP_UNSPECIFIED,
    ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY,
    ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID,
    ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION,
    ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE,
    ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA,
    // zmq_poll events and the default poll array size.
    ZMQ_POLLIN,
    ZMQ_POLLOUT,
    ZMQ_POLLERR,
    ZMQ_POLLPRI,
    ZMQ_POLLITEMS_DFLT,
);

/// `ZMQ_THREAD_PRIORITY_DFLT` from `zmq.h` (-1: leave the OS default), as `i32`.
pub const ZMQ_THREAD_PRIORITY_DFLT: i32 = zmq4_sys::ZMQ_THREAD_PRIORITY_DFLT;
/// `ZMQ_THREAD_SCHED_POLICY_DFLT` from `zmq.h` (-1: leave the OS default), as `i32`.
pub const ZMQ_THREAD_SCHED_POLICY_DFLT: i32 = zmq4_sys::ZMQ_THREAD_SCHED_POLICY_DFLT;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_the_libzmq_of_zmq4_sys() {
        let (mut major, mut minor, mut patch) = (0, 0, 0);
        // SAFETY: zmq_version writes three ints through valid, exclusive pointers.
        unsafe { zmq_version(&mut major, &mut minor, &mut patch) };
        assert_eq!((major, minor, patch), (4, 3, 5));
        // This crate's own declaration and zmq4-sys's resolve to the same symbol: one libzmq.
        assert_eq!(
            zmq_msg_init as *const () as usize,
            zmq4_sys::zmq_msg_init as *const () as usize
        );
    }

    #[test]
    fn message_round_trip_through_own_declarations() {
        let mut msg = zmq_msg_t::default();
        // SAFETY: msg is valid storage; it is initialised before use and closed once.
        unsafe {
            assert_eq!(zmq_msg_init_size(&mut msg, 3), 0);
            std::ptr::copy_nonoverlapping(b"abc".as_ptr(), zmq_msg_data(&mut msg).cast(), 3);
            assert_eq!(zmq_msg_size(&msg), 3);
            assert_eq!(zmq_msg_more(&msg), 0);
            assert_eq!(zmq_msg_close(&mut msg), 0);
        }
    }

    #[test]
    fn pair_over_inproc_polls_and_receives() {
        // SAFETY: every pointer passed is a live context, socket or message of this test;
        // each message is initialised before use and closed once; sockets close before the
        // context terminates.
        unsafe {
            let ctx = zmq_ctx_new();
            assert!(!ctx.is_null());
            let a = zmq_socket(ctx, ZMQ_PAIR as i32);
            let b = zmq_socket(ctx, ZMQ_PAIR as i32);
            assert_eq!(zmq_bind(a, c"inproc://zmq-sys-test".as_ptr()), 0);
            assert_eq!(zmq_connect(b, c"inproc://zmq-sys-test".as_ptr()), 0);

            let mut out = zmq_msg_t::default();
            assert_eq!(zmq_msg_init_size(&mut out, 5), 0);
            std::ptr::copy_nonoverlapping(b"hello".as_ptr(), zmq_msg_data(&mut out).cast(), 5);
            assert_eq!(zmq_msg_send(&mut out, b, 0), 5);
            assert_eq!(zmq_msg_close(&mut out), 0);

            let mut items = [zmq_pollitem_t {
                socket: a,
                events: ZMQ_POLLIN as i16,
                ..Default::default()
            }];
            assert_eq!(zmq_poll(items.as_mut_ptr(), 1, 5000), 1);
            assert_eq!(items[0].revents, ZMQ_POLLIN as i16);

            let mut msg = zmq_msg_t::default();
            assert_eq!(zmq_msg_init(&mut msg), 0);
            assert_eq!(zmq_msg_recv(&mut msg, a, ZMQ_DONTWAIT as i32), 5);
            let data = std::slice::from_raw_parts(zmq_msg_data(&mut msg).cast::<u8>(), 5);
            assert_eq!(data, b"hello");
            assert_eq!(zmq_msg_close(&mut msg), 0);

            // Nothing more: EAGAIN, reported under the errno module's name.
            let mut buf = [0u8; 8];
            let rc = zmq_recv(a, buf.as_mut_ptr().cast(), buf.len(), ZMQ_DONTWAIT as i32);
            assert_eq!((rc, zmq_errno()), (-1, errno::EAGAIN));

            assert_eq!(zmq_close(a), 0);
            assert_eq!(zmq_close(b), 0);
            assert_eq!(zmq_ctx_term(ctx), 0);
        }
    }

    #[test]
    fn alt_errno_values_follow_hausnumero() {
        assert_eq!(errno::ENOTSUP_ALT, ZMQ_HAUSNUMERO as i32 + 1);
        assert_eq!(errno::ENETRESET_ALT, ZMQ_HAUSNUMERO as i32 + 18);
        assert_eq!(errno::ETERM, zmq4_sys::ETERM);
    }
}
