//! Label selectors: `matchLabels` and `matchExpressions` (In, NotIn, Exists, DoesNotExist),
//! as controllers and Services use them to find pods.

use std::collections::BTreeMap;

use serde_json::Value;

/// Whether `labels` satisfy a `LabelSelector` given as JSON. An empty selector matches
/// everything; a null one matches nothing (as upstream's `LabelSelectorAsSelector`).
pub fn matches_label_selector(selector: &Value, labels: &BTreeMap<String, String>) -> bool {
    if selector.is_null() {
        return false;
    }
    let labels_ok = selector["matchLabels"]
        .as_object()
        .into_iter()
        .flatten()
        .all(|(k, v)| labels.get(k).map(String::as_str) == v.as_str());
    let exprs_ok =
        selector["matchExpressions"].as_array().into_iter().flatten().all(|e| expression_matches(e, labels, false));
    labels_ok && exprs_ok
}

/// One `{key, operator, values}` requirement against labels. Node selector terms also allow
/// `Gt` and `Lt` (`numeric`); label selectors do not.
pub fn expression_matches(e: &Value, labels: &BTreeMap<String, String>, numeric: bool) -> bool {
    let key = e["key"].as_str().unwrap_or("");
    let values: Vec<&str> = e["values"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let have = labels.get(key).map(String::as_str);
    let compare = |ord: std::cmp::Ordering| {
        numeric
            && have
                .and_then(|v| v.parse::<i64>().ok())
                .zip(values.first().and_then(|v| v.parse::<i64>().ok()))
                .is_some_and(|(a, b)| a.cmp(&b) == ord)
    };
    match e["operator"].as_str().unwrap_or("") {
        "In" => have.is_some_and(|v| values.contains(&v)),
        "NotIn" => have.is_none_or(|v| !values.contains(&v)),
        "Exists" => have.is_some(),
        "DoesNotExist" => have.is_none(),
        "Gt" => compare(std::cmp::Ordering::Greater),
        "Lt" => compare(std::cmp::Ordering::Less),
        _ => false,
    }
}

/// Whether `labels` contain every pair of a plain map selector (a Service's `spec.selector`).
pub fn matches_map(selector: &BTreeMap<String, String>, labels: &BTreeMap<String, String>) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn match_labels_and_expressions_combine() {
        let sel = json!({"matchLabels": {"app": "web"},
                         "matchExpressions": [{"key": "tier", "operator": "In", "values": ["front", "edge"]}]});
        assert!(matches_label_selector(&sel, &labels(&[("app", "web"), ("tier", "edge")])));
        assert!(!matches_label_selector(&sel, &labels(&[("app", "web"), ("tier", "back")])));
        assert!(!matches_label_selector(&sel, &labels(&[("tier", "edge")])));
    }

    #[test]
    fn empty_selector_matches_all_and_null_matches_none() {
        assert!(matches_label_selector(&json!({}), &labels(&[("a", "b")])));
        assert!(!matches_label_selector(&Value::Null, &labels(&[("a", "b")])));
    }

    #[test]
    fn not_in_and_does_not_exist_accept_missing_keys() {
        let sel = json!({"matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["prod"]},
                                              {"key": "x", "operator": "DoesNotExist"}]});
        assert!(matches_label_selector(&sel, &labels(&[])));
        assert!(!matches_label_selector(&sel, &labels(&[("env", "prod")])));
    }
}
