//! Bash's brace expansion (`{a,b}`, `{1..5}`, `{01..10..3}`, `{a..e}`), done on a word's
//! unquoted text before any other expansion, as bash does. Busybox's `sh` has none.

use super::parser::{Part, Word};

/// The most words one word may become; bash has no limit, the sandbox does.
pub const MAX_BRACE_WORDS: usize = 100_000;

/// Whether `w` has a `{` where brace expansion looks (most words have none: no work for them).
pub fn may_expand(w: &Word) -> bool {
    w.iter().any(|p| matches!(p, Part::Lit(text, false) if text.contains('{')))
}

/// The most characters the words one word becomes may hold in all (`{1..50000}` before a
/// long text would make gigabytes); bash has no limit, the sandbox does.
pub const MAX_BRACE_BYTES: usize = 16 << 20;

/// `w` with its braces expanded, left to right; the sandbox limit it would pass, as words
/// for an error, if it would make more than [`MAX_BRACE_WORDS`] or [`MAX_BRACE_BYTES`].
pub fn expand(w: &Word) -> Result<Vec<Word>, String> {
    let mut out = Out { words: Vec::new(), size: 0 };
    expand_into(tokens(w), &mut out)?;
    Ok(out.words.iter().map(|t| word(w, t)).collect())
}

/// A word as brace expansion sees it: each unquoted literal character on its own, and every
/// other part (quoted text, `$x`, `$(…)`, `$((…))`) whole, by its index in the word, copied
/// into each word it lands in (bash expands braces on the raw text, so `{$a,2}` is `$a 2`
/// before `$a` is expanded).
#[derive(Clone, Copy)]
enum Tok {
    Ch(char),
    Part(u32),
}

fn tokens(w: &Word) -> Vec<Tok> {
    let mut out = Vec::new();
    for (i, part) in w.iter().enumerate() {
        match part {
            Part::Lit(text, false) => out.extend(text.chars().map(Tok::Ch)),
            _ => out.push(Tok::Part(i as u32)),
        }
    }
    out
}

/// Tokens back into a word of `w`'s parts: runs of characters become one unquoted literal.
fn word(w: &Word, toks: &[Tok]) -> Word {
    let mut out: Word = Vec::new();
    for t in toks {
        match *t {
            Tok::Ch(c) => match out.last_mut() {
                Some(Part::Lit(text, false)) => text.push(c),
                _ => out.push(Part::Lit(c.to_string(), false)),
            },
            Tok::Part(i) => out.push(w[i as usize].clone()),
        }
    }
    out
}

fn is(t: &Tok, c: char) -> bool {
    matches!(t, Tok::Ch(x) if *x == c)
}

/// The words made so far, and their size in tokens.
struct Out {
    words: Vec<Vec<Tok>>,
    size: usize,
}

/// Expands `toks` into `out`, left to right, with a stack of words still to look at rather
/// than recursion (`{a,{b,{c,…}}}` may nest thousands deep).
fn expand_into(toks: Vec<Tok>, out: &mut Out) -> Result<(), String> {
    let mut pending = toks.len();
    let mut todo = vec![toks];
    while let Some(toks) = todo.pop() {
        pending -= toks.len();
        let Some((open, close, alternatives)) = first_brace(&toks) else {
            out.size += toks.len();
            out.words.push(toks);
            if out.words.len() > MAX_BRACE_WORDS {
                return Err(format!("more than {MAX_BRACE_WORDS} words"));
            }
            if out.size > MAX_BRACE_BYTES {
                return Err(format!("more than {} MiB of words", MAX_BRACE_BYTES >> 20));
            }
            continue;
        };
        // Pushed last first, so the first alternative comes out first. What was put back
        // may hold more braces (`{a,b}{1,2}`, `{a,{b,c}}`).
        for alt in alternatives.into_iter().rev() {
            let mut next = Vec::with_capacity(toks.len());
            next.extend_from_slice(&toks[..open]);
            next.extend(alt);
            next.extend_from_slice(&toks[close + 1..]);
            pending += next.len();
            todo.push(next);
            // Words waiting count too: they are made before they are looked at.
            if out.words.len() + todo.len() > MAX_BRACE_WORDS {
                return Err(format!("more than {MAX_BRACE_WORDS} words"));
            }
            if out.size + pending > MAX_BRACE_BYTES {
                return Err(format!("more than {} MiB of words", MAX_BRACE_BYTES >> 20));
            }
        }
    }
    Ok(())
}

/// The longest `x..y..z` a sequence can be (three 64-bit numbers): longer is not one.
const MAX_SEQUENCE_TEXT: usize = 3 * 20 + 4;

/// The first `{…}` that expands: where it opens and closes, and the words it becomes. One
/// pass pairs every brace and notes which pairs hold a comma of their own, so a word of
/// thousands of braces costs no more than its length.
fn first_brace(toks: &[Tok]) -> Option<(usize, usize, Vec<Vec<Tok>>)> {
    let mut pairs: Vec<(usize, usize, bool)> = Vec::new();
    let mut stack: Vec<(usize, bool)> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if is(t, '{') {
            stack.push((i, false));
        } else if is(t, '}') {
            if let Some((open, comma)) = stack.pop() {
                pairs.push((open, i, comma));
            }
        } else if is(t, ',') {
            if let Some(top) = stack.last_mut() {
                top.1 = true;
            }
        }
    }
    // A `{` with no `}` of its own is text; the pairs are tried in the order they open.
    pairs.sort_unstable_by_key(|p| p.0);
    for (open, close, comma) in pairs {
        if open > 0 && is(&toks[open - 1], '$') {
            continue;
        }
        let inner = &toks[open + 1..close];
        if comma {
            return Some((open, close, alternatives(inner)));
        }
        if inner.len() > MAX_SEQUENCE_TEXT {
            continue;
        }
        let text: Option<String> = inner.iter().map(|t| if let Tok::Ch(c) = t { Some(*c) } else { None }).collect();
        if let Some(words) = text.as_deref().and_then(sequence) {
            return Some((open, close, words.into_iter().map(|w| w.chars().map(Tok::Ch).collect()).collect()));
        }
    }
    None
}

/// `a,b,{c,d}` split at its top-level commas (the caller knows it has one).
fn alternatives(inner: &[Tok]) -> Vec<Vec<Tok>> {
    let mut words = vec![Vec::new()];
    let mut depth = 0usize;
    for t in inner {
        if is(t, '{') {
            depth += 1;
        } else if is(t, '}') {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && is(t, ',') {
            words.push(Vec::new());
            continue;
        }
        words.last_mut().expect("never empty").push(*t);
    }
    words
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
    fn braces_around_parameters_and_quotes_copy_them_whole() {
        let var = Part::Var("a".into(), super::super::parser::VarOp::Plain, None, false);
        // {$a,2}: the parameter is copied into the first word, expanded later.
        let w = vec![Part::Lit("{".into(), false), var.clone(), Part::Lit(",2}".into(), false)];
        assert_eq!(expand(&w).unwrap(), vec![vec![var.clone()], vec![Part::Lit("2".into(), false)]]);
        // {"a,b",c}: the quoted comma does not split.
        let q = Part::Lit("a,b".into(), true);
        let w = vec![Part::Lit("{".into(), false), q.clone(), Part::Lit(",c}".into(), false)];
        assert_eq!(expand(&w).unwrap(), vec![vec![q], vec![Part::Lit("c".into(), false)]]);
        // {1..$n} is not a sequence: it stays as written.
        let w = vec![Part::Lit("{1..".into(), false), var, Part::Lit("}".into(), false)];
        assert_eq!(expand(&w).unwrap(), vec![w]);
    }

    #[test]
    fn too_many_words_is_refused_not_made() {
        assert!(expand(&vec![Part::Lit("{1..999999999}".into(), false)]).is_err());
        assert!(expand(&vec![Part::Lit("{1..100}{1..100}{1..100}".into(), false)]).is_err());
        let long = format!("{{1..50000}}{}", "x".repeat(1 << 10));
        assert_eq!(expand(&vec![Part::Lit(long, false)]).unwrap_err(), "more than 16 MiB of words");
        // Thousands of braces that expand to nothing cost their length, not its square.
        let nested = format!("{}a{}", "{".repeat(100_000), "}".repeat(100_000));
        assert_eq!(expand(&vec![Part::Lit(nested.clone(), false)]).unwrap(), vec![vec![Part::Lit(nested, false)]]);
    }
}
