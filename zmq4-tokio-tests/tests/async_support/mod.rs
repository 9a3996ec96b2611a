//! Helpers of the async integration tests (`tests/async_*.rs`): bounded waits, sequence-number
//! payloads, a one-shot poll of a future, and async forms of the shared helpers of
//! `tests/common` (endpoints, transports).
#![allow(dead_code)]

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use zmq4::tokio::AsyncSocket;
use zmq4::{Context as ZmqContext, SocketType, ThreadMode};

/// The bound of every test body: a hang fails the test instead of the run.
pub const LIMIT: Duration = Duration::from_secs(60);

/// The bound of one wait inside a test.
pub const STEP: Duration = Duration::from_secs(10);

/// Awaits `fut`, failing the test if it takes longer than `limit`.
pub async fn within<T>(limit: Duration, what: &str, fut: impl Future<Output = T>) -> T {
    match tokio::time::timeout(limit, fut).await {
        Ok(v) => v,
        Err(_) => panic!("{what}: no result within {limit:?} (hang or lost wake-up)"),
    }
}

/// The helpers the blocking tests use (endpoints, transports, bounded sockets), one copy
/// for both suites.
#[path = "../../../tests/common/mod.rs"]
pub mod common;

pub use common::Transport;

/// A fresh inproc endpoint.
pub fn inproc() -> String {
    common::inproc_endpoint()
}

/// Binds `socket` on a fresh endpoint of `transport` and returns the endpoint to connect to.
pub fn bind<M: ThreadMode>(socket: &AsyncSocket<M>, transport: Transport) -> String {
    socket.with_socket(|s| common::bind(s, transport))
}

/// An async socket of `ty` with linger 0.
pub fn socket(ctx: &ZmqContext, ty: SocketType) -> AsyncSocket {
    let s = ctx.socket(ty).unwrap();
    s.set_linger(0).unwrap();
    AsyncSocket::new(s).unwrap()
}

/// An async thread-safe socket of `ty` with linger 0.
pub fn shared(ctx: &ZmqContext, ty: SocketType) -> AsyncSocket<zmq4::Shared> {
    let s = ctx.shared_socket(ty).unwrap();
    s.set_linger(0).unwrap();
    AsyncSocket::new(s).unwrap()
}

/// A payload carrying a sender number and a sequence number (and `pad` filler bytes).
pub fn payload(sender: u32, seq: u32, pad: usize) -> Vec<u8> {
    let mut v = Vec::with_capacity(8 + pad);
    v.extend_from_slice(&sender.to_le_bytes());
    v.extend_from_slice(&seq.to_le_bytes());
    v.resize(8 + pad, 0xA5);
    v
}

/// The (sender, seq) of a [`payload`].
pub fn parse(data: &[u8]) -> (u32, u32) {
    assert!(data.len() >= 8, "short payload: {data:?}");
    let sender = u32::from_le_bytes(data[0..4].try_into().unwrap());
    let seq = u32::from_le_bytes(data[4..8].try_into().unwrap());
    (sender, seq)
}

/// Checks that sequence numbers of each sender arrive in order, each exactly once.
#[derive(Debug)]
pub struct SeqCheck {
    next: Vec<u32>,
}

impl SeqCheck {
    pub fn new(senders: usize) -> SeqCheck {
        SeqCheck {
            next: vec![0; senders],
        }
    }

    pub fn see(&mut self, sender: u32, seq: u32) {
        let next = &mut self.next[sender as usize];
        assert_eq!(seq, *next, "sender {sender}: lost or duplicated message");
        *next += 1;
    }

    /// How many messages of `sender` were seen.
    pub fn count(&self, sender: u32) -> u32 {
        self.next[sender as usize]
    }

    pub fn assert_complete(&self, per_sender: u32) {
        for (i, n) in self.next.iter().enumerate() {
            assert_eq!(*n, per_sender, "sender {i}: messages missing");
        }
    }
}

/// Polls `fut` once with the task's context, returning whether it completed.
pub async fn poll_once<F: Future + Unpin>(fut: &mut F) -> Poll<F::Output> {
    std::future::poll_fn(|cx: &mut Context<'_>| Poll::Ready(Pin::new(&mut *fut).poll(cx))).await
}
