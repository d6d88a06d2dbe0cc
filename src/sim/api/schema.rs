//! The fields of a built-in kind and their types, as `kubectl explain` lists them, read off the
//! k8s-openapi types themselves: a probing deserializer asks a type to decode, records what it
//! asks for (a struct and its field names, a string, a list, a map…) and stops.
//!
//! No schema is written by hand: the types know their own shape. The page walks the shape table
//! generated from them ([`super::shape`]); this probe-driven explain is its oracle in tests.

#[cfg(test)]
use serde::de::DeserializeOwned;

#[cfg(test)]
use super::strict::{probe, Found};

/// A field's type in kubectl explain's notation (`string`, `[]Container`, `map[string]string`,
/// `PodSpec`).
pub type FieldType = String;

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

/// Whether a type is a struct kubectl would let you explain further.
pub fn is_struct(ty: &str) -> bool {
    let base = ty.trim_start_matches("[]").trim_start_matches("map[string]");
    base.chars().next().is_some_and(char::is_uppercase) && !matches!(base, "Quantity" | "IntOrString" | "Object")
}

/// The type and fields at `path` inside `T` (`[]`: the kind itself), or the first path step
/// that names no field.
#[cfg(test)]
pub fn explain<T: DeserializeOwned>(path: &[String]) -> Result<Explained, String> {
    let (name, field_names) = match probe::<T>(path, false) {
        Some(Found::Struct(name, fields)) => (name.to_string(), fields),
        Some(Found::Type(ty)) => return Ok(Explained { ty, fields: Vec::new() }),
        Some(Found::NoField(f)) => return Err(f),
        None => return Err(path.last().cloned().unwrap_or_default()),
    };
    // A path into a list explains its items; the type shown is the list's.
    let ty = match probe::<T>(path, true) {
        Some(Found::Type(t)) if !path.is_empty() => t,
        _ => name,
    };
    let fields = field_names
        .iter()
        .map(|f| {
            let mut p = path.to_vec();
            p.push(f.to_string());
            let ty = match probe::<T>(&p, true) {
                Some(Found::Type(t)) => t,
                _ => "Object".to_string(),
            };
            Field { name: f.to_string(), ty }
        })
        .collect();
    Ok(Explained { ty, fields })
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
        assert_eq!(field(&e, "spec").ty, "PodSpec");
        assert_eq!(field(&e, "metadata").ty, "ObjectMeta");
    }

    #[test]
    fn paths_go_through_lists_and_show_element_and_map_types() {
        let e = explain::<Pod>(&path("spec.containers")).unwrap();
        assert_eq!(e.ty, "[]Container");
        assert_eq!(field(&e, "args").ty, "[]string");
        assert_eq!(field(&e, "ports").ty, "[]ContainerPort");
        let r = explain::<Pod>(&path("spec.containers.resources")).unwrap();
        assert_eq!(field(&r, "limits").ty, "map[string]Quantity");
        let d = explain::<Deployment>(&path("spec")).unwrap();
        assert_eq!(field(&d, "replicas").ty, "integer");
        assert_eq!(field(&d, "paused").ty, "boolean");
        let s = explain::<Deployment>(&path("spec.strategy.rollingUpdate")).unwrap();
        assert_eq!(field(&s, "maxSurge").ty, "IntOrString");
        let m = explain::<Pod>(&path("metadata")).unwrap();
        assert_eq!(field(&m, "labels").ty, "map[string]string");
        assert_eq!(field(&m, "creationTimestamp").ty, "string");
    }

    #[test]
    fn a_field_that_is_not_there_is_named() {
        assert_eq!(explain::<Pod>(&path("spec.contianers")), Err("contianers".to_string()));
        let leaf = explain::<Pod>(&path("spec.nodeName")).unwrap();
        assert_eq!((leaf.ty.as_str(), leaf.fields.len()), ("string", 0));
        assert!(is_struct("[]Container") && is_struct("PodSpec") && !is_struct("map[string]Quantity"));
    }
}
