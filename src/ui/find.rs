//! Search in the editor (Ctrl+F): where a query occurs, ignoring ASCII case, and which match is
//! next or previous from the caret (wrapping at the ends). Offsets in UTF-16 code units, as a
//! text area's selection counts them. Pure text in and out, tested natively.

/// Every match of `query` in `text`, as UTF-16 `(start, end)` ranges, in order (not overlapping).
pub fn matches(text: &str, query: &str) -> Vec<(u32, u32)> {
    let needle: Vec<char> = query.chars().map(|c| c.to_ascii_lowercase()).collect();
    if needle.is_empty() {
        return Vec::new();
    }
    let hay: Vec<(u32, char)> = text
        .chars()
        .scan(0u32, |at, c| {
            let here = *at;
            *at += c.len_utf16() as u32;
            Some((here, c.to_ascii_lowercase()))
        })
        .collect();
    let units = |from: usize, to: usize| hay[from..to].iter().map(|(_, c)| c.len_utf16() as u32).sum::<u32>();
    let mut out = Vec::new();
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        if hay[i..i + needle.len()].iter().map(|(_, c)| *c).eq(needle.iter().copied()) {
            out.push((hay[i].0, hay[i].0 + units(i, i + needle.len())));
            i += needle.len();
        } else {
            i += 1;
        }
    }
    out
}

/// The match after the selection `start..end` (or before it, `backwards`), wrapping around; with
/// it, its number (1-based) and how many there are.
pub fn next(text: &str, query: &str, start: u32, end: u32, backwards: bool) -> Option<((u32, u32), usize, usize)> {
    let all = matches(text, query);
    let n = all.len();
    let index = if backwards {
        all.iter().rposition(|&(s, _)| s < start).unwrap_or(n.checked_sub(1)?)
    } else {
        // From the caret, or past the match that is selected now.
        let from = if all.contains(&(start, end)) { end } else { start };
        all.iter().position(|&(s, _)| s >= from).unwrap_or(0)
    };
    all.get(index).map(|&m| (m, index + 1, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_ignore_case_and_count_utf16_units() {
        assert_eq!(matches("Image: a\nimage: b", "image"), [(0, 5), (9, 14)]);
        assert_eq!(matches("🙂ab", "ab"), [(2, 4)]);
        assert_eq!(matches("aaa", "aa"), [(0, 2)]);
        assert!(matches("abc", "").is_empty());
    }

    #[test]
    fn next_and_previous_go_round_from_the_caret() {
        let text = "name: a\nname: b\nname: c";
        assert_eq!(next(text, "name", 0, 0, false), Some(((0, 4), 1, 3)));
        assert_eq!(next(text, "name", 0, 4, false), Some(((8, 12), 2, 3)), "past the selected match");
        assert_eq!(next(text, "name", 16, 20, false), Some(((0, 4), 1, 3)), "wraps to the first");
        assert_eq!(next(text, "name", 8, 12, true), Some(((0, 4), 1, 3)));
        assert_eq!(next(text, "name", 0, 4, true), Some(((16, 20), 3, 3)), "wraps to the last");
        assert_eq!(next(text, "nope", 0, 0, false), None);
    }
}
