//! The clock and its controls: Run / Pause, step forward, speed, a node of a chosen size, and
//! Reset.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::i18n::{t, use_lang};

/// Speeds offered: simulated seconds per real second.
pub const SPEEDS: &[f64] = &[1.0, 5.0, 30.0, 120.0];

/// Node sizes offered by "+ Node": label, CPU cores, memory. The middle one is the size of the
/// workers the cluster starts with (`ClusterShape::with_workers`), and is chosen at first.
pub const NODE_SIZES: &[(&str, u32, &str)] =
    &[("2 CPU / 4Gi", 2, "4Gi"), ("4 CPU / 8Gi", 4, "8Gi"), ("8 CPU / 16Gi", 8, "16Gi")];

/// The size chosen until the learner picks another.
pub const DEFAULT_NODE_SIZE: usize = 1;

/// The terminal command that adds a node of size `NODE_SIZES[size]`: the button runs what a
/// learner could type.
pub fn add_node_command(size: usize) -> String {
    let (_, cpu, memory) = NODE_SIZES[size.min(NODE_SIZES.len() - 1)];
    format!("sandbox node add --cpu {cpu} --memory {memory}")
}

#[derive(Properties, PartialEq)]
pub struct TimeControlsProps {
    /// The simulated clock as shown (`00:01:05`).
    pub clock: AttrValue,
    pub running: bool,
    pub on_run: Callback<()>,
    pub on_pause: Callback<()>,
    #[prop_or_default]
    pub speed: f64,
    #[prop_or_default]
    pub on_speed: Callback<f64>,
    #[prop_or_default]
    pub on_step: Callback<u64>,
    #[prop_or_default]
    pub on_reset: Callback<()>,
    #[prop_or_default]
    pub on_settle: Callback<()>,
    /// Runs a command in the terminal ("+ Node" runs `sandbox node add …`).
    #[prop_or_default]
    pub on_command: Callback<String>,
}

/// Shows the simulated time and lets the learner start, stop, step and speed it up.
#[component]
pub fn TimeControls(props: &TimeControlsProps) -> Html {
    let lang = use_lang();
    let (label, cb) =
        if props.running { (t(lang, "Pause"), props.on_pause.clone()) } else { (t(lang, "Run"), props.on_run.clone()) };
    let onclick = Callback::from(move |_: MouseEvent| cb.emit(()));
    let step = |secs: u64, text: &'static str| {
        let cb = props.on_step.clone();
        html! {
            <button class="step" title={format!("{secs} {}", t(lang, "simulated seconds pass"))}
                    onclick={Callback::from(move |_| cb.emit(secs))}>{ text }</button>
        }
    };
    let on_speed = {
        let cb = props.on_speed.clone();
        Callback::from(move |e: Event| {
            if let Some(sel) = e.target_dyn_into::<HtmlSelectElement>() {
                if let Ok(x) = sel.value().parse::<f64>() {
                    cb.emit(x);
                }
            }
        })
    };
    let emit = |cb: &Callback<()>| {
        let cb = cb.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let (reset, settle) = (emit(&props.on_reset), emit(&props.on_settle));
    let node_size = use_state(|| DEFAULT_NODE_SIZE);
    let on_node_size = {
        let node_size = node_size.clone();
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<HtmlSelectElement>().and_then(|s| s.value().parse().ok()) {
                node_size.set(i);
            }
        })
    };
    let add_command = add_node_command(*node_size);
    let add_node = {
        let (cb, line) = (props.on_command.clone(), add_command.clone());
        Callback::from(move |_: MouseEvent| cb.emit(line.clone()))
    };
    html! {
        <div class="time-controls">
          <div class="group clock-group" role="group" aria-label={t(lang, "Clock")}>
            <button class="run-toggle" {onclick} aria-pressed={props.running.to_string()}>{ label }</button>
            { step(1, "+1s") }{ step(10, "+10s") }{ step(60, "+1m") }
            <button class="settle" onclick={settle} title={t(lang, "let time pass until no pod is starting, stopping or moving")}>{ t(lang, "Until settled") }</button>
            <label class="speed">{ t(lang, "Speed") }{ " " }
                <select onchange={on_speed} aria-label={t(lang, "clock speed")}>
                    { for SPEEDS.iter().map(|s| html! {
                        <option value={s.to_string()} selected={(props.speed - s).abs() < f64::EPSILON}>{ format!("{s}×") }</option>
                    }) }
                </select>
            </label>
            <span class="clock" title={t(lang, "simulated time since the cluster started")}>{ props.clock.clone() }</span>
          </div>
          <div class="group cluster-group" role="group" aria-label={t(lang, "Cluster")}>
            <span class="add-node-group">
                <button class="add-node" onclick={add_node} title={add_command}>{ t(lang, "+ Node") }</button>
                <select class="node-size" onchange={on_node_size} aria-label={t(lang, "size of the node to add")}>
                    { for NODE_SIZES.iter().enumerate().map(|(i, (label, _, _))| html! {
                        <option value={i.to_string()} selected={i == *node_size}>{ *label }</option>
                    }) }
                </select>
            </span>
            <button class="reset" onclick={reset} title={t(lang, "start again from the empty cluster")}>{ t(lang, "Reset") }</button>
          </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn each_offered_size_adds_a_node_of_that_size_and_the_default_matches_the_cluster() {
        let mut sim = Sim::new(SimConfig::default());
        let first_worker = sim.store().get("Node", None, "node-1").unwrap().clone();
        for (i, (_, cpu, memory)) in NODE_SIZES.iter().enumerate() {
            let out = Shell.run_line(&mut sim, &add_node_command(i));
            assert_eq!(out.stdout, format!("node/node-{} added\n", 4 + i), "{}", out.stderr);
            let node = sim.store().get("Node", None, &format!("node-{}", 4 + i)).unwrap();
            assert_eq!(node.field("status.capacity.cpu"), Some(&serde_json::json!(cpu.to_string())));
            let gib: u64 = memory.trim_end_matches("Gi").parse().unwrap();
            assert_eq!(node.field("status.capacity.memory"), Some(&serde_json::json!(format!("{}Ki", gib << 20))));
            if i == DEFAULT_NODE_SIZE {
                assert_eq!(node.field("status.capacity"), first_worker.field("status.capacity"));
            }
        }
    }
}
