//! NodeResourcesBalancedAllocation: prefers nodes whose cpu and memory would be used in
//! similar shares once the pod is there.

use super::{CycleState, ScorePlugin, BALANCED_ALLOCATION};
use crate::sim::scheduling::cache::NodeInfo;

pub struct BalancedAllocation;

impl ScorePlugin for BalancedAllocation {
    fn name(&self) -> &'static str {
        BALANCED_ALLOCATION
    }

    fn score(&self, state: &CycleState, node: &NodeInfo) -> i64 {
        let r = &state.pod.requests;
        let frac = |alloc: i64, used: i64| if alloc <= 0 { 1.0 } else { (used as f64 / alloc as f64).min(1.0) };
        let c = frac(node.alloc_cpu, node.requested_cpu.saturating_add(r.cpu));
        let m = frac(node.alloc_memory, node.requested_memory.saturating_add(r.memory));
        let std = (c - m).abs() / 2.0;
        ((1.0 - std) * 100.0) as i64
    }
}
