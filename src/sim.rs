//! The orchestrator: a deterministic simulation of a Kubernetes cluster.
//!
//! Must not touch the page (no yew, web-sys, gloo, js-sys, wasm-bindgen), the wall clock or OS
//! randomness: all time comes from [`time::SimTime`], all chance from the one [`rng::SimRng`].
//! The same seed and the same inputs give the same watch events, natively and in wasm.

pub mod api;
pub mod apiserver;
pub mod base64;
pub mod cluster;
pub mod controllers;
pub mod cron;
pub mod events;
pub mod fnv;
pub mod images;
pub mod kubelet;
pub mod metrics;
pub mod network;
pub mod node_lifecycle;
pub mod nodes;
pub mod pod_gates;
pub mod process;
pub mod quantity;
pub mod queue;
pub mod rng;
pub mod scheduling;
pub mod selector;
pub mod store;
pub mod system;
pub mod time;

use std::time::Duration;

/// The Kubernetes release the sandbox behaves as (nodes report it; `kubectl version` prints it).
pub const KUBERNETES_VERSION: &str = "v1.37.0";

use api::Object;
use apiserver::{ApiError, Propagation, Reason};
use cluster::ClusterShape;
use queue::EventQueue;
use rng::SimRng;
use store::{Store, StoreError};
use time::SimTime;

/// Something scheduled to happen at a simulated instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Task {
    /// A node's kubelet renews its Lease and posts its status (every 10 s, as upstream's
    /// `nodeStatusUpdateFrequency` and lease renew interval).
    NodeHeartbeat { node: String },
    /// The node lifecycle controller checks every node's heartbeat (every 5 s).
    NodeMonitor,
    /// A pod's NoExecute toleration may have run out: evict it if so.
    TaintEviction { pod: store::ObjectKey },
    /// Work for a kubelet.
    Kubelet(kubelet::KubeletTask),
    /// A controller reconciles one object.
    Sync(controllers::Controller, store::ObjectKey),
    /// Work for kube-scheduler.
    Scheduler(scheduling::SchedulerTask),
    /// The RNG draws this many numbers and drops them (see [`system::bootstrap`]).
    Draws(u64),
}

/// The first pod (by name) of a Deployment/ReplicaSet/StatefulSet/DaemonSet/Job, as
/// `kubectl logs deploy/web` and `kubectl exec deploy/web` pick one.
pub fn replicaset_pods_of(sim: &Sim, ty: &str, namespace: &str, name: &str) -> Option<String> {
    let kind = api::discovery::lookup_name(ty)?.kind;
    let owner = sim.store().get(kind, Some(namespace), name)?;
    let selector = controllers::replicaset::selector_of(owner);
    let mut pods: Vec<&api::Object> = sim
        .store()
        .list("Pod", Some(namespace))
        .filter(|p| p.metadata.deletion_timestamp.is_none())
        .filter(|p| selector::matches_label_selector(&selector, &p.metadata.labels.clone().unwrap_or_default()))
        .collect();
    pods.sort_by_key(|p| p.name().to_string());
    pods.first().map(|p| p.name().to_string())
}

/// A kubeconfig context kubectl added (`kubectl config set-context NAME --cluster --user
/// --namespace`): empty strings where it names none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KubeContext {
    pub cluster: String,
    pub user: String,
    pub namespace: String,
}

/// One `kubectl port-forward`: connections to `localhost:local` reach `pod`'s `remote` port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortForward {
    pub local: u16,
    pub pod: store::ObjectKey,
    pub remote: u16,
}

/// Most tasks run at one simulated instant before the rest are pushed a millisecond later.
const MAX_TASKS_PER_INSTANT: u64 = 200_000;

/// A limit as a link writes it (any u64), clamped to this platform's `usize`: wasm's is 32-bit,
/// and a link must read the same in the page as natively (it is then clamped to the sandbox's
/// own limits).
fn saturating_usize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    let value = <u64 as serde::Deserialize>::deserialize(d)?;
    Ok(usize::try_from(value).unwrap_or(usize::MAX))
}

/// Sizes past which the sandbox refuses to grow, so no input can exhaust the page's memory.
// SIM: a real cluster has no such small limits; these are picked so a classroom never meets
// them by accident, and the native runner lifts them (`--no-limits`) for benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Limits {
    /// Stored objects of all kinds (Events excepted: they expire on their own).
    #[serde(deserialize_with = "saturating_usize")]
    pub max_objects: usize,
    #[serde(deserialize_with = "saturating_usize")]
    pub max_pods: usize,
    #[serde(deserialize_with = "saturating_usize")]
    pub max_nodes: usize,
    /// Containers (including init containers) in one pod.
    #[serde(deserialize_with = "saturating_usize")]
    pub max_containers_per_pod: usize,
    /// Bytes of log kept per container instance.
    #[serde(deserialize_with = "saturating_usize")]
    pub max_log_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_objects: 20_000,
            max_pods: 5_000,
            max_nodes: 100,
            max_containers_per_pod: 20,
            max_log_bytes: 256 * 1024,
        }
    }
}

impl Limits {
    /// The least of each limit a cluster needs to be built and used at all (its system objects,
    /// one node, a pod with one container, a line of log). Limits from untrusted input (a link)
    /// below these are refused by [`Limits::below_least`].
    pub const LEAST: Limits =
        Limits { max_objects: 1_000, max_pods: 10, max_nodes: 1, max_containers_per_pod: 1, max_log_bytes: 1024 };

    /// The first limit below [`Limits::LEAST`], as a sentence (`max_objects 12 is below the
    /// least a cluster needs, 1000`), or None when every limit is at least that.
    pub fn below_least(&self) -> Option<String> {
        let l = Limits::LEAST;
        [
            ("max_objects", self.max_objects, l.max_objects),
            ("max_pods", self.max_pods, l.max_pods),
            ("max_nodes", self.max_nodes, l.max_nodes),
            ("max_containers_per_pod", self.max_containers_per_pod, l.max_containers_per_pod),
            ("max_log_bytes", self.max_log_bytes, l.max_log_bytes),
        ]
        .into_iter()
        .find(|(_, have, least)| have < least)
        .map(|(name, have, least)| format!("limits: {name} {have} is below the least a cluster needs, {least}"))
    }

    /// No limits (for benchmarks in the native runner).
    pub fn none() -> Limits {
        let max = usize::MAX;
        Limits { max_objects: max, max_pods: max, max_nodes: max, max_containers_per_pod: max, max_log_bytes: max }
    }
}

/// How to build a [`Sim`]: the seed, the cluster's shape and the limits.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    /// Seeds the one RNG; the same seed gives the same uids, tie-breaks and events.
    pub seed: u64,
    /// The nodes the cluster starts with.
    pub shape: ClusterShape,
    pub limits: Limits,
}

impl Default for SimConfig {
    /// Seed 1, the default shape (one control plane and three workers), default limits.
    fn default() -> Self {
        SimConfig { seed: 1, shape: ClusterShape::default(), limits: Limits::default() }
    }
}

/// A whole simulated cluster: clock, event queue, RNG and the API server's store.
#[derive(Debug)]
pub struct Sim {
    now: SimTime,
    queue: EventQueue<Task>,
    rng: SimRng,
    store: Store,
    limits: Limits,
    recorder: events::Recorder,
    /// Nodes whose kubelet has been stopped (`sandbox node stop`).
    stopped_kubelets: std::collections::BTreeSet<String>,
    seed: u64,
    /// The kubelets' own state (what they run, not what the API says).
    pub(crate) kubelets: kubelet::Kubelets,
    /// How far the components have read the watch log.
    watch_cursor: u64,
    /// Keys queued for the controllers.
    pub(crate) workqueue: controllers::work_queue::WorkQueue,
    /// kube-scheduler's queue, cache and recorded decisions.
    pub scheduler: scheduling::Scheduler,
    /// The taint-eviction controller's timed evictions: when each pod is due to go.
    pub(crate) taint_evictions: std::collections::BTreeMap<store::ObjectKey, SimTime>,
    /// Pod GC's quarantine: since when each node that pods are bound to has been missing.
    pub(crate) pod_gc_quarantine: std::collections::BTreeMap<String, SimTime>,
    /// While the API server writes its default ClusterRoles: aggregate them once at the end,
    /// not after each (~70 aggregations of ~70 roles were a quarter of building a cluster).
    pub(crate) rbac_aggregation_deferred: bool,
    /// What the pods behind admission webhooks answer (the API server reaches the programs
    /// that serve admission reviews through it, as it imports no controller).
    pub(crate) admission_server: apiserver::webhooks::AdmissionServer,
    /// The cluster is being built: what is written now is the sandbox's own (see
    /// `apiserver::check_fields_unless_built_in`).
    pub(crate) building: bool,
    /// The HPA controller's recent recommendations (its stabilization window).
    pub(crate) autoscaler: std::collections::BTreeMap<store::ObjectKey, Vec<(SimTime, i64)>>,
    /// The namespace kubectl's current context names (`kubectl config set-context --current
    /// --namespace=…`); `None` means `default`. Client state, not the cluster's: no component
    /// reads it. It lives here so it lasts, and resets, with the sandbox kubectl points at.
    pub kubectl_namespace: Option<String>,
    /// Contexts `kubectl config set-context NAME` added beside the sandbox's own (client state,
    /// like the namespace above), by name.
    pub kubectl_contexts: std::collections::BTreeMap<String, KubeContext>,
    /// The context `kubectl config use-context` switched to; `None` is the sandbox's own.
    pub kubectl_context: Option<String>,
    /// `kubectl port-forward`s in effect (client state, like the namespace above): local port →
    /// a pod's port. The terminal's `curl localhost:PORT` goes through them.
    pub port_forwards: Vec<PortForward>,
    /// Local ports where a `kubectl proxy` serves the API (client state, like the forwards).
    pub proxies: Vec<u16>,
    /// How many simulated seconds pass per real second while the page's clock runs
    /// (`sandbox speed X`). The sim never reads it: only the page's clock does.
    pub speed: f64,
    /// What the sandbox was built from, so `sandbox reset` can build it again.
    config: SimConfig,
    /// How many objects the cluster's own parts (kube-system) took when it was built: they do
    /// not count against the learner's object limit.
    system_objects: usize,
    /// Control-plane components whose static pod manifest was moved away (`sandbox
    /// control-plane stop`): they do not run.
    pub(crate) removed_manifests: std::collections::BTreeSet<String>,
    /// Controller syncs that came due while kube-controller-manager could not work; they run
    /// when it is back.
    pub(crate) deferred_syncs: std::collections::BTreeSet<(controllers::Controller, store::ObjectKey)>,
    /// Distinct for every Sim built in this process (a reset builds a new one), so that a
    /// reader of the watch log can tell the cluster was rebuilt. Never read by the simulation.
    instance: u64,
}

/// Hands out [`Sim::instance`]s.
static INSTANCES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl Sim {
    /// Builds the cluster of `config`: system namespaces, then every node of the shape.
    pub fn new(config: SimConfig) -> Sim {
        Sim::try_new(config).expect("the shape's nodes are valid and distinct")
    }

    /// Builds the cluster of `config`, or says why a node of its shape was refused (a bad
    /// name, label or taint, a duplicate, too many nodes): for shapes read from untrusted input.
    pub fn try_new(config: SimConfig) -> Result<Sim, ApiError> {
        let kept = config.clone();
        let mut sim = Sim {
            now: SimTime::ZERO,
            queue: EventQueue::new(),
            rng: SimRng::seed_from(config.seed),
            store: Store::new(),
            limits: config.limits,
            recorder: events::Recorder::default(),
            stopped_kubelets: Default::default(),
            seed: config.seed,
            kubelets: kubelet::Kubelets::default(),
            watch_cursor: 0,
            workqueue: Default::default(),
            scheduler: scheduling::Scheduler::default(),
            autoscaler: Default::default(),
            taint_evictions: Default::default(),
            pod_gc_quarantine: Default::default(),
            rbac_aggregation_deferred: false,
            admission_server: controllers::ingress::admission_review,
            building: true,
            kubectl_namespace: None,
            kubectl_contexts: std::collections::BTreeMap::new(),
            kubectl_context: None,
            port_forwards: Vec::new(),
            proxies: Vec::new(),
            speed: 1.0,
            config: kept,
            instance: INSTANCES.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            system_objects: 0,
            removed_manifests: Default::default(),
            deferred_syncs: Default::default(),
        };
        // These only fail under limits too small for a cluster (untrusted input): an error, then.
        for pc in apiserver::system_priority_classes() {
            sim.create(pc)?;
        }
        for ns in cluster::SYSTEM_NAMESPACES {
            sim.create(cluster::namespace(ns))?;
        }
        sim.create(cluster::default_storage_class())?;
        sim.create(cluster::kubernetes_service())?;
        sim.create(cluster::kubernetes_endpoints())?;
        for node in &config.shape.nodes {
            nodes::register(&mut sim, node)?;
        }
        let before = sim.store.len() - sim.store.count("Event");
        apiserver::rbac::create_defaults(&mut sim);
        system::bootstrap(&mut sim, |sim, name, key| controllers::sync(sim, controllers::Controller(name), key));
        sim.system_objects = sim.store.len() - sim.store.count("Event") - before;
        sim.schedule(node_lifecycle::NODE_MONITOR_PERIOD, Task::NodeMonitor);
        sim.building = false;
        Ok(sim)
    }

    /// The simulated clock.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Read access to the API server's objects and watch events.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Creates an object through the API server (kind lookup, strict fields, validation,
    /// defaulting, admission).
    pub fn create(&mut self, obj: Object) -> Result<Object, ApiError> {
        apiserver::create(self, obj)
    }

    /// Replaces an object through the API server; a stale resourceVersion is a conflict.
    pub fn update(&mut self, obj: Object) -> Result<Object, ApiError> {
        apiserver::update(self, obj)
    }

    /// Deletes an object through the API server, with `propagation` for its dependents.
    pub fn delete(
        &mut self,
        kind: &str,
        namespace: Option<&str>,
        name: &str,
        propagation: Propagation,
    ) -> Result<Object, ApiError> {
        apiserver::delete(self, kind, namespace, name, propagation)
    }

    /// Adds a node, as a new machine joining the cluster (its kubelet registers it).
    pub fn add_node(&mut self, shape: &cluster::NodeShape) -> Result<(), ApiError> {
        nodes::register(self, shape)
    }

    /// Removes a node object (`kubectl delete node`, or the machine is gone for good).
    pub fn remove_node(&mut self, name: &str) -> Result<(), ApiError> {
        self.delete("Node", None, name, Propagation::Background)?;
        let _ = self.store.delete("Lease", Some("kube-node-lease"), name);
        self.stopped_kubelets.remove(name);
        Ok(())
    }

    /// The seed this sim was built with.
    /// Starts over: the cluster as it was built, at time zero (the clock's speed is kept).
    pub fn reset(&mut self) {
        let speed = self.speed;
        *self = Sim::new(self.config.clone());
        self.speed = speed;
    }

    /// This cluster's number among those built in this process: it changes when the cluster
    /// is rebuilt (reset, a lesson started), and means nothing else.
    pub fn instance(&self) -> u64 {
        self.instance
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Stops a node's kubelet: it no longer renews its Lease or runs its pods.
    pub fn stop_kubelet(&mut self, node: &str) {
        self.stopped_kubelets.insert(node.to_string());
    }

    /// Starts a stopped kubelet again: it renews its Lease and reports Ready.
    pub fn start_kubelet(&mut self, node: &str) {
        if self.stopped_kubelets.remove(node) {
            nodes::heartbeat_now(self, node);
            kubelet::resync_node(self, node);
        }
    }

    /// Whether `node`'s kubelet is running.
    pub fn kubelet_running(&self, node: &str) -> bool {
        !self.stopped_kubelets.contains(node)
    }

    /// The sandbox's size limits.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Refuses an object that would take the sandbox past its limits.
    pub(crate) fn check_limits(&self, obj: &Object, name: &str) -> Result<(), ApiError> {
        let l = &self.limits;
        let over = |what: &str, max: usize| {
            Err(ApiError {
                reason: Reason::Forbidden,
                message: format!("{} \"{}\" is forbidden: sandbox limit reached: at most {max} {what} (the native runner lifts limits with --no-limits)", api::discovery::preferred_for_kind(&obj.kind).map_or(obj.kind.as_str(), |r| r.plural), name),
                hints: Vec::new(),
            })
        };
        // The cluster's own parts (kube-system) are not the learner's and do not count.
        let non_events = (self.store.len() - self.store.count("Event")).saturating_sub(self.system_objects);
        if obj.kind != "Event" && non_events >= l.max_objects {
            return over("objects", l.max_objects);
        }
        match obj.kind.as_str() {
            "Pod"
                if self.store.count("Pod") - self.store.list("Pod", Some(system::NAMESPACE)).count() >= l.max_pods =>
            {
                over("pods", l.max_pods)
            }
            "Node" if self.store.count("Node") >= l.max_nodes => over("nodes", l.max_nodes),
            "Pod" => {
                let n = ["containers", "initContainers"]
                    .iter()
                    .filter_map(|k| obj.field(&format!("spec.{k}")).and_then(|v| v.as_array()).map(Vec::len))
                    .sum::<usize>();
                if n > l.max_containers_per_pod {
                    over("containers in a pod", l.max_containers_per_pod)
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }

    /// Queues again the controller syncs that came due while kube-controller-manager could
    /// not work (it is back).
    pub(crate) fn resume_deferred_syncs(&mut self) {
        for (controller, key) in std::mem::take(&mut self.deferred_syncs) {
            controllers::enqueue(self, controller, key);
        }
    }

    /// The cluster network as `pod`'s processes see it (from its IP, on `node`, at `now`): the
    /// kubelet runs processes on whatever network it is given, and this wires in the cluster's,
    /// which reads the kubelets' pods in turn.
    pub(crate) fn pod_network<'a>(
        &'a self,
        pod: &'a Object,
        own_ip: &'a str,
        node: Option<&'a str>,
        now: SimTime,
    ) -> network::ClusterNetwork<'a> {
        network::ClusterNetwork {
            store: &self.store,
            pods: &self.kubelets.pods,
            namespace: pod.namespace().unwrap_or("default"),
            hostname: pod.field("spec.hostname").and_then(serde_json::Value::as_str).unwrap_or(pod.name()),
            own_ip,
            turn: &self.kubelets.turn,
            now,
            node,
        }
    }

    /// The one RNG.
    pub(crate) fn rng_mut(&mut self) -> &mut SimRng {
        &mut self.rng
    }

    /// Stores a new object without admission (the API server's last step).
    pub(crate) fn store_create(&mut self, obj: Object, namespaced: bool) -> Result<Object, StoreError> {
        let uid = self.rng.uuid();
        self.store.create(obj, self.now, uid, namespaced)
    }

    /// Replaces a stored object without admission (status writes by components).
    pub(crate) fn store_update(&mut self, obj: Object) -> Result<Object, StoreError> {
        self.store.update(obj)
    }

    /// Removes a stored object at once.
    pub(crate) fn store_delete(
        &mut self,
        kind: &str,
        namespace: Option<&str>,
        name: &str,
    ) -> Result<Object, StoreError> {
        self.store.delete(kind, namespace, name)
    }

    /// Schedules `task` to run `after` from now.
    pub fn schedule(&mut self, after: Duration, task: Task) {
        self.queue.push(self.now + after, task);
    }

    /// Advances the clock by `by`, running every task due on the way, in order.
    pub fn advance(&mut self, by: Duration) {
        let until = self.now + by;
        let mut same_instant = 0u64;
        loop {
            self.pump_watch_events();
            let Some((at, task)) = self.queue.pop_due(until) else { break };
            same_instant = if at == self.now { same_instant + 1 } else { 0 };
            if same_instant > MAX_TASKS_PER_INSTANT {
                // SIM: a livelock guard. Components that keep waking each other at one instant
                // (a bug, never upstream behaviour) must not hang the page: the rest waits.
                self.queue.push(at + Duration::from_millis(1), task);
                same_instant = 0;
                continue;
            }
            self.now = at;
            self.run(task);
        }
        self.now = until;
    }

    /// Lets the components see every change since they last looked, as their informers
    /// would. They react by scheduling tasks, never by recursing into each other.
    fn pump_watch_events(&mut self) {
        loop {
            let (events, next) = self.store.events_since(self.watch_cursor);
            if events.is_empty() {
                return;
            }
            // Events and Leases change often and interest no component.
            let seen: Vec<store::WatchEvent> =
                events.iter().filter(|e| !matches!(e.object.kind.as_str(), "Event" | "Lease")).cloned().collect();
            self.watch_cursor = next;
            self.store.mark_consumed(next);
            for ev in &seen {
                let gated = ev.object.kind == "Pod"
                    && ev.event_type != store::WatchEventType::Deleted
                    && pod_gates::hold(self, &ev.object);
                if matches!(ev.object.kind.as_str(), "Pod" | "Node") && !gated {
                    scheduling::on_event(self, ev);
                }
                if ev.object.kind == "Pod" {
                    kubelet::on_pod_event(self, ev);
                }
                if matches!(ev.object.kind.as_str(), "Pod" | "Node") {
                    node_lifecycle::on_event(self, ev);
                }
                controllers::on_event(self, ev);
                // The ingress-nginx controller is a pod of its own, not part of the controller manager.
                controllers::ingress::on_event(self, ev);
            }
        }
    }

    fn run(&mut self, task: Task) {
        match task {
            Task::NodeHeartbeat { node } => nodes::heartbeat(self, &node),
            Task::NodeMonitor => {
                system::components::reconcile_kubernetes_service(self);
                system::components::reconcile_mirror_pods(self);
                if system::components::controllers_available(self) {
                    node_lifecycle::monitor(self);
                } else {
                    // The node controller is part of the stopped controller manager: it looks
                    // again at its next period.
                    self.schedule(node_lifecycle::NODE_MONITOR_PERIOD, Task::NodeMonitor);
                }
            }
            Task::TaintEviction { pod } if !system::components::controllers_available(self) => {
                self.schedule(node_lifecycle::NODE_MONITOR_PERIOD, Task::TaintEviction { pod });
            }
            Task::TaintEviction { pod } => node_lifecycle::evict_if_due(self, &pod),
            Task::Kubelet(t) => kubelet::run(self, t),
            Task::Sync(controller, key) if !controllers::take_due(self, controller, &key) => {}
            Task::Sync(controller, key) if !system::components::controllers_available(self) => {
                self.deferred_syncs.insert((controller, key));
            }
            Task::Sync(controller, key) => controllers::sync(self, controller, key),
            // Without a scheduler nothing is scheduled, and no event says so.
            Task::Scheduler(_) if !system::components::scheduler_available(self) => {}
            Task::Scheduler(t) => scheduling::run(self, t),
            Task::Draws(n) => {
                for _ in 0..n {
                    self.rng.next_u64();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_cluster_has_system_namespaces_and_four_nodes() {
        let sim = Sim::new(SimConfig::default());
        let ns: Vec<_> = sim.store().list("Namespace", None).map(|o| o.name().to_string()).collect();
        assert_eq!(ns, ["default", "kube-node-lease", "kube-public", "kube-system"]);
        let nodes: Vec<_> = sim.store().list("Node", None).map(|o| o.name().to_string()).collect();
        assert_eq!(nodes, ["control-plane", "node-1", "node-2", "node-3"]);
    }

    #[test]
    fn advance_moves_the_clock_and_runs_heartbeats() {
        let mut sim = Sim::new(SimConfig::default());
        // kube-system's pods start in the first seconds; after that only heartbeats write.
        sim.advance(Duration::from_secs(95));
        let rv_before = sim.store().resource_version();
        sim.advance(Duration::from_secs(20));
        assert_eq!(sim.now(), SimTime::from_secs(115));
        // 4 nodes × heartbeats at 100 s and 110 s, each renewing a Lease.
        assert_eq!(sim.store().resource_version() - rv_before, 8);
    }

    #[test]
    fn limits_refuse_growth_with_a_clear_message_and_change_nothing() {
        let limits = Limits { max_pods: 2, ..Limits::default() };
        let mut sim = Sim::new(SimConfig { limits, ..SimConfig::default() });
        let pod = |name: &str| {
            let text = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - {{name: c, image: nginx}}\n");
            crate::manifest::parse(&text).unwrap().remove(0)
        };
        sim.create(pod("a")).unwrap();
        sim.create(pod("b")).unwrap();
        let rv = sim.store().resource_version();
        let err = sim.create(pod("c")).unwrap_err();
        assert_eq!(err.reason, Reason::Forbidden);
        assert_eq!(err.message, "pods \"c\" is forbidden: sandbox limit reached: at most 2 pods (the native runner lifts limits with --no-limits)");
        assert_eq!(sim.store().resource_version(), rv);
    }

    #[test]
    fn same_seed_gives_same_uids() {
        let a = Sim::new(SimConfig::default());
        let b = Sim::new(SimConfig::default());
        let c = Sim::new(SimConfig { seed: 2, ..SimConfig::default() });
        let uid = |s: &Sim| s.store().get("Node", None, "node-1").unwrap().uid().to_string();
        assert_eq!(uid(&a), uid(&b));
        assert_ne!(uid(&a), uid(&c));
    }
}
