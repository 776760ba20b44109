//! WordPress's export (Tools → Export): WXR, an RSS 2.0 file with `wp:`, `content:`,
//! `excerpt:` and `dc:` elements. Read with the `rss` crate, which is lenient where
//! WordPress is sloppy (control characters in CDATA, undeclared prefixes). Posts and pages
//! are imported; attachments give covers; authors' e-mail addresses are never read.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use lol_html::html_content::ContentType;
use lol_html::{element, text};
use rss::extension::{Extension, ExtensionMap};

use super::wpautop::{Attachments, autop, shortcodes};
use crate::error::{Diagnostic, Error, Result};
use crate::import::clean::{self, html_text};
use crate::import::comments::{Comment, Counts, Status};
use crate::import::embeds;
use crate::import::model::{
    Audience, Author, Export, Post, PostKind, clean_html, clean_text, datetime, slug_of,
};
use crate::import::tally::{Removal, Tally};

/// The first value of `name` among `wp:` children or elements.
fn value(map: &BTreeMap<String, Vec<Extension>>, name: &str) -> String {
    map.get(name)
        .and_then(|v| v.first())
        .and_then(|e| e.value.clone())
        .unwrap_or_default()
}

fn child(ext: &Extension, name: &str) -> String {
    ext.children
        .get(name)
        .and_then(|v| v.first())
        .and_then(|e| e.value.clone())
        .unwrap_or_default()
}

fn prefixed<'a>(
    map: &'a ExtensionMap,
    prefix: &str,
) -> Option<&'a BTreeMap<String, Vec<Extension>>> {
    map.get(prefix)
}

pub fn read(path: &Path, site_url: Option<&url::Url>) -> Result<Export> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let channel = rss::Channel::read_from(std::io::BufReader::new(file))
        .map_err(|e| Diagnostic::new(path, format!("not a WordPress export (WXR): {e}")))?;
    let empty = BTreeMap::new();
    let wp = prefixed(channel.extensions(), "wp").unwrap_or(&empty);
    if value(wp, "wxr_version").is_empty()
        && !channel
            .items()
            .iter()
            .any(|i| i.extensions().contains_key("wp"))
    {
        return Err(Diagnostic::new(
            path,
            "not a WordPress export: an RSS feed without WordPress's wp: elements (export from WordPress → Tools → Export)",
        )
        .into());
    }
    let mut export = Export {
        title: Some(clean_text(&clean::decode_entities(channel.title()))).filter(|t| !t.is_empty()),
        language: channel
            .language()
            .map(|l| {
                l.split(['-', '_'])
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase()
            })
            .filter(|l| l == "nl" || l == "en"),
        ..Export::default()
    };
    for address in [
        value(wp, "base_site_url"),
        value(wp, "base_blog_url"),
        channel.link().to_string(),
    ]
    .iter()
    .map(String::as_str)
    .chain(site_url.map(url::Url::as_str))
    {
        if let Some(host) = url::Url::parse(address)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            && !export.old_hosts.contains(&host)
        {
            export.old_hosts.push(host);
        }
    }
    // Attachments by id, for covers: (url, alt text).
    let mut attachments: HashMap<String, (String, String)> = HashMap::new();
    // Attachments by the post they were uploaded to, in order: a `[gallery]` without ids
    // shows them.
    let mut attached: HashMap<String, Vec<(u64, String)>> = HashMap::new();
    for item in channel.items() {
        let w = prefixed(item.extensions(), "wp").unwrap_or(&empty);
        if value(w, "post_type") == "attachment" {
            let alt = meta(w, "_wp_attachment_image_alt");
            let id = value(w, "post_id");
            let order = value(w, "menu_order").trim().parse().unwrap_or(0);
            attached
                .entry(value(w, "post_parent").trim().to_string())
                .or_default()
                .push((order, id.clone()));
            attachments.insert(id, (value(w, "attachment_url"), clean_text(&alt)));
        }
    }
    export.comments = count_comments(channel.items());
    for files in attached.values_mut() {
        files.sort();
    }
    let mut other_types: BTreeMap<String, usize> = BTreeMap::new();
    for (i, item) in channel.items().iter().enumerate() {
        let w = prefixed(item.extensions(), "wp").unwrap_or(&empty);
        let kind = match value(w, "post_type").as_str() {
            "post" => PostKind::Article,
            "page" => PostKind::Page,
            "attachment" => continue,
            other => {
                *other_types.entry(other.to_string()).or_default() += 1;
                continue;
            }
        };
        let name = clean_text(&value(w, "post_name"));
        // WordPress shows a title as HTML (`Title <em>With</em> Markup`): its text.
        let title = clean_text(&html_text(item.title().unwrap_or_default()));
        // Named by WordPress's own id, which its admin shows (`post.php?post=1169`).
        let id = clean_text(&value(w, "post_id"));
        let what = format!(
            "WordPress {} {} \"{}\"",
            if kind == PostKind::Page {
                "page"
            } else {
                "post"
            },
            if id.is_empty() {
                format!("#{}", i + 1)
            } else {
                id
            },
            if name.is_empty() { &title } else { &name }
        );
        let status = value(w, "status");
        if matches!(status.as_str(), "trash" | "auto-draft" | "inherit") {
            export.skip(&what, format!("status \"{status}\" in WordPress"));
            continue;
        }
        if title.is_empty() {
            export.skip(&what, "no title");
            continue;
        }
        let slug = slug_of(if name.is_empty() { &title } else { &name });
        if slug.is_empty() {
            export.skip(&what, "no letters or digits to make an address from");
            continue;
        }
        let mut post = Post::new(what, kind, slug, title);
        post.draft = status != "publish";
        post.audience = if !value(w, "post_password").is_empty() {
            Audience::Password
        } else if status == "private" {
            Audience::Private
        } else {
            Audience::Everyone
        };
        post.date =
            datetime(&value(w, "post_date_gmt")).or_else(|| datetime(&value(w, "post_date")));
        post.description = item
            .extensions()
            .get("excerpt")
            .map(|e| value(e, "encoded"))
            .map(|e| clean_text(&html_text(&e)))
            .filter(|e| !e.is_empty());
        post.tags = item
            .categories()
            .iter()
            .filter(|c| matches!(c.domain(), Some("category" | "post_tag") | None))
            .map(|c| clean_text(&clean::decode_entities(c.name())))
            .filter(|c| {
                !c.is_empty() && !c.eq_ignore_ascii_case("uncategorized") && c != "Geen categorie"
            })
            .fold(Vec::new(), |mut tags, t| {
                if !tags.contains(&t) {
                    tags.push(t);
                }
                tags
            });
        post.authors = item
            .dublin_core_ext()
            .map(|dc| dc.creators().iter().map(|c| clean_text(c)).collect())
            .unwrap_or_default();
        if let Some(cover) = attachments.get(&meta(w, "_thumbnail_id")) {
            post.cover = Some(cover.clone());
        }
        post.old_path = item
            .link()
            .and_then(|l| url::Url::parse(l).ok())
            .filter(|u| u.query().is_none())
            .map(|u| u.path().to_string())
            .filter(|p| p != "/");
        let tally = Tally::default();
        let content = clean_html(item.content().unwrap_or_default());
        let post_id = value(w, "post_id").trim().to_string();
        let attachment = |id: Option<&str>| -> Vec<(String, String)> {
            match id {
                Some(id) => attachments.get(id).cloned().into_iter().collect(),
                None => attached
                    .get(&post_id)
                    .into_iter()
                    .flatten()
                    .filter_map(|(_, id)| attachments.get(id).cloned())
                    .collect(),
            }
        };
        let notes = meta(w, "footnotes");
        let mut html = body(&content, &tally, &attachment, &notes);
        // A podcast episode's file, which WordPress's feed carried and the post may not show.
        let enclosure = meta(w, "enclosure");
        let mut lines = enclosure.lines().map(str::trim);
        if let Some(url) = lines.next().filter(|u| !u.is_empty() && !html.contains(*u)) {
            let what = if lines.nth(1).is_some_and(|m| m.starts_with("video")) {
                "Video"
            } else {
                "Audio"
            };
            match embeds::media_link(what, url, None) {
                Some(link) => html = format!("{link}{html}"),
                None => tally.removed(Removal::Embed, url),
            }
        }
        post.html = clean::common(&html, &tally);
        post.embeds = tally.embeds();
        post.removed = tally.take_removed();
        post.comments = approved_comments(w);
        export.posts.push(post);
    }
    for (kind, count) in other_types {
        let kind = if kind.is_empty() {
            "(no type)".to_string()
        } else {
            kind
        };
        export.skip(
            format!("{count} item(s) of type {kind}"),
            "not posts or pages (menus, blocks, revisions and plugin data stay in WordPress)",
        );
    }
    let wrote: Vec<&String> = export.posts.iter().flat_map(|p| &p.authors).collect();
    for author in wp.get("author").into_iter().flatten() {
        let login = clean_text(&child(author, "author_login"));
        if !wrote.contains(&&login) {
            continue;
        }
        let display = clean_text(&html_text(&child(author, "author_display_name")));
        let full = clean_text(&format!(
            "{} {}",
            child(author, "author_first_name"),
            child(author, "author_last_name")
        ));
        let name = [display, full, login.clone()]
            .into_iter()
            .find(|n| !n.is_empty())
            .unwrap_or_default();
        export.authors.push(Author {
            slug: slug::slugify(&login),
            key: login,
            name,
            ..Author::default()
        });
    }
    if export.posts.is_empty() && export.skipped.is_empty() {
        return Err(Diagnostic::new(path, "the WordPress export has no posts or pages").into());
    }
    Ok(export)
}

/// A `wp:comment`'s state: `comment_approved` is `1`, `0`, `spam`, `trash` or
/// `post-trashed`; pingbacks and trackbacks are told by `comment_type`.
fn comment_status(comment: &Extension) -> Status {
    if matches!(
        child(comment, "comment_type").trim(),
        "pingback" | "trackback"
    ) {
        return Status::Pingback;
    }
    match child(comment, "comment_approved").trim() {
        "1" | "approve" => Status::Approved,
        "spam" => Status::Spam,
        "trash" | "post-trashed" => Status::Trash,
        _ => Status::Held,
    }
}

/// Every item's comments, by state.
fn count_comments(items: &[rss::Item]) -> Counts {
    let mut counts = Counts::default();
    for item in items {
        let comments = item.extensions().get("wp").and_then(|w| w.get("comment"));
        for comment in comments.into_iter().flatten() {
            counts.add(comment_status(comment));
        }
    }
    counts
}

/// An item's approved comments: the writer's display name, date, text and place in the
/// thread. Their e-mail address, IP and web address are not read.
fn approved_comments(w: &BTreeMap<String, Vec<Extension>>) -> Vec<Comment> {
    w.get("comment")
        .into_iter()
        .flatten()
        .filter(|c| comment_status(c) == Status::Approved)
        .map(|c| Comment {
            id: child(c, "comment_id")
                .trim()
                .trim_start_matches('0')
                .to_string(),
            parent: child(c, "comment_parent")
                .trim()
                .trim_start_matches('0')
                .to_string(),
            name: clean_text(&clean::decode_entities(&child(c, "comment_author"))),
            date: datetime(&child(c, "comment_date_gmt"))
                .or_else(|| datetime(&child(c, "comment_date"))),
            text: clean_html(&child(c, "comment_content")),
        })
        .collect()
}

/// The value of a `wp:postmeta` entry.
fn meta(w: &BTreeMap<String, Vec<Extension>>, key: &str) -> String {
    w.get("postmeta")
        .into_iter()
        .flatten()
        .find(|m| child(m, "meta_key") == key)
        .map(|m| child(m, "meta_value"))
        .unwrap_or_default()
}

/// WordPress's markup in kring's terms: classic posts get their paragraphs (WordPress adds
/// them only when showing a post) and shortcodes; block embeds hold a bare address, which
/// becomes a video or a link; buttons stay links; footnotes (the footnotes block, whose
/// notes are in the post's `footnotes` meta as JSON, and the common plugins' markup)
/// become footnotes.
fn body(html: &str, tally: &Tally, attachments: Attachments, notes_json: &str) -> String {
    let html = autop(&shortcodes(html, tally, attachments));
    let address = RefCell::new(String::new());
    // Footnotes by the id their reference points at, numbered in the order met.
    let ids = RefCell::new(Vec::<String>::new());
    let number = |id: &str| -> String {
        let mut ids = ids.borrow_mut();
        let at = ids.iter().position(|i| i == id).unwrap_or_else(|| {
            ids.push(id.to_string());
            ids.len() - 1
        });
        (at + 1).to_string()
    };
    let plugin_notes = Cell::new(0usize);
    let lists = footnote_lists(&html);
    let list = Cell::new(0usize);
    let out = clean::rewrite(
        &html,
        vec![
            text!(".wp-block-embed__wrapper", |t| {
                address.borrow_mut().push_str(t.as_str());
                if t.last_in_text_node() {
                    let found = html_text(address.borrow().trim());
                    address.borrow_mut().clear();
                    tally.embed();
                    let html = clean::embed(&found, None);
                    if html.is_empty() {
                        tally.removed(Removal::Embed, &found);
                    } else if clean::video_address(&found).is_none() {
                        tally.removed(Removal::LinkedEmbed, &found);
                    }
                    t.replace(&html, ContentType::Html);
                } else {
                    t.remove();
                }
                Ok(())
            }),
            element!(
                ".wp-block-spacer, .wp-block-separator.is-style-dots",
                |el| {
                    el.remove();
                    Ok(())
                }
            ),
            element!(".sharedaddy, .jp-relatedposts", |el| {
                tally.drop(el, Some(Removal::Button), "");
                Ok(())
            }),
            element!(
                ".wp-block-jetpack-subscriptions, .wp-block-buttons .wp-block-button__link[href*='subscribe']",
                |el| {
                    tally.drop(el, Some(Removal::SignUp), "");
                    Ok(())
                }
            ),
            element!(
                "sup.fn a, sup[data-fn] a, sup a[href^='#fn'], a.footnote-ref",
                |el| {
                    let href = el.get_attribute("href").unwrap_or_default();
                    let id = href.trim_start_matches('#');
                    if !id.is_empty() {
                        el.set_attribute("data-kring-fnref", &number(id))?;
                    }
                    Ok(())
                }
            ),
            element!("ol", |el| {
                // A list that holds only notes: the notes stay, the list goes.
                let n = list.get();
                list.set(n + 1);
                let class = el.get_attribute("class").unwrap_or_default();
                if lists.contains(&n)
                    || class.contains("wp-block-footnotes")
                    || class.contains("easy-footnotes-wrapper")
                {
                    el.remove_and_keep_content();
                }
                Ok(())
            }),
            element!("ol.wp-block-footnotes > li, li[id^='fn']", |el| {
                let id = el.get_attribute("id").unwrap_or_default();
                el.set_tag_name("div")?;
                el.set_attribute("data-kring-fn", &number(&id))?;
                Ok(())
            }),
            element!(
                "ol.wp-block-footnotes > li a[href$='-link'], a.footnote-backref, a[href^='#fnref'], .easy-footnote-to-top, .easy-footnote-margin-adjust, div.footnotes > hr",
                |el| {
                    el.remove();
                    Ok(())
                }
            ),
            element!("span.easy-footnote a", |el| {
                // `#easy-footnote-bottom-2-123`: the note's number, then the post's id.
                let href = el.get_attribute("href").unwrap_or_default();
                let n = href.split('-').rev().nth(1).unwrap_or_default().to_string();
                el.set_attribute("data-kring-fnref", &format!("e{n}"))?;
                Ok(())
            }),
            element!("li.easy-footnote-single", |el| {
                plugin_notes.set(plugin_notes.get() + 1);
                el.set_tag_name("div")?;
                el.set_attribute("data-kring-fn", &format!("e{}", plugin_notes.get()))?;
                Ok(())
            }),
        ],
    );
    if html.contains("wp-block-footnotes") {
        return out;
    }
    // The footnotes block writes its notes only when WordPress shows the post; the export
    // has them in the post's meta.
    let notes: Vec<serde_json::Value> = serde_json::from_str(notes_json).unwrap_or_default();
    let mut out = out;
    for note in &notes {
        let (Some(id), Some(content)) = (note["id"].as_str(), note["content"].as_str()) else {
            continue;
        };
        out.push_str(&format!(
            "\n<div data-kring-fn=\"{}\">{}</div>",
            number(id),
            clean_html(content)
        ));
    }
    out
}

/// The indexes (in document order) of the `<ol>` lists that hold footnotes
/// (`<li id="fn1">`): they are not lists of the text.
fn footnote_lists(html: &str) -> Vec<usize> {
    if !html.contains("id=\"fn") && !html.contains("id='fn") {
        return Vec::new();
    }
    let open = std::rc::Rc::new(RefCell::new(Vec::<usize>::new()));
    let found = RefCell::new(Vec::new());
    let count = Cell::new(0usize);
    let _ = clean::rewrite(
        html,
        vec![
            element!("ol", |el| {
                open.borrow_mut().push(count.get());
                count.set(count.get() + 1);
                let open = open.clone();
                let on_end: lol_html::EndTagHandler<'static> = Box::new(move |_| {
                    open.borrow_mut().pop();
                    Ok(())
                });
                if let Some(ends) = el.end_tag_handlers() {
                    ends.push(on_end);
                }
                Ok(())
            }),
            element!("ol > li[id^='fn']", |_| {
                if let Some(&n) = open.borrow().last()
                    && !found.borrow().contains(&n)
                {
                    found.borrow_mut().push(n);
                }
                Ok(())
            }),
        ],
    );
    found.into_inner()
}
