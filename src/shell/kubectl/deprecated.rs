//! The forms older courses type that kubectl 1.32 still takes with a warning: `--dry-run` with
//! no value or a boolean, `--cascade=true|false`, and `--record` (which writes the command line
//! into the `kubernetes.io/change-cause` annotation of what the command changed).
//!
//! They are rewritten into their current spelling before a verb reads its flags, so every verb
//! takes them the same way; the warnings go first on stderr, as kubectl prints them before it
//! acts.

use serde_json::json;

use crate::shell::Output;
use crate::sim::api::discovery;
use crate::sim::apiserver::{self, patch::PatchType};
use crate::sim::Sim;

/// The annotation `--record` writes, which `kubectl rollout history` shows.
pub const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

/// A command line after rewriting.
#[derive(Debug, Default)]
pub struct Rewritten {
    /// The verb's arguments in their current spelling.
    pub args: Vec<String>,
    /// What kubectl warns before it runs.
    pub warnings: String,
    /// `--record` was on: the change-cause to write into what the command changed.
    pub change_cause: Option<String>,
}

/// Verbs (with their subcommand) where kubectl 1.32 still has the hidden `--record` flag.
fn has_record(verb: &str, args: &[String]) -> bool {
    let sub = args.iter().find(|a| !a.starts_with('-')).map(String::as_str);
    match verb {
        "apply" | "scale" | "annotate" | "label" | "expose" | "patch" | "autoscale" | "run" => true,
        // `create -f` only: the generators (`create deployment …`) do not have it.
        "create" => !super::create::is_generator(args),
        "set" => matches!(sub, Some("image" | "resources" | "selector" | "serviceaccount" | "sa")),
        _ => false,
    }
}

/// A klog warning line as kubectl writes it (`W1202 00:44:22.962256   19184 helpers.go:702] …`).
// SIM: the time is the simulated clock's and the process id a fixed one.
fn klog_warning(sim: &Sim, line: u32, msg: &str) -> String {
    let now = sim.now();
    let (_, month, day, h, m, s, _) = now.civil();
    let micros = now.as_millis() % 1000 * 1000;
    format!("W{month:02}{day:02} {h:02}:{m:02}:{s:02}.{micros:06}    4242 helpers.go:{line}] {msg}\n")
}

/// Long names of the value-taking flags of the verbs that record, so that a change-cause names
/// `-f x.yaml` as `--filename=x.yaml` and knows a separate word is a flag's value.
const VALUE_FLAGS: &[&str] = &[
    "filename",
    "namespace",
    "output",
    "selector",
    "replicas",
    "current-replicas",
    "resource-version",
    "timeout",
    "port",
    "target-port",
    "name",
    "type",
    "protocol",
    "image",
    "labels",
    "env",
    "overrides",
    "patch",
    "max",
    "min",
    "cpu-percent",
    "limits",
    "requests",
    "containers",
    "field-manager",
    "context",
    "kubeconfig",
    "restart",
    "external-ip",
    "cluster-ip",
    "port-name",
    "session-affinity",
    "kustomize",
    "template",
    "dry-run",
];

fn long_of_short(c: char) -> Option<&'static str> {
    Some(match c {
        'f' => "filename",
        'n' => "namespace",
        'o' => "output",
        'l' => "selector",
        'p' => "patch",
        'c' => "containers",
        'k' => "kustomize",
        'R' => "recursive",
        'i' => "stdin",
        't' => "tty",
        'A' => "all-namespaces",
        _ => return None,
    })
}

/// kubectl's change-cause: `kubectl`, the words that are no flags, then each flag as
/// `--name=value` in the order given (`kubectl apply --filename=d.yaml --record=true`).
fn change_cause(verb: &str, args: &[String]) -> String {
    let mut words = vec![verb.to_string()];
    let mut flags = String::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--" {
            words.extend(it.by_ref().cloned());
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            match body.split_once('=') {
                Some((n, v)) => flags.push_str(&format!(" --{n}={v}")),
                None if VALUE_FLAGS.contains(&body) => {
                    flags.push_str(&format!(" --{body}={}", it.next().map_or("", String::as_str)))
                }
                None => flags.push_str(&format!(" --{body}=true")),
            }
        } else if a.len() > 1 && a.starts_with('-') {
            let mut chars = a[1..].chars();
            while let Some(c) = chars.next() {
                let long = long_of_short(c).unwrap_or("unknown");
                if VALUE_FLAGS.contains(&long) {
                    let rest: String = chars.by_ref().collect();
                    let v = if rest.is_empty() {
                        it.next().cloned().unwrap_or_default()
                    } else {
                        rest.trim_start_matches('=').to_string()
                    };
                    flags.push_str(&format!(" --{long}={v}"));
                } else {
                    flags.push_str(&format!(" --{long}=true"));
                }
            }
        } else {
            words.push(a.clone());
        }
    }
    format!("kubectl {}{flags}", words.join(" "))
}

/// Rewrites the deprecated forms in `args` (the words after `verb`); words after `--` are the
/// container's and left alone.
pub fn rewrite(sim: &Sim, verb: &str, args: &[String]) -> Rewritten {
    let mut out = Rewritten::default();
    let record_here = has_record(verb, args);
    let mut record = None;
    let mut dashed = false;
    for a in args {
        if dashed || a == "--" {
            dashed = true;
            out.args.push(a.clone());
            continue;
        }
        match a.as_str() {
            "--dry-run" => {
                out.warnings.push_str(&klog_warning(
                    sim,
                    702,
                    "--dry-run is deprecated and can be replaced with --dry-run=client.",
                ));
                out.args.push("--dry-run=client".into());
            }
            "--dry-run=true" => {
                out.warnings.push_str(&klog_warning(
                    sim,
                    716,
                    "--dry-run=true is deprecated (boolean value) and can be replaced with --dry-run=client.",
                ));
                out.args.push("--dry-run=client".into());
            }
            "--dry-run=false" => {
                out.warnings.push_str(&klog_warning(
                    sim,
                    719,
                    "--dry-run=false is deprecated (boolean value) and can be replaced with --dry-run=none.",
                ));
                out.args.push("--dry-run=none".into());
            }
            "--cascade=true" | "--cascade=false" if verb == "delete" => {
                let (was, now) = if a.ends_with("true") { ("true", "background") } else { ("false", "orphan") };
                out.warnings.push_str(&format!(
                    "warning: --cascade={was} is deprecated (boolean value) and can be replaced with --cascade={now}.\n"
                ));
                out.args.push(format!("--cascade={now}"));
            }
            "--record" | "--record=true" | "--record=false" if record_here => {
                if record.is_none() {
                    out.warnings
                        .push_str("Flag --record has been deprecated, --record will be removed in the future\n");
                }
                record = Some(a != "--record=false");
            }
            _ => out.args.push(a.clone()),
        }
    }
    let dry = out.args.iter().any(|a| a == "--dry-run=client" || a == "--dry-run=server");
    if record == Some(true) && !dry {
        out.change_cause = Some(change_cause(verb, args));
    }
    out
}

/// After the command ran: writes the change-cause into each object it named on stdout
/// (`deployment.apps/web image updated`), and puts the warnings first on stderr.
// SIM: kubectl sends the annotation with the change itself; here it is a second patch made
// before any simulated time passes, which controllers cannot tell apart.
pub fn finish(sim: &mut Sim, rewritten: Rewritten, namespace: &str, mut out: Output) -> Output {
    if let Some(cause) = &rewritten.change_cause {
        let refs: Vec<String> = out
            .stdout
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .filter(|w| w.contains('/'))
            .map(str::to_string)
            .collect();
        for r in refs {
            let (ty, name) = r.split_once('/').unwrap_or((&r, ""));
            let Some(res) = discovery::lookup_name(ty) else { continue };
            let ns = res.namespaced.then_some(namespace);
            if sim.store().get(res.kind, ns, name).is_none() {
                continue;
            }
            let body = json!({"metadata": {"annotations": {CHANGE_CAUSE: cause}}});
            // The change itself succeeded; a refused annotation is not worth failing it for.
            let _ = apiserver::patch(sim, res.kind, ns, name, PatchType::Merge, &body);
        }
    }
    out.warn_first(&rewritten.warnings);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::Shell;
    use crate::sim::SimConfig;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn a_change_cause_names_every_flag_by_its_long_name_in_the_order_given() {
        assert_eq!(
            change_cause("apply", &words("-f d.yaml --record")),
            "kubectl apply --filename=d.yaml --record=true"
        );
        assert_eq!(
            change_cause("set", &words("image deployment/web nginx=nginx:1.16.1 --record")),
            "kubectl set image deployment/web nginx=nginx:1.16.1 --record=true"
        );
        assert_eq!(
            change_cause("scale", &words("deploy web --replicas 3 --record -n lab")),
            "kubectl scale deploy web --replicas=3 --record=true --namespace=lab"
        );
    }

    #[test]
    fn a_bare_dry_run_warns_and_runs_as_client() {
        let mut sim = Sim::new(SimConfig::default());
        let out = Shell.run_line(&mut sim, "kubectl create deployment x --image=nginx --dry-run -o name");
        assert_eq!(out.stdout, "deployment.apps/x\n");
        assert_eq!(
            out.stderr,
            "W0101 00:00:00.000000    4242 helpers.go:702] --dry-run is deprecated and can be replaced with --dry-run=client.\n"
        );
        assert!(sim.store().get("Deployment", Some("default"), "x").is_none());
        // As pflag reads a flag with an optional value: the next word is no value of it.
        let out = Shell.run_line(&mut sim, "kubectl create deployment x --image=nginx --dry-run client");
        assert!(out.stderr.contains("error: exactly one NAME is required, got 2"), "{}", out.stderr);
        let out = Shell.run_line(&mut sim, "kubectl run p --image=nginx --dry-run=true -o name");
        assert_eq!(out.stdout, "pod/p\n");
        assert!(out.stderr.contains("--dry-run=true is deprecated (boolean value)"), "{}", out.stderr);
    }

    #[test]
    fn record_warns_and_writes_the_change_cause_that_rollout_history_shows() {
        let mut sim = Sim::new(SimConfig::default());
        let run = |sim: &mut Sim, l: &str| Shell.run_line(sim, l);
        run(&mut sim, "kubectl create deployment web --image=nginx:1.27; sleep 10");
        let out = run(&mut sim, "kubectl set image deployment/web nginx=nginx:1.28 --record");
        assert_eq!(out.stdout, "deployment.apps/web image updated\n");
        assert_eq!(out.stderr, "Flag --record has been deprecated, --record will be removed in the future\n");
        run(&mut sim, "sleep 30");
        let out = run(&mut sim, "kubectl rollout history deployment/web");
        assert!(
            out.stdout.contains("2         kubectl set image deployment/web nginx=nginx:1.28 --record=true\n"),
            "{}",
            out.stdout
        );
        let out = run(&mut sim, "kubectl scale deploy web --replicas=2 --record");
        assert_eq!(out.stdout, "deployment.apps/web scaled\n");
        let d = sim.store().get("Deployment", Some("default"), "web").unwrap();
        assert_eq!(
            d.metadata.annotations.as_ref().unwrap().get(CHANGE_CAUSE).map(String::as_str),
            Some("kubectl scale deploy web --replicas=2 --record=true")
        );
        // Where kubectl 1.32 has no --record, it is an unknown flag.
        let out = run(&mut sim, "kubectl create deployment api --image=nginx --record");
        assert!(out.stderr.starts_with("Error: unknown flag: --record"), "{}", out.stderr);
    }

    #[test]
    fn a_boolean_cascade_warns_and_maps_to_orphan_or_background() {
        let mut sim = Sim::new(SimConfig::default());
        let run = |sim: &mut Sim, l: &str| Shell.run_line(sim, l);
        run(&mut sim, "kubectl create deployment web --image=nginx; sleep 10");
        let out = run(&mut sim, "kubectl delete deploy web --cascade=false");
        assert_eq!(out.stdout, "deployment.apps \"web\" deleted\n");
        assert_eq!(
            out.stderr,
            "warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\n"
        );
        run(&mut sim, "sleep 10");
        assert_eq!(
            sim.store().list("ReplicaSet", Some("default")).count(),
            1,
            "the ReplicaSet is orphaned, not deleted"
        );
    }
}
