//! Throws random lines at the terminal — kubectl commands, shell syntax, and raw garbage — and
//! reports any panic and the slowest line. Runs on stable Rust (the cargo-fuzz targets in
//! `fuzz/` need nightly); deterministic for a given seed.
//!
//! `cargo run --release --example fuzz_shell -- [--secs N] [--seed S]`

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use kube_sandbox::shell::terminal::Terminal;
use kube_sandbox::sim::{Sim, SimConfig};

const WORDS: &[&str] = &[
    "kubectl",
    "get",
    "pods",
    "po",
    "deploy",
    "svc",
    "-o",
    "yaml",
    "json",
    "wide",
    "jsonpath={.items[*].metadata.name}",
    "-l",
    "app=web",
    "--field-selector",
    "status.phase=Running",
    "-n",
    "kube-system",
    "-A",
    "-w",
    "describe",
    "delete",
    "apply",
    "-f",
    "-",
    "create",
    "deployment",
    "web",
    "--image=nginx",
    "--replicas=3",
    "run",
    "expose",
    "--port=80",
    "scale",
    "--replicas=0",
    "rollout",
    "status",
    "undo",
    "logs",
    "-f",
    "exec",
    "--",
    "sh",
    "-c",
    "set",
    "image",
    "label",
    "x=y",
    "annotate",
    "patch",
    "-p",
    "{\"spec\":{}}",
    "top",
    "explain",
    "pods.spec",
    "wait",
    "--for=condition=Ready",
    "drain",
    "node-1",
    "cordon",
    "taint",
    "nodes",
    "k=v:NoSchedule",
    "sandbox",
    "node",
    "stop",
    "start",
    "kill",
    "oom",
    "time",
    "sleep",
    "1",
    "echo",
    "cat",
    "grep",
    "-E",
    "a|b",
    "head",
    "-n",
    "base64",
    "-d",
    "|",
    "||",
    "&&",
    ";",
    "$(",
    ")",
    "`",
    "'",
    "\"",
    "<<EOF",
    "EOF",
    "\n",
    "${X:-y}",
    "$((1+2))",
    ">",
    "file",
    "for",
    "i",
    "in",
    "do",
    "done",
    "while",
    "true",
    "if",
    "then",
    "fi",
    "case",
    "esac",
    "{",
    "}",
    "(",
    "[",
    "]",
    "*",
    "\\",
    "#",
    "=",
    "cd",
    "..",
    "ls",
    "export",
    "X=1",
    "f()",
    "f",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn line(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => (0..rng.below(200)).map(|_| char::from_u32(rng.below(0x3000) as u32).unwrap_or('?')).collect(),
        1 => "$(".repeat(rng.below(100)) + &")".repeat(rng.below(100)),
        _ => (0..1 + rng.below(14)).map(|_| WORDS[rng.below(WORDS.len())]).collect::<Vec<_>>().join(" "),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |flag: &str, default: u64| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (secs, seed) = (arg("--secs", 60), arg("--seed", 1));
    let mut rng = Rng(seed.max(1));
    let deadline = Instant::now() + Duration::from_secs(secs);
    let (mut runs, mut panics, mut slowest) = (0u64, 0u64, (Duration::ZERO, String::new()));
    let mut sim = Sim::new(SimConfig::default());
    let mut terminal = Terminal::default();
    std::panic::set_hook(Box::new(|_| {}));
    while Instant::now() < deadline {
        if runs % 200 == 0 {
            sim = Sim::new(SimConfig { seed: rng.next(), ..SimConfig::default() });
            terminal = Terminal::default();
        }
        let input = line(&mut rng);
        let started = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| terminal.run_line(&mut sim, &input)));
        let took = started.elapsed();
        if took > slowest.0 {
            slowest = (took, input.clone());
        }
        if result.is_err() {
            panics += 1;
            println!("PANIC on input {input:?}");
            sim = Sim::new(SimConfig::default());
            terminal = Terminal::default();
        }
        runs += 1;
    }
    println!(
        "{runs} lines in {secs} s (seed {seed}): {panics} panics; slowest {:?}: {:?}",
        slowest.0,
        slowest.1.chars().take(120).collect::<String>()
    );
}
