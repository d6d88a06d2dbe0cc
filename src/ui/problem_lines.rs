//! Where in the editor's text a problem is: the document an object came from (documents are
//! separated by `---` lines) and, inside it, the line of the field a problem names by its path
//! (`spec.template.spec.containers[0].imagee`). Pure text in and out, tested natively.

/// The documents of a multi-document text: each one's first line (0-based, in the whole text)
/// and its lines. Documents with nothing but blanks and comments are left out, as the parser
/// leaves them out, so the n-th one here is the n-th object parsed.
pub fn documents(text: &str) -> Vec<(usize, Vec<&str>)> {
    let mut docs: Vec<(usize, Vec<&str>)> = vec![(0, Vec::new())];
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("---") {
            docs.push((i + 1, Vec::new()));
        } else if let Some(doc) = docs.last_mut() {
            doc.1.push(line);
        }
    }
    docs.retain(|(_, lines)| {
        lines.iter().any(|l| {
            let t = l.trim();
            !t.is_empty() && !t.starts_with('#')
        })
    });
    docs
}

/// One step of a path: a field name, or an index into a list.
enum Step<'a> {
    Field(&'a str),
    Index(usize),
}

fn steps(path: &str) -> Vec<Step<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, rest) = part.split_once('[').map_or((part, ""), |(n, r)| (n, r));
        if !name.is_empty() {
            out.push(Step::Field(name));
        }
        for index in rest.split('[') {
            if let Ok(i) = index.trim_end_matches(']').parse() {
                out.push(Step::Index(i));
            }
        }
    }
    out
}

/// A line's indentation and what follows it, with a list item's `- ` counted as indentation
/// (so `- name: web` is the key `name` one step in).
fn content(line: &str) -> (usize, &str) {
    let mut rest = line.trim_start_matches(' ');
    let mut indent = line.len() - rest.len();
    while let Some(after) = rest.strip_prefix("- ") {
        let inner = after.trim_start_matches(' ');
        indent += rest.len() - inner.len();
        rest = inner;
    }
    (indent, rest)
}

fn is_key(rest: &str, name: &str) -> bool {
    let unquoted = rest.trim_start_matches(['"', '\'']);
    unquoted.strip_prefix(name).is_some_and(|after| {
        let after = after.trim_start_matches(['"', '\'']);
        after.starts_with(':') && (after.len() == 1 || after[1..].starts_with([' ', '\t']))
    })
}

/// The line (0-based, in `lines`) where `path` is written, as far as it can be followed: a field
/// missing from the text (a default) leaves the line of the deepest step found.
pub fn line_of(lines: &[&str], path: &str) -> Option<usize> {
    // The block being searched: lines `from..to`, whose entries are deeper than `parent`.
    let (mut from, mut to, mut parent) = (0usize, lines.len(), None::<usize>);
    let mut found = None;
    for step in steps(path) {
        let mut hit = None;
        let mut own_indent = None;
        let mut item = 0usize;
        for (i, line) in lines.iter().enumerate().take(to).skip(from) {
            let (indent, rest) = content(line);
            if rest.is_empty() || rest.starts_with('#') || parent.is_some_and(|p| indent <= p) {
                continue;
            }
            // Entries of this block are at the first indentation seen in it.
            let level = *own_indent.get_or_insert(indent);
            match step {
                Step::Field(name) if indent == level && is_key(rest, name) => {
                    hit = Some((i, indent));
                    break;
                }
                Step::Index(n) => {
                    let raw = line.trim_start_matches(' ');
                    if raw.starts_with("- ") || raw == "-" {
                        let dash = line.len() - raw.len();
                        if item == n {
                            // The item's fields are deeper than its dash.
                            hit = Some((i, dash));
                            break;
                        }
                        item += 1;
                    }
                }
                _ => {}
            }
        }
        let Some((line, indent)) = hit else { break };
        // The step's block runs until the next line at its indentation or less.
        // (A field's entries may be list items at its own indentation: `containers:` then
        // `- name: web`, so for a field a dash counts as indentation; for an item it does not.)
        let end = (line + 1..to)
            .find(|&j| {
                let raw = lines[j].trim_start_matches(' ');
                let lead = match step {
                    Step::Field(_) => content(lines[j]).0,
                    Step::Index(_) => lines[j].len() - raw.len(),
                };
                !raw.is_empty() && !raw.starts_with('#') && lead <= indent
            })
            .unwrap_or(to);
        found = Some(line);
        if matches!(step, Step::Index(_)) {
            // The item's first field sits on the dash's own line.
            from = line;
        } else {
            from = line + 1;
        }
        to = end;
        parent = Some(indent);
    }
    found
}

/// The line (1-based, in the whole text) of a problem with `path` in the `object`-th document, or
/// of the document's `kind:` line when the path is not given or not found.
pub fn locate(text: &str, object: usize, path: Option<&str>) -> Option<usize> {
    let docs = documents(text);
    let (first, lines) = docs.get(object)?;
    let at = path.and_then(|p| line_of(lines, p)).or_else(|| line_of(lines, "kind")).unwrap_or(0);
    Some(first + at + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = "# a comment\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replica: 3\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n      - name: side\n        imagee: busybox\n";

    #[test]
    fn documents_start_after_their_separator_and_empty_ones_are_skipped() {
        let docs = documents("---\n# only a comment\n---\nkind: A\n---\n\n---\nkind: B\n");
        assert_eq!(docs.iter().map(|(first, _)| *first).collect::<Vec<_>>(), [3, 7]);
    }

    #[test]
    fn a_path_is_found_in_its_own_document_down_to_list_items() {
        assert_eq!(locate(TWO, 1, Some("spec.replica")), Some(12));
        assert_eq!(locate(TWO, 1, Some("spec.template.spec.containers[1].imagee")), Some(19));
        assert_eq!(locate(TWO, 1, Some("spec.template.spec.containers[0].name")), Some(16));
        assert_eq!(locate(TWO, 0, Some("metadata.name")), Some(5));
        // Not written (a default): the deepest step that is.
        assert_eq!(locate(TWO, 1, Some("spec.template.spec.restartPolicy")), Some(14));
        // No path: the document's kind.
        assert_eq!(locate(TWO, 1, None), Some(8));
        assert_eq!(locate(TWO, 5, None), None);
    }

    #[test]
    fn a_key_inside_a_value_or_a_deeper_block_is_not_taken_for_the_field() {
        let text = "kind: Pod\nmetadata:\n  labels:\n    name: x\n  name: real\n";
        assert_eq!(locate(text, 0, Some("metadata.name")), Some(5));
        assert_eq!(locate("kind: Pod\nnamespace: x\n", 0, Some("name")), Some(1));
    }
}
