//! The shell's grammar: a script's text to a syntax tree of commands and words.
//!
//! A subset of POSIX `sh`: simple commands with assignments and redirections, pipelines,
//! `&&`/`||`, `;`/`&`/newlines, `if`, `while`/`until`, `for`, `case`, `{ …; }`, `( … )`,
//! functions, quoting, `$VAR`/`${VAR…}`, `$(…)`/backticks and `$((…))`. Bounded: the text's
//! length and the nesting depth are capped, so no input makes the parser slow or deep.

use std::rc::Rc;

/// Longest script the shell accepts.
pub const MAX_SCRIPT_BYTES: usize = 128 * 1024;
/// Deepest nesting of compound commands and substitutions.
pub const MAX_DEPTH: usize = 48;

/// One part of a word.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// Text, with whether it was quoted (quoted text is never split into fields).
    Lit(String, bool),
    /// `$NAME`, `${NAME}`, `${NAME:-word}`, `${#NAME}` …: name, operator, operand, quoted.
    Var(String, VarOp, Option<Word>, bool),
    /// `$(…)` or `` `…` ``, quoted or not.
    Sub(Rc<Cmd>, bool),
    /// `$((…))`.
    Arith(String),
    /// `<(…)` (bash's process substitution): the command's output, read from a file whose
    /// name the word becomes.
    ProcSub(Rc<Cmd>),
}

/// An operator of `${NAME…}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarOp {
    Plain,
    /// `${#NAME}`
    Length,
    /// `:-` (or `-` without the colon: `colon` false)
    Default {
        colon: bool,
    },
    /// `:=`
    Assign {
        colon: bool,
    },
    /// `:+`
    Alt {
        colon: bool,
    },
    /// `:?`
    Error {
        colon: bool,
    },
    /// `#`, `##`, `%`, `%%` (prefix/suffix removal; the pattern is the operand)
    TrimPrefix {
        longest: bool,
    },
    TrimSuffix {
        longest: bool,
    },
    /// `${NAME:OFFSET}` or `${NAME:OFFSET:LENGTH}` (the operand is `OFFSET[:LENGTH]`).
    Substring,
}

/// A word: parts joined, then split into fields where unquoted.
pub type Word = Vec<Part>;

/// Where a redirection sends a file descriptor.
#[derive(Debug, Clone, PartialEq)]
pub enum Redir {
    /// `fd> file` (append with `>>`).
    Out { fd: u8, target: Word, append: bool },
    /// `fd>&fd2`
    Dup { fd: u8, to: u8 },
    /// `< file`
    In(Word),
    /// `&> file`: stdout and stderr.
    Both(Word),
    /// `<<EOF … EOF`: the here-document's text (expanded unless the delimiter was quoted).
    Here(Word),
    /// `<<< word`: a here-string (the word and a newline).
    HereString(Word),
}

/// A command.
#[derive(Debug, Clone, PartialEq)]
pub enum Cmd {
    Simple {
        assigns: Vec<(String, Word)>,
        words: Vec<Word>,
        redirs: Vec<Redir>,
    },
    /// `a | b | c`, `!` negates.
    Pipeline(Vec<Rc<Cmd>>, bool),
    And(Rc<Cmd>, Rc<Cmd>),
    Or(Rc<Cmd>, Rc<Cmd>),
    Seq(Vec<Rc<Cmd>>),
    /// `if c1; then b1; elif c2; then b2; else e; fi`
    If(Vec<(Rc<Cmd>, Rc<Cmd>)>, Option<Rc<Cmd>>),
    /// `while`/`until` (true) `cond; do body; done`
    Loop {
        until: bool,
        cond: Rc<Cmd>,
        body: Rc<Cmd>,
    },
    /// `for var in words; do body; done` (`None`: `"$@"`)
    For {
        var: String,
        words: Option<Vec<Word>>,
        body: Rc<Cmd>,
    },
    /// `case word in pat|pat) body;; esac`
    Case {
        word: Word,
        arms: Vec<(Vec<Word>, Rc<Cmd>)>,
    },
    Group(Rc<Cmd>),
    Subshell(Rc<Cmd>),
    Redirected(Rc<Cmd>, Vec<Redir>),
    Function(String, Rc<Cmd>),
}

/// Why a script does not parse; `Display` is the shell's message (after `sh: `).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("syntax error: unterminated quoted string")]
    UnterminatedQuote,
    #[error("syntax error: unexpected {0}")]
    Unexpected(String),
    #[error("syntax error: nesting too deep")]
    TooDeep,
    #[error("script too long ({0} bytes; the sandbox's shell takes at most 131072)")]
    TooLong(usize),
    #[error("syntax error: bad substitution")]
    BadSubstitution,
}

type Result<T, E = ParseError> = std::result::Result<T, E>;

/// Parses a whole script.
/// Text in which `$…` and backquotes expand and nothing else is special (the inside of
/// `$((…))`, a here-document), as one word.
pub fn parse_text(text: &str) -> Result<Word> {
    let mut p = Parser { s: text.chars().collect(), i: 0, depth: 1, peeked: None, after_here_docs: None };
    p.here_body()
}

pub fn parse(src: &str) -> Result<Rc<Cmd>> {
    if src.len() > MAX_SCRIPT_BYTES {
        return Err(ParseError::TooLong(src.len()));
    }
    parse_at(src, 0)
}

fn parse_at(src: &str, depth: usize) -> Result<Rc<Cmd>> {
    if depth > MAX_DEPTH {
        return Err(ParseError::TooDeep);
    }
    let mut p = Parser { s: src.chars().collect(), i: 0, depth, peeked: None, after_here_docs: None };
    let cmd = p.list(&[])?;
    match p.next_tok()? {
        Tok::Eof => Ok(cmd),
        t => Err(ParseError::Unexpected(t.describe())),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A word, and its text when it is a plain unquoted literal (for reserved words).
    Word(Word, Option<String>),
    Op(&'static str),
    Redir(Redir),
    Newline,
    Eof,
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Tok::Word(_, Some(w)) => format!("word \"{w}\""),
            Tok::Word(..) => "word".into(),
            Tok::Op(o) => format!("\"{o}\""),
            Tok::Redir(_) => "redirection".into(),
            Tok::Newline => "newline".into(),
            Tok::Eof => "end of file".into(),
        }
    }

    fn is_reserved(&self, w: &str) -> bool {
        matches!(self, Tok::Word(_, Some(x)) if x == w)
    }
}

struct Parser {
    s: Vec<char>,
    i: usize,
    depth: usize,
    peeked: Option<Tok>,
    /// Where the text after the current line's here-documents resumes, once the line ends.
    after_here_docs: Option<usize>,
}

const RESERVED_END: &[&str] = &["then", "elif", "else", "fi", "do", "done", "esac", "}", ";;"];

impl Parser {
    fn peek(&mut self) -> Result<&Tok> {
        if self.peeked.is_none() {
            let t = self.lex()?;
            self.peeked = Some(t);
        }
        Ok(self.peeked.as_ref().expect("just set"))
    }

    fn next_tok(&mut self) -> Result<Tok> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lex(),
        }
    }

    fn skip_newlines(&mut self) -> Result<()> {
        while matches!(self.peek()?, Tok::Newline) {
            self.next_tok()?;
        }
        Ok(())
    }

    fn expect_reserved(&mut self, w: &str) -> Result<()> {
        self.skip_newlines()?;
        let t = self.next_tok()?;
        if t.is_reserved(w) {
            Ok(())
        } else {
            Err(ParseError::Unexpected(t.describe()))
        }
    }

    fn deeper(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError::TooDeep);
        }
        Ok(())
    }

    /// A list of and-or lists separated by `;`, `&` or newlines, up to a closing word in `stop`
    /// (or `)`, or the end).
    fn list(&mut self, stop: &[&str]) -> Result<Rc<Cmd>> {
        let mut items = Vec::new();
        loop {
            self.skip_newlines()?;
            let t = self.peek()?.clone();
            match &t {
                Tok::Eof | Tok::Op(")") | Tok::Op(";;") => break,
                Tok::Word(_, Some(w)) if stop.contains(&w.as_str()) || RESERVED_END.contains(&w.as_str()) => break,
                Tok::Op(";") | Tok::Op("&") => return Err(ParseError::Unexpected(t.describe())),
                _ => {}
            }
            items.push(self.and_or()?);
            // SIM: `&` runs the command in the foreground, like `;`: a container's background
            // jobs have no one else to run them.
            match self.peek()? {
                Tok::Op(";") | Tok::Op("&") | Tok::Newline => {
                    self.next_tok()?;
                }
                _ => break,
            }
        }
        Ok(if items.len() == 1 { items.pop().expect("one item") } else { Rc::new(Cmd::Seq(items)) })
    }

    fn and_or(&mut self) -> Result<Rc<Cmd>> {
        let mut left = self.pipeline()?;
        loop {
            let op = match self.peek()? {
                Tok::Op("&&") => "&&",
                Tok::Op("||") => "||",
                _ => return Ok(left),
            };
            self.next_tok()?;
            self.skip_newlines()?;
            let right = self.pipeline()?;
            left = Rc::new(if op == "&&" { Cmd::And(left, right) } else { Cmd::Or(left, right) });
        }
    }

    fn pipeline(&mut self) -> Result<Rc<Cmd>> {
        let negate = if self.peek()?.is_reserved("!") {
            self.next_tok()?;
            true
        } else {
            false
        };
        let mut stages = vec![self.command()?];
        while matches!(self.peek()?, Tok::Op("|")) {
            self.next_tok()?;
            self.skip_newlines()?;
            stages.push(self.command()?);
        }
        Ok(if stages.len() == 1 && !negate {
            stages.pop().expect("one stage")
        } else {
            Rc::new(Cmd::Pipeline(stages, negate))
        })
    }

    fn command(&mut self) -> Result<Rc<Cmd>> {
        let t = self.peek()?.clone();
        let compound = match &t {
            Tok::Word(_, Some(w)) => match w.as_str() {
                "if" => Some(self.if_cmd()?),
                "while" | "until" => Some(self.loop_cmd(w == "until")?),
                "for" => Some(self.for_cmd()?),
                "case" => Some(self.case_cmd()?),
                "{" => {
                    self.next_tok()?;
                    self.deeper()?;
                    let body = self.list(&["}"])?;
                    self.expect_reserved("}")?;
                    self.depth -= 1;
                    Some(Rc::new(Cmd::Group(body)))
                }
                _ => None,
            },
            Tok::Op("(") => {
                self.next_tok()?;
                self.deeper()?;
                let body = self.list(&[])?;
                match self.next_tok()? {
                    Tok::Op(")") => {}
                    t => return Err(ParseError::Unexpected(t.describe())),
                }
                self.depth -= 1;
                Some(Rc::new(Cmd::Subshell(body)))
            }
            Tok::Eof | Tok::Newline | Tok::Op(_) => return Err(ParseError::Unexpected(t.describe())),
            _ => None,
        };
        match compound {
            Some(cmd) => {
                let mut redirs = Vec::new();
                while let Tok::Redir(_) = self.peek()? {
                    let Tok::Redir(r) = self.next_tok()? else { unreachable!("peeked a redirection") };
                    redirs.push(r);
                }
                Ok(if redirs.is_empty() { cmd } else { Rc::new(Cmd::Redirected(cmd, redirs)) })
            }
            None => self.simple(),
        }
    }

    fn simple(&mut self) -> Result<Rc<Cmd>> {
        let mut assigns = Vec::new();
        let mut words: Vec<Word> = Vec::new();
        let mut redirs = Vec::new();
        loop {
            match self.peek()?.clone() {
                Tok::Redir(r) => {
                    self.next_tok()?;
                    redirs.push(r);
                }
                Tok::Word(w, lit) => {
                    if words.is_empty() {
                        if let Some((name, value)) = assignment(&w) {
                            self.next_tok()?;
                            assigns.push((name, value));
                            continue;
                        }
                    }
                    self.next_tok()?;
                    // `name() { …; }`
                    if words.is_empty() && matches!(self.peek()?, Tok::Op("(")) {
                        if let Some(name) = lit.filter(|n| valid_name(n)) {
                            self.next_tok()?;
                            match self.next_tok()? {
                                Tok::Op(")") => {}
                                t => return Err(ParseError::Unexpected(t.describe())),
                            }
                            self.skip_newlines()?;
                            self.deeper()?;
                            let body = self.command()?;
                            self.depth -= 1;
                            return Ok(Rc::new(Cmd::Function(name, body)));
                        }
                    }
                    words.push(w);
                }
                _ => break,
            }
        }
        if assigns.is_empty() && words.is_empty() && redirs.is_empty() {
            let t = self.next_tok()?;
            return Err(ParseError::Unexpected(t.describe()));
        }
        Ok(Rc::new(Cmd::Simple { assigns, words, redirs }))
    }

    fn if_cmd(&mut self) -> Result<Rc<Cmd>> {
        self.next_tok()?;
        self.deeper()?;
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.list(&[])?;
            self.expect_reserved("then")?;
            let body = self.list(&[])?;
            branches.push((cond, body));
            self.skip_newlines()?;
            let t = self.next_tok()?;
            if t.is_reserved("elif") {
                continue;
            } else if t.is_reserved("else") {
                otherwise = Some(self.list(&[])?);
                self.expect_reserved("fi")?;
                break;
            } else if t.is_reserved("fi") {
                break;
            } else {
                return Err(ParseError::Unexpected(t.describe()));
            }
        }
        self.depth -= 1;
        Ok(Rc::new(Cmd::If(branches, otherwise)))
    }

    fn loop_cmd(&mut self, until: bool) -> Result<Rc<Cmd>> {
        self.next_tok()?;
        self.deeper()?;
        let cond = self.list(&[])?;
        self.expect_reserved("do")?;
        let body = self.list(&[])?;
        self.expect_reserved("done")?;
        self.depth -= 1;
        Ok(Rc::new(Cmd::Loop { until, cond, body }))
    }

    fn for_cmd(&mut self) -> Result<Rc<Cmd>> {
        self.next_tok()?;
        self.deeper()?;
        let var = match self.next_tok()? {
            Tok::Word(_, Some(v)) if valid_name(&v) => v,
            t => return Err(ParseError::Unexpected(t.describe())),
        };
        let mut words = None;
        if matches!(self.peek()?, Tok::Op(";")) {
            self.next_tok()?;
        }
        self.skip_newlines()?;
        if self.peek()?.is_reserved("in") {
            self.next_tok()?;
            let mut ws = Vec::new();
            while let Tok::Word(..) = self.peek()? {
                let Tok::Word(w, _) = self.next_tok()? else { unreachable!("peeked a word") };
                ws.push(w);
            }
            match self.peek()? {
                Tok::Op(";") | Tok::Newline => {
                    self.next_tok()?;
                }
                _ => {}
            }
            words = Some(ws);
        }
        self.expect_reserved("do")?;
        let body = self.list(&[])?;
        self.expect_reserved("done")?;
        self.depth -= 1;
        Ok(Rc::new(Cmd::For { var, words, body }))
    }

    fn case_cmd(&mut self) -> Result<Rc<Cmd>> {
        self.next_tok()?;
        self.deeper()?;
        let word = match self.next_tok()? {
            Tok::Word(w, _) => w,
            t => return Err(ParseError::Unexpected(t.describe())),
        };
        self.expect_reserved("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.peek()?.is_reserved("esac") {
                self.next_tok()?;
                break;
            }
            if matches!(self.peek()?, Tok::Op("(")) {
                self.next_tok()?;
            }
            let mut pats = Vec::new();
            loop {
                match self.next_tok()? {
                    Tok::Word(w, _) => pats.push(w),
                    t => return Err(ParseError::Unexpected(t.describe())),
                }
                match self.next_tok()? {
                    Tok::Op("|") => continue,
                    Tok::Op(")") => break,
                    t => return Err(ParseError::Unexpected(t.describe())),
                }
            }
            let body = self.list(&["esac"])?;
            arms.push((pats, body));
            self.skip_newlines()?;
            match self.peek()? {
                Tok::Op(";;") => {
                    self.next_tok()?;
                }
                t if t.is_reserved("esac") => {}
                t => return Err(ParseError::Unexpected(t.describe())),
            }
        }
        self.depth -= 1;
        Ok(Rc::new(Cmd::Case { word, arms }))
    }

    // ---- lexing ----

    fn at(&self, k: usize) -> Option<char> {
        self.s.get(self.i + k).copied()
    }

    fn lex(&mut self) -> Result<Tok> {
        loop {
            match self.at(0) {
                Some(' ' | '\t' | '\r') => self.i += 1,
                Some('\\') if self.at(1) == Some('\n') => self.i += 2,
                Some('#') => {
                    while self.at(0).is_some_and(|c| c != '\n') {
                        self.i += 1;
                    }
                }
                _ => break,
            }
        }
        let Some(c) = self.at(0) else { return Ok(Tok::Eof) };
        let two: String = self.s[self.i..(self.i + 2).min(self.s.len())].iter().collect();
        match c {
            '\n' => {
                self.i += 1;
                if let Some(resume) = self.after_here_docs.take() {
                    self.i = resume.max(self.i);
                }
                return Ok(Tok::Newline);
            }
            '&' | '|' | ';' if ["&&", "||", ";;"].contains(&two.as_str()) => {
                self.i += 2;
                return Ok(Tok::Op(match two.as_str() {
                    "&&" => "&&",
                    "||" => "||",
                    _ => ";;",
                }));
            }
            '&' if self.at(1) == Some('>') => {
                self.i += 2;
                if self.at(0) == Some('>') {
                    self.i += 1;
                }
                return Ok(Tok::Redir(Redir::Both(self.redir_target()?)));
            }
            '&' | '|' | ';' | '(' | ')' => {
                self.i += 1;
                return Ok(Tok::Op(match c {
                    '&' => "&",
                    '|' => "|",
                    ';' => ";",
                    '(' => "(",
                    _ => ")",
                }));
            }
            '<' if self.at(1) == Some('(') => return Ok(Tok::Word(vec![self.proc_sub()?], None)),
            '<' | '>' => return self.redirection(None),
            '0'..='9' if matches!(self.at(1), Some('<' | '>')) => {
                self.i += 1;
                return self.redirection(Some(c as u8 - b'0'));
            }
            _ => {}
        }
        let (word, lit) = self.word()?;
        Ok(Tok::Word(word, lit))
    }

    fn redirection(&mut self, fd: Option<u8>) -> Result<Tok> {
        let c = self.at(0).expect("called on < or >");
        self.i += 1;
        if c == '<' {
            if self.at(0) == Some('<') {
                self.i += 1;
                if self.at(0) == Some('<') {
                    self.i += 1;
                    return Ok(Tok::Redir(Redir::HereString(self.redir_target()?)));
                }
                return self.here_doc();
            }
            return Ok(Tok::Redir(Redir::In(self.redir_target()?)));
        }
        let fd = fd.unwrap_or(1);
        let append = self.at(0) == Some('>');
        if append {
            self.i += 1;
        }
        if self.at(0) == Some('&') {
            if let Some(d @ '0'..='9') = self.at(1) {
                self.i += 2;
                return Ok(Tok::Redir(Redir::Dup { fd, to: d as u8 - b'0' }));
            }
        }
        Ok(Tok::Redir(Redir::Out { fd, target: self.redir_target()?, append }))
    }

    /// After `<<`: the delimiter, then the document's body, read from the lines after the
    /// current one (after any earlier here-document of the same line).
    fn here_doc(&mut self) -> Result<Tok> {
        let strip_tabs = self.at(0) == Some('-');
        if strip_tabs {
            self.i += 1;
        }
        let (delim_word, _) = {
            while matches!(self.at(0), Some(' ' | '\t')) {
                self.i += 1;
            }
            if matches!(self.at(0), None | Some('\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>')) {
                return Err(ParseError::Unexpected("newline".into()));
            }
            self.word()?
        };
        let quoted = delim_word.iter().any(|p| matches!(p, Part::Lit(_, true)));
        let delimiter: String = delim_word
            .iter()
            .map(|p| match p {
                Part::Lit(t, _) => t.clone(),
                _ => String::new(),
            })
            .collect();
        let start = self.after_here_docs.unwrap_or_else(|| {
            let mut j = self.i;
            while j < self.s.len() && self.s[j] != '\n' {
                j += 1;
            }
            (j + 1).min(self.s.len())
        });
        let mut body = String::new();
        let mut j = start;
        while j < self.s.len() {
            let end = (j..self.s.len()).find(|&k| self.s[k] == '\n').unwrap_or(self.s.len());
            let line: String = self.s[j..end].iter().collect();
            j = (end + 1).min(self.s.len().max(end));
            let line = if strip_tabs { line.trim_start_matches('\t').to_string() } else { line };
            if line == delimiter {
                break;
            }
            body.push_str(&line);
            body.push('\n');
        }
        self.after_here_docs = Some(j);
        let word = if quoted {
            vec![Part::Lit(body, true)]
        } else {
            let mut sub =
                Parser { s: body.chars().collect(), i: 0, depth: self.depth + 1, peeked: None, after_here_docs: None };
            sub.here_body()?
        };
        Ok(Tok::Redir(Redir::Here(word)))
    }

    /// A here-document's text: `$…` and backquotes expand, `\` escapes only `$`, backquote,
    /// `\` and newline, and quotes are plain characters.
    fn here_body(&mut self) -> Result<Word> {
        let mut parts = Vec::new();
        let mut lit = String::new();
        while let Some(c) = self.at(0) {
            match c {
                '\\' if matches!(self.at(1), Some('$' | '`' | '\\' | '\n')) => {
                    if self.at(1) != Some('\n') {
                        lit.push(self.at(1).expect("checked"));
                    }
                    self.i += 2;
                }
                '$' | '`' => match self.dollar(true)? {
                    Some(part) => {
                        if !lit.is_empty() {
                            parts.push(Part::Lit(std::mem::take(&mut lit), true));
                        }
                        parts.push(part);
                    }
                    None => lit.push('$'),
                },
                _ => {
                    lit.push(c);
                    self.i += 1;
                }
            }
        }
        parts.push(Part::Lit(lit, true));
        Ok(parts)
    }

    /// At `<(`: the command up to its closing parenthesis.
    fn proc_sub(&mut self) -> Result<Part> {
        self.i += 2;
        let start = self.i;
        let end = self.matching_paren()?;
        let inner: String = self.s[start..end].iter().collect();
        self.i = end + 1;
        Ok(Part::ProcSub(parse_at(&inner, self.depth + 1)?))
    }

    fn redir_target(&mut self) -> Result<Word> {
        while matches!(self.at(0), Some(' ' | '\t')) {
            self.i += 1;
        }
        if self.at(0) == Some('<') && self.at(1) == Some('(') {
            return Ok(vec![self.proc_sub()?]);
        }
        match self.at(0) {
            None | Some('\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>') => {
                Err(ParseError::Unexpected(match self.at(0) {
                    None => "end of file".into(),
                    Some('\n') => "newline".into(),
                    Some(c) => format!("\"{c}\""),
                }))
            }
            _ => Ok(self.word()?.0),
        }
    }

    /// Reads one word; returns its parts and, if it is a plain unquoted literal, its text.
    fn word(&mut self) -> Result<(Word, Option<String>)> {
        let mut parts: Word = Vec::new();
        let mut plain = true;
        let mut lit = String::new();
        let flush = |lit: &mut String, parts: &mut Word, quoted: bool| {
            if !lit.is_empty() {
                parts.push(Part::Lit(std::mem::take(lit), quoted));
            }
        };
        while let Some(c) = self.at(0) {
            match c {
                ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>' => break,
                '\\' => {
                    flush(&mut lit, &mut parts, false);
                    self.i += 1;
                    match self.at(0) {
                        Some('\n') => self.i += 1,
                        Some(e) => {
                            self.i += 1;
                            parts.push(Part::Lit(e.to_string(), true));
                        }
                        None => {}
                    }
                    plain = false;
                }
                '\'' => {
                    flush(&mut lit, &mut parts, false);
                    self.i += 1;
                    let start = self.i;
                    while self.at(0).is_some_and(|c| c != '\'') {
                        self.i += 1;
                    }
                    if self.at(0).is_none() {
                        return Err(ParseError::UnterminatedQuote);
                    }
                    parts.push(Part::Lit(self.s[start..self.i].iter().collect(), true));
                    self.i += 1;
                    plain = false;
                }
                '"' => {
                    flush(&mut lit, &mut parts, false);
                    self.i += 1;
                    self.double_quoted(&mut parts)?;
                    plain = false;
                }
                '$' | '`' => {
                    if let Some(part) = self.dollar(false)? {
                        flush(&mut lit, &mut parts, false);
                        parts.push(part);
                        plain = false;
                    } else {
                        lit.push('$');
                    }
                }
                _ => {
                    lit.push(c);
                    self.i += 1;
                }
            }
        }
        let text = if plain { Some(lit.clone()) } else { None };
        flush(&mut lit, &mut parts, false);
        if parts.is_empty() {
            parts.push(Part::Lit(String::new(), true));
        }
        Ok((parts, text))
    }

    fn double_quoted(&mut self, parts: &mut Word) -> Result<()> {
        let mut lit = String::new();
        loop {
            let Some(c) = self.at(0) else { return Err(ParseError::UnterminatedQuote) };
            match c {
                '"' => {
                    self.i += 1;
                    break;
                }
                '\\' if matches!(self.at(1), Some('"' | '\\' | '$' | '`' | '\n')) => {
                    if self.at(1) != Some('\n') {
                        lit.push(self.at(1).expect("checked"));
                    }
                    self.i += 2;
                }
                '$' | '`' => match self.dollar(true)? {
                    Some(part) => {
                        if !lit.is_empty() {
                            parts.push(Part::Lit(std::mem::take(&mut lit), true));
                        }
                        parts.push(part);
                    }
                    None => lit.push('$'),
                },
                _ => {
                    lit.push(c);
                    self.i += 1;
                }
            }
        }
        // An empty "" still makes a (quoted, empty) field.
        parts.push(Part::Lit(lit, true));
        Ok(())
    }

    /// At `$` or a backtick: a substitution, or `None` for a lone `$` (consumed).
    fn dollar(&mut self, quoted: bool) -> Result<Option<Part>> {
        if self.at(0) == Some('`') {
            self.i += 1;
            let start = self.i;
            while self.at(0).is_some_and(|c| c != '`') {
                if self.at(0) == Some('\\') {
                    self.i += 1;
                }
                self.i += 1;
            }
            if self.at(0).is_none() {
                return Err(ParseError::UnterminatedQuote);
            }
            let inner: String = self.s[start..self.i].iter().collect();
            self.i += 1;
            return Ok(Some(Part::Sub(parse_at(&inner, self.depth + 1)?, quoted)));
        }
        self.i += 1; // the '$'
        match self.at(0) {
            Some('(') if self.at(1) == Some('(') => {
                self.i += 2;
                let start = self.i;
                let mut depth = 0usize;
                loop {
                    match self.at(0) {
                        None => return Err(ParseError::Unexpected("end of file (missing \"))\")".into())),
                        Some('(') => depth += 1,
                        Some(')') if depth == 0 && self.at(1) == Some(')') => break,
                        Some(')') => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    self.i += 1;
                }
                let expr: String = self.s[start..self.i].iter().collect();
                self.i += 2;
                Ok(Some(Part::Arith(expr)))
            }
            Some('(') => {
                self.i += 1;
                let start = self.i;
                let end = self.matching_paren()?;
                let inner: String = self.s[start..end].iter().collect();
                self.i = end + 1;
                Ok(Some(Part::Sub(parse_at(&inner, self.depth + 1)?, quoted)))
            }
            Some('{') => {
                self.i += 1;
                self.braced_var(quoted).map(Some)
            }
            Some(c) if c == '?' || c == '#' || c == '@' || c == '*' || c == '$' || c == '!' || c.is_ascii_digit() => {
                self.i += 1;
                Ok(Some(Part::Var(c.to_string(), VarOp::Plain, None, quoted)))
            }
            Some(c) if c == '_' || c.is_ascii_alphabetic() => {
                let start = self.i;
                while self.at(0).is_some_and(|c| c == '_' || c.is_ascii_alphanumeric()) {
                    self.i += 1;
                }
                Ok(Some(Part::Var(self.s[start..self.i].iter().collect(), VarOp::Plain, None, quoted)))
            }
            _ => Ok(None),
        }
    }

    /// From just inside `$(`, the index of its `)`, skipping quotes and nested parentheses.
    fn matching_paren(&self) -> Result<usize> {
        let mut depth = 0usize;
        let mut j = self.i;
        while let Some(&c) = self.s.get(j) {
            match c {
                '\\' => j += 1,
                '\'' => {
                    j += 1;
                    while self.s.get(j).is_some_and(|&c| c != '\'') {
                        j += 1;
                    }
                }
                '"' => {
                    j += 1;
                    while self.s.get(j).is_some_and(|&c| c != '"') {
                        if self.s[j] == '\\' {
                            j += 1;
                        }
                        j += 1;
                    }
                }
                '(' => depth += 1,
                ')' if depth == 0 => return Ok(j),
                ')' => depth -= 1,
                _ => {}
            }
            j += 1;
        }
        Err(ParseError::Unexpected("end of file (missing \")\")".into()))
    }

    fn braced_var(&mut self, quoted: bool) -> Result<Part> {
        let length = self.at(0) == Some('#') && self.at(1).is_some_and(|c| c != '}');
        if length {
            self.i += 1;
        }
        let start = self.i;
        match self.at(0) {
            Some(c) if c == '?' || c == '#' || c == '@' || c == '*' || c == '$' || c.is_ascii_digit() => self.i += 1,
            _ => {
                while self.at(0).is_some_and(|c| c == '_' || c.is_ascii_alphanumeric()) {
                    self.i += 1;
                }
            }
        }
        let name: String = self.s[start..self.i].iter().collect();
        if name.is_empty() {
            return Err(ParseError::BadSubstitution);
        }
        if length {
            if self.at(0) != Some('}') {
                return Err(ParseError::BadSubstitution);
            }
            self.i += 1;
            return Ok(Part::Var(name, VarOp::Length, None, quoted));
        }
        let colon = self.at(0) == Some(':');
        let op = match (self.at(0), self.at(1)) {
            (Some('}'), _) => {
                self.i += 1;
                return Ok(Part::Var(name, VarOp::Plain, None, quoted));
            }
            (Some(':'), Some('-')) | (Some('-'), _) => VarOp::Default { colon },
            (Some(':'), Some('=')) | (Some('='), _) => VarOp::Assign { colon },
            (Some(':'), Some('+')) | (Some('+'), _) => VarOp::Alt { colon },
            (Some(':'), Some('?')) | (Some('?'), _) => VarOp::Error { colon },
            (Some('#'), Some('#')) => VarOp::TrimPrefix { longest: true },
            (Some('#'), _) => VarOp::TrimPrefix { longest: false },
            (Some('%'), Some('%')) => VarOp::TrimSuffix { longest: true },
            (Some('%'), _) => VarOp::TrimSuffix { longest: false },
            (Some(':'), _) => VarOp::Substring,
            _ => return Err(ParseError::BadSubstitution),
        };
        self.i += match op {
            VarOp::TrimPrefix { longest: true } | VarOp::TrimSuffix { longest: true } => 2,
            VarOp::Substring => 1,
            _ if colon => 2,
            _ => 1,
        };
        // The operand runs to the matching `}`. A trim's operand is a pattern, active even inside
        // double quotes: its own quotes and backslashes make its characters literal, so those are
        // kept apart (quoted) from its plain text (see `Machine::pattern_of`).
        let pattern = matches!(op, VarOp::TrimPrefix { .. } | VarOp::TrimSuffix { .. });
        let plain_quoted = quoted && !pattern;
        let mut operand = Vec::new();
        let mut lit = String::new();
        loop {
            let Some(c) = self.at(0) else { return Err(ParseError::BadSubstitution) };
            match c {
                '}' => {
                    self.i += 1;
                    break;
                }
                '"' => {
                    if !lit.is_empty() {
                        operand.push(Part::Lit(std::mem::take(&mut lit), plain_quoted));
                    }
                    self.i += 1;
                    self.double_quoted(&mut operand)?;
                }
                '\'' if !quoted => {
                    self.i += 1;
                    let s = self.i;
                    while self.at(0).is_some_and(|c| c != '\'') {
                        self.i += 1;
                    }
                    if self.at(0).is_none() {
                        return Err(ParseError::UnterminatedQuote);
                    }
                    operand.push(Part::Lit(self.s[s..self.i].iter().collect(), true));
                    self.i += 1;
                }
                '$' | '`' => match self.dollar(plain_quoted)? {
                    Some(p) => {
                        if !lit.is_empty() {
                            operand.push(Part::Lit(std::mem::take(&mut lit), plain_quoted));
                        }
                        operand.push(p);
                    }
                    None => lit.push('$'),
                },
                '\\' => {
                    self.i += 1;
                    if let Some(e) = self.at(0) {
                        if !lit.is_empty() {
                            operand.push(Part::Lit(std::mem::take(&mut lit), plain_quoted));
                        }
                        operand.push(Part::Lit(e.to_string(), true));
                        self.i += 1;
                    }
                }
                _ => {
                    lit.push(c);
                    self.i += 1;
                }
            }
        }
        if !lit.is_empty() {
            operand.push(Part::Lit(lit, plain_quoted));
        }
        Ok(Part::Var(name, op, Some(operand), quoted))
    }
}

/// Whether `s` is a valid variable name.
pub fn valid_name(s: &str) -> bool {
    let mut cs = s.chars();
    cs.next().is_some_and(|c| c == '_' || c.is_ascii_alphabetic()) && cs.all(|c| c == '_' || c.is_ascii_alphanumeric())
}

/// `NAME=value` at the start of a word.
fn assignment(w: &Word) -> Option<(String, Word)> {
    let Some(Part::Lit(first, false)) = w.first() else { return None };
    let (name, rest) = first.split_once('=')?;
    if !valid_name(name) {
        return None;
    }
    let mut value: Word = Vec::new();
    if !rest.is_empty() {
        value.push(Part::Lit(rest.to_string(), false));
    }
    value.extend(w[1..].iter().cloned());
    Some((name.to_string(), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_of_simple_commands_parses() {
        let cmd = parse("echo hi; sleep 5\nexit 1").unwrap();
        let Cmd::Seq(items) = &*cmd else { panic!("{cmd:?}") };
        assert_eq!(items.len(), 3);
    }

    #[test]
    fn unbalanced_quote_is_a_clear_error() {
        assert_eq!(parse("echo 'hi").unwrap_err(), ParseError::UnterminatedQuote);
        assert_eq!(parse("echo \"hi").unwrap_err(), ParseError::UnterminatedQuote);
    }

    #[test]
    fn missing_done_is_a_syntax_error() {
        let err = parse("while true; do echo hi").unwrap_err();
        assert_eq!(err.to_string(), "syntax error: unexpected end of file");
    }

    #[test]
    fn thousand_nested_substitutions_are_refused_not_overflowing() {
        let deep = "$(".repeat(1000) + "echo x" + &")".repeat(1000);
        assert_eq!(parse(&format!("echo {deep}")).unwrap_err(), ParseError::TooDeep);
        let ifs = "if true; then ".repeat(1000) + "echo" + &"; fi".repeat(1000);
        assert_eq!(parse(&ifs).unwrap_err(), ParseError::TooDeep);
        let subshells = "(".repeat(100_000);
        assert!(parse(&subshells).is_err());
    }

    #[test]
    fn megabyte_script_is_refused() {
        let big = "echo hi; ".repeat(120_000);
        assert!(matches!(parse(&big), Err(ParseError::TooLong(_))));
    }

    #[test]
    fn function_definition_parses() {
        let cmd = parse("greet() { echo hi; }; greet").unwrap();
        let Cmd::Seq(items) = &*cmd else { panic!() };
        assert!(matches!(&*items[0], Cmd::Function(n, _) if n == "greet"));
    }
}
