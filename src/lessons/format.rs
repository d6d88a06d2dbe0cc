//! Reading a lesson file: front matter, an introduction, and steps (`## ` headings), whose
//! fenced blocks are either shown (text, code, "try it") or read by the engine (checks, hints,
//! "show me"). See `lessons/README.md` for the format as authors see it.

use super::check::Check;
use super::{Lang, LessonError};

/// One lesson in one language.
#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    pub order: u32,
    pub lang: Lang,
    /// Worker nodes the lesson's cluster starts with.
    pub nodes: usize,
    /// The clock's speed while the lesson runs.
    pub speed: f64,
    /// Shell lines run (quietly) when the lesson starts, after the cluster is reset.
    pub setup: String,
    pub intro: Vec<Part>,
    pub steps: Vec<Step>,
}

/// Something shown to the learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Markdown text.
    Text(String),
    /// A code block shown as is (`lang` from its fence).
    Code { lang: String, text: String },
    /// "Try it": YAML the learner loads into the editor with a click.
    Editor(String),
    /// "Try it": commands the learner puts into the terminal with a click, one per line.
    Commands(Vec<String>),
    /// An interactive picture the page draws (`vm-vs-containers`).
    Widget(String),
}

/// One thing to do.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub title: String,
    pub parts: Vec<Part>,
    /// All must hold for the step to be done.
    pub checks: Vec<Check>,
    /// Revealed one at a time.
    pub hints: Vec<String>,
    /// Shell lines that perform the step.
    pub show_me: String,
}

/// Reads one lesson file; the language comes from its name (`*.ko.md` is Korean).
pub fn parse(file: &str, text: &str) -> Result<Lesson, LessonError> {
    let err = |line: usize, message: String| LessonError::Format { file: file.to_string(), line, message };
    let text = text.replace("\r\n", "\n");
    let no_front = || LessonError::NoFrontMatter { file: file.to_string() };
    let rest = text.strip_prefix("---\n").ok_or_else(no_front)?;
    let (front, body) = rest.split_once("\n---\n").ok_or_else(no_front)?;
    let front_lines = front.lines().count() + 2;
    let value = |key: &'static str| {
        front.lines().find_map(|l| l.strip_prefix(key)?.strip_prefix(':').map(|v| v.trim().to_string()))
    };
    let required = |key: &'static str| value(key).ok_or(LessonError::MissingKey { file: file.to_string(), key });
    let order = required("order")?;
    let number = |key: &'static str, default: f64| -> Result<f64, LessonError> {
        value(key).map_or(Ok(default), |v| v.parse().map_err(|_| err(1, format!("`{key}` is not a number: {v}"))))
    };
    let mut lesson = Lesson {
        id: required("id")?,
        title: required("title")?,
        order: order.parse().map_err(|_| LessonError::BadOrder { file: file.to_string(), value: order })?,
        lang: if file.ends_with(".ko.md") { Lang::Ko } else { Lang::En },
        nodes: number("nodes", 3.0)?.clamp(0.0, 20.0) as usize,
        speed: number("speed", 1.0)?.clamp(0.1, 120.0),
        setup: String::new(),
        intro: Vec::new(),
        steps: Vec::new(),
    };
    let mut text_buf = String::new();
    let mut lines = body.lines().enumerate().map(|(i, l)| (i + front_lines + 1, l));
    while let Some((n, line)) = lines.next() {
        if let Some(title) = line.strip_prefix("## ") {
            flush(&mut text_buf, &mut lesson);
            lesson.steps.push(Step {
                title: title.trim().to_string(),
                parts: Vec::new(),
                checks: Vec::new(),
                hints: Vec::new(),
                show_me: String::new(),
            });
            continue;
        }
        let Some(info) = line.trim_start().strip_prefix("```") else {
            text_buf.push_str(line);
            text_buf.push('\n');
            continue;
        };
        flush(&mut text_buf, &mut lesson);
        let mut block = String::new();
        let mut closed = false;
        for (_, l) in lines.by_ref() {
            if l.trim_start().starts_with("```") {
                closed = true;
                break;
            }
            block.push_str(l);
            block.push('\n');
        }
        if !closed {
            return Err(err(n, "a ``` block is not closed".into()));
        }
        let mut info = info.split_whitespace();
        let (lang, role) = (info.next().unwrap_or(""), info.next().unwrap_or(""));
        let step = lesson.steps.last_mut();
        match (lang, role, step) {
            ("setup", _, None) => lesson.setup.push_str(&block),
            ("setup", _, Some(_)) => return Err(err(n, "a setup block belongs before the first step".into())),
            ("check" | "hint" | "show-me", _, None) => {
                return Err(err(n, format!("a {lang} block belongs to a step (after a `## ` heading)")))
            }
            ("check", _, Some(step)) => {
                for (i, l) in block.lines().enumerate() {
                    let l = l.trim();
                    if !l.is_empty() && !l.starts_with('#') {
                        step.checks.push(Check::parse(l).map_err(|m| err(n + 1 + i, m))?);
                    }
                }
            }
            ("hint", _, Some(step)) => step.hints.push(block.trim().to_string()),
            ("show-me", _, Some(step)) => step.show_me.push_str(&block),
            (_, _, step) => {
                let part = match (lang, role) {
                    ("yaml", "editor") => Part::Editor(block),
                    (_, "terminal") => Part::Commands(
                        block.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect(),
                    ),
                    ("widget", _) => Part::Widget(block.trim().to_string()),
                    _ => Part::Code { lang: lang.to_string(), text: block },
                };
                match step {
                    Some(s) => s.parts.push(part),
                    None => lesson.intro.push(part),
                }
            }
        }
    }
    flush(&mut text_buf, &mut lesson);
    for (i, step) in lesson.steps.iter().enumerate() {
        if step.checks.is_empty() {
            return Err(err(0, format!("step {} (\"{}\") has no check block", i + 1, step.title)));
        }
        if step.show_me.trim().is_empty() {
            return Err(err(0, format!("step {} (\"{}\") has no show-me block", i + 1, step.title)));
        }
    }
    Ok(lesson)
}

/// Ends a run of Markdown text: it becomes a part of the current step (or the introduction).
fn flush(text: &mut String, lesson: &mut Lesson) {
    let t = std::mem::take(text);
    if t.trim().is_empty() {
        return;
    }
    let part = Part::Text(t.trim().to_string());
    match lesson.steps.last_mut() {
        Some(s) => s.parts.push(part),
        None => lesson.intro.push(part),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "---\nid: sample\ntitle: A sample\norder: 3\nnodes: 2\n---\nIntro **text**.\n\n```setup\nkubectl create ns lab\n```\n\n## Make a deployment\nType this:\n\n```sh terminal\nkubectl create deployment web --image=nginx\n```\n\nor apply:\n\n```yaml editor\nkind: Deployment\n```\n\n```check\nexists deployment/web\nready app=web >= 1\n```\n\n```hint\nUse the terminal.\n```\n\n```show-me\nkubectl create deployment web --image=nginx\n```\n";

    #[test]
    fn a_lesson_reads_into_front_matter_intro_and_steps() {
        let l = parse("03-sample.md", SAMPLE).unwrap();
        assert_eq!((l.id.as_str(), l.order, l.nodes, l.lang), ("sample", 3, 2, Lang::En));
        assert_eq!(l.setup, "kubectl create ns lab\n");
        assert_eq!(l.intro, vec![Part::Text("Intro **text**.".into())]);
        let s = &l.steps[0];
        assert_eq!(s.title, "Make a deployment");
        assert_eq!(s.parts.len(), 4);
        assert_eq!(s.parts[1], Part::Commands(vec!["kubectl create deployment web --image=nginx".into()]));
        assert_eq!(s.parts[3], Part::Editor("kind: Deployment\n".into()));
        assert_eq!(s.checks.len(), 2);
        assert_eq!(s.hints, vec!["Use the terminal.".to_string()]);
        assert!(s.show_me.contains("create deployment"));
    }

    #[test]
    fn mistakes_in_a_lesson_name_the_file_and_line() {
        let bad = SAMPLE.replace("ready app=web >= 1", "ready app=web about 1");
        let e = parse("x.md", &bad).unwrap_err().to_string();
        assert!(e.starts_with("x.md:"), "{e}");
        assert!(e.contains("cannot read the check `ready app=web about 1`"), "{e}");
        let line: usize = e.split(':').nth(1).unwrap().trim().parse().unwrap();
        assert_eq!(SAMPLE.lines().nth(line - 1), Some("ready app=web >= 1"), "{e}");
        let e = parse("x.md", &SAMPLE.replace("```show-me\nkubectl create deployment web --image=nginx\n```\n", ""))
            .unwrap_err();
        assert!(e.to_string().contains("has no show-me block"), "{e}");
        let e = parse("x.md", &format!("{SAMPLE}```yaml\nopen")).unwrap_err();
        assert!(e.to_string().contains("not closed"), "{e}");
    }
}
