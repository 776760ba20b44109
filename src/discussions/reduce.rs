//! Replies are hostile input: what a platform sends (Discourse's `cooked`, Mastodon's
//! `content`, Bluesky's text with its link facets) is reduced to paragraphs of plain text
//! and http(s) links. Nothing else survives: no element, no attribute, no script, no
//! control or bidi character, and no more than [`MOST_CHARS`] characters a reply.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

use super::{Inline, Paragraph};
use crate::text::floor_char_boundary;

/// The most characters of one reply's text; the rest is cut with `…`.
pub const MOST_CHARS: usize = 2_000;
/// The most characters of a display name.
pub const MOST_NAME_CHARS: usize = 100;

/// Elements dropped with everything in them: code that would run, and what is not text.
const DROPPED: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "template", "noscript",
    "noembed", "noframes", "svg", "math", "head", "title", "textarea", "select", "canvas", "audio",
    "video", "picture", "form", "button", "input",
];

/// Elements that end a paragraph (and start the next).
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "hr",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "aside",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
    "details",
    "summary",
];

/// Paragraphs of a reply's HTML.
pub fn html(html: &str) -> Vec<Paragraph> {
    let doc = Html::parse_fragment(html);
    let mut out = Builder::new(MOST_CHARS);
    // Depth of elements being dropped, and of Mastodon's `invisible` spans (the scheme
    // and tail of a long link, hidden by its own stylesheet).
    let mut dropping = 0usize;
    // The `<a>` elements open, each with whether it opened a link of the builder.
    let mut anchors: Vec<bool> = Vec::new();
    // Iterative: a reply nested ten thousand elements deep must not overflow the stack.
    for edge in doc.root_element().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Text(t) if dropping == 0 => out.text(&t.text),
                Node::Element(e) => {
                    let name = e.name();
                    let hidden = name == "span"
                        && e.classes().any(|c| c == "invisible")
                        && !e.classes().any(|c| c == "ellipsis");
                    if dropping > 0 || DROPPED.contains(&name) || hidden {
                        dropping += 1;
                        continue;
                    }
                    if BLOCKS.contains(&name) {
                        out.paragraph();
                    } else if name == "a" {
                        let href = e.attr("href").and_then(web_link);
                        let opened = href.is_some() && !out.in_link();
                        if let (true, Some(h)) = (opened, href) {
                            out.open_link(h);
                        }
                        anchors.push(opened);
                    } else if name == "img" && e.classes().any(|c| c == "emoji") {
                        // Discourse's emoji are images with their `:name:` as alt text.
                        if let Some(alt) = e.attr("alt") {
                            out.text(alt);
                        }
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                let Node::Element(e) = node.value() else {
                    continue;
                };
                if dropping > 0 {
                    dropping -= 1;
                    continue;
                }
                let name = e.name();
                if BLOCKS.contains(&name) {
                    out.paragraph();
                } else if name == "a" && anchors.pop() == Some(true) {
                    out.close_link();
                } else if name == "span" && e.classes().any(|c| c == "ellipsis") {
                    out.text("…");
                }
            }
        }
    }
    out.finish()
}

/// Paragraphs of a plain text with links at byte ranges (Bluesky's facets): each line
/// its own paragraph, a link only where its range is whole and in order.
pub fn text_with_links(text: &str, links: &[(usize, usize, String)]) -> Vec<Paragraph> {
    let mut out = Builder::new(MOST_CHARS);
    let mut at = 0;
    let plain = |out: &mut Builder, s: &str| {
        for (i, line) in s.split('\n').enumerate() {
            if i > 0 {
                out.paragraph();
            }
            out.text(line);
        }
    };
    let mut ranges: Vec<&(usize, usize, String)> = links.iter().collect();
    ranges.sort_by_key(|(start, _, _)| *start);
    for (start, end, href) in ranges {
        let whole = *start >= at
            && start < end
            && *end <= text.len()
            && text.is_char_boundary(*start)
            && text.is_char_boundary(*end);
        let Some(href) = web_link(href).filter(|_| whole) else {
            continue;
        };
        plain(&mut out, &text[at..*start]);
        out.open_link(href);
        plain(&mut out, &text[*start..*end]);
        out.close_link();
        at = *end;
    }
    plain(&mut out, &text[at..]);
    out.finish()
}

/// A display name as plain text on one line: controls and bidi overrides removed,
/// whitespace collapsed, at most [`MOST_NAME_CHARS`] characters.
pub fn name(raw: &str) -> String {
    let mut out = Builder::new(MOST_NAME_CHARS);
    out.text(raw);
    out.finish()
        .into_iter()
        .flatten()
        .map(|i| match i {
            Inline::Text { text } | Inline::Link { text, .. } => text,
        })
        .collect()
}

/// `href` as a link target, if it is an absolute http(s) address; `javascript:`,
/// `data:`, relative and broken ones are not (their text stays, as text).
pub fn web_link(href: &str) -> Option<String> {
    let url = url::Url::parse(href.trim()).ok()?;
    let web =
        matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty());
    web.then(|| url.to_string())
}

/// Whether `c` is dropped from text: controls (C0, DEL, C1) and the characters that
/// change the direction of what follows (embeddings, overrides, isolates, marks), so a
/// name or reply cannot turn the page's text around.
fn is_dropped(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Paragraphs being written: whitespace collapsed across runs, empty paragraphs never
/// kept, and the text bounded.
struct Builder {
    paragraphs: Vec<Paragraph>,
    current: Paragraph,
    /// A space is owed before the next text (not at the start of a paragraph).
    space: bool,
    /// The link being written, until its first text makes it an inline.
    link: Option<String>,
    /// Whether the last inline of `current` is the open link's.
    linking: bool,
    chars: usize,
    most: usize,
    full: bool,
}

impl Builder {
    fn new(most: usize) -> Builder {
        Builder {
            paragraphs: Vec::new(),
            current: Vec::new(),
            space: false,
            link: None,
            linking: false,
            chars: 0,
            most,
            full: false,
        }
    }

    fn in_link(&self) -> bool {
        self.link.is_some()
    }

    fn open_link(&mut self, href: String) {
        self.link = Some(href);
        self.linking = false;
    }

    fn close_link(&mut self) {
        self.link = None;
        self.linking = false;
    }

    fn paragraph(&mut self) {
        if !self.current.is_empty() {
            self.paragraphs.push(std::mem::take(&mut self.current));
        }
        self.space = false;
        self.linking = false;
    }

    fn text(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        for word in raw.split(|c: char| c.is_whitespace() || c.is_control()) {
            let word: String = word.chars().filter(|c| !is_dropped(*c)).collect();
            if word.is_empty() {
                // Whitespace (or only dropped characters) between words.
                self.space = !self.current.is_empty();
                continue;
            }
            self.word(&word);
            self.space = true;
        }
        // `split` gives the words between separators: a separator at the end owes a space,
        // none does not (the next run continues the word).
        if !raw.ends_with(|c: char| c.is_whitespace() || c.is_control()) {
            self.space = false;
        }
    }

    fn word(&mut self, word: &str) {
        if self.full {
            return;
        }
        let space = self.space && !self.current.is_empty();
        let mut piece = String::with_capacity(word.len() + 1);
        if space {
            piece.push(' ');
        }
        let count = word.chars().count() + usize::from(space);
        if self.chars + count > self.most && self.chars >= self.most {
            // Full to the character before: the last one makes way for the mark.
            let last = match self.current.last_mut() {
                Some(last) => Some(last),
                None => self.paragraphs.last_mut().and_then(|p| p.last_mut()),
            };
            if let Some(Inline::Text { text } | Inline::Link { text, .. }) = last {
                text.pop();
                text.push('…');
            }
            self.full = true;
            return;
        }
        if self.chars + count > self.most {
            let keep = self.most.saturating_sub(self.chars + 1);
            piece.push_str(word);
            let cut = piece
                .char_indices()
                .nth(keep)
                .map_or(piece.len(), |(i, _)| i);
            piece.truncate(floor_char_boundary(&piece, cut));
            piece.push('…');
            self.full = true;
        } else {
            piece.push_str(word);
        }
        self.chars += piece.chars().count();
        self.push(piece);
    }

    fn push(&mut self, piece: String) {
        match self.link.clone() {
            Some(href) => {
                if self.linking
                    && let Some(Inline::Link { text, .. }) = self.current.last_mut()
                {
                    text.push_str(&piece);
                    return;
                }
                // The space before a link belongs to the text before it.
                let (space, rest) = match piece.strip_prefix(' ') {
                    Some(rest) => (true, rest.to_string()),
                    None => (false, piece),
                };
                if space {
                    self.push_text(" ");
                }
                self.current.push(Inline::Link { href, text: rest });
                self.linking = true;
            }
            None => self.push_text(&piece),
        }
    }

    fn push_text(&mut self, piece: &str) {
        self.linking = false;
        if let Some(Inline::Text { text }) = self.current.last_mut() {
            text.push_str(piece);
        } else {
            self.current.push(Inline::Text {
                text: piece.to_string(),
            });
        }
    }

    fn finish(mut self) -> Vec<Paragraph> {
        self.paragraph();
        self.paragraphs
    }
}

#[cfg(test)]
#[path = "reduce_tests.rs"]
mod tests;
