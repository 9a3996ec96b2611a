//! Faults: peers that die, restart, partition or talk nonsense; queues that fill up; sockets
//! closed with undelivered messages; contexts terminated under blocked threads. Every case
//! asserts what libzmq documents (zmq4-sys/vendor/libzmq/doc/zmq_socket.txt, zmq_setsockopt.txt) through
//! real sockets, and that our side stays usable afterwards.
//!
//! Peer processes are re-executions of this test binary (`fault_peer_entry`, selected by the
//! `ZMQ4_FAULT_PEER` environment variable); they exit when their stdin closes, so none
//! outlives the test. The partition test builds two network namespaces joined by a veth pair
//! (root only; it says SKIPPED otherwise) with addresses from 198.18.0.0/30 (RFC 2544's
//! benchmarking range) that only those namespaces own, and removes them again, also when the
//! test fails.

mod common;

#[cfg(target_os = "linux")]
use common::bounded;
use common::{recv_bytes, socket, TIMEOUT, TIMEOUT_MS};
#[cfg(target_os = "linux")]
use std::collections::BTreeMap;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
#[cfg(target_os = "linux")]
use std::process::Command;
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};
use zmq4::auth::Authenticator;
use zmq4::monitor::{Event, Monitor, MonitorEvent, MonitorEvents, ProtocolError};
use zmq4::{Context, Error, RecvFlags, SendFlags, Socket, SocketType};

const PEER_ENV: &str = "ZMQ4_FAULT_PEER";

// ---------------------------------------------------------------------------------------
// Peer processes

/// The entry point of a peer process; an ordinary (empty) test when the variable is unset.
#[test]
fn fault_peer_entry() {
    let Ok(spec) = std::env::var(PEER_ENV) else {
        return;
    };
    // Exit when the test that started us closes our stdin (or dies), and in any case after
    // a minute, so that no peer is ever left behind.
    thread::spawn(|| {
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
        std::process::exit(0);
    });
    thread::spawn(|| {
        thread::sleep(Duration::from_secs(60));
        std::process::exit(3);
    });
    let args: Vec<&str> = spec.split(' ').collect();
    let ctx = Context::new();
    match args[..] {
        // Streams [generation, seq] frames to a PULL for as long as it lives.
        ["push-stream", endpoint, generation] => {
            let push = ctx.socket(SocketType::Push).unwrap();
            push.set_linger(0).unwrap();
            push.set_sndtimeo(100).unwrap();
            push.connect(endpoint).unwrap();
            println!("READY");
            let generation: u32 = generation.parse().unwrap();
            let mut seq = 0u64;
            loop {
                let mut frame = generation.to_be_bytes().to_vec();
                frame.extend_from_slice(&seq.to_be_bytes());
                match push.send(frame, SendFlags::empty()) {
                    Ok(()) => seq += 1,
                    Err(Error::TimedOut) => {}
                    Err(e) => panic!("peer send: {e}"),
                }
            }
        }
        // Echoes requests on a REP bound to `endpoint`.
        ["rep", endpoint] => {
            let rep = ctx.socket(SocketType::Rep).unwrap();
            rep.set_linger(0).unwrap();
            rep.bind(endpoint).unwrap();
            println!("READY");
            loop {
                let m = rep.recv_multipart(RecvFlags::empty()).unwrap();
                rep.send_multipart(m, SendFlags::empty()).unwrap();
            }
        }
        _ => panic!("unknown peer spec {spec:?}"),
    }
}

/// A peer process: this test binary running `fault_peer_entry`.
struct Peer {
    child: Child,
    _stdin: ChildStdin,
    lines: Receiver<String>,
}

impl Peer {
    fn spawn(spec: &str) -> Peer {
        let mut child = common::self_command()
            .args([
                "fault_peer_entry",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(PEER_ENV, spec)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawning the peer");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let peer = Peer {
            child,
            _stdin: stdin,
            lines,
        };
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match peer.lines.recv_timeout(left) {
                // libtest prints "test fault_peer_entry ... " first, on the same line.
                Ok(l) if l.ends_with("READY") => return peer,
                Ok(_) => {}
                Err(e) => panic!("peer {spec:?} not ready: {e}"),
            }
        }
    }

    /// SIGKILL: the process dies without closing anything.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Lets `sock` notice a killed peer without the peer's operating system. Under wine, a
/// process killed while one of its threads waits in `select` can leave its sockets open in
/// wineserver (seen here: sockets in CLOSE-WAIT and ESTABLISHED owned by wineserver alone
/// after their process was gone), so no FIN ever arrives; ZMTP heartbeats time such a peer
/// out. Linux closes a killed process's sockets itself, and there the test relies on that.
fn notice_killed_peers(sock: &Socket) {
    if cfg!(windows) {
        sock.set_heartbeat_ivl(100).unwrap();
        sock.set_heartbeat_timeout(1000).unwrap();
    }
}

fn monitor(sock: &Socket, events: MonitorEvents) -> Monitor {
    let m = sock.monitor_events(events).unwrap();
    m.socket().set_rcvtimeo(TIMEOUT_MS).unwrap();
    m
}

/// How long [`expect_event`] waits: three receive timeouts, as a loaded machine (or wine,
/// which notices a killed peer's closed socket late) may take more than one.
const EVENT_WAIT: Duration = Duration::from_millis(3 * TIMEOUT_MS as u64);

/// Receives events until one matches (each receive bounded by the monitor's RCVTIMEO, all of
/// them by [`EVENT_WAIT`]).
fn expect_event(mon: &Monitor, what: &str, pred: impl Fn(&Event) -> bool) -> MonitorEvent {
    let deadline = Instant::now() + EVENT_WAIT;
    let mut seen = Vec::new();
    while Instant::now() < deadline {
        match mon.recv() {
            Ok(ev) if pred(&ev.event) => return ev,
            Ok(ev) => seen.push(ev.event),
            Err(Error::WouldBlock | Error::TimedOut) => {}
            Err(e) => panic!("waiting for {what}: {e}; seen {seen:?}"),
        }
    }
    panic!("no {what} within {EVENT_WAIT:?}; seen {seen:?}");
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn parse_stream(frame: &[u8]) -> (u32, u64) {
    assert_eq!(frame.len(), 12, "stream frame");
    (
        u32::from_be_bytes(frame[..4].try_into().unwrap()),
        u64::from_be_bytes(frame[4..].try_into().unwrap()),
    )
}

// ---------------------------------------------------------------------------------------
// Process faults

/// A connecting peer killed mid-stream (SIGKILL) and started again: our bound PULL sees the
/// connection go (DISCONNECTED) and come back (ACCEPTED, HANDSHAKE_SUCCEEDED), the new
/// process's stream arrives from its first message on, in order, and what the old one had
/// delivered arrived in order without gaps.
#[test]
fn connecting_peer_killed_mid_stream_and_restarted() {
    let ctx = Context::new();
    let pull = socket(&ctx, SocketType::Pull);
    notice_killed_peers(&pull);
    let mon = monitor(
        &pull,
        MonitorEvents::ACCEPTED | MonitorEvents::DISCONNECTED | MonitorEvents::HANDSHAKE_SUCCEEDED,
    );
    let ep = common::bind_tcp(&pull);
    let mut expect = 0;
    for generation in 1..=2u32 {
        let peer = Peer::spawn(&format!("push-stream {ep} {generation}"));
        expect_event(&mon, "ACCEPTED", |e| matches!(e, Event::Accepted { .. }));
        expect_event(&mon, "HANDSHAKE_SUCCEEDED", |e| {
            *e == Event::HandshakeSucceeded
        });
        // Skip what is left of the previous generation's stream.
        let mut next = 0u64;
        let mut got = 0;
        while got < 2000 {
            let (g, seq) = parse_stream(&recv_bytes(&pull));
            if g < generation {
                assert_eq!(seq, expect, "the old stream has no gaps");
                expect += 1;
                continue;
            }
            assert_eq!((g, seq), (generation, next), "in order, from the start");
            next += 1;
            got += 1;
        }
        peer.kill();
        // The engine reads the EOF only when the queue has room again: keep reading what is
        // left of this generation's stream while waiting for the disconnection.
        expect = next;
        let deadline = Instant::now() + EVENT_WAIT;
        'disconnected: loop {
            assert!(Instant::now() < deadline, "no DISCONNECTED after the kill");
            while let Ok(m) = pull.recv_bytes(RecvFlags::DONTWAIT) {
                assert_eq!(parse_stream(&m), (generation, expect), "no gaps");
                expect += 1;
            }
            while let Ok(ev) = mon.try_recv() {
                if matches!(ev.event, Event::Disconnected { .. }) {
                    break 'disconnected;
                }
            }
            thread::sleep(Duration::from_millis(1));
        }
    }
}

/// The listening side (a REP in another process) killed and restarted on the same port: our
/// connecting DEALER sees DISCONNECTED, retries every ZMQ_RECONNECT_IVL (the CONNECT_RETRIED
/// events carry the interval and are at least that far apart), reconnects by itself when
/// the listener is back, and requests flow again. With ZMQ_RECONNECT_IVL_MAX the intervals
/// double up to the maximum, as documented.
#[test]
fn listening_peer_restarted_reconnect_ivl_honoured() {
    let ctx = Context::new();
    let port = free_port();
    let ep = format!("tcp://127.0.0.1:{port}");
    let dealer = socket(&ctx, SocketType::Dealer);
    const IVL: i32 = 150;
    dealer.set_reconnect_ivl(IVL).unwrap();
    notice_killed_peers(&dealer);
    let mon = monitor(&dealer, MonitorEvents::ALL_V1);
    let first = Peer::spawn(&format!("rep {ep}"));
    dealer.connect(&ep).unwrap();
    let round_trip = |text: &str| {
        dealer
            .send_multipart([&b""[..], text.as_bytes()], SendFlags::empty())
            .unwrap();
        let reply = common::recv_parts(&dealer);
        assert_eq!(reply, [b"".to_vec(), text.as_bytes().to_vec()]);
    };
    round_trip("before");
    first.kill();
    expect_event(&mon, "DISCONNECTED", |e| {
        matches!(e, Event::Disconnected { .. })
    });
    // Without a maximum, each retry waits the interval plus a jitter below it.
    let mut last: Option<(Instant, u64)> = None;
    for _ in 0..4 {
        let ev = expect_event(&mon, "CONNECT_RETRIED", |e| {
            matches!(e, Event::ConnectRetried { .. })
        });
        let now = Instant::now();
        let Event::ConnectRetried { interval_ms } = ev.event else {
            unreachable!()
        };
        assert!(
            (IVL as u64..2 * IVL as u64).contains(&interval_ms),
            "interval {interval_ms} for ZMQ_RECONNECT_IVL {IVL}"
        );
        if let Some((at, ivl)) = last {
            let gap = now.duration_since(at).as_millis() as u64;
            // The retry timer fired no earlier than announced. The times are those at which
            // we read the events, so each carries the monitor's delivery latency: allow 30 ms.
            assert!(
                gap + 30 >= ivl,
                "retried after {gap} ms, announced {ivl} ms"
            );
        }
        last = Some((now, interval_ms));
    }
    let _second = Peer::spawn(&format!("rep {ep}"));
    expect_event(&mon, "CONNECTED", |e| matches!(e, Event::Connected { .. }));
    expect_event(&mon, "HANDSHAKE_SUCCEEDED", |e| {
        *e == Event::HandshakeSucceeded
    });
    round_trip("after");
    drop(_second);

    // With ZMQ_RECONNECT_IVL_MAX: 50, 100, 200, 400, 400, ... (no jitter).
    let backoff = socket(&ctx, SocketType::Dealer);
    backoff.set_reconnect_ivl(50).unwrap();
    backoff.set_reconnect_ivl_max(400).unwrap();
    let mon = monitor(&backoff, MonitorEvents::CONNECT_RETRIED);
    backoff
        .connect(&format!("tcp://127.0.0.1:{}", free_port()))
        .unwrap();
    let intervals: Vec<u64> = (0..5)
        .map(|_| match mon.recv().unwrap().event {
            Event::ConnectRetried { interval_ms } => interval_ms,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(intervals, [50, 100, 200, 400, 400]);
}

// ---------------------------------------------------------------------------------------
// Protocol faults from a raw TCP peer

/// A ZMTP 3.0 greeting announcing `mechanism`, as client.
fn greeting(mechanism: &str) -> Vec<u8> {
    let mut g = vec![0xFF, 0, 0, 0, 0, 0, 0, 0, 1, 0x7F, 3, 0];
    let mut m = [0u8; 20];
    m[..mechanism.len()].copy_from_slice(mechanism.as_bytes());
    g.extend_from_slice(&m);
    g.push(0);
    g.extend_from_slice(&[0u8; 31]);
    g
}

/// One server socket of a mechanism (CURVE: with a fresh key pair), bound on tcp.
fn secured_server(ctx: &Context, mech: &str) -> (Socket, Option<zmq4::security::CurveKeyPair>) {
    let server = socket(ctx, SocketType::Pull);
    let keys = zmq4::security::CurveKeyPair::generate().ok();
    match mech {
        "PLAIN" => server.set_plain_server(true).unwrap(),
        "CURVE" => {
            server.set_curve_server(true).unwrap();
            server.set_curve_secretkey(keys.unwrap().secret).unwrap();
        }
        _ => server.set_zap_domain("faults").unwrap(),
    }
    (server, keys)
}

/// For a server of each mechanism (with our ZAP handler attached), the bytes a faulty peer
/// sends and the typed event it must produce; after every fault, a proper client of the
/// mechanism still gets a message through the same server.
#[test]
fn garbage_truncated_and_wrong_mechanism_greetings() {
    let ctx = Context::new();
    let auth = Authenticator::start(&ctx).unwrap();
    auth.configure_plain("*", [("user", "pw")]);
    auth.configure_curve_allow_any("*");
    let curve = zmq4::has(zmq4::Capability::Curve);
    let mechs: &[&str] = if curve {
        &["NULL", "PLAIN", "CURVE"]
    } else {
        &["NULL", "PLAIN"]
    };
    for &mech in mechs {
        let wrong = if mech == "NULL" { "PLAIN" } else { "NULL" };
        let mut bad_command = greeting(mech);
        // A right greeting, then a command that is not the mechanism's first.
        bad_command.extend_from_slice(&[0x04, 6, 5, b'E', b'R', b'R', b'O', b'R']);
        let mut noise = greeting(mech);
        for (i, b) in noise[12..32].iter_mut().enumerate() {
            *b = (i as u8).wrapping_mul(37) | 0x80;
        }
        type Expect = fn(&Event) -> bool;
        let cases: Vec<(&str, Vec<u8>, Expect)> = vec![
            // Not ZMTP at all: libzmq takes a first byte other than 0xFF for a ZMTP 1.0
            // peer, and drops the connection when the rest makes no sense (for 1.0 peers it
            // reports no handshake event, only the disconnection).
            (
                "garbage",
                b"GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(8),
                |e| matches!(e, Event::Disconnected { .. }),
            ),
            // A ZMTP signature and version, then a mechanism name that is noise.
            ("garbage after the signature", noise, |e| {
                matches!(e, Event::HandshakeFailedProtocol { .. })
            }),
            ("truncated greeting", greeting(mech)[..20].to_vec(), |e| {
                matches!(e, Event::HandshakeFailedNoDetail { .. })
            }),
            ("wrong mechanism", greeting(wrong), |e| {
                *e == Event::HandshakeFailedProtocol {
                    code: ProtocolError::ZmtpMechanismMismatch,
                }
            }),
            ("unexpected command", bad_command, |e| {
                matches!(e, Event::HandshakeFailedProtocol { .. })
            }),
        ];
        let (server, keys) = secured_server(&ctx, mech);
        let ep = common::bind_tcp(&server);
        let addr = ep.trim_start_matches("tcp://").to_owned();
        for (what, bytes, expected) in cases {
            eprintln!("--- {mech} server, {what}");
            let mon = monitor(&server, MonitorEvents::ALL_V1);
            let mut peer = TcpStream::connect(&addr).unwrap();
            peer.set_read_timeout(Some(TIMEOUT)).unwrap();
            peer.write_all(&bytes).unwrap();
            if what == "truncated greeting" {
                // EOF in the middle of the greeting.
                peer.shutdown(std::net::Shutdown::Write).unwrap();
            }
            // libzmq drops the connection: the peer reads EOF (or a reset). The engine
            // published its events before it closed the descriptor.
            let mut rest = Vec::new();
            let read = peer.read_to_end(&mut rest);
            assert!(
                !matches!(&read, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
                "{what}: libzmq kept the connection open for {TIMEOUT:?}"
            );
            let mut seen = Vec::new();
            loop {
                let ev = mon
                    .recv()
                    .unwrap_or_else(|e| panic!("{what}: {e}; seen {seen:?}"));
                let end = matches!(ev.event, Event::Disconnected { .. });
                seen.push(ev.event);
                if end {
                    break;
                }
            }
            assert!(seen.iter().any(expected), "{mech} server, {what}: {seen:?}");
            assert!(
                !seen.contains(&Event::HandshakeSucceeded),
                "{what}: {seen:?}"
            );
            server.monitor(None, MonitorEvents::empty()).unwrap();
        }
        // Still usable by a proper client.
        let client = socket(&ctx, SocketType::Push);
        match mech {
            "PLAIN" => {
                client.set_plain_username("user").unwrap();
                client.set_plain_password("pw").unwrap();
            }
            "CURVE" => {
                let mine = zmq4::security::CurveKeyPair::generate().unwrap();
                client.set_curve_serverkey(keys.unwrap().public).unwrap();
                client.set_curve_publickey(mine.public).unwrap();
                client.set_curve_secretkey(mine.secret).unwrap();
            }
            _ => {}
        }
        client.connect(&ep).unwrap();
        common::send(&client, "after the faults");
        assert_eq!(recv_bytes(&server), b"after the faults");
    }
}

// ---------------------------------------------------------------------------------------
// High water marks (inproc: the queue is exactly SNDHWM + RCVHWM messages)

const HWM: i32 = 10;
const QUEUE: usize = 2 * HWM as usize;

fn hwm_pair(ctx: &Context, a: SocketType, b: SocketType) -> (Socket, Socket) {
    let sender = socket(ctx, a);
    let receiver = socket(ctx, b);
    sender.set_sndhwm(HWM).unwrap();
    receiver.set_rcvhwm(HWM).unwrap();
    // The receiver connects: its end of the pipe (and a SUB's subscriptions) is attached at
    // once, while the sender, bound, attaches its end on its first send.
    let ep = common::inproc_endpoint();
    sender.bind(&ep).unwrap();
    receiver.connect(&ep).unwrap();
    (sender, receiver)
}

/// Sends numbered frames with DONTWAIT until one fails or `max` went out; returns how many
/// were accepted and the error that stopped it.
fn fill(sender: &Socket, prefix: &[&[u8]], max: usize) -> (usize, Option<Error>) {
    for i in 0..max {
        let n = (i as u32).to_be_bytes();
        let parts = prefix.iter().copied().chain([&n[..]]);
        if let Err(e) = sender.send_multipart(parts, SendFlags::DONTWAIT) {
            return (i, Some(e));
        }
    }
    (max, None)
}

/// Receives every numbered frame queued (inproc: a finished send is already queued, so
/// DONTWAIT sees them all) and returns the numbers.
fn drain_all(receiver: &Socket) -> Vec<u32> {
    let mut got = Vec::new();
    loop {
        match receiver.recv_multipart(RecvFlags::DONTWAIT) {
            Ok(parts) => got.push(u32::from_be_bytes(
                parts.last().unwrap()[..].try_into().unwrap(),
            )),
            Err(Error::WouldBlock) => return got,
            Err(e) => panic!("drain: {e}"),
        }
    }
}

/// Checks what a "drop" socket delivered: the messages sent before the queue filled, in
/// order, at least HWM of them (earlier traffic may still be counted against the queue until
/// the reader's next credit), at most SNDHWM + RCVHWM.
fn assert_prefix(got: &[u32], what: &str) {
    assert!(
        (HWM as usize..=QUEUE).contains(&got.len()),
        "{what}: {} delivered",
        got.len()
    );
    assert_eq!(got, (0..got.len() as u32).collect::<Vec<_>>(), "{what}");
}

/// Receives exactly `n` numbered frames (the last frame of each message) and then finds the
/// queue empty; returns the numbers.
fn drain(receiver: &Socket, n: usize) -> Vec<u32> {
    let got: Vec<u32> = (0..n)
        .map(|_| {
            let parts = common::recv_parts(receiver);
            u32::from_be_bytes(parts.last().unwrap()[..].try_into().unwrap())
        })
        .collect();
    common::assert_nothing_queued(receiver);
    got
}

/// "Block" types (PUSH, DEALER, PAIR): at the high water mark a DONTWAIT send fails with
/// EAGAIN and a blocking one times out after SNDTIMEO; nothing queued is lost, and once the
/// peer reads, sending works again.
#[test]
fn hwm_blocks_push_dealer_pair() {
    let ctx = Context::new();
    for (a, b) in [
        (SocketType::Push, SocketType::Pull),
        (SocketType::Dealer, SocketType::Dealer),
        (SocketType::Pair, SocketType::Pair),
    ] {
        eprintln!("--- {a:?} -> {b:?}");
        let (sender, receiver) = hwm_pair(&ctx, a, b);
        assert_eq!(fill(&sender, &[], 1000), (QUEUE, Some(Error::WouldBlock)));
        sender.set_sndtimeo(50).unwrap();
        assert_eq!(
            sender.send("blocked", SendFlags::empty()),
            Err(Error::TimedOut)
        );
        assert_eq!(
            drain(&receiver, QUEUE),
            (0..QUEUE as u32).collect::<Vec<_>>()
        );
        common::send(&sender, "again");
        assert_eq!(recv_bytes(&receiver), b"again");
    }
}

/// "Drop" types (PUB, XPUB, ROUTER): sends never fail at the high water mark; the first
/// SNDHWM + RCVHWM messages are delivered and the rest dropped. With ZMQ_XPUB_NODROP and
/// ZMQ_ROUTER_MANDATORY they fail with EAGAIN instead.
#[test]
fn hwm_drops_pub_xpub_router_unless_told_not_to() {
    let ctx = Context::new();
    for (ty, nodrop) in [
        (SocketType::Pub, false),
        (SocketType::XPub, false),
        (SocketType::XPub, true),
    ] {
        eprintln!("--- {ty:?} nodrop={nodrop}");
        let (publisher, sub) = hwm_pair(&ctx, ty, SocketType::Sub);
        if nodrop {
            publisher.set_xpub_nodrop(true).unwrap();
        }
        sub.set_subscribe(b"").unwrap();
        if ty == SocketType::XPub {
            // The subscription reached the XPUB (it reads it as a message).
            assert_eq!(recv_bytes(&publisher), b"\x01");
        } else {
            // A PUB reads subscriptions while sending: the first send settles them.
            common::until_received(
                |_| publisher.send("sync", SendFlags::DONTWAIT).unwrap(),
                || common::try_recv_within(&sub, common::PROBE_MS),
            );
            while sub.recv_bytes(RecvFlags::DONTWAIT).is_ok() {}
        }
        let (sent, err) = fill(&publisher, &[], 100);
        let got = drain_all(&sub);
        assert_prefix(&got, &format!("{ty:?}"));
        if nodrop {
            assert_eq!(err, Some(Error::WouldBlock));
            assert_eq!(sent, got.len(), "with XPUB_NODROP nothing is dropped");
        } else {
            assert_eq!((sent, err), (100, None), "a {ty:?} never blocks");
        }
    }

    for mandatory in [false, true] {
        eprintln!("--- ROUTER mandatory={mandatory}");
        let router = socket(&ctx, SocketType::Router);
        router.set_sndhwm(HWM).unwrap();
        router.set_router_mandatory(mandatory).unwrap();
        let dealer = socket(&ctx, SocketType::Dealer);
        dealer.set_rcvhwm(HWM).unwrap();
        dealer.set_routing_id(b"d").unwrap();
        let ep = common::inproc_endpoint();
        router.bind(&ep).unwrap();
        dealer.connect(&ep).unwrap();
        // The ROUTER knows the peer once the connection is attached: say hello.
        common::send(&dealer, "hello");
        assert_eq!(
            common::recv_parts(&router),
            [b"d".to_vec(), b"hello".to_vec()]
        );
        let (sent, err) = fill(&router, &[b"d"], 100);
        let got = drain_all(&dealer);
        assert_prefix(&got, "ROUTER");
        if mandatory {
            assert_eq!(err, Some(Error::WouldBlock));
            assert_eq!(sent, got.len(), "with ROUTER_MANDATORY nothing is dropped");
            // An unknown peer is EHOSTUNREACH, not a silent drop.
            assert_eq!(
                router.send_multipart([&b"nobody"[..], b"x"], SendFlags::DONTWAIT),
                Err(Error::HostUnreachable)
            );
        } else {
            assert_eq!((sent, err), (100, None), "a ROUTER drops silently");
        }
    }
}

/// Over tcp the queue also holds what the kernel buffers, but a PUSH still stops at some
/// point (EAGAIN), and everything it accepted arrives, in order, once the peer reads.
#[test]
fn hwm_over_tcp_blocks_and_loses_nothing() {
    let ctx = Context::new();
    let pull = socket(&ctx, SocketType::Pull);
    pull.set_rcvhwm(HWM).unwrap();
    let ep = common::bind_tcp(&pull);
    let push = socket(&ctx, SocketType::Push);
    push.set_sndhwm(HWM).unwrap();
    push.connect(&ep).unwrap();
    // Wait for the connection, so that the kernel's buffers take part.
    common::send(&push, "hello");
    assert_eq!(recv_bytes(&pull), b"hello");
    let big = vec![7u8; 64 * 1024];
    let mut accepted = 0u32;
    let deadline = Instant::now() + TIMEOUT;
    loop {
        assert!(Instant::now() < deadline, "a PUSH over tcp never blocked");
        assert!(accepted < 100_000, "a PUSH over tcp never blocked");
        let mut frame = accepted.to_be_bytes().to_vec();
        frame.extend_from_slice(&big);
        match push.send(frame, SendFlags::DONTWAIT) {
            Ok(()) => accepted += 1,
            Err(Error::WouldBlock) => break,
            Err(e) => panic!("{e}"),
        }
    }
    eprintln!("tcp PUSH blocked after {accepted} messages of 64 KiB");
    assert!(accepted > 0);
    for i in 0..accepted {
        let m = recv_bytes(&pull);
        assert_eq!(u32::from_be_bytes(m[..4].try_into().unwrap()), i);
    }
    common::send(&push, "more");
    assert_eq!(recv_bytes(&pull), b"more");
}

// ---------------------------------------------------------------------------------------
// ZMQ_IMMEDIATE and ZMQ_LINGER

/// ZMQ_IMMEDIATE: without a completed connection a send does not queue (EAGAIN), and with a
/// dead and a live peer every message goes to the live one; without it, a message queues for
/// a peer that is not there yet.
#[test]
fn immediate_queues_only_on_completed_connections() {
    let ctx = Context::new();
    let dead = format!("tcp://127.0.0.1:{}", free_port());
    let push = socket(&ctx, SocketType::Push);
    push.set_immediate(true).unwrap();
    push.connect(&dead).unwrap();
    assert_eq!(push.send("x", SendFlags::DONTWAIT), Err(Error::WouldBlock));

    let pull = socket(&ctx, SocketType::Pull);
    let live = common::bind_tcp(&pull);
    let mon = monitor(&push, MonitorEvents::HANDSHAKE_SUCCEEDED);
    push.connect(&live).unwrap();
    expect_event(&mon, "HANDSHAKE_SUCCEEDED", |e| {
        *e == Event::HandshakeSucceeded
    });
    // The new pipe reaches the socket as a command it processes on its next call: a
    // bounded blocking send waits for it.
    for i in 0..10u8 {
        push.send([i], SendFlags::empty()).unwrap();
    }
    let got: Vec<u8> = (0..10).map(|_| recv_bytes(&pull)[0]).collect();
    assert_eq!(got, (0..10).collect::<Vec<_>>(), "all to the live peer");

    let lazy = socket(&ctx, SocketType::Push);
    lazy.connect(&format!("tcp://127.0.0.1:{}", free_port()))
        .unwrap();
    lazy.send("queued", SendFlags::DONTWAIT)
        .expect("without ZMQ_IMMEDIATE a connect's pipe takes messages at once");
}

/// ZMQ_LINGER on close with undelivered messages: 0 discards them and `term` returns at
/// once; a positive value makes `term` wait that long for a peer that never comes; -1 waits
/// until a late peer has them all.
#[test]
fn linger_on_close_with_undelivered_messages() {
    for (linger, min_ms, max_ms) in [(0, 0, 1000), (300, 280, 3000)] {
        let ctx = Context::new();
        let push = ctx.socket(SocketType::Push).unwrap();
        push.set_linger(linger).unwrap();
        push.connect(&format!("tcp://127.0.0.1:{}", free_port()))
            .unwrap();
        for _ in 0..5 {
            push.send("undeliverable", SendFlags::DONTWAIT).unwrap();
        }
        drop(push);
        let t0 = Instant::now();
        ctx.term().unwrap();
        let ms = t0.elapsed().as_millis();
        assert!(
            (min_ms..max_ms).contains(&ms),
            "linger {linger}: term took {ms} ms"
        );
    }

    // Linger forever: the messages wait for a peer that binds after the close.
    let port = free_port();
    let ep = format!("tcp://127.0.0.1:{port}");
    let ctx = Context::new();
    let push = ctx.socket(SocketType::Push).unwrap();
    push.set_linger(-1).unwrap();
    push.set_reconnect_ivl(20).unwrap();
    push.connect(&ep).unwrap();
    for i in 0..100u8 {
        push.send([i], SendFlags::DONTWAIT).unwrap();
    }
    drop(push);
    let (done_tx, done) = mpsc::channel();
    let term = thread::spawn(move || {
        ctx.term().unwrap();
        done_tx.send(()).unwrap();
    });
    assert!(
        done.recv_timeout(Duration::from_millis(200)).is_err(),
        "term returned with messages still undelivered"
    );
    let other = Context::new();
    let pull = socket(&other, SocketType::Pull);
    pull.bind(&ep).unwrap();
    let got: Vec<u8> = (0..100).map(|_| recv_bytes(&pull)[0]).collect();
    assert_eq!(got, (0..100).collect::<Vec<_>>());
    done.recv_timeout(TIMEOUT)
        .expect("term returns once everything is delivered");
    term.join().unwrap();
}

// ---------------------------------------------------------------------------------------
// Context termination under blocked threads

/// `term` and `shutdown` while other threads block in recv, in send at the high water mark,
/// in poll, in a monitor's recv and in our ZAP handler: every blocked call returns
/// ContextTerminated, later calls too, and `term` returns once the threads dropped their
/// sockets.
#[test]
fn context_terminated_while_threads_block() {
    for use_shutdown in [false, true] {
        let ctx = Context::new();
        let auth = Authenticator::start(&ctx).unwrap();
        let (tx, results) = mpsc::channel::<(&str, Result<(), Error>)>();
        let (ready_tx, ready) = mpsc::channel::<()>();
        let mut threads = Vec::new();

        let pull = ctx.socket(SocketType::Pull).unwrap();
        pull.bind("inproc://blocked-recv").unwrap();
        let push = ctx.socket(SocketType::Push).unwrap();
        push.set_sndhwm(1).unwrap();
        push.connect("inproc://nobody-reads").unwrap();
        let reader = ctx.socket(SocketType::Pull).unwrap();
        reader.set_rcvhwm(1).unwrap();
        reader.bind("inproc://nobody-reads").unwrap();
        let poller = ctx.socket(SocketType::Sub).unwrap();
        let watched = ctx.socket(SocketType::Rep).unwrap();
        let mon = watched.monitor_events(MonitorEvents::ALL_V1).unwrap();

        let spawn = |name: &'static str,
                     f: Box<dyn FnOnce() -> Result<(), Error> + Send>,
                     threads: &mut Vec<thread::JoinHandle<()>>| {
            let tx = tx.clone();
            let ready_tx = ready_tx.clone();
            threads.push(thread::spawn(move || {
                ready_tx.send(()).unwrap();
                tx.send((name, f())).unwrap();
            }));
        };
        spawn(
            "recv",
            Box::new(move || pull.recv(RecvFlags::empty()).map(drop)),
            &mut threads,
        );
        spawn(
            "send at HWM",
            Box::new(move || loop {
                push.send("x", SendFlags::empty())?;
            }),
            &mut threads,
        );
        spawn(
            "poll",
            Box::new(move || poller.poll(zmq4::PollEvents::POLLIN, -1).map(drop)),
            &mut threads,
        );
        spawn(
            "monitor recv",
            Box::new(move || {
                let r = loop {
                    match mon.recv() {
                        Ok(_) => continue,
                        Err(e) => break Err(e),
                    }
                };
                drop(watched);
                r
            }),
            &mut threads,
        );
        for _ in 0..threads.len() {
            ready.recv_timeout(TIMEOUT).unwrap();
        }
        // The threads are started; whether each already blocks or is about to, its call
        // must end with ETERM.
        let killer = ctx.clone();
        let term = thread::spawn(move || {
            if use_shutdown {
                killer.shutdown()
            } else {
                killer.term()
            }
        });
        let mut names = HashSet::new();
        for _ in 0..threads.len() {
            let (name, r) = results
                .recv_timeout(TIMEOUT)
                .expect("every blocked call returns");
            assert_eq!(r, Err(Error::ContextTerminated), "{name}");
            names.insert(name);
        }
        assert_eq!(names.len(), 4);
        for t in threads {
            t.join().unwrap();
        }
        drop(reader);
        // Later calls fail the same way; the ZAP handler has stopped by itself.
        assert_eq!(
            ctx.socket(SocketType::Pair).unwrap_err(),
            Error::ContextTerminated
        );
        let (done_tx, done) = mpsc::channel();
        thread::spawn(move || {
            done_tx.send(term.join().unwrap()).unwrap();
        });
        done.recv_timeout(TIMEOUT)
            .expect("term/shutdown returns once the sockets are closed")
            .unwrap();
        let t0 = Instant::now();
        while auth.is_running() {
            assert!(t0.elapsed() < TIMEOUT, "the ZAP handler did not stop");
            thread::sleep(Duration::from_millis(5));
        }
        drop(auth);
        let (done_tx, done) = mpsc::channel();
        thread::spawn(move || done_tx.send(ctx.term()).unwrap());
        done.recv_timeout(TIMEOUT).unwrap().unwrap();
    }
}

// ---------------------------------------------------------------------------------------
// A network partition between two namespaces

/// Two network namespaces joined by a veth pair, removed on drop.
#[cfg(target_os = "linux")] // network namespaces, `ip`, setns(2)
struct Netns {
    ns: [String; 2],
    dev: [String; 2],
}

#[cfg(target_os = "linux")] // network namespaces, `ip`, setns(2)
const ADDR: [&str; 2] = ["198.18.0.1", "198.18.0.2"];

#[cfg(target_os = "linux")] // network namespaces, `ip`, setns(2)
fn ip(args: &[&str]) -> bool {
    Command::new("/usr/sbin/ip")
        .args(args)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(target_os = "linux")] // network namespaces, `ip`, setns(2)
impl Netns {
    /// `None` (with a SKIPPED line) when not root or without `ip`.
    fn create() -> Option<Netns> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 || !std::path::Path::new("/usr/sbin/ip").exists() {
            eprintln!("netns: SKIPPED (needs root and /usr/sbin/ip)");
            return None;
        }
        remove_stale_namespaces();
        let pid = std::process::id();
        let n = Netns {
            ns: [format!("zmq4a-{pid}"), format!("zmq4b-{pid}")],
            dev: [format!("z4a{pid}"), format!("z4b{pid}")],
        };
        let ok = ip(&["netns", "add", &n.ns[0]])
            && ip(&["netns", "add", &n.ns[1]])
            && ip(&[
                "link", "add", &n.dev[0], "type", "veth", "peer", "name", &n.dev[1],
            ])
            && (0..2).all(|i| {
                ip(&["link", "set", &n.dev[i], "netns", &n.ns[i]])
                    && ip(&[
                        "-n",
                        &n.ns[i],
                        "addr",
                        "add",
                        &format!("{}/30", ADDR[i]),
                        "dev",
                        &n.dev[i],
                    ])
                    && ip(&["-n", &n.ns[i], "link", "set", "lo", "up"])
                    && ip(&["-n", &n.ns[i], "link", "set", &n.dev[i], "up"])
            });
        assert!(ok, "setting up the namespaces failed");
        Some(n)
    }

    fn link(&self, up: bool) {
        let state = if up { "up" } else { "down" };
        assert!(ip(&["-n", &self.ns[0], "link", "set", &self.dev[0], state]));
    }

    /// Moves the calling thread (only) into namespace `i`: sockets made by a context
    /// created afterwards on this thread live there (libzmq's threads inherit it).
    fn enter(&self, i: usize) {
        let path = format!("/run/netns/{}", self.ns[i]);
        let f = std::fs::File::open(&path).unwrap();
        use std::os::fd::AsRawFd;
        // SAFETY: a valid namespace fd; CLONE_NEWNET changes only this thread's namespace.
        let rc = unsafe { libc::setns(f.as_raw_fd(), libc::CLONE_NEWNET) };
        assert_eq!(rc, 0, "setns {path}: {}", std::io::Error::last_os_error());
    }
}

#[cfg(target_os = "linux")] // network namespaces, `ip`, setns(2)
impl Drop for Netns {
    fn drop(&mut self) {
        for ns in &self.ns {
            ip(&["netns", "del", ns]);
        }
        // In case setup failed before the pair moved into the namespaces.
        ip(&["link", "del", &self.dev[0]]);
    }
}

/// Namespaces of earlier runs whose process is gone (a run killed before its Drop).
#[cfg(target_os = "linux")] // network namespaces, `ip`, setns(2)
fn remove_stale_namespaces() {
    let Ok(entries) = std::fs::read_dir("/run/netns") else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let pid = name
            .strip_prefix("zmq4a-")
            .or_else(|| name.strip_prefix("zmq4b-"));
        if let Some(pid) = pid {
            if !std::path::Path::new("/proc").join(pid).exists() {
                ip(&["netns", "del", &name]);
            }
        }
    }
}

/// A silent partition, which loopback cannot produce: the veth link goes down under an
/// established DEALER/ROUTER stream with ZMTP heartbeats. Both ends detect the dead
/// connection by heartbeat timeout (DISCONNECTED, no FIN or RST ever arrives), the link
/// comes back, the DEALER reconnects by itself, and with acknowledgements and resends every
/// one of the sequence-numbered messages is delivered: none lost.
#[cfg(target_os = "linux")] // network namespaces, `ip`, setns(2)
#[test]
fn partition_between_namespaces_detected_by_heartbeat_and_healed() {
    let Some(net) = Netns::create() else { return };
    const TOTAL: u64 = 1500;
    let net = std::sync::Arc::new(net);
    let (ep_tx, ep_rx) = mpsc::channel::<String>();
    let (stop_tx, stop_rx) = mpsc::channel::<()>();
    let server = {
        let net = net.clone();
        thread::spawn(move || -> (usize, usize) {
            net.enter(1);
            let ctx = Context::new();
            let router = ctx.socket(SocketType::Router).unwrap();
            bounded(&router);
            router.set_heartbeat_ivl(100).unwrap();
            router.set_heartbeat_timeout(400).unwrap();
            router.set_rcvtimeo(50).unwrap();
            router.bind(&format!("tcp://{}:*", ADDR[1])).unwrap();
            ep_tx.send(router.last_endpoint().unwrap()).unwrap();
            let (mut seen, mut duplicates) = (HashSet::new(), 0);
            while stop_rx.try_recv().is_err() {
                match router.recv_multipart(RecvFlags::empty()) {
                    Ok(m) => {
                        let seq = m[1].to_vec();
                        if !seen.insert(seq.clone()) {
                            duplicates += 1;
                        }
                        router
                            .send_multipart([m[0].to_vec(), seq], SendFlags::DONTWAIT)
                            .ok();
                    }
                    Err(Error::TimedOut) => {}
                    Err(e) => panic!("server: {e}"),
                }
            }
            (seen.len(), duplicates)
        })
    };
    let ep = ep_rx.recv_timeout(TIMEOUT).expect("server endpoint");
    let (progress_tx, progress) = mpsc::channel::<&str>();
    let client = {
        let net = net.clone();
        thread::spawn(move || -> (u64, u64) {
            net.enter(0);
            let ctx = Context::new();
            let dealer = ctx.socket(SocketType::Dealer).unwrap();
            bounded(&dealer);
            dealer.set_heartbeat_ivl(100).unwrap();
            dealer.set_heartbeat_timeout(400).unwrap();
            dealer.set_reconnect_ivl(50).unwrap();
            dealer.set_rcvtimeo(5).unwrap();
            let mon = dealer
                .monitor_events(MonitorEvents::DISCONNECTED | MonitorEvents::HANDSHAKE_SUCCEEDED)
                .unwrap();
            dealer.connect(&ep).unwrap();
            let mut unacked: BTreeMap<u64, Instant> = BTreeMap::new();
            let (mut next, mut acked, mut resent) = (0u64, 0u64, 0u64);
            let mut partitioned = false;
            let deadline = Instant::now() + Duration::from_secs(30);
            while acked < TOTAL {
                assert!(Instant::now() < deadline, "client: {acked}/{TOTAL} acked");
                if next < TOTAL && unacked.len() < 100 {
                    dealer.send(next.to_be_bytes(), SendFlags::DONTWAIT).ok();
                    unacked.insert(next, Instant::now());
                    next += 1;
                }
                match dealer.recv_bytes(RecvFlags::empty()) {
                    Ok(seq) => {
                        let seq = u64::from_be_bytes(seq[..].try_into().unwrap());
                        if unacked.remove(&seq).is_some() {
                            acked += 1;
                        }
                    }
                    Err(Error::TimedOut) => {}
                    Err(e) => panic!("client: {e}"),
                }
                if acked == 300 && !partitioned {
                    partitioned = true;
                    progress_tx.send("cut").unwrap();
                }
                while let Ok(ev) = mon.try_recv() {
                    match ev.event {
                        Event::Disconnected { .. } => progress_tx.send("disconnected").unwrap(),
                        Event::HandshakeSucceeded => progress_tx.send("connected").unwrap(),
                        _ => {}
                    }
                }
                // Resend what waited for an ack for a second (lost with the connection).
                let now = Instant::now();
                for (seq, at) in unacked.iter_mut() {
                    if now.duration_since(*at) > Duration::from_secs(1) {
                        dealer.send(seq.to_be_bytes(), SendFlags::DONTWAIT).ok();
                        *at = now;
                        resent += 1;
                    }
                }
            }
            progress_tx.send("done").unwrap();
            (acked, resent)
        })
    };
    let expect = |what: &str| {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match progress.recv_timeout(left) {
                Ok(p) if p == what => return,
                Ok(_) => {}
                Err(e) => panic!("waiting for '{what}': {e}"),
            }
        }
    };
    expect("connected");
    expect("cut");
    net.link(false);
    let t0 = Instant::now();
    expect("disconnected");
    let detected = t0.elapsed();
    net.link(true);
    expect("connected");
    expect("done");
    let (acked, resent) = client.join().unwrap();
    stop_tx.send(()).unwrap();
    let (distinct, duplicates) = server.join().unwrap();
    eprintln!(
        "partition: detected after {detected:?}; {acked} acked, {resent} resent, server saw \
         {distinct} distinct ({duplicates} duplicates)"
    );
    assert!(
        detected < Duration::from_secs(5),
        "heartbeat timeout is 400 ms"
    );
    assert_eq!(acked, TOTAL);
    assert_eq!(distinct as u64, TOTAL, "every message reached the server");
}

// ---------------------------------------------------------------------------------------
// Signals

#[cfg(unix)] // POSIX signals
extern "C" fn ignore_signal(_: libc::c_int) {}

/// Signals (a handler installed without SA_RESTART) interrupt libzmq calls with EINTR, also
/// between the frames of a multipart message (libzmq looks at its command mailbox every so
/// many frames). Both threads here are hit by a stream of signals while they exchange
/// three-frame messages; whole-message calls may fail with Interrupted and are retried, but
/// no message may ever arrive cut in two.
#[cfg(unix)] // POSIX signals
#[test]
fn signals_never_split_a_multipart_message() {
    // SAFETY: installs a handler that does nothing (async-signal-safe) for SIGURG, which
    // nothing else in this test binary uses; no SA_RESTART, so blocking calls see EINTR.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = ignore_signal as extern "C" fn(libc::c_int) as usize;
        libc::sigemptyset(&mut sa.sa_mask);
        sa.sa_flags = 0;
        assert_eq!(libc::sigaction(libc::SIGURG, &sa, std::ptr::null_mut()), 0);
    }
    const N: u32 = 200_000;
    let ctx = Context::new();
    let rx = socket(&ctx, SocketType::Pair);
    let tx = socket(&ctx, SocketType::Pair);
    let ep = common::inproc_endpoint();
    rx.bind(&ep).unwrap();
    tx.connect(&ep).unwrap();
    // Thread ids travel as usize: musl's pthread_t is a pointer, which is not Send.
    let (tid_tx, tids) = mpsc::channel::<usize>();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    // The workers stay alive (waiting on this) until no more signals are sent to them.
    let (release_tx, release) = mpsc::channel::<()>();
    let release = std::sync::Arc::new(std::sync::Mutex::new(release));
    let (result_tx, results) = mpsc::channel::<(&str, u32)>();
    let sender = {
        let tid_tx = tid_tx.clone();
        let (result_tx, release) = (result_tx.clone(), release.clone());
        thread::spawn(move || {
            // SAFETY: pthread_self has no preconditions.
            tid_tx
                .send(unsafe { libc::pthread_self() } as usize)
                .unwrap();
            let mut interrupted = 0u32;
            for i in 0..N {
                let head = i.to_be_bytes();
                loop {
                    match tx.send_multipart([&head[..], b"middle", b"tail"], SendFlags::empty()) {
                        Ok(()) => break,
                        Err(Error::Interrupted) => interrupted += 1,
                        Err(e) => panic!("send {i}: {e}"),
                    }
                }
            }
            result_tx.send(("sends", interrupted)).unwrap();
            let _ = release.lock().unwrap().recv_timeout(TIMEOUT);
        })
    };
    let receiver = thread::spawn(move || {
        // SAFETY: as above.
        tid_tx
            .send(unsafe { libc::pthread_self() } as usize)
            .unwrap();
        let mut interrupted = 0u32;
        for i in 0..N {
            let parts = loop {
                match rx.recv_multipart(RecvFlags::empty()) {
                    Ok(p) => break p,
                    Err(Error::Interrupted) => interrupted += 1,
                    Err(e) => panic!("recv {i}: {e}"),
                }
            };
            let parts: Vec<Vec<u8>> = parts.iter().map(|m| m.to_vec()).collect();
            assert_eq!(
                parts,
                [
                    i.to_be_bytes().to_vec(),
                    b"middle".to_vec(),
                    b"tail".to_vec()
                ],
                "message {i}"
            );
        }
        result_tx.send(("receives", interrupted)).unwrap();
        let _ = release.lock().unwrap().recv_timeout(TIMEOUT);
    });
    let threads = [
        tids.recv_timeout(TIMEOUT).unwrap(),
        tids.recv_timeout(TIMEOUT).unwrap(),
    ];
    let killer = {
        let done = done.clone();
        thread::spawn(move || {
            let mut sent = 0u64;
            let deadline = Instant::now() + Duration::from_secs(60);
            while !done.load(std::sync::atomic::Ordering::Relaxed) && Instant::now() < deadline {
                for t in threads {
                    // SAFETY: both threads are alive until `done` is set (they are joined
                    // after it), and SIGURG's handler does nothing.
                    unsafe { libc::pthread_kill(t as libc::pthread_t, libc::SIGURG) };
                    sent += 1;
                }
                thread::sleep(Duration::from_micros(20));
            }
            sent
        })
    };
    let mut counts = Vec::new();
    for _ in 0..2 {
        match results.recv_timeout(Duration::from_secs(60)) {
            Ok(c) => counts.push(c),
            Err(_) => {
                done.store(true, std::sync::atomic::Ordering::Relaxed);
                let _ = killer.join();
                // A worker panicked (a split message) or hung: report its panic.
                drop(release_tx);
                sender.join().unwrap();
                receiver.join().unwrap();
                panic!("the exchange did not finish");
            }
        }
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let signals = killer.join().unwrap();
    release_tx.send(()).unwrap();
    release_tx.send(()).unwrap();
    sender.join().unwrap();
    receiver.join().unwrap();
    eprintln!("{signals} signals; interrupted calls: {counts:?}");
}
