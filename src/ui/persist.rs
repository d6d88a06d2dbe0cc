//! What the page keeps in the browser: settings, lesson progress and the autosaved scenario
//! (`localStorage`), and what it reads from the address (a share link's fragment).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use super::i18n::{self, Lang};
use super::state::{AppState, Source};
use crate::lessons::run::Progress;
use crate::scenario::{self, ShareMode};

/// The autosaved sandbox.
pub const AUTOSAVE: &str = "kube-sandbox.autosave";
/// The sandbox before "start fresh", for its undo.
pub const PREVIOUS: &str = "kube-sandbox.autosave.previous";
/// Saved states that could not be read, kept rather than lost.
pub const SET_ASIDE: &str = "kube-sandbox.autosave.set-aside";
/// Written before a saved sandbox or a link is replayed, cleared once the page has drawn it:
/// found at the next load, it means the page died restoring (`saved`, or `link=` and the link).
pub const RESTORING: &str = "kube-sandbox.restoring";
/// The panic message of a page that stopped after it had drawn its sandbox.
pub const CRASHED: &str = "kube-sandbox.crashed";
/// Set by the crash screen's "Start fresh" button (plain script: the program has stopped).
pub const START_FRESH: &str = "kube-sandbox.start-fresh";
/// Test-only trigger, set only by `e2e/survive.test.mjs`: `restore` panics while the saved
/// sandbox is restored, `tick` on a clock tick. Safe to ship: a link or a saved state cannot
/// write this key (only the page's own code and the browser's developer tools can), and the
/// page never writes it.
pub const TEST_PANIC: &str = "kube-sandbox.test.panic";

/// Once the page has panicked, its memory cannot be trusted (a half-finished tick, a borrow
/// never released), and timers may still call into it: nothing it holds may be saved.
static STOPPED: AtomicBool = AtomicBool::new(false);
/// A restore is under way: the marker is cleared at the first render after it.
static RESTORE_PENDING: AtomicBool = AtomicBool::new(false);
/// The panic the previous visit ended with (read at start-up), to tell a repeat.
static PREVIOUS_CRASH: OnceLock<Option<String>> = OnceLock::new();
static TEST_TRIGGER: OnceLock<Option<String>> = OnceLock::new();

/// A value kept in the browser, if any.
pub fn stored(key: &str) -> Option<String> {
    web_sys::window()?.local_storage().ok()??.get_item(key).ok()?
}

/// Keeps a value; false when the browser refused (storage full or disabled), and always after
/// the page has stopped.
pub fn store(key: &str, value: &str) -> bool {
    !STOPPED.load(Ordering::SeqCst) && put(key, value)
}

fn put(key: &str, value: &str) -> bool {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten()).is_some_and(|s| s.set_item(key, value).is_ok())
}

pub fn forget(key: &str) {
    if STOPPED.load(Ordering::SeqCst) {
        return;
    }
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.remove_item(key);
    }
}

/// The language (kept, or the browser's) and lesson progress from earlier visits. A progress
/// entry that cannot be read is ignored: the autosaved scenario carries progress too.
pub fn settings() -> (Lang, BTreeMap<String, Progress>) {
    let lang = match stored("kube-sandbox.lang").as_deref() {
        Some("ko") => Lang::Ko,
        Some("en") => Lang::En,
        _ => web_sys::window().and_then(|w| w.navigator().language()).map_or(Lang::En, |l| i18n::from_tag(&l)),
    };
    let progress = stored("kube-sandbox.lessons").and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default();
    (lang, progress)
}

/// What to open first: the link in the address if there is one (the address is then cleaned,
/// so a reload continues from autosave), else the autosaved sandbox.
fn first_source() -> Option<Source> {
    let window = web_sys::window()?;
    let hash = window.location().hash().ok().unwrap_or_default();
    let fragment = hash.trim_start_matches('#');
    if !fragment.is_empty() {
        if let Ok(history) = window.history() {
            let path =
                window.location().pathname().unwrap_or_default() + &window.location().search().unwrap_or_default();
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
        }
        return Some(Source::Link(fragment.to_string()));
    }
    stored(AUTOSAVE).map(Source::Saved)
}

/// The scenario as it stands, with the editor's files.
pub fn current(state: &AppState) -> scenario::Scenario {
    let mut s = state.scenario.borrow().clone();
    let (files, open) = state.editor.borrow().to_scenario();
    s.files = files;
    s.open_file = Some(open);
    s.clock.speed = state.sim.borrow().speed;
    s
}

/// Saves the sandbox; when the browser's storage is full, or the history too long to replay,
/// saves the manifests only. Returns a message when something had to give.
pub fn autosave(state: &AppState) -> Option<String> {
    let sim = state.sim.borrow();
    let s = current(state);
    let lang = state.lessons.lang;
    if s.fits() && store(AUTOSAVE, &scenario::save(&s, &sim)) {
        return None;
    }
    let small = s.for_link(&sim, ShareMode::ManifestsOnly);
    if store(AUTOSAVE, &scenario::save(&small, &sim)) {
        Some(i18n::t(lang, "The history is too large to keep; only the manifests were saved.").to_string())
    } else {
        Some(i18n::t(lang, "The browser's storage is full: this sandbox could not be saved.").to_string())
    }
}

/// Keeps an unreadable saved state under its own key rather than losing it, and forgets it
/// as the autosave.
pub fn set_aside(raw: &str) {
    keep_aside(raw);
    forget(AUTOSAVE);
}

/// Adds `raw` to the states kept aside (the three latest).
fn keep_aside(raw: &str) {
    let mut kept: Vec<String> = stored(SET_ASIDE).and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default();
    kept.push(raw.to_string());
    let excess = kept.len().saturating_sub(3);
    kept.drain(..excess);
    if let Ok(json) = serde_json::to_string(&kept) {
        store(SET_ASIDE, &json);
    }
}

/// What to open first, made crash-safe. A marker left by a load that died means that what it
/// was restoring stopped the page: it is kept aside (a saved sandbox is no longer restored; a
/// link is not opened again) and the banner says so. A page that stopped later is restored
/// (the clock paused, as after every restore) and the banner says that too. The marker for
/// this load is written before its replay starts; [`rendered`] clears it.
pub fn opening(lang: Lang) -> (Option<Source>, Option<String>) {
    let previous = stored(CRASHED);
    let _ = PREVIOUS_CRASH.set(previous.clone());
    forget(CRASHED);
    let fresh = stored(START_FRESH).is_some();
    forget(START_FRESH);
    let mut banner = None;
    if let Some(marker) = stored(RESTORING) {
        forget(RESTORING);
        let key = if let Some(link) = marker.strip_prefix("link=") {
            keep_aside(link);
            "The page stopped while it opened a shared link, so the link was not opened again; it is kept aside in this browser."
        } else {
            if let Some(saved) = stored(AUTOSAVE) {
                set_aside(&saved);
            }
            if marker == "again" {
                "The page stopped the same way twice, so this is a fresh sandbox; the saved one is kept aside in this browser."
            } else {
                "The page stopped while it restored your saved sandbox, so this is a fresh sandbox; the saved one is kept aside in this browser."
            }
        };
        banner = Some(with_message(lang, key, previous.as_deref()));
    } else if fresh {
        if let Some(saved) = stored(AUTOSAVE) {
            set_aside(&saved);
        }
        banner = Some(
            i18n::t(lang, "Started fresh after the page stopped; the previous sandbox is kept aside in this browser.")
                .to_string(),
        );
    } else if previous.is_some() && stored(AUTOSAVE).is_some() {
        banner = Some(with_message(
            lang,
            "The page stopped last time. Your sandbox was restored as it was last saved, with the clock paused; New starts a fresh one.",
            previous.as_deref(),
        ));
    }
    let source = first_source();
    match &source {
        Some(Source::Link(link)) => store(RESTORING, &format!("link={link}")),
        Some(Source::Saved(_)) => store(RESTORING, "saved"),
        _ => false,
    };
    RESTORE_PENDING.store(source.is_some(), Ordering::SeqCst);
    (source, banner)
}

/// Whether the page stopped last time (read by [`opening`]): the sandbox restored after it
/// comes back with the clock paused, so a panic on a tick does not strike again at once.
pub fn stopped_last_time() -> bool {
    PREVIOUS_CRASH.get().is_some_and(Option::is_some)
}

fn with_message(lang: Lang, key: &'static str, message: Option<&str>) -> String {
    let text = i18n::t(lang, key).to_string();
    match message {
        Some(m) => format!("{text}\n{} {m}", i18n::t(lang, "What stopped it:")),
        None => text,
    }
}

/// Called after every render: the first after a restore proves it drew, so its marker goes.
pub fn rendered() {
    if RESTORE_PENDING.swap(false, Ordering::SeqCst) {
        forget(RESTORING);
    }
}

/// What the crash screen says about the sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// It stopped while restoring the saved sandbox: the next load starts fresh and keeps the
    /// state aside.
    WhileRestoring,
    /// It stopped while opening a link: the next load keeps the link aside and restores the
    /// saved sandbox, which the link had not replaced yet.
    WhileOpeningLink,
    /// It stopped later: the last autosave is intact and the next load restores it.
    Later,
    /// The same panic as the visit before, right after recovering from it: the next load starts
    /// fresh rather than loop.
    Again,
}

/// Called by the panic hook, once: stops all saving and records the crash for the next load.
/// None when the page had already stopped (a timer calling into the dead program).
pub fn stopped(message: &str) -> Option<Stopped> {
    if STOPPED.swap(true, Ordering::SeqCst) {
        return None;
    }
    put(CRASHED, message);
    match stored(RESTORING) {
        Some(m) if m.starts_with("link=") => return Some(Stopped::WhileOpeningLink),
        Some(_) => return Some(Stopped::WhileRestoring),
        None => {}
    }
    if PREVIOUS_CRASH.get().and_then(|p| p.as_deref()) == Some(message) {
        put(RESTORING, "again");
        return Some(Stopped::Again);
    }
    Some(Stopped::Later)
}

/// Panics when the test-only key [`TEST_PANIC`] asks for a panic at `at` (see there).
pub fn test_panic(at: &str) {
    if TEST_TRIGGER.get_or_init(|| stored(TEST_PANIC)).as_deref() == Some(at) {
        panic!("{TEST_PANIC}={at}");
    }
}

/// The page's address without its fragment, for share links.
pub fn base_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map_or_else(String::new, |h| h.split('#').next().unwrap_or_default().to_string())
}

/// A `data:` address that downloads `text` (no script or server involved).
pub fn data_url(mime: &str, text: &str) -> String {
    format!("data:{mime};charset=utf-8,{}", String::from(js_sys::encode_uri_component(text)))
}
