//! The DRAFT socket types through real sockets: CLIENT/SERVER, RADIO/DISH (tcp, ipc and
//! udp), SCATTER/GATHER, PEER, CHANNEL, DGRAM over udp, and a thread-safe SERVER used from
//! two threads at once. Thread-safe types refuse inproc (tests/no_abort.rs). Every wait is
//! bounded (RCVTIMEO/SNDTIMEO, deadlines).
#![cfg(feature = "draft")]

mod common;

use common::*;
use std::collections::BTreeSet;
use std::sync::mpsc;
use std::sync::Arc;
use std::thread;
use zmq4::{Context, Error, Message, RecvFlags, SendFlags, SharedSocket, Socket, SocketType};

fn shared(ctx: &Context, ty: SocketType) -> SharedSocket {
    let s = ctx
        .shared_socket(ty)
        .unwrap_or_else(|e| panic!("shared_socket {ty:?}: {e}"));
    bounded(&s);
    s
}

/// A message for a routing id (SERVER, PEER).
fn to(routing_id: u32, data: &str) -> Message {
    let mut m = Message::from(data);
    m.set_routing_id(routing_id).unwrap();
    m
}

/// A message in a group (RADIO).
fn in_group(group: &str, data: &str) -> Message {
    let mut m = Message::from(data);
    m.set_group(group).unwrap();
    m
}

// ---------------------------------------------------------------------------------------
// CLIENT / SERVER

#[test]
fn client_server_routing_id_replies() {
    let ctx = Context::new();
    for_each_thread_safe_transport(|t| {
        let server = socket(&ctx, SocketType::Server);
        let ep = bind(&server, t);
        let c1 = socket(&ctx, SocketType::Client);
        c1.connect(&ep).unwrap();
        let c2 = socket(&ctx, SocketType::Client);
        c2.connect(&ep).unwrap();

        send(&c1, "from c1");
        send(&c2, "from c2");
        let mut ids = std::collections::HashMap::new();
        for _ in 0..2 {
            let m = server.recv(RecvFlags::empty()).unwrap();
            let rid = m.routing_id().expect("routing id");
            ids.insert(String::from_utf8(m.to_vec()).unwrap(), rid);
        }
        assert_eq!(ids.len(), 2);
        assert_ne!(ids["from c1"], ids["from c2"]);

        // Replies go to the peer named by the routing id.
        server
            .send_msg(&mut to(ids["from c2"], "to c2"), SendFlags::empty())
            .unwrap();
        server
            .send_msg(&mut to(ids["from c1"], "to c1"), SendFlags::empty())
            .unwrap();
        assert_eq!(recv_bytes(&c1), b"to c1");
        assert_eq!(recv_bytes(&c2), b"to c2");

        // No routing id, or an unknown one: EHOSTUNREACH.
        assert_eq!(
            server.send("nowhere", SendFlags::DONTWAIT),
            Err(Error::HostUnreachable)
        );
        let unknown = ids.values().max().unwrap() + 1000;
        assert_eq!(
            server.send_msg(&mut to(unknown, "x"), SendFlags::DONTWAIT),
            Err(Error::HostUnreachable)
        );

        // Single-part only.
        assert_eq!(
            c1.send("x", SendFlags::SNDMORE),
            Err(Error::InvalidArgument)
        );
        assert_eq!(
            server.send("x", SendFlags::SNDMORE),
            Err(Error::InvalidArgument)
        );
    });
}

// ---------------------------------------------------------------------------------------
// RADIO / DISH

/// Waits until `dish` receives from `radio` in `group`, then leaves `group` (so stray probes
/// are filtered by the DISH itself). Joins made before have reached the RADIO by then.
fn sync_radio_dish(radio: &Socket, dish: &Socket, group: &str) -> bool {
    dish.join(group).unwrap();
    let deadline = std::time::Instant::now() + TIMEOUT;
    let mut ok = false;
    while std::time::Instant::now() < deadline {
        radio
            .send_msg(&mut in_group(group, "probe"), SendFlags::DONTWAIT)
            .unwrap();
        if try_recv_within(dish, PROBE_MS).is_some() {
            ok = true;
            break;
        }
    }
    dish.leave(group).unwrap();
    ok
}

/// Sends each (group, data), then "end" in group "end"; returns the (group, data) pairs the
/// DISH received before "end".
fn radio_collect(radio: &Socket, dish: &Socket, msgs: &[(&str, &str)]) -> Vec<(String, String)> {
    for (g, d) in msgs {
        radio
            .send_msg(&mut in_group(g, d), SendFlags::empty())
            .unwrap();
    }
    radio
        .send_msg(&mut in_group("end", "end"), SendFlags::empty())
        .unwrap();
    let mut got = Vec::new();
    loop {
        let m = dish
            .recv(RecvFlags::empty())
            .unwrap_or_else(|e| panic!("dish recv: {e}"));
        let g = m.group().unwrap_or("").to_string();
        if g == "end" {
            return got;
        }
        got.push((g, String::from_utf8(m.to_vec()).unwrap()));
    }
}

fn radio_dish_groups(radio: &Socket, dish: &Socket) {
    dish.join("end").unwrap();
    dish.join("weather").unwrap();
    assert!(
        sync_radio_dish(radio, dish, "sync"),
        "RADIO never reached DISH"
    );

    // Exact group match, not prefix.
    let got = radio_collect(
        radio,
        dish,
        &[
            ("sports", "goal"),
            ("weather", "rain"),
            ("weath", "no"),
            ("weather2", "no"),
            ("weather", "sun"),
        ],
    );
    assert_eq!(
        got,
        vec![
            ("weather".into(), "rain".into()),
            ("weather".into(), "sun".into())
        ]
    );

    // Leaving stops delivery at once (the DISH filters too).
    dish.leave("weather").unwrap();
    dish.join("sports").unwrap();
    assert!(sync_radio_dish(radio, dish, "sync2"));
    let got = radio_collect(radio, dish, &[("weather", "hail"), ("sports", "match")]);
    assert_eq!(got, vec![("sports".into(), "match".into())]);

    // Joining twice or leaving a group not joined is an error.
    assert_eq!(dish.join("sports"), Err(Error::InvalidArgument));
    assert_eq!(dish.leave("never-joined"), Err(Error::InvalidArgument));
    // RADIO messages need a group; DISH cannot send.
    assert_eq!(
        dish.send("x", SendFlags::DONTWAIT),
        Err(Error::NotSupported)
    );
}

#[test]
fn radio_dish_over_ipc_and_tcp() {
    let ctx = Context::new();
    for_each_thread_safe_transport(|t| {
        let dish = socket(&ctx, SocketType::Dish);
        let ep = bind(&dish, t);
        let radio = socket(&ctx, SocketType::Radio);
        radio.connect(&ep).unwrap();
        radio_dish_groups(&radio, &dish);
    });
}

#[test]
fn radio_dish_over_udp() {
    let ctx = Context::new();
    // The port was free a moment ago; libzmq binds udp asynchronously in its I/O thread, so a
    // port taken meanwhile shows up as no delivery: try another port then.
    for attempt in 0..3 {
        let port = free_udp_port();
        let dish = socket(&ctx, SocketType::Dish);
        match dish.bind(&format!("udp://127.0.0.1:{port}")) {
            Err(Error::AddressInUse) => continue,
            r => r.unwrap(),
        }
        let radio = socket(&ctx, SocketType::Radio);
        radio.connect(&format!("udp://127.0.0.1:{port}")).unwrap();
        dish.join("end").unwrap();
        dish.join("weather").unwrap();
        if !sync_radio_dish(&radio, &dish, "sync") {
            eprintln!("udp port {port} did not deliver (attempt {attempt})");
            continue;
        }
        // Datagrams on loopback arrive in order; a group not joined is filtered by the DISH.
        let got = radio_collect(&radio, &dish, &[("sports", "goal"), ("weather", "rain")]);
        assert_eq!(got, vec![("weather".into(), "rain".into())]);
        dish.leave("weather").unwrap();
        let got = radio_collect(&radio, &dish, &[("weather", "hail")]);
        assert!(got.is_empty(), "{got:?}");
        return;
    }
    panic!("no udp port delivered");
}

// ---------------------------------------------------------------------------------------
// SCATTER / GATHER, PEER, CHANNEL

#[test]
fn scatter_gather_round_robin_and_single_part() {
    let ctx = Context::new();
    for_each_thread_safe_transport(|t| {
        let g1 = socket(&ctx, SocketType::Gather);
        let ep1 = bind(&g1, t);
        let g2 = socket(&ctx, SocketType::Gather);
        let ep2 = bind(&g2, t);
        let scatter = socket(&ctx, SocketType::Scatter);
        scatter.connect(&ep1).unwrap();
        scatter.connect(&ep2).unwrap();

        for i in 0..10 {
            send(&scatter, i.to_string());
        }
        let a: Vec<u32> = (0..5).map(|_| recv_string(&g1).parse().unwrap()).collect();
        let b: Vec<u32> = (0..5).map(|_| recv_string(&g2).parse().unwrap()).collect();
        let parity = a[0] % 2;
        assert!(
            a.iter()
                .enumerate()
                .all(|(k, &v)| v == 2 * k as u32 + parity),
            "{a:?}"
        );
        assert!(
            b.iter()
                .enumerate()
                .all(|(k, &v)| v == 2 * k as u32 + 1 - parity),
            "{b:?}"
        );

        assert_eq!(
            scatter.send("x", SendFlags::SNDMORE),
            Err(Error::InvalidArgument)
        );
        // Fair queueing the other way: two SCATTERs into one GATHER.
        let gather = socket(&ctx, SocketType::Gather);
        let ep = bind(&gather, t);
        let s2 = socket(&ctx, SocketType::Scatter);
        s2.connect(&ep).unwrap();
        let s3 = socket(&ctx, SocketType::Scatter);
        s3.connect(&ep).unwrap();
        send(&s2, "from s2");
        send(&s3, "from s3");
        let got: BTreeSet<String> = (0..2).map(|_| recv_string(&gather)).collect();
        assert_eq!(
            got,
            BTreeSet::from(["from s2".to_string(), "from s3".to_string()])
        );
    });
}

#[test]
fn peer_connect_peer_routing_ids_both_ways() {
    let ctx = Context::new();
    for_each_thread_safe_transport(|t| {
        let p1 = socket(&ctx, SocketType::Peer);
        let ep = bind(&p1, t);
        let p2 = socket(&ctx, SocketType::Peer);
        let p1_id = p2.connect_peer(&ep).unwrap();
        assert_ne!(p1_id, 0);

        p2.send_msg(&mut to(p1_id, "hello p1"), SendFlags::empty())
            .unwrap();
        let m = p1.recv(RecvFlags::empty()).unwrap();
        assert_eq!(&m[..], b"hello p1");
        let p2_id = m.routing_id().expect("routing id of p2");

        p1.send_msg(&mut to(p2_id, "hello p2"), SendFlags::empty())
            .unwrap();
        let m = p2.recv(RecvFlags::empty()).unwrap();
        assert_eq!(&m[..], b"hello p2");
        assert_eq!(
            m.routing_id(),
            Some(p1_id),
            "replies carry the id connect_peer returned"
        );

        assert_eq!(
            p1.send_msg(&mut to(p2_id + 1000, "x"), SendFlags::DONTWAIT),
            Err(Error::HostUnreachable)
        );
        // connect_peer is PEER-only.
        let client = socket(&ctx, SocketType::Client);
        assert_eq!(client.connect_peer(&ep), Err(Error::NotSupported));
    });
}

#[test]
fn channel_pair_round_trip() {
    let ctx = Context::new();
    for_each_thread_safe_transport(|t| {
        let a = socket(&ctx, SocketType::Channel);
        let ep = bind(&a, t);
        let b = socket(&ctx, SocketType::Channel);
        b.connect(&ep).unwrap();
        send(&b, "ping");
        assert_eq!(recv_bytes(&a), b"ping");
        send(&a, "pong");
        assert_eq!(recv_bytes(&b), b"pong");
        assert_eq!(a.send("x", SendFlags::SNDMORE), Err(Error::InvalidArgument));
    });
}

// ---------------------------------------------------------------------------------------
// DGRAM

#[test]
fn dgram_over_udp_address_frame_and_data() {
    let ctx = Context::new();
    let dgram = socket(&ctx, SocketType::Dgram);
    // DGRAM binds only: connect is refused.
    assert_eq!(
        dgram.connect("udp://127.0.0.1:9"),
        Err(Error::IncompatibleProtocol)
    );
    for attempt in 0..3 {
        let [p1, p2] = free_udp_ports();
        let listener = socket(&ctx, SocketType::Dgram);
        let sender = socket(&ctx, SocketType::Dgram);
        listener.bind(&format!("udp://127.0.0.1:{p1}")).unwrap();
        sender.bind(&format!("udp://127.0.0.1:{p2}")).unwrap();
        let to_listener = format!("127.0.0.1:{p1}");
        let deadline = std::time::Instant::now() + TIMEOUT;
        let mut got = None;
        while got.is_none() && std::time::Instant::now() < deadline {
            sender
                .send_multipart(
                    [to_listener.as_bytes(), b"Is someone there?"],
                    SendFlags::empty(),
                )
                .unwrap();
            listener.set_rcvtimeo(PROBE_MS).unwrap();
            got = listener.recv_multipart(RecvFlags::empty()).ok();
        }
        let Some(got) = got else {
            eprintln!("udp ports {p1}/{p2} did not deliver (attempt {attempt})");
            continue;
        };
        listener.set_rcvtimeo(TIMEOUT_MS).unwrap();
        assert_eq!(got.len(), 2);
        // libzmq's udp engine hands the address over as a C string, NUL included.
        assert_eq!(
            &got[0][..],
            format!("127.0.0.1:{p2}\0").as_bytes(),
            "address frame"
        );
        assert_eq!(&got[1][..], b"Is someone there?");

        // Answer to the address frame received.
        listener
            .send_multipart([&got[0][..], b"Yes, there is!"], SendFlags::empty())
            .unwrap();
        let reply = recv_parts(&sender);
        assert_eq!(
            reply,
            vec![
                format!("{to_listener}\0").into_bytes(),
                b"Yes, there is!".to_vec()
            ]
        );
        return;
    }
    panic!("no udp port pair delivered");
}

// ---------------------------------------------------------------------------------------
// Thread-safe sockets

#[test]
fn shared_server_used_by_two_threads_at_once() {
    const N: usize = 200;
    let ctx = Context::new();
    let server = Arc::new(shared(&ctx, SocketType::Server));
    let ep = bind(&*server, Transport::Tcp);
    let client = socket(&ctx, SocketType::Client);
    client.connect(&ep).unwrap();

    let (tx, rx) = mpsc::channel();
    let workers: Vec<_> = (0..2)
        .map(|w| {
            let server = Arc::clone(&server);
            let tx = tx.clone();
            thread::spawn(move || {
                // Receive and answer from both threads at once until a "stop" arrives.
                let mut handled = Vec::new();
                loop {
                    let m = match server.recv(RecvFlags::empty()) {
                        Ok(m) => m,
                        Err(e) => panic!("worker {w}: {e}"),
                    };
                    let rid = m.routing_id().unwrap();
                    let text = String::from_utf8(m.to_vec()).unwrap();
                    if text == "stop" {
                        break;
                    }
                    server
                        .send_msg(&mut to(rid, &format!("re:{text}")), SendFlags::empty())
                        .unwrap();
                    handled.push(text);
                }
                tx.send(handled).unwrap();
            })
        })
        .collect();
    drop(tx);

    for i in 0..N {
        send(&client, format!("m{i}"));
    }
    let replies: BTreeSet<String> = (0..N).map(|_| recv_string(&client)).collect();
    assert_eq!(replies, (0..N).map(|i| format!("re:m{i}")).collect());
    // One "stop" per worker: each stops after its first.
    send(&client, "stop");
    send(&client, "stop");
    let mut all = Vec::new();
    for _ in 0..2 {
        all.extend(rx.recv_timeout(TIMEOUT).expect("a worker did not finish"));
    }
    for w in workers {
        w.join().unwrap();
    }
    all.sort();
    let mut expected: Vec<String> = (0..N).map(|i| format!("m{i}")).collect();
    expected.sort();
    assert_eq!(all, expected, "every request handled exactly once");
}

#[test]
fn shared_client_sends_from_two_threads() {
    const N: usize = 100;
    let ctx = Context::new();
    let server = socket(&ctx, SocketType::Server);
    let ep = bind(&server, Transport::Tcp);
    let client = Arc::new(shared(&ctx, SocketType::Client));
    client.connect(&ep).unwrap();
    let senders: Vec<_> = (0..2)
        .map(|w| {
            let client = Arc::clone(&client);
            thread::spawn(move || {
                for i in 0..N {
                    client.send(format!("{w}:{i}"), SendFlags::empty()).unwrap();
                }
            })
        })
        .collect();
    let got: Vec<String> = (0..2 * N).map(|_| recv_string(&server)).collect();
    for s in senders {
        s.join().unwrap();
    }
    for w in 0..2 {
        let mine: Vec<usize> = got
            .iter()
            .filter_map(|m| m.strip_prefix(&format!("{w}:")))
            .map(|i| i.parse().unwrap())
            .collect();
        assert_eq!(
            mine,
            (0..N).collect::<Vec<_>>(),
            "thread {w}: all sent, in order"
        );
    }
}
