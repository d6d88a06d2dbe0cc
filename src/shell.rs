//! The terminal's language: one line at a time, `kubectl …`, `sandbox …`, `echo`, `sleep N`.
//!
//! The same [`Shell`] serves the page's terminal and the native runner, so every flow a
//! learner can type can also run headless in a test.

pub mod kubectl;
pub mod sandbox;
pub mod transcript;
pub mod words;

use std::time::Duration;

use crate::sim::Sim;

/// What a command printed and its exit status, as a terminal shows them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
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
}

/// The longest `sleep` one command may ask for: a day of simulated time.
const MAX_SLEEP: Duration = Duration::from_secs(86_400);

/// The interpreter: holds what persists between lines (none yet beyond the cluster).
#[derive(Debug, Default)]
pub struct Shell;

impl Shell {
    /// Runs one line against `sim`.
    pub fn run_line(&mut self, sim: &mut Sim, line: &str) -> Output {
        let words = match words::split(line) {
            Ok(w) => w,
            Err(e) => return Output::err(format!("bash: {e}\n"), 2),
        };
        let Some((cmd, args)) = words.split_first() else {
            return Output::default();
        };
        match cmd.as_str() {
            "kubectl" => kubectl::run(sim, args),
            "sandbox" => sandbox::run(sim, args),
            "echo" => Output::ok(format!("{}\n", args.join(" "))),
            "sleep" => sleep(sim, args),
            other => Output::err(format!("bash: {other}: command not found\n"), 127),
        }
    }
}

fn sleep(sim: &mut Sim, args: &[String]) -> Output {
    let secs = match args {
        [n] => n.trim_end_matches('s').parse::<f64>().ok().filter(|s| s.is_finite() && *s >= 0.0),
        _ => None,
    };
    match secs {
        Some(s) => {
            sim.advance(Duration::from_secs_f64(s).min(MAX_SLEEP));
            Output::default()
        }
        None => Output::err("sleep: invalid time interval\n", 1),
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
