//! One node drawn as a box: name, role, readiness and capacity.

use yew::prelude::*;

use super::cluster_view::NodeView;

#[derive(Properties, PartialEq)]
pub struct NodeBoxProps {
    pub node: NodeView,
}

/// A node's box.
#[component]
pub fn NodeBox(props: &NodeBoxProps) -> Html {
    let n = &props.node;
    let role = if n.control_plane { "control plane" } else { "worker" };
    let status = if n.ready { "Ready" } else { "NotReady" };
    html! {
        <article class={classes!("node", n.control_plane.then_some("control-plane"), (!n.ready).then_some("not-ready"))}
                 data-node={n.name.clone()}>
            <header>
                <span class="node-name">{ n.name.clone() }</span>
                <span class="node-role">{ role }</span>
            </header>
            <div class={classes!("node-status", status.to_ascii_lowercase())}>{ status }</div>
            <dl class="capacity">
                <dt>{ "CPU" }</dt><dd>{ format!("{} cores", n.cpu) }</dd>
                <dt>{ "Memory" }</dt><dd>{ format!("{} GiB", n.memory_gib) }</dd>
                <dt>{ "Pods" }</dt><dd>{ format!("{} / {}", n.pods, n.max_pods) }</dd>
            </dl>
        </article>
    }
}
