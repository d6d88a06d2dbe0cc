//! Go's `fmt` as templates reach it: `printf`'s verbs, flags, width and precision, and the
//! `%!d(float64=1.5)` / `%!s(MISSING)` / `%!(EXTRA …)` marks Go prints for mismatches;
//! `print` and `println`'s spacing.

use serde_json::Value;

use super::value::{float_g, plain, Val};

/// `fmt.Sprint`: operands side by side, a space between two when neither is a string.
pub fn sprint(args: &[Val]) -> String {
    let mut out = String::new();
    let mut prev_string = false;
    for (i, a) in args.iter().enumerate() {
        let is_string = a.as_str().is_some();
        if i > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        out.push_str(&plain(a));
        prev_string = is_string;
    }
    out
}

/// `fmt.Sprintln`: operands with spaces between, and a newline.
pub fn sprintln(args: &[Val]) -> String {
    let mut s = args.iter().map(plain).collect::<Vec<_>>().join(" ");
    s.push('\n');
    s
}

#[derive(Debug, Clone, Copy, Default)]
struct Spec {
    minus: bool,
    plus: bool,
    zero: bool,
    space: bool,
    sharp: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

/// `fmt.Sprintf(format, args…)`.
pub fn sprintf(format: &str, args: &[Val]) -> String {
    let mut out = String::new();
    let mut next = 0;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&f) = chars.peek() {
            match f {
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                '0' => spec.zero = true,
                ' ' => spec.space = true,
                '#' => spec.sharp = true,
                _ => break,
            }
            chars.next();
        }
        let number = |chars: &mut std::iter::Peekable<std::str::Chars>| {
            let mut n: Option<usize> = None;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                n = Some(n.unwrap_or(0).saturating_mul(10).saturating_add(d as usize).min(10_000));
                chars.next();
            }
            n
        };
        spec.width = number(&mut chars);
        if chars.peek() == Some(&'.') {
            chars.next();
            spec.prec = Some(number(&mut chars).unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(next) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        next += 1;
        out.push_str(&one(verb, spec, arg));
    }
    if next < args.len() {
        let extra: Vec<String> = args[next..].iter().map(|a| format!("{}={}", a.type_name(), plain(a))).collect();
        out.push_str(&format!("%!(EXTRA {})", extra.join(", ")));
    }
    out
}

fn bad(verb: char, v: &Val) -> String {
    match v {
        Val::Nil | Val::Missing | Val::Json(Value::Null) => format!("%!{verb}(<nil>)"),
        _ => format!("%!{verb}({}={})", v.type_name(), plain(v)),
    }
}

fn pad(s: String, spec: Spec, numeric: bool) -> String {
    let Some(w) = spec.width else { return s };
    let len = s.chars().count();
    if len >= w {
        return s;
    }
    let fill = w - len;
    if spec.minus {
        return format!("{s}{}", " ".repeat(fill));
    }
    if spec.zero && numeric {
        let (sign, digits) = match s.strip_prefix(['-', '+']) {
            Some(d) => (&s[..1], d),
            None => ("", s.as_str()),
        };
        return format!("{sign}{}{digits}", "0".repeat(fill));
    }
    format!("{}{s}", " ".repeat(fill))
}

fn signed(s: String, negative: bool, spec: Spec) -> String {
    if negative {
        s
    } else if spec.plus {
        format!("+{s}")
    } else if spec.space {
        format!(" {s}")
    } else {
        s
    }
}

/// One operand under one verb.
fn one(verb: char, spec: Spec, v: &Val) -> String {
    if verb == 'T' {
        return pad(v.type_name().to_string(), spec, false);
    }
    // Containers print element by element under the same verb, as Go's fmt does.
    match v {
        Val::Json(Value::Array(_)) | Val::List(_) => {
            let items = v.items().unwrap_or_default();
            let parts: Vec<String> = items.iter().map(|x| one(verb, spec, &x.clone().norm())).collect();
            return format!("[{}]", parts.join(" "));
        }
        Val::Json(Value::Object(m)) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .iter()
                .map(|k| {
                    format!(
                        "{}:{}",
                        one(verb, spec, &Val::Str((*k).clone())),
                        one(verb, spec, &Val::Json(&m[k.as_str()]).norm())
                    )
                })
                .collect();
            return format!("map[{}]", parts.join(" "));
        }
        _ => {}
    }
    let v = v.clone().norm();
    if matches!(v, Val::Nil | Val::Missing) {
        return if verb == 'v' { pad("<nil>".into(), spec, false) } else { bad(verb, &v) };
    }
    if let Some(b) = v.as_bool() {
        return match verb {
            'v' | 't' => pad(b.to_string(), spec, false),
            _ => bad(verb, &v),
        };
    }
    if let Some(i) = v.as_int() {
        let neg = i < 0;
        let text = match verb {
            'v' | 'd' => i.to_string(),
            'b' => format!("{}{:b}", if neg { "-" } else { "" }, i.unsigned_abs()),
            'o' => format!("{}{:o}", if neg { "-" } else { "" }, i.unsigned_abs()),
            'x' => {
                format!("{}{}{:x}", if neg { "-" } else { "" }, if spec.sharp { "0x" } else { "" }, i.unsigned_abs())
            }
            'X' => {
                format!("{}{}{:X}", if neg { "-" } else { "" }, if spec.sharp { "0X" } else { "" }, i.unsigned_abs())
            }
            'c' => u32::try_from(i).ok().and_then(char::from_u32).unwrap_or('\u{fffd}').to_string(),
            'q' => format!("'{}'", u32::try_from(i).ok().and_then(char::from_u32).unwrap_or('\u{fffd}')),
            'U' => format!("U+{:04X}", i),
            _ => return bad(verb, &v),
        };
        let numeric = matches!(verb, 'v' | 'd' | 'b' | 'o' | 'x' | 'X');
        let text = if numeric { signed(text, neg, spec) } else { text };
        return pad(text, spec, numeric);
    }
    if let Some(f) = v.as_float() {
        let text = match verb {
            'v' | 'g' | 'G' => match spec.prec {
                None => float_g(f),
                Some(p) => float_g_prec(f, p.max(1)),
            },
            'f' | 'F' => format!("{:.*}", spec.prec.unwrap_or(6), f),
            'e' | 'E' => {
                let s = exp_form(&format!("{:.*e}", spec.prec.unwrap_or(6), f));
                if verb == 'E' {
                    s.to_uppercase()
                } else {
                    s
                }
            }
            _ => return bad(verb, &v),
        };
        return pad(signed(text, f.is_sign_negative(), spec), spec, true);
    }
    if let Some(s) = v.as_str() {
        let cut = |s: &str| match spec.prec {
            Some(p) => s.chars().take(p).collect::<String>(),
            None => s.to_string(),
        };
        return match verb {
            'v' | 's' => pad(cut(s), spec, false),
            'q' => pad(quote(&cut(s)), spec, false),
            'x' => pad(cut(s).bytes().map(|b| format!("{b:02x}")).collect(), spec, false),
            'X' => pad(cut(s).bytes().map(|b| format!("{b:02X}")).collect(), spec, false),
            _ => bad(verb, &v),
        };
    }
    bad(verb, &v)
}

/// `%.Ng`: N significant digits, `%e` form when the exponent is below -4 or at least N.
fn float_g_prec(f: f64, p: usize) -> String {
    let e = format!("{:.*e}", p - 1, f);
    let (m, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let trim = |s: &str| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s.to_string()
        }
    };
    if exp < -4 || exp >= p as i64 {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{}e{sign}{:02}", trim(m), exp.abs());
    }
    let decimals = (p as i64 - 1 - exp).max(0) as usize;
    trim(&format!("{f:.decimals$}"))
}

/// Rust's `1.5e3` as Go's `1.5e+03`.
fn exp_form(s: &str) -> String {
    let (m, exp) = s.split_once('e').unwrap_or((s, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{m}e{sign}{:02}", exp.abs())
}

/// Go's `strconv.Quote`.
pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn printf_marks_a_verb_that_does_not_fit_its_operand_as_go_does() {
        let three = json!(3);
        let args = [Val::Json(&three), Val::Str("x".into())];
        assert_eq!(sprintf("%d|%s|%v", &args), "3|x|%!v(MISSING)");
        assert_eq!(sprintf("%s", &args), "%!s(int64=3)%!(EXTRA string=x)");
        assert_eq!(
            sprintf(
                "%05d|%-4s|%4s|%x",
                &[Val::Int(-42), Val::Str("ab".into()), Val::Str("ab".into()), Val::Str("hi".into())]
            ),
            "-0042|ab  |  ab|6869"
        );
        assert_eq!(
            sprintf("%.2f %e %g %v", &[Val::Float(2.375), Val::Float(1500.0), Val::Float(1e21), Val::Float(0.00001)]),
            "2.38 1.500000e+03 1e+21 1e-05"
        );
        assert_eq!(
            sprint(&[Val::Int(1), Val::Int(2), Val::Str("a".into()), Val::Str("b".into()), Val::Int(3)]),
            "1 2ab3"
        );
    }
}
