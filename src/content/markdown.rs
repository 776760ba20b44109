//! Markdown → HTML with pulldown-cmark: heading ids and anchors, a table of contents, the
//! summary, word count, `@/` links to other content files, and relative URLs made absolute
//! so the HTML reads the same on a list page, in a feed and in an email.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use serde::Serialize;

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
}

/// How deep lists, quotes and other blocks may nest. Real writing stays under ten; past
/// this, a body is an attack or an accident, and the HTML and email tools after Markdown
/// (which walk trees recursively) would run out of stack.
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

pub fn render(
    body: &str,
    options: &MarkdownOptions,
    links: &dyn LinkResolver,
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
mod tests {
    use super::*;

    struct Files;
    impl LinkResolver for Files {
        fn permalink(&self, path: &str) -> Option<String> {
            (path == "articles/x.md").then(|| "https://s.org/articles/x/".to_string())
        }
    }

    fn md(body: &str) -> (Rendered, Vec<BrokenLink>) {
        let opts = MarkdownOptions {
            smart_punctuation: true,
            page_permalink: "https://s.org/articles/here/",
            base_url: "https://s.org/",
            image_size: Some(&|url: &str| match url {
                "broken.jpg" => Err("not a JPEG".into()),
                "sized.jpg" => Ok(Some(ShownPhoto {
                    rel: "articles/here/sized.jpg".into(),
                    upright: (80, 60),
                    width: 40,
                    height: 30,
                    webp_srcset: "https://s.org/articles/here/sized.w40.webp 40w".into(),
                    sizes: "100vw",
                })),
                _ => Ok(None),
            }),
        };
        render(body, &opts, &Files)
    }

    #[test]
    fn headings_get_unique_ids_anchors_and_a_toc() {
        let (r, _) = md("## Hello *world*\n\n## Hello world\n\n### Own {#mine}\n");
        assert!(r.html.contains("<h2 id=\"hello-world\">Hello <em>world</em><a class=\"heading-anchor\" href=\"#hello-world\""), "{}", r.html);
        assert!(r.html.contains("id=\"hello-world-1\""));
        assert!(r.html.contains("<h3 id=\"mine\">"));
        let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["hello-world", "hello-world-1", "mine"]);
        assert_eq!(r.toc[0].title, "Hello world");
    }

    #[test]
    fn summary_is_more_marker_or_first_paragraph() {
        let (r, _) = md("One.\n\nTwo.\n\n<!-- more -->\n\nThree.");
        assert_eq!(r.summary.as_deref(), Some("<p>One.</p>\n<p>Two.</p>\n"));
        let (r, _) = md("## Title\n\nFirst *para*.\n\nSecond.");
        assert_eq!(r.summary.as_deref(), Some("<p>First <em>para</em>.</p>\n"));
        assert!(!r.html.contains("more"));
    }

    #[test]
    fn internal_links_resolve_or_are_reported_with_offset() {
        let (r, broken) = md("See [x](@/articles/x.md#part) and\n[y](@/articles/nope.md).");
        assert!(r.html.contains("href=\"https://s.org/articles/x/#part\""));
        assert_eq!(broken.len(), 1);
        assert_eq!(broken[0].target, "@/articles/nope.md");
        assert_eq!(
            &"See [x](@/articles/x.md#part) and\n[y](@/articles/nope.md)."[broken[0].offset..][..3],
            "[y]"
        );
        assert_eq!(r.links[0].anchor.as_deref(), Some("part"));
    }

    #[test]
    fn relative_urls_become_absolute() {
        let (r, _) = md(
            "![a](photo.jpg) [b](/about/) [c](../other/) [d](https://x.org/) [e](#top) [f](mailto:a@b.c)",
        );
        assert!(
            r.html
                .contains("src=\"https://s.org/articles/here/photo.jpg\"")
        );
        assert!(r.html.contains("href=\"https://s.org/about/\""));
        assert!(r.html.contains("href=\"https://s.org/articles/other/\""));
        assert!(r.html.contains("href=\"https://x.org/\""));
        assert!(r.html.contains("href=\"#top\""));
        assert!(r.html.contains("href=\"mailto:a@b.c\""));
    }

    #[test]
    fn task_list_boxes_are_labelled_by_their_task() {
        let (r, _) = md("- [ ] write *one* sentence\n- [x] invite ten people\n  - nested\n");
        assert!(r.html.contains("<li><label class=\"task\"><input type=\"checkbox\" disabled> write <em>one</em> sentence</label></li>"), "{}", r.html);
        assert!(
            r.html.contains(
                "<input type=\"checkbox\" disabled checked> invite ten people</label>\n<ul>"
            ),
            "{}",
            r.html
        );
        let (loose, _) = md("- [ ] first\n\n- [ ] second\n");
        assert!(
            loose.html.contains(
                "<p><label class=\"task\"><input type=\"checkbox\" disabled> first</label></p>"
            ),
            "{}",
            loose.html
        );
    }

    #[test]
    fn counts_words() {
        let (r, _) = md("One two three.\n\n- four\n- five `six`");
        assert_eq!(r.word_count, 6);
    }

    #[test]
    fn images_get_their_size_alt_text_and_lazy_loading_below_the_first() {
        let (r, _) = md(
            "![A *cat* `on` a mat](sized.jpg \"The cat\")\n\n![a < b & c](other.png)\n\n![](sized.jpg)\n",
        );
        let html = &r.html;
        assert!(
            html.contains(r#"<picture><source type="image/webp" srcset="https://s.org/articles/here/sized.w40.webp 40w" sizes="100vw"><img src="https://s.org/articles/here/sized.jpg" alt="A cat on a mat" title="The cat" width="40" height="30" decoding="async"></picture>"#),
            "{html}"
        );
        // The alt text is escaped; no size is known for other.png.
        assert!(
            html.contains(r#"<img src="https://s.org/articles/here/other.png" alt="a &lt; b &amp; c" loading="lazy" decoding="async">"#),
            "{html}"
        );
        // The third has no alt text: where it is written is reported.
        assert_eq!(r.images_without_alt.len(), 1);
        let at = r.images_without_alt[0];
        assert!(
            "![A *cat* `on` a mat](sized.jpg \"The cat\")\n\n![a < b & c](other.png)\n\n![](sized.jpg)\n"[at..].starts_with("![]"),
            "offset {at}"
        );
        assert_eq!(html.matches("<img").count(), 3);
        assert!(r.unreadable_images.is_empty());
        assert_eq!(r.photos.len(), 2);
        let (r, _) = md("Text.\n\n![A photo](broken.jpg)\n");
        assert_eq!(
            r.unreadable_images,
            vec![(7, "broken.jpg: not a JPEG".to_string())]
        );
    }

    #[test]
    fn video_addresses_alone_on_a_line_become_figures_that_load_nothing() {
        let body = "Intro.\n\nhttps://youtu.be/dQw4w9WgXcQ\n\n<https://vimeo.com/76979871>\n\n```video\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\ntitle: Meetup <b> & \"more\"\nstart: 1:30\n```\n\nSee https://youtu.be/dQw4w9WgXcQ in a sentence.\n\n```\nhttps://youtu.be/dQw4w9WgXcQ\n```\n\n[a link](https://youtu.be/dQw4w9WgXcQ)\n";
        let (r, _) = md(body);
        let html = &r.html;
        assert_eq!(html.matches("<figure class=\"video\"").count(), 3, "{html}");
        assert!(
            !html.contains("<iframe") && !html.contains("<script"),
            "{html}"
        );
        assert!(html.contains(
            "data-embed=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1\""
        ));
        assert!(html.contains(
            "data-embed=\"https://player.vimeo.com/video/76979871?autoplay=1&amp;dnt=1\""
        ));
        assert!(html.contains("?autoplay=1&amp;start=90"), "{html}");
        assert!(
            html.contains("Meetup &lt;b> &amp; &quot;more&quot;"),
            "{html}"
        );
        // In a sentence, in a plain code block, or as a link with words: left alone.
        assert!(html.contains("See https://youtu.be/dQw4w9WgXcQ in a sentence."));
        assert!(html.contains("<pre><code>https://youtu.be/dQw4w9WgXcQ"));
        assert!(html.contains("<a href=\"https://youtu.be/dQw4w9WgXcQ\">a link</a>"));
    }
}
