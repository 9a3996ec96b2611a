//! Monitor events provoked through real sockets over tcp on 127.0.0.1. Every wait is bounded
//! by the monitor socket's RCVTIMEO.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};
use zmq4::monitor::{Event, Monitor, MonitorEvent, MonitorEvents, ProtocolError};
use zmq4::{Context, RecvFlags, SendFlags, Socket, SocketType};

const WAIT_MS: i32 = 5000;

/// Receives events until one matches, failing after the deadline; returns it.
fn expect_event(monitor: &Monitor, what: &str, pred: impl Fn(&Event) -> bool) -> MonitorEvent {
    let deadline = Instant::now() + Duration::from_millis(WAIT_MS as u64);
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        match monitor.recv() {
            Ok(ev) if pred(&ev.event) => return ev,
            Ok(ev) => seen.push(ev.event),
            Err(e) => panic!("waiting for {what}: {e} (seen so far: {seen:?})"),
        }
    }
    panic!("no {what} event within {WAIT_MS} ms; seen: {seen:?}");
}

fn monitor(socket: &Socket, events: MonitorEvents) -> Monitor {
    let m = socket.monitor_events(events).unwrap();
    m.socket().set_rcvtimeo(WAIT_MS).unwrap();
    m
}

fn bound(ctx: &Context, ty: SocketType) -> (Socket, String) {
    let s = ctx.socket(ty).unwrap();
    s.set_linger(0).unwrap();
    s.bind("tcp://127.0.0.1:*").unwrap();
    let ep = s.last_endpoint().unwrap();
    (s, ep)
}

/// A TCP port on 127.0.0.1 with nothing listening (bound then released).
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn listening_accepted_connected_handshake_disconnected_closed() {
    let ctx = Context::new();
    let server = ctx.socket(SocketType::Rep).unwrap();
    server.set_linger(0).unwrap();
    let smon = monitor(&server, MonitorEvents::ALL_V1);
    server.bind("tcp://127.0.0.1:*").unwrap();
    let ep = server.last_endpoint().unwrap();
    let ev = expect_event(&smon, "LISTENING", |e| matches!(e, Event::Listening { .. }));
    assert_eq!(ev.endpoint, ep);
    match ev.event {
        Event::Listening { fd } => assert!(fd > 2),
        _ => unreachable!(),
    }

    let client = ctx.socket(SocketType::Req).unwrap();
    client.set_linger(0).unwrap();
    let cmon = monitor(&client, MonitorEvents::ALL_V1);
    client.connect(&ep).unwrap();
    let ev = expect_event(&cmon, "CONNECTED", |e| matches!(e, Event::Connected { .. }));
    assert_eq!(ev.endpoint, ep);
    expect_event(&smon, "ACCEPTED", |e| matches!(e, Event::Accepted { .. }));
    expect_event(&cmon, "HANDSHAKE_SUCCEEDED", |e| {
        *e == Event::HandshakeSucceeded
    });
    expect_event(&smon, "HANDSHAKE_SUCCEEDED", |e| {
        *e == Event::HandshakeSucceeded
    });

    // A round trip works while monitored.
    client.send("ping", SendFlags::empty()).unwrap();
    server.set_rcvtimeo(WAIT_MS).unwrap();
    assert_eq!(server.recv_bytes(RecvFlags::empty()).unwrap(), b"ping");

    drop(client);
    expect_event(&smon, "DISCONNECTED", |e| {
        matches!(e, Event::Disconnected { .. })
    });

    server.unbind(&ep).unwrap();
    expect_event(&smon, "CLOSED", |e| matches!(e, Event::Closed { .. }));

    // Stopping the monitor sends MONITOR_STOPPED as the last event.
    server.monitor(None, MonitorEvents::empty()).unwrap();
    expect_event(&smon, "MONITOR_STOPPED", |e| *e == Event::MonitorStopped);
}

#[test]
fn connect_delayed_and_retried_against_a_closed_port() {
    let ctx = Context::new();
    let client = ctx.socket(SocketType::Dealer).unwrap();
    client.set_linger(0).unwrap();
    client.set_reconnect_ivl(10).unwrap();
    let mon = monitor(
        &client,
        MonitorEvents::CONNECT_DELAYED | MonitorEvents::CONNECT_RETRIED,
    );
    client
        .connect(&format!("tcp://127.0.0.1:{}", closed_port()))
        .unwrap();
    expect_event(&mon, "CONNECT_DELAYED", |e| {
        matches!(e, Event::ConnectDelayed { .. })
    });
    let ev = expect_event(&mon, "CONNECT_RETRIED", |e| {
        matches!(e, Event::ConnectRetried { .. })
    });
    match ev.event {
        Event::ConnectRetried { interval_ms } => assert!(interval_ms >= 10, "{interval_ms}"),
        _ => unreachable!(),
    }
}

#[test]
fn bind_failed_on_a_port_in_use() {
    let ctx = Context::new();
    let (_first, ep) = bound(&ctx, SocketType::Pull);
    let second = ctx.socket(SocketType::Pull).unwrap();
    second.set_linger(0).unwrap();
    assert_eq!(second.bind(&ep), Err(zmq4::Error::AddressInUse));
    let mon = monitor(&second, MonitorEvents::BIND_FAILED);
    // Publishing the event clobbers the bind's errno inside libzmq 4.3.5 (see Socket::bind):
    // the event, not the return value, carries the cause.
    assert!(second.bind(&ep).is_err());
    let ev = expect_event(&mon, "BIND_FAILED", |e| {
        matches!(e, Event::BindFailed { .. })
    });
    assert_eq!(
        ev.event,
        Event::BindFailed {
            error: zmq4::Error::AddressInUse
        }
    );
}

#[test]
fn handshake_failed_protocol_on_a_wrong_mechanism_from_a_raw_peer() {
    let ctx = Context::new();
    let (server, ep) = bound(&ctx, SocketType::Pull);
    let mon = monitor(&server, MonitorEvents::HANDSHAKE_FAILED_PROTOCOL);
    let addr = ep.trim_start_matches("tcp://");
    let mut peer = TcpStream::connect(addr).unwrap();
    peer.set_read_timeout(Some(Duration::from_millis(WAIT_MS as u64)))
        .unwrap();
    // A ZMTP 3.0 greeting announcing the PLAIN mechanism to a NULL server.
    let mut greeting = vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 3, 0];
    let mut mechanism = [0u8; 20];
    mechanism[..5].copy_from_slice(b"PLAIN");
    greeting.extend_from_slice(&mechanism);
    greeting.push(0); // as-server
    greeting.extend_from_slice(&[0u8; 31]);
    peer.write_all(&greeting).unwrap();
    let ev = expect_event(&mon, "HANDSHAKE_FAILED_PROTOCOL", |e| {
        matches!(e, Event::HandshakeFailedProtocol { .. })
    });
    assert_eq!(
        ev.event,
        Event::HandshakeFailedProtocol {
            code: ProtocolError::ZmtpMechanismMismatch
        }
    );
    // The socket stays usable: a proper peer still gets through.
    let push = ctx.socket(SocketType::Push).unwrap();
    push.set_linger(0).unwrap();
    push.connect(&ep).unwrap();
    push.send("after", SendFlags::empty()).unwrap();
    server.set_rcvtimeo(WAIT_MS).unwrap();
    assert_eq!(server.recv_bytes(RecvFlags::empty()).unwrap(), b"after");
    let mut rest = Vec::new();
    let _ = peer.read_to_end(&mut rest);
}

#[test]
fn handshake_failed_no_detail_on_a_truncated_greeting() {
    let ctx = Context::new();
    let (server, ep) = bound(&ctx, SocketType::Pull);
    let mon = monitor(
        &server,
        MonitorEvents::HANDSHAKE_FAILED_NO_DETAIL | MonitorEvents::HANDSHAKE_FAILED_PROTOCOL,
    );
    let mut peer = TcpStream::connect(ep.trim_start_matches("tcp://")).unwrap();
    // Nine of the ten bytes of a ZMTP signature, then EOF: the connection breaks during the
    // greeting, which libzmq reports without detail (an errno).
    peer.write_all(&[0xFF, 0, 0, 0, 0, 0, 0, 0, 1]).unwrap();
    drop(peer);
    let ev = expect_event(&mon, "HANDSHAKE_FAILED_NO_DETAIL", |e| {
        matches!(e, Event::HandshakeFailedNoDetail { .. })
    });
    // libzmq reads EOF as EPIPE; if its own greeting reached the closed socket first, the
    // kernel answered with a reset and the read sees ECONNRESET.
    let Event::HandshakeFailedNoDetail { error } = ev.event else {
        unreachable!()
    };
    // Both are named variants, not `Error::Other(errno)`.
    assert!(
        matches!(
            error,
            zmq4::Error::BrokenPipe | zmq4::Error::ConnectionReset
        ),
        "{error:?}"
    );
    assert!([libc::EPIPE, libc::ECONNRESET].contains(&error.errno()));
}

/// A minimal ZAP handler that refuses everyone with status 400.
fn refuse_all_zap(ctx: &Context) -> std::thread::JoinHandle<()> {
    let zap = ctx.socket(SocketType::Rep).unwrap();
    zap.bind("inproc://zeromq.zap.01").unwrap();
    zap.set_rcvtimeo(WAIT_MS).unwrap();
    std::thread::spawn(move || {
        if let Ok(request) = zap.recv_multipart(RecvFlags::empty()) {
            let id = request[1].to_vec();
            let reply: Vec<Vec<u8>> = vec![
                b"1.0".to_vec(),
                id,
                b"400".to_vec(),
                b"no".to_vec(),
                vec![],
                vec![],
            ];
            zap.send_multipart(reply, SendFlags::empty()).unwrap();
        }
    })
}

#[test]
fn handshake_failed_auth_from_a_zap_refusal() {
    let ctx = Context::new();
    let zap = refuse_all_zap(&ctx);
    let server = ctx.socket(SocketType::Pull).unwrap();
    server.set_linger(0).unwrap();
    server.set_plain_server(true).unwrap();
    let mon = monitor(&server, MonitorEvents::HANDSHAKE_FAILED_AUTH);
    server.bind("tcp://127.0.0.1:*").unwrap();
    let ep = server.last_endpoint().unwrap();
    let client = ctx.socket(SocketType::Push).unwrap();
    client.set_linger(0).unwrap();
    client.set_plain_username("user").unwrap();
    client.set_plain_password("wrong").unwrap();
    client.connect(&ep).unwrap();
    let ev = expect_event(&mon, "HANDSHAKE_FAILED_AUTH", |e| {
        matches!(e, Event::HandshakeFailedAuth { .. })
    });
    assert_eq!(ev.event, Event::HandshakeFailedAuth { status_code: 400 });
    zap.join().unwrap();
}

#[cfg(feature = "draft")]
#[test]
fn version_2_events_and_pipes_stats() {
    let ctx = Context::new();
    let server = ctx.socket(SocketType::Push).unwrap();
    server.set_linger(0).unwrap();
    let mon = server.monitor_events_v2(MonitorEvents::ALL_V2).unwrap();
    mon.socket().set_rcvtimeo(WAIT_MS).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let ep = server.last_endpoint().unwrap();
    let ev = expect_event(&mon, "LISTENING", |e| matches!(e, Event::Listening { .. }));
    assert_eq!(ev.endpoint, ep);
    assert_eq!(ev.remote_endpoint.as_deref(), Some(""));

    let client = ctx.socket(SocketType::Pull).unwrap();
    client.set_linger(0).unwrap();
    client.set_rcvhwm(1).unwrap();
    client.connect(&ep).unwrap();
    let ev = expect_event(&mon, "HANDSHAKE_SUCCEEDED", |e| {
        *e == Event::HandshakeSucceeded
    });
    assert!(ev.remote_endpoint.unwrap().starts_with("tcp://127.0.0.1:"));
    // Queue messages the client does not read, then ask for statistics.
    for _ in 0..5 {
        server.send("x", SendFlags::DONTWAIT).unwrap();
    }
    server.monitor_pipes_stats().unwrap();
    // The statistics come back to the socket as commands, which it only processes when the
    // application calls into it: read ZMQ_EVENTS between short waits, as libzmq's own test does.
    mon.socket().set_rcvtimeo(10).unwrap();
    let deadline = Instant::now() + Duration::from_millis(WAIT_MS as u64);
    let ev = loop {
        assert!(
            Instant::now() < deadline,
            "no PIPES_STATS within {WAIT_MS} ms"
        );
        server.events().unwrap();
        match mon.recv() {
            Ok(ev) if matches!(ev.event, Event::PipesStats { .. }) => break ev,
            Ok(_) | Err(zmq4::Error::TimedOut) => {}
            Err(e) => panic!("waiting for PIPES_STATS: {e}"),
        }
    };
    match ev.event {
        Event::PipesStats { inbound, outbound } => {
            println!("pipes stats: inbound {inbound}, outbound {outbound}");
            assert!(inbound + outbound <= 5);
        }
        _ => unreachable!(),
    }
}

#[test]
fn malformed_and_unknown_events_never_panic() {
    assert!(MonitorEvent::parse_v1::<&[u8]>(&[]).is_err());
    assert!(MonitorEvent::parse_v1(&[&b"12345"[..], b"ep"]).is_err());
    assert!(MonitorEvent::parse_v1(&[&b"123456"[..], b"ep", b"extra"]).is_err());
    assert!(MonitorEvent::parse_v2(&[&b"12345678"[..], &9u64.to_ne_bytes(), b"a", b"b"]).is_err());
    assert!(MonitorEvent::parse_v2(&[&b"1234"[..], &0u64.to_ne_bytes(), b"a", b"b"]).is_err());
    // An event number libzmq might add later is kept, not rejected.
    let mut head = 0x8000u16.to_ne_bytes().to_vec();
    head.extend_from_slice(&7u32.to_ne_bytes());
    let ev = MonitorEvent::parse_v1(&[&head[..], b"tcp://x"]).unwrap();
    assert_eq!(
        ev.event,
        Event::Unknown {
            event: 0x8000,
            values: vec![7]
        }
    );
    let ev = MonitorEvent::parse_v2(&[
        &u64::MAX.to_ne_bytes()[..],
        &1u64.to_ne_bytes(),
        &3u64.to_ne_bytes(),
        b"local",
        b"remote",
    ])
    .unwrap();
    assert_eq!(
        ev.event,
        Event::Unknown {
            event: u64::MAX,
            values: vec![3]
        }
    );
    assert_eq!(
        Event::from_raw(
            zmq4::sys::ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL as u64,
            &[0xdead]
        ),
        Event::HandshakeFailedProtocol {
            code: ProtocolError::Other(0xdead)
        }
    );
    assert_eq!(
        Event::from_raw(zmq4::sys::ZMQ_EVENT_BIND_FAILED as u64, &[]),
        Event::BindFailed {
            error: zmq4::Error::Other(0)
        }
    );
}
