// A read-only option has no setter method.
use zmq4::{Context, SocketType};

fn main() {
    let ctx = Context::new();
    let sock = ctx.socket(SocketType::Pair).unwrap();
    sock.set_last_endpoint("tcp://127.0.0.1:5555").unwrap();
    sock.set_rcvmore(true).unwrap();
    ctx.set_socket_limit(10).unwrap();
}
