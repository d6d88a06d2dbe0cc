//! One pod drawn as a chip: its name, status (by colour, symbol and text), readiness and
//! restarts. Clicking it selects it.

use yew::prelude::*;

use super::i18n::t;
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
    /// Bound to its node in the last two simulated seconds: its chip moves there from the queue.
    pub just_scheduled: bool,
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

/// Pods as the page draws them: the first `drawn` (by workload, then name) as chips, and the
/// rest summed up by phase, `+120 more: 100 Running, 20 Pending` — cheap for thousands of pods,
/// since only the drawn ones get kubectl's full status.
pub fn views(pods: Vec<&Object>, now: SimTime, drawn: usize) -> (Vec<PodView>, Option<String>) {
    fn group(p: &Object) -> &str {
        p.metadata.owner_references.as_ref().and_then(|o| o.first()).map_or("", |o| o.name.as_str())
    }
    let mut keyed: Vec<(&str, &Object)> = pods.into_iter().map(|p| (group(p), p)).collect();
    keyed.sort_by(|a, b| (a.0, a.1.name()).cmp(&(b.0, b.1.name())));
    let shown = keyed.iter().take(drawn).map(|(_, p)| PodView::of(p, now)).collect();
    if keyed.len() <= drawn {
        return (shown, None);
    }
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for (_, p) in &keyed[drawn..] {
        let phase = if p.metadata.deletion_timestamp.is_some() {
            "Terminating"
        } else {
            p.field("status.phase").and_then(|v| v.as_str()).unwrap_or("Pending")
        };
        *counts.entry(phase).or_default() += 1;
    }
    let mut by: Vec<(&str, usize)> = counts.into_iter().collect();
    by.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let parts: Vec<String> = by.iter().map(|(s, n)| format!("{n} {s}")).collect();
    (shown, Some(format!("+{} more: {}", keyed.len() - drawn, parts.join(", "))))
}

impl PodView {
    pub fn of(pod: &Object, now: SimTime) -> PodView {
        let (ready, status, restarts) = pod_status::columns(pod, now);
        let group =
            pod.metadata.owner_references.as_ref().and_then(|o| o.first()).map(|o| o.name.clone()).unwrap_or_default();
        let scheduled_at = pod.field("status.conditions").and_then(|c| c.as_array()).and_then(|cs| {
            let c = cs.iter().find(|c| c["type"] == "PodScheduled" && c["status"] == "True")?;
            crate::sim::time::parse_time(c["lastTransitionTime"].as_str()?)
        });
        PodView {
            key: ObjectKey::of(pod),
            name: pod.name().to_string().into(),
            status: status.into(),
            ready: ready.into(),
            restarts: restarts.into(),
            group: group.into(),
            just_scheduled: scheduled_at.is_some_and(|t| now.since(t) <= std::time::Duration::from_secs(2)),
        }
    }

    /// How many times its containers restarted (kubectl's RESTARTS, without the "(5s ago)").
    pub fn restart_count(&self) -> u32 {
        self.restarts.split_whitespace().next().and_then(|n| n.parse().ok()).unwrap_or(0)
    }

    /// Its name split after its workload's name (`web-7d9f8b6c5d-` and `x2kqp`), so a small chip
    /// can show only what tells the pods of one workload apart. A pod of no workload is all suffix.
    pub fn name_parts(&self) -> (String, String) {
        let name = self.name.as_str();
        match name.strip_prefix(self.group.as_str()).filter(|rest| !self.group.is_empty() && rest.len() > 1) {
            Some(rest) if rest.starts_with('-') => (format!("{}-", self.group), rest[1..].to_string()),
            _ => (String::new(), name.to_string()),
        }
    }

    /// The status family, for colour and symbol: every state has a text cue besides colour.
    pub fn family(&self) -> (&'static str, &'static str) {
        match self.status.as_str() {
            "Running" if self.ready.split_once('/').is_some_and(|(a, b)| a == b) => ("running", "●"),
            "Running" => ("starting", "◐"),
            "Completed" | "Succeeded" => ("done", "✓"),
            "Terminating" => ("terminating", "✕"),
            "Evicted" => ("evicted", "⊘"),
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
    /// Drawn in the pending queue (its place is noted, for the move to a node).
    #[prop_or_default]
    pub queued: bool,
}

#[component]
pub fn PodChip(props: &PodChipProps) -> Html {
    let p = &props.pod;
    let chip = use_node_ref();
    {
        let (chip, name, queued) = (chip.clone(), p.name.to_string(), props.queued);
        use_effect(move || {
            if let (true, Some(el)) = (queued, chip.cast::<web_sys::HtmlElement>()) {
                super::pod_motion::note_queued(&name, &el);
            }
        });
    }
    {
        let (chip, name, moving) = (chip.clone(), p.name.to_string(), !props.queued && p.just_scheduled);
        use_effect_with((), move |_| {
            if let (true, Some(el)) = (moving, chip.cast::<web_sys::HtmlElement>()) {
                super::pod_motion::arrive(&name, &el);
            }
        });
    }
    let (family, symbol) = p.family();
    let onclick = {
        let (cb, key) = (props.on_select.clone(), p.key.clone());
        Callback::from(move |_: MouseEvent| cb.emit(key.clone()))
    };
    let style = if p.group.is_empty() { String::new() } else { format!("--group-hue: {}", hue(&p.group)) };
    let lang = super::i18n::use_lang();
    let title =
        format!("{} — {} ({} {}, {} {})", p.name, p.status, p.ready, t(lang, "ready"), p.restarts, t(lang, "restarts"));
    let restarts = p.restart_count();
    let (prefix, suffix) = p.name_parts();
    html! {
        <button ref={chip} class={classes!("pod", family, props.selected.then_some("selected"), (!p.group.is_empty()).then_some("grouped"),
                                           (restarts > 0).then_some("restarted"))}
                data-pod={p.name.clone()} data-status={p.status.clone()} data-restarts={restarts.to_string()} {style} {title} {onclick}>
            <span class="pod-symbol" aria-hidden="true">{ symbol }</span>
            // In a crowded or narrow node only the part after the workload's name shows; the
            // workload is the chip's colour (and its title says the whole name).
            <span class="pod-name"><span class="pod-prefix">{ prefix }</span><span class="pod-suffix">{ suffix }</span></span>
            <span class="pod-status">{ p.status.clone() }</span>
            if restarts > 0 {
                // Keyed by the count: a new restart makes a new badge, whose animation is the
                // chip's flash.
                <span class="restart-badge" key={restarts.to_string()} aria-label={format!("{restarts} {}", t(lang, "restarts"))}>{ format!("↻{restarts}") }</span>
            }
        </button>
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;
    use crate::shell::Shell;
    use crate::sim::{Sim, SimConfig};

    #[test]
    fn pods_past_the_drawn_ones_are_summed_up_by_phase() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl create deployment web --image=nginx:1.27 --replicas=8; sleep 30");
        Shell.run_line(&mut sim, "kubectl create deployment big --image=nginx:1.27 --replicas=2; kubectl set resources deploy big --requests=cpu=64; sleep 5");
        let pods: Vec<&Object> = sim.store().list("Pod", Some("default")).collect();
        let (shown, more) = views(pods.clone(), sim.now(), 20);
        assert_eq!((shown.len(), more), (10, None));
        let (shown, more) = views(pods, sim.now(), 4);
        assert_eq!(shown.len(), 4);
        assert!(shown[0].group.as_str().starts_with("big-"), "by workload, then name");
        assert_eq!(more.as_deref(), Some("+6 more: 6 Running"));
        assert_eq!(drawn_per_node(5_000), 12);
    }

    #[test]
    fn a_pod_bound_while_the_clock_runs_is_just_scheduled_for_two_seconds() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "sleep 30; kubectl create deployment web --image=nginx:1.27");
        sim.advance(std::time::Duration::from_secs(1));
        let pod = sim.store().list("Pod", Some("default")).next().expect("created and bound").clone();
        assert!(PodView::of(&pod, sim.now()).just_scheduled, "its chip slides from the queue");
        sim.advance(std::time::Duration::from_secs(3));
        assert!(!PodView::of(&pod, sim.now()).just_scheduled);
    }

    #[test]
    fn a_chip_names_a_pod_after_its_workload_and_counts_its_restarts() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(
            &mut sim,
            "kubectl create deployment web --image=nginx:1.27; kubectl run solo --image=nginx:1.27; sleep 10",
        );
        let pods: Vec<PodView> = sim.store().list("Pod", None).map(|p| PodView::of(p, sim.now())).collect();
        let web = pods.iter().find(|p| p.name.starts_with("web-")).unwrap();
        let (prefix, suffix) = web.name_parts();
        assert_eq!(format!("{prefix}{suffix}"), web.name.as_str());
        assert_eq!(prefix, format!("{}-", web.group), "the ReplicaSet's name, then the pod's own part");
        assert_eq!(suffix.len(), 5);
        let solo = pods.iter().find(|p| p.name == "solo").unwrap();
        assert_eq!(solo.name_parts(), (String::new(), "solo".to_string()));
        assert_eq!(web.restart_count(), 0);
        Shell.run_line(&mut sim, &format!("sandbox kill {}; sleep 5", web.name));
        let again = PodView::of(sim.store().get("Pod", Some("default"), &web.name).unwrap(), sim.now());
        assert_eq!(again.restart_count(), 1, "RESTARTS {}", again.restarts);
    }
}
