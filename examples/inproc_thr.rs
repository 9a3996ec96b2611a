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

mod perf;

use perf::{fail, receive_messages, send_messages, Usage};
use zmq4::{Context, SocketType};

const USAGE: Usage = Usage("usage: inproc_thr <message-size> <message-count>");

fn worker(ctx: Context, message_size: usize, message_count: u32) {
    let s = ctx
        .socket(SocketType::Push)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.connect("inproc://thr_test")
        .unwrap_or_else(|e| fail("zmq_connect", e));
    send_messages(&s, message_size, message_count);
}

fn main() {
    let args = USAGE.args(&[3]);
    let message_size: usize = USAGE.number(&args[1]);
    let message_count = USAGE.count(&args[2]);

    let ctx = Context::new();
    let s = ctx
        .socket(SocketType::Pull)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.bind("inproc://thr_test")
        .unwrap_or_else(|e| fail("zmq_bind", e));

    let worker_ctx = ctx.clone();
    let local_thread = std::thread::spawn(move || worker(worker_ctx, message_size, message_count));

    println!("message size: {message_size} [B]");
    println!("message count: {message_count}");

    let elapsed = receive_messages(&s, message_size, message_count);

    if local_thread.join().is_err() {
        println!("error in pthread_join");
        std::process::exit(255);
    }

    // The C tool truncates msg/s to an integer before it computes Mb/s.
    let throughput = (message_count as f64 / elapsed as f64 * 1_000_000.0) as u64;
    let megabits = (throughput * message_size as u64 * 8) as f64 / 1_000_000.0;

    println!("mean throughput: {throughput} [msg/s]");
    println!("mean throughput: {megabits:.3} [Mb/s]");
}
