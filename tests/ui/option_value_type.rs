// An option only takes its own value type.
use zmq4::{opt, Context, SocketType};

fn main() {
    let sock = Context::new().socket(SocketType::Pair).unwrap();
    sock.set(opt::Linger, "0").unwrap();
    sock.set_routing_id(42).unwrap();
}
