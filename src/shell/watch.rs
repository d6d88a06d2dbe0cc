//! `watch` on the learner's machine (procps-ng's): runs a command every `-n` seconds and shows
//! its output as one screen under a header, until Ctrl+C. Courses type it beside `kubectl get
//! -w` to see pods come and go: `watch kubectl get pods`, `watch -n 1 'kubectl get pods -o
//! wide'`.
//!
//! The terminal runs the command (see `Terminal::poll_stream`); this module owns the options,
//! the timing and the screen.
//!
//! SIM: seconds are the cluster's simulated seconds, so a paused clock holds the screen still.
//! The command runs as `sh -c` would, with the terminal's variables and files but not its
//! aliases; a command it runs that changes the cluster (`watch kubectl scale …`) is not part of
//! a shared scenario, which records only the lines typed. `-d` is taken but changes are not
//! highlighted (the terminal has no colours); `-b`, `-c`, `-p`, `-r`, `-w` are taken and
//! change nothing here. When it stops, the last screen stays in the scrollback (a real terminal
//! restores what was there before).

use std::time::Duration;

use super::Output;
use crate::sim::time::SimTime;

const USAGE: &str = "
Usage:
 watch [options] command

Options:
  -b, --beep             beep if command has a non-zero exit
  -c, --color            interpret ANSI color and style sequences
  -C, --no-color         do not interpret ANSI color and style sequences
  -d, --differences[=<permanent>]
                         highlight changes between updates
  -e, --errexit          exit if command has a non-zero exit
  -g, --chgexit          exit when output from command changes
  -q, --equexit <cycles>
                         exit when output from command does not change
  -n, --interval <secs>  seconds to wait between updates
  -p, --precise          attempt run command in precise intervals
  -r, --no-rerun         do not rerun program on window resize
  -t, --no-title         turn off header
  -w, --no-wrap          turn off line wrapping
  -x, --exec             pass command to exec instead of \"sh -c\"

 -h, --help     display this help and exit
 -v, --version  output version information and exit

For more details see watch(1).
";

const VERSION: &str = "watch from procps-ng 4.0.4\n";

/// The shortest interval watch takes (it raises shorter ones to this).
const MIN_INTERVAL_MS: u64 = 100;

/// A running `watch`.
#[derive(Debug, Clone)]
pub struct Watch {
    /// What runs each time, as `sh -c` takes it.
    pub command: String,
    /// The command as the header shows it: its arguments joined by spaces.
    title: String,
    interval: Duration,
    /// When the command runs next.
    pub next_at: SimTime,
    show_title: bool,
    exit_on_change: bool,
    exit_on_error: bool,
    /// Stop after the output stayed the same this many runs in a row (`-q`).
    exit_on_same: Option<u32>,
    same_runs: u32,
    last: Option<String>,
}

/// What one run of the command gave the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The whole screen: header, blank line, output.
    pub screen: String,
    /// Watch stopped after this run (`-g`, `-e`, `-q`); what it said as it stopped.
    pub ended: Option<String>,
}

fn usage_error(msg: &str) -> Output {
    Output::err(format!("watch: {msg}\n{USAGE}"), 1)
}

/// Parses `watch`'s arguments (`argv[0]` is `watch`). `tty`: a person's terminal, which watch
/// needs; `repeat_ok`: the command is alone on its line, so it may go on after the line returns.
pub fn start(argv: &[String], tty: bool, repeat_ok: bool, now: SimTime) -> Output {
    let mut w = Watch {
        command: String::new(),
        title: String::new(),
        interval: Duration::from_secs(2),
        next_at: now,
        show_title: true,
        exit_on_change: false,
        exit_on_error: false,
        exit_on_same: None,
        same_runs: 0,
        last: None,
    };
    let mut exec = false;
    let mut i = 1;
    // Options come before the command; the first word that is not one starts it.
    while let Some(arg) = argv.get(i) {
        let a = arg.as_str();
        if a == "--" {
            i += 1;
            break;
        }
        if !a.starts_with('-') || a == "-" {
            break;
        }
        let (name, inline): (&str, Option<String>) = if let Some(long) = a.strip_prefix("--") {
            match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            }
        } else {
            // Short options cluster (`-tn1`); one that takes a value takes the rest or the next word.
            let mut taken = None;
            let mut flag = String::new();
            for (at, c) in a[1..].char_indices() {
                match c {
                    'n' | 'q' => {
                        let rest = &a[1 + at + 1..];
                        flag = c.to_string();
                        taken = Some(rest.to_string()).filter(|r| !r.is_empty());
                        break;
                    }
                    'b' | 'c' | 'C' | 'd' | 'e' | 'g' | 'p' | 'r' | 't' | 'w' | 'x' => {
                        if let Some(out) = set_flag(&mut w, &mut exec, c) {
                            return out;
                        }
                    }
                    'h' => return Output::ok(USAGE.trim_start()),
                    'v' => return Output::ok(VERSION),
                    _ => return usage_error(&format!("invalid option -- '{c}'")),
                }
            }
            if flag.is_empty() {
                i += 1;
                continue;
            }
            let value = match taken {
                Some(v) => v,
                None => {
                    i += 1;
                    match argv.get(i) {
                        Some(v) => v.clone(),
                        None => return usage_error(&format!("option requires an argument -- '{flag}'")),
                    }
                }
            };
            if let Some(out) = set_value(&mut w, &flag, &value) {
                return out;
            }
            i += 1;
            continue;
        };
        let short = match name {
            "beep" => 'b',
            "color" => 'c',
            "no-color" => 'C',
            "differences" => 'd',
            "errexit" => 'e',
            "chgexit" => 'g',
            "precise" => 'p',
            "no-rerun" => 'r',
            "no-title" => 't',
            "no-wrap" => 'w',
            "exec" => 'x',
            "help" => return Output::ok(USAGE.trim_start()),
            "version" => return Output::ok(VERSION),
            "interval" | "equexit" => {
                let value = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        match argv.get(i) {
                            Some(v) => v.clone(),
                            None => return usage_error(&format!("option '--{name}' requires an argument")),
                        }
                    }
                };
                let flag = if name == "interval" { "n" } else { "q" };
                if let Some(out) = set_value(&mut w, flag, &value) {
                    return out;
                }
                i += 1;
                continue;
            }
            _ => return usage_error(&format!("unrecognized option '--{name}'")),
        };
        if let Some(out) = set_flag(&mut w, &mut exec, short) {
            return out;
        }
        i += 1;
    }
    let words = &argv[i.min(argv.len())..];
    if words.is_empty() {
        return Output::err(USAGE.trim_start(), 1);
    }
    w.title = words.join(" ");
    // `-x` runs the words as they are; `sh -c` is given them joined, as watch joins them.
    w.command = if exec { words.iter().map(|s| quote(s)).collect::<Vec<_>>().join(" ") } else { w.title.clone() };
    if !tty {
        // ncurses cannot start without a terminal: what watch says in a script or a pipe.
        return Output::err("Error opening terminal: unknown.\n", 1);
    }
    if !repeat_ok {
        // SIM: typed at the page with a pipe, redirection or `;`, watch would hold the line
        // until Ctrl+C; the terminal runs such a line to its end, so this says why it did not start.
        return Output::err("watch: in the sandbox's terminal, watch runs only as the one command on its line\n", 1);
    }
    Output { stream: Some(Box::new(super::Stream::Repeat(Box::new(w)))), ..Output::default() }
}

fn set_flag(w: &mut Watch, exec: &mut bool, c: char) -> Option<Output> {
    match c {
        'e' => w.exit_on_error = true,
        'g' => w.exit_on_change = true,
        't' => w.show_title = false,
        'x' => *exec = true,
        _ => {}
    }
    None
}

fn set_value(w: &mut Watch, flag: &str, value: &str) -> Option<Output> {
    let bad = || Some(Output::err(format!("watch: failed to parse argument: '{value}'\n"), 1));
    if flag == "q" {
        match value.parse::<u32>() {
            Ok(n) => w.exit_on_same = Some(n.max(1)),
            Err(_) => return bad(),
        }
        return None;
    }
    // procps reads a decimal number (a comma as the point too: `-n 0,5`; blanks before it) and
    // raises anything under 0.1 to 0.1, a negative number too.
    // SIM: an interval is at most 31 days here (procps takes up to about 136 years).
    let text = value.trim_start().replace(',', ".");
    let digits = text.strip_prefix(['-', '+']).unwrap_or(&text);
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') || digits.matches('.').count() > 1 {
        return bad();
    }
    let secs: f64 = if digits == "." { 0.0 } else { digits.parse().unwrap_or(0.0) };
    let secs = if text.starts_with('-') { 0.0 } else { secs };
    let ms = ((secs * 1000.0).round() as u64).clamp(MIN_INTERVAL_MS, 31 * 24 * 3600 * 1000);
    w.interval = Duration::from_millis(ms);
    None
}

/// A word as `sh -c` reads it back.
fn quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

impl Watch {
    /// Whether the command is due at `now`.
    pub fn due(&self, now: SimTime) -> bool {
        now >= self.next_at
    }

    /// The screen after a run at `now` that printed `shown` and exited with `status`, on a
    /// terminal `columns` wide at `hostname`; schedules the next run.
    pub fn frame(&mut self, now: SimTime, hostname: &str, columns: usize, shown: &str, status: i32) -> Frame {
        self.next_at = now + self.interval;
        let mut screen = String::new();
        if self.show_title {
            screen.push_str(&self.header(now, hostname, columns));
            screen.push_str("\n\n");
        }
        screen.push_str(shown);
        let changed = self.last.as_deref().is_some_and(|l| l != shown);
        let same = self.last.as_deref() == Some(shown);
        self.same_runs = if same { self.same_runs + 1 } else { 0 };
        self.last = Some(shown.to_string());
        let ended = if self.exit_on_error && status != 0 {
            Some("command exit with a non-zero status, press a key to exit\n".to_string())
        } else if (self.exit_on_change && changed) || self.exit_on_same.is_some_and(|n| self.same_runs >= n) {
            Some(String::new())
        } else {
            None
        };
        Frame { screen, ended }
    }

    /// `Every 2.0s: COMMAND` at the left, `HOST: DATE` at the right, in `columns`.
    fn header(&self, now: SimTime, hostname: &str, columns: usize) -> String {
        let left = format!("Every {:.1}s: ", self.interval.as_secs_f64());
        let right = format!("{hostname}: {}", crate::sim::process::builtins::format_date(now, "%a %b %e %H:%M:%S %Y"));
        let room = columns.saturating_sub(left.chars().count() + right.chars().count() + 1);
        let title: String = if self.title.chars().count() > room {
            // Cut to fit, ending in "...", as watch clips a long command.
            let keep = room.saturating_sub(3);
            format!("{}...", self.title.chars().take(keep).collect::<String>())
        } else {
            self.title.clone()
        };
        let used = left.chars().count() + title.chars().count() + right.chars().count();
        let pad = columns.saturating_sub(used).max(1);
        format!("{left}{title}{}{right}", " ".repeat(pad))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    fn watch(line: &str) -> Watch {
        match start(&argv(line), true, true, SimTime::ZERO).stream.map(|s| *s) {
            Some(super::super::Stream::Repeat(w)) => *w,
            _ => panic!("{line}: no watch"),
        }
    }

    #[test]
    fn options_interval_and_the_header() {
        let mut w = watch("watch -n 1 kubectl get pods");
        assert_eq!((w.title.as_str(), w.interval), ("kubectl get pods", Duration::from_secs(1)));
        let f = w.frame(SimTime::from_secs(5), "learner-laptop", 80, "No resources found in default namespace.\n", 0);
        assert_eq!(
            f.screen,
            "Every 1.0s: kubectl get pods            learner-laptop: Wed Jan  1 00:00:05 2025\n\n\
             No resources found in default namespace.\n"
        );
        assert_eq!(f.screen.lines().next().unwrap().len(), 80);
        assert_eq!(w.next_at, SimTime::from_secs(6));
        assert_eq!(watch("watch -tn0.5 date").interval, Duration::from_millis(500));
        assert_eq!(watch("watch --interval=0.01 date").interval, Duration::from_millis(100));
        assert_eq!(watch("watch -n -1 date").interval, Duration::from_millis(100));
        assert_eq!(watch("watch -n 0,5 date").interval, Duration::from_millis(500));
        assert_eq!(start(&argv("watch -n 1e2 date"), true, true, SimTime::ZERO).status, 1);
        assert!(!watch("watch -t date").show_title);
        assert_eq!(watch("watch -x echo a;b").command, "echo 'a;b'");
    }

    #[test]
    fn errors_as_procps_words_them() {
        let out = start(&argv("watch -n abc date"), true, true, SimTime::ZERO);
        assert_eq!((out.stderr.as_str(), out.status), ("watch: failed to parse argument: 'abc'\n", 1));
        let out = start(&argv("watch -z date"), true, true, SimTime::ZERO);
        assert!(out.stderr.starts_with("watch: invalid option -- 'z'\n\nUsage:\n watch [options] command\n"));
        assert_eq!(start(&argv("watch"), true, true, SimTime::ZERO).status, 1);
        assert_eq!(start(&argv("watch -v"), true, true, SimTime::ZERO).stdout, VERSION);
        let out = start(&argv("watch date"), false, false, SimTime::ZERO);
        assert_eq!(out.stderr, "Error opening terminal: unknown.\n");
    }

    #[test]
    fn chgexit_stops_when_the_output_changes_and_a_long_command_is_cut() {
        let mut w = watch("watch -g kubectl get pods -o wide --show-labels --all-namespaces --sort-by=.metadata.name");
        assert_eq!(w.frame(SimTime::ZERO, "h", 60, "a\n", 0).ended, None);
        assert_eq!(w.frame(SimTime::from_secs(2), "h", 60, "a\n", 0).ended, None);
        let f = w.frame(SimTime::from_secs(4), "h", 60, "b\n", 0);
        assert_eq!(f.ended, Some(String::new()));
        let header = f.screen.lines().next().unwrap();
        assert!(header.starts_with("Every 2.0s: kubectl get pods ... h: Wed Jan  1"), "{header}");
        assert!(header.chars().count() <= 60, "{header}");
    }
}
