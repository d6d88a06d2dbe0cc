//! Indexed Jobs (`completionMode: Indexed`, upstream `indexed_job_utils.go`): each pod carries
//! its completion index (annotation, label, hostname, `JOB_COMPLETION_INDEX`), and the Job
//! reports the indexes done as compact intervals (`0-2,4`).

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::sim::api::Object;

/// The annotation (and label) holding a pod's completion index.
pub const COMPLETION_INDEX: &str = "batch.kubernetes.io/job-completion-index";
/// The annotation counting the earlier failures of a pod's index (with `backoffLimitPerIndex`).
pub const INDEX_FAILURE_COUNT: &str = "batch.kubernetes.io/job-index-failure-count";
/// The variable every container of an Indexed Job gets.
const COMPLETION_INDEX_ENV: &str = "JOB_COMPLETION_INDEX";
/// Generated names are at most this long before the API server's 5-character suffix.
const MAX_GENERATED_NAME_LENGTH: usize = 58;

/// Whether the Job runs in Indexed completion mode.
pub fn is_indexed(job: &Object) -> bool {
    job.field("spec.completionMode").and_then(Value::as_str) == Some("Indexed")
}

/// The pod's completion index (`getCompletionIndex`): the annotation, if a non-negative integer.
pub fn completion_index(pod: &Object) -> Option<i64> {
    let v = pod.metadata.annotations.as_ref()?.get(COMPLETION_INDEX)?;
    v.parse::<i64>().ok().filter(|i| *i >= 0)
}

/// Indexes as upstream writes `completedIndexes`/`failedIndexes`: ascending intervals,
/// `a-b` for three or more in a row, `a,b` for two, `a` for one (`0-2,4,6,7`).
pub fn format_intervals(indexes: &BTreeSet<i64>) -> String {
    let mut runs: Vec<(i64, i64)> = Vec::new();
    for &i in indexes {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == i => *last = i,
            _ => runs.push((i, i)),
        }
    }
    runs.iter()
        .map(|&(first, last)| match last - first {
            0 => first.to_string(),
            1 => format!("{first},{last}"),
            _ => format!("{first}-{last}"),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// `podGenerateNameWithIndex`: `<job>-<index>-`, cut to the generated-name limit.
pub fn generate_name(job_name: &str, index: i64) -> String {
    let mut prefix = format!("{job_name}-{index}-");
    prefix.truncate(MAX_GENERATED_NAME_LENGTH);
    prefix
}

/// The Job's pod template for one index: the index as annotation and label, the hostname
/// `<job>-<index>`, and `JOB_COMPLETION_INDEX` read from the label through the downward API
/// in every container that does not set it itself.
pub fn template_for_index(template: &Value, job_name: &str, index: i64, failures: Option<i64>) -> Value {
    let mut t = template.clone();
    if !t["metadata"].is_object() {
        t["metadata"] = json!({});
    }
    for map in ["annotations", "labels"] {
        if !t["metadata"][map].is_object() {
            t["metadata"][map] = json!({});
        }
        t["metadata"][map][COMPLETION_INDEX] = json!(index.to_string());
    }
    if let Some(n) = failures {
        t["metadata"]["annotations"][INDEX_FAILURE_COUNT] = json!(n.to_string());
    }
    t["spec"]["hostname"] = json!(format!("{job_name}-{index}"));
    for list in ["initContainers", "containers"] {
        for c in t["spec"][list].as_array_mut().into_iter().flatten() {
            let env = c.as_object_mut().map(|c| c.entry("env").or_insert_with(|| json!([])));
            let Some(env) = env.and_then(Value::as_array_mut) else { continue };
            if env.iter().any(|e| e["name"] == COMPLETION_INDEX_ENV) {
                continue;
            }
            let path = format!("metadata.labels['{COMPLETION_INDEX}']");
            env.push(json!({"name": COMPLETION_INDEX_ENV, "valueFrom": {"fieldRef": {"fieldPath": path}}}));
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_are_written_as_upstream_writes_them() {
        let set = |v: &[i64]| v.iter().copied().collect::<BTreeSet<i64>>();
        assert_eq!(format_intervals(&set(&[])), "");
        assert_eq!(format_intervals(&set(&[0, 1, 2, 4])), "0-2,4");
        assert_eq!(format_intervals(&set(&[1, 2])), "1,2");
        assert_eq!(format_intervals(&set(&[0, 3, 4, 5, 6, 9, 10])), "0,3-6,9,10");
    }

    #[test]
    fn generated_names_carry_the_index_and_fit_the_limit() {
        assert_eq!(generate_name("calc", 3), "calc-3-");
        let long = "a".repeat(60);
        assert_eq!(generate_name(&long, 3).len(), 58);
    }

    #[test]
    fn template_gets_the_index_everywhere_but_keeps_an_explicit_variable() {
        let tpl = json!({"spec": {"containers": [{"name": "a"}, {"name": "b", "env": [{"name": "JOB_COMPLETION_INDEX", "value": "x"}]}]}});
        let t = template_for_index(&tpl, "calc", 2, None);
        assert_eq!(t["metadata"]["annotations"][COMPLETION_INDEX], "2");
        assert_eq!(t["metadata"]["labels"][COMPLETION_INDEX], "2");
        assert_eq!(t["spec"]["hostname"], "calc-2");
        assert_eq!(
            t["spec"]["containers"][0]["env"][0]["valueFrom"]["fieldRef"]["fieldPath"],
            "metadata.labels['batch.kubernetes.io/job-completion-index']"
        );
        assert_eq!(t["spec"]["containers"][1]["env"].as_array().unwrap().len(), 1);
    }
}
