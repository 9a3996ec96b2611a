//! An HTTP server on a STREAM socket (after the example of the `zmq_socket` man page): each
//! request arrives as a routing-id frame and a data frame, and the reply is the routing id
//! and the response. A routing id with an empty frame marks a connection opened or closed.
//!
//! The man page's server closes each connection right after its response (the routing id
//! and an empty frame). That can lose the response: libzmq drops frames still queued for a
//! connection it is told to close. This server sends a `Content-Length` and lets the client
//! close instead.
//!
//! With no argument it serves `requests` (default 3) requests from a client thread that
//! speaks plain HTTP over a `std::net::TcpStream`, prints what it got, and exits. With
//! `--serve ADDR` (e.g. `--serve 127.0.0.1:8080`) it serves forever, for `curl`.
//!
//! ```sh
//! cargo run --example http_stream -- [requests]
//! cargo run --example http_stream -- --serve 127.0.0.1:8080
//! ```

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::Duration;
use zmq4::{Context, RecvFlags, SendFlags, Socket, SocketType};

const RESPONSE: &str =
    "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ctx = Context::new();
    let server = ctx.socket(SocketType::Stream)?;
    server.set_linger(1000)?;
    if let [flag, addr] = &args[..] {
        if flag == "--serve" {
            server.bind(&format!("tcp://{addr}"))?;
            println!("serving on http://{addr}/");
            serve(&server, None)?;
        }
    }
    let requests: usize = match args.first() {
        Some(arg) => arg.parse().map_err(|_| format!("not a count: {arg:?}"))?,
        None => 3,
    };
    server.set_rcvtimeo(5000)?;
    server.bind("tcp://127.0.0.1:*")?;
    let addr = server
        .last_endpoint()?
        .trim_start_matches("tcp://")
        .to_string();

    let client = thread::spawn(move || -> std::io::Result<Vec<String>> {
        (0..requests)
            .map(|i| {
                let mut conn = TcpStream::connect(&addr)?;
                conn.set_read_timeout(Some(Duration::from_secs(5)))?;
                write!(conn, "GET /{i} HTTP/1.0\r\nHost: {addr}\r\n\r\n")?;
                read_response(&mut conn)
            })
            .collect()
    });
    serve(&server, Some(requests))?;
    for reply in client.join().expect("client thread")? {
        let status = reply.lines().next().unwrap_or("");
        let body = reply.split("\r\n\r\n").nth(1).unwrap_or("");
        println!("client: {status:?}, body {body:?}");
        assert_eq!(reply, RESPONSE);
    }
    Ok(())
}

/// Answers requests until `limit` have been answered (`None`: forever). TCP may split a
/// request over several frames, so each connection's bytes are gathered until the blank
/// line that ends the headers.
fn serve(server: &Socket, limit: Option<usize>) -> zmq4::Result<()> {
    let mut pending: HashMap<Vec<u8>, Vec<u8>> = HashMap::new();
    let mut answered = 0;
    while limit.is_none_or(|n| answered < n) {
        let id = server.recv(RecvFlags::empty())?;
        let data = server.recv(RecvFlags::empty())?;
        if data.is_empty() {
            // A connection opened or closed.
            pending.remove(&id[..]);
            continue;
        }
        let request = pending.entry(id.to_vec()).or_default();
        request.extend_from_slice(&data);
        if !request.windows(4).any(|w| w == b"\r\n\r\n") {
            continue;
        }
        let request = pending.remove(&id[..]).unwrap_or_default();
        let text = String::from_utf8_lossy(&request);
        let first_line = text.lines().next().unwrap_or("");
        println!("server: {first_line:?} from peer {:02x?}", &id[..]);
        server.send(&id[..], SendFlags::SNDMORE)?;
        // STREAM ignores SNDMORE on data frames.
        server.send(RESPONSE, SendFlags::empty())?;
        answered += 1;
    }
    Ok(())
}

/// Reads one response: the headers, then as many body bytes as `Content-Length` says.
fn read_response(conn: &mut TcpStream) -> std::io::Result<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 512];
    loop {
        let text = String::from_utf8_lossy(&buf);
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length: "))
                .and_then(|n| n.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                return Ok(text.into_owned());
            }
        }
        let n = conn.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}
