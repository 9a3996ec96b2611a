//! Port of libzmq's `perf/inproc_lat.cpp`: latency over `inproc://`, both ends in one
//! process.
//!
//! The main thread's REQ socket sends one zeroed message of `message-size` bytes and
//! receives the echo into the same [`Message`], `roundtrip-count` times; a worker thread's
//! REP socket sends every message straight back in its own reused `Message`. Prints the mean
//! one-way latency (half a round trip), as the C tool does.
//!
//! ```sh
//! cargo run --release --example inproc_lat -- 64 100000
//! ```

mod perf;

use perf::{echo, fail, time_round_trips, Usage};
use zmq4::{Context, SocketType};

const USAGE: Usage = Usage("usage: inproc_lat <message-size> <roundtrip-count>");

fn worker(ctx: Context, roundtrip_count: u32) {
    let s = ctx
        .socket(SocketType::Rep)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.connect("inproc://lat_test")
        .unwrap_or_else(|e| fail("zmq_connect", e));
    echo(&s, roundtrip_count, None);
}

fn main() {
    let args = USAGE.args(&[3]);
    let message_size: usize = USAGE.number(&args[1]);
    let roundtrip_count: u32 = USAGE.number(&args[2]);

    let ctx = Context::new();
    let s = ctx
        .socket(SocketType::Req)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.bind("inproc://lat_test")
        .unwrap_or_else(|e| fail("zmq_bind", e));

    let worker_ctx = ctx.clone();
    let local_thread = std::thread::spawn(move || worker(worker_ctx, roundtrip_count));

    println!("message size: {message_size} [B]");
    println!("roundtrip count: {roundtrip_count}");

    let latency = time_round_trips(&s, message_size, roundtrip_count);

    if local_thread.join().is_err() {
        println!("error in pthread_join");
        std::process::exit(255);
    }

    println!("average latency: {latency:.3} [us]");
}
