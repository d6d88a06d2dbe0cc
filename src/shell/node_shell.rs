//! A root shell on a node, as an admin reaches one with `ssh NODE`: what courses do there to
//! break and mend the control plane — list and read the static pod manifests in
//! `/etc/kubernetes/manifests`, move one away (its kubelet stops the component) and back (it
//! starts again), look at the containers with `crictl ps`, stop and start the kubelet with
//! `systemctl`, and run `kubectl` on the control-plane node (kubeadm's `admin.conf`).
//!
//! Each line runs in the sandbox's bash with the node's files (pipes, `grep`, `sed`, `mv`, `cp`,
//! `rm` as in the terminal), then what it did to the manifests directory is what the kubelet sees.
//!
//! SIM: the node's file system holds its Kubernetes files (the manifests, empty kubeconfigs)
//! and what logins wrote, nothing more; editing a manifest in place does not change the
//! running component; the node's shell reaches no network.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::files::Files;
use super::kubectl;
use super::Output;
use crate::sim::api::Object;
use crate::sim::images::{Profile, GENERIC};
use crate::sim::nodes::CONTROL_PLANE_ROLE;
use crate::sim::process::{ContainerEnv, ExecOutput, NetError, Network, Process, Response};
use crate::sim::system::{components, control_plane};
use crate::sim::Sim;

const MANIFESTS: &str = control_plane::MANIFESTS_DIR;

/// Each node's files as logins left them (a manifest moved to `/tmp` stays there), by node.
pub type NodeFiles = BTreeMap<String, Files>;

/// The node's shell: bash with the usual tools, logged in as root.
static NODE: Profile = Profile {
    repository: "sandbox/node",
    entrypoint: &[],
    cmd: &["bash"],
    programs: &[],
    unknown_runs_server: false,
    ports: &[],
    ..GENERIC
};

/// A login on one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeShell {
    node: String,
    cwd: String,
    /// The shell's variables from one line to the next.
    vars: BTreeMap<String, String>,
    /// An interactive login has a terminal (`ls` prints columns); `ssh NODE COMMAND` has none.
    pub tty: bool,
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
        Some(node) => {
            let vars = [
                ("HOME", "/root"),
                ("USER", "root"),
                ("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                ("HOSTNAME", node.as_str()),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .into();
            Ok((NodeShell { node, cwd: "/root".into(), vars, tty: false }, command))
        }
        None => Err(Output::err(format!("ssh: Could not resolve hostname {host}: Name or service not known\n"), 255)),
    }
}

/// `ssh NODE COMMAND…` from a script, or `ssh NODE` where no keyboard can follow.
pub fn run(sim: &mut Sim, args: &[String], nodes: &mut NodeFiles) -> Output {
    match login(sim, args) {
        Err(e) => e,
        Ok((_, command)) if command.is_empty() => {
            Output::err("Pseudo-terminal will not be allocated because stdin is not a terminal.\n", 0)
        }
        Ok((mut shell, command)) => shell.run(sim, &command.join(" "), nodes).0,
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

    /// Runs one line on the node, in bash with the node's files; says whether it ended the
    /// login. A manifest the line took out of `/etc/kubernetes/manifests` stops its component;
    /// one it put back starts it (the kubelet watches the directory).
    pub fn run(&mut self, sim: &mut Sim, line: &str, nodes: &mut NodeFiles) -> (Output, bool) {
        if line.trim().is_empty() {
            return (Output::default(), false);
        }
        let words = super::words::split(line).unwrap_or_default();
        if matches!(words.first().map(String::as_str), Some("exit" | "logout")) && words.len() <= 2 {
            let mut out = Output::ok("logout\n");
            out.stderr = format!("Connection to {} closed.\n", self.node);
            return (out, true);
        }
        let control_plane = self.is_control_plane(sim);
        let mut files = nodes.remove(&self.node).unwrap_or_else(|| skeleton(control_plane));
        let before = manifests_in(&files);
        let expected = self.with_manifests(sim, &mut files);
        let mut env = ContainerEnv::new(&NODE, &self.node);
        env.env = self.vars.clone();
        env.files = files;
        env.working_dir = self.cwd.clone();
        env.bash_style = true;
        env.tty = self.tty;
        // `sudo` runs what follows it as the root the login already is.
        let script =
            format!("sudo() {{ while [ \"${{1#-}}\" != \"$1\" ]; do shift; done; [ $# -gt 0 ] && \"$@\"; }}\n{line}");
        let mut p = Process::script(&script, env, sim.now());
        let mut host = NodeHost { sim, node: self.node.clone(), control_plane };
        let mut wakeups = 0;
        while p.exit_code().is_none() {
            let Some(at) = p.next_wakeup() else {
                p.kill(host.sim.now());
                break;
            };
            wakeups += 1;
            if wakeups > 1_000 || at.since(host.sim.now()) > std::time::Duration::from_secs(86_400) {
                p.kill(host.sim.now());
                break;
            }
            if at > host.sim.now() {
                let step = at.since(host.sim.now());
                host.sim.advance(step);
            }
            let now = host.sim.now().max(at);
            p.run_until(now, &mut host);
        }
        let code = p.exit_code().unwrap_or(130);
        let (vars, cwd) = p.shell_vars();
        self.vars = vars.iter().filter(|(k, _)| k.as_str() != "PWD").map(|(k, v)| (k.clone(), v.clone())).collect();
        self.cwd = cwd.to_string();
        let (stdout, stderr, order, files) = p.into_output();
        let after = manifests_in(&files);
        for component in control_plane::COMPONENTS {
            let had = expected.contains(&component) || before.contains(&component);
            let has = after.contains(&component);
            if had && !has {
                components::stop(sim, component);
            } else if has && !components::is_running(sim, component) {
                components::start(sim, component);
            }
        }
        nodes.insert(self.node.clone(), files);
        (Output { stdout, stderr, order, status: code, ..Output::default() }, false)
    }

    fn is_control_plane(&self, sim: &Sim) -> bool {
        sim.store().get("Node", None, &self.node).is_some_and(|n| n.label(CONTROL_PLANE_ROLE).is_some())
    }

    /// Puts the manifests of the components that run into their directory (as kubeadm wrote
    /// them; `sandbox control-plane stop` may have moved one away since), and takes out those of
    /// the components that do not; returns the components whose manifests are there.
    fn with_manifests(&self, sim: &Sim, files: &mut Files) -> Vec<&'static str> {
        let Some(node) = sim.store().get("Node", None, &self.node) else { return Vec::new() };
        if node.label(CONTROL_PLANE_ROLE).is_none() {
            return Vec::new();
        }
        let present = manifests_in(files);
        let mut running = Vec::new();
        for c in control_plane::COMPONENTS {
            let path = format!("{MANIFESTS}/{c}.yaml");
            if components::is_running(sim, c) {
                running.push(c);
                if !present.contains(&c) {
                    files.insert(path, manifest_text(&control_plane::mirror_pod(sim, node, c), c));
                }
            } else if present.contains(&c) {
                files.retain(|k, v| !(k.starts_with(&format!("{MANIFESTS}/")) && component_of(v) == Some(c)));
            }
        }
        running
    }
}

/// `crictl ps` (`-a` for exited ones too) and `crictl pods`: the node's containers and pods.
fn crictl(sim: &Sim, node: &str, args: &[String]) -> Output {
    let short = |id: &str| id.rsplit("://").next().unwrap_or("").chars().take(13).collect::<String>();
    let pods: Vec<&Object> = sim.store().pods_bound_to(node).collect();
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
fn systemctl(sim: &mut Sim, node: &str, args: &[String]) -> Output {
    let verb = args.first().map(String::as_str).unwrap_or("");
    let unit = args.get(1).map(|u| u.trim_end_matches(".service")).unwrap_or("");
    if unit != "kubelet" {
        return Output::err(format!("Unit {unit}.service could not be found.\n"), 4);
    }
    match verb {
        "stop" => sim.stop_kubelet(node),
        "start" => sim.start_kubelet(node),
        "restart" => {
            sim.stop_kubelet(node);
            sim.start_kubelet(node);
        }
        "status" | "is-active" => {
            let running = sim.kubelet_running(node);
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
                format!("Unknown command verb '{verb}', expected one of status, start, stop, restart, is-active.\n"),
                1,
            )
        }
    }
    Output::default()
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

/// What a node's shell reaches beyond its own programs: `crictl`, `systemctl` and, on the
/// control-plane node, `kubectl` (kubeadm's `admin.conf`). The network is not simulated from
/// a node's shell.
struct NodeHost<'a> {
    sim: &'a mut Sim,
    node: String,
    control_plane: bool,
}

impl Network for NodeHost<'_> {
    fn http_get(&mut self, url: &str) -> Result<Response, NetError> {
        // SIM: a node's shell reaches nothing over the network.
        let (host, _, _) = crate::sim::process::split_url(url);
        Err(NetError::BadAddress(host.to_string()))
    }

    fn resolve(&mut self, _name: &str) -> Option<String> {
        None
    }

    fn host_has(&mut self, name: &str) -> bool {
        matches!(name, "crictl" | "systemctl") || (name == "kubectl" && self.control_plane)
    }

    fn host_command(
        &mut self,
        argv: &[String],
        _stdin: Option<&str>,
        _files: &Files,
        _cwd: &str,
    ) -> Option<ExecOutput> {
        let name = argv.first()?.rsplit('/').next().unwrap_or("");
        let out = match name {
            "crictl" => crictl(self.sim, &self.node, &argv[1..]),
            "systemctl" => systemctl(self.sim, &self.node, &argv[1..]),
            "kubectl" if self.control_plane => kubectl::run(self.sim, &argv[1..]),
            _ => return None,
        };
        Some(out.into())
    }
}

/// A node's files at its first login: the directories and files kubeadm leaves.
fn skeleton(control_plane: bool) -> Files {
    let mut files = Files::new();
    for dir in [
        "/root",
        "/tmp",
        "/etc",
        "/etc/kubernetes",
        MANIFESTS,
        "/etc/kubernetes/pki",
        "/var",
        "/var/lib",
        "/var/lib/kubelet",
        "/var/log",
        "/home",
    ] {
        files.insert(format!("{dir}/"), String::new());
    }
    let mut confs = vec!["kubelet.conf"];
    if control_plane {
        confs.extend(["admin.conf", "controller-manager.conf", "scheduler.conf", "super-admin.conf"]);
    }
    for f in confs {
        // SIM: the kubeconfigs are there to be listed; they hold no credentials.
        files.insert(format!("/etc/kubernetes/{f}"), String::new());
    }
    files
}

/// The component a file's text is the static pod of (its `component:` label).
fn component_of(text: &str) -> Option<&'static str> {
    control_plane::COMPONENTS.into_iter().find(|c| text.contains(&format!("component: {c}\n")))
}

/// The components whose manifests are in the manifests directory.
fn manifests_in(files: &Files) -> Vec<&'static str> {
    let prefix = format!("{MANIFESTS}/");
    files
        .iter()
        .filter(|(k, _)| {
            k.strip_prefix(&prefix)
                .is_some_and(|name| !name.is_empty() && !name.contains('/') && !name.starts_with('.'))
        })
        .filter_map(|(_, v)| component_of(v))
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
            "etcd.yaml\nkube-apiserver.yaml\nkube-controller-manager.yaml\nkube-scheduler.yaml\n"
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
        assert_eq!(t.run_line(&mut sim, "vim x").stderr, "bash: vim: command not found\n");
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
