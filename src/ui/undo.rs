//! The editor's undo/redo history, kept by the page because the browser's own is lost as soon
//! as code sets the text area's value (Tab indentation, loading a template).
//!
//! Pure text in, text out: no Yew or browser types, so it is tested natively. Typing is
//! coalesced the way editors do it: a run of characters typed (or deleted) one after another at
//! the same place, without a pause, is one step; a new line, a pause, moving elsewhere, or
//! switching between typing and deleting starts the next one.

/// A pause longer than this (milliseconds) between two keystrokes starts a new undo step.
pub const PAUSE_MS: f64 = 1_000.0;

/// The most steps kept; older ones are forgotten so a long session cannot grow without bound.
pub const MAX_STEPS: usize = 500;

/// What one edit did, found by comparing the text before and after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Insert,
    Delete,
    /// A replacement, paste over a selection, or anything the caller marks as its own step.
    Other,
}

/// A coalescing run in progress: its kind, where its caret is, and when it was last extended.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Run {
    kind: Kind,
    /// In chars: where the next contiguous edit of this run would start.
    end: usize,
    at_ms: f64,
}

/// One buffer's history: the text now, the texts before it, and those undone.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    current: String,
    undo: Vec<String>,
    redo: Vec<String>,
    run: Option<Run>,
}

/// The common prefix and suffix of `a` and `b`, in chars, not overlapping.
fn common_ends(a: &[char], b: &[char]) -> (usize, usize) {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - prefix;
    let suffix = a.iter().rev().zip(b.iter().rev()).take(room).take_while(|(x, y)| x == y).count();
    (prefix, suffix)
}

/// Where a caret belongs in `to` after moving from `from`: the end of what changed, in UTF-16
/// code units (what a text area's selection counts).
fn caret_after_change(from: &str, to: &str) -> u32 {
    let (a, b): (Vec<char>, Vec<char>) = (from.chars().collect(), to.chars().collect());
    let (_, suffix) = common_ends(&a, &b);
    b[..b.len() - suffix].iter().map(|c| c.len_utf16() as u32).sum()
}

impl History {
    /// A history whose starting point is `text` (nothing to undo).
    pub fn new(text: impl Into<String>) -> Self {
        History { current: text.into(), undo: Vec::new(), redo: Vec::new(), run: None }
    }

    /// The text as the history has it now.
    pub fn text(&self) -> &str {
        &self.current
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Records the text after the learner typed, deleted or pasted, at `at_ms` (any clock that
    /// only moves forward; the event's time stamp in the page). Joins the run in progress when it
    /// continues it.
    pub fn typed(&mut self, text: &str, at_ms: f64) {
        if text == self.current {
            return;
        }
        let (old, new): (Vec<char>, Vec<char>) = (self.current.chars().collect(), text.chars().collect());
        let (prefix, suffix) = common_ends(&old, &new);
        let removed = old.len() - prefix - suffix;
        let inserted = &new[prefix..new.len() - suffix];
        let kind = match (removed, inserted.len()) {
            (0, _) => Kind::Insert,
            (_, 0) => Kind::Delete,
            _ => Kind::Other,
        };
        let continues = self.run.is_some_and(|run| {
            let contiguous = match kind {
                Kind::Insert => prefix == run.end,
                // Backspace ends where the run is; Delete starts there.
                Kind::Delete => prefix + removed == run.end || prefix == run.end,
                Kind::Other => false,
            };
            run.kind == kind && contiguous && at_ms - run.at_ms < PAUSE_MS
        });
        if !continues {
            self.push_undo();
        }
        self.current = text.to_string();
        self.redo.clear();
        // A new line closes the run, so each typed line undoes on its own.
        let closes = kind == Kind::Other || inserted.contains(&'\n');
        self.run = (!closes).then_some(Run { kind, end: prefix + inserted.len(), at_ms });
    }

    /// Records a change made as one step of its own (Tab indentation, a template loaded).
    pub fn step(&mut self, text: &str) {
        if text == self.current {
            return;
        }
        self.push_undo();
        self.current = text.to_string();
        self.redo.clear();
        self.run = None;
    }

    /// Goes one step back: the text then, and where the caret belongs in it. `None` when there
    /// is nothing to undo.
    pub fn undo(&mut self) -> Option<(String, u32)> {
        let previous = self.undo.pop()?;
        let caret = caret_after_change(&self.current, &previous);
        self.redo.push(std::mem::replace(&mut self.current, previous));
        self.run = None;
        Some((self.current.clone(), caret))
    }

    /// Goes one undone step forward again.
    pub fn redo(&mut self) -> Option<(String, u32)> {
        let next = self.redo.pop()?;
        let caret = caret_after_change(&self.current, &next);
        self.undo.push(std::mem::replace(&mut self.current, next));
        self.run = None;
        Some((self.current.clone(), caret))
    }

    fn push_undo(&mut self) {
        self.undo.push(self.current.clone());
        let excess = self.undo.len().saturating_sub(MAX_STEPS);
        self.undo.drain(..excess);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Types `s` one character at a time at the end, `gap` ms apart from `start`.
    fn type_at_end(h: &mut History, s: &str, start: f64, gap: f64) {
        for (i, c) in s.chars().enumerate() {
            let text = format!("{}{c}", h.text());
            h.typed(&text, start + gap * i as f64);
        }
    }

    #[test]
    fn a_burst_of_typing_undoes_as_one_step_not_one_character() {
        let mut h = History::new("name: ");
        type_at_end(&mut h, "web", 0.0, 50.0);
        assert_eq!(h.text(), "name: web");
        assert_eq!(h.undo(), Some(("name: ".into(), 6)));
        assert!(!h.can_undo());
        assert_eq!(h.redo(), Some(("name: web".into(), 9)));
    }

    #[test]
    fn a_pause_a_new_line_or_a_jump_elsewhere_starts_a_new_step() {
        let mut h = History::new("");
        type_at_end(&mut h, "ab", 0.0, 50.0);
        type_at_end(&mut h, "cd", 5_000.0, 50.0); // after a pause
        type_at_end(&mut h, "\nef", 5_200.0, 50.0); // the new line closes the run
        h.typed("Xabcd\nef", 5_400.0); // typed at the start: not contiguous
        let mut seen = Vec::new();
        while let Some((t, _)) = h.undo() {
            seen.push(t);
        }
        // The new line ends the run it was typed in; "ef" after it is the next step.
        assert_eq!(seen, ["abcd\nef", "abcd\n", "ab", ""]);
    }

    #[test]
    fn deleting_is_its_own_run_and_backspaces_coalesce() {
        let mut h = History::new("");
        type_at_end(&mut h, "image: nginx", 0.0, 10.0);
        for (i, t) in ["image: ngin", "image: ngi", "image: ng"].iter().enumerate() {
            h.typed(t, 200.0 + i as f64);
        }
        type_at_end(&mut h, "x", 300.0, 10.0);
        assert_eq!(h.undo().unwrap().0, "image: ng");
        assert_eq!(h.undo(), Some(("image: nginx".into(), 12)));
        assert_eq!(h.undo().unwrap().0, "");
    }

    #[test]
    fn tab_edits_and_template_loads_are_steps_of_their_own() {
        let mut h = History::new("a:\n");
        type_at_end(&mut h, "b", 0.0, 10.0);
        h.step("a:\n  b"); // Tab indents the line
        type_at_end(&mut h, ": 1", 20.0, 10.0);
        h.step("kind: Pod\n"); // a template replaces everything
        assert_eq!(h.undo().unwrap().0, "a:\n  b: 1");
        assert_eq!(h.undo().unwrap().0, "a:\n  b");
        // The caret goes back to where the Tab was, not the end of the text.
        assert_eq!(h.undo(), Some(("a:\nb".into(), 3)));
        assert_eq!(h.undo().unwrap().0, "a:\n");
        assert_eq!(h.undo(), None);
    }

    #[test]
    fn a_new_edit_after_undo_forgets_what_was_undone() {
        let mut h = History::new("x");
        h.step("xy");
        h.undo();
        assert!(h.can_redo());
        h.typed("xz", 0.0);
        assert!(!h.can_redo());
        assert_eq!(h.redo(), None);
    }

    #[test]
    fn the_caret_counts_utf16_units_as_a_text_area_does() {
        let mut h = History::new("a: 🙂");
        h.step("a: 🙂b");
        // 'a', ':', ' ' and the emoji's two UTF-16 units.
        assert_eq!(h.undo(), Some(("a: 🙂".into(), 5)));
    }

    #[test]
    fn history_is_bounded() {
        let mut h = History::new("");
        for i in 0..MAX_STEPS + 50 {
            h.step(&i.to_string());
        }
        let mut n = 0;
        while h.undo().is_some() {
            n += 1;
        }
        assert_eq!(n, MAX_STEPS);
    }
}
