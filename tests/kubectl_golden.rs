//! Golden files for kubectl's output: each `tests/golden/kubectl/*.txt` holds one command (after
//! `$ `) and what the real kubectl printed for it (`regenerate.sh` there rewrites them from the
//! kubectl on the PATH). The sandbox's shell must print the same, byte for byte.

use std::path::Path;

use kube_sandbox::shell::transcript::run_script;
use kube_sandbox::sim::{Sim, SimConfig};

#[test]
fn kubectl_generators_print_what_real_kubectl_prints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(root).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(root.join("tests/golden/kubectl"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(files.len() > 30, "golden files missing");
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        // Leading `# ` lines say where a hand-assembled file came from.
        let expected: String = text.split_inclusive('\n').skip_while(|l| l.starts_with("# ")).collect();
        // Files named sim-* may set the cluster up first: every `$ ` line is run.
        let script: String = expected.lines().filter_map(|l| l.strip_prefix("$ ")).map(|l| format!("{l}\n")).collect();
        let mut sim = Sim::new(SimConfig::default());
        let (actual, _) = run_script(&mut sim, &script, false);
        if actual != expected {
            failures.push(format!("--- {}\n{}\n+++ sandbox\n{}", file.display(), expected, actual));
        }
    }
    assert!(failures.is_empty(), "{} of {} golden files differ:\n{}", failures.len(), files.len(), failures.join("\n"));
}
