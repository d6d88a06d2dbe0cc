//! Benchmark (not a test), in the shape of upstream scheduler_perf's SchedulingBasic:
//! 5,000 nodes, then 10,000 pods scheduled; and 2,000 pods with required pod anti-affinity on
//! 5,000 nodes. Prints pods per second. Run: `cargo run --release --example bench_scheduling`.

use std::time::{Duration, Instant};

use kube_sandbox::manifest;
use kube_sandbox::sim::cluster::ClusterShape;
use kube_sandbox::sim::{Limits, Sim, SimConfig};

fn cluster(nodes: usize) -> Sim {
    let t = Instant::now();
    let mut sim = Sim::new(SimConfig { shape: ClusterShape::with_workers(nodes), limits: Limits::none(), seed: 1 });
    // Only the scheduler should work: stopped kubelets start no containers (and with the clock
    // held still, the nodes stay Ready).
    for i in 1..=nodes {
        sim.stop_kubelet(&format!("node-{i}"));
    }
    eprintln!("  {nodes} nodes registered in {:.2?}", t.elapsed());
    sim
}

fn run(name: &str, nodes: usize, pods: usize, extra: &str) {
    let mut sim = cluster(nodes);
    let t = Instant::now();
    for i in 0..pods {
        let text = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-{i}\n  labels: {{app: bench, color: c{}}}\nspec:\n{extra}  containers:\n  - name: c\n    image: registry.k8s.io/pause:3.10\n    resources: {{requests: {{cpu: 100m, memory: 50Mi}}}}\n", i % 7);
        sim.create(manifest::parse(&text).unwrap().remove(0)).unwrap();
    }
    let created = t.elapsed();
    let t = Instant::now();
    sim.advance(Duration::ZERO);
    let scheduled = t.elapsed();
    let bound = sim.store().list("Pod", None).filter(|p| p.field("spec.nodeName").is_some()).count();
    if let Some(r) = sim.scheduler.records.iter().find(|r| r.winner.is_none()) {
        eprintln!("  first failure: {}", r.message.clone().unwrap_or_default());
    }
    println!(
        "{name}: {bound}/{pods} pods bound on {nodes} nodes; scheduling {:.0} pods/s ({scheduled:.2?}); API create {:.0} pods/s ({created:.2?})",
        bound as f64 / scheduled.as_secs_f64(),
        pods as f64 / created.as_secs_f64()
    );
}

fn main() {
    let scale: usize = std::env::var("BENCH_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    run("SchedulingBasic", 5000 / scale, 10_000 / scale, "");
    if std::env::var("BENCH_ONLY_BASIC").is_ok() {
        return;
    }
    let anti = "  affinity:\n    podAntiAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n      - labelSelector: {matchLabels: {app: bench}}\n        topologyKey: kubernetes.io/hostname\n";
    run("SchedulingPodAntiAffinity", 5000 / scale, 2000 / scale, anti);
}
