//! Manifests: YAML text (one or many `---`-separated documents) → API objects, with errors
//! that say which document and where.

use serde::Deserialize;

use crate::sim::api::{Object, ObjectError};

/// The largest manifest text accepted, in bytes.
pub const MAX_MANIFEST_BYTES: usize = 2 << 20;

/// Why a manifest could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestError {
    /// The YAML itself is malformed.
    #[error("error converting YAML to JSON: yaml: line {line}, column {column}: {message}")]
    Syntax { line: usize, column: usize, message: String },
    /// A document is YAML but not an object.
    #[error("error validating data: {0}")]
    Object(#[from] ObjectError),
    #[error("manifest is {0} bytes; the sandbox accepts at most {MAX_MANIFEST_BYTES}")]
    TooLarge(usize),
}

/// Every object in `text`, in order. Empty documents are skipped, as kubectl skips them.
pub fn parse(text: &str) -> Result<Vec<Object>, ManifestError> {
    if text.len() > MAX_MANIFEST_BYTES {
        return Err(ManifestError::TooLarge(text.len()));
    }
    let mut objects = Vec::new();
    for doc in serde_yaml_ng::Deserializer::from_str(text) {
        let value = serde_json::Value::deserialize(doc).map_err(|e| {
            let loc = e.location();
            ManifestError::Syntax {
                line: loc.as_ref().map_or(0, |l| l.line()),
                column: loc.as_ref().map_or(0, |l| l.column()),
                message: e.to_string().split(" at line ").next().unwrap_or("").to_string(),
            }
        })?;
        if value.is_null() {
            continue;
        }
        objects.push(Object::from_value(value)?);
    }
    Ok(objects)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_several_documents_and_skips_empty_ones() {
        let text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  k: v\n";
        let objs = parse(text).unwrap();
        assert_eq!(objs.iter().map(|o| o.kind.as_str()).collect::<Vec<_>>(), ["Namespace", "ConfigMap"]);
        assert_eq!(objs[1].field("data.k"), Some(&serde_json::json!("v")));
    }

    #[test]
    fn syntax_error_names_the_line() {
        let err = parse("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [oops\n").unwrap_err();
        match err {
            ManifestError::Syntax { line, .. } => assert!(line >= 4, "{line}"),
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }

    #[test]
    fn alias_bomb_is_refused_not_expanded() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 { "a".to_string() } else { format!("l{}", i - 1) };
            text.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert!(parse(&text).is_err());
    }
}
