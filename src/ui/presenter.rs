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
    ("→ / N", "next step"),
    ("← / P", "previous step"),
    ("Space", "run / pause"),
    ("+ / −", "faster / slower"),
    ("K", "kill the selected pod's container"),
    ("M", "selected pod exceeds its memory"),
    ("S", "stop / start the selected node's kubelet"),
    ("C", "cordon / uncordon the selected node"),
    ("Esc", "leave presenter mode"),
];

/// The legend in `lang`.
pub fn legend(lang: Lang) -> Vec<(&'static str, &'static str)> {
    KEYS.iter().map(|(k, what)| (*k, t(lang, what))).collect()
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
        "ArrowRight" | "n" | "N" => Action::Lesson(LessonAction::Goto(lesson_step? + 1)),
        "ArrowLeft" | "p" | "P" => Action::Lesson(LessonAction::Goto(lesson_step?.saturating_sub(1))),
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
        assert_eq!(action_for("ArrowRight", None, &sim, false, None), None, "no lesson, no step");
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
