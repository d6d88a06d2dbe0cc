//! Go's text/template syntax: the lexer (text and `{{…}}` actions, `{{-`/`-}}` trimming,
//! comments) and the parser into a tree of nodes, with Go's parse errors
//! (`template: output:LINE: MESSAGE`).

/// Where a node starts: a byte offset into the template's text.
pub type Pos = usize;

/// A parsed node of the template's body.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Text(String),
    Action(Pipe),
    If(Branch),
    Range(Branch),
    With(Branch),
    Break(Pos),
    Continue(Pos),
    /// `{{template "name"}}`: no named templates exist here, so it fails when run, as in
    /// kubectl (whose templates cannot define any either).
    Template(Pos, String),
}

/// `{{if|range|with PIPE}}LIST{{else}}ELSE{{end}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    pub pipe: Pipe,
    pub list: Vec<Node>,
    pub else_list: Option<Vec<Node>>,
}

/// A pipeline: optional variable declarations, then commands joined by `|`.
#[derive(Debug, Clone, PartialEq)]
pub struct Pipe {
    pub pos: Pos,
    pub decl: Vec<String>,
    /// `$x = …` (assignment to a declared variable) rather than `$x := …`.
    pub assign: bool,
    pub cmds: Vec<Cmd>,
}

/// One command of a pipeline: a function or a value and its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Cmd {
    pub pos: Pos,
    pub args: Vec<Arg>,
    /// Where each argument starts.
    pub poses: Vec<Pos>,
}

/// An operand.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// `.a.b`: fields of dot; pos is where Go reports it (the second field of a chain).
    Field(Pos, Vec<String>),
    Dot,
    Nil,
    /// `$x.a.b`.
    Var(Pos, String, Vec<String>),
    Ident(Pos, String),
    Bool(bool),
    /// A number constant: its text, and its value as Go's untyped constants become values
    /// (an integer when it is one, else a float).
    Int(String, i64),
    Float(String, f64),
    /// The literal as written, and its value.
    Str(String, String),
    /// `(PIPE)`, optionally followed by fields: `(index .x 0).name`.
    Chain(Pos, Box<Pipe>, Vec<String>),
}

/// Go's functions known to the parser (text/template's builtins and kubectl's).
const FUNCTIONS: &[&str] = &[
    "and",
    "or",
    "not",
    "len",
    "index",
    "slice",
    "print",
    "printf",
    "println",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "html",
    "js",
    "urlquery",
    "call",
    "exists",
    "base64decode",
];

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Text(String),
    Left,
    Right,
    Field(String),
    Dot,
    Var(String),
    Ident(String),
    Str(String, String),
    Number(String),
    Pipe,
    LParen,
    RParen,
    Declare,
    Assign,
    Comma,
    Space,
    Eof,
}

struct Lexer<'a> {
    src: &'a str,
    at: usize,
    toks: Vec<(Tok, Pos)>,
    line: usize,
}

fn err(line: usize, msg: impl std::fmt::Display) -> String {
    format!("template: output:{line}: {msg}")
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

impl<'a> Lexer<'a> {
    fn lex(src: &'a str) -> Result<Vec<(Tok, Pos)>, String> {
        let mut l = Lexer { src, at: 0, toks: Vec::new(), line: 1 };
        let mut trim_next = false;
        loop {
            let rest = &l.src[l.at..];
            let (mut text, found) = match rest.find("{{") {
                Some(i) => (&rest[..i], true),
                None => (rest, false),
            };
            if trim_next {
                text = text.trim_start_matches(is_space);
            }
            let trim_left = rest.find("{{").is_some_and(|i| is_trim_left(&rest[i..]));
            let start = l.at;
            let body = if trim_left { text.trim_end_matches(is_space) } else { text };
            if !body.is_empty() {
                l.toks.push((Tok::Text(body.to_string()), start));
            }
            l.line += rest[..rest.find("{{").unwrap_or(rest.len())].matches('\n').count();
            if !found {
                l.toks.push((Tok::Eof, l.src.len()));
                return Ok(l.toks);
            }
            l.at += rest.find("{{").unwrap_or(0) + 2;
            if trim_left {
                l.at += 2;
            }
            // A comment is a whole action.
            let after = l.src[l.at..].trim_start_matches(is_space);
            if after.starts_with("/*") {
                let from = l.src.len() - after.len();
                let Some(end) = l.src[from..].find("*/") else {
                    return Err(err(l.line, "unclosed comment"));
                };
                l.line += l.src[from..from + end].matches('\n').count();
                l.at = from + end + 2;
                let rest = &l.src[l.at..];
                if let Some(r) = rest.strip_prefix(" -}}") {
                    l.at = l.src.len() - r.len();
                    trim_next = true;
                } else if let Some(r) = rest.strip_prefix("}}") {
                    l.at = l.src.len() - r.len();
                    trim_next = false;
                } else {
                    return Err(err(l.line, "comment ends before closing delimiter"));
                }
                continue;
            }
            l.toks.push((Tok::Left, l.at - if trim_left { 4 } else { 2 }));
            trim_next = l.inside()?;
        }
    }

    /// Lexes an action up to and including `}}`; whether it ended with ` -}}`.
    fn inside(&mut self) -> Result<bool, String> {
        let mut paren = 0usize;
        loop {
            let rest = &self.src[self.at..];
            let pos = self.at;
            if rest.starts_with(" -}}") || rest.starts_with("\t-}}") || rest.starts_with("\n-}}") {
                self.at += 4;
                self.toks.push((Tok::Right, pos));
                return Ok(true);
            }
            if rest.starts_with("}}") {
                if paren > 0 {
                    return Err(err(self.line, "unclosed left paren"));
                }
                self.at += 2;
                self.toks.push((Tok::Right, pos));
                return Ok(false);
            }
            let Some(c) = rest.chars().next() else {
                return Err(err(self.line, "unclosed action"));
            };
            match c {
                c if is_space(c) => {
                    let n = rest.len() - rest.trim_start_matches(is_space).len();
                    // Go allows newlines inside actions; they count as lines.
                    self.line += rest[..n].matches('\n').count();
                    self.at += n;
                    if rest[n..].starts_with("-}}") {
                        self.at -= 1; // leave the space of ` -}}`
                    } else {
                        self.toks.push((Tok::Space, pos));
                    }
                }
                '|' => self.one(Tok::Pipe),
                '(' => {
                    paren += 1;
                    self.one(Tok::LParen);
                }
                ')' => {
                    if paren == 0 {
                        return Err(err(self.line, "unexpected right paren"));
                    }
                    paren -= 1;
                    self.one(Tok::RParen);
                }
                ',' => self.one(Tok::Comma),
                '=' => self.one(Tok::Assign),
                ':' => {
                    if !rest.starts_with(":=") {
                        return Err(err(self.line, "expected :="));
                    }
                    self.at += 2;
                    self.toks.push((Tok::Declare, pos));
                }
                '"' | '`' | '\'' => {
                    let (lit, value) = self.quoted(c)?;
                    self.toks.push((Tok::Str(lit, value), pos));
                }
                '$' => {
                    let n = 1 + word_len(&rest[1..]);
                    self.at += n;
                    self.toks.push((Tok::Var(rest[..n].to_string()), pos));
                }
                '.' => {
                    let next = rest[1..].chars().next();
                    if next.is_some_and(|d| d.is_ascii_digit()) {
                        self.number()?;
                    } else {
                        let n = word_len(&rest[1..]);
                        self.at += 1 + n;
                        if n == 0 {
                            self.toks.push((Tok::Dot, pos));
                        } else {
                            self.toks.push((Tok::Field(rest[1..1 + n].to_string()), pos));
                        }
                    }
                }
                '+' | '-' | '0'..='9' => self.number()?,
                c if c.is_alphabetic() || c == '_' => {
                    let n = word_len(rest);
                    self.at += n;
                    self.toks.push((Tok::Ident(rest[..n].to_string()), pos));
                }
                c => {
                    let name = format!("U+{:04X}", c as u32);
                    return Err(err(self.line, format!("bad character {name} '{c}'")));
                }
            }
        }
    }

    fn one(&mut self, t: Tok) {
        self.toks.push((t, self.at));
        self.at += 1;
    }

    fn number(&mut self) -> Result<(), String> {
        let rest = &self.src[self.at..];
        let n = rest
            .char_indices()
            .take_while(|&(i, c)| {
                c.is_ascii_alphanumeric()
                    || c == '.'
                    || c == '_'
                    || (matches!(c, '+' | '-')
                        && (i == 0 || matches!(rest.as_bytes()[i - 1], b'e' | b'E' | b'p' | b'P')))
            })
            .count();
        let text = &rest[..n];
        self.toks.push((Tok::Number(text.to_string()), self.at));
        self.at += n;
        Ok(())
    }

    /// A quoted literal: its text as written and its value.
    fn quoted(&mut self, q: char) -> Result<(String, String), String> {
        let rest = &self.src[self.at..];
        let mut value = String::new();
        let mut chars = rest.char_indices().skip(1);
        while let Some((i, c)) = chars.next() {
            if c == q {
                self.at += i + 1;
                let lit = rest[..=i].to_string();
                if q == '\'' {
                    let mut cs = value.chars();
                    return match (cs.next(), cs.next()) {
                        (Some(ch), None) => Ok((lit, (ch as u32).to_string())),
                        _ => Err(err(self.line, format!("malformed character constant: {lit}"))),
                    };
                }
                return Ok((lit, value));
            }
            if q == '`' {
                value.push(c);
                continue;
            }
            if c == '\n' {
                break;
            }
            if c != '\\' {
                value.push(c);
                continue;
            }
            let Some((_, e)) = chars.next() else { break };
            match e {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                'r' => value.push('\r'),
                'a' => value.push('\u{7}'),
                'b' => value.push('\u{8}'),
                'f' => value.push('\u{c}'),
                'v' => value.push('\u{b}'),
                '\\' | '"' | '\'' => value.push(e),
                'x' | 'u' | 'U' => {
                    let len = match e {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let hex: String = chars.by_ref().take(len).map(|(_, c)| c).collect();
                    let ch = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                    match ch {
                        Some(ch) if hex.len() == len => value.push(ch),
                        _ => return Err(err(self.line, format!("invalid syntax: {}", &rest[..i + 2 + hex.len()]))),
                    }
                }
                _ => return Err(err(self.line, "invalid syntax")),
            }
        }
        Err(err(
            self.line,
            if q == '`' {
                "unterminated raw quoted string"
            } else if q == '\'' {
                "unterminated character constant"
            } else {
                "unterminated quoted string"
            },
        ))
    }
}

/// `{{- ` (a dash and a space) at the start of `s`.
fn is_trim_left(s: &str) -> bool {
    s.starts_with("{{- ") || s.starts_with("{{-\t") || s.starts_with("{{-\n") || s.starts_with("{{-\r")
}

fn word_len(s: &str) -> usize {
    s.char_indices().find(|&(_, c)| !(c.is_alphanumeric() || c == '_')).map_or(s.len(), |(i, _)| i)
}

/// The parser's state: the tokens, where it is, the variables in scope.
struct Parser<'a> {
    src: &'a str,
    toks: Vec<(Tok, Pos)>,
    at: usize,
    vars: Vec<String>,
    range_depth: usize,
    /// How deep the parser is in parentheses and control structures.
    depth: usize,
}

/// The deepest nesting of parentheses and `if`/`range`/`with` a template may have.
// SIM: Go has no such bound; ours keeps a hostile template from exhausting the stack.
const MAX_DEPTH: usize = 200;

/// Parses a template's text into its nodes.
pub fn parse(src: &str) -> Result<Vec<Node>, String> {
    let toks = Lexer::lex(src)?;
    let mut p = Parser { src, toks, at: 0, vars: vec!["$".into()], range_depth: 0, depth: 0 };
    let (list, end) = p.list()?;
    match end {
        End::Eof => Ok(list),
        End::Closed => Err(p.err("unexpected {{end}}")),
        End::Else(..) => Err(p.err("unexpected {{else}}")),
    }
}

/// What ended a list of nodes.
enum End {
    Eof,
    Closed,
    /// `{{else}}`, or `{{else if …}}` / `{{else with …}}` (the keyword).
    Else(Option<String>),
}

impl Parser<'_> {
    fn line(&self) -> usize {
        let pos = self.toks.get(self.at).map_or(self.src.len(), |t| t.1).min(self.src.len());
        1 + self.src[..pos].matches('\n').count()
    }

    fn err(&self, msg: impl std::fmt::Display) -> String {
        err(self.line(), msg)
    }

    fn peek(&self) -> &Tok {
        self.toks.get(self.at).map_or(&Tok::Eof, |t| &t.0)
    }

    fn pos(&self) -> Pos {
        self.toks.get(self.at).map_or(self.src.len(), |t| t.1)
    }

    fn next(&mut self) -> Tok {
        let t = self.peek().clone();
        self.at += 1;
        t
    }

    fn skip_space(&mut self) {
        while *self.peek() == Tok::Space {
            self.at += 1;
        }
    }

    fn next_non_space(&mut self) -> Tok {
        self.skip_space();
        self.next()
    }

    fn list(&mut self) -> Result<(Vec<Node>, End), String> {
        let mut out = Vec::new();
        loop {
            match self.next() {
                Tok::Eof => return Ok((out, End::Eof)),
                Tok::Text(t) => out.push(Node::Text(t)),
                Tok::Left => {
                    self.skip_space();
                    let word = match self.peek() {
                        Tok::Ident(w) => Some(w.clone()),
                        _ => None,
                    };
                    match word.as_deref() {
                        Some("end") => {
                            self.at += 1;
                            self.expect_right("end")?;
                            return Ok((out, End::Closed));
                        }
                        Some("else") => {
                            self.at += 1;
                            self.skip_space();
                            if let Tok::Ident(w) = self.peek().clone() {
                                if w == "if" || w == "with" {
                                    return Ok((out, End::Else(Some(w))));
                                }
                            }
                            self.expect_right("else")?;
                            return Ok((out, End::Else(None)));
                        }
                        Some(kw @ ("if" | "range" | "with")) => {
                            let kw = kw.to_string();
                            self.at += 1;
                            out.push(self.control(&kw)?);
                        }
                        Some(kw @ ("break" | "continue")) => {
                            let kw = kw.to_string();
                            let pos = self.pos();
                            self.at += 1;
                            if self.range_depth == 0 {
                                return Err(self.err(format!("{{{{{kw}}}}} outside {{{{range}}}}")));
                            }
                            self.expect_right(&kw)?;
                            out.push(if kw == "break" { Node::Break(pos) } else { Node::Continue(pos) });
                        }
                        Some("template") => {
                            self.at += 1;
                            self.skip_space();
                            let pos = self.pos();
                            let Tok::Str(lit, _) = self.next() else {
                                return Err(self.err("unexpected token in template clause"));
                            };
                            while !matches!(self.peek(), Tok::Right | Tok::Eof) {
                                self.at += 1;
                            }
                            self.expect_right("template clause")?;
                            out.push(Node::Template(pos, format!("{{{{template {lit}}}}}")));
                        }
                        Some(kw @ ("define" | "block")) => {
                            // SIM: kubectl's templates are one piece of text; named templates are
                            // not supported here.
                            return Err(self.err(format!("{{{{{kw}}}}} is not supported in the sandbox")));
                        }
                        _ => {
                            let pipe = self.pipeline("command", false)?;
                            out.push(Node::Action(pipe));
                        }
                    }
                }
                t => return Err(self.err(format!("unexpected {t:?}"))),
            }
        }
    }

    fn expect_right(&mut self, ctx: &str) -> Result<(), String> {
        match self.next_non_space() {
            Tok::Right => Ok(()),
            t => Err(self.err(format!("unexpected {} in {ctx}", describe(&t)))),
        }
    }

    /// `if|range|with PIPE}} LIST [{{else …}} LIST] {{end}}`; `else if` nests another `if`.
    fn control(&mut self, kw: &str) -> Result<Node, String> {
        self.deeper()?;
        let node = self.control_body(kw);
        self.depth -= 1;
        node
    }

    fn deeper(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.depth -= 1;
            return Err(self.err(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    fn control_body(&mut self, kw: &str) -> Result<Node, String> {
        let scope = self.vars.len();
        let pipe = self.pipeline(kw, kw == "range")?;
        if kw == "range" {
            self.range_depth += 1;
        }
        let (list, end) = self.list()?;
        if kw == "range" {
            self.range_depth -= 1;
        }
        let else_list = match end {
            End::Eof => return Err(self.err("unexpected EOF")),
            End::Closed => None,
            End::Else(None) => {
                let (l, end) = self.list()?;
                match end {
                    End::Closed => Some(l),
                    End::Eof => return Err(self.err("unexpected EOF")),
                    End::Else(_) => return Err(self.err("expected end; found {{else}}")),
                }
            }
            End::Else(Some(nested)) => {
                // `{{else if X}}…{{end}}` is `{{else}}{{if X}}…{{end}}{{end}}`: the nested
                // branch consumes the one `{{end}}`.
                self.at += 1;
                Some(vec![self.control(&nested)?])
            }
        };
        self.vars.truncate(scope);
        let b = Branch { pipe, list, else_list };
        Ok(match kw {
            "if" => Node::If(b),
            "range" => Node::Range(b),
            _ => Node::With(b),
        })
    }

    /// A pipeline up to `}}` (or `)` when `ctx` is "parenthesized pipeline").
    fn pipeline(&mut self, ctx: &str, range: bool) -> Result<Pipe, String> {
        self.skip_space();
        let pos = self.pos();
        let mut decl = Vec::new();
        let mut assign = false;
        // Declarations: `$x :=`, `$x =`, `$k, $v :=`.
        let save = self.at;
        if let Tok::Var(v) = self.peek().clone() {
            self.at += 1;
            self.skip_space();
            match self.peek().clone() {
                Tok::Declare | Tok::Assign => {
                    assign = *self.peek() == Tok::Assign;
                    self.at += 1;
                    decl.push(v);
                }
                Tok::Comma if range => {
                    self.at += 1;
                    self.skip_space();
                    if let Tok::Var(v2) = self.next() {
                        self.skip_space();
                        match self.next() {
                            Tok::Declare | Tok::Assign => {
                                decl.push(v);
                                decl.push(v2);
                            }
                            _ => return Err(self.err("missing := after range variables")),
                        }
                    } else {
                        return Err(self.err("range can only initialize variables"));
                    }
                }
                _ => self.at = save,
            }
        }
        if assign {
            if let Some(v) = decl.first() {
                if !self.vars.contains(v) {
                    return Err(self.err(format!("undefined variable \"{v}\"")));
                }
            }
        }
        let mut cmds = Vec::new();
        let end = if ctx == "parenthesized pipeline" { Tok::RParen } else { Tok::Right };
        loop {
            self.skip_space();
            let t = self.peek().clone();
            if t == end {
                self.at += 1;
                break;
            }
            match t {
                Tok::Right | Tok::RParen | Tok::Eof => {
                    return Err(self.err(format!("unexpected {} in {ctx}", describe(&t))));
                }
                _ => {}
            }
            cmds.push(self.command()?);
            if *self.peek() == Tok::Pipe {
                self.at += 1;
                continue;
            }
        }
        if cmds.is_empty() {
            return Err(self.err(format!("missing value for {ctx}")));
        }
        for (i, c) in cmds.iter().enumerate() {
            if i > 0 {
                if let Some(Arg::Bool(_) | Arg::Dot | Arg::Nil | Arg::Int(..) | Arg::Float(..) | Arg::Str(..)) =
                    c.args.first()
                {
                    return Err(self.err(format!("non executable command in pipeline stage {}", i + 1)));
                }
            }
        }
        if !assign {
            self.vars.extend(decl.iter().cloned());
        }
        Ok(Pipe { pos, decl, assign, cmds })
    }

    fn command(&mut self) -> Result<Cmd, String> {
        self.skip_space();
        let pos = self.pos();
        let mut args = Vec::new();
        let mut poses = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                Tok::Right | Tok::RParen | Tok::Pipe | Tok::Eof => break,
                _ => {}
            }
            poses.push(self.pos());
            let a = self.operand()?;
            args.push(a);
            match self.peek() {
                Tok::Space => continue,
                Tok::Right | Tok::RParen | Tok::Pipe => break,
                t => return Err(self.err(format!("unexpected {} in operand", describe(t)))),
            }
        }
        if args.is_empty() {
            return Err(self.err("missing value for command"));
        }
        Ok(Cmd { pos, args, poses })
    }

    /// A term and the fields after it.
    fn operand(&mut self) -> Result<Arg, String> {
        let pos = self.pos();
        let term = match self.next() {
            Tok::Field(f) => {
                let mut names = vec![f];
                let mut at = pos;
                while let Tok::Field(f) = self.peek().clone() {
                    if names.len() == 1 {
                        at = self.pos();
                    }
                    self.at += 1;
                    names.push(f);
                }
                return Ok(Arg::Field(at, names));
            }
            Tok::Dot => Arg::Dot,
            Tok::Var(v) => {
                if !self.vars.contains(&v) {
                    return Err(self.err(format!("undefined variable \"{v}\"")));
                }
                let mut fields = Vec::new();
                while let Tok::Field(f) = self.peek().clone() {
                    self.at += 1;
                    fields.push(f);
                }
                return Ok(Arg::Var(pos, v, fields));
            }
            Tok::Ident(w) => match w.as_str() {
                "true" => Arg::Bool(true),
                "false" => Arg::Bool(false),
                "nil" => Arg::Nil,
                _ if FUNCTIONS.contains(&w.as_str()) => Arg::Ident(pos, w),
                _ => return Err(self.err(format!("function \"{w}\" not defined"))),
            },
            Tok::Str(lit, v) => {
                if lit.starts_with('\'') {
                    Arg::Int(lit, v.parse().unwrap_or(0))
                } else {
                    Arg::Str(lit, v)
                }
            }
            Tok::Number(n) => number(&n).ok_or_else(|| self.err(format!("bad number syntax: \"{n}\"")))?,
            Tok::LParen => {
                self.deeper()?;
                let p = self.pipeline("parenthesized pipeline", false);
                self.depth -= 1;
                let p = p?;
                let mut fields = Vec::new();
                let at = self.pos();
                while let Tok::Field(f) = self.peek().clone() {
                    self.at += 1;
                    fields.push(f);
                }
                if fields.is_empty() {
                    return Ok(Arg::Chain(pos, Box::new(p), fields));
                }
                return Ok(Arg::Chain(at, Box::new(p), fields));
            }
            t => return Err(self.err(format!("unexpected {} in operand", describe(&t)))),
        };
        if let Tok::Field(_) = self.peek() {
            let what = matches!(&term, Arg::Bool(_) | Arg::Nil | Arg::Int(..) | Arg::Float(..) | Arg::Str(..));
            if what {
                return Err(self.err("unexpected . after term"));
            }
        }
        Ok(term)
    }
}

/// A number constant as Go reads it: decimal, hex, octal, binary integers, floats.
fn number(text: &str) -> Option<Arg> {
    let (neg, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let body_clean = body.replace('_', "");
    let int = if let Some(h) = body_clean.strip_prefix("0x").or_else(|| body_clean.strip_prefix("0X")) {
        i64::from_str_radix(h, 16).ok()
    } else if let Some(b) = body_clean.strip_prefix("0b").or_else(|| body_clean.strip_prefix("0B")) {
        i64::from_str_radix(b, 2).ok()
    } else if let Some(o) = body_clean.strip_prefix("0o").or_else(|| body_clean.strip_prefix("0O")) {
        i64::from_str_radix(o, 8).ok()
    } else if body_clean.len() > 1 && body_clean.starts_with('0') && body_clean.chars().all(|c| c.is_ascii_digit()) {
        i64::from_str_radix(&body_clean[1..], 8).ok()
    } else {
        body_clean.parse::<i64>().ok()
    };
    if let Some(i) = int {
        return Some(Arg::Int(text.to_string(), if neg { -i } else { i }));
    }
    let f: f64 = body_clean.parse().ok()?;
    if !f.is_finite() {
        return None;
    }
    // An untyped constant that is a whole number becomes an int, as Go's `idealConstant`.
    if f.fract() == 0.0 && f.abs() < 9.2e18 && !body_clean.contains(['.', 'e', 'E']) {
        let i = f as i64;
        return Some(Arg::Int(text.to_string(), if neg { -i } else { i }));
    }
    Some(Arg::Float(text.to_string(), if neg { -f } else { f }))
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Right => "\"}}\"".into(),
        Tok::RParen => "\")\"".into(),
        Tok::Eof => "EOF".into(),
        Tok::Space => "space".into(),
        Tok::Pipe => "\"|\"".into(),
        Tok::Comma => "\",\"".into(),
        Tok::Declare => "\":=\"".into(),
        Tok::Assign => "\"=\"".into(),
        Tok::LParen => "\"(\"".into(),
        Tok::Left => "\"{{\"".into(),
        Tok::Field(f) => format!("<.{f}>"),
        Tok::Dot => "<.>".into(),
        Tok::Var(v) => format!("<{v}>"),
        Tok::Ident(i) => format!("<{i}>"),
        Tok::Str(l, _) => format!("<{l}>"),
        Tok::Number(n) => format!("<{n}>"),
        Tok::Text(t) => format!("{t:?}"),
    }
}

impl std::fmt::Display for Arg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Arg::Field(_, names) => names.iter().try_for_each(|n| write!(f, ".{n}")),
            Arg::Dot => f.write_str("."),
            Arg::Nil => f.write_str("nil"),
            Arg::Var(_, v, fields) => {
                f.write_str(v)?;
                fields.iter().try_for_each(|n| write!(f, ".{n}"))
            }
            Arg::Ident(_, i) => f.write_str(i),
            Arg::Bool(b) => write!(f, "{b}"),
            Arg::Int(t, _) | Arg::Float(t, _) | Arg::Str(t, _) => f.write_str(t),
            Arg::Chain(_, p, fields) => {
                write!(f, "({p})")?;
                fields.iter().try_for_each(|n| write!(f, ".{n}"))
            }
        }
    }
}

impl std::fmt::Display for Cmd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, a) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{a}")?;
        }
        Ok(())
    }
}

impl std::fmt::Display for Pipe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.decl.is_empty() {
            write!(f, "{} {} ", self.decl.join(", "), if self.assign { "=" } else { ":=" })?;
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{c}")?;
        }
        Ok(())
    }
}
