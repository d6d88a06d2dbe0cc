//! Autosave: the page's whole state, kept in the browser as it changes and read back on reload.
//!
//! The saved text is JSON: `{"version": 2, "saved_at_ms": …, "scenario": "v2.…"}`, the scenario
//! as link text (compressed: browser storage is small). Reading also accepts the scenario as a
//! JSON object, and a bare scenario (JSON or link text) with no envelope. Whatever cannot be
//! read is an error that keeps the raw text, for the page to report and set aside.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::codec::{self, MAX_JSON_BYTES};
use super::{migrate, Scenario, ScenarioError, VERSION};
use crate::sim::Sim;

/// A saved state, read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub version: u32,
    /// The simulated clock when it was saved, in milliseconds.
    pub saved_at_ms: u64,
    pub scenario: Scenario,
}

/// A saved state that could not be read: why, and the text as it was (to set aside).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the saved sandbox could not be restored: {error}")]
pub struct SavedError {
    pub error: ScenarioError,
    pub raw: String,
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    version: u32,
    saved_at_ms: u64,
    scenario: Value,
}

/// The text to keep for `scenario`, whose steps made `sim`. The scenario is sealed (its clock
/// and digest recorded) so that restoring can tell a faithful replay.
pub fn save(scenario: &Scenario, sim: &Sim) -> String {
    let envelope = Envelope {
        version: VERSION,
        saved_at_ms: sim.now().as_millis(),
        scenario: Value::String(scenario.sealed(sim).to_link()),
    };
    serde_json::to_string(&envelope).expect("an envelope always serializes")
}

/// Reads a saved state; never panics, whatever the text.
pub fn restore(text: &str) -> Result<Saved, SavedError> {
    read(text).map_err(|error| SavedError { error, raw: text.to_string() })
}

fn read(text: &str) -> Result<Saved, ScenarioError> {
    if text.len() > MAX_JSON_BYTES {
        return Err(ScenarioError::TooLarge(MAX_JSON_BYTES));
    }
    let trimmed = text.trim();
    if !trimmed.starts_with('{') {
        // A bare link text.
        let scenario = codec::decode(trimmed)?;
        return Ok(Saved { version: scenario.version, saved_at_ms: 0, scenario });
    }
    let value: Value = serde_json::from_str(trimmed).map_err(|e| {
        if e.is_eof() {
            ScenarioError::Truncated
        } else {
            ScenarioError::Garbage(format!("not valid JSON: {e}"))
        }
    })?;
    if value.get("scenario").is_none() {
        // A bare scenario (JSON), of any version.
        let scenario = migrate::upgrade(value)?;
        scenario.validate()?;
        return Ok(Saved { version: scenario.version, saved_at_ms: 0, scenario });
    }
    let envelope: Envelope = serde_json::from_value(value)
        .map_err(|e| ScenarioError::Garbage(format!("not a kube-sandbox saved state: {e}")))?;
    if envelope.version > VERSION {
        return Err(ScenarioError::TooNew(envelope.version));
    }
    if envelope.version != VERSION {
        return Err(ScenarioError::UnknownVersion(format!("saved state {}", envelope.version)));
    }
    let scenario = match envelope.scenario {
        Value::String(link) => codec::decode(&link)?,
        other => {
            let s = migrate::upgrade(other)?;
            s.validate()?;
            s
        }
    };
    Ok(Saved { version: envelope.version, saved_at_ms: envelope.saved_at_ms, scenario })
}
