//! kubectl's JSONPath templates (`-o jsonpath=`, `-o custom-columns=`, `--sort-by`): text with
//! `{…}` actions — field paths (`.a.b`, `..name`, `.*`), subscripts (`[0]`, `[-1]`, `[1:3]`,
//! `[*]`, `['a.b']`), filters (`[?(@.x=="y")]`), `{range …}{end}` and string literals.
//!
//! As in kubectl, a missing key prints nothing; several results of one action are joined with
//! a space; maps and lists print as compact JSON.

use serde_json::Value;

use crate::shell::kubectl::budget::Budget;

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    nodes: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Path(Vec<Step>),
    Range(Vec<Step>, Vec<Node>),
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Root,
    Current,
    Field(String),
    AllFields,
    Recursive,
    Index(i64),
    Slice(Option<i64>, Option<i64>, Option<i64>),
    Union(Vec<String>),
    Filter(Filter),
}

#[derive(Debug, Clone, PartialEq)]
struct Filter {
    left: Vec<Step>,
    op: Option<(String, Operand)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Literal(Value),
    Path(Vec<Step>),
}

/// kubectl's relaxed form of a path for `custom-columns` and `--sort-by`: `a.b`, `.a.b`,
/// `{a.b}` and `{.a.b}` all mean `{.a.b}`.
pub fn relaxed(path: &str) -> String {
    if path.is_empty() {
        return String::new();
    }
    let inner = path.strip_prefix('{').and_then(|p| p.strip_suffix('}')).unwrap_or(path);
    let inner = inner.strip_prefix('.').unwrap_or(inner);
    format!("{{.{inner}}}")
}

impl Template {
    /// Parses `text`; the error is what follows kubectl's `error parsing jsonpath TEXT, `.
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut stack: Vec<(Vec<Step>, Vec<Node>)> = Vec::new();
        let mut nodes = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            let Some(open) = rest.find('{') else {
                nodes.push(Node::Text(rest.to_string()));
                break;
            };
            if open > 0 {
                nodes.push(Node::Text(rest[..open].to_string()));
            }
            let after = &rest[open + 1..];
            let close = find_close(after).ok_or_else(|| "unclosed action".to_string())?;
            let action = after[..close].trim();
            rest = &after[close + 1..];
            if action == "end" {
                let (path, outer) = stack.pop().ok_or_else(|| "not in range, nothing to end".to_string())?;
                let body = std::mem::replace(&mut nodes, outer);
                nodes.push(Node::Range(path, body));
            } else if let Some(expr) = action.strip_prefix("range ") {
                let path = parse_path(expr.trim())?;
                stack.push((path, std::mem::take(&mut nodes)));
            } else if action.starts_with('"') || action.starts_with('\'') {
                nodes.push(Node::Text(unquote(action)?));
            } else if action.is_empty() {
                continue;
            } else {
                nodes.push(Node::Path(parse_path(action)?));
            }
        }
        if !stack.is_empty() {
            return Err("unclosed range".into());
        }
        Ok(Template { nodes })
    }

    /// Renders the template against `data`, within the default [`Budget`] (what fits, if
    /// it runs out).
    pub fn execute(&self, data: &Value) -> String {
        self.execute_within(data, &mut Budget::default())
    }

    /// Renders the template against `data`, spending `budget`: when it runs out, the output
    /// stops there (`budget.message()` says why).
    pub fn execute_within(&self, data: &Value, budget: &mut Budget) -> String {
        let mut out = String::new();
        render(&self.nodes, data, data, &mut out, budget);
        out
    }

    /// Every value the template's first path yields (for a custom column or a sort key).
    pub fn values(&self, data: &Value) -> Vec<Value> {
        let budget = &mut Budget::default();
        self.nodes
            .iter()
            .find_map(|n| match n {
                Node::Path(p) => Some(eval(p, data, data, budget).into_iter().cloned().collect()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The first value of [`Template::values`].
    pub fn first_value(&self, data: &Value) -> Option<Value> {
        self.values(data).into_iter().next()
    }
}

/// The index of the `}` closing an action, skipping quoted strings.
fn find_close(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '}' => return Some(i),
            None => {}
        }
    }
    None
}

fn unquote(s: &str) -> Result<String, String> {
    let q = s.chars().next().unwrap_or('"');
    let inner = s.strip_prefix(q).and_then(|x| x.strip_suffix(q)).ok_or_else(|| format!("unterminated string {s}"))?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    Ok(out)
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '/' | '$')
}

/// Whether `c` ends a field name, as in kubectl's parser (a name runs up to one of these).
fn ends_field(c: char) -> bool {
    c.is_whitespace() || matches!(c, '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}')
}

/// A field name starting at `chars[*i]`, up to the next terminator; a backslash makes the
/// character after it part of the name (`deployment\.kubernetes\.io/revision`) and is dropped,
/// as kubectl drops every backslash in a field name.
fn read_field(chars: &[char], i: &mut usize) -> String {
    let mut name = String::new();
    while let Some(&c) = chars.get(*i) {
        if c == '\\' {
            if let Some(&next) = chars.get(*i + 1) {
                if next != '\\' {
                    name.push(next);
                }
                *i += 2;
            } else {
                *i += 1;
            }
            continue;
        }
        if ends_field(c) || matches!(c, '(' | ')' | '=' | '!' | '<' | '>' | '"' | '\'') {
            break;
        }
        name.push(c);
        *i += 1;
    }
    name
}

fn parse_path(s: &str) -> Result<Vec<Step>, String> {
    let chars: Vec<char> = s.chars().collect();
    let mut steps = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '$' if i == 0 => {
                steps.push(Step::Root);
                i += 1;
            }
            '@' if i == 0 => {
                steps.push(Step::Current);
                i += 1;
            }
            // A `$` after the start names nothing (kubectl skips it before a terminator and
            // calls what follows an unrecognized identifier); it must move on, or this loop
            // would push empty fields forever.
            // SIM: kubectl reports the identifier when executing; we refuse it when parsing.
            '$' => {
                i += 1;
                let name = read_field(&chars, &mut i);
                if !name.is_empty() {
                    return Err(format!("unrecognized identifier {name}"));
                }
            }
            '.' => {
                i += 1;
                if chars.get(i) == Some(&'.') {
                    steps.push(Step::Recursive);
                    i += 1;
                }
                if chars.get(i) == Some(&'*') {
                    steps.push(Step::AllFields);
                    i += 1;
                    continue;
                }
                let name = read_field(&chars, &mut i);
                if !name.is_empty() {
                    steps.push(Step::Field(name));
                }
            }
            '[' => {
                let start = i + 1;
                let mut depth = 0;
                let mut quote: Option<char> = None;
                let mut end = None;
                for (j, &c) in chars.iter().enumerate().skip(start) {
                    match quote {
                        Some(q) if c == q => quote = None,
                        Some(_) => {}
                        None if c == '"' || c == '\'' => quote = Some(c),
                        None if c == '[' || c == '(' => depth += 1,
                        None if c == ')' => depth -= 1,
                        None if c == ']' && depth == 0 => {
                            end = Some(j);
                            break;
                        }
                        None if c == ']' => depth -= 1,
                        None => {}
                    }
                }
                let end = end.ok_or_else(|| "unclosed array expect ]".to_string())?;
                let inner: String = chars[start..end].iter().collect();
                steps.push(parse_subscript(inner.trim())?);
                i = end + 1;
            }
            c if is_name_char(c) || c == '\\' => steps.push(Step::Field(read_field(&chars, &mut i))),
            c if c.is_whitespace() => i += 1,
            c => return Err(format!("unrecognized character in action: U+{:04X} '{c}'", c as u32)),
        }
    }
    Ok(steps)
}

fn parse_subscript(inner: &str) -> Result<Step, String> {
    if inner == "*" {
        return Ok(Step::Slice(None, None, None));
    }
    if let Some(f) = inner.strip_prefix("?(").and_then(|f| f.strip_suffix(')')) {
        return parse_filter(f.trim()).map(Step::Filter);
    }
    if inner.starts_with('\'') || inner.starts_with('"') {
        let names = inner.split(',').map(|n| unquote(n.trim())).collect::<Result<Vec<_>, _>>()?;
        return Ok(Step::Union(names));
    }
    let num = |s: &str| -> Result<Option<i64>, String> {
        let s = s.trim();
        if s.is_empty() {
            Ok(None)
        } else {
            s.parse().map(Some).map_err(|_| format!("invalid array index {s}"))
        }
    };
    if inner.contains(':') {
        let parts: Vec<&str> = inner.split(':').collect();
        if parts.len() > 3 {
            return Err(format!("invalid array index {inner}"));
        }
        return Ok(Step::Slice(num(parts[0])?, num(parts[1])?, parts.get(2).map(|p| num(p)).transpose()?.flatten()));
    }
    match num(inner)? {
        Some(n) => Ok(Step::Index(n)),
        None => Err("invalid array index".into()),
    }
}

fn parse_filter(f: &str) -> Result<Filter, String> {
    for op in ["==", "!=", "<=", ">=", "<", ">"] {
        if let Some((l, r)) = f.split_once(op) {
            let (l, r) = (l.trim(), r.trim());
            let operand = if r.starts_with('@') || r.starts_with('$') {
                Operand::Path(parse_path(r)?)
            } else if r.starts_with('"') || r.starts_with('\'') {
                Operand::Literal(Value::String(unquote(r)?))
            } else if let Ok(n) = r.parse::<f64>() {
                Operand::Literal(serde_json::json!(n))
            } else if r == "true" || r == "false" {
                Operand::Literal(Value::Bool(r == "true"))
            } else {
                return Err(format!("unrecognized filter value {r}"));
            };
            return Ok(Filter { left: parse_path(l)?, op: Some((op.to_string(), operand)) });
        }
    }
    Ok(Filter { left: parse_path(f)?, op: None })
}

fn render(nodes: &[Node], root: &Value, cur: &Value, out: &mut String, budget: &mut Budget) {
    for n in nodes {
        if !budget.spend(1) {
            return;
        }
        match n {
            Node::Text(t) => {
                budget.write(out, t);
            }
            Node::Path(p) => {
                for (i, v) in eval(p, root, cur, budget).into_iter().enumerate() {
                    if (i > 0 && !budget.write(out, " ")) || !budget.write(out, &text_of(v)) {
                        return;
                    }
                }
            }
            Node::Range(p, body) => {
                for v in eval(p, root, cur, budget) {
                    render(body, root, v, out, budget);
                    if budget.exhausted().is_some() {
                        return;
                    }
                }
            }
        }
    }
}

/// A value as kubectl's JSONPath prints it.
pub fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "null".into(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// The values `steps` lead to from `cur`, borrowed (never copied: a chain of `..` would
/// copy every subtree again at each step). Each value reached costs a step of `budget`; when
/// it runs out, what was reached so far.
fn eval<'a>(steps: &[Step], root: &'a Value, cur: &'a Value, budget: &mut Budget) -> Vec<&'a Value> {
    let mut vals = vec![cur];
    for step in steps {
        let mut next = Vec::new();
        for v in &vals {
            apply(step, v, root, &mut next, budget);
            if budget.exhausted().is_some() {
                return next;
            }
        }
        vals = next;
    }
    vals
}

/// Adds `x` to `next`, if the budget allows one more value.
fn reach<'a>(next: &mut Vec<&'a Value>, x: &'a Value, budget: &mut Budget) -> bool {
    if budget.spend(1) {
        next.push(x);
        true
    } else {
        false
    }
}

fn apply<'a>(step: &Step, v: &'a Value, root: &'a Value, next: &mut Vec<&'a Value>, budget: &mut Budget) {
    match step {
        Step::Root => {
            reach(next, root, budget);
        }
        Step::Current => {
            reach(next, v, budget);
        }
        Step::Field(name) => {
            if let Some(x) = v.get(name.as_str()) {
                reach(next, x, budget);
            }
        }
        Step::AllFields => {
            let children: Box<dyn Iterator<Item = &'a Value>> = match v {
                Value::Object(m) => Box::new(m.values()),
                Value::Array(a) => Box::new(a.iter()),
                _ => Box::new(std::iter::empty()),
            };
            for x in children {
                if !reach(next, x, budget) {
                    return;
                }
            }
        }
        Step::Recursive => collect_recursive(v, next, budget),
        Step::Index(i) => {
            if let Value::Array(a) = v {
                let idx = if *i < 0 { (a.len() as i64).saturating_add(*i) } else { *i };
                if let Some(x) = usize::try_from(idx).ok().and_then(|k| a.get(k)) {
                    reach(next, x, budget);
                }
            }
        }
        Step::Slice(start, end, stride) => {
            if let Value::Array(a) = v {
                let len = a.len() as i64;
                let norm = |x: i64| if x < 0 { len.saturating_add(x).max(0) } else { x.min(len) };
                let s = norm(start.unwrap_or(0));
                let e = norm(end.unwrap_or(len));
                let step = usize::try_from(stride.unwrap_or(1).max(1)).unwrap_or(usize::MAX);
                if s < e {
                    for x in a[s as usize..e as usize].iter().step_by(step) {
                        if !reach(next, x, budget) {
                            return;
                        }
                    }
                }
            }
        }
        Step::Union(names) => {
            for n in names {
                if let Some(x) = v.get(n.as_str()) {
                    if !reach(next, x, budget) {
                        return;
                    }
                }
            }
        }
        Step::Filter(f) => {
            let items: Vec<&'a Value> = match v {
                Value::Array(a) => a.iter().collect(),
                other => vec![other],
            };
            for item in items {
                if filter_matches(f, item, root, budget) && !reach(next, item, budget) {
                    return;
                }
                if budget.exhausted().is_some() {
                    return;
                }
            }
        }
    }
}

fn collect_recursive<'a>(v: &'a Value, out: &mut Vec<&'a Value>, budget: &mut Budget) {
    // Depth first, without recursion: a deeply nested value cannot overflow the stack.
    let mut stack = vec![v];
    while let Some(x) = stack.pop() {
        if !reach(out, x, budget) {
            return;
        }
        match x {
            Value::Object(m) => stack.extend(m.values().rev()),
            Value::Array(a) => stack.extend(a.iter().rev()),
            _ => {}
        }
    }
}

fn filter_matches(f: &Filter, item: &Value, root: &Value, budget: &mut Budget) -> bool {
    let lefts = eval(&f.left, root, item, budget);
    let Some((op, operand)) = &f.op else {
        return !lefts.is_empty();
    };
    let rights: Vec<&Value> = match operand {
        Operand::Literal(v) => vec![v],
        Operand::Path(p) => eval(p, root, item, budget),
    };
    lefts.iter().any(|l| rights.iter().any(|r| compare(l, op, r)))
}

fn compare(l: &Value, op: &str, r: &Value) -> bool {
    use std::cmp::Ordering::*;
    let ord = match (l, r) {
        (Value::Number(a), Value::Number(b)) => a.as_f64().partial_cmp(&b.as_f64()),
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        _ => None,
    };
    match (op, ord) {
        ("==", Some(o)) => o == Equal,
        ("!=", Some(o)) => o != Equal,
        ("!=", None) => true,
        ("<", Some(o)) => o == Less,
        (">", Some(o)) => o == Greater,
        ("<=", Some(o)) => o != Greater,
        (">=", Some(o)) => o != Less,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(t: &str, v: &Value) -> String {
        Template::parse(t).unwrap().execute(v)
    }

    fn pods() -> Value {
        json!({"kind": "List", "items": [
            {"metadata": {"name": "a", "labels": {"app": "web"}}, "status": {"phase": "Running"},
             "spec": {"containers": [{"name": "c1", "image": "nginx"}, {"name": "c2", "image": "busybox"}]}},
            {"metadata": {"name": "b"}, "status": {"phase": "Pending"},
             "spec": {"containers": [{"name": "c", "image": "redis"}]}}]})
    }

    #[test]
    fn paths_wildcards_and_index() {
        let v = pods();
        assert_eq!(run("{.items[*].metadata.name}", &v), "a b");
        assert_eq!(run("{.items[0].spec.containers[*].image}", &v), "nginx busybox");
        assert_eq!(run("{.items[-1].metadata.name}", &v), "b");
        assert_eq!(run("{.items[0:1].metadata.name}", &v), "a");
        assert_eq!(run("{..image}", &v), "nginx busybox redis");
        assert_eq!(run("{.items[0].metadata.labels}", &v), "{\"app\":\"web\"}");
        assert_eq!(run("{.items[0].metadata['name']}", &v), "a");
        assert_eq!(run("{.nope}", &v), "");
    }

    #[test]
    fn range_and_literals() {
        let v = pods();
        assert_eq!(
            run("{range .items[*]}{.metadata.name}{\"\\t\"}{.status.phase}{\"\\n\"}{end}", &v),
            "a\tRunning\nb\tPending\n"
        );
        assert_eq!(run("name: {.items[1].metadata.name}!", &v), "name: b!");
    }

    #[test]
    fn filters_compare_fields() {
        let v = pods();
        assert_eq!(run("{.items[?(@.status.phase==\"Running\")].metadata.name}", &v), "a");
        assert_eq!(run("{.items[?(@.status.phase!='Running')].metadata.name}", &v), "b");
        assert_eq!(run("{.items[?(@.metadata.labels)].metadata.name}", &v), "a");
        assert_eq!(run("{.items[*].spec.containers[?(@.name==\"c2\")].image}", &v), "busybox");
    }

    #[test]
    fn relaxed_paths_and_parse_errors() {
        assert_eq!(relaxed("metadata.name"), "{.metadata.name}");
        assert_eq!(relaxed("{.metadata.name}"), "{.metadata.name}");
        assert_eq!(Template::parse("{.items[}").unwrap_err(), "unclosed array expect ]");
        assert!(Template::parse("{range .items[*]}{.a}").is_err());
    }

    #[test]
    fn escaped_dots_belong_to_the_field_name() {
        let v = json!({"metadata": {"annotations": {"deployment.kubernetes.io/revision": "2"}, "labels": {"a.b": "x", "ab": "y"}}});
        assert_eq!(run(r"{.metadata.annotations.deployment\.kubernetes\.io/revision}", &v), "2");
        assert_eq!(run(r"{.metadata.labels.a\.b} {.metadata.labels.a\.\b}", &v), "x x");
        assert_eq!(run(r"{.metadata.labels.a\\b}", &v), "y");
        assert_eq!(run(r"{.metadata.labels.x%}", &v), "");
        assert_eq!(Template::parse("{(}").unwrap_err(), "unrecognized character in action: U+0028 '('");
    }
}
