//! The ingress-nginx controller as a learner meets it: a pod running
//! `registry.k8s.io/ingress-nginx/controller` that watches the Ingresses of its class, records
//! `Sync` events, publishes its address in their `status.loadBalancer`, and routes HTTP by
//! host and path to the Services they name. (The API server's DefaultIngressClass
//! admission step is [`crate::sim::apiserver::ingress_class`].)
//!
//! The controller does nothing by itself: without a running controller pod, Ingresses have no
//! address and nothing answers for them. What the pod serves is worked out by
//! [`crate::sim::network`] through [`route`]; this file decides, the network carries.
//!
//! Self-contained (reads and writes only through the store and the event recorder), so it can
//! move onto the controllers' `Reconciler` contract later.

use serde_json::{json, Value};

use crate::sim::api::Object;
use crate::sim::events::{self, EventType, Source};
use crate::sim::store::{Store, WatchEvent, WatchEventType};
use crate::sim::Sim;

/// The controller image's repository (any tag or digest).
pub const IMAGE: &str = "registry.k8s.io/ingress-nginx/controller";
/// What IngressClasses name this controller by (`spec.controller`).
pub const CONTROLLER_CLASS: &str = "k8s.io/ingress-nginx";
/// The class name the controller answers to by default (`--ingress-class`).
pub const DEFAULT_CLASS: &str = "nginx";
pub use crate::sim::api::ingress_class::{DEFAULT_CLASS_ANNOTATION, LEGACY_CLASS_ANNOTATION};

const SOURCE: Source<'static> = Source { component: "nginx-ingress-controller", host: None };

/// A running controller pod, with what its command line says.
#[derive(Debug, Clone)]
pub struct ControllerPod {
    pub namespace: String,
    pub name: String,
    pub node: String,
    pub ip: String,
    pub ready: bool,
    /// `--ingress-class` (default `nginx`).
    pub class: String,
    /// `--controller-class` (default `k8s.io/ingress-nginx`).
    pub controller_class: String,
    pub watch_without_class: bool,
    /// `--publish-service=ns/name`, `$(POD_NAMESPACE)` expanded.
    pub publish_service: Option<(String, String)>,
    /// `--publish-status-address`.
    pub publish_address: Option<String>,
}

/// Whether `image` is the ingress-nginx controller's (`…/controller:v1.14.0@sha256:…`).
pub fn is_controller_image(image: &str) -> bool {
    let repo = image.split('@').next().unwrap_or("");
    let repo = match repo.rsplit_once(':') {
        Some((r, tag)) if !tag.contains('/') => r,
        _ => repo,
    };
    repo == IMAGE || repo == "k8s.gcr.io/ingress-nginx/controller"
}

/// The controller container of a pod, if it runs the controller image.
fn controller_container(pod: &Object) -> Option<&Value> {
    pod.field("spec.containers")?.as_array()?.iter().find(|c| c["image"].as_str().is_some_and(is_controller_image))
}

/// Whether a pod has the controller container (the store indexes pods by it).
pub fn has_controller_container(pod: &Object) -> bool {
    controller_container(pod).is_some()
}

/// The pod as a controller, if it runs the controller and its process has started.
fn controller_of(pod: &Object) -> Option<ControllerPod> {
    let c = controller_container(pod)?;
    if pod.metadata.deletion_timestamp.is_some() || pod.field("status.phase").and_then(Value::as_str) != Some("Running")
    {
        return None;
    }
    let ns = pod.namespace().unwrap_or("default").to_string();
    let args: Vec<String> = ["command", "args"]
        .iter()
        .flat_map(|f| c[*f].as_array().cloned().unwrap_or_default())
        .filter_map(|a| a.as_str().map(|s| s.replace("$(POD_NAMESPACE)", &ns).replace("$(POD_NAME)", pod.name())))
        .collect();
    let flag = |name: &str| {
        let prefix = format!("--{name}=");
        args.iter().rev().find_map(|a| a.strip_prefix(&prefix).map(str::to_string))
    };
    let ready = crate::sim::api::conditions::is_ready(pod);
    Some(ControllerPod {
        namespace: ns,
        name: pod.name().to_string(),
        node: pod.field("spec.nodeName").and_then(Value::as_str).unwrap_or("").to_string(),
        ip: pod.field("status.podIP").and_then(Value::as_str).unwrap_or("").to_string(),
        ready,
        class: flag("ingress-class").unwrap_or_else(|| DEFAULT_CLASS.into()),
        controller_class: flag("controller-class").unwrap_or_else(|| CONTROLLER_CLASS.into()),
        watch_without_class: flag("watch-ingress-without-class").is_some_and(|v| v == "true")
            || args.iter().any(|a| a == "--watch-ingress-without-class"),
        publish_service: flag("publish-service")
            .and_then(|s| s.split_once('/').map(|(a, b)| (a.to_string(), b.to_string()))),
        publish_address: flag("publish-status-address").filter(|s| !s.is_empty()),
    })
}

/// The pods with a controller container, in namespace and name order (from the store's index:
/// the controller looks at its own pods, not at every pod, on every event it sees).
fn controller_pods(store: &Store) -> impl Iterator<Item = &Object> + '_ {
    store.ingress_controller_pods().filter_map(|k| store.get_key(k))
}

/// Every controller pod whose process runs, in name order.
pub fn controllers(store: &Store) -> Vec<ControllerPod> {
    controller_pods(store).filter_map(controller_of).collect()
}

/// The controller pod with IP `ip`, if one runs there.
pub fn controller_at(store: &Store, ip: &str) -> Option<ControllerPod> {
    controller_pods(store)
        .filter(|p| p.field("status.podIP").and_then(Value::as_str) == Some(ip))
        .find_map(controller_of)
}

/// Whether controller `c` takes charge of `ing`, as ingress-nginx decides: by its IngressClass
/// (whose `spec.controller` must be this controller's), by the legacy annotation, or — with
/// `--watch-ingress-without-class` — when it names no class at all.
pub fn handles(store: &Store, c: &ControllerPod, ing: &Object) -> bool {
    let class = ing.field("spec.ingressClassName").and_then(Value::as_str);
    let annotation = ing.metadata.annotations.as_ref().and_then(|a| a.get(LEGACY_CLASS_ANNOTATION));
    match (class, annotation) {
        (Some(name), _) => store
            .get("IngressClass", None, name)
            .is_some_and(|ic| ic.field("spec.controller").and_then(Value::as_str) == Some(c.controller_class.as_str())),
        (None, Some(a)) => *a == c.class,
        (None, None) => c.watch_without_class,
    }
}

/// Reacts to a watch event: a `Sync` event for each Ingress a controller sees change, and the
/// status of every Ingress brought up to date when a controller pod (or what it publishes)
/// changes.
pub fn on_event(sim: &mut Sim, ev: &WatchEvent) {
    let o = &ev.object;
    match o.kind.as_str() {
        "Ingress" if ev.event_type != WatchEventType::Deleted => {
            let cs = controllers(sim.store());
            if cs.iter().any(|c| handles(sim.store(), c, o)) {
                events::record(sim, o, None, EventType::Normal, "Sync", "Scheduled for sync", SOURCE);
            }
            sync_status(sim, o.namespace().unwrap_or("default"), o.name(), &cs);
        }
        "Pod" if controller_container(o).is_some() => sync_all(sim),
        "Pod" => write_webhook_secret(sim, o),
        "IngressClass" => sync_all(sim),
        "Service" | "Node" if !controllers(sim.store()).is_empty() => sync_all(sim),
        _ => {}
    }
}

/// The annotation that makes an Ingress a canary of another for the same host and path.
const CANARY_ANNOTATION: &str = "nginx.ingress.kubernetes.io/canary";

/// What the controller's admission webhook (`--validating-webhook`, served on the
/// `ingress-nginx-controller-admission` Service) answers for `pod`: `None` when the pod does
/// not run the controller. An Ingress of another controller's class is allowed; one of its own
/// is refused when a host and path it routes are already routed by another Ingress the
/// controller handles (in any namespace), unless exactly one of the two is a canary. As
/// ingress-nginx checks it, the first path already taken decides.
// SIM: ingress-nginx also renders and tests the whole nginx configuration (annotations,
// snippets); only the overlap check is made here.
pub fn admission_review(
    store: &Store,
    pod: &Object,
    req: &crate::sim::apiserver::webhooks::AdmissionRequest,
) -> Option<crate::sim::apiserver::webhooks::Verdict> {
    let c = controller_of(pod)?;
    let ing = req.object;
    if req.resource != "ingresses" || req.group != "networking.k8s.io" || !handles(store, &c, ing) {
        return Some(Ok(()));
    }
    let canary =
        |i: &Object| i.metadata.annotations.as_ref().and_then(|a| a.get(CANARY_ANNOTATION)).map(|v| v == "true");
    let host_paths = |i: &Object| -> Vec<(String, String)> {
        let rules = i.field("spec.rules").and_then(Value::as_array).cloned().unwrap_or_default();
        rules
            .iter()
            .flat_map(|r| {
                let host = r["host"].as_str().filter(|h| !h.is_empty()).unwrap_or("_").to_string();
                let paths = r["http"]["paths"].as_array().cloned().unwrap_or_default();
                paths
                    .into_iter()
                    .filter(|p| p["backend"]["service"].is_object())
                    .map(move |p| (host.clone(), p["path"].as_str().unwrap_or("").to_string()))
            })
            .collect()
    };
    let others: Vec<&Object> = store
        .list("Ingress", None)
        .filter(|o| (o.namespace(), o.name()) != (ing.namespace(), ing.name()) && handles(store, &c, o))
        .collect();
    for (host, path) in host_paths(ing) {
        let taken: Vec<&&Object> =
            others.iter().filter(|o| host_paths(o).contains(&(host.clone(), path.clone()))).collect();
        if taken.is_empty() {
            continue;
        }
        for o in taken {
            let (mine, theirs) = (canary(ing), canary(o));
            if mine == theirs && mine != Some(false) {
                let ns = o.namespace().unwrap_or("default");
                return Some(Err(format!(
                    "host \"{host}\" and path \"{path}\" is already defined in ingress {ns}/{}",
                    o.name()
                )));
            }
        }
        return Some(Ok(()));
    }
    Some(Ok(()))
}

/// What kube-webhook-certgen's `create` does once it has run: the Secret with the webhook's
/// CA, certificate and key (`--secret-name`, `--namespace`), which the controller mounts.
fn write_webhook_secret(sim: &mut Sim, pod: &Object) {
    if pod.field("status.phase").and_then(Value::as_str) != Some("Succeeded") {
        return;
    }
    let Some(c) = pod.field("spec.containers").and_then(Value::as_array).and_then(|cs| {
        cs.iter().find(|c| c["image"].as_str().is_some_and(|i| i.contains("ingress-nginx/kube-webhook-certgen")))
    }) else {
        return;
    };
    let pod_ns = pod.namespace().unwrap_or("default");
    let args: Vec<String> = c["args"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a.as_str())
        .map(|a| a.replace("$(POD_NAMESPACE)", pod_ns))
        .collect();
    if args.first().map(String::as_str) != Some("create") {
        return;
    }
    let flag = |name: &str| args.iter().find_map(|a| a.strip_prefix(&format!("--{name}=")).map(str::to_string));
    let (Some(name), ns) = (flag("secret-name"), flag("namespace").unwrap_or_else(|| pod_ns.to_string())) else {
        return;
    };
    if sim.store().get("Secret", Some(&ns), &name).is_some() {
        return;
    }
    // SIM: the PEM blocks are placeholders; nothing in the sandbox checks a certificate.
    let pem = |what: &str| {
        crate::sim::base64::encode(format!("-----BEGIN {what}-----\nc2FuZGJveA==\n-----END {what}-----\n").as_bytes())
    };
    let secret = json!({
        "apiVersion": "v1", "kind": "Secret",
        "metadata": {"name": name, "namespace": ns},
        "data": {"ca": pem("CERTIFICATE"), "cert": pem("CERTIFICATE"), "key": pem("EC PRIVATE KEY")},
    });
    if let Ok(obj) = Object::from_value(secret) {
        let _ = sim.create(obj);
    }
}

fn sync_all(sim: &mut Sim) {
    let cs = controllers(sim.store());
    let all: Vec<(String, String)> = sim
        .store()
        .list("Ingress", None)
        .map(|i| (i.namespace().unwrap_or("default").to_string(), i.name().to_string()))
        .collect();
    for (ns, name) in all {
        sync_status(sim, &ns, &name, &cs);
    }
}

/// Writes the Ingress's `status.loadBalancer` as its controller publishes it; empty when no
/// ready controller handles it (ingress-nginx clears it when its last replica stops).
fn sync_status(sim: &mut Sim, ns: &str, name: &str, cs: &[ControllerPod]) {
    let Some(ing) = sim.store().get("Ingress", Some(ns), name) else { return };
    let mut addresses: Vec<Value> = Vec::new();
    for c in cs.iter().filter(|c| c.ready && handles(sim.store(), c, ing)) {
        for a in published_addresses(sim.store(), c) {
            if !addresses.contains(&a) {
                addresses.push(a);
            }
        }
    }
    addresses.sort_by_key(|a| {
        (a["ip"].as_str().unwrap_or("").to_string(), a["hostname"].as_str().unwrap_or("").to_string())
    });
    let want = if addresses.is_empty() { json!({}) } else { json!({"ingress": addresses}) };
    let have = ing.field("status.loadBalancer").cloned().unwrap_or_else(|| json!({}));
    if have == want {
        return;
    }
    let mut updated = ing.clone();
    updated.body.insert("status".into(), json!({"loadBalancer": want}));
    updated.metadata.resource_version = None;
    let _ = sim.store_update(updated);
}

/// The addresses a controller publishes: `--publish-status-address`, else its
/// `--publish-service`'s (a load balancer's ingress, else the ClusterIP), else the address of
/// the node it runs on (as on bare metal and minikube).
fn published_addresses(store: &Store, c: &ControllerPod) -> Vec<Value> {
    let entry =
        |a: &str| if a.parse::<std::net::Ipv4Addr>().is_ok() { json!({"ip": a}) } else { json!({"hostname": a}) };
    if let Some(a) = &c.publish_address {
        return a.split(',').map(str::trim).filter(|a| !a.is_empty()).map(entry).collect();
    }
    if let Some((ns, name)) = &c.publish_service {
        let Some(svc) = store.get("Service", Some(ns), name) else { return Vec::new() };
        if svc.field("spec.type").and_then(Value::as_str) == Some("LoadBalancer") {
            return svc
                .field("status.loadBalancer.ingress")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|i| match i["ip"].as_str() {
                    Some(ip) => json!({"ip": ip}),
                    None => json!({"hostname": i["hostname"]}),
                })
                .collect();
        }
        return svc
            .field("spec.clusterIP")
            .and_then(Value::as_str)
            .filter(|ip| *ip != "None")
            .map(entry)
            .into_iter()
            .collect();
    }
    let Some(node) = store.get("Node", None, &c.node) else { return Vec::new() };
    let addrs = node.field("status.addresses").and_then(Value::as_array).cloned().unwrap_or_default();
    let of = |ty: &str| addrs.iter().find(|a| a["type"] == ty).and_then(|a| a["address"].as_str()).map(str::to_string);
    of("ExternalIP").or_else(|| of("InternalIP")).map(|a| entry(&a)).into_iter().collect()
}

/// Where a request to the controller goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// A Service's port (a number, or a port name), in the Ingress's namespace.
    Service { namespace: String, name: String, port: Value },
    /// The controller's own default backend: `404 Not Found`.
    NotFound,
    /// A backend the controller cannot use (a `resource` backend): `503`.
    Unavailable,
    /// Plain HTTP to a host with TLS: ingress-nginx's `ssl-redirect` answers `308`.
    RedirectToHttps,
}

/// One path rule, where it came from.
struct Candidate<'a> {
    path: String,
    kind: &'a str,
    namespace: String,
    backend: &'a Value,
}

/// Routes `host` and `path` as controller `c`'s nginx does: the server for the exact host,
/// else for a matching wildcard (`*.example.com` matches one label), else the catch-all
/// (rules without a host, and the Ingresses' `defaultBackend`). Within a server, an `Exact`
/// path that equals the request's path wins; otherwise the longest `Prefix` (matched element
/// by element: `/foo` matches `/foo` and `/foo/bar`, not `/foobar`) or `ImplementationSpecific`
/// (a plain prefix, as an nginx location) path.
pub fn route(store: &Store, c: &ControllerPod, host: &str, path: &str, https: bool) -> Route {
    let host = host.rsplit_once(':').filter(|(_, p)| p.chars().all(|c| c.is_ascii_digit())).map_or(host, |(h, _)| h);
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let path = path.split(['?', '#']).next().filter(|p| !p.is_empty()).unwrap_or("/");
    let mut ings: Vec<&Object> = store.list("Ingress", None).filter(|i| handles(store, c, i)).collect();
    // Older Ingresses win conflicts, as ingress-nginx orders them by creation time.
    ings.sort_by_key(|i| {
        (i.metadata.creation_timestamp.as_ref().map(|t| t.0), i.namespace().map(str::to_string), i.name().to_string())
    });
    let rules_for = |pick: &dyn Fn(&str) -> bool| -> Vec<Candidate> {
        let mut out = Vec::new();
        for ing in &ings {
            let ns = ing.namespace().unwrap_or("default").to_string();
            for rule in ing.field("spec.rules").and_then(Value::as_array).into_iter().flatten() {
                if !pick(rule["host"].as_str().unwrap_or("")) {
                    continue;
                }
                for p in rule["http"]["paths"].as_array().into_iter().flatten() {
                    out.push(Candidate {
                        path: p["path"].as_str().unwrap_or("/").to_string(),
                        kind: p["pathType"].as_str().unwrap_or("ImplementationSpecific"),
                        namespace: ns.clone(),
                        backend: &p["backend"],
                    });
                }
            }
        }
        out
    };
    let exact_host = ings.iter().any(|i| rules_of(i).any(|r| r == host));
    let wildcard = ings.iter().flat_map(|i| rules_of(i)).find(|r| wildcard_matches(r, &host));
    let (server_host, candidates) = if exact_host {
        (Some(host.clone()), rules_for(&|h: &str| h == host))
    } else if let Some(w) = wildcard.clone() {
        (Some(w.clone()), rules_for(&|h: &str| h == w))
    } else {
        (None, rules_for(&|h: &str| h.is_empty()))
    };
    if !https && server_host.as_deref().is_some_and(|h| tls_host(&ings, h)) {
        return Route::RedirectToHttps;
    }
    if let Some(best) = best_match(&candidates, path) {
        return backend_route(&best.namespace, best.backend);
    }
    if server_host.is_none() {
        if let Some(ing) = ings.iter().find(|i| i.field("spec.defaultBackend").is_some()) {
            return backend_route(ing.namespace().unwrap_or("default"), &ing.body["spec"]["defaultBackend"]);
        }
    }
    Route::NotFound
}

fn rules_of(ing: &Object) -> impl Iterator<Item = String> + '_ {
    ing.field("spec.rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| r["host"].as_str().filter(|h| !h.is_empty()).map(str::to_ascii_lowercase))
}

/// `*.example.com` matches `foo.example.com`, not `example.com` nor `a.b.example.com`.
fn wildcard_matches(pattern: &str, host: &str) -> bool {
    let Some(suffix) = pattern.strip_prefix("*.") else { return false };
    host.strip_suffix(suffix)
        .and_then(|head| head.strip_suffix('.'))
        .is_some_and(|label| !label.is_empty() && !label.contains('.'))
}

/// Whether a `spec.tls` entry of these Ingresses covers `host` (with ssl-redirect on, the
/// default, plain HTTP to it is redirected).
fn tls_host(ings: &[&Object], host: &str) -> bool {
    ings.iter().any(|i| {
        i.field("spec.tls").and_then(Value::as_array).into_iter().flatten().any(|t| {
            t["hosts"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|h| h.as_str().is_some_and(|h| h.eq_ignore_ascii_case(host)))
        })
    })
}

fn best_match<'a>(candidates: &'a [Candidate<'a>], path: &str) -> Option<&'a Candidate<'a>> {
    if let Some(exact) = candidates.iter().find(|c| c.kind == "Exact" && c.path == path) {
        return Some(exact);
    }
    candidates
        .iter()
        .filter(|c| match c.kind {
            "Prefix" => prefix_matches(&c.path, path),
            "ImplementationSpecific" => path.starts_with(c.path.as_str()) || c.path.is_empty(),
            _ => false,
        })
        // The longest path wins; of equal ones, the first (the oldest Ingress's).
        .fold(None, |best: Option<&Candidate>, c| match best {
            Some(b) if b.path.len() >= c.path.len() => Some(b),
            _ => Some(c),
        })
}

/// The Prefix rule: the request path's elements (split by `/`) start with the rule's.
pub fn prefix_matches(rule: &str, path: &str) -> bool {
    let rule = rule.trim_end_matches('/');
    if rule.is_empty() {
        return true;
    }
    path == rule || path.strip_prefix(rule).is_some_and(|rest| rest.starts_with('/'))
}

fn backend_route(ns: &str, backend: &Value) -> Route {
    match backend["service"]["name"].as_str() {
        Some(name) => {
            let port = match &backend["service"]["port"] {
                p if p["number"].is_u64() => p["number"].clone(),
                p => p["name"].clone(),
            };
            Route::Service { namespace: ns.to_string(), name: name.to_string(), port }
        }
        None => Route::Unavailable,
    }
}

/// An nginx error page, as nginx builds it (the status line, then `nginx`).
// SIM: nginx ends these lines with CRLF; the sandbox's terminal shows plain newlines.
pub fn error_page(status: u16, reason: &str) -> String {
    format!(
        "<html>\n<head><title>{status} {reason}</title></head>\n<body>\n<center><h1>{status} {reason}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
    )
}

/// What the controller's ports answer besides routing: its health and metrics endpoints.
pub fn is_routing_port(port: u16) -> bool {
    port == 80 || port == 443
}

/// The Service ports of an Ingress backend, resolved against the Service (`None`: no such
/// Service or port).
pub fn service_port<'a>(svc: &'a Object, port: &Value) -> Option<&'a Value> {
    svc.field("spec.ports")?.as_array()?.iter().find(|p| match port {
        Value::Number(n) => p["port"].as_u64() == n.as_u64(),
        Value::String(name) => p["name"].as_str() == Some(name.as_str()),
        _ => false,
    })
}

#[cfg(test)]
mod tests;
