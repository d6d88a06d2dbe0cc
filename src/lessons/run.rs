//! Taking a lesson: its starting cluster, where the learner is, and whether a step is done.
//! The page and the tests drive lessons through this one module.

use super::check::Context;
use super::format::Lesson;
use super::format::Step;
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
#[derive(Debug, Clone, Default, PartialEq)]
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

/// A lesson being taken: the lesson, the learner's progress, and the current step's log.
#[derive(Debug, Clone, PartialEq)]
pub struct Taking {
    pub lesson: Lesson,
    pub progress: Progress,
    pub log: StepLog,
}

impl Taking {
    /// Starts `lesson` on a fresh cluster. With saved progress, the steps already done are
    /// performed again quietly (their show-me), so the cluster is where the learner left it.
    pub fn start(
        lesson: Lesson,
        saved: Option<Progress>,
        sim: &mut Sim,
        terminal: &mut Terminal,
    ) -> (Taking, Option<Output>) {
        let mut failed = start(&lesson, sim, terminal).err();
        let mut progress = saved.filter(|p| p.lesson == lesson.id).unwrap_or_default();
        progress.lesson = lesson.id.clone();
        progress.done.retain(|&i| i < lesson.steps.len());
        progress.done.sort_unstable();
        progress.done.dedup();
        // Resume at the first step not done; redo the ones before it.
        let resume = (0..lesson.steps.len()).find(|i| !progress.done.contains(i)).unwrap_or(lesson.steps.len());
        for step in &lesson.steps[..resume] {
            let out = show_me(step, sim, terminal);
            if out.status != 0 && failed.is_none() {
                failed = Some(out);
            }
        }
        progress.step = resume;
        progress.hints = 0;
        let log = StepLog { since: sim.now(), ran: Vec::new() };
        (Taking { lesson, progress, log }, failed)
    }

    /// The step being worked on, if any is left.
    pub fn current(&self) -> Option<&Step> {
        self.lesson.steps.get(self.progress.step)
    }

    /// Notes a line the learner ran.
    pub fn record(&mut self, line: &str) {
        self.log.ran.push(line.to_string());
    }

    /// Checks the current step; returns whether it became done just now.
    pub fn poll(&mut self, sim: &Sim, terminal: &Terminal) -> bool {
        let i = self.progress.step;
        let Some(step) = self.current() else { return false };
        if self.progress.done.contains(&i) || !step_done(step, sim, terminal, &self.log) {
            return false;
        }
        self.progress.done.push(i);
        true
    }

    /// Moves to step `i` (clamped; `steps.len()` is "finished").
    pub fn goto(&mut self, i: usize, now: SimTime) {
        self.progress.step = i.min(self.lesson.steps.len());
        self.progress.hints = 0;
        self.log = StepLog { since: now, ran: Vec::new() };
    }

    /// Reveals one more hint of the current step.
    pub fn hint(&mut self) {
        let available = self.current().map_or(0, |s| s.hints.len());
        self.progress.hints = (self.progress.hints + 1).min(available);
    }

    /// Whether every step is done.
    pub fn finished(&self) -> bool {
        (0..self.lesson.steps.len()).all(|i| self.progress.done.contains(&i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson() -> Lesson {
        let text = "---\nid: t\ntitle: T\norder: 1\nnodes: 2\n---\n## One\n```check\nexists configmap/a\n```\n```show-me\nkubectl create configmap a\n```\n## Two\n```check\nexists configmap/b\n```\n```hint\nfirst\n```\n```hint\nsecond\n```\n```show-me\nkubectl create configmap b\n```\n";
        super::super::parse("t.md", text).unwrap()
    }

    #[test]
    fn a_step_is_done_when_its_checks_hold_and_progress_resumes_by_redoing_done_steps() {
        let mut sim = Sim::new(SimConfig::default());
        let mut term = Terminal::default();
        let (mut t, err) = Taking::start(lesson(), None, &mut sim, &mut term);
        assert!(err.is_none());
        assert_eq!(sim.store().list("Node", None).count(), 3, "a control plane and the lesson's 2 workers");
        assert!(!t.poll(&sim, &term));
        term.run_line(&mut sim, "kubectl create configmap a");
        assert!(t.poll(&sim, &term), "done once the configmap exists");
        assert!(!t.poll(&sim, &term), "reported once");
        t.goto(1, sim.now());
        t.hint();
        t.hint();
        t.hint();
        assert_eq!(t.progress.hints, 2);
        let saved = t.progress.clone();
        // A reload: a fresh cluster, the saved progress.
        let mut sim = Sim::new(SimConfig::default());
        let mut term = Terminal::default();
        let (t, err) = Taking::start(lesson(), Some(saved), &mut sim, &mut term);
        assert!(err.is_none());
        assert_eq!(t.progress.step, 1);
        assert!(sim.store().get("ConfigMap", Some("default"), "a").is_some(), "step one redone");
        assert!(!t.finished());
    }
}
