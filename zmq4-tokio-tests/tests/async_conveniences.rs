//! What async users reach for: ending a context without blocking a runtime thread
//! (`Context::term_async`), socket options and `last_endpoint` on `AsyncSocket` itself, and
//! the monitor types beside `MonitorStream` in `zmq4::tokio`.
#![cfg(all(feature = "tokio", unix))]

mod async_support;

use async_support::*;
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

/// The hang of issue #19, resolved: a socket with the default linger (−1, for ever) and a
/// message no peer has taken yet. `term_async` waits for it on a blocking thread, while the
/// runtime's only thread binds the peer (in another context) and receives the message; only
/// then can the termination complete. A `term` on the runtime thread would never return.
#[test]
fn term_async_waits_for_linger_off_the_runtime_thread() {
    on_current_thread_runtime("term_async with linger -1", || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
                "term-async-{}-{}",
                std::process::id(),
                inproc().rsplit('-').next().unwrap()
            ));
            let _ = std::fs::remove_file(&path);
            let endpoint = format!("ipc://{}", path.display());

            let ctx = Context::new();
            let push = AsyncSocket::new(ctx.socket(SocketType::Push).unwrap()).unwrap();
            assert_eq!(push.linger().unwrap(), -1);
            push.set_reconnect_ivl(10).unwrap();
            push.connect(&endpoint).unwrap(); // nobody there yet
            push.send("flushed at the end").await.unwrap();
            drop(push);
            let term = tokio::spawn(ctx.term_async());

            let other = Context::new();
            let pull = socket(&other, SocketType::Pull);
            pull.bind(&endpoint).unwrap();
            let msg = within(STEP, "the lingering message", pull.recv())
                .await
                .unwrap();
            assert_eq!(msg.as_str(), Some("flushed at the end"));
            within(STEP, "term_async", term).await.unwrap().unwrap();
            drop(pull);
            other.term_async().await.unwrap();
            let _ = std::fs::remove_file(&path);
        });
    });
}

/// Every option of the table is a method of `AsyncSocket` too, with the generic `get`/`set`,
/// `last_endpoint`, `unbind` and `disconnect`.
/// `{:?}` of an `AsyncSocket` takes no lock: formatting the socket inside its own
/// `with_socket` closure (the lock held), and while a receive of another task is parked on
/// it, returns at once. The thread bound catches a hang, which a runtime timer could not.
#[test]
fn debug_inside_with_socket_does_not_block() {
    on_current_thread_runtime("Debug inside with_socket", || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let ctx = Context::new();
            let pull = socket(&ctx, SocketType::Pull);
            pull.bind(&inproc()).unwrap();
            let idle = format!("{pull:?}");
            assert!(idle.contains("waiting: 0"), "{idle}");
            let inside = pull.with_socket(|_| format!("{pull:?}"));
            assert!(inside.starts_with("AsyncSocket { raw: 0x"), "{inside}");

            let parked = {
                let pull = pull.clone();
                tokio::spawn(async move { pull.recv().await })
            };
            within(STEP, "the receive to park", async {
                while !format!("{pull:?}").contains("waiting: 1") {
                    tokio::task::yield_now().await;
                }
            })
            .await;
            let inside = pull.with_socket(|_| format!("{pull:?}"));
            assert!(inside.contains("waiting: 1"), "{inside}");
            parked.abort();
        });
    });
}

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

/// `recv_string`, `send_value` and `recv_value` on the async socket, with the same typed
/// errors as the blocking ones.
#[tokio::test(flavor = "current_thread")]
async fn typed_frames_on_the_async_socket() {
    within(LIMIT, "typed frames", async {
        let ctx = Context::new();
        let pull = socket(&ctx, SocketType::Pull);
        let endpoint = bind(&pull, Transport::Tcp);
        let push = socket(&ctx, SocketType::Push);
        push.connect(&endpoint).unwrap();
        push.send("grüße").await.unwrap();
        push.send(&b"\xff"[..]).await.unwrap();
        push.send_value(-3i16).await.unwrap();
        push.send_value(9u64).await.unwrap();
        assert_eq!(pull.recv_string().await.unwrap(), "grüße");
        assert!(matches!(
            pull.recv_string().await,
            Err(zmq4::FrameError::InvalidUtf8 { valid_up_to: 0, .. })
        ));
        assert_eq!(pull.recv_value::<i16>().await.unwrap(), -3);
        assert_eq!(
            pull.recv_value::<u32>().await,
            Err(zmq4::FrameError::WrongSize {
                expected: 4,
                actual: 8
            })
        );
    })
    .await;
}
