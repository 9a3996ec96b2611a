//! A steerable proxy (`zmq_proxy_steerable`) between a PULL frontend and a PUSH backend, on
//! its own thread, controlled from `main`: statistics, pause, resume, terminate.
//!
//! ```sh
//! cargo run --example steerable_proxy
//! ```

use zmq4::proxy::SteerableProxy;
use zmq4::{Context, RecvFlags, SendFlags, SocketType};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = Context::new();
    let frontend = ctx.socket(SocketType::Pull)?;
    frontend.bind("inproc://frontend")?;
    let backend = ctx.socket(SocketType::Push)?;
    backend.bind("inproc://backend")?;
    let proxy = SteerableProxy::spawn(frontend, backend, None)?;

    let producer = ctx.socket(SocketType::Push)?;
    producer.connect("inproc://frontend")?;
    let consumer = ctx.socket(SocketType::Pull)?;
    consumer.set_rcvtimeo(5000)?;
    consumer.connect("inproc://backend")?;

    for i in 0..3 {
        producer.send(format!("job {i}"), SendFlags::empty())?;
        let job = consumer.recv(RecvFlags::empty())?;
        println!("consumer got {:?}", String::from_utf8_lossy(&job));
    }
    let stats = proxy.statistics()?;
    println!(
        "frontend received {} messages ({} bytes); backend sent {} messages",
        stats.frontend.received.messages,
        stats.frontend.received.bytes,
        stats.backend.sent.messages
    );

    // While paused, messages wait in the frontend's queue.
    proxy.pause()?;
    producer.send("held back", SendFlags::empty())?;
    consumer.set_rcvtimeo(100)?;
    match consumer.recv(RecvFlags::empty()) {
        Err(zmq4::Error::TimedOut) => println!("paused: nothing forwarded"),
        other => return Err(format!("expected nothing while paused, got {other:?}").into()),
    }
    proxy.resume()?;
    consumer.set_rcvtimeo(5000)?;
    let late = consumer.recv(RecvFlags::empty())?;
    println!("resumed: consumer got {:?}", String::from_utf8_lossy(&late));

    let stats = proxy.statistics()?;
    println!(
        "frontend received {} messages in all",
        stats.frontend.received.messages
    );
    proxy.terminate()?;
    println!("proxy terminated");
    Ok(())
}
