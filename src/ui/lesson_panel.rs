//! The lesson beside the cluster: the list of lessons with the learner's progress, and the
//! lesson being taken, one step at a time, with its "try it" buttons, hints, "show me", and
//! whether the cluster already shows the step done.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use super::i18n::{t, Lang};
use super::markdown;
use super::vm_widget::VmWidget;
use crate::lessons::run::{Progress, Taking};
use crate::lessons::{Lesson, Part};

#[derive(Properties, PartialEq)]
pub struct LessonPanelProps {
    pub lang: Lang,
    /// Every lesson in the interface's language, in order.
    pub lessons: Rc<Vec<Lesson>>,
    /// The lesson being taken.
    pub taking: Option<Rc<Taking>>,
    /// Saved progress, by lesson id.
    pub saved: Rc<BTreeMap<String, Progress>>,
    /// Why the lesson's setup failed, if it did.
    #[prop_or_default]
    pub setup_error: Option<String>,
    pub on_open: Callback<String>,
    pub on_close: Callback<()>,
    pub on_goto: Callback<usize>,
    pub on_hint: Callback<()>,
    pub on_show_me: Callback<()>,
    pub on_load_yaml: Callback<String>,
    pub on_put_command: Callback<String>,
}

#[component]
pub fn LessonPanel(props: &LessonPanelProps) -> Html {
    match &props.taking {
        None => list(props),
        Some(taking) => lesson(props, taking),
    }
}

/// Every lesson, with how far the learner got.
fn list(props: &LessonPanelProps) -> Html {
    let lang = props.lang;
    html! {
        <section class="lessons" aria-label={t(lang, "Lessons")}>
            <h2>{ t(lang, "Lessons") }</h2>
            <p class="note">{ t(lang, "Starting a lesson resets the cluster to the lesson's starting point.") }</p>
            <ol class="lesson-list">
                { for props.lessons.iter().filter(|l| !l.steps.is_empty()).map(|l| {
                    let done = props.saved.get(&l.id).map_or(0, |p| p.done.len());
                    let total = l.steps.len();
                    let label = if done == 0 { t(lang, "Start") } else if done >= total { t(lang, "Start again") } else { t(lang, "Continue") };
                    let open = {
                        let (cb, id) = (props.on_open.clone(), l.id.clone());
                        Callback::from(move |_: MouseEvent| cb.emit(id.clone()))
                    };
                    html! {
                        <li class={classes!("lesson-item", (done >= total).then_some("complete"))} data-lesson={l.id.clone()}>
                            <span class="lesson-no">{ l.order }</span>
                            <span class="lesson-title">{ l.title.clone() }</span>
                            <span class="lesson-progress">{ if done >= total { "✓".to_string() } else { format!("{done}/{total}") } }</span>
                            <button class="lesson-open" onclick={open}>{ label }</button>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}

/// The lesson being taken, at its current step.
fn lesson(props: &LessonPanelProps, taking: &Taking) -> Html {
    let lang = props.lang;
    let l = &taking.lesson;
    let p = &taking.progress;
    let total = l.steps.len();
    let close = props.on_close.reform(|_: MouseEvent| ());
    let dots = html! {
        <ol class="step-dots">
            { for (0..total).map(|i| {
                let goto = props.on_goto.reform(move |_: MouseEvent| i);
                let done = p.done.contains(&i);
                html! {
                    <li><button class={classes!("dot", done.then_some("done"), (i == p.step).then_some("current"))}
                                title={format!("{} {}", t(lang, "Step"), i + 1)} onclick={goto}>
                        { if done { "✓".to_string() } else { (i + 1).to_string() } }
                    </button></li>
                }
            }) }
        </ol>
    };
    let body = match taking.current() {
        None => html! {
            <div class="lesson-finished"><p>{ t(lang, "Finished! Every step is done.") }</p>
                <button onclick={close.clone()}>{ t(lang, "All lessons") }</button></div>
        },
        Some(step) => {
            let done = p.done.contains(&p.step);
            let next = props.on_goto.reform({
                let i = p.step + 1;
                move |_: MouseEvent| i
            });
            let prev = props.on_goto.reform({
                let i = p.step.saturating_sub(1);
                move |_: MouseEvent| i
            });
            let more_hints = p.hints < step.hints.len();
            html! {
                <div class="step">
                    if p.step == 0 {
                        <div class="intro">{ for l.intro.iter().map(|part| render_part(part, props)) }</div>
                    }
                    <h3>{ format!("{} {} {} {} · {}", t(lang, "Step"), p.step + 1, t(lang, "of"), total, step.title) }</h3>
                    { for step.parts.iter().map(|part| render_part(part, props)) }
                    if p.hints > 0 {
                        <div class="hints">
                            { for step.hints.iter().take(p.hints).map(|h| html! { <div class="hint">{ markdown::render(h) }</div> }) }
                        </div>
                    }
                    <div class={classes!("step-status", if done { "done" } else { "pending" })} role="status">
                        { if done { format!("✓ {}", t(lang, "Done")) } else { format!("○ {} — {}", t(lang, "Not yet"), t(lang, "Checking the cluster…")) } }
                    </div>
                    <div class="step-actions">
                        <button class="prev" onclick={prev} disabled={p.step == 0}>{ t(lang, "Previous") }</button>
                        if more_hints {
                            <button class="hint-button" onclick={props.on_hint.reform(|_: MouseEvent| ())}>
                                { if p.hints == 0 { t(lang, "Hint") } else { t(lang, "Another hint") } }
                            </button>
                        }
                        <button class="show-me" onclick={props.on_show_me.reform(|_: MouseEvent| ())}>{ t(lang, "Show me") }</button>
                        <button class={classes!("next", done.then_some("primary"))} onclick={next}>{ t(lang, "Next step") }</button>
                    </div>
                </div>
            }
        }
    };
    html! {
        <section class="lessons taking" aria-label={t(lang, "Lesson")} data-lesson={l.id.clone()}>
            <header class="lesson-head">
                <button class="lesson-back" onclick={close} title={t(lang, "Close lesson")}>{ "←" }</button>
                <h2>{ l.title.clone() }</h2>
            </header>
            { dots }
            if let Some(e) = &props.setup_error {
                <pre class="setup-error">{ format!("{}\n{e}", t(lang, "The lesson could not set up its cluster:")) }</pre>
            }
            { body }
        </section>
    }
}

fn render_part(part: &Part, props: &LessonPanelProps) -> Html {
    let lang = props.lang;
    match part {
        Part::Text(md) => html! { <div class="text">{ markdown::render(md) }</div> },
        Part::Code { text, .. } => html! { <pre class="code"><code>{ text.clone() }</code></pre> },
        Part::Editor(yaml) => {
            let load = {
                let (cb, yaml) = (props.on_load_yaml.clone(), yaml.clone());
                Callback::from(move |_: MouseEvent| cb.emit(yaml.clone()))
            };
            html! {
                <div class="try try-editor">
                    <button class="load-yaml" onclick={load}>{ t(lang, "Load into editor") }</button>
                    <pre><code>{ yaml.clone() }</code></pre>
                </div>
            }
        }
        Part::Commands(lines) => html! {
            <div class="try try-terminal">
                { for lines.iter().map(|line| {
                    let put = {
                        let (cb, line) = (props.on_put_command.clone(), line.clone());
                        Callback::from(move |_: MouseEvent| cb.emit(line.clone()))
                    };
                    html! {
                        <div class="try-line">
                            <code>{ format!("$ {line}") }</code>
                            <button class="put-command" onclick={put} title={t(lang, "Put in terminal")}>{ "▶" }</button>
                        </div>
                    }
                }) }
            </div>
        },
        Part::Widget(name) if name == "vm-vs-containers" => html! { <VmWidget {lang} /> },
        Part::Widget(name) => html! { <p class="note">{ format!("({name})") }</p> },
    }
}
