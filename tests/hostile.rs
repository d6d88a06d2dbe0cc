//! The catalogue of hostile input (`tests/hostile/*.case`): each case goes through the entry
//! point a stranger's input reaches (the scenario codec and replay for links, the terminal for
//! commands, manifest decoding for files, the native runner for runner cases) and must end
//! with its expected clear message, no panic, and its work within bounds (bytes printed,
//! simulated time, objects kept: counted, never timed).
//!
//! A case file: `#` comment lines saying what it is, then `key: value` headers, then
//! `--- input` and the input to the end of the file. Headers:
//! - `entry: shell | link | saved | manifest | runner` (`saved`: the page's autosaved state);
//! - `expect: TEXT` (repeatable): TEXT appears in what was printed (stdout and stderr);
//! - `absent: TEXT` (repeatable): TEXT does not appear (`\n` in TEXT is a newline);
//! - `status: N`: the exit status of the last command (the runner's, for runner cases);
//! - `max-output: BYTES` (default 4 MiB), `max-sim-secs: S` (default two days);
//! - `command: LINE` (manifest cases): what runs on the file, `case.yaml` (default `kubectl
//!   apply -f case.yaml`);
//! - `setup: SH` (runner cases, repeatable): run with `sh -c` in the case's directory first;
//! - `args: …` (runner cases): the runner's arguments (default `run script.sh`);
//! - `generate: NAME N` (link cases): the input is made by a generator below instead.
//!
//! `HOSTILE_CASE=name cargo test --test hostile` runs one case (`scripts/hostile-figures.sh`
//! measures them one by one).

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use kube_sandbox::scenario::{self, Scenario};
use kube_sandbox::shell::terminal::Terminal;
use kube_sandbox::shell::transcript::run_in;
use kube_sandbox::sim::{Sim, SimConfig};

/// One case, read from its file.
#[derive(Debug, Default)]
struct Case {
    name: String,
    entry: String,
    expect: Vec<String>,
    absent: Vec<String>,
    status: Option<i32>,
    max_output: usize,
    max_sim_secs: u64,
    command: Option<String>,
    setup: Vec<String>,
    args: Option<String>,
    generate: Option<String>,
    input: String,
}

/// What running a case gave.
struct Outcome {
    printed: String,
    status: i32,
    sim_secs: u64,
}

fn read_case(path: &Path) -> Result<Case, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let (head, input) = text.split_once("--- input\n").ok_or("no `--- input` line")?;
    let mut case = Case {
        name: path.file_stem().unwrap_or_default().to_string_lossy().into(),
        max_output: 4 << 20,
        max_sim_secs: 2 * 86_400,
        input: input.to_string(),
        ..Case::default()
    };
    for line in head.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let (key, value) = line.split_once(": ").ok_or_else(|| format!("not `key: value`: {line}"))?;
        // `\n` in a header stands for a newline (expected output over several lines).
        let value = value.replace("\\n", "\n");
        match key {
            "entry" => case.entry = value,
            "expect" => case.expect.push(value),
            "absent" => case.absent.push(value),
            "status" => case.status = Some(value.parse().map_err(|_| "status: not a number")?),
            "max-output" => case.max_output = value.parse().map_err(|_| "max-output: not a number")?,
            "max-sim-secs" => case.max_sim_secs = value.parse().map_err(|_| "max-sim-secs: not a number")?,
            "command" => case.command = Some(value),
            "setup" => case.setup.push(value),
            "args" => case.args = Some(value),
            "generate" => case.generate = Some(value),
            other => return Err(format!("unknown header {other}")),
        }
    }
    Ok(case)
}

/// A fresh terminal in `/home/learner`, holding `files` there.
fn terminal(files: &[(&str, &str)]) -> Terminal {
    let files = files.iter().map(|(n, t)| (format!("/home/learner/{n}"), t.to_string())).collect::<BTreeMap<_, _>>();
    Terminal::with_files(files, "/home/learner")
}

fn run_shell(script: &str, files: &[(&str, &str)]) -> Outcome {
    let mut sim = Sim::new(SimConfig::default());
    let mut term = terminal(files);
    let (printed, status) = run_in(&mut sim, &mut term, script, false);
    Outcome { printed, status, sim_secs: sim.now().as_millis() / 1000 }
}

/// Link inputs too large to keep as text: made from a scenario built here, then encoded as the
/// page would encode it, so the codec and replay see exactly such a link.
fn generated_link(what: &str) -> Result<String, String> {
    let (name, n) = what.split_once(' ').ok_or("generate: NAME N")?;
    let n: usize = n.parse().map_err(|_| "generate: N is not a number")?;
    if name == "zip-bomb" {
        // 8 MiB of spaces inside a string: a few KB of link, twice what a link may unpack to.
        let json =
            format!(r#"{{"version":2,"seed":1,"shape":{{"nodes":[]}},"files":{{"a":"{}"}}}}"#, " ".repeat(8 << 20));
        use base64::Engine;
        let packed = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6);
        let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed);
        return Ok(format!("v{}.{text}", scenario::VERSION));
    }
    let step = match name {
        "lesson-steps" => r#"{"lesson":{"id":"first-pod","lang":"en","resume":null}}"#,
        "settle-steps" => r#""settle""#,
        "reset-steps" => r#""reset""#,
        "wait-lines" => r#"{"line":"kubectl wait --for=condition=Ready pod --all --timeout=24h"}"#,
        "scale-lines" => {
            r#"{"line":"kubectl create deploy w --image=nginx; kubectl scale deploy w --replicas=999999999"}"#
        }
        other => return Err(format!("no generator {other}")),
    };
    let steps = vec![step; n].join(",");
    let json = format!(
        r#"{{"version":{},"seed":1,"shape":{},"steps":[{steps}]}}"#,
        scenario::VERSION,
        serde_json::to_string(&kube_sandbox::sim::cluster::ClusterShape::default()).map_err(|e| e.to_string())?
    );
    let s: Scenario = serde_json::from_str(&json).map_err(|e| format!("generated scenario: {e}"))?;
    Ok(scenario::codec::encode_link(&s))
}

fn run_link(case: &Case) -> Result<Outcome, String> {
    let text = match &case.generate {
        Some(g) => generated_link(g)?,
        None => case.input.trim().to_string(),
    };
    let decoded = if case.entry == "saved" {
        scenario::saved::restore(&text).map(|s| s.scenario).map_err(|e| e.to_string())
    } else {
        scenario::decode(&text).map_err(|e| e.to_string())
    };
    match decoded {
        Err(e) => Ok(Outcome { printed: format!("{e}\n"), status: 1, sim_secs: 0 }),
        Ok(s) => match scenario::replay(&s) {
            Err(e) => Ok(Outcome { printed: format!("{e}\n"), status: 1, sim_secs: 0 }),
            Ok(r) => {
                let mut printed = String::new();
                for (_, o) in &r.outputs {
                    printed.push_str(&o.stdout);
                    printed.push_str(&o.stderr);
                }
                for p in &r.problems {
                    printed.push_str(p);
                    printed.push('\n');
                }
                let status = i32::from(!r.problems.is_empty());
                Ok(Outcome { printed, status, sim_secs: r.sim.now().as_millis() / 1000 })
            }
        },
    }
}

fn run_runner(case: &Case) -> Result<Outcome, String> {
    let dir = std::env::temp_dir().join(format!("kube-sandbox-hostile-{}-{}", std::process::id(), case.name));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("script.sh"), &case.input).map_err(|e| e.to_string())?;
    for s in &case.setup {
        let ok = Command::new("sh").arg("-c").arg(s).current_dir(&dir).status().map_err(|e| e.to_string())?;
        if !ok.success() {
            return Err(format!("setup failed: {s}"));
        }
    }
    let args = case.args.clone().unwrap_or_else(|| "run script.sh".into());
    let mut child = Command::new(env!("CARGO_BIN_EXE_kube-sandbox"))
        .args(args.split_whitespace())
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    // A guard against a hang, not a measurement: a case that needs it has failed.
    let guard = 120;
    let mut waited = 0;
    while child.try_wait().map_err(|e| e.to_string())?.is_none() {
        if waited >= guard * 10 {
            let _ = child.kill();
            let _ = std::fs::remove_dir_all(&dir);
            return Err(format!("the runner did not finish within {guard} s (a hang)"));
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
        waited += 1;
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(&dir);
    let printed = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    if printed.contains("panicked at") {
        return Err(format!("the runner panicked:\n{printed}"));
    }
    Ok(Outcome { printed, status: out.status.code().unwrap_or(-1), sim_secs: 0 })
}

fn run_case(case: &Case) -> Result<Outcome, String> {
    match case.entry.as_str() {
        "shell" => Ok(run_shell(&case.input, &[])),
        "manifest" => {
            let command = case.command.clone().unwrap_or_else(|| "kubectl apply -f case.yaml".into());
            Ok(run_shell(&command, &[("case.yaml", &case.input)]))
        }
        "link" | "saved" => run_link(case),
        "runner" => run_runner(case),
        other => Err(format!("unknown entry {other:?}")),
    }
}

/// Runs one case and says what is wrong with its outcome, if anything.
fn check(case: &Case) -> Result<(), String> {
    let outcome = catch_unwind(AssertUnwindSafe(|| run_case(case)))
        .map_err(|p| format!("PANIC: {}", p.downcast_ref::<String>().map_or("(no message)", |s| s.as_str())))??;
    let mut wrong = Vec::new();
    for e in &case.expect {
        if !outcome.printed.contains(e.as_str()) {
            wrong.push(format!("expected {e:?}"));
        }
    }
    for a in &case.absent {
        if outcome.printed.contains(a.as_str()) {
            wrong.push(format!("did not expect {a:?}"));
        }
    }
    if let Some(s) = case.status {
        if outcome.status != s {
            wrong.push(format!("status {} where {s} was expected", outcome.status));
        }
    }
    if outcome.printed.len() > case.max_output {
        wrong.push(format!("printed {} bytes (at most {})", outcome.printed.len(), case.max_output));
    }
    if outcome.sim_secs > case.max_sim_secs {
        wrong.push(format!("{} simulated seconds passed (at most {})", outcome.sim_secs, case.max_sim_secs));
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        let shown: String = outcome.printed.chars().take(3000).collect();
        Err(format!("{}\n--- printed (first 3000 chars):\n{shown}", wrong.join("\n")))
    }
}

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/hostile exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "case"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn every_hostile_case_ends_with_its_clear_message_within_its_bounds() {
    let only = std::env::var("HOSTILE_CASE").ok();
    std::panic::set_hook(Box::new(|_| {}));
    let mut failures = Vec::new();
    let mut ran = 0;
    for path in cases() {
        let stem = path.file_stem().unwrap_or_default().to_string_lossy().to_string();
        if only.as_ref().is_some_and(|o| o != &stem) {
            continue;
        }
        let case = match read_case(&path) {
            Ok(c) => c,
            Err(e) => {
                failures.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        ran += 1;
        if let Err(e) = check(&case) {
            failures.push(format!("== {} ({}):\n{e}", case.name, case.entry));
        }
    }
    let _ = std::panic::take_hook();
    assert!(ran > 0, "no case ran");
    assert!(failures.is_empty(), "{} of {ran} cases failed:\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn the_catalogue_covers_every_area() {
    let names: Vec<String> =
        cases().iter().map(|p| p.file_stem().unwrap_or_default().to_string_lossy().into()).collect();
    for area in ["yaml-", "kubectl-", "shell-", "link-", "runner-", "page-"] {
        assert!(names.iter().filter(|n| n.starts_with(area)).count() >= 3, "fewer than 3 cases named {area}*");
    }
}

/// The link and saved-state cases as the page receives them, for `e2e/hostile-links.test.mjs`:
/// with `HOSTILE_LINKS=path`, writes `[{name, entry, text, expect, opens}]` there (`text` is the
/// link's fragment, or the saved state's raw text; `expect`: what the page's notice must show
/// when the case is refused; `opens`: the case replays, and the page says it opened it).
#[test]
fn links_for_the_page() {
    let Ok(path) = std::env::var("HOSTILE_LINKS") else { return };
    let mut out = Vec::new();
    for p in cases() {
        let case = read_case(&p).expect("a readable case");
        if case.entry != "link" && case.entry != "saved" {
            continue;
        }
        let text = match &case.generate {
            Some(g) => generated_link(g).expect("a generated link"),
            None if case.entry == "link" && case.input.trim_start().starts_with('{') => {
                // JSON as the page's share links carry it: deflated, base64url, versioned. Packed
                // raw (not re-encoded from a parsed scenario), so the page meets the same faults.
                use base64::Engine;
                let packed = miniz_oxide::deflate::compress_to_vec(case.input.trim().as_bytes(), 9);
                format!("v{}.{}", scenario::VERSION, base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed))
            }
            None => case.input.trim().to_string(),
        };
        let refused = case.status == Some(1);
        out.push(serde_json::json!({
            "name": case.name,
            "entry": case.entry,
            "text": text,
            "expect": if refused { case.expect.clone() } else { Vec::new() },
            "opens": !refused,
        }));
    }
    std::fs::write(&path, serde_json::to_string_pretty(&out).expect("json")).expect("HOSTILE_LINKS is writable");
}
