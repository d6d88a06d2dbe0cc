//! The terminal's language: a POSIX shell (see [`terminal`]) whose host commands are `kubectl …`
//! and `sandbox …`.
//!
//! The same [`Shell`] serves the page's terminal and the native runner, so every flow a
//! learner can type can also run headless in a test.

pub mod completion;
pub mod docker;
pub mod files;
pub mod kubectl;
pub mod minikube;
pub mod node_shell;
pub mod sandbox;
pub mod session;
pub mod terminal;
pub mod transcript;
pub mod watch;
pub mod words;

use crate::sim::process::{Order, Stream as Fd};
use crate::sim::Sim;

/// What a command printed and its exit status, as a terminal shows them.
///
/// `stdout` and `stderr` are what a pipe or a redirection takes; [`Output::shown`] is what a
/// terminal shows: the two interleaved as written. Text pushed onto them directly counts as
/// written after what [`Output::print`], [`Output::eprint`] and [`Output::warn_first`] wrote
/// (stdout's first); those are for where the order matters, as kubectl's warnings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    /// How the writes to `stdout` and `stderr` were interleaved.
    pub order: Order,
    pub status: i32,
    /// The command opened an interactive shell in a container (`kubectl exec -it … -- sh`):
    /// the terminal's next lines go there.
    pub attach: Option<Box<session::Attach>>,
    /// The command goes on printing as the cluster runs (`kubectl get -w` at a keyboard): the
    /// terminal polls it until Ctrl+C.
    pub stream: Option<Box<Stream>>,
    /// Files the command writes into the caller's file system (`kubectl cp POD:SRC DEST`).
    pub writes: files::Files,
}

/// A command still printing after its line returned.
#[derive(Debug, Clone)]
pub enum Stream {
    Watch(Box<kubectl::get::Watcher>),
    Follow(kubectl::logs::Follower),
    /// `watch COMMAND`: the terminal runs the command again when it is due
    /// (`terminal::Terminal::poll_stream`).
    Repeat(Box<watch::Watch>),
}

/// What a streaming command showed since the last poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Polled {
    /// Lines to add after what it printed before (`kubectl get -w`, `logs -f`).
    Rows(String),
    /// A whole screen that replaces the one it showed before (`watch`), and what follows it
    /// if the command stopped.
    Screen(String, Option<String>),
}

impl Stream {
    /// What a watch or a follow printed since the last poll (a repeat prints nothing here).
    pub fn poll(&mut self, sim: &Sim) -> String {
        match self {
            Stream::Watch(w) => w.poll(sim),
            Stream::Follow(f) => f.poll(sim),
            Stream::Repeat(_) => String::new(),
        }
    }
}

/// Streams are the terminal's, never compared.
impl PartialEq for Stream {
    fn eq(&self, _: &Self) -> bool {
        false
    }
}

impl Eq for Stream {}

impl From<Output> for crate::sim::process::ExecOutput {
    /// What a host command (`kubectl` in the terminal or in a pod, a node's `crictl`) gives
    /// back to the shell that ran it.
    fn from(out: Output) -> Self {
        crate::sim::process::ExecOutput {
            stdout: out.stdout,
            stderr: out.stderr,
            order: out.order,
            code: out.status,
            writes: out.writes,
        }
    }
}

impl Output {
    /// Success with `text` on stdout.
    pub fn ok(text: impl Into<String>) -> Output {
        Output { stdout: text.into(), ..Output::default() }
    }

    /// Failure with `text` on stderr and exit `status`.
    pub fn err(text: impl Into<String>, status: i32) -> Output {
        Output { stderr: text.into(), status, ..Output::default() }
    }

    /// Writes `text` on stdout after everything written so far.
    pub fn print(&mut self, text: &str) {
        self.order.settle(&self.stdout, &self.stderr);
        self.stdout.push_str(text);
        self.order.note(Fd::Stdout, text.len());
    }

    /// Writes `text` on stderr after everything written so far (a warning that comes as the
    /// server answers, before what the command prints next).
    pub fn eprint(&mut self, text: &str) {
        self.order.settle(&self.stdout, &self.stderr);
        self.stderr.push_str(text);
        self.order.note(Fd::Stderr, text.len());
    }

    /// Puts `text` on stderr before everything else the command wrote: kubectl's warnings
    /// about its flags, which it prints while it parses them, before any work.
    pub fn warn_first(&mut self, text: &str) {
        self.stderr.insert_str(0, text);
        self.order.note_first(Fd::Stderr, text.len());
    }

    /// Both streams cut into the runs they were written in, in that order.
    pub fn runs(&self) -> Vec<(Fd, &str)> {
        self.order.runs(&self.stdout, &self.stderr)
    }

    /// What a terminal shows: stdout and stderr interleaved as written.
    pub fn shown(&self) -> String {
        self.order.merged(&self.stdout, &self.stderr)
    }
}

/// Runs single lines in a fresh [`terminal::Terminal`] (nothing carries over between calls);
/// handy where only the cluster's state matters, as in tests of kubectl's output.
#[derive(Debug, Default)]
pub struct Shell;

impl Shell {
    /// Runs one line against `sim`.
    pub fn run_line(&mut self, sim: &mut Sim, line: &str) -> Output {
        terminal::Terminal::here().run_line(sim, line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimConfig;

    #[test]
    fn unknown_command_is_127_like_bash() {
        let mut sim = Sim::new(SimConfig::default());
        let out = Shell.run_line(&mut sim, "foo bar");
        assert_eq!(out.stderr, "bash: foo: command not found\n");
        assert_eq!(out.status, 127);
    }

    #[test]
    fn sleep_advances_simulated_time() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "sleep 30");
        assert_eq!(sim.now().as_millis(), 30_000);
        assert_eq!(Shell.run_line(&mut sim, "sleep forever").status, 1);
    }

    #[test]
    fn blank_line_does_nothing() {
        let mut sim = Sim::new(SimConfig::default());
        assert_eq!(Shell.run_line(&mut sim, "   "), Output::default());
    }
}
