//! The shape table's generator (walking the k8s-openapi types with a probing deserializer) and
//! the oracle tests that hold the table-driven checks and explanations to the typed decoders.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::*;
use crate::sim::api::strict::Found as Probed;
use crate::sim::api::typed::{Typed, TYPED};

/// Builds the table's text from the k8s-openapi types.
struct Gen {
    /// Structs by Rust type name, with their index.
    index: BTreeMap<String, usize>,
    structs: Vec<(String, Vec<(String, String)>)>,
    /// Every kind's own type.
    roots: Vec<String>,
}

/// The k8s-openapi newtypes of a free JSON value: they decode as the value does.
const VALUE_NEWTYPES: &[&str] = &[
    "RawExtension",
    "FieldsV1",
    "JSON",
    "CustomResourceSubresourceStatus",
    "AllCompositeDisruptionMode",
    "AllDisruptionMode",
    "BasicSchedulingPolicy",
    "CompositeBasicSchedulingPolicy",
    "SingleCompositeDisruptionMode",
    "SingleDisruptionMode",
    "StorageVersionSpec",
    "WorkloadPodGroupAllDisruptionMode",
    "WorkloadPodGroupBasicSchedulingPolicy",
    "WorkloadPodGroupSingleDisruptionMode",
];

fn generic_args(ty: &str, outer: &str) -> Option<String> {
    let inner = ty.strip_prefix(outer)?.strip_prefix('<')?.strip_suffix('>')?;
    Some(inner.to_string())
}

fn last_segment(ty: &str) -> &str {
    ty.rsplit("::").next().unwrap_or(ty)
}

impl Gen {
    fn ty(&mut self, k: &Typed, rust: &str, path: &[String]) -> String {
        if let Some(item) = generic_args(rust, "alloc::vec::Vec") {
            return format!("[]{}", self.ty(k, &item, path));
        }
        if let Some(args) = generic_args(rust, "alloc::collections::btree::map::BTreeMap") {
            let value = args.strip_prefix("alloc::string::String, ").unwrap_or_else(|| panic!("map key in {rust}"));
            let mut p = path.to_vec();
            p.push("*".to_string());
            return format!("{{}}{}", self.ty(k, value, &p));
        }
        if VALUE_NEWTYPES.contains(&last_segment(rust)) {
            return "Value".to_string();
        }
        let leaf = match rust {
            "alloc::string::String" => Some("string"),
            "i32" => Some("int32"),
            "i64" => Some("int64"),
            "f64" => Some("float64"),
            "bool" => Some("bool"),
            _ => LEAVES
                .iter()
                .map(|l| l.1)
                .find(|n| *n == last_segment(rust) && n.chars().next().unwrap().is_uppercase()),
        };
        if let Some(leaf) = leaf {
            return leaf.to_string();
        }
        assert!(
            rust.starts_with("k8s_openapi::") && !rust.contains('<'),
            "unexpected type {rust} at {path:?} in {}",
            k.kind
        );
        format!("#{}", self.visit(k, rust, path))
    }

    fn visit(&mut self, k: &Typed, rust: &str, path: &[String]) -> usize {
        if let Some(i) = self.index.get(rust) {
            return *i;
        }
        let (Some(Probed::Struct(name, fields)), _) = (k.probe)(path, false) else {
            panic!("{rust} at {path:?} in {} is not a struct", k.kind);
        };
        assert_eq!(name, last_segment(rust), "{rust}");
        let i = self.structs.len();
        self.index.insert(rust.to_string(), i);
        self.structs.push((name.to_string(), Vec::new()));
        for f in fields {
            let mut p = path.to_vec();
            p.push(f.to_string());
            let (Some(Probed::Type(field_rust)), optional) = (k.probe)(&p, true) else {
                panic!("no type at {p:?} in {}", k.kind);
            };
            let ty = self.ty(k, &field_rust, &p);
            // A kind's own apiVersion and kind are checked as a resource's (see `Walker::object`).
            let resource_key = self.roots.iter().any(|r| r == rust) && (*f == "apiVersion" || *f == "kind");
            let ty = if optional || resource_key { ty } else { format!("!{ty}") };
            self.structs[i].1.push((f.to_string(), ty));
        }
        i
    }
}

fn generate() -> String {
    let root = |k: &Typed| match (k.probe)(&[], true) {
        (Some(Probed::Type(rust)), _) => rust,
        _ => panic!("no root type for {}", k.kind),
    };
    let mut g = Gen { index: BTreeMap::new(), structs: Vec::new(), roots: TYPED.iter().map(root).collect() };
    let mut kinds = Vec::new();
    for k in TYPED {
        kinds.push((k.api_version, k.kind, g.visit(k, &root(k), &[])));
    }
    let mut out = String::from(
        "// Generated from the k8s-openapi types by src/sim/api/shape/tests.rs \
         (KUBE_SANDBOX_WRITE_SHAPE=1 cargo test --lib shape): do not edit.\n",
    );
    for (av, kind, i) in kinds {
        out.push_str(&format!("= {av} {kind} {i}\n"));
    }
    for (name, fields) in &g.structs {
        out.push_str(name);
        out.push('\n');
        for (f, ty) in fields {
            out.push_str(&format!(" {f} {ty}\n"));
        }
    }
    out
}

fn generated() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| Table::parse(&generate()).expect("the generated table parses"))
}

#[test]
fn the_shipped_table_is_the_generated_one() {
    let text = generate();
    if std::env::var_os("KUBE_SANDBOX_WRITE_SHAPE").is_some() {
        std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/src/sim/api/shape.txt"), &text).unwrap();
    }
    assert!(
        text == include_str!("../shape.txt"),
        "shape.txt is stale: KUBE_SANDBOX_WRITE_SHAPE=1 cargo test --lib shape"
    );
    assert_eq!(table(), generated());
    assert_eq!(table().kinds.len(), TYPED.len());
}

#[test]
fn bad_table_text_is_refused() {
    assert!(Table::parse("= v1 Pod 3\nPod\n apiVersion string\n").is_err());
    assert!(Table::parse(" orphan string\n").is_err());
    assert!(Table::parse("Pod\n spec nosuchtype\n").is_err());
    assert!(Table::parse("Pod\n spec []#0\n").is_ok());
}

/// Every path through a kind's structs, down to `depth`, entering a struct at most twice.
fn paths(t: &Table, ty: &Ty, path: &mut Vec<String>, seen: &mut Vec<usize>, depth: usize, out: &mut Vec<Vec<String>>) {
    out.push(path.clone());
    if depth == 0 {
        return;
    }
    match ty {
        Ty::Struct(i) => {
            if seen.iter().filter(|s| **s == *i).count() >= 2 {
                return;
            }
            seen.push(*i);
            for (f, fty, _) in &t.structs[*i].fields {
                path.push(f.clone());
                paths(t, fty, path, seen, depth - 1, out);
                path.pop();
            }
            seen.pop();
        }
        Ty::List(item) => paths(t, item, path, seen, depth, out),
        Ty::Map(_) | Ty::Leaf(_) => {}
    }
}

#[test]
fn explain_walks_the_table_as_the_typed_probe_walks_the_types() {
    let t = generated();
    let mut compared = 0;
    for k in TYPED {
        let root = t.root(k.api_version, k.kind).unwrap();
        let mut all = Vec::new();
        paths(t, &Ty::Struct(root), &mut Vec::new(), &mut Vec::new(), 7, &mut all);
        for p in all {
            let mut bogus = p.clone();
            bogus.push("nosuchfield".to_string());
            for p in [p, bogus] {
                assert_eq!(explain_in(t, root, &p), (k.explain)(&p), "{} {p:?}", k.kind);
                compared += 1;
            }
        }
        assert_eq!(explain(k.api_version, k.kind, &[]), (k.explain)(&[]));
    }
    assert!(compared > 10_000, "{compared}");
}

/// A value of every field of `ty`, down to `depth`.
fn sample(t: &Table, ty: &Ty, depth: usize, seen: &mut Vec<usize>) -> Value {
    match ty {
        Ty::Leaf(l) => match l {
            Leaf::String => json!("s"),
            Leaf::I32 => json!(3),
            Leaf::I64 => json!(4),
            Leaf::F64 => json!(0.5),
            Leaf::Bool => json!(true),
            Leaf::Quantity => json!("100m"),
            Leaf::IntOrString => json!(8080),
            Leaf::Time => json!("2024-01-02T03:04:05Z"),
            Leaf::MicroTime => json!("2024-01-02T03:04:05.000006Z"),
            Leaf::ByteString => json!("aGk="),
            Leaf::Value => json!({"a": [1, "b"]}),
            Leaf::JsonSchemaPropsOrArray => json!({"type": "string"}),
            Leaf::JsonSchemaPropsOrBool => json!(true),
            Leaf::JsonSchemaPropsOrStringArray => json!(["a"]),
        },
        Ty::List(item) => json!([sample(t, item, depth, seen)]),
        Ty::Map(item) => json!({"k": sample(t, item, depth, seen)}),
        Ty::Struct(i) => {
            let mut m = serde_json::Map::new();
            if depth > 0 && !seen.contains(i) {
                seen.push(*i);
                for (f, fty, _) in &t.structs[*i].fields {
                    m.insert(f.clone(), sample(t, fty, depth - 1, seen));
                }
                seen.pop();
            }
            Value::Object(m)
        }
    }
}

/// Every node's JSON pointer in `v`.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            m.iter().for_each(|(k, v)| pointers(v, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out))
        }
        Value::Array(a) => a.iter().enumerate().for_each(|(i, v)| pointers(v, format!("{at}/{i}"), out)),
        _ => {}
    }
    out.push(at);
}

fn replacements() -> Vec<Value> {
    vec![
        Value::Null,
        json!("x"),
        json!("2024-01-02T03:04:05Z"),
        json!("not base64!"),
        json!(7),
        json!(-1),
        json!(3_000_000_000u64),
        json!(18_446_744_073_709_551_615u64),
        json!(1.5),
        json!(true),
        json!([]),
        json!({}),
        json!([null]),
        json!(["x", 1]),
        json!({"k": null}),
        json!({"k": "x", "imagee": 1}),
    ]
}

/// Checks `doc` both ways; returns whether they agreed (panics with the difference if not).
fn same(k: &Typed, doc: &Value, what: &str) {
    let t = generated();
    let root = t.root(k.api_version, k.kind).unwrap();
    let table = check_in(t, root, k.api_version, k.kind, doc);
    let typed = (k.check)(doc);
    assert_eq!(table, typed, "{} {what}: {doc}", k.kind);
}

fn mutate_all(k: &Typed, doc: &Value, every: usize) -> usize {
    let mut ptrs = Vec::new();
    pointers(doc, String::new(), &mut ptrs);
    let reps = replacements();
    let mut n = 0;
    for (i, p) in ptrs.iter().enumerate() {
        for (j, r) in reps.iter().enumerate() {
            if (i + j) % every != 0 {
                continue;
            }
            let mut d = doc.clone();
            if p.is_empty() {
                d = r.clone();
            } else if let Some(slot) = d.pointer_mut(p) {
                *slot = r.clone();
            }
            same(k, &d, &format!("{p} = {r}"));
            n += 1;
        }
        // An unknown key and a misspelt known key in every object.
        if let Some(Value::Object(m)) = doc.pointer(p).filter(|_| i % every == 0) {
            let mut d = doc.clone();
            let obj = d.pointer_mut(p).and_then(Value::as_object_mut).unwrap();
            obj.insert("zzUnknown".to_string(), json!({"x": 1}));
            if let Some(first) = m.keys().next() {
                obj.insert(format!("{first}s"), json!(1));
            }
            same(k, &d, &format!("{p} + unknown keys"));
            n += 1;
            // And each of its keys taken away.
            for key in m.keys() {
                let mut d = doc.clone();
                d.pointer_mut(p).and_then(Value::as_object_mut).unwrap().remove(key);
                same(k, &d, &format!("{p} - {key}"));
                n += 1;
            }
        }
    }
    n
}

#[test]
fn checks_match_the_typed_decoders_on_every_field_of_every_kind() {
    let t = generated();
    let mut n = 0;
    for k in TYPED {
        let root = t.root(k.api_version, k.kind).unwrap();
        let mut doc = sample(t, &Ty::Struct(root), 5, &mut Vec::new());
        doc["apiVersion"] = k.api_version.into();
        doc["kind"] = k.kind.into();
        same(k, &doc, "sample");
        n += mutate_all(k, &doc, 3);
        for (key, bad) in
            [("apiVersion", json!("v0")), ("kind", json!("Nope")), ("kind", Value::Null), ("apiVersion", json!(1))]
        {
            let mut d = doc.clone();
            d[key] = bad;
            same(k, &d, key);
        }
    }
    assert!(n > 10_000, "{n}");
}

/// The book's manifests (`KUBE_SANDBOX_CORPUS`, or shared/corpus beside the repository).
fn corpus_docs() -> Vec<(String, Value)> {
    let dir = std::env::var("KUBE_SANDBOX_CORPUS")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus").to_string());
    let mut files = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml" || x == "json") {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut docs = Vec::new();
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else { continue };
        for d in serde_yaml_ng::Deserializer::from_str(&text) {
            if let Ok(v) = <Value as serde::Deserialize>::deserialize(d) {
                let items = match v.get("items").and_then(Value::as_array) {
                    Some(items) if v["kind"] == "List" => items.clone(),
                    _ => vec![v],
                };
                docs.extend(items.into_iter().map(|v| (f.display().to_string(), v)));
            }
        }
    }
    docs
}

#[test]
fn checks_match_the_typed_decoders_on_the_corpus_and_its_mutations() {
    let docs = corpus_docs();
    if docs.is_empty() {
        eprintln!("no corpus: set KUBE_SANDBOX_CORPUS to check the shape table against it");
        return;
    }
    let (mut checked, mut mutated) = (0, 0);
    for (file, doc) in &docs {
        let (Some(av), Some(kind)) = (doc["apiVersion"].as_str(), doc["kind"].as_str()) else { continue };
        let Some(k) = TYPED.iter().find(|k| k.api_version == av && k.kind == kind) else { continue };
        same(k, doc, file);
        checked += 1;
        mutated += mutate_all(k, doc, 7);
    }
    assert!(checked > 100 && mutated > 1_000, "{checked} {mutated}");
}
