//! The orchestrator: a deterministic simulation of a Kubernetes cluster.
//!
//! Must not touch the page (no yew, web-sys, gloo, js-sys, wasm-bindgen), the wall clock or OS
//! randomness: all time comes from [`time::SimTime`], all chance from the one [`rng::SimRng`].
//! The same seed and the same inputs give the same watch events, natively and in wasm.

pub mod api;
pub mod cluster;
pub mod images;
pub mod nodes;
pub mod process;
pub mod quantity;
pub mod queue;
pub mod rng;
pub mod scheduler;
pub mod store;
pub mod time;

use std::time::Duration;

/// The Kubernetes release the sandbox behaves as (nodes report it; `kubectl version` prints it).
pub const KUBERNETES_VERSION: &str = "v1.37.0";

use api::Object;
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
}

/// How to build a [`Sim`]: the seed and the cluster's shape.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    /// Seeds the one RNG; the same seed gives the same uids, tie-breaks and events.
    pub seed: u64,
    /// The nodes the cluster starts with.
    pub shape: ClusterShape,
}

impl Default for SimConfig {
    /// Seed 1 and the default shape: one control plane and three workers.
    fn default() -> Self {
        SimConfig {
            seed: 1,
            shape: ClusterShape::default(),
        }
    }
}

/// A whole simulated cluster: clock, event queue, RNG and the API server's store.
#[derive(Debug)]
pub struct Sim {
    now: SimTime,
    queue: EventQueue<Task>,
    rng: SimRng,
    store: Store,
}

impl Sim {
    /// Builds the cluster of `config`: system namespaces, then every node of the shape.
    pub fn new(config: SimConfig) -> Sim {
        let mut sim = Sim {
            now: SimTime::ZERO,
            queue: EventQueue::new(),
            rng: SimRng::seed_from(config.seed),
            store: Store::new(),
        };
        for ns in cluster::SYSTEM_NAMESPACES {
            sim.create(cluster::namespace(ns))
                .expect("system namespaces are valid and new");
        }
        for node in &config.shape.nodes {
            nodes::register(&mut sim, node).expect("the shape's nodes are valid and distinct");
        }
        sim
    }

    /// The simulated clock.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Read access to the API server's objects and watch events.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Creates an object as the API server does: assigns uid, resourceVersion and
    /// creationTimestamp.
    pub fn create(&mut self, obj: Object) -> Result<Object, StoreError> {
        let uid = self.rng.uuid();
        self.store.create(obj, self.now, uid)
    }

    /// Replaces an object; fails with a conflict if its resourceVersion is stale.
    pub fn update(&mut self, obj: Object) -> Result<Object, StoreError> {
        self.store.update(obj)
    }

    /// Schedules `task` to run `after` from now.
    pub fn schedule(&mut self, after: Duration, task: Task) {
        self.queue.push(self.now + after, task);
    }

    /// Advances the clock by `by`, running every task due on the way, in order.
    pub fn advance(&mut self, by: Duration) {
        let until = self.now + by;
        while let Some((at, task)) = self.queue.pop_due(until) {
            self.now = at;
            self.run(task);
        }
        self.now = until;
    }

    fn run(&mut self, task: Task) {
        match task {
            Task::NodeHeartbeat { node } => nodes::heartbeat(self, &node),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_cluster_has_system_namespaces_and_four_nodes() {
        let sim = Sim::new(SimConfig::default());
        let ns: Vec<_> = sim
            .store()
            .list("Namespace", None)
            .map(|o| o.name().to_string())
            .collect();
        assert_eq!(
            ns,
            ["default", "kube-node-lease", "kube-public", "kube-system"]
        );
        let nodes: Vec<_> = sim
            .store()
            .list("Node", None)
            .map(|o| o.name().to_string())
            .collect();
        assert_eq!(nodes, ["control-plane", "node-1", "node-2", "node-3"]);
    }

    #[test]
    fn advance_moves_the_clock_and_runs_heartbeats() {
        let mut sim = Sim::new(SimConfig::default());
        let rv_before = sim.store().resource_version();
        sim.advance(Duration::from_secs(25));
        assert_eq!(sim.now(), SimTime::from_secs(25));
        // 4 nodes × heartbeats at 10 s and 20 s, each renewing a Lease.
        assert_eq!(sim.store().resource_version() - rv_before, 8);
    }

    #[test]
    fn same_seed_gives_same_uids() {
        let a = Sim::new(SimConfig::default());
        let b = Sim::new(SimConfig::default());
        let c = Sim::new(SimConfig {
            seed: 2,
            ..SimConfig::default()
        });
        let uid = |s: &Sim| {
            s.store()
                .get("Node", None, "node-1")
                .unwrap()
                .uid()
                .to_string()
        };
        assert_eq!(uid(&a), uid(&b));
        assert_ne!(uid(&a), uid(&c));
    }
}
