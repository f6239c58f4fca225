//! A budget of memory for decoded photos, shared by the threads that decode them: a thread
//! waits until the pixels it is about to decode fit, so a build holds at most the budget in
//! decoded photos whatever the number of threads (16 photos of 7000×7000 are 2.4 GB of
//! pixels). One budget belongs to one loaded site; nothing is global.

use std::sync::{Condvar, Mutex, PoisonError};

/// Bytes of decoded pixels a build holds at once.
pub const DECODE_BUDGET: u64 = 640 << 20;

/// Memory for decoded photos, handed out in [`Permit`]s.
#[derive(Debug)]
pub struct Budget {
    capacity: u64,
    free: Mutex<u64>,
    returned: Condvar,
}

/// Memory taken from a [`Budget`], given back when dropped.
#[derive(Debug)]
pub struct Permit<'a> {
    budget: &'a Budget,
    bytes: u64,
}

impl Budget {
    /// A budget of `capacity` bytes.
    pub fn new(capacity: u64) -> Self {
        Budget { capacity, free: Mutex::new(capacity), returned: Condvar::new() }
    }

    /// Waits until `bytes` are free and takes them; a request larger than the whole budget
    /// takes all of it, so that it waits for the others to finish and then runs alone.
    pub fn take(&self, bytes: u64) -> Permit<'_> {
        let bytes = bytes.min(self.capacity);
        let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
        while *free < bytes {
            free = self.returned.wait(free).unwrap_or_else(PoisonError::into_inner);
        }
        *free -= bytes;
        Permit { budget: self, bytes }
    }

    /// The bytes not taken now.
    pub fn free(&self) -> u64 {
        *self.free.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(DECODE_BUDGET)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut free = self.budget.free.lock().unwrap_or_else(PoisonError::into_inner);
        *free += self.bytes;
        self.budget.returned.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn finding_11_threads_decoding_photos_never_hold_more_than_the_budget() {
        let budget = Budget::new(300);
        let held = AtomicU64::new(0);
        let most = AtomicU64::new(0);
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    for _ in 0..20 {
                        let _permit = budget.take(100);
                        let now = held.fetch_add(100, Ordering::SeqCst) + 100;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::yield_now();
                        held.fetch_sub(100, Ordering::SeqCst);
                    }
                });
            }
        });
        assert!(most.load(Ordering::SeqCst) <= 300, "{most:?}");
        assert_eq!(budget.free(), 300, "every permit was given back");
    }

    #[test]
    fn a_request_larger_than_the_budget_runs_alone() {
        let budget = Budget::new(100);
        let permit = budget.take(1_000);
        assert_eq!(budget.free(), 0);
        drop(permit);
        assert_eq!(budget.free(), 100);
    }
}
