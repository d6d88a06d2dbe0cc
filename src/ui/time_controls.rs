//! The clock and the Run / Pause button.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TimeControlsProps {
    /// The simulated clock as shown (`00:01:05`).
    pub clock: AttrValue,
    pub running: bool,
    pub on_run: Callback<()>,
    pub on_pause: Callback<()>,
}

/// Shows the simulated time and lets the learner start and stop it.
#[component]
pub fn TimeControls(props: &TimeControlsProps) -> Html {
    let (label, cb) = if props.running { ("Pause", props.on_pause.clone()) } else { ("Run", props.on_run.clone()) };
    let onclick = Callback::from(move |_: MouseEvent| cb.emit(()));
    html! {
        <div class="time-controls">
            <button class="run-toggle" {onclick} aria-pressed={props.running.to_string()}>{ label }</button>
            <span class="clock" title="simulated time since the cluster started">{ props.clock.clone() }</span>
        </div>
    }
}
