//! The container runtime as the kubelet sees it: start a container's process, let it run to
//! a simulated instant, stop it. An adapter over [`crate::sim::process`] and the image
//! catalogue, so the kubelet's state machine does not depend on how processes are simulated.

use crate::sim::time::SimTime;

/// What a running process did up to some instant.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Progress {
    /// Log lines written, with when.
    pub logs: Vec<(SimTime, String)>,
    /// The process ended, with its exit code.
    pub exited: Option<(SimTime, i32)>,
}

/// A container's process.
#[derive(Debug)]
pub struct Proc {
    argv: Vec<String>,
    started: SimTime,
    stopped: Option<(SimTime, i32)>,
    /// Handles SIGTERM by exiting at once (servers do; `sh` running `sleep` does not).
    pub exits_on_sigterm: bool,
}

impl Proc {
    /// Starts `argv` at `now`.
    pub fn start(argv: Vec<String>, now: SimTime) -> Proc {
        let shell_like = argv.first().is_some_and(|a| a.ends_with("sh") || a == "sleep");
        Proc { argv, started: now, stopped: None, exits_on_sigterm: !shell_like }
    }

    /// Runs the process up to `now`.
    pub fn run_until(&mut self, _now: SimTime) -> Progress {
        // SIM: placeholder until the simulated process lands: every process runs until stopped.
        let _ = (&self.argv, self.started);
        Progress { logs: Vec::new(), exited: self.stopped.take() }
    }

    /// When the process next needs to run (None: only when poked).
    pub fn next_wakeup(&self) -> Option<SimTime> {
        None
    }

    /// Sends SIGTERM; returns whether the process exits at once.
    pub fn terminate(&mut self, now: SimTime) -> bool {
        if self.exits_on_sigterm {
            self.stopped = Some((now, 0));
        }
        self.exits_on_sigterm
    }

    /// SIGKILL: the process ends with 137.
    pub fn kill(&mut self, now: SimTime) {
        self.stopped = Some((now, 137));
    }

    /// Memory in use, in bytes.
    pub fn memory_bytes(&self) -> u64 {
        0
    }
}

/// What pulling an image does: how long, and whether it exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullPlan {
    pub millis: u64,
    pub size_bytes: u64,
    /// The registry's refusal (`… not found`), if the image or tag does not exist.
    pub error: Option<String>,
}

/// How pulling `image` would go.
pub fn plan_pull(image: &str) -> PullPlan {
    // SIM: placeholder until the image catalogue lands: every image exists, 2 s, 50 MB.
    let _ = image;
    PullPlan { millis: 2_000, size_bytes: 50_000_000, error: None }
}

/// The argv a container runs: `command` (or the image's entrypoint) followed by `args`.
pub fn container_argv(image: &str, command: &[String], args: &[String]) -> Vec<String> {
    let _ = image;
    let mut argv: Vec<String> = command.to_vec();
    argv.extend(args.iter().cloned());
    argv
}
