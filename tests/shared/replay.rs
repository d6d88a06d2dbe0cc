//! Shared by the native and the browser determinism tests: one scripted run and its digest.

use std::time::Duration;

use kube_sandbox::manifest;
use kube_sandbox::sim::{Sim, SimConfig};

/// The digest of `scripted_run(7)`'s event log. Both platforms must produce it.
/// If a deliberate change to the sim moves it, update it here (both tests read this file).
pub const DIGEST_OF_SEED_7: u64 = 4_779_524_684_265_413_129;

const SCRIPT: &str = "apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  nodeName: node-2
  containers:
  - name: web
    image: nginx:1.27
---
apiVersion: v1
kind: ConfigMap
metadata:
  generateName: cfg-
data:
  k: v
";

/// A fixed run: a fresh default cluster with `seed`, a pod and a generated-name ConfigMap,
/// 95 s of simulated time, a node stopped, 400 s more (so eviction happens).
pub fn scripted_run(seed: u64) -> Sim {
    let mut sim = Sim::new(SimConfig { seed, ..SimConfig::default() });
    for obj in manifest::parse(SCRIPT).expect("the script parses") {
        sim.create(obj).expect("the script's objects are valid");
    }
    sim.advance(Duration::from_secs(95));
    sim.stop_kubelet("node-2");
    sim.advance(Duration::from_secs(400));
    sim
}
