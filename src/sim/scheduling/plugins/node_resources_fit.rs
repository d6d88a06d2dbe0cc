//! NodeResourcesFit: the pod's requests must fit in what the node has left (pods, cpu,
//! memory, and extended resources such as `example.com/dongle`); scored by LeastAllocated, the share of the node left free.

use super::{CycleState, FilterPlugin, ScorePlugin, Status, NODE_RESOURCES_FIT};
use crate::sim::scheduling::cache::NodeInfo;
use crate::sim::scheduling::record::reason;

pub struct NodeResourcesFit;

impl FilterPlugin for NodeResourcesFit {
    fn name(&self) -> &'static str {
        NODE_RESOURCES_FIT
    }

    fn filter(&self, state: &CycleState, node: &NodeInfo, status: &mut Status) {
        let r = &state.pod.requests;
        if node.pods.len() as i64 + 1 > node.alloc_pods {
            status.fail(reason::TOO_MANY_PODS);
        }
        if r.cpu > 0 && node.requested_cpu.saturating_add(r.cpu) > node.alloc_cpu {
            status.fail(reason::INSUFFICIENT_CPU);
        }
        if r.memory > 0 && node.requested_memory.saturating_add(r.memory) > node.alloc_memory {
            status.fail(reason::INSUFFICIENT_MEMORY);
        }
        for (name, want) in r.scalar.iter().filter(|(_, n)| **n > 0) {
            let have = node.alloc_scalar.get(name).copied().unwrap_or(0);
            let used = node.requested_scalar.get(name).copied().unwrap_or(0);
            if used.saturating_add(*want) > have {
                status.fail_with(&format!("Insufficient {name}"));
            }
        }
    }
}

impl ScorePlugin for NodeResourcesFit {
    fn name(&self) -> &'static str {
        NODE_RESOURCES_FIT
    }

    /// LeastAllocated: the share left free, averaged over cpu and memory.
    fn score(&self, state: &CycleState, node: &NodeInfo) -> i64 {
        // In i128: a node may advertise up to i64::MAX (saturated) and `* 100` must not overflow.
        let free = |alloc: i64, used: i64| {
            if alloc <= 0 || used > alloc {
                0
            } else {
                ((i128::from(alloc) - i128::from(used)) * 100 / i128::from(alloc)) as i64
            }
        };
        (free(node.alloc_cpu, node.requested_cpu.saturating_add(state.pod.score_cpu))
            + free(node.alloc_memory, node.requested_memory.saturating_add(state.pod.score_memory)))
            / 2
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::testing::{filter, node, pod};
    use super::*;

    #[test]
    fn each_resource_that_does_not_fit_is_a_reason() {
        let asks = |cpu: &str, mem: &str| json!({"spec": {"containers": [{"name": "c", "image": "nginx", "resources": {"requests": {"cpu": cpu, "memory": mem}}}]}});
        // An extended resource given only as a limit is requested at that limit.
        let dongles = |field: &str, n: u32| json!({"spec": {"containers": [{"name": "c", "image": "nginx", "resources": {field: {"example.com/dongle": n}}}]}});
        let cases = [
            (json!({}), asks("1", "1Gi"), vec![]),
            (json!({}), asks("3", "1Gi"), vec!["Insufficient cpu"]),
            (json!({}), asks("1", "5Gi"), vec!["Insufficient memory"]),
            (json!({}), asks("3", "5Gi"), vec!["Insufficient cpu", "Insufficient memory"]),
            (json!({"status": {"allocatable": {"pods": "0"}}}), asks("1", "1Gi"), vec!["Too many pods"]),
            (json!({}), dongles("requests", 1), vec!["Insufficient example.com/dongle"]),
            (json!({"status": {"capacity": {"example.com/dongle": "4"}}}), dongles("requests", 4), vec![]),
            (
                json!({"status": {"capacity": {"example.com/dongle": "4"}}}),
                dongles("limits", 5),
                vec!["Insufficient example.com/dongle"],
            ),
        ];
        for (n, p, want) in cases {
            let nodes = [node("n", n.clone())];
            assert_eq!(filter(&NodeResourcesFit, &pod("p", p.clone()), "n", &nodes, &[]), want, "{n} {p}");
        }
    }
}
