//! What an Apply changed on the live objects: field by field, `path: old → new`, for the parts a
//! learner writes (spec, data, labels, annotations), not what the cluster fills in.

use serde_json::Value;

use crate::manifest;
use crate::sim::store::ObjectKey;
use crate::sim::Sim;

/// The live objects a manifest names, as they are now (None: not there yet).
pub fn snapshot(sim: &Sim, text: &str) -> Vec<(ObjectKey, Option<Value>)> {
    let Ok(objects) = manifest::parse(text) else { return Vec::new() };
    objects
        .iter()
        .map(|o| {
            let key = ObjectKey {
                kind: o.kind.clone(),
                namespace: o
                    .namespace()
                    .unwrap_or(if o.kind == "Namespace" || o.kind == "Node" { "" } else { "default" })
                    .to_string(),
                name: o.name().to_string(),
            };
            let live = sim.store().get_key(&key).map(|l| l.to_value());
            (key, live)
        })
        .collect()
}

/// The changed fields between `before` and `after` snapshots of the same objects.
pub fn changes(before: &[(ObjectKey, Option<Value>)], after: &[(ObjectKey, Option<Value>)]) -> Vec<String> {
    let mut out = Vec::new();
    for ((key, old), (_, new)) in before.iter().zip(after) {
        let (Some(old), Some(new)) = (old, new) else { continue };
        for part in ["spec", "data", "stringData"] {
            walk(&format!("{}/{} {part}", key.kind.to_ascii_lowercase(), key.name), &old[part], &new[part], &mut out);
        }
        for part in ["labels", "annotations"] {
            let (o, n) = (&old["metadata"][part], &new["metadata"][part]);
            walk(&format!("{}/{} metadata.{part}", key.kind.to_ascii_lowercase(), key.name), o, n, &mut out);
        }
    }
    out.retain(|c| !c.contains("last-applied-configuration"));
    out.truncate(50);
    out
}

fn short(v: &Value) -> String {
    let text = match v {
        Value::Null => "(none)".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text
    }
}

fn walk(path: &str, old: &Value, new: &Value, out: &mut Vec<String>) {
    if old == new {
        return;
    }
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                let (x, y) = (a.get(k).unwrap_or(&Value::Null), b.get(k).unwrap_or(&Value::Null));
                walk(&format!("{path}.{k}"), x, y, out);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                walk(&format!("{path}[{i}]"), x, y, out);
            }
        }
        _ => out.push(format!("{path}: {} → {}", short(old), short(new))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::Shell;
    use crate::sim::SimConfig;

    #[test]
    fn apply_reports_the_fields_it_changed() {
        let mut sim = Sim::new(SimConfig::default());
        let v1 = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.26\n";
        Shell.run_line(&mut sim, &format!("kubectl apply -f - <<'E'\n{v1}\nE"));
        let v2 = v1.replace("replicas: 2", "replicas: 5").replace("nginx:1.26", "nginx:1.27");
        let before = snapshot(&sim, &v2);
        Shell.run_line(&mut sim, &format!("kubectl apply -f - <<'E'\n{v2}\nE"));
        let after = snapshot(&sim, &v2);
        assert_eq!(
            changes(&before, &after),
            [
                "deployment/web spec.replicas: 2 → 5",
                "deployment/web spec.template.spec.containers[0].image: nginx:1.26 → nginx:1.27"
            ]
        );
    }
}
