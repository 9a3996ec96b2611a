//! [`Socket`]: libzmq's `void *socket`, its types, endpoints, and sending and receiving.
//!
//! ```
//! use zmq4::{Context, RecvFlags, SendFlags, SocketType};
//!
//! let ctx = Context::new();
//! let rep = ctx.socket(SocketType::Rep)?;
//! rep.bind("inproc://doc-socket")?;
//! let req = ctx.socket(SocketType::Req)?;
//! req.connect("inproc://doc-socket")?;
//!
//! req.send("hello", SendFlags::empty())?;
//! assert_eq!(rep.recv_bytes(RecvFlags::empty())?, b"hello");
//! rep.send("world", SendFlags::empty())?;
//! assert_eq!(req.recv_bytes(RecvFlags::empty())?, b"world");
//! # Ok::<(), zmq4::Error>(())
//! ```

use crate::context::{Context, ContextInner};
use crate::error::{check, check_io, Error, Result};
use crate::guard::{lock, next_socket_id, transport, SocketState};
use crate::message::{FrameError, FrameValue, Message};
use crate::sys;
use libc::{c_int, c_void, size_t};
use std::ffi::CString;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

macro_rules! socket_types {
    ($( $(#[doc = $doc:literal])* [$($cfg:meta)?] $variant:ident = $raw:ident, $thread_safe:expr; )*) => {
        /// The 21 libzmq socket types (`ZMQ_PAIR` … `ZMQ_CHANNEL`); the last nine are DRAFT
        /// API and need the `draft` feature.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        #[non_exhaustive]
        pub enum SocketType {
            $( $(#[doc = $doc])* $(#[cfg($cfg)])? $variant, )*
        }

        impl SocketType {
            /// Every socket type this build knows.
            pub const ALL: &'static [SocketType] = &[$( $(#[cfg($cfg)])? SocketType::$variant, )*];

            /// The C constant (`ZMQ_PAIR`, …).
            pub fn to_raw(self) -> i32 {
                match self {
                    $( $(#[cfg($cfg)])? SocketType::$variant => sys::$raw, )*
                }
            }

            /// The socket type for a C constant, if it is one this build knows.
            pub fn from_raw(raw: i32) -> Option<SocketType> {
                match raw {
                    $( $(#[cfg($cfg)])? sys::$raw => Some(SocketType::$variant), )*
                    _ => None,
                }
            }

            /// Whether libzmq lets several threads use one socket of this type at once
            /// (see [`Context::shared_socket`]).
            pub fn is_thread_safe(self) -> bool {
                match self {
                    $( $(#[cfg($cfg)])? SocketType::$variant => $thread_safe, )*
                }
            }

            /// The name libzmq uses in ZMTP metadata (`"PAIR"`, `"ROUTER"`, …).
            pub fn name(self) -> &'static str {
                match self {
                    $( $(#[cfg($cfg)])? SocketType::$variant => &stringify!($raw)[4..], )*
                }
            }
        }
    };
}

socket_types! {
    /// `ZMQ_PAIR`: exclusive pair.
    [] Pair = ZMQ_PAIR, false;
    /// `ZMQ_PUB`: publisher.
    [] Pub = ZMQ_PUB, false;
    /// `ZMQ_SUB`: subscriber.
    [] Sub = ZMQ_SUB, false;
    /// `ZMQ_REQ`: requester (strict send/recv alternation).
    [] Req = ZMQ_REQ, false;
    /// `ZMQ_REP`: replier (strict recv/send alternation).
    [] Rep = ZMQ_REP, false;
    /// `ZMQ_DEALER`: asynchronous requester, load-balancing.
    [] Dealer = ZMQ_DEALER, false;
    /// `ZMQ_ROUTER`: asynchronous replier, routing by identity frame.
    [] Router = ZMQ_ROUTER, false;
    /// `ZMQ_PULL`: pipeline receiver, fair-queued.
    [] Pull = ZMQ_PULL, false;
    /// `ZMQ_PUSH`: pipeline sender, load-balanced.
    [] Push = ZMQ_PUSH, false;
    /// `ZMQ_XPUB`: publisher that sees subscriptions.
    [] XPub = ZMQ_XPUB, false;
    /// `ZMQ_XSUB`: subscriber that sends subscriptions as messages.
    [] XSub = ZMQ_XSUB, false;
    /// `ZMQ_STREAM`: raw TCP peers, identity frame then data.
    [] Stream = ZMQ_STREAM, false;
    /// `ZMQ_SERVER` (draft, thread-safe): replies to CLIENTs by routing id.
    [feature = "draft"] Server = ZMQ_SERVER, true;
    /// `ZMQ_CLIENT` (draft, thread-safe): talks to SERVERs.
    [feature = "draft"] Client = ZMQ_CLIENT, true;
    /// `ZMQ_RADIO` (draft, thread-safe): publishes to groups.
    [feature = "draft"] Radio = ZMQ_RADIO, true;
    /// `ZMQ_DISH` (draft, thread-safe): joins groups.
    [feature = "draft"] Dish = ZMQ_DISH, true;
    /// `ZMQ_GATHER` (draft, thread-safe): fair-queued single-part receiver.
    [feature = "draft"] Gather = ZMQ_GATHER, true;
    /// `ZMQ_SCATTER` (draft, thread-safe): load-balanced single-part sender.
    [feature = "draft"] Scatter = ZMQ_SCATTER, true;
    /// `ZMQ_DGRAM` (draft): UDP datagrams, address frame then data.
    [feature = "draft"] Dgram = ZMQ_DGRAM, false;
    /// `ZMQ_PEER` (draft, thread-safe): peer-to-peer with routing ids ([`Socket::connect_peer`]).
    [feature = "draft"] Peer = ZMQ_PEER, true;
    /// `ZMQ_CHANNEL` (draft, thread-safe): thread-safe exclusive pair.
    [feature = "draft"] Channel = ZMQ_CHANNEL, true;
}

bitflags::bitflags! {
    /// Flags of `zmq_send`/`zmq_msg_send`.
    #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
    pub struct SendFlags: i32 {
        /// `ZMQ_DONTWAIT`: fail with [`Error::WouldBlock`] instead of blocking.
        const DONTWAIT = sys::ZMQ_DONTWAIT;
        /// `ZMQ_SNDMORE`: more frames of this multipart message follow.
        const SNDMORE = sys::ZMQ_SNDMORE;
    }

    /// Flags of `zmq_recv`/`zmq_msg_recv`.
    #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
    pub struct RecvFlags: i32 {
        /// `ZMQ_DONTWAIT`: fail with [`Error::WouldBlock`] instead of blocking.
        const DONTWAIT = sys::ZMQ_DONTWAIT;
    }
}

mod sealed {
    pub trait Sealed {}
}

/// Whether a [`Socket`] may be used by several threads at once: [`Exclusive`] or [`Shared`].
pub trait ThreadMode: sealed::Sealed + 'static {}

/// Marker of a socket used by one thread at a time (`Send`, not `Sync`): every classic
/// socket type, as libzmq requires.
#[derive(Debug)]
pub enum Exclusive {}

/// Marker of a thread-safe draft socket (`Send + Sync`), made by [`Context::shared_socket`].
#[derive(Debug)]
pub enum Shared {}

impl sealed::Sealed for Exclusive {}
impl sealed::Sealed for Shared {}
impl ThreadMode for Exclusive {}
impl ThreadMode for Shared {}

/// A thread-safe socket (CLIENT, SERVER, RADIO, DISH, SCATTER, GATHER, PEER, CHANNEL).
pub type SharedSocket = Socket<Shared>;

/// A libzmq socket. Closed (`zmq_close`, honouring `ZMQ_LINGER`) when dropped.
///
/// A `Socket` (= `Socket<Exclusive>`) is `Send` but not `Sync`; a [`SharedSocket`] is both.
/// Every socket keeps its [`Context`] alive.
pub struct Socket<M: ThreadMode = Exclusive> {
    pub(crate) raw: *mut c_void,
    /// Process-unique id, for the context's inproc book.
    pub(crate) id: u64,
    /// The socket type's C constant.
    pub(crate) kind: c_int,
    /// A DGRAM or RADIO socket: its sends take the guarded path (see [`crate::aborts`]).
    pub(crate) guarded_send: bool,
    /// What the guards of [`crate::aborts`] remember about this socket.
    pub(crate) state: Mutex<SocketState>,
    // Dropped after `raw` is closed (fields drop in order, after Drop::drop).
    pub(crate) _ctx: Arc<ContextInner>,
    pub(crate) _mode: PhantomData<M>,
}

// SAFETY: libzmq sockets may migrate between threads with a full memory barrier between uses
// (zmq_socket(3)); moving a value to another thread provides one.
unsafe impl<M: ThreadMode> Send for Socket<M> {}
// SAFETY: only thread-safe socket types become Socket<Shared> (checked in
// Context::shared_socket); libzmq serialises concurrent calls on them internally.
unsafe impl Sync for Socket<Shared> {}

/// The outcome of [`Socket::recv_into`]: how many bytes were copied and how long the message
/// was. A longer message than the buffer is truncated, as `zmq_recv` does.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Received {
    /// Bytes written into the buffer.
    pub copied: usize,
    /// The message's full size.
    pub size: usize,
}

impl Received {
    /// Whether the message did not fit and was cut to the buffer's length.
    pub fn truncated(&self) -> bool {
        self.size > self.copied
    }
}

/// Bytes of a string that [`with_c_str`] copies on the stack; longer ones are allocated.
const C_STR_STACK: usize = 128;

/// Calls `f` with `s` as a NUL-terminated C string: copied into a stack buffer when short
/// (every endpoint, group and property name in practice), so `bind`, `connect`,
/// `Message::set_group` and the like allocate nothing. A string with a NUL inside is
/// [`Error::InvalidArgument`].
/// A process-unique `inproc://` endpoint for the crate's own plumbing (`purpose` names it:
/// monitors, the authenticator's and the steerable proxy's control pairs), so that two
/// contexts, or two uses in one, never meet at one name.
pub(crate) fn unique_inproc_endpoint(purpose: &str) -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    format!(
        "inproc://zmq4.{purpose}.{}.{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    )
}

pub(crate) fn with_c_str<R>(s: &str, f: impl FnOnce(*const std::ffi::c_char) -> R) -> Result<R> {
    let bytes = s.as_bytes();
    if bytes.contains(&0) {
        return Err(Error::InvalidArgument);
    }
    if bytes.len() < C_STR_STACK {
        let mut buf = [0u8; C_STR_STACK];
        buf[..bytes.len()].copy_from_slice(bytes);
        // The rest of `buf` is zero, so the copy is NUL-terminated.
        Ok(f(buf.as_ptr().cast()))
    } else {
        let owned = CString::new(s).map_err(|_| Error::InvalidArgument)?;
        Ok(f(owned.as_ptr()))
    }
}

/// [`with_c_str`] around a libzmq call that returns 0, or -1 with `errno` set.
pub(crate) fn check_with_c_str(
    s: &str,
    f: impl FnOnce(*const std::ffi::c_char) -> libc::c_int,
) -> Result<()> {
    with_c_str(s, |p| check(f(p)))?.map(drop)
}

impl<M: ThreadMode> Socket<M> {
    pub(crate) fn new(ctx: &Context, socket_type: SocketType) -> Result<Socket<M>> {
        let raw = ctx.inner.with_raw(|ctx_raw| {
            // SAFETY: a live context pointer; zmq_socket validates the type.
            let raw = unsafe { sys::zmq_socket(ctx_raw, socket_type.to_raw()) };
            if raw.is_null() {
                Err(Error::last())
            } else {
                Ok(raw)
            }
        })?;
        let kind = socket_type.to_raw();
        Ok(Socket {
            raw,
            id: next_socket_id(),
            kind,
            guarded_send: guarded_send(kind),
            state: Mutex::new(SocketState::default()),
            _ctx: Arc::clone(&ctx.inner),
            _mode: PhantomData,
        })
    }

    /// Whether this is a DGRAM socket (its sends are guarded, see [`crate::aborts`]).
    pub(crate) fn is_dgram(&self) -> bool {
        self.kind == DGRAM
    }

    /// The raw `void *` socket for use with [`crate::sys`]; valid while `self` lives.
    #[inline]
    pub fn as_raw(&self) -> *mut c_void {
        self.raw
    }

    /// The context this socket belongs to.
    pub fn context(&self) -> Context {
        Context {
            inner: Arc::clone(&self._ctx),
        }
    }

    /// Accepts connections on an endpoint (`zmq_bind`): `tcp://127.0.0.1:5555`,
    /// `tcp://*:*`, `ipc:///tmp/sock`, `inproc://name`, `udp://…`, `ws://…`.
    ///
    /// On a socket with a monitor subscribed to `BIND_FAILED`, libzmq 4.3.5 publishes that
    /// event before returning, and the send overwrites errno: a failed bind then reports
    /// [`Error::WouldBlock`], and the event carries the real error.
    ///
    /// A descriptor given with [`Socket::set_use_fd`] is used by the first successful bind
    /// to a `tcp://`, `ws://` or `ipc://` endpoint (the endpoint's transport must match the
    /// descriptor's address family, else [`Error::InvalidArgument`]); libzmq owns it from
    /// then on, and `use_fd()` reads -1 again.
    ///
    /// A STREAM socket or a thread-safe one (CLIENT, SERVER, RADIO, DISH, SCATTER, GATHER,
    /// PEER, CHANNEL) over `inproc://` is [`Error::IncompatibleProtocol`] (see
    /// [`crate::aborts`]), here and in [`Socket::connect`]: libzmq 4.3.5 can deadlock two
    /// thread-safe sockets joined over inproc; use `ipc://` or `tcp://` for them.
    pub fn bind(&self, endpoint: &str) -> Result<()> {
        let transport = transport(endpoint);
        if transport == "inproc" {
            self.check_inproc_type()?;
            return self.bind_inproc(endpoint);
        }
        let mut state = lock(&self.state);
        if state.use_fd.is_some() && matches!(transport, "tcp" | "ws" | "wss" | "ipc") {
            return self.bind_use_fd(&mut state, endpoint, transport);
        }
        if transport == "udp" && matches!(self.kind, DGRAM | DISH) {
            // The state lock stays held, so that no thread changes ZMQ_BINDTODEVICE
            // between the check and the bind (see `setsockopt_raw`).
            self.check_udp_device()?;
            self.zmq_bind(endpoint)?;
            state.attached = true;
            return Ok(());
        }
        drop(state);
        self.bind_raw(endpoint)
    }

    /// Before a udp bind (DGRAM, DISH) or connect (RADIO), with the state lock held:
    /// libzmq applies `ZMQ_BINDTODEVICE` in its I/O thread, and when the system refuses it
    /// the udp engine is recreated at once, for ever, and the context never terminates
    /// (see [`crate::aborts`]). A device the system refuses is refused here, with its error.
    fn check_udp_device(&self) -> Result<()> {
        let mut device = [0u8; 64];
        // SAFETY: a live socket; `device` is writable for its length (libzmq's option is
        // at most 16 bytes and a NUL).
        let len = unsafe {
            self.getsockopt_raw(
                sys::ZMQ_BINDTODEVICE,
                device.as_mut_ptr().cast(),
                device.len(),
            )
        }?;
        // libzmq stores the value with a NUL after it.
        let device = &device[..len.saturating_sub(1).min(device.len())];
        if device.is_empty() {
            return Ok(());
        }
        crate::guard::probe_bind_to_device(device)
    }

    fn bind_raw(&self, endpoint: &str) -> Result<()> {
        self.zmq_bind(endpoint)?;
        lock(&self.state).attached = true;
        Ok(())
    }

    /// `zmq_bind` alone (no bookkeeping: callers holding the state lock use it).
    fn zmq_bind(&self, endpoint: &str) -> Result<()> {
        check_with_c_str(endpoint, |ep| {
            // SAFETY: a live socket and a NUL-terminated endpoint.
            unsafe { sys::zmq_bind(self.raw, ep) }
        })
    }

    /// A bind that uses the descriptor of [`Socket::set_use_fd`]: libzmq takes it without
    /// looking at the endpoint, so the endpoint's transport must fit the descriptor's family
    /// (a tcp listener sets TCP options on it); once bound, libzmq owns it, and the option
    /// is reset so that a second bind cannot use (and later close) it again.
    fn bind_use_fd(
        &self,
        state: &mut std::sync::MutexGuard<'_, SocketState>,
        endpoint: &str,
        transport: &str,
    ) -> Result<()> {
        #[cfg(unix)]
        if let Some(fd) = state.use_fd.as_ref() {
            let family = crate::options::value::listener_family(fd)?;
            let fits = if transport == "ipc" {
                family == libc::AF_UNIX
            } else {
                family == libc::AF_INET || family == libc::AF_INET6
            };
            if !fits {
                return Err(Error::InvalidArgument);
            }
        }
        #[cfg(not(unix))]
        let _ = transport;
        self.zmq_bind(endpoint)?;
        state.attached = true;
        if let Some(fd) = state.use_fd.take() {
            // libzmq's listener owns the descriptor now and closes it.
            #[cfg(unix)]
            let _ = std::os::fd::IntoRawFd::into_raw_fd(fd);
            #[cfg(windows)]
            let _ = std::os::windows::io::IntoRawSocket::into_raw_socket(fd);
        }
        let none: c_int = -1;
        // SAFETY: a live socket; ZMQ_USE_FD takes an int.
        unsafe {
            self.setsockopt_raw(
                sys::ZMQ_USE_FD,
                (&none as *const c_int).cast(),
                std::mem::size_of::<c_int>(),
            )
        }
    }

    /// An inproc bind attaches every pending connection to the endpoint; with a
    /// `ZMQ_HELLO_MSG` (or an XPUB's `ZMQ_XPUB_WELCOME_MSG`) set, libzmq writes it into each,
    /// asserting that the pipe takes it (pipe.cpp:71, xpub.cpp:63), which a stale one (its
    /// connecting socket closed) does not. When the book says one may be stale, the socket
    /// binds with those messages cleared (the connections pending at that moment get none),
    /// unbinds, and binds again with them (libzmq keeps a copy of the binder's options per
    /// inproc endpoint, used by later connects). Inproc connects of the context wait for
    /// the book meanwhile.
    fn bind_inproc(&self, endpoint: &str) -> Result<()> {
        let mut book = lock(&self._ctx.book);
        let (msgs, attached) = {
            let state = lock(&self.state);
            (state.attach_msgs.clone(), state.attached)
        };
        if book.sole_connector(endpoint, self.id).is_some() {
            // Connected to itself: libzmq's load balancer then indexes out of bounds
            // (lb.cpp `activated`, a heap-buffer-overflow under AddressSanitizer).
            return Err(Error::InvalidArgument);
        }
        if self.kind == sys::ZMQ_PAIR && book.single_pipe_conflict(endpoint, attached) {
            // A PAIR takes one peer: the pending ROUTER connections it would refuse make
            // libzmq assert (pipe.cpp:60). (CHANNEL, the other, refuses inproc.)
            return Err(Error::InvalidState);
        }
        let r = if !msgs.is_empty() && book.is_stale(endpoint) {
            for (option, _) in &msgs {
                self.setsockopt_untracked(*option, &[])?;
            }
            let first = self.bind_raw(endpoint);
            if first.is_ok() {
                self.zmq_unbind(endpoint)?;
            }
            for (option, value) in &msgs {
                self.setsockopt_untracked(*option, value)?;
            }
            first.and_then(|()| self.bind_raw(endpoint))
        } else {
            self.bind_raw(endpoint)
        };
        if r.is_ok() {
            book.bound(endpoint);
            book.bound_by(endpoint, self.id);
            lock(&self.state).bound_inproc.push(endpoint.to_owned());
        }
        r
    }

    /// The socket types that may not use inproc (see [`crate::aborts`]): STREAM, which talks
    /// to raw tcp/ipc peers (inproc never checks the peer's type, and a peer's multipart
    /// message reaches an assert in stream.cpp `xrecv`/`xhas_in`), and the thread-safe
    /// types (two of them joined over inproc can deadlock: their mailboxes share the socket
    /// mutex, which libzmq holds while it posts into the peer's mailbox).
    fn check_inproc_type(&self) -> Result<()> {
        if self.kind == sys::ZMQ_STREAM
            || SocketType::from_raw(self.kind).is_some_and(SocketType::is_thread_safe)
        {
            return Err(Error::IncompatibleProtocol);
        }
        Ok(())
    }

    /// Connects to an inproc endpoint with the context's book locked (see
    /// [`crate::aborts`]); fails with [`Error::ContextTerminated`] once termination began.
    fn connect_inproc<R>(&self, endpoint: &str, connect: impl FnOnce() -> Result<R>) -> Result<R> {
        self._ctx.with_raw(|_| {
            let mut book = lock(&self._ctx.book);
            if lock(&self.state).bound_inproc.iter().any(|e| e == endpoint) {
                // Connected to itself: see `bind_inproc`.
                return Err(Error::InvalidArgument);
            }
            // A pending connection's pipe has this socket's SNDHWM alone as its limit:
            // with 1, the hello written at connect fills it, the router probe that the
            // attach writes next finds it full and marks it unwritable, while the DEALER,
            // REQ, ROUTER or REP has just counted it writable; the "writable again" that
            // follows once the binder reads activates it a second time (lb.cpp
            // `activated` past the end of its array, then `sendpipe` through a bad pipe;
            // socket_base.cpp:2088 for a ROUTER or REP). libzmq drops that probe anyway
            // (the pipe is full): the connect runs without it.
            let skip_probe = {
                let state = lock(&self.state);
                state.probe_router && state.attach_msgs.iter().any(|(o, _)| *o == HELLO_MSG)
            } && !book.is_bound(endpoint)
                && self.sndhwm().is_ok_and(|h| h == 1);
            let off: c_int = 0;
            let on: c_int = 1;
            if skip_probe {
                self.setsockopt_untracked(sys::ZMQ_PROBE_ROUTER, &off.to_ne_bytes())?;
            }
            let r = connect();
            if skip_probe {
                self.setsockopt_untracked(sys::ZMQ_PROBE_ROUTER, &on.to_ne_bytes())?;
            }
            let r = r?;
            book.connected(endpoint, self.id, self.routing());
            let mut state = lock(&self.state);
            state.inproc_connects = true;
            state.attached = true;
            Ok(r)
        })
    }

    /// Connects to an endpoint (`zmq_connect`); the connection is made in the background.
    ///
    /// The socket types [`Socket::bind`] refuses over `inproc://` are refused here too.
    pub fn connect(&self, endpoint: &str) -> Result<()> {
        self.check_connect_rid()?;
        let connect = || {
            check_with_c_str(endpoint, |ep| {
                // SAFETY: a live socket and a NUL-terminated endpoint.
                unsafe { sys::zmq_connect(self.raw, ep) }
            })?;
            self.connect_rid_used();
            Ok(())
        };
        if transport(endpoint) == "inproc" {
            self.check_inproc_type()?;
            self.connect_inproc(endpoint, connect)
        } else if transport(endpoint) == "udp" && self.kind == RADIO {
            // As in `bind`: the state lock is held from the device check to the connect.
            let mut state = lock(&self.state);
            self.check_udp_device()?;
            check_with_c_str(endpoint, |ep| {
                // SAFETY: a live socket and a NUL-terminated endpoint.
                unsafe { sys::zmq_connect(self.raw, ep) }
            })?;
            state.attached = true;
            state.udp_radio = true;
            drop(state);
            self.connect_rid_used();
            Ok(())
        } else {
            connect()?;
            lock(&self.state).attached = true;
            Ok(())
        }
    }

    /// Stops accepting on an endpoint (`zmq_unbind`); use the resolved endpoint
    /// (`last_endpoint`) for wildcards.
    ///
    /// On an inproc endpoint this socket did not bind, libzmq drops this socket's
    /// connections to it instead, as [`Socket::disconnect`] does (with the same guard).
    pub fn unbind(&self, endpoint: &str) -> Result<()> {
        if transport(endpoint) == "inproc" {
            self.withdraw_inproc(endpoint)?;
            // Before libzmq drops it (see `InprocBook::bound`).
            lock(&self._ctx.book).unbinding(Some(endpoint), self.id);
        }
        self.zmq_unbind(endpoint)?;
        lock(&self.state).bound_inproc.retain(|e| e != endpoint);
        Ok(())
    }

    /// `zmq_unbind` alone.
    fn zmq_unbind(&self, endpoint: &str) -> Result<()> {
        check_with_c_str(endpoint, |ep| {
            // SAFETY: a live socket and a NUL-terminated endpoint.
            unsafe { sys::zmq_unbind(self.raw, ep) }
        })
    }

    /// Drops a connection made with [`Socket::connect`] (`zmq_disconnect`).
    ///
    /// An inproc connection still pending (nobody bound the endpoint yet) cannot be
    /// withdrawn from libzmq: the socket first binds the endpoint itself to attach it, when
    /// no other socket waits there. A ROUTER whose pending connection shares the endpoint
    /// with other waiting sockets gets [`Error::InvalidState`] (libzmq would later write
    /// its routing id into the dropped pipe and abort, see [`crate::aborts`]).
    pub fn disconnect(&self, endpoint: &str) -> Result<()> {
        let disconnect = || {
            check_with_c_str(endpoint, |ep| {
                // SAFETY: a live socket and a NUL-terminated endpoint.
                unsafe { sys::zmq_disconnect(self.raw, ep) }
            })
        };
        if transport(endpoint) == "inproc" {
            self.withdraw_inproc(endpoint)?;
        }
        disconnect()
    }

    /// Before this socket drops its connections to an inproc endpoint (disconnect, or
    /// unbind of an endpoint it did not bind): a pending one would stay in libzmq with a
    /// dropped pipe, into which a later bind writes a routing id or hello and asserts.
    fn withdraw_inproc(&self, endpoint: &str) -> Result<()> {
        let mut book = lock(&self._ctx.book);
        match book.sole_connector(endpoint, self.id) {
            Some(true) => match self.bind_throwaway(endpoint) {
                Some(true) => book.bound(endpoint),
                Some(false) => book.withdrawn(endpoint, self.id),
                None => {
                    for (option, _) in lock(&self.state).attach_msgs.clone() {
                        let _ = self.setsockopt_untracked(option, &[]);
                    }
                    let bound = self.zmq_bind(endpoint).is_ok();
                    if bound {
                        book.bound(endpoint);
                        let _ = self.zmq_unbind(endpoint);
                    }
                    for (option, value) in lock(&self.state).attach_msgs.clone() {
                        let _ = self.setsockopt_untracked(option, &value);
                    }
                    if !bound {
                        book.withdrawn(endpoint, self.id);
                    }
                }
            },
            Some(false) if self.routing() => return Err(Error::InvalidState),
            Some(false) => book.withdrawn(endpoint, self.id),
            None => {}
        }
        Ok(())
    }

    /// Whether libzmq gives this socket's peers its routing id frames (`recv_routing_id`:
    /// ROUTER and REP, which is built on it).
    fn routing(&self) -> bool {
        self.kind == sys::ZMQ_ROUTER || self.kind == sys::ZMQ_REP
    }

    /// ROUTER and STREAM: libzmq asserts that a `ZMQ_CONNECT_ROUTING_ID` is not in use by
    /// another pipe of the socket (router.cpp:438, stream.cpp:254); such a connect is
    /// [`Error::InvalidArgument`] here.
    fn check_connect_rid(&self) -> Result<()> {
        if self.kind != sys::ZMQ_ROUTER && self.kind != sys::ZMQ_STREAM {
            return Ok(());
        }
        let state = lock(&self.state);
        let Some(rid) = state.connect_rid.as_ref() else {
            return Ok(());
        };
        #[cfg(feature = "draft")]
        let in_use = self.peer_state(rid).is_ok();
        #[cfg(not(feature = "draft"))]
        let in_use = state.used_rids.contains(rid);
        if in_use {
            return Err(Error::InvalidArgument);
        }
        Ok(())
    }

    /// After a connect: libzmq consumed the connect routing id.
    fn connect_rid_used(&self) {
        let mut state = lock(&self.state);
        if let Some(rid) = state.connect_rid.take() {
            if cfg!(not(feature = "draft")) {
                state.used_rids.push(rid);
            }
        }
    }

    /// Connects a PEER socket and returns the routing id of that peer (`zmq_connect_peer`).
    #[cfg(feature = "draft")]
    pub fn connect_peer(&self, endpoint: &str) -> Result<u32> {
        let connect = || {
            // SAFETY: a live socket and a NUL-terminated endpoint.
            let id = with_c_str(endpoint, |ep| unsafe {
                sys::zmq_connect_peer(self.raw, ep)
            })?;
            if id == 0 {
                Err(Error::last())
            } else {
                Ok(id)
            }
        };
        if transport(endpoint) == "inproc" {
            self.check_inproc_type()?;
            self.connect_inproc(endpoint, connect)
        } else {
            let r = connect()?;
            lock(&self.state).attached = true;
            Ok(r)
        }
    }

    /// Joins a group on a DISH socket (`zmq_join`).
    #[cfg(feature = "draft")]
    pub fn join(&self, group: &str) -> Result<()> {
        check_with_c_str(group, |g| {
            // SAFETY: a live socket and a NUL-terminated group.
            unsafe { sys::zmq_join(self.raw, g) }
        })
    }

    /// Leaves a group on a DISH socket (`zmq_leave`).
    #[cfg(feature = "draft")]
    pub fn leave(&self, group: &str) -> Result<()> {
        check_with_c_str(group, |g| {
            // SAFETY: a live socket and a NUL-terminated group.
            unsafe { sys::zmq_leave(self.raw, g) }
        })
    }

    /// The state of the connection to a ROUTER peer (`zmq_socket_get_peer_state`): whether a
    /// message to that routing id could be sent now (`POLLOUT`). Fails with
    /// [`Error::HostUnreachable`] for an unknown routing id.
    #[cfg(feature = "draft")]
    pub fn peer_state(&self, routing_id: &[u8]) -> Result<crate::PollEvents> {
        // SAFETY: a live socket; libzmq reads `routing_id.len()` bytes.
        let rc = unsafe {
            sys::zmq_socket_get_peer_state(self.raw, routing_id.as_ptr().cast(), routing_id.len())
        };
        check(rc).map(|bits| crate::PollEvents::from_bits_retain(bits as i16))
    }

    /// Sends a frame holding a copy of `data` (`zmq_send`).
    #[inline]
    pub fn send(&self, data: impl AsRef<[u8]>, flags: SendFlags) -> Result<()> {
        let data = data.as_ref();
        if self.guarded_send {
            return self.send_guarded(&mut Message::from_slice(data), flags);
        }
        // SAFETY: a live socket; libzmq copies `data.len()` bytes before returning.
        let rc = unsafe { sys::zmq_send(self.raw, data.as_ptr().cast(), data.len(), flags.bits()) };
        check_io(rc, flags.contains(SendFlags::DONTWAIT)).map(drop)
    }

    /// Sends static bytes without copying them (`zmq_send_const`).
    pub fn send_const(&self, data: &'static [u8], flags: SendFlags) -> Result<()> {
        if self.guarded_send {
            return self.send_guarded(&mut Message::from_static(data), flags);
        }
        // SAFETY: a live socket; the bytes are 'static, so they outlive the message libzmq
        // makes of them, and libzmq never writes to constant message data.
        let rc = unsafe {
            sys::zmq_send_const(self.raw, data.as_ptr().cast(), data.len(), flags.bits())
        };
        check_io(rc, flags.contains(SendFlags::DONTWAIT)).map(drop)
    }

    /// Sends a message (`zmq_msg_send`). On success the message is left empty and can be
    /// reused for the next send or receive; on failure it is unchanged.
    ///
    /// A DGRAM socket that is neither bound nor connected fails with
    /// [`Error::NotConnected`] (libzmq 4.3.5 would close the message and abort, see
    /// [`crate::aborts`]). A DGRAM body, or a RADIO message toward a udp peer, larger than
    /// one of libzmq's 8192-byte datagrams is [`Error::MessageTooLarge`].
    #[inline]
    pub fn send_msg(&self, msg: &mut Message, flags: SendFlags) -> Result<()> {
        if self.guarded_send {
            return self.send_guarded(msg, flags);
        }
        self.send_msg_unguarded(msg, flags)
    }

    #[inline]
    fn send_msg_unguarded(&self, msg: &mut Message, flags: SendFlags) -> Result<()> {
        // SAFETY: a live socket and an initialised message; on success libzmq takes the
        // content and re-initialises `msg` as empty, so it stays valid to use and drop.
        let rc = unsafe { sys::zmq_msg_send(msg.as_mut_ptr(), self.raw, flags.bits()) };
        check_io(rc, flags.contains(SendFlags::DONTWAIT)).map(drop)
    }

    /// The sends of DGRAM and RADIO sockets (see [`crate::aborts`]). libzmq's udp engine
    /// copies each outgoing datagram into a buffer of [`MAX_UDP_DATAGRAM`] bytes without
    /// checking its length: a DGRAM body, or a RADIO's length byte, group and body when it
    /// has a udp peer, that would not fit is [`Error::MessageTooLarge`].
    #[cold]
    fn send_guarded(&self, msg: &mut Message, flags: SendFlags) -> Result<()> {
        if self.kind == DGRAM {
            // The frame sent without SNDMORE is the body, the datagram's whole payload.
            if !flags.contains(SendFlags::SNDMORE) && msg.len() > MAX_UDP_DATAGRAM {
                return Err(Error::MessageTooLarge);
            }
            return self.send_dgram(msg, flags);
        }
        #[cfg(feature = "draft")]
        if 1 + msg.group_len() + msg.len() > MAX_UDP_DATAGRAM && lock(&self.state).udp_radio {
            return Err(Error::MessageTooLarge);
        }
        self.send_msg_unguarded(msg, flags)
    }

    /// The DGRAM send. libzmq's `dgram_t::xsend` closes the message and fails without
    /// setting errno when the socket has no pipe: `zmq_send` then closes it again and
    /// asserts, and a blocking send retries with the closed message and asserts. So every
    /// attempt is non-blocking (the wait is a poll here), a copy of the message restores it
    /// on failure, and a message found closed means "no pipe".
    #[cold]
    fn send_dgram(&self, msg: &mut Message, flags: SendFlags) -> Result<()> {
        let dontwait = flags.contains(SendFlags::DONTWAIT);
        let timeout = if dontwait { 0 } else { self.sndtimeo()? };
        let start = std::time::Instant::now();
        loop {
            let shadow = msg.clone();
            // SAFETY: a live socket and an initialised message; on failure `msg` is either
            // unchanged or closed by libzmq (the case handled below).
            let rc = unsafe {
                sys::zmq_msg_send(msg.as_mut_ptr(), self.raw, flags.bits() | sys::ZMQ_DONTWAIT)
            };
            if rc >= 0 {
                return Ok(());
            }
            let err = Error::last();
            // SAFETY: zmq_msg_close of a message libzmq already closed fails with EFAULT and
            // touches nothing; of a live one, it releases it. Either way `msg` is closed
            // afterwards and is overwritten, without a drop, by its copy.
            let closed = unsafe { sys::zmq_msg_close(msg.as_mut_ptr()) } != 0;
            // SAFETY: `msg` holds a closed zmq_msg_t that owns nothing.
            unsafe { std::ptr::write(msg, shadow) };
            if closed {
                return Err(Error::NotConnected);
            }
            if err != Error::WouldBlock || dontwait {
                return Err(err);
            }
            let left = if timeout < 0 {
                -1
            } else {
                let spent = i64::try_from(start.elapsed().as_millis()).unwrap_or(i64::MAX);
                if spent >= i64::from(timeout) {
                    return Err(Error::TimedOut);
                }
                i64::from(timeout) - spent
            };
            let mut items = [crate::PollItem::from_socket(
                self,
                crate::PollEvents::POLLOUT,
            )];
            crate::poll::poll(&mut items, left)?;
        }
    }

    /// Sends every part as one multipart message: `SNDMORE` on all parts but the last.
    ///
    /// Every part is converted to a [`Message`] before the first is sent, and once libzmq
    /// accepts the first frame it accepts the rest (its high-water mark counts whole
    /// messages), so the message goes out whole or, if the first frame fails (for example
    /// [`Error::WouldBlock`] with `DONTWAIT`), not at all. An empty iterator sends nothing.
    ///
    /// A signal can interrupt any `zmq_msg_send` (libzmq checks its command mailbox first):
    /// on the first frame that is [`Error::Interrupted`] with nothing sent; on a later frame
    /// the send is retried, since giving up there would leave half a message that the next
    /// send would complete with unrelated frames.
    pub fn send_multipart<I>(&self, parts: I, flags: SendFlags) -> Result<()>
    where
        I: IntoIterator,
        I::Item: Into<Message>,
    {
        let mut parts: Vec<Message> = parts.into_iter().map(Into::into).collect();
        // A DGRAM body too large for a datagram is refused before its address frame goes.
        if self.kind == DGRAM && parts.last().is_some_and(|m| m.len() > MAX_UDP_DATAGRAM) {
            return Err(Error::MessageTooLarge);
        }
        let last = parts.len().saturating_sub(1);
        for (i, part) in parts.iter_mut().enumerate() {
            let more = if i < last {
                SendFlags::SNDMORE
            } else {
                SendFlags::empty()
            };
            loop {
                match self.send_msg(part, flags | more) {
                    Err(Error::Interrupted) if i > 0 => continue,
                    r => break r?,
                }
            }
        }
        Ok(())
    }

    /// Receives a frame into a caller buffer (`zmq_recv`); a longer frame is truncated to
    /// the buffer and reported so in [`Received`].
    #[inline]
    pub fn recv_into(&self, buf: &mut [u8], flags: RecvFlags) -> Result<Received> {
        // SAFETY: a live socket; libzmq writes at most `buf.len()` bytes into `buf`.
        let rc =
            unsafe { sys::zmq_recv(self.raw, buf.as_mut_ptr().cast(), buf.len(), flags.bits()) };
        let size = check_io(rc, flags.contains(RecvFlags::DONTWAIT))? as usize;
        Ok(Received {
            copied: size.min(buf.len()),
            size,
        })
    }

    /// Receives a frame into `msg` (`zmq_msg_recv`), replacing its previous content. Reusing
    /// one message across receives allocates nothing for small frames.
    #[inline]
    pub fn recv_msg(&self, msg: &mut Message, flags: RecvFlags) -> Result<()> {
        // SAFETY: a live socket and an initialised message; libzmq closes the old content
        // and leaves `msg` initialised whether or not it fails.
        let rc = unsafe { sys::zmq_msg_recv(msg.as_mut_ptr(), self.raw, flags.bits()) };
        check_io(rc, flags.contains(RecvFlags::DONTWAIT)).map(drop)
    }

    /// Receives a frame as a new [`Message`].
    pub fn recv(&self, flags: RecvFlags) -> Result<Message> {
        let mut msg = Message::new();
        self.recv_msg(&mut msg, flags)?;
        Ok(msg)
    }

    /// Receives a frame as a `Vec<u8>`.
    pub fn recv_bytes(&self, flags: RecvFlags) -> Result<Vec<u8>> {
        self.recv(flags).map(|m| m.to_vec())
    }

    /// Receives a frame as a `String`: [`FrameError::InvalidUtf8`] (with the bytes) if it is
    /// not UTF-8.
    ///
    /// ```
    /// use zmq4::{Context, FrameError, RecvFlags, SendFlags, SocketType};
    /// let ctx = Context::new();
    /// let pull = ctx.socket(SocketType::Pull)?;
    /// pull.bind("inproc://doc-recv-string")?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.connect("inproc://doc-recv-string")?;
    /// push.send("héllo", SendFlags::empty())?;
    /// push.send(&[0xc3][..], SendFlags::empty())?;
    /// assert_eq!(pull.recv_string(RecvFlags::empty())?, "héllo");
    /// assert!(matches!(
    ///     pull.recv_string(RecvFlags::empty()),
    ///     Err(FrameError::InvalidUtf8 { valid_up_to: 0, .. })
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn recv_string(&self, flags: RecvFlags) -> std::result::Result<String, FrameError> {
        FrameError::utf8(self.recv_bytes(flags)?)
    }

    /// Sends a fixed-width value as one frame of [`FrameValue::SIZE`] bytes (little-endian):
    /// integers, floats, `bool`.
    ///
    /// ```
    /// use zmq4::{Context, FrameError, RecvFlags, SendFlags, SocketType};
    /// let ctx = Context::new();
    /// let pull = ctx.socket(SocketType::Pull)?;
    /// pull.bind("inproc://doc-values")?;
    /// let push = ctx.socket(SocketType::Push)?;
    /// push.connect("inproc://doc-values")?;
    /// push.send_value(42u32, SendFlags::empty())?;
    /// push.send_value(-1i64, SendFlags::empty())?;
    /// assert_eq!(pull.recv_value::<u32>(RecvFlags::empty())?, 42);
    /// // An 8-byte frame is not a u32.
    /// assert_eq!(
    ///     pull.recv_value::<u32>(RecvFlags::empty()),
    ///     Err(FrameError::WrongSize { expected: 4, actual: 8 })
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn send_value<T: FrameValue>(&self, value: T, flags: SendFlags) -> Result<()> {
        self.send_msg(&mut value.to_message(), flags)
    }

    /// Receives one frame as a fixed-width value: [`FrameError::WrongSize`] if it does not
    /// have exactly [`FrameValue::SIZE`] bytes (the frame is consumed either way). See
    /// [`send_value`](Socket::send_value).
    pub fn recv_value<T: FrameValue>(
        &self,
        flags: RecvFlags,
    ) -> std::result::Result<T, FrameError> {
        // Large enough for every FrameValue; a longer frame is cut, and its size reported.
        let mut buf = [0u8; 16];
        let received = self.recv_into(&mut buf, flags)?;
        if received.size != T::SIZE {
            return Err(FrameError::WrongSize {
                expected: T::SIZE,
                actual: received.size,
            });
        }
        T::from_frame(&buf[..received.copied])
    }

    /// Receives every frame of one multipart message.
    ///
    /// libzmq delivers multipart messages atomically: once the first frame is there, all
    /// are, so only the first receive can block or fail with [`Error::WouldBlock`]. A signal
    /// can still interrupt the receive of a later frame (libzmq checks its command mailbox
    /// first): that receive is retried, as the frames are queued and giving up would hand
    /// the rest of the message to the next call as if it were a message of its own. If a
    /// later frame fails otherwise (the context is terminated), the frames read so far are
    /// dropped and the error is returned.
    pub fn recv_multipart(&self, flags: RecvFlags) -> Result<Vec<Message>> {
        let mut parts: Vec<Message> = Vec::new();
        loop {
            let msg = loop {
                match self.recv(flags) {
                    Err(Error::Interrupted) if !parts.is_empty() => continue,
                    r => break r?,
                }
            };
            let more = msg.more();
            parts.push(msg);
            if !more {
                return Ok(parts);
            }
        }
    }

    /// `zmq_setsockopt` with a raw value.
    ///
    /// # Safety
    /// `value` must be valid for reads of `len` bytes.
    pub(crate) unsafe fn setsockopt_raw(
        &self,
        option: c_int,
        value: *const c_void,
        len: size_t,
    ) -> Result<()> {
        if (option == sys::ZMQ_SNDHWM || option == sys::ZMQ_RCVHWM) && lock(&self.state).attached {
            // libzmq sends a new HWM to the peer of every pipe the socket still lists,
            // including one whose termination it has acknowledged: the command lands on a
            // pipe the peer frees first (socket_base.cpp:1584, a use-after-free; see
            // crate::aborts). No call shows whether such a pipe exists, so HWMs are set
            // before the first bind or connect. (libzmq sends them even when it refuses the
            // value: a value it would refuse is `InvalidArgument` here.)
            let valid = len == std::mem::size_of::<c_int>()
                && !value.is_null()
                // SAFETY: the caller guarantees `len` readable bytes at `value`, an int here.
                && unsafe { value.cast::<c_int>().read_unaligned() } >= 0;
            return Err(if valid {
                Error::InvalidState
            } else {
                Error::InvalidArgument
            });
        }
        // A udp bind or connect checks ZMQ_BINDTODEVICE with the state lock held: a change
        // takes it too, so that it cannot slip in between the check and the bind.
        let device_lock = (option == sys::ZMQ_BINDTODEVICE).then(|| lock(&self.state));
        // SAFETY: a live socket; the caller guarantees the value buffer.
        check(unsafe { sys::zmq_setsockopt(self.raw, option, value, len) })?;
        drop(device_lock);
        if option == sys::ZMQ_CONNECT_ROUTING_ID {
            let rid = if len == 0 || value.is_null() {
                Vec::new()
            } else {
                // SAFETY: the caller guarantees `len` readable bytes at `value`.
                unsafe { std::slice::from_raw_parts(value.cast::<u8>(), len) }.to_vec()
            };
            lock(&self.state).connect_rid = Some(rid);
        }
        if option == sys::ZMQ_PROBE_ROUTER && len == std::mem::size_of::<c_int>() {
            // SAFETY: the caller guarantees `len` readable bytes at `value`, an int here.
            let v = unsafe { value.cast::<c_int>().read_unaligned() };
            lock(&self.state).probe_router = v != 0;
        }
        if option == HELLO_MSG || option == sys::ZMQ_XPUB_WELCOME_MSG {
            let mut state = lock(&self.state);
            state.attach_msgs.retain(|(o, _)| *o != option);
            if len > 0 {
                // SAFETY: the caller guarantees `len` readable bytes at `value`.
                let bytes = unsafe { std::slice::from_raw_parts(value.cast::<u8>(), len) };
                state.attach_msgs.push((option, bytes.to_vec()));
            }
        }
        Ok(())
    }

    /// `zmq_setsockopt` of bytes, without the bookkeeping of `setsockopt_raw`.
    fn setsockopt_untracked(&self, option: c_int, value: &[u8]) -> Result<()> {
        static PAD: [u8; 1] = [0];
        let ptr = if value.is_empty() {
            PAD.as_ptr()
        } else {
            value.as_ptr()
        };
        // SAFETY: a live socket; `ptr` is readable for `value.len()` bytes.
        check(unsafe { sys::zmq_setsockopt(self.raw, option, ptr.cast(), value.len()) }).map(drop)
    }

    /// `zmq_getsockopt` into a raw buffer; returns the length libzmq stored.
    ///
    /// # Safety
    /// `value` must be valid for writes of `len` bytes.
    pub(crate) unsafe fn getsockopt_raw(
        &self,
        option: c_int,
        value: *mut c_void,
        len: size_t,
    ) -> Result<size_t> {
        let mut len = len;
        // SAFETY: a live socket; the caller guarantees the buffer, and libzmq writes at most
        // `len` bytes, storing the length used back into `len`.
        check(unsafe { sys::zmq_getsockopt(self.raw, option, value, &mut len) })?;
        Ok(len)
    }
}

/// `ZMQ_HELLO_MSG` (a draft option; the number is stable in libzmq 4.3.x).
const HELLO_MSG: c_int = 110;

/// The socket types libzmq gives udp endpoints, by number (draft types, stable in 4.3.x;
/// also without the `draft` feature, for a system libzmq built with them): RADIO connects,
/// DISH and DGRAM bind.
const RADIO: c_int = 14;
const DISH: c_int = 15;
const DGRAM: c_int = 18;

/// libzmq's udp engine buffer for one outgoing datagram (udp_engine.hpp `MAX_UDP_MSG`).
pub(crate) const MAX_UDP_DATAGRAM: usize = 8192;

/// Whether sockets of type `kind` send through [`Socket::send_guarded`]: DGRAM and RADIO,
/// which exist with `draft` only.
pub(crate) fn guarded_send(kind: c_int) -> bool {
    cfg!(feature = "draft") && (kind == DGRAM || kind == RADIO)
}

impl<M: ThreadMode> Drop for Socket<M> {
    fn drop(&mut self) {
        // A running monitor is stopped here only if its reader was a dropped Monitor, left
        // connected for this (emptied first, it takes MONITOR_STOPPED). Otherwise libzmq
        // stops it at close on the reaper thread, whose blocking MONITOR_STOPPED send waits
        // for the reader or ends with ETERM at context termination: stopping it here could
        // block the dropping thread for ever, as a reader that is connected but not
        // reading keeps a throw-away reader from attaching (see crate::aborts).
        self.stop_monitor_parked();
        // ZMQ_LINGER 0 makes the session drop its pipe at once; if its engine fails while a
        // multipart message is half written to the network, libzmq asserts that it can read
        // the rest (session_base.cpp:233, see crate::aborts). 1 ms closes that window in
        // practice (it narrows it; libzmq 4.3.5 has no fix).
        if self.linger().is_ok_and(|l| l == 0) {
            let _ = self.set_linger(1);
        }
        let (connected, binder) = {
            let state = lock(&self.state);
            (state.inproc_connects, !state.bound_inproc.is_empty())
        };
        if binder {
            // Its endpoints go with it (see `InprocBook::bound`).
            lock(&self._ctx.book).unbinding(None, self.id);
        }
        if connected && self.attach_own_pending(true) {
            return; // parked: the book closes it (see `guard::ParkedSocket`)
        }
        // SAFETY: `raw` is a live socket owned by this value and closed exactly once here;
        // zmq_close fails only with ENOTSOCK for an invalid socket.
        unsafe { sys::zmq_close(self.raw) };
    }
}

impl<M: ThreadMode> Socket<M> {
    /// Before closing: binds (then unbinds) every inproc endpoint where this socket's own
    /// connections may still be pending and no other live socket waits, so that they are
    /// attached while it lives, instead of lingering until `zmq_ctx_term`, which needs a
    /// free socket slot for each (ctx.cpp:142), or a hello or welcome binder, which asserts
    /// on them (pipe.cpp:71, xpub.cpp:63). A bind failure (EADDRINUSE: the endpoint is bound; ETERM) is fine.
    ///
    /// With `may_park`, returns whether the socket was parked instead: a ROUTER whose
    /// connection is pending where other sockets still wait is handed to the book, which
    /// closes it after the bind that attaches it (see `guard::ParkedSocket`); the caller
    /// must not close it then.
    pub(crate) fn attach_own_pending(&self, may_park: bool) -> bool {
        let mut book = lock(&self._ctx.book);
        let (own, park) = book.closing(self.id);
        let parked = may_park && !park.is_empty();
        if parked {
            book.park(&park, self.raw);
        }
        if own.is_empty() {
            return parked;
        }
        let mut cleared = false;
        for endpoint in own {
            match self.bind_throwaway(&endpoint) {
                Some(true) => book.bound(&endpoint),
                Some(false) => {}
                None => {
                    // No socket slot left: this socket binds the endpoint itself (it then
                    // holds both ends of its own pipes until it closes), unless it is a PAIR
                    // that would refuse a ROUTER's pipe (see `bind_inproc`): the connections
                    // then wait for a later bind or the context's end.
                    if self.kind == sys::ZMQ_PAIR && book.single_pipe_conflict(&endpoint, true) {
                        continue;
                    }
                    if !cleared {
                        for (option, _) in lock(&self.state).attach_msgs.clone() {
                            let _ = self.setsockopt_untracked(option, &[]);
                        }
                        cleared = true;
                    }
                    if self.bind_raw(&endpoint).is_ok() {
                        book.bound(&endpoint);
                        let _ = self.zmq_unbind(&endpoint);
                    }
                }
            }
        }
        parked
    }

    /// Binds a throw-away DEALER (linger 0) to `endpoint` and closes it, which attaches and
    /// then ends the connections pending there: `Some(true)`; `Some(false)` if the bind
    /// failed (the endpoint is bound: nothing is pending); `None` if no socket could be made
    /// (socket limit, terminated context). A DEALER keeps every pipe, takes no hello, and
    /// leaves this socket's own state alone (a socket connected to itself upset libzmq's
    /// load balancer under AddressSanitizer: lb.cpp, `activated`).
    fn bind_throwaway(&self, endpoint: &str) -> Option<bool> {
        let ep = std::ffi::CString::new(endpoint).ok()?;
        self._ctx
            .with_raw(|ctx| {
                // SAFETY: the live context pointer.
                let s = unsafe { sys::zmq_socket(ctx, sys::ZMQ_DEALER) };
                if s.is_null() {
                    return Err(Error::last());
                }
                let zero: c_int = 0;
                // SAFETY: a fresh socket of this thread; LINGER takes an int; the endpoint is
                // NUL-terminated; the socket is closed once.
                let rc = unsafe {
                    sys::zmq_setsockopt(
                        s,
                        sys::ZMQ_LINGER,
                        (&zero as *const c_int).cast(),
                        std::mem::size_of::<c_int>(),
                    );
                    let rc = sys::zmq_bind(s, ep.as_ptr());
                    if rc == 0 {
                        // Unregistered now, not when the reaper gets to the socket.
                        sys::zmq_unbind(s, ep.as_ptr());
                    }
                    sys::zmq_close(s);
                    rc
                };
                Ok(rc == 0)
            })
            .ok()
    }
}

impl<M: ThreadMode> fmt::Debug for Socket<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Socket").field("raw", &self.raw).finish()
    }
}
