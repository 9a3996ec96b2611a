//! Async sockets for the tokio runtime (feature `tokio`, Unix): [`AsyncSocket`] for every
//! socket type, classic and thread-safe, with `futures` [`Stream`]s of messages and
//! [`Sink`]s for sending, async monitor events ([`MonitorStream`], with [`Event`] and
//! [`MonitorEvents`] re-exported here), and a context's end that never blocks the runtime
//! ([`Context::term_async`]).
//!
//! ```
//! use zmq4::tokio::AsyncSocket;
//! use zmq4::{Context, SocketType};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> zmq4::Result<()> {
//! let ctx = Context::new();
//! let pull = AsyncSocket::new(ctx.socket(SocketType::Pull)?)?;
//! pull.bind("inproc://doc-tokio")?;
//! let push = AsyncSocket::new(ctx.socket(SocketType::Push)?)?;
//! push.connect("inproc://doc-tokio")?;
//!
//! let sender = tokio::spawn(async move { push.send_multipart(["job", "42"]).await });
//! let parts = pull.recv_multipart().await?;
//! assert_eq!(&parts[0][..], &b"job"[..]);
//! assert_eq!(&parts[1][..], &b"42"[..]);
//! sender.await.expect("sender task")?;
//! # Ok(())
//! # }
//! ```
//!
//! # How readiness works, and why no wake-up is lost
//! libzmq tells an event loop that a socket may have changed through a descriptor: `ZMQ_FD`
//! for classic sockets, and for the thread-safe draft types (which have none) the descriptor
//! of a `zmq_poller` holding the socket (`zmq_poller_fd`). It becomes readable when a
//! *command* reaches the socket's mailbox while nothing is reading it (a peer's pipe got a
//! message or room, a peer connected, the context was shut down); `ZMQ_EVENTS` says what the
//! state then is. The descriptor is edge-triggered in effect, and **any** call into the socket
//! — send, receive, `ZMQ_EVENTS`, bind … — may process the pending commands and consume the
//! signal. The integration registers the descriptor with tokio (read interest only) and keeps
//! these rules, all under the socket's lock:
//!
//! 1. An operation first simply tries, non-blocking. Only `EAGAIN` makes it wait.
//! 2. Before waiting it registers its task and takes a readiness snapshot of the descriptor
//!    from tokio. If the snapshot says ready, it reads `ZMQ_EVENTS`, which processes every
//!    pending command (consuming the signal), after which the next command signals the
//!    descriptor afresh; if `ZMQ_EVENTS` says the operation can proceed, it tries again.
//! 3. Readiness is cleared only through that snapshot — tokio ignores the clear when an edge
//!    arrived after the snapshot — so a task parks only when a snapshot taken *after* it
//!    registered and after its last attempt was not ready. Then every command is either
//!    processed before that attempt (and reflected in its `EAGAIN`), or still unprocessed
//!    with its signal unconsumed and its edge ahead, or arrives later and raises a new edge:
//!    each of the last two wakes the task.
//! 4. After every call into the socket, if any task waits, `ZMQ_EVENTS` is read again and
//!    the waiters it lets proceed are woken (once the lock is released: no waker runs under
//!    a lock of this crate): the call may have consumed the signal meant for
//!    them (the classic lost wake-up of a receiver parked while a sender works the socket).
//!    When nothing waits this costs nothing, so a busy socket pays no extra system call.
//! 5. The waker tokio holds for the descriptor wakes every waiting task, so any number of
//!    tasks can wait on one socket, in both directions.
//!
//! There is no busy spin either: a parked task runs again only after an edge, after another
//! call on the socket made progress (rule 4), or after yielding to tokio's cooperative
//! budget; it retries at most once per `ZMQ_EVENTS` that says go, and an operation that fails
//! although `ZMQ_EVENTS` says go (a `ROUTER_MANDATORY` send towards a full peer, while
//! `POLLOUT` is set because another peer has room) parks until the next edge instead of
//! looping. The tests in `zmq4-tokio-tests/tests/async_wakeups.rs` count the polls of idle
//! and blocked operations to hold both properties.
//!
//! # Cancellation
//! Every operation is made of non-blocking libzmq calls under the socket's lock, so a future
//! dropped while pending (a lost `tokio::select!` race, a timeout) has done nothing visible:
//!
//! | operation | when its future is dropped before completing |
//! |---|---|
//! | [`recv`](AsyncSocket::recv), [`recv_msg`](AsyncSocket::recv_msg), [`recv_into`](AsyncSocket::recv_into), [`RecvStream`] | nothing was received: the message is the next receive's |
//! | [`recv_many`](AsyncSocket::recv_many), [`recv_batch`](AsyncSocket::recv_batch) | nothing was received: a batch is taken in one go, when the future completes |
//! | [`recv_multipart`](AsyncSocket::recv_multipart), [`MultipartStream`] | nothing was received, never part of a message: the frames of one message are read in one go (libzmq delivers them together), and should a later frame be missing, those read stay in the socket for the next receive |
//! | [`send`](AsyncSocket::send) | the message was not sent (it is dropped with the future) |
//! | [`send_msg`](AsyncSocket::send_msg) | not sent, and still in the caller's [`Message`] |
//! | [`send_slice`](AsyncSocket::send_slice), [`send_slices`](AsyncSocket::send_slices) | not sent, not one frame (the bytes are still the caller's); `send_slices` sends its batch in one go, when the future completes |
//! | [`send_multipart`](AsyncSocket::send_multipart) | not sent, not a single frame. Completion means libzmq took the first frame; the socket then sends the rest before any later message, even if nobody awaits it |
//! | [`flush`](AsyncSocket::flush) | nothing lost: the queued frames stay queued |
//! | [`SendSink`], [`MultipartSink`] | items given to `start_send` wait in the sink until sent (up to [`SendSink::CAPACITY`] messages, one multipart message); dropping the sink drops items not yet sent |
//!
//! So all receives are cancel-safe, and a cancelled send leaves the message unsent (and, for
//! `send_msg`, in your hands), never half-sent.
//!
//! # Threads and tasks
//! An [`AsyncSocket`] is `Send + Sync + Clone` for classic and thread-safe sockets alike:
//! clones share one socket, and its operations are serialised by a lock, which gives libzmq
//! the one-thread-at-a-time use it requires of classic sockets. Any task of a multi-threaded
//! runtime may send or receive, several at once.
//!
//! Operations take part in tokio's cooperative scheduling, so a task looping over a socket
//! that is always ready still lets the other tasks of its thread run: every eighth
//! operation is charged a unit of the task's budget (a libzmq operation costs a fraction of
//! the system call that each unit stands for in tokio's own I/O types), so such a task
//! yields every 1,024 operations. For bulk transfers, [`recv_batch`](AsyncSocket::recv_batch),
//! [`recv_many`](AsyncSocket::recv_many), [`send_slices`](AsyncSocket::send_slices) and
//! [`SendSink`] move many messages per operation.
//!
//! Sockets must be made inside a tokio runtime with I/O enabled (`enable_io`, which
//! `#[tokio::main]` and `Runtime::new` do). [`Context::shutdown`](crate::Context::shutdown)
//! wakes every pending operation of the context's sockets with
//! [`Error::ContextTerminated`].
//!
//! # Ending: linger and the context
//! Closing a socket never blocks; ending its context does. The context is terminated
//! (`zmq_ctx_term`) when the last [`Context`] handle and the last socket (sync or async,
//! each holds its context) are dropped, and termination **waits for every unsent message
//! of every socket for its `ZMQ_LINGER`: by default, −1, for ever** (libzmq's default;
//! czmq sets 0). In async code that wait happens on the runtime thread that drops the last
//! handle, which then stops running its other tasks, and with a peer that is gone it never
//! returns. So:
//!
//! - give sockets a bounded linger ([`set_linger`](AsyncSocket::set_linger)`(0)` drops
//!   unsent messages at once; a few hundred milliseconds gives them a chance), and
//! - end the context with [`Context::term_async`], which runs `zmq_ctx_term` on tokio's
//!   blocking thread pool and completes when it returns; keep a `Context` handle until
//!   then, so that the last drop is not a blocking one.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> zmq4::Result<()> {
//! use zmq4::{tokio::AsyncSocket, Context, SocketType};
//! let ctx = Context::new();
//! let push = AsyncSocket::new(ctx.socket(SocketType::Push)?)?;
//! push.set_linger(0)?;
//! push.connect("inproc://doc-nobody-binds")?; // no peer: the message below stays queued
//! push.send("lost").await?;
//! drop(push);
//! ctx.term_async().await?; // returns at once with linger 0, on a blocking thread
//! # Ok(())
//! # }
//! ```
//!
//! # Security
//! CURVE, PLAIN and ZAP need nothing async of their own: the handshake runs in libzmq's I/O
//! thread, and the [`Authenticator`](crate::auth::Authenticator) answers ZAP requests on
//! its own thread over inproc, so it guards async servers exactly as blocking ones (start
//! it before the server binds; its policy callbacks are plain closures). Refusals arrive as
//! [`Event::HandshakeFailedAuth`] on the
//! server's [`MonitorStream`]; `zmq4-tokio-tests/tests/async_security.rs` runs both
//! mechanisms this way.

mod core;
mod lock;
#[cfg(all(test, zmq4_loom))]
mod loom_model;
mod monitor;
mod stream;
mod sync;

/// The monitor types, from [`crate::monitor`], beside [`MonitorStream`].
#[doc(no_inline)]
pub use crate::monitor::{Event, MonitorEvent, MonitorEvents, ProtocolError};
pub use monitor::MonitorStream;
pub use stream::{MultipartSink, MultipartStream, RecvStream, SendSink};

use self::core::{Dir, Inner, Op, State};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::message::{FrameError, FrameValue, Message};
use crate::options::{ReadableOption, WritableOption};
use crate::socket::{Exclusive, Socket, ThreadMode};
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::sync::Arc;

#[doc(no_inline)]
pub use futures_core::Stream;
#[doc(no_inline)]
pub use futures_sink::Sink;

/// A socket driven by the tokio runtime: async send and receive of single and multipart
/// messages, for every socket type; see the [module documentation](self) for the readiness
/// rules and which operations are cancel-safe.
///
/// `AsyncSocket<Exclusive>` wraps a classic [`Socket`] (or a thread-safe type made with
/// [`Context::socket`](crate::Context::socket)), `AsyncSocket<Shared>` a
/// [`SharedSocket`](crate::SharedSocket). Both are `Send + Sync + Clone`; clones share the
/// socket, which is closed when the last clone, stream and sink are dropped.
///
/// ```
/// use zmq4::tokio::AsyncSocket;
/// use zmq4::{Context, SocketType};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> zmq4::Result<()> {
/// let ctx = Context::new();
/// let server = AsyncSocket::new(ctx.shared_socket(SocketType::Server)?)?;
/// server.bind("tcp://127.0.0.1:*")?; // thread-safe types refuse inproc
/// let client = AsyncSocket::new(ctx.shared_socket(SocketType::Client)?)?;
/// client.connect(&server.last_endpoint()?)?;
///
/// client.send("ping").await?;
/// let request = server.recv().await?;
/// let routing_id = request.routing_id().expect("SERVER messages carry a routing id");
/// let mut reply = zmq4::Message::from("pong");
/// reply.set_routing_id(routing_id)?;
/// server.send(reply).await?;
/// assert_eq!(&client.recv().await?[..], &b"pong"[..]);
/// # Ok(())
/// # }
/// ```
pub struct AsyncSocket<M: ThreadMode = Exclusive> {
    inner: Arc<Inner<M>>,
}

impl<M: ThreadMode> Clone for AsyncSocket<M> {
    /// Another handle to the same socket.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// let ctx = zmq4::Context::new();
    /// let pair = zmq4::tokio::AsyncSocket::new(ctx.socket(zmq4::SocketType::Pair)?)?;
    /// let other = pair.clone();
    /// other.bind("inproc://doc-clone")?;
    /// assert_eq!(pair.with_socket(|s| s.last_endpoint())?, "inproc://doc-clone");
    /// # Ok(())
    /// # }
    /// ```
    fn clone(&self) -> Self {
        AsyncSocket {
            inner: Arc::clone(&self.inner),
        }
    }
}

/// Shows the libzmq socket's address, the descriptor tokio watches and the number of
/// pending operations. Takes no lock, so it never blocks, also inside
/// [`with_socket`](AsyncSocket::with_socket).
impl<M: ThreadMode> fmt::Debug for AsyncSocket<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (raw, fd) = self.inner.debug_ids();
        f.debug_struct("AsyncSocket")
            .field("raw", &format_args!("{raw:#x}"))
            .field("fd", &fd)
            .field("waiting", &self.inner.waiters.len())
            .finish()
    }
}

impl<M: ThreadMode> AsyncSocket<M> {
    /// Registers `socket` with the current tokio runtime: its `ZMQ_FD`, or for a thread-safe
    /// socket the descriptor of a `zmq_poller` made for it.
    ///
    /// # Errors
    /// [`Error::NotSupported`] outside a tokio runtime; errors of
    /// reading `ZMQ_FD` or making the poller (e.g. [`Error::ContextTerminated`]).
    ///
    /// # Panics
    /// Like tokio's own I/O types, if the current runtime was built without I/O
    /// (`Builder::enable_io`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// use zmq4::{tokio::AsyncSocket, Context, SocketType};
    /// let ctx = Context::new();
    /// let sub = AsyncSocket::new(ctx.socket(SocketType::Sub)?)?;
    /// let dish = AsyncSocket::new(ctx.shared_socket(SocketType::Dish)?)?;
    /// # drop((sub, dish));
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// Outside a runtime:
    /// ```
    /// use zmq4::{tokio::AsyncSocket, Context, Error, SocketType};
    /// let ctx = Context::new();
    /// let err = AsyncSocket::new(ctx.socket(SocketType::Pull)?).unwrap_err();
    /// assert_eq!(err, Error::NotSupported);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn new(socket: Socket<M>) -> Result<Self> {
        Ok(AsyncSocket {
            inner: Arc::new(Inner::new(socket)?),
        })
    }

    /// Runs `f` with the socket, under the socket's lock, for options and anything else this
    /// type does not wrap; afterwards the readiness rules are applied as after any call.
    ///
    /// `f` must not block (no blocking send or receive) and must not use this `AsyncSocket`
    /// (or a clone): the lock is not re-entrant, and an operation of another thread on this
    /// socket waits for `f` (spinning briefly, then sleeping in 50 µs steps).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// let ctx = zmq4::Context::new();
    /// let sub = zmq4::tokio::AsyncSocket::new(ctx.socket(zmq4::SocketType::Sub)?)?;
    /// sub.with_socket(|s| {
    ///     s.set_rcvhwm(10_000)?;
    ///     s.set_subscribe(b"weather.")
    /// })?;
    /// assert_eq!(sub.with_socket(|s| s.rcvhwm())?, 10_000);
    /// # Ok(())
    /// # }
    /// ```
    pub fn with_socket<R>(&self, f: impl FnOnce(&Socket<M>) -> R) -> R {
        self.inner.with_socket(f)
    }

    /// Accepts connections on an endpoint ([`Socket::bind`]).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// let ctx = zmq4::Context::new();
    /// let rep = zmq4::tokio::AsyncSocket::new(ctx.socket(zmq4::SocketType::Rep)?)?;
    /// rep.bind("tcp://127.0.0.1:*")?;
    /// assert!(rep.with_socket(|s| s.last_endpoint())?.starts_with("tcp://127.0.0.1:"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn bind(&self, endpoint: &str) -> Result<()> {
        self.with_socket(|s| s.bind(endpoint))
    }

    /// Connects to an endpoint ([`Socket::connect`]).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// let ctx = zmq4::Context::new();
    /// let req = zmq4::tokio::AsyncSocket::new(ctx.socket(zmq4::SocketType::Req)?)?;
    /// req.connect("tcp://127.0.0.1:5555")?; // made in the background, when a peer listens
    /// # Ok(())
    /// # }
    /// ```
    pub fn connect(&self, endpoint: &str) -> Result<()> {
        self.with_socket(|s| s.connect(endpoint))
    }

    /// Stops accepting on an endpoint ([`Socket::unbind`]).
    pub fn unbind(&self, endpoint: &str) -> Result<()> {
        self.with_socket(|s| s.unbind(endpoint))
    }

    /// Drops a connection made with [`connect`](AsyncSocket::connect)
    /// ([`Socket::disconnect`]).
    pub fn disconnect(&self, endpoint: &str) -> Result<()> {
        self.with_socket(|s| s.disconnect(endpoint))
    }

    /// Reads a socket option named by its marker type ([`Socket::get`]). Every option also
    /// has its own method here, as on [`Socket`]: `linger()`, `set_linger()`,
    /// `last_endpoint()`, …
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// use zmq4::{opt, tokio::AsyncSocket, Context, SocketType};
    /// let ctx = Context::new();
    /// let rep = AsyncSocket::new(ctx.socket(SocketType::Rep)?)?;
    /// rep.set_linger(0)?;
    /// rep.set(opt::Rcvhwm, 10)?;
    /// rep.bind("tcp://127.0.0.1:*")?;
    /// assert!(rep.last_endpoint()?.starts_with("tcp://127.0.0.1:"));
    /// assert_eq!((rep.linger()?, rep.get(opt::Rcvhwm)?), (0, 10));
    /// # Ok(())
    /// # }
    /// ```
    pub fn get<O: ReadableOption>(&self, option: O) -> Result<O::Value> {
        self.with_socket(|s| s.get(option))
    }

    /// Writes a socket option named by its marker type ([`Socket::set`]).
    pub fn set<O: WritableOption>(&self, option: O, value: O::Input<'_>) -> Result<()> {
        self.with_socket(|s| s.set(option, value))
    }

    /// Receives one frame. Cancel-safe: if the future is dropped before completing, nothing
    /// was received.
    ///
    /// A frame of a multipart message says so with [`Message::more`]; use
    /// [`recv_multipart`](AsyncSocket::recv_multipart) to get whole messages.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// use zmq4::{tokio::AsyncSocket, Context, SocketType};
    /// let ctx = Context::new();
    /// let a = AsyncSocket::new(ctx.socket(SocketType::Pair)?)?;
    /// a.bind("inproc://doc-recv")?;
    /// let b = AsyncSocket::new(ctx.socket(SocketType::Pair)?)?;
    /// b.connect("inproc://doc-recv")?;
    /// b.send("hello").await?;
    /// let msg = a.recv().await?;
    /// assert_eq!(&msg[..], &b"hello"[..]);
    /// assert!(!msg.more());
    /// # Ok(())
    /// # }
    /// ```
    pub fn recv(&self) -> impl Future<Output = Result<Message>> + '_ {
        Op::new(&self.inner, Dir::In, |st: &mut State<M>| st.try_recv())
    }

    /// Receives one frame into `msg`, replacing its content (reusing one message allocates
    /// nothing for small frames). Cancel-safe: if dropped before completing, nothing was
    /// received (`msg` may have been emptied).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// use zmq4::{tokio::AsyncSocket, Context, Message, SocketType};
    /// let ctx = Context::new();
    /// let pull = AsyncSocket::new(ctx.socket(SocketType::Pull)?)?;
    /// pull.bind("inproc://doc-recv-msg")?;
    /// let push = AsyncSocket::new(ctx.socket(SocketType::Push)?)?;
    /// push.connect("inproc://doc-recv-msg")?;
    /// let mut msg = Message::new();
    /// for i in 0..3u8 {
    ///     push.send(&[i][..]).await?;
    ///     pull.recv_msg(&mut msg).await?;
    ///     assert_eq!(&msg[..], &[i][..]);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn recv_msg<'a>(&'a self, msg: &'a mut Message) -> impl Future<Output = Result<()>> + 'a {
        Op::new(&self.inner, Dir::In, move |st: &mut State<M>| {
            st.try_recv_msg(msg)
        })
    }

    /// Receives up to `limit` frames at once: waits for the first (like
    /// [`recv`](AsyncSocket::recv)), then appends it and every further frame that is already
    /// there to `buf`, and returns how many it appended. Cancel-safe: if the future is
    /// dropped before completing, nothing was received.
    ///
    /// This is the fast way to drain a busy socket: one call costs one task poll, one lock
    /// and one charge to tokio's cooperative budget for the whole batch, where
    /// [`recv`](AsyncSocket::recv) pays them per frame. Frames of a multipart message keep
    /// their order and [`Message::more`] flags, and a message may be split between two
    /// batches when `limit` is reached. A `limit` of 0 returns 0 at once.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// use zmq4::{tokio::AsyncSocket, Context, SocketType};
    /// let ctx = Context::new();
    /// let pull = AsyncSocket::new(ctx.socket(SocketType::Pull)?)?;
    /// pull.bind("inproc://doc-recv-many")?;
    /// let push = AsyncSocket::new(ctx.socket(SocketType::Push)?)?;
    /// push.connect("inproc://doc-recv-many")?;
    /// for i in 0..10u8 {
    ///     push.send(&[i][..]).await?;
    /// }
    /// let mut batch = Vec::new();
    /// let mut got = 0;
    /// while got < 10 {
    ///     got += pull.recv_many(&mut batch, 4).await?; // 1 to 4 frames per call
    /// }
    /// assert_eq!(batch.len(), 10);
    /// assert_eq!(&batch[9][..], &[9u8][..]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn recv_many<'a>(
        &'a self,
        buf: &'a mut Vec<Message>,
        limit: usize,
    ) -> impl Future<Output = Result<usize>> + 'a {
        Op::new(&self.inner, Dir::In, move |st: &mut State<M>| {
            // With no room, done at once (no wait: nothing could be taken anyway).
            match limit {
                0 => Ok(0),
                _ => st.try_recv_many(buf, limit),
            }
        })
    }

    /// Receives up to `msgs.len()` frames into the messages of `msgs`, reusing them as
    /// [`recv_msg`](AsyncSocket::recv_msg) does: waits for the first frame, then takes every
    /// further one that is already there, and returns how many it received (the first that
    /// many messages hold them, in order; later ones may have been emptied). Cancel-safe:
    /// if the future is dropped before completing, nothing was received. An empty `msgs`
    /// completes at once with 0.
    ///
    /// The fastest way to drain a busy socket: one task poll, one lock and one charge to
    /// tokio's budget per batch, and, unlike [`recv_many`](AsyncSocket::recv_many), no new
    /// [`Message`] per frame. Frames of a multipart message keep their order and their
    /// [`more`](Message::more) flags, and a batch may end in the middle of one.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// use zmq4::{tokio::AsyncSocket, Context, Message, SocketType};
    /// let ctx = Context::new();
    /// let pull = AsyncSocket::new(ctx.socket(SocketType::Pull)?)?;
    /// pull.bind("inproc://doc-recv-batch")?;
    /// let push = AsyncSocket::new(ctx.socket(SocketType::Push)?)?;
    /// push.connect("inproc://doc-recv-batch")?;
    /// for i in 0..10u8 {
    ///     push.send_slice(&[i]).await?;
    /// }
    /// let mut batch: Vec<Message> = (0..4).map(|_| Message::new()).collect();
    /// let mut seen = Vec::new();
    /// while seen.len() < 10 {
    ///     let n = pull.recv_batch(&mut batch).await?; // 1 to 4 frames per call
    ///     seen.extend(batch[..n].iter().map(|m| m[0]));
    /// }
    /// assert_eq!(seen, (0..10u8).collect::<Vec<_>>());
    /// # Ok(())
    /// # }
    /// ```
    pub fn recv_batch<'a>(
        &'a self,
        msgs: &'a mut [Message],
    ) -> impl Future<Output = Result<usize>> + 'a {
        Op::new(&self.inner, Dir::In, move |st: &mut State<M>| {
            match msgs.len() {
                0 => Ok(0),
                _ => st.try_recv_batch(msgs),
            }
        })
    }

    /// Receives every frame of one message. Cancel-safe: if dropped before completing,
    /// nothing was received; a message is never split between two receives.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// use zmq4::{tokio::AsyncSocket, Context, SocketType};
    /// let ctx = Context::new();
    /// let router = AsyncSocket::new(ctx.socket(SocketType::Router)?)?;
    /// router.bind("inproc://doc-recv-multipart")?;
    /// let dealer = AsyncSocket::new(ctx.socket(SocketType::Dealer)?)?;
    /// dealer.with_socket(|s| s.set_routing_id(b"d1"))?;
    /// dealer.connect("inproc://doc-recv-multipart")?;
    /// dealer.send_multipart(["a", "b"]).await?;
    /// let parts = router.recv_multipart().await?;
    /// assert_eq!(parts.len(), 3); // routing id, "a", "b"
    /// assert_eq!(&parts[0][..], &b"d1"[..]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn recv_multipart(&self) -> impl Future<Output = Result<Vec<Message>>> + '_ {
        Op::new(&self.inner, Dir::In, |st: &mut State<M>| {
            st.try_recv_multipart()
        })
    }

    /// Receives one frame as a `String` ([`Socket::recv_string`]): [`FrameError::InvalidUtf8`]
    /// (with the bytes) if it is not UTF-8. Cancel-safe, as [`recv`](AsyncSocket::recv).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use zmq4::{tokio::AsyncSocket, Context, SocketType};
    /// let ctx = Context::new();
    /// let pull = AsyncSocket::new(ctx.socket(SocketType::Pull)?)?;
    /// pull.bind("inproc://doc-async-values")?;
    /// let push = AsyncSocket::new(ctx.socket(SocketType::Push)?)?;
    /// push.connect("inproc://doc-async-values")?;
    /// push.send("text").await?;
    /// push.send_value(7u64).await?;
    /// assert_eq!(pull.recv_string().await?, "text");
    /// assert_eq!(pull.recv_value::<u64>().await?, 7);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn recv_string(&self) -> std::result::Result<String, FrameError> {
        FrameError::utf8(self.recv().await?.to_vec())
    }

    /// Receives one frame as a fixed-width value ([`Socket::recv_value`]):
    /// [`FrameError::WrongSize`] if it does not have exactly [`FrameValue::SIZE`] bytes (the
    /// frame is consumed either way). Cancel-safe, as [`recv`](AsyncSocket::recv).
    pub async fn recv_value<T: FrameValue>(&self) -> std::result::Result<T, FrameError> {
        self.recv().await?.to_value()
    }

    /// Sends a fixed-width value as one frame ([`Socket::send_value`]); as
    /// [`send`](AsyncSocket::send) otherwise.
    pub fn send_value<T: FrameValue>(&self, value: T) -> impl Future<Output = Result<()>> + '_ {
        self.send(value.to_message())
    }

    /// Sends a single-frame message. If the future is dropped before completing, the message
    /// was not sent (and is dropped with it; [`send_msg`](AsyncSocket::send_msg) keeps it).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// use zmq4::{tokio::AsyncSocket, Context, Message, SocketType};
    /// let ctx = Context::new();
    /// let pull = AsyncSocket::new(ctx.socket(SocketType::Pull)?)?;
    /// pull.bind("inproc://doc-send")?;
    /// let push = AsyncSocket::new(ctx.socket(SocketType::Push)?)?;
    /// push.connect("inproc://doc-send")?;
    /// push.send("text").await?;
    /// push.send(vec![1u8, 2, 3]).await?; // zero-copy from a Vec
    /// push.send(Message::from_static(b"static")).await?;
    /// assert_eq!(&pull.recv().await?[..], &b"text"[..]);
    /// assert_eq!(&pull.recv().await?[..], &[1u8, 2, 3][..]);
    /// assert_eq!(&pull.recv().await?[..], &b"static"[..]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn send(&self, msg: impl Into<Message>) -> impl Future<Output = Result<()>> + '_ {
        self.send_owned(msg.into())
    }

    /// [`send`](AsyncSocket::send) once the message is made (not generic, so the future's
    /// type does not depend on what the caller passed).
    fn send_owned(&self, msg: Message) -> impl Future<Output = Result<()>> + '_ {
        let mut msg = Some(msg);
        Op::new(&self.inner, Dir::Out, move |st: &mut State<M>| {
            if let Some(m) = msg.as_mut() {
                st.try_send(m)?;
                // Sent, so empty: no zmq_msg_close needed.
                if let Some(m) = msg.take() {
                    m.forget_sent();
                }
            }
            Ok(())
        })
    }

    /// Sends `msg` as a single-frame message, leaving it empty. If the future is dropped
    /// before completing, the message was not sent and `msg` still holds it, so retrying
    /// neither loses nor duplicates it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// use std::time::Duration;
    /// use zmq4::{tokio::AsyncSocket, Context, Message, SocketType};
    /// let ctx = Context::new();
    /// let push = AsyncSocket::new(ctx.socket(SocketType::Push)?)?;
    /// push.bind("inproc://doc-send-msg")?; // no peer yet: a send would wait
    /// let mut msg = Message::from("job");
    /// let sent = tokio::time::timeout(Duration::from_millis(10), push.send_msg(&mut msg)).await;
    /// assert!(sent.is_err()); // timed out, so cancelled
    /// assert_eq!(&msg[..], &b"job"[..]); // and the message is still here
    ///
    /// let pull = AsyncSocket::new(ctx.socket(SocketType::Pull)?)?;
    /// pull.connect("inproc://doc-send-msg")?;
    /// push.send_msg(&mut msg).await?;
    /// assert!(msg.is_empty());
    /// assert_eq!(&pull.recv().await?[..], &b"job"[..]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn send_msg<'a>(&'a self, msg: &'a mut Message) -> impl Future<Output = Result<()>> + 'a {
        Op::new(&self.inner, Dir::Out, move |st: &mut State<M>| {
            st.try_send(msg)
        })
    }

    /// Sends a frame holding a copy of `data` (`zmq_send`), as
    /// [`Socket::send`](crate::Socket::send) does: the cheapest way to send bytes the caller
    /// keeps, since no [`Message`] is made or kept in the future (libzmq copies the bytes
    /// when it accepts the frame). Cancel-safe: if the future is dropped before completing,
    /// nothing was sent.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// use zmq4::{tokio::AsyncSocket, Context, SocketType};
    /// let ctx = Context::new();
    /// let pull = AsyncSocket::new(ctx.socket(SocketType::Pull)?)?;
    /// pull.bind("inproc://doc-send-slice")?;
    /// let push = AsyncSocket::new(ctx.socket(SocketType::Push)?)?;
    /// push.connect("inproc://doc-send-slice")?;
    /// let mut buf = *b"tick 0";
    /// for i in 0..3u8 {
    ///     buf[5] = b'0' + i;
    ///     push.send_slice(&buf).await?;
    /// }
    /// assert_eq!(&pull.recv().await?[..], &b"tick 0"[..]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn send_slice<'a>(&'a self, data: &'a [u8]) -> impl Future<Output = Result<()>> + 'a {
        Op::new(&self.inner, Dir::Out, move |st: &mut State<M>| {
            st.try_send_slice(data)
        })
    }

    /// Sends copies of the first of `frames`, and of as many of the following ones as libzmq
    /// takes without waiting, each as a single-frame message (`zmq_send`), in order; waits
    /// only until it can send the first, and returns how many it sent (at least one; 0 for an
    /// empty `frames`). Cancel-safe: if the future is dropped before completing, nothing was
    /// sent.
    ///
    /// The bulk form of [`send_slice`](AsyncSocket::send_slice): one task poll, one lock and
    /// one charge to tokio's budget per batch. Send the rest by calling it again with the
    /// frames not yet sent:
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// use zmq4::{tokio::AsyncSocket, Context, SocketType};
    /// let ctx = Context::new();
    /// let pull = AsyncSocket::new(ctx.socket(SocketType::Pull)?)?;
    /// pull.bind("inproc://doc-send-slices")?;
    /// let push = AsyncSocket::new(ctx.socket(SocketType::Push)?)?;
    /// push.connect("inproc://doc-send-slices")?;
    /// let records = ["a", "b", "c", "d"];
    /// let mut sent = 0;
    /// while sent < records.len() {
    ///     sent += push.send_slices(&records[sent..]).await?;
    /// }
    /// for r in records {
    ///     assert_eq!(&pull.recv().await?[..], r.as_bytes());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn send_slices<'a, B: AsRef<[u8]>>(
        &'a self,
        frames: &'a [B],
    ) -> impl Future<Output = Result<usize>> + 'a {
        Op::new(
            &self.inner,
            Dir::Out,
            move |st: &mut State<M>| match frames.len() {
                0 => Ok(0),
                _ => st.try_send_slices(frames),
            },
        )
    }

    /// Receives a frame into a caller buffer (`zmq_recv`), as
    /// [`Socket::recv_into`](crate::Socket::recv_into) does: a longer frame is truncated to
    /// the buffer and reported so in [`Received`](crate::Received). Cancel-safe: if the
    /// future is dropped before completing, nothing was received.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// use zmq4::{tokio::AsyncSocket, Context, SocketType};
    /// let ctx = Context::new();
    /// let pull = AsyncSocket::new(ctx.socket(SocketType::Pull)?)?;
    /// pull.bind("inproc://doc-recv-into")?;
    /// let push = AsyncSocket::new(ctx.socket(SocketType::Push)?)?;
    /// push.connect("inproc://doc-recv-into")?;
    /// push.send("a longer frame").await?;
    /// let mut buf = [0u8; 8];
    /// let got = pull.recv_into(&mut buf).await?;
    /// assert_eq!(&buf[..got.copied], &b"a longer"[..]);
    /// assert!(got.truncated());
    /// # Ok(())
    /// # }
    /// ```
    pub fn recv_into<'a>(
        &'a self,
        buf: &'a mut [u8],
    ) -> impl Future<Output = Result<crate::Received>> + 'a {
        Op::new(&self.inner, Dir::In, move |st: &mut State<M>| {
            st.try_recv_into(buf)
        })
    }

    /// Sends every part as one multipart message. All or nothing: if the future is dropped
    /// before completing, no frame was sent. It completes once libzmq took the first frame;
    /// the socket then sends the others before any later message (libzmq accepts them at
    /// once in practice, since its high-water marks count whole messages). An empty
    /// iterator sends nothing.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// use zmq4::{tokio::AsyncSocket, Context, Message, SocketType};
    /// let ctx = Context::new();
    /// let pull = AsyncSocket::new(ctx.socket(SocketType::Pull)?)?;
    /// pull.bind("inproc://doc-send-multipart")?;
    /// let push = AsyncSocket::new(ctx.socket(SocketType::Push)?)?;
    /// push.connect("inproc://doc-send-multipart")?;
    /// push.send_multipart([Message::from("header"), Message::from(vec![0u8; 1024])]).await?;
    /// let parts = pull.recv_multipart().await?;
    /// assert_eq!(&parts[0][..], &b"header"[..]);
    /// assert_eq!(parts[1].len(), 1024);
    /// # Ok(())
    /// # }
    /// ```
    pub fn send_multipart<I>(&self, parts: I) -> impl Future<Output = Result<()>> + '_
    where
        I: IntoIterator,
        I::Item: Into<Message>,
    {
        self.send_parts(parts.into_iter().map(Into::into).collect())
    }

    /// [`send_multipart`](AsyncSocket::send_multipart) once the frames are collected.
    fn send_parts(&self, mut parts: VecDeque<Message>) -> impl Future<Output = Result<()>> + '_ {
        Op::new(&self.inner, Dir::Out, move |st: &mut State<M>| {
            st.try_send_parts(&mut parts)
        })
    }

    /// Waits until the socket has handed every queued frame to libzmq: the rest of a
    /// multipart message whose first frame was accepted (see
    /// [`send_multipart`](AsyncSocket::send_multipart)). Returns at once if none is queued.
    /// Cancel-safe.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// let ctx = zmq4::Context::new();
    /// let push = zmq4::tokio::AsyncSocket::new(ctx.socket(zmq4::SocketType::Push)?)?;
    /// push.flush().await?; // nothing queued
    /// # Ok(())
    /// # }
    /// ```
    pub fn flush(&self) -> impl Future<Output = Result<()>> + '_ {
        Op::new(&self.inner, Dir::Out, |st: &mut State<M>| st.try_flush())
    }

    /// A [`Stream`] of received frames (cancel-safe, like [`recv`](AsyncSocket::recv)).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// use futures_util::StreamExt;
    /// use zmq4::{tokio::AsyncSocket, Context, SocketType};
    /// let ctx = Context::new();
    /// let pull = AsyncSocket::new(ctx.socket(SocketType::Pull)?)?;
    /// pull.bind("inproc://doc-stream")?;
    /// let push = AsyncSocket::new(ctx.socket(SocketType::Push)?)?;
    /// push.connect("inproc://doc-stream")?;
    /// for word in ["a", "b", "c"] {
    ///     push.send(word).await?;
    /// }
    /// let words: Vec<_> = pull.stream().take(3).collect().await;
    /// assert_eq!(words.into_iter().collect::<zmq4::Result<Vec<_>>>()?.len(), 3);
    /// # Ok(())
    /// # }
    /// ```
    pub fn stream(&self) -> RecvStream<M> {
        RecvStream::new(Arc::clone(&self.inner))
    }

    /// A [`Stream`] of whole multipart messages (cancel-safe, like
    /// [`recv_multipart`](AsyncSocket::recv_multipart)).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// use futures_util::StreamExt;
    /// use zmq4::{tokio::AsyncSocket, Context, SocketType};
    /// let ctx = Context::new();
    /// let pull = AsyncSocket::new(ctx.socket(SocketType::Pull)?)?;
    /// pull.bind("inproc://doc-multipart-stream")?;
    /// let push = AsyncSocket::new(ctx.socket(SocketType::Push)?)?;
    /// push.connect("inproc://doc-multipart-stream")?;
    /// push.send_multipart(["k", "v"]).await?;
    /// let mut messages = pull.multipart_stream();
    /// let parts = messages.next().await.expect("never ends")?;
    /// assert_eq!(parts.len(), 2);
    /// # Ok(())
    /// # }
    /// ```
    pub fn multipart_stream(&self) -> MultipartStream<M> {
        MultipartStream::new(Arc::clone(&self.inner))
    }

    /// A [`Sink`] of single-frame [`Message`]s. It queues up to [`SendSink::CAPACITY`] of
    /// them and hands them to libzmq together, so feeding many and flushing once is the fast
    /// way to send in bulk.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// use futures_util::SinkExt;
    /// use zmq4::{tokio::AsyncSocket, Context, SocketType};
    /// let ctx = Context::new();
    /// let pull = AsyncSocket::new(ctx.socket(SocketType::Pull)?)?;
    /// pull.bind("inproc://doc-sink")?;
    /// let push = AsyncSocket::new(ctx.socket(SocketType::Push)?)?;
    /// push.connect("inproc://doc-sink")?;
    /// let mut sink = push.sink();
    /// sink.send("one".into()).await?;
    /// sink.feed("two".into()).await?;
    /// sink.flush().await?;
    /// assert_eq!(&pull.recv().await?[..], &b"one"[..]);
    /// assert_eq!(&pull.recv().await?[..], &b"two"[..]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn sink(&self) -> SendSink<M> {
        SendSink::new(Arc::clone(&self.inner))
    }

    /// A [`Sink`] of multipart messages, each the `Vec` of its frames.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// use futures_util::SinkExt;
    /// use zmq4::{tokio::AsyncSocket, Context, SocketType};
    /// let ctx = Context::new();
    /// let pull = AsyncSocket::new(ctx.socket(SocketType::Pull)?)?;
    /// pull.bind("inproc://doc-multipart-sink")?;
    /// let push = AsyncSocket::new(ctx.socket(SocketType::Push)?)?;
    /// push.connect("inproc://doc-multipart-sink")?;
    /// let mut sink = push.multipart_sink();
    /// sink.send(["a", "b", "c"].map(zmq4::Message::from).to_vec()).await?;
    /// assert_eq!(pull.recv_multipart().await?.len(), 3);
    /// # Ok(())
    /// # }
    /// ```
    pub fn multipart_sink(&self) -> MultipartSink<M> {
        MultipartSink::new(Arc::clone(&self.inner))
    }
}

impl Context {
    /// Terminates the context (`zmq_ctx_term`, as [`Context::term`]) on tokio's blocking
    /// thread pool, so that no runtime thread waits for the sockets' linger: the future
    /// completes when `zmq_ctx_term` returns. Needs the feature `tokio`.
    ///
    /// As with [`Context::term`], operations on the context's sockets then fail with
    /// [`Error::ContextTerminated`], and termination waits until every socket is dropped
    /// and has flushed (or, after its `ZMQ_LINGER`, discarded) its unsent messages; see
    /// [Ending](crate::tokio#ending-linger-and-the-context). Dropping the future does not
    /// stop the termination.
    ///
    /// # Errors
    /// [`Error::NotSupported`] outside a tokio runtime; [`Error::Interrupted`] if the
    /// runtime shut down before the blocking task ran (the context is then terminated by
    /// whatever drops it last).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// let ctx = zmq4::Context::new();
    /// let socket = zmq4::tokio::AsyncSocket::new(ctx.socket(zmq4::SocketType::Pub)?)?;
    /// drop(socket);
    /// ctx.term_async().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn term_async(self) -> Result<()> {
        let runtime = ::tokio::runtime::Handle::try_current().map_err(|_| Error::NotSupported)?;
        match runtime.spawn_blocking(move || self.term()).await {
            Ok(result) => result,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => Err(Error::Interrupted),
        }
    }
}
