//! The parts of `kubectl describe` shared by pods and pod templates: containers (image, ports,
//! command, state, resources, probes, environment, mounts), volumes and tolerations.

use serde_json::Value;

use super::{labels_lines, time_field};
use crate::shell::kubectl::get::columns::scalar;

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// The `Containers:` (or `Init Containers:`) section. `statuses` are the pod's container
/// statuses (None for a template); `space` indents a template's section.
pub fn describe_containers(label: &str, containers: &[Value], statuses: Option<&[Value]>, space: &str) -> String {
    let mut out = format!("{space}{label}:{}\n", if containers.is_empty() { " <none>" } else { "" });
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in containers {
        let status = statuses.and_then(|all| all.iter().find(|st| st["name"] == c["name"]));
        out.push_str(&format!("  {name_indent}{}:\n", s(&c["name"])));
        if let Some(st) = status {
            out.push_str(&format!("    Container ID:\t{}\n", s(&st["containerID"])));
        }
        out.push_str(&format!("    Image:\t{}\n", s(&c["image"])));
        if let Some(st) = status {
            out.push_str(&format!("    Image ID:\t{}\n", s(&st["imageID"])));
        }
        let ports: Vec<&Value> = c["ports"].as_array().into_iter().flatten().collect();
        let proto = |p: &Value| p["protocol"].as_str().unwrap_or("TCP").to_string();
        let port_list: Vec<String> = ports.iter().map(|p| format!("{}/{}", p["containerPort"], proto(p))).collect();
        let host_list: Vec<String> =
            ports.iter().map(|p| format!("{}/{}", p["hostPort"].as_i64().unwrap_or(0), proto(p))).collect();
        for (one, many, list) in [("Port", "Ports", port_list), ("Host Port", "Host Ports", host_list)] {
            match list.len() {
                0 => out.push_str(&format!("    {one}:\t<none>\n")),
                1 => out.push_str(&format!("    {one}:\t{}\n", list[0])),
                _ => out.push_str(&format!("    {many}:\t{}\n", list.join(", "))),
            }
        }
        for (field, title) in [("command", "Command"), ("args", "Args")] {
            if let Some(list) = c[field].as_array().filter(|l| !l.is_empty()) {
                out.push_str(&format!("    {title}:\n"));
                for line in list.iter().flat_map(|a| s(a).split('\n').map(str::to_string).collect::<Vec<_>>()) {
                    out.push_str(&format!("      {line}\n"));
                }
            }
        }
        if let Some(st) = status {
            out.push_str(&state_lines("State", &st["state"]));
            if st["lastState"]["terminated"].is_object() {
                out.push_str(&state_lines("Last State", &st["lastState"]));
            }
            out.push_str(&format!("    Ready:\t{}\n", if st["ready"] == true { "True" } else { "False" }));
            out.push_str(&format!("    Restart Count:\t{}\n", st["restartCount"].as_i64().unwrap_or(0)));
        }
        out.push_str(&resources_lines(&c["resources"], "    "));
        for (field, title) in
            [("livenessProbe", "Liveness"), ("readinessProbe", "Readiness"), ("startupProbe", "Startup")]
        {
            if c[field].is_object() {
                out.push_str(&format!("    {title}:\t{}\n", describe_probe(&c[field])));
            }
        }
        if let Some(from) = c["envFrom"].as_array().filter(|f| !f.is_empty()) {
            out.push_str("    Environment Variables from:\n");
            for e in from {
                let (kind, r) = if e["configMapRef"].is_object() {
                    ("ConfigMap", &e["configMapRef"])
                } else {
                    ("Secret", &e["secretRef"])
                };
                let optional = r["optional"] == true;
                match e["prefix"].as_str().filter(|p| !p.is_empty()) {
                    None => out.push_str(&format!("      {}\t{kind}\tOptional: {optional}\n", s(&r["name"]))),
                    Some(p) => out.push_str(&format!(
                        "      {}\t{kind} with prefix '{p}'\tOptional: {optional}\n",
                        s(&r["name"])
                    )),
                }
            }
        }
        out.push_str(&env_lines(c));
        let mut mounts: Vec<&Value> = c["volumeMounts"].as_array().into_iter().flatten().collect();
        if mounts.is_empty() {
            out.push_str("    Mounts:\t<none>\n");
        } else {
            out.push_str("    Mounts:\n");
            mounts.sort_by_key(|m| s(&m["mountPath"]).to_string());
            for m in mounts {
                let mut flags = vec![if m["readOnly"] == true { "ro".to_string() } else { "rw".to_string() }];
                if let Some(sub) = m["subPath"].as_str().filter(|p| !p.is_empty()) {
                    flags.push(format!("path={sub:?}"));
                }
                out.push_str(&format!("      {} from {} ({})\n", s(&m["mountPath"]), s(&m["name"]), flags.join(",")));
            }
        }
    }
    out
}

fn env_lines(c: &Value) -> String {
    let env = c["env"].as_array().cloned().unwrap_or_default();
    if env.is_empty() {
        return "    Environment:\t<none>\n".into();
    }
    let mut out = String::from("    Environment:\n");
    for e in &env {
        let name = s(&e["name"]);
        let from = &e["valueFrom"];
        if !from.is_object() {
            for (i, line) in s(&e["value"]).split('\n').enumerate() {
                if i == 0 {
                    out.push_str(&format!("      {name}:\t{line}\n"));
                } else {
                    out.push_str(&format!("      \t{line}\n"));
                }
            }
        } else if from["fieldRef"].is_object() {
            // SIM: the resolved value is left out; kubectl shows the pod's value before the path.
            let f = &from["fieldRef"];
            let version = f["apiVersion"].as_str().unwrap_or("v1");
            out.push_str(&format!("      {name}:\t ({version}:{})\n", s(&f["fieldPath"])));
        } else if from["resourceFieldRef"].is_object() {
            out.push_str(&format!("      {name}:\t ({})\n", s(&from["resourceFieldRef"]["resource"])));
        } else if from["secretKeyRef"].is_object() {
            let r = &from["secretKeyRef"];
            out.push_str(&format!(
                "      {name}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                s(&r["key"]),
                s(&r["name"]),
                r["optional"] == true
            ));
        } else if from["configMapKeyRef"].is_object() {
            let r = &from["configMapKeyRef"];
            out.push_str(&format!(
                "      {name}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                s(&r["key"]),
                s(&r["name"]),
                r["optional"] == true
            ));
        }
    }
    out
}

/// `Limits:`/`Requests:` with resource names sorted.
pub fn resources_lines(resources: &Value, indent: &str) -> String {
    let mut out = String::new();
    for (field, title) in [("limits", "Limits"), ("requests", "Requests")] {
        if let Some(m) = resources[field].as_object().filter(|m| !m.is_empty()) {
            out.push_str(&format!("{indent}{title}:\n"));
            for (k, v) in m {
                out.push_str(&format!("{indent}  {k}:\t{}\n", scalar(v)));
            }
        }
    }
    out
}

/// A probe as `http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3`.
pub fn describe_probe(p: &Value) -> String {
    let n = |k: &str, d: i64| p[k].as_i64().unwrap_or(d);
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        n("initialDelaySeconds", 0),
        n("timeoutSeconds", 1),
        n("periodSeconds", 10),
        n("successThreshold", 1),
        n("failureThreshold", 3)
    );
    if let Some(cmd) = p["exec"]["command"].as_array() {
        let parts: Vec<&str> = cmd.iter().map(s).collect();
        return format!("exec [{}] {attrs}", parts.join(" "));
    }
    if p["httpGet"].is_object() {
        let h = &p["httpGet"];
        let scheme = h["scheme"].as_str().unwrap_or("HTTP").to_ascii_lowercase();
        return format!("http-get {scheme}://{}:{}{} {attrs}", s(&h["host"]), scalar(&h["port"]), s(&h["path"]));
    }
    if p["tcpSocket"].is_object() {
        let t = &p["tcpSocket"];
        return format!("tcp-socket {}:{} {attrs}", s(&t["host"]), scalar(&t["port"]));
    }
    if p["grpc"].is_object() {
        return format!("grpc <pod>:{} {} {attrs}", p["grpc"]["port"], s(&p["grpc"]["service"]));
    }
    format!("unknown {attrs}")
}

fn state_lines(label: &str, state: &Value) -> String {
    let mut out = String::new();
    if let Some(r) = state.get("running").filter(|v| v.is_object()) {
        out.push_str(&format!(
            "    {label}:\tRunning\n      Started:\t{}\n",
            time_field(&r["startedAt"]).unwrap_or_default()
        ));
    } else if let Some(w) = state.get("waiting").filter(|v| v.is_object()) {
        out.push_str(&format!("    {label}:\tWaiting\n"));
        if let Some(r) = w["reason"].as_str().filter(|r| !r.is_empty()) {
            out.push_str(&format!("      Reason:\t{r}\n"));
        }
    } else if let Some(t) = state.get("terminated").filter(|v| v.is_object()) {
        out.push_str(&format!("    {label}:\tTerminated\n"));
        if let Some(r) = t["reason"].as_str().filter(|r| !r.is_empty()) {
            out.push_str(&format!("      Reason:\t{r}\n"));
        }
        if let Some(m) = t["message"].as_str().filter(|r| !r.is_empty()) {
            out.push_str(&format!("      Message:\t{m}\n"));
        }
        out.push_str(&format!("      Exit Code:\t{}\n", t["exitCode"].as_i64().unwrap_or(0)));
        if let Some(sig) = t["signal"].as_i64().filter(|s| *s > 0) {
            out.push_str(&format!("      Signal:\t{sig}\n"));
        }
        out.push_str(&format!(
            "      Started:\t{}\n      Finished:\t{}\n",
            time_field(&t["startedAt"]).unwrap_or_default(),
            time_field(&t["finishedAt"]).unwrap_or_default()
        ));
    } else {
        out.push_str(&format!("    {label}:\tWaiting\n"));
    }
    out
}

/// The `Volumes:` section, each volume with its source type described as kubectl does.
pub fn describe_volumes(volumes: &[Value], space: &str) -> String {
    if volumes.is_empty() {
        return format!("{space}Volumes:\t<none>\n");
    }
    let name_indent = if space.is_empty() { "" } else { " " };
    let mut out = format!("{space}Volumes:\n");
    for v in volumes {
        out.push_str(&format!("  {name_indent}{}:\n", s(&v["name"])));
        let flag = |x: &Value| x == true;
        let line = if let Some(h) = v.get("hostPath") {
            format!(
                "    Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
                s(&h["path"]),
                h["type"].as_str().unwrap_or("<none>")
            )
        } else if let Some(e) = v.get("emptyDir") {
            let limit = e["sizeLimit"].as_str().filter(|l| !l.is_empty() && *l != "0").unwrap_or("<unset>");
            format!(
                "    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{limit}\n",
                s(&e["medium"])
            )
        } else if let Some(sec) = v.get("secret") {
            format!(
                "    Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                s(&sec["secretName"]),
                flag(&sec["optional"])
            )
        } else if let Some(cm) = v.get("configMap") {
            format!(
                "    Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                s(&cm["name"]),
                flag(&cm["optional"])
            )
        } else if let Some(pvc) = v.get("persistentVolumeClaim") {
            format!(
                "    Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                s(&pvc["claimName"]),
                flag(&pvc["readOnly"])
            )
        } else if let Some(p) = v.get("projected") {
            let mut t =
                String::from("    Type:\tProjected (a volume that contains injected data from multiple sources)\n");
            for src in p["sources"].as_array().into_iter().flatten() {
                if src["secret"].is_object() {
                    t.push_str(&format!(
                        "    SecretName:\t{}\n    Optional:\t{}\n",
                        s(&src["secret"]["name"]),
                        flag(&src["secret"]["optional"])
                    ));
                } else if src["downwardAPI"].is_object() {
                    t.push_str("    DownwardAPI:\ttrue\n");
                } else if src["configMap"].is_object() {
                    t.push_str(&format!(
                        "    ConfigMapName:\t{}\n    Optional:\t{}\n",
                        s(&src["configMap"]["name"]),
                        flag(&src["configMap"]["optional"])
                    ));
                } else if src["serviceAccountToken"].is_object() {
                    t.push_str(&format!(
                        "    TokenExpirationSeconds:\t{}\n",
                        src["serviceAccountToken"]["expirationSeconds"].as_i64().unwrap_or(3600)
                    ));
                }
            }
            t
        } else if let Some(d) = v.get("downwardAPI") {
            let mut t =
                String::from("    Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
            for item in d["items"].as_array().into_iter().flatten() {
                if item["fieldRef"].is_object() {
                    t.push_str(&format!("      {} -> {}\n", s(&item["fieldRef"]["fieldPath"]), s(&item["path"])));
                }
                if item["resourceFieldRef"].is_object() {
                    t.push_str(&format!(
                        "      {} -> {}\n",
                        s(&item["resourceFieldRef"]["resource"]),
                        s(&item["path"])
                    ));
                }
            }
            t
        } else if let Some(n) = v.get("nfs") {
            format!(
                "    Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                s(&n["server"]),
                s(&n["path"]),
                flag(&n["readOnly"])
            )
        } else if v.get("ephemeral").is_some() {
            "    Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n"
                .to_string()
        } else if let Some(i) = v.get("image") {
            format!(
                "    Type:\tImage (a container image or OCI artifact)\n    Reference:\t{}\n    PullPolicy:\t{}\n",
                s(&i["reference"]),
                s(&i["pullPolicy"])
            )
        } else {
            "    <unknown>\n".to_string()
        };
        out.push_str(&line);
    }
    out
}

/// `Tolerations:` sorted by key: `key=value:Effect op=Exists for 300s`.
pub fn tolerations_lines(title: &str, tolerations: &[Value]) -> String {
    if tolerations.is_empty() {
        return format!("{title}:\t<none>\n");
    }
    let mut sorted: Vec<&Value> = tolerations.iter().collect();
    sorted.sort_by_key(|t| s(&t["key"]).to_string());
    let mut out = String::new();
    for (i, t) in sorted.iter().enumerate() {
        let mut x = s(&t["key"]).to_string();
        let value = s(&t["value"]);
        if !value.is_empty() {
            x.push_str(&format!("={value}"));
        }
        let effect = s(&t["effect"]);
        if !effect.is_empty() {
            x.push_str(&format!(":{effect}"));
        }
        if t["operator"] == "Exists" && value.is_empty() {
            x.push_str(if x.is_empty() { "op=Exists" } else { " op=Exists" });
        }
        if let Some(secs) = t["tolerationSeconds"].as_i64() {
            x.push_str(&format!(" for {secs}s"));
        }
        if i == 0 {
            out.push_str(&format!("{title}:\t{x}\n"));
        } else {
            out.push_str(&format!("\t{x}\n"));
        }
    }
    out
}

/// The `Pod Template:` section of workload describes.
pub fn pod_template(template: Option<&Value>) -> String {
    let Some(t) = template.filter(|t| t.is_object()) else {
        return "Pod Template:\n  <unset>".into();
    };
    let meta = &t["metadata"];
    let spec = &t["spec"];
    let map =
        |v: &Value| -> Option<std::collections::BTreeMap<String, String>> { serde_json::from_value(v.clone()).ok() };
    let mut out = String::from("Pod Template:\n");
    out.push_str(&labels_lines("  Labels", &map(&meta["labels"])));
    if meta["annotations"].as_object().is_some_and(|a| !a.is_empty()) {
        out.push_str(&super::annotations_lines("  Annotations", &map(&meta["annotations"])));
    }
    if let Some(sa) = spec["serviceAccountName"].as_str().filter(|s| !s.is_empty()) {
        out.push_str(&format!("  Service Account:\t{sa}\n"));
    }
    let list = |k: &str| spec[k].as_array().cloned().unwrap_or_default();
    if !list("initContainers").is_empty() {
        out.push_str(&describe_containers("Init Containers", &list("initContainers"), None, "  "));
    }
    out.push_str(&describe_containers("Containers", &list("containers"), None, "  "));
    out.push_str(&describe_volumes(&list("volumes"), "  "));
    if let Some(pc) = spec["priorityClassName"].as_str().filter(|s| !s.is_empty()) {
        out.push_str(&format!("  Priority Class Name:\t{pc}\n"));
    }
    out.push_str(&labels_lines("  Node-Selectors", &map(&spec["nodeSelector"])));
    out.push_str(&tolerations_lines("  Tolerations", &list("tolerations")));
    out
}
