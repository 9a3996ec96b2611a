//! What async users reach for: ending a context without blocking a runtime thread
//! (`Context::term_async`), socket options and `last_endpoint` on `AsyncSocket` itself, and
//! the monitor types beside `MonitorStream` in `zmq4::tokio`.
#![cfg(all(feature = "tokio", unix))]

mod async_support;

use async_support::*;
use std::time::Duration;
use zmq4::tokio::{AsyncSocket, Event, MonitorEvents, MonitorStream};
use zmq4::{opt, Context, Error, SocketType};

/// Runs `body` on a current-thread runtime in a thread of its own, failing the test if it
/// has not finished within [`LIMIT`]: a runtime thread blocked inside `zmq_ctx_term` would
/// stop the runtime's own timers too, so the bound must come from outside.
fn on_current_thread_runtime(what: &'static str, body: impl FnOnce() + Send + 'static) {
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let thread = std::thread::spawn(move || {
        body();
        let _ = done_tx.send(());
    });
    match done_rx.recv_timeout(LIMIT) {
        Ok(()) => thread.join().unwrap(),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            // The body panicked: report its panic.
            std::panic::resume_unwind(thread.join().unwrap_err())
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what}: not finished within {LIMIT:?} (a blocked runtime thread)")
        }
    }
}

/// While `term_async` waits for a socket that is still open, the runtime's only thread keeps
/// running: the socket's pending receive is woken with `ContextTerminated`, the task drops
/// the socket, and only then does the termination complete. A `term` on the runtime thread
/// would deadlock here.
#[test]
fn term_async_leaves_the_runtime_thread_free() {
    on_current_thread_runtime("term_async", || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let ctx = Context::new();
            let pull = socket(&ctx, SocketType::Pull);
            pull.bind(&inproc()).unwrap();
            let term = tokio::spawn(ctx.term_async());
            assert_eq!(pull.recv().await.unwrap_err(), Error::ContextTerminated);
            assert!(!term.is_finished(), "the socket is still open");
            drop(pull);
            within(STEP, "term_async", term).await.unwrap().unwrap();
        });
    });
}

/// A socket with unsent messages and a bounded linger: `term_async` completes once the
/// linger has run out, while a ticker task on the same runtime thread keeps ticking.
#[test]
fn term_async_waits_for_linger_off_the_runtime_thread() {
    on_current_thread_runtime("term_async with linger", || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let ctx = Context::new();
            // A port nobody listens on (bound, read, closed): the message stays queued.
            let probe = socket(&ctx, SocketType::Pull);
            let endpoint = bind(&probe, Transport::Tcp);
            drop(probe);
            let push = socket(&ctx, SocketType::Push);
            push.set_linger(200).unwrap();
            assert_eq!(push.linger().unwrap(), 200);
            push.connect(&endpoint).unwrap();
            push.send("never delivered").await.unwrap();
            drop(push);

            let ticks = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
            let ticker = tokio::spawn({
                let ticks = ticks.clone();
                async move {
                    loop {
                        tokio::time::sleep(Duration::from_millis(5)).await;
                        ticks.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            });
            within(STEP, "term_async", ctx.term_async()).await.unwrap();
            ticker.abort();
            assert!(
                ticks.load(std::sync::atomic::Ordering::Relaxed) > 0,
                "the runtime thread ran other tasks during the linger"
            );
        });
    });
}

/// Every option of the table is a method of `AsyncSocket` too, with the generic `get`/`set`,
/// `last_endpoint`, `unbind` and `disconnect`.
#[tokio::test(flavor = "current_thread")]
async fn options_on_the_async_socket() {
    within(LIMIT, "options", async {
        let ctx = Context::new();
        let sub = socket(&ctx, SocketType::Sub);
        sub.set_rcvhwm(10).unwrap();
        sub.set_subscribe(b"topic").unwrap();
        sub.set(opt::Rcvtimeo, 50).unwrap();
        assert_eq!(sub.rcvhwm().unwrap(), 10);
        assert_eq!(sub.get(opt::Rcvtimeo).unwrap(), 50);
        assert_eq!(sub.socket_type().unwrap(), SocketType::Sub);
        assert_eq!(sub.last_endpoint().unwrap(), "");

        let publisher = socket(&ctx, SocketType::Pub);
        publisher.bind("tcp://127.0.0.1:*").unwrap();
        let endpoint = publisher.last_endpoint().unwrap();
        assert!(endpoint.starts_with("tcp://127.0.0.1:"), "{endpoint}");
        sub.connect(&endpoint).unwrap();
        assert_eq!(sub.last_endpoint().unwrap(), endpoint);
        sub.disconnect(&endpoint).unwrap();
        publisher.unbind(&endpoint).unwrap();
        assert_eq!(publisher.unbind(&endpoint), Err(Error::NotFound));

        #[cfg(feature = "curve")]
        {
            let keys = zmq4::CurveKeyPair::generate().unwrap();
            let server = socket(&ctx, SocketType::Rep);
            server.set_curve_server(true).unwrap();
            server.set_curve_secretkey(keys.secret).unwrap();
            assert!(server.curve_server().unwrap());
            assert_eq!(server.mechanism().unwrap(), zmq4::Mechanism::Curve);
        }
    })
    .await;
}

/// `Event` and `MonitorEvents` come from `zmq4::tokio`, beside `MonitorStream`.
#[tokio::test(flavor = "current_thread")]
async fn monitor_types_beside_monitor_stream() {
    within(LIMIT, "monitor", async {
        let ctx = Context::new();
        let server = AsyncSocket::new(ctx.socket(SocketType::Rep).unwrap()).unwrap();
        server.set_linger(0).unwrap();
        let events: MonitorStream = server.monitor(MonitorEvents::LISTENING).unwrap();
        server.bind("tcp://127.0.0.1:*").unwrap();
        let event = within(STEP, "LISTENING", events.recv()).await.unwrap();
        assert!(matches!(event.event, Event::Listening { .. }));
        assert_eq!(event.endpoint, server.last_endpoint().unwrap());
    })
    .await;
}
