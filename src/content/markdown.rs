//! Markdown → HTML with pulldown-cmark: heading ids and anchors, a table of contents, the
//! summary, word count, `@/` links to other content files, and relative URLs made absolute
//! so the HTML reads the same on a list page, in a feed and in an email.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

use super::blocks::{self, BlockCall};
use super::nesting::HtmlNesting;
use super::picture::PendingImage;
pub use super::picture::{ImageSize, ShownPhoto};

/// One heading, for a table of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A `@/file.md#anchor` link found in the body, kept so `kring check` can verify the anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentLink {
    /// Content-relative path of the target file, e.g. `articles/x.md`.
    pub target: String,
    pub anchor: Option<String>,
    /// Byte offset of the link in the body.
    pub offset: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub summary: Option<String>,
    pub toc: Vec<Heading>,
    pub word_count: usize,
    pub links: Vec<ContentLink>,
    /// Where the body first nests deeper than [`MAX_NESTING`] (byte offset): an error.
    pub too_deep_at: Option<usize>,
    /// Where an image has no alt text (byte offsets): a warning each.
    pub images_without_alt: Vec<usize>,
    /// Photos beside the page or in `static/` that cannot be read: where, and why (with
    /// the image's address). An error each.
    pub unreadable_images: Vec<(usize, String)>,
    /// The site's images the body shows, in order.
    pub photos: Vec<ShownPhoto>,
    /// The content blocks the body calls, by placeholder number (see [`blocks`]).
    pub blocks: Vec<BlockCall>,
    /// Blocks that cannot be read: where (byte offset), and why. An error each.
    pub block_errors: Vec<(usize, String)>,
    /// The questions and answers of its `faq()` blocks as text, once rendered.
    pub faq: Vec<(String, String)>,
    /// For a body with blocks, once they are rendered: its HTML and summary with the
    /// placeholders still in, so the blocks can be rendered again when what they show
    /// changes (the dev server).
    pub unexpanded: Option<(String, Option<String>)>,
}

/// How deep lists, quotes, HTML elements written in the body (see [`HtmlNesting`]) and
/// other blocks may nest. Real writing stays under ten; past this, a body is an attack or
/// an accident, and the HTML and email tools after Markdown (which walk trees recursively,
/// and look through every open element at each tag) would run out of stack or time.
pub const MAX_NESTING: usize = 64;

/// What the renderer needs from the rest of the site.
pub trait LinkResolver {
    /// The permalink of a content file (`articles/x.md`), if it exists.
    fn permalink(&self, content_path: &str) -> Option<String>;
}

/// A link that could not be resolved: the target, and where it was written in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub target: String,
    pub offset: usize,
}

pub struct MarkdownOptions<'a> {
    pub smart_punctuation: bool,
    /// The page's own permalink: relative URLs resolve against it.
    pub page_permalink: &'a str,
    /// The site's base URL: root-relative URLs (`/images/x.png`) resolve against it.
    pub base_url: &'a str,
    /// How an image of the site is shown, by its URL as written (`photo.jpg`,
    /// `/img/x.png`): its `width` and `height` (so the page does not shift as it loads), and
    /// its sizes.
    pub image_size: Option<&'a ImageSize<'a>>,
}

const MORE_MARKER: &str = "<!-- more -->";
pub const WORDS_PER_MINUTE: usize = 200;

/// How deeply blocks with bodies may nest in each other.
const MAX_BLOCK_NESTING: usize = 8;

/// Renders a body: its content blocks are cut out first (each leaves a placeholder that
/// the theme fills in later), and their bodies are rendered the same way.
pub fn render(
    body: &str,
    options: &MarkdownOptions,
    links: &dyn LinkResolver,
) -> (Rendered, Vec<BrokenLink>) {
    let mut calls = Vec::new();
    // One count for the whole body: an element a block's body leaves open adds up with the
    // others, wherever the theme puts them.
    let mut nesting = HtmlNesting::default();
    let (mut rendered, broken) = render_level(body, options, links, &mut calls, &mut nesting, 0);
    rendered.blocks = calls;
    (rendered, broken)
}

/// One level of [`render`]: `calls` are every block found so far, so placeholders are
/// numbered across the whole body.
fn render_level(
    body: &str,
    options: &MarkdownOptions,
    links: &dyn LinkResolver,
    calls: &mut Vec<BlockCall>,
    nesting: &mut HtmlNesting,
    depth: usize,
) -> (Rendered, Vec<BrokenLink>) {
    let (extracted, error) = match blocks::extract(body, calls.len()) {
        Ok(x) => (x, None),
        Err(e) => (
            blocks::Extracted {
                markdown: body.to_string(),
                ..Default::default()
            },
            Some((e.offset, e.message)),
        ),
    };
    let first = calls.len();
    calls.extend(extracted.calls.iter().cloned());
    let (mut rendered, mut broken) = render_markdown(&extracted.markdown, options, links, nesting);
    let back = |o: usize| extracted.original_offset(o);
    shift_offsets(&mut rendered, &mut broken, &back);
    rendered.block_errors.extend(error);
    for i in first..first + extracted.calls.len() {
        let Some(text) = calls[i].body.clone() else {
            continue;
        };
        if depth >= MAX_BLOCK_NESTING {
            rendered.block_errors.push((
                calls[i].offset,
                "blocks nest too deeply in each other".into(),
            ));
            continue;
        }
        let before = calls.len();
        let (mut inner, mut inner_broken) =
            render_level(&text, options, links, calls, nesting, depth + 1);
        let base = calls[i].body_offset;
        for nested in &mut calls[before..] {
            nested.offset += base;
            nested.body_offset += base;
        }
        shift_offsets(&mut inner, &mut inner_broken, &|o| o + base);
        calls[i].body_html = Some(std::mem::take(&mut inner.html));
        rendered.word_count += inner.word_count;
        rendered.links.append(&mut inner.links);
        rendered
            .images_without_alt
            .append(&mut inner.images_without_alt);
        rendered
            .unreadable_images
            .append(&mut inner.unreadable_images);
        rendered.photos.append(&mut inner.photos);
        rendered.block_errors.append(&mut inner.block_errors);
        rendered.too_deep_at = rendered.too_deep_at.or(inner.too_deep_at);
        broken.append(&mut inner_broken);
    }
    (rendered, broken)
}

/// Every byte offset of a rendering passed through `map`.
fn shift_offsets(r: &mut Rendered, broken: &mut [BrokenLink], map: &dyn Fn(usize) -> usize) {
    for link in &mut r.links {
        link.offset = map(link.offset);
    }
    for b in broken {
        b.offset = map(b.offset);
    }
    for at in &mut r.images_without_alt {
        *at = map(*at);
    }
    for (at, _) in &mut r.unreadable_images {
        *at = map(*at);
    }
    for (at, _) in &mut r.block_errors {
        *at = map(*at);
    }
    r.too_deep_at = r.too_deep_at.map(map);
}

fn render_markdown(
    body: &str,
    options: &MarkdownOptions,
    links: &dyn LinkResolver,
    nesting: &mut HtmlNesting,
) -> (Rendered, Vec<BrokenLink>) {
    let mut opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if options.smart_punctuation {
        opts |= Options::ENABLE_SMART_PUNCTUATION;
    }

    let mut rendered = Rendered::default();
    let mut broken = Vec::new();
    let mut events: Vec<Event> = Vec::with_capacity(256);
    let mut used_ids = UsedIds::default();
    let mut summary_end = None;
    // (start, end) event indexes of the first top-level paragraph; end is 0 while inside it.
    let mut first_paragraph: Option<(usize, usize)> = None;
    let mut depth = 0usize;
    // The depth at which an open task-list `<label>` must close.
    let mut task_label: Option<usize> = None;
    // While inside a heading, its events wait here until its text (and so its id) is known.
    let mut heading: Option<(HeadingLevel, Option<String>, Vec<Event>, String)> = None;
    let mut image: Option<PendingImage> = None;
    let mut images = 0usize;

    for (event, range) in Parser::new_ext(body, opts).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = resolve_url(
                    dest_url,
                    range.start,
                    options,
                    links,
                    &mut rendered,
                    &mut broken,
                );
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let shown = match options.image_size.map(|size| size(&dest_url)) {
                    Some(Ok(shown)) => shown,
                    Some(Err(why)) => {
                        rendered
                            .unreadable_images
                            .push((range.start, format!("{dest_url}: {why}")));
                        None
                    }
                    None => None,
                };
                let src = resolve_url(
                    dest_url,
                    range.start,
                    options,
                    links,
                    &mut rendered,
                    &mut broken,
                );
                image = Some(PendingImage {
                    src: src.to_string(),
                    title: title.to_string(),
                    alt: String::new(),
                    shown,
                    offset: range.start,
                });
                continue;
            }
            // The alt text: the image's words, without their markup.
            Event::Text(t) | Event::Code(t) if image.is_some() => {
                if let Some(img) = image.as_mut() {
                    img.alt.push_str(&t);
                }
                continue;
            }
            Event::End(TagEnd::Image) => {
                let Some(img) = image.take() else { continue };
                if img.alt.trim().is_empty() {
                    rendered.images_without_alt.push(img.offset);
                }
                images += 1;
                if let Some(shown) = &img.shown {
                    rendered.photos.push(shown.clone());
                }
                Event::Html(CowStr::from(img.html(images == 1)))
            }
            _ if image.is_some() => continue,
            Event::Text(ref t) | Event::Code(ref t) => {
                rendered.word_count += t.split_whitespace().count();
                event
            }
            Event::Html(ref h) if h.trim() == MORE_MARKER => {
                // The marker is an HTML block of its own; cut before the block opens.
                let block_start = matches!(events.last(), Some(Event::Start(Tag::HtmlBlock)));
                summary_end.get_or_insert(events.len() - usize::from(block_start));
                continue;
            }
            // Raw HTML nests inside the Markdown around it, and counts with it.
            Event::Html(ref h) | Event::InlineHtml(ref h) => {
                let deepest = nesting.read(h);
                // An HTML block is a level for Markdown, not an element of the page.
                let around = depth.saturating_sub(usize::from(matches!(event, Event::Html(_))));
                if around + deepest > MAX_NESTING {
                    rendered.too_deep_at.get_or_insert(range.start);
                }
                event
            }
            other => other,
        };

        if let Some((_, _, buffered, text)) = heading.as_mut() {
            match &event {
                Event::End(TagEnd::Heading(_)) => {}
                Event::Text(t) | Event::Code(t) => {
                    text.push_str(t);
                    buffered.push(event);
                    continue;
                }
                _ => {
                    buffered.push(event);
                    continue;
                }
            }
        }

        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((level, id.map(|i| i.to_string()), Vec::new(), String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                let (level, id, inner, text) = heading.take().expect("heading started");
                let base = id.unwrap_or_else(|| {
                    let s = slug::slugify(&text);
                    if s.is_empty() {
                        "section".to_string()
                    } else {
                        s
                    }
                });
                let id = unique_id(&base, &mut used_ids);
                let n = level as u8;
                events.push(Event::Html(CowStr::from(format!(
                    "<h{n} id=\"{}\">",
                    escape_attr(&id)
                ))));
                events.extend(inner);
                events.push(Event::Html(CowStr::from(format!(
                    "<a class=\"heading-anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{n}>\n",
                    escape_attr(&id)
                ))));
                rendered.toc.push(Heading {
                    level: n,
                    id,
                    title: text,
                });
            }
            Event::Start(ref tag) => {
                // A label may hold only inline content: a nested list closes it.
                if task_label.is_some() && !is_inline(tag) {
                    events.push(Event::Html(CowStr::from("</label>")));
                    task_label = None;
                }
                depth += 1;
                if depth > MAX_NESTING && rendered.too_deep_at.is_none() {
                    rendered.too_deep_at = Some(range.start);
                }
                if matches!(tag, Tag::Paragraph) && depth == 1 && first_paragraph.is_none() {
                    first_paragraph = Some((events.len(), 0));
                }
                events.push(event);
            }
            Event::TaskListMarker(done) => {
                // pulldown-cmark's bare `<input type=checkbox>` has no accessible name; the
                // task's own words become its label.
                let checked = if done { " checked" } else { "" };
                events.push(Event::Html(CowStr::from(format!(
                    "<label class=\"task\"><input type=\"checkbox\" disabled{checked}> "
                ))));
                task_label = Some(depth);
            }
            Event::End(tag) => {
                if task_label == Some(depth) {
                    events.push(Event::Html(CowStr::from("</label>")));
                    task_label = None;
                }
                depth = depth.saturating_sub(1);
                events.push(Event::End(tag));
                if let Some((start, 0)) = first_paragraph
                    && tag == TagEnd::Paragraph
                    && depth == 0
                {
                    first_paragraph = Some((start, events.len()));
                }
            }
            other => events.push(other),
        }
    }

    super::video::embed(&mut events);
    let summary_range = match (summary_end, first_paragraph) {
        (Some(end), _) => Some(0..end),
        (None, Some((start, end))) if end > 0 => Some(start..end),
        _ => None,
    };
    if let Some(range) = summary_range {
        let mut summary = String::new();
        html::push_html(&mut summary, events[range].iter().cloned());
        rendered.summary = Some(summary);
    }
    rendered.html.reserve(body.len() * 3 / 2);
    html::push_html(&mut rendered.html, events.into_iter());
    // A wide table scrolls sideways on a phone: it takes the keyboard's focus so it can be
    // scrolled without a mouse.
    if rendered.html.contains("<table>") {
        rendered.html = rendered.html.replace("<table>", "<table tabindex=\"0\">");
    }
    // CommonMark makes a NUL U+FFFD (for security; XML feeds allow no NUL either), which
    // pulldown-cmark leaves to its user. Done on the HTML, so source offsets stay true.
    for html in [Some(&mut rendered.html), rendered.summary.as_mut()]
        .into_iter()
        .flatten()
    {
        if html.contains('\0') {
            *html = html.replace('\0', "\u{fffd}");
        }
    }
    (rendered, broken)
}

fn is_inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

/// Ids given so far, and for each base the next number to try: twenty thousand headings
/// named alike cost twenty thousand steps, not two hundred million.
#[derive(Default)]
struct UsedIds {
    taken: HashSet<String>,
    next: HashMap<String, usize>,
}

fn unique_id(base: &str, used: &mut UsedIds) -> String {
    if used.taken.insert(base.to_string()) {
        return base.to_string();
    }
    let next = used.next.entry(base.to_string()).or_insert(1);
    loop {
        let candidate = format!("{base}-{next}");
        *next += 1;
        if used.taken.insert(candidate.clone()) {
            return candidate;
        }
    }
}

fn resolve_url<'a>(
    dest: CowStr<'a>,
    offset: usize,
    options: &MarkdownOptions,
    links: &dyn LinkResolver,
    rendered: &mut Rendered,
    broken: &mut Vec<BrokenLink>,
) -> CowStr<'a> {
    if let Some(internal) = dest.strip_prefix("@/") {
        let (file, anchor) = match internal.split_once('#') {
            Some((f, a)) => (f, Some(a.to_string())),
            None => (internal, None),
        };
        rendered.links.push(ContentLink {
            target: file.to_string(),
            anchor: anchor.clone(),
            offset,
        });
        return match links.permalink(file) {
            Some(url) => match anchor {
                Some(a) => format!("{url}#{a}").into(),
                None => url.into(),
            },
            None => {
                broken.push(BrokenLink {
                    target: dest.to_string(),
                    offset,
                });
                dest
            }
        };
    }
    absolute_url(&dest, options.page_permalink, options.base_url)
        .map(CowStr::from)
        .unwrap_or(dest)
}

/// `url` made absolute: relative to the page's permalink, or, starting with `/`, to the
/// site's base URL. `None` for URLs that are already absolute or only an `#anchor`.
pub fn absolute_url(url: &str, page_permalink: &str, base_url: &str) -> Option<String> {
    if url.is_empty() || url.starts_with('#') || url.starts_with("//") || has_scheme(url) {
        return None;
    }
    if let Some(rest) = url.strip_prefix('/') {
        return Some(format!("{base_url}{rest}"));
    }
    let mut base = page_permalink.to_string();
    if !base.ends_with('/') {
        base.truncate(base.rfind('/').map_or(0, |i| i + 1));
    }
    let mut url = url;
    while let Some(rest) = url.strip_prefix("./") {
        url = rest;
    }
    while let Some(rest) = url.strip_prefix("../") {
        // Never climb above the site's base URL.
        if base.len() > base_url.len() {
            base.pop();
            base.truncate(base.rfind('/').map_or(0, |i| i + 1));
        }
        url = rest;
    }
    Some(format!("{base}{url}"))
}

fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !url[..i].contains('/')
        }
        None => false,
    }
}

/// Escapes text for a double-quoted HTML attribute.
pub fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

#[cfg(test)]
#[path = "markdown_tests.rs"]
mod tests;
