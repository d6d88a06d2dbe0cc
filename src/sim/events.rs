//! Events (core/v1 `Event`): what components report about objects, with upstream reasons and
//! messages. Repeats of the same reason and message about the same object are aggregated into
//! one Event whose `count` grows, as upstream's event recorder does; Events expire after an
//! hour (the API server's default `--event-ttl`).

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use serde_json::json;

use super::api::Object;
use super::store::{self, ObjectKey};
use super::time::{SimTime, EPOCH_UNIX_SECS};
use super::Sim;

/// How long an Event lives (upstream `--event-ttl`).
pub const EVENT_TTL: Duration = Duration::from_secs(3600);

/// At most this many Events are kept; the oldest go first.
// SIM: a real cluster keeps any number for an hour; the sandbox bounds them to stay small.
pub const MAX_EVENTS: usize = 5000;

/// `Normal` or `Warning`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Normal,
    Warning,
}

impl EventType {
    fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// Who reports: `default-scheduler`, `kubelet` on a host, `deployment-controller`, …
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source<'a> {
    pub component: &'a str,
    pub host: Option<&'a str>,
}

/// The recorder's memory: which Event each (object, reason, message) went to, and creation order.
#[derive(Debug, Default)]
pub struct Recorder {
    by_subject: BTreeMap<(String, String, String), ObjectKey>,
    order: VecDeque<(SimTime, ObjectKey, (String, String, String))>,
    seq: u64,
}

/// Records an event about `involved`; `field_path` names a container (`spec.containers{web}`).
pub fn record(
    sim: &mut Sim,
    involved: &Object,
    field_path: Option<&str>,
    ty: EventType,
    reason: &str,
    message: &str,
    source: Source,
) {
    let now = sim.now();
    expire(sim, now);
    let subject = (format!("{}/{}", involved.uid(), field_path.unwrap_or("")), reason.to_string(), message.to_string());
    if let Some(key) = sim.recorder.by_subject.get(&subject).cloned() {
        if let Some(mut ev) = sim.store().get_key(&key).cloned() {
            let count = ev.body.get("count").and_then(|c| c.as_i64()).unwrap_or(1) + 1;
            ev.body.insert("count".into(), json!(count));
            ev.body.insert("lastTimestamp".into(), json!(now.to_rfc3339()));
            ev.metadata.resource_version = None;
            let _ = sim.store_update(ev);
            return;
        }
    }
    sim.recorder.seq += 1;
    // Upstream names an event `<object>.<unix nanoseconds in hex>`.
    let nanos =
        (u128::from(EPOCH_UNIX_SECS) * 1000 + u128::from(now.as_millis())) * 1_000_000 + u128::from(sim.recorder.seq);
    let name = format!("{}.{:x}", involved.name(), nanos);
    let mut ev = Object::new("v1", "Event", &name);
    ev.metadata.namespace = Some(involved.namespace().unwrap_or("default").to_string());
    let mut involved_ref = json!({
        "apiVersion": involved.api_version, "kind": involved.kind, "name": involved.name(), "uid": involved.uid(),
    });
    if let Some(ns) = involved.namespace() {
        involved_ref["namespace"] = json!(ns);
    }
    if let Some(rv) = &involved.metadata.resource_version {
        involved_ref["resourceVersion"] = json!(rv);
    }
    if let Some(fp) = field_path {
        involved_ref["fieldPath"] = json!(fp);
    }
    let mut src = json!({"component": source.component});
    if let Some(h) = source.host {
        src["host"] = json!(h);
    }
    for (k, v) in [
        ("involvedObject", involved_ref),
        ("reason", json!(reason)),
        ("message", json!(message)),
        ("type", json!(ty.as_str())),
        ("count", json!(1)),
        ("firstTimestamp", json!(now.to_rfc3339())),
        ("lastTimestamp", json!(now.to_rfc3339())),
        ("source", src),
        ("reportingComponent", json!(source.component)),
        ("reportingInstance", json!(source.host.unwrap_or(""))),
        ("eventTime", serde_json::Value::Null),
    ] {
        ev.body.insert(k.into(), v);
    }
    if let Ok(created) = sim.store_create(ev, true) {
        let key = ObjectKey::of(&created);
        sim.recorder.by_subject.insert(subject.clone(), key.clone());
        sim.recorder.order.push_back((now, key, subject));
    }
}

/// Deletes Events past their TTL, and the oldest beyond [`MAX_EVENTS`].
fn expire(sim: &mut Sim, now: SimTime) {
    while let Some((at, _, _)) = sim.recorder.order.front() {
        if now.since(*at) < EVENT_TTL && sim.recorder.order.len() < MAX_EVENTS {
            break;
        }
        let (_, key, subject) = sim.recorder.order.pop_front().expect("front exists");
        let _ = sim.store_delete(&key.kind, Some(&key.namespace), &key.name);
        sim.recorder.by_subject.remove(&subject);
    }
}

/// Events about the object with `uid`, oldest first (for `kubectl describe`).
pub fn about(sim: &Sim, uid: &str) -> Vec<Object> {
    let mut evs: Vec<Object> = sim
        .store()
        .list("Event", None)
        .filter(|e| e.field("involvedObject.uid").and_then(|u| u.as_str()) == Some(uid))
        .cloned()
        .collect();
    evs.sort_by_key(|e| e.metadata.creation_timestamp.as_ref().map(|t| t.0));
    evs
}

/// `metav1.Time` of `at`, re-exported for components writing status.
pub fn time(at: SimTime) -> k8s_openapi::apimachinery::pkg::apis::meta::v1::Time {
    store::time(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimConfig;

    #[test]
    fn repeated_event_is_aggregated_with_a_count() {
        let mut sim = Sim::new(SimConfig::default());
        let node = sim.store().get("Node", None, "node-1").unwrap().clone();
        let src = Source { component: "kubelet", host: Some("node-1") };
        record(&mut sim, &node, None, EventType::Normal, "Rebooted", "Node node-1 has been rebooted", src);
        sim.advance(Duration::from_secs(30));
        record(&mut sim, &node, None, EventType::Normal, "Rebooted", "Node node-1 has been rebooted", src);
        let evs: Vec<_> = about(&sim, node.uid()).into_iter().filter(|e| e.body["reason"] == "Rebooted").collect();
        assert_eq!(evs.len(), 1);
        assert_eq!(evs[0].body["count"], 2);
        assert_eq!(evs[0].body["firstTimestamp"], "2025-01-01T00:00:00Z");
        assert_eq!(evs[0].body["lastTimestamp"], "2025-01-01T00:00:30Z");
        assert_eq!(evs[0].namespace(), Some("default"));
    }

    #[test]
    fn events_expire_after_an_hour() {
        let mut sim = Sim::new(SimConfig::default());
        let node = sim.store().get("Node", None, "node-1").unwrap().clone();
        let src = Source { component: "kubelet", host: Some("node-1") };
        record(&mut sim, &node, None, EventType::Normal, "A", "first", src);
        sim.advance(Duration::from_secs(3601));
        record(&mut sim, &node, None, EventType::Normal, "B", "second", src);
        let reasons: Vec<_> = about(&sim, node.uid()).iter().map(|e| e.body["reason"].clone()).collect();
        assert_eq!(reasons, [json!("B")], "the node's start-up events and A expired");
    }
}
