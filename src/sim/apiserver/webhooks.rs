//! Admission webhooks: the API server calls every Mutating- and ValidatingWebhookConfiguration
//! whose rules, namespace selector and object selector match a create or update, as upstream's
//! admission chain does (mutating webhooks before the object is validated, validating ones
//! after, both before it is stored).
//!
//! A webhook is reached as kube-apiserver reaches it on a kubeadm cluster: through its
//! Service's cluster IP. A Service that does not exist, or has no ready endpoint (kube-proxy
//! rejects the connection), fails the call, and `failurePolicy: Fail` (the default) refuses the
//! request with upstream's `failed calling webhook` message — the error learners meet when they
//! create an Ingress before ingress-nginx's controller is up. A pod behind the Service answers
//! through [`AdmissionServer`] (the programs the sandbox knows to serve admission reviews).

use std::collections::BTreeMap;

use serde_json::Value;

use super::{ApiError, KindInfo, Reason};
use crate::sim::api::Object;
use crate::sim::selector::matches_label_selector;
use crate::sim::store::Store;
use crate::sim::Sim;

/// What a webhook is asked about (the parts of an AdmissionReview's request the servers read).
pub struct AdmissionRequest<'a> {
    /// `CREATE` or `UPDATE`.
    pub operation: &'static str,
    pub object: &'a Object,
    /// `ingresses`, `pods`: the resource, without its group.
    pub resource: &'a str,
    pub group: &'a str,
}

/// A webhook server's answer: `Ok` allows, `Err` denies with the server's message.
pub type Verdict = Result<(), String>;

/// The admission server a pod runs, if the sandbox knows one there: `None` when the pod's
/// program is not one that answers admission reviews.
pub type AdmissionServer = fn(&Store, &Object, &AdmissionRequest) -> Option<Verdict>;

/// The kinds the API server never sends to a webhook (upstream exempts the webhook
/// configurations themselves, so a broken webhook can always be removed).
const EXEMPT: [&str; 4] = [
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
];

/// Calls the webhooks of `config_kind` (`MutatingWebhookConfiguration` or
/// `ValidatingWebhookConfiguration`) that match the request, in name order; the first refusal
/// or failed call (under `failurePolicy: Fail`) ends the request.
// SIM: mutating webhooks are called and can refuse, but no server the sandbox runs patches the
// object; `matchConditions` (CEL) are not evaluated: a webhook with them is called as if they held.
pub fn admit(sim: &Sim, config_kind: &str, info: &KindInfo, op: &'static str, obj: &Object) -> Result<(), ApiError> {
    // While the sandbox builds its cluster no webhook exists yet.
    if sim.building || EXEMPT.contains(&obj.kind.as_str()) {
        return Ok(());
    }
    let store = sim.store();
    let configs: Vec<&Object> = store.list(config_kind, None).collect();
    if configs.is_empty() {
        return Ok(());
    }
    let group = obj.api_version.rsplit_once('/').map_or("", |(g, _)| g);
    let resource = info.qualified_resource.split('.').next().unwrap_or("");
    let request = AdmissionRequest { operation: op, object: obj, resource, group };
    for config in configs {
        for hook in config.body.get("webhooks").and_then(Value::as_array).into_iter().flatten() {
            if !matches(store, hook, &request, info.namespaced) {
                continue;
            }
            let name = hook["name"].as_str().unwrap_or("");
            let ignore = hook["failurePolicy"].as_str() == Some("Ignore");
            match call(store, sim.admission_server, hook, &request) {
                Ok(Ok(())) => {}
                Ok(Err(message)) => {
                    return Err(ApiError::new(
                        Reason::BadRequest,
                        format!("admission webhook \"{name}\" denied the request: {message}"),
                    ))
                }
                Err(_) if ignore => {}
                Err(why) => {
                    return Err(ApiError::new(
                        Reason::InternalError,
                        format!(
                            "Internal error occurred: failed calling webhook \"{name}\": failed to call webhook: {why}"
                        ),
                    ))
                }
            }
        }
    }
    Ok(())
}

/// Whether a webhook's rules and selectors take the request.
fn matches(store: &Store, hook: &Value, req: &AdmissionRequest, namespaced: bool) -> bool {
    let listed = |list: &Value, want: &str| {
        list.as_array().into_iter().flatten().filter_map(Value::as_str).any(|v| v == "*" || v == want)
    };
    let rule_matches = |rule: &Value| {
        let resource_ok = rule["resources"].as_array().into_iter().flatten().filter_map(Value::as_str).any(|r| {
            // `*` and `*/*` take every resource; `pods/*` only subresources, never `pods`.
            r == "*" || r == "*/*" || r == req.resource
        });
        let scope_ok = match rule["scope"].as_str().unwrap_or("*") {
            "Cluster" => !namespaced,
            "Namespaced" => namespaced,
            _ => true,
        };
        // SIM: every version of a group is one the sandbox serves as the same objects, so with
        // the default `matchPolicy: Equivalent` any version matches; `Exact` compares them.
        let version = req.object.api_version.rsplit_once('/').map_or(req.object.api_version.as_str(), |(_, v)| v);
        let version_ok = hook["matchPolicy"].as_str() != Some("Exact") || listed(&rule["apiVersions"], version);
        listed(&rule["operations"], req.operation)
            && listed(&rule["apiGroups"], req.group)
            && resource_ok
            && scope_ok
            && version_ok
    };
    if !hook["rules"].as_array().into_iter().flatten().any(rule_matches) {
        return false;
    }
    let empty = BTreeMap::new();
    let labels = req.object.metadata.labels.as_ref().unwrap_or(&empty);
    if let Some(selector) = hook.get("objectSelector").filter(|s| !s.is_null()) {
        if !matches_label_selector(selector, labels) {
            return false;
        }
    }
    if let Some(selector) = hook.get("namespaceSelector").filter(|s| !s.is_null()) {
        // A Namespace is matched by its own labels; other cluster-scoped objects always match.
        let ns_labels = if req.object.kind == "Namespace" {
            Some(labels.clone())
        } else if namespaced {
            let ns = req.object.namespace().unwrap_or("default");
            Some(store.get("Namespace", None, ns).and_then(|n| n.metadata.labels.clone()).unwrap_or_default())
        } else {
            None
        };
        if let Some(ns_labels) = ns_labels {
            if !matches_label_selector(selector, &ns_labels) {
                return false;
            }
        }
    }
    true
}

/// Reaches the webhook's server: `Err` is why the call failed (as Go's HTTP client words it),
/// `Ok` the server's verdict.
fn call(store: &Store, server: AdmissionServer, hook: &Value, req: &AdmissionRequest) -> Result<Verdict, String> {
    let timeout = hook["timeoutSeconds"].as_i64().unwrap_or(10);
    let config = &hook["clientConfig"];
    let Some(service) = config.get("service").filter(|s| s.is_object()) else {
        // SIM: a webhook at a URL is outside the sandbox; its answer is taken to be "allowed".
        return Ok(Ok(()));
    };
    let name = service["name"].as_str().unwrap_or("");
    let ns = service["namespace"].as_str().unwrap_or("");
    let port = service["port"].as_i64().unwrap_or(443);
    let path = service["path"].as_str().unwrap_or("");
    let url = format!("https://{name}.{ns}.svc:{port}{path}?timeout={timeout}s");
    let post = |why: &str| format!("Post \"{url}\": {why}");
    let Some(svc) = store.get("Service", Some(ns), name) else {
        return Err(format!("service \"{name}\" not found"));
    };
    let ip = svc.field("spec.clusterIP").and_then(Value::as_str).unwrap_or("");
    let ready: Vec<&str> = store
        .get("Endpoints", Some(ns), name)
        .and_then(|ep| ep.body.get("subsets"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|s| s["addresses"].as_array().into_iter().flatten())
        .filter_map(|a| a["ip"].as_str())
        .collect();
    let Some(pod_ip) = ready.first() else {
        // kube-proxy rejects connections to a Service with no ready endpoint.
        return Err(post(&format!("dial tcp {ip}:{port}: connect: connection refused")));
    };
    let pod = store.list("Pod", Some(ns)).find(|p| p.field("status.podIP").and_then(Value::as_str) == Some(pod_ip));
    match pod.and_then(|p| server(store, p, req)) {
        Some(verdict) => Ok(verdict),
        // SIM: a server the sandbox cannot run (an image it does not know to answer admission
        // reviews) is taken to allow the request.
        None => Ok(Ok(())),
    }
}

#[cfg(test)]
mod tests {
    use crate::manifest;
    use crate::sim::apiserver::Reason;
    use crate::sim::{Sim, SimConfig};

    fn create(sim: &mut Sim, yaml: &str) -> Result<(), crate::sim::apiserver::ApiError> {
        for o in manifest::parse(yaml).unwrap() {
            sim.create(o)?;
        }
        Ok(())
    }

    /// A webhook for pods behind Service `hooks/gate`, with `extra` appended to its entry.
    fn hook(extra: &str) -> String {
        format!(
            "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata:\n  name: gate\nwebhooks:\n- name: gate.example.com\n  admissionReviewVersions: [v1]\n  sideEffects: None\n  clientConfig:\n    service: {{name: gate, namespace: hooks, path: /check}}\n  rules:\n  - {{apiGroups: [\"\"], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}}\n{extra}"
        )
    }

    const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n";

    #[test]
    fn a_missing_service_fails_the_call_and_refuses_the_request() {
        let mut sim = Sim::new(SimConfig::default());
        create(&mut sim, &hook("")).unwrap();
        let e = create(&mut sim, CM).unwrap_err();
        assert_eq!(e.reason, Reason::InternalError);
        assert_eq!(
            e.message,
            "Internal error occurred: failed calling webhook \"gate.example.com\": failed to call webhook: service \"gate\" not found"
        );
        // Another kind, or another operation, is not the webhook's.
        create(&mut sim, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n").unwrap();
    }

    #[test]
    fn a_service_without_endpoints_refuses_the_connection() {
        let mut sim = Sim::new(SimConfig::default());
        create(&mut sim, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: hooks\n").unwrap();
        create(&mut sim, "apiVersion: v1\nkind: Service\nmetadata:\n  name: gate\n  namespace: hooks\nspec:\n  selector: {app: gate}\n  ports: [{port: 443, targetPort: 8443}]\n").unwrap();
        create(&mut sim, &hook("")).unwrap();
        let ip = sim
            .store()
            .get("Service", Some("hooks"), "gate")
            .unwrap()
            .field("spec.clusterIP")
            .unwrap()
            .as_str()
            .unwrap()
            .to_string();
        let e = create(&mut sim, CM).unwrap_err();
        assert!(
            e.message.ends_with(&format!(
                "Post \"https://gate.hooks.svc:443/check?timeout=10s\": dial tcp {ip}:443: connect: connection refused"
            )),
            "{}",
            e.message
        );
    }

    #[test]
    fn ignore_and_selectors_let_requests_through() {
        let mut sim = Sim::new(SimConfig::default());
        create(&mut sim, &hook("  failurePolicy: Ignore\n")).unwrap();
        create(&mut sim, CM).unwrap();

        let mut sim = Sim::new(SimConfig::default());
        create(&mut sim, &hook("  objectSelector: {matchLabels: {checked: \"yes\"}}\n")).unwrap();
        create(&mut sim, CM).unwrap();
        let labelled = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: d\n  labels: {checked: \"yes\"}\n";
        assert!(create(&mut sim, labelled).is_err());

        let mut sim = Sim::new(SimConfig::default());
        create(&mut sim, &hook("  namespaceSelector: {matchLabels: {team: a}}\n")).unwrap();
        create(&mut sim, CM).unwrap();
        create(&mut sim, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels: {team: a}\n").unwrap();
        assert!(create(&mut sim, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: a\n").is_err());
    }

    #[test]
    fn the_webhook_configurations_themselves_are_never_sent_to_a_webhook() {
        let mut sim = Sim::new(SimConfig::default());
        let everything = "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingWebhookConfiguration\nmetadata:\n  name: all\nwebhooks:\n- name: all.example.com\n  admissionReviewVersions: [v1]\n  sideEffects: None\n  clientConfig:\n    service: {name: gone, namespace: default}\n  rules:\n  - {apiGroups: [\"*\"], apiVersions: [\"*\"], operations: [\"*\"], resources: [\"*\"]}\n";
        create(&mut sim, everything).unwrap();
        assert!(create(&mut sim, CM).is_err());
        create(&mut sim, &hook("")).unwrap();
    }
}
