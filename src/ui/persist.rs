//! What the page keeps in the browser: settings, lesson progress and the autosaved scenario
//! (`localStorage`), and what it reads from the address (a share link's fragment).

use std::collections::BTreeMap;

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

/// A value kept in the browser, if any.
pub fn stored(key: &str) -> Option<String> {
    web_sys::window()?.local_storage().ok()??.get_item(key).ok()?
}

/// Keeps a value; false when the browser refused (storage full or disabled).
pub fn store(key: &str, value: &str) -> bool {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten()).is_some_and(|s| s.set_item(key, value).is_ok())
}

pub fn forget(key: &str) {
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
pub fn first_source() -> Option<Source> {
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

/// Keeps an unreadable saved state under its own key rather than losing it.
pub fn set_aside(raw: &str) {
    let mut kept: Vec<String> = stored(SET_ASIDE).and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default();
    kept.push(raw.to_string());
    let excess = kept.len().saturating_sub(3);
    kept.drain(..excess);
    if let Ok(json) = serde_json::to_string(&kept) {
        store(SET_ASIDE, &json);
    }
    forget(AUTOSAVE);
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
