//! What Go's `encoding/json` prints, for the sample Go servers whose answers are JSON (the Go
//! guestbook's `json.MarshalIndent(v, "", "  ")`): `__go_json lines` and `__go_json env`.

use super::interp::Machine;

/// `s` as Go's `json.Marshal` writes a string: quoted, with `"` and `\` escaped, `\n`, `\r`
/// and `\t` short, other control characters as `\u00XX`, and — Marshal's HTML escaping — `<`,
/// `>`, `&`, U+2028 and U+2029 as `\u` escapes too.
// Go 1.6's encoder (the Go guestbook's): it has no short `\b` and `\f` (Go 1.22 added them).
pub fn go_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `json.MarshalIndent(items, "", "  ")` of a `[]string`: `[]` when empty, else one element
/// a line, indented two spaces; no newline at the end.
pub fn indented_array(items: &[&str]) -> String {
    if items.is_empty() {
        return "[]".into();
    }
    let lines: Vec<String> = items.iter().map(|s| format!("  {}", go_string(s))).collect();
    format!("[\n{}\n]", lines.join(",\n"))
}

/// `json.MarshalIndent(m, "", "  ")` of a `map[string]string`: Go writes a map's keys sorted.
pub fn indented_object(pairs: &[(&str, &str)]) -> String {
    if pairs.is_empty() {
        return "{}".into();
    }
    let mut sorted = pairs.to_vec();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    sorted.dedup_by(|a, b| a.0 == b.0);
    let lines: Vec<String> = sorted.iter().map(|(k, v)| format!("  {}: {}", go_string(k), go_string(v))).collect();
    format!("{{\n{}\n}}", lines.join(",\n"))
}

impl Machine {
    /// `__go_json lines [FILE…]` (a string per line of the files or stdin, as a JSON array) and `__go_json env` (the
    /// process's environment as a JSON object, as a Go program builds it from `os.Environ()`).
    pub(super) fn go_json(&mut self, args: &[&str]) -> i32 {
        let out = match args {
            ["lines", files @ ..] => {
                let (text, code) = self.input(files);
                if code != 0 {
                    return code;
                }
                indented_array(&text.lines().collect::<Vec<_>>())
            }
            ["env"] => {
                let vars: Vec<(String, String)> =
                    self.exported.clone().into_iter().filter_map(|k| self.get_var(&k).map(|v| (k, v))).collect();
                let pairs: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                indented_object(&pairs)
            }
            _ => {
                self.write(2, "usage: __go_json lines|env\n");
                return 2;
            }
        };
        self.write(1, &out);
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_go_marshal_escapes_them() {
        assert_eq!(go_string("hello"), "\"hello\"");
        assert_eq!(go_string("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
        assert_eq!(go_string("<b>&</b>"), "\"\\u003cb\\u003e\\u0026\\u003c/b\\u003e\"");
        assert_eq!(go_string("tab\there\u{1}"), "\"tab\\there\\u0001\"");
        assert_eq!(go_string("한국어"), "\"한국어\"");
    }

    #[test]
    fn marshal_indent_puts_one_element_a_line() {
        assert_eq!(indented_array(&[]), "[]");
        assert_eq!(indented_array(&["hello"]), "[\n  \"hello\"\n]");
        assert_eq!(indented_array(&["a", ""]), "[\n  \"a\",\n  \"\"\n]");
        assert_eq!(
            indented_object(&[("PATH", "/bin"), ("HOME", "/root")]),
            "{\n  \"HOME\": \"/root\",\n  \"PATH\": \"/bin\"\n}"
        );
        assert_eq!(indented_object(&[]), "{}");
    }
}
