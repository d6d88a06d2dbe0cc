//! YAML as kubectl writes it: JSON turned into YAML by sigs.k8s.io/yaml, which hands it to its
//! go-yaml v2 fork. Keys sorted, sequences not indented under their key, strings that would
//! read back as something else (`"10"`, `"true"`, `""`, timestamps) double-quoted, strings
//! starting with an indicator (`'*'`) single-quoted, multi-line strings as `|` blocks, and
//! long plain strings folded at a space past column 80.

use serde_json::Value;

/// go-yaml's `best_width`: past this column a space becomes a line break.
const BEST_WIDTH: usize = 80;

/// The YAML of `value`, as `kubectl … -o yaml` prints it.
pub fn to_string(value: &Value) -> String {
    let mut w = Writer { out: String::new(), column: 0 };
    match value {
        Value::Object(m) if !m.is_empty() => w.mapping(m, 0),
        Value::Array(a) if !a.is_empty() => w.sequence(a, 0),
        other => {
            w.scalar(other, 0, false);
            w.end_line();
        }
    }
    w.out
}

struct Writer {
    out: String,
    column: usize,
}

impl Writer {
    fn push(&mut self, s: &str) {
        self.out.push_str(s);
        match s.rfind('\n') {
            Some(i) => self.column = s[i + 1..].chars().count(),
            None => self.column += s.chars().count(),
        }
    }

    fn newline(&mut self) {
        self.push("\n");
    }

    /// Ends the line unless a block scalar already did.
    fn end_line(&mut self) {
        if self.column != 0 {
            self.newline();
        }
    }

    fn indent(&mut self, n: usize) {
        self.push(&" ".repeat(n));
    }

    /// A mapping whose keys start at column `indent`; the first key is written where the
    /// cursor is (after `- ` in a sequence), the rest on their own lines.
    fn mapping(&mut self, m: &serde_json::Map<String, Value>, indent: usize) {
        let mut keys: Vec<&String> = m.keys().collect();
        keys.sort();
        for (i, k) in keys.into_iter().enumerate() {
            if i > 0 {
                self.indent(indent);
            }
            self.string(k, indent, true);
            self.push(":");
            match &m[k] {
                Value::Object(inner) if !inner.is_empty() => {
                    self.newline();
                    self.indent(indent + 2);
                    self.mapping(inner, indent + 2);
                }
                Value::Array(items) if !items.is_empty() => {
                    self.newline();
                    self.indent(indent);
                    self.sequence(items, indent);
                }
                v => {
                    self.push(" ");
                    self.scalar(v, indent + 2, false);
                    self.end_line();
                }
            }
        }
    }

    /// A sequence whose dashes stand at column `indent`; the first dash is written where the
    /// cursor is.
    fn sequence(&mut self, items: &[Value], indent: usize) {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.indent(indent);
            }
            self.push("- ");
            match item {
                Value::Object(inner) if !inner.is_empty() => self.mapping(inner, indent + 2),
                Value::Array(inner) if !inner.is_empty() => self.sequence(inner, indent + 2),
                v => {
                    self.scalar(v, indent + 2, false);
                    self.end_line();
                }
            }
        }
    }

    /// A scalar (or empty collection); continuation lines are indented to `cont`.
    fn scalar(&mut self, v: &Value, cont: usize, key: bool) {
        match v {
            Value::Null => self.push("null"),
            Value::Bool(b) => self.push(if *b { "true" } else { "false" }),
            Value::Number(n) => self.push(&n.to_string()),
            Value::String(s) => self.string(s, cont, key),
            Value::Object(_) => self.push("{}"),
            Value::Array(_) => self.push("[]"),
        }
    }

    fn string(&mut self, s: &str, cont: usize, key: bool) {
        match style(s, key) {
            Style::Plain => self.folded(s, cont, !key, false),
            Style::Single => {
                self.push("'");
                self.folded(&s.replace('\'', "''"), cont, !key, true);
                self.push("'");
            }
            Style::Double => self.double_quoted(s, cont, !key),
            Style::Literal => self.literal(s, cont),
        }
    }

    /// Plain or single-quoted text, a space past the best width turned into a line break.
    fn folded(&mut self, s: &str, cont: usize, breaks: bool, quoted: bool) {
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let next_is_space = chars.get(i + 1) == Some(&' ');
                let inner = !quoted || (i > 0 && i + 1 < chars.len());
                if breaks && !spaces && self.column > BEST_WIDTH && !next_is_space && inner {
                    self.newline();
                    self.indent(cont);
                } else {
                    self.push(" ");
                }
                spaces = true;
            } else {
                self.push(c.encode_utf8(&mut [0; 4]));
                spaces = false;
            }
        }
    }

    fn double_quoted(&mut self, s: &str, cont: usize, breaks: bool) {
        self.push("\"");
        let chars: Vec<char> = s.chars().collect();
        let mut spaces = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                if breaks && !spaces && self.column > BEST_WIDTH && i != 0 && i + 1 != chars.len() {
                    self.newline();
                    self.indent(cont);
                    if chars.get(i + 1) == Some(&' ') {
                        self.push("\\");
                    }
                } else {
                    self.push(" ");
                }
                spaces = true;
                continue;
            }
            spaces = false;
            let escaped = match c {
                '"' => "\\\"".to_string(),
                '\\' => "\\\\".to_string(),
                '\0' => "\\0".to_string(),
                '\x07' => "\\a".to_string(),
                '\x08' => "\\b".to_string(),
                '\t' => "\\t".to_string(),
                '\n' => "\\n".to_string(),
                '\x0b' => "\\v".to_string(),
                '\x0c' => "\\f".to_string(),
                '\r' => "\\r".to_string(),
                '\x1b' => "\\e".to_string(),
                '\u{85}' => "\\N".to_string(),
                '\u{a0}' => "\\_".to_string(),
                '\u{2028}' => "\\L".to_string(),
                '\u{2029}' => "\\P".to_string(),
                c if !printable(c) => {
                    let n = c as u32;
                    if n <= 0xff {
                        format!("\\x{n:02X}")
                    } else if n <= 0xffff {
                        format!("\\u{n:04X}")
                    } else {
                        format!("\\U{n:08X}")
                    }
                }
                c => c.to_string(),
            };
            self.push(&escaped);
        }
        self.push("\"");
    }

    /// A `|` block: `|-` without a final newline, `|+` with several, `|2` when it starts with
    /// a space; blank lines carry no indentation.
    fn literal(&mut self, s: &str, indent: usize) {
        self.push("|");
        if s.starts_with(' ') || s.starts_with('\n') {
            self.push("2");
        }
        if !s.ends_with('\n') {
            self.push("-");
        } else if s.len() == 1 || s[..s.len() - 1].ends_with('\n') {
            self.push("+");
        }
        self.newline();
        let body = s.strip_suffix('\n').unwrap_or(s);
        for line in body.split('\n') {
            if !line.is_empty() {
                self.indent(indent);
                self.push(line);
            }
            self.newline();
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// The style go-yaml picks: double quotes for a string that would resolve to another type, a
/// block for several lines, else plain unless the text forbids it (then single, then double).
fn style(s: &str, key: bool) -> Style {
    if resolves_to_non_string(s) {
        return Style::Double;
    }
    let a = analyze(s);
    if s.contains('\n') {
        return if key || !a.block_allowed { Style::Double } else { Style::Literal };
    }
    if a.plain_allowed {
        Style::Plain
    } else if a.single_allowed {
        Style::Single
    } else {
        Style::Double
    }
}

struct Analysis {
    plain_allowed: bool,
    single_allowed: bool,
    block_allowed: bool,
}

fn analyze(s: &str) -> Analysis {
    let chars: Vec<char> = s.chars().collect();
    let blankz = |i: usize| i >= chars.len() || matches!(chars[i], ' ' | '\t' | '\n' | '\r');
    let mut indicators = s.starts_with("---") || s.starts_with("...");
    let mut special = false;
    let (mut line_breaks, mut space_break, mut break_space) = (false, false, false);
    let (mut prev_space, mut prev_break) = (false, false);
    for (i, &c) in chars.iter().enumerate() {
        let followed_by_blank = blankz(i + 1);
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`' => {
                    indicators = true
                }
                '?' | ':' | '-' if followed_by_blank => indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_blank => indicators = true,
                '#' if matches!(chars[i - 1], ' ' | '\t') => indicators = true,
                _ => {}
            }
        }
        if !printable(c) || c == '\u{feff}' {
            special = true;
        }
        if c == '\n' {
            line_breaks = true;
        }
        if c == ' ' {
            if prev_break {
                break_space = true;
            }
            prev_space = true;
            prev_break = false;
        } else if c == '\n' {
            if prev_space {
                space_break = true;
            }
            prev_break = true;
            prev_space = false;
        } else {
            prev_space = false;
            prev_break = false;
        }
    }
    let leading = matches!(chars.first(), Some(' ' | '\n'));
    let trailing_space = chars.last() == Some(&' ');
    let trailing_break = chars.last() == Some(&'\n');
    let mut a = Analysis { plain_allowed: !indicators, single_allowed: true, block_allowed: true };
    if s.is_empty() || leading || trailing_space || trailing_break || line_breaks {
        a.plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.plain_allowed = false;
        a.single_allowed = false;
    }
    if space_break || special {
        a = Analysis { plain_allowed: false, single_allowed: false, block_allowed: false };
    }
    a
}

fn printable(c: char) -> bool {
    matches!(c, '\n' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && c != '\u{feff}'
}

/// Whether go-yaml v2 would read `s`, written plain, as a bool, null, number or timestamp.
fn resolves_to_non_string(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO",
        "off", "Off", "OFF", "true", "True", "TRUE", "false", "False", "FALSE", ".nan", ".NaN", ".NAN", ".inf", ".Inf",
        ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "<<",
    ];
    if WORDS.contains(&s) {
        return true;
    }
    let Some(first) = s.chars().next() else { return true };
    if !(first.is_ascii_digit() || matches!(first, '+' | '-' | '.')) {
        return false;
    }
    let plain = s.replace('_', "");
    is_go_int(&plain) || is_go_float(&plain) || is_base60_float(s) || (first.is_ascii_digit() && is_timestamp(s))
}

/// `strconv.ParseInt(s, 0, 64)` (or ParseUint) succeeding: decimal, 0x, 0o, 0b, leading-0 octal.
fn is_go_int(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (digits, radix) = if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        (h, 16)
    } else if let Some(b) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        (b, 2)
    } else if let Some(o) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        (o, 8)
    } else if body.len() > 1 && body.starts_with('0') {
        (&body[1..], 8)
    } else {
        (body, 10)
    };
    !digits.is_empty() && u64::from_str_radix(digits, radix).is_ok()
}

/// `strconv.ParseFloat(s, 64)` succeeding, for text that starts like a number.
fn is_go_float(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity" | "nan") {
        return true;
    }
    if lower.starts_with("0x") {
        return false; // hex floats need a p exponent; rare enough to treat as text
    }
    !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        && body.parse::<f64>().is_ok()
}

/// YAML 1.1 sexagesimal numbers (`1:20`), which go-yaml quotes to keep them strings.
fn is_base60_float(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (int_part, _) = body.split_once('.').unwrap_or((body, ""));
    if let Some((_, frac)) = body.split_once('.') {
        if !frac.chars().all(|c| c.is_ascii_digit() || c == '_') {
            return false;
        }
    }
    let mut parts = int_part.split(':');
    let head = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    !rest.is_empty()
        && head.starts_with(|c: char| c.is_ascii_digit())
        && head.chars().all(|c| c.is_ascii_digit() || c == '_')
        && rest.iter().all(|p| {
            let b = p.as_bytes();
            match b.len() {
                1 => b[0].is_ascii_digit(),
                2 => (b'0'..=b'5').contains(&b[0]) && b[1].is_ascii_digit(),
                _ => false,
            }
        })
}

/// The timestamp forms go-yaml v2 recognises: `2006-1-2`, and that followed by `T`, `t` or a
/// space and a time.
fn is_timestamp(s: &str) -> bool {
    let date_end = s.find(['T', 't', ' ']).unwrap_or(s.len());
    let date: Vec<&str> = s[..date_end].split('-').collect();
    let digits =
        |p: &str, min: usize, max: usize| (min..=max).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit());
    if date.len() != 3 || !digits(date[0], 4, 4) || !digits(date[1], 1, 2) || !digits(date[2], 1, 2) {
        return false;
    }
    if date_end == s.len() {
        return true;
    }
    let time = &s[date_end + 1..];
    let clock_end = time.find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.')).unwrap_or(time.len());
    let clock: Vec<&str> = time[..clock_end].split('.').next().unwrap_or("").split(':').collect();
    let zone = &time[clock_end..];
    clock.len() == 3
        && clock.iter().all(|p| digits(p, 1, 2))
        && (zone.is_empty() || zone == "Z" || zone.starts_with(['+', '-']))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn quotes_strings_that_would_read_back_as_other_types() {
        let v = json!({"a": "10", "b": "true", "c": "", "d": "2025-01-01T00:00:00Z", "e": "*", "f": "80:8080",
                       "g": "1:20", "h": "web", "i": "yes", "j": "a: b", "k": "- x", "l": "0 * * * *"});
        assert_eq!(
            to_string(&v),
            "a: \"10\"\nb: \"true\"\nc: \"\"\nd: \"2025-01-01T00:00:00Z\"\ne: '*'\nf: 80:8080\ng: \"1:20\"\nh: web\ni: \"yes\"\nj: 'a: b'\nk: '- x'\nl: 0 * * * *\n"
        );
    }

    #[test]
    fn sequences_sit_under_their_key_and_maps_nest_in_items() {
        let v = json!({"spec": {"containers": [{"name": "web", "args": ["a", "b"], "resources": {}}], "x": []}});
        assert_eq!(
            to_string(&v),
            "spec:\n  containers:\n  - args:\n    - a\n    - b\n    name: web\n    resources: {}\n  x: []\n"
        );
    }

    #[test]
    fn multi_line_strings_are_literal_blocks_with_chomping() {
        let v = json!({"a": "x\ny\n", "b": "x\n\ny", "c": "x\n\n"});
        assert_eq!(to_string(&v), "a: |\n  x\n  y\nb: |-\n  x\n\n  y\nc: |+\n  x\n\n");
    }

    #[test]
    fn long_plain_strings_fold_past_column_eighty() {
        let long = "word ".repeat(30);
        let v = json!({"k": long.trim_end()});
        let text = to_string(&v);
        let first = text.lines().next().unwrap();
        assert!(first.len() > 80 && first.len() < 90, "{text}");
        assert!(text.lines().nth(1).unwrap().starts_with("  word"), "{text}");
    }
}
