//! The top-level component: the one owner of the page's state (a reducer, see
//! [`super::state`]), and the layout of the parts that draw it: the top bar above, the lessons
//! at the left, the cluster with the terminal and editor dock below it, the inspector and events
//! beside it.

use yew::prelude::*;

use super::cluster_pane::ClusterPane;
use super::dock::Dock;
use super::i18n::Lang;
use super::lesson_aside::LessonAside;
use super::notice_bar::NoticeBar;
use super::page_effects::{initial, use_clock, use_mark_cluster_drawn, use_opening, use_presenter_keys, use_saving};
use super::panels::Panel;
use super::share_panel::SharePanel;
use super::side_panel::SidePanel;
use super::state::{send, Action, Source};
use super::top_bar::TopBar;
use super::view_state::ViewAction;

/// The whole page.
#[component]
pub fn App() -> Html {
    let page = use_reducer(initial);
    use_clock(&page);
    use_mark_cluster_drawn();
    use_opening(&page);
    use_saving(&page);
    use_presenter_keys(&page);
    let halo = use_node_ref();

    let (lang, view) = (page.lessons.lang, page.view);
    let move_halo = {
        let halo = halo.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(el) = halo.cast::<web_sys::HtmlElement>() {
                let _ =
                    el.style().set_property("transform", &format!("translate({}px, {}px)", e.client_x(), e.client_y()));
            }
        })
    };
    let on_import = {
        let d = page.dispatcher();
        Callback::from(move |text: String| {
            d.dispatch(Action::View(ViewAction::CloseShare));
            d.dispatch(Action::Load(Source::File(text)));
        })
    };
    let work_collapsed = view.collapsed.is(Panel::Work);
    html! {
        <ContextProvider<Lang> context={lang}>
        <div class={classes!("app", view.presenting.then_some("presenter"), (view.presenting && page.lessons.taking.is_some()).then_some("presenting-lesson"))}
             data-theme={view.theme.name()} onmousemove={view.presenting.then_some(move_halo)} lang={if lang == Lang::Ko { "ko" } else { "en" }}>
            <TopBar page={page.clone()} />
            if view.presenting {
                <div class="halo" ref={halo} aria-hidden="true"></div>
                <dl class="key-legend" hidden={!view.legend_shown}>
                    { for super::presenter::legend(lang).into_iter().map(|(k, what)| html! { <><dt>{ k }</dt><dd>{ what }</dd></> }) }
                </dl>
            }
            <NoticeBar page={page.clone()} />
            if view.share_open {
                <SharePanel state={std::rc::Rc::new((*page).clone())} {on_import}
                            on_close={send(&page, |_| Action::View(ViewAction::CloseShare))} />
            }
            <div class={classes!("body", page.lessons.open.then_some("with-lessons"))}>
            <LessonAside page={page.clone()} />
            <main class={classes!("workspace", (!view.side_open).then_some("side-hidden"), page.selected.is_some().then_some("inspecting"), view.collapsed.side_rail().then_some("side-rail"))}>
                <div class={classes!("center", work_collapsed.then_some("work-collapsed"))}>
                    <ClusterPane page={page.clone()} />
                    <Dock page={page.clone()} />
                </div>
                <SidePanel page={page.clone()} />
            </main>
            </div>
        </div>
        </ContextProvider<Lang>>
    }
}
