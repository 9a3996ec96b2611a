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

use std::process::exit;
use std::time::Duration;
use zmq4::{Context, Message, RecvFlags, SendFlags, SocketType};

const USAGE: &str = "usage: local_lat <bind-to> <message-size> <roundtrip-count>";

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
    let bind_to = &args[1];
    let message_size: usize = number(&args[2]);
    let roundtrip_count: u32 = number(&args[3]);

    let ctx = Context::new();
    let s = ctx
        .socket(SocketType::Rep)
        .unwrap_or_else(|e| fail("zmq_socket", e));
    s.bind(bind_to).unwrap_or_else(|e| fail("zmq_bind", e));

    let mut msg = Message::new();
    for _ in 0..roundtrip_count {
        s.recv_msg(&mut msg, RecvFlags::empty())
            .unwrap_or_else(|e| fail("zmq_recvmsg", e));
        if msg.len() != message_size {
            println!("message of incorrect size received");
            exit(255);
        }
        s.send_msg(&mut msg, SendFlags::empty())
            .unwrap_or_else(|e| fail("zmq_sendmsg", e));
    }
    drop(msg);

    // zmq_sleep(1): give the last reply time to leave before the socket closes.
    std::thread::sleep(Duration::from_secs(1));
}
