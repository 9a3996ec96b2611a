//! Async (tokio) vs blocking zmq4, and the pure-Rust `zeromq` crate's async API:
//!
//! - throughput: PUSH → PULL, messages per second, timed at the receiver from the first
//!   message to the last (as libzmq's `local_thr` does);
//! - latency: REQ ↔ REP, microseconds per round trip.
//!
//! Over inproc and tcp (the `zeromq` crate has no inproc), for 1, 64, 1024 and 65536-byte
//! messages. Each row is the median of several rounds, the implementations interleaved within
//! each round (so drift in the machine's load hits all of them alike).
//!
//! Every run has two sides (sender/receiver, client/server) on two threads:
//! - `blocking`: zmq4's blocking API, one OS thread per side;
//! - `async-ct` / `zeromq-ct`: one current-thread tokio runtime per side, on its own OS
//!   thread (the same two threads as blocking; each runtime drives its own I/O);
//! - `async-mt` / `zeromq-mt`: one multi-threaded tokio runtime with two workers, one side
//!   spawned on it and the other in `block_on`;
//! - `async-batch` (throughput only): as `async-ct`, through the bulk paths: the sender
//!   hands libzmq up to 256 copies of the payload (at most 1 MiB) per `send_slices`, the
//!   receiver takes as many frames per `recv_batch` (reused messages).
//!
//! Over tcp the two sides of a zmq4 run have a context each, so an I/O thread each, as two
//! processes running libzmq's perf tools have (inproc needs the one context).
//!
//! Every implementation keeps its defaults (zmq4: one I/O thread, high-water marks of 1000;
//! `zeromq`: its internal queues), except that zmq4's sockets get the 4 MiB kernel buffers
//! the `zeromq` crate sets on every tcp connection. Every message sent is a fresh copy of the
//! payload.
//!
//! `ZMQ4_BENCH_BATCH=N` (environment): also set zmq4's ZMQ_IN_BATCH_SIZE and
//! ZMQ_OUT_BATCH_SIZE to N bytes (libzmq's default is 8192), to see how much of a tcp row is
//! libzmq's batching rather than the binding.
//!
//! `--quick`: fewer messages and rounds (a smoke run for CI; the numbers are noisy).
//! `--only TEXT`: only the rows whose label ("throughput tcp 64", …) contains TEXT as whole
//! words. `--impls LIST`: only these implementations (comma-separated names as above).
//! `--rounds R`, `--count N`: R rounds of N messages per run (for profiling with callgrind:
//! the difference between runs at 2N and N is the cost of N messages, start-up cancelled).

use std::future::Future;
use std::thread;
use std::time::{Duration, Instant};
use zeromq::{Socket as _, SocketRecv as _, SocketSend as _};
use zmq4::tokio::AsyncSocket;
use zmq4::{Context, Message, RecvFlags, SendFlags, SocketType};

const SIZES: [usize; 4] = [1, 64, 1024, 65536];
const IMPLS: [&str; 6] = [
    "blocking",
    "async-ct",
    "async-mt",
    "async-batch",
    "zeromq-ct",
    "zeromq-mt",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Transport {
    Inproc,
    Tcp,
}

impl Transport {
    fn name(self) -> &'static str {
        match self {
            Transport::Inproc => "inproc",
            Transport::Tcp => "tcp",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Test {
    Throughput,
    Latency,
}

#[derive(Clone, Copy)]
struct Plan {
    rounds: usize,
    /// Messages of a throughput run, by size.
    thr_count: fn(usize) -> u64,
    /// Round trips of a latency run, by size.
    lat_count: fn(usize) -> u64,
    /// `--count N`: every run has N messages (round trips), whatever the size.
    count: Option<u64>,
}

const FULL: Plan = Plan {
    rounds: 5,
    thr_count: |size| match size {
        0..=64 => 400_000,
        65..=1024 => 200_000,
        _ => 20_000,
    },
    lat_count: |size| if size > 1024 { 5_000 } else { 10_000 },
    count: None,
};

const QUICK: Plan = Plan {
    rounds: 3,
    thr_count: |size| match size {
        0..=64 => 40_000,
        65..=1024 => 20_000,
        _ => 2_000,
    },
    lat_count: |size| if size > 1024 { 500 } else { 1_000 },
    count: None,
};

/// Where the two sides of an async run execute.
#[derive(Clone, Copy)]
enum Mode<'a> {
    /// One current-thread runtime per side, each on its own OS thread.
    PerThread,
    /// A shared multi-threaded runtime: one side spawned, the other in `block_on`.
    Multi(&'a tokio::runtime::Runtime),
}

/// Runs `main` (the measuring side) and `other` (made on its own thread or task) as `mode`
/// says. `other` is built by a closure so that its sockets are created inside its runtime.
fn run_sides<O, OF, M, MF>(mode: Mode<'_>, other: O, main: M) -> MF::Output
where
    O: FnOnce() -> OF + Send + 'static,
    OF: Future + Send + 'static,
    OF::Output: Send + 'static,
    M: FnOnce() -> MF,
    MF: Future,
{
    match mode {
        Mode::PerThread => {
            // The other side's runtime keeps running until this side is done: the `zeromq`
            // crate does its I/O in tasks of that runtime, so messages it queued would
            // otherwise never leave.
            let (done_tx, done_rx) = tokio::sync::oneshot::channel::<()>();
            let side = thread::spawn(move || {
                let rt = current_thread();
                let out = rt.block_on(other());
                rt.block_on(async move {
                    let _ = done_rx.await;
                    drop(out);
                });
            });
            let r = current_thread().block_on(main());
            let _ = done_tx.send(());
            side.join().expect("other side");
            r
        }
        Mode::Multi(rt) => rt.block_on(async move {
            let handle = tokio::spawn(async move { other().await });
            let r = main().await;
            drop(handle.await.expect("other side"));
            r
        }),
    }
}

fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// Kernel buffer size of zmq4's tcp connections: the 4 MiB the `zeromq` crate requests on
/// every connection, so both compare with equal buffers (libzmq's default is the OS's).
const TCP_BUFFER: i32 = 4 << 20;

fn zmq_socket(ctx: &Context, ty: SocketType) -> zmq4::Socket {
    let s = ctx.socket(ty).expect("socket");
    s.set_linger(0).expect("linger");
    s.set_sndbuf(TCP_BUFFER).expect("sndbuf");
    s.set_rcvbuf(TCP_BUFFER).expect("rcvbuf");
    if let Some(b) = std::env::var("ZMQ4_BENCH_BATCH")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        s.set_in_batch_size(b).expect("in_batch_size");
        s.set_out_batch_size(b).expect("out_batch_size");
    }
    s
}

/// The context of the connecting side: the binding side's for inproc (which needs one
/// context), its own over tcp, so each side has its own I/O thread, as two processes running
/// libzmq's perf tools do (and as each side's runtime does its own I/O in the `zeromq` crate).
fn peer_context(ctx: &Context, transport: Transport) -> Context {
    match transport {
        Transport::Inproc => ctx.clone(),
        Transport::Tcp => Context::new(),
    }
}

/// Binds a fresh endpoint and returns what to connect to.
fn bind(socket: &zmq4::Socket, transport: Transport, tag: &str) -> String {
    match transport {
        Transport::Inproc => {
            let ep = format!("inproc://bench-{tag}");
            socket.bind(&ep).expect("bind");
            ep
        }
        Transport::Tcp => {
            socket.bind("tcp://127.0.0.1:*").expect("bind");
            socket.last_endpoint().expect("last_endpoint")
        }
    }
}

fn rate(count: u64, elapsed: Duration) -> f64 {
    count as f64 / elapsed.as_secs_f64()
}

fn per_round_trip(count: u64, elapsed: Duration) -> f64 {
    elapsed.as_secs_f64() * 1e6 / count as f64
}

// ---------------------------------------------------------------------------------------
// Blocking zmq4
// ---------------------------------------------------------------------------------------

fn thr_blocking(transport: Transport, size: usize, count: u64) -> f64 {
    let ctx = Context::new();
    let pull = zmq_socket(&ctx, SocketType::Pull);
    let ep = bind(&pull, transport, "thr-blocking");
    let push = zmq_socket(&peer_context(&ctx, transport), SocketType::Push);
    push.connect(&ep).expect("connect");
    let sender = thread::spawn(move || {
        let payload = vec![0x5A; size];
        for _ in 0..count {
            push.send(&payload[..], SendFlags::empty()).expect("send");
        }
        push
    });
    let mut msg = Message::new();
    pull.recv_msg(&mut msg, RecvFlags::empty()).expect("recv");
    let start = Instant::now();
    for _ in 1..count {
        pull.recv_msg(&mut msg, RecvFlags::empty()).expect("recv");
    }
    let elapsed = start.elapsed();
    drop(sender.join().expect("sender"));
    rate(count - 1, elapsed)
}

fn lat_blocking(transport: Transport, size: usize, count: u64) -> f64 {
    let ctx = Context::new();
    let rep = zmq_socket(&ctx, SocketType::Rep);
    let ep = bind(&rep, transport, "lat-blocking");
    let req = zmq_socket(&peer_context(&ctx, transport), SocketType::Req);
    req.connect(&ep).expect("connect");
    let server = thread::spawn(move || {
        let mut msg = Message::new();
        for _ in 0..count {
            rep.recv_msg(&mut msg, RecvFlags::empty()).expect("recv");
            rep.send_msg(&mut msg, SendFlags::empty()).expect("send");
        }
        rep
    });
    let payload = vec![0x5A; size];
    let mut msg = Message::new();
    let start = Instant::now();
    for _ in 0..count {
        req.send(&payload[..], SendFlags::empty()).expect("send");
        req.recv_msg(&mut msg, RecvFlags::empty()).expect("recv");
    }
    let elapsed = start.elapsed();
    drop(server.join().expect("server"));
    per_round_trip(count, elapsed)
}

// ---------------------------------------------------------------------------------------
// Async zmq4
// ---------------------------------------------------------------------------------------

fn thr_async(mode: Mode<'_>, transport: Transport, size: usize, count: u64) -> f64 {
    let ctx = Context::new();
    // Bound before the sender connects (inproc needs that order); registered with tokio in
    // the receiver's runtime, below.
    let pull = zmq_socket(&ctx, SocketType::Pull);
    let ep = bind(&pull, transport, "thr-async");
    let sender_ctx = peer_context(&ctx, transport);
    run_sides(
        mode,
        move || async move {
            let push = AsyncSocket::new(zmq_socket(&sender_ctx, SocketType::Push)).expect("push");
            push.connect(&ep).expect("connect");
            let payload = vec![0x5A; size];
            for _ in 0..count {
                push.send_slice(&payload).await.expect("send");
            }
            push
        },
        move || async move {
            let pull = AsyncSocket::new(pull).expect("pull");
            let mut msg = Message::new();
            pull.recv_msg(&mut msg).await.expect("recv");
            let start = Instant::now();
            for _ in 1..count {
                pull.recv_msg(&mut msg).await.expect("recv");
            }
            rate(count - 1, start.elapsed())
        },
    )
}

/// `async-batch`: the sender hands libzmq up to 256 copies of the payload (at most 1 MiB) per
/// `send_slices`, the receiver takes as many frames per `recv_batch` into reused messages
/// (which keep the last batch's buffers until the next batch replaces them: hence the cap in
/// bytes).
fn thr_async_batch(transport: Transport, size: usize, count: u64) -> f64 {
    let batch_len = (1 << 20) / size.max(1);
    let batch_len = batch_len.clamp(1, 256);
    let ctx = Context::new();
    let pull = zmq_socket(&ctx, SocketType::Pull);
    let ep = bind(&pull, transport, "thr-async-batch");
    let sender_ctx = peer_context(&ctx, transport);
    run_sides(
        Mode::PerThread,
        move || async move {
            let push = AsyncSocket::new(zmq_socket(&sender_ctx, SocketType::Push)).expect("push");
            push.connect(&ep).expect("connect");
            let payload = vec![0x5A; size];
            let frames = vec![&payload[..]; batch_len];
            let mut left = count as usize;
            while left > 0 {
                let n = left.min(batch_len);
                left -= push.send_slices(&frames[..n]).await.expect("send");
            }
            push
        },
        move || async move {
            let pull = AsyncSocket::new(pull).expect("pull");
            let mut batch: Vec<Message> = (0..batch_len).map(|_| Message::new()).collect();
            pull.recv_batch(&mut batch[..1]).await.expect("recv");
            let start = Instant::now();
            let mut got = 1;
            while got < count {
                let want = (count - got).min(batch_len as u64) as usize;
                got += pull.recv_batch(&mut batch[..want]).await.expect("recv") as u64;
            }
            rate(count - 1, start.elapsed())
        },
    )
}

fn lat_async(mode: Mode<'_>, transport: Transport, size: usize, count: u64) -> f64 {
    let ctx = Context::new();
    let rep = zmq_socket(&ctx, SocketType::Rep);
    let ep = bind(&rep, transport, "lat-async");
    run_sides(
        mode,
        move || async move {
            let rep = AsyncSocket::new(rep).expect("rep");
            let mut msg = Message::new();
            for _ in 0..count {
                rep.recv_msg(&mut msg).await.expect("recv");
                rep.send_msg(&mut msg).await.expect("send");
            }
            rep
        },
        move || async move {
            let req = AsyncSocket::new(zmq_socket(&peer_context(&ctx, transport), SocketType::Req))
                .expect("req");
            req.connect(&ep).expect("connect");
            let payload = vec![0x5A; size];
            let mut msg = Message::new();
            let start = Instant::now();
            for _ in 0..count {
                req.send_slice(&payload).await.expect("send");
                req.recv_msg(&mut msg).await.expect("recv");
            }
            per_round_trip(count, start.elapsed())
        },
    )
}

// ---------------------------------------------------------------------------------------
// The pure-Rust `zeromq` crate (tcp only)
// ---------------------------------------------------------------------------------------

/// A free tcp port on 127.0.0.1 (the receiving side binds it in its own runtime).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn thr_zeromq(mode: Mode<'_>, size: usize, count: u64) -> f64 {
    let ep = format!("tcp://127.0.0.1:{}", free_port());
    let connect_ep = ep.clone();
    run_sides(
        mode,
        move || async move {
            let mut push = zeromq::PushSocket::new();
            // The receiver may not be bound yet: retry until it is.
            while push.connect(&connect_ep).await.is_err() {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            let payload = vec![0x5A; size];
            for _ in 0..count {
                push.send(zeromq::ZmqMessage::from(payload.clone()))
                    .await
                    .expect("send");
            }
            push
        },
        move || async move {
            let mut pull = zeromq::PullSocket::new();
            pull.bind(&ep).await.expect("bind");
            pull.recv().await.expect("recv");
            let start = Instant::now();
            for _ in 1..count {
                pull.recv().await.expect("recv");
            }
            rate(count - 1, start.elapsed())
        },
    )
}

fn lat_zeromq(mode: Mode<'_>, size: usize, count: u64) -> f64 {
    let ep = format!("tcp://127.0.0.1:{}", free_port());
    let connect_ep = ep.clone();
    run_sides(
        mode,
        move || async move {
            let mut rep = zeromq::RepSocket::new();
            rep.bind(&ep).await.expect("bind");
            for _ in 0..count {
                let m = rep.recv().await.expect("recv");
                rep.send(m).await.expect("send");
            }
            rep
        },
        move || async move {
            let mut req = zeromq::ReqSocket::new();
            while req.connect(&connect_ep).await.is_err() {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            let payload = vec![0x5A; size];
            let start = Instant::now();
            for _ in 0..count {
                req.send(zeromq::ZmqMessage::from(payload.clone()))
                    .await
                    .expect("send");
                req.recv().await.expect("recv");
            }
            per_round_trip(count, start.elapsed())
        },
    )
}

// ---------------------------------------------------------------------------------------

fn run_one(
    which: &str,
    test: Test,
    transport: Transport,
    size: usize,
    plan: Plan,
    rt: &tokio::runtime::Runtime,
) -> Option<f64> {
    let thr = plan.count.unwrap_or((plan.thr_count)(size));
    let lat = plan.count.unwrap_or((plan.lat_count)(size));
    let tcp = transport == Transport::Tcp;
    Some(match (which, test) {
        ("blocking", Test::Throughput) => thr_blocking(transport, size, thr),
        ("blocking", Test::Latency) => lat_blocking(transport, size, lat),
        ("async-ct", Test::Throughput) => thr_async(Mode::PerThread, transport, size, thr),
        ("async-ct", Test::Latency) => lat_async(Mode::PerThread, transport, size, lat),
        ("async-mt", Test::Throughput) => thr_async(Mode::Multi(rt), transport, size, thr),
        ("async-mt", Test::Latency) => lat_async(Mode::Multi(rt), transport, size, lat),
        ("async-batch", Test::Throughput) => thr_async_batch(transport, size, thr),
        ("zeromq-ct", Test::Throughput) if tcp => thr_zeromq(Mode::PerThread, size, thr),
        ("zeromq-ct", Test::Latency) if tcp => lat_zeromq(Mode::PerThread, size, lat),
        ("zeromq-mt", Test::Throughput) if tcp => thr_zeromq(Mode::Multi(rt), size, thr),
        ("zeromq-mt", Test::Latency) if tcp => lat_zeromq(Mode::Multi(rt), size, lat),
        _ => return None,
    })
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied()
}

struct Row {
    test: Test,
    transport: Transport,
    size: usize,
    /// Median per implementation, in IMPLS order.
    values: [Option<f64>; 6],
}

fn measure(plan: Plan, rt: &tokio::runtime::Runtime, filter: &str, impls: &[&str]) -> Vec<Row> {
    let mut rows = Vec::new();
    for transport in [Transport::Inproc, Transport::Tcp] {
        for size in SIZES {
            for test in [Test::Throughput, Test::Latency] {
                let label = format!(
                    "{} {} {size}",
                    if test == Test::Throughput {
                        "throughput"
                    } else {
                        "latency"
                    },
                    transport.name()
                );
                // Whole words: "inproc 1" is the 1-byte row, not also the 1024-byte one.
                if !filter.is_empty() && !format!("{label} ").contains(&format!("{filter} ")) {
                    continue;
                }
                let mut samples: [Vec<f64>; 6] = Default::default();
                for round in 0..plan.rounds {
                    // Interleaved, rotating which implementation goes first.
                    for k in 0..IMPLS.len() {
                        let i = (round + k) % IMPLS.len();
                        if !impls.contains(&IMPLS[i]) {
                            continue;
                        }
                        if let Some(v) = run_one(IMPLS[i], test, transport, size, plan, rt) {
                            samples[i].push(v);
                        }
                    }
                }
                let values = samples.map(median);
                eprintln!("{label}: {values:?}");
                rows.push(Row {
                    test,
                    transport,
                    size,
                    values,
                });
            }
        }
    }
    rows
}

fn show(test: Test, v: Option<f64>) -> String {
    match (test, v) {
        (_, None) => "n/a".into(),
        (Test::Throughput, Some(r)) if r >= 1e6 => format!("{:.2} M/s", r / 1e6),
        (Test::Throughput, Some(r)) => format!("{:.0} k/s", r / 1e3),
        (Test::Latency, Some(us)) => format!("{us:.1} µs"),
    }
}

/// How much better `a` is than `b` (> 1: better): throughput a/b, latency b/a.
fn ratio(test: Test, a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) => format!(
            "{:.2}×",
            if test == Test::Throughput {
                a / b
            } else {
                b / a
            }
        ),
        _ => "n/a".into(),
    }
}

/// The ratio columns of the table: (numerator, denominator), as indices into IMPLS.
const RATIOS: [(usize, usize); 6] = [(1, 0), (2, 0), (3, 0), (1, 4), (2, 5), (3, 4)];

fn print_table(rows: &[Row], plan: Plan) {
    println!(
        "median of {} interleaved rounds; throughput = PUSH→PULL msg/s, latency = REQ↔REP µs \
         per round trip; ratios > 1 mean the first is better\n",
        plan.rounds
    );
    let mut header = vec!["test".to_string(), "transport".into(), "size".into()];
    header.extend(IMPLS.iter().map(|s| s.to_string()));
    header.extend(
        RATIOS
            .iter()
            .map(|&(a, b)| format!("{}/{}", IMPLS[a], IMPLS[b])),
    );
    println!("| {} |", header.join(" | "));
    println!("|---|---|{}", "---:|".repeat(header.len() - 2));
    for r in rows {
        let v = &r.values;
        let test = if r.test == Test::Throughput {
            "throughput"
        } else {
            "latency"
        };
        let mut cells = vec![
            test.to_string(),
            r.transport.name().into(),
            r.size.to_string(),
        ];
        cells.extend(v.iter().map(|&x| show(r.test, x)));
        cells.extend(RATIOS.iter().map(|&(a, b)| ratio(r.test, v[a], v[b])));
        println!("| {} |", cells.join(" | "));
    }
}

fn arg<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

const HELP: &str = "\
usage: ci/bench-async.sh [--quick] [--only TEXT] [--impls LIST] [--rounds R] [--count N]
  --quick        fewer messages and rounds (CI's smoke run; numbers are noisy)
  --only TEXT    only the rows whose label (\"throughput tcp 64\", ...) contains TEXT as
                 whole words (\"inproc 1\" is not \"inproc 1024\")
  --rounds R     R interleaved rounds (default 5, quick 3)
  --count N      N messages (round trips) per run, every size (for profiling: run at N and
                 2N and subtract, so start-up cancels)
  --impls LIST   comma-separated: blocking,async-ct,async-mt,async-batch,zeromq-ct,zeromq-mt
environment: ZMQ4_BENCH_BATCH=N sets zmq4's ZMQ_IN/OUT_BATCH_SIZE to N bytes";

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let known = ["--quick", "--only", "--impls", "--rounds", "--count"];
    let mut rest = args.iter().skip(1);
    while let Some(a) = rest.next() {
        match a.as_str() {
            "--quick" => {}
            "--only" | "--impls" | "--rounds" | "--count" if rest.next().is_some() => {}
            "-h" | "--help" => {
                println!("{HELP}");
                return;
            }
            _ => {
                eprintln!(
                    "bench-async: unknown or incomplete argument {a:?} (known: {known:?})\n{HELP}"
                );
                std::process::exit(2);
            }
        }
    }
    let mut plan = if args.iter().any(|a| a == "--quick") {
        QUICK
    } else {
        FULL
    };
    let number = |name: &str, least: u64| {
        arg(&args, name).map(|v| {
            v.parse::<u64>()
                .ok()
                .filter(|&n| n >= least)
                .unwrap_or_else(|| {
                    eprintln!(
                        "bench-async: {name} wants a whole number of at least {least}, not {v:?}"
                    );
                    std::process::exit(2)
                })
        })
    };
    if let Some(r) = number("--rounds", 1) {
        plan.rounds = r as usize;
    }
    plan.count = number("--count", 2);
    let filter = arg(&args, "--only").unwrap_or("");
    let impls: Vec<&str> = arg(&args, "--impls")
        .map(|s| s.split(',').collect())
        .unwrap_or_else(|| IMPLS.to_vec());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let started = Instant::now();
    let rows = measure(plan, &rt, filter, &impls);
    print_table(&rows, plan);
    eprintln!("bench-async: {:.1} s", started.elapsed().as_secs_f64());
}
