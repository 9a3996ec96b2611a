//! The bookkeeping behind the guards of [`crate::aborts`]: what a socket and its context
//! must remember so that libzmq 4.3.5 never reaches one of its asserts from safe code.

use crate::sys;
use libc::c_void;
use std::collections::HashMap;
use std::ffi::CString;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long [`InprocBook::resolve_all`] retries `zmq_socket` while the context has no free
/// slot (the reaper frees the slots of closed sockets in the background).
const SLOT_WAIT: Duration = Duration::from_secs(2);

/// Locks a mutex, ignoring poisoning: the guarded data is plain bookkeeping that a panic
/// cannot leave half-written in a way that matters more than an abort would.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A process-unique socket id, for the [`InprocBook`].
pub(crate) fn next_socket_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The inproc endpoints of a context that may have pending connections: connected through
/// this crate since they were last bound through it.
///
/// libzmq keeps a connection to an unbound inproc endpoint pending until a bind, and
/// `zmq_ctx_term` binds one PAIR socket per pending connection, asserting that it got one
/// (ctx.cpp:142): with the socket limit reached that aborts. A pending connection whose
/// connecting socket was closed is "stale": its pipe no longer takes writes, and a binder
/// with `ZMQ_HELLO_MSG` asserts when it writes the hello into it (pipe.cpp:71), an XPUB with
/// `ZMQ_XPUB_WELCOME_MSG` when it writes the welcome (xpub.cpp:63).
#[derive(Default)]
pub(crate) struct InprocBook {
    entries: HashMap<String, Entry>,
    /// The inproc endpoints bound through this crate, by binder id: a connect elsewhere is
    /// pending in libzmq. Removed before the binder unbinds or closes, so that the book
    /// never says "bound" while libzmq no longer has the endpoint (the other way round
    /// only costs a router probe, see `Socket::connect_inproc`).
    bound: HashMap<String, u64>,
}

#[derive(Default)]
struct Entry {
    /// Live sockets that connected since the last bind, and whether each is a ROUTER
    /// (libzmq writes a ROUTER connector's routing id into its pipe when a bind attaches it).
    connectors: Vec<(u64, bool)>,
    /// A socket that connected since the last bind has been closed.
    stale: bool,
    /// ROUTER sockets that withdrew their pending connection here (a disconnect) and live.
    withdrawn_routers: Vec<u64>,
    /// Closed ROUTER sockets whose connection here is still pending, kept open until the
    /// next bind attaches it (see [`ParkedSocket`]).
    parked: Vec<Arc<ParkedSocket>>,
}

/// A ROUTER socket that was dropped while its inproc connection was pending and others still
/// wait on the endpoint, kept open (not `zmq_close`d) until a bind attaches that connection:
/// the bind (`ctx_t::connect_inproc_sockets`) sends the connector `inproc_connected`, which
/// lets libzmq's reaper free a closed one, and then reads its tag (ctx.cpp:835) to decide
/// whether to write a routing id: a use-after-free when the reaper was quicker (torture
/// `inproc_pending` under ASan). Closed when the last entry holding it goes.
pub(crate) struct ParkedSocket(*mut c_void);

// SAFETY: the socket is used by nobody after it is parked; it is closed once, in Drop, by
// whichever thread drops the last reference, under the book's lock.
unsafe impl Send for ParkedSocket {}
// SAFETY: no method reads the pointer through a shared reference.
unsafe impl Sync for ParkedSocket {}

impl Drop for ParkedSocket {
    fn drop(&mut self) {
        // SAFETY: a live socket handed over by its `Socket`'s Drop, closed exactly once.
        unsafe { sys::zmq_close(self.0) };
    }
}

impl InprocBook {
    /// Records a connect of socket `id` to `endpoint` (called with the book locked around
    /// the `zmq_connect`, so that a concurrent bind cannot slip in between).
    pub(crate) fn connected(&mut self, endpoint: &str, id: u64, router: bool) {
        let entry = self.entries.entry(endpoint.to_owned()).or_default();
        if !entry.connectors.iter().any(|&(c, _)| c == id) {
            entry.connectors.push((id, router));
        }
    }

    /// Whether a PAIR binder (which keeps one pipe and terminates the others as it attaches
    /// them) would refuse the pipe of a live (or parked) ROUTER connector: libzmq then writes
    /// the routing id into the refused pipe and asserts (pipe.cpp:60). `attached`:
    /// the binder may hold a pipe already.
    pub(crate) fn single_pipe_conflict(&self, endpoint: &str, attached: bool) -> bool {
        let Some(e) = self.entries.get(endpoint) else {
            return false;
        };
        let pending = e.connectors.len() + usize::from(e.stale);
        let router = e.connectors.iter().any(|&(_, router)| router) || !e.parked.is_empty();
        router && (attached || pending > 1)
    }

    /// Whether socket `id` is the only live connector waiting on `endpoint`.
    pub(crate) fn sole_connector(&self, endpoint: &str, id: u64) -> Option<bool> {
        let e = self.entries.get(endpoint)?;
        if !e.connectors.iter().any(|&(c, _)| c == id) {
            return None;
        }
        Some(e.connectors.len() == 1)
    }

    /// Socket `id` withdrew its connection to `endpoint` (a disconnect): a pending one is
    /// left in libzmq with a terminated pipe, as if its socket had closed.
    pub(crate) fn withdrawn(&mut self, endpoint: &str, id: u64) {
        if let Some(e) = self.entries.get_mut(endpoint) {
            if e.connectors.contains(&(id, true)) {
                e.withdrawn_routers.push(id);
            }
            e.connectors.retain(|&(c, _)| c != id);
            e.stale = true;
        }
    }

    /// Records a successful bind: every pending connection to `endpoint` is attached now.
    pub(crate) fn bound(&mut self, endpoint: &str) {
        self.entries.remove(endpoint);
    }

    /// Socket `id` bound `endpoint` (and keeps it bound: not a throw-away bind).
    pub(crate) fn bound_by(&mut self, endpoint: &str, id: u64) {
        self.bound.insert(endpoint.to_owned(), id);
    }

    /// Socket `id` is about to unbind `endpoint` (`None`: every endpoint, it is closing).
    pub(crate) fn unbinding(&mut self, endpoint: Option<&str>, id: u64) {
        self.bound
            .retain(|e, &mut b| b != id || endpoint.is_some_and(|ep| ep != e));
    }

    /// Whether a socket of this crate has `endpoint` bound: a connect there is not pending.
    pub(crate) fn is_bound(&self, endpoint: &str) -> bool {
        self.bound.contains_key(endpoint)
    }

    /// Whether a bind of `endpoint` may meet a stale pending connection.
    pub(crate) fn is_stale(&self, endpoint: &str) -> bool {
        self.entries.get(endpoint).is_some_and(|e| e.stale)
    }

    /// Socket `id` is about to be closed. Returns the endpoints it must bind (and unbind)
    /// itself before closing, to attach its own pending connections (and stale ones) while
    /// it is alive: those where it is the last live connector. The others become stale, and
    /// those of a ROUTER are returned second: the socket must be parked there, not closed
    /// (see [`InprocBook::park`]).
    pub(crate) fn closing(&mut self, id: u64) -> (Vec<String>, Vec<String>) {
        let (mut own, mut park) = (Vec::new(), Vec::new());
        for (endpoint, entry) in &mut self.entries {
            let withdrawn = entry.withdrawn_routers.contains(&id);
            entry.withdrawn_routers.retain(|&c| c != id);
            let position = entry.connectors.iter().position(|&(c, _)| c == id);
            let router = match position {
                Some(i) => entry.connectors.swap_remove(i).1,
                None if withdrawn => true,
                None => continue,
            };
            if entry.connectors.is_empty() {
                own.push(endpoint.clone());
            } else {
                entry.stale = true;
                if router {
                    park.push(endpoint.clone());
                }
            }
        }
        (own, park)
    }

    /// Keeps `socket` open in the entries of `endpoints` until each is bound (or the context
    /// shuts down): the last entry to go closes it.
    pub(crate) fn park(&mut self, endpoints: &[String], socket: *mut c_void) {
        let parked = Arc::new(ParkedSocket(socket));
        for endpoint in endpoints {
            if let Some(e) = self.entries.get_mut(endpoint) {
                e.parked.push(Arc::clone(&parked));
            }
        }
    }

    /// Binds (and closes) a DEALER socket on every endpoint with possibly pending
    /// connections, as `zmq_ctx_term` would with a PAIR, but with a typed error instead of
    /// an assert when no socket can be created (and a DEALER keeps every pipe it attaches,
    /// where a PAIR refuses all but one, asserting for a ROUTER connector: pipe.cpp:60). Called before `zmq_ctx_shutdown` / `zmq_ctx_term`, with the context's
    /// write lock held (so no socket of the context connects meanwhile).
    pub(crate) fn resolve_all(&mut self, ctx: *mut c_void) -> crate::Result<()> {
        let endpoints: Vec<String> = self.entries.keys().cloned().collect();
        for endpoint in endpoints {
            let Ok(ep) = CString::new(endpoint.as_str()) else {
                self.entries.remove(&endpoint);
                continue;
            };
            let start = Instant::now();
            let pair = loop {
                // SAFETY: `ctx` is the live context (the caller holds its write lock).
                let s = unsafe { sys::zmq_socket(ctx, sys::ZMQ_DEALER) };
                if !s.is_null() {
                    break s;
                }
                let err = crate::Error::last();
                if err != crate::Error::TooManyOpenFiles || start.elapsed() > SLOT_WAIT {
                    return Err(err);
                }
                std::thread::sleep(Duration::from_millis(1));
            };
            let zero: libc::c_int = 0;
            // SAFETY: `pair` is a fresh socket of this thread; LINGER takes an int; bind
            // takes a NUL-terminated endpoint (EADDRINUSE if someone bound it: nothing is
            // pending then); close ends it.
            unsafe {
                sys::zmq_setsockopt(
                    pair,
                    sys::ZMQ_LINGER,
                    (&zero as *const libc::c_int).cast(),
                    std::mem::size_of::<libc::c_int>(),
                );
                if sys::zmq_bind(pair, ep.as_ptr()) == 0 {
                    sys::zmq_unbind(pair, ep.as_ptr());
                }
                sys::zmq_close(pair);
            }
            self.entries.remove(&endpoint);
        }
        Ok(())
    }
}

/// A reader socket that a dropped [`Monitor`](crate::monitor::Monitor) left connected to
/// its monitor endpoint, so that libzmq's blocking send of the last event (`MONITOR_STOPPED`)
/// still has a peer when the monitored socket stops the monitor.
pub(crate) type ReaderSlot = std::sync::Arc<Mutex<Option<crate::Socket>>>;

/// What a socket remembers for its guards (behind a mutex: thread-safe sockets share it).
#[derive(Default)]
pub(crate) struct SocketState {
    /// The messages libzmq writes into every pipe it attaches, asserting that the write
    /// works: `ZMQ_HELLO_MSG` and `ZMQ_XPUB_WELCOME_MSG`, by option number, when set (see
    /// [`InprocBook`]).
    pub(crate) attach_msgs: Vec<(libc::c_int, Vec<u8>)>,
    /// The endpoint of the running monitor and the socket type that reads it, if it can
    /// block (a PAIR or PUSH monitor; see `Socket::monitor`).
    pub(crate) monitor: Option<(CString, libc::c_int)>,
    /// Where the [`Monitor`](crate::monitor::Monitor) that `monitor_events` made for the
    /// running monitor leaves its socket if it is dropped first (see `ReaderSlot`).
    pub(crate) monitor_reader: Option<ReaderSlot>,
    /// Whether this socket ever connected to an inproc endpoint.
    pub(crate) inproc_connects: bool,
    /// Whether a bind or connect of this socket ever succeeded (it may hold a pipe).
    pub(crate) attached: bool,
    /// A RADIO that connected a udp endpoint: each message it sends becomes a datagram in
    /// libzmq's fixed udp buffer (see `Socket::send_guarded`).
    pub(crate) udp_radio: bool,
    /// The inproc endpoints this socket bound (and did not unbind).
    pub(crate) bound_inproc: Vec<String>,
    /// Whether `ZMQ_PROBE_ROUTER` is on (libzmq cannot read it back).
    pub(crate) probe_router: bool,
    /// The `ZMQ_CONNECT_ROUTING_ID` waiting for the next connect, if any.
    pub(crate) connect_rid: Option<Vec<u8>>,
    /// Connect routing ids already given to connections (without `draft`, where
    /// `zmq_socket_get_peer_state` is missing, a second use is refused outright).
    pub(crate) used_rids: Vec<Vec<u8>>,
    /// A descriptor given with `set_use_fd` that libzmq has not taken over yet.
    #[cfg(unix)]
    pub(crate) use_fd: Option<std::os::fd::OwnedFd>,
    /// A socket given with `set_use_fd` that libzmq has not taken over yet.
    #[cfg(windows)]
    pub(crate) use_fd: Option<std::os::windows::io::OwnedSocket>,
}

/// The transport of an endpoint: what comes before `://` (libzmq compares it as is).
pub(crate) fn transport(endpoint: &str) -> &str {
    endpoint.split_once("://").map_or("", |(t, _)| t)
}

/// Whether this process may bind a udp socket to `device` (`ZMQ_BINDTODEVICE`, non-empty),
/// as libzmq's udp engine does in its I/O thread (`udp_engine_t::plug`): a probe socket
/// tries the same `SO_BINDTODEVICE`. libzmq treats that failure as a connection error and
/// recreates the engine at once, for ever, and the context's termination never ends; so a
/// udp bind or connect with a device the system refuses is refused first, with its error
/// (`NoSuchDevice`, `NotPermitted`).
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) fn probe_bind_to_device(device: &[u8]) -> crate::Result<()> {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    let last_os = || {
        crate::Error::from_errno(
            std::io::Error::last_os_error()
                .raw_os_error()
                .unwrap_or(libc::EINVAL),
        )
    };
    let Ok(len) = libc::socklen_t::try_from(device.len()) else {
        return Err(crate::Error::InvalidArgument);
    };
    let mut fd = -1;
    for family in [libc::AF_INET, libc::AF_INET6] {
        // SAFETY: socket(2) takes no pointers; a result >= 0 is a new descriptor we own.
        fd = unsafe { libc::socket(family, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
        if fd >= 0 {
            break;
        }
    }
    if fd < 0 {
        return Err(last_os());
    }
    // SAFETY: `fd` is a fresh descriptor owned by nothing else; `OwnedFd` closes it.
    let probe = unsafe { OwnedFd::from_raw_fd(fd) };
    // SAFETY: a live descriptor; `device` is readable for `len` bytes (libzmq passes the
    // option's bytes with their length, without a NUL, the same way).
    let rc = unsafe {
        libc::setsockopt(
            probe.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_BINDTODEVICE,
            device.as_ptr().cast(),
            len,
        )
    };
    if rc != 0 {
        return Err(last_os());
    }
    Ok(())
}

/// Without `SO_BINDTODEVICE` libzmq's udp engine fails every non-empty `ZMQ_BINDTODEVICE`
/// (`ENOTSUP`) in its I/O thread and retries for ever: refused up front.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub(crate) fn probe_bind_to_device(_device: &[u8]) -> crate::Result<()> {
    Err(crate::Error::NotSupported)
}
