//! [`Timers`]: libzmq's timer set (`zmq_timers_*`), with Rust closures as handlers.
//!
//! A timer set does nothing on its own: ask it how long until the next timer is due
//! ([`Timers::timeout`]), wait that long in `poll` (or a [`Poller`](crate::poll)), then run
//! the due handlers with [`Timers::execute`]. Handlers get `&mut Timers`, so they may add,
//! cancel or reschedule timers, their own included.
//!
//! ```
//! use std::time::Duration;
//! use zmq4::timers::Timers;
//!
//! let mut timers = Timers::new();
//! let fired = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
//! let counter = fired.clone();
//! timers.add(Duration::from_millis(1), move |timers, id| {
//!     counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
//!     timers.cancel(id).unwrap(); // one-shot
//! })?;
//! while let Some(wait) = timers.timeout() {
//!     std::thread::sleep(wait); // or poll sockets for up to `wait`
//!     timers.execute()?;
//! }
//! assert_eq!(fired.load(std::sync::atomic::Ordering::SeqCst), 1);
//! # Ok::<(), zmq4::Error>(())
//! ```

use crate::error::{check, Error, Result};
use crate::sys;
use libc::{c_int, c_void};
use std::collections::HashMap;
use std::fmt;
use std::ptr::NonNull;
use std::time::Duration;

/// The id libzmq gives a timer.
pub type TimerId = i32;

type Handler = Box<dyn FnMut(&mut Timers, TimerId) + Send>;

/// A set of timers (`zmq_timers_new`). Not thread-safe: `Send`, not `Sync`.
pub struct Timers {
    raw: NonNull<c_void>,
    handlers: HashMap<TimerId, Handler>,
    /// Ids libzmq reported due during `zmq_timers_execute`, in firing order. Boxed so the
    /// address handed to libzmq as the handler argument never moves.
    /// The ids `record` collects during `execute`. Owned through this raw pointer (from
    /// `Box::into_raw`, freed in Drop) because libzmq keeps a copy of it as every timer's
    /// `arg`: Rust code reaches the vector only through this same pointer, never through a
    /// fresh `&mut` borrow of a Box that would invalidate libzmq's copy.
    fired: NonNull<Vec<TimerId>>,
    /// The timer whose handler is running, and whether that handler cancelled it.
    running: Option<(TimerId, bool)>,
}

// SAFETY: the timer set is plain data owned by this value (no thread affinity in libzmq), and
// every handler is Send.
unsafe impl Send for Timers {}

/// libzmq's handler: records the id; the Rust closure runs after `zmq_timers_execute`
/// returns, when it can be given `&mut Timers`.
unsafe extern "C" fn record(timer_id: c_int, arg: *mut c_void) {
    // SAFETY: `arg` is the `fired` pointer of the Timers whose execute() is running (the
    // Box::into_raw pointer itself, handed over in `add`); nothing else touches the vector
    // during the call.
    unsafe { (*arg.cast::<Vec<TimerId>>()).push(timer_id) };
}

/// An interval in libzmq's milliseconds. Zero is refused: libzmq 4.3.5 would re-insert a
/// 0 ms timer behind the one `zmq_timers_execute` is visiting and never leave its loop. A
/// non-zero interval under 1 ms rounds up to 1 ms.
fn millis(d: Duration) -> Result<usize> {
    if d.is_zero() {
        return Err(Error::InvalidArgument);
    }
    Ok(usize::try_from(d.as_millis()).unwrap_or(usize::MAX).max(1))
}

impl Timers {
    /// An empty timer set.
    ///
    /// # Panics
    /// If libzmq cannot allocate it, like any allocation failure.
    pub fn new() -> Timers {
        // SAFETY: no preconditions; NULL only when out of memory.
        let raw = NonNull::new(unsafe { sys::zmq_timers_new() })
            .unwrap_or_else(|| std::alloc::handle_alloc_error(std::alloc::Layout::new::<usize>()));
        Timers {
            raw,
            handlers: HashMap::new(),
            fired: NonNull::from(Box::leak(Box::<Vec<TimerId>>::default())),
            running: None,
        }
    }

    /// Adds a repeating timer that fires every `interval` and calls `handler` each time,
    /// from [`Timers::execute`]. Returns its id. A zero interval is
    /// [`Error::InvalidArgument`]; one under a millisecond rounds up to 1 ms.
    pub fn add<F>(&mut self, interval: Duration, handler: F) -> Result<TimerId>
    where
        F: FnMut(&mut Timers, TimerId) + Send + 'static,
    {
        let interval = millis(interval)?;
        // SAFETY: a live timer set; `record` and `arg` match zmq_timer_fn's contract. `arg` is
        // the owning pointer itself (valid until Drop, which destroys the set first).
        let id = check(unsafe {
            sys::zmq_timers_add(
                self.raw.as_ptr(),
                interval,
                Some(record),
                self.fired.as_ptr().cast(),
            )
        })?;
        self.handlers.insert(id, Box::new(handler));
        Ok(id)
    }

    /// Cancels a timer (`zmq_timers_cancel`); [`crate::Error::InvalidArgument`] for an
    /// unknown id.
    pub fn cancel(&mut self, id: TimerId) -> Result<()> {
        // SAFETY: a live timer set.
        check(unsafe { sys::zmq_timers_cancel(self.raw.as_ptr(), id) })?;
        self.handlers.remove(&id);
        if let Some((running, cancelled)) = &mut self.running {
            *cancelled |= *running == id;
        }
        Ok(())
    }

    /// Changes a timer's interval; it restarts from now (`zmq_timers_set_interval`). The
    /// interval follows the rules of [`Timers::add`].
    pub fn set_interval(&mut self, id: TimerId, interval: Duration) -> Result<()> {
        let interval = millis(interval)?;
        // SAFETY: a live timer set.
        check(unsafe { sys::zmq_timers_set_interval(self.raw.as_ptr(), id, interval) }).map(drop)
    }

    /// Restarts a timer's interval from now (`zmq_timers_reset`).
    pub fn reset(&mut self, id: TimerId) -> Result<()> {
        // SAFETY: a live timer set.
        check(unsafe { sys::zmq_timers_reset(self.raw.as_ptr(), id) }).map(drop)
    }

    /// Time until the next timer is due (zero if one is overdue), `None` with no timers
    /// (`zmq_timers_timeout`).
    pub fn timeout(&self) -> Option<Duration> {
        // SAFETY: a live timer set.
        let ms = unsafe { sys::zmq_timers_timeout(self.raw.as_ptr()) };
        u64::try_from(ms).ok().map(Duration::from_millis)
    }

    /// The timeout in milliseconds as `zmq_poll` takes it (-1: no timer).
    pub fn timeout_ms(&self) -> i64 {
        self.timeout()
            .map_or(-1, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }

    /// Runs the handlers of every due timer, in the order libzmq fires them
    /// (`zmq_timers_execute`). Returns how many ran.
    pub fn execute(&mut self) -> Result<usize> {
        // SAFETY: `fired` is live (freed only in Drop) and no libzmq call is running, so this
        // short borrow, derived from the owning pointer, is the only access.
        unsafe { (*self.fired.as_ptr()).clear() };
        // SAFETY: a live timer set; `record` only pushes onto the vector behind `fired`.
        check(unsafe { sys::zmq_timers_execute(self.raw.as_ptr()) })?;
        // SAFETY: as for clear() above: libzmq is done with it until the next execute().
        let fired = std::mem::take(unsafe { &mut *self.fired.as_ptr() });
        let mut ran = 0;
        for &id in &fired {
            // A handler earlier in this batch may have cancelled this timer.
            if let Some(mut handler) = self.handlers.remove(&id) {
                self.running = Some((id, false));
                handler(self, id);
                ran += 1;
                // Put it back unless the handler cancelled its own timer.
                if let Some((_, false)) = self.running.take() {
                    self.handlers.insert(id, handler);
                }
            }
        }
        // Keep the allocation for the next round (the vector's address is unchanged).
        // SAFETY: as above; no libzmq call is running.
        unsafe { *self.fired.as_ptr() = fired };
        Ok(ran)
    }
}

impl Default for Timers {
    fn default() -> Timers {
        Timers::new()
    }
}

impl Drop for Timers {
    fn drop(&mut self) {
        let mut raw = self.raw.as_ptr();
        // SAFETY: a live timer set, destroyed once.
        unsafe { sys::zmq_timers_destroy(&mut raw) };
        // SAFETY: from Box::leak in new(), freed once, after the set (the only other holder
        // of the pointer) is gone.
        drop(unsafe { Box::from_raw(self.fired.as_ptr()) });
    }
}

impl fmt::Debug for Timers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timers")
            .field("timers", &self.handlers.len())
            .finish()
    }
}
