//! `kubectl drain NODE [--ignore-daemonsets] [--delete-emptydir-data] [--force]`: cordon the
//! node, refuse (or warn about) the pods kubectl's drain filters name, evict the rest and wait
//! until they are gone, printing kubectl's lines as it goes.

use std::time::Duration;

use serde_json::Value;

use super::create::{DryRun, Mode};
use super::flags::{self, boolean, value, Spec};
use super::node::set_unschedulable;
use crate::shell::Output;
use crate::sim::api::Object;
use crate::sim::apiserver::{self, ApiError, Propagation};
use crate::sim::Sim;

const SPECS: &[Spec] = &[
    boolean("ignore-daemonsets"),
    boolean("delete-emptydir-data"),
    boolean("delete-local-data"),
    boolean("force"),
    value("grace-period"),
    value("timeout"),
    value("selector").short('l'),
];

/// How long drain waits for evicted pods when `--timeout` is not given.
// SIM: kubectl waits forever by default; a terminal must get its prompt back.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// The longest drain waits, whatever `--timeout` says: a day of simulated time.
const MAX_TIMEOUT: Duration = Duration::from_secs(86_400);

/// Evicts one pod. Kept as the one place drain removes pods, so the Eviction API (which checks
/// PodDisruptionBudgets) can replace it.
pub fn evict_pod(sim: &mut Sim, namespace: &str, name: &str, grace: Option<i64>) -> Result<(), ApiError> {
    match grace {
        // SIM: the Eviction's DeleteOptions carry the grace period upstream; the budget is
        // checked first either way.
        Some(g) => {
            apiserver::evict(sim, namespace, name)?;
            let _ = apiserver::delete_with_grace(sim, "Pod", Some(namespace), name, Propagation::Background, Some(g));
            Ok(())
        }
        None => apiserver::evict(sim, namespace, name),
    }
}

/// What drain's filters say about a pod.
enum Verdict {
    Delete,
    /// Deleted, with a warning kubectl prints (`deleting Pods with local storage`).
    Warn(&'static str),
    /// Left alone, with a warning (`ignoring DaemonSet-managed Pods`).
    SkipWarn(&'static str),
    Skip,
    Refuse(&'static str),
}

struct Options {
    ignore_daemonsets: bool,
    delete_emptydir: bool,
    force: bool,
}

/// kubectl's drain filters, in its order; the last one run decides, as in kubectl.
fn filter(pod: &Object, o: &Options) -> Verdict {
    let finished = matches!(pod.field("status.phase").and_then(Value::as_str), Some("Succeeded" | "Failed"));
    if pod.metadata.deletion_timestamp.is_some() {
        return Verdict::Skip;
    }
    let controller = pod.metadata.owner_references.iter().flatten().find(|r| r.controller == Some(true));
    if controller.is_some_and(|c| c.kind == "DaemonSet") {
        return if o.ignore_daemonsets {
            Verdict::SkipWarn("ignoring DaemonSet-managed Pods")
        } else {
            Verdict::Refuse("DaemonSet-managed Pods (use --ignore-daemonsets to ignore)")
        };
    }
    if pod.metadata.annotations.as_ref().is_some_and(|a| a.contains_key("kubernetes.io/config.mirror")) {
        return Verdict::Skip;
    }
    let mut verdict = Verdict::Delete;
    let empty_dir = pod
        .field("spec.volumes")
        .and_then(Value::as_array)
        .is_some_and(|vs| vs.iter().any(|v| v.get("emptyDir").is_some()));
    if empty_dir && !finished {
        if !o.delete_emptydir {
            return Verdict::Refuse("Pods with local storage (use --delete-emptydir-data to override)");
        }
        verdict = Verdict::Warn("deleting Pods with local storage");
    }
    if finished || controller.is_some() {
        return verdict;
    }
    if o.force {
        Verdict::Warn("deleting Pods that declare no controller")
    } else {
        Verdict::Refuse("Pods that declare no controller (use --force to override)")
    }
}

/// Messages with the pods they name, in first-seen order (kubectl groups by message).
fn grouped(items: &[(&'static str, String)]) -> Vec<String> {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for (msg, pod) in items {
        match groups.iter_mut().find(|(m, _)| m == msg) {
            Some((_, pods)) => pods.push(pod),
            None => groups.push((msg, vec![pod])),
        }
    }
    groups.into_iter().map(|(m, pods)| format!("{m}: {}", pods.join(", "))).collect()
}

/// Runs `kubectl drain NODE…`.
pub fn run(sim: &mut Sim, args: &[String]) -> Output {
    let flags = match flags::parse(args, SPECS, "kubectl drain") {
        Ok(f) => f,
        Err(e) => return Output::err(e, 1),
    };
    let mode = match Mode::from_flags(&flags, "default") {
        Ok(m) => m,
        Err(e) => return Output::err(e, 1),
    };
    let selector = flags.get("selector");
    if flags.args.is_empty() == selector.is_none() {
        let msg = if selector.is_some() {
            "cannot specify both a node name and a --selector option"
        } else {
            "USAGE: drain NODE [flags]"
        };
        // kubectl's usage errors carry a help hint.
        return Output::err(format!("error: {}\nSee 'kubectl drain -h' for help and examples\n", msg), 1);
    }
    let opts = Options {
        ignore_daemonsets: flags.on("ignore-daemonsets"),
        delete_emptydir: flags.on("delete-emptydir-data") || flags.on("delete-local-data"),
        force: flags.on("force"),
    };
    let grace = flags.get("grace-period").and_then(|g| g.parse::<i64>().ok()).filter(|g| *g >= 0);
    let timeout = match flags.get("timeout") {
        None | Some("0s") | Some("0") => DEFAULT_TIMEOUT,
        Some(t) => match super::duration::parse_flag("timeout", t) {
            // SIM: kubectl waits for ever on a negative timeout, and as long as asked otherwise;
            // here at most a day of simulated time, so no drain can run away.
            Ok(d) if d.is_negative() => MAX_TIMEOUT,
            Ok(d) if d.0 == 0 => DEFAULT_TIMEOUT,
            Ok(d) => d.to_std().min(MAX_TIMEOUT),
            Err(e) => return Output::err(format!("error: {e}\n"), 1),
        },
    };
    let mut out = Output::default();
    let names: Vec<String> = match selector {
        Some(sel) => {
            let words = ["nodes".to_string()];
            let q = super::targets::Query { words: &words, selector: Some(sel), all: false };
            match super::targets::resolve(sim, &q, "") {
                Ok(nodes) => nodes.iter().map(|n| n.name().to_string()).collect(),
                Err(e) => return Output::err(e, 1),
            }
        }
        None => {
            flags.args.iter().map(|a| a.trim_start_matches("node/").trim_start_matches("nodes/").to_string()).collect()
        }
    };
    for node in &names {
        match set_unschedulable(sim, node, true, mode.dry_run) {
            Ok(line) => out.stdout.push_str(&line),
            Err(e) => {
                out.stderr.push_str(&e);
                out.status = 1;
                return out;
            }
        }
    }
    let mut fatal = Vec::new();
    let mut remaining = Vec::new();
    for node in &names {
        match drain_node(sim, node, &opts, &mode, grace, timeout, &mut out) {
            Ok(()) => {
                let suffix = if mode.dry_run == DryRun::Client { " (dry run)" } else { "" };
                out.stdout.push_str(&format!("node/{node} drained{suffix}\n"));
            }
            Err(e) => {
                out.eprint(&format!(
                    "error: unable to drain node \"{node}\" due to error: {e}, continuing command...\n"
                ));
                fatal.push(e);
                remaining.push(node.clone());
            }
        }
    }
    if !remaining.is_empty() {
        out.stderr.push_str("There are pending nodes to be drained:\n");
        for n in &remaining {
            out.stderr.push_str(&format!(" {n}\n"));
        }
        let msg = if fatal.len() == 1 { fatal[0].clone() } else { format!("[{}]", fatal.join(", ")) };
        out.stderr.push_str(&format!("error: {msg}\n"));
        out.status = 1;
    }
    out
}

fn drain_node(
    sim: &mut Sim,
    node: &str,
    opts: &Options,
    mode: &Mode,
    grace: Option<i64>,
    timeout: Duration,
    out: &mut Output,
) -> Result<(), String> {
    let mut pods: Vec<Object> =
        sim.store().pods_on_node(node).iter().filter_map(|k| sim.store().get_key(k).cloned()).collect();
    pods.sort_by(|a, b| (a.namespace(), a.name()).cmp(&(b.namespace(), b.name())));
    let (mut warnings, mut errors, mut to_evict) = (Vec::new(), Vec::new(), Vec::new());
    for pod in &pods {
        let id = format!("{}/{}", pod.namespace().unwrap_or(""), pod.name());
        match filter(pod, opts) {
            Verdict::Delete => to_evict.push(pod),
            Verdict::Warn(m) => {
                warnings.push((m, id));
                to_evict.push(pod);
            }
            Verdict::SkipWarn(m) => warnings.push((m, id)),
            Verdict::Skip => {}
            Verdict::Refuse(m) => errors.push((m, id)),
        }
    }
    if !errors.is_empty() {
        let errs: Vec<String> = grouped(&errors).into_iter().map(|e| format!("cannot delete {e}")).collect();
        return Err(if errs.len() == 1 { errs[0].clone() } else { format!("[{}]", errs.join(", ")) });
    }
    if !warnings.is_empty() {
        out.eprint(&format!("Warning: {}\n", grouped(&warnings).join("; ")));
    }
    if mode.dry_run != DryRun::None {
        let suffix = if mode.dry_run == DryRun::Client { "dry run" } else { "server dry run" };
        for pod in &to_evict {
            out.stdout.push_str(&format!("evicting pod {}/{} ({suffix})\n", pod.namespace().unwrap_or(""), pod.name()));
        }
        return Ok(());
    }
    let mut waiting = Vec::new();
    for pod in &to_evict {
        let ns = pod.namespace().unwrap_or("").to_string();
        out.stdout.push_str(&format!("evicting pod {ns}/{}\n", pod.name()));
        // A budget that allows no disruption now refuses (429); kubectl retries every 5 s.
        let mut tries = 0;
        loop {
            match evict_pod(sim, &ns, pod.name(), grace) {
                Ok(()) => break,
                Err(e) if e.reason == crate::sim::apiserver::Reason::TooManyRequests && tries < 120 => {
                    tries += 1;
                    out.eprint(&format!(
                        "error when evicting pods/\"{}\" -n \"{ns}\" (will retry after 5s): {}\n",
                        pod.name(),
                        e.message
                    ));
                    sim.advance(Duration::from_secs(5));
                    out.stdout.push_str(&format!("evicting pod {ns}/{}\n", pod.name()));
                }
                Err(e) => {
                    return Err(format!("error when evicting pods/\"{}\" -n \"{ns}\": {}", pod.name(), e.message))
                }
            }
        }
        waiting.push((ns, pod.name().to_string(), pod.uid().to_string()));
    }
    let step = Duration::from_millis(500);
    let mut waited = Duration::ZERO;
    loop {
        // A pod is gone once no object with its uid is left (a controller may reuse the name).
        waiting.retain(|(ns, name, uid)| {
            let present = sim.store().get("Pod", Some(ns), name).is_some_and(|p| p.uid() == uid);
            if !present {
                out.stdout.push_str(&format!("pod/{name} evicted\n"));
            }
            present
        });
        if waiting.is_empty() {
            return Ok(());
        }
        if waited >= timeout {
            let secs = timeout.as_secs();
            return Err(format!("drain did not complete within {secs}s"));
        }
        sim.advance(step);
        waited += step;
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    fn pods_on(sim: &Sim, node: &str) -> Vec<String> {
        sim.store()
            .pods_on_node(node)
            .iter()
            .filter_map(|k| sim.store().get_key(k))
            .filter(|p| p.metadata.deletion_timestamp.is_none() && p.namespace() == Some("default"))
            .map(|p| p.name().to_string())
            .collect()
    }

    #[test]
    fn drain_cordons_evicts_and_reports_each_pod() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl create deployment web --image=nginx --replicas=6");
        Shell.run_line(&mut sim, "sleep 30");
        let victims = pods_on(&sim, "node-1");
        assert!(!victims.is_empty());
        let out = Shell.run_line(&mut sim, "kubectl drain node-1 --ignore-daemonsets");
        assert_eq!(out.status, 0, "{}", out.stderr);
        assert!(out.stdout.starts_with("node/node-1 cordoned\n"), "{}", out.stdout);
        for v in &victims {
            assert!(out.stdout.contains(&format!("evicting pod default/{v}\n")), "{}", out.stdout);
            assert!(out.stdout.contains(&format!("pod/{v} evicted\n")), "{}", out.stdout);
        }
        assert!(out.stdout.ends_with("node/node-1 drained\n"), "{}", out.stdout);
        assert!(pods_on(&sim, "node-1").is_empty());
        Shell.run_line(&mut sim, "sleep 30");
        assert_eq!(sim.store().list("Pod", Some("default")).count(), 6, "the ReplicaSet replaced them elsewhere");
        assert!(pods_on(&sim, "node-1").is_empty());
    }

    #[test]
    fn drain_refuses_unmanaged_pods_without_force() {
        let mut sim = Sim::new(SimConfig::default());
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: lone\nspec:\n  nodeName: node-2\n  containers:\n  - {name: c, image: nginx}\n";
        sim.create(crate::manifest::parse(pod).unwrap().remove(0)).unwrap();
        let out = Shell.run_line(&mut sim, "kubectl drain node-2");
        assert_eq!(out.stdout, "node/node-2 cordoned\n");
        assert_eq!(
            out.stderr,
            "error: unable to drain node \"node-2\" due to error: [cannot delete Pods that declare no controller (use --force to override): default/lone, cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/kube-proxy-jjmkf], continuing command...\nThere are pending nodes to be drained:\n node-2\nerror: [cannot delete Pods that declare no controller (use --force to override): default/lone, cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/kube-proxy-jjmkf]\n"
        );
        let out = Shell.run_line(&mut sim, "kubectl drain node-2 --force --ignore-daemonsets");
        assert_eq!(out.stderr, "Warning: deleting Pods that declare no controller: default/lone; ignoring DaemonSet-managed Pods: kube-system/kube-proxy-jjmkf\n");
        assert_eq!(
            out.stdout,
            "node/node-2 already cordoned\nevicting pod default/lone\npod/lone evicted\nnode/node-2 drained\n"
        );
    }

    #[test]
    fn drain_refuses_daemonset_pods_unless_told_to_ignore_them() {
        let mut sim = Sim::new(SimConfig::default());
        let ds = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec:\n      containers: [{name: a, image: nginx}]\n";
        sim.create(crate::manifest::parse(ds).unwrap().remove(0)).unwrap();
        Shell.run_line(&mut sim, "sleep 20");
        let agent = pods_on(&sim, "node-3").pop().expect("a daemon pod on node-3");
        let out = Shell.run_line(&mut sim, "kubectl drain node-3");
        assert!(
            out.stderr.starts_with(&format!("error: unable to drain node \"node-3\" due to error: cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/{agent}, kube-system/kube-proxy-4bz8b, continuing command...\n")),
            "{}",
            out.stderr
        );
        let out = Shell.run_line(&mut sim, "kubectl drain node-3 --ignore-daemonsets");
        assert_eq!(
            out.stderr,
            format!("Warning: ignoring DaemonSet-managed Pods: default/{agent}, kube-system/kube-proxy-4bz8b\n")
        );
        assert_eq!(out.stdout, "node/node-3 already cordoned\nnode/node-3 drained\n");
        assert_eq!(pods_on(&sim, "node-3"), [agent], "the daemon pod stays");
    }
}
