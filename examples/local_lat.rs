//! Port of libzmq's `perf/local_lat.cpp`: the echoing end of the latency test.
//!
//! Binds a REP socket and sends every message of `message-size` bytes straight back, in one
//! reused [`Message`] (`zmq_msg_recv` into it, `zmq_msg_send` of it), `roundtrip-count`
//! times. `remote_lat` on the other end times the round trips and prints the result:
//!
//! ```sh
//! cargo run --release --example local_lat -- tcp://127.0.0.1:5555 64 100000 &
//! cargo run --release --example remote_lat -- tcp://127.0.0.1:5555 64 100000
//! ```

mod perf;

use perf::{echo, fail, Usage};
use std::time::Duration;
use zmq4::{Context, SocketType};

const USAGE: Usage = Usage("usage: local_lat <bind-to> <message-size> <roundtrip-count>");

fn main() {
    let args = USAGE.args(&[4]);
    let bind_to = &args[1];
    let message_size: usize = USAGE.number(&args[2]);
    let roundtrip_count: u32 = USAGE.number(&args[3]);

    let ctx = Context::new();
    let s = ctx
        .socket(SocketType::Rep)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.bind(bind_to).unwrap_or_else(|e| fail("zmq_bind", e));

    echo(&s, roundtrip_count, Some(message_size));

    // zmq_sleep(1): give the last reply time to leave before the socket closes.
    std::thread::sleep(Duration::from_secs(1));
}
