// Without the `draft` feature, the draft socket types do not exist.
fn main() {
    let _ = zmq4::SocketType::Server;
}
