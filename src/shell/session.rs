//! An interactive shell in a container: after `kubectl exec -it POD -- sh` (or `kubectl run -it
//! … -- sh`) the terminal's lines run in the container until `exit`, with the container's
//! prompt, files and network.
//!
//! SIM: each line runs as its own exec in the container; the working directory carries over
//! from line to line, shell variables set with `export` do not.

use crate::shell::Output;
use crate::sim::apiserver::{self, Propagation};
use crate::sim::process::parser;
use crate::sim::store::ObjectKey;
use crate::sim::Sim;

/// What a command asks the terminal to attach to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attach {
    pub pod: ObjectKey,
    pub container: Option<String>,
    /// The shell the learner asked for (`sh`, `bash`, `/bin/sh`…).
    pub shell: String,
    /// Attached by `kubectl run -it`: leaving prints how to re-attach, or deletes the pod with
    /// `--rm`.
    pub run: Option<RunAttach>,
}

/// How `kubectl run -it` was asked to end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunAttach {
    pub rm: bool,
}

/// An open session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    attach: Attach,
    cwd: String,
    hostname: String,
    /// busybox and alpine's `sh` show the directory in the prompt; Debian's does not.
    busybox: bool,
}

/// The shells an interactive session can be opened with.
pub fn is_shell(program: &str) -> bool {
    matches!(program.rsplit('/').next(), Some("sh" | "bash" | "ash"))
}

/// Whether a session is redis-cli's prompt rather than a shell.
pub fn is_redis_cli(program: &str) -> bool {
    program.rsplit('/').next() == Some("redis-cli")
}

/// Put after each line to learn the directory it ended in; a line that ran `exit` never prints it.
const CWD_MARK: &str = "@@kube-sandbox-cwd:";

impl Session {
    /// Opens a session, or says why the container cannot take one.
    pub fn open(sim: &mut Sim, attach: Attach) -> Result<Session, Output> {
        if is_redis_cli(&attach.shell) {
            exec(sim, &attach, &[attach.shell.clone(), "ping".to_string()])?;
            return Ok(Session { attach, cwd: "/".into(), hostname: String::new(), busybox: false });
        }
        let argv = vec![attach.shell.clone(), "-c".to_string(), "hostname; pwd".to_string()];
        let out = exec(sim, &attach, &argv)?;
        let mut lines = out.stdout.lines();
        let hostname = lines.next().unwrap_or(&attach.pod.name).to_string();
        let cwd = lines.next().filter(|d| d.starts_with('/')).unwrap_or("/").to_string();
        let image = sim
            .store()
            .get_key(&attach.pod)
            .and_then(|p| {
                let containers = p.field("spec.containers")?.as_array()?;
                let c = match &attach.container {
                    Some(name) => containers.iter().find(|c| c["name"] == name.as_str())?,
                    None => containers.first()?,
                };
                c["image"].as_str().map(str::to_string)
            })
            .unwrap_or_default();
        let busybox = image.contains("busybox") || image.contains("alpine");
        Ok(Session { attach, cwd, hostname, busybox })
    }

    /// The prompt the container's shell shows.
    pub fn prompt(&self) -> String {
        if is_redis_cli(&self.attach.shell) {
            return "127.0.0.1:6379> ".to_string();
        }
        if self.attach.shell.ends_with("bash") {
            let dir = if self.cwd == "/root" { "~" } else { &self.cwd };
            format!("root@{}:{dir}# ", self.hostname)
        } else if self.busybox {
            format!("{} # ", self.cwd)
        } else {
            "# ".to_string()
        }
    }

    /// Runs one line in the container. Returns what it printed and whether the session ended
    /// (the line ran `exit`, or the container is gone).
    pub fn run_line(&mut self, sim: &mut Sim, line: &str) -> (Output, bool) {
        if line.trim().is_empty() {
            return (Output::default(), false);
        }
        if is_redis_cli(&self.attach.shell) {
            return self.redis_line(sim, line);
        }
        if let Err(e) = parser::parse(line) {
            let name = self.attach.shell.rsplit('/').next().unwrap_or("sh").to_string();
            return (Output::err(format!("{name}: {e}\n"), 2), false);
        }
        let quoted = self.cwd.replace('\'', r"'\''");
        let script =
            format!("cd '{quoted}' 2>/dev/null\n{line}\n__rc=$?\nprintf '%s%s' '{CWD_MARK}' \"$PWD\"\nexit $__rc");
        let argv = vec![self.attach.shell.clone(), "-c".to_string(), script];
        match exec(sim, &self.attach, &argv) {
            Ok(mut out) => match out.stdout.rfind(CWD_MARK) {
                Some(at) => {
                    self.cwd = out.stdout[at + CWD_MARK.len()..].to_string();
                    out.stdout.truncate(at);
                    (out, false)
                }
                None => {
                    let code = out.status;
                    if code != 0 {
                        out.stderr.push_str(&format!("command terminated with exit code {code}\n"));
                    }
                    self.leave(sim, &mut out);
                    (out, true)
                }
            },
            // The container stopped under the learner's feet.
            Err(mut out) => {
                out.stderr = "command terminated with exit code 137\n".into();
                out.status = 137;
                self.leave(sim, &mut out);
                (out, true)
            }
        }
    }

    /// One line typed at redis-cli's prompt: a command and its arguments, or `exit`/`quit`.
    // SIM: the words are split at blanks; redis-cli's own quoting is not read.
    fn redis_line(&mut self, sim: &mut Sim, line: &str) -> (Output, bool) {
        let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        if matches!(words[0].to_ascii_lowercase().as_str(), "exit" | "quit") {
            return (Output::default(), true);
        }
        let mut argv = vec![self.attach.shell.clone()];
        argv.extend(words);
        match crate::shell::kubectl::exec::in_container(
            sim,
            &self.attach.pod,
            self.attach.container.as_deref(),
            &argv,
            true,
        ) {
            Ok((stdout, stderr, _)) => (Output { stdout, stderr, ..Output::default() }, false),
            Err(_) => (Output::err("command terminated with exit code 137\n", 137), true),
        }
    }

    /// What kubectl prints when an attached `run` session ends.
    fn leave(&self, sim: &mut Sim, out: &mut Output) {
        let Some(run) = &self.attach.run else { return };
        let pod = &self.attach.pod;
        if run.rm {
            if apiserver::delete(sim, "Pod", Some(&pod.namespace), &pod.name, Propagation::Background).is_ok() {
                out.stdout.push_str(&format!("pod \"{}\" deleted\n", pod.name));
                crate::shell::kubectl::run::wait_until_gone(sim, pod);
            }
        } else {
            let c = self.attach.container.as_deref().unwrap_or(&pod.name);
            out.stdout.push_str(&format!(
                "Session ended, resume using 'kubectl attach {} -c {c} -i -t' command when the pod is running\n",
                pod.name
            ));
        }
    }
}

/// Runs `argv` in the attached container.
fn exec(sim: &mut Sim, attach: &Attach, argv: &[String]) -> Result<Output, Output> {
    match crate::shell::kubectl::exec::in_container(sim, &attach.pod, attach.container.as_deref(), argv, false) {
        Ok((stdout, stderr, status)) => Ok(Output { stdout, stderr, status, ..Output::default() }),
        Err(e) if e.starts_with("pods \"") => Err(Output::err(format!("Error from server (NotFound): {e}\n"), 1)),
        Err(e) => Err(Output::err(format!("error: {e}\n"), 1)),
    }
}
