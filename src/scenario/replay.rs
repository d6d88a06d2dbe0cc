//! Performing steps and replaying a scenario: the one implementation of every action the page
//! takes on the cluster, so that the page and a replay (in the page, or natively) cannot drift.

use std::time::Duration;

use super::log::EventLog;
use super::step::Step;
use super::{Scenario, ScenarioError};
use crate::lessons::run::Taking;
use crate::lessons::{self, Lang};
use crate::shell::terminal::Terminal;
use crate::shell::Output;
use crate::sim::api::Object;
use crate::sim::time::SimTime;
use crate::sim::Sim;

/// The here-document delimiter the editor's text is applied with.
pub const EDITOR_DELIMITER: &str = "KUBE_SANDBOX_EDITOR_EOF";

/// The most simulated time a replay lets pass, in node-milliseconds (time × nodes: each node's
/// kubelet and heartbeats cost time to simulate): 28 node-days, a week of the default cluster,
/// a few seconds of replay. A step that would go past it is not performed (a hostile link must
/// not keep the page busy); [`super::Scenario::validate`] refuses explicit advances beyond it.
pub const REPLAY_BUDGET_NODE_MS: u64 = 28 * 86_400_000;

/// What a step costs a replay before it runs, in node-milliseconds, so that a link's whole
/// budget is checked before replaying starts ([`super::Scenario::validate`]): an advance its
/// time; "until settled" the most it may let pass; a lesson its reset, setup and the steps it
/// performs again (reckoned as ten minutes of the cluster); a reset five minutes; a line or
/// an apply a second of it (a line that lets more time pass, `sleep` or `kubectl wait`, is charged what
/// it took as the replay goes). Lesson moves, hints, closes and speeds cost nothing.
pub fn step_cost(step: &Step, nodes: u64) -> u64 {
    let ms = match step {
        Step::Advance { ms } => *ms,
        Step::Settle => SETTLE_MAX.as_millis() as u64,
        Step::Lesson { .. } => 600_000,
        // A reset rebuilds the whole cluster: as dear as five minutes of it.
        Step::Reset => 300_000,
        Step::Line(_) | Step::Apply(_) => 1_000,
        Step::Speed(_) | Step::LessonGoto(_) | Step::LessonHint | Step::LessonClose => 0,
    };
    ms.saturating_mul(nodes.max(1))
}

/// The cost of all of `steps` on a cluster of `nodes` ([`step_cost`]).
pub fn steps_cost(steps: &[Step], nodes: u64) -> u64 {
    steps.iter().map(|s| step_cost(s, nodes)).fold(0, u64::saturating_add)
}

/// The terminal line the editor's Apply runs: the text as a here-document, exactly as if typed.
pub fn apply_line(text: &str) -> String {
    format!("kubectl apply -f - <<'{EDITOR_DELIMITER}'\n{text}\n{EDITOR_DELIMITER}")
}

/// `en` or `ko`.
pub fn lang_code(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "en",
        Lang::Ko => "ko",
    }
}

/// The language of a code; anything unknown is English.
pub fn lang_of(code: &str) -> Lang {
    if code == "ko" {
        Lang::Ko
    } else {
        Lang::En
    }
}

/// The terminal the page starts with (a person types there).
pub fn page_terminal() -> Terminal {
    Terminal { interactive: true, ..Terminal::default() }
}

/// The most time "run until settled" lets pass.
const SETTLE_MAX: Duration = Duration::from_secs(300);

/// Whether a pod is still on its way: scheduled but not yet running, or going.
fn in_transit(pod: &Object, now: SimTime) -> bool {
    let scheduled = pod.field("spec.nodeName").and_then(|n| n.as_str()).is_some_and(|n| !n.is_empty());
    let (ready, status, _) = crate::shell::kubectl::pod_status::columns(pod, now);
    let all_ready = ready.split_once('/').is_some_and(|(a, b)| a == b);
    match status.as_str() {
        "Terminating" | "ContainerCreating" | "PodInitializing" => true,
        "Pending" => scheduled,
        "Running" => !all_ready,
        s => s.starts_with("Init:") && !s.contains("Error") && !s.contains("BackOff"),
    }
}

/// Lets time pass in one-second steps until no pod is on its way somewhere and every
/// Deployment, StatefulSet and DaemonSet has rolled out as `kubectl rollout status` decides
/// (at most five minutes). The page's "run until settled".
pub fn settle(sim: &mut Sim) {
    let start = sim.now();
    loop {
        // A second first, so controllers act on what was just created.
        sim.advance(Duration::from_secs(1));
        let now = sim.now();
        let busy = sim.store().list("Pod", None).any(|p| in_transit(p, now))
            || ["Deployment", "StatefulSet", "DaemonSet"]
                .iter()
                .any(|kind| sim.store().list(kind, None).any(|o| !crate::sim::api::conditions::rollout_complete(o)));
        if !busy || now.since(start) >= SETTLE_MAX {
            return;
        }
    }
}

/// Performs one step on the cluster, the terminal and the lesson being taken, as the page
/// does; returns what the terminal printed, if a line ran. Afterwards the lesson's current
/// step is checked, as the page checks it after every action.
pub fn perform(step: &Step, sim: &mut Sim, terminal: &mut Terminal, lesson: &mut Option<Taking>) -> Option<Output> {
    let out = match step {
        Step::Line(line) => {
            if let Some(t) = lesson {
                t.record(line);
            }
            (line.trim() != "clear").then(|| terminal.run_line(sim, line))
        }
        Step::Apply(text) => {
            let out = terminal.run_without_history(sim, &apply_line(text));
            if let Some(t) = lesson {
                t.record("kubectl apply -f -");
            }
            Some(out)
        }
        Step::Advance { ms } => {
            sim.advance(Duration::from_millis(*ms));
            None
        }
        Step::Settle => {
            settle(sim);
            None
        }
        Step::Reset => {
            sim.reset();
            terminal.session = None;
            None
        }
        Step::Speed(x) => {
            sim.speed = *x;
            None
        }
        Step::Lesson { id, lang, resume } => {
            let found = lessons::all(lang_of(lang)).unwrap_or_default().into_iter().find(|l| &l.id == id);
            match found {
                Some(found) => {
                    let resume = resume.clone().filter(|p| p.done.len() < found.steps.len());
                    let (taking, failed) = Taking::start(found, resume, sim, terminal);
                    *lesson = Some(taking);
                    failed
                }
                None => Some(Output {
                    stderr: format!("no lesson \"{id}\" in this version of the sandbox\n"),
                    status: 1,
                    ..Output::default()
                }),
            }
        }
        Step::LessonGoto(i) => {
            let now = sim.now();
            if let Some(t) = lesson {
                t.goto(*i, now);
            }
            None
        }
        Step::LessonHint => {
            if let Some(t) = lesson {
                t.hint();
            }
            None
        }
        Step::LessonClose => {
            *lesson = None;
            None
        }
    };
    if let Some(t) = lesson {
        t.poll(sim, terminal);
    }
    out
}

/// A scenario rebuilt: its cluster, terminal and lesson after every step, the events the
/// steps produced, and anything that did not go as recorded.
#[derive(Debug)]
pub struct Replayed {
    pub sim: Sim,
    pub terminal: Terminal,
    pub lesson: Option<Taking>,
    /// Every Event the cluster recorded during the replay, in order.
    pub log: EventLog,
    /// What the terminal printed, step by step (index into the scenario's steps, output).
    pub outputs: Vec<(usize, Output)>,
    /// Steps not performed and differences from what the scenario recorded (its clock and
    /// digest), as sentences the page can show. Empty when the replay is faithful.
    pub problems: Vec<String>,
}

/// Rebuilds a scenario: its fresh cluster, then every step in order. Fails only if the
/// cluster's shape cannot be built (the scenario has been validated, so that is rare).
pub fn replay(scenario: &Scenario) -> Result<Replayed, ScenarioError> {
    replay_with(scenario, |_, _, _| {})
}

/// [`replay`], calling `each(index, step, sim)` after every step performed (the native
/// runner streams the event log this way).
pub fn replay_with(scenario: &Scenario, mut each: impl FnMut(usize, &Step, &Sim)) -> Result<Replayed, ScenarioError> {
    let mut sim =
        Sim::try_new(scenario.config()).map_err(|e| ScenarioError::Invalid(format!("shape: {}", e.message)))?;
    let mut terminal = page_terminal();
    let mut lesson = None;
    let mut log = EventLog::default();
    let mut outputs = Vec::new();
    let mut problems = Vec::new();
    log.collect(&sim);
    let mut spent: u64 = 0;
    let nodes = |sim: &Sim| sim.store().count("Node").max(1) as u64;
    for (i, step) in scenario.steps.iter().enumerate() {
        let ahead = step_cost(step, nodes(&sim));
        if spent.saturating_add(ahead) > REPLAY_BUDGET_NODE_MS {
            problems.push(format!("step {}: the replay stopped here: it would take too long", i + 1));
            break;
        }
        let before = sim.now();
        let out = perform(step, &mut sim, &mut terminal, &mut lesson);
        // What it cost: its time on the cluster, and never less than reckoned beforehand.
        let took = (sim.now().since(before).as_millis() as u64).saturating_mul(nodes(&sim));
        spent = spent.saturating_add(took.max(ahead));
        if let Some(out) = out {
            if let Step::Lesson { id, .. } = step {
                if out.status != 0 {
                    problems.push(format!("step {}: lesson \"{id}\": {}", i + 1, out.shown()));
                }
            }
            outputs.push((i, out));
        }
        if *step == Step::Reset {
            // The reset button starts the log over, as it starts the cluster over.
            log = EventLog::default();
        }
        log.collect(&sim);
        each(i, step, &sim);
    }
    sim.speed = scenario.clock.speed;
    if let (Some(t), Some(p)) = (&mut lesson, &scenario.lesson) {
        if t.lesson.id == p.lesson {
            t.progress = p.clone();
        }
    }
    if let Some(check) = &scenario.check {
        let (now, d) = (sim.now().as_millis(), digest(&sim));
        if now != check.now_ms || d != check.digest {
            problems.push(
                "the replay differs from the recording (this version of the sandbox behaves differently)".to_string(),
            );
        }
    }
    Ok(Replayed { sim, terminal, lesson, log, outputs, problems })
}

/// A digest of the cluster's whole state and history: the clock, every stored object and the
/// watch log. Equal digests mean the same cluster with the same history, byte for byte.
pub fn digest(sim: &Sim) -> u64 {
    // FNV-1a, as the store's own log digest: identical on every platform.
    let mut h = crate::sim::fnv::Fnv::default();
    h.eat(&sim.now().as_millis().to_le_bytes());
    h.eat(&sim.store().state_digest().to_le_bytes());
    h.0
}
