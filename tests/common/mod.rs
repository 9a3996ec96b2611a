//! Helpers shared by the integration tests: unique endpoints per transport, sockets whose
//! every blocking call is bounded, bounded receive helpers and sleep-free ways to wait for a
//! connection (send until received, with a deadline).
#![allow(dead_code)]

pub mod pyzmq;
pub mod raw;

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use zmq4::{Context, Error, Message, RecvFlags, SendFlags, Socket, SocketType, ThreadMode};

/// Upper bound of every blocking send/receive in the tests (RCVTIMEO/SNDTIMEO), in ms.
pub const TIMEOUT_MS: i32 = 5000;
/// The same bound as a `Duration`, for channels and deadlines.
pub const TIMEOUT: Duration = Duration::from_millis(TIMEOUT_MS as u64);
/// The receive timeout of one probe while waiting for a connection, in ms.
pub const PROBE_MS: i32 = 20;

/// A command that re-executes this test binary. Under emulation the binary cannot be exec'd
/// directly (no binfmt_misc here), so ci/cross.sh puts the runner's command line (e.g.
/// `qemu-arm -L /usr/arm-linux-gnueabihf`) in `ZMQ4_TEST_RUNNER` and the child goes through it.
pub fn self_command() -> Command {
    let exe = std::env::current_exe().expect("current_exe");
    let runner = std::env::var("ZMQ4_TEST_RUNNER").unwrap_or_default();
    let mut parts = runner.split_whitespace();
    match parts.next() {
        Some(program) => {
            let mut cmd = Command::new(program);
            cmd.args(parts).arg(exe);
            cmd
        }
        None => Command::new(exe),
    }
}

/// A transport a pattern runs over.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Transport {
    /// `inproc://`
    Inproc,
    /// `ipc://` (a path under a per-process temporary directory)
    Ipc,
    /// `tcp://127.0.0.1:<ephemeral port>`
    Tcp,
}

/// Every connection-oriented transport.
pub const TRANSPORTS: [Transport; 3] = [Transport::Inproc, Transport::Ipc, Transport::Tcp];

/// Runs `body` once per transport, saying which one on stderr (shown when a test fails).
///
/// ipc:// is skipped, saying so, where this libzmq has no ipc (Windows with MinGW: libzmq
/// cannot build it there); everywhere else a missing ipc fails the test.
pub fn for_each_transport(mut body: impl FnMut(Transport)) {
    for t in TRANSPORTS {
        if !transport_available(t) {
            eprintln!("--- transport {t:?}: SKIPPED (not in this libzmq build)");
            continue;
        }
        eprintln!("--- transport {t:?}");
        body(t);
    }
}

/// [`for_each_transport`] for the thread-safe socket types (CLIENT, SERVER, RADIO, DISH,
/// SCATTER, GATHER, PEER, CHANNEL): every transport but inproc, which this crate refuses
/// for them (two of them joined over inproc can deadlock inside libzmq: `zmq4::aborts`).
pub fn for_each_thread_safe_transport(mut body: impl FnMut(Transport)) {
    for_each_transport(|t| {
        if t != Transport::Inproc {
            body(t)
        }
    })
}

/// Whether the tests can use transport `t` here: all of them, except ipc:// on Windows
/// builds without it (MinGW).
pub fn transport_available(t: Transport) -> bool {
    t != Transport::Ipc || !cfg!(windows) || zmq4::has(zmq4::Capability::Ipc)
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A name unique in this process (and among concurrently running test binaries).
pub fn unique_name(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}-{}-{n}", std::process::id())
}

/// A fresh `inproc://` endpoint.
pub fn inproc_endpoint() -> String {
    format!("inproc://{}", unique_name("zmq4-test"))
}

/// The prefix of the per-process ipc directories.
const IPC_DIR_PREFIX: &str = "zmq4-tests-";

/// The per-process directory holding ipc socket files.
///
/// libzmq 4.3.5 unlinks an ipc socket file on close only for wildcard binds, so the files
/// stay behind: the directories of test processes that are gone are removed here (on Linux,
/// where `/proc/<pid>` says whether a process lives).
pub fn ipc_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let tmp = std::env::temp_dir();
        remove_stale_ipc_dirs(&tmp);
        let dir = tmp.join(format!("{IPC_DIR_PREFIX}{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("creating the ipc directory");
        dir
    })
}

#[cfg(target_os = "linux")]
fn remove_stale_ipc_dirs(tmp: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(IPC_DIR_PREFIX)) else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !std::path::Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn remove_stale_ipc_dirs(_tmp: &std::path::Path) {}

/// A fresh `ipc://` endpoint (a path in [`ipc_dir`]; short enough for `sun_path`).
pub fn ipc_endpoint() -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let path = ipc_dir().join(format!("{n}.ipc"));
    assert!(path.as_os_str().len() < 100, "ipc path too long: {path:?}");
    format!("ipc://{}", path.display())
}

/// Binds `socket` to a fresh endpoint of `transport` and returns the endpoint to connect to
/// (for tcp, `tcp://127.0.0.1:*` resolved through `last_endpoint`).
pub fn bind<M: ThreadMode>(socket: &Socket<M>, transport: Transport) -> String {
    match transport {
        Transport::Inproc => {
            let ep = inproc_endpoint();
            socket
                .bind(&ep)
                .unwrap_or_else(|e| panic!("bind {ep}: {e}"));
            ep
        }
        Transport::Ipc => {
            let ep = ipc_endpoint();
            socket
                .bind(&ep)
                .unwrap_or_else(|e| panic!("bind {ep}: {e}"));
            ep
        }
        Transport::Tcp => bind_tcp(socket),
    }
}

/// Binds to `tcp://127.0.0.1:*` and returns the resolved endpoint.
pub fn bind_tcp<M: ThreadMode>(socket: &Socket<M>) -> String {
    socket
        .bind("tcp://127.0.0.1:*")
        .expect("bind tcp://127.0.0.1:*");
    let ep = socket.last_endpoint().expect("last_endpoint");
    assert!(
        ep.starts_with("tcp://127.0.0.1:"),
        "unexpected endpoint {ep}"
    );
    ep
}

/// Sets linger 0 and the bounded send/receive timeouts on a socket.
pub fn bounded<M: ThreadMode>(socket: &Socket<M>) {
    socket.set_linger(0).unwrap();
    socket.set_rcvtimeo(TIMEOUT_MS).unwrap();
    socket.set_sndtimeo(TIMEOUT_MS).unwrap();
}

/// A socket with linger 0 and every blocking call bounded by [`TIMEOUT_MS`].
pub fn socket(ctx: &Context, ty: SocketType) -> Socket {
    let s = ctx
        .socket(ty)
        .unwrap_or_else(|e| panic!("socket {ty:?}: {e}"));
    bounded(&s);
    s
}

/// One frame as bytes; fails the test if none arrives within the socket's RCVTIMEO.
pub fn recv_bytes<M: ThreadMode>(socket: &Socket<M>) -> Vec<u8> {
    socket
        .recv_bytes(RecvFlags::empty())
        .unwrap_or_else(|e| panic!("recv: {e}"))
}

/// One frame as a UTF-8 string (lossy), bounded by RCVTIMEO.
pub fn recv_string<M: ThreadMode>(socket: &Socket<M>) -> String {
    String::from_utf8_lossy(&recv_bytes(socket)).into_owned()
}

/// One multipart message, every frame as bytes, bounded by RCVTIMEO.
pub fn recv_parts<M: ThreadMode>(socket: &Socket<M>) -> Vec<Vec<u8>> {
    socket
        .recv_multipart(RecvFlags::empty())
        .unwrap_or_else(|e| panic!("recv_multipart: {e}"))
        .into_iter()
        .map(|m| m.to_vec())
        .collect()
}

/// Sends one frame, failing the test on error (bounded by SNDTIMEO).
pub fn send<M: ThreadMode>(socket: &Socket<M>, data: impl AsRef<[u8]>) {
    socket
        .send(data, SendFlags::empty())
        .unwrap_or_else(|e| panic!("send: {e}"));
}

/// Sends a multipart message of byte frames, failing the test on error.
pub fn send_parts<M: ThreadMode>(socket: &Socket<M>, parts: &[&[u8]]) {
    socket
        .send_multipart(parts.iter().copied(), SendFlags::empty())
        .unwrap_or_else(|e| panic!("send_multipart: {e}"));
}

/// Receives with a receive timeout of `ms` for this call only (then back to [`TIMEOUT_MS`]);
/// `None` on timeout.
pub fn try_recv_within<M: ThreadMode>(socket: &Socket<M>, ms: i32) -> Option<Message> {
    socket.set_rcvtimeo(ms).unwrap();
    let r = socket.recv(RecvFlags::empty());
    socket.set_rcvtimeo(TIMEOUT_MS).unwrap();
    match r {
        Ok(m) => Some(m),
        Err(Error::TimedOut) => None,
        Err(e) => panic!("recv: {e}"),
    }
}

/// A receive that must find nothing queued right now (`DONTWAIT` → `WouldBlock`).
pub fn assert_nothing_queued<M: ThreadMode>(socket: &Socket<M>) {
    match socket.recv(RecvFlags::DONTWAIT) {
        Err(Error::WouldBlock) => {}
        Ok(m) => panic!("unexpected message {:?}", String::from_utf8_lossy(&m)),
        Err(e) => panic!("recv DONTWAIT: {e}"),
    }
}

/// Waits without sleeping on a fixed time for a path to deliver: calls `send(attempt)` and
/// then `try_recv()` (which should wait a short while, e.g. [`PROBE_MS`]) until it yields a
/// message, failing the test after [`TIMEOUT`]. Returns the first message received. Later
/// probes may still be in flight: callers must make strays harmless (unsubscribe, leave, or
/// skip them).
pub fn until_received<T>(mut send: impl FnMut(u32), mut try_recv: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + TIMEOUT;
    let mut attempt = 0;
    while Instant::now() < deadline {
        send(attempt);
        if let Some(m) = try_recv() {
            return m;
        }
        attempt += 1;
    }
    panic!("nothing delivered within {TIMEOUT:?} ({attempt} attempts)");
}

/// The first byte of the topics [`sync_pub_sub`] publishes.
pub const SYNC_PREFIX: u8 = 0xff;

/// Whether a frame is a probe of [`sync_pub_sub`].
pub fn is_sync_probe(frame: &[u8]) -> bool {
    frame.first() == Some(&SYNC_PREFIX)
}

/// Waits until `sub` receives from `publisher` (a PUB or XPUB): subscribes `sub` to a topic
/// unique to this call, publishes it until one arrives, then unsubscribes, so stray probes
/// are filtered out by the SUB itself (and never match a later call's topic).
/// Subscriptions made on `sub` before this call have reached the publisher when it returns
/// (they travel in order on the same pipe). With an empty subscription, strays stay visible:
/// skip them with [`is_sync_probe`].
pub fn sync_pub_sub(publisher: &Socket, sub: &Socket) {
    let mut topic = vec![SYNC_PREFIX];
    topic.extend_from_slice(unique_name("sync").as_bytes());
    sub.set_subscribe(&topic).unwrap();
    until_received(
        |_| publisher.send(&topic, SendFlags::DONTWAIT).unwrap(),
        || loop {
            // Skip strays of earlier calls (visible with an empty subscription).
            let m = try_recv_within(sub, PROBE_MS)?;
            if m[..] == topic[..] {
                return Some(());
            }
        },
    );
    sub.set_unsubscribe(&topic).unwrap();
}

/// Receives frames until `stop(frame)` is true or the deadline passes (a test failure);
/// returns the frames before the stop frame.
pub fn recv_until<M: ThreadMode>(
    socket: &Socket<M>,
    mut stop: impl FnMut(&[u8]) -> bool,
) -> Vec<Vec<u8>> {
    let deadline = Instant::now() + TIMEOUT;
    let mut got = Vec::new();
    loop {
        assert!(
            Instant::now() < deadline,
            "no stop frame within {TIMEOUT:?} ({} frames)",
            got.len()
        );
        let m = recv_bytes(socket);
        if stop(&m) {
            return got;
        }
        got.push(m);
    }
}

/// Polls `cond` until it holds or [`TIMEOUT`] passes; returns whether it held. For state
/// changed by libzmq's I/O threads that no socket reports (e.g. a free callback after a tcp
/// send); the short sleeps only pace the loop, the deadline decides.
pub fn eventually(mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// A UDP port on 127.0.0.1 that was free a moment ago (bound with port 0, then released).
pub fn free_udp_port() -> u16 {
    let [port] = free_udp_ports();
    port
}

/// `N` distinct UDP ports on 127.0.0.1 that were free a moment ago. All `N` sockets are held
/// until every port is known, so the kernel cannot hand one port out twice (separate calls
/// of [`free_udp_port`] can get the same port back). Another process may still take one
/// before libzmq binds it: callers retry with fresh ports when nothing is delivered.
pub fn free_udp_ports<const N: usize>() -> [u16; N] {
    let held: [std::net::UdpSocket; N] = std::array::from_fn(|_| {
        std::net::UdpSocket::bind("127.0.0.1:0").expect("bind udp 127.0.0.1:0")
    });
    held.map(|s| s.local_addr().expect("local_addr").port())
}
