//! Async sockets under load, on a multi-threaded tokio runtime: 100,000 messages through
//! PUSH/PULL, DEALER/ROUTER and PUB/SUB fan-in from several tasks, many sockets in one
//! runtime, and the Stream/Sink adapters. Every test is bounded by a timeout; none waits by
//! sleeping.
#![cfg(all(feature = "tokio", unix))]

mod async_support;

use async_support::*;
use futures_util::{SinkExt, StreamExt};
use zmq4::{Context, Message, SocketType};

const TOTAL: u32 = 100_000;
const SENDERS: u32 = 4;

async fn push_pull_fan_in(transport: Transport) {
    let ctx = Context::new();
    let pull = socket(&ctx, SocketType::Pull);
    let endpoint = bind(&pull, transport);
    let per_sender = TOTAL / SENDERS;

    let mut senders = Vec::new();
    for sender in 0..SENDERS {
        let push = socket(&ctx, SocketType::Push);
        push.connect(&endpoint).unwrap();
        senders.push(tokio::spawn(async move {
            for seq in 0..per_sender {
                push.send(payload(sender, seq, 8)).await.unwrap();
            }
            push // kept open until everything arrived: linger 0 would drop queued messages
        }));
    }

    let mut check = SeqCheck::new(SENDERS as usize);
    let mut msg = Message::new();
    for _ in 0..TOTAL {
        pull.recv_msg(&mut msg).await.unwrap();
        let (sender, seq) = parse(&msg);
        check.see(sender, seq);
    }
    check.assert_complete(per_sender);
    for s in senders {
        s.await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn push_pull_fan_in_100k_inproc() {
    within(
        LIMIT,
        "push/pull inproc",
        push_pull_fan_in(Transport::Inproc),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn push_pull_fan_in_100k_tcp() {
    within(LIMIT, "push/pull tcp", push_pull_fan_in(Transport::Tcp)).await;
}

/// DEALERs whose sending and receiving run in two tasks sharing the socket (so a receive is
/// parked while the other task works the socket: the lost wake-up case), against a ROUTER
/// echoing from one task. The ROUTER is `ROUTER_MANDATORY`, so a reply towards a dealer
/// whose queue is full waits (EAGAIN) instead of being dropped, as a plain ROUTER does.
async fn dealer_router(transport: Transport) {
    let ctx = Context::new();
    let router = socket(&ctx, SocketType::Router);
    router
        .with_socket(|s| s.set_router_mandatory(true))
        .unwrap();
    let endpoint = bind(&router, transport);
    let per_dealer = TOTAL / SENDERS;

    let echo = tokio::spawn(async move {
        for _ in 0..TOTAL {
            let parts = router.recv_multipart().await.unwrap();
            assert_eq!(parts.len(), 2, "routing id + payload");
            router.send_multipart(parts).await.unwrap();
        }
        router // open until the dealers have every reply (linger 0)
    });

    let mut dealers = Vec::new();
    for id in 0..SENDERS {
        let dealer = socket(&ctx, SocketType::Dealer);
        dealer.connect(&endpoint).unwrap();
        let tx = dealer.clone();
        let sender = tokio::spawn(async move {
            for seq in 0..per_dealer {
                tx.send(payload(id, seq, 16)).await.unwrap();
            }
            tx
        });
        let receiver = tokio::spawn(async move {
            let mut next = 0;
            while next < per_dealer {
                let reply = dealer.recv().await.unwrap();
                assert_eq!(parse(&reply), (id, next), "dealer {id}: reply out of order");
                next += 1;
            }
        });
        dealers.push((sender, receiver));
    }
    let router = echo.await.unwrap();
    for (s, r) in dealers {
        s.await.unwrap();
        r.await.unwrap();
    }
    drop(router);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dealer_router_100k_inproc() {
    within(
        LIMIT,
        "dealer/router inproc",
        dealer_router(Transport::Inproc),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn dealer_router_100k_tcp() {
    within(LIMIT, "dealer/router tcp", dealer_router(Transport::Tcp)).await;
}

/// Several publishers (XPUB, so each knows when the subscriber's subscription arrived, with
/// no sleeping) feeding one SUB, with unlimited high-water marks so nothing may be dropped.
async fn pub_sub_fan_in(transport: Transport) {
    let ctx = Context::new();
    let sub = socket(&ctx, SocketType::Sub);
    sub.with_socket(|s| {
        s.set_rcvhwm(0)?;
        s.set_subscribe(b"")
    })
    .unwrap();
    let endpoint = bind(&sub, transport);
    let per_pub = TOTAL / SENDERS;

    let mut publishers = Vec::new();
    for id in 0..SENDERS {
        let publisher = socket(&ctx, SocketType::XPub);
        publisher.with_socket(|s| s.set_sndhwm(0)).unwrap();
        publisher.connect(&endpoint).unwrap();
        publishers.push(tokio::spawn(async move {
            // The subscription message: 0x01 + the (empty) prefix.
            let subscription = publisher.recv().await.unwrap();
            assert_eq!(&subscription[..], &[1u8][..]);
            let mut sink = publisher.sink();
            for seq in 0..per_pub {
                sink.feed(payload(id, seq, 24).into()).await.unwrap();
            }
            sink.flush().await.unwrap();
            publisher
        }));
    }

    let mut check = SeqCheck::new(SENDERS as usize);
    let mut stream = sub.stream();
    for _ in 0..TOTAL {
        let msg = stream.next().await.unwrap().unwrap();
        let (id, seq) = parse(&msg);
        check.see(id, seq);
    }
    check.assert_complete(per_pub);
    for p in publishers {
        p.await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pub_sub_fan_in_100k_inproc() {
    within(LIMIT, "pub/sub inproc", pub_sub_fan_in(Transport::Inproc)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pub_sub_fan_in_100k_tcp() {
    within(LIMIT, "pub/sub tcp", pub_sub_fan_in(Transport::Tcp)).await;
}

/// The sockets of a bulk fan-in: a PULL with a receive high-water mark of 100, bound, and
/// `SENDERS` PUSH sockets with a send high-water mark of 100 connected to it (small marks,
/// so the senders' batches wait for room).
fn bulk_fan_in_sockets(
    ctx: &Context,
    transport: Transport,
) -> (zmq4::tokio::AsyncSocket, Vec<zmq4::tokio::AsyncSocket>) {
    let pull = socket(ctx, SocketType::Pull);
    pull.with_socket(|s| s.set_rcvhwm(100)).unwrap();
    let endpoint = bind(&pull, transport);
    let pushes = (0..SENDERS)
        .map(|_| {
            let push = socket(ctx, SocketType::Push);
            push.with_socket(|s| s.set_sndhwm(100)).unwrap();
            push.connect(&endpoint).unwrap();
            push
        })
        .collect();
    (pull, pushes)
}

/// The bulk paths: four senders feeding `SendSink`s in uneven runs (so its queue fills,
/// waits on a small high-water mark and flushes), one receiver draining with `recv_many`.
async fn batched_fan_in(transport: Transport) {
    let ctx = Context::new();
    let (pull, pushes) = bulk_fan_in_sockets(&ctx, transport);
    let per_sender = TOTAL / SENDERS;

    let mut senders = Vec::new();
    for (sender, push) in (0..SENDERS).zip(pushes) {
        senders.push(tokio::spawn(async move {
            let mut sink = push.sink();
            let mut seq = 0;
            let mut run = 1;
            while seq < per_sender {
                // Runs of 1 to 199 messages, then a flush: below, at and above the capacity.
                for _ in 0..run.min(per_sender - seq) {
                    sink.feed(payload(sender, seq, 8).into()).await.unwrap();
                    seq += 1;
                }
                sink.flush().await.unwrap();
                run = run * 7 % 199 + 1;
            }
            push
        }));
    }

    let mut check = SeqCheck::new(SENDERS as usize);
    let mut batch = Vec::new();
    let (mut seen, mut batches) = (0, 0u32);
    while seen < TOTAL {
        let n = pull.recv_many(&mut batch, 256).await.unwrap();
        assert!((1..=256).contains(&n));
        batches += 1;
        for msg in batch.drain(..) {
            let (sender, seq) = parse(&msg);
            check.see(sender, seq);
            seen += 1;
        }
    }
    check.assert_complete(per_sender);
    eprintln!("{transport:?}: {TOTAL} messages in {batches} batches");
    for s in senders {
        s.await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn batched_sink_and_recv_many_100k_inproc() {
    within(LIMIT, "batched inproc", batched_fan_in(Transport::Inproc)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn batched_sink_and_recv_many_100k_tcp() {
    within(LIMIT, "batched tcp", batched_fan_in(Transport::Tcp)).await;
}

/// The slice and reused-message bulk paths: four senders handing `send_slices` runs of 1 to
/// 199 frames (resuming from the count each call returns), one receiver draining with
/// `recv_batch` into 64 reused messages.
async fn slice_batch_fan_in(transport: Transport) {
    let ctx = Context::new();
    let (pull, pushes) = bulk_fan_in_sockets(&ctx, transport);
    let per_sender = TOTAL / SENDERS;

    let mut senders = Vec::new();
    for (sender, push) in (0..SENDERS).zip(pushes) {
        senders.push(tokio::spawn(async move {
            let frames: Vec<Vec<u8>> = (0..per_sender).map(|q| payload(sender, q, 8)).collect();
            let (mut sent, mut run, mut calls) = (0usize, 1usize, 0u32);
            while sent < frames.len() {
                let end = (sent + run).min(frames.len());
                let n = push.send_slices(&frames[sent..end]).await.unwrap();
                assert!((1..=end - sent).contains(&n));
                sent += n;
                calls += 1;
                run = run * 7 % 199 + 1;
            }
            assert_eq!(push.send_slices::<&[u8]>(&[]).await.unwrap(), 0);
            (push, calls)
        }));
    }

    let mut check = SeqCheck::new(SENDERS as usize);
    let mut batch: Vec<Message> = (0..64).map(|_| Message::new()).collect();
    assert_eq!(pull.recv_batch(&mut []).await.unwrap(), 0);
    let (mut seen, mut batches) = (0, 0u32);
    while seen < TOTAL {
        let n = pull.recv_batch(&mut batch).await.unwrap();
        assert!((1..=64).contains(&n));
        batches += 1;
        for msg in &batch[..n] {
            let (sender, seq) = parse(msg);
            check.see(sender, seq);
            seen += 1;
        }
    }
    check.assert_complete(per_sender);
    let mut calls = 0;
    for s in senders {
        calls += s.await.unwrap().1;
    }
    eprintln!("{transport:?}: {TOTAL} messages in {calls} sends and {batches} received batches");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn send_slices_and_recv_batch_100k_inproc() {
    within(
        LIMIT,
        "slices inproc",
        slice_batch_fan_in(Transport::Inproc),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn send_slices_and_recv_batch_100k_tcp() {
    within(LIMIT, "slices tcp", slice_batch_fan_in(Transport::Tcp)).await;
}

/// `recv_batch` keeps the frames of multipart messages in order with their `more` flags, and
/// may end a batch in the middle of a message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recv_batch_keeps_multipart_frames_in_order() {
    within(LIMIT, "recv_batch multipart", async {
        let ctx = Context::new();
        let pull = socket(&ctx, SocketType::Pull);
        let endpoint = bind(&pull, Transport::Inproc);
        let push = socket(&ctx, SocketType::Push);
        push.connect(&endpoint).unwrap();
        const MESSAGES: u32 = 1_000;
        for seq in 0..MESSAGES {
            push.send_multipart([payload(0, seq, 0), payload(1, seq, 0), payload(2, seq, 0)])
                .await
                .unwrap();
        }
        // Batches of 5 against messages of 3 frames: most batches split a message.
        let mut batch: Vec<Message> = (0..5).map(|_| Message::new()).collect();
        let mut frames = Vec::new();
        while frames.len() < 3 * MESSAGES as usize {
            let n = pull.recv_batch(&mut batch).await.unwrap();
            frames.extend(batch[..n].iter().map(|m| (parse(m), m.more())));
        }
        for (i, (id, more)) in frames.into_iter().enumerate() {
            let (part, seq) = ((i % 3) as u32, (i / 3) as u32);
            assert_eq!(id, (part, seq), "frame {i} out of order");
            assert_eq!(more, part < 2, "frame {i}: wrong more flag");
        }
        drop(push);
    })
    .await;
}

/// 200 sockets (100 PAIR pairs) in one runtime, all ping-ponging at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_sockets_in_one_runtime() {
    const PAIRS: u32 = 100;
    const ROUNDS: u32 = 200;
    within(LIMIT, "many sockets", async {
        let ctx = Context::new();
        let mut tasks = Vec::new();
        for pair in 0..PAIRS {
            let a = socket(&ctx, SocketType::Pair);
            let endpoint = bind(&a, Transport::Inproc);
            let b = socket(&ctx, SocketType::Pair);
            b.connect(&endpoint).unwrap();
            tasks.push(tokio::spawn(async move {
                for round in 0..ROUNDS {
                    a.send(payload(pair, round, 0)).await.unwrap();
                    let ping = b.recv().await.unwrap();
                    assert_eq!(parse(&ping), (pair, round));
                    b.send(ping).await.unwrap();
                }
                for round in 0..ROUNDS {
                    let pong = a.recv().await.unwrap();
                    assert_eq!(parse(&pong), (pair, round));
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
    })
    .await;
}

/// Many tasks receiving from one socket at once (competing consumers) and many sending on
/// one: every message arrives exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_tasks_on_one_socket() {
    const TASKS: u32 = 8;
    const EACH: u32 = 5_000;
    within(LIMIT, "many tasks", async {
        let ctx = Context::new();
        let pull = socket(&ctx, SocketType::Pull);
        let endpoint = bind(&pull, Transport::Tcp);
        let push = socket(&ctx, SocketType::Push);
        push.connect(&endpoint).unwrap();

        let senders: Vec<_> = (0..TASKS)
            .map(|id| {
                let push = push.clone();
                tokio::spawn(async move {
                    for seq in 0..EACH {
                        push.send(payload(id, seq, 0)).await.unwrap();
                    }
                })
            })
            .collect();
        // `push` itself stays open until the end: linger 0 would drop queued messages.
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let receivers: Vec<_> = (0..TASKS)
            .map(|_| {
                let pull = pull.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    for _ in 0..EACH {
                        let msg = pull.recv().await.unwrap();
                        tx.send(parse(&msg)).unwrap();
                    }
                })
            })
            .collect();
        drop(tx);
        let mut seen = vec![vec![false; EACH as usize]; TASKS as usize];
        let mut count = 0;
        while let Some((id, seq)) = rx.recv().await {
            let slot = &mut seen[id as usize][seq as usize];
            assert!(!*slot, "duplicate ({id}, {seq})");
            *slot = true;
            count += 1;
        }
        assert_eq!(count, TASKS * EACH);
        for t in senders.into_iter().chain(receivers) {
            t.await.unwrap();
        }
        drop(push);
    })
    .await;
}

/// A pipeline made of the adapters: a PULL stream forwarded into a PUSH sink.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_forwarded_into_sink() {
    const N: u32 = 20_000;
    within(LIMIT, "stream → sink", async {
        let ctx = Context::new();
        let front = socket(&ctx, SocketType::Pull);
        let front_ep = bind(&front, Transport::Inproc);
        let back = socket(&ctx, SocketType::Push);
        let back_ep = bind(&back, Transport::Inproc);
        let source = socket(&ctx, SocketType::Push);
        source.connect(&front_ep).unwrap();
        let drain = socket(&ctx, SocketType::Pull);
        drain.connect(&back_ep).unwrap();

        let forward = tokio::spawn(async move {
            let mut sink = back.multipart_sink();
            let mut stream = front.multipart_stream().take(N as usize);
            sink.send_all(&mut stream).await.unwrap();
            sink
        });
        let produce = tokio::spawn(async move {
            for seq in 0..N {
                source
                    .send_multipart([payload(0, seq, 0), b"tail".to_vec()])
                    .await
                    .unwrap();
            }
            source
        });
        for seq in 0..N {
            let parts = drain.recv_multipart().await.unwrap();
            assert_eq!(parts.len(), 2);
            assert_eq!(parse(&parts[0]), (0, seq));
            assert_eq!(&parts[1][..], b"tail");
        }
        forward.await.unwrap();
        produce.await.unwrap();
    })
    .await;
}

/// REQ/REP, the strict alternation, over tcp.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn req_rep_round_trips() {
    within(LIMIT, "req/rep", async {
        let ctx = Context::new();
        let rep = socket(&ctx, SocketType::Rep);
        let endpoint = bind(&rep, Transport::Tcp);
        let req = socket(&ctx, SocketType::Req);
        req.connect(&endpoint).unwrap();
        let server = tokio::spawn(async move {
            for _ in 0..2_000 {
                let m = rep.recv().await.unwrap();
                rep.send(m).await.unwrap();
            }
            rep
        });
        for i in 0..2_000 {
            req.send(payload(0, i, 0)).await.unwrap();
            assert_eq!(parse(&req.recv().await.unwrap()), (0, i));
        }
        server.await.unwrap();
    })
    .await;
}

/// The types are usable from any task of a multi-threaded runtime: sockets and streams are
/// `Send + Sync`; sinks, which hold a `Message` (`Send`, not `Sync`) until it is sent, and the
/// operation futures are `Send`.
#[test]
fn types_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    fn send_only<T: Send>() {}
    fn send<T: Send>(_: &T) {}
    send_sync::<zmq4::tokio::AsyncSocket>();
    send_sync::<zmq4::tokio::AsyncSocket<zmq4::Shared>>();
    send_sync::<zmq4::tokio::RecvStream>();
    send_sync::<zmq4::tokio::MultipartStream<zmq4::Shared>>();
    send_only::<zmq4::tokio::SendSink>();
    send_only::<zmq4::tokio::MultipartSink>();
    send_sync::<zmq4::tokio::MonitorStream>();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _guard = rt.enter();
    let ctx = Context::new();
    let s = socket(&ctx, SocketType::Dealer);
    send(&s.recv());
    send(&s.recv_multipart());
    send(&s.send("x"));
    send(&s.send_multipart(["a", "b"]));
    let mut m = Message::new();
    send(&s.send_msg(&mut m));
}
