//! Label selectors compiled once per scheduling attempt against interned labels, with the
//! meaning of `crate::sim::selector::matches_label_selector` (matchLabels and matchExpressions
//! with In, NotIn, Exists, DoesNotExist; a null selector matches nothing).

use serde_json::Value;

use super::intern::{Interner, Labels, Sym};

#[derive(Debug, Clone)]
enum Requirement {
    In(Sym, Vec<Sym>),
    NotIn(Sym, Vec<Sym>),
    Exists(Sym),
    DoesNotExist(Sym),
    /// Something that can never hold (a non-string value, an unknown operator).
    Never,
}

/// A compiled `LabelSelector`.
#[derive(Debug, Clone)]
pub struct Selector {
    requirements: Vec<Requirement>,
}

impl Selector {
    /// Compiles a selector given as JSON.
    pub fn compile(selector: &Value, syms: &mut Interner) -> Selector {
        if selector.is_null() {
            return Selector { requirements: vec![Requirement::Never] };
        }
        let mut requirements = Vec::new();
        for (k, v) in selector["matchLabels"].as_object().into_iter().flatten() {
            requirements.push(match v.as_str() {
                Some(v) => Requirement::In(syms.intern(k), vec![syms.intern(v)]),
                // A value that is not a string equals only a missing label.
                None => Requirement::DoesNotExist(syms.intern(k)),
            });
        }
        for e in selector["matchExpressions"].as_array().into_iter().flatten() {
            let key = syms.intern(e["key"].as_str().unwrap_or(""));
            let values: Vec<Sym> = e["values"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(|v| syms.intern(v))
                .collect();
            requirements.push(match e["operator"].as_str().unwrap_or("") {
                "In" => Requirement::In(key, values),
                "NotIn" => Requirement::NotIn(key, values),
                "Exists" => Requirement::Exists(key),
                "DoesNotExist" => Requirement::DoesNotExist(key),
                _ => Requirement::Never,
            });
        }
        Selector { requirements }
    }

    /// Whether `labels` satisfy every requirement.
    pub fn matches(&self, labels: &Labels) -> bool {
        self.requirements.iter().all(|r| match r {
            Requirement::In(k, vs) => labels.get(*k).is_some_and(|v| vs.contains(&v)),
            Requirement::NotIn(k, vs) => labels.get(*k).is_none_or(|v| !vs.contains(&v)),
            Requirement::Exists(k) => labels.get(*k).is_some(),
            Requirement::DoesNotExist(k) => labels.get(*k).is_none(),
            Requirement::Never => false,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::json;

    use super::*;
    use crate::sim::selector::matches_label_selector;

    #[test]
    fn compiled_selectors_agree_with_the_json_matcher() {
        let label_sets: Vec<BTreeMap<String, String>> = vec![
            BTreeMap::new(),
            [("app", "web")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            [("app", "db"), ("tier", "back")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ];
        let selectors = [
            json!(null),
            json!({}),
            json!({"matchLabels": {"app": "web"}}),
            json!({"matchLabels": {"app": 1}}),
            json!({"matchExpressions": [{"key": "app", "operator": "In", "values": ["db", "web"]}]}),
            json!({"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["web"]}]}),
            json!({"matchExpressions": [{"key": "tier", "operator": "Exists"}]}),
            json!({"matchExpressions": [{"key": "tier", "operator": "DoesNotExist"}]}),
            json!({"matchExpressions": [{"key": "tier", "operator": "Gt", "values": ["1"]}]}),
            json!({"matchLabels": {"app": "db"}, "matchExpressions": [{"key": "tier", "operator": "In", "values": ["back"]}]}),
        ];
        let mut syms = Interner::default();
        for s in &selectors {
            let compiled = Selector::compile(s, &mut syms);
            for l in &label_sets {
                let interned = syms.labels(l);
                assert_eq!(compiled.matches(&interned), matches_label_selector(s, l), "{s} on {l:?}");
            }
        }
    }
}
