//! The API requests a kubectl command makes, as RBAC sees them (`get pods` → `list` on
//! `pods`; `logs web` → `get` on `pods/log`), so that a user other than the admin is refused
//! with the API server's Forbidden error before anything happens.
// SIM: the sandbox's kubectl reads the store directly; instead of authorizing each HTTP request,
// the request a verb would make first is authorized up front. Verbs not listed here (config,
// version, api-resources, explain) need nothing RBAC refuses to an authenticated user.

use crate::shell::files::Io;
use crate::shell::Output;
use crate::sim::api::discovery;
use crate::sim::apiserver::rbac::{self, Request, UserInfo};
use crate::sim::Sim;

/// Flags that take a value, so the word after them is not a type or a name.
const VALUE_FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "-o",
    "--output",
    "-l",
    "--selector",
    "-c",
    "--container",
    "-f",
    "--filename",
    "--field-selector",
    "--template",
    "--sort-by",
    "--image",
    "--replicas",
    "--port",
    "--type",
    "--target-port",
    "--name",
    "-p",
    "--patch",
    "--since",
    "--tail",
    "--timeout",
    "--for",
    "--to-revision",
    "--grace-period",
    "--cascade",
    "--overrides",
    "--env",
    "-e",
];

/// The command's words that are not flags (types and names), up to `--`.
fn words(args: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        if VALUE_FLAGS.contains(&a.as_str()) {
            it.next();
        } else if !a.starts_with('-') {
            out.push(a.clone());
        }
    }
    out
}

/// The requests `TYPE NAME…`, `TYPE/NAME…` or `TYPE1,TYPE2` stand for: `named` on each name,
/// `unnamed` on a type alone.
fn on_objects(words: &[String], named: &str, unnamed: &str, namespace: &str, sub: &str) -> Vec<Request> {
    let mut out = Vec::new();
    let Some(first) = words.first() else { return out };
    let req = |ty: &str, verb: &str, name: &str| -> Option<Request> {
        let r = discovery::lookup_name(ty)?;
        let ns = if r.namespaced { namespace } else { "" };
        let resource = if sub.is_empty() { r.plural.to_string() } else { format!("{}/{sub}", r.plural) };
        Some(Request::resource(verb, r.group(), &resource, ns, name))
    };
    if first.contains('/') {
        for w in words {
            if let Some((ty, name)) = w.split_once('/') {
                out.extend(req(ty, named, name));
            }
        }
        return out;
    }
    for ty in first.split(',').filter(|t| *t != "all") {
        if words.len() == 1 {
            out.extend(req(ty, unnamed, ""));
        } else {
            for name in &words[1..] {
                out.extend(req(ty, named, name));
            }
        }
    }
    if first.split(',').any(|t| t == "all") {
        for ty in ["pods", "services", "deployments", "replicasets"] {
            out.extend(req(ty, unnamed, ""));
        }
    }
    out
}

/// A pod named by the command's first word (`web`, `pod/web`, `deploy/web` → its pods).
fn on_pod(words: &[String], verb: &str, sub: &str, namespace: &str) -> Vec<Request> {
    let Some(target) = words.first() else { return Vec::new() };
    let name = target.rsplit('/').next().unwrap_or(target);
    vec![Request::resource(verb, "", &format!("pods/{sub}"), namespace, name)]
}

/// The objects `-f FILE` names, each with `verb` (`apply`: `patch` when it exists, else `create`).
fn from_files(sim: &Sim, io: &Io, args: &[String], verb: &str, namespace: &str) -> Vec<Request> {
    let mut files = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-f" | "--filename" => files.extend(it.next().cloned()),
            s if s.starts_with("--filename=") => files.push(s["--filename=".len()..].to_string()),
            _ => {}
        }
    }
    let Ok(manifests) = super::super::apply::read_manifests(io, &files, true) else { return Vec::new() };
    let mut out = Vec::new();
    for (_, text) in manifests {
        for o in crate::manifest::parse(&text).unwrap_or_default() {
            let Some(r) = discovery::lookup_kind(&o.api_version, &o.kind) else { continue };
            let ns = if r.namespaced { o.namespace().unwrap_or(namespace) } else { "" };
            let exists = sim.store().get(&o.kind, r.namespaced.then_some(ns), o.name()).is_some();
            let verb = match verb {
                "apply" if exists => "patch",
                "apply" => "create",
                v => v,
            };
            out.push(Request::resource(verb, r.group(), r.plural, ns, o.name()));
        }
    }
    out
}

/// The requests `kubectl VERB ARGS` makes, in the order it makes them.
pub fn requests(sim: &Sim, io: &Io, verb: &str, args: &[String], namespace: &str) -> Vec<Request> {
    let all_namespaces = args.iter().any(|a| a == "-A" || a == "--all-namespaces" || a == "--all-namespaces=true");
    let ns = if all_namespaces { "" } else { namespace };
    let w = words(args);
    let has_files = args.iter().any(|a| a == "-f" || a == "--filename" || a.starts_with("--filename="));
    match verb {
        "get" | "describe" if has_files => from_files(sim, io, args, "get", ns),
        "get" | "describe" => on_objects(&w, "get", "list", ns, ""),
        "delete" if has_files => from_files(sim, io, args, "delete", ns),
        "delete" => on_objects(&w, "delete", "deletecollection", ns, ""),
        "apply" | "replace" | "create" if has_files => {
            from_files(sim, io, args, if verb == "replace" { "update" } else { verb }, ns)
        }
        // `create token SA` asks the TokenRequest API: the ServiceAccount's token subresource.
        "create" if w.first().is_some_and(|k| k == "token") => {
            vec![Request::resource("create", "", "serviceaccounts/token", ns, w.get(1).map_or("", String::as_str))]
        }
        "create" => {
            let kind = w.first().map(String::as_str).unwrap_or("");
            let ty = match kind {
                "secret" | "service" => kind.to_string(),
                "quota" => "resourcequotas".into(),
                "pdb" => "poddisruptionbudgets".into(),
                k => k.to_string(),
            };
            on_objects(&[ty, w.get(1).cloned().unwrap_or_default()], "create", "create", ns, "")
                .into_iter()
                .map(|mut r| {
                    r.name.clear();
                    r
                })
                .collect()
        }
        "logs" => on_pod(&w, "get", "log", ns),
        "exec" => on_pod(&w, "create", "exec", ns),
        "attach" => on_pod(&w, "create", "attach", ns),
        "port-forward" => on_pod(&w, "create", "portforward", ns),
        "cp" => Vec::new(),
        "run" => vec![Request::resource("create", "", "pods", ns, "")],
        "expose" => vec![Request::resource("create", "", "services", ns, "")],
        "scale" => on_objects(&w, "patch", "patch", ns, "scale"),
        "label" | "annotate" | "patch" | "set" => on_objects(&w, "patch", "patch", ns, ""),
        "rollout" => {
            let sub = w.first().map(String::as_str).unwrap_or("");
            let verb = if matches!(sub, "status" | "history") { "get" } else { "patch" };
            on_objects(w.get(1..).unwrap_or(&[]), verb, verb, ns, "")
        }
        "cordon" | "uncordon" | "taint" | "drain" => w
            .iter()
            .skip(usize::from(verb == "taint" && w.first().is_some_and(|f| f == "nodes" || f == "node")))
            .take(1)
            .map(|n| Request::resource("patch", "", "nodes", "", n.rsplit('/').next().unwrap_or(n)))
            .collect(),
        "top" => {
            let what = if w.first().is_some_and(|t| t.starts_with("no")) { ("nodes", "") } else { ("pods", ns) };
            vec![Request::resource("list", "metrics.k8s.io", what.0, what.1, "")]
        }
        "wait" => on_objects(&w, "get", "list", ns, ""),
        "cluster-info" => vec![Request::resource("list", "", "services", "kube-system", "")],
        _ => Vec::new(),
    }
}

/// The Forbidden error for the first request `user` may not make, as kubectl prints it.
pub fn refuse(sim: &Sim, io: &Io, verb: &str, args: &[String], namespace: &str, user: &UserInfo) -> Option<Output> {
    let denied = requests(sim, io, verb, args, namespace).into_iter().find(|r| !rbac::allowed(sim.store(), user, r))?;
    let e = rbac::forbidden(user, &denied);
    if denied.resource == "serviceaccounts" && denied.subresource == "token" {
        // kubectl create token words the server's refusal itself.
        return Some(Output::err(format!("error: failed to create token: {}\n", e.message), 1));
    }
    Some(Output::err(format!("Error from server (Forbidden): {}\n", e.message), 1))
}
