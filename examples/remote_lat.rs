//! Port of libzmq's `perf/remote_lat.cpp`: the timing end of the latency test.
//!
//! Connects a REQ socket, sends one zeroed message of `message-size` bytes and receives the
//! echo into the same [`Message`], `roundtrip-count` times, and prints the mean one-way
//! latency (half a round trip), as the C tool does. Run it against `local_lat`:
//!
//! ```sh
//! cargo run --release --example local_lat -- tcp://127.0.0.1:5555 64 100000 &
//! cargo run --release --example remote_lat -- tcp://127.0.0.1:5555 64 100000
//! ```

use std::process::exit;
use std::time::Instant;
use zmq4::{Context, Message, RecvFlags, SendFlags, SocketType};

const USAGE: &str = "usage: remote_lat <connect-to> <message-size> <roundtrip-count>";

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

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        println!("{USAGE}");
        exit(1);
    }
    let connect_to = &args[1];
    let message_size: usize = number(&args[2]);
    let roundtrip_count: u32 = number(&args[3]);

    let ctx = Context::new();
    let s = ctx
        .socket(SocketType::Req)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.connect(connect_to)
        .unwrap_or_else(|e| fail("zmq_connect", e));

    // zmq_msg_init_size + memset(0), as in the C tool.
    let mut msg = Message::with_size(message_size).unwrap_or_else(|e| fail("zmq_msg_init_size", e));

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

    println!("message size: {message_size} [B]");
    println!("roundtrip count: {roundtrip_count}");
    println!("average latency: {latency:.3} [us]");
}
