//! `spec.podFailurePolicy` (upstream `pod_failure_policy.go`): the first rule that matches a
//! failed pod — by its containers' exit codes or by its conditions — decides whether the
//! failure fails the Job, fails the pod's index, is ignored, or counts toward `backoffLimit`.

use serde_json::Value;

use crate::sim::api::Object;

/// What a matching rule does with a failed pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Fail the whole Job at once; the message explains which rule matched.
    FailJob(String),
    /// Fail the pod's index (Indexed Jobs with `backoffLimitPerIndex`).
    FailIndex,
    /// Neither count the failure nor fail anything: just replace the pod.
    Ignore,
    /// Count the failure toward the back-off limits (also what an unmatched failure does).
    Count,
}

/// A container whose termination matches an `onExitCodes` requirement: the name of the
/// container given (if any), a non-zero exit code, and the operator over the values.
fn matching_container<'a>(pod: &'a Object, requirement: &Value) -> Option<(&'a str, i64)> {
    let wanted = requirement["containerName"].as_str();
    let values: Vec<i64> = requirement["values"].as_array().into_iter().flatten().filter_map(Value::as_i64).collect();
    let operator_in = requirement["operator"] == "In";
    ["status.containerStatuses", "status.initContainerStatuses"]
        .iter()
        .filter_map(|path| pod.field(path).and_then(Value::as_array))
        .flatten()
        .filter(|s| wanted.is_none_or(|w| s["name"] == w))
        .find_map(|s| {
            let code = s["state"]["terminated"]["exitCode"].as_i64()?;
            let listed = values.contains(&code);
            (code != 0 && listed == operator_in).then(|| (s["name"].as_str().unwrap_or(""), code))
        })
}

/// A pod condition matching one of the `onPodConditions` patterns (status defaults to True).
fn matching_condition<'a>(pod: &'a Object, patterns: &Value) -> Option<&'a str> {
    let conditions = pod.field("status.conditions")?.as_array()?;
    patterns.as_array()?.iter().find_map(|p| {
        let status = p["status"].as_str().unwrap_or("True");
        conditions.iter().find(|c| c["type"] == p["type"] && c["status"] == status).and_then(|c| c["type"].as_str())
    })
}

/// `matchPodFailurePolicy`: the action of the first rule matching the failed `pod`, or `None`
/// when no rule matches (the failure then counts).
pub fn match_pod_failure_policy(policy: &Value, pod: &Object) -> Option<Action> {
    let ns = pod.namespace().unwrap_or("default");
    for (index, rule) in policy["rules"].as_array().into_iter().flatten().enumerate() {
        let action = rule["action"].as_str().unwrap_or("");
        let fail_job_message = if !rule["onExitCodes"].is_null() {
            let Some((container, code)) = matching_container(pod, &rule["onExitCodes"]) else { continue };
            format!(
                "Container {container} for pod {ns}/{} failed with exit code {code} matching {action} rule at index {index}",
                pod.name()
            )
        } else if !rule["onPodConditions"].is_null() {
            let Some(condition) = matching_condition(pod, &rule["onPodConditions"]) else { continue };
            format!("Pod {ns}/{} has condition {condition} matching {action} rule at index {index}", pod.name())
        } else {
            continue;
        };
        return match action {
            "FailJob" => Some(Action::FailJob(fail_job_message)),
            "FailIndex" => Some(Action::FailIndex),
            "Ignore" => Some(Action::Ignore),
            _ => Some(Action::Count),
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn failed_pod(exit: i64, conditions: Value) -> Object {
        Object::from_value(json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "x-abc", "namespace": "default"},
            "status": {"phase": "Failed", "conditions": conditions, "containerStatuses": [
                {"name": "sidecar", "state": {"terminated": {"exitCode": 0}}},
                {"name": "main", "state": {"terminated": {"exitCode": exit}}}]}}))
        .unwrap()
    }

    #[test]
    fn exit_code_rule_fails_the_job_with_upstreams_message() {
        let policy = json!({"rules": [{"action": "FailJob", "onExitCodes": {"containerName": "main", "operator": "In", "values": [42]}}]});
        assert_eq!(
            match_pod_failure_policy(&policy, &failed_pod(42, json!([]))),
            Some(Action::FailJob(
                "Container main for pod default/x-abc failed with exit code 42 matching FailJob rule at index 0".into()
            ))
        );
        assert_eq!(match_pod_failure_policy(&policy, &failed_pod(1, json!([]))), None);
    }

    #[test]
    fn not_in_never_matches_a_zero_exit_code() {
        let policy = json!({"rules": [{"action": "Ignore", "onExitCodes": {"operator": "NotIn", "values": [1, 2]}}]});
        assert_eq!(match_pod_failure_policy(&policy, &failed_pod(3, json!([]))), Some(Action::Ignore));
        assert_eq!(match_pod_failure_policy(&policy, &failed_pod(2, json!([]))), None);
    }

    #[test]
    fn disruption_condition_rule_is_matched_after_earlier_rules() {
        let policy = json!({"rules": [
            {"action": "Count", "onExitCodes": {"operator": "In", "values": [7]}},
            {"action": "FailJob", "onPodConditions": [{"type": "DisruptionTarget"}]}]});
        let disrupted = failed_pod(137, json!([{"type": "DisruptionTarget", "status": "True"}]));
        assert_eq!(
            match_pod_failure_policy(&policy, &disrupted),
            Some(Action::FailJob(
                "Pod default/x-abc has condition DisruptionTarget matching FailJob rule at index 1".into()
            ))
        );
        assert_eq!(match_pod_failure_policy(&policy, &failed_pod(7, json!([]))), Some(Action::Count));
    }
}
