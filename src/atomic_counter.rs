//! [`AtomicCounter`]: libzmq's portable atomic counter (`zmq_atomic_counter_*`), for programs
//! ported from C that share one with C code. Rust code needs only `std::sync::atomic`.
//!
//! ```
//! let counter = zmq4::AtomicCounter::new();
//! counter.set(2);
//! assert_eq!(counter.inc(), 2); // the value before: now 3
//! assert_eq!(counter.dec(), 1); // 1: still above zero (now 2)
//! assert_eq!(counter.value(), 2);
//! ```

use crate::sys;
use libc::c_void;
use std::ptr::NonNull;

/// A thread-safe integer counter made by libzmq (`zmq_atomic_counter_new`).
#[derive(Debug)]
pub struct AtomicCounter {
    raw: NonNull<c_void>,
}

// SAFETY: libzmq's counter is an atomic integer meant to be shared between threads
// (zmq_atomic_counter_new(3)); every operation on it is atomic.
unsafe impl Send for AtomicCounter {}
// SAFETY: as for Send.
unsafe impl Sync for AtomicCounter {}

impl AtomicCounter {
    /// A new counter at zero.
    ///
    /// # Panics
    /// If libzmq cannot allocate it, like any allocation failure.
    pub fn new() -> AtomicCounter {
        // SAFETY: no preconditions; returns NULL only when out of memory.
        let raw = unsafe { sys::zmq_atomic_counter_new() };
        let raw = NonNull::new(raw)
            .unwrap_or_else(|| std::alloc::handle_alloc_error(std::alloc::Layout::new::<i32>()));
        AtomicCounter { raw }
    }

    /// Sets the value (`zmq_atomic_counter_set`).
    pub fn set(&self, value: i32) {
        // SAFETY: a live counter.
        unsafe { sys::zmq_atomic_counter_set(self.raw.as_ptr(), value) }
    }

    /// Increments and returns the value before (`zmq_atomic_counter_inc`).
    pub fn inc(&self) -> i32 {
        // SAFETY: a live counter.
        unsafe { sys::zmq_atomic_counter_inc(self.raw.as_ptr()) }
    }

    /// Decrements; returns 1 if the value is still above zero afterwards, else 0
    /// (`zmq_atomic_counter_dec`).
    pub fn dec(&self) -> i32 {
        // SAFETY: a live counter.
        unsafe { sys::zmq_atomic_counter_dec(self.raw.as_ptr()) }
    }

    /// The current value (`zmq_atomic_counter_value`).
    pub fn value(&self) -> i32 {
        // SAFETY: a live counter.
        unsafe { sys::zmq_atomic_counter_value(self.raw.as_ptr()) }
    }
}

impl Default for AtomicCounter {
    fn default() -> AtomicCounter {
        AtomicCounter::new()
    }
}

impl Drop for AtomicCounter {
    fn drop(&mut self) {
        let mut raw = self.raw.as_ptr();
        // SAFETY: a live counter, destroyed once; libzmq sets `raw` to NULL.
        unsafe { sys::zmq_atomic_counter_destroy(&mut raw) }
    }
}
