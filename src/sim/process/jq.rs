//! What the sandbox runs of `jq`: the filters image scripts use on JSON documents — a path
//! (`.`, `.a.b`, `.items[0]`), and an assignment to a path (`.a.b = $name`, a string, a number
//! or another path) — with `--arg NAME VALUE` and `-r`.
//!
//! A filter beyond that is not run: jq's `error: … not simulated` says so and the exit is 3, as
//! jq's for a filter it cannot compile.

use serde_json::Value;
use std::collections::BTreeMap;

/// One step of a path.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

fn parse_path(text: &str) -> Option<Vec<Step>> {
    let text = text.trim();
    let rest = text.strip_prefix('.')?;
    let mut steps = Vec::new();
    let chars: Vec<char> = rest.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '.' => i += 1,
            '[' => {
                let end = chars[i..].iter().position(|&c| c == ']')? + i;
                let inner: String = chars[i + 1..end].iter().collect();
                steps.push(Step::Index(inner.trim().parse().ok()?));
                i = end + 1;
            }
            c if c.is_alphanumeric() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                steps.push(Step::Key(chars[start..i].iter().collect()));
            }
            _ => return None,
        }
    }
    Some(steps)
}

fn get(v: &Value, path: &[Step]) -> Value {
    let mut cur = v;
    for s in path {
        let next = match s {
            Step::Key(k) => cur.get(k.as_str()),
            Step::Index(i) => cur.get(*i),
        };
        match next {
            Some(n) => cur = n,
            None => return Value::Null,
        }
    }
    cur.clone()
}

fn set(v: &mut Value, path: &[Step], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        *v = value;
        return;
    };
    match first {
        Step::Key(k) => {
            if !v.is_object() {
                *v = Value::Object(Default::default());
            }
            let slot = v.as_object_mut().map(|m| m.entry(k.clone()).or_insert(Value::Null));
            if let Some(slot) = slot {
                set(slot, rest, value);
            }
        }
        Step::Index(i) => {
            if !v.is_array() {
                *v = Value::Array(Vec::new());
            }
            if let Some(a) = v.as_array_mut() {
                while a.len() <= *i {
                    a.push(Value::Null);
                }
                set(&mut a[*i], rest, value);
            }
        }
    }
}

/// Runs `filter` on `input` (one JSON document, or several after one another): the output, or
/// jq's error message and exit status.
pub fn run(filter: &str, input: &str, args: &BTreeMap<String, String>, raw: bool) -> Result<String, (String, i32)> {
    let not_simulated = || (format!("jq: error: this filter is not simulated here (not run): {filter}\n"), 3);
    let (target, rhs) = match filter.split_once('=') {
        Some((l, r)) if !l.ends_with(['|', '!', '<', '>', '=']) && !r.starts_with('=') => (l, Some(r.trim())),
        _ => (filter, None),
    };
    let path = parse_path(target).ok_or_else(not_simulated)?;
    let value_of = |doc: &Value| -> Result<Value, (String, i32)> {
        let Some(r) = rhs else { return Ok(get(doc, &path)) };
        if let Some(name) = r.strip_prefix('$') {
            return args.get(name).map(|v| Value::String(v.clone())).ok_or_else(|| {
                (
                    format!(
                        "jq: error: ${name} is not defined at <top-level>, line 1:\n{filter}\njq: 1 compile error\n"
                    ),
                    3,
                )
            });
        }
        if r.starts_with('"')
            || r.starts_with(|c: char| c.is_ascii_digit() || c == '-')
            || matches!(r, "true" | "false" | "null")
        {
            return serde_json::from_str(r).map_err(|_| not_simulated());
        }
        let from = parse_path(r).ok_or_else(not_simulated)?;
        Ok(get(doc, &from))
    };
    let mut out = String::new();
    let stream = serde_json::Deserializer::from_str(input).into_iter::<Value>();
    for doc in stream {
        let doc = doc.map_err(|e| (format!("jq: error (at <stdin>:0): Cannot parse input: {e}\n"), 2))?;
        let result = match rhs {
            None => value_of(&doc)?,
            Some(_) => {
                let value = value_of(&doc)?;
                let mut d = doc.clone();
                set(&mut d, &path, value);
                d
            }
        };
        match (&result, raw) {
            (Value::String(s), true) => out.push_str(s),
            // SIM: objects print with their keys sorted (jq keeps the input's order).
            _ => out.push_str(&serde_json::to_string_pretty(&result).unwrap_or_default()),
        }
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_and_assignments_write() {
        let doc = r#"{"Application": {"Version": "1.1", "Environment": "DEV"}, "items": [1, 2]}"#;
        let mut args = BTreeMap::new();
        args.insert("APP_ENV".to_string(), "TEST".to_string());
        assert_eq!(run(".Application.Environment", doc, &args, true).unwrap(), "DEV\n");
        assert_eq!(run(".items[1]", doc, &args, false).unwrap(), "2\n");
        let set = run(".Application.Environment=$APP_ENV", doc, &args, false).unwrap();
        assert!(set.contains("\"Environment\": \"TEST\""), "{set}");
        assert!(set.starts_with("{\n  \"Application\": {\n"), "{set}");
        assert_eq!(run(".missing", doc, &args, false).unwrap(), "null\n");
        assert_eq!(run(".x = $NOPE", doc, &args, false).unwrap_err().1, 3);
        assert_eq!(run("map(.x)", doc, &args, false).unwrap_err().1, 3);
        assert_eq!(run(".", "{oops", &args, false).unwrap_err().1, 2);
    }
}
