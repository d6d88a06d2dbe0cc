//! `sandbox …`: what a real cluster has no kubectl verb for (the clock, faults, nodes).

use super::Output;
use crate::sim::Sim;

/// Runs `sandbox ARGS…`.
pub fn run(sim: &mut Sim, args: &[String]) -> Output {
    match args.first().map(String::as_str) {
        Some("time") => Output::ok(format!("{} ({})\n", sim.now().elapsed_clock(), sim.now())),
        Some(other) => Output::err(format!("sandbox: unknown command \"{other}\"\n"), 1),
        None => Output::err("usage: sandbox time\n", 1),
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn time_prints_the_simulated_clock() {
        let mut sim = Sim::new(SimConfig::default());
        sim.advance(std::time::Duration::from_secs(65));
        assert_eq!(Shell.run_line(&mut sim, "sandbox time").stdout, "00:01:05 (2025-01-01T00:01:05Z)\n");
    }
}
