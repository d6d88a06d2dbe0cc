//! The container runtime as the kubelet sees it: start a container's process, let it run to
//! a simulated instant, stop it. An adapter over [`crate::sim::process`] and the image
//! catalogue, so the kubelet's state machine does not depend on how processes are simulated.

use std::collections::BTreeMap;

use crate::sim::images::{self, HttpAnswer, Profile, GENERIC};
use crate::sim::process::{ContainerEnv, Listening, Network, NoNetwork, Process, ProcessEvent};
use crate::sim::time::SimTime;

/// What a running process did up to some instant.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Progress {
    /// Log lines written, with when.
    pub logs: Vec<(SimTime, String)>,
    /// The process ended, with its exit code.
    pub exited: Option<(SimTime, i32)>,
}

/// The image profile a container runs: the catalogue's, or the generic server's.
pub fn profile_of(image: &str) -> &'static Profile {
    images::ImageRef::parse(image).ok().and_then(|r| images::profile_for(&r).ok()).unwrap_or(&GENERIC)
}

/// How a container starts: its image, command, environment and mounted files.
#[derive(Debug, Clone)]
pub struct Launch {
    pub image: String,
    pub command: Vec<String>,
    pub args: Vec<String>,
    pub env: BTreeMap<String, String>,
    /// Files its volumes mount (absolute paths; directories end with `/`).
    pub files: BTreeMap<String, String>,
    pub hostname: String,
    pub working_dir: Option<String>,
    pub tty: bool,
    /// The ports the container declares (`containerPort`), which a generic server listens on.
    pub declared_ports: Vec<u16>,
    /// Directories that volumes are mounted on (ending with `/`): what the image had there is
    /// hidden, as a mount hides it.
    pub mounted_dirs: Vec<String>,
    /// Mounts that cannot be written (see [`ContainerEnv::read_only`]).
    pub read_only: Vec<String>,
}

/// A container's process.
#[derive(Debug, Clone)]
pub struct Proc {
    process: Process,
    declared_ports: Vec<u16>,
    /// Why it could not start (containerd's message), reported once.
    start_error: Option<String>,
}

impl Proc {
    /// Starts the container's process at `now`.
    pub fn start(launch: Launch, now: SimTime) -> Proc {
        let profile = profile_of(&launch.image);
        let mut env = ContainerEnv::new(profile, &launch.hostname);
        let reference = images::ImageRef::parse(&launch.image).ok();
        if let Some(r) = &reference {
            env.tag = r.tag().to_string();
            if let Some(v) = images::version_for_tag(profile, r.tag()) {
                env.env.insert(profile.version_var.to_string(), v);
            }
        }
        env.env.extend(launch.env);
        for dir in &launch.mounted_dirs {
            let keep = |k: &String| !(k.starts_with(dir.as_str()) && k.len() > dir.len());
            env.files.retain(|k, _| keep(k));
        }
        env.files.extend(launch.files);
        env.read_only = launch.read_only;
        if let Some(dir) = launch.working_dir {
            env.working_dir = dir;
        }
        env.tty = launch.tty;
        let argv = profile.argv(&launch.command, &launch.args);
        if env.image.has_shell || !env.image.files.is_empty() {
            // What `ps` and the image's own tools read of PID 1.
            env.files.insert("/proc/".into(), String::new());
            env.files.insert("/proc/1/".into(), String::new());
            env.files.insert("/proc/1/cmdline".into(), argv.join(" "));
        }
        Proc { process: Process::new(&argv, env, now), declared_ports: launch.declared_ports, start_error: None }
    }

    /// Runs the process up to `now`.
    pub fn run_until(&mut self, now: SimTime, net: &mut dyn Network) -> Progress {
        let mut progress = Progress::default();
        for ev in self.process.run_until(now, net) {
            match ev {
                ProcessEvent::Log { at, line, .. } => progress.logs.push((at, line)),
                ProcessEvent::StartError { message, .. } => self.start_error = Some(message),
                ProcessEvent::Exit { at, code } => progress.exited = Some((at, code)),
            }
        }
        progress
    }

    /// The runtime's refusal to start the process (`exec: "x": executable file not found`).
    pub fn take_start_error(&mut self) -> Option<String> {
        self.start_error.take()
    }

    /// When the process next needs to run (None: only when poked).
    pub fn next_wakeup(&self) -> Option<SimTime> {
        self.process.next_wakeup()
    }

    /// Sends SIGTERM; returns whether the process exits at once (servers do; a shell or
    /// `sleep` running as PID 1 ignores it, so the kubelet waits out the grace period).
    pub fn terminate(&mut self, now: SimTime) -> bool {
        self.process.terminate(now)
    }

    /// SIGKILL: the process ends with 137.
    pub fn kill(&mut self, now: SimTime) {
        self.process.kill(now)
    }

    /// Memory in use (the kubelet OOM-kills past the container's limit).
    pub fn memory_bytes(&self) -> u64 {
        self.process.memory_bytes()
    }

    /// Whether the process is computing flat out (a busy loop) rather than waiting.
    pub fn busy(&self) -> bool {
        self.process.is_busy()
    }

    /// The container's files as the process has left them.
    pub fn files(&self) -> &BTreeMap<String, String> {
        &self.process.env().files
    }

    /// The container's files, to mount volume contents other containers wrote.
    pub fn files_mut(&mut self) -> &mut BTreeMap<String, String> {
        &mut self.process.env_mut().files
    }

    /// The container's environment (for `kubectl exec`).
    pub fn container_env(&self) -> &ContainerEnv {
        self.process.env()
    }

    /// Whether the process accepts connections on `port`.
    pub fn listens_on(&self, port: u16) -> bool {
        match self.process.listening() {
            None => false,
            Some(Listening::Ports(ports)) => ports.contains(&port),
            // SIM: a generic image with no declared ports answers on whatever port is asked.
            Some(Listening::Declared) => self.declared_ports.is_empty() || self.declared_ports.contains(&port),
        }
    }

    /// The answer to `GET path` on `port` at `now` from `client`, the container's `requests`th
    /// answered request; None when nothing listens there.
    pub fn answer_at(&self, port: u16, path: &str, now: SimTime, client: &str, requests: u64) -> Option<HttpAnswer> {
        self.answer_through(port, path, now, client, requests, &mut NoNetwork)
    }

    /// As [`Proc::answer_at`], with the network the server's own requests go out on (the pages
    /// it makes ask other servers: see [`Profile::scripts`]).
    pub fn answer_through(
        &self,
        port: u16,
        path: &str,
        now: SimTime,
        client: &str,
        requests: u64,
        net: &mut dyn Network,
    ) -> Option<HttpAnswer> {
        self.answer_sent(port, path, images::Sent::GET, now, client, requests, net)
    }

    /// When its server started serving (None: it does not serve yet).
    pub fn served_since(&self) -> Option<SimTime> {
        self.process.served().1
    }

    /// As [`Proc::answer_through`], for a request with its method, header fields and body.
    #[allow(clippy::too_many_arguments)]
    pub fn answer_sent(
        &self,
        port: u16,
        path: &str,
        sent: images::Sent<'_>,
        now: SimTime,
        client: &str,
        requests: u64,
        net: &mut dyn Network,
    ) -> Option<HttpAnswer> {
        if !self.listens_on(port) {
            return None;
        }
        let env = self.process.env();
        let (vars, served_at) = self.process.served();
        let (y, mo, d, h, mi, s, _) = now.civil();
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let month = MONTHS[(mo.clamp(1, 12) - 1) as usize];
        let clf_time = format!("{d:02}/{month}/{y}:{h:02}:{mi:02}:{s:02} +0000");
        let now_text = now.to_rfc3339();
        let req = images::Request {
            port,
            path,
            files: &env.files,
            hostname: &env.hostname,
            vars,
            uptime: now.since(served_at.unwrap_or(now)),
            now: &now_text,
            clf_time: &clf_time,
            client,
            requests,
            sent,
        };
        // SIM: what an image outside the catalogue serves is unknown; it answers 200 with a line
        // naming the pod, which is what sample web apps tend to do.
        env.image
            .answer_with(&req, &mut |call| match call {
                images::Call::Page { script, vars } => Some(self.run_page(script, vars, path, sent.method, now, net)),
                images::Call::Proxy(url) => net.http_get(url).ok().map(|r| images::Served {
                    status: r.status,
                    body: r.body,
                    log: String::new(),
                }),
            })
            .or_else(|| {
                Some(HttpAnswer {
                    status: 200,
                    body: format!("Hello from {}\n", env.hostname),
                    log: None,
                    content_type: String::new(),
                    location: None,
                    file: false,
                })
            })
    }

    /// Runs one of the image's page scripts for a `method` request of `path` in a copy of the
    /// container (what it writes is not kept), with its route's `vars`: the status and body it
    /// produced, and what it logged (see [`images::Profile::scripts`]).
    fn run_page(
        &self,
        script: &str,
        vars: &[(&str, String)],
        path: &str,
        method: &str,
        now: SimTime,
        net: &mut dyn Network,
    ) -> images::Served {
        let mut env = self.process.env().clone();
        let query = path.split_once('?').map_or("", |(_, q)| q);
        env.env.insert("REQUEST_URI".into(), path.to_string());
        env.env.insert("QUERY_STRING".into(), query.to_string());
        env.env.insert("REQUEST_METHOD".into(), method.to_string());
        for (name, value) in vars {
            env.env.insert(format!("ROUTE_{name}"), value.clone());
        }
        for name in query.split('&').filter_map(|kv| kv.split('=').next()) {
            if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                env.env.insert(format!("GET_{name}"), images::query_param(path, name));
            }
        }
        let argv = ["sh".to_string(), "-c".to_string(), script.to_string()];
        let out = crate::sim::process::run_to_completion(&argv, &mut env, now, net);
        let (status, body) = match out.stdout.strip_prefix("Status: ").and_then(|r| r.split_once('\n')) {
            Some((status, body)) => (status.trim().parse().unwrap_or(500), body.to_string()),
            None => (200, out.stdout),
        };
        images::Served { status, body, log: out.stderr }
    }

    /// The answer to `GET path` on `port` as its server started (no uptime, no client).
    pub fn answer(&self, port: u16, path: &str) -> Option<HttpAnswer> {
        let at = self.process.served().1.unwrap_or(SimTime::ZERO);
        self.answer_at(port, path, at, "127.0.0.1", 1)
    }
}

/// What pulling an image does: how long, and whether it exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullPlan {
    pub millis: u64,
    pub size_bytes: u64,
    /// The registry's refusal (`… not found`), if the image or tag does not exist.
    pub error: Option<String>,
}

/// How pulling `image` would go, from the image catalogue (`sim::images`).
pub fn plan_pull(image: &str) -> PullPlan {
    let failed = |error: String| PullPlan { millis: 800, size_bytes: 0, error: Some(error) };
    match crate::sim::images::ImageRef::parse(image) {
        Err(e) => failed(e.to_string()),
        Ok(r) => match crate::sim::images::profile_for(&r) {
            Ok(p) => PullPlan { millis: crate::sim::images::pull_millis(p), size_bytes: p.size_bytes, error: None },
            Err(e) => failed(e.to_string()),
        },
    }
}

/// What a probe found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeOutcome {
    Success,
    /// Failed, with the kubelet's description (`HTTP probe failed with statuscode: 503`).
    Failure(String),
}

impl Proc {
    /// An HTTP GET to the process at `ip:port` `path` over `scheme` (`http` or `https`, which
    /// the prober's errors name), as the kubelet's prober makes it: 200–399 is success.
    pub fn http_get(&self, scheme: &str, ip: &str, port: u16, path: &str, now: SimTime) -> ProbeOutcome {
        match self.answer_at(port, path, now, ip, 0) {
            Some(a) if (200..400).contains(&a.status) => ProbeOutcome::Success,
            Some(a) if a.status == 0 => ProbeOutcome::Failure(format!(
                "Get \"{scheme}://{ip}:{port}{path}\": net/http: HTTP/1.x transport connection broken: malformed HTTP response"
            )),
            Some(a) => ProbeOutcome::Failure(format!("HTTP probe failed with statuscode: {}", a.status)),
            None => ProbeOutcome::Failure(format!(
                "Get \"{scheme}://{ip}:{port}{path}\": dial tcp {ip}:{port}: connect: connection refused"
            )),
        }
    }

    /// A TCP connect to `ip:port`.
    pub fn tcp(&self, ip: &str, port: u16) -> ProbeOutcome {
        if self.listens_on(port) {
            ProbeOutcome::Success
        } else {
            ProbeOutcome::Failure(format!("dial tcp {ip}:{port}: connect: connection refused"))
        }
    }

    /// A gRPC health check on `port`: serving when the process listens there.
    // SIM: no gRPC is spoken; a listening server reports SERVING.
    pub fn grpc(&self, ip: &str, port: u16) -> ProbeOutcome {
        if self.listens_on(port) {
            ProbeOutcome::Success
        } else {
            ProbeOutcome::Failure(format!(
                "timeout: failed to connect service \"{ip}:{port}\" within 1s: context deadline exceeded"
            ))
        }
    }

    /// Runs `argv` inside the container (an exec probe); success is exit status 0. The command
    /// sees and may change the container's files.
    pub fn exec(&mut self, argv: &[String], now: SimTime, net: &mut dyn Network) -> ProbeOutcome {
        let out = crate::sim::process::run_to_completion(argv, self.process.env_mut(), now, net);
        if out.code == 0 {
            ProbeOutcome::Success
        } else {
            // The kubelet reports the command's output as the failure message.
            ProbeOutcome::Failure(format!("{}{}", out.stdout, out.stderr))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_tag_of_catalogue_image_fails_to_pull() {
        assert!(plan_pull("nginx:1.27").error.is_none());
        assert!(plan_pull("nginx:1.27.3-alpine").error.is_none());
        assert!(plan_pull("kiamol/ch03-sleep").error.is_none());
        let err = plan_pull("nginx:doesnotexist").error.unwrap();
        assert!(err.ends_with("docker.io/library/nginx:doesnotexist: not found"), "{err}");
        assert!(plan_pull("nginxx").error.unwrap().contains("pull access denied, repository does not exist"));
    }
}
