//! The page's lessons: the interface language, the lesson being taken and the progress saved
//! for each. Pure state; `app.rs` keeps it in the browser's storage.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::lessons::run::{Progress, Taking};
use crate::lessons::{self, Lang, Lesson};
use crate::shell::terminal::Terminal;
use crate::sim::Sim;

/// What the lesson panel shows and remembers.
#[derive(Debug, Clone, PartialEq)]
pub struct LessonsState {
    pub lang: Lang,
    /// Whether the lesson panel is shown.
    pub open: bool,
    /// The lessons in `lang`, in order.
    pub list: Rc<Vec<Lesson>>,
    pub taking: Option<Rc<Taking>>,
    /// Progress by lesson id, saved across visits.
    pub saved: Rc<BTreeMap<String, Progress>>,
    /// What went wrong starting the lesson, if anything.
    pub error: Option<String>,
}

impl Default for LessonsState {
    fn default() -> Self {
        LessonsState::new(Lang::En)
    }
}

/// The built-in lessons in `lang`; a broken lesson file is left out rather than taking the
/// page down (the native tests keep them all readable).
pub fn built_in(lang: Lang) -> Vec<Lesson> {
    lessons::all(lang).unwrap_or_default()
}

impl LessonsState {
    pub fn new(lang: Lang) -> LessonsState {
        LessonsState {
            lang,
            open: true,
            list: Rc::new(built_in(lang)),
            taking: None,
            saved: Rc::default(),
            error: None,
        }
    }

    /// Switches the language; a lesson being taken continues in the new one.
    pub fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
        self.list = Rc::new(built_in(lang));
        if let Some(t) = &self.taking {
            if let Some(l) = self.list.iter().find(|l| l.id == t.lesson.id) {
                let mut t = (**t).clone();
                t.lesson = l.clone();
                self.taking = Some(Rc::new(t));
            }
        }
    }

    /// Starts lesson `id` on a fresh cluster, resuming saved progress.
    pub fn open_lesson(&mut self, id: &str, sim: &mut Sim, terminal: &mut Terminal) -> bool {
        let Some(lesson) = self.list.iter().find(|l| l.id == id).cloned() else { return false };
        let saved = self.saved.get(id).cloned().filter(|p| p.done.len() < lesson.steps.len());
        let (taking, failed) = Taking::start(lesson, saved, sim, terminal);
        self.error = failed.map(|o| format!("{}{}", o.stdout, o.stderr));
        self.save(&taking);
        self.taking = Some(Rc::new(taking));
        self.open = true;
        true
    }

    /// Takes the lesson as the scenario left it (or none), and saves its progress.
    pub fn set_taking(&mut self, taking: Option<Taking>) {
        if let Some(t) = &taking {
            self.save(t);
        }
        self.taking = taking.map(Rc::new);
    }

    pub fn close(&mut self) {
        self.taking = None;
        self.error = None;
    }

    /// Applies `f` to the lesson being taken, and saves its progress.
    pub fn update(&mut self, f: impl FnOnce(&mut Taking)) {
        let Some(t) = &mut self.taking else { return };
        let t = Rc::make_mut(t);
        f(t);
        let t = t.clone();
        self.save(&t);
    }

    /// Checks the current step against the cluster.
    pub fn poll(&mut self, sim: &Sim, terminal: &Terminal) {
        let done_now = self.taking.as_ref().is_some_and(|t| {
            let mut probe = (**t).clone();
            probe.poll(sim, terminal)
        });
        if done_now {
            self.update(|t| {
                t.poll(sim, terminal);
            });
        }
    }

    fn save(&mut self, t: &Taking) {
        Rc::make_mut(&mut self.saved).insert(t.lesson.id.clone(), t.progress.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimConfig;

    #[test]
    fn a_lesson_opens_on_a_fresh_cluster_and_follows_the_language() {
        let mut s = LessonsState::new(Lang::En);
        let mut sim = Sim::new(SimConfig::default());
        let mut term = Terminal::default();
        term.run_line(&mut sim, "kubectl create configmap leftover");
        assert!(s.open_lesson("declarative-api", &mut sim, &mut term));
        assert!(sim.store().get("ConfigMap", Some("default"), "leftover").is_none(), "the cluster was reset");
        s.set_lang(Lang::Ko);
        assert_eq!(s.taking.as_ref().unwrap().lesson.lang, Lang::Ko);
        assert!(!s.open_lesson("no-such-lesson", &mut sim, &mut term));
    }
}
