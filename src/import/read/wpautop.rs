//! What WordPress does to a classic (pre-block-editor) post only when it shows it: blank
//! lines become paragraphs, single line breaks `<br>` (its `wpautop`), and shortcodes
//! (`[caption]`, `[embed]`, plugins' `[name attr="…"]`) become markup. A block-editor post
//! (with `<!-- wp:` comments) has its markup already and is left as it is.

use crate::import::clean;
use crate::import::embeds;
use crate::import::tally::{Removal, Tally};

/// Elements that start a block of their own: a chunk starting with one is not wrapped in
/// `<p>`.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "div",
    "dl",
    "dt",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "iframe",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
    "kring-raw",
    "!--",
];

/// Paragraphs for a classic post.
pub fn autop(html: &str) -> String {
    if html.contains("<!-- wp:") {
        return html.to_string();
    }
    let mut out = String::new();
    // `<pre>` keeps its blank lines.
    let mut rest = html;
    while !rest.is_empty() {
        let (text, pre) = match rest.find("<pre") {
            Some(start) => {
                let end = rest[start..]
                    .find("</pre>")
                    .map_or(rest.len(), |e| start + e + "</pre>".len());
                (&rest[..start], &rest[start..end])
            }
            None => (rest, ""),
        };
        out.push_str(&paragraphs(text));
        out.push_str(pre);
        rest = &rest[text.len() + pre.len()..];
    }
    out
}

fn paragraphs(text: &str) -> String {
    let mut out = String::new();
    let normalized = text.replace("\r\n", "\n");
    let mut chunk = String::new();
    let flush = |chunk: &mut String, out: &mut String| {
        let c = chunk.trim();
        if !c.is_empty() {
            let lower = c.to_ascii_lowercase();
            let is_block = lower.starts_with('<')
                && BLOCKS.iter().any(|b| {
                    lower[1..].starts_with(b)
                        && lower[1 + b.len()..]
                            .chars()
                            .next()
                            .is_none_or(|ch| !ch.is_ascii_alphanumeric())
                });
            if is_block {
                out.push_str(c);
            } else if !c.contains(char::is_whitespace) && clean::video_address(c).is_some() {
                // An address alone on a line: WordPress embedded it.
                out.push_str(&clean::embed(&clean::html_text(c), None));
            } else {
                out.push_str("<p>");
                out.push_str(&c.replace('\n', "<br>"));
                out.push_str("</p>");
            }
            out.push('\n');
        }
        chunk.clear();
    };
    for line in normalized.split('\n') {
        if line.trim().is_empty() {
            flush(&mut chunk, &mut out);
        } else {
            if !chunk.is_empty() {
                chunk.push('\n');
            }
            chunk.push_str(line);
        }
    }
    flush(&mut chunk, &mut out);
    out
}

/// Attachments for galleries and playlists, (address, alt text): the one of an id, or
/// with `None` those uploaded to the post.
pub type Attachments<'a> = &'a dyn Fn(Option<&str>) -> Vec<(String, String)>;

/// Shortcodes WordPress and its common plugins put in footnotes with.
const FOOTNOTES: &[&str] = &["efn_note", "footnote", "mfn", "ref"];

/// Shortcodes as markup: `[caption]` a figure with its caption, `[embed]` a video or a
/// link, `[audio]`, `[video]` and `[playlist]` links to their files, `[gallery]` its
/// images, footnote shortcodes footnotes; any other shortcode's brackets are removed with
/// what they enclose kept, and named in the report. Brackets that are not a shortcode
/// (`[1]`, `[sic]`) stay.
pub fn shortcodes(html: &str, tally: &Tally, attachments: Attachments) -> String {
    let mut out = String::with_capacity(html.len());
    let mut notes = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('[') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some((name, attrs, len)) = opening(after) else {
            out.push('[');
            rest = &after[1..];
            continue;
        };
        let close = format!("[/{name}]");
        let (inner, consumed) = match after[len..].find(&close) {
            Some(end) => (&after[len..len + end], len + end + close.len()),
            None => ("", len),
        };
        let known = matches!(
            name,
            "gallery" | "audio" | "video" | "playlist" | "embed" | "caption" | "wp_caption"
        );
        let is_shortcode = known || !inner.is_empty() || attrs.contains('=');
        if !is_shortcode {
            out.push('[');
            rest = &after[1..];
            continue;
        }
        let ids = || -> Vec<(String, String)> {
            match attribute(attrs, "ids").or_else(|| attribute(attrs, "include")) {
                Some(ids) => ids
                    .split(',')
                    .flat_map(|id| attachments(Some(id.trim())))
                    .collect(),
                None => attachments(None),
            }
        };
        match name {
            "caption" | "wp_caption" => {
                // The caption is the text after the image (and its link).
                let split = inner
                    .rfind("</a>")
                    .map(|i| i + 4)
                    .or_else(|| inner.rfind("/>").map(|i| i + 2))
                    .or_else(|| inner.rfind('>').map(|i| i + 1))
                    .unwrap_or(0);
                let (image, caption) = inner.split_at(split);
                out.push_str(&format!(
                    "\n\n<figure>{}<figcaption>{}</figcaption></figure>\n\n",
                    image.trim(),
                    caption.trim()
                ));
            }
            "embed" => {
                let address = clean::html_text(inner.trim());
                let html = clean::embed(&address, None);
                if html.is_empty() {
                    tally.removed(Removal::Embed, &address);
                } else if clean::video_address(&address).is_none() {
                    tally.removed(Removal::LinkedEmbed, &address);
                }
                tally.embed();
                out.push_str(&format!("\n\n{html}\n\n"));
            }
            "video" | "audio" => {
                let keys: &[&str] = if name == "audio" {
                    &["src", "mp3", "m4a", "ogg", "oga", "wav", "wma", "flac"]
                } else {
                    &["src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov"]
                };
                // `[audio https://…]`: the address alone, as WordPress also reads it.
                let bare = attrs.trim();
                let address = keys
                    .iter()
                    .find_map(|k| attribute(attrs, k))
                    .or_else(|| {
                        (!bare.contains(['=', ' ']) && !bare.is_empty()).then(|| bare.to_string())
                    })
                    .unwrap_or_else(|| inner.trim().to_string());
                let html = clean::media(name == "audio", &clean::html_text(&address), tally);
                out.push_str(&format!("\n\n{html}\n\n"));
            }
            "playlist" => {
                let audio = attribute(attrs, "type").is_none_or(|t| t != "video");
                let files = ids();
                if files.is_empty() {
                    tally.removed(Removal::Shortcode, &format!("[playlist{attrs}]"));
                }
                out.push_str("\n\n");
                for (src, _) in files {
                    out.push_str(&clean::media(audio, &src, tally));
                }
                out.push_str("\n\n");
            }
            "gallery" => {
                let images = ids();
                if images.is_empty() {
                    tally.removed(Removal::Shortcode, &format!("[gallery{attrs}]"));
                } else {
                    tally.embed();
                    let html = embeds::gallery(
                        images.iter().map(|(src, alt)| (src.as_str(), alt.as_str())),
                        None,
                    );
                    out.push_str(&format!("\n\n{html}\n\n"));
                }
            }
            "contact-form-7" | "contact-form" | "mc4wp_form" | "jetpack_subscription_form" => {
                let kind = if name == "contact-form" || name == "contact-form-7" {
                    Removal::Form
                } else {
                    Removal::SignUp
                };
                tally.removed(kind, &format!("[{name}]"));
            }
            _ if FOOTNOTES.contains(&name) && !inner.trim().is_empty() => {
                let n = notes.matches("data-kring-fn=").count() + 1;
                out.push_str(&format!("<a data-kring-fnref=\"s{n}\">{n}</a>"));
                notes.push_str(&format!(
                    "\n\n<div data-kring-fn=\"s{n}\">{}</div>\n\n",
                    inner.trim()
                ));
            }
            _ => {
                tally.removed(Removal::Shortcode, &format!("[{name}]"));
                out.push_str(inner);
            }
        }
        rest = &after[consumed..];
    }
    out.push_str(rest);
    out.push_str(&notes);
    out
}

/// `[name attrs]` at the start of `s`: the name, the attributes and the length.
fn opening(s: &str) -> Option<(&str, &str, usize)> {
    let end = s.find(']')?;
    let tag = &s[1..end];
    if tag.contains(['[', '<', '\n']) || end > 2000 {
        return None;
    }
    let name_end = tag.find(' ').unwrap_or(tag.len());
    let name = &tag[..name_end];
    let valid = name.len() > 1
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    valid.then_some((name, &tag[name_end..], end + 1))
}

/// An attribute of a shortcode: `src="…"`.
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let at = attrs.find(&format!("{name}="))? + name.len() + 1;
    let value = &attrs[at..];
    let quote = value.chars().next()?;
    if quote == '"' || quote == '\'' {
        value[1..]
            .find(quote)
            .map(|end| value[1..1 + end].to_string())
    } else {
        Some(value.split_whitespace().next()?.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classic_posts_get_paragraphs_and_line_breaks() {
        let html = autop(
            "First line\nsecond line\n\n<h2>Head</h2>\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n<pre>a\n\nb</pre>\n\nLast",
        );
        assert!(html.contains("<p>First line<br>second line</p>"), "{html}");
        assert!(
            html.contains("<h2>Head</h2>") && !html.contains("<p><h2>"),
            "{html}"
        );
        assert!(
            html.contains("data-text=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\""),
            "{html}"
        );
        assert!(html.contains("<pre>a\n\nb</pre>"), "{html}");
        assert!(html.contains("<p>Last</p>"), "{html}");
        assert_eq!(
            autop("<!-- wp:paragraph -->\n<p>x</p>"),
            "<!-- wp:paragraph -->\n<p>x</p>"
        );
    }

    #[test]
    fn shortcodes_become_markup_and_brackets_stay() {
        let tally = Tally::default();
        let html = shortcodes(
            "[caption id=\"attachment_5\" align=\"alignnone\" width=\"300\"]<img src=\"https://x.example/a.jpg\" alt=\"Pier\" /> The pier at dusk[/caption] \
             See [1] and [sic]. [embed]https://vimeo.com/76979871[/embed] [gallery ids=\"1,2\"] [contact-form-7 id=\"9\" title=\"Form\"] [highlight]kept[/highlight]",
            &tally,
            &|_| Vec::new(),
        );
        assert!(html.contains("<figure><img src=\"https://x.example/a.jpg\" alt=\"Pier\" /><figcaption>The pier at dusk</figcaption></figure>"), "{html}");
        assert!(html.contains("[1]") && html.contains("[sic]"), "{html}");
        assert!(
            html.contains("data-text=\"https://vimeo.com/76979871\""),
            "{html}"
        );
        assert!(
            !html.contains("gallery") && !html.contains("contact-form"),
            "{html}"
        );
        assert!(
            html.contains("kept") && !html.contains("[highlight]"),
            "{html}"
        );
        assert_eq!(tally.embeds(), 1);
        let removed = tally.take_removed();
        assert!(
            removed.contains(&(Removal::Shortcode, "[gallery ids=\"1,2\"]".into()))
                && removed.contains(&(Removal::Form, "[contact-form-7]".into()))
                && removed.contains(&(Removal::Shortcode, "[highlight]".into())),
            "{removed:?}"
        );
    }
}
