//! `-o yaml` and `-o json` as kubectl prints them: keys sorted, JSON indented by four spaces,
//! several objects wrapped in a `List`.

use serde::Serialize;
use serde_json::{json, Value};

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
        serde_yaml_ng::to_string(&value).unwrap_or_default()
    } else {
        json_text(&value)
    }
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

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn yaml_json_and_name_outputs() {
        let mut sim = Sim::new(SimConfig::default());
        let out = Shell.run_line(&mut sim, "kubectl get ns default -o yaml");
        // SIM: kubectl double-quotes timestamps; this YAML writer leaves them plain.
        assert!(
            out.stdout
                .starts_with("apiVersion: v1\nkind: Namespace\nmetadata:\n  creationTimestamp: 2025-01-01T00:00:00Z\n"),
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
            out.stdout.starts_with("NAMESPACE         NAME      AGE\ndefault           default   0s\n"),
            "{}",
            out.stdout
        );
        assert_eq!(Shell.run_line(&mut sim, "kubectl get nodes -o wat").status, 1);
    }
}
