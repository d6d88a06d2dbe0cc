//! NodeName: a pod that names its node goes there. Pods with `spec.nodeName` never reach the
//! scheduler here (the kubelet takes them directly), so the filter always passes; it is kept so
//! that the decision table lists the plugins upstream runs.

use super::{CycleState, FilterPlugin, Status, NODE_NAME};
use crate::sim::scheduling::cache::NodeInfo;

pub struct NodeName;

impl FilterPlugin for NodeName {
    fn name(&self) -> &'static str {
        NODE_NAME
    }

    fn filter(&self, _state: &CycleState, _node: &NodeInfo, _status: &mut Status) {}
}
