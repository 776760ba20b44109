//! Cleaned HTML to Markdown with htmd (a port of turndown.js), plus what htmd does not know:
//! footnotes (marked by the platform readers as `data-kring-fnref` / `data-kring-fn`),
//! captions under images, struck-through text, addresses that must stay verbatim, tables
//! (`table`), `<pre>` blocks kept byte for byte (`pre`), line breaks, and WordPress's
//! `<!--more-->` as kring's summary marker.

mod dom;
mod pre;
mod table;

use std::sync::{Arc, Mutex, PoisonError};

use htmd::element_handler::{HandlerResult, Handlers};
use htmd::options::{BulletListMarker, Options};
use htmd::{Element, HtmlToMarkdown};

use super::clean::RAW;
use super::tree::MORE;

/// A footnote's number inside its note, for platforms that write it there rather than on
/// the note (`<kring-fn-number data-n="1">` inside a `data-kring-fn=""` element).
pub const FN_NUMBER: &str = "kring-fn-number";
/// Private-use characters around that number while converting (input never has them:
/// [`super::model::clean_text`] and the readers drop them).
const MARK_START: char = '\u{E000}';
const MARK_END: char = '\u{E001}';
/// Around the number of a block kept byte for byte (see [`Pending`]).
const BLOCK_START: char = '\u{E002}';
const BLOCK_END: char = '\u{E003}';
/// What a line break (`<br>`) is while converting: htmd trims white space at the ends of a
/// list item's lines and moves it out of emphasis, and this one (NEL, which the readers
/// drop from input as a control character) is moved like white space but never trimmed.
/// At the end of a line it becomes Markdown's `\` line break, unless the block ends there.
const BREAK: char = '\u{85}';

/// What a `&` that would start a character reference in Markdown (`&amp;` written as text)
/// is while converting: Markdown decodes references, so the text's `&` becomes `\&`.
const AMPERSAND: char = '\u{E004}';
/// Where a backslash escape goes (see `dom::mark_text`).
const ESCAPE: char = '\u{E005}';

/// The summary marker of kring's Markdown (see `content::markdown`).
const MORE_MARKER: &str = "<!-- more -->";
/// Where a summary marker may stand: outside lists, quotes, tables and inline elements.
const MORE_AT: &[&str] = &[
    "html", "body", "div", "section", "article", "main", "header", "footer", "p", MORE,
];

/// The footnote number marked in `content`, and the content without it.
fn numbered(content: &str) -> Option<(String, String)> {
    let start = content.find(MARK_START)?;
    let end = content[start..].find(MARK_END)? + start;
    let n = content[start + MARK_START.len_utf8()..end].to_string();
    let rest = format!(
        "{}{}",
        &content[..start],
        &content[end + MARK_END.len_utf8()..]
    );
    Some((n, rest.trim().to_string())).filter(|(n, _)| !n.is_empty())
}

/// What the handlers of one conversion leave for after it: the blocks that must reach the
/// Markdown byte for byte (htmd trims the ends of lines and collapses blank lines in what
/// handlers return, so a handler returns a numbered placeholder line instead), and whether
/// the summary marker was written (once per body).
#[derive(Default)]
struct Pending {
    blocks: Vec<String>,
    more: bool,
}

type Shared = Arc<Mutex<Pending>>;

fn pending(shared: &Shared) -> std::sync::MutexGuard<'_, Pending> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The converter, made once per import.
pub struct Converter {
    html: HtmlToMarkdown,
    pending: Shared,
}

fn attr<'a>(el: &'a Element, name: &str) -> Option<&'a str> {
    el.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
}

/// A footnote's number as written in Markdown: letters, digits, `-` and `_` only.
fn label(n: &str) -> String {
    n.chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_'))
        .take(32)
        .collect()
}

impl Converter {
    pub fn new() -> Converter {
        let options = Options {
            bullet_list_marker: BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            ..Options::default()
        };
        let shared = Shared::default();
        let blocks = shared.clone();
        let more = shared.clone();
        let converter = HtmlToMarkdown::builder()
            .options(options)
            .skip_tags(vec!["script", "style", "head", "title"])
            .add_handler(vec!["table"], table::handle)
            .add_handler(vec!["pre"], move |_: &dyn Handlers, el: Element| {
                let Some(block) = pre::fenced(el.node) else {
                    return Some("".into());
                };
                let mut pending = pending(&blocks);
                pending.blocks.push(block);
                let n = pending.blocks.len() - 1;
                Some(format!("\n\n{BLOCK_START}{n}{BLOCK_END}\n\n").into())
            })
            .add_handler(vec!["br"], |_: &dyn Handlers, el: Element| {
                const ONE_LINE: &[&str] = &["td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "code"];
                let inside = dom::enclosing(el.node, ONE_LINE);
                Some(match inside {
                    // A table cell is one line: HTML's line break is Markdown's there.
                    Some("td" | "th") => "<br>".into(),
                    // A heading or inline code is one line too, without a break.
                    Some(_) => " ".into(),
                    None => format!("{BREAK}\n").into(),
                })
            })
            .add_handler(vec![MORE], move |_: &dyn Handlers, el: Element| {
                let mut pending = pending(&more);
                if pending.more || !dom::only_inside(el.node, MORE_AT) {
                    return Some("".into());
                }
                pending.more = true;
                Some(format!("\n\n{MORE_MARKER}\n\n").into())
            })
            .add_handler(vec![RAW], |_: &dyn Handlers, el: Element| {
                let text = attr(&el, "data-text").unwrap_or_default();
                Some(HandlerResult::from(format!("\n\n{}\n\n", text.trim())))
            })
            .add_handler(vec!["a"], |h: &dyn Handlers, el: Element| {
                match attr(&el, "data-kring-fnref").map(label) {
                    Some(n) if !n.is_empty() => Some(format!("[^{n}]").into()),
                    _ => h.fallback(el),
                }
            })
            .add_handler(
                vec!["div", "li", "section"],
                |h: &dyn Handlers, el: Element| {
                    let Some(n) = attr(&el, "data-kring-fn").map(label) else {
                        return h.fallback(el);
                    };
                    let content = h.walk_children(el.node).content;
                    // The number may come from inside the note (see `FN_NUMBER`).
                    let (n, content) = match (n.is_empty(), numbered(&content)) {
                        (true, Some((found, rest))) => (found, rest),
                        (true, None) => return Some(content.into()),
                        (false, found) => (n, found.map_or(content.clone(), |(_, rest)| rest)),
                    };
                    // Paragraphs after the first belong to the note when indented.
                    let indented = content
                        .trim()
                        .replace("\n", "\n    ")
                        .replace("\n    \n", "\n\n");
                    Some(format!("\n\n[^{n}]: {indented}\n\n").into())
                },
            )
            .add_handler(vec![FN_NUMBER], |_: &dyn Handlers, el: Element| {
                let n = label(attr(&el, "data-n").unwrap_or_default());
                Some(format!("{MARK_START}{n}{MARK_END}").into())
            })
            .add_handler(
                vec!["h1", "h2", "h3", "h4", "h5", "h6"],
                |h: &dyn Handlers, el: Element| {
                    // An id the old site's links use stays the heading's id (`## Title {#id}`).
                    let id = attr(&el, "id").map(str::to_string).filter(|id| {
                        !id.is_empty()
                            && id.len() <= 80
                            && id
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                    });
                    let result = h.fallback(el)?;
                    let Some(id) = id else { return Some(result) };
                    let heading = result.content.trim_end();
                    Some(format!("{heading} {{#{id}}}\n\n").into())
                },
            )
            .add_handler(vec!["figcaption"], |h: &dyn Handlers, el: Element| {
                let caption = h.walk_children(el.node).content;
                let caption = caption.trim();
                if caption.is_empty() {
                    return Some("".into());
                }
                Some(format!("\n\n_{caption}_\n\n").into())
            })
            .add_handler(
                vec!["del", "s", "strike"],
                |h: &dyn Handlers, el: Element| {
                    let text = h.walk_children(el.node).content;
                    let text = text.trim();
                    Some(if text.is_empty() {
                        String::new().into()
                    } else {
                        format!("~~{text}~~").into()
                    })
                },
            )
            .build();
        Converter {
            html: converter,
            pending: shared,
        }
    }

    /// The Markdown of `html`: blocks separated by one blank line, no white space at the
    /// ends of lines, ending in a newline.
    pub fn convert(&self, html: &str) -> String {
        *pending(&self.pending) = Pending::default();
        let markdown = match self.html.html_to_tree(html) {
            Ok(tree) => {
                dom::mark_text(&tree, AMPERSAND, ESCAPE);
                self.html.tree_to_markdown(&tree)
            }
            Err(_) => String::new(),
        };
        let blocks = std::mem::take(&mut pending(&self.pending).blocks);
        let mut out = String::with_capacity(markdown.len() + markdown.len() / 8);
        let mut blank = 0;
        // Whether the line written last ended with a line break.
        let mut broken = false;
        for line in markdown.lines() {
            let (kept, breaks) = match line.trim_end_matches([' ', '\t']).strip_suffix(BREAK) {
                Some(before) => (before.trim_end(), true),
                None => (line.trim_end(), false),
            };
            // A break nothing comes before (`<li><br>…`) leaves a marker alone on its line.
            let breaks = breaks && item_marker(kept) != Some("");
            if kept.is_empty() {
                blank += 1;
                continue;
            }
            if !out.is_empty() {
                // A line break is Markdown's only where the block goes on.
                if broken && blank == 0 && !starts_item(kept) {
                    out.push('\\');
                }
                out.push_str(if blank > 0 { "\n\n" } else { "\n" });
            }
            blank = 0;
            broken = breaks;
            let kept = kept
                .replace(BREAK, " ")
                .replace(AMPERSAND, "\\&")
                .replace(ESCAPE, "\\");
            write_line(&mut out, &kept, &blocks);
        }
        out.push('\n');
        out
    }
}

/// What follows the list item marker (`-`, `1.`) or the quote's `>` that starts `line`,
/// if one does.
fn item_marker(line: &str) -> Option<&str> {
    let quoted = line.trim_start_matches([' ', '>']);
    if quoted.is_empty() {
        return Some("");
    }
    let numbered = quoted.trim_start_matches(|c: char| c.is_ascii_digit());
    let rest = match numbered.len() < quoted.len() {
        true => numbered.strip_prefix(['.', ')']),
        false => quoted.strip_prefix(['-', '*', '+']),
    };
    rest.filter(|rest| rest.is_empty() || rest.starts_with(' '))
}

/// Whether `line` starts a list item or is a quote's blank line: a line break before it
/// would end its block.
fn starts_item(line: &str) -> bool {
    item_marker(line).is_some()
}

/// `line` into `out`, a block's placeholder replaced by the block, each of its lines
/// behind the line's own prefix (a list item's indent, a quote's `>`).
fn write_line(out: &mut String, line: &str, blocks: &[String]) {
    let found = line.find(BLOCK_START).and_then(|start| {
        let after = &line[start + BLOCK_START.len_utf8()..];
        let end = after.find(BLOCK_END)?;
        let block = blocks.get(after[..end].parse::<usize>().ok()?)?;
        Some((start, block, &after[end + BLOCK_END.len_utf8()..]))
    });
    let Some((start, block, rest)) = found else {
        out.push_str(line);
        return;
    };
    let prefix = &line[..start];
    let indent: String = prefix
        .chars()
        .map(|c| if c == '>' { '>' } else { ' ' })
        .collect();
    out.push_str(prefix);
    for (i, block_line) in block.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(if block_line.is_empty() {
                indent.trim_end()
            } else {
                &indent
            });
        }
        out.push_str(block_line);
    }
    if !rest.trim().is_empty() {
        out.push('\n');
        out.push_str(&indent);
        out.push_str(rest.trim_start());
    }
}

#[cfg(test)]
mod structure_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_markdown() {
        let md = Converter::new().convert(
            "<h2 id=\"the-plan\">Plan</h2><h3 id=\"a b{#c}\">Bad id</h3><p>Some <em>words</em> and <strong>more</strong>, a <a href=\"https://x.example/\">link</a>.</p>\
             <ul><li>one</li><li>two</li></ul><ol><li>first</li></ol><blockquote><p>Quoted</p></blockquote>\
             <pre><code class=\"language-rust\">fn main() {}</code></pre>\
             <table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table><p><del>old</del></p>",
        );
        for part in [
            "## Plan {#the-plan}\n",
            "### Bad id\n",
            "Some *words* and **more**, a [link](https://x.example/).",
            "- one\n- two",
            "1. first",
            "> Quoted",
            "```rust\nfn main() {}\n```",
            "| A | B |",
            "~~old~~",
        ] {
            assert!(md.contains(part), "`{part}` missing from:\n{md}");
        }
    }

    #[test]
    fn footnotes_captions_and_raw_addresses() {
        let md = Converter::new().convert(
            "<p>Claim<a data-kring-fnref=\"1\" href=\"#footnote-1\">1</a> made.</p>\
             <figure><img src=\"https://x.example/a.jpg\" alt=\"A cat\"><figcaption>The <em>cat</em></figcaption></figure>\
             <kring-raw data-text=\"https://www.youtube.com/watch?v=a_b_c\"></kring-raw>\
             <div data-kring-fn=\"1\"><p>The source.</p><p>More.</p></div>",
        );
        assert!(md.contains("Claim[^1] made."), "{md}");
        assert!(md.contains("![A cat](https://x.example/a.jpg)"), "{md}");
        assert!(md.contains("\n\n_The *cat*_\n\n"), "{md}");
        assert!(
            md.contains("\n\nhttps://www.youtube.com/watch?v=a_b_c\n\n"),
            "{md}"
        );
        assert!(md.contains("[^1]: The source.\n\n    More."), "{md}");
        let md = Converter::new().convert(
            "<div data-kring-fn=\"\"><kring-fn-number data-n=\"7\"></kring-fn-number><div><p>Late number.</p></div></div>",
        );
        assert_eq!(md, "[^7]: Late number.\n");
    }
}
