//! Benchmark (not a test): what building the page's first cluster costs natively — `Sim::new`
//! for the default shape (the control plane, three workers and kube-system running), which the
//! page does before it draws anything. `cargo run --profile bench-native --example bench_start`.

use std::time::{Duration, Instant};

use kube_sandbox::sim::{Sim, SimConfig};

fn main() {
    let runs: usize = std::env::var("RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(Sim::new(SimConfig::default()));
            t.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "building the default cluster (Sim::new): median {:?}, best {:?} over {runs} runs",
        times[runs / 2],
        times[0]
    );
}
