//! Shared by the native and the browser determinism tests: one scripted run and its digest.

use std::time::Duration;

use kube_sandbox::sim::{Sim, SimConfig};

/// The digest of `scripted_run(7)`'s event log. Both platforms must produce it.
/// If a deliberate change to the sim moves it, update it here (both tests read this file).
pub const DIGEST_OF_SEED_7: u64 = 10_506_013_236_873_314_176;

/// A fixed run: a fresh default cluster with `seed`, 95 s of simulated time.
pub fn scripted_run(seed: u64) -> Sim {
    let mut sim = Sim::new(SimConfig { seed, ..SimConfig::default() });
    sim.advance(Duration::from_secs(95));
    sim
}
