//! The files the kubelet writes into every container for its names: `/etc/resolv.conf` (from
//! the pod's `dnsPolicy` and `dnsConfig`, pointing at the cluster's DNS) and `/etc/hosts`.

use serde_json::Value;

use crate::sim::api::Object;
use crate::sim::cluster::{CLUSTER_DOMAIN, DNS_SERVICE_IP};

/// The node's own resolver, which `dnsPolicy: Default` (and a host-network pod) inherits.
// SIM: a kind node's resolver is Docker's; the sandbox's nodes all use this one.
const NODE_RESOLV: (&str, &[&str]) = ("172.18.0.1", &[]);

/// resolv.conf options: name and value (`ndots:5`, `edns0`).
type Options = Vec<(String, Option<String>)>;

/// `/etc/resolv.conf` for `pod`, as the kubelet writes it.
pub fn resolv_conf(pod: &Object) -> String {
    let ns = pod.namespace().unwrap_or("default");
    let host_network = pod.field("spec.hostNetwork").and_then(Value::as_bool) == Some(true);
    let policy = pod.field("spec.dnsPolicy").and_then(Value::as_str).unwrap_or("ClusterFirst");
    let cluster = match policy {
        "ClusterFirstWithHostNet" => true,
        "ClusterFirst" => !host_network,
        _ => false,
    };
    let (mut servers, mut searches, mut options): (Vec<String>, Vec<String>, Options) = if cluster {
        (
            vec![DNS_SERVICE_IP.to_string()],
            vec![format!("{ns}.svc.{CLUSTER_DOMAIN}"), format!("svc.{CLUSTER_DOMAIN}"), CLUSTER_DOMAIN.to_string()],
            vec![("ndots".to_string(), Some("5".to_string()))],
        )
    } else if policy == "None" {
        (Vec::new(), Vec::new(), Vec::new())
    } else {
        (vec![NODE_RESOLV.0.to_string()], NODE_RESOLV.1.iter().map(|s| s.to_string()).collect(), Vec::new())
    };
    let config = pod.field("spec.dnsConfig");
    let strings = |field: &str| -> Vec<String> {
        config
            .and_then(|c| c[field].as_array())
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    };
    for s in strings("nameservers") {
        if !servers.contains(&s) {
            servers.push(s);
        }
    }
    for s in strings("searches") {
        if !searches.contains(&s) {
            searches.push(s);
        }
    }
    for o in config.and_then(|c| c["options"].as_array()).into_iter().flatten() {
        let Some(name) = o["name"].as_str() else { continue };
        let value = o["value"].as_str().map(str::to_string);
        match options.iter_mut().find(|(n, _)| n == name) {
            Some(existing) => existing.1 = value,
            None => options.push((name.to_string(), value)),
        }
    }
    let mut text = String::new();
    if !searches.is_empty() {
        text.push_str(&format!("search {}\n", searches.join(" ")));
    }
    for s in servers.iter().take(3) {
        text.push_str(&format!("nameserver {s}\n"));
    }
    if !options.is_empty() {
        let opts: Vec<String> =
            options.iter().map(|(n, v)| v.as_ref().map_or(n.clone(), |v| format!("{n}:{v}"))).collect();
        text.push_str(&format!("options {}\n", opts.join(" ")));
    }
    text
}

/// `/etc/hosts` for `pod` at `ip`, as the kubelet writes it (a host-network pod gets none).
pub fn hosts(pod: &Object, ip: &str) -> Option<String> {
    let host_network = pod.field("spec.hostNetwork").and_then(Value::as_bool) == Some(true);
    (!host_network).then(|| super::config::etc_hosts(pod, ip))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(spec: &str) -> Object {
        let text = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-0\n  namespace: shop\nspec:\n  containers:\n  - {{name: c, image: nginx}}\n{spec}");
        crate::manifest::parse(&text).unwrap().remove(0)
    }

    #[test]
    fn cluster_first_searches_the_pods_namespace_then_the_cluster_with_ndots_5() {
        assert_eq!(
            resolv_conf(&pod("")),
            "search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
        );
    }

    #[test]
    fn dns_config_adds_servers_searches_and_overrides_options() {
        let p = pod("  dnsPolicy: None\n  dnsConfig:\n    nameservers: [1.2.3.4]\n    searches: [ns1.svc.cluster-domain.example]\n    options:\n    - {name: ndots, value: '2'}\n    - name: edns0\n");
        assert_eq!(
            resolv_conf(&p),
            "search ns1.svc.cluster-domain.example\nnameserver 1.2.3.4\noptions ndots:2 edns0\n"
        );
        let p = pod("  dnsConfig:\n    options:\n    - {name: ndots, value: '1'}\n");
        assert!(resolv_conf(&p).ends_with("nameserver 10.96.0.10\noptions ndots:1\n"));
    }

    #[test]
    fn hosts_file_names_the_pod_with_its_subdomain() {
        let p = pod("  hostname: web-0\n  subdomain: nginx\n");
        assert!(hosts(&p, "10.244.1.3").unwrap().ends_with("10.244.1.3\tweb-0.nginx.shop.svc.cluster.local\tweb-0\n"));
    }
}
