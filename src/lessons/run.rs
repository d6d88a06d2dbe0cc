//! Taking a lesson: its starting cluster, where the learner is, and whether a step is done.
//! The page and the tests drive lessons through this one module.

use super::check::Context;
use super::format::{Lesson, Step};
use crate::shell::terminal::Terminal;
use crate::shell::Output;
use crate::sim::cluster::ClusterShape;
use crate::sim::time::SimTime;
use crate::sim::{Sim, SimConfig};

/// A learner's place in one lesson; saved, so it survives a reload.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Progress {
    pub lesson: String,
    /// The step being worked on (`steps.len()` once all are done).
    pub step: usize,
    /// Steps done, by index.
    pub done: Vec<usize>,
    /// Hints revealed for the current step.
    pub hints: usize,
}

/// What a step's checks are measured against since it began.
#[derive(Debug, Clone, Default)]
pub struct StepLog {
    pub since: SimTime,
    /// Lines the learner ran in the terminal since the step began.
    pub ran: Vec<String>,
}

/// Resets the cluster to the lesson's starting point and runs its setup quietly.
pub fn start(lesson: &Lesson, sim: &mut Sim, terminal: &mut Terminal) -> Result<(), Output> {
    let config =
        SimConfig { seed: sim.seed(), shape: ClusterShape::with_workers(lesson.nodes), ..SimConfig::default() };
    *sim = Sim::new(config);
    sim.speed = lesson.speed;
    terminal.session = None;
    terminal.docker = Default::default();
    if lesson.setup.trim().is_empty() {
        return Ok(());
    }
    let out = terminal.run_line(sim, &lesson.setup);
    if out.status == 0 {
        Ok(())
    } else {
        Err(out)
    }
}

/// Whether every check of `step` holds.
pub fn step_done(step: &Step, sim: &Sim, terminal: &Terminal, log: &StepLog) -> bool {
    let running = terminal.docker.running_images();
    let cx = Context { sim, since: log.since, ran: &log.ran, docker_running: &running };
    step.checks.iter().all(|c| c.holds(&cx))
}

/// Performs a step as the learner could: its show-me lines, run in the terminal.
pub fn show_me(step: &Step, sim: &mut Sim, terminal: &mut Terminal) -> Output {
    terminal.run_line(sim, &step.show_me)
}
