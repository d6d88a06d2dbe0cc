//! Presenter mode for classrooms: large type, the cluster and one other panel, a halo around
//! the pointer, and keys for what a teacher does in front of a class — step through the
//! lesson, pause, change speed, and break things.

use super::i18n::{t, Lang};
use super::state::{Action, LessonAction};
use super::time_controls::SPEEDS;
use crate::sim::store::ObjectKey;
use crate::sim::Sim;

/// The keys, as the legend shows them: (keys, what they do).
pub const KEYS: &[(&str, &str)] = &[
    ("→ / N", "next step (of the lesson, or of the script in the editor)"),
    ("← / P", "previous step"),
    ("Space", "run / pause"),
    ("+ / −", "faster / slower"),
    ("K", "kill the selected pod's container"),
    ("M", "selected pod exceeds its memory"),
    ("S", "stop / start the selected node's kubelet"),
    ("C", "cordon / uncordon the selected node"),
    ("?", "show / hide this legend"),
    ("Esc", "leave presenter mode"),
];

/// The legend in `lang`.
pub fn legend(lang: Lang) -> Vec<(&'static str, &'static str)> {
    KEYS.iter().map(|(k, what)| (*k, t(lang, what))).collect()
}

/// The commands of a scripted scenario: the editor's open file, when it is a script (a `#!`
/// line, or lines that start with `kubectl`, `sandbox`, `docker` or `sleep`), without blank
/// lines and comments. A YAML manifest is no script.
pub fn script_lines(text: &str) -> Vec<String> {
    let is_command = |l: &str| ["kubectl ", "sandbox ", "docker ", "sleep ", "curl "].iter().any(|c| l.starts_with(c));
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    if !(text.starts_with("#!") || lines.iter().any(|l| is_command(l))) {
        return Vec::new();
    }
    lines.into_iter().filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect()
}

/// What a key does, given what is selected, the lesson's step and the clock.
pub fn action_for(
    key: &str,
    selected: Option<&ObjectKey>,
    sim: &Sim,
    running: bool,
    lesson_step: Option<usize>,
) -> Option<Action> {
    let ns = |k: &ObjectKey| if k.namespace.is_empty() { String::new() } else { format!(" -n {}", k.namespace) };
    let pod = selected.filter(|k| k.kind == "Pod");
    let node = selected.filter(|k| k.kind == "Node");
    let speed_index = SPEEDS.iter().position(|s| (s - sim.speed).abs() < f64::EPSILON).unwrap_or(0);
    Some(match key {
        // Through the lesson, or else through the script in the editor (see `script_lines`).
        "ArrowRight" | "n" | "N" => match lesson_step {
            Some(step) => Action::Lesson(LessonAction::Goto(step + 1)),
            None => Action::ScriptStep(true),
        },
        "ArrowLeft" | "p" | "P" => match lesson_step {
            Some(step) => Action::Lesson(LessonAction::Goto(step.saturating_sub(1))),
            None => Action::ScriptStep(false),
        },
        " " => {
            if running {
                Action::Pause
            } else {
                Action::Run
            }
        }
        "+" | "=" => Action::SetSpeed(SPEEDS[(speed_index + 1).min(SPEEDS.len() - 1)]),
        "-" | "_" => Action::SetSpeed(SPEEDS[speed_index.saturating_sub(1)]),
        "k" | "K" => pod.map(|k| Action::RunLine(format!("sandbox kill {}{}", k.name, ns(k))))?,
        "m" | "M" => pod.map(|k| Action::RunLine(format!("sandbox oom {}{}", k.name, ns(k))))?,
        "s" | "S" => node.map(|k| {
            let verb = if sim.kubelet_running(&k.name) { "stop" } else { "start" };
            Action::RunLine(format!("sandbox node {verb} {}", k.name))
        })?,
        "c" | "C" => node.map(|k| {
            let cordoned = sim
                .store()
                .get("Node", None, &k.name)
                .and_then(|n| n.field("spec.unschedulable"))
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            let verb = if cordoned { "uncordon" } else { "cordon" };
            Action::RunLine(format!("kubectl {verb} {}", k.name))
        })?,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimConfig;

    #[test]
    fn keys_step_the_lesson_and_break_what_is_selected() {
        let sim = Sim::new(SimConfig::default());
        let node = ObjectKey { kind: "Node".into(), namespace: String::new(), name: "node-1".into() };
        let pod = ObjectKey { kind: "Pod".into(), namespace: "default".into(), name: "web".into() };
        assert_eq!(action_for("ArrowRight", None, &sim, false, Some(1)), Some(Action::Lesson(LessonAction::Goto(2))));
        assert_eq!(
            action_for("ArrowRight", None, &sim, false, None),
            Some(Action::ScriptStep(true)),
            "no lesson: the script"
        );
        assert_eq!(action_for(" ", None, &sim, true, None), Some(Action::Pause));
        assert_eq!(action_for("+", None, &sim, false, None), Some(Action::SetSpeed(5.0)));
        assert_eq!(action_for("-", None, &sim, false, None), Some(Action::SetSpeed(1.0)));
        assert_eq!(
            action_for("s", Some(&node), &sim, false, None),
            Some(Action::RunLine("sandbox node stop node-1".into()))
        );
        assert_eq!(
            action_for("k", Some(&pod), &sim, false, None),
            Some(Action::RunLine("sandbox kill web -n default".into()))
        );
        assert_eq!(action_for("k", Some(&node), &sim, false, None), None, "a node has no container to kill");
        assert_eq!(
            action_for("c", Some(&node), &sim, false, None),
            Some(Action::RunLine("kubectl cordon node-1".into()))
        );
    }
}

#[cfg(test)]
mod script_tests {
    use super::script_lines;

    #[test]
    fn a_script_is_its_commands_and_a_manifest_is_no_script() {
        let script = "#!/bin/sh\n# set up\nkubectl create deployment web --image=nginx\n\nsleep 10\n";
        assert_eq!(script_lines(script), ["kubectl create deployment web --image=nginx", "sleep 10"]);
        assert!(script_lines("apiVersion: v1\nkind: ConfigMap\n").is_empty());
    }
}
