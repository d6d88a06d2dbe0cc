//! The steps a learner takes, as the page performs them, and the recorder that keeps them.

use serde::{Deserialize, Serialize};

use crate::lessons::run::Progress;

/// One thing the learner did that changed the cluster (or the lesson being taken). Replaying
/// the steps of a scenario, in order, on its fresh cluster rebuilds the same state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// A line typed into the terminal (also a lesson's "show me" script, and `sandbox …`
    /// commands such as `sandbox node add`). `clear` only clears the page's scrollback.
    Line(String),
    /// The editor's text applied (`kubectl apply -f -` with the text as a here-document).
    Apply(String),
    /// Simulated milliseconds passed (the page's clock ticks, already times its speed, and
    /// explicit steps). Consecutive advances are recorded as one.
    Advance { ms: u64 },
    /// "Run until settled" ([`super::replay::settle`]).
    Settle,
    /// The page's reset button: the cluster as it was built, at time zero.
    Reset,
    /// The clock's speed set (only the page's clock reads it; kept so `sandbox speed` shows it).
    Speed(f64),
    /// A lesson opened: the cluster reset to its shape, its setup run, the steps done in
    /// `resume` performed again. `lang` is `en` or `ko`.
    Lesson { id: String, lang: String, resume: Option<Progress> },
    /// The lesson moved to step `n` (`steps.len()` is "finished").
    LessonGoto(usize),
    /// One more hint of the lesson's current step revealed.
    LessonHint,
    /// The lesson closed.
    LessonClose,
}

/// Keeps the steps taken, coalescing what would otherwise pile up: ticks every 100 ms become
/// one [`Step::Advance`], a dragged speed slider one [`Step::Speed`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recorder {
    steps: Vec<Step>,
}

impl Recorder {
    /// A recorder that continues `steps` (those of a scenario just replayed).
    pub fn from_steps(steps: Vec<Step>) -> Recorder {
        let mut r = Recorder::default();
        for s in steps {
            r.record(s);
        }
        r
    }

    /// Notes a step the page has just performed.
    pub fn record(&mut self, step: Step) {
        push(&mut self.steps, step);
    }

    /// The steps so far, oldest first.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Takes the steps out (for a [`super::Scenario`]), leaving the recorder empty.
    pub fn take(&mut self) -> Vec<Step> {
        std::mem::take(&mut self.steps)
    }

    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

/// Appends `step` to `steps`, coalescing: consecutive advances add up, consecutive speeds keep
/// the last, a zero advance is nothing. The page's reset button forgets what came before it
/// (the cluster starts over from the same build), unless a lesson was opened before (its
/// cluster is the one reset to); the clock's speed is kept.
pub fn push(steps: &mut Vec<Step>, step: Step) {
    let lesson_before = step == Step::Reset && steps.iter().any(|s| matches!(s, Step::Lesson { .. }));
    match (steps.last_mut(), step) {
        (_, Step::Advance { ms: 0 }) => {}
        (Some(Step::Advance { ms }), Step::Advance { ms: more }) => *ms = ms.saturating_add(more),
        (Some(Step::Speed(x)), Step::Speed(y)) => *x = y,
        (_, Step::Reset) if !lesson_before => {
            let speed = steps.iter().rev().find(|s| matches!(s, Step::Speed(_))).cloned();
            steps.clear();
            steps.extend(speed);
            steps.push(Step::Reset);
        }
        (_, step) => steps.push(step),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_coalesce_and_zero_advances_vanish() {
        let mut r = Recorder::default();
        for _ in 0..600 {
            r.record(Step::Advance { ms: 100 });
        }
        r.record(Step::Advance { ms: 0 });
        r.record(Step::Line("kubectl get pods".into()));
        r.record(Step::Advance { ms: 0 });
        r.record(Step::Speed(10.0));
        r.record(Step::Speed(60.0));
        r.record(Step::Advance { ms: 6000 });
        r.record(Step::Advance { ms: u64::MAX });
        assert_eq!(
            r.steps(),
            [
                Step::Advance { ms: 60_000 },
                Step::Line("kubectl get pods".into()),
                Step::Speed(60.0),
                Step::Advance { ms: u64::MAX },
            ]
        );
        assert_eq!(Recorder::from_steps(r.take()).len(), 4);
        assert!(r.is_empty());
    }

    #[test]
    fn a_reset_forgets_what_came_before_unless_a_lesson_did() {
        let mut r = Recorder::default();
        r.record(Step::Speed(10.0));
        r.record(Step::Line("kubectl create deployment web --image=nginx".into()));
        r.record(Step::Advance { ms: 5000 });
        r.record(Step::Reset);
        assert_eq!(r.steps(), [Step::Speed(10.0), Step::Reset]);
        let lesson = Step::Lesson { id: "welcome".into(), lang: "en".into(), resume: None };
        r.record(lesson.clone());
        r.record(Step::Reset);
        assert_eq!(r.steps(), [Step::Speed(10.0), Step::Reset, lesson, Step::Reset]);
    }
}
