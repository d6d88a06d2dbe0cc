//! RBAC, as the API server's RBAC authorizer evaluates it: the bindings that apply to a user
//! (ClusterRoleBindings, then the RoleBindings of the request's namespace), the rules of the
//! role each binding names, and whether one rule allows the request (verbs, API groups,
//! resources and `*/subresource`, resourceNames, nonResourceURLs with a trailing `*`).
//! ClusterRoles with an `aggregationRule` take the rules of the ClusterRoles their selectors
//! match, as the clusterrole-aggregation controller writes them.
//!
//! Reads the store only; authentication (who a request is from) is the caller's.

pub mod bootstrap;

use std::collections::BTreeMap;

use serde_json::Value;

use super::{ApiError, Reason};
use crate::sim::api::Object;
use crate::sim::rng::SimRng;
use crate::sim::store::Store;
use crate::sim::Sim;

/// The group whose members every authorizer lets through (kube-apiserver's privileged group).
pub const MASTERS: &str = "system:masters";
pub const AUTHENTICATED: &str = "system:authenticated";

/// Who a request is from, once authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    pub name: String,
    pub uid: String,
    pub groups: Vec<String>,
    /// `authentication.kubernetes.io/pod-name` and the like, for a pod's token.
    pub extra: BTreeMap<String, Vec<String>>,
}

impl UserInfo {
    /// A user with these groups.
    pub fn new(name: &str, groups: &[&str]) -> UserInfo {
        UserInfo {
            name: name.into(),
            uid: String::new(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
            extra: BTreeMap::new(),
        }
    }

    /// The learner's kubectl: kubeadm's `kubernetes-admin`, in `kubeadm:cluster-admins` (bound to
    /// `cluster-admin`), as in the admin.conf of kind and kubeadm ≥ 1.29.
    pub fn admin() -> UserInfo {
        UserInfo::new("kubernetes-admin", &["kubeadm:cluster-admins", AUTHENTICATED])
    }

    /// ServiceAccount `namespace/name`, as its token authenticates.
    pub fn service_account(namespace: &str, name: &str) -> UserInfo {
        let ns_group = format!("system:serviceaccounts:{namespace}");
        UserInfo::new(
            &format!("system:serviceaccount:{namespace}:{name}"),
            &["system:serviceaccounts", &ns_group, AUTHENTICATED],
        )
    }

    /// Who `--as USER --as-group G…` makes a request from, as the impersonation filter builds
    /// it: a ServiceAccount's name brings its groups; `system:authenticated` is added.
    pub fn impersonated(user: &str, groups: &[String]) -> UserInfo {
        let mut all: Vec<String> = Vec::new();
        if let Some(rest) = user.strip_prefix("system:serviceaccount:") {
            if let Some((ns, _)) = rest.split_once(':') {
                all.push("system:serviceaccounts".into());
                all.push(format!("system:serviceaccounts:{ns}"));
            }
        }
        all.extend(groups.iter().cloned());
        if user != "system:anonymous" && !all.iter().any(|g| g == AUTHENTICATED) {
            all.push(AUTHENTICATED.into());
        }
        UserInfo { name: user.into(), uid: String::new(), groups: all, extra: BTreeMap::new() }
    }
}

/// What a request asks to do.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Request {
    pub verb: String,
    pub api_group: String,
    /// Plural (`pods`), `*`, or empty for a non-resource request.
    pub resource: String,
    pub subresource: String,
    pub name: String,
    /// Empty: cluster scope (or every namespace).
    pub namespace: String,
    /// A non-resource URL (`/healthz`); then `resource` is empty.
    pub path: Option<String>,
}

impl Request {
    /// `verb` on `resource` (`pods`, `pods/log`) of `api_group`.
    pub fn resource(verb: &str, api_group: &str, resource: &str, namespace: &str, name: &str) -> Request {
        let (resource, subresource) = resource.split_once('/').unwrap_or((resource, ""));
        Request {
            verb: verb.into(),
            api_group: api_group.into(),
            resource: resource.into(),
            subresource: subresource.into(),
            name: name.into(),
            namespace: namespace.into(),
            path: None,
        }
    }

    /// `verb` on a non-resource URL.
    pub fn non_resource(verb: &str, path: &str) -> Request {
        Request { verb: verb.into(), path: Some(path.into()), ..Request::default() }
    }
}

/// One rule of a role (`rules[]`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rule {
    pub verbs: Vec<String>,
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub resource_names: Vec<String>,
    pub non_resource_urls: Vec<String>,
}

impl Rule {
    /// A rule as the API writes it.
    pub fn from_value(v: &Value) -> Rule {
        let strings = |key: &str| -> Vec<String> {
            v[key].as_array().into_iter().flatten().filter_map(|s| s.as_str().map(str::to_string)).collect()
        };
        Rule {
            verbs: strings("verbs"),
            api_groups: strings("apiGroups"),
            resources: strings("resources"),
            resource_names: strings("resourceNames"),
            non_resource_urls: strings("nonResourceURLs"),
        }
    }

    /// Whether this rule allows `req` (upstream's `RuleAllows`).
    pub fn allows(&self, req: &Request) -> bool {
        let verb = self.verbs.iter().any(|v| v == "*" || *v == req.verb);
        if !verb {
            return false;
        }
        if let Some(path) = &req.path {
            return self
                .non_resource_urls
                .iter()
                .any(|u| u == "*" || u == path || u.strip_suffix('*').is_some_and(|prefix| path.starts_with(prefix)));
        }
        let group = self.api_groups.iter().any(|g| g == "*" || *g == req.api_group);
        let combined = if req.subresource.is_empty() {
            req.resource.clone()
        } else {
            format!("{}/{}", req.resource, req.subresource)
        };
        let resource = self.resources.iter().any(|r| {
            r == "*"
                || *r == combined
                || (!req.subresource.is_empty() && r.strip_prefix("*/") == Some(req.subresource.as_str()))
        });
        let name = self.resource_names.is_empty() || self.resource_names.contains(&req.name);
        group && resource && name
    }
}

/// Whether a binding's subject is `user` (a ServiceAccount subject without a namespace means
/// the binding's own).
fn applies_to(user: &UserInfo, subject: &Value, binding_namespace: &str) -> bool {
    let name = subject["name"].as_str().unwrap_or("");
    match subject["kind"].as_str() {
        Some("User") => user.name == name,
        Some("Group") => user.groups.iter().any(|g| g == name),
        Some("ServiceAccount") => {
            let ns = subject["namespace"].as_str().filter(|s| !s.is_empty()).unwrap_or(binding_namespace);
            user.name == format!("system:serviceaccount:{ns}:{name}")
        }
        _ => false,
    }
}

fn rules_of(role: &Object) -> Vec<Rule> {
    role.body.get("rules").and_then(Value::as_array).into_iter().flatten().map(Rule::from_value).collect()
}

/// The rules of the role `binding` refers to (a RoleBinding may name a Role of its namespace or
/// a ClusterRole); none when it does not exist.
fn bound_rules(store: &Store, binding: &Object) -> Vec<Rule> {
    let role_ref = binding.body.get("roleRef").cloned().unwrap_or(Value::Null);
    let name = role_ref["name"].as_str().unwrap_or("");
    let role = match role_ref["kind"].as_str() {
        Some("Role") => store.get("Role", binding.namespace(), name),
        _ => store.get("ClusterRole", None, name),
    };
    role.map(rules_of).unwrap_or_default()
}

/// Every rule granted to `user` for `namespace` (cluster-wide bindings first), as the rules
/// review returns them.
pub fn rules_for(store: &Store, user: &UserInfo, namespace: &str) -> Vec<Rule> {
    let mut out = Vec::new();
    if user.groups.iter().any(|g| g == MASTERS) {
        // The privileged-group authorizer's own answer, before RBAC's.
        out.push(Rule {
            verbs: vec!["*".into()],
            api_groups: vec!["*".into()],
            resources: vec!["*".into()],
            ..Rule::default()
        });
        out.push(Rule { verbs: vec!["*".into()], non_resource_urls: vec!["*".into()], ..Rule::default() });
    }
    for b in store.list("ClusterRoleBinding", None) {
        if subjects(b).iter().any(|s| applies_to(user, s, "")) {
            out.extend(bound_rules(store, b));
        }
    }
    if !namespace.is_empty() {
        for b in store.list("RoleBinding", Some(namespace)) {
            if subjects(b).iter().any(|s| applies_to(user, s, namespace)) {
                out.extend(bound_rules(store, b));
            }
        }
    }
    out
}

fn subjects(binding: &Object) -> Vec<Value> {
    binding.body.get("subjects").and_then(Value::as_array).cloned().unwrap_or_default()
}

/// Whether `user` may do `req`.
pub fn allowed(store: &Store, user: &UserInfo, req: &Request) -> bool {
    if user.groups.iter().any(|g| g == MASTERS) {
        return true;
    }
    let in_namespace = if req.path.is_some() { "" } else { req.namespace.as_str() };
    rules_for(store, user, in_namespace).iter().any(|r| r.allows(req))
}

/// The API server's words for a refused request (`pods is forbidden: User "…" cannot list
/// resource "pods" in API group "" in the namespace "default"`).
pub fn forbidden(user: &UserInfo, req: &Request) -> ApiError {
    let Some(path) = &req.path else {
        let resource = if req.subresource.is_empty() {
            req.resource.clone()
        } else {
            format!("{}/{}", req.resource, req.subresource)
        };
        let scope = if req.namespace.is_empty() {
            "at the cluster scope".to_string()
        } else {
            format!("in the namespace \"{}\"", req.namespace)
        };
        let why = format!(
            "User \"{}\" cannot {} resource \"{resource}\" in API group \"{}\" {scope}",
            user.name, req.verb, req.api_group
        );
        let qualified =
            if req.api_group.is_empty() { req.resource.clone() } else { format!("{}.{}", req.resource, req.api_group) };
        let message = if req.name.is_empty() {
            format!("{qualified} is forbidden: {why}")
        } else {
            format!("{qualified} \"{}\" is forbidden: {why}", req.name)
        };
        return ApiError::new(Reason::Forbidden, message);
    };
    ApiError::new(Reason::Forbidden, format!("forbidden: User \"{}\" cannot {} path \"{path}\"", user.name, req.verb))
}

/// `Ok` when `user` may do `req`, else the Forbidden error.
pub fn authorize(store: &Store, user: &UserInfo, req: &Request) -> Result<(), ApiError> {
    if allowed(store, user, req) {
        Ok(())
    } else {
        Err(forbidden(user, req))
    }
}

/// Mixed into the cluster's seed for the RNG that makes the default RBAC objects' uids.
const RBAC_SEED: u64 = 0x7262_6163_6465_6631;

/// Creates the default roles and bindings (at bootstrap) and aggregates them, with an RNG of
/// their own, so the learner's objects get the same names, uids and IPs as without them.
pub fn create_defaults(sim: &mut Sim) {
    let seed = sim.seed();
    let main = std::mem::replace(sim.rng_mut(), SimRng::seed_from(seed ^ RBAC_SEED));
    sim.rbac_aggregation_deferred = true;
    for obj in bootstrap::objects() {
        if let Err(e) = sim.create(obj) {
            debug_assert!(false, "default RBAC object refused: {}", e.message);
        }
    }
    sim.rbac_aggregation_deferred = false;
    aggregate(sim);
    *sim.rng_mut() = main;
}

/// The clusterrole-aggregation controller: each ClusterRole with an `aggregationRule` gets the
/// rules of the ClusterRoles its selectors match (by name order, without repeats), until
/// nothing changes (aggregated roles may feed others: `view` → `edit` → `admin`).
pub fn aggregate(sim: &mut Sim) {
    let none = BTreeMap::new();
    for _ in 0..8 {
        // Each pass reads the roles as they were at its start, then writes what changed.
        let mut updates: Vec<Object> = Vec::new();
        {
            let roles: Vec<&Object> = sim.store().list("ClusterRole", None).collect();
            for role in roles.iter().filter(|r| r.body.get("aggregationRule").is_some()) {
                let selectors = role.body["aggregationRule"]["clusterRoleSelectors"].as_array();
                let selectors = selectors.map_or(&[][..], Vec::as_slice);
                let mut sources: Vec<&Object> = roles
                    .iter()
                    .copied()
                    .filter(|other| other.name() != role.name())
                    .filter(|other| {
                        let labels = other.metadata.labels.as_ref().unwrap_or(&none);
                        selectors.iter().any(|s| crate::sim::selector::matches_label_selector(s, labels))
                    })
                    .collect();
                sources.sort_by(|a, b| a.name().cmp(b.name()));
                let mut rules: Vec<Value> = Vec::new();
                for s in sources {
                    for r in s.body.get("rules").and_then(Value::as_array).into_iter().flatten() {
                        if !rules.contains(r) {
                            rules.push(r.clone());
                        }
                    }
                }
                let same = matches!(role.body.get("rules"), Some(Value::Array(have)) if *have == rules);
                if !same {
                    let mut updated = (*role).clone();
                    updated.body.insert("rules".into(), Value::Array(rules));
                    updates.push(updated);
                }
            }
        }
        let mut changed = false;
        for updated in updates {
            if sim.store_update(updated).is_ok() {
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

#[cfg(test)]
mod tests;
