//! VolumeBinding: a pod's PersistentVolumeClaims must exist and be usable (bound, or waiting
//! for their first consumer), and a bound volume's node affinity must allow the node.

use serde_json::Value;

use super::{match_node_selector_term, CycleState, FilterPlugin, Status, VOLUME_BINDING};
use crate::sim::api::Object;
use crate::sim::scheduling::cache::NodeInfo;
use crate::sim::scheduling::record::reason;
use crate::sim::store::Store;

pub struct VolumeBinding;

/// Each bound volume's required node selector terms, and why the pod's claims cannot be used at
/// all (a missing claim, an unbound Immediate one).
pub fn claims_of(store: &Store, pod: &Object) -> (Vec<Vec<Value>>, Option<String>) {
    let (mut terms_all, mut error) = (Vec::new(), None);
    let ns = pod.namespace().unwrap_or("default");
    let volumes = pod.field("spec.volumes").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    for claim_name in volumes.iter().filter_map(|v| v["persistentVolumeClaim"]["claimName"].as_str()) {
        let Some(claim) = store.get("PersistentVolumeClaim", Some(ns), claim_name) else {
            error = Some(format!("persistentvolumeclaim \"{claim_name}\" not found"));
            continue;
        };
        match claim.field("spec.volumeName").and_then(Value::as_str).filter(|v| !v.is_empty()) {
            Some(pv) => {
                let terms = store
                    .get("PersistentVolume", None, pv)
                    .and_then(|p| p.field("spec.nodeAffinity.required.nodeSelectorTerms"))
                    .and_then(Value::as_array)
                    .cloned();
                terms_all.extend(terms);
            }
            None => {
                let class = claim.field("spec.storageClassName").and_then(Value::as_str).unwrap_or("");
                let waits = store
                    .get("StorageClass", None, class)
                    .and_then(|c| c.body.get("volumeBindingMode"))
                    .and_then(Value::as_str)
                    == Some("WaitForFirstConsumer");
                if !waits {
                    error = Some("pod has unbound immediate PersistentVolumeClaims".into());
                }
            }
        }
    }
    (terms_all, error)
}

impl FilterPlugin for VolumeBinding {
    fn name(&self) -> &'static str {
        VOLUME_BINDING
    }

    fn filter(&self, state: &CycleState, node: &NodeInfo, status: &mut Status) {
        // SIM: upstream reports a missing or unbound Immediate claim once, from PreFilter;
        // here each node carries the reason.
        if let Some(e) = &state.pod.volume_error {
            status.fail_with(e);
            return;
        }
        let conflict =
            state.pod.volume_terms.iter().any(|terms| !terms.iter().any(|t| match_node_selector_term(t, &node.labels)));
        if conflict {
            status.fail(reason::VOLUME_CONFLICT);
        }
    }
}
