//! `kubectl proxy [--port=8001]`: the terminal's `localhost:PORT` answers as the API server,
//! so `curl http://localhost:8001/version` and the REST paths the tutorials use work — the
//! discovery documents (`/version`, `/api`, `/api/v1`, `/apis`), objects and lists
//! (`/api/v1/namespaces/NS/pods[/NAME]`, `/apis/GROUP/VERSION/…`), and the `proxy` subresource
//! of pods and Services (`…/pods/NAME:PORT/proxy/PATH`), which reaches the app.
//!
//! SIM: kubectl keeps running until interrupted; here the proxy is set up and the command
//! returns (as if started with `&`), so the next line can use it. The API server writes JSON
//! in its Go types' field order, pretty-printed for curl; ours has the keys sorted.

use serde_json::{json, Value};

use crate::shell::Output;
use crate::sim::api::discovery::{self, Resource};
use crate::sim::Sim;

/// The port kubectl proxy listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 8001;

/// Runs `kubectl proxy …`.
pub fn run(sim: &mut Sim, args: &[String]) -> Output {
    let mut port = DEFAULT_PORT;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let value = if let Some(v) = a.strip_prefix("--port=").or_else(|| a.strip_prefix("-p=")) {
            Some(v.to_string())
        } else if a == "--port" || a == "-p" {
            it.next().cloned()
        } else {
            a.strip_prefix("-p").map(str::to_string)
        };
        if let Some(v) = value {
            match v.parse::<u16>() {
                Ok(p) if p > 0 => port = p,
                _ => {
                    return Output::err(
                        format!("Error: invalid argument \"{v}\" for \"-p, --port\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax\nSee 'kubectl proxy --help' for usage.\n"),
                        1,
                    )
                }
            }
            continue;
        }
        match a.as_str() {
            s if s.starts_with("--address") || s.starts_with("--accept-hosts") || s.starts_with("--disable-filter") => {
                if !s.contains('=') && !s.starts_with("--disable-filter") {
                    it.next();
                }
            }
            s if s.starts_with('-') => {
                return Output::err(format!("Error: unknown flag: {s}\nSee 'kubectl proxy --help' for usage.\n"), 1);
            }
            s => {
                return Output::err(
                    format!("error: unexpected argument \"{s}\"\nSee 'kubectl proxy -h' for help and examples\n"),
                    1,
                );
            }
        }
    }
    if sim.proxies.contains(&port) || sim.port_forwards.iter().any(|f| f.local == port) {
        return Output::err(format!("error: listen tcp 127.0.0.1:{port}: bind: address already in use\n"), 1);
    }
    sim.proxies.push(port);
    Output::ok(format!("Starting to serve on 127.0.0.1:{port}\n"))
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

/// What the API server answers `user`'s `method path` (a request a pod makes with its token):
/// the Forbidden Status when RBAC does not allow it, else what [`answer`] gives.
// SIM: only reads are served; other methods get 405 MethodNotAllowed as for a read-only path.
pub fn answer_as(sim: &Sim, method: &str, path: &str, user: &crate::sim::apiserver::rbac::UserInfo) -> (u16, String) {
    let clean = path.split_once('?').map_or(path, |(p, _)| p);
    let req = rbac_request(method, clean);
    if let Err(e) = crate::sim::apiserver::rbac::authorize(sim.store(), user, &req) {
        let details = (req.path.is_none()).then(|| {
            let mut d = serde_json::Map::new();
            if !req.name.is_empty() {
                d.insert("name".into(), json!(req.name));
            }
            if !req.api_group.is_empty() {
                d.insert("group".into(), json!(req.api_group));
            }
            d.insert("kind".into(), json!(req.resource));
            Value::Object(d)
        });
        let (code, v) = status(403, "Forbidden", e.message.clone(), details.or_else(|| Some(json!({}))));
        return (code, format!("{}\n", pretty(&v)));
    }
    if !matches!(method, "GET" | "HEAD") {
        let (code, v) = status(
            405,
            "MethodNotAllowed",
            "the server does not allow this method on the requested resource".into(),
            Some(json!({})),
        );
        return (code, format!("{}\n", pretty(&v)));
    }
    answer(sim, path)
}

/// The Status the API server sends for credentials it does not accept.
pub fn unauthorized() -> (u16, String) {
    let (code, v) = status(401, "Unauthorized", "Unauthorized".into(), None);
    (code, format!("{}\n", pretty(&v)))
}

/// The authorization request a `method path` REST call makes (`GET /api/v1/namespaces/default/pods`
/// → list pods in default).
fn rbac_request(method: &str, path: &str) -> crate::sim::apiserver::rbac::Request {
    use crate::sim::apiserver::rbac::Request;
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
        ("GET" | "HEAD", true) => "list",
        ("GET" | "HEAD", false) => "get",
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

/// What the proxy answers for `GET path`: an HTTP status and its body.
pub fn answer(sim: &Sim, path: &str) -> (u16, String) {
    let (path, _query) = path.split_once('?').unwrap_or((path, ""));
    match route(sim, path) {
        Route::Json(code, v) => (code, format!("{}\n", pretty(&v))),
        Route::Text(code, body) => (code, body),
    }
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
fn pretty(v: &Value) -> String {
    let mut out = String::new();
    write_pretty(&mut out, v, 0);
    out
}

fn write_pretty(out: &mut String, v: &Value, depth: usize) {
    let pad = |n: usize| "  ".repeat(n);
    match v {
        Value::Object(m) if !m.is_empty() => {
            let mut keys: Vec<&String> = m.keys().collect();
            let rank = |k: &str| FIELD_ORDER.iter().position(|x| *x == k).unwrap_or(usize::MAX);
            keys.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
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

fn route(sim: &Sim, path: &str) -> Route {
    let segs: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segs.as_slice() {
        ["version"] | ["version", ""] => Route::Json(200, version()),
        ["api"] | ["api", ""] => Route::Json(
            200,
            json!({"kind": "APIVersions", "versions": ["v1"],
                   "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "192.168.49.2:8443"}]}),
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
        ["api", "v1", tail @ ..] => resource_path(sim, "v1", tail),
        ["apis", g, v, tail @ ..] => resource_path(sim, &format!("{g}/{v}"), tail),
        [""] => Route::Json(
            200,
            json!({"paths": ["/api", "/api/v1", "/apis", "/healthz", "/livez", "/readyz", "/version"]}),
        ),
        ["healthz" | "livez" | "readyz"] => Route::Text(200, "ok".into()),
        _ => not_found_path(),
    }
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
fn resource_path(sim: &Sim, gv: &str, tail: &[&str]) -> Route {
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
        [] | [""] => Route::Json(200, list(sim, r, namespace)),
        [name] => match sim.store().get(r.kind, namespace.filter(|_| r.namespaced), name) {
            Some(obj) => Route::Json(200, obj.to_value()),
            None => not_found(r, name),
        },
        [name, "proxy", path @ ..] if matches!(r.kind, "Pod" | "Service") => {
            let (name, port) = name.split_once(':').map_or((*name, None), |(n, p)| (n, Some(p)));
            let path = format!("/{}", path.join("/"));
            match r.kind {
                "Pod" => pod_proxy(sim, namespace.unwrap_or("default"), name, port, &path),
                _ => service_proxy(sim, namespace.unwrap_or("default"), name, port, &path),
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

fn list(sim: &Sim, r: &Resource, namespace: Option<&str>) -> Value {
    let items: Vec<Value> = sim.store().list(r.kind, namespace).map(|o| o.to_value()).collect();
    json!({"kind": format!("{}List", r.kind), "apiVersion": r.api_version,
           "metadata": {"resourceVersion": sim.store().resource_version().to_string()}, "items": items})
}

/// `pods/NAME[:PORT]/proxy/PATH`: the request goes to the pod's IP at PORT (without one, the
/// first port its containers declare; else 80), as the API server's pod proxy does.
fn pod_proxy(sim: &Sim, ns: &str, name: &str, port: Option<&str>, path: &str) -> Route {
    let Some(pod) = sim.store().get("Pod", Some(ns), name) else {
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
    fetch(sim, ns, &format!("http://{ip}:{port}{path}"))
}

/// `services/NAME[:PORT]/proxy/PATH`: through the Service to one of its ready pods.
fn service_proxy(sim: &Sim, ns: &str, name: &str, port: Option<&str>, path: &str) -> Route {
    let Some(svc) = sim.store().get("Service", Some(ns), name) else {
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
    let has_ready = sim
        .store()
        .get("Endpoints", Some(ns), name)
        .and_then(|e| e.body.get("subsets").cloned())
        .and_then(|s| s.as_array().cloned())
        .is_some_and(|s| s.iter().any(|x| x["addresses"].as_array().is_some_and(|a| !a.is_empty())));
    if !has_ready {
        let (c, v) = status(503, "ServiceUnavailable", format!("no endpoints available for service \"{name}\""), None);
        return Route::Json(c, v);
    }
    fetch(sim, ns, &format!("http://{ip}:{}{path}", sp["port"].as_u64().unwrap_or(80)))
}

fn fetch(sim: &Sim, ns: &str, url: &str) -> Route {
    use crate::sim::process::{NetError, Network};
    let mut net = crate::sim::network::ClusterNetwork {
        store: sim.store(),
        pods: &sim.kubelets.pods,
        namespace: ns,
        hostname: "",
        own_ip: "",
        turn: &sim.kubelets.turn,
        now: sim.now(),
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
