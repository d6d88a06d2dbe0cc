//! Bash's brace expansion (`{a,b}`, `{1..5}`, `{01..10..3}`, `{a..e}`), done on a word's
//! unquoted text before any other expansion, as bash does. Busybox's `sh` has none.

use super::parser::{Part, Word};

/// The most words one word may become; bash has no limit, the sandbox does.
pub const MAX_BRACE_WORDS: usize = 100_000;

/// Whether `w` has a `{` where brace expansion looks (most words have none: no work for them).
pub fn may_expand(w: &Word) -> bool {
    w.iter().any(|p| matches!(p, Part::Lit(text, false) if text.contains('{')))
}

/// `w` with its braces expanded, left to right; `None` if it would pass [`MAX_BRACE_WORDS`].
pub fn expand(w: &Word) -> Option<Vec<Word>> {
    let mut out = Vec::new();
    expand_into(w.clone(), &mut out)?;
    Some(out)
}

fn expand_into(w: Word, out: &mut Vec<Word>) -> Option<()> {
    let Some((index, open, close, alternatives)) = first_brace(&w) else {
        out.push(w);
        return (out.len() <= MAX_BRACE_WORDS).then_some(());
    };
    let Part::Lit(text, _) = &w[index] else { unreachable!("first_brace points at a literal") };
    let (before, after) = (&text[..open], &text[close + 1..]);
    for alt in alternatives {
        let mut word: Word = w[..index].to_vec();
        word.push(Part::Lit(format!("{before}{alt}{after}"), false));
        word.extend_from_slice(&w[index + 1..]);
        // The text put back may hold more braces (`{a,b}{1,2}`, `{a,{b,c}}`).
        expand_into(word, out)?;
        if out.len() > MAX_BRACE_WORDS {
            return None;
        }
    }
    Some(())
}

/// The first `{…}` in an unquoted literal that expands: its part, byte offsets, and the words.
fn first_brace(w: &Word) -> Option<(usize, usize, usize, Vec<String>)> {
    for (index, part) in w.iter().enumerate() {
        let Part::Lit(text, false) = part else { continue };
        let bytes = text.as_bytes();
        for open in 0..bytes.len() {
            if bytes[open] != b'{' || (open > 0 && bytes[open - 1] == b'$') {
                continue;
            }
            let Some(close) = matching(text, open) else { continue };
            let inner = &text[open + 1..close];
            if let Some(words) = alternatives(inner).or_else(|| sequence(inner)) {
                return Some((index, open, close, words));
            }
        }
    }
    None
}

/// The `}` that closes the `{` at `open`.
fn matching(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in text.char_indices().skip_while(|(i, _)| *i < open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `a,b,{c,d}` split at its top-level commas; none (no comma) is not an expansion.
fn alternatives(inner: &str) -> Option<Vec<String>> {
    let mut words = vec![String::new()];
    let mut depth = 0;
    for c in inner.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                words.push(String::new());
                continue;
            }
            _ => {}
        }
        words.last_mut().expect("never empty").push(c);
    }
    (words.len() > 1).then_some(words)
}

/// `1..10`, `10..1..3`, `01..10` (zero-padded as the widest end), `a..e`: a sequence.
fn sequence(inner: &str) -> Option<Vec<String>> {
    let mut ends = inner.split("..");
    let (from, to) = (ends.next()?, ends.next()?);
    let step = match ends.next() {
        Some(s) => s.parse::<i64>().ok()?.checked_abs()?,
        None => 1,
    };
    if ends.next().is_some() {
        return None;
    }
    let step = step.max(1);
    if let (Ok(a), Ok(b)) = (from.parse::<i64>(), to.parse::<i64>()) {
        let count = a.abs_diff(b) / step as u64 + 1;
        if count > MAX_BRACE_WORDS as u64 {
            // Too many to make: left for the caller to refuse, as one over the limit.
            return Some(vec![String::new(); MAX_BRACE_WORDS + 1]);
        }
        let padded = |s: &str| {
            let digits = s.trim_start_matches('-');
            digits.len() > 1 && digits.starts_with('0')
        };
        let width = if padded(from) || padded(to) { from.len().max(to.len()) } else { 0 };
        let down = a > b;
        let mut n = a;
        let mut words = Vec::new();
        for _ in 0..count {
            words.push(if width > 0 {
                let sign = if n < 0 { "-" } else { "" };
                let digits = n.unsigned_abs().to_string();
                format!("{sign}{digits:0>w$}", w = width - sign.len())
            } else {
                n.to_string()
            });
            // Wrapping: the value past the last one is never used.
            n = if down { n.wrapping_sub(step) } else { n.wrapping_add(step) };
        }
        return Some(words);
    }
    let (mut a, mut b) = (from.chars(), to.chars());
    let (Some(x), None, Some(y), None) = (a.next(), a.next(), b.next(), b.next()) else { return None };
    if !x.is_ascii_alphabetic() || !y.is_ascii_alphabetic() {
        return None;
    }
    let (x, y) = (x as u8, y as u8);
    let range: Vec<u8> = if x <= y { (x..=y).collect() } else { (y..=x).rev().collect() };
    Some(range.iter().step_by(step as usize).map(|c| (*c as char).to_string()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        expand(&vec![Part::Lit(text.into(), false)])
            .unwrap()
            .into_iter()
            .map(|w| match &w[0] {
                Part::Lit(s, _) => s.clone(),
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn lists_and_sequences_expand_as_bash_does() {
        assert_eq!(words("{1..5}"), ["1", "2", "3", "4", "5"]);
        assert_eq!(words("{5..1..2}"), ["5", "3", "1"]);
        assert_eq!(words("{01..10..3}"), ["01", "04", "07", "10"]);
        assert_eq!(words("{-2..1}"), ["-2", "-1", "0", "1"]);
        assert_eq!(words("{a..e..2}"), ["a", "c", "e"]);
        assert_eq!(words("{c..a}"), ["c", "b", "a"]);
        assert_eq!(words("x{a,b}y"), ["xay", "xby"]);
        assert_eq!(words("{a,b}{1,2}"), ["a1", "a2", "b1", "b2"]);
        assert_eq!(words("{a,{b,c}}"), ["a", "b", "c"]);
        assert_eq!(words("/tmp/{,old/}f"), ["/tmp/f", "/tmp/old/f"]);
    }

    #[test]
    fn what_is_not_an_expansion_stays_as_written() {
        for text in ["{a}", "{}", "{1..a}", "{1..2..3..4}", "a{b", "}{", "{ab..cd}"] {
            assert_eq!(words(text), [text]);
        }
    }

    #[test]
    fn a_quoted_brace_is_text() {
        let w = vec![Part::Lit("{a,b}".into(), true)];
        assert_eq!(expand(&w).unwrap(), vec![w]);
    }

    #[test]
    fn too_many_words_is_refused_not_made() {
        assert!(expand(&vec![Part::Lit("{1..999999999}".into(), false)]).is_none());
        assert!(expand(&vec![Part::Lit("{1..100}{1..100}{1..100}".into(), false)]).is_none());
    }
}
