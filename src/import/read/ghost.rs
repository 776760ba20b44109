//! Ghost's JSON export (Settings → Advanced → Export): `{"db":[{"meta":…,"data":{…}}]}`
//! with the tables `posts`, `posts_meta`, `tags`, `posts_tags`, `users`, `posts_authors`.
//! The export calls its own site `__GHOST_URL__`; `--site-url` says what that was.
//! A `members` table (subscribers) is never read.

use std::collections::HashMap;
use std::path::Path;

use lol_html::element;
use serde_json::Value;

use crate::error::{Diagnostic, Result};
use crate::import::clean::{self, html_text};
use crate::import::model::{
    Audience, Author, Export, Post, PostKind, clean_html, clean_text, datetime,
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

pub fn read(path: &Path, site_url: Option<&url::Url>) -> Result<Export> {
    let source = std::fs::read_to_string(path).map_err(|e| crate::error::Error::io(path, e))?;
    let json: Value = serde_json::from_str(&source).map_err(|e| {
        Diagnostic::new(
            path,
            format!("not a Ghost export: the JSON does not parse: {e}"),
        )
        .at_line(e.line())
    })?;
    let data = json["db"][0]["data"]
        .as_object()
        .or_else(|| json["data"].as_object())
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
    let tags: HashMap<String, &Value> = rows("tags")
        .into_iter()
        .map(|t| (text(t, "id"), t))
        .collect();
    let meta: HashMap<String, &Value> = rows("posts_meta")
        .into_iter()
        .map(|m| (text(m, "post_id"), m))
        .collect();
    let emailed: Vec<String> = rows("emails").iter().map(|e| text(e, "post_id")).collect();
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

    for (i, row) in rows("posts").into_iter().enumerate() {
        let id = text(row, "id");
        let slug = slug::slugify(clean_text(&text(row, "slug")));
        let what = format!("posts[{i}] \"{}\"", clean_text(&text(row, "slug")));
        let title = clean_text(&text(row, "title"));
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
        post.newsletter = kind == PostKind::Article
            && (post.email_only
                || !text(row, "newsletter_id").is_empty()
                || emailed.contains(&id)
                || matches!(
                    text(row, "email_recipient_filter").as_str(),
                    "all" | "free" | "paid" | "status:free" | "status:-free"
                ));
        post.audience = match text(row, "visibility").as_str() {
            "members" => Audience::Members,
            "paid" | "tiers" => Audience::Paid,
            _ => Audience::Everyone,
        };
        let date = [text(row, "published_at"), text(row, "created_at")];
        post.date = date.iter().find_map(|d| datetime(d));
        let meta_row = meta.get(&id).copied().unwrap_or(&Value::Null);
        post.description = [
            text(row, "custom_excerpt"),
            text(meta_row, "meta_description"),
        ]
        .iter()
        .map(|d| clean_text(&html_text(d)))
        .find(|d| !d.is_empty());
        let image = text(row, "feature_image");
        if !image.is_empty() {
            let alt = clean_text(&text(meta_row, "feature_image_alt"));
            post.cover = Some((resolve(&image), alt));
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
        post.authors = post_authors.get(&id).cloned().unwrap_or_default();
        // Under the old site's own path, if it had one (`https://x.org/blog/slug/`).
        let base = site_url.map_or("", |u| u.path().trim_end_matches('/'));
        post.old_path = Some(format!("{base}/{slug}/"));
        let tally = Tally::default();
        post.html = clean::common(&body(&resolve(&clean_html(&html)), &tally), &tally);
        post.embeds = tally.embeds();
        post.removed = tally.take_removed();
        export.posts.push(post);
    }
    if export.posts.is_empty() && export.skipped.is_empty() {
        return Err(Diagnostic::new(path, "the Ghost export has no posts").into());
    }
    let wrote: Vec<&String> = export.posts.iter().flat_map(|p| &p.authors).collect();
    for user in rows("users") {
        let key = text(user, "id");
        if !wrote.contains(&&key) {
            continue;
        }
        let optional = |k: &str| Some(clean_text(&text(user, k))).filter(|s| !s.is_empty());
        export.authors.push(Author {
            key,
            name: clean_text(&text(user, "name")),
            slug: slug::slugify(clean_text(&text(user, "slug"))),
            bio: optional("bio"),
            location: optional("location"),
            website: optional("website"),
            avatar: optional("profile_image").map(|a| resolve(&a)),
        });
    }
    Ok(export)
}

/// Ghost's cards in kring's terms: bookmarks and buttons as links, callouts as quotes,
/// sign-up forms removed, Markdown-card footnotes marked.
fn body(html: &str, tally: &Tally) -> String {
    clean::rewrite(
        html,
        vec![
            element!(".kg-signup-card, .kg-cta-card", |el| {
                tally.drop(el, Some(Removal::SignUp), "");
                Ok(())
            }),
            element!(
                ".kg-bookmark-metadata, .kg-bookmark-thumbnail, .kg-bookmark-description, hr.footnotes-sep, a.footnote-backref",
                |el| {
                    el.remove();
                    Ok(())
                }
            ),
            element!("figure.kg-bookmark-card, .kg-button-card", |el| {
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
            element!(".kg-bookmark-title", |el| {
                el.set_tag_name("span")?;
                Ok(())
            }),
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
