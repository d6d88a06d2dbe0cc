//! Benchmark (not a test), in the shapes of upstream scheduler_perf: SchedulingBasic (5,000
//! nodes, 10,000 pods), required pod anti-affinity (2,000 pods on 5,000 nodes) and
//! TopologySpreading (5,000 nodes in 3 zones, 1,000 pods placed first, then 5,000 pods that
//! must spread across zones with maxSkew 5). Prints pods per second and the ratio to
//! upstream's threshold for the shape.
//!
//! Run: `cargo run --profile bench-native --example bench_scheduling [basic|anti|spread]…`
//! (`BENCH_SCALE=10` divides every size by 10).

use std::time::{Duration, Instant};

use kube_sandbox::manifest;
use kube_sandbox::sim::apiserver::Propagation;
use kube_sandbox::sim::cluster::ClusterShape;
use kube_sandbox::sim::{Limits, Sim, SimConfig};

/// CPU time this thread has run, from Linux's schedstat (None elsewhere). On a shared machine
/// the wall clock counts the other processes' turns too; CPU time does not.
fn cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(text.split_whitespace().next()?.parse().ok()?))
}

fn cluster(nodes: usize, zones: usize) -> Sim {
    let t = Instant::now();
    let mut shape = ClusterShape::with_workers(nodes);
    if zones > 0 {
        for (i, n) in shape.nodes.iter_mut().filter(|n| !n.control_plane).enumerate() {
            n.labels.insert("topology.kubernetes.io/zone".into(), format!("moon-{}", i % zones + 1));
        }
    }
    let mut sim = Sim::new(SimConfig { shape, limits: Limits::none(), seed: 1 });
    // Only the scheduler should work: stopped kubelets start no containers (and with the clock
    // held still, the nodes stay Ready).
    for i in 1..=nodes {
        sim.stop_kubelet(&format!("node-{i}"));
    }
    // scheduler_perf's cluster holds the test's nodes and pods only: kube-proxy's DaemonSet
    // (a pod bound on every node as the cluster is built) is removed, and what the system
    // components still have to do is done before anything is measured.
    let _ = sim.delete("DaemonSet", Some("kube-system"), "kube-proxy", Propagation::Background);
    sim.advance(Duration::ZERO);
    eprintln!("  {nodes} nodes registered in {:.2?}", t.elapsed());
    sim
}

fn create_pods(sim: &mut Sim, prefix: &str, pods: usize, labels: &str, extra: &str) -> Duration {
    let t = Instant::now();
    for i in 0..pods {
        let text = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {prefix}-{i}\n  labels: {{{labels}color: c{}}}\nspec:\n{extra}  containers:\n  - name: c\n    image: registry.k8s.io/pause:3.10\n    resources: {{requests: {{cpu: 100m, memory: 50Mi}}}}\n", i % 7);
        sim.create(manifest::parse(&text).unwrap().remove(0)).unwrap();
    }
    t.elapsed()
}

struct Shape {
    name: &'static str,
    nodes: usize,
    zones: usize,
    /// Pods placed before measuring (upstream's initPods).
    init_pods: usize,
    pods: usize,
    labels: &'static str,
    extra: &'static str,
    /// scheduler_perf's threshold for the shape, pods/s.
    upstream: f64,
    goal: f64,
}

fn run(s: &Shape, scale: usize) {
    let (nodes, init, pods) = (s.nodes / scale, s.init_pods / scale, s.pods / scale);
    let mut sim = cluster(nodes, s.zones);
    if init > 0 {
        create_pods(&mut sim, "init", init, "app: init, ", "");
        sim.advance(Duration::ZERO);
    }
    let created = create_pods(&mut sim, "pod", pods, s.labels, s.extra);
    let (t, cpu) = (Instant::now(), cpu_time());
    sim.advance(Duration::ZERO);
    let scheduled = t.elapsed();
    let on_cpu = cpu.zip(cpu_time()).map(|(a, b)| b - a);
    let bound = sim
        .store()
        .list("Pod", None)
        .filter(|p| p.name().starts_with("pod-") && p.field("spec.nodeName").is_some())
        .count();
    if let Some(r) = sim.scheduler.records.iter().find(|r| r.winner.is_none()) {
        eprintln!("  first failure: {}", r.message.clone().unwrap_or_default());
    }
    // The figure is per CPU second when it can be measured (wall seconds otherwise).
    let rate = bound as f64 / on_cpu.unwrap_or(scheduled).as_secs_f64();
    let wall = bound as f64 / scheduled.as_secs_f64();
    let on_cpu = on_cpu.map_or("CPU time unknown".to_string(), |c| format!("{c:.2?} on CPU"));
    println!(
        "{}: {bound}/{pods} pods bound on {nodes} nodes; scheduling {rate:.0} pods/s ({on_cpu}; {wall:.0} pods/s by the wall clock, {scheduled:.2?}), goal {:.0} ({:.2}×), {:.1}× upstream's threshold {:.0}; API create {:.0} pods/s",
        s.name,
        s.goal,
        rate / s.goal,
        rate / s.upstream,
        s.upstream,
        pods as f64 / created.as_secs_f64()
    );
}

const ANTI: &str = "  affinity:\n    podAntiAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n      - labelSelector: {matchLabels: {app: bench}}\n        topologyKey: kubernetes.io/hostname\n";
const SPREAD: &str = "  topologySpreadConstraints:\n  - maxSkew: 5\n    topologyKey: topology.kubernetes.io/zone\n    whenUnsatisfiable: DoNotSchedule\n    labelSelector: {matchLabels: {app: spread}}\n";

fn main() {
    let scale: usize = std::env::var("BENCH_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let shapes = [
        (
            "basic",
            Shape {
                name: "SchedulingBasic",
                nodes: 5000,
                zones: 0,
                init_pods: 0,
                pods: 10_000,
                labels: "app: bench, ",
                extra: "",
                upstream: 680.0,
                goal: 20_000.0,
            },
        ),
        (
            "anti",
            Shape {
                name: "SchedulingPodAntiAffinity",
                nodes: 5000,
                zones: 0,
                init_pods: 0,
                pods: 2000,
                labels: "app: bench, ",
                extra: ANTI,
                upstream: 60.0,
                goal: 2000.0,
            },
        ),
        (
            "spread",
            Shape {
                name: "TopologySpreading",
                nodes: 5000,
                zones: 3,
                init_pods: 1000,
                pods: 5000,
                labels: "app: spread, ",
                extra: SPREAD,
                upstream: 460.0,
                goal: 5000.0,
            },
        ),
    ];
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    let basic_only = std::env::var("BENCH_ONLY_BASIC").is_ok();
    for (key, shape) in &shapes {
        let chosen = if wanted.is_empty() { !basic_only || *key == "basic" } else { wanted.iter().any(|w| w == key) };
        if chosen {
            run(shape, scale);
        }
    }
}
