//! NodePorts: a host port (protocol, port) can be used by one pod per node.

use super::{CycleState, FilterPlugin, Status, NODE_PORTS};
use crate::sim::scheduling::cache::NodeInfo;
use crate::sim::scheduling::record::reason;

pub struct NodePorts;

impl FilterPlugin for NodePorts {
    fn name(&self) -> &'static str {
        NODE_PORTS
    }

    fn filter(&self, state: &CycleState, node: &NodeInfo, status: &mut Status) {
        let wanted = &state.pod.requests.host_ports;
        // Most pods ask for no host port, most nodes have none in use.
        if wanted.is_empty() || node.host_ports_used == 0 {
            return;
        }
        let taken = |p: &(String, u64)| node.pods.values().any(|r| r.host_ports.contains(p));
        if wanted.iter().any(taken) {
            status.fail(reason::NODE_PORTS);
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::testing::{filter, node, pod};
    use super::*;

    #[test]
    fn a_host_port_in_use_on_the_node_refuses_it() {
        let port = |n: u64, proto: &str| json!({"spec": {"containers": [{"name": "c", "image": "nginx", "ports": [{"containerPort": 80, "hostPort": n, "protocol": proto}]}]}});
        let bound = |p: serde_json::Value| {
            let mut p = pod("old", p);
            p.body.get_mut("spec").unwrap()["nodeName"] = json!("n");
            p
        };
        let nodes = [node("n", json!({}))];
        let refused = vec!["node(s) didn't have free ports for the requested pod ports"];
        let cases = [
            (port(8080, "TCP"), vec![bound(port(8080, "TCP"))], refused),
            (port(8080, "UDP"), vec![bound(port(8080, "TCP"))], vec![]),
            (port(8081, "TCP"), vec![bound(port(8080, "TCP"))], vec![]),
            (json!({}), vec![bound(port(8080, "TCP"))], vec![]),
            (port(8080, "TCP"), vec![], vec![]),
        ];
        for (p, on_node, want) in cases {
            assert_eq!(filter(&NodePorts, &pod("p", p.clone()), "n", &nodes, &on_node), want, "{p}");
        }
    }
}
