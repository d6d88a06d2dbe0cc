//! YAML syntax colouring for the editor: keys, values, comments, list dashes and document
//! separators, line by line (drawn under a transparent text area that keeps the typing).

use yew::prelude::*;

/// The classes of one line's pieces: (css class or "", text).
pub fn line_pieces(line: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    if !indent.is_empty() {
        out.push(("", indent.to_string()));
    }
    if trimmed.starts_with('#') {
        out.push(("y-comment", trimmed.to_string()));
        return out;
    }
    if trimmed == "---" || trimmed == "..." {
        out.push(("y-doc", trimmed.to_string()));
        return out;
    }
    let mut rest = trimmed;
    while let Some(after) = rest.strip_prefix("- ") {
        out.push(("y-dash", "- ".into()));
        rest = after;
    }
    if rest == "-" {
        out.push(("y-dash", "-".into()));
        return out;
    }
    // `key: value` — the key ends at the first `: ` (or a final `:`) outside quotes.
    let key_end = find_key_end(rest);
    let (value, comment) = split_comment(match key_end {
        Some(k) => {
            out.push(("y-key", rest[..k].to_string()));
            out.push(("y-punct", ":".into()));
            &rest[k + 1..]
        }
        None => rest,
    });
    if !value.is_empty() {
        let v = value.trim();
        let class = if v.starts_with('"') || v.starts_with('\'') {
            "y-string"
        } else if matches!(v, "true" | "false" | "null" | "~" | "yes" | "no") {
            "y-bool"
        } else if v.parse::<f64>().is_ok() {
            "y-number"
        } else if v.starts_with('|') || v.starts_with('>') || v.starts_with('&') || v.starts_with('*') {
            "y-punct"
        } else {
            "y-value"
        };
        out.push((class, value.to_string()));
    }
    if !comment.is_empty() {
        out.push(("y-comment", comment.to_string()));
    }
    out
}

fn find_key_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') if i == 0 => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ':') if s[i + 1..].is_empty() || s[i + 1..].starts_with(' ') => return Some(i),
            (None, ' ') if i == 0 => return None,
            _ => {}
        }
    }
    None
}

/// Splits ` value  # comment` at a `#` that starts a comment (after a space, outside quotes).
fn split_comment(s: &str) -> (&str, &str) {
    let mut quote = None;
    let mut prev = ' ';
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if prev == ' ' => return (&s[..i], &s[i..]),
            _ => {}
        }
        prev = c;
    }
    (s, "")
}

/// The coloured text.
pub fn highlight(text: &str) -> Html {
    html! {
        <>{ for text.split('\n').map(|line| html! {
            <>{ for line_pieces(line).into_iter().map(|(class, t)| {
                if class.is_empty() { html! { { t } } } else { html! { <span class={class}>{ t }</span> } }
            }) }{ "\n" }</>
        }) }</>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_into_keys_values_and_comments() {
        assert_eq!(
            line_pieces("  replicas: 3"),
            [("", "  ".into()), ("y-key", "replicas".into()), ("y-punct", ":".into()), ("y-number", " 3".into())]
        );
        assert_eq!(line_pieces("- name: web # the app")[3], ("y-value", " web ".into()));
        assert_eq!(line_pieces("- name: web # the app")[4], ("y-comment", "# the app".into()));
        assert_eq!(line_pieces("    image: \"nginx:1.27\"")[3], ("y-string", " \"nginx:1.27\"".into()));
        assert_eq!(line_pieces("# note"), [("y-comment", "# note".into())]);
        assert_eq!(line_pieces("---"), [("y-doc", "---".into())]);
        assert_eq!(line_pieces("  - sleep")[1], ("y-dash", "- ".into()));
        assert_eq!(
            line_pieces("url: http://x:80"),
            [("y-key", "url".into()), ("y-punct", ":".into()), ("y-value", " http://x:80".into())]
        );
    }
}
