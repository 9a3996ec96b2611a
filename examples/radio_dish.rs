//! RADIO/DISH (draft): group-based publish/subscribe over UDP. The DISH joins one group; the
//! RADIO sends to two, and only the joined group's messages arrive.
//!
//! UDP may drop datagrams, so the RADIO first probes until the DISH hears it (bounded), then
//! sends for real.
//!
//! ```sh
//! cargo run --example radio_dish
//! ```

use std::time::{Duration, Instant};
use zmq4::{Context, Message, RecvFlags, SendFlags, SocketType};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ctx = Context::new();
    // A port that was free a moment ago.
    let port = std::net::UdpSocket::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let endpoint = format!("udp://127.0.0.1:{port}");

    let dish = ctx.shared_socket(SocketType::Dish)?;
    dish.set_rcvtimeo(100)?;
    dish.bind(&endpoint)?;
    dish.join("weather")?;
    let radio = ctx.shared_socket(SocketType::Radio)?;
    radio.connect(&endpoint)?;
    println!("radio → {endpoint} → dish (joined \"weather\")");

    // Probe until the path works: the DISH binds in libzmq's I/O thread, asynchronously.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if Instant::now() > deadline {
            return Err("the DISH heard nothing within 5 s".into());
        }
        radio.send_msg(&mut in_group("weather", "probe")?, SendFlags::empty())?;
        match dish.recv(RecvFlags::empty()) {
            Ok(_) => break,
            Err(zmq4::Error::TimedOut) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    // Drain late probes.
    while dish.recv(RecvFlags::DONTWAIT).is_ok() {}

    for (group, text) in [
        ("sports", "1-0"),
        ("weather", "rain"),
        ("sports", "2-0"),
        ("weather", "sun"),
    ] {
        radio.send_msg(&mut in_group(group, text)?, SendFlags::empty())?;
    }
    dish.set_rcvtimeo(1000)?;
    let mut got = Vec::new();
    while got.len() < 2 {
        let msg = dish.recv(RecvFlags::empty())?;
        got.push(format!(
            "{}: {}",
            msg.group().unwrap_or("?"),
            String::from_utf8_lossy(&msg)
        ));
    }
    println!("dish got {got:?}");
    Ok(())
}

/// A message addressed to a group (RADIO sends each message to its group).
fn in_group(group: &str, text: &str) -> zmq4::Result<Message> {
    let mut msg = Message::from(text);
    msg.set_group(group)?;
    Ok(msg)
}
