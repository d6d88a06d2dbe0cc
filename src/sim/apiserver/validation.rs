//! Validation with the API server's rules and messages: object names, labels, annotations,
//! pod specs, workload selectors. Each failure is a `FieldError` (`path: Kind: detail`);
//! the API server joins them into `Pod "x" is invalid: …`.

pub mod apps;
pub mod batch;
pub mod networking;

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use crate::sim::quantity::Quantity;

/// One invalid field, worded as `field.ErrorList` prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub path: String,
    pub detail: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.detail)
    }
}

pub(crate) fn invalid(path: &str, value: &str, msg: &str) -> FieldError {
    FieldError { path: path.into(), detail: format!("Invalid value: \"{value}\": {msg}") }
}

pub(crate) fn required(path: &str) -> FieldError {
    FieldError { path: path.into(), detail: "Required value".into() }
}

pub(crate) fn unsupported(path: &str, value: &str, supported: &[&str]) -> FieldError {
    let list = supported.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ");
    FieldError { path: path.into(), detail: format!("Unsupported value: \"{value}\": supported values: {list}") }
}

pub(crate) const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_LABEL_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const QUALIFIED_NAME_MSG: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

pub(crate) fn is_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

pub(crate) fn is_dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns1123_label)
}

/// Which rule an object's name follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    Subdomain,
    Label,
    Dns1035,
    /// Any string usable as a URL path segment (RBAC objects: `system:metrics-server`).
    PathSegment,
}

/// The name rule of `kind`, as the API server applies it.
pub fn name_rule(kind: &str) -> NameRule {
    match kind {
        "Namespace" => NameRule::Label,
        "Service" => NameRule::Dns1035,
        "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding" => NameRule::PathSegment,
        _ => NameRule::Subdomain,
    }
}

/// `metadata.name` checked against `rule`.
pub fn validate_name(name: &str, rule: NameRule) -> Vec<FieldError> {
    let path = "metadata.name";
    let mut errs = Vec::new();
    let (ok, msg, max) = match rule {
        NameRule::Subdomain => (is_dns1123_subdomain(name), DNS1123_SUBDOMAIN_MSG, 253),
        NameRule::Label => (is_dns1123_label(name), DNS1123_LABEL_MSG, 63),
        NameRule::PathSegment => (
            !matches!(name, "." | "..") && !name.contains(['/', '%']),
            "may not contain '/' or '%' and may not be '.' or '..'",
            usize::MAX,
        ),
        NameRule::Dns1035 => (is_dns1123_label(name) && name.as_bytes()[0].is_ascii_lowercase(), DNS1035_LABEL_MSG, 63),
    };
    if name.len() > max {
        errs.push(invalid(path, name, &format!("must be no more than {max} characters")));
    } else if !ok {
        errs.push(invalid(path, name, msg));
    }
    errs
}

fn is_qualified_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

/// A label or annotation key: `[prefix/]name`.
fn validate_key(path: &str, key: &str) -> Vec<FieldError> {
    let (prefix, name) = key.rsplit_once('/').map_or((None, key), |(p, n)| (Some(p), n));
    let mut errs = Vec::new();
    if let Some(p) = prefix {
        if !is_dns1123_subdomain(p) {
            errs.push(invalid(path, key, &format!("prefix part {DNS1123_SUBDOMAIN_MSG}")));
        }
    }
    if name.len() > 63 {
        errs.push(invalid(path, key, "name part must be no more than 63 characters"));
    } else if !is_qualified_name_part(name) {
        errs.push(invalid(path, key, QUALIFIED_NAME_MSG));
    }
    errs
}

/// `metadata.labels`: qualified keys, values of at most 63 label characters.
pub fn validate_labels(path: &str, labels: &BTreeMap<String, String>) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (k, v) in labels {
        errs.extend(validate_key(path, k));
        let ok = v.is_empty() || is_qualified_name_part(v);
        if v.len() > 63 {
            errs.push(invalid(path, v, "must be no more than 63 characters"));
        } else if !ok {
            errs.push(invalid(path, v, LABEL_VALUE_MSG));
        }
    }
    errs
}

/// `metadata.annotations`: qualified keys, total size at most 256 KiB.
pub fn validate_annotations(annotations: &BTreeMap<String, String>) -> Vec<FieldError> {
    let path = "metadata.annotations";
    let mut errs: Vec<_> = annotations.keys().flat_map(|k| validate_key(path, k)).collect();
    let total: usize = annotations.iter().map(|(k, v)| k.len() + v.len()).sum();
    if total > 256 * 1024 {
        errs.push(FieldError { path: path.into(), detail: "Too long: must have at most 262144 bytes".into() });
    }
    errs
}

/// Upstream `core.MaxSecretSize`: the most bytes of data a Secret or a ConfigMap holds.
pub const MAX_SECRET_SIZE: usize = 1024 * 1024;

fn too_long_data(path: &str) -> FieldError {
    FieldError { path: path.into(), detail: format!("Too long: must have at most {MAX_SECRET_SIZE} bytes") }
}

/// The bytes of a map's values: base64-decoded ones (`binaryData`, a Secret's `data`) count
/// as the bytes they stand for.
fn data_bytes(map: &Value, encoded: bool) -> usize {
    let values = map.as_object().into_iter().flat_map(|m| m.values());
    values
        .map(|v| {
            let text = v.as_str().unwrap_or_default();
            if encoded {
                crate::sim::base64::decode(text).map_or(text.len(), |b| b.len())
            } else {
                text.len()
            }
        })
        .fold(0usize, usize::saturating_add)
}

/// A ConfigMap's `data` and `binaryData` together hold at most 1 MiB (upstream names the
/// object itself as the field: `[]`).
pub fn validate_config_map_size(body: &Value) -> Vec<FieldError> {
    let total = data_bytes(&body["data"], false).saturating_add(data_bytes(&body["binaryData"], true));
    if total > MAX_SECRET_SIZE {
        vec![too_long_data("[]")]
    } else {
        Vec::new()
    }
}

/// A Secret's `data` holds at most 1 MiB, with `stringData` merged into it as the conversion
/// does (a key in both counts with its stringData value).
pub fn validate_secret_size(body: &Value) -> Vec<FieldError> {
    let mut data = body["data"].clone();
    if let (Some(d), Some(strings)) = (data.as_object_mut(), body["stringData"].as_object()) {
        for k in strings.keys() {
            d.remove(k);
        }
    }
    let total = data_bytes(&data, true).saturating_add(data_bytes(&body["stringData"], false));
    if total > MAX_SECRET_SIZE {
        vec![too_long_data("data")]
    } else {
        Vec::new()
    }
}

/// A pod spec (of a Pod, or of a workload's template at `path`).
pub fn validate_pod_spec(path: &str, spec: &Value, allowed_restart: &[&str]) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let restart = spec["restartPolicy"].as_str().unwrap_or("Always");
    if !allowed_restart.contains(&restart) {
        errs.push(unsupported(&format!("{path}.restartPolicy"), restart, allowed_restart));
    }
    let containers = spec["containers"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    if containers.is_empty() {
        errs.push(required(&format!("{path}.containers")));
    }
    let mut names = std::collections::BTreeSet::new();
    let init = spec["initContainers"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    for (field, list) in [("initContainers", init), ("containers", containers)] {
        for (i, c) in list.iter().enumerate() {
            let cpath = format!("{path}.{field}[{i}]");
            match c["name"].as_str() {
                None | Some("") => errs.push(required(&format!("{cpath}.name"))),
                Some(n) if !is_dns1123_label(n) => errs.push(invalid(&format!("{cpath}.name"), n, DNS1123_LABEL_MSG)),
                Some(n) if !names.insert(n.to_string()) => {
                    errs.push(FieldError { path: format!("{cpath}.name"), detail: format!("Duplicate value: \"{n}\"") })
                }
                Some(_) => {}
            }
            if c["image"].as_str().is_none_or(|s| s.trim().is_empty()) {
                errs.push(required(&format!("{cpath}.image")));
            }
            errs.extend(validate_resources(&format!("{cpath}.resources"), &c["resources"]));
            for (j, p) in c["ports"].as_array().into_iter().flatten().enumerate() {
                let port = p["containerPort"].as_i64().unwrap_or(0);
                if !(1..=65535).contains(&port) {
                    errs.push(FieldError {
                        path: format!("{cpath}.ports[{j}].containerPort"),
                        detail: format!("Invalid value: {port}: must be between 1 and 65535, inclusive"),
                    });
                }
            }
        }
    }
    errs
}

/// Requests and limits: valid quantities, requests no greater than limits.
fn validate_resources(path: &str, res: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let parse = |section: &str| -> BTreeMap<String, Option<Quantity>> {
        res[section]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.as_str().map(str::to_string).or_else(|| v.as_f64().map(|n| n.to_string()))))
            .map(|(k, v)| (k, v.and_then(|s| Quantity::parse(&s).ok())))
            .collect()
    };
    let requests = parse("requests");
    let limits = parse("limits");
    for (section, map) in [("requests", &requests), ("limits", &limits)] {
        for (k, q) in map {
            match q {
                None => errs.push(FieldError {
                    path: format!("{path}.{section}[{k}]"),
                    detail: "Invalid value: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'".into(),
                }),
                Some(q) if q.milli() < 0 => errs.push(FieldError {
                    path: format!("{path}.{section}[{k}]"),
                    detail: format!("Invalid value: \"{q}\": must be greater than or equal to 0"),
                }),
                Some(_) => {}
            }
        }
    }
    for (k, req) in &requests {
        if let (Some(req), Some(Some(lim))) = (req, limits.get(k)) {
            if req > lim {
                errs.push(FieldError {
                    path: format!("{path}.requests"),
                    detail: format!("Invalid value: \"{req}\": must be less than or equal to {k} limit of {lim}"),
                });
            }
        }
    }
    errs
}

/// A workload's selector and template: selector required, template labels must match it.
/// What a running pod's spec may not change: everything but its containers' images,
/// `activeDeadlineSeconds`, `terminationGracePeriodSeconds` and added tolerations (upstream's
/// ValidatePodUpdate). SIM: the API server's field-by-field diff after the message is left out.
pub fn pod_update(old: Option<&Value>, new: Option<&Value>) -> Option<FieldError> {
    let (Some(old), Some(new)) = (old, new) else { return None };
    let mut new = new.clone();
    let mut old = old.clone();
    for list in ["containers", "initContainers"] {
        // `get_mut`, not indexing: indexing would add the key to a spec that lacks it.
        if let (Some(o), Some(n)) =
            (old.get(list).and_then(Value::as_array), new.get_mut(list).and_then(Value::as_array_mut))
        {
            if o.len() == n.len() {
                for (oc, nc) in o.iter().zip(n.iter_mut()) {
                    nc["image"] = oc["image"].clone();
                }
            }
        }
    }
    for field in ["activeDeadlineSeconds", "terminationGracePeriodSeconds"] {
        if let Some(m) = new.as_object_mut() {
            match old.get(field).cloned() {
                Some(v) => m.insert(field.to_string(), v),
                None => m.remove(field),
            };
        }
    }
    // Tolerations may only be added to: the old ones must all still be there.
    let old_tols = old.get("tolerations").and_then(Value::as_array).cloned().unwrap_or_default();
    let new_tols = new.get("tolerations").and_then(Value::as_array).cloned().unwrap_or_default();
    if old_tols.iter().all(|t| new_tols.contains(t)) {
        if let (Some(o), Some(n)) = (old.as_object_mut(), new.as_object_mut()) {
            o.remove("tolerations");
            n.remove("tolerations");
        }
    }
    // Scheduling gates may only be removed (upstream `validateOnlyDeletedSchedulingGates`).
    let old_gates = old.as_object_mut().and_then(|o| o.remove("schedulingGates")).unwrap_or(Value::Null);
    let new_gates = new.as_object_mut().and_then(|n| n.remove("schedulingGates")).unwrap_or(Value::Null);
    let old_gates = old_gates.as_array().cloned().unwrap_or_default();
    for (i, gate) in new_gates.as_array().into_iter().flatten().enumerate() {
        if !old_gates.iter().any(|g| g["name"] == gate["name"]) {
            return Some(FieldError {
                path: format!("spec.schedulingGates[{i}]"),
                detail: format!(
                    "Forbidden: only deletion is allowed, but found new scheduling gate '{}'",
                    gate["name"].as_str().unwrap_or("")
                ),
            });
        }
    }
    (old != new).then(|| FieldError {
        path: "spec".into(),
        detail: "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)".into(),
    })
}

/// A StatefulSet's spec may change only in the fields upstream lets an update touch
/// (`ValidateStatefulSetUpdate`); anything else is refused with its Forbidden text.
pub fn statefulset_update(old: Option<&Value>, new: Option<&Value>) -> Option<FieldError> {
    let (Some(Value::Object(old)), Some(Value::Object(new))) = (old, new) else { return None };
    const MUTABLE: [&str; 6] = [
        "replicas",
        "ordinals",
        "template",
        "updateStrategy",
        "persistentVolumeClaimRetentionPolicy",
        "minReadySeconds",
    ];
    let rest = |m: &serde_json::Map<String, Value>| -> Value {
        Value::Object(
            m.iter().filter(|(k, _)| !MUTABLE.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect(),
        )
    };
    (crate::sim::api::without_nulls(&rest(old)) != crate::sim::api::without_nulls(&rest(new))).then(|| FieldError {
        path: "spec".into(),
        detail: "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden".into(),
    })
}

pub fn validate_selector_matches_template(spec: &Value, template_labels: &BTreeMap<String, String>) -> Vec<FieldError> {
    let selector = &spec["selector"];
    if selector.is_null() || selector.as_object().is_some_and(|m| m.is_empty()) {
        return vec![required("spec.selector")];
    }
    let match_labels = selector["matchLabels"].as_object();
    let exprs = selector["matchExpressions"].as_array();
    if match_labels.is_none_or(|m| m.is_empty()) && exprs.is_none_or(|e| e.is_empty()) {
        return vec![FieldError {
            path: "spec.selector".into(),
            detail: "Invalid value: \"{}\": empty selector is invalid for deployment".into(),
        }];
    }
    let matches = crate::sim::selector::matches_label_selector(selector, template_labels);
    if matches {
        return Vec::new();
    }
    let shown = template_labels.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect::<Vec<_>>().join(", ");
    vec![FieldError {
        path: "spec.template.metadata.labels".into(),
        detail: format!("Invalid value: map[string]string{{{shown}}}: `selector` does not match template `labels`"),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bad_names_get_the_upstream_message() {
        let e = validate_name("Bad_Name", NameRule::Subdomain);
        assert_eq!(e[0].to_string(), format!("metadata.name: Invalid value: \"Bad_Name\": {DNS1123_SUBDOMAIN_MSG}"));
        assert!(validate_name("web-1.example", NameRule::Subdomain).is_empty());
        assert!(!validate_name("1web", NameRule::Dns1035).is_empty());
        assert!(validate_name("web", NameRule::Dns1035).is_empty());
        assert!(!validate_name("a.b", NameRule::Label).is_empty());
    }

    #[test]
    fn labels_need_qualified_keys_and_short_values() {
        let labels: BTreeMap<_, _> = [("app".to_string(), "web server".to_string())].into();
        let e = validate_labels("metadata.labels", &labels);
        assert_eq!(e[0].to_string(), format!("metadata.labels: Invalid value: \"web server\": {LABEL_VALUE_MSG}"));
        let ok: BTreeMap<_, _> = [("app.kubernetes.io/name".to_string(), "web".to_string())].into();
        assert!(validate_labels("metadata.labels", &ok).is_empty());
    }

    #[test]
    fn pod_spec_needs_containers_with_name_and_image() {
        let e = validate_pod_spec("spec", &json!({}), &["Always", "OnFailure", "Never"]);
        assert_eq!(e[0].to_string(), "spec.containers: Required value");
        let e = validate_pod_spec(
            "spec",
            &json!({"containers": [{"name": "a"}, {"name": "a", "image": "x"}]}),
            &["Always"],
        );
        let msgs: Vec<_> = e.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            msgs,
            ["spec.containers[0].image: Required value", "spec.containers[1].name: Duplicate value: \"a\""]
        );
    }

    #[test]
    fn requests_above_limits_are_refused() {
        let spec = json!({"containers": [{"name": "a", "image": "x",
            "resources": {"requests": {"cpu": "2"}, "limits": {"cpu": "1"}}}]});
        let e = validate_pod_spec("spec", &spec, &["Always"]);
        assert_eq!(
            e[0].to_string(),
            "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"
        );
    }

    #[test]
    fn restart_policy_must_be_supported() {
        let spec = json!({"restartPolicy": "Never", "containers": [{"name": "a", "image": "x"}]});
        let e = validate_pod_spec("spec.template.spec", &spec, &["Always"]);
        assert_eq!(
            e[0].to_string(),
            "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""
        );
    }
}

#[cfg(test)]
mod pod_update_tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn a_pods_image_may_change_but_not_its_environment_nor_its_tolerations_removed() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl run web --image=nginx:1.27; sleep 5");
        let out = Shell.run_line(&mut sim, "kubectl set image pod/web web=nginx:1.26");
        assert_eq!(out.stdout, "pod/web image updated\n", "{}", out.stderr);
        let out = Shell.run_line(&mut sim, "kubectl set env pod/web A=1");
        assert!(out.stderr.contains("Pod \"web\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`"), "{}", out.stderr);
        let out = Shell.run_line(
            &mut sim,
            "kubectl patch pod web -p '{\"spec\":{\"tolerations\":[{\"key\":\"a\",\"operator\":\"Exists\"}]}}'",
        );
        assert_ne!(out.status, 0, "replacing the default tolerations removes them: {}", out.stdout);
        let out = Shell.run_line(&mut sim, "kubectl patch pod web --type=json -p '[{\"op\":\"add\",\"path\":\"/spec/tolerations/-\",\"value\":{\"key\":\"a\",\"operator\":\"Exists\"}}]'");
        assert_eq!(out.status, 0, "adding one is allowed: {}", out.stderr);
    }
}

/// A Service's ports: each `port` (and a numeric `targetPort`, `nodePort` when set) within
/// 1–65535.
pub fn validate_service_spec(spec: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, p) in spec["ports"].as_array().into_iter().flatten().enumerate() {
        let mut check = |field: &str, required: bool| {
            let v = &p[field];
            let Some(n) = v.as_i64().or_else(|| v.as_u64().map(|_| i64::MAX)) else {
                if required && v.is_null() {
                    errs.push(FieldError {
                        path: format!("spec.ports[{i}].{field}"),
                        detail: "Invalid value: 0: must be between 1 and 65535, inclusive".into(),
                    });
                }
                return;
            };
            if !((1..=65535).contains(&n) || field == "nodePort" && n == 0) {
                errs.push(FieldError {
                    path: format!("spec.ports[{i}].{field}"),
                    detail: format!("Invalid value: {n}: must be between 1 and 65535, inclusive"),
                });
            }
        };
        check("port", true);
        check("targetPort", false);
        check("nodePort", false);
    }
    errs
}

/// A ResourceQuota's `spec.hard`: no negative amounts.
pub fn validate_quota_spec(spec: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (name, v) in spec["hard"].as_object().into_iter().flatten() {
        let text = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if text.trim_start().starts_with('-') {
            errs.push(FieldError {
                path: format!("spec.hard[{name}]"),
                detail: format!("Invalid value: \"{text}\": must be greater than or equal to 0"),
            });
        }
    }
    errs
}

/// A Node's taints: qualified keys.
pub fn validate_node_taints(spec: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (i, t) in spec["taints"].as_array().into_iter().flatten().enumerate() {
        let key = t["key"].as_str().unwrap_or("");
        errs.extend(validate_key(&format!("spec.taints[{i}].key"), key));
    }
    errs
}
