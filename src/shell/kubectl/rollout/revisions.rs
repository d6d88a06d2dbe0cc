//! `kubectl rollout status|history|undo|restart` for StatefulSets and DaemonSets, whose
//! history is their ControllerRevisions (kubectl's `StatefulSetStatusViewer`,
//! `DaemonSetStatusViewer`, `ControllerRevision` history viewer and rollbackers).

use std::time::Duration;

use serde_json::json;

use crate::shell::Output;
use crate::sim::api::Object;
use crate::sim::apiserver::{self, patch::PatchType};
use crate::sim::controllers::history::{number, revisions_of, template_of};
use crate::sim::Sim;

/// `statefulset.apps` or `daemonset.apps`.
fn resource(kind: &str) -> &'static str {
    if kind == "StatefulSet" {
        "statefulset.apps"
    } else {
        "daemonset.apps"
    }
}

/// Waits (in simulated time) for the rollout, printing each new line; `timeout` zero prints once.
pub fn status(sim: &mut Sim, kind: &str, namespace: &str, name: &str, timeout: Duration, watch: bool) -> Output {
    let mut out = Output::default();
    let mut last = String::new();
    let mut waited = Duration::ZERO;
    loop {
        let Some(o) = sim.store().get(kind, Some(namespace), name).cloned() else {
            let plural = if kind == "StatefulSet" { "statefulsets.apps" } else { "daemonsets.apps" };
            return Output::err(format!("Error from server (NotFound): {plural} \"{name}\" not found\n"), 1);
        };
        let (line, done) = match crate::sim::api::conditions::rollout_progress(&o) {
            Ok(l) => l,
            Err(e) => return Output::err(format!("error: {e}\n"), 1),
        };
        if line != last {
            out.stdout.push_str(&line);
            last = line;
        }
        if done || !watch {
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

/// `rollout history`: REVISION / CHANGE-CAUSE from the revisions' annotations, or one
/// revision's pod template.
pub fn history(sim: &Sim, o: &Object, wanted: i64) -> Output {
    let head = format!("{}/{}", resource(&o.kind), o.name());
    let revs = revisions_of(sim.store(), o);
    if revs.is_empty() {
        return Output::ok(format!("{head} \nNo rollout history found.\n"));
    }
    if wanted > 0 {
        let Some(rev) = revs.iter().find(|r| number(r) == wanted) else {
            return Output::err("error: unable to find the specified revision\n", 1);
        };
        let text = crate::shell::kubectl::describe::pod_template_text(Some(&template_of(rev)));
        return Output::ok(format!("{head} with revision #{wanted}\n{text}\n"));
    }
    let mut table = String::from("REVISION\tCHANGE-CAUSE\n");
    for r in &revs {
        let cause = r.metadata.annotations.as_ref().and_then(|a| a.get("kubernetes.io/change-cause")).cloned();
        table.push_str(&format!("{}\t{}\n", number(r), cause.unwrap_or_else(|| "<none>".into())));
    }
    Output::ok(format!("{head} \n{}\n", crate::shell::kubectl::table::tabwrite(&table, 0, 2)))
}

/// `rollout undo`: the chosen revision's template goes back into the object.
pub fn undo(sim: &mut Sim, o: &Object, to_revision: i64) -> Output {
    let head = format!("{}/{}", resource(&o.kind), o.name());
    let not_found = || Output::err(format!("error: unable to find specified revision {to_revision} in history\n"), 1);
    if to_revision < 0 {
        return not_found();
    }
    let revs = revisions_of(sim.store(), o);
    if to_revision == 0 && revs.len() <= 1 {
        return Output::err("error: no last revision to roll back to\n", 1);
    }
    let chosen =
        if to_revision > 0 { revs.iter().find(|r| number(r) == to_revision) } else { revs.iter().rev().nth(1) };
    let Some(rev) = chosen else { return not_found() };
    let template = template_of(rev);
    if o.field("spec.template").map(crate::sim::api::without_nulls) == Some(crate::sim::api::without_nulls(&template)) {
        return Output::ok(format!(
            "{head} skipped rollback (current template already matches revision {to_revision})\n"
        ));
    }
    let mut updated = o.clone();
    updated.body.entry("spec").or_insert_with(|| json!({}))["template"] = template;
    updated.metadata.resource_version = None;
    match apiserver::update(sim, updated) {
        Ok(_) => Output::ok(format!("{head} rolled back\n")),
        Err(e) => Output::err(format!("error: failed restoring revision {to_revision}: {e}\n"), 1),
    }
}

/// `rollout restart`: a new template annotation, so every pod is replaced.
pub fn restart(sim: &mut Sim, o: &Object) -> Output {
    let stamp = sim.now().to_rfc3339();
    let body =
        json!({"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": stamp}}}}});
    match apiserver::patch(sim, &o.kind, o.namespace(), o.name(), PatchType::Strategic, &body) {
        Ok(_) => Output::ok(format!("{}/{} restarted\n", resource(&o.kind), o.name())),
        Err(e) => Output::err(format!("error: {e}\n"), 1),
    }
}
