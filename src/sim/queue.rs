//! The event queue: tasks ordered by due time, then by insertion order.
//!
//! Insertion order breaks ties so that two tasks due at the same instant always run in the
//! order they were scheduled — a `BinaryHeap` alone would not promise that.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::time::SimTime;

/// A priority queue of `T` keyed by (due time, sequence number).
#[derive(Debug, Clone)]
pub struct EventQueue<T> {
    heap: BinaryHeap<Entry<T>>,
    next_seq: u64,
}

#[derive(Debug, Clone)]
struct Entry<T> {
    at: SimTime,
    seq: u64,
    item: T,
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.seq) == (other.at, other.seq)
    }
}
impl<T> Eq for Entry<T> {}
impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Entry<T> {
    /// Reversed, so that the max-heap yields the earliest entry first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

impl<T> Default for EventQueue<T> {
    fn default() -> Self {
        EventQueue { heap: BinaryHeap::new(), next_seq: 0 }
    }
}

impl<T> EventQueue<T> {
    /// An empty queue.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `item`, due at `at`.
    pub fn push(&mut self, at: SimTime, item: T) {
        self.heap.push(Entry { at, seq: self.next_seq, item });
        self.next_seq += 1;
    }

    /// Removes and returns the earliest item due at or before `until`.
    pub fn pop_due(&mut self, until: SimTime) -> Option<(SimTime, T)> {
        if self.heap.peek()?.at > until {
            return None;
        }
        self.heap.pop().map(|e| (e.at, e.item))
    }

    /// When the earliest item is due, if any.
    pub fn next_due(&self) -> Option<SimTime> {
        self.heap.peek().map(|e| e.at)
    }

    /// Number of pending items.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_by_time_then_insertion_order() {
        let mut q = EventQueue::new();
        q.push(SimTime::from_secs(5), "late");
        q.push(SimTime::from_secs(1), "first");
        q.push(SimTime::from_secs(1), "second");
        q.push(SimTime::from_secs(1), "third");
        let until = SimTime::from_secs(10);
        let order: Vec<_> = std::iter::from_fn(|| q.pop_due(until)).map(|(_, s)| s).collect();
        assert_eq!(order, ["first", "second", "third", "late"]);
    }

    #[test]
    fn does_not_pop_items_due_after_the_limit() {
        let mut q = EventQueue::new();
        q.push(SimTime::from_secs(5), 1);
        assert_eq!(q.pop_due(SimTime::from_secs(4)), None);
        assert_eq!(q.next_due(), Some(SimTime::from_secs(5)));
        assert_eq!(q.pop_due(SimTime::from_secs(5)), Some((SimTime::from_secs(5), 1)));
        assert!(q.is_empty());
    }
}
