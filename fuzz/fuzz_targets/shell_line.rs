//! Any line typed into the terminal (shell syntax and kubectl's arguments) must give output or
//! an error — never a panic or a hang.
#![no_main]

use kube_sandbox::shell::terminal::Terminal;
use kube_sandbox::sim::{Sim, SimConfig};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let line = String::from_utf8_lossy(data);
    let mut sim = Sim::new(SimConfig::default());
    let _ = Terminal::default().run_line(&mut sim, &line);
});
