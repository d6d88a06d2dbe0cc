//! The page's state: the simulated cluster, the terminal beside it, what is selected, and
//! whether the clock runs.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use yew::Reducible;

use std::collections::BTreeMap;

use super::lesson_state::LessonsState;
use crate::lessons::run::{Progress, Taking};
use crate::lessons::Lang;
use crate::shell::terminal::Terminal;
use crate::sim::store::ObjectKey;
use crate::sim::{Sim, SimConfig};

/// One entry of the terminal's scrollback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A command as typed, after the prompt it was typed at (`$ `, or a container's).
    Command(String, String),
    Stdout(String),
    Stderr(String),
}

/// The most scrollback kept.
const MAX_SCROLLBACK: usize = 2_000;

/// What the page holds. The sim and terminal are shared and mutated in place; `revision`
/// changes on every change so that Yew re-renders.
#[derive(Debug, Clone)]
pub struct AppState {
    pub sim: Rc<RefCell<Sim>>,
    pub terminal: Rc<RefCell<Terminal>>,
    pub scrollback: Rc<RefCell<Vec<Line>>>,
    pub running: bool,
    pub selected: Option<ObjectKey>,
    /// What the editor's last Apply printed.
    pub apply_result: Option<(String, bool)>,
    pub lessons: LessonsState,
    /// Text a lesson asked the editor to load, with a counter so the same text loads again.
    pub editor_load: Option<(u64, String)>,
    /// A command a lesson put into the terminal's prompt (not run), with a counter.
    pub terminal_prefill: Option<(u64, String)>,
    pub revision: u64,
}

/// What the learner does with lessons.
#[derive(Debug, Clone, PartialEq)]
pub enum LessonAction {
    SetLang(Lang),
    /// Shows or hides the lesson panel.
    Toggle,
    Open(String),
    Close,
    Goto(usize),
    Hint,
    ShowMe,
    /// What the browser remembered: language, progress, and the lesson open at the last visit.
    Restore {
        lang: Lang,
        saved: BTreeMap<String, Progress>,
        current: Option<String>,
    },
}

/// Everything the page can do to its state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Run,
    Pause,
    /// Wall-clock milliseconds passed while running (times the clock's speed).
    Tick(u64),
    /// Lets simulated seconds pass at once.
    Step(u64),
    /// Lets time pass until no pod is on its way somewhere (at most five minutes).
    Settle,
    SetSpeed(f64),
    /// A line typed into the terminal.
    RunLine(String),
    ClearTerminal,
    /// The editor's text applied (`kubectl apply -f -`).
    Apply(String),
    Select(Option<ObjectKey>),
    Reset,
    Lesson(LessonAction),
    /// A lesson's YAML into the editor.
    LoadYaml(String),
    /// A lesson's command into the terminal's prompt.
    PutCommand(String),
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            sim: Rc::new(RefCell::new(Sim::new(SimConfig::default()))),
            terminal: Rc::new(RefCell::new(Terminal { interactive: true, ..Terminal::default() })),
            scrollback: Rc::new(RefCell::new(vec![Line::Stdout(welcome(Lang::En))])),
            running: false,
            selected: None,
            apply_result: None,
            lessons: LessonsState::default(),
            editor_load: None,
            terminal_prefill: None,
            revision: 0,
        }
    }
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.sim, &other.sim)
            && self.running == other.running
            && self.revision == other.revision
            && self.selected == other.selected
    }
}

impl AppState {
    fn push(&self, line: Line) {
        let mut s = self.scrollback.borrow_mut();
        s.push(line);
        let excess = s.len().saturating_sub(MAX_SCROLLBACK);
        s.drain(..excess);
    }

    /// Runs a line in the terminal and records it with its output.
    fn run_line(&self, line: &str) {
        let prompt = self.terminal.borrow().prompt();
        self.push(Line::Command(prompt, line.to_string()));
        let out = self.terminal.borrow_mut().run_line(&mut self.sim.borrow_mut(), line);
        if !out.stdout.is_empty() {
            self.push(Line::Stdout(out.stdout));
        }
        if !out.stderr.is_empty() {
            self.push(Line::Stderr(out.stderr));
        }
    }
}

/// The most time "run until settled" lets pass.
const SETTLE_MAX: Duration = Duration::from_secs(300);

/// Whether a pod is still on its way: scheduled but not yet running, or going.
fn in_transit(pod: &crate::sim::api::Object, now: crate::sim::time::SimTime) -> bool {
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

/// Lets time pass in one-second steps until nothing is in transit (or five minutes).
pub fn settle(sim: &mut Sim) {
    let start = sim.now();
    loop {
        // A second first, so controllers act on what was just created.
        sim.advance(Duration::from_secs(1));
        let now = sim.now();
        let busy = sim.store().list("Pod", None).any(|p| in_transit(p, now))
            || sim.store().list("Deployment", None).any(|d| {
                let want = d.field("spec.replicas").and_then(|r| r.as_i64()).unwrap_or(1);
                let have = |f: &str| d.field(f).and_then(|r| r.as_i64()).unwrap_or(0);
                have("status.updatedReplicas") != want || have("status.replicas") != want
            });
        if !busy || now.since(start) >= SETTLE_MAX {
            return;
        }
    }
}

/// The terminal's first words.
fn welcome(lang: Lang) -> String {
    let intro =
        super::i18n::t(lang, "Welcome to kube-sandbox: a simulated cluster with a control plane and three nodes.");
    format!("{intro}\nTry: kubectl get nodes   ·   kubectl create deployment web --image=nginx --replicas=3   ·   kubectl get pods -w\n")
}

impl AppState {
    /// Switches the language; the welcome is reworded if nothing else was printed yet.
    fn set_lang(&mut self, lang: Lang) {
        self.lessons.set_lang(lang);
        let mut s = self.scrollback.borrow_mut();
        if s.len() == 1 && [Lang::En, Lang::Ko].iter().any(|&l| s[0] == Line::Stdout(welcome(l))) {
            s[0] = Line::Stdout(welcome(lang));
        }
    }

    fn lesson(&mut self, action: LessonAction) {
        match action {
            LessonAction::SetLang(lang) => self.set_lang(lang),
            LessonAction::Toggle => self.lessons.open = !self.lessons.open,
            LessonAction::Open(id) => {
                let opened = {
                    let (mut sim, mut terminal) = (self.sim.borrow_mut(), self.terminal.borrow_mut());
                    self.lessons.open_lesson(&id, &mut sim, &mut terminal)
                };
                if opened {
                    self.selected = None;
                    self.apply_result = None;
                    let title = self.lessons.taking.as_ref().map(|t| t.lesson.title.clone()).unwrap_or_default();
                    self.push(Line::Stdout(format!("— {title} —\n")));
                }
            }
            LessonAction::Close => self.lessons.close(),
            LessonAction::Goto(i) => {
                let now = self.sim.borrow().now();
                self.lessons.update(|t| t.goto(i, now));
            }
            LessonAction::Hint => self.lessons.update(Taking::hint),
            LessonAction::ShowMe => {
                let script =
                    self.lessons.taking.as_ref().and_then(|t| t.current()).map(|s| s.show_me.trim_end().to_string());
                if let Some(script) = script {
                    self.lessons.update(|t| t.record(&script));
                    self.run_line(&script);
                }
            }
            LessonAction::Restore { lang, saved, current } => {
                self.set_lang(lang);
                self.lessons.saved = Rc::new(saved);
                if let Some(id) = current {
                    self.lesson(LessonAction::Open(id));
                }
            }
        }
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Run => next.running = true,
            Action::Pause => next.running = false,
            Action::Tick(ms) if self.running => {
                let mut sim = next.sim.borrow_mut();
                let scaled = (ms as f64 * sim.speed) as u64;
                sim.advance(Duration::from_millis(scaled));
            }
            Action::Tick(_) => return self,
            Action::Step(secs) => next.sim.borrow_mut().advance(Duration::from_secs(secs)),
            Action::Settle => settle(&mut next.sim.borrow_mut()),
            Action::SetSpeed(x) => next.sim.borrow_mut().speed = x,
            Action::RunLine(line) => {
                next.lessons.update(|t| t.record(&line));
                if line.trim() == "clear" {
                    next.scrollback.borrow_mut().clear();
                } else {
                    next.run_line(&line);
                }
            }
            Action::ClearTerminal => next.scrollback.borrow_mut().clear(),
            Action::Apply(text) => {
                let mut terminal = next.terminal.borrow_mut();
                let mut sim = next.sim.borrow_mut();
                let before = super::live_diff::snapshot(&sim, &text);
                // The editor's text goes in as a here-document, exactly as if typed.
                let delimiter = "KUBE_SANDBOX_EDITOR_EOF";
                let line = format!("kubectl apply -f - <<'{delimiter}'\n{text}\n{delimiter}");
                let out = terminal.run_line(&mut sim, &line);
                let after = super::live_diff::snapshot(&sim, &text);
                let changed: String =
                    super::live_diff::changes(&before, &after).iter().map(|c| format!("  {c}\n")).collect();
                next.apply_result = Some((format!("{}{}{changed}", out.stdout, out.stderr), out.status == 0));
                drop((terminal, sim));
                next.lessons.update(|t| t.record("kubectl apply -f -"));
            }
            Action::Lesson(a) => next.lesson(a),
            Action::LoadYaml(text) => {
                let n = next.editor_load.as_ref().map_or(0, |(n, _)| n + 1);
                next.editor_load = Some((n, text));
            }
            Action::PutCommand(line) => {
                let n = next.terminal_prefill.as_ref().map_or(0, |(n, _)| n + 1);
                next.terminal_prefill = Some((n, line));
            }
            Action::Select(key) => next.selected = key,
            Action::Reset => {
                next.sim.borrow_mut().reset();
                next.terminal.borrow_mut().session = None;
                next.selected = None;
                next.apply_result = None;
                next.push(Line::Stdout("sandbox reset: a fresh cluster\n".into()));
            }
        }
        if next.lessons.taking.is_some() {
            let (sim, terminal) = (next.sim.borrow(), next.terminal.borrow());
            let mut lessons = next.lessons.clone();
            lessons.poll(&sim, &terminal);
            drop((sim, terminal));
            next.lessons = lessons;
        }
        next.revision += 1;
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_lines_and_applied_text_reach_the_cluster() {
        let state = Rc::new(AppState::default());
        let state = state.reduce(Action::RunLine("kubectl create namespace lab".into()));
        assert!(state.sim.borrow().store().get("Namespace", None, "lab").is_some());
        assert!(state.scrollback.borrow().contains(&Line::Stdout("namespace/lab created\n".into())));
        let state = state.reduce(Action::Apply("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n".into()));
        assert_eq!(state.apply_result, Some(("configmap/c created\n".into(), true)));
        let state = state.reduce(Action::SetSpeed(30.0)).reduce(Action::Run).reduce(Action::Tick(1000));
        assert_eq!(state.sim.borrow().now().since(crate::sim::time::SimTime::ZERO), Duration::from_secs(30));
        let state = state
            .reduce(Action::Pause)
            .reduce(Action::RunLine("kubectl create deployment web --image=nginx --replicas=2".into()));
        let before = state.sim.borrow().now();
        let state = state.reduce(Action::Settle);
        let waited = state.sim.borrow().now().since(before);
        assert!(waited > Duration::ZERO && waited < Duration::from_secs(30), "{waited:?}");
        let state = state.reduce(Action::Reset);
        assert!(state.sim.borrow().store().get("Namespace", None, "lab").is_none());
    }
}
