//! The ClusterRoles and ClusterRoleBindings a kubeadm cluster has from its first minute: the
//! API server's bootstrap policy (`cluster-admin`, `admin`, `edit`, `view`, the `system:*` roles
//! courses look at) and what `kubeadm init` adds (`kubeadm:cluster-admins`, CoreDNS's and
//! kube-proxy's bindings).
//!
//! Rules are written one per string, `GROUPS|RESOURCES|VERBS[|NAMES]` or `url:URLS|VERBS`, each
//! part a comma-separated list (an empty group is the core group `""`).

use serde_json::{json, Map, Value};

use crate::sim::api::Object;

/// The label every bootstrap-policy object carries.
const BOOTSTRAPPING: (&str, &str) = ("kubernetes.io/bootstrapping", "rbac-defaults");
const AGGREGATE_TO: &str = "rbac.authorization.k8s.io/aggregate-to-";

/// One default ClusterRole: its name, whether it is the API server's (labelled
/// `rbac-defaults`), the roles it aggregates into (`admin` → `aggregate-to-admin: "true"`), the
/// role it aggregates from (its `aggregationRule`), and its own rules.
struct Role {
    name: &'static str,
    default: bool,
    into: &'static [&'static str],
    from: Option<&'static str>,
    rules: &'static [&'static str],
}

const fn role(name: &'static str, rules: &'static [&'static str]) -> Role {
    Role { name, default: true, into: &[], from: None, rules }
}

const ROLES: &[Role] = &[
    Role { from: Some("admin"), ..role("admin", &[]) },
    role("cluster-admin", &["*|*|*", "url:*|*"]),
    Role { into: &["admin"], from: Some("edit"), ..role("edit", &[]) },
    Role {
        into: &["admin"],
        ..role(
            "system:aggregate-to-admin",
            &[
                "authorization.k8s.io|localsubjectaccessreviews|create",
                "rbac.authorization.k8s.io|rolebindings,roles|create,delete,deletecollection,get,list,patch,update,watch",
            ],
        )
    },
    Role {
        into: &["edit"],
        ..role(
            "system:aggregate-to-edit",
            &[
                "|pods/attach,pods/exec,pods/portforward,pods/proxy,secrets,services/proxy|get,list,watch",
                "|serviceaccounts|impersonate",
                "|pods,pods/attach,pods/exec,pods/portforward,pods/proxy|create,delete,deletecollection,patch,update",
                "|pods/eviction|create",
                "|configmaps,events,persistentvolumeclaims,replicationcontrollers,replicationcontrollers/scale,secrets,serviceaccounts,services,services/proxy|create,delete,deletecollection,patch,update",
                "|serviceaccounts/token|create",
                "apps|daemonsets,deployments,deployments/rollback,deployments/scale,replicasets,replicasets/scale,statefulsets,statefulsets/scale|create,delete,deletecollection,patch,update",
                "autoscaling|horizontalpodautoscalers|create,delete,deletecollection,patch,update",
                "batch|cronjobs,jobs|create,delete,deletecollection,patch,update",
                "extensions|daemonsets,deployments,deployments/rollback,deployments/scale,ingresses,networkpolicies,replicasets,replicasets/scale,replicationcontrollers/scale|create,delete,deletecollection,patch,update",
                "policy|poddisruptionbudgets|create,delete,deletecollection,patch,update",
                "networking.k8s.io|ingresses,networkpolicies|create,delete,deletecollection,patch,update",
                "coordination.k8s.io|leases|create,delete,deletecollection,get,list,patch,update,watch",
            ],
        )
    },
    Role {
        into: &["view"],
        ..role(
            "system:aggregate-to-view",
            &[
                "|configmaps,endpoints,persistentvolumeclaims,persistentvolumeclaims/status,pods,replicationcontrollers,replicationcontrollers/scale,serviceaccounts,services,services/status|get,list,watch",
                "|bindings,events,limitranges,namespaces/status,pods/log,pods/status,replicationcontrollers/status,resourcequotas,resourcequotas/status|get,list,watch",
                "|namespaces|get,list,watch",
                "discovery.k8s.io|endpointslices|get,list,watch",
                "apps|controllerrevisions,daemonsets,daemonsets/status,deployments,deployments/scale,deployments/status,replicasets,replicasets/scale,replicasets/status,statefulsets,statefulsets/scale,statefulsets/status|get,list,watch",
                "autoscaling|horizontalpodautoscalers,horizontalpodautoscalers/status|get,list,watch",
                "batch|cronjobs,cronjobs/status,jobs,jobs/status|get,list,watch",
                "extensions|daemonsets,daemonsets/status,deployments,deployments/scale,deployments/status,ingresses,ingresses/status,networkpolicies,replicasets,replicasets/scale,replicasets/status,replicationcontrollers/scale|get,list,watch",
                "policy|poddisruptionbudgets,poddisruptionbudgets/status|get,list,watch",
                "networking.k8s.io|ingresses,ingresses/status,networkpolicies|get,list,watch",
            ],
        )
    },
    role(
        "system:auth-delegator",
        &["authentication.k8s.io|tokenreviews|create", "authorization.k8s.io|subjectaccessreviews|create"],
    ),
    role(
        "system:basic-user",
        &[
            "authorization.k8s.io|selfsubjectaccessreviews,selfsubjectrulesreviews|create",
            "authentication.k8s.io|selfsubjectreviews|create",
        ],
    ),
    role(
        "system:discovery",
        &["url:/api,/api/*,/apis,/apis/*,/healthz,/livez,/openapi,/openapi/*,/readyz,/version,/version/|get"],
    ),
    role("system:kube-dns", &["|endpoints,services|list,watch"]),
    role(
        "system:monitoring",
        &["url:/healthz,/healthz/*,/livez,/livez/*,/metrics,/metrics/slis,/readyz,/readyz/*|get"],
    ),
    role(
        "system:node-proxier",
        &[
            "|endpoints,services|list,watch",
            "|nodes|get,list,watch",
            ",events.k8s.io|events|create,patch,update",
            "discovery.k8s.io|endpointslices|list,watch",
        ],
    ),
    role("system:public-info-viewer", &["url:/healthz,/livez,/readyz,/version,/version/|get"]),
    role("system:service-account-issuer-discovery", &["url:/.well-known/openid-configuration,/openid/v1/jwks|get"]),
    Role { into: &["edit"], from: Some("view"), ..role("view", &[]) },
    // kubeadm's own.
    Role { default: false, ..role("kubeadm:get-nodes", &["|nodes|get"]) },
    Role {
        default: false,
        ..role("system:coredns", &["|endpoints,services,pods,namespaces|list,watch", "discovery.k8s.io|endpointslices|list,watch"])
    },
];

/// One default ClusterRoleBinding: name, the ClusterRole, whether it is the API server's, and
/// its subjects as `User:NAME`, `Group:NAME` or `ServiceAccount:NAMESPACE:NAME`.
const BINDINGS: &[(&str, &str, bool, &[&str])] = &[
    ("cluster-admin", "cluster-admin", true, &["Group:system:masters"]),
    ("kubeadm:cluster-admins", "cluster-admin", false, &["Group:kubeadm:cluster-admins"]),
    ("kubeadm:get-nodes", "kubeadm:get-nodes", false, &["Group:system:bootstrappers:kubeadm:default-node-token"]),
    ("kubeadm:node-proxier", "system:node-proxier", false, &["ServiceAccount:kube-system:kube-proxy"]),
    ("system:basic-user", "system:basic-user", true, &["Group:system:authenticated"]),
    ("system:coredns", "system:coredns", false, &["ServiceAccount:kube-system:coredns"]),
    ("system:discovery", "system:discovery", true, &["Group:system:authenticated"]),
    ("system:kube-dns", "system:kube-dns", true, &["ServiceAccount:kube-system:kube-dns"]),
    ("system:monitoring", "system:monitoring", true, &["Group:system:monitoring"]),
    ("system:node-proxier", "system:node-proxier", true, &["User:system:kube-proxy"]),
    (
        "system:public-info-viewer",
        "system:public-info-viewer",
        true,
        &["Group:system:authenticated", "Group:system:unauthenticated"],
    ),
    (
        "system:service-account-issuer-discovery",
        "system:service-account-issuer-discovery",
        true,
        &["Group:system:serviceaccounts"],
    ),
];

fn list(s: &str) -> Vec<Value> {
    s.split(',').map(|w| json!(w)).collect()
}

/// One rule as the API writes it (`apiGroups`, `resources`, `resourceNames`, `verbs`, or
/// `nonResourceURLs` and `verbs`).
fn rule(text: &str) -> Value {
    let parts: Vec<&str> = text.split('|').collect();
    if let Some(urls) = parts[0].strip_prefix("url:") {
        return json!({"nonResourceURLs": list(urls), "verbs": list(parts[1])});
    }
    let mut r = json!({"apiGroups": list(parts[0]), "resources": list(parts[1]), "verbs": list(parts[2])});
    if let Some(names) = parts.get(3) {
        r["resourceNames"] = json!(list(names));
    }
    r
}

fn metadata(name: &str, default: bool, labels: Map<String, Value>) -> Value {
    let mut labels = labels;
    let mut meta = json!({"name": name});
    if default {
        labels.insert(BOOTSTRAPPING.0.into(), json!(BOOTSTRAPPING.1));
        meta["annotations"] = json!({"rbac.authorization.kubernetes.io/autoupdate": "true"});
    }
    if !labels.is_empty() {
        meta["labels"] = Value::Object(labels);
    }
    meta
}

fn subject(text: &str) -> Value {
    let (kind, rest) = text.split_once(':').unwrap_or(("User", text));
    match kind {
        "ServiceAccount" => {
            let (ns, name) = rest.split_once(':').unwrap_or(("default", rest));
            json!({"kind": kind, "name": name, "namespace": ns})
        }
        _ => json!({"apiGroup": "rbac.authorization.k8s.io", "kind": kind, "name": rest}),
    }
}

/// The default ClusterRoles then ClusterRoleBindings, ready to create (aggregated roles still
/// empty: [`super::aggregate`] fills them).
pub fn objects() -> Vec<Object> {
    let mut out = Vec::new();
    for r in ROLES {
        let labels: Map<String, Value> =
            r.into.iter().map(|to| (format!("{AGGREGATE_TO}{to}"), json!("true"))).collect();
        let mut v = json!({
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRole",
            "metadata": metadata(r.name, r.default, labels),
            "rules": r.rules.iter().map(|t| rule(t)).collect::<Vec<_>>(),
        });
        if let Some(from) = r.from {
            v["aggregationRule"] =
                json!({"clusterRoleSelectors": [{"matchLabels": {format!("{AGGREGATE_TO}{from}"): "true"}}]});
        }
        out.push(Object::from_value(v).expect("a default ClusterRole is well formed"));
    }
    for (name, role, default, subjects) in BINDINGS {
        let v = json!({
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRoleBinding",
            "metadata": metadata(name, *default, Map::new()),
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
            "subjects": subjects.iter().map(|s| subject(s)).collect::<Vec<_>>(),
        });
        out.push(Object::from_value(v).expect("a default ClusterRoleBinding is well formed"));
    }
    out
}
