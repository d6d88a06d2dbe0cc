//! The cluster's recent events, newest first, as a timeline.

use yew::prelude::*;

use super::i18n::{t, use_lang};

use super::panels::{toggle_button, Panel};
use crate::sim::store::ObjectKey;
use crate::sim::Sim;

/// One event as the timeline shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventView {
    pub warning: bool,
    pub reason: AttrValue,
    pub object: AttrValue,
    pub message: AttrValue,
    pub age: AttrValue,
    /// The object it is about.
    pub key: ObjectKey,
}

/// The newest `limit` events.
pub fn recent(sim: &Sim, limit: usize) -> Vec<EventView> {
    let mut events: Vec<_> = sim.store().list("Event", None).collect();
    let when =
        |e: &&crate::sim::api::Object| e.body.get("lastTimestamp").and_then(|t| t.as_str()).unwrap_or("").to_string();
    events.sort_by_key(|e| std::cmp::Reverse(when(e)));
    events
        .into_iter()
        .take(limit)
        .map(|e| {
            let text = |k: &str| e.body.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let involved = e.body.get("involvedObject").cloned().unwrap_or_default();
            let object = format!(
                "{}/{}",
                involved["kind"].as_str().unwrap_or("").to_ascii_lowercase(),
                involved["name"].as_str().unwrap_or("")
            );
            let age = crate::shell::kubectl::table::human_duration(
                crate::sim::time::parse_time(&when(&e))
                    .map_or_else(|| std::time::Duration::ZERO, |t| sim.now().since(t)),
            );
            let key = ObjectKey {
                kind: involved["kind"].as_str().unwrap_or("").to_string(),
                namespace: involved["namespace"].as_str().unwrap_or("").to_string(),
                name: involved["name"].as_str().unwrap_or("").to_string(),
            };
            EventView {
                key,
                warning: text("type") == "Warning",
                reason: text("reason").into(),
                object: object.into(),
                message: text("message").into(),
                age: age.into(),
            }
        })
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct EventsPanelProps {
    pub events: Vec<EventView>,
    #[prop_or_default]
    pub selected: Option<ObjectKey>,
    #[prop_or_default]
    pub on_select: Callback<ObjectKey>,
    /// Shown as its header only.
    #[prop_or_default]
    pub collapsed: bool,
    #[prop_or_default]
    pub on_toggle: Callback<Panel>,
}

/// The timeline; clicking an event selects its object, and with something selected the
/// timeline can show only its events.
#[component]
pub fn EventsPanel(props: &EventsPanelProps) -> Html {
    let lang = use_lang();
    let only_selected = use_state(|| false);
    let filter = *only_selected && props.selected.is_some();
    let shown: Vec<&EventView> =
        props.events.iter().filter(|e| !filter || props.selected.as_ref() == Some(&e.key)).collect();
    let toggle = {
        let only = only_selected.clone();
        Callback::from(move |_: MouseEvent| only.set(!*only))
    };
    let collapse = toggle_button(Panel::Events, props.collapsed, &props.on_toggle, lang);
    if props.collapsed {
        return html! {
            <section class="events collapsed" aria-label="events">
                <h2><span class="panel-name">{ t(lang, "Events") }</span>{ collapse }</h2>
            </section>
        };
    }
    html! {
        <section class="events" aria-label="events">
            <h2>
                <span class="panel-name">{ t(lang, "Events") }</span>
                if let Some(k) = &props.selected {
                    <button class="filter" aria-pressed={filter.to_string()} onclick={toggle}>
                        { if filter {
                            format!("{} {}/{} · {}", t(lang, "only"), k.kind.to_ascii_lowercase(), k.name, t(lang, "show all"))
                        } else { t(lang, "only the selected object").to_string() } }
                    </button>
                }
                { collapse }
            </h2>
            if shown.is_empty() {
                <p class="muted">{ t(lang, "Nothing has happened yet.") }</p>
            }
            <ol>
                { for shown.into_iter().map(|e| {
                    let onclick = {
                        let (cb, key) = (props.on_select.clone(), e.key.clone());
                        Callback::from(move |_: MouseEvent| cb.emit(key.clone()))
                    };
                    html! {
                        <li class={classes!("event", e.warning.then_some("warning"))} {onclick}>
                            <span class="event-age">{ e.age.clone() }</span>
                            <span class="event-reason">{ if e.warning { "▲ " } else { "" } }{ e.reason.clone() }</span>
                            <span class="event-object">{ e.object.clone() }</span>
                            <span class="event-message">{ e.message.clone() }</span>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
