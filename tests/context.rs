//! `Context` lifetime and threading: shutdown and term with blocked calls in other threads,
//! sockets keeping the context alive, use after term, and many sockets across threads.
//! Threads report through channels read with `recv_timeout`, so a hang fails the test.

mod common;

use common::*;
use std::sync::mpsc;
use std::thread;
use zmq4::{Context, Error, RecvFlags, SendFlags, SharedSocket, Socket, SocketType};

#[test]
fn context_is_send_sync_clone() {
    fn assert_send_sync_clone<T: Send + Sync + Clone + 'static>() {}
    assert_send_sync_clone::<Context>();
    fn assert_send<T: Send>() {}
    assert_send::<Socket>();
    fn assert_sync<T: Sync>() {}
    assert_sync::<SharedSocket>();
}

#[test]
fn shutdown_wakes_a_blocked_recv_with_eterm() {
    let ctx = Context::new();
    let pull = ctx.socket(SocketType::Pull).unwrap();
    pull.set_linger(0).unwrap();
    pull.bind(&inproc_endpoint()).unwrap();
    let (started_tx, started_rx) = mpsc::channel();
    let (tx, rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        started_tx.send(()).unwrap();
        // No RCVTIMEO: only the shutdown ends this.
        let r = pull.recv_bytes(RecvFlags::empty());
        // Every later call fails the same way.
        let again = pull.recv_bytes(RecvFlags::DONTWAIT);
        tx.send((r, again)).unwrap();
    });
    started_rx.recv_timeout(TIMEOUT).unwrap();
    ctx.shutdown().unwrap();
    let (r, again) = rx
        .recv_timeout(TIMEOUT)
        .expect("blocked recv did not return after shutdown");
    assert_eq!(r, Err(Error::ContextTerminated));
    assert_eq!(again, Err(Error::ContextTerminated));
    worker.join().unwrap();
    // A shut-down context makes no new sockets; term then returns (no socket is left).
    assert_eq!(
        ctx.socket(SocketType::Pair).unwrap_err(),
        Error::ContextTerminated
    );
    ctx.term().unwrap();
}

#[test]
fn shutdown_wakes_a_blocked_send() {
    let ctx = Context::new();
    // A PUSH with no peer blocks on send.
    let push = ctx.socket(SocketType::Push).unwrap();
    push.set_linger(0).unwrap();
    let (tx, rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        tx.send(push.send("stuck", SendFlags::empty())).unwrap();
    });
    ctx.shutdown().unwrap();
    assert_eq!(
        rx.recv_timeout(TIMEOUT).unwrap(),
        Err(Error::ContextTerminated)
    );
    worker.join().unwrap();
}

#[test]
fn term_returns_once_the_other_thread_drops_its_socket() {
    let ctx = Context::new();
    let pull = ctx.socket(SocketType::Pull).unwrap();
    pull.set_linger(0).unwrap();
    pull.bind(&inproc_endpoint()).unwrap();
    let (tx, rx) = mpsc::channel();
    let (dropped_tx, dropped_rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        let r = pull.recv_bytes(RecvFlags::empty());
        tx.send(r).unwrap();
        drop(pull);
        dropped_tx.send(()).unwrap();
    });

    // term blocks until the socket is closed: run it in its own thread, bounded.
    let (term_tx, term_rx) = mpsc::channel();
    let terminator = thread::spawn(move || term_tx.send(ctx.term()).unwrap());
    assert_eq!(
        rx.recv_timeout(TIMEOUT).expect("recv not woken by term"),
        Err(Error::ContextTerminated)
    );
    dropped_rx.recv_timeout(TIMEOUT).unwrap();
    assert_eq!(
        term_rx.recv_timeout(TIMEOUT).expect("term did not return"),
        Ok(())
    );
    worker.join().unwrap();
    terminator.join().unwrap();
}

#[test]
fn term_waits_for_the_socket_to_be_dropped() {
    let ctx = Context::new();
    let pair = ctx.socket(SocketType::Pair).unwrap();
    pair.set_linger(0).unwrap();
    let (term_tx, term_rx) = mpsc::channel();
    let ctx2 = ctx.clone();
    let terminator = thread::spawn(move || term_tx.send(ctx2.term()).unwrap());
    // While the socket lives, term has not returned; once it is dropped, term returns. The
    // first check only looks (no waiting decides anything); the second is bounded.
    assert!(matches!(term_rx.try_recv(), Err(mpsc::TryRecvError::Empty)));
    // Calls on the socket fail with ETERM once term has started; wait for that state.
    assert!(eventually(
        || pair.recv_bytes(RecvFlags::DONTWAIT) == Err(Error::ContextTerminated)
    ));
    assert!(
        matches!(term_rx.try_recv(), Err(mpsc::TryRecvError::Empty)),
        "term returned with a socket open"
    );
    drop(pair);
    assert_eq!(
        term_rx.recv_timeout(TIMEOUT).expect("term did not return"),
        Ok(())
    );
    terminator.join().unwrap();
    // Every clone now reports the termination.
    assert_eq!(
        ctx.socket(SocketType::Pair).unwrap_err(),
        Error::ContextTerminated
    );
}

#[test]
fn sockets_keep_the_context_alive() {
    let ctx = Context::new();
    let a = socket(&ctx, SocketType::Pair);
    let ep = inproc_endpoint();
    a.bind(&ep).unwrap();
    let b = socket(&ctx, SocketType::Pair);
    drop(ctx);
    // The context lives on through its sockets.
    b.connect(&ep).unwrap();
    send(&b, "still here");
    assert_eq!(recv_bytes(&a), b"still here");
    let ctx = a.context();
    let c = socket(&ctx, SocketType::Pull);
    c.bind(&inproc_endpoint()).unwrap();
    assert!(ctx.as_raw().is_some());
    drop(ctx);
    drop(a);
    drop(b);
    drop(c);
}

#[test]
fn after_term_clones_report_context_terminated() {
    let ctx = Context::new();
    let clone = ctx.clone();
    ctx.term().unwrap();
    assert_eq!(
        clone.socket(SocketType::Pair).unwrap_err(),
        Error::ContextTerminated
    );
    #[cfg(feature = "draft")]
    assert_eq!(
        clone.shared_socket(SocketType::Server).unwrap_err(),
        Error::ContextTerminated
    );
    assert_eq!(clone.shutdown(), Err(Error::ContextTerminated));
    assert!(clone.as_raw().is_none());
    assert_eq!(clone.io_threads(), Err(Error::ContextTerminated));
    // Terminating again is harmless.
    clone.clone().term().unwrap();
    clone.term().unwrap();
}

#[test]
fn shared_socket_rejects_classic_types() {
    let ctx = Context::new();
    assert_eq!(
        ctx.shared_socket(SocketType::Pair).unwrap_err(),
        Error::InvalidArgument
    );
    assert_eq!(
        ctx.shared_socket(SocketType::Router).unwrap_err(),
        Error::InvalidArgument
    );
}

#[test]
fn many_sockets_across_threads() {
    const THREADS: usize = 8;
    const SOCKETS: usize = 4;
    const MESSAGES: usize = 25;
    let ctx = Context::new();
    let pull = socket(&ctx, SocketType::Pull);
    let ep = inproc_endpoint();
    pull.bind(&ep).unwrap();

    let workers: Vec<_> = (0..THREADS)
        .map(|t| {
            let ctx = ctx.clone();
            let ep = ep.clone();
            thread::spawn(move || {
                // Each thread makes its own sockets: some short-lived, some sending. The
                // senders go back to the main thread, so none closes before the PULL has
                // read everything.
                let mut pushes = Vec::new();
                for s in 0..SOCKETS {
                    let push = socket(&ctx, SocketType::Push);
                    push.connect(&ep).unwrap();
                    for m in 0..MESSAGES {
                        send(&push, format!("{t}/{s}/{m}"));
                    }
                    let scratch = socket(&ctx, SocketType::Dealer);
                    scratch.bind(&inproc_endpoint()).unwrap();
                    drop(scratch);
                    pushes.push(push);
                }
                pushes
            })
        })
        .collect();

    let mut seen = std::collections::HashSet::new();
    for _ in 0..THREADS * SOCKETS * MESSAGES {
        assert!(seen.insert(recv_string(&pull)), "duplicate message");
    }
    assert_nothing_queued(&pull);
    for w in workers {
        assert_eq!(w.join().unwrap().len(), SOCKETS);
    }
    // A socket moved to another thread works there.
    let (tx, rx) = mpsc::channel();
    let moved = socket(&ctx, SocketType::Push);
    moved.connect(&ep).unwrap();
    thread::spawn(move || {
        send(&moved, "moved");
        tx.send(moved).unwrap();
    });
    let moved = rx.recv_timeout(TIMEOUT).unwrap();
    assert_eq!(recv_string(&pull), "moved");
    drop(moved);
}
