//! The `printf` builtin's format (bash's, and busybox's where they agree): flags `-+ #0`,
//! widths and precisions (`*` from the arguments), and the conversions `d i u o x X c s b q
//! f F e E g G %`. The format is reused until the arguments run out, as printf does.
//!
//! Pure text: the builtin in [`super::builtins`] writes what this makes and reports the
//! problems it lists, in bash's or busybox's words.

use super::interp::MAX_CAPTURE;

/// What went wrong with one argument or conversion (the builtin words it for its shell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// An argument that is not a number (`abc` for `%d`): printed as what it began with.
    Invalid(String),
    /// A number too big for 64 bits: printed as the largest.
    Range(String),
    /// A conversion bash does not know (`%k`), or a `%` at the end: output stops there.
    Format(String),
}

/// The text `fmt` makes of `args`, and the problems met. Output stops early at `%b`'s `\c`
/// and at a bad conversion.
pub fn format(fmt: &str, args: &[&str]) -> (String, Vec<Problem>) {
    let mut rest = args.iter().copied();
    let mut out = String::new();
    let mut problems = Vec::new();
    loop {
        let mut used = false;
        let mut chars = fmt.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            if chars.peek() == Some(&'%') {
                chars.next();
                out.push('%');
                continue;
            }
            let mut spec = Spec::default();
            let mut text = String::from("%");
            while let Some(&f) = chars.peek() {
                match f {
                    '-' => spec.left = true,
                    '+' => spec.plus = true,
                    ' ' => spec.space = true,
                    '#' => spec.alt = true,
                    '0' => spec.zero = true,
                    _ => break,
                }
                text.push(f);
                chars.next();
            }
            // A `*` takes an argument too; the conversion after it marks the format as using them.
            if chars.peek() == Some(&'*') {
                chars.next();
                let n = integer_arg(rest.next().unwrap_or(""), &mut problems);
                spec.left |= n < 0;
                spec.width = clamp(n.unsigned_abs());
            } else {
                spec.width = clamp(digits(&mut chars, &mut text));
            }
            if chars.peek() == Some(&'.') {
                chars.next();
                text.push('.');
                if chars.peek() == Some(&'*') {
                    chars.next();
                    let n = integer_arg(rest.next().unwrap_or(""), &mut problems);
                    // A negative precision is taken as none.
                    spec.precision = (n >= 0).then(|| clamp(n.unsigned_abs()));
                } else {
                    spec.precision = Some(clamp(digits(&mut chars, &mut text)));
                }
            }
            let Some(conv) = chars.next() else {
                problems.push(Problem::Format(text));
                return (out, problems);
            };
            let piece = match conv {
                'd' | 'i' | 'u' | 'o' | 'x' | 'X' => {
                    used = true;
                    let n = integer_arg(rest.next().unwrap_or(""), &mut problems);
                    spec.integer(conv, n)
                }
                'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                    used = true;
                    let v = float_arg(rest.next().unwrap_or(""), &mut problems);
                    spec.float(conv, v)
                }
                's' | 'b' | 'q' | 'c' => {
                    used = true;
                    let arg = rest.next().unwrap_or("");
                    let (s, stop) = match conv {
                        'b' => escapes(arg, Escapes::Arg),
                        'q' => (quote(arg), false),
                        'c' => (arg.chars().take(1).collect(), false),
                        _ => (arg.to_string(), false),
                    };
                    let s = match spec.precision {
                        Some(p) if conv != 'c' => s.chars().take(p).collect(),
                        _ => s,
                    };
                    let piece = spec.pad(String::new(), s);
                    if stop {
                        out.push_str(&piece);
                        return (out, problems);
                    }
                    piece
                }
                other => {
                    text.push(other);
                    problems.push(Problem::Format(text));
                    return (out, problems);
                }
            };
            out.push_str(&piece);
            if out.len() > MAX_CAPTURE {
                return (out, problems);
            }
        }
        if !used || rest.len() == 0 {
            return (out, problems);
        }
    }
}

/// Where backslash escapes are read: a printf format (`\101` octal, `\c` is text), `echo
/// -e` (`\0101` octal only, `\c` ends all output), or `%b` (either octal, `\c` ends it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escapes {
    Format,
    Echo,
    Arg,
}

/// `s` with its backslash escapes replaced; true when `\c` ended it (echo and `%b` only).
pub fn escapes(s: &str, mode: Escapes) -> (String, bool) {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        let simple = match e {
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            'e' | 'E' => Some('\u{1b}'),
            'f' => Some('\u{c}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\u{b}'),
            '\\' => Some('\\'),
            '"' | '\'' | '?' if mode == Escapes::Format => Some(e),
            _ => None,
        };
        if let Some(c) = simple {
            out.push(c);
            continue;
        }
        match e {
            'c' if mode != Escapes::Format => return (out, true),
            '0'..='7' => {
                // `\0` then up to three digits (echo, %b), or up to three digits in all
                // (a format, and %b without the 0).
                let leading_zero = e == '0' && mode != Escapes::Format;
                let mut n = if leading_zero { 0 } else { e.to_digit(8).unwrap_or(0) };
                let more = if leading_zero { 3 } else { 2 };
                if mode == Escapes::Echo && e != '0' {
                    out.push('\\');
                    out.push(e);
                    continue;
                }
                for _ in 0..more {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            n = n * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(n & 0xff).unwrap_or('?'));
            }
            'x' | 'u' | 'U' => {
                let most = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut n: u32 = 0;
                let mut got = 0;
                while got < most {
                    match chars.peek().and_then(|d| d.to_digit(16)) {
                        Some(d) => {
                            n = n.wrapping_mul(16).wrapping_add(d);
                            chars.next();
                            got += 1;
                        }
                        None => break,
                    }
                }
                if got == 0 {
                    out.push('\\');
                    out.push(e);
                } else {
                    out.push(char::from_u32(n).unwrap_or('\u{fffd}'));
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    (out, false)
}

/// A width or precision, kept to what output can hold.
fn clamp(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX).min(MAX_CAPTURE + 1)
}

/// The decimal digits at the front of `chars` (a width or precision), as a number.
fn digits(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, text: &mut String) -> u64 {
    let mut n: u64 = 0;
    while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
        text.push(chars.next().unwrap_or('0'));
        n = n.saturating_mul(10).saturating_add(u64::from(d));
    }
    n
}

/// One conversion's flags, width and precision.
#[derive(Debug, Default)]
struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    precision: Option<usize>,
}

impl Spec {
    /// `sign` then `body`, padded to the width: spaces on the left, on the right with `-`,
    /// or zeros between sign and body with `0` (for numbers only: the caller says).
    fn pad(&self, sign: String, body: String) -> String {
        let len = sign.chars().count() + body.chars().count();
        let fill = self.width.saturating_sub(len);
        if self.left {
            format!("{sign}{body}{}", " ".repeat(fill))
        } else {
            format!("{}{sign}{body}", " ".repeat(fill))
        }
    }

    fn pad_number(&self, sign: String, body: String, zeros_allowed: bool) -> String {
        if self.zero && !self.left && zeros_allowed {
            let len = sign.chars().count() + body.chars().count();
            let fill = self.width.saturating_sub(len);
            format!("{sign}{}{body}", "0".repeat(fill))
        } else {
            self.pad(sign, body)
        }
    }

    fn sign(&self, negative: bool) -> String {
        match (negative, self.plus, self.space) {
            (true, _, _) => "-".into(),
            (false, true, _) => "+".into(),
            (false, false, true) => " ".into(),
            _ => String::new(),
        }
    }

    fn integer(&self, conv: char, n: i64) -> String {
        // The unsigned conversions see a negative number as its 64-bit pattern, as C does.
        let (negative, mut digits) = match conv {
            'd' | 'i' => (n < 0, n.unsigned_abs().to_string()),
            'u' => (false, (n as u64).to_string()),
            'o' => (false, format!("{:o}", n as u64)),
            'x' => (false, format!("{:x}", n as u64)),
            _ => (false, format!("{:X}", n as u64)),
        };
        if self.precision == Some(0) && n == 0 {
            digits.clear();
        }
        if let Some(p) = self.precision {
            if digits.len() < p {
                digits = format!("{}{digits}", "0".repeat(p - digits.len()));
            }
        }
        let mut sign = if matches!(conv, 'd' | 'i') { self.sign(negative) } else { String::new() };
        if self.alt && n != 0 {
            match conv {
                'x' => sign.push_str("0x"),
                'X' => sign.push_str("0X"),
                'o' if !digits.starts_with('0') => digits.insert(0, '0'),
                _ => {}
            }
        }
        // With a precision, `0` pads with spaces (C's rule).
        self.pad_number(sign, digits, self.precision.is_none())
    }

    fn float(&self, conv: char, v: f64) -> String {
        let upper = conv.is_ascii_uppercase();
        let sign = self.sign(v.is_sign_negative() && !v.is_nan());
        if !v.is_finite() {
            let body = if v.is_nan() { "nan" } else { "inf" };
            let body = if upper { body.to_uppercase() } else { body.to_string() };
            return self.pad(sign, body);
        }
        let a = v.abs();
        let p = self.precision.unwrap_or(6);
        let body = match conv.to_ascii_lowercase() {
            'f' => {
                let mut s = format!("{a:.p$}");
                if self.alt && p == 0 {
                    s.push('.');
                }
                s
            }
            'e' => exponent_form(a, p, self.alt),
            _ => {
                // %g: the shorter of %e and %f for this many significant digits.
                let p = p.max(1);
                let x = exponent_of(a, p - 1);
                let mut s = if x < -4 || x >= p as i32 {
                    exponent_form(a, p - 1, self.alt)
                } else {
                    let decimals = (p as i32 - 1 - x).max(0) as usize;
                    let mut s = format!("{a:.decimals$}");
                    if self.alt && decimals == 0 {
                        s.push('.');
                    }
                    s
                };
                if !self.alt {
                    s = trim_zeros(&s);
                }
                s
            }
        };
        let body = if upper { body.to_uppercase() } else { body };
        self.pad_number(sign, body, true)
    }
}

/// The decimal exponent of `a` once rounded to `p` decimals in exponent form.
fn exponent_of(a: f64, p: usize) -> i32 {
    if a == 0.0 {
        return 0;
    }
    let s = format!("{a:.p$e}");
    s.split_once('e').and_then(|(_, e)| e.parse().ok()).unwrap_or(0)
}

/// C's `%e`: `1.234568e+04`, the exponent signed and at least two digits.
fn exponent_form(a: f64, p: usize, alt: bool) -> String {
    let s = format!("{a:.p$e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let dot = if alt && p == 0 { "." } else { "" };
    let sign = if exp < 0 { '-' } else { '+' };
    format!("{mantissa}{dot}e{sign}{:02}", exp.unsigned_abs())
}

/// `%g` drops the fraction's trailing zeros, and a dot left alone.
fn trim_zeros(s: &str) -> String {
    let (mantissa, exp) = match s.find('e') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let mantissa = if mantissa.contains('.') { mantissa.trim_end_matches('0').trim_end_matches('.') } else { mantissa };
    format!("{mantissa}{exp}")
}

/// bash's `%q`: the word quoted so the shell reads it back as it is.
fn quote(s: &str) -> String {
    if s.is_empty() {
        return "''".into();
    }
    if s.chars().any(|c| c.is_control()) {
        let mut out = String::from("$'");
        for c in s.chars() {
            match c {
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                '\'' => out.push_str("\\'"),
                '\\' => out.push_str("\\\\"),
                c if c.is_control() => out.push_str(&format!("\\{:03o}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('\'');
        return out;
    }
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        let special = " !\"$&'()*,;<>?[\\]^`{|}".contains(c) || (i == 0 && (c == '~' || c == '#'));
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A `%d` argument as C's `strtoimax` reads it (see [`integer`]); its problem noted.
fn integer_arg(arg: &str, problems: &mut Vec<Problem>) -> i64 {
    let (n, problem) = integer(arg);
    problems.extend(problem);
    n
}

/// A printf integer argument read as C's `strtoimax` with base 0 reads it (leading blanks, a
/// sign, `0x` hex, `0` octal; `'c` is the character's code; empty is 0): the value, and the
/// problem bash reports when the text is not all a number or does not fit.
pub fn integer(arg: &str) -> (i64, Option<Problem>) {
    if let Some(c) = arg.strip_prefix(['\'', '"']) {
        return (c.chars().next().map_or(0, |c| c as i64), None);
    }
    if arg.is_empty() {
        return (0, None);
    }
    let t = arg.trim_start_matches([' ', '\t', '\n']);
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        (16, h)
    } else if t.len() > 1 && t.starts_with('0') {
        (8, &t[1..])
    } else {
        (10, t)
    };
    let len = digits.find(|c: char| !c.is_digit(radix)).unwrap_or(digits.len());
    if len == 0 && radix != 8 {
        return (0, Some(Problem::Invalid(arg.into())));
    }
    let mut overflow = false;
    let mut n: i128 = 0;
    for c in digits[..len].chars() {
        n = n * i128::from(radix) + i128::from(c.to_digit(radix).unwrap_or(0));
        if n > i128::from(i64::MAX) + 1 {
            overflow = true;
            n = i128::from(i64::MAX) + 1;
        }
    }
    let n = if neg { -n } else { n };
    let clamped = n.clamp(i128::from(i64::MIN), i128::from(i64::MAX));
    let value = i64::try_from(clamped).unwrap_or(if neg { i64::MIN } else { i64::MAX });
    if overflow || clamped != n {
        (value, Some(Problem::Range(arg.into())))
    } else if len < digits.len() {
        (value, Some(Problem::Invalid(arg.into())))
    } else {
        (value, None)
    }
}

/// A `%f` argument as `strtold` reads it: the longest number at the front (`inf`, `nan`
/// too); the rest, if any, makes it invalid.
fn float_arg(arg: &str, problems: &mut Vec<Problem>) -> f64 {
    if let Some(c) = arg.strip_prefix(['\'', '"']) {
        return c.chars().next().map_or(0.0, |c| f64::from(c as u32));
    }
    let t = arg.trim_start_matches([' ', '\t', '\n']);
    if t.is_empty() {
        return 0.0;
    }
    if t.starts_with("0x") || t.starts_with("0X") {
        return integer_arg(arg, problems) as f64;
    }
    // The longest prefix that parses: numbers are short, so this looks at few prefixes.
    let ends: Vec<usize> = t.char_indices().map(|(i, c)| i + c.len_utf8()).take(64).collect();
    for &end in ends.iter().rev() {
        if let Ok(v) = t[..end].parse::<f64>() {
            if end < t.len() {
                problems.push(Problem::Invalid(arg.into()));
            }
            return v;
        }
    }
    problems.push(Problem::Invalid(arg.into()));
    0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(fmt: &str, arg: &str) -> String {
        format(fmt, &[arg]).0
    }

    #[test]
    fn flags_widths_and_conversions_print_as_bash_does() {
        // Each expected text is what bash 5.2 printed for the same format and argument.
        let cases = [
            ("%05d", "42", "00042"),
            ("%-5d|", "42", "42   |"),
            ("%+d", "42", "+42"),
            ("% d", "42", " 42"),
            ("%x", "255", "ff"),
            ("%X", "255", "FF"),
            ("%#x", "255", "0xff"),
            ("%#x", "0", "0"),
            ("%#o", "8", "010"),
            ("%u", "-1", "18446744073709551615"),
            ("%c", "hello", "h"),
            ("%.2f", "3.14159", "3.14"),
            ("%f", "2", "2.000000"),
            ("%8.3f", "-3.14159", "  -3.142"),
            ("%e", "12345.678", "1.234568e+04"),
            ("%E", "0.000123", "1.230000E-04"),
            ("%e", "0", "0.000000e+00"),
            ("%g", "0.0001", "0.0001"),
            ("%g", "123456789", "1.23457e+08"),
            ("%g", "100000", "100000"),
            ("%G", "1e-10", "1E-10"),
            ("%#g", "1", "1.00000"),
            ("%.3g", "3.14159", "3.14"),
            ("%g", "0", "0"),
            ("%g", "1e100", "1e+100"),
            ("%.10g", "0.1", "0.1"),
            ("%q", "a b", "a\\ b"),
            ("%q", "it's", "it\\'s"),
            ("%q", "", "''"),
            ("%q", "a,b=c:d@e%f^g+h", "a\\,b=c:d@e%f\\^g+h"),
            ("%q", "~x", "\\~x"),
            ("%q", "tab\tx", "$'tab\\tx'"),
            ("%b", "a\\tb", "a\tb"),
            ("%05s", "ab", "   ab"),
            ("%010.3f", "3.14159", "000003.142"),
            ("%-8.2e|", "1234", "1.23e+03|"),
            ("%.0f", "2.5", "2"),
            ("%.0e", "15000", "2e+04"),
            ("%f", "inf", "inf"),
            ("%G", "inf", "INF"),
            ("%+f", "nan", "+nan"),
            ("%5.1s", "abc", "    a"),
            ("%i", "0x1f", "31"),
            ("%+.3d", "7", "+007"),
            ("%08.3d", "7", "     007"),
            ("%.3x", "5", "005"),
            ("%#X", "255", "0XFF"),
            ("%05.1f", "-2.25", "-02.2"),
            ("%d", "", "0"),
            ("%s%%", "x", "x%"),
        ];
        for (fmt, arg, want) in cases {
            assert_eq!(one(fmt, arg), want, "printf '{fmt}' '{arg}'");
        }
    }

    #[test]
    fn bad_numbers_print_what_they_began_with_and_say_so() {
        assert_eq!(format("%f", &["1.5x"]), ("1.500000".into(), vec![Problem::Invalid("1.5x".into())]));
        assert_eq!(format("%f", &["abc"]), ("0.000000".into(), vec![Problem::Invalid("abc".into())]));
        assert_eq!(format("%d", &["12abc"]), ("12".into(), vec![Problem::Invalid("12abc".into())]));
        let (text, problems) = format("%d", &["99999999999999999999"]);
        assert_eq!(text, "9223372036854775807");
        assert_eq!(problems, vec![Problem::Range("99999999999999999999".into())]);
    }

    #[test]
    fn output_stops_at_a_bad_conversion_and_at_backslash_c() {
        assert_eq!(format("abc%", &[]), ("abc".into(), vec![Problem::Format("%".into())]));
        assert_eq!(format("a%kb", &[]), ("a".into(), vec![Problem::Format("%k".into())]));
        assert_eq!(format("%b|%s\n", &["a\\cb", "c"]).0, "a");
    }

    #[test]
    fn the_format_is_reused_until_the_arguments_run_out() {
        assert_eq!(format("%s=%d\n", &["a", "1", "b", "2"]).0, "a=1\nb=2\n");
        assert_eq!(format("%*d|%-*d|\n", &["4", "7", "3", "8"]).0, "   7|8  |\n");
        assert_eq!(format("x\n", &["ignored"]).0, "x\n");
    }

    #[test]
    fn escapes_are_read_as_printf_and_echo_read_them() {
        assert_eq!(escapes("a\\101\\x41\\u00e9\\c|", Escapes::Format), ("aAA\u{e9}\\c|".into(), false));
        assert_eq!(escapes("x\\0101y\\cz", Escapes::Echo), ("xAy".into(), true));
        assert_eq!(escapes("\\q\\", Escapes::Format), ("\\q\\".into(), false));
        assert_eq!(escapes("a\\101b\\0102c", Escapes::Echo), ("a\\101bBc".into(), false));
        assert_eq!(format("%b|\n", &["\\101\\0102\\01017"]).0, "ABA7|\n");
    }

    #[test]
    fn huge_widths_are_cut_to_what_output_holds() {
        let (text, _) = format("%999999999999d", &["1"]);
        assert!(text.len() <= MAX_CAPTURE + 2);
    }
}
