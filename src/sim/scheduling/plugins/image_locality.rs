//! ImageLocality: prefers nodes that already have the pod's images, weighted by how widely
//! each image is spread (an image on every node says little).

use super::{CycleState, ScorePlugin, IMAGE_LOCALITY};
use crate::sim::scheduling::cache::NodeInfo;

pub struct ImageLocality;

const MB: i64 = 1024 * 1024;

impl ScorePlugin for ImageLocality {
    fn name(&self) -> &'static str {
        IMAGE_LOCALITY
    }

    fn score(&self, state: &CycleState, node: &NodeInfo) -> i64 {
        let total_nodes = state.cache.len().max(1) as i64;
        let sum: i64 = state
            .image_spread
            .iter()
            .filter_map(|&(img, spread)| Some(node.image_size(img)? * spread / total_nodes))
            .sum();
        let (min, max) = (23 * MB, 1000 * MB * state.pod.images.len().max(1) as i64);
        ((sum.clamp(min, max) - min) * 100) / (max - min)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::testing::{node, pod};
    use super::super::{CycleState, PodInfo};
    use super::*;
    use crate::sim::scheduling::cache::Cache;

    #[test]
    fn a_large_image_present_everywhere_scores_by_its_size() {
        let with = |gb: i64| json!({"status": {"images": [{"names": ["docker.io/library/nginx:latest"], "sizeBytes": gb * 1000 * MB}]}});
        let mut cache = Cache::default();
        cache.upsert_node(&node("big", with(1)));
        cache.upsert_node(&node("none", json!({})));
        let info = PodInfo::of(&pod("p", json!({})), &mut cache.syms);
        let state = CycleState::pre_filter(&info, &cache);
        // Present on half the nodes: half its size counts.
        let score = |n: &str| ImageLocality.score(&state, cache.node_named(n).unwrap());
        assert_eq!((score("big"), score("none")), ((500 * MB - 23 * MB) * 100 / (977 * MB), 0));
    }
}
