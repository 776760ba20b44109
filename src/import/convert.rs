//! Cleaned HTML to Markdown with htmd (a port of turndown.js), plus what htmd does not know:
//! footnotes (marked by the platform readers as `data-kring-fnref` / `data-kring-fn`),
//! captions under images, struck-through text, and addresses that must stay verbatim.

use htmd::element_handler::{HandlerResult, Handlers};
use htmd::options::{BulletListMarker, Options};
use htmd::{Element, HtmlToMarkdown};

use super::clean::RAW;

/// A footnote's number inside its note, for platforms that write it there rather than on
/// the note (`<kring-fn-number data-n="1">` inside a `data-kring-fn=""` element).
pub const FN_NUMBER: &str = "kring-fn-number";
/// Private-use characters around that number while converting (input never has them:
/// [`super::model::clean_text`] and the readers drop them).
const MARK_START: char = '\u{E000}';
const MARK_END: char = '\u{E001}';

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

/// The converter, made once per import.
pub struct Converter(HtmlToMarkdown);

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
        let converter = HtmlToMarkdown::builder()
            .options(options)
            .skip_tags(vec!["script", "style", "head", "title"])
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
        Converter(converter)
    }

    /// The Markdown of `html`: blocks separated by one blank line, no trailing spaces but
    /// a line break's, ending in a newline.
    pub fn convert(&self, html: &str) -> String {
        let markdown = self.0.convert(html).unwrap_or_default();
        let mut out = String::with_capacity(markdown.len());
        let mut blank = 0;
        for line in markdown.lines() {
            let kept = if line.ends_with("  ") && !line.trim().is_empty() {
                line
            } else {
                line.trim_end()
            };
            if kept.is_empty() {
                blank += 1;
                continue;
            }
            if !out.is_empty() {
                out.push_str(if blank > 0 { "\n\n" } else { "\n" });
            }
            blank = 0;
            out.push_str(kept);
        }
        out.push('\n');
        out
    }
}

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
