//! Ghost's JSON export (Settings → Advanced → Export): `{"db":[{"meta":…,"data":{…}}]}`
//! with the tables `posts`, `posts_meta`, `tags`, `posts_tags`, `users`, `posts_authors`.
//! The export calls its own site `__GHOST_URL__`; `--site-url` says what that was.
//! A `members` table (subscribers) is never read.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::path::Path;

use lol_html::element;
use lol_html::html_content::ContentType;
use serde_json::Value;

use crate::error::{Diagnostic, Result};
use crate::import::clean::{self, html_text};
use crate::import::model::{
    Audience, Author, Export, Post, PostKind, clean_html, clean_text, datetime, epoch_millis,
    slug_of,
};
use crate::import::tally::{Removal, Tally};

/// How the export writes the old site's address.
const GHOST_URL: &str = "__GHOST_URL__";

/// A field of a row as text (`null`, numbers and booleans as Ghost writes them too).
fn text(row: &Value, key: &str) -> String {
    match &row[key] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// A field that Ghost writes as `true`/`false` or `1`/`0`.
fn flag(row: &Value, key: &str) -> bool {
    match &row[key] {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_i64() == Some(1),
        Value::String(s) => s == "1" || s == "true",
        _ => false,
    }
}

/// A date field: an ISO date-time, or (Ghost before 1.0, `import-data-lts.json`)
/// milliseconds since 1970, as a number or a string of digits.
fn date(row: &Value, key: &str) -> Option<toml::value::Datetime> {
    match &row[key] {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.is_finite() && f.abs() < 1e17)
                    .map(|f| f as i64)
            })
            .and_then(epoch_millis),
        Value::String(s) => {
            let s = s.trim();
            let digits = s.strip_prefix('-').unwrap_or(s);
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                s.parse().ok().and_then(epoch_millis)
            } else {
                datetime(s)
            }
        }
        _ => None,
    }
}

/// A one-line text that Ghost stores as typed but that may hold markup or character
/// references (pasted titles, excerpts): its text only, as a page shows it.
fn plain(row: &Value, key: &str) -> String {
    clean_text(&html_text(&text(row, key)))
}

/// Whether the post went out as an e-mail, from Ghost's own e-mail fields:
/// - an `emails` row for it that was sent or is being sent (only in exports that include
///   the `emails` table: Ghost leaves it out of a plain export);
/// - status `sent`: e-mail only, never on the web;
/// - Ghost 5 (its posts have a `newsletter_id` field): a published post with a newsletter
///   was e-mailed to it (`email_recipient_filter` is `all` on every post there, sent or
///   not, so it says nothing alone);
/// - Ghost 4 (`email_recipient_filter`, no `newsletter_id`): a published post whose filter
///   is not `none`, the default for a post published to the web only;
/// - Ghost 3 (`send_email_when_published`): a published post with the flag set.
///
/// Ghost 1 and 2 exports (like the v2 fixture) have none of these: nothing was e-mailed.
fn emailed(row: &Value, status: &str, sent: &[String]) -> bool {
    let id = text(row, "id");
    if status == "sent" || sent.contains(&id) {
        return true;
    }
    if status != "published" {
        return false;
    }
    if row.get("newsletter_id").is_some() {
        return !text(row, "newsletter_id").is_empty();
    }
    if row.get("email_recipient_filter").is_some() {
        return !matches!(text(row, "email_recipient_filter").as_str(), "" | "none");
    }
    flag(row, "send_email_when_published")
}

pub fn read(path: &Path, site_url: Option<&url::Url>) -> Result<Export> {
    let source = std::fs::read_to_string(path).map_err(|e| crate::error::Error::io(path, e))?;
    let json: Value = serde_json::from_str(&source).map_err(|e| {
        Diagnostic::new(
            path,
            format!("not a Ghost export: the JSON does not parse: {e}"),
        )
        .at_line(e.line())
    })?;
    // Ghost 1 and later write `db[0].data`; the LTS (0.x) export `data.data` or `data`.
    let data = [&json["db"][0]["data"], &json["data"]["data"], &json["data"]]
        .into_iter()
        .filter_map(Value::as_object)
        .find(|d| d.contains_key("posts"))
        .filter(|d| d.contains_key("posts"))
        .ok_or_else(|| {
            Diagnostic::new(
                path,
                "not a Ghost export: no db[0].data.posts (export from Ghost Admin → Settings → Advanced → Export)",
            )
        })?;
    let rows = |table: &str| -> Vec<&Value> {
        data.get(table)
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default()
    };
    let site = site_url.map(|u| u.as_str().trim_end_matches('/').to_string());
    if site.is_none() && source.contains(GHOST_URL) {
        return Err(Diagnostic::new(
            path,
            "this export names its own site as __GHOST_URL__: give the old site's address with --site-url https://… so its images and links can be found",
        )
        .into());
    }
    let resolve = |s: &str| match &site {
        Some(site) => s.replace(GHOST_URL, site),
        None => s.to_string(),
    };
    // An image's address made absolute: Ghost writes `__GHOST_URL__/content/…`, older
    // exports `/content/…` on the old site, Gravatar `//www.gravatar.com/…`.
    let image_url = |s: &str| -> String {
        let s = resolve(s.trim());
        if let Some(rest) = s.strip_prefix("//") {
            format!("https://{rest}")
        } else if s.starts_with('/') {
            site_url
                .and_then(|u| u.join(&s).ok())
                .map_or(s, String::from)
        } else {
            s
        }
    };

    let mut export = Export::default();
    export
        .old_hosts
        .extend(site_url.and_then(|u| u.host_str()).map(str::to_string));
    if !rows("members").is_empty() {
        export.notes.push(
            "The export's members table (subscribers) was not read: their e-mail addresses are personal data and never belong in a site's files; move them to your newsletter service instead."
                .into(),
        );
    }
    export.comments = crate::import::comments::count_ghost(rows("comments"));
    let tags: HashMap<String, &Value> = rows("tags")
        .into_iter()
        .map(|t| (text(t, "id"), t))
        .collect();
    let meta: HashMap<String, &Value> = rows("posts_meta")
        .into_iter()
        .map(|m| (text(m, "post_id"), m))
        .collect();
    let sent: Vec<String> = rows("emails")
        .iter()
        .filter(|e| {
            matches!(
                text(e, "status").as_str(),
                "submitted" | "submitting" | "sent"
            )
        })
        .map(|e| text(e, "post_id"))
        .collect();
    let joined = |table: &str, key: &str| -> HashMap<String, Vec<String>> {
        let mut links: Vec<&Value> = rows(table);
        links.sort_by_key(|l| l["sort_order"].as_i64().unwrap_or(0));
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for l in links {
            map.entry(text(l, "post_id"))
                .or_default()
                .push(text(l, key));
        }
        map
    };
    let post_tags = joined("posts_tags", "tag_id");
    let post_authors = joined("posts_authors", "author_id");

    let mut relative = false;
    for (i, row) in rows("posts").into_iter().enumerate() {
        let id = text(row, "id");
        let slug = slug_of(&text(row, "slug"));
        let what = format!(
            "Ghost post {} \"{}\"",
            Some(clean_text(&id))
                .filter(|id| !id.is_empty())
                .unwrap_or_else(|| format!("#{}", i + 1)),
            clean_text(&text(row, "slug"))
        );
        let title = plain(row, "title");
        if title.is_empty() {
            export.skip(&what, "no title");
            continue;
        }
        if slug.is_empty() {
            export.skip(&what, "no slug to make an address from");
            continue;
        }
        let kind = match text(row, "type").as_str() {
            "page" => PostKind::Page,
            // Before Ghost 4 a page was a post with `page` set.
            "" if flag(row, "page") => PostKind::Page,
            "post" | "" => PostKind::Article,
            other => {
                export.skip(&what, format!("a Ghost {other}, not a post or page"));
                continue;
            }
        };
        let status = text(row, "status");
        let html = match (text(row, "html"), text(row, "plaintext")) {
            (html, _) if !html.trim().is_empty() => html,
            (_, plain) if !plain.trim().is_empty() => {
                format!("<pre>{}</pre>", clean::escape(&plain))
            }
            _ if status == "draft" => String::new(),
            _ => {
                export.skip(&what, "no body (neither html nor plaintext)");
                continue;
            }
        };
        let mut post = Post::new(what.clone(), kind, slug.clone(), title);
        post.draft = status != "published";
        post.email_only =
            status == "sent" || flag(meta.get(&id).copied().unwrap_or(&Value::Null), "email_only");
        post.newsletter =
            kind == PostKind::Article && (post.email_only || emailed(row, &status, &sent));
        post.audience = match text(row, "visibility").as_str() {
            "members" => Audience::Members,
            "paid" | "tiers" => Audience::Paid,
            _ => Audience::Everyone,
        };
        post.date = ["published_at", "created_at", "updated_at"]
            .iter()
            .find_map(|key| date(row, key));
        let meta_row = meta.get(&id).copied().unwrap_or(&Value::Null);
        post.description = [
            text(row, "custom_excerpt"),
            text(meta_row, "meta_description"),
            text(row, "meta_description"),
        ]
        .iter()
        .map(|d| clean_text(&html_text(d)))
        .find(|d| !d.is_empty());
        // `image` before Ghost 1.0.
        let image = [text(row, "feature_image"), text(row, "image")]
            .into_iter()
            .find(|i| !i.trim().is_empty());
        if let Some(image) = image {
            let alt = plain(meta_row, "feature_image_alt");
            post.cover = Some((image_url(&image), alt));
        }
        post.tags = post_tags
            .get(&id)
            .into_iter()
            .flatten()
            .filter_map(|t| tags.get(t))
            .filter(|t| text(t, "visibility") != "internal")
            .map(|t| clean_text(&text(t, "name")))
            .filter(|n| !n.is_empty() && !n.starts_with('#'))
            .collect();
        // Before Ghost 1.0 a post had one `author_id` and no `posts_authors`.
        post.authors = post_authors
            .get(&id)
            .cloned()
            .or_else(|| Some(vec![text(row, "author_id")]).filter(|a| !a[0].is_empty()))
            .unwrap_or_default();
        // Under the old site's own path, if it had one (`https://x.org/blog/slug/`).
        let base = site_url.map_or("", |u| u.path().trim_end_matches('/'));
        // The slug as the old site wrote it (percent-escapes and all): its address.
        post.old_path = Some(format!("{base}/{}/", clean_text(&text(row, "slug"))));
        let tally = Tally::default();
        let html = site_images(&resolve(&clean_html(&html)), site_url, &mut relative);
        post.html = clean::common(&body(&html, &tally), &tally);
        post.embeds = tally.embeds();
        post.removed = tally.take_removed();
        export.posts.push(post);
    }
    if export.posts.is_empty() && export.skipped.is_empty() {
        return Err(Diagnostic::new(path, "the Ghost export has no posts").into());
    }
    if relative {
        export.notes.push(
            "Images in the posts are named by their path on the old site (/content/images/…): give its address with --site-url https://… so they can be shown and downloaded."
                .into(),
        );
    }
    let wrote: Vec<&String> = export.posts.iter().flat_map(|p| &p.authors).collect();
    for (i, user) in rows("users").into_iter().enumerate() {
        // The LTS export lists users without ids, in the order of their ids from 1.
        let key = Some(text(user, "id"))
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| (i + 1).to_string());
        if !wrote.contains(&&key) {
            continue;
        }
        let optional = |k: &str| Some(plain(user, k)).filter(|s| !s.is_empty());
        let name = plain(user, "name");
        export.authors.push(Author {
            key,
            slug: Some(slug_of(&text(user, "slug")))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| slug::slugify(&name)),
            name,
            bio: optional("bio"),
            location: optional("location"),
            website: optional("website"),
            // `image` before Ghost 1.0.
            avatar: optional("profile_image")
                .or_else(|| optional("image"))
                .map(|a| image_url(&a)),
        });
    }
    Ok(export)
}

/// Images named by their path on the old site (exports before Ghost 1.0 write
/// `/content/images/…`, no `__GHOST_URL__`) made absolute on `site`; `relative` is set
/// when there is no site to put them on.
fn site_images(html: &str, site: Option<&url::Url>, relative: &mut bool) -> String {
    let found = Cell::new(false);
    let html = clean::rewrite(
        html,
        vec![element!("img[src]", |el| {
            let src = html_text(&el.get_attribute("src").unwrap_or_default());
            if src.starts_with('/') && !src.starts_with("//") {
                match site.and_then(|s| s.join(&src).ok()) {
                    Some(url) => el.set_attribute("src", url.as_str())?,
                    None => found.set(true),
                }
            }
            Ok(())
        })],
    );
    *relative |= found.get();
    html
}

/// Ghost's cards in kring's terms: bookmarks and buttons as links, callouts as quotes,
/// sign-up forms removed, Markdown-card footnotes marked.
fn body(html: &str, tally: &Tally) -> String {
    let bookmark = RefCell::new(String::new());
    clean::rewrite(
        html,
        vec![
            element!(".kg-signup-card, .kg-cta-card", |el| {
                tally.drop(el, Some(Removal::SignUp), "");
                Ok(())
            }),
            // A bookmark is a quote, as a post embed from Substack is: its title linked, its
            // description, and who published it. Its icon and thumbnail are pictures from
            // the other site, left there.
            element!(
                ".kg-bookmark-thumbnail, img.kg-bookmark-icon, hr.footnotes-sep, a.footnote-backref",
                |el| {
                    el.remove();
                    Ok(())
                }
            ),
            element!("figure.kg-bookmark-card", |el| {
                el.set_tag_name("blockquote")?;
                Ok(())
            }),
            element!("a.kg-bookmark-container", |el| {
                *bookmark.borrow_mut() = el.get_attribute("href").unwrap_or_default();
                el.remove_and_keep_content();
                Ok(())
            }),
            element!(".kg-bookmark-title", |el| {
                el.set_tag_name("a")?;
                el.set_attribute("href", &bookmark.borrow())?;
                el.before("<p>", ContentType::Html);
                el.after("</p>", ContentType::Html);
                Ok(())
            }),
            element!(".kg-bookmark-description, .kg-bookmark-metadata", |el| {
                el.set_tag_name("p")?;
                Ok(())
            }),
            element!(".kg-bookmark-publisher", |el| {
                el.before(" · ", ContentType::Text);
                Ok(())
            }),
            element!(".kg-button-card", |el| {
                el.set_tag_name("p")?;
                Ok(())
            }),
            element!(
                ".kg-bookmark-content, section.footnotes, ol.footnotes-list, sup.footnote-ref",
                |el| {
                    el.remove_and_keep_content();
                    Ok(())
                }
            ),
            element!("a.kg-btn", |el| {
                let href = el.get_attribute("href").unwrap_or_default();
                if href.contains("#/portal") {
                    tally.drop(el, Some(Removal::Portal), &html_text(&href));
                } else if href.ends_with("/subscribe/") {
                    tally.drop(el, Some(Removal::SignUp), &html_text(&href));
                }
                Ok(())
            }),
            element!(".kg-callout-card", |el| {
                el.set_tag_name("blockquote")?;
                Ok(())
            }),
            element!("sup.footnote-ref a, a.footnote-ref", |el| {
                let href = el.get_attribute("href").unwrap_or_default();
                let n = href
                    .trim_start_matches("#fn")
                    .trim_start_matches(':')
                    .to_string();
                el.set_attribute("data-kring-fnref", &n)?;
                Ok(())
            }),
            element!("li.footnote-item", |el| {
                let id = el.get_attribute("id").unwrap_or_default();
                let n = id
                    .trim_start_matches("fn")
                    .trim_start_matches(':')
                    .to_string();
                el.set_tag_name("div")?;
                el.set_attribute("data-kring-fn", &n)?;
                Ok(())
            }),
        ],
    )
}
