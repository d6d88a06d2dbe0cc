//! `kubectl delete TYPE NAME…` / `TYPE/NAME` / `-f FILE` and `kubectl scale`.
//!
//! Like kubectl's default `--wait`, delete returns once the objects are gone, which for a
//! running pod means after its graceful termination (simulated time passes meanwhile).
//! `--dry-run=client|server` prints what would go (`pod "x" deleted (dry run)`) and deletes
//! nothing.

use std::time::Duration;

use serde_json::json;

use super::apply::reference;
use crate::shell::files::Io;
use crate::shell::Output;
use crate::sim::api::discovery;
use crate::sim::apiserver::{self, patch::PatchType, Propagation};
use crate::sim::Sim;

/// The longest kubectl waits for a deletion here: a generous grace period.
const MAX_WAIT: Duration = Duration::from_secs(300);

fn targets(args: &[String]) -> Result<Vec<(String, String)>, String> {
    let words: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let mut out = Vec::new();
    if words.iter().all(|w| w.contains('/')) {
        for w in words {
            let (t, n) = w.split_once('/').expect("has a slash");
            out.push((t.to_string(), n.to_string()));
        }
    } else if let Some((ty, names)) = words.split_first() {
        if names.is_empty() {
            return Err("error: resource(s) were provided, but no name was specified\n".into());
        }
        for r in super::targets::expand_types(ty)? {
            out.extend(names.iter().map(|n| (r.plural.to_string(), n.to_string())));
        }
    }
    Ok(out)
}

/// Runs `kubectl delete …`.
pub fn run(sim: &mut Sim, io: &Io, args: &[String], namespace: &str) -> Output {
    let mut files = Vec::new();
    let mut plain = Vec::new();
    let mut wait = true;
    let mut grace: Option<i64> = None;
    let mut force = false;
    let mut selector: Option<String> = None;
    let (mut all, mut recursive) = (false, false);
    let mut propagation = Propagation::Background;
    // `--dry-run=client|server`: what would go, printed, and nothing deleted. (A bare
    // `--dry-run` and the boolean forms are rewritten before, with kubectl's warning.)
    let mut dry_run: Option<&str> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-f" | "--filename" => files.extend(it.next().cloned()),
            f if f.starts_with("--filename=") => files.push(f["--filename=".len()..].to_string()),
            "-l" | "--selector" => selector = it.next().cloned(),
            l if l.starts_with("--selector=") => selector = Some(l["--selector=".len()..].to_string()),
            l if l.starts_with("-l") && l.len() > 2 => selector = Some(l[2..].to_string()),
            "--all" | "--all=true" => all = true,
            "-R" | "--recursive" => recursive = true,
            "--wait=false" => wait = false,
            "--wait" | "--wait=true" => wait = true,
            "--now" => grace = Some(1),
            "--force" | "--force=true" => force = true,
            "--force=false" => force = false,
            "--cascade=orphan" => propagation = Propagation::Orphan,
            "--cascade=foreground" => propagation = Propagation::Foreground,
            "--cascade=background" | "--cascade" => propagation = Propagation::Background,
            g if g.starts_with("--grace-period=") => grace = g["--grace-period=".len()..].parse().ok(),
            d if d.starts_with("--dry-run=") => {
                dry_run = match &d["--dry-run=".len()..] {
                    "none" => None,
                    "client" => Some(" (dry run)"),
                    "server" => Some(" (server dry run)"),
                    other => {
                        return Output::err(
                            format!(
                            "error: Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\".\n"
                        ),
                            1,
                        )
                    }
                }
            }
            f if f.starts_with("--") => {
                return Output::err(format!("error: unknown flag: {f}\nSee 'kubectl delete --help' for usage.\n"), 1)
            }
            _ => plain.push(a.clone()),
        }
    }
    // kubectl's rules: `--force` alone deletes at once, `--grace-period=0` alone means 1 (no
    // immediate deletion by accident), and both with a grace period refuse.
    let grace = match (grace, force) {
        (Some(g), true) if g > 0 => {
            return Output::err("error: --force and --grace-period greater than 0 cannot be specified together\n", 1)
        }
        (None, true) => Some(0),
        (Some(g), true) => Some(g.max(0)),
        (Some(0), false) => Some(1),
        (g, false) => g,
    };
    let forced = grace == Some(0);
    let mut list: Vec<(String, Option<String>, String)> = Vec::new();
    let mut out = Output::default();
    let manifests = match super::apply::read_manifests(io, &files, recursive) {
        Ok(m) => m,
        Err(e) => return Output::err(e, 1),
    };
    for (_, text) in manifests {
        match crate::manifest::parse(&text) {
            Ok(objs) => {
                list.extend(objs.into_iter().map(|o| {
                    (o.kind.clone(), Some(o.namespace().unwrap_or(namespace).to_string()), o.name().to_string())
                }))
            }
            Err(e) => return Output::err(format!("error: {e}\n"), 1),
        }
    }
    if selector.is_some() || all {
        let q = super::targets::Query { words: &plain, selector: selector.as_deref(), all };
        match super::targets::resolve(sim, &q, namespace) {
            Ok(objs) => list.extend(
                objs.into_iter().map(|o| (o.kind.clone(), o.namespace().map(str::to_string), o.name().to_string())),
            ),
            // "No resources found" is what kubectl says, on stderr, and it is no failure.
            Err(e) if e.starts_with("No resources found") => return with_force_warning(forced, Output::err(e, 0)),
            Err(e) => return Output::err(e, 1),
        }
        plain.clear();
    }
    match targets(&plain) {
        Ok(t) => {
            for (ty, name) in t {
                let Some(r) = discovery::lookup_name(&ty) else {
                    return Output::err(format!("error: the server doesn't have a resource type \"{ty}\"\n"), 1);
                };
                list.push((r.kind.to_string(), r.namespaced.then(|| namespace.to_string()), name));
            }
        }
        Err(e) => return Output::err(e, 1),
    }
    if list.is_empty() {
        return Output::err("error: You must provide one or more resources by argument or filename.\n", 1);
    }
    let mut gone = Vec::new();
    // kubectl prints each deletion as it makes it, and the errors it met (as NotFound) all
    // together at the end, as it returns.
    let mut errors = Vec::new();
    let list: Vec<_> = list
        .into_iter()
        .map(|(kind, ns, name)| {
            let ns = discovery::preferred_for_kind(&kind).is_none_or(|r| r.namespaced).then_some(ns).flatten();
            let existed = sim.store().get(&kind, ns.as_deref(), &name).cloned();
            (kind, ns, name, existed)
        })
        .collect();
    for (kind, ns, name, existed) in list {
        if let Some(suffix) = dry_run {
            let server = suffix.contains("server");
            match apiserver::delete_dry_run(sim, &kind, ns.as_deref(), &name, server) {
                Ok(obj) => {
                    let r = reference(&obj);
                    let (ty, n) = r.split_once('/').unwrap_or((&r, ""));
                    let how = if forced { "force deleted" } else { "deleted" };
                    out.print(&format!("{ty} \"{n}\" {how}{suffix}\n"));
                }
                Err(e) => errors.push(e),
            }
            continue;
        }
        let result = match apiserver::delete_with_grace(sim, &kind, ns.as_deref(), &name, propagation, grace) {
            // SIM: the garbage collector here removes dependents at once; kubectl, a step
            // behind the real one, still finds a ReplicaSet whose Deployment it just deleted
            // (`delete all --all`) and reports it deleted.
            Err(e) if e.reason.as_str() == "NotFound" && existed.is_some() => Ok(existed.expect("checked")),
            other => other,
        };
        match result {
            Ok(obj) => {
                let r = reference(&obj);
                let (ty, n) = r.split_once('/').unwrap_or((&r, ""));
                let how = if forced { "force deleted" } else { "deleted" };
                out.print(&format!("{ty} \"{n}\" {how}\n"));
                gone.push((kind, ns, name, obj.uid().to_string()));
            }
            Err(e) => errors.push(e),
        }
    }
    // kubectl returns its errors before it would wait, so one missing name means no waiting for
    // the others to go.
    if wait && errors.is_empty() {
        let mut waited = Duration::ZERO;
        // Gone means no object of that name with that uid, as kubectl's wait compares uids: a
        // StatefulSet's pod comes back under the same name at once, and that is a new pod.
        let present = |sim: &Sim, (k, ns, n, uid): &(String, Option<String>, String, String)| {
            sim.store().get(k, ns.as_deref(), n).is_some_and(|o| o.uid() == uid)
        };
        while waited < MAX_WAIT && gone.iter().any(|g| present(sim, g)) {
            sim.advance(Duration::from_millis(500));
            waited += Duration::from_millis(500);
        }
    }
    for e in &errors {
        out.eprint(&format!("Error from server ({}): {}\n", e.reason.as_str(), e.message));
        out.status = 1;
    }
    with_force_warning(forced, out)
}

/// What kubectl warns first, while it checks its flags, when `--force` deletes at once.
fn with_force_warning(forced: bool, mut out: Output) -> Output {
    if forced {
        out.warn_first(
            "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. \
             The resource may continue to run on the cluster indefinitely.\n",
        );
    }
    out
}

/// Runs `kubectl scale TYPE NAME --replicas=N` (or `TYPE/NAME`).
pub fn scale(sim: &mut Sim, args: &[String], namespace: &str) -> Output {
    let specs = [super::flags::value("replicas"), super::flags::value("current-replicas")];
    let f = match super::flags::parse(args, &specs, "kubectl scale") {
        Ok(f) => f,
        Err(e) => return Output::err(e, 1),
    };
    if !f.has("replicas") {
        return Output::err("error: required flag(s) \"replicas\" not set\n", 1);
    }
    let (replicas, current) = match (f.int("replicas", 0), f.int("current-replicas", -1)) {
        (Ok(r), Ok(c)) => (r, (c >= 0).then_some(c)),
        (Err(e), _) | (_, Err(e)) => return Output::err(e, 1),
    };
    // kubectl checks the counts itself before asking the server.
    if replicas < 0 {
        return Output::err(
            "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n",
            1,
        );
    }
    if current.is_none() && f.int("current-replicas", -1).is_ok_and(|c| c < -1) {
        return Output::err("error: The --current-replicas must specify an integer of -1 or greater\n", 1);
    }
    let list = match targets(&f.args) {
        Ok(l) if !l.is_empty() => l,
        Ok(_) => return Output::err("error: resource(s) were provided, but no name was specified\n", 1),
        Err(e) => return Output::err(e, 1),
    };
    let mut out = Output::default();
    for (ty, name) in list {
        let Some(r) = discovery::lookup_name(&ty)
            .filter(|r| matches!(r.kind, "Deployment" | "ReplicaSet" | "StatefulSet" | "ReplicationController"))
        else {
            return Output::err("error: no objects passed to scale\n", 1);
        };
        // `--current-replicas` is a precondition: scale only from that count.
        if let (Some(want), Some(obj)) = (current, sim.store().get(r.kind, Some(namespace), &name)) {
            let was = obj.field("spec.replicas").and_then(serde_json::Value::as_i64).unwrap_or(1);
            if was != want {
                out.stderr.push_str(&format!("error: Expected replicas to be {want}, was {was}\n"));
                out.status = 1;
                continue;
            }
        }
        let body = json!({"spec": {"replicas": replicas}});
        match apiserver::patch(sim, r.kind, Some(namespace), &name, PatchType::Merge, &body) {
            Ok(obj) => out.stdout.push_str(&format!("{} scaled\n", reference(&obj))),
            Err(e) => {
                out.stderr.push_str(&format!("Error from server ({}): {}\n", e.reason.as_str(), e.message));
                out.status = 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn force_deletes_at_once_after_kubectls_warning() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = crate::shell::terminal::Terminal::default();
        t.run_line(&mut sim, "kubectl run box --image=nginx");
        t.run_line(&mut sim, "sleep 10");
        let out = t.run_line(&mut sim, "kubectl delete pod box --grace-period=0 --force");
        assert_eq!(
            out.shown(),
            "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. \
             The resource may continue to run on the cluster indefinitely.\npod \"box\" force deleted\n"
        );
        assert_eq!(
            t.run_line(&mut sim, "kubectl delete pod box --force 2>&1 >/dev/null | grep -c Warning").stdout,
            "1\n"
        );
        let out = t.run_line(&mut sim, "kubectl delete pod box --force --grace-period=5");
        assert_eq!(out.stderr, "error: --force and --grace-period greater than 0 cannot be specified together\n");
        assert_eq!(out.status, 1);
    }

    #[test]
    fn delete_and_scale_read_as_kubectl() {
        let mut sim = Sim::new(SimConfig::default());
        let d = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: nginx}]\n";
        sim.create(crate::manifest::parse(d).unwrap().remove(0)).unwrap();
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl scale deploy web --replicas=3").stdout,
            "deployment.apps/web scaled\n"
        );
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl scale deploy/web --replicas 3").stdout,
            "deployment.apps/web scaled\n"
        );
        Shell.run_line(&mut sim, "sleep 20");
        assert!(Shell.run_line(&mut sim, "kubectl get deploy").stdout.contains("web    3/3"));
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl scale deploy web --current-replicas=2 --replicas=5").stderr,
            "error: Expected replicas to be 2, was 3\n"
        );
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl delete deployment/web").stdout,
            "deployment.apps \"web\" deleted\n"
        );
        let out = Shell.run_line(&mut sim, "kubectl delete pod nope");
        assert_eq!(out.stderr, "Error from server (NotFound): pods \"nope\" not found\n");
        Shell.run_line(&mut sim, "sleep 5");
        assert_eq!(Shell.run_line(&mut sim, "kubectl get pods").stderr, "No resources found in default namespace.\n");
    }

    #[test]
    fn delete_by_selector_and_all() {
        let mut sim = Sim::new(crate::sim::SimConfig::default());
        let run = |sim: &mut Sim, l: &str| crate::shell::Shell.run_line(sim, l);
        run(&mut sim, "kubectl create deployment web --image=nginx --replicas=2; kubectl create deployment api --image=nginx; sleep 10");
        let out = run(&mut sim, "kubectl delete deploy -l app=api");
        assert_eq!(out.stdout, "deployment.apps \"api\" deleted\n");
        assert_eq!(
            run(&mut sim, "kubectl delete deploy -l app=none").stderr,
            "No resources found in default namespace.\n"
        );
        assert_eq!(run(&mut sim, "kubectl delete deploy --all").stdout, "deployment.apps \"web\" deleted\n");
        assert_eq!(run(&mut sim, "kubectl delete cm x --bogus").status, 1);
    }

    #[test]
    fn delete_takes_comma_separated_types_and_the_all_category() {
        let mut sim = Sim::new(crate::sim::SimConfig::default());
        let run = |sim: &mut Sim, l: &str| crate::shell::Shell.run_line(sim, l);
        run(&mut sim, "kubectl create deployment web --image=nginx --port=80; kubectl expose deploy web; kubectl create cm web --from-literal=a=b; kubectl label cm web app=web; sleep 10");
        let out = run(&mut sim, "kubectl delete deploy,svc,cm -l app=web");
        assert_eq!(
            out.stdout, "deployment.apps \"web\" deleted\nservice \"web\" deleted\nconfigmap \"web\" deleted\n",
            "{}",
            out.stderr
        );
        run(&mut sim, "kubectl create deployment api --image=nginx; kubectl create cm keep; sleep 10");
        let out = run(&mut sim, "kubectl delete all --all");
        let lines: Vec<&str> = out.stdout.lines().collect();
        assert!(lines[0].starts_with("pod \"api-"), "{}", out.stdout);
        assert!(lines.contains(&"service \"kubernetes\" deleted"), "{}", out.stdout);
        assert!(lines.contains(&"deployment.apps \"api\" deleted"), "{}", out.stdout);
        assert!(lines.last().unwrap().starts_with("replicaset.apps \"api-"), "{}{}", out.stdout, out.stderr);
        assert!(sim.store().get("ConfigMap", Some("default"), "keep").is_some(), "all is not every kind");
        let out = run(&mut sim, "kubectl delete svc,cm keep");
        assert_eq!(out.stdout, "configmap \"keep\" deleted\n");
        assert_eq!(out.stderr, "Error from server (NotFound): services \"keep\" not found\n");
    }

    #[test]
    fn dry_run_prints_what_would_go_and_deletes_nothing() {
        let mut sim = Sim::new(SimConfig::default());
        let run = |sim: &mut Sim, l: &str| Shell.run_line(sim, l);
        run(&mut sim, "kubectl run box --image=nginx; kubectl create cm web; sleep 10");
        let out = run(&mut sim, "kubectl delete pod box --dry-run=client");
        assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("pod \"box\" deleted (dry run)\n", ""));
        let out = run(&mut sim, "kubectl delete cm/web pod/box --dry-run=server");
        assert_eq!(out.stdout, "configmap \"web\" deleted (server dry run)\npod \"box\" deleted (server dry run)\n");
        let out = run(&mut sim, "kubectl delete pod box --force --dry-run=client");
        assert!(out.stdout.ends_with("pod \"box\" force deleted (dry run)\n"), "{}", out.stdout);
        assert!(out.stderr.starts_with("Warning: Immediate deletion"), "{}", out.stderr);
        assert_eq!(sim.now().as_millis(), 10_000, "a dry run waits for nothing");
        let out = run(&mut sim, "kubectl delete pod box --dry-run");
        assert_eq!(
            out.shown(),
            "W0101 00:00:10.000000    4242 helpers.go:702] --dry-run is deprecated and can be replaced with --dry-run=client.\n\
             pod \"box\" deleted (dry run)\n"
        );
        let out = run(&mut sim, "kubectl delete pod box --dry-run=bogus");
        assert_eq!(out.stderr, "error: Invalid dry-run value (bogus). Must be \"none\", \"server\", or \"client\".\n");
        assert_eq!(out.status, 1);
        // The server's checks still apply to a server dry run; a client one only looks.
        let out = run(&mut sim, "kubectl delete ns default --dry-run=server");
        assert_eq!(
            out.stderr,
            "Error from server (Forbidden): namespaces \"default\" is forbidden: this namespace may not be deleted\n"
        );
        assert_eq!(
            run(&mut sim, "kubectl delete ns default --dry-run=client").stdout,
            "namespace \"default\" deleted (dry run)\n"
        );
        let out = run(&mut sim, "kubectl delete pod nope box --dry-run=client");
        assert_eq!(
            out.shown(),
            "pod \"box\" deleted (dry run)\nError from server (NotFound): pods \"nope\" not found\n"
        );
        assert!(sim.store().get("Pod", Some("default"), "box").is_some());
        assert!(sim.store().get("ConfigMap", Some("default"), "web").is_some());
        assert_eq!(run(&mut sim, "kubectl delete pod box --dry-run=none").stdout, "pod \"box\" deleted\n");
        assert!(sim.store().get("Pod", Some("default"), "box").is_none());
    }

    #[test]
    fn errors_come_after_the_deletions_as_kubectl_returns_them() {
        let mut sim = Sim::new(SimConfig::default());
        let run = |sim: &mut Sim, l: &str| Shell.run_line(sim, l);
        run(&mut sim, "kubectl create cm a; kubectl create cm c; kubectl run box --image=nginx; sleep 10");
        let out = run(&mut sim, "kubectl delete cm nope a gone c");
        assert_eq!(
            out.shown(),
            "configmap \"a\" deleted\nconfigmap \"c\" deleted\n\
             Error from server (NotFound): configmaps \"nope\" not found\n\
             Error from server (NotFound): configmaps \"gone\" not found\n"
        );
        assert_eq!(out.status, 1);
        // An error returns before kubectl would wait for the pod's graceful termination.
        let t = sim.now();
        let out = run(&mut sim, "kubectl delete pod box nope");
        assert_eq!(out.shown(), "pod \"box\" deleted\nError from server (NotFound): pods \"nope\" not found\n");
        assert_eq!(sim.now(), t);
    }
}
