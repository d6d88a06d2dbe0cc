//! Which of the page's panels are collapsed (inspector, events, the terminal/editor area), and
//! the button in each panel's header that collapses or expands it. The choice is remembered in
//! the browser so the page opens as the learner left it; a collapsed panel gives its room to
//! the cluster.

use yew::prelude::*;

/// A panel that can be collapsed. The cluster view cannot: it is what the room is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    Inspector,
    Events,
    /// The terminal and editor below the cluster.
    Work,
}

impl Panel {
    pub const ALL: [Panel; 3] = [Panel::Inspector, Panel::Events, Panel::Work];

    pub fn name(self) -> &'static str {
        match self {
            Panel::Inspector => "inspector",
            Panel::Events => "events",
            Panel::Work => "work",
        }
    }

    /// Where the choice is kept in `localStorage`.
    pub fn storage_key(self) -> String {
        format!("kube-sandbox.panel.{}", self.name())
    }

    fn label(self) -> &'static str {
        match self {
            Panel::Inspector => "the inspector",
            Panel::Events => "the events",
            Panel::Work => "the terminal and editor",
        }
    }
}

/// What is stored for a collapsed panel; anything else (nothing, or a value from an older page)
/// means expanded, so a corrupt entry never hides a panel for good.
pub const COLLAPSED: &str = "collapsed";
pub const EXPANDED: &str = "expanded";

/// The collapsed panels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Collapsed {
    inspector: bool,
    events: bool,
    work: bool,
}

impl Collapsed {
    /// Reads every panel's choice through `get` (a `localStorage` lookup in the page).
    pub fn load(get: impl Fn(&str) -> Option<String>) -> Self {
        let mut c = Collapsed::default();
        for p in Panel::ALL {
            *c.slot(p) = get(&p.storage_key()).as_deref() == Some(COLLAPSED);
        }
        c
    }

    pub fn is(mut self, panel: Panel) -> bool {
        *self.slot(panel)
    }

    /// The same, with `panel` flipped.
    pub fn toggled(mut self, panel: Panel) -> Self {
        let s = self.slot(panel);
        *s = !*s;
        self
    }

    /// The value to store for `panel`.
    pub fn stored_value(self, panel: Panel) -> &'static str {
        if self.is(panel) {
            COLLAPSED
        } else {
            EXPANDED
        }
    }

    /// With both side panels collapsed the side column shrinks to a rail of their headers, so
    /// the cluster gets the width too.
    pub fn side_rail(self) -> bool {
        self.inspector && self.events
    }

    fn slot(&mut self, panel: Panel) -> &mut bool {
        match panel {
            Panel::Inspector => &mut self.inspector,
            Panel::Events => &mut self.events,
            Panel::Work => &mut self.work,
        }
    }
}

/// The small button in a panel's header that collapses or expands it.
pub fn toggle_button(panel: Panel, collapsed: bool, on_toggle: &Callback<Panel>, lang: super::i18n::Lang) -> Html {
    use super::i18n::t;
    let cb = on_toggle.clone();
    let title =
        format!("{} {}", t(lang, panel.label()), if collapsed { t(lang, "expand") } else { t(lang, "collapse") });
    html! {
        <button class="collapse" data-panel={panel.name()} aria-expanded={(!collapsed).to_string()}
                title={title.clone()} aria-label={title} onclick={Callback::from(move |_: MouseEvent| cb.emit(panel))}>
            { if collapsed { "▸" } else { "▾" } }
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_round_trip_through_storage_and_bad_values_mean_expanded() {
        let c = Collapsed::default().toggled(Panel::Events).toggled(Panel::Work);
        let stored: Vec<(String, &str)> = Panel::ALL.iter().map(|&p| (p.storage_key(), c.stored_value(p))).collect();
        assert_eq!(stored[1], ("kube-sandbox.panel.events".to_string(), "collapsed"));
        let back = Collapsed::load(|k| stored.iter().find(|(key, _)| key == k).map(|(_, v)| v.to_string()));
        assert_eq!(back, c);
        assert_eq!(Collapsed::load(|_| Some("yes please".into())), Collapsed::default());
        assert_eq!(Collapsed::load(|_| None), Collapsed::default());
    }

    #[test]
    fn the_side_becomes_a_rail_only_when_both_its_panels_are_collapsed() {
        let c = Collapsed::default().toggled(Panel::Inspector);
        assert!(!c.side_rail());
        assert!(c.toggled(Panel::Events).side_rail());
        assert!(!c.toggled(Panel::Inspector).is(Panel::Inspector));
    }
}
