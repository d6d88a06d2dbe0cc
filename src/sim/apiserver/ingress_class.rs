//! The DefaultIngressClass admission plugin (upstream
//! `plugin/pkg/admission/network/defaultingressclass`).

use serde_json::json;

use crate::sim::api::ingress_class::{DEFAULT_CLASS_ANNOTATION, LEGACY_CLASS_ANNOTATION};
use crate::sim::api::Object;
use crate::sim::store::Store;

/// The DefaultIngressClass admission plugin: an Ingress that names no class (neither
/// `spec.ingressClassName` nor the legacy annotation) gets the default IngressClass's name; of
/// several defaults, the newest.
pub fn admit_default_class(store: &Store, ing: &mut Object) {
    let legacy = ing.metadata.annotations.as_ref().is_some_and(|a| a.contains_key(LEGACY_CLASS_ANNOTATION));
    let spec = ing.body.entry("spec").or_insert_with(|| json!({}));
    if legacy || !spec["ingressClassName"].is_null() {
        return;
    }
    let default = store
        .list("IngressClass", None)
        .filter(|ic| {
            ic.metadata.annotations.as_ref().and_then(|a| a.get(DEFAULT_CLASS_ANNOTATION)).is_some_and(|v| v == "true")
        })
        .max_by_key(|ic| (ic.metadata.creation_timestamp.as_ref().map(|t| t.0), ic.name().to_string()))
        .map(|ic| ic.name().to_string());
    if let Some(name) = default {
        spec["ingressClassName"] = json!(name);
    }
}
