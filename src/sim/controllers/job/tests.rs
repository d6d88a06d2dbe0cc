//! Job controller: given a Job, run the sim, expect these pods, statuses and conditions.

use std::time::Duration;

use serde_json::{json, Value};

use super::indexed::COMPLETION_INDEX;
use crate::manifest;
use crate::sim::api::Object;
use crate::sim::store::ObjectKey;
use crate::sim::{Sim, SimConfig};

fn job(extra_spec: &str, command: &str) -> Sim {
    let text = format!("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: calc\nspec:\n{extra_spec}  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox:1.36\n        command: [sh, -c, '{command}']\n");
    let mut sim = Sim::new(SimConfig::default());
    sim.create(manifest::parse(&text).unwrap().remove(0)).unwrap();
    sim
}

fn status(sim: &Sim) -> Value {
    sim.store().get("Job", Some("default"), "calc").unwrap().body["status"].clone()
}

#[test]
fn completions_run_with_parallelism_and_the_job_completes() {
    let mut sim = job("  completions: 4\n  parallelism: 2\n", "sleep 5; echo 42");
    sim.advance(Duration::from_secs(3));
    assert_eq!(status(&sim)["active"], 2);
    sim.advance(Duration::from_secs(30));
    let s = status(&sim);
    assert_eq!(s["succeeded"], 4);
    assert_eq!(s["conditions"][1]["type"], "Complete");
    assert!(s["completionTime"].is_string());
    let pod = sim.store().list("Pod", Some("default")).next().unwrap();
    assert_eq!(pod.label("job-name"), Some("calc"));
}

#[test]
fn failures_stop_at_the_backoff_limit() {
    let mut sim = job("  backoffLimit: 2\n", "exit 1");
    sim.advance(Duration::from_secs(200));
    let s = status(&sim);
    assert_eq!(s["failed"], 3);
    assert_eq!(s["conditions"][1]["type"], "Failed");
    assert_eq!(s["conditions"][1]["reason"], "BackoffLimitExceeded");
}

#[test]
fn active_deadline_fails_the_job() {
    let mut sim = job("  activeDeadlineSeconds: 20\n", "sleep 3600");
    sim.advance(Duration::from_secs(25));
    assert_eq!(status(&sim)["conditions"][1]["reason"], "DeadlineExceeded");
}

fn pods(sim: &Sim) -> Vec<Object> {
    sim.store().list("Pod", Some("default")).cloned().collect()
}

fn pods_of_index(sim: &Sim, i: &str) -> Vec<Object> {
    pods(sim).into_iter().filter(|p| p.label(COMPLETION_INDEX) == Some(i)).collect()
}

#[test]
fn indexed_job_gives_each_pod_its_completion_index() {
    let mut sim = job(
        "  completionMode: Indexed\n  completions: 3\n  parallelism: 3\n",
        "echo index=$JOB_COMPLETION_INDEX; sleep 5",
    );
    sim.advance(Duration::from_secs(3));
    let pods = pods(&sim);
    assert_eq!(pods.len(), 3, "one pod per index");
    for (i, p) in pods.iter().enumerate() {
        let index = i.to_string();
        assert!(p.name().starts_with(&format!("calc-{i}-")) && p.name().len() == "calc-0-".len() + 5, "{}", p.name());
        assert_eq!(p.metadata.annotations.as_ref().unwrap()[COMPLETION_INDEX], index);
        assert_eq!(p.label(COMPLETION_INDEX), Some(index.as_str()));
        assert_eq!(p.field("spec.hostname"), Some(&json!(format!("calc-{i}"))));
        let env = &p.field("spec.containers").unwrap()[0]["env"][0];
        assert_eq!(env["name"], "JOB_COMPLETION_INDEX");
        let logs = crate::sim::kubelet::logs(&sim, &ObjectKey::of(p), None, false).unwrap();
        assert_eq!(logs, [format!("index={i}")]);
    }
    sim.advance(Duration::from_secs(10));
    let s = status(&sim);
    assert_eq!(s["completedIndexes"], "0-2");
    assert_eq!(s["succeeded"], 3);
    assert_eq!(s["conditions"][1]["type"], "Complete");
}

#[test]
fn indexed_job_retries_a_failed_index_with_a_pod_for_that_index() {
    // Index 0 exits 0; indexes 1 and 2 exit with their index.
    let mut sim = job(
        "  completionMode: Indexed\n  completions: 3\n  parallelism: 3\n  backoffLimit: 3\n",
        "exit $JOB_COMPLETION_INDEX",
    );
    sim.advance(Duration::from_secs(5));
    assert_eq!(status(&sim)["completedIndexes"], "0");
    // Two failures so far: the replacements wait 20 s.
    sim.advance(Duration::from_secs(25));
    assert_eq!(pods_of_index(&sim, "0").len(), 1, "a succeeded index is not run again");
    assert_eq!(pods_of_index(&sim, "1").len(), 2, "the failed index got a second pod after the back-off");
    assert!(pods_of_index(&sim, "1").iter().all(|p| p.name().starts_with("calc-1-")));
    sim.advance(Duration::from_secs(200));
    let s = status(&sim);
    assert_eq!(s["failed"], 4);
    assert_eq!(s["conditions"][1]["reason"], "BackoffLimitExceeded");
    assert_eq!(s["completedIndexes"], "0");
}

#[test]
fn backoff_limit_per_index_fails_only_that_index() {
    let mut sim = job(
        "  completionMode: Indexed\n  completions: 3\n  parallelism: 3\n  backoffLimitPerIndex: 1\n",
        "exit $JOB_COMPLETION_INDEX",
    );
    let j = sim.store().get("Job", Some("default"), "calc").unwrap();
    assert_eq!(j.field("spec.backoffLimit"), Some(&json!(2147483647)), "defaulted to MaxInt32 with a per-index limit");
    sim.advance(Duration::from_secs(60));
    let s = status(&sim);
    assert_eq!(s["failedIndexes"], "1,2");
    assert_eq!(s["completedIndexes"], "0");
    assert_eq!(s["failed"], 4, "indexes 1 and 2 ran twice each: once plus one retry");
    assert_eq!(s["conditions"][1]["reason"], "FailedIndexes");
    assert_eq!(s["conditions"][1]["message"], "Job has failed indexes");
    let retry = pods_of_index(&sim, "1")
        .into_iter()
        .max_by_key(|p| p.metadata.creation_timestamp.clone().map(|t| t.0))
        .unwrap();
    assert_eq!(retry.metadata.annotations.as_ref().unwrap()["batch.kubernetes.io/job-index-failure-count"], "1");
}

const EXIT_42_FAILS_JOB: &str = "  podFailurePolicy:\n    rules:\n    - action: FailJob\n      onExitCodes:\n        containerName: c\n        operator: In\n        values: [42]\n";

#[test]
fn pod_failure_policy_fails_the_job_on_a_matching_exit_code() {
    let mut sim = job(EXIT_42_FAILS_JOB, "exit 42");
    sim.advance(Duration::from_secs(10));
    let pod = pods(&sim).remove(0);
    let s = status(&sim);
    let msg =
        format!("Container c for pod default/{} failed with exit code 42 matching FailJob rule at index 0", pod.name());
    assert_eq!(s["conditions"][0]["type"], "FailureTarget");
    assert_eq!(s["conditions"][1]["type"], "Failed");
    assert_eq!(s["conditions"][1]["reason"], "PodFailurePolicy");
    assert_eq!(s["conditions"][1]["message"], msg.as_str());
    assert_eq!(s["failed"], 1);
    assert_eq!(pods(&sim).len(), 1, "no retry once the job failed");
}

#[test]
fn pod_failure_policy_counts_other_exit_codes_and_ignores_ignored_ones() {
    let mut sim = job(EXIT_42_FAILS_JOB, "exit 1");
    sim.advance(Duration::from_secs(20));
    assert_eq!(status(&sim)["failed"], 2, "exit 1 matches no rule and counts");
    let ignore = "  backoffLimit: 0\n  podFailurePolicy:\n    rules:\n    - action: Ignore\n      onExitCodes:\n        operator: In\n        values: [3]\n";
    let mut sim = job(ignore, "exit 3");
    sim.advance(Duration::from_secs(20));
    let s = status(&sim);
    assert!(s.get("failed").is_none(), "ignored failures are not counted: {s}");
    assert!(s.get("conditions").is_none(), "backoffLimit 0 is not reached");
    assert!(pods(&sim).len() >= 3, "ignored failures are replaced at once");
}

#[test]
fn pod_failure_policy_needs_restart_policy_never() {
    let text = format!("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: calc\nspec:\n{EXIT_42_FAILS_JOB}  template:\n    spec:\n      restartPolicy: OnFailure\n      containers:\n      - name: c\n        image: busybox:1.36\n");
    let mut sim = Sim::new(SimConfig::default());
    let err = sim.create(manifest::parse(&text).unwrap().remove(0)).unwrap_err();
    assert_eq!(
        err.message,
        "Job.batch \"calc\" is invalid: spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified"
    );
}
