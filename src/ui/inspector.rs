//! The inspector: the selected object as `kubectl describe` shows it, or its YAML.

use yew::prelude::*;

use super::i18n::{t, use_lang, Lang};

use super::decision_table::{Decision, DecisionTable};
use super::panels::{toggle_button, Panel};
use crate::shell::Shell;
use crate::sim::api::discovery;
use crate::sim::store::ObjectKey;
use crate::sim::Sim;

/// The kubectl command that shows `key` (`describe` or `get -o yaml`).
fn command(key: &ObjectKey, verb: &str) -> String {
    let ty = discovery::preferred_for_kind(&key.kind).map_or(key.kind.to_ascii_lowercase(), |r| r.plural.to_string());
    let ns = if key.namespace.is_empty() { String::new() } else { format!(" -n {}", key.namespace) };
    match verb {
        "yaml" => format!("kubectl get {ty} {}{ns} -o yaml", key.name),
        _ => format!("kubectl describe {ty} {}{ns}", key.name),
    }
}

/// The object's owners, nearest first (pod → ReplicaSet → Deployment), and what it owns.
pub fn related(sim: &Sim, key: &ObjectKey) -> (Vec<ObjectKey>, Vec<ObjectKey>) {
    let mut owners = Vec::new();
    let mut current = sim.store().get_key(key).cloned();
    while let Some(obj) = current.take() {
        let owner = obj
            .metadata
            .owner_references
            .iter()
            .flatten()
            .find(|r| r.controller == Some(true))
            .and_then(|r| sim.store().find_by_uid(&r.uid));
        if let Some(o) = owner {
            if owners.contains(&o) || owners.len() > 8 {
                break;
            }
            current = sim.store().get_key(&o).cloned();
            owners.push(o);
        }
    }
    let mut children = sim.store().get_key(key).map(|o| sim.store().dependents_of(o.uid())).unwrap_or_default();
    children.retain(|c| c.kind != "Event");
    children.sort_by(|a, b| (&a.kind, &a.name).cmp(&(&b.kind, &b.name)));
    (owners, children)
}

/// What the inspector shows for `key` in `view` ("describe" or "yaml").
pub fn render_text(sim: &mut Sim, key: &ObjectKey, view: &str) -> String {
    let out = Shell.run_line(sim, &command(key, view));
    format!("{}{}", out.stdout, out.stderr)
}

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub selected: Option<ObjectKey>,
    /// The text to show, computed by the parent from the sim.
    pub describe: AttrValue,
    pub yaml: AttrValue,
    /// For a pod: the scheduler's latest decision about it.
    #[prop_or_default]
    pub decision: Option<Decision>,
    pub on_close: Callback<()>,
    /// Runs a command in the terminal (the buttons do what the learner could type).
    #[prop_or_default]
    pub on_command: Callback<String>,
    /// Its owners (nearest first) and what it owns.
    #[prop_or_default]
    pub owners: Vec<ObjectKey>,
    #[prop_or_default]
    pub children: Vec<ObjectKey>,
    #[prop_or_default]
    pub on_select: Callback<ObjectKey>,
    /// Shown as its header only.
    #[prop_or_default]
    pub collapsed: bool,
    #[prop_or_default]
    pub on_toggle: Callback<Panel>,
}

/// The buttons offered for an object: label and the command it runs.
pub fn actions(key: &ObjectKey, lang: Lang) -> Vec<(&'static str, String)> {
    let ns = if key.namespace.is_empty() { String::new() } else { format!(" -n {}", key.namespace) };
    let n = &key.name;
    match key.kind.as_str() {
        "Pod" => vec![
            (t(lang, "Logs"), format!("kubectl logs {n}{ns} --all-containers --tail=20")),
            (t(lang, "Kill container"), format!("sandbox kill {n}{ns}")),
            (t(lang, "Exceed memory"), format!("sandbox oom {n}{ns}")),
            (t(lang, "Delete"), format!("kubectl delete pod {n}{ns} --wait=false")),
        ],
        "Deployment" => vec![
            (t(lang, "Scale +1"), format!("kubectl scale deployment {n}{ns} --replicas=$(( $(kubectl get deployment {n}{ns} -o jsonpath='{{.spec.replicas}}') + 1 ))")),
            (t(lang, "Restart"), format!("kubectl rollout restart deployment/{n}{ns}")),
            (t(lang, "Undo rollout"), format!("kubectl rollout undo deployment/{n}{ns}")),
            (t(lang, "History"), format!("kubectl rollout history deployment/{n}{ns}")),
        ],
        "Node" => vec![
            (t(lang, "Stop kubelet"), format!("sandbox node stop {n}")),
            (t(lang, "Start kubelet"), format!("sandbox node start {n}")),
            (t(lang, "Cordon"), format!("kubectl cordon {n}")),
            (t(lang, "Uncordon"), format!("kubectl uncordon {n}")),
            (t(lang, "Drain"), format!("kubectl drain {n} --ignore-daemonsets --delete-emptydir-data --force")),
            (t(lang, "Remove node"), format!("sandbox node remove {n}")),
        ],
        _ => Vec::new(),
    }
}

/// A button that selects `key`.
fn link(key: &ObjectKey, on_select: &Callback<ObjectKey>) -> Html {
    let (cb, k) = (on_select.clone(), key.clone());
    html! {
        <button class="related-link" onclick={Callback::from(move |_| cb.emit(k.clone()))}>
            { format!("{}/{}", key.kind.to_ascii_lowercase(), key.name) }
        </button>
    }
}

#[component]
pub fn Inspector(props: &InspectorProps) -> Html {
    let view = use_state(|| "describe");
    let lang = use_lang();
    let toggle = toggle_button(Panel::Inspector, props.collapsed, &props.on_toggle, lang);
    let title = |key: &ObjectKey| format!("{}/{}", key.kind.to_ascii_lowercase(), key.name);
    if props.collapsed {
        return html! {
            <section class="inspector collapsed" aria-label="inspector">
                <header>
                    <h2 class="panel-name">{ t(lang, "Inspector") }</h2>
                    if let Some(key) = &props.selected {
                        <span class="inspector-title">{ title(key) }</span>
                    }
                    { toggle }
                </header>
            </section>
        };
    }
    let Some(key) = &props.selected else {
        return html! {
            <section class="inspector empty" aria-label="inspector">
                <header><h2 class="panel-name">{ t(lang, "Inspector") }</h2>{ toggle }</header>
                <p>{ t(lang, "Click a node or a pod to inspect it.") }</p>
            </section>
        };
    };
    let tab = |name: &'static str| {
        let view = view.clone();
        let active = *view == name;
        html! {
            <button class={classes!("tab", active.then_some("active"))} aria-pressed={active.to_string()}
                    onclick={Callback::from(move |_| view.set(name))}>{ t(lang, name) }</button>
        }
    };
    let close = {
        let cb = props.on_close.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let is_pod = key.kind == "Pod";
    let buttons = actions(key, lang).into_iter().map(|(label, cmd)| {
        let cb = props.on_command.clone();
        html! { <button class="action" title={cmd.clone()} onclick={Callback::from(move |_| cb.emit(cmd.clone()))}>{ label }</button> }
    });
    html! {
        <section class="inspector" aria-label="inspector">
            <header>
                <span class="inspector-title">{ title(key) }</span>
                { tab("describe") }{ tab("yaml") }
                if is_pod { { tab("scheduling") } }
                <button class="close" onclick={close} aria-label="close" title={t(lang, "stop inspecting it")}>{ "×" }</button>
                { toggle }
            </header>
            <div class="actions">{ for buttons }</div>
            if !props.owners.is_empty() || !props.children.is_empty() {
                <div class="related">
                    if !props.owners.is_empty() {
                        <span class="related-label">{ t(lang, "Owned by") }{ " " }</span>
                        { for props.owners.iter().map(|k| link(k, &props.on_select)) }
                    }
                    if !props.children.is_empty() {
                        <span class="related-label">{ format!("{} {} ", t(lang, "Owns"), props.children.len()) }</span>
                        { for props.children.iter().take(12).map(|k| link(k, &props.on_select)) }
                    }
                </div>
            }
            if *view == "scheduling" && is_pod {
                <DecisionTable decision={props.decision.clone()} />
            } else {
                <pre class="inspector-text">{ if *view == "yaml" { props.yaml.clone() } else { props.describe.clone() } }</pre>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::SimConfig;

    #[test]
    fn a_pod_knows_its_owner_chain_and_a_deployment_its_children() {
        let mut sim = Sim::new(SimConfig::default());
        Shell.run_line(&mut sim, "kubectl create deployment web --image=nginx --replicas=2; sleep 3");
        let pod = sim.store().list("Pod", Some("default")).next().unwrap().clone();
        let (owners, _) = related(&sim, &ObjectKey::of(&pod));
        let kinds: Vec<&str> = owners.iter().map(|k| k.kind.as_str()).collect();
        assert_eq!(kinds, ["ReplicaSet", "Deployment"]);
        let (_, children) = related(&sim, &owners[0]);
        assert_eq!(children.len(), 2);
        assert!(actions(&owners[1], Lang::En).iter().any(|(l, _)| *l == "Undo rollout"));
        let scale = &actions(&owners[1], Lang::En)[0].1;
        Shell.run_line(&mut sim, scale);
        assert_eq!(
            sim.store().get("Deployment", Some("default"), "web").unwrap().field("spec.replicas"),
            Some(&serde_json::json!(3))
        );
    }
}
