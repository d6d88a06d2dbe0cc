//! The cluster DNS's records beyond A: SRV records of Services' ports and PTR records of their
//! addresses, as CoreDNS's `kubernetes` plugin answers them.
//!
//! - `_port._proto.svc.ns.svc.cluster.local` (a named port): one record per Service, pointing at
//!   `svc.ns.svc.cluster.local`; for a headless Service, one per ready endpoint, pointing at the
//!   endpoint's name (`web-0.nginx.ns.svc.cluster.local` for a pod with that hostname and
//!   subdomain, else its dashed address `10-244-1-5.nginx.ns.svc.cluster.local`).
//! - `svc.ns.svc.cluster.local` asked for SRV: the same for every port of the Service.
//! - PTR: a ClusterIP names its Service; a headless Service's endpoint names itself as above.

use serde_json::Value;

use super::{ClusterNetwork, CLUSTER_DOMAIN};
use crate::sim::api::Object;
use crate::sim::process::SrvRecord;

impl ClusterNetwork<'_> {
    /// The SRV records of a fully qualified name (a trailing dot allowed).
    pub(super) fn srv(&self, name: &str) -> Vec<SrvRecord> {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        let Some(rest) = name.strip_suffix(&format!(".svc.{CLUSTER_DOMAIN}")) else { return Vec::new() };
        let labels: Vec<&str> = rest.split('.').collect();
        let (port_name, proto, svc, ns) = match labels.as_slice() {
            [port, proto, svc, ns] if port.starts_with('_') && proto.starts_with('_') => {
                (Some(&port[1..]), Some(proto[1..].to_ascii_uppercase()), *svc, *ns)
            }
            [svc, ns] => (None, None, *svc, *ns),
            _ => return Vec::new(),
        };
        let Some(service) = self.store.get("Service", Some(ns), svc) else { return Vec::new() };
        let ports: Vec<&Value> = service
            .field("spec.ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|p| match (port_name, &proto) {
                (Some(n), Some(pr)) => {
                    p["name"].as_str() == Some(n) && p["protocol"].as_str().unwrap_or("TCP").eq_ignore_ascii_case(pr)
                }
                _ => true,
            })
            .collect();
        let headless = service.field("spec.clusterIP").and_then(Value::as_str) == Some("None");
        let mut out = Vec::new();
        for p in ports {
            let port = p["port"].as_u64().unwrap_or(0) as u16;
            if headless {
                let endpoints = self.endpoint_names(service);
                let weight = if endpoints.is_empty() { 0 } else { (100 / endpoints.len()) as u16 };
                for (ip, target) in endpoints {
                    let ep_port = self.endpoint_port(service, p).unwrap_or(port);
                    out.push(SrvRecord { priority: 0, weight, port: ep_port, target, address: ip });
                }
            } else if let Some(ip) = service.field("spec.clusterIP").and_then(Value::as_str) {
                let target = format!("{svc}.{ns}.svc.{CLUSTER_DOMAIN}");
                out.push(SrvRecord { priority: 0, weight: 100, port, target, address: ip.to_string() });
            }
        }
        out
    }

    /// The name a reverse lookup of `ip` gives.
    pub(super) fn ptr(&self, ip: &str) -> Option<String> {
        if ip.parse::<std::net::Ipv4Addr>().is_err() {
            return None;
        }
        let services: Vec<&Object> = self.store.list("Service", None).collect();
        if let Some(s) = services.iter().find(|s| s.field("spec.clusterIP").and_then(Value::as_str) == Some(ip)) {
            return Some(format!("{}.{}.svc.{CLUSTER_DOMAIN}", s.name(), s.namespace().unwrap_or("default")));
        }
        services
            .iter()
            .filter(|s| s.field("spec.clusterIP").and_then(Value::as_str) == Some("None"))
            .find_map(|s| self.endpoint_names(s).into_iter().find(|(a, _)| a == ip).map(|(_, n)| n))
    }

    /// A headless Service's ready endpoints: (address, the name CoreDNS gives it).
    fn endpoint_names(&self, svc: &Object) -> Vec<(String, String)> {
        let ns = svc.namespace().unwrap_or("default");
        let Some(ep) = self.store.get("Endpoints", Some(ns), svc.name()) else { return Vec::new() };
        ep.body
            .get("subsets")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(|s| s["addresses"].as_array().into_iter().flatten())
            .filter_map(|a| {
                let ip = a["ip"].as_str()?.to_string();
                let pod = a["targetRef"]["name"].as_str().and_then(|n| self.store.get("Pod", Some(ns), n));
                let host = a["hostname"].as_str().map(str::to_string).or_else(|| {
                    let pod = pod?;
                    (pod.field("spec.subdomain").and_then(Value::as_str) == Some(svc.name()))
                        .then(|| pod.field("spec.hostname").and_then(Value::as_str).map(str::to_string))
                        .flatten()
                });
                let label = host.unwrap_or_else(|| ip.replace('.', "-"));
                Some((ip, format!("{label}.{}.{ns}.svc.{CLUSTER_DOMAIN}", svc.name())))
            })
            .collect()
    }

    /// The endpoints' port for a Service port (its target port), by the port's name.
    fn endpoint_port(&self, svc: &Object, port: &Value) -> Option<u16> {
        let ep = self.store.get("Endpoints", svc.namespace(), svc.name())?;
        let name = port["name"].as_str();
        ep.body
            .get("subsets")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(|s| s["ports"].as_array().into_iter().flatten())
            .find(|p| p["name"].as_str() == name || name.is_none())
            .and_then(|p| p["port"].as_u64())
            .map(|p| p as u16)
    }
}
