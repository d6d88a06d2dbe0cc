//! The top-level component: time controls above the cluster view.

use gloo::timers::callback::Interval;
use yew::prelude::*;

use super::cluster_view::{ClusterView, NodeView};
use super::state::{Action, AppState};
use super::time_controls::TimeControls;

/// How often the running clock ticks, in wall-clock milliseconds.
const TICK_MS: u32 = 100;

/// The whole page.
#[component]
pub fn App() -> Html {
    let state = use_reducer(AppState::default);

    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.running, move |&running| {
            let interval =
                running.then(|| Interval::new(TICK_MS, move || dispatcher.dispatch(Action::Tick(TICK_MS.into()))));
            move || drop(interval)
        });
    }
    use_effect_with((), |_| mark_cluster_drawn());

    let sim = state.sim.borrow();
    let nodes = NodeView::all(&sim);
    let on_run = {
        let d = state.dispatcher();
        Callback::from(move |_| d.dispatch(Action::Run))
    };
    let on_pause = {
        let d = state.dispatcher();
        Callback::from(move |_| d.dispatch(Action::Pause))
    };
    html! {
        <div class="app">
            <header class="topbar">
                <h1 class="brand">{ "kube-sandbox" }</h1>
                <TimeControls clock={sim.now().elapsed_clock()} running={state.running} {on_run} {on_pause} />
            </header>
            <main>
                <ClusterView {nodes} />
            </main>
        </div>
    }
}

/// Records when the cluster was first drawn, for the load-time benchmark
/// (`performance.getEntriesByName("cluster-drawn")`).
fn mark_cluster_drawn() {
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark("cluster-drawn");
    }
}
