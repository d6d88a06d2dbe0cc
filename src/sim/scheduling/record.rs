//! Decisions as the scheduler records them: compact (node ids, the filter that refused each
//! node with reason codes, raw scores), and expanded into text only when someone looks (the
//! page's decision table, `kubectl describe`), so that recording costs little at 5,000 nodes.

use std::collections::BTreeMap;

use super::cache::{Cache, NodeId};
use super::plugins::{FILTERS, SCORES};
use crate::sim::store::ObjectKey;
use crate::sim::time::SimTime;

/// A filter's reason, as an index into [`Reasons`].
pub type ReasonId = u32;

/// The fixed reasons, at their ids in every [`Reasons`] table.
pub mod reason {
    use super::ReasonId;

    pub const UNSCHEDULABLE: ReasonId = 0;
    pub const NODE_AFFINITY: ReasonId = 1;
    pub const NODE_PORTS: ReasonId = 2;
    pub const TOO_MANY_PODS: ReasonId = 3;
    pub const INSUFFICIENT_CPU: ReasonId = 4;
    pub const INSUFFICIENT_MEMORY: ReasonId = 5;
    pub const VOLUME_CONFLICT: ReasonId = 6;
    pub const SPREAD_MISSING_LABEL: ReasonId = 7;
    pub const SPREAD: ReasonId = 8;
    pub const ANTI_AFFINITY: ReasonId = 9;
    pub const AFFINITY: ReasonId = 10;

    /// Their texts, in upstream words.
    pub(super) const TEXTS: [&str; 11] = [
        "node(s) were unschedulable",
        "node(s) didn't match Pod's node affinity/selector",
        "node(s) didn't have free ports for the requested pod ports",
        "Too many pods",
        "Insufficient cpu",
        "Insufficient memory",
        "node(s) had volume node affinity conflict",
        "node(s) didn't match pod topology spread constraints (missing required label)",
        "node(s) didn't match pod topology spread constraints",
        "node(s) didn't match pod anti-affinity rules",
        "node(s) didn't match pod affinity rules",
    ];
}

/// Reason texts by id: the fixed ones, then those made of what pods and nodes hold (a taint,
/// a claim's name), added as they first occur.
#[derive(Debug)]
pub struct Reasons {
    ids: BTreeMap<String, ReasonId>,
    texts: Vec<String>,
}

impl Default for Reasons {
    fn default() -> Reasons {
        let mut r = Reasons { ids: BTreeMap::new(), texts: Vec::new() };
        for t in reason::TEXTS {
            r.intern(t);
        }
        r
    }
}

impl Reasons {
    /// The id of a reason text, made if new.
    pub fn intern(&mut self, text: &str) -> ReasonId {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.texts.len() as ReasonId;
        self.texts.push(text.to_string());
        self.ids.insert(text.to_string(), id);
        id
    }

    pub fn text(&self, id: ReasonId) -> &str {
        &self.texts[id as usize]
    }
}

/// One examined node in a compact record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Examined {
    pub node: NodeId,
    /// The index in FILTERS of the filter that refused the node, or None if it passed all.
    pub refused_by: Option<u8>,
    /// Where this node's reasons end in `Record::reasons` (they start where the previous
    /// node's end).
    pub reasons_end: u32,
}

/// One scheduling attempt of one pod, compact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub pod: ObjectKey,
    pub at: SimTime,
    /// The nodes examined, in the order the cycle walked them.
    pub examined: Vec<Examined>,
    /// Reasons of the refused nodes, one after another.
    pub reasons: Vec<ReasonId>,
    /// Raw scores of the feasible nodes (in `examined` order), SCORES.len() per node.
    pub raw_scores: Vec<i64>,
    /// The chosen node, or None.
    pub winner: Option<NodeId>,
    /// The FailedScheduling message when there is no winner.
    pub message: Option<String>,
}

impl Record {
    /// The reasons of the `i`-th examined node.
    pub fn reasons_of(&self, i: usize) -> &[ReasonId] {
        let start = if i == 0 { 0 } else { self.examined[i - 1].reasons_end as usize };
        &self.reasons[start..self.examined[i].reasons_end as usize]
    }

    /// The normalized scores of the feasible nodes (in `examined` order), SCORES.len() per
    /// node: each plugin's NormalizeScore over its raw scores.
    pub fn normalized_scores(&self) -> Vec<i64> {
        let n = SCORES.len();
        let mut out = self.raw_scores.clone();
        for (j, (plugin, _)) in SCORES.iter().enumerate() {
            let mut column: Vec<i64> = self.raw_scores.iter().skip(j).step_by(n).copied().collect();
            plugin.normalize(&mut column);
            for (k, v) in column.into_iter().enumerate() {
                out[k * n + j] = v;
            }
        }
        out
    }

    /// The decision in words, node by node.
    pub fn expand(&self, cache: &Cache, reasons: &Reasons) -> SchedulingRecord {
        let n = SCORES.len();
        let normalized = self.normalized_scores();
        let mut feasible = 0;
        let nodes = self
            .examined
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let ran = e.refused_by.map_or(FILTERS.len(), |f| f as usize + 1);
                let mut filters: Vec<(&'static str, Vec<String>)> =
                    FILTERS[..ran].iter().map(|f| (f.name(), Vec::new())).collect();
                let mut scores = Vec::new();
                let mut total = 0;
                if e.refused_by.is_some() {
                    if let Some(last) = filters.last_mut() {
                        last.1 = self.reasons_of(i).iter().map(|&r| reasons.text(r).to_string()).collect();
                    }
                } else {
                    for (j, (plugin, weight)) in SCORES.iter().enumerate() {
                        let (raw, norm) = (self.raw_scores[feasible * n + j], normalized[feasible * n + j]);
                        scores.push((plugin.name(), raw, norm, *weight));
                        total += norm * weight;
                    }
                    feasible += 1;
                }
                NodeVerdict { node: cache.name(e.node).to_string(), filters, scores, total }
            })
            .collect();
        SchedulingRecord {
            pod: self.pod.clone(),
            at: self.at,
            nodes,
            winner: self.winner.map(|w| cache.name(w).to_string()),
            message: self.message.clone(),
        }
    }
}

/// One node's part in one decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeVerdict {
    pub node: String,
    /// Filter plugins run, in order, with their failure reasons (empty: passed).
    pub filters: Vec<(&'static str, Vec<String>)>,
    /// Score plugins: (name, raw, normalized, weight). Empty if a filter failed.
    pub scores: Vec<(&'static str, i64, i64, i64)>,
    pub total: i64,
}

/// One scheduling attempt of one pod, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchedulingRecord {
    pub pod: ObjectKey,
    pub at: SimTime,
    pub nodes: Vec<NodeVerdict>,
    /// The chosen node, or None.
    pub winner: Option<String>,
    /// The FailedScheduling message when there is no winner.
    pub message: Option<String>,
}

/// `0/4 nodes are available: 1 node(s) had untolerated taint {…}, 3 Insufficient cpu.` —
/// each reason with how many nodes gave it, sorted as upstream sorts them.
pub fn fit_error_message(total_nodes: usize, record: &Record, reasons: &Reasons) -> String {
    let mut histogram: BTreeMap<ReasonId, usize> = BTreeMap::new();
    for r in &record.reasons {
        *histogram.entry(*r).or_default() += 1;
    }
    let mut parts: Vec<String> = histogram.into_iter().map(|(r, n)| format!("{n} {}", reasons.text(r))).collect();
    parts.sort();
    format!("0/{total_nodes} nodes are available: {}.", parts.join(", "))
}
