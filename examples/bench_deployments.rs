//! Benchmark (not a test): 10,000 pods created through 100 Deployments of 100 replicas on
//! 5,000 nodes, from apply to every pod Running. Prints wall time and pods per second.
//! Run: `cargo run --release --example bench_deployments` (BENCH_SCALE=10 for a tenth).

use std::time::{Duration, Instant};

use kube_sandbox::manifest;
use kube_sandbox::sim::cluster::ClusterShape;
use kube_sandbox::sim::{Limits, Sim, SimConfig};

fn main() {
    let scale: usize = std::env::var("BENCH_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let (nodes, deployments, replicas) = (5000 / scale, 100 / scale.min(100), 100);
    let t = Instant::now();
    let mut sim = Sim::new(SimConfig { shape: ClusterShape::with_workers(nodes), limits: Limits::none(), seed: 1 });
    eprintln!("{nodes} nodes registered in {:.2?}", t.elapsed());
    let t = Instant::now();
    for d in 0..deployments {
        let text = format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{d}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels: {{app: app-{d}}}\n  template:\n    metadata:\n      labels: {{app: app-{d}}}\n    spec:\n      containers:\n      - name: c\n        image: registry.k8s.io/pause:3.10\n        resources: {{requests: {{cpu: 100m, memory: 50Mi}}}}\n");
        sim.create(manifest::parse(&text).unwrap().remove(0)).unwrap();
    }
    let total = deployments * replicas;
    let mut scheduled_at = None;
    let mut sim_secs = 0;
    loop {
        sim.advance(Duration::from_secs(1));
        sim_secs += 1;
        let pods: Vec<_> = sim.store().list("Pod", Some("default")).collect();
        let bound = pods.iter().filter(|p| p.field("spec.nodeName").is_some()).count();
        let running =
            pods.iter().filter(|p| p.field("status.phase").and_then(|v| v.as_str()) == Some("Running")).count();
        if bound == total && scheduled_at.is_none() {
            scheduled_at = Some(t.elapsed());
        }
        if running == total || sim_secs > 600 {
            let all = t.elapsed();
            let sched = scheduled_at.unwrap_or(all);
            println!(
                "{deployments} Deployments × {replicas} on {nodes} nodes: {running}/{total} Running after {sim_secs} s simulated; \
                 created→all scheduled {sched:.2?} ({:.0} pods/s); created→all Running {all:.2?} ({:.0} pods/s)",
                total as f64 / sched.as_secs_f64(),
                running as f64 / all.as_secs_f64()
            );
            break;
        }
    }
}
