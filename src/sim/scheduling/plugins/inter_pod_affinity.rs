//! InterPodAffinity: required pod anti-affinity keeps a pod out of a topology domain holding a
//! matching pod; required pod affinity keeps it in one (the first of a group that wants its own
//! kind may go anywhere).
//!
//! PreFilter finds, once per attempt, the domains holding matching pods; a hostname term is
//! checked on the node itself (preemption asks about a node with some pods taken off).

use std::collections::BTreeSet;

use serde_json::Value;

use super::{node_affinity::scale_to_max, CycleState, FilterPlugin, PodInfo, ScorePlugin, Status, INTER_POD_AFFINITY};
use crate::sim::scheduling::cache::{Cache, NodeInfo, Requests};
use crate::sim::scheduling::intern::{Interner, Sym};
use crate::sim::scheduling::label_selector::Selector;
use crate::sim::scheduling::record::reason;

pub struct InterPodAffinity;

/// One `requiredDuringSchedulingIgnoredDuringExecution` pod (anti-)affinity term, compiled.
#[derive(Debug, Clone)]
pub struct Term {
    pub topology_key: Sym,
    /// The key is `kubernetes.io/hostname`: the domain is the node itself.
    pub by_host: bool,
    /// Namespaces the term looks in (empty: the pod's own).
    pub namespaces: Vec<Sym>,
    pub selector: Selector,
}

impl Term {
    fn of(term: &Value, syms: &mut Interner) -> Term {
        let key = term["topologyKey"].as_str().unwrap_or("");
        Term {
            topology_key: syms.intern(key),
            by_host: key == "kubernetes.io/hostname",
            namespaces: term["namespaces"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(|n| syms.intern(n))
                .collect(),
            selector: Selector::compile(&term["labelSelector"], syms),
        }
    }

    /// Whether a pod (namespace, labels) is one the term is about, for a pod in `own_ns`.
    fn matches(&self, own_ns: Sym, r: &Requests) -> bool {
        let ns_ok =
            if self.namespaces.is_empty() { r.namespace == own_ns } else { self.namespaces.contains(&r.namespace) };
        ns_ok && self.selector.matches(&r.labels)
    }
}

/// The pod's required terms.
#[derive(Debug, Clone, Default)]
pub struct PodAffinity {
    pub anti: Vec<Term>,
    pub affinity: Vec<Term>,
}

impl PodAffinity {
    pub fn of(affinity: &Value, syms: &mut Interner) -> PodAffinity {
        let terms = |kind: &str, syms: &mut Interner| -> Vec<Term> {
            affinity[kind]["requiredDuringSchedulingIgnoredDuringExecution"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|t| Term::of(t, syms))
                .collect()
        };
        PodAffinity { anti: terms("podAntiAffinity", syms), affinity: terms("podAffinity", syms) }
    }
}

/// What PreFilter found for each term.
#[derive(Debug, Clone, Default)]
pub struct PreFilterState {
    /// Per anti-affinity term: the domains (values of its key) holding a matching pod (unused
    /// for hostname terms).
    anti_domains: Vec<BTreeSet<Sym>>,
    /// Per affinity term: the domains holding a matching pod, whether one exists anywhere, and
    /// whether the pod matches its own term.
    affinity: Vec<(BTreeSet<Sym>, bool, bool)>,
}

/// The domains of `term`'s key that hold a pod it matches (none for hostname terms).
fn domains(term: &Term, own_ns: Sym, cache: &Cache) -> BTreeSet<Sym> {
    if term.by_host {
        return BTreeSet::new();
    }
    cache
        .nodes()
        .filter_map(|n| Some((n.label_syms.get(term.topology_key)?, n)))
        .filter(|(_, n)| n.pods.values().any(|r| term.matches(own_ns, r)))
        .map(|(d, _)| d)
        .collect()
}

impl PreFilterState {
    pub fn of(terms: &PodAffinity, pod: &PodInfo, cache: &Cache) -> PreFilterState {
        let ns = pod.namespace;
        PreFilterState {
            anti_domains: terms.anti.iter().map(|t| domains(t, ns, cache)).collect(),
            affinity: terms
                .affinity
                .iter()
                .map(|t| {
                    let anywhere = cache.nodes().any(|n| n.pods.values().any(|r| t.matches(ns, r)));
                    (domains(t, ns, cache), anywhere, t.matches(ns, &pod.requests))
                })
                .collect(),
        }
    }
}

/// Whether the node's domain for `term` holds a pod the term matches.
fn in_domain(term: &Term, found: &BTreeSet<Sym>, own_ns: Sym, node: &NodeInfo) -> bool {
    match node.label_syms.get(term.topology_key) {
        None => false,
        Some(_) if term.by_host => node.pods.values().any(|r| term.matches(own_ns, r)),
        Some(d) => found.contains(&d),
    }
}

impl FilterPlugin for InterPodAffinity {
    fn name(&self) -> &'static str {
        INTER_POD_AFFINITY
    }

    fn filter(&self, state: &CycleState, node: &NodeInfo, status: &mut Status) {
        let (terms, pre, ns) = (&state.pod.pod_affinity, &state.affinity, state.pod.namespace);
        for (t, found) in terms.anti.iter().zip(&pre.anti_domains) {
            if in_domain(t, found, ns, node) {
                status.fail(reason::ANTI_AFFINITY);
                return;
            }
        }
        for (t, (found, anywhere, self_match)) in terms.affinity.iter().zip(&pre.affinity) {
            let here = in_domain(t, found, ns, node);
            // The first pod of a group that wants to be with its own kind may go anywhere.
            if !(here || (*self_match && !anywhere)) {
                status.fail(reason::AFFINITY);
                return;
            }
        }
    }
}

impl ScorePlugin for InterPodAffinity {
    fn name(&self) -> &'static str {
        INTER_POD_AFFINITY
    }

    /// SIM: preferred pod (anti-)affinity is not scored yet: every node gets 0.
    fn score(&self, _state: &CycleState, _node: &NodeInfo) -> i64 {
        0
    }

    fn normalize(&self, raw: &mut [i64]) {
        scale_to_max(raw);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::testing::{filter, node, pod};
    use super::*;

    #[test]
    fn required_terms_look_at_the_domain_of_their_topology_key() {
        let zone = |z: &str| json!({"metadata": {"labels": {"zone": z}}});
        let nodes = [node("a1", zone("a")), node("a2", zone("a")), node("b1", zone("b"))];
        let term = |kind: &str, key: &str, app: &str| {
            json!({"metadata": {"labels": {"app": "me"}}, "spec": {"affinity": {kind: {
            "requiredDuringSchedulingIgnoredDuringExecution": [{"labelSelector": {"matchLabels": {"app": app}}, "topologyKey": key}]}}}})
        };
        let mut db = pod("db", json!({"metadata": {"labels": {"app": "db"}}}));
        db.body.get_mut("spec").unwrap()["nodeName"] = json!("a1");
        let bound = [db];
        let anti = vec!["node(s) didn't match pod anti-affinity rules"];
        let with = vec!["node(s) didn't match pod affinity rules"];
        let cases = [
            (term("podAntiAffinity", "kubernetes.io/hostname", "db"), "a1", anti.clone()),
            (term("podAntiAffinity", "kubernetes.io/hostname", "db"), "a2", vec![]),
            (term("podAntiAffinity", "zone", "db"), "a2", anti),
            (term("podAntiAffinity", "zone", "db"), "b1", vec![]),
            (term("podAffinity", "zone", "db"), "a2", vec![]),
            (term("podAffinity", "zone", "db"), "b1", with.clone()),
            (term("podAffinity", "zone", "nobody"), "b1", with),
            (term("podAffinity", "zone", "me"), "b1", vec![]),
        ];
        for (p, n, want) in cases {
            assert_eq!(filter(&InterPodAffinity, &pod("p", p.clone()), n, &nodes, &bound), want, "{p} on {n}");
        }
    }
}
