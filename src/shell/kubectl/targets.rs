//! The objects a mutating verb acts on: `TYPE NAME…`, `TYPE/NAME…`, `TYPE -l SELECTOR` or
//! `TYPE --all`, looked up as kubectl's resource builder does, with its messages.

use std::collections::BTreeMap;

use crate::sim::api::{discovery, Object};
use crate::sim::Sim;

/// `deployments.apps`, `pods`: how the API server names a resource in messages.
pub fn qualified_plural(r: &discovery::Resource) -> String {
    if r.group().is_empty() {
        r.plural.to_string()
    } else {
        format!("{}.{}", r.plural, r.group())
    }
}

/// One requirement of a label selector string.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

/// Parses `app=web,tier!=db,env in (a,b),!canary`, as `-l` takes it.
fn parse_selector(text: &str) -> Result<Vec<Requirement>, String> {
    let mut parts = Vec::new();
    let (mut depth, mut cur) = (0, String::new());
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    let bad = || format!("error: unable to parse requirement: found '{text}', expected: identifier");
    let mut out = Vec::new();
    for p in parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let list = |s: &str| -> Vec<String> {
            s.trim().trim_start_matches('(').trim_end_matches(')').split(',').map(|v| v.trim().to_string()).collect()
        };
        let r = if let Some((k, v)) = p.split_once("!=") {
            Requirement::NotEquals(k.trim().into(), v.trim().into())
        } else if let Some((k, v)) = p.split_once("==").or_else(|| p.split_once('=')) {
            Requirement::Equals(k.trim().into(), v.trim().into())
        } else if let Some((k, v)) = p.split_once(" notin ") {
            Requirement::NotIn(k.trim().into(), list(v))
        } else if let Some((k, v)) = p.split_once(" in ") {
            Requirement::In(k.trim().into(), list(v))
        } else if let Some(k) = p.strip_prefix('!') {
            Requirement::DoesNotExist(k.trim().into())
        } else if p.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/')) {
            Requirement::Exists(p.into())
        } else {
            return Err(bad());
        };
        out.push(r);
    }
    Ok(out)
}

/// Whether `labels` satisfy the selector string `text`.
pub fn selector_matches(text: &str, labels: &BTreeMap<String, String>) -> Result<bool, String> {
    Ok(parse_selector(text)?.iter().all(|r| match r {
        Requirement::Equals(k, v) => labels.get(k) == Some(v),
        Requirement::NotEquals(k, v) => labels.get(k) != Some(v),
        Requirement::In(k, vs) => labels.get(k).is_some_and(|x| vs.contains(x)),
        Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|x| !vs.contains(x)),
        Requirement::Exists(k) => labels.contains_key(k),
        Requirement::DoesNotExist(k) => !labels.contains_key(k),
    }))
}

/// What to act on.
#[derive(Debug, Default)]
pub struct Query<'a> {
    /// Resource words, without the verb's own arguments (`KEY=VAL`).
    pub words: &'a [String],
    pub selector: Option<&'a str>,
    pub all: bool,
}

/// The objects the query names, in the order named (by name for `-l`/`--all`).
pub fn resolve(sim: &Sim, q: &Query, namespace: &str) -> Result<Vec<Object>, String> {
    if q.words.is_empty() {
        return Err("error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n".into());
    }
    if q.all && q.selector.is_some() {
        return Err("error: cannot set --all and --selector at the same time\n".into());
    }
    let lookup = |ty: &str| {
        discovery::lookup_name(ty).ok_or_else(|| format!("error: the server doesn't have a resource type \"{ty}\"\n"))
    };
    let mut pairs: Vec<(&'static discovery::Resource, String)> = Vec::new();
    if q.words.iter().all(|w| w.contains('/')) {
        for w in q.words {
            let (t, n) = w.split_once('/').unwrap_or((w, ""));
            pairs.push((lookup(t)?, n.to_string()));
        }
    } else {
        let (ty, names) = q.words.split_first().expect("not empty");
        let r = lookup(ty)?;
        if names.is_empty() {
            if !q.all && q.selector.is_none() {
                return Err("error: resource(s) were provided, but no name was specified\n".to_string());
            }
            let ns = r.namespaced.then_some(namespace);
            let mut found = Vec::new();
            for o in sim.store().list(r.kind, ns) {
                let labels = o.metadata.labels.clone().unwrap_or_default();
                if q.selector.map_or(Ok(true), |s| selector_matches(s, &labels))? {
                    found.push(o.clone());
                }
            }
            if found.is_empty() {
                return Err(match ns {
                    Some(ns) => format!("No resources found in {ns} namespace.\n"),
                    None => "No resources found\n".to_string(),
                });
            }
            return Ok(found);
        }
        pairs.extend(names.iter().map(|n| (r, n.clone())));
    }
    let mut out = Vec::new();
    for (r, name) in pairs {
        let ns = r.namespaced.then_some(namespace);
        match sim.store().get(r.kind, ns, &name) {
            Some(o) => out.push(o.clone()),
            None => {
                return Err(format!("Error from server (NotFound): {} \"{name}\" not found\n", qualified_plural(r)))
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selector_strings_match_as_kubectl_reads_them() {
        let labels: BTreeMap<String, String> =
            [("app", "web"), ("tier", "front")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        for (sel, want) in [
            ("app=web", true),
            ("app==web,tier=front", true),
            ("app!=web", false),
            ("tier in (front, back)", true),
            ("tier notin (front)", false),
            ("canary", false),
            ("!canary", true),
        ] {
            assert_eq!(selector_matches(sel, &labels), Ok(want), "{sel}");
        }
    }
}
