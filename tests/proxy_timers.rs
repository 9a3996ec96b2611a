//! zmq_proxy, the steerable proxy handle and its statistics, and timers; every wait bounded.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use zmq4::proxy::{self, SteerableProxy};
use zmq4::timers::Timers;
use zmq4::{Context, Error, RecvFlags, SendFlags, Socket, SocketType};

const WAIT_MS: i32 = 5000;

fn socket(ctx: &Context, ty: SocketType) -> Socket {
    let s = ctx.socket(ty).unwrap();
    s.set_linger(0).unwrap();
    s.set_rcvtimeo(WAIT_MS).unwrap();
    s.set_sndtimeo(WAIT_MS).unwrap();
    s
}

fn unique(name: &str) -> String {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    format!(
        "inproc://{name}-{}",
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    )
}

#[test]
fn plain_proxy_with_capture_stops_on_context_shutdown() {
    let ctx = Context::new();
    let (fe_ep, be_ep, cap_ep) = (unique("fe"), unique("be"), unique("cap"));
    let frontend = socket(&ctx, SocketType::Pull);
    frontend.bind(&fe_ep).unwrap();
    let backend = socket(&ctx, SocketType::Push);
    backend.bind(&be_ep).unwrap();
    let capture = socket(&ctx, SocketType::Push);
    capture.bind(&cap_ep).unwrap();
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let runner = std::thread::spawn(move || {
        let r = proxy::proxy(&frontend, &backend, Some(&capture));
        done_tx.send(r).unwrap();
    });
    let producer = socket(&ctx, SocketType::Push);
    producer.connect(&fe_ep).unwrap();
    let consumer = socket(&ctx, SocketType::Pull);
    consumer.connect(&be_ep).unwrap();
    let tap = socket(&ctx, SocketType::Pull);
    tap.connect(&cap_ep).unwrap();
    producer
        .send_multipart(["a", "b"], SendFlags::empty())
        .unwrap();
    let got = consumer.recv_multipart(RecvFlags::empty()).unwrap();
    assert_eq!(
        got.iter().map(|m| m.to_vec()).collect::<Vec<_>>(),
        [b"a".to_vec(), b"b".to_vec()]
    );
    let tapped = tap.recv_multipart(RecvFlags::empty()).unwrap();
    assert_eq!(tapped.len(), 2);
    ctx.shutdown().unwrap();
    let result = done_rx
        .recv_timeout(Duration::from_millis(WAIT_MS as u64))
        .expect("proxy did not stop");
    assert_eq!(result, Err(Error::ContextTerminated));
    runner.join().unwrap();
}

#[test]
fn steerable_proxy_statistics_pause_resume_terminate() {
    let ctx = Context::new();
    let (fe_ep, be_ep) = (unique("sfe"), unique("sbe"));
    let frontend = socket(&ctx, SocketType::Pull);
    frontend.bind(&fe_ep).unwrap();
    let backend = socket(&ctx, SocketType::Push);
    backend.bind(&be_ep).unwrap();
    let proxy = SteerableProxy::spawn(frontend, backend, None).unwrap();
    let producer = socket(&ctx, SocketType::Push);
    producer.connect(&fe_ep).unwrap();
    let consumer = socket(&ctx, SocketType::Pull);
    consumer.connect(&be_ep).unwrap();

    for i in 0..10u8 {
        producer.send([i; 3], SendFlags::empty()).unwrap();
        assert_eq!(consumer.recv_bytes(RecvFlags::empty()).unwrap(), [i; 3]);
    }
    let stats = proxy.statistics().unwrap();
    assert_eq!(stats.frontend.received.messages, 10);
    assert_eq!(stats.frontend.received.bytes, 30);
    assert_eq!(stats.backend.sent.messages, 10);
    assert_eq!(stats.backend.sent.bytes, 30);
    assert_eq!(stats.frontend.sent.messages, 0);
    assert_eq!(stats.backend.received.messages, 0);

    // Paused, the proxy reads nothing: the statistics do not move while a message waits.
    proxy.pause().unwrap();
    producer.send("held", SendFlags::empty()).unwrap();
    let paused = proxy.statistics().unwrap();
    assert_eq!(paused.frontend.received.messages, 10);
    assert_eq!(
        consumer.recv_bytes(RecvFlags::DONTWAIT),
        Err(Error::WouldBlock)
    );
    proxy.resume().unwrap();
    assert_eq!(consumer.recv_bytes(RecvFlags::empty()).unwrap(), b"held");
    assert_eq!(proxy.statistics().unwrap().frontend.received.messages, 11);

    proxy.terminate().unwrap();
}

#[test]
fn steerable_proxy_reports_a_dead_proxy_instead_of_hanging() {
    let ctx = Context::new();
    let frontend = socket(&ctx, SocketType::Pull);
    frontend.bind(&unique("dfe")).unwrap();
    let backend = socket(&ctx, SocketType::Push);
    backend.bind(&unique("dbe")).unwrap();
    let proxy = SteerableProxy::spawn(frontend, backend, None).unwrap();
    ctx.shutdown().unwrap();
    let started = Instant::now();
    assert!(proxy.statistics().is_err());
    assert!(started.elapsed() < Duration::from_millis(WAIT_MS as u64));
    assert_eq!(proxy.terminate(), Err(Error::ContextTerminated));
}

#[test]
fn statistics_reply_parsing_rejects_malformed_frames() {
    assert!(proxy::ProxyStatistics::parse::<&[u8]>(&[]).is_err());
    let frames: Vec<Vec<u8>> = (0..8u64).map(|i| i.to_ne_bytes().to_vec()).collect();
    let stats = proxy::ProxyStatistics::parse(&frames).unwrap();
    assert_eq!(stats.backend.sent.bytes, 7);
    let mut bad = frames.clone();
    bad[3] = vec![1, 2, 3];
    assert!(proxy::ProxyStatistics::parse(&bad).is_err());
}

#[test]
fn timers_fire_in_order_and_can_cancel_and_reschedule() {
    let mut timers = Timers::new();
    assert_eq!(timers.timeout(), None);
    assert_eq!(timers.timeout_ms(), -1);
    let log = Arc::new(Mutex::new(Vec::new()));
    let (l1, l2, l3) = (log.clone(), log.clone(), log.clone());
    // Far enough out that no scheduling delay lets it fire before `ten` cancels it.
    let slow = timers
        .add(Duration::from_secs(60), move |_, _| {
            l1.lock().unwrap().push("slow")
        })
        .unwrap();
    // A one-shot timer that cancels itself.
    timers
        .add(Duration::from_millis(5), move |t, id| {
            l2.lock().unwrap().push("once");
            t.cancel(id).unwrap();
        })
        .unwrap();
    // A timer that cancels `slow` when it fires the second time.
    let mut count = 0;
    timers
        .add(Duration::from_millis(10), move |t, id| {
            count += 1;
            l3.lock().unwrap().push("ten");
            if count == 2 {
                t.cancel(slow).unwrap();
                t.cancel(id).unwrap();
            }
        })
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while let Some(wait) = timers.timeout() {
        assert!(
            Instant::now() < deadline,
            "timers never drained: {:?}",
            log.lock().unwrap()
        );
        std::thread::sleep(wait);
        timers.execute().unwrap();
    }
    let log = log.lock().unwrap();
    assert_eq!(log.first(), Some(&"once"));
    assert_eq!(log.iter().filter(|e| **e == "once").count(), 1);
    assert_eq!(log.iter().filter(|e| **e == "ten").count(), 2);
    assert!(!log.contains(&"slow"), "{log:?}");
}

#[test]
fn timer_errors_are_typed() {
    let mut timers = Timers::new();
    assert_eq!(timers.cancel(42), Err(Error::InvalidArgument));
    assert_eq!(timers.reset(42), Err(Error::InvalidArgument));
    assert_eq!(
        timers.set_interval(42, Duration::from_millis(1)),
        Err(Error::InvalidArgument)
    );
    assert_eq!(
        timers.add(Duration::ZERO, |_, _| {}).unwrap_err(),
        Error::InvalidArgument
    );
    let id = timers.add(Duration::from_secs(3600), |_, _| {}).unwrap();
    assert!(timers.timeout().unwrap() > Duration::from_secs(3500));
    // A zero interval would spin zmq_timers_execute forever: refused, the timer unchanged.
    assert_eq!(
        timers.set_interval(id, Duration::ZERO),
        Err(Error::InvalidArgument)
    );
    assert!(timers.timeout().unwrap() > Duration::from_secs(3500));
    // Under a millisecond rounds up to one.
    timers.set_interval(id, Duration::from_micros(10)).unwrap();
    assert!(timers.timeout().unwrap() <= Duration::from_millis(1));
    // It fires once its millisecond is up: wait as long as libzmq says, bounded by a
    // deadline (its clock is coarse, so one wait may end just short of it).
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut ran = 0;
    while ran == 0 {
        assert!(Instant::now() < deadline, "the 1 ms timer never fired");
        std::thread::sleep(timers.timeout().expect("the timer is armed"));
        ran = timers.execute().unwrap();
    }
    assert_eq!(ran, 1);
}

/// The one pointer libzmq keeps from a `Timers` (issue 17): the list its `record` callback
/// pushes fired ids onto. Every path that reaches it runs here, so a stale or freed pointer
/// shows under the sanitizer step's AddressSanitizer run: handlers that add and cancel timers
/// while `execute` holds the list, many executes, the set moved to another thread between
/// executes, and a drop with timers still armed.
#[test]
fn timers_record_pointer_survives_handlers_moves_and_drop() {
    let fired = Arc::new(Mutex::new(Vec::new()));
    let mut timers = Timers::new();
    let log = fired.clone();
    let mut spawned = 0;
    // Fires every millisecond; each time, adds a one-shot timer (a zmq_timers_add with the
    // pointer while execute's batch runs) until 20 have been added.
    timers
        .add(Duration::from_millis(1), move |t, id| {
            log.lock().unwrap().push(("parent", id));
            if spawned < 20 {
                spawned += 1;
                let log = log.clone();
                t.add(Duration::from_millis(1), move |t, child| {
                    log.lock().unwrap().push(("child", child));
                    t.cancel(child).unwrap();
                })
                .unwrap();
            } else {
                t.cancel(id).unwrap();
            }
        })
        .unwrap();
    // Armed for the whole test: still registered when the set is dropped.
    timers.add(Duration::from_secs(3600), |_, _| {}).unwrap();
    type Log = Arc<Mutex<Vec<(&'static str, i32)>>>;
    fn run(timers: &mut Timers, fired: &Log, until: usize) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while fired.lock().unwrap().len() < until {
            assert!(Instant::now() < deadline, "timers stalled");
            std::thread::sleep(timers.timeout().unwrap().min(Duration::from_millis(2)));
            timers.execute().unwrap();
        }
    }
    run(&mut timers, &fired, 10);
    // Moved to another thread and back: the pointer libzmq holds is the list's, not the
    // struct's, so it stays valid.
    let log = fired.clone();
    let mut timers = std::thread::spawn(move || {
        let mut timers = timers;
        run(&mut timers, &log, 30);
        timers
    })
    .join()
    .unwrap();
    // Everything but the hour-long timer drains: 21 parent firings, 20 children.
    run(&mut timers, &fired, 41);
    let log = fired.lock().unwrap();
    assert_eq!(log.iter().filter(|(kind, _)| *kind == "child").count(), 20);
    assert_eq!(log.iter().filter(|(kind, _)| *kind == "parent").count(), 21);
    drop(log);
    drop(timers);
}
