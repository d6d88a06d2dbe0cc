//! awk's values and the running of a parsed program over its records: strings, numbers and
//! "strnums" (fields, `-v` values: compared as numbers when they look like one), fields split
//! by `FS` and `$0` rebuilt with `OFS` when one is assigned, the built-in variables and
//! functions, and output to stdout or to files.
//!
//! Pure: it reads and writes only what it is handed (the records, the files the caller keeps).
//! Bounded: every statement and loop turn costs a step, and the program stops at
//! [`MAX_STEPS`], so `while (1)` ends.

use std::collections::BTreeMap;

use super::parse::{Expr, Function, Pattern, Program, Redirect, Stmt};
use crate::sim::process::regex::Regex;

/// Steps a program may take (statements, loop turns, calls).
// SIM: awk runs until it is done or killed; the sandbox stops it here and says so.
pub const MAX_STEPS: u64 = 2_000_000;
/// Longest output, and longest string built, before the program is stopped.
const MAX_TEXT: usize = 8 << 20;
/// Deepest recursion of user-defined functions.
const MAX_CALLS: usize = 200;

#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Uninit,
    Num(f64),
    Str(String),
    /// Input text (a field, `$0`, a `-v` value, `split`'s pieces): a number if it looks like one.
    StrNum(String),
}

/// awk's `strtod`: the number the text begins with (0 when none).
pub fn to_number(s: &str) -> f64 {
    let t = s.trim_start_matches([' ', '\t', '\n', '\r']);
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i == digits_start || (i == digits_start + 1 && b[digits_start] == b'.') {
        return 0.0;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    t[..i].parse().unwrap_or(0.0)
}

/// Whether input text looks like a number as a whole (blanks around allowed).
fn looks_numeric(s: &str) -> bool {
    let t = s.trim_matches([' ', '\t', '\n', '\r']);
    if t.is_empty() {
        return false;
    }
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    let mantissa_ok = unsigned.chars().next().is_some_and(|c| c.is_ascii_digit() || c == '.');
    mantissa_ok && t.parse::<f64>().is_ok() && !unsigned.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// A number as awk writes it: integers plainly, others through `fmt` (`%.6g`).
pub fn number_text(n: f64, fmt: &str) -> String {
    if n.is_nan() {
        return if n.is_sign_negative() { "-nan".into() } else { "nan".into() };
    }
    if n.is_infinite() {
        return if n < 0.0 { "-inf".into() } else { "inf".into() };
    }
    if n == n.trunc() && n.abs() < 1e16 {
        return format!("{}", n as i64);
    }
    crate::sim::process::printf::format(fmt, &[&format!("{n:e}")]).0
}

impl Val {
    pub fn num(&self) -> f64 {
        match self {
            Val::Uninit => 0.0,
            Val::Num(n) => *n,
            Val::Str(s) | Val::StrNum(s) => to_number(s),
        }
    }

    pub fn text(&self, convfmt: &str) -> String {
        match self {
            Val::Uninit => String::new(),
            Val::Num(n) => number_text(*n, convfmt),
            Val::Str(s) | Val::StrNum(s) => s.clone(),
        }
    }

    fn truthy(&self) -> bool {
        match self {
            Val::Uninit => false,
            Val::Num(n) => *n != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::StrNum(s) => {
                if looks_numeric(s) {
                    to_number(s) != 0.0
                } else {
                    !s.is_empty()
                }
            }
        }
    }

    /// Whether the value compares as a number.
    fn numeric(&self) -> bool {
        match self {
            Val::Uninit | Val::Num(_) => true,
            Val::Str(_) => false,
            Val::StrNum(s) => looks_numeric(s),
        }
    }
}

/// Why the program stopped early.
#[derive(Debug, Clone, PartialEq)]
pub enum Stop {
    /// `exit [code]`.
    Exit(i32),
    /// A run-time error, in busybox's words.
    Error(String),
}

/// What control flow a statement left.
enum Flow {
    Normal,
    Next,
    Break,
    Continue,
    Return(Val),
}

type Run<T> = Result<T, Stop>;

/// Everything a running program holds.
pub struct Awk<'p> {
    prog: &'p Program,
    vars: BTreeMap<String, Val>,
    arrays: BTreeMap<String, BTreeMap<String, Val>>,
    /// Function parameters and locals, innermost call last.
    frames: Vec<BTreeMap<String, Val>>,
    local_arrays: Vec<BTreeMap<String, BTreeMap<String, Val>>>,
    record: String,
    fields: Vec<String>,
    /// Whether `fields` is stale (`$0` assigned) or `record` is (a field assigned).
    fields_stale: bool,
    steps: u64,
    regexes: BTreeMap<String, Regex>,
    /// Range patterns that have begun and not yet ended, by rule.
    in_range: Vec<bool>,
    pub out: String,
    pub err: String,
    /// Files written with `>` or `>>` in this run: whether the first write appended, and the
    /// text written.
    pub files: BTreeMap<String, (bool, String)>,
    pub exit_code: i32,
}

impl<'p> Awk<'p> {
    /// A program ready to run, with `-v` assignments and the environment (`ENVIRON`).
    pub fn new(prog: &'p Program, assigns: &[(String, String)], environ: &BTreeMap<String, String>) -> Awk<'p> {
        let mut vars = BTreeMap::new();
        for (k, v) in [
            ("FS", " "),
            ("OFS", " "),
            ("ORS", "\n"),
            ("RS", "\n"),
            ("SUBSEP", "\u{1c}"),
            ("CONVFMT", "%.6g"),
            ("OFMT", "%.6g"),
            ("FILENAME", ""),
        ] {
            vars.insert(k.to_string(), Val::Str(v.to_string()));
        }
        for k in ["NR", "NF", "FNR", "RSTART", "RLENGTH"] {
            vars.insert(k.to_string(), Val::Num(0.0));
        }
        vars.insert("RLENGTH".into(), Val::Num(-1.0));
        for (k, v) in assigns {
            vars.insert(k.clone(), Val::StrNum(v.clone()));
        }
        let mut arrays = BTreeMap::new();
        arrays.insert(
            "ENVIRON".to_string(),
            environ.iter().map(|(k, v)| (k.clone(), Val::StrNum(v.clone()))).collect::<BTreeMap<_, _>>(),
        );
        Awk {
            prog,
            vars,
            arrays,
            frames: Vec::new(),
            local_arrays: Vec::new(),
            record: String::new(),
            fields: Vec::new(),
            fields_stale: false,
            steps: 0,
            regexes: BTreeMap::new(),
            in_range: vec![false; prog.rules.len()],
            out: String::new(),
            err: String::new(),
            files: BTreeMap::new(),
            exit_code: 0,
        }
    }

    fn step(&mut self) -> Run<()> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(Stop::Error(format!("the program took more than {MAX_STEPS} steps (a sandbox limit)")));
        }
        Ok(())
    }

    fn var_text(&self, name: &str) -> String {
        self.vars.get(name).map(|v| v.text("%.6g")).unwrap_or_default()
    }

    fn convfmt(&self) -> String {
        self.var_text("CONVFMT")
    }

    /// Runs the BEGIN rules; `Err(Exit)` when one exits (END still runs, as awk does).
    pub fn begin(&mut self) -> Run<()> {
        self.run_rules(|p| matches!(p, Pattern::Begin))
    }

    /// Whether the program reads input at all (rules besides BEGIN).
    pub fn reads_input(&self) -> bool {
        self.prog.rules.iter().any(|r| !matches!(r.pattern, Pattern::Begin))
    }

    pub fn end(&mut self) -> Run<()> {
        self.run_rules(|p| matches!(p, Pattern::End))
    }

    fn run_rules(&mut self, which: impl Fn(&Pattern) -> bool) -> Run<()> {
        for rule in &self.prog.rules {
            if !which(&rule.pattern) {
                continue;
            }
            if let Some(action) = &rule.action {
                if let Flow::Next = self.block(action)? {
                    return Err(Stop::Error("next used in BEGIN or END".into()));
                }
            }
        }
        Ok(())
    }

    /// Runs the main rules over one record.
    pub fn record(&mut self, line: &str, filename: &str) -> Run<()> {
        let nr = self.vars.get("NR").map_or(0.0, Val::num) + 1.0;
        let fnr = self.vars.get("FNR").map_or(0.0, Val::num) + 1.0;
        self.vars.insert("NR".into(), Val::Num(nr));
        self.vars.insert("FNR".into(), Val::Num(fnr));
        self.vars.insert("FILENAME".into(), Val::Str(filename.into()));
        self.set_record(line.to_string())?;
        for (i, rule) in self.prog.rules.iter().enumerate() {
            let selected = match &rule.pattern {
                Pattern::Begin | Pattern::End => continue,
                Pattern::All => true,
                Pattern::Expr(e) => self.eval(e)?.truthy(),
                Pattern::Range(a, b) => {
                    if self.in_range[i] {
                        if self.eval(b)?.truthy() {
                            self.in_range[i] = false;
                        }
                        true
                    } else if self.eval(a)?.truthy() {
                        self.in_range[i] = !self.eval(b)?.truthy();
                        true
                    } else {
                        false
                    }
                }
            };
            if !selected {
                continue;
            }
            match &rule.action {
                None => {
                    let text = self.record_text()?;
                    let ors = self.var_text("ORS");
                    self.emit(&format!("{text}{ors}"), None)?;
                }
                Some(action) => {
                    if let Flow::Next = self.block(action)? {
                        return Ok(());
                    }
                }
            }
        }
        Ok(())
    }

    // ---- records and fields ----

    fn set_record(&mut self, text: String) -> Run<()> {
        self.record = text;
        self.split_record()
    }

    fn split_record(&mut self) -> Run<()> {
        let fs = self.var_text("FS");
        self.fields = self.split_with(&self.record.clone(), &fs)?;
        self.fields_stale = false;
        self.vars.insert("NF".into(), Val::Num(self.fields.len() as f64));
        Ok(())
    }

    /// Splits `text` as `FS` (or split's separator) `fs` says: a blank splits on runs of
    /// blanks, one other character on itself, a tab on tabs, longer text as a regex.
    fn split_with(&mut self, text: &str, fs: &str) -> Run<Vec<String>> {
        if text.is_empty() {
            return Ok(Vec::new());
        }
        Ok(match fs {
            " " => text.split([' ', '\t', '\n']).filter(|s| !s.is_empty()).map(str::to_string).collect(),
            "" => text.chars().map(|c| c.to_string()).collect(),
            _ if fs.chars().count() == 1 && fs != "\\" => text.split(fs).map(str::to_string).collect(),
            _ => {
                let re = self.regex(fs)?;
                let mut out = Vec::new();
                let chars: Vec<char> = text.chars().collect();
                let seen = re.chars_of(text);
                let mut start = 0;
                let mut at = 0;
                while at <= chars.len() {
                    match re.find_from(&seen, at) {
                        Some((s, e)) if e > s => {
                            out.push(chars[start..s].iter().collect());
                            at = e;
                            start = at;
                        }
                        _ => break,
                    }
                }
                out.push(chars[start..].iter().collect());
                out
            }
        })
    }

    fn record_text(&mut self) -> Run<String> {
        if self.fields_stale {
            let ofs = self.var_text("OFS");
            self.record = self.fields.join(&ofs);
            self.fields_stale = false;
        }
        Ok(self.record.clone())
    }

    fn field(&mut self, n: f64) -> Run<Val> {
        if n < 0.0 {
            return Err(Stop::Error(format!("Access to negative field: {}", n as i64)));
        }
        let n = n as usize;
        if n == 0 {
            return Ok(Val::StrNum(self.record_text()?));
        }
        Ok(self.fields.get(n - 1).map_or(Val::Uninit, |f| Val::StrNum(f.clone())))
    }

    fn set_field(&mut self, n: f64, v: String) -> Run<()> {
        if n < 0.0 {
            return Err(Stop::Error(format!("Access to negative field: {}", n as i64)));
        }
        let n = n as usize;
        if n == 0 {
            return self.set_record(v);
        }
        if n > 100_000 {
            return Err(Stop::Error("field number too large (a sandbox limit)".into()));
        }
        if self.fields.len() < n {
            self.fields.resize(n, String::new());
        }
        self.fields[n - 1] = v;
        self.fields_stale = true;
        self.vars.insert("NF".into(), Val::Num(self.fields.len() as f64));
        Ok(())
    }

    fn set_nf(&mut self, nf: f64) -> Run<()> {
        let nf = nf.max(0.0) as usize;
        if nf > 100_000 {
            return Err(Stop::Error("field number too large (a sandbox limit)".into()));
        }
        self.fields.resize(nf, String::new());
        self.fields_stale = true;
        self.vars.insert("NF".into(), Val::Num(nf as f64));
        Ok(())
    }

    fn regex(&mut self, pattern: &str) -> Run<Regex> {
        if let Some(r) = self.regexes.get(pattern) {
            return Ok(r.clone());
        }
        let r = Regex::new(pattern, true, false).map_err(|e| Stop::Error(format!("bad regex '{pattern}': {e}")))?;
        if self.regexes.len() < 256 {
            self.regexes.insert(pattern.to_string(), r.clone());
        }
        Ok(r)
    }

    /// The regex an operand of `~`, `split`, `sub`… stands for: `/re/` itself, else its text.
    fn regex_of(&mut self, e: &Expr) -> Run<Regex> {
        match e {
            Expr::Regex(r) => self.regex(r),
            other => {
                let t = self.eval(other)?.text(&self.convfmt());
                self.regex(&t)
            }
        }
    }

    // ---- output ----

    fn emit(&mut self, text: &str, redirect: Option<&Redirect>) -> Run<()> {
        let target = match redirect {
            None => None,
            Some(Redirect::Pipe(_)) => {
                return Err(Stop::Error("output to a command (print | \"cmd\") is not simulated".into()));
            }
            Some(Redirect::Truncate(e) | Redirect::Append(e)) => {
                let name = self.eval(e)?.text(&self.convfmt());
                let append = matches!(redirect, Some(Redirect::Append(_)));
                Some((name, append))
            }
        };
        match target {
            None => self.out.push_str(text),
            Some((name, _)) if name == "/dev/stdout" || name == "-" => self.out.push_str(text),
            Some((name, _)) if name == "/dev/stderr" => self.err.push_str(text),
            Some((name, append)) => {
                // A file is opened once: `>` empties it the first time only.
                self.files.entry(name).or_insert_with(|| (append, String::new())).1.push_str(text);
            }
        }
        if self.out.len() > MAX_TEXT || self.files.values().any(|f| f.1.len() > MAX_TEXT) {
            return Err(Stop::Error(format!("more than {} MiB of output (a sandbox limit)", MAX_TEXT >> 20)));
        }
        Ok(())
    }

    // ---- statements ----

    fn block(&mut self, stmts: &[Stmt]) -> Run<Flow> {
        for s in stmts {
            match self.stmt(s)? {
                Flow::Normal => {}
                other => return Ok(other),
            }
        }
        Ok(Flow::Normal)
    }

    fn stmt(&mut self, s: &Stmt) -> Run<Flow> {
        self.step()?;
        match s {
            Stmt::Print(args, redirect) => {
                let ofmt = self.var_text("OFMT");
                let mut parts = Vec::new();
                if args.is_empty() {
                    parts.push(self.record_text()?);
                }
                for a in args {
                    let v = self.eval(a)?;
                    parts.push(match v {
                        Val::Num(n) => number_text(n, &ofmt),
                        other => other.text(&ofmt),
                    });
                }
                let line = format!("{}{}", parts.join(&self.var_text("OFS")), self.var_text("ORS"));
                self.emit(&line, redirect.as_ref())?;
            }
            Stmt::Printf(args, redirect) => {
                let mut vals = Vec::new();
                for a in args {
                    vals.push(self.eval(a)?);
                }
                let text = self.sprintf(&vals)?;
                self.emit(&text, redirect.as_ref())?;
            }
            Stmt::Expr(e) => {
                self.eval(e)?;
            }
            Stmt::If(c, a, b) => {
                if self.eval(c)?.truthy() {
                    return self.stmt(a);
                } else if let Some(b) = b {
                    return self.stmt(b);
                }
            }
            Stmt::While(c, body) => {
                while self.eval(c)?.truthy() {
                    self.step()?;
                    match self.stmt(body)? {
                        Flow::Break => break,
                        Flow::Normal | Flow::Continue => {}
                        other => return Ok(other),
                    }
                }
            }
            Stmt::Do(body, c) => loop {
                self.step()?;
                match self.stmt(body)? {
                    Flow::Break => break,
                    Flow::Normal | Flow::Continue => {}
                    other => return Ok(other),
                }
                if !self.eval(c)?.truthy() {
                    break;
                }
            },
            Stmt::For(init, cond, step, body) => {
                if let Some(i) = init {
                    self.stmt(i)?;
                }
                loop {
                    if let Some(c) = cond {
                        if !self.eval(c)?.truthy() {
                            break;
                        }
                    }
                    self.step()?;
                    match self.stmt(body)? {
                        Flow::Break => break,
                        Flow::Normal | Flow::Continue => {}
                        other => return Ok(other),
                    }
                    if let Some(s) = step {
                        self.stmt(s)?;
                    }
                }
            }
            Stmt::ForIn(var, arr, body) => {
                let keys: Vec<String> = self.array(arr).keys().cloned().collect();
                for k in keys {
                    self.step()?;
                    self.assign_var(var, Val::StrNum(k))?;
                    match self.stmt(body)? {
                        Flow::Break => break,
                        Flow::Normal | Flow::Continue => {}
                        other => return Ok(other),
                    }
                }
            }
            Stmt::Block(b) => return self.block(b),
            Stmt::Next => return Ok(Flow::Next),
            Stmt::Break => return Ok(Flow::Break),
            Stmt::Continue => return Ok(Flow::Continue),
            Stmt::Exit(code) => {
                if let Some(c) = code {
                    self.exit_code = self.eval(c)?.num() as i32;
                }
                return Err(Stop::Exit(self.exit_code));
            }
            Stmt::Return(v) => {
                let v = match v {
                    Some(e) => self.eval(e)?,
                    None => Val::Uninit,
                };
                return Ok(Flow::Return(v));
            }
            Stmt::Delete(name, keys) => match keys {
                None => self.array(name).clear(),
                Some(keys) => {
                    let k = self.key(keys)?;
                    self.array(name).remove(&k);
                }
            },
        }
        Ok(Flow::Normal)
    }

    // ---- variables and arrays ----

    fn local(&self, name: &str) -> bool {
        self.frames.last().is_some_and(|f| f.contains_key(name))
            || self.local_arrays.last().is_some_and(|f| f.contains_key(name))
    }

    fn get_var(&mut self, name: &str) -> Run<Val> {
        if let Some(v) = self.frames.last().and_then(|f| f.get(name)) {
            return Ok(v.clone());
        }
        if name == "NF" && self.fields_stale {
            return Ok(Val::Num(self.fields.len() as f64));
        }
        Ok(self.vars.get(name).cloned().unwrap_or(Val::Uninit))
    }

    fn assign_var(&mut self, name: &str, v: Val) -> Run<()> {
        if let Some(f) = self.frames.last_mut().filter(|f| f.contains_key(name)) {
            f.insert(name.to_string(), v);
            return Ok(());
        }
        match name {
            "NF" => return self.set_nf(v.num()),
            "FS" | "OFS" | "ORS" | "SUBSEP" | "CONVFMT" | "OFMT" | "RS" | "FILENAME" => {
                let t = v.text(&self.convfmt());
                self.vars.insert(name.to_string(), Val::Str(t));
                return Ok(());
            }
            _ => {}
        }
        self.vars.insert(name.to_string(), v);
        Ok(())
    }

    fn array(&mut self, name: &str) -> &mut BTreeMap<String, Val> {
        if self.local_arrays.last().is_some_and(|f| f.contains_key(name)) {
            return self.local_arrays.last_mut().and_then(|f| f.get_mut(name)).expect("checked above");
        }
        self.arrays.entry(name.to_string()).or_default()
    }

    fn key(&mut self, keys: &[Expr]) -> Run<String> {
        let convfmt = self.convfmt();
        let mut parts = Vec::new();
        for k in keys {
            parts.push(self.eval(k)?.text(&convfmt));
        }
        Ok(parts.join(&self.var_text("SUBSEP")))
    }

    fn assign(&mut self, target: &Expr, v: Val) -> Run<Val> {
        match target {
            Expr::Var(name) => self.assign_var(name, v.clone())?,
            Expr::Field(n) => {
                let n = self.eval(n)?.num();
                let t = v.text(&self.convfmt());
                self.set_field(n, t)?;
            }
            Expr::Index(name, keys) => {
                let k = self.key(keys)?;
                self.array(name).insert(k, v.clone());
            }
            _ => return Err(Stop::Error("Unexpected token".into())),
        }
        Ok(v)
    }

    /// Charges the work of building `s` (copying costs in proportion to its length, so a loop
    /// that grows a string is bounded by the steps too) and refuses one over [`MAX_TEXT`].
    fn too_long(&mut self, s: &str) -> Run<()> {
        self.steps += (s.len() / 64) as u64;
        if self.steps > MAX_STEPS {
            return Err(Stop::Error(format!("the program took more than {MAX_STEPS} steps (a sandbox limit)")));
        }
        if s.len() > MAX_TEXT {
            return Err(Stop::Error(format!("a string over {} MiB (a sandbox limit)", MAX_TEXT >> 20)));
        }
        Ok(())
    }

    // ---- expressions ----

    pub fn eval(&mut self, e: &Expr) -> Run<Val> {
        Ok(match e {
            Expr::Num(n) => Val::Num(*n),
            Expr::Str(s) => Val::Str(s.clone()),
            Expr::Regex(r) => {
                let re = self.regex(r)?;
                let rec = self.record_text()?;
                Val::Num(f64::from(u8::from(re.is_match(&rec))))
            }
            Expr::Var(name) => self.get_var(name)?,
            Expr::Field(n) => {
                let n = self.eval(n)?.num();
                self.field(n)?
            }
            Expr::Index(name, keys) => {
                let k = self.key(keys)?;
                self.array(name).entry(k).or_insert(Val::Uninit).clone()
            }
            Expr::Assign(target, op, value) => {
                let v = self.eval(value)?;
                let v = match op {
                    None => v,
                    Some(op) => {
                        let cur = self.eval(target)?.num();
                        Val::Num(arith(op, cur, v.num())?)
                    }
                };
                self.assign(target, v)?
            }
            Expr::Cond(c, a, b) => {
                if self.eval(c)?.truthy() {
                    self.eval(a)?
                } else {
                    self.eval(b)?
                }
            }
            Expr::And(a, b) => Val::Num(f64::from(u8::from(self.eval(a)?.truthy() && self.eval(b)?.truthy()))),
            Expr::Or(a, b) => Val::Num(f64::from(u8::from(self.eval(a)?.truthy() || self.eval(b)?.truthy()))),
            Expr::Not(a) => Val::Num(f64::from(u8::from(!self.eval(a)?.truthy()))),
            Expr::Neg(a) => Val::Num(-self.eval(a)?.num()),
            Expr::Plus(a) => Val::Num(self.eval(a)?.num()),
            Expr::Bin(op, a, b) => {
                let (x, y) = (self.eval(a)?, self.eval(b)?);
                match *op {
                    "<" | "<=" | "==" | "!=" | ">" | ">=" => {
                        let ord = if x.numeric() && y.numeric() {
                            x.num().partial_cmp(&y.num()).unwrap_or(std::cmp::Ordering::Equal)
                        } else {
                            let c = self.convfmt();
                            x.text(&c).cmp(&y.text(&c))
                        };
                        use std::cmp::Ordering::*;
                        let t = match *op {
                            "<" => ord == Less,
                            "<=" => ord != Greater,
                            "==" => ord == Equal,
                            "!=" => ord != Equal,
                            ">" => ord == Greater,
                            _ => ord != Less,
                        };
                        Val::Num(f64::from(u8::from(t)))
                    }
                    op => Val::Num(arith(op, x.num(), y.num())?),
                }
            }
            Expr::Concat(a, b) => {
                let c = self.convfmt();
                let s = self.eval(a)?.text(&c) + &self.eval(b)?.text(&c);
                self.too_long(&s)?;
                Val::Str(s)
            }
            Expr::Match(negated, a, re) => {
                let t = self.eval(a)?.text(&self.convfmt());
                let re = self.regex_of(re)?;
                Val::Num(f64::from(u8::from(re.is_match(&t) != *negated)))
            }
            Expr::In(keys, arr) => {
                let k = self.key(keys)?;
                Val::Num(f64::from(u8::from(self.array(arr).contains_key(&k))))
            }
            Expr::Incr(target, by, post) => {
                let old = self.eval(target)?.num();
                self.assign(target, Val::Num(old + by))?;
                Val::Num(if *post { old } else { old + by })
            }
            Expr::Group(items) => {
                // `(a, b)` outside `in` or print: its values joined by SUBSEP, as a key would be.
                let k = self.key(items)?;
                Val::Str(k)
            }
            Expr::Call(name, args) => self.call(name, args)?,
        })
    }

    fn arg_text(&mut self, args: &[Expr], i: usize) -> Run<String> {
        match args.get(i) {
            Some(e) => {
                let c = self.convfmt();
                Ok(self.eval(e)?.text(&c))
            }
            None => Ok(String::new()),
        }
    }

    fn call(&mut self, name: &str, args: &[Expr]) -> Run<Val> {
        self.step()?;
        let few = || Stop::Error("Too few arguments".into());
        Ok(match name {
            "length" => match args.first() {
                None => Val::Num(self.record_text()?.chars().count() as f64),
                Some(Expr::Var(a)) if self.arrays.contains_key(a.as_str()) && !self.local(a) => {
                    Val::Num(self.array(a).len() as f64)
                }
                Some(_) => Val::Num(self.arg_text(args, 0)?.chars().count() as f64),
            },
            "substr" => {
                if args.len() < 2 {
                    return Err(few());
                }
                let s: Vec<char> = self.arg_text(args, 0)?.chars().collect();
                let m = self.eval(&args[1])?.num();
                let n = match args.get(2) {
                    Some(e) => self.eval(e)?.num(),
                    None => f64::INFINITY,
                };
                // POSIX: characters from round(m) to round(m + n), exclusive, within 1..=len.
                let start = round_half_even(m);
                let end = if n.is_infinite() { f64::INFINITY } else { round_half_even(m + n) };
                let from = start.max(1.0);
                let to = end.min(s.len() as f64 + 1.0);
                if to <= from {
                    Val::Str(String::new())
                } else {
                    Val::Str(s[(from as usize - 1)..(to as usize - 1)].iter().collect())
                }
            }
            "index" => {
                if args.len() < 2 {
                    return Err(few());
                }
                let (s, t) = (self.arg_text(args, 0)?, self.arg_text(args, 1)?);
                Val::Num(s.find(&t).map_or(0, |b| s[..b].chars().count() + 1) as f64)
            }
            "split" => {
                let (Some(Expr::Var(arr)), true) = (args.get(1), args.len() >= 2) else { return Err(few()) };
                let s = self.arg_text(args, 0)?;
                let pieces = match args.get(2) {
                    None => {
                        let fs = self.var_text("FS");
                        self.split_with(&s, &fs)?
                    }
                    Some(Expr::Regex(r)) => {
                        let r = r.clone();
                        self.split_with(&s, if r == " " { "[ ]" } else { &r })?
                    }
                    Some(e) => {
                        let c = self.convfmt();
                        let sep = self.eval(e)?.text(&c);
                        self.split_with(&s, &sep)?
                    }
                };
                let n = pieces.len();
                let a = self.array(arr);
                a.clear();
                for (i, p) in pieces.into_iter().enumerate() {
                    a.insert((i + 1).to_string(), Val::StrNum(p));
                }
                Val::Num(n as f64)
            }
            "sub" | "gsub" => {
                if args.len() < 2 {
                    return Err(few());
                }
                let pattern = match &args[0] {
                    Expr::Regex(r) => r.clone(),
                    other => {
                        let c = self.convfmt();
                        self.eval(other)?.text(&c)
                    }
                };
                let re = self.regex(&pattern)?;
                let repl = self.arg_text(args, 1)?;
                let default_target = Expr::Field(Box::new(Expr::Num(0.0)));
                let target = args.get(2).unwrap_or(&default_target);
                if !matches!(target, Expr::Var(_) | Expr::Field(_) | Expr::Index(..)) {
                    return Err(Stop::Error("Non-lvalue in sub/gsub".into()));
                }
                let c = self.convfmt();
                let text = self.eval(target)?.text(&c);
                let (new, count) = substitute(&re, pattern.starts_with('^'), &text, &repl, name == "gsub");
                self.too_long(&new)?;
                if count > 0 {
                    self.assign(target, Val::Str(new))?;
                }
                Val::Num(count as f64)
            }
            "match" => {
                if args.len() < 2 {
                    return Err(few());
                }
                let s = self.arg_text(args, 0)?;
                let re = self.regex_of(&args[1])?;
                let (start, len) = match re.find(&s) {
                    Some((a, b)) => (a as f64 + 1.0, (b - a) as f64),
                    None => (0.0, -1.0),
                };
                self.vars.insert("RSTART".into(), Val::Num(start));
                self.vars.insert("RLENGTH".into(), Val::Num(len));
                Val::Num(start)
            }
            "sprintf" => {
                if args.is_empty() {
                    return Err(few());
                }
                let mut vals = Vec::new();
                for a in args {
                    vals.push(self.eval(a)?);
                }
                Val::Str(self.sprintf(&vals)?)
            }
            "tolower" => Val::Str(self.arg_text(args, 0)?.to_lowercase()),
            "toupper" => Val::Str(self.arg_text(args, 0)?.to_uppercase()),
            "int" => Val::Num(self.num_arg(args, 0)?.trunc()),
            "sqrt" => Val::Num(self.num_arg(args, 0)?.sqrt()),
            "exp" => Val::Num(self.num_arg(args, 0)?.exp()),
            "log" => Val::Num(self.num_arg(args, 0)?.ln()),
            "sin" => Val::Num(self.num_arg(args, 0)?.sin()),
            "cos" => Val::Num(self.num_arg(args, 0)?.cos()),
            "atan2" => {
                let (y, x) = (self.num_arg(args, 0)?, self.num_arg(args, 1)?);
                Val::Num(y.atan2(x))
            }
            // SIM: rand's sequence is the sandbox's own (deterministic); srand's seed is kept.
            "rand" => {
                let seed = self.vars.get("\u{0}seed").map_or(0.0, Val::num);
                let next = (seed * 1_103_515_245.0 + 12_345.0) % 2_147_483_648.0;
                self.vars.insert("\u{0}seed".into(), Val::Num(next));
                Val::Num(next / 2_147_483_648.0)
            }
            "srand" => {
                let old = self.vars.get("\u{0}seed").map_or(0.0, Val::num);
                let seed = if args.is_empty() { 0.0 } else { self.num_arg(args, 0)? };
                self.vars.insert("\u{0}seed".into(), Val::Num(seed));
                Val::Num(old)
            }
            "system" | "close" | "fflush" => {
                return Err(Stop::Error(format!("{name}() is not simulated")));
            }
            _ => return self.call_user(name, args),
        })
    }

    fn num_arg(&mut self, args: &[Expr], i: usize) -> Run<f64> {
        match args.get(i) {
            Some(e) => Ok(self.eval(e)?.num()),
            None => Err(Stop::Error("Too few arguments".into())),
        }
    }

    fn call_user(&mut self, name: &str, args: &[Expr]) -> Run<Val> {
        let Some(f): Option<&Function> = self.prog.functions.get(name) else {
            return Err(Stop::Error("Call to undefined function".into()));
        };
        if self.frames.len() >= MAX_CALLS {
            return Err(Stop::Error("function calls nested too deeply (a sandbox limit)".into()));
        }
        let mut frame = BTreeMap::new();
        let mut arrays = BTreeMap::new();
        for (i, p) in f.params.iter().enumerate() {
            match args.get(i) {
                // An array argument is passed by reference: copied in and back out.
                Some(Expr::Var(a)) if self.arrays.contains_key(a.as_str()) && !self.local(a) => {
                    arrays.insert(p.clone(), self.arrays.get(a.as_str()).cloned().unwrap_or_default());
                }
                Some(e) => {
                    let v = self.eval(e)?;
                    frame.insert(p.clone(), v);
                }
                None => {
                    frame.insert(p.clone(), Val::Uninit);
                }
            }
        }
        self.frames.push(frame);
        self.local_arrays.push(arrays);
        let result = self.block(&f.body);
        self.frames.pop();
        let arrays = self.local_arrays.pop().unwrap_or_default();
        for (i, p) in f.params.iter().enumerate() {
            if let (Some(Expr::Var(a)), Some(v)) = (args.get(i), arrays.get(p)) {
                self.arrays.insert(a.clone(), v.clone());
            }
        }
        Ok(match result? {
            Flow::Return(v) => v,
            _ => Val::Uninit,
        })
    }

    /// `printf`/`sprintf`: the format once (awk does not reuse it), each conversion taking the
    /// next value as awk converts it (`%d` the number, `%c` a character of a number's code).
    fn sprintf(&mut self, vals: &[Val]) -> Run<String> {
        let c = self.convfmt();
        let fmt = vals.first().map(|v| v.text(&c)).unwrap_or_default();
        let mut args = vals[1..].iter();
        let mut out = String::new();
        let mut chars = fmt.chars().peekable();
        while let Some(ch) = chars.next() {
            if ch != '%' {
                out.push(ch);
                continue;
            }
            let mut spec = String::from("%");
            loop {
                match chars.peek() {
                    Some(&d) if "-+ #0123456789.".contains(d) => {
                        spec.push(d);
                        chars.next();
                    }
                    Some('*') => {
                        chars.next();
                        let n = args.next().map_or(0.0, Val::num) as i64;
                        spec.push_str(&n.to_string());
                    }
                    _ => break,
                }
            }
            let Some(conv) = chars.next() else {
                out.push_str(&spec);
                break;
            };
            let piece = match conv {
                '%' => "%".to_string(),
                'd' | 'i' | 'o' | 'x' | 'X' | 'u' => {
                    let n = args.next().map_or(0.0, Val::num);
                    let n = if n.is_finite() { n.trunc().clamp(-9.2e18, 9.2e18) as i64 } else { 0 };
                    let conv = if conv == 'u' { 'd' } else { conv };
                    crate::sim::process::printf::format(&format!("{spec}{conv}"), &[&n.to_string()]).0
                }
                'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                    let n = args.next().map_or(0.0, Val::num);
                    crate::sim::process::printf::format(&format!("{spec}{conv}"), &[&format!("{n:e}")]).0
                }
                'c' => {
                    let ch = match args.next() {
                        Some(Val::Num(n)) => char::from_u32(*n as u32).map(String::from).unwrap_or_default(),
                        Some(Val::StrNum(t)) if looks_numeric(t) => {
                            char::from_u32(to_number(t) as u32).map(String::from).unwrap_or_default()
                        }
                        Some(v) => v.text(&c).chars().next().map(String::from).unwrap_or_default(),
                        None => String::new(),
                    };
                    crate::sim::process::printf::format(&format!("{spec}s"), &[&ch]).0
                }
                's' => {
                    let v = args.next().map(|v| v.text(&c)).unwrap_or_default();
                    crate::sim::process::printf::format(&format!("{spec}s"), &[&v]).0
                }
                _ => return Err(Stop::Error("Invalid format specifier".into())),
            };
            out.push_str(&piece);
            self.too_long(&out)?;
        }
        Ok(out)
    }
}

fn arith(op: &str, x: f64, y: f64) -> Run<f64> {
    Ok(match op {
        "+" => x + y,
        "-" => x - y,
        "*" => x * y,
        "/" => {
            if y == 0.0 {
                return Err(Stop::Error("Division by zero".into()));
            }
            x / y
        }
        "%" => {
            if y == 0.0 {
                return Err(Stop::Error("Division by zero in %".into()));
            }
            x % y
        }
        _ => x.powf(y),
    })
}

fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 && r % 2.0 != 0.0 {
        r - x.signum()
    } else {
        r
    }
}

/// `sub`/`gsub`'s result and how many replacements it made: `&` in the replacement is what
/// matched, `\&` a literal `&`.
/// `anchored`: the pattern begins with `^`, which only ever matches at the start of the text.
fn substitute(re: &Regex, anchored: bool, text: &str, repl: &str, global: bool) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    let seen = re.chars_of(text);
    let mut out = String::new();
    let mut at = 0;
    let mut count = 0;
    while at <= chars.len() {
        // Found from `at` in the whole line: no copy of its rest per match.
        let Some((s, e)) = re.find_from(&seen, at).map(|(s, e)| (s - at, e - at)) else { break };
        if at > 0 && anchored {
            break;
        }
        out.extend(&chars[at..at + s]);
        let matched: String = chars[at + s..at + e].iter().collect();
        let mut r = repl.chars().peekable();
        while let Some(c) = r.next() {
            match c {
                '\\' if r.peek() == Some(&'&') => {
                    out.push('&');
                    r.next();
                }
                '\\' if r.peek() == Some(&'\\') => {
                    out.push('\\');
                    r.next();
                }
                '&' => out.push_str(&matched),
                c => out.push(c),
            }
        }
        count += 1;
        if e == s {
            // An empty match: keep the next character and move past it.
            if at + s < chars.len() {
                out.push(chars[at + s]);
            }
            at += s + 1;
        } else {
            at += e;
        }
        if !global {
            break;
        }
    }
    if at < chars.len() {
        out.extend(&chars[at..]);
    }
    (out, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_strings_convert_as_awk_does() {
        assert_eq!(to_number(" 12abc"), 12.0);
        assert_eq!(to_number("1e3x"), 1000.0);
        assert_eq!(to_number("abc"), 0.0);
        assert_eq!(to_number("-.5"), -0.5);
        assert!(looks_numeric(" 42 ") && !looks_numeric("4x") && !looks_numeric("") && !looks_numeric("inf"));
        assert_eq!(number_text(3.0, "%.6g"), "3");
        assert_eq!(number_text(0.1 + 0.2, "%.6g"), "0.3");
        assert_eq!(number_text(1e20, "%.6g"), "1e+20");
    }

    #[test]
    fn sub_and_gsub_replace_with_ampersand_and_anchors() {
        let re = Regex::new("o", true, false).unwrap();
        assert_eq!(substitute(&re, false, "foo boo", "0", true), ("f00 b00".into(), 4));
        assert_eq!(substitute(&re, false, "foo", "[&]", false), ("f[o]o".into(), 1));
        assert_eq!(substitute(&re, false, "foo", "\\&", false), ("f&o".into(), 1));
        let start = Regex::new("^a", true, false).unwrap();
        assert_eq!(substitute(&start, true, "aaa", "b", true), ("baa".into(), 1));
        let empty = Regex::new("x*", true, false).unwrap();
        assert_eq!(substitute(&empty, false, "ab", "-", true), ("-a-b-".into(), 3));
    }
}
