//! `kubectl debug`: a pod on a node with its host's file system at /host
//! (`debug node/NAME -it --image=busybox`), and a copy of a pod with a debugging container
//! added (`debug POD -it --image=busybox --copy-to=NAME [--share-processes]`).

use std::time::Duration;

use serde_json::{json, Value};

use crate::shell::files::Io;
use crate::shell::session::{is_shell, Attach, RunAttach};
use crate::shell::Output;
use crate::sim::api::Object;
use crate::sim::store::ObjectKey;
use crate::sim::{apiserver, kubelet, Sim};

/// The longest kubectl waits for the debugging pod to run before attaching.
const ATTACH_WAIT: Duration = Duration::from_secs(120);

#[derive(Debug, Default)]
struct Options {
    target: Option<String>,
    image: Option<String>,
    copy_to: Option<String>,
    container: Option<String>,
    target_container: Option<String>,
    share_processes: bool,
    stdin: bool,
    tty: bool,
    quiet: bool,
    command: Vec<String>,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--" {
            o.command = it.by_ref().cloned().collect();
            break;
        }
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let value = |it: &mut std::slice::Iter<'_, String>| {
            inline.clone().or_else(|| it.next().cloned()).ok_or(format!("error: flag needs an argument: {flag}\n"))
        };
        match flag {
            "--image" => o.image = Some(value(&mut it)?),
            "--copy-to" => o.copy_to = Some(value(&mut it)?),
            "-c" | "--container" => o.container = Some(value(&mut it)?),
            "--target" => o.target_container = Some(value(&mut it)?),
            "--profile" | "--image-pull-policy" | "--custom" | "--env" | "--set-image" => {
                value(&mut it)?;
            }
            "--share-processes" => o.share_processes = inline.as_deref() != Some("false"),
            "--attach"
            | "--replace"
            | "--same-node"
            | "--keep-labels"
            | "--keep-annotations"
            | "--keep-liveness"
            | "--keep-readiness"
            | "--keep-startup"
            | "--keep-init-containers" => {}
            "-i" | "--stdin" => o.stdin = true,
            "-t" | "--tty" => o.tty = true,
            "-it" | "-ti" => (o.stdin, o.tty) = (true, true),
            "-q" | "--quiet" => o.quiet = true,
            f if f.starts_with('-') => return Err(format!("error: unknown flag: {f}\n")),
            t if o.target.is_none() => o.target = Some(t.to_string()),
            _ => return Err("error: only one target may be specified\n".into()),
        }
    }
    Ok(o)
}

/// Runs `kubectl debug …`.
pub fn run(sim: &mut Sim, io: &Io, args: &[String], namespace: &str) -> Output {
    let o = match parse(args) {
        Ok(o) => o,
        Err(e) => return Output::err(e, 1),
    };
    let Some(target) = o.target.clone() else {
        return Output::err("error: NAME is required for debug\n", 1);
    };
    let Some(image) = o.image.clone() else {
        return Output::err("error: --image is required\n", 1);
    };
    if let Some(node) = target.strip_prefix("node/").or_else(|| target.strip_prefix("nodes/")) {
        return debug_node(sim, io, &o, node, &image, namespace);
    }
    let pod = target.strip_prefix("pod/").or_else(|| target.strip_prefix("pods/")).unwrap_or(&target).to_string();
    let Some(original) = sim.store().get("Pod", Some(namespace), &pod).cloned() else {
        return Output::err(format!("Error from server (NotFound): pods \"{pod}\" not found\n"), 1);
    };
    let Some(copy_to) = o.copy_to.clone() else {
        // SIM: ephemeral containers (pod.spec.ephemeralContainers) are not simulated.
        return Output::err(
            "error: ephemeral debug containers are not simulated in this sandbox: use --copy-to=NAME to debug a copy of the pod, or kubectl exec into it\n",
            1,
        );
    };
    let mut stderr = String::new();
    let name = match &o.container {
        Some(c) => c.clone(),
        None => {
            let n = format!("debugger-{}", sim.rng_mut().name_suffix(5));
            stderr.push_str(&format!("Defaulting debug container name to {n}.\n"));
            n
        }
    };
    let mut container = json!({"name": name, "image": image, "terminationMessagePolicy": "File"});
    if o.stdin {
        container["stdin"] = json!(true);
    }
    if o.tty {
        container["tty"] = json!(true);
    }
    if !o.command.is_empty() {
        container["command"] = json!(o.command);
    }
    // kubectl copies the pod's spec (without its node and labels), and adds the container.
    let mut spec = original.field("spec").cloned().unwrap_or_else(|| json!({}));
    if let Some(m) = spec.as_object_mut() {
        m.remove("nodeName");
        if o.share_processes {
            m.insert("shareProcessNamespace".into(), json!(true));
        }
        if let Some(cs) = m.get_mut("containers").and_then(Value::as_array_mut) {
            cs.push(container);
        }
    }
    let body =
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": copy_to, "namespace": namespace}, "spec": spec});
    let out = create(sim, body, namespace);
    let key = match out {
        Ok(key) => key,
        Err(e) => return Output::err(format!("{stderr}{e}"), 1),
    };
    let mut out = attach(sim, io, &o, key, &name);
    // Both lines are kubectl's stderr, the container's name first.
    if let Some(rest) = out.stdout.strip_prefix(super::attach::PRESS_ENTER) {
        out.stdout = rest.to_string();
        stderr.push_str(super::attach::PRESS_ENTER);
    }
    out.stderr.insert_str(0, &stderr);
    out
}

/// `debug node/NAME`: a pod bound to the node, in its host namespaces, with its root at /host.
fn debug_node(sim: &mut Sim, io: &Io, o: &Options, node: &str, image: &str, namespace: &str) -> Output {
    if sim.store().get("Node", None, node).is_none() {
        return Output::err(format!("Error from server (NotFound): nodes \"{node}\" not found\n"), 1);
    }
    let pod = format!("node-debugger-{node}-{}", sim.rng_mut().name_suffix(5));
    let mut container = json!({
        "name": "debugger",
        "image": image,
        "terminationMessagePolicy": "File",
        "volumeMounts": [{"name": "host-root", "mountPath": "/host"}],
    });
    if o.stdin {
        container["stdin"] = json!(true);
    }
    if o.tty {
        container["tty"] = json!(true);
    }
    if !o.command.is_empty() {
        container["command"] = json!(o.command);
    }
    let body = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": pod, "namespace": namespace},
        "spec": {
            "nodeName": node,
            "hostIPC": true,
            "hostNetwork": true,
            "hostPID": true,
            "restartPolicy": "Never",
            "tolerations": [{"operator": "Exists"}],
            "containers": [container],
            "volumes": [{"name": "host-root", "hostPath": {"path": "/"}}],
        },
    });
    let key = match create(sim, body, namespace) {
        Ok(key) => key,
        Err(e) => return Output::err(e, 1),
    };
    let mut out = attach(sim, io, o, key, "debugger");
    if !o.quiet {
        out.stdout.insert_str(0, &format!("Creating debugging pod {pod} with container debugger on node {node}.\n"));
    }
    out
}

fn create(sim: &mut Sim, body: Value, namespace: &str) -> Result<ObjectKey, String> {
    let obj = Object::from_value(body).map_err(|e| format!("error: {e:?}\n"))?;
    let name = obj.name().to_string();
    apiserver::create(sim, obj).map_err(|e| format!("{e}\n"))?;
    Ok(ObjectKey { kind: "Pod".into(), namespace: namespace.into(), name })
}

/// With `-it`, waits for the debugging container to run and hands the terminal to its shell.
fn attach(sim: &mut Sim, io: &Io, o: &Options, key: ObjectKey, container: &str) -> Output {
    if !(o.stdin && o.tty) {
        return Output::default();
    }
    let mut waited = Duration::ZERO;
    while waited < ATTACH_WAIT && !kubelet::is_running(sim, &key, Some(container)) {
        sim.advance(Duration::from_millis(500));
        waited += Duration::from_millis(500);
    }
    if !kubelet::is_running(sim, &key, Some(container)) {
        return Output::err(format!("error: timed out waiting for the condition on pods/{}\n", key.name), 1);
    }
    let shell = o.command.first().cloned().unwrap_or_else(|| "sh".to_string());
    // SIM: kubectl writes this line to stderr; it leads stdout here, as `run -it` has it.
    let mut out = Output::ok(super::attach::PRESS_ENTER);
    if io.tty && is_shell(&shell) {
        out.attach = Some(Box::new(Attach {
            pod: key,
            container: Some(container.to_string()),
            shell,
            run: Some(RunAttach { rm: false }),
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::shell::terminal::Terminal;
    use crate::sim::{Sim, SimConfig};

    fn line(t: &mut Terminal, sim: &mut Sim, l: &str) -> crate::shell::Output {
        t.run_line(sim, l)
    }

    #[test]
    fn debug_node_opens_a_shell_with_the_host_at_slash_host_and_leaving_says_how_to_come_back() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal { interactive: true, ..Terminal::default() };
        let out = line(&mut t, &mut sim, "kubectl debug node/node-1 -it --image=busybox");
        assert!(out.stdout.starts_with("Creating debugging pod node-debugger-node-1-"), "{out:?}");
        assert!(out.stdout.ends_with(
            " with container debugger on node node-1.\nIf you don't see a command prompt, try pressing enter.\n"
        ));
        assert_eq!(t.prompt(), "/ # ");
        let pod =
            sim.store().list("Pod", Some("default")).find(|p| p.name().starts_with("node-debugger-")).unwrap().clone();
        assert_eq!(pod.field("spec.nodeName").unwrap(), "node-1");
        assert_eq!(pod.field("spec.hostPID").unwrap(), true);
        assert_eq!(pod.field("spec.volumes").unwrap()[0]["hostPath"]["path"], "/");
        let out = line(&mut t, &mut sim, "exit");
        assert_eq!(
            out.stdout,
            format!(
                "Session ended, resume using 'kubectl attach {} -c debugger -i -t' command when the pod is running\n",
                pod.name()
            )
        );
        assert!(t.session.is_none());
        assert_eq!(
            line(&mut t, &mut sim, "kubectl debug node/nope --image=busybox").stderr,
            "Error from server (NotFound): nodes \"nope\" not found\n"
        );
    }

    #[test]
    fn copy_to_adds_a_debugger_to_a_copy_and_ephemeral_containers_are_refused() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal { interactive: true, ..Terminal::default() };
        line(&mut t, &mut sim, "kubectl run web --image=nginx; sleep 20");
        let out = line(
            &mut t,
            &mut sim,
            "kubectl debug web -it --image=busybox --copy-to=web-debug -c dbg --share-processes",
        );
        assert_eq!(out.stderr, "If you don't see a command prompt, try pressing enter.\n");
        assert!(t.session.is_some());
        line(&mut t, &mut sim, "exit");
        let copy = sim.store().get("Pod", Some("default"), "web-debug").unwrap();
        assert_eq!(copy.field("spec.shareProcessNamespace").unwrap(), true);
        assert_eq!(copy.field("spec.containers").unwrap()[1]["name"], "dbg");
        let out = line(&mut t, &mut sim, "kubectl debug -it web --image=busybox --target=web");
        assert_eq!(out.status, 1);
        assert!(out.stderr.contains("ephemeral debug containers are not simulated"));
        assert_eq!(
            line(&mut t, &mut sim, "kubectl debug nope --image=busybox --copy-to=x").stderr,
            "Error from server (NotFound): pods \"nope\" not found\n"
        );
        assert_eq!(line(&mut t, &mut sim, "kubectl debug web").stderr, "error: --image is required\n");
    }

    #[test]
    fn exec_it_redis_cli_opens_its_prompt() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal { interactive: true, ..Terminal::default() };
        line(&mut t, &mut sim, "kubectl run redis --image=redis; sleep 20");
        line(&mut t, &mut sim, "kubectl exec -it redis -- redis-cli");
        assert_eq!(t.prompt(), "127.0.0.1:6379> ");
        assert_eq!(line(&mut t, &mut sim, "set greeting hello").stdout, "OK\n");
        assert_eq!(line(&mut t, &mut sim, "get greeting").stdout, "\"hello\"\n");
        line(&mut t, &mut sim, "quit");
        assert!(t.session.is_none());
        assert_eq!(t.prompt(), "$ ");
    }

    #[test]
    fn attach_it_goes_back_into_a_run_it_shell() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal { interactive: true, ..Terminal::default() };
        line(&mut t, &mut sim, "kubectl run -it box --image=busybox --restart=Never -- sh");
        let out = line(&mut t, &mut sim, "exit");
        assert!(out.stdout.contains("resume using 'kubectl attach box -c box -i -t'"));
        let out = line(&mut t, &mut sim, "kubectl attach box -c box -i -t");
        assert_eq!(out.stdout, "If you don't see a command prompt, try pressing enter.\n");
        assert_eq!(t.prompt(), "/ # ");
        assert_eq!(line(&mut t, &mut sim, "echo in").stdout, "in\n");
        line(&mut t, &mut sim, "exit");
        assert_eq!(
            line(&mut t, &mut sim, "kubectl attach").stderr,
            "error: at least 1 argument is required for attach\n"
        );
    }

    #[test]
    fn cp_writes_the_terminals_files_and_the_containers() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        line(&mut t, &mut sim, "kubectl run web --image=nginx; sleep 20");
        line(&mut t, &mut sim, "echo hi > note");
        assert_eq!(line(&mut t, &mut sim, "kubectl cp note web:/tmp").status, 0);
        assert_eq!(line(&mut t, &mut sim, "kubectl exec web -- cat /tmp/note").stdout, "hi\n");
        let out = line(&mut t, &mut sim, "kubectl cp web:/tmp/note deep/er/copy");
        assert_eq!(out.stderr, "tar: removing leading '/' from member names\n");
        assert_eq!(line(&mut t, &mut sim, "cat deep/er/copy").stdout, "hi\n");
        let out = line(&mut t, &mut sim, "kubectl cp web:/tmp/note ./flat; cat flat");
        assert_eq!(out.stdout, "hi\n", "{out:?}");
        let out = line(&mut t, &mut sim, "kubectl cp web:/tmp/note .");
        assert_eq!(out.stderr, "tar: removing leading '/' from member names\nerror: open .: is a directory\n");
        assert_eq!(
            line(&mut t, &mut sim, "kubectl cp note web:/tmp -c nope").stderr,
            "error: container nope is not valid for pod web\n"
        );
    }
}
