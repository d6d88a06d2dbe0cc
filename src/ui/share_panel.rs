//! Share, export and import: a link that rebuilds this sandbox (with its history, or only its
//! manifests), the scenario as a file, the cluster's objects as YAML a real cluster accepts,
//! and a file to import.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::i18n::{t, use_lang};
use super::persist;
use super::state::AppState;
use crate::scenario::{export, ShareMode};

#[derive(Properties, PartialEq)]
pub struct SharePanelProps {
    pub state: std::rc::Rc<AppState>,
    /// An imported file's text.
    pub on_import: Callback<String>,
    pub on_close: Callback<()>,
}

#[component]
pub fn SharePanel(props: &SharePanelProps) -> Html {
    let lang = use_lang();
    let mode = use_state(|| ShareMode::WithHistory);
    let copied = use_state(|| false);
    // The file being read; kept until it calls back.
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let state = &props.state;
    let scenario = persist::current(state);
    let (link, fits) = {
        let sim = state.sim.borrow();
        let fits = scenario.fits();
        let chosen = if fits { *mode } else { ShareMode::ManifestsOnly };
        (format!("{}#{}", persist::base_url(), scenario.for_link(&sim, chosen).to_link()), fits)
    };
    let yaml = export::export_yaml(&state.sim.borrow());
    let json = scenario.sealed(&state.sim.borrow()).to_json_pretty();
    let choose = |m: ShareMode| {
        let (mode, copied) = (mode.clone(), copied.clone());
        Callback::from(move |_: Event| {
            mode.set(m);
            copied.set(false);
        })
    };
    let copy = {
        let (link, copied) = (link.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&link);
            }
            copied.set(true);
        })
    };
    let import = {
        let (cb, reader) = (props.on_import.clone(), reader.clone());
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<HtmlInputElement>() else { return };
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            let cb = cb.clone();
            *reader.borrow_mut() =
                Some(gloo::file::callbacks::read_as_text(&gloo::file::File::from(file), move |text| {
                    if let Ok(text) = text {
                        cb.emit(text);
                    }
                }));
            input.set_value("");
        })
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <section class="share-panel" role="dialog" aria-label={t(lang, "Share")}>
            <header><h2>{ t(lang, "Share") }</h2><button class="close" onclick={close}>{ "×" }</button></header>
            <div class="share-modes">
                <label><input type="radio" name="share-mode" checked={*mode == ShareMode::WithHistory && fits} disabled={!fits}
                              onchange={choose(ShareMode::WithHistory)} />{ t(lang, "With history: the same cluster, events and lesson") }</label>
                <label><input type="radio" name="share-mode" checked={*mode == ShareMode::ManifestsOnly || !fits}
                              onchange={choose(ShareMode::ManifestsOnly)} />{ t(lang, "Manifests only: a fresh cluster with these objects in the editor") }</label>
            </div>
            <div class="share-link">
                <input class="share-url" readonly=true value={link.clone()} aria-label={t(lang, "Share link")} />
                <button class="copy" onclick={copy}>{ if *copied { t(lang, "Copied") } else { t(lang, "Copy") } }</button>
            </div>
            <p class="note">{ format!("{} {}", link.len(), t(lang, "characters. The link carries everything; nothing is sent to a server.")) }</p>
            <h3>{ t(lang, "Export and import") }</h3>
            <div class="share-files">
                <a class="export-scenario" download="kube-sandbox-scenario.json" href={persist::data_url("application/json", &json)}>{ t(lang, "Scenario file (.json)") }</a>
                <a class="export-yaml" download="cluster.yaml" href={persist::data_url("application/yaml", &yaml)}>{ t(lang, "Cluster objects (.yaml)") }</a>
                <label class="import">{ t(lang, "Import a scenario or YAML file") }
                    <input type="file" accept=".json,.yaml,.yml,.txt" onchange={import} /></label>
            </div>
        </section>
    }
}
