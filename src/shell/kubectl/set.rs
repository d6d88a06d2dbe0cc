//! `kubectl set image|env|resources|selector|serviceaccount`: edits of a pod template (or a
//! Service's selector) sent as a patch, reported as `deployment.apps/web image updated`.

use serde_json::{json, Map, Value};

use super::create::{print, DryRun, Mode};
use super::flags::{self, boolean, value, Spec};
use super::targets::{resolve, Query};
use crate::shell::Output;
use crate::sim::api::Object;
use crate::sim::Sim;

const SPECS: &[Spec] = &[
    boolean("all"),
    value("selector").short('l'),
    value("containers").short('c'),
    value("limits"),
    value("requests"),
    boolean("overwrite"),
    boolean("list"),
    value("env").short('e'),
    // Deprecated in kubectl and without effect.
    boolean("record"),
];

/// Where a kind keeps its pod spec, as JSON pointer.
fn pod_spec_pointer(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "Pod" => "/spec",
        "CronJob" => "/spec/jobTemplate/spec/template/spec",
        "Deployment" | "ReplicaSet" | "ReplicationController" | "DaemonSet" | "StatefulSet" | "Job" => {
            "/spec/template/spec"
        }
        _ => return None,
    })
}

/// Runs `kubectl set SUBCOMMAND …`.
pub fn run(sim: &mut Sim, args: &[String], default_ns: &str) -> Output {
    let Some((sub, rest)) = args.split_first() else {
        return Output::err("error: Unexpected args: []\nSee 'kubectl set -h' for help and examples\n", 1);
    };
    let what = match sub.as_str() {
        "image" => "image updated",
        "env" => "env updated",
        "resources" => "resource requirements updated",
        "selector" => "selector updated",
        "serviceaccount" | "sa" => "serviceaccount updated",
        other => {
            return Output::err(
                format!("error: unknown command \"{other}\"\nSee 'kubectl set -h' for help and examples\n"),
                1,
            )
        }
    };
    match set(sim, sub, rest, default_ns, what) {
        Ok(o) => o,
        Err(e) => Output::err(e, 1),
    }
}

fn set(sim: &mut Sim, sub: &str, args: &[String], default_ns: &str, what: &str) -> Result<Output, String> {
    let flags = flags::parse(args, SPECS, &format!("kubectl set {sub}"))?;
    let mode = Mode::from_flags(&flags, default_ns)?;
    // Resource words first, then the changes (`name=image`, `KEY=VAL`, `KEY-`, a selector, an SA).
    // kubectl's environment argument is `(.+)=(.*)`: `=x` has no name, so it is a resource word.
    let is_change = |w: &String| match sub {
        "env" => w.find('=').is_some_and(|at| at > 0) || w.ends_with('-'),
        _ => w.contains('='),
    };
    let (words, changes): (Vec<String>, Vec<String>) = match sub {
        "selector" | "serviceaccount" | "sa" => {
            let mut w = flags.args.clone();
            let last = w.pop().ok_or_else(|| {
                format!("error: one {} is required\n", if sub == "selector" { "selector" } else { "serviceaccount" })
            })?;
            (w, vec![last])
        }
        _ => {
            let (w, mut c): (Vec<String>, Vec<String>) = flags.args.iter().cloned().partition(|w| !is_change(w));
            c.extend(flags.all("env").iter().map(|e| e.to_string()));
            (w, c)
        }
    };
    let q = Query { words: &words, selector: flags.get("selector"), all: flags.on("all") };
    if sub == "image" && changes.is_empty() {
        return Err("error: at least one image update is required\n".into());
    }
    if sub == "resources" && !flags.has("limits") && !flags.has("requests") {
        return Err(
            "error: you must specify an update to requests or limits (in the form of --requests/--limits)\n".into()
        );
    }
    let objects = resolve(sim, &q, &mode.namespace)?;
    let mut out = Output::default();
    if sub == "env" && flags.on("list") {
        for obj in &objects {
            out.stdout.push_str(&list_env(obj, flags.get("containers"))?);
        }
        return Ok(out);
    }
    for obj in objects {
        let mut v = obj.to_value();
        let changed = match sub {
            "image" => set_image(&mut v, &obj, &changes),
            // `set env --overwrite` defaults to true.
            "env" => set_env(&mut v, &obj, &changes, flags.get("containers"), flags.get("overwrite") != Some("false")),
            "resources" => set_resources(&mut v, &obj, &flags),
            "selector" => set_selector(&mut v, &obj, &changes[0]),
            _ => set_serviceaccount(&mut v, &obj, &changes[0]),
        };
        if let Err(e) = changed {
            out.stderr.push_str(&e);
            out.status = 1;
            continue;
        }
        let result = if mode.dry_run == DryRun::None {
            let mut updated = match Object::from_value(v.clone()) {
                Ok(o) => o,
                Err(e) => return Err(format!("error: {e}\n")),
            };
            updated.metadata.resource_version = None;
            sim.update(updated)
                .map(|o| o.to_value())
                .map_err(|e| format!("error: failed to patch {sub} update to pod template: {}\n", e.message))
        } else {
            Ok(v)
        };
        match result {
            Ok(v) => out.stdout.push_str(&print(&v, &mode, what)),
            Err(e) => {
                out.stderr.push_str(&e);
                out.status = 1;
            }
        }
    }
    Ok(out)
}

fn pod_spec<'a>(v: &'a mut Value, obj: &Object) -> Result<&'a mut Value, String> {
    let pointer = pod_spec_pointer(&obj.kind).ok_or_else(|| {
        format!(
            "error: {}/{} the object is not a pod or does not have a pod template\n",
            obj.kind.to_ascii_lowercase(),
            obj.name()
        )
    })?;
    v.pointer_mut(pointer).ok_or_else(|| "error: the object has no pod template\n".to_string())
}

/// Containers and init containers of a pod spec, as (list key, index).
fn container_slots(spec: &Value) -> Vec<(&'static str, usize)> {
    ["initContainers", "containers"]
        .iter()
        .flat_map(|k| (0..spec[k].as_array().map_or(0, Vec::len)).map(move |i| (*k, i)))
        .collect()
}

fn set_image(v: &mut Value, obj: &Object, changes: &[String]) -> Result<(), String> {
    let spec = pod_spec(v, obj)?;
    for c in changes {
        let (name, image) = c.split_once('=').unwrap_or((c, ""));
        let mut found = false;
        for (list, i) in container_slots(spec) {
            let container = &mut spec[list][i];
            if name == "*" || container["name"] == name {
                container["image"] = json!(image);
                found = true;
            }
        }
        if !found {
            return Err(format!("error: unable to find container named \"{name}\"\n"));
        }
    }
    Ok(())
}

fn set_env(v: &mut Value, obj: &Object, changes: &[String], only: Option<&str>, overwrite: bool) -> Result<(), String> {
    let spec = pod_spec(v, obj)?;
    if changes.is_empty() {
        return Err("error: at least one environment variable must be provided\n".into());
    }
    for (list, i) in container_slots(spec) {
        let container = &mut spec[list][i];
        if only.is_some_and(|c| c != "*" && container["name"] != c) {
            continue;
        }
        let mut env: Vec<Value> = container["env"].as_array().cloned().unwrap_or_default();
        for c in changes {
            if let Some((k, val)) = c.split_once('=') {
                match env.iter_mut().find(|e| e["name"] == k) {
                    Some(e) if !overwrite && e["value"] != val => {
                        return Err(format!(
                            "error: '{k}' already has a value ({}), and --overwrite is false\n",
                            e["value"].as_str().unwrap_or("")
                        ))
                    }
                    Some(e) => *e = json!({"name": k, "value": val}),
                    None => env.push(json!({"name": k, "value": val})),
                }
            } else {
                let k = c.trim_end_matches('-');
                env.retain(|e| e["name"] != k);
            }
        }
        if env.is_empty() {
            if let Some(m) = container.as_object_mut() {
                m.remove("env");
            }
        } else {
            container["env"] = json!(env);
        }
    }
    Ok(())
}

/// `set env --list`: each container's variables, references named as kubectl names them.
fn list_env(obj: &Object, only: Option<&str>) -> Result<String, String> {
    let mut v = obj.to_value();
    let spec = pod_spec(&mut v, obj)?.clone();
    let mut text = String::new();
    for (list, i) in container_slots(&spec) {
        let c = &spec[list][i];
        let name = c["name"].as_str().unwrap_or("");
        if only.is_some_and(|o| o != "*" && o != name) {
            continue;
        }
        text.push_str(&format!("# {} {}, container {name}\n", obj.kind, obj.name()));
        for e in c["env"].as_array().into_iter().flatten() {
            let key = e["name"].as_str().unwrap_or("");
            let Some(from) = e.get("valueFrom") else {
                text.push_str(&format!("{key}={}\n", e["value"].as_str().unwrap_or("")));
                continue;
            };
            let source = if let Some(r) = from.get("configMapKeyRef") {
                format!("configmap {}, key {}", r["name"].as_str().unwrap_or(""), r["key"].as_str().unwrap_or(""))
            } else if let Some(r) = from.get("secretKeyRef") {
                format!("secret {}, key {}", r["name"].as_str().unwrap_or(""), r["key"].as_str().unwrap_or(""))
            } else if let Some(r) = from.get("fieldRef") {
                format!("field path {}", r["fieldPath"].as_str().unwrap_or(""))
            } else if let Some(r) = from.get("resourceFieldRef") {
                format!("resource {}", r["resource"].as_str().unwrap_or(""))
            } else {
                "invalid source".to_string()
            };
            text.push_str(&format!("# {key} from {source}\n"));
        }
    }
    Ok(text)
}

fn resource_list(text: &str) -> Result<Map<String, Value>, String> {
    let mut m = Map::new();
    for part in text.split(',').filter(|p| !p.is_empty()) {
        let Some((k, q)) = part.split_once('=') else {
            return Err(format!("error: invalid argument syntax {part}, expected <resource>=<value>\n"));
        };
        crate::sim::quantity::Quantity::parse(q).map_err(|_| {
            "error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'\n"
                .to_string()
        })?;
        m.insert(k.to_string(), json!(q));
    }
    Ok(m)
}

fn set_resources(v: &mut Value, obj: &Object, flags: &flags::Flags) -> Result<(), String> {
    let limits = resource_list(flags.get("limits").unwrap_or(""))?;
    let requests = resource_list(flags.get("requests").unwrap_or(""))?;
    let only = flags.get("containers");
    let spec = pod_spec(v, obj)?;
    let mut found = false;
    for (list, i) in container_slots(spec) {
        let container = &mut spec[list][i];
        if only.is_some_and(|c| c != "*" && container["name"] != c) {
            continue;
        }
        found = true;
        for (key, values) in [("limits", &limits), ("requests", &requests)] {
            for (k, q) in values {
                container["resources"][key][k] = q.clone();
            }
        }
    }
    if !found {
        return Err(format!("error: unable to find container named {}\n", only.unwrap_or("")));
    }
    Ok(())
}

fn set_selector(v: &mut Value, obj: &Object, selector: &str) -> Result<(), String> {
    if obj.kind != "Service" {
        return Err("error: setting a selector is only supported for Services\n".into());
    }
    let mut m = Map::new();
    for part in selector.split(',') {
        let Some((k, val)) = part.split_once('=') else {
            return Err(format!("error: invalid selector: {selector}\n"));
        };
        m.insert(k.to_string(), json!(val));
    }
    v["spec"]["selector"] = Value::Object(m);
    Ok(())
}

fn set_serviceaccount(v: &mut Value, obj: &Object, sa: &str) -> Result<(), String> {
    pod_spec(v, obj)?["serviceAccountName"] = json!(sa);
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn set_image_env_and_resources_update_the_template() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl create deployment web --image=nginx:1.25");
        let out = Shell.run_line(&mut sim, "kubectl set image deployment/web nginx=nginx:1.27");
        assert_eq!(out.stdout, "deployment.apps/web image updated\n", "{}", out.stderr);
        let out = Shell.run_line(&mut sim, "kubectl set env deploy web MODE=prod");
        assert_eq!(out.stdout, "deployment.apps/web env updated\n");
        let out = Shell.run_line(&mut sim, "kubectl set resources deploy web --limits=cpu=200m,memory=256Mi");
        assert_eq!(out.stdout, "deployment.apps/web resource requirements updated\n");
        let d = sim.store().get("Deployment", Some("default"), "web").unwrap().to_value();
        let c = &d["spec"]["template"]["spec"]["containers"][0];
        assert_eq!(c["image"], "nginx:1.27");
        assert_eq!(c["env"][0], serde_json::json!({"name": "MODE", "value": "prod"}));
        assert_eq!(c["resources"]["limits"]["memory"], "256Mi");
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl set env deploy/web --list").stdout,
            "# Deployment web, container nginx\nMODE=prod\n"
        );
        let out = Shell.run_line(&mut sim, "kubectl set image deploy/web nope=x");
        assert_eq!(out.stderr, "error: unable to find container named \"nope\"\n");
    }

    #[test]
    fn set_selector_and_serviceaccount() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl create service clusterip web --tcp=80");
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl set selector svc web app=v2").stdout,
            "service/web selector updated\n"
        );
        Shell.run_line(&mut sim, "kubectl create deployment web --image=nginx");
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl set serviceaccount deployment web builder").stdout,
            "deployment.apps/web serviceaccount updated\n"
        );
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl set selector deploy web app=x").stderr,
            "error: setting a selector is only supported for Services\n"
        );
    }
}
