//! `patchesStrategicMerge`, `patches` and `patchesJson6902`: strategic merge patches matched by
//! the patch's own kind and name, or JSON 6902 / strategic patches applied to every object a
//! `target` selects.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{read_relative, Res};
use crate::shell::kubectl::{json_patch, targets};
use crate::sim::apiserver::patch::strategic_merge_patch;

/// A patch's text: a file next to the kustomization, or the patch itself written inline.
fn patch_text(dir: &str, io: &crate::shell::files::Io, entry: &str) -> Result<String, String> {
    if entry.contains('\n') || entry.trim_start().starts_with('{') || entry.trim_start().starts_with('[') {
        return Ok(entry.to_string());
    }
    read_relative(io, dir, entry)
}

/// The documents of a patch's text.
fn documents(text: &str) -> Result<Vec<Value>, String> {
    crate::manifest::documents(text).map_err(|e| e.to_string())
}

/// `patchesStrategicMerge:` — each entry a file or inline YAML of one or more patches.
pub fn strategic_merge(
    io: &crate::shell::files::Io,
    dir: &str,
    entries: &[Value],
    resources: &mut Vec<Res>,
) -> Result<(), String> {
    for e in entries {
        let Some(entry) = e.as_str() else { continue };
        for patch in documents(&patch_text(dir, io, entry)?)? {
            apply_by_id(&patch, resources)?;
        }
    }
    Ok(())
}

/// A strategic merge patch applied to the one object with its kind and name (`$patch:
/// delete` at the top removes the object).
fn apply_by_id(patch: &Value, resources: &mut Vec<Res>) -> Result<(), String> {
    let kind = patch["kind"].as_str().unwrap_or("");
    let name = patch["metadata"]["name"].as_str().unwrap_or("");
    let ns = patch["metadata"]["namespace"].as_str();
    let found: Vec<usize> = (0..resources.len())
        .filter(|&i| {
            let r = &resources[i];
            r.kind() == kind && r.answers_to(name) && ns.is_none_or(|n| r.namespace() == n)
        })
        .collect();
    let [i] = found[..] else {
        let group =
            patch["apiVersion"].as_str().unwrap_or("").split_once('/').map_or(String::new(), |(g, _)| format!(".{g}"));
        let version = patch["apiVersion"].as_str().unwrap_or("").rsplit('/').next().unwrap_or("").to_string();
        let id = format!("{kind}.{version}{group}/{name}.{}", ns.unwrap_or("[noNs]"));
        let why = if found.is_empty() { "no matches for Id" } else { "multiple matches for Id" };
        return Err(format!("{why} {id}; failed to find unique target for patch {id}"));
    };
    smp_one(resources, i, patch)
}

/// Strategic-merges `patch` into resource `i` (or deletes it).
fn smp_one(resources: &mut Vec<Res>, i: usize, patch: &Value) -> Result<(), String> {
    if patch.get("$patch").and_then(Value::as_str) == Some("delete") {
        resources.remove(i);
        return Ok(());
    }
    let mut patch = patch.clone();
    // The patch names its target; it does not rename it.
    if let Some(m) = patch["metadata"].as_object_mut() {
        m.remove("name");
        m.remove("namespace");
    }
    let merged = strategic_merge_patch(&resources[i].value, &patch)?;
    resources[i].value = merged;
    Ok(())
}

/// Whether resource `r` is selected by a patch's `target`.
fn selected(r: &Res, target: &Value) -> Result<bool, String> {
    let s = |k: &str| target.get(k).and_then(Value::as_str);
    let api_version = r.value["apiVersion"].as_str().unwrap_or("");
    let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
    if s("group").is_some_and(|g| g != group) || s("version").is_some_and(|v| v != version) {
        return Ok(false);
    }
    if s("kind").is_some_and(|k| !anchored(k, r.kind())) {
        return Ok(false);
    }
    if let Some(name) = s("name") {
        if !r.names().iter().any(|n| anchored(name, n)) {
            return Ok(false);
        }
    }
    if s("namespace").is_some_and(|n| !anchored(n, &r.namespace())) {
        return Ok(false);
    }
    for (field, sel) in [("labels", s("labelSelector")), ("annotations", s("annotationSelector"))] {
        let Some(sel) = sel else { continue };
        let map: BTreeMap<String, String> = r.value["metadata"][field]
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string())).collect())
            .unwrap_or_default();
        if !targets::selector_matches(sel, &map)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A target's name or kind: a regular expression matched against the whole name. The sandbox
/// understands the forms courses write: a plain name, `.*`, and `prefix.*` / `.*suffix`.
// SIM: kustomize takes any Go regular expression here.
fn anchored(pattern: &str, value: &str) -> bool {
    if pattern == value || pattern == ".*" {
        return true;
    }
    match (pattern.strip_prefix(".*"), pattern.strip_suffix(".*")) {
        (Some(suffix), _) if !suffix.contains(['.', '*', '[', '(', '|']) => value.ends_with(suffix),
        (_, Some(prefix)) if !prefix.contains(['.', '*', '[', '(', '|']) => value.starts_with(prefix),
        _ => false,
    }
}

/// `patches:` — each with `path` or `patch`, and optionally a `target`. A patch that is a
/// list of operations is JSON 6902; anything else strategic merge.
pub fn patches(
    io: &crate::shell::files::Io,
    dir: &str,
    entries: &[Value],
    resources: &mut Vec<Res>,
) -> Result<(), String> {
    for e in entries {
        let text = match (e.get("path").and_then(Value::as_str), e.get("patch").and_then(Value::as_str)) {
            (Some(_), Some(_)) => return Err("patch and path can't be set at the same time".into()),
            (Some(p), None) => read_relative(io, dir, p)?,
            (None, Some(p)) => p.to_string(),
            (None, None) => return Err("must specify one of patch and path in patches".into()),
        };
        let docs = documents(&text)?;
        let target = e.get("target");
        match (docs.first(), target) {
            (Some(ops @ Value::Array(_)), Some(t)) => json6902_on(resources, t, ops)?,
            (Some(Value::Array(_)), None) => return Err("unable to apply json patch: target is required".into()),
            (_, Some(t)) => {
                for patch in &docs {
                    let picked: Vec<usize> =
                        (0..resources.len()).filter(|&i| selected(&resources[i], t).unwrap_or(false)).collect();
                    for i in picked.into_iter().rev() {
                        smp_one(resources, i, patch)?;
                    }
                }
            }
            (_, None) => {
                for patch in &docs {
                    apply_by_id(patch, resources)?;
                }
            }
        }
    }
    Ok(())
}

/// `patchesJson6902:` — `target` and `path` (YAML or JSON operations) or inline `patch`.
pub fn json6902(
    io: &crate::shell::files::Io,
    dir: &str,
    entries: &[Value],
    resources: &mut [Res],
) -> Result<(), String> {
    for e in entries {
        let text = match (e.get("path").and_then(Value::as_str), e.get("patch").and_then(Value::as_str)) {
            (Some(p), _) => read_relative(io, dir, p)?,
            (None, Some(p)) => p.to_string(),
            (None, None) => return Err("must specify one of patch and path in patchesJson6902".into()),
        };
        let ops = documents(&text)?.into_iter().next().unwrap_or(Value::Array(Vec::new()));
        let target = e.get("target").cloned().unwrap_or(Value::Null);
        json6902_on(resources, &target, &ops)?;
    }
    Ok(())
}

fn json6902_on(resources: &mut [Res], target: &Value, ops: &Value) -> Result<(), String> {
    // A target that matches nothing is no change at all, as kustomize has it.
    for r in resources.iter_mut() {
        if selected(r, target)? {
            r.value = json_patch::apply(&r.value, ops).map_err(|e| format!("unable to apply json patch: {e}"))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn target_names_match_whole_names() {
        assert!(super::anchored("web", "web"));
        assert!(!super::anchored("web", "web2"));
        assert!(super::anchored(".*", "x"));
        assert!(super::anchored("web.*", "web-1"));
        assert!(super::anchored(".*-db", "app-db"));
    }
}
