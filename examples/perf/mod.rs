//! What the six ports of libzmq's perf tools share: argument handling, the C tools' way of
//! failing, and the timed loops themselves (each one the loop of the C tool, call for call).
//! Not an example of its own: each tool includes it with `mod perf;`.

#![allow(dead_code)] // every tool uses a different part

use std::process::exit;
use std::time::{Duration, Instant};
use zmq4::{Message, RecvFlags, SendFlags, Socket};

/// Prints `error in <what>: <error>` and exits, as the C tools do on any failed call.
pub fn fail(what: &str, e: zmq4::Error) -> ! {
    println!("error in {what}: {e}");
    exit(255)
}

/// A tool's usage line: printed, with exit status 1, on any bad argument.
pub struct Usage(pub &'static str);

impl Usage {
    /// The command-line arguments (program name first), if their number is one of `counts`.
    pub fn args(&self, counts: &[usize]) -> Vec<String> {
        let args: Vec<String> = std::env::args().collect();
        if !counts.contains(&args.len()) {
            self.exit()
        }
        args
    }

    /// `arg` as a number.
    pub fn number<T: std::str::FromStr>(&self, arg: &str) -> T {
        arg.parse().unwrap_or_else(|_| self.exit())
    }

    /// A message or round-trip count: a number above zero.
    pub fn count(&self, arg: &str) -> u32 {
        match self.number(arg) {
            0 => self.exit(),
            n => n,
        }
    }

    pub fn exit(&self) -> ! {
        println!("{}", self.0);
        exit(1)
    }
}

/// Exits as the C tools do when a message of the wrong size arrives.
fn check_size(msg: &Message, message_size: usize) {
    if msg.len() != message_size {
        println!("message of incorrect size received");
        exit(255);
    }
}

/// The C sender's loop: `zmq_msg_init_size` (bytes left as they come), `zmq_sendmsg`,
/// `zmq_msg_close`, `message_count` times.
pub fn send_messages(s: &Socket, message_size: usize, message_count: u32) {
    for _ in 0..message_count {
        // SAFETY: nothing on this side reads the bytes; libzmq sends them as they are.
        let mut msg = unsafe { Message::with_size_uninit(message_size) }
            .unwrap_or_else(|e| fail("zmq_msg_init_size", e));
        s.send_msg(&mut msg, SendFlags::empty())
            .unwrap_or_else(|e| fail("zmq_sendmsg", e));
        // Dropping the sent (now empty) message is the C tool's zmq_msg_close.
    }
}

/// The C receiver's loop: one reused message; the clock starts after the first message
/// and stops after the last. Returns whole microseconds, at least 1 (`zmq_stopwatch_stop`).
pub fn receive_messages(s: &Socket, message_size: usize, message_count: u32) -> u64 {
    let mut msg = Message::new();
    s.recv_msg(&mut msg, RecvFlags::empty())
        .unwrap_or_else(|e| fail("zmq_recvmsg", e));
    check_size(&msg, message_size);

    let watch = Instant::now();
    for _ in 1..message_count {
        s.recv_msg(&mut msg, RecvFlags::empty())
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        check_size(&msg, message_size);
    }
    micros(watch.elapsed()).max(1)
}

/// The echoing end of a latency test: receives into one message and sends it back,
/// `roundtrip_count` times, checking the size when given one (local_lat does, inproc_lat's
/// worker does not).
pub fn echo(s: &Socket, roundtrip_count: u32, message_size: Option<usize>) {
    let mut msg = Message::new();
    for _ in 0..roundtrip_count {
        s.recv_msg(&mut msg, RecvFlags::empty())
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        if let Some(size) = message_size {
            check_size(&msg, size);
        }
        s.send_msg(&mut msg, SendFlags::empty())
            .unwrap_or_else(|e| fail("zmq_sendmsg", e));
    }
}

/// The timing end of a latency test: one zeroed message (`zmq_msg_init_size` + memset),
/// sent and received back `roundtrip_count` times. Returns the mean one-way latency in µs.
pub fn time_round_trips(s: &Socket, message_size: usize, roundtrip_count: u32) -> f64 {
    let mut msg = Message::with_size(message_size).unwrap_or_else(|e| fail("zmq_msg_init_size", e));
    let watch = Instant::now();
    for _ in 0..roundtrip_count {
        s.send_msg(&mut msg, SendFlags::empty())
            .unwrap_or_else(|e| fail("zmq_sendmsg", e));
        s.recv_msg(&mut msg, RecvFlags::empty())
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        check_size(&msg, message_size);
    }
    micros(watch.elapsed()) as f64 / (f64::from(roundtrip_count) * 2.0)
}

/// Whole microseconds of the monotonic clock, as `zmq_stopwatch_stop` counts them.
fn micros(elapsed: Duration) -> u64 {
    elapsed.as_micros() as u64
}
