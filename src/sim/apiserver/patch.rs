//! Patches, as `kubectl patch` and `kubectl apply` send them: JSON merge patch (RFC 7386) and
//! strategic merge patch, which merges lists of named things (containers, env, ports,
//! volumes, …) by their key instead of replacing them, and honours `$patch: delete|replace`.

use serde_json::{Map, Value};

/// The kind of patch, as `kubectl patch --type` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchType {
    Merge,
    Strategic,
}

/// RFC 7386: objects merge key by key, `null` deletes, anything else replaces.
pub fn merge_patch(target: &Value, patch: &Value) -> Value {
    let Value::Object(p) = patch else { return patch.clone() };
    let mut out = match target {
        Value::Object(t) => t.clone(),
        _ => Map::new(),
    };
    for (k, v) in p {
        if v.is_null() {
            out.remove(k);
        } else {
            let merged = merge_patch(out.get(k).unwrap_or(&Value::Null), v);
            out.insert(k.clone(), merged);
        }
    }
    Value::Object(out)
}

/// The merge key of a list field in built-in types (`patchMergeKey`), from the field's name
/// and, for `ports`, what its items hold.
pub fn merge_key(field: &str, items: &[Value]) -> Option<&'static str> {
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets"
        | "resourceClaims" => "name",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "hostAliases" => "ip",
        "topologySpreadConstraints" => "topologyKey",
        "conditions" => "type",
        "ownerReferences" => "uid",
        "ports" if items.iter().any(|i| i.get("containerPort").is_some()) => "containerPort",
        "ports" => "port",
        _ => return None,
    })
}

/// Strategic merge patch of `patch` onto `target`.
pub fn strategic_merge_patch(target: &Value, patch: &Value) -> Result<Value, String> {
    let Value::Object(p) = patch else { return Ok(patch.clone()) };
    if p.get("$patch").and_then(Value::as_str) == Some("replace") {
        let mut replaced = p.clone();
        replaced.remove("$patch");
        return Ok(Value::Object(replaced));
    }
    let mut out = match target {
        Value::Object(t) => t.clone(),
        _ => Map::new(),
    };
    for (k, v) in p {
        if k.starts_with('$') {
            continue;
        }
        if v.is_null() {
            out.remove(k);
            continue;
        }
        let current = out.get(k).cloned().unwrap_or(Value::Null);
        let merged = match (v, &current) {
            (Value::Array(items), Value::Array(existing)) => {
                match merge_key(k, items).or_else(|| merge_key(k, existing)) {
                    Some(key) => Value::Array(merge_list(existing, items, key)?),
                    None => v.clone(),
                }
            }
            (Value::Object(_), _) => strategic_merge_patch(&current, v)?,
            _ => v.clone(),
        };
        out.insert(k.clone(), merged);
    }
    Ok(Value::Object(out))
}

/// Merges list items with equal `key`; patch items new to the list are appended, items with
/// `$patch: delete` removed.
fn merge_list(existing: &[Value], patch: &[Value], key: &str) -> Result<Vec<Value>, String> {
    let mut out: Vec<Value> = existing.to_vec();
    for item in patch {
        let Some(id) = item.get(key) else {
            return Err(format!("map: {item} does not contain declared merge key: {key}"));
        };
        let pos = out.iter().position(|e| e.get(key) == Some(id));
        if item.get("$patch").and_then(Value::as_str) == Some("delete") {
            if let Some(i) = pos {
                out.remove(i);
            }
            continue;
        }
        match pos {
            Some(i) => out[i] = strategic_merge_patch(&out[i], item)?,
            None => out.push(strategic_merge_patch(&Value::Null, item)?),
        }
    }
    Ok(out)
}

/// Applies a patch of `ty`.
pub fn apply(ty: PatchType, target: &Value, patch: &Value) -> Result<Value, String> {
    match ty {
        PatchType::Merge => Ok(merge_patch(target, patch)),
        PatchType::Strategic => strategic_merge_patch(target, patch),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_replaces_lists_and_null_deletes() {
        let t = json!({"a": 1, "b": {"c": 2, "d": 3}, "l": [1, 2]});
        let p = json!({"a": null, "b": {"c": 5}, "l": [9]});
        assert_eq!(merge_patch(&t, &p), json!({"b": {"c": 5, "d": 3}, "l": [9]}));
    }

    #[test]
    fn strategic_patch_merges_containers_by_name() {
        let t = json!({"spec": {"containers": [{"name": "web", "image": "nginx:1.26", "ports": [{"containerPort": 80}]},
                                               {"name": "log", "image": "busybox"}]}});
        let p = json!({"spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}});
        let out = strategic_merge_patch(&t, &p).unwrap();
        assert_eq!(
            out["spec"]["containers"][0],
            json!({"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}]})
        );
        assert_eq!(out["spec"]["containers"][1]["name"], "log");
    }

    #[test]
    fn strategic_patch_appends_new_env_and_deletes_with_directive() {
        let t = json!({"env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]});
        let p = json!({"env": [{"name": "C", "value": "3"}, {"name": "A", "$patch": "delete"}]});
        assert_eq!(
            strategic_merge_patch(&t, &p).unwrap(),
            json!({"env": [{"name": "B", "value": "2"}, {"name": "C", "value": "3"}]})
        );
    }

    #[test]
    fn lists_without_merge_key_are_replaced() {
        let t = json!({"args": ["a", "b"], "tolerations": [{"key": "x"}]});
        let p = json!({"args": ["c"], "tolerations": []});
        assert_eq!(strategic_merge_patch(&t, &p).unwrap(), json!({"args": ["c"], "tolerations": []}));
    }

    #[test]
    fn service_ports_merge_by_port() {
        let t = json!({"ports": [{"port": 80, "targetPort": 8080}]});
        let p = json!({"ports": [{"port": 80, "nodePort": 30080}]});
        assert_eq!(
            strategic_merge_patch(&t, &p).unwrap(),
            json!({"ports": [{"port": 80, "targetPort": 8080, "nodePort": 30080}]})
        );
    }

    #[test]
    fn missing_merge_key_is_an_error() {
        let t = json!({"containers": [{"name": "a"}]});
        assert!(strategic_merge_patch(&t, &json!({"containers": [{"image": "x"}]})).is_err());
    }
}
