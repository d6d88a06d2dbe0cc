//! The terminal: each line runs in the same POSIX-shell interpreter as a container's processes
//! (`sim::process`) — quoting, `;` `&&` `||`, pipes into grep/head/base64/wc, `$(…)`,
//! variables, here-documents, `cat > file` — with the terminal's own files, and `kubectl` and
//! `sandbox` as commands of the host. `sleep N` lets the cluster run for N simulated seconds.
//! Variables and the working directory carry over from line to line, as in an interactive bash.

use std::collections::BTreeMap;
use std::time::Duration;

use super::docker::Docker;
use super::files::{Files, Io};
use super::node_shell::{self, NodeShell};
use super::session::{Attach, Session};
use super::{kubectl, sandbox, Output, Polled, Stream};
use crate::sim::images::{Profile, GENERIC};
use crate::sim::process::{ContainerEnv, ExecOutput, HttpRequest, NetError, Network, Process, Response};
use crate::sim::Sim;

/// The learner's home directory, where the terminal starts.
pub const HOME: &str = "/home/learner";
/// The learner's machine, as `$HOSTNAME` names it.
pub const HOSTNAME: &str = "learner-laptop";

/// The terminal's "image": a shell with busybox's tools and nothing else.
static TERMINAL: Profile = Profile {
    repository: "sandbox/terminal",
    entrypoint: &[],
    cmd: &["sh"],
    programs: &[],
    unknown_runs_server: false,
    ports: &[],
    ..GENERIC
};

/// The most simulated time one line may let pass (`sleep`s, waits): a day.
const MAX_LINE_TIME: Duration = Duration::from_secs(86_400);
/// The most times one line may suspend and resume (a loop with sleeps, say).
const MAX_WAKEUPS: u32 = 5_000;

/// How much simulated time a line may let pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pace {
    /// As typed: its sleeps and waits move the clock (up to [`MAX_LINE_TIME`]).
    Typed,
    /// None: it runs at the present moment and is stopped where it would wait (`watch`'s runs).
    Now,
}

/// The terminal's state between lines.
#[derive(Debug, Clone)]
pub struct Terminal {
    /// The sandbox's files (the editor's, and whatever commands wrote).
    pub files: Files,
    /// Shell variables (`export X=1`, `X=1`).
    pub vars: BTreeMap<String, String>,
    /// The working directory.
    pub cwd: String,
    /// A person types here (the page): `kubectl exec -it … -- sh` opens a session.
    pub interactive: bool,
    /// The container shell the lines go to, while one is open.
    pub session: Option<Session>,
    /// The host's own `docker`, for lessons that start before Kubernetes.
    pub docker: Docker,
    /// A command still printing as the cluster runs (`kubectl get pods -w`), until Ctrl+C.
    pub stream: Option<Box<Stream>>,
    /// The shell's aliases, functions and `$?`, from one line to the next.
    pub carried: crate::sim::process::Carried,
    /// A root login on a node (`ssh NODE`), while one is open.
    pub node_shell: Option<NodeShell>,
    /// The nodes' files as `ssh` logins left them (a manifest moved away stays where it went).
    pub node_files: node_shell::NodeFiles,
}

impl Default for Terminal {
    fn default() -> Self {
        let vars = BTreeMap::from([
            ("HOME".to_string(), HOME.to_string()),
            ("PATH".to_string(), "/usr/local/bin:/usr/bin:/bin".to_string()),
            ("USER".to_string(), "learner".to_string()),
            ("HOSTNAME".to_string(), HOSTNAME.to_string()),
        ]);
        let files = Files::from([("/home/".to_string(), String::new()), (format!("{HOME}/"), String::new())]);
        Terminal {
            files,
            vars,
            cwd: HOME.to_string(),
            interactive: false,
            session: None,
            docker: Docker::default(),
            stream: None,
            carried: Default::default(),
            node_shell: None,
            node_files: Default::default(),
        }
    }
}

/// The host the terminal's shell runs on: `kubectl` and `sandbox` reach the cluster; the
/// cluster's network is not reachable from here, as from a laptop outside a real cluster.
struct Host<'a> {
    sim: &'a mut Sim,
    tty: bool,
    /// The session a command asked to open.
    attach: &'a mut Option<Box<Attach>>,
    docker: &'a mut Docker,
    /// A watch may go on after the line (see [`Io::stream`]).
    stream_ok: bool,
    streamed: &'a mut Option<Box<Stream>>,
    /// The nodes' files (`ssh NODE mv …`).
    node_files: &'a mut node_shell::NodeFiles,
}

impl Network for Host<'_> {
    /// `localhost` answers at ports `kubectl port-forward` and `kubectl proxy` set up; the
    /// nodes' IPs (NodePorts) and LoadBalancer IPs answer as on minikube or kind, where the
    /// learner's machine reaches the nodes. The pods' and Services' own addresses do not.
    fn http_get(&mut self, url: &str) -> Result<Response, NetError> {
        self.http_request(url, None)
    }

    fn http_request(&mut self, url: &str, host_header: Option<&str>) -> Result<Response, NetError> {
        self.http(&HttpRequest::get_as(url, host_header))
    }

    fn http(&mut self, req: &HttpRequest) -> Result<Response, NetError> {
        let url = req.url.as_str();
        // SIM: no internet; the manifests the tutorials download are answered by the sandbox.
        if let Some(text) = crate::manifest::examples::lookup(url) {
            return Ok(Response {
                status: 200,
                body: text.to_string(),
                addr: "kubernetes.io:443".into(),
                ..Response::default()
            });
        }
        if let Some(Ok(text)) = crate::sim::system::ingress_nginx::manifest_for_url(url) {
            return Ok(Response {
                status: 200,
                body: text,
                addr: "raw.githubusercontent.com:443".into(),
                ..Response::default()
            });
        }
        let (host, port, path) = crate::sim::process::split_url(url);
        if !matches!(host.as_str(), "localhost" | "127.0.0.1") {
            if host.parse::<std::net::Ipv4Addr>().is_ok() && reachable_from_laptop(self.sim, &host) {
                // A node's address is served by that node's kube-proxy (NodePort); a load
                // balancer's by whichever node it lands on, so no node's proxy is asked.
                let node = node_with_ip(self.sim, &host);
                let mut net = crate::sim::network::ClusterNetwork {
                    store: self.sim.store(),
                    pods: &self.sim.kubelets.pods,
                    namespace: "default",
                    hostname: "",
                    own_ip: "",
                    turn: &self.sim.kubelets.turn,
                    now: self.sim.now(),
                    node: node.as_deref(),
                };
                return net.http(req);
            }
            // SIM: the cluster's inner addresses (pods, ClusterIPs) are not reachable from the
            // learner's laptop: a connection to such an IP address never gets an answer. A name
            // other than localhost does not resolve (no DNS for the cluster out here).
            if host.parse::<std::net::Ipv4Addr>().is_ok() {
                return Err(NetError::TimedOut { ip: host, port });
            }
            return Err(NetError::BadAddress(host));
        }
        if self.sim.proxies.contains(&port) {
            let (status, body) = kubectl::proxy::answer(self.sim, &req.method, &path, req.header("user-agent"));
            let audit = format!("{} {path}", req.method);
            let headers = crate::sim::network::headers::api_headers(
                self.sim.now(),
                status,
                &body,
                &audit,
                Some("global-default"),
            );
            return Ok(Response { status, body, addr: format!("127.0.0.1:{port}"), headers, http2: false });
        }
        let refused = || NetError::Refused { ip: "127.0.0.1".into(), port };
        if let Some((status, body)) = self.docker.answer(self.sim.now(), port, &path) {
            return Ok(Response { status, body, addr: format!("127.0.0.1:{port}"), ..Response::default() });
        }
        let forward = self.sim.port_forwards.iter().find(|f| f.local == port).cloned().ok_or_else(refused)?;
        let pod = self.sim.store().get_key(&forward.pod).ok_or_else(refused)?;
        let pod_ip = pod.field("status.podIP").and_then(serde_json::Value::as_str).unwrap_or("").to_string();
        let mut net = crate::sim::network::ClusterNetwork {
            store: self.sim.store(),
            pods: &self.sim.kubelets.pods,
            namespace: &forward.pod.namespace,
            hostname: "",
            own_ip: "",
            turn: &self.sim.kubelets.turn,
            now: self.sim.now(),
            node: None,
        };
        let mut r = net.http(&req.to(&format!("http://{pod_ip}:{}{path}", forward.remote))).map_err(|_| refused())?;
        r.addr = format!("127.0.0.1:{port}");
        Ok(r)
    }

    fn resolve(&mut self, _name: &str) -> Option<String> {
        None
    }

    fn host_has(&mut self, name: &str) -> bool {
        matches!(name, "kubectl" | "k" | "sandbox" | "docker" | "minikube" | "watch" | "ssh")
    }

    fn host_command(&mut self, argv: &[String], stdin: Option<&str>, files: &Files, cwd: &str) -> Option<ExecOutput> {
        let name = argv.first()?.rsplit('/').next().unwrap_or("");
        let io = Io { stdin, files: Some(files), cwd, tty: self.tty, stream: self.stream_ok };
        let mut out = match name {
            "kubectl" | "k" => kubectl::run_io(self.sim, &io, &argv[1..]),
            "sandbox" => sandbox::run(self.sim, &argv[1..]),
            "docker" => self.docker.run(self.sim.now(), &argv[1..]),
            "minikube" => super::minikube::run(self.sim, &argv[1..]),
            "watch" => super::watch::start(argv, self.tty, self.stream_ok, self.sim.now()),
            "ssh" => node_shell::run(self.sim, &argv[1..], self.node_files),
            _ => return None,
        };
        if out.attach.is_some() {
            *self.attach = out.attach.take();
        }
        if out.stream.is_some() {
            *self.streamed = out.stream.take();
        }
        Some(out.into())
    }
}

/// The arguments of `ssh` when `line` is just `ssh …` (or `sudo ssh …`).
fn ssh_login_args(line: &str) -> Option<Vec<String>> {
    let words = super::words::split(line).ok()?;
    let words: Vec<String> = words.into_iter().skip_while(|w| w == "sudo").collect();
    (words.first()? == "ssh").then(|| words[1..].to_vec())
}

/// Whether `line` is one command alone (no pipe, redirection, list or `&`, outside quotes),
/// whose output is not a value read to its end (no `$(…)` or backquotes, outside single quotes).
fn alone_on_line(line: &str) -> bool {
    let (mut single, mut double, mut escaped) = (false, false, false);
    let mut prev = ' ';
    for c in line.chars() {
        if escaped {
            escaped = false;
        } else if single {
            single = c != '\'';
        } else if c == '\\' {
            escaped = true;
        } else if c == '`' || (prev == '$' && c == '(') {
            return false;
        } else if double {
            double = c != '"';
        } else if c == '\'' {
            single = true;
        } else if c == '"' {
            double = true;
        } else if matches!(c, '|' | '>' | '<' | ';' | '&' | '\n') {
            return false;
        }
        prev = c;
    }
    true
}

/// Whether `ip` is a node's address or a LoadBalancer Service's, which a machine beside a
/// minikube or kind cluster reaches.
/// The name of the node whose addresses include `ip`.
fn node_with_ip(sim: &Sim, ip: &str) -> Option<String> {
    sim.store()
        .list("Node", None)
        .find(|n| {
            n.field("status.addresses")
                .and_then(serde_json::Value::as_array)
                .is_some_and(|a| a.iter().any(|x| x["address"] == ip))
        })
        .map(|n| n.name().to_string())
}

fn reachable_from_laptop(sim: &Sim, ip: &str) -> bool {
    let has = |v: Option<&serde_json::Value>, key: &str| {
        v.and_then(serde_json::Value::as_array).is_some_and(|a| a.iter().any(|x| x[key] == ip))
    };
    sim.store().list("Node", None).any(|n| has(n.field("status.addresses"), "address"))
        || sim.store().list("Service", None).any(|s| has(s.field("status.loadBalancer.ingress"), "ip"))
}

impl Terminal {
    /// A terminal whose files are `files`, starting in `cwd`.
    pub fn with_files(files: Files, cwd: &str) -> Terminal {
        let mut t = Terminal::default();
        t.files.extend(files);
        t.cwd = cwd.to_string();
        t.files.insert(format!("{}/", cwd.trim_end_matches('/')), String::new());
        t
    }

    /// A terminal in the process's working directory (natively; commands read the real files
    /// there), or a fresh one in the page.
    pub fn here() -> Terminal {
        #[cfg(not(target_arch = "wasm32"))]
        if let Ok(dir) = std::env::current_dir() {
            return Terminal::with_files(Files::new(), &dir.to_string_lossy());
        }
        Terminal::default()
    }

    /// What the terminal shows before the cursor: `$ `, or the container's prompt in a session.
    pub fn prompt(&self) -> String {
        if let Some(n) = &self.node_shell {
            return n.prompt();
        }
        self.session.as_ref().map_or_else(|| "$ ".to_string(), Session::prompt)
    }

    /// Runs one line (or several, as a script), letting simulated time pass for its sleeps; in
    /// a session, runs it in the container.
    pub fn run_line(&mut self, sim: &mut Sim, line: &str) -> Output {
        // An interactive bash keeps the lines typed (a script's shell keeps none).
        if self.interactive && self.session.is_none() && self.node_shell.is_none() {
            self.carried.history.push(line);
        }
        self.run_without_history(sim, line)
    }

    /// [`Terminal::run_line`] for a line nobody typed (the editor's Apply): `history` leaves
    /// it out.
    pub fn run_without_history(&mut self, sim: &mut Sim, line: &str) -> Output {
        if let Some(shell) = &mut self.node_shell {
            let (out, ended) = shell.run(sim, line, &mut self.node_files);
            if ended {
                self.node_shell = None;
            }
            return out;
        }
        // `ssh NODE` at the keyboard logs in; with a command, or in a script, it runs as a
        // command (see `node_shell::run`).
        if self.interactive && self.session.is_none() && alone_on_line(line) {
            if let Some(args) = ssh_login_args(line) {
                if let Ok((mut shell, command)) = node_shell::login(sim, &args) {
                    if command.is_empty() {
                        shell.tty = true;
                        self.node_shell = Some(shell);
                        return Output::default();
                    }
                }
            }
        }
        if let Some(session) = &mut self.session {
            let (out, ended) = session.run_line(sim, line);
            if ended {
                self.session = None;
            }
            return out;
        }
        if line.trim().is_empty() {
            return Output::default();
        }
        let mut attach = None;
        let mut out = self.run_script(sim, line, &mut attach);
        if let Some(a) = attach.filter(|_| self.interactive) {
            match Session::open(sim, *a) {
                Ok(s) => self.session = Some(s),
                Err(e) => {
                    out.stderr.push_str(&e.stderr);
                    out.status = e.status;
                }
            }
        }
        out
    }

    /// What a streaming command showed since the last poll: a watch's rows, or the screen of
    /// a `watch COMMAND` whose command was due (it runs here, at the cluster's present moment).
    pub fn poll_stream(&mut self, sim: &mut Sim) -> Polled {
        let command = match self.stream.as_deref_mut() {
            None => return Polled::Rows(String::new()),
            Some(Stream::Repeat(w)) if w.due(sim.now()) => w.command.clone(),
            Some(Stream::Repeat(_)) => return Polled::Rows(String::new()),
            Some(s) => return Polled::Rows(s.poll(sim)),
        };
        let out = self.run_unattended(sim, &command);
        let columns = self.vars.get("COLUMNS").and_then(|c| c.parse().ok()).filter(|&c| c > 0).unwrap_or(80);
        let host = self.vars.get("HOSTNAME").cloned().unwrap_or_else(|| HOSTNAME.to_string());
        let Some(Stream::Repeat(w)) = self.stream.as_deref_mut() else {
            return Polled::Rows(String::new());
        };
        let frame = w.frame(sim.now(), &host, columns.min(1_000), &out.shown(), out.status);
        if frame.ended.is_some() {
            self.stream = None;
        }
        Polled::Screen(frame.screen, frame.ended)
    }

    /// Runs `line` as `sh -c` would for a command like `watch`: the terminal's variables and
    /// files, no tty, nothing carried back but the files; it runs at the present moment only
    /// (a `sleep` in it is cut short: the clock is not the command's to move).
    fn run_unattended(&mut self, sim: &mut Sim, line: &str) -> Output {
        let mut child = Terminal {
            files: std::mem::take(&mut self.files),
            vars: self.vars.clone(),
            cwd: self.cwd.clone(),
            interactive: false,
            session: None,
            docker: std::mem::take(&mut self.docker),
            stream: None,
            carried: Default::default(),
            node_shell: None,
            node_files: std::mem::take(&mut self.node_files),
        };
        let out = child.run_paced(sim, line, &mut None, Pace::Now);
        self.files = child.files;
        self.docker = child.docker;
        self.node_files = child.node_files;
        out
    }

    /// Ctrl+C: stops a streaming command; whether there was one.
    pub fn interrupt(&mut self) -> bool {
        self.stream.take().is_some()
    }

    fn run_script(&mut self, sim: &mut Sim, line: &str, attach: &mut Option<Box<Attach>>) -> Output {
        self.run_paced(sim, line, attach, Pace::Typed)
    }

    fn run_paced(&mut self, sim: &mut Sim, line: &str, attach: &mut Option<Box<Attach>>, pace: Pace) -> Output {
        // Only a command alone on its line prints straight to the screen; anything piped,
        // redirected or chained runs to its end as in a script. (`$VAR` is fine; `$(…)` is not:
        // its output is a value, read to the end.)
        let stream_ok = self.interactive && alone_on_line(line);
        let mut streamed = None;
        let mut env = ContainerEnv::new(&TERMINAL, HOSTNAME);
        env.env = self.vars.clone();
        env.files = std::mem::take(&mut self.files);
        env.working_dir = self.cwd.clone();
        env.bash_style = true;
        let mut p = Process::script(line, env, sim.now());
        p.carry(&self.carried);
        let deadline = sim.now() + if pace == Pace::Typed { MAX_LINE_TIME } else { Duration::ZERO };
        let mut note = String::new();
        let mut wakeups = 0;
        while p.exit_code().is_none() {
            let Some(at) = p.next_wakeup() else {
                note = "^C\n(stopped: the command waits for input the terminal cannot give)\n".into();
                p.kill(sim.now());
                break;
            };
            wakeups += 1;
            if pace == Pace::Now && at > deadline {
                p.kill(sim.now());
                break;
            }
            if pace == Pace::Now && wakeups > MAX_WAKEUPS {
                // A run at the present moment that keeps waking: watch shows what it printed.
                p.kill(sim.now());
                break;
            }
            if at > deadline || wakeups > MAX_WAKEUPS {
                note = "^C\n(stopped: the command was still running after a day of simulated time)\n".into();
                p.kill(sim.now());
                break;
            }
            if at > sim.now() {
                sim.advance(at.since(sim.now()));
            }
            p.run_until(
                sim.now().max(at),
                &mut Host {
                    sim,
                    tty: self.interactive,
                    attach,
                    docker: &mut self.docker,
                    stream_ok,
                    streamed: &mut streamed,
                    node_files: &mut self.node_files,
                },
            );
        }
        let code = p.exit_code().unwrap_or(130);
        self.carried = p.carried();
        self.carried.status = code;
        let (vars, cwd) = p.shell_vars();
        self.vars = vars.iter().filter(|(k, _)| k.as_str() != "PWD").map(|(k, v)| (k.clone(), v.clone())).collect();
        self.cwd = cwd.to_string();
        let (stdout, mut stderr, order, files) = p.into_output();
        self.files = files;
        stderr.push_str(&note);
        // A new watch replaces the one before; other lines leave it printing (the editor's
        // Apply runs here too; a person typing a line stops the watch first, with Ctrl+C).
        if streamed.is_some() {
            self.stream = streamed;
        }
        Output { stdout, stderr, order, status: code, ..Output::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimConfig;

    fn run(t: &mut Terminal, sim: &mut Sim, line: &str) -> Output {
        t.run_line(sim, line)
    }

    #[test]
    fn kubectls_flag_warnings_show_before_its_output_and_pipes_and_redirections_take_one_stream() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        let warning = "W0101 00:00:00.000000    4242 helpers.go:702] --dry-run is deprecated and can be replaced with --dry-run=client.\n";
        let line = "kubectl create deployment x --image=nginx --dry-run -o name";
        let out = run(&mut t, &mut sim, line);
        assert_eq!((out.stdout.as_str(), out.stderr.as_str()), ("deployment.apps/x\n", warning));
        assert_eq!(out.shown(), format!("{warning}deployment.apps/x\n"));
        assert_eq!(run(&mut t, &mut sim, &format!("{line} 2>/dev/null")).shown(), "deployment.apps/x\n");
        let out = run(&mut t, &mut sim, &format!("{line} 2>&1 | cat"));
        assert_eq!((out.stdout, out.stderr), (format!("{warning}deployment.apps/x\n"), String::new()));
        let out = run(&mut t, &mut sim, &format!("{line} | grep -c x"));
        assert_eq!((out.stdout.as_str(), out.shown()), ("1\n", format!("{warning}1\n")));
        let out = run(&mut t, &mut sim, "echo a; echo b >&2; echo c; kubectl delete pod nope --cascade=false");
        assert_eq!(
            out.shown(),
            "a\nb\nc\nwarning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\n\
             Error from server (NotFound): pods \"nope\" not found\n"
        );
    }

    #[test]
    fn unknown_command_is_bash_127() {
        let mut sim = Sim::new(SimConfig::default());
        let out = run(&mut Terminal::default(), &mut sim, "kubeclt get pods");
        assert_eq!((out.stderr.as_str(), out.status), ("bash: kubeclt: command not found\n", 127));
    }

    #[test]
    fn variables_and_directory_carry_over_between_lines() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        run(&mut t, &mut sim, "export NS=kube-system; mkdir work; cd work");
        let out = run(&mut t, &mut sim, "echo $NS $(pwd)");
        assert_eq!(out.stdout, "kube-system /home/learner/work\n");
    }

    #[test]
    fn here_document_applies_and_pipes_filter_kubectl_output() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        let script = "kubectl apply -f - <<EOF\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  color: blue\nEOF";
        assert_eq!(run(&mut t, &mut sim, script).stdout, "configmap/app created\n");
        let out = run(&mut t, &mut sim, "kubectl get cm | grep app | wc -l");
        assert_eq!(out.stdout.trim(), "1");
        let out = run(&mut t, &mut sim, "cat <<EOF | kubectl apply -f -\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  color: red\nEOF");
        assert_eq!(out.stdout, "configmap/app configured\n");
    }

    #[test]
    fn files_written_in_the_terminal_can_be_applied() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        let out = run(&mut t, &mut sim, "cat > ns.yaml <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: lab\nEOF\nls; kubectl apply -f ns.yaml");
        assert_eq!(out.stdout, "ns.yaml\nnamespace/lab created\n", "{}", out.stderr);
        assert!(t.files.contains_key("/home/learner/ns.yaml"));
    }

    #[test]
    fn sleep_lets_the_cluster_run() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        let before = sim.now();
        run(&mut t, &mut sim, "sleep 2; sleep 3");
        assert_eq!(sim.now().since(before), Duration::from_secs(5));
    }

    #[test]
    fn command_substitution_feeds_kubectl() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        let out = run(&mut t, &mut sim, "kubectl get ns $(echo kube-system) -o name");
        assert_eq!(out.stdout, "namespace/kube-system\n");
    }

    #[test]
    fn minikubes_ingress_addon_routes_the_tutorials_host_at_the_nodes_port_80() {
        // kubernetes.io "Set up Ingress on Minikube with the NGINX Ingress Controller".
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        let out = run(&mut t, &mut sim, "minikube addons enable ingress");
        assert!(
            out.stdout.ends_with("🔎  Verifying ingress addon...\n🌟  The 'ingress' addon is enabled\n"),
            "{}{}",
            out.stdout,
            out.stderr
        );
        run(&mut t, &mut sim, "kubectl create deployment web --image=gcr.io/google-samples/hello-app:1.0; kubectl expose deployment web --type=NodePort --port=8080; sleep 20");
        let ing = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: example-ingress\nspec:\n  rules:\n  - host: hello-world.example\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              number: 8080\n";
        t.files.insert(format!("{HOME}/example-ingress.yaml"), ing.to_string());
        run(&mut t, &mut sim, "kubectl apply -f example-ingress.yaml; sleep 5");
        let out = run(&mut t, &mut sim, "kubectl get ingress");
        assert!(
            out.stdout.contains("example-ingress   nginx   hello-world.example   172.18.0.2   80"),
            "{}",
            out.stdout
        );
        let out = run(
            &mut t,
            &mut sim,
            "curl --resolve \"hello-world.example:80:$( minikube ip )\" http://hello-world.example",
        );
        assert!(out.stdout.starts_with("Hello, world!\nVersion: 1.0.0\n"), "{}{}", out.stdout, out.stderr);
        let out = run(&mut t, &mut sim, "curl http://hello-world.example");
        assert_eq!(out.stderr, "curl: (6) Could not resolve host: hello-world.example\n");
    }

    #[test]
    fn a_manifest_url_other_than_ingress_nginxs_fails_as_without_a_network() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        let out = run(&mut t, &mut sim, "kubectl apply -f https://k8s.io/examples/pods/simple-pod.yaml");
        assert!(
            out.stderr.starts_with(
                "error: Get \"https://k8s.io/examples/pods/simple-pod.yaml\": dial tcp: lookup k8s.io: no such host\n"
            ),
            "{}",
            out.stderr
        );
    }

    #[test]
    fn the_tutorials_example_urls_are_answered_offline() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        let out = run(&mut t, &mut sim, "kubectl apply -f https://k8s.io/examples/service/load-balancer-example.yaml");
        assert_eq!(out.stdout, "deployment.apps/hello-world created\n", "{}", out.stderr);
        let out = run(&mut t, &mut sim, "curl -LO https://k8s.io/examples/application/wordpress/mysql-deployment.yaml");
        assert_eq!((out.status, out.stdout.as_str()), (0, ""), "{}", out.stderr);
        let out = run(&mut t, &mut sim, "grep -c '^kind:' mysql-deployment.yaml");
        assert_eq!(out.stdout, "3\n", "{}", out.stderr);
        let out = run(
            &mut t,
            &mut sim,
            "wget -q https://raw.githubusercontent.com/kubernetes/website/main/content/en/examples/application/deployment.yaml && grep name: deployment.yaml | head -1",
        );
        assert_eq!(out.stdout, "  name: nginx-deployment\n", "{}", out.stderr);
        let out = run(&mut t, &mut sim, "curl -sLO https://k8s.io/examples/pods/simple-pod.yaml");
        assert_eq!(out.status, 6, "{}", out.stderr);
        let out = run(&mut t, &mut sim, "ls simple-pod.yaml");
        assert_ne!(out.status, 0);
    }

    #[test]
    fn port_forward_lets_curl_on_localhost_reach_the_pod() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        run(&mut t, &mut sim, "kubectl create deployment web --image=nginx:1.27 --port=80; kubectl expose deploy web --port=8080 --target-port=80; sleep 20");
        let out = run(&mut t, &mut sim, "kubectl port-forward svc/web 9090:8080");
        assert_eq!(
            out.stdout, "Forwarding from 127.0.0.1:9090 -> 80\nForwarding from [::1]:9090 -> 80\n",
            "{}",
            out.stderr
        );
        let out = run(&mut t, &mut sim, "curl -s localhost:9090 | grep title");
        assert_eq!(out.stdout, "<title>Welcome to nginx!</title>\n", "{}", out.stderr);
        let out = run(&mut t, &mut sim, "curl -s localhost:9091");
        assert_eq!(out.status, 7);
        let out = run(&mut t, &mut sim, "curl -sS http://web:8080");
        assert_eq!(out.stderr, "curl: (6) Could not resolve host: web\n");
    }

    #[test]
    fn curl_to_a_cluster_ip_from_the_laptop_times_out_instead_of_resolving() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        let out = run(&mut t, &mut sim, "curl http://172.18.0.99:30923");
        assert_eq!(
            (out.stderr.as_str(), out.status),
            (
                "curl: (28) Failed to connect to 172.18.0.99 port 30923 after 130163 ms: Couldn't connect to server\n",
                28
            )
        );
        // A node's own address answers (nothing listens at this port: refused at once).
        let out = run(&mut t, &mut sim, "curl http://172.18.0.3:30923");
        assert_eq!(out.status, 7, "{out:?}");
        let out = run(&mut t, &mut sim, "curl -s 10.96.0.1");
        assert_eq!(out.status, 28);
        let out = run(&mut t, &mut sim, "wget -qO- http://10.244.1.2");
        assert_eq!(out.stderr, "wget: can't connect to remote host (10.244.1.2): Connection timed out\n");
        let out = run(&mut t, &mut sim, "curl http://web.default.svc.cluster.local");
        assert_eq!(out.stderr, "curl: (6) Could not resolve host: web.default.svc.cluster.local\n");
    }

    #[test]
    fn a_nodeport_answers_at_the_nodes_ip_and_kubectl_proxy_serves_the_api_and_the_pod() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        run(&mut t, &mut sim, "kubectl create deployment web --image=nginx:1.27 --port=80");
        run(&mut t, &mut sim, "kubectl expose deployment web --type=NodePort --port=80");
        run(&mut t, &mut sim, "sleep 20");
        let out = run(&mut t, &mut sim, "curl -s http://$(minikube ip):$(kubectl get svc web -o go-template='{{(index .spec.ports 0).nodePort}}') | grep title");
        assert_eq!(out.stdout, "<title>Welcome to nginx!</title>\n", "{out:?}");
        let out = run(&mut t, &mut sim, "kubectl proxy --port=8080 &");
        assert_eq!(out.stdout, "Starting to serve on 127.0.0.1:8080\n");
        let out = run(&mut t, &mut sim, "kubectl proxy -p 8080");
        assert_eq!(out.stderr, "error: listen tcp 127.0.0.1:8080: bind: address already in use\n");
        let out = run(&mut t, &mut sim, "curl -s localhost:8080/version | head -3");
        assert_eq!(out.stdout, "{\n  \"major\": \"1\",\n  \"minor\": \"37\",\n");
        let pod =
            run(&mut t, &mut sim, "kubectl get pods -o name").stdout.trim().trim_start_matches("pod/").to_string();
        let out = run(
            &mut t,
            &mut sim,
            &format!("curl -s localhost:8080/api/v1/namespaces/default/pods/{pod}/proxy/ | grep title"),
        );
        assert_eq!(out.stdout, "<title>Welcome to nginx!</title>\n", "{out:?}");
        let out =
            run(&mut t, &mut sim, "curl -s localhost:8080/api/v1/namespaces/default/services/web/proxy/ | grep title");
        assert_eq!(out.stdout, "<title>Welcome to nginx!</title>\n", "{out:?}");
        let out = run(
            &mut t,
            &mut sim,
            &format!("curl -s localhost:8080/api/v1/namespaces/default/pods/{pod} | grep '\"kind\"' | head -1"),
        );
        assert_eq!(out.stdout, "  \"kind\": \"Pod\",\n", "{out:?}");
        let out = run(&mut t, &mut sim, "curl -s localhost:8080/api/v1/namespaces/default/pods/nope | grep message");
        assert_eq!(out.stdout, "  \"message\": \"pods \\\"nope\\\" not found\",\n", "{out:?}");
        let out = run(&mut t, &mut sim, "minikube service web --url");
        assert!(out.stdout.starts_with("http://172.18.0.2:3"), "{out:?}");
        let out = run(&mut t, &mut sim, "minikube mount /tmp:/data");
        assert!(out.stderr.contains("cannot mount"), "{out:?}");
        assert_eq!(out.status, 1);
    }

    #[test]
    fn the_terminal_has_a_hostname_as_bash_does() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        let out = run(&mut t, &mut sim, "echo $HOSTNAME; hostname; uname -n");
        assert_eq!(out.stdout, "learner-laptop\nlearner-laptop\nlearner-laptop\n");
    }

    #[test]
    fn a_loop_that_never_ends_is_stopped() {
        let mut sim = Sim::new(SimConfig::default());
        let out = run(&mut Terminal::default(), &mut sim, "while true; do sleep 60; done");
        assert!(out.stderr.contains("stopped"), "{}", out.stderr);
    }

    #[test]
    fn hostile_lines_get_an_error_and_never_hang_or_panic() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        let out = run(&mut t, &mut sim, "echo 'unbalanced");
        assert_eq!(out.status, 2, "{}", out.stderr);
        assert!(out.stderr.starts_with("bash: "), "{}", out.stderr);
        let out = run(&mut t, &mut sim, "kubectl frobnicate");
        assert!(out.stderr.starts_with("Error: unknown command \"frobnicate\""), "{}", out.stderr);
        let out = run(&mut t, &mut sim, "kubectl get pods --bogus");
        assert_eq!(out.status, 1);
        let long = format!("echo {}", "x".repeat(1 << 20));
        let out = run(&mut t, &mut sim, &long);
        assert!(out.status == 0 || !out.stderr.is_empty());
        let garbage: String = (0u8..=255).cycle().take(4096).map(|b| b as char).collect();
        let _ = run(&mut t, &mut sim, &garbage);
        let deep = format!("echo {}x{}", "$(echo ".repeat(200), ")".repeat(200));
        let out = run(&mut t, &mut sim, &deep);
        assert_ne!(out.status, 0, "deep nesting is refused");
        assert_eq!(
            run(&mut t, &mut sim, "head -1 nothing").stderr,
            "head: cannot open 'nothing' for reading: No such file or directory\n"
        );
        let out = run(&mut t, &mut sim, "cat nothing | cat | cat");
        assert_eq!(out.stderr, "cat: nothing: No such file or directory\n", "GNU's words on the learner's machine");
        let out = run(&mut t, &mut sim, "f() { f; }; f");
        assert_ne!(out.status, 0, "runaway recursion ends: {}", out.stderr);
        // And the terminal still works afterwards.
        assert_eq!(run(&mut t, &mut sim, "echo ok").stdout, "ok\n");
    }

    #[test]
    fn generators_read_the_terminals_files() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        run(&mut t, &mut sim, "mkdir conf; echo 'color=blue' > conf/app.properties; printf 'A=1\\nB=2\\n' > env.txt");
        let out = run(&mut t, &mut sim, "kubectl create configmap c --from-file=conf --from-env-file=env.txt --dry-run=client -o yaml | grep -A4 '^data'");
        assert_eq!(
            out.stdout, "data:\n  A: \"1\"\n  B: \"2\"\n  app.properties: |\n    color=blue\n",
            "{}",
            out.stderr
        );
    }

    #[test]
    fn the_cheat_sheets_alias_and_completion_lines_work_and_aliases_functions_and_status_last() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        for line in [
            "source <(kubectl completion bash)",
            "echo \"source <(kubectl completion bash)\" >> ~/.bashrc",
            "alias k=kubectl",
            "complete -o default -F __start_kubectl k",
            "greet() { echo \"hello $1\"; }",
        ] {
            let out = run(&mut t, &mut sim, line);
            assert_eq!((out.stderr.as_str(), out.status), ("", 0), "{line}");
        }
        assert_eq!(
            t.files.get("/home/learner/.bashrc").map(String::as_str),
            Some("source <(kubectl completion bash)\n")
        );
        let out = run(&mut t, &mut sim, "k get nodes --no-headers | wc -l");
        assert_eq!(out.stdout.trim(), "4", "{}", out.stderr);
        assert_eq!(run(&mut t, &mut sim, "greet you").stdout, "hello you\n");
        let out =
            run(&mut t, &mut sim, "command -v kubectl && type k && type greet && command -v nothing || echo none");
        assert_eq!(out.stdout, "/usr/local/bin/kubectl\nk is aliased to `kubectl'\ngreet is a function\nnone\n");
        run(&mut t, &mut sim, "kubectl get pod nothing");
        assert_eq!(run(&mut t, &mut sim, "echo $?").stdout, "1\n");
        run(&mut t, &mut sim, "alias kg='k get'");
        assert_eq!(run(&mut t, &mut sim, "alias").stdout, "alias k='kubectl'\nalias kg='k get'\n");
        assert_eq!(run(&mut t, &mut sim, "kg nodes --no-headers | wc -l").stdout.trim(), "4");
        run(&mut t, &mut sim, "unalias kg");
        let out = run(&mut t, &mut sim, "kg nodes");
        assert_eq!((out.stderr.as_str(), out.status), ("bash: kg: command not found\n", 127));
        let out = run(&mut t, &mut sim, "cat <(echo hi) <(echo there); echo <(true)");
        assert_eq!(out.stdout, "hi\nthere\n/dev/fd/63\n", "{out:?}");
        assert!(!t.files.keys().any(|k| k.starts_with("/dev/fd/6")), "the files of <(…) go with their command");
    }

    #[test]
    fn kubectls_output_goes_through_sort_uniq_cut_tr_tee_xargs_and_awk() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        run(&mut t, &mut sim, "kubectl create deployment web --image=nginx:1.27 --replicas=3; sleep 20");
        let names = run(&mut t, &mut sim, "kubectl get pods --no-headers | awk '{print $1}' | sort").stdout;
        assert_eq!(names.lines().count(), 3, "{names}");
        assert!(names.lines().all(|l| l.starts_with("web-")), "{names}");
        let out = run(&mut t, &mut sim, "kubectl get pods | awk 'NR>1 {print $3}' | uniq -c");
        assert_eq!(out.stdout, "      3 Running\n");
        let out = run(&mut t, &mut sim, "kubectl get pods -o name | cut -d/ -f1 | sort -u | tr a-z A-Z");
        assert_eq!(out.stdout, "POD\n");
        let out = run(&mut t, &mut sim, "kubectl get pods -o name | tee names.txt | xargs -n1 echo got | head -1");
        assert!(out.stdout.starts_with("got pod/web-"), "{out:?}");
        assert_eq!(t.files.get("/home/learner/names.txt").map(|f| f.lines().count()), Some(3));
        let out = run(&mut t, &mut sim, "head -1 names.txt | xargs kubectl get --no-headers | wc -l");
        assert_eq!(out.stdout.trim(), "1", "{out:?}");
        let out = run(&mut t, &mut sim, "kubectl get pods | awk '{ n++ } END { print n }'");
        assert_eq!(out.stdout, "4\n", "{out:?}");
        let out = run(&mut t, &mut sim, "kubectl get pods | awk '{ getline x }'");
        assert_eq!(out.status, 1);
        assert!(out.stderr.contains("is not simulated"), "what awk here cannot run says so: {out:?}");
        assert_eq!(run(&mut t, &mut sim, "cat < /dev/null; echo $?").stdout, "0\n");
        run(&mut t, &mut sim, "mkdir -p k8s/base && touch k8s/base/app.yaml k8s/notes.txt");
        assert_eq!(run(&mut t, &mut sim, "find k8s -name '*.yaml'").stdout, "k8s/base/app.yaml\n");
        assert_eq!(run(&mut t, &mut sim, "find k8s -type d").stdout, "k8s\nk8s/base\n");
        assert_eq!(run(&mut t, &mut sim, "readlink -f k8s/../k8s/base").stdout, "/home/learner/k8s/base\n");
        let out = run(&mut t, &mut sim, "cut < /dev/null; tr");
        assert_eq!(out.stderr, "cut: you must specify a list of bytes, characters, or fields\ntr: missing operand\n");
    }

    #[test]
    fn history_numbers_the_lines_typed_as_bash_does_and_a_script_keeps_none() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal { interactive: true, ..Terminal::default() };
        run(&mut t, &mut sim, "kubectl get pods");
        run(&mut t, &mut sim, "for i in 1 2; do\necho $i\ndone");
        let out = run(&mut t, &mut sim, "history");
        let typed = "    1  kubectl get pods\n    2  for i in 1 2; do\n    3  echo $i\n    4  done\n    5  history\n";
        assert_eq!(out.stdout, typed);
        assert_eq!(run(&mut t, &mut sim, "history 2").stdout, "    5  history\n    6  history 2\n");
        // bash 5.2's words and statuses.
        let out = run(&mut t, &mut sim, "history x");
        assert_eq!((out.stderr.as_str(), out.status), ("bash: history: x: numeric argument required\n", 1));
        run(&mut t, &mut sim, "history -c");
        assert_eq!(run(&mut t, &mut sim, "history | grep hist").stdout, "    1  history | grep hist\n");
        assert_eq!(run(&mut t, &mut sim, "type history").stdout, "history is a shell builtin\n");
        // The editor's Apply is no line typed.
        t.run_without_history(&mut sim, "kubectl apply -f - <<'E'\nkind: x\nE");
        assert_eq!(run(&mut t, &mut sim, "history 1").stdout, "    3  history 1\n");
        let mut script = Terminal::default();
        run(&mut script, &mut sim, "echo a");
        assert_eq!(run(&mut script, &mut sim, "history").stdout, "");
    }

    #[test]
    fn exec_it_opens_a_shell_in_the_container_until_exit() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal { interactive: true, ..Terminal::default() };
        run(&mut t, &mut sim, "kubectl create deployment web --image=nginx:1.27; sleep 20");
        let out = run(&mut t, &mut sim, "kubectl exec -it deploy/web -- bash");
        assert_eq!((out.stdout.as_str(), out.stderr.as_str(), out.status), ("", "", 0));
        let pod = sim.store().list("Pod", Some("default")).next().unwrap().name().to_string();
        assert_eq!(t.prompt(), format!("root@{pod}:/# "));
        let out = run(&mut t, &mut sim, "cd /usr/share/nginx/html");
        assert_eq!(out, Output::default());
        assert_eq!(t.prompt(), format!("root@{pod}:/usr/share/nginx/html# "));
        let out = run(&mut t, &mut sim, "grep -o 'Welcome to nginx' index.html | head -1; hostname");
        assert_eq!(out.stdout, format!("Welcome to nginx\n{pod}\n"), "{}", out.stderr);
        // What one line sets, the next sees, as in one shell; exported is exported still.
        run(&mut t, &mut sim, "GREETING='hello world'; export STAGE=dev; unset HOSTNAME");
        let out = run(&mut t, &mut sim, "echo \"$GREETING\"; printenv STAGE; printenv GREETING || echo unexported");
        assert_eq!(out.stdout, "hello world\ndev\nunexported\n", "{}", out.stderr);
        assert_eq!(run(&mut t, &mut sim, "echo ${HOSTNAME:-gone}").stdout, "gone\n");
        // Values the session's own bookkeeping could be confused by are carried as they are.
        run(&mut t, &mut sim, "M='@@kube-sandbox-cwd:@@kube-sandbox-vars:'; N=$(printf 'a\\0b\\0é'); Q=\"it's\"");
        let out = run(&mut t, &mut sim, "echo \"$M\" \"$Q\"; pwd");
        assert_eq!(
            out.stdout, "@@kube-sandbox-cwd:@@kube-sandbox-vars: it's\n/usr/share/nginx/html\n",
            "{}",
            out.stderr
        );
        assert_eq!(t.prompt(), format!("root@{pod}:/usr/share/nginx/html# "));
        let out = run(&mut t, &mut sim, "echo 'broken");
        assert_eq!(out.status, 2, "a syntax error keeps the session: {out:?}");
        assert!(t.session.is_some());
        let out = run(&mut t, &mut sim, "exit 3");
        assert_eq!(out.stderr, "command terminated with exit code 3\n");
        assert_eq!(t.prompt(), "$ ");
        assert_eq!(run(&mut t, &mut sim, "pwd").stdout, "/home/learner\n", "back on the terminal's own files");
    }

    #[test]
    fn a_script_cannot_attach_a_keyboard() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal::default();
        run(&mut t, &mut sim, "kubectl create deployment web --image=nginx:1.27; sleep 20");
        run(&mut t, &mut sim, "kubectl exec -it deploy/web -- sh");
        assert!(t.session.is_none());
        assert_eq!(t.prompt(), "$ ");
    }

    #[test]
    fn run_it_rm_attaches_and_deletes_the_pod_on_exit() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal { interactive: true, ..Terminal::default() };
        let out = run(&mut t, &mut sim, "kubectl run -it --rm box --image=busybox:1.36 --restart=Never -- sh");
        assert_eq!(out.stdout, "If you don't see a command prompt, try pressing enter.\n");
        assert_eq!(t.prompt(), "/ # ");
        let out = run(&mut t, &mut sim, "cd /tmp && echo hi > note && cat note");
        assert_eq!(out.stdout, "hi\n");
        assert_eq!(t.prompt(), "/tmp # ");
        let out = run(&mut t, &mut sim, "exit");
        assert_eq!(out.stdout, "pod \"box\" deleted\n");
        assert!(t.session.is_none());
        assert_eq!(run(&mut t, &mut sim, "kubectl get pods").stderr, "No resources found in default namespace.\n");
    }

    #[test]
    fn exec_it_into_a_missing_pod_is_an_error_and_opens_nothing() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal { interactive: true, ..Terminal::default() };
        let out = run(&mut t, &mut sim, "kubectl exec -it nope -- sh");
        assert_eq!(out.stderr, "Error from server (NotFound): pods \"nope\" not found\n");
        assert!(t.session.is_none());
    }

    #[test]
    fn watch_shows_one_screen_again_each_interval_of_simulated_time_until_interrupted() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal { interactive: true, ..Terminal::default() };
        run(&mut t, &mut sim, "kubectl create deployment web --image=nginx:1.27 --replicas=2");
        let out = run(&mut t, &mut sim, "watch -n 1 kubectl get deploy");
        assert_eq!((out.shown().as_str(), out.status), ("", 0), "{out:?}");
        let Polled::Screen(first, None) = t.poll_stream(&mut sim) else { panic!("a screen") };
        let mut lines = first.lines();
        let header = lines.next().unwrap();
        assert!(header.starts_with("Every 1.0s: kubectl get deploy "), "{header}");
        assert!(header.ends_with("learner-laptop: Wed Jan  1 00:00:00 2025"), "{header}");
        assert_eq!(lines.next(), Some(""));
        assert!(first.contains("web    0/2"), "{first}");
        assert_eq!(t.poll_stream(&mut sim), Polled::Rows(String::new()), "not due yet");
        sim.advance(Duration::from_secs(30));
        let Polled::Screen(later, None) = t.poll_stream(&mut sim) else { panic!("a screen") };
        assert!(later.contains("web    2/2     2            2           30s"), "{later}");
        assert!(t.interrupt());
        // The command runs as `sh -c`: variables yes; a sleep in it does not move the clock.
        run(&mut t, &mut sim, "export APP=web");
        run(&mut t, &mut sim, "watch -t 'echo $APP; sleep 5; echo never'");
        let now = sim.now();
        assert_eq!(t.poll_stream(&mut sim), Polled::Screen("web\n".into(), None));
        assert_eq!(sim.now(), now);
        // -g stops when the output changes.
        run(&mut t, &mut sim, "watch -g -n 5 kubectl get pods --no-headers -l app=web -o name");
        assert!(matches!(t.poll_stream(&mut sim), Polled::Screen(_, None)));
        run(&mut t, &mut sim, "kubectl scale deploy web --replicas=3");
        sim.advance(Duration::from_secs(5));
        assert!(matches!(t.poll_stream(&mut sim), Polled::Screen(_, Some(_))));
        assert!(t.stream.is_none());
        // Not alone on its line, or in a script, it does not start.
        assert!(run(&mut t, &mut sim, "watch date | head -1").stderr.contains("the one command on its line"));
        let mut script = Terminal::default();
        assert_eq!(run(&mut script, &mut sim, "watch date").stderr, "Error opening terminal: unknown.\n");
        assert_eq!(run(&mut t, &mut sim, "type watch").stdout, "watch is /usr/local/bin/watch\n");
    }

    #[test]
    fn a_watch_at_a_keyboard_streams_rows_as_the_cluster_runs_until_interrupted() {
        let mut sim = Sim::new(SimConfig::default());
        let mut t = Terminal { interactive: true, ..Terminal::default() };
        run(&mut t, &mut sim, "kubectl create deployment web --image=nginx:1.27");
        sim.advance(Duration::from_millis(200));
        let before = sim.now();
        let out = run(&mut t, &mut sim, "kubectl get pods -w");
        assert_eq!(sim.now(), before, "the line returns at once");
        assert!(out.stdout.starts_with("NAME "), "{out:?}");
        assert!(t.stream.is_some());
        sim.advance(Duration::from_secs(10));
        let Polled::Rows(rows) = t.poll_stream(&mut sim) else { panic!("rows") };
        assert!(rows.contains("Running"), "{rows}");
        assert!(!rows.contains("NAME"), "no second header: {rows}");
        assert_eq!(t.poll_stream(&mut sim), Polled::Rows(String::new()), "nothing new");
        assert!(t.interrupt());
        assert!(!t.interrupt());
        // logs -f follows the same way.
        let pod = sim.store().list("Pod", Some("default")).next().unwrap().name().to_string();
        t.interrupt();
        run(&mut t, &mut sim, &format!("kubectl logs -f {pod}"));
        assert!(t.stream.is_some());
        // Piped, it runs to its end as before.
        t.interrupt();
        run(&mut t, &mut sim, "kubectl get pods -w | grep web");
        assert!(t.stream.is_none());
        assert!(sim.now() > before + Duration::from_secs(10));
    }
}
