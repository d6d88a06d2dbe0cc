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

/// How many chips a node or the queue draws one by one; the rest are summed up in one chip.
pub const DRAWN: usize = 60;

/// How many chips to draw per node when the cluster holds `total` pods: fewer in a big
/// cluster, so that thousands of pods stay usable (the rest are summed up).
pub fn drawn_per_node(total: usize) -> usize {
    if total > 1_000 {
        12
    } else {
        DRAWN
    }
}

/// The summary of pods not drawn one by one: `+120 more: 100 Running, 20 Pending`.
pub fn more(pods: &[PodView], drawn: usize) -> Option<String> {
    if pods.len() <= drawn {
        return None;
    }
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for p in &pods[drawn..] {
        *counts.entry(p.status.as_str()).or_default() += 1;
    }
    let mut by: Vec<(&str, usize)> = counts.into_iter().collect();
    by.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let parts: Vec<String> = by.iter().map(|(s, n)| format!("{n} {s}")).collect();
    Some(format!("+{} more: {}", pods.len() - drawn, parts.join(", ")))
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

#[cfg(test)]
mod more_tests {
    use super::*;

    fn pod(i: usize, status: &str) -> PodView {
        PodView {
            key: ObjectKey { kind: "Pod".into(), namespace: "default".into(), name: format!("p{i}") },
            name: format!("p{i}").into(),
            status: status.to_string().into(),
            ready: "0/1".into(),
            restarts: "0".into(),
            group: "g".into(),
        }
    }

    #[test]
    fn pods_past_the_drawn_ones_are_summed_up_by_status() {
        let few: Vec<PodView> = (0..DRAWN).map(|i| pod(i, "Running")).collect();
        assert_eq!(more(&few, DRAWN), None);
        let mut many = few;
        many.extend((0..5).map(|i| pod(100 + i, "Pending")));
        many.extend((0..2).map(|i| pod(200 + i, "Running")));
        assert_eq!(more(&many, DRAWN).as_deref(), Some("+7 more: 5 Pending, 2 Running"));
        assert_eq!(drawn_per_node(5_000), 12);
    }
}
