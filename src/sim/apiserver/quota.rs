//! The LimitRanger and ResourceQuota admission plugins, and the usage a quota counts.
//!
//! LimitRange fills in containers' default requests and limits and refuses those outside its
//! min/max; ResourceQuota refuses an object that would take the namespace past a hard limit,
//! with upstream's `exceeded quota: …, requested: …, used: …, limited: …` message.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{ApiError, Reason};
use crate::sim::api::{discovery, Object};
use crate::sim::quantity::Quantity;
use crate::sim::store::Store;
use crate::sim::Sim;

fn q(v: &Value) -> Option<Quantity> {
    match v {
        Value::String(s) => Quantity::parse(s).ok(),
        Value::Number(n) => Quantity::parse(&n.to_string()).ok(),
        _ => None,
    }
}

fn forbidden(resource: &str, name: &str, msg: String) -> ApiError {
    ApiError {
        reason: Reason::Forbidden,
        message: format!("{resource} \"{name}\" is forbidden: {msg}"),
        hints: Vec::new(),
    }
}

/// Applies the namespace's LimitRanges (type Container) to a new pod.
pub fn limit_ranger(sim: &Sim, pod: &mut Object, display: &str) -> Result<(), ApiError> {
    let ns = pod.namespace().unwrap_or("default").to_string();
    let ranges: Vec<Value> = sim
        .store()
        .list("LimitRange", Some(&ns))
        .flat_map(|lr| lr.field("spec.limits").and_then(Value::as_array).cloned().unwrap_or_default())
        .filter(|l| l["type"] == "Container")
        .collect();
    if ranges.is_empty() {
        return Ok(());
    }
    let Some(containers) = pod.body.get_mut("spec").and_then(|s| s.get_mut("containers")).and_then(Value::as_array_mut)
    else {
        return Ok(());
    };
    for c in containers.iter_mut() {
        for r in &ranges {
            for res in ["cpu", "memory"] {
                let resources = &mut c["resources"];
                if resources["limits"][res].is_null() && !r["default"][res].is_null() {
                    resources["limits"][res] = r["default"][res].clone();
                }
                if resources["requests"][res].is_null() {
                    let d = if r["defaultRequest"][res].is_null() {
                        resources["limits"][res].clone()
                    } else {
                        r["defaultRequest"][res].clone()
                    };
                    if !d.is_null() {
                        resources["requests"][res] = d;
                    }
                }
                let (lim, req) = (q(&resources["limits"][res]), q(&resources["requests"][res]));
                if let (Some(max), Some(l)) = (q(&r["max"][res]), lim) {
                    if l > max {
                        return Err(forbidden(
                            "pods",
                            display,
                            format!("maximum {res} usage per Container is {max}, but limit is {l}"),
                        ));
                    }
                }
                if let (Some(min), Some(rq)) = (q(&r["min"][res]), req) {
                    if rq < min {
                        return Err(forbidden(
                            "pods",
                            display,
                            format!("minimum {res} usage per Container is {min}, but request is {rq}"),
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// What one object counts against quota names (`pods`, `requests.cpu`, `count/deployments.apps`, …).
pub fn usage_of(obj: &Object) -> BTreeMap<String, Quantity> {
    let mut u = BTreeMap::new();
    let plural = discovery::preferred_for_kind(&obj.kind).map(|r| {
        if r.group().is_empty() {
            r.plural.to_string()
        } else {
            format!("{}.{}", r.plural, r.group())
        }
    });
    if let Some(p) = &plural {
        u.insert(format!("count/{p}"), Quantity::from_units(1));
    }
    match obj.kind.as_str() {
        "Pod" => {
            if matches!(obj.field("status.phase").and_then(Value::as_str), Some("Succeeded" | "Failed")) {
                return BTreeMap::new();
            }
            u.insert("pods".into(), Quantity::from_units(1));
            for c in obj.field("spec.containers").and_then(Value::as_array).into_iter().flatten() {
                for (section, res) in
                    [("requests", "cpu"), ("requests", "memory"), ("limits", "cpu"), ("limits", "memory")]
                {
                    if let Some(v) = q(&c["resources"][section][res]) {
                        *u.entry(format!("{section}.{res}")).or_insert(Quantity(0)) =
                            Quantity(u.get(&format!("{section}.{res}")).map_or(0, |x| x.0) + v.0);
                    }
                }
            }
            for (alias, of) in [("cpu", "requests.cpu"), ("memory", "requests.memory")] {
                if let Some(v) = u.get(of).copied() {
                    u.insert(alias.into(), v);
                }
            }
        }
        "Service" => {
            u.insert("services".into(), Quantity::from_units(1));
            match obj.field("spec.type").and_then(Value::as_str) {
                Some("NodePort") => {
                    u.insert("services.nodeports".into(), Quantity::from_units(1));
                }
                Some("LoadBalancer") => {
                    u.insert("services.loadbalancers".into(), Quantity::from_units(1));
                }
                _ => {}
            }
        }
        "ConfigMap" => {
            u.insert("configmaps".into(), Quantity::from_units(1));
        }
        "Secret" => {
            u.insert("secrets".into(), Quantity::from_units(1));
        }
        "PersistentVolumeClaim" => {
            u.insert("persistentvolumeclaims".into(), Quantity::from_units(1));
            if let Some(v) = obj.field("spec.resources.requests.storage").and_then(q) {
                u.insert("requests.storage".into(), v);
            }
        }
        "ReplicationController" => {
            u.insert("replicationcontrollers".into(), Quantity::from_units(1));
        }
        "ResourceQuota" => {
            u.insert("resourcequotas".into(), Quantity::from_units(1));
        }
        _ => {}
    }
    u
}

/// Total usage in a namespace.
pub fn namespace_usage(store: &Store, ns: &str) -> BTreeMap<String, Quantity> {
    let mut total: BTreeMap<String, Quantity> = BTreeMap::new();
    for key in store.keys_in_namespace(ns) {
        if let Some(o) = store.get_key(&key) {
            if o.metadata.deletion_timestamp.is_some() && o.kind == "Pod" {
                continue;
            }
            for (k, v) in usage_of(o) {
                total.entry(k).or_insert(Quantity(0)).0 += v.0;
            }
        }
    }
    total
}

/// One exceeded resource: (name, requested, used, limit).
type Over = (String, Quantity, Quantity, Quantity);

/// Refuses `obj` if it would exceed a ResourceQuota of its namespace.
pub fn admit(sim: &Sim, obj: &Object, resource: &str, display: &str) -> Result<(), ApiError> {
    let ns = obj.namespace().unwrap_or("default").to_string();
    let quotas: Vec<Object> = sim.store().list("ResourceQuota", Some(&ns)).cloned().collect();
    if quotas.is_empty() {
        return Ok(());
    }
    let wanted = usage_of(obj);
    let used = namespace_usage(sim.store(), &ns);
    for quota in quotas {
        let hard: BTreeMap<String, Value> =
            serde_json::from_value(quota.field("spec.hard").cloned().unwrap_or(json!({}))).unwrap_or_default();
        // A pod must state what a quota on compute resources counts.
        if obj.kind == "Pod" {
            let mut missing = Vec::new();
            for res in ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory", "cpu", "memory"] {
                if hard.contains_key(res) && !wanted.contains_key(res) {
                    let names: Vec<String> = obj
                        .field("spec.containers")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(|c| c["name"].as_str().map(str::to_string))
                        .collect();
                    missing.push(format!("{res} for: {}", names.join(",")));
                }
            }
            if !missing.is_empty() {
                return Err(forbidden(
                    resource,
                    display,
                    format!("failed quota: {}: must specify {}", quota.name(), missing.join("; ")),
                ));
            }
        }
        let mut over: Vec<Over> = Vec::new();
        for (res, limit) in &hard {
            let (Some(limit), Some(add)) = (q(limit), wanted.get(res)) else { continue };
            let now = used.get(res).copied().unwrap_or(Quantity(0));
            if now.0 + add.0 > limit.0 {
                over.push((res.clone(), *add, now, limit));
            }
        }
        if !over.is_empty() {
            let list = |pick: fn(&Over) -> Quantity| {
                over.iter().map(|o| format!("{}={}", o.0, pick(o))).collect::<Vec<_>>().join(",")
            };
            let msg = format!(
                "exceeded quota: {}, requested: {}, used: {}, limited: {}",
                quota.name(),
                list(|o| o.1),
                list(|o| o.2),
                list(|o| o.3)
            );
            return Err(forbidden(resource, display, msg));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::manifest;
    use crate::sim::{Sim, SimConfig};

    fn sim_with(yaml: &str) -> Sim {
        let mut sim = Sim::new(SimConfig::default());
        for o in manifest::parse(yaml).unwrap() {
            sim.create(o).unwrap();
        }
        sim
    }

    fn pod(name: &str, cpu: &str) -> crate::sim::api::Object {
        let text = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    resources: {{requests: {{cpu: {cpu}, memory: 64Mi}}, limits: {{cpu: {cpu}, memory: 64Mi}}}}\n");
        manifest::parse(&text).unwrap().remove(0)
    }

    #[test]
    fn quota_refuses_pods_past_the_hard_cpu_limit() {
        let mut sim = sim_with("apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: compute\nspec:\n  hard: {requests.cpu: '1', pods: '5'}\n");
        sim.create(pod("a", "600m")).unwrap();
        let err = sim.create(pod("b", "500m")).unwrap_err();
        assert_eq!(err.message, "pods \"b\" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=600m, limited: requests.cpu=1");
    }

    #[test]
    fn quota_on_compute_wants_requests_stated() {
        let mut sim = sim_with(
            "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: compute\nspec:\n  hard: {requests.memory: 1Gi}\n",
        );
        let bare = manifest::parse(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bare\nspec:\n  containers:\n  - {name: web, image: nginx}\n",
        )
        .unwrap()
        .remove(0);
        let err = sim.create(bare).unwrap_err();
        assert_eq!(
            err.message,
            "pods \"bare\" is forbidden: failed quota: compute: must specify requests.memory for: web"
        );
    }

    #[test]
    fn limit_range_defaults_and_maximums() {
        let mut sim = sim_with("apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: lr\nspec:\n  limits:\n  - type: Container\n    default: {cpu: 500m}\n    defaultRequest: {cpu: 100m}\n    max: {cpu: '1'}\n");
        let bare = manifest::parse(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bare\nspec:\n  containers:\n  - {name: web, image: nginx}\n",
        )
        .unwrap()
        .remove(0);
        let p = sim.create(bare).unwrap();
        let res = &p.field("spec.containers").unwrap()[0]["resources"];
        assert_eq!(
            (res["limits"]["cpu"].clone(), res["requests"]["cpu"].clone()),
            (serde_json::json!("500m"), serde_json::json!("100m"))
        );
        let err = sim.create(pod("big", "2")).unwrap_err();
        assert_eq!(err.message, "pods \"big\" is forbidden: maximum cpu usage per Container is 1, but limit is 2");
    }
}
