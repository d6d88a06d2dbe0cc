//! The bar across the top: the name, the clock's controls, and the session's buttons (theme,
//! presenter mode, share, start fresh, lessons, language, inspector).

use yew::prelude::*;

use super::i18n::{t, Lang};
use super::persist::{self, store, stored};
use super::state::{send, Action, LessonAction, PageProps};
use super::time_controls::TimeControls;
use super::view_state::ViewAction;

#[component]
pub fn TopBar(props: &PageProps) -> Html {
    let page = &props.page;
    let (lang, view) = (page.lessons.lang, page.view);
    let (clock, speed) = {
        let sim = page.sim.borrow();
        (sim.now().elapsed_clock(), sim.speed)
    };
    let view_cb = |a: ViewAction| send(page, move |_: MouseEvent| Action::View(a));
    let switch_lang = send(page, move |_: MouseEvent| {
        Action::Lesson(LessonAction::SetLang(if lang == Lang::Ko { Lang::En } else { Lang::Ko }))
    });
    let start_fresh = {
        let d = page.dispatcher();
        Callback::from(move |_: MouseEvent| {
            let ok = web_sys::window()
                .and_then(|w| w.confirm_with_message(t(lang, "Start a fresh sandbox? (You can undo this.)")).ok())
                .unwrap_or(true);
            if ok {
                if let Some(current) = stored(persist::AUTOSAVE) {
                    store(persist::PREVIOUS, &current);
                }
                d.dispatch(Action::StartFresh);
            }
        })
    };
    html! {
        <header class="topbar">
            <h1 class="brand">{ "kube-sandbox" }</h1>
            <TimeControls {clock} running={page.running} on_run={send(page, |_| Action::Run)}
                          on_pause={send(page, |_| Action::Pause)} {speed} on_speed={send(page, Action::SetSpeed)}
                          on_step={send(page, Action::Step)} on_reset={send(page, |_| Action::Reset)}
                          on_settle={send(page, |_| Action::Settle)} on_command={send(page, Action::Command)} />
            <div class="view-controls group session-group" role="group" aria-label={t(lang, "Session")}>
                <button class="theme" onclick={view_cb(ViewAction::CycleTheme)} title={t(lang, "colour theme: automatic, light or dark")}>
                    { format!("{}: {}", t(lang, "Theme"), t(lang, view.theme.name())) }
                </button>
                <button class="present" onclick={view_cb(ViewAction::TogglePresenting)} aria-pressed={view.presenting.to_string()}
                        title={t(lang, "Presenter mode: large type and keys for the class")}>{ t(lang, "Present") }</button>
                if view.presenting {
                    <button class="legend-toggle" onclick={view_cb(ViewAction::ToggleLegend)} aria-pressed={view.legend_shown.to_string()}
                            title={t(lang, "show or hide the key legend (?)")} aria-label={t(lang, "show or hide the key legend (?)")}>{ "?" }</button>
                }
                <button class="share" onclick={view_cb(ViewAction::ToggleShare)} aria-pressed={view.share_open.to_string()}>{ t(lang, "Share") }</button>
                <button class="fresh" onclick={start_fresh} title={t(lang, "Start a fresh sandbox (undoable)")}>{ t(lang, "New") }</button>
                <button class="lessons-toggle" onclick={send(page, |_: MouseEvent| Action::Lesson(LessonAction::Toggle))}
                        aria-pressed={page.lessons.open.to_string()}>{ t(lang, "Lessons") }</button>
                <button class="lang" onclick={switch_lang} title={t(lang, "Language")} lang={if lang == Lang::Ko { "en" } else { "ko" }}>
                    { if lang == Lang::Ko { "English" } else { "한국어" } }
                </button>
                <button class="side-toggle" onclick={view_cb(ViewAction::ToggleSide)} aria-pressed={view.side_open.to_string()}
                        title={t(lang, "show or hide the inspector and events")}>{ t(lang, "Inspector") }</button>
            </div>
        </header>
    }
}
