//! Validation of Jobs and CronJobs (upstream `pkg/apis/batch/validation`): completion modes,
//! per-index back-off, pod failure policies, cron schedules and time zones.

use serde_json::Value;

use super::FieldError;
use crate::sim::cron::time_zone::Zone;
use crate::sim::cron::Schedule;

fn invalid_raw(path: &str, value: &str, msg: &str) -> FieldError {
    FieldError { path: path.into(), detail: format!("Invalid value: {value}: {msg}") }
}

fn quoted(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    }
}

/// A Job's spec at `path` (`spec`, or `spec.jobTemplate.spec`), beyond its pod template.
pub fn validate_job_spec(path: &str, spec: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    let indexed = spec["completionMode"] == "Indexed";
    if let Some(mode) = spec["completionMode"].as_str().filter(|m| !matches!(*m, "Indexed" | "NonIndexed")) {
        errs.push(FieldError {
            path: format!("{path}.completionMode"),
            detail: format!("Unsupported value: \"{mode}\": supported values: \"NonIndexed\", \"Indexed\""),
        });
    }
    for field in ["backoffLimitPerIndex", "maxFailedIndexes"] {
        let v = &spec[field];
        if !v.is_null() && !indexed {
            errs.push(invalid_raw(&format!("{path}.{field}"), &v.to_string(), "requires indexed completion mode"));
        }
    }
    if !spec["maxFailedIndexes"].is_null() && spec["backoffLimitPerIndex"].is_null() {
        errs.push(FieldError {
            path: format!("{path}.backoffLimitPerIndex"),
            detail: "Required value: when maxFailedIndexes is specified".into(),
        });
    }
    let policy = &spec["podFailurePolicy"];
    if policy.is_null() {
        return errs;
    }
    let template = &spec["template"]["spec"];
    let restart = template["restartPolicy"].as_str().unwrap_or("Always");
    if restart == "OnFailure" {
        errs.push(invalid_raw(
            &format!("{path}.template.spec.restartPolicy"),
            "\"OnFailure\"",
            "only \"Never\" is supported when podFailurePolicy is specified",
        ));
    }
    let names: Vec<&str> = ["containers", "initContainers"]
        .iter()
        .flat_map(|k| template[*k].as_array().into_iter().flatten())
        .filter_map(|c| c["name"].as_str())
        .collect();
    for (i, rule) in policy["rules"].as_array().into_iter().flatten().enumerate() {
        let rpath = format!("{path}.podFailurePolicy.rules[{i}]");
        match rule["action"].as_str() {
            None | Some("") => errs.push(FieldError {
                path: format!("{rpath}.action"),
                detail: "Required value: valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]".into(),
            }),
            Some("FailIndex") if spec["backoffLimitPerIndex"].is_null() => errs.push(invalid_raw(
                &format!("{rpath}.action"),
                "\"FailIndex\"",
                "requires the backoffLimitPerIndex to be set",
            )),
            Some("FailIndex" | "FailJob" | "Ignore" | "Count") => {}
            Some(other) => errs.push(FieldError {
                path: format!("{rpath}.action"),
                detail: format!("Unsupported value: \"{other}\": supported values: \"Count\", \"FailJob\", \"Ignore\""),
            }),
        }
        let exit = &rule["onExitCodes"];
        let conditions = rule["onPodConditions"].as_array().is_some_and(|c| !c.is_empty());
        if !exit.is_null() {
            let epath = format!("{rpath}.onExitCodes");
            match exit["operator"].as_str() {
                Some("In" | "NotIn") => {}
                None | Some("") => errs.push(FieldError {
                    path: format!("{epath}.operator"),
                    detail: "Required value: valid values: [\"In\" \"NotIn\"]".into(),
                }),
                Some(other) => errs.push(FieldError {
                    path: format!("{epath}.operator"),
                    detail: format!("Unsupported value: \"{other}\": supported values: \"In\", \"NotIn\""),
                }),
            }
            if let Some(name) = exit["containerName"].as_str().filter(|n| !names.contains(n)) {
                errs.push(invalid_raw(
                    &format!("{epath}.containerName"),
                    &format!("\"{name}\""),
                    "must be one of the container or initContainer names in the pod template",
                ));
            }
            let values: Vec<i64> = exit["values"].as_array().into_iter().flatten().filter_map(Value::as_i64).collect();
            if values.is_empty() {
                errs.push(invalid_raw(&format!("{epath}.values"), "[]int32(nil)", "at least one value is required"));
            }
            for (j, v) in values.iter().enumerate() {
                if exit["operator"] == "In" && *v == 0 {
                    errs.push(invalid_raw(&format!("{epath}.values[{j}]"), "0", "must not be 0 for the In operator"));
                }
            }
            if values.windows(2).any(|w| w[0] > w[1]) {
                let shown = values.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
                errs.push(invalid_raw(&format!("{epath}.values"), &format!("[]int32{{{shown}}}"), "must be ordered"));
            }
        }
        if !exit.is_null() && conditions {
            errs.push(FieldError {
                path: rpath.clone(),
                detail: "Invalid value: specifying both OnExitCodes and OnPodConditions is not supported".into(),
            });
        }
        if exit.is_null() && !conditions {
            errs.push(FieldError {
                path: rpath,
                detail: "Invalid value: specifying one of OnExitCodes and OnPodConditions is required".into(),
            });
        }
    }
    if let Some(p) = spec["podReplacementPolicy"].as_str().filter(|p| *p != "Failed") {
        errs.push(FieldError {
            path: format!("{path}.podReplacementPolicy"),
            detail: format!("Unsupported value: \"{p}\": supported values: \"Failed\""),
        });
    }
    errs
}

/// A CronJob's schedule and time zone (`validateScheduleFormat`, `validateTimeZone`).
pub fn validate_cron_job_spec(spec: &Value) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match spec["schedule"].as_str() {
        None | Some("") => errs.push(FieldError { path: "spec.schedule".into(), detail: "Required value".into() }),
        Some(schedule) => {
            let shown = quoted(&spec["schedule"]);
            if schedule.contains("TZ") {
                let msg = "cannot use TZ or CRON_TZ in schedule, use timeZone field instead";
                errs.push(invalid_raw("spec.schedule", &shown, msg));
            } else if let Err(e) = Schedule::parse(schedule) {
                errs.push(invalid_raw("spec.schedule", &shown, &e));
            }
        }
    }
    if let Some(tz) = spec["timeZone"].as_str() {
        let shown = format!("\"{tz}\"");
        if tz.is_empty() {
            errs.push(invalid_raw("spec.timeZone", &shown, "timeZone must be nil or non-empty string"));
        } else if tz.eq_ignore_ascii_case("Local") {
            let msg = "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones";
            errs.push(invalid_raw("spec.timeZone", &shown, msg));
        } else if let Err(e) = Zone::lookup(tz) {
            errs.push(invalid_raw("spec.timeZone", &shown, &e));
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn messages(errs: Vec<FieldError>) -> Vec<String> {
        errs.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn cron_schedules_refuse_inline_time_zones_and_unknown_zones() {
        let spec = json!({"schedule": "CRON_TZ=UTC 0 0 * * *"});
        assert_eq!(
            messages(validate_cron_job_spec(&spec)),
            ["spec.schedule: Invalid value: \"CRON_TZ=UTC 0 0 * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"]
        );
        let spec = json!({"schedule": "0 0 * * *", "timeZone": "Europe/Pariss"});
        assert_eq!(
            messages(validate_cron_job_spec(&spec)),
            ["spec.timeZone: Invalid value: \"Europe/Pariss\": unknown time zone Europe/Pariss"]
        );
        let spec = json!({"schedule": "0 0 * * *", "timeZone": "Local"});
        assert!(messages(validate_cron_job_spec(&spec))[0]
            .ends_with("must be an explicit time zone as defined in https://www.iana.org/time-zones"));
        assert!(validate_cron_job_spec(&json!({"schedule": "0 9 * * 1-5", "timeZone": "Asia/Seoul"})).is_empty());
    }

    #[test]
    fn per_index_fields_need_indexed_mode_and_fail_index_needs_a_per_index_limit() {
        let spec = json!({"backoffLimitPerIndex": 1});
        assert_eq!(
            messages(validate_job_spec("spec", &spec)),
            ["spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"]
        );
        let spec = json!({"completionMode": "Indexed", "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "main"}]}},
            "podFailurePolicy": {"rules": [{"action": "FailIndex", "onExitCodes": {"containerName": "mian", "operator": "In", "values": [2, 1]}}]}});
        assert_eq!(
            messages(validate_job_spec("spec", &spec)),
            [
                "spec.podFailurePolicy.rules[0].action: Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set",
                "spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: \"mian\": must be one of the container or initContainer names in the pod template",
                "spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{2, 1}: must be ordered",
            ]
        );
    }
}
