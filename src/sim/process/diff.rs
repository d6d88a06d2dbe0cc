//! `diff FILE1 FILE2`, as the image's own `diff` prints it: GNU diffutils' in the terminal and
//! in Debian- and Ubuntu-based images (normal, `-u` and `-c` formats, `-q`, `-s`, `-r`, `-N`,
//! `-i`, `-b`, `-w`, `-Z`, `-B`, `-L`, `-` for stdin, GNU's messages and exit statuses), and
//! busybox's in busybox and Alpine images (unified only, its headers, usage and messages).
//! Each finds its hunks as the real one does: GNU's Myers search ([`analyze`]), busybox's
//! Stone candidates ([`stone`]). Also the hunks `kubectl diff` shows ([`unified_hunks`]).
//!
//! Reads the container's files; writes nothing but stdout and stderr.

mod analyze;
mod format;
mod getopt;
mod stone;

use std::collections::BTreeMap;

use analyze::{Change, Options as Compare, White};
use format::{context_hunks, normal, unified, Text};
pub use format::{stamp, EPOCH_STAMP};
use getopt::{getopt, shell_quote, BUSYBOX_LONG, BUSYBOX_SHORT, GNU_LONG, GNU_SHORT};

use super::interp::Machine;

/// Most files one `diff -r` compares (the sandbox's limit; GNU has none).
const MAX_PAIRS: usize = 10_000;

/// busybox's usage line, after the banner the sandbox's busybox applets print.
// SIM: busybox goes on with a line per option; the sandbox stops at the usage line, as its
// other applets' usage does.
const BUSYBOX_USAGE: &str = "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: diff [-abBdiNqrTstw] [-L LABEL] [-S FILE] [-U LINES] FILE1 FILE2\n";

/// What `diff --version` says: Debian 12's diffutils.
const GNU_VERSION: &str = "diff (GNU diffutils) 3.8\nCopyright (C) 2021 Free Software Foundation, Inc.\nLicense GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\nThis is free software: you are free to change and redistribute it.\nThere is NO WARRANTY, to the extent permitted by law.\n\nWritten by Paul Eggert, Mike Haertel, David Hayes,\nRichard Stallman, and Len Tower.\n";

/// The hunks of `diff -u` (`@@ -l,n +l,n @@` and the lines) from `a` to `b` with `context`
/// lines around each change, as GNU prints them; empty when the texts are the same.
pub fn unified_hunks(a: &str, b: &str, context: usize) -> String {
    let (x, y) = (Text::of(a), Text::of(b));
    let o = Compare { horizon: context, ..Compare::default() };
    let mut budget = analyze::MAX_WORK;
    let script = analyze::edit_script(x.side(), y.side(), &o, &mut budget);
    let plain = vec![false; script.len()];
    let mut out = String::new();
    unified(&mut out, &x, &y, &script, &plain, context, false);
    out
}

/// Which program `diff` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavour {
    Gnu,
    Busybox,
}

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Style {
    #[default]
    Unspecified,
    Normal,
    Unified,
    Context,
}

/// What the options asked for.
#[derive(Debug, Default)]
struct Opts {
    style: Style,
    context: usize,
    brief: bool,
    identical: bool,
    recursive: bool,
    new_file: bool,
    text: bool,
    ignore_blank: bool,
    strip_cr: bool,
    compare: Compare,
    labels: Vec<String>,
    /// busybox `-S`: the first name compared in a directory.
    start_at: Option<String>,
    /// The options as typed, shell-quoted, each after a space: GNU's line before each pair of
    /// files compared in a directory is `diff` with them (`diff -r a/x b/x`).
    switches: String,
}

impl Opts {
    /// The switches GNU diff and busybox diff share, set; whether `key` was one of them.
    fn switch(&mut self, key: &str) -> bool {
        match key {
            "q" => self.brief = true,
            "s" => self.identical = true,
            "r" => self.recursive = true,
            "N" => self.new_file = true,
            "a" => self.text = true,
            "i" => self.compare.ignore_case = true,
            "d" => self.compare.minimal = true,
            "w" => self.compare.white = White::All,
            "b" => self.compare.white = self.compare.white.max(White::Change),
            "B" => self.ignore_blank = true,
            _ => return false,
        }
        true
    }
}

/// One operand, looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    File(String),
    Dir,
    Missing,
}

/// One side of a comparison: its name as shown, where it is, and what is there.
#[derive(Debug, Clone)]
struct Operand {
    shown: String,
    abs: String,
    node: Node,
    /// Taken as empty by `-N` (GNU shows it with the epoch's time).
    absent: bool,
}

/// `dir` and `name` joined as GNU's `file_name_concat` and busybox's `concat_path_file` join
/// them: one slash between.
fn join(dir: &str, name: &str) -> String {
    if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// Whether `line` counts as blank for `-B`: empty, or only white space when white space
/// is otherwise ignored (GNU; busybox counts only empty lines).
fn is_blank(line: &str, white: White, flavour: Flavour) -> bool {
    line.is_empty() || (flavour == Flavour::Gnu && white != White::Counts && line.trim().is_empty())
}

/// For each change, whether `-B` ignores it: all its lines are blank.
fn ignorable(a: &Text<'_>, b: &Text<'_>, script: &[Change], o: &Opts, flavour: Flavour) -> Vec<bool> {
    script
        .iter()
        .map(|c| {
            o.ignore_blank
                && a.lines[c.line0..c.line0 + c.deleted].iter().all(|l| is_blank(l, o.compare.white, flavour))
                && b.lines[c.line1..c.line1 + c.inserted].iter().all(|l| is_blank(l, o.compare.white, flavour))
        })
        .collect()
}

impl Machine {
    /// Runs `diff` with `args`: GNU's or busybox's, as the image ships.
    pub(super) fn diff(&mut self, args: &[&str]) -> i32 {
        match self.diff_flavour() {
            Flavour::Gnu => self.gnu_diff(args),
            Flavour::Busybox => self.busybox_diff(args),
        }
    }

    /// busybox images and Alpine-based ones have busybox's `diff`; the terminal (a learner's
    /// Linux machine) and every other image, Debian- or Ubuntu-based, GNU's.
    fn diff_flavour(&self) -> Flavour {
        if self.text_tools_are_gnu() {
            Flavour::Gnu
        } else {
            Flavour::Busybox
        }
    }

    /// Whether the container's text tools (`diff`, `grep`) are GNU's (see [`Self::diff_flavour`]).
    pub(super) fn text_tools_are_gnu(&self) -> bool {
        let image = self.env.image;
        let alpine = image.files.iter().any(|(p, t)| *p == "/etc/os-release" && t.contains("ID=alpine"))
            || self.env.tag.contains("alpine");
        let busybox = image.repository.ends_with("/busybox") || image.repository.ends_with("/busyboxplus");
        self.env.bash_style || !(busybox || alpine)
    }

    /// What is at `name` (`-` is stdin, read once).
    fn diff_operand(&mut self, name: &str, stdin: &mut Option<String>) -> Operand {
        if name == "-" {
            let text = stdin.get_or_insert_with(|| self.stdin.take().map(String::from).unwrap_or_default()).clone();
            return Operand { shown: name.into(), abs: name.into(), node: Node::File(text), absent: false };
        }
        let abs = self.abs(name);
        let node = self.diff_node(&abs);
        Operand { shown: name.into(), abs, node, absent: false }
    }

    /// `diff DIR FILE` and `diff FILE DIR` compare FILE with the file of its name in DIR:
    /// that operand, changed so, or `None` when neither is a directory beside a file.
    fn diff_into_dir<'o>(&self, a: &'o mut Operand, b: &'o mut Operand) -> Option<&'o mut Operand> {
        let (dir, file) = match (&a.node, &b.node) {
            (Node::Dir, Node::File(_)) => (a, &*b),
            (Node::File(_), Node::Dir) => (b, &*a),
            _ => return None,
        };
        let base = file.shown.rsplit('/').next().unwrap_or("").to_string();
        dir.shown = join(&dir.shown, &base);
        dir.abs = join(&dir.abs, &base);
        dir.node = self.diff_node(&dir.abs);
        Some(dir)
    }

    fn diff_node(&self, abs: &str) -> Node {
        match self.env.files.get(abs) {
            Some(t) if !abs.ends_with('/') => Node::File(t.clone()),
            _ if self.is_dir(abs) => Node::Dir,
            _ if abs == "/dev/null" => Node::File(String::new()),
            _ => Node::Missing,
        }
    }

    /// The names in directory `abs`, each with whether it is a directory, in byte order.
    fn diff_children(&self, abs: &str) -> BTreeMap<String, bool> {
        let base = if abs.ends_with('/') { abs.to_string() } else { format!("{abs}/") };
        let mut out = BTreeMap::new();
        for (p, _) in self.env.files.range(base.clone()..).take_while(|(p, _)| p.starts_with(&base)) {
            let rest = &p[base.len()..];
            if rest.is_empty() {
                continue;
            }
            let (name, dir) = match rest.split_once('/') {
                Some((n, _)) => (n, true),
                None => (rest, false),
            };
            *out.entry(name.to_string()).or_insert(false) |= dir;
        }
        out
    }

    fn gnu_diff(&mut self, args: &[&str]) -> i32 {
        let try_help = |m: &mut Machine, message: &str| {
            m.write(2, &format!("diff: {message}\ndiff: Try 'diff --help' for more information.\n"));
            2
        };
        let parsed = match getopt(args, GNU_SHORT, GNU_LONG) {
            Ok(p) => p,
            Err(e) => return try_help(self, &e),
        };
        let mut o = Opts::default();
        let (mut explicit_context, mut digits, mut prev_digit) = (false, None::<usize>, false);
        let mut horizon = 0usize;
        for (key, value, typed) in &parsed.options {
            let value = value.as_deref();
            let is_digit = key.len() == 1 && key.as_bytes()[0].is_ascii_digit();
            if is_digit {
                let d = (key.as_bytes()[0] - b'0') as usize;
                let before = if prev_digit { digits.unwrap_or(0) } else { 0 };
                digits = Some(before.saturating_mul(10).saturating_add(d));
            }
            prev_digit = is_digit;
            let style = match key.as_str() {
                "u" | "U" => Some(Style::Unified),
                "c" | "C" => Some(Style::Context),
                "normal" => Some(Style::Normal),
                _ => None,
            };
            if let Some(s) = style {
                if o.style != Style::Unspecified && o.style != s {
                    return try_help(self, "conflicting output style options");
                }
                o.style = s;
            }
            match key.as_str() {
                _ if is_digit => {}
                "u" | "c" => o.context = o.context.max(3),
                "U" | "C" => {
                    let n = match value {
                        None => 3,
                        Some(v) => match v.parse::<usize>() {
                            Ok(n) => n,
                            Err(_) => return try_help(self, &format!("invalid context length '{v}'")),
                        },
                    };
                    o.context = o.context.max(n);
                    explicit_context = true;
                }
                "Z" => o.compare.white = o.compare.white.max(White::Trailing),
                k if o.switch(k) => {}
                "strip-trailing-cr" => o.strip_cr = true,
                "L" => {
                    if o.labels.len() == 2 {
                        self.write(2, "diff: too many file label options\n");
                        return 2;
                    }
                    o.labels.extend(value.map(String::from));
                }
                "horizon-lines" => match value.unwrap_or("").parse::<usize>() {
                    Ok(n) => horizon = horizon.max(n),
                    Err(_) => return try_help(self, &format!("invalid horizon length '{}'", value.unwrap_or(""))),
                },
                "help" => {
                    self.write(1, &gnu_help());
                    return 0;
                }
                "v" => {
                    self.write(1, GNU_VERSION);
                    return 0;
                }
                // No effect on what the sandbox prints.
                "normal" | "H" | "h" | "binary" | "no-dereference" | "inhibit-hunk-merge" | "tabsize" => {}
                "color" if matches!(value, None | Some("never" | "auto")) => {}
                _ => {
                    self.write(2, &format!("diff: option '{typed}' is not simulated in the sandbox\n"));
                    return 2;
                }
            }
        }
        if o.style == Style::Unspecified {
            o.style = Style::Normal;
        }
        if let Some(n) = digits {
            if matches!(o.style, Style::Unified | Style::Context)
                && (o.context < n || (n < o.context && !explicit_context))
            {
                o.context = n;
            }
        }
        if o.style == Style::Normal {
            o.context = 0;
        }
        o.compare.horizon = horizon.max(o.context);
        o.switches = parsed.words.iter().map(|w| format!(" {}", shell_quote(w))).collect();
        if parsed.operands.len() != 2 {
            if parsed.operands.len() < 2 {
                let last = args.last().copied().unwrap_or("diff");
                return try_help(self, &format!("missing operand after '{last}'"));
            }
            return try_help(self, &format!("extra operand '{}'", parsed.operands[2]));
        }
        let mut stdin = None;
        let a = self.diff_operand(&parsed.operands[0], &mut stdin);
        let b = self.diff_operand(&parsed.operands[1], &mut stdin);
        let (mut pairs, mut budget) = (0, analyze::MAX_WORK);
        self.gnu_compare(&o, a, b, false, &mut pairs, &mut budget)
    }

    /// GNU's `compare_files`: two operands of any kind; `in_dir` when inside `diff DIR DIR`.
    fn gnu_compare(
        &mut self,
        o: &Opts,
        mut a: Operand,
        mut b: Operand,
        in_dir: bool,
        pairs: &mut usize,
        budget: &mut u64,
    ) -> i32 {
        if !in_dir {
            let missing = [a.node == Node::Missing, b.node == Node::Missing];
            if missing[0] && missing[1] || (missing[0] || missing[1]) && !o.new_file {
                for (m, x) in missing.iter().zip([&a, &b]) {
                    if *m {
                        self.write(2, &format!("diff: {}: No such file or directory\n", x.shown));
                    }
                }
                return 2;
            }
            if (a.shown == "-" && b.node == Node::Dir) || (b.shown == "-" && a.node == Node::Dir) {
                self.write(2, "diff: cannot compare '-' to a directory\n");
                return 2;
            }
            // `diff DIR FILE` compares DIR/FILE's name with FILE.
            if let Some(dir) = self.diff_into_dir(&mut a, &mut b) {
                if dir.node == Node::Missing && !o.new_file {
                    self.write(2, &format!("diff: {}: No such file or directory\n", dir.shown));
                    return 2;
                }
            }
        }
        // `-N`: a missing side is empty, of the other side's kind.
        let kinds = [a.node == Node::Dir, b.node == Node::Dir];
        for (x, other_dir) in [(&mut a, kinds[1]), (&mut b, kinds[0])] {
            if x.node == Node::Missing {
                x.absent = true;
                x.node = if other_dir { Node::Dir } else { Node::File(String::new()) };
            }
        }
        match (&a.node, &b.node) {
            (Node::Dir, Node::Dir) => self.gnu_dirs(o, &a, &b, pairs, budget),
            (Node::File(x), Node::File(y)) => {
                *pairs += 1;
                if *pairs > MAX_PAIRS {
                    if *pairs == MAX_PAIRS + 1 {
                        self.write(2, &format!("diff: more than {MAX_PAIRS} files to compare (a sandbox limit)\n"));
                    }
                    return 2;
                }
                let (x, y) = (x.clone(), y.clone());
                self.gnu_files(o, &a, &b, &x, &y, in_dir, budget)
            }
            (Node::Dir, _) | (_, Node::Dir) => {
                let kind = |n: &Node| if *n == Node::Dir { "directory" } else { "regular file" };
                self.write(
                    1,
                    &format!("File {} is a {} while file {} is a {}\n", a.shown, kind(&a.node), b.shown, kind(&b.node)),
                );
                1
            }
            _ => 2,
        }
    }

    /// GNU's `diff_dirs`: each name of either directory, in order.
    fn gnu_dirs(&mut self, o: &Opts, a: &Operand, b: &Operand, pairs: &mut usize, budget: &mut u64) -> i32 {
        let (ca, cb) = (self.diff_children(&a.abs), self.diff_children(&b.abs));
        let mut names: Vec<&String> = ca.keys().chain(cb.keys()).collect();
        names.sort();
        names.dedup();
        let mut status = 0;
        for name in names {
            let side = |x: &Operand, here: bool, machine: &Machine| {
                let abs = join(&x.abs, name);
                let node = if here { machine.diff_node(&abs) } else { Node::Missing };
                Operand { shown: join(&x.shown, name), abs, node, absent: false }
            };
            let (x, y) = (side(a, ca.contains_key(name), self), side(b, cb.contains_key(name), self));
            let s = match (&x.node, &y.node) {
                (Node::Missing, _) | (_, Node::Missing) if !o.new_file => {
                    let dir = if x.node == Node::Missing { &b.shown } else { &a.shown };
                    self.write(1, &format!("Only in {dir}: {name}\n"));
                    1
                }
                (Node::Dir | Node::Missing, Node::Dir | Node::Missing) if !o.recursive => {
                    self.write(1, &format!("Common subdirectories: {} and {}\n", x.shown, y.shown));
                    0
                }
                _ => self.gnu_compare(o, x, y, true, pairs, budget),
            };
            status = status.max(s);
        }
        status
    }

    /// Two files' texts compared, and shown in the chosen format.
    #[allow(clippy::too_many_arguments)]
    fn gnu_files(
        &mut self,
        o: &Opts,
        a: &Operand,
        b: &Operand,
        x: &str,
        y: &str,
        in_dir: bool,
        budget: &mut u64,
    ) -> i32 {
        let strip = |t: &str| if o.strip_cr { t.replace("\r\n", "\n") } else { t.to_string() };
        let (x, y) = (strip(x), strip(y));
        let header = format!("diff{} {} {}\n", o.switches, a.shown, b.shown);
        let binary = !o.text && (x.contains('\0') || y.contains('\0'));
        let plain_compare = o.brief && !o.compare.ignore_case && o.compare.white == White::Counts && !o.ignore_blank;
        let identical = |m: &mut Machine| {
            if o.identical {
                m.write(1, &format!("Files {} and {} are identical\n", a.shown, b.shown));
            }
            0
        };
        if binary || plain_compare {
            if x == y {
                return identical(self);
            }
            let what = if o.brief { "Files" } else { "Binary files" };
            self.write(1, &format!("{what} {} and {} differ\n", a.shown, b.shown));
            return 1;
        }
        let (ta, tb) = (Text::of(&x), Text::of(&y));
        let script = analyze::edit_script(ta.side(), tb.side(), &o.compare, budget);
        let skip = ignorable(&ta, &tb, &script, o, Flavour::Gnu);
        if skip.iter().all(|s| *s) {
            return identical(self);
        }
        if o.brief {
            self.write(1, &format!("Files {} and {} differ\n", a.shown, b.shown));
            return 1;
        }
        let mut out = if in_dir { header } else { String::new() };
        let label = |k: usize, x: &Operand| match o.labels.get(k) {
            Some(l) => l.clone(),
            None => {
                let t = if x.absent { EPOCH_STAMP.to_string() } else { stamp(self.clock) };
                format!("{}\t{t}", x.shown)
            }
        };
        match o.style {
            Style::Unified => {
                out.push_str(&format!("--- {}\n+++ {}\n", label(0, a), label(1, b)));
                unified(&mut out, &ta, &tb, &script, &skip, o.context, false);
            }
            Style::Context => {
                out.push_str(&format!("*** {}\n--- {}\n", label(0, a), label(1, b)));
                context_hunks(&mut out, &ta, &tb, &script, &skip, o.context);
            }
            _ => normal(&mut out, &ta, &tb, &script, &skip),
        }
        self.write(1, &out);
        1
    }

    fn busybox_diff(&mut self, args: &[&str]) -> i32 {
        let usage = |m: &mut Machine, message: Option<&str>| {
            let text = message.map(|e| format!("diff: {e}\n")).unwrap_or_default();
            m.write(2, &format!("{text}{BUSYBOX_USAGE}"));
            1
        };
        let parsed = match getopt(args, BUSYBOX_SHORT, BUSYBOX_LONG) {
            Ok(p) => p,
            Err(e) => return usage(self, Some(&e)),
        };
        let mut o = Opts { style: Style::Unified, context: 3, ..Opts::default() };
        for (key, value, typed) in &parsed.options {
            match key.as_str() {
                "U" => match value.as_deref().unwrap_or("").parse::<usize>() {
                    Ok(n) => o.context = n,
                    Err(_) => {
                        self.write(2, &format!("diff: invalid number '{}'\n", value.as_deref().unwrap_or("")));
                        return 1;
                    }
                },
                // A third label takes the second's place.
                "L" => {
                    o.labels.truncate(1);
                    o.labels.extend(value.clone());
                }
                "S" => o.start_at = value.clone(),
                k if o.switch(k) => {}
                // Accepted and ignored by busybox itself.
                "u" | "p" | "E" => {}
                _ => {
                    self.write(2, &format!("diff: option '{typed}' is not simulated in the sandbox\n"));
                    return 1;
                }
            }
        }
        o.compare.horizon = o.context;
        if parsed.operands.len() != 2 {
            return usage(self, None);
        }
        let mut stdin = None;
        let mut a = self.diff_operand(&parsed.operands[0], &mut stdin);
        let mut b = self.diff_operand(&parsed.operands[1], &mut stdin);
        for x in [&mut a, &mut b] {
            if x.node == Node::Missing {
                if !o.new_file {
                    self.write(2, &format!("diff: can't stat '{}': No such file or directory\n", x.shown));
                    return 2;
                }
                x.node = Node::File(String::new());
            }
        }
        let stdins = usize::from(a.shown == "-") + usize::from(b.shown == "-");
        if stdins > 0 && (a.node == Node::Dir || b.node == Node::Dir) {
            self.write(2, "diff: can't compare stdin to a directory\n");
            return 1;
        }
        // One file twice: the same, without a word even for `-s`.
        if a.abs == b.abs && stdins == 0 {
            return 0;
        }
        let mut budget = analyze::MAX_WORK;
        if a.node == Node::Dir && b.node == Node::Dir {
            return self.busybox_dirs(&o, &a, &b, &mut budget);
        }
        if let Some(dir) = self.diff_into_dir(&mut a, &mut b) {
            if dir.node == Node::Missing {
                // busybox has set its failure status back to 1 by then.
                self.write(2, &format!("diff: can't stat '{}': No such file or directory\n", dir.shown));
                return 1;
            }
        }
        if stdins > 1 {
            return self.busybox_status(&o, false, &a.shown, &b.shown);
        }
        let differs = self.busybox_files(&o, &a, &b, &mut budget);
        self.busybox_status(&o, differs, &a.shown, &b.shown)
    }

    /// busybox's `print_status`: only `-q` and `-s` say anything here.
    fn busybox_status(&mut self, o: &Opts, differs: bool, a: &str, b: &str) -> i32 {
        if differs && o.brief {
            self.write(1, &format!("Files {a} and {b} differ\n"));
        } else if !differs && o.identical {
            self.write(1, &format!("Files {a} and {b} are identical\n"));
        }
        i32::from(differs)
    }

    /// busybox's `diffreg`: whether the files differ, printing their unified diff unless `-q`.
    fn busybox_files(&mut self, o: &Opts, a: &Operand, b: &Operand, budget: &mut u64) -> bool {
        let text = |x: &Operand| match &x.node {
            Node::File(t) => t.clone(),
            _ => String::new(),
        };
        let (x, y) = (text(a), text(b));
        if x == y {
            return false;
        }
        if !o.text && (x.contains('\0') || y.contains('\0')) {
            // busybox says so as `-q` does, whatever the options.
            if !o.brief {
                self.write(1, &format!("Files {} and {} differ\n", a.shown, b.shown));
            }
            return true;
        }
        let (ta, tb) = (Text::of(&x), Text::of(&y));
        let script = stone::edit_script(ta.side(), tb.side(), &o.compare, budget);
        let skip = ignorable(&ta, &tb, &script, o, Flavour::Busybox);
        if skip.iter().all(|s| *s) {
            return false;
        }
        if !o.brief {
            let name = |k: usize, x: &Operand| o.labels.get(k).cloned().unwrap_or_else(|| x.shown.clone());
            let mut out = format!("--- {}\n+++ {}\n", name(0, a), name(1, b));
            unified(&mut out, &ta, &tb, &script, &skip, o.context, true);
            self.write(1, &out);
        }
        true
    }

    /// busybox's `diffdir`: the files under each directory (all of them with `-r`), by path.
    fn busybox_dirs(&mut self, o: &Opts, a: &Operand, b: &Operand, budget: &mut u64) -> i32 {
        let mut status = 0;
        let mut lists = [Vec::new(), Vec::new()];
        for (k, (mine, other)) in [(a, b), (b, a)].into_iter().enumerate() {
            let mut todo = vec![String::new()];
            while let Some(rel) = todo.pop() {
                let abs = if rel.is_empty() { mine.abs.clone() } else { join(&mine.abs, &rel) };
                for (name, dir) in self.diff_children(&abs) {
                    let path = if rel.is_empty() { name } else { format!("{rel}/{name}") };
                    if !dir || !o.recursive {
                        lists[k].push(path);
                    } else if o.new_file || self.is_dir(&join(&other.abs, &path)) {
                        todo.push(path);
                    } else {
                        // -r without -N: a directory the other side lacks is not entered.
                        status = 1;
                    }
                    if lists[k].len() > MAX_PAIRS {
                        self.write(2, &format!("diff: more than {MAX_PAIRS} files to compare (a sandbox limit)\n"));
                        return 2;
                    }
                }
            }
            lists[k].sort();
            if let Some(s) = &o.start_at {
                lists[k].retain(|p| p.as_str() >= s.as_str());
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < lists[0].len() || j < lists[1].len() {
            let (p0, p1) = (lists[0].get(i), lists[1].get(j));
            let order = match (p0, p1) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Greater,
            };
            let (k, name) = match order {
                std::cmp::Ordering::Greater => (1, p1.cloned().unwrap_or_default()),
                _ => (0, p0.cloned().unwrap_or_default()),
            };
            let both = order == std::cmp::Ordering::Equal;
            if !both && !o.new_file {
                let dir = if k == 0 { &a.shown } else { &b.shown };
                self.write(1, &format!("Only in {dir}: {name}\n"));
                status = 1;
            } else {
                let side = |x: &Operand, here: bool, m: &Machine| {
                    let abs = join(&x.abs, &name);
                    let shown = join(&x.shown, &name);
                    let node = if here { m.diff_node(&abs) } else { Node::File(String::new()) };
                    // The side that lacks it reads /dev/null, and its header says so.
                    let named = if here { shown.clone() } else { "/dev/null".to_string() };
                    (Operand { shown: named, abs, node, absent: !here }, shown)
                };
                let ((x, full0), (y, full1)) = (side(a, both || k == 0, self), side(b, both || k == 1, self));
                let (dx, dy) = (x.node == Node::Dir, y.node == Node::Dir);
                if dx && dy || (dx || dy) && !both {
                    self.write(1, &format!("Common subdirectories: {full0} and {full1}\n"));
                } else if dx != dy {
                    let kind = |d: bool| if d { "directory" } else { "regular file" };
                    self.write(1, &format!("File {full0} is a {} while file {full1} is a {}\n", kind(dx), kind(dy)));
                } else {
                    let differs = self.busybox_files(o, &x, &y, budget);
                    status |= self.busybox_status(o, differs, &full0, &full1);
                }
            }
            if order != std::cmp::Ordering::Greater {
                i += 1;
            }
            if order != std::cmp::Ordering::Less {
                j += 1;
            }
        }
        status
    }
}

/// `diff --help`.
// SIM: GNU's full help lists every option; the sandbox's lists what it simulates.
fn gnu_help() -> String {
    [
        "Usage: diff [OPTION]... FILES",
        "Compare FILES line by line.",
        "",
        "The sandbox's diff takes these of GNU diff's options:",
        "      --normal                  output a normal diff (the default)",
        "  -q, --brief                   report only whether files differ",
        "  -s, --report-identical-files  also report if two files are the same",
        "  -c, -C NUM, --context[=NUM]   output NUM (default 3) lines of copied context",
        "  -u, -U NUM, --unified[=NUM]   output NUM (default 3) lines of unified context",
        "  -L, --label LABEL             use LABEL instead of file name and timestamp",
        "  -r, --recursive               recursively compare any subdirectories found",
        "  -N, --new-file                treat absent files as empty",
        "  -i, --ignore-case             ignore case differences in file contents",
        "  -Z, --ignore-trailing-space   ignore white space at line end",
        "  -b, --ignore-space-change     ignore changes in the amount of white space",
        "  -w, --ignore-all-space        ignore all white space",
        "  -B, --ignore-blank-lines      ignore changes where lines are all blank",
        "  -a, --text                    treat all files as text",
        "      --strip-trailing-cr       strip trailing carriage return on input",
        "  -d, --minimal                 try hard to find a smaller set of changes",
        "",
        "FILES are 'FILE1 FILE2' or 'DIR1 DIR2' or 'DIR FILE' or 'FILE DIR'.",
        "If a FILE is '-', read standard input.",
        "Exit status is 0 if inputs are the same, 1 if different, 2 if trouble.",
        "",
    ]
    .join("\n")
}

#[cfg(test)]
mod tests;
