//! A digest of the store's whole state (every object and the watch log it keeps) that costs only
//! what changed since the last one: each object's digest is kept by its resourceVersion, each
//! event's by its place in the log. The page seals its autosave with this every few seconds;
//! serializing 5,000 pods and 20,000 events each time took most of those seconds.

use std::collections::{BTreeMap, VecDeque};
use std::io::Write;

use super::{ObjectKey, WatchEvent};
use crate::sim::api::Object;
use crate::sim::fnv::Fnv;

/// The digests already taken.
#[derive(Debug, Default)]
pub(super) struct DigestCache {
    /// Per object: the resourceVersion it had and its digest.
    objects: BTreeMap<ObjectKey, (String, u64)>,
    /// Digests of the log's events from the `from`-th ever emitted on.
    events: VecDeque<u64>,
    from: u64,
}

fn object_digest(o: &Object) -> u64 {
    let mut h = Fnv::default();
    let _ = o.write_json(&mut h);
    h.0
}

fn event_digest(e: &WatchEvent) -> u64 {
    let mut h = Fnv::default();
    let _ = write!(h, "{:?} ", e.event_type);
    let _ = e.object.write_json(&mut h);
    h.0
}

impl DigestCache {
    /// The digest of `objects` and of `log` (whose first event is the `log_offset`-th emitted).
    pub(super) fn digest(
        &mut self,
        objects: &BTreeMap<ObjectKey, std::rc::Rc<Object>>,
        log: &[WatchEvent],
        log_offset: u64,
    ) -> u64 {
        // Events dropped from the log's front leave; new ones at its end come in.
        while self.from < log_offset && !self.events.is_empty() {
            self.events.pop_front();
            self.from += 1;
        }
        if self.events.is_empty() {
            self.from = log_offset;
        }
        let known = (self.from + self.events.len() as u64).saturating_sub(log_offset) as usize;
        self.events.extend(log.iter().skip(known).map(event_digest));
        let mut h = Fnv::default();
        h.eat(b"events");
        for d in &self.events {
            h.eat(&d.to_le_bytes());
        }
        h.eat(b"objects");
        for (key, o) in objects {
            let rv = o.metadata.resource_version.as_deref().unwrap_or("");
            let d = match self.objects.get_mut(key) {
                Some((seen, d)) if seen == rv => *d,
                Some(entry) => {
                    *entry = (rv.to_string(), object_digest(o));
                    entry.1
                }
                None => {
                    let d = object_digest(o);
                    self.objects.insert(key.clone(), (rv.to_string(), d));
                    d
                }
            };
            h.eat(&d.to_le_bytes());
        }
        if self.objects.len() != objects.len() {
            self.objects.retain(|k, _| objects.contains_key(k));
        }
        h.0
    }
}
