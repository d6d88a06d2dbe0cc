//! The dock below the cluster: the terminal and the editor behind their tabs, collapsible.

use yew::prelude::*;

use super::editor_panel::EditorPanel;
use super::i18n::t;
use super::panels::{toggle_button, Panel};
use super::state::{send, Action, PageProps};
use super::terminal_panel::TerminalPanel;
use super::view_state::{Tab, ViewAction};

#[component]
pub fn Dock(props: &PageProps) -> Html {
    let page = &props.page;
    let lang = page.lessons.lang;
    let collapsed = page.view.collapsed.is(Panel::Work);
    let tab = page.view.tab;
    let on_toggle = send(page, |p: Panel| Action::View(ViewAction::TogglePanel(p)));
    let tab_button = |which: Tab, label: &'static str| {
        let active = tab == which && !collapsed;
        html! {
            <button class={classes!("tab", active.then_some("active"))} aria-pressed={active.to_string()}
                    data-tab={which.name()} onclick={send(page, move |_: MouseEvent| Action::View(ViewAction::TabButton(which)))}>
                { label }
            </button>
        }
    };
    html! {
        <div class={classes!("work-panels", collapsed.then_some("collapsed"))}>
            <nav class="tabs">
                { tab_button(Tab::Terminal, t(lang, "Terminal")) }{ tab_button(Tab::Editor, t(lang, "Editor")) }
                { toggle_button(Panel::Work, collapsed, &on_toggle, lang) }
            </nav>
            // Both stay mounted behind each other (and while collapsed) so the editor's text and
            // undo history, and the prompt's line, survive a look elsewhere.
            <div class="panel-slot" hidden={tab != Tab::Terminal || collapsed}>
                <TerminalPanel scrollback={page.scrollback.clone()} sim={page.sim.clone()}
                               terminal={page.terminal.clone()} revision={page.revision}
                               on_line={send(page, Action::RunLine)} on_clear={send(page, |_| Action::ClearTerminal)}
                               on_select={send(page, |k| Action::Select(Some(k)))} prefill={page.prompt.clone()}
                               on_interrupt={send(page, |_| Action::Interrupt)} on_cancel={send(page, Action::CancelLine)} />
            </div>
            <div class="editor-slot" hidden={tab != Tab::Editor || collapsed}>
                <EditorPanel on_apply={send(page, Action::Apply)} result={page.apply_result.clone()}
                             load={page.editor_load.clone()} files={page.editor.clone()} reset={page.editor_reset} />
            </div>
        </div>
    }
}
