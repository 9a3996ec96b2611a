//! Port of libzmq's `perf/inproc_thr.cpp`: throughput over `inproc://`, both ends in one
//! process.
//!
//! A worker thread connects a PUSH socket and sends `message-count` messages of
//! `message-size` bytes, each made, sent and closed as the C tool does; the main thread
//! receives them on a PULL socket into one reused [`Message`] and prints the mean
//! throughput, timed from the first message to the last.
//!
//! ```sh
//! cargo run --release --example inproc_thr -- 64 1000000
//! ```

use std::process::exit;
use std::time::Instant;
use zmq4::{Context, Message, RecvFlags, SendFlags, SocketType};

const USAGE: &str = "usage: inproc_thr <message-size> <message-count>";

/// Prints `error in <what>: <error>` and exits, as the C tool does on any failed call.
fn fail(what: &str, e: zmq4::Error) -> ! {
    println!("error in {what}: {e}");
    exit(255)
}

fn number<T: std::str::FromStr>(arg: &str) -> T {
    arg.parse().unwrap_or_else(|_| {
        println!("{USAGE}");
        exit(1)
    })
}

fn worker(ctx: Context, message_size: usize, message_count: u32) {
    let s = ctx
        .socket(SocketType::Push)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.connect("inproc://thr_test")
        .unwrap_or_else(|e| fail("zmq_connect", e));
    for _ in 0..message_count {
        // zmq_msg_init_size, with the bytes left as they come, as in the C tool.
        // SAFETY: nothing on this side reads the bytes; libzmq sends them as they are.
        let mut msg = unsafe { Message::with_size_uninit(message_size) }
            .unwrap_or_else(|e| fail("zmq_msg_init_size", e));
        s.send_msg(&mut msg, SendFlags::empty())
            .unwrap_or_else(|e| fail("zmq_sendmsg", e));
        // Dropping the sent (now empty) message is the C tool's zmq_msg_close.
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        println!("{USAGE}");
        exit(1);
    }
    let message_size: usize = number(&args[1]);
    let message_count: u32 = number(&args[2]);
    if message_count == 0 {
        println!("{USAGE}");
        exit(1);
    }

    let ctx = Context::new();
    let s = ctx
        .socket(SocketType::Pull)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.bind("inproc://thr_test")
        .unwrap_or_else(|e| fail("zmq_bind", e));

    let worker_ctx = ctx.clone();
    let local_thread = std::thread::spawn(move || worker(worker_ctx, message_size, message_count));

    let mut msg = Message::new();

    println!("message size: {message_size} [B]");
    println!("message count: {message_count}");

    s.recv_msg(&mut msg, RecvFlags::empty())
        .unwrap_or_else(|e| fail("zmq_recvmsg", e));
    if msg.len() != message_size {
        println!("message of incorrect size received");
        exit(255);
    }

    let watch = Instant::now();
    for _ in 1..message_count {
        s.recv_msg(&mut msg, RecvFlags::empty())
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        if msg.len() != message_size {
            println!("message of incorrect size received");
            exit(255);
        }
    }
    // zmq_stopwatch_stop: whole microseconds of the monotonic clock, at least 1.
    let elapsed = (watch.elapsed().as_micros() as u64).max(1);
    drop(msg);

    if local_thread.join().is_err() {
        println!("error in pthread_join");
        exit(255);
    }

    // The C tool truncates msg/s to an integer before it computes Mb/s.
    let throughput = (message_count as f64 / elapsed as f64 * 1_000_000.0) as u64;
    let megabits = (throughput * message_size as u64 * 8) as f64 / 1_000_000.0;

    println!("mean throughput: {throughput} [msg/s]");
    println!("mean throughput: {megabits:.3} [Mb/s]");
}
