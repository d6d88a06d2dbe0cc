//! The course suite: official kubernetes.io tutorials (and the book chapters in
//! `../shared/corpus/kiamol`) typed as a learner types them, in `tests/courses/*.sh`, each in a
//! fresh sandbox.
//!
//! A step is a command followed by the sample output the tutorial page shows for it, written as
//! `#> ` lines. Each step with a sample is compared with what the sandbox printed:
//! - **same**: identical, line for line (trailing spaces and blank lines aside);
//! - **close**: the same lines and columns with the same values once what differs between any
//!   two clusters is masked — ages (`11m`), IP addresses, NodePorts (30000–32767), the random
//!   suffixes of generated names (`-5f76cf6ccf-br9b5`) — and column padding ignored;
//! - **different**: anything else. A different step must say why in a `# SIM:` line of its own
//!   (before the command, or among its sample lines).
//!
//! Steps without a sample on the page only run (their output is kept in the transcript).
//! A different step's transcript entry is followed by the page's sample, so the `.out` file
//! shows both sides.
//!
//! The courses run in a terminal like the page's (a person types there): `kubectl exec -it …
//! -- bash` and `kubectl run -it …` open a shell in the container and the page's next lines go
//! to it until `exit`; a watch typed alone is followed until 30 s pass with no change, then
//! stopped as with Ctrl+C.
//!
//! The learner types at a person's pace: before each command after the first,
//! `transcript::PACE` (2 s) of simulated time passes, as in `kube-sandbox run`. Where a page's
//! sample was taken later than that (a Deployment "1m" old), the course says so and `sleep`s.
//! The transcript of every course is compared with `tests/courses/*.out`, and the counts per
//! course with `tests/courses/SUMMARY.txt`; after a deliberate change regenerate both and read
//! the diff: `UPDATE_TRANSCRIPTS=1 cargo test --test courses`. To see the counts:
//! `cargo test --test courses -- --nocapture`.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use kube_sandbox::shell::files::preload;
use kube_sandbox::shell::terminal::Terminal;
use kube_sandbox::shell::transcript::{commands, PACE};
use kube_sandbox::shell::Polled;
use kube_sandbox::sim::{Sim, SimConfig};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Same,
    Close,
    Different,
}

/// One step: the command(s) typed, the page's sample for the last one, and whether a `# SIM:`
/// line explains it.
struct Step {
    text: String,
    sample: Option<String>,
    explained: bool,
}

fn steps(script: &str) -> Vec<Step> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut sample: Vec<String> = Vec::new();
    let mut explained = false;
    let flush = |text: &mut String, sample: &mut Vec<String>, explained: &mut bool, out: &mut Vec<Step>| {
        if text.trim().is_empty() && sample.is_empty() {
            return;
        }
        let s = (!sample.is_empty()).then(|| sample.iter().map(|l| format!("{l}\n")).collect());
        out.push(Step { text: std::mem::take(text), sample: s, explained: *explained });
        sample.clear();
        *explained = false;
    };
    for line in script.lines() {
        if let Some(s) = line.strip_prefix("#>") {
            sample.push(s.strip_prefix(' ').unwrap_or(s).to_string());
            continue;
        }
        if !sample.is_empty() {
            flush(&mut text, &mut sample, &mut explained, &mut out);
        }
        if line.trim_start().starts_with("# SIM:") {
            explained = true;
        }
        text.push_str(line);
        text.push('\n');
    }
    flush(&mut text, &mut sample, &mut explained, &mut out);
    out
}

fn trimmed(s: &str) -> Vec<String> {
    let mut lines: Vec<String> = s.lines().map(|l| l.trim_end().to_string()).collect();
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

fn is_age(t: &str) -> bool {
    let mut rest = t;
    let mut parts = 0;
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return false;
        }
        rest = &rest[digits..];
        let Some(unit) = rest.chars().next().filter(|c| matches!(c, 's' | 'm' | 'h' | 'd' | 'y')) else {
            return false;
        };
        rest = &rest[unit.len_utf8()..];
        parts += 1;
    }
    parts > 0
}

/// A generated suffix: a ReplicaSet's pod-template hash or a pod's random five characters.
fn is_generated(seg: &str) -> bool {
    (seg.len() == 5 || (8..=10).contains(&seg.len()))
        && seg.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && (seg.chars().any(|c| c.is_ascii_digit()) || seg.chars().all(|c| !"aeiou".contains(c)))
}

fn mask_token(t: &str) -> String {
    if is_age(t) {
        return "<AGE>".into();
    }
    // IPs and NodePorts inside the token.
    let mut out = String::new();
    let chars: Vec<char> = t.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            let run = run.trim_end_matches('.');
            let dots = run.matches('.').count();
            if dots == 3 {
                out.push_str("<IP>");
            } else if run.len() == 5 && run.parse::<u32>().is_ok_and(|n| (30000..32768).contains(&n)) {
                out.push_str("<NODEPORT>");
            } else {
                out.push_str(run);
            }
            out.extend(std::iter::repeat_n('.', chars[start..i].iter().collect::<String>().len() - run.len()));
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    // Generated name suffixes: web-5f76cf6ccf-br9b5 → web-*-*.
    out.split('/')
        .map(|part| {
            let segs: Vec<&str> = part.split('-').collect();
            segs.iter()
                .enumerate()
                .map(|(i, s)| if i > 0 && is_generated(s) { "*" } else { s })
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn classify(sample: &str, actual: &str) -> Verdict {
    let (a, b) = (trimmed(sample), trimmed(actual));
    if a == b {
        return Verdict::Same;
    }
    let masked = |lines: &[String]| -> Vec<Vec<String>> {
        lines.iter().map(|l| l.split_whitespace().map(mask_token).collect()).collect()
    };
    if a.len() == b.len() && masked(&a) == masked(&b) {
        Verdict::Close
    } else {
        Verdict::Different
    }
}

/// A watch typed alone on its line goes on printing on the page until Ctrl+C: the learner
/// reads it as the cluster runs, and presses Ctrl+C once nothing has changed for 30 s (at most
/// 5 min), as `kubectl get -w` in a script stops.
fn follow_watch(terminal: &mut Terminal, sim: &mut Sim, stdout: &mut String) {
    if terminal.stream.is_none() {
        return;
    }
    let mut quiet = 0;
    // `watch COMMAND` redraws one screen: the transcript keeps the last (the body without its
    // header, whose clock changes every time, decides whether anything changed).
    let mut screen: Option<String> = None;
    let body = |s: &str| s.split_once("\n\n").map_or(s, |(_, b)| b).to_string();
    let mut first = matches!(terminal.stream.as_deref(), Some(kube_sandbox::shell::Stream::Repeat(_)));
    for _ in 0..300 {
        // Its first screen comes at once; after that, a second passes between looks.
        if !std::mem::take(&mut first) {
            sim.advance(std::time::Duration::from_secs(1));
        }
        let more = match terminal.poll_stream(sim) {
            Polled::Rows(rows) => rows,
            Polled::Screen(now, ended) => {
                let changed = screen.as_deref().is_none_or(|old| body(old) != body(&now));
                screen = Some(now + ended.as_deref().unwrap_or(""));
                if changed {
                    "changed".to_string()
                } else {
                    String::new()
                }
            }
        };
        if terminal.stream.is_none() {
            break;
        }
        if more.is_empty() {
            quiet += 1;
            if quiet >= 30 {
                break;
            }
        } else {
            quiet = 0;
            if screen.is_none() {
                stdout.push_str(&more);
            }
        }
    }
    if let Some(last) = screen {
        stdout.push_str(&last);
    }
    terminal.interrupt();
}

#[derive(Default)]
struct Counts {
    commands: usize,
    same: usize,
    close: usize,
    different: usize,
    unchecked: usize,
    /// Commands that exited with a status other than 0 (some on purpose: a curl after the
    /// Service is gone).
    failed: usize,
}

#[test]
fn tutorials_typed_as_a_learner_print_what_their_pages_show() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("tests/courses");
    let update = std::env::var_os("UPDATE_TRANSCRIPTS").is_some();
    let mut scripts: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "sh"))
        .collect();
    scripts.sort();
    assert!(!scripts.is_empty(), "courses missing");
    let mut failures = Vec::new();
    let mut summary = String::from(
        "# Per course: commands typed; of those with a sample output on the page, how many the sandbox\n# prints the same, close or different (tests/courses.rs says how they are compared); and how many\n# have no sample. Regenerate: UPDATE_TRANSCRIPTS=1 cargo test --test courses\n",
    );
    let mut total = Counts::default();
    let mut skipped = false;
    for script in &scripts {
        let name = script.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(script).unwrap();
        // The book's chapters run among its manifests, as its readers do.
        let cwd = if text.contains("# CWD: kiamol") {
            // The corpus sits beside the checkout (KUBE_SANDBOX_CORPUS names another place).
            let corpus = std::env::var_os("KUBE_SANDBOX_CORPUS")
                .map_or_else(|| root.join("../shared/corpus"), std::path::PathBuf::from)
                .join("kiamol");
            if !corpus.is_dir() {
                eprintln!("skipped {name}: no corpus at {}", corpus.display());
                skipped = true;
                continue;
            }
            corpus.canonicalize().unwrap().to_string_lossy().to_string()
        } else {
            dir.to_string_lossy().to_string()
        };
        // The page's terminal: a person types there, so `kubectl exec -it … -- bash` opens a
        // shell in the container and the next lines go to it, as the tutorials type them.
        let mut terminal = Terminal { interactive: true, ..Terminal::with_files(preload(&cwd), &cwd) };
        let mut sim = Sim::new(SimConfig::default());
        let mut transcript = String::new();
        let mut counts = Counts::default();
        for step in steps(&text) {
            let cmds = commands(&step.text);
            let mut last = String::new();
            for command in &cmds {
                if counts.commands > 0 {
                    sim.advance(PACE);
                }
                counts.commands += 1;
                for (i, line) in command.lines().enumerate() {
                    transcript.push_str(&if i == 0 { terminal.prompt() } else { "> ".into() });
                    transcript.push_str(line);
                    transcript.push('\n');
                }
                let out = terminal.run_line(&mut sim, command);
                // What the terminal shows, stderr and stdout as written; then what a watch adds.
                let mut shown = out.shown();
                follow_watch(&mut terminal, &mut sim, &mut shown);
                if out.status != 0 {
                    counts.failed += 1;
                    // COURSES_SHOW_FAILED=1 lists them (with `-- --nocapture`).
                    if std::env::var_os("COURSES_SHOW_FAILED").is_some() {
                        eprintln!("{name}: exit {}: {}", out.status, command.trim());
                    }
                }
                last = shown;
                transcript.push_str(&last);
                if !last.is_empty() && !last.ends_with('\n') {
                    transcript.push('\n');
                }
            }
            let Some(sample) = &step.sample else {
                counts.unchecked += cmds.len();
                continue;
            };
            counts.unchecked += cmds.len().saturating_sub(1);
            let verdict = classify(sample, &last);
            transcript.push_str(&format!("# {verdict:?}\n").to_lowercase());
            if verdict == Verdict::Different {
                transcript.push_str("# the page shows:\n");
                for line in sample.lines() {
                    transcript.push_str(&format!("#> {line}\n").replace("#> \n", "#>\n"));
                }
            }
            match verdict {
                Verdict::Same => counts.same += 1,
                Verdict::Close => counts.close += 1,
                Verdict::Different => {
                    counts.different += 1;
                    if !step.explained {
                        failures.push(format!(
                            "{name}: a step differs from its page without a `# SIM:` reason:\n{}--- page\n{sample}--- sandbox\n{last}",
                            step.text
                        ));
                    }
                }
            }
        }
        summary.push_str(&format!(
            "{name}: {} commands; {} same, {} close, {} different; {} without a sample; {} exited non-zero\n",
            counts.commands, counts.same, counts.close, counts.different, counts.unchecked, counts.failed
        ));
        total.failed += counts.failed;
        total.commands += counts.commands;
        total.same += counts.same;
        total.close += counts.close;
        total.different += counts.different;
        total.unchecked += counts.unchecked;
        let expected_path = script.with_extension("out");
        if update {
            std::fs::write(&expected_path, &transcript).unwrap();
        } else if std::fs::read_to_string(&expected_path).unwrap_or_default() != transcript {
            failures.push(format!(
                "--- {} differs (UPDATE_TRANSCRIPTS=1 to regenerate):\n{transcript}",
                expected_path.display()
            ));
        }
    }
    summary.push_str(&format!(
        "total: {} commands; {} same, {} close, {} different; {} without a sample; {} exited non-zero\n",
        total.commands, total.same, total.close, total.different, total.unchecked, total.failed
    ));
    print!("{summary}");
    let summary_path = dir.join("SUMMARY.txt");
    if skipped {
        eprintln!("the counts are not compared with {}: a course was skipped", summary_path.display());
    } else if update {
        std::fs::write(&summary_path, &summary).unwrap();
    } else if std::fs::read_to_string(&summary_path).unwrap_or_default() != summary {
        failures
            .push(format!("--- {} differs (UPDATE_TRANSCRIPTS=1 to regenerate):\n{summary}", summary_path.display()));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_comparison_masks_only_what_differs_between_clusters() {
    assert_eq!(classify("a  b\n", "a  b\n\n"), Verdict::Same);
    assert_eq!(
        classify(
            "NAME                          READY   STATUS    RESTARTS   AGE\nhello-node-5f76cf6ccf-br9b5   1/1     Running   0          1m\n",
            "NAME                          READY   STATUS    RESTARTS   AGE\nhello-node-7d9c8b6f54-x2x7q   1/1     Running   0          12s\n"
        ),
        Verdict::Close
    );
    assert_eq!(
        classify(
            "hello   LoadBalancer   10.108.144.78   8080:30369/TCP\n",
            "hello LoadBalancer 10.96.12.1 8080:31000/TCP\n"
        ),
        Verdict::Close
    );
    assert_eq!(classify("web   1/1   Running\n", "web   0/1   Pending\n"), Verdict::Different);
    assert_eq!(classify("a\nb\n", "a\n"), Verdict::Different);
}
