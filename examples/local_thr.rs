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

use std::process::exit;
use std::time::Instant;
use zmq4::{Context, Message, RecvFlags, SocketType};

/// The server's secret key of the C tool (the keys are arbitrary but fixed on both ends).
const SERVER_PRVKEY: &str = "{X}#>t#jRGaQ}gMhv=30r(Mw+87YGs+5%kh=i@f8";

const USAGE: &str = "usage: local_thr <bind-to> <message-size> <message-count> [<enable_curve>]";

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
    let bind_to = &args[1];
    let message_size: usize = number(&args[2]);
    let message_count: u32 = number(&args[3]);
    let curve = args.len() == 5 && number::<i32>(&args[4]) != 0;
    if message_count == 0 {
        println!("{USAGE}");
        exit(1);
    }

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

    let mut msg = Message::new();
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

    let throughput = message_count as f64 / elapsed as f64 * 1_000_000.0;
    let megabits = throughput * message_size as f64 * 8.0 / 1_000_000.0;

    println!("message size: {message_size} [B]");
    println!("message count: {message_count}");
    println!("mean throughput: {} [msg/s]", throughput as i32);
    println!("mean throughput: {megabits:.3} [Mb/s]");
}
