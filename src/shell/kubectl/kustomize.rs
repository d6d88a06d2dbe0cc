//! `kubectl kustomize DIR` and `-k DIR`: a kustomization built as kubectl 1.32's embedded
//! kustomize (v5) builds it — resources (files and nested kustomizations), generators with
//! content hashes, patches, and the built-in transformers — printed in kustomize's legacy order.

mod generators;
mod patches;
mod sha256;
mod transform;

use serde_json::{Map, Value};

use super::yaml;
use crate::shell::files::{absolute, Io};
use crate::shell::Output;
use crate::sim::Sim;

/// A kustomization file's fields.
pub type Kustomization = Map<String, Value>;

/// The names kustomize looks for in a directory, in its order.
const FILE_NAMES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Fields of a kustomization the sandbox builds.
const BUILT: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "resources",
    "bases",
    "namespace",
    "namePrefix",
    "nameSuffix",
    "commonLabels",
    "labels",
    "commonAnnotations",
    "images",
    "imageTags",
    "replicas",
    "configMapGenerator",
    "secretGenerator",
    "generatorOptions",
    "patches",
    "patchesStrategicMerge",
    "patchesJson6902",
    "buildMetadata",
    "sortOptions",
];

/// Fields kustomize has and the sandbox does not build (any other field kustomize refuses).
// SIM: components, vars, replacements, plugins and Helm are not simulated; a kustomization
// that uses them is refused whole rather than built without them.
const UNSUPPORTED: &[&str] = &[
    "components",
    "vars",
    "replacements",
    "crds",
    "configurations",
    "generators",
    "transformers",
    "validators",
    "helmCharts",
    "helmGlobals",
    "openapi",
    "helmChartInflationGenerator",
];

/// Fields kustomize warns about, and what replaces them.
const DEPRECATED: &[(&str, &str)] = &[
    ("bases", "resources"),
    ("commonLabels", "labels"),
    ("imageTags", "images"),
    ("patchesJson6902", "patches"),
    ("patchesStrategicMerge", "patches"),
];

/// How deep kustomizations may nest (a guard against a directory that includes itself).
const MAX_DEPTH: usize = 32;

/// One resource while it is built: its object, whether its name still gets the content hash,
/// and the names it had before (patches and `replicas` find it by any of them).
#[derive(Debug, Clone)]
pub struct Res {
    pub value: Value,
    pub hash: bool,
    earlier: Vec<String>,
}

impl Res {
    fn new(value: Value, hash: bool) -> Res {
        Res { value, hash, earlier: Vec::new() }
    }
    fn kind(&self) -> &str {
        self.value["kind"].as_str().unwrap_or("")
    }
    fn name(&self) -> &str {
        self.value["metadata"]["name"].as_str().unwrap_or("")
    }
    fn namespace(&self) -> String {
        self.value["metadata"]["namespace"].as_str().unwrap_or("").to_string()
    }
    fn rename(&mut self, to: &str) {
        self.earlier.push(self.name().to_string());
        self.value["metadata"]["name"] = to.into();
    }
    fn names(&self) -> Vec<&str> {
        std::iter::once(self.name()).chain(self.earlier.iter().map(String::as_str)).collect()
    }
    fn answers_to(&self, name: &str) -> bool {
        self.names().contains(&name)
    }
    /// kustomize's id of the object, as its messages print it.
    fn id(&self) -> String {
        let av = self.value["apiVersion"].as_str().unwrap_or("");
        let gv = match av.split_once('/') {
            Some((g, v)) => format!("{v}.{g}"),
            None => av.to_string(),
        };
        let ns = self.namespace();
        format!("{}.{gv}/{}.{}", self.kind(), self.name(), if ns.is_empty() { "[noNs]".to_string() } else { ns })
    }
}

/// What a build gives: the objects in output order, and kustomize's warnings.
#[derive(Debug, Default)]
pub struct Built {
    pub objects: Vec<Value>,
    pub warnings: String,
}

impl Built {
    /// The objects as `kubectl kustomize` prints them.
    pub fn yaml(&self) -> String {
        self.objects.iter().map(yaml::to_string).collect::<Vec<_>>().join("---\n")
    }
}

/// Builds the kustomization in `dir`.
pub fn build(io: &Io, dir: &str) -> Result<Built, String> {
    let abs = absolute(io.cwd, dir);
    if io.list(&abs).is_none() && io.read_file(&abs).is_err() {
        // kustomize names the path as given and the first part of it that is missing.
        let mut missing = abs.clone();
        while let Some((parent, _)) = missing.rsplit_once('/') {
            if parent.is_empty() || io.list(parent).is_some() {
                break;
            }
            missing = parent.to_string();
        }
        return Err(format!(
            "must build at directory: not a valid directory: evalsymlink failure on '{dir}' : lstat {missing}: no such file or directory"
        ));
    }
    let mut warnings = String::new();
    let mut resources = build_dir(io, &abs, 0, &mut warnings)?;
    let mut renames = Vec::new();
    for r in resources.iter_mut().filter(|r| r.hash) {
        let to = format!("{}-{}", r.name(), generators::hash(&r.value));
        renames.push(transform::Rename {
            kind: r.kind().to_string(),
            namespace: r.namespace(),
            from: r.name().to_string(),
            to: to.clone(),
        });
        r.rename(&to);
    }
    transform::fix_references(&mut resources, &renames);
    resources.sort_by_cached_key(legacy_order);
    Ok(Built { objects: resources.into_iter().map(|r| r.value).collect(), warnings })
}

/// The kinds kustomize's legacy order puts first, in order; every other kind comes after them
/// (by group, version and kind), webhooks last.
const ORDER_FIRST: [&str; 22] = [
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];
const ORDER_LAST: [&str; 2] = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

fn legacy_order(r: &Res) -> (i64, String, String) {
    let kind = r.kind();
    let rank = match (ORDER_FIRST.iter().position(|k| *k == kind), ORDER_LAST.iter().position(|k| *k == kind)) {
        (Some(i), _) => i as i64 - ORDER_FIRST.len() as i64,
        (_, Some(i)) => 1 + i as i64,
        _ => 0,
    };
    let av = r.value["apiVersion"].as_str().unwrap_or("");
    let (g, v) = av.rsplit_once('/').unwrap_or(("", av));
    let gvk = format!("{}_{}_{kind}", if g.is_empty() { "~G" } else { g }, if v.is_empty() { "~V" } else { v });
    let ns = if transform::cluster_scoped(r) {
        "~X".to_string()
    } else if r.namespace().is_empty() {
        "default".to_string()
    } else {
        r.namespace()
    };
    (rank, gvk.clone(), format!("{gvk}|{ns}|{}", r.name()))
}

/// A file named in a kustomization, relative to its directory.
fn read_relative(io: &Io, dir: &str, path: &str) -> Result<String, String> {
    let abs = absolute(dir, path);
    io.read_file(&abs).map_err(|_| format!("evalsymlink failure on '{abs}' : lstat {abs}: no such file or directory"))
}

/// A string list field (`resources`, `patchesStrategicMerge`…).
fn list<'a>(k: &'a Kustomization, field: &str) -> Result<Vec<&'a Value>, String> {
    match k.get(field) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => Ok(a.iter().collect()),
        Some(_) => Err(format!("invalid Kustomization: json: cannot unmarshal object into Go struct field Kustomization.{field} of type []")),
    }
}

/// The kustomization of one directory, built: its resources (nested ones built first), its
/// generators, then its transformers in kustomize's order.
fn build_dir(io: &Io, dir: &str, depth: usize, warnings: &mut String) -> Result<Vec<Res>, String> {
    if depth > MAX_DEPTH {
        return Err(format!("cycle detected: kustomizations nest deeper than {MAX_DEPTH} directories at '{dir}'"));
    }
    let k = load(io, dir, warnings)?;
    let mut resources: Vec<Res> = Vec::new();
    for entry in list(&k, "resources")?.into_iter().chain(list(&k, "bases")?) {
        let Some(entry) = entry.as_str() else { continue };
        let added = accumulate(io, dir, entry, depth, warnings).map_err(|e| {
            format!("accumulating resources: accumulation err='accumulating resources from '{entry}': {e}")
        })?;
        for r in added {
            if let Some(old) = resources.iter().find(|o| o.id() == r.id()) {
                return Err(format!(
                    "accumulating resources: may not add resource with an already registered id: {}",
                    old.id()
                ));
            }
            resources.push(r);
        }
    }
    generators::generate(io, dir, &k, &mut resources)?;
    let strs = |f: &str| k.get(f).and_then(Value::as_str).unwrap_or("").to_string();
    let entries = |f: &str| -> Result<Vec<Value>, String> { Ok(list(&k, f)?.into_iter().cloned().collect()) };
    patches::strategic_merge(io, dir, &entries("patchesStrategicMerge")?, &mut resources)?;
    patches::patches(io, dir, &entries("patches")?, &mut resources)?;
    if !strs("namespace").is_empty() {
        transform::namespace(&mut resources, &strs("namespace"));
    }
    if !strs("namePrefix").is_empty() || !strs("nameSuffix").is_empty() {
        transform::prefix_suffix(&mut resources, &strs("namePrefix"), &strs("nameSuffix"));
    }
    if let Some(Value::Object(pairs)) = k.get("commonLabels") {
        transform::labels(
            &mut resources,
            &stringly(pairs),
            &transform::LabelScope { templates: true, selectors: true },
        );
    }
    for l in entries("labels")? {
        let Some(Value::Object(pairs)) = l.get("pairs") else { continue };
        let on = |f: &str| l.get(f).and_then(Value::as_bool).unwrap_or(false);
        let scope = transform::LabelScope { templates: on("includeTemplates"), selectors: on("includeSelectors") };
        transform::labels(&mut resources, &stringly(pairs), &scope);
    }
    if let Some(Value::Object(pairs)) = k.get("commonAnnotations") {
        transform::annotations(&mut resources, &stringly(pairs));
    }
    patches::json6902(io, dir, &entries("patchesJson6902")?, &mut resources)?;
    transform::replicas(&mut resources, &entries("replicas")?);
    transform::images(&mut resources, &entries("images")?.into_iter().chain(entries("imageTags")?).collect::<Vec<_>>());
    Ok(resources)
}

/// Label and annotation values as the strings they become (`1` → `"1"`).
fn stringly(pairs: &Map<String, Value>) -> Map<String, Value> {
    pairs
        .iter()
        .map(|(k, v)| {
            let s = match v {
                Value::String(s) => s.clone(),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            (k.clone(), Value::String(s))
        })
        .collect()
}

/// The resources one `resources:` entry names: a directory's kustomization, built, or a file's
/// documents.
fn accumulate(io: &Io, dir: &str, entry: &str, depth: usize, warnings: &mut String) -> Result<Vec<Res>, String> {
    if entry.contains("://") || entry.starts_with("github.com/") {
        // SIM: the sandbox has no network to fetch remote bases from.
        return Err(format!("the sandbox cannot fetch remote resources: '{entry}'"));
    }
    let abs = absolute(dir, entry);
    if io.list(&abs).is_some() {
        return build_dir(io, &abs, depth + 1, warnings)
            .map_err(|e| format!("'{abs}' must resolve to a file': recursed accumulation of path '{abs}': {e}"));
    }
    let text = io.read_file(&abs).map_err(|_| {
        let why = format!("evalsymlink failure on '{abs}' : lstat {abs}: no such file or directory");
        format!("{why}': must build at directory: not a valid directory: {why}")
    })?;
    let docs = crate::manifest::documents(&text).map_err(|e| format!("{e}'"))?;
    Ok(docs.into_iter().filter(Value::is_object).map(|v| Res::new(v, false)).collect())
}

/// The kustomization file of `dir`, checked for fields kustomize does not know, with the
/// deprecation warnings it prints.
fn load(io: &Io, dir: &str, warnings: &mut String) -> Result<Kustomization, String> {
    if io.list(dir).is_none() {
        if io.read_file(dir).is_ok() {
            return Err(format!("must build at directory: '{dir}': file is not directory"));
        }
        return Err(format!(
            "must build at directory: not a valid directory: evalsymlink failure on '{dir}' : lstat {dir}: no such file or directory"
        ));
    }
    let found = FILE_NAMES.iter().find_map(|n| io.read_file(&format!("{}/{n}", dir.trim_end_matches('/'))).ok());
    let Some(text) = found else {
        return Err(format!(
            "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '{dir}'"
        ));
    };
    let doc = crate::manifest::documents(&text).map_err(|e| format!("invalid Kustomization: {e}"))?;
    let k = match doc.into_iter().next() {
        None => Kustomization::new(),
        Some(Value::Object(m)) => m,
        Some(_) => {
            return Err(
                "invalid Kustomization: json: cannot unmarshal array into Go value of type types.Kustomization".into()
            )
        }
    };
    if let Some(field) = k.keys().find(|f| !BUILT.contains(&f.as_str()) && !UNSUPPORTED.contains(&f.as_str())) {
        return Err(format!("invalid Kustomization: json: unknown field \"{field}\""));
    }
    if let Some(field) = k.keys().find(|f| UNSUPPORTED.contains(&f.as_str())) {
        return Err(format!("the sandbox's kustomize does not build '{field}' (in {dir})"));
    }
    for (old, new) in DEPRECATED {
        if k.contains_key(*old) {
            warnings.push_str(&format!(
                "# Warning: '{old}' is deprecated. Please use '{new}' instead. Run 'kustomize edit fix' to update your Kustomization automatically.\n"
            ));
        }
    }
    Ok(k)
}

/// `kubectl kustomize [DIR]`.
pub fn run(_sim: &mut Sim, io: &Io, args: &[String]) -> Output {
    let mut dirs = Vec::new();
    for a in args {
        if a.starts_with('-') {
            return Output::err(format!("error: unknown flag: {a}\nSee 'kubectl kustomize --help' for usage.\n"), 1);
        }
        dirs.push(a.as_str());
    }
    if dirs.len() > 1 {
        return Output::err("error: specify one path to a kustomization directory\n", 1);
    }
    match build(io, dirs.first().copied().unwrap_or(".")) {
        Ok(b) => Output { stdout: b.yaml(), stderr: b.warnings, ..Output::default() },
        // SIM: kubectl logs this through klog (`E1202 04:12:30.724892   17457 run.go:72]
        // "command failed" err="…"`, with the wall clock and its pid); the sandbox prints it as
        // `apply -k` does.
        Err(e) => Output::err(format!("error: {e}\n"), 1),
    }
}

/// Whether kubectl's `verb` takes `-k DIR` (the verbs that read `-f` files).
pub fn takes_k(verb: &str) -> bool {
    matches!(
        verb,
        "apply"
            | "create"
            | "delete"
            | "get"
            | "describe"
            | "diff"
            | "replace"
            | "label"
            | "annotate"
            | "wait"
            | "patch"
    )
}

/// `-k DIR` / `--kustomize DIR` in a verb's arguments: the built objects (read as stdin) and
/// the arguments with `-f -` in its place; None when there is no `-k`.
pub fn expand(io: &Io, args: &[String]) -> Result<Option<(Built, Vec<String>)>, Output> {
    let mut out = Vec::new();
    let mut dir = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--" {
            out.push(a.clone());
            out.extend(it.by_ref().cloned());
            break;
        }
        let value = match a.as_str() {
            "-k" | "--kustomize" => match it.next() {
                Some(v) => Some(v.clone()),
                None => {
                    let name = if a == "-k" { "'k' in -k" } else { "'kustomize' in --kustomize" };
                    return Err(Output::err(format!("error: flag needs an argument: {name}\n"), 1));
                }
            },
            s if s.starts_with("--kustomize=") => Some(s["--kustomize=".len()..].to_string()),
            s if s.starts_with("-k") && s.len() > 2 => Some(s[2..].trim_start_matches('=').to_string()),
            _ => None,
        };
        match value {
            Some(v) => dir = Some(v),
            None => out.push(a.clone()),
        }
    }
    let Some(dir) = dir else { return Ok(None) };
    if out.iter().any(|a| a == "-f" || a.starts_with("--filename") || (a.starts_with("-f") && !a.starts_with("--"))) {
        return Err(Output::err("error: only one of -f or -k can be specified\n", 1));
    }
    let built = build(io, &dir).map_err(|e| Output::err(format!("error: {e}\n"), 1))?;
    out.push("-f".into());
    out.push("-".into());
    Ok(Some((built, out)))
}

#[cfg(test)]
mod tests;
