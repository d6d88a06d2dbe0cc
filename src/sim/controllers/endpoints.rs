//! The Endpoints and EndpointSlice controllers: for every Service with a selector, the
//! addresses of the pods it selects — ready ones serving, unready ones listed apart (or served
//! anyway with `publishNotReadyAddresses`) — following readiness as it changes. And the
//! service (cloud) controller's part for `type: LoadBalancer`: an external IP.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::context::Ctx;
use super::reconciler::{Action, Reconciler, Result};
use crate::sim::api::conditions::is_ready;
use crate::sim::api::Object;
use crate::sim::events::EventType;
use crate::sim::selector::matches_map;
use crate::sim::store::{ObjectKey, Store, WatchEvent};

/// The Endpoints and EndpointSlice controllers (`endpoints`), keyed by Service.
pub struct Endpoints;

/// The one Endpoints controller.
pub static ENDPOINTS: Endpoints = Endpoints;

impl Reconciler for Endpoints {
    fn name(&self) -> &'static str {
        "endpoints"
    }

    fn component(&self) -> &'static str {
        "endpoint-controller"
    }

    fn kind(&self) -> &'static str {
        "Service"
    }

    /// A pod queues the Services of its namespace whose selector matches it.
    fn watches(&self, store: &Store, ev: &WatchEvent) -> Vec<ObjectKey> {
        let o = &ev.object;
        if o.kind != "Pod" {
            return Vec::new();
        }
        let labels = o.metadata.labels.clone().unwrap_or_default();
        store
            .list("Service", o.namespace())
            .filter(|s| selector_of(s).is_some_and(|sel| matches_map(&sel, &labels)))
            .map(ObjectKey::of)
            .collect()
    }

    fn reconcile(&self, ctx: &mut Ctx, key: &ObjectKey) -> Result<Action> {
        sync_service(ctx, key);
        Ok(Action::AwaitChange)
    }
}

fn selector_of(svc: &Object) -> Option<BTreeMap<String, String>> {
    let sel: BTreeMap<String, String> = serde_json::from_value(svc.field("spec.selector")?.clone()).ok()?;
    (!sel.is_empty()).then_some(sel)
}

/// A Service port's target on a pod: a number, or a container port's name (None: not found).
fn target_port(port: &Value, pod: &Object) -> Option<u64> {
    let target = if port["targetPort"].is_null() { &port["port"] } else { &port["targetPort"] };
    if let Some(n) = target.as_u64() {
        return Some(n);
    }
    let name = target.as_str()?;
    pod.field("spec.containers")?
        .as_array()?
        .iter()
        .flat_map(|c| c["ports"].as_array().cloned().unwrap_or_default())
        .find(|p| p["name"] == name)?["containerPort"]
        .as_u64()
}

/// Reconciles the Endpoints, EndpointSlice and load balancer of one Service.
pub fn sync_service(ctx: &mut Ctx, key: &ObjectKey) {
    let Some(svc) = ctx.store().get_key(key).cloned() else {
        // The Service is gone; its Endpoints and slices go with it (owner references / GC).
        let _ = ctx.delete_internal("Endpoints", Some(&key.namespace), &key.name);
        return;
    };
    if svc.field("spec.type").and_then(Value::as_str) == Some("LoadBalancer") {
        ensure_load_balancer(ctx, &svc);
    }
    let Some(selector) = selector_of(&svc) else { return };
    let publish_unready = svc.field("spec.publishNotReadyAddresses").and_then(Value::as_bool) == Some(true);
    let ports: Vec<Value> = svc.field("spec.ports").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut pods: Vec<Object> = ctx
        .store()
        .list("Pod", svc.namespace())
        .filter(|p| matches_map(&selector, &p.metadata.labels.clone().unwrap_or_default()))
        .filter(|p| p.field("status.podIP").and_then(Value::as_str).is_some_and(|ip| !ip.is_empty()))
        .filter(|p| !matches!(p.field("status.phase").and_then(Value::as_str), Some("Succeeded" | "Failed")))
        .cloned()
        .collect();
    pods.sort_by(|a, b| {
        a.field("status.podIP").and_then(Value::as_str).cmp(&b.field("status.podIP").and_then(Value::as_str))
    });
    let address = |p: &Object| {
        json!({"ip": p.field("status.podIP").cloned().unwrap_or_default(),
               "nodeName": p.field("spec.nodeName").cloned().unwrap_or_default(),
               "targetRef": {"kind": "Pod", "name": p.name(), "namespace": p.namespace().unwrap_or("default"), "uid": p.uid()}})
    };
    let serving = |p: &Object| (is_ready(p) || publish_unready) && p.metadata.deletion_timestamp.is_none();
    let ready: Vec<Value> = pods.iter().filter(|p| serving(p)).map(address).collect();
    let unready: Vec<Value> = pods.iter().filter(|p| !serving(p)).map(address).collect();
    let ep_ports: Vec<Value> = ports
        .iter()
        .map(|p| {
            let mut out = json!({"port": pods.first().and_then(|pod| target_port(p, pod)).unwrap_or_else(|| p["port"].as_u64().unwrap_or(0)),
                                 "protocol": p["protocol"].as_str().unwrap_or("TCP")});
            if let Some(n) = p["name"].as_str() {
                out["name"] = json!(n);
            }
            out
        })
        .collect();
    let mut subset = json!({});
    if !ready.is_empty() {
        subset["addresses"] = json!(ready);
    }
    if !unready.is_empty() {
        subset["notReadyAddresses"] = json!(unready);
    }
    let subsets = if pods.is_empty() {
        Value::Null
    } else {
        subset["ports"] = json!(ep_ports);
        json!([subset])
    };
    write_endpoints(ctx, &svc, subsets);
    write_slice(ctx, &svc, &pods, &ep_ports, publish_unready);
}

fn owned_by(svc: &Object) -> Vec<k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference> {
    let mut r = crate::sim::api::controller_ref(svc);
    r.block_owner_deletion = Some(true);
    vec![r]
}

fn write_endpoints(ctx: &mut Ctx, svc: &Object, subsets: Value) {
    let ns = svc.namespace().unwrap_or("default");
    let existing = ctx.store().get("Endpoints", Some(ns), svc.name()).cloned();
    let mut ep = existing.clone().unwrap_or_else(|| {
        let mut e = Object::new("v1", "Endpoints", svc.name());
        e.metadata.namespace = Some(ns.to_string());
        e.metadata.labels = svc.metadata.labels.clone();
        e
    });
    if subsets.is_null() {
        ep.body.remove("subsets");
    } else {
        ep.body.insert("subsets".into(), subsets);
    }
    match existing {
        Some(old) if old.body == ep.body => {}
        Some(_) => {
            ep.metadata.resource_version = None;
            let _ = ctx.update_status(ep);
        }
        None => {
            let _ = ctx.create_internal(ep, true);
        }
    }
}

fn write_slice(ctx: &mut Ctx, svc: &Object, pods: &[Object], ports: &[Value], publish_unready: bool) {
    let ns = svc.namespace().unwrap_or("default").to_string();
    let existing = ctx
        .store()
        .list("EndpointSlice", Some(&ns))
        .find(|s| s.label("kubernetes.io/service-name") == Some(svc.name()))
        .cloned();
    let endpoints: Vec<Value> = pods
        .iter()
        .map(|p| {
            let terminating = p.metadata.deletion_timestamp.is_some();
            let ready = is_ready(p) && !terminating;
            json!({"addresses": [p.field("status.podIP").cloned().unwrap_or_default()],
                   "conditions": {"ready": ready || (publish_unready && !terminating), "serving": is_ready(p), "terminating": terminating},
                   "nodeName": p.field("spec.nodeName").cloned().unwrap_or_default(),
                   "targetRef": {"kind": "Pod", "name": p.name(), "namespace": ns, "uid": p.uid()}})
        })
        .collect();
    let mut slice = existing.clone().unwrap_or_else(|| {
        let mut s = Object::new("discovery.k8s.io/v1", "EndpointSlice", "");
        s.metadata.name = Some(format!("{}-{}", svc.name(), ctx.rng().name_suffix(5)));
        s.metadata.namespace = Some(ns.clone());
        let mut labels = svc.metadata.labels.clone().unwrap_or_default();
        labels.insert("kubernetes.io/service-name".into(), svc.name().into());
        labels.insert("endpointslice.kubernetes.io/managed-by".into(), "endpointslice-controller.k8s.io".into());
        s.metadata.labels = Some(labels);
        s.metadata.owner_references = Some(owned_by(svc));
        s
    });
    slice.body.insert("addressType".into(), json!("IPv4"));
    slice.body.insert("endpoints".into(), json!(endpoints));
    slice.body.insert("ports".into(), json!(ports));
    match existing {
        Some(old) if old.body == slice.body => {}
        Some(_) => {
            slice.metadata.resource_version = None;
            let _ = ctx.update_status(slice);
        }
        None => {
            let _ = ctx.create_internal(slice, true);
        }
    }
}

/// Gives a LoadBalancer Service an external IP from 172.18.255.200 up, as a kind cluster with
/// MetalLB (or a cloud) would, with the service controller's events.
/// The component of a load balancer's Events.
const SERVICE_CONTROLLER: &str = "service-controller";

fn ensure_load_balancer(ctx: &mut Ctx, svc: &Object) {
    if svc.field("status.loadBalancer.ingress").is_some() {
        return;
    }
    let used = ctx.store().list("Service", None).filter(|s| s.field("status.loadBalancer.ingress").is_some()).count();
    let ip = format!("172.18.255.{}", 200 + used % 55);
    ctx.record_as(SERVICE_CONTROLLER, svc, EventType::Normal, "EnsuringLoadBalancer", "Ensuring load balancer");
    let mut updated = svc.clone();
    updated.body.insert("status".into(), json!({"loadBalancer": {"ingress": [{"ip": ip, "ipMode": "VIP"}]}}));
    updated.metadata.resource_version = None;
    if let Ok(u) = ctx.update_status(updated) {
        ctx.record_as(SERVICE_CONTROLLER, &u, EventType::Normal, "EnsuredLoadBalancer", "Ensured load balancer");
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::manifest;
    use crate::sim::{Sim, SimConfig};

    const APP: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n  selector: {app: web}\n  ports:\n  - {name: http, port: 80, targetPort: http}\n---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      nodeName: node-1\n      containers:\n      - name: web\n        image: nginx:1.27\n        ports: [{name: http, containerPort: 8080}]\n";

    fn sim() -> Sim {
        let mut sim = Sim::new(SimConfig::default());
        for o in manifest::parse(APP).unwrap() {
            sim.create(o).unwrap();
        }
        sim
    }

    #[test]
    fn endpoints_list_only_ready_pods_with_resolved_target_ports() {
        let mut sim = sim();
        sim.advance(Duration::from_millis(1500));
        let ep = sim.store().get("Endpoints", Some("default"), "web").unwrap().clone();
        assert!(ep.body["subsets"][0]["addresses"].is_null(), "pulling: not ready yet");
        assert_eq!(ep.body["subsets"][0]["notReadyAddresses"].as_array().unwrap().len(), 2);
        sim.advance(Duration::from_secs(10));
        let ep = sim.store().get("Endpoints", Some("default"), "web").unwrap().clone();
        assert_eq!(ep.body["subsets"][0]["addresses"].as_array().unwrap().len(), 2);
        assert_eq!(ep.body["subsets"][0]["ports"], json!([{"name": "http", "port": 8080, "protocol": "TCP"}]));
        let slice = sim
            .store()
            .list("EndpointSlice", Some("default"))
            .find(|s| s.label("kubernetes.io/service-name") == Some("web"))
            .unwrap();
        assert_eq!(slice.body["endpoints"].as_array().unwrap().len(), 2);
        assert_eq!(slice.body["endpoints"][0]["conditions"]["ready"], true);
    }

    #[test]
    fn load_balancer_gets_an_external_ip() {
        let mut sim = sim();
        sim.advance(Duration::from_millis(10));
        let svc = sim.store().get("Service", Some("default"), "web").unwrap();
        assert_eq!(svc.field("status.loadBalancer.ingress").unwrap()[0]["ip"], "172.18.255.200");
    }

    #[test]
    fn a_pod_that_stops_being_ready_leaves_the_addresses() {
        let mut sim = sim();
        sim.advance(Duration::from_secs(12));
        let pod = sim.store().list("Pod", Some("default")).next().unwrap().name().to_string();
        let key = ObjectKey { kind: "Pod".into(), namespace: "default".into(), name: pod };
        crate::sim::kubelet::kill_container(&mut sim, &key, None, false).unwrap();
        sim.advance(Duration::from_millis(1));
        let key2 = key.clone();
        crate::sim::kubelet::kill_container(&mut sim, &key2, None, false).unwrap();
        sim.advance(Duration::from_millis(1));
        let ep = sim.store().get("Endpoints", Some("default"), "web").unwrap().clone();
        assert_eq!(ep.body["subsets"][0]["addresses"].as_array().unwrap().len(), 1);
        assert_eq!(ep.body["subsets"][0]["notReadyAddresses"].as_array().unwrap().len(), 1);
    }
}
