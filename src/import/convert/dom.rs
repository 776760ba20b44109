//! Reading the tree htmd hands its element handlers: names, attributes, children,
//! ancestors, the text of a `<pre>`, and an element written back as one line of HTML.
//! Bodies reach the conversion with their nesting bounded (see `tree::MAX_DEPTH`), so the
//! recursion here is shallow.

use std::rc::Rc;

use markup5ever_rcdom::{Node, NodeData};

use crate::import::clean::{RAW, escape};

/// The element's name; `None` for text, comments and the document.
pub fn tag(node: &Node) -> Option<&str> {
    match &node.data {
        NodeData::Element { name, .. } => Some(&name.local),
        _ => None,
    }
}

pub fn attribute(node: &Node, name: &str) -> Option<String> {
    match &node.data {
        NodeData::Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .find(|a| &*a.name.local == name)
            .map(|a| a.value.to_string()),
        _ => None,
    }
}

/// The child elements, in order.
pub fn elements(node: &Node) -> Vec<Rc<Node>> {
    node.children
        .borrow()
        .iter()
        .filter(|c| matches!(c.data, NodeData::Element { .. }))
        .cloned()
        .collect()
}

fn parent(node: &Node) -> Option<Rc<Node>> {
    // The parent is a `Cell<Option<Weak>>`: taken to look at, and put back.
    let weak = node.parent.take();
    let parent = weak.as_ref().and_then(|w| w.upgrade());
    node.parent.set(weak);
    parent
}

/// The name of the nearest ancestor that is one of `tags`.
pub fn enclosing(node: &Node, tags: &[&'static str]) -> Option<&'static str> {
    let mut current = parent(node);
    while let Some(node) = current {
        if let Some(found) = tag(&node).and_then(|t| tags.iter().find(|&&n| n == t)) {
            return Some(found);
        }
        current = parent(&node);
    }
    None
}

/// Whether every ancestor (up to the document) is one of `tags`.
pub fn only_inside(node: &Node, tags: &[&str]) -> bool {
    let mut current = parent(node);
    while let Some(node) = current {
        match tag(&node) {
            Some(t) if !tags.contains(&t) => return false,
            _ => {}
        }
        current = parent(&node);
    }
    true
}

/// The text of a `<pre>` as a browser shows it: its text nodes as they are (character
/// references were decoded once, by the parser), `<br>` a line break, other tags dropped.
pub fn pre_text(node: &Node, out: &mut String) {
    for child in node.children.borrow().iter() {
        match &child.data {
            NodeData::Text { contents } => out.push_str(&contents.borrow()),
            NodeData::Element { name, .. } if &*name.local == "br" => out.push('\n'),
            NodeData::Element { .. } => pre_text(child, out),
            _ => {}
        }
    }
}

/// Marks what Markdown would read in text outside code (where it reads nothing): with
/// `ampersand` each `&` that would start a character reference (`&amp;`, `&#38;`), and
/// with `escape` a text that is only a heading's or a list item's marker (`#`, `-`, `1.`),
/// which htmd leaves as it is, and which would start an empty heading or item on its line.
pub fn mark_text(root: &Node, ampersand: char, escape: char) {
    let mut stack = vec![root.children.borrow().clone()];
    while let Some(children) = stack.pop() {
        for child in children {
            match &child.data {
                NodeData::Text { contents } => {
                    let text = contents.borrow().to_string();
                    let marked = marked(&text, ampersand);
                    let text = marked.as_deref().unwrap_or(&text);
                    let escaped = lone_marker(text, escape);
                    if let Some(text) = escaped.as_deref().or(marked.as_deref()) {
                        *contents.borrow_mut() = text.into();
                    }
                }
                NodeData::Element { name, .. }
                    if !matches!(&*name.local, "pre" | "code" | "script" | "style") =>
                {
                    stack.push(child.children.borrow().clone());
                }
                _ => {}
            }
        }
    }
}

/// `text` with `escape` before its marker, when it is nothing but one.
fn lone_marker(text: &str, escape: char) -> Option<String> {
    let marker = text.trim();
    let digits = marker.trim_end_matches(['.', ')']);
    // htmd escapes the others (`*`, `=`, `~`, `>`) itself.
    let is_marker = matches!(marker, "-" | "+")
        || (!marker.is_empty() && marker.len() <= 6 && marker.chars().all(|c| c == '#'))
        || (digits.len() + 1 == marker.len()
            && (1..=9).contains(&digits.len())
            && digits.chars().all(|c| c.is_ascii_digit()));
    if !is_marker {
        return None;
    }
    // Before a list number's `.` or `)`, before any other marker.
    let at = text.find(marker)?
        + if digits.len() < marker.len() {
            digits.len()
        } else {
            0
        };
    Some(format!("{}{escape}{}", &text[..at], &text[at..]))
}

fn marked(text: &str, marker: char) -> Option<String> {
    let is_reference = |rest: &str| {
        let name = rest
            .strip_prefix("#x")
            .or_else(|| rest.strip_prefix("#X"))
            .or_else(|| rest.strip_prefix('#'))
            .unwrap_or(rest);
        let end = name
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(name.len());
        end > 0 && name[end..].starts_with(';')
    };
    let mut out: Option<String> = None;
    for (i, c) in text.char_indices() {
        if c == '&' && is_reference(&text[i + 1..]) {
            out.get_or_insert_with(|| text[..i].to_string())
                .push(marker);
        } else if let Some(out) = out.as_mut() {
            out.push(c);
        }
    }
    out
}

/// Attributes a table kept as HTML keeps (the old theme's classes and ids go with it).
const KEPT_ATTRIBUTES: &[&str] = &[
    "href", "src", "alt", "title", "colspan", "rowspan", "scope", "headers", "lang", "dir",
    "start", "reversed", "datetime", "cite", "width", "height",
];

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param",
];

/// `node` written as HTML on one line: a Markdown HTML block ends at a blank line, so line
/// breaks inside a `<pre>` are written `&#10;` and other white space as spaces. Links to
/// imported posts (`@/…`, which only Markdown links resolve) keep their text without the
/// link; kring's own marker elements become what they stand for.
pub fn html(node: &Node, out: &mut String) {
    html_in(node, false, out);
}

fn html_in(node: &Node, in_pre: bool, out: &mut String) {
    match &node.data {
        NodeData::Text { contents } => {
            for c in contents.borrow().chars() {
                match c {
                    '&' | super::AMPERSAND => out.push_str("&amp;"),
                    super::ESCAPE => {}
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '\n' if in_pre => out.push_str("&#10;"),
                    '\n' | '\r' => out.push(' '),
                    c => out.push(c),
                }
            }
        }
        NodeData::Element { name, attrs, .. } => {
            let name = &*name.local;
            let children = |out: &mut String| {
                for child in node.children.borrow().iter() {
                    html_in(child, in_pre || name == "pre", out);
                }
            };
            if name == RAW {
                // A video's or embed's address: a link to it.
                let address = attribute(node, "data-text").unwrap_or_default();
                if address.starts_with("https://") || address.starts_with("http://") {
                    let address = escape(&address);
                    out.push_str(&format!("<a href=\"{address}\">{address}</a>"));
                }
                return;
            }
            let internal = name == "a"
                && attribute(node, "href").is_some_and(|h| h.trim_start().starts_with("@/"));
            if name.starts_with("kring-") || internal {
                return children(out);
            }
            out.push('<');
            out.push_str(name);
            if name != "table" {
                for a in attrs.borrow().iter() {
                    if KEPT_ATTRIBUTES.contains(&&*a.name.local) {
                        out.push_str(&format!(" {}=\"{}\"", a.name.local, escape(&a.value)));
                    }
                }
            }
            out.push('>');
            if VOID.contains(&name) {
                return;
            }
            children(out);
            out.push_str("</");
            out.push_str(name);
            out.push('>');
        }
        _ => {}
    }
}
