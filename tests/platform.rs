//! Proofs that the platform macros the build script probes for (zmq4-sys/build/platform.rs, written to
//! platform.hpp) reached libzmq: each test shows one behaviour that libzmq only has when its
//! macro is defined, through the raw `zmq4::sys` API and real sockets.
//!
//! Every wait is bounded: ZMQ_RCVTIMEO/ZMQ_SNDTIMEO on sockets, poll timeouts, deadlines on
//! retry loops. No sleep decides a result.
//!
//! Tests that inspect process-wide state (/proc/self/fd, /proc/self/task) run their body in a
//! child process — this test binary re-executed with a filter for that one test and
//! `ZMQ4_PLATFORM_CHILD` set — so the sockets and threads of tests running in parallel here do
//! not show up in what they check.
#![cfg(target_os = "linux")]

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::mem::size_of;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::ptr;
use std::time::{Duration, Instant};

use zmq4::sys;

use common::raw::{has, Ctx, Sock, WAIT_MS};

/// Upper bound for a child process running one isolated test.
const CHILD_TIMEOUT: Duration = Duration::from_secs(60);

/// Set (to the test's name) in the child process that runs an isolated test's body.
const CHILD_ENV: &str = "ZMQ4_PLATFORM_CHILD";

fn deadline() -> Instant {
    Instant::now() + Duration::from_millis(WAIT_MS as u64)
}

// ---------------------------------------------------------------------------------------------
// Raw-API helpers.

/// One monitor event: (event, value, endpoint).
fn recv_event(monitor: &Sock) -> (i32, u32, String) {
    let first = monitor.recv();
    assert_eq!(first.len(), 6, "monitor frame 1 is u16 event + u32 value");
    let event = i32::from(u16::from_ne_bytes([first[0], first[1]]));
    let value = u32::from_ne_bytes([first[2], first[3], first[4], first[5]]);
    let endpoint = String::from_utf8(monitor.recv()).unwrap();
    (event, value, endpoint)
}

/// Waits (bounded) for `event` on a monitor; returns its value (the fd for connection events).
/// Panics if one of `forbidden` comes first.
fn expect_event(monitor: &Sock, event: i32, forbidden: &[i32]) -> u32 {
    let end = deadline();
    let mut seen = Vec::new();
    while Instant::now() < end {
        let (ev, value, endpoint) = recv_event(monitor);
        if ev == event {
            return value;
        }
        assert!(
            !forbidden.contains(&ev),
            "event {ev:#x} ({endpoint}) before {event:#x}"
        );
        seen.push(ev);
    }
    panic!("no event {event:#x} within {WAIT_MS} ms (seen {seen:x?})");
}

/// An int socket option of a plain fd, through libc::getsockopt.
fn fd_sockopt_int(fd: i32, level: i32, name: i32) -> i32 {
    let mut value: libc::c_int = -1;
    let mut len = size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: value/len point to a c_int and its size; fd is a socket owned by libzmq that
    // stays open while the connection is up (getsockopt does not change it).
    let rc =
        unsafe { libc::getsockopt(fd, level, name, ptr::from_mut(&mut value).cast(), &mut len) };
    assert_eq!(
        rc,
        0,
        "getsockopt(fd {fd}, {level}, {name}): {}",
        std::io::Error::last_os_error()
    );
    value
}

/// The calling process's open fds and what they link to (/proc/self/fd/N).
fn open_fds() -> BTreeMap<i32, String> {
    // Collect the numbers first: the directory's own fd is closed when the iterator drops,
    // and then fails readlink below and is left out.
    let numbers: Vec<i32> = std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    numbers
        .into_iter()
        .filter_map(|fd| {
            let target = std::fs::read_link(format!("/proc/self/fd/{fd}")).ok()?;
            Some((fd, target.to_string_lossy().into_owned()))
        })
        .collect()
}

/// Fds open now that were not in `before` (or now point elsewhere).
fn new_fds(before: &BTreeMap<i32, String>) -> BTreeMap<i32, String> {
    open_fds()
        .into_iter()
        .filter(|(fd, target)| *fd > 2 && before.get(fd) != Some(target))
        .collect()
}

/// Names (comm) of the calling process's threads.
fn thread_names() -> Vec<String> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Vec::new();
    };
    tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
        .map(|s| s.trim_end().to_owned())
        .collect()
}

/// Waits (bounded) until every name in `wanted` is a thread name of this process.
fn wait_for_threads(wanted: &[&str]) -> Vec<String> {
    let end = deadline();
    loop {
        let names = thread_names();
        if wanted.iter().all(|w| names.iter().any(|n| n == w)) {
            return names;
        }
        assert!(
            Instant::now() < end,
            "threads {wanted:?} not named within {WAIT_MS} ms; threads: {names:?}"
        );
        // Paces the retry only; the deadline decides failure.
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Runs `body` alone in a child process: this test binary re-executed with a filter for
/// `name` (which must be the calling test's function name) and CHILD_ENV set. In the child,
/// runs `body` directly.
fn isolated(name: &str, body: impl FnOnce()) {
    if std::env::var(CHILD_ENV).as_deref() == Ok(name) {
        body();
        return;
    }
    let mut child = common::self_command()
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, name)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("re-execute the test binary");
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = r.read_to_string(&mut s);
            s
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let end = Instant::now() + CHILD_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() >= end {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        // Paces the wait only; the child's exit status decides the result.
        std::thread::sleep(Duration::from_millis(10));
    };
    let (out, err) = (out.join().unwrap(), err.join().unwrap());
    println!("--- child `{name}` stdout:\n{out}--- child stderr:\n{err}");
    let status =
        status.unwrap_or_else(|| panic!("child `{name}` did not finish in {CHILD_TIMEOUT:?}"));
    assert!(status.success(), "child `{name}` failed: {status}");
    // The filter must have matched: a child that ran no test would succeed vacuously.
    assert!(
        out.contains("1 passed"),
        "child `{name}` did not run the test"
    );
}

// ---------------------------------------------------------------------------------------------
// ZMQ_HAVE_SO_KEEPALIVE, ZMQ_HAVE_TCP_KEEPIDLE/KEEPCNT/KEEPINTVL: ZMQ_TCP_KEEPALIVE* reach the
// kernel (without them libzmq accepts the options and ignores them).

#[test]
fn tcp_keepalive_options_reach_the_socket() {
    let ctx = Ctx::new();
    let server = ctx.socket(sys::ZMQ_PAIR);
    // The accepting side too, with other values.
    server.set_int(sys::ZMQ_TCP_KEEPALIVE, 1);
    server.set_int(sys::ZMQ_TCP_KEEPALIVE_IDLE, 41);
    server.set_int(sys::ZMQ_TCP_KEEPALIVE_CNT, 6);
    server.set_int(sys::ZMQ_TCP_KEEPALIVE_INTVL, 13);
    let smon = ctx.monitor(&server, sys::ZMQ_EVENT_ACCEPTED);
    let endpoint = server.bind("tcp://127.0.0.1:*");

    let client = ctx.socket(sys::ZMQ_PAIR);
    client.set_int(sys::ZMQ_TCP_KEEPALIVE, 1);
    client.set_int(sys::ZMQ_TCP_KEEPALIVE_IDLE, 37);
    client.set_int(sys::ZMQ_TCP_KEEPALIVE_CNT, 5);
    client.set_int(sys::ZMQ_TCP_KEEPALIVE_INTVL, 11);
    let cmon = ctx.monitor(&client, sys::ZMQ_EVENT_CONNECTED);
    client.connect(&endpoint);

    let cfd = expect_event(&cmon, sys::ZMQ_EVENT_CONNECTED, &[]) as i32;
    let sfd = expect_event(&smon, sys::ZMQ_EVENT_ACCEPTED, &[]) as i32;
    // Both connections stay up (the sockets are open) while their fds are inspected.
    let got = |fd| {
        (
            fd_sockopt_int(fd, libc::SOL_SOCKET, libc::SO_KEEPALIVE),
            fd_sockopt_int(fd, libc::IPPROTO_TCP, libc::TCP_KEEPIDLE),
            fd_sockopt_int(fd, libc::IPPROTO_TCP, libc::TCP_KEEPCNT),
            fd_sockopt_int(fd, libc::IPPROTO_TCP, libc::TCP_KEEPINTVL),
        )
    };
    assert_eq!(
        got(cfd),
        (1, 37, 5, 11),
        "connecting fd {cfd}: (SO_KEEPALIVE, IDLE, CNT, INTVL)"
    );
    assert_eq!(
        got(sfd),
        (1, 41, 6, 13),
        "accepted fd {sfd}: (SO_KEEPALIVE, IDLE, CNT, INTVL)"
    );

    client.send(b"alive");
    assert_eq!(server.recv(), b"alive");
}

// ZMQ_HAVE_IFADDRS: interface names in tcp endpoints (ENODEV without it).

#[test]
fn bind_to_interface_name_lo() {
    let ctx = Ctx::new();
    let rep = ctx.socket(sys::ZMQ_REP);
    let endpoint = rep.bind("tcp://lo:*");
    let port = endpoint
        .strip_prefix("tcp://127.0.0.1:")
        .unwrap_or_else(|| panic!("tcp://lo:* resolved to {endpoint:?}, not 127.0.0.1"));
    assert_ne!(port.parse::<u16>().unwrap(), 0);

    let req = ctx.socket(sys::ZMQ_REQ);
    req.connect(&endpoint);
    req.send(b"lo?");
    assert_eq!(rep.recv(), b"lo?");
    rep.send(b"lo!");
    assert_eq!(req.recv(), b"lo!");
}

// ZMQ_HAVE_PTHREAD_SETNAME_2: background threads are named.

/// Creates a context (configured by `setup`) and a socket, which starts its threads, and
/// waits until `wanted` are thread names.
fn named_threads(setup: impl FnOnce(&Ctx), wanted: &[&str]) -> Vec<String> {
    let ctx = Ctx::new();
    setup(&ctx);
    let _socket = ctx.socket(sys::ZMQ_PAIR);
    let names = wait_for_threads(wanted);
    println!("threads: {names:?}");
    names
}

#[test]
fn background_threads_are_named() {
    isolated("background_threads_are_named", || {
        let names = named_threads(|_| {}, &["ZMQbg/IO/0", "ZMQbg/Reaper"]);
        assert!(
            !names.iter().any(|n| n.contains("/ZMQbg")),
            "unexpected prefix: {names:?}"
        );
    });
}

#[test]
fn thread_name_prefix_shows() {
    isolated("thread_name_prefix_shows", || {
        // The int form of ZMQ_THREAD_NAME_PREFIX (zmq_ctx_set) becomes its decimal string.
        named_threads(
            |ctx| {
                ctx.set(sys::ZMQ_THREAD_NAME_PREFIX, 42);
                ctx.set(sys::ZMQ_IO_THREADS, 2);
            },
            &["42/ZMQbg/IO/0", "42/ZMQbg/IO/1", "42/ZMQbg/Reaper"],
        );
    });
}

#[cfg(feature = "draft")]
#[test]
fn thread_name_prefix_string_shows() {
    isolated("thread_name_prefix_string_shows", || {
        // The string form needs the draft zmq_ctx_set_ext.
        named_threads(
            |ctx| {
                // Thread names hold 15 characters: "zq/ZMQbg/Reaper" just fits.
                let prefix = b"zq";
                // SAFETY: ctx.0 is a live context; prefix is valid for its length.
                let rc = unsafe {
                    sys::zmq_ctx_set_ext(
                        ctx.0,
                        sys::ZMQ_THREAD_NAME_PREFIX,
                        prefix.as_ptr().cast(),
                        prefix.len(),
                    )
                };
                assert_eq!(
                    rc,
                    0,
                    "zmq_ctx_set_ext(ZMQ_THREAD_NAME_PREFIX): {}",
                    common::raw::last_error()
                );
            },
            &["zq/ZMQbg/IO/0", "zq/ZMQbg/Reaper"],
        );
    });
}

// ZMQ_HAVE_PPOLL: the draft zmq_ppoll works (ENOTSUP without it).

#[cfg(feature = "draft")]
#[test]
fn zmq_ppoll_reports_readiness() {
    use std::io::Write;
    use std::os::fd::AsRawFd;
    use std::os::unix::net::UnixStream;

    let ctx = Ctx::new();
    let a = ctx.socket(sys::ZMQ_PAIR);
    a.try_bind("inproc://ppoll").unwrap();
    let b = ctx.socket(sys::ZMQ_PAIR);
    b.connect("inproc://ppoll");
    let (mut tx, rx) = UnixStream::pair().unwrap();

    let mut items = [
        sys::zmq_pollitem_t {
            socket: b.0,
            fd: 0,
            events: sys::ZMQ_POLLIN as i16,
            revents: 0,
        },
        sys::zmq_pollitem_t {
            socket: ptr::null_mut(),
            fd: rx.as_raw_fd(),
            events: sys::ZMQ_POLLIN as i16,
            revents: 0,
        },
    ];
    // SIGUSR1 blocked while polling, to pass a real mask.
    // SAFETY: an all-zero sigset_t is a valid value to hand to sigemptyset, which initialises it.
    let mut mask: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: mask is a valid, writable sigset_t.
    unsafe {
        libc::sigemptyset(&mut mask);
        libc::sigaddset(&mut mask, libc::SIGUSR1);
    }
    let mut ppoll = |timeout: i64| {
        // SAFETY: items is a valid array of items.len() pollitems whose sockets/fds are open;
        // mask is an initialised sigset_t.
        let rc = unsafe {
            sys::zmq_ppoll(
                items.as_mut_ptr(),
                items.len() as i32,
                timeout as libc::c_long,
                &mask,
            )
        };
        assert!(
            rc >= 0,
            "zmq_ppoll: {} (ENOTSUP means ZMQ_HAVE_PPOLL is missing)",
            common::raw::last_error()
        );
        (rc, items[0].revents, items[1].revents)
    };

    assert_eq!(ppoll(0), (0, 0, 0), "nothing is ready yet");
    a.send(b"ready");
    let (rc, zrev, _) = ppoll(WAIT_MS.into());
    assert!(
        rc >= 1 && zrev & sys::ZMQ_POLLIN as i16 != 0,
        "zmq socket not readable: rc {rc}, revents {zrev}"
    );
    tx.write_all(b"x").unwrap();
    let (rc, zrev, frev) = ppoll(WAIT_MS.into());
    assert_eq!(rc, 2, "both items ready (revents {zrev}, {frev})");
    assert_ne!(frev & sys::ZMQ_POLLIN as i16, 0);
    assert_eq!(b.recv(), b"ready");
}

// ZMQ_HAVE_SOCK_CLOEXEC, HAVE_ACCEPT4, ZMQ_IOTHREAD_POLLER_USE_EPOLL_CLOEXEC,
// ZMQ_HAVE_EVENTFD_CLOEXEC: every fd libzmq opens is close-on-exec.

#[test]
fn every_libzmq_fd_is_cloexec() {
    isolated("every_libzmq_fd_is_cloexec", || {
        let before = open_fds();
        let ctx = Ctx::new();
        let rep = ctx.socket(sys::ZMQ_REP);
        let _rmon = ctx.monitor(&rep, sys::ZMQ_EVENT_ALL);
        let tcp = rep.bind("tcp://127.0.0.1:*");
        let req = ctx.socket(sys::ZMQ_REQ);
        req.connect(&tcp);
        let pull = ctx.socket(sys::ZMQ_PULL);
        let ipc = pull.bind("ipc://*");
        let push = ctx.socket(sys::ZMQ_PUSH);
        push.connect(&ipc);
        req.send(b"tcp");
        assert_eq!(rep.recv(), b"tcp");
        rep.send(b"tcp back");
        assert_eq!(req.recv(), b"tcp back");
        push.send(b"ipc");
        assert_eq!(pull.recv(), b"ipc");
        #[cfg(feature = "draft")]
        let _ws = {
            let server = ctx.socket(sys::ZMQ_PAIR);
            let ws = server.bind("ws://127.0.0.1:*/cloexec");
            let client = ctx.socket(sys::ZMQ_PAIR);
            client.connect(&ws);
            client.send(b"ws");
            assert_eq!(server.recv(), b"ws");
            (server, client)
        };

        let new = new_fds(&before);
        let mut report = String::new();
        let mut leaking = Vec::new();
        for (fd, target) in &new {
            // SAFETY: F_GETFD only reads the descriptor flags; a closed fd gives -1/EBADF.
            let flags = unsafe { libc::fcntl(*fd, libc::F_GETFD) };
            report.push_str(&format!("  fd {fd:3} {target:28} flags {flags}\n"));
            if flags >= 0 && flags & libc::FD_CLOEXEC == 0 {
                leaking.push(format!("{fd} -> {target}"));
            }
        }
        println!("new fds:\n{report}");
        let count = |kind: &str| new.values().filter(|t| t.starts_with(kind)).count();
        // tcp: listener + both ends; ipc: the same.
        assert!(
            count("socket:") >= 6,
            "expected tcp and ipc sockets among the new fds"
        );
        assert!(
            count("anon_inode:[eventpoll]") >= 1,
            "expected the I/O thread's epoll fd"
        );
        assert!(
            count("anon_inode:[eventfd]") >= 1,
            "expected signaler eventfds"
        );
        assert!(leaking.is_empty(), "fds without FD_CLOEXEC: {leaking:?}");
    });
}

// ZMQ_HAVE_EVENTFD: one eventfd per mailbox (a socketpair, two fds, without it).

#[test]
fn signaler_uses_eventfd() {
    isolated("signaler_uses_eventfd", || {
        let before = open_fds();
        let ctx = Ctx::new();
        // inproc only: the only fds are mailboxes' signalers and pollers.
        let sockets: Vec<Sock> = (0..3).map(|_| ctx.socket(sys::ZMQ_PAIR)).collect();
        sockets[0].try_bind("inproc://eventfd").unwrap();
        sockets[1].connect("inproc://eventfd");
        sockets[1].send(b"signal");
        assert_eq!(sockets[0].recv(), b"signal");

        let new = new_fds(&before);
        println!("new fds: {new:?}");
        let eventfds = new
            .values()
            .filter(|t| *t == "anon_inode:[eventfd]")
            .count();
        let sockets_fds: Vec<_> = new.values().filter(|t| t.starts_with("socket:")).collect();
        // The context's term mailbox, the reaper's, the I/O thread's and one per socket.
        assert!(
            eventfds >= 3 + sockets.len(),
            "{eventfds} eventfds for {} sockets: signalers do not use eventfd",
            sockets.len()
        );
        assert!(
            sockets_fds.is_empty(),
            "socketpair signalers: {sockets_fds:?}"
        );
        drop(sockets);
    });
}

// ZMQ_HAVE_SO_BINDTODEVICE: ZMQ_BINDTODEVICE binds the socket to the device (ENOTSUP
// without it).

/// SO_BINDTODEVICE of a socket fd.
fn bound_device(fd: i32) -> String {
    let mut buf = [0u8; libc::IFNAMSIZ];
    let mut len = buf.len() as libc::socklen_t;
    // SAFETY: buf has `len` writable bytes; fd is a socket owned by libzmq and still open.
    let rc = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_BINDTODEVICE,
            buf.as_mut_ptr().cast(),
            &mut len,
        )
    };
    assert_eq!(
        rc,
        0,
        "getsockopt(SO_BINDTODEVICE): {}",
        std::io::Error::last_os_error()
    );
    let name = &buf[..len as usize];
    String::from_utf8_lossy(name.strip_suffix(b"\0").unwrap_or(name)).into_owned()
}

#[test]
fn bindtodevice_lo() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        println!("SKIPPED bindtodevice_lo: SO_BINDTODEVICE needs root (CAP_NET_RAW) here");
        return;
    }
    let ctx = Ctx::new();
    let server = ctx.socket(sys::ZMQ_PAIR);
    server
        .try_set_bytes(sys::ZMQ_BINDTODEVICE, b"lo")
        .expect("ZMQ_BINDTODEVICE");
    let smon = ctx.monitor(&server, sys::ZMQ_EVENT_LISTENING);
    let endpoint = server.bind("tcp://127.0.0.1:*");
    let lfd = expect_event(&smon, sys::ZMQ_EVENT_LISTENING, &[]) as i32;
    assert_eq!(bound_device(lfd), "lo", "listening fd {lfd}");

    let client = ctx.socket(sys::ZMQ_PAIR);
    client
        .try_set_bytes(sys::ZMQ_BINDTODEVICE, b"lo")
        .expect("ZMQ_BINDTODEVICE");
    assert_eq!(client.get_string(sys::ZMQ_BINDTODEVICE), "lo");
    let cmon = ctx.monitor(&client, sys::ZMQ_EVENT_CONNECTED);
    client.connect(&endpoint);
    let cfd = expect_event(&cmon, sys::ZMQ_EVENT_CONNECTED, &[]) as i32;
    assert_eq!(bound_device(cfd), "lo", "connected fd {cfd}");

    client.send(b"via lo");
    assert_eq!(server.recv(), b"via lo");
    server.send(b"back via lo");
    assert_eq!(client.recv(), b"back via lo");
}

// ZMQ_HAVE_SO_PEERCRED: ZMQ_IPC_FILTER_UID filters ipc peers (EINVAL without it).

/// A PULL socket bound to `ipc://*` with a uid filter, its monitor, and a PUSH connected to it.
fn ipc_with_uid_filter(ctx: &Ctx, uid: libc::uid_t) -> (Sock, Sock, Sock) {
    let pull = ctx.socket(sys::ZMQ_PULL);
    pull.try_set_bytes(sys::ZMQ_IPC_FILTER_UID, &uid.to_ne_bytes())
        .unwrap_or_else(|e| panic!("ZMQ_IPC_FILTER_UID: errno {e} (EINVAL: no SO_PEERCRED)"));
    let mon = ctx.monitor(
        &pull,
        sys::ZMQ_EVENT_ACCEPTED | sys::ZMQ_EVENT_ACCEPT_FAILED,
    );
    let endpoint = pull.bind("ipc://*");
    let push = ctx.socket(sys::ZMQ_PUSH);
    push.connect(&endpoint);
    (pull, mon, push)
}

#[test]
fn ipc_filter_uid_accepts_own_uid() {
    // SAFETY: getuid has no preconditions.
    let uid = unsafe { libc::getuid() };
    let ctx = Ctx::new();
    let (pull, mon, push) = ipc_with_uid_filter(&ctx, uid);
    expect_event(
        &mon,
        sys::ZMQ_EVENT_ACCEPTED,
        &[sys::ZMQ_EVENT_ACCEPT_FAILED],
    );
    push.send(b"same uid");
    assert_eq!(pull.recv(), b"same uid");
}

#[test]
fn ipc_filter_uid_rejects_other_uid() {
    // SAFETY: getuid has no preconditions.
    let uid = unsafe { libc::getuid() };
    let ctx = Ctx::new();
    let (pull, mon, push) = ipc_with_uid_filter(&ctx, uid.wrapping_add(1));
    // The listener accepts, checks SO_PEERCRED, closes and reports the accept as failed.
    expect_event(
        &mon,
        sys::ZMQ_EVENT_ACCEPT_FAILED,
        &[sys::ZMQ_EVENT_ACCEPTED],
    );
    push.send(b"other uid");
    pull.set_int(sys::ZMQ_RCVTIMEO, 300);
    assert_eq!(
        pull.try_recv(),
        Err(libc::EAGAIN),
        "a filtered peer's message arrived"
    );
}

// HAVE_MKDTEMP: `ipc://*` binds `socket` inside a private mkdtemp() directory.

#[test]
fn ipc_wildcard_in_private_directory() {
    let dir: PathBuf;
    {
        let ctx = Ctx::new();
        let server = ctx.socket(sys::ZMQ_PAIR);
        let endpoint = server.bind("ipc://*");
        let path = Path::new(endpoint.strip_prefix("ipc://").expect("ipc endpoint"));
        assert_eq!(
            path.file_name().and_then(|f| f.to_str()),
            Some("socket"),
            "{endpoint}"
        );
        dir = path.parent().unwrap().to_path_buf();
        let dir_name = dir.file_name().unwrap().to_str().unwrap();
        assert!(
            dir_name.starts_with("tmp") && dir_name.len() == 9,
            "not a mkdtemp dir: {endpoint}"
        );
        let meta = std::fs::metadata(&dir).unwrap();
        assert!(meta.is_dir());
        assert_eq!(
            meta.permissions().mode() & 0o777,
            0o700,
            "{} is not private",
            dir.display()
        );
        assert!(std::fs::metadata(path).unwrap().file_type().is_socket());

        let client = ctx.socket(sys::ZMQ_PAIR);
        client.connect(&endpoint);
        client.send(b"wildcard");
        assert_eq!(server.recv(), b"wildcard");
        server.send(b"ok");
        assert_eq!(client.recv(), b"ok");
    }
    // The context is terminated: the listener removed its socket file and the directory.
    assert!(!dir.exists(), "{} left behind", dir.display());
}

// ZMQ_HAVE_TIPC: tipc:// is compiled in; using it needs the tipc kernel module, which this
// test does not require.

#[test]
fn tipc_capability_recorded() {
    let tipc = has("tipc");
    println!("zmq_has(\"tipc\") = {tipc}");
    // The build probes compile against <linux/tipc.h>: with the header, ZMQ_HAVE_TIPC is on.
    if Path::new("/usr/include/linux/tipc.h").exists() {
        assert!(tipc, "<linux/tipc.h> exists but zmq_has(\"tipc\") is false");
    }
}
