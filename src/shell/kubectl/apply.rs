//! `kubectl apply -f` and `kubectl create -f`: manifests from files (or a directory) sent to the
//! API server, reported as kubectl reports them (`deployment.apps/web created`, `configured`,
//! `unchanged`), with kubectl's error wording.
//!
//! `apply` keeps the `kubectl.kubernetes.io/last-applied-configuration` annotation and sends a
//! three-way strategic merge patch, so fields removed from the manifest are removed live.

use serde_json::{json, Map, Value};

use super::create::{DryRun, Mode};
use super::{flags, output, yaml};
use crate::shell::files::Io;
use crate::shell::Output;
use crate::sim::api::{discovery, without_nulls, Object};
use crate::sim::apiserver::patch::{merge_key, strategic_merge_patch, PatchType};
use crate::sim::apiserver::{self, ApiError, Reason};
use crate::sim::Sim;

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// `kind.group/name` as kubectl prints an object reference.
pub fn reference(obj: &Object) -> String {
    let kind = obj.kind.to_ascii_lowercase();
    let group = obj.api_version.rsplit_once('/').map_or("", |(g, _)| g);
    if group.is_empty() {
        format!("{kind}/{}", obj.name())
    } else {
        format!("{kind}.{group}/{}", obj.name())
    }
}

/// kubectl's rendering of a server error for `verb` ("creating", "applying") of `file`.
pub fn server_error(e: &ApiError, verb: &str, file: &str, obj: &Object) -> String {
    match e.reason {
        Reason::NoKindMatch => format!(
            "error: resource mapping not found for name: \"{}\" namespace: \"{}\" from \"{file}\": {}\nensure CRDs are installed first\n",
            obj.name(),
            obj.namespace().unwrap_or(""),
            e.message
        ),
        Reason::Invalid => {
            let detail = e.message.split_once(" is invalid: ").map_or(e.message.as_str(), |(_, d)| d);
            format!("The {} \"{}\" is invalid: {detail}\n", obj.kind, obj.name())
        }
        _ => {
            let mut text = format!("Error from server ({}): error when {verb} \"{file}\": {}\n", e.reason.as_str(), e.message);
            for hint in &e.hints {
                text.push_str(&format!("hint: {hint}\n"));
            }
            text
        }
    }
}

/// Reads the manifests named by `-f` values: files, `-` (stdin), or every .yaml/.yml/.json in a
/// directory (and its subdirectories with `-R`; symlinked directories are not followed, as
/// Go's `filepath.Walk` does not).
pub fn read_manifests(io: &Io, paths: &[String], recursive: bool) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p == "-" {
            out.push(("STDIN".to_string(), io.stdin.unwrap_or("").to_string()));
            continue;
        }
        if p.starts_with("https://") || p.starts_with("http://") {
            out.push((p.clone(), read_url(p)?));
            continue;
        }
        let before = out.len();
        if read_dir(io, p, recursive, 0, &mut out)? {
            if out.len() == before {
                return Err(format!("error: error reading [{p}]: recognized file extensions are [.json .yaml .yml]\n"));
            }
        } else {
            let text = io.read_file(p).map_err(|err| err.kubectl_message(p))?;
            out.push((p.clone(), text));
        }
    }
    Ok(out)
}

/// The manifest at a URL. SIM: the sandbox has no internet; the ingress-nginx install URLs
/// courses use (`sim::system::ingress_nginx`) and the kubernetes.io examples the tutorials apply
/// (`manifest::examples`) are answered by the sandbox; any other URL fails as kubectl does
/// without a network, with a sentence saying why.
fn read_url(url: &str) -> Result<String, String> {
    if let Some(text) = crate::manifest::examples::lookup(url) {
        return Ok(text.to_string());
    }
    match crate::sim::system::ingress_nginx::manifest_for_url(url) {
        Some(answer) => answer,
        None => {
            let host = url.split_once("://").map_or(url, |(_, r)| r).split(['/', ':']).next().unwrap_or("");
            Err(format!(
                "error: Get \"{url}\": dial tcp: lookup {host}: no such host\n(the sandbox has no internet: of manifests on the web it knows only ingress-nginx's deploy.yaml and the kubernetes.io tutorials' examples; save the manifest in a file and apply that)\n"
            ))
        }
    }
}

/// The most directories deep `-R` goes (a guard: symlinks are not followed anyway).
const MAX_DEPTH: usize = 64;

/// Adds the manifests of directory `p` to `out`; false when `p` is no directory.
fn read_dir(io: &Io, p: &str, recursive: bool, depth: usize, out: &mut Vec<(String, String)>) -> Result<bool, String> {
    let Some(entries) = io.list(p) else { return Ok(false) };
    for e in entries {
        let name = format!("{}/{}", p.trim_end_matches('/'), e.path.rsplit('/').next().unwrap_or(""));
        if e.is_dir {
            if recursive && depth < MAX_DEPTH {
                read_dir(io, &name, true, depth + 1, out)?;
            }
        } else if [".yaml", ".yml", ".json"].iter().any(|x| e.path.ends_with(x)) {
            let text = io.read_file(&e.path).map_err(|err| err.kubectl_message(&name))?;
            // kubectl names files in a directory by the path given plus the file name.
            out.push((name, text));
        }
    }
    Ok(true)
}

/// What was removed since the last apply: keys as `null`s, and items of lists merged by key
/// (`containers` by name, `ports` by port …) as `$patch: delete` directives, as kubectl's
/// three-way strategic merge computes them.
fn deletions(last: &Value, new: &Value) -> Value {
    let (Value::Object(l), Value::Object(n)) = (last, new) else { return Value::Null };
    let mut out = Map::new();
    for (k, lv) in l {
        match (lv, n.get(k)) {
            (_, None) => {
                out.insert(k.clone(), Value::Null);
            }
            (Value::Object(_), Some(nv)) if nv.is_object() => {
                let inner = deletions(lv, nv);
                if inner.as_object().is_some_and(|m| !m.is_empty()) {
                    out.insert(k.clone(), inner);
                }
            }
            (Value::Array(la), Some(Value::Array(na))) => {
                let Some(key) = merge_key(k, la) else { continue };
                let mut items = Vec::new();
                for li in la {
                    let Some(id) = li.get(key) else { continue };
                    match na.iter().find(|ni| ni.get(key) == Some(id)) {
                        None => items.push(json!({key: id, "$patch": "delete"})),
                        Some(ni) => {
                            if let Value::Object(mut inner) = deletions(li, ni) {
                                if !inner.is_empty() {
                                    inner.insert(key.to_string(), id.clone());
                                    items.push(Value::Object(inner));
                                }
                            }
                        }
                    }
                }
                if !items.is_empty() {
                    out.insert(k.clone(), Value::Array(items));
                }
            }
            _ => {}
        }
    }
    Value::Object(out)
}

/// The patch: the manifest with the deletions folded in (list items joined by their key).
fn merge_values(a: &Value, b: &Value, field: &str) -> Value {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut out = x.clone();
            for (k, v) in y {
                let merged = merge_values(out.get(k).unwrap_or(&Value::Null), v, k);
                out.insert(k.clone(), merged);
            }
            Value::Object(out)
        }
        (Value::Array(x), Value::Array(y)) => {
            let Some(key) = merge_key(field, y).or_else(|| merge_key(field, x)) else { return b.clone() };
            let mut out: Vec<Value> = y
                .iter()
                .map(|yi| match x.iter().find(|xi| xi.get(key).is_some() && xi.get(key) == yi.get(key)) {
                    Some(xi) => merge_values(xi, yi, ""),
                    None => yi.clone(),
                })
                .collect();
            out.extend(x.iter().filter(|xi| xi.get("$patch").is_some()).cloned());
            Value::Array(out)
        }
        (_, b) => b.clone(),
    }
}

/// Runs `kubectl apply|create -f …` (`create` refuses existing objects), printing each object
/// as `-o yaml|json|name` asks, with `--dry-run=client|server` changing nothing.
pub fn run(sim: &mut Sim, io: &Io, args: &[String], namespace: &str, create_only: bool) -> Output {
    let verb = if create_only { "create" } else { "apply" };
    let specs = [flags::value("filename").short('f'), flags::boolean("recursive").short('R')];
    let f = match flags::parse(args, &specs, &format!("kubectl {verb}")) {
        Ok(f) => f,
        Err(e) => return Output::err(e, 1),
    };
    let mode = match Mode::from_flags(&f, namespace) {
        Ok(m) => m,
        Err(e) => return Output::err(e, 1),
    };
    let files: Vec<String> = f.all("filename").iter().map(|s| s.to_string()).collect();
    let recursive = f.on("recursive");
    if files.is_empty() {
        return Output::err(
            format!("error: must specify one of -f and -k\n\nSee 'kubectl {verb} -h' for help and examples\n"),
            1,
        );
    }
    let manifests = match read_manifests(io, &files, recursive) {
        Ok(m) => m,
        Err(e) => return Output::err(e, 1),
    };
    let mut out = Output::default();
    let mut printed = 0;
    let mut seen = 0;
    for (file, text) in manifests {
        let objects = match crate::manifest::parse(&text) {
            Ok(o) => o,
            // A document that is a list or a scalar: kubectl's schema validation (on by
            // default) refuses it before anything is decoded.
            Err(crate::manifest::ManifestError::Object(crate::sim::api::ObjectError::NotAMapping)) => {
                out.stderr.push_str(&format!(
                    "error: error validating \"{file}\": error validating data: invalid object to validate; \
                     if you choose to ignore these errors, turn validation off with --validate=false\n"
                ));
                out.status = 1;
                continue;
            }
            // kubectl's schema validation decodes JSON first and stops at an out-of-range number.
            Err(e @ crate::manifest::ManifestError::NumberRange(_)) => {
                out.stderr.push_str(&format!(
                    "error: error validating \"{file}\": error validating data: {e}; \
                     if you choose to ignore these errors, turn validation off with --validate=false\n"
                ));
                out.status = 1;
                continue;
            }
            Err(e) => {
                out.stderr.push_str(&format!("error: error parsing {file}: {e}\n"));
                out.status = 1;
                continue;
            }
        };
        seen += objects.len();
        for mut obj in objects {
            let namespaced = discovery::lookup_kind(&obj.api_version, &obj.kind).is_none_or(|r| r.namespaced);
            if namespaced && obj.metadata.namespace.is_none() {
                obj.metadata.namespace = Some(namespace.to_string());
            }
            if !create_only && mode.dry_run != DryRun::Client {
                out.eprint(&missing_last_applied(sim, &obj));
            }
            match apply_one(sim, obj.clone(), create_only, mode.dry_run) {
                Ok((word, result)) => {
                    let text = match mode.output.as_deref() {
                        Some("yaml") => {
                            // kubectl's YAML printer separates the documents it prints.
                            let sep = if printed > 0 { "---\n" } else { "" };
                            format!("{sep}{}", yaml::to_string(&result))
                        }
                        Some("json") => output::json_text(&result),
                        Some(_) => format!("{}\n", reference(&obj)),
                        None => {
                            let suffix = match mode.dry_run {
                                DryRun::None => "",
                                DryRun::Client => " (dry run)",
                                DryRun::Server => " (server dry run)",
                            };
                            format!("{} {word}{suffix}\n", reference(&obj))
                        }
                    };
                    printed += 1;
                    out.stdout.push_str(&text);
                }
                Err(e) => {
                    let verb = "creating";
                    out.stderr.push_str(&server_error(&e, verb, &file, &obj));
                    out.status = 1;
                }
            }
        }
    }
    if seen == 0 && out.status == 0 {
        // Empty files, `---` alone, nothing on stdin: kubectl refuses to do nothing quietly.
        return Output::err(format!("error: no objects passed to {verb}\n"), 1);
    }
    out
}

/// kubectl's warning before it applies to an object that was not applied before (made by
/// `kubectl create` or `run`): the annotation it compares against is missing, and is added.
fn missing_last_applied(sim: &Sim, obj: &Object) -> String {
    let Some(live) = sim.store().get(&obj.kind, obj.namespace(), obj.name()) else {
        return String::new();
    };
    if live.metadata.annotations.as_ref().is_some_and(|a| a.contains_key(LAST_APPLIED)) {
        return String::new();
    }
    let resource =
        discovery::preferred_for_kind(&obj.kind).map_or(obj.kind.to_ascii_lowercase(), |r| r.plural.to_string());
    format!(
        "Warning: resource {resource}/{} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. \
         kubectl apply should only be used on resources created declaratively by either kubectl create --save-config \
         or kubectl apply. The missing annotation will be patched automatically.\n",
        obj.name()
    )
}

/// Applies (or creates) one object: what kubectl reports (`created`, `configured`,
/// `unchanged`) and the object as it now stands. A dry run changes nothing and returns the
/// object as it would be.
// SIM: a server-side dry run is answered as a client-side one: no defaults or uid are filled in.
pub(crate) fn apply_one(
    sim: &mut Sim,
    mut obj: Object,
    create_only: bool,
    dry_run: DryRun,
) -> Result<(&'static str, Value), ApiError> {
    let ns = obj.namespace().map(str::to_string);
    let existing = sim.store().get(&obj.kind, ns.as_deref(), obj.name()).cloned();
    let manifest = obj.to_value();
    let dry = dry_run != DryRun::None;
    match existing {
        None => {
            if !create_only {
                obj.metadata
                    .annotations
                    .get_or_insert_with(Default::default)
                    .insert(LAST_APPLIED.into(), format!("{manifest}\n"));
            }
            if dry {
                return Ok(("created", obj.to_value()));
            }
            let created = sim.create(obj)?;
            Ok(("created", created.to_value()))
        }
        Some(_) if create_only => {
            let resource = discovery::preferred_for_kind(&obj.kind).map_or(obj.kind.to_ascii_lowercase(), |r| {
                if r.group().is_empty() {
                    r.plural.to_string()
                } else {
                    format!("{}.{}", r.plural, r.group())
                }
            });
            Err(ApiError {
                reason: Reason::AlreadyExists,
                message: format!("{resource} \"{}\" already exists", obj.name()),
                hints: Vec::new(),
            })
        }
        Some(live) => {
            let last: Value = live
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get(LAST_APPLIED))
                .and_then(|t| serde_json::from_str(t).ok())
                .unwrap_or(Value::Null);
            let mut patch = merge_values(&deletions(&last, &manifest), &manifest, "");
            patch["metadata"]["annotations"][LAST_APPLIED] = Value::String(format!("{manifest}\n"));
            let before = live.to_value();
            let merged = strategic_merge_patch(&before, &patch).map_err(|e| ApiError {
                reason: Reason::BadRequest,
                message: e,
                hints: Vec::new(),
            })?;
            if without_nulls(&merged) == without_nulls(&before) {
                return Ok(("unchanged", before));
            }
            if dry {
                return Ok(("configured", merged));
            }
            let updated = apiserver::patch(sim, &live.kind, ns.as_deref(), live.name(), PatchType::Strategic, &patch)?;
            let strip = |v: &Value| {
                let mut v = v.clone();
                if let Some(m) = v["metadata"].as_object_mut() {
                    m.remove("resourceVersion");
                    m.remove("generation");
                }
                v
            };
            let after = updated.to_value();
            let same = without_nulls(&strip(&after)) == without_nulls(&strip(&before));
            Ok((if same { "unchanged" } else { "configured" }, after))
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::terminal::Terminal;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn apply_prints_objects_as_o_asks_and_a_dry_run_changes_nothing() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        t.run_line(&mut sim, "kubectl create deployment web --image=nginx:1.27 --dry-run=client -o yaml > d.yaml");
        let out = t.run_line(&mut sim, "kubectl apply -f d.yaml --dry-run=client");
        assert_eq!(out.stdout, "deployment.apps/web created (dry run)\n");
        let out = t.run_line(&mut sim, "kubectl apply -f d.yaml --dry-run=server -o yaml");
        assert!(out.stdout.starts_with("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: |\n"), "{}", out.stdout);
        assert_eq!(t.run_line(&mut sim, "kubectl get deploy").stderr, "No resources found in default namespace.\n");
        let out = t.run_line(&mut sim, "kubectl apply -f d.yaml -o yaml");
        assert!(out.stdout.contains("\n  resourceVersion: \""), "{}", out.stdout);
        assert_eq!(t.run_line(&mut sim, "kubectl create -f d.yaml -o name").status, 1);
        let out = t.run_line(&mut sim, "kubectl apply -f d.yaml -f d.yaml -o yaml");
        assert_eq!(out.stdout.matches("\n---\napiVersion: apps/v1\n").count(), 1, "{}", out.stdout);
        let out = t.run_line(&mut sim, "kubectl apply -f d.yaml --nope");
        assert_eq!(out.stderr, "Error: unknown flag: --nope\nSee 'kubectl apply --help' for usage.\n");
    }

    #[test]
    fn applying_to_an_object_made_by_create_warns_before_it_reports_it_configured() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        t.run_line(&mut sim, "kubectl create deployment web --image=nginx");
        t.run_line(&mut sim, "kubectl create deployment web --image=nginx:1.25 --dry-run=client -o yaml > d.yaml");
        let out = t.run_line(&mut sim, "kubectl apply -f d.yaml");
        assert_eq!(
            out.shown(),
            "Warning: resource deployments/web is missing the kubectl.kubernetes.io/last-applied-configuration annotation \
             which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by \
             either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n\
             deployment.apps/web configured\n"
        );
        // The annotation is there now: no warning again.
        assert_eq!(t.run_line(&mut sim, "kubectl apply -f d.yaml").shown(), "deployment.apps/web unchanged\n");
    }

    #[test]
    fn applying_the_same_generated_manifest_again_is_unchanged_and_starts_no_rollout() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        t.run_line(&mut sim, "kubectl create deployment web --image=nginx:1.27 --dry-run=client -o yaml > d.yaml");
        assert_eq!(t.run_line(&mut sim, "kubectl apply -f d.yaml").stdout, "deployment.apps/web created\n");
        t.run_line(&mut sim, "sleep 20");
        assert_eq!(t.run_line(&mut sim, "kubectl apply -f d.yaml").stdout, "deployment.apps/web unchanged\n");
        t.run_line(&mut sim, "sleep 20");
        let out = t.run_line(&mut sim, "kubectl get rs -o name");
        assert_eq!(out.stdout.lines().count(), 1, "{}", out.stdout);
        let gen = t.run_line(&mut sim, "kubectl get deploy web -o jsonpath={.metadata.generation}");
        assert_eq!(gen.stdout, "1");
    }

    #[test]
    fn apply_removes_list_items_the_manifest_no_longer_has_by_their_merge_key() {
        let mut sim = Sim::new(crate::sim::SimConfig::default());
        let mut t = crate::shell::terminal::Terminal::default();
        let head = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n";
        let two = format!("{head}        env: [{{name: A, value: '1'}}, {{name: B, value: '2'}}]\n        ports: [{{containerPort: 80}}, {{containerPort: 443}}]\n      - name: side\n        image: busybox\n");
        let one = format!("{head}        env: [{{name: A, value: '1'}}]\n        ports: [{{containerPort: 80}}]\n");
        t.run_line(&mut sim, &format!("cat > d.yaml <<'EOF'\n{two}EOF"));
        assert_eq!(t.run_line(&mut sim, "kubectl apply -f d.yaml").stdout, "deployment.apps/web created\n");
        t.run_line(&mut sim, &format!("cat > d.yaml <<'EOF'\n{one}EOF"));
        let out = t.run_line(&mut sim, "kubectl apply -f d.yaml");
        assert_eq!(out.stdout, "deployment.apps/web configured\n", "{}", out.stderr);
        let d = sim.store().get("Deployment", Some("default"), "web").unwrap().to_value();
        let containers = &d["spec"]["template"]["spec"]["containers"];
        assert_eq!(containers.as_array().map(Vec::len), Some(1), "{containers}");
        assert_eq!(containers[0]["env"], serde_json::json!([{"name": "A", "value": "1"}]));
        assert_eq!(containers[0]["ports"].as_array().map(Vec::len), Some(1), "{containers}");
        assert_eq!(t.run_line(&mut sim, "kubectl apply -f d.yaml").stdout, "deployment.apps/web unchanged\n");
    }

    #[test]
    fn applying_a_forbidden_statefulset_spec_change_prints_the_api_servers_forbidden_error() {
        let mut sim = Sim::new(crate::sim::SimConfig::default());
        let mut t = crate::shell::terminal::Terminal::default();
        let sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  replicas: 1\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers: [{name: db, image: nginx}]\n";
        t.run_line(&mut sim, &format!("cat > s.yaml <<'EOF'\n{sts}EOF"));
        t.run_line(&mut sim, "kubectl apply -f s.yaml");
        t.run_line(
            &mut sim,
            &format!("cat > s.yaml <<'EOF'\n{}EOF", sts.replace("serviceName: db", "serviceName: other")),
        );
        let out = t.run_line(&mut sim, "kubectl apply -f s.yaml");
        assert_eq!(out.stderr, "The StatefulSet \"db\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden\n");
        t.run_line(&mut sim, &format!("cat > s.yaml <<'EOF'\n{}EOF", sts.replace("replicas: 1", "replicas: 2")));
        assert_eq!(t.run_line(&mut sim, "kubectl apply -f s.yaml").stdout, "statefulset.apps/db configured\n");
    }
}
