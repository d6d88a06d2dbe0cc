//! NodeUnschedulable: a cordoned node (`spec.unschedulable`) takes only pods that tolerate
//! `node.kubernetes.io/unschedulable:NoSchedule`.

use super::{CycleState, FilterPlugin, Status, NODE_UNSCHEDULABLE};
use crate::sim::scheduling::cache::NodeInfo;
use crate::sim::scheduling::record::reason;

pub struct NodeUnschedulable;

impl FilterPlugin for NodeUnschedulable {
    fn name(&self) -> &'static str {
        NODE_UNSCHEDULABLE
    }

    fn filter(&self, state: &CycleState, node: &NodeInfo, status: &mut Status) {
        if node.unschedulable && !state.pod.tolerates_unschedulable {
            status.fail(reason::UNSCHEDULABLE);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::testing::{filter, node, pod};
    use super::*;

    #[test]
    fn a_cordoned_node_refuses_pods_unless_they_tolerate_it() {
        let tolerant = json!({"spec": {"tolerations": [{"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}]}});
        let cases = [
            (json!({}), json!({}), vec![]),
            (json!({"spec": {"unschedulable": true}}), json!({}), vec!["node(s) were unschedulable"]),
            (json!({"spec": {"unschedulable": true}}), tolerant, vec![]),
        ];
        for (n, p, want) in cases {
            let nodes = [node("n", n.clone())];
            assert_eq!(filter(&NodeUnschedulable, &pod("p", p.clone()), "n", &nodes, &[]), want, "{n} {p}");
        }
    }
}
