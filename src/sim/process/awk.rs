//! `awk [-F FS] [-v VAR=VALUE]… [-f PROGFILE | 'PROGRAM'] [VAR=VALUE | FILE]…`, as busybox awk
//! (the containers' awk) runs it: POSIX awk's patterns (`BEGIN`, `END`, expressions, regexes,
//! ranges), actions, fields, arrays, user functions and built-ins ([`eval`]), over records split
//! by `RS`. Errors are busybox's (`awk: cmd. line:1: Unexpected token`).
//!
//! SIM: `getline`, output to commands (`print | "cmd"`), `system()` and `close()` are not
//! simulated and say so; run-time errors name line 1 of the program; `rand()` is the sandbox's
//! own deterministic sequence; a program is stopped after [`eval::MAX_STEPS`] steps. The
//! terminal's awk (gawk or mawk on a learner's machine) words its errors as busybox's does.

mod eval;
mod parse;

use std::collections::BTreeMap;

use super::interp::Machine;
use eval::{Awk, Stop};

const USAGE: &str = "Usage: awk [OPTIONS] [AWK_PROGRAM] [FILE]...\n";

/// An operand `NAME=value`: an assignment made when awk reaches it among the files.
fn assignment(a: &str) -> Option<(String, String)> {
    let (name, value) = a.split_once('=')?;
    let valid = name.chars().next().is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && name.chars().all(|c| c == '_' || c.is_ascii_alphanumeric());
    valid.then(|| (name.to_string(), unescape(value)))
}

/// The escapes awk reads in `-v` values and `-F` (`\t`, `\n`, `\\`).
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some('"') => out.push('"'),
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The records of `text` as `RS` splits it: lines (`\n`), paragraphs (`""`: blank lines
/// between), or pieces between one other character.
fn records(text: &str, rs: &str) -> Vec<String> {
    match rs {
        "\n" => text.lines().map(str::to_string).collect(),
        "" => text.split("\n\n").map(|p| p.trim_matches('\n').to_string()).filter(|p| !p.is_empty()).collect(),
        _ => {
            let sep = rs.chars().next().unwrap_or('\n');
            let mut parts: Vec<String> = text.split(sep).map(str::to_string).collect();
            if parts.last().is_some_and(|p| p.is_empty() || p == "\n") {
                parts.pop();
            }
            parts
        }
    }
}

impl Machine {
    /// Runs `awk ARGS…`.
    pub(super) fn awk(&mut self, args: &[&str]) -> i32 {
        let mut fs: Option<String> = None;
        let mut assigns: Vec<(String, String)> = Vec::new();
        let mut program: Option<String> = None;
        let mut i = 0;
        while i < args.len() {
            let a = args[i];
            let value = |i: &mut usize, inline: &str| -> Option<String> {
                if inline.is_empty() {
                    *i += 1;
                    args.get(*i).map(|s| s.to_string())
                } else {
                    Some(inline.to_string())
                }
            };
            if a == "--" {
                i += 1;
                break;
            }
            if let Some(rest) = a.strip_prefix("-F") {
                let Some(v) = value(&mut i, rest) else { return self.awk_usage("option requires an argument -- 'F'") };
                fs = Some(unescape(&v));
            } else if let Some(rest) = a.strip_prefix("-v") {
                let Some(v) = value(&mut i, rest) else { return self.awk_usage("option requires an argument -- 'v'") };
                match assignment(&v) {
                    Some(kv) => assigns.push(kv),
                    None => {
                        self.write(2, &format!("awk: invalid variable assignment '{v}'\n"));
                        return 1;
                    }
                }
            } else if let Some(rest) = a.strip_prefix("-f") {
                let Some(f) = value(&mut i, rest) else { return self.awk_usage("option requires an argument -- 'f'") };
                match self.read_file(&f) {
                    Ok(t) => program = Some(program.map_or(t.clone(), |p| format!("{p}\n{t}"))),
                    Err(e) => {
                        self.write(2, &format!("awk: can't open '{f}': {e}\n"));
                        return 1;
                    }
                }
            } else if a.starts_with('-') && a.len() > 1 {
                let c = a.chars().nth(1).unwrap_or('-');
                return self.awk_usage(&format!("invalid option -- '{c}'"));
            } else {
                break;
            }
            i += 1;
        }
        let mut operands: Vec<&str> = args[i.min(args.len())..].to_vec();
        let program = match program {
            Some(p) => p,
            None if !operands.is_empty() => operands.remove(0).to_string(),
            None => {
                self.write(2, USAGE);
                return 1;
            }
        };
        let prog = match parse::parse(&program) {
            Ok(p) => p,
            Err(e) => {
                self.write(2, &format!("awk: cmd. line:{}: {}\n", e.line, e.message));
                return 1;
            }
        };
        // ENVIRON is what the shell exported, as printenv shows it.
        let environ: BTreeMap<String, String> =
            self.exported.clone().into_iter().filter_map(|k| self.get_var(&k).map(|v| (k, v))).collect();
        if let Some(fs) = fs {
            assigns.push(("FS".into(), if fs == "t" { "\t".into() } else { fs }));
        }
        let mut awk = Awk::new(&prog, &assigns, &environ);
        let result = self.awk_run(&mut awk, &operands);
        // END runs after an `exit` elsewhere, not after an error.
        let result = match result {
            Err(Stop::Error(e)) => Err(Stop::Error(e)),
            r => {
                let exited = matches!(r, Err(Stop::Exit(_)));
                match awk.end() {
                    Err(Stop::Error(e)) => Err(Stop::Error(e)),
                    _ if exited => r,
                    other => other,
                }
            }
        };
        self.awk_flush(&mut awk);
        match result {
            Ok(()) => awk.exit_code,
            Err(Stop::Exit(code)) => code,
            Err(Stop::Error(e)) => {
                self.write(2, &format!("awk: cmd. line:1: {e}\n"));
                1
            }
        }
    }

    fn awk_usage(&mut self, problem: &str) -> i32 {
        self.write(2, &format!("awk: {problem}\n{USAGE}"));
        1
    }

    /// BEGIN, then each record of each file (or of stdin), with the operands' assignments made
    /// where they stand.
    fn awk_run(&mut self, awk: &mut Awk, operands: &[&str]) -> Result<(), Stop> {
        awk.begin()?;
        if !awk.reads_input() {
            return Ok(());
        }
        let files: Vec<&&str> = operands.iter().filter(|o| assignment(o).is_none()).collect();
        if files.is_empty() {
            for o in operands {
                if let Some((k, v)) = assignment(o) {
                    awk.eval(&parse::Expr::Assign(Box::new(parse::Expr::Var(k)), None, Box::new(parse::Expr::Str(v))))?;
                }
            }
            let text = self.stdin.take().map(String::from).unwrap_or_default();
            let rs = awk.eval(&parse::Expr::Var("RS".into()))?.text("%.6g");
            for r in records(&text, &rs) {
                awk.record(&r, "")?;
            }
            return Ok(());
        }
        for o in operands {
            if let Some((k, v)) = assignment(o) {
                awk.eval(&parse::Expr::Assign(Box::new(parse::Expr::Var(k)), None, Box::new(parse::Expr::Str(v))))?;
                continue;
            }
            let text = if *o == "-" {
                self.stdin.take().map(String::from).unwrap_or_default()
            } else {
                match self.read_file(o) {
                    Ok(t) => t,
                    Err(e) => {
                        self.awk_flush(awk);
                        return Err(Stop::Error(format!("can't open '{o}': {e}")));
                    }
                }
            };
            awk.eval(&parse::Expr::Assign(
                Box::new(parse::Expr::Var("FNR".into())),
                None,
                Box::new(parse::Expr::Num(0.0)),
            ))?;
            let rs = awk.eval(&parse::Expr::Var("RS".into()))?.text("%.6g");
            for r in records(&text, &rs) {
                awk.record(&r, o)?;
            }
        }
        Ok(())
    }

    /// Writes what the program printed so far: stdout, stderr, and the files it wrote.
    fn awk_flush(&mut self, awk: &mut Awk) {
        let out = std::mem::take(&mut awk.out);
        self.write(1, &out);
        let err = std::mem::take(&mut awk.err);
        self.write(2, &err);
        for (name, (append, text)) in std::mem::take(&mut awk.files) {
            let abs = self.abs(&name);
            if !self.parent_exists(&abs) || self.env.is_read_only(&abs) {
                self.write(2, &format!("awk: cmd. line:1: can't open '{name}' for writing\n"));
                continue;
            }
            let before = if append { self.env.files.get(&abs).cloned().unwrap_or_default() } else { String::new() };
            let whole: String = (before + &text).chars().take(super::interp::MAX_CAPTURE).collect();
            self.env.files.insert(abs, whole);
        }
    }
}

#[cfg(test)]
mod tests;
