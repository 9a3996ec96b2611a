// A classic socket may move between threads but not be shared by them.
fn require_sync<T: Sync>() {}
fn require_send<T: Send>() {}

fn main() {
    require_send::<zmq4::Socket>();
    require_sync::<zmq4::Socket>();
}
