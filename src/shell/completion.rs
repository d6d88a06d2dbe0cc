//! Tab completion for the terminal: commands, kubectl verbs, resource types, object names from
//! the cluster, flags, namespaces, and the terminal's files. The page's terminal asks; the
//! logic lives here so it is tested natively.

use super::files::{absolute, Files};
use super::kubectl::help;
use crate::sim::api::discovery::{self, BUILT_IN};
use crate::sim::Sim;

/// What completing the word under the cursor offers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Completion {
    /// Byte offset in the line where the word being completed starts.
    pub start: usize,
    /// Whole replacements for that word, sorted.
    pub candidates: Vec<String>,
}

/// Commands the terminal knows besides the shell's own tools.
const COMMANDS: &[&str] = &["kubectl", "minikube", "sandbox", "ssh", "watch"];
const SHELL_TOOLS: &[&str] = &[
    "base64", "cat", "cd", "clear", "cp", "echo", "export", "grep", "head", "ls", "mkdir", "mv", "printf", "pwd", "rm",
    "sleep", "sort", "tail", "touch", "wc",
];
const SANDBOX: &[&str] = &["help", "kill", "node", "oom", "reset", "seed", "speed", "time"];
const SANDBOX_NODE: &[&str] = &["add", "remove", "start", "stop"];
const ROLLOUT: &[&str] = &["history", "pause", "restart", "resume", "status", "undo"];
const SET: &[&str] = &["env", "image", "resources", "selector", "serviceaccount"];
const TOP: &[&str] = &["node", "pod"];
const CONFIG: &[&str] = &["current-context", "get-contexts", "set-context", "use-context", "view"];
const CREATE: &[&str] = &[
    "clusterrole",
    "clusterrolebinding",
    "configmap",
    "cronjob",
    "deployment",
    "ingress",
    "job",
    "namespace",
    "poddisruptionbudget",
    "priorityclass",
    "quota",
    "role",
    "rolebinding",
    "secret",
    "service",
    "serviceaccount",
];
/// Verbs whose next word is a resource type.
const TAKES_TYPE: &[&str] = &[
    "get",
    "describe",
    "delete",
    "edit",
    "label",
    "annotate",
    "scale",
    "patch",
    "explain",
    "wait",
    "autoscale",
    "expose",
];
/// Verbs whose next word is a pod (or TYPE/NAME).
const TAKES_POD: &[&str] = &["logs", "exec", "port-forward"];
const TAKES_NODE: &[&str] = &["cordon", "uncordon", "drain"];

/// Flags every kubectl verb takes.
const COMMON_FLAGS: &[&str] = &["--help", "--namespace", "-n"];

/// The flags named in a verb's help line (`-o wide|yaml, -l, --field-selector`).
fn verb_flags(verb: &str) -> Vec<String> {
    let text = help::help(Some(verb)).unwrap_or_default();
    let flags = text.split("Flags:\n").nth(1).unwrap_or("");
    let mut out: Vec<String> = flags
        .split([',', ' ', '\n'])
        .filter(|w| w.starts_with('-'))
        .map(|w| w.split(['=', '|']).next().unwrap_or(w).to_string())
        .collect();
    out.extend(COMMON_FLAGS.iter().map(|s| s.to_string()));
    out
}

fn resource_names() -> Vec<String> {
    let mut out = Vec::new();
    for r in BUILT_IN {
        out.push(r.plural.to_string());
        out.extend(r.short_names.iter().map(|s| s.to_string()));
    }
    out.push("all".into());
    out
}

/// Names of objects of `ty` (a type word) in `namespace`.
fn object_names(sim: &Sim, ty: &str, namespace: &str) -> Vec<String> {
    let Some(r) = discovery::lookup_name(ty) else { return Vec::new() };
    let ns = r.namespaced.then_some(namespace);
    sim.store().list(r.kind, ns).map(|o| o.name().to_string()).collect()
}

/// Files and directories of the terminal that start with `word` (directories end with `/`).
fn file_names(files: &Files, cwd: &str, word: &str) -> Vec<String> {
    let (dir_part, _) = word.rsplit_once('/').map_or(("", word), |(d, f)| (d, f));
    let dir = if dir_part.is_empty() && !word.starts_with('/') { cwd.to_string() } else { absolute(cwd, dir_part) };
    let dir = format!("{}/", dir.trim_end_matches('/'));
    let shown_dir = if dir_part.is_empty() && !word.starts_with('/') { String::new() } else { format!("{dir_part}/") };
    let mut out = Vec::new();
    for k in files.range(dir.clone()..).take_while(|(k, _)| k.starts_with(&dir)).map(|(k, _)| k) {
        let rest = &k[dir.len()..];
        let entry = match rest.split_once('/') {
            Some((d, _)) if !d.is_empty() => format!("{shown_dir}{d}/"),
            None if !rest.is_empty() => format!("{shown_dir}{rest}"),
            _ => continue,
        };
        out.push(entry);
    }
    out
}

/// Completes the last word of `line` (the cursor is at its end).
pub fn complete(sim: &Sim, files: &Files, cwd: &str, line: &str) -> Completion {
    // Only the current command of a pipeline or list matters.
    let cut = line.rfind(['|', ';', '&']).map_or(0, |i| i + 1);
    let command = &line[cut..];
    let start = line.len() - command.len() + command.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let word = &line[start..];
    let before: Vec<&str> = line[cut..start].split_whitespace().collect();
    let namespace = before
        .windows(2)
        .find(|w| w[0] == "-n" || w[0] == "--namespace")
        .map(|w| w[1].to_string())
        .unwrap_or_else(|| super::kubectl::config::default_namespace(sim));
    let strs = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut candidates: Vec<String> = match before.as_slice() {
        [] => [strs(COMMANDS), strs(SHELL_TOOLS)].concat(),
        ["sandbox"] => strs(SANDBOX),
        ["sandbox", "node"] => strs(SANDBOX_NODE),
        ["sandbox", "node", "stop" | "start" | "remove"] => object_names(sim, "nodes", ""),
        ["sandbox", "kill" | "oom", ..] => object_names(sim, "pods", &namespace),
        ["kubectl" | "k"] => help::verbs().iter().map(|s| s.to_string()).collect(),
        ["kubectl" | "k", .., "-n" | "--namespace"] => object_names(sim, "namespaces", ""),
        ["kubectl" | "k", .., "-f" | "--filename"] => file_names(files, cwd, word),
        ["kubectl" | "k", verb, rest @ ..] if word.starts_with('-') => {
            let _ = rest;
            verb_flags(verb)
        }
        ["kubectl" | "k", "rollout"] => strs(ROLLOUT),
        ["kubectl" | "k", "set"] => strs(SET),
        ["kubectl" | "k", "top"] => strs(TOP),
        ["kubectl" | "k", "config"] => strs(CONFIG),
        ["kubectl" | "k", "create"] => [strs(CREATE), vec!["-f".into()]].concat(),
        ["kubectl" | "k", "rollout" | "set", _, ..] | ["kubectl" | "k", "top", _] => {
            let ty = before.get(3).copied();
            match (ty, word.split_once('/')) {
                (_, Some((t, _))) => prefixed(t, object_names(sim, t, &namespace)),
                (Some(t), None) if !t.starts_with('-') => object_names(sim, t, &namespace),
                _ => resource_names(),
            }
        }
        ["kubectl" | "k", verb, args @ ..] => {
            let positional: Vec<&&str> = args.iter().filter(|a| !a.starts_with('-')).collect();
            if let Some((t, _)) = word.split_once('/') {
                prefixed(t, object_names(sim, t, &namespace))
            } else if TAKES_POD.contains(verb) && positional.is_empty() {
                object_names(sim, "pods", &namespace)
            } else if TAKES_NODE.contains(verb) || (*verb == "taint" && positional.len() == 1) {
                object_names(sim, "nodes", "")
            } else if *verb == "taint" && positional.is_empty() {
                vec!["nodes".into()]
            } else if TAKES_TYPE.contains(verb) {
                match positional.first() {
                    None => resource_names(),
                    Some(t) if !t.contains('/') => object_names(sim, t, &namespace),
                    _ => Vec::new(),
                }
            } else {
                Vec::new()
            }
        }
        [tool, ..] if SHELL_TOOLS.contains(tool) => file_names(files, cwd, word),
        _ => Vec::new(),
    };
    candidates.retain(|c| c.starts_with(word));
    candidates.sort();
    candidates.dedup();
    Completion { start, candidates }
}

/// `TYPE/NAME` candidates.
fn prefixed(ty: &str, names: Vec<String>) -> Vec<String> {
    names.into_iter().map(|n| format!("{ty}/{n}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::Shell;
    use crate::sim::SimConfig;

    fn c(sim: &Sim, line: &str) -> Vec<String> {
        complete(sim, &Files::new(), "/home/learner", line).candidates
    }

    #[test]
    fn completes_commands_verbs_types_names_and_flags() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(
            &mut sim,
            "kubectl create deployment web --image=nginx; kubectl create deployment worker --image=nginx",
        );
        assert_eq!(c(&sim, "kub"), ["kubectl"]);
        assert_eq!(c(&sim, "kubectl ge"), ["get"]);
        assert!(c(&sim, "kubectl get dep").contains(&"deployments".to_string()));
        assert_eq!(c(&sim, "kubectl get deploy w"), ["web", "worker"]);
        assert_eq!(c(&sim, "kubectl describe deploy/we"), ["deploy/web"]);
        assert_eq!(c(&sim, "kubectl rollout status deployment/wo"), ["deployment/worker"]);
        assert!(c(&sim, "kubectl get pods --sh").contains(&"--show-labels".to_string()));
        assert_eq!(c(&sim, "kubectl get pods -n kube-p"), ["kube-public"]);
        assert_eq!(c(&sim, "kubectl cordon node-"), ["node-1", "node-2", "node-3"]);
        assert_eq!(c(&sim, "sandbox node st"), ["start", "stop"]);
        assert_eq!(c(&sim, "kubectl get pods | gr"), ["grep"]);
        let start = complete(&sim, &Files::new(), "/", "kubectl get deploy w").start;
        assert_eq!(start, "kubectl get deploy ".len());
    }

    #[test]
    fn completes_the_terminals_files() {
        let sim = Sim::new(SimConfig::default());
        let files = Files::from([
            ("/home/learner/app/".to_string(), String::new()),
            ("/home/learner/app/web.yaml".to_string(), "x".to_string()),
            ("/home/learner/apply.sh".to_string(), "y".to_string()),
        ]);
        let got = |line: &str| complete(&sim, &files, "/home/learner", line).candidates;
        assert_eq!(got("kubectl apply -f ap"), ["app/", "apply.sh"]);
        assert_eq!(got("cat app/"), ["app/web.yaml"]);
    }
}
