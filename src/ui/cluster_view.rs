//! The cluster: the control plane and worker nodes as boxes, read from the sim's Node objects.

use yew::prelude::*;

use super::node_box::NodeBox;
use crate::sim::api::Object;
use crate::sim::nodes::CONTROL_PLANE_ROLE;
use crate::sim::Sim;

/// What the page shows of one node.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeView {
    pub name: AttrValue,
    pub control_plane: bool,
    pub ready: bool,
    /// Allocatable CPU as reported (`4`, `1500m`).
    pub cpu: AttrValue,
    /// Allocatable memory in GiB, for display.
    pub memory_gib: f64,
    pub max_pods: AttrValue,
    /// Pods bound to the node now.
    pub pods: usize,
}

impl NodeView {
    /// Every node in the store, control plane first.
    pub fn all(sim: &Sim) -> Vec<NodeView> {
        let mut nodes: Vec<NodeView> = sim
            .store()
            .list("Node", None)
            .map(|n| NodeView { pods: sim.store().pods_on_node(n.name()).len(), ..NodeView::of(n) })
            .collect();
        nodes.sort_by_key(|n| !n.control_plane);
        nodes
    }

    fn of(node: &Object) -> NodeView {
        let text = |path: &str| node.field(path).and_then(|v| v.as_str()).unwrap_or("").to_string();
        let ready = node
            .field("status.conditions")
            .and_then(|c| c.as_array())
            .is_some_and(|cs| cs.iter().any(|c| c["type"] == "Ready" && c["status"] == "True"));
        NodeView {
            name: node.name().to_string().into(),
            control_plane: node.label(CONTROL_PLANE_ROLE).is_some(),
            ready,
            cpu: text("status.allocatable.cpu").into(),
            memory_gib: kib_to_gib(&text("status.allocatable.memory")),
            max_pods: text("status.allocatable.pods").into(),
            pods: 0,
        }
    }
}

/// `8388608Ki` → 8.0.
fn kib_to_gib(q: &str) -> f64 {
    q.strip_suffix("Ki").and_then(|n| n.parse::<f64>().ok()).map_or(0.0, |k| k / 1024.0 / 1024.0)
}

#[derive(Properties, PartialEq)]
pub struct ClusterViewProps {
    pub nodes: Vec<NodeView>,
}

/// The control plane beside the workers.
#[component]
pub fn ClusterView(props: &ClusterViewProps) -> Html {
    let (planes, workers): (Vec<_>, Vec<_>) = props.nodes.iter().cloned().partition(|n| n.control_plane);
    html! {
        <section class="cluster" aria-label="cluster">
            <div class="plane-row">
                { for planes.into_iter().map(|node| html! { <NodeBox {node} /> }) }
            </div>
            <div class="worker-row">
                { for workers.into_iter().map(|node| html! { <NodeBox {node} /> }) }
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimConfig;

    #[test]
    fn node_views_come_from_the_sim() {
        let views = NodeView::all(&Sim::new(SimConfig::default()));
        assert_eq!(views.len(), 4);
        assert!(views[0].control_plane);
        assert_eq!(views[1].name, "node-1");
        assert_eq!(views[1].cpu, "4");
        assert_eq!(views[1].memory_gib, 8.0);
        assert!(views.iter().all(|v| v.ready));
    }
}
