//! A scenario: one serializable, versioned value holding a whole situation — the cluster's
//! shape and seed, the editor's files, the steps taken, where the lesson and the clock stand,
//! the terminal's history and the page's settings. Share links, autosave, exported files and
//! the native runner all carry one; replaying its steps on its fresh cluster rebuilds the same
//! cluster with the same event log.
//!
//! - [`step`]: the steps and the recorder that coalesces them;
//! - [`replay`]: performing a step (the page's actions, natively) and replaying a scenario;
//! - [`codec`]: the link text (`v2.` + base64url of DEFLATEd JSON) and JSON, size caps, errors;
//! - [`migrate`]: older versions read into the current one;
//! - [`export`]: the cluster's objects as reusable YAML, and "manifests only" scenarios;
//! - [`saved`]: the autosave envelope;
//! - [`log`]: the event log, one line per Event.

pub mod codec;
pub mod export;
pub mod log;
pub mod migrate;
pub mod replay;
pub mod saved;
pub mod step;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use codec::{decode, encode_link};
pub use replay::{perform, replay, Replayed};
pub use saved::{restore, save, Saved, SavedError};
pub use step::{Recorder, Step};

use crate::lessons::run::Progress;
use crate::sim::cluster::ClusterShape;
use crate::sim::{Limits, Sim, SimConfig};

/// The format version this build writes (and the newest it reads).
pub const VERSION: u32 = 2;

/// A whole situation. Every field but `version`, `seed` and `shape` may be left out of its JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub version: u32,
    pub seed: u64,
    /// The nodes the cluster starts with (names, sizes, labels, taints).
    pub shape: ClusterShape,
    /// Lower limits than the sandbox's own (a scenario can never raise them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<Limits>,
    /// The editor's files: name → text.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub files: BTreeMap<String, String>,
    /// The file open in the editor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_file: Option<String>,
    /// What the learner did, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    /// The lesson being taken and where the learner stands in it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<Progress>,
    /// Saved progress of every lesson, by id (autosave; links leave it out).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub progress: BTreeMap<String, Progress>,
    #[serde(default)]
    pub clock: Clock,
    /// Lines the learner typed, oldest first (the terminal's ↑).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<String>,
    #[serde(default)]
    pub settings: Settings,
    /// Where the recording ended: replaying the steps must arrive at the same clock and digest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<Check>,
}

/// The page's clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clock {
    /// Simulated seconds per real second.
    pub speed: f64,
    /// Whether the clock was running.
    #[serde(default)]
    pub running: bool,
}

impl Default for Clock {
    fn default() -> Self {
        Clock { speed: 1.0, running: false }
    }
}

/// The page's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// `en` or `ko`.
    pub lang: String,
    /// The colour theme's name (the page's to interpret; empty is its default).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub theme: String,
    /// Anything else the page keeps (collapsed panels, …): name → value.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub other: BTreeMap<String, String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { lang: "en".into(), theme: String::new(), other: BTreeMap::new() }
    }
}

/// The end of a recording, to check a replay against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// The simulated clock, in milliseconds since the cluster started.
    pub now_ms: u64,
    /// [`replay::digest`] of the cluster.
    pub digest: u64,
}

/// Why a scenario (a link, a file, a saved state) could not be read. The messages are meant
/// for the learner.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    #[error("this was made by a newer version of kube-sandbox (format {0}; this page reads up to {VERSION}); the page opened the default cluster instead")]
    TooNew(u32),
    #[error("this is in an unknown format version ({0}); the page opened the default cluster instead")]
    UnknownVersion(String),
    #[error(
        "this link is incomplete (it may have been cut off when copied); the page opened the default cluster instead"
    )]
    Truncated,
    #[error("this is not a kube-sandbox scenario ({0}); the page opened the default cluster instead")]
    Garbage(String),
    #[error("this scenario is too large (over {0} bytes); the page opened the default cluster instead")]
    TooLarge(usize),
    #[error("this scenario is not valid: {0}; the page opened the default cluster instead")]
    Invalid(String),
}

/// How much a link may carry: steps, and simulated time passed by explicit advances.
pub const MAX_STEPS: usize = 20_000;
pub const MAX_FILES: usize = 500;
pub const MAX_HISTORY: usize = 10_000;
/// How many history lines [`Scenario::push_history`] keeps.
pub const HISTORY_KEPT: usize = 1_000;

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            version: VERSION,
            seed: 1,
            shape: ClusterShape::default(),
            limits: None,
            files: BTreeMap::new(),
            open_file: None,
            steps: Vec::new(),
            lesson: None,
            progress: BTreeMap::new(),
            clock: Clock::default(),
            history: Vec::new(),
            settings: Settings::default(),
            check: None,
        }
    }
}

/// What a share link carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareMode {
    /// The steps taken: the link rebuilds the same cluster with the same history.
    WithHistory,
    /// The current objects as one YAML file in the editor, on a fresh cluster.
    ManifestsOnly,
}

impl Scenario {
    /// A fresh scenario on a cluster of `shape` with `seed`.
    pub fn new(seed: u64, shape: ClusterShape) -> Scenario {
        Scenario { seed, shape, ..Scenario::default() }
    }

    /// Notes a step the page has just performed (coalescing advances, as [`Recorder`] does).
    pub fn record(&mut self, step: Step) {
        step::push(&mut self.steps, step);
    }

    /// Notes a line typed into the terminal for its history (↑), keeping the last
    /// [`HISTORY_KEPT`].
    pub fn push_history(&mut self, line: &str) {
        if line.trim().is_empty() || self.history.last().is_some_and(|l| l == line) {
            return;
        }
        self.history.push(line.to_string());
        let excess = self.history.len().saturating_sub(HISTORY_KEPT);
        self.history.drain(..excess);
    }

    /// Whether this scenario's history can still be saved and shared: it is within [`MAX_STEPS`]
    /// and the replay budget ([`replay::REPLAY_BUDGET_NODE_MS`]). Past that, the page should
    /// save and share "manifests only" ([`ShareMode::ManifestsOnly`]) and say so.
    pub fn fits(&self) -> bool {
        self.validate().is_ok()
    }

    /// How to build this scenario's fresh cluster; its limits never exceed the sandbox's.
    pub fn config(&self) -> SimConfig {
        let d = Limits::default();
        let limits = self.limits.map_or(d, |l| Limits {
            max_objects: l.max_objects.min(d.max_objects),
            max_pods: l.max_pods.min(d.max_pods),
            max_nodes: l.max_nodes.min(d.max_nodes),
            max_containers_per_pod: l.max_containers_per_pod.min(d.max_containers_per_pod),
            max_log_bytes: l.max_log_bytes.min(d.max_log_bytes),
        });
        SimConfig { seed: self.seed, shape: self.shape.clone(), limits }
    }

    /// The fresh cluster, before any step (use [`replay`] for the cluster after them).
    pub fn build(&self) -> Result<Sim, ScenarioError> {
        Sim::try_new(self.config()).map_err(|e| ScenarioError::Invalid(format!("shape: {}", e.message)))
    }

    /// This scenario with its clock and digest taken from `sim` (the cluster its steps made),
    /// so that a replay can tell whether it arrived at the same place.
    pub fn sealed(&self, sim: &Sim) -> Scenario {
        let check = Check { now_ms: sim.now().as_millis(), digest: replay::digest(sim) };
        Scenario { check: Some(check), ..self.clone() }
    }

    /// What a share link carries: with history, the steps and the lesson (sealed against
    /// `sim`); manifests only, the cluster's objects as `cluster.yaml` beside the editor's
    /// files, on a fresh cluster. Neither carries the terminal's history or other lessons'
    /// progress.
    pub fn for_link(&self, sim: &Sim, mode: ShareMode) -> Scenario {
        let mut s = match mode {
            ShareMode::WithHistory => self.sealed(sim),
            ShareMode::ManifestsOnly => export::manifests_only(self, sim),
        };
        s.history.clear();
        s.progress.clear();
        s.clock.running = false;
        s
    }

    /// Refuses what no page could have made, or what would keep a page busy too long.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        let bad = |m: String| Err(ScenarioError::Invalid(m));
        if self.version != VERSION {
            return bad(format!("version {} where {VERSION} was expected", self.version));
        }
        if let Some(low) = self.limits.as_ref().and_then(Limits::below_least) {
            return bad(low);
        }
        let max_nodes = Limits::default().max_nodes;
        if self.shape.nodes.len() > max_nodes {
            return bad(format!("{} nodes (at most {max_nodes})", self.shape.nodes.len()));
        }
        if self.steps.len() > MAX_STEPS {
            return bad(format!("{} steps (at most {MAX_STEPS})", self.steps.len()));
        }
        // Every kind of step counts, before any is replayed (a line that waits is charged
        // as the replay goes, too).
        let nodes = self.shape.nodes.len().max(1) as u64;
        let advanced = replay::steps_cost(&self.steps, nodes);
        if advanced > replay::REPLAY_BUDGET_NODE_MS {
            let settles = self.steps.iter().filter(|s| matches!(s, Step::Settle)).count();
            let lessons = self.steps.iter().filter(|s| matches!(s, Step::Lesson { .. })).count();
            return bad(format!(
                "its steps let too much time pass to replay ({} steps, {lessons} of them lessons opened and {settles} runs until settled: too long for one replay)",
                self.steps.len()
            ));
        }
        let speeds = self.steps.iter().filter_map(|s| if let Step::Speed(x) = s { Some(*x) } else { None });
        if let Some(x) = speeds.chain([self.clock.speed]).find(|x| !(x.is_finite() && (0.0..=1e6).contains(x))) {
            return bad(format!("clock speed {x}"));
        }
        if self.files.len() > MAX_FILES {
            return bad(format!("{} files (at most {MAX_FILES})", self.files.len()));
        }
        if self.history.len() > MAX_HISTORY {
            return bad(format!("{} history lines (at most {MAX_HISTORY})", self.history.len()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
