//! The cluster network as a container sees it: CoreDNS's names and kube-proxy's Service
//! routing, answered by the simulated processes of the pods behind them.
//!
//! - DNS (the pod's `/etc/resolv.conf` searches `<ns>.svc.cluster.local svc.cluster.local
//!   cluster.local`): `svc`, `svc.ns`, `svc.ns.svc`, `svc.ns.svc.cluster.local` → the Service's
//!   ClusterIP (a headless Service's ready pod IPs); `host.subdomain.ns.svc.cluster.local` → a
//!   pod with that hostname and subdomain (StatefulSet pods); `1-2-3-4.ns.pod.cluster.local`.
//! - Traffic to a ClusterIP (or a node's IP at a NodePort, or a LoadBalancer IP) goes to one of
//!   the Service's ready endpoints, taken in turn; traffic to a pod IP reaches the container
//!   whose process listens on that port; a node's IP at a pod's `hostPort` reaches that pod.
//! - An ingress-nginx controller pod's ports 80 and 443 route by the request's `Host` and path
//!   to the Services its Ingresses name ([`ingress::route`]), with nginx's 404, 503 and 308
//!   pages.

use std::cell::Cell;
use std::collections::BTreeMap;

use serde_json::Value;

use crate::sim::api::Object;
pub use crate::sim::cluster::CLUSTER_DOMAIN;
use crate::sim::cluster::{DNS_SERVICE_IP, SYSTEM_NAMESPACE};
use crate::sim::controllers::ingress;
use crate::sim::kubelet::{Phase, PodRun};
use crate::sim::process::{split_url, HttpRequest, NetError, Network, Response};
use crate::sim::store::{ObjectKey, Store};
use crate::sim::time::SimTime;

mod apiserver;
pub mod headers;
mod hops;
mod records;
mod redis;

/// The network seen from one pod.
pub struct ClusterNetwork<'a> {
    pub store: &'a Store,
    pub pods: &'a BTreeMap<ObjectKey, PodRun>,
    /// The caller's namespace (the first DNS search domain).
    pub namespace: &'a str,
    /// The caller's own pod name and IP (`hostname -i`, `localhost`).
    pub hostname: &'a str,
    pub own_ip: &'a str,
    /// Turns taken so far, so successive requests to a Service spread over its endpoints.
    pub turn: &'a Cell<u64>,
    /// When the requests are made.
    pub now: SimTime,
    /// The node the caller runs on, whose kube-proxy carries its Service traffic; None for a
    /// connection the kubelet makes itself (`kubectl port-forward`), which reaches pods directly.
    pub node: Option<&'a str>,
}

impl ClusterNetwork<'_> {
    fn service_ip(&self, svc: &Object) -> Option<String> {
        if svc.field("spec.type").and_then(Value::as_str) == Some("ExternalName") {
            // SIM: external names point outside the sandbox, where nothing answers.
            return None;
        }
        match svc.field("spec.clusterIP").and_then(Value::as_str) {
            Some("None") | None => self.ready_addresses(svc).into_iter().next(),
            Some(ip) => Some(ip.to_string()),
        }
    }

    /// The ready addresses of a Service's Endpoints, in order.
    fn ready_addresses(&self, svc: &Object) -> Vec<String> {
        let Some(ep) = self.store.get("Endpoints", svc.namespace(), svc.name()) else { return Vec::new() };
        ep.body
            .get("subsets")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .flat_map(|s| s["addresses"].as_array().into_iter().flatten())
            .filter_map(|a| a["ip"].as_str().map(str::to_string))
            .collect()
    }

    /// Looks a DNS name up as the pod's resolver would (search domains, then the name as is).
    fn lookup(&self, name: &str) -> Option<String> {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        if name == "localhost" {
            return Some("127.0.0.1".into());
        }
        if name.parse::<std::net::Ipv4Addr>().is_ok() {
            return Some(name);
        }
        if name == self.hostname {
            return Some(self.own_ip.to_string());
        }
        if !self.dns_answers() {
            return None;
        }
        self.search_list(&name).iter().find_map(|fqdn| self.lookup_fqdn(fqdn))
    }

    /// The names a lookup of `name` tries, in order (the pod's resolv.conf search list).
    fn search_list(&self, name: &str) -> [String; 4] {
        let ns = self.namespace;
        [
            format!("{name}.{ns}.svc.{CLUSTER_DOMAIN}"),
            format!("{name}.svc.{CLUSTER_DOMAIN}"),
            format!("{name}.{CLUSTER_DOMAIN}"),
            name.to_string(),
        ]
    }

    fn lookup_fqdn(&self, fqdn: &str) -> Option<String> {
        let rest = fqdn.strip_suffix(&format!(".{CLUSTER_DOMAIN}"))?;
        let parts: Vec<&str> = rest.split('.').collect();
        match parts.as_slice() {
            [svc, ns, "svc"] => self.service_ip(self.store.get("Service", Some(ns), svc)?),
            [host, sub, ns, "svc"] => self
                .store
                .list("Pod", Some(ns))
                .find(|p| {
                    p.field("spec.hostname").and_then(Value::as_str) == Some(host)
                        && p.field("spec.subdomain").and_then(Value::as_str) == Some(sub)
                })
                .and_then(|p| p.field("status.podIP").and_then(Value::as_str))
                .filter(|ip| !ip.is_empty())
                .map(str::to_string),
            [dashed, _ns, "pod"] => {
                let ip = dashed.replace('-', ".");
                ip.parse::<std::net::Ipv4Addr>().is_ok().then_some(ip)
            }
            _ => None,
        }
    }

    /// Whether kube-proxy runs on the caller's node (its rules carry Service traffic).
    fn proxied(&self) -> bool {
        self.node.is_none_or(|node| runs_on(self.pods, self.store, "kube-proxy", node))
    }

    /// Whether the cluster's DNS answers the caller: the `kube-dns` Service has a ready CoreDNS
    /// endpoint, and kube-proxy on the caller's node carries the query to it.
    fn dns_answers(&self) -> bool {
        let Some(svc) = self.store.get("Service", Some(SYSTEM_NAMESPACE), "kube-dns") else {
            return false;
        };
        svc.field("spec.clusterIP").and_then(Value::as_str) == Some(DNS_SERVICE_IP)
            && !self.ready_addresses(svc).is_empty()
            && self.proxied()
    }

    /// Where a connection to `ip:port` ends: a pod IP and port, after kube-proxy's rewriting.
    fn route(&self, ip: &str, port: u16) -> Result<(String, u16), NetError> {
        let refused = || NetError::Refused { ip: ip.to_string(), port };
        let Some((svc, svc_port)) = self.service_at(ip, port) else {
            return Ok(self.host_port(ip, port).unwrap_or_else(|| (ip.to_string(), port)));
        };
        if !self.proxied() {
            // No kube-proxy on this node: no rule rewrites the Service's address, and packets
            // to it go nowhere.
            return Err(NetError::TimedOut { ip: ip.to_string(), port });
        }
        let Some(svc_port) = svc_port else { return Err(refused()) };
        let backends = self.backends(svc, svc_port);
        if backends.is_empty() {
            // kube-proxy rejects connections to a Service with no ready endpoints.
            return Err(refused());
        }
        // SIM: kube-proxy's iptables mode picks at random; taking turns spreads requests the same
        // way on average and keeps the sandbox deterministic without drawing on the sim's RNG.
        let n = self.turn.get();
        self.turn.set(n.wrapping_add(1));
        Ok(backends[(n % backends.len() as u64) as usize].clone())
    }

    /// The Service that `ip:port` reaches (ClusterIP, LoadBalancer IP, or a node's NodePort),
    /// with the matching port of its spec (None: the Service has no such port).
    fn service_at(&self, ip: &str, port: u16) -> Option<(&Object, Option<&Value>)> {
        let is_node_ip = self.store.list("Node", None).any(|n| {
            n.field("status.addresses").and_then(Value::as_array).is_some_and(|a| a.iter().any(|x| x["address"] == ip))
        });
        for svc in self.store.list("Service", None) {
            let ports = svc.field("spec.ports").and_then(Value::as_array);
            let by = |field: &str| ports.into_iter().flatten().find(|p| p[field].as_u64() == Some(u64::from(port)));
            if is_node_ip {
                if let Some(p) = by("nodePort") {
                    return Some((svc, Some(p)));
                }
                continue;
            }
            let cluster_ip = svc.field("spec.clusterIP").and_then(Value::as_str) == Some(ip);
            let lb_ip = svc
                .field("status.loadBalancer.ingress")
                .and_then(Value::as_array)
                .is_some_and(|i| i.iter().any(|x| x["ip"] == ip));
            if cluster_ip || lb_ip {
                return Some((svc, by("port")));
            }
        }
        None
    }

    /// What an ingress-nginx controller pod at `ip:port` answers, routing by the request's
    /// host and path (see [`ingress::route`]); None when no controller serves there. nginx
    /// connects to the Service's endpoints itself, not through its ClusterIP.
    fn ingress_answer(&self, ip: &str, port: u16, host: &str, req: &HttpRequest, https: bool) -> Option<Response> {
        if !ingress::is_routing_port(port) {
            return None;
        }
        let path = &split_url(&req.url).2;
        let controller = ingress::controller_at(self.store, ip)?;
        let now = self.now;
        let page = |status: u16, reason: &str| {
            let body = ingress::error_page(status, reason);
            let mut headers = vec![
                ("Date".to_string(), headers::http_date(now)),
                ("Content-Type".to_string(), "text/html".to_string()),
                ("Content-Length".to_string(), body.len().to_string()),
                ("Connection".to_string(), "keep-alive".to_string()),
            ];
            if status == 308 {
                headers.push(("Location".into(), format!("https://{host}{path}")));
            }
            Response { status, body, addr: format!("{ip}:{port}"), headers, http2: false }
        };
        let unavailable = || page(503, "Service Temporarily Unavailable");
        let (ns, name, svc_port) = match ingress::route(self.store, &controller, host, path, https) {
            ingress::Route::Service { namespace, name, port } => (namespace, name, port),
            ingress::Route::NotFound => return Some(page(404, "Not Found")),
            ingress::Route::Unavailable => return Some(unavailable()),
            ingress::Route::RedirectToHttps => return Some(page(308, "Permanent Redirect")),
        };
        let Some(svc) = self.store.get("Service", Some(&ns), &name) else { return Some(unavailable()) };
        let Some(svc_port) = ingress::service_port(svc, &svc_port) else { return Some(unavailable()) };
        let backends = self.backends(svc, svc_port);
        if backends.is_empty() {
            return Some(unavailable());
        }
        let n = self.turn.get();
        self.turn.set(n.wrapping_add(1));
        let (pod_ip, pod_port) = &backends[(n % backends.len() as u64) as usize];
        Some(match self.answer(pod_ip, *pod_port, req) {
            Ok(mut r) => {
                r.headers = headers::through_ingress_nginx(&r.headers, now, https);
                r
            }
            Err(_) => page(502, "Bad Gateway"),
        })
    }

    /// The ready `ip:port` endpoints behind one port of a Service.
    fn backends(&self, svc: &Object, svc_port: &Value) -> Vec<(String, u16)> {
        let ep = self.store.get("Endpoints", svc.namespace(), svc.name());
        let mut backends: Vec<(String, u16)> = Vec::new();
        for subset in ep.and_then(|e| e.body.get("subsets")).and_then(Value::as_array).into_iter().flatten() {
            let port_of = subset["ports"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|p| p["name"].as_str().unwrap_or("") == svc_port["name"].as_str().unwrap_or(""))
                .and_then(|p| p["port"].as_u64())
                .and_then(|p| u16::try_from(p).ok());
            let Some(target) = port_of else { continue };
            for a in subset["addresses"].as_array().into_iter().flatten() {
                if let Some(ip) = a["ip"].as_str() {
                    backends.push((ip.to_string(), target));
                }
            }
        }
        backends
    }

    /// The pod on the node with address `ip` that maps `port` onto one of its containers'
    /// ports (`hostPort`, as the CNI's portmap plugin does), with that container port.
    fn host_port(&self, ip: &str, port: u16) -> Option<(String, u16)> {
        let node = self
            .store
            .list("Node", None)
            .find(|n| {
                n.field("status.addresses")
                    .and_then(Value::as_array)
                    .is_some_and(|a| a.iter().any(|x| x["address"] == ip))
            })?
            .name()
            .to_string();
        self.store
            .list("Pod", None)
            .filter(|p| p.field("spec.nodeName").and_then(Value::as_str) == Some(node.as_str()))
            .filter(|p| p.metadata.deletion_timestamp.is_none())
            .find_map(|p| {
                let pod_ip = p.field("status.podIP").and_then(Value::as_str).filter(|i| !i.is_empty())?;
                let cp = p
                    .field("spec.containers")?
                    .as_array()?
                    .iter()
                    .flat_map(|c| c["ports"].as_array().into_iter().flatten())
                    .find(|cp| cp["hostPort"].as_u64() == Some(u64::from(port)))?;
                Some((pod_ip.to_string(), u16::try_from(cp["containerPort"].as_u64()?).ok()?))
            })
    }

    /// The answer of whatever listens at a pod's `ip:port` to `req`, with the header fields
    /// its server sends.
    fn answer(&self, ip: &str, port: u16, req: &HttpRequest) -> Result<Response, NetError> {
        let refused = || NetError::Refused { ip: ip.to_string(), port };
        let path = split_url(&req.url).2;
        let ip = if ip == "127.0.0.1" { self.own_ip } else { ip };
        let head = req.method.eq_ignore_ascii_case("HEAD");
        let method = if head { "GET" } else { req.method.as_str() };
        let sent = crate::sim::images::Sent { method, headers: &req.headers, body: &req.body };
        // Pods on a node's host network share its address: any of them may listen there.
        for (key, run) in self.pods.iter().filter(|(_, r)| r.ip == ip) {
            for c in run.containers.iter().filter(|c| !c.init || matches!(c.phase, Phase::Running { .. })) {
                let Phase::Running { proc, .. } = &c.phase else { continue };
                let client = if self.own_ip.is_empty() { "10.244.0.1" } else { self.own_ip };
                // What the server asks others while it answers, it asks from its own pod.
                let mut from_server = self.seen_from(key, run);
                let answered = hops::hop(|| {
                    proc.answer_sent(port, &path, sent, self.now, client, c.requests.get() + 1, &mut from_server)
                });
                if let Some(mut answer) = answered.flatten() {
                    c.note_request(self.now);
                    c.note_answered(self.now, answer.log.clone());
                    let env = proc.container_env();
                    let version = env
                        .env
                        .get(env.image.version_var)
                        .filter(|_| !env.image.version_var.is_empty())
                        .map(String::as_str);
                    let server = headers::server_of(env.image, &env.tag, version);
                    if answer.status == 200
                        && answer.file
                        && !matches!(method, "GET")
                        && matches!(server, headers::Server::Nginx(_))
                    {
                        // nginx serves files to GET and HEAD only.
                        answer.status = 405;
                        answer.body = crate::sim::images::nginx_conf::status_page(405);
                        answer.content_type = "text/html".into();
                        answer.file = false;
                    }
                    let started = proc.served_since().unwrap_or(self.now);
                    let headers = if answer.status == 0 {
                        Vec::new()
                    } else {
                        headers::response_headers(&server, &answer, self.now, started)
                    };
                    let body = if head { String::new() } else { answer.body };
                    return Ok(Response {
                        status: answer.status,
                        body,
                        addr: format!("{ip}:{port}"),
                        headers,
                        http2: false,
                    });
                }
            }
        }
        Err(refused())
    }
}

impl Network for ClusterNetwork<'_> {
    fn http_get(&mut self, url: &str) -> Result<Response, NetError> {
        self.http_request(url, None)
    }

    fn http_request(&mut self, url: &str, host_header: Option<&str>) -> Result<Response, NetError> {
        self.http(&HttpRequest::get_as(url, host_header))
    }

    fn http(&mut self, req: &HttpRequest) -> Result<Response, NetError> {
        let (host, port, _) = split_url(&req.url);
        let ip = self.lookup(&host).ok_or_else(|| NetError::BadAddress(host.clone()))?;
        let (pod_ip, pod_port) = self.route(&ip, port)?;
        let virtual_host = req.host().unwrap_or(&host).to_string();
        let https = req.url.starts_with("https://");
        if self.is_apiserver(&pod_ip, pod_port) {
            // Only while the kube-apiserver pod serves there.
            let probe = req.to(&format!("https://{pod_ip}:{pod_port}/livez"));
            self.answer(&pod_ip, pod_port, &probe).map_err(|_| NetError::Refused { ip: ip.clone(), port })?;
            let mut r = self.apiserver_answer(req, https);
            r.addr = format!("{ip}:{port}");
            return Ok(r);
        }
        let mut r = match self.ingress_answer(&pod_ip, pod_port, &virtual_host, req, https) {
            Some(r) => r,
            None => self.answer(&pod_ip, pod_port, req).map_err(|_| NetError::Refused { ip: ip.clone(), port })?,
        };
        r.addr = format!("{ip}:{port}");
        Ok(r)
    }

    fn resolve(&mut self, name: &str) -> Option<String> {
        self.lookup(name)
    }

    fn dns_reachable(&mut self) -> bool {
        self.dns_answers()
    }

    fn redis(
        &mut self,
        host: &str,
        port: u16,
        command: &[String],
    ) -> Option<Result<crate::sim::process::redis::Reply, NetError>> {
        Some(self.redis_command(host, port, command))
    }

    fn resolve_all(&mut self, name: &str) -> Vec<String> {
        let Some(first) = self.lookup(name) else { return Vec::new() };
        let fqdn = self.full_name(name);
        let headless = fqdn.strip_suffix(&format!(".svc.{CLUSTER_DOMAIN}")).and_then(|rest| {
            let (svc, ns) = rest.split_once('.')?;
            let svc = self.store.get("Service", Some(ns), svc)?;
            (svc.field("spec.clusterIP").and_then(Value::as_str) == Some("None")).then_some(svc)
        });
        match headless {
            Some(svc) => self.ready_addresses(svc),
            None => vec![first],
        }
    }

    fn canonical_name(&mut self, name: &str) -> Option<(String, String)> {
        let plain = name.trim_end_matches('.').to_ascii_lowercase();
        if !self.dns_answers() || plain.parse::<std::net::Ipv4Addr>().is_ok() {
            return None;
        }
        self.search_list(&plain).into_iter().find_map(|fqdn| {
            let rest = fqdn.strip_suffix(&format!(".svc.{CLUSTER_DOMAIN}"))?;
            let (svc, ns) = rest.split_once('.').filter(|(_, ns)| !ns.contains('.'))?;
            let svc = self.store.get("Service", Some(ns), svc)?;
            if svc.field("spec.type").and_then(Value::as_str) != Some("ExternalName") {
                return None;
            }
            let target = svc.field("spec.externalName").and_then(Value::as_str)?.trim_end_matches('.').to_string();
            Some((fqdn, target))
        })
    }

    fn srv_records(&mut self, name: &str) -> Vec<crate::sim::process::SrvRecord> {
        if !self.dns_answers() {
            return Vec::new();
        }
        self.srv(name)
    }

    fn reverse_name(&mut self, ip: &str) -> Option<String> {
        if !self.dns_answers() {
            return None;
        }
        self.ptr(ip)
    }

    fn full_name(&mut self, name: &str) -> String {
        let plain = name.trim_end_matches('.').to_ascii_lowercase();
        if plain.parse::<std::net::Ipv4Addr>().is_ok() || plain == "localhost" || plain == self.hostname {
            return name.to_string();
        }
        self.search_list(&plain).into_iter().find(|f| self.lookup_fqdn(f).is_some()).unwrap_or(plain)
    }
}

/// Whether a container of a kube-system pod with label `k8s-app=app` runs on `node`, as the
/// kubelet there knows it.
fn runs_on(sim_pods: &BTreeMap<ObjectKey, PodRun>, store: &Store, app: &str, node: &str) -> bool {
    store
        .list("Pod", Some(SYSTEM_NAMESPACE))
        .filter(|p| p.label("k8s-app") == Some(app) && p.metadata.deletion_timestamp.is_none())
        .filter(|p| p.field("spec.nodeName").and_then(Value::as_str) == Some(node))
        .any(|p| {
            sim_pods
                .get(&ObjectKey::of(p))
                .is_some_and(|run| run.containers.iter().any(|c| !c.init && matches!(c.phase, Phase::Running { .. })))
        })
}

#[cfg(test)]
mod tests;
