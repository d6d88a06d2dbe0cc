//! The terminal: scrollback, a prompt with history (↑/↓, kept in the browser), Tab completion
//! from `shell::completion`, Ctrl+L to clear. A line that is not yet a whole command (an open
//! quote, `$(`, here-document or a trailing `\`) waits for more at bash's `> ` prompt; Ctrl+C
//! abandons it.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::i18n::{t, use_lang};
use super::state::Line;
use crate::shell::completion;
use crate::shell::terminal::Terminal;
use crate::shell::transcript;
use crate::sim::store::ObjectKey;
use crate::sim::Sim;

const HISTORY_KEY: &str = "kube-sandbox.history";
const MAX_HISTORY: usize = 500;

fn load_history() -> Vec<String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(HISTORY_KEY).ok().flatten())
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

fn save_history(h: &[String]) {
    if let (Some(storage), Ok(text)) =
        (web_sys::window().and_then(|w| w.local_storage().ok().flatten()), serde_json::to_string(h))
    {
        let _ = storage.set_item(HISTORY_KEY, &text);
    }
}

/// The longest common start of the candidates, to complete as far as they agree.
fn common_prefix(candidates: &[String]) -> String {
    let Some(first) = candidates.first() else { return String::new() };
    let mut end = first.len();
    for c in &candidates[1..] {
        end = first.char_indices().zip(c.chars()).take_while(|((_, a), b)| a == b).count().min(end);
    }
    first.chars().take(end).collect()
}

#[derive(Properties)]
pub struct TerminalPanelProps {
    pub scrollback: Rc<RefCell<Vec<Line>>>,
    pub sim: Rc<RefCell<Sim>>,
    pub terminal: Rc<RefCell<Terminal>>,
    pub revision: u64,
    pub on_line: Callback<String>,
    pub on_clear: Callback<()>,
    /// Ctrl+C with nothing typed: stops a watch still printing.
    #[prop_or_default]
    pub on_interrupt: Callback<()>,
    /// Ctrl+C with lines typed: they are abandoned (shown, not run).
    #[prop_or_default]
    pub on_cancel: Callback<String>,
    /// Selects an object named in the output (`deployment.apps/web`).
    #[prop_or_default]
    pub on_select: Callback<ObjectKey>,
    /// A command to put at the prompt (a lesson's "try it"): a new order for each request.
    #[prop_or_default]
    pub prefill: Option<super::state::Order<String>>,
}

/// The object a `kind[.group]/name` word names, if it is one.
pub fn object_ref(word: &str, namespace: &str) -> Option<ObjectKey> {
    let (ty, name) = word.split_once('/')?;
    let kind_word = ty.split('.').next().unwrap_or(ty);
    let valid = |s: &str| {
        !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
    };
    if !valid(ty) || !valid(name) {
        return None;
    }
    let r = crate::sim::api::discovery::lookup_name(kind_word)?;
    Some(ObjectKey {
        kind: r.kind.to_string(),
        namespace: if r.namespaced { namespace.to_string() } else { String::new() },
        name: name.to_string(),
    })
}

/// Output text with `kind/name` words as links that select the object.
fn linkify(text: &str, namespace: &str, on_select: &Callback<ObjectKey>) -> Html {
    let mut parts: Vec<Html> = Vec::new();
    let mut plain = String::new();
    for piece in text.split_inclusive([' ', '\n', '"']) {
        let word = piece.trim_end_matches([' ', '\n', '"']);
        let tail = &piece[word.len()..];
        match object_ref(word, namespace) {
            Some(key) => {
                parts.push(html! { { std::mem::take(&mut plain) } });
                let cb = on_select.clone();
                let onclick = Callback::from(move |e: MouseEvent| {
                    e.stop_propagation();
                    cb.emit(key.clone());
                });
                parts.push(html! { <button class="obj-link" {onclick}>{ word.to_string() }</button> });
                plain.push_str(tail);
            }
            None => plain.push_str(piece),
        }
    }
    parts.push(html! { { plain } });
    html! { <>{ for parts }</> }
}

impl PartialEq for TerminalPanelProps {
    /// The shared sim and terminal change in place; `revision` says when.
    fn eq(&self, other: &Self) -> bool {
        self.revision == other.revision
            && Rc::ptr_eq(&self.sim, &other.sim)
            && Rc::ptr_eq(&self.terminal, &other.terminal)
            && Rc::ptr_eq(&self.scrollback, &other.scrollback)
            && self.on_line == other.on_line
            && self.on_clear == other.on_clear
            && self.on_interrupt == other.on_interrupt
            && self.on_cancel == other.on_cancel
            && self.on_select == other.on_select
            && self.prefill == other.prefill
    }
}

#[component]
pub fn TerminalPanel(props: &TerminalPanelProps) -> Html {
    let lang = use_lang();
    let streaming = props.terminal.borrow().stream.is_some();
    let input = use_node_ref();
    let history = use_mut_ref(load_history);
    let position = use_mut_ref(|| None::<usize>);
    let hint = use_state(String::new);
    // The lines typed so far of a command not yet whole, shown above the `> ` prompt.
    let pending = use_mut_ref(|| None::<String>);
    let redraw = use_force_update();
    let scroll = use_node_ref();
    {
        let scroll = scroll.clone();
        let typed = pending.borrow().as_ref().map_or(0, String::len);
        use_effect_with((props.revision, typed), move |_| {
            if let Some(el) = scroll.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    {
        // The prompt takes the keyboard when the terminal is shown.
        let input = input.clone();
        use_effect_with((), move |_| {
            if let Some(el) = input.cast::<HtmlInputElement>() {
                let _ = el.focus();
            }
        });
    }
    {
        let input = input.clone();
        use_effect_with(props.prefill.clone(), move |prefill| {
            if let (Some(line), Some(el)) = (prefill, input.cast::<HtmlInputElement>()) {
                el.set_value(line);
                let _ = el.focus();
            }
        });
    }
    let onkeydown = {
        let (input, history, position, hint) = (input.clone(), history.clone(), position.clone(), hint.clone());
        let (pending, redraw, on_cancel) = (pending.clone(), redraw.clone(), props.on_cancel.clone());
        let (on_line, on_clear, sim, terminal) =
            (props.on_line.clone(), props.on_clear.clone(), props.sim.clone(), props.terminal.clone());
        let on_interrupt = props.on_interrupt.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(el) = input.cast::<HtmlInputElement>() else { return };
            match e.key().as_str() {
                "Enter" => {
                    let line = el.value();
                    el.set_value("");
                    hint.set(String::new());
                    *position.borrow_mut() = None;
                    if !line.trim().is_empty() {
                        let mut h = history.borrow_mut();
                        if h.last() != Some(&line) {
                            h.push(line.clone());
                        }
                        let excess = h.len().saturating_sub(MAX_HISTORY);
                        h.drain(..excess);
                        save_history(&h);
                    }
                    // Each line typed goes to the history on its own, as bash keeps them with
                    // `cmdhist` off; the command runs when its last line is in.
                    let typed = match pending.borrow_mut().take() {
                        Some(before) => format!("{before}\n{line}"),
                        None => line,
                    };
                    if transcript::incomplete(&typed) {
                        *pending.borrow_mut() = Some(typed);
                        redraw.force_update();
                        return;
                    }
                    redraw.force_update();
                    on_line.emit(typed);
                }
                "ArrowUp" | "ArrowDown" => {
                    e.prevent_default();
                    let h = history.borrow();
                    if h.is_empty() {
                        return;
                    }
                    let mut pos = position.borrow_mut();
                    let next = match (e.key().as_str(), *pos) {
                        ("ArrowUp", None) => Some(h.len() - 1),
                        ("ArrowUp", Some(p)) => Some(p.saturating_sub(1)),
                        ("ArrowDown", Some(p)) if p + 1 < h.len() => Some(p + 1),
                        _ => None,
                    };
                    *pos = next;
                    el.set_value(next.map_or("", |p| h[p].as_str()));
                }
                "Tab" => {
                    e.prevent_default();
                    let line = el.value();
                    let t = terminal.borrow();
                    let c = completion::complete(&sim.borrow(), &t.files, &t.cwd, &line);
                    let prefix = common_prefix(&c.candidates);
                    if c.candidates.len() == 1 {
                        let done = &c.candidates[0];
                        let space = if done.ends_with('/') { "" } else { " " };
                        el.set_value(&format!("{}{done}{space}", &line[..c.start]));
                        hint.set(String::new());
                    } else if !c.candidates.is_empty() {
                        if prefix.len() > line.len() - c.start {
                            el.set_value(&format!("{}{prefix}", &line[..c.start]));
                        }
                        hint.set(c.candidates.iter().take(40).cloned().collect::<Vec<_>>().join("  "));
                    }
                }
                "l" if e.ctrl_key() => {
                    e.prevent_default();
                    on_clear.emit(());
                }
                "d" if e.ctrl_key() && el.value().is_empty() && terminal.borrow().session.is_some() => {
                    // Ctrl+D on an empty line leaves a container's shell, as end of input does.
                    e.prevent_default();
                    on_line.emit("exit".into());
                }
                "c" if e.ctrl_key() => {
                    // Ctrl+C stops a watch still printing, and abandons the line being typed, as
                    // a shell does. (With text selected, it copies as usual.)
                    let selected = el.selection_start().ok().flatten() != el.selection_end().ok().flatten();
                    if selected {
                        return;
                    }
                    let typed = match pending.borrow_mut().take() {
                        Some(before) => format!("{before}\n{}", el.value()),
                        None => el.value(),
                    };
                    if typed.is_empty() {
                        on_interrupt.emit(());
                    } else {
                        on_cancel.emit(typed);
                    }
                    el.set_value("");
                    hint.set(String::new());
                    redraw.force_update();
                }
                _ => {}
            }
        })
    };
    let focus = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(el) = input.cast::<HtmlInputElement>() {
                let _ = el.focus();
            }
        })
    };
    let scrollback = props.scrollback.borrow();
    let namespace = crate::shell::kubectl::config::default_namespace(&props.sim.borrow());
    let on_select = props.on_select.clone();
    let render_out = move |text: &str| linkify(text, &namespace, &on_select);
    html! {
        <section class="terminal" aria-label="terminal" onclick={focus}>
            <div class="scrollback" ref={scroll} role="log" aria-live="polite">
                { for scrollback.iter().map(|l| match l {
                    Line::Command(p, c) => command_lines(p, c, ""),
                    Line::Stdout(t) => html! { <pre class="out">{ render_out(t) }</pre> },
                    Line::Screen(t) => html! { <pre class="out screen">{ render_out(t) }</pre> },
                    Line::Stderr(t) => html! { <pre class="err">{ t.clone() }</pre> },
                }) }
                if let Some(typed) = &*pending.borrow() {
                    { command_lines(&props.terminal.borrow().prompt(), typed, "pending") }
                }
            </div>
            if !hint.is_empty() {
                <div class="completions">{ (*hint).clone() }</div>
            }
            <div class="prompt-line">
                <span class="prompt">{ if pending.borrow().is_some() { CONTINUATION.to_string() } else { props.terminal.borrow().prompt() } }</span>
                <input ref={input} class="terminal-input" type="text" spellcheck="false" autocomplete="off"
                       aria-label="command" {onkeydown}
                       placeholder={if streaming { t(lang, "Ctrl+C stops it") } else { "kubectl get pods" }} />
            </div>
        </section>
    }
}

/// bash's `PS2`: the prompt of a command's further lines.
const CONTINUATION: &str = "> ";

/// A command as typed: its first line after `prompt`, each further line after `> `.
fn command_lines(prompt: &str, typed: &str, class: &'static str) -> Html {
    html! {
        <div class={classes!("cmd", (!class.is_empty()).then_some(class))}>
            { for typed.split('\n').enumerate().map(|(i, line)| html! {
                <div class="cmd-line"><span class="prompt">{ if i == 0 { prompt } else { CONTINUATION } }</span>{ line.to_string() }</div>
            }) }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::common_prefix;

    #[test]
    fn kind_slash_name_words_name_objects() {
        let key = super::object_ref("deployment.apps/web", "default").unwrap();
        assert_eq!((key.kind.as_str(), key.namespace.as_str(), key.name.as_str()), ("Deployment", "default", "web"));
        assert_eq!(super::object_ref("node/node-1", "default").unwrap().namespace, "");
        assert!(super::object_ref("10/10", "default").is_none());
        assert!(super::object_ref("a/b/c", "default").is_none());
    }

    #[test]
    fn completion_extends_to_what_candidates_share() {
        assert_eq!(common_prefix(&["deployments".into(), "deploy".into()]), "deploy");
        assert_eq!(common_prefix(&["node-1".into(), "node-2".into()]), "node-");
        assert_eq!(common_prefix(&[]), "");
    }
}
