//! Raw handles: moving contexts, sockets and messages across the boundary with C code.
//!
//! A C library may hand this crate a `void *` socket or context it made, or take one back;
//! `into_raw` gives up ownership without closing, `from_raw` takes it over, `as_mut_ptr`
//! lends the pointer for one call. These are the counterparts of rust-zmq's `into_raw`,
//! `from_raw` and `as_mut_ptr`, and of czmq's `zsock_resolve`.
//!
//! Ownership follows libzmq's rules: whoever holds the pointer closes it (`zmq_close`,
//! `zmq_ctx_term`, `zmq_msg_close`) exactly once, and a context's termination waits until
//! every socket made in it is closed, whatever side holds it.
//!
//! # Guards across the boundary
//!
//! The guards of [`crate::aborts`] rest on what a [`Socket`] saw happen through this crate.
//! [`Socket::into_raw`] first does what a drop would do for them (it attaches the socket's
//! own pending inproc connections); a descriptor given with `set_use_fd` that no bind used
//! yet is closed. A socket adopted with [`Socket::from_raw`] learns its type (the DGRAM
//! guard) and is taken to hold pipes, but cannot know what C code did with it before: its
//! pending inproc connections (not attached before it closes: `zmq_ctx_term` may then need a
//! free socket slot per endpoint), the inproc endpoints it bound (self-connection guard),
//! a `ZMQ_HELLO_MSG` or `ZMQ_XPUB_WELCOME_MSG` it set (stale-connection guard), the
//! connect routing ids it used, and a monitor it started (replacing that monitor gets no
//! throw-away reader). Everything done through the `Socket` from then on is guarded.
//!
//! ```
//! use zmq4::{Context, SocketType};
//!
//! let ctx = Context::new();
//! let pair = ctx.socket(SocketType::Pair)?;
//! let (raw, ctx_handle) = pair.into_raw();
//! // ... C code uses `raw` here ...
//! // SAFETY: `raw` came from `into_raw` on this context and nothing else owns it now.
//! let pair = unsafe { zmq4::Socket::from_raw(&ctx_handle, raw) }?;
//! pair.bind("inproc://raw-doc")?;
//! # Ok::<(), zmq4::Error>(())
//! ```

use crate::context::{Context, ContextInner};
use crate::error::{check, Error, Result};
use crate::guard::{lock, next_socket_id, SocketState};
use crate::message::Message;
use crate::socket::{Exclusive, Shared, Socket, ThreadMode};
use crate::sys;
use libc::{c_int, c_void};
use std::cell::UnsafeCell;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::sync::{Arc, Mutex};

impl<M: ThreadMode> Socket<M> {
    /// Gives up ownership of the socket without closing it, and returns the raw `void *`
    /// with a handle of its context.
    ///
    /// The caller now owns the socket: close it with `zmq_close`, or hand it back with
    /// [`Socket::from_raw`]. The socket no longer keeps its context alive, so the returned
    /// [`Context`] is what does: terminating the context (dropping its last handle, or
    /// [`Context::term`]) waits until the raw socket is closed, as `zmq_ctx_term` does in C.
    ///
    /// ```
    /// let ctx = zmq4::Context::new();
    /// let (raw, _ctx) = ctx.socket(zmq4::SocketType::Push)?.into_raw();
    /// // SAFETY: `raw` is a live socket that nothing else owns; it is closed once.
    /// assert_eq!(unsafe { zmq4::sys::zmq_close(raw) }, 0);
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub fn into_raw(self) -> (*mut c_void, Context) {
        // What Drop does before closing that the context's bookkeeping needs: the socket's
        // pending inproc connections are attached now, while the book still knows them
        // (see crate::aborts); after this, C code owns every later guard.
        if lock(&self.state).inproc_connects {
            // Never parked: the caller owns the socket from here.
            self.attach_own_pending(false);
        }
        let this = ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped, so each owned field is read out exactly once and
        // the socket is not closed (its Drop does not run).
        let (inner, state): (Arc<ContextInner>, Mutex<SocketState>) =
            unsafe { (std::ptr::read(&this._ctx), std::ptr::read(&this.state)) };
        drop(state);
        (this.raw, Context { inner })
    }

    /// The raw `void *` socket, borrowed mutably for one C call that expects exclusive use
    /// (rust-zmq's `as_mut_ptr`); the same pointer as [`Socket::as_raw`].
    ///
    /// ```
    /// let ctx = zmq4::Context::new();
    /// let mut sock = ctx.socket(zmq4::SocketType::Pub)?;
    /// let mut linger: i32 = -2;
    /// let mut size = std::mem::size_of::<i32>();
    /// // SAFETY: live socket; an int option written into an int-sized buffer.
    /// let rc = unsafe {
    ///     zmq4::sys::zmq_getsockopt(
    ///         sock.as_mut_ptr(),
    ///         zmq4::sys::ZMQ_LINGER,
    ///         (&mut linger as *mut i32).cast(),
    ///         &mut size,
    ///     )
    /// };
    /// assert_eq!((rc, linger), (0, -1));
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    #[inline]
    pub fn as_mut_ptr(&mut self) -> *mut c_void {
        self.raw
    }
}

/// An int socket option of a raw socket that no `Socket` owns yet.
///
/// # Safety
/// `raw` is a live socket not used by another thread during the call.
unsafe fn int_option(raw: *mut c_void, option: c_int) -> Result<c_int> {
    let mut value: c_int = 0;
    let mut size = std::mem::size_of::<c_int>();
    // SAFETY: a live socket (caller's contract); an int option written into an int-sized
    // buffer whose size is passed.
    check(unsafe {
        sys::zmq_getsockopt(raw, option, (&mut value as *mut c_int).cast(), &mut size)
    })?;
    Ok(value)
}

/// Common part of the two `from_raw`s: a non-null pointer becomes an owned socket.
///
/// # Safety
/// As for [`Socket::from_raw`].
unsafe fn adopt<M: ThreadMode>(context: &Context, raw: *mut c_void) -> Result<Socket<M>> {
    if raw.is_null() {
        return Err(Error::InvalidArgument);
    }
    // The context must be live: a socket of a terminated context cannot be used.
    context.inner.with_raw(|_| Ok(()))?;
    // SAFETY: `raw` is a live socket (caller's contract).
    let kind = unsafe { int_option(raw, sys::ZMQ_TYPE) }?;
    Ok(Socket {
        raw,
        id: next_socket_id(),
        kind,
        guarded_send: crate::socket::guarded_send(kind),
        // It may hold pipes already: the single-pipe guard of a later inproc bind assumes so;
        // a RADIO may have udp peers (the flag is read for RADIO sockets only).
        state: Mutex::new(SocketState {
            attached: true,
            udp_radio: crate::socket::guarded_send(kind),
            ..SocketState::default()
        }),
        _ctx: Arc::clone(&context.inner),
        _mode: PhantomData,
    })
}

impl Socket<Exclusive> {
    /// Takes ownership of a raw libzmq socket (from `zmq_socket`, or [`Socket::into_raw`]):
    /// the returned `Socket` closes it when dropped. A null pointer gives
    /// [`Error::InvalidArgument`], a terminated context [`Error::ContextTerminated`].
    ///
    /// # Safety
    /// `raw` is a live socket made in `context` (the libzmq context behind it, not another),
    /// owned by nobody else from now on: no other code uses or closes it afterwards, and no
    /// other thread is using it at the time of the call.
    ///
    /// ```
    /// let ctx = zmq4::Context::new();
    /// // SAFETY: a live context pointer and a valid socket type.
    /// let raw = unsafe { zmq4::sys::zmq_socket(ctx.as_raw().unwrap(), zmq4::sys::ZMQ_REP) };
    /// // SAFETY: made in `ctx` just now, owned by nobody else.
    /// let rep = unsafe { zmq4::Socket::from_raw(&ctx, raw) }?;
    /// assert_eq!(rep.socket_type()?, zmq4::SocketType::Rep);
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub unsafe fn from_raw(context: &Context, raw: *mut c_void) -> Result<Socket<Exclusive>> {
        // SAFETY: the caller's contract is adopt's.
        unsafe { adopt(context, raw) }
    }
}

impl Socket<Shared> {
    /// Takes ownership of a raw thread-safe socket (CLIENT, SERVER, RADIO, DISH, SCATTER,
    /// GATHER, PEER, CHANNEL) as a [`SharedSocket`](crate::SharedSocket). A socket libzmq
    /// does not report as thread-safe (`ZMQ_THREAD_SAFE`) gives [`Error::InvalidArgument`]
    /// and stays the caller's; so does a null pointer.
    ///
    /// # Safety
    /// As for [`Socket::from_raw`](Socket::<Exclusive>::from_raw).
    pub unsafe fn from_raw_shared(context: &Context, raw: *mut c_void) -> Result<Socket<Shared>> {
        if raw.is_null() {
            return Err(Error::InvalidArgument);
        }
        // SAFETY: `raw` is a live socket (caller's contract).
        if unsafe { int_option(raw, sys::ZMQ_THREAD_SAFE) }? == 0 {
            return Err(Error::InvalidArgument);
        }
        // SAFETY: the caller's contract is adopt's.
        unsafe { adopt(context, raw) }
    }
}

impl Context {
    /// Gives up ownership of the libzmq context without terminating it, if this is its
    /// only handle (no clone, no socket); otherwise, or if the context is already
    /// terminated, returns `self` unchanged as the error.
    ///
    /// The caller then owns the context and terminates it with `zmq_ctx_term`, or hands it
    /// back with [`Context::from_raw`].
    ///
    /// ```
    /// let ctx = zmq4::Context::new();
    /// let raw = ctx.into_raw().ok().unwrap();
    /// // SAFETY: a live context that nothing else owns; terminated once.
    /// assert_eq!(unsafe { zmq4::sys::zmq_ctx_term(raw) }, 0);
    /// ```
    pub fn into_raw(self) -> std::result::Result<*mut c_void, Context> {
        if self.as_raw().is_none() {
            return Err(self);
        }
        match Arc::try_unwrap(self.inner) {
            Ok(inner) => Ok(inner.into_raw_ptr()),
            Err(inner) => Err(Context { inner }),
        }
    }

    /// Takes ownership of a raw libzmq context (from `zmq_ctx_new`, or
    /// [`Context::into_raw`]): it is terminated when the last handle and socket are gone.
    /// A null pointer gives [`Error::InvalidArgument`].
    ///
    /// # Safety
    /// `raw` is a live, not terminated context that nobody else terminates from now on.
    /// Sockets that C code made in it stay the C code's to close (termination waits for
    /// them).
    ///
    /// ```
    /// // SAFETY: zmq_ctx_new has no preconditions.
    /// let raw = unsafe { zmq4::sys::zmq_ctx_new() };
    /// // SAFETY: a fresh context that nothing else owns.
    /// let ctx = unsafe { zmq4::Context::from_raw(raw) }?;
    /// let _pub = ctx.socket(zmq4::SocketType::Pub)?;
    /// # Ok::<(), zmq4::Error>(())
    /// ```
    pub unsafe fn from_raw(raw: *mut c_void) -> Result<Context> {
        if raw.is_null() {
            return Err(Error::InvalidArgument);
        }
        Ok(Context {
            inner: Arc::new(ContextInner::owning(raw)),
        })
    }
}

impl Message {
    /// Gives up ownership of the message without closing it: the caller owns the
    /// `zmq_msg_t` (a plain value, moved out) and releases it with `zmq_msg_close`, or
    /// hands it back with [`Message::from_raw`].
    ///
    /// ```
    /// let mut raw = zmq4::Message::from("bytes").into_raw();
    /// // SAFETY: an initialised message that nothing else owns; closed once.
    /// unsafe {
    ///     assert_eq!(zmq4::sys::zmq_msg_size(&raw), 5);
    ///     assert_eq!(zmq4::sys::zmq_msg_close(&mut raw), 0);
    /// }
    /// ```
    pub fn into_raw(self) -> sys::zmq_msg_t {
        let this = ManuallyDrop::new(self);
        // SAFETY: `this` is never dropped, so the message is moved out exactly once and not
        // closed; a zmq_msg_t may be moved bitwise (libzmq finds inline data from its own
        // address on every access).
        unsafe { std::ptr::read(this.raw.get()) }
    }

    /// Takes ownership of an initialised `zmq_msg_t` (from `zmq_msg_init*`, a receive, or
    /// [`Message::into_raw`]); the `Message` closes it when dropped.
    ///
    /// # Safety
    /// `raw` was initialised by libzmq and is not closed; nobody else closes it from now on.
    /// A message that `zmq_msg_copy` shared with others may only be read through the
    /// result, as with any [`Message`].
    ///
    /// ```
    /// let mut raw = std::mem::MaybeUninit::<zmq4::sys::zmq_msg_t>::uninit();
    /// // SAFETY: zmq_msg_init_size initialises the message it is given.
    /// assert_eq!(unsafe { zmq4::sys::zmq_msg_init_size(raw.as_mut_ptr(), 3) }, 0);
    /// // SAFETY: initialised just now, owned by nobody else.
    /// let msg = unsafe { zmq4::Message::from_raw(raw.assume_init()) };
    /// assert_eq!(msg.len(), 3);
    /// ```
    pub unsafe fn from_raw(raw: sys::zmq_msg_t) -> Message {
        Message {
            raw: UnsafeCell::new(raw),
        }
    }
}
