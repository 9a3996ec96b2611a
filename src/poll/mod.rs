//! Polling: [`poll()`] (`zmq_poll`) over sockets and file descriptors and, with the `draft`
//! feature, `ppoll()` (`zmq_ppoll`, with a signal mask), the `Poller` (`zmq_poller_*`, with
//! typed user data) and the timer sets that tell a poll loop how long to wait ([`timers`],
//! `zmq_timers_*`; also at `zmq4::timers`).
//!
//! # `zmq_poll`
//! Build a [`PollItem`] per socket ([`Socket::as_poll_item`]) or file descriptor
//! ([`PollItem::from_fd`]), call [`poll()`], then read each item's [`revents`](PollItem::revents).
//! An item borrows its socket, so the socket cannot be closed while it is polled.
//!
//! ```
//! use zmq4::poll::{poll, PollEvents};
//! use zmq4::{Context, RecvFlags, SendFlags, SocketType};
//!
//! let ctx = Context::new();
//! let pull = ctx.socket(SocketType::Pull)?;
//! pull.bind("inproc://doc-poll")?;
//! let push = ctx.socket(SocketType::Push)?;
//! push.connect("inproc://doc-poll")?;
//!
//! let mut items = [pull.as_poll_item(PollEvents::POLLIN), push.as_poll_item(PollEvents::POLLOUT)];
//! // Nothing was sent yet: PULL is not readable, PUSH is writable.
//! assert_eq!(poll(&mut items, 0)?, 1);
//! assert!(!items[0].is_readable());
//! assert!(items[1].is_writable());
//!
//! push.send("job", SendFlags::empty())?;
//! // Wait up to a second (-1 would wait forever).
//! assert!(poll(&mut items, 1000)? >= 1);
//! assert!(items[0].is_readable());
//! assert_eq!(pull.recv_bytes(RecvFlags::DONTWAIT)?, b"job");
//! # Ok::<(), zmq4::Error>(())
//! ```
//!
#![cfg_attr(
    feature = "draft",
    doc = r#"
# `zmq_poller` (draft)
A [`Poller`] keeps a registration set between waits and hands back, for each ready item,
the value you registered it with. See its documentation for an example, for how it maps to
libzmq's `user_data`, and for [`Poller::fd`], the descriptor an event loop can watch.
"#
)]
//!
//! # Timeouts and errors
//! Timeouts are in milliseconds; any negative value waits forever (C's `-1`). Every wait fails
//! with [`Error::Interrupted`] when a signal arrives before any event (retry if you like) and
//! with [`Error::ContextTerminated`] when the context of a polled socket is shut down or
//! terminated, even while blocked in another thread.

use crate::error::{check, Error, Result};
use crate::socket::{Socket, ThreadMode};
use crate::sys;
use crate::RawDescriptor;
use libc::{c_int, c_long};
use std::fmt;
use std::marker::PhantomData;

/// The `fd` of a socket item (ignored by libzmq): -1 on Unix, INVALID_SOCKET on Windows.
#[cfg(not(windows))]
pub(crate) const NO_FD: sys::zmq_fd_t = -1;
/// The `fd` of a socket item (ignored by libzmq): -1 on Unix, INVALID_SOCKET on Windows.
#[cfg(windows)]
pub(crate) const NO_FD: sys::zmq_fd_t = !0;

/// A descriptor as libzmq's `zmq_fd_t` (the same type on Unix; on 32-bit Windows a `SOCKET`
/// is 32 bits wide, so a valid `RawSocket` fits).
#[allow(clippy::unnecessary_cast)]
pub(crate) fn to_zmq_fd(fd: RawDescriptor) -> sys::zmq_fd_t {
    fd as sys::zmq_fd_t
}

/// A `zmq_fd_t` as the platform's descriptor type.
#[allow(clippy::unnecessary_cast)]
pub(crate) fn from_zmq_fd(fd: sys::zmq_fd_t) -> RawDescriptor {
    fd as RawDescriptor
}

#[cfg(feature = "draft")]
mod poller;
pub mod timers;
#[cfg(feature = "draft")]
pub use poller::{Accepts, Poller, PollerEvent, PollerKey, ReadyEvent, SharedPoller};

bitflags::bitflags! {
    /// Readiness events of `zmq_poll`, `zmq_poller` and `ZMQ_EVENTS`.
    #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
    pub struct PollEvents: i16 {
        /// `ZMQ_POLLIN`: at least one message can be received without blocking.
        const POLLIN = sys::ZMQ_POLLIN as i16;
        /// `ZMQ_POLLOUT`: at least one message can be sent without blocking.
        const POLLOUT = sys::ZMQ_POLLOUT as i16;
        /// `ZMQ_POLLERR`: an error condition on a file descriptor (never set for sockets).
        const POLLERR = sys::ZMQ_POLLERR as i16;
        /// `ZMQ_POLLPRI`: urgent data on a file descriptor (never set for sockets).
        const POLLPRI = sys::ZMQ_POLLPRI as i16;
    }
}

/// One entry of a [`poll()`] set: a socket or a file descriptor, the events asked for and,
/// after the call, the events that occurred (`zmq_pollitem_t`).
///
/// An item made from a socket borrows it for `'a`, so the socket cannot be closed (dropped)
/// while an item refers to it. The layout is exactly `zmq_pollitem_t`, so a slice of items is
/// passed to libzmq as is.
///
/// A `PollItem` is neither `Send` nor `Sync`: like the socket it may borrow, it belongs to
/// the thread that polls it.
///
/// ```compile_fail
/// use zmq4::poll::{poll, PollEvents};
/// use zmq4::{Context, SocketType};
///
/// let ctx = Context::new();
/// let socket = ctx.socket(SocketType::Pull)?;
/// let mut items = [socket.as_poll_item(PollEvents::POLLIN)];
/// drop(socket); // error: cannot move out of `socket` because it is borrowed
/// poll(&mut items, 0)?;
/// # Ok::<(), zmq4::Error>(())
/// ```
#[repr(transparent)]
#[derive(Clone, Copy)]
pub struct PollItem<'a> {
    raw: sys::zmq_pollitem_t,
    _socket: PhantomData<&'a ()>,
}

impl<'a> PollItem<'a> {
    /// An item polling `socket` for `events` ([`POLLIN`](PollEvents::POLLIN) and/or
    /// [`POLLOUT`](PollEvents::POLLOUT)); same as [`Socket::as_poll_item`].
    pub fn from_socket<M: ThreadMode>(socket: &'a Socket<M>, events: PollEvents) -> PollItem<'a> {
        PollItem {
            raw: sys::zmq_pollitem_t {
                socket: socket.as_raw(),
                fd: NO_FD,
                events: events.bits(),
                revents: 0,
            },
            _socket: PhantomData,
        }
    }

    /// An item polling a file descriptor (a pipe, a TCP socket, an eventfd …) for `events`,
    /// with `poll(2)` meaning: [`POLLIN`](PollEvents::POLLIN), [`POLLOUT`](PollEvents::POLLOUT),
    /// [`POLLPRI`](PollEvents::POLLPRI); [`POLLERR`](PollEvents::POLLERR) is reported whether
    /// asked for or not.
    ///
    /// The descriptor is not borrowed: polling one that was closed is memory-safe (it is
    /// reported with `POLLERR`, or ignored if negative), but it may by then number a
    /// different file.
    ///
    /// On Windows the descriptor is a Winsock `SOCKET` (`RawSocket`): libzmq polls items with
    /// `WSAPoll`, which knows no pipes or files.
    pub fn from_fd(fd: RawDescriptor, events: PollEvents) -> PollItem<'a> {
        PollItem {
            raw: sys::zmq_pollitem_t {
                socket: std::ptr::null_mut(),
                fd: to_zmq_fd(fd),
                events: events.bits(),
                revents: 0,
            },
            _socket: PhantomData,
        }
    }

    /// An item from a raw `zmq_pollitem_t`.
    ///
    /// # Safety
    /// If `raw.socket` is not null it must be a libzmq socket that stays open for `'a` and is
    /// used only by the thread that polls the item (unless the socket is thread-safe).
    pub unsafe fn from_raw(raw: sys::zmq_pollitem_t) -> PollItem<'a> {
        PollItem {
            raw,
            _socket: PhantomData,
        }
    }

    /// The underlying `zmq_pollitem_t`.
    pub fn as_raw(&self) -> &sys::zmq_pollitem_t {
        &self.raw
    }

    /// The events asked for.
    pub fn events(&self) -> PollEvents {
        PollEvents::from_bits_retain(self.raw.events)
    }

    /// Changes the events asked for by the next [`poll()`].
    pub fn set_events(&mut self, events: PollEvents) {
        self.raw.events = events.bits();
    }

    /// The events that occurred in the last [`poll()`] (empty before the first).
    pub fn revents(&self) -> PollEvents {
        PollEvents::from_bits_retain(self.raw.revents)
    }

    /// Whether the last [`poll()`] reported [`POLLIN`](PollEvents::POLLIN): a message (or
    /// bytes) can be received without blocking.
    pub fn is_readable(&self) -> bool {
        self.revents().contains(PollEvents::POLLIN)
    }

    /// Whether the last [`poll()`] reported [`POLLOUT`](PollEvents::POLLOUT): a message (or
    /// bytes) can be sent without blocking.
    pub fn is_writable(&self) -> bool {
        self.revents().contains(PollEvents::POLLOUT)
    }

    /// Whether the last [`poll()`] reported [`POLLERR`](PollEvents::POLLERR) (file
    /// descriptors only).
    pub fn is_error(&self) -> bool {
        self.revents().contains(PollEvents::POLLERR)
    }

    /// The file descriptor of an item made by [`PollItem::from_fd`]; `None` for a socket.
    pub fn fd(&self) -> Option<RawDescriptor> {
        self.raw
            .socket
            .is_null()
            .then_some(from_zmq_fd(self.raw.fd))
    }

    /// Whether this item polls `socket`.
    pub fn is_socket<M: ThreadMode>(&self, socket: &Socket<M>) -> bool {
        self.raw.socket == socket.as_raw()
    }
}

impl fmt::Debug for PollItem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("PollItem");
        match self.fd() {
            Some(fd) => d.field("fd", &fd),
            None => d.field("socket", &self.raw.socket),
        };
        d.field("events", &self.events())
            .field("revents", &self.revents())
            .finish()
    }
}

impl<M: ThreadMode> Socket<M> {
    /// A [`PollItem`] for this socket and `events`, borrowing the socket (see [`poll()`]).
    pub fn as_poll_item(&self, events: PollEvents) -> PollItem<'_> {
        PollItem::from_socket(self, events)
    }

    /// Polls this one socket (`zmq_poll` with one item): waits up to `timeout_ms`
    /// milliseconds (negative: forever) for any of `events` and returns those that occurred,
    /// empty on timeout.
    pub fn poll(&self, events: PollEvents, timeout_ms: i64) -> Result<PollEvents> {
        let mut items = [self.as_poll_item(events)];
        poll(&mut items, timeout_ms)?;
        Ok(items[0].revents())
    }
}

/// Waits for events on sockets and file descriptors (`zmq_poll`) and returns how many items
/// have events in their [`revents`](PollItem::revents).
///
/// `timeout_ms` is in milliseconds: `0` returns at once, any negative value waits until an
/// event occurs. `Ok(0)` means the time ran out. Polling is level-triggered: a socket with a
/// message waiting is reported readable on every call until the message is received.
///
/// # Errors
/// - [`Error::Interrupted`]: a signal arrived before any event; the call may be retried.
/// - [`Error::ContextTerminated`]: the context of a polled socket was shut down or terminated
///   (also while this call is blocked in another thread).
/// - [`Error::InvalidArgument`]: more items than `poll(2)` accepts (the soft
///   `RLIMIT_NOFILE`), which libzmq would abort on. Checked for sets of more than 64 items
///   (the check is a system call); a process with a limit below 64 must keep its sets
///   within it.
///
/// With no items, `poll` sleeps for `timeout_ms` (a negative timeout sleeps until a signal,
/// then fails with [`Error::Interrupted`]). See the [module docs](self) for an example.
pub fn poll(items: &mut [PollItem<'_>], timeout_ms: i64) -> Result<usize> {
    if items.is_empty() {
        return sleep_ms(timeout_ms, None).map(|()| 0);
    }
    check_nfds(items.len())?;
    #[cfg(windows)]
    check_raw_sockets(items)?;
    let n = c_int::try_from(items.len()).map_err(|_| Error::InvalidArgument)?;
    // SAFETY: PollItem is repr(transparent) over zmq_pollitem_t, so the slice is an array of
    // `n` valid items; each socket pointer is a live socket borrowed for the items' lifetime,
    // used from this thread only (PollItem is not Send) or thread-safe. libzmq writes only
    // the `revents` fields.
    let rc = unsafe { sys::zmq_poll(items.as_mut_ptr().cast(), n, c_timeout(timeout_ms)) };
    check(rc).map(|n| n as usize)
}

/// [`poll()`] with a signal mask (`zmq_ppoll`, draft): while waiting, the thread's signal mask
/// is atomically replaced by `sigmask`, as `ppoll(2)`/`pselect(2)` do, so a signal blocked
/// elsewhere can interrupt exactly this wait ([`Error::Interrupted`]). `None` behaves like
/// [`poll()`].
///
/// libzmq implements it with `pselect(2)`, which has limits [`poll()`] does not: at most
/// `FD_SETSIZE` (1024) items, every file descriptor (including each socket's `ZMQ_FD`) below
/// `FD_SETSIZE`, and no thread-safe sockets (they have no `ZMQ_FD`). Items outside these limits
/// fail with [`Error::InvalidArgument`] before libzmq is called; a build without `ppoll`
/// support fails with [`Error::NotSupported`].
///
/// ```
/// use zmq4::poll::{ppoll, PollEvents};
/// use zmq4::{Context, SendFlags, SocketType};
///
/// let ctx = Context::new();
/// let pull = ctx.socket(SocketType::Pull)?;
/// pull.bind("inproc://doc-ppoll")?;
/// let push = ctx.socket(SocketType::Push)?;
/// push.connect("inproc://doc-ppoll")?;
/// push.send("x", SendFlags::empty())?;
///
/// // The signal mask in effect during the wait: here, no signal blocked.
/// // SAFETY: sigemptyset initialises the set.
/// let mask = unsafe {
///     let mut mask = std::mem::zeroed::<libc::sigset_t>();
///     libc::sigemptyset(&mut mask);
///     mask
/// };
/// let mut items = [pull.as_poll_item(PollEvents::POLLIN)];
/// assert_eq!(ppoll(&mut items, 1000, Some(&mask))?, 1);
/// assert!(items[0].is_readable());
/// # Ok::<(), zmq4::Error>(())
/// ```
///
/// Unix only: Windows has no signal masks (libzmq's `zmq_ppoll` there is `zmq_poll`).
#[cfg(all(feature = "draft", unix))]
pub fn ppoll(
    items: &mut [PollItem<'_>],
    timeout_ms: i64,
    sigmask: Option<&libc::sigset_t>,
) -> Result<usize> {
    if items.is_empty() {
        return sleep_ms(timeout_ms, sigmask).map(|()| 0);
    }
    // libzmq's pselect-based zmq_ppoll asserts (aborts) on more than FD_SETSIZE items and
    // indexes fd_sets by descriptor without bounds checks: keep every descriptor in range.
    if items.len() > FD_SETSIZE {
        return Err(Error::InvalidArgument);
    }
    for item in items.iter() {
        let in_range = |fd: RawDescriptor| usize::try_from(fd).is_ok_and(|fd| fd < FD_SETSIZE);
        if item.raw.socket.is_null() {
            // FD_ISSET runs on every raw descriptor, whatever its events.
            if !in_range(item.raw.fd) {
                return Err(Error::InvalidArgument);
            }
        } else {
            let mut fd: sys::zmq_fd_t = -1;
            let mut len = std::mem::size_of::<sys::zmq_fd_t>();
            // SAFETY: a live socket (borrowed by the item); `fd` is writable for `len` bytes.
            check(unsafe {
                sys::zmq_getsockopt(
                    item.raw.socket,
                    sys::ZMQ_FD,
                    (&mut fd as *mut sys::zmq_fd_t).cast(),
                    &mut len,
                )
            })?;
            if item.raw.events != 0 && !in_range(fd) {
                return Err(Error::InvalidArgument);
            }
        }
    }
    let n = items.len() as c_int; // at most FD_SETSIZE
    let mask = sigmask.map_or(std::ptr::null(), |m| m as *const libc::sigset_t);
    // SAFETY: as in `poll`: a valid array of `n` items whose sockets are live and usable from
    // this thread; every descriptor libzmq puts in an fd_set was checked to be below
    // FD_SETSIZE above. `mask` is null or points to a valid sigset_t that libzmq only reads.
    let rc = unsafe { sys::zmq_ppoll(items.as_mut_ptr().cast(), n, c_timeout(timeout_ms), mask) };
    check(rc).map(|n| n as usize)
}

#[cfg(all(feature = "draft", unix))]
#[allow(clippy::unnecessary_cast)] // usize on Linux, c_int on some other Unixes
const FD_SETSIZE: usize = libc::FD_SETSIZE as usize;

/// The longest timeout handed to libzmq, in milliseconds. Some of its paths compute
/// `timeout * 1000` (microseconds) in a C `long`; capping keeps that from overflowing. The cap
/// is about 292,000 years on 64-bit targets, 24 days on 32-bit ones.
#[allow(clippy::unnecessary_cast)] // c_long is i64 on LP64, i32 on 32-bit targets
const MAX_TIMEOUT_MS: i64 = (c_long::MAX / 1000) as i64;

/// A millisecond timeout as libzmq's `long`: negative becomes `-1` (forever), large values are
/// capped at [`MAX_TIMEOUT_MS`].
pub(crate) fn c_timeout(timeout_ms: i64) -> c_long {
    if timeout_ms < 0 {
        -1
    } else {
        timeout_ms.min(MAX_TIMEOUT_MS) as c_long
    }
}

/// Poll sets up to this size skip [`check_nfds`]'s `getrlimit` call, which would cost about
/// half of a small `zmq_poll`; a process whose `RLIMIT_NOFILE` is below it is not supported.
#[cfg(unix)]
const NFDS_CHECK_ABOVE: usize = 64;

/// Fails with `EINVAL` if `poll(2)` would reject `n` descriptors (more than the soft
/// `RLIMIT_NOFILE`): libzmq treats that `poll` failure as fatal and aborts. Checked only
/// for sets larger than [`NFDS_CHECK_ABOVE`].
#[cfg(unix)]
#[allow(clippy::unnecessary_cast)] // rlim_t is u64 on Linux, not everywhere
pub(crate) fn check_nfds(n: usize) -> Result<()> {
    if n <= NFDS_CHECK_ABOVE {
        return Ok(());
    }
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one rlimit through a valid pointer.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0
        && u64::try_from(n).unwrap_or(u64::MAX) > limit.rlim_cur as u64
    {
        return Err(Error::InvalidArgument);
    }
    Ok(())
}

/// Windows: `WSAPoll` has no descriptor limit of its own that libzmq would abort on.
#[cfg(windows)]
pub(crate) fn check_nfds(_n: usize) -> Result<()> {
    Ok(())
}

/// Windows: every raw item must be a live Winsock socket. WSAPoll fails the whole call on one
/// that is not (where poll(2) reports POLLNVAL), and libzmq aborts the process on that
/// failure; an `SO_TYPE` query per raw item turns it into [`Error::NotSocket`].
#[cfg(windows)]
fn check_raw_sockets(items: &[PollItem<'_>]) -> Result<()> {
    #[link(name = "ws2_32")]
    extern "system" {
        fn getsockopt(
            s: usize,
            level: c_int,
            name: c_int,
            value: *mut u8,
            len: *mut c_int,
        ) -> c_int;
    }
    const SOL_SOCKET: c_int = 0xffff;
    const SO_TYPE: c_int = 0x1008;
    for item in items.iter().filter(|i| i.raw.socket.is_null()) {
        let mut ty: c_int = 0;
        let mut len = std::mem::size_of::<c_int>() as c_int;
        // SAFETY: `ty` is writable for `len` bytes; on a value that is not a socket
        // getsockopt fails (WSAENOTSOCK) without touching anything.
        let rc = unsafe {
            getsockopt(
                item.raw.fd,
                SOL_SOCKET,
                SO_TYPE,
                (&mut ty as *mut c_int).cast(),
                &mut len,
            )
        };
        if rc != 0 {
            return Err(Error::NotSocket);
        }
    }
    Ok(())
}

/// Windows: libzmq's `zmq_poll` over no items is a `Sleep` (forever when negative).
#[cfg(windows)]
fn sleep_ms(timeout_ms: i64, _no_sigmask: Option<&()>) -> Result<()> {
    // SAFETY: no items: libzmq reads no array.
    check(unsafe { sys::zmq_poll(std::ptr::null_mut(), 0, c_timeout(timeout_ms)) }).map(drop)
}

/// Sleeps like a `poll`/`pselect` over no descriptors: `timeout_ms` milliseconds (negative:
/// until a signal), with `sigmask` as the signal mask meanwhile. A signal ends it with
/// [`Error::Interrupted`].
#[cfg(unix)]
fn sleep_ms(timeout_ms: i64, sigmask: Option<&libc::sigset_t>) -> Result<()> {
    if timeout_ms == 0 {
        return Ok(());
    }
    let spec;
    let timeout = if timeout_ms < 0 {
        std::ptr::null()
    } else {
        spec = libc::timespec {
            tv_sec: libc::time_t::try_from(timeout_ms / 1000).unwrap_or(libc::time_t::MAX),
            tv_nsec: ((timeout_ms % 1000) * 1_000_000) as _,
        };
        &spec as *const libc::timespec
    };
    let mask = sigmask.map_or(std::ptr::null(), |m| m as *const libc::sigset_t);
    // SAFETY: no descriptor sets (nfds 0, null sets); `timeout` is null or points to `spec`,
    // alive until the call returns; `mask` is null or a valid sigset_t, only read.
    let rc = unsafe {
        libc::pselect(
            0,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            timeout,
            mask,
        )
    };
    check(rc).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poll_item_is_a_zmq_pollitem_t() {
        assert_eq!(
            std::mem::size_of::<PollItem<'_>>(),
            std::mem::size_of::<sys::zmq_pollitem_t>()
        );
        assert_eq!(
            std::mem::align_of::<PollItem<'_>>(),
            std::mem::align_of::<sys::zmq_pollitem_t>()
        );
    }

    #[test]
    fn timeouts_are_normalised() {
        assert_eq!(c_timeout(-1), -1);
        assert_eq!(c_timeout(i64::MIN), -1);
        assert_eq!(c_timeout(0), 0);
        assert_eq!(c_timeout(250), 250);
        assert_eq!(c_timeout(i64::MAX), MAX_TIMEOUT_MS as c_long);
    }

    #[test]
    #[cfg_attr(miri, ignore = "calls libzmq or the OS, which Miri cannot run")]
    fn empty_poll_sleeps_for_its_timeout() {
        assert_eq!(poll(&mut [], 0), Ok(0));
        let start = std::time::Instant::now();
        assert_eq!(poll(&mut [], 20), Ok(0));
        assert!(start.elapsed() >= std::time::Duration::from_millis(20));
    }

    #[cfg(unix)] // RLIMIT_NOFILE; WSAPoll has no such limit
    #[test]
    #[cfg_attr(miri, ignore = "calls libzmq or the OS, which Miri cannot run")]
    fn nfds_beyond_the_limit_is_refused() {
        assert_eq!(check_nfds(1), Ok(()));
        assert_eq!(check_nfds(NFDS_CHECK_ABOVE + 1), Ok(()));
        assert_eq!(check_nfds(usize::MAX), Err(Error::InvalidArgument));
    }
}
