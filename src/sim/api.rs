//! API objects as the API server holds them: type, metadata, and the rest of the body.
//!
//! Metadata is the typed `ObjectMeta` of k8s-openapi (every kind shares it and the store
//! reads it); spec, status, data and any other top-level fields stay as JSON, so every kind —
//! built-in or custom — is stored the same way. Controllers decode the typed spec they need.

pub mod conditions;
pub mod discovery;
pub mod ingress_class;
pub mod pod_disruption_budget;
pub mod schema;
pub mod shape;
pub mod strict;
pub mod typed;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::{Map, Value};

/// An API object of any kind.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object {
    /// `apiVersion`, e.g. `v1` or `apps/v1`.
    pub api_version: String,
    /// `kind`, e.g. `Pod`.
    pub kind: String,
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// Every other top-level field (`spec`, `status`, `data`, …), keys sorted.
    pub body: Map<String, Value>,
}

/// Why a JSON value is not an API object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ObjectError {
    #[error("object is not a mapping")]
    NotAMapping,
    #[error("Object 'Kind' is missing in '{0}'")]
    MissingKind(String),
    #[error("Object 'apiVersion' is missing in '{0}'")]
    MissingApiVersion(String),
    #[error("invalid metadata: {0}")]
    Metadata(String),
}

impl Object {
    /// A new object with only type and name set.
    pub fn new(api_version: &str, kind: &str, name: &str) -> Object {
        Object {
            api_version: api_version.to_string(),
            kind: kind.to_string(),
            metadata: ObjectMeta { name: Some(name.to_string()), ..ObjectMeta::default() },
            body: Map::new(),
        }
    }

    /// Reads an object from its JSON form (as decoded from a manifest).
    pub fn from_value(value: Value) -> Result<Object, ObjectError> {
        let Value::Object(mut map) = value else {
            return Err(ObjectError::NotAMapping);
        };
        let short = || Value::Object(map_preview(&map)).to_string();
        let kind = match map.get("kind") {
            Some(Value::String(k)) if !k.is_empty() => k.clone(),
            _ => return Err(ObjectError::MissingKind(short())),
        };
        let api_version = match map.get("apiVersion") {
            Some(Value::String(v)) if !v.is_empty() => v.clone(),
            _ => return Err(ObjectError::MissingApiVersion(short())),
        };
        map.remove("kind");
        map.remove("apiVersion");
        let metadata = match map.remove("metadata") {
            None | Some(Value::Null) => ObjectMeta::default(),
            Some(m) => serde_json::from_value(m).map_err(|e| ObjectError::Metadata(e.to_string()))?,
        };
        Ok(Object { api_version, kind, metadata, body: map })
    }

    /// The JSON form, keys sorted as kubectl prints them.
    pub fn to_value(&self) -> Value {
        let mut map = self.body.clone();
        map.insert("apiVersion".into(), Value::String(self.api_version.clone()));
        map.insert("kind".into(), Value::String(self.kind.clone()));
        let meta = serde_json::to_value(&self.metadata).unwrap_or(Value::Null);
        map.insert("metadata".into(), meta);
        Value::Object(map)
    }

    /// Writes the object as compact JSON, byte for byte what `to_value().to_string()` gives, but
    /// without copying its body first (the digests of a 5,000-pod cluster spent most of their
    /// time in those copies).
    pub fn write_json(&self, out: &mut impl std::io::Write) -> serde_json::Result<()> {
        let meta = serde_json::to_value(&self.metadata)?;
        let (api_version, kind) = (Value::String(self.api_version.clone()), Value::String(self.kind.clone()));
        // The same keys, sorted, as `to_value`'s map holds them (serde_json's map is ordered).
        let mut fields: std::collections::BTreeMap<&str, &Value> =
            self.body.iter().map(|(k, v)| (k.as_str(), v)).collect();
        fields.insert("apiVersion", &api_version);
        fields.insert("kind", &kind);
        fields.insert("metadata", &meta);
        serde_json::to_writer(out, &fields)
    }

    /// `metadata.name` (empty if unset).
    pub fn name(&self) -> &str {
        self.metadata.name.as_deref().unwrap_or("")
    }

    /// `metadata.namespace`, if set.
    pub fn namespace(&self) -> Option<&str> {
        self.metadata.namespace.as_deref()
    }

    /// `metadata.uid` (empty if unset).
    pub fn uid(&self) -> &str {
        self.metadata.uid.as_deref().unwrap_or("")
    }

    /// A label's value.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.metadata.labels.as_ref()?.get(key).map(String::as_str)
    }

    /// The field at a dotted path in the body, e.g. `status.capacity.cpu`.
    pub fn field(&self, path: &str) -> Option<&Value> {
        let mut parts = path.split('.');
        let mut cur = self.body.get(parts.next()?)?;
        for p in parts {
            cur = cur.get(p)?;
        }
        Some(cur)
    }

    /// Decodes the body into a typed k8s-openapi object (e.g. `Node`, `Pod`).
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_value(self.to_value())
    }

    /// Encodes a typed k8s-openapi object.
    pub fn encode<T: serde::Serialize>(typed: &T) -> Result<Object, ObjectError> {
        let value = serde_json::to_value(typed).map_err(|e| ObjectError::Metadata(e.to_string()))?;
        Object::from_value(value)
    }
}

/// `v` without its `null` fields: a field set to null and an absent one mean the same to the
/// API server, which decodes both to the zero value (`creationTimestamp: null` in a template).
pub fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            Value::Object(m.iter().filter(|(_, x)| !x.is_null()).map(|(k, x)| (k.clone(), without_nulls(x))).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Whether `a` and `b` are equal once their `null` fields are dropped, as
/// `without_nulls(a) == without_nulls(b)`, without copying either.
pub fn eq_without_nulls(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let set = |m: &Map<String, Value>| m.values().filter(|v| !v.is_null()).count();
            set(x) == set(y)
                && x.iter()
                    .filter(|(_, v)| !v.is_null())
                    .all(|(k, v)| y.get(k).is_some_and(|w| !w.is_null() && eq_without_nulls(v, w)))
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| eq_without_nulls(v, w))
        }
        _ => a == b,
    }
}

/// The first few keys of a mapping, for error messages about objects that lack a type.
fn map_preview(map: &Map<String, Value>) -> Map<String, Value> {
    map.iter().take(3).map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// The controller reference of `o` (the owner reference with `controller: true`), if any.
pub fn controller_of(o: &Object) -> Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference> {
    o.metadata.owner_references.iter().flatten().find(|r| r.controller == Some(true))
}

/// The controller reference an owner puts on what it creates or adopts.
pub fn controller_ref(owner: &Object) -> k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference {
    k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference {
        api_version: owner.api_version.clone(),
        kind: owner.kind.clone(),
        name: owner.name().to_string(),
        uid: owner.uid().to_string(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

#[cfg(test)]
mod eq_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn eq_without_nulls_agrees_with_comparing_copies_without_nulls() {
        let cases = [
            (json!({"a": 1, "b": null}), json!({"a": 1})),
            (json!({"a": {"x": null, "y": [1, null, {"z": null}]}}), json!({"a": {"y": [1, null, {}]}})),
            (json!({"a": 1}), json!({"a": 2})),
            (json!({"a": null}), json!({"b": null})),
            (json!({"a": [1, 2]}), json!({"a": [1]})),
            (json!({"a": 1, "b": 2}), json!({"b": 2, "a": 1, "c": null})),
            (json!(null), json!({})),
            (json!({"a": {}}), json!({"a": null})),
        ];
        for (a, b) in cases {
            assert_eq!(eq_without_nulls(&a, &b), without_nulls(&a) == without_nulls(&b), "{a} vs {b}");
            assert_eq!(eq_without_nulls(&b, &a), without_nulls(&b) == without_nulls(&a), "{b} vs {a}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_through_json_with_sorted_keys() {
        let v = json!({"kind": "ConfigMap", "apiVersion": "v1",
                       "metadata": {"name": "cfg", "labels": {"b": "2", "a": "1"}},
                       "data": {"k": "v"}});
        let obj = Object::from_value(v.clone()).unwrap();
        assert_eq!(obj.name(), "cfg");
        assert_eq!(obj.label("a"), Some("1"));
        assert_eq!(obj.to_value(), v);
        let text = obj.to_value().to_string();
        assert!(text.starts_with(r#"{"apiVersion":"v1","data""#), "{text}");
    }

    #[test]
    fn write_json_gives_the_bytes_of_to_value() {
        let v = json!({"kind": "Pod", "apiVersion": "v1", "aaa": [1, 2.5, "x\u{1F600}\"\n"],
                       "metadata": {"name": "p", "annotations": {"z": "1", "a": "2"}, "uid": "u"},
                       "spec": {"containers": [{"name": "c", "image": "nginx"}]}, "status": {"phase": "Running"},
                       "zzz": null});
        let obj = Object::from_value(v).unwrap();
        let mut out = Vec::new();
        obj.write_json(&mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), obj.to_value().to_string());
    }

    #[test]
    fn missing_kind_is_reported_as_kubectl_does() {
        let err = Object::from_value(json!({"apiVersion": "v1"})).unwrap_err();
        assert!(err.to_string().starts_with("Object 'Kind' is missing in"), "{err}");
    }

    #[test]
    fn field_walks_dotted_paths() {
        let obj = Object::from_value(json!({"kind": "Node", "apiVersion": "v1",
            "status": {"capacity": {"cpu": "4"}}}))
        .unwrap();
        assert_eq!(obj.field("status.capacity.cpu"), Some(&json!("4")));
        assert_eq!(obj.field("status.nope"), None);
    }
}
