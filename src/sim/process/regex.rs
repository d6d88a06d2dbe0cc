//! A small regular-expression matcher for `grep`: POSIX basic and extended syntax as busybox
//! grep takes it — `^ $ . * + ? {n,m} [a-z] [^…] ( ) |`, character classes `[[:digit:]]`,
//! escapes — by backtracking over a parsed pattern.
//!
//! Input is untrusted: patterns are bounded in size and matching in steps, so no pattern can
//! hang the page.

/// Longest pattern accepted.
const MAX_PATTERN: usize = 4_096;
/// Matching steps a line may take before the matcher gives up, besides [`STEPS_PER_CHAR`] for
/// each of its characters (so a long line gets a budget that grows with it). Giving up is
/// reported ([`GaveUp`]), never taken for "no match".
const MAX_STEPS: u64 = 200_000;
const STEPS_PER_CHAR: u64 = 16;
/// Deepest nesting of the backtracking (repeated groups recurse once per repetition; a
/// repeated single character, `.*` or `[a-z]+`, does not), so the stack stays small.
const MAX_DEPTH: u32 = 256;

/// The matcher gave up on a line: a pattern that needs more steps or nesting than it allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GaveUp;

#[derive(Debug, Clone, PartialEq)]
enum Atom {
    Char(char),
    Any,
    /// Ranges (inclusive) and whether the class is negated.
    Class(Vec<(char, char)>, bool),
    Group(Box<Alt>),
    Start,
    End,
}

#[derive(Debug, Clone, PartialEq)]
struct Piece {
    atom: Atom,
    min: u32,
    max: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
struct Alt(Vec<Vec<Piece>>);

/// A compiled pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Regex {
    alt: Alt,
    nocase: bool,
}

struct Parser<'a> {
    s: &'a [char],
    i: usize,
    extended: bool,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.i).copied()
    }

    /// Whether the pattern is at an alternation bar (`|`, or `\|` in basic syntax).
    fn at_bar(&self) -> bool {
        if self.extended {
            self.peek() == Some('|')
        } else {
            self.peek() == Some('\\') && self.s.get(self.i + 1) == Some(&'|')
        }
    }

    fn at_close(&self) -> bool {
        if self.extended {
            self.peek() == Some(')')
        } else {
            self.peek() == Some('\\') && self.s.get(self.i + 1) == Some(&')')
        }
    }

    fn alt(&mut self, depth: usize) -> Result<Alt, String> {
        if depth > 32 {
            return Err("regular expression too deeply nested".into());
        }
        let mut branches = vec![self.seq(depth)?];
        while self.at_bar() {
            self.i += if self.extended { 1 } else { 2 };
            branches.push(self.seq(depth)?);
        }
        Ok(Alt(branches))
    }

    fn seq(&mut self, depth: usize) -> Result<Vec<Piece>, String> {
        let mut pieces: Vec<Piece> = Vec::new();
        while let Some(c) = self.peek() {
            if self.at_bar() || (depth > 0 && self.at_close()) {
                break;
            }
            let atom = match c {
                '^' if pieces.is_empty() => {
                    self.i += 1;
                    Atom::Start
                }
                '$' if self.i + 1 == self.s.len() || self.s[self.i + 1..].starts_with(&['|']) => {
                    self.i += 1;
                    Atom::End
                }
                '.' => {
                    self.i += 1;
                    Atom::Any
                }
                '[' => self.class()?,
                '(' if self.extended => {
                    self.i += 1;
                    let inner = self.alt(depth + 1)?;
                    if self.peek() != Some(')') {
                        return Err("Unmatched ( or \\(".into());
                    }
                    self.i += 1;
                    Atom::Group(Box::new(inner))
                }
                '\\' => {
                    let next = self.s.get(self.i + 1).copied().ok_or("Trailing backslash")?;
                    self.i += 2;
                    match next {
                        '(' if !self.extended => {
                            let inner = self.alt(depth + 1)?;
                            if !self.at_close() {
                                return Err("Unmatched ( or \\(".into());
                            }
                            self.i += 2;
                            Atom::Group(Box::new(inner))
                        }
                        'd' => Atom::Class(vec![('0', '9')], false),
                        'w' => Atom::Class(vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')], false),
                        's' => Atom::Class(vec![(' ', ' '), ('\t', '\t')], false),
                        't' => Atom::Char('\t'),
                        other => Atom::Char(other),
                    }
                }
                '*' if pieces.is_empty() => {
                    self.i += 1;
                    Atom::Char('*')
                }
                c => {
                    self.i += 1;
                    Atom::Char(c)
                }
            };
            let (min, max) = self.repeat()?;
            pieces.push(Piece { atom, min, max });
        }
        Ok(pieces)
    }

    /// A repetition after an atom: `*`, and in extended syntax `+ ? {n,m}` (`\+ \? \{n,m\}` in basic).
    fn repeat(&mut self) -> Result<(u32, Option<u32>), String> {
        let (mut min, mut max) = (1, Some(1));
        loop {
            let c = self.peek();
            let escaped = c == Some('\\') && !self.extended;
            let op = if escaped { self.s.get(self.i + 1).copied() } else { c };
            let width = if escaped { 2 } else { 1 };
            let (m, x) = match op {
                Some('*') if !escaped => (0, None),
                Some('+') if self.extended != escaped => (1, None),
                Some('?') if self.extended != escaped => (0, Some(1)),
                Some('{') if self.extended != escaped => {
                    self.i += width;
                    let start = self.i;
                    while self.peek().is_some_and(|c| c != '}') {
                        self.i += 1;
                    }
                    let body: String = self.s[start..self.i].iter().collect();
                    let body = body.trim_end_matches('\\');
                    self.i += 1;
                    let parse = |t: &str| t.trim().parse::<u32>().map_err(|_| "Invalid contents of {}".to_string());
                    let (lo, hi) = match body.split_once(',') {
                        Some((lo, "")) => (parse(lo)?, None),
                        Some((lo, hi)) => (parse(lo)?, Some(parse(hi)?)),
                        None => (parse(body)?, Some(parse(body)?)),
                    };
                    if lo > 1_000 || hi.is_some_and(|h| h > 1_000 || h < lo) {
                        return Err("Invalid content of \\{\\}".into());
                    }
                    min = lo;
                    max = hi;
                    continue;
                }
                _ => return Ok((min, max)),
            };
            self.i += width;
            min = m.min(min);
            max = if x.is_none() || max.is_none() { None } else { max.max(x) };
        }
    }

    fn class(&mut self) -> Result<Atom, String> {
        self.i += 1;
        let negated = self.peek() == Some('^');
        if negated {
            self.i += 1;
        }
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let c = self.peek().ok_or("Unmatched [, [^, [:, [., or [=")?;
            if c == ']' && !first {
                self.i += 1;
                break;
            }
            first = false;
            if c == '[' && self.s.get(self.i + 1) == Some(&':') {
                let rest: String = self.s[self.i..].iter().take(12).collect();
                let named: &[(&str, &[(char, char)])] = &[
                    ("[:digit:]", &[('0', '9')]),
                    ("[:alpha:]", &[('a', 'z'), ('A', 'Z')]),
                    ("[:alnum:]", &[('a', 'z'), ('A', 'Z'), ('0', '9')]),
                    ("[:upper:]", &[('A', 'Z')]),
                    ("[:lower:]", &[('a', 'z')]),
                    ("[:space:]", &[(' ', ' '), ('\t', '\t'), ('\r', '\r'), ('\n', '\n')]),
                    ("[:blank:]", &[(' ', ' '), ('\t', '\t')]),
                    ("[:punct:]", &[('!', '/'), (':', '@'), ('[', '`'), ('{', '~')]),
                ];
                let Some((name, set)) = named.iter().find(|(n, _)| rest.starts_with(n)) else {
                    return Err("Invalid character class name".into());
                };
                ranges.extend_from_slice(set);
                self.i += name.chars().count();
                continue;
            }
            self.i += 1;
            if self.peek() == Some('-') && self.s.get(self.i + 1).is_some_and(|&n| n != ']') {
                let hi = self.s[self.i + 1];
                self.i += 2;
                ranges.push((c, hi));
            } else {
                ranges.push((c, c));
            }
        }
        Ok(Atom::Class(ranges, negated))
    }
}

impl Regex {
    /// Compiles `pattern` (extended syntax with `extended`, as `grep -E`).
    pub fn new(pattern: &str, extended: bool, nocase: bool) -> Result<Regex, String> {
        if pattern.len() > MAX_PATTERN {
            return Err("regular expression too big".into());
        }
        let chars: Vec<char> = pattern.chars().collect();
        let mut p = Parser { s: &chars, i: 0, extended };
        let alt = p.alt(0)?;
        if p.i < chars.len() {
            return Err("Unmatched ) or \\)".into());
        }
        Ok(Regex { alt, nocase })
    }

    /// A fixed string (`grep -F`).
    pub fn literal(text: &str, nocase: bool) -> Regex {
        let pieces = text.chars().map(|c| Piece { atom: Atom::Char(c), min: 1, max: Some(1) }).collect();
        Regex { alt: Alt(vec![pieces]), nocase }
    }

    /// The first match in `line`: its start and end (char indices); `None` also when the
    /// matcher gave up (see [`Regex::try_find`], which tells the two apart).
    pub fn find(&self, line: &str) -> Option<(usize, usize)> {
        self.try_find(line).ok().flatten()
    }

    /// The first match in `line` (char indices), or [`GaveUp`] when the pattern needs more
    /// work on this line than the matcher allows. The whole line is matched, however long.
    pub fn try_find(&self, line: &str) -> Result<Option<(usize, usize)>, GaveUp> {
        let text: Vec<char> = line
            .chars()
            .flat_map(|c| if self.nocase { c.to_lowercase().collect::<Vec<_>>() } else { vec![c] })
            .collect();
        let budget = MAX_STEPS + STEPS_PER_CHAR * text.len() as u64;
        let mut steps = 0;
        for start in 0..=text.len() {
            let mut m = Matcher { text: &text, steps: &mut steps, budget, depth: 0, nocase: self.nocase };
            if let Some(end) = m.alt(&self.alt, start, &mut |_, end| Some(end)) {
                return Ok(Some((start, end)));
            }
            if steps > budget {
                return Err(GaveUp);
            }
        }
        Ok(None)
    }

    pub fn is_match(&self, line: &str) -> bool {
        self.find(line).is_some()
    }

    /// `line` as [`Regex::find_from`] reads it: its chars, lowercased for a case-blind pattern
    /// (a char whose lowercase is several stays as it is, so indices match `line`'s chars).
    pub fn chars_of(&self, line: &str) -> Vec<char> {
        line.chars()
            .map(|c| {
                let mut low = c.to_lowercase();
                match (self.nocase, low.next(), low.next()) {
                    (true, Some(l), None) => l,
                    _ => c,
                }
            })
            .collect()
    }

    /// The first match in `text` (from [`Regex::chars_of`]) that starts at or after `from`:
    /// for a caller that walks a line match by match (awk's `split`, `gsub`) without copying
    /// the rest of the line each time. `^` matches only at the line's start.
    pub fn find_from(&self, text: &[char], from: usize) -> Option<(usize, usize)> {
        let budget = MAX_STEPS + STEPS_PER_CHAR * text.len().saturating_sub(from) as u64;
        let mut steps = 0;
        for start in from..=text.len() {
            let mut m = Matcher { text, steps: &mut steps, budget, depth: 0, nocase: self.nocase };
            if let Some(end) = m.alt(&self.alt, start, &mut |_, end| Some(end)) {
                return Some((start, end));
            }
            if steps > budget {
                return None;
            }
        }
        None
    }
}

/// What to match after a piece: given where it ended, the end of the whole match, if any.
type Cont<'k, 'a> = &'k mut dyn FnMut(&mut Matcher<'a>, usize) -> Option<usize>;

struct Matcher<'a> {
    text: &'a [char],
    steps: &'a mut u64,
    budget: u64,
    depth: u32,
    nocase: bool,
}

impl<'a> Matcher<'a> {
    /// One step; false (and the budget marked spent, so the caller reports it) when the
    /// steps or the nesting are used up.
    fn tick(&mut self) -> bool {
        *self.steps += 1;
        if self.depth > MAX_DEPTH {
            *self.steps = self.budget + 1;
        }
        *self.steps <= self.budget
    }

    /// Whether a single-character atom matches the character at `pos`.
    fn one_char(&self, atom: &Atom, pos: usize) -> bool {
        let Some(h) = self.text.get(pos).copied() else { return false };
        match atom {
            Atom::Any => true,
            Atom::Char(c) => h == if self.nocase { c.to_lowercase().next().unwrap_or(*c) } else { *c },
            Atom::Class(ranges, negated) => {
                let hit = ranges.iter().any(|(lo, hi)| {
                    (*lo..=*hi).contains(&h)
                        || (self.nocase && h.to_uppercase().next().is_some_and(|u| (*lo..=*hi).contains(&u)))
                });
                hit != *negated
            }
            Atom::Group(_) | Atom::Start | Atom::End => false,
        }
    }

    fn alt(&mut self, alt: &Alt, pos: usize, k: Cont<'_, 'a>) -> Option<usize> {
        for branch in &alt.0 {
            if let Some(end) = self.seq(branch, 0, pos, k) {
                return Some(end);
            }
        }
        None
    }

    fn seq(&mut self, pieces: &[Piece], i: usize, pos: usize, k: Cont<'_, 'a>) -> Option<usize> {
        if !self.tick() {
            return None;
        }
        match pieces.get(i) {
            None => k(self, pos),
            Some(piece) => self.repeat(pieces, i, piece, 0, pos, k),
        }
    }

    /// `piece` matched `count` times so far: greedily once more, else the rest of `pieces`.
    fn repeat(
        &mut self,
        pieces: &[Piece],
        i: usize,
        piece: &Piece,
        count: u32,
        pos: usize,
        k: Cont<'_, 'a>,
    ) -> Option<usize> {
        if !self.tick() {
            return None;
        }
        if count == 0 && matches!(piece.atom, Atom::Any | Atom::Char(_) | Atom::Class(..)) {
            // A repeated single character: the longest run, found in a loop, then shorter
            // ones (greedy, as the recursion below would), without a frame per character.
            let most = piece.max.map_or(usize::MAX, |m| m as usize);
            let mut run = 0;
            while run < most && self.one_char(&piece.atom, pos + run) {
                run += 1;
                if !self.tick() {
                    return None;
                }
            }
            let least = piece.min as usize;
            if run < least {
                return None;
            }
            for n in (least..=run).rev() {
                if let Some(end) = self.seq(pieces, i + 1, pos + n, k) {
                    return Some(end);
                }
                if *self.steps > self.budget {
                    return None;
                }
            }
            return None;
        }
        if piece.max.is_none_or(|m| count < m) {
            self.depth += 1;
            let found = self.atom(&piece.atom, pos, &mut |m: &mut Matcher<'a>, next| {
                if next == pos {
                    // An empty match (`^`, `$`, an empty group) counts once and moves on.
                    return if count + 1 >= piece.min { m.seq(pieces, i + 1, next, k) } else { None };
                }
                m.repeat(pieces, i, piece, count + 1, next, k)
            });
            self.depth -= 1;
            if found.is_some() {
                return found;
            }
        }
        if count >= piece.min {
            return self.seq(pieces, i + 1, pos, k);
        }
        None
    }

    /// Matches one atom at `pos`, then the continuation.
    fn atom(&mut self, atom: &Atom, pos: usize, k: Cont<'_, 'a>) -> Option<usize> {
        let here = self.text.get(pos).copied();
        let one = |ok: bool| if ok { Some(pos + 1) } else { None };
        let end = match atom {
            Atom::Start => (pos == 0).then_some(pos),
            Atom::End => (pos == self.text.len()).then_some(pos),
            Atom::Any => one(here.is_some()),
            Atom::Char(c) => {
                let c = if self.nocase { c.to_lowercase().next().unwrap_or(*c) } else { *c };
                one(here == Some(c))
            }
            Atom::Class(ranges, negated) => one(here.is_some_and(|h| {
                let hit = ranges.iter().any(|(lo, hi)| {
                    (*lo..=*hi).contains(&h)
                        || (self.nocase && h.to_uppercase().next().is_some_and(|u| (*lo..=*hi).contains(&u)))
                });
                hit != *negated
            })),
            Atom::Group(inner) => return self.alt(inner, pos, k),
        };
        end.and_then(|e| k(self, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, ext: bool, s: &str) -> bool {
        Regex::new(p, ext, false).unwrap().is_match(s)
    }

    #[test]
    fn basic_and_extended_syntax_match_as_grep_does() {
        assert!(m("^data:", false, "data:"));
        assert!(!m("^data:", false, " data:"));
        assert!(m("Reason|Exit Code", true, "    Exit Code:    1"));
        assert!(!m("Reason|Exit Code", false, "    Exit Code:    1"), "| is literal in basic syntax");
        assert!(m("Reason\\|Exit", false, "Exit"));
        assert!(m("web-[a-z0-9]+-[a-z0-9]{5}$", true, "web-7b4859b4b6-69kwh"));
        assert!(m("^[[:digit:]]\\{2\\}x", false, "42x"));
        assert!(m("a.c", false, "abc") && !m("a.c", false, "ac"));
        assert!(m("(ab)*c$", true, "ababc"));
        assert!(m("colou?r", true, "color") && m("colou?r", true, "colour"));
        assert!(Regex::new("RUNNING", false, true).unwrap().is_match("Running"));
        assert_eq!(Regex::new("o+", true, false).unwrap().find("foo bar"), Some((1, 3)));
    }

    #[test]
    fn bad_and_hostile_patterns_are_errors_or_bounded() {
        assert!(Regex::new("[abc", false, false).is_err());
        assert!(Regex::new("(a", true, false).is_err());
        let evil = Regex::new("(a*)*b", true, false).unwrap();
        assert_eq!(evil.try_find(&"a".repeat(40)), Err(GaveUp), "gives up, and says so, instead of hanging");
    }

    #[test]
    fn long_lines_match_whole() {
        let long = format!("{}needle{}", "x".repeat(10_000), "y".repeat(300_000));
        assert_eq!(Regex::new("needle", false, false).unwrap().try_find(&long), Ok(Some((10_000, 10_006))));
        assert_eq!(Regex::new("x.*needle.*y$", false, false).unwrap().try_find(&long), Ok(Some((0, long.len()))));
        assert_eq!(Regex::new("^y", false, false).unwrap().try_find(&long), Ok(None));
        assert_eq!(Regex::new("x\\{3\\}n", false, false).unwrap().try_find(&long), Ok(Some((9_997, 10_001))));
        // A repeated group recurses per repetition: bounded, and reported when the bound is hit.
        assert_eq!(Regex::new("(xx)*n", true, false).unwrap().try_find(&long), Err(GaveUp));
        assert_eq!(Regex::new("(ab)+c", true, false).unwrap().find("zzababc"), Some((2, 7)));
    }
}
