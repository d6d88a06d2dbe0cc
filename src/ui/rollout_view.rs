//! Rollouts as they happen: for each Deployment with more than one ReplicaSet holding pods,
//! the old and the new side by side — image, pods ready of wanted — so a rolling update (and a
//! stalled one) can be watched.

use yew::prelude::*;

use super::i18n::{t, use_lang};
use crate::sim::api::Object;
use crate::sim::store::ObjectKey;
use crate::sim::Sim;

/// One ReplicaSet of a rollout.
#[derive(Debug, Clone, PartialEq)]
pub struct SetView {
    pub key: ObjectKey,
    pub image: String,
    pub ready: i64,
    pub wanted: i64,
    /// Whether it is the Deployment's current template.
    pub new: bool,
}

/// A Deployment mid-rollout.
#[derive(Debug, Clone, PartialEq)]
pub struct RolloutView {
    pub deployment: String,
    pub sets: Vec<SetView>,
}

fn int(o: &Object, path: &str) -> i64 {
    o.field(path).and_then(serde_json::Value::as_i64).unwrap_or(0)
}

/// The Deployments whose pods are spread over more than one ReplicaSet, oldest set first.
pub fn rollouts(sim: &Sim) -> Vec<RolloutView> {
    let mut out = Vec::new();
    for d in sim.store().list("Deployment", None) {
        let revision =
            d.metadata.annotations.as_ref().and_then(|a| a.get("deployment.kubernetes.io/revision")).cloned();
        let mut sets: Vec<(i64, SetView)> = sim
            .store()
            .list("ReplicaSet", d.namespace())
            .filter(|rs| rs.metadata.owner_references.iter().flatten().any(|o| o.uid == d.uid()))
            .filter(|rs| int(rs, "spec.replicas") > 0 || int(rs, "status.replicas") > 0)
            .map(|rs| {
                let rev =
                    rs.metadata.annotations.as_ref().and_then(|a| a.get("deployment.kubernetes.io/revision")).cloned();
                let image = rs
                    .field("spec.template.spec.containers")
                    .and_then(|c| c[0]["image"].as_str())
                    .unwrap_or("")
                    .to_string();
                let view = SetView {
                    key: ObjectKey::of(rs),
                    image,
                    ready: int(rs, "status.readyReplicas"),
                    wanted: int(rs, "spec.replicas"),
                    new: rev.is_some() && rev == revision,
                };
                (rev.and_then(|r| r.parse().ok()).unwrap_or(0), view)
            })
            .collect();
        if sets.len() < 2 {
            continue;
        }
        sets.sort_by_key(|(rev, _)| *rev);
        out.push(RolloutView { deployment: d.name().to_string(), sets: sets.into_iter().map(|(_, s)| s).collect() });
    }
    out
}

#[derive(Properties, PartialEq)]
pub struct RolloutStripProps {
    pub rollouts: Vec<RolloutView>,
    #[prop_or_default]
    pub on_select: Callback<ObjectKey>,
}

#[component]
pub fn RolloutStrip(props: &RolloutStripProps) -> Html {
    let lang = use_lang();
    html! {
        <div class="rollouts" aria-label={t(lang, "Rollouts")}>
            { for props.rollouts.iter().map(|r| html! {
                <div class="rollout">
                    <span class="rollout-name">{ format!("{} {}", t(lang, "Rollout of"), r.deployment) }</span>
                    { for r.sets.iter().map(|s| {
                        let (cb, key) = (props.on_select.clone(), s.key.clone());
                        html! {
                            <button class={classes!("rs", if s.new { "new" } else { "old" })}
                                    onclick={Callback::from(move |_| cb.emit(key.clone()))}>
                                <b>{ if s.new { t(lang, "new") } else { t(lang, "old") } }</b>
                                { format!(" {} · {} · {}/{} {}", s.key.name, s.image, s.ready, s.wanted, t(lang, "ready")) }
                            </button>
                        }
                    }) }
                </div>
            }) }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::Shell;
    use crate::sim::SimConfig;

    #[test]
    fn a_rollout_to_a_bad_image_shows_old_and_new_sets_side_by_side() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl create deployment web --image=nginx:1.27 --replicas=3; sleep 20");
        assert!(rollouts(&sim).is_empty(), "one ReplicaSet: no rollout");
        Shell.run_line(&mut sim, "kubectl set image deployment/web nginx=nginx:1.99; sleep 30");
        let r = rollouts(&sim);
        assert_eq!(r.len(), 1);
        let (old, new) = (&r[0].sets[0], &r[0].sets[1]);
        assert_eq!((old.image.as_str(), old.new, old.ready), ("nginx:1.27", false, 3));
        assert_eq!((new.image.as_str(), new.new, new.ready), ("nginx:1.99", true, 0));
    }
}
