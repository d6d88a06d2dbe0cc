//! The values a template works on, as Go's reflection sees kubectl's data: JSON decoded into
//! `map[string]interface {}`, `[]interface {}`, `string`, `int64` (whole numbers), `float64`,
//! `bool` and nil; plus the constants and results a template makes (`int`, `float64`, `string`,
//! `bool`). Printed as Go's `fmt` prints them (`map[a:b]`, `[x y]`, `1e+06`, `<nil>`).

use serde_json::Value;

/// A value during execution.
#[derive(Debug, Clone, PartialEq)]
pub enum Val<'a> {
    /// Go's invalid `reflect.Value`: a missing map key. Prints `<no value>`.
    Missing,
    /// A nil interface (JSON `null`, the `nil` constant).
    Nil,
    /// Part of the object, not copied.
    Json(&'a Value),
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    /// A list a function made (`slice`).
    List(Vec<Val<'a>>),
}

/// The kind of a value for comparisons, as Go's `basicKind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bool,
    Int,
    Float,
    Str,
    Nil,
    Other,
}

impl<'a> Val<'a> {
    /// `Json(null)` is a nil interface.
    pub fn norm(self) -> Val<'a> {
        match self {
            Val::Json(Value::Null) => Val::Nil,
            v => v,
        }
    }

    /// Go's type name, as errors and `%!d(TYPE=…)` print it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Val::Missing => "<invalid>",
            Val::Nil | Val::Json(Value::Null) => "<nil>",
            Val::Json(Value::Bool(_)) | Val::Bool(_) => "bool",
            Val::Json(Value::Number(n)) if n.is_i64() => "int64",
            Val::Json(Value::Number(_)) | Val::Float(_) => "float64",
            Val::Json(Value::String(_)) | Val::Str(_) => "string",
            Val::Json(Value::Array(_)) | Val::List(_) => "[]interface {}",
            Val::Json(Value::Object(_)) => "map[string]interface {}",
            Val::Int(_) => "int",
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Val::Missing | Val::Nil | Val::Json(Value::Null) => Kind::Nil,
            Val::Json(Value::Bool(_)) | Val::Bool(_) => Kind::Bool,
            Val::Json(Value::Number(n)) if n.is_i64() || n.is_u64() => Kind::Int,
            Val::Int(_) => Kind::Int,
            Val::Json(Value::Number(_)) | Val::Float(_) => Kind::Float,
            Val::Json(Value::String(_)) | Val::Str(_) => Kind::Str,
            _ => Kind::Other,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Val::Int(i) => Some(*i),
            Val::Json(Value::Number(n)) => n.as_i64(),
            _ => None,
        }
    }

    pub fn as_float(&self) -> Option<f64> {
        match self {
            Val::Float(f) => Some(*f),
            Val::Json(Value::Number(n)) if !n.is_i64() => n.as_f64(),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            Val::Json(Value::String(s)) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Val::Bool(b) | Val::Json(Value::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    /// Go's `truth`: false, 0, nil and empty things are false.
    pub fn truth(&self) -> bool {
        match self {
            Val::Missing | Val::Nil => false,
            Val::Json(v) => match v {
                Value::Null => false,
                Value::Bool(b) => *b,
                Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
                Value::String(s) => !s.is_empty(),
                Value::Array(a) => !a.is_empty(),
                Value::Object(m) => !m.is_empty(),
            },
            Val::Int(i) => *i != 0,
            Val::Float(f) => *f != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::Bool(b) => *b,
            Val::List(l) => !l.is_empty(),
        }
    }

    /// The elements of a list.
    pub fn items(&self) -> Option<Vec<Val<'a>>> {
        match self {
            Val::Json(Value::Array(a)) => Some(a.iter().map(Val::Json).collect()),
            Val::List(l) => Some(l.clone()),
            _ => None,
        }
    }
}

/// `%v` as Go's fmt prints it (`fmt.Sprint` of one value).
pub fn plain(v: &Val) -> String {
    let mut s = String::new();
    write_plain(&mut s, v);
    s
}

fn write_plain(out: &mut String, v: &Val) {
    match v {
        Val::Missing | Val::Nil => out.push_str("<nil>"),
        Val::Json(j) => write_json(out, j),
        Val::Int(i) => out.push_str(&i.to_string()),
        Val::Float(f) => out.push_str(&float_g(*f)),
        Val::Str(s) => out.push_str(s),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::List(l) => {
            out.push('[');
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_plain(out, x);
            }
            out.push(']');
        }
    }
}

fn write_json(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("<nil>"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match n.as_i64() {
            Some(i) => out.push_str(&i.to_string()),
            None => out.push_str(&float_g(n.as_f64().unwrap_or(0.0))),
        },
        Value::String(s) => out.push_str(s),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_json(out, x);
            }
            out.push(']');
        }
        Value::Object(m) => {
            // Go's fmt prints a map's keys sorted.
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push_str("map[");
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                write_json(out, &m[k.as_str()]);
            }
            out.push(']');
        }
    }
}

/// A float64 as `%v` prints it: the shortest digits that read back the same, in `%e` form when
/// the exponent is below -4 or at least 6 (Go's `%g` at the shortest precision decides with
/// precision 6): `1e+06`, `123456`, `0.0001`, `1e-05`.
pub fn float_g(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let e = format!("{f:e}"); // shortest digits: "1.234e5", "-1e-7"
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.abs());
    }
    format!("{f}")
}
