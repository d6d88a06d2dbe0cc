//! The container runtime as the kubelet sees it: start a container's process, let it run to
//! a simulated instant, stop it. An adapter over [`crate::sim::process`] and the image
//! catalogue, so the kubelet's state machine does not depend on how processes are simulated.

use super::script::{self, Context, Script};
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
    script: Script,
    /// Handles SIGTERM by exiting at once (servers do; a shell or `sleep` running as PID 1
    /// ignores it, so the kubelet waits out the grace period).
    pub exits_on_sigterm: bool,
}

impl Proc {
    /// Starts `argv` (or the image's default command when empty) at `now`.
    pub fn start(argv: Vec<String>, ctx: &Context, now: SimTime) -> Proc {
        let first = argv.first().map(|a| a.rsplit('/').next().unwrap_or("").to_string());
        let shell_like = matches!(first.as_deref(), Some("sh" | "bash" | "ash" | "sleep" | "tail"));
        Proc { script: Script::new(script::compile(&argv, ctx), now), exits_on_sigterm: !shell_like }
    }

    /// Runs the process up to `now`.
    pub fn run_until(&mut self, now: SimTime) -> Progress {
        let logs = self.script.run_until(now);
        Progress { logs, exited: self.script.exited.take() }
    }

    /// When the process next needs to run (None: only when poked).
    pub fn next_wakeup(&self) -> Option<SimTime> {
        self.script.next_wakeup()
    }

    /// Sends SIGTERM; returns whether the process exits at once.
    pub fn terminate(&mut self, now: SimTime) -> bool {
        if self.exits_on_sigterm {
            self.script.exited = Some((now, 0));
        }
        self.exits_on_sigterm
    }

    /// SIGKILL: the process ends with 137.
    pub fn kill(&mut self, now: SimTime) {
        self.script.exited = Some((now, 137));
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

/// How pulling `image` would go, from the image catalogue (`sim::images`).
pub fn plan_pull(image: &str) -> PullPlan {
    let failed = |error: String| PullPlan { millis: 800, size_bytes: 0, error: Some(error) };
    match crate::sim::images::ImageRef::parse(image) {
        Err(e) => failed(e.to_string()),
        Ok(r) => match crate::sim::images::profile_for(&r) {
            Ok(p) => PullPlan { millis: crate::sim::images::pull_millis(p), size_bytes: p.size_bytes, error: None },
            Err(e) => failed(e.to_string()),
        },
    }
}

/// The argv a container runs: `command` (or the image's entrypoint) followed by `args`.
pub fn container_argv(_image: &str, command: &[String], args: &[String]) -> Vec<String> {
    let mut argv: Vec<String> = command.to_vec();
    argv.extend(args.iter().cloned());
    argv
}

/// What a probe found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeOutcome {
    Success,
    /// Failed, with the kubelet's description (`HTTP probe failed with statuscode: 503`).
    Failure(String),
}

impl Proc {
    /// An HTTP GET to the process at `ip:port` `path`.
    pub fn http_get(&mut self, ip: &str, port: u16, path: &str, listening: &[u16]) -> ProbeOutcome {
        // SIM: placeholder until the image catalogue lands: the ports the container declares listen
        // and answer 200 on every path.
        let _ = path;
        if listening.contains(&port) {
            ProbeOutcome::Success
        } else {
            ProbeOutcome::Failure(format!(
                "Get \"http://{ip}:{port}{path}\": dial tcp {ip}:{port}: connect: connection refused"
            ))
        }
    }

    /// A TCP connect to `ip:port`.
    pub fn tcp(&mut self, ip: &str, port: u16, listening: &[u16]) -> ProbeOutcome {
        if listening.contains(&port) {
            ProbeOutcome::Success
        } else {
            ProbeOutcome::Failure(format!("dial tcp {ip}:{port}: connect: connection refused"))
        }
    }

    /// Runs `argv` inside the container; success is exit status 0.
    pub fn exec(&mut self, argv: &[String], files: &crate::sim::kubelet::config::Files) -> ProbeOutcome {
        // SIM: placeholder until the simulated shell lands: `cat FILE` and `test -e FILE` look at
        // the container's files; anything else succeeds.
        let file_arg = match argv {
            [cat, f] if cat == "cat" => Some(f),
            [t, e, f] if t == "test" && (e == "-e" || e == "-f") => Some(f),
            _ => None,
        };
        match file_arg {
            Some(f) if !files.contains_key(f.as_str()) => {
                ProbeOutcome::Failure(format!("cat: can't open '{f}': No such file or directory\n"))
            }
            _ => ProbeOutcome::Success,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_tag_of_catalogue_image_fails_to_pull() {
        assert!(plan_pull("nginx:1.27").error.is_none());
        assert!(plan_pull("nginx:1.27.3-alpine").error.is_none());
        assert!(plan_pull("kiamol/ch03-sleep").error.is_none());
        let err = plan_pull("nginx:doesnotexist").error.unwrap();
        assert!(err.ends_with("docker.io/library/nginx:doesnotexist: not found"), "{err}");
        assert!(plan_pull("nginxx").error.unwrap().contains("pull access denied, repository does not exist"));
    }
}
