//! A PULL → PUB forwarder driven by a [`Poller`]: producers PUSH lines to the server, which
//! publishes each to every subscriber (the three-script example of the QuickJS zmq module,
//! as one program with a thread per role).
//!
//! The server's publishing side is an XPUB, so it sees each subscription arrive and only
//! starts forwarding once a subscriber is listening: nothing is published into the void
//! (the "slow joiner" problem of plain PUB).
//!
//! ```sh
//! cargo run --example forwarder -- [messages]      # default 5
//! ```

use std::thread;
use zmq4::poll::{PollEvents, Poller};
use zmq4::{Context, RecvFlags, SendFlags, Socket, SocketType};

/// Upper bound of every wait.
const TIMEOUT_MS: i32 = 5000;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Source {
    Producers,
    Subscriptions,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let count: usize = match std::env::args().nth(1) {
        Some(arg) => arg.parse().map_err(|_| format!("not a count: {arg:?}"))?,
        None => 5,
    };
    let ctx = Context::new();

    let producers = ctx.socket(SocketType::Pull)?;
    producers.bind("tcp://127.0.0.1:*")?;
    let subscribers = ctx.socket(SocketType::XPub)?;
    subscribers.bind("tcp://127.0.0.1:*")?;
    let (in_ep, out_ep) = (producers.last_endpoint()?, subscribers.last_endpoint()?);
    println!("server: producers push to {in_ep}, subscribers connect to {out_ep}");

    let subscriber = {
        let ctx = ctx.clone();
        thread::spawn(move || -> zmq4::Result<Vec<String>> {
            let sub = ctx.socket(SocketType::Sub)?;
            sub.set_rcvtimeo(TIMEOUT_MS)?;
            sub.set_subscribe(b"")?;
            sub.connect(&out_ep)?;
            (0..count)
                .map(|_| Ok(String::from_utf8_lossy(&sub.recv(RecvFlags::empty())?).into_owned()))
                .collect()
        })
    };
    let producer = {
        let ctx = ctx.clone();
        thread::spawn(move || -> zmq4::Result<()> {
            let push = ctx.socket(SocketType::Push)?;
            push.set_sndtimeo(TIMEOUT_MS)?;
            push.connect(&in_ep)?;
            for i in 1..=count {
                push.send(format!("line {i}"), SendFlags::empty())?;
            }
            Ok(())
        })
    };

    forward(&producers, &subscribers, count)?;
    producer.join().expect("producer thread")?;
    let got = subscriber.join().expect("subscriber thread")?;
    println!("subscriber got {} messages: {got:?}", got.len());
    Ok(())
}

/// The server loop: waits on both sockets, forwards `count` messages, then returns.
fn forward(producers: &Socket, subscribers: &Socket, count: usize) -> zmq4::Result<()> {
    let mut poller = Poller::new()?;
    poller.add(subscribers, PollEvents::POLLIN, Source::Subscriptions)?;
    // Producers are polled only once someone listens; their messages wait in the queue.
    let mut producers_key = None;
    let mut forwarded = 0;
    while forwarded < count {
        let Some(event) = poller.wait(TIMEOUT_MS as i64)? else {
            return Err(zmq4::Error::TimedOut);
        };
        match *event.data() {
            Source::Subscriptions => {
                // XPUB delivers subscriptions as messages: 1 = subscribe, 0 = unsubscribe.
                let sub = subscribers.recv(RecvFlags::empty())?;
                println!("server: subscription {:?}", &sub[..]);
                if producers_key.is_none() && sub.first() == Some(&1) {
                    producers_key =
                        Some(poller.add(producers, PollEvents::POLLIN, Source::Producers)?);
                }
            }
            Source::Producers => {
                let mut msg = producers.recv(RecvFlags::empty())?;
                println!("server: forwarded {:?}", String::from_utf8_lossy(&msg));
                subscribers.send_msg(&mut msg, SendFlags::empty())?;
                forwarded += 1;
            }
        }
    }
    Ok(())
}
