//! The structure of an imported body as a browser sees it. Exports leave out end tags
//! HTML5 lets them leave out (`</p>`, `</li>`, `</td>`), so counting depth by end tags
//! sees every unclosed paragraph as one level deeper; html5ever's tree builder (through
//! scraper) knows where each element really ends. The body is parsed, nesting deeper than
//! [`MAX_DEPTH`] loses its tags (its text stays), and it is written back with every end tag
//! explicit, which is what the lol_html passes after it and the Markdown conversion need.
//!
//! The tree builder checks scopes by walking its stack of open elements, so its work grows
//! with depth times length: before it, a linear pass (lol_html, with the implied ends of
//! the optional-end elements) drops tags past [`PARSE_DEPTH`], far beyond real writing.

use std::cell::RefCell;
use std::rc::Rc;

use ego_tree::iter::Edge;
use lol_html::element;
use scraper::Node;

use super::clean::{escape, rewrite};

/// The element WordPress's `<!--more-->` comment (where the excerpt ends) becomes, for the
/// conversion to write kring's summary marker there (other comments are dropped).
pub const MORE: &str = "kring-more";

/// Whether a comment is WordPress's excerpt marker: `<!--more-->`, `<!-- more -->`, or
/// `<!--more Read on…-->` with its own link text.
fn is_more(comment: &str) -> bool {
    let text = comment.trim();
    text.strip_prefix("more")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
}

/// How deeply elements may nest in a cleaned body. Kring's Markdown allows 64 levels of
/// blocks; this leaves room for the blocks the conversion adds (a quote's paragraph).
pub const MAX_DEPTH: usize = 32;

/// Open elements past this depth lose their tags before the HTML5 parse.
const PARSE_DEPTH: usize = 512;

/// Elements without content or end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "frame",
];

/// Elements whose text is not markup (written back as it is, unescaped).
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
    "noscript",
];

/// Starting these closes an open `<p>` (HTML5's "close a p element"): the block elements.
pub(super) const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "ul",
    "li",
    "dd",
    "dt",
];

/// What starting `name` closes implicitly, and where looking for it stops.
fn implied(name: &str) -> (&'static [&'static str], &'static [&'static str]) {
    const LISTS: &[&str] = &["ul", "ol", "dl", "menu", "table", "template"];
    const TABLE: &[&str] = &["table", "template"];
    match name {
        "li" => (&["li"], LISTS),
        "dd" | "dt" => (&["dd", "dt"], LISTS),
        "td" | "th" => (&["td", "th"], TABLE),
        "tr" => (&["tr", "td", "th"], TABLE),
        "thead" | "tbody" | "tfoot" => (&["thead", "tbody", "tfoot", "tr", "td", "th"], TABLE),
        "option" => (&["option"], &["select", "datalist"]),
        "optgroup" => (&["option", "optgroup"], &["select"]),
        "rb" | "rt" | "rtc" | "rp" => (&["rb", "rt", "rtc", "rp"], &["ruby"]),
        _ => (&[], &[]),
    }
}

/// `html` with nesting past [`PARSE_DEPTH`] flattened, by a model of the open elements
/// that knows HTML5's implied end tags (not all of the tree builder's rules: enough that
/// real writing never comes near the limit, and hostile nesting is cut in linear time).
fn bound_depth(html: &str) -> String {
    // (id, name) of the open elements; an end tag closes its own id if it is still open.
    let open: Rc<RefCell<Vec<(u64, String)>>> = Rc::default();
    let next_id = std::cell::Cell::new(0u64);
    rewrite(
        html,
        vec![element!("*", |el| {
            let name = el.tag_name();
            if !el.can_have_content() || VOID.contains(&name.as_str()) {
                return Ok(());
            }
            let mut stack = open.borrow_mut();
            let close_to = |stack: &mut Vec<(u64, String)>, targets: &[&str], stop: &[&str]| {
                for i in (0..stack.len()).rev() {
                    let open = stack[i].1.as_str();
                    if targets.contains(&open) {
                        stack.truncate(i);
                        return;
                    }
                    if stop.contains(&open) {
                        return;
                    }
                }
            };
            if CLOSES_P.contains(&name.as_str()) {
                close_to(
                    &mut stack,
                    &["p"],
                    &["button", "table", "td", "th", "template", "object"],
                );
            }
            let (targets, stop) = implied(&name);
            if !targets.is_empty() {
                close_to(&mut stack, targets, stop);
            }
            if stack.len() >= PARSE_DEPTH {
                el.remove_and_keep_content();
                return Ok(());
            }
            let id = next_id.get();
            next_id.set(id + 1);
            stack.push((id, name));
            let open = open.clone();
            let on_end: lol_html::EndTagHandler<'static> = Box::new(move |_| {
                let mut stack = open.borrow_mut();
                if let Some(i) = stack.iter().rposition(|(open, _)| *open == id) {
                    stack.truncate(i);
                }
                Ok(())
            });
            if let Some(ends) = el.end_tag_handlers() {
                ends.push(on_end);
            }
            Ok(())
        })],
    )
}

/// `html` as the HTML5 parser builds it, every element closed, nesting past
/// [`MAX_DEPTH`] flattened (tags dropped, text kept), comments dropped but [`MORE`].
pub fn normalize(html: &str) -> String {
    let bounded = bound_depth(html);
    let doc = scraper::Html::parse_fragment(&bounded);
    let mut out = String::with_capacity(bounded.len() + bounded.len() / 8);
    // Depth in elements below the fragment's root; an element is written when at most
    // MAX_DEPTH deep.
    let mut depth = 0usize;
    let mut raw_depth = 0usize;
    for edge in doc.root_element().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    depth += 1;
                    let name = el.name();
                    if RAW_TEXT.contains(&name) {
                        raw_depth += 1;
                    }
                    // The root is the fragment's own `<html>`.
                    if depth == 1 || depth > MAX_DEPTH + 1 {
                        continue;
                    }
                    out.push('<');
                    out.push_str(name);
                    for (attr, value) in el.attrs() {
                        out.push(' ');
                        out.push_str(attr);
                        out.push_str("=\"");
                        out.push_str(&escape(value));
                        out.push('"');
                    }
                    out.push('>');
                    // The parser drops a newline right after these; keep the one that was
                    // content.
                    if matches!(name, "pre" | "textarea" | "listing")
                        && let Some(Node::Text(t)) = node.first_child().map(|c| c.value())
                        && t.starts_with('\n')
                    {
                        out.push('\n');
                    }
                }
                Node::Text(text) => {
                    if raw_depth > 0 {
                        out.push_str(text);
                    } else {
                        out.push_str(&escape(text).replace('>', "&gt;"));
                    }
                }
                Node::Comment(c) if is_more(c) && depth <= MAX_DEPTH && raw_depth == 0 => {
                    out.push_str(&format!("<{MORE}></{MORE}>"));
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    let name = el.name();
                    if RAW_TEXT.contains(&name) {
                        raw_depth -= 1;
                    }
                    if depth > 1 && depth <= MAX_DEPTH + 1 && !VOID.contains(&name) {
                        out.push_str("</");
                        out.push_str(name);
                        out.push('>');
                    }
                    depth -= 1;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(n: usize, open: &str) -> String {
        (1..=n).map(|i| format!("{open}Paragraph {i}\n")).collect()
    }

    #[test]
    fn elements_without_end_tags_end_where_html5_ends_them() {
        for (html, n) in [
            (paragraphs(200, "<p>"), 200),
            (format!("<ul>{}</ul>", paragraphs(150, "<li>")), 150),
            (format!("<ol>{}</ol>", paragraphs(100, "<li><p>")), 100),
            (format!("<dl>{}</dl>", paragraphs(100, "<dt>Term<dd>")), 100),
            (
                format!("<table>{}</table>", paragraphs(100, "<tr><td>é<td>")),
                100,
            ),
        ] {
            let out = normalize(&html);
            for i in 1..=n {
                assert!(out.contains(&format!("Paragraph {i}\n<")), "{i}: {out}");
            }
            let doc = scraper::Html::parse_fragment(&out);
            let deepest = doc
                .tree
                .nodes()
                .map(|n| n.ancestors().count())
                .max()
                .unwrap_or(0);
            assert!(deepest < 10, "{deepest} levels in {out}");
        }
    }

    #[test]
    fn text_markup_and_raw_text_survive_the_round_trip() {
        let out = normalize(
            "<p title=\"a &quot;b&quot; &lt;c&gt;\">1 &lt; 2 &amp; <!--<script>-->x\0\r\
             <script>if (a < b) {}</script><pre>\n\nkept</pre><img src=\"https://x.example/a.png\">",
        );
        assert!(out.contains("title=\"a &quot;b&quot; &lt;c>\""), "{out}");
        assert!(out.contains("1 &lt; 2 &amp; "), "{out}");
        assert!(!out.contains("<!--"), "{out}");
        assert!(out.contains("<script>if (a < b) {}</script>"), "{out}");
        assert!(out.contains("<pre>\n\nkept</pre>"), "{out}");
        assert!(
            out.ends_with("<img src=\"https://x.example/a.png\">"),
            "{out}"
        );
    }
}
