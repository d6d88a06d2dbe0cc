//! The lesson column at the page's left, when lessons are open.

use yew::prelude::*;

use super::lesson_panel::LessonPanel;
use super::state::{send, Action, LessonAction, PageProps};
use super::view_state::{Tab, ViewAction};

#[component]
pub fn LessonAside(props: &PageProps) -> Html {
    let page = &props.page;
    let lessons = &page.lessons;
    if !lessons.open {
        return html! {};
    }
    let lesson = |a: LessonAction| send(page, move |_: ()| Action::Lesson(a.clone()));
    let on_show_me = {
        let d = page.dispatcher();
        Callback::from(move |_: ()| {
            d.dispatch(Action::View(ViewAction::SetTab(Tab::Terminal)));
            d.dispatch(Action::Lesson(LessonAction::ShowMe));
        })
    };
    html! {
        <aside class="lesson-aside">
            <LessonPanel lang={lessons.lang} lessons={lessons.list.clone()} taking={lessons.taking.clone()}
                         saved={lessons.saved.clone()} setup_error={lessons.error.clone()}
                         on_open={send(page, |id| Action::Lesson(LessonAction::Open(id)))}
                         on_close={lesson(LessonAction::Close)}
                         on_goto={send(page, |i| Action::Lesson(LessonAction::Goto(i)))}
                         on_hint={lesson(LessonAction::Hint)} {on_show_me}
                         on_load_yaml={send(page, Action::LoadYaml)} on_put_command={send(page, Action::PutCommand)} />
        </aside>
    }
}
