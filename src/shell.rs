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
pub mod sandbox;
pub mod session;
pub mod terminal;
pub mod transcript;
pub mod words;

use crate::sim::Sim;

/// What a command printed and its exit status, as a terminal shows them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
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
}

impl Stream {
    /// What it printed since the last poll.
    pub fn poll(&mut self, sim: &Sim) -> String {
        match self {
            Stream::Watch(w) => w.poll(sim),
            Stream::Follow(f) => f.poll(sim),
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

impl Output {
    /// Success with `text` on stdout.
    pub fn ok(text: impl Into<String>) -> Output {
        Output { stdout: text.into(), ..Output::default() }
    }

    /// Failure with `text` on stderr and exit `status`.
    pub fn err(text: impl Into<String>, status: i32) -> Output {
        Output { stderr: text.into(), status, ..Output::default() }
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
