//! `kubectl describe node`: conditions, addresses, capacity, system info, the pods it runs with
//! their requests and limits, and what is allocated in total.

use serde_json::Value;

use super::{annotations_lines, events_section, labels_lines, render, rfc1123, time_field};
use crate::shell::kubectl::get::columns::{age, node_roles, scalar, text, Ctx};
use crate::sim::api::Object;
use crate::sim::quantity::Quantity;
use crate::sim::Sim;

pub fn describe(sim: &Sim, node: &Object) -> String {
    let mut s = format!("Name:\t{}\n", node.name());
    s.push_str(&format!("Roles:\t{}\n", node_roles(node)));
    s.push_str(&labels_lines("Labels", &node.metadata.labels));
    s.push_str(&annotations_lines("Annotations", &node.metadata.annotations));
    let created = crate::shell::kubectl::get::columns::created(node).map(rfc1123).unwrap_or_default();
    s.push_str(&format!("CreationTimestamp:\t{created}\n"));
    let mut taints: Vec<Value> = node.field("spec.taints").and_then(Value::as_array).cloned().unwrap_or_default();
    taints.sort_by_key(|t| format!("{},{}", scalar(&t["effect"]), scalar(&t["key"])));
    if taints.is_empty() {
        s.push_str("Taints:\t<none>\n");
    }
    for (i, t) in taints.iter().enumerate() {
        let value = scalar(&t["value"]);
        let taint = if value.is_empty() {
            format!("{}:{}", scalar(&t["key"]), scalar(&t["effect"]))
        } else {
            format!("{}={value}:{}", scalar(&t["key"]), scalar(&t["effect"]))
        };
        s.push_str(&if i == 0 { format!("Taints:\t{taint}\n") } else { format!("\t{taint}\n") });
    }
    let unschedulable = node.field("spec.unschedulable").and_then(Value::as_bool).unwrap_or(false);
    s.push_str(&format!("Unschedulable:\t{unschedulable}\n"));
    match sim.store().get("Lease", Some("kube-node-lease"), node.name()) {
        Some(lease) => {
            let field = |f: &str| lease.field(f).and_then(time_field).unwrap_or_else(|| "<unset>".into());
            let holder = lease.field("spec.holderIdentity").and_then(Value::as_str).unwrap_or("<unset>");
            s.push_str(&format!(
                "Lease:\n  HolderIdentity:\t{holder}\n  AcquireTime:\t{}\n  RenewTime:\t{}\n",
                field("spec.acquireTime"),
                field("spec.renewTime")
            ));
        }
        None => s.push_str(&format!(
            "Lease:\tFailed to get lease: leases.coordination.k8s.io \"{}\" not found\n",
            node.name()
        )),
    }
    let conds = node.field("status.conditions").and_then(Value::as_array).cloned().unwrap_or_default();
    if !conds.is_empty() {
        s.push_str("Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
        s.push_str("  ----\t------\t-----------------\t------------------\t------\t-------\n");
        for c in conds {
            s.push_str(&format!(
                "  {} \t{} \t{} \t{} \t{} \t{}\n",
                scalar(&c["type"]),
                scalar(&c["status"]),
                time_field(&c["lastHeartbeatTime"]).unwrap_or_default(),
                time_field(&c["lastTransitionTime"]).unwrap_or_default(),
                scalar(&c["reason"]),
                scalar(&c["message"])
            ));
        }
    }
    s.push_str("Addresses:\n");
    for a in node.field("status.addresses").and_then(Value::as_array).into_iter().flatten() {
        s.push_str(&format!("  {}:\t{}\n", scalar(&a["type"]), scalar(&a["address"])));
    }
    for (field, title) in [("status.capacity", "Capacity"), ("status.allocatable", "Allocatable")] {
        if let Some(m) = node.field(field).and_then(Value::as_object).filter(|m| !m.is_empty()) {
            s.push_str(&format!("{title}:\n"));
            for (k, v) in m {
                s.push_str(&format!("  {k}:\t{}\n", scalar(v)));
            }
        }
    }
    let info = |k: &str| text(node, &format!("status.nodeInfo.{k}"));
    s.push_str("System Info:\n");
    for (label, key) in [
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
        ("Kube-Proxy Version", "kubeProxyVersion"),
    ] {
        s.push_str(&format!("  {label}:\t{}\n", info(key)));
    }
    let cidr = text(node, "spec.podCIDR");
    if !cidr.is_empty() {
        s.push_str(&format!("PodCIDR:\t{cidr}\n"));
    }
    let cidrs: Vec<String> =
        node.field("spec.podCIDRs").and_then(Value::as_array).into_iter().flatten().map(scalar).collect();
    if !cidrs.is_empty() {
        s.push_str(&format!("PodCIDRs:\t{}\n", cidrs.join(",")));
    }
    let provider = text(node, "spec.providerID");
    if !provider.is_empty() {
        s.push_str(&format!("ProviderID:\t{provider}\n"));
    }
    s.push_str(&node_resources(sim, node));
    s.push_str(&events_section(sim, node));
    render(&s)
}

/// A pod's effective requests and limits for `resource`: the larger of the sum over its
/// containers (sidecars included) and any single init container, plus pod overhead
/// (upstream `resourcehelper.PodRequestsAndLimits`).
fn pod_request_and_limit(pod: &Object, resource: &str) -> (Quantity, Quantity) {
    let get = |c: &Value, kind: &str| Quantity::from_value(&c["resources"][kind][resource]).unwrap_or_default();
    let list = |f: &str| pod.field(f).and_then(Value::as_array).cloned().unwrap_or_default();
    let (mut req, mut lim) = (Quantity::default(), Quantity::default());
    let mut sidecar_req = Quantity::default();
    let mut sidecar_lim = Quantity::default();
    let (mut init_req, mut init_lim) = (Quantity::default(), Quantity::default());
    for c in list("spec.initContainers") {
        if c["restartPolicy"] == "Always" {
            sidecar_req.0 += get(&c, "requests").0;
            sidecar_lim.0 += get(&c, "limits").0;
            req.0 += get(&c, "requests").0;
            lim.0 += get(&c, "limits").0;
        } else {
            init_req = init_req.max(Quantity(sidecar_req.0 + get(&c, "requests").0));
            init_lim = init_lim.max(Quantity(sidecar_lim.0 + get(&c, "limits").0));
        }
    }
    for c in list("spec.containers") {
        req.0 += get(&c, "requests").0;
        lim.0 += get(&c, "limits").0;
    }
    let mut req = req.max(init_req);
    let mut lim = lim.max(init_lim);
    if let Some(o) = pod.field(&format!("spec.overhead.{resource}")).and_then(Value::as_str) {
        let o = Quantity::parse(o).unwrap_or_default();
        req.0 += o.0;
        if lim.0 > 0 {
            lim.0 += o.0;
        }
    }
    (req, lim)
}

/// A quantity as kubectl prints requests: CPU in cores or millicores, memory as given.
fn cpu_text(q: Quantity) -> String {
    if q.0 % 1000 == 0 {
        (q.0 / 1000).to_string()
    } else {
        format!("{}m", q.0)
    }
}

fn percent(part: Quantity, whole: Quantity) -> i128 {
    if whole.0 == 0 {
        0
    } else {
        part.0 * 100 / whole.0
    }
}

/// `Non-terminated Pods:` and `Allocated resources:`.
fn node_resources(sim: &Sim, node: &Object) -> String {
    let allocatable = |r: &str| {
        node.field(&format!("status.allocatable.{r}"))
            .or_else(|| node.field(&format!("status.capacity.{r}")))
            .and_then(Value::as_str)
            .and_then(|q| Quantity::parse(q).ok())
            .unwrap_or_default()
    };
    let pods: Vec<&Object> = sim
        .store()
        .list("Pod", None)
        .filter(|p| {
            p.field("spec.nodeName").and_then(Value::as_str) == Some(node.name())
                && !matches!(p.field("status.phase").and_then(Value::as_str), Some("Succeeded" | "Failed"))
        })
        .collect();
    let ctx = Ctx { sim, now: sim.now(), wide: false };
    let (cpu, mem) = (allocatable("cpu"), allocatable("memory"));
    let mut s = format!("Non-terminated Pods:\t({} in total)\n", pods.len());
    s.push_str("  Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
    s.push_str("  ---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
    let mut totals = [Quantity::default(); 6];
    for p in &pods {
        let (cr, cl) = pod_request_and_limit(p, "cpu");
        let (mr, ml) = pod_request_and_limit(p, "memory");
        let (er, el) = pod_request_and_limit(p, "ephemeral-storage");
        for (t, q) in totals.iter_mut().zip([cr, cl, mr, ml, er, el]) {
            t.0 += q.0;
        }
        s.push_str(&format!(
            "  {}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}\n",
            p.namespace().unwrap_or(""),
            p.name(),
            cpu_text(cr),
            percent(cr, cpu),
            cpu_text(cl),
            percent(cl, cpu),
            mr,
            percent(mr, mem),
            ml,
            percent(ml, mem),
            age(&ctx, p)
        ));
    }
    let eph = allocatable("ephemeral-storage");
    let [cr, cl, mr, ml, er, el] = totals;
    s.push_str("Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
    s.push_str("  Resource\tRequests\tLimits\n  --------\t--------\t------\n");
    s.push_str(&format!("  cpu\t{} ({}%)\t{} ({}%)\n", cpu_text(cr), percent(cr, cpu), cpu_text(cl), percent(cl, cpu)));
    s.push_str(&format!("  memory\t{mr} ({}%)\t{ml} ({}%)\n", percent(mr, mem), percent(ml, mem)));
    s.push_str(&format!("  ephemeral-storage\t{er} ({}%)\t{el} ({}%)\n", percent(er, eph), percent(el, eph)));
    let mut huge: Vec<&String> = node
        .field("status.allocatable")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|m| m.keys())
        .filter(|k| k.starts_with("hugepages-"))
        .collect();
    huge.sort();
    for h in huge {
        let (r, l) = pods.iter().fold((Quantity::default(), Quantity::default()), |(r, l), p| {
            let (pr, pl) = pod_request_and_limit(p, h);
            (Quantity(r.0 + pr.0), Quantity(l.0 + pl.0))
        });
        let whole = allocatable(h);
        s.push_str(&format!("  {h}\t{r} ({}%)\t{l} ({}%)\n", percent(r, whole), percent(l, whole)));
    }
    s
}
