//! What the page shows around the cluster: the open tab, the theme, which panels are open or
//! collapsed, presenter mode. Part of the one [`super::state::AppState`], changed only through
//! its [`super::state::Action`]s; the page keeps the choices in the browser from an effect.

use super::panels::{Collapsed, Panel};

/// Where the open tab and the theme are kept in `localStorage`.
pub const TAB: &str = "kube-sandbox.tab";
pub const THEME: &str = "kube-sandbox.theme";

/// The tab shown below the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Terminal,
    Editor,
}

impl Tab {
    /// Its name as stored and as the tab's `data-tab`.
    pub fn name(self) -> &'static str {
        match self {
            Tab::Terminal => "terminal",
            Tab::Editor => "editor",
        }
    }
}

/// The page's colour theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    /// Its name as stored, as `data-theme` and as the button says it; anything unknown is `auto`.
    pub fn name(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn parse(text: &str) -> Theme {
        match text {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::Auto,
        }
    }

    /// The next one the button shows: automatic, light, dark, automatic…
    pub fn next(self) -> Theme {
        match self {
            Theme::Auto => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Auto,
        }
    }
}

/// The page's view of itself (none of it is in a share link or the autosaved scenario).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ViewState {
    pub tab: Tab,
    pub theme: Theme,
    /// The inspector and events column shown (the top bar's "Inspector" button).
    pub side_open: bool,
    pub share_open: bool,
    pub presenting: bool,
    /// Presenter mode's key legend ("?"). It starts hidden: shown, it would cover the terminal
    /// the class is reading.
    pub legend_shown: bool,
    /// "Start fresh" can be undone while its notice shows.
    pub fresh_undo: bool,
    pub collapsed: Collapsed,
}

impl Default for ViewState {
    fn default() -> Self {
        ViewState {
            tab: Tab::Terminal,
            theme: Theme::Auto,
            side_open: true,
            share_open: false,
            presenting: false,
            legend_shown: false,
            fresh_undo: false,
            collapsed: Collapsed::default(),
        }
    }
}

impl ViewState {
    /// The choices kept in the browser, read through `get` (a `localStorage` lookup in the page).
    pub fn load(get: impl Fn(&str) -> Option<String>) -> Self {
        ViewState {
            tab: if get(TAB).as_deref() == Some("editor") { Tab::Editor } else { Tab::Terminal },
            theme: get(THEME).as_deref().map_or(Theme::Auto, Theme::parse),
            collapsed: Collapsed::load(&get),
            ..ViewState::default()
        }
    }
}

/// A change to the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewAction {
    /// A tab's button: asking for a tab of the collapsed area means wanting to see it.
    TabButton(Tab),
    /// The tab a command or a lesson's YAML goes to (the area stays collapsed if it was).
    SetTab(Tab),
    CycleTheme,
    ToggleSide,
    ToggleShare,
    CloseShare,
    TogglePresenting,
    StopPresenting,
    ToggleLegend,
    TogglePanel(Panel),
    /// The "Start fresh" notice's Undo button shown or not.
    FreshUndo(bool),
}

impl ViewState {
    pub fn apply(&mut self, action: ViewAction) {
        match action {
            ViewAction::SetTab(tab) => self.tab = tab,
            ViewAction::TabButton(tab) => {
                if self.collapsed.is(Panel::Work) {
                    self.collapsed = self.collapsed.toggled(Panel::Work);
                }
                self.tab = tab;
            }
            ViewAction::CycleTheme => self.theme = self.theme.next(),
            ViewAction::ToggleSide => self.side_open = !self.side_open,
            ViewAction::ToggleShare => self.share_open = !self.share_open,
            ViewAction::CloseShare => self.share_open = false,
            ViewAction::TogglePresenting => self.presenting = !self.presenting,
            ViewAction::StopPresenting => self.presenting = false,
            ViewAction::ToggleLegend => self.legend_shown = !self.legend_shown,
            ViewAction::TogglePanel(panel) => self.collapsed = self.collapsed.toggled(panel),
            ViewAction::FreshUndo(shown) => self.fresh_undo = shown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_view_reads_what_the_browser_kept_and_bad_values_mean_the_default() {
        let kept = |k: &str| match k {
            TAB => Some("editor".to_string()),
            THEME => Some("dark".to_string()),
            "kube-sandbox.panel.events" => Some("collapsed".to_string()),
            _ => None,
        };
        let v = ViewState::load(kept);
        assert_eq!((v.tab, v.theme), (Tab::Editor, Theme::Dark));
        assert!(v.collapsed.is(Panel::Events) && !v.collapsed.is(Panel::Work));
        assert_eq!(ViewState::load(|_| Some("nonsense".into())), ViewState::default());
    }

    #[test]
    fn asking_for_a_tab_of_the_collapsed_area_expands_it() {
        let mut v = ViewState::default();
        v.apply(ViewAction::TogglePanel(Panel::Work));
        assert!(v.collapsed.is(Panel::Work));
        v.apply(ViewAction::SetTab(Tab::Terminal));
        assert!(v.collapsed.is(Panel::Work), "a command's tab leaves the area as it was");
        v.apply(ViewAction::TabButton(Tab::Editor));
        assert_eq!(v.tab, Tab::Editor);
        assert!(!v.collapsed.is(Panel::Work));
        v.apply(ViewAction::CycleTheme);
        v.apply(ViewAction::CycleTheme);
        v.apply(ViewAction::CycleTheme);
        assert_eq!(v.theme, Theme::Auto, "automatic, light, dark, automatic");
    }
}
