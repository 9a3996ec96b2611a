//! Socket monitoring (`zmq_socket_monitor`, and with `draft` `zmq_socket_monitor_versioned`):
//! libzmq reports connection events of a socket as messages on an inproc PAIR socket, which
//! [`Monitor`] reads and decodes into typed [`MonitorEvent`]s.
//!
//! Both wire formats are parsed: version 1 (a 6-byte frame with a 16-bit event and a 32-bit
//! value, then the endpoint) and version 2 (64-bit event, value count, values, local and
//! remote endpoints). A malformed event is an error ([`Error::Protocol`], `EPROTO`), never a
//! panic, and an event number this crate does not know arrives as [`Event::Unknown`].
//!
//! ```
//! use zmq4::monitor::{Event, MonitorEvents};
//! use zmq4::{Context, SocketType};
//!
//! let ctx = Context::new();
//! let server = ctx.socket(SocketType::Rep)?;
//! let monitor = server.monitor_events(MonitorEvents::LISTENING)?;
//! monitor.socket().set_rcvtimeo(5000)?;
//! server.bind("tcp://127.0.0.1:*")?;
//! let ev = monitor.recv()?;
//! assert!(matches!(ev.event, Event::Listening { .. }));
//! assert_eq!(ev.endpoint, server.last_endpoint()?);
//! # Ok::<(), zmq4::Error>(())
//! ```

use crate::error::{check, Error, Result};
use crate::guard::{lock, ReaderSlot};
use crate::socket::{unique_inproc_endpoint, RecvFlags, Socket, SocketType, ThreadMode};
use crate::RawDescriptor;
use crate::{sys, Message};
use std::ffi::CString;
use std::mem::ManuallyDrop;
use std::sync::{Arc, Mutex};

bitflags::bitflags! {
    /// The events a monitor subscribes to (`ZMQ_EVENT_*`).
    #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
    pub struct MonitorEvents: u64 {
        /// `ZMQ_EVENT_CONNECTED`: a connection was established.
        const CONNECTED = sys::ZMQ_EVENT_CONNECTED as u64;
        /// `ZMQ_EVENT_CONNECT_DELAYED`: a connect could not complete at once and is pending.
        const CONNECT_DELAYED = sys::ZMQ_EVENT_CONNECT_DELAYED as u64;
        /// `ZMQ_EVENT_CONNECT_RETRIED`: a reconnect is scheduled.
        const CONNECT_RETRIED = sys::ZMQ_EVENT_CONNECT_RETRIED as u64;
        /// `ZMQ_EVENT_LISTENING`: a bind succeeded.
        const LISTENING = sys::ZMQ_EVENT_LISTENING as u64;
        /// `ZMQ_EVENT_BIND_FAILED`: a bind failed.
        const BIND_FAILED = sys::ZMQ_EVENT_BIND_FAILED as u64;
        /// `ZMQ_EVENT_ACCEPTED`: a connection was accepted.
        const ACCEPTED = sys::ZMQ_EVENT_ACCEPTED as u64;
        /// `ZMQ_EVENT_ACCEPT_FAILED`: accepting a connection failed.
        const ACCEPT_FAILED = sys::ZMQ_EVENT_ACCEPT_FAILED as u64;
        /// `ZMQ_EVENT_CLOSED`: a connection's socket was closed.
        const CLOSED = sys::ZMQ_EVENT_CLOSED as u64;
        /// `ZMQ_EVENT_CLOSE_FAILED`: closing a connection failed.
        const CLOSE_FAILED = sys::ZMQ_EVENT_CLOSE_FAILED as u64;
        /// `ZMQ_EVENT_DISCONNECTED`: a session was broken.
        const DISCONNECTED = sys::ZMQ_EVENT_DISCONNECTED as u64;
        /// `ZMQ_EVENT_MONITOR_STOPPED`: monitoring stopped (the last event).
        const MONITOR_STOPPED = sys::ZMQ_EVENT_MONITOR_STOPPED as u64;
        /// `ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL`: the ZMTP handshake failed, no detail.
        const HANDSHAKE_FAILED_NO_DETAIL = sys::ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL as u64;
        /// `ZMQ_EVENT_HANDSHAKE_SUCCEEDED`: the ZMTP handshake (and security) succeeded.
        const HANDSHAKE_SUCCEEDED = sys::ZMQ_EVENT_HANDSHAKE_SUCCEEDED as u64;
        /// `ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL`: the peer broke the protocol.
        const HANDSHAKE_FAILED_PROTOCOL = sys::ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL as u64;
        /// `ZMQ_EVENT_HANDSHAKE_FAILED_AUTH`: ZAP authentication failed.
        const HANDSHAKE_FAILED_AUTH = sys::ZMQ_EVENT_HANDSHAKE_FAILED_AUTH as u64;
        /// `ZMQ_EVENT_ALL`: every version-1 event.
        const ALL_V1 = sys::ZMQ_EVENT_ALL as u64;
        /// `ZMQ_EVENT_PIPES_STATS` (draft, version 2 only): queue sizes per endpoint, sent
        /// in answer to [`Socket::monitor_pipes_stats`].
        #[cfg(feature = "draft")]
        const PIPES_STATS = sys::ZMQ_EVENT_PIPES_STATS as u64;
        /// `ZMQ_EVENT_ALL_V2` (draft): every event, including pipe statistics.
        #[cfg(feature = "draft")]
        const ALL_V2 = sys::ZMQ_EVENT_ALL_V2 as u64;
    }
}

/// A ZMTP or ZAP protocol error reported with `HANDSHAKE_FAILED_PROTOCOL`
/// (`ZMQ_PROTOCOL_ERROR_*`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum ProtocolError {
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED`.
    ZmtpUnspecified,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND`.
    ZmtpUnexpectedCommand,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE`.
    ZmtpInvalidSequence,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE`.
    ZmtpKeyExchange,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED`.
    ZmtpMalformedCommandUnspecified,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE`.
    ZmtpMalformedCommandMessage,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO`.
    ZmtpMalformedCommandHello,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE`.
    ZmtpMalformedCommandInitiate,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR`.
    ZmtpMalformedCommandError,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY`.
    ZmtpMalformedCommandReady,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME`.
    ZmtpMalformedCommandWelcome,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA`.
    ZmtpInvalidMetadata,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC`.
    ZmtpCryptographic,
    /// `ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH`.
    ZmtpMechanismMismatch,
    /// `ZMQ_PROTOCOL_ERROR_ZAP_UNSPECIFIED`.
    ZapUnspecified,
    /// `ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY`.
    ZapMalformedReply,
    /// `ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID`.
    ZapBadRequestId,
    /// `ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION`.
    ZapBadVersion,
    /// `ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE`.
    ZapInvalidStatusCode,
    /// `ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA`.
    ZapInvalidMetadata,
    /// `ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED`.
    WsUnspecified,
    /// A code this crate does not know.
    Other(u64),
}

impl ProtocolError {
    /// The error for a `ZMQ_PROTOCOL_ERROR_*` value.
    pub fn from_raw(code: u64) -> ProtocolError {
        use ProtocolError::*;
        const TABLE: &[(i32, ProtocolError)] = &[
            (sys::ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED, ZmtpUnspecified),
            (
                sys::ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND,
                ZmtpUnexpectedCommand,
            ),
            (
                sys::ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE,
                ZmtpInvalidSequence,
            ),
            (sys::ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE, ZmtpKeyExchange),
            (
                sys::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED,
                ZmtpMalformedCommandUnspecified,
            ),
            (
                sys::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE,
                ZmtpMalformedCommandMessage,
            ),
            (
                sys::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO,
                ZmtpMalformedCommandHello,
            ),
            (
                sys::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE,
                ZmtpMalformedCommandInitiate,
            ),
            (
                sys::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR,
                ZmtpMalformedCommandError,
            ),
            (
                sys::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY,
                ZmtpMalformedCommandReady,
            ),
            (
                sys::ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME,
                ZmtpMalformedCommandWelcome,
            ),
            (
                sys::ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA,
                ZmtpInvalidMetadata,
            ),
            (
                sys::ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC,
                ZmtpCryptographic,
            ),
            (
                sys::ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH,
                ZmtpMechanismMismatch,
            ),
            (sys::ZMQ_PROTOCOL_ERROR_ZAP_UNSPECIFIED, ZapUnspecified),
            (
                sys::ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY,
                ZapMalformedReply,
            ),
            (sys::ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID, ZapBadRequestId),
            (sys::ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION, ZapBadVersion),
            (
                sys::ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE,
                ZapInvalidStatusCode,
            ),
            (
                sys::ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA,
                ZapInvalidMetadata,
            ),
            (sys::ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED, WsUnspecified),
        ];
        TABLE
            .iter()
            .find(|(raw, _)| *raw as u64 == code)
            .map_or(Other(code), |(_, e)| *e)
    }
}

/// What happened, with the value libzmq attached to it.
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum Event {
    /// `CONNECTED`: the connection's file descriptor.
    Connected {
        /// The connection's socket fd.
        fd: RawDescriptor,
    },
    /// `CONNECT_DELAYED`: the connect is pending (value: the errno, usually EINPROGRESS).
    ConnectDelayed {
        /// The errno libzmq reports.
        error: Error,
    },
    /// `CONNECT_RETRIED`: the next reconnect interval in milliseconds.
    ConnectRetried {
        /// Milliseconds until the next attempt.
        interval_ms: u64,
    },
    /// `LISTENING`: the listening socket's fd.
    Listening {
        /// The listening socket fd.
        fd: RawDescriptor,
    },
    /// `BIND_FAILED`: why.
    BindFailed {
        /// The bind's error.
        error: Error,
    },
    /// `ACCEPTED`: the accepted connection's fd.
    Accepted {
        /// The accepted socket fd.
        fd: RawDescriptor,
    },
    /// `ACCEPT_FAILED`: why.
    AcceptFailed {
        /// The accept's error.
        error: Error,
    },
    /// `CLOSED`: the closed fd.
    Closed {
        /// The closed socket fd.
        fd: RawDescriptor,
    },
    /// `CLOSE_FAILED`: why.
    CloseFailed {
        /// The close's error.
        error: Error,
    },
    /// `DISCONNECTED`: the fd of the broken session.
    Disconnected {
        /// The session's socket fd.
        fd: RawDescriptor,
    },
    /// `MONITOR_STOPPED`: the monitor was stopped; no more events follow.
    MonitorStopped,
    /// `HANDSHAKE_FAILED_NO_DETAIL`: the handshake failed (value: an errno).
    HandshakeFailedNoDetail {
        /// The errno libzmq reports.
        error: Error,
    },
    /// `HANDSHAKE_SUCCEEDED`: the connection is ready for messages.
    HandshakeSucceeded,
    /// `HANDSHAKE_FAILED_PROTOCOL`: the peer broke ZMTP or ZAP.
    HandshakeFailedProtocol {
        /// Which rule was broken.
        code: ProtocolError,
    },
    /// `HANDSHAKE_FAILED_AUTH`: the ZAP handler refused the peer.
    HandshakeFailedAuth {
        /// The ZAP status code (e.g. 400 or 500).
        status_code: u64,
    },
    /// `PIPES_STATS` (version 2): messages queued towards and from one peer.
    PipesStats {
        /// Messages queued in the inbound pipe.
        inbound: u64,
        /// Messages queued in the outbound pipe.
        outbound: u64,
    },
    /// An event number this crate does not know, with its raw values.
    Unknown {
        /// The raw event number.
        event: u64,
        /// The raw values.
        values: Vec<u64>,
    },
}

/// One decoded monitor event.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MonitorEvent {
    /// What happened.
    pub event: Event,
    /// The endpoint it concerns (version 1: the endpoint; version 2: the local endpoint).
    pub endpoint: String,
    /// The remote endpoint (version 2 only; empty where libzmq has none).
    pub remote_endpoint: Option<String>,
}

#[allow(clippy::unnecessary_cast)] // u64 on Windows
fn fd(value: u64) -> RawDescriptor {
    value as RawDescriptor
}

fn errno(value: u64) -> Error {
    Error::from_errno(value as i32)
}

impl Event {
    /// Decodes an event number and its values (missing values read as 0).
    pub fn from_raw(event: u64, values: &[u64]) -> Event {
        let v = values.first().copied().unwrap_or(0);
        match event as i64 as i32 {
            _ if event > u32::MAX as u64 => Event::Unknown {
                event,
                values: values.to_vec(),
            },
            sys::ZMQ_EVENT_CONNECTED => Event::Connected { fd: fd(v) },
            sys::ZMQ_EVENT_CONNECT_DELAYED => Event::ConnectDelayed { error: errno(v) },
            sys::ZMQ_EVENT_CONNECT_RETRIED => Event::ConnectRetried { interval_ms: v },
            sys::ZMQ_EVENT_LISTENING => Event::Listening { fd: fd(v) },
            sys::ZMQ_EVENT_BIND_FAILED => Event::BindFailed { error: errno(v) },
            sys::ZMQ_EVENT_ACCEPTED => Event::Accepted { fd: fd(v) },
            sys::ZMQ_EVENT_ACCEPT_FAILED => Event::AcceptFailed { error: errno(v) },
            sys::ZMQ_EVENT_CLOSED => Event::Closed { fd: fd(v) },
            sys::ZMQ_EVENT_CLOSE_FAILED => Event::CloseFailed { error: errno(v) },
            sys::ZMQ_EVENT_DISCONNECTED => Event::Disconnected { fd: fd(v) },
            sys::ZMQ_EVENT_MONITOR_STOPPED => Event::MonitorStopped,
            sys::ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL => {
                Event::HandshakeFailedNoDetail { error: errno(v) }
            }
            sys::ZMQ_EVENT_HANDSHAKE_SUCCEEDED => Event::HandshakeSucceeded,
            sys::ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL => Event::HandshakeFailedProtocol {
                code: ProtocolError::from_raw(v),
            },
            sys::ZMQ_EVENT_HANDSHAKE_FAILED_AUTH => Event::HandshakeFailedAuth { status_code: v },
            0x10000 => Event::PipesStats {
                inbound: v,
                outbound: values.get(1).copied().unwrap_or(0),
            },
            _ => Event::Unknown {
                event,
                values: values.to_vec(),
            },
        }
    }
}

fn malformed() -> Error {
    Error::Protocol
}

fn u64_frame(frame: &[u8]) -> Result<u64> {
    Ok(u64::from_ne_bytes(
        frame.try_into().map_err(|_| malformed())?,
    ))
}

fn text(frame: &[u8]) -> String {
    String::from_utf8_lossy(frame).into_owned()
}

impl MonitorEvent {
    /// Decodes the frames of one version-1 event: `[u16 event | u32 value]`, endpoint.
    pub fn parse_v1<F: AsRef<[u8]>>(frames: &[F]) -> Result<MonitorEvent> {
        let [head, endpoint] = frames else {
            return Err(malformed());
        };
        let head = head.as_ref();
        if head.len() != 6 {
            return Err(malformed());
        }
        let event = u16::from_ne_bytes([head[0], head[1]]) as u64;
        let value = u32::from_ne_bytes([head[2], head[3], head[4], head[5]]) as u64;
        Ok(MonitorEvent {
            event: Event::from_raw(event, &[value]),
            endpoint: text(endpoint.as_ref()),
            remote_endpoint: None,
        })
    }

    /// Decodes the frames of one version-2 event: u64 event, u64 count, count × u64 values,
    /// local endpoint, remote endpoint.
    pub fn parse_v2<F: AsRef<[u8]>>(frames: &[F]) -> Result<MonitorEvent> {
        if frames.len() < 4 {
            return Err(malformed());
        }
        let event = u64_frame(frames[0].as_ref())?;
        let count = u64_frame(frames[1].as_ref())?;
        if count != (frames.len() - 4) as u64 {
            return Err(malformed());
        }
        let values = frames[2..frames.len() - 2]
            .iter()
            .map(|f| u64_frame(f.as_ref()))
            .collect::<Result<Vec<_>>>()?;
        Ok(MonitorEvent {
            event: Event::from_raw(event, &values),
            endpoint: text(frames[frames.len() - 2].as_ref()),
            remote_endpoint: Some(text(frames[frames.len() - 1].as_ref())),
        })
    }
}

/// The reading end of a socket monitor: a PAIR socket connected to the monitor endpoint.
///
/// Set a receive timeout on [`Monitor::socket`] (`set_rcvtimeo`) or poll it to bound waits.
///
/// A `Monitor` from [`Socket::monitor_events`] dropped while its socket is still monitored
/// stays connected until the socket stops the monitor or is dropped, so that libzmq's last
/// event has a reader; it takes events until its queue is full, then libzmq's sending thread
/// waits as with any reader that does not read.
#[derive(Debug)]
pub struct Monitor {
    socket: ManuallyDrop<Socket>,
    version: u8,
    /// Set for the reader of `monitor_events`: where the socket goes when this is dropped
    /// while the monitor still runs.
    park: Option<ReaderSlot>,
}

impl Drop for Monitor {
    fn drop(&mut self) {
        // SAFETY: taken once, here, and never used again.
        let socket = unsafe { ManuallyDrop::take(&mut self.socket) };
        if let Some(slot) = self.park.take() {
            // The monitored socket still holds the slot: it closes the reader after
            // stopping the monitor (a race with its drop closes the reader with the slot).
            if Arc::strong_count(&slot) > 1 {
                *lock(&slot) = Some(socket);
                return;
            }
        }
        drop(socket);
    }
}

impl Monitor {
    /// Connects a PAIR socket to a monitor endpoint that a socket publishes to with format
    /// `version` (1 or 2).
    pub fn connect(ctx: &crate::Context, endpoint: &str, version: u8) -> Result<Monitor> {
        if !(1..=2).contains(&version) {
            return Err(Error::InvalidArgument);
        }
        Monitor::attach(ctx.socket(SocketType::Pair)?, endpoint, version)
    }

    /// Connects `socket`, a fresh PAIR socket, to a monitor endpoint.
    fn attach(socket: Socket, endpoint: &str, version: u8) -> Result<Monitor> {
        socket.connect(endpoint)?;
        Ok(Monitor {
            socket: ManuallyDrop::new(socket),
            version,
            park: None,
        })
    }

    /// The PAIR socket events arrive on (for timeouts and polling).
    pub fn socket(&self) -> &Socket {
        &self.socket
    }

    /// Receives and decodes the next event (blocking, subject to the socket's RCVTIMEO).
    pub fn recv(&self) -> Result<MonitorEvent> {
        self.recv_with(RecvFlags::empty())
    }

    /// Receives the next event if one is queued ([`Error::WouldBlock`] otherwise).
    pub fn try_recv(&self) -> Result<MonitorEvent> {
        self.recv_with(RecvFlags::DONTWAIT)
    }

    fn recv_with(&self, flags: RecvFlags) -> Result<MonitorEvent> {
        let frames: Vec<Message> = self.socket.recv_multipart(flags)?;
        if self.version == 1 {
            MonitorEvent::parse_v1(&frames)
        } else {
            MonitorEvent::parse_v2(&frames)
        }
    }
}

/// Takes the reader a dropped [`Monitor`] left for the running monitor, emptied of the
/// events it holds, so that the pipe has room for `MONITOR_STOPPED` (and an I/O thread
/// blocked on a full pipe moves on). The slot is forgotten either way: the monitor is about
/// to stop or change.
fn take_parked(state: &mut crate::guard::SocketState) -> Option<Socket> {
    let slot = state.monitor_reader.take()?;
    let reader = lock(&slot).take()?;
    // Bounded: the pipe holds at most both high-water marks' worth of events (2,000 by
    // default, a few frames each).
    let mut frame = Message::new();
    for _ in 0..1_000_000 {
        if reader.recv_msg(&mut frame, RecvFlags::DONTWAIT).is_err() {
            break;
        }
    }
    Some(reader)
}

impl<M: ThreadMode> Socket<M> {
    /// Starts publishing this socket's events to `endpoint` (an `inproc://` address) as
    /// version-1 events (`zmq_socket_monitor`). `None` stops monitoring.
    ///
    /// libzmq sends each event on its monitor PAIR socket with a blocking send, in whatever
    /// thread raises it (often an I/O thread): connect a reader (a [`Monitor`]) to
    /// `endpoint` before events can happen, and keep reading until the monitor is stopped.
    /// Stopping or replacing the monitor never blocks on a missing reader: the final
    /// `MONITOR_STOPPED` event goes to a throw-away reader if no other is connected (a
    /// reader that is connected but not reading, its queue full, still blocks it). Dropping
    /// the socket never blocks: if the reader was a [`Monitor`] from
    /// [`Socket::monitor_events`] dropped first, it was left connected, and the drop empties
    /// it and stops the monitor; otherwise libzmq stops the monitor on its reaper thread,
    /// which waits until the reader takes `MONITOR_STOPPED`, or until the context
    /// terminates (see [`crate::aborts`]).
    pub fn monitor(&self, endpoint: Option<&str>, events: MonitorEvents) -> Result<()> {
        let ep = endpoint
            .map(CString::new)
            .transpose()
            .map_err(|_| Error::InvalidArgument)?;
        let ptr = ep.as_ref().map_or(std::ptr::null(), |e| e.as_ptr());
        // Version 1 carries 16-bit event numbers only: libzmq asserts on more.
        let bits = i32::try_from(events.bits() & 0xFFFF).map_err(|_| Error::InvalidArgument)?;
        self.monitor_guarded(ep, sys::ZMQ_PAIR, || {
            // SAFETY: a live socket; `ptr` is NULL or a NUL-terminated endpoint.
            unsafe { sys::zmq_socket_monitor(self.as_raw(), ptr, bits) }
        })
    }

    /// Runs a `zmq_socket_monitor*` call that replaces or stops a running monitor, with a
    /// throw-away reader connected to the old monitor endpoint meanwhile: libzmq sends
    /// `MONITOR_STOPPED` with a blocking send under its monitor lock, which without a reader
    /// never returns, and blocks the I/O threads that raise events on this socket too.
    /// Records the new monitor (`endpoint`, read by sockets of `reader_type`) on success.
    pub(crate) fn monitor_guarded(
        &self,
        endpoint: Option<CString>,
        monitor_type: i32,
        call: impl FnOnce() -> libc::c_int,
    ) -> Result<()> {
        let mut state = crate::guard::lock(&self.state);
        let reader = match monitor_type {
            sys::ZMQ_PAIR => Some(sys::ZMQ_PAIR),
            sys::ZMQ_PUSH => Some(sys::ZMQ_PULL),
            sys::ZMQ_PUB => None, // PUB drops the events nobody reads
            _ => return check(call()).map(drop), // EINVAL before touching the old monitor
        };
        // Whether libzmq gets as far as stopping the old monitor: it first rejects an
        // endpoint that is not `inproc://` with a non-empty name.
        let stops_old = match &endpoint {
            None => true,
            Some(ep) => ep
                .to_str()
                .ok()
                .and_then(|ep| ep.strip_prefix("inproc://"))
                .is_some_and(|name| !name.is_empty()),
        };
        if !stops_old {
            return check(call()).map(drop);
        }
        // A reader that a dropped Monitor left behind is the old monitor's only reader and
        // takes MONITOR_STOPPED; otherwise a throw-away one is connected.
        let parked = take_parked(&mut state);
        let drain = match parked {
            Some(_) => None,
            None => state
                .monitor
                .as_ref()
                .and_then(|(ep, reader)| self.connect_drain(ep, *reader)),
        };
        let r = check(call()).map(drop);
        if let Some(drain) = drain {
            // SAFETY: `drain` is the socket made by connect_drain, closed once here (its
            // linger is 0).
            unsafe { sys::zmq_close(drain) };
        }
        drop(parked);
        // The old monitor is stopped now; a new one runs only on success.
        state.monitor = match (r.is_ok(), endpoint, reader) {
            (true, Some(ep), Some(reader)) => Some((ep, reader)),
            _ => None,
        };
        r
    }

    /// Before the socket closes: if the reader of the running monitor was a dropped
    /// [`Monitor`], left connected, stops the monitor here, so that `MONITOR_STOPPED` goes
    /// to that reader; otherwise libzmq's reaper stops it at close (see `Drop`).
    pub(crate) fn stop_monitor_parked(&self) {
        let mut state = lock(&self.state);
        if let Some(reader) = take_parked(&mut state) {
            // SAFETY: a live socket; a NULL endpoint stops monitoring.
            unsafe { sys::zmq_socket_monitor(self.as_raw(), std::ptr::null(), 0) };
            state.monitor = None;
            drop(reader);
        }
    }

    /// Records the slot where the [`Monitor`] of `monitor_events` for `endpoint` leaves its
    /// socket, if `endpoint` is still the running monitor's.
    fn park_reader_at(&self, endpoint: &str, monitor: &mut Monitor) {
        let mut state = lock(&self.state);
        if state
            .monitor
            .as_ref()
            .is_some_and(|(ep, _)| ep.as_bytes() == endpoint.as_bytes())
        {
            let slot: ReaderSlot = Arc::new(Mutex::new(None));
            state.monitor_reader = Some(Arc::clone(&slot));
            monitor.park = Some(slot);
        }
    }

    /// A socket of `reader_type` connected to a running monitor's endpoint, with linger 0,
    /// or `None` if the context cannot make one (terminated: libzmq's monitor send then
    /// fails with ETERM instead of blocking).
    fn connect_drain(&self, endpoint: &CString, reader_type: i32) -> Option<*mut libc::c_void> {
        self.context()
            .inner
            .with_raw(|ctx| {
                // SAFETY: the live context pointer.
                let s = unsafe { sys::zmq_socket(ctx, reader_type) };
                if s.is_null() {
                    return Err(Error::last());
                }
                let zero: libc::c_int = 0;
                // SAFETY: a fresh socket of this thread; LINGER takes an int; the endpoint is
                // NUL-terminated and bound by the monitor socket, so the connect is immediate.
                let rc = unsafe {
                    sys::zmq_setsockopt(
                        s,
                        sys::ZMQ_LINGER,
                        (&zero as *const libc::c_int).cast(),
                        std::mem::size_of::<libc::c_int>(),
                    );
                    sys::zmq_connect(s, endpoint.as_ptr())
                };
                if rc != 0 {
                    // SAFETY: closes the fresh socket once.
                    unsafe { sys::zmq_close(s) };
                    return Err(Error::last());
                }
                Ok(s)
            })
            .ok()
    }

    /// Monitors this socket and returns the reader (version 1 events): a convenience over
    /// [`Socket::monitor`] with a fresh inproc endpoint.
    pub fn monitor_events(&self, events: MonitorEvents) -> Result<Monitor> {
        self.monitor_with_reader(1, |s, endpoint| s.monitor(Some(endpoint), events))
    }

    /// Starts a monitor on a fresh inproc endpoint (`start`) and returns its reader, for wire
    /// format `version`. The reader's socket is made before the monitor: made after it, a
    /// failure (no free socket slot) would leave a monitor without a reader, and stopping
    /// that one blocks.
    fn monitor_with_reader(
        &self,
        version: u8,
        start: impl FnOnce(&Self, &str) -> Result<()>,
    ) -> Result<Monitor> {
        let endpoint = unique_inproc_endpoint("monitor");
        let reader = self.context().socket(SocketType::Pair)?;
        start(self, &endpoint)?;
        let mut monitor = Monitor::attach(reader, &endpoint, version)?;
        self.park_reader_at(&endpoint, &mut monitor);
        Ok(monitor)
    }

    /// `zmq_socket_monitor_versioned` (draft): publish `events` in wire format `version`
    /// (1 or 2) on `endpoint` through a monitor socket of `socket_type` (PAIR, PUB or PUSH).
    #[cfg(feature = "draft")]
    pub fn monitor_versioned(
        &self,
        endpoint: Option<&str>,
        events: MonitorEvents,
        version: u8,
        socket_type: SocketType,
    ) -> Result<()> {
        let ep = endpoint
            .map(CString::new)
            .transpose()
            .map_err(|_| Error::InvalidArgument)?;
        let ptr = ep.as_ref().map_or(std::ptr::null(), |e| e.as_ptr());
        if version == 1 && events.bits() > 0xFFFF {
            return Err(Error::InvalidArgument);
        }
        self.monitor_guarded(ep, socket_type.to_raw(), || {
            // SAFETY: a live socket; `ptr` is NULL or a NUL-terminated endpoint; libzmq
            // checks the version and socket type.
            unsafe {
                sys::zmq_socket_monitor_versioned(
                    self.as_raw(),
                    ptr,
                    events.bits(),
                    version as i32,
                    socket_type.to_raw(),
                )
            }
        })
    }

    /// Monitors this socket with version-2 events (draft) and returns the reader.
    #[cfg(feature = "draft")]
    pub fn monitor_events_v2(&self, events: MonitorEvents) -> Result<Monitor> {
        self.monitor_with_reader(2, |s, endpoint| {
            s.monitor_versioned(Some(endpoint), events, 2, SocketType::Pair)
        })
    }

    /// Asks for a `PIPES_STATS` event per connection (draft, version-2 monitors;
    /// `zmq_socket_monitor_pipes_stats`).
    ///
    /// The I/O threads answer with commands that this socket processes only when the
    /// application next calls into it (any send, recv or option read such as
    /// [`Socket::events`]): the events appear on the monitor after such a call.
    #[cfg(feature = "draft")]
    pub fn monitor_pipes_stats(&self) -> Result<()> {
        // SAFETY: a live socket.
        check(unsafe { sys::zmq_socket_monitor_pipes_stats(self.as_raw()) }).map(drop)
    }
}

// Pure Rust (no libzmq call): these also run under Miri (ci/miri.sh).
#[cfg(test)]
mod tests {
    use super::*;

    fn v1_head(event: u16, value: u32) -> Vec<u8> {
        let mut head = event.to_ne_bytes().to_vec();
        head.extend_from_slice(&value.to_ne_bytes());
        head
    }

    fn v2_frames(event: u64, values: &[u64], local: &str, remote: &str) -> Vec<Vec<u8>> {
        let mut frames = vec![
            event.to_ne_bytes().to_vec(),
            (values.len() as u64).to_ne_bytes().to_vec(),
        ];
        frames.extend(values.iter().map(|v| v.to_ne_bytes().to_vec()));
        frames.push(local.as_bytes().to_vec());
        frames.push(remote.as_bytes().to_vec());
        frames
    }

    #[test]
    fn v1_events_decode() {
        let ev = MonitorEvent::parse_v1(&[
            v1_head(sys::ZMQ_EVENT_CONNECT_RETRIED as u16, 250),
            b"tcp://127.0.0.1:5555".to_vec(),
        ])
        .unwrap();
        assert_eq!(ev.event, Event::ConnectRetried { interval_ms: 250 });
        assert_eq!(ev.endpoint, "tcp://127.0.0.1:5555");
        assert_eq!(ev.remote_endpoint, None);
        let ev = MonitorEvent::parse_v1(&[v1_head(0x8000, 7), Vec::new()]).unwrap();
        assert_eq!(
            ev.event,
            Event::Unknown {
                event: 0x8000,
                values: vec![7]
            }
        );
    }

    #[test]
    fn v2_events_decode() {
        let frames = v2_frames(0x10000, &[3, 4], "inproc://a", "");
        let ev = MonitorEvent::parse_v2(&frames).unwrap();
        assert_eq!(
            ev.event,
            Event::PipesStats {
                inbound: 3,
                outbound: 4
            }
        );
        assert_eq!(ev.endpoint, "inproc://a");
        assert_eq!(ev.remote_endpoint.as_deref(), Some(""));
        let frames = v2_frames(
            sys::ZMQ_EVENT_HANDSHAKE_FAILED_AUTH as u64,
            &[400],
            "tcp://127.0.0.1:1",
            "tcp://127.0.0.1:2",
        );
        let ev = MonitorEvent::parse_v2(&frames).unwrap();
        assert_eq!(ev.event, Event::HandshakeFailedAuth { status_code: 400 });
        // Beyond 32 bits is no libzmq event: unknown, not a truncated match.
        let big = (1u64 << 32) | sys::ZMQ_EVENT_CONNECTED as u64;
        let ev = MonitorEvent::parse_v2(&v2_frames(big, &[], "", "")).unwrap();
        assert!(matches!(ev.event, Event::Unknown { event, .. } if event == big));
    }

    #[test]
    fn missing_values_read_as_zero() {
        assert_eq!(
            Event::from_raw(sys::ZMQ_EVENT_DISCONNECTED as u64, &[]),
            Event::Disconnected { fd: fd(0) }
        );
    }

    #[test]
    fn malformed_frames_are_protocol_errors() {
        let empty: [&[u8]; 0] = [];
        assert_eq!(MonitorEvent::parse_v1(&empty), Err(Error::Protocol));
        assert_eq!(
            MonitorEvent::parse_v1(&[&b"short"[..], b""]),
            Err(Error::Protocol)
        );
        assert_eq!(MonitorEvent::parse_v2(&empty), Err(Error::Protocol));
        // A count that disagrees with the number of value frames.
        let mut frames = v2_frames(1, &[1, 2], "", "");
        frames.remove(2);
        assert_eq!(MonitorEvent::parse_v2(&frames), Err(Error::Protocol));
        // A value frame of the wrong width.
        let mut frames = v2_frames(1, &[1], "", "");
        frames[2].pop();
        assert_eq!(MonitorEvent::parse_v2(&frames), Err(Error::Protocol));
    }

    #[test]
    fn endpoints_that_are_not_utf8_are_kept_lossily() {
        let ev = MonitorEvent::parse_v1(&[
            v1_head(sys::ZMQ_EVENT_CLOSED as u16, 9),
            vec![b'a', 0xff, b'b'],
        ])
        .unwrap();
        assert_eq!(ev.endpoint, "a\u{fffd}b");
    }
}
