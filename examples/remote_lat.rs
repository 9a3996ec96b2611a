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

mod perf;

use perf::{fail, time_round_trips, Usage};
use zmq4::{Context, SocketType};

const USAGE: Usage = Usage("usage: remote_lat <connect-to> <message-size> <roundtrip-count>");

fn main() {
    let args = USAGE.args(&[4]);
    let connect_to = &args[1];
    let message_size: usize = USAGE.number(&args[2]);
    let roundtrip_count: u32 = USAGE.number(&args[3]);

    let ctx = Context::new();
    let s = ctx
        .socket(SocketType::Req)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.connect(connect_to)
        .unwrap_or_else(|e| fail("zmq_connect", e));

    let latency = time_round_trips(&s, message_size, roundtrip_count);

    println!("message size: {message_size} [B]");
    println!("roundtrip count: {roundtrip_count}");
    println!("average latency: {latency:.3} [us]");
}
