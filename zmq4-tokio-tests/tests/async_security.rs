//! Security with async sockets: the threaded ZAP [`Authenticator`] serves async CURVE and
//! PLAIN servers unchanged (ZAP runs inside libzmq over inproc, whatever drives the socket),
//! and refusals show up in the async monitor stream. Bounded by timeouts; no sleeps.
#![cfg(all(feature = "tokio", feature = "curve", unix))]

mod async_support;

use async_support::*;
use futures_util::StreamExt;
use zmq4::auth::Authenticator;
use zmq4::monitor::{Event, MonitorEvents};
use zmq4::tokio::{AsyncSocket, MonitorStream};
use zmq4::{Context, CurveKeyPair, Error, SocketType};

/// The next handshake outcome in `events` (success or any failure).
async fn next_handshake(events: &mut MonitorStream) -> Event {
    loop {
        let ev = within(STEP, "a handshake event", events.next())
            .await
            .expect("monitor stream ended")
            .expect("monitor event");
        match ev.event {
            Event::HandshakeSucceeded
            | Event::HandshakeFailedAuth { .. }
            | Event::HandshakeFailedProtocol { .. }
            | Event::HandshakeFailedNoDetail { .. } => return ev.event,
            _ => {}
        }
    }
}

fn curve_client(
    ctx: &Context,
    server: &CurveKeyPair,
    keys: &CurveKeyPair,
    ep: &str,
) -> AsyncSocket {
    let client = ctx.socket(SocketType::Dealer).unwrap();
    client.set_linger(0).unwrap();
    client.set_curve_serverkey(server.public).unwrap();
    client.set_curve_publickey(keys.public).unwrap();
    client.set_curve_secretkey(keys.secret).unwrap();
    client.connect(ep).unwrap();
    AsyncSocket::new(client).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn curve_with_zap_allows_one_key_and_refuses_another() {
    within(LIMIT, "test", async {
        let ctx = Context::new();
        let auth = Authenticator::start(&ctx).unwrap();
        let server_keys = CurveKeyPair::generate().unwrap();
        let allowed = CurveKeyPair::generate().unwrap();
        let stranger = CurveKeyPair::generate().unwrap();
        auth.configure_curve_keys("*", [allowed.public]);

        let server = ctx.socket(SocketType::Router).unwrap();
        server.set_linger(0).unwrap();
        server.set_curve_server(true).unwrap();
        server.set_curve_secretkey(server_keys.secret).unwrap();
        let server = AsyncSocket::new(server).unwrap();
        let mut events = server
            .monitor(
                MonitorEvents::HANDSHAKE_SUCCEEDED
                    | MonitorEvents::HANDSHAKE_FAILED_AUTH
                    | MonitorEvents::HANDSHAKE_FAILED_PROTOCOL
                    | MonitorEvents::HANDSHAKE_FAILED_NO_DETAIL,
            )
            .unwrap();
        server.bind("tcp://127.0.0.1:*").unwrap();
        let ep = server.with_socket(|s| s.last_endpoint()).unwrap();

        // The allowed key: a round trip, with the authenticator's user id on the request.
        let client = curve_client(&ctx, &server_keys, &allowed, &ep);
        assert_eq!(next_handshake(&mut events).await, Event::HandshakeSucceeded);
        within(STEP, "send", client.send("hello")).await.unwrap();
        let request = within(STEP, "request", server.recv_multipart())
            .await
            .unwrap();
        assert_eq!(&request[1][..], b"hello");
        let user_id = allowed.public.to_z85();
        assert_eq!(request[1].gets("User-Id"), Some(user_id.as_str()));
        let peer = request[0].to_vec();
        within(
            STEP,
            "reply",
            server.send_multipart([&peer[..], &b"welcome"[..]]),
        )
        .await
        .unwrap();
        let reply = within(STEP, "reply", client.recv()).await.unwrap();
        assert_eq!(&reply[..], b"welcome");

        // Another key: refused by ZAP (status 400), and nothing of it reaches the server.
        let refused = curve_client(&ctx, &server_keys, &stranger, &ep);
        refused.send("let me in").await.ok(); // queued until a handshake that never succeeds
        assert_eq!(
            next_handshake(&mut events).await,
            Event::HandshakeFailedAuth { status_code: 400 }
        );
        assert_eq!(
            server.with_socket(|s| s.recv(zmq4::RecvFlags::DONTWAIT).map(drop)),
            Err(Error::WouldBlock)
        );

        auth.stop();
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_with_zap_checks_the_password() {
    within(LIMIT, "test", async {
        let ctx = Context::new();
        let auth = Authenticator::start(&ctx).unwrap();
        auth.configure_plain("*", [("admin", "secret")]);

        let server = ctx.socket(SocketType::Pull).unwrap();
        server.set_linger(0).unwrap();
        server.set_plain_server(true).unwrap();
        let server = AsyncSocket::new(server).unwrap();
        let mut events = server
            .monitor(MonitorEvents::HANDSHAKE_SUCCEEDED | MonitorEvents::HANDSHAKE_FAILED_AUTH)
            .unwrap();
        server.bind("tcp://127.0.0.1:*").unwrap();
        let ep = server.with_socket(|s| s.last_endpoint()).unwrap();

        for (password, accepted) in [("wrong", false), ("secret", true)] {
            let client = ctx.socket(SocketType::Push).unwrap();
            client.set_linger(0).unwrap();
            client.set_plain_username("admin").unwrap();
            client.set_plain_password(password).unwrap();
            client.connect(&ep).unwrap();
            let client = AsyncSocket::new(client).unwrap();
            let outcome = next_handshake(&mut events).await;
            if accepted {
                assert_eq!(outcome, Event::HandshakeSucceeded);
                within(STEP, "send", client.send(password)).await.unwrap();
                let msg = within(STEP, "recv", server.recv()).await.unwrap();
                assert_eq!(&msg[..], password.as_bytes());
                assert_eq!(msg.gets("User-Id"), Some("admin"));
            } else {
                assert_eq!(outcome, Event::HandshakeFailedAuth { status_code: 400 });
            }
        }
        auth.stop();
    })
    .await;
}
