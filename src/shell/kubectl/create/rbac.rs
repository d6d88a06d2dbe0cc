//! `kubectl create role|clusterrole|rolebinding|clusterrolebinding`.

use serde_json::{json, Value};

use super::super::flags::{boolean, value, Flags, Spec};
use super::{metadata, name_arg, required, Mode};
use crate::sim::api::discovery;
use crate::sim::Sim;

pub const ROLE: &[Spec] = &[value("verb"), value("resource"), value("resource-name"), boolean("save-config")];
pub const CLUSTER_ROLE: &[Spec] = &[
    value("verb"),
    value("resource"),
    value("resource-name"),
    value("non-resource-url"),
    value("aggregation-rule"),
    boolean("save-config"),
];

/// The verbs a rule on non-resource URLs may have.
const URL_VERBS: &[&str] = &["*", "get", "post", "put", "delete", "patch", "head", "options"];
pub const BINDING: &[Spec] = &[
    value("role"),
    value("clusterrole"),
    value("user"),
    value("group"),
    value("serviceaccount"),
    boolean("save-config"),
];

const VERBS: &[&str] = &[
    "*",
    "get",
    "delete",
    "list",
    "create",
    "update",
    "patch",
    "watch",
    "proxy",
    "deletecollection",
    "use",
    "bind",
    "escalate",
    "impersonate",
];

/// kubectl's warnings for verbs outside the standard set (they are still written).
pub fn verb_warnings(flags: &Flags) -> String {
    flags
        .list("verb")
        .iter()
        .filter(|v| !VERBS.contains(&v.as_str()))
        .map(|v| {
            format!(
                "Warning: '{v}' is not a standard resource verb
"
            )
        })
        .collect()
}

/// The rules of `--verb`/`--resource`/`--resource-name`: one rule per API group, groups in the
/// order their resources were given.
fn rules(flags: &Flags) -> Result<Vec<Value>, String> {
    let verbs = flags.list("verb");
    if verbs.is_empty() {
        return Err("error: at least one verb must be specified\n".into());
    }
    let resources = flags.list("resource");
    if resources.is_empty() {
        return Err("error: at least one resource must be specified\n".into());
    }
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for r in resources {
        let (res, sub) = match r.split_once('/') {
            Some((a, b)) => (a.to_string(), Some(b.to_string())),
            None => (r.clone(), None),
        };
        let (plural, group) = if res == "*" {
            ("*".to_string(), String::new())
        } else {
            let found = discovery::lookup_name(&res)
                .or_else(|| res.split_once('.').and_then(|(p, _)| discovery::lookup_name(p)))
                .ok_or_else(|| format!("error: the server doesn't have a resource type \"{res}\"\n"))?;
            (found.plural.to_string(), found.group().to_string())
        };
        let name = sub.map_or(plural.clone(), |s| format!("{plural}/{s}"));
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, list)) => list.push(name),
            None => groups.push((group, vec![name])),
        }
    }
    let names = flags.list("resource-name");
    Ok(groups
        .into_iter()
        .map(|(g, res)| {
            let mut rule = json!({"apiGroups": [g], "resources": res, "verbs": verbs});
            if !names.is_empty() {
                rule["resourceNames"] = json!(names);
            }
            rule
        })
        .collect())
}

/// Runs `kubectl create role NAME --verb … --resource …`.
pub fn role(_: &Sim, flags: &Flags, command: &str, mode: &Mode) -> Result<Value, String> {
    let name = name_arg(flags, command)?;
    Ok(json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": metadata(&name, mode, true),
              "rules": rules(flags)?}))
}

/// Runs `kubectl create clusterrole NAME --verb … --resource …|--non-resource-url …`, or
/// `--aggregation-rule KEY=VALUE,…` (then its rules are the aggregated roles').
pub fn clusterrole(_: &Sim, flags: &Flags, command: &str, mode: &Mode) -> Result<Value, String> {
    let name = name_arg(flags, command)?;
    let mut role = json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                          "metadata": metadata(&name, mode, false)});
    let urls = flags.list("non-resource-url");
    if let Some(rule) = flags.get("aggregation-rule") {
        let mut labels = serde_json::Map::new();
        for pair in rule.split(',').filter(|p| !p.is_empty()) {
            let Some((k, v)) = pair.split_once('=') else {
                return Err(format!("Error: invalid argument \"{rule}\" for \"--aggregation-rule\" flag: malformed pair, expect string=string\nSee '{command} --help' for usage.\n"));
            };
            labels.insert(k.to_string(), json!(v));
        }
        let others = ["verb", "resource", "resource-name", "non-resource-url"];
        if others.iter().any(|f| !flags.list(f).is_empty()) {
            return Err("error: aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames\n".into());
        }
        role["aggregationRule"] = json!({"clusterRoleSelectors": [{"matchLabels": labels}]});
        role["rules"] = Value::Null;
        return Ok(role);
    }
    let verbs = flags.list("verb");
    if verbs.is_empty() {
        return Err("error: at least one verb must be specified\n".into());
    }
    let mut all = Vec::new();
    if !flags.list("resource").is_empty() || urls.is_empty() {
        if flags.list("resource").is_empty() {
            return Err("error: one of resource or nonResourceURL must be specified\n".into());
        }
        all = rules(flags)?;
    }
    if !urls.is_empty() {
        if let Some(v) = verbs.iter().find(|v| !URL_VERBS.contains(&v.as_str())) {
            return Err(format!("error: invalid verb: '{v}' for nonResourceURL\n"));
        }
        if urls.iter().any(|u| !u.starts_with('/')) {
            return Err("error: nonResourceURL should start with /\n".into());
        }
        all.push(json!({"nonResourceURLs": urls, "verbs": verbs}));
    }
    role["rules"] = json!(all);
    Ok(role)
}

fn subjects(flags: &Flags) -> Result<Vec<Value>, String> {
    let mut out = Vec::new();
    for u in flags.list("user") {
        out.push(json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": u}));
    }
    for g in flags.list("group") {
        out.push(json!({"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": g}));
    }
    for sa in flags.list("serviceaccount") {
        match sa.split_once(':') {
            Some((ns, n)) if !ns.is_empty() && !n.is_empty() => {
                out.push(json!({"kind": "ServiceAccount", "name": n, "namespace": ns}))
            }
            _ => return Err(format!("error: serviceaccount must be <namespace>:<name>, got {sa}\n")),
        }
    }
    Ok(out)
}

fn binding(kind: &str, name: &str, role_kind: &str, role: &str, flags: &Flags, mode: &Mode) -> Result<Value, String> {
    let mut obj = json!({
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": kind,
        "metadata": metadata(name, mode, kind == "RoleBinding"),
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role},
    });
    let subjects = subjects(flags)?;
    if !subjects.is_empty() {
        obj["subjects"] = json!(subjects);
    }
    Ok(obj)
}

/// Runs `kubectl create rolebinding NAME --role=…|--clusterrole=… [--user] [--group] [--serviceaccount]`.
pub fn rolebinding(_: &Sim, flags: &Flags, command: &str, mode: &Mode) -> Result<Value, String> {
    let name = name_arg(flags, command)?;
    let (kind, role) = match (flags.get("role"), flags.get("clusterrole")) {
        (Some(r), None) => ("Role", r),
        (None, Some(r)) => ("ClusterRole", r),
        _ => return Err("error: exactly one of clusterrole or role must be specified\n".into()),
    };
    binding("RoleBinding", &name, kind, role, flags, mode)
}

/// Runs `kubectl create clusterrolebinding NAME --clusterrole=… [--user] [--group] [--serviceaccount]`.
pub fn clusterrolebinding(_: &Sim, flags: &Flags, command: &str, mode: &Mode) -> Result<Value, String> {
    let name = name_arg(flags, command)?;
    if flags.has("role") {
        return Err("error: unknown flag: --role\nSee 'kubectl create clusterrolebinding --help' for usage.\n".into());
    }
    required(flags, &["clusterrole"])?;
    binding("ClusterRoleBinding", &name, "ClusterRole", flags.get("clusterrole").unwrap_or(""), flags, mode)
}
