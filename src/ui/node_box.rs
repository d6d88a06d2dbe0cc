//! One node drawn as a box: name, role, readiness, taints, requests against allocatable, and
//! its pods.

use yew::prelude::*;

use super::i18n::{t, use_lang};

use super::cluster_view::NodeView;
use super::pod_chip::PodChip;
use crate::sim::store::ObjectKey;

#[derive(Properties, PartialEq)]
pub struct NodeBoxProps {
    pub node: NodeView,
    #[prop_or_default]
    pub selected: Option<ObjectKey>,
    #[prop_or_default]
    pub on_select: Callback<ObjectKey>,
    /// The scheduler's latest verdict on this node: ("winner" | "refused" | "scored", text).
    #[prop_or_default]
    pub verdict: Option<(String, String)>,
}

fn bar(label: &str, fraction: f64, lang: super::i18n::Lang) -> Html {
    let pct = (fraction * 100.0).round();
    html! {
        <div class="bar" title={format!("{label}: {pct}% {}", t(lang, "of allocatable requested"))}>
            <span class="bar-label">{ label }</span>
            <span class="bar-track"><span class="bar-fill" style={format!("width: {pct}%")}></span></span>
            <span class="bar-value">{ format!("{pct}%") }</span>
        </div>
    }
}

/// A taint (`node-role.kubernetes.io/control-plane:NoSchedule`) that may wrap after its `.`, `/`,
/// `:` and `=` in a narrow node rather than in the middle of a word.
fn breakable(text: &str) -> Html {
    html! {
        <>{ for text.split_inclusive(['.', '/', ':', '=', ',']).map(|piece| html! { <>{ piece.to_string() }<wbr /></> }) }</>
    }
}

/// How closely a node draws its pods: whole names for a few, then only each pod's own part of
/// its name, then only a mark (the title still says everything). A narrow node also goes compact
/// (a container query in the style sheet).
pub fn density(pods: usize) -> &'static str {
    match pods {
        0..=8 => "full",
        9..=24 => "compact",
        _ => "dots",
    }
}

/// The node's pod chips, each workload's name before its first one (for a crowded node, whose
/// chips show only each pod's own part of its name).
fn chips(n: &NodeView, props: &NodeBoxProps) -> Vec<Html> {
    let mut out = Vec::with_capacity(n.pods.len() + 4);
    for (i, pod) in n.pods.iter().enumerate() {
        if !pod.group.is_empty() && (i == 0 || n.pods[i - 1].group != pod.group) {
            let key = format!("group:{}", pod.group);
            out.push(html! { <span class="pod-group" {key} title={pod.group.clone()}>{ pod.group.clone() }</span> });
        }
        let key = pod.name.to_string();
        out.push(html! {
            <PodChip {key} selected={props.selected.as_ref() == Some(&pod.key)} on_select={props.on_select.clone()} pod={pod.clone()} />
        });
    }
    out
}

/// A node's box.
#[component]
pub fn NodeBox(props: &NodeBoxProps) -> Html {
    let lang = use_lang();
    let n = &props.node;
    let role = if n.control_plane { t(lang, "control plane") } else { t(lang, "worker") };
    let mut status = if n.ready { "Ready".to_string() } else { "NotReady".to_string() };
    if n.unschedulable {
        status.push_str(",SchedulingDisabled");
    }
    let onclick = {
        let (cb, name) = (props.on_select.clone(), n.name.to_string());
        Callback::from(move |_: MouseEvent| {
            cb.emit(ObjectKey { kind: "Node".into(), namespace: String::new(), name: name.clone() })
        })
    };
    let selected = props.selected.as_ref().is_some_and(|k| k.kind == "Node" && k.name == n.name.as_str());
    html! {
        <article class={classes!("node", n.control_plane.then_some("control-plane"), (!n.ready).then_some("not-ready"),
                                 n.unschedulable.then_some("cordoned"), selected.then_some("selected"),
                                 props.verdict.as_ref().map(|(class, _)| format!("verdict-{class}")))}
                 data-node={n.name.clone()}>
            <header {onclick} class="node-header">
                <span class="node-name">{ n.name.clone() }</span>
                <span class="node-role">{ role }</span>
            </header>
            // Ready,SchedulingDisabled wraps after its comma in a narrow box, never mid-word.
            <div class={classes!("node-status", if n.ready { "ready" } else { "notready" })}>{ breakable(&status) }</div>
            if let Some((class, text)) = &props.verdict {
                <div class={classes!("verdict", class.clone())}>{ text.clone() }</div>
            }
            <dl class="capacity">
                <dt>{ "CPU" }</dt><dd>{ format!("{} {}", n.cpu, t(lang, "cores")) }</dd>
                <dt>{ t(lang, "Memory") }</dt><dd>{ format!("{} GiB", n.memory_gib) }</dd>
                <dt>{ t(lang, "Pods") }</dt><dd>{ format!("{} / {}", n.pod_count, n.max_pods) }</dd>
            </dl>
            { bar("CPU", n.cpu_requested, lang) }
            { bar(t(lang, "Mem"), n.memory_requested, lang) }
            if !n.taints.is_empty() {
                <ul class="taints">{ for n.taints.iter().map(|t| html! { <li title={t.clone()}>{ breakable(t) }</li> }) }</ul>
            }
            <div class="pods" data-density={density(n.pods.len())}>
                { for chips(n, props) }
                if let Some(more) = n.more.as_deref().map(|m| super::cluster_view::more_text(m, lang)) {
                    <span class="pod more" title={more.clone()}>{ more }</span>
                }
            </div>
            if !n.components.is_empty() {
                <ul class="components">
                    { for n.components.iter().map(|(c, up)| html! {
                        <li class={classes!(if *up { "running" } else { "stopped" })}>{ c.clone() }</li>
                    }) }
                </ul>
            }
            if !n.system.is_empty() {
                <details class="system-pods">
                    <summary>{ format!("kube-system · {}", n.system.len()) }</summary>
                    <div class="pods">
                        { for n.system.iter().cloned().map(|pod| { let k = pod.name.to_string(); html! {
                            <PodChip key={k} selected={props.selected.as_ref() == Some(&pod.key)} on_select={props.on_select.clone()} {pod} />
                        } }) }
                    </div>
                </details>
            }
        </article>
    }
}
