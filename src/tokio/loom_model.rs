//! loom model checks of the socket lock and the waiter bookkeeping (`ci/loom.sh`:
//! `RUSTFLAGS="--cfg zmq4_loom" cargo test --lib loom_model`). Each model runs every
//! interleaving of its threads (up to loom's preemption bound) with the crate's own code.
//!
//! What is left to the written argument in the module documentation of [`crate::tokio`]:
//! tokio's readiness (the snapshot and `clear_ready`) and libzmq's descriptor, which loom
//! cannot run. The models here cover the part of rule 3 and rule 4 that is this crate's
//! own: a waiter registered under the socket lock is found by any later caller's wake.
//!
//! The lock is checked with two contenders. Three spinning contenders exceed loom's branch
//! limit (20,000) even at two preemptions, and add no case: the lock's only state is one
//! flag, every taker runs the same compare-and-swap from `false` to `true`, and exclusion
//! and publication are properties of each pair of consecutive holders, which the
//! two-thread model checks in every interleaving.

use super::core::{Dir, OpSlot, Waiters, WakeList};
use super::lock::SocketLock;
use super::sync::{AtomicBool, AtomicUsize, Ordering};
use crate::poll::PollEvents;
use loom::thread;
use std::sync::Arc;
use std::task::{Wake, Waker};

/// A waker that records that it was woken.
#[derive(Default)]
struct Flag {
    woken: AtomicUsize,
}

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.woken.fetch_add(1, Ordering::SeqCst);
    }
}

fn model(f: impl Fn() + Sync + Send + 'static) {
    let mut builder = loom::model::Builder::new();
    // Bounded preemptions keep the spin loop's state space finite and the run short.
    builder.preemption_bound = Some(3);
    // Every failed attempt at the lock is a branch: room above the default 1,000.
    builder.max_branches = 20_000;
    builder.check(f);
}

/// Two holders never overlap (loom tracks the value's accesses and reports a data race if
/// they did) and each sees the other's write.
#[test]
fn loom_model_lock_excludes_and_publishes() {
    model(|| {
        let lock = Arc::new(SocketLock::new(0u32));
        let other = {
            let lock = Arc::clone(&lock);
            thread::spawn(move || {
                let mut g = lock.lock();
                *g += 1;
            })
        };
        {
            let mut g = lock.lock();
            *g += 1;
        }
        other.join().expect("thread");
        assert_eq!(*lock.lock(), 2);
    });
}

/// Rule 4 at the level of this crate's bookkeeping: a receiver registers its waiter and
/// checks the state under the socket lock, then parks if not ready; a sender makes the
/// state ready under the lock, collects the waiters when `is_empty` says there are any,
/// and wakes them after the lock is released. In every interleaving the receiver either
/// saw the state ready or was woken: no lost wake-up, although `is_empty` is read without
/// the waiters' mutex and the wake happens outside both locks.
#[test]
fn loom_model_registered_waiter_is_not_lost() {
    model(|| {
        let ready = Arc::new(SocketLock::new(false));
        let waiters = Arc::new(Waiters::default());
        let flag = Arc::new(Flag::default());

        let receiver = {
            let (ready, waiters, flag) = (ready.clone(), waiters.clone(), flag.clone());
            thread::spawn(move || {
                let waker = Waker::from(flag);
                let mut slot = OpSlot::default();
                let st = ready.lock();
                waiters.register(&mut slot, Dir::In, &waker);
                let saw_ready = *st;
                drop(st);
                if saw_ready {
                    waiters.remove(&mut slot);
                }
                (saw_ready, slot)
            })
        };

        let mut wakes = WakeList::new();
        {
            let mut st = ready.lock();
            *st = true;
            if !waiters.is_empty() {
                waiters.wake_matching(Some(PollEvents::POLLIN), &mut wakes);
            }
        }
        wakes.wake();

        let (saw_ready, mut slot) = receiver.join().expect("receiver");
        assert!(
            saw_ready || flag.woken.load(Ordering::SeqCst) > 0,
            "the receiver parked and was never woken"
        );
        waiters.remove(&mut slot);
        assert!(waiters.is_empty());
    });
}

/// The descriptor's fan-out waker (tokio's driver thread, no socket lock) racing with an
/// operation that registers, changes direction, and leaves: the counts stay consistent, and
/// a wake collects only live entries.
#[test]
fn loom_model_fanout_races_register_and_remove() {
    model(|| {
        let waiters = Arc::new(Waiters::default());
        let flag = Arc::new(Flag::default());
        let done = Arc::new(AtomicBool::new(false));

        let op = {
            let (waiters, flag, done) = (waiters.clone(), flag.clone(), done.clone());
            thread::spawn(move || {
                let waker = Waker::from(flag);
                let mut slot = OpSlot::default();
                waiters.register(&mut slot, Dir::In, &waker);
                waiters.register(&mut slot, Dir::Out, &waker);
                assert!(waiters.has(Dir::Out));
                waiters.remove(&mut slot);
                done.store(true, Ordering::SeqCst);
            })
        };

        let fanout = Waker::from(Arc::clone(&waiters));
        fanout.wake_by_ref();
        let mut wakes = WakeList::new();
        waiters.wake_matching(Some(PollEvents::POLLOUT), &mut wakes);
        assert!(wakes.len() <= 1);
        drop(wakes);

        op.join().expect("op");
        assert!(done.load(Ordering::SeqCst));
        assert_eq!(waiters.len(), 0);
        assert!(!waiters.has(Dir::In) && !waiters.has(Dir::Out));
        // Nothing holds the entry any more: a later wake finds nobody.
        let before = flag.woken.load(Ordering::SeqCst);
        let mut wakes = WakeList::new();
        waiters.wake_matching(None, &mut wakes);
        assert_eq!(wakes.len(), 0);
        drop(wakes);
        assert_eq!(flag.woken.load(Ordering::SeqCst), before);
    });
}

/// Two operations of one socket in opposite directions reuse slab slots: the per-direction
/// counts match the entries whatever the order.
#[test]
fn loom_model_two_ops_share_the_slab() {
    model(|| {
        let waiters = Arc::new(Waiters::default());
        let threads: Vec<_> = [Dir::In, Dir::Out]
            .into_iter()
            .map(|dir| {
                let waiters = waiters.clone();
                thread::spawn(move || {
                    let waker = Waker::from(Arc::new(Flag::default()));
                    let mut slot = OpSlot::default();
                    waiters.register(&mut slot, dir, &waker);
                    assert!(waiters.has(dir));
                    waiters.remove(&mut slot);
                    waiters.register(&mut slot, dir, &waker);
                    slot
                })
            })
            .collect();
        let mut slots: Vec<OpSlot> = threads
            .into_iter()
            .map(|t| t.join().expect("thread"))
            .collect();
        assert_eq!(waiters.len(), 2);
        assert!(waiters.has(Dir::In) && waiters.has(Dir::Out));
        let mut wakes = WakeList::new();
        waiters.wake_matching(None, &mut wakes);
        assert_eq!(wakes.len(), 2);
        drop(wakes);
        for slot in &mut slots {
            waiters.remove(slot);
        }
        assert_eq!(waiters.len(), 0);
    });
}
