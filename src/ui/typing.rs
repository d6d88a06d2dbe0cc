//! What a key does in the editor beyond inserting itself: Enter keeps the line's indentation
//! (one step more after `key:` or a block scalar's `|`/`>`, and inside a list item), opening
//! brackets and quotes get their closing one, typing a closing one steps over it, Backspace
//! between an empty pair removes both. Offsets in UTF-16 code units, as a text area's selection
//! counts them. Pure text in and out, tested natively.

use super::indent::{byte_at, units, STEP};

/// An edit: the new text and the selection after it.
pub type Edit = (String, u32, u32);

fn replace(text: &str, s: usize, e: usize, with: &str, caret_in_with: usize) -> Edit {
    let new = format!("{}{with}{}", &text[..s], &text[e..]);
    let caret = units(&text[..s]) + units(&with[..caret_in_with]);
    (new, caret, caret)
}

/// Enter over `start..end`: a new line indented as YAML goes on.
pub fn newline(text: &str, start: u32, end: u32) -> Edit {
    let (s, e) = (byte_at(text, start.min(end)), byte_at(text, start.max(end)));
    let line_start = text[..s].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..s];
    let trimmed = before.trim_start_matches(' ');
    let mut indent = before.len() - trimmed.len();
    // `- name: web` goes on with the item's next field, under `name`.
    let mut item = trimmed;
    while let Some(rest) = item.strip_prefix("- ") {
        indent += 2;
        item = rest;
    }
    let code = item.split(" #").next().unwrap_or("").trim_end();
    if code.ends_with(':')
        || code.ends_with(": |")
        || code.ends_with(": >")
        || code.ends_with(": |-")
        || code.ends_with(": >-")
    {
        indent += STEP.len();
    }
    let with = format!("\n{}", " ".repeat(indent));
    replace(text, s, e, &with, with.len())
}

/// The closing character of an opening one.
fn closing(c: char) -> Option<char> {
    match c {
        '[' => Some(']'),
        '{' => Some('}'),
        '(' => Some(')'),
        '"' => Some('"'),
        '\'' => Some('\''),
        _ => None,
    }
}

/// Typing `c` over `start..end`, when it is more than inserting `c`: a selection is wrapped in a
/// pair; an opening character gets its closing one where nothing follows on the line but
/// space or a closing bracket (a quote only where a word does not end just before it, so `it's`
/// stays); a closing character already next to the caret is stepped over.
pub fn typed(text: &str, start: u32, end: u32, c: char) -> Option<Edit> {
    let (s, e) = (byte_at(text, start.min(end)), byte_at(text, start.max(end)));
    let next = text[e..].chars().next();
    let prev = text[..s].chars().next_back();
    if s == e && next == Some(c) && matches!(c, ']' | '}' | ')' | '"' | '\'') {
        let caret = units(&text[..e]) + 1;
        return Some((text.to_string(), caret, caret));
    }
    let close = closing(c)?;
    if s != e {
        let inner = &text[s..e];
        let new = format!("{}{c}{inner}{close}{}", &text[..s], &text[e..]);
        let from = units(&text[..s]) + 1;
        return Some((new, from, from + units(inner)));
    }
    let free_after = next.is_none_or(|n| n.is_whitespace() || matches!(n, ']' | '}' | ')' | ','));
    let quote = c == '"' || c == '\'';
    if !free_after || (quote && prev.is_some_and(|p| p.is_alphanumeric() || p == c)) {
        return None;
    }
    Some(replace(text, s, e, &format!("{c}{close}"), 1))
}

/// Backspace at a caret between an empty pair (`[|]`, `"|"`): both go.
pub fn backspace(text: &str, start: u32, end: u32) -> Option<Edit> {
    if start != end {
        return None;
    }
    let at = byte_at(text, start);
    let prev = text[..at].chars().next_back()?;
    let next = text[at..].chars().next()?;
    (closing(prev) == Some(next)).then(|| replace(text, at - prev.len_utf8(), at + next.len_utf8(), "", 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enter_keeps_the_indentation_and_adds_a_step_after_a_key_that_opens_a_block() {
        assert_eq!(newline("spec:", 5, 5), ("spec:\n  ".into(), 8, 8));
        assert_eq!(newline("  replicas: 3", 13, 13), ("  replicas: 3\n  ".into(), 16, 16));
        assert_eq!(newline("  script: |", 11, 11).0, "  script: |\n    ");
        assert_eq!(newline("spec: # the spec", 16, 16).0, "spec: # the spec\n  ");
    }

    #[test]
    fn enter_in_a_list_item_goes_on_with_its_fields() {
        assert_eq!(newline("      - name: web", 17, 17).0, "      - name: web\n        ");
        assert_eq!(newline("  - env:", 8, 8).0, "  - env:\n      ");
    }

    #[test]
    fn enter_replaces_a_selection_and_splits_a_line_at_the_caret() {
        assert_eq!(newline("a: b", 2, 4), ("a:\n  ".into(), 5, 5));
        assert_eq!(newline("  ab", 3, 3), ("  a\n  b".into(), 6, 6));
    }

    #[test]
    fn brackets_and_quotes_come_in_pairs_and_closing_ones_are_stepped_over() {
        assert_eq!(typed("command: ", 9, 9, '['), Some(("command: []".into(), 10, 10)));
        assert_eq!(typed("command: []", 10, 10, ']'), Some(("command: []".into(), 11, 11)));
        assert_eq!(typed("x: ", 3, 3, '"'), Some(("x: \"\"".into(), 4, 4)));
        assert_eq!(typed("x: \"\"", 4, 4, '"'), Some(("x: \"\"".into(), 5, 5)));
        assert_eq!(typed("echo it", 7, 7, '\''), None, "an apostrophe stays one");
        assert_eq!(typed("x: abc", 3, 3, '['), None, "not before a word");
        assert_eq!(typed("x: abc", 3, 6, '"'), Some(("x: \"abc\"".into(), 4, 7)), "a selection is wrapped");
        assert_eq!(typed("x", 1, 1, 'a'), None);
    }

    #[test]
    fn backspace_between_an_empty_pair_removes_both() {
        assert_eq!(backspace("a: []", 4, 4), Some(("a: ".into(), 3, 3)));
        assert_eq!(backspace("a: [x]", 5, 5), None);
        assert_eq!(backspace("", 0, 0), None);
    }
}
