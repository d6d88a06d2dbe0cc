//! Printers for what is not a table: `-o yaml` and `-o json` as kubectl prints them (keys
//! sorted, JSON indented by four spaces, YAML quoted as go-yaml does, several objects wrapped in
//! a `List`) and `-o custom-columns=`.

use serde::Serialize;
use serde_json::{json, Value};

use super::get::jsonpath::{relaxed, text_of, Template};
use super::table::render;
use crate::sim::api::Object;

/// The YAML or JSON of `objects` (one object alone when `single`).
pub fn structured(objects: &[&Object], single: bool, yaml: bool) -> String {
    let value = if single && objects.len() == 1 {
        objects[0].to_value()
    } else {
        json!({"apiVersion": "v1", "items": objects.iter().map(|o| o.to_value()).collect::<Vec<_>>(), "kind": "List",
               "metadata": {"resourceVersion": ""}})
    };
    if yaml {
        yaml_text(&value)
    } else {
        json_text(&value)
    }
}

/// YAML as kubectl writes it (sorted keys, go-yaml's quoting: `resourceVersion: "84"`).
pub fn yaml_text(value: &Value) -> String {
    super::yaml::to_string(value)
}

/// JSON with kubectl's four-space indent.
pub fn json_text(value: &Value) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    if value.serialize(&mut ser).is_err() {
        return String::new();
    }
    let mut text = String::from_utf8(buf).unwrap_or_default();
    text.push('\n');
    text
}

/// `-o custom-columns=HEADER:PATH,…`: a column per spec, several results joined by commas,
/// `<none>` where the path finds nothing. The error is kubectl's, after `error: `.
pub fn custom_columns(spec: &str, objects: &[&Object], no_headers: bool) -> Result<String, String> {
    if spec.is_empty() {
        return Err("custom-columns format specified but no custom columns given".into());
    }
    let mut columns = Vec::new();
    for part in spec.split(',') {
        let Some((header, path)) = part.split_once(':') else {
            return Err(format!("unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"));
        };
        let template =
            Template::parse(&relaxed(path)).map_err(|e| format!("error parsing jsonpath {}, {e}", relaxed(path)))?;
        columns.push((header.to_string(), template));
    }
    let mut rows = Vec::new();
    if !no_headers {
        rows.push(columns.iter().map(|(h, _)| h.clone()).collect::<Vec<_>>());
    }
    for o in objects {
        let value = o.to_value();
        rows.push(
            columns
                .iter()
                .map(|(_, t)| {
                    let found = t.values(&value);
                    if found.is_empty() {
                        "<none>".to_string()
                    } else {
                        found.iter().map(go_text).collect::<Vec<_>>().join(",")
                    }
                })
                .collect(),
        );
    }
    Ok(render(&rows))
}

/// A value as Go's `fmt.Sprintf("%v", …)` prints it, which is how kubectl's custom-columns
/// printer writes a cell: maps as `map[k:v …]` with sorted keys, lists as `[a b]`, strings bare,
/// null as `<nil>` (`-o jsonpath` writes maps and lists as JSON instead).
fn go_text(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Array(items) => format!("[{}]", items.iter().map(go_text).collect::<Vec<_>>().join(" ")),
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let pairs: Vec<String> = keys.iter().map(|k| format!("{k}:{}", go_text(&map[*k]))).collect();
            format!("map[{}]", pairs.join(" "))
        }
        other => text_of(other),
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn custom_columns_print_maps_and_lists_as_go_does() {
        // The Connecting Applications with Services tutorial shows `[map[ip:10.244.3.4]]`.
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl run web --image=nginx --labels=tier=web,app=shop");
        let out = Shell.run_line(
            &mut sim,
            "kubectl get pod web -o custom-columns=LABELS:.metadata.labels,PORTS:.spec.containers[0].ports,IPS:.status.podIPs",
        );
        assert_eq!(out.stdout, "LABELS                   PORTS    IPS\nmap[app:shop tier:web]   <none>   <none>\n");
        assert_eq!(
            super::go_text(&serde_json::json!([{"ip": "10.244.3.4", "n": 2}, null, true])),
            "[map[ip:10.244.3.4 n:2] <nil> true]"
        );
    }

    #[test]
    fn yaml_json_and_name_outputs() {
        let mut sim = Sim::new(SimConfig::default());
        let out = Shell.run_line(&mut sim, "kubectl get ns default -o yaml");
        assert!(
            out.stdout.starts_with(
                "apiVersion: v1\nkind: Namespace\nmetadata:\n  creationTimestamp: \"2025-01-01T00:00:00Z\"\n"
            ),
            "{}",
            out.stdout
        );
        let out = Shell.run_line(&mut sim, "kubectl get ns default -o json");
        assert!(
            out.stdout.starts_with("{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"Namespace\","),
            "{}",
            out.stdout
        );
        let out = Shell.run_line(&mut sim, "kubectl get nodes -o name");
        assert_eq!(out.stdout, "node/control-plane\nnode/node-1\nnode/node-2\nnode/node-3\n");
        let out = Shell.run_line(&mut sim, "kubectl get sa -A");
        assert!(
            out.stdout.starts_with(
                "NAMESPACE         NAME         SECRETS   AGE\ndefault           default      0         0s\n"
            ),
            "{}",
            out.stdout
        );
        assert_eq!(Shell.run_line(&mut sim, "kubectl get nodes -o wat").status, 1);
    }

    #[test]
    fn get_yaml_double_quotes_strings_that_look_like_other_types_as_kubectl_does() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl create deployment web --image=nginx:1.27");
        Shell.run_line(&mut sim, "sleep 20");
        let out = Shell.run_line(&mut sim, "kubectl get deploy web -o yaml");
        assert!(out.stdout.contains("  resourceVersion: \""), "{}", out.stdout);
        assert!(out.stdout.contains("    status: \"True\"\n"), "{}", out.stdout);
        assert!(out.stdout.contains("deployment.kubernetes.io/revision: \"1\"\n"), "{}", out.stdout);
        assert!(!out.stdout.contains('\''), "{}", out.stdout);
        let out = Shell.run_line(&mut sim, "kubectl get deploy -o yaml");
        assert!(out.stdout.starts_with("apiVersion: v1\nitems:\n- apiVersion: apps/v1\n"), "{}", out.stdout);
        assert!(out.stdout.ends_with("kind: List\nmetadata:\n  resourceVersion: \"\"\n"), "{}", out.stdout);
    }
}
