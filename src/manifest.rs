//! Manifests: YAML text (one or many `---`-separated documents) → API objects, with errors
//! that say which document and where.

pub mod examples;

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
    /// A JSON number beyond float64 (`1e999`), which Go's decoder refuses.
    #[error("json: cannot unmarshal number {0} into Go value of type float64")]
    NumberRange(String),
    /// A YAML number that is infinite or NaN (`.inf`, `1e999`), which JSON cannot carry.
    #[error("error converting YAML to JSON: json: unsupported value: {0}")]
    Unsupported(String),
}

/// Every object in `text`, in order. Empty documents are skipped, as kubectl skips them.
pub fn parse(text: &str) -> Result<Vec<Object>, ManifestError> {
    let mut objects = Vec::new();
    for value in documents(text)? {
        objects.push(Object::from_value(value)?);
    }
    Ok(objects)
}

/// Every document of `text` as JSON, in order, with the items of a `…List` in its place:
/// what kubectl (and kustomize) read before they look at any field.
pub fn documents(text: &str) -> Result<Vec<serde_json::Value>, ManifestError> {
    if text.len() > MAX_MANIFEST_BYTES {
        return Err(ManifestError::TooLarge(text.len()));
    }
    // kubectl reads a file that starts with a UTF-8 byte order mark as if it had none.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // JSON is decoded as JSON, where a number beyond float64 is an error (in YAML, Go's parser
    // reads `1e999` as a string).
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if let Some(literal) = overflowing_number(text) {
            return Err(ManifestError::NumberRange(literal));
        }
    }
    if let Some((line, column)) = too_deep(text) {
        return Err(ManifestError::Syntax {
            line,
            column,
            message: format!("nesting deeper than {MAX_FLOW_DEPTH} levels"),
        });
    }
    match yaml_documents(text) {
        // Go's YAML parser takes `\'` in a double-quoted string for `'`; this one does not.
        Err(ManifestError::Syntax { message, .. }) if message.contains("unknown escape") && text.contains("\\'") => {
            yaml_documents(&go_quote_escapes(text))
        }
        result => result,
    }
}

/// `\'` inside double-quoted scalars becomes `'` (what Go's YAML reads it as); the rest of the
/// text is left as it is. Only tried on a text that failed with an unknown escape.
fn go_quote_escapes(text: &str) -> String {
    #[derive(PartialEq)]
    enum At {
        Plain,
        Double,
        Single,
        Comment,
    }
    let mut out = String::with_capacity(text.len());
    let mut at = At::Plain;
    let mut prev = '\n';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match at {
            At::Plain => {
                let starts_token = prev.is_whitespace() || matches!(prev, ':' | '[' | '{' | ',' | '-' | '?');
                match c {
                    '#' if prev.is_whitespace() => at = At::Comment,
                    '"' if starts_token => at = At::Double,
                    '\'' if starts_token => at = At::Single,
                    _ => {}
                }
                out.push(c);
            }
            At::Double => match c {
                '\\' => match chars.next() {
                    Some('\'') => out.push('\''),
                    Some(next) => {
                        out.push(c);
                        out.push(next);
                    }
                    None => out.push(c),
                },
                '"' => {
                    at = At::Plain;
                    out.push(c);
                }
                _ => out.push(c),
            },
            At::Single => {
                if c == '\'' {
                    if chars.peek() == Some(&'\'') {
                        out.push(c);
                        chars.next();
                    } else {
                        at = At::Plain;
                    }
                }
                out.push(c);
            }
            At::Comment => {
                if c == '\n' {
                    at = At::Plain;
                }
                out.push(c);
            }
        }
        prev = c;
    }
    out
}

fn yaml_documents(text: &str) -> Result<Vec<serde_json::Value>, ManifestError> {
    let mut values = Vec::new();
    for doc in serde_yaml_ng::Deserializer::from_str(text) {
        let LastWins(mut yaml) = LastWins::deserialize(doc).map_err(syntax)?;
        // `<<: *anchor` merge keys, which Kubernetes' YAML 1.1 parser honours.
        yaml.apply_merge().map_err(syntax)?;
        // serde_json would turn an infinite float into `null` without a word; Go refuses it.
        if let Some(v) = non_finite(&yaml) {
            let word = if v.is_nan() {
                "NaN"
            } else if v > 0.0 {
                "+Inf"
            } else {
                "-Inf"
            };
            return Err(ManifestError::Unsupported(word.into()));
        }
        let mut value: serde_json::Value = serde_json::to_value(&yaml).map_err(|e| ManifestError::Syntax {
            line: 0,
            column: 0,
            message: e.to_string(),
        })?;
        if value.is_null() {
            continue;
        }
        fix_octal_modes(&mut value);
        match list_items(&value) {
            Some(items) => values.extend(items),
            None => values.push(value),
        }
    }
    Ok(values)
}

/// The first infinite or NaN float anywhere in `v`.
fn non_finite(v: &serde_yaml_ng::Value) -> Option<f64> {
    use serde_yaml_ng::Value as V;
    match v {
        V::Number(n) => n.as_f64().filter(|f| !f.is_finite()),
        V::Sequence(items) => items.iter().find_map(non_finite),
        V::Mapping(m) => m.iter().find_map(|(k, v)| non_finite(k).or_else(|| non_finite(v))),
        V::Tagged(t) => non_finite(&t.value),
        _ => None,
    }
}

/// The first number literal in JSON `text` too large for a float64, as written (`1e999`).
fn overflowing_number(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if b == b'-' || b.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && matches!(bytes[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
                i += 1;
            }
            let literal = &text[start..i];
            if literal.parse::<f64>().is_ok_and(|f| !f.is_finite()) {
                return Some(literal.to_string());
            }
            continue;
        }
        i += 1;
    }
    None
}

/// The objects of a `kind: List` (or any `…List` kind with `items`, as `kubectl get -o yaml`
/// writes several objects), which kubectl reads one by one. An item without its own `kind` or
/// `apiVersion` takes the list's (`PodList` → `Pod`), as kubectl's unstructured lists do.
fn list_items(value: &serde_json::Value) -> Option<Vec<serde_json::Value>> {
    let kind = value.get("kind")?.as_str()?;
    let base = kind.strip_suffix("List")?;
    let items = value.get("items")?.as_array()?;
    let api_version = value.get("apiVersion").cloned().unwrap_or_else(|| "v1".into());
    Some(
        items
            .iter()
            .map(|item| {
                let mut item = item.clone();
                if let Some(m) = item.as_object_mut() {
                    if m.get("kind").and_then(|k| k.as_str()).is_none_or(str::is_empty) && !base.is_empty() {
                        m.insert("kind".into(), base.into());
                    }
                    if m.get("apiVersion").and_then(|k| k.as_str()).is_none_or(str::is_empty) {
                        m.insert("apiVersion".into(), api_version.clone());
                    }
                }
                item
            })
            .collect(),
    )
}

/// The deepest `[`/`{` nesting a manifest may have: far beyond any real object, and refused
/// before the YAML parser sees it (deep flow nesting is slow to refuse there).
const MAX_FLOW_DEPTH: usize = 100;

/// Where (line, column, from 1) flow collections first nest deeper than [`MAX_FLOW_DEPTH`],
/// ignoring brackets inside quotes and comments (a rough scan: it only needs to be safe).
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let (mut depth, mut quote, mut line, mut col) = (0usize, None::<char>, 1, 0);
    let mut prev = '\n';
    let mut comment = false;
    for c in text.chars() {
        col += 1;
        if c == '\n' {
            (line, col, comment) = (line + 1, 0, false);
            prev = c;
            continue;
        }
        if comment {
            continue;
        }
        match (quote, c) {
            (Some(q), c) if c == q && prev != '\\' => quote = None,
            (Some(_), _) => {}
            (None, '#') if prev.is_whitespace() => comment = true,
            (None, '"' | '\'') if !prev.is_alphanumeric() => quote = Some(c),
            (None, '[' | '{') => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    return Some((line, col));
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        prev = c;
    }
    None
}

/// A YAML value in which a repeated mapping key keeps its last value, as Kubernetes' YAML
/// parser does (some real manifests repeat `apiVersion`), instead of failing.
struct LastWins(serde_yaml_ng::Value);

impl<'de> Deserialize<'de> for LastWins {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LastWinsVisitor).map(LastWins)
    }
}

struct LastWinsVisitor;

impl<'de> serde::de::Visitor<'de> for LastWinsVisitor {
    type Value = serde_yaml_ng::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_yaml_ng::Value::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_yaml_ng::Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        LastWins::deserialize(d).map(|v| v.0)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(LastWins(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(serde_yaml_ng::Value::Sequence(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut m = serde_yaml_ng::Mapping::new();
        while let Some((LastWins(k), LastWins(v))) = map.next_entry()? {
            m.insert(k, v);
        }
        Ok(serde_yaml_ng::Value::Mapping(m))
    }
}

fn syntax(e: serde_yaml_ng::Error) -> ManifestError {
    let loc = e.location();
    ManifestError::Syntax {
        line: loc.as_ref().map_or(0, |l| l.line()),
        column: loc.as_ref().map_or(0, |l| l.column()),
        message: e.to_string().split(" at line ").next().unwrap_or("").to_string(),
    }
}

/// File modes written the YAML 1.1 way (`defaultMode: 0400`) are octal numbers to Kubernetes'
/// parser, while a YAML 1.2 parser reads them as strings. Converts them back.
// SIM: only `mode`/`defaultMode` are converted, and a quoted "0400" would be too (a real
// cluster would refuse that one as a string).
fn fix_octal_modes(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                let octal = match v {
                    serde_json::Value::String(s) if (k == "mode" || k == "defaultMode") && s.starts_with('0') => {
                        i64::from_str_radix(s, 8).ok()
                    }
                    _ => None,
                };
                match octal {
                    Some(n) => *v = serde_json::Value::from(n),
                    None => fix_octal_modes(v),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(fix_octal_modes),
        _ => {}
    }
}

#[cfg(test)]
mod list_tests {
    #[test]
    fn a_list_is_read_as_its_items_and_typed_lists_lend_their_kind() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: b\n---\napiVersion: v1\nkind: ConfigMapList\nitems:\n- metadata:\n    name: c\n";
        let objects = super::parse(text).unwrap();
        let names: Vec<(String, String)> = objects.iter().map(|o| (o.kind.clone(), o.name().to_string())).collect();
        assert_eq!(
            names,
            [("ConfigMap".into(), "a".into()), ("Secret".into(), "b".into()), ("ConfigMap".into(), "c".into())]
        );
        assert!(super::parse("apiVersion: v1\nkind: List\nitems: []\n").unwrap().is_empty());
    }
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
    fn a_go_quote_escape_reads_as_go_reads_it_and_nowhere_else() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: e # it\\'s \"x\"\ndata:\n  a: \"it\\'s \\\"q\\\"\"\n  b: 'it''s \\'\n  c: plain\\'s\n";
        let objs = parse(text).unwrap();
        assert_eq!(objs[0].field("data.a"), Some(&serde_json::json!("it's \"q\"")));
        assert_eq!(objs[0].field("data.b"), Some(&serde_json::json!("it's \\")));
        assert_eq!(objs[0].field("data.c"), Some(&serde_json::json!("plain\\'s")));
        // Any other unknown escape is still refused.
        let bad = parse("a: \"\\q \\'\"\n").unwrap_err().to_string();
        assert!(bad.contains("unknown escape"), "{bad}");
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
    fn yaml_1_1_octal_modes_and_merge_keys_are_understood() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nbase: &b\n  x: 1\nspec:\n  <<: *b\n  volumes:\n  - name: s\n    secret:\n      defaultMode: 0400\n";
        let obj = parse(text).unwrap().remove(0);
        assert_eq!(
            obj.field("spec.volumes"),
            Some(&serde_json::json!([{"name": "s", "secret": {"defaultMode": 256}}]))
        );
        assert_eq!(obj.field("spec.x"), Some(&serde_json::json!(1)));
    }

    #[test]
    fn repeated_key_keeps_the_last_value() {
        let obj = parse("apiVersion: v1\nkind: ConfigMap\napiVersion: v1\nmetadata:\n  name: x\n").unwrap().remove(0);
        assert_eq!(obj.kind, "ConfigMap");
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
