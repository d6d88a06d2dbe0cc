//! Executing a parsed template against an object, as Go's text/template does with kubectl's
//! function map: fields of maps, variables, pipelines, `if`/`with`/`range` (with `else`,
//! `break`, `continue`), the builtin functions and kubectl's `exists` and `base64decode`, and
//! Go's execution errors (`template: output:1:2: executing "output" at <…>: …`).
//!
//! SIM: the work a template may do and the text it may print are bounded (see [`MAX_STEPS`],
//! [`MAX_OUTPUT`]); Go has no such bound, but a page must not hang on `{{range}}` over a huge
//! list nested in itself.

use serde_json::Value;

use super::parse::{Arg, Branch, Cmd, Node, Pipe, Pos};
use super::printf::{sprint, sprintf, sprintln};
use super::value::{plain, Kind, Val};

/// The most nodes and loop turns one execution may take.
pub const MAX_STEPS: u64 = 1_000_000;
/// The most bytes one execution may print.
pub const MAX_OUTPUT: usize = 1 << 20;

/// How a list ended: normally, or by `{{break}}` / `{{continue}}`.
#[derive(PartialEq)]
enum Flow {
    Normal,
    Break,
    Continue,
}

struct State<'a> {
    src: &'a str,
    vars: Vec<(String, Val<'a>)>,
    out: String,
    steps: u64,
    /// The node being evaluated, for the error's `at <…>`.
    at: (Pos, String),
}

type R<T> = Result<T, String>;

/// Runs `nodes` with `data` as dot; the text, or Go's error (without kubectl's prefix).
pub fn execute(src: &str, nodes: &[Node], data: &Value) -> Result<String, String> {
    let mut s =
        State { src, vars: vec![("$".into(), Val::Json(data))], out: String::new(), steps: 0, at: (0, String::new()) };
    s.walk(nodes, &Val::Json(data))?;
    Ok(s.out)
}

impl<'a> State<'a> {
    fn fail(&self, msg: impl std::fmt::Display) -> String {
        let (pos, node) = &self.at;
        let before = &self.src[..(*pos).min(self.src.len())];
        let line = 1 + before.matches('\n').count();
        let col = pos - before.rfind('\n').map_or(0, |i| i + 1);
        format!("template: output:{line}:{col}: executing \"output\" at <{node}>: {msg}")
    }

    fn step(&mut self) -> R<()> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(self.fail(format!("the template took more than {MAX_STEPS} steps: stopped")));
        }
        Ok(())
    }

    fn emit(&mut self, text: &str) -> R<()> {
        if self.out.len() + text.len() > MAX_OUTPUT {
            return Err(self.fail(format!("the template printed more than {} MiB: stopped", MAX_OUTPUT >> 20)));
        }
        self.out.push_str(text);
        Ok(())
    }

    fn walk(&mut self, nodes: &[Node], dot: &Val<'a>) -> R<Flow> {
        for n in nodes {
            self.step()?;
            match n {
                Node::Text(t) => self.emit(t)?,
                Node::Action(p) => {
                    let v = self.pipe(p, dot)?;
                    if p.decl.is_empty() {
                        let text = match v {
                            Val::Missing => "<no value>".to_string(),
                            v => plain(&v),
                        };
                        self.emit(&text)?;
                    }
                }
                Node::If(b) | Node::With(b) => {
                    let mark = self.vars.len();
                    let v = self.pipe(&b.pipe, dot)?;
                    let flow = if v.truth() {
                        let inner = if matches!(n, Node::With(_)) { v } else { dot.clone() };
                        self.walk(&b.list, &inner)?
                    } else if let Some(e) = &b.else_list {
                        self.walk(e, dot)?
                    } else {
                        Flow::Normal
                    };
                    self.vars.truncate(mark);
                    if flow != Flow::Normal {
                        return Ok(flow);
                    }
                }
                Node::Range(b) => {
                    let mark = self.vars.len();
                    self.range(b, dot)?;
                    self.vars.truncate(mark);
                }
                Node::Template(pos, text) => {
                    self.at = (*pos, text.clone());
                    let name = text.split('"').nth(1).unwrap_or("");
                    return Err(self.fail(format!("template \"{name}\" not defined")));
                }
                Node::Break(_) => return Ok(Flow::Break),
                Node::Continue(_) => return Ok(Flow::Continue),
            }
        }
        Ok(Flow::Normal)
    }

    fn range(&mut self, b: &Branch, dot: &Val<'a>) -> R<()> {
        let undeclared = Pipe { decl: Vec::new(), ..b.pipe.clone() };
        let v = self.pipe(&undeclared, dot)?;
        let pairs: Vec<(Val<'a>, Val<'a>)> = match &v {
            Val::Json(Value::Array(a)) => {
                a.iter().enumerate().map(|(i, e)| (Val::Int(i as i64), Val::Json(e))).collect()
            }
            Val::List(l) => l.iter().enumerate().map(|(i, e)| (Val::Int(i as i64), e.clone())).collect(),
            Val::Json(Value::Object(m)) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                keys.into_iter().map(|k| (Val::Str(k.clone()), Val::Json(&m[k.as_str()]))).collect()
            }
            Val::Missing | Val::Nil => Vec::new(),
            other => return Err(self.fail(format!("range can't iterate over {}", plain(other)))),
        };
        if pairs.is_empty() {
            if let Some(e) = &b.else_list {
                self.walk(e, dot)?;
            }
            return Ok(());
        }
        let base = self.vars.len();
        for (k, e) in pairs {
            self.step()?;
            self.vars.truncate(base);
            match b.pipe.decl.as_slice() {
                [one] => self.vars.push((one.clone(), e.clone())),
                [key, elem] => {
                    self.vars.push((key.clone(), k));
                    self.vars.push((elem.clone(), e.clone()));
                }
                _ => {}
            }
            if self.walk(&b.list, &e.clone().norm())? == Flow::Break {
                break;
            }
        }
        Ok(())
    }

    fn pipe(&mut self, p: &Pipe, dot: &Val<'a>) -> R<Val<'a>> {
        self.at = (p.pos, p.to_string());
        let mut value: Option<Val<'a>> = None;
        for c in &p.cmds {
            value = Some(self.command(c, dot, value)?);
        }
        // A value of type interface{} is dug out: JSON null is then no value at all.
        let v = match value.unwrap_or(Val::Missing) {
            Val::Json(Value::Null) | Val::Nil => Val::Missing,
            v => v,
        };
        if let Some(name) = p.decl.first() {
            if p.assign {
                if let Some(slot) = self.vars.iter_mut().rev().find(|(n, _)| n == name) {
                    slot.1 = v.clone();
                }
            } else {
                self.vars.push((name.clone(), v.clone()));
            }
        }
        Ok(v)
    }

    fn command(&mut self, c: &Cmd, dot: &Val<'a>, fin: Option<Val<'a>>) -> R<Val<'a>> {
        let (first, rest) = c.args.split_first().ok_or_else(|| self.fail("empty command"))?;
        let has_args = !rest.is_empty() || fin.is_some();
        match first {
            Arg::Ident(pos, name) => {
                self.at = (*pos, name.clone());
                self.call(c, name, rest, dot, fin)
            }
            Arg::Field(pos, names) => {
                self.at = (*pos, first.to_string());
                self.fields(dot.clone(), names, has_args)
            }
            Arg::Var(pos, name, names) => {
                self.at = (*pos, first.to_string());
                let v = self.var(name);
                self.fields(v, names, has_args)
            }
            Arg::Chain(pos, p, names) => {
                let v = self.pipe(p, dot)?;
                self.at = (*pos, first.to_string());
                self.fields(v, names, has_args)
            }
            Arg::Nil => {
                self.at = (c.pos, c.to_string());
                Err(self.fail("nil is not a command"))
            }
            _ if has_args => {
                self.at = (c.pos, first.to_string());
                Err(self.fail(format!("can't give argument to non-function {first}")))
            }
            _ => {
                self.at = (c.pos, first.to_string());
                self.arg(first, dot)
            }
        }
    }

    fn var(&self, name: &str) -> Val<'a> {
        self.vars.iter().rev().find(|(n, _)| n == name).map_or(Val::Missing, |(_, v)| v.clone())
    }

    /// The fields `names` of `v`, one after another.
    fn fields(&mut self, mut v: Val<'a>, names: &[String], has_args: bool) -> R<Val<'a>> {
        for (i, name) in names.iter().enumerate() {
            let last = i + 1 == names.len();
            v = match v {
                Val::Missing => Val::Missing,
                Val::Json(Value::Object(m)) => {
                    if last && has_args {
                        return Err(self.fail(format!("{name} is not a method but has arguments")));
                    }
                    m.get(name).map_or(Val::Missing, Val::Json)
                }
                Val::Nil | Val::Json(Value::Null) => {
                    return Err(self.fail(format!("nil pointer evaluating interface {{}}.{name}")));
                }
                Val::Json(_) => return Err(self.fail(format!("can't evaluate field {name} in type interface {{}}"))),
                other => return Err(self.fail(format!("can't evaluate field {name} in type {}", other.type_name()))),
            };
        }
        Ok(v)
    }

    fn arg(&mut self, a: &Arg, dot: &Val<'a>) -> R<Val<'a>> {
        self.step()?;
        Ok(match a {
            Arg::Field(pos, names) => {
                self.at = (*pos, a.to_string());
                self.fields(dot.clone(), names, false)?
            }
            Arg::Dot => dot.clone(),
            Arg::Nil => Val::Nil,
            Arg::Var(pos, name, names) => {
                self.at = (*pos, a.to_string());
                let v = self.var(name);
                self.fields(v, names, false)?
            }
            Arg::Ident(pos, name) => {
                self.at = (*pos, name.clone());
                let cmd = Cmd { pos: *pos, args: vec![a.clone()], poses: vec![*pos] };
                self.call(&cmd, name, &[], dot, None)?
            }
            Arg::Bool(b) => Val::Bool(*b),
            Arg::Int(_, i) => Val::Int(*i),
            Arg::Float(_, f) => Val::Float(*f),
            Arg::Str(_, s) => Val::Str(s.clone()),
            Arg::Chain(pos, p, names) => {
                let v = self.pipe(p, dot)?;
                self.at = (*pos, a.to_string());
                self.fields(v, names, false)?
            }
        })
    }

    fn call(&mut self, c: &Cmd, name: &str, args: &[Arg], dot: &Val<'a>, fin: Option<Val<'a>>) -> R<Val<'a>> {
        let count = args.len() + usize::from(fin.is_some());
        let here = (c.pos, c.to_string());
        let ident = (c.poses.first().copied().unwrap_or(c.pos), name.to_string());
        let wrong = |s: &Self, want: &str| s.fail(format!("wrong number of args for {name}: want {want} got {count}"));
        let arity = match name {
            "not" | "len" | "base64decode" => Some(1),
            "ne" | "lt" | "le" | "gt" | "ge" => Some(2),
            _ => None,
        };
        let at_least_one = matches!(name, "and" | "or" | "index" | "slice" | "printf" | "eq" | "exists");
        if arity.is_some_and(|n| n != count) || at_least_one && count == 0 {
            self.at = ident;
            let want = arity.map_or("at least 1".to_string(), |n| n.to_string());
            return Err(wrong(self, &want));
        }
        // `and` and `or` stop at the first argument that decides.
        if name == "and" || name == "or" {
            if count == 0 {
                self.at = here;
                return Err(wrong(self, "at least 1"));
            }
            let mut last = Val::Missing;
            for a in args {
                last = self.arg(a, dot)?.norm();
                if last.truth() == (name == "or") {
                    return Ok(last);
                }
            }
            if let Some(f) = fin {
                last = f;
            }
            return Ok(last);
        }
        let mut vals = Vec::with_capacity(count);
        for a in args {
            vals.push(self.arg(a, dot)?);
        }
        vals.extend(fin);
        self.at = here;
        let calling = |s: &Self, msg: String| s.fail(format!("error calling {name}: {msg}"));
        // What an `interface{}` parameter receives: no value becomes nil.
        let iface = |v: &Val<'a>| if matches!(v, Val::Missing) { Val::Nil } else { v.clone().norm() };
        match name {
            "not" => Ok(Val::Bool(!vals[0].truth())),
            "len" => match &vals[0] {
                Val::Missing => Err(calling(self, "reflect: call of reflect.Value.Type on zero Value".into())),
                Val::Nil | Val::Json(Value::Null) => Err(calling(self, "len of nil pointer".into())),
                Val::Json(Value::Array(a)) => Ok(Val::Int(a.len() as i64)),
                Val::Json(Value::Object(m)) => Ok(Val::Int(m.len() as i64)),
                Val::List(l) => Ok(Val::Int(l.len() as i64)),
                v => match v.as_str() {
                    Some(s) => Ok(Val::Int(s.len() as i64)),
                    None => Err(calling(self, format!("len of type {}", v.type_name()))),
                },
            },
            "index" => {
                if count == 0 {
                    return Err(wrong(self, "at least 1"));
                }
                let mut item = vals[0].clone();
                for idx in &vals[1..] {
                    item = match (item.clone().norm(), idx) {
                        (Val::Missing | Val::Nil, _) => return Err(calling(self, "index of untyped nil".into())),
                        (it, idx) if it.items().is_some() => {
                            let items = it.items().unwrap_or_default();
                            let Some(i) = idx.as_int() else {
                                return Err(calling(
                                    self,
                                    format!("cannot index slice/array with type {}", idx.type_name()),
                                ));
                            };
                            match usize::try_from(i).ok().and_then(|i| items.get(i)) {
                                Some(v) => v.clone(),
                                None => return Err(calling(self, format!("index out of range: {i}"))),
                            }
                        }
                        (Val::Json(Value::Object(m)), idx) => match idx.as_str() {
                            Some(k) => m.get(k).map_or(Val::Missing, Val::Json),
                            None if matches!(idx, Val::Nil | Val::Missing) => Val::Missing,
                            None => {
                                return Err(calling(
                                    self,
                                    format!("value has type {}; should be string", idx.type_name()),
                                ))
                            }
                        },
                        (it, idx) if it.as_str().is_some() => {
                            let s = it.as_str().unwrap_or("").as_bytes().to_vec();
                            let Some(i) = idx.as_int() else {
                                return Err(calling(
                                    self,
                                    format!("cannot index slice/array with type {}", idx.type_name()),
                                ));
                            };
                            match usize::try_from(i).ok().and_then(|i| s.get(i)) {
                                Some(b) => Val::Int(i64::from(*b)),
                                None => return Err(calling(self, format!("index out of range: {i}"))),
                            }
                        }
                        (it, _) => return Err(calling(self, format!("can't index item of type {}", it.type_name()))),
                    };
                }
                Ok(item)
            }
            "slice" => {
                if count == 0 {
                    return Err(wrong(self, "at least 1"));
                }
                let item = vals[0].clone().norm();
                let mut bounds = Vec::new();
                for idx in &vals[1..] {
                    match idx.as_int() {
                        Some(i) => bounds.push(i),
                        None => {
                            return Err(calling(
                                self,
                                format!("cannot index slice/array with type {}", idx.type_name()),
                            ))
                        }
                    }
                }
                if bounds.len() > 2 {
                    return Err(calling(self, "cannot 3-index slice a string".into()));
                }
                let len = match (&item, item.as_str()) {
                    (_, Some(s)) => s.len(),
                    (it, None) => match it.items() {
                        Some(l) => l.len(),
                        None if matches!(it, Val::Nil | Val::Missing) => {
                            return Err(calling(self, "slice of untyped nil".into()))
                        }
                        None => return Err(calling(self, format!("can't slice item of type {}", it.type_name()))),
                    },
                };
                let lo = bounds.first().copied().unwrap_or(0);
                let hi = bounds.get(1).copied().unwrap_or(len as i64);
                if lo < 0 || hi < lo || hi > len as i64 {
                    let bad = if lo < 0 || lo > len as i64 { lo } else { hi };
                    return Err(calling(self, format!("index out of range: {bad}")));
                }
                let (lo, hi) = (lo as usize, hi as usize);
                match item.as_str() {
                    Some(s) => Ok(Val::Str(s.get(lo..hi).unwrap_or("").to_string())),
                    None => Ok(Val::List(item.items().unwrap_or_default()[lo..hi].to_vec())),
                }
            }
            "print" => Ok(Val::Str(sprint(&vals.iter().map(iface).collect::<Vec<_>>()))),
            "println" => Ok(Val::Str(sprintln(&vals.iter().map(iface).collect::<Vec<_>>()))),
            "printf" => {
                if count == 0 {
                    return Err(wrong(self, "at least 1"));
                }
                let Some(format) = vals[0].as_str().map(str::to_string) else {
                    return Err(
                        self.fail(format!("wrong type for value; expected string; got {}", vals[0].type_name()))
                    );
                };
                Ok(Val::Str(sprintf(&format, &vals[1..].iter().map(iface).collect::<Vec<_>>())))
            }
            "html" | "js" | "urlquery" => {
                let text = sprint(&vals.iter().map(iface).collect::<Vec<_>>());
                Ok(Val::Str(match name {
                    "html" => html_escape(&text),
                    "js" => js_escape(&text),
                    _ => query_escape(&text),
                }))
            }
            "eq" => {
                if count == 0 {
                    return Err(wrong(self, "at least 1"));
                }
                if count == 1 {
                    return Err(calling(self, "missing argument for comparison".into()));
                }
                let a = iface(&vals[0]);
                for b in &vals[1..] {
                    match equal(&a, &iface(b)) {
                        Ok(true) => return Ok(Val::Bool(true)),
                        Ok(false) => {}
                        Err(e) => return Err(calling(self, e)),
                    }
                }
                Ok(Val::Bool(false))
            }
            "ne" | "lt" | "le" | "gt" | "ge" => {
                let (a, b) = (iface(&vals[0]), iface(&vals[1]));
                let r = match name {
                    "ne" => equal(&a, &b).map(|e| !e),
                    "lt" => less(&a, &b),
                    "le" => less(&a, &b).and_then(|l| Ok(l || equal(&a, &b)?)),
                    "gt" => less(&a, &b).and_then(|l| Ok(!l && !equal(&a, &b)?)),
                    _ => less(&a, &b).map(|l| !l),
                };
                r.map(Val::Bool).map_err(|e| calling(self, e))
            }
            "exists" => {
                if count == 0 {
                    return Err(wrong(self, "at least 1"));
                }
                Ok(Val::Bool(exists(&iface(&vals[0]), &vals[1..])))
            }
            "base64decode" => {
                let Some(text) = vals[0].as_str() else {
                    // Go checks the argument against the parameter's type, and names the argument.
                    if let (Some(a), Some(p)) = (args.first(), c.poses.get(1)) {
                        self.at = (*p, a.to_string());
                    }
                    return Err(self.fail(match (&vals[0], args.first()) {
                        (Val::Missing | Val::Nil, _) => "invalid value; expected string".to_string(),
                        (_, Some(Arg::Int(..) | Arg::Float(..) | Arg::Bool(_))) => {
                            format!("expected string; found {}", args[0])
                        }
                        (v, _) => format!("wrong type for value; expected string; got {}", v.type_name()),
                    }));
                };
                match crate::sim::base64::decode(text) {
                    Some(bytes) if crate::shell::kubectl::create::base64(&bytes) == text => {
                        Ok(Val::Str(String::from_utf8_lossy(&bytes).into_owned()))
                    }
                    _ => Err(calling(
                        self,
                        format!("base64 decode failed: illegal base64 data at input byte {}", bad_base64_byte(text)),
                    )),
                }
            }
            "call" => Err(calling(
                self,
                format!(
                    "non-function {} of type {}",
                    c.args.get(1).map(ToString::to_string).unwrap_or_default(),
                    vals.first().map_or("<nil>", Val::type_name)
                ),
            )),
            _ => Err(self.fail(format!("{name} is not a defined function"))),
        }
    }
}

/// Go's `eq` for two values (after nil conversion).
fn equal(a: &Val, b: &Val) -> Result<bool, String> {
    let (ka, kb) = (a.kind(), b.kind());
    if ka != kb {
        if ka == Kind::Nil || kb == Kind::Nil {
            return Ok(false);
        }
        return Err("incompatible types for comparison".into());
    }
    Ok(match ka {
        Kind::Bool => a.as_bool() == b.as_bool(),
        Kind::Int => a.as_int() == b.as_int(),
        Kind::Float => a.as_float() == b.as_float(),
        Kind::Str => a.as_str() == b.as_str(),
        Kind::Nil => true,
        Kind::Other => return Err(format!("non-comparable type {}: {}", plain(a), a.type_name())),
    })
}

/// Go's `lt`.
fn less(a: &Val, b: &Val) -> Result<bool, String> {
    let (ka, kb) = (a.kind(), b.kind());
    if matches!(ka, Kind::Bool | Kind::Nil | Kind::Other) || matches!(kb, Kind::Bool | Kind::Nil | Kind::Other) {
        return Err("invalid type for comparison".into());
    }
    if ka != kb {
        return Err("incompatible types for comparison".into());
    }
    Ok(match ka {
        Kind::Int => a.as_int() < b.as_int(),
        Kind::Float => a.as_float() < b.as_float(),
        _ => a.as_str() < b.as_str(),
    })
}

/// kubectl's `exists ITEM KEY…`: whether every key (or index) leads somewhere not nil.
fn exists(item: &Val, keys: &[Val]) -> bool {
    let mut v = item.clone().norm();
    for k in keys {
        v = match (&v, k.as_int(), k.as_str()) {
            (Val::Json(Value::Object(m)), _, Some(key)) => match m.get(key) {
                Some(x) => Val::Json(x),
                None => return false,
            },
            (it, Some(i), _) if it.items().is_some() => {
                match usize::try_from(i).ok().and_then(|i| it.items().unwrap_or_default().get(i).cloned()) {
                    Some(x) => x,
                    None => return false,
                }
            }
            _ => return false,
        }
        .norm();
    }
    !matches!(v, Val::Nil | Val::Missing)
}

/// Where Go's decoder would first stop reading `text` as standard base64.
fn bad_base64_byte(text: &str) -> usize {
    let ok = |c: u8| c.is_ascii_alphanumeric() || c == b'+' || c == b'/';
    let body = text.trim_end_matches('=');
    body.bytes().position(|c| !ok(c)).unwrap_or(body.len() / 4 * 4)
}

fn html_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&#39;"),
            '"' => out.push_str("&#34;"),
            '\0' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn js_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

fn query_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
