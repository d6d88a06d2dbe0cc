//! Tab and Shift+Tab in the editor: indent or outdent by YAML's usual two spaces.
//!
//! Offsets are in UTF-16 code units, as a text area's selection counts them. Pure text in and
//! out, tested natively.

/// One indentation step.
pub const STEP: &str = "  ";

/// The byte index of UTF-16 offset `units` in `text` (clamped to its end).
pub fn byte_at(text: &str, units: u32) -> usize {
    let mut seen = 0u32;
    for (i, c) in text.char_indices() {
        if seen >= units {
            return i;
        }
        seen += c.len_utf16() as u32;
    }
    text.len()
}

pub fn units(s: &str) -> u32 {
    s.encode_utf16().count() as u32
}

/// Tab (`outdent` false) or Shift+Tab (true) over the selection `start..end`: the new text and
/// selection. Tab with nothing selected inserts a step at the caret; otherwise every line the
/// selection touches moves by one step (a line with less indentation loses what it has).
pub fn apply(text: &str, start: u32, end: u32, outdent: bool) -> (String, u32, u32) {
    let (s, e) = (byte_at(text, start.min(end)), byte_at(text, start.max(end)));
    if !outdent && s == e {
        let new = format!("{}{STEP}{}", &text[..s], &text[s..]);
        let caret = units(&text[..s]) + units(STEP);
        return (new, caret, caret);
    }
    let first_line = text[..s].rfind('\n').map_or(0, |i| i + 1);
    // A selection ending at the very start of a line does not take that line along.
    let last = if e > s && text[..e].ends_with('\n') { e - 1 } else { e };
    let block_end = text[last..].find('\n').map_or(text.len(), |i| last + i);
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first_line]);
    // Each line's start (UTF-16 offset in the old text) and how many units it gained or lost.
    let mut moves: Vec<(u32, i64)> = Vec::new();
    let mut line_start = first_line;
    for (n, line) in text[first_line..block_end].split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let offset = units(&text[..line_start]);
        if outdent {
            let removed = (line.len() - line.trim_start_matches(' ').len()).min(STEP.len());
            out.push_str(&line[removed..]);
            moves.push((offset, -(removed as i64)));
        } else {
            out.push_str(STEP);
            out.push_str(line);
            moves.push((offset, units(STEP) as i64));
        }
        line_start += line.len() + 1;
    }
    out.push_str(&text[block_end..]);
    // A caret moves with the lines that start before it; one inside removed spaces lands at
    // its line's start. A caret exactly at a line's start stays, so the indentation is selected.
    let map = |caret: u32| {
        let shift: i64 = moves
            .iter()
            .filter(|(at, _)| *at < caret)
            .map(|&(at, d)| if d < 0 { d.max(-i64::from(caret - at)) } else { d })
            .sum();
        (i64::from(caret) + shift) as u32
    };
    (out, map(start.min(end)), map(start.max(end)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tab_inserts_two_spaces_at_the_caret() {
        assert_eq!(apply("a:\nb", 3, 3, false), ("a:\n  b".into(), 5, 5));
    }

    #[test]
    fn tab_and_shift_tab_move_every_selected_line() {
        let text = "spec:\ncontainers:\n- name: web\nimage: x\n";
        // From inside "containers" to inside "- name".
        let (indented, s, e) = apply(text, 8, 20, false);
        assert_eq!(indented, "spec:\n  containers:\n  - name: web\nimage: x\n");
        assert_eq!((s, e), (10, 24));
        let (back, s, e) = apply(&indented, s, e, true);
        assert_eq!(back, text);
        assert_eq!((s, e), (8, 20));
    }

    #[test]
    fn shift_tab_outdents_the_caret_line_by_at_most_one_step() {
        assert_eq!(apply("a:\n   b", 7, 7, true), ("a:\n b".into(), 5, 5));
        assert_eq!(apply("a:\n b", 5, 5, true), ("a:\nb".into(), 4, 4));
        assert_eq!(apply("a:\nb", 4, 4, true), ("a:\nb".into(), 4, 4));
    }

    #[test]
    fn a_selection_ending_at_a_line_start_leaves_that_line_alone() {
        let (t, _, _) = apply("a\nb\nc", 0, 4, false);
        assert_eq!(t, "  a\n  b\nc");
    }

    #[test]
    fn offsets_count_utf16_units() {
        // The emoji is two units; the caret after it is at 3.
        assert_eq!(apply("🙂x", 2, 2, false), ("🙂  x".into(), 4, 4));
    }
}
