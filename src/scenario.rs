//! A scenario: one serializable, versioned value holding a whole situation — the cluster's
//! shape, the seed and the editor's files. Lessons start from one; links and autosave carry one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::sim::cluster::ClusterShape;
use crate::sim::{Sim, SimConfig};

/// The format version this build writes.
pub const VERSION: u32 = 1;

/// A whole situation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub version: u32,
    pub seed: u64,
    pub shape: ClusterShape,
    /// The editor's files: path → text.
    pub files: BTreeMap<String, String>,
}

/// Why a scenario could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    #[error("scenario is not valid: {0}")]
    Malformed(String),
    #[error("scenario version {0} is newer than this sandbox understands (up to {VERSION})")]
    TooNew(u32),
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario { version: VERSION, seed: 1, shape: ClusterShape::default(), files: BTreeMap::new() }
    }
}

impl Scenario {
    /// Reads a scenario from JSON, refusing versions newer than this build.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        let s: Scenario = serde_json::from_str(text).map_err(|e| ScenarioError::Malformed(e.to_string()))?;
        if s.version > VERSION {
            return Err(ScenarioError::TooNew(s.version));
        }
        Ok(s)
    }

    /// The JSON form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a scenario always serializes")
    }

    /// A fresh cluster of this scenario's shape and seed.
    pub fn build(&self) -> Sim {
        Sim::new(SimConfig { seed: self.seed, shape: self.shape.clone(), ..SimConfig::default() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_json() {
        let mut s = Scenario::default();
        s.files.insert("web.yaml".into(), "kind: Pod\n".into());
        assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
    }

    #[test]
    fn refuses_newer_versions_and_garbage() {
        let s = Scenario { version: VERSION + 1, ..Scenario::default() };
        assert_eq!(Scenario::from_json(&s.to_json()).unwrap_err(), ScenarioError::TooNew(VERSION + 1));
        assert!(matches!(Scenario::from_json("<script>"), Err(ScenarioError::Malformed(_))));
    }

    #[test]
    fn build_uses_the_shape() {
        let s = Scenario { shape: ClusterShape::with_workers(5), ..Scenario::default() };
        assert_eq!(s.build().store().list("Node", None).count(), 6);
    }
}
