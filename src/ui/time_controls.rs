//! The clock and its controls: Run / Pause, step forward, speed, and Reset.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Speeds offered: simulated seconds per real second.
pub const SPEEDS: &[f64] = &[1.0, 5.0, 30.0, 120.0];

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
    #[prop_or_default]
    pub on_add_node: Callback<()>,
}

/// Shows the simulated time and lets the learner start, stop, step and speed it up.
#[component]
pub fn TimeControls(props: &TimeControlsProps) -> Html {
    let (label, cb) = if props.running { ("Pause", props.on_pause.clone()) } else { ("Run", props.on_run.clone()) };
    let onclick = Callback::from(move |_: MouseEvent| cb.emit(()));
    let step = |secs: u64, text: &'static str| {
        let cb = props.on_step.clone();
        html! {
            <button class="step" title={format!("let {secs} simulated seconds pass")}
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
    let (reset, settle, add_node) = (emit(&props.on_reset), emit(&props.on_settle), emit(&props.on_add_node));
    html! {
        <div class="time-controls">
            <button class="run-toggle" {onclick} aria-pressed={props.running.to_string()}>{ label }</button>
            { step(1, "+1s") }{ step(10, "+10s") }{ step(60, "+1m") }
            <button class="settle" onclick={settle} title="let time pass until no pod is starting, stopping or moving">{ "Until settled" }</button>
            <label class="speed">{ "Speed " }
                <select onchange={on_speed} aria-label="clock speed">
                    { for SPEEDS.iter().map(|s| html! {
                        <option value={s.to_string()} selected={(props.speed - s).abs() < f64::EPSILON}>{ format!("{s}×") }</option>
                    }) }
                </select>
            </label>
            <span class="clock" title="simulated time since the cluster started">{ props.clock.clone() }</span>
            <button class="add-node" onclick={add_node} title="sandbox node add: a worker like the others">{ "+ Node" }</button>
            <button class="reset" onclick={reset} title="start again from the empty cluster">{ "Reset" }</button>
        </div>
    }
}
