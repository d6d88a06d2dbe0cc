//! The native runner:
//! - `kube-sandbox run [--seed N] [--nodes N] [--strict] [--no-limits] [--pace SECONDS] SCRIPT|-` runs a script in a
//!   fresh sandbox and prints its transcript, exiting with the last command's status;
//! - `kube-sandbox replay [--digest] FILE|-` replays a scenario (its JSON, or a share link's
//!   text) and prints its event log (format in `src/scenario/log.rs`);
//! - `kube-sandbox export FILE|-` replays a scenario and prints the cluster's objects as YAML
//!   for `kubectl apply -f`.

use std::io::Read;
use std::process::ExitCode;

use kube_sandbox::scenario;
use kube_sandbox::shell::files::preload_noting;
use kube_sandbox::shell::terminal::Terminal;
use kube_sandbox::shell::transcript::run_paced;
use kube_sandbox::sim::cluster::ClusterShape;
use kube_sandbox::sim::{Limits, Sim, SimConfig};

const USAGE: &str = "usage: kube-sandbox run [--seed N] [--nodes N] [--strict] [--no-limits] [--pace SECONDS] SCRIPT|-\n       kube-sandbox replay [--digest] SCENARIO|-\n       kube-sandbox export SCENARIO|-\n";

/// The most workers `--nodes` gives with `--no-limits` (benchmarks' largest shapes).
const MAX_WORKERS_UNLIMITED: usize = 5_000;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => ExitCode::from(code),
        Err(msg) => {
            eprint!("kube-sandbox: {msg}");
            ExitCode::from(2)
        }
    }
}

fn read_input(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| format!("cannot read stdin: {e}\n"))?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}\n"))
    }
}

/// `replay` and `export`: the scenario's steps on its fresh cluster, then its event log (or its
/// objects). What did not replay as recorded goes to stderr, and the exit status is 1.
fn replay(export: bool, args: &[String]) -> Result<u8, String> {
    let mut path = None;
    let mut show_digest = false;
    for a in args {
        match a.as_str() {
            "--digest" if !export => show_digest = true,
            p if path.is_none() && (p == "-" || !p.starts_with('-')) => path = Some(p.to_string()),
            extra => return Err(format!("unexpected argument \"{extra}\"\n{USAGE}")),
        }
    }
    let path = path.ok_or(format!("missing SCENARIO\n{USAGE}"))?;
    let text = read_input(&path)?;
    let scenario = scenario::decode(&text).map_err(|e| format!("{path}: {e}\n"))?;
    let replayed = scenario::replay(&scenario).map_err(|e| format!("{path}: {e}\n"))?;
    if export {
        print!("{}", scenario::export::export_yaml(&replayed.sim));
    } else {
        print!("{}", replayed.log.text());
        if show_digest {
            println!("# digest {} at {} ms", scenario::replay::digest(&replayed.sim), replayed.sim.now().as_millis());
        }
    }
    if replayed.log.missed > 0 {
        eprintln!("kube-sandbox: {} changes went by unread; the log lacks their events", replayed.log.missed);
    }
    for p in &replayed.problems {
        eprintln!("kube-sandbox: {p}");
    }
    Ok(u8::from(!replayed.problems.is_empty()))
}

fn run(args: &[String]) -> Result<u8, String> {
    let Some((cmd, rest)) = args.split_first() else {
        return Err(format!("missing command\n{USAGE}"));
    };
    match cmd.as_str() {
        "run" => {}
        "replay" | "export" => return replay(cmd == "export", rest),
        _ => return Err(format!("unknown command \"{cmd}\"\n{USAGE}")),
    }
    let mut config = SimConfig::default();
    let mut strict = false;
    let mut pace = kube_sandbox::shell::transcript::PACE;
    let mut script = None;
    let mut workers = None;
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        let mut number = |flag: &str| -> Result<u64, String> {
            it.next().and_then(|v| v.parse().ok()).ok_or(format!("{flag} needs a number\n{USAGE}"))
        };
        match a.as_str() {
            "--seed" => config.seed = number("--seed")?,
            "--nodes" => workers = Some(number("--nodes")?),
            "--strict" => strict = true,
            "--pace" => pace = std::time::Duration::from_secs(number("--pace")?.min(3600)),
            "--no-limits" => config.limits = Limits::none(),
            path if script.is_none() => script = Some(path.to_string()),
            extra => return Err(format!("unexpected argument \"{extra}\"\n{USAGE}")),
        }
    }
    if let Some(n) = workers {
        // The control plane is a node too; without limits, the most a benchmark asks for.
        let most = config.limits.max_nodes.min(MAX_WORKERS_UNLIMITED + 1) - 1;
        if n > most as u64 {
            let why = if config.limits == Limits::none() {
                String::new()
            } else {
                format!(
                    " (the sandbox holds {} nodes with the control plane; --no-limits lifts that)",
                    config.limits.max_nodes
                )
            };
            return Err(format!("--nodes {n}: at most {most} workers{why}\n"));
        }
        config.shape = ClusterShape::with_workers(n as usize);
    }
    let path = script.ok_or(format!("missing SCRIPT\n{USAGE}"))?;
    let text = if path == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| format!("cannot read stdin: {e}\n"))?;
        s
    } else {
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}\n"))?
    };
    // Relative paths in the script resolve from its own directory.
    if path != "-" {
        if let Some(dir) = std::path::Path::new(&path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::env::set_current_dir(dir).map_err(|e| format!("cannot enter {}: {e}\n", dir.display()))?;
        }
    }
    let mut sim = Sim::try_new(config).map_err(|e| format!("cannot build the cluster: {}\n", e.message))?;
    // The terminal starts in the script's directory; commands read the real files under it
    // (never write them: what they write stays in the terminal's memory).
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}\n"))?;
    let cwd = cwd.to_string_lossy().to_string();
    let (files, note) = preload_noting(&cwd);
    if let Some(note) = note {
        eprint!("{note}");
    }
    let mut terminal = Terminal::with_files(files, &cwd);
    let (transcript, status) = run_paced(&mut sim, &mut terminal, &text, strict, pace);
    print!("{transcript}");
    Ok(status.clamp(0, 255) as u8)
}
