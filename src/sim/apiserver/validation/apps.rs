//! Validation of apps workloads beyond their pod template (upstream `pkg/apis/apps/validation`).

use serde_json::Value;

use super::FieldError;

/// An int-or-string as the API server shows it in messages: `0`, `"0%"`.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    }
}

fn int_or_percent(v: &Value) -> i64 {
    match v {
        Value::String(s) => s.trim_end_matches('%').parse().unwrap_or(0),
        other => other.as_i64().unwrap_or(0),
    }
}

/// A DaemonSet's rolling update: maxSurge and maxUnavailable may not both be 0
/// (`ValidateRollingUpdateDaemonSet`; unset values count as their defaults, 0 and 1).
pub fn validate_daemon_set_update_strategy(spec: &Value) -> Vec<FieldError> {
    let ru = &spec["updateStrategy"]["rollingUpdate"];
    if spec["updateStrategy"]["type"] == "OnDelete" || ru.is_null() {
        return Vec::new();
    }
    let unavailable = if ru["maxUnavailable"].is_null() { Value::from(1) } else { ru["maxUnavailable"].clone() };
    let surge = int_or_percent(&ru["maxSurge"]);
    if int_or_percent(&unavailable) == 0 && surge == 0 {
        return vec![FieldError {
            path: "spec.updateStrategy.rollingUpdate.maxUnavailable".into(),
            detail: format!("Invalid value: {}: may not be 0 when `maxSurge` is 0", shown(&unavailable)),
        }];
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn daemon_set_may_surge_with_no_unavailability_but_not_neither() {
        let spec = |ru: Value| json!({"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": ru}});
        assert!(validate_daemon_set_update_strategy(&spec(json!({"maxSurge": 1, "maxUnavailable": 0}))).is_empty());
        assert!(
            validate_daemon_set_update_strategy(&spec(json!({"maxSurge": "0%"}))).is_empty(),
            "maxUnavailable defaults to 1"
        );
        let errs = validate_daemon_set_update_strategy(&spec(json!({"maxUnavailable": "0%"})));
        assert_eq!(
            errs[0].to_string(),
            "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"0%\": may not be 0 when `maxSurge` is 0"
        );
    }
}
