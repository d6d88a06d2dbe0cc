//! `kubectl exec [-it] POD|TYPE/NAME [-c CONTAINER] -- COMMAND [ARGS…]`.

use super::auth::Identity;
use crate::shell::files::{Files, Io};
use crate::shell::session::{is_redis_cli, is_shell, Attach};
use crate::shell::Output;
use crate::sim::images::KUBECTL_FILE;
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
    if io.tty
        && stdin
        && tty
        && io.stdin.is_none()
        && command.len() == 1
        && (is_shell(&command[0]) || is_redis_cli(&command[0]))
    {
        return match in_container(sim, &key, container.as_deref(), &["true".to_string()], false) {
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
    match in_container(sim, &key, container.as_deref(), command, to_terminal) {
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

/// Runs `argv` in the pod's container, as [`kubelet::exec`] does, with kubectl available in
/// images that ship it: there it acts as the pod's ServiceAccount, in the pod's namespace.
pub fn in_container(
    sim: &mut Sim,
    key: &ObjectKey,
    container: Option<&str>,
    argv: &[String],
    tty: bool,
) -> Result<(String, String, i32), String> {
    let pod = key.clone();
    let mut host = move |sim: &mut Sim, argv: &[String], stdin: Option<&str>, files: &Files, cwd: &str| {
        let program = argv.first()?.rsplit('/').next()?;
        if program != "kubectl" || !files.contains_key(KUBECTL_FILE.0) {
            return None;
        }
        let io = Io { stdin, files: Some(files), cwd, tty: false, stream: false };
        let out = kubectl_in_pod(sim, &pod, &io, &argv[1..]);
        Some(out.into())
    };
    kubelet::exec_with_host(sim, key, container, argv, tty, &mut host)
}

/// Where a pod's ServiceAccount credentials are mounted.
const SERVICE_ACCOUNT_DIR: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// kubectl inside a pod: its in-cluster configuration is the mounted token, so it acts as whom
/// the API server takes the token for (the pod's ServiceAccount); without a token
/// (`automountServiceAccountToken: false`) it has no configuration at all and tries
/// `localhost:8080`, as kubectl does.
fn kubectl_in_pod(sim: &mut Sim, pod: &ObjectKey, io: &Io, args: &[String]) -> Output {
    let files = io.files.cloned().unwrap_or_default();
    let Some(token) = files.get(&format!("{SERVICE_ACCOUNT_DIR}/token")) else {
        return Output::err(
            "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n",
            1,
        );
    };
    let Some(user) = crate::sim::apiserver::authn::token_user(sim.store(), sim.now(), token) else {
        return Output::err("error: You must be logged in to the server (Unauthorized)\n", 1);
    };
    let namespace = files
        .get(&format!("{SERVICE_ACCOUNT_DIR}/namespace"))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| pod.namespace.clone());
    let identity = Identity { user, impersonated: None };
    super::run_as(sim, io, args, &identity, Some(&namespace))
}

/// kubectl's words for an exec the kubelet refused.
pub(super) fn failed(e: String) -> Output {
    if e.starts_with("pods \"") {
        Output::err(format!("Error from server (NotFound): {e}\n"), 1)
    } else {
        Output::err(format!("error: {e}\n"), 1)
    }
}
