//! PodTopologySpread: required constraints (`whenUnsatisfiable: DoNotSchedule`) refuse a node
//! whose domain would exceed `maxSkew` over the least-loaded domain; the score spreads pods
//! with the same labels across hostnames (the default soft constraint).
//!
//! PreFilter counts the matching pods per domain once per attempt, as upstream does.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{CycleState, FilterPlugin, PodInfo, ScorePlugin, Status, POD_TOPOLOGY_SPREAD};
use crate::sim::scheduling::cache::{Cache, NodeInfo};
use crate::sim::scheduling::intern::{Interner, Sym};
use crate::sim::scheduling::label_selector::Selector;
use crate::sim::scheduling::record::reason;

pub struct PodTopologySpread;

/// One required constraint, compiled.
#[derive(Debug, Clone)]
pub struct Constraint {
    pub topology_key: Sym,
    pub max_skew: i64,
    pub selector: Selector,
}

impl Constraint {
    /// The pod's DoNotSchedule constraints.
    pub fn required_of(spec: &Value, syms: &mut Interner) -> Vec<Constraint> {
        spec["topologySpreadConstraints"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["whenUnsatisfiable"].as_str().unwrap_or("DoNotSchedule") == "DoNotSchedule")
            .map(|c| Constraint {
                topology_key: syms.intern(c["topologyKey"].as_str().unwrap_or("")),
                max_skew: c["maxSkew"].as_i64().unwrap_or(1),
                selector: Selector::compile(&c["labelSelector"], syms),
            })
            .collect()
    }

    /// PreFilter: matching pods (same namespace) per domain of the topology key, over every
    /// node that has the key.
    pub fn count(&self, pod: &PodInfo, cache: &Cache) -> DomainCounts {
        let mut counts: BTreeMap<Sym, i64> = BTreeMap::new();
        for n in cache.nodes() {
            if let Some(d) = n.label_syms.get(self.topology_key) {
                let matching = n
                    .pods
                    .values()
                    .filter(|r| r.namespace == pod.namespace && self.selector.matches(&r.labels))
                    .count() as i64;
                *counts.entry(d).or_default() += matching;
            }
        }
        let min = counts.values().copied().min().unwrap_or(0);
        DomainCounts { counts, min }
    }
}

/// Matching pods per domain, and the least of them.
#[derive(Debug, Clone, Default)]
pub struct DomainCounts {
    counts: BTreeMap<Sym, i64>,
    min: i64,
}

impl FilterPlugin for PodTopologySpread {
    fn name(&self) -> &'static str {
        POD_TOPOLOGY_SPREAD
    }

    fn filter(&self, state: &CycleState, node: &NodeInfo, status: &mut Status) {
        for (c, counts) in state.pod.spread_constraints.iter().zip(&state.spread) {
            let Some(domain) = node.label_syms.get(c.topology_key) else {
                status.fail(reason::SPREAD_MISSING_LABEL);
                return;
            };
            let here = counts.counts.get(&domain).copied().unwrap_or(0) + 1;
            if here - counts.min > c.max_skew {
                status.fail(reason::SPREAD);
                return;
            }
        }
    }
}

impl ScorePlugin for PodTopologySpread {
    fn name(&self) -> &'static str {
        POD_TOPOLOGY_SPREAD
    }

    /// The default soft constraint: pods of the same kind (same namespace, a superset of the
    /// labels) already on the node.
    fn score(&self, state: &CycleState, node: &NodeInfo) -> i64 {
        let pod = state.pod;
        if pod.labels.is_empty() {
            return 0;
        }
        node.pods.values().filter(|r| r.namespace == pod.namespace && pod.labels.is_subset_of(&r.labels)).count() as i64
    }

    /// Fewer matching pods already there is better.
    fn normalize(&self, raw: &mut [i64]) {
        let max = raw.iter().copied().max().unwrap_or(0);
        let min = raw.iter().copied().min().unwrap_or(0);
        for s in raw.iter_mut() {
            *s = if max == min { 100 } else { (max - *s) * 100 / (max - min) };
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::testing::{filter, node, pod};
    use super::*;

    #[test]
    fn a_domain_may_not_exceed_max_skew_over_the_emptiest_one() {
        let zone = |z: &str| json!({"metadata": {"labels": {"zone": z}}});
        let nodes = [node("a1", zone("a")), node("a2", zone("a")), node("b1", zone("b")), node("x", json!({}))];
        let spread = |skew: i64| {
            json!({"metadata": {"labels": {"app": "web"}}, "spec": {"topologySpreadConstraints": [
            {"maxSkew": skew, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule", "labelSelector": {"matchLabels": {"app": "web"}}}]}})
        };
        let on = |name: &str, node: &str| {
            let mut p = pod(name, json!({"metadata": {"labels": {"app": "web"}}}));
            p.body.get_mut("spec").unwrap()["nodeName"] = json!(node);
            p
        };
        let bound = [on("w1", "a1"), on("w2", "a2")];
        let cases = [
            (spread(1), "a1", vec!["node(s) didn't match pod topology spread constraints"]),
            (spread(1), "b1", vec![]),
            (spread(3), "a1", vec![]),
            (spread(1), "x", vec!["node(s) didn't match pod topology spread constraints (missing required label)"]),
            (json!({}), "a1", vec![]),
        ];
        for (p, n, want) in cases {
            assert_eq!(filter(&PodTopologySpread, &pod("p", p.clone()), n, &nodes, &bound), want, "{p} on {n}");
        }
    }
}
