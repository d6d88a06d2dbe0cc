//! `kubectl exec [-it] POD|TYPE/NAME [-c CONTAINER] -- COMMAND [ARGS…]`.

use crate::shell::Output;
use crate::sim::store::ObjectKey;
use crate::sim::{kubelet, Sim};

/// Runs `kubectl exec …`.
pub fn run(sim: &mut Sim, args: &[String], namespace: &str) -> Output {
    let Some(dash) = args.iter().position(|a| a == "--") else {
        return Output::err("error: you must specify at least one command for the container\n", 1);
    };
    let (opts, command) = (&args[..dash], &args[dash + 1..]);
    if command.is_empty() {
        return Output::err("error: you must specify at least one command for the container\n", 1);
    }
    let (mut target, mut container) = (None, None);
    let mut it = opts.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-c" | "--container" => container = it.next().cloned(),
            "-i" | "-t" | "-it" | "-ti" | "--stdin" | "--tty" => {}
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
    match kubelet::exec(sim, &key, container.as_deref(), command) {
        Ok((stdout, stderr, 0)) => Output { stdout, stderr, status: 0 },
        Ok((stdout, stderr, code)) => {
            Output { stdout, stderr: format!("{stderr}command terminated with exit code {code}\n"), status: code }
        }
        Err(e) if e.starts_with("pods \"") => Output::err(format!("Error from server (NotFound): {e}\n"), 1),
        Err(e) if e.starts_with("Internal error") => Output::err(format!("error: {e}\n"), 1),
        Err(e) => Output::err(format!("error: {e}\n"), 1),
    }
}
