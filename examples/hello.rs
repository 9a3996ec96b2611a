//! The README demo: a CURVE-secured REQ/REP round trip over tcp on 127.0.0.1, with a ZAP
//! authenticator that knows exactly one client key.
//!
//! It prints the libzmq version and capabilities, the mechanism in use, the User-Id the
//! authenticator gave the client, what happened to a second client whose key is unknown,
//! and the monitor events the server saw. It finishes on its own.
//!
//! ```sh
//! cargo run --example hello
//! ```

use std::time::{Duration, Instant};
use zmq4::auth::Authenticator;
use zmq4::monitor::{Event, Monitor, MonitorEvents};
use zmq4::security::CurveKeyPair;
use zmq4::{Capability, Context, RecvFlags, SendFlags, Socket, SocketType};

/// Upper bound of every wait in the demo.
const TIMEOUT_MS: i32 = 5000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let (major, minor, patch) = zmq4::version();
    println!("libzmq {major}.{minor}.{patch}");
    let caps: Vec<&str> = Capability::ALL
        .iter()
        .filter(|c| zmq4::has(**c))
        .map(|c| c.name())
        .collect();
    println!("capabilities: {}", caps.join(" "));
    if !zmq4::has(Capability::Curve) {
        println!("built without the `curve` feature: nothing more to show");
        return Ok(());
    }

    let ctx = Context::new();
    let server_keys = CurveKeyPair::generate()?;
    let client_keys = CurveKeyPair::generate()?;

    // The authenticator answers libzmq's ZAP requests for every socket of `ctx`.
    let auth = Authenticator::start(&ctx)?;
    auth.allow(["127.0.0.1"]);
    auth.configure_curve_keys("*", [client_keys.public]);

    let server = ctx.socket(SocketType::Rep)?;
    server.set_linger(0)?;
    server.set_rcvtimeo(TIMEOUT_MS)?;
    server.set_curve_server(true)?;
    server.set_curve_secretkey(server_keys.secret)?;
    let monitor = server.monitor_events(MonitorEvents::ALL_V1)?;
    monitor.socket().set_rcvtimeo(TIMEOUT_MS)?;
    server.bind("tcp://127.0.0.1:*")?;
    let endpoint = server.last_endpoint()?;
    println!("server: {endpoint}, mechanism {:?}", server.mechanism()?);

    // The client the authenticator knows.
    let client = curve_client(&ctx, &server_keys, &client_keys, &endpoint)?;
    client.send("hello", SendFlags::empty())?;
    let request = server.recv(RecvFlags::empty())?;
    println!(
        "server got {:?} from User-Id {}",
        String::from_utf8_lossy(&request),
        request.gets("User-Id").unwrap_or("?")
    );
    assert_eq!(
        request.gets("User-Id"),
        Some(client_keys.public.to_z85().as_str())
    );
    server.send("world", SendFlags::empty())?;
    let reply = client.recv_bytes(RecvFlags::empty())?;
    println!("client got {:?}", String::from_utf8_lossy(&reply));

    // A client with a key the authenticator does not know is refused during the handshake.
    let stranger_keys = CurveKeyPair::generate()?;
    let stranger = curve_client(&ctx, &server_keys, &stranger_keys, &endpoint)?;
    stranger.send("let me in", SendFlags::DONTWAIT)?;
    let mut seen = Vec::new();
    let refused = wait_for(&monitor, &mut seen, |e| {
        matches!(e, Event::HandshakeFailedAuth { .. })
    })?;
    println!("unknown client: {refused:?}");

    println!("server monitor events:");
    for event in &seen {
        println!("  {event:?}");
    }
    auth.stop();
    println!("done in {} ms", started.elapsed().as_millis());
    Ok(())
}

/// A REQ socket that connects to `endpoint` with CURVE, as `keys`.
fn curve_client(
    ctx: &Context,
    server: &CurveKeyPair,
    keys: &CurveKeyPair,
    endpoint: &str,
) -> zmq4::Result<Socket> {
    let client = ctx.socket(SocketType::Req)?;
    client.set_linger(0)?;
    client.set_rcvtimeo(TIMEOUT_MS)?;
    client.set_curve_serverkey(server.public)?;
    client.set_curve_publickey(keys.public)?;
    client.set_curve_secretkey(keys.secret)?;
    client.connect(endpoint)?;
    Ok(client)
}

/// Collects monitor events into `seen` until one matches `pred`, within [`TIMEOUT_MS`].
fn wait_for(
    monitor: &Monitor,
    seen: &mut Vec<Event>,
    pred: impl Fn(&Event) -> bool,
) -> zmq4::Result<Event> {
    let deadline = Instant::now() + Duration::from_millis(TIMEOUT_MS as u64);
    while Instant::now() < deadline {
        let event = monitor.recv()?.event;
        seen.push(event.clone());
        if pred(&event) {
            return Ok(event);
        }
    }
    Err(zmq4::Error::TimedOut)
}
