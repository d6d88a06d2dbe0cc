//! The controllers' work queue (upstream `client-go/util/workqueue`): keys waiting to be
//! reconciled, each at most once; keys waiting for a later instant (`AddAfter`), the earliest
//! wait kept; and the per-item exponential back-off of failed reconciles (`AddRateLimited`).
//!
//! Pure bookkeeping: it never schedules anything itself. Its callers (in
//! [`super`](crate::sim::controllers)) turn "schedule a sync" answers into simulator tasks, so
//! that every requeue of every controller passes through here and is deduplicated.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::sim::store::ObjectKey;
use crate::sim::time::SimTime;

use super::Controller;

/// The first retry after a failure (upstream `DefaultTypedControllerRateLimiter`: 5 ms).
pub const BASE_DELAY: Duration = Duration::from_millis(5);
/// The longest wait between retries (upstream: 1000 s).
pub const MAX_DELAY: Duration = Duration::from_secs(1000);

/// One queued item: which controller, which object.
pub type Item = (Controller, ObjectKey);

/// Keys waiting for their reconcile, now or later, and their failure counts.
#[derive(Debug, Default)]
pub struct WorkQueue {
    /// Queued to run as soon as a worker is free (upstream's dirty set).
    dirty: BTreeSet<Item>,
    /// Queued to run at an instant (upstream's delaying queue); the earliest wait wins.
    waiting: BTreeMap<Item, SimTime>,
    /// How many times in a row each item's reconcile failed.
    failures: BTreeMap<Item, u32>,
}

impl WorkQueue {
    /// Queues `item` to run now. True when it was not queued yet: a sync must be scheduled.
    pub fn add(&mut self, item: Item) -> bool {
        self.dirty.insert(item)
    }

    /// Queues `item` to run at `at`. True when a sync must be scheduled at `at`: the item is
    /// not queued to run now, nor waiting for an instant at or before `at`.
    pub fn add_at(&mut self, item: Item, at: SimTime) -> bool {
        if self.dirty.contains(&item) || self.waiting.get(&item).is_some_and(|w| *w <= at) {
            return false;
        }
        self.waiting.insert(item, at);
        true
    }

    /// Counts a failure of `item` and says how long to wait before retrying it: 5 ms, doubling
    /// with each failure in a row, at most 1000 s.
    pub fn next_backoff(&mut self, item: &Item) -> Duration {
        let n = self.failures.entry(item.clone()).or_insert(0);
        let delay = BASE_DELAY.saturating_mul(2u32.saturating_pow((*n).min(31))).min(MAX_DELAY);
        *n += 1;
        delay
    }

    /// Forgets `item`'s failures (its reconcile succeeded): the next failure waits 5 ms again.
    pub fn forget(&mut self, item: &Item) {
        self.failures.remove(item);
    }

    /// How many times in a row `item` failed.
    pub fn num_requeues(&self, item: &Item) -> u32 {
        self.failures.get(item).copied().unwrap_or(0)
    }

    /// A scheduled sync of `item` came due at `now`: takes it off the queue and says whether it
    /// should run. A sync whose item was already run (deduplicated) or whose wait moved later is
    /// stale and does not run.
    pub fn take(&mut self, item: &Item, now: SimTime) -> bool {
        let queued = self.dirty.remove(item);
        let due = self.waiting.get(item).is_some_and(|w| *w <= now);
        if due || queued {
            self.waiting.remove(item);
        }
        queued || due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str) -> Item {
        (
            Controller("replicaset"),
            ObjectKey { kind: "ReplicaSet".into(), namespace: "default".into(), name: name.into() },
        )
    }

    #[test]
    fn a_key_added_twice_before_it_runs_runs_once() {
        let mut q = WorkQueue::default();
        assert!(q.add(item("a")));
        assert!(!q.add(item("a")));
        assert!(q.take(&item("a"), SimTime::ZERO));
        assert!(!q.take(&item("a"), SimTime::ZERO), "the second scheduled sync is stale");
        assert!(q.add(item("a")), "after it ran it can be queued again");
    }

    #[test]
    fn the_earliest_wait_wins_and_a_later_one_is_dropped() {
        let mut q = WorkQueue::default();
        assert!(q.add_at(item("a"), SimTime::from_secs(10)));
        assert!(!q.add_at(item("a"), SimTime::from_secs(20)));
        assert!(q.add_at(item("a"), SimTime::from_secs(5)));
        // The sync scheduled for 5 s runs; the one for 10 s then finds nothing waiting.
        assert!(q.take(&item("a"), SimTime::from_secs(5)));
        assert!(!q.take(&item("a"), SimTime::from_secs(10)));
    }

    #[test]
    fn a_wait_is_not_taken_before_it_is_due() {
        let mut q = WorkQueue::default();
        q.add_at(item("a"), SimTime::from_secs(5));
        assert!(q.add_at(item("b"), SimTime::from_secs(5)));
        assert!(!q.take(&item("a"), SimTime::from_secs(4)));
        assert!(q.take(&item("a"), SimTime::from_secs(5)));
    }

    #[test]
    fn a_key_queued_now_needs_no_timed_sync() {
        let mut q = WorkQueue::default();
        q.add(item("a"));
        assert!(!q.add_at(item("a"), SimTime::from_secs(5)));
    }

    #[test]
    fn back_off_doubles_from_five_milliseconds_to_a_thousand_seconds_and_resets_on_success() {
        let mut q = WorkQueue::default();
        let a = item("a");
        let delays: Vec<Duration> = (0..4).map(|_| q.next_backoff(&a)).collect();
        assert_eq!(delays, [5, 10, 20, 40].map(Duration::from_millis));
        assert_eq!(q.num_requeues(&a), 4);
        for _ in 0..40 {
            q.next_backoff(&a);
        }
        assert_eq!(q.next_backoff(&a), MAX_DELAY);
        assert_eq!(q.next_backoff(&item("b")), BASE_DELAY, "each item backs off on its own");
        q.forget(&a);
        assert_eq!(q.next_backoff(&a), BASE_DELAY);
    }
}
