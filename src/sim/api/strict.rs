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
    let result = T::deserialize(Tracked { value: value.clone(), path: String::new(), sink: &sink, owner: "" });
    match result {
        Ok(t) => Ok((t, sink.unknown.into_inner())),
        Err(e) => Err(DecodeError { message: sink.failure.into_inner().unwrap_or_else(|| e.to_string()) }),
    }
}

#[derive(Default)]
struct Sink {
    unknown: RefCell<Vec<UnknownField>>,
    /// The first type mismatch, described with its path (set where the path is known).
    failure: RefCell<Option<String>>,
}

struct Tracked<'s> {
    value: Value,
    path: String,
    sink: &'s Sink,
    /// The Go-ish name of the struct holding this field (for type-mismatch messages).
    owner: &'static str,
}

fn join(path: &str, key: &str) -> String {
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
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            let Tracked { value, .. } = &self;
            value.clone().$method(visitor).map_err(|e| self.mismatch(e))
        }
    )*};
}

impl<'de, 's> de::Deserializer<'de> for Tracked<'s> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
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
        match self.value {
            Value::Object(map) => visitor.visit_map(Entries::new(map, self.path, self.sink, Some(fields), name)),
            _ => {
                let err = de::Error::invalid_type(de::Unexpected::Other("non-object"), &visitor);
                Err(Tracked { owner: self.owner, ..self }.mismatch_struct(err, name))
            }
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
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
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let value = self.value.clone();
        value.deserialize_enum(name, variants, visitor).map_err(|e| self.mismatch(e))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, Error> {
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
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32 deserialize_f64
        deserialize_char deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_unit deserialize_identifier deserialize_ignored_any deserialize_i128 deserialize_u128
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
    owner: &'static str,
}

impl<'s> Entries<'s> {
    fn new(
        map: Map<String, Value>,
        path: String,
        sink: &'s Sink,
        fields: Option<&'static [&'static str]>,
        owner: &'static str,
    ) -> Self {
        Entries { iter: map.into_iter(), pending: None, path, sink, fields, owner }
    }
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
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
        seed.deserialize(Tracked { value, path, sink: self.sink, owner: self.owner })
    }
}

struct Items<'s> {
    iter: std::iter::Enumerate<std::vec::IntoIter<Value>>,
    path: String,
    sink: &'s Sink,
    owner: &'static str,
}

impl<'s> Items<'s> {
    fn new(items: Vec<Value>, path: String, sink: &'s Sink, owner: &'static str) -> Self {
        Items { iter: items.into_iter().enumerate(), path, sink, owner }
    }
}

impl<'de> SeqAccess<'de> for Items<'_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        let Some((i, value)) = self.iter.next() else {
            return Ok(None);
        };
        let path = format!("{}[{i}]", self.path);
        seed.deserialize(Tracked { value, path, sink: self.sink, owner: self.owner }).map(Some)
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
