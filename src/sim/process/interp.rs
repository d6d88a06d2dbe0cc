//! The interpreter: runs a parsed script as a resumable machine — a stack of frames that
//! survives suspension — and the [`Process`] the kubelet drives with `run_until`.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use std::time::Duration;

use super::parser::{self, Cmd, Part, Redir, VarOp, Word};
use super::{ContainerEnv, Files, Network, Order, ProcessEvent, Stream};
use crate::sim::time::SimTime;

/// Steps one `run_until` may take.
const STEP_BUDGET: u64 = 20_000;
/// Steps a `$(…)` or pipeline stage may take in all before it is stopped.
const SUB_STEP_BUDGET: u64 = 50_000;
/// Steps without a pause that make one slice of busy CPU time.
const BUSY_STEPS: u64 = 1_000;
/// Simulated time one busy slice takes.
// SIM: a real busy loop runs as fast as the CPU lets it; ours runs BUSY_STEPS commands per
// simulated second, and when the host's budget for one call runs out before the process has
// caught up with the clock, it skips ahead, as if throttled by its CPU limit.
const BUSY_SLICE: Duration = Duration::from_secs(1);
/// Longest log line kept whole. The container runtime writes a line over 16 KiB as partial
/// records that the kubelet joins again, so `kubectl logs` shows it whole; a line without end
/// longer than this is written in lines of this size, so nothing is lost and memory is bounded.
pub const MAX_LINE: usize = 1024 * 1024;
/// Most bytes a `$(…)`, a pipe or a command's output may hold (`seq 200000`, 1.3 MB, fits);
/// a cut is said on stderr.
pub const MAX_CAPTURE: usize = 4 * 1024 * 1024;
/// Most bytes all files together may hold (a write past it fails as on a full disk).
pub const MAX_FILES_BYTES: usize = 8 * 1024 * 1024;
/// Deepest nesting of substitutions, functions and nested shells at run time.
const MAX_CALL_DEPTH: usize = 32;
/// Subshells (pipeline stages, `$(…)`) one run of the machine may start, as `ulimit -u` caps
/// a user's processes: `f() { f | f; }; f` would otherwise start 2³² of them.
// SIM: bash counts processes alive at once; ours run one after another, so we count them all.
pub const MAX_FORKS: u64 = 2_000;
/// Deepest nesting of function calls, as bash with `FUNCNEST=1000`.
const MAX_FUNC_NEST: usize = 1_000;
/// Steps all the subshells of one run may take together (each also has [`SUB_STEP_BUDGET`]):
/// without it, subshells that start subshells multiply their budgets.
const ALL_SUBS_STEP_BUDGET: u64 = 1_000_000;

/// Where a file descriptor writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Sink {
    Log(Stream),
    Capture,
    File(String),
    Null,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Fds {
    pub out: Sink,
    pub err: Sink,
}

/// Which ports a serving process listens on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listening {
    /// These ports (the image's).
    Ports(Vec<u16>),
    /// Whatever ports the pod declares (generic images).
    Declared,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    Ready,
    Sleeping(SimTime),
    Blocked,
    Exited(i32),
}

#[derive(Debug, Clone)]
struct Saved {
    vars: BTreeMap<String, String>,
    exported: BTreeSet<String>,
    cwd: String,
    positional: Vec<String>,
}

#[derive(Debug, Clone)]
enum Frame {
    Run(Rc<Cmd>),
    Seq(Rc<Cmd>, usize),
    AndRhs(Rc<Cmd>),
    OrRhs(Rc<Cmd>),
    IfCond(Rc<Cmd>, usize),
    LoopCond(Rc<Cmd>),
    LoopBody(Rc<Cmd>),
    For {
        var: String,
        items: Vec<String>,
        idx: usize,
        body: Rc<Cmd>,
    },
    Negate,
    RestoreFds(Fds),
    RestoreStdin(Option<Input>),
    /// A subshell or nested shell: `exit` ends here; state is restored.
    Scope(Box<Saved>),
    /// A function call: `return` ends here.
    Func(Vec<String>),
}

/// How control leaves frames (`exit`, `return`, `break`, `continue`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Jump {
    Exit,
    Return,
    Break(u32),
    Continue(u32),
}

/// What a command reads on stdin: an open pipe or file. Copies share the read position, as
/// file descriptors do, so the copy a command keeps to restore after it (see `RestoreStdin`)
/// does not undo what `read` consumed (a `while read` loop read its first line for ever), and
/// reading never copies the rest (it did once per line: quadratic over a large pipe).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Input {
    text: Rc<str>,
    pos: Rc<std::cell::Cell<usize>>,
}

impl Input {
    /// The next line without its newline (the last may lack one); None at the end.
    pub fn read_line(&mut self) -> Option<String> {
        let rest = &self.text[self.pos.get()..];
        if rest.is_empty() {
            return None;
        }
        let (line, used) = rest.find('\n').map_or((rest, rest.len()), |i| (&rest[..i], i + 1));
        let line = line.to_string();
        self.pos.set(self.pos.get() + used);
        Some(line)
    }
}

impl std::ops::Deref for Input {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text[self.pos.get()..]
    }
}

impl From<String> for Input {
    fn from(text: String) -> Input {
        Input { text: text.into(), pos: Rc::default() }
    }
}

impl From<Input> for String {
    fn from(input: Input) -> String {
        input.to_string()
    }
}

/// A limit of the sandbox that cut a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    Capture,
    Disk,
}

/// The longest start of `text` within `room` bytes, cut at a character boundary.
fn fitting(text: &str, room: usize) -> &str {
    let mut n = room.min(text.len());
    while !text.is_char_boundary(n) {
        n -= 1;
    }
    &text[..n]
}

/// The interpreter's state: variables, files, frames, output.
#[derive(Debug, Clone)]
pub(super) struct Machine {
    frames: Vec<Frame>,
    pub vars: BTreeMap<String, String>,
    pub exported: BTreeSet<String>,
    pub positional: Vec<String>,
    pub funcs: BTreeMap<String, Rc<Cmd>>,
    /// `alias name=value`: replaces a command's first word.
    pub aliases: BTreeMap<String, String>,
    /// The terminal's lines, for `history` (empty in a container).
    pub history: Rc<History>,
    pub status: i32,
    pub fds: Fds,
    pub stdin: Option<Input>,
    pub env: ContainerEnv,
    pub clock: SimTime,
    state: State,
    pub events: Vec<ProcessEvent>,
    partial: [String; 2],
    pub captured: String,
    /// Time a finished substitution spent sleeping, to wait out after the current command.
    pub pending_delay: Duration,
    /// A substitution blocked for ever: so does the process.
    pub pending_block: bool,
    /// Set by `sleep`/`__serve`: suspend after the current command.
    pub suspend: Option<State>,
    pub jump: Option<Jump>,
    pub memory: u64,
    pub listening: Option<Listening>,
    /// Signals the script set a `trap` for (`TERM`, `INT`), by name without `SIG`.
    pub trapped: BTreeSet<String>,
    /// The program's variables and the time when it began serving (its answers read them).
    pub served: Option<(BTreeMap<String, String>, SimTime)>,
    pub call_depth: usize,
    /// Subshells started in this run (see [`MAX_FORKS`]), carried into and out of each one.
    pub forks: u64,
    /// Steps taken by subshells in this run, carried like `forks` ([`ALL_SUBS_STEP_BUDGET`]).
    pub sub_steps: u64,
    pub rng: u64,
    steps_since_pause: u64,
    /// Steps since the process last suspended (never reset by busy slices).
    since_suspend: u64,
    /// Whether writes go to the log as lines (a process) or into `captured` (a one-shot run).
    pub capture_all: bool,
    pub stderr_text: String,
    /// How the writes to `captured` and `stderr_text` were interleaved.
    pub order: Order,
    /// A limit's cut was said during this command (said once per command).
    cut_said: bool,
    /// Writing the message about a cut, which may go a few bytes over the limit.
    unbounded: bool,
}

/// Shell overhead a process reports before its program allocates anything.
const SHELL_MEMORY: u64 = 512 * 1024;

impl Machine {
    pub(super) fn new(env: ContainerEnv, now: SimTime) -> Machine {
        let mut vars = env.env.clone();
        vars.insert("PWD".into(), env.working_dir.clone());
        let exported = vars.keys().cloned().collect();
        let seed = env
            .hostname
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        Machine {
            frames: Vec::new(),
            vars,
            exported,
            positional: vec!["sh".into()],
            funcs: BTreeMap::new(),
            aliases: BTreeMap::new(),
            history: Rc::default(),
            status: 0,
            fds: Fds { out: Sink::Log(Stream::Stdout), err: Sink::Log(Stream::Stderr) },
            stdin: None,
            env,
            clock: now,
            state: State::Ready,
            events: Vec::new(),
            partial: [String::new(), String::new()],
            captured: String::new(),
            pending_delay: Duration::ZERO,
            pending_block: false,
            suspend: None,
            jump: None,
            memory: SHELL_MEMORY,
            listening: None,
            trapped: BTreeSet::new(),
            served: None,
            call_depth: 0,
            forks: 0,
            sub_steps: 0,
            rng: seed,
            steps_since_pause: 0,
            since_suspend: 0,
            capture_all: false,
            stderr_text: String::new(),
            order: Order::default(),
            cut_said: false,
            unbounded: false,
        }
    }

    // ---- output ----

    /// Writes `text` to file descriptor 1 or 2. What a limit of the sandbox cuts is said on
    /// stderr, once per command, and what fits is kept: never silently dropped.
    pub fn write(&mut self, fd: u8, text: &str) {
        if let Some(limit) = self.write_within(fd, text) {
            if !self.cut_said {
                self.cut_said = true;
                let shell = if self.env.bash_style { "bash" } else { "sh" };
                let message = match limit {
                    // bash's words for a full disk; the "disk" is the sandbox's files.
                    Limit::Disk => format!(
                        "{shell}: write error: No space left on device (the sandbox keeps at most {} MiB of files)\n",
                        MAX_FILES_BYTES >> 20
                    ),
                    // SIM: a real pipe or `$(…)` has no size limit; ours hold MAX_CAPTURE.
                    Limit::Capture => format!(
                        "{shell}: output cut at {} MiB: a pipe, a $(…) or a command's output holds at most that in this sandbox\n",
                        MAX_CAPTURE >> 20
                    ),
                };
                // Said even where the output is full (`2>&1 |`): a few bytes over the limit.
                self.unbounded = true;
                self.write_within(2, &message);
                self.unbounded = false;
            }
        }
    }

    /// Writes what fits; says which limit cut the rest, if one did.
    fn write_within(&mut self, fd: u8, text: &str) -> Option<Limit> {
        let sink = if fd == 2 { self.fds.err.clone() } else { self.fds.out.clone() };
        let room = |used: usize, limit: usize, unbounded: bool| {
            if unbounded {
                usize::MAX
            } else {
                limit.saturating_sub(used)
            }
        };
        match sink {
            Sink::Null => None,
            Sink::Capture => {
                let kept = fitting(text, room(self.captured.len(), MAX_CAPTURE, self.unbounded));
                self.captured.push_str(kept);
                self.order.note(Stream::Stdout, kept.len());
                (kept.len() < text.len()).then_some(Limit::Capture)
            }
            Sink::File(path) => {
                let total: usize = self.env.files.values().map(String::len).sum();
                let kept = fitting(text, room(total, MAX_FILES_BYTES, self.unbounded));
                self.env.files.entry(path).or_default().push_str(kept);
                (kept.len() < text.len()).then_some(Limit::Disk)
            }
            Sink::Log(stream) if self.capture_all => {
                let buf = if stream == Stream::Stderr { &mut self.stderr_text } else { &mut self.captured };
                let kept = fitting(text, room(buf.len(), MAX_CAPTURE, self.unbounded));
                buf.push_str(kept);
                self.order.note(stream, kept.len());
                (kept.len() < text.len()).then_some(Limit::Capture)
            }
            Sink::Log(stream) => {
                let i = stream as usize;
                for ch in text.chars() {
                    if ch == '\n' {
                        let line = std::mem::take(&mut self.partial[i]);
                        self.events.push(ProcessEvent::Log { at: self.clock, stream, line });
                    } else {
                        if self.partial[i].len() >= MAX_LINE {
                            let line = std::mem::take(&mut self.partial[i]);
                            self.events.push(ProcessEvent::Log { at: self.clock, stream, line });
                        }
                        self.partial[i].push(ch);
                    }
                }
                None
            }
        }
    }

    /// `sh: …` on stderr.
    pub fn error(&mut self, msg: &str) {
        let shell = if self.env.bash_style { "bash" } else { "sh" };
        self.write(2, &format!("{shell}: {msg}\n"));
    }

    fn flush_partial(&mut self) {
        for (i, stream) in [(0, Stream::Stdout), (1, Stream::Stderr)] {
            if !self.partial[i].is_empty() {
                let line = std::mem::take(&mut self.partial[i]);
                self.events.push(ProcessEvent::Log { at: self.clock, stream, line });
            }
        }
    }

    // ---- running ----

    /// Runs until `now`, the budget, a suspension or the end. Returns the steps taken.
    fn run(&mut self, now: SimTime, budget: u64, net: &mut dyn Network) -> u64 {
        let mut steps = 0;
        loop {
            match self.state {
                State::Exited(_) | State::Blocked => return steps,
                State::Sleeping(t) if t > now => return steps,
                State::Sleeping(t) => {
                    self.clock = self.clock.max(t);
                    self.state = State::Ready;
                }
                State::Ready => {}
            }
            if self.clock > now {
                self.state = State::Sleeping(self.clock);
                return steps;
            }
            if steps >= budget {
                return steps;
            }
            steps += 1;
            self.steps_since_pause += 1;
            self.since_suspend += 1;
            if self.steps_since_pause >= BUSY_STEPS {
                self.steps_since_pause = 0;
                self.clock = self.clock + BUSY_SLICE;
            }
            self.step(net);
        }
    }

    fn finish(&mut self, code: i32) {
        self.flush_partial();
        self.frames.clear();
        self.state = State::Exited(code);
        self.events.push(ProcessEvent::Exit { at: self.clock, code });
    }

    fn step(&mut self, net: &mut dyn Network) {
        if let Some(j) = self.jump.take() {
            self.unwind(j);
            return;
        }
        let Some(frame) = self.frames.pop() else {
            self.finish(self.status);
            return;
        };
        match frame {
            Frame::Run(cmd) => self.start(cmd, net),
            Frame::Seq(cmd, i) => {
                if let Cmd::Seq(items) = &*cmd {
                    if let Some(next) = items.get(i).cloned() {
                        self.frames.push(Frame::Seq(cmd.clone(), i + 1));
                        self.frames.push(Frame::Run(next));
                    }
                }
            }
            Frame::AndRhs(rhs) => {
                if self.status == 0 {
                    self.frames.push(Frame::Run(rhs));
                }
            }
            Frame::OrRhs(rhs) => {
                if self.status != 0 {
                    self.frames.push(Frame::Run(rhs));
                }
            }
            Frame::IfCond(cmd, i) => {
                let Cmd::If(branches, otherwise) = &*cmd else { return };
                if self.status == 0 {
                    self.frames.push(Frame::Run(branches[i].1.clone()));
                } else if let Some((cond, _)) = branches.get(i + 1) {
                    self.frames.push(Frame::IfCond(cmd.clone(), i + 1));
                    self.frames.push(Frame::Run(cond.clone()));
                } else if let Some(e) = otherwise {
                    self.frames.push(Frame::Run(e.clone()));
                } else {
                    self.status = 0;
                }
            }
            Frame::LoopCond(cmd) => {
                let Cmd::Loop { until, body, .. } = &*cmd else { return };
                if (self.status == 0) != *until {
                    self.frames.push(Frame::LoopBody(cmd.clone()));
                    self.frames.push(Frame::Run(body.clone()));
                } else {
                    self.status = 0;
                }
            }
            Frame::LoopBody(cmd) => {
                let Cmd::Loop { cond, .. } = &*cmd else { return };
                self.frames.push(Frame::LoopCond(cmd.clone()));
                self.frames.push(Frame::Run(cond.clone()));
            }
            Frame::For { var, items, idx, body } => {
                if let Some(item) = items.get(idx).cloned() {
                    self.vars.insert(var.clone(), item);
                    self.frames.push(Frame::For { var, items, idx: idx + 1, body: body.clone() });
                    self.frames.push(Frame::Run(body));
                }
            }
            Frame::Negate => self.status = i32::from(self.status == 0),
            Frame::RestoreFds(f) => self.fds = f,
            Frame::RestoreStdin(s) => self.stdin = s,
            Frame::Scope(saved) => self.restore(*saved),
            Frame::Func(pos) => self.positional = pos,
        }
    }

    fn restore(&mut self, s: Saved) {
        self.vars = s.vars;
        self.exported = s.exported;
        self.env.working_dir = s.cwd;
        self.positional = s.positional;
    }

    fn saved(&self) -> Saved {
        Saved {
            vars: self.vars.clone(),
            exported: self.exported.clone(),
            cwd: self.env.working_dir.clone(),
            positional: self.positional.clone(),
        }
    }

    /// Pops frames as `exit`, `return`, `break` or `continue` says.
    fn unwind(&mut self, j: Jump) {
        while let Some(f) = self.frames.pop() {
            match (f, j) {
                (Frame::Scope(saved), Jump::Exit) => {
                    self.restore(*saved);
                    return;
                }
                (Frame::Func(pos), Jump::Return) => {
                    self.positional = pos;
                    return;
                }
                (Frame::Func(pos), Jump::Exit) => self.positional = pos,
                (
                    f @ (Frame::LoopBody(_) | Frame::LoopCond(_) | Frame::For { .. }),
                    Jump::Break(n) | Jump::Continue(n),
                ) if n > 1 => {
                    let _ = f;
                    self.jump = Some(match j {
                        Jump::Break(_) => Jump::Break(n - 1),
                        _ => Jump::Continue(n - 1),
                    });
                    return;
                }
                (Frame::LoopBody(cmd), Jump::Break(_)) | (Frame::LoopCond(cmd), Jump::Break(_)) => {
                    let _ = cmd;
                    self.status = 0;
                    return;
                }
                (Frame::LoopBody(cmd), Jump::Continue(_)) => {
                    self.frames.push(Frame::LoopBody(cmd));
                    return;
                }
                (Frame::For { .. }, Jump::Break(_)) => return,
                (f @ Frame::For { .. }, Jump::Continue(_)) => {
                    self.frames.push(f);
                    return;
                }
                (Frame::RestoreFds(fds), _) => self.fds = fds,
                (Frame::RestoreStdin(s), _) => self.stdin = s,
                (Frame::Scope(saved), _) => self.restore(*saved),
                _ => {}
            }
        }
        if j == Jump::Exit || j == Jump::Return {
            self.finish(self.status);
        }
    }

    fn start(&mut self, cmd: Rc<Cmd>, net: &mut dyn Network) {
        match &*cmd {
            Cmd::Simple { assigns, words, redirs } => {
                self.simple(assigns, words, redirs, net);
                if words.iter().flatten().any(|p| matches!(p, Part::ProcSub(_))) {
                    // The command has read what `<(…)` gave it: the files go with it.
                    let fds: Vec<String> = self
                        .env
                        .files
                        .range("/dev/fd/0".to_string()..)
                        .take_while(|(k, _)| k.starts_with("/dev/fd/"))
                        .map(|(k, _)| k.clone())
                        .collect();
                    for k in fds {
                        self.env.files.remove(&k);
                    }
                }
                self.after_command();
            }
            Cmd::Seq(_) => self.frames.push(Frame::Seq(cmd.clone(), 0)),
            Cmd::And(l, r) => {
                self.frames.push(Frame::AndRhs(r.clone()));
                self.frames.push(Frame::Run(l.clone()));
            }
            Cmd::Or(l, r) => {
                self.frames.push(Frame::OrRhs(r.clone()));
                self.frames.push(Frame::Run(l.clone()));
            }
            Cmd::If(branches, _) => {
                self.frames.push(Frame::IfCond(cmd.clone(), 0));
                self.frames.push(Frame::Run(branches[0].0.clone()));
            }
            Cmd::Loop { cond, .. } => {
                self.frames.push(Frame::LoopCond(cmd.clone()));
                self.frames.push(Frame::Run(cond.clone()));
            }
            Cmd::For { var, words, body } => {
                let items = match words {
                    Some(ws) => self.expand_words(ws, net),
                    None => self.positional.iter().skip(1).cloned().collect(),
                };
                self.status = 0;
                self.frames.push(Frame::For { var: var.clone(), items, idx: 0, body: body.clone() });
            }
            Cmd::Case { word, arms } => {
                let value = self.expand_one(word, net);
                self.status = 0;
                for (pats, body) in arms {
                    for p in pats {
                        let pat = self.pattern_of(p, net);
                        if glob_match(&pat, &value) {
                            self.frames.push(Frame::Run(body.clone()));
                            return;
                        }
                    }
                }
            }
            Cmd::Group(body) => self.frames.push(Frame::Run(body.clone())),
            Cmd::Subshell(body) => {
                self.frames.push(Frame::Scope(Box::new(self.saved())));
                self.frames.push(Frame::Run(body.clone()));
            }
            Cmd::Redirected(body, redirs) => {
                let saved = self.fds.clone();
                let saved_in = self.stdin.clone();
                if self.apply_redirs(redirs, net) {
                    self.frames.push(Frame::RestoreStdin(saved_in));
                    self.frames.push(Frame::RestoreFds(saved));
                    self.frames.push(Frame::Run(body.clone()));
                } else {
                    self.fds = saved;
                    self.status = 1;
                }
            }
            Cmd::Function(name, body) => {
                self.funcs.insert(name.clone(), body.clone());
                self.status = 0;
            }
            Cmd::Pipeline(stages, negate) => {
                if *negate {
                    self.frames.push(Frame::Negate);
                }
                let mut input = self.stdin.clone();
                for stage in &stages[..stages.len() - 1] {
                    let (out, _) = self.run_sub(stage.clone(), input.take(), net);
                    input = Some(out.into());
                }
                self.frames.push(Frame::RestoreStdin(self.stdin.clone()));
                self.stdin = input;
                self.frames.push(Frame::Run(stages[stages.len() - 1].clone()));
            }
        }
    }

    /// After a simple command: wait out what substitutions slept, or suspend as asked.
    fn after_command(&mut self) {
        self.cut_said = false;
        if self.pending_block {
            self.pending_block = false;
            self.suspend = Some(State::Blocked);
        }
        if let Some(s) = self.suspend.take() {
            // A long-lived process starts subshells for ever, pausing between them; a burst
            // without a pause is what the caps on forks and subshell steps are for.
            self.forks = 0;
            self.sub_steps = 0;
            self.steps_since_pause = 0;
            self.since_suspend = 0;
            self.state = match s {
                State::Sleeping(t) => State::Sleeping(t + std::mem::take(&mut self.pending_delay)),
                other => other,
            };
        } else if !self.pending_delay.is_zero() {
            self.steps_since_pause = 0;
            self.since_suspend = 0;
            self.state = State::Sleeping(self.clock + std::mem::take(&mut self.pending_delay));
        }
    }

    /// Runs `cmd` in a subshell to completion now, capturing its stdout; returns the output and
    /// status. Files it writes persist; its variables do not.
    pub fn run_sub(&mut self, cmd: Rc<Cmd>, stdin: Option<Input>, net: &mut dyn Network) -> (String, i32) {
        if self.call_depth >= MAX_CALL_DEPTH {
            // Said once per run (u64::MAX in `forks` marks a refusal said), like the cap below.
            if self.forks != u64::MAX {
                self.error("too many nested substitutions");
                self.forks = u64::MAX;
            }
            return (String::new(), 2);
        }
        self.forks = self.forks.saturating_add(1);
        if self.forks > MAX_FORKS || self.sub_steps >= ALL_SUBS_STEP_BUDGET {
            // bash's words when `ulimit -u` is reached, said once (u64::MAX marks it said):
            // every later fork in this run fails too.
            if self.forks != u64::MAX {
                self.error("fork: retry: Resource temporarily unavailable");
                self.forks = u64::MAX;
            }
            self.status = 254;
            return (String::new(), 254);
        }
        let files = std::mem::take(&mut self.env.files);
        let mut sub = Machine {
            frames: vec![Frame::Run(cmd)],
            vars: self.vars.clone(),
            exported: self.exported.clone(),
            positional: self.positional.clone(),
            funcs: self.funcs.clone(),
            aliases: self.aliases.clone(),
            history: self.history.clone(),
            status: self.status,
            fds: Fds { out: Sink::Capture, err: self.fds.err.clone() },
            stdin,
            env: ContainerEnv { files, ..self.env.clone() },
            clock: self.clock,
            state: State::Ready,
            events: Vec::new(),
            partial: [String::new(), String::new()],
            captured: String::new(),
            pending_delay: Duration::ZERO,
            pending_block: false,
            suspend: None,
            jump: None,
            memory: self.memory,
            listening: None,
            trapped: BTreeSet::new(),
            served: None,
            call_depth: self.call_depth + 1,
            forks: self.forks,
            sub_steps: self.sub_steps,
            rng: self.rng.wrapping_add(1),
            steps_since_pause: 0,
            since_suspend: 0,
            capture_all: self.capture_all,
            stderr_text: String::new(),
            order: Order::default(),
            cut_said: false,
            unbounded: false,
        };
        let start = self.clock;
        let mut budget = SUB_STEP_BUDGET.min(ALL_SUBS_STEP_BUDGET.saturating_sub(self.sub_steps));
        let code = loop {
            let used = sub.run(SimTime::from_millis(u64::MAX), budget, net);
            budget = budget.saturating_sub(used);
            sub.sub_steps = sub.sub_steps.saturating_add(used);
            match sub.state {
                State::Exited(c) => break c,
                State::Blocked => {
                    self.pending_block = true;
                    break 0;
                }
                State::Sleeping(t) => {
                    sub.clock = t;
                    sub.state = State::Ready;
                }
                State::Ready => {}
            }
            if budget == 0 {
                sub.error("substitution stopped: too much work");
                break 137;
            }
        };
        sub.flush_partial();
        self.forks = sub.forks;
        self.sub_steps = sub.sub_steps;
        self.env.files = std::mem::take(&mut sub.env.files);
        self.pending_delay += sub.clock.since(start);
        self.memory = self.memory.max(sub.memory);
        self.stderr_text.push_str(&sub.stderr_text);
        self.order.note(Stream::Stderr, sub.stderr_text.len());
        for ev in sub.events {
            if let ProcessEvent::Log { stream, line, .. } = ev {
                self.events.push(ProcessEvent::Log { at: self.clock, stream, line });
            }
        }
        (sub.captured, code)
    }

    // ---- simple commands ----

    /// The words of a command whose first word is an alias, with the alias's words in its
    /// place (again for an alias that starts with another, never the same one twice); `None`
    /// when no alias applies or its value is more than a simple command.
    fn aliased(&self, words: &[Word]) -> Option<Vec<Word>> {
        let mut out: Vec<Word> = words.to_vec();
        let mut used: Vec<String> = Vec::new();
        while let Some([Part::Lit(t, false)]) = out.first().map(Vec::as_slice) {
            let name = t.clone();
            let Some(value) = self.aliases.get(&name).filter(|_| !used.contains(&name)) else { break };
            let cmd = parser::parse(value).ok()?;
            let cmd = match &*cmd {
                Cmd::Seq(v) if v.len() == 1 => v[0].clone(),
                _ => cmd.clone(),
            };
            let Cmd::Simple { assigns, words: aw, redirs } = &*cmd else { return None };
            if !assigns.is_empty() || !redirs.is_empty() {
                return None;
            }
            used.push(name);
            out.splice(0..1, aw.iter().cloned());
        }
        (!used.is_empty()).then_some(out)
    }

    /// A command whose first word is an alias of more than a simple command (`cd /x && ls`):
    /// its text, then the command's other words quoted.
    fn complex_alias(&self, words: &[Word]) -> Option<String> {
        let Some([Part::Lit(t, false)]) = words.first().map(Vec::as_slice) else { return None };
        self.aliases.get(t).cloned()
    }

    fn simple(&mut self, assigns: &[(String, Word)], words: &[Word], redirs: &[Redir], net: &mut dyn Network) {
        let mut values = Vec::new();
        for (name, w) in assigns {
            values.push((name.clone(), self.expand_one(w, net)));
        }
        let expanded_alias = if self.aliases.is_empty() { None } else { self.aliased(words) };
        if expanded_alias.is_none() && !self.aliases.is_empty() {
            if let Some(text) = self.complex_alias(words) {
                let rest = self.expand_words(&words[1..], net);
                let quoted: Vec<String> = rest.iter().map(|a| format!("'{}'", a.replace('\'', "'\\''"))).collect();
                let script = format!("{text} {}", quoted.join(" "));
                self.status = self.run_here(&script, "alias");
                return;
            }
        }
        let words = expanded_alias.as_deref().unwrap_or(words);
        let argv = self.expand_words(words, net);
        if self.jump.is_some() {
            return;
        }
        if argv.is_empty() {
            let had_sub = assigns.iter().any(|(_, w)| w.iter().any(|p| matches!(p, Part::Sub(..))));
            for (k, v) in std::mem::take(&mut values) {
                self.vars.insert(k, v);
            }
            if !had_sub {
                self.status = 0;
            }
            if redirs.is_empty() {
                return;
            }
        }
        // Restore the descriptors after the command (and after any body it pushes).
        self.frames.push(Frame::RestoreStdin(self.stdin.clone()));
        self.frames.push(Frame::RestoreFds(self.fds.clone()));
        if !self.apply_redirs(redirs, net) {
            self.status = 1;
            return;
        }
        if argv.is_empty() {
            self.status = 0;
            return;
        }
        // Assignments before a command apply to it only.
        let old: Vec<(String, Option<String>)> =
            values.iter().map(|(k, _)| (k.clone(), self.vars.get(k).cloned())).collect();
        let temp_export: Vec<String> =
            values.iter().map(|(k, _)| k.clone()).filter(|k| !self.exported.contains(k)).collect();
        for (k, v) in values {
            self.exported.insert(k.clone());
            self.vars.insert(k, v);
        }
        self.status = self.exec(&argv, net);
        for (k, v) in old {
            match v {
                Some(v) => self.vars.insert(k, v),
                None => self.vars.remove(&k),
            };
        }
        for k in temp_export {
            self.exported.remove(&k);
        }
    }

    /// Sets up redirections; false (with a message) if one fails.
    fn apply_redirs(&mut self, redirs: &[Redir], net: &mut dyn Network) -> bool {
        for r in redirs {
            match r {
                Redir::Dup { fd, to } => {
                    let target = if *to == 2 { self.fds.err.clone() } else { self.fds.out.clone() };
                    if *fd == 2 {
                        self.fds.err = target;
                    } else {
                        self.fds.out = target;
                    }
                }
                Redir::Out { fd, target, append } => {
                    let path = self.expand_one(target, net);
                    let Some(sink) = self.open_for_write(&path, *append) else { return false };
                    if *fd == 2 {
                        self.fds.err = sink;
                    } else {
                        self.fds.out = sink;
                    }
                }
                Redir::Both(target) => {
                    let path = self.expand_one(target, net);
                    let Some(sink) = self.open_for_write(&path, false) else { return false };
                    self.fds.out = sink.clone();
                    self.fds.err = sink;
                }
                Redir::Here(body) => {
                    let text = self.expand_one(body, net);
                    self.stdin = Some(text.into());
                }
                Redir::HereString(word) => {
                    let text = self.expand_one(word, net);
                    self.stdin = Some(format!("{text}\n").into());
                }
                Redir::In(target) => {
                    let path = self.expand_one(target, net);
                    match self.read_file(&path) {
                        Ok(text) => self.stdin = Some(text.into()),
                        Err(e) => {
                            self.error(&format!("can't open {path}: {e}"));
                            return false;
                        }
                    }
                }
            }
        }
        true
    }

    fn open_for_write(&mut self, path: &str, append: bool) -> Option<Sink> {
        if path == "/dev/null" {
            return Some(Sink::Null);
        }
        if path == "/dev/stdout" || path == "/proc/1/fd/1" {
            return Some(Sink::Log(Stream::Stdout));
        }
        if path == "/dev/stderr" || path == "/proc/1/fd/2" {
            return Some(Sink::Log(Stream::Stderr));
        }
        let abs = self.abs(path);
        if self.env.files.contains_key(&format!("{abs}/")) {
            self.error(&format!("can't create {path}: Is a directory"));
            return None;
        }
        if self.env.is_read_only(&abs) {
            self.error(&format!("can't create {path}: Read-only file system"));
            return None;
        }
        if !self.parent_exists(&abs) {
            self.error(&format!("can't create {path}: nonexistent directory"));
            return None;
        }
        let f = self.env.files.entry(abs.clone()).or_default();
        if !append {
            f.clear();
        }
        Some(Sink::File(abs))
    }

    /// `path` made absolute against the working directory, with `.` and `..` resolved.
    pub fn abs(&self, path: &str) -> String {
        absolute_path(&self.env.working_dir, path)
    }

    pub fn parent_exists(&self, abs: &str) -> bool {
        match abs.rsplit_once('/') {
            Some(("", _)) | None => true,
            Some((parent, _)) => self.is_dir(parent),
        }
    }

    pub fn is_dir(&self, abs: &str) -> bool {
        abs == "/" || self.env.files.contains_key(&format!("{}/", abs.trim_end_matches('/')))
    }

    pub fn read_file(&self, path: &str) -> Result<String, &'static str> {
        let abs = self.abs(path);
        match self.env.files.get(&abs) {
            Some(t) => Ok(t.clone()),
            // Every Linux system has it: reading it gives nothing.
            None if abs == "/dev/null" => Ok(String::new()),
            None if self.is_dir(&abs) => Err("Is a directory"),
            None => Err("No such file or directory"),
        }
    }

    /// Runs one command by name: function, builtin, nested shell, image program, or not found.
    pub(super) fn exec(&mut self, argv: &[String], net: &mut dyn Network) -> i32 {
        let name = argv[0].as_str();
        if let Some(body) = self.funcs.get(name).cloned() {
            // Counted only when deep: most scripts never come near it.
            let level = if self.frames.len() > MAX_FUNC_NEST {
                self.frames.iter().filter(|f| matches!(f, Frame::Func(_))).count()
            } else {
                0
            };
            if level >= MAX_FUNC_NEST || self.frames.len() > 10_000 {
                // bash's words when FUNCNEST is reached.
                self.error(&format!("{name}: maximum function nesting level exceeded ({MAX_FUNC_NEST})"));
                return 2;
            }
            let mut pos = vec![self.positional[0].clone()];
            pos.extend(argv[1..].iter().cloned());
            let old = std::mem::replace(&mut self.positional, pos);
            self.frames.push(Frame::Func(old));
            self.frames.push(Frame::Run(body));
            return self.status;
        }
        if let Some(code) = self.builtin(argv, net) {
            return code;
        }
        let cwd = self.env.working_dir.clone();
        let stdin = self.stdin.take();
        if let Some(out) = net.host_command(argv, stdin.as_deref(), &self.env.files, &cwd) {
            self.env.files.extend(out.writes);
            for (stream, text) in out.order.runs(&out.stdout, &out.stderr) {
                self.write(if stream == Stream::Stderr { 2 } else { 1 }, text);
            }
            return out.code;
        }
        self.stdin = stdin;
        let base = name.rsplit('/').next().unwrap_or(name);
        if matches!(base, "sh" | "bash" | "ash" | "dash" | "zsh") && self.env.image.has_shell {
            return self.nested_shell(argv);
        }
        if name.contains('/') {
            let abs = self.abs(name);
            if let Some(text) = self.env.files.get(&abs).cloned() {
                return self.run_file(&abs, &text, argv);
            }
        }
        if let Some(script) = self.env.image.program(name) {
            return self.run_script(script, argv);
        }
        if self.env.image.unknown_runs_server {
            // SIM: a one-shot command (an exec probe, `kubectl exec`) in an image we know nothing
            // of is taken to succeed; as the container's own command it is the image's server.
            if self.capture_all {
                return 0;
            }
            return self.run_script("__serve", argv);
        }
        if self.env.bash_style {
            self.error(&format!("{name}: command not found"));
        } else {
            self.error(&format!("{name}: not found"));
        }
        127
    }

    /// Executes a file of the container (`/scripts/start.sh`, a mounted script): by its `#!`
    /// line's interpreter, a shell script otherwise.
    fn run_file(&mut self, path: &str, text: &str, argv: &[String]) -> i32 {
        let interpreter = text.strip_prefix("#!").and_then(|l| l.lines().next()).unwrap_or("").trim().to_string();
        let mut words = interpreter.split_whitespace();
        let prog = match words.next() {
            Some("/usr/bin/env") | Some("/bin/env") => words.next().unwrap_or(""),
            Some(p) => p,
            None => "",
        };
        let base = prog.rsplit('/').next().unwrap_or(prog);
        let internal = match base {
            b if b.starts_with("python") => Some("__python"),
            "perl" => Some("__perl"),
            "node" | "nodejs" => Some("__node"),
            _ => None,
        };
        if let Some(internal) = internal {
            if self.env.image.program(base).is_none() && !self.env.image.has_shell {
                self.error(&format!("{path}: {prog}: not found"));
                return 127;
            }
            let mut args = vec![internal.to_string(), path.to_string()];
            args.extend(argv[1..].iter().cloned());
            return self.exec_internal(&args);
        }
        if !self.env.image.has_shell {
            self.error(&format!("{path}: not found"));
            return 127;
        }
        let mut pos = vec![path.to_string()];
        pos.extend(argv[1..].iter().cloned());
        let body: String =
            if text.starts_with("#!") { text.lines().skip(1).collect::<Vec<_>>().join("\n") } else { text.to_string() };
        self.run_script_with(&body, pos)
    }

    /// Runs an internal applet (`__python FILE`) with no network.
    fn exec_internal(&mut self, argv: &[String]) -> i32 {
        let args: Vec<&str> = argv[1..].iter().map(String::as_str).collect();
        self.applet(&argv[0], &args, &mut super::NoNetwork).unwrap_or(127)
    }

    /// `sh -c 'script' [name args…]`, `sh file`, or an interactive `sh`.
    fn nested_shell(&mut self, argv: &[String]) -> i32 {
        let mut i = 1;
        while i < argv.len() && argv[i].starts_with('-') && argv[i] != "-c" {
            i += 1;
        }
        if argv.get(i).map(String::as_str) == Some("-c") {
            let Some(script) = argv.get(i + 1) else {
                self.error("-c requires an argument");
                return 2;
            };
            let mut pos: Vec<String> = argv.get(i + 2..).map(|a| a.to_vec()).unwrap_or_default();
            if pos.is_empty() {
                pos.push(argv[0].clone());
            }
            return self.run_script_with(script, pos);
        }
        if let Some(file) = argv.get(i) {
            return match self.read_file(file) {
                Ok(text) => self.run_script_with(&text, argv[i..].to_vec()),
                Err(_) => {
                    self.error(&format!("can't open '{file}': No such file or directory"));
                    2
                }
            };
        }
        match self.stdin.take() {
            Some(text) => self.run_script_with(&text, vec![argv[0].clone()]),
            None if self.env.tty => {
                // SIM: an interactive shell waits for a terminal no one types into.
                self.suspend = Some(State::Blocked);
                0
            }
            None => 0,
        }
    }

    pub(super) fn run_script(&mut self, script: &str, argv: &[String]) -> i32 {
        self.run_script_with(script, argv.to_vec())
    }

    /// Runs `script` in this shell, as `eval` and `source` do: its variables, functions and
    /// working directory are this shell's. `what` prefixes a syntax error (`eval: line 1`).
    pub(super) fn run_here(&mut self, script: &str, what: &str) -> i32 {
        if self.call_depth + self.frames.len() / 16 > MAX_CALL_DEPTH * 8 {
            self.error(&format!("{what}: too deeply nested"));
            return 2;
        }
        match parser::parse(script) {
            Ok(cmd) => {
                self.frames.push(Frame::Run(cmd));
                // The status is the last command's, once it has run; none ran yet.
                0
            }
            Err(e) => {
                self.error(&format!("{what}: {e}"));
                2
            }
        }
    }

    /// Runs `script` as a nested shell with positional parameters `pos` (`$0` first).
    fn run_script_with(&mut self, script: &str, pos: Vec<String>) -> i32 {
        if self.call_depth + self.frames.len() / 16 > MAX_CALL_DEPTH * 8 {
            self.error("too many nested shells");
            return 2;
        }
        match parser::parse(script) {
            Ok(cmd) => {
                let saved = self.saved();
                self.positional = pos;
                self.frames.push(Frame::Scope(Box::new(saved)));
                self.frames.push(Frame::Run(cmd));
                self.status
            }
            Err(e) => {
                self.error(&format!("-c: line 1: {e}"));
                2
            }
        }
    }
}

// ---- expansion ----

impl Machine {
    /// Expands words into fields (splitting unquoted substitutions on whitespace).
    pub fn expand_words(&mut self, words: &[Word], net: &mut dyn Network) -> Vec<String> {
        let mut out = Vec::new();
        for w in words {
            if self.env.bash_style && super::brace::may_expand(w) {
                match super::brace::expand(w) {
                    Ok(expanded) => {
                        for w in &expanded {
                            self.expand_into(w, net, &mut out, true);
                            if out.len() > 100_000 {
                                break;
                            }
                        }
                    }
                    Err(limit) => {
                        // SIM: bash makes every word it is asked for, however many.
                        self.error(&format!("brace expansion: {limit} (a sandbox limit)"));
                        self.status = 1;
                    }
                }
            } else {
                self.expand_into(w, net, &mut out, true);
            }
            if out.len() > 100_000 {
                break;
            }
        }
        out
    }

    /// A word expanded as a pattern (`case` arms, `${v#…}`): what was quoted or escaped in it
    /// matches itself, so its `*`, `?`, `[` and `\\` are escaped for [`glob_match`]; the rest
    /// (and unquoted expansions) keeps its meaning as pattern.
    pub fn pattern_of(&mut self, w: &Word, net: &mut dyn Network) -> String {
        let mut out = String::new();
        for part in w {
            let (text, literal) = match part {
                Part::Lit(t, quoted) => (t.clone(), *quoted),
                Part::Var(_, _, _, quoted) | Part::Sub(_, quoted) => {
                    (self.expand_one(&vec![part.clone()], net), *quoted)
                }
                other => (self.expand_one(&vec![other.clone()], net), true),
            };
            if literal {
                for c in text.chars() {
                    if matches!(c, '*' | '?' | '[' | ']' | '\\') {
                        out.push('\\');
                    }
                    out.push(c);
                }
            } else {
                out.push_str(&text);
            }
        }
        out
    }

    /// Expands a word without field splitting (assignments, redirection targets).
    pub fn expand_one(&mut self, w: &Word, net: &mut dyn Network) -> String {
        let mut out = Vec::new();
        self.expand_into(w, net, &mut out, false);
        out.join(" ")
    }

    fn expand_into(&mut self, w: &Word, net: &mut dyn Network, out: &mut Vec<String>, split: bool) {
        // Tilde expansion: an unquoted `~` opening the word (alone or before `/`) is $HOME.
        let tilde;
        let w = match w.first() {
            Some(Part::Lit(t, false)) if t == "~" || t.starts_with("~/") => {
                let home = self.vars.get("HOME").cloned().unwrap_or_else(|| "/root".into());
                // The home directory is not split or globbed; what follows it still is.
                let mut copy = vec![Part::Lit(home, true)];
                if t.len() > 1 {
                    copy.push(Part::Lit(t[1..].to_string(), false));
                }
                copy.extend(w[1..].iter().cloned());
                tilde = copy;
                &tilde
            }
            _ => w,
        };
        let mut cur = String::new();
        let mut have = false;
        let mut glob = false;
        for part in w {
            match part {
                Part::Lit(s, quoted) => {
                    cur.push_str(s);
                    have |= *quoted || !s.is_empty();
                    glob |= split && !*quoted && s.contains(['*', '?', '[']);
                }
                Part::Var(name, VarOp::Plain, _, true) if name == "@" => {
                    let args: Vec<String> = self.positional.iter().skip(1).cloned().collect();
                    for (i, a) in args.iter().enumerate() {
                        if i > 0 {
                            out.push(std::mem::take(&mut cur));
                        }
                        cur.push_str(a);
                        have = true;
                    }
                }
                Part::Var(name, op, operand, quoted) => {
                    let v = self.var_value(name, *op, operand.as_ref(), net);
                    push_value(&v, *quoted || !split, &mut cur, &mut have, out);
                }
                Part::Sub(cmd, quoted) => {
                    let (o, code) = self.run_sub(cmd.clone(), None, net);
                    self.status = code;
                    push_value(o.trim_end_matches('\n'), *quoted || !split, &mut cur, &mut have, out);
                }
                Part::ProcSub(cmd) => {
                    // SIM: the command runs to its end first and its output is kept in a file
                    // under /dev/fd (bash gives a pipe there, read as the command writes).
                    let (o, _) = self.run_sub(cmd.clone(), None, net);
                    let n =
                        (10..=63).rev().find(|n| !self.env.files.contains_key(&format!("/dev/fd/{n}"))).unwrap_or(63);
                    let path = format!("/dev/fd/{n}");
                    self.env.files.insert("/dev/fd/".into(), String::new());
                    self.env.files.insert(path.clone(), o);
                    push_value(&path, true, &mut cur, &mut have, out);
                }
                Part::Arith(expr) => {
                    // As bash does, `$(…)`, `${…}` and backquotes inside are expanded first.
                    let expanded = if expr.contains('$') || expr.contains('`') {
                        match parser::parse_text(expr) {
                            Ok(word) => self.expand_one(&word, net),
                            Err(_) => expr.clone(),
                        }
                    } else {
                        expr.clone()
                    };
                    let v = match self.arith(&expanded) {
                        Ok(n) => n.to_string(),
                        Err(e) => {
                            // A non-interactive shell gives up on an arithmetic error: bash
                            // names the expression and exits 1, busybox sh exits 2.
                            if self.env.bash_style {
                                self.error(&format!("{}: {e}", expanded.trim()));
                                self.status = 1;
                            } else {
                                // SIM: busybox's own words for each arithmetic error are not
                                // reproduced; the cause is.
                                let cause = e.split(" (error token").next().unwrap_or(&e).to_string();
                                self.error(&format!("arithmetic syntax error: {cause}"));
                                self.status = 2;
                            }
                            self.jump = Some(Jump::Exit);
                            String::new()
                        }
                    };
                    push_value(&v, true, &mut cur, &mut have, out);
                }
            }
            if cur.len() > MAX_CAPTURE {
                let n = fitting(&cur, MAX_CAPTURE).len();
                cur.truncate(n);
                if !self.cut_said {
                    self.cut_said = true;
                    // SIM: bash's words have no size limit.
                    self.error(&format!("a word over {} MiB was cut (a sandbox limit)", MAX_CAPTURE >> 20));
                }
            }
        }
        if glob {
            let matches = self.glob_paths(&cur);
            if !matches.is_empty() {
                out.extend(matches);
                return;
            }
        }
        if have || !cur.is_empty() {
            out.push(cur);
        }
    }

    /// Pathname expansion: the files and directories `pattern` matches, sorted (none: the
    /// pattern stays as written, as POSIX says).
    fn glob_paths(&self, pattern: &str) -> Vec<String> {
        let relative = !pattern.starts_with('/');
        let abs = self.abs(pattern);
        let want: Vec<&str> = abs.trim_start_matches('/').split('/').collect();
        let prefix = if self.env.working_dir == "/" { "/".to_string() } else { format!("{}/", self.env.working_dir) };
        let mut found: Vec<String> = self
            .env
            .files
            .keys()
            .map(|k| k.trim_end_matches('/'))
            .filter(|k| {
                let have: Vec<&str> = k.trim_start_matches('/').split('/').collect();
                have.len() == want.len()
                    && have
                        .iter()
                        .zip(&want)
                        .all(|(h, w)| (!h.starts_with('.') || w.starts_with('.')) && glob_match(w, h))
            })
            .map(|k| if relative { k.strip_prefix(prefix.as_str()).unwrap_or(k).to_string() } else { k.to_string() })
            .take(10_000)
            .collect();
        found.sort();
        found.dedup();
        found
    }

    /// The value of `$name` (None when unset).
    pub fn get_var(&mut self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.status.to_string()),
            "$" => Some("1".into()),
            "!" => Some(String::new()),
            "#" => Some(self.positional.len().saturating_sub(1).to_string()),
            "@" | "*" => Some(self.positional.iter().skip(1).cloned().collect::<Vec<_>>().join(" ")),
            "RANDOM" => {
                self.rng = self.rng.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                Some(((self.rng >> 33) % 32_768).to_string())
            }
            "PWD" => Some(self.env.working_dir.clone()),
            n if n.bytes().all(|b| b.is_ascii_digit()) => {
                n.parse::<usize>().ok().and_then(|i| self.positional.get(i).cloned())
            }
            n => self.vars.get(n).cloned(),
        }
    }

    fn var_value(&mut self, name: &str, op: VarOp, operand: Option<&Word>, net: &mut dyn Network) -> String {
        let v = self.get_var(name);
        let empty_or_unset = |colon: bool| v.is_none() || (colon && v.as_deref() == Some(""));
        let operand_value =
            |m: &mut Machine, net: &mut dyn Network| operand.map(|w| m.expand_one(w, net)).unwrap_or_default();
        match op {
            VarOp::Plain => v.unwrap_or_default(),
            VarOp::Length => v.unwrap_or_default().chars().count().to_string(),
            VarOp::Default { colon } if empty_or_unset(colon) => operand_value(self, net),
            VarOp::Assign { colon } if empty_or_unset(colon) => {
                let val = operand_value(self, net);
                self.vars.insert(name.to_string(), val.clone());
                val
            }
            VarOp::Alt { colon } => {
                if empty_or_unset(colon) {
                    String::new()
                } else {
                    operand_value(self, net)
                }
            }
            VarOp::Error { colon } if empty_or_unset(colon) => {
                let msg = operand_value(self, net);
                let msg = if msg.is_empty() { "parameter not set".to_string() } else { msg };
                self.error(&format!("{name}: {msg}"));
                self.status = 1;
                self.jump = Some(Jump::Exit);
                String::new()
            }
            VarOp::TrimPrefix { longest } => {
                let v = v.unwrap_or_default();
                let pat = operand.map(|w| self.pattern_of(w, net)).unwrap_or_default();
                let cuts: Vec<usize> = v.char_indices().map(|(i, _)| i).chain([v.len()]).collect();
                let found = if longest {
                    cuts.iter().rev().find(|&&i| glob_match(&pat, &v[..i]))
                } else {
                    cuts.iter().find(|&&i| glob_match(&pat, &v[..i]))
                };
                found.map_or(v.clone(), |&i| v[i..].to_string())
            }
            VarOp::TrimSuffix { longest } => {
                let v = v.unwrap_or_default();
                let pat = operand.map(|w| self.pattern_of(w, net)).unwrap_or_default();
                let cuts: Vec<usize> = v.char_indices().map(|(i, _)| i).chain([v.len()]).collect();
                let found = if longest {
                    cuts.iter().find(|&&i| glob_match(&pat, &v[i..]))
                } else {
                    cuts.iter().rev().find(|&&i| glob_match(&pat, &v[i..]))
                };
                found.map_or(v.clone(), |&i| v[..i].to_string())
            }
            VarOp::Substring => {
                let v = v.unwrap_or_default();
                let spec = operand_value(self, net);
                self.substring(&v, &spec).unwrap_or_default()
            }
            _ => v.unwrap_or_default(),
        }
    }

    /// `${NAME:OFFSET:LENGTH}` of `v`, where `spec` is `OFFSET[:LENGTH]`, both arithmetic, in
    /// characters. A negative offset counts from the end; a negative length ends that many
    /// characters before the end. An error (bad arithmetic, a length ending before the offset)
    /// is said as bash says it and ends the script, as an expansion error ends a shell's line.
    fn substring(&mut self, v: &str, spec: &str) -> Option<String> {
        let (off_text, len_text) = match spec.split_once(':') {
            Some((o, l)) => (o, Some(l)),
            None => (spec, None),
        };
        let fail = |m: &mut Machine, msg: String| {
            m.error(&msg);
            m.status = if m.env.bash_style { 1 } else { 2 };
            m.jump = Some(Jump::Exit);
        };
        let eval = |m: &mut Machine, text: &str| -> Result<i64, String> {
            if text.trim().is_empty() {
                Ok(0)
            } else {
                m.arith(text).map_err(|e| format!("{}: {e}", text.trim()))
            }
        };
        let offset = match eval(self, off_text) {
            Ok(n) => n,
            Err(e) => {
                fail(self, e);
                return None;
            }
        };
        let chars: Vec<char> = v.chars().collect();
        let n = chars.len() as i64;
        let start = if offset < 0 { n.saturating_add(offset) } else { offset };
        let end = match len_text {
            None => n,
            Some(l) => match eval(self, l) {
                Err(e) => {
                    fail(self, e);
                    return None;
                }
                Ok(len) if len < 0 => {
                    let end = n.saturating_add(len);
                    if (0..=n).contains(&start) && end < start {
                        // SIM: busybox sh's handling of this case is not reproduced; bash's is.
                        fail(self, format!("{}: substring expression < 0", l.trim()));
                        return None;
                    }
                    end
                }
                Ok(len) => start.saturating_add(len).min(n),
            },
        };
        if start < 0 || start > n || end <= start {
            return Some(String::new());
        }
        Some(chars[start as usize..end as usize].iter().collect())
    }

    /// Evaluates `$((expr))`: integers, variables, `+ - * / %`, comparisons, `&& || !`, parentheses.
    pub fn arith(&mut self, expr: &str) -> Result<i64, String> {
        let mut toks = Vec::new();
        let mut pos = Vec::new();
        let cs: Vec<char> = expr.chars().collect();
        let mut i = 0;
        while i < cs.len() {
            let c = cs[i];
            if !c.is_whitespace() && pos.len() == toks.len() {
                pos.push(i);
            }
            if c.is_whitespace() {
                i += 1;
            } else if c.is_ascii_digit() {
                let s = i;
                while i < cs.len() && cs[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                let t: String = cs[s..i].iter().collect();
                toks.push(ATok::Num(t.parse::<i64>().map_err(|_| format!("invalid number \"{t}\""))?));
            } else if c == '$' || c == '_' || c.is_ascii_alphabetic() {
                if c == '$' {
                    i += 1;
                }
                let braced = cs.get(i) == Some(&'{');
                if braced {
                    i += 1;
                }
                let s = i;
                while i < cs.len()
                    && (cs[i] == '_' || cs[i].is_ascii_alphanumeric() || (i == s && "?#".contains(cs[i])))
                {
                    i += 1;
                }
                let name: String = cs[s..i].iter().collect();
                if braced && cs.get(i) == Some(&'}') {
                    i += 1;
                }
                let v = self.get_var(&name).unwrap_or_default();
                toks.push(ATok::Num(v.trim().parse::<i64>().unwrap_or(0)));
            } else {
                let two: String = cs[i..(i + 2).min(cs.len())].iter().collect();
                if ["<=", ">=", "==", "!=", "&&", "||", "**"].contains(&two.as_str()) {
                    toks.push(ATok::Op(two));
                    i += 2;
                } else if "+-*/%()<>!".contains(c) {
                    toks.push(ATok::Op(c.to_string()));
                    i += 1;
                } else {
                    return Err(format!("unexpected \"{c}\""));
                }
            }
        }
        pos.truncate(toks.len());
        let mut p = Arith { toks, pos, text: cs, i: 0, depth: 0 };
        let v = p.or()?;
        if p.i < p.toks.len() {
            return Err("unexpected token".into());
        }
        Ok(v)
    }
}

fn push_value(v: &str, no_split: bool, cur: &mut String, have: &mut bool, out: &mut Vec<String>) {
    if no_split {
        cur.push_str(v);
        *have = true;
        return;
    }
    let starts_ws = v.starts_with(char::is_whitespace);
    let ends_ws = v.ends_with(char::is_whitespace);
    let mut first = true;
    for piece in v.split_whitespace() {
        if (!first || starts_ws) && (*have || !cur.is_empty()) {
            out.push(std::mem::take(cur));
            *have = false;
        }
        first = false;
        cur.push_str(piece);
        *have = true;
    }
    if ends_ws && !first && (*have || !cur.is_empty()) {
        out.push(std::mem::take(cur));
        *have = false;
    }
}

#[derive(Debug, Clone, PartialEq)]
enum ATok {
    Num(i64),
    Op(String),
}

struct Arith {
    toks: Vec<ATok>,
    /// Where each token starts in `text` (bash's errors quote the text from a token on).
    pos: Vec<usize>,
    text: Vec<char>,
    i: usize,
    depth: usize,
}

impl Arith {
    /// The expression's text from token `at` on, as bash quotes it after "error token is".
    fn text_from_token(&self, at: usize) -> String {
        let start = self.pos.get(at).copied().unwrap_or(self.text.len());
        self.text[start.min(self.text.len())..].iter().collect::<String>().trim_end().to_string()
    }
    fn op(&mut self, ops: &[&str]) -> Option<String> {
        if let Some(ATok::Op(o)) = self.toks.get(self.i) {
            if ops.contains(&o.as_str()) {
                self.i += 1;
                return Some(o.clone());
            }
        }
        None
    }
    fn or(&mut self) -> Result<i64, String> {
        let mut l = self.and()?;
        while self.op(&["||"]).is_some() {
            let r = self.and()?;
            l = i64::from(l != 0 || r != 0);
        }
        Ok(l)
    }
    fn and(&mut self) -> Result<i64, String> {
        let mut l = self.cmp()?;
        while self.op(&["&&"]).is_some() {
            let r = self.cmp()?;
            l = i64::from(l != 0 && r != 0);
        }
        Ok(l)
    }
    fn cmp(&mut self) -> Result<i64, String> {
        let mut l = self.add()?;
        while let Some(o) = self.op(&["<", ">", "<=", ">=", "==", "!="]) {
            let r = self.add()?;
            l = i64::from(match o.as_str() {
                "<" => l < r,
                ">" => l > r,
                "<=" => l <= r,
                ">=" => l >= r,
                "==" => l == r,
                _ => l != r,
            });
        }
        Ok(l)
    }
    fn add(&mut self) -> Result<i64, String> {
        let mut l = self.mul()?;
        while let Some(o) = self.op(&["+", "-"]) {
            let r = self.mul()?;
            l = if o == "+" { l.wrapping_add(r) } else { l.wrapping_sub(r) };
        }
        Ok(l)
    }
    fn mul(&mut self) -> Result<i64, String> {
        let mut l = self.power()?;
        while let Some(o) = self.op(&["*", "/", "%"]) {
            let at = self.i;
            let r = self.power()?;
            if o != "*" && r == 0 {
                return Err(format!("division by 0 (error token is \"{}\")", self.text_from_token(at)));
            }
            l = match o.as_str() {
                "*" => l.wrapping_mul(r),
                "/" => l.wrapping_div(r),
                _ => l.wrapping_rem(r),
            };
        }
        Ok(l)
    }
    /// `**`, right-associative, wrapping on overflow as bash's 64-bit integers do.
    fn power(&mut self) -> Result<i64, String> {
        let base = self.unary()?;
        if self.op(&["**"]).is_none() {
            return Ok(base);
        }
        let at = self.i;
        let exp = self.power()?;
        if exp < 0 {
            return Err(format!("exponent less than 0 (error token is \"{}\")", self.text_from_token(at)));
        }
        let (mut result, mut b, mut e) = (1i64, base, exp as u64);
        while e > 0 {
            if e & 1 == 1 {
                result = result.wrapping_mul(b);
            }
            b = b.wrapping_mul(b);
            e >>= 1;
        }
        Ok(result)
    }
    fn unary(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > 64 {
            return Err("expression too deep".into());
        }
        let v = if let Some(o) = self.op(&["-", "+", "!"]) {
            let v = self.unary()?;
            match o.as_str() {
                "-" => v.wrapping_neg(),
                "!" => i64::from(v == 0),
                _ => v,
            }
        } else if self.op(&["("]).is_some() {
            let v = self.or()?;
            if self.op(&[")"]).is_none() {
                return Err("missing \")\"".into());
            }
            v
        } else {
            match self.toks.get(self.i) {
                Some(ATok::Num(n)) => {
                    self.i += 1;
                    *n
                }
                _ => return Err("expected a number".into()),
            }
        };
        self.depth -= 1;
        Ok(v)
    }
}

/// Shell pattern matching: `*`, `?`, `[abc]`, `[a-z]`, `[!x]`.
pub fn glob_match(pat: &str, s: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let t: Vec<char> = s.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        let single = if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi, ti));
                    pi += 1;
                    continue;
                }
                '?' => Some(pi + 1),
                '[' => class_match(&p, pi, t[ti]),
                '\\' if pi + 1 < p.len() => (p[pi + 1] == t[ti]).then_some(pi + 2),
                c => (c == t[ti]).then_some(pi + 1),
            }
        } else {
            None
        };
        match single {
            Some(next) => {
                pi = next;
                ti += 1;
            }
            None => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Matches `c` against the class starting at `p[i] == '['`; the index after it if it matches.
fn class_match(p: &[char], i: usize, c: char) -> Option<usize> {
    let mut j = i + 1;
    let negate = matches!(p.get(j), Some('!' | '^'));
    if negate {
        j += 1;
    }
    let mut found = false;
    let start = j;
    while j < p.len() && (p[j] != ']' || j == start) {
        if j + 2 < p.len() && p[j + 1] == '-' && p[j + 2] != ']' {
            found |= p[j] <= c && c <= p[j + 2];
            j += 3;
        } else {
            found |= p[j] == c;
            j += 1;
        }
    }
    if j >= p.len() {
        // No closing bracket: a literal '['.
        return (c == '[').then_some(i + 1);
    }
    (found != negate).then_some(j + 1)
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved.
pub fn absolute_path(cwd: &str, path: &str) -> String {
    let joined = if path.starts_with('/') { path.to_string() } else { format!("{cwd}/{path}") };
    let mut parts: Vec<&str> = Vec::new();
    for p in joined.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

// ---- the process ----

/// A shell's aliases, functions, history and last status, carried between a terminal's lines.
#[derive(Debug, Clone, Default)]
pub struct Carried {
    pub aliases: BTreeMap<String, String>,
    pub funcs: BTreeMap<String, Rc<Cmd>>,
    pub history: History,
    pub status: i32,
}

/// The most lines [`History`] keeps (bash's `HISTSIZE` as Ubuntu's `.bashrc` sets it).
pub const HISTSIZE: usize = 1000;

/// An interactive shell's history: the lines typed, as bash's `history` numbers them (the
/// numbers go on growing when the oldest lines are dropped).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// The number of `lines[0]`, less one.
    pub dropped: usize,
    pub lines: Vec<String>,
}

impl History {
    /// Adds each line of `typed` (a command of several lines gives several entries, as the
    /// terminal's ↑ recalls them), keeping the last [`HISTSIZE`].
    pub fn push(&mut self, typed: &str) {
        self.lines.extend(typed.split('\n').filter(|l| !l.trim().is_empty()).map(String::from));
        let excess = self.lines.len().saturating_sub(HISTSIZE);
        self.lines.drain(..excess);
        self.dropped += excess;
    }
}

/// A container's running process.
#[derive(Debug, Clone)]
pub struct Process {
    m: Machine,
    start_error: Option<String>,
}

impl Process {
    /// Starts `argv` (the image's entrypoint and cmd when empty) in `env` at `now`. Nothing
    /// runs until [`Process::run_until`].
    pub fn new(argv: &[String], env: ContainerEnv, now: SimTime) -> Process {
        let argv = if argv.is_empty() { env.image.argv(&[], &[]) } else { argv.to_vec() };
        let mut m = Machine::new(env, now);
        let start_error = match argv.first() {
            None => Some("failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: no command specified: unknown".to_string()),
            Some(name) if !m.can_exec(name) && name.contains('/') => Some(format!("failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"{name}\": stat {name}: no such file or directory: unknown")),
            Some(name) if !m.can_exec(name) => Some(format!("failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"{name}\": executable file not found in $PATH: unknown")),
            Some(_) => {
                let words = argv.iter().map(|a| vec![Part::Lit(a.clone(), true)]).collect();
                m.frames.push(Frame::Run(Rc::new(Cmd::Simple { assigns: Vec::new(), words, redirs: Vec::new() })));
                None
            }
        };
        Process { m, start_error }
    }

    /// A terminal's line: `script` runs in the process's own shell (its variables and working
    /// directory are the process's, not a nested shell's); output is collected as text.
    pub fn script(script: &str, env: ContainerEnv, now: SimTime) -> Process {
        let mut m = Machine::new(env, now);
        m.capture_all = true;
        m.positional = vec!["bash".into()];
        let start_error = match parser::parse(script) {
            Ok(cmd) => {
                m.frames.push(Frame::Run(cmd));
                None
            }
            Err(e) => {
                let shell = if m.env.bash_style { "bash" } else { "sh" };
                m.stderr_text.push_str(&format!("{shell}: {e}\n"));
                m.state = State::Exited(2);
                None
            }
        };
        Process { m, start_error }
    }

    /// As [`Process::new`], but stdout and stderr are collected as text (a one-shot run).
    pub fn with_capture(argv: &[String], env: ContainerEnv, now: SimTime) -> Process {
        let mut p = Process::new(argv, env, now);
        p.m.capture_all = true;
        p
    }

    /// Runs the process up to `now` (bounded work) and returns what it did.
    pub fn run_until(&mut self, now: SimTime, net: &mut dyn Network) -> Vec<ProcessEvent> {
        if let Some(message) = self.start_error.take() {
            let at = self.m.clock;
            if self.m.capture_all {
                self.m.stderr_text.push_str(&format!("error: {message}\n"));
            }
            self.m.events.push(ProcessEvent::StartError { at, message });
            self.m.state = State::Exited(128);
            self.m.events.push(ProcessEvent::Exit { at, code: 128 });
        }
        let steps = self.m.run(now, STEP_BUDGET, net);
        if steps >= STEP_BUDGET
            && self.m.since_suspend >= STEP_BUDGET
            && self.m.state == State::Ready
            && self.m.clock < now
        {
            self.m.clock = now;
        }
        std::mem::take(&mut self.m.events)
    }

    /// When the process next needs to run; `None` when it waits for ever or has ended.
    pub fn next_wakeup(&self) -> Option<SimTime> {
        match self.m.state {
            State::Exited(_) | State::Blocked => None,
            State::Sleeping(t) => Some(t),
            State::Ready if self.start_error.is_some() || self.m.steps_since_pause == 0 => Some(self.m.clock),
            State::Ready => Some(self.m.clock + BUSY_SLICE),
        }
    }

    /// Whether the executable could not be found (the process will end at once with 128).
    pub fn has_start_error(&self) -> bool {
        self.start_error.is_some()
    }

    /// Whether the process is computing (runnable, not sleeping or waiting): a busy loop.
    pub fn is_busy(&self) -> bool {
        // A busy loop yields a slice at a time: asleep then, but it has not suspended itself
        // (slept, waited, served) for a whole slice's work.
        self.start_error.is_none()
            && match self.m.state {
                State::Ready => true,
                State::Sleeping(_) => self.m.since_suspend >= BUSY_STEPS,
                _ => false,
            }
    }

    /// The exit code, once ended.
    pub fn exit_code(&self) -> Option<i32> {
        match self.m.state {
            State::Exited(c) => Some(c),
            _ => None,
        }
    }

    /// Memory in use, for the kubelet's OOM kill against the container's limit.
    pub fn memory_bytes(&self) -> u64 {
        self.m.memory
    }

    /// The ports the process listens on, once its server has started.
    pub fn listening(&self) -> Option<&Listening> {
        self.m.listening.as_ref()
    }

    /// The server program's variables when it began serving, and when that was.
    pub fn served(&self) -> (&BTreeMap<String, String>, Option<SimTime>) {
        static EMPTY: BTreeMap<String, String> = BTreeMap::new();
        match &self.m.served {
            Some((vars, at)) => (vars, Some(*at)),
            None => (&EMPTY, None),
        }
    }

    /// Sends SIGTERM at `now`; returns whether the process exits (servers do, with 0).
    /// A shell or `sleep` running as PID 1 ignores it, so the kubelet waits out the grace period.
    pub fn terminate(&mut self, now: SimTime) -> bool {
        if self.exit_code().is_some() {
            return true;
        }
        if self.m.listening.is_some() {
            self.m.clock = self.m.clock.max(now);
            self.m.finish(0);
            return true;
        }
        // A shell that traps SIGTERM (kiamol's sleep: `trap : TERM INT; (…) & wait`) gets it: the
        // `wait` it sits in returns 128+15 and the script ends.
        // SIM: the trap's action and whatever the script would run after the interrupted command
        // are not run; the scripts images use end there.
        if self.m.trapped.contains("TERM") {
            self.m.clock = self.m.clock.max(now);
            self.m.finish(143);
            return true;
        }
        false
    }

    /// SIGKILL at `now` (grace period over, OOM, liveness failure): exits with 137.
    pub fn kill(&mut self, now: SimTime) {
        if self.exit_code().is_none() {
            self.m.clock = self.m.clock.max(now);
            self.m.finish(137);
        }
    }

    /// The container as the process has left it (files it wrote, its hostname).
    pub fn env(&self) -> &ContainerEnv {
        &self.m.env
    }

    /// The container's environment, to mount or change files while it runs.
    pub fn env_mut(&mut self) -> &mut ContainerEnv {
        &mut self.m.env
    }

    /// The shell's variables and working directory now (a terminal keeps them between lines).
    /// What a terminal keeps from one line to the next beside the variables: aliases,
    /// functions and the last status (`$?`).
    pub fn carried(&self) -> Carried {
        Carried {
            aliases: self.m.aliases.clone(),
            funcs: self.m.funcs.clone(),
            history: (*self.m.history).clone(),
            status: self.m.status,
        }
    }

    /// Starts this shell with what an earlier line left ([`Process::carried`]).
    pub fn carry(&mut self, c: &Carried) {
        self.m.aliases = c.aliases.clone();
        self.m.funcs = c.funcs.clone();
        self.m.history = Rc::new(c.history.clone());
        self.m.status = c.status;
    }

    pub fn shell_vars(&self) -> (&BTreeMap<String, String>, &str) {
        (&self.m.vars, &self.m.env.working_dir)
    }

    /// A one-shot run's stdout, stderr, how their writes were interleaved, and its files.
    pub fn into_output(self) -> (String, String, Order, Files) {
        (self.m.captured, self.m.stderr_text, self.m.order, self.m.env.files)
    }
}
