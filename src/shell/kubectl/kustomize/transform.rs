//! The built-in transformers of one kustomization, on the fields kustomize's default field
//! specs name: namespace, name prefix/suffix (and the references that follow a rename),
//! labels, annotations, images and replicas.

use serde_json::{Map, Value};

use super::Res;
use crate::sim::api::discovery;

/// Kinds whose objects have no namespace (`discovery` knows the built-in ones; any other kind,
/// a custom resource, is taken as namespaced, as kustomize takes it).
pub fn cluster_scoped(res: &Res) -> bool {
    let av = res.value["apiVersion"].as_str().unwrap_or("");
    discovery::lookup_kind(av, res.kind()).is_some_and(|r| !r.namespaced)
}

/// `namespace:` — every namespaced object moves there; a Namespace object is renamed to it.
pub fn namespace(resources: &mut [Res], ns: &str) {
    for r in resources.iter_mut() {
        if r.kind() == "Namespace" {
            r.rename(ns);
        } else if !cluster_scoped(r) {
            r.value["metadata"]["namespace"] = ns.into();
        }
    }
}

/// `namePrefix:` / `nameSuffix:` on every object but Namespaces, CRDs and APIServices, then
/// the references to the renamed objects.
pub fn prefix_suffix(resources: &mut [Res], prefix: &str, suffix: &str) {
    let mut renames = Vec::new();
    for r in resources.iter_mut() {
        if matches!(r.kind(), "Namespace" | "CustomResourceDefinition" | "APIService") {
            continue;
        }
        let old = r.name().to_string();
        let new = format!("{prefix}{old}{suffix}");
        renames.push(Rename { kind: r.kind().to_string(), namespace: r.namespace(), from: old, to: new.clone() });
        r.rename(&new);
    }
    fix_references(resources, &renames);
}

/// One object's name changed from `from` to `to`.
pub struct Rename {
    pub kind: String,
    pub namespace: String,
    pub from: String,
    pub to: String,
}

/// The pod specs inside an object (a Pod's, a workload's template, a CronJob's job template).
fn pod_specs(v: &mut Value) -> Vec<&mut Value> {
    let kind = v["kind"].as_str().unwrap_or("").to_string();
    let spec = match kind.as_str() {
        "Pod" => v.get_mut("spec"),
        "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet" | "Job" | "ReplicationController" | "PodTemplate" => {
            if kind == "PodTemplate" {
                v.get_mut("template").and_then(|t| t.get_mut("spec"))
            } else {
                v.pointer_mut("/spec/template/spec")
            }
        }
        "CronJob" => v.pointer_mut("/spec/jobTemplate/spec/template/spec"),
        _ => None,
    };
    spec.filter(|s| s.is_object()).into_iter().collect()
}

/// Sets `*slot` to the new name when it holds the old one.
fn swap(slot: Option<&mut Value>, from: &str, to: &str) {
    if let Some(s) = slot {
        if s.as_str() == Some(from) {
            *s = to.into();
        }
    }
}

/// Every item of the array at `field` of `v`.
fn items<'a>(v: &'a mut Value, field: &str) -> Vec<&'a mut Value> {
    match v.get_mut(field) {
        Some(Value::Array(a)) => a.iter_mut().collect(),
        _ => Vec::new(),
    }
}

/// Renames references in every object to the objects in `renames` (kustomize's
/// `nameReference` defaults, for the kinds the sandbox's courses use), within one namespace.
pub fn fix_references(resources: &mut [Res], renames: &[Rename]) {
    for r in resources.iter_mut() {
        let ns = r.namespace();
        for rn in renames {
            if rn.namespace != ns && !matches!(rn.kind.as_str(), "ClusterRole" | "PriorityClass" | "Namespace") {
                continue;
            }
            references(&mut r.value, rn);
        }
    }
}

fn references(v: &mut Value, rn: &Rename) {
    let (from, to) = (rn.from.as_str(), rn.to.as_str());
    let kind = v["kind"].as_str().unwrap_or("").to_string();
    for spec in pod_specs(v) {
        match rn.kind.as_str() {
            "ConfigMap" | "Secret" => {
                let (vol_field, ref_key, env_key, from_key) = if rn.kind == "ConfigMap" {
                    ("configMap", "name", "configMapKeyRef", "configMapRef")
                } else {
                    ("secret", "secretName", "secretKeyRef", "secretRef")
                };
                for vol in items(spec, "volumes") {
                    swap(vol.get_mut(vol_field).and_then(|c| c.get_mut(ref_key)), from, to);
                    if let Some(p) = vol.get_mut("projected") {
                        for src in items(p, "sources") {
                            swap(src.get_mut(vol_field).and_then(|c| c.get_mut("name")), from, to);
                        }
                    }
                }
                for field in ["containers", "initContainers", "ephemeralContainers"] {
                    for c in items(spec, field) {
                        for e in items(c, "env") {
                            swap(
                                e.get_mut("valueFrom").and_then(|f| f.get_mut(env_key)).and_then(|r| r.get_mut("name")),
                                from,
                                to,
                            );
                        }
                        for e in items(c, "envFrom") {
                            swap(e.get_mut(from_key).and_then(|r| r.get_mut("name")), from, to);
                        }
                    }
                }
                if rn.kind == "Secret" {
                    for s in items(spec, "imagePullSecrets") {
                        swap(s.get_mut("name"), from, to);
                    }
                }
            }
            "ServiceAccount" => {
                swap(spec.get_mut("serviceAccountName"), from, to);
                swap(spec.get_mut("serviceAccount"), from, to);
            }
            "PersistentVolumeClaim" => {
                for vol in items(spec, "volumes") {
                    swap(vol.get_mut("persistentVolumeClaim").and_then(|c| c.get_mut("claimName")), from, to);
                }
            }
            "PriorityClass" => swap(spec.get_mut("priorityClassName"), from, to),
            _ => {}
        }
    }
    match (rn.kind.as_str(), kind.as_str()) {
        ("Service", "StatefulSet") => swap(v.pointer_mut("/spec/serviceName"), from, to),
        ("Service", "Ingress") => {
            swap(v.pointer_mut("/spec/defaultBackend/service/name"), from, to);
            if let Some(spec) = v.get_mut("spec") {
                for rule in items(spec, "rules") {
                    if let Some(http) = rule.get_mut("http") {
                        for p in items(http, "paths") {
                            swap(p.pointer_mut("/backend/service/name"), from, to);
                        }
                    }
                }
            }
        }
        ("Secret", "Ingress") => {
            if let Some(spec) = v.get_mut("spec") {
                for t in items(spec, "tls") {
                    swap(t.get_mut("secretName"), from, to);
                }
            }
        }
        ("Role" | "ClusterRole", "RoleBinding" | "ClusterRoleBinding")
            if v.pointer("/roleRef/kind").and_then(Value::as_str) == Some(rn.kind.as_str()) =>
        {
            swap(v.pointer_mut("/roleRef/name"), from, to);
        }
        ("ServiceAccount", "RoleBinding" | "ClusterRoleBinding") => {
            for s in items(v, "subjects") {
                let same_ns = s.get("namespace").and_then(Value::as_str).is_none_or(|n| n == rn.namespace);
                if s.get("kind").and_then(Value::as_str) == Some("ServiceAccount") && same_ns {
                    swap(s.get_mut("name"), from, to);
                }
            }
        }
        ("Deployment" | "StatefulSet" | "ReplicaSet", "HorizontalPodAutoscaler")
            if v.pointer("/spec/scaleTargetRef/kind").and_then(Value::as_str) == Some(rn.kind.as_str()) =>
        {
            swap(v.pointer_mut("/spec/scaleTargetRef/name"), from, to);
        }
        _ => {}
    }
}

/// Where labels go. `metadata` always; `templates` the pod templates' labels; `selectors`
/// the selectors as well (commonLabels, `includeSelectors: true`).
pub struct LabelScope {
    pub templates: bool,
    pub selectors: bool,
}

/// Merges `pairs` into the map at `path` (made when `create`).
fn merge_at(v: &mut Value, path: &[&str], pairs: &Map<String, Value>, create: bool) {
    let mut cur = v;
    for (i, key) in path.iter().enumerate() {
        let Value::Object(m) = cur else { return };
        if !m.contains_key(*key) {
            if !create {
                return;
            }
            m.insert(key.to_string(), Value::Object(Map::new()));
        }
        cur = m.get_mut(*key).expect("inserted above");
        if i + 1 == path.len() {
            if cur.is_null() {
                *cur = Value::Object(Map::new());
            }
            if let Value::Object(target) = cur {
                target.extend(pairs.clone());
            }
        }
    }
}

/// `commonLabels:` / `labels:`.
pub fn labels(resources: &mut [Res], pairs: &Map<String, Value>, scope: &LabelScope) {
    for r in resources.iter_mut() {
        let v = &mut r.value;
        merge_at(v, &["metadata", "labels"], pairs, true);
        let kind = v["kind"].as_str().unwrap_or("").to_string();
        let sel = scope.selectors;
        let tmpl = scope.templates || sel;
        match kind.as_str() {
            "Service" if sel => merge_at(v, &["spec", "selector"], pairs, true),
            "ReplicationController" => {
                if sel {
                    merge_at(v, &["spec", "selector"], pairs, true);
                }
                if tmpl {
                    merge_at(v, &["spec", "template", "metadata", "labels"], pairs, true);
                }
            }
            "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet" => {
                if sel {
                    merge_at(v, &["spec", "selector", "matchLabels"], pairs, true);
                }
                if tmpl {
                    merge_at(v, &["spec", "template", "metadata", "labels"], pairs, true);
                }
                if kind == "StatefulSet" && tmpl {
                    if let Some(spec) = v.get_mut("spec") {
                        for t in items(spec, "volumeClaimTemplates") {
                            merge_at(t, &["metadata", "labels"], pairs, true);
                        }
                    }
                }
            }
            "Job" => {
                if sel {
                    merge_at(v, &["spec", "selector", "matchLabels"], pairs, false);
                }
                if tmpl {
                    merge_at(v, &["spec", "template", "metadata", "labels"], pairs, true);
                }
            }
            "CronJob" => {
                if sel {
                    merge_at(v, &["spec", "jobTemplate", "spec", "selector", "matchLabels"], pairs, false);
                }
                if tmpl {
                    merge_at(v, &["spec", "jobTemplate", "metadata", "labels"], pairs, true);
                    merge_at(v, &["spec", "jobTemplate", "spec", "template", "metadata", "labels"], pairs, true);
                }
            }
            "PodDisruptionBudget" if sel => merge_at(v, &["spec", "selector", "matchLabels"], pairs, false),
            "NetworkPolicy" if sel => merge_at(v, &["spec", "podSelector", "matchLabels"], pairs, false),
            _ => {}
        }
    }
}

/// `commonAnnotations:` on every object and its pod templates.
pub fn annotations(resources: &mut [Res], pairs: &Map<String, Value>) {
    for r in resources.iter_mut() {
        let v = &mut r.value;
        merge_at(v, &["metadata", "annotations"], pairs, true);
        match v["kind"].as_str().unwrap_or("") {
            "ReplicationController" | "Deployment" | "ReplicaSet" | "DaemonSet" | "StatefulSet" | "Job" => {
                merge_at(v, &["spec", "template", "metadata", "annotations"], pairs, true)
            }
            "CronJob" => {
                merge_at(v, &["spec", "jobTemplate", "metadata", "annotations"], pairs, true);
                merge_at(v, &["spec", "jobTemplate", "spec", "template", "metadata", "annotations"], pairs, true);
            }
            _ => {}
        }
    }
}

/// An image reference split as kustomize splits it: name, `:tag`, `@digest`.
fn split_image(image: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    match rest[slash..].rfind(':') {
        Some(i) => (&rest[..slash + i], Some(&rest[slash + i + 1..]), digest),
        None => (rest, None, digest),
    }
}

/// `images:` — every container and init container whose image has `name`.
pub fn images(resources: &mut [Res], rules: &[Value]) {
    fn walk(v: &mut Value, rules: &[Value]) {
        match v {
            Value::Object(m) => {
                for (k, child) in m.iter_mut() {
                    if k == "containers" || k == "initContainers" {
                        if let Value::Array(cs) = child {
                            for c in cs.iter_mut() {
                                if let Some(img) = c.get("image").and_then(Value::as_str).map(str::to_string) {
                                    c["image"] = retag(&img, rules).into();
                                }
                            }
                        }
                    } else {
                        walk(child, rules);
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|x| walk(x, rules)),
            _ => {}
        }
    }
    for r in resources.iter_mut() {
        walk(&mut r.value, rules);
    }
}

fn retag(image: &str, rules: &[Value]) -> String {
    let (name, tag, digest) = split_image(image);
    for rule in rules {
        if rule.get("name").and_then(Value::as_str) != Some(name) {
            continue;
        }
        let new_name = rule.get("newName").and_then(Value::as_str).unwrap_or(name);
        let new_tag = rule.get("newTag").map(|t| match t {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
        let new_digest = rule.get("digest").and_then(Value::as_str);
        let mut out = new_name.to_string();
        match (new_tag, new_digest) {
            (None, None) => {
                if let Some(t) = tag {
                    out.push_str(&format!(":{t}"));
                }
                if let Some(d) = digest {
                    out.push_str(&format!("@{d}"));
                }
            }
            (t, d) => {
                if let Some(t) = t {
                    out.push_str(&format!(":{t}"));
                }
                if let Some(d) = d {
                    out.push_str(&format!("@{d}"));
                }
            }
        }
        return out;
    }
    image.to_string()
}

/// `replicas:` — `spec.replicas` of the workloads named (by any name they had).
pub fn replicas(resources: &mut [Res], rules: &[Value]) {
    for rule in rules {
        let Some(name) = rule.get("name").and_then(Value::as_str) else { continue };
        let Some(count) = rule.get("count").and_then(Value::as_i64) else { continue };
        for r in resources.iter_mut() {
            if matches!(r.kind(), "Deployment" | "ReplicaSet" | "StatefulSet" | "ReplicationController")
                && r.answers_to(name)
            {
                r.value["spec"]["replicas"] = count.into();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn images_split_at_the_last_colon_after_the_last_slash() {
        assert_eq!(super::split_image("localhost:5000/app:1.0"), ("localhost:5000/app", Some("1.0"), None));
        assert_eq!(super::split_image("nginx@sha256:ab"), ("nginx", None, Some("sha256:ab")));
        assert_eq!(super::split_image("busybox"), ("busybox", None, None));
    }
}
