//! How deep the raw HTML written in a body nests. Markdown's own nesting is counted by the
//! renderer; HTML tags are counted here, so a body of 100,000 `<div>`s inside each other
//! is refused at its line like 100,000 nested quotes. Past a few hundred levels the HTML5
//! parsers after Markdown (css-inline and html2text for the email edition, via html5ever)
//! spend time in proportion to the depth for every tag: deep nesting makes them quadratic.
//!
//! The count is a scan, not a parse: it reads tags in one pass over the text, with its
//! state carried from one piece of HTML to the next (Markdown hands an HTML block over
//! line by line). It errs on the side of counting: an element left open counts until it
//! is closed, wherever that is. Elements whose end tag HTML lets writers leave out (`<p>`,
//! `<li>`, `<td>`, …) and void ones (`<br>`, `<img>`) are not counted, so exports that
//! leave out `</p>` are not refused.

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements whose end tag may be left out: the next one of their kind, or the end of their
/// parent, closes them. Not counted either way.
const OPTIONAL_END: &[&str] = &[
    "body", "caption", "colgroup", "dd", "dt", "head", "html", "li", "optgroup", "option", "p",
    "rb", "rp", "rt", "rtc", "tbody", "td", "tfoot", "th", "thead", "tr",
];

/// Elements whose content is text up to their end tag: tags in it are not tags.
const RAW_TEXT: &[&str] = &[
    "iframe", "noembed", "noframes", "script", "style", "textarea", "title", "xmp",
];

/// The longest element name kept; longer names are never one of the lists above.
const NAME_MAX: usize = 16;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum State {
    #[default]
    Text,
    /// After `<`.
    Open,
    /// After `<!`: how many `-` followed.
    Bang(u8),
    /// A start tag's name.
    StartName,
    /// A start tag's attributes; the quote a value is in, and whether the last byte was `/`.
    Attributes { quote: Option<u8>, slash: bool },
    /// An end tag's name.
    EndName,
    /// Up to the `>` of a tag that counts for nothing.
    ToGt,
    /// Just after `<!--` (0) or `<!---` (1): a `>` here ends the comment (`<!-->`).
    CommentStart(u8),
    /// Inside a comment: how much of `-->` (or `--!>`: 3 after the `!`) was just seen.
    Comment(u8),
    /// Inside a raw-text element: how much of its `</name` was just seen.
    RawText(u8),
}

/// The open raw-HTML elements of a body, read piece by piece.
#[derive(Debug, Default)]
pub struct HtmlNesting {
    state: State,
    depth: usize,
    /// The most open while the current piece is read.
    deepest: usize,
    /// The depth outside the outermost open `<svg>` or `<math>`, where `<x/>` closes itself.
    foreign_from: Option<usize>,
    name: [u8; NAME_MAX],
    name_len: usize,
    /// The raw-text element being skipped.
    raw: &'static str,
}

impl HtmlNesting {
    /// How many counted elements are open.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Reads the next piece of HTML; the most elements open at any point in it.
    pub fn read(&mut self, html: &str) -> usize {
        self.deepest = self.depth;
        for &b in html.as_bytes() {
            self.byte(b);
        }
        self.deepest
    }

    fn byte(&mut self, b: u8) {
        self.state = match self.state {
            State::Text => {
                if b == b'<' {
                    State::Open
                } else {
                    State::Text
                }
            }
            State::Open => match b {
                b'!' => State::Bang(0),
                b'?' => State::ToGt,
                b'/' => {
                    self.name_len = 0;
                    State::EndName
                }
                b if b.is_ascii_alphabetic() => {
                    self.name_len = 0;
                    self.push_name(b);
                    State::StartName
                }
                b'<' => State::Open,
                _ => State::Text,
            },
            State::Bang(dashes) => match (b, dashes) {
                (b'-', 0) => State::Bang(1),
                (b'-', _) => State::CommentStart(0),
                (b'>', _) => State::Text,
                _ => State::ToGt,
            },
            State::StartName => {
                if is_name_byte(b) {
                    self.push_name(b);
                    State::StartName
                } else {
                    self.attributes(b, None, false)
                }
            }
            State::Attributes { quote, slash } => self.attributes(b, quote, slash),
            State::EndName => {
                if is_name_byte(b) {
                    self.push_name(b);
                    State::EndName
                } else {
                    if self.name_len > 0 && self.counts() {
                        self.close();
                    }
                    if b == b'>' { State::Text } else { State::ToGt }
                }
            }
            State::ToGt => {
                if b == b'>' {
                    State::Text
                } else {
                    State::ToGt
                }
            }
            State::CommentStart(dashes) => match (b, dashes) {
                (b'>', _) => State::Text,
                (b'-', 0) => State::CommentStart(1),
                (b'-', _) => State::Comment(2),
                _ => State::Comment(0),
            },
            State::Comment(seen) => match (b, seen) {
                (b'-', 0 | 1) => State::Comment(seen + 1),
                (b'-', _) => State::Comment(2),
                (b'>', 2 | 3) => State::Text,
                (b'!', 2) => State::Comment(3),
                _ => State::Comment(0),
            },
            State::RawText(seen) => self.raw_text(b, seen),
        };
    }

    fn attributes(&mut self, b: u8, quote: Option<u8>, slash: bool) -> State {
        match (quote, b) {
            (Some(q), b) if b == q => State::Attributes {
                quote: None,
                slash: false,
            },
            (Some(q), _) => State::Attributes {
                quote: Some(q),
                slash: false,
            },
            (None, b'"' | b'\'') => State::Attributes {
                quote: Some(b),
                slash: false,
            },
            (None, b'>') => self.start_tag(slash),
            (None, b) => State::Attributes {
                quote: None,
                slash: b == b'/',
            },
        }
    }

    /// A start tag ends: `closed` when it ended in `/>`.
    fn start_tag(&mut self, closed: bool) -> State {
        let name = self.name();
        if let Some(raw) = RAW_TEXT.iter().find(|r| **r == name) {
            self.raw = raw;
            return State::RawText(0);
        }
        if !self.counts() {
            return State::Text;
        }
        // `<div/>` opens a div in HTML; only inside SVG and MathML does `/>` close.
        if closed && self.foreign_from.is_some() {
            return State::Text;
        }
        if matches!(name, "svg" | "math") && self.foreign_from.is_none() {
            self.foreign_from = Some(self.depth);
        }
        self.depth += 1;
        self.deepest = self.deepest.max(self.depth);
        State::Text
    }

    fn close(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        if self.foreign_from.is_some_and(|from| self.depth <= from) {
            self.foreign_from = None;
        }
    }

    /// Inside `<script>` and its kind: only `</script` ends it (any case).
    fn raw_text(&mut self, b: u8, seen: u8) -> State {
        let seen = usize::from(seen);
        let end = self.raw.as_bytes();
        let wanted = match seen {
            0 => b'<',
            1 => b'/',
            n => end[n - 2],
        };
        if b.to_ascii_lowercase() != wanted {
            return State::RawText(u8::from(b == b'<'));
        }
        if seen + 1 == end.len() + 2 {
            // The end tag's `>` (and anything before it) is skipped as a tag's rest.
            State::ToGt
        } else {
            State::RawText((seen + 1) as u8)
        }
    }

    fn push_name(&mut self, b: u8) {
        if self.name_len < NAME_MAX {
            self.name[self.name_len] = b.to_ascii_lowercase();
        }
        self.name_len += 1;
    }

    fn name(&self) -> &str {
        if self.name_len > NAME_MAX {
            return "";
        }
        std::str::from_utf8(&self.name[..self.name_len]).unwrap_or("")
    }

    /// Whether the element just named counts towards the depth.
    fn counts(&self) -> bool {
        let name = self.name();
        !(VOID.contains(&name) || OPTIONAL_END.contains(&name) || RAW_TEXT.contains(&name))
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(pieces: &[&str]) -> usize {
        let mut n = HtmlNesting::default();
        for p in pieces {
            n.read(p);
        }
        n.depth()
    }

    #[test]
    fn the_deepest_point_of_a_piece_is_told() {
        let mut n = HtmlNesting::default();
        let closed = format!("{}x{}", "<div>".repeat(100), "</div>".repeat(100));
        assert_eq!(n.read(&closed), 100);
        assert_eq!(n.depth(), 0);
        assert_eq!(n.read("<ul><li><ul>"), 2);
        assert_eq!(n.read("</ul></ul>"), 2, "open when the piece starts");
        assert_eq!(n.read("<br>"), 0);
    }

    #[test]
    fn open_elements_are_counted_across_pieces() {
        assert_eq!(depth(&["<div class=\"a\">", "<section><DIV>"]), 3);
        assert_eq!(depth(&["<div>", "</div>"]), 0);
        assert_eq!(depth(&["<div\n", "  title=\"a > b\" data-x='<div>'>"]), 1);
        assert_eq!(depth(&[&"<blockquote>".repeat(100)]), 100);
        assert_eq!(depth(&[&"<ul><li>".repeat(50)]), 50);
        // `/>` closes only in SVG and MathML; `<div/>` opens a div.
        assert_eq!(depth(&["<div/><span />"]), 2);
        assert_eq!(depth(&["<svg><path d=\"M0\"/><g/></svg>"]), 0);
        assert_eq!(depth(&["<svg><g>"]), 2);
        // A name longer than any listed element still counts.
        assert_eq!(depth(&["<a-very-long-custom-element-name>"]), 1);
    }

    #[test]
    fn what_is_not_an_open_element_is_not_counted() {
        assert_eq!(
            depth(&["<p>a<p>b<li>c<li>d<td><tr><br><img src=x><hr/>"]),
            0
        );
        assert_eq!(depth(&["</div></div>"]), 0);
        assert_eq!(
            depth(&["<!-- <div><div> -->", "<!---->", "<!doctype html><?x?>"]),
            0
        );
        assert_eq!(depth(&["<!-- a -", "-> <b>"]), 1);
        // A comment closed at once, or by `--!>`, hides nothing after it.
        assert_eq!(depth(&["<!--><div><!---><div><!-- x --!><div>"]), 3);
        assert_eq!(
            depth(&[
                "<script>if (a <div> b) '</SCRIPT'",
                ">",
                "<style>x{}</style >"
            ]),
            0
        );
        assert_eq!(depth(&["<script><div></scrip></script><i>"]), 1);
        assert_eq!(depth(&["a < b, 1<2 <3 <>é ✓ \r\0"]), 0);
    }
}
