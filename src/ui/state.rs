//! The page's state: the simulated cluster, the terminal beside it, what is selected, whether
//! the clock runs, and the scenario being recorded. Every action that changes the cluster goes
//! through [`scenario::perform`] and is recorded as a [`Step`], so that a link or a reload
//! replays exactly what happened.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::Reducible;

use super::editor_files::EditorFiles;
use super::inspected::InspectorCache;
use super::lesson_state::LessonsState;
use super::view_state::{Tab, ViewAction, ViewState};
use crate::lessons::run::Progress;
use crate::lessons::Lang;
use crate::scenario::replay::{lang_code, lang_of, page_terminal};
use crate::scenario::{self, Scenario, ScenarioError, Step};
use crate::shell::terminal::Terminal;
use crate::shell::{Output, Polled};
use crate::sim::process::Stream as Fd;
use crate::sim::store::ObjectKey;
use crate::sim::{Sim, SimConfig};

/// One entry of the terminal's scrollback.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Line {
    /// A command as typed, after the prompt it was typed at (`$ `, or a container's).
    Command(String, String),
    Stdout(String),
    Stderr(String),
    /// A screen that the next one replaces while the command that draws it runs (`watch`).
    Screen(String),
}

/// The most scrollback kept.
const MAX_SCROLLBACK: usize = 2_000;

/// The most of the terminal's output kept across a reload: lines, and characters in all.
const KEPT_LINES: usize = 200;
const KEPT_CHARS: usize = 64 * 1024;

/// The end of the scrollback worth keeping across a reload, as JSON: the last lines, at most
/// [`KEPT_LINES`] and [`KEPT_CHARS`] (a line alone longer than that is cut to its end).
pub fn kept_scrollback(lines: &[Line]) -> String {
    let mut kept = Vec::new();
    let mut chars = 0;
    for line in lines.iter().rev().take(KEPT_LINES) {
        let len = match line {
            Line::Command(p, c) => p.len() + c.len(),
            Line::Stdout(t) | Line::Stderr(t) | Line::Screen(t) => t.len(),
        };
        if chars + len > KEPT_CHARS {
            break;
        }
        chars += len;
        kept.push(line.clone());
    }
    kept.reverse();
    serde_json::to_string(&kept).unwrap_or_else(|_| "[]".into())
}

/// What [`kept_scrollback`] wrote, or nothing if it cannot be read (it is only a convenience).
pub fn read_kept_scrollback(json: &str) -> Vec<Line> {
    let mut lines: Vec<Line> = serde_json::from_str(json).unwrap_or_default();
    lines.truncate(KEPT_LINES);
    lines
}

/// A one-shot request to a view that keeps its own state in the DOM (the prompt's line, the
/// editor's text and its undo history): the reducer makes a new one for each request, even with
/// the same payload, and the view carries it out once, from an effect. Two orders are equal only
/// if they are the same request.
#[derive(Debug)]
pub struct Order<T>(Rc<T>);

impl<T> Order<T> {
    pub fn new(what: T) -> Self {
        Order(Rc::new(what))
    }
}

impl<T> Clone for Order<T> {
    fn clone(&self) -> Self {
        Order(self.0.clone())
    }
}

impl<T> PartialEq for Order<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Order<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// What the page holds: the one owner of its state, changed only by [`Action`]s through
/// [`Reducible::reduce`]. The sim, terminal, scenario and editor text are shared and mutated in
/// place by the reducer (views only read them); `revision` changes on every change so that Yew
/// re-renders.
#[derive(Debug, Clone)]
pub struct AppState {
    pub sim: Rc<RefCell<Sim>>,
    pub terminal: Rc<RefCell<Terminal>>,
    pub scrollback: Rc<RefCell<Vec<Line>>>,
    /// Everything done since the cluster was built, for links and autosave.
    pub scenario: Rc<RefCell<Scenario>>,
    /// The editor's files as the learner left them (the editor writes here as they type).
    pub editor: Rc<RefCell<EditorFiles>>,
    /// Bumped when the editor's files were replaced from outside (a link, a reload).
    pub editor_reset: u64,
    pub running: bool,
    pub selected: Option<ObjectKey>,
    /// What the editor's last Apply printed.
    pub apply_result: Option<(String, bool)>,
    pub lessons: LessonsState,
    /// Text a lesson (or an imported bundle) asked the editor to load.
    pub editor_load: Option<Order<String>>,
    /// A command a lesson put into the terminal's prompt (not run).
    pub prompt: Option<Order<String>>,
    /// The tab, theme, panels and presenter mode.
    pub view: ViewState,
    /// The inspector's texts about the selected object, refreshed by the reducer.
    pub inspected: InspectorCache,
    /// A message for the learner above the workspace (a link that could not be opened…), and
    /// whether it reports a problem.
    pub notice: Option<(String, bool)>,
    /// A saved state that could not be read: the page keeps it aside rather than lose it.
    pub set_aside: Option<String>,
    /// Bumped when the state worth saving changed (not on every clock tick).
    pub saves: u64,
    /// Commands of the editor's script performed so far (presenter mode's stepping).
    pub script_pos: usize,
    pub revision: u64,
}

/// The page's state as its components receive it (equal while nothing changed).
pub type Page = yew::UseReducerHandle<AppState>;

/// The props of a component that draws part of the page from its state.
#[derive(yew::Properties, PartialEq)]
pub struct PageProps {
    pub page: Page,
}

/// A callback that dispatches what `f` makes of its argument.
pub fn send<T: 'static>(page: &Page, f: impl Fn(T) -> Action + 'static) -> yew::Callback<T> {
    let d = page.dispatcher();
    yew::Callback::from(move |x| d.dispatch(f(x)))
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
}

/// Where a whole scenario comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A share link's fragment (or a whole URL).
    Link(String),
    /// What autosave kept in the browser.
    Saved(String),
    /// A file the learner imported: a scenario, or else a YAML bundle for the editor.
    File(String),
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
    /// A lesson's YAML into the editor (which is shown).
    LoadYaml(String),
    /// A lesson's ▶: in front of a class (presenter mode) it runs the command, so everyone sees
    /// what it does; alone, the learner gets it in the prompt to read (or change) before pressing
    /// Enter. The terminal is shown.
    PutCommand(String),
    /// A button that does what the learner could type: the command runs in the terminal, which
    /// is shown so the learner sees what the button did.
    Command(String),
    /// The tab, theme, panels, presenter mode.
    View(ViewAction),
    /// Settings and lesson progress the browser kept (read before anything else).
    Settings {
        lang: Lang,
        progress: BTreeMap<String, Progress>,
    },
    /// A whole scenario to replay and continue from.
    Load(Source),
    /// Everything back to a fresh page (the previous state is kept aside by the page).
    StartFresh,
    /// A message for the learner, or none.
    Notice(Option<(String, bool)>),
    /// The terminal's output from before a reload, put back above what the page printed since.
    RestoreScrollback(Vec<Line>),
    /// The object selected before a reload, selected again if it is still there.
    RestoreSelection(ObjectKey),
    /// Ctrl+C in the terminal: stops a command still printing (`kubectl get pods -w`).
    Interrupt,
    /// Ctrl+C at the prompt with lines typed: they stay in view with `^C`, and nothing runs.
    CancelLine(String),
    /// Presenter mode: the next (true) or previous command of the script in the editor.
    ScriptStep(bool),
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            sim: Rc::new(RefCell::new(Sim::new(SimConfig::default()))),
            terminal: Rc::new(RefCell::new(page_terminal())),
            scrollback: Rc::new(RefCell::new(vec![Line::Stdout(welcome(Lang::En))])),
            scenario: Rc::new(RefCell::new(Scenario::default())),
            editor: Rc::new(RefCell::new(EditorFiles::with(super::editor_panel::TEMPLATES[0].1))),
            editor_reset: 0,
            // The clock runs at 1× from the start, as a real cluster's does: a learner typing a
            // tutorial sees Endpoints appear and pods Terminating without pressing anything.
            running: true,
            selected: None,
            apply_result: None,
            lessons: LessonsState::default(),
            editor_load: None,
            prompt: None,
            view: ViewState::default(),
            inspected: InspectorCache::default(),
            notice: None,
            set_aside: None,
            saves: 0,
            script_pos: 0,
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

/// The terminal's first words.
fn welcome(lang: Lang) -> String {
    let intro =
        super::i18n::t(lang, "Welcome to kube-sandbox: a simulated cluster with a control plane and three nodes.");
    // One command a line: on one line they ran past the terminal's edge at 1366×768.
    format!(
        "{intro}\n{}:\n  kubectl get nodes\n  kubectl create deployment web --image=nginx --replicas=3\n  kubectl get pods -w\n",
        super::i18n::t(lang, "Try")
    )
}

impl AppState {
    fn push(&self, line: Line) {
        let mut s = self.scrollback.borrow_mut();
        s.push(line);
        let excess = s.len().saturating_sub(MAX_SCROLLBACK);
        s.drain(..excess);
    }

    /// Performs a step on the cluster, terminal and lesson, and records it.
    fn perform(&mut self, step: Step) -> Option<Output> {
        let mut taking = self.lessons.taking.as_ref().map(|t| (**t).clone());
        let out = {
            let (mut sim, mut terminal) = (self.sim.borrow_mut(), self.terminal.borrow_mut());
            scenario::perform(&step, &mut sim, &mut terminal, &mut taking)
        };
        self.lessons.set_taking(taking);
        let mut s = self.scenario.borrow_mut();
        if step == Step::Reset && self.lessons.taking.is_none() {
            // Nothing before a reset matters to the cluster after it.
            s.steps.clear();
        }
        s.record(step);
        out
    }

    /// Runs a line in the terminal (or the lines typed at its `$ ` and `> ` prompts, joined by
    /// newlines), shows it with its output, and records it.
    fn run_line(&mut self, typed: &str) {
        // Typing a line means the watch before it was stopped.
        self.terminal.borrow_mut().interrupt();
        let prompt = self.terminal.borrow().prompt();
        self.push(Line::Command(prompt, typed.to_string()));
        let line = crate::shell::transcript::joined(typed);
        self.scenario.borrow_mut().push_history(&line);
        if let Some(out) = self.perform(Step::Line(line)) {
            for (stream, text) in out.runs() {
                self.push(if stream == Fd::Stderr { Line::Stderr(text.into()) } else { Line::Stdout(text.into()) });
            }
        }
    }

    /// Switches the language; the welcome is reworded if nothing else was printed yet.
    fn set_lang(&mut self, lang: Lang) {
        self.lessons.set_lang(lang);
        self.scenario.borrow_mut().settings.lang = lang_code(lang).to_string();
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
                let Some(lesson) = self.lessons.list.iter().find(|l| l.id == id).cloned() else { return };
                let resume = self.lessons.saved.get(&id).cloned().filter(|p| p.done.len() < lesson.steps.len());
                let lang = lang_code(self.lessons.lang).to_string();
                let failed = self.perform(Step::Lesson { id, lang, resume });
                self.lessons.error = failed.map(|o| o.shown());
                self.lessons.open = true;
                self.selected = None;
                self.apply_result = None;
                self.push(Line::Stdout(format!("— {} —\n", lesson.title)));
            }
            LessonAction::Close => {
                self.perform(Step::LessonClose);
                self.lessons.error = None;
            }
            LessonAction::Goto(i) => {
                self.perform(Step::LessonGoto(i));
            }
            LessonAction::Hint => {
                self.perform(Step::LessonHint);
            }
            LessonAction::ShowMe => {
                let script =
                    self.lessons.taking.as_ref().and_then(|t| t.current()).map(|s| s.show_me.trim_end().to_string());
                if let Some(script) = script {
                    self.run_line(&script);
                }
            }
        }
    }

    /// Replaces everything with `s` replayed; the steps go on being recorded after it.
    fn install(&mut self, s: Scenario) -> Result<Vec<String>, ScenarioError> {
        let r = scenario::replay(&s)?;
        *self.sim.borrow_mut() = r.sim;
        *self.terminal.borrow_mut() = r.terminal;
        let lang = lang_of(&s.settings.lang);
        self.lessons.set_lang(lang);
        self.lessons.saved = Rc::new(s.progress.clone());
        self.lessons.set_taking(r.lesson);
        self.lessons.open = self.lessons.taking.is_some() || self.lessons.open;
        if let Some(files) = EditorFiles::from_scenario(&s.files, s.open_file.as_deref()) {
            *self.editor.borrow_mut() = files;
            self.editor_reset += 1;
        }
        self.sim.borrow_mut().speed = s.clock.speed;
        // The clock goes on as it was (running, unless the learner paused it).
        self.selected = None;
        self.apply_result = None;
        *self.scenario.borrow_mut() = Scenario { check: None, ..s };
        Ok(r.problems)
    }

    fn load(&mut self, source: Source) {
        let (what, parsed) = match &source {
            Source::Link(text) => ("link", scenario::decode(text)),
            Source::Saved(text) => ("saved", scenario::restore(text).map(|s| s.scenario).map_err(|e| e.error)),
            Source::File(text) => ("file", scenario::decode(text)),
        };
        let lang = self.lessons.lang;
        let fail = |e: &ScenarioError| format!("{} {e}", super::i18n::t(lang, "This could not be opened:"));
        match parsed.and_then(|s| self.install(s)) {
            Ok(problems) => {
                let intro = match what {
                    "link" => "Opened the shared scenario: its cluster and history were replayed.",
                    "saved" => "Restored where you left off.",
                    _ => "Imported the scenario.",
                };
                let mut text = super::i18n::t(self.lessons.lang, intro).to_string();
                for p in &problems {
                    text.push('\n');
                    text.push_str(p);
                }
                self.push(Line::Stdout(format!("{text}\n")));
                let problem = !problems.is_empty();
                self.notice = (what != "saved" || problem).then_some((text, problem));
            }
            Err(e) => match source {
                // Not a scenario: a YAML bundle goes into the editor, to look at and apply.
                Source::File(text) if crate::manifest::parse(&text).is_ok() => {
                    self.editor_load = Some(Order::new(text.clone()));
                    self.editor.borrow_mut().set_current(&text);
                    self.notice =
                        Some((super::i18n::t(self.lessons.lang, "Imported the YAML into the editor.").into(), false));
                }
                Source::Saved(raw) => {
                    self.notice = Some((fail(&e), true));
                    self.set_aside = Some(raw);
                }
                _ => self.notice = Some((fail(&e), true)),
            },
        }
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let worth_saving = match &action {
            Action::Tick(_) | Action::Select(_) | Action::Notice(_) | Action::View(_) => false,
            // What the browser already remembers (language, progress), read as the page opens.
            Action::Settings { .. } => false,
            Action::PutCommand(_) => self.view.presenting,
            _ => true,
        };
        match action {
            Action::Run => next.running = true,
            Action::Pause => next.running = false,
            Action::Tick(ms) if self.running => {
                let scaled = (ms as f64 * next.sim.borrow().speed) as u64;
                next.perform(Step::Advance { ms: scaled });
            }
            Action::Tick(_) => return self,
            Action::Step(secs) => {
                next.perform(Step::Advance { ms: secs * 1000 });
            }
            Action::Settle => {
                next.perform(Step::Settle);
            }
            Action::SetSpeed(x) => {
                next.perform(Step::Speed(x));
                next.scenario.borrow_mut().clock.speed = x;
            }
            Action::RunLine(line) => {
                if line.trim() == "clear" {
                    next.scrollback.borrow_mut().clear();
                } else {
                    next.run_line(&line);
                }
            }
            Action::ClearTerminal => next.scrollback.borrow_mut().clear(),
            Action::Apply(text) => {
                let before = super::live_diff::snapshot(&next.sim.borrow(), &text);
                let out = next.perform(Step::Apply(text.clone())).unwrap_or_default();
                let after = super::live_diff::snapshot(&next.sim.borrow(), &text);
                let changed: String =
                    super::live_diff::changes(&before, &after).iter().map(|c| format!("  {c}\n")).collect();
                next.apply_result = Some((format!("{}{changed}", out.shown()), out.status == 0));
            }
            Action::Lesson(a) => next.lesson(a),
            Action::LoadYaml(text) => {
                next.view.apply(ViewAction::SetTab(Tab::Editor));
                next.editor_load = Some(Order::new(text));
            }
            Action::PutCommand(line) => {
                next.view.apply(ViewAction::SetTab(Tab::Terminal));
                if next.view.presenting {
                    next.run_line(&line);
                } else {
                    next.prompt = Some(Order::new(line));
                }
            }
            Action::Command(line) => {
                next.view.apply(ViewAction::SetTab(Tab::Terminal));
                next.run_line(&line);
            }
            Action::View(a) => next.view.apply(a),
            Action::Select(key) => next.selected = key,
            Action::Reset => {
                next.perform(Step::Reset);
                next.selected = None;
                next.apply_result = None;
                next.push(Line::Stdout("sandbox reset: a fresh cluster\n".into()));
            }
            Action::Settings { lang, progress } => {
                next.set_lang(lang);
                next.lessons.saved = Rc::new(progress);
            }
            Action::Load(source) => next.load(source),
            Action::StartFresh => {
                let lang = next.lessons.lang;
                let saved = next.lessons.saved.clone();
                let view = ViewState { fresh_undo: true, ..next.view };
                let runs = next.inspected.runs;
                next = AppState { revision: next.revision, saves: next.saves, view, ..AppState::default() };
                next.inspected.runs = runs;
                next.set_lang(lang);
                next.lessons.saved = saved;
                next.notice = Some((
                    super::i18n::t(lang, "Started fresh. The previous sandbox was kept: Undo brings it back.").into(),
                    false,
                ));
            }
            Action::Notice(n) => next.notice = n,
            Action::RestoreSelection(key) => {
                if next.sim.borrow().store().get_key(&key).is_some() {
                    next.selected = Some(key);
                }
            }
            Action::RestoreScrollback(mut old) => {
                let mut s = next.scrollback.borrow_mut();
                // The welcome printed again on load is dropped when older output comes back.
                let fresh: Vec<Line> = s
                    .drain(..)
                    .filter(|l| ![Lang::En, Lang::Ko].iter().any(|&w| *l == Line::Stdout(welcome(w))))
                    .collect();
                if !old.is_empty() {
                    old.extend(fresh);
                    *s = old;
                } else {
                    *s = fresh;
                }
            }
            Action::ScriptStep(forward) => {
                let lines = super::presenter::script_lines(next.editor.borrow().current());
                if forward {
                    if let Some(line) = lines.get(next.script_pos).cloned() {
                        next.script_pos += 1;
                        next.run_line(&line);
                    }
                } else if next.script_pos > 0 {
                    // Back one command: the cluster as it was built, then the commands before it
                    // again (the same cluster, since the sandbox is deterministic).
                    next.script_pos -= 1;
                    next.perform(Step::Reset);
                    next.push(Line::Stdout("sandbox reset: a fresh cluster\n".into()));
                    for line in lines.iter().take(next.script_pos) {
                        next.run_line(line);
                    }
                }
            }
            Action::CancelLine(typed) => {
                let prompt = next.terminal.borrow().prompt();
                next.push(Line::Command(prompt, format!("{typed}^C")));
            }
            Action::Interrupt => {
                if next.terminal.borrow_mut().interrupt() {
                    next.push(Line::Stdout("^C\n".into()));
                }
            }
        }
        // A watch prints what changed while the clock ran.
        let polled = next.terminal.borrow_mut().poll_stream(&mut next.sim.borrow_mut());
        match polled {
            Polled::Rows(rows) if rows.is_empty() => {}
            Polled::Rows(rows) => next.push(Line::Stdout(rows)),
            Polled::Screen(screen, ended) => {
                // The watch's screen is redrawn in place, as long as nothing was printed after it.
                let replaced = {
                    let mut lines = next.scrollback.borrow_mut();
                    match lines.last_mut() {
                        Some(Line::Screen(old)) => {
                            *old = screen.clone();
                            true
                        }
                        _ => false,
                    }
                };
                if !replaced {
                    next.push(Line::Screen(screen));
                }
                if let Some(after) = ended.filter(|a| !a.is_empty()) {
                    next.push(Line::Stdout(after));
                }
            }
        }
        {
            let lang = next.lessons.lang;
            next.inspected.refresh(&mut next.sim.borrow_mut(), next.selected.as_ref(), lang);
        }
        if worth_saving {
            next.scenario.borrow_mut().progress = (*next.lessons.saved).clone();
            next.saves += 1;
        }
        next.revision += 1;
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_terminals_output_survives_a_reload_bounded() {
        let lines: Vec<Line> = (0..500).map(|i| Line::Stdout(format!("line {i}\n"))).collect();
        let kept = read_kept_scrollback(&kept_scrollback(&lines));
        assert_eq!(kept.len(), 200, "the last lines only");
        assert_eq!(kept.last(), lines.last());
        let huge = vec![Line::Stdout("x".repeat(100_000)), Line::Command("$ ".into(), "kubectl get pods".into())];
        assert_eq!(read_kept_scrollback(&kept_scrollback(&huge)).len(), 1, "at most 64 KiB");
        assert!(read_kept_scrollback("not json").is_empty());
        let state = Rc::new(AppState::default());
        let state = state.reduce(Action::RestoreScrollback(kept));
        assert_eq!(
            state.scrollback.borrow().first(),
            Some(&Line::Stdout("line 300\n".into())),
            "the welcome is not printed again"
        );
    }

    use super::*;
    use std::time::Duration;

    #[test]
    fn a_watch_redraws_one_screen_in_place_until_ctrl_c() {
        let state = Rc::new(AppState::default()).reduce(Action::Pause);
        let state = state.reduce(Action::RunLine("kubectl create deployment web --image=nginx".into()));
        let state = state.reduce(Action::RunLine("watch -n 1 kubectl get deploy".into()));
        let screens = |s: &AppState| {
            s.scrollback
                .borrow()
                .iter()
                .filter_map(|l| if let Line::Screen(t) = l { Some(t.clone()) } else { None })
                .collect::<Vec<_>>()
        };
        assert_eq!(screens(&state).len(), 1);
        assert!(screens(&state)[0].contains("web    0/1"), "{:?}", screens(&state));
        let lines = state.scrollback.borrow().len();
        let state = state
            .reduce(Action::SetSpeed(10.0))
            .reduce(Action::Run)
            .reduce(Action::Tick(1000))
            .reduce(Action::Tick(1000));
        assert_eq!(state.scrollback.borrow().len(), lines, "redrawn, not added");
        assert!(screens(&state)[0].contains("web    1/1"), "{:?}", screens(&state));
        let state = state.reduce(Action::Interrupt);
        assert_eq!(state.scrollback.borrow().last(), Some(&Line::Stdout("^C\n".into())));
        assert!(state.terminal.borrow().stream.is_none());
    }

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

    #[test]
    fn the_clock_runs_from_the_start_and_a_reload_keeps_it_as_it_was() {
        let state = Rc::new(AppState::default());
        assert!(state.running, "1× from the start, as a real cluster");
        let state = state.reduce(Action::Tick(1000));
        assert_eq!(state.sim.borrow().now().since(crate::sim::time::SimTime::ZERO), Duration::from_secs(1));
        let saved = scenario::save(&state.scenario.borrow(), &state.sim.borrow());
        let paused = Rc::new(AppState { running: false, ..AppState::default() });
        let paused = paused.reduce(Action::Load(Source::Saved(saved)));
        assert!(!paused.running, "a load leaves the clock as it was");
        assert_eq!(paused.sim.borrow().now().since(crate::sim::time::SimTime::ZERO), Duration::from_secs(1));
    }

    #[test]
    fn lines_typed_at_the_continuation_prompt_run_as_one_command_and_ctrl_c_runs_nothing() {
        let state = Rc::new(AppState { running: false, ..AppState::default() });
        let state = state.reduce(Action::RunLine("kubectl create configmap c \\\n  --from-literal=k=\"a\nb\"".into()));
        let cm = state.sim.borrow().store().get("ConfigMap", Some("default"), "c").cloned().expect("created");
        assert_eq!(cm.field("data.k").and_then(|v| v.as_str()), Some("a\nb"));
        assert!(
            state.scrollback.borrow().iter().any(|l| matches!(l, Line::Command(_, c) if c.contains("\\\n  --from"))),
            "shown as typed"
        );
        let steps = state.scenario.borrow().steps.len();
        let state = state.reduce(Action::CancelLine("kubectl delete cm c \\\n".into()));
        assert!(state.sim.borrow().store().get("ConfigMap", Some("default"), "c").is_some());
        assert_eq!(state.scenario.borrow().steps.len(), steps, "nothing recorded");
        assert!(matches!(state.scrollback.borrow().last(), Some(Line::Command(_, c)) if c.ends_with("^C")));
    }

    /// What the page did, replayed from its recording, gives the same cluster.
    #[test]
    fn the_recorded_scenario_replays_to_the_same_cluster() {
        let mut state = Rc::new(AppState::default());
        for a in [
            Action::RunLine("kubectl create deployment web --image=nginx:1.27 --replicas=3".into()),
            Action::SetSpeed(5.0),
            Action::Run,
            Action::Tick(100),
            Action::Tick(100),
            Action::Apply("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n".into()),
            Action::Settle,
            Action::Lesson(LessonAction::Open("declarative-api".into())),
            Action::Lesson(LessonAction::ShowMe),
            Action::Step(10),
        ] {
            state = state.reduce(a);
        }
        let recorded = state.scenario.borrow().clone();
        let replayed = scenario::replay(&recorded).unwrap();
        assert_eq!(scenario::replay::digest(&replayed.sim), scenario::replay::digest(&state.sim.borrow()));
        assert_eq!(replayed.lesson.map(|t| t.progress), state.lessons.taking.as_ref().map(|t| t.progress.clone()));
    }

    #[test]
    fn a_link_opens_the_same_cluster_and_a_bad_one_says_so_and_keeps_the_default() {
        let mut state = Rc::new(AppState::default());
        state = state.reduce(Action::RunLine("kubectl create configmap shared --from-literal=a=b".into()));
        let link =
            state.scenario.borrow().for_link(&state.sim.borrow(), crate::scenario::ShareMode::WithHistory).to_link();
        let opened = Rc::new(AppState::default()).reduce(Action::Load(Source::Link(link.clone())));
        assert!(opened.sim.borrow().store().get("ConfigMap", Some("default"), "shared").is_some());
        assert_eq!(opened.notice.as_ref().map(|n| n.1), Some(false), "{:?}", opened.notice);
        let cut = &link[..link.len() / 2];
        let bad = Rc::new(AppState::default()).reduce(Action::Load(Source::Link(cut.into())));
        assert_eq!(bad.notice.as_ref().map(|n| n.1), Some(true));
        assert!(bad.sim.borrow().store().get("ConfigMap", Some("default"), "shared").is_none());
        let garbage =
            Rc::new(AppState::default()).reduce(Action::Load(Source::Saved("<script>alert(1)</script>".into())));
        assert_eq!(garbage.set_aside.as_deref(), Some("<script>alert(1)</script>"), "a corrupt save is kept aside");
        assert!(garbage.notice.as_ref().is_some_and(|n| n.1));
    }

    #[test]
    fn an_imported_yaml_bundle_goes_into_the_editor() {
        let state = Rc::new(AppState::default())
            .reduce(Action::Load(Source::File("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n".into())));
        assert_eq!(state.editor_load.as_ref().map(|l| l.contains("name: x")), Some(true));
        assert!(state.sim.borrow().store().get("ConfigMap", Some("default"), "x").is_none(), "not applied until asked");
    }

    #[test]
    fn presenter_steps_through_the_script_in_the_editor_and_back() {
        let mut state = Rc::new(AppState::default());
        state
            .editor
            .borrow_mut()
            .set_current("#!/bin/sh\nkubectl create configmap one\n# then\nkubectl create configmap two\n");
        state = state.reduce(Action::ScriptStep(true)).reduce(Action::ScriptStep(true));
        let has = |s: &AppState, n: &str| s.sim.borrow().store().get("ConfigMap", Some("default"), n).is_some();
        assert!(has(&state, "one") && has(&state, "two"));
        state = state.reduce(Action::ScriptStep(true));
        assert_eq!(state.script_pos, 2, "the script has only two commands");
        state = state.reduce(Action::ScriptStep(false));
        assert!(has(&state, "one") && !has(&state, "two"), "back one step: the second command undone");
    }

    #[test]
    fn one_shot_requests_are_actions_that_show_their_tab_and_each_is_new() {
        let state = Rc::new(AppState { running: false, ..AppState::default() });
        let state = state.reduce(Action::LoadYaml("kind: ConfigMap\n".into()));
        assert_eq!(state.view.tab, Tab::Editor);
        let first = state.editor_load.clone().expect("an order for the editor");
        assert_eq!(first.as_str(), "kind: ConfigMap\n");
        let state = state.reduce(Action::LoadYaml("kind: ConfigMap\n".into()));
        assert!(state.editor_load.as_ref() != Some(&first), "the same text again is a new request");
        let state = state.reduce(Action::PutCommand("kubectl get pods".into()));
        assert_eq!(state.view.tab, Tab::Terminal);
        assert_eq!(state.prompt.as_deref().map(String::as_str), Some("kubectl get pods"));
        assert!(!state.scrollback.borrow().iter().any(|l| matches!(l, Line::Command(_, c) if c == "kubectl get pods")));
        // In front of a class ▶ runs it.
        let state = state
            .reduce(Action::View(ViewAction::TogglePresenting))
            .reduce(Action::PutCommand("kubectl get ns".into()));
        assert!(state.scrollback.borrow().iter().any(|l| matches!(l, Line::Command(_, c) if c == "kubectl get ns")));
        let saves = state.saves;
        let state = state.reduce(Action::View(ViewAction::ToggleSide));
        assert!(!state.view.side_open);
        assert_eq!(state.saves, saves, "the view is not part of the saved sandbox");
        let state = state.reduce(Action::View(ViewAction::TabButton(Tab::Editor))).reduce(Action::StartFresh);
        assert!(
            state.view.presenting && state.view.fresh_undo && state.view.tab == Tab::Editor,
            "a fresh sandbox keeps the view"
        );
    }

    #[test]
    fn the_inspector_asks_kubectl_again_only_when_what_it_shows_changed() {
        let node = ObjectKey { kind: "Node".into(), namespace: String::new(), name: "node-1".into() };
        let state = Rc::new(AppState { running: false, ..AppState::default() });
        let state = state.reduce(Action::Select(Some(node.clone())));
        assert!(state.inspected.shown.describe.contains("node-1"));
        let runs = state.inspected.runs;
        assert_eq!(runs, 2, "describe and YAML");
        // Paused ticks, a view change, a notice: nothing the inspector shows changed.
        let state = state
            .reduce(Action::Tick(100))
            .reduce(Action::View(ViewAction::CycleTheme))
            .reduce(Action::Notice(Some(("hello".into(), false))));
        assert_eq!(state.inspected.runs, runs);
        // A running clock on a quiet cluster: asked again only when the store was written.
        let mut state = state.reduce(Action::Run);
        let mut writes = 0;
        for _ in 0..20 {
            let version = state.sim.borrow().store().resource_version();
            state = state.reduce(Action::Tick(100));
            writes += u64::from(state.sim.borrow().store().resource_version() != version);
        }
        assert!(state.inspected.runs <= runs + 2 * writes, "{} runs for {writes} writes", state.inspected.runs);
        assert!(writes < 20, "the store is not written on every tick");
        let runs = state.inspected.runs;
        let state = state.reduce(Action::Pause).reduce(Action::RunLine("kubectl cordon node-1".into()));
        assert!(state.inspected.runs > runs, "the node changed");
        assert!(state.inspected.shown.yaml.contains("unschedulable: true"), "{}", state.inspected.shown.yaml);
        let state = state.reduce(Action::Lesson(LessonAction::SetLang(Lang::Ko)));
        assert_eq!(state.inspected.runs, runs + 4, "another language");
        let state = state.reduce(Action::Select(None));
        assert!(state.inspected.shown.describe.is_empty());
    }
}
