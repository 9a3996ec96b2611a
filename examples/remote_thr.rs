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

use std::process::exit;
use zmq4::{Context, Message, SendFlags, SocketType};

// The C tool's fixed keys (arbitrary, but matching local_thr's server key).
const SERVER_PUBKEY: &str = "DX4nh=yUn{-9ugra0X3Src4SU-4xTgqxcYY.+<SH";
const CLIENT_PUBKEY: &str = "<n^oA}I:66W+*ds3tAmi1+KJzv-}k&fC2aA5Bj0K";
const CLIENT_PRVKEY: &str = "9R9bV}[6z6DC-%$!jTVTKvWc=LEL{4i4gzUe$@Zx";

const USAGE: &str =
    "usage: remote_thr <connect-to> <message-size> <message-count> [<enable_curve>]";

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
    if args.len() != 4 && args.len() != 5 {
        println!("{USAGE}");
        exit(1);
    }
    let connect_to = &args[1];
    let message_size: usize = number(&args[2]);
    let message_count: u32 = number(&args[3]);
    let curve = args.len() == 5 && number::<i32>(&args[4]) != 0;

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
