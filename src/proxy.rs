//! Proxies: `zmq_proxy` and `zmq_proxy_steerable`, plus [`SteerableProxy`], which runs a
//! steerable proxy on its own thread and controls it (pause, resume, statistics, terminate).
//!
//! ```
//! use zmq4::proxy::SteerableProxy;
//! use zmq4::{Context, RecvFlags, SendFlags, SocketType};
//!
//! let ctx = Context::new();
//! let frontend = ctx.socket(SocketType::Pull)?;
//! frontend.bind("inproc://doc-proxy-in")?;
//! let backend = ctx.socket(SocketType::Push)?;
//! backend.bind("inproc://doc-proxy-out")?;
//! let proxy = SteerableProxy::spawn(frontend, backend, None)?;
//!
//! let producer = ctx.socket(SocketType::Push)?;
//! producer.connect("inproc://doc-proxy-in")?;
//! let consumer = ctx.socket(SocketType::Pull)?;
//! consumer.connect("inproc://doc-proxy-out")?;
//! consumer.set_rcvtimeo(5000)?;
//! producer.send("through the proxy", SendFlags::empty())?;
//! assert_eq!(consumer.recv_bytes(RecvFlags::empty())?, b"through the proxy");
//!
//! let stats = proxy.statistics()?;
//! assert_eq!(stats.frontend.received.messages, 1);
//! proxy.terminate()?;
//! # Ok::<(), zmq4::Error>(())
//! ```

use crate::error::{check, Error, Result};
use crate::poll::PollEvents;
use crate::socket::{RecvFlags, SendFlags, Socket, SocketType};
use crate::{sys, Message};
use std::thread::JoinHandle;

fn raw_or_null(socket: Option<&Socket>) -> *mut libc::c_void {
    socket.map_or(std::ptr::null_mut(), Socket::as_raw)
}

/// libzmq's proxy sends with blocking sends and closes the message on failure, asserting
/// that the close works: a DGRAM socket without a peer has closed it already (see
/// [`crate::aborts`]). DGRAM sockets are refused with [`Error::InvalidArgument`].
fn refuse_dgram(sockets: &[Option<&Socket>]) -> Result<()> {
    if sockets.iter().flatten().any(|s| s.is_dgram()) {
        return Err(Error::InvalidArgument);
    }
    Ok(())
}

/// Runs the built-in proxy (`zmq_proxy`) in the calling thread: messages from `frontend`
/// go to `backend` and back, each also sent to `capture` if given. It returns only when the
/// context is terminated or shut down, with [`Error::ContextTerminated`].
///
/// A DGRAM socket in any role is [`Error::InvalidArgument`] (libzmq would abort on a failed
/// send to it).
pub fn proxy(frontend: &Socket, backend: &Socket, capture: Option<&Socket>) -> Result<()> {
    refuse_dgram(&[Some(frontend), Some(backend), capture])?;
    // SAFETY: live sockets (borrowed for the whole call); capture may be NULL.
    check(unsafe { sys::zmq_proxy(frontend.as_raw(), backend.as_raw(), raw_or_null(capture)) })
        .map(drop)
}

/// Runs a steerable proxy (`zmq_proxy_steerable`) in the calling thread, controlled by
/// commands received on `control` (`PAUSE`, `RESUME`, `TERMINATE`, `STATISTICS`; each is
/// answered). Returns `Ok(())` after `TERMINATE`. [`SteerableProxy`] does this on a thread
/// and speaks the control protocol for you. DGRAM sockets are refused, as in [`proxy`].
pub fn proxy_steerable(
    frontend: &Socket,
    backend: &Socket,
    capture: Option<&Socket>,
    control: &Socket,
) -> Result<()> {
    refuse_dgram(&[Some(frontend), Some(backend), capture, Some(control)])?;
    // SAFETY: live sockets (borrowed for the whole call); capture may be NULL.
    check(unsafe {
        sys::zmq_proxy_steerable(
            frontend.as_raw(),
            backend.as_raw(),
            raw_or_null(capture),
            control.as_raw(),
        )
    })
    .map(drop)
}

/// Messages and bytes through one direction of one proxy side.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Traffic {
    /// Number of messages (frames).
    pub messages: u64,
    /// Number of bytes.
    pub bytes: u64,
}

/// What one side of the proxy received and sent.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct SideStatistics {
    /// Received on this side's socket.
    pub received: Traffic,
    /// Sent on this side's socket.
    pub sent: Traffic,
}

/// The answer to the `STATISTICS` command.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct ProxyStatistics {
    /// The frontend socket's traffic.
    pub frontend: SideStatistics,
    /// The backend socket's traffic.
    pub backend: SideStatistics,
}

impl ProxyStatistics {
    /// Decodes the 8 frames of a `STATISTICS` reply (each a native-endian u64).
    pub fn parse<F: AsRef<[u8]>>(frames: &[F]) -> Result<ProxyStatistics> {
        let mut v = [0u64; 8];
        if frames.len() != 8 {
            return Err(Error::Protocol);
        }
        for (slot, frame) in v.iter_mut().zip(frames) {
            *slot = u64::from_ne_bytes(frame.as_ref().try_into().map_err(|_| Error::Protocol)?);
        }
        let side = |i: usize| SideStatistics {
            received: Traffic {
                messages: v[i],
                bytes: v[i + 1],
            },
            sent: Traffic {
                messages: v[i + 2],
                bytes: v[i + 3],
            },
        };
        Ok(ProxyStatistics {
            frontend: side(0),
            backend: side(4),
        })
    }
}

/// A steerable proxy running on its own thread, with the control socket to steer it.
///
/// Dropping it terminates the proxy and joins the thread.
#[derive(Debug)]
pub struct SteerableProxy {
    control: Socket,
    thread: Option<JoinHandle<Result<()>>>,
}

impl SteerableProxy {
    /// Moves the sockets to a new thread running `zmq_proxy_steerable` on them (DGRAM
    /// sockets are refused, as in [`proxy`]).
    pub fn spawn(
        frontend: Socket,
        backend: Socket,
        capture: Option<Socket>,
    ) -> Result<SteerableProxy> {
        refuse_dgram(&[Some(&frontend), Some(&backend), capture.as_ref()])?;
        let ctx = frontend.context();
        let endpoint = crate::socket::unique_inproc_endpoint("proxy-control");
        let control = ctx.socket(SocketType::Pair)?;
        control.bind(&endpoint)?;
        let theirs = ctx.socket(SocketType::Pair)?;
        theirs.connect(&endpoint)?;
        let thread = std::thread::Builder::new()
            .name("zmq4-proxy".into())
            .spawn(move || proxy_steerable(&frontend, &backend, capture.as_ref(), &theirs))
            .map_err(|e| Error::from_errno(e.raw_os_error().unwrap_or(libc::EAGAIN)))?;
        Ok(SteerableProxy {
            control,
            thread: Some(thread),
        })
    }

    /// Sends a command and returns its reply frames, or the proxy thread's error if it has
    /// stopped (so a dead proxy never leaves the caller blocked).
    fn command(&self, command: &'static [u8]) -> Result<Vec<Message>> {
        // Copied, not `send_const`: libzmq 4.3.5 compares a 5-byte command with
        // `memcmp(command, "\x05PAUSE", 6)` (proxy.cpp, handle_control), one byte past its
        // end. A copied command of under 34 bytes lives inside the zmq_msg_t itself, where
        // that extra byte is still the message's own memory; a constant message would point
        // libzmq at our 5-byte static and the read would run past it.
        self.control.send(command, SendFlags::empty())?;
        loop {
            self.control.poll(PollEvents::POLLIN, 100)?;
            match self.control.recv_multipart(RecvFlags::DONTWAIT) {
                Ok(reply) => return Ok(reply),
                Err(Error::WouldBlock) => {}
                Err(e) => return Err(e),
            }
            if self.thread.as_ref().is_none_or(|t| t.is_finished()) {
                return Err(Error::ContextTerminated);
            }
        }
    }

    /// Stops forwarding until [`SteerableProxy::resume`]; messages wait in the sockets'
    /// queues.
    ///
    /// libzmq 4.3.5's proxy mixes up its two commands (proxy.cpp, handle_control: any
    /// 5-byte command, `PAUSE` included, sets the state to active, and `RESUME` sets it to
    /// paused), so on 4.3.5 this sends `RESUME`, which pauses.
    pub fn pause(&self) -> Result<()> {
        self.command(if swapped_pause_resume() {
            b"RESUME"
        } else {
            b"PAUSE"
        })
        .map(drop)
    }

    /// Resumes forwarding after [`SteerableProxy::pause`] (on libzmq 4.3.5 by sending
    /// `PAUSE`: see there).
    pub fn resume(&self) -> Result<()> {
        self.command(if swapped_pause_resume() {
            b"PAUSE"
        } else {
            b"RESUME"
        })
        .map(drop)
    }

    /// The messages and bytes each side received and sent so far.
    pub fn statistics(&self) -> Result<ProxyStatistics> {
        ProxyStatistics::parse(&self.command(b"STATISTICS")?)
    }

    /// Stops the proxy and joins its thread; returns the proxy's own result.
    pub fn terminate(mut self) -> Result<()> {
        self.stop()
    }

    fn stop(&mut self) -> Result<()> {
        let Some(thread) = self.thread.as_ref() else {
            return Ok(());
        };
        if !thread.is_finished() {
            // The proxy may already be gone (context shut down): its result tells why.
            let _ = self.command(b"TERMINATE");
        }
        let thread = self.thread.take().expect("checked above");
        thread.join().unwrap_or(Err(Error::ContextTerminated))
    }
}

impl Drop for SteerableProxy {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// Whether the linked libzmq has 4.3.5's swapped PAUSE/RESUME handling.
fn swapped_pause_resume() -> bool {
    crate::version() == (4, 3, 5)
}
