//! NodeAffinity: `spec.nodeSelector` and required node affinity decide which nodes may run
//! the pod; preferred node affinity adds the weights of the terms a node matches.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{CycleState, FilterPlugin, ScorePlugin, Status, NODE_AFFINITY};
use crate::sim::scheduling::cache::NodeInfo;
use crate::sim::scheduling::record::reason;

pub struct NodeAffinity;

/// The pod's node selection, read once per attempt.
#[derive(Debug, Clone, Default)]
pub struct PodNodeAffinity {
    pub node_selector: BTreeMap<String, String>,
    /// `requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`, if given.
    pub required: Option<Vec<Value>>,
    /// `preferredDuringSchedulingIgnoredDuringExecution`.
    pub preferred: Vec<Value>,
}

impl PodNodeAffinity {
    pub fn of(spec: &Value) -> PodNodeAffinity {
        let a = &spec["affinity"]["nodeAffinity"];
        PodNodeAffinity {
            // Read as a map of strings, or not at all (as a typed decode would).
            node_selector: spec["nodeSelector"]
                .as_object()
                .and_then(|m| m.iter().map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect())
                .unwrap_or_default(),
            required: a["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"].as_array().cloned(),
            preferred: a["preferredDuringSchedulingIgnoredDuringExecution"].as_array().cloned().unwrap_or_default(),
        }
    }
}

/// Whether node labels satisfy one node selector term (ANDed expressions and fields; an empty
/// term matches nothing).
pub fn match_node_selector_term(term: &Value, labels: &BTreeMap<String, String>) -> bool {
    let exprs = term["matchExpressions"].as_array().map(Vec::as_slice).unwrap_or_default();
    let fields = term["matchFields"].as_array().map(Vec::as_slice).unwrap_or_default();
    if exprs.is_empty() && fields.is_empty() {
        return false;
    }
    // The one field nodes can be selected by is metadata.name (DaemonSet pods use it); a
    // node's name is also its kubernetes.io/hostname label.
    let name = labels.get("kubernetes.io/hostname").map(String::as_str).unwrap_or_default();
    let fields_ok = fields.iter().all(|f| {
        let mut values = f["values"].as_array().into_iter().flatten().filter_map(Value::as_str);
        match (f["key"].as_str(), f["operator"].as_str()) {
            (Some("metadata.name"), Some("In")) => values.any(|v| v == name),
            (Some("metadata.name"), Some("NotIn")) => !values.any(|v| v == name),
            _ => false,
        }
    });
    fields_ok && exprs.iter().all(|e| crate::sim::selector::expression_matches(e, labels, true))
}

impl FilterPlugin for NodeAffinity {
    fn name(&self) -> &'static str {
        NODE_AFFINITY
    }

    fn filter(&self, state: &CycleState, node: &NodeInfo, status: &mut Status) {
        let a = &state.pod.node_affinity;
        let selector_ok = a.node_selector.iter().all(|(k, v)| node.labels.get(k) == Some(v));
        let affinity_ok =
            a.required.as_ref().is_none_or(|ts| ts.iter().any(|t| match_node_selector_term(t, &node.labels)));
        if !(selector_ok && affinity_ok) {
            status.fail(reason::NODE_AFFINITY);
        }
    }
}

impl ScorePlugin for NodeAffinity {
    fn name(&self) -> &'static str {
        NODE_AFFINITY
    }

    fn score(&self, state: &CycleState, node: &NodeInfo) -> i64 {
        let preferred = &state.pod.node_affinity.preferred;
        preferred
            .iter()
            .filter(|p| match_node_selector_term(&p["preference"], &node.labels))
            .map(|p| p["weight"].as_i64().unwrap_or(0))
            .sum()
    }

    fn normalize(&self, raw: &mut [i64]) {
        scale_to_max(raw);
    }
}

/// Scales scores so that the highest is 100 (all 0 if the highest is 0).
pub fn scale_to_max(raw: &mut [i64]) {
    let max = raw.iter().copied().max().unwrap_or(0);
    for s in raw.iter_mut() {
        *s = if max == 0 { 0 } else { *s * 100 / max };
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::testing::{filter, node, pod};
    use super::*;

    #[test]
    fn node_selector_and_required_terms_must_both_hold() {
        let disk = json!({"metadata": {"labels": {"disk": "ssd"}}});
        let wants_ssd = json!({"spec": {"nodeSelector": {"disk": "ssd"}}});
        let term = |op: &str| {
            json!({"spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchExpressions": [{"key": "disk", "operator": op, "values": ["ssd"]}]}]}}}}})
        };
        let by_name = json!({"spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n"]}]}]}}}}});
        let refused = vec!["node(s) didn't match Pod's node affinity/selector"];
        let cases = [
            (disk.clone(), json!({}), vec![]),
            (disk.clone(), wants_ssd.clone(), vec![]),
            (json!({}), wants_ssd, refused.clone()),
            (disk.clone(), term("In"), vec![]),
            (disk, term("NotIn"), refused.clone()),
            (json!({}), term("In"), refused),
            (json!({}), by_name, vec![]),
        ];
        for (n, p, want) in cases {
            let nodes = [node("n", n.clone())];
            assert_eq!(filter(&NodeAffinity, &pod("p", p.clone()), "n", &nodes, &[]), want, "{n} {p}");
        }
    }
}
