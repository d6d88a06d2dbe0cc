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

/// Whether `labels` satisfy the selector string `text` (kubectl's `-l` syntax, parsed as
/// `get` parses it); the error as kubectl prints it.
pub fn selector_matches(text: &str, labels: &BTreeMap<String, String>) -> Result<bool, String> {
    let selector = super::get::selector::LabelSelector::parse(text).map_err(|e| format!("error: {e}\n"))?;
    Ok(selector.matches(Some(labels)))
}

/// What to act on.
#[derive(Debug, Default)]
pub struct Query<'a> {
    /// Resource words, without the verb's own arguments (`KEY=VAL`).
    pub words: &'a [String],
    pub selector: Option<&'a str>,
    pub all: bool,
}

/// The resources a type word names: `deploy`, `deploy,svc,cm`, or the `all` category (in the
/// order kubectl prints it), each once; kubectl's error for an unknown one.
pub fn expand_types(word: &str) -> Result<Vec<&'static discovery::Resource>, String> {
    let mut out: Vec<&'static discovery::Resource> = Vec::new();
    for ty in word.split(',').filter(|t| !t.is_empty()) {
        let names: Vec<&str> = if ty == "all" { super::get::resource::ALL.to_vec() } else { vec![ty] };
        for n in names {
            let r = discovery::lookup_name(n)
                .ok_or_else(|| format!("error: the server doesn't have a resource type \"{n}\"\n"))?;
            if !out.iter().any(|o| std::ptr::eq(*o, r)) {
                out.push(r);
            }
        }
    }
    Ok(out)
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
    let slashed = q.words.iter().filter(|w| w.contains('/')).count();
    if slashed > 0 && slashed < q.words.len() {
        return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n".into());
    }
    if slashed == q.words.len() {
        for w in q.words {
            let (t, n) = w.split_once('/').unwrap_or((w, ""));
            pairs.push((lookup(t)?, n.to_string()));
        }
    } else {
        let (ty, names) = q.words.split_first().expect("not empty");
        let types = expand_types(ty)?;
        if names.is_empty() {
            if !q.all && q.selector.is_none() {
                return Err("error: resource(s) were provided, but no name was specified\n".to_string());
            }
            let mut found = Vec::new();
            let mut namespaced = false;
            for r in types {
                let ns = r.namespaced.then_some(namespace);
                namespaced |= r.namespaced;
                for o in sim.store().list(r.kind, ns) {
                    let labels = o.metadata.labels.clone().unwrap_or_default();
                    if q.selector.map_or(Ok(true), |s| selector_matches(s, &labels))? {
                        found.push(o.clone());
                    }
                }
            }
            if found.is_empty() {
                return Err(if namespaced {
                    format!("No resources found in {namespace} namespace.\n")
                } else {
                    "No resources found\n".to_string()
                });
            }
            return Ok(found);
        }
        for r in types {
            pairs.extend(names.iter().map(|n| (r, n.clone())));
        }
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
