//! Every lesson, in both languages, read from `lessons/` on disk (so editing a lesson needs no
//! rebuild of the library): its "show me" steps are run in a fresh sandbox, and each step's
//! checks must be false before the step and become true after it (within ten simulated minutes).

use std::time::Duration;

use kube_sandbox::lessons::run::{self, StepLog};
use kube_sandbox::lessons::{parse, Lang, Lesson};
use kube_sandbox::shell::terminal::Terminal;
use kube_sandbox::sim::{Sim, SimConfig};

fn lessons() -> Vec<(String, Lesson)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md") && !p.ends_with("README.md"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(&p).unwrap();
            let lesson = parse(&name, &text).unwrap_or_else(|e| panic!("{e}"));
            (name, lesson)
        })
        .collect()
}

/// How long a learner would wait for a step to take effect.
const PATIENCE: Duration = Duration::from_secs(600);

fn walk(name: &str, lesson: &Lesson) {
    let mut sim = Sim::new(SimConfig::default());
    let mut terminal = Terminal::default();
    if let Err(out) = run::start(lesson, &mut sim, &mut terminal) {
        panic!("{name}: setup failed: {}{}", out.stdout, out.stderr);
    }
    for (i, step) in lesson.steps.iter().enumerate() {
        let mut log = StepLog { since: sim.now(), ran: Vec::new() };
        assert!(
            !run::step_done(step, &sim, &terminal, &log),
            "{name} step {} (\"{}\"): its checks already hold before the step",
            i + 1,
            step.title
        );
        let out = run::show_me(step, &mut sim, &mut terminal);
        log.ran.push(step.show_me.clone());
        let mut waited = Duration::ZERO;
        while !run::step_done(step, &sim, &terminal, &log) && waited < PATIENCE {
            sim.advance(Duration::from_secs(1));
            waited += Duration::from_secs(1);
        }
        assert!(
            run::step_done(step, &sim, &terminal, &log),
            "{name} step {} (\"{}\"): checks still false {}s after show-me.\nshow-me printed:\n{}{}\nchecks: {:#?}",
            i + 1,
            step.title,
            PATIENCE.as_secs(),
            out.stdout,
            out.stderr,
            step.checks
        );
    }
}

#[test]
fn every_lesson_is_completed_by_its_show_me_steps_and_no_check_holds_early() {
    let all = lessons();
    assert!(!all.is_empty());
    for (name, lesson) in &all {
        walk(name, lesson);
    }
}

#[test]
fn every_lesson_exists_in_both_languages_with_the_same_steps_and_checks() {
    let all = lessons();
    let en: Vec<_> = all.iter().filter(|(_, l)| l.lang == Lang::En).collect();
    let ko: Vec<_> = all.iter().filter(|(_, l)| l.lang == Lang::Ko).collect();
    assert_eq!(en.len(), ko.len(), "as many Korean lessons as English ones");
    for (name, l) in en {
        let (_, k) =
            ko.iter().find(|(_, k)| k.id == l.id).unwrap_or_else(|| panic!("{name}: no Korean lesson {}", l.id));
        assert_eq!((l.order, l.nodes, &l.setup), (k.order, k.nodes, &k.setup), "{name}: front matter differs");
        assert_eq!(l.steps.len(), k.steps.len(), "{name}: number of steps differs");
        for (i, (a, b)) in l.steps.iter().zip(&k.steps).enumerate() {
            assert_eq!(a.checks, b.checks, "{name} step {}: checks differ", i + 1);
            assert_eq!(a.show_me, b.show_me, "{name} step {}: show-me differs", i + 1);
            assert_eq!(a.hints.len(), b.hints.len(), "{name} step {}: number of hints differs", i + 1);
        }
    }
}
