//! Resource usage of running containers, as metrics-server reports it (`kubectl top`, the
//! HorizontalPodAutoscaler's resource metrics).
//!
//! Usage comes from what the simulated processes do: a process at rest uses its image's
//! baseline, busy work and requests it serves add CPU.

use crate::sim::kubelet::Phase;
use crate::sim::store::ObjectKey;
use crate::sim::Sim;

/// One container's usage over the last metrics window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// CPU in millicores.
    pub cpu_millis: u64,
    /// Working-set memory in bytes.
    pub memory_bytes: u64,
}

/// metrics-server scrapes every 15 s; usage is averaged over such a window.
pub const WINDOW_SECS: u64 = 15;

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
