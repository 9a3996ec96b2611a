//! Thread-safe draft sockets (no ZMQ_FD: driven through a zmq_poller's descriptor) used
//! asynchronously: CLIENT/SERVER, RADIO/DISH, SCATTER/GATHER, PEER, CHANNEL, from several
//! tasks at once.
#![cfg(all(feature = "tokio", feature = "draft", unix))]

mod async_support;

use async_support::*;
use std::time::Duration;
use zmq4::tokio::AsyncSocket;
use zmq4::{Context, Message, SocketType};

/// Several CLIENTs, each with its own task, against one SERVER served by two tasks at once
/// (the socket is shared); replies are routed back by routing id.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn client_server_many_clients_two_server_tasks() {
    const CLIENTS: u32 = 4;
    const EACH: u32 = 5_000;
    within(LIMIT, "client/server", async {
        let ctx = Context::new();
        let server = shared(&ctx, SocketType::Server);
        let endpoint = bind(&server, Transport::Tcp);

        let servers: Vec<_> = (0..2)
            .map(|_| {
                let server = server.clone();
                tokio::spawn(async move {
                    let mut served = 0u32;
                    loop {
                        let request = match server.recv().await {
                            Ok(r) => r,
                            Err(zmq4::Error::ContextTerminated) => return served,
                            Err(e) => panic!("server recv: {e}"),
                        };
                        let id = request.routing_id().expect("routing id");
                        let mut reply = Message::from(request.to_vec());
                        reply.set_routing_id(id).unwrap();
                        server.send(reply).await.unwrap();
                        served += 1;
                    }
                })
            })
            .collect();

        let clients: Vec<_> = (0..CLIENTS)
            .map(|id| {
                let client = shared(&ctx, SocketType::Client);
                client.connect(&endpoint).unwrap();
                tokio::spawn(async move {
                    // Requests and replies in flight together: the sender and the receiver
                    // are two tasks on one socket.
                    let tx = client.clone();
                    let sender = tokio::spawn(async move {
                        for seq in 0..EACH {
                            tx.send(payload(id, seq, 8)).await.unwrap();
                        }
                        tx
                    });
                    let mut seen = vec![false; EACH as usize];
                    for _ in 0..EACH {
                        let reply = client.recv().await.unwrap();
                        let (from, seq) = parse(&reply);
                        assert_eq!(from, id, "a reply routed to the wrong client");
                        assert!(!seen[seq as usize], "duplicate reply");
                        seen[seq as usize] = true;
                    }
                    sender.await.unwrap();
                })
            })
            .collect();
        for c in clients {
            c.await.unwrap();
        }
        ctx.shutdown().unwrap();
        let served: u32 = futures_util::future::join_all(servers)
            .await
            .into_iter()
            .map(|r| r.unwrap())
            .sum();
        assert_eq!(served, CLIENTS * EACH);
    })
    .await;
}

/// RADIO → DISH over tcp: once a probe shows the join has reached the radio, 20,000
/// messages to the group arrive, in order; messages to another group never do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn radio_dish_group_delivery() {
    const N: u32 = 20_000;
    within(LIMIT, "radio/dish", async {
        let ctx = Context::new();
        let dish = shared(&ctx, SocketType::Dish);
        dish.with_socket(|s| {
            s.set_rcvhwm(0)?;
            s.join("weather")
        })
        .unwrap();
        let endpoint = bind(&dish, Transport::Tcp);
        let radio = shared(&ctx, SocketType::Radio);
        radio.with_socket(|s| s.set_sndhwm(0)).unwrap();
        radio.connect(&endpoint).unwrap();

        let grouped = |group: &str, data: Vec<u8>| {
            let mut m = Message::from(data);
            m.set_group(group).unwrap();
            m
        };
        // Until the join travelled to the radio, its messages are dropped: probe until one
        // arrives (each probe waits a little; the loop is bounded by the test's timeout).
        loop {
            radio
                .send(grouped("weather", b"probe".to_vec()))
                .await
                .unwrap();
            match tokio::time::timeout(Duration::from_millis(20), dish.recv()).await {
                Ok(m) => {
                    assert_eq!(&m.unwrap()[..], b"probe");
                    break;
                }
                Err(_) => continue,
            }
        }
        let sender = {
            let radio = radio.clone();
            tokio::spawn(async move {
                for seq in 0..N {
                    radio
                        .send(grouped("sports", payload(1, seq, 0)))
                        .await
                        .unwrap();
                    radio
                        .send(grouped("weather", payload(0, seq, 4)))
                        .await
                        .unwrap();
                }
            })
        };
        let mut check = SeqCheck::new(1);
        while check.count(0) < N {
            let m = dish.recv().await.unwrap();
            if &m[..] == b"probe" {
                continue; // probes still in flight
            }
            assert_eq!(m.group(), Some("weather"));
            let (s, seq) = parse(&m);
            check.see(s, seq);
        }
        check.assert_complete(N);
        sender.await.unwrap();
    })
    .await;
}

/// SCATTER → GATHER, and a GATHER read by several tasks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scatter_gather() {
    const N: u32 = 10_000;
    within(LIMIT, "scatter/gather", async {
        let ctx = Context::new();
        let gather = shared(&ctx, SocketType::Gather);
        let endpoint = bind(&gather, Transport::Tcp);
        let scatter = shared(&ctx, SocketType::Scatter);
        scatter.connect(&endpoint).unwrap();
        let producer = tokio::spawn(async move {
            for seq in 0..N {
                scatter.send(payload(0, seq, 0)).await.unwrap();
            }
            scatter
        });
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let readers: Vec<_> = (0..3)
            .map(|_| {
                let gather = gather.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    while let Ok(m) = gather.recv().await {
                        if tx.send(parse(&m).1).is_err() {
                            return;
                        }
                    }
                })
            })
            .collect();
        drop(tx);
        let mut seen = vec![false; N as usize];
        for _ in 0..N {
            let seq = rx.recv().await.unwrap() as usize;
            assert!(!seen[seq], "duplicate {seq}");
            seen[seq] = true;
        }
        drop(rx);
        let _scatter = producer.await.unwrap();
        ctx.shutdown().unwrap();
        for r in readers {
            r.await.unwrap();
        }
    })
    .await;
}

/// PEER ↔ PEER through `connect_peer` routing ids, and CHANNEL ↔ CHANNEL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peer_and_channel() {
    within(LIMIT, "peer/channel", async {
        let ctx = Context::new();
        let a = shared(&ctx, SocketType::Peer);
        let endpoint = bind(&a, Transport::Tcp);
        let b = shared(&ctx, SocketType::Peer);
        let a_id = b.with_socket(|s| s.connect_peer(&endpoint)).unwrap();
        for i in 0..1_000 {
            let mut m = Message::from(payload(0, i, 0));
            m.set_routing_id(a_id).unwrap();
            b.send(m).await.unwrap();
            let got = a.recv().await.unwrap();
            assert_eq!(parse(&got), (0, i));
            let b_id = got.routing_id().unwrap();
            let mut reply = Message::from(got.to_vec());
            reply.set_routing_id(b_id).unwrap();
            a.send(reply).await.unwrap();
            assert_eq!(parse(&b.recv().await.unwrap()), (0, i));
        }

        let x = shared(&ctx, SocketType::Channel);
        let endpoint = bind(&x, Transport::Tcp);
        let y = shared(&ctx, SocketType::Channel);
        y.connect(&endpoint).unwrap();
        let echo = tokio::spawn(async move {
            for _ in 0..1_000 {
                let m = x.recv().await.unwrap();
                x.send(m).await.unwrap();
            }
        });
        for i in 0..1_000 {
            y.send(payload(0, i, 0)).await.unwrap();
            assert_eq!(parse(&y.recv().await.unwrap()), (0, i));
        }
        echo.await.unwrap();
    })
    .await;
}

/// A thread-safe type made with `Context::socket` (so `AsyncSocket<Exclusive>`) is driven
/// through the poller too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thread_safe_type_in_exclusive_mode() {
    within(LIMIT, "exclusive server", async {
        let ctx = Context::new();
        let server = AsyncSocket::new(ctx.socket(SocketType::Server).unwrap()).unwrap();
        let endpoint = bind(&server, Transport::Tcp);
        let client = AsyncSocket::new(ctx.socket(SocketType::Client).unwrap()).unwrap();
        client.connect(&endpoint).unwrap();
        let task = tokio::spawn(async move {
            for _ in 0..2_000 {
                let m = server.recv().await.unwrap();
                let mut reply = Message::from(m.to_vec());
                reply.set_routing_id(m.routing_id().unwrap()).unwrap();
                server.send(reply).await.unwrap();
            }
        });
        for i in 0..2_000 {
            client.send(payload(0, i, 0)).await.unwrap();
            assert_eq!(parse(&client.recv().await.unwrap()), (0, i));
        }
        task.await.unwrap();
    })
    .await;
}
