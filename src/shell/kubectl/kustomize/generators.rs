//! `configMapGenerator` and `secretGenerator`: ConfigMaps and Secrets made from literals, files
//! and env files, and the content hash kustomize appends to their names.

use base64::Engine;
use serde_json::{json, Map, Value};

use super::{sha256, Kustomization, Res};
use crate::shell::files::{absolute, Io};
use crate::shell::kubectl::go_order::go_string;

/// Whether the resource is a Secret (its values are base64) rather than a ConfigMap.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    ConfigMap,
    Secret,
}

/// The resources both generators of `k` make, in the order kustomize makes them (ConfigMaps,
/// then Secrets). `behavior: merge|replace` entries change an existing resource in `existing`.
pub fn generate(io: &Io, dir: &str, k: &Kustomization, existing: &mut Vec<Res>) -> Result<(), String> {
    let options = k.get("generatorOptions").cloned().unwrap_or(Value::Null);
    for (field, kind) in [("configMapGenerator", Kind::ConfigMap), ("secretGenerator", Kind::Secret)] {
        let Some(list) = k.get(field) else { continue };
        let Some(list) = list.as_array() else {
            return Err(format!("invalid Kustomization: json: cannot unmarshal object into Go struct field Kustomization.{field} of type []types.{}Args", if kind == Kind::Secret { "Secret" } else { "ConfigMap" }));
        };
        for args in list {
            let res = one(io, dir, args, kind, &options)?;
            let behavior = args.get("behavior").and_then(Value::as_str).unwrap_or("create");
            place(res, behavior, existing)?;
        }
    }
    Ok(())
}

/// Adds a generated resource, or merges it into / replaces the one it names.
fn place(res: Res, behavior: &str, existing: &mut Vec<Res>) -> Result<(), String> {
    let kind = res.value["kind"].as_str().unwrap_or("").to_string();
    let name = res.value["metadata"]["name"].as_str().unwrap_or("").to_string();
    let found = existing.iter().position(|r| r.kind() == kind && r.answers_to(&name));
    match (behavior, found) {
        ("create", None) => existing.push(res),
        ("create", Some(_)) => {
            return Err(format!(
                "merging from generator &{{{kind} {name}}}: id resid.ResId{{Gvk:resid.Gvk{{Group:\"\", Version:\"v1\", Kind:\"{kind}\", isClusterScoped:false}}, Name:\"{name}\", Namespace:\"\"}} exists; behavior must be merge or replace"
            ))
        }
        ("replace", Some(i)) => {
            let old = &mut existing[i];
            let meta = old.value["metadata"].clone();
            old.value = res.value;
            old.value["metadata"]["name"] = meta["name"].clone();
            if let Some(ns) = meta.get("namespace") {
                old.value["metadata"]["namespace"] = ns.clone();
            }
            old.hash = res.hash;
        }
        ("merge", Some(i)) => {
            let old = &mut existing[i];
            for field in ["data", "binaryData"] {
                if let Some(Value::Object(new)) = res.value.get(field) {
                    let entry = old.value[field].as_object_mut().map(std::mem::take).unwrap_or_default();
                    let mut merged = entry;
                    merged.extend(new.clone());
                    old.value[field] = Value::Object(merged);
                }
            }
            for field in ["labels", "annotations"] {
                if let Some(Value::Object(new)) = res.value["metadata"].get(field) {
                    let mut merged = old.value["metadata"][field].as_object().cloned().unwrap_or_default();
                    merged.extend(new.clone());
                    old.value["metadata"][field] = Value::Object(merged);
                }
            }
            old.hash = old.hash && res.hash;
        }
        (_, None) => {
            return Err(format!(
                "id resid.ResId{{Gvk:resid.Gvk{{Group:\"\", Version:\"v1\", Kind:\"{kind}\", isClusterScoped:false}}, Name:\"{name}\", Namespace:\"\"}} does not exist; cannot merge or replace"
            ))
        }
        (other, _) => return Err(format!("unknown generation behavior '{other}'")),
    }
    Ok(())
}

/// One generated ConfigMap or Secret.
fn one(io: &Io, dir: &str, args: &Value, kind: Kind, global: &Value) -> Result<Res, String> {
    let name = args.get("name").and_then(Value::as_str).unwrap_or("");
    let mut data: Map<String, Value> = Map::new();
    let mut add = |key: String, value: String| -> Result<(), String> {
        if data.contains_key(&key) {
            return Err(format!("configmap {name} illegally repeats the key `{key}`"));
        }
        data.insert(key, Value::String(value));
        Ok(())
    };
    for env in strings(args.get("envs")).into_iter().chain(args.get("env").and_then(Value::as_str).map(str::to_string))
    {
        let text = read(io, dir, &env)?;
        for (k, v) in env_pairs(&text) {
            add(k, v)?;
        }
    }
    for lit in strings(args.get("literals")) {
        let Some((k, v)) = lit.split_once('=') else {
            return Err(format!("invalid literal source {lit}, expected key=value"));
        };
        add(k.to_string(), unquote(v).to_string())?;
    }
    for file in strings(args.get("files")) {
        let (key, path) = match file.split_once('=') {
            Some((k, p)) => (k.to_string(), p.to_string()),
            None => (file.rsplit('/').next().unwrap_or(&file).to_string(), file.clone()),
        };
        let text = read(io, dir, &path)?;
        add(key, text)?;
    }
    if kind == Kind::Secret {
        for v in data.values_mut() {
            let s = v.as_str().unwrap_or("");
            *v = Value::String(base64::engine::general_purpose::STANDARD.encode(s));
        }
    }
    let mut meta = Map::new();
    meta.insert("name".into(), name.into());
    if let Some(ns) = args.get("namespace").and_then(Value::as_str) {
        meta.insert("namespace".into(), ns.into());
    }
    let local = args.get("options").cloned().unwrap_or(Value::Null);
    for field in ["labels", "annotations"] {
        let mut m = global.get(field).and_then(Value::as_object).cloned().unwrap_or_default();
        if let Some(l) = local.get(field).and_then(Value::as_object) {
            m.extend(l.clone());
        }
        if !m.is_empty() {
            meta.insert(field.into(), Value::Object(m));
        }
    }
    let flag = |f: &str| local.get(f).or_else(|| global.get(f)).and_then(Value::as_bool);
    let mut value = json!({"apiVersion": "v1", "kind": if kind == Kind::Secret { "Secret" } else { "ConfigMap" }, "metadata": meta});
    if !data.is_empty() {
        value["data"] = Value::Object(data);
    }
    if kind == Kind::Secret {
        value["type"] = args.get("type").cloned().unwrap_or_else(|| "Opaque".into());
    }
    if flag("immutable") == Some(true) {
        value["immutable"] = true.into();
    }
    Ok(Res::new(value, flag("disableNameSuffixHash") != Some(true)))
}

/// A list of strings from a kustomization field.
fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// A file a generator names, relative to the kustomization's directory.
fn read(io: &Io, dir: &str, path: &str) -> Result<String, String> {
    let abs = absolute(dir, path);
    io.read_file(&abs).map_err(|_| format!("evalsymlink failure on '{abs}' : lstat {abs}: no such file or directory"))
}

/// A value's surrounding quotes removed, as kustomize reads `k="v"` literals.
fn unquote(v: &str) -> &str {
    let b = v.as_bytes();
    if b.len() >= 2 && (b[0] == b'"' || b[0] == b'\'') && b[b.len() - 1] == b[0] {
        &v[1..v.len() - 1]
    } else {
        v
    }
}

/// The `KEY=VALUE` lines of an env file: leading space dropped, `#` comments and blank lines
/// skipped; a key alone takes its value from the environment.
// SIM: the sandbox's kubectl has no environment of its own, so a bare key gets "".
fn env_pairs(text: &str) -> Vec<(String, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once('=') {
            Some((k, v)) => out.push((k.to_string(), v.to_string())),
            None => out.push((line.to_string(), String::new())),
        }
    }
    out
}

/// The suffix kustomize appends to a generated ConfigMap's or Secret's name: SHA-256 of its
/// kind, type and data as Go's JSON encoder writes them (with an empty name), the first ten
/// hex digits with vowels and vowel-like digits mapped to consonants.
pub fn hash(value: &Value) -> String {
    let mut fields: Vec<(&str, String)> = Vec::new();
    let kind = value["kind"].as_str().unwrap_or("");
    let map = |v: &Value| match v.as_object() {
        Some(m) => {
            let inner: Vec<String> =
                m.iter().map(|(k, v)| format!("{}:{}", go_string(k), go_string(v.as_str().unwrap_or("")))).collect();
            format!("{{{}}}", inner.join(","))
        }
        None => "null".to_string(),
    };
    if let Some(b) = value.get("binaryData").filter(|b| b.as_object().is_some_and(|m| !m.is_empty())) {
        fields.push(("binaryData", map(b)));
    }
    fields.push(("data", map(&value["data"])));
    if let Some(i) = value.get("immutable").and_then(Value::as_bool) {
        fields.push(("immutable", i.to_string()));
    }
    fields.push(("kind", go_string(kind)));
    fields.push(("name", "\"\"".into()));
    if kind == "Secret" {
        fields.push(("type", go_string(value["type"].as_str().unwrap_or(""))));
    }
    let text: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
    let digest = sha256::hex(format!("{{{}}}", text.join(",")).as_bytes());
    digest[..10]
        .chars()
        .map(|c| match c {
            '0' => 'g',
            '1' => 'h',
            '3' => 'k',
            'a' => 'm',
            'e' => 't',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn hashes_as_kubectl_kustomize_does() {
        // Both checked against kubectl 1.32's `kubectl kustomize`.
        let cm = json!({"kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"a": "1", "b": "hello world"}});
        assert_eq!(super::hash(&cm), "4mc96h7k26");
        let s = json!({"kind": "Secret", "type": "Opaque", "metadata": {"name": "sec"}, "data": {"password": "czNjcjxldD4m"}});
        assert_eq!(super::hash(&s), "g9hc474tm6");
    }

    #[test]
    fn env_files_keep_spaces_around_the_equals_sign() {
        let pairs = super::env_pairs("A=1\n# c\n  B = two words\n\nC\n");
        let want = [("A", "1"), ("B ", " two words"), ("C", "")];
        assert_eq!(pairs, want.map(|(k, v)| (k.to_string(), v.to_string())));
    }
}
