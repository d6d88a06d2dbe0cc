//! The simulated process: what a container's command does over simulated time.
//!
//! A small POSIX-shell interpreter ([`parser`], [`interp`], [`builtins`]) runs the container's
//! argv — `sh -c '…'`, a direct command such as `sleep 3600`, or the image's own entrypoint,
//! whose programs the image catalogue writes as scripts. It is a step function: `sleep`
//! suspends it until a simulated instant, so `while true; do echo hi; sleep 5; done` runs for
//! ever without holding the host. Work per call is bounded and every input is untrusted.
//!
//! Pure: depends only on [`crate::sim::time`] and [`crate::sim::images`].

mod applets;
mod awk;
mod brace;
pub mod builtins;
mod curl;
pub mod diff;
mod dnstools;
mod gojson;
pub mod grep;
pub mod interp;
pub mod jq;
pub mod memory;
mod order;
pub mod parser;
mod printf;
pub mod redis;
pub mod regex;
mod textutils;

use std::collections::BTreeMap;

use crate::sim::images::{Profile, GENERIC};
use crate::sim::time::SimTime;

pub use applets::pi_digits;
pub use interp::{Carried, Listening, Process};
pub use order::Order;

/// Which stream a log line went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Something a process did that the kubelet must know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProcessEvent {
    /// A line written to the container's log.
    Log { at: SimTime, stream: Stream, line: String },
    /// The container could not start (its executable does not exist); an `Exit` with 128 follows.
    StartError { at: SimTime, message: String },
    /// The process ended.
    Exit { at: SimTime, code: i32 },
}

/// An HTTP response as a client sees it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Response {
    /// The status code; 0 when the server does not speak HTTP (a database port).
    pub status: u16,
    pub body: String,
    /// `ip:port` the client connected to (wget prints it).
    pub addr: String,
    /// The header fields after the status line, in the order the server sent them (empty:
    /// the server's are not known, and clients show none).
    pub headers: Vec<(String, String)>,
    /// Whether the server speaks HTTP/2 to a client that offers it over TLS (the API server,
    /// to curl); clients that do show `HTTP/2 200` and lowercase field names.
    pub http2: bool,
}

/// An HTTP request as a client sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET`, `HEAD`, `POST`, …
    pub method: String,
    /// `http[s]://host[:port]/path?query`, where the connection goes.
    pub url: String,
    /// The header fields the client sends, `Host` first, in order.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpRequest {
    /// `GET url` with only the `Host` header a client derives from the URL.
    pub fn get(url: &str) -> HttpRequest {
        let (host, port, _) = split_url(url);
        let default = if url.starts_with("https://") { 443 } else { 80 };
        let host = if port == default { host } else { format!("{host}:{port}") };
        HttpRequest {
            method: "GET".into(),
            url: url.to_string(),
            headers: vec![("Host".into(), host)],
            body: String::new(),
        }
    }

    /// `GET url` with `host` (when given) in place of the URL's host in its `Host` header.
    pub fn get_as(url: &str, host: Option<&str>) -> HttpRequest {
        let mut req = HttpRequest::get(url);
        if let Some(h) = host {
            req.headers[0].1 = h.to_string();
        }
        req
    }

    /// The same request sent to another URL (its `Host` field kept).
    pub fn to(&self, url: &str) -> HttpRequest {
        HttpRequest { url: url.to_string(), ..self.clone() }
    }

    /// The value of header `name` (case-insensitive), the last one sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().rev().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The virtual host the request names: its `Host` header without the port.
    pub fn host(&self) -> Option<&str> {
        let h = self.header("host")?;
        Some(h.rsplit_once(':').filter(|(_, p)| p.bytes().all(|b| b.is_ascii_digit())).map_or(h, |(h, _)| h))
    }
}

impl Response {
    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Why a request got no HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetError {
    /// The host name does not resolve.
    BadAddress(String),
    /// Nothing listens there (or a Service has no ready endpoints: kube-proxy rejects).
    Refused { ip: String, port: u16 },
    /// No answer at all: the address is not reachable from here, and the connection attempt
    /// gives up after the operating system's SYN retries.
    TimedOut { ip: String, port: u16 },
}

/// One SRV record as the cluster's DNS answers it, with the address its target resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrvRecord {
    pub priority: u16,
    pub weight: u16,
    pub port: u16,
    /// Fully qualified, without the trailing dot.
    pub target: String,
    pub address: String,
}

/// The network as the container sees it; the kubelet supplies it (Services, DNS).
pub trait Network {
    /// `GET url` (`http://host[:port]/path`).
    fn http_get(&mut self, url: &str) -> Result<Response, NetError>;
    /// `GET url` sent with a `Host` header of the client's choosing (`curl -H 'Host: …'`,
    /// `curl --resolve`), which name-based virtual hosts (an Ingress controller) route by.
    fn http_request(&mut self, url: &str, host: Option<&str>) -> Result<Response, NetError> {
        let _ = host;
        self.http_get(url)
    }
    /// Sends `req` (its method, headers and body) and returns the response with its headers.
    /// By default the method, body and headers other than `Host` do not reach the server.
    fn http(&mut self, req: &HttpRequest) -> Result<Response, NetError> {
        let host = req.host().map(str::to_string);
        self.http_request(&req.url, host.as_deref())
    }
    /// The IP address of `name`, if it resolves.
    fn resolve(&mut self, name: &str) -> Option<String>;
    /// The full name `name` resolved as, through the search domains (`web` →
    /// `web.default.svc.cluster.local`), as `nslookup` prints it.
    fn full_name(&mut self, name: &str) -> String {
        name.to_string()
    }
    /// Every address `name` resolves to (a headless Service has one per ready endpoint).
    fn resolve_all(&mut self, name: &str) -> Vec<String> {
        self.resolve(name).into_iter().collect()
    }
    /// The full name `name` resolved as and the name it is an alias of, when it is one (an
    /// ExternalName Service: CoreDNS answers with a CNAME record).
    fn canonical_name(&mut self, name: &str) -> Option<(String, String)> {
        let _ = name;
        None
    }
    /// The SRV records of a fully qualified `name` (`_http._tcp.web.default.svc.cluster.local`,
    /// or a Service's own name for all its ports): (priority, weight, port, target) and the
    /// address of each target, as CoreDNS answers them.
    fn srv_records(&mut self, name: &str) -> Vec<SrvRecord> {
        let _ = name;
        Vec::new()
    }
    /// The name a reverse (PTR) lookup of `ip` gives, if the cluster's DNS knows one (a
    /// Service's ClusterIP, a headless Service's endpoint).
    fn reverse_name(&mut self, ip: &str) -> Option<String> {
        let _ = ip;
        None
    }
    /// Whether the nameserver of the container's `/etc/resolv.conf` answers at all (CoreDNS
    /// scaled to zero does not: queries time out).
    fn dns_reachable(&mut self) -> bool {
        true
    }
    /// Sends one Redis command to the server at `host:port`: its reply (an error reply is
    /// `Ok(Err(…))`), or why no connection was made. None when this network carries no Redis
    /// traffic; `redis-cli` then talks to the container's own server through its files.
    fn redis(&mut self, _host: &str, _port: u16, _command: &[String]) -> Option<Result<redis::Reply, NetError>> {
        None
    }
    /// Whether the host provides command `name` (see [`Network::host_command`]).
    fn host_has(&mut self, _name: &str) -> bool {
        false
    }
    /// Runs a command the host provides beyond the container's own programs (the terminal's
    /// `kubectl`), with the process's stdin, files and working directory; None when the host
    /// has no such command. Inside a container there is none.
    fn host_command(
        &mut self,
        _argv: &[String],
        _stdin: Option<&str>,
        _files: &Files,
        _cwd: &str,
    ) -> Option<ExecOutput> {
        None
    }
}

/// Splits `http://host:port/path` into its host, port (80 by default) and path.
pub fn split_url(url: &str) -> (String, u16, String) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    let default_port = if url.starts_with("https://") { 443 } else { 80 };
    match hostport.rsplit_once(':') {
        Some((h, p)) => (h.to_string(), p.parse().unwrap_or(default_port), path),
        None => (hostport.to_string(), default_port, path),
    }
}

/// A network where nothing answers and no name resolves.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoNetwork;

impl Network for NoNetwork {
    fn http_get(&mut self, url: &str) -> Result<Response, NetError> {
        Err(NetError::BadAddress(split_url(url).0))
    }
    fn resolve(&mut self, _name: &str) -> Option<String> {
        None
    }
}

/// Where a process run beside PID 1 (`kubectl exec … -- kill 1`, `killall5`) leaves the signal
/// it sent PID 1; the kubelet takes it out and delivers it.
pub const PID1_SIGNAL: &str = "/proc/1/.signal";

/// Files a container sees: absolute path → contents; directories are keys ending in `/`
/// (the same shape as the kubelet's `config::Files`).
pub type Files = BTreeMap<String, String>;

/// Everything a process sees of its container.
#[derive(Debug, Clone)]
pub struct ContainerEnv {
    /// Environment variables (from the image, then `env`/`envFrom`; the kubelet fills them).
    pub env: BTreeMap<String, String>,
    /// The file system: the image's files, then mounted volumes.
    pub files: Files,
    /// The pod's hostname (`$HOSTNAME`, `hostname`).
    pub hostname: String,
    /// The working directory (`workingDir`, else the image's `WORKDIR`).
    pub working_dir: String,
    /// The image the container runs.
    pub image: &'static Profile,
    /// Whether the container has a terminal (`tty: true`, `kubectl run -it`): an interactive
    /// shell then waits for input instead of exiting.
    pub tty: bool,
    /// Errors worded as bash words them (`bash: foo: command not found`), for the terminal.
    pub bash_style: bool,
    /// The image's tag (`v2`, `latest`): what the image's programs are a version of.
    pub tag: String,
    /// Directories mounted read-only (ending with `/`) and files mounted read-only: writing
    /// under them fails with `Read-only file system`.
    pub read_only: Vec<String>,
}

impl ContainerEnv {
    /// Whether `abs` (an absolute path) lies on a read-only mount.
    pub fn is_read_only(&self, abs: &str) -> bool {
        self.read_only.iter().any(|m| {
            if let Some(dir) = m.strip_suffix('/') {
                abs == dir || abs.starts_with(m.as_str())
            } else {
                abs == m
            }
        })
    }
}

impl ContainerEnv {
    /// A container of `image` on a pod named `hostname`: the image's files, `ENV` and `WORKDIR`,
    /// and `HOSTNAME` and `HOME`.
    pub fn new(image: &'static Profile, hostname: &str) -> ContainerEnv {
        let mut env: BTreeMap<String, String> = image.env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        env.insert("HOSTNAME".into(), hostname.to_string());
        env.entry("HOME".into()).or_insert_with(|| "/root".into());
        ContainerEnv {
            env,
            files: image.initial_files(),
            hostname: hostname.to_string(),
            working_dir: image.working_dir.to_string(),
            image,
            tty: false,
            bash_style: false,
            tag: "latest".into(),
            read_only: Vec::new(),
        }
    }
}

impl Default for ContainerEnv {
    /// A generic image's container named `sandbox`.
    fn default() -> Self {
        ContainerEnv::new(&GENERIC, "sandbox")
    }
}

/// What a one-shot run (`kubectl exec`) produced.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExecOutput {
    pub stdout: String,
    pub stderr: String,
    /// How the writes to the two were interleaved.
    pub order: Order,
    pub code: i32,
    /// Files a host command writes into the caller's file system (`kubectl cp POD:SRC DEST`):
    /// path → content, directories ending with `/`.
    pub writes: Files,
}

/// Most simulated time a one-shot run may take before it is stopped.
// SIM: `kubectl exec` of something that never ends would hang the terminal; ours gives up.
pub const EXEC_TIMEOUT_SECS: u64 = 300;

/// Runs `argv` inside a container to completion (`kubectl exec POD -- …`), at most
/// [`EXEC_TIMEOUT_SECS`] of simulated time and a bounded amount of work. Changes it makes to
/// files persist in `env`.
pub fn run_to_completion(argv: &[String], env: &mut ContainerEnv, now: SimTime, net: &mut dyn Network) -> ExecOutput {
    let mut p = Process::with_capture(argv, take_env(env), now);
    let deadline = now + std::time::Duration::from_secs(EXEC_TIMEOUT_SECS);
    let mut code = None;
    let mut calls = 0;
    while code.is_none() && calls < 10_000 {
        calls += 1;
        let until = p.next_wakeup().map_or(deadline, |w| w.min(deadline));
        for ev in p.run_until(until, net) {
            if let ProcessEvent::Exit { code: c, .. } = ev {
                code = Some(c);
            }
        }
        if code.is_none() && (p.next_wakeup().is_none() || until >= deadline) {
            p.kill(until);
            code = Some(137);
            break;
        }
    }
    let (stdout, stderr, order, files) = p.into_output();
    env.files = files;
    ExecOutput { stdout, stderr, order, code: code.unwrap_or(137), writes: Files::new() }
}

/// Takes an env out of a `&mut`, leaving its other fields (files are moved, not copied).
fn take_env(env: &mut ContainerEnv) -> ContainerEnv {
    let files = std::mem::take(&mut env.files);
    ContainerEnv { files, ..env.clone() }
}

#[cfg(test)]
mod tests;
