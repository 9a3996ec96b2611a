//! Async zmq4 on tokio: a task farm (zguide's ventilator / workers / sink) over tcp, with
//! the sink's connection events read as an async stream, and a CLIENT/SERVER exchange on
//! thread-safe draft sockets.
//!
//! Run with `cargo run -p zmq4-tokio-tests --example async_pipeline`.

use futures_util::StreamExt;
use std::time::{Duration, Instant};
use zmq4::monitor::{Event, MonitorEvents};
use zmq4::tokio::AsyncSocket;
use zmq4::{Context, Message, SocketType};

const WORKERS: usize = 4;
const JOBS: u32 = 10_000;

fn socket(ctx: &Context, ty: SocketType) -> zmq4::Result<AsyncSocket> {
    let s = ctx.socket(ty)?;
    s.set_linger(1000)?;
    AsyncSocket::new(s)
}

async fn task_farm(ctx: &Context) -> zmq4::Result<()> {
    let ventilator = socket(ctx, SocketType::Push)?;
    ventilator.bind("tcp://127.0.0.1:*")?;
    let jobs_ep = ventilator.with_socket(|s| s.last_endpoint())?;

    let sink = socket(ctx, SocketType::Pull)?;
    let mut events = sink.monitor(MonitorEvents::ACCEPTED)?;
    sink.bind("tcp://127.0.0.1:*")?;
    let results_ep = sink.with_socket(|s| s.last_endpoint())?;

    // Stop signal for the workers. Not a "stop" job through the ventilator: PUSH hands each
    // message to the next peer with room, so with a busy worker one peer can get two stops
    // and another none.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut workers = Vec::new();
    for id in 0..WORKERS {
        let jobs = socket(ctx, SocketType::Pull)?;
        jobs.connect(&jobs_ep)?;
        let results = socket(ctx, SocketType::Push)?;
        results.connect(&results_ep)?;
        let mut stop = stop_rx.clone();
        workers.push(tokio::spawn(async move {
            let mut done = 0u32;
            // Until told to stop: square each number, send it on with the worker's id. A
            // receive that loses the race to the stop signal received nothing (cancel-safe).
            loop {
                let job = tokio::select! {
                    job = jobs.recv() => job?,
                    _ = stop.changed() => return Ok::<_, zmq4::Error>(done),
                };
                let n = u64::from_le_bytes(job[..].try_into().unwrap_or_default());
                results
                    .send_multipart([
                        Message::from(vec![id as u8]),
                        Message::from((n * n).to_le_bytes().to_vec()),
                    ])
                    .await?;
                done += 1;
            }
        }));
    }

    // Every worker connected to the sink: the monitor says so, asynchronously.
    for _ in 0..WORKERS {
        match events.next().await {
            Some(Ok(ev)) if matches!(ev.event, Event::Accepted { .. }) => {}
            other => panic!("unexpected monitor item {other:?}"),
        }
    }

    let started = Instant::now();
    let producer = tokio::spawn(async move {
        for n in 0..JOBS as u64 {
            ventilator.send(n.to_le_bytes().to_vec()).await?;
        }
        Ok::<_, zmq4::Error>(ventilator)
    });

    let mut total = 0u64;
    let mut per_worker = [0u32; WORKERS];
    for _ in 0..JOBS {
        let parts = sink.recv_multipart().await?;
        per_worker[parts[0][0] as usize] += 1;
        total += u64::from_le_bytes(parts[1][..].try_into().unwrap_or_default());
    }
    let elapsed = started.elapsed();
    let expected: u64 = (0..JOBS as u64).map(|n| n * n).sum();
    assert_eq!(total, expected);
    let _ventilator = producer.await.expect("producer task")?;
    // Every result is in, so no job is left anywhere: let the workers go.
    stop_tx.send(true).expect("workers are listening");
    for (id, w) in workers.into_iter().enumerate() {
        assert_eq!(w.await.expect("worker task")?, per_worker[id]);
    }
    println!(
        "task farm: {JOBS} jobs over {WORKERS} workers in {elapsed:.2?} (per worker: {per_worker:?})"
    );
    Ok(())
}

#[cfg(feature = "draft")]
async fn client_server(ctx: &Context) -> zmq4::Result<()> {
    let server = AsyncSocket::new(ctx.shared_socket(SocketType::Server)?)?;
    // Thread-safe types refuse inproc (zmq4::aborts): a kernel-given tcp port.
    server.bind("tcp://127.0.0.1:*")?;
    let endpoint = server.last_endpoint()?;
    let serve = {
        let server = server.clone();
        tokio::spawn(async move {
            for _ in 0..3 {
                let request = server.recv().await?;
                let mut reply = Message::from(request.to_ascii_uppercase());
                reply.set_routing_id(request.routing_id().unwrap_or_default())?;
                server.send(reply).await?;
            }
            Ok::<_, zmq4::Error>(())
        })
    };
    let client = AsyncSocket::new(ctx.shared_socket(SocketType::Client)?)?;
    client.connect(&endpoint)?;
    for word in ["hello", "async", "zmq"] {
        client.send(word).await?;
        let reply = client.recv().await?;
        println!(
            "client/server: {word} -> {}",
            String::from_utf8_lossy(&reply)
        );
    }
    serve.await.expect("server task")
}

#[tokio::main]
async fn main() -> zmq4::Result<()> {
    let ctx = Context::new();
    tokio::time::timeout(Duration::from_secs(60), async {
        task_farm(&ctx).await?;
        #[cfg(feature = "draft")]
        client_server(&ctx).await?;
        Ok::<_, zmq4::Error>(())
    })
    .await
    .expect("the example took over a minute")?;
    println!("ok");
    Ok(())
}
