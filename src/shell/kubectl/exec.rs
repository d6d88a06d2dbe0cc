//! `kubectl exec [-it] POD|TYPE/NAME [-c CONTAINER] -- COMMAND [ARGS…]`.

use crate::shell::files::Io;
use crate::shell::session::{is_shell, Attach};
use crate::shell::Output;
use crate::sim::store::ObjectKey;
use crate::sim::{kubelet, Sim};

/// Runs `kubectl exec …`.
pub fn run(sim: &mut Sim, io: &Io, args: &[String], namespace: &str) -> Output {
    let Some(dash) = args.iter().position(|a| a == "--") else {
        return Output::err("error: you must specify at least one command for the container\n", 1);
    };
    let (opts, command) = (&args[..dash], &args[dash + 1..]);
    if command.is_empty() {
        return Output::err("error: you must specify at least one command for the container\n", 1);
    }
    let (mut target, mut container) = (None, None);
    let (mut stdin, mut tty) = (false, false);
    let mut it = opts.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-c" | "--container" => container = it.next().cloned(),
            "-i" | "--stdin" => stdin = true,
            "-t" | "--tty" => tty = true,
            "-it" | "-ti" => (stdin, tty) = (true, true),
            t if !t.starts_with('-') && target.is_none() => target = Some(t.to_string()),
            other => return Output::err(format!("error: unknown flag: {other}\n"), 1),
        }
    }
    let Some(target) = target else {
        return Output::err("error: pod, type/name or --filename must be specified\n", 1);
    };
    let pod = match super::pod_for_target(sim, &target, namespace) {
        Ok(p) => p,
        Err(out) => return out,
    };
    let key = ObjectKey { kind: "Pod".into(), namespace: namespace.into(), name: pod };
    // A bare shell with a keyboard attached: the terminal's next lines go into the container.
    if io.tty && stdin && tty && io.stdin.is_none() && command.len() == 1 && is_shell(&command[0]) {
        return match kubelet::exec(sim, &key, container.as_deref(), &["true".to_string()]) {
            Ok(_) => Output {
                attach: Some(Box::new(Attach { pod: key, container, shell: command[0].clone(), run: None })),
                ..Output::default()
            },
            Err(e) => failed(e),
        };
    }
    // A command with arguments typed at the page with -it writes to its terminal; a bare one
    // there opened a session above.
    let to_terminal = io.tty && stdin && tty && command.len() > 1;
    match kubelet::exec_in(sim, &key, container.as_deref(), command, to_terminal) {
        Ok((stdout, stderr, 0)) => Output { stdout, stderr, status: 0, ..Output::default() },
        Ok((stdout, stderr, code)) => Output {
            stdout,
            stderr: format!("{stderr}command terminated with exit code {code}\n"),
            status: code,
            ..Output::default()
        },
        Err(e) => failed(e),
    }
}

/// kubectl's words for an exec the kubelet refused.
fn failed(e: String) -> Output {
    if e.starts_with("pods \"") {
        Output::err(format!("Error from server (NotFound): {e}\n"), 1)
    } else {
        Output::err(format!("error: {e}\n"), 1)
    }
}
