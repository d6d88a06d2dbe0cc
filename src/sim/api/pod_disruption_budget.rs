//! The rules of a PodDisruptionBudget that the eviction API and the disruption controller
//! share: which pods a budget selects, and which of them count as healthy.

use std::collections::BTreeMap;

use serde_json::Value;

use super::conditions::is_ready;
use super::Object;
use crate::sim::selector::matches_label_selector;

/// Whether `pdb` selects pods with `labels`: in policy/v1 an empty selector selects every pod
/// of the namespace and a missing one selects none.
pub fn selects(pdb: &Object, labels: &BTreeMap<String, String>) -> bool {
    match pdb.field("spec.selector") {
        None | Some(Value::Null) => false,
        Some(sel) => matches_label_selector(sel, labels),
    }
}

/// Ready and not being deleted (upstream's `countHealthyPods`).
pub fn is_healthy(p: &Object) -> bool {
    p.metadata.deletion_timestamp.is_none() && is_ready(p)
}
