//! The cluster: the control plane and worker nodes as boxes with their pods, and the pods
//! still waiting for a node, read from the sim's objects.

use yew::prelude::*;

use super::i18n::{t, use_lang};

use super::node_box::NodeBox;
use super::pod_chip::{PodChip, PodView};
use crate::sim::api::Object;
use crate::sim::nodes::CONTROL_PLANE_ROLE;
use crate::sim::quantity::Quantity;
use crate::sim::store::ObjectKey;
use crate::sim::Sim;

/// What the page shows of one node.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeView {
    pub name: AttrValue,
    pub control_plane: bool,
    pub ready: bool,
    pub unschedulable: bool,
    /// Taints as `key=value:Effect`.
    pub taints: Vec<String>,
    /// Allocatable CPU as reported (`4`, `1500m`).
    pub cpu: AttrValue,
    /// Allocatable memory in GiB, for display.
    pub memory_gib: f64,
    pub max_pods: AttrValue,
    /// Requests of the pods bound here, as fractions of allocatable (0–1).
    pub cpu_requested: f64,
    pub memory_requested: f64,
    /// The pods drawn one by one (see [`super::pod_chip::views`]).
    pub pods: Vec<PodView>,
    /// How many pods are bound here.
    pub pod_count: usize,
    /// The pods not drawn, summed up.
    pub more: Option<String>,
    /// The cluster's own pods here (kube-system), drawn apart in a collapsed group.
    pub system: Vec<PodView>,
    /// On a control-plane node: each control-plane component and whether it runs.
    pub components: Vec<(AttrValue, bool)>,
}

impl NodeView {
    /// Every node in the store, control plane first, with their pods.
    pub fn all(sim: &Sim) -> Vec<NodeView> {
        let drawn = super::pod_chip::drawn_per_node(sim.store().count("Pod"));
        let mut nodes: Vec<NodeView> = sim.store().list("Node", None).map(|n| NodeView::of(sim, n, drawn)).collect();
        nodes.sort_by_key(|n| !n.control_plane);
        nodes
    }

    fn of(sim: &Sim, node: &Object, drawn: usize) -> NodeView {
        let text = |path: &str| node.field(path).and_then(|v| v.as_str()).unwrap_or("").to_string();
        let ready = node
            .field("status.conditions")
            .and_then(|c| c.as_array())
            .is_some_and(|cs| cs.iter().any(|c| c["type"] == "Ready" && c["status"] == "True"));
        let (system, objects): (Vec<&Object>, Vec<&Object>) =
            sim.store().pods_bound_to(node.name()).partition(|p| crate::sim::system::is_system(p));
        let pod_count = objects.len() + system.len();
        let milli = |q: &str| Quantity::parse(q).map_or(0, |q| q.0);
        let (mut cpu_req, mut mem_req) = (0i128, 0i128);
        for p in system.iter().chain(&objects) {
            for c in p.field("spec.containers").and_then(|c| c.as_array()).into_iter().flatten() {
                cpu_req += c["resources"]["requests"]["cpu"].as_str().map_or(0, milli);
                mem_req += c["resources"]["requests"]["memory"].as_str().map_or(0, milli);
            }
        }
        let (pods, more) = super::pod_chip::views(objects, sim.now(), drawn);
        let (system, _) = super::pod_chip::views(system, sim.now(), usize::MAX);
        let control_plane = node.label(CONTROL_PLANE_ROLE).is_some();
        let components = if control_plane {
            crate::sim::system::components::states(sim).into_iter().map(|(c, up)| (AttrValue::from(c), up)).collect()
        } else {
            Vec::new()
        };
        let fraction = |req: i128, alloc: &str| {
            let total = milli(alloc);
            if total > 0 {
                (req as f64 / total as f64).min(1.0)
            } else {
                0.0
            }
        };
        let taints = node
            .field("spec.taints")
            .and_then(|t| t.as_array())
            .into_iter()
            .flatten()
            .map(|t| {
                let key = t["key"].as_str().unwrap_or("");
                let value = t["value"].as_str().map(|v| format!("={v}")).unwrap_or_default();
                format!("{key}{value}:{}", t["effect"].as_str().unwrap_or(""))
            })
            .collect();
        NodeView {
            name: node.name().to_string().into(),
            control_plane,
            ready,
            unschedulable: node.field("spec.unschedulable").and_then(|v| v.as_bool()).unwrap_or(false),
            taints,
            cpu: text("status.allocatable.cpu").into(),
            memory_gib: kib_to_gib(&text("status.allocatable.memory")),
            max_pods: text("status.allocatable.pods").into(),
            cpu_requested: fraction(cpu_req, &text("status.allocatable.cpu")),
            memory_requested: fraction(mem_req, &text("status.allocatable.memory")),
            pods,
            pod_count,
            more,
            system,
            components,
        }
    }
}

/// Pods no node has taken yet (the scheduler's queue, as far as the page can see).
pub fn pending_pods(sim: &Sim) -> Queue {
    let waiting: Vec<&Object> = sim
        .store()
        .list("Pod", None)
        .filter(|p| p.field("spec.nodeName").and_then(|n| n.as_str()).is_none_or(str::is_empty))
        .collect();
    let count = waiting.len();
    let (pods, more) = super::pod_chip::views(waiting, sim.now(), super::pod_chip::DRAWN);
    Queue { pods, count, more }
}

/// The pods waiting for a node: those drawn, how many in all, the rest summed up.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Queue {
    pub pods: Vec<PodView>,
    pub count: usize,
    pub more: Option<String>,
}

impl Queue {
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// The summary of the pods not drawn (`+6 more: 6 Running`) in `lang`; the phases stay as
/// kubectl writes them.
pub fn more_text(more: &str, lang: super::i18n::Lang) -> String {
    more.replacen(" more:", t(lang, " more:"), 1)
}

/// `8388608Ki` → 8.0.
fn kib_to_gib(q: &str) -> f64 {
    q.strip_suffix("Ki").and_then(|n| n.parse::<f64>().ok()).map_or(0.0, |k| k / 1024.0 / 1024.0)
}

#[derive(Properties, PartialEq)]
pub struct ClusterViewProps {
    pub nodes: Vec<NodeView>,
    #[prop_or_default]
    pub pending: Queue,
    #[prop_or_default]
    pub selected: Option<ObjectKey>,
    #[prop_or_default]
    pub on_select: Callback<ObjectKey>,
    /// The scheduler's decision of the last moments, drawn on the nodes.
    #[prop_or_default]
    pub decision: Option<super::decision_table::RecentDecision>,
    /// Deployments mid-rollout, old and new ReplicaSets side by side.
    #[prop_or_default]
    pub rollouts: Vec<super::rollout_view::RolloutView>,
}

/// The control plane beside the workers, and the queue of pods waiting for a node.
#[component]
pub fn ClusterView(props: &ClusterViewProps) -> Html {
    let lang = use_lang();
    let (planes, workers): (Vec<_>, Vec<_>) = props.nodes.iter().cloned().partition(|n| n.control_plane);
    let node = |node: NodeView| {
        let k = node.name.to_string();
        let verdict = props.decision.as_ref().and_then(|d| {
            if d.winner.as_deref() == Some(k.as_str()) {
                Some(("winner".to_string(), format!("★ {} {}", d.pod, t(lang, "goes here"))))
            } else {
                d.refused
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, why)| ("refused".to_string(), format!("✗ {why}")))
                    .or_else(|| {
                        d.scores
                            .iter()
                            .find(|(n, _)| *n == k)
                            .map(|(_, total)| ("scored".to_string(), format!("{} {total}", t(lang, "score"))))
                    })
            }
        });
        html! { <NodeBox key={k} {node} {verdict} selected={props.selected.clone()} on_select={props.on_select.clone()} /> }
    };
    html! {
        <section class="cluster" aria-label="cluster">
            if let Some(d) = &props.decision {
                <div class="scheduling-banner" role="status">
                    { match &d.winner {
                        Some(w) => format!("{}: {} → {w}{}", t(lang, "Scheduler"), d.pod,
                            if d.scores.len() > 1 {
                                format!(" ({} {} : {})", t(lang, "score"), d.scores[0].1, d.scores[1].1)
                            } else { String::new() }),
                        None => format!("{}: {} — {}", t(lang, "Scheduler"), d.pod, t(lang, "no node can take it; see why on the nodes")),
                    } }
                </div>
            }
            if !props.rollouts.is_empty() {
                <super::rollout_view::RolloutStrip rollouts={props.rollouts.clone()} on_select={props.on_select.clone()} />
            }
            if !props.pending.is_empty() {
                <div class="pending-queue" aria-label={t(lang, "pods waiting for a node")}>
                    <span class="queue-label">{ format!("{} ({})", t(lang, "Pending"), props.pending.count) }</span>
                    { for props.pending.pods.iter().cloned().map(|pod| { let k = pod.name.to_string(); html! {
                        <PodChip key={k} queued=true selected={props.selected.as_ref() == Some(&pod.key)} on_select={props.on_select.clone()} {pod} />
                    } }) }
                    if let Some(more) = props.pending.more.as_deref().map(|m| more_text(m, lang)) {
                        <span class="pod more" title={more.clone()}>{ more }</span>
                    }
                </div>
            }
            if props.nodes.iter().all(|n| n.pods.is_empty()) && props.pending.is_empty() {
                <p class="getting-started">
                    { t(lang, "No pods yet. Apply a manifest in the Editor, or type this in the Terminal:") }{ " " }
                    <code>{ "kubectl create deployment web --image=nginx --replicas=3" }</code>{ " " }
                    { t(lang, "Then watch the pods arrive (the clock is running; Pause stops it).") }
                </p>
            }
            <div class="plane-row">{ for planes.into_iter().map(node) }</div>
            <div class="worker-row">{ for workers.into_iter().map(node) }</div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::Shell;
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
        assert!(views[0].taints.iter().any(|t| t == "node-role.kubernetes.io/control-plane:NoSchedule"));
    }

    #[test]
    fn pods_appear_on_their_nodes_with_their_requests() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl run big --image=nginx");
        let pending = pending_pods(&sim);
        assert_eq!(pending.count, 1, "not scheduled before time passes");
        sim.advance(std::time::Duration::from_secs(5));
        let views = NodeView::all(&sim);
        let pods: Vec<&PodView> = views.iter().flat_map(|n| n.pods.iter()).collect();
        assert_eq!(pods.len(), 1);
        assert_eq!(pods[0].status, "Running");
        assert!(pending_pods(&sim).is_empty());
    }

    #[test]
    fn kube_system_pods_are_grouped_apart_and_the_control_plane_shows_its_parts() {
        let mut sim = Sim::new(SimConfig::default());
        sim.advance(std::time::Duration::from_secs(30));
        Shell.run_line(&mut sim, "sandbox control-plane stop scheduler");
        let views = NodeView::all(&sim);
        let cp = &views[0];
        assert!(cp.control_plane);
        assert!(cp.pods.is_empty(), "no learner pod on the control plane");
        assert!(cp.system.iter().any(|p| p.name.as_str() == "etcd-control-plane"));
        assert!(cp.components.contains(&("kube-scheduler".into(), false)));
        assert!(cp.components.contains(&("etcd".into(), true)));
        assert!(views[1].system.iter().any(|p| p.name.as_str().starts_with("kube-proxy-")));
        assert!(views[1].components.is_empty());
    }
}
