//! `grep` and `base64`, the filters learners pipe kubectl's output into.

use super::interp::Machine;
use super::regex::Regex;

/// grep's options, as busybox takes them.
#[derive(Default)]
struct GrepOptions {
    extended: bool,
    fixed: bool,
    nocase: bool,
    invert: bool,
    quiet: bool,
    count: bool,
    numbers: bool,
    only: bool,
    words: bool,
    files_only: bool,
    after: usize,
    before: usize,
    patterns: Vec<String>,
    files: Vec<String>,
}

/// GNU grep's long options the short ones spell (`--text` is `-a`), and those that take a value.
const LONG: &[(&str, char)] = &[
    ("text", 'a'),
    ("binary-files=text", 'a'),
    ("extended-regexp", 'E'),
    ("fixed-strings", 'F'),
    ("ignore-case", 'i'),
    ("invert-match", 'v'),
    ("quiet", 'q'),
    ("silent", 'q'),
    ("no-messages", 's'),
    ("count", 'c'),
    ("line-number", 'n'),
    ("only-matching", 'o'),
    ("word-regexp", 'w'),
    ("files-with-matches", 'l'),
    ("with-filename", 'H'),
    ("no-filename", 'h'),
    ("recursive", 'r'),
    ("dereference-recursive", 'R'),
];
const LONG_VALUE: &[(&str, char)] =
    &[("regexp", 'e'), ("max-count", 'm'), ("after-context", 'A'), ("before-context", 'B'), ("context", 'C')];

/// Parses grep's arguments; `gnu`: GNU grep's long options are taken (busybox has none).
fn parse(args: &[&str], extended: bool, gnu: bool) -> Result<GrepOptions, String> {
    let mut o = GrepOptions { extended, ..GrepOptions::default() };
    // GNU's long options, rewritten to the short ones they stand for.
    let mut spelled: Vec<String> = Vec::new();
    let mut after_dashes = false;
    for a in args {
        let Some(long) = a.strip_prefix("--").filter(|l| !l.is_empty() && !after_dashes) else {
            after_dashes |= *a == "--";
            spelled.push(a.to_string());
            continue;
        };
        if !gnu {
            return Err(format!("unrecognized option '{a}'"));
        }
        let (name, value) = long.split_once('=').map_or((long, None), |(n, v)| (n, Some(v)));
        if let Some((_, c)) = LONG.iter().find(|(l, _)| *l == long) {
            spelled.push(format!("-{c}"));
        } else if matches!(name, "color" | "colour" | "line-buffered" | "null-data") {
            // Colours go to a terminal only; the sandbox's output is read as text.
        } else if let Some((_, c)) = LONG_VALUE.iter().find(|(l, _)| *l == name) {
            spelled.push(format!("-{c}"));
            spelled.extend(value.map(str::to_string));
        } else {
            return Err(format!("unrecognized option '{a}'"));
        }
    }
    let args: Vec<&str> = spelled.iter().map(String::as_str).collect();
    let args = args.as_slice();
    let mut i = 0;
    let mut options_done = false;
    while i < args.len() {
        let a = args[i];
        i += 1;
        if options_done || a == "-" || !a.starts_with('-') {
            o.files.push(a.to_string());
            continue;
        }
        if a == "--" {
            options_done = true;
            continue;
        }
        let flags: Vec<char> = a[1..].chars().collect();
        let mut j = 0;
        while j < flags.len() {
            let f = flags[j];
            j += 1;
            if matches!(f, 'A' | 'B' | 'C' | 'e' | 'm') {
                let value: String = if j < flags.len() {
                    flags[j..].iter().collect()
                } else {
                    i += 1;
                    args.get(i - 1).map(|s| s.to_string()).ok_or(format!("option requires an argument -- '{f}'"))?
                };
                j = flags.len();
                let n = || value.parse::<usize>().map_err(|_| format!("invalid context length argument: {value}"));
                match f {
                    'A' => o.after = n()?,
                    'B' => o.before = n()?,
                    'C' => (o.after, o.before) = (n()?, n()?),
                    'e' => o.patterns.push(value.clone()),
                    _ => {}
                }
                continue;
            }
            match f {
                'E' => o.extended = true,
                'F' => o.fixed = true,
                'i' => o.nocase = true,
                'v' => o.invert = true,
                'q' | 's' => o.quiet |= f == 'q',
                'c' => o.count = true,
                'n' => o.numbers = true,
                'o' => o.only = true,
                'w' => o.words = true,
                'l' => o.files_only = true,
                // -a (every file is text) and -I (binary files do not match): the sandbox's files
                // are all text.
                'h' | 'H' | 'r' | 'R' | 'a' | 'I' => {}
                other => return Err(format!("invalid option -- '{other}'")),
            }
        }
    }
    if o.patterns.is_empty() {
        if o.files.is_empty() {
            return Err("usage".into());
        }
        o.patterns.push(o.files.remove(0));
    }
    Ok(o)
}

impl Machine {
    pub(super) fn grep(&mut self, args: &[&str], egrep: bool) -> i32 {
        let gnu = self.text_tools_are_gnu();
        let o = match parse(args, egrep, gnu) {
            Ok(o) => o,
            Err(e) if e == "usage" => {
                self.write(
                    2,
                    "Usage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... } [FILE]...\n",
                );
                return 2;
            }
            Err(e) => {
                self.write(2, &format!("grep: {e}\n"));
                return 2;
            }
        };
        let mut regexes = Vec::new();
        for p in &o.patterns {
            let r = if o.fixed { Ok(Regex::literal(p, o.nocase)) } else { Regex::new(p, o.extended, o.nocase) };
            match r {
                Ok(r) => regexes.push(r),
                Err(e) => {
                    self.write(2, &format!("grep: bad regex '{p}': {e}\n"));
                    return 2;
                }
            }
        }
        let files: Vec<&str> = o.files.iter().map(String::as_str).collect();
        self.vars.insert("__cmd".into(), "grep".into());
        let (text, code) = self.input(&files);
        self.vars.remove("__cmd");
        let lines: Vec<&str> = text.lines().collect();
        let word_char = |c: char| c.is_alphanumeric() || c == '_';
        let gave_up = std::cell::Cell::new(false);
        let matches_at = |line: &str| -> Option<(usize, usize)> {
            regexes.iter().find_map(|r| {
                let (s, e) = match r.try_find(line) {
                    Ok(found) => found?,
                    Err(_) => {
                        gave_up.set(true);
                        return None;
                    }
                };
                if o.words {
                    let chars: Vec<char> = line.chars().collect();
                    let before = s.checked_sub(1).and_then(|i| chars.get(i)).is_some_and(|c| word_char(*c));
                    let after = chars.get(e).is_some_and(|c| word_char(*c));
                    if before || after {
                        return None;
                    }
                }
                Some((s, e))
            })
        };
        let mut first_gave_up = None;
        let selected: Vec<bool> = lines
            .iter()
            .enumerate()
            .map(|(n, l)| {
                let hit = matches_at(l).is_some();
                if gave_up.get() && first_gave_up.is_none() {
                    first_gave_up = Some(n + 1);
                }
                hit != o.invert
            })
            .collect();
        let hits = selected.iter().filter(|s| **s).count();
        // SIM: grep matches any line; the sandbox's matcher has a work bound and says when a
        // line was beyond it (status 2, as for grep's errors) instead of silently missing it.
        let gave_up_note = |line: Option<usize>| {
            format!(
                "grep: line {}: the pattern needs more work than the sandbox's matcher allows on this line; it was not matched\n",
                line.unwrap_or(0)
            )
        };
        if o.quiet {
            if hits == 0 && first_gave_up.is_some() {
                self.write(2, &gave_up_note(first_gave_up));
                return 2;
            }
            return if hits > 0 { 0 } else { 1 };
        }
        let mut out = String::new();
        if o.count {
            out = format!("{hits}\n");
        } else if o.files_only {
            if hits > 0 {
                out = format!("{}\n", o.files.first().map_or("(standard input)", String::as_str));
            }
        } else {
            let mut shown_until: Option<usize> = None;
            for n in (0..lines.len()).filter(|&n| selected[n]) {
                let from = n.saturating_sub(o.before);
                let to = (n + o.after).min(lines.len().saturating_sub(1));
                let start = shown_until.map_or(from, |u| from.max(u + 1));
                if (o.after > 0 || o.before > 0) && shown_until.is_some_and(|u| start > u + 1) {
                    out.push_str("--\n");
                }
                for (k, l) in lines.iter().enumerate().take(to + 1).skip(start) {
                    let sep = if selected[k] { ':' } else { '-' };
                    let prefix = if o.numbers { format!("{}{sep}", k + 1) } else { String::new() };
                    if o.only && selected[k] && !o.invert {
                        // Every non-empty match on the line, left to right.
                        let chars: Vec<char> = l.chars().collect();
                        let mut at = 0;
                        while at <= chars.len() {
                            let rest: String = chars[at..].iter().collect();
                            let Some((s, e)) = matches_at(&rest) else { break };
                            if e > s {
                                let part: String = chars[at + s..at + e].iter().collect();
                                out.push_str(&format!("{prefix}{part}\n"));
                            }
                            at += e.max(s + 1);
                        }
                    } else if !o.only {
                        out.push_str(&format!("{prefix}{l}\n"));
                    }
                }
                shown_until = Some(shown_until.map_or(to, |u| u.max(to)));
            }
        }
        self.write(1, &out);
        if gave_up.get() {
            self.write(2, &gave_up_note(first_gave_up));
            return 2;
        }
        if code != 0 {
            2
        } else {
            i32::from(hits == 0)
        }
    }

    pub(super) fn base64(&mut self, args: &[&str]) -> i32 {
        let decode = args.iter().any(|a| matches!(*a, "-d" | "--decode" | "-D"));
        let files: Vec<&str> = args.iter().filter(|a| !a.starts_with('-')).copied().collect();
        self.vars.insert("__cmd".into(), "base64".into());
        let (text, code) = self.input(&files);
        self.vars.remove("__cmd");
        if code != 0 {
            return code;
        }
        if decode {
            match crate::sim::base64::decode(&text) {
                Some(bytes) => {
                    self.write(1, &String::from_utf8_lossy(&bytes));
                    0
                }
                None => {
                    self.write(2, "base64: invalid input\n");
                    1
                }
            }
        } else {
            let encoded = crate::sim::base64::encode(text.as_bytes());
            // Lines of 76 characters, as busybox and coreutils wrap them.
            let mut out = String::new();
            for chunk in encoded.as_bytes().chunks(76) {
                out.push_str(&String::from_utf8_lossy(chunk));
                out.push('\n');
            }
            if encoded.is_empty() {
                out.clear();
            }
            self.write(1, &out);
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::sim::process::{run_to_completion, ContainerEnv, NoNetwork};
    use crate::sim::time::SimTime;

    fn sh(script: &str) -> (String, i32) {
        let mut env = ContainerEnv::default();
        let out =
            run_to_completion(&["sh".into(), "-c".into(), script.into()], &mut env, SimTime::ZERO, &mut NoNetwork);
        (out.stdout + &out.stderr, out.code)
    }

    #[test]
    fn grep_takes_regexes_context_and_counting_flags() {
        let text = "printf 'apiVersion: v1\\ndata:\\n  COLOR: blue\\n  SIZE: large\\nkind: ConfigMap\\n'";
        assert_eq!(sh(&format!("{text} | grep -A2 '^data:'")).0, "data:\n  COLOR: blue\n  SIZE: large\n");
        assert_eq!(sh(&format!("{text} | grep -E 'COLOR|SIZE'")).0, "  COLOR: blue\n  SIZE: large\n");
        assert_eq!(sh(&format!("{text} | grep -c -i color")).0, "1\n");
        assert_eq!(sh(&format!("{text} | grep -n kind")).0, "5:kind: ConfigMap\n");
        assert_eq!(sh(&format!("{text} | grep -v : ; echo $?")).0, "1\n");
        assert_eq!(sh(&format!("{text} | grep -o '[a-z]*$' | head -2")).0, "blue\nlarge\n");
        assert_eq!(sh("echo 'a1 b22 c333' | grep -oE '[0-9]+'").0, "1\n22\n333\n");
        assert_eq!(sh("echo 'pod/web-1 pod/web-2' | grep -ow 'web-[0-9]'").0, "web-1\nweb-2\n");
        assert_eq!(sh("echo x | grep '[abc'").1, 2);
    }

    fn sh_in(image: &str, script: &str) -> (String, i32) {
        use crate::sim::images::{profile_for, ImageRef};
        let mut env = ContainerEnv::new(profile_for(&ImageRef::parse(image).unwrap()).unwrap(), "p");
        let out =
            run_to_completion(&["sh".into(), "-c".into(), script.into()], &mut env, SimTime::ZERO, &mut NoNetwork);
        (out.stdout + &out.stderr, out.code)
    }

    #[test]
    fn grep_a_is_taken_and_gnu_grep_takes_its_long_options() {
        assert_eq!(sh_in("busybox", "printf 'a\\nb\\n' | grep -a b"), ("b\n".to_string(), 0));
        assert_eq!(sh_in("busybox", "printf 'a\\nb\\n' | grep -ai B"), ("b\n".to_string(), 0));
        // busybox's grep has no long options.
        let (out, code) = sh_in("busybox", "echo b | grep --text b");
        assert!(out.starts_with("grep: unrecognized option '--text'\n"), "{out}");
        assert_eq!(code, 2);
        assert_eq!(sh_in("debian", "printf 'a\\nb\\n' | grep --text b"), ("b\n".to_string(), 0));
        assert_eq!(
            sh_in("debian", "printf 'a\\nB\\nb\\n' | grep --ignore-case --count --color=auto b"),
            ("2\n".to_string(), 0)
        );
        assert_eq!(sh_in("debian", "printf 'x\\ny\\n' | grep --regexp=y --line-number"), ("2:y\n".to_string(), 0));
        assert!(sh_in("debian", "echo b | grep --bogus b").0.starts_with("grep: unrecognized option '--bogus'"));
    }

    #[test]
    fn base64_encodes_and_decodes() {
        assert_eq!(sh("echo -n admin | base64").0, "YWRtaW4=\n");
        assert_eq!(sh("echo YWRtaW4= | base64 -d").0, "admin");
        assert_eq!(sh("echo '!!' | base64 -d").1, 1);
    }
}
