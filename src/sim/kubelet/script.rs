//! The simulated process: what a container's command does over simulated time. A small
//! interpreter for the commands course manifests use — `sh -c` scripts of `echo`, `sleep`,
//! `exit`, `printenv`, `date`, `hostname`, `true`/`false`, `while true; do …; done` and
//! `for x in …; do …; done` — resumable at every `sleep`, so an endless loop never hangs.
//! Anything else runs as a long-lived server.
// SIM: `&&` and `||` are run like `;`, and pipes, redirections and conditionals are not
// interpreted; `kubectl exec` (the terminal issue) brings the full shell.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::sim::time::SimTime;

/// One step of a compiled command.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Log(String),
    Sleep(Duration),
    /// Wait for ever (a server, `sleep infinity`, `tail -f`).
    Forever,
    Exit(i32),
    /// Sets `$?` (true/false, unknown commands).
    Status(i32),
    /// Jump back to an earlier step (a loop's end).
    Jump(usize),
}

/// How many steps one `run_until` may take before yielding.
const STEP_BUDGET: usize = 10_000;
/// A loop that went round without sleeping is charged this much simulated time per turn.
// SIM: a real busy loop burns CPU as fast as it can; here each turn takes a second.
const BUSY_TURN: Duration = Duration::from_secs(1);

/// Splits a script into statements on `;` and newlines (and `&&`, `||`, `&`), outside quotes.
fn statements(script: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = script.chars().peekable();
    let end_word = |words: &mut Vec<String>, cur: &mut String, in_word: &mut bool| {
        if *in_word {
            words.push(std::mem::take(cur));
            *in_word = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == c {
                        break;
                    }
                    cur.push(q);
                }
            }
            ';' | '\n' | '&' | '|' => {
                end_word(&mut words, &mut cur, &mut in_word);
                if chars.peek() == Some(&c) {
                    chars.next();
                }
                if !words.is_empty() {
                    out.push(std::mem::take(&mut words));
                }
            }
            ' ' | '\t' => end_word(&mut words, &mut cur, &mut in_word),
            '#' if !in_word => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        break;
                    }
                }
                end_word(&mut words, &mut cur, &mut in_word);
                if !words.is_empty() {
                    out.push(std::mem::take(&mut words));
                }
            }
            _ => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    end_word(&mut words, &mut cur, &mut in_word);
    if !words.is_empty() {
        out.push(words);
    }
    out
}

/// Expands `$VAR` and `${VAR}` from the environment.
fn expand(word: &str, env: &BTreeMap<String, String>) -> String {
    let mut out = String::new();
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        let braced = chars.peek() == Some(&'{');
        if braced {
            chars.next();
        }
        let mut name = String::new();
        while let Some(&n) = chars.peek() {
            if n.is_ascii_alphanumeric() || n == '_' {
                name.push(n);
                chars.next();
            } else {
                break;
            }
        }
        if braced && chars.peek() == Some(&'}') {
            chars.next();
        }
        if name.is_empty() {
            out.push('$');
        } else {
            out.push_str(env.get(&name).map(String::as_str).unwrap_or(""));
        }
    }
    out
}

/// Compiles the statements of a script.
fn compile_script(script: &str, ctx: &Context) -> Vec<Op> {
    let stmts = statements(script);
    let mut ops = Vec::new();
    // Loop starts: (op index, is a for-loop with its remaining items).
    let mut loops: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < stmts.len() {
        let mut words = stmts[i].clone();
        i += 1;
        // `do` and `then` may begin the next statement: drop them.
        while matches!(words.first().map(String::as_str), Some("do" | "then" | "else")) {
            words.remove(0);
        }
        let Some(cmd) = words.first().cloned() else { continue };
        match cmd.as_str() {
            "while" | "until" => loops.push(ops.len()),
            "for" => {
                // for x in a b c; do BODY; done → BODY repeated for each item.
                let var = words.get(1).cloned().unwrap_or_default();
                let items: Vec<String> = words.iter().skip(3).cloned().collect();
                let mut body = Vec::new();
                while i < stmts.len() && stmts[i].first().map(String::as_str) != Some("done") {
                    body.push(stmts[i].join(" "));
                    i += 1;
                }
                i += 1;
                for item in items {
                    let mut env = ctx.env.clone();
                    env.insert(var.clone(), item);
                    let inner = Context { env, ..ctx.clone() };
                    ops.extend(compile_script(&body.join("; ").replacen("do ", "", 1), &inner));
                }
            }
            "done" => {
                if let Some(start) = loops.pop() {
                    ops.push(Op::Jump(start));
                }
            }
            "if" | "fi" | "else" => {}
            _ => ops.extend(compile_command(&words, ctx)),
        }
    }
    ops
}

/// What the process knows of its container.
#[derive(Debug, Clone, Default)]
pub struct Context {
    pub env: BTreeMap<String, String>,
    pub hostname: String,
    pub image: String,
}

fn compile_command(words: &[String], ctx: &Context) -> Vec<Op> {
    let cmd = words[0].rsplit('/').next().unwrap_or("").to_string();
    // A script handed to a shell is expanded when it runs, statement by statement.
    let shell = matches!(cmd.as_str(), "sh" | "bash" | "ash");
    let args: Vec<String> = words.iter().skip(1).map(|w| if shell { w.clone() } else { expand(w, &ctx.env) }).collect();
    match cmd.as_str() {
        "echo" => {
            let (newline_off, rest): (bool, Vec<String>) = match args.first().map(String::as_str) {
                Some("-n") => (true, args[1..].to_vec()),
                _ => (false, args),
            };
            let _ = newline_off;
            vec![Op::Log(rest.join(" "))]
        }
        "sleep" => match args.first().map(String::as_str) {
            Some("infinity") => vec![Op::Forever],
            Some(n) => vec![Op::Sleep(Duration::from_secs_f64(
                n.trim_end_matches('s').parse::<f64>().unwrap_or(0.0).clamp(0.0, 1e9),
            ))],
            None => vec![Op::Log("sleep: missing operand".into()), Op::Status(1)],
        },
        "exit" => vec![Op::Exit(args.first().and_then(|a| a.parse().ok()).unwrap_or(0))],
        "true" | ":" => vec![Op::Status(0)],
        "false" => vec![Op::Status(1)],
        "printenv" | "env" if args.is_empty() => ctx.env.iter().map(|(k, v)| Op::Log(format!("{k}={v}"))).collect(),
        "printenv" => args.iter().filter_map(|a| ctx.env.get(a)).map(|v| Op::Log(v.clone())).collect(),
        "hostname" => vec![Op::Log(ctx.hostname.clone())],
        "date" => vec![Op::Log("\u{0}date".into())],
        "tail" if args.iter().any(|a| a == "-f") => vec![Op::Forever],
        "sh" | "bash" | "ash" => match args.iter().position(|a| a == "-c") {
            Some(i) => compile_script(args.get(i + 1).map(String::as_str).unwrap_or(""), ctx),
            None => vec![Op::Exit(0)], // an interactive shell with no terminal ends at once
        },
        "cat" | "ls" | "mkdir" | "touch" | "cd" | "export" | "set" | "wget" | "curl" | "nslookup" | "ping" => {
            vec![Op::Status(0)]
        }
        _ => vec![Op::Log(format!("sh: {cmd}: not found")), Op::Status(127)],
    }
}

/// Images whose default command is a shell or interpreter: with no terminal they end at once.
const SHELL_IMAGES: &[&str] =
    &["busybox", "alpine", "ubuntu", "debian", "centos", "fedora", "bash", "python", "node", "perl", "ruby", "golang"];

/// The image's repository name without registry, `library/` and tag: `nginx`, `kiamol/ch03-sleep`.
pub fn repository(image: &str) -> String {
    let no_digest = image.split('@').next().unwrap_or(image);
    let no_tag = match no_digest.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => n,
        _ => no_digest,
    };
    let mut parts: Vec<&str> = no_tag.split('/').collect();
    if parts.len() > 1 && (parts[0].contains('.') || parts[0].contains(':') || parts[0] == "localhost") {
        parts.remove(0);
    }
    if parts.first() == Some(&"library") {
        parts.remove(0);
    }
    parts.join("/")
}

/// Compiles what a container runs: its command and args, or the image's default.
pub fn compile(argv: &[String], ctx: &Context) -> Vec<Op> {
    if argv.is_empty() {
        let repo = repository(&ctx.image);
        if repo == "hello-world" {
            return vec![
                Op::Log("".into()),
                Op::Log("Hello from Docker!".into()),
                Op::Log("This message shows that your installation appears to be working correctly.".into()),
                Op::Exit(0),
            ];
        }
        if SHELL_IMAGES.contains(&repo.as_str()) {
            return vec![Op::Exit(0)];
        }
        if repo == "nginx" {
            return vec![
                Op::Log("/docker-entrypoint.sh: Configuration complete; ready for start up".into()),
                Op::Forever,
            ];
        }
        return vec![Op::Forever];
    }
    let first = argv[0].rsplit('/').next().unwrap_or("");
    let known =
        ["sh", "bash", "ash", "echo", "sleep", "exit", "true", "false", "printenv", "env", "hostname", "date", "tail"];
    if !known.contains(&first) {
        return vec![Op::Forever]; // the image's own program: a long-running server
    }
    let mut ops = compile_command(argv, ctx);
    if !ops.iter().any(|o| matches!(o, Op::Exit(_) | Op::Forever | Op::Jump(_))) {
        ops.push(Op::Exit(-1)); // end of program: exit with the last status
    }
    ops
}

/// A running simulated process.
#[derive(Debug, Clone)]
pub struct Script {
    ops: Vec<Op>,
    pc: usize,
    /// The process's own clock: how far it has run.
    t: SimTime,
    status: i32,
    sleeping_until: Option<SimTime>,
    slept_since_jump: bool,
    pub exited: Option<(SimTime, i32)>,
}

impl Script {
    /// Starts `ops` at `now`.
    pub fn new(ops: Vec<Op>, now: SimTime) -> Script {
        Script { ops, pc: 0, t: now, status: 0, sleeping_until: None, slept_since_jump: false, exited: None }
    }

    /// Runs up to `now`; returns the log lines written, with when.
    pub fn run_until(&mut self, now: SimTime) -> Vec<(SimTime, String)> {
        let mut logs = Vec::new();
        for _ in 0..STEP_BUDGET {
            if self.exited.is_some() {
                break;
            }
            if let Some(until) = self.sleeping_until {
                if until > now {
                    break;
                }
                self.t = until;
                self.sleeping_until = None;
            }
            let Some(op) = self.ops.get(self.pc).cloned() else {
                self.exited = Some((self.t, self.status));
                break;
            };
            self.pc += 1;
            match op {
                Op::Log(line) if line == "\u{0}date" => logs.push((self.t, busybox_date(self.t))),
                Op::Log(line) => logs.push((self.t, line)),
                Op::Sleep(d) => {
                    self.sleeping_until = Some(self.t + d);
                    self.slept_since_jump = true;
                }
                Op::Forever => {
                    self.pc -= 1;
                    break;
                }
                Op::Exit(code) => {
                    let code = if code < 0 { self.status } else { code };
                    self.exited = Some((self.t, code));
                }
                Op::Status(s) => self.status = s,
                Op::Jump(to) => {
                    self.pc = to;
                    if !self.slept_since_jump {
                        self.sleeping_until = Some(self.t + BUSY_TURN);
                    }
                    self.slept_since_jump = false;
                }
            }
        }
        logs
    }

    /// When the process next needs to run.
    pub fn next_wakeup(&self) -> Option<SimTime> {
        if self.exited.is_some() {
            return None;
        }
        self.sleeping_until
    }
}

/// `date` as busybox prints it: `Wed Jan  1 00:00:05 UTC 2025`.
pub fn busybox_date(t: SimTime) -> String {
    let text = t.to_rfc3339(); // 2025-01-01T00:00:05Z
    let (y, m, d) = (&text[0..4], &text[5..7], &text[8..10]);
    let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        [m.parse::<usize>().unwrap_or(1) - 1];
    let days = (crate::sim::time::EPOCH_UNIX_SECS + t.as_millis() / 1000) / 86_400;
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    format!("{weekday} {month} {:>2} {} UTC {y}", d.trim_start_matches('0'), &text[11..19])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(argv: &[&str], secs: u64) -> (Vec<String>, Option<(SimTime, i32)>) {
        let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
        let ctx = Context {
            env: [("GREETING".to_string(), "hi".to_string())].into(),
            hostname: "web-1".into(),
            image: "busybox".into(),
        };
        let mut s = Script::new(compile(&argv, &ctx), SimTime::ZERO);
        let logs = s.run_until(SimTime::from_secs(secs));
        (logs.into_iter().map(|(_, l)| l).collect(), s.exited)
    }

    #[test]
    fn echo_then_sleep_logs_and_keeps_running() {
        let (logs, exited) = run(&["sh", "-c", "echo hello; sleep 3600"], 60);
        assert_eq!(logs, ["hello"]);
        assert_eq!(exited, None);
    }

    #[test]
    fn exit_one_terminates_with_code_one() {
        assert_eq!(run(&["sh", "-c", "echo bye && exit 1"], 1).1, Some((SimTime::ZERO, 1)));
        assert_eq!(run(&["sh", "-c", "sleep 5; exit 3"], 10).1, Some((SimTime::from_secs(5), 3)));
    }

    #[test]
    fn while_loop_with_sleep_never_hangs() {
        let (logs, exited) = run(&["sh", "-c", "while true; do echo $GREETING from $(hostname); sleep 5; done"], 60);
        assert_eq!(logs.len(), 13);
        assert_eq!(exited, None);
        let (logs, _) = run(&["sh", "-c", "while true; do echo spin; done"], 10);
        assert_eq!(logs.len(), 11, "a busy loop is charged a second per turn");
    }

    #[test]
    fn for_loop_runs_its_body_per_item() {
        let (logs, exited) = run(&["sh", "-c", "for i in 1 2 3; do echo n=$i; done"], 1);
        assert_eq!(logs, ["n=1", "n=2", "n=3"]);
        assert_eq!(exited.map(|e| e.1), Some(0));
    }

    #[test]
    fn busybox_without_command_exits_immediately_and_servers_run() {
        let ctx = Context { image: "busybox:1.36".into(), ..Context::default() };
        let mut s = Script::new(compile(&[], &ctx), SimTime::ZERO);
        s.run_until(SimTime::ZERO);
        assert_eq!(s.exited, Some((SimTime::ZERO, 0)));
        let ctx = Context { image: "nginx:1.27".into(), ..Context::default() };
        let mut s = Script::new(compile(&[], &ctx), SimTime::ZERO);
        assert_eq!(s.run_until(SimTime::from_secs(100)).len(), 1);
        assert_eq!(s.exited, None);
    }

    #[test]
    fn printenv_prints_requested_vars_and_unknown_commands_are_127() {
        assert_eq!(run(&["printenv", "GREETING"], 1), (vec!["hi".to_string()], Some((SimTime::ZERO, 0))));
        let (logs, exited) = run(&["sh", "-c", "frobnicate"], 1);
        assert_eq!(logs, ["sh: frobnicate: not found"]);
        assert_eq!(exited.unwrap().1, 127);
    }

    #[test]
    fn date_reads_like_busybox() {
        assert_eq!(busybox_date(SimTime::from_secs(5)), "Wed Jan  1 00:00:05 UTC 2025");
    }
}
