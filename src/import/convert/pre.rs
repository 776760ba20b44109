//! `<pre>` blocks as fenced code blocks, byte for byte: code (WordPress's code block,
//! Ghost's code card with `class="language-x"`), preformatted text, and verse. A verse
//! becomes a fenced block too (shown in the theme's monospace font): it is the one
//! Markdown block that keeps every space, line break and backslash without escapes, where
//! a paragraph would collapse the alignment a poem or an ASCII drawing depends on.
//! Formatting inside a `<pre>` (bold, links) is not kept; its text is.

use markup5ever_rcdom::Node;

use super::dom::{self, attribute, elements, tag};

/// The fenced block of a `<pre>`, or `None` when it holds nothing but white space.
pub fn fenced(node: &Node) -> Option<String> {
    let mut text = String::new();
    dom::pre_text(node, &mut text);
    // The line break before `</pre>` ends the last line; the fence adds its own.
    let text = text.strip_suffix('\n').unwrap_or(&text);
    if text.trim().is_empty() {
        return None;
    }
    let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
    let language = language(node).unwrap_or_default();
    Some(format!("{fence}{language}\n{text}\n{fence}"))
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// The language of a code block, from the `class` of its `<code>` or of the `<pre>`:
/// `language-rust` (Ghost, Prism, highlight.js), `lang-rust`, or SyntaxHighlighter's
/// `brush: rust;`.
fn language(pre: &Node) -> Option<String> {
    let code = elements(pre).into_iter().find(|c| tag(c) == Some("code"));
    let classes = [
        code.and_then(|c| attribute(&c, "class")),
        attribute(pre, "class"),
    ];
    classes.iter().flatten().find_map(|class| {
        let mut words = class.split_whitespace();
        while let Some(word) = words.next() {
            let found = if let Some(l) = word.strip_prefix("language-") {
                l
            } else if let Some(l) = word.strip_prefix("lang-") {
                l
            } else if word == "brush:" {
                words.next().unwrap_or_default()
            } else if let Some(l) = word.strip_prefix("brush:") {
                l
            } else {
                continue;
            };
            let found = found.trim_end_matches(';');
            let ok = !found.is_empty()
                && found.len() <= 32
                && found
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '_' | '.' | '#'));
            if ok {
                return Some(found.to_ascii_lowercase());
            }
        }
        None
    })
}
