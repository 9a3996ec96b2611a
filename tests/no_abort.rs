//! The reproducers of issue 18: each used to kill the process (a libzmq assert, an I/O
//! safety abort) or hang it from safe code. Here the process survives and the caller gets a
//! typed error or a working result (see `zmq4::aborts` for the whole audit).

mod common;

use common::{recv_bytes, socket, TIMEOUT, TIMEOUT_MS};
use std::sync::mpsc;
use std::time::Duration;
use zmq4::monitor::{Event, MonitorEvents};
use zmq4::{Context, Error, SendFlags, SocketType};

/// Runs `f` on a thread and fails the test if it does not finish within `limit` (a hang).
fn within<T: Send + 'static>(
    limit: Duration,
    what: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("{what}: still blocked after {limit:?}"))
}

/// Issue item 1: DGRAM send with no peer: libzmq closed the message twice (zmq.cpp:391) or retried a
/// blocking send with the closed message; `send_msg` returned a stale error and left the
/// message closed.
#[cfg(feature = "draft")]
#[test]
fn dgram_send_without_peer_is_not_connected() {
    let ctx = Context::new();
    let dgram = ctx.socket(SocketType::Dgram).unwrap();
    assert_eq!(
        dgram.send(b"x", SendFlags::DONTWAIT),
        Err(Error::NotConnected)
    );
    assert_eq!(
        dgram.send(b"x", SendFlags::empty()),
        Err(Error::NotConnected)
    );
    assert_eq!(
        dgram.send_const(b"x", SendFlags::SNDMORE),
        Err(Error::NotConnected)
    );
    // A failed send_msg leaves the message as it was (small, large, zero-copy).
    for data in [b"abc".to_vec(), vec![7u8; 4096]] {
        let mut msg = zmq4::Message::from(data.clone());
        for flags in [SendFlags::DONTWAIT, SendFlags::empty(), SendFlags::SNDMORE] {
            assert_eq!(dgram.send_msg(&mut msg, flags), Err(Error::NotConnected));
            assert_eq!(msg.len(), data.len());
            assert_eq!(&msg[..], &data[..]);
        }
    }
    assert_eq!(
        dgram.send_multipart([&b"127.0.0.1:9"[..], b"data"], SendFlags::empty()),
        Err(Error::NotConnected)
    );
    // The proxy sends with libzmq's own blocking send: DGRAM is refused up front.
    let other = ctx.socket(SocketType::Pull).unwrap();
    assert_eq!(
        zmq4::proxy::proxy(&other, &dgram, None),
        Err(Error::InvalidArgument)
    );
    assert_eq!(
        zmq4::proxy::proxy(&dgram, &other, None),
        Err(Error::InvalidArgument)
    );
}

/// Issue item 2: `set_use_fd` takes the descriptor's ownership: libzmq closes it after a bind used it,
/// the socket closes it if none did, and nothing else can close it twice.
#[cfg(unix)]
#[test]
fn use_fd_takes_ownership() {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream, UdpSocket};
    use std::os::fd::{AsRawFd, OwnedFd};

    let ctx = Context::new();
    // Used by a bind: libzmq listens on it (the endpoint's port is ignored), and owns it.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let fd_number = listener.as_raw_fd();
    let rep = socket(&ctx, SocketType::Rep);
    rep.set_use_fd(Some(OwnedFd::from(listener))).unwrap();
    assert_eq!(rep.use_fd().unwrap(), fd_number);
    rep.bind("tcp://127.0.0.1:*").unwrap();
    assert_eq!(rep.use_fd().unwrap(), -1, "a second bind must not reuse it");
    assert!(rep.last_endpoint().unwrap().ends_with(&format!(":{port}")));
    let req = socket(&ctx, SocketType::Req);
    req.connect(&format!("tcp://127.0.0.1:{port}")).unwrap();
    req.send("through the given fd", SendFlags::empty())
        .unwrap();
    assert_eq!(recv_bytes(&rep), b"through the given fd");
    drop((req, rep));
    drop(ctx);
    // The sequence: after libzmq closed the listener, the number is reused by a file
    // this process owns; nothing in zmq4 or std closes it a second time.
    let path = std::env::temp_dir().join(format!("zmq4-no-abort-{}", std::process::id()));
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(b"still mine").unwrap();
    drop(file);
    let mut file = std::fs::File::open(&path).unwrap();
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap();
    assert_eq!(text, "still mine");
    std::fs::remove_file(&path).unwrap();

    // Not used by any bind: the socket closes it when dropped (the port stops listening).
    let ctx = Context::new();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let unused = socket(&ctx, SocketType::Pull);
    unused.set_use_fd(Some(OwnedFd::from(listener))).unwrap();
    unused.bind("inproc://no-abort-use-fd").unwrap(); // inproc ignores ZMQ_USE_FD
    drop(unused);
    assert!(TcpStream::connect_timeout(&addr, TIMEOUT).is_err());

    // `None` clears it (and closes the descriptor it held).
    let s = socket(&ctx, SocketType::Pull);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    s.set_use_fd(Some(OwnedFd::from(listener))).unwrap();
    s.set_use_fd(None).unwrap();
    assert_eq!(s.use_fd().unwrap(), -1);
    assert!(TcpStream::connect_timeout(&addr, TIMEOUT).is_err());

    // Descriptors libzmq's listener cannot use (it would assert in the I/O thread).
    let file = std::fs::File::open("/dev/null").unwrap();
    assert_eq!(
        s.set_use_fd(Some(OwnedFd::from(file))),
        Err(Error::InvalidArgument)
    );
    let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
    assert_eq!(
        s.set_use_fd(Some(OwnedFd::from(udp))),
        Err(Error::InvalidArgument)
    );
    let unlistened = socket2_stream();
    assert_eq!(s.set_use_fd(Some(unlistened)), Err(Error::InvalidArgument));
    // The family must fit the transport.
    let dir = std::env::temp_dir().join(format!("zmq4-no-abort-ipc-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("sock");
    let unix = std::os::unix::net::UnixListener::bind(&path).unwrap();
    s.set_use_fd(Some(OwnedFd::from(unix))).unwrap();
    assert_eq!(s.bind("tcp://127.0.0.1:*"), Err(Error::InvalidArgument));
    s.bind(&format!("ipc://{}", path.display())).unwrap();
    assert_eq!(s.use_fd().unwrap(), -1);
    let tcp = TcpListener::bind("127.0.0.1:0").unwrap();
    s.set_use_fd(Some(OwnedFd::from(tcp))).unwrap();
    assert_eq!(
        s.bind(&format!("ipc://{}", dir.join("other").display())),
        Err(Error::InvalidArgument)
    );
    drop(s);
    let _ = std::fs::remove_dir_all(&dir);

    // The untyped path cannot hand libzmq a descriptor.
    let s = socket(&ctx, SocketType::Pull);
    assert_eq!(
        s.setsockopt(zmq4::sys::ZMQ_USE_FD, &5i32.to_ne_bytes()),
        Err(Error::InvalidArgument)
    );
    assert_eq!(s.use_fd().unwrap(), -1);
}

/// A TCP stream socket that is bound but not listening.
#[cfg(unix)]
fn socket2_stream() -> std::os::fd::OwnedFd {
    use std::os::fd::FromRawFd;
    // SAFETY: socket(2) returns a new descriptor this function owns, or -1 (checked).
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_STREAM, 0) };
    assert!(fd >= 0);
    // SAFETY: `fd` is a fresh descriptor owned by nobody else.
    unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) }
}

/// Issue item 3: Context termination after `set_max_sockets(1)` and a connect to an inproc endpoint
/// nobody bound: `zmq_ctx_term` needed a free socket slot per pending connection and
/// asserted it got one (ctx.cpp:142).
#[test]
fn term_with_pending_inproc_connect_at_socket_limit() {
    within(TIMEOUT * 2, "drop socket, then context", || {
        let ctx = Context::new();
        ctx.set_max_sockets(1).unwrap();
        let s = ctx.socket(SocketType::Pair).unwrap();
        s.connect("inproc://no-abort-nobody").unwrap();
        drop(s);
        drop(ctx);
    });
    within(TIMEOUT * 2, "explicit term", || {
        let ctx = Context::new();
        ctx.set_max_sockets(2).unwrap();
        let a = ctx.socket(SocketType::Dealer).unwrap();
        let b = ctx.socket(SocketType::Dealer).unwrap();
        for name in ["x", "y", "z"] {
            a.connect(&format!("inproc://no-abort-{name}")).unwrap();
            b.connect(&format!("inproc://no-abort-{name}")).unwrap();
        }
        drop(a);
        drop(b);
        ctx.term().unwrap();
    });
    within(TIMEOUT * 2, "shutdown with the socket alive", || {
        let ctx = Context::new();
        ctx.set_max_sockets(2).unwrap();
        let s = ctx.socket(SocketType::Pair).unwrap();
        s.connect("inproc://no-abort-shutdown").unwrap();
        ctx.shutdown().unwrap();
        assert_eq!(
            s.connect("inproc://no-abort-after"),
            Err(Error::ContextTerminated)
        );
        drop(s);
        drop(ctx);
    });
    // A pending connection still works as before when the endpoint is bound later.
    let ctx = Context::new();
    let c = socket(&ctx, SocketType::Pair);
    c.connect("inproc://no-abort-later").unwrap();
    let b = socket(&ctx, SocketType::Pair);
    b.bind("inproc://no-abort-later").unwrap();
    c.send("late bind", SendFlags::empty()).unwrap();
    assert_eq!(recv_bytes(&b), b"late bind");
}

/// Issue item 6: monitoring again (or stopping, or closing the socket) with nobody reading the monitor
/// endpoint: libzmq sent MONITOR_STOPPED with a blocking send under its monitor lock.
#[test]
fn remonitor_without_reader_does_not_hang() {
    within(TIMEOUT * 2, "monitor twice without a reader", || {
        let ctx = Context::new();
        let s = ctx.socket(SocketType::Dealer).unwrap();
        s.monitor(Some("inproc://no-abort-mon-1"), MonitorEvents::all())
            .unwrap();
        s.monitor(Some("inproc://no-abort-mon-2"), MonitorEvents::all())
            .unwrap();
        s.monitor(None, MonitorEvents::all()).unwrap();
        s.monitor(Some("inproc://no-abort-mon-3"), MonitorEvents::all())
            .unwrap();
        drop(s); // still monitoring: the close stops it
        drop(ctx);
    });
    // A reader that is connected still gets MONITOR_STOPPED.
    let ctx = Context::new();
    let s = socket(&ctx, SocketType::Dealer);
    let monitor = s.monitor_events(MonitorEvents::all()).unwrap();
    monitor.socket().set_rcvtimeo(TIMEOUT_MS).unwrap();
    s.monitor(None, MonitorEvents::all()).unwrap();
    assert_eq!(monitor.recv().unwrap().event, Event::MonitorStopped);
}

/// Dropping a socket whose monitor reader is connected but not reading, its pipe full: the
/// drop used to stop the monitor in the dropping thread, where libzmq's blocking send of
/// MONITOR_STOPPED waited for the reader for ever (a throw-away reader cannot attach to a
/// PAIR that has a peer). libzmq now stops it at close on its reaper thread, and the reader
/// still gets every event and then MONITOR_STOPPED once it reads.
#[test]
fn drop_with_full_monitor_pipe_does_not_block() {
    // The pipe from libzmq's monitor PAIR (SNDHWM 1000) to a reader with RCVHWM 1 takes
    // 1000 + 1 messages; each bind raises one LISTENING event in this thread.
    const FULL: usize = 1001;
    let ctx = Context::new();
    let endpoint = "inproc://no-abort-mon-full";
    let s = ctx.socket(SocketType::Dealer).unwrap();
    s.monitor(
        Some(endpoint),
        MonitorEvents::LISTENING | MonitorEvents::MONITOR_STOPPED,
    )
    .unwrap();
    let reader = socket(&ctx, SocketType::Pair);
    reader.set_rcvhwm(1).unwrap();
    reader.connect(endpoint).unwrap();
    for _ in 0..FULL {
        s.bind("tcp://127.0.0.1:*").unwrap();
        let bound = s.last_endpoint().unwrap();
        s.unbind(&bound).unwrap();
    }
    within(TIMEOUT, "drop with a full monitor pipe", move || drop(s));
    let events: Vec<Event> = (0..=FULL)
        .map(|_| {
            let frames = reader.recv_multipart(zmq4::RecvFlags::empty()).unwrap();
            zmq4::monitor::MonitorEvent::parse_v1(&frames)
                .unwrap()
                .event
        })
        .collect();
    assert!(events[..FULL]
        .iter()
        .all(|e| matches!(e, Event::Listening { .. })));
    assert_eq!(events[FULL], Event::MonitorStopped);
}

/// The usual drop order of a monitored socket and its reader (the reader, declared last,
/// first). The drop used to connect a throw-away reader that libzmq could see before it saw
/// the old reader go, refuse it, and then block on MONITOR_STOPPED with no reader at all;
/// left to libzmq's reaper, that send blocked the reaper until the context terminated, so
/// no socket closed after it was reaped and the context ran out of socket slots.
#[test]
fn drop_right_after_its_monitor_reader_does_not_block() {
    // A generous bound: on Windows every socket makes a loopback TCP pair for its signaler,
    // which under wine on a loaded machine takes most of a second per round.
    within(TIMEOUT * 6, "drop after the monitor reader", || {
        let ctx = Context::new();
        // Three sockets per round (socket, libzmq's monitor socket, reader): the slots of
        // closed ones must come back for 40 rounds to fit.
        ctx.set_max_sockets(12).unwrap();
        // Retries what needs a free socket slot, for at most TIMEOUT each.
        fn when_free<T>(mut make: impl FnMut() -> Result<T, Error>) -> T {
            let start = std::time::Instant::now();
            loop {
                match make() {
                    Err(Error::TooManyOpenFiles) if start.elapsed() < TIMEOUT => {
                        std::thread::sleep(Duration::from_millis(1))
                    }
                    r => break r.unwrap(),
                }
            }
        }
        for _ in 0..40 {
            let s = when_free(|| ctx.socket(SocketType::Dealer));
            let monitor = when_free(|| s.monitor_events(MonitorEvents::all()));
            s.bind("tcp://127.0.0.1:*").unwrap();
            drop(monitor);
            drop(s);
        }
    });
}

/// A monitor whose reader could not be made (no free socket slot) used to be left running
/// with no reader: the next `monitor_events` then stopped it with a blocking send nobody
/// took. The reader's socket is now made first, so the call fails before the monitor starts.
#[test]
fn monitor_events_without_a_free_socket_slot_does_not_block() {
    within(TIMEOUT * 2, "monitor_events at the socket limit", || {
        let ctx = Context::new();
        // The socket and one more: the reader fits, libzmq's monitor socket does not.
        ctx.set_max_sockets(2).unwrap();
        let s = ctx.socket(SocketType::Dealer).unwrap();
        for _ in 0..3 {
            assert_eq!(
                s.monitor_events(MonitorEvents::all()).err(),
                Some(Error::TooManyOpenFiles)
            );
        }
        #[cfg(feature = "draft")]
        assert_eq!(
            s.monitor_events_v2(MonitorEvents::all()).err(),
            Some(Error::TooManyOpenFiles)
        );
        s.bind("tcp://127.0.0.1:*").unwrap();
        drop(s);
    });
}

/// Issue item 4: a binder with `ZMQ_HELLO_MSG` meeting a pending inproc connection whose connecting
/// socket was closed: libzmq wrote the hello into a pipe that takes no more writes and
/// asserted (pipe.cpp:71).
#[cfg(feature = "draft")]
#[test]
fn hello_binder_meets_stale_pending_connection() {
    // PEER, the third binder with a hello, is thread-safe: it refuses inproc.
    for kind in [SocketType::Router, SocketType::Dealer] {
        let ctx = Context::new();
        let endpoint = format!("inproc://no-abort-hello-{kind:?}");
        // The closed connector alone: its drop attaches its own pending connection.
        let gone = ctx.socket(SocketType::Dealer).unwrap();
        gone.connect(&endpoint).unwrap();
        drop(gone);
        // A closed connector next to a live one.
        let gone = ctx.socket(SocketType::Dealer).unwrap();
        let live = socket(&ctx, SocketType::Dealer);
        gone.connect(&endpoint).unwrap();
        live.connect(&endpoint).unwrap();
        drop(gone);
        std::thread::sleep(Duration::from_millis(20)); // let the reaper close its pipe
        let binder = ctx.socket(kind).unwrap();
        binder.set_hello_msg(b"hello").unwrap();
        binder.bind(&endpoint).unwrap();
        // The live connection works; a later connector gets the hello (restored).
        let later = socket(&ctx, SocketType::Dealer);
        later.connect(&endpoint).unwrap();
        assert_eq!(recv_bytes(&later), b"hello");
        drop((binder, live, later));
    }
}

/// The same with the closed connector's own hello set, and the context dropped at once.
#[cfg(feature = "draft")]
#[test]
fn hello_connector_closed_while_pending() {
    within(TIMEOUT * 2, "closed hello connector", || {
        let ctx = Context::new();
        let c = ctx.socket(SocketType::Router).unwrap();
        c.set_hello_msg(b"hi").unwrap();
        c.connect("inproc://no-abort-hello-self").unwrap();
        drop(c);
        let b = ctx.socket(SocketType::Router).unwrap();
        b.set_hello_msg(b"there").unwrap();
        b.bind("inproc://no-abort-hello-self").unwrap();
        let _ = b.recv_bytes(zmq4::RecvFlags::DONTWAIT);
        drop(b);
        drop(ctx);
    });
}

/// The same class: an XPUB binder with `ZMQ_XPUB_WELCOME_MSG` meeting a stale pending
/// connection asserted in xpub.cpp:63.
#[test]
fn welcome_binder_meets_stale_pending_connection() {
    let ctx = Context::new();
    let endpoint = "inproc://no-abort-welcome";
    let gone = ctx.socket(SocketType::Sub).unwrap();
    let live = socket(&ctx, SocketType::Sub);
    gone.connect(endpoint).unwrap();
    live.connect(endpoint).unwrap();
    drop(gone);
    std::thread::sleep(Duration::from_millis(20)); // let the reaper close its pipe
    let xpub = socket(&ctx, SocketType::XPub);
    xpub.set_xpub_welcome_msg(b"welcome").unwrap();
    xpub.bind(endpoint).unwrap();
    let later = socket(&ctx, SocketType::Sub);
    later.set_subscribe(b"").unwrap();
    later.connect(endpoint).unwrap();
    // The XPUB attaches the new pipe (and writes the welcome) when it next processes its
    // commands: any call into it.
    let got = common::until_received(
        |_| {
            let _ = xpub.events();
        },
        || common::try_recv_within(&later, common::PROBE_MS),
    );
    assert_eq!(&got[..], b"welcome");
}

/// Context options applied in each I/O thread at start, where libzmq asserts that the
/// system took them (thread.cpp): refused at `set` time instead.
#[cfg(target_os = "linux")]
#[test]
fn thread_scheduling_options_that_cannot_apply_are_refused() {
    let ctx = Context::new();
    assert_eq!(
        ctx.set_thread_sched_policy(12345),
        Err(Error::InvalidArgument)
    );
    assert_eq!(
        ctx.set_thread_affinity_cpu_add(1 << 20),
        Err(Error::InvalidArgument)
    );
    assert_eq!(
        ctx.set_thread_affinity_cpu_add(1023),
        Err(Error::InvalidArgument)
    ); // no such CPU here
    ctx.set_thread_sched_policy(libc::SCHED_OTHER).unwrap();
    ctx.set_thread_affinity_cpu_add(0).unwrap();
    // SCHED_FIFO with a priority outside 1..=99.
    let fifo = Context::new();
    if fifo.set_thread_sched_policy(libc::SCHED_FIFO).is_ok() {
        assert!(fifo.set_thread_priority(500).is_err());
    }
    // The context starts its threads with what was accepted.
    for ctx in [ctx, fifo] {
        let a = socket(&ctx, SocketType::Pair);
        let b = socket(&ctx, SocketType::Pair);
        let endpoint = common::bind_tcp(&a);
        b.connect(&endpoint).unwrap();
        b.send("started", SendFlags::empty()).unwrap();
        assert_eq!(recv_bytes(&a), b"started");
    }
}

/// A PAIR keeps one pipe and terminates the others as a bind attaches them; libzmq then
/// wrote a pending ROUTER connector's routing id into the terminated pipe (pipe.cpp:60).
/// Found by the torture harness (inproc_pending).
#[test]
fn pair_binder_with_pending_router_connectors() {
    let ctx = Context::new();
    let r1 = socket(&ctx, SocketType::Router);
    let r2 = socket(&ctx, SocketType::Router);
    r1.connect("inproc://no-abort-pair-1").unwrap();
    r2.connect("inproc://no-abort-pair-1").unwrap();
    let pair = socket(&ctx, SocketType::Pair);
    assert_eq!(
        pair.bind("inproc://no-abort-pair-1"),
        Err(Error::InvalidState)
    );
    // A DEALER takes them all.
    let dealer = socket(&ctx, SocketType::Dealer);
    dealer.bind("inproc://no-abort-pair-1").unwrap();
    // One pending ROUTER and a PAIR that holds no pipe yet: fine.
    r1.connect("inproc://no-abort-pair-2").unwrap();
    pair.bind("inproc://no-abort-pair-2").unwrap();
    // The context ends with ROUTERs still pending on an endpoint nobody bound.
    r1.connect("inproc://no-abort-pair-3").unwrap();
    r2.connect("inproc://no-abort-pair-3").unwrap();
    drop(pair);
    within(TIMEOUT * 2, "shutdown with pending ROUTERs", move || {
        ctx.shutdown().unwrap();
        drop((r1, r2, dealer));
        drop(ctx);
    });
}

/// ZMQ_LINGER 0, a multipart message of large frames half written to tcp, and both ends
/// closed: libzmq's session asserted it could read the rest of the message
/// (session_base.cpp:233). Found by the torture harness (zerocopy); 300 rounds aborted
/// within the first ones before the guard. The guard (linger 1 ms at close) narrows the race
/// without closing it: under load this still aborts now and then, so it is not run by
/// default (`cargo test --test no_abort -- --ignored`).
#[test]
#[ignore = "libzmq 4.3.5 race, mitigated not closed: see zmq4::aborts"]
fn linger_zero_close_mid_multipart() {
    within(TIMEOUT * 6, "close mid-multipart", || {
        for round in 0..200u64 {
            let ctx = Context::new();
            let a = ctx.socket(SocketType::Pair).unwrap();
            let b = ctx.socket(SocketType::Pair).unwrap();
            a.set_linger(0).unwrap();
            b.set_linger(0).unwrap();
            let endpoint = common::bind_tcp(&a);
            b.connect(&endpoint).unwrap();
            for k in 0..20 {
                let flags = if k % 5 == 4 {
                    SendFlags::DONTWAIT
                } else {
                    SendFlags::SNDMORE
                };
                let _ = a.send_msg(&mut zmq4::Message::from(vec![7u8; 70_000]), flags);
            }
            std::thread::sleep(Duration::from_micros((round % 7) * 100));
            drop((a, b, ctx));
        }
    });
}

/// A ROUTER's `ZMQ_CONNECT_ROUTING_ID` already used by one of its pipes: libzmq asserted
/// (router.cpp:438). Found while reducing a torture finding.
#[test]
fn router_duplicate_connect_routing_id() {
    let ctx = Context::new();
    let r = socket(&ctx, SocketType::Router);
    r.set_connect_routing_id(b"x").unwrap();
    r.connect("inproc://no-abort-rid").unwrap();
    r.set_connect_routing_id(b"x").unwrap();
    assert_eq!(
        r.connect("inproc://no-abort-rid"),
        Err(Error::InvalidArgument)
    );
    r.set_connect_routing_id(b"y").unwrap();
    r.connect("inproc://no-abort-rid").unwrap();
}

/// A ROUTER withdrawing a pending inproc connection, then anyone binding the endpoint:
/// libzmq wrote the routing id into the dropped pipe (pipe.cpp:60). Found by the torture
/// harness (garbage).
#[test]
fn router_disconnects_pending_inproc() {
    let ctx = Context::new();
    let r = socket(&ctx, SocketType::Router);
    r.connect("inproc://no-abort-withdrawn").unwrap();
    r.disconnect("inproc://no-abort-withdrawn").unwrap();
    let d = socket(&ctx, SocketType::Dealer);
    d.bind("inproc://no-abort-withdrawn").unwrap();
    // With another socket waiting on the endpoint, the ROUTER cannot withdraw.
    let r2 = socket(&ctx, SocketType::Router);
    let other = socket(&ctx, SocketType::Dealer);
    r2.connect("inproc://no-abort-withdrawn-2").unwrap();
    other.connect("inproc://no-abort-withdrawn-2").unwrap();
    assert_eq!(
        r2.disconnect("inproc://no-abort-withdrawn-2"),
        Err(Error::InvalidState)
    );
    // A DEALER can (its pending pipe becomes stale: a hello binder copes).
    other.disconnect("inproc://no-abort-withdrawn-2").unwrap();
    let binder = socket(&ctx, SocketType::Router);
    #[cfg(feature = "draft")]
    binder.set_hello_msg(b"hi").unwrap();
    // r2 still waits there: a ROUTER binder is fine (a PAIR would refuse it).
    binder.bind("inproc://no-abort-withdrawn-2").unwrap();
}

/// `unbind` of an inproc endpoint a socket only connected to drops its connections, as a
/// disconnect does; a REP (routing ids, like a ROUTER) then met pipe.cpp:60 at the next
/// bind of the endpoint, here its own attach before close. Found by the torture harness
/// (garbage, iteration seed 2437754801796856944).
#[test]
fn rep_unbinds_pending_inproc_connect() {
    let ctx = Context::new();
    let rep = socket(&ctx, SocketType::Rep);
    rep.connect("inproc://no-abort-unbind").unwrap();
    let _ = rep.unbind("inproc://no-abort-unbind");
    drop(rep);
    let d = socket(&ctx, SocketType::Dealer);
    d.bind("inproc://no-abort-unbind").unwrap();
}

/// A socket connected to itself over inproc (connect, then bind the same endpoint, or the
/// other way round): libzmq's load balancer indexed out of bounds (heap-buffer-overflow in
/// `lb_t::activated` under AddressSanitizer, found by the torture harness).
#[test]
fn inproc_self_connection_is_refused() {
    let ctx = Context::new();
    let d = socket(&ctx, SocketType::Dealer);
    d.connect("inproc://no-abort-self-1").unwrap();
    assert_eq!(
        d.bind("inproc://no-abort-self-1"),
        Err(Error::InvalidArgument)
    );
    d.bind("inproc://no-abort-self-2").unwrap();
    assert_eq!(
        d.connect("inproc://no-abort-self-2"),
        Err(Error::InvalidArgument)
    );
    d.unbind("inproc://no-abort-self-2").unwrap();
    // Others still connect and bind as before.
    let other = socket(&ctx, SocketType::Dealer);
    other.bind("inproc://no-abort-self-1").unwrap();
    d.send("to the other", SendFlags::empty()).unwrap();
    assert_eq!(recv_bytes(&other), b"to the other");
}

/// A udp endpoint (DGRAM or DISH bind, RADIO connect) on a socket whose
/// `ZMQ_BINDTODEVICE` the system refuses (no such interface, or no privilege): libzmq's
/// I/O thread failed `SO_BINDTODEVICE` in `udp_engine_t::plug`, reconnected at once and
/// failed again, for ever (100% CPU), and the context's termination never ended (the
/// session always has one more `attach` command in flight). Now the bind or connect is
/// refused with the system's error; a device that works (`lo`) still does.
#[cfg(all(feature = "draft", target_os = "linux"))]
#[test]
fn udp_with_unusable_bindtodevice_is_refused() {
    within(
        Duration::from_secs(30),
        "udp with an unusable device",
        || {
            let [port] = common::free_udp_ports::<1>();
            let udp = format!("udp://127.0.0.1:{port}");
            for kind in [SocketType::Dgram, SocketType::Dish, SocketType::Radio] {
                let ctx = Context::new();
                let s = ctx.socket(kind).unwrap();
                s.set_bindtodevice("zmq4-nodev0").unwrap();
                let r = if kind == SocketType::Radio {
                    s.connect(&udp)
                } else {
                    s.bind("udp://127.0.0.1:*")
                };
                assert!(
                    matches!(r, Err(Error::NoSuchDevice | Error::NotPermitted)),
                    "{kind:?}: {r:?}"
                );
                // The same socket still binds and connects elsewhere, and without the device.
                s.set_bindtodevice("").unwrap();
                if kind == SocketType::Radio {
                    s.connect(&udp).unwrap();
                } else {
                    s.bind("udp://127.0.0.1:*").unwrap();
                }
                drop(s);
                drop(ctx);
            }
            // A device the system accepts keeps working (unprivileged on Linux >= 5.7; older
            // kernels want CAP_NET_RAW and refuse it up front).
            let ctx = Context::new();
            let dish = ctx.socket(SocketType::Dish).unwrap();
            dish.set_bindtodevice("lo").unwrap();
            match dish.bind(&udp) {
                Err(Error::NotPermitted) => return,
                r => r.unwrap(),
            }
            let radio = ctx.socket(SocketType::Radio).unwrap();
            radio.set_bindtodevice("lo").unwrap();
            radio.connect(&udp).unwrap();
            dish.join("g").unwrap();
            dish.set_rcvtimeo(common::PROBE_MS).unwrap();
            let deadline = std::time::Instant::now() + TIMEOUT;
            let mut delivered = false;
            while !delivered && std::time::Instant::now() < deadline {
                let mut msg = zmq4::Message::from(&b"over lo"[..]);
                msg.set_group("g").unwrap();
                radio.send_msg(&mut msg, SendFlags::DONTWAIT).unwrap();
                delivered = dish.recv_bytes(zmq4::RecvFlags::empty()).is_ok();
            }
            // The port was free a moment ago; another process may have taken it since.
            if !delivered {
                eprintln!("udp port {port} delivered nothing over lo");
            }
            drop((dish, radio));
            drop(ctx);
        },
    );
}

/// libzmq's udp engine copies each outgoing datagram into an 8192-byte buffer without a
/// length check (a heap overflow in its I/O thread): a DGRAM body, or a RADIO's length byte,
/// group and body toward a udp peer, that would not fit is `MessageTooLarge`; one that fits
/// is sent and arrives whole; a RADIO without a udp peer sends any size.
#[cfg(feature = "draft")]
#[test]
fn udp_datagram_larger_than_libzmq_buffer_is_refused() {
    const MAX: usize = 8192;
    within(Duration::from_secs(30), "oversized udp datagrams", || {
        let ctx = Context::new();
        let [p1, p2] = common::free_udp_ports::<2>();
        let listener = ctx.socket(SocketType::Dgram).unwrap();
        let sender = ctx.socket(SocketType::Dgram).unwrap();
        listener.bind(&format!("udp://127.0.0.1:{p1}")).unwrap();
        sender.bind(&format!("udp://127.0.0.1:{p2}")).unwrap();
        let to = format!("127.0.0.1:{p1}");
        // Whole: refused before the address frame goes.
        let too_big = vec![7u8; MAX + 1];
        assert_eq!(
            sender.send_multipart([to.as_bytes(), &too_big[..]], SendFlags::DONTWAIT),
            Err(Error::MessageTooLarge)
        );
        // Frame by frame: the body is refused (and the message left as it was); the address
        // stays queued, and a body that fits completes the datagram.
        sender
            .send(&to, SendFlags::SNDMORE | SendFlags::DONTWAIT)
            .unwrap();
        let mut body = zmq4::Message::from(&too_big[..]);
        assert_eq!(
            sender.send_msg(&mut body, SendFlags::DONTWAIT),
            Err(Error::MessageTooLarge)
        );
        assert_eq!(body.len(), MAX + 1);
        let fits = vec![9u8; MAX];
        sender.send(&fits, SendFlags::DONTWAIT).unwrap();
        listener.set_rcvtimeo(common::TIMEOUT_MS).unwrap();
        match listener.recv_multipart(zmq4::RecvFlags::empty()) {
            Ok(parts) => assert_eq!(parts.last().map(zmq4::Message::len), Some(MAX)),
            // The port was free a moment ago; another process may have taken it since.
            Err(e) => eprintln!("udp port {p1} delivered nothing: {e:?}"),
        }

        // RADIO: the datagram is one length byte, the group and the body.
        let [port] = common::free_udp_ports::<1>();
        let radio = ctx.socket(SocketType::Radio).unwrap();
        let mut msg = zmq4::Message::from(vec![1u8; 100_000]);
        msg.set_group("g").unwrap();
        radio.send_msg(&mut msg, SendFlags::DONTWAIT).unwrap(); // no udp peer: any size
        radio.connect(&format!("udp://127.0.0.1:{port}")).unwrap();
        let mut msg = zmq4::Message::from(vec![1u8; MAX - 1]);
        msg.set_group("g").unwrap();
        assert_eq!(
            radio.send_msg(&mut msg, SendFlags::DONTWAIT),
            Err(Error::MessageTooLarge)
        );
        assert_eq!(
            radio.send(vec![0u8; MAX], SendFlags::DONTWAIT),
            Err(Error::MessageTooLarge)
        );
        let mut msg = zmq4::Message::from(vec![1u8; MAX - 2]);
        msg.set_group("g").unwrap();
        radio.send_msg(&mut msg, SendFlags::DONTWAIT).unwrap();
        drop((listener, sender, radio));
        drop(ctx);
    });
}

/// A STREAM socket over inproc with a peer that sends multipart messages asserts in libzmq
/// (inproc never checks the peer's type): refused both ways; tcp still works.
#[test]
fn stream_over_inproc_is_refused() {
    let ctx = Context::new();
    let stream = ctx.socket(SocketType::Stream).unwrap();
    let ep = common::inproc_endpoint();
    assert_eq!(stream.bind(&ep), Err(Error::IncompatibleProtocol));
    let dealer = ctx.socket(SocketType::Dealer).unwrap();
    dealer.bind(&ep).unwrap();
    assert_eq!(stream.connect(&ep), Err(Error::IncompatibleProtocol));
    // The dealer's multipart message has no STREAM to reach; over tcp STREAM works as ever.
    dealer.send_multipart(["a", "b"], SendFlags::DONTWAIT).ok();
    let ep = common::bind_tcp(&stream);
    let client = std::net::TcpStream::connect(ep.trim_start_matches("tcp://")).unwrap();
    drop(client);
}

/// A DEALER, REQ, ROUTER or REP with `ZMQ_PROBE_ROUTER`, a hello and `ZMQ_SNDHWM` 1
/// connecting to an inproc endpoint nobody bound: the hello fills the pending pipe, the
/// probe write finds it full and marks the pipe unwritable while the socket counts it
/// writable, and the "writable again" sent when the binder reads made libzmq activate the
/// pipe twice: `lb_t::activated` past the end of its array (heap-buffer-overflow under
/// AddressSanitizer), then a segfault in `lb_t::sendpipe`; socket_base.cpp:2088
/// (`it != end`) for a ROUTER or REP. Torture `garbage` seeds 11561329129491252985,
/// 12933000631933042076, 10405362782182869050.
#[cfg(feature = "draft")]
#[test]
fn probe_and_hello_through_a_pending_inproc_pipe_of_one() {
    use zmq4::RecvFlags;
    for (i, ty) in [
        SocketType::Dealer,
        SocketType::Req,
        SocketType::Router,
        SocketType::Rep,
    ]
    .into_iter()
    .enumerate()
    {
        let ctx = Context::new();
        let ep = format!("inproc://no-abort-probe-pending-{i}");
        let c = socket(&ctx, ty);
        c.set_sndhwm(1).unwrap();
        c.set_rcvhwm(1).unwrap();
        c.set_hello_msg(b"hi").unwrap();
        c.set_probe_router(true).unwrap();
        c.connect(&ep).unwrap();
        // A binder that reads (and drops) the connector's routing id, which tells the
        // connector its pipe is writable again.
        let d = socket(&ctx, SocketType::Dealer);
        d.bind(&ep).unwrap();
        // The connector handles that command in its next calls.
        let _ = c.events();
        assert_eq!(recv_bytes(&d), b"hi");
        if matches!(ty, SocketType::Dealer | SocketType::Req) {
            for n in 0..4u8 {
                c.send([n], SendFlags::empty()).unwrap();
                let got = d.recv_multipart(RecvFlags::empty()).unwrap();
                assert_eq!(got.last().unwrap().to_vec(), [n]);
                if ty == SocketType::Req {
                    d.send_multipart([&[][..], &[n]], SendFlags::empty())
                        .unwrap();
                    assert_eq!(recv_bytes(&c), [n]);
                }
            }
        } else {
            d.send_multipart(["".as_bytes(), b"to the router"], SendFlags::empty())
                .unwrap();
            let got = c.recv_multipart(RecvFlags::empty()).unwrap();
            assert_eq!(got.last().unwrap().to_vec(), b"to the router");
        }
        // The same unbind/disconnect path the torture harness took.
        let _ = c.unbind(&ep);
        let _ = c.events();
    }
}

/// The guard above leaves the probe alone where libzmq writes it: a connect to a bound
/// endpoint (the pipe then has room for the hello and the probe).
#[cfg(feature = "draft")]
#[test]
fn probe_and_hello_to_a_bound_inproc_endpoint_still_probe() {
    use zmq4::RecvFlags;
    let ctx = Context::new();
    let ep = "inproc://no-abort-probe-bound";
    let r = socket(&ctx, SocketType::Router);
    r.bind(ep).unwrap();
    let c = socket(&ctx, SocketType::Dealer);
    c.set_sndhwm(1).unwrap();
    c.set_hello_msg(b"hi").unwrap();
    c.set_probe_router(true).unwrap();
    c.connect(ep).unwrap();
    let hello = r.recv_multipart(RecvFlags::empty()).unwrap();
    assert_eq!(hello.last().unwrap().to_vec(), b"hi");
    let probe = r.recv_multipart(RecvFlags::empty()).unwrap();
    assert_eq!(probe.len(), 2);
    assert!(probe[1].is_empty(), "the probe is an empty frame");
}

/// A HWM change sent to the pipes of a socket while one of them is being freed: libzmq
/// (socket_base.cpp:1584, `update_pipe_options`) sends the new limits to the peer of every
/// pipe it still lists, also to one whose termination it has acknowledged, so the command
/// lands on a pipe freed by `pipe_t::process_pipe_term_ack` (heap-use-after-free in
/// `object_t::process_command` or `object_t::send_pipe_hwm` under AddressSanitizer).
/// Torture `garbage` seed 4457905252917940910.
#[test]
fn hwm_change_while_a_pipe_terminates() {
    let ctx = Context::new();
    let ep = "inproc://no-abort-hwm-terminating";
    let b = socket(&ctx, SocketType::Pair);
    b.bind(ep).unwrap();
    let a = socket(&ctx, SocketType::Pair);
    a.connect(ep).unwrap();
    a.send("x", SendFlags::empty()).unwrap();
    assert_eq!(recv_bytes(&b), b"x");
    // A drops its pipe: B's end gets the termination, and acknowledges it once it has read
    // the delimiter (B's next receive).
    a.disconnect(ep).unwrap();
    let _ = b.events();
    let _ = b.recv(zmq4::RecvFlags::DONTWAIT);
    // B's end is acknowledged but still listed: the new HWM goes to A's end, behind the
    // acknowledgement that frees it.
    let r = b.set_sndhwm(5);
    let _ = a.events();
    let _ = b.events();
    assert_eq!(r, Err(Error::InvalidState));
}

/// Two thread-safe sockets joined over inproc deadlock inside libzmq (both in use at once,
/// or the reaper closing one while a thread uses the other: see `zmq4::aborts`), so every
/// thread-safe type refuses inproc, in both thread modes, for bind, connect and
/// `connect_peer`; the refusal leaves nothing behind (the endpoint stays free) and the
/// sockets work over tcp.
#[cfg(feature = "draft")]
#[test]
fn thread_safe_sockets_refuse_inproc() {
    let ctx = Context::new();
    let ep = common::inproc_endpoint();
    fn refuses<M: zmq4::ThreadMode>(s: &zmq4::Socket<M>, ep: &str, kind: SocketType) {
        assert_eq!(s.bind(ep), Err(Error::IncompatibleProtocol), "{kind:?}");
        assert_eq!(s.connect(ep), Err(Error::IncompatibleProtocol), "{kind:?}");
    }
    for &kind in SocketType::ALL.iter().filter(|t| t.is_thread_safe()) {
        refuses(&ctx.socket(kind).unwrap(), &ep, kind);
        let shared = ctx.shared_socket(kind).unwrap();
        refuses(&shared, &ep, kind);
        if kind == SocketType::Peer {
            assert_eq!(shared.connect_peer(&ep), Err(Error::IncompatibleProtocol));
        }
    }
    // Nothing was registered: a PAIR binds the endpoint and a PAIR connects to it.
    let (a, b) = (
        socket(&ctx, SocketType::Pair),
        socket(&ctx, SocketType::Pair),
    );
    a.bind(&ep).unwrap();
    b.connect(&ep).unwrap();
    b.send("pair", SendFlags::empty()).unwrap();
    assert_eq!(recv_bytes(&a), b"pair");
    // The refused sockets still work over tcp.
    let server = ctx.shared_socket(SocketType::Server).unwrap();
    server.set_rcvtimeo(TIMEOUT_MS).unwrap();
    server.bind("tcp://127.0.0.1:*").unwrap();
    let client = ctx.shared_socket(SocketType::Client).unwrap();
    assert_eq!(client.connect(&ep), Err(Error::IncompatibleProtocol));
    client.connect(&server.last_endpoint().unwrap()).unwrap();
    client.send("hello", SendFlags::empty()).unwrap();
    let mut got = zmq4::Message::new();
    server.recv_msg(&mut got, zmq4::RecvFlags::empty()).unwrap();
    assert_eq!(&got[..], b"hello");
}

/// A ROUTER dropped while its inproc connection is pending and another socket still waits
/// on the endpoint: a later bind sends the closed ROUTER `inproc_connected`, which lets
/// libzmq's reaper free it, and then reads its tag (ctx.cpp:835), a use-after-free when the
/// reaper is quicker (torture `inproc_pending` under ASan; this test runs in the sanitizer
/// step). The dropped ROUTER is kept open until that bind, then closed: its socket slot
/// comes back.
#[test]
fn router_dropped_while_pending_with_others_waiting() {
    within(TIMEOUT * 2, "parked ROUTER", || {
        let ctx = Context::new();
        ctx.set_max_sockets(3).unwrap();
        let ep = common::inproc_endpoint();
        let router = ctx.socket(SocketType::Router).unwrap();
        router.set_linger(0).unwrap();
        router.connect(&ep).unwrap();
        let dealer = socket(&ctx, SocketType::Dealer);
        dealer.connect(&ep).unwrap();
        drop(router); // parked: the DEALER still waits
        let binder = socket(&ctx, SocketType::Dealer);
        binder.bind(&ep).unwrap();
        dealer.send("after the bind", SendFlags::empty()).unwrap();
        assert_eq!(recv_bytes(&binder), b"after the bind");
        // The parked ROUTER was closed after the bind: its slot is free again once the
        // binder has processed the pipe's termination and the reaper has freed it.
        let deadline = std::time::Instant::now() + TIMEOUT;
        loop {
            let _ = binder.events(); // processes the binder's commands
            match ctx.socket(SocketType::Pair) {
                Ok(_) => break,
                Err(Error::TooManyOpenFiles) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(1))
                }
                Err(e) => panic!("the parked ROUTER's slot never came back: {e}"),
            }
        }
    });
}

/// The same ROUTER left parked when the context ends: termination attaches and closes it.
#[test]
fn router_parked_at_context_end() {
    within(TIMEOUT * 2, "parked ROUTER at termination", || {
        let ctx = Context::new();
        let ep = common::inproc_endpoint();
        let router = ctx.socket(SocketType::Router).unwrap();
        router.connect(&ep).unwrap();
        let dealer = socket(&ctx, SocketType::Dealer);
        dealer.connect(&ep).unwrap();
        drop(router);
        drop(dealer);
        ctx.term().unwrap();
    });
}
