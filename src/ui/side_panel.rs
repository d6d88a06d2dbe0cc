//! The column beside the cluster: the inspector on the selected object, and the events.

use yew::prelude::*;

use super::events_panel::{recent, EventsPanel};
use super::inspector::Inspector;
use super::panels::Panel;
use super::state::{send, Action, PageProps};
use super::view_state::ViewAction;

#[component]
pub fn SidePanel(props: &PageProps) -> Html {
    let page = &props.page;
    let collapsed = page.view.collapsed;
    let events = recent(&page.sim.borrow(), 40);
    // Computed by the reducer when the selection or what it shows changed (see `inspected`).
    let shown = page.inspected.shown.clone();
    let on_toggle = send(page, |p: Panel| Action::View(ViewAction::TogglePanel(p)));
    let on_select = send(page, |k| Action::Select(Some(k)));
    html! {
        <aside class={classes!("side", page.selected.is_none().then_some("nothing-selected"),
                               collapsed.is(Panel::Inspector).then_some("inspector-collapsed"),
                               collapsed.is(Panel::Events).then_some("events-collapsed"),
                               collapsed.side_rail().then_some("rail"))} hidden={!page.view.side_open}>
            <Inspector selected={page.selected.clone()} describe={AttrValue::from(shown.describe.clone())}
                       yaml={AttrValue::from(shown.yaml.clone())} decision={shown.decision.clone()}
                       on_close={send(page, |_| Action::Select(None))} on_command={send(page, Action::Command)}
                       owners={shown.owners.clone()} children={shown.children.clone()} on_select={on_select.clone()}
                       collapsed={collapsed.is(Panel::Inspector)} on_toggle={on_toggle.clone()} />
            <EventsPanel {events} selected={page.selected.clone()} {on_select}
                         collapsed={collapsed.is(Panel::Events)} {on_toggle} />
        </aside>
    }
}
