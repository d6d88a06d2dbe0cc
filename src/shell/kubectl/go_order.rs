//! `-o json` of an object kubectl built itself (the generators: `create deployment`, `run`,
//! `expose` …): Go's `encoding/json` writes a typed object's fields in the order its struct
//! declares them (`kind` before `apiVersion`, `name` before `creationTimestamp`), and maps
//! (`labels`, `data`) with their keys sorted. Objects read back from the server are maps, and
//! stay sorted ([`super::output::json_text`]).
//!
//! The struct orders below are those of the `k8s.io/api` types the generators fill; a field
//! not listed comes after the listed ones, sorted.

use serde_json::Value;

/// Which struct an object is, from the struct holding it and the field's name.
fn child(parent: &str, key: &str) -> &'static str {
    match (parent, key) {
        (_, "metadata") => "ObjectMeta",
        ("Top", "spec") => "Spec",
        ("Top", "status") => "Status",
        ("Top", "rules") | ("Top", "rules[]") => "PolicyRule",
        ("Top", "subjects") => "Subject",
        ("Top", "roleRef") => "RoleRef",
        ("Spec", "template") | ("JobSpec", "template") => "PodTemplateSpec",
        ("PodTemplateSpec", "spec") => "PodSpec",
        ("Spec", "jobTemplate") => "JobTemplateSpec",
        ("JobTemplateSpec", "spec") => "JobSpec",
        (_, "selector") if parent != "ServiceSpec" => "LabelSelector",
        ("PodSpec", "containers" | "initContainers") => "Container",
        ("JobSpec", "selector") => "LabelSelector",
        ("Container", "ports") => "ContainerPort",
        ("Container", "env") => "EnvVar",
        ("Container", "resources") => "Resources",
        ("Spec", "ports") => "ServicePort",
        ("Spec", "tls") => "IngressTLS",
        ("Spec", "rules") => "IngressRule",
        ("Spec", "defaultBackend") | ("HTTPIngressPath", "backend") => "IngressBackend",
        ("IngressRule", "http") => "HTTPIngressRuleValue",
        ("HTTPIngressRuleValue", "paths") => "HTTPIngressPath",
        ("IngressBackend", "service") => "IngressServiceBackend",
        ("IngressServiceBackend", "port") => "ServiceBackendPort",
        _ => "",
    }
}

/// The field order of a struct; empty for maps and unknown structs (sorted keys).
fn fields(ty: &str) -> &'static [&'static str] {
    match ty {
        "Top" => &[
            "kind",
            "apiVersion",
            "metadata",
            "immutable",
            "data",
            "binaryData",
            "stringData",
            "type",
            "spec",
            "status",
            "rules",
            "aggregationRule",
            "subjects",
            "roleRef",
            "value",
            "globalDefault",
            "description",
            "preemptionPolicy",
            "secrets",
            "imagePullSecrets",
            "automountServiceAccountToken",
        ],
        "ObjectMeta" => &[
            "name",
            "generateName",
            "namespace",
            "selfLink",
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "labels",
            "annotations",
            "ownerReferences",
            "finalizers",
            "managedFields",
        ],
        // The `spec` of each generated kind: their fields do not clash in order, so one list
        // serves Deployment, Service, Job, CronJob, ResourceQuota, PodDisruptionBudget, Ingress,
        // Namespace and Pod (whose spec is a PodSpec).
        "Spec" => &[
            // DeploymentSpec / PodDisruptionBudgetSpec / JobSpec
            "parallelism",
            "completions",
            "activeDeadlineSeconds",
            "backoffLimit",
            "minAvailable",
            "replicas",
            "ports",
            "selector",
            "maxUnavailable",
            "manualSelector",
            "template",
            "strategy",
            "minReadySeconds",
            "revisionHistoryLimit",
            "paused",
            "progressDeadlineSeconds",
            "ttlSecondsAfterFinished",
            "completionMode",
            // ServiceSpec
            "clusterIP",
            "clusterIPs",
            "type",
            "externalIPs",
            "sessionAffinity",
            "loadBalancerIP",
            "loadBalancerSourceRanges",
            "externalName",
            "externalTrafficPolicy",
            // CronJobSpec
            "schedule",
            "timeZone",
            "startingDeadlineSeconds",
            "concurrencyPolicy",
            "suspend",
            "jobTemplate",
            "successfulJobsHistoryLimit",
            "failedJobsHistoryLimit",
            // ResourceQuotaSpec
            "hard",
            "scopes",
            "scopeSelector",
            // IngressSpec
            "ingressClassName",
            "defaultBackend",
            "tls",
            "rules",
            // NamespaceSpec
            "finalizers",
            // PodSpec (a Pod's spec)
            "volumes",
            "initContainers",
            "containers",
            "restartPolicy",
            "terminationGracePeriodSeconds",
            "dnsPolicy",
            "nodeSelector",
            "serviceAccountName",
            "nodeName",
            "securityContext",
            "imagePullSecrets",
            "schedulerName",
            "tolerations",
            "priorityClassName",
            "priority",
        ],
        "Status" => &[
            "loadBalancer",
            "phase",
            "observedGeneration",
            "disruptedPods",
            "disruptionsAllowed",
            "currentHealthy",
            "desiredHealthy",
            "expectedPods",
            "conditions",
            "hard",
            "used",
        ],
        "JobSpec" => &[
            "parallelism",
            "completions",
            "activeDeadlineSeconds",
            "backoffLimit",
            "selector",
            "manualSelector",
            "template",
            "ttlSecondsAfterFinished",
            "completionMode",
            "suspend",
        ],
        "PodTemplateSpec" | "JobTemplateSpec" => &["metadata", "spec"],
        "PodSpec" => &[
            "volumes",
            "initContainers",
            "containers",
            "restartPolicy",
            "terminationGracePeriodSeconds",
            "activeDeadlineSeconds",
            "dnsPolicy",
            "nodeSelector",
            "serviceAccountName",
            "nodeName",
            "securityContext",
            "imagePullSecrets",
            "schedulerName",
            "tolerations",
        ],
        "Container" => &[
            "name",
            "image",
            "command",
            "args",
            "workingDir",
            "ports",
            "envFrom",
            "env",
            "resources",
            "volumeMounts",
            "livenessProbe",
            "readinessProbe",
            "startupProbe",
            "terminationMessagePath",
            "terminationMessagePolicy",
            "imagePullPolicy",
            "securityContext",
            "stdin",
            "stdinOnce",
            "tty",
        ],
        "ContainerPort" => &["name", "hostPort", "containerPort", "protocol", "hostIP"],
        "EnvVar" => &["name", "value", "valueFrom"],
        "Resources" => &["limits", "requests", "claims"],
        "LabelSelector" => &["matchLabels", "matchExpressions"],
        "ServicePort" => &["name", "protocol", "appProtocol", "port", "targetPort", "nodePort"],
        "PolicyRule" => &["verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs"],
        "Subject" => &["kind", "apiGroup", "name", "namespace"],
        "RoleRef" => &["apiGroup", "kind", "name"],
        "IngressTLS" => &["hosts", "secretName"],
        "IngressRule" => &["host", "http"],
        "HTTPIngressRuleValue" => &["paths"],
        "HTTPIngressPath" => &["path", "pathType", "backend"],
        "IngressBackend" => &["service", "resource"],
        "IngressServiceBackend" => &["name", "port"],
        "ServiceBackendPort" => &["name", "number"],
        _ => &[],
    }
}

/// A string as Go's `encoding/json` writes it: `<`, `>` and `&` escaped as `\u003c` ….
pub fn go_string(s: &str) -> String {
    serde_json::to_string(s)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

fn write(out: &mut String, v: &Value, ty: &str, depth: usize) {
    let pad = |n: usize| "    ".repeat(n);
    match v {
        Value::Object(m) if m.is_empty() => out.push_str("{}"),
        Value::Object(m) => {
            let order = fields(ty);
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by_key(|k| (order.iter().position(|f| f == k).unwrap_or(order.len()), k.as_str()));
            out.push_str("{\n");
            for (i, k) in keys.iter().enumerate() {
                out.push_str(&format!("{}{}: ", pad(depth + 1), go_string(k)));
                let inner = match (ty, k.as_str(), m.get("kind").and_then(Value::as_str)) {
                    // A Pod's or a Job's spec is its own struct; the other kinds share "Spec".
                    ("Top", "spec", Some("Pod")) => "PodSpec",
                    ("Top", "spec", Some("Job")) => "JobSpec",
                    _ => child(ty, k),
                };
                write(out, &m[*k], inner, depth + 1);
                out.push_str(if i + 1 < keys.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(depth));
            out.push('}');
        }
        Value::Array(a) if a.is_empty() => out.push_str("[]"),
        Value::Array(a) => {
            out.push_str("[\n");
            for (i, x) in a.iter().enumerate() {
                out.push_str(&pad(depth + 1));
                write(out, x, ty, depth + 1);
                out.push_str(if i + 1 < a.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(depth));
            out.push(']');
        }
        Value::String(s) => out.push_str(&go_string(s)),
        other => out.push_str(&other.to_string()),
    }
}

/// An object kubectl built, as its JSON printer writes it (four-space indent, struct order).
pub fn json_text(v: &Value) -> String {
    let mut out = String::new();
    write(&mut out, v, "Top", 0);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn typed_objects_print_in_struct_order_and_maps_sorted() {
        let v = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "creationTimestamp": null},
                       "data": {"b": "<x>", "a": "1"}});
        assert_eq!(
            json_text(&v),
            "{\n    \"kind\": \"ConfigMap\",\n    \"apiVersion\": \"v1\",\n    \"metadata\": {\n        \"name\": \"c\",\n        \"creationTimestamp\": null\n    },\n    \"data\": {\n        \"a\": \"1\",\n        \"b\": \"\\u003cx\\u003e\"\n    }\n}\n"
        );
        let rb = json!({"roleRef": {"name": "r", "kind": "Role", "apiGroup": "rbac.authorization.k8s.io"},
                        "subjects": [{"name": "u", "kind": "User", "apiGroup": "rbac.authorization.k8s.io"}]});
        let text = json_text(&rb);
        assert!(text.find("\"subjects\"") < text.find("\"roleRef\""), "{text}");
        assert!(text.contains("\"apiGroup\": \"rbac.authorization.k8s.io\",\n        \"kind\": \"Role\""), "{text}");
        assert!(text.contains("\"kind\": \"User\",\n            \"apiGroup\""), "{text}");
    }
}
