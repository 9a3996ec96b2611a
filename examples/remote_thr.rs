//! Port of libzmq's `perf/remote_thr.cpp`: the sending end of the throughput test.
//!
//! Connects a PUSH socket and sends `message-count` messages of `message-size` bytes, each
//! made, sent and closed as the C tool does (`zmq_msg_init_size`, `zmq_msg_send`,
//! `zmq_msg_close`, with the bytes left as they come). Run it against `local_thr`, which
//! prints the result:
//!
//! ```sh
//! cargo run --release --example local_thr -- tcp://127.0.0.1:5555 64 1000000 &
//! cargo run --release --example remote_thr -- tcp://127.0.0.1:5555 64 1000000
//! ```
//!
//! A fourth argument other than 0 turns CURVE on, with the C tool's fixed keys.

mod perf;

use perf::{fail, send_messages, Usage};
use zmq4::{Context, SocketType};

// The C tool's fixed keys (arbitrary, but matching local_thr's server key).
const SERVER_PUBKEY: &str = "DX4nh=yUn{-9ugra0X3Src4SU-4xTgqxcYY.+<SH";
const CLIENT_PUBKEY: &str = "<n^oA}I:66W+*ds3tAmi1+KJzv-}k&fC2aA5Bj0K";
const CLIENT_PRVKEY: &str = "9R9bV}[6z6DC-%$!jTVTKvWc=LEL{4i4gzUe$@Zx";

const USAGE: Usage =
    Usage("usage: remote_thr <connect-to> <message-size> <message-count> [<enable_curve>]");

fn main() {
    let args = USAGE.args(&[4, 5]);
    let connect_to = &args[1];
    let message_size: usize = USAGE.number(&args[2]);
    let message_count: u32 = USAGE.number(&args[3]);
    let curve = args.len() == 5 && USAGE.number::<i32>(&args[4]) != 0;

    let ctx = Context::new();
    let s = ctx
        .socket(SocketType::Push)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    if curve {
        s.set_curve_secretkey(CLIENT_PRVKEY)
            .unwrap_or_else(|e| fail("zmq_setsockopt", e));
        s.set_curve_publickey(CLIENT_PUBKEY)
            .unwrap_or_else(|e| fail("zmq_setsockopt", e));
        s.set_curve_serverkey(SERVER_PUBKEY)
            .unwrap_or_else(|e| fail("zmq_setsockopt", e));
    }
    s.connect(connect_to)
        .unwrap_or_else(|e| fail("zmq_connect", e));

    send_messages(&s, message_size, message_count);
}
