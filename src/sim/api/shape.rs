//! The shape of every built-in kind, as one table: each struct's fields and their types, read
//! off the k8s-openapi types by a generator (`shape/tests.rs`) into `shape.txt`. Strict field
//! checks and `kubectl explain` walk this table through one shared path, instead of a serde
//! decoder compiled for every type (most of the page's download). Leaves — scalars and the few
//! types with decoders of their own (Quantity, IntOrString, Time…) — still decode through their
//! k8s-openapi types, so every message stays the typed decoders' own; tests compare the two over
//! the corpus and mutations of it.

use std::sync::OnceLock;

use serde_json::{Error, Value};

use super::schema::{Explained, Field};
use super::strict::{self, DecodeError, Sink, UnknownField};

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1 as apiextensions;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as meta;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

/// A type with a decoder of its own: decoded through k8s-openapi, never walked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaf {
    String,
    I32,
    I64,
    F64,
    Bool,
    Quantity,
    IntOrString,
    Time,
    MicroTime,
    ByteString,
    /// Free JSON: every k8s-openapi newtype of a JSON value (RawExtension, FieldsV1, JSON…),
    /// which all decode as the value itself.
    Value,
    JsonSchemaPropsOrArray,
    JsonSchemaPropsOrBool,
    JsonSchemaPropsOrStringArray,
}

/// Each leaf with its name in `shape.txt` and in kubectl explain's notation.
pub const LEAVES: &[(Leaf, &str, &str)] = &[
    (Leaf::String, "string", "string"),
    (Leaf::I32, "int32", "integer"),
    (Leaf::I64, "int64", "integer"),
    (Leaf::F64, "float64", "number"),
    (Leaf::Bool, "bool", "boolean"),
    (Leaf::Quantity, "Quantity", "Quantity"),
    (Leaf::IntOrString, "IntOrString", "IntOrString"),
    (Leaf::Time, "Time", "string"),
    (Leaf::MicroTime, "MicroTime", "string"),
    (Leaf::ByteString, "ByteString", "string"),
    (Leaf::Value, "Value", "IntOrString"),
    (Leaf::JsonSchemaPropsOrArray, "JSONSchemaPropsOrArray", "IntOrString"),
    (Leaf::JsonSchemaPropsOrBool, "JSONSchemaPropsOrBool", "IntOrString"),
    (Leaf::JsonSchemaPropsOrStringArray, "JSONSchemaPropsOrStringArray", "IntOrString"),
];

impl Leaf {
    fn explain_name(self) -> &'static str {
        LEAVES.iter().find(|l| l.0 == self).map_or("Object", |l| l.2)
    }

    fn decode(self, value: &Value, path: &str, owner: &str, sink: &Sink) -> Result<(), Error> {
        use strict::decode_leaf as d;
        match self {
            Leaf::String => d::<String>(value, path, owner, sink),
            Leaf::I32 => d::<i32>(value, path, owner, sink),
            Leaf::I64 => d::<i64>(value, path, owner, sink),
            Leaf::F64 => d::<f64>(value, path, owner, sink),
            Leaf::Bool => d::<bool>(value, path, owner, sink),
            Leaf::Quantity => d::<Quantity>(value, path, owner, sink),
            Leaf::IntOrString => d::<IntOrString>(value, path, owner, sink),
            Leaf::Time => d::<meta::Time>(value, path, owner, sink),
            Leaf::MicroTime => d::<meta::MicroTime>(value, path, owner, sink),
            Leaf::ByteString => d::<k8s_openapi::ByteString>(value, path, owner, sink),
            Leaf::Value => d::<Value>(value, path, owner, sink),
            Leaf::JsonSchemaPropsOrArray => d::<apiextensions::JSONSchemaPropsOrArray>(value, path, owner, sink),
            Leaf::JsonSchemaPropsOrBool => d::<apiextensions::JSONSchemaPropsOrBool>(value, path, owner, sink),
            Leaf::JsonSchemaPropsOrStringArray => {
                d::<apiextensions::JSONSchemaPropsOrStringArray>(value, path, owner, sink)
            }
        }
    }
}

/// A field's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    Leaf(Leaf),
    /// A struct: its index in the table.
    Struct(usize),
    List(Box<Ty>),
    /// `map[string]T`.
    Map(Box<Ty>),
}

/// One struct: its name (as Go and kubectl explain name it) and fields, in the decoder's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Struct {
    pub name: String,
    /// `(name, type, required)`: a required field (`!` in the text) may be neither null nor
    /// absent; every other field's null is its absence.
    pub fields: Vec<(String, Ty, bool)>,
}

/// Every struct, and each kind's root struct.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub structs: Vec<Struct>,
    /// `(apiVersion, kind, root struct)`.
    pub kinds: Vec<(String, String, usize)>,
}

impl Table {
    /// Reads `shape.txt`'s format: `= apiVersion Kind index` lines for kinds, a struct's name at
    /// the start of a line, then one indented `field type` line per field. Types: a leaf's name,
    /// `#index` for a struct, `[]T`, `{}T` for `map[string]T`.
    pub fn parse(text: &str) -> Result<Table, String> {
        let mut table = Table::default();
        for (n, line) in text.lines().enumerate() {
            let bad = || format!("shape table line {}: {line:?}", n + 1);
            if line.is_empty() || line.starts_with("//") {
                continue;
            }
            if let Some(kind) = line.strip_prefix("= ") {
                let mut it = kind.split(' ');
                let (Some(av), Some(k), Some(i), None) = (it.next(), it.next(), it.next(), it.next()) else {
                    return Err(bad());
                };
                table.kinds.push((av.to_string(), k.to_string(), i.parse().map_err(|_| bad())?));
            } else if let Some(field) = line.strip_prefix(' ') {
                let (name, ty) = field.split_once(' ').ok_or_else(bad)?;
                let (ty, required) = ty.strip_prefix('!').map_or((ty, false), |t| (t, true));
                let ty = parse_ty(ty).ok_or_else(bad)?;
                table.structs.last_mut().ok_or_else(bad)?.fields.push((name.to_string(), ty, required));
            } else {
                table.structs.push(Struct { name: line.to_string(), fields: Vec::new() });
            }
        }
        let n = table.structs.len();
        let in_range = |t: &Ty| fn_in_range(t, n);
        if table.kinds.iter().any(|k| k.2 >= n) || table.structs.iter().flat_map(|s| &s.fields).any(|f| !in_range(&f.1))
        {
            return Err("shape table: a struct index out of range".to_string());
        }
        Ok(table)
    }

    /// The root struct of `apiVersion` + `kind`.
    pub fn root(&self, api_version: &str, kind: &str) -> Option<usize> {
        self.kinds.iter().find(|k| k.0 == api_version && k.1 == kind).map(|k| k.2)
    }
}

fn fn_in_range(t: &Ty, n: usize) -> bool {
    match t {
        Ty::Leaf(_) => true,
        Ty::Struct(i) => *i < n,
        Ty::List(t) | Ty::Map(t) => fn_in_range(t, n),
    }
}

fn parse_ty(s: &str) -> Option<Ty> {
    if let Some(t) = s.strip_prefix("[]") {
        return parse_ty(t).map(|t| Ty::List(Box::new(t)));
    }
    if let Some(t) = s.strip_prefix("{}") {
        return parse_ty(t).map(|t| Ty::Map(Box::new(t)));
    }
    if let Some(i) = s.strip_prefix('#') {
        return i.parse().ok().map(Ty::Struct);
    }
    LEAVES.iter().find(|l| l.1 == s).map(|l| Ty::Leaf(l.0))
}

/// The table shipped with the sim, read at first use.
pub fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    // The text is generated and checked by a test, so it always parses; an empty table would
    // only switch the checks off.
    TABLE.get_or_init(|| Table::parse(include_str!("shape.txt")).unwrap_or_default())
}

/// Checks `value` as the kind `apiVersion`/`kind`: its unknown fields, or the first value of
/// the wrong type, exactly as decoding it into its k8s-openapi type reports them.
pub fn check(api_version: &str, kind: &str, value: &Value) -> Result<Vec<UnknownField>, DecodeError> {
    let t = table();
    let Some(root) = t.root(api_version, kind) else { return Ok(Vec::new()) };
    check_in(t, root, api_version, kind, value)
}

/// [`check`] against a given table (tests use it on the generated one).
pub fn check_in(
    t: &Table,
    root: usize,
    api_version: &str,
    kind: &str,
    value: &Value,
) -> Result<Vec<UnknownField>, DecodeError> {
    let sink = Sink::default();
    let _ = (api_version, kind);
    let walker = Walker { t, sink: &sink };
    let result = walker.value(&Ty::Struct(root), value, "", "");
    strict::finish(sink, result)
}

struct Walker<'a> {
    t: &'a Table,
    sink: &'a Sink,
}

impl Walker<'_> {
    /// A value where the decoder wants `ty` itself (a list's item, a map's value, a kind).
    fn value(&self, ty: &Ty, value: &Value, owner: &str, path: &str) -> Result<(), Error> {
        match ty {
            Ty::Leaf(leaf) => leaf.decode(value, path, owner, self.sink),
            Ty::Struct(i) => self.object(*i, value, owner, path),
            Ty::List(item) => match value {
                Value::Array(items) => items.iter().enumerate().try_for_each(|(i, v)| {
                    let p = format!("{path}[{i}]");
                    self.value(item, v, owner, &p)
                }),
                Value::Null => Ok(()),
                _ => Err(strict::mismatch_at(self.sink, "a sequence", value, owner, path)),
            },
            Ty::Map(item) => match value {
                Value::Object(map) => {
                    map.iter().try_for_each(|(k, v)| self.value(item, v, owner, &strict::join(path, k)))
                }
                Value::Null => Ok(()),
                _ => Err(strict::mismatch_at(self.sink, "a map", value, owner, path)),
            },
        }
    }

    fn object(&self, i: usize, value: &Value, owner: &str, path: &str) -> Result<(), Error> {
        let s = &self.t.structs[i];
        let Value::Object(map) = value else {
            return Err(strict::mismatch_at(self.sink, &format!("struct {}", s.name), value, owner, path));
        };
        // A kind's struct, wherever it is (a StatefulSet's claim templates), checks its own
        // apiVersion and kind.
        let resource = self.t.kinds.iter().find(|k| k.2 == i);
        for (key, v) in map {
            let Some((_, ty, required)) = s.fields.iter().find(|f| f.0 == *key) else {
                let names: Vec<&str> = s.fields.iter().map(|f| f.0.as_str()).collect();
                strict::note_key(self.sink, path, key, v, &names);
                continue;
            };
            let p = strict::join(path, key);
            match (resource, key.as_str()) {
                // A kind's own apiVersion and kind must be given as the kind's.
                (Some((av, kind, _)), "apiVersion" | "kind") => {
                    Leaf::String.decode(v, &p, &s.name, self.sink)?;
                    let want = if key == "kind" { kind.as_str() } else { av.as_str() };
                    let got = v.as_str().unwrap_or_default();
                    if got != want {
                        return Err(serde::de::Error::invalid_value(serde::de::Unexpected::Str(got), &want));
                    }
                }
                // Every field is optional to the decoder: null is its absence.
                _ if v.is_null() && !required => {}
                _ => self.value(ty, v, &s.name, &p)?,
            }
        }
        match s.fields.iter().find(|f| f.2 && !map.contains_key(&f.0)) {
            Some((name, ..)) => Err(serde::de::Error::custom(format!("missing field `{name}`"))),
            None => Ok(()),
        }
    }
}

/// What a path names in a kind (see [`super::schema`]): the walk `kubectl explain` takes.
enum Found {
    Struct(usize),
    Type(String),
    NoField(String),
}

/// Walks `ty` along `rest`. Lists are transparent (a path goes on to their items); maps and
/// leaves end a path. `describe`: at the end, the type found there rather than a struct's fields.
fn find(t: &Table, ty: &Ty, rest: &[String], describe: bool) -> Found {
    match ty {
        Ty::Struct(i) => match rest.split_first() {
            None if describe => Found::Type(t.structs[*i].name.clone()),
            None => Found::Struct(*i),
            Some((first, rest)) => match t.structs[*i].fields.iter().find(|f| f.0 == *first) {
                Some((_, ty, _)) => find(t, ty, rest, describe),
                None => Found::NoField(first.clone()),
            },
        },
        Ty::List(item) if rest.is_empty() && describe => Found::Type(format!("[]{}", type_name(t, item))),
        Ty::List(item) => find(t, item, rest, describe),
        Ty::Map(item) => match rest.first() {
            None => Found::Type(format!("map[string]{}", type_name(t, item))),
            Some(step) => Found::NoField(step.clone()),
        },
        Ty::Leaf(leaf) => match rest.first() {
            None => Found::Type(leaf.explain_name().to_string()),
            Some(step) => Found::NoField(step.clone()),
        },
    }
}

fn type_name(t: &Table, ty: &Ty) -> String {
    match find(t, ty, &[], true) {
        Found::Type(name) => name,
        _ => "Object".to_string(),
    }
}

/// The type and fields at `path` inside `apiVersion`/`kind` (`[]`: the kind itself), or the
/// first path step that names no field.
pub fn explain(api_version: &str, kind: &str, path: &[String]) -> Result<Explained, String> {
    let t = table();
    let root = t.root(api_version, kind).ok_or_else(|| path.last().cloned().unwrap_or_default())?;
    explain_in(t, root, path)
}

/// [`explain`] against a given table.
pub fn explain_in(t: &Table, root: usize, path: &[String]) -> Result<Explained, String> {
    let ty = Ty::Struct(root);
    let i = match find(t, &ty, path, false) {
        Found::Struct(i) => i,
        Found::Type(ty) => return Ok(Explained { ty, fields: Vec::new() }),
        Found::NoField(f) => return Err(f),
    };
    // A path into a list explains its items; the type shown is the list's.
    let ty = match find(t, &ty, path, true) {
        Found::Type(name) if !path.is_empty() => name,
        _ => t.structs[i].name.clone(),
    };
    let fields = t.structs[i].fields.iter().map(|(name, fty, _)| Field { name: name.clone(), ty: type_name(t, fty) });
    Ok(Explained { ty, fields: fields.collect() })
}

#[cfg(test)]
mod tests;
