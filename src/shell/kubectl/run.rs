//! `kubectl run NAME --image=…`: one pod, labelled `run=NAME` unless `--labels` says otherwise.

use serde_json::{json, Map, Value};

use super::create::{finish, metadata, Mode};
use super::flags::{self, boolean, value, Spec};
use crate::shell::files::Io;
use crate::shell::session::{is_shell, Attach, RunAttach};
use crate::shell::Output;
use crate::sim::apiserver::{self, Propagation};
use crate::sim::kubelet;
use crate::sim::store::ObjectKey;
use crate::sim::Sim;

use std::time::Duration;

/// How long `run -it` waits for the command to finish (simulated time).
const ATTACH_WAIT: Duration = Duration::from_secs(300);
const ATTACH_QUIET: Duration = Duration::from_secs(10);

const SPECS: &[Spec] = &[
    value("image"),
    value("port"),
    value("env"),
    value("labels").short('l'),
    value("annotations"),
    value("restart"),
    value("image-pull-policy"),
    boolean("command"),
    boolean("stdin").short('i'),
    boolean("tty").short('t'),
    boolean("rm"),
    boolean("attach"),
    boolean("quiet").short('q'),
    boolean("privileged"),
    value("overrides"),
    value("override-type"),
];

/// Runs `kubectl run NAME --image=IMAGE [--port] [--env K=V] [--labels k=v,…] [--restart]
/// [--command] [-- ARGS…]`.
pub fn run(sim: &mut Sim, io: &Io, args: &[String], default_ns: &str) -> Output {
    match build(args, default_ns) {
        Ok((obj, mode, interactive, rm)) => {
            let name = obj["metadata"]["name"].as_str().unwrap_or("").to_string();
            let spec = &obj["spec"]["containers"][0];
            let keyboard = io.tty && spec["tty"] == true && spec["stdin"] == true;
            let shell = [&spec["command"], &spec["args"]]
                .iter()
                .find_map(|v| v[0].as_str().map(str::to_string))
                .unwrap_or_else(|| "sh".to_string());
            let mut out = finish(sim, obj, &mode, "{}");
            if out.status != 0 || !interactive {
                return out;
            }
            // The terminal cannot type into a container, but a command that runs to its end
            // (`-- wget -qO- http://web`) shows its output, as attaching would.
            // Attached, kubectl does not print `pod/NAME created`.
            // SIM: kubectl writes this line to stderr before the container's output; a terminal
            // shows it first, but here stdout is shown before stderr, so it leads stdout.
            out.stdout = "If you don't see a command prompt, try pressing enter.\n".into();
            let key = ObjectKey { kind: "Pod".into(), namespace: mode.namespace.clone(), name: name.clone() };
            let mut waited = Duration::ZERO;
            let started = |sim: &Sim| kubelet::logs(sim, &key, None, false).is_ok();
            // Until it ends; a container that runs on quietly for 10 s is taken to wait for input.
            let (mut quiet, mut seen) = (Duration::ZERO, 0);
            while waited < ATTACH_WAIT
                && quiet < ATTACH_QUIET
                && (!started(sim) || kubelet::is_running(sim, &key, None))
            {
                sim.advance(Duration::from_millis(500));
                waited += Duration::from_millis(500);
                let lines = kubelet::logs(sim, &key, None, false).map_or(0, |l| l.len());
                quiet =
                    if lines != seen || !started(sim) { Duration::ZERO } else { quiet + Duration::from_millis(500) };
                seen = lines;
            }
            let finished = started(sim) && !kubelet::is_running(sim, &key, None);
            if let Ok(lines) = kubelet::logs(sim, &key, None, false) {
                out.stdout.extend(lines.iter().map(|l| format!("{l}\n")));
            }
            if !finished && keyboard && is_shell(&shell) && kubelet::is_running(sim, &key, None) {
                // SIM: the learner types into a second shell in the container, not the one
                // kubectl started; leaving it leaves the container running.
                out.attach =
                    Some(Box::new(Attach { pod: key, container: Some(name), shell, run: Some(RunAttach { rm }) }));
                return out;
            }
            if !finished {
                // SIM: an interactive shell would wait for keystrokes this terminal cannot send.
                out.stderr.push_str("error: interactive sessions are not supported in this terminal: the container still runs; use `kubectl exec POD -- COMMAND` to run commands in it\n");
                out.status = 1;
            }
            if rm && apiserver::delete(sim, "Pod", Some(&mode.namespace), &name, Propagation::Background).is_ok() {
                out.stdout.push_str(&format!("pod \"{name}\" deleted\n"));
                wait_until_gone(sim, &key);
            }
            out
        }
        Err(e) => Output::err(e, 1),
    }
}

/// The longest `--rm` waits for the pod to go (its grace period, with room to spare).
const DELETE_WAIT: Duration = Duration::from_secs(300);

/// Waits, as kubectl's delete does by default, until the pod is gone: at once for a pod whose
/// containers have all exited (its kubelet has nothing to stop), after the graceful
/// termination for one still running.
pub fn wait_until_gone(sim: &mut Sim, key: &ObjectKey) {
    let mut waited = Duration::ZERO;
    while waited < DELETE_WAIT && sim.store().get_key(key).is_some() {
        sim.advance(Duration::from_millis(100));
        waited += Duration::from_millis(100);
    }
}

fn build(args: &[String], default_ns: &str) -> Result<(Value, Mode, bool, bool), String> {
    let flags = flags::parse(args, SPECS, "kubectl run")?;
    let mode = Mode::from_flags(&flags, default_ns)?;
    let Some(name) = flags.args.first().cloned() else {
        return Err("error: NAME is required for run\n".into());
    };
    let Some(image) = flags.get("image").filter(|i| !i.is_empty()) else {
        return Err("error: --image is required\n".into());
    };
    if image.contains(char::is_whitespace) || image.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(format!("error: invalid image name \"{image}\": invalid reference format\n"));
    }
    let (stdin, tty, rm) = (flags.on("stdin"), flags.on("tty"), flags.on("rm"));
    if tty && !stdin {
        return Err("error: -i/--stdin is required for containers with -t/--tty=true\n".into());
    }
    let attached = stdin || tty || flags.on("attach");
    if rm && !attached {
        return Err("error: --rm should only be used for attached containers\n".into());
    }
    if attached && mode.dry_run != super::create::DryRun::None {
        return Err("error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)\n".into());
    }
    let restart = flags.get("restart").unwrap_or("Always");
    if !matches!(restart, "Always" | "OnFailure" | "Never") {
        return Err(format!("error: invalid restart policy: {restart}, valid values are: Always, OnFailure, Never\n"));
    }
    let mut labels = Map::new();
    match flags.get("labels") {
        None => {
            labels.insert("run".into(), json!(name));
        }
        Some(spec) => {
            for part in spec.split(',') {
                let Some((k, v)) = part.split_once('=') else {
                    return Err(format!("error: unexpected label spec: {part}\n"));
                };
                if k.is_empty() {
                    return Err("error: unexpected empty label key\n".into());
                }
                labels.insert(k.to_string(), json!(v));
            }
        }
    }
    let mut container = json!({"image": image, "name": name, "resources": {}});
    let rest: Vec<String> = flags.args[1..].iter().chain(&flags.after_dash).cloned().collect();
    if !rest.is_empty() {
        container[if flags.on("command") { "command" } else { "args" }] = json!(rest);
    }
    let env: Result<Vec<Value>, String> = flags
        .all("env")
        .iter()
        .map(|e| match e.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok(json!({"name": k, "value": v})),
            _ => Err(format!("error: invalid env: {e}\n")),
        })
        .collect();
    let env = env?;
    if !env.is_empty() {
        container["env"] = json!(env);
    }
    if let Some(p) = flags.get("port") {
        let port: i64 = p.parse().map_err(|_| format!("error: {}\n", super::flags::go_int_error("strconv.Atoi", p)))?;
        container["ports"] = json!([{"containerPort": port}]);
    }
    if let Some(policy) = flags.get("image-pull-policy") {
        if !matches!(policy, "Always" | "IfNotPresent" | "Never") {
            return Err(format!(
                "error: invalid image pull policy: {policy}, valid values are: Always, IfNotPresent, Never\n"
            ));
        }
        container["imagePullPolicy"] = json!(policy);
    }
    if flags.on("privileged") {
        container["securityContext"] = json!({"privileged": true});
    }
    if stdin {
        container["stdin"] = json!(true);
        container["stdinOnce"] = json!(true);
    }
    if tty {
        container["tty"] = json!(true);
    }
    let mut meta = metadata(&name, &mode, true);
    meta.insert("labels".into(), Value::Object(labels));
    if let Some(a) = flags.get("annotations") {
        let mut annotations = Map::new();
        for part in a.split(',') {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            annotations.insert(k.to_string(), json!(v));
        }
        meta.insert("annotations".into(), Value::Object(annotations));
    }
    let obj = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": restart},
        "status": {},
    });
    let obj = match flags.get("overrides").filter(|o| !o.is_empty()) {
        Some(o) => overridden(obj, o, flags.get("override-type").unwrap_or("merge"))?,
        None => obj,
    };
    Ok((obj, mode, attached, rm))
}

/// `--overrides JSON` laid over the generated pod as `--override-type` says (a JSON merge
/// patch by default, or a strategic merge or JSON 6902 patch), then read back as a Pod, which
/// gives each container its `resources: {}` again.
fn overridden(obj: Value, overrides: &str, kind: &str) -> Result<Value, String> {
    use crate::sim::apiserver::patch::{merge_patch, strategic_merge_patch};
    if !matches!(kind, "json" | "merge" | "strategic") {
        return Err(format!("error: invalid override type: {kind}\n"));
    }
    let patch: Value = serde_json::from_str(overrides).map_err(|_| "error: Invalid JSON Patch\n".to_string())?;
    let mut out = match kind {
        "merge" => merge_patch(&obj, &patch),
        "strategic" => strategic_merge_patch(&obj, &patch).map_err(|e| format!("error: {e}\n"))?,
        _ => super::json_patch::apply(&obj, &patch).map_err(|e| format!("error: {e}\n"))?,
    };
    if let Some(Value::Array(cs)) = out.pointer_mut("/spec/containers") {
        for c in cs.iter_mut().filter_map(Value::as_object_mut) {
            c.entry("resources").or_insert_with(|| json!({}));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn run_creates_a_pod_that_starts() {
        let mut sim = Sim::new(SimConfig::default());
        assert_eq!(Shell.run_line(&mut sim, "kubectl run web --image=nginx --port=80").stdout, "pod/web created\n");
        Shell.run_line(&mut sim, "sleep 20");
        let pod = sim.store().get("Pod", Some("default"), "web").unwrap();
        assert_eq!(pod.label("run"), Some("web"));
        assert_eq!(pod.field("status.phase"), Some(&serde_json::json!("Running")));
        let out = Shell.run_line(&mut sim, "kubectl run web --image=nginx");
        assert_eq!(out.stderr, "Error from server (AlreadyExists): pods \"web\" already exists\n");
    }

    #[test]
    fn run_refuses_what_kubectl_refuses() {
        let mut sim = Sim::new(SimConfig::default());
        assert_eq!(Shell.run_line(&mut sim, "kubectl run web").stderr, "error: --image is required\n");
        assert_eq!(Shell.run_line(&mut sim, "kubectl run --image=nginx").stderr, "error: NAME is required for run\n");
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl run web --image=nginx --rm").stderr,
            "error: --rm should only be used for attached containers\n"
        );
        assert_eq!(
            Shell.run_line(&mut sim, "kubectl run web --image=nginx --restart=Sometimes").stderr,
            "error: invalid restart policy: Sometimes, valid values are: Always, OnFailure, Never\n"
        );
    }

    #[test]
    fn interactive_run_says_it_is_not_supported_yet_and_rm_cleans_up() {
        let mut sim = Sim::new(SimConfig::default());
        let out = Shell.run_line(&mut sim, "kubectl run -it --rm tmp --image=busybox --restart=Never -- sh");
        assert!(out.stderr.contains("not supported in this terminal"), "{}", out.stderr);
        assert_eq!(out.status, 1);
        assert_eq!(out.stdout, "If you don't see a command prompt, try pressing enter.\npod \"tmp\" deleted\n");
        assert!(sim.store().get("Pod", Some("default"), "tmp").is_none(), "gone once kubectl returns");
    }

    #[test]
    fn interactive_run_of_a_command_shows_its_output() {
        let mut sim = Sim::new(SimConfig::default());
        let out = Shell.run_line(&mut sim, "kubectl run -it --rm --restart=Never hi --image=busybox -- echo hello");
        assert_eq!(
            out.stdout, "If you don't see a command prompt, try pressing enter.\nhello\npod \"hi\" deleted\n",
            "{}",
            out.stderr
        );
        assert_eq!(out.status, 0);
    }

    #[test]
    fn run_rm_prints_the_prompt_hint_first_and_the_pod_is_gone_when_it_returns() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(
            &mut sim,
            "kubectl create deployment web --image=nginx:1.27; kubectl expose deploy web --port 80",
        );
        Shell.run_line(&mut sim, "sleep 20");
        let out = Shell.run_line(
            &mut sim,
            "kubectl run tmp -it --rm --image=busybox:1.36 --restart=Never -- wget -qO- http://web",
        );
        assert!(
            out.stdout.starts_with("If you don't see a command prompt, try pressing enter.\n<!DOCTYPE html>"),
            "{}",
            out.stdout
        );
        assert!(out.stdout.ends_with("</html>\npod \"tmp\" deleted\n"), "{}", out.stdout);
        assert_eq!(out.stderr, "");
        let pods = Shell.run_line(&mut sim, "kubectl get pods").stdout;
        assert!(!pods.contains("tmp"), "{pods}");
    }
}
