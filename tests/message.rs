//! `Message` through real sockets: zero-copy in both directions, the free callback running
//! exactly once (observed by a counting global allocator in this test binary), copy-on-write
//! after `clone`, static data, and metadata of received messages.

mod common;

use common::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use zmq4::{Context, Message, RecvFlags, SendFlags, SocketType};

// ---------------------------------------------------------------------------------------
// A global allocator that counts frees of watched allocations.

/// Forwards to `System`, counting `dealloc` calls of watched (address, size) pairs. A watch
/// counts the frees of its block until the allocator hands that address out again (then a
/// later free belongs to the new owner); a double free before that is counted.
struct Counting;

const SLOTS: usize = 64;
static WATCH_ADDR: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];
static WATCH_SIZE: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];
static FREES: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];

fn note_free(ptr: *mut u8, size: usize) {
    let addr = ptr as usize;
    for i in 0..SLOTS {
        if WATCH_ADDR[i].load(Ordering::SeqCst) == addr
            && WATCH_SIZE[i].load(Ordering::SeqCst) == size
        {
            FREES[i].fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// A new block at a watched (address, size) is someone else's (the watched one was freed):
/// stop watching that address, so that its later free is not counted against the buffer.
fn note_alloc(ptr: *mut u8, size: usize) {
    let addr = ptr as usize;
    for i in 0..SLOTS {
        if WATCH_ADDR[i].load(Ordering::SeqCst) == addr
            && WATCH_SIZE[i].load(Ordering::SeqCst) == size
        {
            let _ =
                WATCH_ADDR[i].compare_exchange(addr, REUSED, Ordering::SeqCst, Ordering::SeqCst);
        }
    }
}

/// An address no allocation has: marks a watch whose block was freed and reused.
const REUSED: usize = 1;

// SAFETY: every call is forwarded to `System` unchanged; the bookkeeping only reads and
// writes atomics and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { System.alloc(layout) };
        note_alloc(p, layout.size());
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { System.alloc_zeroed(layout) };
        note_alloc(p, layout.size());
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note_free(ptr, layout.size());
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A reallocation releases the old block (it would be a bug for a watched buffer).
        note_free(ptr, layout.size());
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        note_alloc(p, new_size);
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Watches the heap block of a `Vec` (its pointer and capacity) until dropped.
struct Watch {
    slot: usize,
}

impl Watch {
    fn new(ptr: *const u8, capacity: usize) -> Watch {
        for slot in 0..SLOTS {
            if WATCH_SIZE[slot]
                .compare_exchange(0, capacity, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
            {
                FREES[slot].store(0, Ordering::SeqCst);
                WATCH_ADDR[slot].store(ptr as usize, Ordering::SeqCst);
                return Watch { slot };
            }
        }
        panic!("out of watch slots");
    }

    fn vec(v: &Vec<u8>) -> Watch {
        Watch::new(v.as_ptr(), v.capacity())
    }

    fn frees(&self) -> usize {
        FREES[self.slot].load(Ordering::SeqCst)
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        WATCH_ADDR[self.slot].store(0, Ordering::SeqCst);
        WATCH_SIZE[self.slot].store(0, Ordering::SeqCst);
    }
}

/// A vector of `len` recognisable bytes whose capacity is exactly `len` (so that the
/// (address, size) pair the allocator sees on free is predictable).
fn buffer(len: usize, seed: u8) -> Vec<u8> {
    let v: Vec<u8> = (0..len).map(|i| seed.wrapping_add(i as u8)).collect();
    assert_eq!(v.capacity(), len);
    v
}

fn data_ptr(msg: &Message) -> *const u8 {
    // SAFETY: zmq_msg_data only reads the initialised message.
    unsafe { zmq4::sys::zmq_msg_data(msg.as_ptr() as *mut _) as *const u8 }
}

/// A connected PAIR over inproc.
fn inproc_pair(ctx: &Context) -> (zmq4::Socket, zmq4::Socket) {
    let a = socket(ctx, SocketType::Pair);
    let ep = bind(&a, Transport::Inproc);
    let b = socket(ctx, SocketType::Pair);
    b.connect(&ep).unwrap();
    (a, b)
}

// ---------------------------------------------------------------------------------------
// Zero-copy and the free callback

#[test]
fn vec_over_inproc_arrives_with_the_same_buffer_and_is_freed_once() {
    let ctx = Context::new();
    let (a, b) = inproc_pair(&ctx);
    // Sizes around libzmq's 33-byte very-small-message limit: zmq_msg_init_data never copies
    // (only zmq_msg_init_buffer/_size use the inline storage), so all of them are zero-copy.
    for (k, len) in [1usize, 10, 32, 33, 34, 100, 4096, 70_001]
        .into_iter()
        .enumerate()
    {
        let v = buffer(len, k as u8);
        let expected = v.clone();
        let ptr = v.as_ptr();
        let watch = Watch::vec(&v);
        let mut msg = Message::from(v);
        assert_eq!(data_ptr(&msg), ptr, "len {len}: built without copying");
        a.send_msg(&mut msg, SendFlags::empty()).unwrap();
        assert!(msg.is_empty(), "a sent message is left empty");
        drop(msg);
        assert_eq!(watch.frees(), 0, "len {len}: freed while in flight");

        let got = b.recv(RecvFlags::empty()).unwrap();
        assert_eq!(&got[..], &expected[..]);
        assert_eq!(
            data_ptr(&got),
            ptr,
            "len {len}: inproc passes the buffer through"
        );
        assert_eq!(
            watch.frees(),
            0,
            "len {len}: freed while the receiver holds it"
        );
        drop(got);
        assert_eq!(
            watch.frees(),
            1,
            "len {len}: free callback after the last reference"
        );
    }
}

#[test]
fn vec_with_spare_capacity_and_string_are_zero_copy() {
    let ctx = Context::new();
    let (a, b) = inproc_pair(&ctx);

    let mut v = Vec::with_capacity(5000);
    v.extend((0..3000u32).map(|i| i as u8));
    let ptr = v.as_ptr();
    let watch = Watch::vec(&v);
    let msg = Message::from(v);
    assert_eq!(msg.len(), 3000);
    assert_eq!(data_ptr(&msg), ptr);
    a.send_msg(&mut { msg }, SendFlags::empty()).unwrap();
    let got = b.recv(RecvFlags::empty()).unwrap();
    assert_eq!(data_ptr(&got), ptr);
    assert_eq!(watch.frees(), 0);
    drop(got);
    assert_eq!(watch.frees(), 1);

    let s = "x".repeat(777);
    let ptr = s.as_ptr();
    let watch = Watch::new(ptr, s.capacity());
    a.send_msg(&mut Message::from(s), SendFlags::empty())
        .unwrap();
    let got = b.recv(RecvFlags::empty()).unwrap();
    assert_eq!(data_ptr(&got), ptr);
    assert_eq!(&got[..], "x".repeat(777).as_bytes());
    drop(got);
    assert_eq!(watch.frees(), 1);

    let boxed: Box<[u8]> = buffer(901, 1).into_boxed_slice();
    let ptr = boxed.as_ptr();
    let watch = Watch::new(ptr, 901);
    a.send_msg(&mut Message::from(boxed), SendFlags::empty())
        .unwrap();
    let got = b.recv(RecvFlags::empty()).unwrap();
    assert_eq!(data_ptr(&got), ptr);
    drop(got);
    assert_eq!(watch.frees(), 1);
}

#[test]
fn unsent_message_frees_its_buffer_once() {
    let v = buffer(1234, 7);
    let watch = Watch::vec(&v);
    let msg = Message::from(v);
    assert_eq!(watch.frees(), 0);
    drop(msg);
    assert_eq!(watch.frees(), 1);

    // Also when dropped on another thread.
    let v = buffer(1235, 8);
    let watch = Watch::vec(&v);
    let msg = Message::from(v);
    std::thread::spawn(move || drop(msg)).join().unwrap();
    assert_eq!(watch.frees(), 1);
}

#[test]
fn failed_send_keeps_the_message_and_frees_once() {
    let ctx = Context::new();
    // A PUSH with no peer: DONTWAIT fails and the message stays with the caller.
    let push = socket(&ctx, SocketType::Push);
    let v = buffer(1236, 9);
    let ptr = v.as_ptr();
    let watch = Watch::vec(&v);
    let mut msg = Message::from(v);
    assert_eq!(
        push.send_msg(&mut msg, SendFlags::DONTWAIT),
        Err(zmq4::Error::WouldBlock)
    );
    assert_eq!(data_ptr(&msg), ptr);
    assert_eq!(msg.len(), 1236);
    assert_eq!(watch.frees(), 0);
    drop(msg);
    assert_eq!(watch.frees(), 1);
}

#[test]
fn clone_shares_the_buffer_and_frees_once_after_both_drop() {
    let v = buffer(2048, 3);
    let ptr = v.as_ptr();
    let watch = Watch::vec(&v);
    let msg = Message::from(v);
    assert!(!msg.is_shared());
    let copy = msg.clone();
    assert!(msg.is_shared() && copy.is_shared());
    assert_eq!(data_ptr(&copy), ptr, "zmq_msg_copy shares the buffer");
    assert_eq!(msg, copy);
    drop(msg);
    assert_eq!(watch.frees(), 0, "freed while a copy is alive");
    assert_eq!(copy.len(), 2048);
    assert_eq!(copy[5], 8);
    drop(copy);
    assert_eq!(watch.frees(), 1);

    // Same, with the copies sent over inproc and dropped by the receiver.
    let ctx = Context::new();
    let (a, b) = inproc_pair(&ctx);
    let v = buffer(2049, 4);
    let ptr = v.as_ptr();
    let watch = Watch::vec(&v);
    let msg = Message::from(v);
    for _ in 0..3 {
        a.send_msg(&mut msg.clone(), SendFlags::empty()).unwrap();
    }
    drop(msg);
    let got: Vec<Message> = (0..3)
        .map(|_| b.recv(RecvFlags::empty()).unwrap())
        .collect();
    assert!(got.iter().all(|m| data_ptr(m) == ptr));
    assert_eq!(watch.frees(), 0);
    drop(got);
    assert_eq!(watch.frees(), 1);
}

#[test]
fn clone_then_mutate_copies_on_write() {
    let v = buffer(100, 0);
    let ptr = v.as_ptr();
    let watch = Watch::vec(&v);
    let msg = Message::from(v);
    let mut copy = msg.clone();
    copy[0] = 0xAA;
    copy.as_mut_slice()[99] = 0xBB;
    assert_eq!(msg[0], 0, "original intact");
    assert_eq!(msg[99], 99);
    assert_eq!((copy[0], copy[99]), (0xAA, 0xBB));
    assert_eq!(data_ptr(&msg), ptr, "original keeps its buffer");
    assert_ne!(data_ptr(&copy), ptr, "the writer got a private buffer");
    assert!(!copy.is_shared());
    assert_eq!(watch.frees(), 0);
    drop(copy);
    assert_eq!(watch.frees(), 0);
    drop(msg);
    assert_eq!(watch.frees(), 1);

    // An unshared message is written in place.
    let v = buffer(101, 0);
    let ptr = v.as_ptr();
    let mut msg = Message::from(v);
    msg[3] = 0xCC;
    assert_eq!(data_ptr(&msg), ptr);
    assert_eq!(msg[3], 0xCC);

    // A received message is the receiver's to write.
    let ctx = Context::new();
    let (a, b) = inproc_pair(&ctx);
    a.send("abcdef", SendFlags::empty()).unwrap();
    let mut got = b.recv(RecvFlags::empty()).unwrap();
    got[0] = b'X';
    assert_eq!(&got[..], b"Xbcdef");
}

static STATIC_DATA: [u8; 100] = {
    let mut a = [0u8; 100];
    let mut i = 0;
    while i < 100 {
        a[i] = i as u8;
        i += 1;
    }
    a
};

#[test]
fn from_static_and_send_const_are_zero_copy() {
    let ctx = Context::new();
    let (a, b) = inproc_pair(&ctx);
    let msg = Message::from_static(&STATIC_DATA);
    assert_eq!(data_ptr(&msg), STATIC_DATA.as_ptr());
    assert!(msg.is_shared(), "static data is never writable in place");
    a.send_msg(&mut { msg }, SendFlags::empty()).unwrap();
    let got = b.recv(RecvFlags::empty()).unwrap();
    assert_eq!(data_ptr(&got), STATIC_DATA.as_ptr());
    assert_eq!(&got[..], &STATIC_DATA[..]);

    // Writing to it copies first; the static bytes stay as they were.
    let mut got = got;
    got[0] = 0xFF;
    assert_ne!(data_ptr(&got), STATIC_DATA.as_ptr());
    assert_eq!(STATIC_DATA[0], 0);

    a.send_const(&STATIC_DATA[10..], SendFlags::empty())
        .unwrap();
    let got = b.recv(RecvFlags::empty()).unwrap();
    assert_eq!(data_ptr(&got), STATIC_DATA[10..].as_ptr());
    assert_eq!(got.len(), 90);

    // Short and empty static data.
    a.send_msg(&mut Message::from_static(b"hi"), SendFlags::empty())
        .unwrap();
    assert_eq!(&b.recv(RecvFlags::empty()).unwrap()[..], b"hi");
    a.send_msg(&mut Message::from_static(b""), SendFlags::empty())
        .unwrap();
    assert!(b.recv(RecvFlags::empty()).unwrap().is_empty());
}

#[test]
fn tcp_send_frees_the_buffer_once_after_transmission() {
    let ctx = Context::new();
    for t in [Transport::Ipc, Transport::Tcp]
        .into_iter()
        .filter(|&t| transport_available(t))
    {
        eprintln!("--- transport {t:?}");
        let pull = socket(&ctx, SocketType::Pull);
        let ep = bind(&pull, t);
        let push = socket(&ctx, SocketType::Push);
        push.connect(&ep).unwrap();
        for (k, len) in [5usize, 64, 100_003].into_iter().enumerate() {
            let v = buffer(len, k as u8 + 40);
            let expected = v.clone();
            let watch = Watch::vec(&v);
            push.send_msg(&mut Message::from(v), SendFlags::empty())
                .unwrap();
            // Received as a Message (libzmq's own malloc): a Rust allocation of the same size
            // could reuse the freed address and look like a second free.
            let got = pull.recv(RecvFlags::empty()).unwrap();
            assert_eq!(&got[..], &expected[..]);
            // The I/O thread releases it once written out.
            assert!(eventually(|| watch.frees() >= 1), "len {len}: never freed");
            assert_eq!(watch.frees(), 1, "len {len}");
        }
    }
}

#[test]
fn message_basics() {
    let m = Message::new();
    assert!(m.is_empty());
    assert!(!m.more());
    let m = Message::with_size(40).unwrap();
    assert_eq!(&m[..], &[0u8; 40][..]);
    let m = Message::from_slice(b"copy me");
    assert_eq!(&m[..], b"copy me");
    assert_eq!(m.to_vec(), b"copy me");
    assert_eq!(Message::from("str"), Message::from(&b"str"[..]));
    assert_eq!(Message::from(b"arr"), Message::from(String::from("arr")));
    assert!(Message::from(Vec::new()).is_empty());
    assert!(Message::from(Vec::<u8>::with_capacity(16)).is_empty());
    assert_eq!(
        m.gets("Socket-Type"),
        None,
        "an unsent message has no metadata"
    );
    assert_eq!(m.gets("bad\0name"), None);
}

// ---------------------------------------------------------------------------------------
// Metadata

#[test]
fn metadata_socket_type_and_peer_address() {
    let ctx = Context::new();
    for t in [Transport::Ipc, Transport::Tcp]
        .into_iter()
        .filter(|&t| transport_available(t))
    {
        eprintln!("--- transport {t:?}");
        let pull = socket(&ctx, SocketType::Pull);
        let ep = bind(&pull, t);
        let push = socket(&ctx, SocketType::Push);
        push.connect(&ep).unwrap();
        send(&push, "hi");
        let m = pull.recv(RecvFlags::empty()).unwrap();
        assert_eq!(m.gets("Socket-Type"), Some("PUSH"));
        if t == Transport::Tcp {
            assert_eq!(m.gets("Peer-Address"), Some("127.0.0.1"));
        }
        assert_eq!(m.gets("X-Absent"), None);
        // ZMQ_SRCFD is gone in 4.3 metadata (deprecated) but must not panic.
        let _ = m.get_property(zmq4::sys::ZMQ_SRCFD);
    }
    // inproc has no ZMTP handshake, so its messages carry no metadata at all.
    let pull = socket(&ctx, SocketType::Pull);
    let ep = bind(&pull, Transport::Inproc);
    let push = socket(&ctx, SocketType::Push);
    push.connect(&ep).unwrap();
    send(&push, "hi");
    let m = pull.recv(RecvFlags::empty()).unwrap();
    assert_eq!(m.gets("Socket-Type"), None);
}

/// ZMQ_METADATA is DRAFT API in libzmq 4.3.5.
#[cfg(feature = "draft")]
#[test]
fn metadata_routing_id_and_custom_properties() {
    let ctx = Context::new();
    for t in [Transport::Ipc, Transport::Tcp]
        .into_iter()
        .filter(|&t| transport_available(t))
    {
        eprintln!("--- transport {t:?}");
        let router = socket(&ctx, SocketType::Router);
        router.set_metadata("X-Server:yes").unwrap();
        let ep = bind(&router, t);
        let dealer = socket(&ctx, SocketType::Dealer);
        dealer.set_routing_id(b"peer-7").unwrap();
        dealer.set_metadata("X-Foo:bar").unwrap();
        dealer.connect(&ep).unwrap();
        send(&dealer, "hello");

        let parts = router.recv_multipart(RecvFlags::empty()).unwrap();
        assert_eq!(&parts[0][..], b"peer-7");
        let body = &parts[1];
        assert_eq!(body.gets("X-Foo"), Some("bar"));
        assert_eq!(body.gets("Socket-Type"), Some("DEALER"));
        // The ZMTP property is "Identity"; libzmq 4.3.5 stores it under that name.
        assert_eq!(body.gets("Identity"), Some("peer-7"));

        // And the other way round.
        router
            .send_multipart([&b"peer-7"[..], b"back"], SendFlags::empty())
            .unwrap();
        let m = dealer.recv(RecvFlags::empty()).unwrap();
        assert_eq!(m.gets("X-Server"), Some("yes"));
        assert_eq!(m.gets("Socket-Type"), Some("ROUTER"));
        // Metadata outlives the socket that received it.
        drop(dealer);
        assert_eq!(m.gets("X-Server"), Some("yes"));
    }
}

#[cfg(feature = "draft")]
#[test]
fn draft_routing_id_on_server_and_group_on_dish() {
    let ctx = Context::new();
    for_each_thread_safe_transport(|t| {
        let server = socket(&ctx, SocketType::Server);
        let ep = bind(&server, t);
        let client = socket(&ctx, SocketType::Client);
        client.connect(&ep).unwrap();
        send(&client, "req");
        let m = server.recv(RecvFlags::empty()).unwrap();
        let rid = m
            .routing_id()
            .expect("a SERVER message carries a routing id");
        let mut reply = Message::from("rep");
        assert_eq!(reply.routing_id(), None);
        reply.set_routing_id(rid).unwrap();
        assert_eq!(reply.routing_id(), Some(rid));
        server.send_msg(&mut reply, SendFlags::empty()).unwrap();
        assert_eq!(recv_bytes(&client), b"rep");

        let dish = socket(&ctx, SocketType::Dish);
        dish.join("weather").unwrap();
        let ep = bind(&dish, t);
        let radio = socket(&ctx, SocketType::Radio);
        radio.connect(&ep).unwrap();
        let got = until_received(
            |_| {
                let mut m = Message::from("sunny");
                m.set_group("weather").unwrap();
                radio.send_msg(&mut m, SendFlags::empty()).unwrap();
            },
            || try_recv_within(&dish, PROBE_MS),
        );
        assert_eq!(got.group(), Some("weather"));
        assert_eq!(&got[..], b"sunny");
    });
}
