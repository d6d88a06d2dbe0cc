//! The top-level component: time controls above the cluster view, the terminal and editor
//! below it, the inspector and events beside it.

use gloo::timers::callback::Interval;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::cluster_view::{pending_pods, ClusterView, NodeView};
use super::decision_table::Decision;
use super::editor_panel::EditorPanel;
use super::events_panel::{recent, EventsPanel};
use super::i18n::{t, Lang};
use super::inspector::{related, render_text, Inspector};
use super::lesson_panel::LessonPanel;
use super::panels::{toggle_button, Collapsed, Panel};
use super::persist::{self, store, stored};
use super::share_panel::SharePanel;
use super::state::{Action, AppState, LessonAction};
use super::terminal_panel::TerminalPanel;
use super::time_controls::TimeControls;

/// How long (simulated) the latest scheduling decision stays drawn on the nodes.
const DECISION_SHOWN: std::time::Duration = std::time::Duration::from_secs(3);

/// How often the sandbox is saved besides after each change, in wall-clock milliseconds.
const AUTOSAVE_MS: u32 = 3_000;

/// Where the terminal's recent output, the selected object and the open tab are kept.
const SCROLLBACK: &str = "kube-sandbox.scrollback";
const SELECTED: &str = "kube-sandbox.selected";
const TAB: &str = "kube-sandbox.tab";

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

/// How often the running clock ticks, in wall-clock milliseconds.
const TICK_MS: u32 = 100;

/// The whole page.
#[component]
pub fn App() -> Html {
    let state = use_reducer(|| AppState { running: !clock_paused_by_address(), ..AppState::default() });
    let tab = use_state(|| if stored(TAB).as_deref() == Some("editor") { "editor" } else { "terminal" });
    let theme = use_state(|| stored("kube-sandbox.theme").unwrap_or_else(|| "auto".into()));
    let side_open = use_state(|| true);
    let share_open = use_state(|| false);
    let presenting = use_state(|| false);
    // Presenter mode's key legend; "?" (or its button in the top bar) shows or hides it. It starts
    // hidden: shown, it would cover the terminal the class is reading.
    let legend_shown = use_state(|| false);
    let halo = use_node_ref();
    // "Start fresh" can be undone while its notice shows.
    let fresh_undo = use_state(|| false);
    let collapsed = use_state(|| Collapsed::load(stored));
    let inspected = use_mut_ref(|| None::<(crate::sim::store::ObjectKey, u64, Inspected)>);

    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.running, move |&running| {
            let interval = running.then(|| {
                Interval::new(TICK_MS, move || {
                    persist::test_panic("tick");
                    dispatcher.dispatch(Action::Tick(TICK_MS.into()));
                })
            });
            move || drop(interval)
        });
    }
    use_effect_with((), |_| mark_cluster_drawn());
    // Before the load below: the render after a restore clears its crash marker.
    use_effect(persist::rendered);
    {
        // What the browser remembers (language, progress), then the link in the address or
        // the autosaved sandbox.
        let d = state.dispatcher();
        use_effect_with((), move |_| {
            let (lang, progress) = persist::settings();
            d.dispatch(Action::Settings { lang, progress });
            // What was on screen comes back after the sandbox it was about (read before the
            // effects below write the new page's).
            let (lines, selected) = (stored(SCROLLBACK), stored(SELECTED));
            let (source, banner) = persist::opening(lang);
            if let Some(source) = source {
                let saved = matches!(source, super::state::Source::Saved(_));
                if saved {
                    persist::test_panic("restore");
                }
                d.dispatch(Action::Load(source));
                if persist::stopped_last_time() {
                    d.dispatch(Action::Pause);
                }
                if saved {
                    if let Some(lines) = lines {
                        d.dispatch(Action::RestoreScrollback(super::state::read_kept_scrollback(&lines)));
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
    {
        let lessons = state.lessons.clone();
        use_effect_with((lessons.lang, lessons.saved.clone()), move |(lang, saved)| {
            store("kube-sandbox.lang", if *lang == Lang::Ko { "ko" } else { "en" });
            if let Ok(json) = serde_json::to_string(&**saved) {
                store("kube-sandbox.lessons", &json);
            }
        });
    }
    {
        // Autosave: after every change worth keeping, and every few seconds for the clock and
        // the editor's text.
        let (d, st) = (state.dispatcher(), state.clone());
        use_effect_with(state.saves, move |_| {
            if let Some(raw) = &st.set_aside {
                persist::set_aside(raw);
            } else if let Some(problem) = persist::autosave(&st) {
                d.dispatch(Action::Notice(Some((problem, true))));
            }
        });
        let st = state.clone();
        let latest = use_mut_ref(|| st.clone());
        *latest.borrow_mut() = st;
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
    {
        let st = state.clone();
        use_effect_with(state.saves, move |_| {
            store(SCROLLBACK, &super::state::kept_scrollback(&st.scrollback.borrow()));
        });
        use_effect_with(state.selected.clone(), |selected| {
            store(
                SELECTED,
                &selected.as_ref().map(|k| format!("{}/{}/{}", k.kind, k.namespace, k.name)).unwrap_or_default(),
            );
        });
        use_effect_with(*tab, |tab| {
            store(TAB, tab);
        });
    }
    let lang = state.lessons.lang;

    let d = state.dispatcher();
    let cb = |f: fn(()) -> Action| {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(f(())))
    };
    let on_run = cb(|_| Action::Run);
    let on_pause = cb(|_| Action::Pause);
    let on_reset = cb(|_| Action::Reset);
    let on_clear = cb(|_| Action::ClearTerminal);
    let on_close = cb(|_| Action::Select(None));
    let on_settle = cb(|_| Action::Settle);
    let on_step = {
        let d = d.clone();
        Callback::from(move |s: u64| d.dispatch(Action::Step(s)))
    };
    let on_speed = {
        let d = d.clone();
        Callback::from(move |x: f64| d.dispatch(Action::SetSpeed(x)))
    };
    let on_line = {
        let d = d.clone();
        Callback::from(move |l: String| d.dispatch(Action::RunLine(l)))
    };
    let on_cancel = {
        let d = d.clone();
        Callback::from(move |typed: String| d.dispatch(Action::CancelLine(typed)))
    };
    let on_apply = {
        let d = d.clone();
        Callback::from(move |t: String| d.dispatch(Action::Apply(t)))
    };
    let on_select = {
        let d = d.clone();
        Callback::from(move |k| d.dispatch(Action::Select(Some(k))))
    };
    let lesson_cb = |f: fn(()) -> LessonAction| {
        let d = d.clone();
        Callback::from(move |_: ()| d.dispatch(Action::Lesson(f(()))))
    };
    let on_lesson_open = {
        let d = d.clone();
        Callback::from(move |id: String| d.dispatch(Action::Lesson(LessonAction::Open(id))))
    };
    let on_lesson_goto = {
        let d = d.clone();
        Callback::from(move |i: usize| d.dispatch(Action::Lesson(LessonAction::Goto(i))))
    };
    let on_load_yaml = {
        let (d, tab) = (d.clone(), tab.clone());
        Callback::from(move |y: String| {
            tab.set("editor");
            d.dispatch(Action::LoadYaml(y));
        })
    };
    let on_put_command = {
        let (d, tab, presenting) = (d.clone(), tab.clone(), *presenting);
        Callback::from(move |c: String| {
            tab.set("terminal");
            // In front of a class ▶ runs the command, so everyone sees what it does; alone,
            // the learner gets it in the prompt to read (or change) before pressing Enter.
            d.dispatch(if presenting { Action::RunLine(c) } else { Action::PutCommand(c) });
        })
    };
    let on_show_me = {
        let (d, tab) = (d.clone(), tab.clone());
        Callback::from(move |_: ()| {
            tab.set("terminal");
            d.dispatch(Action::Lesson(LessonAction::ShowMe));
        })
    };
    let toggle_lessons = lesson_cb(|_| LessonAction::Toggle).reform(|_: MouseEvent| ());
    let switch_lang = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| {
            let next = if lang == Lang::Ko { Lang::En } else { Lang::Ko };
            d.dispatch(Action::Lesson(LessonAction::SetLang(next)));
        })
    };
    let on_select_event = on_select.clone();
    let on_select_link = on_select.clone();
    let on_select_related = on_select.clone();

    let rollouts = super::rollout_view::rollouts(&state.sim.borrow());
    let (nodes, pending, events, clock, speed, latest_decision) = {
        let sim = state.sim.borrow();
        let latest = super::decision_table::recent(&sim, DECISION_SHOWN);
        (NodeView::all(&sim), pending_pods(&sim), recent(&sim, 40), sim.now().elapsed_clock(), sim.speed, latest)
    };
    // The inspector's texts are kubectl's answers about the selected object: computed again only
    // when the selection or anything in the store changed (the store's resourceVersion), not on
    // every tick of the clock.
    let (describe, yaml, decision, (owners, children)) = match &state.selected {
        Some(key) => {
            let version = state.sim.borrow().store().resource_version();
            let mut cache = inspected.borrow_mut();
            match &*cache {
                Some((k, v, texts)) if k == key && *v == version => texts.clone(),
                _ => {
                    let mut sim = state.sim.borrow_mut();
                    let decision = (key.kind == "Pod").then(|| Decision::latest(&sim, key)).flatten();
                    let rel = related(&sim, key);
                    let texts =
                        (render_text(&mut sim, key, "describe"), render_text(&mut sim, key, "yaml"), decision, rel);
                    *cache = Some((key.clone(), sim.store().resource_version(), texts.clone()));
                    texts
                }
            }
        }
        None => (String::new(), String::new(), None, (Vec::new(), Vec::new())),
    };
    let on_command = {
        let (d, tab) = (d.clone(), tab.clone());
        Callback::from(move |cmd: String| {
            // The command shows in the terminal, so the learner sees what the button did.
            tab.set("terminal");
            d.dispatch(Action::RunLine(cmd));
        })
    };
    let on_toggle = {
        let collapsed = collapsed.clone();
        Callback::from(move |panel: Panel| {
            let next = collapsed.toggled(panel);
            store(&panel.storage_key(), next.stored_value(panel));
            collapsed.set(next);
        })
    };
    let work_collapsed = collapsed.is(Panel::Work);
    let tab_button = |name: &'static str, label: &'static str| {
        let (tab, on_toggle) = (tab.clone(), on_toggle.clone());
        let active = *tab == name && !work_collapsed;
        html! {
            <button class={classes!("tab", active.then_some("active"))} aria-pressed={active.to_string()}
                    data-tab={name} onclick={Callback::from(move |_| {
                        // Asking for a collapsed tab means wanting to see it.
                        if work_collapsed {
                            on_toggle.emit(Panel::Work);
                        }
                        tab.set(name)
                    })}>{ label }</button>
        }
    };
    let cycle_theme = {
        let theme = theme.clone();
        Callback::from(move |_: MouseEvent| {
            let next = match theme.as_str() {
                "auto" => "light",
                "light" => "dark",
                _ => "auto",
            };
            store("kube-sandbox.theme", next);
            theme.set(next.to_string());
        })
    };
    let toggle_share = {
        let share_open = share_open.clone();
        Callback::from(move |_: MouseEvent| share_open.set(!*share_open))
    };
    let close_share = {
        let share_open = share_open.clone();
        Callback::from(move |_: ()| share_open.set(false))
    };
    let on_import = {
        let (d, share_open) = (d.clone(), share_open.clone());
        Callback::from(move |text: String| {
            share_open.set(false);
            d.dispatch(Action::Load(super::state::Source::File(text)));
        })
    };
    let start_fresh = {
        let (d, fresh_undo, lang) = (d.clone(), fresh_undo.clone(), lang);
        Callback::from(move |_: MouseEvent| {
            let ok = web_sys::window()
                .and_then(|w| w.confirm_with_message(t(lang, "Start a fresh sandbox? (You can undo this.)")).ok())
                .unwrap_or(true);
            if ok {
                if let Some(current) = stored(persist::AUTOSAVE) {
                    store(persist::PREVIOUS, &current);
                }
                fresh_undo.set(true);
                d.dispatch(Action::StartFresh);
            }
        })
    };
    let undo_fresh = {
        let (d, fresh_undo) = (d.clone(), fresh_undo.clone());
        Callback::from(move |_: MouseEvent| {
            fresh_undo.set(false);
            if let Some(previous) = stored(persist::PREVIOUS) {
                d.dispatch(Action::Load(super::state::Source::Saved(previous)));
                d.dispatch(Action::Notice(None));
            }
        })
    };
    let dismiss = {
        let (d, fresh_undo) = (d.clone(), fresh_undo.clone());
        Callback::from(move |_: MouseEvent| {
            fresh_undo.set(false);
            d.dispatch(Action::Notice(None));
        })
    };
    {
        // Presenter mode's keys, on the whole window (not while typing, except Esc).
        let (d, st, presenting, legend_shown) =
            (state.dispatcher(), state.clone(), presenting.clone(), legend_shown.clone());
        let latest = use_mut_ref(|| st.clone());
        *latest.borrow_mut() = st;
        // Re-listens when the legend is toggled, so the listener reads its current state.
        use_effect_with((*presenting, *legend_shown), move |&(on, _)| {
            let window = web_sys::window().expect("a page has a window");
            // Space is the clock's in presenter mode: its keyup must not press a focused button.
            let keyup = on.then(|| {
                gloo::events::EventListener::new_with_options(&window, "keyup", active(), |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
                    let typing = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
                    if e.key() == " " && !typing {
                        e.prevent_default();
                    }
                })
            });
            let listener = on.then(|| {
                gloo::events::EventListener::new_with_options(&window, "keydown", active(), move |e| {
                    let Some(e) = e.dyn_ref::<KeyboardEvent>() else { return };
                    let typing = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
                    if e.key() == "Escape" {
                        presenting.set(false);
                        return;
                    }
                    if typing || e.ctrl_key() || e.meta_key() || e.alt_key() {
                        return;
                    }
                    if e.key() == "?" {
                        e.prevent_default();
                        legend_shown.set(!*legend_shown);
                        return;
                    }
                    if e.key() == " " {
                        // Space is the clock's, never a scroll of the focused panel nor a press
                        // of the focused button.
                        e.prevent_default();
                    }
                    let st = latest.borrow().clone();
                    let step = st.lessons.taking.as_ref().map(|t| t.progress.step);
                    let action = super::presenter::action_for(
                        &e.key(),
                        st.selected.as_ref(),
                        &st.sim.borrow(),
                        st.running,
                        step,
                    );
                    if let Some(a) = action {
                        e.prevent_default();
                        d.dispatch(a);
                    }
                })
            });
            move || drop((listener, keyup))
        });
    }
    let toggle_legend = {
        let legend_shown = legend_shown.clone();
        Callback::from(move |_: MouseEvent| legend_shown.set(!*legend_shown))
    };
    let toggle_presenting = {
        let presenting = presenting.clone();
        Callback::from(move |_: MouseEvent| presenting.set(!*presenting))
    };
    let move_halo = {
        let halo = halo.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(el) = halo.cast::<web_sys::HtmlElement>() {
                let _ =
                    el.style().set_property("transform", &format!("translate({}px, {}px)", e.client_x(), e.client_y()));
            }
        })
    };
    let toggle_side = {
        let side_open = side_open.clone();
        Callback::from(move |_: MouseEvent| side_open.set(!*side_open))
    };
    html! {
        <ContextProvider<Lang> context={lang}>
        <div class={classes!("app", presenting.then_some("presenter"), (*presenting && state.lessons.taking.is_some()).then_some("presenting-lesson"))}
             data-theme={(*theme).clone()} onmousemove={presenting.then_some(move_halo)} lang={if lang == Lang::Ko { "ko" } else { "en" }}>
            <header class="topbar">
                <h1 class="brand">{ "kube-sandbox" }</h1>
                <TimeControls {clock} running={state.running} {on_run} {on_pause} {speed} {on_speed} {on_step} {on_reset} {on_settle} on_command={on_command.clone()} />
                <div class="view-controls group session-group" role="group" aria-label={t(lang, "Session")}>
                    <button class="theme" onclick={cycle_theme} title={t(lang, "colour theme: automatic, light or dark")}>
                        { format!("{}: {}", t(lang, "Theme"), t(lang, theme_name(&theme))) }
                    </button>
                    <button class="present" onclick={toggle_presenting} aria-pressed={presenting.to_string()}
                            title={t(lang, "Presenter mode: large type and keys for the class")}>{ t(lang, "Present") }</button>
                    if *presenting {
                        <button class="legend-toggle" onclick={toggle_legend} aria-pressed={legend_shown.to_string()}
                                title={t(lang, "show or hide the key legend (?)")} aria-label={t(lang, "show or hide the key legend (?)")}>{ "?" }</button>
                    }
                    <button class="share" onclick={toggle_share} aria-pressed={share_open.to_string()}>{ t(lang, "Share") }</button>
                    <button class="fresh" onclick={start_fresh} title={t(lang, "Start a fresh sandbox (undoable)")}>{ t(lang, "New") }</button>
                    <button class="lessons-toggle" onclick={toggle_lessons} aria-pressed={state.lessons.open.to_string()}>{ t(lang, "Lessons") }</button>
                    <button class="lang" onclick={switch_lang} title={t(lang, "Language")} lang={if lang == Lang::Ko { "en" } else { "ko" }}>
                        { if lang == Lang::Ko { "English" } else { "한국어" } }
                    </button>
                    <button class="side-toggle" onclick={toggle_side} aria-pressed={side_open.to_string()}
                            title={t(lang, "show or hide the inspector and events")}>{ t(lang, "Inspector") }</button>
                </div>
            </header>
            if *presenting {
                <div class="halo" ref={halo} aria-hidden="true"></div>
                <dl class="key-legend" hidden={!*legend_shown}>
                    { for super::presenter::legend(lang).into_iter().map(|(k, what)| html! { <><dt>{ k }</dt><dd>{ what }</dd></> }) }
                </dl>
            }
            if let Some((text, problem)) = &state.notice {
                <div class={classes!("notice", problem.then_some("problem"))} role="status">
                    <span class="notice-text">{ text.clone() }</span>
                    if *fresh_undo {
                        <button class="undo-fresh" onclick={undo_fresh}>{ t(lang, "Undo") }</button>
                    }
                    <button class="dismiss" onclick={dismiss} aria-label={t(lang, "Dismiss")}>{ "×" }</button>
                </div>
            }
            if *share_open {
                <SharePanel state={std::rc::Rc::new((*state).clone())} {on_import} on_close={close_share} />
            }
            <div class={classes!("body", state.lessons.open.then_some("with-lessons"))}>
            if state.lessons.open {
                <aside class="lesson-aside">
                    <LessonPanel {lang} lessons={state.lessons.list.clone()} taking={state.lessons.taking.clone()}
                                 saved={state.lessons.saved.clone()} setup_error={state.lessons.error.clone()}
                                 on_open={on_lesson_open} on_close={lesson_cb(|_| LessonAction::Close)} on_goto={on_lesson_goto}
                                 on_hint={lesson_cb(|_| LessonAction::Hint)} {on_show_me} {on_load_yaml} {on_put_command} />
                </aside>
            }
            <main class={classes!("workspace", (!*side_open).then_some("side-hidden"), state.selected.is_some().then_some("inspecting"), collapsed.side_rail().then_some("side-rail"))}>
                <div class={classes!("center", work_collapsed.then_some("work-collapsed"))}>
                    <ClusterView {nodes} {pending} {rollouts} decision={latest_decision} selected={state.selected.clone()} {on_select} />
                    <div class={classes!("work-panels", work_collapsed.then_some("collapsed"))}>
                        <nav class="tabs">
                            { tab_button("terminal", t(lang, "Terminal")) }{ tab_button("editor", t(lang, "Editor")) }
                            { toggle_button(Panel::Work, work_collapsed, &on_toggle, lang) }
                        </nav>
                        // Both stay mounted behind each other (and while collapsed) so the
                        // editor's text and undo history, and the prompt's line, survive a look
                        // elsewhere.
                        <div class="panel-slot" hidden={*tab != "terminal" || work_collapsed}>
                            <TerminalPanel scrollback={state.scrollback.clone()} sim={state.sim.clone()}
                                           terminal={state.terminal.clone()} revision={state.revision} {on_line} {on_clear}
                                           on_select={on_select_link} prefill={state.terminal_prefill.clone()}
                                           on_interrupt={cb(|_| Action::Interrupt)} {on_cancel} />
                        </div>
                        <div class="editor-slot" hidden={*tab != "editor" || work_collapsed}>
                            <EditorPanel {on_apply} result={state.apply_result.clone()} load={state.editor_load.clone()}
                                         files={state.editor.clone()} reset={state.editor_reset} />
                        </div>
                    </div>
                </div>
                <aside class={classes!("side", state.selected.is_none().then_some("nothing-selected"),
                                       collapsed.is(Panel::Inspector).then_some("inspector-collapsed"),
                                       collapsed.is(Panel::Events).then_some("events-collapsed"),
                                       collapsed.side_rail().then_some("rail"))} hidden={!*side_open}>
                    <Inspector selected={state.selected.clone()} describe={describe} yaml={yaml} {decision} {on_close} {on_command}
                               {owners} {children} on_select={on_select_related}
                               collapsed={collapsed.is(Panel::Inspector)} on_toggle={on_toggle.clone()} />
                    <EventsPanel {events} selected={state.selected.clone()} on_select={on_select_event}
                                 collapsed={collapsed.is(Panel::Events)} {on_toggle} />
                </aside>
            </main>
            </div>
        </div>
        </ContextProvider<Lang>>
    }
}

/// What the inspector shows of the selected object: describe, YAML, the scheduler's decision,
/// owners and what it owns.
type Inspected =
    (String, String, Option<Decision>, (Vec<crate::sim::store::ObjectKey>, Vec<crate::sim::store::ObjectKey>));

/// Listener options that let a handler call `preventDefault` (gloo's listeners are passive by
/// default, and a passive listener cannot keep Space from scrolling or pressing a button).
fn active() -> gloo::events::EventListenerOptions {
    gloo::events::EventListenerOptions::enable_prevent_default()
}

/// The theme's name as the button shows it.
fn theme_name(theme: &str) -> &'static str {
    match theme {
        "light" => "light",
        "dark" => "dark",
        _ => "auto",
    }
}

/// Whether the page's address asks for the clock to start paused (`?clock=paused`): for a
/// demonstration that goes one step at a time, and for tests that need a frozen clock.
fn clock_paused_by_address() -> bool {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    search.trim_start_matches('?').split('&').any(|kv| kv == "clock=paused")
}

/// Records when the cluster was first drawn, for the load-time benchmark
/// (`performance.getEntriesByName("cluster-drawn")`).
fn mark_cluster_drawn() {
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark("cluster-drawn");
    }
}
