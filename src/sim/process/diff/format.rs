//! diff's output formats, from an edit script: GNU's normal (`2c2`, `<`, `---`, `>`),
//! unified (`@@ -1,3 +1,4 @@`, busybox's too) and context (`***************`) hunks, with
//! `\ No newline at end of file` after an incomplete last line, and the files' times.

use super::analyze::{Change, Side};
use crate::sim::time::SimTime;

/// The time GNU diff shows for a file `-N` takes as empty (it has none).
pub const EPOCH_STAMP: &str = "1970-01-01 00:00:00.000000000 +0000";

/// A file's lines, as diff reads them.
pub(super) struct Text<'a> {
    pub lines: Vec<&'a str>,
    /// The last line has no newline.
    pub incomplete: bool,
}

impl<'a> Text<'a> {
    pub fn of(s: &'a str) -> Text<'a> {
        let incomplete = !s.is_empty() && !s.ends_with('\n');
        Text { lines: s.split_terminator('\n').collect(), incomplete }
    }

    pub fn side(&self) -> Side<'_> {
        Side { lines: &self.lines, incomplete: self.incomplete }
    }

    /// Line `i` after `prefix`, with GNU's and busybox's note when it is the incomplete last.
    pub fn push(&self, out: &mut String, prefix: &str, i: usize) {
        out.push_str(prefix);
        out.push_str(self.lines[i]);
        out.push('\n');
        if self.incomplete && i + 1 == self.lines.len() {
            out.push_str("\\ No newline at end of file\n");
        }
    }
}

/// GNU's `print_normal_script`: each change as `2,3c2`, `< ` old lines, `---`, `> ` new.
pub(super) fn normal(out: &mut String, a: &Text<'_>, b: &Text<'_>, script: &[Change], skip: &[bool]) {
    let range = |first: usize, count: usize| -> String {
        // 1-based; an empty range is named by the line before it.
        match count {
            0 => first.to_string(),
            1 => (first + 1).to_string(),
            n => format!("{},{}", first + 1, first + n),
        }
    };
    for (c, &skip) in script.iter().zip(skip) {
        if skip {
            continue;
        }
        let op = match (c.deleted, c.inserted) {
            (0, _) => 'a',
            (_, 0) => 'd',
            _ => 'c',
        };
        out.push_str(&format!("{}{op}{}\n", range(c.line0, c.deleted), range(c.line1, c.inserted)));
        for i in c.line0..c.line0 + c.deleted {
            a.push(out, "< ", i);
        }
        if c.deleted > 0 && c.inserted > 0 {
            out.push_str("---\n");
        }
        for i in c.line1..c.line1 + c.inserted {
            b.push(out, "> ", i);
        }
    }
}

/// The changes grouped into hunks: a change joins the one before when fewer than
/// `2 × context + 1` unchanged lines lie between (`context` before an ignorable one);
/// hunks of ignorable changes only are left out.
fn hunks(script: &[Change], skip: &[bool], context: usize, ignorable_threshold: bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < script.len() {
        let first = k;
        loop {
            let c = &script[k];
            let Some(next) = script.get(k + 1) else { break };
            let gap = next.line0 - (c.line0 + c.deleted);
            let thresh = if ignorable_threshold && skip[k + 1] { context } else { 2 * context + 1 };
            if gap >= thresh {
                break;
            }
            k += 1;
        }
        if !skip[first..=k].iter().all(|s| *s) {
            out.push((first, k));
        }
        k += 1;
    }
    out
}

/// The lines a hunk covers in each file with its context: (first0, last0, first1, last1),
/// 0-based and inclusive (a last before its first: no lines).
fn hunk_span(
    a: &Text<'_>,
    b: &Text<'_>,
    script: &[Change],
    (first, last): (usize, usize),
    context: usize,
) -> [isize; 4] {
    let (f, l) = (&script[first], &script[last]);
    let c = context as isize;
    let first0 = (f.line0 as isize - c).max(0);
    let first1 = (f.line1 as isize - c).max(0);
    let last0 = (l.line0 as isize + l.deleted as isize - 1 + c).min(a.lines.len() as isize - 1);
    let last1 = (l.line1 as isize + l.inserted as isize - 1 + c).min(b.lines.len() as isize - 1);
    [first0, last0, first1, last1]
}

/// The `@@ -l,n +l,n @@` hunks.
pub(super) fn unified(
    out: &mut String,
    a: &Text<'_>,
    b: &Text<'_>,
    script: &[Change],
    skip: &[bool],
    context: usize,
    busybox: bool,
) {
    // 1-based; an empty range is named by the line before it, with 0 lines.
    let range = |first: isize, last: isize| -> String {
        let (ta, tb) = (first + 1, last + 1);
        if tb < ta {
            format!("{tb},0")
        } else if ta == tb {
            tb.to_string()
        } else {
            format!("{ta},{}", tb - ta + 1)
        }
    };
    for hunk in hunks(script, skip, context, !busybox) {
        let [first0, last0, first1, last1] = hunk_span(a, b, script, hunk, context);
        out.push_str(&format!("@@ -{} +{} @@\n", range(first0, last0), range(first1, last1)));
        let mut i = first0 as usize;
        for c in &script[hunk.0..=hunk.1] {
            while i < c.line0 {
                a.push(out, " ", i);
                i += 1;
            }
            for k in c.line0..c.line0 + c.deleted {
                a.push(out, "-", k);
            }
            for k in c.line1..c.line1 + c.inserted {
                b.push(out, "+", k);
            }
            i = c.line0 + c.deleted;
        }
        while i as isize <= last0 {
            a.push(out, " ", i);
            i += 1;
        }
    }
}

/// GNU's `-c` hunks: `***************`, the old lines, then the new, marked `!`, `-`, `+`.
pub(super) fn context_hunks(
    out: &mut String,
    a: &Text<'_>,
    b: &Text<'_>,
    script: &[Change],
    skip: &[bool],
    context: usize,
) {
    let range = |first: isize, last: isize| -> String {
        let (ta, tb) = (first + 1, last + 1);
        if tb <= ta {
            tb.to_string()
        } else {
            format!("{ta},{tb}")
        }
    };
    for hunk in hunks(script, skip, context, true) {
        let [first0, last0, first1, last1] = hunk_span(a, b, script, hunk, context);
        let changes = &script[hunk.0..=hunk.1];
        out.push_str("***************\n");
        out.push_str(&format!("*** {} ****\n", range(first0, last0)));
        // Each line marked by the change covering it: `!` where lines went both ways.
        let side = |out: &mut String, text: &Text<'_>, first: isize, last: isize, old: bool| {
            let mut next = changes.iter().peekable();
            for i in first.max(0) as usize..(last + 1) as usize {
                let span = |c: &Change| if old { (c.line0, c.deleted) } else { (c.line1, c.inserted) };
                while next.peek().is_some_and(|c| span(c).0 + span(c).1 <= i) {
                    next.next();
                }
                let mark = match next.peek() {
                    Some(c) if span(c).0 <= i => match (old, c.deleted > 0 && c.inserted > 0) {
                        (_, true) => "! ",
                        (true, false) => "- ",
                        (false, false) => "+ ",
                    },
                    _ => "  ",
                };
                text.push(out, mark, i);
            }
        };
        if changes.iter().any(|c| c.deleted > 0) {
            side(out, a, first0, last0, true);
        }
        out.push_str(&format!("--- {} ----\n", range(first1, last1)));
        if changes.iter().any(|c| c.inserted > 0) {
            side(out, b, first1, last1, false);
        }
    }
}

/// A file's time as GNU diff prints it (`%Y-%m-%d %H:%M:%S.%N %z`), in UTC.
// SIM: the sandbox keeps no modification time per file; `diff -u` shows the time now for
// every file, as if just written (kubectl diff's files are).
pub fn stamp(t: SimTime) -> String {
    let (y, mo, d, h, mi, s, _) = t.civil();
    let nanos = (t.as_millis() % 1000) * 1_000_000;
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}.{nanos:09} +0000")
}
