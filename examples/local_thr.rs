//! Port of libzmq's `perf/local_thr.cpp`: the receiving end of the throughput test.
//!
//! Binds a PULL socket, receives `message-count` messages of `message-size` bytes into one
//! reused [`Message`] and prints the mean throughput, timed from the first message to the
//! last, exactly as the C tool does. Run it with `remote_thr` on the other end:
//!
//! ```sh
//! cargo run --release --example local_thr -- tcp://127.0.0.1:5555 64 1000000 &
//! cargo run --release --example remote_thr -- tcp://127.0.0.1:5555 64 1000000
//! ```
//!
//! A fourth argument other than 0 turns CURVE on, with the C tool's fixed keys.

mod perf;

use perf::{fail, receive_messages, Usage};
use zmq4::{Context, SocketType};

/// The server's secret key of the C tool (the keys are arbitrary but fixed on both ends).
const SERVER_PRVKEY: &str = "{X}#>t#jRGaQ}gMhv=30r(Mw+87YGs+5%kh=i@f8";

const USAGE: Usage =
    Usage("usage: local_thr <bind-to> <message-size> <message-count> [<enable_curve>]");

fn main() {
    let args = USAGE.args(&[4, 5]);
    let bind_to = &args[1];
    let message_size: usize = USAGE.number(&args[2]);
    let message_count = USAGE.count(&args[3]);
    let curve = args.len() == 5 && USAGE.number::<i32>(&args[4]) != 0;

    let ctx = Context::new();
    let s = ctx
        .socket(SocketType::Pull)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    if curve {
        s.set_curve_secretkey(SERVER_PRVKEY)
            .unwrap_or_else(|e| fail("zmq_setsockopt", e));
        s.set_curve_server(true)
            .unwrap_or_else(|e| fail("zmq_setsockopt", e));
    }
    s.bind(bind_to).unwrap_or_else(|e| fail("zmq_bind", e));

    let elapsed = receive_messages(&s, message_size, message_count);

    let throughput = message_count as f64 / elapsed as f64 * 1_000_000.0;
    let megabits = throughput * message_size as f64 * 8.0 / 1_000_000.0;

    println!("message size: {message_size} [B]");
    println!("message count: {message_count}");
    println!("mean throughput: {} [msg/s]", throughput as i32);
    println!("mean throughput: {megabits:.3} [Mb/s]");
}
