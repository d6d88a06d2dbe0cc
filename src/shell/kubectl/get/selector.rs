//! `-l/--selector` and `--field-selector` as kubectl sends them and the API server applies them.
//!
//! Label selectors: comma-separated requirements `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
//! `k notin (a,b)`, `k` (exists) and `!k` (does not exist). Field selectors: `path=v`,
//! `path==v`, `path!=v` over the fields each kind supports.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::sim::api::Object;

/// One requirement of a label selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

/// A parsed label selector: every requirement must hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabelSelector(pub Vec<Requirement>);

/// Splits on commas outside parentheses.
fn split_top(s: &str) -> Vec<String> {
    let (mut parts, mut cur, mut depth) = (Vec::new(), String::new(), 0);
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    parts
}

fn valid_key(k: &str) -> bool {
    !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
}

impl LabelSelector {
    /// Parses kubectl's selector syntax; the error is the API machinery's message.
    pub fn parse(s: &str) -> Result<LabelSelector, String> {
        let mut reqs = Vec::new();
        if s.trim().is_empty() {
            return Ok(LabelSelector(reqs));
        }
        for part in split_top(s) {
            let p = part.trim();
            let bad = || {
                let token = p.split(|c: char| c.is_whitespace() || c == ',').next().unwrap_or(p);
                let token =
                    if token.starts_with(['=', '!']) || token.is_empty() { &p[..p.len().min(1)] } else { token };
                format!("unable to parse requirement: found '{token}', expected: identifier")
            };
            let set = |rest: &str| -> Result<Vec<String>, String> {
                let rest = rest.trim();
                let inner = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')).ok_or_else(|| {
                    format!(
                        "unable to parse requirement: found '{}', expected: '('",
                        rest.split(' ').next().unwrap_or("")
                    )
                })?;
                Ok(inner.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty()).collect())
            };
            let req = if let Some(k) = p.strip_prefix('!') {
                Requirement::DoesNotExist(k.trim().to_string())
            } else if let Some((k, v)) = p.split_once("!=") {
                Requirement::NotEquals(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = p.split_once("==").or_else(|| p.split_once('=')) {
                Requirement::Equals(k.trim().into(), v.trim().into())
            } else if let Some((k, rest)) = p.split_once(" notin ") {
                Requirement::NotIn(k.trim().into(), set(rest)?)
            } else if let Some((k, rest)) = p.split_once(" in ") {
                Requirement::In(k.trim().into(), set(rest)?)
            } else {
                Requirement::Exists(p.to_string())
            };
            // A value that is itself an operator (`a!==`): the parser's error for it.
            if let Requirement::Equals(_, v) | Requirement::NotEquals(_, v) = &req {
                if let Some(c) = v.chars().next().filter(|c| matches!(c, '=' | '!' | '(' | ')')) {
                    return Err(format!("unable to parse requirement: found '{c}', expected: identifier"));
                }
            }
            if let Requirement::In(_, vs) | Requirement::NotIn(_, vs) = &req {
                if vs.is_empty() {
                    return Err("unable to parse requirement: values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty".into());
                }
            }
            let key = match &req {
                Requirement::Equals(k, _)
                | Requirement::NotEquals(k, _)
                | Requirement::In(k, _)
                | Requirement::NotIn(k, _)
                | Requirement::Exists(k)
                | Requirement::DoesNotExist(k) => k,
            };
            if !valid_key(key) {
                return Err(bad());
            }
            reqs.push(req);
        }
        Ok(LabelSelector(reqs))
    }

    /// Whether `labels` satisfy every requirement.
    pub fn matches(&self, labels: Option<&BTreeMap<String, String>>) -> bool {
        let get = |k: &str| labels.and_then(|l| l.get(k)).map(String::as_str);
        self.0.iter().all(|r| match r {
            Requirement::Equals(k, v) => get(k) == Some(v),
            Requirement::NotEquals(k, v) => get(k) != Some(v),
            Requirement::In(k, vs) => get(k).is_some_and(|x| vs.iter().any(|v| v == x)),
            Requirement::NotIn(k, vs) => get(k).is_none_or(|x| !vs.iter().any(|v| v == x)),
            Requirement::Exists(k) => get(k).is_some(),
            Requirement::DoesNotExist(k) => get(k).is_none(),
        })
    }
}

/// A parsed field selector: `(path, value, equal)` terms that must all hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldSelector(pub Vec<(String, String, bool)>);

/// Why a field selector was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldSelectorError {
    /// Not `path=value`: kubectl refuses it before asking the server.
    Syntax(String),
    /// A field the kind does not support: the API server's message.
    Unsupported(String),
}

impl FieldSelector {
    /// Parses `metadata.name=web,status.phase!=Running`.
    pub fn parse(s: &str) -> Result<FieldSelector, FieldSelectorError> {
        let mut terms = Vec::new();
        for part in s.split(',').filter(|p| !p.trim().is_empty()) {
            let term = if let Some((k, v)) = part.split_once("!=") {
                (k, v, false)
            } else if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
                (k, v, true)
            } else {
                return Err(FieldSelectorError::Syntax(format!("invalid selector: '{s}'; can't understand '{part}'")));
            };
            terms.push((term.0.trim().to_string(), term.1.trim().to_string(), term.2));
        }
        Ok(FieldSelector(terms))
    }

    /// Checks every field is one `kind` supports, with the API server's error if not.
    pub fn check(&self, kind: &str) -> Result<(), String> {
        let supported = fields_of(kind);
        for (path, _, _) in &self.0 {
            if matches!(path.as_str(), "metadata.name" | "metadata.namespace") || supported.contains(&path.as_str()) {
                continue;
            }
            return Err(if supported.is_empty() {
                format!("\"{path}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"")
            } else {
                format!("field label not supported: {path}")
            });
        }
        Ok(())
    }

    /// Whether `o` satisfies every term.
    pub fn matches(&self, o: &Object) -> bool {
        self.0.iter().all(|(path, want, equal)| (field_value(o, path) == *want) == *equal)
    }
}

/// The fields beyond `metadata.name`/`metadata.namespace` each kind's field-label conversion
/// accepts (upstream `AddFieldLabelConversionFunc` registrations).
fn fields_of(kind: &str) -> &'static [&'static str] {
    match kind {
        "Pod" => &[
            "spec.nodeName",
            "spec.restartPolicy",
            "spec.schedulerName",
            "spec.serviceAccountName",
            "spec.hostNetwork",
            "status.phase",
            "status.podIP",
            "status.podIPs",
            "status.nominatedNodeName",
        ],
        "Node" => &["spec.unschedulable"],
        "Namespace" => &["status.phase"],
        "Secret" => &["type"],
        "Service" => &["spec.clusterIP", "spec.type"],
        "ReplicationController" | "ReplicaSet" => &["status.replicas"],
        "Job" => &["status.successful"],
        "Event" => &[
            "involvedObject.kind",
            "involvedObject.namespace",
            "involvedObject.name",
            "involvedObject.uid",
            "involvedObject.apiVersion",
            "involvedObject.resourceVersion",
            "involvedObject.fieldPath",
            "reason",
            "reportingComponent",
            "source",
            "type",
        ],
        _ => &[],
    }
}

fn field_value(o: &Object, path: &str) -> String {
    match path {
        "metadata.name" => o.name().to_string(),
        "metadata.namespace" => o.namespace().unwrap_or("").to_string(),
        "status.successful" => o.field("status.succeeded").map_or("0".into(), |v| v.to_string()),
        "source" => o.field("source.component").and_then(Value::as_str).unwrap_or("").to_string(),
        "spec.unschedulable" | "spec.hostNetwork" => {
            o.field(path).and_then(Value::as_bool).unwrap_or(false).to_string()
        }
        "status.podIPs" => o.field("status.podIP").and_then(Value::as_str).unwrap_or("").to_string(),
        _ => o.field(path).map(super::columns::scalar).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn equality_set_and_existence_requirements() {
        let web = labels(&[("app", "web"), ("tier", "front")]);
        let db = labels(&[("app", "db")]);
        let sel = |s: &str| LabelSelector::parse(s).unwrap();
        assert!(sel("app=web").matches(Some(&web)));
        assert!(sel("app==web,tier").matches(Some(&web)));
        assert!(!sel("app!=web").matches(Some(&web)));
        assert!(sel("app in (web, db)").matches(Some(&db)));
        assert!(sel("app notin (web),!tier").matches(Some(&db)));
        assert!(!sel("!tier").matches(Some(&web)));
        assert!(sel("app notin (x)").matches(None));
        assert!(LabelSelector::parse("a in b").is_err());
    }

    #[test]
    fn field_selector_support_depends_on_kind() {
        let fs = FieldSelector::parse("status.phase=Running").unwrap();
        assert_eq!(fs.check("Pod"), Ok(()));
        assert_eq!(
            fs.check("Deployment").unwrap_err(),
            "\"status.phase\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
        );
        assert_eq!(fs.check("Job").unwrap_err(), "field label not supported: status.phase");
        assert!(matches!(FieldSelector::parse("oops"), Err(FieldSelectorError::Syntax(_))));
    }
}
