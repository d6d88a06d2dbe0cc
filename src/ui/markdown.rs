//! Lesson text: Markdown turned into elements one by one, never into an HTML string, so nothing
//! in a lesson (or a link) can inject markup or script. Raw HTML in the Markdown shows as text.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use yew::prelude::*;
use yew::virtual_dom::VTag;

/// The elements `markdown` describes.
pub fn render(markdown: &str) -> Html {
    // Open elements, innermost last; the bottom one collects the top-level blocks.
    let mut stack: Vec<(Option<VTag>, Vec<Html>)> = vec![(None, Vec::new())];
    for event in Parser::new(markdown) {
        match event {
            Event::Start(tag) => stack.push((Some(open(&tag)), Vec::new())),
            Event::End(end) => {
                let Some((Some(mut tag), children)) = stack.pop() else { continue };
                if matches!(end, TagEnd::CodeBlock) {
                    let mut code = VTag::new("code");
                    code.add_children(children);
                    tag.add_child(code.into());
                } else {
                    tag.add_children(children);
                }
                if let Some(parent) = stack.last_mut() {
                    parent.1.push(tag.into());
                }
            }
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => push(&mut stack, html! { { t.to_string() } }),
            Event::Code(t) => push(&mut stack, html! { <code>{ t.to_string() }</code> }),
            Event::SoftBreak => push(&mut stack, html! { { " " } }),
            Event::HardBreak => push(&mut stack, html! { <br /> }),
            Event::Rule => push(&mut stack, html! { <hr /> }),
            _ => {}
        }
    }
    // Unbalanced input cannot happen with pulldown-cmark, but never lose text if it did.
    let mut out = Vec::new();
    for (tag, children) in stack {
        match tag {
            Some(mut t) => {
                t.add_children(children);
                out.push(t.into());
            }
            None => out.extend(children),
        }
    }
    html! { <>{ for out }</> }
}

fn push(stack: &mut [(Option<VTag>, Vec<Html>)], node: Html) {
    if let Some(top) = stack.last_mut() {
        top.1.push(node);
    }
}

/// The element a Markdown tag opens.
fn open(tag: &Tag) -> VTag {
    let name = match tag {
        Tag::Paragraph => "p",
        Tag::Heading { level, .. } => match level {
            HeadingLevel::H1 | HeadingLevel::H2 => "h3",
            HeadingLevel::H3 => "h4",
            _ => "h5",
        },
        Tag::BlockQuote(_) => "blockquote",
        Tag::CodeBlock(_) => "pre",
        Tag::List(Some(_)) => "ol",
        Tag::List(None) => "ul",
        Tag::Item => "li",
        Tag::Emphasis => "em",
        Tag::Strong => "strong",
        Tag::Strikethrough => "del",
        Tag::Table(_) => "table",
        Tag::TableHead => "thead",
        Tag::TableRow => "tr",
        Tag::TableCell => "td",
        Tag::Link { .. } => "a",
        _ => "span",
    };
    let mut t = VTag::new(name);
    if let Tag::Link { dest_url, .. } = tag {
        // Only web links leave the page, in a new tab; anything else (javascript:, data:) is inert.
        if dest_url.starts_with("https://") || dest_url.starts_with("http://") {
            t.add_attribute("href", dest_url.to_string());
            t.add_attribute("target", "_blank");
            t.add_attribute("rel", "noopener noreferrer");
        }
    }
    t
}
