//! Readers' comments. Every export's comments are counted for the report; none is
//! published unless `--comments` asks, because they are their writers' personal data.
//! With it, a post's approved comments are appended to its Markdown as a static, threaded
//! list under a heading in the site's language ("Earlier replies"). That form needs no
//! theme change, is found by the site's search, is part of the file the import records
//! (so a re-import keeps an edited file, and an unedited one gets the same bytes), and the
//! writer can edit or delete any reply like the rest of the post.
//!
//! A comment shows its writer's display name, its date and its text — never the e-mail
//! address, IP or web address the export also holds (the readers do not even keep them).
//! The text is reduced to paragraphs, line breaks and web links (`rel="nofollow ugc"`),
//! everything escaped, so a comment's markup, scripts, `javascript:` links and direction
//! overrides cannot reach the page. The list is written as one raw HTML block in the
//! Markdown (kring's Markdown passes HTML through): Markdown links cannot carry `rel`, and
//! escaped HTML cannot be misread as Markdown.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::clean::escape;
use super::model::clean_text;
use super::tree::CLOSES_P;

/// How deep replies nest: a reply to a reply to a comment. Deeper replies join the list of
/// the deepest level, after their parent, as most themes show them.
pub const MAX_DEPTH: usize = 3;
/// The most characters of one comment's text kept (WordPress allows 65,525).
const MAX_TEXT: usize = 20_000;
/// The most characters of a name kept.
const MAX_NAME: usize = 100;

/// A comment as the readers keep it: only what may be shown.
#[derive(Debug, Clone)]
pub struct Comment {
    /// The export's id, and the id of the comment it answers (empty for none).
    pub id: String,
    pub parent: String,
    /// The name the writer gave (not their login, address or web address).
    pub name: String,
    pub date: Option<toml::value::Datetime>,
    /// The text as the export holds it (HTML or plain text with line breaks).
    pub text: String,
}

/// A comment's state in the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Approved,
    Held,
    Spam,
    Trash,
    /// A pingback or trackback: another site's notice, not a reader's words.
    Pingback,
}

/// How many comments an export holds, by state, and how many the import published.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub approved: usize,
    pub held: usize,
    pub spam: usize,
    pub trash: usize,
    pub pingbacks: usize,
    /// Added under their posts (with `--comments`), and under how many posts.
    pub published: usize,
    pub posts: usize,
    /// The platform's comments cannot be imported (Ghost's name members, whose table is
    /// never read).
    pub count_only: bool,
}

impl Counts {
    pub fn add(&mut self, status: Status) {
        *match status {
            Status::Approved => &mut self.approved,
            Status::Held => &mut self.held,
            Status::Spam => &mut self.spam,
            Status::Trash => &mut self.trash,
            Status::Pingback => &mut self.pingbacks,
        } += 1;
    }

    pub fn total(&self) -> usize {
        self.approved + self.held + self.spam + self.trash + self.pingbacks
    }

    /// The report's paragraph on comments; `None` when the export has none.
    pub fn describe(&self) -> Option<String> {
        if self.total() == 0 {
            return None;
        }
        let others = format!(
            "{} held for moderation, {} spam, {} in the trash, {} pingbacks or trackbacks",
            self.held, self.spam, self.trash, self.pingbacks
        );
        Some(if self.published > 0 {
            format!(
                "Comments: {} approved comments added under {} posts as \"Earlier replies\" (display name, date and text only: no e-mail address, IP or web address); not published: {}{}.",
                self.published,
                self.posts,
                others,
                match self.approved - self.published {
                    0 => String::new(),
                    n => format!(", {n} approved on items not imported"),
                }
            )
        } else if self.count_only {
            format!(
                "Comments: {} in the export ({} approved, {others}): not imported. They name the site's members, whose table is never read.",
                self.total(),
                self.approved
            )
        } else {
            format!(
                "Comments: {} in the export ({} approved, {others}): none published. Comments are their writers' personal data; `--comments` adds the approved ones under their posts as \"Earlier replies\" (display name, date and text only).",
                self.total(),
                self.approved
            )
        })
    }
}

/// Ghost 5's `comments` table, counted: its rows name members, not names, so they are
/// never imported.
pub fn count_ghost<'a>(rows: impl IntoIterator<Item = &'a serde_json::Value>) -> Counts {
    let mut counts = Counts {
        count_only: true,
        ..Counts::default()
    };
    for row in rows {
        counts.add(match row["status"].as_str() {
            Some("published") => Status::Approved,
            Some("deleted") => Status::Trash,
            _ => Status::Held,
        });
    }
    counts
}

/// The heading over a post's replies, in the site's language.
fn heading(language: &str) -> (&'static str, &'static str) {
    match language {
        "nl" => ("Eerdere reacties", "Anoniem"),
        _ => ("Earlier replies", "Anonymous"),
    }
}

/// The Markdown appended to a post with approved `comments`: a heading and the threaded
/// list as one HTML block; empty when there are none.
pub fn section(comments: &[Comment], language: &str) -> String {
    if comments.is_empty() {
        return String::new();
    }
    let mut order: Vec<&Comment> = comments.iter().collect();
    // Oldest first; the export's order among equal dates (a sort that keeps it).
    order.sort_by_key(|c| c.date.map(|d| d.to_string()));
    let attach = thread(&order);
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); order.len()];
    let mut top = Vec::new();
    for (i, parent) in attach.iter().enumerate() {
        match parent {
            Some(p) => children[*p].push(i),
            None => top.push(i),
        }
    }
    let (title, anonymous) = heading(language);
    let mut out = format!("\n\n## {title}\n\n<ul class=\"earlier-replies\">\n");
    let mut list = List {
        order: &order,
        children: &children,
        ids: HashSet::new(),
        anonymous,
    };
    for i in top {
        list.item(i, 1, &mut out);
    }
    out.push_str("</ul>\n");
    out
}

/// Writes the threaded list.
struct List<'a> {
    order: &'a [&'a Comment],
    children: &'a [Vec<usize>],
    /// Element ids given so far (`comment-2`, as WordPress's own anchors).
    ids: HashSet<String>,
    anonymous: &'a str,
}

impl List<'_> {
    fn item(&mut self, i: usize, level: usize, out: &mut String) {
        let c = self.order[i];
        let id = &c.id;
        if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) && self.ids.insert(id.clone()) {
            let _ = writeln!(out, "<li id=\"comment-{id}\">");
        } else {
            out.push_str("<li>\n");
        }
        let name: String = clean_text(&c.name)
            .chars()
            .filter(|&ch| !is_bidi_control(ch))
            .take(MAX_NAME)
            .collect();
        let name = if name.trim().is_empty() {
            self.anonymous
        } else {
            &name
        };
        let _ = write!(out, "<p><strong><bdi>{}</bdi></strong>", escape(name));
        if let Some(date) = c.date {
            let text = date.to_string();
            let day = text.get(..10).unwrap_or(&text);
            let _ = write!(out, " · <time datetime=\"{text}\">{day}</time>");
        }
        out.push_str("</p>\n");
        for paragraph in reduce(&c.text) {
            let _ = writeln!(out, "<p>{paragraph}</p>");
        }
        // `thread` keeps replies within `MAX_DEPTH` levels, so this recursion does too.
        let children = self.children;
        if !children[i].is_empty() && level < MAX_DEPTH {
            out.push_str("<ul>\n");
            for &child in &children[i] {
                self.item(child, level + 1, out);
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</li>\n");
    }
}

/// For each comment, the one its list item goes under (`None`: the top level): its
/// parent, or for a reply deeper than [`MAX_DEPTH`] its parent's. A parent that is not
/// among `comments` (held, spam, missing) or a loop of parents makes a top-level comment.
/// Linear: each comment is resolved once.
fn thread(comments: &[&Comment]) -> Vec<Option<usize>> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, c) in comments.iter().enumerate() {
        index.entry(c.id.as_str()).or_insert(i);
    }
    let parent: Vec<Option<usize>> = comments
        .iter()
        .enumerate()
        .map(|(i, c)| index.get(c.parent.as_str()).copied().filter(|&p| p != i))
        .collect();
    // 0: not resolved yet; else the level (1 = top).
    let mut level = vec![0usize; comments.len()];
    let mut attach: Vec<Option<usize>> = vec![None; comments.len()];
    let mut seen = vec![false; comments.len()];
    let mut chain = Vec::new();
    for start in 0..comments.len() {
        chain.clear();
        let mut at = Some(start);
        while let Some(c) = at {
            if level[c] != 0 || seen[c] {
                break;
            }
            seen[c] = true;
            chain.push(c);
            at = parent[c];
        }
        for &c in chain.iter().rev() {
            match parent[c] {
                // A resolved parent; an unresolved one is on this chain: a loop.
                Some(p) if level[p] != 0 => {
                    if level[p] < MAX_DEPTH {
                        level[c] = level[p] + 1;
                        attach[c] = Some(p);
                    } else {
                        level[c] = MAX_DEPTH;
                        attach[c] = attach[p];
                    }
                }
                _ => level[c] = 1,
            }
        }
    }
    attach
}

/// Characters that override or embed a text direction: in a name or comment they could
/// make the text around them read backwards.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A comment's text as paragraphs of escaped HTML holding only `<br>` and web links: a
/// blank line (or a block element) ends a paragraph, a line break is `<br>`, every other
/// tag goes and its text stays (a script's and a style's text go too).
pub fn reduce(text: &str) -> Vec<String> {
    #[derive(Default)]
    struct State {
        paragraphs: Vec<String>,
        current: String,
        newlines: usize,
        space: bool,
        in_link: bool,
        hidden: usize,
        chars: usize,
    }
    impl State {
        fn end_paragraph(&mut self) {
            if self.in_link {
                self.current.push_str("</a>");
                self.in_link = false;
            }
            if !self.current.is_empty() {
                self.paragraphs.push(std::mem::take(&mut self.current));
            }
        }
        /// Writes the white space seen before what comes next.
        fn flush(&mut self) {
            if self.newlines >= 2 {
                self.end_paragraph();
            } else if self.current.is_empty() {
            } else if self.newlines == 1 {
                self.current.push_str("<br>");
            } else if self.space {
                self.current.push(' ');
            }
            self.newlines = 0;
            self.space = false;
        }
        fn text(&mut self, s: &str) {
            for c in s.chars() {
                if self.chars >= MAX_TEXT {
                    return;
                }
                if c == '\n' {
                    self.newlines += 1;
                } else if c.is_whitespace() {
                    self.space = true;
                } else if !c.is_control() && !is_bidi_control(c) {
                    self.flush();
                    self.chars += 1;
                    if self.chars == MAX_TEXT {
                        self.current.push('…');
                    } else {
                        let mut buf = [0; 4];
                        self.current.push_str(&escape(c.encode_utf8(&mut buf)));
                    }
                }
            }
        }
    }
    struct Sink(RefCell<State>);
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            let mut s = self.0.borrow_mut();
            match token {
                Token::CharacterTokens(t) if s.hidden == 0 => s.text(&t),
                Token::TagToken(tag) => {
                    let name = &*tag.name;
                    let start = tag.kind == TagKind::StartTag;
                    if matches!(name, "script" | "style" | "template" | "noscript") {
                        s.hidden = if start {
                            s.hidden.saturating_add(1)
                        } else {
                            s.hidden.saturating_sub(1)
                        };
                    } else if name == "br" {
                        s.newlines += 1;
                    } else if CLOSES_P.contains(&name) || matches!(name, "tr" | "td" | "th") {
                        s.newlines = 2;
                    } else if name == "a" && start && !s.in_link && s.chars < MAX_TEXT {
                        let href = tag
                            .attrs
                            .iter()
                            .find(|a| &*a.name.local == "href")
                            .and_then(|a| url::Url::parse(a.value.trim()).ok())
                            .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host());
                        if let Some(href) = href {
                            s.flush();
                            s.current.push_str(&format!(
                                "<a href=\"{}\" rel=\"nofollow ugc\">",
                                escape(href.as_str())
                            ));
                            s.in_link = true;
                        }
                    } else if name == "a" && !start && s.in_link {
                        s.current.push_str("</a>");
                        s.in_link = false;
                    }
                }
                _ => {}
            }
            TokenSinkResult::Continue
        }
    }
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(text));
    let tokenizer = Tokenizer::new(Sink(RefCell::default()), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let mut state = tokenizer.sink.0.into_inner();
    state.end_paragraph();
    state.paragraphs
}

#[cfg(test)]
#[path = "comments_tests.rs"]
mod tests;
