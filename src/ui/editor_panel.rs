//! The manifest editor: a text area with line numbers, starter templates, problems found as
//! you type (YAML syntax with its line and column, unknown fields with "did you mean"), each
//! marked in the gutter at its line and a click away from it, and Apply (Ctrl+Enter) reporting
//! what kubectl apply reports. Tab/Shift+Tab indent ([`super::indent`]); Enter keeps the
//! indentation, brackets and quotes pair ([`super::typing`]); Ctrl+F searches ([`super::find`]);
//! undo/redo (Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y) come from [`super::undo`].

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::editor_files::EditorFiles;
use super::i18n::{t, use_lang};

use super::indent;
use super::undo::History;
use crate::manifest::{self, ManifestError};
use crate::sim::api::discovery::{self, Resource};
use crate::sim::api::typed::checker_for;

/// The built-in kind closest to a misspelt `kind` (`Deploymnet` → Deployment), if one is close
/// enough to be what was meant.
pub fn closest_kind(kind: &str) -> Option<&'static Resource> {
    let lower = kind.to_ascii_lowercase();
    discovery::BUILT_IN
        .iter()
        .map(|r| (crate::shell::kubectl::suggest::levenshtein(&lower, &r.kind.to_ascii_lowercase()), r))
        .filter(|(d, r)| *d <= (r.kind.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, r)| r)
}

/// kubectl apply's "no matches for kind" answered with the kind that was probably meant (kubectl
/// itself gives no hint; the page adds one line after its message).
pub fn apply_hint(output: &str, lang: super::i18n::Lang) -> Option<String> {
    let rest = output.split("no matches for kind \"").nth(1)?;
    let kind = &rest[..rest.find('"')?];
    closest_kind(kind)
        .map(|r| format!("→ {} kind: {} (apiVersion: {})?", t(lang, "did you mean"), r.kind, r.api_version))
}

/// Starter manifests.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("Deployment", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n"),
    ("Service", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 80\n"),
    ("Pod", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: sleep\nspec:\n  containers:\n  - name: sleep\n    image: busybox:1.36\n    command: [sleep, \"3600\"]\n"),
    ("ConfigMap", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\ndata:\n  COLOR: blue\n"),
    ("Job", "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: pi\n        image: busybox:1.36\n        command: [sh, -c, \"echo 3.14159\"]\n"),
    ("CronJob", "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: tick\nspec:\n  schedule: \"*/1 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: tick\n            image: busybox:1.36\n            command: [date]\n"),
];

/// What is wrong with `text` as a manifest: one message per problem.
pub fn problems(text: &str) -> Vec<String> {
    located_problems(text).into_iter().map(|(_, p)| p).collect()
}

/// What is wrong with `text` as a manifest, each problem with its line (1-based) when known: a
/// syntax error's own, else the line of the field it names in its object's document.
pub fn located_problems(text: &str) -> Vec<(Option<usize>, String)> {
    match manifest::parse(text) {
        Err(ManifestError::Syntax { line, column, message }) => {
            vec![(Some(line), format!("line {line}, column {column}: {message}"))]
        }
        Err(e) => vec![(None, e.to_string())],
        Ok(objects) => {
            let mut out = Vec::new();
            // Objects and documents pair up one to one unless a document held several objects
            // (a `List`); then no line is claimed.
            let paired = super::problem_lines::documents(text).len() == objects.len();
            for (index, obj) in objects.into_iter().enumerate() {
                let at = |path: Option<&str>| paired.then(|| super::problem_lines::locate(text, index, path)).flatten();
                // An unknown kind is named with the kind it is closest to, and the fields are
                // still checked as that kind's, so one typo does not hide the others.
                let (api_version, kind) = match discovery::preferred_for_kind(&obj.kind) {
                    Some(_) => (obj.api_version.clone(), obj.kind.clone()),
                    None => {
                        let near = closest_kind(&obj.kind);
                        let hint = near.map(|r| format!(" (did you mean \"{}\"?)", r.kind)).unwrap_or_default();
                        out.push((
                            at(Some("kind")),
                            format!("{} \"{}\": {} \"{}\"{hint}", obj.kind, obj.name(), "unknown kind", obj.kind),
                        ));
                        match near {
                            Some(r) => (r.api_version.to_string(), r.kind.to_string()),
                            None => continue,
                        }
                    }
                };
                let Some(check) = checker_for(&api_version, &kind) else { continue };
                let mut value = obj.to_value();
                value["kind"] = kind.clone().into();
                value["apiVersion"] = api_version.into();
                match check(&value) {
                    Err(e) => out.push((at(None), format!("{kind} \"{}\": {}", obj.name(), e.message))),
                    Ok(unknown) => out.extend(unknown.into_iter().map(|u| {
                        let hint = u.suggestion.map(|s| format!(" (did you mean \"{s}\"?)")).unwrap_or_default();
                        (at(Some(&u.path)), format!("{kind} \"{}\": unknown field \"{}\"{hint}", obj.name(), u.path))
                    })),
                }
            }
            out
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct EditorPanelProps {
    pub on_apply: Callback<String>,
    /// What the last Apply printed, and whether it succeeded.
    #[prop_or_default]
    pub result: Option<(String, bool)>,
    /// Text to load (a lesson's "try it"): a new order for each request.
    #[prop_or_default]
    pub load: Option<super::state::Order<String>>,
    /// The files, one per tab, kept for autosave and share links (written as they change).
    #[prop_or_else(|| std::rc::Rc::new(std::cell::RefCell::new(EditorFiles::with(TEMPLATES[0].1))))]
    pub files: std::rc::Rc<std::cell::RefCell<EditorFiles>>,
    /// Changes when `files` were replaced from outside: the editor shows them afresh.
    #[prop_or_default]
    pub reset: u64,
}

/// Puts `text` in the text area with the caret (or selection) at `start..end`, and in the state
/// the highlighting and problems are drawn from.
fn show(area: &HtmlTextAreaElement, state: &UseStateHandle<String>, text: String, start: u32, end: u32) {
    area.set_value(&text);
    let _ = area.set_selection_range(start, end);
    state.set(text);
}

/// Selects `start..end` and scrolls the editor's body so that its line is in view (the text area
/// is as tall as its text; the body around it scrolls).
fn reveal(area: &HtmlTextAreaElement, body: &NodeRef, text: &str, start: u32, end: u32) {
    let _ = area.set_selection_range(start, end);
    let line = text.encode_utf16().take(start as usize).filter(|&u| u == u16::from(b'\n')).count();
    let rows = text.lines().count().max(1) + 1;
    if let Some(body) = body.cast::<web_sys::Element>() {
        let per_line = f64::from(area.scroll_height()) / rows as f64;
        let top = (line as f64 * per_line - f64::from(body.client_height()) / 3.0).max(0.0);
        body.set_scroll_top(top as i32);
    }
}

/// The UTF-16 offset where line `line` (1-based) of `text` starts.
fn line_start(text: &str, line: usize) -> u32 {
    let bytes: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    text[..bytes.min(text.len())].encode_utf16().count() as u32
}

#[component]
pub fn EditorPanel(props: &EditorPanelProps) -> Html {
    let lang = use_lang();
    let files = props.files.clone();
    let text = use_state(|| files.borrow().current().to_string());
    let chosen = use_state(|| TEMPLATES[0].0);
    // The page keeps its own history, one per file: the browser's is lost whenever code sets
    // the value. `history` is the open file's; the others wait in `histories`.
    let history = use_mut_ref(|| History::new(files.borrow().current()));
    let histories = use_mut_ref(Vec::<Option<History>>::new);
    let area = use_node_ref();
    let body = use_node_ref();
    // Ctrl+F's query while the search bar is open, and the match shown (its range).
    let find = use_state(|| None::<String>);
    let found_at = use_state(|| None::<((u32, u32), usize, usize)>);
    let find_input = use_node_ref();
    // The `reset` whose files the text shows; until the effect below catches up with a new one,
    // the text on screen is stale and must not be written over the new files.
    let shown_reset = use_mut_ref(|| props.reset);
    {
        // Files replaced from outside (a link, a reload): show the open one afresh.
        let (text, history, histories, files) = (text.clone(), history.clone(), histories.clone(), files.clone());
        let shown_reset = shown_reset.clone();
        use_effect_with(props.reset, move |&reset| {
            *shown_reset.borrow_mut() = reset;
            let current = files.borrow().current().to_string();
            *history.borrow_mut() = History::new(current.as_str());
            histories.borrow_mut().clear();
            text.set(current);
        });
    }
    // Switches tabs: the open file's history is put away and the other's taken out.
    let switch = {
        let (text, history, histories, files) = (text.clone(), history.clone(), histories.clone(), files.clone());
        move |i: Option<usize>| {
            let mut f = files.borrow_mut();
            let mut hs = histories.borrow_mut();
            let len = f.files.len().max(f.open + 1) + 1;
            hs.resize_with(len, || None);
            let old = f.open;
            hs[old] = Some(std::mem::replace(&mut *history.borrow_mut(), History::new("")));
            match i {
                Some(i) => f.select(i),
                None => {
                    f.add();
                    hs.resize_with(f.files.len(), || None);
                }
            }
            let new = f.open;
            *history.borrow_mut() = hs.get_mut(new).and_then(Option::take).unwrap_or_else(|| History::new(f.current()));
            text.set(f.current().to_string());
        }
    };
    let close_tab = {
        let (text, history, histories, files) = (text.clone(), history.clone(), histories.clone(), files.clone());
        move |i: usize| {
            let mut f = files.borrow_mut();
            let mut hs = histories.borrow_mut();
            if i < hs.len() {
                hs.remove(i);
            }
            let was_open = f.open == i;
            f.close(i);
            if was_open {
                let new = f.open;
                *history.borrow_mut() =
                    hs.get_mut(new).and_then(Option::take).unwrap_or_else(|| History::new(f.current()));
            }
            text.set(f.current().to_string());
        }
    };
    {
        // A lesson's YAML replaces the text as a template does: one undo brings the work back.
        let (text, history) = (text.clone(), history.clone());
        use_effect_with(props.load.clone(), move |load| {
            if let Some(t) = load {
                history.borrow_mut().step(t);
                text.set(t.to_string());
            }
        });
    }
    {
        // The text shown is the open file's, written there after each change (never while
        // drawing). Until the effect above catches up with new files, the text on screen is the
        // old files' and must not be written over them.
        let (files, fresh) = (files.clone(), *shown_reset.borrow() == props.reset);
        use_effect_with((*text).clone(), move |text| {
            if fresh {
                files.borrow_mut().set_current(text);
            }
        });
    }
    let tabs = {
        let f = files.borrow();
        let many = f.files.len() > 1;
        html! {
            <div class="file-tabs" role="tablist">
                { for f.files.iter().enumerate().map(|(i, (name, _))| {
                    let open = i == f.open;
                    let (switch, close_tab) = (switch.clone(), close_tab.clone());
                    html! {
                        <span class={classes!("file-tab", open.then_some("open"))} role="tab" aria-selected={open.to_string()}>
                            <button class="file-name" onclick={Callback::from(move |_| switch(Some(i)))}>{ name.clone() }</button>
                            if many {
                                <button class="file-close" aria-label={format!("{} {name}", t(lang, "Close"))}
                                        onclick={Callback::from(move |_| close_tab(i))}>{ "×" }</button>
                            }
                        </span>
                    }
                }) }
                <button class="file-add" title={t(lang, "New file")} aria-label={t(lang, "New file")}
                        onclick={Callback::from(move |_| switch(None))}>{ "+" }</button>
            </div>
        }
    };
    // Checked once per text, not on every render (the clock re-renders the page ten times a
    // second); a starter template is known to be clean (a test says so), so the first render
    // does not wait for the YAML parser and the strict decoders.
    let found = use_memo((*text).clone(), |text| {
        if TEMPLATES.iter().any(|(_, t)| t == text) {
            Vec::new()
        } else {
            located_problems(text)
        }
    });
    let oninput = {
        let (text, history) = (text.clone(), history.clone());
        Callback::from(move |e: InputEvent| {
            let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() else { return };
            // Undo from the browser's own menu: answer it from our history instead.
            let native = e.input_type();
            if native == "historyUndo" || native == "historyRedo" {
                let mut h = history.borrow_mut();
                let step = if native == "historyUndo" { h.undo() } else { h.redo() };
                let (value, caret) =
                    step.unwrap_or_else(|| (h.text().to_string(), h.text().encode_utf16().count() as u32));
                show(&t, &text, value, caret, caret);
                return;
            }
            history.borrow_mut().typed(&t.value(), e.time_stamp());
            text.set(t.value());
        })
    };
    let apply = {
        let (text, cb) = (text.clone(), props.on_apply.clone());
        Callback::from(move |_: MouseEvent| cb.emit((*text).clone()))
    };
    // The next (or previous) match of the query, selected and scrolled into view.
    let search = {
        let (area, body, found_at) = (area.clone(), body.clone(), found_at.clone());
        move |query: &str, backwards: bool| {
            let Some(t) = area.cast::<HtmlTextAreaElement>() else { return };
            let value = t.value();
            let start = t.selection_start().ok().flatten().unwrap_or(0);
            let end = t.selection_end().ok().flatten().unwrap_or(start);
            let hit = super::find::next(&value, query, start, end, backwards);
            if let Some(((s, e), _, _)) = hit {
                reveal(&t, &body, &value, s, e);
            }
            found_at.set(hit);
        }
    };
    let open_find = {
        let (find, find_input, area) = (find.clone(), find_input.clone(), area.clone());
        move || {
            // The selected text (on one line) is what is looked for, as editors do.
            let selected = area.cast::<HtmlTextAreaElement>().and_then(|t| {
                let (s, e) = (t.selection_start().ok()??, t.selection_end().ok()??);
                let v: Vec<u16> = t.value().encode_utf16().collect();
                let picked = String::from_utf16(v.get(s as usize..e as usize)?).ok()?;
                (!picked.is_empty() && !picked.contains('\n')).then_some(picked)
            });
            let query = selected.or_else(|| (*find).clone()).unwrap_or_default();
            find.set(Some(query.clone()));
            let find_input = find_input.clone();
            // The bar is drawn on the next render: focus it then.
            gloo::timers::callback::Timeout::new(0, move || {
                if let Some(el) = find_input.cast::<web_sys::HtmlInputElement>() {
                    el.set_value(&query);
                    let _ = el.focus();
                    el.select();
                }
            })
            .forget();
        }
    };
    let onkeydown = {
        let (text, cb, area, history) = (text.clone(), props.on_apply.clone(), area.clone(), history.clone());
        let (open_find, search, find) = (open_find.clone(), search.clone(), find.clone());
        Callback::from(move |e: KeyboardEvent| {
            let Some(t) = area.cast::<HtmlTextAreaElement>() else { return };
            // While an input method composes (Korean, Japanese…), its keys are its own.
            if e.is_composing() || e.key() == "Process" {
                return;
            }
            let key = e.key().to_ascii_lowercase();
            let command = (e.ctrl_key() || e.meta_key()) && !e.alt_key();
            let plain = !e.ctrl_key() && !e.meta_key() && !e.alt_key();
            let start = t.selection_start().ok().flatten().unwrap_or(0);
            let end = t.selection_end().ok().flatten().unwrap_or(start);
            // An edit of the typing help: shown, and kept in the history as typing.
            let edit = |(value, s, en): super::typing::Edit| {
                e.prevent_default();
                history.borrow_mut().typed(&value, e.time_stamp());
                show(&t, &text, value, s, en);
            };
            if command && key == "f" {
                e.prevent_default();
                open_find();
            } else if key == "f3" || (command && key == "g") {
                e.prevent_default();
                match &*find {
                    Some(q) if !q.is_empty() => search(q, e.shift_key()),
                    _ => open_find(),
                }
            } else if key == "enter" && plain && !e.shift_key() {
                edit(super::typing::newline(&t.value(), start, end));
            } else if key == "backspace" && plain {
                if let Some(x) = super::typing::backspace(&t.value(), start, end) {
                    edit(x);
                }
            } else if let (true, Some(c)) = (plain, e.key().chars().next().filter(|_| e.key().chars().count() == 1)) {
                if let Some(x) = super::typing::typed(&t.value(), start, end, c) {
                    edit(x);
                }
            } else if key == "enter" && command {
                e.prevent_default();
                cb.emit(t.value());
            } else if command && (key == "z" || key == "y") {
                // Ctrl+Z undoes; Ctrl+Shift+Z and Ctrl+Y redo. The browser's own undo would
                // disagree with ours after any Tab or template, so it never runs.
                e.prevent_default();
                let mut h = history.borrow_mut();
                let step = if key == "z" && !e.shift_key() { h.undo() } else { h.redo() };
                if let Some((value, caret)) = step {
                    show(&t, &text, value, caret, caret);
                }
            } else if key == "tab" && !command && !e.alt_key() {
                // Tab indents by two spaces (YAML's usual step) instead of leaving the editor;
                // Shift+Tab outdents.
                e.prevent_default();
                let start = t.selection_start().ok().flatten().unwrap_or(0);
                let end = t.selection_end().ok().flatten().unwrap_or(start);
                let (value, start, end) = indent::apply(&t.value(), start, end, e.shift_key());
                history.borrow_mut().step(&value);
                show(&t, &text, value, start, end);
            }
        })
    };
    let on_template = {
        let (text, chosen, history) = (text.clone(), chosen.clone(), history.clone());
        Callback::from(move |e: Event| {
            if let Some(sel) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                if let Some((n, t)) = TEMPLATES.iter().find(|(n, _)| *n == sel.value()) {
                    // A template replaces the text; one undo brings the learner's work back.
                    history.borrow_mut().step(t);
                    text.set(t.to_string());
                    chosen.set(n);
                }
            }
        })
    };
    // The same steps as the keys, for those who look for a button.
    let history_button = |redo: bool| {
        let (text, area, history) = (text.clone(), area.clone(), history.clone());
        let enabled = if redo { history.borrow().can_redo() } else { history.borrow().can_undo() };
        let onclick = Callback::from(move |_: MouseEvent| {
            let Some(t) = area.cast::<HtmlTextAreaElement>() else { return };
            let step = if redo { history.borrow_mut().redo() } else { history.borrow_mut().undo() };
            if let Some((value, caret)) = step {
                show(&t, &text, value, caret, caret);
                let _ = t.focus();
            }
        });
        let (class, label, title) = if redo {
            ("redo", "↷", t(lang, "redo (Ctrl+Shift+Z, Ctrl+Y)"))
        } else {
            ("undo", "↶", t(lang, "undo (Ctrl+Z)"))
        };
        html! { <button class={class} {onclick} {title} aria-label={title} disabled={!enabled}>{ label }</button> }
    };
    let lines = text.lines().count().max(1);
    // Each line's problems, for its mark in the gutter.
    let mut marks: std::collections::BTreeMap<usize, Vec<&str>> = Default::default();
    for (line, p) in found.iter() {
        if let Some(l) = line {
            marks.entry(*l).or_default().push(p);
        }
    }
    let goto = {
        let (area, body, text) = (area.clone(), body.clone(), text.clone());
        move |line: usize| {
            let text = text.clone();
            let (area, body) = (area.clone(), body.clone());
            Callback::from(move |_: MouseEvent| {
                if let Some(t) = area.cast::<HtmlTextAreaElement>() {
                    let at = line_start(&text, line);
                    let _ = t.focus();
                    reveal(&t, &body, &text, at, at);
                }
            })
        }
    };
    let find_bar = (*find).clone().map(|query| {
        let on_find_key = {
            let (find, search, area, found_at) = (find.clone(), search.clone(), area.clone(), found_at.clone());
            Callback::from(move |e: KeyboardEvent| {
                let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else { return };
                match e.key().as_str() {
                    "Enter" | "F3" => {
                        e.prevent_default();
                        search(&input.value(), e.shift_key());
                    }
                    "Escape" => {
                        e.prevent_default();
                        find.set(None);
                        found_at.set(None);
                        if let Some(t) = area.cast::<HtmlTextAreaElement>() {
                            let _ = t.focus();
                        }
                    }
                    _ => {}
                }
            })
        };
        let on_find_input = {
            let (find, search, area) = (find.clone(), search.clone(), area.clone());
            Callback::from(move |e: InputEvent| {
                let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else { return };
                let q = input.value();
                // Typing searches from where the last match began, so the match grows in place.
                if let Some(t) = area.cast::<HtmlTextAreaElement>() {
                    let s = t.selection_start().ok().flatten().unwrap_or(0);
                    let _ = t.set_selection_range(s, s);
                }
                search(&q, false);
                find.set(Some(q));
            })
        };
        let step = |backwards: bool| {
            let (search, query) = (search.clone(), query.clone());
            Callback::from(move |_: MouseEvent| search(&query, backwards))
        };
        let close = {
            let (find, found_at) = (find.clone(), found_at.clone());
            Callback::from(move |_: MouseEvent| {
                find.set(None);
                found_at.set(None);
            })
        };
        let count = match (*found_at, query.is_empty()) {
            (_, true) => String::new(),
            (Some((_, n, of)), _) => format!("{n}/{of}"),
            (None, _) => t(lang, "no match").to_string(),
        };
        html! {
            <div class="find-bar" role="search">
                <input ref={find_input.clone()} class="find-input" type="search" spellcheck="false" value={query.clone()}
                       placeholder={t(lang, "Find")} aria-label={t(lang, "Find")} onkeydown={on_find_key} oninput={on_find_input} />
                <span class="find-count" aria-live="polite">{ count }</span>
                <button class="find-prev" onclick={step(true)} title={t(lang, "previous match (Shift+Enter)")} aria-label={t(lang, "previous match (Shift+Enter)")}>{ "↑" }</button>
                <button class="find-next" onclick={step(false)} title={t(lang, "next match (Enter)")} aria-label={t(lang, "next match (Enter)")}>{ "↓" }</button>
                <button class="find-close" onclick={close} aria-label={t(lang, "Close")}>{ "×" }</button>
            </div>
        }
    });
    let find_button = {
        let open_find = open_find.clone();
        Callback::from(move |_: MouseEvent| open_find())
    };
    html! {
        <section class="editor" aria-label={t(lang, "manifest editor")}>
            { tabs }
            <div class="editor-bar">
                <label>{ t(lang, "Template") }{ " " }
                    <select class="template" onchange={on_template}>
                        { for TEMPLATES.iter().map(|(n, _)| html! { <option value={*n} selected={*n == *chosen}>{ *n }</option> }) }
                    </select>
                </label>
                { history_button(false) }{ history_button(true) }
                <button class="find" onclick={find_button} title={t(lang, "Find (Ctrl+F)")} aria-label={t(lang, "Find (Ctrl+F)")}>{ "⌕" }</button>
                <button class="apply" onclick={apply} title="kubectl apply (Ctrl+Enter)">{ t(lang, "Apply") }</button>
            </div>
            { for find_bar }
            <div class="editor-body" ref={body}>
                <pre class="gutter" aria-hidden="true">
                    { for (1..=lines).map(|n| match marks.get(&n) {
                        Some(ps) => html! { <span class="ln marked" title={ps.join("\n")}>{ n }</span> },
                        None => html! { <span class="ln">{ n }</span> },
                    }) }
                </pre>
                <div class="code">
                    <pre class="highlight" aria-hidden="true">{ super::yaml_highlight::highlight(&text) }</pre>
                    <textarea ref={area} class="yaml" spellcheck="false" value={(*text).clone()} {oninput} {onkeydown}
                              rows={(lines + 1).to_string()} aria-label={t(lang, "YAML manifest")} />
                </div>
            </div>
            <div class={classes!("problems", found.is_empty().then_some("none"))} role="status">
                if found.is_empty() {
                    { t(lang, "No problems found.") }
                } else {
                    { for found.iter().map(|(line, p)| match line {
                        Some(l) => html! {
                            <button class="problem" data-line={l.to_string()} onclick={goto(*l)}
                                    title={t(lang, "go to the line")}>{ format!("⚠ {p}") }</button>
                        },
                        None => html! { <div class="problem">{ format!("⚠ {p}") }</div> },
                    }) }
                }
            </div>
            if let Some((out, ok)) = &props.result {
                <pre class={classes!("apply-result", if *ok { "ok" } else { "failed" })}>{ out.clone() }
                    if let Some(hint) = (!*ok).then(|| apply_hint(out, lang)).flatten() {
                        <span class="apply-hint">{ hint }</span>
                    }
                </pre>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_have_no_problems_and_mistakes_are_named() {
        for (name, text) in TEMPLATES {
            assert!(problems(text).is_empty(), "{name}: {:?}", problems(text));
        }
        let typo = TEMPLATES[0].1.replace("replicas: 3", "replica: 3");
        assert_eq!(
            problems(&typo),
            ["Deployment \"web\": unknown field \"spec.replica\" (did you mean \"replicas\"?)"]
        );
        let broken = "kind: Pod\n  metadata: [";
        assert!(problems(broken)[0].starts_with("line "), "{:?}", problems(broken));
    }

    #[test]
    fn a_misspelt_kind_is_named_with_the_kind_meant_and_its_field_typos_still_show() {
        let text = TEMPLATES[0].1.replace("kind: Deployment", "kind: Deploymnet").replace("replicas: 3", "replica: 3");
        assert_eq!(
            problems(&text),
            [
                "Deploymnet \"web\": unknown kind \"Deploymnet\" (did you mean \"Deployment\"?)",
                "Deployment \"web\": unknown field \"spec.replica\" (did you mean \"replicas\"?)",
            ]
        );
        let out = "error: resource mapping not found for name: \"web\" namespace: \"\" from \"STDIN\": no matches for kind \"Deploymnet\" in version \"apps/v1\"\nensure CRDs are installed first\n";
        assert_eq!(
            apply_hint(out, crate::lessons::Lang::En).as_deref(),
            Some("→ did you mean kind: Deployment (apiVersion: apps/v1)?")
        );
        assert_eq!(apply_hint("deployment.apps/web created\n", crate::lessons::Lang::En), None);
    }

    #[test]
    fn each_problem_is_placed_at_its_line_in_its_own_document() {
        let config = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";
        let deploy = TEMPLATES[0].1.replace("replicas: 3", "replica: 3").replace("image: nginx", "imagee: nginx");
        let text = format!("{config}---\n{}", deploy.replace("kind: Deployment", "kind: Deploymnet"));
        let found = located_problems(&text);
        let lines: Vec<Option<usize>> = found.iter().map(|(l, _)| *l).collect();
        // The second document starts on line 6: kind on 7, replica on 11, imagee on 22.
        assert_eq!(lines, [Some(7), Some(11), Some(22)], "{found:?}");
        assert!(found[2].1.contains("containers[0].imagee"), "{found:?}");
        assert_eq!(line_start("a\nbc\nd", 3), 5);
        assert_eq!(line_start("a", 1), 0);
    }

    #[test]
    fn a_syntax_error_in_a_later_document_names_its_line_in_the_whole_text() {
        let text =
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Pod\nmetadata: [\n";
        let found = problems(text);
        assert!(found[0].starts_with("line 8,") || found[0].starts_with("line 9,"), "{found:?}");
    }
}
