//! [`Context`]: libzmq's `void *context`, shared by every socket made from it.
//!
//! ```
//! use zmq4::{Context, SocketType};
//!
//! let ctx = Context::new();
//! ctx.set_io_threads(2)?;
//! let sock = ctx.socket(SocketType::Pair)?;
//! assert_eq!(ctx.io_threads()?, 2);
//! drop(sock);
//! ctx.term()?; // zmq_ctx_term: returns once every socket of the context is closed
//! # Ok::<(), zmq4::Error>(())
//! ```

use crate::error::{check, Error, Result};
use crate::guard::{lock, InprocBook};
use crate::socket::{Exclusive, Shared, Socket, SocketType};
use crate::sys;
use libc::c_void;
use std::fmt;
use std::sync::{Arc, Mutex, RwLock, TryLockError};

/// The owner of the raw context pointer. The pointer is null once `zmq_ctx_term` ran.
pub(crate) struct ContextInner {
    pub(crate) raw: RwLock<*mut c_void>,
    /// Inproc endpoints with possibly pending connections (see [`InprocBook`]).
    pub(crate) book: Mutex<InprocBook>,
    /// The I/O thread scheduling options set so far (see [`ThreadParams`]).
    threads: Mutex<ThreadParams>,
}

// SAFETY: a libzmq context is thread-safe (zmq_ctx_new(3): "a context is thread safe and may be
// shared among as many application threads as necessary"); the RwLock guards only the
// pointer's lifetime (term), not libzmq's own state.
unsafe impl Send for ContextInner {}
// SAFETY: as for Send.
unsafe impl Sync for ContextInner {}

impl ContextInner {
    /// Takes ownership of a live context pointer: terminated when this is dropped.
    pub(crate) fn owning(raw: *mut c_void) -> ContextInner {
        ContextInner {
            raw: RwLock::new(raw),
            book: Mutex::new(InprocBook::default()),
            threads: Mutex::new(ThreadParams::default()),
        }
    }

    /// Gives up ownership of the context pointer without terminating it (the rest of the
    /// bookkeeping is dropped).
    pub(crate) fn into_raw_ptr(self) -> *mut c_void {
        let mut this = std::mem::ManuallyDrop::new(self);
        let raw = std::mem::replace(
            this.raw.get_mut().unwrap_or_else(|p| p.into_inner()),
            std::ptr::null_mut(),
        );
        // SAFETY: `this` is never used again and its Drop (which would terminate the
        // context) never runs; each field is dropped in place exactly once.
        unsafe {
            std::ptr::drop_in_place(&mut this.raw);
            std::ptr::drop_in_place(&mut this.book);
            std::ptr::drop_in_place(&mut this.threads);
        }
        raw
    }
    /// Runs `f` with the live context pointer, or fails with `ETERM` if the context is
    /// terminated or being terminated (the terminating thread holds the write lock, and
    /// waiting for it could deadlock a thread that still owns a socket).
    pub(crate) fn with_raw<R>(&self, f: impl FnOnce(*mut c_void) -> Result<R>) -> Result<R> {
        let guard = match self.raw.try_read() {
            Ok(g) => g,
            Err(TryLockError::WouldBlock) => return Err(Error::ContextTerminated),
            Err(TryLockError::Poisoned(p)) => p.into_inner(),
        };
        if guard.is_null() {
            return Err(Error::ContextTerminated);
        }
        f(*guard)
    }

    fn term(&self) -> Result<()> {
        let mut guard = self.raw.write().unwrap_or_else(|p| p.into_inner());
        if guard.is_null() {
            return Ok(());
        }
        // Attach pending inproc connections first, as zmq_ctx_term would, but failing with a
        // typed error where it would assert (ctx.cpp:142). Inproc connects take the read
        // lock, so none can start before zmq_ctx_term now.
        lock(&self.book).resolve_all(*guard)?;
        loop {
            // SAFETY: the pointer came from zmq_ctx_new and has not been terminated (it is
            // nulled right after); holding the write lock keeps every other use out.
            let rc = unsafe { sys::zmq_ctx_term(*guard) };
            match check(rc) {
                Ok(_) => break,
                Err(Error::Interrupted) => continue,
                Err(e) => return Err(e),
            }
        }
        *guard = std::ptr::null_mut();
        Ok(())
    }
}

impl Drop for ContextInner {
    fn drop(&mut self) {
        // Every socket holds an Arc of this, so none is open: zmq_ctx_term only waits for
        // linger. Its only other error is EFAULT for an invalid context, impossible here.
        // If the pending inproc connections cannot be attached (no socket slot within
        // seconds), the context is left unterminated (leaked) rather than aborting.
        let _ = self.term();
    }
}

/// A libzmq context: the I/O threads and the registry of sockets.
///
/// `Context` is `Send + Sync + Clone`; clones share one libzmq context. Every [`Socket`]
/// keeps its context alive, and the context is terminated (`zmq_ctx_term`) when the last
/// clone and the last socket are gone, or explicitly by [`Context::term`].
#[derive(Clone)]
pub struct Context {
    pub(crate) inner: Arc<ContextInner>,
}

impl Context {
    /// Creates a context (`zmq_ctx_new`).
    ///
    /// # Panics
    /// Only if libzmq cannot create a context at all (out of memory or file descriptors),
    /// like `Box::new` on allocation failure; [`Context::try_new`] reports that instead.
    pub fn new() -> Context {
        Context::try_new().expect("zmq_ctx_new failed")
    }

    /// Creates a context (`zmq_ctx_new`), reporting failure (`EMFILE`, `ENOMEM`).
    pub fn try_new() -> Result<Context> {
        // SAFETY: zmq_ctx_new has no preconditions.
        let raw = unsafe { sys::zmq_ctx_new() };
        if raw.is_null() {
            return Err(Error::last());
        }
        Ok(Context {
            inner: Arc::new(ContextInner::owning(raw)),
        })
    }

    /// Creates a socket of the given type (`zmq_socket`).
    ///
    /// The socket is `Send` but not `Sync`: it may move between threads but is used from one
    /// at a time, as libzmq requires for all but the thread-safe draft types (see
    /// [`Context::shared_socket`]).
    pub fn socket(&self, socket_type: SocketType) -> Result<Socket> {
        Socket::<Exclusive>::new(self, socket_type)
    }

    /// Creates a thread-safe socket (`zmq_socket` with CLIENT, SERVER, RADIO, DISH, SCATTER,
    /// GATHER, PEER or CHANNEL), which is `Sync` and may be used from several threads at
    /// once. Other socket types give [`Error::InvalidArgument`].
    ///
    /// These types connect over `ipc://`, `tcp://` (and udp for RADIO/DISH), not inproc:
    /// over inproc libzmq 4.3.5 can deadlock two of them when both are in use at once, or
    /// when its reaper closes one while the other is in use, so an `inproc://` bind or
    /// connect is [`Error::IncompatibleProtocol`] (see [`crate::aborts`]).
    pub fn shared_socket(&self, socket_type: SocketType) -> Result<Socket<Shared>> {
        if !socket_type.is_thread_safe() {
            return Err(Error::InvalidArgument);
        }
        Socket::<Shared>::new(self, socket_type)
    }

    /// Shuts the context down (`zmq_ctx_shutdown`): every blocking call on its sockets, in
    /// any thread, returns [`Error::ContextTerminated`], and so does every later call but
    /// close. The context itself lives on until terminated.
    ///
    /// Pending inproc connections (to endpoints nobody bound) are first attached to a
    /// throw-away PAIR socket, as `zmq_ctx_term` would do later: if no socket can be created
    /// for that (the socket limit, `ZMQ_MAX_SOCKETS`, reached for
    /// seconds), this fails with [`Error::TooManyOpenFiles`] and shuts nothing down.
    pub fn shutdown(&self) -> Result<()> {
        self.inner.with_raw(|raw| {
            // The book stays locked through zmq_ctx_shutdown, so no inproc connect of this
            // context runs in between; afterwards every connect fails with ETERM.
            let mut book = lock(&self.inner.book);
            book.resolve_all(raw)?;
            // SAFETY: with_raw hands out the live context pointer.
            check(unsafe { sys::zmq_ctx_shutdown(raw) }).map(drop)
        })
    }

    /// Terminates the context (`zmq_ctx_term`), with libzmq's blocking semantics:
    ///
    /// 1. blocking calls on the context's sockets in other threads return
    ///    [`Error::ContextTerminated`], and so does every later operation on them;
    /// 2. `term` then waits until every socket of the context is closed (dropped), and
    ///    for each socket's `ZMQ_LINGER` to flush or discard pending messages.
    ///
    /// So drop (or let the other threads drop) every socket, or this call blocks forever, as
    /// `zmq_ctx_term` does in C. Afterwards every clone of this context reports
    /// [`Error::ContextTerminated`]. Terminating twice is harmless.
    ///
    /// Pending inproc connections are attached first, as in [`Context::shutdown`]; if that
    /// cannot be done, this fails with [`Error::TooManyOpenFiles`] and terminates nothing
    /// (where libzmq would abort).
    pub fn term(self) -> Result<()> {
        self.inner.term()
    }

    /// The raw `void *` context for use with [`crate::sys`], or `None` once terminated.
    ///
    /// The pointer stays valid while this `Context` (or a clone, or one of its sockets) lives
    /// and [`Context::term`] has not been called.
    pub fn as_raw(&self) -> Option<*mut c_void> {
        self.inner.with_raw(Ok).ok()
    }

    /// `zmq_ctx_set` with an integer option. The I/O thread scheduling options are tried
    /// first (see [`ThreadParams`]).
    pub(crate) fn set_int(&self, option: i32, value: i32) -> Result<()> {
        let mut threads = lock(&self.inner.threads);
        let next = threads.with(option, value)?;
        // SAFETY: live context pointer; integer options take the value by value.
        self.inner
            .with_raw(|raw| check(unsafe { sys::zmq_ctx_set(raw, option, value) }).map(drop))?;
        *threads = next;
        Ok(())
    }

    /// `zmq_ctx_set_ext` with a byte string option (e.g. ZMQ_THREAD_NAME_PREFIX).
    #[cfg(feature = "draft")]
    pub(crate) fn set_bytes(&self, option: i32, value: &[u8]) -> Result<()> {
        self.inner.with_raw(|raw| {
            // SAFETY: live context pointer; libzmq copies `value.len()` bytes from the slice.
            check(unsafe { sys::zmq_ctx_set_ext(raw, option, value.as_ptr().cast(), value.len()) })
                .map(drop)
        })
    }

    /// `zmq_ctx_get_ext` of a byte string option.
    #[cfg(feature = "draft")]
    pub(crate) fn get_bytes(&self, option: i32, capacity: usize) -> Result<Vec<u8>> {
        self.inner.with_raw(|raw| {
            let mut buf = vec![0u8; capacity];
            let mut len = buf.len();
            // SAFETY: live context pointer; buf has `len` writable bytes and libzmq writes at
            // most that many, storing the length used back into `len`.
            check(unsafe { sys::zmq_ctx_get_ext(raw, option, buf.as_mut_ptr().cast(), &mut len) })?;
            buf.truncate(len.min(buf.len()));
            Ok(buf)
        })
    }
}

impl Default for Context {
    fn default() -> Context {
        Context::new()
    }
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("raw", &self.as_raw())
            .finish()
    }
}

/// The I/O thread options `ZMQ_THREAD_SCHED_POLICY`, `ZMQ_THREAD_PRIORITY` and
/// `ZMQ_THREAD_AFFINITY_CPU_ADD`/`_REMOVE`. libzmq applies them in each thread it starts and
/// asserts that `pthread_setschedparam`, `nice` and `pthread_setaffinity_np` succeed
/// (thread.cpp): an unknown policy, a priority out of its range, a CPU that does not exist or
/// a lack of privilege would abort the process later. So every new combination is applied
/// first in a short-lived probe thread, the way libzmq will, and refused with the error the
/// system gave (on Linux; elsewhere the values go to libzmq unchecked).
#[derive(Clone, Debug)]
struct ThreadParams {
    policy: i32,
    priority: i32,
    cpus: std::collections::BTreeSet<i32>,
}

impl Default for ThreadParams {
    fn default() -> ThreadParams {
        ThreadParams {
            policy: sys::ZMQ_THREAD_SCHED_POLICY_DFLT,
            priority: sys::ZMQ_THREAD_PRIORITY_DFLT,
            cpus: Default::default(),
        }
    }
}

impl ThreadParams {
    /// The parameters after setting `option` to `value`, once a probe thread could apply
    /// them; `self` unchanged for other options.
    fn with(&self, option: i32, value: i32) -> Result<ThreadParams> {
        let mut next = self.clone();
        match option {
            sys::ZMQ_THREAD_SCHED_POLICY if value >= 0 => next.policy = value,
            sys::ZMQ_THREAD_PRIORITY if value >= 0 => next.priority = value,
            sys::ZMQ_THREAD_AFFINITY_CPU_ADD if value >= 0 => {
                next.cpus.insert(value);
            }
            sys::ZMQ_THREAD_AFFINITY_CPU_REMOVE if value >= 0 => {
                next.cpus.remove(&value);
            }
            // Anything else, negative values included, is libzmq's to accept or refuse.
            _ => return Ok(next),
        }
        next.probe()?;
        Ok(next)
    }

    #[cfg(target_os = "linux")]
    fn probe(&self) -> Result<()> {
        let params = self.clone();
        std::thread::Builder::new()
            .name("zmq4-sched-probe".into())
            .spawn(move || params.apply())
            .map_err(|_| Error::OutOfMemory)?
            .join()
            .unwrap_or(Err(Error::InvalidArgument))
    }

    #[cfg(not(target_os = "linux"))]
    fn probe(&self) -> Result<()> {
        Ok(())
    }

    /// libzmq's `thread_t::applySchedulingParameters`, in the calling thread, with errors.
    #[cfg(target_os = "linux")]
    fn apply(&self) -> Result<()> {
        let fail = |rc: i32| Err(Error::from_errno(rc));
        // SAFETY: pthread calls on the calling thread with valid out-parameters; CPU_SET is
        // only given indices below CPU_SETSIZE.
        unsafe {
            let me = libc::pthread_self();
            let mut policy = 0;
            let mut param: libc::sched_param = std::mem::zeroed();
            let rc = libc::pthread_getschedparam(me, &mut policy, &mut param);
            if rc != 0 {
                return fail(rc);
            }
            if self.policy != sys::ZMQ_THREAD_SCHED_POLICY_DFLT {
                policy = self.policy;
            }
            let use_nice = policy != libc::SCHED_FIFO && policy != libc::SCHED_RR;
            if use_nice {
                param.sched_priority = 0;
            } else if self.priority != sys::ZMQ_THREAD_PRIORITY_DFLT {
                param.sched_priority = self.priority;
            }
            let rc = libc::pthread_setschedparam(me, policy, &param);
            if rc != 0 {
                return fail(rc);
            }
            if use_nice && self.priority != sys::ZMQ_THREAD_PRIORITY_DFLT && self.priority > 0 {
                *libc::__errno_location() = 0;
                if libc::nice(-20) == -1 && *libc::__errno_location() != 0 {
                    return fail(*libc::__errno_location());
                }
            }
            if !self.cpus.is_empty() {
                let mut set: libc::cpu_set_t = std::mem::zeroed();
                for &cpu in &self.cpus {
                    if cpu as usize >= libc::CPU_SETSIZE as usize {
                        return Err(Error::InvalidArgument);
                    }
                    libc::CPU_SET(cpu as usize, &mut set);
                }
                let rc =
                    libc::pthread_setaffinity_np(me, std::mem::size_of::<libc::cpu_set_t>(), &set);
                if rc != 0 {
                    return fail(rc);
                }
            }
        }
        Ok(())
    }
}
