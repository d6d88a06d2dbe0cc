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
    /// The shell's variables after the last line (name, value, exported): each line runs in a
    /// new `sh -c`, so what one line sets is given to the next, as one shell would keep it.
    vars: Vec<(String, String, bool)>,
    /// Variables the container's environment gives each new shell that a line unset.
    unset: std::collections::BTreeSet<String>,
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
/// Between the directory and the variables after each line.
const VARS_MARK: &str = "@@kube-sandbox-vars:";

/// What the shell prints for the variables it left: see the `__vars` builtin.
fn read_vars(dump: &str) -> Vec<(String, String, bool)> {
    let mut vars = Vec::new();
    for line in dump.lines() {
        let mut words = line.split(' ');
        let (Some(name), Some(flag), Some(hex)) = (words.next(), words.next(), words.next()) else { continue };
        // The session's own bookkeeping and what each new shell sets for itself are not carried.
        if !is_name(name) || matches!(name, "__rc" | "PWD" | "OLDPWD" | "SHLVL" | "_") {
            continue;
        }
        let bytes: Option<Vec<u8>> =
            (0..hex.len()).step_by(2).map(|i| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok())).collect();
        let Some(bytes) = bytes else { continue };
        vars.push((name.to_string(), String::from_utf8_lossy(&bytes).into_owned(), flag == "x"));
    }
    vars
}

/// The lines that set `vars` again at the top of the next line's script.
fn restore_vars(vars: &[(String, String, bool)]) -> String {
    let mut out = String::new();
    for (name, value, exported) in vars {
        let quoted = value.replace('\'', r"'\''");
        out.push_str(&format!("{name}='{quoted}'\n"));
        if *exported {
            out.push_str(&format!("export {name}\n"));
        }
    }
    out
}

fn is_name(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Session {
    /// Opens a session, or says why the container cannot take one.
    pub fn open(sim: &mut Sim, attach: Attach) -> Result<Session, Output> {
        if is_redis_cli(&attach.shell) {
            exec(sim, &attach, &[attach.shell.clone(), "ping".to_string()])?;
            return Ok(Session {
                attach,
                cwd: "/".into(),
                hostname: String::new(),
                busybox: false,
                vars: Vec::new(),
                unset: Default::default(),
            });
        }
        let script = format!("hostname; pwd; printf '%s' '{VARS_MARK}'; __vars");
        let argv = vec![attach.shell.clone(), "-c".to_string(), script];
        let out = exec(sim, &attach, &argv)?;
        let (out, vars) = out.stdout.rsplit_once(VARS_MARK).unwrap_or((&out.stdout, ""));
        let vars = read_vars(vars);
        let mut lines = out.lines();
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
        Ok(Session { attach, cwd, hostname, busybox, vars, unset: Default::default() })
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
        let mut restore: String = self.unset.iter().map(|n| format!("unset {n}\n")).collect();
        restore.push_str(&restore_vars(&self.vars));
        let script = format!(
            "{restore}cd '{quoted}' 2>/dev/null\n{line}\n__rc=$?\nprintf '%s%s%s' '{CWD_MARK}' \"$PWD\" '{VARS_MARK}'\n__vars\nexit $__rc"
        );
        let argv = vec![self.attach.shell.clone(), "-c".to_string(), script];
        match exec(sim, &self.attach, &argv) {
            // The trailer is the last thing printed: its marks are the last ones in the output.
            Ok(mut out) => match out.stdout.rfind(VARS_MARK).and_then(|v| out.stdout[..v].rfind(CWD_MARK)) {
                Some(at) => {
                    let tail = out.stdout[at + CWD_MARK.len()..].to_string();
                    let (cwd, vars) = tail.rsplit_once(VARS_MARK).unwrap_or((tail.as_str(), ""));
                    self.cwd = cwd.to_string();
                    let vars = read_vars(vars);
                    for (name, ..) in &self.vars {
                        if !vars.iter().any(|(n, ..)| n == name) {
                            self.unset.insert(name.clone());
                        }
                    }
                    for (name, ..) in &vars {
                        self.unset.remove(name);
                    }
                    self.vars = vars;
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
