//! TaintToleration: a node's NoSchedule/NoExecute taints keep off pods that do not tolerate
//! them; untolerated PreferNoSchedule taints lower the node's score.

use serde_json::Value;

use super::{CycleState, FilterPlugin, ScorePlugin, Status, TAINT_TOLERATION};
use crate::sim::node_lifecycle::tolerates;
use crate::sim::scheduling::cache::NodeInfo;

pub struct TaintToleration;

fn tolerated(state: &CycleState, taint: &Value) -> bool {
    state.pod.tolerations.iter().any(|tol| tolerates(tol, taint))
}

impl FilterPlugin for TaintToleration {
    fn name(&self) -> &'static str {
        TAINT_TOLERATION
    }

    fn filter(&self, state: &CycleState, node: &NodeInfo, status: &mut Status) {
        let untolerated = node
            .taints
            .iter()
            .find(|t| matches!(t["effect"].as_str(), Some("NoSchedule" | "NoExecute")) && !tolerated(state, t));
        if let Some(t) = untolerated {
            let key = t["key"].as_str().unwrap_or("");
            let value = t["value"].as_str().unwrap_or("");
            status.fail_with(&format!("node(s) had untolerated taint {{{key}: {value}}}"));
        }
    }
}

impl ScorePlugin for TaintToleration {
    fn name(&self) -> &'static str {
        TAINT_TOLERATION
    }

    fn score(&self, state: &CycleState, node: &NodeInfo) -> i64 {
        node.taints.iter().filter(|t| t["effect"] == "PreferNoSchedule" && !tolerated(state, t)).count() as i64
    }

    /// Fewer untolerated PreferNoSchedule taints is better (reversed).
    fn normalize(&self, raw: &mut [i64]) {
        let max = raw.iter().copied().max().unwrap_or(0);
        for s in raw.iter_mut() {
            *s = if max == 0 { 100 } else { 100 - *s * 100 / max };
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::testing::{filter, node, pod};
    use super::*;

    #[test]
    fn untolerated_hard_taints_refuse_the_node_and_name_the_taint() {
        let taint = |effect: &str| json!({"spec": {"taints": [{"key": "gpu", "value": "yes", "effect": effect}]}});
        let tolerate = json!({"spec": {"tolerations": [{"key": "gpu", "operator": "Equal", "value": "yes"}]}});
        let cases = [
            (taint("NoSchedule"), json!({}), vec!["node(s) had untolerated taint {gpu: yes}"]),
            (taint("NoExecute"), json!({}), vec!["node(s) had untolerated taint {gpu: yes}"]),
            (taint("PreferNoSchedule"), json!({}), vec![]),
            (taint("NoSchedule"), tolerate, vec![]),
        ];
        for (n, p, want) in cases {
            let nodes = [node("n", n.clone())];
            assert_eq!(filter(&TaintToleration, &pod("p", p.clone()), "n", &nodes, &[]), want, "{n} {p}");
        }
    }

    #[test]
    fn normalizing_reverses_the_count_of_soft_taints() {
        let mut raw = [0, 1, 2];
        TaintToleration.normalize(&mut raw);
        assert_eq!(raw, [100, 50, 0]);
        let mut none = [0, 0];
        TaintToleration.normalize(&mut none);
        assert_eq!(none, [100, 100]);
    }
}
