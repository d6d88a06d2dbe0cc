//! `kubectl rollout status|history|undo|restart|pause|resume deployment/NAME`.

use std::time::Duration;

use serde_json::{json, Value};

use crate::shell::Output;
use crate::sim::apiserver::{self, patch::PatchType};
use crate::sim::controllers::deployment::{owned_replica_sets, replicas, revision};
use crate::sim::Sim;

/// The longest `rollout status` waits (simulated) before giving up.
// SIM: kubectl's default is to wait for ever; a terminal line must end.
const STATUS_WAIT: Duration = Duration::from_secs(600);

fn int(v: Option<&Value>) -> i64 {
    v.and_then(Value::as_i64).unwrap_or(0)
}

/// Runs `kubectl rollout …`.
pub fn run(sim: &mut Sim, args: &[String], namespace: &str) -> Output {
    let words: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let to_revision = args.iter().find_map(|a| a.strip_prefix("--to-revision=")).and_then(|r| r.parse::<i64>().ok());
    let (verb, target) = match words.as_slice() {
        [v, t] if t.contains('/') => {
            (v.as_str(), t.split_once('/').map(|(a, b)| (a.to_string(), b.to_string())).unwrap_or_default())
        }
        [v, t, n] => (v.as_str(), (t.to_string(), n.to_string())),
        _ => return Output::err("error: required resource not specified\n", 1),
    };
    if !matches!(target.0.as_str(), "deployment" | "deployments" | "deploy" | "deployment.apps") {
        return Output::err(format!("error: no rollout support for {}\n", target.0), 1);
    }
    let name = target.1;
    let Some(d) = sim.store().get("Deployment", Some(namespace), &name).cloned() else {
        return Output::err(format!("Error from server (NotFound): deployments.apps \"{name}\" not found\n"), 1);
    };
    match verb {
        "status" => {
            // `--timeout=0` (the default) waits for ever in kubectl; here at most STATUS_WAIT.
            let timeout = args
                .iter()
                .find_map(|a| a.strip_prefix("--timeout="))
                .and_then(super::wait::parse_duration)
                .filter(|d| !d.is_zero())
                .map_or(STATUS_WAIT, |d| d.min(STATUS_WAIT));
            status(sim, namespace, &name, timeout)
        }
        "history" => {
            let mut revs: Vec<i64> = owned_replica_sets(sim, &d).iter().map(revision).collect();
            revs.sort();
            let mut s = format!("deployment.apps/{name} \nREVISION  CHANGE-CAUSE\n");
            for r in revs {
                s.push_str(&format!("{r:<10}<none>\n"));
            }
            s.push('\n');
            Output::ok(s)
        }
        "undo" => {
            let mut rss = owned_replica_sets(sim, &d);
            rss.sort_by_key(revision);
            let current = rss.iter().map(revision).max().unwrap_or(0);
            let target_rs = match to_revision {
                Some(r) => rss.iter().find(|rs| revision(rs) == r),
                None => rss.iter().rev().find(|rs| revision(rs) < current),
            };
            let Some(rs) = target_rs else {
                return Output::err(
                    match to_revision {
                        Some(r) => format!("error: unable to find specified revision {r} in history\n"),
                        None => "error: no rollout history found for deployment \"".to_string() + &name + "\"\n",
                    },
                    1,
                );
            };
            let mut template = rs.field("spec.template").cloned().unwrap_or(Value::Null);
            if let Some(l) = template.pointer_mut("/metadata/labels").and_then(Value::as_object_mut) {
                l.remove("pod-template-hash");
            }
            let body = json!({"spec": {"template": template}});
            match apiserver::patch(sim, "Deployment", Some(namespace), &name, PatchType::Merge, &body) {
                Ok(_) => Output::ok(format!("deployment.apps/{name} rolled back\n")),
                Err(e) => Output::err(format!("error: {e}\n"), 1),
            }
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

/// Waits (in simulated time) for the rollout, printing kubectl's progress lines as they change.
fn status(sim: &mut Sim, namespace: &str, name: &str, timeout: Duration) -> Output {
    let mut out = Output::default();
    let mut last = String::new();
    let mut waited = Duration::ZERO;
    loop {
        let Some(d) = sim.store().get("Deployment", Some(namespace), name).cloned() else {
            return Output::err(format!("Error from server (NotFound): deployments.apps \"{name}\" not found\n"), 1);
        };
        let want = replicas(&d);
        let updated = int(d.field("status.updatedReplicas"));
        let total = int(d.field("status.replicas"));
        let available = int(d.field("status.availableReplicas"));
        let observed = d.field("status.observedGeneration").and_then(Value::as_i64) >= d.metadata.generation;
        let timed_out = d.field("status.conditions").and_then(Value::as_array).is_some_and(|cs| {
            cs.iter().any(|c| c["type"] == "Progressing" && c["reason"] == "ProgressDeadlineExceeded")
        });
        if timed_out {
            out.stderr.push_str(&format!("error: deployment \"{name}\" exceeded its progress deadline\n"));
            out.status = 1;
            return out;
        }
        let line = if !observed {
            "Waiting for deployment spec update to be observed...\n".to_string()
        } else if updated < want {
            format!("Waiting for deployment \"{name}\" rollout to finish: {updated} out of {want} new replicas have been updated...\n")
        } else if total > updated {
            format!(
                "Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...\n",
                total - updated
            )
        } else if available < updated {
            format!("Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available...\n")
        } else {
            out.stdout.push_str(&format!("deployment \"{name}\" successfully rolled out\n"));
            return out;
        };
        if line != last {
            out.stdout.push_str(&line);
            last = line;
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
}
