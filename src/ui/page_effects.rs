//! What the page does besides drawing, as hooks of [`super::app::App`]: the clock's ticks, what
//! is opened at load (the link or the autosaved sandbox), saving to the browser, and presenter
//! mode's keys. Each dispatches [`Action`]s or writes the browser's storage from an effect;
//! none changes the state while the page draws.

use gloo::timers::callback::Interval;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::i18n::Lang;
use super::panels::{Collapsed, Panel};
use super::persist::{self, store, stored};
use super::state::{read_kept_scrollback, Action, AppState, Page, Source};
use super::view_state::{TAB, THEME};

/// How often the running clock ticks, in wall-clock milliseconds.
const TICK_MS: u32 = 100;

/// How often the sandbox is saved besides after each change, in wall-clock milliseconds.
const AUTOSAVE_MS: u32 = 3_000;

/// Where the terminal's recent output and the selected object are kept.
const SCROLLBACK: &str = "kube-sandbox.scrollback";
const SELECTED: &str = "kube-sandbox.selected";

/// `Kind/namespace/name` (namespace empty for cluster-wide objects) as stored under [`SELECTED`].
fn parse_key(text: &str) -> Option<crate::sim::store::ObjectKey> {
    let mut parts = text.splitn(3, '/');
    let (kind, namespace, name) = (parts.next()?, parts.next()?, parts.next()?);
    (!kind.is_empty() && !name.is_empty()).then(|| crate::sim::store::ObjectKey {
        kind: kind.into(),
        namespace: namespace.into(),
        name: name.into(),
    })
}

/// The state the page starts from: the view as the browser kept it, the clock running unless
/// the address asks otherwise.
pub fn initial() -> AppState {
    AppState {
        running: !clock_paused_by_address(),
        view: super::view_state::ViewState::load(stored),
        ..AppState::default()
    }
}

/// While the clock runs, a tick every [`TICK_MS`].
#[hook]
pub fn use_clock(page: &Page) {
    let dispatcher = page.dispatcher();
    use_effect_with(page.running, move |&running| {
        let interval = running.then(|| {
            Interval::new(TICK_MS, move || {
                persist::test_panic("tick");
                dispatcher.dispatch(Action::Tick(TICK_MS.into()));
            })
        });
        move || drop(interval)
    });
}

/// What the browser remembers (language, progress), then the link in the address or the
/// autosaved sandbox, with the terminal's output and the selection from before the reload.
#[hook]
pub fn use_opening(page: &Page) {
    // Before the load below: the render after a restore clears its crash marker.
    use_effect(persist::rendered);
    let d = page.dispatcher();
    use_effect_with((), move |_| {
        let (lang, progress) = persist::settings();
        d.dispatch(Action::Settings { lang, progress });
        // What was on screen comes back after the sandbox it was about (read before the
        // effects of `use_saving` write the new page's).
        let (lines, selected) = (stored(SCROLLBACK), stored(SELECTED));
        let (source, banner) = persist::opening(lang);
        if let Some(source) = source {
            let saved = matches!(source, Source::Saved(_));
            if saved {
                persist::test_panic("restore");
            }
            d.dispatch(Action::Load(source));
            if persist::stopped_last_time() {
                d.dispatch(Action::Pause);
            }
            if saved {
                if let Some(lines) = lines {
                    d.dispatch(Action::RestoreScrollback(read_kept_scrollback(&lines)));
                }
                if let Some(key) = selected.as_deref().and_then(parse_key) {
                    d.dispatch(Action::RestoreSelection(key));
                }
            }
        }
        if banner.is_some() {
            d.dispatch(Action::Notice(banner.map(|b| (b, true))));
        }
    });
}

/// Runs `f` when `value` changed since the last render that ran it (not on the first).
#[hook]
fn use_changed<T: PartialEq + Clone + 'static>(value: T, f: impl FnOnce(&T, &T) + 'static) {
    let before = use_mut_ref(|| value.clone());
    use_effect_with(value, move |now| {
        let old = before.replace(now.clone());
        if old != *now {
            f(&old, now);
        }
    });
}

/// Saves to the browser: the language and lesson progress, the sandbox after every change worth
/// keeping and every few seconds (for the clock and the editor's text), the terminal's recent
/// output, the selection, and the view's choices when they change.
#[hook]
pub fn use_saving(page: &Page) {
    let lessons = page.lessons.clone();
    use_effect_with((lessons.lang, lessons.saved.clone()), move |(lang, saved)| {
        store("kube-sandbox.lang", if *lang == Lang::Ko { "ko" } else { "en" });
        if let Ok(json) = serde_json::to_string(&**saved) {
            store("kube-sandbox.lessons", &json);
        }
    });
    let (d, st) = (page.dispatcher(), (**page).clone());
    // Not when the page opens: what it opened with is what is saved already, and sealing it
    // (a digest of every object) cost ~120 ms of the load.
    use_changed(page.saves, move |_, _| {
        if let Some(raw) = &st.set_aside {
            persist::set_aside(raw);
        } else if let Some(problem) = persist::autosave(&st) {
            // Said after what is already said (the link just opened), not in its place.
            let text = match &st.notice {
                Some((said, _)) if said.contains(&problem) => said.clone(),
                Some((said, false)) => format!("{said} {problem}"),
                _ => problem,
            };
            d.dispatch(Action::Notice(Some((text, true))));
        }
    });
    // The state the timer saves: the latest drawn, kept from an effect.
    let latest = use_mut_ref(|| (**page).clone());
    {
        let (latest, st) = (latest.clone(), (**page).clone());
        use_effect(move || *latest.borrow_mut() = st);
    }
    {
        let latest = latest.clone();
        use_effect_with((), move |_| {
            let interval = Interval::new(AUTOSAVE_MS, move || {
                let st = latest.borrow().clone();
                if st.set_aside.is_none() {
                    let _ = persist::autosave(&st);
                }
            });
            move || drop(interval)
        });
    }
    let st = (**page).clone();
    use_effect_with(page.saves, move |_| {
        store(SCROLLBACK, &super::state::kept_scrollback(&st.scrollback.borrow()));
    });
    use_effect_with(page.selected.clone(), |selected| {
        store(
            SELECTED,
            &selected.as_ref().map(|k| format!("{}/{}/{}", k.kind, k.namespace, k.name)).unwrap_or_default(),
        );
    });
    use_effect_with(page.view.tab, |tab| {
        store(TAB, tab.name());
    });
    use_changed(page.view.theme, |_, theme| {
        store(THEME, theme.name());
    });
    use_changed(page.view.collapsed, |old: &Collapsed, now: &Collapsed| {
        for panel in Panel::ALL.into_iter().filter(|&p| old.is(p) != now.is(p)) {
            store(&panel.storage_key(), now.stored_value(panel));
        }
    });
}

/// Presenter mode's keys, on the whole window (not while typing, except Esc).
#[hook]
pub fn use_presenter_keys(page: &Page) {
    // The state the keys act on: the latest drawn, kept from an effect.
    let latest = use_mut_ref(|| page.clone());
    {
        let (latest, page) = (latest.clone(), page.clone());
        use_effect(move || *latest.borrow_mut() = page);
    }
    let d = page.dispatcher();
    use_effect_with(page.view.presenting, move |&on| {
        let window = web_sys::window().expect("a page has a window");
        // Space is the clock's in presenter mode: its keyup must not press a focused button.
        let keyup = on.then(|| {
            gloo::events::EventListener::new_with_options(&window, "keyup", active(), |e| {
                let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
                if e.key() == " " && !typing(e) {
                    e.prevent_default();
                }
            })
        });
        let listener = on.then(|| {
            gloo::events::EventListener::new_with_options(&window, "keydown", active(), move |e| {
                let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
                if e.key() == "Escape" {
                    d.dispatch(Action::View(super::view_state::ViewAction::StopPresenting));
                    return;
                }
                if typing(e) || e.ctrl_key() || e.meta_key() || e.alt_key() {
                    return;
                }
                if e.key() == "?" {
                    e.prevent_default();
                    d.dispatch(Action::View(super::view_state::ViewAction::ToggleLegend));
                    return;
                }
                if e.key() == " " {
                    // Space is the clock's, never a scroll of the focused panel nor a press of
                    // the focused button.
                    e.prevent_default();
                }
                let st = latest.borrow().clone();
                let step = st.lessons.taking.as_ref().map(|t| t.progress.step);
                let action =
                    super::presenter::action_for(&e.key(), st.selected.as_ref(), &st.sim.borrow(), st.running, step);
                if let Some(a) = action {
                    e.prevent_default();
                    d.dispatch(a);
                }
            })
        });
        move || drop((listener, keyup))
    });
}

/// Whether a key went to a field the learner types in.
fn typing(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

/// Listener options that let a handler call `preventDefault` (gloo's listeners are passive by
/// default, and a passive listener cannot keep Space from scrolling or pressing a button).
fn active() -> gloo::events::EventListenerOptions {
    gloo::events::EventListenerOptions::enable_prevent_default()
}

/// Whether the page's address asks for the clock to start paused (`?clock=paused`): for a
/// demonstration that goes one step at a time, and for tests that need a frozen clock.
fn clock_paused_by_address() -> bool {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    search.trim_start_matches('?').split('&').any(|kv| kv == "clock=paused")
}

/// Records when the cluster was first drawn, for the load-time benchmark
/// (`performance.getEntriesByName("cluster-drawn")`).
#[hook]
pub fn use_mark_cluster_drawn() {
    use_effect_with((), |_| {
        if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
            let _ = perf.mark("cluster-drawn");
        }
        super::pod_motion::page_drawn();
    });
}
