//! The lock around an async socket's state.
//!
//! Every operation takes it once, for one non-blocking libzmq call, so its uncontended
//! cost is the whole point: a compare-and-swap to take it and a plain store to release it,
//! with no poisoning (`std::sync::Mutex` swaps on unlock and checks the panic count twice;
//! BENCHMARKS.md has the figures).
//!
//! The price is that a waiter cannot sleep on the lock: it spins, then yields its thread,
//! then sleeps in short steps until the holder is done. Holders are brief (one libzmq call;
//! the two tasks that contend are a sender and a receiver of one socket on two worker
//! threads), except inside [`AsyncSocket::with_socket`](super::AsyncSocket::with_socket),
//! whose closure runs under the lock and should stay short for this reason too.
//!
//! Correctness: `locked` is the only state. `lock` sets it from `false` to `true` with
//! Acquire (a compare-and-swap, so two takers cannot both succeed), the guard's drop stores
//! `false` with Release, so each holder sees every write of the previous one and no two
//! guards coexist. The `loom_model` tests check this in every interleaving of two threads
//! (up to three preemptions, `ci/loom.sh`; why two suffice is argued there), with loom
//! tracking every access to the value. What loom cannot model is the sleep (a yield there),
//! which only changes how long a waiter takes, not what it sees; a holder that panics
//! releases the lock in the guard's drop (the std test `a_panicking_holder_releases_the_lock`).

use super::sync::{self, AtomicBool, Ordering, UnsafeCell};
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
use std::time::Duration;

/// Busy-wait rounds before a contended `lock` starts yielding its thread (under loom every
/// round is a yield, and fewer keep the explored paths short).
const SPINS: u32 = if cfg!(zmq4_loom) { 1 } else { 64 };
/// `yield_now` rounds after that, before it sleeps between attempts.
const YIELDS: u32 = if cfg!(zmq4_loom) { 1 } else { 32 };
/// The sleep between attempts once spinning and yielding have not got the lock.
const NAP: Duration = Duration::from_micros(50);

/// A mutual-exclusion lock without poisoning whose unlock is a store.
pub(crate) struct SocketLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: the lock gives the value to one holder at a time (`locked` is taken with Acquire
// and released with Release, so each holder sees the previous holder's writes), which makes
// sharing the lock between threads the same as sending the value from one to another.
unsafe impl<T: Send> Sync for SocketLock<T> {}

impl<T> SocketLock<T> {
    pub(crate) fn new(value: T) -> Self {
        SocketLock {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    /// Takes the lock, waiting for the holder if there is one.
    #[inline]
    pub(crate) fn lock(&self) -> SocketGuard<'_, T> {
        if self
            .locked
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            self.lock_contended();
        }
        SocketGuard {
            lock: self,
            #[cfg(zmq4_loom)]
            access: Some(self.value.access()),
            _value: PhantomData,
        }
    }

    #[cold]
    #[inline(never)]
    fn lock_contended(&self) {
        let mut round = 0u32;
        loop {
            // Read before trying, so waiters do not fight over the cache line.
            if !self.locked.load(Ordering::Relaxed)
                && self
                    .locked
                    .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
                    .is_ok()
            {
                return;
            }
            round = round.saturating_add(1);
            if round < SPINS {
                sync::spin_loop();
            } else if round < SPINS + YIELDS {
                sync::yield_now();
            } else {
                sync::sleep(NAP);
            }
        }
    }
}

/// The value of a [`SocketLock`], held; dropping it releases the lock.
pub(crate) struct SocketGuard<'a, T> {
    lock: &'a SocketLock<T>,
    /// Under loom, the tracked access to the value that this guard stands for.
    #[cfg(zmq4_loom)]
    access: Option<loom::cell::MutPtr<T>>,
    /// Makes the guard `Send`/`Sync` exactly as `&mut T` is.
    _value: PhantomData<&'a mut T>,
}

impl<T> SocketGuard<'_, T> {
    #[inline]
    fn value_ptr(&self) -> *mut T {
        #[cfg(not(zmq4_loom))]
        let ptr = self.lock.value.get();
        #[cfg(zmq4_loom)]
        let ptr = match &self.access {
            Some(access) => access.with(|p| p),
            None => unreachable!("the access ends only in drop"),
        };
        ptr
    }
}

impl<T> Deref for SocketGuard<'_, T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        // SAFETY: the guard exists only while this thread holds the lock, so no other
        // reference to the value is live.
        unsafe { &*self.value_ptr() }
    }
}

impl<T> DerefMut for SocketGuard<'_, T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`, and `&mut self` makes this the only use of the guard.
        unsafe { &mut *self.value_ptr() }
    }
}

impl<T> Drop for SocketGuard<'_, T> {
    #[inline]
    fn drop(&mut self) {
        // Under loom the tracked access must end before the next holder can start one.
        #[cfg(zmq4_loom)]
        drop(self.access.take());
        self.lock.locked.store(false, Ordering::Release);
    }
}

#[cfg(all(test, not(zmq4_loom)))]
mod tests {
    use super::SocketLock;
    use std::sync::Arc;

    #[test]
    fn contended_increments_are_not_lost() {
        // Miri interprets every instruction: fewer rounds, every interleaving it picks checked.
        const ROUNDS: u64 = if cfg!(miri) { 200 } else { 50_000 };
        let lock = Arc::new(SocketLock::new(0u64));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let lock = Arc::clone(&lock);
                std::thread::spawn(move || {
                    for _ in 0..ROUNDS {
                        *lock.lock() += 1;
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("thread");
        }
        assert_eq!(*lock.lock(), 4 * ROUNDS);
    }

    #[test]
    fn a_panicking_holder_releases_the_lock() {
        let lock = Arc::new(SocketLock::new(1u32));
        let l2 = Arc::clone(&lock);
        let r = std::thread::spawn(move || {
            let _g = l2.lock();
            panic!("holder panics");
        })
        .join();
        assert!(r.is_err());
        assert_eq!(*lock.lock(), 1);
    }
}
