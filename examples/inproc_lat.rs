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

use std::process::exit;
use std::time::Instant;
use zmq4::{Context, Message, RecvFlags, SendFlags, SocketType};

const USAGE: &str = "usage: inproc_lat <message-size> <roundtrip-count>";

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

fn worker(ctx: Context, roundtrip_count: u32) {
    let s = ctx
        .socket(SocketType::Rep)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.connect("inproc://lat_test")
        .unwrap_or_else(|e| fail("zmq_connect", e));
    let mut msg = Message::new();
    for _ in 0..roundtrip_count {
        s.recv_msg(&mut msg, RecvFlags::empty())
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        s.send_msg(&mut msg, SendFlags::empty())
            .unwrap_or_else(|e| fail("zmq_sendmsg", e));
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        println!("{USAGE}");
        exit(1);
    }
    let message_size: usize = number(&args[1]);
    let roundtrip_count: u32 = number(&args[2]);

    let ctx = Context::new();
    let s = ctx
        .socket(SocketType::Req)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.bind("inproc://lat_test")
        .unwrap_or_else(|e| fail("zmq_bind", e));

    let worker_ctx = ctx.clone();
    let local_thread = std::thread::spawn(move || worker(worker_ctx, roundtrip_count));

    // zmq_msg_init_size + memset(0), as in the C tool.
    let mut msg = Message::with_size(message_size).unwrap_or_else(|e| fail("zmq_msg_init_size", e));

    println!("message size: {message_size} [B]");
    println!("roundtrip count: {roundtrip_count}");

    let watch = Instant::now();
    for _ in 0..roundtrip_count {
        s.send_msg(&mut msg, SendFlags::empty())
            .unwrap_or_else(|e| fail("zmq_sendmsg", e));
        s.recv_msg(&mut msg, RecvFlags::empty())
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        if msg.len() != message_size {
            println!("message of incorrect size received");
            exit(255);
        }
    }
    // zmq_stopwatch_stop: whole microseconds of the monotonic clock.
    let elapsed = watch.elapsed().as_micros() as u64;
    drop(msg);

    let latency = elapsed as f64 / (f64::from(roundtrip_count) * 2.0);

    if local_thread.join().is_err() {
        println!("error in pthread_join");
        exit(255);
    }

    println!("average latency: {latency:.3} [us]");
}
