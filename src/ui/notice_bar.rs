//! The message above the workspace (a link that could not be opened, a restore, "started
//! fresh" with its Undo).

use yew::prelude::*;

use super::i18n::t;
use super::persist::{self, stored};
use super::state::{Action, PageProps, Source};
use super::view_state::ViewAction;

#[component]
pub fn NoticeBar(props: &PageProps) -> Html {
    let page = &props.page;
    let lang = page.lessons.lang;
    let Some((text, problem)) = &page.notice else { return html! {} };
    let undo_fresh = {
        let d = page.dispatcher();
        Callback::from(move |_: MouseEvent| {
            d.dispatch(Action::View(ViewAction::FreshUndo(false)));
            if let Some(previous) = stored(persist::PREVIOUS) {
                d.dispatch(Action::Load(Source::Saved(previous)));
                d.dispatch(Action::Notice(None));
            }
        })
    };
    let dismiss = {
        let d = page.dispatcher();
        Callback::from(move |_: MouseEvent| {
            d.dispatch(Action::View(ViewAction::FreshUndo(false)));
            d.dispatch(Action::Notice(None));
        })
    };
    html! {
        <div class={classes!("notice", problem.then_some("problem"))} role="status">
            <span class="notice-text">{ text.clone() }</span>
            if page.view.fresh_undo {
                <button class="undo-fresh" onclick={undo_fresh}>{ t(lang, "Undo") }</button>
            }
            <button class="dismiss" onclick={dismiss} aria-label={t(lang, "Dismiss")}>{ "×" }</button>
        </div>
    }
}
