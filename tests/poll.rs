//! zmq_poll, zmq_ppoll and the zmq_poller API through real sockets (inproc and tcp on
//! 127.0.0.1) and real file descriptors. Every wait is bounded: a blocking wait either has a
//! timeout or runs in a thread whose result is awaited with `recv_timeout`.

mod common;

use std::io::Write;
#[cfg(unix)]
use std::os::unix::thread::JoinHandleExt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use zmq4::poll::{poll, PollEvents, PollItem};
use zmq4::{Context, Error, RecvFlags, SendFlags, Socket, SocketType};

/// A connected pair of OS streams for the raw-descriptor tests: a Unix socket pair, or on
/// Windows (where libzmq polls raw items with WSAPoll, sockets only) a loopback TCP pair.
#[cfg(unix)]
type Stream = std::os::unix::net::UnixStream;
#[cfg(windows)]
type Stream = std::net::TcpStream;

#[cfg(unix)]
fn stream_pair() -> std::io::Result<(Stream, Stream)> {
    Stream::pair()
}

#[cfg(windows)]
fn stream_pair() -> std::io::Result<(Stream, Stream)> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let a = Stream::connect(listener.local_addr()?)?;
    let (b, _) = listener.accept()?;
    Ok((a, b))
}

/// The stream's descriptor as the API takes it (`RawFd`).
#[cfg(unix)]
fn raw(s: &Stream) -> zmq4::RawDescriptor {
    std::os::fd::AsRawFd::as_raw_fd(s)
}

/// The stream's descriptor as the API takes it (`RawSocket`).
#[cfg(windows)]
fn raw(s: &Stream) -> zmq4::RawDescriptor {
    std::os::windows::io::AsRawSocket::as_raw_socket(s)
}

/// A descriptor that names nothing: -1, or INVALID_SOCKET on Windows.
#[cfg(all(unix, feature = "draft"))]
const INVALID_FD: zmq4::RawDescriptor = -1;
#[cfg(all(windows, feature = "draft"))]
const INVALID_FD: zmq4::RawDescriptor = !0;

/// Upper bound of every wait that is expected to succeed.
const WAIT_MS: i64 = 5000;
const WAIT: Duration = Duration::from_millis(WAIT_MS as u64);

fn unique(name: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "inproc://poll-{name}-{}",
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A socket that never blocks context termination (linger 0) and never blocks a receive for
/// long (RCVTIMEO).
fn socket(ctx: &Context, ty: SocketType) -> Socket {
    let s = ctx.socket(ty).unwrap();
    s.set_linger(0).unwrap();
    s.set_rcvtimeo(WAIT_MS as i32).unwrap();
    s.set_sndtimeo(WAIT_MS as i32).unwrap();
    s
}

/// A bound PULL and a PUSH connected to it over inproc.
fn pipeline(ctx: &Context, name: &str) -> (Socket, Socket) {
    let endpoint = unique(name);
    let pull = socket(ctx, SocketType::Pull);
    pull.bind(&endpoint).unwrap();
    let push = socket(ctx, SocketType::Push);
    push.connect(&endpoint).unwrap();
    (pull, push)
}

// ---------------------------------------------------------------------------------------
// zmq_poll

#[test]
fn poll_reports_pollin_only_when_a_message_is_queued() {
    let ctx = Context::new();
    let (pull, push) = pipeline(&ctx, "pollin");
    let mut items = [pull.as_poll_item(PollEvents::POLLIN)];

    assert_eq!(poll(&mut items, 0), Ok(0));
    assert_eq!(items[0].revents(), PollEvents::empty());
    assert!(!items[0].is_readable());

    push.send("hello", SendFlags::empty()).unwrap();
    assert_eq!(poll(&mut items, WAIT_MS), Ok(1));
    assert_eq!(items[0].revents(), PollEvents::POLLIN);
    assert!(items[0].is_readable() && !items[0].is_writable());
    // Level-triggered: still readable until received; ZMQ_EVENTS agrees.
    assert_eq!(poll(&mut items, 0), Ok(1));
    assert!(pull.events().unwrap().contains(PollEvents::POLLIN));

    assert_eq!(pull.recv_bytes(RecvFlags::DONTWAIT).unwrap(), b"hello");
    assert_eq!(poll(&mut items, 0), Ok(0));
    assert!(!items[0].is_readable());
}

#[test]
fn poll_with_a_short_timeout_times_out_with_zero() {
    let ctx = Context::new();
    let (pull, _push) = pipeline(&ctx, "timeout");
    let mut items = [pull.as_poll_item(PollEvents::POLLIN)];
    let start = Instant::now();
    assert_eq!(poll(&mut items, 30), Ok(0));
    assert!(
        start.elapsed() >= Duration::from_millis(25),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn poll_reports_pollout_on_a_connected_push() {
    let ctx = Context::new();
    let pull = socket(&ctx, SocketType::Pull);
    pull.bind("tcp://127.0.0.1:*").unwrap();
    let push = socket(&ctx, SocketType::Push);

    // Without a peer a PUSH cannot send.
    let mut items = [push.as_poll_item(PollEvents::POLLOUT)];
    assert_eq!(poll(&mut items, 0), Ok(0));

    push.connect(&pull.last_endpoint().unwrap()).unwrap();
    assert_eq!(poll(&mut items, WAIT_MS), Ok(1));
    assert!(items[0].is_writable());
    assert_eq!(items[0].revents(), PollEvents::POLLOUT);

    // And what it sends arrives.
    push.send("over tcp", SendFlags::empty()).unwrap();
    assert_eq!(
        pull.poll(PollEvents::POLLIN, WAIT_MS),
        Ok(PollEvents::POLLIN)
    );
    assert_eq!(pull.recv_bytes(RecvFlags::empty()).unwrap(), b"over tcp");
}

#[test]
fn poll_mixes_a_raw_fd_and_a_socket() {
    let ctx = Context::new();
    let (pull, push) = pipeline(&ctx, "mixed");
    let (mut writer, reader) = stream_pair().unwrap();

    let mut items = [
        pull.as_poll_item(PollEvents::POLLIN),
        PollItem::from_fd(raw(&reader), PollEvents::POLLIN),
    ];
    assert_eq!(items[1].fd(), Some(raw(&reader)));
    assert_eq!(items[0].fd(), None);
    assert!(items[0].is_socket(&pull) && !items[0].is_socket(&push));
    assert_eq!(poll(&mut items, 0), Ok(0));

    writer.write_all(b"x").unwrap();
    assert_eq!(poll(&mut items, WAIT_MS), Ok(1));
    assert!(!items[0].is_readable());
    assert!(items[1].is_readable());

    push.send("m", SendFlags::empty()).unwrap();
    // The fd stays readable (nothing read from it): both items are ready.
    let deadline = Instant::now() + WAIT;
    while !items[0].is_readable() && Instant::now() < deadline {
        poll(&mut items, WAIT_MS).unwrap();
    }
    assert!(items[0].is_readable() && items[1].is_readable());
    assert_eq!(poll(&mut items, 0), Ok(2));
}

#[test]
fn poll_reports_a_writable_pipe_and_its_hangup() {
    let (a, b) = stream_pair().unwrap();
    let mut items = [PollItem::from_fd(raw(&a), PollEvents::POLLOUT)];
    assert_eq!(poll(&mut items, WAIT_MS), Ok(1));
    assert!(items[0].is_writable());

    // A closed peer: the reader sees end-of-file (readable) or an error condition.
    drop(b);
    items[0].set_events(PollEvents::POLLIN);
    assert_eq!(items[0].events(), PollEvents::POLLIN);
    assert_eq!(poll(&mut items, WAIT_MS), Ok(1));
    assert!(items[0].is_readable() || items[0].is_error());
}

#[test]
fn socket_poll_is_a_one_item_poll() {
    let ctx = Context::new();
    let (pull, push) = pipeline(&ctx, "one");
    assert_eq!(pull.poll(PollEvents::POLLIN, 0), Ok(PollEvents::empty()));
    assert_eq!(
        push.poll(PollEvents::POLLOUT, WAIT_MS),
        Ok(PollEvents::POLLOUT)
    );
    push.send("1", SendFlags::empty()).unwrap();
    assert_eq!(
        pull.poll(PollEvents::POLLIN | PollEvents::POLLOUT, WAIT_MS),
        Ok(PollEvents::POLLIN)
    );
}

#[test]
fn poll_with_no_items_waits_for_its_timeout() {
    assert_eq!(poll(&mut [], 0), Ok(0));
    let start = Instant::now();
    assert_eq!(poll(&mut [], 20), Ok(0));
    assert!(start.elapsed() >= Duration::from_millis(15));
}

#[test]
fn poll_blocked_forever_returns_eterm_on_context_shutdown() {
    let ctx = Context::new();
    let (pull, push) = pipeline(&ctx, "eterm");
    let (ready_tx, ready_rx) = mpsc::channel();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut items = [pull.as_poll_item(PollEvents::POLLIN)];
        ready_tx.send(()).unwrap();
        let r = poll(&mut items, -1);
        tx.send(r).unwrap();
    });
    ready_rx.recv_timeout(WAIT).unwrap();
    ctx.shutdown().unwrap();
    match rx.recv_timeout(WAIT) {
        Ok(r) => assert_eq!(r, Err(Error::ContextTerminated)),
        Err(e) => {
            std::mem::forget(ctx);
            panic!("zmq_poll did not return after zmq_ctx_shutdown: {e}");
        }
    }
    drop(push);
}

// Unix signals: Windows has none to interrupt a wait with.
#[cfg(unix)]
#[test]
fn poll_is_interrupted_by_a_signal() {
    install_noop_handler(libc::SIGUSR2);
    let ctx = Context::new();
    let (pull, _push) = pipeline(&ctx, "eintr");
    let (tx, rx) = mpsc::channel();
    let poller = std::thread::spawn(move || {
        let mut items = [pull.as_poll_item(PollEvents::POLLIN)];
        tx.send(poll(&mut items, -1)).unwrap();
    });
    // std's raw pthread is an integer; libc's `pthread_t` is a pointer on musl.
    let thread = poller.as_pthread_t() as libc::pthread_t;
    // A signal that lands before the thread blocks is lost, so keep sending until it returns.
    let deadline = Instant::now() + WAIT;
    let result = loop {
        // SAFETY: the thread is joined only after this loop, so its pthread_t stays valid
        // even if it has just exited; the signal has a handler.
        unsafe { libc::pthread_kill(thread, libc::SIGUSR2) };
        match rx.recv_timeout(Duration::from_millis(20)) {
            Ok(r) => break r,
            Err(_) if Instant::now() < deadline => continue,
            Err(e) => {
                std::mem::forget(ctx);
                panic!("zmq_poll was not interrupted: {e}");
            }
        }
    };
    assert_eq!(result, Err(Error::Interrupted));
    poller.join().unwrap();
}

#[cfg(unix)]
extern "C" fn noop_handler(_: libc::c_int) {}

#[cfg(unix)]
fn install_noop_handler(signal: libc::c_int) {
    // SAFETY: a zeroed sigaction is a valid "no flags, empty mask" value; the handler is an
    // async-signal-safe function that does nothing.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = noop_handler as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::sigemptyset(&mut action.sa_mask);
        assert_eq!(libc::sigaction(signal, &action, std::ptr::null_mut()), 0);
    }
}

#[cfg(feature = "draft")]
#[test]
fn poll_accepts_thread_safe_sockets() {
    let ctx = Context::new();
    let server = ctx.shared_socket(SocketType::Server).unwrap();
    server.set_linger(0).unwrap();
    // Thread-safe types refuse inproc (zmq4::aborts).
    let endpoint = common::bind_tcp(&server);
    let client = ctx.shared_socket(SocketType::Client).unwrap();
    client.set_linger(0).unwrap();
    client.connect(&endpoint).unwrap();
    let (mut writer, reader) = stream_pair().unwrap();

    let mut items = [
        server.as_poll_item(PollEvents::POLLIN),
        PollItem::from_fd(raw(&reader), PollEvents::POLLIN),
    ];
    assert_eq!(poll(&mut items, 0), Ok(0));
    client.send("hi", SendFlags::empty()).unwrap();
    assert_eq!(poll(&mut items, WAIT_MS), Ok(1));
    assert!(items[0].is_readable() && !items[1].is_readable());
    writer.write_all(b"x").unwrap();
    assert_eq!(poll(&mut items, WAIT_MS), Ok(2));
}

// ---------------------------------------------------------------------------------------
// zmq_ppoll

// zmq_ppoll takes a POSIX signal mask: Unix only (zmq4::poll::ppoll is cfg(unix)).
#[cfg(all(feature = "draft", unix))]
mod ppoll {
    use super::*;
    use zmq4::poll::ppoll;

    fn current_mask() -> libc::sigset_t {
        // SAFETY: pthread_sigmask with a null new set only stores the current mask.
        unsafe {
            let mut mask: libc::sigset_t = std::mem::zeroed();
            assert_eq!(
                libc::pthread_sigmask(libc::SIG_SETMASK, std::ptr::null(), &mut mask),
                0
            );
            mask
        }
    }

    #[test]
    fn ppoll_reports_events_with_and_without_a_mask() {
        let ctx = Context::new();
        let (pull, push) = pipeline(&ctx, "ppoll");
        let (mut writer, reader) = stream_pair().unwrap();
        let mask = current_mask();
        let mut items = [
            pull.as_poll_item(PollEvents::POLLIN),
            PollItem::from_fd(raw(&reader), PollEvents::POLLIN),
        ];

        assert_eq!(ppoll(&mut items, 0, None), Ok(0));
        assert_eq!(ppoll(&mut items, 0, Some(&mask)), Ok(0));
        push.send("m", SendFlags::empty()).unwrap();
        assert_eq!(ppoll(&mut items, WAIT_MS, Some(&mask)), Ok(1));
        assert!(items[0].is_readable() && !items[1].is_readable());
        writer.write_all(b"x").unwrap();
        assert_eq!(ppoll(&mut items, WAIT_MS, None), Ok(2));
        assert!(items[1].is_readable());
        assert_eq!(pull.recv_bytes(RecvFlags::DONTWAIT).unwrap(), b"m");
        assert_eq!(ppoll(&mut items, 0, Some(&mask)), Ok(1));
        assert!(!items[0].is_readable());
    }

    #[test]
    fn ppoll_delivers_a_signal_blocked_outside_the_wait() {
        install_noop_handler(libc::SIGUSR2);
        let ctx = Context::new();
        let (pull, _push) = pipeline(&ctx, "ppoll-signal");
        // SAFETY: sigset operations on initialised sets; pthread_sigmask and pthread_kill
        // on this thread, whose mask is restored at the end.
        let old = unsafe {
            let mut block: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut block);
            libc::sigaddset(&mut block, libc::SIGUSR2);
            let mut old: libc::sigset_t = std::mem::zeroed();
            assert_eq!(libc::pthread_sigmask(libc::SIG_BLOCK, &block, &mut old), 0);
            // Pending while blocked…
            assert_eq!(libc::pthread_kill(libc::pthread_self(), libc::SIGUSR2), 0);
            old
        };
        // …and delivered as soon as ppoll installs a mask without it.
        let mut without = old;
        // SAFETY: an initialised set.
        unsafe { libc::sigdelset(&mut without, libc::SIGUSR2) };
        let mut items = [pull.as_poll_item(PollEvents::POLLIN)];
        let result = ppoll(&mut items, WAIT_MS, Some(&without));
        // Same with no items: a pure wait for the signal.
        // SAFETY: as above.
        unsafe { assert_eq!(libc::pthread_kill(libc::pthread_self(), libc::SIGUSR2), 0) };
        let empty = ppoll(&mut [], WAIT_MS, Some(&without));
        // SAFETY: restores this thread's mask.
        unsafe {
            assert_eq!(
                libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut()),
                0
            )
        };
        assert_eq!(result, Err(Error::Interrupted));
        assert_eq!(empty, Err(Error::Interrupted));
    }

    #[test]
    fn ppoll_refuses_what_pselect_cannot_hold() {
        let ctx = Context::new();
        // Descriptors outside 0..FD_SETSIZE would index past libzmq's fd_sets.
        for fd in [-1, 1024, 5000, i32::MAX] {
            let mut items = [PollItem::from_fd(fd, PollEvents::POLLIN)];
            assert_eq!(
                ppoll(&mut items, 0, None),
                Err(Error::InvalidArgument),
                "fd {fd}"
            );
        }
        let (reader, _writer) = stream_pair().unwrap();
        let mut too_many = vec![PollItem::from_fd(raw(&reader), PollEvents::POLLIN); 1025];
        assert_eq!(ppoll(&mut too_many, 0, None), Err(Error::InvalidArgument));
        too_many.truncate(1024);
        assert_eq!(ppoll(&mut too_many, 0, None), Ok(0));
        // Thread-safe sockets have no ZMQ_FD to select on.
        let server = ctx.shared_socket(SocketType::Server).unwrap();
        let mut items = [server.as_poll_item(PollEvents::POLLIN)];
        assert_eq!(ppoll(&mut items, 0, None), Err(Error::InvalidArgument));
    }

    #[test]
    fn ppoll_blocked_forever_returns_eterm_on_context_shutdown() {
        let ctx = Context::new();
        let (pull, _push) = pipeline(&ctx, "ppoll-eterm");
        let (ready_tx, ready_rx) = mpsc::channel();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut items = [pull.as_poll_item(PollEvents::POLLIN)];
            ready_tx.send(()).unwrap();
            tx.send(ppoll(&mut items, -1, None)).unwrap();
        });
        ready_rx.recv_timeout(WAIT).unwrap();
        ctx.shutdown().unwrap();
        match rx.recv_timeout(WAIT) {
            Ok(r) => assert_eq!(r, Err(Error::ContextTerminated)),
            Err(e) => {
                std::mem::forget(ctx);
                panic!("zmq_ppoll did not return after zmq_ctx_shutdown: {e}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// zmq_poller

#[cfg(feature = "draft")]
mod poller {
    use super::*;
    use zmq4::poll::{Poller, PollerKey, ReadyEvent, SharedPoller};

    fn shared(ctx: &Context, ty: SocketType) -> zmq4::SharedSocket {
        let s = ctx.shared_socket(ty).unwrap();
        s.set_linger(0).unwrap();
        s
    }

    #[test]
    fn wait_gives_back_the_user_data_of_the_ready_item() {
        let ctx = Context::new();
        let (pull_a, push_a) = pipeline(&ctx, "pa");
        let (pull_b, push_b) = pipeline(&ctx, "pb");
        let mut poller = Poller::new().unwrap();
        let key_a = poller
            .add(&pull_a, PollEvents::POLLIN, String::from("a"))
            .unwrap();
        let key_b = poller
            .add(&pull_b, PollEvents::POLLIN, String::from("b"))
            .unwrap();
        assert_ne!(key_a, key_b);
        assert_eq!(poller.len(), 2);
        assert_eq!(poller.key_of(&pull_b), Some(key_b));
        assert_eq!(poller.registered_events(key_a), Some(PollEvents::POLLIN));

        assert!(poller.wait(0).unwrap().is_none());

        push_b.send("to b", SendFlags::empty()).unwrap();
        {
            let event = poller.wait(WAIT_MS).unwrap().expect("b is ready");
            assert_eq!(event.key(), key_b);
            assert_eq!(event.data(), "b");
            assert_eq!(event.events(), PollEvents::POLLIN);
            assert!(event.is_readable() && !event.is_writable());
            assert_eq!(event.fd(), None);
        }
        assert_eq!(pull_b.recv_bytes(RecvFlags::DONTWAIT).unwrap(), b"to b");

        push_a.send("to a", SendFlags::empty()).unwrap();
        let mut event = poller.wait(WAIT_MS).unwrap().expect("a is ready");
        assert_eq!(event.key(), key_a);
        event.data_mut().push('!');
        assert_eq!(poller[key_a], "a!");
        assert_eq!(poller.get(key_b).map(String::as_str), Some("b"));
    }

    #[test]
    fn wait_all_reports_every_ready_item() {
        let ctx = Context::new();
        let (pull_a, push_a) = pipeline(&ctx, "wa");
        let (pull_b, push_b) = pipeline(&ctx, "wb");
        let (pull_c, _push_c) = pipeline(&ctx, "wc");
        let mut poller = Poller::new().unwrap();
        let key_a = poller.add(&pull_a, PollEvents::POLLIN, 1).unwrap();
        let key_b = poller.add(&pull_b, PollEvents::POLLIN, 2).unwrap();
        poller.add(&pull_c, PollEvents::POLLIN, 3).unwrap();

        let mut ready = Vec::new();
        assert_eq!(poller.wait_all(&mut ready, 0), Ok(0));
        assert!(ready.is_empty());

        push_a.send("a", SendFlags::empty()).unwrap();
        push_b.send("b", SendFlags::empty()).unwrap();
        let deadline = Instant::now() + WAIT;
        while ready.len() < 2 && Instant::now() < deadline {
            poller.wait_all(&mut ready, WAIT_MS).unwrap();
        }
        let mut got: Vec<(PollerKey, i32)> =
            ready.iter().map(|e| (e.key(), poller[e.key()])).collect();
        got.sort();
        assert_eq!(got, [(key_a, 1), (key_b, 2)]);
        assert!(ready
            .iter()
            .all(|e| e.events() == PollEvents::POLLIN && e.is_readable() && e.fd().is_none()));
    }

    #[test]
    fn modify_changes_what_is_reported() {
        let ctx = Context::new();
        let (pull, push) = pipeline(&ctx, "modify");
        let mut poller = Poller::new().unwrap();
        let key = poller.add(&push, PollEvents::empty(), "push").unwrap();
        poller.add(&pull, PollEvents::POLLIN, "pull").unwrap();
        assert!(poller.wait(0).unwrap().is_none());

        poller.modify(&push, PollEvents::POLLOUT).unwrap();
        let event = poller.wait(WAIT_MS).unwrap().expect("push writable");
        assert_eq!((event.key(), event.events()), (key, PollEvents::POLLOUT));

        // A queued message, but POLLIN silenced: nothing from the PULL.
        push.send("m", SendFlags::empty()).unwrap();
        poller.modify_key(key, PollEvents::empty()).unwrap();
        poller.modify(&pull, PollEvents::empty()).unwrap();
        assert!(poller.wait(50).unwrap().is_none());

        poller
            .modify(&pull, PollEvents::POLLIN | PollEvents::POLLOUT)
            .unwrap();
        assert_eq!(
            poller.registered_events(poller.key_of(&pull).unwrap()),
            Some(PollEvents::POLLIN | PollEvents::POLLOUT)
        );
        let event = poller.wait(WAIT_MS).unwrap().expect("pull readable");
        // Only what occurred, within what was asked: a PULL is never writable.
        assert_eq!(event.events(), PollEvents::POLLIN);
        assert_eq!(*event.data(), "pull");

        // Unknown event bits are refused by libzmq.
        assert_eq!(
            poller.modify(&pull, PollEvents::from_bits_retain(0x100)),
            Err(Error::InvalidArgument)
        );
    }

    #[test]
    fn removed_items_are_not_reported_and_their_keys_go_stale() {
        let ctx = Context::new();
        let (pull_a, push_a) = pipeline(&ctx, "ra");
        let (pull_b, push_b) = pipeline(&ctx, "rb");
        let mut poller = Poller::new().unwrap();
        let key_a = poller.add(&pull_a, PollEvents::POLLIN, vec![1u8]).unwrap();
        let key_b = poller.add(&pull_b, PollEvents::POLLIN, vec![2u8]).unwrap();

        push_a.send("a", SendFlags::empty()).unwrap();
        push_b.send("b", SendFlags::empty()).unwrap();
        assert_eq!(
            pull_a.poll(PollEvents::POLLIN, WAIT_MS),
            Ok(PollEvents::POLLIN)
        );
        assert_eq!(
            pull_b.poll(PollEvents::POLLIN, WAIT_MS),
            Ok(PollEvents::POLLIN)
        );

        assert_eq!(poller.remove(&pull_a), Ok(vec![1u8]));
        assert_eq!(poller.len(), 1);
        assert_eq!(poller.get(key_a), None);
        assert_eq!(poller.key_of(&pull_a), None);

        // Both have a message; only b is still registered.
        let mut ready = Vec::new();
        assert_eq!(poller.wait_all(&mut ready, 0), Ok(1));
        assert_eq!(ready[0].key(), key_b);
        for _ in 0..3 {
            let event = poller.wait(0).unwrap().expect("b");
            assert_eq!(event.key(), key_b);
        }

        // Stale key and unregistered socket: errors, no effect.
        assert_eq!(poller.remove(&pull_a), Err(Error::InvalidArgument));
        assert_eq!(poller.remove_key(key_a), Err(Error::InvalidArgument));
        assert_eq!(
            poller.modify_key(key_a, PollEvents::POLLIN),
            Err(Error::InvalidArgument)
        );
        assert_eq!(
            poller.modify(&pull_a, PollEvents::POLLIN),
            Err(Error::InvalidArgument)
        );

        // Re-adding reuses the slot under a new key; the old key still finds nothing.
        let key_a2 = poller.add(&pull_a, PollEvents::POLLIN, vec![3u8]).unwrap();
        assert_ne!(key_a2, key_a);
        assert_eq!(poller.get(key_a), None);
        assert_eq!(poller.get(key_a2), Some(&vec![3u8]));
        assert_eq!(poller.wait_all(&mut ready, 0), Ok(2));
        let mut data: Vec<u8> = ready
            .iter()
            .map(|e: &ReadyEvent| poller[e.key()][0])
            .collect();
        data.sort();
        assert_eq!(data, [2, 3]);

        assert_eq!(poller.remove_key(key_b), Ok(vec![2u8]));
        assert_eq!(poller.remove_key(key_a2), Ok(vec![3u8]));
        assert!(poller.is_empty());
        assert_eq!(poller.iter().count(), 0);
    }

    #[test]
    fn adding_the_same_socket_or_fd_twice_is_einval() {
        let ctx = Context::new();
        let (pull, _push) = pipeline(&ctx, "twice");
        let data = std::rc::Rc::new(());
        let mut poller = Poller::new().unwrap();
        poller.add(&pull, PollEvents::POLLIN, data.clone()).unwrap();
        assert_eq!(
            poller
                .add(&pull, PollEvents::POLLOUT, data.clone())
                .unwrap_err(),
            Error::InvalidArgument
        );
        // The refused value was dropped, not kept.
        assert_eq!(std::rc::Rc::strong_count(&data), 2);
        assert_eq!(poller.len(), 1);

        let (reader, _writer) = stream_pair().unwrap();
        poller
            .add_fd(raw(&reader), PollEvents::POLLIN, data.clone())
            .unwrap();
        assert_eq!(
            poller
                .add_fd(raw(&reader), PollEvents::POLLIN, data.clone())
                .unwrap_err(),
            Error::InvalidArgument
        );
        assert_eq!(
            poller
                .add_fd(INVALID_FD, PollEvents::POLLIN, data.clone())
                .unwrap_err(),
            Error::BadFileDescriptor
        );
        assert_eq!(poller.len(), 2);
        assert_eq!(std::rc::Rc::strong_count(&data), 3);
        drop(poller);
        assert_eq!(std::rc::Rc::strong_count(&data), 1);
    }

    #[test]
    fn file_descriptors_in_the_poller() {
        let ctx = Context::new();
        let (pull, push) = pipeline(&ctx, "fds");
        let (mut writer, reader) = stream_pair().unwrap();
        let fd = raw(&reader);
        let mut poller = Poller::new().unwrap();
        let fd_key = poller.add_fd(fd, PollEvents::POLLIN, "fd").unwrap();
        let sock_key = poller.add(&pull, PollEvents::POLLIN, "socket").unwrap();
        assert_eq!(poller.key_of_fd(fd), Some(fd_key));
        assert!(poller.wait(0).unwrap().is_none());

        writer.write_all(b"x").unwrap();
        let event = poller.wait(WAIT_MS).unwrap().expect("fd readable");
        assert_eq!(
            (event.key(), event.fd(), *event.data()),
            (fd_key, Some(fd), "fd")
        );
        assert_eq!(event.events(), PollEvents::POLLIN);

        push.send("m", SendFlags::empty()).unwrap();
        let mut ready = Vec::new();
        let deadline = Instant::now() + WAIT;
        while ready.len() < 2 && Instant::now() < deadline {
            poller.wait_all(&mut ready, WAIT_MS).unwrap();
        }
        let mut keys: Vec<PollerKey> = ready.iter().map(|e| e.key()).collect();
        keys.sort();
        let mut expected = vec![fd_key, sock_key];
        expected.sort();
        assert_eq!(keys, expected);

        poller.modify_fd(fd, PollEvents::empty()).unwrap();
        assert_eq!(poller.wait_all(&mut ready, 0), Ok(1));
        assert_eq!(ready[0].key(), sock_key);
        poller
            .modify_fd(fd, PollEvents::POLLIN | PollEvents::POLLOUT)
            .unwrap();
        assert_eq!(poller.remove_fd(fd), Ok("fd"));
        assert_eq!(poller.remove_fd(fd), Err(Error::InvalidArgument));
        assert_eq!(
            poller.modify_fd(fd, PollEvents::POLLIN),
            Err(Error::InvalidArgument)
        );
        assert_eq!(poller.wait_all(&mut ready, 0), Ok(1));
        assert_eq!(ready[0].key(), sock_key);
    }

    #[test]
    fn timeouts_are_none_not_errors() {
        let ctx = Context::new();
        let (pull, _push) = pipeline(&ctx, "idle");
        let mut poller = Poller::new().unwrap();
        // Empty: a finite wait times out, an endless one is refused (libzmq's EFAULT).
        assert!(poller.wait(0).unwrap().is_none());
        let start = Instant::now();
        assert!(poller.wait(20).unwrap().is_none());
        assert!(start.elapsed() >= Duration::from_millis(15));
        assert_eq!(poller.wait(-1).map(|e| e.is_some()), Err(Error::Fault));

        poller.add(&pull, PollEvents::POLLIN, ()).unwrap();
        assert!(poller.wait(0).unwrap().is_none());
        let start = Instant::now();
        assert!(poller.wait(30).unwrap().is_none());
        assert!(start.elapsed() >= Duration::from_millis(25));
        let mut ready = vec![];
        assert_eq!(poller.wait_all(&mut ready, 10), Ok(0));

        // Everything silenced: same as empty.
        poller.modify(&pull, PollEvents::empty()).unwrap();
        assert!(poller.wait(10).unwrap().is_none());
        assert_eq!(poller.wait(-1).map(|e| e.is_some()), Err(Error::Fault));
    }

    #[test]
    fn poller_wait_blocked_forever_returns_eterm_on_context_shutdown() {
        let ctx = Context::new();
        let (pull, _push) = pipeline(&ctx, "poller-eterm");
        let (ready_tx, ready_rx) = mpsc::channel();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let r = {
                let mut poller = Poller::new().unwrap();
                poller.add(&pull, PollEvents::POLLIN, ()).unwrap();
                ready_tx.send(()).unwrap();
                let r = poller.wait(-1).map(|e| e.is_some());
                let mut ready = Vec::new();
                (r, poller.wait_all(&mut ready, -1))
            };
            tx.send(r).unwrap();
        });
        ready_rx.recv_timeout(WAIT).unwrap();
        ctx.shutdown().unwrap();
        match rx.recv_timeout(WAIT) {
            Ok((wait, wait_all)) => {
                assert_eq!(wait, Err(Error::ContextTerminated));
                assert_eq!(wait_all, Err(Error::ContextTerminated));
            }
            Err(e) => {
                std::mem::forget(ctx);
                panic!("zmq_poller_wait did not return after zmq_ctx_shutdown: {e}");
            }
        }
    }

    #[test]
    fn poller_fd_exists_only_with_a_thread_safe_socket() {
        let ctx = Context::new();
        let (pull, _push) = pipeline(&ctx, "nofd");
        let server = shared(&ctx, SocketType::Server);
        let mut poller = Poller::new().unwrap();
        assert_eq!(poller.fd(), Err(Error::InvalidArgument));
        poller.add(&pull, PollEvents::POLLIN, ()).unwrap();
        assert_eq!(poller.fd(), Err(Error::InvalidArgument));
        poller.add(&server, PollEvents::POLLIN, ()).unwrap();
        assert_ne!(poller.fd().unwrap(), INVALID_FD);
    }

    /// Whether `fd` polls readable within `timeout_ms`, as an external event loop would see
    /// it (zmq_poll of a raw item: poll(2), or WSAPoll on Windows).
    fn fd_readable(fd: zmq4::RawDescriptor, timeout_ms: i32) -> bool {
        let mut items = [PollItem::from_fd(fd, PollEvents::POLLIN)];
        poll(&mut items, i64::from(timeout_ms)).unwrap() == 1 && items[0].is_readable()
    }

    #[test]
    fn poller_fd_becomes_readable_when_a_socket_has_a_message() {
        let ctx = Context::new();
        let server = shared(&ctx, SocketType::Server);
        // Thread-safe types refuse inproc (zmq4::aborts).
        let endpoint = common::bind_tcp(&server);
        let client = shared(&ctx, SocketType::Client);
        client.connect(&endpoint).unwrap();
        // A round trip first, so that no connection event of tcp signals the poller later.
        server.set_rcvtimeo(WAIT_MS as i32).unwrap();
        client.send("warm up", SendFlags::empty()).unwrap();
        assert_eq!(&server.recv(RecvFlags::empty()).unwrap()[..], b"warm up");

        let mut poller = SharedPoller::new_shared().unwrap();
        let key = poller.add(&server, PollEvents::POLLIN, "server").unwrap();
        let fd = poller.fd().unwrap();
        // Drain whatever registration signalled; then nothing is ready.
        let mut ready = Vec::new();
        assert_eq!(poller.wait_all(&mut ready, 0), Ok(0));

        client.send("wake up", SendFlags::empty()).unwrap();
        assert!(fd_readable(fd, WAIT_MS as i32), "poller fd not readable");
        assert_eq!(poller.wait_all(&mut ready, WAIT_MS), Ok(1));
        assert_eq!(ready[0].key(), key);
        assert_eq!(poller[key], "server");
        let msg = server.recv(RecvFlags::DONTWAIT).unwrap();
        assert_eq!(&msg[..], b"wake up");
        // The wait consumed the signal and the message is gone.
        assert!(!fd_readable(fd, 0));
        assert_eq!(poller.wait_all(&mut ready, 0), Ok(0));
    }

    #[test]
    fn shared_poller_waits_in_another_thread() {
        fn assert_send<T: Send>(_: &T) {}
        let ctx = Context::new();
        let server = shared(&ctx, SocketType::Server);
        // Thread-safe types refuse inproc (zmq4::aborts).
        let endpoint = common::bind_tcp(&server);
        let client = shared(&ctx, SocketType::Client);
        client.connect(&endpoint).unwrap();
        let (mut writer, reader) = stream_pair().unwrap();

        let mut poller: SharedPoller<'_, &str> = SharedPoller::new_shared().unwrap();
        poller.add(&server, PollEvents::POLLIN, "server").unwrap();
        poller
            .add_fd(raw(&reader), PollEvents::POLLIN, "pipe")
            .unwrap();
        assert_send(&poller);
        std::thread::scope(|s| {
            let waiter = s.spawn(move || {
                let mut seen = Vec::new();
                let mut ready = Vec::new();
                let deadline = Instant::now() + WAIT;
                while seen.len() < 2 && Instant::now() < deadline {
                    poller.wait_all(&mut ready, WAIT_MS).unwrap();
                    for e in &ready {
                        if !seen.contains(&poller[e.key()]) {
                            seen.push(poller[e.key()]);
                        }
                    }
                }
                seen.sort();
                seen
            });
            client.send("x", SendFlags::empty()).unwrap();
            writer.write_all(b"x").unwrap();
            assert_eq!(waiter.join().unwrap(), ["pipe", "server"]);
        });
    }

    #[test]
    fn poller_holds_classic_and_thread_safe_sockets_together() {
        let ctx = Context::new();
        let (pull, push) = pipeline(&ctx, "mixed-poller");
        let server = shared(&ctx, SocketType::Server);
        // Thread-safe types refuse inproc (zmq4::aborts).
        let endpoint = common::bind_tcp(&server);
        let client = shared(&ctx, SocketType::Client);
        client.connect(&endpoint).unwrap();

        let mut poller = Poller::new().unwrap();
        let classic = poller.add(&pull, PollEvents::POLLIN, 'c').unwrap();
        let safe = poller.add(&server, PollEvents::POLLIN, 's').unwrap();
        push.send("1", SendFlags::empty()).unwrap();
        client.send("2", SendFlags::empty()).unwrap();
        let mut ready = Vec::new();
        let deadline = Instant::now() + WAIT;
        while ready.len() < 2 && Instant::now() < deadline {
            poller.wait_all(&mut ready, WAIT_MS).unwrap();
        }
        let mut got: Vec<char> = ready.iter().map(|e| poller[e.key()]).collect();
        got.sort();
        assert_eq!(got, ['c', 's']);
        assert_eq!(poller.remove(&server), Ok('s'));
        assert_eq!(poller.wait_all(&mut ready, 0), Ok(1));
        assert_eq!(ready[0].key(), classic);
        assert_eq!(poller.get(safe), None);
    }
}

// ---------------------------------------------------------------------------------------
// zmq_poller: the socket of an event (`zmq_poller_event_t.socket`)

#[cfg(feature = "draft")]
mod poller_socket {
    use super::*;
    use zmq4::poll::{Poller, SharedPoller};

    /// `PollerEvent::socket` hands back the socket an event is about, for a router loop
    /// that treats every socket alike; descriptors have none.
    #[test]
    fn wait_gives_back_the_socket() {
        let ctx = Context::new();
        let (a, push_a) = pipeline(&ctx, "event-socket-a");
        let (b, push_b) = pipeline(&ctx, "event-socket-b");
        let (mut r, mut w) = stream_pair().unwrap();
        let mut poller = Poller::new().unwrap();
        poller.add(&a, PollEvents::POLLIN, "a").unwrap();
        poller.add(&b, PollEvents::POLLIN, "b").unwrap();
        poller.add_fd(raw(&r), PollEvents::POLLIN, "fd").unwrap();
        push_a.send("to a", SendFlags::empty()).unwrap();
        push_b.send("to b", SendFlags::empty()).unwrap();
        w.write_all(b"x").unwrap();

        let mut seen = Vec::new();
        let deadline = Instant::now() + WAIT;
        while seen.len() < 3 && Instant::now() < deadline {
            let Some(event) = poller.wait(WAIT_MS).unwrap() else {
                break;
            };
            let name = *event.data();
            match event.socket() {
                Some(socket) => {
                    // One line: the event's own socket, not a lookup by name.
                    let text = socket.recv_string(RecvFlags::empty()).unwrap();
                    assert_eq!(text, format!("to {name}"));
                    assert!(event.shared_socket().is_none());
                }
                None => {
                    assert_eq!(name, "fd");
                    assert_eq!(event.fd(), Some(raw(&r)));
                    let mut byte = [0u8];
                    std::io::Read::read_exact(&mut r, &mut byte).unwrap();
                }
            }
            seen.push(name);
        }
        seen.sort();
        assert_eq!(seen, ["a", "b", "fd"]);
    }

    /// `Poller::socket(key)` does the same for the events of `wait_all`, and stops
    /// answering once the item is removed.
    #[test]
    fn wait_all_keys_give_back_the_socket() {
        let ctx = Context::new();
        let (a, push_a) = pipeline(&ctx, "key-socket-a");
        let (b, push_b) = pipeline(&ctx, "key-socket-b");
        let mut poller = Poller::new().unwrap();
        let key_a = poller.add(&a, PollEvents::POLLIN, ()).unwrap();
        poller.add(&b, PollEvents::POLLIN, ()).unwrap();
        push_a.send("a", SendFlags::empty()).unwrap();
        push_b.send("b", SendFlags::empty()).unwrap();

        let mut ready = Vec::new();
        let mut got = Vec::new();
        let deadline = Instant::now() + WAIT;
        while got.len() < 2 && Instant::now() < deadline {
            poller.wait_all(&mut ready, WAIT_MS).unwrap();
            for event in &ready {
                let socket = poller.socket(event.key()).expect("a Socket item");
                got.push(socket.recv_string(RecvFlags::empty()).unwrap());
            }
        }
        got.sort();
        assert_eq!(got, ["a", "b"]);
        assert!(std::ptr::eq(poller.socket(key_a).unwrap(), &a));
        poller.remove(&a).unwrap();
        assert!(poller.socket(key_a).is_none(), "removed");
    }

    /// A thread-safe socket comes back through `shared_socket`, from a poller that waits in
    /// another thread.
    #[test]
    fn shared_sockets_come_back_through_shared_socket() {
        let ctx = Context::new();
        let server = ctx.shared_socket(SocketType::Server).unwrap();
        server.set_rcvtimeo(WAIT_MS as i32).unwrap();
        // Thread-safe types refuse inproc (zmq4::aborts).
        let endpoint = common::bind_tcp(&server);
        let client = ctx.shared_socket(SocketType::Client).unwrap();
        client.connect(&endpoint).unwrap();
        let mut poller = SharedPoller::new_shared().unwrap();
        poller.add(&server, PollEvents::POLLIN, ()).unwrap();
        std::thread::scope(|s| {
            let waiter = s.spawn(move || {
                let event = poller.wait(WAIT_MS).unwrap().expect("an event");
                assert!(event.socket().is_none());
                let socket = event.shared_socket().expect("a SharedSocket item");
                socket.recv_string(RecvFlags::empty()).unwrap()
            });
            client.send("over", SendFlags::empty()).unwrap();
            assert_eq!(waiter.join().unwrap(), "over");
        });
    }
}
