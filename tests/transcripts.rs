//! The flows of a beginner's course, each a script in `tests/transcripts/*.sh` run in a fresh
//! sandbox, compared with its expected transcript (`*.out`). Scripts run at a person's pace: 2 s of
//! simulated time before each command after the first (`shell::transcript::PACE`).
//!
//! After a deliberate change, regenerate the expected files and review the diff:
//! `UPDATE_TRANSCRIPTS=1 cargo test --test transcripts`.
#![cfg(not(target_arch = "wasm32"))]

use kube_sandbox::shell::files::preload;
use kube_sandbox::shell::terminal::Terminal;
use kube_sandbox::shell::transcript::run_in;
use kube_sandbox::sim::{Sim, SimConfig};

#[test]
fn beginner_course_flows_print_what_a_cluster_prints() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
    let update = std::env::var_os("UPDATE_TRANSCRIPTS").is_some();
    let mut scripts: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sh"))
        .collect();
    scripts.sort();
    assert!(scripts.len() >= 6, "transcripts missing");
    let mut failures = Vec::new();
    for script in &scripts {
        let text = std::fs::read_to_string(script).unwrap();
        let cwd = dir.to_string_lossy().to_string();
        let mut terminal = Terminal::with_files(preload(&cwd), &cwd);
        let mut sim = Sim::new(SimConfig::default());
        let (actual, _) = run_in(&mut sim, &mut terminal, &text, false);
        let expected_path = script.with_extension("out");
        if update {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            failures.push(format!("--- {}\n{expected}\n+++ sandbox\n{actual}", expected_path.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} transcripts differ (UPDATE_TRANSCRIPTS=1 to regenerate):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
