//! Component tests in headless Chromium (`wasm-bindgen-test`): render into a root, flush Yew's
//! scheduler, assert on the DOM. Never a sleep.
#![cfg(target_arch = "wasm32")]

#[path = "shared/replay.rs"]
mod replay;

use kube_sandbox::ui::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_root() -> Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    root
}

fn text_of(root: &Element, selector: &str) -> String {
    root.query_selector(selector).unwrap().unwrap().text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn app_draws_the_control_plane_and_three_workers() {
    let root = fresh_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    let nodes = root.query_selector_all(".node").unwrap();
    assert_eq!(nodes.length(), 4);
    let names: Vec<String> = (0..nodes.length())
        .map(|i| nodes.item(i).unwrap().dyn_into::<Element>().unwrap().get_attribute("data-node").unwrap())
        .collect();
    assert_eq!(names, ["control-plane", "node-1", "node-2", "node-3"]);
    assert_eq!(root.query_selector_all(".node.control-plane").unwrap().length(), 1);
    assert_eq!(text_of(&root, ".clock"), "00:00:00");
}

#[wasm_bindgen_test]
async fn the_clock_runs_from_the_start_and_its_button_pauses_and_runs_it() {
    let root = fresh_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    let button: HtmlElement = root.query_selector(".run-toggle").unwrap().unwrap().dyn_into().unwrap();
    // The clock runs at 1x by default, as a real cluster does.
    assert_eq!(button.text_content().unwrap(), "Pause");
    assert_eq!(button.get_attribute("aria-pressed").as_deref(), Some("true"));
    button.click();
    yew::scheduler::flush().await;
    assert_eq!(button.text_content().unwrap(), "Run");
    assert_eq!(button.get_attribute("aria-pressed").as_deref(), Some("false"));
    button.click();
    yew::scheduler::flush().await;
    assert_eq!(button.text_content().unwrap(), "Pause");
}

#[wasm_bindgen_test]
fn the_sim_in_wasm_produces_the_native_event_log() {
    let digest = replay::scripted_run(7).store().event_log_digest();
    assert_eq!(digest, replay::DIGEST_OF_SEED_7, "wasm diverged from native: digest {digest}");
}

#[wasm_bindgen_test]
async fn terminal_runs_kubectl_and_shows_its_output() {
    let root = fresh_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    let input: web_sys::HtmlInputElement = root.query_selector(".terminal-input").unwrap().unwrap().dyn_into().unwrap();
    input.set_value("kubectl get nodes");
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_bubbles(true);
    let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    input.dispatch_event(&event).unwrap();
    yew::scheduler::flush().await;
    let text = text_of(&root, ".scrollback");
    assert!(text.contains("$ kubectl get nodes"), "{text}");
    assert!(text.contains("control-plane   Ready    control-plane"), "{text}");
    assert_eq!(input.value(), "", "the prompt is cleared for the next line");
}

#[wasm_bindgen_test]
async fn the_view_is_changed_by_its_buttons_and_kept_under_the_same_keys_as_before() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let _ = storage.remove_item("kube-sandbox.theme");
    let root = fresh_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    let click = |selector: &str| {
        let el: HtmlElement = root.query_selector(selector).unwrap().unwrap().dyn_into().unwrap();
        el.click();
    };
    let hidden = |selector: &str| root.query_selector(selector).unwrap().unwrap().has_attribute("hidden");
    assert!(hidden(".editor-slot") && !hidden(".panel-slot"));
    click(".tab[data-tab=editor]");
    yew::scheduler::flush().await;
    assert!(!hidden(".editor-slot") && hidden(".panel-slot"), "the editor's tab shows it");
    assert_eq!(storage.get_item("kube-sandbox.tab").unwrap().as_deref(), Some("editor"));
    assert_eq!(storage.get_item("kube-sandbox.theme").unwrap(), None, "nothing stored until a choice is made");
    click(".theme");
    yew::scheduler::flush().await;
    assert_eq!(root.query_selector(".app").unwrap().unwrap().get_attribute("data-theme").as_deref(), Some("light"));
    assert_eq!(storage.get_item("kube-sandbox.theme").unwrap().as_deref(), Some("light"));
    click(".collapse[data-panel=work]");
    yew::scheduler::flush().await;
    assert!(hidden(".editor-slot"), "collapsed");
    assert_eq!(storage.get_item("kube-sandbox.panel.work").unwrap().as_deref(), Some("collapsed"));
    click(".tab[data-tab=terminal]");
    yew::scheduler::flush().await;
    assert!(!hidden(".panel-slot"), "asking for a tab of the collapsed dock expands it");
    assert_eq!(storage.get_item("kube-sandbox.panel.work").unwrap().as_deref(), Some("expanded"));
    for key in ["kube-sandbox.theme", "kube-sandbox.tab", "kube-sandbox.panel.work"] {
        let _ = storage.remove_item(key);
    }
}
