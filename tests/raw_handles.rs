//! Raw handles (`zmq4::raw`): sockets, contexts and messages given up to the C API and taken
//! back, with ownership checked by what libzmq does (a context's termination returns only
//! once every socket is closed).

use std::sync::mpsc;
use std::thread;
use std::time::Duration;
use zmq4::{sys, Context, Error, Message, RecvFlags, SendFlags, Socket, SocketType};

/// Terminates `ctx` on another thread and says whether it finished within `limit`: it does
/// only when every socket of the context is closed.
fn terminates_within(ctx: Context, limit: Duration) -> bool {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(ctx.term());
    });
    matches!(rx.recv_timeout(limit), Ok(Ok(())))
}

#[test]
fn socket_given_up_is_not_closed_and_comes_back() {
    let ctx = Context::new();
    let a = ctx.socket(SocketType::Pair).unwrap();
    a.set_linger(0).unwrap();
    a.bind("inproc://raw-roundtrip").unwrap();
    let b = ctx.socket(SocketType::Pair).unwrap();
    b.set_linger(0).unwrap();
    b.set_rcvtimeo(5000).unwrap();
    b.connect("inproc://raw-roundtrip").unwrap();

    let (raw, handle) = a.into_raw();
    // SAFETY: a live socket that nothing else uses; the buffer outlives the call.
    let sent = unsafe { sys::zmq_send(raw, b"raw".as_ptr().cast(), 3, 0) };
    assert_eq!(sent, 3, "the raw socket is still open after into_raw");
    assert_eq!(b.recv_bytes(RecvFlags::empty()).unwrap(), b"raw");

    // SAFETY: made in `handle`'s context, given up above, used by nothing else now.
    let a = unsafe { Socket::from_raw(&handle, raw) }.unwrap();
    a.send("adopted", SendFlags::empty()).unwrap();
    assert_eq!(b.recv_bytes(RecvFlags::empty()).unwrap(), b"adopted");
    drop((a, b, handle));
    assert!(terminates_within(ctx, Duration::from_secs(10)));
}

#[test]
fn adopted_c_socket_is_closed_on_drop() {
    let ctx = Context::new();
    // SAFETY: a live context pointer and a valid socket type.
    let raw = unsafe { sys::zmq_socket(ctx.as_raw().unwrap(), sys::ZMQ_DEALER) };
    assert!(!raw.is_null());
    // SAFETY: made in ctx just now, owned by nobody else.
    let s = unsafe { Socket::from_raw(&ctx, raw) }.unwrap();
    assert_eq!(s.socket_type().unwrap(), SocketType::Dealer);
    drop(s);
    // Termination waits for open sockets: finishing proves the drop closed it.
    assert!(terminates_within(ctx, Duration::from_secs(10)));
}

#[test]
fn raw_socket_still_open_blocks_termination_until_closed() {
    let ctx = Context::new();
    let (raw, handle) = ctx.socket(SocketType::Pub).unwrap().into_raw();
    drop(handle);
    let (tx, rx) = mpsc::channel();
    let ctx2 = ctx.clone();
    drop(ctx);
    let raw_addr = raw as usize;
    thread::spawn(move || {
        let _ = tx.send(ctx2.term());
    });
    // The C side still owns the socket: termination must wait (checked for a short while
    // only; the real assertion is that closing it releases the waiter below).
    assert!(rx.recv_timeout(Duration::from_millis(200)).is_err());
    // SAFETY: the socket given up above, closed once; zmq_close is allowed after
    // termination began (it is what termination waits for).
    assert_eq!(unsafe { sys::zmq_close(raw_addr as *mut _) }, 0);
    assert!(matches!(
        rx.recv_timeout(Duration::from_secs(10)),
        Ok(Ok(()))
    ));
}

#[test]
fn null_pointers_are_refused() {
    let ctx = Context::new();
    // SAFETY: a null pointer is checked before any use.
    let s = unsafe { Socket::from_raw(&ctx, std::ptr::null_mut()) };
    assert!(matches!(s, Err(Error::InvalidArgument)));
    // SAFETY: as above.
    let c = unsafe { Context::from_raw(std::ptr::null_mut()) };
    assert!(matches!(c, Err(Error::InvalidArgument)));
}

#[cfg(feature = "draft")]
#[test]
fn shared_adoption_checks_thread_safety() {
    let ctx = Context::new();
    let (pair, h1) = ctx.socket(SocketType::Pair).unwrap().into_raw();
    // SAFETY: a live socket of this context, owned by nobody else.
    let refused = unsafe { Socket::from_raw_shared(&h1, pair) };
    assert!(matches!(refused, Err(Error::InvalidArgument)));
    // Refused: still ours to close.
    // SAFETY: as above; closed once.
    assert_eq!(unsafe { sys::zmq_close(pair) }, 0);

    let (client, h2) = ctx.shared_socket(SocketType::Client).unwrap().into_raw();
    // SAFETY: a live CLIENT socket of this context, owned by nobody else.
    let shared = unsafe { Socket::from_raw_shared(&h2, client) }.unwrap();
    assert_eq!(shared.socket_type().unwrap(), SocketType::Client);
    drop((shared, h1, h2));
    assert!(terminates_within(ctx, Duration::from_secs(10)));
}

#[test]
fn context_into_raw_only_when_unique() {
    let ctx = Context::new();
    let sock = ctx.socket(SocketType::Pull).unwrap();
    let ctx = ctx.into_raw().expect_err("a socket holds the context");
    drop(sock);
    let clone = ctx.clone();
    let ctx = ctx.into_raw().expect_err("a clone holds the context");
    drop(clone);
    let raw = ctx.into_raw().expect("the only handle");

    // SAFETY: the live context given up above; nothing else owns it.
    let ctx = unsafe { Context::from_raw(raw) }.unwrap();
    let push = ctx.socket(SocketType::Push).unwrap();
    push.set_linger(0).unwrap();
    drop(push);
    assert!(terminates_within(ctx, Duration::from_secs(10)));

    let terminated = Context::new();
    let keep = terminated.clone();
    keep.term().unwrap();
    assert!(
        terminated.into_raw().is_err(),
        "a terminated context has no pointer"
    );
}

#[test]
fn message_moves_out_and_back_with_its_bytes() {
    let payload: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    let msg = Message::from(payload.clone());
    let mut raw = msg.into_raw();
    // SAFETY: an initialised message; only read.
    assert_eq!(unsafe { sys::zmq_msg_size(&raw) }, payload.len());
    // SAFETY: moved out above, closed by nobody; ownership returns to a Message.
    let msg = unsafe { Message::from_raw(raw) };
    assert_eq!(&msg[..], &payload[..]);

    // A message initialised by C, sent by the safe API.
    let mut c_msg = std::mem::MaybeUninit::<sys::zmq_msg_t>::uninit();
    // SAFETY: zmq_msg_init_size initialises the message it is given.
    assert_eq!(unsafe { sys::zmq_msg_init_size(c_msg.as_mut_ptr(), 2) }, 0);
    // SAFETY: initialised just now.
    raw = unsafe { c_msg.assume_init() };
    // SAFETY: the data of a 2-byte message is 2 writable bytes.
    unsafe { std::ptr::copy_nonoverlapping(b"hi".as_ptr(), sys::zmq_msg_data(&mut raw).cast(), 2) };
    // SAFETY: initialised, owned by nobody else.
    let mut msg = unsafe { Message::from_raw(raw) };
    let ctx = Context::new();
    let a = ctx.socket(SocketType::Pair).unwrap();
    a.bind("inproc://raw-msg").unwrap();
    let b = ctx.socket(SocketType::Pair).unwrap();
    b.set_rcvtimeo(5000).unwrap();
    b.connect("inproc://raw-msg").unwrap();
    a.send_msg(&mut msg, SendFlags::empty()).unwrap();
    assert_eq!(b.recv_bytes(RecvFlags::empty()).unwrap(), b"hi");
}
