//! One pod drawn as a chip: its name, status (by colour, symbol and text), readiness and
//! restarts. Clicking it selects it.

use yew::prelude::*;

use crate::shell::kubectl::pod_status;
use crate::sim::api::Object;
use crate::sim::store::ObjectKey;
use crate::sim::time::SimTime;

/// What the page shows of one pod.
#[derive(Debug, Clone, PartialEq)]
pub struct PodView {
    pub key: ObjectKey,
    pub name: AttrValue,
    /// kubectl's STATUS column (`Running`, `CrashLoopBackOff`, `Init:0/1`…).
    pub status: AttrValue,
    /// kubectl's READY column (`1/1`).
    pub ready: AttrValue,
    pub restarts: AttrValue,
    /// Its owner's name (ReplicaSet, Job…), to group and colour pods of one workload.
    pub group: AttrValue,
}

impl PodView {
    pub fn of(pod: &Object, now: SimTime) -> PodView {
        let (ready, status, restarts) = pod_status::columns(pod, now);
        let group =
            pod.metadata.owner_references.as_ref().and_then(|o| o.first()).map(|o| o.name.clone()).unwrap_or_default();
        PodView {
            key: ObjectKey::of(pod),
            name: pod.name().to_string().into(),
            status: status.into(),
            ready: ready.into(),
            restarts: restarts.into(),
            group: group.into(),
        }
    }

    /// The status family, for colour and symbol: every state has a text cue besides colour.
    pub fn family(&self) -> (&'static str, &'static str) {
        match self.status.as_str() {
            "Running" if self.ready.split_once('/').is_some_and(|(a, b)| a == b) => ("running", "●"),
            "Running" => ("starting", "◐"),
            "Completed" | "Succeeded" => ("done", "✓"),
            "Terminating" => ("terminating", "✕"),
            s if s.contains("Err")
                || s.contains("BackOff")
                || s.contains("Error")
                || s == "Failed"
                || s == "OOMKilled"
                || s == "Evicted" =>
            {
                ("failing", "▲")
            }
            _ => ("pending", "◌"),
        }
    }
}

/// A stable hue for a workload, so its pods share a colour.
fn hue(group: &str) -> u32 {
    group.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))) % 360
}

#[derive(Properties, PartialEq)]
pub struct PodChipProps {
    pub pod: PodView,
    #[prop_or_default]
    pub selected: bool,
    #[prop_or_default]
    pub on_select: Callback<ObjectKey>,
}

#[component]
pub fn PodChip(props: &PodChipProps) -> Html {
    let p = &props.pod;
    let (family, symbol) = p.family();
    let onclick = {
        let (cb, key) = (props.on_select.clone(), p.key.clone());
        Callback::from(move |_: MouseEvent| cb.emit(key.clone()))
    };
    let style = if p.group.is_empty() { String::new() } else { format!("--group-hue: {}", hue(&p.group)) };
    let title = format!("{} — {} ({} ready, {} restarts)", p.name, p.status, p.ready, p.restarts);
    html! {
        <button class={classes!("pod", family, props.selected.then_some("selected"), (!p.group.is_empty()).then_some("grouped"))}
                data-pod={p.name.clone()} data-status={p.status.clone()} {style} {title} {onclick}>
            <span class="pod-symbol" aria-hidden="true">{ symbol }</span>
            <span class="pod-name">{ p.name.clone() }</span>
            <span class="pod-status">{ p.status.clone() }</span>
        </button>
    }
}
