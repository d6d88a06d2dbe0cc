//! Service IP and port allocation, as the API server's Service registry does it: a ClusterIP
//! from the service CIDR (10.96.0.0/12, as kubeadm and kind configure it), NodePorts from
//! 30000–32767, with upstream's messages for addresses and ports already taken.

use serde_json::{json, Value};

use super::validation::FieldError;
use crate::sim::Sim;

/// The address of the `kubernetes` Service, the first of the range.
pub const KUBERNETES_SERVICE_IP: &str = "10.96.0.1";
const NODE_PORT_MIN: u64 = 30000;
const NODE_PORT_MAX: u64 = 32767;

/// A Service being updated: its own addresses and ports are not "taken".
type Own<'a> = Option<(&'a str, &'a str)>;

fn not_own(s: &crate::sim::api::Object, own: Own) -> bool {
    own.is_none_or(|(ns, name)| s.namespace() != Some(ns) || s.name() != name)
}

fn used_cluster_ips(sim: &Sim, own: Own) -> Vec<String> {
    sim.store()
        .list("Service", None)
        .filter(|s| not_own(s, own))
        .filter_map(|s| s.field("spec.clusterIP").and_then(Value::as_str).map(str::to_string))
        .collect()
}

fn used_node_ports(sim: &Sim, own: Own) -> Vec<u64> {
    sim.store()
        .list("Service", None)
        .filter(|s| not_own(s, own))
        .flat_map(|s| s.field("spec.ports").and_then(Value::as_array).cloned().unwrap_or_default())
        .filter_map(|p| p["nodePort"].as_u64())
        .collect()
}

/// Whether `ip` lies in the service CIDR: a Service's virtual address.
pub fn in_service_cidr(ip: &str) -> bool {
    let parts: Vec<u8> = ip.split('.').filter_map(|p| p.parse().ok()).collect();
    parts.len() == 4 && parts[0] == 10 && (96..112).contains(&parts[1])
}

/// Fills in `clusterIP`/`clusterIPs` and NodePorts of a new Service, or says why it cannot.
/// The cluster is single-stack IPv4: IPv6 families and required dual-stack are refused with
/// the API server's messages; PreferDualStack is accepted and gets IPv4 only.
pub fn check_ip_families(spec: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let policy = spec["ipFamilyPolicy"].as_str().unwrap_or("");
    if policy == "RequireDualStack" {
        errs.push(FieldError {
            path: "spec.ipFamilyPolicy".into(),
            detail: "Invalid value: \"RequireDualStack\": this cluster is not configured for dual-stack services"
                .into(),
        });
    }
    let families = spec["ipFamilies"].as_array().cloned().unwrap_or_default();
    for (i, f) in families.iter().enumerate() {
        let f = f.as_str().unwrap_or("");
        if f != "IPv4" {
            errs.push(FieldError {
                path: format!("spec.ipFamilies[{i}]"),
                detail: format!("Invalid value: \"{f}\": not configured on this cluster"),
            });
        }
    }
    if families.len() > 1 && (policy.is_empty() || policy == "SingleStack") && errs.is_empty() {
        let list: Vec<String> = families.iter().map(|f| format!("\"{}\"", f.as_str().unwrap_or(""))).collect();
        errs.push(FieldError {
            path: "spec.ipFamilies".into(),
            detail: format!("Invalid value: []core.IPFamily{{{}}}: when multiple IP families are specified, ipFamilyPolicy must be RequireDualStack or PreferDualStack", list.join(", ")),
        });
    }
    errs
}

/// Allocates a new Service's cluster IP and node ports.
pub fn allocate(sim: &mut Sim, spec: &mut Value, own: Own) -> Result<(), Vec<FieldError>> {
    let ty = spec["type"].as_str().unwrap_or("ClusterIP").to_string();
    let mut errs = check_ip_families(spec);
    if !errs.is_empty() {
        return Err(errs);
    }
    if spec["ipFamilyPolicy"] == "PreferDualStack" {
        // SIM: one family only: the cluster has no IPv6 service range.
        spec["ipFamilies"] = json!(["IPv4"]);
    }
    if ty != "ExternalName" {
        match spec["clusterIP"].as_str() {
            Some("None") => {
                spec["clusterIPs"] = json!(["None"]);
            }
            Some(ip) if !ip.is_empty() => {
                let ip = ip.to_string();
                if !in_service_cidr(&ip) {
                    errs.push(FieldError {
                        path: "spec.clusterIPs".into(),
                        detail: format!("Invalid value: []string{{\"{ip}\"}}: failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid range. The range of valid IPs is 10.96.0.0/12"),
                    });
                } else if used_cluster_ips(sim, own).contains(&ip) {
                    errs.push(FieldError {
                        path: "spec.clusterIPs".into(),
                        detail: format!("Invalid value: []string{{\"{ip}\"}}: failed to allocate IP {ip}: provided IP is already allocated"),
                    });
                }
                spec["clusterIPs"] = json!([ip]);
            }
            _ => {
                let used = used_cluster_ips(sim, own);
                let ip = loop {
                    // Random within 10.96.0.0/16, skipping the low addresses kept for static use.
                    let n = 16 + sim.rng_mut().below(65_000);
                    let candidate = format!("10.96.{}.{}", n / 256, n % 256);
                    if !used.contains(&candidate) && !n.is_multiple_of(256) && n % 256 != 255 {
                        break candidate;
                    }
                };
                spec["clusterIP"] = json!(ip);
                spec["clusterIPs"] = json!([ip]);
            }
        }
    }
    if matches!(ty.as_str(), "NodePort" | "LoadBalancer") {
        let mut used = used_node_ports(sim, own);
        if let Some(ports) = spec["ports"].as_array_mut() {
            for (i, p) in ports.iter_mut().enumerate() {
                match p["nodePort"].as_u64() {
                    Some(n) if !(NODE_PORT_MIN..=NODE_PORT_MAX).contains(&n) => errs.push(FieldError {
                        path: format!("spec.ports[{i}].nodePort"),
                        detail: format!("Invalid value: {n}: provided port is not in the valid range. The range of valid ports is 30000-32767"),
                    }),
                    Some(n) if used.contains(&n) => errs.push(FieldError {
                        path: format!("spec.ports[{i}].nodePort"),
                        detail: format!("Invalid value: {n}: provided port is already allocated"),
                    }),
                    Some(n) => used.push(n),
                    None => {
                        let n = loop {
                            let c = NODE_PORT_MIN + sim.rng_mut().below(NODE_PORT_MAX - NODE_PORT_MIN + 1);
                            if !used.contains(&c) {
                                break c;
                            }
                        };
                        used.push(n);
                        p["nodePort"] = json!(n);
                    }
                }
            }
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs)
    }
}

/// On update, a Service keeps the addresses and node ports it was given unless the new spec
/// names its own; a ClusterIP cannot change once set; what is still missing (a type changed
/// from ExternalName, or to NodePort) is allocated.
pub fn allocate_on_update(
    sim: &mut Sim,
    old: &Value,
    spec: &mut Value,
    ns: &str,
    name: &str,
) -> Result<(), Vec<FieldError>> {
    let ty = spec["type"].as_str().unwrap_or("ClusterIP").to_string();
    let old_ip = old["clusterIP"].as_str().filter(|ip| !ip.is_empty()).map(str::to_string);
    if ty != "ExternalName" {
        match (spec["clusterIP"].as_str().filter(|ip| !ip.is_empty()), &old_ip) {
            (None, Some(ip)) => {
                spec["clusterIP"] = json!(ip);
                spec["clusterIPs"] = old["clusterIPs"].clone();
            }
            (Some(new), Some(ip)) if new != ip => {
                return Err(vec![FieldError {
                    path: "spec.clusterIPs[0]".into(),
                    detail: format!("Invalid value: []string{{\"{new}\"}}: may not change once set"),
                }])
            }
            _ => {}
        }
    } else if let Some(obj) = spec.as_object_mut() {
        obj.remove("clusterIP");
        obj.remove("clusterIPs");
    }
    if matches!(ty.as_str(), "NodePort" | "LoadBalancer") {
        let old_ports = old["ports"].as_array().cloned().unwrap_or_default();
        for p in spec["ports"].as_array_mut().into_iter().flatten() {
            if p["nodePort"].is_null() {
                if let Some(o) = old_ports.iter().find(|o| o["port"] == p["port"] && !o["nodePort"].is_null()) {
                    p["nodePort"] = o["nodePort"].clone();
                }
            }
        }
    } else {
        for p in spec["ports"].as_array_mut().into_iter().flatten() {
            if let Some(obj) = p.as_object_mut() {
                obj.remove("nodePort");
            }
        }
    }
    allocate(sim, spec, Some((ns, name)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::manifest;
    use crate::sim::{Sim, SimConfig};

    fn svc(extra: &str) -> crate::sim::api::Object {
        let text = format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {{app: web}}\n  ports:\n  - port: 80\n{extra}");
        manifest::parse(&text).unwrap().remove(0)
    }

    #[test]
    fn cluster_ip_and_node_port_are_allocated_in_range() {
        let mut sim = Sim::new(SimConfig::default());
        let s = sim.create(svc("  type: NodePort\n")).unwrap();
        let ip = s.field("spec.clusterIP").unwrap().as_str().unwrap().to_string();
        assert!(ip.starts_with("10.96."), "{ip}");
        let port = s.field("spec.ports").unwrap()[0]["nodePort"].as_u64().unwrap();
        assert!((30000..=32767).contains(&port));
        assert_eq!(s.field("spec.clusterIPs").unwrap()[0], ip.as_str());
    }

    #[test]
    fn taken_node_port_is_refused_with_upstream_message() {
        let mut sim = Sim::new(SimConfig::default());
        sim.create(svc("    nodePort: 30080\n  type: NodePort\n")).unwrap();
        let mut second = svc("    nodePort: 30080\n  type: NodePort\n");
        second.metadata.name = Some("other".into());
        let err = sim.create(second).unwrap_err();
        assert_eq!(err.message, "Service \"other\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated");
    }

    #[test]
    fn update_keeps_the_address_and_allocates_what_a_new_type_needs() {
        let mut sim = Sim::new(SimConfig::default());
        let s = sim.create(svc("")).unwrap();
        let ip = s.field("spec.clusterIP").unwrap().clone();
        let mut changed = s.clone();
        changed.body["spec"]["type"] = json!("NodePort");
        changed.body["spec"].as_object_mut().unwrap().remove("clusterIP");
        changed.metadata.resource_version = None;
        let s = sim.update(changed).unwrap();
        assert_eq!(s.field("spec.clusterIP"), Some(&ip), "kept");
        let port = s.field("spec.ports").unwrap()[0]["nodePort"].as_u64().unwrap();
        assert!((30000..=32767).contains(&port));
        let mut moved = s.clone();
        moved.body["spec"]["clusterIP"] = json!("10.96.0.99");
        moved.metadata.resource_version = None;
        let err = sim.update(moved).unwrap_err();
        assert!(
            err.message
                .contains("spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.99\"}: may not change once set"),
            "{}",
            err.message
        );
    }

    #[test]
    fn ipv6_families_and_required_dual_stack_are_refused_on_a_single_stack_cluster() {
        let mut sim = Sim::new(crate::sim::SimConfig::default());
        let err = sim.create(svc("  ipFamilies: [IPv6]\n")).unwrap_err();
        assert!(
            err.message.ends_with("spec.ipFamilies[0]: Invalid value: \"IPv6\": not configured on this cluster"),
            "{}",
            err.message
        );
        let err = sim.create(svc("  ipFamilyPolicy: RequireDualStack\n")).unwrap_err();
        assert!(err.message.contains("spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": this cluster is not configured for dual-stack services"), "{}", err.message);
        let ok = sim.create(svc("  ipFamilyPolicy: PreferDualStack\n")).unwrap();
        assert_eq!(ok.field("spec.ipFamilies"), Some(&json!(["IPv4"])));
    }

    #[test]
    fn headless_service_keeps_none() {
        let mut sim = Sim::new(SimConfig::default());
        let s = sim.create(svc("  clusterIP: None\n")).unwrap();
        assert_eq!(s.field("spec.clusterIPs").unwrap()[0], "None");
    }

    #[test]
    fn the_kubernetes_service_exists() {
        let sim = Sim::new(SimConfig::default());
        let s = sim.store().get("Service", Some("default"), "kubernetes").unwrap();
        assert_eq!(s.field("spec.clusterIP").unwrap(), "10.96.0.1");
    }
}
