//! Printers for what is not a table: `-o yaml` and `-o json` as kubectl prints them (keys
//! sorted, JSON indented by four spaces, timestamps quoted in YAML, several objects wrapped in
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

/// YAML as kubectl writes it. kubectl's encoder quotes any string that would otherwise read
/// back as another type; the one such string API objects hold that ours leaves plain is an
/// RFC 3339 timestamp, so those get their quotes here.
pub fn yaml_text(value: &Value) -> String {
    let text = serde_yaml_ng::to_string(value).unwrap_or_default();
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.lines() {
        out.push_str(&quote_timestamp(line));
        out.push('\n');
    }
    out
}

/// `  creationTimestamp: 2025-…Z` → `  creationTimestamp: "2025-…Z"` (also `- 2025-…Z`).
fn quote_timestamp(line: &str) -> String {
    let (head, value) = match line.rfind(": ") {
        Some(i) => line.split_at(i + 2),
        None => match line.trim_start().strip_prefix("- ") {
            Some(v) => line.split_at(line.len() - v.len()),
            None => return line.to_string(),
        },
    };
    if is_timestamp(value) {
        format!("{head}\"{value}\"")
    } else {
        line.to_string()
    }
}

fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| r.into_iter().all(|i| b.get(i).is_some_and(u8::is_ascii_digit));
    b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && s.ends_with('Z')
        && s[19..s.len() - 1].chars().all(|c| c == '.' || c.is_ascii_digit())
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
                        found.iter().map(text_of).collect::<Vec<_>>().join(",")
                    }
                })
                .collect(),
        );
    }
    Ok(render(&rows))
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

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
            out.stdout
                .starts_with("NAMESPACE         NAME      SECRETS   AGE\ndefault           default   0         0s\n"),
            "{}",
            out.stdout
        );
        assert_eq!(Shell.run_line(&mut sim, "kubectl get nodes -o wat").status, 1);
    }

    #[test]
    fn yaml_quotes_timestamps_in_maps_and_lists_only() {
        assert_eq!(
            super::quote_timestamp("  lastTimestamp: 2025-01-01T00:00:05Z"),
            "  lastTimestamp: \"2025-01-01T00:00:05Z\""
        );
        assert_eq!(super::quote_timestamp("  - 2025-01-01T00:00:05.123456Z"), "  - \"2025-01-01T00:00:05.123456Z\"");
        assert_eq!(super::quote_timestamp("  name: web"), "  name: web");
        assert_eq!(super::quote_timestamp("  note: 2025-01-01 later"), "  note: 2025-01-01 later");
    }
}
