//! Wake-ups, counted: a parked operation is woken when it can proceed (no lost wake-up) and
//! not while nothing changes for it (no busy spin), including the cases the edge-triggered
//! ZMQ_FD makes hard: another task working the socket, and `POLLOUT` that is always set.
#![cfg(all(feature = "tokio", unix))]

mod async_support;

use async_support::*;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use zmq4::tokio::AsyncSocket;
use zmq4::{Context as ZmqContext, Message, SocketType};

/// A future that counts how often it is polled: run as a task, that is once plus once per
/// wake-up, so a spinning operation shows as a large count.
struct Counted<F> {
    fut: Pin<Box<F>>,
    polls: Arc<AtomicUsize>,
}

impl<F: Future> Future for Counted<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.polls.fetch_add(1, Ordering::SeqCst);
        self.fut.as_mut().poll(cx)
    }
}

/// Spawns `fut` as a task counting its polls, and waits until it was polled once.
async fn spawn_counted<F>(fut: F) -> (Arc<AtomicUsize>, tokio::task::JoinHandle<F::Output>)
where
    F: Future + Send + 'static,
    F::Output: Send,
{
    let polls = Arc::new(AtomicUsize::new(0));
    let task = tokio::spawn(Counted {
        fut: Box::pin(fut),
        polls: Arc::clone(&polls),
    });
    within(STEP, "the first poll", async {
        while polls.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
    })
    .await;
    (polls, task)
}

/// Polls a parked operation may get without spinning: its first, and wake-ups by commands
/// that do not concern it (a connection's late setup, libzmq's own bookkeeping) or by the
/// yield after `MAX_ROUNDS` edges. A loaded machine delivers those later, not more often, so
/// the bound is a small constant with room to spare; an operation that spins is polled at
/// every scheduler pass, hundreds to thousands of times during [`busy_elsewhere`].
const NOT_SPINNING: usize = 8;

/// Unrelated work in the same runtime, long enough for a spinning waiter to show: 5,000
/// round trips on another socket pair (20,000 operations).
async fn busy_elsewhere(ctx: &ZmqContext) {
    let a = socket(ctx, SocketType::Pair);
    let ep = bind(&a, Transport::Tcp);
    let b = socket(ctx, SocketType::Pair);
    b.connect(&ep).unwrap();
    for i in 0..5_000 {
        a.send(payload(0, i, 0)).await.unwrap();
        let m = b.recv().await.unwrap();
        b.send(m).await.unwrap();
        a.recv().await.unwrap();
    }
}

async fn connected_pull_push(ctx: &ZmqContext) -> (AsyncSocket, AsyncSocket) {
    let pull = socket(ctx, SocketType::Pull);
    let ep = bind(&pull, Transport::Tcp);
    let push = socket(ctx, SocketType::Push);
    push.connect(&ep).unwrap();
    // One message through: the connection is up, its setup edges are behind us.
    push.send("hello").await.unwrap();
    assert_eq!(&pull.recv().await.unwrap()[..], b"hello");
    (pull, push)
}

/// A receive parked on an idle socket is not woken while nothing arrives (other sockets of
/// the runtime busy meanwhile), and completes when a message does, after a wake or two.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_receive_is_not_woken_until_a_message_comes() {
    within(LIMIT, "idle receive", async {
        let ctx = ZmqContext::new();
        let (pull, push) = connected_pull_push(&ctx).await;
        let (polls, task) = spawn_counted(async move { pull.recv().await }).await;

        busy_elsewhere(&ctx).await;
        let idle = polls.load(Ordering::SeqCst);
        assert!(
            idle <= NOT_SPINNING,
            "polled {idle} times while idle: spinning"
        );

        push.send("now").await.unwrap();
        let msg = within(STEP, "the message", task).await.unwrap().unwrap();
        assert_eq!(&msg[..], b"now");
        let total = polls.load(Ordering::SeqCst);
        assert!(
            total - idle <= NOT_SPINNING,
            "{} polls for one message",
            total - idle
        );
    })
    .await;
}

/// Many parked receives (one socket each) cost nothing while idle, and each is still live.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_idle_receives_stay_asleep() {
    within(LIMIT, "many idle", async {
        let ctx = ZmqContext::new();
        let mut pushes = Vec::new();
        let mut tasks = Vec::new();
        for _ in 0..50 {
            let (pull, push) = connected_pull_push(&ctx).await;
            pushes.push(push);
            tasks.push(spawn_counted(async move { pull.recv().await }).await);
        }
        busy_elsewhere(&ctx).await;
        let idle: Vec<usize> = tasks
            .iter()
            .map(|(p, _)| p.load(Ordering::SeqCst))
            .collect();
        let most = idle.iter().copied().max().unwrap_or(0);
        assert!(
            most <= NOT_SPINNING,
            "an idle receive was polled {most} times (all 50: {idle:?})"
        );
        for push in &pushes {
            push.send("go").await.unwrap();
        }
        for (i, (_, task)) in tasks.into_iter().enumerate() {
            let msg = within(STEP, "a message", task).await.unwrap().unwrap();
            assert_eq!(&msg[..], b"go", "receive {i}");
        }
    })
    .await;
}

/// The lost-wake-up case of edge-triggered ZMQ_FD: a receive parked on a socket while
/// another task sends on the same socket (each send may consume the descriptor's signal for
/// the incoming reply). Every step is bounded: a lost wake-up would stall it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parked_receive_wakes_while_another_task_sends_on_the_socket() {
    const N: u32 = 20_000;
    within(LIMIT, "cross-direction", async {
        let ctx = ZmqContext::new();
        let a = socket(&ctx, SocketType::Pair);
        let ep = bind(&a, Transport::Tcp);
        let b = socket(&ctx, SocketType::Pair);
        b.connect(&ep).unwrap();
        let echo = tokio::spawn(async move {
            for _ in 0..N {
                let m = b.recv().await.unwrap();
                b.send(m).await.unwrap();
            }
            b
        });
        let receiver = {
            let a = a.clone();
            tokio::spawn(async move {
                for i in 0..N {
                    let m = within(STEP, "a reply", a.recv()).await.unwrap();
                    assert_eq!(parse(&m), (0, i));
                }
            })
        };
        for i in 0..N {
            a.send(payload(0, i, 0)).await.unwrap();
        }
        receiver.await.unwrap();
        echo.await.unwrap();
    })
    .await;
}

/// ROUTER_MANDATORY towards a peer that reads nothing while another peer has room: POLLOUT
/// stays set (it means "some peer has room") while the send fails with EAGAIN. The parked
/// send must not spin, and must complete once the peer reads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_blocked_on_a_full_peer_does_not_spin() {
    within(LIMIT, "router mandatory", async {
        let ctx = ZmqContext::new();
        let router = socket(&ctx, SocketType::Router);
        router
            .with_socket(|s| {
                s.set_router_mandatory(true)?;
                s.set_sndhwm(1)
            })
            .unwrap();
        let ep = bind(&router, Transport::Inproc);
        let dealer = socket(&ctx, SocketType::Dealer);
        dealer
            .with_socket(|s| {
                s.set_routing_id(b"peer")?;
                s.set_rcvhwm(1)
            })
            .unwrap();
        dealer.connect(&ep).unwrap();
        let other = socket(&ctx, SocketType::Dealer);
        other.with_socket(|s| s.set_routing_id(b"other")).unwrap();
        other.connect(&ep).unwrap();
        // Learn that the peers are routable: they say hello first.
        for peer in [&dealer, &other] {
            peer.send("hello").await.unwrap();
            assert_eq!(&router.recv_multipart().await.unwrap()[1][..], b"hello");
        }

        // Fill the pipe to the peer until a send has to wait.
        let mut sent = 0u32;
        loop {
            let send =
                router.send_multipart([Message::from("peer"), Message::from(payload(0, sent, 0))]);
            match tokio::time::timeout(std::time::Duration::from_millis(50), send).await {
                Ok(r) => r.unwrap(),
                Err(_) => break, // waited: the pipe is full (the message was not sent)
            }
            sent += 1;
            assert!(sent < 10_000, "the pipe never filled");
        }
        // The other peer has room, so POLLOUT is set although a send to this one waits.
        let events = router.with_socket(|s| s.events()).unwrap();
        assert!(events.contains(zmq4::PollEvents::POLLOUT), "{events:?}");
        let (polls, task) = {
            let router = router.clone();
            spawn_counted(async move {
                router
                    .send_multipart([Message::from("peer"), Message::from(payload(0, sent, 0))])
                    .await
            })
            .await
        };

        busy_elsewhere(&ctx).await;
        let idle = polls.load(Ordering::SeqCst);
        assert!(
            idle <= NOT_SPINNING,
            "a blocked send was polled {idle} times: spinning"
        );

        // The peer reads everything: the send goes through.
        for i in 0..=sent {
            assert_eq!(parse(&dealer.recv().await.unwrap()), (0, i));
        }
        within(STEP, "the send", task).await.unwrap().unwrap();
    })
    .await;
}

/// The other side of "no busy spin": an operation on a socket that is always ready still
/// takes part in tokio's cooperative budget, so a task looping over ready receives or sends
/// lets the other tasks of its thread run. On a current-thread runtime the ticker below can
/// only run when the looping task yields, and the loops never yield by themselves.
#[tokio::test(flavor = "current_thread")]
async fn busy_loops_on_ready_sockets_yield_to_other_tasks() {
    const MESSAGES: usize = 5_000;
    let ctx = ZmqContext::new();
    let pull = socket(&ctx, SocketType::Pull);
    pull.with_socket(|s| s.set_rcvhwm(0)).unwrap();
    let ep = bind(&pull, Transport::Inproc);
    let push = socket(&ctx, SocketType::Push);
    push.with_socket(|s| s.set_sndhwm(0)).unwrap();
    push.connect(&ep).unwrap();

    let ticks = Arc::new(AtomicUsize::new(0));
    let ticker = tokio::spawn({
        let ticks = Arc::clone(&ticks);
        async move {
            loop {
                ticks.fetch_add(1, Ordering::SeqCst);
                tokio::task::yield_now().await;
            }
        }
    });

    // No high-water mark on inproc: every send completes at once.
    let before = ticks.load(Ordering::SeqCst);
    for i in 0..MESSAGES {
        push.send(format!("{i}")).await.unwrap();
    }
    let during_sends = ticks.load(Ordering::SeqCst) - before;

    // Every message is queued: every receive completes at once.
    let before = ticks.load(Ordering::SeqCst);
    let mut msg = Message::new();
    for i in 0..MESSAGES {
        pull.recv_msg(&mut msg).await.unwrap();
        assert_eq!(&msg[..], format!("{i}").as_bytes());
    }
    let during_receives = ticks.load(Ordering::SeqCst) - before;
    ticker.abort();

    eprintln!(
        "ticker ran {during_sends} times during the sends, {during_receives} during the receives"
    );
    assert!(during_sends > 0, "5,000 ready sends never yielded");
    assert!(during_receives > 0, "5,000 ready receives never yielded");
}
