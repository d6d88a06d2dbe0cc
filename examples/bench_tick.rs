//! Benchmark (not a test): what one page tick costs with many pods — the sim's advance of
//! 100 ms and building the views the page draws. `cargo run --release --example bench_tick`.

use std::time::{Duration, Instant};

use kube_sandbox::shell::Shell;
use kube_sandbox::sim::cluster::ClusterShape;
use kube_sandbox::sim::{Sim, SimConfig};
use kube_sandbox::ui::cluster_view::{pending_pods, NodeView};

fn main() {
    for (pods, nodes) in [(500, 5), (5_000, 50)] {
        let mut sim = Sim::new(SimConfig { shape: ClusterShape::with_workers(nodes), ..SimConfig::default() });
        Shell.run_line(&mut sim, &format!("kubectl create deployment load --image=nginx --replicas={pods}"));
        sim.advance(Duration::from_secs(60));
        let n = 50;
        let t = Instant::now();
        for _ in 0..n {
            sim.advance(Duration::from_millis(100));
        }
        let tick = t.elapsed() / n;
        let t = Instant::now();
        for _ in 0..n {
            std::hint::black_box((NodeView::all(&sim), pending_pods(&sim)));
        }
        let views = t.elapsed() / n;
        println!("{pods} pods on {nodes} workers: sim advance 100 ms takes {tick:?}; node and queue views {views:?}");
    }
}
