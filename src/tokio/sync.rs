//! The synchronisation primitives of the async layer, from `std` or, under `--cfg zmq4_loom`,
//! from loom, so that `ci/loom.sh` can model-check the socket lock and the waiter
//! bookkeeping (the `loom_model` tests) with the very code the crate runs.

#[cfg(not(zmq4_loom))]
pub(crate) use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
#[cfg(not(zmq4_loom))]
pub(crate) use std::sync::{Mutex, MutexGuard};

#[cfg(zmq4_loom)]
pub(crate) use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
#[cfg(zmq4_loom)]
pub(crate) use loom::sync::{Mutex, MutexGuard};

/// Locks `m`, ignoring poisoning: what the mutexes of this layer guard stays consistent
/// when a holder panics (every update is a single push, pop or assignment).
#[inline]
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A busy-wait hint (under loom: a yield, which loom needs to explore a spin loop).
#[inline]
pub(crate) fn spin_loop() {
    #[cfg(not(zmq4_loom))]
    std::hint::spin_loop();
    #[cfg(zmq4_loom)]
    loom::thread::yield_now();
}

/// Gives up the thread's time slice.
#[inline]
pub(crate) fn yield_now() {
    #[cfg(not(zmq4_loom))]
    std::thread::yield_now();
    #[cfg(zmq4_loom)]
    loom::thread::yield_now();
}

/// Sleeps for `d` (under loom, where time does not exist: a yield).
#[inline]
pub(crate) fn sleep(d: std::time::Duration) {
    #[cfg(not(zmq4_loom))]
    std::thread::sleep(d);
    #[cfg(zmq4_loom)]
    {
        let _ = d;
        loom::thread::yield_now();
    }
}

/// `UnsafeCell` whose accesses loom can track: under loom, [`UnsafeCell::access`] starts a
/// tracked access that lasts until the returned value is dropped.
#[cfg(not(zmq4_loom))]
pub(crate) struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

#[cfg(not(zmq4_loom))]
impl<T> UnsafeCell<T> {
    pub(crate) fn new(value: T) -> Self {
        UnsafeCell(std::cell::UnsafeCell::new(value))
    }

    /// The value's address.
    #[inline]
    pub(crate) fn get(&self) -> *mut T {
        self.0.get()
    }
}

#[cfg(zmq4_loom)]
pub(crate) struct UnsafeCell<T>(loom::cell::UnsafeCell<T>);

#[cfg(zmq4_loom)]
impl<T> UnsafeCell<T> {
    pub(crate) fn new(value: T) -> Self {
        UnsafeCell(loom::cell::UnsafeCell::new(value))
    }

    /// Starts a tracked mutable access: loom reports a data race if another access
    /// overlaps it before the returned value is dropped.
    pub(crate) fn access(&self) -> loom::cell::MutPtr<T> {
        self.0.get_mut()
    }
}
