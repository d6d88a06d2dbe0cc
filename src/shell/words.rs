//! Splitting a line into words as bash does for the simple cases: blanks separate words,
//! single quotes keep everything, double quotes keep blanks, backslash escapes one character,
//! `#` at the start of a word begins a comment.

/// Why a line could not be split.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WordsError {
    #[error("unexpected EOF while looking for matching `{0}'")]
    UnclosedQuote(char),
}

/// The words of `line`.
pub fn split(line: &str) -> Result<Vec<String>, WordsError> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '#' if !in_word => break,
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => cur.push(ch),
                        None => return Err(WordsError::UnclosedQuote('\'')),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(ch @ ('"' | '\\' | '$' | '`')) => cur.push(ch),
                            Some(ch) => {
                                cur.push('\\');
                                cur.push(ch);
                            }
                            None => return Err(WordsError::UnclosedQuote('"')),
                        },
                        Some(ch) => cur.push(ch),
                        None => return Err(WordsError::UnclosedQuote('"')),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(ch) = chars.next() {
                    cur.push(ch);
                }
            }
            _ => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_blanks_and_respects_quotes() {
        assert_eq!(
            split(r#"kubectl get  po -l 'app=web x' "a b" c\ d"#).unwrap(),
            ["kubectl", "get", "po", "-l", "app=web x", "a b", "c d"]
        );
    }

    #[test]
    fn comments_and_empty_quotes() {
        assert_eq!(split("echo '' # note").unwrap(), ["echo", ""]);
        assert!(split("# only a comment").unwrap().is_empty());
    }

    #[test]
    fn unbalanced_quote_is_an_error_not_a_panic() {
        assert_eq!(split("echo 'oops").unwrap_err().to_string(), "unexpected EOF while looking for matching `''");
    }
}
