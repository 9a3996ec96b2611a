//! The classic socket patterns through real sockets, over inproc, ipc and tcp on 127.0.0.1:
//! round trips, routing, subscriptions, load balancing and fair queueing, STREAM against a
//! plain TCP peer, high-water-mark behaviour per pattern, and multipart messages.
//!
//! Every wait is bounded: sockets carry RCVTIMEO/SNDTIMEO (common::TIMEOUT_MS), connections
//! are awaited by sending until something arrives, and "not delivered" is shown by order (a
//! later message arrives first on the same FIFO pipe), never by a sleep.

mod common;

use common::*;
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Instant;
use zmq4::{Context, Error, Message, RecvFlags, SendFlags, Socket, SocketType};

// ---------------------------------------------------------------------------------------
// Round trips and routing

#[test]
fn pair_round_trip() {
    let ctx = Context::new();
    for_each_transport(|t| {
        let a = socket(&ctx, SocketType::Pair);
        let ep = bind(&a, t);
        let b = socket(&ctx, SocketType::Pair);
        b.connect(&ep).unwrap();
        send(&b, "ping");
        assert_eq!(recv_bytes(&a), b"ping");
        send(&a, "pong");
        assert_eq!(recv_bytes(&b), b"pong");
        // Both directions again, with an empty frame.
        send(&a, "");
        assert_eq!(recv_bytes(&b), b"");
    });
}

#[test]
fn req_rep_round_trip_and_state_machine() {
    let ctx = Context::new();
    for_each_transport(|t| {
        let rep = socket(&ctx, SocketType::Rep);
        let ep = bind(&rep, t);
        let req = socket(&ctx, SocketType::Req);
        req.connect(&ep).unwrap();

        // REP must receive before it sends; REQ must send before it receives.
        assert_eq!(
            rep.send("too early", SendFlags::DONTWAIT),
            Err(Error::InvalidState)
        );
        assert_eq!(
            req.recv_bytes(RecvFlags::DONTWAIT),
            Err(Error::InvalidState)
        );

        for round in 0..3 {
            let request = format!("request {round}");
            send(&req, &request);
            // A second request before the reply is out of turn.
            assert_eq!(
                req.send("again", SendFlags::empty()),
                Err(Error::InvalidState)
            );
            assert_eq!(recv_string(&rep), request);
            // REP must reply before receiving the next request.
            assert_eq!(
                rep.recv_bytes(RecvFlags::DONTWAIT),
                Err(Error::InvalidState)
            );
            send(&rep, format!("reply {round}"));
            assert_eq!(
                rep.send("twice", SendFlags::empty()),
                Err(Error::InvalidState)
            );
            assert_eq!(recv_string(&req), format!("reply {round}"));
        }
    });
}

#[test]
fn dealer_router_explicit_identities() {
    let ctx = Context::new();
    for_each_transport(|t| {
        let router = socket(&ctx, SocketType::Router);
        let ep = bind(&router, t);
        let alice = socket(&ctx, SocketType::Dealer);
        alice.set_routing_id(b"alice").unwrap();
        assert_eq!(alice.routing_id().unwrap(), b"alice");
        alice.connect(&ep).unwrap();
        let bob = socket(&ctx, SocketType::Dealer);
        bob.set_routing_id(b"bob").unwrap();
        bob.connect(&ep).unwrap();

        send(&alice, "from alice");
        send_parts(&bob, &[b"from bob", b"second frame"]);

        // The ROUTER prepends the sender's identity frame.
        let mut got = vec![recv_parts(&router), recv_parts(&router)];
        got.sort();
        assert_eq!(
            got,
            vec![
                vec![b"alice".to_vec(), b"from alice".to_vec()],
                vec![
                    b"bob".to_vec(),
                    b"from bob".to_vec(),
                    b"second frame".to_vec()
                ],
            ]
        );

        // And routes replies by the first frame, which the DEALER does not see.
        send_parts(&router, &[b"bob", b"to bob"]);
        send_parts(&router, &[b"alice", b"to alice", b"more"]);
        assert_eq!(recv_parts(&bob), vec![b"to bob".to_vec()]);
        assert_eq!(
            recv_parts(&alice),
            vec![b"to alice".to_vec(), b"more".to_vec()]
        );

        // A reply to an unknown identity is dropped silently by default.
        router
            .send_multipart([&b"nobody"[..], b"lost"], SendFlags::DONTWAIT)
            .unwrap();
    });
}

#[test]
fn router_mandatory_reports_unknown_identity() {
    let ctx = Context::new();
    for_each_transport(|t| {
        let router = socket(&ctx, SocketType::Router);
        router.set_router_mandatory(true).unwrap();
        let ep = bind(&router, t);

        // Unroutable: the identity frame itself fails, so nothing of the message is queued.
        assert_eq!(
            router.send("nobody", SendFlags::SNDMORE),
            Err(Error::HostUnreachable)
        );
        assert_eq!(
            router.send_multipart([&b"nobody"[..], b"data"], SendFlags::empty()),
            Err(Error::HostUnreachable)
        );

        let dealer = socket(&ctx, SocketType::Dealer);
        dealer.set_routing_id(b"known").unwrap();
        dealer.connect(&ep).unwrap();
        send(&dealer, "hello");
        assert_eq!(
            recv_parts(&router),
            vec![b"known".to_vec(), b"hello".to_vec()]
        );

        // A known peer is routable; an unknown one still is not.
        send_parts(&router, &[b"known", b"back"]);
        assert_eq!(recv_bytes(&dealer), b"back");
        assert_eq!(
            router.send_multipart([&b"unknown"[..], b"data"], SendFlags::DONTWAIT),
            Err(Error::HostUnreachable)
        );
    });
}

#[test]
fn router_handover_gives_identity_to_newest_peer() {
    let ctx = Context::new();
    for_each_transport(|t| {
        let router = socket(&ctx, SocketType::Router);
        router.set_router_handover(true).unwrap();
        let ep = bind(&router, t);

        let first = socket(&ctx, SocketType::Dealer);
        first.set_routing_id(b"X").unwrap();
        first.connect(&ep).unwrap();
        send(&first, "from first");
        assert_eq!(
            recv_parts(&router),
            vec![b"X".to_vec(), b"from first".to_vec()]
        );

        // A second peer with the same identity takes it over.
        let second = socket(&ctx, SocketType::Dealer);
        second.set_routing_id(b"X").unwrap();
        second.connect(&ep).unwrap();
        send(&second, "from second");
        assert_eq!(
            recv_parts(&router),
            vec![b"X".to_vec(), b"from second".to_vec()]
        );

        // Messages to X now go to the second peer.
        send_parts(&router, &[b"X", b"to X"]);
        assert_eq!(recv_bytes(&second), b"to X");
        assert_nothing_queued(&first);
    });
}

// ---------------------------------------------------------------------------------------
// Publish-subscribe

/// Publishes each topic, then "end"; returns what `sub` received before "end", minus stray
/// sync probes.
fn publish_and_collect(publisher: &Socket, sub: &Socket, topics: &[&str]) -> Vec<String> {
    for topic in topics {
        send(publisher, topic);
    }
    send(publisher, "end");
    recv_until(sub, |m| m == b"end")
        .into_iter()
        .filter(|m| !is_sync_probe(m))
        .map(|m| String::from_utf8(m).unwrap())
        .collect()
}

#[test]
fn pub_sub_prefix_subscriptions() {
    let ctx = Context::new();
    for_each_transport(|t| {
        let publisher = socket(&ctx, SocketType::Pub);
        let ep = bind(&publisher, t);
        let sub = socket(&ctx, SocketType::Sub);
        sub.set_subscribe(b"end").unwrap();
        sub.set_subscribe(b"news").unwrap();
        sub.connect(&ep).unwrap();
        sync_pub_sub(&publisher, &sub);

        // Byte-wise prefix match.
        let got = publish_and_collect(
            &publisher,
            &sub,
            &[
                "weather",
                "news/1",
                "new",
                "newspaper",
                "NEWS",
                "news",
                "sports/news",
            ],
        );
        assert_eq!(got, ["news/1", "newspaper", "news"]);

        // A second subscription adds to the first.
        sub.set_subscribe(b"weather").unwrap();
        sync_pub_sub(&publisher, &sub);
        let got = publish_and_collect(&publisher, &sub, &["weather/rain", "news/2", "sports"]);
        assert_eq!(got, ["weather/rain", "news/2"]);

        // Unsubscribing removes it (the SUB also filters locally, so this holds at once).
        sub.set_unsubscribe(b"news").unwrap();
        let got = publish_and_collect(&publisher, &sub, &["news/3", "weather/sun"]);
        assert_eq!(got, ["weather/sun"]);

        // The empty subscription matches everything.
        sub.set_subscribe(b"").unwrap();
        sync_pub_sub(&publisher, &sub);
        let got = publish_and_collect(&publisher, &sub, &["anything", "news/4"]);
        assert_eq!(got, ["anything", "news/4"]);
    });
}

#[test]
fn pub_sub_multipart_topic_frame() {
    let ctx = Context::new();
    for_each_transport(|t| {
        let publisher = socket(&ctx, SocketType::Pub);
        let ep = bind(&publisher, t);
        let sub = socket(&ctx, SocketType::Sub);
        sub.set_subscribe(b"status").unwrap();
        sub.connect(&ep).unwrap();
        sync_pub_sub(&publisher, &sub);
        send_parts(&publisher, &[b"other", b"ignored"]);
        send_parts(&publisher, &[b"status", b"ok", b""]);
        assert_eq!(
            recv_parts(&sub),
            vec![b"status".to_vec(), b"ok".to_vec(), b"".to_vec()]
        );
    });
}

#[test]
fn xpub_xsub_subscription_messages() {
    let ctx = Context::new();
    for_each_transport(|t| {
        let xpub = socket(&ctx, SocketType::XPub);
        let ep = bind(&xpub, t);
        let xsub = socket(&ctx, SocketType::XSub);
        xsub.connect(&ep).unwrap();

        // XSUB subscribes by sending \x01topic; XPUB receives it as a message.
        send(&xsub, b"\x01end");
        assert_eq!(recv_bytes(&xpub), b"\x01end");
        send(&xsub, b"\x01topic");
        assert_eq!(recv_bytes(&xpub), b"\x01topic");

        // Once XPUB has read a subscription it applies it.
        send(&xpub, "other");
        send(&xpub, "topic/1");
        send(&xpub, "end");
        assert_eq!(
            recv_until(&xsub, |m| m == b"end"),
            vec![b"topic/1".to_vec()]
        );

        // \x00topic unsubscribes.
        send(&xsub, b"\x00topic");
        assert_eq!(recv_bytes(&xpub), b"\x00topic");
        send(&xpub, "topic/2");
        send(&xpub, "end");
        assert!(recv_until(&xsub, |m| m == b"end").is_empty());

        // A SUB's subscriptions arrive at the XPUB in the same form.
        let sub = socket(&ctx, SocketType::Sub);
        sub.connect(&ep).unwrap();
        sub.set_subscribe(b"abc").unwrap();
        assert_eq!(recv_bytes(&xpub), b"\x01abc");
        sub.set_unsubscribe(b"abc").unwrap();
        assert_eq!(recv_bytes(&xpub), b"\x00abc");
    });
}

fn xpub_verbose_case(ctx: &Context, t: Transport, verbose: bool) {
    let xpub = socket(ctx, SocketType::XPub);
    xpub.set_xpub_verbose(verbose).unwrap();
    let ep = bind(&xpub, t);

    let sub1 = socket(ctx, SocketType::Sub);
    sub1.connect(&ep).unwrap();
    sub1.set_subscribe(b"A").unwrap();
    assert_eq!(recv_bytes(&xpub), b"\x01A");

    // A duplicate subscription from a second peer, then a new one, on the same pipe.
    let sub2 = socket(ctx, SocketType::Sub);
    sub2.connect(&ep).unwrap();
    sub2.set_subscribe(b"A").unwrap();
    sub2.set_subscribe(b"B").unwrap();
    if verbose {
        assert_eq!(
            recv_bytes(&xpub),
            b"\x01A",
            "XPUB_VERBOSE passes duplicates up"
        );
    }
    assert_eq!(
        recv_bytes(&xpub),
        b"\x01B",
        "duplicate passed up without XPUB_VERBOSE: {verbose}"
    );
    assert_nothing_queued(&xpub);
}

#[test]
fn xpub_verbose_passes_duplicate_subscriptions() {
    let ctx = Context::new();
    for_each_transport(|t| {
        xpub_verbose_case(&ctx, t, false);
        xpub_verbose_case(&ctx, t, true);
    });
}

#[test]
fn xpub_manual_forwards_only_subscriptions_the_app_makes() {
    let ctx = Context::new();
    for_each_transport(|t| {
        let xpub = socket(&ctx, SocketType::XPub);
        xpub.set_xpub_manual(true).unwrap();
        let ep = bind(&xpub, t);
        let xsub = socket(&ctx, SocketType::XSub);
        xsub.connect(&ep).unwrap();

        send(&xsub, b"\x01A");
        assert_eq!(recv_bytes(&xpub), b"\x01A");
        // Not applied by itself: "A..." is not delivered yet.
        send(&xpub, "A-early");
        // The application decides: it subscribes the peer to "A" ...
        xpub.set_subscribe(b"A").unwrap();
        send(&xpub, "A-late");
        assert_eq!(recv_bytes(&xsub), b"A-late");

        // ... or to something else than requested.
        send(&xsub, b"\x01B");
        assert_eq!(recv_bytes(&xpub), b"\x01B");
        xpub.set_subscribe(b"C").unwrap();
        send(&xpub, "B-1");
        send(&xpub, "C-1");
        assert_eq!(recv_bytes(&xsub), b"C-1");

        // Unsubscriptions are passed up too, and applied only by the application.
        send(&xsub, b"\x00A");
        assert_eq!(recv_bytes(&xpub), b"\x00A");
        send(&xpub, "A-still");
        assert_eq!(recv_bytes(&xsub), b"A-still");
        xpub.set_unsubscribe(b"A").unwrap();
        send(&xpub, "A-gone");
        send(&xpub, "C-2");
        assert_eq!(recv_bytes(&xsub), b"C-2");
        assert_nothing_queued(&xsub);
    });
}

// ---------------------------------------------------------------------------------------
// Pipeline

#[test]
fn push_round_robins_over_two_pulls() {
    let ctx = Context::new();
    for_each_transport(|t| {
        let pull1 = socket(&ctx, SocketType::Pull);
        let ep1 = bind(&pull1, t);
        let pull2 = socket(&ctx, SocketType::Pull);
        let ep2 = bind(&pull2, t);
        // Connecting creates both pipes at once (no ZMQ_IMMEDIATE), so the split does not
        // depend on connection timing.
        let push = socket(&ctx, SocketType::Push);
        push.connect(&ep1).unwrap();
        push.connect(&ep2).unwrap();

        const N: usize = 50;
        for i in 0..2 * N {
            send(&push, i.to_string());
        }
        let got1: Vec<usize> = (0..N)
            .map(|_| recv_string(&pull1).parse().unwrap())
            .collect();
        let got2: Vec<usize> = (0..N)
            .map(|_| recv_string(&pull2).parse().unwrap())
            .collect();
        // Strict alternation: one PULL has all even numbers, the other all odd ones, in order.
        let parity = got1[0] % 2;
        assert!(
            got1.iter().enumerate().all(|(k, &v)| v == 2 * k + parity),
            "pull1: {got1:?}"
        );
        assert!(
            got2.iter()
                .enumerate()
                .all(|(k, &v)| v == 2 * k + 1 - parity),
            "pull2: {got2:?}"
        );
        assert_nothing_queued(&pull1);
        assert_nothing_queued(&pull2);
    });
}

#[test]
fn pull_fair_queues_two_pushes() {
    let ctx = Context::new();
    for_each_transport(|t| {
        let pull = socket(&ctx, SocketType::Pull);
        // A small receive HWM keeps either connection from running far ahead of the other.
        pull.set_rcvhwm(4).unwrap();
        let ep = bind(&pull, t);
        let a = socket(&ctx, SocketType::Push);
        a.connect(&ep).unwrap();
        let b = socket(&ctx, SocketType::Push);
        b.connect(&ep).unwrap();

        // Both connections are up once the PULL has seen a hello from each.
        send(&a, "a-hello");
        send(&b, "b-hello");
        let hellos: BTreeSet<String> = (0..2).map(|_| recv_string(&pull)).collect();
        assert_eq!(
            hellos,
            BTreeSet::from(["a-hello".to_string(), "b-hello".to_string()])
        );

        const N: usize = 200;
        for i in 0..N {
            send(&a, format!("a{i}"));
            send(&b, format!("b{i}"));
        }
        let got: Vec<String> = (0..2 * N).map(|_| recv_string(&pull)).collect();
        let from = |p: char| -> Vec<usize> {
            got.iter()
                .filter(|m| m.starts_with(p))
                .map(|m| m[1..].parse().unwrap())
                .collect()
        };
        // Nothing lost, per-sender order kept.
        assert_eq!(from('a'), (0..N).collect::<Vec<_>>());
        assert_eq!(from('b'), (0..N).collect::<Vec<_>>());

        let sources: Vec<char> = got.iter().map(|m| m.chars().next().unwrap()).collect();
        if t == Transport::Inproc {
            // Both pipes were full before the first read: strict alternation.
            assert!(
                sources.windows(2).all(|w| w[0] != w[1]),
                "not alternating: {sources:?}"
            );
        } else {
            // Over a network, arrival timing shapes the runs, but neither sender is starved
            // until the other is done.
            let first = |c| sources.iter().position(|&s| s == c).unwrap();
            let last = |c| sources.iter().rposition(|&s| s == c).unwrap();
            assert!(
                first('b') < last('a') && first('a') < last('b'),
                "not interleaved: {sources:?}"
            );
        }
    });
}

// ---------------------------------------------------------------------------------------
// STREAM against plain TCP

fn port_of(endpoint: &str) -> u16 {
    endpoint.rsplit(':').next().unwrap().parse().unwrap()
}

#[test]
fn stream_serves_http_to_a_plain_tcp_client() {
    let ctx = Context::new();
    let stream = socket(&ctx, SocketType::Stream);
    let ep = bind_tcp(&stream);

    let mut client = TcpStream::connect(("127.0.0.1", port_of(&ep))).unwrap();
    client.set_read_timeout(Some(TIMEOUT)).unwrap();
    client.set_write_timeout(Some(TIMEOUT)).unwrap();

    // The connection is announced by the peer's identity and an empty frame.
    let hello = recv_parts(&stream);
    assert_eq!(hello.len(), 2, "{hello:?}");
    let id = hello[0].clone();
    assert!(!id.is_empty());
    assert!(hello[1].is_empty());

    client
        .write_all(b"GET /hello HTTP/1.0\r\nHost: localhost\r\n\r\n")
        .unwrap();
    // TCP has no message boundaries: gather [id, data] messages until the blank line.
    let mut request = Vec::new();
    while !request.ends_with(b"\r\n\r\n") {
        let parts = recv_parts(&stream);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], id);
        assert!(!parts[1].is_empty());
        request.extend_from_slice(&parts[1]);
    }
    assert!(
        request.starts_with(b"GET /hello HTTP/1.0\r\n"),
        "{:?}",
        String::from_utf8_lossy(&request)
    );

    // Answer as the zmq_socket(3) example does: identity, then the data (SNDMORE ignored).
    let response: &[u8] = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nHello, World!";
    stream.send(&id, SendFlags::SNDMORE).unwrap();
    stream.send(response, SendFlags::SNDMORE).unwrap();
    let mut reply = vec![0u8; response.len()];
    client.read_exact(&mut reply).unwrap();
    assert_eq!(reply, response);

    // Identity + empty frame closes the connection: the client reads EOF. libzmq finishes
    // the close (pipe termination handshake) only when the application thread processes the
    // STREAM socket's commands, so keep touching it (ZMQ_EVENTS) while waiting.
    stream.send(&id, SendFlags::SNDMORE).unwrap();
    stream.send(b"", SendFlags::SNDMORE).unwrap();
    assert_eof_while_polling(&stream, &mut client);

    // An unknown identity is unroutable.
    assert_eq!(
        stream.send("no-such-peer", SendFlags::SNDMORE),
        Err(Error::HostUnreachable)
    );
}

/// Reads `client` until EOF, bounded by [`TIMEOUT`], calling into `stream` between reads so
/// that libzmq processes its pending commands; fails on data or on timeout.
fn assert_eof_while_polling(stream: &Socket, client: &mut TcpStream) {
    client
        .set_read_timeout(Some(std::time::Duration::from_millis(PROBE_MS as u64)))
        .unwrap();
    let deadline = Instant::now() + TIMEOUT;
    let mut buf = [0u8; 64];
    loop {
        assert!(
            Instant::now() < deadline,
            "connection not closed within {TIMEOUT:?}"
        );
        let _ = stream.events().unwrap();
        match client.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => panic!("unexpected data {:?}", &buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => panic!("read: {e}"),
        }
    }
}

#[test]
fn stream_closes_a_connection_on_an_empty_frame() {
    let ctx = Context::new();
    let stream = socket(&ctx, SocketType::Stream);
    let ep = bind_tcp(&stream);
    // Several clients; closing one leaves the others working.
    let mut clients: Vec<TcpStream> = (0..3)
        .map(|_| TcpStream::connect(("127.0.0.1", port_of(&ep))).unwrap())
        .collect();
    let ids: Vec<Vec<u8>> = (0..3)
        .map(|_| {
            let p = recv_parts(&stream);
            assert!(p[1].is_empty());
            p[0].clone()
        })
        .collect();
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        3,
        "distinct identities"
    );
    // Learn which id is which client: each writes its index.
    let mut by_client = vec![Vec::new(); 3];
    for (i, c) in clients.iter_mut().enumerate() {
        c.write_all(&[b'0' + i as u8]).unwrap();
        let p = recv_parts(&stream);
        by_client[(p[1][0] - b'0') as usize] = p[0].clone();
    }
    stream
        .send_multipart([&by_client[1][..], b""], SendFlags::empty())
        .unwrap();
    assert_eof_while_polling(&stream, &mut clients[1]);
    for i in [0, 2] {
        stream
            .send_multipart([&by_client[i][..], b"still open"], SendFlags::empty())
            .unwrap();
        let mut buf = [0u8; 10];
        clients[i].set_read_timeout(Some(TIMEOUT)).unwrap();
        clients[i].read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"still open");
    }
    // The closed identity is gone.
    assert_eq!(
        stream.send(&by_client[1], SendFlags::SNDMORE),
        Err(Error::HostUnreachable)
    );
}

#[test]
fn stream_connects_to_a_plain_tcp_server() {
    let ctx = Context::new();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let stream = socket(&ctx, SocketType::Stream);
    stream.connect(&format!("tcp://127.0.0.1:{port}")).unwrap();
    // After connect, ZMQ_ROUTING_ID names the new connection.
    let id = stream.routing_id().unwrap();
    assert!(!id.is_empty());

    let (mut server, _) = listener.accept().unwrap();
    server.set_read_timeout(Some(TIMEOUT)).unwrap();
    assert_eq!(
        recv_parts(&stream),
        vec![id.clone(), Vec::new()],
        "connect notification"
    );

    stream
        .send_multipart([&id[..], b"hello"], SendFlags::empty())
        .unwrap();
    let mut buf = [0u8; 5];
    server.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"hello");

    server.write_all(b"world").unwrap();
    let mut got = Vec::new();
    while got.len() < 5 {
        let parts = recv_parts(&stream);
        assert_eq!(parts[0], id);
        got.extend_from_slice(&parts[1]);
    }
    assert_eq!(got, b"world");

    // The peer closing is announced by identity + empty frame.
    drop(server);
    assert_eq!(
        recv_parts(&stream),
        vec![id, Vec::new()],
        "disconnect notification"
    );
}

// ---------------------------------------------------------------------------------------
// High-water marks

const HWM: i32 = 10;
const PAYLOAD: usize = 1024;
/// Far more messages than HWM plus small kernel buffers can hold.
const LIMIT: usize = 100_000;

/// Small queues everywhere: a send HWM on `sender`, a receive HWM on `receiver`, and small
/// kernel buffers for ipc/tcp so that filling the path takes few messages.
fn small_queues(sender: &Socket, receiver: &Socket) {
    sender.set_sndhwm(HWM).unwrap();
    sender.set_sndbuf(4096).unwrap();
    receiver.set_rcvhwm(HWM).unwrap();
    receiver.set_rcvbuf(4096).unwrap();
}

/// Sends `payload` with DONTWAIT until the first `WouldBlock`; returns how many went out.
fn fill(sender: &Socket, payload: &[u8], routing: Option<&[u8]>) -> Option<usize> {
    for sent in 0..LIMIT {
        let r = match routing {
            Some(id) => sender.send_multipart([id, payload], SendFlags::DONTWAIT),
            None => sender.send(payload, SendFlags::DONTWAIT),
        };
        match r {
            Ok(()) => {}
            Err(Error::WouldBlock) => return Some(sent),
            Err(e) => panic!("send #{sent}: {e}"),
        }
    }
    None
}

/// A sender whose action at HWM is "block": fills the path with nobody reading until sends
/// fail (DONTWAIT → WouldBlock, blocking → TimedOut after SNDTIMEO), then checks that every
/// accepted message arrives once the receiver reads, and that sending resumes.
fn assert_blocks_at_hwm(
    ctx: &Context,
    t: Transport,
    sender_type: SocketType,
    receiver_type: SocketType,
) {
    eprintln!("{sender_type:?} -> {receiver_type:?}");
    let receiver = socket(ctx, receiver_type);
    let sender = socket(ctx, sender_type);
    small_queues(&sender, &receiver);
    let ep = bind(&receiver, t);
    sender.connect(&ep).unwrap();
    send(&sender, "hello");
    assert_eq!(recv_parts(&receiver).last().unwrap(), b"hello");

    let payload = vec![7u8; PAYLOAD];
    let mut accepted = 0;
    let deadline = Instant::now() + TIMEOUT;
    // Room may still appear while the I/O threads move data towards the receiver: keep
    // filling until a blocking send with a short timeout also fails.
    sender.set_sndtimeo(20).unwrap();
    loop {
        assert!(Instant::now() < deadline, "{sender_type:?} never blocked");
        accepted += fill(&sender, &payload, None)
            .unwrap_or_else(|| panic!("{sender_type:?} accepted {LIMIT} messages"));
        match sender.send(&payload, SendFlags::empty()) {
            Err(Error::TimedOut) => break,
            Ok(()) => accepted += 1,
            Err(e) => panic!("blocking send: {e}"),
        }
    }
    sender.set_sndtimeo(TIMEOUT_MS).unwrap();
    assert!(
        accepted >= HWM as usize,
        "only {accepted} messages before blocking"
    );

    // Nothing was dropped: exactly the accepted messages arrive.
    for i in 0..accepted {
        let parts = recv_parts(&receiver);
        assert_eq!(
            parts.last().unwrap().len(),
            PAYLOAD,
            "message {i} of {accepted}"
        );
    }
    assert_nothing_queued(&receiver);

    // Reading made room: a blocking send goes through again.
    send(&sender, "after");
    assert_eq!(recv_parts(&receiver).last().unwrap(), b"after");
}

#[test]
#[cfg_attr(
    windows,
    ignore = "under wine 8 a tcp PUSH blocks after 9 messages with SNDHWM 10 (not investigated; \
              unverified on real Windows)"
)]
fn push_dealer_pair_block_at_hwm() {
    let ctx = Context::new();
    for_each_transport(|t| {
        assert_blocks_at_hwm(&ctx, t, SocketType::Push, SocketType::Pull);
        assert_blocks_at_hwm(&ctx, t, SocketType::Dealer, SocketType::Router);
        assert_blocks_at_hwm(&ctx, t, SocketType::Dealer, SocketType::Dealer);
        assert_blocks_at_hwm(&ctx, t, SocketType::Pair, SocketType::Pair);
    });
}

/// Drains `receiver` until an "end" probe (sent repeatedly by `probe`) gets through; returns
/// how many payload messages arrived before it. All payload was sent before the first probe,
/// and each path is FIFO, so the count is final when "end" arrives. A probe sent while an
/// earlier one was still on its way (a slow run, e.g. under valgrind) can arrive later:
/// whoever reads the socket next skips those with [`recv_skipping_probes`].
fn drain_until_end(receiver: &Socket, mut probe: impl FnMut()) -> usize {
    let mut data = 0;
    until_received(
        |_| probe(),
        || loop {
            let m = try_recv_within(receiver, PROBE_MS)?;
            if &m[..] == b"end" {
                return Some(());
            }
            if m.len() == PAYLOAD {
                data += 1;
            }
        },
    );
    data
}

/// The next message that is not a leftover "end" probe of [`drain_until_end`] (it sends
/// at most one per attempt, and its attempts are bounded by the test's timeout).
fn recv_skipping_probes(receiver: &Socket) -> Vec<u8> {
    for _ in 0..10_000 {
        let m = recv_bytes(receiver);
        if m != b"end" {
            return m;
        }
    }
    panic!("nothing but \"end\" probes");
}

#[test]
fn pub_drops_at_hwm_and_never_blocks() {
    let ctx = Context::new();
    for_each_transport(|t| {
        let publisher = socket(&ctx, SocketType::Pub);
        let sub = socket(&ctx, SocketType::Sub);
        small_queues(&publisher, &sub);
        let ep = bind(&publisher, t);
        sub.set_subscribe(b"").unwrap();
        sub.connect(&ep).unwrap();
        sync_pub_sub(&publisher, &sub);

        const N: usize = 10_000;
        let payload = vec![1u8; PAYLOAD];
        for i in 0..N {
            // Never WouldBlock: at HWM the PUB drops instead.
            publisher
                .send(&payload, SendFlags::DONTWAIT)
                .unwrap_or_else(|e| panic!("send #{i}: {e}"));
        }
        let received =
            drain_until_end(&sub, || publisher.send("end", SendFlags::DONTWAIT).unwrap());
        eprintln!("PUB: {received} of {N} delivered");
        assert!(received > 0, "nothing delivered");
        assert!(
            received < N,
            "all {N} delivered: nothing dropped at HWM {HWM}"
        );
    });
}

#[test]
fn router_drops_at_hwm_or_reports_eagain_with_mandatory() {
    let ctx = Context::new();
    for_each_transport(|t| {
        let router = socket(&ctx, SocketType::Router);
        let dealer = socket(&ctx, SocketType::Dealer);
        small_queues(&router, &dealer);
        let ep = bind(&router, t);
        dealer.set_routing_id(b"d").unwrap();
        dealer.connect(&ep).unwrap();
        send(&dealer, "hello");
        assert_eq!(recv_parts(&router), vec![b"d".to_vec(), b"hello".to_vec()]);

        // Default: sends to a full peer succeed and the messages are dropped.
        const N: usize = 10_000;
        let payload = vec![2u8; PAYLOAD];
        for i in 0..N {
            router
                .send_multipart([&b"d"[..], &payload], SendFlags::DONTWAIT)
                .unwrap_or_else(|e| panic!("send #{i}: {e}"));
        }
        let received = drain_until_end(&dealer, || {
            router
                .send_multipart([&b"d"[..], b"end"], SendFlags::DONTWAIT)
                .unwrap()
        });
        eprintln!("ROUTER: {received} of {N} delivered");
        assert!(received > 0 && received < N, "{received} of {N} delivered");

        // ROUTER_MANDATORY: a full peer is reported (EAGAIN with DONTWAIT) and nothing is
        // dropped.
        router.set_router_mandatory(true).unwrap();
        let accepted = fill(&router, &payload, Some(&b"d"[..]))
            .expect("ROUTER_MANDATORY never reported a full peer");
        assert_eq!(
            router.send_multipart([&b"nobody"[..], b"x"], SendFlags::DONTWAIT),
            Err(Error::HostUnreachable)
        );
        for i in 0..accepted {
            assert_eq!(
                recv_skipping_probes(&dealer).len(),
                PAYLOAD,
                "message {i} of {accepted}"
            );
        }
    });
}

// ---------------------------------------------------------------------------------------
// Multipart

#[test]
fn multipart_round_trip_of_empty_small_and_large_frames() {
    let ctx = Context::new();
    for_each_transport(|t| {
        let pull = socket(&ctx, SocketType::Pull);
        let ep = bind(&pull, t);
        let push = socket(&ctx, SocketType::Push);
        push.connect(&ep).unwrap();

        let big: Vec<u8> = (0..64 * 1024).map(|i| (i % 251) as u8).collect();
        let parts: Vec<Vec<u8>> = vec![
            Vec::new(),
            vec![0x42],
            big.clone(),
            Vec::new(),
            vec![0xff],
            big,
        ];

        push.send_multipart(parts.clone(), SendFlags::empty())
            .unwrap();
        assert_eq!(recv_parts(&pull), parts);

        // Frame by frame: Message::more and ZMQ_RCVMORE agree.
        let msgs: Vec<Message> = parts.iter().map(|p| Message::from(p.clone())).collect();
        push.send_multipart(msgs, SendFlags::empty()).unwrap();
        for (i, expected) in parts.iter().enumerate() {
            let m = pull.recv(RecvFlags::empty()).unwrap();
            assert_eq!(&m[..], &expected[..], "frame {i}");
            let more = i + 1 < parts.len();
            assert_eq!(m.more(), more, "frame {i}");
            assert_eq!(pull.rcvmore().unwrap(), more, "frame {i}");
        }

        // Single frames, including a 0-byte one, are complete messages.
        for single in [&b""[..], b"x"] {
            push.send_multipart([single], SendFlags::empty()).unwrap();
            let m = pull.recv(RecvFlags::empty()).unwrap();
            assert_eq!(&m[..], single);
            assert!(!m.more());
            assert!(!pull.rcvmore().unwrap());
        }

        // An empty iterator sends nothing.
        push.send_multipart(Vec::<Vec<u8>>::new(), SendFlags::empty())
            .unwrap();
        send(&push, "last");
        assert_eq!(recv_parts(&pull), vec![b"last".to_vec()]);
    });
}

#[test]
fn multipart_through_router_and_dealer() {
    let ctx = Context::new();
    for_each_transport(|t| {
        let router = socket(&ctx, SocketType::Router);
        let ep = bind(&router, t);
        let dealer = socket(&ctx, SocketType::Dealer);
        dealer.set_routing_id(b"dd").unwrap();
        dealer.connect(&ep).unwrap();
        let big = vec![9u8; 64 * 1024];
        dealer
            .send_multipart([&b""[..], b"1", &big], SendFlags::empty())
            .unwrap();
        assert_eq!(
            recv_parts(&router),
            vec![b"dd".to_vec(), Vec::new(), b"1".to_vec(), big.clone()]
        );
        router
            .send_multipart([&b"dd"[..], b"", &big, b"z"], SendFlags::empty())
            .unwrap();
        assert_eq!(recv_parts(&dealer), vec![Vec::new(), big, b"z".to_vec()]);
    });
}

#[test]
fn send_multipart_is_atomic_at_hwm() {
    let ctx = Context::new();
    for_each_transport(|t| {
        let pull = socket(&ctx, SocketType::Pull);
        let push = socket(&ctx, SocketType::Push);
        small_queues(&push, &pull);
        let ep = bind(&pull, t);
        push.connect(&ep).unwrap();
        send(&push, "hello");
        assert_eq!(recv_bytes(&pull), b"hello");

        let filler = vec![3u8; PAYLOAD];
        let multipart: [&[u8]; 3] = [b"m0", b"m1", b"m2"];
        let mut expected: Vec<Vec<Vec<u8>>> = Vec::new();
        let deadline = Instant::now() + TIMEOUT;
        loop {
            assert!(
                Instant::now() < deadline,
                "send_multipart never hit the HWM"
            );
            let n = fill(&push, &filler, None).expect("PUSH never blocked");
            expected.extend((0..n).map(|_| vec![filler.clone()]));
            match push.send_multipart(multipart, SendFlags::DONTWAIT) {
                // Failed on the first frame: nothing of it was queued.
                Err(Error::WouldBlock) => break,
                // Room appeared meanwhile; the whole message went out.
                Ok(()) => expected.push(multipart.iter().map(|p| p.to_vec()).collect()),
                Err(e) => panic!("send_multipart: {e}"),
            }
        }
        // The next message is sent when there is room again.
        expected.push(vec![b"after".to_vec()]);
        let receiver = std::thread::spawn(move || {
            let got: Vec<Vec<Vec<u8>>> = (0..expected.len()).map(|_| recv_parts(&pull)).collect();
            (got, expected, pull)
        });
        send(&push, "after");
        let (got, expected, pull) = receiver.join().unwrap();
        // A partial message would show up as [m0, after] or a frame count mismatch.
        for (i, (g, e)) in got.iter().zip(&expected).enumerate() {
            assert_eq!(
                g.len(),
                e.len(),
                "message {i}: {} frames, expected {}",
                g.len(),
                e.len()
            );
            assert_eq!(g, e, "message {i}");
        }
        assert_nothing_queued(&pull);
    });
}

// ---------------------------------------------------------------------------------------
// Errors

#[test]
fn unknown_errno_never_panics() {
    let e = Error::from_errno(9999);
    assert_eq!(e, Error::Other(9999));
    assert_eq!(e.errno(), 9999);
    assert!(!e.to_string().is_empty());
    for errno in [0, -1, i32::MIN, i32::MAX, 156_384_763, 156_384_800] {
        let e = Error::from_errno(errno);
        assert_eq!(e.errno(), errno);
        let _ = e.to_string();
        let _ = format!("{e:?}");
    }
    assert_eq!(Error::from_errno(libc::EAGAIN), Error::WouldBlock);
    assert_eq!(
        Error::from_errno(libc::EHOSTUNREACH),
        Error::HostUnreachable
    );
    assert_eq!(Error::from_errno(zmq4::sys::EFSM), Error::InvalidState);
    assert_eq!(
        Error::from_errno(zmq4::sys::ETERM),
        Error::ContextTerminated
    );
}

#[test]
fn socket_types_are_send() {
    fn assert_send<T: Send>() {}
    assert_send::<Socket>();
    assert_send::<Message>();
}
