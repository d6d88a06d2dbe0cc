//! The cluster's recent events, newest first, as a timeline.

use yew::prelude::*;

use crate::sim::Sim;

/// One event as the timeline shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventView {
    pub warning: bool,
    pub reason: AttrValue,
    pub object: AttrValue,
    pub message: AttrValue,
    pub age: AttrValue,
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
                crate::sim::node_lifecycle::parse_time(&when(&e))
                    .map_or_else(|| std::time::Duration::ZERO, |t| sim.now().since(t)),
            );
            EventView {
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
}

#[component]
pub fn EventsPanel(props: &EventsPanelProps) -> Html {
    html! {
        <section class="events" aria-label="events">
            <h2>{ "Events" }</h2>
            if props.events.is_empty() {
                <p class="muted">{ "Nothing has happened yet." }</p>
            }
            <ol>
                { for props.events.iter().map(|e| html! {
                    <li class={classes!("event", e.warning.then_some("warning"))}>
                        <span class="event-age">{ e.age.clone() }</span>
                        <span class="event-reason">{ if e.warning { "▲ " } else { "" } }{ e.reason.clone() }</span>
                        <span class="event-object">{ e.object.clone() }</span>
                        <span class="event-message">{ e.message.clone() }</span>
                    </li>
                }) }
            </ol>
        </section>
    }
}
