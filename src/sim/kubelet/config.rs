//! What a container sees: its environment (env, envFrom, downward API, service links) and the
//! files its volumes mount (configMap, secret, downwardAPI, projected, emptyDir), built the way
//! the kubelet builds them, with the kubelet's errors for missing ConfigMaps and Secrets.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::sim::api::Object;
use crate::sim::store::Store;

/// The container's environment, in the order the kubelet sets it (later wins).
pub type Env = BTreeMap<String, String>;

/// Files a container sees: absolute path → contents. Directories end with `/`.
pub type Files = BTreeMap<String, String>;

/// Why a container cannot be created (`CreateContainerConfigError`) or its volumes not
/// mounted (`FailedMount`), worded as the kubelet words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError(pub String);

fn ns(pod: &Object) -> &str {
    pod.namespace().unwrap_or("default")
}

/// A ConfigMap's or Secret's data as text (Secret data decoded from base64).
fn data_of(store: &Store, pod: &Object, kind: &str, name: &str) -> Option<BTreeMap<String, String>> {
    let obj = store.get(kind, Some(ns(pod)), name)?;
    let mut out = BTreeMap::new();
    if kind == "Secret" {
        for (k, v) in obj.body.get("data").and_then(Value::as_object).into_iter().flatten() {
            out.insert(k.clone(), decode_base64(v.as_str().unwrap_or("")).unwrap_or_default());
        }
        for (k, v) in obj.body.get("stringData").and_then(Value::as_object).into_iter().flatten() {
            out.insert(k.clone(), v.as_str().unwrap_or("").to_string());
        }
    } else {
        for (k, v) in obj.body.get("data").and_then(Value::as_object).into_iter().flatten() {
            out.insert(k.clone(), v.as_str().unwrap_or("").to_string());
        }
    }
    Some(out)
}

/// Standard base64 (with or without padding), as Secret `data` holds; None if malformed.
pub fn decode_base64(text: &str) -> Option<String> {
    crate::sim::base64::decode(text).map(|b| String::from_utf8_lossy(&b).into_owned())
}

fn kind_word(kind: &str) -> &'static str {
    if kind == "Secret" {
        "secret"
    } else {
        "configmap"
    }
}

/// The value of a downward-API `fieldRef`.
fn field_ref(pod: &Object, path: &str, pod_ip: &str, host_ip: &str) -> String {
    let map_lookup = |map: &Option<BTreeMap<String, String>>, inner: &str| {
        let key = inner.trim_start_matches("['").trim_end_matches("']");
        map.as_ref().and_then(|m| m.get(key).cloned()).unwrap_or_default()
    };
    match path {
        "metadata.name" => pod.name().to_string(),
        "metadata.namespace" => ns(pod).to_string(),
        "metadata.uid" => pod.uid().to_string(),
        "spec.nodeName" => pod.field("spec.nodeName").and_then(Value::as_str).unwrap_or("").to_string(),
        "spec.serviceAccountName" => {
            pod.field("spec.serviceAccountName").and_then(Value::as_str).unwrap_or("").to_string()
        }
        "status.podIP" | "status.podIPs" => pod_ip.to_string(),
        "status.hostIP" | "status.hostIPs" => host_ip.to_string(),
        "metadata.labels" => format_map(&pod.metadata.labels),
        "metadata.annotations" => format_map(&pod.metadata.annotations),
        p if p.starts_with("metadata.labels[") => map_lookup(&pod.metadata.labels, &p["metadata.labels".len()..]),
        p if p.starts_with("metadata.annotations[") => {
            map_lookup(&pod.metadata.annotations, &p["metadata.annotations".len()..])
        }
        _ => String::new(),
    }
}

/// `key="value"` lines, as the downward API writes label and annotation files.
fn format_map(map: &Option<BTreeMap<String, String>>) -> String {
    map.iter().flatten().map(|(k, v)| format!("{k}=\"{v}\"")).collect::<Vec<_>>().join("\n")
}

/// Expands `$(VAR)` references to variables defined earlier; `$$` escapes; an unknown one stays
/// as written.
pub fn expand(value: &str, env: &Env) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(stripped) = after.strip_prefix('$') {
            out.push('$');
            rest = stripped;
        } else if let Some(end) = after.strip_prefix('(').and_then(|a| a.find(')')) {
            let name = &after[1..=end];
            match env.get(name) {
                Some(v) => out.push_str(v),
                None => out.push_str(&format!("$({name})")),
            }
            rest = &after[end + 2..];
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The environment of container `spec` in `pod`, or the kubelet's reason it cannot be built.
pub fn build_env(store: &Store, pod: &Object, spec: &Value, pod_ip: &str, host_ip: &str) -> Result<Env, ConfigError> {
    let mut env = Env::new();
    env.insert("PATH".into(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into());
    env.insert("HOSTNAME".into(), pod.name().to_string());
    env.insert("HOME".into(), "/root".into());
    // The API server's own Service, which every pod's environment carries.
    for (k, v) in [
        ("KUBERNETES_SERVICE_HOST", "10.96.0.1"),
        ("KUBERNETES_SERVICE_PORT", "443"),
        ("KUBERNETES_SERVICE_PORT_HTTPS", "443"),
        ("KUBERNETES_PORT", "tcp://10.96.0.1:443"),
        ("KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443"),
        ("KUBERNETES_PORT_443_TCP_PROTO", "tcp"),
        ("KUBERNETES_PORT_443_TCP_PORT", "443"),
        ("KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1"),
    ] {
        env.insert(k.into(), v.into());
    }
    for from in spec["envFrom"].as_array().into_iter().flatten() {
        let prefix = from["prefix"].as_str().unwrap_or("");
        for (field, kind) in [("configMapRef", "ConfigMap"), ("secretRef", "Secret")] {
            let r = &from[field];
            if r.is_null() {
                continue;
            }
            let name = r["name"].as_str().unwrap_or("");
            match data_of(store, pod, kind, name) {
                Some(data) => env.extend(data.into_iter().map(|(k, v)| (format!("{prefix}{k}"), v))),
                None if r["optional"] == true => {}
                None => return Err(ConfigError(format!("{} \"{name}\" not found", kind_word(kind)))),
            }
        }
    }
    for e in spec["env"].as_array().into_iter().flatten() {
        let name = e["name"].as_str().unwrap_or("").to_string();
        if let Some(v) = e["value"].as_str() {
            let expanded = expand(v, &env);
            env.insert(name, expanded);
            continue;
        }
        let from = &e["valueFrom"];
        for (field, kind) in [("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")] {
            let r = &from[field];
            if r.is_null() {
                continue;
            }
            let (obj, key) = (r["name"].as_str().unwrap_or(""), r["key"].as_str().unwrap_or(""));
            let optional = r["optional"] == true;
            match data_of(store, pod, kind, obj) {
                Some(data) => match data.get(key) {
                    Some(v) => {
                        env.insert(name.clone(), v.clone());
                    }
                    None if optional => {}
                    None => {
                        return Err(ConfigError(format!("couldn't find key {key} in {kind} {}/{obj}", ns(pod))));
                    }
                },
                None if optional => {}
                None => return Err(ConfigError(format!("{} \"{obj}\" not found", kind_word(kind)))),
            }
        }
        if let Some(path) = from["fieldRef"]["fieldPath"].as_str() {
            env.insert(name.clone(), field_ref(pod, path, pod_ip, host_ip));
        }
        if let Some(res) = from["resourceFieldRef"]["resource"].as_str() {
            env.insert(name.clone(), resource_field(spec, res));
        }
    }
    Ok(env)
}

/// `limits.cpu` and friends, in whole units rounded up (the default divisor of 1).
fn resource_field(spec: &Value, res: &str) -> String {
    let (section, name) = res.split_once('.').unwrap_or(("", ""));
    let q = spec["resources"][section][name].as_str().and_then(|s| crate::sim::quantity::Quantity::parse(s).ok());
    match q {
        Some(q) => q.units_ceil().max(1).to_string(),
        // Unset limits fall back to the node's allocatable; a modest node here.
        None if name == "cpu" => "4".into(),
        None => (8u64 << 30).to_string(),
    }
}

/// The directories (`/etc/config/`) where `container` mounts a configMap, secret, downwardAPI
/// or projected volume whole, i.e. without `subPath`: what the kubelet keeps up to date.
pub fn projected_mount_dirs(pod: &Object, container: &Value) -> Vec<String> {
    let volumes: Vec<Value> = pod.field("spec.volumes").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut dirs = Vec::new();
    for m in container["volumeMounts"].as_array().into_iter().flatten() {
        if m["subPath"].as_str().is_some_and(|s| !s.is_empty()) || !m["subPathExpr"].is_null() {
            continue;
        }
        let Some(vol) = volumes.iter().find(|v| v["name"] == m["name"]) else { continue };
        if ["configMap", "secret", "downwardAPI", "projected"].iter().any(|k| !vol[*k].is_null()) {
            let mount = m["mountPath"].as_str().unwrap_or("").trim_end_matches('/');
            if !mount.is_empty() {
                dirs.push(format!("{mount}/"));
            }
        }
    }
    dirs
}

/// Where the container's volumes hide the image's files (directories mounted whole, ending with
/// `/`), and what it cannot write: mounts with `readOnly`, and configMap, secret, downwardAPI and
/// projected volumes, which the kubelet always mounts read-only.
pub fn mount_layout(pod: &Object, container: &Value) -> (Vec<String>, Vec<String>) {
    let volumes: Vec<Value> = pod.field("spec.volumes").and_then(Value::as_array).cloned().unwrap_or_default();
    let (mut hidden, mut read_only) = (Vec::new(), Vec::new());
    for m in container["volumeMounts"].as_array().into_iter().flatten() {
        let mount = m["mountPath"].as_str().unwrap_or("").trim_end_matches('/');
        if mount.is_empty() {
            continue;
        }
        let vol = volumes.iter().find(|v| v["name"] == m["name"]);
        let projected =
            vol.is_some_and(|v| ["configMap", "secret", "downwardAPI", "projected"].iter().any(|k| !v[*k].is_null()));
        let is_file = m["subPath"].as_str().is_some_and(|s| !s.is_empty())
            || vol.is_some_and(|v| super::host_path::mounts_a_file(v["hostPath"]["type"].as_str().unwrap_or("")));
        if !is_file {
            hidden.push(format!("{mount}/"));
        }
        if m["readOnly"] == true || projected {
            read_only.push(if is_file { mount.to_string() } else { format!("{mount}/") });
        }
    }
    (hidden, read_only)
}

/// The pod's `/etc/hosts` as the kubelet writes it: localhost, the pod's own name (with its
/// subdomain's full name when it has one) and the `hostAliases`.
pub fn etc_hosts(pod: &Object, ip: &str) -> String {
    let mut out = String::from("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n");
    let hostname = pod.field("spec.hostname").and_then(Value::as_str).unwrap_or(pod.name());
    if !ip.is_empty() {
        match pod.field("spec.subdomain").and_then(Value::as_str).filter(|s| !s.is_empty()) {
            Some(sub) => {
                out.push_str(&format!("{ip}\t{hostname}.{sub}.{}.svc.cluster.local\t{hostname}\n", ns(pod)));
            }
            None => out.push_str(&format!("{ip}\t{hostname}\n")),
        }
    }
    let aliases = pod.field("spec.hostAliases").and_then(Value::as_array);
    if aliases.is_some_and(|a| !a.is_empty()) {
        out.push_str("\n# Entries added by HostAliases.\n");
        for a in aliases.into_iter().flatten() {
            let names: Vec<&str> = a["hostnames"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            out.push_str(&format!("{}\t{}\n", a["ip"].as_str().unwrap_or(""), names.join("\t")));
        }
    }
    out
}

/// The files the container's volume mounts show, or the FailedMount reason.
pub fn build_files(
    store: &Store,
    pod: &Object,
    spec: &Value,
    pod_ip: &str,
    host_ip: &str,
) -> Result<Files, ConfigError> {
    let volumes: Vec<Value> = pod.field("spec.volumes").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut files = Files::new();
    for m in spec["volumeMounts"].as_array().into_iter().flatten() {
        let (vol_name, mount) = (m["name"].as_str().unwrap_or(""), m["mountPath"].as_str().unwrap_or(""));
        let Some(vol) = volumes.iter().find(|v| v["name"] == vol_name) else { continue };
        let mount = mount.trim_end_matches('/');
        if super::host_path::mounts_a_file(vol["hostPath"]["type"].as_str().unwrap_or("")) {
            // One file of the node, put there by the volume's refresh; the runtime makes the
            // directories above the mount point.
            let mut dir = String::new();
            for part in
                mount.trim_start_matches('/').split('/').collect::<Vec<_>>().split_last().map_or(&[][..], |(_, d)| d)
            {
                dir.push('/');
                dir.push_str(part);
                files.insert(format!("{dir}/"), String::new());
            }
            continue;
        }
        files.insert(format!("{mount}/"), String::new());
        let sub = m["subPath"].as_str();
        let mut put = |path: String, content: String| match sub {
            Some(s) if path == s => {
                files.insert(mount.to_string(), content);
            }
            Some(_) => {}
            None => {
                files.insert(format!("{mount}/{path}"), content);
            }
        };
        let mut sources: Vec<(String, Value)> = Vec::new();
        for kind in ["configMap", "secret", "downwardAPI"] {
            if !vol[kind].is_null() {
                sources.push((kind.to_string(), vol[kind].clone()));
            }
        }
        for s in vol["projected"]["sources"].as_array().into_iter().flatten() {
            for kind in ["configMap", "secret", "downwardAPI", "serviceAccountToken"] {
                if !s[kind].is_null() {
                    sources.push((kind.to_string(), s[kind].clone()));
                }
            }
        }
        for (kind, src) in sources {
            match kind.as_str() {
                "configMap" | "secret" => {
                    let api_kind = if kind == "secret" { "Secret" } else { "ConfigMap" };
                    let name = src["name"].as_str().or(src["secretName"].as_str()).unwrap_or("");
                    let Some(data) = data_of(store, pod, api_kind, name) else {
                        if src["optional"] == true {
                            continue;
                        }
                        let msg = format!(
                            "MountVolume.SetUp failed for volume \"{vol_name}\" : {} \"{name}\" not found",
                            kind_word(api_kind)
                        );
                        return Err(ConfigError(msg));
                    };
                    match src["items"].as_array() {
                        Some(items) => {
                            for it in items {
                                let key = it["key"].as_str().unwrap_or("");
                                let path = it["path"].as_str().unwrap_or(key).to_string();
                                match data.get(key) {
                                    Some(v) => put(path, v.clone()),
                                    None if src["optional"] == true => {}
                                    None => {
                                        return Err(ConfigError(format!(
                                            "MountVolume.SetUp failed for volume \"{vol_name}\" : configmap references non-existent config key: {key}"
                                        )))
                                    }
                                }
                            }
                        }
                        None => data.into_iter().for_each(|(k, v)| put(k, v)),
                    }
                }
                "downwardAPI" => {
                    for it in src["items"].as_array().into_iter().flatten() {
                        let path = it["path"].as_str().unwrap_or("").to_string();
                        if let Some(f) = it["fieldRef"]["fieldPath"].as_str() {
                            put(path, field_ref(pod, f, pod_ip, host_ip));
                        } else if let Some(r) = it["resourceFieldRef"]["resource"].as_str() {
                            put(path, resource_field(spec, r));
                        }
                    }
                }
                "serviceAccountToken" => {
                    // The API server takes it back as the pod's ServiceAccount (apiserver::authn).
                    put(
                        src["path"].as_str().unwrap_or("token").to_string(),
                        crate::sim::apiserver::authn::pod_token(store, pod),
                    );
                }
                _ => {}
            }
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest;
    use crate::sim::{Sim, SimConfig};

    fn setup(extra: &str) -> (Sim, Object) {
        let mut sim = Sim::new(SimConfig::default());
        for obj in manifest::parse(extra).unwrap() {
            sim.create(obj).unwrap();
        }
        let pod = sim.store().list("Pod", Some("default")).next().unwrap().clone();
        (sim, pod)
    }

    const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  color: blue\n  app.conf: |\n    port=80\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ndata:\n  password: czNjcjN0\n---\n";

    fn pod_yaml(container_extra: &str) -> String {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: demo\nspec:\n  containers:\n  - name: c\n    image: busybox\n{container_extra}")
    }

    #[test]
    fn env_comes_from_values_config_maps_secrets_and_the_downward_api() {
        let extra = "    env:\n    - name: COLOR\n      valueFrom:\n        configMapKeyRef: {name: cfg, key: color}\n    - name: PASS\n      valueFrom:\n        secretKeyRef: {name: creds, key: password}\n    - name: POD\n      valueFrom:\n        fieldRef: {fieldPath: metadata.name}\n    - name: GREETING\n      value: hello $(POD)\n    envFrom:\n    - prefix: CFG_\n      configMapRef: {name: cfg}\n";
        let (sim, pod) = setup(&format!("{CM}{}", pod_yaml(extra)));
        let spec = &pod.field("spec.containers").unwrap()[0];
        let env = build_env(sim.store(), &pod, spec, "10.244.1.2", "172.18.0.3").unwrap();
        assert_eq!(env["COLOR"], "blue");
        assert_eq!(env["PASS"], "s3cr3t");
        assert_eq!(env["POD"], "p");
        assert_eq!(env["GREETING"], "hello p");
        assert_eq!(env["CFG_color"], "blue");
        assert_eq!(env["HOSTNAME"], "p");
        assert_eq!(env["KUBERNETES_SERVICE_HOST"], "10.96.0.1");
    }

    #[test]
    fn missing_config_map_or_key_is_the_kubelet_error() {
        let extra = "    env:\n    - name: X\n      valueFrom:\n        configMapKeyRef: {name: nope, key: k}\n";
        let (sim, pod) = setup(&pod_yaml(extra));
        let spec = &pod.field("spec.containers").unwrap()[0];
        assert_eq!(build_env(sim.store(), &pod, spec, "", "").unwrap_err().0, "configmap \"nope\" not found");
        let extra = "    env:\n    - name: X\n      valueFrom:\n        configMapKeyRef: {name: cfg, key: nokey}\n";
        let (sim, pod) = setup(&format!("{CM}{}", pod_yaml(extra)));
        let spec = &pod.field("spec.containers").unwrap()[0];
        assert_eq!(
            build_env(sim.store(), &pod, spec, "", "").unwrap_err().0,
            "couldn't find key nokey in ConfigMap default/cfg"
        );
    }

    #[test]
    fn volumes_show_config_map_keys_as_files() {
        let extra = "    volumeMounts:\n    - name: config\n      mountPath: /etc/app\n    - name: secret\n      mountPath: /secrets\n  volumes:\n  - name: config\n    configMap:\n      name: cfg\n  - name: secret\n    secret:\n      secretName: creds\n";
        let (sim, pod) = setup(&format!("{CM}{}", pod_yaml(extra)));
        let spec = &pod.field("spec.containers").unwrap()[0];
        let files = build_files(sim.store(), &pod, spec, "", "").unwrap();
        assert_eq!(files["/etc/app/app.conf"], "port=80\n");
        assert_eq!(files["/etc/app/color"], "blue");
        assert_eq!(files["/secrets/password"], "s3cr3t");
        assert!(files.contains_key("/var/run/secrets/kubernetes.io/serviceaccount/token"));
    }

    #[test]
    fn missing_volume_source_is_failed_mount() {
        let extra = "    volumeMounts:\n    - name: config\n      mountPath: /etc/app\n  volumes:\n  - name: config\n    configMap:\n      name: absent\n";
        let (sim, pod) = setup(&pod_yaml(extra));
        let spec = &pod.field("spec.containers").unwrap()[0];
        assert_eq!(
            build_files(sim.store(), &pod, spec, "", "").unwrap_err().0,
            "MountVolume.SetUp failed for volume \"config\" : configmap \"absent\" not found"
        );
    }

    #[test]
    fn base64_decodes_with_and_without_padding() {
        assert_eq!(decode_base64("aGVsbG8=").as_deref(), Some("hello"));
        assert_eq!(decode_base64("aGVsbG8").as_deref(), Some("hello"));
        assert_eq!(decode_base64("!!"), None);
    }
}
