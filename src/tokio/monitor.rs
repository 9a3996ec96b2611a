//! Async socket monitoring: [`MonitorStream`].

use super::core::{Dir, OpSlot};
use super::AsyncSocket;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::message::Message;
use crate::monitor::{Event, MonitorEvent, MonitorEvents};
use crate::socket::{Socket, SocketType, ThreadMode};
use futures_core::{FusedStream, Stream};
use std::fmt;
use std::pin::Pin;
use std::task::{ready, Context as TaskContext, Poll};

/// The events of a socket monitor, received asynchronously: a [`Stream`] of typed
/// [`MonitorEvent`]s read from the monitor's PAIR socket.
///
/// Made by [`AsyncSocket::monitor`] (version-1 events), [`AsyncSocket::monitor_v2`]
/// (version 2, draft) or [`MonitorStream::connect`] for a monitor endpoint set up by hand.
/// A malformed event is an error item (`EPROTO`), never a panic. The stream ends after
/// [`Event::MonitorStopped`] and after [`Error::ContextTerminated`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> zmq4::Result<()> {
/// use futures_util::StreamExt;
/// use zmq4::monitor::{Event, MonitorEvents};
/// use zmq4::{tokio::AsyncSocket, Context, SocketType};
/// let ctx = Context::new();
/// let server = AsyncSocket::new(ctx.socket(SocketType::Rep)?)?;
/// let mut events = server.monitor(MonitorEvents::LISTENING)?;
/// server.bind("tcp://127.0.0.1:*")?;
/// let ev = events.next().await.expect("an event")?;
/// assert!(matches!(ev.event, Event::Listening { .. }));
/// # Ok(())
/// # }
/// ```
pub struct MonitorStream {
    socket: AsyncSocket,
    version: u8,
    key: OpSlot,
    done: bool,
}

impl fmt::Debug for MonitorStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MonitorStream")
            .field("version", &self.version)
            .field("done", &self.done)
            .finish()
    }
}

fn decode(version: u8, frames: &[Message]) -> Result<MonitorEvent> {
    if version == 1 {
        MonitorEvent::parse_v1(frames)
    } else {
        MonitorEvent::parse_v2(frames)
    }
}

impl MonitorStream {
    /// Connects a PAIR socket to a monitor endpoint that a socket publishes to (see
    /// [`Socket::monitor`](crate::Socket::monitor)) in wire format `version` (1 or 2).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// use zmq4::monitor::{Event, MonitorEvents};
    /// use zmq4::{tokio::MonitorStream, Context, SocketType};
    /// let ctx = Context::new();
    /// let socket = ctx.socket(SocketType::Pub)?;
    /// socket.monitor(Some("inproc://doc-monitor-connect"), MonitorEvents::LISTENING)?;
    /// let events = MonitorStream::connect(&ctx, "inproc://doc-monitor-connect", 1)?;
    /// socket.bind("tcp://127.0.0.1:*")?;
    /// assert!(matches!(events.recv().await?.event, Event::Listening { .. }));
    /// # Ok(())
    /// # }
    /// ```
    pub fn connect(ctx: &Context, endpoint: &str, version: u8) -> Result<MonitorStream> {
        if !(1..=2).contains(&version) {
            return Err(Error::InvalidArgument);
        }
        MonitorStream::attach(
            AsyncSocket::new(ctx.socket(SocketType::Pair)?)?,
            endpoint,
            version,
        )
    }

    /// Connects `socket`, a fresh PAIR socket, to a monitor endpoint.
    fn attach(socket: AsyncSocket, endpoint: &str, version: u8) -> Result<MonitorStream> {
        socket.connect(endpoint)?;
        Ok(MonitorStream {
            socket,
            version,
            key: OpSlot::default(),
            done: false,
        })
    }

    /// The PAIR socket the events arrive on.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// let ctx = zmq4::Context::new();
    /// let socket = zmq4::tokio::AsyncSocket::new(ctx.socket(zmq4::SocketType::Pub)?)?;
    /// let events = socket.monitor(zmq4::monitor::MonitorEvents::ALL_V1)?;
    /// assert_eq!(events.socket().with_socket(|s| s.socket_type())?, zmq4::SocketType::Pair);
    /// # Ok(())
    /// # }
    /// ```
    pub fn socket(&self) -> &AsyncSocket {
        &self.socket
    }

    /// Receives and decodes the next event. Cancel-safe.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// use zmq4::monitor::{Event, MonitorEvents};
    /// let ctx = zmq4::Context::new();
    /// let socket = zmq4::tokio::AsyncSocket::new(ctx.socket(zmq4::SocketType::Pull)?)?;
    /// let events = socket.monitor(MonitorEvents::LISTENING)?;
    /// socket.bind("tcp://127.0.0.1:*")?;
    /// let ev = events.recv().await?;
    /// assert_eq!(ev.endpoint, socket.with_socket(|s| s.last_endpoint())?);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn recv(&self) -> Result<MonitorEvent> {
        let frames = self.socket.recv_multipart().await?;
        decode(self.version, &frames)
    }
}

impl Stream for MonitorStream {
    type Item = Result<MonitorEvent>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        let inner = &this.socket.inner;
        let r = ready!(inner.poll_op(cx, Dir::In, &mut this.key, |st| st.try_recv_multipart()));
        let item = r.and_then(|frames| decode(this.version, &frames));
        match &item {
            Ok(MonitorEvent {
                event: Event::MonitorStopped,
                ..
            })
            | Err(Error::ContextTerminated) => this.done = true,
            _ => {}
        }
        Poll::Ready(Some(item))
    }
}

impl FusedStream for MonitorStream {
    fn is_terminated(&self) -> bool {
        self.done
    }
}

impl Drop for MonitorStream {
    fn drop(&mut self) {
        self.socket.inner.waiters.remove(&mut self.key);
    }
}

impl<M: ThreadMode> AsyncSocket<M> {
    /// Monitors this socket (version-1 events, [`Socket::monitor`](crate::Socket::monitor))
    /// and returns the events as a [`MonitorStream`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// use zmq4::monitor::{Event, MonitorEvents};
    /// use zmq4::{tokio::AsyncSocket, Context, SocketType};
    /// let ctx = Context::new();
    /// let server = AsyncSocket::new(ctx.socket(SocketType::Pull)?)?;
    /// let events = server.monitor(MonitorEvents::ACCEPTED | MonitorEvents::LISTENING)?;
    /// server.bind("tcp://127.0.0.1:*")?;
    /// let endpoint = server.with_socket(|s| s.last_endpoint())?;
    /// let client = AsyncSocket::new(ctx.socket(SocketType::Push)?)?;
    /// client.connect(&endpoint)?;
    /// assert!(matches!(events.recv().await?.event, Event::Listening { .. }));
    /// assert!(matches!(events.recv().await?.event, Event::Accepted { .. }));
    /// # Ok(())
    /// # }
    /// ```
    pub fn monitor(&self, events: MonitorEvents) -> Result<MonitorStream> {
        self.monitor_with_reader(1, |s, endpoint| s.monitor(Some(endpoint), events))
    }

    /// Monitors this socket with version-2 events (draft,
    /// [`Socket::monitor_versioned`](crate::Socket::monitor_versioned)), which carry the
    /// remote endpoint and, with [`MonitorEvents::PIPES_STATS`], queue sizes.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> zmq4::Result<()> {
    /// use zmq4::monitor::{Event, MonitorEvents};
    /// let ctx = zmq4::Context::new();
    /// let socket = zmq4::tokio::AsyncSocket::new(ctx.socket(zmq4::SocketType::Pull)?)?;
    /// let events = socket.monitor_v2(MonitorEvents::LISTENING)?;
    /// socket.bind("tcp://127.0.0.1:*")?;
    /// let ev = events.recv().await?;
    /// assert!(matches!(ev.event, Event::Listening { .. }));
    /// assert!(ev.remote_endpoint.is_some());
    /// # Ok(())
    /// # }
    /// ```
    #[cfg(feature = "draft")]
    pub fn monitor_v2(&self, events: MonitorEvents) -> Result<MonitorStream> {
        self.monitor_with_reader(2, |s, endpoint| {
            s.monitor_versioned(Some(endpoint), events, 2, SocketType::Pair)
        })
    }

    /// Starts a monitor on a fresh inproc endpoint (`start`, under the socket's lock) and
    /// returns its reader, for wire format `version`. The reader is made before the monitor,
    /// as in [`Socket::monitor_events`](crate::Socket::monitor_events): made after it, a
    /// failure (no free socket slot) would leave a monitor without a reader, and stopping
    /// that one blocks.
    fn monitor_with_reader(
        &self,
        version: u8,
        start: impl FnOnce(&Socket<M>, &str) -> Result<()>,
    ) -> Result<MonitorStream> {
        let endpoint = crate::socket::unique_inproc_endpoint("monitor");
        let reader = AsyncSocket::new(self.with_socket(|s| s.context().socket(SocketType::Pair))?)?;
        self.with_socket(|s| start(s, &endpoint))?;
        MonitorStream::attach(reader, &endpoint, version)
    }
}
