//! Older scenario versions, read into the current one.
//!
//! - **v1** (`{version, seed, shape, files}`): the same seed, shape and files; no steps.
//! - **v2**: the current form.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::{Scenario, ScenarioError, VERSION};
use crate::sim::cluster::ClusterShape;

/// The first format: a cluster and the editor's files.
#[derive(Debug, Deserialize)]
struct V1 {
    seed: u64,
    shape: ClusterShape,
    #[serde(default)]
    files: BTreeMap<String, String>,
}

/// Reads a scenario of any known version from its JSON value.
pub fn upgrade(value: Value) -> Result<Scenario, ScenarioError> {
    let Some(map) = value.as_object() else {
        return Err(ScenarioError::Garbage("not a JSON object".into()));
    };
    let version = match map.get("version") {
        Some(Value::Number(n)) => match n.as_u64() {
            Some(v) => v,
            None => return Err(ScenarioError::UnknownVersion(n.to_string())),
        },
        Some(other) => return Err(ScenarioError::UnknownVersion(short(&other.to_string()))),
        None => return Err(ScenarioError::Garbage("it has no version".into())),
    };
    let shape_error = |e: serde_json::Error| ScenarioError::Garbage(short(&format!("a field is wrong: {e}")));
    match version {
        1 => {
            let v1: V1 = serde_json::from_value(value).map_err(shape_error)?;
            Ok(Scenario { seed: v1.seed, shape: v1.shape, files: v1.files, ..Scenario::default() })
        }
        2 => serde_json::from_value(value).map_err(shape_error),
        v if v > u64::from(VERSION) => Err(ScenarioError::TooNew(u32::try_from(v).unwrap_or(u32::MAX))),
        v => Err(ScenarioError::UnknownVersion(v.to_string())),
    }
}

/// At most 200 characters of `s` (messages quote untrusted text).
fn short(s: &str) -> String {
    match s.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}
