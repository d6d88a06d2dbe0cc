//! Strict decoding: JSON → a typed k8s-openapi object, noting every field the type does not
//! have, with its full path, as the API server's strict field validation reports it
//! (`unknown field "spec.template.spec.containers[0].imagee"`), plus the closest real field.
//!
//! k8s-openapi's types skip unknown fields silently; they tell the deserializer the names they
//! know (`deserialize_struct`'s `fields`), so this deserializer checks each key against them.

use std::cell::RefCell;

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Error, Map, Value};

/// A field the target type does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownField {
    /// Full JSON path: `spec.template.spec.containers[0].imagee`.
    pub path: String,
    /// A real field of the same object with a close name, if any: `image`.
    pub suggestion: Option<String>,
}

/// Why a value could not be decoded at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Go-style description of a type mismatch, as the API server words it:
    /// `json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`.
    pub message: String,
}

/// Decodes `value` as `T`, returning it and the unknown fields met on the way.
pub fn decode<T: de::DeserializeOwned>(value: &Value) -> Result<(T, Vec<UnknownField>), DecodeError> {
    let sink = Sink::default();
    let result =
        T::deserialize(Tracked { value: value.clone(), path: String::new(), sink: &sink, owner: "", probe: None });
    match result {
        Ok(t) => Ok((t, sink.unknown.into_inner())),
        Err(e) => Err(DecodeError { message: sink.failure.into_inner().unwrap_or_else(|| e.to_string()) }),
    }
}

/// What a decode met: unknown fields, the first type mismatch, a probe's finding.
#[derive(Default)]
pub struct Sink {
    unknown: RefCell<Vec<UnknownField>>,
    /// The first type mismatch, described with its path (set where the path is known).
    failure: RefCell<Option<String>>,
    /// What a probe found (see [`probe`]).
    found: RefCell<Option<Found>>,
    /// A fine probe passed an `Option` at its path's end: the field may be null or absent.
    optional: std::cell::Cell<bool>,
}

struct Tracked<'s> {
    value: Value,
    path: String,
    sink: &'s Sink,
    /// The Go-ish name of the struct holding this field (for type-mismatch messages).
    owner: &'s str,
    /// Probing the type's shape instead of decoding a value (`kubectl explain`).
    probe: Option<Probe<'s>>,
}

/// A probe's position: the path steps still to walk, and whether, at the end, to report the
/// type found there (a field's type) rather than a struct's fields.
#[derive(Clone, Copy)]
struct Probe<'s> {
    rest: &'s [String],
    describe: bool,
    /// At the path's end, report the Rust type asked for (`std::any::type_name`) and let `*`
    /// step into a map's values: what the shape table's generator needs (tests only).
    fine: bool,
}

/// What probing a type at a path found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A struct, with its name and field names.
    Struct(&'static str, &'static [&'static str]),
    /// A field's type, in kubectl explain's words (`string`, `[]Container`, `map[string]string`).
    Type(String),
    /// The path names no field: this step.
    NoField(String),
}

/// Probes `T`'s shape at `path` — a type asks its deserializer for a struct and its fields, a
/// string, a list…; this records what it asked for and stops. It reuses the decoders the
/// strict checks already compile, so it adds no per-type code.
pub fn probe<T: de::DeserializeOwned>(path: &[String], describe: bool) -> Option<Found> {
    let sink = Sink::default();
    let probe = Some(Probe { rest: path, describe, fine: false });
    let _ = T::deserialize(Tracked { value: Value::Null, path: String::new(), sink: &sink, owner: "", probe });
    sink.found.into_inner()
}

impl Tracked<'_> {
    /// Records what the probe found here and stops decoding.
    fn found(&self, found: Found) -> Error {
        *self.sink.found.borrow_mut() = Some(found);
        de::Error::custom("probed")
    }

    /// At a scalar: its type at the path's end, else the next step names no field.
    fn probe_scalar(&self, p: Probe, ty: &str) -> Error {
        match p.rest.first() {
            None => self.found(Found::Type(ty.to_string())),
            Some(step) => self.found(Found::NoField(step.clone())),
        }
    }

    /// A probe one level down (a list's item) describing what it finds.
    fn inner(&self) -> Tracked<'_> {
        let probe = Some(Probe { rest: &[], describe: true, fine: false });
        Tracked { value: Value::Null, path: self.path.clone(), sink: self.sink, owner: self.owner, probe }
    }

    /// A fine probe at its path's end: the Rust type this position decodes (tests only).
    #[cfg(test)]
    fn fine_end<V>(&self) -> Option<Error> {
        let p = self.probe?;
        (p.fine && p.describe && p.rest.is_empty())
            .then(|| self.found(Found::Type(std::any::type_name::<V>().to_string())))
    }
}

/// Probes `T` at `path` (`*` steps into a map's values): with `describe`, the Rust type found
/// there; without, a struct's fields. The shape table's generator walks the k8s-openapi types so.
/// Also tells whether the position is an `Option` (a field the decoder lets be null or absent).
#[cfg(test)]
pub fn probe_fine<T: de::DeserializeOwned>(path: &[String], describe: bool) -> (Option<Found>, bool) {
    let sink = Sink::default();
    let probe = Some(Probe { rest: path, describe, fine: true });
    let _ = T::deserialize(Tracked { value: Value::Null, path: String::new(), sink: &sink, owner: "", probe });
    (sink.found.into_inner(), sink.optional.get())
}

/// Decodes `value` as `T` at `path` inside the struct `owner`, into `sink`: a leaf of the shape
/// table (a scalar, or a type with its own decoder), decoded exactly as inside its kind's type.
pub fn decode_leaf<T: de::DeserializeOwned>(value: &Value, path: &str, owner: &str, sink: &Sink) -> Result<(), Error> {
    let t = Tracked { value: value.clone(), path: path.to_string(), sink, owner, probe: None };
    T::deserialize(t).map(drop)
}

/// A value of the wrong JSON type at `path`, where a decoder expected `expected` (serde's words:
/// `a sequence`, `a map`, `struct PodSpec`), recorded as the first mismatch if none was.
pub fn mismatch_at(sink: &Sink, expected: &str, value: &Value, owner: &str, path: &str) -> Error {
    let mut failure = sink.failure.borrow_mut();
    if failure.is_none() {
        *failure = Some(describe_mismatch(&format!("expected {expected}"), value, owner, path));
    }
    de::Error::custom(format!("invalid type, expected {expected}"))
}

/// Notes `key` of the object at `path` as unknown unless its value is null, as the strict
/// decoder does for a struct with `fields`.
pub fn note_key(sink: &Sink, path: &str, key: &str, value: &Value, fields: &[&str]) {
    if !value.is_null() {
        let suggestion = closest(key, fields);
        sink.unknown.borrow_mut().push(UnknownField { path: join(path, key), suggestion });
    }
}

/// The outcome of a decode into `sink`: its unknown fields, or the first mismatch described.
pub fn finish(sink: Sink, result: Result<(), Error>) -> Result<Vec<UnknownField>, DecodeError> {
    match result {
        Ok(()) => Ok(sink.unknown.into_inner()),
        Err(e) => Err(DecodeError { message: sink.failure.into_inner().unwrap_or_else(|| e.to_string()) }),
    }
}

/// The type a probe recorded, as kubectl explain names it.
fn recorded_type(sink: &Sink) -> String {
    match sink.found.borrow_mut().take() {
        Some(Found::Type(t)) => t,
        Some(Found::Struct(name, _)) => name.to_string(),
        _ => "Object".to_string(),
    }
}

pub fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl<'s> Tracked<'s> {
    fn mismatch(&self, err: Error) -> Error {
        let mut failure = self.sink.failure.borrow_mut();
        if failure.is_none() {
            *failure = Some(describe_mismatch(&err.to_string(), &self.value, self.owner, &self.path));
        }
        err
    }
}

/// `invalid type: string "x", expected i32` → `json: cannot unmarshal string into Go struct
/// field Owner.path of type int32`.
fn describe_mismatch(serde_msg: &str, value: &Value, owner: &str, path: &str) -> String {
    let got = match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let expected = serde_msg.rsplit_once("expected ").map_or("", |(_, e)| e);
    let go_type = match expected.trim_end_matches(|c: char| c == '.' || c.is_whitespace()) {
        "i32" => "int32".to_string(),
        "i64" => "int64".to_string(),
        "f64" => "float64".to_string(),
        "a boolean" | "bool" => "bool".to_string(),
        "a string" => "string".to_string(),
        "a sequence" => "[]interface {}".to_string(),
        "a map" => "map[string]string".to_string(),
        e if e.starts_with("struct ") => e.trim_start_matches("struct ").to_string(),
        e => e.to_string(),
    };
    if owner.is_empty() || path.is_empty() {
        format!("json: cannot unmarshal {got} into Go value of type {go_type}")
    } else {
        format!("json: cannot unmarshal {got} into Go struct field {owner}.{path} of type {go_type}")
    }
}

/// Levenshtein distance, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The known field closest to `key`, if close enough to be a likely typo.
fn closest(key: &str, fields: &[&str]) -> Option<String> {
    let lower = key.to_ascii_lowercase();
    fields
        .iter()
        .map(|f| (distance(&lower, &f.to_ascii_lowercase()), *f))
        .filter(|(d, f)| *d <= (f.len() / 3).max(2))
        .min()
        .map(|(_, f)| f.to_string())
}

macro_rules! forward_to_value {
    ($($method:ident => $ty:literal)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            #[cfg(test)]
            if let Some(e) = self.fine_end::<V::Value>() {
                return Err(e);
            }
            if let Some(p) = self.probe {
                return Err(self.probe_scalar(p, $ty));
            }
            let Tracked { value, .. } = &self;
            value.clone().$method(visitor).map_err(|e| self.mismatch(e))
        }
    )*};
}

impl<'de, 's> de::Deserializer<'de> for Tracked<'s> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        #[cfg(test)]
        if let Some(e) = self.fine_end::<V::Value>() {
            return Err(e);
        }
        if let Some(p) = self.probe {
            // Among k8s-openapi's types, the self-describing ones are IntOrString and free JSON.
            return Err(self.probe_scalar(p, "IntOrString"));
        }
        match self.value {
            Value::Object(map) => visitor.visit_map(Entries::new(map, self.path, self.sink, None, self.owner)),
            Value::Array(items) => visitor.visit_seq(Items::new(items, self.path, self.sink, self.owner)),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        #[cfg(test)]
        if let Some(e) = self.fine_end::<V::Value>() {
            return Err(e);
        }
        if let Some(p) = self.probe {
            let Some((first, rest)) = p.rest.split_first() else {
                return Err(if p.describe {
                    self.found(Found::Type(name.to_string()))
                } else {
                    self.found(Found::Struct(name, fields))
                });
            };
            if !fields.contains(&first.as_str()) {
                return Err(self.found(Found::NoField(first.clone())));
            }
            let mut entries = Entries::new(Map::new(), self.path, self.sink, Some(fields), name);
            entries.probe = Some((first.clone(), Probe { rest, ..p }));
            return visitor.visit_map(entries);
        }
        match self.value {
            Value::Object(map) => visitor.visit_map(Entries::new(map, self.path, self.sink, Some(fields), name)),
            _ => {
                let err = de::Error::invalid_type(de::Unexpected::Other("non-object"), &visitor);
                Err(Tracked { owner: self.owner, ..self }.mismatch_struct(err, name))
            }
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        #[cfg(test)]
        if let Some(e) = self.fine_end::<V::Value>() {
            return Err(e);
        }
        if let Some(p) = self.probe {
            if let Some(("*", rest)) = p.rest.split_first().map(|(f, r)| (f.as_str(), r)).filter(|_| p.fine) {
                let mut entries = Entries::new(Map::new(), self.path, self.sink, None, self.owner);
                entries.probe = Some(("k".to_string(), Probe { rest, ..p }));
                return visitor.visit_map(entries);
            }
            let mut entries = Entries::new(Map::new(), self.path.clone(), self.sink, None, self.owner);
            entries.probe = Some(("k".to_string(), Probe { rest: &[], describe: true, fine: false }));
            let _ = visitor.visit_map(entries);
            let value = recorded_type(self.sink);
            return Err(match p.rest.first() {
                None => self.found(Found::Type(format!("map[string]{value}"))),
                Some(step) => self.found(Found::NoField(step.clone())),
            });
        }
        match self.value {
            Value::Object(map) => visitor.visit_map(Entries::new(map, self.path, self.sink, None, self.owner)),
            Value::Null => visitor.visit_map(Entries::new(Map::new(), self.path, self.sink, None, self.owner)),
            _ => {
                let err = de::Error::invalid_type(de::Unexpected::Other("non-object"), &visitor);
                Err(self.mismatch(err))
            }
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        #[cfg(test)]
        if let Some(e) = self.fine_end::<V::Value>() {
            return Err(e);
        }
        if let Some(p) = self.probe {
            if p.rest.is_empty() && p.describe {
                let inner = self.inner();
                let _ = visitor.visit_seq(Items::probing(inner));
                let item = recorded_type(self.sink);
                return Err(self.found(Found::Type(format!("[]{item}"))));
            }
            // Paths go through lists to their items (`spec.containers.name`), and explaining a
            // list lists its items' fields.
            return visitor.visit_seq(Items::probing(self));
        }
        match self.value {
            Value::Array(items) => visitor.visit_seq(Items::new(items, self.path, self.sink, self.owner)),
            Value::Null => visitor.visit_seq(Items::new(Vec::new(), self.path, self.sink, self.owner)),
            _ => {
                let err = de::Error::invalid_type(de::Unexpected::Other("non-array"), &visitor);
                Err(self.mismatch(err))
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if let Some(p) = self.probe {
            if p.fine && p.rest.is_empty() {
                self.sink.optional.set(true);
            }
            return visitor.visit_some(self);
        }
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, Error> {
        #[cfg(test)]
        if let Some(e) = self.fine_end::<V::Value>() {
            return Err(e);
        }
        if let Some(p) = self.probe {
            // kubectl explain shows timestamps as strings and quantities by name.
            match name {
                "Quantity" => return Err(self.probe_scalar(p, "Quantity")),
                "Time" | "MicroTime" => return Err(self.probe_scalar(p, "string")),
                _ => {}
            }
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        #[cfg(test)]
        if let Some(e) = self.fine_end::<V::Value>() {
            return Err(e);
        }
        if let Some(p) = self.probe {
            return Err(self.probe_scalar(p, "string"));
        }
        let value = self.value.clone();
        value.deserialize_enum(name, variants, visitor).map_err(|e| self.mismatch(e))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, Error> {
        #[cfg(test)]
        if let Some(e) = self.fine_end::<V::Value>() {
            return Err(e);
        }
        if let Some(p) = self.probe {
            return Err(self.probe_scalar(p, "Object"));
        }
        let value = self.value.clone();
        value.deserialize_unit_struct(name, visitor).map_err(|e| self.mismatch(e))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _n: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    forward_to_value! {
        deserialize_bool => "boolean" deserialize_i8 => "integer" deserialize_i16 => "integer"
        deserialize_i32 => "integer" deserialize_i64 => "integer" deserialize_u8 => "integer"
        deserialize_u16 => "integer" deserialize_u32 => "integer" deserialize_u64 => "integer"
        deserialize_f32 => "number" deserialize_f64 => "number" deserialize_char => "string"
        deserialize_str => "string" deserialize_string => "string" deserialize_bytes => "string"
        deserialize_byte_buf => "string" deserialize_unit => "Object" deserialize_identifier => "string"
        deserialize_ignored_any => "Object" deserialize_i128 => "integer" deserialize_u128 => "integer"
    }
}

impl Tracked<'_> {
    fn mismatch_struct(self, err: Error, name: &str) -> Error {
        let mut failure = self.sink.failure.borrow_mut();
        if failure.is_none() {
            let msg = describe_mismatch(&format!("expected struct {name}"), &self.value, self.owner, &self.path);
            *failure = Some(msg);
        }
        err
    }
}

struct Entries<'s> {
    iter: serde_json::map::IntoIter,
    pending: Option<(String, Value)>,
    path: String,
    sink: &'s Sink,
    fields: Option<&'static [&'static str]>,
    owner: &'s str,
    /// Probing: the one key to offer and the probe for its value.
    probe: Option<(String, Probe<'s>)>,
    value_probe: Option<Probe<'s>>,
}

impl<'s> Entries<'s> {
    fn new(
        map: Map<String, Value>,
        path: String,
        sink: &'s Sink,
        fields: Option<&'static [&'static str]>,
        owner: &'s str,
    ) -> Self {
        Entries { iter: map.into_iter(), pending: None, path, sink, fields, owner, probe: None, value_probe: None }
    }
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        if let Some((key, p)) = self.probe.take() {
            let k = seed.deserialize(key.as_str().into_deserializer()).map_err(|e: Error| e)?;
            self.pending = Some((key, Value::Null));
            self.value_probe = Some(p);
            return Ok(Some(k));
        }
        let Some((key, value)) = self.iter.next() else {
            return Ok(None);
        };
        if let Some(fields) = self.fields {
            // A null value for an unknown key is harmless (and common in generated YAML).
            if !fields.contains(&key.as_str()) && !value.is_null() {
                let suggestion = closest(&key, fields);
                self.sink.unknown.borrow_mut().push(UnknownField { path: join(&self.path, &key), suggestion });
            }
        }
        let k = seed.deserialize(key.as_str().into_deserializer()).map_err(|e: Error| e)?;
        self.pending = Some((key, value));
        Ok(Some(k))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let (key, value) = self.pending.take().ok_or_else(|| de::Error::custom("value without a key"))?;
        let path = join(&self.path, &key);
        let probe = self.value_probe.take();
        seed.deserialize(Tracked { value, path, sink: self.sink, owner: self.owner, probe })
    }
}

struct Items<'s> {
    iter: std::iter::Enumerate<std::vec::IntoIter<Value>>,
    path: String,
    sink: &'s Sink,
    owner: &'s str,
    /// Probing: the one item is probed so.
    probe: Option<Probe<'s>>,
}

impl<'s> Items<'s> {
    fn new(items: Vec<Value>, path: String, sink: &'s Sink, owner: &'s str) -> Self {
        Items { iter: items.into_iter().enumerate(), path, sink, owner, probe: None }
    }

    /// One item, probed as `t` is.
    fn probing(t: Tracked<'s>) -> Self {
        Items {
            iter: vec![Value::Null].into_iter().enumerate(),
            path: t.path,
            sink: t.sink,
            owner: t.owner,
            probe: t.probe,
        }
    }
}

impl<'de> SeqAccess<'de> for Items<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        let Some((i, value)) = self.iter.next() else {
            return Ok(None);
        };
        let path = format!("{}[{i}]", self.path);
        let probe = self.probe;
        seed.deserialize(Tracked { value, path, sink: self.sink, owner: self.owner, probe }).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::Deployment;
    use k8s_openapi::api::core::v1::Pod;
    use serde_json::json;

    #[test]
    fn reports_unknown_fields_with_full_paths_and_suggestions() {
        let v = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replica": 3, "selector": {"matchLabels": {"app": "web"}},
                     "template": {"metadata": {"labels": {"app": "web"}},
                                  "spec": {"containers": [{"name": "web", "imagee": "nginx"}]}}}});
        let (_d, unknown): (Deployment, _) = decode(&v).unwrap();
        let paths: Vec<_> = unknown.iter().map(|u| (u.path.as_str(), u.suggestion.as_deref())).collect();
        assert_eq!(
            paths,
            [("spec.replica", Some("replicas")), ("spec.template.spec.containers[0].imagee", Some("image"))]
        );
    }

    #[test]
    fn known_fields_and_nulls_pass_clean() {
        let v = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": null},
            "spec": {"containers": [{"name": "c", "image": "nginx", "resources": {"limits": {"cpu": "1"}},
                     "ports": [{"containerPort": 80}]}]}});
        let (pod, unknown): (Pod, _) = decode(&v).unwrap();
        assert!(unknown.is_empty(), "{unknown:?}");
        assert_eq!(pod.spec.unwrap().containers[0].image.as_deref(), Some("nginx"));
    }

    #[test]
    fn type_mismatch_is_described_as_the_api_server_does() {
        let v = json!({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"replicas": "three"}});
        let err = decode::<Deployment>(&v).unwrap_err();
        assert_eq!(
            err.message,
            "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"
        );
    }

    #[test]
    fn far_off_names_get_no_suggestion() {
        assert_eq!(closest("zzzzzzzz", &["replicas", "selector"]), None);
        assert_eq!(closest("Replicas", &["replicas", "selector"]).as_deref(), Some("replicas"));
    }
}
