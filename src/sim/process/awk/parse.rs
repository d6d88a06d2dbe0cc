//! awk's program text → rules: the lexer (where `/` starts a regex and where it divides, which
//! newlines end a statement) and a recursive-descent parser with POSIX awk's precedence, from
//! `?:` down to `$`. Errors are busybox awk's words (`Unexpected token`, `Unexpected end of
//! string`), with the line of the program they are on.

/// Longest program text taken.
const MAX_PROGRAM: usize = 64 * 1024;
/// Deepest nesting of expressions and statements, so a hostile program cannot overflow the stack.
const MAX_DEPTH: usize = 200;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Num(f64),
    Str(String),
    Regex(String),
    Name(String),
    /// A name directly followed by `(` (a call).
    Func(String),
    Kw(&'static str),
    Op(&'static str),
    Newline,
    Eof,
}

const KEYWORDS: &[&str] = &[
    "BEGIN", "END", "function", "func", "if", "else", "while", "for", "do", "break", "continue", "next", "nextfile",
    "exit", "return", "delete", "in", "getline", "print", "printf",
];

/// Operators, longest first.
const OPS: &[&str] = &[
    "+=", "-=", "*=", "/=", "%=", "^=", "==", "<=", ">=", "!=", "++", "--", "&&", "||", ">>", "!~", "**", "{", "}",
    "(", ")", "[", "]", ";", ",", "+", "-", "*", "/", "%", "^", "!", ">", "<", "|", "?", ":", "~", "$", "=",
];

/// A syntax error: the message and the line of the program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub line: usize,
}

fn lex(src: &str) -> Result<Vec<(Tok, usize)>, SyntaxError> {
    let s: Vec<char> = src.chars().collect();
    let mut out: Vec<(Tok, usize)> = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let err = |m: &str, line: usize| SyntaxError { message: m.into(), line };
    while i < s.len() {
        let c = s[i];
        // A `/` starts a regex unless it follows what ends an operand.
        let after_operand = matches!(
            out.last().map(|t| &t.0),
            Some(Tok::Num(_) | Tok::Str(_) | Tok::Name(_) | Tok::Regex(_))
                | Some(Tok::Op(")" | "]" | "$" | "++" | "--"))
                | Some(Tok::Kw("getline"))
        );
        match c {
            ' ' | '\t' | '\r' => i += 1,
            '\\' if s.get(i + 1) == Some(&'\n') => {
                i += 2;
                line += 1;
            }
            '\n' => {
                out.push((Tok::Newline, line));
                line += 1;
                i += 1;
            }
            '#' => {
                while i < s.len() && s[i] != '\n' {
                    i += 1;
                }
            }
            '"' => {
                i += 1;
                let mut text = String::new();
                loop {
                    let Some(&c) = s.get(i) else { return Err(err("Unexpected end of string", line)) };
                    i += 1;
                    match c {
                        '"' => break,
                        '\n' => return Err(err("Newline in string", line)),
                        '\\' => {
                            let e = s.get(i).copied().unwrap_or('\\');
                            i += 1;
                            match e {
                                'n' => text.push('\n'),
                                't' => text.push('\t'),
                                'r' => text.push('\r'),
                                '\\' => text.push('\\'),
                                '"' => text.push('"'),
                                '/' => text.push('/'),
                                'a' => text.push('\u{7}'),
                                'b' => text.push('\u{8}'),
                                'f' => text.push('\u{c}'),
                                'v' => text.push('\u{b}'),
                                '\n' => line += 1,
                                d @ '0'..='7' => {
                                    let mut n = d.to_digit(8).unwrap_or(0);
                                    for _ in 0..2 {
                                        match s.get(i).and_then(|c| c.to_digit(8)) {
                                            Some(x) => {
                                                n = n * 8 + x;
                                                i += 1;
                                            }
                                            None => break,
                                        }
                                    }
                                    text.push(char::from_u32(n).unwrap_or('\0'));
                                }
                                other => {
                                    text.push('\\');
                                    text.push(other);
                                }
                            }
                        }
                        c => text.push(c),
                    }
                }
                out.push((Tok::Str(text), line));
            }
            '/' if !after_operand => {
                i += 1;
                let mut re = String::new();
                loop {
                    let Some(&c) = s.get(i) else { return Err(err("Unexpected end of string", line)) };
                    i += 1;
                    match c {
                        '/' => break,
                        '\n' => return Err(err("Newline in regex", line)),
                        '\\' if s.get(i) == Some(&'/') => {
                            re.push('/');
                            i += 1;
                        }
                        '\\' => {
                            re.push('\\');
                            if let Some(&n) = s.get(i) {
                                re.push(n);
                                i += 1;
                            }
                        }
                        c => re.push(c),
                    }
                }
                out.push((Tok::Regex(re), line));
            }
            c if c.is_ascii_digit() || (c == '.' && s.get(i + 1).is_some_and(char::is_ascii_digit)) => {
                let start = i;
                while i < s.len() && (s[i].is_ascii_digit() || s[i] == '.') {
                    i += 1;
                }
                if i < s.len() && matches!(s[i], 'e' | 'E') {
                    let mut j = i + 1;
                    if j < s.len() && matches!(s[j], '+' | '-') {
                        j += 1;
                    }
                    if j < s.len() && s[j].is_ascii_digit() {
                        i = j;
                        while i < s.len() && s[i].is_ascii_digit() {
                            i += 1;
                        }
                    }
                }
                let text: String = s[start..i].iter().collect();
                out.push((Tok::Num(super::eval::to_number(&text)), line));
            }
            c if c == '_' || c.is_ascii_alphabetic() => {
                let start = i;
                while i < s.len() && (s[i] == '_' || s[i].is_ascii_alphanumeric()) {
                    i += 1;
                }
                let word: String = s[start..i].iter().collect();
                let tok = match KEYWORDS.iter().find(|k| **k == word) {
                    Some(k) => Tok::Kw(k),
                    None if s.get(i) == Some(&'(') => Tok::Func(word),
                    None => Tok::Name(word),
                };
                out.push((tok, line));
            }
            _ => {
                let rest: String = s[i..s.len().min(i + 2)].iter().collect();
                let Some(op) = OPS.iter().find(|o| rest.starts_with(**o)) else {
                    return Err(err("Unexpected token", line));
                };
                i += op.chars().count();
                out.push((Tok::Op(if *op == "**" { "^" } else { op }), line));
            }
        }
    }
    out.push((Tok::Eof, line));
    Ok(out)
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(f64),
    Str(String),
    /// `/re/` alone: whether it matches `$0`.
    Regex(String),
    Var(String),
    Field(Box<Expr>),
    Index(String, Vec<Expr>),
    /// `lvalue = e`, or `lvalue OP= e` with the operator.
    Assign(Box<Expr>, Option<&'static str>, Box<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Plus(Box<Expr>),
    /// Arithmetic (`+ - * / % ^`) and comparisons (`< <= == != > >=`).
    Bin(&'static str, Box<Expr>, Box<Expr>),
    Concat(Box<Expr>, Box<Expr>),
    /// `e ~ re`, or `!~` when negated.
    Match(bool, Box<Expr>, Box<Expr>),
    /// `(k1, k2) in array`.
    In(Vec<Expr>, String),
    /// `++x` / `--x` (pre) and `x++` / `x--` (post): the step and whether it is post.
    Incr(Box<Expr>, f64, bool),
    Call(String, Vec<Expr>),
    /// `(a, b)`: only before `in`, or as print's list.
    Group(Vec<Expr>),
}

/// Where `print`/`printf` writes: `> file`, `>> file` or `| command`.
#[derive(Debug, Clone, PartialEq)]
pub enum Redirect {
    Truncate(Expr),
    Append(Expr),
    Pipe(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stmt {
    Print(Vec<Expr>, Option<Redirect>),
    Printf(Vec<Expr>, Option<Redirect>),
    Expr(Expr),
    If(Expr, Box<Stmt>, Option<Box<Stmt>>),
    While(Expr, Box<Stmt>),
    Do(Box<Stmt>, Expr),
    For(Option<Box<Stmt>>, Option<Expr>, Option<Box<Stmt>>, Box<Stmt>),
    ForIn(String, String, Box<Stmt>),
    Block(Vec<Stmt>),
    Next,
    Exit(Option<Expr>),
    Break,
    Continue,
    Delete(String, Option<Vec<Expr>>),
    Return(Option<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Pattern {
    Begin,
    End,
    All,
    Expr(Expr),
    Range(Expr, Expr),
}

/// One `pattern { action }`; no action means `{ print }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub pattern: Pattern,
    pub action: Option<Vec<Stmt>>,
}

/// A user-defined function: its parameters and body.
#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    pub params: Vec<String>,
    pub body: Vec<Stmt>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Program {
    pub rules: Vec<Rule>,
    pub functions: std::collections::BTreeMap<String, Function>,
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    i: usize,
    depth: usize,
    /// Inside print's list, `>` redirects instead of comparing.
    no_gt: bool,
    /// Inside `for (… in …)`'s head, `in` is not an operator.
    no_in: bool,
}

type R<T> = Result<T, SyntaxError>;

/// Parses a whole program.
pub fn parse(src: &str) -> R<Program> {
    if src.len() > MAX_PROGRAM {
        return Err(SyntaxError { message: "Program too long".into(), line: 1 });
    }
    let mut p = Parser { toks: lex(src)?, i: 0, depth: 0, no_gt: false, no_in: false };
    let mut prog = Program::default();
    loop {
        p.skip_terminators();
        if p.peek() == &Tok::Eof {
            break;
        }
        if matches!(p.peek(), Tok::Kw("function" | "func")) {
            p.i += 1;
            let name = match p.next() {
                Tok::Name(n) | Tok::Func(n) => n,
                _ => return Err(p.error("Unexpected token")),
            };
            p.expect("(")?;
            let mut params = Vec::new();
            while !p.eat(")") {
                match p.next() {
                    Tok::Name(n) => params.push(n),
                    _ => return Err(p.error("Unexpected token")),
                }
                p.skip_newlines();
                p.eat(",");
                p.skip_newlines();
            }
            p.skip_newlines();
            let body = p.block()?;
            prog.functions.insert(name, Function { params, body });
            continue;
        }
        let pattern = match p.peek() {
            Tok::Kw("BEGIN") => {
                p.i += 1;
                Pattern::Begin
            }
            Tok::Kw("END") => {
                p.i += 1;
                Pattern::End
            }
            Tok::Op("{") => Pattern::All,
            _ => {
                let a = p.expr()?;
                if p.eat(",") {
                    p.skip_newlines();
                    Pattern::Range(a, p.expr()?)
                } else {
                    Pattern::Expr(a)
                }
            }
        };
        let action = if p.peek() == &Tok::Op("{") {
            Some(p.block()?)
        } else if matches!(pattern, Pattern::Begin | Pattern::End) {
            return Err(p.error("Unexpected token"));
        } else {
            None
        };
        prog.rules.push(Rule { pattern, action });
    }
    Ok(prog)
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.i.min(self.toks.len() - 1)].0
    }

    fn next(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.i < self.toks.len() - 1 {
            self.i += 1;
        }
        t
    }

    fn line(&self) -> usize {
        self.toks[self.i.min(self.toks.len() - 1)].1
    }

    fn error(&self, m: &str) -> SyntaxError {
        let message = if self.peek() == &Tok::Eof && m == "Unexpected token" { "Unexpected end of string" } else { m };
        SyntaxError { message: message.into(), line: self.line() }
    }

    fn eat(&mut self, op: &str) -> bool {
        if matches!(self.peek(), Tok::Op(o) if *o == op) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, op: &str) -> R<()> {
        if self.eat(op) {
            Ok(())
        } else {
            Err(self.error("Unexpected token"))
        }
    }

    fn skip_newlines(&mut self) {
        while self.peek() == &Tok::Newline {
            self.i += 1;
        }
    }

    fn skip_terminators(&mut self) {
        while matches!(self.peek(), Tok::Newline | Tok::Op(";")) {
            self.i += 1;
        }
    }

    fn deeper(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("Program too deeply nested"));
        }
        Ok(())
    }

    fn block(&mut self) -> R<Vec<Stmt>> {
        self.expect("{")?;
        self.deeper()?;
        let mut out = Vec::new();
        loop {
            self.skip_terminators();
            if self.eat("}") {
                break;
            }
            if self.peek() == &Tok::Eof {
                return Err(self.error("Unexpected end of string"));
            }
            out.push(self.stmt()?);
        }
        self.depth -= 1;
        Ok(out)
    }

    /// The end of a simple statement: `;`, a newline, or before `}`.
    fn end_simple(&mut self) -> R<()> {
        match self.peek() {
            Tok::Op(";") | Tok::Newline => {
                self.i += 1;
                Ok(())
            }
            Tok::Op("}") | Tok::Eof => Ok(()),
            _ => Err(self.error("Unexpected token")),
        }
    }

    /// A statement after `if (…)`, `else`, a loop's head: on the same line or the next.
    fn body(&mut self) -> R<Stmt> {
        self.skip_newlines();
        if self.eat(";") {
            return Ok(Stmt::Block(Vec::new()));
        }
        self.stmt()
    }

    fn stmt(&mut self) -> R<Stmt> {
        self.deeper()?;
        let s = self.stmt_inner()?;
        self.depth -= 1;
        Ok(s)
    }

    fn stmt_inner(&mut self) -> R<Stmt> {
        match self.peek().clone() {
            Tok::Op("{") => Ok(Stmt::Block(self.block()?)),
            Tok::Kw("if") => {
                self.i += 1;
                self.expect("(")?;
                let cond = self.expr()?;
                self.expect(")")?;
                let then = self.body()?;
                // `else` may follow after terminators of the then-branch.
                let save = self.i;
                self.skip_terminators();
                if self.peek() == &Tok::Kw("else") {
                    self.i += 1;
                    let other = self.body()?;
                    return Ok(Stmt::If(cond, Box::new(then), Some(Box::new(other))));
                }
                self.i = save;
                Ok(Stmt::If(cond, Box::new(then), None))
            }
            Tok::Kw("while") => {
                self.i += 1;
                self.expect("(")?;
                let cond = self.expr()?;
                self.expect(")")?;
                if self.eat(";") {
                    return Ok(Stmt::While(cond, Box::new(Stmt::Block(Vec::new()))));
                }
                Ok(Stmt::While(cond, Box::new(self.body()?)))
            }
            Tok::Kw("do") => {
                self.i += 1;
                let body = self.body()?;
                self.skip_terminators();
                if self.next() != Tok::Kw("while") {
                    return Err(self.error("Unexpected token"));
                }
                self.expect("(")?;
                let cond = self.expr()?;
                self.expect(")")?;
                self.end_simple()?;
                Ok(Stmt::Do(Box::new(body), cond))
            }
            Tok::Kw("for") => {
                self.i += 1;
                self.expect("(")?;
                if let (Tok::Name(var), Tok::Kw("in"), Tok::Name(arr)) = (
                    self.peek().clone(),
                    self.toks.get(self.i + 1).map(|t| t.0.clone()).unwrap_or(Tok::Eof),
                    self.toks.get(self.i + 2).map(|t| t.0.clone()).unwrap_or(Tok::Eof),
                ) {
                    if self.toks.get(self.i + 3).map(|t| &t.0) == Some(&Tok::Op(")")) {
                        self.i += 4;
                        return Ok(Stmt::ForIn(var, arr, Box::new(self.body()?)));
                    }
                }
                let init = if self.peek() == &Tok::Op(";") { None } else { Some(Box::new(self.simple_stmt()?)) };
                self.expect(";")?;
                self.skip_newlines();
                let cond = if self.peek() == &Tok::Op(";") { None } else { Some(self.expr()?) };
                self.expect(";")?;
                self.skip_newlines();
                let step = if self.peek() == &Tok::Op(")") { None } else { Some(Box::new(self.simple_stmt()?)) };
                self.expect(")")?;
                if self.eat(";") {
                    return Ok(Stmt::For(init, cond, step, Box::new(Stmt::Block(Vec::new()))));
                }
                Ok(Stmt::For(init, cond, step, Box::new(self.body()?)))
            }
            Tok::Op(";") => {
                self.i += 1;
                Ok(Stmt::Block(Vec::new()))
            }
            _ => {
                let s = self.simple_stmt()?;
                self.end_simple()?;
                Ok(s)
            }
        }
    }

    fn simple_stmt(&mut self) -> R<Stmt> {
        match self.peek().clone() {
            Tok::Kw(kw @ ("print" | "printf")) => {
                self.i += 1;
                let mut args = Vec::new();
                if !matches!(self.peek(), Tok::Op(";" | "}" | ">" | ">>" | "|") | Tok::Newline | Tok::Eof) {
                    self.no_gt = true;
                    let list = self.expr_list();
                    self.no_gt = false;
                    args = list?;
                }
                if let [Expr::Group(inner)] = args.as_slice() {
                    args = inner.clone();
                }
                let redirect = match self.peek() {
                    Tok::Op(">") => {
                        self.i += 1;
                        Some(Redirect::Truncate(self.concat_expr()?))
                    }
                    Tok::Op(">>") => {
                        self.i += 1;
                        Some(Redirect::Append(self.concat_expr()?))
                    }
                    Tok::Op("|") => {
                        self.i += 1;
                        Some(Redirect::Pipe(self.concat_expr()?))
                    }
                    _ => None,
                };
                if kw == "printf" && args.is_empty() {
                    return Err(self.error("Too few arguments"));
                }
                Ok(if kw == "print" { Stmt::Print(args, redirect) } else { Stmt::Printf(args, redirect) })
            }
            Tok::Kw("next") => {
                self.i += 1;
                Ok(Stmt::Next)
            }
            Tok::Kw("nextfile") => Err(self.error("nextfile is not simulated")),
            Tok::Kw("break") => {
                self.i += 1;
                Ok(Stmt::Break)
            }
            Tok::Kw("continue") => {
                self.i += 1;
                Ok(Stmt::Continue)
            }
            Tok::Kw(kw @ ("exit" | "return")) => {
                self.i += 1;
                let value = if matches!(self.peek(), Tok::Op(";" | "}") | Tok::Newline | Tok::Eof) {
                    None
                } else {
                    Some(self.expr()?)
                };
                Ok(if kw == "exit" { Stmt::Exit(value) } else { Stmt::Return(value) })
            }
            Tok::Kw("delete") => {
                self.i += 1;
                let Tok::Name(name) = self.next() else { return Err(self.error("Unexpected token")) };
                if self.eat("[") {
                    let keys = self.expr_list()?;
                    self.expect("]")?;
                    Ok(Stmt::Delete(name, Some(keys)))
                } else {
                    Ok(Stmt::Delete(name, None))
                }
            }
            _ => Ok(Stmt::Expr(self.expr()?)),
        }
    }

    fn expr_list(&mut self) -> R<Vec<Expr>> {
        let mut out = vec![self.expr()?];
        while self.eat(",") {
            self.skip_newlines();
            out.push(self.expr()?);
        }
        Ok(out)
    }

    fn expr(&mut self) -> R<Expr> {
        self.deeper()?;
        let e = self.ternary()?;
        self.depth -= 1;
        Ok(e)
    }

    fn ternary(&mut self) -> R<Expr> {
        let cond = self.or()?;
        if let Tok::Op(op @ ("=" | "+=" | "-=" | "*=" | "/=" | "%=" | "^=")) = self.peek().clone() {
            if matches!(cond, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
                self.i += 1;
                self.skip_newlines();
                let value = self.expr()?;
                let op = (op != "=").then(|| &op[..1]);
                let op: Option<&'static str> = op.map(|o| match o {
                    "+" => "+",
                    "-" => "-",
                    "*" => "*",
                    "/" => "/",
                    "%" => "%",
                    _ => "^",
                });
                return Ok(Expr::Assign(Box::new(cond), op, Box::new(value)));
            }
        }
        if self.eat("?") {
            self.skip_newlines();
            let a = self.expr()?;
            self.skip_newlines();
            self.expect(":")?;
            self.skip_newlines();
            let b = self.expr()?;
            return Ok(Expr::Cond(Box::new(cond), Box::new(a), Box::new(b)));
        }
        Ok(cond)
    }

    fn or(&mut self) -> R<Expr> {
        let mut a = self.and()?;
        while self.eat("||") {
            self.skip_newlines();
            a = Expr::Or(Box::new(a), Box::new(self.and()?));
        }
        Ok(a)
    }

    fn and(&mut self) -> R<Expr> {
        let mut a = self.in_expr()?;
        while self.eat("&&") {
            self.skip_newlines();
            a = Expr::And(Box::new(a), Box::new(self.in_expr()?));
        }
        Ok(a)
    }

    fn in_expr(&mut self) -> R<Expr> {
        let mut a = self.matching()?;
        while !self.no_in && self.peek() == &Tok::Kw("in") {
            self.i += 1;
            let Tok::Name(arr) = self.next() else { return Err(self.error("Unexpected token")) };
            let keys = match a {
                Expr::Group(v) => v,
                other => vec![other],
            };
            a = Expr::In(keys, arr);
        }
        Ok(a)
    }

    fn matching(&mut self) -> R<Expr> {
        let mut a = self.comparison()?;
        loop {
            let negated = match self.peek() {
                Tok::Op("~") => false,
                Tok::Op("!~") => true,
                _ => break,
            };
            self.i += 1;
            a = Expr::Match(negated, Box::new(a), Box::new(self.comparison()?));
        }
        Ok(a)
    }

    fn comparison(&mut self) -> R<Expr> {
        let a = self.concat_expr()?;
        let op = match self.peek() {
            Tok::Op(">") if self.no_gt => return Ok(a),
            Tok::Op(op @ ("<" | "<=" | "==" | "!=" | ">" | ">=")) => *op,
            _ => return Ok(a),
        };
        self.i += 1;
        Ok(Expr::Bin(op, Box::new(a), Box::new(self.concat_expr()?)))
    }

    /// Whether the next token can begin an operand juxtaposed for concatenation.
    fn starts_operand(&self) -> bool {
        matches!(
            self.peek(),
            Tok::Num(_) | Tok::Str(_) | Tok::Name(_) | Tok::Func(_) | Tok::Regex(_) | Tok::Op("$" | "(")
        )
    }

    fn concat_expr(&mut self) -> R<Expr> {
        let mut a = self.additive()?;
        while self.starts_operand() && !(self.no_in && self.peek() == &Tok::Kw("in")) {
            a = Expr::Concat(Box::new(a), Box::new(self.additive()?));
        }
        Ok(a)
    }

    fn additive(&mut self) -> R<Expr> {
        let mut a = self.multiplicative()?;
        while let Tok::Op(op @ ("+" | "-")) = self.peek().clone() {
            self.i += 1;
            a = Expr::Bin(op, Box::new(a), Box::new(self.multiplicative()?));
        }
        Ok(a)
    }

    fn multiplicative(&mut self) -> R<Expr> {
        let mut a = self.unary()?;
        while let Tok::Op(op @ ("*" | "/" | "%")) = self.peek().clone() {
            self.i += 1;
            a = Expr::Bin(op, Box::new(a), Box::new(self.unary()?));
        }
        Ok(a)
    }

    fn unary(&mut self) -> R<Expr> {
        self.deeper()?;
        let e = match self.peek() {
            Tok::Op("!") => {
                self.i += 1;
                Expr::Not(Box::new(self.unary()?))
            }
            Tok::Op("-") => {
                self.i += 1;
                Expr::Neg(Box::new(self.unary()?))
            }
            Tok::Op("+") => {
                self.i += 1;
                Expr::Plus(Box::new(self.unary()?))
            }
            _ => self.power()?,
        };
        self.depth -= 1;
        Ok(e)
    }

    fn power(&mut self) -> R<Expr> {
        let base = self.postfix()?;
        if self.eat("^") {
            // Right-associative, and binds tighter than a unary minus on its right.
            let exp = self.unary_power()?;
            return Ok(Expr::Bin("^", Box::new(base), Box::new(exp)));
        }
        Ok(base)
    }

    fn unary_power(&mut self) -> R<Expr> {
        self.deeper()?;
        let e = match self.peek() {
            Tok::Op("-") => {
                self.i += 1;
                Expr::Neg(Box::new(self.unary_power()?))
            }
            _ => self.power()?,
        };
        self.depth -= 1;
        Ok(e)
    }

    fn postfix(&mut self) -> R<Expr> {
        if let Tok::Op(op @ ("++" | "--")) = self.peek().clone() {
            self.i += 1;
            let target = self.postfix()?;
            if !matches!(target, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
                return Err(self.error("Unexpected token"));
            }
            return Ok(Expr::Incr(Box::new(target), if op == "++" { 1.0 } else { -1.0 }, false));
        }
        let e = self.primary()?;
        if matches!(e, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
            if let Tok::Op(op @ ("++" | "--")) = self.peek().clone() {
                self.i += 1;
                return Ok(Expr::Incr(Box::new(e), if op == "++" { 1.0 } else { -1.0 }, true));
            }
        }
        Ok(e)
    }

    fn primary(&mut self) -> R<Expr> {
        self.deeper()?;
        let e = self.primary_inner()?;
        self.depth -= 1;
        Ok(e)
    }

    fn primary_inner(&mut self) -> R<Expr> {
        match self.next() {
            Tok::Num(n) => Ok(Expr::Num(n)),
            Tok::Str(s) => Ok(Expr::Str(s)),
            Tok::Regex(r) => Ok(Expr::Regex(r)),
            Tok::Op("$") => {
                // `$NF`, `$i++` is `($i)++`, `$(i+1)`, `$-1` is an error at run time.
                let e = match self.peek() {
                    Tok::Op("-") => {
                        self.i += 1;
                        Expr::Neg(Box::new(self.primary()?))
                    }
                    Tok::Op("++" | "--") => self.postfix()?,
                    _ => self.primary()?,
                };
                Ok(Expr::Field(Box::new(e)))
            }
            Tok::Op("(") => {
                let saved = (self.no_gt, self.no_in);
                (self.no_gt, self.no_in) = (false, false);
                let first = self.expr();
                let first = match first {
                    Ok(f) => f,
                    Err(e) => {
                        (self.no_gt, self.no_in) = saved;
                        return Err(e);
                    }
                };
                let mut items = vec![first];
                while self.eat(",") {
                    self.skip_newlines();
                    items.push(self.expr()?);
                }
                (self.no_gt, self.no_in) = saved;
                self.expect(")")?;
                Ok(if items.len() == 1 { items.remove(0) } else { Expr::Group(items) })
            }
            Tok::Name(n) => {
                if self.eat("[") {
                    let keys = self.expr_list()?;
                    self.expect("]")?;
                    return Ok(Expr::Index(n, keys));
                }
                // `length` without parentheses is the length of $0.
                if n == "length" {
                    return Ok(Expr::Call(n, Vec::new()));
                }
                Ok(Expr::Var(n))
            }
            Tok::Func(n) => {
                self.expect("(")?;
                let saved = (self.no_gt, self.no_in);
                (self.no_gt, self.no_in) = (false, false);
                let mut args = Vec::new();
                self.skip_newlines();
                if !self.eat(")") {
                    let list = self.expr_list();
                    (self.no_gt, self.no_in) = saved;
                    args = list?;
                    self.skip_newlines();
                    self.expect(")")?;
                }
                (self.no_gt, self.no_in) = saved;
                Ok(Expr::Call(n, args))
            }
            Tok::Kw("getline") => Err(SyntaxError {
                message: "getline is not simulated (the sandbox's awk reads its input only as records)".into(),
                line: self.line(),
            }),
            Tok::Eof => Err(self.error("Unexpected end of string")),
            _ => {
                self.i = self.i.saturating_sub(1);
                Err(self.error("Unexpected token"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slash_divides_after_an_operand_and_starts_a_regex_elsewhere() {
        let p = parse("a / 2 ~ /x/ { print $1 / $2 }").unwrap();
        let Pattern::Expr(Expr::Match(false, lhs, rhs)) = &p.rules[0].pattern else { panic!("{p:?}") };
        assert!(matches!(**lhs, Expr::Bin("/", _, _)));
        assert_eq!(**rhs, Expr::Regex("x".into()));
    }

    #[test]
    fn print_redirects_with_gt_and_compares_inside_parentheses() {
        let p = parse("{ print $1, ($2 > 3) > \"out\" }").unwrap();
        let Some(action) = &p.rules[0].action else { panic!() };
        let Stmt::Print(args, Some(Redirect::Truncate(Expr::Str(f)))) = &action[0] else { panic!("{action:?}") };
        assert_eq!(f, "out");
        assert!(matches!(args[1], Expr::Bin(">", _, _)));
    }

    #[test]
    fn errors_name_the_line_and_hostile_nesting_is_refused() {
        assert_eq!(parse("{ print (1 }").unwrap_err().message, "Unexpected token");
        assert_eq!(
            parse("BEGIN {\nx = \n").unwrap_err(),
            SyntaxError { message: "Unexpected end of string".into(), line: 3 }
        );
        assert!(parse(&"(".repeat(10_000)).is_err());
        assert!(parse("{ getline }").unwrap_err().message.starts_with("getline is not simulated"));
    }
}
