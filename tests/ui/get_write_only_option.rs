// A write-only option has no getter method.
use zmq4::{Context, SocketType};

fn main() {
    let ctx = Context::new();
    let sock = ctx.socket(SocketType::Sub).unwrap();
    let _ = sock.subscribe();
    let _ = sock.router_mandatory();
    let _ = ctx.thread_priority();
}
