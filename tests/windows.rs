//! The Windows-only pieces of libzmq and of the safe API: descriptors are Winsock `SOCKET`s
//! (`RawDescriptor` = `RawSocket`), libzmq's Windows signaler (a loopback TCP socket pair)
//! behind `ZMQ_FD`, `WSAPoll` behind `zmq_poll` for raw descriptors, `ZMQ_USE_FD` as an `int`,
//! and the build's Windows configuration (no ipc:// with MinGW). Run under wine by
//! ci/cross-windows.sh.
#![cfg(windows)]

mod common;

use common::{TIMEOUT, TIMEOUT_MS};
use std::net::{TcpListener, TcpStream};
use std::os::windows::io::{AsRawSocket, OwnedSocket, RawSocket};
use std::time::Instant;
use zmq4::poll::{poll, PollEvents, PollItem};
use zmq4::{Capability, Context, RawDescriptor, RecvFlags, SendFlags, SocketType};

const SOL_SOCKET: i32 = 0xffff;
const SO_TYPE: i32 = 0x1008;
const SOCK_STREAM: i32 = 1;

#[link(name = "ws2_32")]
extern "system" {
    fn getsockopt(s: usize, level: i32, name: i32, value: *mut u8, len: *mut i32) -> i32;
}

/// `SO_TYPE` of a Winsock socket, or None when `s` is not one.
fn socket_type(s: RawSocket) -> Option<i32> {
    let mut value = 0i32;
    let mut len = std::mem::size_of::<i32>() as i32;
    // SAFETY: `value` is writable for `len` bytes; getsockopt fails cleanly (WSAENOTSOCK) on a
    // value that is not a socket.
    let rc = unsafe {
        getsockopt(
            s as usize,
            SOL_SOCKET,
            SO_TYPE,
            (&mut value as *mut i32).cast(),
            &mut len,
        )
    };
    (rc == 0).then_some(value)
}

#[test]
fn raw_descriptor_is_raw_socket() {
    let same: fn(RawDescriptor) -> RawSocket = |s| s;
    assert_eq!(same(7), 7);
}

/// ZMQ_FD is the read end of libzmq's Windows signaler: a real Winsock stream socket.
#[test]
fn zmq_fd_is_a_winsock_socket() {
    let ctx = Context::new();
    let s = ctx.socket(SocketType::Pull).unwrap();
    let fd: RawSocket = s.fd().unwrap();
    assert_ne!(fd, !0, "INVALID_SOCKET");
    assert_eq!(socket_type(fd), Some(SOCK_STREAM));
    // Reading it twice gives the same mailbox descriptor.
    assert_eq!(s.fd().unwrap(), fd);
}

/// The signaler through a poll on ZMQ_FD: a message arriving makes the descriptor readable
/// (edge-triggered: ZMQ_EVENTS then says POLLIN), polled with WSAPoll as a raw item.
#[test]
fn signaler_wakes_a_poll_on_zmq_fd() {
    let ctx = Context::new();
    let pull = ctx.socket(SocketType::Pull).unwrap();
    pull.set_rcvtimeo(TIMEOUT_MS).unwrap();
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let endpoint = pull.last_endpoint().unwrap();
    let push = ctx.socket(SocketType::Push).unwrap();
    push.set_sndtimeo(TIMEOUT_MS).unwrap();
    push.connect(&endpoint).unwrap();

    let fd = pull.fd().unwrap();
    // Drain the pending edge (the connection's own commands) before waiting for the message.
    let _ = pull.events().unwrap();
    push.send("ping", SendFlags::empty()).unwrap();
    let deadline = Instant::now() + TIMEOUT;
    loop {
        // ZMQ_EVENTS processes pending commands and resets the signaler's edge.
        if pull.events().unwrap().contains(PollEvents::POLLIN) {
            break;
        }
        assert!(Instant::now() < deadline, "no POLLIN within {TIMEOUT:?}");
        let mut items = [PollItem::from_fd(fd, PollEvents::POLLIN)];
        let left = deadline
            .saturating_duration_since(Instant::now())
            .as_millis() as i64;
        poll(&mut items, left).unwrap();
    }
    assert_eq!(pull.recv_bytes(RecvFlags::DONTWAIT).unwrap(), b"ping");
}

/// A raw Winsock socket through zmq_pollitem_t's `fd` (a zmq_fd_t) and back, and WSAPoll
/// reporting a pending connection on a listener as readable.
#[test]
fn poll_item_fd_round_trip_with_a_raw_socket() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let raw = listener.as_raw_socket();
    let mut items = [PollItem::from_fd(raw, PollEvents::POLLIN)];
    assert_eq!(items[0].fd(), Some(raw));
    assert_eq!(poll(&mut items, 0).unwrap(), 0);
    let _client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    assert_eq!(poll(&mut items, TIMEOUT_MS as i64).unwrap(), 1);
    assert!(items[0].is_readable());
    assert_eq!(items[0].fd(), Some(raw));
}

/// The draft Poller with a raw Winsock socket (zmq_poller_add_fd takes a zmq_fd_t).
#[cfg(feature = "draft")]
#[test]
fn poller_add_fd_with_a_raw_socket() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let raw = listener.as_raw_socket();
    let mut poller = zmq4::poll::Poller::<u32>::new().unwrap();
    let key = poller.add_fd(raw, PollEvents::POLLIN, 7).unwrap();
    assert_eq!(poller.key_of_fd(raw), Some(key));
    let _client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let event = poller.wait(TIMEOUT_MS as i64).unwrap().expect("an event");
    assert_eq!(event.fd(), Some(raw));
    assert!(event.events().contains(PollEvents::POLLIN));
    assert_eq!(poller.remove_fd(raw).unwrap(), 7);
}

/// ZMQ_USE_FD: the socket takes an `OwnedSocket` (libzmq stores its number in an `int`, -1:
/// none) and reads back the `RawSocket` it holds, -1 as INVALID_SOCKET. A listener handed over
/// this way serves a real connection; `None` clears the option.
#[test]
fn use_fd_takes_an_owned_socket() {
    let ctx = Context::new();
    let pull = ctx.socket(SocketType::Pull).unwrap();
    assert_eq!(pull.use_fd().unwrap(), !0, "unset reads as INVALID_SOCKET");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let raw = listener.as_raw_socket();
    pull.set_use_fd(Some(OwnedSocket::from(listener))).unwrap();
    assert_eq!(pull.use_fd().unwrap(), raw);
    pull.set_rcvtimeo(TIMEOUT_MS).unwrap();
    // With ZMQ_USE_FD, bind adopts the listener instead of creating one.
    pull.bind(&format!("tcp://{addr}")).unwrap();
    let push = ctx.socket(SocketType::Push).unwrap();
    push.set_sndtimeo(TIMEOUT_MS).unwrap();
    push.connect(&format!("tcp://{addr}")).unwrap();
    push.send("over a handed-over listener", SendFlags::empty())
        .unwrap();
    assert_eq!(
        pull.recv_bytes(RecvFlags::empty()).unwrap(),
        b"over a handed-over listener"
    );
    let other = ctx.socket(SocketType::Pull).unwrap();
    other.set_use_fd(None).unwrap();
    assert_eq!(other.use_fd().unwrap(), !0, "None clears it");
}

/// The build's Windows configuration, as zmq_has reports it: ipc:// with MSVC only (libzmq's
/// ipc_address.hpp cannot build it with MinGW), CURVE and the draft API per features.
#[test]
fn capabilities_follow_the_windows_build() {
    assert_eq!(zmq4::has(Capability::Ipc), cfg!(target_env = "msvc"));
    assert_eq!(zmq4::has(Capability::Curve), cfg!(feature = "curve"));
    assert_eq!(zmq4::has(Capability::Draft), cfg!(feature = "draft"));
    assert!(!zmq4::has(Capability::Tipc));
}

/// ipc:// without the transport compiled in is a typed error, not a crash.
#[cfg(not(target_env = "msvc"))]
#[test]
fn ipc_is_a_typed_error_with_mingw() {
    let ctx = Context::new();
    let s = ctx.socket(SocketType::Pair).unwrap();
    assert_eq!(
        s.bind("ipc://zmq4-windows-test").unwrap_err(),
        zmq4::Error::ProtocolNotSupported
    );
}
