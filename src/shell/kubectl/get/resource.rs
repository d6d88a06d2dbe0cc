//! What a type word on kubectl's command line names: a built-in resource, a custom resource
//! served from a CRD, or the `all` category.

use serde_json::{json, Value};

use crate::sim::api::{discovery, Object};
use crate::sim::Sim;

/// A resource type as `kubectl get` needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceType {
    pub kind: String,
    /// Plural, lowercase: `deployments`.
    pub plural: String,
    /// API group, `""` for core.
    pub group: String,
    pub namespaced: bool,
    /// For custom resources: the CRD's `additionalPrinterColumns` (an `Age` column if it has none).
    pub printer_columns: Option<Vec<Value>>,
}

/// The resources the `all` category stands for, in the order kubectl prints them.
pub const ALL: &[&str] = &[
    "pods",
    "replicationcontrollers",
    "services",
    "daemonsets",
    "deployments",
    "replicasets",
    "statefulsets",
    "horizontalpodautoscalers",
    "cronjobs",
    "jobs",
];

impl ResourceType {
    fn built_in(r: &discovery::Resource) -> ResourceType {
        ResourceType {
            kind: r.kind.to_string(),
            plural: r.plural.to_string(),
            group: r.group().to_string(),
            namespaced: r.namespaced,
            printer_columns: None,
        }
    }

    /// `deployments.apps`, `pods`: how API errors name the resource.
    pub fn qualified_plural(&self) -> String {
        if self.group.is_empty() {
            self.plural.clone()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// `deployment.apps`, `pod`: the prefix of `TYPE/NAME` when several kinds print together.
    pub fn kind_prefix(&self) -> String {
        let kind = self.kind.to_ascii_lowercase();
        if self.group.is_empty() {
            kind
        } else {
            format!("{kind}.{}", self.group)
        }
    }
}

/// The resource `name` means (`po`, `pods`, `Pod`, `deployments.apps`, a CRD's names), if served.
pub fn lookup(sim: &Sim, name: &str) -> Option<ResourceType> {
    if let Some(r) = discovery::lookup_name(name) {
        return Some(ResourceType::built_in(r));
    }
    let lower = name.to_ascii_lowercase();
    sim.store().list("CustomResourceDefinition", None).find_map(|crd| custom(crd, &lower))
}

fn custom(crd: &Object, name: &str) -> Option<ResourceType> {
    let spec = crd.body.get("spec")?;
    let names = &spec["names"];
    let group = spec["group"].as_str().unwrap_or("");
    let (base, qualifier) = name.split_once('.').map_or((name, None), |(b, g)| (b, Some(g)));
    let s = |v: &Value| v.as_str().unwrap_or("").to_ascii_lowercase();
    let matches = [s(&names["plural"]), s(&names["singular"]), s(&names["kind"])].contains(&base.to_string())
        || names["shortNames"].as_array().into_iter().flatten().any(|n| s(n) == base);
    if !matches || qualifier.is_some_and(|g| g != group) {
        return None;
    }
    let versions = spec["versions"].as_array().cloned().unwrap_or_default();
    let version =
        versions.iter().find(|v| v["storage"] == true).or_else(|| versions.iter().find(|v| v["served"] != false));
    let columns = version
        .and_then(|v| v["additionalPrinterColumns"].as_array().cloned())
        .unwrap_or_else(|| vec![json!({"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"})]);
    Some(ResourceType {
        kind: names["kind"].as_str().unwrap_or("").to_string(),
        plural: s(&names["plural"]),
        group: group.to_string(),
        namespaced: spec["scope"] != "Cluster",
        printer_columns: Some(columns),
    })
}
