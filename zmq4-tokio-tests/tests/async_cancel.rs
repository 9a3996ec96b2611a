//! Cancellation under load: receive and send futures that lose `tokio::select!` races (after
//! they were polled and parked), with sequence numbers proving that nothing is lost,
//! duplicated, or split.
#![cfg(all(feature = "tokio", unix))]

mod async_support;

use async_support::*;
use futures_util::StreamExt;
use std::time::Duration;
use zmq4::{Context, Message, SocketType};

const N: u32 = 30_000;

/// A branch that loses to nothing on its first poll and wins on its second: raced after a
/// receive or send (`biased`), it cancels that operation exactly when the operation had to
/// wait, i.e. after it registered as a waiter.
async fn second_poll() {
    tokio::task::yield_now().await;
}

/// Sends `N` numbered messages from another task, keeping the socket open until `done`.
fn produce(push: zmq4::tokio::AsyncSocket, parts: usize) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        for seq in 0..N {
            let frames: Vec<Vec<u8>> = (0..parts).map(|p| payload(p as u32, seq, 0)).collect();
            push.send_multipart(frames).await.unwrap();
        }
        push.flush().await.unwrap();
        // Keep the socket until the consumer is done (linger 0 would drop queued messages).
        std::future::pending::<()>().await;
    })
}

fn pipe(
    ctx: &Context,
    transport: Transport,
    hwm: i32,
) -> (zmq4::tokio::AsyncSocket, zmq4::tokio::AsyncSocket) {
    let pull = socket(ctx, SocketType::Pull);
    pull.with_socket(|s| s.set_rcvhwm(hwm)).unwrap();
    let endpoint = bind(&pull, transport);
    let push = socket(ctx, SocketType::Push);
    push.with_socket(|s| s.set_sndhwm(hwm)).unwrap();
    push.connect(&endpoint).unwrap();
    (push, pull)
}

async fn recv_cancelled(transport: Transport) {
    let ctx = Context::new();
    let (push, pull) = pipe(&ctx, transport, 50);
    let producer = produce(push, 1);

    let mut next = 0;
    let mut cancelled = 0u32;
    while next < N {
        tokio::select! {
            biased;
            r = pull.recv() => {
                let msg = r.unwrap();
                assert_eq!(parse(&msg), (0, next), "lost or duplicated message");
                next += 1;
            }
            _ = second_poll() => cancelled += 1,
        }
    }
    producer.abort();
    eprintln!("{transport:?}: {cancelled} receives cancelled while waiting");
    assert!(cancelled > 0, "the test never cancelled a waiting receive");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn select_cancelled_recv_loses_nothing_inproc() {
    within(
        LIMIT,
        "recv cancel inproc",
        recv_cancelled(Transport::Inproc),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn select_cancelled_recv_loses_nothing_tcp() {
    within(LIMIT, "recv cancel tcp", recv_cancelled(Transport::Tcp)).await;
}

/// The same with three-frame messages and `recv_multipart`: every message arrives whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn select_cancelled_recv_multipart_never_splits() {
    within(LIMIT, "recv_multipart cancel", async {
        let ctx = Context::new();
        let (push, pull) = pipe(&ctx, Transport::Tcp, 20);
        let producer = produce(push, 3);
        let mut next = 0;
        let mut cancelled = 0u32;
        while next < N {
            tokio::select! {
                biased;
                r = pull.recv_multipart() => {
                    let parts = r.unwrap();
                    assert_eq!(parts.len(), 3, "a split message");
                    for (p, part) in parts.iter().enumerate() {
                        assert_eq!(parse(part), (p as u32, next), "frame {p} of message {next}");
                    }
                    next += 1;
                }
                _ = second_poll() => cancelled += 1,
            }
        }
        producer.abort();
        assert!(cancelled > 0, "the test never cancelled a waiting receive");
    })
    .await;
}

/// The same with `recv_many`: a batch cancelled while waiting took nothing, so the
/// batches together are every message once, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn select_cancelled_recv_many_loses_nothing() {
    within(LIMIT, "recv_many cancel", async {
        let ctx = Context::new();
        let (push, pull) = pipe(&ctx, Transport::Inproc, 50);
        let producer = produce(push, 1);
        let mut batch = Vec::new();
        let mut next = 0;
        let mut cancelled = 0u32;
        while next < N {
            tokio::select! {
                biased;
                r = pull.recv_many(&mut batch, 32) => {
                    let n = r.unwrap();
                    assert!((1..=32).contains(&n), "a batch of {n}");
                    assert_eq!(n, batch.len());
                    for msg in batch.drain(..) {
                        assert_eq!(parse(&msg), (0, next), "lost or duplicated message");
                        next += 1;
                    }
                }
                _ = second_poll() => {
                    assert!(batch.is_empty(), "a cancelled recv_many took frames");
                    cancelled += 1;
                }
            }
        }
        producer.abort();
        assert!(cancelled > 0, "the test never cancelled a waiting receive");
    })
    .await;
}

/// Receives cancelled by a timer (a timeout around a stream's `next()`), many at once in
/// several tasks sharing one socket: every message is received exactly once overall.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn timed_out_stream_next_loses_nothing() {
    within(LIMIT, "stream timeout cancel", async {
        let ctx = Context::new();
        let (push, pull) = pipe(&ctx, Transport::Tcp, 10);
        // A slow producer, so consumers often time out while waiting.
        let producer = tokio::spawn(async move {
            for seq in 0..2_000 {
                push.send(payload(0, seq, 0)).await.unwrap();
                if seq % 100 == 0 {
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
            }
            std::future::pending::<()>().await;
        });
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let mut consumers = Vec::new();
        for _ in 0..3 {
            let mut stream = pull.stream();
            let tx = tx.clone();
            consumers.push(tokio::spawn(async move {
                let mut timeouts = 0u32;
                loop {
                    match tokio::time::timeout(Duration::from_micros(300), stream.next()).await {
                        Ok(Some(Ok(m))) => {
                            if tx.send(parse(&m).1).is_err() {
                                return timeouts;
                            }
                        }
                        Ok(other) => panic!("unexpected {other:?}"),
                        Err(_) => timeouts += 1,
                    }
                }
            }));
        }
        drop(tx);
        let mut seen = vec![false; 2_000];
        for _ in 0..2_000 {
            let seq = rx.recv().await.unwrap() as usize;
            assert!(!seen[seq], "duplicate {seq}");
            seen[seq] = true;
        }
        producer.abort();
        drop(rx);
        for c in consumers {
            c.abort();
        }
    })
    .await;
}

/// Sends cancelled while waiting for room (high-water mark 1): `send_msg` keeps the message,
/// the retry sends it, and the receiver sees every number once, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn select_cancelled_send_msg_keeps_the_message() {
    within(LIMIT, "send_msg cancel", async {
        let ctx = Context::new();
        let (push, pull) = pipe(&ctx, Transport::Tcp, 1);
        let consumer = tokio::spawn(async move {
            let mut check = SeqCheck::new(1);
            for _ in 0..N {
                let m = pull.recv().await.unwrap();
                let (s, seq) = parse(&m);
                check.see(s, seq);
            }
            check.assert_complete(N);
        });
        let mut cancelled = 0u32;
        for seq in 0..N {
            let mut msg = Message::from(payload(0, seq, 0));
            loop {
                tokio::select! {
                    biased;
                    r = push.send_msg(&mut msg) => { r.unwrap(); break; }
                    _ = second_poll() => {
                        cancelled += 1;
                        assert_eq!(parse(&msg), (0, seq), "a cancelled send lost its message");
                    }
                }
            }
            assert!(msg.is_empty());
        }
        within(STEP, "consumer", consumer).await.unwrap();
        assert!(cancelled > 0, "the test never cancelled a waiting send");
    })
    .await;
}

/// Multipart sends cancelled while waiting: a cancelled `send_multipart` sent no frame, so
/// sending the message again duplicates nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn select_cancelled_send_multipart_sends_nothing() {
    within(LIMIT, "send_multipart cancel", async {
        let ctx = Context::new();
        let (push, pull) = pipe(&ctx, Transport::Tcp, 1);
        let consumer = tokio::spawn(async move {
            for seq in 0..N {
                let parts = pull.recv_multipart().await.unwrap();
                assert_eq!(parts.len(), 2, "message {seq} split");
                assert_eq!(parse(&parts[0]), (0, seq), "lost or duplicated message");
                assert_eq!(parse(&parts[1]), (1, seq));
            }
        });
        let mut cancelled = 0u32;
        for seq in 0..N {
            loop {
                let frames = [payload(0, seq, 0), payload(1, seq, 0)];
                tokio::select! {
                    biased;
                    r = push.send_multipart(frames) => { r.unwrap(); break; }
                    _ = second_poll() => cancelled += 1,
                }
            }
        }
        within(STEP, "consumer", consumer).await.unwrap();
        assert!(cancelled > 0, "the test never cancelled a waiting send");
    })
    .await;
}

/// `send_slice` and `recv_into` cancelled while waiting (high-water mark 1 both ways): a
/// cancelled `send_slice` sent nothing and a cancelled `recv_into` received nothing, so
/// retrying both gives every number once, in order, in the caller's buffer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn select_cancelled_send_slice_and_recv_into_lose_and_repeat_nothing() {
    within(LIMIT, "send_slice / recv_into cancel", async {
        let ctx = Context::new();
        let (push, pull) = pipe(&ctx, Transport::Tcp, 1);
        let consumer = tokio::spawn(async move {
            let mut buf = [0u8; 64];
            let mut cancelled = 0u32;
            for seq in 0..N {
                loop {
                    tokio::select! {
                        biased;
                        r = pull.recv_into(&mut buf) => {
                            let got = r.unwrap();
                            assert!(!got.truncated());
                            assert_eq!(parse(&buf[..got.copied]), (0, seq), "lost or duplicated");
                            break;
                        }
                        _ = second_poll() => cancelled += 1,
                    }
                }
            }
            cancelled
        });
        let mut cancelled = 0u32;
        for seq in 0..N {
            let frame = payload(0, seq, 0);
            loop {
                tokio::select! {
                    biased;
                    r = push.send_slice(&frame) => { r.unwrap(); break; }
                    _ = second_poll() => cancelled += 1,
                }
            }
        }
        let rx_cancelled = within(STEP, "consumer", consumer).await.unwrap();
        eprintln!("{cancelled} sends and {rx_cancelled} receives cancelled while waiting");
        assert!(cancelled > 0, "the test never cancelled a waiting send");
        assert!(
            rx_cancelled > 0,
            "the test never cancelled a waiting receive"
        );
    })
    .await;
}

/// The batch forms cancelled while waiting (high-water mark 1 both ways): a cancelled
/// `send_slices` sent none of its frames and a cancelled `recv_batch` received none, so
/// resuming from the counts they returned gives every number once, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn select_cancelled_send_slices_and_recv_batch_lose_and_repeat_nothing() {
    within(LIMIT, "send_slices / recv_batch cancel", async {
        let ctx = Context::new();
        let (push, pull) = pipe(&ctx, Transport::Tcp, 1);
        let consumer = tokio::spawn(async move {
            let mut batch: Vec<Message> = (0..16).map(|_| Message::new()).collect();
            let (mut next, mut cancelled, mut batches) = (0u32, 0u32, 0u32);
            while next < N {
                tokio::select! {
                    biased;
                    r = pull.recv_batch(&mut batch) => {
                        let n = r.unwrap();
                        assert!(n >= 1);
                        for m in &batch[..n] {
                            assert_eq!(parse(m), (0, next), "lost or duplicated");
                            next += 1;
                        }
                        batches += 1;
                    }
                    _ = second_poll() => cancelled += 1,
                }
            }
            (cancelled, batches)
        });
        let frames: Vec<Vec<u8>> = (0..N).map(|seq| payload(0, seq, 0)).collect();
        let (mut sent, mut cancelled) = (0usize, 0u32);
        while sent < frames.len() {
            let end = (sent + 16).min(frames.len());
            tokio::select! {
                biased;
                r = push.send_slices(&frames[sent..end]) => {
                    let n = r.unwrap();
                    assert!((1..=end - sent).contains(&n));
                    sent += n;
                }
                _ = second_poll() => cancelled += 1,
            }
        }
        let (rx_cancelled, batches) = within(STEP, "consumer", consumer).await.unwrap();
        eprintln!(
            "{cancelled} sends and {rx_cancelled} receives cancelled while waiting; \
             {N} messages in {batches} received batches"
        );
        assert!(cancelled > 0, "the test never cancelled a waiting send");
        assert!(
            rx_cancelled > 0,
            "the test never cancelled a waiting receive"
        );
    })
    .await;
}
