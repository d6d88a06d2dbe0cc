//! A work and output budget for kubectl's template engines (JSONPath here, Go templates
//! beside it): whatever a template asks, it does at most so many steps and prints at most so
//! many bytes, and says so when it stops.

/// The steps one template may take (values visited, nodes executed) by default.
pub const DEFAULT_WORK: u64 = 2_000_000;
/// The bytes one template may print by default.
pub const DEFAULT_OUTPUT: usize = 4 << 20;

/// What a template has left to spend; spending past either limit marks it exhausted, and the
/// engine stops at its next check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    work: u64,
    output: usize,
    work_left: u64,
    output_left: usize,
    exhausted: Option<Exhausted>,
}

/// Which limit a template ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exhausted {
    Work(u64),
    Output(usize),
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(DEFAULT_WORK, DEFAULT_OUTPUT)
    }
}

impl Budget {
    /// A budget of `work` steps and `output` bytes.
    pub fn new(work: u64, output: usize) -> Budget {
        Budget { work, output, work_left: work, output_left: output, exhausted: None }
    }

    /// Spends `n` steps; false (and exhausted from then on) when there were not that many left.
    pub fn spend(&mut self, n: u64) -> bool {
        if self.exhausted.is_some() {
            return false;
        }
        match self.work_left.checked_sub(n) {
            Some(left) => {
                self.work_left = left;
                true
            }
            None => {
                self.work_left = 0;
                self.exhausted = Some(Exhausted::Work(self.work));
                false
            }
        }
    }

    /// Appends `text` to `out` if it fits what may still be printed; otherwise appends what
    /// fits (cut at a character boundary), marks the budget exhausted and returns false.
    pub fn write(&mut self, out: &mut String, text: &str) -> bool {
        if self.exhausted.is_some() {
            return false;
        }
        if text.len() <= self.output_left {
            self.output_left -= text.len();
            out.push_str(text);
            return true;
        }
        let mut cut = self.output_left;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&text[..cut]);
        self.output_left = 0;
        self.exhausted = Some(Exhausted::Output(self.output));
        false
    }

    /// Whether a limit was reached.
    pub fn exhausted(&self) -> Option<Exhausted> {
        self.exhausted
    }

    /// The sentence for the limit reached, if any (after the engine's name, such as
    /// `error: jsonpath: `).
    // SIM: kubectl has no such limits; the page would run out of memory instead.
    pub fn message(&self) -> Option<String> {
        self.exhausted.map(|e| match e {
            Exhausted::Work(n) => format!("the template stopped after {n} steps, the most the sandbox allows"),
            Exhausted::Output(n) => format!("the template's output stopped at {n} bytes, the most the sandbox allows"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spending_past_the_work_limit_exhausts_the_budget_for_good() {
        let mut b = Budget::new(10, 100);
        assert!(b.spend(10));
        assert!(!b.spend(1));
        assert!(!b.spend(0), "once exhausted, nothing more is done");
        assert!(b.message().is_some_and(|m| m.contains("steps")));
    }

    #[test]
    fn output_past_the_limit_is_cut_at_a_character_boundary() {
        let mut b = Budget::new(10, 5);
        let mut out = String::new();
        assert!(b.write(&mut out, "abc"));
        assert!(!b.write(&mut out, "d한e"));
        assert_eq!(out, "abcd");
        assert_eq!(b.exhausted(), Some(Exhausted::Output(5)));
    }
}
