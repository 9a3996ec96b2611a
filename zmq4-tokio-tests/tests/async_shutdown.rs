//! `Context::shutdown` wakes every pending async operation of the context's sockets — classic
//! and thread-safe, receive and send, futures and streams — with `ContextTerminated`.
#![cfg(all(feature = "tokio", unix))]

mod async_support;

use async_support::*;
use futures_util::{SinkExt, StreamExt};
use std::future::Future;
use std::pin::Pin;
use zmq4::{Context, Error, Message, SocketType};

type Op = Pin<Box<dyn Future<Output = zmq4::Result<()>> + Send>>;

/// Spawns `op` after checking that it is pending (so it is parked when the context shuts
/// down); the returned receiver fires once it was polled.
fn spawn_parked(
    op: Op,
) -> (
    tokio::sync::oneshot::Receiver<()>,
    tokio::task::JoinHandle<zmq4::Result<()>>,
) {
    let (parked_tx, parked_rx) = tokio::sync::oneshot::channel();
    let task = tokio::spawn(async move {
        let mut op = op;
        assert!(
            poll_once(&mut op).await.is_pending(),
            "the operation did not wait"
        );
        parked_tx.send(()).unwrap();
        op.await
    });
    (parked_rx, task)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn shutdown_wakes_every_pending_operation() {
    within(LIMIT, "shutdown", async {
        let ctx = Context::new();
        let pull = socket(&ctx, SocketType::Pull);
        bind(&pull, Transport::Tcp);
        let push = socket(&ctx, SocketType::Push);
        bind(&push, Transport::Inproc); // no peer: a send waits
        let sub = socket(&ctx, SocketType::Sub);
        bind(&sub, Transport::Inproc);
        let dealer = socket(&ctx, SocketType::Dealer);
        bind(&dealer, Transport::Inproc);
        let monitored = socket(&ctx, SocketType::Rep);
        let monitor = monitored
            .monitor(zmq4::monitor::MonitorEvents::ACCEPTED)
            .unwrap();

        let mut ops: Vec<(&str, Op)> = vec![
            ("PULL recv", {
                let s = pull.clone();
                Box::pin(async move { s.recv().await.map(drop) })
            }),
            ("PULL recv_multipart", {
                let s = pull.clone();
                Box::pin(async move { s.recv_multipart().await.map(drop) })
            }),
            ("PUSH send", {
                let s = push.clone();
                Box::pin(async move { s.send("x").await })
            }),
            ("PUSH send_multipart", {
                let s = push.clone();
                Box::pin(async move { s.send_multipart(["a", "b"]).await })
            }),
            ("SUB stream", {
                let mut stream = sub.stream();
                Box::pin(async move { stream.next().await.expect("an item").map(drop) })
            }),
            ("DEALER sink", {
                let mut sink = dealer.sink();
                Box::pin(async move {
                    // The first message fills nothing (no peer: it waits in the sink).
                    sink.send(Message::from("x")).await
                })
            }),
            (
                "monitor",
                Box::pin(async move { monitor.recv().await.map(drop) }),
            ),
        ];
        #[cfg(feature = "draft")]
        {
            let server = shared(&ctx, SocketType::Server);
            bind(&server, Transport::Tcp);
            let dish = shared(&ctx, SocketType::Dish);
            bind(&dish, Transport::Tcp);
            let client = shared(&ctx, SocketType::Client);
            bind(&client, Transport::Tcp);
            ops.push((
                "SERVER recv",
                Box::pin(async move { server.recv().await.map(drop) }),
            ));
            ops.push((
                "DISH recv_multipart",
                Box::pin(async move { dish.recv_multipart().await.map(drop) }),
            ));
            ops.push((
                "CLIENT send",
                Box::pin(async move { client.send("x").await }),
            ));
        }

        let mut tasks = Vec::new();
        for (name, op) in ops.drain(..) {
            let (parked, task) = spawn_parked(op);
            within(STEP, name, parked).await.unwrap();
            tasks.push((name, task));
        }
        ctx.shutdown().unwrap();
        for (name, task) in tasks {
            let r = within(STEP, name, task).await.unwrap();
            assert_eq!(r, Err(Error::ContextTerminated), "{name}");
        }

        // Later operations fail at once, and streams end after the error.
        assert_eq!(pull.recv().await.unwrap_err(), Error::ContextTerminated);
        assert_eq!(push.send("y").await.unwrap_err(), Error::ContextTerminated);
        let mut stream = pull.stream();
        assert_eq!(stream.next().await, Some(Err(Error::ContextTerminated)));
        assert_eq!(stream.next().await, None);
    })
    .await;
}

/// Dropping the sockets after a shutdown lets `term` finish.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn term_after_shutdown_and_drop() {
    within(LIMIT, "term", async {
        let ctx = Context::new();
        let pull = socket(&ctx, SocketType::Pull);
        bind(&pull, Transport::Tcp);
        let waiter = {
            let pull = pull.clone();
            tokio::spawn(async move { pull.recv().await.map(drop) })
        };
        ctx.shutdown().unwrap();
        assert_eq!(
            within(STEP, "waiter", waiter).await.unwrap(),
            Err(Error::ContextTerminated)
        );
        drop(pull);
        tokio::task::spawn_blocking(move || ctx.term())
            .await
            .unwrap()
            .unwrap();
    })
    .await;
}
