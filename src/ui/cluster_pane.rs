//! The cluster as the page draws it: the nodes with their pods, the queue of pods waiting for a
//! node, rollouts in progress and the scheduler's latest decision, read from the sim.

use std::time::Duration;
use yew::prelude::*;

use super::cluster_view::{pending_pods, ClusterView, NodeView};
use super::state::{send, Action, PageProps};

/// How long (simulated) the latest scheduling decision stays drawn on the nodes.
const DECISION_SHOWN: Duration = Duration::from_secs(3);

#[component]
pub fn ClusterPane(props: &PageProps) -> Html {
    let page = &props.page;
    let (nodes, pending, rollouts, decision) = {
        let sim = page.sim.borrow();
        let sim = &*sim;
        (
            NodeView::all(sim),
            pending_pods(sim),
            super::rollout_view::rollouts(sim),
            super::decision_table::recent(sim, DECISION_SHOWN),
        )
    };
    html! {
        <ClusterView {nodes} {pending} {rollouts} {decision} selected={page.selected.clone()}
                     on_select={send(page, |k| Action::Select(Some(k)))} />
    }
}
