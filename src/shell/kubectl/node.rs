//! `kubectl cordon|uncordon NODE…` and `kubectl taint nodes NODE KEY[=VALUE]:EFFECT|KEY[:EFFECT]-`.

use serde_json::{json, Value};

use super::create::{print, DryRun, Mode};
use super::flags::{self, boolean, value, Spec};
use super::targets::{resolve, Query};
use crate::shell::Output;
use crate::sim::apiserver::{self, patch::PatchType};
use crate::sim::Sim;

const CORDON: &[Spec] = &[value("selector").short('l')];
const TAINT: &[Spec] = &[boolean("overwrite"), value("selector").short('l'), boolean("all")];

/// Sets `spec.unschedulable` on the named nodes: `node/x cordoned`, or `already cordoned`.
pub fn cordon(sim: &mut Sim, args: &[String], on: bool) -> Output {
    let verb = if on { "cordon" } else { "uncordon" };
    let result = (|| -> Result<Output, String> {
        let flags = flags::parse(args, CORDON, &format!("kubectl {verb}"))?;
        let mode = Mode::from_flags(&flags, "default")?;
        let mut words = vec!["nodes".to_string()];
        words.extend(flags.args.iter().cloned());
        if flags.args.is_empty() && flags.get("selector").is_none() {
            return Err(format!("error: USAGE: {verb} NODE [flags]\nSee 'kubectl {verb} -h' for help and examples\n"));
        }
        let nodes = resolve(sim, &Query { words: &words, selector: flags.get("selector"), all: false }, "")?;
        let mut out = Output::default();
        for node in nodes {
            out.stdout.push_str(&set_unschedulable(sim, node.name(), on, mode.dry_run)?);
        }
        Ok(out)
    })();
    result.unwrap_or_else(|e| Output::err(e, 1))
}

/// Cordons or uncordons one node; the line kubectl prints for it.
pub fn set_unschedulable(sim: &mut Sim, node: &str, on: bool, dry_run: DryRun) -> Result<String, String> {
    let Some(current) = sim.store().get("Node", None, node) else {
        return Err(format!("Error from server (NotFound): nodes \"{node}\" not found\n"));
    };
    let is_on = current.field("spec.unschedulable").and_then(Value::as_bool) == Some(true);
    let word = if on { "cordoned" } else { "uncordoned" };
    if is_on == on {
        return Ok(format!("node/{node} already {word}\n"));
    }
    if dry_run == DryRun::None {
        let body = json!({"spec": {"unschedulable": if on { json!(true) } else { Value::Null }}});
        apiserver::patch(sim, "Node", None, node, PatchType::Strategic, &body)
            .map_err(|e| format!("Error from server ({}): {}\n", e.reason.as_str(), e.message))?;
    }
    let suffix = match dry_run {
        DryRun::None => "",
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    };
    Ok(format!("node/{node} {word}{suffix}\n"))
}

/// One `KEY[=VALUE]:EFFECT` to add, or `KEY[:EFFECT]-` to remove.
struct TaintSpec {
    key: String,
    value: String,
    effect: String,
    remove: bool,
}

fn parse_taint(spec: &str) -> Result<TaintSpec, String> {
    let invalid = || format!("error: invalid taint spec: {spec}\n");
    if let Some(body) = spec.strip_suffix('-') {
        let (key, effect) = body.split_once(':').unwrap_or((body, ""));
        if !effect.is_empty() && !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
            return Err(format!("error: invalid taint effect: {effect}, unsupported taint effect\n"));
        }
        let key = key.split('=').next().unwrap_or(key);
        return Ok(TaintSpec { key: key.into(), value: String::new(), effect: effect.into(), remove: true });
    }
    let (kv, effect) = spec.rsplit_once(':').ok_or_else(invalid)?;
    if !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
        return Err(format!("error: invalid taint effect: {effect}, unsupported taint effect\n"));
    }
    let (key, value) = kv.split_once('=').unwrap_or((kv, ""));
    if key.is_empty() {
        return Err(invalid());
    }
    Ok(TaintSpec { key: key.into(), value: value.into(), effect: effect.into(), remove: false })
}

/// Runs `kubectl taint nodes NODE… SPEC…`.
pub fn taint(sim: &mut Sim, args: &[String]) -> Output {
    let result = (|| -> Result<Output, String> {
        let flags = flags::parse(args, TAINT, "kubectl taint")?;
        let mode = Mode::from_flags(&flags, "default")?;
        let (specs, words): (Vec<String>, Vec<String>) =
            flags.args.iter().cloned().partition(|w| w.contains(':') || w.contains('=') || w.ends_with('-'));
        if specs.is_empty() {
            return Err("error: at least one taint update is required\n".into());
        }
        // Spec errors are usage errors: kubectl adds its help hint.
        let taints = specs
            .iter()
            .map(|s| parse_taint(s))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("{e}See 'kubectl taint -h' for help and examples\n"))?;
        if let Some(w) = words.first() {
            let ty = w.split('/').next().unwrap_or(w);
            if !matches!(ty, "node" | "nodes" | "no") {
                return Err(format!("error: invalid resource type {ty}, only node types are supported\n"));
            }
        }
        let q = Query { words: &words, selector: flags.get("selector"), all: flags.on("all") };
        let nodes = resolve(sim, &q, "")?;
        let mut out = Output::default();
        for node in nodes {
            let mut list: Vec<Value> = node.field("spec.taints").and_then(Value::as_array).cloned().unwrap_or_default();
            let (mut added, mut removed) = (false, false);
            for t in &taints {
                let same =
                    |x: &Value| x["key"] == t.key.as_str() && (t.effect.is_empty() || x["effect"] == t.effect.as_str());
                if t.remove {
                    let before = list.len();
                    list.retain(|x| !same(x));
                    if list.len() == before {
                        let what = if t.effect.is_empty() { t.key.clone() } else { format!("{}:{}", t.key, t.effect) };
                        return Err(format!("error: taint \"{what}\" not found\n"));
                    }
                    removed = true;
                    continue;
                }
                if let Some(existing) = list.iter_mut().find(|x| same(x)) {
                    if !flags.on("overwrite") {
                        return Err(format!(
                            "error: node {} already has {} taint(s) with same effect(s) and --overwrite is false\n",
                            node.name(),
                            t.key
                        ));
                    }
                    *existing = taint_value(t);
                } else {
                    list.push(taint_value(t));
                }
                added = true;
            }
            let word = match (added, removed) {
                (true, true) => "modified",
                (true, false) => "tainted",
                _ => "untainted",
            };
            let body = json!({"spec": {"taints": if list.is_empty() { Value::Null } else { json!(list) }}});
            let after = if mode.dry_run == DryRun::None {
                apiserver::patch(sim, "Node", None, node.name(), PatchType::Merge, &body)
                    .map(|o| o.to_value())
                    .map_err(|e| format!("Error from server ({}): {}\n", e.reason.as_str(), e.message))?
            } else {
                crate::sim::apiserver::patch::merge_patch(&node.to_value(), &body)
            };
            out.stdout.push_str(&print(&after, &mode, word));
        }
        Ok(out)
    })();
    result.unwrap_or_else(|e| Output::err(e, 1))
}

fn taint_value(t: &TaintSpec) -> Value {
    let mut v = json!({"effect": t.effect, "key": t.key});
    if !t.value.is_empty() {
        v["value"] = json!(t.value);
    }
    v
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn cordon_and_uncordon_say_what_changed() {
        let mut sim = Sim::new(SimConfig::default());
        assert_eq!(Shell.run_line(&mut sim, "kubectl cordon node-1").stdout, "node/node-1 cordoned\n");
        assert_eq!(Shell.run_line(&mut sim, "kubectl cordon node-1").stdout, "node/node-1 already cordoned\n");
        let node = sim.store().get("Node", None, "node-1").unwrap();
        assert_eq!(node.field("spec.unschedulable"), Some(&serde_json::json!(true)));
        assert_eq!(Shell.run_line(&mut sim, "kubectl uncordon node-1").stdout, "node/node-1 uncordoned\n");
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl cordon nope").stderr,
            "Error from server (NotFound): nodes \"nope\" not found\n"
        );
    }

    #[test]
    fn taint_adds_and_removes_with_kubectl_messages() {
        let mut sim = Sim::new(SimConfig::default());
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl taint nodes node-1 gpu=true:NoSchedule").stdout,
            "node/node-1 tainted\n"
        );
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl taint nodes node-1 gpu=false:NoSchedule").stderr,
            "error: node node-1 already has gpu taint(s) with same effect(s) and --overwrite is false\n"
        );
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl taint node node-1 gpu:NoSchedule-").stdout,
            "node/node-1 untainted\n"
        );
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl taint node node-1 gpu-").stderr,
            "error: taint \"gpu\" not found\n"
        );
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl taint node node-1 a=b:Sometimes").stderr,
            "error: invalid taint effect: Sometimes, unsupported taint effect\nSee 'kubectl taint -h' for help and examples\n"
        );
    }
}
