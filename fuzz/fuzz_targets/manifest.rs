//! Any manifest text applied to the cluster must be refused or stored — never a panic.
#![no_main]

use kube_sandbox::manifest;
use kube_sandbox::sim::{Sim, SimConfig};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(objects) = manifest::parse(&text) {
        let mut sim = Sim::new(SimConfig::default());
        for obj in objects {
            let _ = sim.create(obj);
        }
    }
});
