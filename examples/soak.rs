//! Soak driver (run by ci/soak.sh): REQ/REP and PUSH/PULL-with-acks over tcp on 127.0.0.1
//! for a bounded time, with the peer process of each killed (SIGKILL) and started again
//! periodically. Every message carries a sequence number; at the end the driver reports what
//! it sent, what came back, what was lost (must be 0: both patterns are made reliable here,
//! REQ/REP by the "lazy pirate" retry, PUSH/PULL by acknowledgements and resends) and its
//! resident set size at the start (after a warm-up) and at the end, which must not grow by
//! more than the stated bound.
//!
//! ```text
//! cargo run --example soak -- [--secs N] [--restart-ms M] [--max-rss-growth-kib K]
//! ```
//! Defaults: 3 s, a restart every 1000 ms, 8192 KiB. Exit status 1 if anything was lost,
//! the RSS grew beyond the bound, or a scenario failed.

use std::collections::BTreeMap;
use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};
use zmq4::{Context, Error, PollEvents, RecvFlags, SendFlags, Socket, SocketType};

/// Bytes of payload after the sequence number.
const PAYLOAD: usize = 256;
/// How long the REQ waits for a reply before it gives the request up and retries.
const REQUEST_TIMEOUT_MS: i64 = 300;
/// How long a PUSHed message waits for its ack before it is sent again.
const RESEND_AFTER: Duration = Duration::from_millis(500);
/// Most messages in flight without an ack.
const WINDOW: usize = 500;
/// How long the end of a run may take to collect the last replies and acks.
const DRAIN: Duration = Duration::from_secs(15);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--peer") {
        peer(&args[1..]);
        return;
    }
    let mut secs = 3u64;
    let mut restart_ms = 1000u64;
    let mut max_growth_kib = 8192u64;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || -> u64 {
            it.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| usage(a))
        };
        match a.as_str() {
            "--secs" => secs = value(),
            "--restart-ms" => restart_ms = value(),
            "--max-rss-growth-kib" => max_growth_kib = value(),
            _ => usage(a),
        }
    }
    let run = Duration::from_secs(secs);
    let restart = Duration::from_millis(restart_ms.max(100));
    println!(
        "soak: {secs} s, peer restarts every {} ms, RSS growth bound {max_growth_kib} KiB",
        restart.as_millis()
    );

    // Warm-up: a short round of both scenarios, so that the allocator, libzmq's and the
    // test's steady-state structures exist before the first RSS reading.
    let warm = Duration::from_millis(500);
    let _ = thread::scope(|s| {
        let a = s.spawn(|| req_rep(warm, restart));
        let b = s.spawn(|| push_pull_acks(warm, restart));
        (a.join(), b.join())
    });
    let rss_start = rss_kib();

    let (rr, pp) = thread::scope(|s| {
        let a = s.spawn(|| req_rep(run, restart));
        // Offset the second scenario's restarts by half a period.
        let b = s.spawn(|| {
            thread::sleep(restart / 2);
            push_pull_acks(run, restart)
        });
        (a.join(), b.join())
    });
    let rss_end = rss_kib();
    let mut ok = true;
    match rr {
        Ok(Ok(r)) => {
            println!(
                "soak req/rep: sent {}, received {}, lost {}, retries {}, peer restarts {}",
                r.sent,
                r.received,
                r.sent - r.received,
                r.retries,
                r.restarts
            );
            ok &= r.sent == r.received && r.sent > 0;
        }
        Ok(Err(e)) => {
            println!("soak req/rep: FAILED: {e}");
            ok = false;
        }
        Err(_) => {
            println!("soak req/rep: PANICKED");
            ok = false;
        }
    }
    match pp {
        Ok(Ok(r)) => {
            println!(
                "soak push/pull+acks: sent {}, acked {}, lost {}, resent {}, duplicate acks {}, \
                 peer restarts {}",
                r.sent,
                r.received,
                r.sent - r.received,
                r.retries,
                r.duplicates,
                r.restarts
            );
            ok &= r.sent == r.received && r.sent > 0;
        }
        Ok(Err(e)) => {
            println!("soak push/pull+acks: FAILED: {e}");
            ok = false;
        }
        Err(_) => {
            println!("soak push/pull+acks: PANICKED");
            ok = false;
        }
    }
    let growth = rss_end.saturating_sub(rss_start);
    println!(
        "soak rss: start {rss_start} KiB, end {rss_end} KiB, growth {growth} KiB (bound \
         {max_growth_kib} KiB)"
    );
    ok &= growth <= max_growth_kib;
    println!("soak: {}", if ok { "PASS" } else { "FAIL" });
    if !ok {
        std::process::exit(1);
    }
}

fn usage(arg: &str) -> ! {
    eprintln!(
        "unexpected argument {arg:?}\nusage: soak [--secs N] [--restart-ms M] \
         [--max-rss-growth-kib K]"
    );
    std::process::exit(2);
}

/// VmRSS of this process, in KiB.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

#[derive(Default, Debug)]
struct Report {
    sent: u64,
    received: u64,
    retries: u64,
    duplicates: u64,
    restarts: u64,
}

/// A peer process (this program with `--peer`); it exits when its stdin closes.
struct Peer {
    child: Child,
    spec: Vec<String>,
}

impl Peer {
    fn spawn(spec: &[String]) -> Result<Peer, String> {
        let child = Command::new(std::env::current_exe().map_err(|e| e.to_string())?)
            .arg("--peer")
            .args(spec)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("spawning a peer: {e}"))?;
        Ok(Peer {
            child,
            spec: spec.to_vec(),
        })
    }

    /// SIGKILL, and a new process in its place.
    fn restart(&mut self) -> Result<(), String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        *self = Peer::spawn(&self.spec)?;
        Ok(())
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Restarts the peer every `period` until `stop`, from its own thread, so that kills land at
/// arbitrary points of the exchange (mid-request, mid-stream); returns the restart count.
fn restarter(
    peer: Peer,
    period: Duration,
    stop: Arc<AtomicBool>,
) -> thread::JoinHandle<Result<u64, String>> {
    thread::spawn(move || {
        let mut peer = peer;
        let mut restarts = 0;
        let mut next = Instant::now() + period;
        while !stop.load(Ordering::Relaxed) {
            if Instant::now() >= next {
                peer.restart()?;
                restarts += 1;
                next = Instant::now() + period;
            }
            thread::sleep(Duration::from_millis(5));
        }
        Ok(restarts)
    })
}

fn free_endpoint() -> Result<String, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let port = l.local_addr().map_err(|e| e.to_string())?.port();
    Ok(format!("tcp://127.0.0.1:{port}"))
}

fn frame(seq: u64) -> Vec<u8> {
    let mut f = seq.to_be_bytes().to_vec();
    f.resize(8 + PAYLOAD, (seq % 251) as u8);
    f
}

fn seq_of(frame: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(frame.get(..8)?.try_into().ok()?))
}

fn zmq(e: Error) -> String {
    e.to_string()
}

/// REQ/REP: the peer binds a REP (the listening side is what restarts); the REQ sends each
/// sequence number until the matching reply comes back, on a fresh socket after each
/// timeout (a REQ cannot send again before a reply).
fn req_rep(run: Duration, restart: Duration) -> Result<Report, String> {
    let ep = free_endpoint()?;
    let stop = Arc::new(AtomicBool::new(false));
    let chaos = restarter(
        Peer::spawn(&["rep".into(), ep.clone()])?,
        restart,
        stop.clone(),
    );
    let result = req_rep_client(&ep, run);
    stop.store(true, Ordering::Relaxed);
    let restarts = chaos.join().map_err(|_| "restarter panicked")??;
    result.map(|r| Report { restarts, ..r })
}

fn req_rep_client(ep: &str, run: Duration) -> Result<Report, String> {
    let ctx = Context::new();
    let connect = || -> Result<Socket, String> {
        let s = ctx.socket(SocketType::Req).map_err(zmq)?;
        s.set_linger(0).map_err(zmq)?;
        s.set_reconnect_ivl(20).map_err(zmq)?;
        s.connect(ep).map_err(zmq)?;
        Ok(s)
    };
    let mut req = connect()?;
    let mut r = Report::default();
    let start = Instant::now();
    let mut seq = 0u64;
    while start.elapsed() < run {
        let give_up = Instant::now() + DRAIN;
        r.sent += 1;
        loop {
            if Instant::now() > give_up {
                return Err(format!("request {seq} unanswered for {DRAIN:?}"));
            }
            req.send(frame(seq), SendFlags::empty()).map_err(zmq)?;
            if req
                .poll(PollEvents::POLLIN, REQUEST_TIMEOUT_MS)
                .map_err(zmq)?
                .contains(PollEvents::POLLIN)
            {
                let reply = req.recv_bytes(RecvFlags::DONTWAIT).map_err(zmq)?;
                if seq_of(&reply) != Some(seq) || reply != frame(seq) {
                    return Err(format!("reply to {seq} was {:?}", seq_of(&reply)));
                }
                r.received += 1;
                break;
            }
            r.retries += 1;
            req = connect()?;
        }
        seq += 1;
    }
    Ok(r)
}

/// PUSH/PULL with acks: the peer binds a PULL for data and connects a PUSH back to our
/// PULL with each sequence number it got (the connecting side of the data path is ours, so
/// each restart is a reconnect for us). Unacked messages are sent again after
/// [`RESEND_AFTER`]; at the end, sending stops and every message must be acked.
fn push_pull_acks(run: Duration, restart: Duration) -> Result<Report, String> {
    let ctx = Context::new();
    let acks = ctx.socket(SocketType::Pull).map_err(zmq)?;
    acks.set_linger(0).map_err(zmq)?;
    acks.bind("tcp://127.0.0.1:*").map_err(zmq)?;
    let ack_ep = acks.last_endpoint().map_err(zmq)?;
    let data_ep = free_endpoint()?;
    let stop = Arc::new(AtomicBool::new(false));
    let chaos = restarter(
        Peer::spawn(&["pull-ack".into(), data_ep.clone(), ack_ep])?,
        restart,
        stop.clone(),
    );
    let result = push_pull_client(&ctx, &acks, &data_ep, run, &stop);
    stop.store(true, Ordering::Relaxed);
    let restarts = chaos.join().map_err(|_| "restarter panicked")??;
    result.map(|r| Report { restarts, ..r })
}

fn push_pull_client(
    ctx: &Context,
    acks: &Socket,
    data_ep: &str,
    run: Duration,
    stop_restarts: &AtomicBool,
) -> Result<Report, String> {
    let push = ctx.socket(SocketType::Push).map_err(zmq)?;
    push.set_linger(0).map_err(zmq)?;
    push.set_reconnect_ivl(20).map_err(zmq)?;
    push.set_sndhwm(WINDOW as i32).map_err(zmq)?;
    push.connect(data_ep).map_err(zmq)?;

    let mut r = Report::default();
    let mut unacked: BTreeMap<u64, Instant> = BTreeMap::new();
    let start = Instant::now();
    let mut seq = 0u64;
    let mut drain_until = None;
    loop {
        let now = Instant::now();
        let sending = now.duration_since(start) < run;
        if !sending && unacked.is_empty() {
            break;
        }
        if !sending {
            // The peer stays up while the last acks come in.
            stop_restarts.store(true, Ordering::Relaxed);
            let until = *drain_until.get_or_insert(now + DRAIN);
            if now > until {
                return Err(format!("{} messages never acked", unacked.len()));
            }
        }
        if sending && unacked.len() < WINDOW {
            match push.send(frame(seq), SendFlags::DONTWAIT) {
                Ok(()) => {
                    unacked.insert(seq, now);
                    r.sent += 1;
                    seq += 1;
                }
                Err(Error::WouldBlock) => {}
                Err(e) => return Err(zmq(e)),
            }
        }
        // Collect acks (a short wait when nothing can be sent).
        let wait = if sending && unacked.len() < WINDOW {
            0
        } else {
            10
        };
        if acks
            .poll(PollEvents::POLLIN, wait)
            .map_err(zmq)?
            .contains(PollEvents::POLLIN)
        {
            while let Ok(ack) = acks.recv_bytes(RecvFlags::DONTWAIT) {
                let s = seq_of(&ack).ok_or("short ack")?;
                if unacked.remove(&s).is_some() {
                    r.received += 1;
                } else {
                    r.duplicates += 1;
                }
            }
        }
        // Resend what waited too long (lost with a killed peer or its connection).
        let now = Instant::now();
        for (s, at) in unacked.iter_mut() {
            if now.duration_since(*at) >= RESEND_AFTER {
                match push.send(frame(*s), SendFlags::DONTWAIT) {
                    Ok(()) => {
                        *at = now;
                        r.retries += 1;
                    }
                    Err(Error::WouldBlock) => break,
                    Err(e) => return Err(zmq(e)),
                }
            }
        }
    }
    Ok(r)
}

/// A peer process: `rep <endpoint>` echoes on a bound REP; `pull-ack <data> <acks>` acks
/// every message of a bound PULL on a PUSH connected to `<acks>`. Exits when stdin closes,
/// and after ten minutes in any case.
fn peer(args: &[String]) {
    thread::spawn(|| {
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
        std::process::exit(0);
    });
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        thread::spawn(move || {
            thread::sleep(Duration::from_secs(600));
            stop.store(true, Ordering::Relaxed);
            std::process::exit(3);
        });
    }
    let ctx = Context::new();
    let bind = |s: &Socket, ep: &str| {
        // The previous process's port may still be closing: retry for a while.
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match s.bind(ep) {
                Ok(()) => return,
                Err(Error::AddressInUse) if Instant::now() < deadline => {
                    thread::sleep(Duration::from_millis(10))
                }
                Err(e) => panic!("peer bind {ep}: {e}"),
            }
        }
    };
    match args {
        [role, ep] if role == "rep" => {
            let rep = ctx.socket(SocketType::Rep).unwrap();
            rep.set_linger(0).unwrap();
            bind(&rep, ep);
            while !stop.load(Ordering::Relaxed) {
                let m = rep.recv(RecvFlags::empty()).unwrap();
                rep.send(m.to_vec(), SendFlags::empty()).unwrap();
            }
        }
        [role, data, ack] if role == "pull-ack" => {
            let pull = ctx.socket(SocketType::Pull).unwrap();
            pull.set_linger(0).unwrap();
            bind(&pull, data);
            let push = ctx.socket(SocketType::Push).unwrap();
            push.set_linger(0).unwrap();
            push.connect(ack).unwrap();
            while !stop.load(Ordering::Relaxed) {
                let m = pull.recv_bytes(RecvFlags::empty()).unwrap();
                push.send(&m[..8], SendFlags::empty()).unwrap();
            }
        }
        _ => panic!("unknown peer role {args:?}"),
    }
}
