//! "Why this node?" / "Why Pending?": the scheduler's recorded decision for a pod, node by node
//! — each filter's verdict with its reason, each score raw and normalized with its weight, the
//! total, the winner.

use yew::prelude::*;

use super::i18n::{t, use_lang};

use crate::sim::scheduling::{last_record, last_record_at, latest_record, SchedulingRecord};
use crate::sim::store::ObjectKey;
use crate::sim::Sim;

/// One node's row of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub node: String,
    /// The first filter that refused the node, with its reasons.
    pub refused: Option<(String, String)>,
    /// (plugin, raw, normalized, weight)
    pub scores: Vec<(String, i64, i64, i64)>,
    pub total: i64,
    pub winner: bool,
}

/// The decision as the table shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub rows: Vec<Row>,
    pub message: Option<String>,
    pub winner: Option<String>,
}

impl Decision {
    pub fn of(record: &SchedulingRecord) -> Decision {
        let rows = record
            .nodes
            .iter()
            .map(|v| Row {
                node: v.node.clone(),
                refused: v
                    .filters
                    .iter()
                    .find(|(_, reasons)| !reasons.is_empty())
                    .map(|(p, r)| (p.to_string(), r.join(", "))),
                scores: v.scores.iter().map(|(p, raw, n, w)| (p.to_string(), *raw, *n, *w)).collect(),
                total: v.total,
                winner: record.winner.as_deref() == Some(v.node.as_str()),
            })
            .collect();
        Decision { rows, message: record.message.clone(), winner: record.winner.clone() }
    }

    /// The latest decision about `pod`, if the scheduler has made one.
    pub fn latest(sim: &Sim, pod: &ObjectKey) -> Option<Decision> {
        latest_record(sim, pod).map(|r| Decision::of(&r))
    }
}

/// The scheduler's most recent decision if it was made within the last `window` of simulated
/// time: which pod, the winner, and the nodes refused (with the first reason each). The
/// cluster view draws it as it happens.
#[derive(Debug, Clone, PartialEq)]
pub struct RecentDecision {
    pub pod: String,
    pub winner: Option<String>,
    pub refused: Vec<(String, String)>,
    /// The winner's total and the runner-up's, when there was a choice.
    pub scores: Vec<(String, i64)>,
}

pub fn recent(sim: &Sim, window: std::time::Duration) -> Option<RecentDecision> {
    // Put in words only a decision recent enough to be drawn.
    if sim.now().since(last_record_at(sim)?) > window {
        return None;
    }
    let r = last_record(sim)?;
    let d = Decision::of(&r);
    let mut scores: Vec<(String, i64)> =
        d.rows.iter().filter(|row| row.refused.is_none()).map(|row| (row.node.clone(), row.total)).collect();
    scores.sort_by_key(|(_, t)| std::cmp::Reverse(*t));
    Some(RecentDecision {
        pod: r.pod.name.clone(),
        winner: d.winner,
        refused: d.rows.into_iter().filter_map(|row| row.refused.map(|(_, why)| (row.node, why))).collect(),
        scores,
    })
}

#[derive(Properties, PartialEq)]
pub struct DecisionTableProps {
    pub decision: Option<Decision>,
}

#[component]
pub fn DecisionTable(props: &DecisionTableProps) -> Html {
    let lang = use_lang();
    let Some(d) = &props.decision else {
        return html! { <p class="muted">{ t(lang, "The scheduler has made no decision about this pod (it was bound directly, or none is kept).") }</p> };
    };
    let plugins: Vec<String> = d
        .rows
        .iter()
        .find(|r| !r.scores.is_empty())
        .map_or(Vec::new(), |r| r.scores.iter().map(|s| s.0.clone()).collect());
    html! {
        <div class="decision">
            <p class={classes!("verdict", d.winner.is_none().then_some("failed"))}>{
                match (&d.winner, &d.message) {
                    (Some(w), _) => format!("{} {w}: {}", t(lang, "Scheduled to"), t(lang, "the highest total among the nodes that passed every filter.")),
                    (None, Some(m)) => m.clone(),
                    (None, None) => t(lang, "No node could take it.").to_string(),
                }
            }</p>
            <table class="decision-table">
                <thead><tr>
                    <th>{ t(lang, "Node") }</th><th>{ t(lang, "Filters") }</th>
                    { for plugins.iter().map(|p| html! { <th title={p.clone()}>{ short(p) }</th> }) }
                    <th>{ t(lang, "Total") }</th>
                </tr></thead>
                <tbody>
                    { for d.rows.iter().map(|r| html! {
                        <tr class={classes!(r.winner.then_some("winner"), r.refused.is_some().then_some("refused"))}>
                            <td>{ if r.winner { format!("★ {}", r.node) } else { r.node.clone() } }</td>
                            <td>{ match &r.refused {
                                Some((p, why)) => format!("✗ {p}: {why}"),
                                None => format!("✓ {}", t(lang, "all passed")),
                            } }</td>
                            { for plugins.iter().map(|p| {
                                let cell = r.scores.iter().find(|s| &s.0 == p)
                                    .map(|(_, _, n, w)| format!("{n}×{w}")).unwrap_or_default();
                                let title = r.scores.iter().find(|s| &s.0 == p)
                                    .map(|(_, raw, n, w)| format!("{} {raw}, {} {n}, {} {w}", t(lang, "raw"), t(lang, "normalized"), t(lang, "weight"))).unwrap_or_default();
                                html! { <td {title}>{ cell }</td> }
                            }) }
                            <td>{ if r.refused.is_some() { String::new() } else { r.total.to_string() } }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

/// A plugin's initials for a narrow column (`NodeResourcesBalancedAllocation` → `NRBA`).
fn short(plugin: &str) -> String {
    plugin.chars().filter(|c| c.is_ascii_uppercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::Shell;
    use crate::sim::SimConfig;

    #[test]
    fn decision_shows_each_node_with_its_refusal_or_scores() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl run web --image=nginx; sleep 2");
        let key = ObjectKey { kind: "Pod".into(), namespace: "default".into(), name: "web".into() };
        let d = Decision::latest(&sim, &key).expect("a decision");
        assert_eq!(d.rows.len(), 4);
        let cp = d.rows.iter().find(|r| r.node == "control-plane").unwrap();
        assert_eq!(cp.refused.as_ref().map(|r| r.0.as_str()), Some("TaintToleration"));
        assert_eq!(d.rows.iter().filter(|r| r.winner).count(), 1);
        assert!(d.rows.iter().filter(|r| r.refused.is_none()).all(|r| !r.scores.is_empty()));
        assert_eq!(short("NodeResourcesBalancedAllocation"), "NRBA");
        let latest = recent(&sim, std::time::Duration::from_secs(3)).expect("just decided");
        assert_eq!(latest.pod, "web");
        assert_eq!(latest.refused.len(), 1, "the control plane's taint");
        assert_eq!(latest.scores.len(), 3);
        assert_eq!(Some(latest.scores[0].0.clone()), latest.winner);
        sim.advance(std::time::Duration::from_secs(5));
        assert!(recent(&sim, std::time::Duration::from_secs(3)).is_none(), "gone after a while");
    }
}
