//! `futures` [`Stream`]s and [`Sink`]s over an [`AsyncSocket`](super::AsyncSocket).

use super::core::{Dir, Inner, OpSlot, State};
use crate::error::{Error, Result};
use crate::message::Message;
use crate::socket::{Exclusive, ThreadMode};
use futures_core::{FusedStream, Stream};
use futures_sink::Sink;
use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

/// A [`Stream`] of received frames, from [`AsyncSocket::stream`](super::AsyncSocket::stream).
///
/// Each item is the next frame or an error; after [`Error::ContextTerminated`] the stream
/// ends. Dropping the stream, or a pending `next()`, loses no message. The stream keeps the
/// socket open.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> zmq4::Result<()> {
/// use futures_util::StreamExt;
/// use zmq4::{tokio::AsyncSocket, Context, SocketType};
/// let ctx = Context::new();
/// let pull = AsyncSocket::new(ctx.socket(SocketType::Pull)?)?;
/// pull.bind("inproc://doc-recv-stream")?;
/// let push = AsyncSocket::new(ctx.socket(SocketType::Push)?)?;
/// push.connect("inproc://doc-recv-stream")?;
/// push.send("x").await?;
/// let mut frames = pull.stream();
/// assert_eq!(&frames.next().await.expect("a frame")?[..], b"x");
/// # Ok(())
/// # }
/// ```
pub struct RecvStream<M: ThreadMode = Exclusive> {
    inner: Arc<Inner<M>>,
    key: OpSlot,
    terminated: bool,
}

/// A [`Stream`] of whole multipart messages, from
/// [`AsyncSocket::multipart_stream`](super::AsyncSocket::multipart_stream).
///
/// Each item is every frame of the next message, or an error; after
/// [`Error::ContextTerminated`] the stream ends. Dropping the stream, or a pending
/// `next()`, loses no message and never splits one.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> zmq4::Result<()> {
/// use futures_util::StreamExt;
/// use zmq4::{tokio::AsyncSocket, Context, SocketType};
/// let ctx = Context::new();
/// let router = AsyncSocket::new(ctx.socket(SocketType::Router)?)?;
/// router.bind("inproc://doc-multipart-stream-type")?;
/// let dealer = AsyncSocket::new(ctx.socket(SocketType::Dealer)?)?;
/// dealer.connect("inproc://doc-multipart-stream-type")?;
/// dealer.send("hi").await?;
/// let mut requests = router.multipart_stream();
/// let parts = requests.next().await.expect("a message")?;
/// assert_eq!(&parts[1][..], b"hi"); // after the routing id
/// # Ok(())
/// # }
/// ```
pub struct MultipartStream<M: ThreadMode = Exclusive> {
    inner: Arc<Inner<M>>,
    key: OpSlot,
    terminated: bool,
}

macro_rules! recv_stream {
    ($ty:ident, $item:ty, $op:expr) => {
        impl<M: ThreadMode> $ty<M> {
            pub(crate) fn new(inner: Arc<Inner<M>>) -> Self {
                $ty {
                    inner,
                    key: OpSlot::default(),
                    terminated: false,
                }
            }
        }

        impl<M: ThreadMode> Stream for $ty<M> {
            type Item = Result<$item>;

            fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
                let this = self.get_mut();
                if this.terminated {
                    return Poll::Ready(None);
                }
                let r = ready!(this.inner.poll_op(cx, Dir::In, &mut this.key, $op));
                if matches!(r, Err(Error::ContextTerminated)) {
                    this.terminated = true;
                }
                Poll::Ready(Some(r))
            }
        }

        impl<M: ThreadMode> FusedStream for $ty<M> {
            fn is_terminated(&self) -> bool {
                self.terminated
            }
        }

        impl<M: ThreadMode> Drop for $ty<M> {
            fn drop(&mut self) {
                self.inner.waiters.remove(&mut self.key);
            }
        }

        impl<M: ThreadMode> fmt::Debug for $ty<M> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($ty))
                    .field("terminated", &self.terminated)
                    .finish()
            }
        }
    };
}

recv_stream!(RecvStream, Message, |st: &mut State<M>| st.try_recv());
recv_stream!(MultipartStream, Vec<Message>, |st: &mut State<M>| st
    .try_recv_multipart());

/// A [`Sink`] of single-frame [`Message`]s, from
/// [`AsyncSocket::sink`](super::AsyncSocket::sink).
///
/// It buffers up to [`SendSink::CAPACITY`] messages: `start_send` queues one, `poll_ready`
/// is ready at once while there is room (and otherwise sends what it can), and
/// `poll_flush`/`poll_close` send them all. Each send of queued messages hands as many to
/// libzmq as it takes in one go, under one lock and one charge to tokio's cooperative budget,
/// so feeding many messages and flushing once (or [`send_all`] from a stream) is the fast
/// way to send in bulk. Messages go out in order. A message that fails to send is dropped
/// and the error returned; the rest stay queued. Dropping the sink drops the messages it
/// still holds.
///
/// [`send_all`]: https://docs.rs/futures/latest/futures/sink/trait.SinkExt.html#method.send_all
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> zmq4::Result<()> {
/// use futures_util::{stream, SinkExt, StreamExt};
/// use zmq4::{tokio::AsyncSocket, Context, SocketType};
/// let ctx = Context::new();
/// let pull = AsyncSocket::new(ctx.socket(SocketType::Pull)?)?;
/// pull.bind("inproc://doc-send-sink")?;
/// let push = AsyncSocket::new(ctx.socket(SocketType::Push)?)?;
/// push.connect("inproc://doc-send-sink")?;
/// let mut sink = push.sink();
/// let mut words = stream::iter(["a", "b"]).map(|w| Ok(w.into()));
/// sink.send_all(&mut words).await?;
/// assert_eq!(&pull.recv().await?[..], b"a");
/// assert_eq!(&pull.recv().await?[..], b"b");
/// # Ok(())
/// # }
/// ```
pub struct SendSink<M: ThreadMode = Exclusive> {
    inner: Arc<Inner<M>>,
    key: OpSlot,
    held: VecDeque<Message>,
}

impl<M: ThreadMode> SendSink<M> {
    /// How many messages the sink holds before `poll_ready` waits for libzmq to take some.
    pub const CAPACITY: usize = 64;

    pub(crate) fn new(inner: Arc<Inner<M>>) -> Self {
        SendSink {
            inner,
            key: OpSlot::default(),
            held: VecDeque::new(),
        }
    }

    fn holding(&self) -> bool {
        !self.held.is_empty()
    }

    /// Sends held messages until fewer than `keep_below` remain (1: all of them).
    #[inline]
    fn poll_send_held(&mut self, cx: &mut Context<'_>, keep_below: usize) -> Poll<Result<()>> {
        if self.held.len() < keep_below {
            return Poll::Ready(Ok(()));
        }
        let SendSink { inner, key, held } = self;
        inner.poll_op(cx, Dir::Out, key, |st| st.try_send_queued(held, keep_below))
    }
}

impl<M: ThreadMode> Sink<Message> for SendSink<M> {
    type Error = Error;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        self.get_mut().poll_send_held(cx, Self::CAPACITY)
    }

    /// Queues the next message. Fails with [`Error::InvalidState`] (dropping `item`) if the
    /// sink is full, which `poll_ready` reporting ready rules out.
    fn start_send(self: Pin<&mut Self>, item: Message) -> Result<()> {
        let this = self.get_mut();
        if this.held.len() >= Self::CAPACITY {
            return Err(Error::InvalidState);
        }
        this.held.push_back(item);
        Ok(())
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_send_held(cx, 1))?;
        let SendSink { inner, key, .. } = this;
        inner.poll_op(cx, Dir::Out, key, |st| st.try_flush())
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        <Self as Sink<Message>>::poll_flush(self, cx)
    }
}

/// A [`Sink`] of multipart messages, from
/// [`AsyncSocket::multipart_sink`](super::AsyncSocket::multipart_sink): each item is the
/// `Vec` of a message's frames (what a [`MultipartStream`] yields).
///
/// It holds at most one message (unlike [`SendSink`], which queues several); a held message
/// goes out whole or not at all, as with
/// [`AsyncSocket::send_multipart`](super::AsyncSocket::send_multipart).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> zmq4::Result<()> {
/// use futures_util::SinkExt;
/// use zmq4::{tokio::AsyncSocket, Context, Message, SocketType};
/// let ctx = Context::new();
/// let pull = AsyncSocket::new(ctx.socket(SocketType::Pull)?)?;
/// pull.bind("inproc://doc-multipart-sink-type")?;
/// let push = AsyncSocket::new(ctx.socket(SocketType::Push)?)?;
/// push.connect("inproc://doc-multipart-sink-type")?;
/// let mut sink = push.multipart_sink();
/// sink.send(vec![Message::from("topic"), Message::from("body")]).await?;
/// assert_eq!(pull.recv_multipart().await?.len(), 2);
/// # Ok(())
/// # }
/// ```
pub struct MultipartSink<M: ThreadMode = Exclusive> {
    inner: Arc<Inner<M>>,
    key: OpSlot,
    held: VecDeque<Message>,
}

impl<M: ThreadMode> MultipartSink<M> {
    pub(crate) fn new(inner: Arc<Inner<M>>) -> Self {
        MultipartSink {
            inner,
            key: OpSlot::default(),
            held: VecDeque::new(),
        }
    }

    fn holding(&self) -> bool {
        !self.held.is_empty()
    }

    /// Sends the held message, if any.
    fn poll_send_held(&mut self, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let MultipartSink { inner, key, held } = self;
        if !held.is_empty() {
            let r = ready!(inner.poll_op(cx, Dir::Out, key, |st| st.try_send_parts(held)));
            held.clear();
            r?;
        }
        Poll::Ready(Ok(()))
    }
}

impl<M: ThreadMode> Sink<Vec<Message>> for MultipartSink<M> {
    type Error = Error;

    fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        self.get_mut().poll_send_held(cx)
    }

    /// Takes the next message (an empty one sends nothing). Fails with
    /// [`Error::InvalidState`] (dropping `item`) if `poll_ready` did not report ready first.
    fn start_send(self: Pin<&mut Self>, item: Vec<Message>) -> Result<()> {
        let this = self.get_mut();
        if !this.held.is_empty() {
            return Err(Error::InvalidState);
        }
        this.held.extend(item);
        Ok(())
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        let this = self.get_mut();
        ready!(this.poll_send_held(cx))?;
        let MultipartSink { inner, key, .. } = this;
        inner.poll_op(cx, Dir::Out, key, |st| st.try_flush())
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<()>> {
        <Self as Sink<Vec<Message>>>::poll_flush(self, cx)
    }
}

macro_rules! sink_common {
    ($ty:ident) => {
        impl<M: ThreadMode> Drop for $ty<M> {
            fn drop(&mut self) {
                self.inner.waiters.remove(&mut self.key);
            }
        }

        impl<M: ThreadMode> fmt::Debug for $ty<M> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($ty))
                    .field("holding", &self.holding())
                    .finish()
            }
        }
    };
}

sink_common!(SendSink);
sink_common!(MultipartSink);
