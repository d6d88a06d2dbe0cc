//! `kubectl rollout status|history|undo|restart|pause|resume deployment/NAME`, and for
//! StatefulSets and DaemonSets (in `rollout/revisions.rs`).

mod revisions;

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{json, Value};

use super::flags::{self, Flags, Spec};
use crate::shell::Output;
use crate::sim::api::Object;
use crate::sim::apiserver::{self, patch::PatchType};
use crate::sim::controllers::deployment::{owned_replica_sets, revision};
use crate::sim::Sim;

/// The longest `rollout status` waits (simulated) before giving up.
// SIM: kubectl's default is to wait for ever; a terminal line must end.
const STATUS_WAIT: Duration = Duration::from_secs(600);

/// The flags each `rollout` verb reads, beyond the common ones.
fn specs(verb: &str) -> &'static [Spec] {
    const HISTORY: &[Spec] = &[flags::value("revision")];
    const UNDO: &[Spec] = &[flags::value("to-revision")];
    const STATUS: &[Spec] = &[flags::value("revision"), flags::value("timeout"), flags::boolean("watch").short('w')];
    match verb {
        "history" => HISTORY,
        "undo" => UNDO,
        "status" => STATUS,
        _ => &[],
    }
}

/// An integer flag of `rollout` (`--to-revision 1` or `--to-revision=1`), refused as pflag does.
fn int_flag(f: &Flags, long: &str) -> Result<i64, Output> {
    f.int(long, 0).map_err(|e| Output::err(e, 1))
}

/// Runs `kubectl rollout …`.
pub fn run(sim: &mut Sim, args: &[String], namespace: &str) -> Output {
    let verb = args.iter().find(|a| !a.starts_with('-')).map(String::as_str).unwrap_or("");
    let rest: Vec<String> = match args.iter().position(|a| a == verb) {
        Some(i) => args[..i].iter().chain(&args[i + 1..]).cloned().collect(),
        None => args.to_vec(),
    };
    let f = match flags::parse(&rest, specs(verb), &format!("kubectl rollout {verb}")) {
        Ok(f) => f,
        Err(e) => return Output::err(e, 1),
    };
    let target = match f.args.as_slice() {
        [t] if t.contains('/') => t.split_once('/').map(|(a, b)| (a.to_string(), b.to_string())).unwrap_or_default(),
        [t, n] => (t.to_string(), n.to_string()),
        _ => return Output::err("error: required resource not specified\n", 1),
    };
    let kind = crate::sim::api::discovery::lookup_name(&target.0).map(|r| r.kind);
    if let Some(kind @ ("StatefulSet" | "DaemonSet")) = kind {
        return revisioned(sim, kind, verb, &f, namespace, &target.1);
    }
    if kind != Some("Deployment") {
        return Output::err(format!("error: no rollout support for {}\n", target.0), 1);
    }
    let name = target.1;
    let Some(d) = sim.store().get("Deployment", Some(namespace), &name).cloned() else {
        return Output::err(format!("Error from server (NotFound): deployments.apps \"{name}\" not found\n"), 1);
    };
    match verb {
        "status" => {
            let revision = match int_flag(&f, "revision") {
                Ok(r) => r,
                Err(e) => return e,
            };
            let timeout = match status_timeout(&f) {
                Ok(t) => t,
                Err(e) => return e,
            };
            let watch = f.get("watch").is_none_or(|w| w == "true");
            status(sim, namespace, &name, revision, if watch { timeout } else { Duration::ZERO }, watch)
        }
        "history" => {
            let wanted = match int_flag(&f, "revision") {
                Ok(r) => r,
                Err(e) => return e,
            };
            history(sim, &d, wanted)
        }
        "undo" => {
            let to_revision = match int_flag(&f, "to-revision") {
                Ok(r) => r,
                Err(e) => return e,
            };
            undo(sim, &d, to_revision)
        }
        "restart" => {
            let stamp = sim.now().to_rfc3339();
            let body = json!({"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": stamp}}}}});
            match apiserver::patch(sim, "Deployment", Some(namespace), &name, PatchType::Strategic, &body) {
                Ok(_) => Output::ok(format!("deployment.apps/{name} restarted\n")),
                Err(e) => Output::err(format!("error: {e}\n"), 1),
            }
        }
        "pause" | "resume" => {
            let paused = verb == "pause";
            if d.field("spec.paused").and_then(Value::as_bool).unwrap_or(false) == paused {
                let state = if paused { "paused" } else { "resumed" };
                return Output::err(format!("error: deployments.apps \"{name}\" is already {state}\n"), 1);
            }
            let body = json!({"spec": {"paused": if paused { json!(true) } else { Value::Null }}});
            match apiserver::patch(sim, "Deployment", Some(namespace), &name, PatchType::Merge, &body) {
                Ok(_) => Output::ok(format!("deployment.apps/{name} {}\n", if paused { "paused" } else { "resumed" })),
                Err(e) => Output::err(format!("error: {e}\n"), 1),
            }
        }
        other => Output::err(format!("error: unknown command \"{other}\" for \"kubectl rollout\"\n"), 1),
    }
}

/// `--timeout` of `rollout status`: `0` (the default) waits for ever in kubectl; here at most
/// STATUS_WAIT.
fn status_timeout(f: &Flags) -> Result<Duration, Output> {
    // `--timeout=0` (the default) waits for ever in kubectl; here at most STATUS_WAIT.
    match f.get("timeout") {
        None => Ok(STATUS_WAIT),
        Some(t) => match super::duration::parse_flag("timeout", t) {
            Ok(d) if d.0 <= 0 => Ok(STATUS_WAIT),
            Ok(d) => Ok(d.to_std().min(STATUS_WAIT)),
            Err(e) => Err(Output::err(format!("Error: {e}\nSee 'kubectl rollout status --help' for usage.\n"), 1)),
        },
    }
}

/// `rollout` for a StatefulSet or DaemonSet.
fn revisioned(sim: &mut Sim, kind: &str, verb: &str, f: &Flags, namespace: &str, name: &str) -> Output {
    let plural = if kind == "StatefulSet" { "statefulsets.apps" } else { "daemonsets.apps" };
    let Some(o) = sim.store().get(kind, Some(namespace), name).cloned() else {
        return Output::err(format!("Error from server (NotFound): {plural} \"{name}\" not found\n"), 1);
    };
    match verb {
        "status" => {
            let timeout = match status_timeout(f) {
                Ok(t) => t,
                Err(e) => return e,
            };
            let watch = f.get("watch").is_none_or(|w| w == "true");
            revisions::status(sim, kind, namespace, name, if watch { timeout } else { Duration::ZERO }, watch)
        }
        "history" => match int_flag(f, "revision") {
            Ok(wanted) => revisions::history(sim, &o, wanted),
            Err(e) => e,
        },
        "undo" => match int_flag(f, "to-revision") {
            Ok(to) => revisions::undo(sim, &o, to),
            Err(e) => e,
        },
        "restart" => revisions::restart(sim, &o),
        "pause" | "resume" => {
            let what = if verb == "pause" { "pausing" } else { "resuming" };
            Output::err(format!("error: {plural} \"{name}\" {what} is not supported\n"), 1)
        }
        other => Output::err(format!("error: unknown command \"{other}\" for \"kubectl rollout\"\n"), 1),
    }
}

/// The ReplicaSets of `d` by revision, as kubectl's history viewer collects them.
fn revisions(sim: &Sim, d: &Object) -> BTreeMap<i64, Object> {
    owned_replica_sets(sim.store(), d).into_iter().map(|rs| (revision(&rs), rs)).collect()
}

/// `rollout history`: a REVISION / CHANGE-CAUSE table (the change cause is each ReplicaSet's
/// `kubernetes.io/change-cause`, which the Deployment controller copies from the Deployment),
/// or with `--revision=N` that revision's pod template as describe prints it.
fn history(sim: &Sim, d: &Object, wanted: i64) -> Output {
    let name = d.name();
    let revs = revisions(sim, d);
    if revs.is_empty() {
        return Output::ok(format!("deployment.apps/{name} \nNo rollout history found.\n"));
    }
    let cause = |rs: &Object| {
        rs.metadata.annotations.as_ref().and_then(|a| a.get(CHANGE_CAUSE)).filter(|c| !c.is_empty()).cloned()
    };
    if wanted > 0 {
        let Some(rs) = revs.get(&wanted) else {
            return Output::err("error: unable to find the specified revision\n", 1);
        };
        let mut template = rs.field("spec.template").cloned().unwrap_or(Value::Null);
        if let Some(c) = cause(rs) {
            template["metadata"]["annotations"][CHANGE_CAUSE] = json!(c);
        }
        // kubectl writes this section through no tabwriter: the tabs stay tabs.
        let text = super::describe::pod_template_text(Some(&template));
        return Output::ok(format!("deployment.apps/{name} with revision #{wanted}\n{text}\n"));
    }
    let mut table = String::from("REVISION\tCHANGE-CAUSE\n");
    for (r, rs) in &revs {
        table.push_str(&format!("{r}\t{}\n", cause(rs).unwrap_or_else(|| "<none>".into())));
    }
    Output::ok(format!("deployment.apps/{name} \n{}\n", super::table::tabwrite(&table, 0, 2)))
}

/// `rollout undo`: the Deployment gets the chosen revision's template (without its
/// pod-template-hash) and that ReplicaSet's annotations (its change cause), keeping its own
/// revision and last-applied annotations, as kubectl's DeploymentRollbacker does.
fn undo(sim: &mut Sim, d: &Object, to_revision: i64) -> Output {
    let name = d.name().to_string();
    if to_revision < 0 {
        return Output::err(format!("error: unable to find specified revision {to_revision} in history\n"), 1);
    }
    let revs = revisions(sim, d);
    let chosen = if to_revision > 0 {
        revs.get(&to_revision)
    } else {
        // The second newest revision.
        revs.values().rev().nth(1)
    };
    let Some(rs) = chosen else {
        return Output::err(
            if to_revision > 0 {
                format!("error: unable to find specified revision {to_revision} in history\n")
            } else {
                format!("error: no rollout history found for deployment \"{name}\"\n")
            },
            1,
        );
    };
    if d.field("spec.paused").and_then(Value::as_bool) == Some(true) {
        return Output::err(format!("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/{name}' and try again\n"), 1);
    }
    let sans_hash = |t: Option<&Value>| {
        let mut t = t.map(crate::sim::api::without_nulls).unwrap_or(Value::Null);
        if let Some(l) = t.pointer_mut("/metadata/labels").and_then(Value::as_object_mut) {
            l.remove("pod-template-hash");
        }
        t
    };
    let template = sans_hash(rs.field("spec.template"));
    if template == sans_hash(d.field("spec.template")) {
        return Output::ok(format!(
            "deployment.apps/{name} skipped rollback (current template already matches revision {to_revision})\n"
        ));
    }
    let mut annotations: BTreeMap<String, String> = d
        .metadata
        .annotations
        .iter()
        .flatten()
        .filter(|(k, _)| KEPT_ON_ROLLBACK.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (k, v) in rs.metadata.annotations.iter().flatten() {
        if !KEPT_ON_ROLLBACK.contains(&k.as_str()) {
            annotations.insert(k.clone(), v.clone());
        }
    }
    let mut updated = d.clone();
    updated.metadata.annotations = Some(annotations);
    updated.body.entry("spec").or_insert_with(|| json!({}))["template"] = template;
    updated.metadata.resource_version = None;
    match apiserver::update(sim, updated) {
        Ok(_) => Output::ok(format!("deployment.apps/{name} rolled back\n")),
        Err(e) => Output::err(format!("error: failed restoring revision {to_revision}: {e}\n"), 1),
    }
}

/// The annotation `kubectl rollout history` shows as CHANGE-CAUSE.
const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";

/// Annotations a rollback keeps from the Deployment rather than taking from the ReplicaSet.
const KEPT_ON_ROLLBACK: &[&str] = &[
    "kubectl.kubernetes.io/last-applied-configuration",
    "deployment.kubernetes.io/revision",
    "deployment.kubernetes.io/revision-history",
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
];

/// Waits (in simulated time) for the rollout, printing kubectl's progress lines as they change.
/// With `watch` false, prints the current line once (`--watch=false`); with `revision` > 0,
/// refuses a Deployment at another revision, as kubectl does.
fn status(sim: &mut Sim, namespace: &str, name: &str, revision: i64, timeout: Duration, watch: bool) -> Output {
    let mut out = Output::default();
    let mut last = String::new();
    let mut waited = Duration::ZERO;
    loop {
        let Some(d) = sim.store().get("Deployment", Some(namespace), name).cloned() else {
            return Output::err(format!("Error from server (NotFound): deployments.apps \"{name}\" not found\n"), 1);
        };
        if revision > 0 {
            let running = d.metadata.annotations.as_ref().and_then(|a| a.get("deployment.kubernetes.io/revision"));
            let running: i64 = running.and_then(|r| r.parse().ok()).unwrap_or(0);
            if running != revision {
                return Output::err(
                    format!(
                        "error: desired revision ({revision}) is different from the running revision ({running})\n"
                    ),
                    1,
                );
            }
        }
        let line = match crate::sim::api::conditions::rollout_progress(&d) {
            Ok((_, true)) => {
                out.stdout.push_str(&format!("deployment \"{name}\" successfully rolled out\n"));
                return out;
            }
            Ok((line, false)) => line,
            Err(e) => {
                out.stderr.push_str(&format!("error: {e}\n"));
                out.status = 1;
                return out;
            }
        };
        if line != last {
            out.stdout.push_str(&line);
            last = line;
        }
        if !watch {
            return out;
        }
        if waited >= timeout {
            out.stderr.push_str("error: timed out waiting for the condition\n");
            out.status = 1;
            return out;
        }
        sim.advance(Duration::from_millis(500));
        waited += Duration::from_millis(500);
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn rollout_status_history_and_undo() {
        let mut sim = Sim::new(SimConfig::default());
        let d = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: 'nginx:1.27'}]\n";
        sim.create(crate::manifest::parse(d).unwrap().remove(0)).unwrap();
        let out = Shell.run_line(&mut sim, "kubectl rollout status deployment/web");
        assert!(out.stdout.ends_with("deployment \"web\" successfully rolled out\n"), "{}", out.stdout);
        let body = serde_json::json!({"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.28"}]}}}});
        crate::sim::apiserver::patch(
            &mut sim,
            "Deployment",
            Some("default"),
            "web",
            crate::sim::apiserver::patch::PatchType::Strategic,
            &body,
        )
        .unwrap();
        Shell.run_line(&mut sim, "kubectl rollout status deploy web");
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl rollout history deployment/web").stdout,
            "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n"
        );
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl rollout undo deployment/web").stdout,
            "deployment.apps/web rolled back\n"
        );
        Shell.run_line(&mut sim, "kubectl rollout status deployment/web");
        let out = Shell.run_line(&mut sim, "kubectl get pods -o yaml");
        assert!(out.stdout.contains("image: nginx:1.27") && !out.stdout.contains("image: nginx:1.28"));
    }

    fn run(sim: &mut Sim, line: &str) -> crate::shell::Output {
        Shell.run_line(sim, line)
    }

    /// web at nginx:1.27 (revision 1, cause "first") then nginx:1.28 (revision 2, cause "bump").
    fn two_revisions() -> Sim {
        let mut sim = Sim::new(SimConfig::default());
        run(&mut sim, "kubectl create deployment web --image=nginx:1.27");
        run(&mut sim, "kubectl annotate deployment web kubernetes.io/change-cause=first");
        run(&mut sim, "sleep 20");
        run(&mut sim, "kubectl set image deployment/web nginx=nginx:1.28");
        run(&mut sim, "kubectl annotate deployment web kubernetes.io/change-cause=bump --overwrite");
        run(&mut sim, "kubectl rollout status deployment/web");
        sim
    }

    #[test]
    fn rollout_flags_take_their_value_after_a_space() {
        let mut sim = two_revisions();
        let out = run(&mut sim, "kubectl rollout undo deployment/web --to-revision 1");
        assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("deployment.apps/web rolled back\n", ""));
        let out = run(&mut sim, "kubectl rollout status deployment/web --timeout 60s");
        assert!(out.stdout.ends_with("deployment \"web\" successfully rolled out\n"), "{out:?}");
        let out = run(&mut sim, "kubectl rollout history deployment web --revision 3");
        assert!(out.stdout.starts_with("deployment.apps/web with revision #3\n"), "{out:?}");
        let out = run(&mut sim, "kubectl rollout status deploy/web --revision 2");
        assert_eq!(out.stderr, "error: desired revision (2) is different from the running revision (3)\n");
        let out = run(&mut sim, "kubectl rollout undo deployment/web --to-revision x");
        assert!(out.stderr.starts_with("Error: invalid argument \"x\" for \"--to-revision\" flag"), "{out:?}");
        let out = run(&mut sim, "kubectl rollout undo deployment/web --nope");
        assert_eq!(out.stderr, "Error: unknown flag: --nope\nSee 'kubectl rollout undo --help' for usage.\n");
    }

    #[test]
    fn rollout_history_shows_each_replica_sets_change_cause() {
        let mut sim = two_revisions();
        assert_eq!(
            run(&mut sim, "kubectl rollout history deployment/web").stdout,
            "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         first\n2         bump\n\n"
        );
        // Undo brings revision 1's cause back onto the Deployment; it becomes revision 3.
        run(&mut sim, "kubectl rollout undo deployment/web");
        run(&mut sim, "kubectl rollout status deployment/web");
        assert_eq!(
            run(&mut sim, "kubectl rollout history deployment/web").stdout,
            "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         bump\n3         first\n\n"
        );
        let out = run(&mut sim, "kubectl get rs -o jsonpath={.items[*].metadata.annotations}");
        assert!(out.stdout.contains(r#""deployment.kubernetes.io/revision-history":"1""#), "{}", out.stdout);
    }

    #[test]
    fn rollout_history_of_one_revision_prints_its_pod_template_with_raw_tabs() {
        let mut sim = two_revisions();
        let hash =
            run(&mut sim, "kubectl get rs -l app=web -o jsonpath={.items[1].metadata.labels.pod-template-hash}").stdout;
        assert_eq!(
            run(&mut sim, "kubectl rollout history deployment/web --revision=2").stdout,
            format!(
                "deployment.apps/web with revision #2\nPod Template:\n  Labels:\tapp=web\n\tpod-template-hash={hash}\n  Annotations:\tkubernetes.io/change-cause: bump\n  Containers:\n   nginx:\n    Image:\tnginx:1.28\n    Port:\t<none>\n    Host Port:\t<none>\n    Environment:\t<none>\n    Mounts:\t<none>\n  Volumes:\t<none>\n  Node-Selectors:\t<none>\n  Tolerations:\t<none>\n\n"
            )
        );
        assert_eq!(
            run(&mut sim, "kubectl rollout history deployment/web --revision=7").stderr,
            "error: unable to find the specified revision\n"
        );
    }
}
