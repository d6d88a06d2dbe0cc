//! Resource usage of running containers, as metrics-server reports it (`kubectl top`, the
//! HorizontalPodAutoscaler's resource metrics).
//!
//! Usage comes from what the simulated processes do: a process at rest uses its image's
//! baseline, busy work and requests it serves add CPU.

pub use crate::sim::kubelet::usage::{Usage, WINDOW_SECS};
use crate::sim::kubelet::Phase;
use crate::sim::store::ObjectKey;
use crate::sim::Sim;

/// Each running container's usage (name, usage), or `None` when the pod runs on no kubelet
/// (no metrics yet, as metrics-server answers for a pod that has not started).
pub fn pod_usage(sim: &Sim, key: &ObjectKey) -> Option<Vec<(String, Usage)>> {
    let run = sim.kubelets.pods.get(key)?;
    let usage: Vec<(String, Usage)> = run
        .containers
        .iter()
        .filter(|c| matches!(c.phase, Phase::Running { .. }))
        .map(|c| (c.name.clone(), c.usage(sim.now())))
        .collect();
    (!usage.is_empty()).then_some(usage)
}

/// The sum of a pod's containers' usage.
pub fn pod_total(sim: &Sim, key: &ObjectKey) -> Option<Usage> {
    let per = pod_usage(sim, key)?;
    Some(per.iter().fold(Usage::default(), |a, (_, u)| Usage {
        cpu_millis: a.cpu_millis + u.cpu_millis,
        memory_bytes: a.memory_bytes + u.memory_bytes,
    }))
}
