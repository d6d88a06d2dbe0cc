//! The text tools a course pipes kubectl's output through: `sort`, `uniq`, `cut`, `tr`, `tee`,
//! `xargs`, `diff` (its own module, [`super::diff`]), and `awk` (its own, [`super::awk`]).
//! What they cannot do fails with a message, never silently.

use super::interp::Machine;

/// The tools [`Machine::text_util`] runs.
pub const TEXT_UTILS: &[&str] =
    &["sort", "uniq", "cut", "tr", "tee", "xargs", "awk", "readlink", "realpath", "find", "diff"];

/// Most paths one `find` prints.
const MAX_FOUND: usize = 10_000;

/// Most commands one `xargs` runs.
const MAX_XARGS_RUNS: usize = 1_000;

impl Machine {
    /// Runs one of [`TEXT_UTILS`]; `None` if `name` is not one.
    pub(super) fn text_util(&mut self, name: &str, args: &[&str]) -> Option<i32> {
        Some(match name {
            "sort" => self.sort(args),
            "uniq" => self.uniq(args),
            "cut" => self.cut(args),
            "tr" => self.tr(args),
            "tee" => self.tee(args),
            "xargs" => self.xargs(args),
            "awk" => self.awk(args),
            "readlink" | "realpath" => self.realpath(name, args),
            "find" => self.find(args),
            "diff" => self.diff(args),
            _ => return None,
        })
    }

    fn sort(&mut self, args: &[&str]) -> i32 {
        let (mut reverse, mut numeric, mut unique) = (false, false, false);
        let mut key: Option<usize> = None;
        let mut sep: Option<char> = None;
        let mut files = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = args[i];
            match a {
                "-k" | "-t" => {
                    let v = args.get(i + 1).copied().unwrap_or("");
                    if a == "-k" {
                        key = v
                            .split([',', '.'])
                            .next()
                            .and_then(|k| k.trim_end_matches(char::is_alphabetic).parse().ok());
                    } else {
                        sep = v.chars().next();
                    }
                    i += 1;
                }
                a if a.starts_with("-k") => key = a[2..].split([',', '.']).next().and_then(|k| k.parse().ok()),
                a if a.starts_with("-t") => sep = a[2..].chars().next(),
                a if a.starts_with('-') && a.len() > 1 => {
                    reverse |= a.contains('r');
                    numeric |= a.contains('n') || a.contains('h') || a.contains('V');
                    unique |= a.contains('u');
                }
                a => files.push(a),
            }
            i += 1;
        }
        let (text, code) = self.input_as("sort", &files);
        let mut lines: Vec<&str> = text.lines().collect();
        let field = |l: &str| -> String {
            match key {
                None => l.to_string(),
                Some(k) => match sep {
                    Some(s) => l.split(s).skip(k.saturating_sub(1)).collect::<Vec<_>>().join(&s.to_string()),
                    None => l.split_whitespace().skip(k.saturating_sub(1)).collect::<Vec<_>>().join(" "),
                },
            }
        };
        let number = |s: &str| -> f64 {
            let t = s.trim_start();
            let end = t.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-')).unwrap_or(t.len());
            t[..end].parse().unwrap_or(0.0)
        };
        lines.sort_by(|a, b| {
            let (fa, fb) = (field(a), field(b));
            let o = if numeric {
                number(&fa).partial_cmp(&number(&fb)).unwrap_or(std::cmp::Ordering::Equal).then_with(|| a.cmp(b))
            } else {
                fa.cmp(&fb).then_with(|| a.cmp(b))
            };
            if reverse {
                o.reverse()
            } else {
                o
            }
        });
        if unique {
            lines.dedup_by(|a, b| field(a) == field(b));
        }
        let out: String = lines.iter().map(|l| format!("{l}\n")).collect();
        self.write(1, &out);
        code
    }

    fn uniq(&mut self, args: &[&str]) -> i32 {
        let count = args.iter().any(|a| a.starts_with('-') && a.contains('c'));
        let dups = args.iter().any(|a| a.starts_with('-') && a.contains('d'));
        let singles = args.iter().any(|a| a.starts_with('-') && a.contains('u'));
        let files: Vec<&str> = args.iter().copied().filter(|a| !a.starts_with('-')).collect();
        let (text, code) = self.input_as("uniq", &files);
        let mut groups: Vec<(usize, &str)> = Vec::new();
        for l in text.lines() {
            match groups.last_mut() {
                Some((n, last)) if *last == l => *n += 1,
                _ => groups.push((1, l)),
            }
        }
        let mut out = String::new();
        for (n, l) in groups {
            if (dups && n < 2) || (singles && n > 1) {
                continue;
            }
            if count {
                out.push_str(&format!("{n:>7} {l}\n"));
            } else {
                out.push_str(l);
                out.push('\n');
            }
        }
        self.write(1, &out);
        code
    }

    fn cut(&mut self, args: &[&str]) -> i32 {
        let mut delim = '\t';
        let mut list: Option<(bool, String)> = None;
        let mut files = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = args[i];
            let value = |i: &mut usize, flag: &str| -> String {
                if a.len() > flag.len() {
                    a[flag.len()..].to_string()
                } else {
                    *i += 1;
                    args.get(*i).copied().unwrap_or("").to_string()
                }
            };
            if a.starts_with("-d") {
                delim = value(&mut i, "-d").chars().next().unwrap_or('\t');
            } else if a.starts_with("-f") {
                list = Some((true, value(&mut i, "-f")));
            } else if a.starts_with("-c") {
                list = Some((false, value(&mut i, "-c")));
            } else if a.starts_with("-b") {
                list = Some((false, value(&mut i, "-b")));
            } else {
                files.push(a);
            }
            i += 1;
        }
        let Some((fields, spec)) = list else {
            self.complain("cut: you must specify a list of bytes, characters, or fields");
            return 1;
        };
        let mut ranges = Vec::new();
        for part in spec.split(',') {
            let (a, b) = match part.split_once('-') {
                Some((a, b)) => (a.parse().unwrap_or(1), b.parse().unwrap_or(usize::MAX)),
                None => match part.parse::<usize>() {
                    Ok(n) => (n, n),
                    Err(_) => {
                        self.complain(&format!("cut: invalid field value '{part}'"));
                        return 1;
                    }
                },
            };
            if a == 0 {
                self.complain("cut: fields are numbered from 1");
                return 1;
            }
            ranges.push((a, b));
        }
        let wanted = |n: usize| ranges.iter().any(|(a, b)| n >= *a && n <= *b);
        let (text, code) = self.input_as("cut", &files);
        let mut out = String::new();
        for l in text.lines() {
            if fields {
                if !l.contains(delim) {
                    out.push_str(l);
                } else {
                    let picked: Vec<&str> =
                        l.split(delim).enumerate().filter(|(n, _)| wanted(n + 1)).map(|(_, f)| f).collect();
                    out.push_str(&picked.join(&delim.to_string()));
                }
            } else {
                out.extend(l.chars().enumerate().filter(|(n, _)| wanted(n + 1)).map(|(_, c)| c));
            }
            out.push('\n');
        }
        self.write(1, &out);
        code
    }

    fn tr(&mut self, args: &[&str]) -> i32 {
        let delete = args.iter().any(|a| a.starts_with('-') && a.contains('d') && a.len() > 1);
        let squeeze = args.iter().any(|a| a.starts_with('-') && a.contains('s') && a.len() > 1);
        let sets: Vec<Vec<char>> =
            args.iter().filter(|a| !(a.starts_with('-') && a.len() > 1)).map(|s| tr_set(s)).collect();
        let text = self.stdin.take().map(String::from).unwrap_or_default();
        let (from, to) = match (sets.first(), sets.get(1)) {
            (Some(f), t) => (f.clone(), t.cloned().unwrap_or_default()),
            (None, _) => {
                self.complain("tr: missing operand");
                return 1;
            }
        };
        if !delete && !squeeze && to.is_empty() {
            self.complain(&format!("tr: missing operand after '{}'", args.last().copied().unwrap_or("")));
            return 1;
        }
        let mut out = String::new();
        let mut last: Option<char> = None;
        for c in text.chars() {
            let mapped = if delete {
                if from.contains(&c) {
                    continue;
                }
                c
            } else if to.is_empty() {
                c
            } else {
                match from.iter().position(|f| *f == c) {
                    Some(p) => *to.get(p).or(to.last()).unwrap_or(&c),
                    None => c,
                }
            };
            let squeezable = if to.is_empty() || delete { from.contains(&mapped) } else { to.contains(&mapped) };
            if squeeze && last == Some(mapped) && squeezable {
                continue;
            }
            last = Some(mapped);
            out.push(mapped);
        }
        self.write(1, &out);
        0
    }

    fn tee(&mut self, args: &[&str]) -> i32 {
        let append = args.iter().any(|a| *a == "-a" || *a == "--append");
        let text = self.stdin.take().map(String::from).unwrap_or_default();
        let mut code = 0;
        for f in args.iter().filter(|a| !a.starts_with('-')) {
            if *f == "/dev/null" {
                continue;
            }
            let abs = self.abs(f);
            if !self.parent_exists(&abs) {
                self.complain(&format!("tee: {f}: No such file or directory"));
                code = 1;
                continue;
            }
            if self.env.is_read_only(&abs) {
                self.complain(&format!("tee: {f}: Read-only file system"));
                code = 1;
                continue;
            }
            let before = if append { self.env.files.get(&abs).cloned().unwrap_or_default() } else { String::new() };
            self.env.files.insert(abs, before + &text);
        }
        self.write(1, &text);
        code
    }

    /// `xargs [-n N] [-I R] [CMD ARGS…]`: the command (`echo` by default) with the words of the
    /// input, run in this shell.
    fn xargs(&mut self, args: &[&str]) -> i32 {
        let mut per: Option<usize> = None;
        let mut replace: Option<String> = None;
        let mut i = 0;
        while i < args.len() {
            match args[i] {
                "-n" => {
                    per = args.get(i + 1).and_then(|n| n.parse().ok()).filter(|n| *n > 0);
                    i += 1;
                }
                "-I" | "-i" => {
                    replace = Some(args.get(i + 1).copied().unwrap_or("{}").to_string());
                    i += 1;
                }
                "-r" | "--no-run-if-empty" | "-t" | "-0" => {}
                a if a.starts_with("-n") => per = a[2..].parse().ok().filter(|n| *n > 0),
                a if a.starts_with("-I") => replace = Some(a[2..].to_string()),
                _ => break,
            }
            i += 1;
        }
        let quote = |w: &str| format!("'{}'", w.replace('\'', "'\\''"));
        let command: Vec<String> =
            if i < args.len() { args[i..].iter().map(|a| quote(a)).collect() } else { vec!["echo".into()] };
        let text = self.stdin.take().map(String::from).unwrap_or_default();
        let mut scripts = Vec::new();
        if let Some(r) = &replace {
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let cmd: Vec<String> = if i < args.len() {
                    args[i..].iter().map(|a| quote(&a.replace(r.as_str(), line))).collect()
                } else {
                    vec!["echo".into(), quote(line)]
                };
                scripts.push(cmd.join(" "));
            }
        } else {
            let words: Vec<String> = text.split_whitespace().map(quote).collect();
            if words.is_empty() {
                // GNU xargs runs the command once even with no input (busybox: -r is the default).
                return 0;
            }
            for chunk in words.chunks(per.unwrap_or(words.len())) {
                scripts.push(format!("{} {}", command.join(" "), chunk.join(" ")));
            }
        }
        if scripts.len() > MAX_XARGS_RUNS {
            self.complain(&format!("xargs: more than {MAX_XARGS_RUNS} commands (a sandbox limit)"));
            return 1;
        }
        // One script, so the commands run in order (each run_here would stack before the last).
        // SIM: the status is the last command's; GNU xargs says 123 when any failed.
        self.run_here(&scripts.join("\n"), "xargs")
    }
}

impl Machine {
    /// `readlink -f PATH` / `realpath PATH`: the absolute path. SIM: the sandbox's files have no
    /// symbolic links, so `readlink` without `-f` (of a file that is not a link) prints nothing
    /// and fails, as it does on Linux.
    fn realpath(&mut self, name: &str, args: &[&str]) -> i32 {
        let canonical = name == "realpath"
            || args.iter().any(|a| a.starts_with('-') && (a.contains('f') || a.contains('e') || a.contains('m')));
        let mut code = 0;
        for a in args.iter().filter(|a| !a.starts_with('-')) {
            let abs = self.abs(a);
            if !canonical {
                code = 1;
                continue;
            }
            if name == "realpath" && !self.env.files.contains_key(&abs) && !self.is_dir(&abs) {
                self.complain(&format!("realpath: {a}: No such file or directory"));
                code = 1;
                continue;
            }
            let shown = if abs.len() > 1 { abs.trim_end_matches('/').to_string() } else { abs };
            self.write(1, &format!("{shown}\n"));
        }
        code
    }

    /// `find [PATH…] [-maxdepth N] [-mindepth N] [-type f|d] [-name PAT] [-iname PAT] [-print]`.
    fn find(&mut self, args: &[&str]) -> i32 {
        let mut roots = Vec::new();
        let (mut max, mut min) = (usize::MAX, 0usize);
        let mut kind: Option<&str> = None;
        let mut names: Vec<(String, bool)> = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = args[i];
            let v = args.get(i + 1).copied();
            match a {
                "-maxdepth" | "-mindepth" | "-type" | "-name" | "-iname" => {
                    let Some(v) = v else {
                        self.complain(&format!("find: missing argument to `{a}'"));
                        return 1;
                    };
                    match a {
                        "-maxdepth" => max = v.parse().unwrap_or(usize::MAX),
                        "-mindepth" => min = v.parse().unwrap_or(0),
                        "-type" => kind = Some(v),
                        "-name" => names.push((v.to_string(), false)),
                        _ => names.push((v.to_lowercase(), true)),
                    }
                    i += 1;
                }
                "-print" => {}
                a if a.starts_with('-') => {
                    self.complain(&format!("find: unknown predicate `{a}' (not simulated)"));
                    return 1;
                }
                a => roots.push(a.to_string()),
            }
            i += 1;
        }
        if roots.is_empty() {
            roots.push(".".into());
        }
        let mut out = String::new();
        let mut found = 0;
        let mut code = 0;
        for root in roots {
            let abs = self.abs(&root);
            let is_file = self.env.files.contains_key(&abs) && !abs.ends_with('/');
            if !is_file && !self.is_dir(&abs) {
                self.complain(&format!("find: '{root}': No such file or directory"));
                code = 1;
                continue;
            }
            let base = if abs == "/" { "/".to_string() } else { format!("{}/", abs.trim_end_matches('/')) };
            let mut entries: Vec<(String, bool, usize)> = vec![(root.trim_end_matches('/').to_string(), !is_file, 0)];
            if root == "/" {
                entries[0].0 = "/".into();
            }
            if !is_file {
                for (p, _) in self.env.files.range(base.clone()..).take_while(|(p, _)| p.starts_with(&base)) {
                    let rel = &p[base.len()..];
                    if rel.is_empty() {
                        continue;
                    }
                    let dir = rel.ends_with('/');
                    let rel = rel.trim_end_matches('/');
                    let depth = rel.split('/').count();
                    let shown =
                        if root == "/" { format!("/{rel}") } else { format!("{}/{rel}", root.trim_end_matches('/')) };
                    entries.push((shown, dir, depth));
                }
            }
            for (shown, dir, depth) in entries {
                if depth > max || depth < min {
                    continue;
                }
                if kind == Some("f") && dir || kind == Some("d") && !dir {
                    continue;
                }
                let leaf = shown.rsplit('/').next().unwrap_or(&shown).to_string();
                if !names.iter().all(|(pat, fold)| {
                    let l = if *fold { leaf.to_lowercase() } else { leaf.clone() };
                    super::interp::glob_match(pat, &l)
                }) {
                    continue;
                }
                found += 1;
                if found > MAX_FOUND {
                    self.complain(&format!("find: more than {MAX_FOUND} paths (a sandbox limit)"));
                    return 1;
                }
                out.push_str(&shown);
                out.push('\n');
            }
        }
        self.write(1, &out);
        code
    }
}

impl Machine {
    /// A tool's own message on stderr (not the shell's: no `bash: ` before it).
    fn complain(&mut self, message: &str) {
        self.write(2, &format!("{message}\n"));
    }
}

/// `tr`'s character set: ranges (`a-z`), classes (`[:upper:]`) and escapes (`\n`).
fn tr_set(s: &str) -> Vec<char> {
    let s = s
        .replace("[:upper:]", "A-Z")
        .replace("[:lower:]", "a-z")
        .replace("[:digit:]", "0-9")
        .replace("[:space:]", " \t\n")
        .replace("[:alpha:]", "A-Za-z")
        .replace("[:alnum:]", "A-Za-z0-9");
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = match chars[i] {
            '\\' if i + 1 < chars.len() => {
                i += 1;
                match chars[i] {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    c => c,
                }
            }
            c => c,
        };
        if i + 2 < chars.len() && chars[i + 1] == '-' && chars[i + 2] >= c {
            out.extend((c..=chars[i + 2]).take(256));
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tr_reads_ranges_and_escapes() {
        assert_eq!(tr_set("a-c\\n"), vec!['a', 'b', 'c', '\n']);
    }
}
