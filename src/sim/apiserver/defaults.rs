//! Defaulting, as the API server's defaulters and admission plugins fill in what a manifest
//! leaves out: pod specs (restartPolicy, dnsPolicy, imagePullPolicy by tag, grace period, …),
//! workloads (replicas, strategies, history limits), Services, Jobs, CronJobs.
//!
//! Works on the JSON body so that `kubectl get -o yaml` shows exactly what was defaulted.

use serde_json::{json, Map, Value};

use crate::sim::store::Store;

/// Sets `key` to `value` when absent (or null).
fn set_default(map: &mut Map<String, Value>, key: &str, value: Value) {
    if map.get(key).is_none_or(Value::is_null) {
        map.insert(key.to_string(), value);
    }
}

/// The object at `key`, created empty if absent.
fn child<'a>(map: &'a mut Map<String, Value>, key: &str) -> &'a mut Map<String, Value> {
    if !map.get(key).is_some_and(Value::is_object) {
        map.insert(key.to_string(), json!({}));
    }
    map.get_mut(key).and_then(Value::as_object_mut).expect("just made an object")
}

/// A ReplicationController without labels takes its template's (SetDefaults_ReplicationController);
/// metadata is not in the body, so this is apart from [`default_object`].
pub fn default_metadata(obj: &mut crate::sim::api::Object) {
    if obj.kind == "ReplicationController" && obj.metadata.labels.as_ref().is_none_or(|l| l.is_empty()) {
        let labels = obj.field("spec.template.metadata.labels").cloned();
        obj.metadata.labels = labels
            .and_then(|l| serde_json::from_value(l).ok())
            .filter(|l: &std::collections::BTreeMap<String, String>| !l.is_empty());
    }
}

/// `imagePullPolicy` from the tag: `Always` for `:latest` or no tag, else `IfNotPresent`.
pub fn pull_policy_for(image: &str) -> &'static str {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    match last.split_once(':') {
        _ if image.contains('@') => "IfNotPresent",
        Some((_, "latest")) | None => "Always",
        Some(_) => "IfNotPresent",
    }
}

fn default_probe(probe: &mut Value) {
    let Some(p) = probe.as_object_mut() else { return };
    set_default(p, "timeoutSeconds", json!(1));
    set_default(p, "periodSeconds", json!(10));
    set_default(p, "successThreshold", json!(1));
    set_default(p, "failureThreshold", json!(3));
    if let Some(h) = p.get_mut("httpGet").and_then(Value::as_object_mut) {
        set_default(h, "scheme", json!("HTTP"));
        set_default(h, "path", json!("/"));
    }
}

fn default_container(c: &mut Value) {
    let Some(c) = c.as_object_mut() else { return };
    let image = c.get("image").and_then(Value::as_str).unwrap_or("").to_string();
    set_default(c, "imagePullPolicy", json!(pull_policy_for(&image)));
    set_default(c, "terminationMessagePath", json!("/dev/termination-log"));
    set_default(c, "terminationMessagePolicy", json!("File"));
    let res = child(c, "resources");
    // Limits without requests: the requests default to the limits.
    if let Some(limits) = res.get("limits").and_then(Value::as_object).cloned() {
        let req = child(res, "requests");
        for (k, v) in limits {
            set_default(req, &k, v);
        }
    }
    for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
        if let Some(p) = c.get_mut(probe) {
            default_probe(p);
        }
    }
    for port in c.get_mut("ports").and_then(Value::as_array_mut).into_iter().flatten() {
        if let Some(p) = port.as_object_mut() {
            set_default(p, "protocol", json!("TCP"));
        }
    }
}

/// Defaults a pod spec (a Pod's or a template's).
pub fn default_pod_spec(spec: &mut Map<String, Value>) {
    set_default(spec, "restartPolicy", json!("Always"));
    set_default(spec, "dnsPolicy", json!("ClusterFirst"));
    set_default(spec, "schedulerName", json!("default-scheduler"));
    set_default(spec, "securityContext", json!({}));
    set_default(spec, "terminationGracePeriodSeconds", json!(30));
    for key in ["containers", "initContainers"] {
        for c in spec.get_mut(key).and_then(Value::as_array_mut).into_iter().flatten() {
            default_container(c);
        }
    }
    for v in spec.get_mut("volumes").and_then(Value::as_array_mut).into_iter().flatten() {
        let Some(v) = v.as_object_mut() else { continue };
        for source in ["configMap", "secret"] {
            if let Some(s) = v.get_mut(source).and_then(Value::as_object_mut) {
                set_default(s, "defaultMode", json!(420));
            }
        }
        if let Some(s) = v.get_mut("hostPath").and_then(Value::as_object_mut) {
            set_default(s, "type", json!(""));
        }
    }
}

/// What admission adds to a Pod (not to templates): priority, the service account and its
/// token volume, and the not-ready/unreachable tolerations of 300 s.
pub fn admit_pod(body: &mut Map<String, Value>, token_volume_suffix: &str) {
    let spec = child(body, "spec");
    default_pod_spec(spec);
    set_default(spec, "enableServiceLinks", json!(true));
    set_default(spec, "preemptionPolicy", json!("PreemptLowerPriority"));
    set_default(spec, "priority", json!(0));
    let sa = spec.get("serviceAccountName").and_then(Value::as_str).unwrap_or("default").to_string();
    set_default(spec, "serviceAccountName", json!(sa));
    set_default(spec, "serviceAccount", json!(sa));
    let tolerations = spec.entry("tolerations").or_insert_with(|| json!([]));
    if let Some(list) = tolerations.as_array_mut() {
        for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
            let has = list.iter().any(|t| t["key"] == key && (t["effect"] == "NoExecute" || t["effect"].is_null()));
            if !has {
                list.push(json!({"effect": "NoExecute", "key": key, "operator": "Exists", "tolerationSeconds": 300}));
            }
        }
    }
    // The projected service-account token volume, mounted in every container.
    if spec.get("automountServiceAccountToken") != Some(&json!(false)) {
        let name = format!("kube-api-access-{token_volume_suffix}");
        let volume = json!({"name": name, "projected": {"defaultMode": 420, "sources": [
            {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
            {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
            {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}},
        ]}});
        if let Some(v) = spec.entry("volumes").or_insert_with(|| json!([])).as_array_mut() {
            v.push(volume);
        }
        for key in ["containers", "initContainers"] {
            for c in spec.get_mut(key).and_then(Value::as_array_mut).into_iter().flatten() {
                let Some(c) = c.as_object_mut() else { continue };
                let mount = json!({"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": name, "readOnly": true});
                if let Some(m) = c.entry("volumeMounts").or_insert_with(|| json!([])).as_array_mut() {
                    m.push(mount);
                }
            }
        }
    }
}

fn template_spec(spec: &mut Map<String, Value>) {
    default_pod_spec(child(child(spec, "template"), "spec"));
}

/// What the namespace registry sets on create: phase `Active` (whatever status was sent), the
/// `kubernetes` finalizer, and the `kubernetes.io/metadata.name` label naming it.
pub fn admit_namespace(ns: &mut crate::sim::api::Object) {
    let name = ns.name().to_string();
    ns.metadata.labels.get_or_insert_with(Default::default).insert("kubernetes.io/metadata.name".into(), name);
    set_default(child(&mut ns.body, "spec"), "finalizers", json!(["kubernetes"]));
    ns.body.insert("status".into(), json!({"phase": "Active"}));
}

/// Defaults the body of an object of `kind`.
pub fn default_object(kind: &str, body: &mut Map<String, Value>) {
    match kind {
        "Deployment" => {
            let spec = child(body, "spec");
            set_default(spec, "replicas", json!(1));
            set_default(spec, "revisionHistoryLimit", json!(10));
            set_default(spec, "progressDeadlineSeconds", json!(600));
            let strategy = child(spec, "strategy");
            set_default(strategy, "type", json!("RollingUpdate"));
            if strategy["type"] == "RollingUpdate" {
                let ru = child(strategy, "rollingUpdate");
                set_default(ru, "maxSurge", json!("25%"));
                set_default(ru, "maxUnavailable", json!("25%"));
            }
            template_spec(spec);
        }
        "ReplicaSet" => {
            let spec = child(body, "spec");
            set_default(spec, "replicas", json!(1));
            template_spec(spec);
        }
        "ReplicationController" => {
            let spec = child(body, "spec");
            set_default(spec, "replicas", json!(1));
            // An empty selector defaults to the template's labels (SetDefaults_ReplicationController).
            if spec.get("selector").and_then(Value::as_object).is_none_or(Map::is_empty) {
                let labels = spec.get("template").and_then(|t| t.pointer("/metadata/labels")).cloned();
                if let Some(l) = labels.filter(|l| l.as_object().is_some_and(|m| !m.is_empty())) {
                    spec.insert("selector".into(), l);
                }
            }
            template_spec(spec);
        }
        "DaemonSet" => {
            let spec = child(body, "spec");
            set_default(spec, "revisionHistoryLimit", json!(10));
            let strategy = child(spec, "updateStrategy");
            set_default(strategy, "type", json!("RollingUpdate"));
            if strategy["type"] == "RollingUpdate" {
                let ru = child(strategy, "rollingUpdate");
                set_default(ru, "maxSurge", json!(0));
                set_default(ru, "maxUnavailable", json!(1));
            }
            template_spec(spec);
        }
        "StatefulSet" => {
            let spec = child(body, "spec");
            set_default(spec, "replicas", json!(1));
            set_default(spec, "revisionHistoryLimit", json!(10));
            set_default(spec, "podManagementPolicy", json!("OrderedReady"));
            set_default(
                spec,
                "persistentVolumeClaimRetentionPolicy",
                json!({"whenDeleted": "Retain", "whenScaled": "Retain"}),
            );
            let strategy = child(spec, "updateStrategy");
            set_default(strategy, "type", json!("RollingUpdate"));
            if strategy["type"] == "RollingUpdate" {
                set_default(child(strategy, "rollingUpdate"), "partition", json!(0));
            }
            template_spec(spec);
        }
        "Job" => default_job_spec(child(body, "spec")),
        "CronJob" => {
            let spec = child(body, "spec");
            set_default(spec, "concurrencyPolicy", json!("Allow"));
            set_default(spec, "suspend", json!(false));
            set_default(spec, "successfulJobsHistoryLimit", json!(3));
            set_default(spec, "failedJobsHistoryLimit", json!(1));
            default_job_spec(child(child(spec, "jobTemplate"), "spec"));
        }
        "Service" => {
            let spec = child(body, "spec");
            set_default(spec, "type", json!("ClusterIP"));
            if spec["type"] != "ExternalName" {
                set_default(spec, "sessionAffinity", json!("None"));
                set_default(spec, "internalTrafficPolicy", json!("Cluster"));
                set_default(spec, "ipFamilies", json!(["IPv4"]));
                set_default(spec, "ipFamilyPolicy", json!("SingleStack"));
            }
            if matches!(spec["type"].as_str(), Some("NodePort" | "LoadBalancer")) {
                set_default(spec, "externalTrafficPolicy", json!("Cluster"));
            }
            for port in spec.get_mut("ports").and_then(Value::as_array_mut).into_iter().flatten() {
                if let Some(p) = port.as_object_mut() {
                    set_default(p, "protocol", json!("TCP"));
                    let port_number = p.get("port").cloned().unwrap_or(Value::Null);
                    set_default(p, "targetPort", port_number);
                }
            }
        }
        "Secret" => {
            set_default(body, "type", json!("Opaque"));
            // The v1 → internal conversion merges `stringData` into `data` (a key in both takes
            // the stringData value) and never stores `stringData`.
            if let Some(string_data) = body.remove("stringData") {
                let data = child(body, "data");
                for (k, v) in string_data.as_object().into_iter().flatten() {
                    let text = v.as_str().unwrap_or_default();
                    data.insert(k.clone(), json!(crate::sim::base64::encode(text.as_bytes())));
                }
            }
        }
        "PersistentVolumeClaim" => set_default(child(body, "spec"), "volumeMode", json!("Filesystem")),
        "PersistentVolume" => {
            let spec = child(body, "spec");
            set_default(spec, "persistentVolumeReclaimPolicy", json!("Retain"));
            set_default(spec, "volumeMode", json!("Filesystem"));
        }
        "PodTemplate" => default_pod_spec(child(child(body, "template"), "spec")),
        _ => {}
    }
}

fn default_job_spec(spec: &mut Map<String, Value>) {
    set_default(spec, "parallelism", json!(1));
    set_default(spec, "completions", json!(1));
    // With a per-index limit, the Job-wide limit is off unless set (upstream: MaxInt32).
    let backoff_limit = if spec.get("backoffLimitPerIndex").is_some_and(|v| !v.is_null()) { i32::MAX } else { 6 };
    set_default(spec, "backoffLimit", json!(backoff_limit));
    set_default(spec, "completionMode", json!("NonIndexed"));
    set_default(spec, "suspend", json!(false));
    // A pod failure policy judges failed pods only, so pods are replaced once they have failed.
    let replacement =
        if spec.get("podFailurePolicy").is_some_and(|v| !v.is_null()) { "Failed" } else { "TerminatingOrFailed" };
    set_default(spec, "podReplacementPolicy", json!(replacement));
    template_spec(spec);
}

/// The default StorageClass's name, if one is marked default.
pub fn default_class(store: &Store) -> Option<String> {
    store
        .list("StorageClass", None)
        .find(|sc| {
            sc.metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get("storageclass.kubernetes.io/is-default-class"))
                .map(String::as_str)
                == Some("true")
        })
        .map(|sc| sc.name().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_pull_policy_follows_the_tag() {
        assert_eq!(pull_policy_for("nginx"), "Always");
        assert_eq!(pull_policy_for("nginx:latest"), "Always");
        assert_eq!(pull_policy_for("nginx:1.27"), "IfNotPresent");
        assert_eq!(pull_policy_for("localhost:5000/app"), "Always");
        assert_eq!(pull_policy_for("nginx@sha256:abc"), "IfNotPresent");
    }

    #[test]
    fn pod_admission_adds_upstream_defaults() {
        let mut body = json!({"spec": {"containers": [{"name": "web", "image": "nginx:1.27",
            "resources": {"limits": {"cpu": "500m"}}}]}})
        .as_object()
        .unwrap()
        .clone();
        admit_pod(&mut body, "abcde");
        let spec = &body["spec"];
        assert_eq!(spec["restartPolicy"], "Always");
        assert_eq!(spec["dnsPolicy"], "ClusterFirst");
        assert_eq!(spec["terminationGracePeriodSeconds"], 30);
        assert_eq!(spec["serviceAccountName"], "default");
        assert_eq!(spec["containers"][0]["imagePullPolicy"], "IfNotPresent");
        assert_eq!(spec["containers"][0]["resources"]["requests"]["cpu"], "500m");
        let tolerations = spec["tolerations"].as_array().unwrap();
        assert_eq!(tolerations.len(), 2);
        assert!(tolerations.iter().all(|t| t["tolerationSeconds"] == 300 && t["effect"] == "NoExecute"));
        assert_eq!(spec["volumes"][0]["name"], "kube-api-access-abcde");
        assert_eq!(
            spec["containers"][0]["volumeMounts"][0]["mountPath"],
            "/var/run/secrets/kubernetes.io/serviceaccount"
        );
    }

    #[test]
    fn deployment_defaults_match_upstream() {
        let mut body = json!({"spec": {"template": {"spec": {"containers": [{"name": "a", "image": "nginx"}]}}}})
            .as_object()
            .unwrap()
            .clone();
        default_object("Deployment", &mut body);
        let spec = &body["spec"];
        assert_eq!(spec["replicas"], 1);
        assert_eq!(spec["revisionHistoryLimit"], 10);
        assert_eq!(spec["progressDeadlineSeconds"], 600);
        assert_eq!(
            spec["strategy"],
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}})
        );
        assert_eq!(spec["template"]["spec"]["containers"][0]["imagePullPolicy"], "Always");
    }

    #[test]
    fn service_port_target_defaults_to_port() {
        let mut body = json!({"spec": {"ports": [{"port": 80}]}}).as_object().unwrap().clone();
        default_object("Service", &mut body);
        assert_eq!(body["spec"]["ports"][0], json!({"port": 80, "protocol": "TCP", "targetPort": 80}));
        assert_eq!(body["spec"]["type"], "ClusterIP");
    }
}
