//! Running a script line by line and printing a transcript: each command after `$ `, then
//! what it printed, as a terminal shows it.

use super::terminal::Terminal;
use super::Output;
use crate::sim::Sim;

/// The transcript of running every line of `script` and the last command's exit status.
/// With `strict`, stops at the first failing command.
pub fn run_script(sim: &mut Sim, script: &str, strict: bool) -> (String, i32) {
    run_in(sim, &mut Terminal::here(), script, strict)
}

/// As [`run_script`], in a given terminal (its files and directory).
pub fn run_in(sim: &mut Sim, shell: &mut Terminal, script: &str, strict: bool) -> (String, i32) {
    let mut transcript = String::new();
    let mut status = 0;
    for command in commands(script) {
        for (i, line) in command.lines().enumerate() {
            transcript.push_str(if i == 0 { "$ " } else { "> " });
            transcript.push_str(line);
            transcript.push('\n');
        }
        let Output { stdout, stderr, status: s, .. } = shell.run_line(sim, &command);
        transcript.push_str(&stdout);
        transcript.push_str(&stderr);
        status = s;
        if strict && status != 0 {
            break;
        }
    }
    (transcript, status)
}

/// Splits a script into the commands a terminal would run one at a time: a line, joined with
/// the next when it ends in `\\`, and with the body of any here-document it opens.
/// Blank lines and comments are skipped.
pub fn commands(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = script.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut command = trimmed.to_string();
        while command.ends_with('\\') {
            command.pop();
            match lines.next() {
                Some(next) => command.push_str(next.trim()),
                None => break,
            }
        }
        for (word, strip_tabs) in here_doc_words(&command) {
            for body in lines.by_ref() {
                command.push('\n');
                command.push_str(body);
                let end = if strip_tabs { body.trim_start_matches('\t') } else { body };
                if end == word {
                    break;
                }
            }
        }
        out.push(command);
    }
    out
}

/// The delimiters of the here-documents a line opens (`<<EOF`, `<<-'END'`), in order.
fn here_doc_words(line: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find("<<") {
        rest = &rest[i + 2..];
        if rest.starts_with('<') {
            rest = &rest[1..]; // `<<<` is a here-string
            continue;
        }
        let strip = rest.starts_with('-');
        let word_start = rest.trim_start_matches('-').trim_start();
        let word: String = word_start
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ';' | '|' | '&' | '<' | '>' | ')'))
            .filter(|c| !matches!(c, '\'' | '"' | '\\'))
            .collect();
        if !word.is_empty() {
            out.push((word, strip));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimConfig;

    #[test]
    fn transcript_shows_commands_and_output_and_last_status() {
        let mut sim = Sim::new(SimConfig::default());
        let (t, status) = run_script(&mut sim, "# setup\necho hi\n\nnope\n", false);
        assert_eq!(t, "$ echo hi\nhi\n$ nope\nbash: nope: command not found\n");
        assert_eq!(status, 127);
    }

    #[test]
    fn here_documents_and_continued_lines_are_one_command() {
        let script = "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: lab\nEOF\nkubectl get ns \\\n  lab -o name\n";
        assert_eq!(
            commands(script),
            [
                "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: lab\nEOF",
                "kubectl get ns lab -o name"
            ]
        );
        let mut sim = Sim::new(SimConfig::default());
        let (t, status) = run_script(&mut sim, script, true);
        assert_eq!(status, 0, "{t}");
        assert!(t.ends_with("> EOF\nnamespace/lab created\n$ kubectl get ns lab -o name\nnamespace/lab\n"), "{t}");
    }

    #[test]
    fn strict_stops_at_first_failure() {
        let mut sim = Sim::new(SimConfig::default());
        let (t, status) = run_script(&mut sim, "nope\necho after\n", true);
        assert!(!t.contains("after"));
        assert_eq!(status, 127);
    }
}
