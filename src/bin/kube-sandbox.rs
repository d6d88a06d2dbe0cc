//! The native runner: `kube-sandbox run [--seed N] [--nodes N] [--strict] [--no-limits] SCRIPT|-` runs a
//! script in a fresh sandbox and prints its transcript, exiting with the last command's status.

use std::io::Read;
use std::process::ExitCode;

use kube_sandbox::shell::files::preload;
use kube_sandbox::shell::terminal::Terminal;
use kube_sandbox::shell::transcript::run_in;
use kube_sandbox::sim::cluster::ClusterShape;
use kube_sandbox::sim::{Limits, Sim, SimConfig};

const USAGE: &str = "usage: kube-sandbox run [--seed N] [--nodes N] [--strict] [--no-limits] SCRIPT|-\n";

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

fn run(args: &[String]) -> Result<u8, String> {
    let Some((cmd, rest)) = args.split_first() else {
        return Err(format!("missing command\n{USAGE}"));
    };
    if cmd != "run" {
        return Err(format!("unknown command \"{cmd}\"\n{USAGE}"));
    }
    let mut config = SimConfig::default();
    let mut strict = false;
    let mut script = None;
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        let mut number = |flag: &str| -> Result<u64, String> {
            it.next().and_then(|v| v.parse().ok()).ok_or(format!("{flag} needs a number\n{USAGE}"))
        };
        match a.as_str() {
            "--seed" => config.seed = number("--seed")?,
            "--nodes" => config.shape = ClusterShape::with_workers(number("--nodes")?.min(5000) as usize),
            "--strict" => strict = true,
            "--no-limits" => config.limits = Limits::none(),
            path if script.is_none() => script = Some(path.to_string()),
            extra => return Err(format!("unexpected argument \"{extra}\"\n{USAGE}")),
        }
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
    let mut sim = Sim::new(config);
    // The terminal starts in the script's directory; commands read the real files under it
    // (never write them: what they write stays in the terminal's memory).
    let cwd = std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}\n"))?;
    let cwd = cwd.to_string_lossy().to_string();
    let mut terminal = Terminal::with_files(preload(&cwd), &cwd);
    let (transcript, status) = run_in(&mut sim, &mut terminal, &text, strict);
    print!("{transcript}");
    Ok(status.clamp(0, 255) as u8)
}
