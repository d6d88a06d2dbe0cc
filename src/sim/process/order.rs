//! The order in which a command wrote to its stdout and stderr, kept beside the two texts so
//! that a terminal shows them interleaved as written (kubectl's warnings before its output),
//! while a pipe or a redirection still takes one stream alone.

use super::Stream;

/// Runs of a command's output in the order they were written: each names a stream and how many
/// bytes of it follow the runs before it on that stream. What a text holds past its runs was
/// written later in no known order, and is shown after them: stdout's, then stderr's.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Order(Vec<(Stream, usize)>);

impl Order {
    /// `len` more bytes were written to `stream`.
    pub fn note(&mut self, stream: Stream, len: usize) {
        if len == 0 {
            return;
        }
        match self.0.last_mut() {
            Some((s, n)) if *s == stream => *n += len,
            _ => self.0.push((stream, len)),
        }
    }

    /// `len` bytes were put at the start of `stream`, before anything else was written.
    pub fn note_first(&mut self, stream: Stream, len: usize) {
        if len == 0 {
            return;
        }
        match self.0.first_mut() {
            Some((s, n)) if *s == stream => *n += len,
            _ => self.0.insert(0, (stream, len)),
        }
    }

    /// Takes what `out` and `err` hold past the runs as written by now (stdout's first), so
    /// that what is noted next comes after it.
    pub fn settle(&mut self, out: &str, err: &str) {
        let noted = |stream| self.0.iter().filter(|(s, _)| *s == stream).map(|(_, n)| n).sum::<usize>();
        let (o, e) = (noted(Stream::Stdout), noted(Stream::Stderr));
        self.note(Stream::Stdout, out.len().saturating_sub(o));
        self.note(Stream::Stderr, err.len().saturating_sub(e));
    }

    /// `out` and `err` cut into the runs they were written in, in that order. Every byte of both
    /// is in exactly one run, whatever was done to the texts since (a run longer than what is
    /// left of its text is cut short).
    pub fn runs<'a>(&self, out: &'a str, err: &'a str) -> Vec<(Stream, &'a str)> {
        let mut at = [0usize, 0];
        let mut spans: Vec<(Stream, usize, usize)> = Vec::new();
        let text = |s: Stream| if s == Stream::Stdout { out } else { err };
        let tail = [(Stream::Stdout, usize::MAX), (Stream::Stderr, usize::MAX)];
        for &(s, n) in self.0.iter().chain(tail.iter()) {
            let (t, i) = (text(s), s as usize);
            let mut end = at[i].saturating_add(n).min(t.len());
            while !t.is_char_boundary(end) {
                end -= 1;
            }
            if end > at[i] {
                match spans.last_mut() {
                    Some((last, _, e)) if *last == s => *e = end,
                    _ => spans.push((s, at[i], end)),
                }
                at[i] = end;
            }
        }
        spans.into_iter().map(|(s, a, b)| (s, &text(s)[a..b])).collect()
    }

    /// Both texts as a terminal shows them: interleaved as written.
    pub fn merged(&self, out: &str, err: &str) -> String {
        self.runs(out, err).into_iter().map(|(_, t)| t).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unnoted_output_shows_stdout_then_stderr() {
        assert_eq!(Order::default().merged("out\n", "err\n"), "out\nerr\n");
    }

    #[test]
    fn runs_follow_the_writes() {
        let mut o = Order::default();
        o.note(Stream::Stderr, 2);
        o.note(Stream::Stdout, 2);
        o.note(Stream::Stderr, 2);
        o.note(Stream::Stdout, 2);
        assert_eq!(
            o.runs("a\nb\n", "W\nX\n"),
            vec![(Stream::Stderr, "W\n"), (Stream::Stdout, "a\n"), (Stream::Stderr, "X\n"), (Stream::Stdout, "b\n")]
        );
    }

    #[test]
    fn first_and_settled_writes() {
        let mut o = Order::default();
        o.settle("cordoned\n", "");
        o.note(Stream::Stderr, "Warning\n".len());
        o.note_first(Stream::Stderr, "W0\n".len());
        assert_eq!(o.merged("cordoned\nevicting\n", "W0\nWarning\nlate\n"), "W0\ncordoned\nWarning\nevicting\nlate\n");
    }

    #[test]
    fn texts_changed_since_lose_nothing() {
        let mut o = Order::default();
        o.note(Stream::Stdout, 1);
        o.note(Stream::Stderr, 4);
        // A run ending inside a character, or past its text: every byte still shows once.
        assert_eq!(o.merged("é", "err\nmore\n"), "err\némore\n");
        assert_eq!(o.merged("", "e"), "e");
        assert_eq!(o.merged("", ""), "");
    }
}
