//! Argument and error helpers shared by the rust-zmq ports of libzmq's perf tools.

use std::process::exit;

/// The arguments after the program name, or the usage line and exit 1 when their number is
/// not one of `counts`.
pub fn args(usage: &str, counts: &[usize]) -> Vec<String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !counts.contains(&args.len()) {
        println!("{usage}");
        exit(1);
    }
    args
}

/// `arg` as a number, or the usage line and exit 1.
pub fn number<T: std::str::FromStr>(usage: &str, arg: &str) -> T {
    arg.parse().unwrap_or_else(|_| {
        println!("{usage}");
        exit(1)
    })
}

/// Prints `error in <what>: <error>` and exits, as the C tools do.
pub fn fail(what: &str, e: zmq::Error) -> ! {
    println!("error in {what}: {e}");
    exit(255)
}

/// Exits with the C tools' message when a received message has the wrong size.
pub fn check_size(got: usize, want: usize) {
    if got != want {
        println!("message of incorrect size received");
        exit(255);
    }
}

/// `zmq_stopwatch_stop`: whole microseconds since `watch`.
pub fn micros(watch: std::time::Instant) -> u64 {
    watch.elapsed().as_micros() as u64
}

/// The C sender's loop: `zmq_msg_init_size` (bytes left as they are), send, close,
/// `count` times. rust-zmq's only way to an uninitialised message is its deprecated unsafe
/// constructor, and its `send` takes the message by value (zmq_msg_close when it drops).
pub fn send_messages(s: &zmq::Socket, size: usize, count: u32) {
    for _ in 0..count {
        #[allow(deprecated)]
        // SAFETY: the uninitialised bytes are never read on the Rust side; libzmq sends them.
        let msg = unsafe { zmq::Message::with_capacity_unallocated(size) };
        s.send(msg, 0).unwrap_or_else(|e| fail("zmq_sendmsg", e));
    }
}

/// The C receiver's loop into one reused message; the clock runs from the first message to
/// the last. Returns whole microseconds, at least 1.
pub fn receive_messages(s: &zmq::Socket, size: usize, count: u32) -> u64 {
    let mut msg = zmq::Message::new();
    s.recv(&mut msg, 0)
        .unwrap_or_else(|e| fail("zmq_recvmsg", e));
    check_size(msg.len(), size);
    let watch = std::time::Instant::now();
    for _ in 1..count {
        s.recv(&mut msg, 0)
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        check_size(msg.len(), size);
    }
    micros(watch).max(1)
}

/// The echoing end of a latency test, `count` times, checking the size when given one.
/// rust-zmq's send takes the message by value, so each round trip needs a fresh one.
pub fn echo(s: &zmq::Socket, count: u32, size: Option<usize>) {
    for _ in 0..count {
        let mut msg = zmq::Message::new();
        s.recv(&mut msg, 0)
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        if let Some(size) = size {
            check_size(msg.len(), size);
        }
        s.send(msg, 0).unwrap_or_else(|e| fail("zmq_sendmsg", e));
    }
}

/// The timing end of a latency test: a zeroed message sent and received back `count`
/// times (a fresh message per receive, as rust-zmq's by-value send needs). Returns the mean
/// one-way latency in µs.
pub fn time_round_trips(s: &zmq::Socket, size: usize, count: u32) -> f64 {
    let mut msg = zmq::Message::with_size(size);
    let watch = std::time::Instant::now();
    for _ in 0..count {
        s.send(msg, 0).unwrap_or_else(|e| fail("zmq_sendmsg", e));
        msg = zmq::Message::new();
        s.recv(&mut msg, 0)
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        check_size(msg.len(), size);
    }
    micros(watch) as f64 / (f64::from(count) * 2.0)
}
