//! `kubectl attach POD [-c CONTAINER] [-i] [-t]`: the running container's output from now on,
//! and with `-it` to a container started with a terminal and stdin (`kubectl run -it`), its
//! shell at the terminal.

use serde_json::Value;

use crate::shell::files::Io;
use crate::shell::session::{is_shell, Attach};
use crate::shell::Output;
use crate::sim::store::ObjectKey;
use crate::sim::{kubelet, Sim};

/// kubectl's line before handing the terminal to an attached (or `run -it`) container.
pub const PRESS_ENTER: &str = "If you don't see a command prompt, try pressing enter.\n";

/// Runs `kubectl attach …`.
pub fn run(sim: &mut Sim, io: &Io, args: &[String], namespace: &str) -> Output {
    let (mut target, mut container) = (None, None);
    let (mut stdin, mut tty) = (false, false);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-c" | "--container" => match it.next() {
                Some(c) => container = Some(c.clone()),
                None => return Output::err(format!("error: flag needs an argument: {a}\n"), 1),
            },
            s if s.starts_with("--container=") => container = Some(s["--container=".len()..].to_string()),
            "-i" | "--stdin" => stdin = true,
            "-t" | "--tty" => tty = true,
            "-it" | "-ti" => (stdin, tty) = (true, true),
            "-q" | "--quiet" => {}
            s if s.starts_with("--pod-running-timeout") => {}
            s if s.starts_with('-') => return Output::err(format!("error: unknown flag: {s}\n"), 1),
            t if target.is_none() => target = Some(t.to_string()),
            _ => return Output::err("error: expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments)\n", 1),
        }
    }
    let Some(target) = target else {
        return Output::err("error: at least 1 argument is required for attach\n", 1);
    };
    let pod = match super::pod_for_target(sim, &target, namespace) {
        Ok(p) => p,
        Err(out) => return out,
    };
    let key = ObjectKey { kind: "Pod".into(), namespace: namespace.into(), name: pod.clone() };
    let Some(obj) = sim.store().get_key(&key) else {
        return Output::err(format!("Error from server (NotFound): pods \"{pod}\" not found\n"), 1);
    };
    let phase = obj.field("status.phase").and_then(Value::as_str).unwrap_or("Pending").to_string();
    if matches!(phase.as_str(), "Succeeded" | "Failed") {
        return Output::err(
            format!("error: cannot attach a container in a completed pod; current phase is {phase}\n"),
            1,
        );
    }
    let specs = obj.field("spec.containers").and_then(Value::as_array).cloned().unwrap_or_default();
    let spec = match &container {
        Some(c) => specs.iter().find(|s| s["name"] == c.as_str()).cloned(),
        None => specs.first().cloned(),
    };
    let Some(spec) = spec else {
        let c = container.unwrap_or_default();
        return Output::err(format!("error: container {c} not found in pod {pod}\n"), 1);
    };
    let name = spec["name"].as_str().unwrap_or("").to_string();
    let mut stderr = String::new();
    if container.is_none() && specs.len() > 1 {
        let all: Vec<&str> = specs.iter().filter_map(|s| s["name"].as_str()).collect();
        stderr.push_str(&format!("Defaulted container \"{name}\" out of: {}\n", all.join(", ")));
    }
    if !kubelet::is_running(sim, &key, Some(&name)) {
        return Output::err(
            format!("{stderr}error: unable to upgrade connection: container {name} not found in pod {pod}\n"),
            1,
        );
    }
    let allocated = spec["tty"] == true;
    if tty && !allocated {
        stderr.push_str(&format!("Unable to use a TTY - container {name} did not allocate one\n"));
    }
    let command: Vec<String> = spec["command"]
        .as_array()
        .or(spec["args"].as_array())
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    // A shell waiting at a terminal: the learner's lines go to it.
    if io.tty && stdin && tty && allocated && spec["stdin"] == true && command.first().is_some_and(|c| is_shell(c)) {
        // SIM: kubectl writes this line to stderr; it leads stdout here, as `run -it` has it.
        return Output {
            stdout: PRESS_ENTER.to_string(),
            stderr,
            attach: Some(Box::new(Attach { pod: key, container: Some(name), shell: command[0].clone(), run: None })),
            ..Output::default()
        };
    }
    let lead = if tty && allocated { PRESS_ENTER } else { "" };
    // Its output from now on, as `logs -f` would show it.
    let follow: Vec<String> = [pod, "-c".into(), name, "-f".into(), "--tail=0".into()].into();
    let mut out = super::logs::run_streaming(sim, &follow, namespace, io.stream);
    out.stderr.insert_str(0, &stderr);
    out.stdout.insert_str(0, lead);
    out
}
