//! The API server's REST answers, for every client that reaches it: `kubectl proxy` on the
//! learner's laptop, and `curl`/`wget` inside a pod (`https://kubernetes.default.svc`, the
//! `kubernetes` Service's ClusterIP, the control plane's address at 6443). The request is
//! authenticated by the caller ([`super::authn`]), then authorized by RBAC
//! ([`super::rbac::authorize`]), then answered: the discovery documents (`/version`, `/api`,
//! `/api/v1`, `/apis`, `/apis/GROUP/VERSION`), objects and lists
//! (`/api/v1/namespaces/NS/pods[/NAME]`, `/apis/GROUP/VERSION/…`), the health checks, a pod's
//! `log`, and the `proxy` subresource of pods and Services (`…/pods/NAME:PORT/proxy/PATH`),
//! which reaches the app. The body is JSON as the API server writes it: indented by two spaces for curl, wget and
//! browsers (upstream's `isPrettyPrint`: their User-Agent, or `?pretty=`), compact otherwise.
//!
//! SIM: only reads are served; another method that RBAC allows gets 405 MethodNotAllowed. The
//! API server writes JSON in its Go types' field order; ours follows [`FIELD_ORDER`], then the
//! keys sorted.
//!
//! Reads the store only.

use serde_json::{json, Value};

use super::rbac::{self, Request, UserInfo};
use crate::sim::api::discovery::{self, Resource};
use crate::sim::network::ClusterNetwork;

/// One REST request, once its credentials are known.
#[derive(Debug, Clone, Copy)]
pub struct ApiRequest<'a> {
    /// `GET`, `HEAD`, `POST`, …
    pub method: &'a str,
    /// The path with its query (`/api/v1/pods?pretty=false`).
    pub path: &'a str,
    /// Who sends it.
    pub user: &'a UserInfo,
    /// The client's `User-Agent` (curl/8.5.0, Wget), which decides pretty-printing.
    pub user_agent: Option<&'a str>,
}

/// The API server's answer: the status and the body (JSON, or text for the health checks and
/// what a proxied app sent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiResponse {
    pub status: u16,
    pub body: String,
}

/// A `Status` answer, as the API server writes a failure.
fn status(code: u16, reason: &str, message: String, details: Option<Value>) -> (u16, Value) {
    let mut v = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                       "message": message, "reason": reason, "code": code});
    if let Some(d) = details {
        v["details"] = d;
    }
    (code, v)
}

/// Whether the API server indents its JSON for this request (upstream's `isPrettyPrint`).
fn is_pretty(path: &str, user_agent: Option<&str>) -> bool {
    let query = path.split_once('?').map_or("", |(_, q)| q);
    if let Some(v) = query.split('&').find_map(|kv| kv.strip_prefix("pretty=")).filter(|v| !v.is_empty()) {
        // Go's strconv.ParseBool; anything else is false.
        return matches!(v, "1" | "t" | "T" | "true" | "TRUE" | "True");
    }
    let ua = user_agent.unwrap_or("");
    ua.starts_with("curl") || ua.starts_with("Wget") || ua.starts_with("Mozilla/5.0")
}

fn json_body(v: &Value, pretty: bool) -> String {
    if pretty {
        format!("{}\n", indented(v))
    } else {
        format!("{}\n", compact(v))
    }
}

/// What the API server answers `req`: the Forbidden Status when RBAC does not allow it, else
/// the document, object, list or proxied answer the path names.
pub fn serve(net: &ClusterNetwork, req: ApiRequest) -> ApiResponse {
    let pretty = is_pretty(req.path, req.user_agent);
    let clean = req.path.split_once('?').map_or(req.path, |(p, _)| p);
    let method = if req.method.eq_ignore_ascii_case("HEAD") { "GET" } else { req.method };
    let rr = rbac_request(method, clean);
    if let Err(e) = rbac::authorize(net.store, req.user, &rr) {
        let details = if rr.path.is_some() {
            json!({})
        } else {
            let mut d = serde_json::Map::new();
            if !rr.name.is_empty() {
                d.insert("name".into(), json!(rr.name));
            }
            if !rr.api_group.is_empty() {
                d.insert("group".into(), json!(rr.api_group));
            }
            d.insert("kind".into(), json!(rr.resource));
            Value::Object(d)
        };
        let (code, v) = status(403, "Forbidden", e.message.clone(), Some(details));
        return ApiResponse { status: code, body: json_body(&v, pretty) };
    }
    if method != "GET" {
        let (code, v) = status(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource".into(),
            Some(json!({})),
        );
        return ApiResponse { status: code, body: json_body(&v, pretty) };
    }
    let query = req.path.split_once('?').map_or("", |(_, q)| q);
    match route(net, clean, query) {
        Route::Json(code, v) => ApiResponse { status: code, body: json_body(&v, pretty) },
        Route::Text(code, body) => ApiResponse { status: code, body },
    }
}

/// The Status the API server sends for credentials it does not accept.
pub fn unauthorized(path: &str, user_agent: Option<&str>) -> ApiResponse {
    let (code, v) = status(401, "Unauthorized", "Unauthorized".into(), None);
    ApiResponse { status: code, body: json_body(&v, is_pretty(path, user_agent)) }
}

/// The authorization request a `method path` REST call makes (`GET /api/v1/namespaces/default/pods`
/// → list pods in default).
fn rbac_request(method: &str, path: &str) -> Request {
    let segs: Vec<&str> = path.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect();
    let (group, rest) = match segs.as_slice() {
        ["api", "v1", rest @ ..] if !rest.is_empty() => ("", rest),
        ["apis", g, _v, rest @ ..] if !rest.is_empty() => (*g, rest),
        _ => return Request::non_resource(&method.to_ascii_lowercase(), path),
    };
    let (namespace, rest) = match rest {
        ["namespaces", ns, rest @ ..] if !rest.is_empty() => (*ns, rest),
        _ => ("", rest),
    };
    let (resource, name, sub) = match rest {
        [r] => (*r, "", ""),
        [r, n] => (*r, *n, ""),
        [r, n, s, ..] => (*r, *n, *s),
        [] => ("namespaces", namespace, ""),
    };
    let verb = match (method, name.is_empty()) {
        ("GET", true) => "list",
        ("GET", false) => "get",
        ("POST", _) => "create",
        ("PUT", _) => "update",
        ("PATCH", _) => "patch",
        ("DELETE", true) => "deletecollection",
        ("DELETE", false) => "delete",
        _ => "get",
    };
    let resource = if sub.is_empty() { resource.to_string() } else { format!("{resource}/{sub}") };
    Request::resource(verb, group, &resource, namespace, name)
}

enum Route {
    Json(u16, Value),
    Text(u16, String),
}

/// The order the API server's Go types write their fields in (the keys it knows; others
/// follow, sorted).
const FIELD_ORDER: &[&str] = &[
    "major",
    "minor",
    "gitVersion",
    "gitCommit",
    "gitTreeState",
    "buildDate",
    "goVersion",
    "compiler",
    "platform",
    "kind",
    "apiVersion",
    "groupVersion",
    "versions",
    "serverAddressByClientCIDRs",
    "clientCIDR",
    "serverAddress",
    "groups",
    "name",
    "generateName",
    "namespace",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
    "metadata",
    "spec",
    "status",
    "message",
    "reason",
    "details",
    "group",
    "code",
    "items",
    "resources",
    "singularName",
    "namespaced",
    "verbs",
    "shortNames",
    "version",
    "preferredVersion",
];

/// JSON indented by two spaces, as the API server pretty-prints for curl, keys in
/// [`FIELD_ORDER`].
fn indented(v: &Value) -> String {
    let mut out = String::new();
    write_pretty(&mut out, v, 0);
    out
}

/// JSON on one line, keys in [`FIELD_ORDER`].
fn compact(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let parts: Vec<String> = ordered_keys(m)
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), compact(&m[k])))
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(compact).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

/// The fields of a Status's `details` (StatusDetails), in its order: there `name` comes first.
const DETAILS_ORDER: &[&str] = &["name", "group", "kind", "uid", "causes", "retryAfterSeconds"];

fn ordered_keys(m: &serde_json::Map<String, Value>) -> Vec<&String> {
    let mut keys: Vec<&String> = m.keys().collect();
    let details = m.contains_key("kind") && m.keys().all(|k| DETAILS_ORDER.contains(&k.as_str()));
    let order = if details { DETAILS_ORDER } else { FIELD_ORDER };
    let rank = |k: &str| order.iter().position(|x| *x == k).unwrap_or(usize::MAX);
    keys.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
    keys
}

fn write_pretty(out: &mut String, v: &Value, depth: usize) {
    let pad = |n: usize| "  ".repeat(n);
    match v {
        Value::Object(m) if !m.is_empty() => {
            let keys = ordered_keys(m);
            out.push_str("{\n");
            for (i, k) in keys.iter().enumerate() {
                out.push_str(&format!("{}{}: ", pad(depth + 1), Value::String((*k).clone())));
                write_pretty(out, &m[k.as_str()], depth + 1);
                out.push_str(if i + 1 < keys.len() { ",\n" } else { "\n" });
            }
            out.push_str(&format!("{}}}", pad(depth)));
        }
        Value::Array(a) if !a.is_empty() => {
            out.push_str("[\n");
            for (i, x) in a.iter().enumerate() {
                out.push_str(&pad(depth + 1));
                write_pretty(out, x, depth + 1);
                out.push_str(if i + 1 < a.len() { ",\n" } else { "\n" });
            }
            out.push_str(&format!("{}]", pad(depth)));
        }
        other => out.push_str(&other.to_string()),
    }
}

fn not_found_path() -> Route {
    let (c, v) = status(404, "NotFound", "the server could not find the requested resource".into(), Some(json!({})));
    Route::Json(c, v)
}

fn route(net: &ClusterNetwork, path: &str, query: &str) -> Route {
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segs.as_slice() {
        ["version"] | ["version", ""] => Route::Json(200, version()),
        ["api"] | ["api", ""] => Route::Json(
            200,
            json!({"kind": "APIVersions", "versions": ["v1"],
                   "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": advertised(net)}]}),
        ),
        ["apis"] | ["apis", ""] => Route::Json(200, groups()),
        ["api", "v1"] | ["api", "v1", ""] => Route::Json(200, resource_list("v1")),
        ["apis", g, v] => {
            let gv = format!("{g}/{v}");
            if discovery::BUILT_IN.iter().any(|r| r.api_version == gv) {
                Route::Json(200, resource_list(&gv))
            } else {
                not_found_path()
            }
        }
        ["api", "v1", tail @ ..] => resource_path(net, "v1", tail, query),
        ["apis", g, v, tail @ ..] => resource_path(net, &format!("{g}/{v}"), tail, query),
        [""] => Route::Json(
            200,
            json!({"paths": ["/api", "/api/v1", "/apis", "/healthz", "/livez", "/readyz", "/version"]}),
        ),
        ["healthz" | "livez" | "readyz"] => Route::Text(200, "ok".into()),
        _ => not_found_path(),
    }
}

/// The address the API server advertises (the `kubernetes` Endpoints': kubeadm's
/// `--advertise-address` at `--secure-port`).
fn advertised(net: &ClusterNetwork) -> String {
    let ep = net.store.get("Endpoints", Some("default"), "kubernetes");
    let subset = ep.and_then(|e| e.body.get("subsets")).and_then(|s| s.get(0));
    let ip = subset.and_then(|s| s["addresses"][0]["ip"].as_str()).unwrap_or("172.18.0.2");
    let port = subset.and_then(|s| s["ports"][0]["port"].as_u64()).unwrap_or(6443);
    format!("{ip}:{port}")
}

fn version() -> Value {
    let v = crate::sim::KUBERNETES_VERSION;
    let mut parts = v.trim_start_matches('v').split('.');
    let (major, minor) = (parts.next().unwrap_or("1"), parts.next().unwrap_or("0"));
    // SIM: the commit and build date are the sandbox's own, not a real release's.
    json!({"major": major, "minor": minor, "gitVersion": v, "gitCommit": "0000000000000000000000000000000000000000",
           "gitTreeState": "clean", "buildDate": "2025-01-01T00:00:00Z", "goVersion": "go1.24.0",
           "compiler": "gc", "platform": "linux/amd64"})
}

fn groups() -> Value {
    let mut names: Vec<&str> = Vec::new();
    for r in discovery::BUILT_IN {
        if !r.group().is_empty() && !names.contains(&r.group()) {
            names.push(r.group());
        }
    }
    let groups: Vec<Value> = names
        .iter()
        .map(|g| {
            let versions: Vec<&str> = {
                let mut vs: Vec<&str> = Vec::new();
                for r in discovery::BUILT_IN.iter().filter(|r| r.group() == *g) {
                    let v = r.api_version.rsplit('/').next().unwrap_or("v1");
                    if !vs.contains(&v) {
                        vs.push(v);
                    }
                }
                vs
            };
            let list: Vec<Value> =
                versions.iter().map(|v| json!({"groupVersion": format!("{g}/{v}"), "version": v})).collect();
            json!({"name": g, "versions": list, "preferredVersion": list[0].clone()})
        })
        .collect();
    json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
}

fn resource_list(gv: &str) -> Value {
    let resources: Vec<Value> = discovery::BUILT_IN
        .iter()
        .filter(|r| r.api_version == gv)
        .map(|r| {
            let mut v = json!({"name": r.plural, "singularName": r.kind.to_ascii_lowercase(), "namespaced": r.namespaced,
                               "kind": r.kind, "verbs": ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]});
            if !r.short_names.is_empty() {
                v["shortNames"] = json!(r.short_names);
            }
            v
        })
        .collect();
    json!({"kind": "APIResourceList", "groupVersion": gv, "resources": resources})
}

/// `[namespaces/NS/]PLURAL[/NAME[/SUBRESOURCE…]]` under a group/version.
fn resource_path(net: &ClusterNetwork, gv: &str, tail: &[&str], query: &str) -> Route {
    let tail: Vec<&str> = tail.to_vec();
    let (namespace, tail) = match tail.as_slice() {
        ["namespaces", ns, more @ ..] if !more.is_empty() => (Some(*ns), more.to_vec()),
        _ => (None, tail),
    };
    let Some((plural, rest)) = tail.split_first() else { return not_found_path() };
    let plural = plural.to_string();
    let Some(r) = discovery::BUILT_IN.iter().find(|r| r.api_version == gv && r.plural == plural) else {
        return not_found_path();
    };
    if r.namespaced != namespace.is_some() && !(r.namespaced && rest.is_empty()) {
        return not_found_path();
    }
    match rest {
        [] | [""] => Route::Json(200, list(net, r, namespace)),
        [name] => match net.store.get(r.kind, namespace.filter(|_| r.namespaced), name) {
            Some(obj) => Route::Json(200, obj.to_value()),
            None => not_found(r, name),
        },
        [name, "log"] if r.kind == "Pod" => pod_log(net, namespace.unwrap_or("default"), name, query),
        [name, "proxy", path @ ..] if matches!(r.kind, "Pod" | "Service") => {
            let (name, port) = name.split_once(':').map_or((*name, None), |(n, p)| (n, Some(p)));
            let path = format!("/{}", path.join("/"));
            match r.kind {
                "Pod" => pod_proxy(net, namespace.unwrap_or("default"), name, port, &path),
                _ => service_proxy(net, namespace.unwrap_or("default"), name, port, &path),
            }
        }
        _ => not_found_path(),
    }
}

fn not_found(r: &Resource, name: &str) -> Route {
    let group = r.group();
    let qualified = if group.is_empty() { r.plural.to_string() } else { format!("{}.{group}", r.plural) };
    let mut details = json!({"name": name, "kind": r.plural});
    if !group.is_empty() {
        details["group"] = json!(group);
    }
    let (c, v) = status(404, "NotFound", format!("{qualified} \"{name}\" not found"), Some(details));
    Route::Json(c, v)
}

fn list(net: &ClusterNetwork, r: &Resource, namespace: Option<&str>) -> Value {
    let items: Vec<Value> = net.store.list(r.kind, namespace).map(|o| o.to_value()).collect();
    json!({"kind": format!("{}List", r.kind), "apiVersion": r.api_version,
           "metadata": {"resourceVersion": net.store.resource_version().to_string()}, "items": items})
}

/// `pods/NAME/log[?container=C&previous=true&tailLines=N]`: the container's log as text, as the
/// kubelet gives it to the API server; a container that cannot be read is 400 BadRequest.
fn pod_log(net: &ClusterNetwork, ns: &str, name: &str, query: &str) -> Route {
    let param = |k: &str| query.split('&').find_map(|kv| kv.strip_prefix(k)?.strip_prefix('='));
    let key = crate::sim::store::ObjectKey { kind: "Pod".into(), namespace: ns.into(), name: name.into() };
    if net.store.get_key(&key).is_none() {
        return not_found(discovery::lookup_name("pods").unwrap_or(&discovery::BUILT_IN[0]), name);
    }
    let previous = param("previous").is_some_and(|v| v == "true" || v == "1");
    match crate::sim::kubelet::logs_in(net.store, net.pods, &key, param("container"), previous) {
        Ok(lines) => {
            let tail = param("tailLines").and_then(|n| n.parse::<usize>().ok()).unwrap_or(usize::MAX);
            let skip = lines.len().saturating_sub(tail);
            Route::Text(200, lines.into_iter().skip(skip).map(|(_, l)| format!("{l}\n")).collect())
        }
        Err(e) => {
            let (c, v) = status(400, "BadRequest", e, None);
            Route::Json(c, v)
        }
    }
}

/// `pods/NAME[:PORT]/proxy/PATH`: the request goes to the pod's IP at PORT (without one, the
/// first port its containers declare; else 80), as the API server's pod proxy does.
fn pod_proxy(net: &ClusterNetwork, ns: &str, name: &str, port: Option<&str>, path: &str) -> Route {
    let Some(pod) = net.store.get("Pod", Some(ns), name) else {
        return not_found(discovery::lookup_name("pods").unwrap_or(&discovery::BUILT_IN[0]), name);
    };
    let declared = pod
        .field("spec.containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find_map(|c| c["ports"].as_array().and_then(|p| p.first()).and_then(|p| p["containerPort"].as_u64()));
    let port = match port {
        Some(p) => match p.parse::<u16>() {
            Ok(p) => p,
            Err(_) => {
                // A named port: the container port of that name.
                let named =
                    pod.field("spec.containers").and_then(Value::as_array).into_iter().flatten().find_map(|c| {
                        c["ports"].as_array()?.iter().find(|x| x["name"] == p)?["containerPort"].as_u64()
                    });
                match named {
                    Some(n) => n as u16,
                    None => {
                        let (c, v) = status(
                            503,
                            "ServiceUnavailable",
                            format!("no endpoints available for service \"{name}:{p}\""),
                            None,
                        );
                        return Route::Json(c, v);
                    }
                }
            }
        },
        None => declared.map_or(80, |p| p as u16),
    };
    let ip = pod.field("status.podIP").and_then(Value::as_str).unwrap_or("");
    if ip.is_empty() {
        let (c, v) = status(400, "BadRequest", "address not allowed".into(), None);
        return Route::Json(c, v);
    }
    fetch(net, ns, &format!("http://{ip}:{port}{path}"))
}

/// `services/NAME[:PORT]/proxy/PATH`: through the Service to one of its ready pods.
fn service_proxy(net: &ClusterNetwork, ns: &str, name: &str, port: Option<&str>, path: &str) -> Route {
    let Some(svc) = net.store.get("Service", Some(ns), name) else {
        return not_found(discovery::lookup_name("services").unwrap_or(&discovery::BUILT_IN[0]), name);
    };
    let ports: Vec<Value> = svc.field("spec.ports").and_then(Value::as_array).cloned().unwrap_or_default();
    let chosen = match port {
        None | Some("") => ports.first(),
        Some(p) => {
            ports.iter().find(|x| x["name"] == p || x["port"].as_u64().map(|n| n.to_string()).as_deref() == Some(p))
        }
    };
    let ip = svc.field("spec.clusterIP").and_then(Value::as_str).unwrap_or("");
    let (Some(sp), false) = (chosen, ip.is_empty() || ip == "None") else {
        let (c, v) = status(
            503,
            "ServiceUnavailable",
            format!(
                "no endpoints available for service \"{name}{}\"",
                port.map(|p| format!(":{p}")).unwrap_or_default()
            ),
            None,
        );
        return Route::Json(c, v);
    };
    let has_ready = net
        .store
        .get("Endpoints", Some(ns), name)
        .and_then(|e| e.body.get("subsets").cloned())
        .and_then(|s| s.as_array().cloned())
        .is_some_and(|s| s.iter().any(|x| x["addresses"].as_array().is_some_and(|a| !a.is_empty())));
    if !has_ready {
        let (c, v) = status(503, "ServiceUnavailable", format!("no endpoints available for service \"{name}\""), None);
        return Route::Json(c, v);
    }
    fetch(net, ns, &format!("http://{ip}:{}{path}", sp["port"].as_u64().unwrap_or(80)))
}

fn fetch(net: &ClusterNetwork, ns: &str, url: &str) -> Route {
    use crate::sim::process::{NetError, Network};
    let mut net = ClusterNetwork {
        store: net.store,
        pods: net.pods,
        namespace: ns,
        hostname: "",
        own_ip: "",
        turn: net.turn,
        now: net.now,
        // The API server's proxy dials the pod itself, past any kube-proxy.
        node: None,
    };
    match net.http_get(url) {
        Ok(r) => Route::Text(r.status, r.body),
        Err(e) => {
            let reason = match e {
                NetError::Refused { ip, port } => format!("dial tcp {ip}:{port}: connect: connection refused"),
                NetError::TimedOut { ip, port } => format!("dial tcp {ip}:{port}: i/o timeout"),
                NetError::BadAddress(h) => format!("dial tcp: lookup {h}: no such host"),
            };
            let (c, v) = status(503, "ServiceUnavailable", format!("error trying to reach service: {reason}"), None);
            Route::Json(c, v)
        }
    }
}
