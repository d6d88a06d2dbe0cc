//! The page's lessons: the interface language, the lesson being taken and the progress saved
//! for each. Pure state; `app.rs` keeps it in the browser's storage.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::lessons::run::{Progress, Taking};
use crate::lessons::{self, Lang, Lesson};

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
        if lang == self.lang && !self.list.is_empty() {
            // The page opens by saying which language the browser kept: often the one it has.
            return;
        }
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

    /// Takes the lesson as the scenario left it (or none), and saves its progress.
    pub fn set_taking(&mut self, taking: Option<Taking>) {
        if let Some(t) = &taking {
            self.save(t);
        }
        self.taking = taking.map(Rc::new);
    }

    fn save(&mut self, t: &Taking) {
        Rc::make_mut(&mut self.saved).insert(t.lesson.id.clone(), t.progress.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::terminal::Terminal;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn a_lesson_being_taken_is_saved_and_follows_the_language() {
        let mut s = LessonsState::new(Lang::En);
        let mut sim = Sim::new(SimConfig::default());
        let mut term = Terminal::default();
        let lesson = s.list.iter().find(|l| l.id == "declarative-api").cloned().unwrap();
        let (taking, failed) = Taking::start(lesson, None, &mut sim, &mut term);
        assert!(failed.is_none());
        s.set_taking(Some(taking));
        assert!(s.saved.contains_key("declarative-api"), "progress saved as soon as it starts");
        s.set_lang(Lang::Ko);
        assert_eq!(s.taking.as_ref().unwrap().lesson.lang, Lang::Ko);
    }
}
