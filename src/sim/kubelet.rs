//! The virtual kubelet: runs the pods bound to each node through the upstream lifecycle —
//! sandbox and IP, image pulls, init containers in order, containers Running, Ready — with
//! upstream container states, reasons, events, restarts with back-off, and graceful
//! termination. Never touches the page.
//!
//! Like the real kubelet it is level-driven: `sync_pod` looks at what the pod wants and what
//! runs, does the next step, writes the status, and schedules its next wake-up.

pub mod config;
pub mod copy;
pub mod dns;
pub mod host_path;
pub mod probes;
pub mod runtime;
pub mod status;
pub mod usage;
pub mod volumes;

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::Duration;

use serde_json::Value;

use super::api::Object;
use super::events::{self, EventType, Source};
use super::store::{ObjectKey, WatchEvent, WatchEventType};
use super::time::SimTime;
use super::{Sim, Task};
use runtime::{Launch, Proc, PullPlan};

/// CrashLoopBackOff and image-pull back-off start at 10 s …
pub const BACKOFF_INITIAL: Duration = Duration::from_secs(10);
/// … double each time, up to 5 minutes …
pub const BACKOFF_MAX: Duration = Duration::from_secs(300);
/// … and reset once a container has run this long.
pub const BACKOFF_RESET: Duration = Duration::from_secs(600);
/// Time to create a pod sandbox (network namespace, pause container).
// SIM: a fixed second; real runtimes take from tens of milliseconds to seconds.
pub const SANDBOX_SETUP: Duration = Duration::from_secs(1);

/// What the kubelet is doing with one container.
#[derive(Debug)]
pub enum Phase {
    /// Not started yet (waiting for the sandbox, an image, or earlier init containers).
    Waiting,
    /// Pulling its image until then.
    Pulling {
        until: SimTime,
        plan: PullPlan,
    },
    /// The pull failed; retried at `until`. `shown_backoff`: the status says ImagePullBackOff.
    PullBackOff {
        until: SimTime,
        message: String,
        shown_backoff: bool,
        /// When the pull failed: the next sync (a second later) reports ImagePullBackOff.
        since: SimTime,
    },
    /// The kubelet will not pull the image: its name does not parse (`InvalidImageName`), or it
    /// is absent and `imagePullPolicy: Never` (`ErrImageNeverPull`); or the runtime cannot create
    /// the container (`CreateContainerError`: a Localhost seccomp or AppArmor profile the node
    /// does not have). Tried again at `retry_at`.
    ImageRefused {
        reason: &'static str,
        message: String,
        retry_at: SimTime,
    },
    /// Its configuration cannot be built (a missing ConfigMap or Secret key).
    ConfigError {
        message: String,
    },
    Running {
        started: SimTime,
        proc: Box<Proc>,
    },
    /// Exited; restarted at `restart_at` if the policy says so.
    Exited {
        code: i32,
        reason: String,
        started: SimTime,
        finished: SimTime,
        restart_at: Option<SimTime>,
    },
}

/// One container as the kubelet runs it.
#[derive(Debug)]
pub struct ContainerRun {
    pub name: String,
    pub image: String,
    pub init: bool,
    /// An init container with `restartPolicy: Always` (a native sidecar): it runs beside the
    /// regular containers, counts towards readiness and is restarted whatever the pod's policy.
    pub sidecar: bool,
    /// Its CPU limit in millicores, which a busy process cannot exceed.
    pub cpu_limit_millis: Option<u64>,
    pub phase: Phase,
    pub restart_count: u32,
    /// The previous instance's end, shown as `lastState`.
    pub last_terminated: Option<(i32, String, SimTime, SimTime)>,
    pub backoff: Duration,
    pub ready: bool,
    pub logs: Vec<(SimTime, String)>,
    pub previous_logs: Vec<(SimTime, String)>,
    /// The environment and files of the current instance (what `kubectl exec` sees).
    pub env: config::Env,
    pub files: config::Files,
    pub probes: Vec<probes::Probe>,
    /// The startup probe (if any) has passed: the status says `started: true`.
    pub started: bool,
    /// Terminating: SIGTERM is due at this instant (after the preStop hook).
    pub sigterm_at: Option<SimTime>,
    /// Writable volumes it mounts (emptyDir, hostPath, PVC).
    pub mounts: Vec<volumes::Mount>,
    /// When it answered requests, over the last metrics window (its CPU use follows).
    pub served: RefCell<VecDeque<SimTime>>,
    /// Requests its current instance has answered.
    pub requests: Cell<u64>,
    /// Access-log lines of answered requests, not yet moved into `logs`.
    pub access_logs: RefCell<Vec<(SimTime, String)>>,
    /// The data of the Redis server it runs (clients reach it over the network); a new
    /// instance starts empty.
    // SIM: no RDB or AOF file is written, so nothing survives a restart.
    pub redis: RefCell<crate::sim::process::redis::Keys>,
    /// Its Redis replica's link to the leader when last looked at.
    pub redis_link: Cell<Option<crate::sim::process::redis::Link>>,
}

/// CPU time one answered request costs.
// SIM: real handlers vary by orders of magnitude; 25 ms of CPU makes a load-generator loop
// (`while true; do wget -q -O- http://web; done`) push a small pod past its request, as the
// HorizontalPodAutoscaler walkthrough expects.
pub const CPU_MILLIS_PER_REQUEST: u64 = 25;

/// At most this many request times are kept per container.
const MAX_SERVED_KEPT: usize = 100_000;

impl ContainerRun {
    /// An init container has done its part, so the next one may start: it exited 0, or (a
    /// native sidecar) it has been running at least once. A sidecar that crashes later does
    /// not hold the pod's other containers back, as upstream's kubelet does not.
    pub fn init_satisfied(&self) -> bool {
        if self.sidecar {
            matches!(self.phase, Phase::Running { .. }) || self.restart_count > 0 || self.last_terminated.is_some()
        } else {
            matches!(self.phase, Phase::Exited { code: 0, .. })
        }
    }

    /// Counts a request answered at `now`, and keeps the lines its server logged for it.
    pub fn note_answered(&self, now: SimTime, log: Option<String>) {
        self.requests.set(self.requests.get() + 1);
        if let Some(text) = log {
            let mut logs = self.access_logs.borrow_mut();
            for line in text.split('\n') {
                if logs.len() < 10_000 {
                    logs.push((now, line.to_string()));
                }
            }
        }
    }

    /// Moves the access-log lines into the log, in time order with what the process wrote.
    fn flush_access_logs(&mut self, max_bytes: usize) {
        let pending = std::mem::take(&mut *self.access_logs.borrow_mut());
        if !pending.is_empty() {
            let mut merged = std::mem::take(&mut self.logs);
            merged.extend(pending);
            merged.sort_by_key(|(t, _)| *t);
            append_logs(&mut self.logs, merged, max_bytes);
        }
    }

    /// Notes a request answered at `now`.
    pub fn note_request(&self, now: SimTime) {
        let mut served = self.served.borrow_mut();
        let window = Duration::from_secs(usage::WINDOW_SECS);
        while served.front().is_some_and(|t| now.since(*t) > window) || served.len() >= MAX_SERVED_KEPT {
            served.pop_front();
        }
        served.push_back(now);
    }

    /// The container's resource usage over the last metrics window (see [`crate::sim::metrics`]):
    /// an idle process uses a millicore, a busy loop a whole core, each answered request
    /// [`CPU_MILLIS_PER_REQUEST`] of CPU time.
    pub fn usage(&self, now: SimTime) -> usage::Usage {
        let Phase::Running { proc, .. } = &self.phase else { return usage::Usage::default() };
        let window = Duration::from_secs(usage::WINDOW_SECS);
        let recent = self.served.borrow().iter().filter(|t| now.since(**t) <= window).count() as u64;
        // A busy loop takes a whole core, or its limit (the CFS quota throttles it there).
        let base = if proc.busy() { self.cpu_limit_millis.map_or(1000, |l| l.clamp(1, 1000)) } else { 1 };
        usage::Usage {
            cpu_millis: base + recent * CPU_MILLIS_PER_REQUEST / usage::WINDOW_SECS,
            memory_bytes: proc.memory_bytes().max(1 << 20),
        }
    }
}

/// One pod on one node.
#[derive(Debug)]
pub struct PodRun {
    pub node: String,
    pub host_ip: String,
    pub ip: String,
    pub sandbox_ready_at: SimTime,
    pub started: SimTime,
    pub containers: Vec<ContainerRun>,
    /// Graceful termination under way: SIGKILL at this instant.
    pub kill_at: Option<SimTime>,
    /// Volumes not mounted yet: retried at this instant, with this back-off.
    pub mount_retry: Option<(SimTime, Duration)>,
    /// When configMap, secret and downwardAPI volumes are next brought up to date (None when
    /// the pod mounts none, or only through `subPath`).
    pub volume_resync_at: Option<SimTime>,
}

/// Every kubelet's memory: the pods they run, the images they hold, the IPs they gave out.
#[derive(Debug, Default)]
pub struct Kubelets {
    pub pods: BTreeMap<ObjectKey, PodRun>,
    pub images: BTreeMap<String, BTreeSet<String>>,
    next_ip: BTreeMap<String, u32>,
    /// The contents of writable volumes (emptyDir, hostPath, PersistentVolumes).
    pub volumes: volumes::Volumes,
    /// Requests routed through Services so far (they take turns over endpoints).
    pub turn: Cell<u64>,
}

/// Kubelet work the event queue carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KubeletTask {
    SyncPod(ObjectKey),
}

fn source(node: &str) -> Source<'_> {
    Source { component: "kubelet", host: Some(node) }
}

/// Reacts to a change of a Pod: admits pods newly bound to a running kubelet's node, starts
/// termination of pods being deleted.
pub fn on_pod_event(sim: &mut Sim, ev: &WatchEvent) {
    let pod = &ev.object;
    let key = ObjectKey::of(pod);
    if ev.event_type == WatchEventType::Deleted {
        sim.kubelets.pods.remove(&key);
        volumes::forget_pod(&mut sim.kubelets.volumes, pod.uid());
        return;
    }
    let Some(node) = pod.field("spec.nodeName").and_then(Value::as_str) else { return };
    // No kubelet runs on a node that does not exist: its pods wait for pod GC.
    if !sim.kubelet_running(node) || sim.store().get("Node", None, node).is_none() {
        return;
    }
    let known = sim.kubelets.pods.contains_key(&key);
    if !known && pod.metadata.deletion_timestamp.is_none() {
        admit(sim, pod, node);
        sim.schedule(Duration::ZERO, Task::Kubelet(KubeletTask::SyncPod(key)));
    } else if known && pod.metadata.deletion_timestamp.is_some() {
        let run = sim.kubelets.pods.get(&key).expect("known");
        if run.kill_at.is_none() {
            sim.schedule(Duration::ZERO, Task::Kubelet(KubeletTask::SyncPod(key)));
        }
    } else if !known && pod.metadata.deletion_timestamp.is_some() {
        // Never started here: nothing to stop.
        let _ = sim.store_delete("Pod", pod.namespace(), pod.name());
    }
}

/// Starts `pods` (bound to nodes whose kubelet runs) at once, as a cluster that has run for a
/// while has them: sandbox up, containers started (their images were pulled beforehand), and
/// started and Ready, their startup and readiness probes passed. The usual events are recorded
/// (Pulled, Created, Started). For kube-system's pods when the cluster is built.
// SIM: kubeadm's pods came up minutes before a learner arrives; here they come up at time zero
// without the second of sandbox set-up or the wait for their probes' first verdicts. Their
// probes run from their next period on.
pub(crate) fn start_settled(sim: &mut Sim, pods: &[ObjectKey]) {
    let now = sim.now();
    for key in pods {
        let Some(pod) = sim.store().get_key(key).cloned() else { continue };
        let Some(node) = pod.field("spec.nodeName").and_then(Value::as_str).map(str::to_string) else { continue };
        if sim.kubelets.pods.contains_key(key)
            || pod.metadata.deletion_timestamp.is_some()
            || !sim.kubelet_running(&node)
            || sim.store().get("Node", None, &node).is_none()
        {
            continue;
        }
        admit(sim, &pod, &node);
        if let Some(run) = sim.kubelets.pods.get_mut(key) {
            run.sandbox_ready_at = now;
            run.mount_retry = Some((now, Duration::ZERO));
        }
        sync_pod(sim, key);
        let Some(run) = sim.kubelets.pods.get_mut(key) else { continue };
        for c in run.containers.iter_mut().filter(|c| matches!(c.phase, Phase::Running { .. })) {
            for p in c.probes.iter_mut().filter(|p| p.kind != probes::Kind::Liveness) {
                p.pass(now);
            }
            c.started = true;
            c.ready = !c.init || c.sidecar;
        }
        // Writes the settled status and wakes the pod for its probes' next period.
        sync_pod(sim, key);
    }
}

/// A kubelet that starts again looks at every pod bound to its node, as after a restart: it
/// finishes deleting the ones deleted while it was away, and starts the ones it never saw.
pub fn resync_node(sim: &mut Sim, node: &str) {
    let pods: Vec<Object> = sim
        .store()
        .list("Pod", None)
        .filter(|p| p.field("spec.nodeName").and_then(Value::as_str) == Some(node))
        .cloned()
        .collect();
    for object in pods {
        on_pod_event(sim, &WatchEvent { event_type: WatchEventType::Modified, object: object.into() });
    }
}

/// A container's process dies (`sandbox kill`), or passes its memory limit and is killed by
/// the kernel (`sandbox oom`): exit 137, reason `Error` or `OOMKilled`. Returns which
/// container, or why nothing could be done.
pub fn kill_container(sim: &mut Sim, key: &ObjectKey, container: Option<&str>, oom: bool) -> Result<String, String> {
    let Some(pod) = sim.store().get_key(key).cloned() else {
        return Err(format!("pods \"{}\" not found", key.name));
    };
    let Some(mut run) = sim.kubelets.pods.remove(key) else {
        return Err(format!("pod {} is not running on any node", key.name));
    };
    let now = sim.now();
    let policy = restart_policy(&pod);
    let node = run.node.clone();
    let target = run.containers.iter_mut().filter(|c| !c.init).find(|c| container.is_none_or(|n| n == c.name));
    let result = match target {
        None => Err(format!("container {} is not valid for pod {}", container.unwrap_or(""), key.name)),
        Some(c) => match &mut c.phase {
            Phase::Running { started, proc } => {
                let started = *started;
                proc.kill(now);
                let _ = proc.run_until(now, &mut crate::sim::process::NoNetwork);
                let reason = if oom { "OOMKilled" } else { "Error" };
                on_exit(sim, &pod, &node, c, &policy, 137, reason, started, now);
                Ok(c.name.clone())
            }
            _ => Err(format!("container {} is not running", c.name)),
        },
    };
    sim.kubelets.pods.insert(key.clone(), run);
    sim.schedule(Duration::ZERO, Task::Kubelet(KubeletTask::SyncPod(key.clone())));
    result
}

/// A container's log (of its previous instance with `previous`), as `kubectl logs` reads it
/// from the kubelet; errors in the API server's words.
pub fn logs(sim: &Sim, key: &ObjectKey, container: Option<&str>, previous: bool) -> Result<Vec<String>, String> {
    logs_timed(sim, key, container, previous).map(|lines| lines.into_iter().map(|(_, l)| l).collect())
}

/// As [`logs`], each line with the time the container wrote it (`kubectl logs --timestamps`,
/// `--since`).
pub fn logs_timed(
    sim: &Sim,
    key: &ObjectKey,
    container: Option<&str>,
    previous: bool,
) -> Result<Vec<(SimTime, String)>, String> {
    logs_in(sim.store(), &sim.kubelets.pods, key, container, previous)
}

/// [`logs_timed`] from the store and the kubelets' pods (what the API server's `pods/log`
/// reads through the cluster network).
pub fn logs_in(
    store: &crate::sim::store::Store,
    pods: &BTreeMap<ObjectKey, PodRun>,
    key: &ObjectKey,
    container: Option<&str>,
    previous: bool,
) -> Result<Vec<(SimTime, String)>, String> {
    let pod = store.get_key(key).ok_or_else(|| format!("pods \"{}\" not found", key.name))?;
    let names: Vec<String> = pod
        .field("spec.containers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str().map(str::to_string))
        .collect();
    let name = container.map(str::to_string).or_else(|| names.first().cloned()).unwrap_or_default();
    let Some(run) = pods.get(key) else {
        return Err(format!("container \"{name}\" in pod \"{}\" is waiting to start: ContainerCreating", key.name));
    };
    let Some(c) = run.containers.iter().find(|c| c.name == name) else {
        return Err(format!("container {name} is not valid for pod {}", key.name));
    };
    if previous {
        if c.restart_count == 0 {
            return Err(format!("previous terminated container \"{name}\" in pod \"{}\" not found", key.name));
        }
        return Ok(c.previous_logs.clone());
    }
    match &c.phase {
        Phase::Running { .. } | Phase::Exited { .. } => {
            let pending = c.access_logs.borrow();
            if pending.is_empty() {
                return Ok(c.logs.clone());
            }
            let mut all: Vec<(SimTime, String)> = c.logs.iter().chain(pending.iter()).cloned().collect();
            all.sort_by_key(|(t, _)| *t);
            Ok(all)
        }
        _ => {
            // What the kubelet says of a container it cannot read logs from yet: its waiting
            // reason, with plainer words for the two image-pull ones.
            let has_init = run.containers.iter().any(|c| c.init);
            let state = status::container_status(pod, c, has_init);
            let reason = match state["state"]["waiting"]["reason"].as_str().unwrap_or("ContainerCreating") {
                "ErrImagePull" => "image can't be pulled",
                "ImagePullBackOff" => "trying and failing to pull image",
                other => other,
            }
            .to_string();
            Err(format!("container \"{name}\" in pod \"{}\" is waiting to start: {reason}", key.name))
        }
    }
}

/// Whether the container (the pod's first when `None`) is running now.
pub fn is_running(sim: &Sim, key: &ObjectKey, container: Option<&str>) -> bool {
    sim.kubelets.pods.get(key).is_some_and(|run| {
        run.containers
            .iter()
            .filter(|c| container.is_none_or(|n| n == c.name) && (container.is_some() || !c.init))
            .take(1)
            .any(|c| matches!(c.phase, Phase::Running { .. }))
    })
}

/// Runs a command in a running container (`kubectl exec`): the simulated shell with the
/// container's environment, files and network. Returns what it printed (stdout, stderr) and
/// its exit code. Files it writes stay in the container (and its volumes).
// SIM: the command runs to completion at once (its sleeps take no simulated time), and gives up
// after `process::EXEC_TIMEOUT_SECS` of its own time.
pub fn exec(
    sim: &mut Sim,
    key: &ObjectKey,
    container: Option<&str>,
    argv: &[String],
) -> Result<(String, String, i32), String> {
    exec_in(sim, key, container, argv, false)
}

/// As [`exec`]; with `tty`, the command's output goes to a terminal (`kubectl exec -it` typed
/// at one), so programs that print differently for a person (redis-cli) do.
pub fn exec_in(
    sim: &mut Sim,
    key: &ObjectKey,
    container: Option<&str>,
    argv: &[String],
    tty: bool,
) -> Result<(String, String, i32), String> {
    exec_with_host(sim, key, container, argv, tty, &mut |_, _, _, _, _| None)
}

/// A program the caller provides inside the container (`kubectl` in an image that ships it):
/// given the sim, argv, stdin, the container's files and working directory, its output, or
/// None when it is not one of the caller's.
pub type HostCommand<'h> = dyn FnMut(
        &mut Sim,
        &[String],
        Option<&str>,
        &crate::sim::process::Files,
        &str,
    ) -> Option<crate::sim::process::ExecOutput>
    + 'h;

/// [`exec`], with `host` asked first for every program the command runs.
pub fn exec_with_host(
    sim: &mut Sim,
    key: &ObjectKey,
    container: Option<&str>,
    argv: &[String],
    tty: bool,
    host: &mut HostCommand<'_>,
) -> Result<(String, String, i32), String> {
    let pod = sim.store().get_key(key).cloned().ok_or_else(|| format!("pods \"{}\" not found", key.name))?;
    let run = sim.kubelets.pods.get(key).ok_or_else(|| format!("pod {} does not have a host assigned", key.name))?;
    let names: Vec<String> =
        container_specs(&pod, "containers").iter().filter_map(|c| c["name"].as_str().map(str::to_string)).collect();
    let name = container.map(str::to_string).or_else(|| names.first().cloned()).unwrap_or_default();
    let (i, c) = run
        .containers
        .iter()
        .enumerate()
        .find(|(_, c)| c.name == name && !c.init)
        .ok_or_else(|| format!("container {name} is not valid for pod {}", key.name))?;
    let Phase::Running { proc, .. } = &c.phase else {
        return Err(format!("unable to upgrade connection: container not found (\"{name}\")"));
    };
    let mut env = proc.container_env().clone();
    env.tty |= tty;
    volumes::refresh(&mut env.files, &c.mounts, &sim.kubelets.volumes);
    let first = argv.first().cloned().unwrap_or_default();
    let probe = crate::sim::process::Process::new(argv, env.clone(), sim.now());
    if probe.exit_code().is_none() && !can_start(&probe) {
        return Err(format!("Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"{}\": OCI runtime exec failed: exec failed: unable to start container process: exec: \"{first}\": executable file not found in $PATH: unknown", exec_id(&pod, &name)));
    }
    let (node, ip, mounts) = (run.node.clone(), run.ip.clone(), c.mounts.clone());
    let now = sim.now();
    let out = {
        let mut net = HostNetwork { sim, pod: &pod, node: &node, ip: &ip, host };
        crate::sim::process::run_to_completion(argv, &mut env, now, &mut net)
    };
    let signalled = env.files.remove(crate::sim::process::PID1_SIGNAL).is_some();
    volumes::save(&env.files, &mounts, &mut sim.kubelets.volumes);
    if let Some(Phase::Running { proc, .. }) =
        sim.kubelets.pods.get_mut(key).and_then(|r| r.containers.get_mut(i)).map(|c| &mut c.phase)
    {
        *proc.files_mut() = env.files;
        if signalled && proc.terminate(now) {
            sim.schedule(Duration::ZERO, Task::Kubelet(KubeletTask::SyncPod(key.clone())));
        }
    }
    Ok((out.stdout, out.stderr, out.code))
}

/// The pod's network, with the caller's programs: each request builds the cluster network anew,
/// so that a program of the caller's may change the cluster in between.
struct HostNetwork<'a, 'h> {
    sim: &'a mut Sim,
    pod: &'a Object,
    node: &'a str,
    ip: &'a str,
    host: &'a mut HostCommand<'h>,
}

impl HostNetwork<'_, '_> {
    fn cluster(&self) -> impl crate::sim::process::Network + '_ {
        self.sim.pod_network(self.pod, self.ip, Some(self.node), self.sim.now())
    }
}

impl crate::sim::process::Network for HostNetwork<'_, '_> {
    fn http_get(&mut self, url: &str) -> Result<crate::sim::process::Response, crate::sim::process::NetError> {
        self.cluster().http_get(url)
    }
    fn resolve(&mut self, name: &str) -> Option<String> {
        self.cluster().resolve(name)
    }
    fn full_name(&mut self, name: &str) -> String {
        self.cluster().full_name(name)
    }
    fn resolve_all(&mut self, name: &str) -> Vec<String> {
        self.cluster().resolve_all(name)
    }
    fn dns_reachable(&mut self) -> bool {
        self.cluster().dns_reachable()
    }
    fn http_request(
        &mut self,
        url: &str,
        host: Option<&str>,
    ) -> Result<crate::sim::process::Response, crate::sim::process::NetError> {
        self.cluster().http_request(url, host)
    }
    fn http(
        &mut self,
        req: &crate::sim::process::HttpRequest,
    ) -> Result<crate::sim::process::Response, crate::sim::process::NetError> {
        self.cluster().http(req)
    }
    fn canonical_name(&mut self, name: &str) -> Option<(String, String)> {
        self.cluster().canonical_name(name)
    }
    fn srv_records(&mut self, name: &str) -> Vec<crate::sim::process::SrvRecord> {
        self.cluster().srv_records(name)
    }
    fn reverse_name(&mut self, ip: &str) -> Option<String> {
        self.cluster().reverse_name(ip)
    }
    fn redis(
        &mut self,
        host: &str,
        port: u16,
        command: &[String],
    ) -> Option<Result<crate::sim::process::redis::Reply, crate::sim::process::NetError>> {
        self.cluster().redis(host, port, command)
    }
    fn host_command(
        &mut self,
        argv: &[String],
        stdin: Option<&str>,
        files: &crate::sim::process::Files,
        cwd: &str,
    ) -> Option<crate::sim::process::ExecOutput> {
        (self.host)(self.sim, argv, stdin, files, cwd)
    }
}

/// Whether a freshly made process found its executable.
fn can_start(p: &crate::sim::process::Process) -> bool {
    !p.has_start_error()
}

/// The runtime's id of an exec session, as containerd's error shows it.
fn exec_id(pod: &Object, container: &str) -> String {
    status::digest(&format!("exec/{}/{container}", pod.uid()))
}

/// Runs kubelet work from the queue.
pub fn run(sim: &mut Sim, task: KubeletTask) {
    match task {
        KubeletTask::SyncPod(key) => sync_pod(sim, &key),
    }
}

fn container_specs(pod: &Object, field: &str) -> Vec<Value> {
    pod.field(&format!("spec.{field}")).and_then(Value::as_array).cloned().unwrap_or_default()
}

fn admit(sim: &mut Sim, pod: &Object, node: &str) {
    let host_network = pod.field("spec.hostNetwork").and_then(Value::as_bool) == Some(true);
    let now = sim.now();
    let mut containers = Vec::new();
    for (field, init) in [("initContainers", true), ("containers", false)] {
        for c in container_specs(pod, field) {
            containers.push(ContainerRun {
                name: c["name"].as_str().unwrap_or("").to_string(),
                image: c["image"].as_str().unwrap_or("").to_string(),
                init,
                sidecar: init && c["restartPolicy"] == "Always",
                cpu_limit_millis: cpu_limit(&c),
                phase: Phase::Waiting,
                restart_count: 0,
                last_terminated: None,
                backoff: Duration::ZERO,
                ready: false,
                logs: Vec::new(),
                previous_logs: Vec::new(),
                env: config::Env::new(),
                files: config::Files::new(),
                probes: Vec::new(),
                started: false,
                sigterm_at: None,
                mounts: Vec::new(),
                served: RefCell::new(VecDeque::new()),
                requests: Cell::new(0),
                access_logs: RefCell::new(Vec::new()),
                redis: RefCell::new(Vec::new()),
                redis_link: Cell::new(None),
            });
        }
    }
    let host_ip = sim
        .store()
        .get("Node", None, node)
        .and_then(|n| n.field("status.addresses").and_then(Value::as_array).cloned())
        .into_iter()
        .flatten()
        .find(|a| a["type"] == "InternalIP")
        .and_then(|a| a["address"].as_str().map(str::to_string))
        .unwrap_or_default();
    // A pod on the host's network has the node's address; any other gets the next one of the
    // node's pod range.
    let ip = if host_network {
        host_ip.clone()
    } else {
        let n = sim.kubelets.next_ip.entry(node.to_string()).or_insert(0);
        *n += 1;
        let host = *n;
        let node_index = sim.store().list("Node", None).position(|o| o.name() == node).unwrap_or(0);
        format!("10.244.{}.{}", node_index, host % 254 + 1)
    };
    let run = PodRun {
        node: node.to_string(),
        host_ip,
        ip,
        sandbox_ready_at: now + SANDBOX_SETUP,
        started: now,
        containers,
        kill_at: None,
        mount_retry: Some((now + SANDBOX_SETUP, Duration::ZERO)),
        volume_resync_at: None,
    };
    sim.kubelets.pods.insert(ObjectKey::of(pod), run);
}

/// The pod's one step forward: whatever is due now, then the status, then the next wake-up.
pub fn sync_pod(sim: &mut Sim, key: &ObjectKey) {
    let Some(pod) = sim.store().get_key(key).cloned() else {
        sim.kubelets.pods.remove(key);
        return;
    };
    let Some(mut run) = sim.kubelets.pods.remove(key) else { return };
    if !sim.kubelet_running(&run.node) {
        sim.kubelets.pods.insert(key.clone(), run);
        return;
    }
    let now = sim.now();
    if pod.metadata.deletion_timestamp.is_some() {
        if terminate(sim, &pod, &mut run, now) {
            let _ = sim.store_delete("Pod", Some(&key.namespace), &key.name);
            return;
        }
    } else if now >= run.sandbox_ready_at && mount_volumes(sim, &pod, &mut run, now) {
        if let Some(mut at) = run.volume_resync_at.filter(|at| now >= *at) {
            resync_projected_volumes(sim, &pod, &mut run);
            while at <= now {
                at = at + VOLUME_RESYNC;
            }
            run.volume_resync_at = Some(at);
        }
        step_containers(sim, &pod, &mut run, now);
    }
    let wake = next_wakeup(&run, now);
    status::write(sim, &pod, &run);
    sim.kubelets.pods.insert(key.clone(), run);
    if let Some(at) = wake {
        sim.schedule(at.since(now), Task::Kubelet(KubeletTask::SyncPod(key.clone())));
    }
}

fn next_wakeup(run: &PodRun, now: SimTime) -> Option<SimTime> {
    let mut times = Vec::new();
    if now < run.sandbox_ready_at {
        times.push(run.sandbox_ready_at);
    }
    if let Some(k) = run.kill_at {
        times.push(k);
    }
    times.extend(run.containers.iter().filter_map(|c| c.sigterm_at));
    if let Some((at, _)) = run.mount_retry {
        times.push(at);
    }
    if let Some(at) = run.volume_resync_at {
        if run.kill_at.is_none() && run.containers.iter().any(|c| matches!(c.phase, Phase::Running { .. })) {
            times.push(at);
        }
    }
    for c in &run.containers {
        match &c.phase {
            Phase::Pulling { until, .. } => times.push(*until),
            Phase::PullBackOff { until, shown_backoff, since, .. } => {
                times.push(*until);
                if !shown_backoff {
                    times.push(*since + Duration::from_secs(1));
                }
            }
            Phase::Running { proc, .. } => {
                times.extend(proc.next_wakeup());
                times.extend(c.probes.iter().map(|p| p.next_at));
            }
            Phase::Exited { restart_at: Some(t), .. } => times.push(*t),
            Phase::ConfigError { .. } => times.push(now + BACKOFF_INITIAL),
            Phase::ImageRefused { retry_at, .. } => times.push(*retry_at),
            _ => {}
        }
    }
    times.into_iter().filter(|t| *t > now).min()
}

/// The log files the kubelet and the runtime keep on `node` for the containers it runs, as paths
/// from the node's root: `var/log/pods/NS_POD_UID/CONTAINER/N.log` and the runtime's
/// `var/log/containers/POD_NS_CONTAINER-ID.log`.
// SIM: the files are listed, not filled (`kubectl logs` reads the container's own log).
fn node_log_files(sim: &Sim, node: &str) -> Vec<String> {
    let mut files = Vec::new();
    for (key, run) in sim.kubelets.pods.iter().filter(|(_, r)| r.node == node) {
        let Some(pod) = sim.store().get_key(key) else { continue };
        for c in &run.containers {
            let (ns, name, uid) = (&key.namespace, &key.name, pod.uid());
            files.push(format!("var/log/pods/{ns}_{name}_{uid}/{}/{}.log", c.name, c.restart_count));
            let id = status::container_id(pod, c);
            let id = id.trim_start_matches("containerd://");
            files.push(format!("var/log/containers/{name}_{ns}_{}-{id}.log", c.name));
        }
    }
    files
}

/// Volume mount retries start at half a second and double up to 2m2s, as upstream's.
const MOUNT_RETRY_INITIAL: Duration = Duration::from_millis(500);
const MOUNT_RETRY_MAX: Duration = Duration::from_secs(122);

/// Mounts every container's volumes; true once done. A missing ConfigMap or Secret keeps the
/// pod in ContainerCreating with `FailedMount` events until it appears.
fn mount_volumes(sim: &mut Sim, pod: &Object, run: &mut PodRun, now: SimTime) -> bool {
    let Some((at, backoff)) = run.mount_retry else { return true };
    if now < at {
        return false;
    }
    let specs: Vec<Value> = [container_specs(pod, "initContainers"), container_specs(pod, "containers")].concat();
    for vol in pod.field("spec.volumes").and_then(Value::as_array).into_iter().flatten() {
        let Some(path) = vol["hostPath"]["path"].as_str() else { continue };
        let (name, ty) = (vol["name"].as_str().unwrap_or(""), vol["hostPath"]["type"].as_str().unwrap_or(""));
        if let Err(msg) = host_path::check(&mut sim.kubelets.volumes, &run.node, name, path, ty) {
            events::record(sim, pod, None, EventType::Warning, "FailedMount", &msg, source(&run.node));
            let next = if backoff.is_zero() { MOUNT_RETRY_INITIAL } else { (backoff * 2).min(MOUNT_RETRY_MAX) };
            run.mount_retry = Some((now + next, next));
            return false;
        }
        let logs = node_log_files(sim, &run.node);
        host_path::seed(&mut sim.kubelets.volumes, &run.node, path, &logs);
    }
    let mut built = Vec::new();
    let mut mounts = Vec::new();
    for spec in &specs {
        match volumes::mounts_of(sim.store(), pod, &run.node, spec) {
            Ok(m) => mounts.push(m),
            Err(_unbound) => {
                let next = if backoff.is_zero() { MOUNT_RETRY_INITIAL } else { (backoff * 2).min(MOUNT_RETRY_MAX) };
                run.mount_retry = Some((now + next, next));
                return false;
            }
        }
    }
    for spec in &specs {
        match config::build_files(sim.store(), pod, spec, &run.ip, &run.host_ip) {
            Ok(files) => built.push(files),
            Err(config::ConfigError(msg)) => {
                events::record(sim, pod, None, EventType::Warning, "FailedMount", &msg, source(&run.node));
                let next = if backoff.is_zero() { MOUNT_RETRY_INITIAL } else { (backoff * 2).min(MOUNT_RETRY_MAX) };
                run.mount_retry = Some((now + next, next));
                return false;
            }
        }
    }
    for ((c, files), m) in run.containers.iter_mut().zip(built).zip(mounts) {
        c.files = files;
        c.mounts = m;
    }
    run.mount_retry = None;
    if specs.iter().any(|spec| !config::projected_mount_dirs(pod, spec).is_empty()) {
        run.volume_resync_at = Some(now + VOLUME_RESYNC);
    }
    true
}

/// How often the kubelet brings configMap, secret and downwardAPI volumes of running pods up
/// to date with the objects they project.
// SIM: upstream refreshes them on each periodic pod sync (`syncFrequency`, 1 min, with jitter,
// behind the kubelet's ConfigMap/Secret cache), so a change shows within about 60–90 s; here
// every 60 s after the pod's volumes were mounted, on the simulated clock.
pub const VOLUME_RESYNC: Duration = Duration::from_secs(60);

/// Rewrites the files of every configMap, secret, downwardAPI and projected volume mounted
/// without `subPath` to what the objects hold now, in each container's record and in its
/// running process. Environment variables never change, and `subPath` mounts keep the copy
/// made when the container started, as upstream.
// SIM: when a source has gone (a deleted ConfigMap), the files stay as they were and no
// FailedMount event is recorded; the kubelet would keep reporting the failure.
fn resync_projected_volumes(sim: &Sim, pod: &Object, run: &mut PodRun) {
    let specs: Vec<Value> = [container_specs(pod, "initContainers"), container_specs(pod, "containers")].concat();
    for (c, spec) in run.containers.iter_mut().zip(&specs) {
        let dirs = config::projected_mount_dirs(pod, spec);
        if dirs.is_empty() {
            continue;
        }
        let Ok(fresh) = config::build_files(sim.store(), pod, spec, &run.ip, &run.host_ip) else { continue };
        let under = |path: &str| dirs.iter().any(|d| path.starts_with(d.as_str()));
        let projected: config::Files = fresh.into_iter().filter(|(p, _)| under(p)).collect();
        let before: config::Files =
            c.files.iter().filter(|(p, _)| under(p)).map(|(p, v)| (p.clone(), v.clone())).collect();
        if projected == before {
            continue;
        }
        c.files.retain(|p, _| !under(p));
        c.files.extend(projected.clone());
        if let Phase::Running { proc, .. } = &mut c.phase {
            let files = proc.files_mut();
            files.retain(|p, _| !under(p));
            files.extend(projected);
        }
    }
}

fn restart_policy(pod: &Object) -> String {
    pod.field("spec.restartPolicy").and_then(Value::as_str).unwrap_or("Always").to_string()
}

fn spec_of<'a>(specs: &'a [Value], name: &str) -> Option<&'a Value> {
    specs.iter().find(|c| c["name"] == name)
}

fn field_path(c: &ContainerRun) -> String {
    let list = if c.init { "initContainers" } else { "containers" };
    format!("spec.{list}{{{}}}", c.name)
}

fn event(sim: &mut Sim, pod: &Object, c: &ContainerRun, node: &str, ty: EventType, reason: &str, msg: &str) {
    events::record(sim, pod, Some(&field_path(c)), ty, reason, msg, source(node));
}

/// Advances every container that can move now: init containers one at a time, then all
/// regular containers together.
fn step_containers(sim: &mut Sim, pod: &Object, run: &mut PodRun, now: SimTime) {
    let specs: Vec<Value> = [container_specs(pod, "initContainers"), container_specs(pod, "containers")].concat();
    let policy = restart_policy(pod);
    let node = run.node.clone();
    let ips = (run.ip.clone(), run.host_ip.clone());
    // Init containers run one at a time, in order, and the regular containers only after all
    // of them: nothing past the first init container that has not done its part is stepped.
    for i in 0..run.containers.len() {
        let c = &mut run.containers[i];
        let spec = spec_of(&specs, &c.name).cloned().unwrap_or(Value::Null);
        step_container(sim, pod, &node, &ips, c, &spec, &policy, now);
        if c.init && !c.init_satisfied() {
            break;
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn step_container(
    sim: &mut Sim,
    pod: &Object,
    node: &str,
    ips: &(String, String),
    c: &mut ContainerRun,
    spec: &Value,
    policy: &str,
    now: SimTime,
) {
    loop {
        let before = std::mem::discriminant(&c.phase);
        match &mut c.phase {
            Phase::Waiting => {
                let present = sim.kubelets.images.get(node).is_some_and(|s| s.contains(&c.image));
                let pull_policy = spec["imagePullPolicy"].as_str().unwrap_or("IfNotPresent");
                if let Err(e) = crate::sim::images::ImageRef::parse(&c.image) {
                    let msg = e.to_string();
                    event(sim, pod, c, node, EventType::Warning, "InspectFailed", &msg);
                    event(sim, pod, c, node, EventType::Warning, "Failed", "Error: InvalidImageName");
                    c.phase = Phase::ImageRefused {
                        reason: "InvalidImageName",
                        message: msg,
                        retry_at: now + BACKOFF_INITIAL,
                    };
                } else if pull_policy == "Never" && !present {
                    let msg = format!("Container image \"{}\" is not present with pull policy of Never", c.image);
                    event(sim, pod, c, node, EventType::Warning, "ErrImageNeverPull", &msg);
                    event(sim, pod, c, node, EventType::Warning, "Failed", "Error: ErrImageNeverPull");
                    c.phase = Phase::ImageRefused {
                        reason: "ErrImageNeverPull",
                        message: msg,
                        retry_at: now + BACKOFF_INITIAL,
                    };
                } else if present && pull_policy != "Always" {
                    let msg = format!("Container image \"{}\" already present on machine", c.image);
                    event(sim, pod, c, node, EventType::Normal, "Pulled", &msg);
                    start_container(sim, pod, node, ips, c, spec, now);
                } else {
                    let plan = runtime::plan_pull(&c.image);
                    event(sim, pod, c, node, EventType::Normal, "Pulling", &format!("Pulling image \"{}\"", c.image));
                    c.phase = Phase::Pulling { until: now + Duration::from_millis(plan.millis), plan };
                }
            }
            Phase::Pulling { until, plan } if now >= *until => {
                if let Some(err) = plan.error.clone() {
                    let msg = format!("Failed to pull image \"{}\": {err}", c.image);
                    event(sim, pod, c, node, EventType::Warning, "Failed", &msg);
                    event(sim, pod, c, node, EventType::Warning, "Failed", "Error: ErrImagePull");
                    c.backoff = next_backoff(c.backoff);
                    c.phase =
                        Phase::PullBackOff { until: now + c.backoff, message: msg, shown_backoff: false, since: now };
                } else {
                    let size = plan.size_bytes;
                    let secs = plan.millis as f64 / 1000.0;
                    let msg = format!(
                        "Successfully pulled image \"{}\" in {}s ({}s including waiting). Image size: {} bytes.",
                        c.image,
                        trim_secs(secs),
                        trim_secs(secs),
                        size
                    );
                    event(sim, pod, c, node, EventType::Normal, "Pulled", &msg);
                    sim.kubelets.images.entry(node.to_string()).or_default().insert(c.image.clone());
                    report_image(sim, node, &c.image, size);
                    start_container(sim, pod, node, ips, c, spec, now);
                }
            }
            Phase::PullBackOff { until, shown_backoff, since, .. } => {
                if now >= *until {
                    c.phase = Phase::Waiting;
                } else if !*shown_backoff && now > *since {
                    *shown_backoff = true;
                    let msg = format!("Back-off pulling image \"{}\"", c.image);
                    event(sim, pod, c, node, EventType::Normal, "BackOff", &msg);
                    event(sim, pod, c, node, EventType::Warning, "Failed", "Error: ImagePullBackOff");
                }
            }
            Phase::Running { started, proc } => {
                let started = *started;
                let mut progress = run_process(sim, pod, ips, proc, &c.mounts, now);
                let max_log = sim.limits().max_log_bytes;
                let pending = std::mem::take(&mut *c.access_logs.borrow_mut());
                let mut new = std::mem::take(&mut progress.logs);
                new.extend(pending);
                new.sort_by_key(|(t, _)| *t);
                append_logs(&mut c.logs, new, max_log);
                let limit = memory_limit(spec);
                if let Some(message) = proc.take_start_error() {
                    event(sim, pod, c, node, EventType::Warning, "Failed", &format!("Error: {message}"));
                    on_exit(sim, pod, node, c, policy, 128, "StartError", started, now);
                } else if limit.is_some_and(|l| proc.memory_bytes() > l) {
                    // The kernel's OOM killer ends the process that passed its cgroup's limit,
                    // even one that would have ended in this step after allocating.
                    // SIM: what it printed after the allocation stays in its log.
                    proc.kill(now);
                    let at = progress.exited.map_or(now, |(at, _)| at);
                    on_exit(sim, pod, node, c, policy, 137, "OOMKilled", started, at);
                } else if let Some((at, code)) = progress.exited {
                    on_exit(
                        sim,
                        pod,
                        node,
                        c,
                        policy,
                        code,
                        if code == 0 { "Completed" } else { "Error" },
                        started,
                        at,
                    );
                } else if let Some((code, reason)) = run_probes(sim, pod, node, &ips.0, c, spec, now) {
                    on_exit(sim, pod, node, c, policy, code, reason, started, now);
                }
            }
            Phase::ConfigError { .. } => {
                start_container(sim, pod, node, ips, c, spec, now);
                break;
            }
            Phase::ImageRefused { retry_at, .. } if now >= *retry_at => c.phase = Phase::Waiting,
            Phase::Exited { restart_at: Some(t), .. } if now >= *t => {
                c.flush_access_logs(sim.limits().max_log_bytes);
                c.previous_logs = std::mem::take(&mut c.logs);
                c.requests.set(0);
                c.restart_count += 1;
                let msg = format!("Container image \"{}\" already present on machine", c.image);
                event(sim, pod, c, node, EventType::Normal, "Pulled", &msg);
                start_container(sim, pod, node, ips, c, spec, now);
            }
            _ => {}
        }
        if std::mem::discriminant(&c.phase) == before {
            break;
        }
    }
}

/// Runs a container's process up to `now` with its volumes' current contents and the cluster
/// network, then saves what it wrote to its volumes.
fn run_process(
    sim: &mut Sim,
    pod: &Object,
    ips: &(String, String),
    proc: &mut Proc,
    mounts: &[volumes::Mount],
    now: SimTime,
) -> runtime::Progress {
    if !mounts.is_empty() {
        volumes::refresh(proc.files_mut(), mounts, &sim.kubelets.volumes);
    }
    let progress = {
        let mut net = sim.pod_network(pod, &ips.0, pod.field("spec.nodeName").and_then(Value::as_str), now);
        proc.run_until(now, &mut net)
    };
    if !mounts.is_empty() {
        volumes::save(proc.files(), mounts, &mut sim.kubelets.volumes);
    }
    progress
}

/// The container's CPU limit in millicores, if it has one.
fn cpu_limit(spec: &Value) -> Option<u64> {
    let v = &spec["resources"]["limits"]["cpu"];
    let q = v.as_str().map(str::to_string).or_else(|| v.as_f64().map(|n| n.to_string()))?;
    crate::sim::quantity::Quantity::parse(&q).ok().map(|q| q.0.max(0) as u64)
}

/// The container's memory limit in bytes, if it has one.
fn memory_limit(spec: &Value) -> Option<u64> {
    let q = spec["resources"]["limits"]["memory"]
        .as_str()
        .map(str::to_string)
        .or_else(|| spec["resources"]["limits"]["memory"].as_u64().map(|n| n.to_string()))?;
    crate::sim::quantity::Quantity::parse(&q).ok().map(|q| (q.0 / 1000).max(0) as u64)
}

/// Keeps a container's log within `max_bytes`, dropping the oldest lines (as log rotation does).
fn append_logs(logs: &mut Vec<(SimTime, String)>, new: Vec<(SimTime, String)>, max_bytes: usize) {
    // A single line longer than all the log kept keeps its end, as a rotated log file would.
    logs.extend(new.into_iter().map(|(at, mut line)| {
        if line.len() >= max_bytes {
            let mut from = line.len() - max_bytes.saturating_sub(1);
            while !line.is_char_boundary(from) {
                from += 1;
            }
            line.drain(..from);
        }
        (at, line)
    }));
    let mut total: usize = logs.iter().map(|(_, l)| l.len() + 1).sum();
    let mut drop = 0;
    while total > max_bytes && drop < logs.len() {
        total -= logs[drop].1.len() + 1;
        drop += 1;
    }
    logs.drain(..drop);
}

/// Adds a pulled image to the node's `status.images`, which the scheduler's ImageLocality reads.
/// An image already on `node` before anything ran there (kubeadm pulls the control plane's
/// images before it starts it): pods using it start without pulling.
pub(crate) fn preload_image(sim: &mut Sim, node: &str, image: &str) {
    sim.kubelets.images.entry(node.to_string()).or_default().insert(image.to_string());
    let size = runtime::plan_pull(image).size_bytes;
    report_image(sim, node, image, size);
}

fn report_image(sim: &mut Sim, node: &str, image: &str, size: u64) {
    let Some(mut obj) = sim.store().get("Node", None, node).cloned() else { return };
    let full = status::normalize_image(image);
    let status = obj.body.entry("status").or_insert_with(|| serde_json::json!({}));
    let images = status.as_object_mut().map(|s| s.entry("images").or_insert_with(|| serde_json::json!([])));
    let Some(Value::Array(list)) = images else { return };
    if list.iter().any(|i| i["names"].as_array().is_some_and(|n| n.iter().any(|x| x == &Value::from(full.clone())))) {
        return;
    }
    list.push(serde_json::json!({"names": [full], "sizeBytes": size}));
    obj.metadata.resource_version = None;
    let _ = sim.store_update(obj);
}

/// `5.2` → `5.2`, `2.0` → `2`: Go's shortest float formatting, as the Pulled message has it.
fn trim_secs(s: f64) -> String {
    let text = format!("{s:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn next_backoff(current: Duration) -> Duration {
    if current.is_zero() {
        BACKOFF_INITIAL
    } else {
        (current * 2).min(BACKOFF_MAX)
    }
}

fn start_container(
    sim: &mut Sim,
    pod: &Object,
    node: &str,
    (ip, host_ip): &(String, String),
    c: &mut ContainerRun,
    spec: &Value,
    now: SimTime,
) {
    match config::build_env(sim.store(), pod, spec, ip, host_ip) {
        Ok(env) => c.env = env,
        Err(config::ConfigError(msg)) => {
            event(sim, pod, c, node, EventType::Warning, "Failed", &format!("Error: {msg}"));
            c.phase = Phase::ConfigError { message: msg };
            return;
        }
    }
    let strings = |v: &Value| -> Vec<String> {
        v.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_string).collect()
    };
    let declared_ports = spec["ports"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["containerPort"].as_u64().and_then(|n| u16::try_from(n).ok()))
        .collect();
    // `$(VAR)` in command and args comes from the container's environment, as upstream expands it.
    let expand = |v: Vec<String>| -> Vec<String> { v.iter().map(|a| config::expand(a, &c.env)).collect() };
    let (mounted_dirs, read_only) = config::mount_layout(pod, spec);
    let mut files = c.files.clone();
    files.entry("/etc/".to_string()).or_default();
    files.insert("/etc/resolv.conf".to_string(), dns::resolv_conf(pod));
    if let Some(hosts) = dns::hosts(pod, ip) {
        files.insert("/etc/hosts".to_string(), hosts);
    }
    let hostname = pod.field("spec.hostname").and_then(Value::as_str).unwrap_or(pod.name()).to_string();
    // The runtime mounts the pod sandbox's /etc/hostname into every container, as it does /etc/hosts.
    files.insert("/etc/hostname".to_string(), format!("{hostname}\n"));
    let launch = Launch {
        image: c.image.clone(),
        command: expand(strings(&spec["command"])),
        args: expand(strings(&spec["args"])),
        env: c.env.clone(),
        files,
        mounted_dirs,
        read_only,
        hostname,
        working_dir: spec["workingDir"].as_str().map(str::to_string),
        tty: spec["tty"] == true || spec["stdin"] == true,
        declared_ports,
    };
    if let Some(msg) = missing_security_profile(pod, spec) {
        event(sim, pod, c, node, EventType::Warning, "Failed", &format!("Error: {msg}"));
        c.phase = Phase::ImageRefused { reason: "CreateContainerError", message: msg, retry_at: now + BACKOFF_INITIAL };
        return;
    }
    event(sim, pod, c, node, EventType::Normal, "Created", &format!("Created container: {}", c.name));
    event(sim, pod, c, node, EventType::Normal, "Started", &format!("Started container {}", c.name));
    c.probes = probes::for_container(spec, now);
    c.started = spec["startupProbe"].is_null();
    c.ready = spec["readinessProbe"].is_null() && c.started && (!c.init || c.sidecar);
    let mut proc = Box::new(Proc::start(launch, now));
    if let Some(msg) = run_hook(&mut proc, &spec["lifecycle"]["postStart"], &c.name, pod, ip, now) {
        // The kubelet kills a container whose postStart hook failed; its restart policy decides.
        event(sim, pod, c, node, EventType::Warning, "FailedPostStartHook", &msg);
        proc.kill(now);
    }
    c.redis.borrow_mut().clear();
    c.redis_link.set(None);
    c.phase = Phase::Running { started: now, proc };
}

/// The runtime's refusal when the container asks for a Localhost seccomp or AppArmor profile:
/// the sandbox's nodes have none loaded.
// SIM: no node has custom profiles; every Localhost profile is missing.
fn missing_security_profile(pod: &Object, spec: &Value) -> Option<String> {
    let pick = |field: &str| {
        let own = &spec["securityContext"][field];
        if own.is_object() {
            own.clone()
        } else {
            pod.field(&format!("spec.securityContext.{field}")).cloned().unwrap_or(Value::Null)
        }
    };
    let seccomp = pick("seccompProfile");
    if seccomp["type"] == "Localhost" {
        let path = format!("/var/lib/kubelet/seccomp/{}", seccomp["localhostProfile"].as_str().unwrap_or(""));
        return Some(format!(
            "failed to create containerd container: cannot load seccomp profile \"{path}\": open {path}: no such file or directory"
        ));
    }
    let apparmor = pick("appArmorProfile");
    let annotation = pod
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| {
            a.get(&format!("container.apparmor.security.beta.kubernetes.io/{}", spec["name"].as_str().unwrap_or("")))
        })
        .and_then(|v| v.strip_prefix("localhost/"))
        .map(str::to_string);
    let name = if apparmor["type"] == "Localhost" {
        apparmor["localhostProfile"].as_str().map(str::to_string)
    } else {
        annotation
    };
    name.map(|n| {
        format!(
            "failed to get container spec opts: failed to generate apparmor spec opts: apparmor profile not found {n}"
        )
    })
}

/// Runs a lifecycle hook (exec or httpGet) against the container; the kubelet's message when
/// it fails.
fn run_hook(proc: &mut Proc, hook: &Value, container: &str, pod: &Object, ip: &str, now: SimTime) -> Option<String> {
    let pod_ref = format!("{}_{}({})", pod.name(), pod.namespace().unwrap_or("default"), pod.uid());
    if let Some(cmd) = hook["exec"]["command"].as_array() {
        let argv: Vec<String> = cmd.iter().filter_map(Value::as_str).map(str::to_string).collect();
        let outcome = proc.exec(&argv, now, &mut crate::sim::process::NoNetwork);
        if let runtime::ProbeOutcome::Failure(out) = outcome {
            return Some(format!(
                "Exec lifecycle hook ({argv:?}) for Container \"{container}\" in Pod \"{pod_ref}\" failed - error: command '{}' exited with 1: {out}, message: \"{out}\"",
                argv.join(" ")
            ));
        }
    } else if hook["httpGet"].is_object() {
        let port = hook["httpGet"]["port"].as_u64().and_then(|p| u16::try_from(p).ok()).unwrap_or(80);
        let path = hook["httpGet"]["path"].as_str().unwrap_or("/");
        let scheme = hook["httpGet"]["scheme"].as_str().unwrap_or("HTTP").to_ascii_lowercase();
        if let runtime::ProbeOutcome::Failure(e) = proc.http_get(&scheme, ip, port, path, now) {
            return Some(format!(
                "HTTP lifecycle hook ({path}) for Container \"{container}\" in Pod \"{pod_ref}\" failed - error: {e}"
            ));
        }
    }
    None
}

/// Runs the probes that are due. Returns the exit (code, reason) when a failed liveness or
/// startup probe makes the kubelet stop the container.
fn run_probes(
    sim: &mut Sim,
    pod: &Object,
    node: &str,
    ip: &str,
    c: &mut ContainerRun,
    spec: &Value,
    now: SimTime,
) -> Option<(i32, &'static str)> {
    let path = field_path(c);
    let Phase::Running { proc, .. } = &mut c.phase else { return None };
    let mut changes = Vec::new();
    for probe in c.probes.iter_mut() {
        // Liveness and readiness wait until the startup probe has passed.
        if probe.next_at > now || (probe.kind != probes::Kind::Startup && !c.started) {
            continue;
        }
        let outcome = probes::check(probe, proc, spec, ip, now);
        let ok = outcome == runtime::ProbeOutcome::Success;
        if let runtime::ProbeOutcome::Failure(msg) = &outcome {
            let text = format!("{} probe failed: {msg}", probe.kind.title());
            events::record(sim, pod, Some(&path), EventType::Warning, "Unhealthy", &text, source(node));
        }
        if let Some(change) = probe.record(ok, now) {
            changes.push((probe.kind, change));
        }
        if probe.kind == probes::Kind::Startup && probe.verdict == Some(true) {
            c.started = true;
        }
    }
    for (kind, change) in changes {
        match change {
            probes::Change::Ready(r) => c.ready = r,
            probes::Change::Started => c.ready = c.ready || spec["readinessProbe"].is_null(),
            probes::Change::Restart => {
                let msg =
                    format!("Container {} failed {} probe, will be restarted", c.name, kind.title().to_lowercase());
                events::record(sim, pod, Some(&path), EventType::Normal, "Killing", &msg, source(node));
                let graceful = proc.terminate(now);
                return Some(if graceful { (0, "Completed") } else { (137, "Error") });
            }
        }
    }
    None
}

#[allow(clippy::too_many_arguments)]
fn on_exit(
    sim: &mut Sim,
    pod: &Object,
    node: &str,
    c: &mut ContainerRun,
    policy: &str,
    code: i32,
    reason: &str,
    started: SimTime,
    at: SimTime,
) {
    c.ready = false;
    let ran = at.since(started);
    if ran >= BACKOFF_RESET {
        c.backoff = Duration::ZERO;
    }
    let restart = match policy {
        _ if c.sidecar => true,
        _ if c.init && code == 0 => false,
        "Always" => true,
        "OnFailure" => code != 0,
        _ => false,
    };
    let restart_at = restart.then(|| {
        // The first restart is immediate; later ones wait 10 s, 20 s, … 5 min.
        let wait = c.backoff;
        c.backoff = next_backoff(c.backoff);
        if !wait.is_zero() {
            let msg = format!(
                "Back-off restarting failed container {} in pod {}_{}({})",
                c.name,
                pod.name(),
                pod.namespace().unwrap_or("default"),
                pod.uid()
            );
            event(sim, pod, c, node, EventType::Warning, "BackOff", &msg);
        }
        at + wait
    });
    c.last_terminated = Some((code, reason.to_string(), started, at));
    c.phase = Phase::Exited { code, reason: reason.to_string(), started, finished: at, restart_at };
}

/// Graceful termination: SIGTERM every running container at once, SIGKILL at the end of the
/// grace period. Returns true once nothing runs any more.
fn terminate(sim: &mut Sim, pod: &Object, run: &mut PodRun, now: SimTime) -> bool {
    let node = run.node.clone();
    if run.kill_at.is_none() {
        let grace = pod.metadata.deletion_grace_period_seconds.unwrap_or(30).max(0) as u64;
        run.kill_at = Some(now + Duration::from_secs(grace));
        let specs: Vec<Value> = [container_specs(pod, "initContainers"), container_specs(pod, "containers")].concat();
        for c in run.containers.iter_mut() {
            let path = field_path(c);
            if let Phase::Running { .. } = &c.phase {
                let msg = format!("Stopping container {}", c.name);
                events::record(sim, pod, Some(&path), EventType::Normal, "Killing", &msg, source(&node));
                // The preStop hook runs first; SIGTERM follows when it is done (within the grace period).
                let hook = spec_of(&specs, &c.name).map(|s| s["lifecycle"]["preStop"].clone()).unwrap_or(Value::Null);
                let hook_secs = hook["sleep"]["seconds"].as_u64().unwrap_or(0).min(grace);
                c.sigterm_at = Some(now + Duration::from_secs(hook_secs));
                if let Phase::Running { proc, .. } = &mut c.phase {
                    if let Some(msg) = run_hook(proc, &hook, &c.name, pod, &run.ip, now) {
                        events::record(
                            sim,
                            pod,
                            Some(&path),
                            EventType::Warning,
                            "FailedPreStopHook",
                            &msg,
                            source(&node),
                        );
                    }
                }
            }
        }
    }
    for c in run.containers.iter_mut() {
        if let (Phase::Running { proc, .. }, Some(at)) = (&mut c.phase, c.sigterm_at) {
            if now >= at {
                proc.terminate(now);
                c.sigterm_at = None;
            }
        }
    }
    let kill = run.kill_at.is_some_and(|k| now >= k);
    let mut all_done = true;
    for c in run.containers.iter_mut() {
        if let Phase::Running { proc, started } = &mut c.phase {
            if kill {
                proc.kill(now);
            }
            let started = *started;
            let progress = proc.run_until(now, &mut crate::sim::process::NoNetwork);
            append_logs(&mut c.logs, progress.logs, sim.limits().max_log_bytes);
            match progress.exited {
                Some((at, code)) => {
                    let reason = if code == 0 { "Completed" } else { "Error" };
                    c.phase = Phase::Exited { code, reason: reason.into(), started, finished: at, restart_at: None };
                }
                None => all_done = false,
            }
        }
    }
    all_done
}

#[cfg(test)]
mod tests;
