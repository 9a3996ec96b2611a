//! What users of rust-zmq and of other bindings reach for, through real sockets over inproc
//! and tcp: `recv_string` with a typed error for invalid UTF-8, fixed-width values sent and
//! received as frames (`send_value` / `recv_value`) with a typed error on a frame of the
//! wrong size, `Message::as_str`, the `From` conversions, `Debug` of `Message` and `Error`,
//! and every errno libzmq reports named in `Error`.
//!
//! Every receive is bounded by RCVTIMEO (tests/common).

mod common;

use common::TIMEOUT_MS;
use zmq4::{
    Context, Error, FrameError, FrameValue, Message, RecvFlags, SendFlags, Socket, SocketType,
};

/// A connected PUSH → PULL pair over tcp on 127.0.0.1 (bounded).
fn pipe(ctx: &Context) -> (Socket, Socket) {
    let pull = common::socket(ctx, SocketType::Pull);
    let endpoint = common::bind_tcp(&pull);
    let push = common::socket(ctx, SocketType::Push);
    push.connect(&endpoint).unwrap();
    (push, pull)
}

#[test]
fn recv_string_and_invalid_utf8() {
    let ctx = Context::new();
    let (push, pull) = pipe(&ctx);
    push.send("grüße", SendFlags::empty()).unwrap();
    push.send(b"ok\xff\xfe", SendFlags::empty()).unwrap();
    push.send("", SendFlags::empty()).unwrap();
    assert_eq!(pull.recv_string(RecvFlags::empty()).unwrap(), "grüße");
    match pull.recv_string(RecvFlags::empty()) {
        Err(FrameError::InvalidUtf8 { bytes, valid_up_to }) => {
            assert_eq!(bytes, b"ok\xff\xfe");
            assert_eq!(valid_up_to, 2);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(pull.recv_string(RecvFlags::empty()).unwrap(), "");
    // A receive error is a FrameError too, and converts for `?` into Box<dyn Error>.
    let err = pull.recv_string(RecvFlags::DONTWAIT).unwrap_err();
    assert_eq!(err, FrameError::Zmq(Error::WouldBlock));
    let boxed: Box<dyn std::error::Error + Send + Sync> = err.into();
    assert!(boxed.source().is_some());
}

#[test]
fn fixed_width_values_round_trip() {
    let ctx = Context::new();
    let (push, pull) = pipe(&ctx);
    fn round_trip<T: FrameValue + PartialEq + std::fmt::Debug>(push: &Socket, pull: &Socket, v: T) {
        push.send_value(v, SendFlags::empty()).unwrap();
        let msg = pull.recv(RecvFlags::empty()).unwrap();
        assert_eq!(msg.len(), T::SIZE);
        assert_eq!(msg.to_value::<T>(), Ok(v));
        push.send_value(v, SendFlags::empty()).unwrap();
        assert_eq!(pull.recv_value::<T>(RecvFlags::empty()), Ok(v));
    }
    round_trip(&push, &pull, 0xABu8);
    round_trip(&push, &pull, -7i8);
    round_trip(&push, &pull, 0xBEEFu16);
    round_trip(&push, &pull, i16::MIN);
    round_trip(&push, &pull, 0xDEAD_BEEFu32);
    round_trip(&push, &pull, -123_456i32);
    round_trip(&push, &pull, u64::MAX - 1);
    round_trip(&push, &pull, i64::MIN);
    round_trip(&push, &pull, 1.5f32);
    round_trip(&push, &pull, -2.25e300f64);
    round_trip(&push, &pull, true);
    round_trip(&push, &pull, false);

    // Little-endian on the wire, whatever the machine.
    push.send_value(0x0102_0304u32, SendFlags::empty()).unwrap();
    assert_eq!(pull.recv_bytes(RecvFlags::empty()).unwrap(), [4, 3, 2, 1]);
    // A C peer's `zmq_send(s, &n, sizeof n, 0)`: the same bytes on x86 and ARM.
    push.send(7i32.to_le_bytes(), SendFlags::empty()).unwrap();
    assert_eq!(pull.recv_value::<i32>(RecvFlags::empty()), Ok(7));
}

#[test]
fn wrong_sizes_and_values_are_typed_errors() {
    let ctx = Context::new();
    let (push, pull) = pipe(&ctx);
    // Too short, too long, empty, and far longer than any value (the frame is consumed).
    for (frame, expected) in [
        (vec![1u8, 2, 3], 4usize),
        (vec![0; 8], 4),
        (vec![], 4),
        (vec![9; 1000], 4),
    ] {
        push.send(&frame, SendFlags::empty()).unwrap();
        assert_eq!(
            pull.recv_value::<u32>(RecvFlags::empty()),
            Err(FrameError::WrongSize {
                expected,
                actual: frame.len()
            })
        );
    }
    push.send([2u8], SendFlags::empty()).unwrap();
    assert_eq!(
        pull.recv_value::<bool>(RecvFlags::empty()),
        Err(FrameError::InvalidValue)
    );
    push.send_value(5u64, SendFlags::empty()).unwrap();
    let err = pull.recv_value::<u16>(RecvFlags::empty()).unwrap_err();
    assert_eq!(err.to_string(), "frame of 8 bytes, expected 2");
    assert_eq!(
        pull.recv_value::<u16>(RecvFlags::DONTWAIT),
        Err(FrameError::Zmq(Error::WouldBlock))
    );
    // The error of a blocking receive that timed out.
    pull.set_rcvtimeo(10).unwrap();
    assert_eq!(
        pull.recv_value::<u16>(RecvFlags::empty()),
        Err(FrameError::Zmq(Error::TimedOut))
    );
    pull.set_rcvtimeo(TIMEOUT_MS).unwrap();
}

#[test]
fn message_text_and_conversions() {
    let bytes = vec![104u8, 105];
    let from_ref = Message::from(&bytes);
    let from_owned = Message::from(bytes.clone());
    let text = String::from("hi");
    assert_eq!(from_ref, from_owned);
    assert_eq!(Message::from(&text), Message::from(text.clone()));
    assert_eq!(Message::from([104u8, 105]), from_ref);
    assert_eq!(Message::from(&from_ref), from_ref);
    assert_eq!(from_ref.as_str(), Some("hi"));
    assert_eq!(Message::from(&[0x80u8][..]).as_str(), None);
    assert_eq!(Message::new().as_str(), Some(""));

    // Each converts where a socket takes `Into<Message>`.
    let ctx = Context::new();
    let (push, pull) = pipe(&ctx);
    push.send_multipart(
        [
            Message::from(&bytes),
            Message::from(&text),
            Message::from([1u8, 2]),
        ],
        SendFlags::empty(),
    )
    .unwrap();
    let parts = pull.recv_multipart(RecvFlags::empty()).unwrap();
    assert_eq!(parts[0].as_str(), Some("hi"));
    assert_eq!(parts[1].as_str(), Some("hi"));
    assert_eq!(&parts[2][..], [1, 2]);
}

#[test]
fn message_debug_shows_a_bounded_escaped_preview() {
    let ctx = Context::new();
    let (push, pull) = pipe(&ctx);
    push.send_multipart(
        [&b"hello"[..], b"a\"b\\c\n\x00\xff", &[b'x'; 100][..]],
        SendFlags::empty(),
    )
    .unwrap();
    let parts = pull.recv_multipart(RecvFlags::empty()).unwrap();
    assert_eq!(
        format!("{:?}", parts[0]),
        r#"Message { len: 5, more: true, data: b"hello" }"#
    );
    assert_eq!(
        format!("{:?}", parts[1]),
        r#"Message { len: 8, more: true, data: b"a\"b\\c\n\x00\xff" }"#
    );
    let long = format!("{:?}", parts[2]);
    assert_eq!(
        long,
        format!(
            r#"Message {{ len: 100, more: false, data: b"{}"… }}"#,
            "x".repeat(32)
        )
    );
    assert_eq!(
        format!("{:?}", Message::new()),
        r#"Message { len: 0, more: false, data: b"" }"#
    );
}

#[test]
fn error_debug_names_variant_errno_and_message() {
    assert_eq!(
        format!("{:?}", Error::InvalidArgument),
        format!(
            "InvalidArgument {{ errno: {}, message: \"Invalid argument\" }}",
            libc::EINVAL
        )
    );
    let timed_out = format!("{:?}", Error::TimedOut);
    assert!(timed_out.starts_with("TimedOut { errno: "), "{timed_out}");
    let other = format!("{:?}", Error::Other(9999));
    assert!(
        other.starts_with("Other { errno: 9999, message: "),
        "{other}"
    );
    // Through a real failure.
    let ctx = Context::new();
    let sock = ctx.socket(SocketType::Req).unwrap();
    let err = sock.recv(RecvFlags::empty()).unwrap_err();
    assert_eq!(err, Error::InvalidState);
    assert!(format!("{err:?}").starts_with("InvalidState { errno: "));
}

/// Every errno libzmq sets itself or passes on from the system (bind, accept, connect,
/// read and write on a connection, ipc paths) has a variant of its own, and maps back.
#[test]
fn every_errno_libzmq_reports_is_named() {
    let reported = [
        libc::EINTR,
        libc::EHOSTUNREACH,
        libc::EADDRINUSE,
        libc::EADDRNOTAVAIL,
        libc::ENODEV,
        libc::EPROTONOSUPPORT,
        libc::EINVAL,
        libc::ENOTSOCK,
        libc::EMSGSIZE,
        libc::ENOTSUP,
        libc::ECONNREFUSED,
        libc::ENOBUFS,
        libc::ENOENT,
        libc::ENOMEM,
        libc::EFAULT,
        libc::EMFILE,
        libc::ENFILE,
        libc::ENETDOWN,
        libc::ENETUNREACH,
        libc::ENETRESET,
        libc::ECONNABORTED,
        libc::ECONNRESET,
        libc::ENOTCONN,
        libc::ETIMEDOUT,
        libc::EINPROGRESS,
        libc::EAFNOSUPPORT,
        libc::EACCES,
        libc::EBADF,
        libc::EPROTO,
        libc::EPIPE,
        libc::EBUSY,
        libc::EPERM,
        libc::ENOPROTOOPT,
        libc::EISCONN,
        libc::EDESTADDRREQ,
        libc::ERANGE,
        libc::ENAMETOOLONG,
        libc::ENOTDIR,
        libc::EROFS,
        libc::ELOOP,
        libc::EEXIST,
        libc::EIO,
        libc::ENOSPC,
        zmq4::sys::ETERM,
        zmq4::sys::EFSM,
        zmq4::sys::ENOCOMPATPROTO,
        zmq4::sys::EMTHREAD,
    ];
    for errno in reported {
        let e = Error::from_errno(errno);
        assert!(!matches!(e, Error::Other(_)), "errno {errno} unnamed");
        assert_eq!(e.errno(), errno);
    }
    assert_eq!(Error::from_errno(libc::EPIPE), Error::BrokenPipe);
    assert_eq!(Error::from_errno(libc::EPROTO), Error::Protocol);
    assert_eq!(Error::from_errno(libc::EAGAIN), Error::WouldBlock);
}

/// An ipc path under a regular file: libzmq passes the system's ENOTDIR on, by name.
#[cfg(unix)]
#[test]
fn system_errno_from_bind_is_named() {
    let file =
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(common::unique_name("not-a-dir"));
    std::fs::write(&file, b"").unwrap();
    let ctx = Context::new();
    let sock = ctx.socket(SocketType::Pull).unwrap();
    let err = sock
        .bind(&format!("ipc://{}/sock", file.display()))
        .unwrap_err();
    assert_eq!(err, Error::NotADirectory, "{err:?}");
    std::fs::remove_file(&file).unwrap();
}
