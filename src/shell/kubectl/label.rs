//! `kubectl label` and `kubectl annotate`: `KEY=VALUE` sets, `KEY-` removes, an existing
//! different value needs `--overwrite`; objects by name, `-l SELECTOR` or `--all`.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::create::{print, DryRun, Mode};
use super::flags::{self, boolean, value, Spec};
use super::targets::{resolve, Query};
use crate::shell::Output;
use crate::sim::apiserver::{self, patch::PatchType};
use crate::sim::Sim;

const SPECS: &[Spec] = &[boolean("overwrite"), value("selector").short('l'), boolean("all")];

/// Which map the verb edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Labels,
    Annotations,
}

/// Runs `kubectl label|annotate TYPE NAME… KEY=VAL… KEY-…`.
pub fn run(sim: &mut Sim, args: &[String], default_ns: &str, field: Field) -> Output {
    match label(sim, args, default_ns, field) {
        Ok(out) => out,
        Err(e) => Output::err(e, 1),
    }
}

fn label(sim: &mut Sim, args: &[String], default_ns: &str, field: Field) -> Result<Output, String> {
    let verb = if field == Field::Labels { "label" } else { "annotate" };
    let flags = flags::parse(args, SPECS, &format!("kubectl {verb}"))?;
    let mode = Mode::from_flags(&flags, default_ns)?;
    // kubectl takes the words with `=` or a trailing `-` as changes, the rest as resources.
    let (changes, words): (Vec<String>, Vec<String>) =
        flags.args.iter().cloned().partition(|w| w.contains('=') || (w.ends_with('-') && !w.contains('/')));
    let mut set = BTreeMap::new();
    let mut remove = Vec::new();
    for c in &changes {
        if let Some((k, v)) = c.split_once('=') {
            if k.is_empty() {
                return Err(format!(
                    "error: invalid {} spec: {c}\n",
                    if field == Field::Labels { "label" } else { "annotation" }
                ));
            }
            if field == Field::Labels && !valid_label_value(v) {
                return Err(format!(
                    "error: invalid label value: \"{c}\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')\n"
                ));
            }
            set.insert(k.to_string(), v.to_string());
        } else {
            remove.push(c.trim_end_matches('-').to_string());
        }
    }
    if set.keys().any(|k| remove.contains(k)) {
        return Err(format!(
            "error: can not both modify and remove {} in the same command\n",
            if field == Field::Labels { "a label" } else { "an annotation" }
        ));
    }
    if set.is_empty() && remove.is_empty() {
        return Err(format!(
            "error: at least one {} update is required\n",
            if field == Field::Labels { "label" } else { "annotation" }
        ));
    }
    let q = Query { words: &words, selector: flags.get("selector"), all: flags.on("all") };
    let objects = resolve(sim, &q, &mode.namespace)?;
    let overwrite = flags.on("overwrite");
    let mut out = Output::default();
    for obj in objects {
        let current: BTreeMap<String, String> = match field {
            Field::Labels => obj.metadata.labels.clone(),
            Field::Annotations => obj.metadata.annotations.clone(),
        }
        .unwrap_or_default();
        if !overwrite {
            let clashes: Vec<(&String, &String)> =
                set.iter().filter_map(|(k, v)| current.get(k).filter(|c| *c != v).map(|c| (k, c))).collect();
            if !clashes.is_empty() {
                let msg = match field {
                    Field::Labels => {
                        let each: Vec<String> = clashes
                            .iter()
                            .map(|(k, c)| format!("'{k}' already has a value ({c}), and --overwrite is false"))
                            .collect();
                        if each.len() == 1 {
                            each[0].clone()
                        } else {
                            format!("[{}]", each.join(", "))
                        }
                    }
                    Field::Annotations => format!(
                        "--overwrite is false but found the following declared annotation(s): {}",
                        clashes
                            .iter()
                            .map(|(k, c)| format!("'{k}' already has a value ({c})"))
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                };
                out.stderr.push_str(&format!("error: {msg}\n"));
                out.status = 1;
                return Ok(out);
            }
        }
        let added = set.iter().filter(|(k, v)| current.get(*k) != Some(v)).count();
        let removed = remove.iter().filter(|k| current.contains_key(*k)).count();
        if mode.dry_run == DryRun::None {
            for k in &remove {
                if !current.contains_key(k) && field == Field::Labels {
                    out.stdout.push_str(&format!("label \"{k}\" not found.\n"));
                }
            }
        }
        let word = match (field, added > 0, removed > 0) {
            (Field::Annotations, ..) => "annotated",
            (_, true, true) => "modified",
            (_, true, false) => "labeled",
            (_, false, true) => "unlabeled",
            _ => "not labeled",
        };
        let mut changes = Map::new();
        for (k, v) in &set {
            changes.insert(k.clone(), json!(v));
        }
        for k in &remove {
            changes.insert(k.clone(), Value::Null);
        }
        let key = if field == Field::Labels { "labels" } else { "annotations" };
        let patch = json!({"metadata": {key: changes}});
        let result = if mode.dry_run == DryRun::None {
            let ns = obj.namespace().map(str::to_string);
            apiserver::patch(sim, &obj.kind, ns.as_deref(), obj.name(), PatchType::Merge, &patch)
                .map(|o| o.to_value())
                .map_err(|e| format!("Error from server ({}): {}\n", e.reason.as_str(), e.message))
        } else {
            Ok(crate::sim::apiserver::patch::merge_patch(&obj.to_value(), &patch))
        };
        match result {
            Ok(v) => out.stdout.push_str(&print(&v, &mode, word)),
            Err(e) => {
                out.stderr.push_str(&e);
                out.status = 1;
            }
        }
    }
    Ok(out)
}

/// A label value: empty, or at most 63 of `[A-Za-z0-9._-]`, alphanumeric at both ends.
fn valid_label_value(v: &str) -> bool {
    v.is_empty()
        || (v.len() <= 63
            && v.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            && v.starts_with(|c: char| c.is_ascii_alphanumeric())
            && v.ends_with(|c: char| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn label_sets_overwrites_and_removes_with_kubectl_words() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl run web --image=nginx");
        assert_eq!(Shell.run_line(&mut sim, "kubectl label pod web tier=front").stdout, "pod/web labeled\n");
        let out = Shell.run_line(&mut sim, "kubectl label pod web tier=back");
        assert_eq!(out.stderr, "error: 'tier' already has a value (front), and --overwrite is false\n");
        assert_eq!(Shell.run_line(&mut sim, "kubectl label pod web tier=back --overwrite").stdout, "pod/web labeled\n");
        assert_eq!(Shell.run_line(&mut sim, "kubectl label pod/web tier-").stdout, "pod/web unlabeled\n");
        assert_eq!(Shell.run_line(&mut sim, "kubectl label pod web run=web").stdout, "pod/web not labeled\n");
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl label pod web gone-").stdout,
            "label \"gone\" not found.\npod/web not labeled\n"
        );
        let pod = sim.store().get("Pod", Some("default"), "web").unwrap();
        assert_eq!(pod.label("tier"), None);
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl label pod web").stderr,
            "error: at least one label update is required\n"
        );
    }

    #[test]
    fn label_by_selector_and_all() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl run a --image=nginx --labels=app=x");
        Shell.run_line(&mut sim, "kubectl run b --image=nginx --labels=app=y");
        assert_eq!(Shell.run_line(&mut sim, "kubectl label pods -l app=x env=dev").stdout, "pod/a labeled\n");
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl label pods --all team=t").stdout,
            "pod/a labeled\npod/b labeled\n"
        );
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl label pods nope x=y").stderr,
            "Error from server (NotFound): pods \"nope\" not found\n"
        );
    }

    #[test]
    fn annotate_refuses_overwrites_with_its_own_message() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl create namespace shop");
        assert_eq!(Shell.run_line(&mut sim, "kubectl annotate ns shop owner=me").stdout, "namespace/shop annotated\n");
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl annotate ns shop owner=you").stderr,
            "error: --overwrite is false but found the following declared annotation(s): 'owner' already has a value (me)\n"
        );
        assert_eq!(Shell.run_line(&mut sim, "kubectl annotate ns shop owner-").stdout, "namespace/shop annotated\n");
    }
}
