//! The hot path allocates nothing on the Rust side: sending and receiving a reused
//! [`Message`] (`zmq_msg_send` / `zmq_msg_recv`) and sending from / receiving into a caller
//! buffer (`zmq_send` / `zmq_recv`) make no call into Rust's global allocator.
//!
//! A counting global allocator counts the allocations (`alloc`, `alloc_zeroed`, `realloc`)
//! that each thread makes while its counter is armed. The test threads arm it after the
//! sockets are set up and one warm-up round trip is done, run 10,000 round trips, and expect
//! zero. libzmq's own C++ allocations (the buffers of messages over 33 bytes, for one) go to
//! `malloc` directly and are not Rust's to count: they are the same calls the C perf tools
//! make. This is a correctness property, not a timing: nothing here measures speed.
//! Binding and connecting to a short endpoint allocate nothing either (the endpoint is
//! copied to the stack to be NUL-terminated).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use zmq4::{Context, Message, RecvFlags, SendFlags, Socket, SocketType};

/// Round trips per case.
const ROUND_TRIPS: usize = 10_000;
/// Message sizes: a very small message (kept inside the `zmq_msg_t`), one just over that
/// limit, and two that libzmq allocates.
const SIZES: [usize; 4] = [1, 64, 1024, 65536];

struct Counting;

thread_local! {
    /// `Some(n)`: this thread counts, `n` allocations so far. Const-initialised without a
    /// destructor, so reading it never allocates.
    static COUNT: Cell<Option<usize>> = const { Cell::new(None) };
}

fn note_allocation() {
    // `try_with`: the slot may already be gone while the thread exits.
    let _ = COUNT.try_with(|c| {
        if let Some(n) = c.get() {
            c.set(Some(n + 1));
        }
    });
}

// SAFETY: every method forwards to the system allocator with the caller's arguments; the
// counting touches only a thread-local Cell and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        // SAFETY: the caller's contract for `alloc` is passed through unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note_allocation();
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_allocation();
        // SAFETY: `ptr` and `layout` come from this allocator, i.e. from `System`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` and `layout` come from this allocator, i.e. from `System`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` with this thread's counter armed and returns how many allocations it made.
fn count_allocations(f: impl FnOnce()) -> usize {
    COUNT.with(|c| c.set(Some(0)));
    f();
    COUNT.with(|c| c.replace(None)).unwrap_or(0)
}

/// A REQ socket bound and a REP socket connected to it, on `transport` ("inproc" or "tcp").
fn req_rep(ctx: &Context, transport: &str, name: &str) -> (Socket, Socket) {
    let req = ctx.socket(SocketType::Req).unwrap();
    req.set_linger(0).unwrap();
    let rep = ctx.socket(SocketType::Rep).unwrap();
    rep.set_linger(0).unwrap();
    let endpoint = match transport {
        "inproc" => {
            let ep = format!("inproc://zero-alloc-{name}-{}", std::process::id());
            req.bind(&ep).unwrap();
            ep
        }
        _ => {
            req.bind("tcp://127.0.0.1:*").unwrap();
            req.last_endpoint().unwrap()
        }
    };
    rep.connect(&endpoint).unwrap();
    (req, rep)
}

/// One round trip of a reused message: REQ sends, REP receives it into its own reused
/// message and sends it back, REQ receives into the message it sent from.
fn message_round_trip(req: &Socket, rep: &Socket, out: &mut Message, back: &mut Message) {
    req.send_msg(out, SendFlags::empty()).unwrap();
    rep.recv_msg(back, RecvFlags::empty()).unwrap();
    rep.send_msg(back, SendFlags::empty()).unwrap();
    req.recv_msg(out, RecvFlags::empty()).unwrap();
}

/// Reused messages, both ends on one thread, `round_trips` times after a warm-up.
fn reused_messages(transport: &str, size: usize, round_trips: usize) -> usize {
    let ctx = Context::new();
    let (req, rep) = req_rep(&ctx, transport, &format!("msg-{size}"));
    let mut out = Message::with_size(size).unwrap();
    let mut back = Message::new();
    message_round_trip(&req, &rep, &mut out, &mut back);
    assert_eq!(out.len(), size);

    let allocations = count_allocations(|| {
        for _ in 0..round_trips {
            message_round_trip(&req, &rep, &mut out, &mut back);
            if out.len() != size {
                panic!("wrong size {} (expected {size})", out.len());
            }
        }
    });
    assert!(out.iter().all(|&b| b == 0), "the payload came back changed");
    allocations
}

/// Caller buffers (`zmq_send` from a slice, `zmq_recv` into a slice), both ends on one
/// thread, `round_trips` times after a warm-up.
fn caller_buffers(transport: &str, size: usize, round_trips: usize) -> usize {
    let ctx = Context::new();
    let (req, rep) = req_rep(&ctx, transport, &format!("buf-{size}"));
    let out = vec![7u8; size];
    let mut echo = vec![0u8; size];
    let mut back = vec![0u8; size];
    let round_trip = |echo: &mut [u8], back: &mut [u8]| {
        req.send(&out[..], SendFlags::empty()).unwrap();
        let got = rep.recv_into(echo, RecvFlags::empty()).unwrap();
        rep.send(&echo[..got.copied], SendFlags::empty()).unwrap();
        let got = req.recv_into(back, RecvFlags::empty()).unwrap();
        if got.size != size || got.truncated() {
            panic!("wrong size {got:?} (expected {size})");
        }
    };
    round_trip(&mut echo, &mut back);

    let allocations = count_allocations(|| {
        for _ in 0..round_trips {
            round_trip(&mut echo, &mut back);
        }
    });
    assert_eq!(back, out, "the payload came back changed");
    allocations
}

#[test]
fn counter_counts() {
    // The test would prove nothing if the counter missed allocations.
    let n = count_allocations(|| {
        let v: Vec<u8> = Vec::with_capacity(16);
        std::hint::black_box(v);
        let b = Box::new(1u64);
        std::hint::black_box(b);
    });
    assert_eq!(n, 2);
    // And a Message that libzmq allocates is not a Rust allocation.
    let n = count_allocations(|| {
        std::hint::black_box(Message::with_size(1024).unwrap());
    });
    assert_eq!(n, 0);
}

#[test]
fn reused_message_round_trips_over_inproc_allocate_nothing() {
    for size in SIZES {
        let n = reused_messages("inproc", size, ROUND_TRIPS);
        assert_eq!(
            n, 0,
            "{n} allocations in {ROUND_TRIPS} round trips of {size} B"
        );
    }
}

#[test]
fn caller_buffer_round_trips_over_inproc_allocate_nothing() {
    for size in SIZES {
        let n = caller_buffers("inproc", size, ROUND_TRIPS);
        assert_eq!(
            n, 0,
            "{n} allocations in {ROUND_TRIPS} round trips of {size} B"
        );
    }
}

#[test]
fn reused_message_round_trips_over_tcp_allocate_nothing() {
    // libzmq's I/O thread does the tcp work in C++; the Rust side is the same calls.
    for size in [64, 65536] {
        let n = reused_messages("tcp", size, 1_000);
        assert_eq!(
            n, 0,
            "{n} allocations in 1000 round trips of {size} B over tcp"
        );
    }
}

#[test]
fn two_threads_like_inproc_lat_allocate_nothing() {
    // The shape of examples/inproc_lat: REP echoes on a worker thread, each thread counts
    // its own allocations.
    let ctx = Context::new();
    let (req, rep) = req_rep(&ctx, "inproc", "threads");
    let worker = std::thread::spawn(move || {
        let mut msg = Message::new();
        // The warm-up round trip, then the counted ones.
        rep.recv_msg(&mut msg, RecvFlags::empty()).unwrap();
        rep.send_msg(&mut msg, SendFlags::empty()).unwrap();
        count_allocations(|| {
            for _ in 0..ROUND_TRIPS {
                rep.recv_msg(&mut msg, RecvFlags::empty()).unwrap();
                rep.send_msg(&mut msg, SendFlags::empty()).unwrap();
            }
        })
    });
    let mut msg = Message::with_size(64).unwrap();
    req.send_msg(&mut msg, SendFlags::empty()).unwrap();
    req.recv_msg(&mut msg, RecvFlags::empty()).unwrap();
    let here = count_allocations(|| {
        for _ in 0..ROUND_TRIPS {
            req.send_msg(&mut msg, SendFlags::empty()).unwrap();
            req.recv_msg(&mut msg, RecvFlags::empty()).unwrap();
        }
    });
    let there = worker.join().unwrap();
    assert_eq!(msg.len(), 64);
    assert_eq!(
        (here, there),
        (0, 0),
        "allocations: (REQ thread, REP thread)"
    );
}

#[test]
fn bind_connect_and_unbind_of_short_endpoints_allocate_nothing() {
    // The endpoint is copied on the stack (no CString) when short, as every endpoint here.
    // An ipc endpoint: inproc binds and connects record the endpoint for the guards of
    // `zmq4::aborts` (pending inproc connections), which allocates.
    if !zmq4::has(zmq4::Capability::Ipc) {
        // MinGW's libzmq has no ipc:// (see ci/cross-windows.exclude).
        eprintln!("SKIPPED: no ipc:// in this libzmq build");
        return;
    }
    let ctx = Context::new();
    let push = ctx.socket(SocketType::Push).unwrap();
    push.set_linger(0).unwrap();
    let pull = ctx.socket(SocketType::Pull).unwrap();
    let ep = format!("ipc:///tmp/zmq4-zero-alloc-ep-{}", std::process::id());
    let n = count_allocations(|| {
        pull.bind(&ep).unwrap();
        push.connect(&ep).unwrap();
        push.disconnect(&ep).unwrap();
        pull.unbind(&ep).unwrap();
    });
    assert_eq!(
        n, 0,
        "{n} Rust allocations in bind/connect/disconnect/unbind"
    );
}

#[test]
fn endpoints_at_the_edge_of_the_stack_copy_reach_libzmq_intact() {
    // 127 bytes is the longest that is copied on the stack, 128 the shortest allocated.
    let ctx = Context::new();
    for len in [126, 127, 128, 129, 300] {
        let prefix = "inproc://";
        let ep = format!("{prefix}{}", "e".repeat(len - prefix.len()));
        assert_eq!(ep.len(), len);
        let pull = ctx.socket(SocketType::Pull).unwrap();
        pull.bind(&ep).unwrap();
        assert_eq!(pull.last_endpoint().unwrap(), ep, "length {len}");
        let push = ctx.socket(SocketType::Push).unwrap();
        push.set_linger(0).unwrap();
        push.connect(&ep).unwrap();
        push.send(&b"x"[..], SendFlags::empty()).unwrap();
        pull.set_rcvtimeo(5000).unwrap();
        let mut buf = [0u8; 4];
        let got = pull.recv_into(&mut buf, RecvFlags::empty()).unwrap();
        assert_eq!(&buf[..got.copied], b"x", "length {len}");
        // A name one byte shorter is another endpoint: nothing was cut or padded.
        assert!(push.disconnect(&ep[..len - 1]).is_err(), "length {len}");
    }
}

#[cfg(feature = "draft")]
#[test]
fn radio_groups_and_metadata_lookups_allocate_nothing() {
    // A RADIO sender sets the group of every message: that, and reading a property back,
    // copy the name to the stack instead of allocating a CString.
    let ctx = Context::new();
    let dish = ctx.socket(SocketType::Dish).unwrap();
    // Thread-safe types refuse inproc (zmq4::aborts).
    dish.bind("tcp://127.0.0.1:*").unwrap();
    let ep = dish.last_endpoint().unwrap();
    dish.join("weather").unwrap();
    let radio = ctx.socket(SocketType::Radio).unwrap();
    radio.set_linger(0).unwrap();
    radio.connect(&ep).unwrap();
    let mut msg = Message::new();
    let mut got = Message::new();
    // Until the join has reached the radio (bounded: 500 tries, 10 ms apart at most).
    let mut arrived = false;
    for _ in 0..500 {
        let mut probe = Message::from(&b"probe"[..]);
        probe.set_group("weather").unwrap();
        radio.send_msg(&mut probe, SendFlags::empty()).unwrap();
        dish.set_rcvtimeo(10).unwrap();
        if dish.recv_msg(&mut got, RecvFlags::empty()).is_ok() {
            arrived = true;
            break;
        }
    }
    assert!(arrived, "the DISH never received a probe");
    dish.set_rcvtimeo(5000).unwrap();
    // Drain probes still in flight, then count.
    while dish.recv_msg(&mut got, RecvFlags::DONTWAIT).is_ok() {}
    let n = count_allocations(|| {
        for _ in 0..1_000 {
            msg.set_group("weather").unwrap();
            radio.send_msg(&mut msg, SendFlags::empty()).unwrap();
            dish.recv_msg(&mut got, RecvFlags::empty()).unwrap();
            if got.group() != Some("weather") {
                panic!("wrong group {:?}", got.group());
            }
            // A property lookup (over tcp the message carries the peer's metadata).
            std::hint::black_box(got.gets("Socket-Type"));
        }
    });
    assert_eq!(
        n, 0,
        "{n} Rust allocations in 1,000 grouped sends and receives"
    );
}
