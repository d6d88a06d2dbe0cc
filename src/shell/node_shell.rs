//! A root shell on a node, as an admin reaches one with `ssh NODE`: what courses do there to
//! break and mend the control plane — list and read the static pod manifests in
//! `/etc/kubernetes/manifests`, move one away (its kubelet stops the component) and back (it
//! starts again), look at the containers with `crictl ps`, stop and start the kubelet with
//! `systemctl`, and run `kubectl` on the control-plane node (kubeadm's `admin.conf`).
//!
//! SIM: the node's shell knows only these commands (and `cd`, `pwd`, `ls`, `cat`, `cp`, `rm`,
//! `hostname`, `whoami`, `sudo`, `exit`); its file system holds the node's Kubernetes files and
//! the manifests moved elsewhere, nothing more. Each line is one command (no pipes or `;`).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::kubectl;
use super::Output;
use crate::sim::api::Object;
use crate::sim::nodes::CONTROL_PLANE_ROLE;
use crate::sim::system::{components, control_plane};
use crate::sim::Sim;

const MANIFESTS: &str = control_plane::MANIFESTS_DIR;

/// Where the manifests moved out of their directory are now: path → component, kept by the
/// terminal from one login to the next.
pub type Moved = BTreeMap<String, &'static str>;

/// A login on one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeShell {
    node: String,
    cwd: String,
}

/// Finds the node an `ssh` destination names (`NODE`, `user@NODE` or the node's address).
fn node_named(sim: &Sim, dest: &str) -> Option<String> {
    let host = dest.rsplit('@').next().unwrap_or(dest);
    sim.store()
        .list("Node", None)
        .find(|n| {
            n.name() == host
                || n.field("status.addresses")
                    .and_then(Value::as_array)
                    .is_some_and(|a| a.iter().any(|a| a["address"].as_str() == Some(host)))
        })
        .map(|n| n.name().to_string())
}

/// `ssh`'s options that take a value (`-i key`, `-p 22`, `-l user`, `-o Opt=v`…).
const WITH_VALUE: &str = "BbcDEeFIiJLlmOoPpQRSWw";

/// Splits `ssh`'s arguments into the destination and the command after it.
fn destination(args: &[String]) -> Result<(String, Vec<String>), Output> {
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a == "--" {
            i += 1;
            break;
        }
        let Some(flags) = a.strip_prefix('-').filter(|f| !f.is_empty()) else { break };
        i += 1;
        if let Some(pos) = flags.find(|c| WITH_VALUE.contains(c)) {
            if pos + 1 == flags.len() {
                i += 1;
            }
        }
    }
    match args.get(i) {
        Some(dest) => Ok((dest.clone(), args[i + 1..].to_vec())),
        None => Err(Output::err(
            "usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]\n           [-c cipher_spec] [-D [bind_address:]port] [-E log_file] [-e escape_char]\n           [-F configfile] [-I pkcs11] [-i identity_file] [-J destination]\n           [-L address] [-l login_name] [-m mac_spec] [-O ctl_cmd] [-o option]\n           [-P tag] [-p port] [-R address] [-S ctl_path] [-W host:port]\n           [-w local_tun[:remote_tun]] destination [command [argument ...]]\n",
            255,
        )),
    }
}

/// Opens a login on the node `ssh ARGS` names, or says why not (as OpenSSH does). `Ok` with a
/// command runs just that command.
pub fn login(sim: &Sim, args: &[String]) -> Result<(NodeShell, Vec<String>), Output> {
    let (dest, command) = destination(args)?;
    let host = dest.rsplit('@').next().unwrap_or(&dest).to_string();
    match node_named(sim, &dest) {
        Some(node) => Ok((NodeShell { node, cwd: "/root".into() }, command)),
        None => Err(Output::err(format!("ssh: Could not resolve hostname {host}: Name or service not known\n"), 255)),
    }
}

/// `ssh NODE COMMAND…` from a script, or `ssh NODE` where no keyboard can follow.
pub fn run(sim: &mut Sim, args: &[String], moved: &mut Moved) -> Output {
    match login(sim, args) {
        Err(e) => e,
        Ok((_, command)) if command.is_empty() => {
            Output::err("Pseudo-terminal will not be allocated because stdin is not a terminal.\n", 0)
        }
        Ok((mut shell, command)) => shell.run(sim, &command.join(" "), moved).0,
    }
}

impl NodeShell {
    pub fn node(&self) -> &str {
        &self.node
    }

    /// bash's prompt for root on the node.
    pub fn prompt(&self) -> String {
        let dir = if self.cwd == "/root" { "~".to_string() } else { self.cwd.clone() };
        format!("root@{}:{dir}# ", self.node)
    }

    /// Runs one line on the node; says whether it ended the login.
    pub fn run(&mut self, sim: &mut Sim, line: &str, moved: &mut Moved) -> (Output, bool) {
        let words = match super::words::split(line) {
            Ok(w) => w,
            Err(e) => return (Output::err(format!("-bash: {e}\n"), 2), false),
        };
        let mut argv: &[String] = &words;
        while argv.first().is_some_and(|w| w == "sudo") {
            argv = &argv[1..];
            while argv.first().is_some_and(|w| w.starts_with('-')) {
                argv = &argv[1..];
            }
        }
        let Some((cmd, args)) = argv.split_first() else { return (Output::default(), false) };
        let out = match cmd.as_str() {
            "exit" | "logout" => {
                let mut out = Output::ok("logout\n");
                out.stderr = format!("Connection to {} closed.\n", self.node);
                return (out, true);
            }
            "su" | "-i" | "bash" | "sh" => Output::default(),
            "pwd" => Output::ok(format!("{}\n", self.cwd)),
            "hostname" => Output::ok(format!("{}\n", self.node)),
            "whoami" => Output::ok("root\n"),
            "cd" => self.cd(sim, args.first().map(String::as_str), moved),
            "ls" => self.ls(sim, args, moved),
            "cat" => self.cat(sim, args, moved),
            "mv" | "cp" => self.mv(sim, cmd == "cp", args, moved),
            "rm" => self.rm(sim, args, moved),
            "crictl" => self.crictl(sim, args),
            "systemctl" => self.systemctl(sim, args),
            "kubectl" if self.is_control_plane(sim) => kubectl::run(sim, args),
            other => Output::err(format!("-bash: {other}: command not found\n"), 127),
        };
        (out, false)
    }

    fn is_control_plane(&self, sim: &Sim) -> bool {
        sim.store().get("Node", None, &self.node).is_some_and(|n| n.label(CONTROL_PLANE_ROLE).is_some())
    }

    /// `path` made absolute from the working directory, `.`/`..` and `~` resolved.
    fn absolute(&self, path: &str) -> String {
        let path =
            if path == "~" || path.starts_with("~/") { path.replacen('~', "/root", 1) } else { path.to_string() };
        crate::sim::process::interp::absolute_path(&self.cwd, &path)
    }

    /// The files of a directory: `(name, is a directory)`, or None when there is no such directory.
    fn entries(&self, sim: &Sim, dir: &str, moved: &Moved) -> Option<Vec<(String, bool)>> {
        let control_plane = self.is_control_plane(sim);
        let mut out: Vec<(String, bool)> = match dir {
            "/" => [
                "bin", "boot", "dev", "etc", "home", "lib", "opt", "proc", "root", "run", "sbin", "srv", "sys", "tmp",
                "usr", "var",
            ]
            .iter()
            .map(|d| (d.to_string(), true))
            .collect(),
            "/etc" => vec![("kubernetes".into(), true), ("hostname".into(), false), ("hosts".into(), false)],
            "/etc/kubernetes" => {
                let mut v: Vec<(String, bool)> =
                    vec![("kubelet.conf".into(), false), ("manifests".into(), true), ("pki".into(), true)];
                if control_plane {
                    for f in ["admin.conf", "controller-manager.conf", "scheduler.conf", "super-admin.conf"] {
                        v.push((f.into(), false));
                    }
                }
                v
            }
            MANIFESTS if control_plane => control_plane::COMPONENTS
                .iter()
                .filter(|c| components::is_running(sim, c))
                .map(|c| (format!("{c}.yaml"), false))
                .collect(),
            MANIFESTS | "/etc/kubernetes/pki" | "/root" | "/tmp" | "/home" | "/var" | "/opt" | "/srv" => Vec::new(),
            _ => {
                if moved
                    .keys()
                    .any(|p| p.rsplit_once('/').map(|(d, _)| if d.is_empty() { "/" } else { d }) == Some(dir))
                {
                    Vec::new()
                } else {
                    return None;
                }
            }
        };
        for path in moved.keys() {
            if let Some((d, name)) = path.rsplit_once('/') {
                if (if d.is_empty() { "/" } else { d }) == dir {
                    out.push((name.to_string(), false));
                }
            }
        }
        out.sort();
        Some(out)
    }

    /// The component whose manifest is at `path`, if one is there now.
    fn manifest_at(&self, sim: &Sim, path: &str, moved: &Moved) -> Option<&'static str> {
        if let Some(c) = moved.get(path) {
            return Some(c);
        }
        let name = path.strip_prefix(MANIFESTS)?.strip_prefix('/')?;
        let c = components::component_named(name).filter(|_| name.ends_with(".yaml"))?;
        (self.is_control_plane(sim) && components::is_running(sim, c) && name == format!("{c}.yaml")).then_some(c)
    }

    fn is_dir(&self, sim: &Sim, path: &str, moved: &Moved) -> bool {
        self.entries(sim, path, moved).is_some()
    }

    fn cd(&mut self, sim: &Sim, dir: Option<&str>, moved: &Moved) -> Output {
        let target = self.absolute(dir.unwrap_or("~"));
        if self.is_dir(sim, &target, moved) {
            self.cwd = target;
            Output::default()
        } else {
            Output::err(format!("-bash: cd: {}: No such file or directory\n", dir.unwrap_or("")), 1)
        }
    }

    fn ls(&self, sim: &Sim, args: &[String], moved: &Moved) -> Output {
        let long = args.iter().any(|a| a.starts_with('-') && a.contains('l'));
        let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let targets: Vec<String> =
            if paths.is_empty() { vec![self.cwd.clone()] } else { paths.iter().map(|p| p.to_string()).collect() };
        let mut out = Output::default();
        let many = targets.len() > 1;
        for (i, t) in targets.iter().enumerate() {
            let path = self.absolute(t);
            let listed = match self.entries(sim, &path, moved) {
                Some(e) => e,
                None if self.manifest_at(sim, &path, moved).is_some() => vec![(t.clone(), false)],
                None => {
                    out.stderr.push_str(&format!("ls: cannot access '{t}': No such file or directory\n"));
                    out.status = 2;
                    continue;
                }
            };
            if many {
                out.stdout.push_str(&format!("{}{t}:\n", if i > 0 { "\n" } else { "" }));
            }
            if long {
                out.stdout.push_str(&format!("total {}\n", listed.len() * 4));
                for (name, dir) in &listed {
                    let size = if *dir {
                        4096
                    } else {
                        self.file_text(sim, &format!("{path}/{name}"), moved).map_or(0, |t| t.len())
                    };
                    let mode = if *dir { "drwxr-xr-x" } else { "-rw-------" };
                    out.stdout.push_str(&format!("{mode} 1 root root {size:>5} Jan  1 00:00 {name}\n"));
                }
            } else if !listed.is_empty() {
                let names: Vec<&str> = listed.iter().map(|(n, _)| n.as_str()).collect();
                out.stdout.push_str(&format!("{}\n", names.join("  ")));
            }
        }
        out
    }

    /// What a file holds: a static pod manifest as kubeadm wrote it.
    // SIM: the other files (kubeconfigs, certificates) exist in listings but read as empty.
    fn file_text(&self, sim: &Sim, path: &str, moved: &Moved) -> Option<String> {
        let component = self.manifest_at(sim, path, moved)?;
        let node = sim.store().get("Node", None, &self.node)?;
        Some(manifest_text(&control_plane::mirror_pod(sim, node, component), component))
    }

    fn cat(&self, sim: &Sim, args: &[String], moved: &Moved) -> Output {
        let mut out = Output::default();
        for a in args.iter().filter(|a| !a.starts_with('-')) {
            let path = self.absolute(a);
            match self.file_text(sim, &path, moved) {
                Some(text) => out.stdout.push_str(&text),
                None if self.is_dir(sim, &path, moved) => {
                    out.stderr.push_str(&format!("cat: {a}: Is a directory\n"));
                    out.status = 1;
                }
                None => {
                    out.stderr.push_str(&format!("cat: {a}: No such file or directory\n"));
                    out.status = 1;
                }
            }
        }
        out
    }

    /// `mv SRC DEST` (or `cp`): a manifest moved out of the manifests directory stops its
    /// component; one moved (or copied) back in starts it.
    fn mv(&self, sim: &mut Sim, copy: bool, args: &[String], moved: &mut Moved) -> Output {
        let name = if copy { "cp" } else { "mv" };
        let files: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let [src, dest] = files.as_slice() else {
            return Output::err(
                format!(
                    "{name}: missing destination file operand after '{}'\nTry '{name} --help' for more information.\n",
                    files.first().map_or("", |s| s.as_str())
                ),
                1,
            );
        };
        let from = self.absolute(src);
        let Some(component) = self.manifest_at(sim, &from, moved) else {
            let why = if self.is_dir(sim, &from, moved) {
                "-r not specified; omitting directory"
            } else {
                "No such file or directory"
            };
            return match why {
                "No such file or directory" => Output::err(format!("{name}: cannot stat '{src}': {why}\n"), 1),
                _ => Output::err(format!("{name}: {why} '{src}'\n"), 1),
            };
        };
        let mut to = self.absolute(dest);
        if self.is_dir(sim, &to, moved) {
            let file = from.rsplit('/').next().unwrap_or("");
            to = format!("{}/{file}", to.trim_end_matches('/'));
        }
        let (dir, _) = to.rsplit_once('/').unwrap_or(("", ""));
        if !self.is_dir(sim, if dir.is_empty() { "/" } else { dir }, moved) {
            return Output::err(format!("{name}: cannot move '{src}' to '{dest}': No such file or directory\n"), 1);
        }
        if from == to {
            return Output::err(format!("{name}: '{src}' and '{dest}' are the same file\n"), 1);
        }
        let from_manifests = from.rsplit_once('/').map(|(d, _)| d) == Some(MANIFESTS);
        let to_manifests = dir == MANIFESTS;
        if !copy {
            moved.remove(&from);
        }
        if to_manifests {
            // The kubelet runs any manifest in the directory; under another name it is still
            // the same static pod.
            moved.remove(&to);
            if !components::is_running(sim, component) {
                components::start(sim, component);
            }
        } else {
            moved.insert(to, component);
            if from_manifests && !copy {
                components::stop(sim, component);
            }
        }
        Output::default()
    }

    fn rm(&self, sim: &mut Sim, args: &[String], moved: &mut Moved) -> Output {
        let mut out = Output::default();
        for a in args.iter().filter(|a| !a.starts_with('-')) {
            let path = self.absolute(a);
            match self.manifest_at(sim, &path, moved) {
                Some(c) if moved.remove(&path).is_none() => {
                    components::stop(sim, c);
                }
                Some(_) => {}
                None => {
                    out.stderr.push_str(&format!("rm: cannot remove '{a}': No such file or directory\n"));
                    out.status = 1;
                }
            }
        }
        out
    }

    /// `crictl ps` (`-a` for exited ones too) and `crictl pods`: the node's containers and pods.
    fn crictl(&self, sim: &Sim, args: &[String]) -> Output {
        let short = |id: &str| id.rsplit("://").next().unwrap_or("").chars().take(13).collect::<String>();
        let pods: Vec<&Object> = sim.store().pods_bound_to(&self.node).collect();
        let age = |t: Option<&str>| {
            t.and_then(crate::sim::time::parse_time)
                .map(|t| format!("{} ago", crate::shell::kubectl::table::human_duration(sim.now().since(t))))
                .unwrap_or_else(|| "Unknown".into())
        };
        match args.first().map(String::as_str) {
            Some("ps") => {
                let all = args.iter().any(|a| a == "-a" || a == "--all");
                let mut rows = vec![["CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT", "POD ID", "POD"]
                    .map(String::from)
                    .to_vec()];
                for p in &pods {
                    let pod_id = short(&crate::sim::kubelet::status::digest(p.uid()));
                    for cs in p.field("status.containerStatuses").and_then(Value::as_array).into_iter().flatten() {
                        let running = cs["state"]["running"].is_object();
                        if !running && !all {
                            continue;
                        }
                        let state = if running { "Running" } else { "Exited" };
                        rows.push(vec![
                            short(cs["containerID"].as_str().unwrap_or("")),
                            short(cs["imageID"].as_str().and_then(|i| i.rsplit_once("sha256:")).map_or("", |(_, d)| d)),
                            age(cs["state"]["running"]["startedAt"].as_str()),
                            state.into(),
                            cs["name"].as_str().unwrap_or("").into(),
                            cs["restartCount"].as_u64().unwrap_or(0).to_string(),
                            pod_id.clone(),
                            p.name().into(),
                        ]);
                    }
                }
                Output::ok(columns(&rows))
            }
            Some("pods") => {
                let mut rows = vec![["POD ID", "CREATED", "STATE", "NAME", "NAMESPACE", "ATTEMPT", "RUNTIME"]
                    .map(String::from)
                    .to_vec()];
                for p in &pods {
                    rows.push(vec![
                        short(&crate::sim::kubelet::status::digest(p.uid())),
                        age(p.metadata.creation_timestamp.as_ref().map(|t| t.0.to_string()).as_deref()),
                        "Ready".into(),
                        p.name().into(),
                        p.namespace().unwrap_or("").into(),
                        "0".into(),
                        "(default)".into(),
                    ]);
                }
                Output::ok(columns(&rows))
            }
            // SIM: of crictl's commands the node's shell has `ps` and `pods`.
            other => Output::err(
                format!(
                    "crictl: the sandbox's nodes have `crictl ps` and `crictl pods`{}\n",
                    other.map(|o| format!(", not `crictl {o}`")).unwrap_or_default()
                ),
                1,
            ),
        }
    }

    /// `systemctl status|stop|start|restart kubelet`.
    fn systemctl(&self, sim: &mut Sim, args: &[String]) -> Output {
        let verb = args.first().map(String::as_str).unwrap_or("");
        let unit = args.get(1).map(|u| u.trim_end_matches(".service")).unwrap_or("");
        if unit != "kubelet" {
            return Output::err(format!("Unit {unit}.service could not be found.\n"), 4);
        }
        match verb {
            "stop" => sim.stop_kubelet(&self.node),
            "start" => sim.start_kubelet(&self.node),
            "restart" => {
                sim.stop_kubelet(&self.node);
                sim.start_kubelet(&self.node);
            }
            "status" | "is-active" => {
                let running = sim.kubelet_running(&self.node);
                if verb == "is-active" {
                    return if running {
                        Output::ok("active\n")
                    } else {
                        Output { stdout: "inactive\n".into(), status: 3, ..Output::default() }
                    };
                }
                let active = if running { "active (running)" } else { "inactive (dead)" };
                let text = format!("● kubelet.service - kubelet: The Kubernetes Node Agent\n     Loaded: loaded (/usr/lib/systemd/system/kubelet.service; enabled; preset: enabled)\n    Drop-In: /usr/lib/systemd/system/kubelet.service.d\n             └─10-kubeadm.conf\n     Active: {active}\n       Docs: https://kubernetes.io/docs/\n");
                return Output { stdout: text, status: if running { 0 } else { 3 }, ..Output::default() };
            }
            _ => {
                return Output::err(
                    format!(
                        "Unknown command verb '{verb}', expected one of status, start, stop, restart, is-active.\n"
                    ),
                    1,
                )
            }
        }
        Output::default()
    }
}

/// The manifest file kubeadm writes for `component`: the static pod without what the kubelet
/// adds to its mirror (the `kubernetes.io/config.*` annotations, the status).
fn manifest_text(mirror: &Object, component: &str) -> String {
    let annotations: BTreeMap<&String, &String> =
        mirror.metadata.annotations.iter().flatten().filter(|(k, _)| !k.starts_with("kubernetes.io/config.")).collect();
    let mut metadata = json!({"labels": mirror.metadata.labels, "name": component, "namespace": mirror.namespace()});
    if !annotations.is_empty() {
        metadata["annotations"] = json!(annotations);
    }
    // What the kubelet and the API server add to the mirror pod is not in the file.
    let mut spec = mirror.body.get("spec").cloned().unwrap_or_else(|| json!({}));
    if let Some(spec) = spec.as_object_mut() {
        for added in ["nodeName", "tolerations", "enableServiceLinks", "preemptionPolicy"] {
            spec.remove(added);
        }
    }
    let file = json!({"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec, "status": {}});
    kubectl::yaml::to_string(&file)
}

/// Rows in columns three spaces apart, as crictl prints them.
fn columns(rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> =
        (0..rows[0].len()).map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0)).collect();
    rows.iter()
        .map(|r| {
            let cells: Vec<String> = r.iter().enumerate().map(|(i, c)| format!("{c:<w$}", w = widths[i])).collect();
            format!("{}\n", cells.join("   ").trim_end())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::shell::terminal::Terminal;
    use crate::sim::system::components::is_running;
    use crate::sim::{Sim, SimConfig};

    fn keyboard() -> (Sim, Terminal) {
        (Sim::new(SimConfig::default()), Terminal { interactive: true, ..Terminal::default() })
    }

    #[test]
    fn an_admin_moves_the_schedulers_manifest_away_and_back_over_ssh() {
        let (mut sim, mut t) = keyboard();
        assert_eq!(t.run_line(&mut sim, "ssh control-plane").stderr, "");
        assert_eq!(t.prompt(), "root@control-plane:~# ");
        let out = t.run_line(&mut sim, "cd /etc/kubernetes/manifests");
        assert_eq!(out.status, 0, "{out:?}");
        assert_eq!(t.prompt(), "root@control-plane:/etc/kubernetes/manifests# ");
        assert_eq!(
            t.run_line(&mut sim, "ls").stdout,
            "etcd.yaml  kube-apiserver.yaml  kube-controller-manager.yaml  kube-scheduler.yaml\n"
        );
        t.run_line(&mut sim, "sudo mv kube-scheduler.yaml /tmp/");
        assert!(!is_running(&sim, "kube-scheduler"));
        assert_eq!(t.run_line(&mut sim, "ls /tmp").stdout, "kube-scheduler.yaml\n");
        let out = t.run_line(&mut sim, "exit");
        assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("logout\n", "Connection to control-plane closed.\n"));
        assert_eq!(t.prompt(), "$ ");
        // The file is where it was left at the next login.
        t.run_line(&mut sim, "ssh root@control-plane");
        t.run_line(&mut sim, "mv /tmp/kube-scheduler.yaml /etc/kubernetes/manifests/");
        assert!(is_running(&sim, "kube-scheduler"));
        assert!(t.run_line(&mut sim, "cat /tmp/kube-scheduler.yaml").stderr.contains("No such file or directory"));
    }

    #[test]
    fn a_manifest_reads_as_kubeadm_wrote_it_and_mistakes_read_as_bash_says_them() {
        let (mut sim, mut t) = keyboard();
        t.run_line(&mut sim, "ssh control-plane");
        let yaml = t.run_line(&mut sim, "cat /etc/kubernetes/manifests/etcd.yaml").stdout;
        assert!(yaml.starts_with("apiVersion: v1\nkind: Pod\nmetadata:\n"), "{yaml}");
        assert!(yaml.contains("  name: etcd\n  namespace: kube-system\n") && !yaml.contains("nodeName"), "{yaml}");
        assert_eq!(t.run_line(&mut sim, "vim x").stderr, "-bash: vim: command not found\n");
        assert_eq!(
            t.run_line(&mut sim, "mv /etc/kubernetes/manifests/nope.yaml /tmp").stderr,
            "mv: cannot stat '/etc/kubernetes/manifests/nope.yaml': No such file or directory\n"
        );
        assert!(t.run_line(&mut sim, "kubectl get nodes").stdout.starts_with("NAME "));
        t.run_line(&mut sim, "exit");
        // A worker's manifests directory is empty, and it has no admin kubeconfig.
        t.run_line(&mut sim, "ssh node-1");
        assert_eq!(t.run_line(&mut sim, "ls /etc/kubernetes/manifests").stdout, "");
        assert_eq!(t.run_line(&mut sim, "kubectl get nodes").status, 127);
        t.run_line(&mut sim, "systemctl stop kubelet");
        assert!(!sim.kubelet_running("node-1"));
    }

    #[test]
    fn ssh_names_a_node_or_says_it_cannot_resolve_it() {
        let (mut sim, mut t) = keyboard();
        let out = t.run_line(&mut sim, "ssh node-9");
        assert_eq!(
            (out.stderr.as_str(), out.status),
            ("ssh: Could not resolve hostname node-9: Name or service not known\n", 255)
        );
        assert_eq!(t.prompt(), "$ ");
        let out = t.run_line(&mut sim, "ssh node-2 hostname");
        assert_eq!(out.stdout, "node-2\n");
        assert_eq!(t.prompt(), "$ ", "a command over ssh opens no login");
    }
}
