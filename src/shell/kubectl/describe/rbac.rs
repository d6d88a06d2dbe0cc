//! `kubectl describe role|clusterrole|rolebinding|clusterrolebinding`: the rules as one row per
//! resource (kubectl's compacted form), the role a binding refers to and its subjects.

use serde_json::Value;

use super::{annotations_lines, labels_lines, render};
use crate::shell::kubectl::auth::{compact, rule_row};
use crate::sim::api::Object;
use crate::sim::apiserver::rbac::Rule;

/// Name, labels and annotations: RBAC describers print no namespace.
fn header(o: &Object) -> String {
    let mut s = format!("Name:\t{}\n", o.name());
    s.push_str(&labels_lines("Labels", &o.metadata.labels));
    s.push_str(&annotations_lines("Annotations", &o.metadata.annotations));
    s
}

/// A Role or ClusterRole.
pub fn role(o: &Object) -> String {
    let rules: Vec<Rule> =
        o.body.get("rules").and_then(Value::as_array).into_iter().flatten().map(Rule::from_value).collect();
    let mut s = header(o);
    s.push_str("PolicyRule:\n");
    let mut table = String::from(
        "Resources\tNon-Resource URLs\tResource Names\tVerbs\n---------\t-----------------\t--------------\t-----\n",
    );
    for r in compact(&rules) {
        table.push_str(&rule_row(&r));
    }
    for line in render(&table).lines() {
        s.push_str(&format!("  {line}\n"));
    }
    render(&s)
}

/// A RoleBinding or ClusterRoleBinding.
pub fn binding(o: &Object) -> String {
    let text = |v: &Value, key: &str| v[key].as_str().unwrap_or("").to_string();
    let role_ref = o.body.get("roleRef").cloned().unwrap_or(Value::Null);
    let mut s = header(o);
    s.push_str(&format!("Role:\n  Kind:\t{}\n  Name:\t{}\n", text(&role_ref, "kind"), text(&role_ref, "name")));
    s.push_str("Subjects:\n");
    let mut table = String::from("Kind\tName\tNamespace\n----\t----\t---------\n");
    for subj in o.body.get("subjects").and_then(Value::as_array).into_iter().flatten() {
        table.push_str(&format!("{}\t{}\t{}\n", text(subj, "kind"), text(subj, "name"), text(subj, "namespace")));
    }
    let head = render(&s);
    let mut out = head;
    for line in render(&table).lines() {
        out.push_str(&format!("  {line}\n"));
    }
    out
}
