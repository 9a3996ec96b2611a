// A thread-safe (draft) socket may be shared by threads; a context too.
fn require_sync<T: Sync + Send>() {}

fn main() {
    require_sync::<zmq4::SharedSocket>();
    require_sync::<zmq4::Context>();
}
