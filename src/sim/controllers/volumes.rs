//! The PersistentVolume controller and the cluster's default dynamic provisioner: claims bind
//! to matching volumes (storage class, capacity, access modes) or get a new volume from the
//! default StorageClass — when their first pod appears, as kind's `standard` class
//! (WaitForFirstConsumer) does. Released volumes are deleted or retained by reclaim policy.

use serde_json::{json, Value};

use super::context::Ctx;
use super::reconciler::{Action, Reconciler, Result};
use crate::sim::api::Object;
use crate::sim::events::EventType;
use crate::sim::quantity::Quantity;
use crate::sim::store::{ObjectKey, Store, WatchEvent};

/// The PersistentVolume controller (`persistentvolume-binder`), keyed by claim.
pub struct Volumes;

/// The one PersistentVolume controller.
pub static VOLUMES: Volumes = Volumes;

impl Reconciler for Volumes {
    fn name(&self) -> &'static str {
        "persistentvolume-binder"
    }

    fn component(&self) -> &'static str {
        "persistentvolume-controller"
    }

    fn kind(&self) -> &'static str {
        "PersistentVolumeClaim"
    }

    /// A volume queues every claim not yet bound; a pod queues the claims it mounts.
    fn watches(&self, store: &Store, ev: &WatchEvent) -> Vec<ObjectKey> {
        let o = &ev.object;
        match o.kind.as_str() {
            "PersistentVolume" => store
                .list("PersistentVolumeClaim", None)
                .filter(|c| c.field("status.phase").and_then(Value::as_str) != Some("Bound"))
                .map(ObjectKey::of)
                .collect(),
            "Pod" => o
                .field("spec.volumes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| v["persistentVolumeClaim"]["claimName"].as_str())
                .map(|c| ObjectKey {
                    kind: "PersistentVolumeClaim".into(),
                    namespace: o.namespace().unwrap_or("default").into(),
                    name: c.into(),
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn reconcile(&self, ctx: &mut Ctx, key: &ObjectKey) -> Result<Action> {
        if ctx.store().get_key(key).is_none() {
            release(ctx, key);
        } else {
            sync_claim(ctx, key);
        }
        Ok(Action::AwaitChange)
    }
}

fn storage(o: &Object, path: &str) -> i128 {
    o.field(path).and_then(Value::as_str).and_then(|s| Quantity::parse(s).ok()).map_or(0, |q| q.milli())
}

fn modes(o: &Object, path: &str) -> Vec<String> {
    o.field(path)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// Binds or provisions one claim.
pub fn sync_claim(ctx: &mut Ctx, key: &ObjectKey) {
    let Some(claim) = ctx.store().get_key(key).cloned() else { return };
    if claim.field("status.phase").and_then(Value::as_str) == Some("Bound")
        || claim.metadata.deletion_timestamp.is_some()
    {
        return;
    }
    let class = claim.field("spec.storageClassName").and_then(Value::as_str).map(str::to_string);
    let want = storage(&claim, "spec.resources.requests.storage");
    let want_modes = modes(&claim, "spec.accessModes");
    let matching = ctx
        .store()
        .list("PersistentVolume", None)
        .filter(|pv| {
            pv.field("status.phase").and_then(Value::as_str).is_none_or(|p| p == "Available")
                && pv.field("spec.claimRef").is_none()
        })
        .filter(|pv| {
            pv.field("spec.storageClassName").and_then(Value::as_str).map(str::to_string)
                == class.clone().filter(|c| !c.is_empty())
                || (class.as_deref() == Some("") && pv.field("spec.storageClassName").is_none())
        })
        .filter(|pv| storage(pv, "spec.capacity.storage") >= want)
        .filter(|pv| want_modes.iter().all(|m| modes(pv, "spec.accessModes").contains(m)))
        .min_by_key(|pv| storage(pv, "spec.capacity.storage"))
        .cloned();
    if let Some(pv) = matching {
        bind(ctx, &claim, pv);
        return;
    }
    let sc = class.as_deref().and_then(|c| ctx.store().get("StorageClass", None, c).cloned());
    let Some(sc) = sc else {
        let msg = match class.as_deref() {
            None | Some("") => "no persistent volumes available for this claim and no storage class is set".to_string(),
            Some(c) => format!("storageclass.storage.k8s.io \"{c}\" not found"),
        };
        ctx.record(
            &claim,
            EventType::Warning,
            if class.is_some() { "ProvisioningFailed" } else { "FailedBinding" },
            &msg,
        );
        return;
    };
    let wait = sc.body.get("volumeBindingMode").and_then(Value::as_str) == Some("WaitForFirstConsumer");
    let consumers: Vec<&Object> = ctx
        .store()
        .list("Pod", claim.namespace())
        .filter(|p| {
            p.field("spec.volumes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .any(|v| v["persistentVolumeClaim"]["claimName"] == claim.name())
        })
        .collect();
    // With WaitForFirstConsumer the scheduler picks the consumer's node first (the claim's
    // `volume.kubernetes.io/selected-node`), and the volume is made there.
    let selected_node =
        consumers.iter().find_map(|p| p.field("spec.nodeName").and_then(Value::as_str)).map(str::to_string);
    let used = !consumers.is_empty();
    if wait && used && selected_node.is_none() {
        return;
    }
    if wait && !used {
        ctx.record(
            &claim,
            EventType::Normal,
            "WaitForFirstConsumer",
            "waiting for first consumer to be created before binding",
        );
        return;
    }
    let provisioner =
        sc.body.get("provisioner").and_then(Value::as_str).unwrap_or(crate::sim::cluster::PROVISIONER).to_string();
    let ns = claim.namespace().unwrap_or("default").to_string();
    let msg = format!("External provisioner is provisioning volume for claim \"{ns}/{}\"", claim.name());
    let source = provisioner.as_str();
    ctx.record_as(source, &claim, EventType::Normal, "Provisioning", &msg);
    let name = format!("pvc-{}", claim.uid());
    let mut pv = Object::new("v1", "PersistentVolume", &name);
    pv.metadata.annotations = Some([("pv.kubernetes.io/provisioned-by".to_string(), provisioner.clone())].into());
    let request = claim.field("spec.resources.requests.storage").cloned().unwrap_or(json!("1Gi"));
    pv.body.insert(
        "spec".into(),
        json!({"accessModes": want_modes, "capacity": {"storage": request}, "hostPath": {"path": format!("/var/local-path-provisioner/{name}_{ns}_{}", claim.name()), "type": "DirectoryOrCreate"},
               "persistentVolumeReclaimPolicy": sc.body.get("reclaimPolicy").cloned().unwrap_or(json!("Delete")),
               "storageClassName": sc.name(), "volumeMode": "Filesystem"}),
    );
    if let (true, Some(node)) = (wait, &selected_node) {
        // The local-path provisioner's volumes are directories on one node: pods using them
        // must run there.
        pv.body["spec"]["nodeAffinity"] = json!({"required": {"nodeSelectorTerms": [{"matchExpressions": [
            {"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}]}]}});
    }
    if let Ok(pv) = ctx.create(pv) {
        let msg = format!("Successfully provisioned volume {name}");
        ctx.record_as(source, &claim, EventType::Normal, "ProvisioningSucceeded", &msg);
        bind(ctx, &claim, pv);
    }
}

fn bind(ctx: &mut Ctx, claim: &Object, mut pv: Object) {
    let capacity = pv.field("spec.capacity").cloned().unwrap_or(json!({}));
    let access = pv.field("spec.accessModes").cloned().unwrap_or(json!([]));
    if let Some(spec) = pv.body.get_mut("spec") {
        spec["claimRef"] = json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "name": claim.name(),
                                  "namespace": claim.namespace(), "uid": claim.uid(), "resourceVersion": claim.metadata.resource_version});
    }
    pv.body.insert("status".into(), json!({"phase": "Bound"}));
    pv.metadata.resource_version = None;
    let pv_name = pv.name().to_string();
    if ctx.update_status(pv).is_err() {
        return;
    }
    let Some(mut c) = ctx.store().get_key(&ObjectKey::of(claim)).cloned() else { return };
    if let Some(spec) = c.body.get_mut("spec") {
        spec["volumeName"] = json!(pv_name);
    }
    c.body.insert("status".into(), json!({"phase": "Bound", "accessModes": access, "capacity": capacity}));
    let ann = c.metadata.annotations.get_or_insert_with(Default::default);
    ann.insert("pv.kubernetes.io/bind-completed".into(), "yes".into());
    c.metadata.resource_version = None;
    let _ = ctx.update_status(c);
}

/// A deleted claim releases the volume bound to it: deleted (reclaim Delete) or kept Released
/// (Retain), as upstream's volume sync does when a volume's claim is gone.
fn release(ctx: &mut Ctx, claim: &ObjectKey) {
    let bound: Vec<Object> = ctx
        .store()
        .list("PersistentVolume", None)
        .filter(|pv| {
            pv.field("spec.claimRef.namespace").and_then(Value::as_str) == Some(claim.namespace.as_str())
                && pv.field("spec.claimRef.name").and_then(Value::as_str) == Some(claim.name.as_str())
                && pv.field("status.phase").and_then(Value::as_str) == Some("Bound")
        })
        .cloned()
        .collect();
    for mut pv in bound {
        if pv.field("spec.persistentVolumeReclaimPolicy").and_then(Value::as_str) == Some("Delete") {
            let _ = ctx.delete_internal("PersistentVolume", None, pv.name());
        } else {
            pv.body.insert("status".into(), json!({"phase": "Released"}));
            pv.metadata.resource_version = None;
            let _ = ctx.update_status(pv);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::manifest;
    use crate::sim::apiserver::Propagation;
    use crate::sim::{Sim, SimConfig};

    const PVC: &str = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n";
    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - {name: c, image: nginx, volumeMounts: [{name: d, mountPath: /data}]}\n  volumes:\n  - {name: d, persistentVolumeClaim: {claimName: data}}\n";

    fn phase(sim: &Sim, kind: &str, ns: Option<&str>, name: &str) -> Value {
        sim.store().get(kind, ns, name).and_then(|o| o.field("status.phase").cloned()).unwrap_or(Value::Null)
    }

    #[test]
    fn claim_waits_for_its_first_consumer_then_is_provisioned_and_bound() {
        let mut sim = Sim::new(SimConfig::default());
        let pvc = sim.create(manifest::parse(PVC).unwrap().remove(0)).unwrap();
        assert_eq!(pvc.field("spec.storageClassName"), Some(&json!("standard")), "the default class is filled in");
        sim.advance(Duration::from_secs(5));
        assert_eq!(phase(&sim, "PersistentVolumeClaim", Some("default"), "data"), Value::Null);
        sim.create(manifest::parse(POD).unwrap().remove(0)).unwrap();
        sim.advance(Duration::from_secs(5));
        assert_eq!(phase(&sim, "PersistentVolumeClaim", Some("default"), "data"), json!("Bound"));
        let pv_name = format!("pvc-{}", pvc.uid());
        assert_eq!(phase(&sim, "PersistentVolume", None, &pv_name), json!("Bound"));
        sim.delete("Pod", Some("default"), "app", Propagation::Background).unwrap();
        sim.advance(Duration::from_secs(1));
        sim.delete("PersistentVolumeClaim", Some("default"), "data", Propagation::Background).unwrap();
        sim.advance(Duration::from_secs(1));
        assert!(sim.store().get("PersistentVolume", None, &pv_name).is_none(), "reclaim policy Delete");
    }

    #[test]
    fn claim_binds_to_a_matching_static_volume() {
        let mut sim = Sim::new(SimConfig::default());
        let pv = "apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: small\nspec:\n  storageClassName: manual\n  capacity: {storage: 5Gi}\n  accessModes: [ReadWriteOnce]\n  hostPath: {path: /mnt/data}\n";
        sim.create(manifest::parse(pv).unwrap().remove(0)).unwrap();
        sim.create(manifest::parse(&PVC.replace("spec:\n", "spec:\n  storageClassName: manual\n")).unwrap().remove(0))
            .unwrap();
        sim.advance(Duration::from_secs(1));
        assert_eq!(phase(&sim, "PersistentVolumeClaim", Some("default"), "data"), json!("Bound"));
        let claim = sim.store().get("PersistentVolumeClaim", Some("default"), "data").unwrap();
        assert_eq!(claim.field("spec.volumeName"), Some(&json!("small")));
        assert_eq!(claim.field("status.capacity.storage"), Some(&json!("5Gi")));
    }
}
