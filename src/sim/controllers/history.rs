//! ControllerRevisions (upstream `pkg/controller/history`): the snapshots of a StatefulSet's or
//! DaemonSet's pod template that `kubectl rollout history|undo` read, and that let a
//! StatefulSet recreate a pod below its partition at the *current* revision.
//!
//! A revision is named `<owner>-<hash of the template>`, holds the template as upstream's
//! patch (`{"spec":{"template":{…,"$patch":"replace"}}}`), carries the owner's annotations
//! (so a change cause shows in the history) and a number; re-applying an older template
//! renumbers its revision as the newest instead of making a new one.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::context::Ctx;
use super::deployment::util::pod_template_hash;
use super::replicaset::{controller_of, controller_ref};
use crate::sim::api::Object;
use crate::sim::apiserver::Propagation;
use crate::sim::store::Store;

/// The label naming a pod's revision.
pub const REVISION_LABEL: &str = "controller-revision-hash";

/// The revisions `owner` controls, oldest first (by revision number, then name).
pub fn revisions_of(store: &Store, owner: &Object) -> Vec<Object> {
    let mut revs: Vec<Object> = store
        .list("ControllerRevision", owner.namespace())
        .filter(|r| controller_of(r).is_some_and(|c| c.uid == owner.uid()))
        .cloned()
        .collect();
    revs.sort_by(|a, b| number(a).cmp(&number(b)).then_with(|| a.name().cmp(b.name())));
    revs
}

/// A revision's number (`revision`).
pub fn number(rev: &Object) -> i64 {
    rev.body.get("revision").and_then(Value::as_i64).unwrap_or(0)
}

/// The pod template a revision holds.
pub fn template_of(rev: &Object) -> Value {
    let mut t = rev.body.get("data").map(|d| d["spec"]["template"].clone()).unwrap_or(Value::Null);
    if let Some(m) = t.as_object_mut() {
        m.remove("$patch");
    }
    t
}

/// The hash of `owner`'s current template, as its revision and pods name it.
pub fn hash_of(owner: &Object) -> String {
    let template = owner.field("spec.template").cloned().unwrap_or(Value::Null);
    let collisions = owner.field("status.collisionCount").and_then(Value::as_u64).unwrap_or(0);
    pod_template_hash(&template, u32::try_from(collisions).unwrap_or(0))
}

/// Makes sure the revision of `owner`'s current template exists and is the newest; returns
/// it. Old revisions past `spec.revisionHistoryLimit` that no live pod uses are deleted.
pub fn sync_update_revision(ctx: &mut Ctx, owner: &Object) -> Option<Object> {
    let template = owner.field("spec.template").cloned().unwrap_or(Value::Null);
    let hash = hash_of(owner);
    let name = format!("{}-{hash}", owner.name());
    let revs = revisions_of(ctx.store(), owner);
    let newest = revs.last().map_or(0, number);
    let mut data_template = template.clone();
    if let Some(m) = data_template.as_object_mut() {
        m.insert("$patch".into(), json!("replace"));
    }
    let data = json!({"spec": {"template": data_template}});
    let update = match revs.iter().find(|r| r.name() == name) {
        Some(r) if number(r) == newest => Some(r.clone()),
        Some(r) => {
            // The template went back to an older revision: it becomes the newest.
            let mut r = r.clone();
            r.body.insert("revision".into(), json!(newest + 1));
            r.metadata.resource_version = None;
            ctx.update_status(r).ok()
        }
        None => {
            let mut r = Object::new("apps/v1", "ControllerRevision", &name);
            r.metadata.namespace = owner.metadata.namespace.clone();
            let mut labels: BTreeMap<String, String> =
                serde_json::from_value(template["metadata"]["labels"].clone()).unwrap_or_default();
            labels.insert(REVISION_LABEL.into(), hash.clone());
            r.metadata.labels = Some(labels);
            r.metadata.annotations = owner.metadata.annotations.clone().filter(|a| !a.is_empty());
            r.metadata.owner_references = Some(vec![controller_ref(owner)]);
            r.body.insert("data".into(), data);
            r.body.insert("revision".into(), json!(newest + 1));
            ctx.create(r).ok()
        }
    };
    truncate(ctx, owner, update.as_ref().map(Object::name));
    update
}

/// Deletes the oldest revisions beyond the history limit, keeping `keep` and any revision a
/// pod of `owner` still runs (upstream `truncateHistory`).
fn truncate(ctx: &mut Ctx, owner: &Object, keep: Option<&str>) {
    let limit = owner.field("spec.revisionHistoryLimit").and_then(Value::as_u64).unwrap_or(10) as usize;
    let current = owner.field("status.currentRevision").and_then(Value::as_str).map(str::to_string);
    let live: Vec<String> = ctx
        .store()
        .list("Pod", owner.namespace())
        .filter(|p| controller_of(p).is_some_and(|c| c.uid == owner.uid()))
        .filter_map(|p| p.label(REVISION_LABEL).map(str::to_string))
        .collect();
    let old: Vec<Object> = revisions_of(ctx.store(), owner)
        .into_iter()
        .filter(|r| Some(r.name()) != keep && current.as_deref() != Some(r.name()))
        .filter(|r| !r.label(REVISION_LABEL).is_some_and(|h| live.iter().any(|l| l == h || l == r.name())))
        .collect();
    for r in old.iter().take(old.len().saturating_sub(limit)) {
        let _ = ctx.delete("ControllerRevision", r.namespace(), r.name(), Propagation::Background);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Sim, SimConfig};

    const DS: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels: {app: agent}\n  template:\n    metadata:\n      labels: {app: agent}\n    spec:\n      containers:\n      - name: a\n        image: nginx:1.27\n";

    #[test]
    fn a_template_change_makes_a_new_revision_and_going_back_renumbers_the_old_one() {
        let mut sim = Sim::new(SimConfig::default());
        let ds = sim.create(crate::manifest::parse(DS).unwrap().remove(0)).unwrap();
        let first = sync_update_revision(&mut Ctx::new(&mut sim, "daemonset-controller"), &ds).unwrap();
        assert_eq!(number(&first), 1);
        assert_eq!(template_of(&first), ds.field("spec.template").cloned().unwrap());
        let mut changed = ds.clone();
        changed.body["spec"]["template"]["spec"]["containers"][0]["image"] = json!("nginx:1.28");
        let second = sync_update_revision(&mut Ctx::new(&mut sim, "daemonset-controller"), &changed).unwrap();
        assert_eq!(number(&second), 2);
        assert_ne!(first.name(), second.name());
        let back = sync_update_revision(&mut Ctx::new(&mut sim, "daemonset-controller"), &ds).unwrap();
        assert_eq!((back.name(), number(&back)), (first.name(), 3));
        assert_eq!(revisions_of(sim.store(), &ds).len(), 2);
    }
}
