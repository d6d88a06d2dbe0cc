//! kube-scheduler: a queue of pending pods, one scheduling cycle at a time — filter every
//! node, score the feasible ones, bind to the best — with every decision recorded (node →
//! plugin → verdict and score), the upstream FailedScheduling message, and preemption by
//! priority.
//!
//! The recorded decisions feed the page's "why this node?" table and `kubectl describe`.

pub mod cache;
pub mod intern;
pub mod label_selector;
pub mod plugins;
pub mod record;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::Duration;

use serde_json::{json, Value};

use super::api::Object;
use super::apiserver::Propagation;
use super::events::{self, EventType, Source};
use super::store::{ObjectKey, WatchEvent, WatchEventType};
use super::time::SimTime;
use super::{Sim, Task};
use cache::{Cache, NodeId};
use plugins::{CycleState, PodInfo, Status, FILTERS, SCORES};
pub use record::{fit_error_message, NodeVerdict, SchedulingRecord};
use record::{Examined, Reasons, Record};

const SOURCE: Source<'static> = Source { component: "default-scheduler", host: None };
/// Backoff of a pod that failed to schedule: 1 s doubling to 10 s (upstream defaults).
pub const BACKOFF_INITIAL: Duration = Duration::from_secs(1);
pub const BACKOFF_MAX: Duration = Duration::from_secs(10);
/// Unschedulable pods are retried at least this often even if nothing changes.
pub const MAX_UNSCHEDULABLE: Duration = Duration::from_secs(300);
/// How many recent decisions are kept.
const RECORDS_KEPT: usize = 500;

/// The scheduler's state.
#[derive(Debug, Default)]
pub struct Scheduler {
    pub cache: Cache,
    /// Pods waiting for a cycle: (−priority, arrival, key).
    active: BTreeSet<(i64, u64, ObjectKey)>,
    in_active: BTreeSet<ObjectKey>,
    /// Failed pods: attempts so far, and when the last one was.
    attempts: BTreeMap<ObjectKey, (u32, SimTime)>,
    /// Pods waiting for a cluster change (or MAX_UNSCHEDULABLE).
    unschedulable: BTreeSet<ObjectKey>,
    /// Pods a cluster change moved out of `unschedulable`, waiting out their backoff.
    backing_off: BTreeSet<ObjectKey>,
    arrivals: u64,
    cycle_scheduled: bool,
    next_start_node: usize,
    /// Latest decisions, newest last, compact (see [`latest_record`] for them in words).
    pub records: VecDeque<Record>,
    /// The reason texts the records refer to.
    pub reasons: Reasons,
}

/// Work for the scheduler in the event queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchedulerTask {
    /// Run cycles for the pods in the active queue.
    Cycle,
    /// A backed-off or unschedulable pod may try again.
    Retry(ObjectKey),
}

fn wants_scheduling(p: &Object) -> bool {
    p.field("spec.nodeName").and_then(Value::as_str).is_none_or(str::is_empty)
        && p.field("spec.schedulerName").and_then(Value::as_str).is_none_or(|s| s == "default-scheduler")
        && p.metadata.deletion_timestamp.is_none()
}

/// Keeps the cache current and queues pods that need a node.
pub fn on_event(sim: &mut Sim, ev: &WatchEvent) {
    let o = &ev.object;
    let deleted = ev.event_type == WatchEventType::Deleted;
    match o.kind.as_str() {
        "Node" => {
            // An update that changed none of a node's labels, taints, schedulability or
            // allocatable cannot let a waiting pod fit (upstream's queueing hints skip it):
            // heartbeats and pulled images change none of it. A node removed may (topology
            // spread counts the domains there are).
            let may_help = if deleted {
                sim.scheduler.cache.remove_node(o.name());
                true
            } else {
                sim.scheduler.cache.upsert_node(o)
            };
            if may_help {
                move_all_to_active(sim);
            }
        }
        "Pod" => {
            sim.scheduler.cache.update_pod(o, deleted);
            let key = ObjectKey::of(o);
            if deleted {
                forget(sim, &key);
                // Room was freed: pods waiting for room may fit now.
                if o.field("spec.nodeName").is_some() {
                    move_all_to_active(sim);
                }
            } else if wants_scheduling(o)
                // A pod bound since this event (kube-system's, bound as the cluster is built)
                // needs no cycle.
                && sim.store().get_key(&key).is_none_or(wants_scheduling)
                && !sim.scheduler.unschedulable.contains(&key)
                && !sim.scheduler.attempts.contains_key(&key)
            {
                add_active(sim, o);
            }
        }
        _ => {}
    }
}

fn forget(sim: &mut Sim, key: &ObjectKey) {
    let s = &mut sim.scheduler;
    s.active.retain(|(_, _, k)| k != key);
    s.in_active.remove(key);
    s.attempts.remove(key);
    s.unschedulable.remove(key);
    s.backing_off.remove(key);
}

fn add_active(sim: &mut Sim, pod: &Object) {
    let key = ObjectKey::of(pod);
    if !sim.scheduler.in_active.insert(key.clone()) {
        return;
    }
    let priority = pod.field("spec.priority").and_then(Value::as_i64).unwrap_or(0);
    sim.scheduler.arrivals += 1;
    let arrival = sim.scheduler.arrivals;
    sim.scheduler.active.insert((-priority, arrival, key));
    if !sim.scheduler.cycle_scheduled {
        sim.scheduler.cycle_scheduled = true;
        sim.schedule(Duration::ZERO, Task::Scheduler(SchedulerTask::Cycle));
    }
}

/// kube-scheduler starts again: it forgets what it was doing and queues every pod that still
/// needs a node, as a freshly started scheduler lists them.
pub(crate) fn restart(sim: &mut Sim) {
    let s = &mut sim.scheduler;
    s.active.clear();
    s.in_active.clear();
    s.attempts.clear();
    s.unschedulable.clear();
    s.backing_off.clear();
    s.cycle_scheduled = false;
    let pending: Vec<Object> = sim.store().list("Pod", None).filter(|p| wants_scheduling(p)).cloned().collect();
    for p in &pending {
        add_active(sim, p);
    }
}

/// A cluster change may let waiting pods fit: each tries again once its backoff is over. A
/// pod moved already waits out its backoff (upstream's backoff queue) and is not moved again,
/// so a burst of changes costs one retry per waiting pod, not one per change.
fn move_all_to_active(sim: &mut Sim) {
    let now = sim.now();
    let s = &mut sim.scheduler;
    let waiting: Vec<(ObjectKey, SimTime)> = std::mem::take(&mut s.unschedulable)
        .into_iter()
        .map(|k| {
            let due = s.attempts.get(&k).map_or(now, |(n, last)| *last + backoff(*n));
            (k, due.max(now))
        })
        .collect();
    for (key, due) in waiting {
        sim.scheduler.backing_off.insert(key.clone());
        sim.schedule(due.since(now), Task::Scheduler(SchedulerTask::Retry(key)));
    }
}

/// Runs scheduler work from the event queue.
pub fn run(sim: &mut Sim, task: SchedulerTask) {
    match task {
        SchedulerTask::Cycle => {
            sim.scheduler.cycle_scheduled = false;
            while let Some(entry) = sim.scheduler.active.pop_first() {
                sim.scheduler.in_active.remove(&entry.2);
                schedule_one(sim, &entry.2);
            }
        }
        SchedulerTask::Retry(key) => {
            let waiting = sim.scheduler.unschedulable.remove(&key);
            if sim.scheduler.backing_off.remove(&key) || waiting {
                if let Some(p) = sim.store().get_key(&key).cloned() {
                    if wants_scheduling(&p) {
                        add_active(sim, &p);
                    }
                }
            }
        }
    }
}

/// How many feasible nodes to look for before scoring (upstream `numFeasibleNodesToFind`
/// with the adaptive percentage: 50% minus 1% per 125 nodes, at least 5%, at least 100).
pub fn feasible_nodes_to_find(total: usize) -> usize {
    if total < 100 {
        return total;
    }
    let pct = (50 - total as i64 / 125).max(5) as usize;
    (total * pct / 100).max(100)
}

/// One scheduling cycle for one pod: PreFilter, Filter from the rotating start until enough
/// feasible nodes are found, Score and NormalizeScore, selectHost, then bind (or fail).
pub fn schedule_one(sim: &mut Sim, key: &ObjectKey) {
    let Some(pod) = sim.store().get_key(key).cloned() else { return };
    if !wants_scheduling(&pod) {
        return;
    }
    let info = PodInfo::of(&pod, &mut sim.scheduler.cache.syms).with_volumes(sim.store(), &pod);
    let scheduler = &mut sim.scheduler;
    let (cache, reasons) = (&scheduler.cache, &mut scheduler.reasons);
    let state = CycleState::pre_filter(&info, cache);
    let total = cache.len();
    let want = feasible_nodes_to_find(total);
    let start = if total == 0 { 0 } else { scheduler.next_start_node % total };
    // Walk the nodes from the rotating start, as upstream does.
    let (after, before) = cache.order().split_at(start);
    let mut record = Record {
        pod: key.clone(),
        at: SimTime::default(),
        examined: Vec::with_capacity(want.min(total)),
        reasons: Vec::new(),
        raw_scores: Vec::new(),
        winner: None,
        message: None,
    };
    let mut feasible: Vec<&cache::NodeInfo> = Vec::with_capacity(want.min(total));
    for &id in before.iter().chain(after) {
        if feasible.len() >= want {
            break;
        }
        let Some(node) = cache.node(id) else { continue };
        let refused_by = state.run_filters(node, &mut Status::new(reasons, &mut record.reasons));
        if refused_by.is_none() {
            feasible.push(node);
        }
        let reasons_end = record.reasons.len() as u32;
        record.examined.push(Examined { node: id, refused_by: refused_by.map(|f| f as u8), reasons_end });
    }
    let examined = record.examined.len();
    // Score: raw scores node by node; the totals come from each plugin's normalized column.
    let n = SCORES.len();
    record.raw_scores = Vec::with_capacity(feasible.len() * n);
    for node in &feasible {
        record.raw_scores.extend(SCORES.iter().map(|(plugin, _)| plugin.score(&state, node)));
    }
    let normalized = record.normalized_scores();
    let totals: Vec<i64> = normalized
        .chunks(n.max(1))
        .map(|row| row.iter().zip(SCORES).map(|(s, (_, w))| s * w).sum())
        .take(feasible.len())
        .collect();
    let feasible_ids: Vec<NodeId> = feasible.iter().map(|n| n.id).collect();
    drop(state);
    sim.scheduler.next_start_node = (start + examined) % total.max(1);
    record.at = sim.now();
    if feasible_ids.is_empty() {
        fail(sim, &pod, &info, record);
        return;
    }
    // selectHost: the best total; ties broken at random (reservoir sampling).
    let best = totals.iter().copied().max().unwrap_or(0);
    let mut winner = None;
    let mut seen = 0u64;
    for (&id, &t) in feasible_ids.iter().zip(&totals) {
        if t == best {
            seen += 1;
            if sim.rng_mut().below(seen) == 0 {
                winner = Some(id);
            }
        }
    }
    let winner = winner.expect("a feasible node exists");
    record.winner = Some(winner);
    let winner_name = sim.scheduler.cache.name(winner).to_string();
    keep(sim, record);
    bind(sim, pod, &winner_name);
}

fn keep(sim: &mut Sim, r: Record) {
    let records = &mut sim.scheduler.records;
    if records.len() >= RECORDS_KEPT {
        records.pop_front();
    }
    records.push_back(r);
}

/// The latest decision about a pod, in words.
pub fn latest_record(sim: &Sim, key: &ObjectKey) -> Option<SchedulingRecord> {
    let s = &sim.scheduler;
    s.records.iter().rev().find(|r| &r.pod == key).map(|r| r.expand(&s.cache, &s.reasons))
}

/// The scheduler's most recent decision, in words.
pub fn last_record(sim: &Sim) -> Option<SchedulingRecord> {
    let s = &sim.scheduler;
    s.records.back().map(|r| r.expand(&s.cache, &s.reasons))
}

/// When the most recent decision was made (cheap: nothing is put in words).
pub fn last_record_at(sim: &Sim) -> Option<SimTime> {
    sim.scheduler.records.back().map(|r| r.at)
}

/// Binding: the pod gets its node, the PodScheduled condition and the Scheduled event.
pub(crate) fn bind(sim: &mut Sim, mut pod: Object, node: &str) {
    let key = ObjectKey::of(&pod);
    sim.scheduler.attempts.remove(&key);
    let now = sim.now().to_rfc3339();
    if let Some(spec) = pod.body.get_mut("spec") {
        spec["nodeName"] = json!(node);
    }
    let status = pod.body.entry("status").or_insert_with(|| json!({}));
    status["phase"] = json!("Pending");
    if let Some(m) = status.as_object_mut() {
        m.remove("nominatedNodeName");
    }
    let conds = status.as_object_mut().expect("status object").entry("conditions").or_insert_with(|| json!([]));
    if let Some(list) = conds.as_array_mut() {
        list.retain(|c| c["type"] != "PodScheduled");
        list.push(json!({"type": "PodScheduled", "status": "True", "lastProbeTime": null, "lastTransitionTime": now}));
    }
    pod.metadata.resource_version = None;
    if let Ok(bound) = sim.store_update(pod) {
        // Assume the pod on its node at once, so the next cycle sees it (upstream `assume`).
        sim.scheduler.cache.update_pod(&bound, false);
        let msg = format!("Successfully assigned {}/{} to {node}", key.namespace, key.name);
        events::record(sim, &bound, None, EventType::Normal, "Scheduled", &msg, SOURCE);
    }
}

/// Whether evicting pods could ever help on a node refused by this filter.
fn preemption_may_help(refused_by: Option<u8>) -> bool {
    refused_by.is_none_or(|f| {
        let name = FILTERS[f as usize].name();
        name == plugins::NODE_RESOURCES_FIT || name == plugins::NODE_PORTS || name == plugins::INTER_POD_AFFINITY
    })
}

fn fail(sim: &mut Sim, pod: &Object, info: &PodInfo, mut record: Record) {
    let key = ObjectKey::of(pod);
    let total = sim.scheduler.cache.len();
    let mut message = fit_error_message(total, &record, &sim.scheduler.reasons);
    let may_preempt = pod.field("spec.preemptionPolicy").and_then(Value::as_str) != Some("Never");
    if may_preempt {
        match preempt(sim, info, &record) {
            Some((node, victims)) => {
                nominate(sim, pod, &node);
                for v in victims {
                    let msg = format!("Preempted by pod {} on node {node}", pod.uid());
                    events::record(sim, &v, None, EventType::Normal, "Preempted", &msg, SOURCE);
                    let _ = sim.delete("Pod", v.namespace(), v.name(), Propagation::Background);
                }
            }
            None => {
                let not_helpful = record.examined.iter().filter(|e| !preemption_may_help(e.refused_by)).count();
                let no_victims = record.examined.len() - not_helpful;
                let mut parts = Vec::new();
                if not_helpful > 0 {
                    parts.push(format!("{not_helpful} Preemption is not helpful for scheduling"));
                }
                if no_victims > 0 {
                    parts.push(format!("{no_victims} No preemption victims found for incoming pod"));
                }
                parts.sort();
                message = format!("{message} preemption: 0/{total} nodes are available: {}.", parts.join(", "));
            }
        }
    }
    record.message = Some(message.clone());
    keep(sim, record);
    events::record(sim, pod, None, EventType::Warning, "FailedScheduling", &message, SOURCE);
    set_unschedulable(sim, pod, &message);
    // Retry after the pod's backoff if something changes, or after MAX_UNSCHEDULABLE anyway.
    let now = sim.now();
    let attempts = sim.scheduler.attempts.entry(key.clone()).or_insert((0, now));
    *attempts = (attempts.0 + 1, now);
    sim.scheduler.unschedulable.insert(key.clone());
    sim.schedule(MAX_UNSCHEDULABLE, Task::Scheduler(SchedulerTask::Retry(key)));
}

/// Backoff after `attempts` failures: 1 s, 2 s, 4 s, 8 s, then 10 s.
pub fn backoff(attempts: u32) -> Duration {
    let secs = 1u64 << attempts.saturating_sub(1).min(4);
    Duration::from_secs(secs).min(BACKOFF_MAX).max(BACKOFF_INITIAL)
}

fn set_unschedulable(sim: &mut Sim, pod: &Object, message: &str) {
    let Some(mut current) = sim.store().get_key(&ObjectKey::of(pod)).cloned() else { return };
    let now = sim.now().to_rfc3339();
    let status = current.body.entry("status").or_insert_with(|| json!({}));
    status["phase"] = json!("Pending");
    let conds = status.as_object_mut().expect("status object").entry("conditions").or_insert_with(|| json!([]));
    let Some(list) = conds.as_array_mut() else { return };
    let transition = list
        .iter()
        .find(|c| c["type"] == "PodScheduled" && c["status"] == "False")
        .map(|c| c["lastTransitionTime"].clone())
        .unwrap_or(json!(now));
    list.retain(|c| c["type"] != "PodScheduled");
    list.push(json!({"type": "PodScheduled", "status": "False", "reason": "Unschedulable", "message": message,
                     "lastProbeTime": null, "lastTransitionTime": transition}));
    current.metadata.resource_version = None;
    let _ = sim.store_update(current);
}

fn nominate(sim: &mut Sim, pod: &Object, node: &str) {
    let Some(mut current) = sim.store().get_key(&ObjectKey::of(pod)).cloned() else { return };
    current.body.entry("status").or_insert_with(|| json!({}))["nominatedNodeName"] = json!(node);
    current.metadata.resource_version = None;
    let _ = sim.store_update(current);
}

/// DefaultPreemption: on nodes where only resources (or ports, or anti-affinity) stood in the
/// way, remove lower-priority pods, lowest first, until the pod fits; pick the node whose
/// victims have the lowest highest priority, then the fewest victims.
fn preempt(sim: &mut Sim, info: &PodInfo, record: &Record) -> Option<(String, Vec<Object>)> {
    let scheduler = &mut sim.scheduler;
    let (cache, reasons) = (&scheduler.cache, &mut scheduler.reasons);
    let store = &sim.store;
    let state = CycleState::pre_filter(info, cache);
    let mut best: Option<(i64, usize, String, Vec<Object>)> = None;
    for e in record.examined.iter().filter(|e| preemption_may_help(e.refused_by)) {
        let node = cache.node(e.node)?;
        let mut lower: Vec<(i64, ObjectKey)> = node
            .pods
            .iter()
            .filter(|(_, r)| r.priority < info.requests.priority)
            .map(|(k, r)| (r.priority, k.clone()))
            .collect();
        // No lower-priority pod here: nothing to evict, and no copy of the node to try on.
        if lower.is_empty() {
            continue;
        }
        lower.sort();
        let mut trial = node.clone();
        let mut victims = Vec::new();
        for (_, k) in lower {
            if state.fits(&trial, reasons) {
                break;
            }
            trial.remove(&k);
            if let Some(p) = store.get_key(&k) {
                victims.push(p.clone());
            }
        }
        if victims.is_empty() || !state.fits(&trial, reasons) {
            continue;
        }
        let top =
            victims.iter().map(|p| p.field("spec.priority").and_then(Value::as_i64).unwrap_or(0)).max().unwrap_or(0);
        let candidate = (top, victims.len(), node.name.clone(), victims);
        if best.as_ref().is_none_or(|b| (candidate.0, candidate.1) < (b.0, b.1)) {
            best = Some(candidate);
        }
    }
    best.map(|(_, _, node, victims)| (node, victims))
}

#[cfg(test)]
mod tests;
