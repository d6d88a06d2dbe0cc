//! `kubectl get`: which objects (types, names, `all`, selectors), in which order (`--sort-by`),
//! printed how (tables with kubectl's columns and decorations, `-o wide|yaml|json|name|
//! jsonpath=|custom-columns=`).

pub mod columns;
pub mod gotemplate;
pub mod jsonpath;
pub mod resource;
pub mod selector;

use std::cmp::Ordering;

use serde_json::{json, Value};

use self::columns::Ctx;
use self::resource::ResourceType;
use self::selector::{FieldSelector, FieldSelectorError, LabelSelector};
use super::table::render;
use crate::shell::Output;
use crate::sim::api::Object;
use crate::sim::quantity::Quantity;
use crate::sim::Sim;

const USAGE_HINT: &str = "See 'kubectl get --help' for usage.\n";

/// The flags of one `kubectl get`.
#[derive(Debug, Default, Clone)]
struct Options {
    namespace: String,
    all_namespaces: bool,
    output: String,
    selector: Option<String>,
    field_selector: Option<String>,
    show_labels: bool,
    label_columns: Vec<String>,
    sort_by: Option<String>,
    no_headers: bool,
    show_kind: bool,
    ignore_not_found: bool,
    /// `--template`: the template of `-o go-template|jsonpath` given apart.
    template: Option<String>,
    /// `-w`: after the list, follow changes; `--watch-only`: only the changes.
    watch: bool,
    watch_only: bool,
    words: Vec<String>,
}

/// A flag's value from `--flag=v`, `--flag v`, `-fv`, `-f=v` or `-f v`.
fn flag_value<'a>(
    arg: &'a str,
    long: &str,
    short: Option<char>,
    it: &mut impl Iterator<Item = &'a String>,
) -> Option<Result<String, Output>> {
    let missing = |name: String| Output::err(format!("Error: flag needs an argument: {name}\n{USAGE_HINT}"), 1);
    if arg == format!("--{long}") {
        return Some(it.next().cloned().ok_or_else(|| missing(format!("--{long}"))));
    }
    if let Some(v) = arg.strip_prefix(&format!("--{long}=")) {
        return Some(Ok(v.to_string()));
    }
    let c = short?;
    let s = format!("-{c}");
    if arg == s {
        return Some(it.next().cloned().ok_or_else(|| missing(format!("'{c}' in -{c}"))));
    }
    arg.strip_prefix(&s).map(|v| Ok(v.strip_prefix('=').unwrap_or(v).to_string()))
}

/// A boolean flag as pflag reads it: `--name`, `-c`, or `--name=VALUE` / `-c=VALUE` with a
/// value Go's `strconv.ParseBool` takes (`true`, `false`, `1`, `0`, `t`, `F`, …).
fn bool_flag(arg: &str, long: &str, short: Option<char>) -> Option<Result<bool, Output>> {
    let long_form = format!("--{long}");
    let short_form = short.map(|c| format!("-{c}"));
    if arg == long_form || short_form.as_deref() == Some(arg) {
        return Some(Ok(true));
    }
    let value = arg
        .strip_prefix(&long_form)
        .and_then(|r| r.strip_prefix('='))
        .or_else(|| short_form.as_deref().and_then(|s| arg.strip_prefix(s)).and_then(|r| r.strip_prefix('=')))?;
    Some(match value {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok(false),
        v => {
            let name = short.map_or_else(|| format!("--{long}"), |c| format!("-{c}, --{long}"));
            Err(Output::err(
                format!("Error: invalid argument \"{v}\" for \"{name}\" flag: strconv.ParseBool: parsing \"{v}\": invalid syntax\n{USAGE_HINT}"),
                1,
            ))
        }
    })
}

fn parse_flags(args: &[String], namespace: &str) -> Result<Options, Output> {
    let mut o = Options { namespace: namespace.into(), ..Options::default() };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let a = a.as_str();
        macro_rules! value {
            ($long:literal, $short:expr) => {
                flag_value(a, $long, $short, &mut it)
            };
        }
        if let Some(v) = value!("namespace", Some('n')) {
            o.namespace = v?;
        } else if let Some(v) = value!("output", Some('o')) {
            o.output = v?;
        } else if let Some(v) = value!("selector", Some('l')) {
            o.selector = Some(v?);
        } else if let Some(v) = value!("label-columns", Some('L')) {
            o.label_columns.extend(v?.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string));
        } else if let Some(v) = value!("field-selector", None) {
            o.field_selector = Some(v?);
        } else if let Some(v) = value!("sort-by", None) {
            o.sort_by = Some(v?);
        } else if let Some(v) = value!("template", None) {
            o.template = Some(v?);
        } else if let Some(v) = bool_flag(a, "all-namespaces", Some('A')) {
            o.all_namespaces = v?;
        } else if let Some(v) = bool_flag(a, "show-labels", None) {
            o.show_labels = v?;
        } else if let Some(v) = bool_flag(a, "no-headers", None) {
            o.no_headers = v?;
        } else if let Some(v) = bool_flag(a, "show-kind", None) {
            o.show_kind = v?;
        } else if let Some(v) = bool_flag(a, "ignore-not-found", None) {
            o.ignore_not_found = v?;
        } else if let Some(v) = bool_flag(a, "watch", Some('w')) {
            o.watch = v?;
        } else if let Some(v) = bool_flag(a, "watch-only", None) {
            o.watch_only = v?;
        } else {
            match a {
                f if f.starts_with("--") => {
                    return Err(Output::err(format!("Error: unknown flag: {f}\n{USAGE_HINT}"), 1));
                }
                f if f.starts_with('-') && f.len() > 1 => {
                    let c = f.chars().nth(1).unwrap_or('-');
                    return Err(Output::err(format!("Error: unknown shorthand flag: '{c}' in {f}\n{USAGE_HINT}"), 1));
                }
                word => o.words.push(word.to_string()),
            }
        }
    }
    Ok(o)
}

/// What to fetch: a type and either every object (names empty) or the named ones.
#[derive(Debug, Clone)]
struct Request {
    rt: ResourceType,
    names: Vec<String>,
}

/// The objects of one request, after filtering and sorting.
struct Group {
    rt: ResourceType,
    objects: Vec<Object>,
}

fn parse_requests(sim: &Sim, words: &[String]) -> Result<Vec<Request>, Output> {
    let Some((first, names)) = words.split_first() else {
        return Err(Output::err(
            "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples\n",
            1,
        ));
    };
    let lookup = |ty: &str| {
        resource::lookup(sim, ty)
            .ok_or_else(|| Output::err(format!("error: the server doesn't have a resource type \"{ty}\"\n"), 1))
    };
    let mut requests: Vec<Request> = Vec::new();
    if first.contains('/') {
        for w in words {
            let Some((ty, name)) = w.split_once('/') else {
                return Err(Output::err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n", 1));
            };
            let rt = lookup(ty)?;
            match requests.last_mut() {
                Some(last) if last.rt == rt => last.names.push(name.to_string()),
                _ => requests.push(Request { rt, names: vec![name.to_string()] }),
            }
        }
        return Ok(requests);
    }
    if names.iter().any(|n| n.contains('/')) {
        return Err(Output::err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n", 1));
    }
    for ty in first.split(',').filter(|t| !t.is_empty()) {
        let types: Vec<&str> = if ty == "all" { resource::ALL.to_vec() } else { vec![ty] };
        for t in types {
            let rt = lookup(t)?;
            if !requests.iter().any(|r| r.rt == rt) {
                requests.push(Request { rt, names: names.to_vec() });
            }
        }
    }
    Ok(requests)
}

/// `/v1, Resource=pods`, as the API server names a resource in list errors.
fn group_version_resource(rt: &ResourceType, sim: &Sim) -> String {
    let version = crate::sim::api::discovery::preferred_for_kind(&rt.kind)
        .map(|r| r.api_version.rsplit('/').next().unwrap_or("v1").to_string())
        .or_else(|| {
            sim.store().list("CustomResourceDefinition", None).find_map(|crd| {
                (crd.field("spec.names.kind").and_then(Value::as_str) == Some(rt.kind.as_str()))
                    .then(|| crd.field("spec.versions").and_then(|v| v[0]["name"].as_str()).map(str::to_string))
                    .flatten()
            })
        })
        .unwrap_or_else(|| "v1".into());
    format!("{}/{version}, Resource={}", rt.group, rt.plural)
}

/// Runs `kubectl get ARGS…`.
pub fn run(sim: &mut Sim, args: &[String]) -> Output {
    run_streaming(sim, args, &crate::shell::files::Io::default())
}

/// The printer `-o` and `--template` ask for, with its template read (from the flag or the
/// file): `("go-template" | "jsonpath", template)`, another format alone, or kubectl's error.
fn printer(o: &Options, io: &crate::shell::files::Io) -> Result<(String, String), Output> {
    let (format, inline) = match o.output.split_once('=') {
        Some((f, t)) => (f, Some(t.to_string())),
        None => (o.output.as_str(), None),
    };
    // `--template` alone means a go-template, as kubectl assumes.
    let format = if format.is_empty() && o.template.is_some() { "go-template" } else { format };
    let (kind, file) = match format {
        "go-template" | "template" => ("go-template", false),
        "go-template-file" | "templatefile" => ("go-template", true),
        "jsonpath" => ("jsonpath", false),
        "jsonpath-file" => ("jsonpath", true),
        _ => return Ok((format.to_string(), String::new())),
    };
    let text = match (inline, o.template.clone()) {
        (Some(_), Some(_)) => {
            return Err(Output::err(format!("error: unable to match a printer suitable for the output format \"{}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n", o.output), 1));
        }
        (Some(t), None) | (None, Some(t)) => t,
        (None, None) => String::new(),
    };
    if text.is_empty() {
        return Err(Output::err("error: template format specified but no template given\n", 1));
    }
    if !file {
        return Ok((kind.to_string(), text));
    }
    match io.read(&text) {
        Some(content) => Ok((kind.to_string(), content)),
        None => Err(Output::err(
            format!("error: error reading --template {text}, open {text}: no such file or directory\n"),
            1,
        )),
    }
}

/// `kubectl get …`; when `io.stream`, a watch (`-w`) returns at once and follows the cluster
/// afterwards (see [`Watcher`]).
pub fn run_streaming(sim: &mut Sim, args: &[String], io: &crate::shell::files::Io) -> Output {
    let stream = io.stream;
    let o = match parse_flags(args, &super::config::default_namespace(sim)) {
        Ok(o) => o,
        Err(out) => return out,
    };
    let (format, template) = match printer(&o, io) {
        Ok(p) => p,
        Err(out) => return out,
    };
    let format = format.as_str();
    if !matches!(format, "" | "yaml" | "json" | "name" | "wide" | "jsonpath" | "go-template" | "custom-columns") {
        return Output::err(
            format!(
                "error: unable to match a printer suitable for the output format \"{}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n",
                o.output
            ),
            1,
        );
    }
    let requests = match parse_requests(sim, &o.words) {
        Ok(r) => r,
        Err(out) => return out,
    };
    // The API server parses both selectors; what it refuses fails that type's list.
    let labels = o.selector.as_deref().map(LabelSelector::parse).transpose();
    let fields = o.field_selector.as_deref().map(FieldSelector::parse).transpose();
    let mut errors = String::new();
    let mut groups = Vec::new();
    for req in &requests {
        let refused = match (&labels, &fields) {
            (Err(e), _) | (_, Err(FieldSelectorError::Syntax(e) | FieldSelectorError::Unsupported(e))) => {
                Some(e.clone())
            }
            (_, Ok(Some(f))) => f.check(&req.rt.kind).err(),
            _ => None,
        };
        if let Some(e) = refused {
            errors.push_str(&format!(
                "Error from server (BadRequest): Unable to find \"{}\" that match label selector \"{}\", field selector \"{}\": {e}\n",
                group_version_resource(&req.rt, sim),
                o.selector.as_deref().unwrap_or(""),
                o.field_selector.as_deref().unwrap_or("")
            ));
            continue;
        }
        let (labels, fields) =
            (labels.as_ref().ok().and_then(Option::as_ref), fields.as_ref().ok().and_then(Option::as_ref));
        let ns = (req.rt.namespaced && !o.all_namespaces).then_some(o.namespace.as_str());
        let mut objects: Vec<Object> = Vec::new();
        if req.names.is_empty() {
            objects.extend(sim.store().list(&req.rt.kind, ns).cloned());
        } else {
            for name in &req.names {
                // A named get with -A still reads from the current namespace, as kubectl does.
                let ns = req.rt.namespaced.then_some(o.namespace.as_str());
                match sim.store().get(&req.rt.kind, ns, name) {
                    Some(obj) => objects.push(obj.clone()),
                    None if o.ignore_not_found => {}
                    None => errors.push_str(&format!(
                        "Error from server (NotFound): {} \"{name}\" not found\n",
                        req.rt.qualified_plural()
                    )),
                }
            }
        }
        objects.retain(|obj| {
            labels.is_none_or(|l| l.matches(obj.metadata.labels.as_ref())) && fields.is_none_or(|f| f.matches(obj))
        });
        groups.push(Group { rt: req.rt.clone(), objects });
    }
    if let Some(sort_by) = &o.sort_by {
        if let Err(e) = sort_groups(&mut groups, sort_by) {
            return Output::err(format!("error: {e}\n"), 1);
        }
    }
    if o.watch || o.watch_only {
        return watch(sim, &o, &requests, &groups, format == "wide", errors, stream);
    }
    let single = requests.len() == 1 && requests[0].names.len() == 1 && !o.words[0].contains(',');
    let status = i32::from(!errors.is_empty());
    let all: Vec<&Object> = groups.iter().flat_map(|g| g.objects.iter()).collect();
    let stdout = match format {
        "yaml" | "json" => super::output::structured(&all, single, format == "yaml"),
        "name" => all.iter().map(|obj| format!("{}\n", super::apply::reference(obj))).collect(),
        "jsonpath" => match jsonpath::Template::parse(&template) {
            Ok(t) => {
                let mut budget = super::budget::Budget::default();
                let text = t.execute_within(&list_value(&all, single), &mut budget);
                if let Some(why) = budget.message() {
                    return Output {
                        stdout: text,
                        stderr: format!("error: jsonpath: {why}\n"),
                        status: 1,
                        ..Output::default()
                    };
                }
                text
            }
            Err(e) => return Output::err(format!("error: error parsing jsonpath {template}, {e}\n"), 1),
        },
        "go-template" => match gotemplate::print(&template, &list_value(&all, single)) {
            Ok(text) => text,
            Err((stdout, stderr)) => {
                return Output { stdout, stderr: format!("{errors}{stderr}"), status: 1, ..Output::default() }
            }
        },
        "custom-columns" => {
            let spec = o.output.split_once('=').map_or("", |(_, t)| t);
            match super::output::custom_columns(spec, &all, o.no_headers) {
                Ok(text) => text,
                Err(e) => return Output::err(format!("error: {e}\n"), 1),
            }
        }
        _ => {
            let ctx = Ctx { sim, now: sim.now(), wide: format == "wide" };
            human_readable(&ctx, &o, &groups)
        }
    };
    if stdout.is_empty() && errors.is_empty() && matches!(format, "" | "wide") && !o.ignore_not_found {
        let namespaced = !o.all_namespaces && groups.iter().all(|g| g.rt.namespaced);
        let msg = if namespaced {
            format!("No resources found in {} namespace.\n", o.namespace)
        } else {
            "No resources found\n".to_string()
        };
        return Output { stdout, stderr: msg, status, ..Output::default() };
    }
    Output { stdout, stderr: errors, status, ..Output::default() }
}

/// Simulated time a watch follows the cluster at most, and the quiet spell that ends it.
// SIM: kubectl's watch runs until interrupted; a terminal line (and a script) must end, so
// ours lets the cluster run until nothing it watches has changed for 30 s, and at most 5 min.
const WATCH_MAX: std::time::Duration = std::time::Duration::from_secs(300);
const WATCH_QUIET: std::time::Duration = std::time::Duration::from_secs(30);

/// `get -w`: the table, then a row for every change of a watched object as the cluster runs
/// (each row laid out on its own, as kubectl flushes them). With `stream`, the rows come later:
/// the terminal polls the returned watch as the page's clock runs, until Ctrl+C.
fn watch(
    sim: &mut Sim,
    o: &Options,
    requests: &[Request],
    groups: &[Group],
    wide: bool,
    errors: String,
    stream: bool,
) -> Output {
    if requests.len() != 1 {
        return Output::err("error: you may only specify a single resource type\n", 1);
    }
    let mut stdout = String::new();
    if !o.watch_only {
        let ctx = Ctx { sim, now: sim.now(), wide };
        stdout = human_readable(&ctx, o, groups);
    }
    let mut watcher = Watcher {
        options: o.clone(),
        request: Request { rt: requests[0].rt.clone(), names: requests[0].names.clone() },
        wide,
        header_due: o.watch_only || stdout.is_empty(),
        cursor: sim.store().events_since(0).1,
    };
    if stream {
        let s = Some(Box::new(crate::shell::Stream::Watch(Box::new(watcher))));
        return Output { stdout, stderr: errors, stream: s, ..Output::default() };
    }
    let (start, mut last_change) = (sim.now(), sim.now());
    let step = std::time::Duration::from_millis(500);
    while sim.now().since(start) < WATCH_MAX && sim.now().since(last_change) < WATCH_QUIET {
        sim.advance(step);
        let rows = watcher.poll(sim);
        if !rows.is_empty() {
            last_change = sim.now();
            stdout.push_str(&rows);
        }
    }
    Output { stdout, stderr: errors, ..Output::default() }
}

/// A `get -w` following the cluster: what it watches and where in the store's history it is.
#[derive(Debug, Clone)]
pub struct Watcher {
    options: Options,
    request: Request,
    wide: bool,
    header_due: bool,
    cursor: u64,
}

impl Watcher {
    /// The rows for what changed since the last poll.
    pub fn poll(&mut self, sim: &Sim) -> String {
        let (o, rt) = (&self.options, &self.request.rt);
        let labels = o.selector.as_deref().and_then(|l| LabelSelector::parse(l).ok());
        let fields = o.field_selector.as_deref().and_then(|f| FieldSelector::parse(f).ok());
        let wanted = |obj: &Object| {
            obj.kind == rt.kind
                && (!rt.namespaced || o.all_namespaces || obj.namespace() == Some(o.namespace.as_str()))
                && (self.request.names.is_empty() || self.request.names.iter().any(|n| n == obj.name()))
                && labels.as_ref().is_none_or(|l| l.matches(obj.metadata.labels.as_ref()))
                && fields.as_ref().is_none_or(|f| f.matches(obj))
        };
        let (events, next) = sim.store().events_since(self.cursor);
        let changed: Vec<Object> = events.iter().filter(|e| wanted(&e.object)).map(|e| (*e.object).clone()).collect();
        self.cursor = next;
        let mut out = String::new();
        for obj in changed {
            let ctx = Ctx { sim, now: sim.now(), wide: self.wide };
            let row_opts = Options { no_headers: !self.header_due, ..o.clone() };
            self.header_due = false;
            out.push_str(&human_readable(&ctx, &row_opts, &[Group { rt: rt.clone(), objects: vec![obj] }]));
        }
        out
    }
}

/// One object alone, or a `List` of them, as kubectl hands objects to JSONPath.
fn list_value(objects: &[&Object], single: bool) -> Value {
    if single && objects.len() == 1 {
        return objects[0].to_value();
    }
    json!({"apiVersion": "v1", "items": objects.iter().map(|o| o.to_value()).collect::<Vec<_>>(), "kind": "List",
           "metadata": {"resourceVersion": ""}})
}

/// kubectl's tables: one per type, a blank line between them, names prefixed with the kind when
/// several kinds print, NAMESPACE first with `-A`, `-L` and `--show-labels` columns last.
fn human_readable(ctx: &Ctx, o: &Options, groups: &[Group]) -> String {
    let kinds: std::collections::BTreeSet<&str> =
        groups.iter().filter(|g| !g.objects.is_empty()).map(|g| g.rt.kind.as_str()).collect();
    let with_kind = o.show_kind || kinds.len() > 1;
    let mut out = String::new();
    for g in groups.iter().filter(|g| !g.objects.is_empty()) {
        let objects: Vec<&Object> = g.objects.iter().collect();
        let (mut header, mut rows) = columns::table(ctx, &g.rt, &objects);
        if with_kind {
            if let Some(i) = columns::name_column(&g.rt, ctx.wide) {
                for row in &mut rows {
                    row[i] = format!("{}/{}", g.rt.kind_prefix(), row[i]);
                }
            }
        }
        for key in &o.label_columns {
            header.push(key.rsplit('/').next().unwrap_or(key).to_ascii_uppercase());
            for (row, obj) in rows.iter_mut().zip(&objects) {
                row.push(obj.label(key).unwrap_or("").to_string());
            }
        }
        if o.show_labels {
            header.push("LABELS".into());
            for (row, obj) in rows.iter_mut().zip(&objects) {
                let labels: Vec<String> =
                    obj.metadata.labels.iter().flatten().map(|(k, v)| format!("{k}={v}")).collect();
                row.push(if labels.is_empty() { "<none>".into() } else { labels.join(",") });
            }
        }
        if o.all_namespaces && g.rt.namespaced {
            header.insert(0, "NAMESPACE".into());
            for (row, obj) in rows.iter_mut().zip(&objects) {
                row.insert(0, obj.namespace().unwrap_or("").to_string());
            }
        }
        if !o.no_headers {
            if !out.is_empty() {
                out.push('\n');
            }
            rows.insert(0, header);
        }
        out.push_str(&render(&rows));
    }
    out
}

/// Orders each group's objects by the `--sort-by` JSONPath, as kubectl's sorter compares:
/// numbers numerically, quantities by size, other text in natural order.
fn sort_groups(groups: &mut [Group], sort_by: &str) -> Result<(), String> {
    let path = jsonpath::relaxed(sort_by);
    let template = jsonpath::Template::parse(&path).map_err(|e| format!("error parsing jsonpath {path}, {e}"))?;
    let total: usize = groups.iter().map(|g| g.objects.len()).sum();
    let mut found_any = false;
    for g in groups.iter_mut() {
        let mut keyed: Vec<(Option<Value>, Object)> =
            g.objects.drain(..).map(|obj| (template.first_value(&obj.to_value()), obj)).collect();
        found_any |= keyed.iter().any(|(k, _)| k.is_some());
        keyed.sort_by(|a, b| compare_keys(a.0.as_ref(), b.0.as_ref()));
        g.objects = keyed.into_iter().map(|(_, obj)| obj).collect();
    }
    if total > 0 && !found_any {
        return Err(format!("couldn't find any field with path \"{path}\" in the list of objects"));
    }
    Ok(())
}

fn compare_keys(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Less,
        (_, None) => Ordering::Greater,
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            x.as_f64().partial_cmp(&y.as_f64()).unwrap_or(Ordering::Equal)
        }
        (Some(Value::String(x)), Some(Value::String(y))) => match (Quantity::parse(x), Quantity::parse(y)) {
            (Ok(qx), Ok(qy)) => qx.cmp(&qy),
            _ => natural_cmp(x, y),
        },
        (Some(x), Some(y)) => natural_cmp(&jsonpath::text_of(x), &jsonpath::text_of(y)),
    }
}

/// Natural order: runs of digits compare as numbers (`pod-2` before `pod-10`).
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, _) => return Ordering::Less,
            (_, None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let take = |it: &mut std::iter::Peekable<std::str::Chars>| {
                    let mut s = String::new();
                    while let Some(c) = it.peek().copied().filter(char::is_ascii_digit) {
                        s.push(c);
                        it.next();
                    }
                    s
                };
                let (n, m) = (take(&mut x), take(&mut y));
                let (n, m) = (n.trim_start_matches('0'), m.trim_start_matches('0'));
                match n.len().cmp(&m.len()).then_with(|| n.cmp(m)) {
                    Ordering::Equal => {}
                    other => return other,
                }
            }
            (Some(c), Some(d)) => {
                x.next();
                y.next();
                match c.cmp(&d) {
                    Ordering::Equal => {}
                    other => return other,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
