//! Running a script line by line and printing a transcript: each command after `$ `, then
//! what it printed, as a terminal shows it.

use std::time::Duration;

use super::terminal::Terminal;
use crate::sim::Sim;

/// The transcript of running every line of `script` and the last command's exit status.
/// With `strict`, stops at the first failing command.
pub fn run_script(sim: &mut Sim, script: &str, strict: bool) -> (String, i32) {
    run_in(sim, &mut Terminal::here(), script, strict)
}

/// The simulated time that passes before each command of a script after the first: a person
/// reading what the last command printed and typing the next one. On a real cluster that is
/// when `expose` gets its Endpoints and a scaled-down pod shows `Terminating`; a script here
/// runs at the same pace, so its transcript reads as a tutorial typed by hand.
// SIM: a real person's pace varies; two seconds is the shortest plausible one, so that nothing
// a tutorial shows as still in progress has already finished.
pub const PACE: Duration = Duration::from_secs(2);

/// As [`run_script`], in a given terminal (its files and directory), at [`PACE`].
pub fn run_in(sim: &mut Sim, shell: &mut Terminal, script: &str, strict: bool) -> (String, i32) {
    run_paced(sim, shell, script, strict, PACE)
}

/// As [`run_in`], letting `pace` of simulated time pass before each command after the first
/// (zero: the clock moves only when a command moves it, e.g. `sleep` or `kubectl delete`).
pub fn run_paced(sim: &mut Sim, shell: &mut Terminal, script: &str, strict: bool, pace: Duration) -> (String, i32) {
    let mut transcript = String::new();
    let mut status = 0;
    for (n, command) in commands(script).into_iter().enumerate() {
        if n > 0 && !pace.is_zero() {
            sim.advance(pace);
        }
        for (i, line) in command.lines().enumerate() {
            transcript.push_str(if i == 0 { "$ " } else { "> " });
            transcript.push_str(line);
            transcript.push('\n');
        }
        let out = shell.run_line(sim, &command);
        transcript.push_str(&out.shown());
        status = out.status;
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
        loop {
            if continues(&command) {
                command.pop();
                // Inside double quotes the next line's spaces are part of the string.
                let quoted = innermost_open(&command) == Some('"');
                match lines.next() {
                    Some(next) => command.push_str(if quoted { next } else { next.trim() }),
                    None => break,
                }
            } else if open_quote(&command) {
                // A quoted string goes on across lines, newlines and all, as bash reads it.
                match lines.next() {
                    Some(next) => {
                        command.push('\n');
                        command.push_str(next);
                    }
                    None => break,
                }
            } else {
                break;
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

/// Whether `text` typed so far is not yet a whole command, so a terminal asks for more with
/// bash's `> ` prompt: it ends inside quotes, after a `\\`, inside a `$(…)` or `(…)` not yet
/// closed, or inside a here-document.
pub fn incomplete(text: &str) -> bool {
    if open_quote(text) || continues(text) {
        return true;
    }
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    let body: Vec<&str> = lines.collect();
    let mut at = 0;
    for (word, strip) in here_doc_words(first) {
        match body[at..].iter().position(|l| (if strip { l.trim_start_matches('\t') } else { l }) == word) {
            Some(i) => at += i + 1,
            None => return true,
        }
    }
    false
}

/// The command a terminal runs for the lines typed at its `$ ` and `> ` prompts (joined by
/// newlines): a line ending in `\\` goes on in the next with the backslash and newline removed,
/// as bash reads them; inside quotes and here-documents the newlines stay.
pub fn joined(typed: &str) -> String {
    let mut lines = typed.split('\n');
    let mut command = lines.next().unwrap_or("").to_string();
    for line in lines {
        let continued = command.ends_with('\\')
            && !open_quote(&command[..command.len() - 1])
            && here_doc_words(&command).is_empty();
        if continued {
            command.pop();
        } else {
            command.push('\n');
        }
        command.push_str(line);
    }
    command
}

/// Whether `text` ends inside a quoted string (`'…` or `"…`), a command substitution (`$(…`
/// or `` `… ``) or a subshell (`(…`), as bash's reader sees it: nothing escapes inside single
/// quotes, a backslash escapes the next character elsewhere, quotes start afresh inside
/// `$(…)`, and a `#` starting a word outside quotes comments out the rest of its line.
fn open_quote(text: &str) -> bool {
    innermost_open(text).is_some()
}

/// What `text` leaves open, innermost: `'`, `"`, `(` or '`'.
fn innermost_open(text: &str) -> Option<char> {
    // What is open, innermost last: a quote character, `(` for `$(` or a subshell, '`'.
    let mut open: Vec<char> = Vec::new();
    let mut chars = text.chars().peekable();
    let mut word_start = true;
    while let Some(c) = chars.next() {
        let top = open.last().copied();
        match (top, c) {
            (Some('\''), '\'') => {
                open.pop();
            }
            (Some('\''), _) => {}
            (_, '\\') => {
                chars.next();
            }
            (Some('"'), '"') => {
                open.pop();
            }
            (_, '$') if chars.peek() == Some(&'(') => {
                chars.next();
                open.push('(');
            }
            (Some('`'), '`') => {
                open.pop();
            }
            (_, '`') => open.push('`'),
            (Some('"'), _) => {}
            (_, '\'' | '"') => open.push(c),
            (_, '(') => open.push('('),
            (Some('('), ')') => {
                open.pop();
            }
            (_, '#') if word_start => {
                // A comment runs to the end of its line.
                while chars.peek().is_some_and(|&n| n != '\n') {
                    chars.next();
                }
            }
            _ => {}
        }
        let quoted = matches!(open.last(), Some('\'' | '"'));
        word_start = !quoted && (c.is_whitespace() || matches!(c, ';' | '|' | '&' | '(' | ')' | '`'));
    }
    open.last().copied()
}

/// Whether `text` ends in a backslash that joins the next line to it (anywhere but inside
/// single quotes, as bash reads it).
fn continues(text: &str) -> bool {
    text.strip_suffix('\\').is_some_and(|before| innermost_open(before) != Some('\''))
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
    fn a_quoted_string_spanning_lines_is_one_command_as_bash_reads_it() {
        let script = "kubectl create configmap c --from-literal=k=\"line one\nline two\"\necho 'it''s' # don't\nkubectl get cm c -o jsonpath='{.data.k}'\n";
        let cmds = commands(script);
        assert_eq!(cmds[0], "kubectl create configmap c --from-literal=k=\"line one\nline two\"");
        assert_eq!(cmds.len(), 3, "{cmds:?}");
        let mut sim = Sim::new(SimConfig::default());
        let (t, status) = run_script(&mut sim, script, true);
        assert_eq!(status, 0, "{t}");
        assert!(
            t.starts_with(
                "$ kubectl create configmap c --from-literal=k=\"line one\n> line two\"\nconfigmap/c created\n"
            ),
            "{t}"
        );
        assert!(t.ends_with("line one\nline two"), "{t}");
    }

    #[test]
    fn a_terminal_asks_for_more_while_a_quote_continuation_or_here_document_is_open() {
        assert!(incomplete("echo \"a"));
        assert!(incomplete("echo 'a\nb"));
        assert!(incomplete("kubectl get \\"));
        assert!(incomplete("cat <<EOF\nhello"));
        assert!(!incomplete("cat <<EOF\nhello\nEOF"));
        assert!(!incomplete("echo \"a\nb\""));
        assert!(!incomplete("echo it\\'s # isn't"));
        assert!(incomplete("echo $(kubectl get pods -o name"));
        assert!(incomplete("echo \"$(date"));
        assert!(incomplete("(cd /tmp"));
        assert!(!incomplete("echo $(kubectl get pods -o name)"));
        assert!(!incomplete("echo \"$(date)\" ')' # (not this"));
    }

    #[test]
    fn lines_typed_after_a_backslash_are_one_line_and_other_lines_keep_their_newlines() {
        assert_eq!(joined("kubectl get \\\n  pods"), "kubectl get   pods");
        assert_eq!(joined("echo \"a\nb\""), "echo \"a\nb\"");
        assert_eq!(joined("echo 'a\\\nb'"), "echo 'a\\\nb'");
        assert_eq!(joined("cat <<EOF\nx \\\nEOF"), "cat <<EOF\nx \\\nEOF");
        assert_eq!(joined("echo hi"), "echo hi");
    }

    #[test]
    fn a_script_lets_two_seconds_pass_before_each_command_after_the_first() {
        let mut sim = Sim::new(SimConfig::default());
        run_script(&mut sim, "echo a\necho b\necho c\n", false);
        assert_eq!(sim.now().as_millis(), 2 * PACE.as_millis() as u64);
        let mut sim = Sim::new(SimConfig::default());
        run_paced(&mut sim, &mut Terminal::here(), "echo a\necho b\n", false, Duration::ZERO);
        assert_eq!(sim.now().as_millis(), 0);
    }

    #[test]
    fn a_command_substitution_spanning_lines_is_one_command_as_bash_reads_it() {
        let script = "export POD=$(kubectl get pods \\\n  -o name)\nN=$(echo \"a\nb\" |\n  wc -l)\necho \"$N\"\n";
        let cmds = commands(script);
        assert_eq!(cmds, ["export POD=$(kubectl get pods -o name)", "N=$(echo \"a\nb\" |\n  wc -l)", "echo \"$N\""]);
        let mut sim = Sim::new(SimConfig::default());
        let (t, status) = run_script(&mut sim, script, true);
        assert_eq!(status, 0, "{t}");
        assert!(t.ends_with("$ echo \"$N\"\n2\n"), "{t}");
        assert!(incomplete("x=$(echo a |"));
        assert!(incomplete("x=`date"));
        assert!(incomplete("(cd /tmp"));
        assert!(!incomplete("x=$(echo ')' \"(\")"));
        assert!(!incomplete("echo a # (not open"));
    }

    #[test]
    fn strict_stops_at_first_failure() {
        let mut sim = Sim::new(SimConfig::default());
        let (t, status) = run_script(&mut sim, "nope\necho after\n", true);
        assert!(!t.contains("after"));
        assert_eq!(status, 127);
    }
}
