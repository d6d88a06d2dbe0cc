//! `kubectl auth can-i …`, `kubectl auth whoami`, and who a kubectl command acts as: the
//! learner's admin, a user `--as`/`--as-group` impersonates, or a pod's ServiceAccount when
//! kubectl runs inside a pod. Requests from anyone but the admin are authorized by RBAC
//! ([`crate::sim::apiserver::rbac`]) before the verb runs.

pub mod request;

use super::flags::{boolean, value, Spec};
use super::table::tabwrite;
use crate::shell::Output;
use crate::sim::api::discovery;
use crate::sim::apiserver::rbac::{self, Request, Rule, UserInfo};
use crate::sim::Sim;

/// The verbs kubectl knows for resources and for non-resource URLs (others get a warning).
const RESOURCE_VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "use",
    "bind",
    "impersonate",
    "*",
    "approve",
    "sign",
    "escalate",
    "attest",
];
const URL_VERBS: &[&str] = &["get", "put", "post", "head", "options", "delete", "patch", "*"];

/// Who a kubectl command acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// Who the credentials are (the kubeconfig's user, or the pod's token).
    pub user: UserInfo,
    /// Who the request is made as (`--as`); `None`: as `user`.
    pub impersonated: Option<UserInfo>,
}

impl Identity {
    /// The learner's kubectl.
    pub fn admin() -> Identity {
        Identity { user: UserInfo::admin(), impersonated: None }
    }

    /// Who the API server sees.
    pub fn effective(&self) -> &UserInfo {
        self.impersonated.as_ref().unwrap_or(&self.user)
    }

    /// Whether RBAC has to be asked (the admin may do everything).
    pub fn is_admin(&self) -> bool {
        *self.effective() == UserInfo::admin()
    }
}

/// Takes kubectl's global `--as USER`, `--as-group GROUP` (repeatable) and `--as-uid UID` out of
/// `args` (before any `--`) and makes `identity` impersonate them.
pub fn take_impersonation(args: &[String], identity: &Identity) -> Result<(Identity, Vec<String>), Output> {
    let (mut user, mut groups, mut uid) = (None, Vec::new(), None);
    let mut rest = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        if a == "--" {
            rest.extend_from_slice(&args[i..]);
            break;
        }
        let flag = ["as", "as-group", "as-uid"].into_iter().find_map(|f| {
            let long = format!("--{f}");
            if *a == long {
                Some((f, args.get(i + 1).cloned(), 2))
            } else {
                a.strip_prefix(&format!("{long}=")).map(|v| (f, Some(v.to_string()), 1))
            }
        });
        match flag {
            Some((f, None, _)) => return Err(Output::err(format!("error: flag needs an argument: --{f}\n"), 1)),
            Some((f, Some(v), step)) => {
                match f {
                    "as" => user = Some(v),
                    "as-group" => groups.push(v),
                    _ => uid = Some(v),
                }
                i += step;
            }
            None => {
                rest.push(a.clone());
                i += 1;
            }
        }
    }
    let mut identity = identity.clone();
    match user.filter(|u| !u.is_empty()) {
        Some(u) => {
            let mut as_user = UserInfo::impersonated(&u, &groups);
            as_user.uid = uid.unwrap_or_default();
            identity.impersonated = Some(as_user);
        }
        None if !groups.is_empty() => {
            return Err(Output::err(
                "error: requesting uid or groups for impersonation without a user name is not allowed\n",
                1,
            ))
        }
        None => {}
    }
    Ok((identity, rest))
}

/// Refuses impersonation the real user may not do (`impersonate` on users, groups, uids).
pub fn check_impersonation(sim: &Sim, identity: &Identity) -> Result<(), Output> {
    let Some(as_user) = &identity.impersonated else { return Ok(()) };
    let store = sim.store();
    let mut asks = Vec::new();
    match as_user.name.strip_prefix("system:serviceaccount:").and_then(|r| r.split_once(':')) {
        Some((ns, name)) => asks.push(Request::resource("impersonate", "", "serviceaccounts", ns, name)),
        None => asks.push(Request::resource("impersonate", "", "users", "", &as_user.name)),
    }
    for g in &as_user.groups {
        if g != rbac::AUTHENTICATED && !g.starts_with("system:serviceaccounts") {
            asks.push(Request::resource("impersonate", "", "groups", "", g));
        }
    }
    for req in asks {
        if let Err(e) = rbac::authorize(store, &identity.user, &req) {
            return Err(Output::err(format!("Error from server (Forbidden): {}\n", e.message), 1));
        }
    }
    Ok(())
}

/// `kubectl auth SUBCOMMAND …`.
pub fn run(sim: &Sim, args: &[String], namespace: &str, identity: &Identity) -> Output {
    match args.split_first() {
        Some((sub, rest)) if sub == "can-i" => can_i(sim, rest, namespace, identity.effective()),
        Some((sub, rest)) if sub == "whoami" => whoami(rest, identity.effective()),
        Some((sub, _)) if sub == "reconcile" => Output::err(
            "error: kubectl auth reconcile is not part of this sandbox: apply the roles and bindings with kubectl apply -f\n",
            1,
        ),
        Some((sub, _)) => Output::err(format!("error: unknown command \"{sub}\" for \"kubectl auth\"\n"), 1),
        None => Output::ok(
            "Inspect authorization\n\nAvailable Commands:\n  can-i         Check whether an action is allowed\n  reconcile     Reconciles rules for RBAC role, role binding, cluster role, and cluster role binding objects\n  whoami        Experimental: Check self subject attributes\n\nUsage:\n  kubectl auth [flags] [options]\n\nUse \"kubectl <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n",
        ),
    }
}

const CAN_I_FLAGS: &[Spec] = &[
    boolean("all-namespaces").short('A'),
    boolean("quiet").short('q'),
    boolean("list"),
    boolean("no-headers"),
    value("subresource"),
];

/// `kubectl auth can-i VERB TYPE[/NAME] | VERB /URL`, or `--list`.
fn can_i(sim: &Sim, args: &[String], namespace: &str, user: &UserInfo) -> Output {
    let flags = match super::flags::parse(args, CAN_I_FLAGS, "kubectl auth can-i") {
        Ok(f) => f,
        Err(e) => return Output::err(e, 1),
    };
    let words = &flags.args;
    let subresource = flags.get("subresource").unwrap_or("").to_string();
    if flags.on("list") {
        if !words.is_empty() {
            return Output::err("error: list option must be specified with no arguments\n", 1);
        }
        if flags.on("quiet") || flags.on("all-namespaces") || !subresource.is_empty() {
            return Output::err(
                "error: list option can't be specified with neither quiet, all-namespaces nor subresource options\n",
                1,
            );
        }
        return Output::ok(list(&rbac::rules_for(sim.store(), user, namespace), flags.on("no-headers")));
    }
    if words.len() != 2 {
        return Output::err(
            "error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.\n",
            1,
        );
    }
    let verb = words[0].as_str();
    let namespace = if flags.on("all-namespaces") { "" } else { namespace };
    let mut warnings = String::new();
    let req = if words[1].starts_with('/') {
        if !subresource.is_empty() {
            return Output::err("error: --subresource can not be used with NonResourceURL\n", 1);
        }
        if !URL_VERBS.contains(&verb) {
            warnings.push_str(&format!("Warning: verb '{verb}' is not a known verb\n"));
        }
        Request::non_resource(verb, &words[1])
    } else {
        let (ty, name) = words[1].split_once('/').unwrap_or((&words[1], ""));
        let (resource, group, namespaced) = resource_for(ty, &mut warnings);
        if !namespaced && !namespace.is_empty() {
            match group.as_str() {
                "" => warnings.push_str(&format!("Warning: resource '{resource}' is not namespace scoped\n")),
                g => warnings
                    .push_str(&format!("Warning: resource '{resource}' is not namespace scoped in group '{g}'\n")),
            }
        }
        if !RESOURCE_VERBS.contains(&verb) {
            warnings.push_str(&format!("Warning: verb '{verb}' is not a known verb\n"));
        }
        let mut req = Request::resource(verb, &group, &resource, namespace, name);
        req.subresource = subresource;
        req
    };
    if flags.on("no-headers") {
        return Output::err(format!("{warnings}error: --no-headers cannot be set without --list specified\n"), 1);
    }
    let allowed = rbac::allowed(sim.store(), user, &req);
    let text = if flags.on("quiet") {
        ""
    } else if allowed {
        "yes\n"
    } else {
        "no\n"
    };
    Output { stdout: text.into(), stderr: warnings, status: if allowed { 0 } else { 1 }, ..Output::default() }
}

/// The plural, group and scope `TYPE` means (`deploy` → deployments, apps); a type discovery
/// does not have is asked about as written, with kubectl's warning.
fn resource_for(ty: &str, warnings: &mut String) -> (String, String, bool) {
    if ty == "*" {
        return ("*".into(), String::new(), true);
    }
    let lower = ty.to_ascii_lowercase();
    if let Some(r) = discovery::lookup_name(&lower) {
        return (r.plural.to_string(), r.group().to_string(), r.namespaced);
    }
    let (res, group) = lower.split_once('.').unwrap_or((&lower, ""));
    if !matches!(lower.as_str(), "users" | "groups") {
        match group {
            "" => warnings.push_str(&format!("Warning: the server doesn't have a resource type '{res}'\n")),
            g => {
                warnings.push_str(&format!("Warning: the server doesn't have a resource type '{res}' in group '{g}'\n"))
            }
        }
    }
    (ty.to_string(), String::new(), true)
}

/// Go's `%v` of a string slice.
fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

/// The rule as protobuf's `String()` writes it: what kubectl sorts the `--list` table by.
fn sort_key(r: &Rule) -> String {
    format!(
        "&PolicyRule{{Verbs:{},APIGroups:{},Resources:{},ResourceNames:{},NonResourceURLs:{},}}",
        go_list(&r.verbs),
        go_list(&r.api_groups),
        go_list(&r.resources),
        go_list(&r.resource_names),
        go_list(&r.non_resource_urls)
    )
}

/// Every rule broken down to one verb, resource and name, rules that differ only by verb merged
/// again, sorted as kubectl sorts them (for `can-i --list` and `describe role`).
pub fn compact(rules: &[Rule]) -> Vec<Rule> {
    let mut simple: Vec<Rule> = Vec::new();
    let mut others: Vec<Rule> = Vec::new();
    let one = |s: &String| vec![s.clone()];
    for r in rules {
        for g in &r.api_groups {
            for res in &r.resources {
                for v in &r.verbs {
                    let names: Vec<Vec<String>> = if r.resource_names.is_empty() {
                        vec![vec![]]
                    } else {
                        r.resource_names.iter().map(one).collect()
                    };
                    for n in names {
                        let part = Rule {
                            verbs: one(v),
                            api_groups: one(g),
                            resources: one(res),
                            resource_names: n,
                            ..Rule::default()
                        };
                        match simple.iter_mut().find(|s| {
                            s.api_groups == part.api_groups
                                && s.resources == part.resources
                                && s.resource_names == part.resource_names
                        }) {
                            Some(s) if !s.verbs.contains(v) => s.verbs.push(v.clone()),
                            Some(_) => {}
                            None => simple.push(part),
                        }
                    }
                }
            }
        }
        for url in &r.non_resource_urls {
            for v in &r.verbs {
                others.push(Rule { verbs: one(v), non_resource_urls: one(url), ..Rule::default() });
            }
        }
    }
    others.extend(simple);
    others.sort_by_key(sort_key);
    others
}

/// One compacted rule as a table row: resource, URLs, names, verbs.
pub fn rule_row(r: &Rule) -> String {
    format!(
        "{}\t{}\t{}\t{}\n",
        combine_resource_group(&r.resources, &r.api_groups),
        go_list(&r.non_resource_urls),
        go_list(&r.resource_names),
        go_list(&r.verbs)
    )
}

/// kubectl's `--list` table.
fn list(rules: &[Rule], no_headers: bool) -> String {
    let mut text = String::new();
    if !no_headers {
        text.push_str("Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
    }
    for r in compact(rules) {
        text.push_str(&rule_row(&r));
    }
    tabwrite(&text, 6, 3)
}

/// `pods/log` in `""` → `pods/log`; `deployments` in `apps` → `deployments.apps`.
fn combine_resource_group(resources: &[String], groups: &[String]) -> String {
    let Some(first) = resources.first() else { return String::new() };
    let (base, sub) = first.split_once('/').map_or((first.as_str(), None), |(b, s)| (b, Some(s)));
    let mut out = base.to_string();
    if let Some(g) = groups.first().filter(|g| !g.is_empty()) {
        out.push('.');
        out.push_str(g);
    }
    if let Some(s) = sub {
        out.push('/');
        out.push_str(s);
    }
    out
}

/// `kubectl auth whoami`: the attributes the API server authenticated.
fn whoami(args: &[String], user: &UserInfo) -> Output {
    let flags = match super::flags::parse(args, &[value("output")], "kubectl auth whoami") {
        Ok(f) => f,
        Err(e) => return Output::err(e, 1),
    };
    if let Some(format) = flags.get("output") {
        return whoami_object(format, user);
    }
    let mut text = String::from("ATTRIBUTE\tVALUE\nUsername\t");
    text.push_str(&user.name);
    text.push('\n');
    if !user.uid.is_empty() {
        text.push_str(&format!("UID\t{}\n", user.uid));
    }
    if !user.groups.is_empty() {
        text.push_str(&format!("Groups\t{}\n", go_list(&user.groups)));
    }
    for (k, v) in &user.extra {
        text.push_str(&format!("Extra: {k}\t{}\n", go_list(v)));
    }
    Output::ok(tabwrite(&text, 6, 3))
}

/// `whoami -o json|yaml`: the SelfSubjectReview the API server answered.
fn whoami_object(format: &str, user: &UserInfo) -> Output {
    let mut info = serde_json::json!({"username": user.name, "groups": user.groups});
    if !user.uid.is_empty() {
        info["uid"] = serde_json::json!(user.uid);
    }
    if !user.extra.is_empty() {
        info["extra"] = serde_json::json!(user.extra);
    }
    let review = serde_json::json!({
        "kind": "SelfSubjectReview",
        "apiVersion": "authentication.k8s.io/v1",
        "metadata": {"creationTimestamp": null},
        "status": {"userInfo": info},
    });
    match format {
        "json" => Output::ok(format!("{}\n", serde_json::to_string_pretty(&review).unwrap_or_default())),
        "yaml" => Output::ok(super::yaml::to_string(&review)),
        other => Output::err(
            format!("error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: json,yaml\n"),
            1,
        ),
    }
}

#[cfg(test)]
mod tests;
