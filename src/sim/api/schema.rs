//! The fields of a built-in kind and their types, as `kubectl explain` lists them, read off the
//! k8s-openapi types themselves: a probing deserializer asks a type to decode, records what it
//! asks for (a struct and its field names, a string, a list, a map…) and stops.
//!
//! No schema is written by hand and none is shipped: the types know their own shape.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// A field's type in kubectl's notation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    String,
    Integer,
    Number,
    Boolean,
    /// A struct (`PodSpec`) or a named scalar (`Quantity`, `Time`).
    Named(String),
    IntOrString,
    List(Box<FieldType>),
    Map(Box<FieldType>),
    Object,
}

impl fmt::Display for FieldType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldType::String => f.write_str("string"),
            FieldType::Integer => f.write_str("integer"),
            FieldType::Number => f.write_str("number"),
            FieldType::Boolean => f.write_str("boolean"),
            // kubectl shows timestamps as strings (format date-time).
            FieldType::Named(n) if n == "Time" || n == "MicroTime" => f.write_str("string"),
            FieldType::Named(n) => f.write_str(n),
            FieldType::IntOrString => f.write_str("IntOrString"),
            FieldType::List(t) => write!(f, "[]{t}"),
            FieldType::Map(t) => write!(f, "map[string]{t}"),
            FieldType::Object => f.write_str("Object"),
        }
    }
}

/// One field: its name and type.
// SIM: kubectl also marks `-required-` fields; k8s-openapi's decoders read every field as
// optional, so the probe cannot tell them apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub ty: FieldType,
}

/// What a path names: its own type and, for a struct, its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub ty: FieldType,
    pub fields: Vec<Field>,
}

/// Why the probe stopped.
#[derive(Debug)]
enum Stop {
    /// Reached the path's end: the struct's fields.
    Struct(String, &'static [&'static str]),
    /// Reached the path's end at a non-struct: its type.
    Type(FieldType),
    /// The path names no field.
    NoField(String),
    Other(String),
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Stop::Other(msg.to_string())
    }
}

/// A deserializer that walks `path` into the type, then reports what it finds there.
/// `describe`: at the end, report the type (a field's type) rather than a struct's fields.
struct Probe<'p> {
    path: &'p [String],
    describe: bool,
}

impl<'p> Probe<'p> {
    fn at_end(&self) -> bool {
        self.path.is_empty()
    }

    fn scalar<T>(self, ty: FieldType) -> Result<T, Stop> {
        if self.at_end() {
            Err(Stop::Type(ty))
        } else {
            Err(Stop::NoField(self.path[0].clone()))
        }
    }
}

/// Yields one key (the next path step) and its value, probed further.
struct OneField<'p> {
    key: Option<String>,
    value: Option<Probe<'p>>,
}

impl<'de, 'p> MapAccess<'de> for OneField<'p> {
    type Error = Stop;
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Stop> {
        match self.key.take() {
            Some(k) => seed.deserialize(de::value::StringDeserializer::<Stop>::new(k)).map(Some),
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Stop> {
        match self.value.take() {
            Some(p) => seed.deserialize(p),
            None => Err(Stop::Other("no value".into())),
        }
    }
}

/// Yields one element, probed further (a list's element type is its items').
struct OneItem<'p>(Option<Probe<'p>>);

impl<'de, 'p> SeqAccess<'de> for OneItem<'p> {
    type Error = Stop;
    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Stop> {
        match self.0.take() {
            Some(p) => seed.deserialize(p).map(Some),
            None => Ok(None),
        }
    }
}

/// Learns the type inside a container (a list's items, a map's values).
fn inner_type(probe: impl FnOnce(Probe<'_>) -> Result<(), Stop>) -> FieldType {
    match probe(Probe { path: &[], describe: true }) {
        Err(Stop::Type(t)) => t,
        Err(Stop::Struct(name, _)) => FieldType::Named(name),
        _ => FieldType::Object,
    }
}

impl<'de, 'p> Deserializer<'de> for Probe<'p> {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, Stop> {
        // Among k8s-openapi's types, the self-describing ones are IntOrString and free JSON.
        self.scalar(FieldType::IntOrString)
    }
    fn deserialize_bool<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, Stop> {
        self.scalar(FieldType::Boolean)
    }
    fn deserialize_i8<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, Stop> {
        self.scalar(FieldType::Integer)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, Stop> {
        self.scalar(FieldType::Integer)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, Stop> {
        self.scalar(FieldType::Integer)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, Stop> {
        self.scalar(FieldType::Integer)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, Stop> {
        self.scalar(FieldType::Integer)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, Stop> {
        self.scalar(FieldType::Integer)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, Stop> {
        self.scalar(FieldType::Integer)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, Stop> {
        self.scalar(FieldType::Integer)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, Stop> {
        self.scalar(FieldType::Number)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, Stop> {
        self.scalar(FieldType::Number)
    }
    fn deserialize_char<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, Stop> {
        self.scalar(FieldType::String)
    }
    fn deserialize_str<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, Stop> {
        self.scalar(FieldType::String)
    }
    fn deserialize_string<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, Stop> {
        self.scalar(FieldType::String)
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, Stop> {
        self.scalar(FieldType::String)
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, Stop> {
        self.scalar(FieldType::String)
    }
    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Stop> {
        v.visit_some(self)
    }
    fn deserialize_unit<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, Stop> {
        self.scalar(FieldType::Object)
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(self, _n: &'static str, _v: V) -> Result<V::Value, Stop> {
        self.scalar(FieldType::Object)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, v: V) -> Result<V::Value, Stop> {
        match name {
            "Quantity" | "Time" | "MicroTime" => self.scalar(FieldType::Named(name.to_string())),
            _ => v.visit_newtype_struct(self),
        }
    }
    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Stop> {
        if self.at_end() && self.describe {
            let item = inner_type(|p| v.visit_seq(OneItem(Some(p))).map(|_| ()));
            return Err(Stop::Type(FieldType::List(Box::new(item))));
        }
        // Paths go through lists to their items (`spec.containers.name`), and explaining a
        // list lists its items' fields.
        v.visit_seq(OneItem(Some(self)))
    }
    fn deserialize_tuple<V: Visitor<'de>>(self, _l: usize, v: V) -> Result<V::Value, Stop> {
        self.deserialize_seq(v)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _n: &'static str, _l: usize, v: V) -> Result<V::Value, Stop> {
        self.deserialize_seq(v)
    }
    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Stop> {
        let value = inner_type(|p| v.visit_map(OneField { key: Some("k".into()), value: Some(p) }).map(|_| ()));
        if self.at_end() {
            Err(Stop::Type(FieldType::Map(Box::new(value))))
        } else {
            Err(Stop::NoField(self.path[0].clone()))
        }
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Stop> {
        let Some((first, rest)) = self.path.split_first() else {
            return Err(if self.describe {
                Stop::Type(FieldType::Named(name.to_string()))
            } else {
                Stop::Struct(name.to_string(), fields)
            });
        };
        if !fields.contains(&first.as_str()) {
            return Err(Stop::NoField(first.clone()));
        }
        let next = Probe { path: rest, describe: self.describe };
        v.visit_map(OneField { key: Some(first.clone()), value: Some(next) })
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _n: &'static str,
        _variants: &'static [&'static str],
        _v: V,
    ) -> Result<V::Value, Stop> {
        self.scalar(FieldType::String)
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, Stop> {
        self.scalar(FieldType::String)
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, _v: V) -> Result<V::Value, Stop> {
        self.scalar(FieldType::Object)
    }
}

/// The type and fields at `path` inside `T` (`[]`: the kind itself), or the first path step
/// that names no field.
pub fn explain<T: DeserializeOwned>(path: &[String]) -> Result<Explained, String> {
    let probe = |path: &[String], describe: bool| T::deserialize(Probe { path, describe });
    let (ty, fields) = match probe(path, false) {
        Err(Stop::Struct(name, fields)) => (FieldType::Named(name), fields),
        Err(Stop::Type(ty)) => return Ok(Explained { ty, fields: Vec::new() }),
        Err(Stop::NoField(f)) => return Err(f),
        Err(Stop::Other(e)) => return Err(e),
        Ok(_) => return Err(String::new()),
    };
    // A list's items are what a path into it explains; report the list type as kubectl does.
    let ty = match path.split_last() {
        Some((_, _)) => match probe(path, true) {
            Err(Stop::Type(t)) => t,
            _ => ty,
        },
        None => ty,
    };
    let mut out = Vec::new();
    for f in fields {
        let mut p = path.to_vec();
        p.push(f.to_string());
        let ty = match probe(&p, true) {
            Err(Stop::Type(t)) => t,
            _ => FieldType::Object,
        };
        out.push(Field { name: f.to_string(), ty });
    }
    Ok(Explained { ty, fields: out })
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::Deployment;
    use k8s_openapi::api::core::v1::Pod;

    fn path(p: &str) -> Vec<String> {
        p.split('.').filter(|s| !s.is_empty()).map(str::to_string).collect()
    }

    fn field<'a>(e: &'a Explained, name: &str) -> &'a Field {
        e.fields.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("no {name} in {e:?}"))
    }

    #[test]
    fn a_kind_lists_its_top_level_fields_with_types() {
        let e = explain::<Pod>(&[]).unwrap();
        let names: Vec<&str> = e.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["apiVersion", "kind", "metadata", "spec", "status"]);
        assert_eq!(field(&e, "spec").ty.to_string(), "PodSpec");
        assert_eq!(field(&e, "metadata").ty.to_string(), "ObjectMeta");
    }

    #[test]
    fn paths_go_through_lists_and_show_element_and_map_types() {
        let e = explain::<Pod>(&path("spec.containers")).unwrap();
        assert_eq!(e.ty.to_string(), "[]Container");
        assert_eq!(field(&e, "args").ty.to_string(), "[]string");
        assert_eq!(field(&e, "ports").ty.to_string(), "[]ContainerPort");
        let r = explain::<Pod>(&path("spec.containers.resources")).unwrap();
        assert_eq!(field(&r, "limits").ty.to_string(), "map[string]Quantity");
        let d = explain::<Deployment>(&path("spec")).unwrap();
        assert_eq!(field(&d, "replicas").ty.to_string(), "integer");
        assert_eq!(field(&d, "paused").ty.to_string(), "boolean");
        let s = explain::<Deployment>(&path("spec.strategy.rollingUpdate")).unwrap();
        assert_eq!(field(&s, "maxSurge").ty.to_string(), "IntOrString");
        let m = explain::<Pod>(&path("metadata")).unwrap();
        assert_eq!(field(&m, "labels").ty.to_string(), "map[string]string");
        assert_eq!(field(&m, "creationTimestamp").ty.to_string(), "string");
    }

    #[test]
    fn a_field_that_is_not_there_is_named() {
        assert_eq!(explain::<Pod>(&path("spec.contianers")), Err("contianers".to_string()));
        let leaf = explain::<Pod>(&path("spec.nodeName")).unwrap();
        assert_eq!((leaf.ty, leaf.fields.len()), (FieldType::String, 0));
    }
}
