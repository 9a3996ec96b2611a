//! Polling: `zmq_poll` over sockets and file descriptors, and (with `draft`) the `zmq_poller`
//! API.

use crate::sys;

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
