use serde_json::json;

use super::*;
use crate::sim::{Sim, SimConfig};

fn object(v: Value) -> Object {
    Object::from_value(v).unwrap()
}

fn role(kind: &str, ns: Option<&str>, name: &str, rules: Value) -> Object {
    let mut meta = json!({"name": name});
    if let Some(ns) = ns {
        meta["namespace"] = json!(ns);
    }
    object(json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": meta, "rules": rules}))
}

fn binding(kind: &str, ns: Option<&str>, name: &str, role_kind: &str, role: &str, subjects: Value) -> Object {
    let mut meta = json!({"name": name});
    if let Some(ns) = ns {
        meta["namespace"] = json!(ns);
    }
    object(json!({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind, "metadata": meta,
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role}, "subjects": subjects}))
}

fn can(sim: &Sim, user: &UserInfo, verb: &str, group: &str, resource: &str, ns: &str, name: &str) -> bool {
    allowed(sim.store(), user, &Request::resource(verb, group, resource, ns, name))
}

#[test]
fn the_learner_is_cluster_admin_and_a_fresh_service_account_may_do_nothing_with_pods() {
    let sim = Sim::new(SimConfig::default());
    let admin = UserInfo::admin();
    assert!(can(&sim, &admin, "delete", "apps", "deployments", "default", "web"));
    assert!(can(&sim, &admin, "create", "", "pods/exec", "kube-system", ""));
    assert!(allowed(sim.store(), &admin, &Request::non_resource("get", "/metrics")));
    let sa = UserInfo::service_account("default", "default");
    assert!(!can(&sim, &sa, "list", "", "pods", "default", ""));
    assert!(allowed(sim.store(), &sa, &Request::non_resource("get", "/healthz")));
    assert!(allowed(sim.store(), &sa, &Request::non_resource("get", "/api/v1")));
    assert!(!allowed(sim.store(), &sa, &Request::non_resource("get", "/metrics")));
    assert!(can(&sim, &sa, "create", "authorization.k8s.io", "selfsubjectaccessreviews", "", ""));
    let err = forbidden(&sa, &Request::resource("list", "", "pods", "default", ""));
    assert_eq!(
        err.message,
        "pods is forbidden: User \"system:serviceaccount:default:default\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\""
    );
    let err = forbidden(&sa, &Request::resource("get", "apps", "deployments/scale", "", "web"));
    assert_eq!(
        err.message,
        "deployments.apps \"web\" is forbidden: User \"system:serviceaccount:default:default\" cannot get resource \"deployments/scale\" in API group \"apps\" at the cluster scope"
    );
    let err = forbidden(&sa, &Request::non_resource("get", "/metrics"));
    assert_eq!(err.message, "forbidden: User \"system:serviceaccount:default:default\" cannot get path \"/metrics\"");
}

#[test]
fn a_role_binding_grants_its_rules_in_its_namespace_only() {
    let mut sim = Sim::new(SimConfig::default());
    sim.create(role(
        "Role",
        Some("default"),
        "pod-reader",
        json!([{"apiGroups": [""], "resources": ["pods", "pods/log"], "verbs": ["get", "list", "watch"]}]),
    ))
    .unwrap();
    sim.create(binding("RoleBinding", Some("default"), "read-pods", "Role", "pod-reader", json!([{"kind": "ServiceAccount", "name": "default"}, {"kind": "User", "name": "jane", "apiGroup": "rbac.authorization.k8s.io"}]))).unwrap();
    let sa = UserInfo::service_account("default", "default");
    assert!(can(&sim, &sa, "list", "", "pods", "default", ""));
    assert!(can(&sim, &sa, "get", "", "pods/log", "default", "web"));
    assert!(!can(&sim, &sa, "create", "", "pods/exec", "default", "web"));
    assert!(!can(&sim, &sa, "list", "", "pods", "kube-system", ""));
    assert!(!can(&sim, &sa, "list", "", "pods", "", ""), "a RoleBinding says nothing of the cluster scope");
    assert!(!can(&sim, &sa, "delete", "", "pods", "default", "web"));
    let jane = UserInfo::impersonated("jane", &[]);
    assert_eq!(jane.groups, vec!["system:authenticated"]);
    assert!(can(&sim, &jane, "watch", "", "pods", "default", ""));
    let other = UserInfo::service_account("shop", "default");
    assert!(!can(&sim, &other, "list", "", "pods", "default", ""));
}

#[test]
fn resource_names_star_subresources_and_groups_match_as_upstream() {
    let mut sim = Sim::new(SimConfig::default());
    sim.create(role("ClusterRole", None, "odd", json!([
        {"apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["app-config"], "verbs": ["get", "update"]},
        {"apiGroups": ["*"], "resources": ["*/scale"], "verbs": ["patch"]},
        {"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["*"]},
        {"nonResourceURLs": ["/logs/*"], "verbs": ["get"]},
    ]))).unwrap();
    sim.create(binding(
        "ClusterRoleBinding",
        None,
        "odd",
        "ClusterRole",
        "odd",
        json!([{"kind": "Group", "name": "devs", "apiGroup": "rbac.authorization.k8s.io"}]),
    ))
    .unwrap();
    let dev = UserInfo::impersonated("bob", &["devs".to_string()]);
    assert!(can(&sim, &dev, "get", "", "configmaps", "default", "app-config"));
    assert!(!can(&sim, &dev, "get", "", "configmaps", "default", "other"));
    assert!(!can(&sim, &dev, "list", "", "configmaps", "default", ""), "a named rule never allows a list");
    assert!(can(&sim, &dev, "patch", "apps", "deployments/scale", "default", "web"));
    assert!(can(&sim, &dev, "patch", "", "replicationcontrollers/scale", "default", "web"));
    assert!(!can(&sim, &dev, "patch", "apps", "deployments/status", "default", "web"));
    assert!(can(&sim, &dev, "deletecollection", "apps", "deployments", "", ""));
    assert!(!can(&sim, &dev, "get", "extensions", "deployments", "default", ""));
    assert!(allowed(sim.store(), &dev, &Request::non_resource("get", "/logs/kube-apiserver.log")));
    assert!(!allowed(sim.store(), &dev, &Request::non_resource("get", "/logs")));
}

#[test]
fn view_edit_and_admin_are_aggregated_and_a_labelled_role_extends_them() {
    let mut sim = Sim::new(SimConfig::default());
    let store = sim.store();
    let view = rules_of(store.get("ClusterRole", None, "view").unwrap());
    assert!(view.iter().any(|r| r.resources.contains(&"pods/log".to_string())), "{view:?}");
    let edit = rules_of(store.get("ClusterRole", None, "edit").unwrap());
    assert!(edit.len() > view.len() && view.iter().all(|r| edit.contains(r)));
    let admin = rules_of(store.get("ClusterRole", None, "admin").unwrap());
    assert!(edit.iter().all(|r| admin.contains(r)));
    assert!(admin.iter().any(|r| r.resources.contains(&"rolebindings".to_string())));
    assert!(!edit.iter().any(|r| r.resources.contains(&"rolebindings".to_string())));

    let mut crd_viewer = role(
        "ClusterRole",
        None,
        "crontabs-view",
        json!([{"apiGroups": ["stable.example.com"], "resources": ["crontabs"], "verbs": ["get", "list", "watch"]}]),
    );
    crd_viewer.metadata.labels =
        Some([("rbac.authorization.k8s.io/aggregate-to-view".to_string(), "true".to_string())].into());
    sim.create(crd_viewer).unwrap();
    sim.create(binding(
        "RoleBinding",
        Some("default"),
        "jane-admin",
        "ClusterRole",
        "admin",
        json!([{"kind": "User", "name": "jane", "apiGroup": "rbac.authorization.k8s.io"}]),
    ))
    .unwrap();
    let jane = UserInfo::impersonated("jane", &[]);
    assert!(can(&sim, &jane, "list", "stable.example.com", "crontabs", "default", ""));
    assert!(can(&sim, &jane, "create", "rbac.authorization.k8s.io", "rolebindings", "default", ""));
    assert!(!can(&sim, &jane, "list", "", "nodes", "", ""));
}

#[test]
fn members_of_system_masters_pass_every_check() {
    let sim = Sim::new(SimConfig::default());
    let root = UserInfo::impersonated("minikube-user", &[MASTERS.to_string()]);
    assert!(can(&sim, &root, "escalate", "rbac.authorization.k8s.io", "clusterroles", "", ""));
    let sa = UserInfo::impersonated("system:serviceaccount:kube-system:coredns", &[]);
    assert!(can(&sim, &sa, "list", "discovery.k8s.io", "endpointslices", "", ""));
    assert!(!can(&sim, &sa, "get", "", "secrets", "kube-system", "x"));
}
