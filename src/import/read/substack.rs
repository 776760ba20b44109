//! Substack's export: a `.zip` (or the folder it unpacks to) with `posts.csv`, one
//! `posts/<post_id>.html` body per post, statistics per post and the subscriber lists
//! (`email_list*.csv`), which are never read.

use std::cell::{Cell, RefCell};
use std::io::Read;
use std::path::{Path, PathBuf};

use lol_html::element;
use lol_html::html_content::ContentType;
use serde::Deserialize;

use crate::error::{Diagnostic, Error, Result};
use crate::import::clean::{self, escape, html_text};
use crate::import::convert::FN_NUMBER;
use crate::import::embeds;
use crate::import::model::{Audience, Export, Post, PostKind, clean_html, clean_text, datetime};
use crate::import::tally::{Removal, Tally};

/// The most kring reads of `posts.csv`, of one post's body, and of all files together: far
/// above any real newsletter, far below what a zip bomb unpacks to. Each entry is read
/// against what is left of the total, so memory stays bounded whatever the zip claims.
const MAX_CSV: u64 = 64 * 1024 * 1024;
const MAX_POST: u64 = 16 * 1024 * 1024;
const MAX_TOTAL: u64 = 128 * 1024 * 1024;

/// One row of `posts.csv`; columns come and go between exports, so every one is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Row {
    post_id: String,
    post_date: String,
    is_published: String,
    email_sent_at: String,
    #[serde(rename = "type")]
    kind: String,
    audience: String,
    title: String,
    subtitle: String,
    podcast_url: String,
}

/// The files of the export, from the zip or the folder.
enum Files {
    Zip(
        RefCell<zip::ZipArchive<std::fs::File>>,
        Vec<String>,
        Cell<u64>,
    ),
    Folder(PathBuf, Vec<String>, Cell<u64>),
}

impl Files {
    fn open(path: &Path) -> Result<Files> {
        if path.is_dir() {
            let names = walkdir::WalkDir::new(path)
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file())
                .filter_map(|e| {
                    let rel = e.path().strip_prefix(path).ok()?;
                    Some(rel.to_string_lossy().replace('\\', "/"))
                })
                .collect();
            return Ok(Files::Folder(path.to_path_buf(), names, Cell::new(0)));
        }
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let archive = zip::ZipArchive::new(file).map_err(|e| {
            Error::from(Diagnostic::new(
                path,
                format!("not a readable Substack export (.zip): {e}"),
            ))
        })?;
        let names = archive
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .collect();
        Ok(Files::Zip(RefCell::new(archive), names, Cell::new(0)))
    }

    fn names(&self) -> &[String] {
        match self {
            Files::Zip(_, names, _) | Files::Folder(_, names, _) => names,
        }
    }

    /// The text of `name`, at most `max` bytes of it counted against the total.
    fn read(&self, name: &str, export: &Path, max: u64) -> Result<String> {
        let mut bytes = Vec::new();
        let failed = |e: String| Error::from(Diagnostic::new(export.join(name), e));
        let total = match self {
            Files::Zip(_, _, total) | Files::Folder(_, _, total) => total,
        };
        let left = MAX_TOTAL.saturating_sub(total.get());
        // One byte more than allowed tells a file that is too large from one that fits.
        let limit = max.min(left) + 1;
        match self {
            Files::Zip(archive, _, _) => {
                let mut archive = archive.borrow_mut();
                let entry = archive.by_name(name).map_err(|e| failed(e.to_string()))?;
                entry
                    .take(limit)
                    .read_to_end(&mut bytes)
                    .map_err(|e| failed(format!("the export is damaged: {e}")))?;
            }
            Files::Folder(dir, _, _) => {
                let file =
                    std::fs::File::open(dir.join(name)).map_err(|e| failed(e.to_string()))?;
                file.take(limit)
                    .read_to_end(&mut bytes)
                    .map_err(|e| failed(e.to_string()))?;
            }
        }
        let read = bytes.len() as u64;
        total.set(total.get() + read);
        if read > left {
            return Err(failed(format!(
                "the export unpacks to more than {} MiB: not a Substack export kring can read",
                MAX_TOTAL >> 20
            )));
        }
        if read > max {
            return Err(failed(format!(
                "larger than {} MiB: not a file of a Substack export",
                max >> 20
            )));
        }
        // Valid UTF-8 (nearly always) becomes a String without a copy.
        Ok(String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }
}

pub fn read(path: &Path, site_host: Option<&str>) -> Result<Export> {
    let files = Files::open(path)?;
    let Some(csv_name) = files
        .names()
        .iter()
        .filter(|n| n.rsplit('/').next() == Some("posts.csv"))
        .min_by_key(|n| n.len())
        .cloned()
    else {
        return Err(Diagnostic::new(
            path,
            "not a Substack export: it has no posts.csv (export from Settings → Exports on Substack)",
        )
        .into());
    };
    let prefix = csv_name.trim_end_matches("posts.csv").to_string();
    let mut export = Export::default();
    export.old_hosts.extend(site_host.map(str::to_string));
    for name in files.names() {
        let file = name.rsplit('/').next().unwrap_or(name);
        if file.starts_with("email_list") {
            export.notes.push(format!(
                "{name}: a subscriber list, not read. Subscribers' e-mail addresses are personal data and never belong in a site's files; move them to your newsletter service instead."
            ));
        }
    }
    export.notes.push(
        "Substack's export names no authors: add yourself as a member (kring new member \"Your Name\") and `authors = [\"your-name\"]` to the articles.".into(),
    );
    let text = files.read(&csv_name, path, MAX_CSV)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    for (i, row) in reader.deserialize::<Row>().enumerate() {
        let line = i + 2;
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                export.skip(
                    format!("{csv_name} line {line}"),
                    format!("unreadable row: {e}"),
                );
                continue;
            }
        };
        let source = format!("{prefix}posts/{}.html", row.post_id);
        let html = if files.names().contains(&source) {
            Some(files.read(&source, path, MAX_POST)?)
        } else {
            None
        };
        if let Some(post) = post(&mut export, row, source, html) {
            export.posts.push(post);
        }
    }
    if export.posts.is_empty() && export.skipped.is_empty() {
        return Err(Diagnostic::new(path.join(csv_name), "posts.csv lists no posts").into());
    }
    Ok(export)
}

/// The post of a row, or `None` (recorded as skipped) when there is nothing to import.
fn post(export: &mut Export, row: Row, source: String, html: Option<String>) -> Option<Post> {
    let id = clean_text(&row.post_id);
    let slug = slug::slugify(id.split_once('.').map_or(id.as_str(), |(_, s)| s));
    let title = clean_text(&clean::decode_entities(&row.title));
    let kind = match row.kind.trim() {
        "page" => PostKind::Page,
        "thread" => {
            export.skip(
                &source,
                "a discussion thread: it lives on in Substack's chat",
            );
            return None;
        }
        _ => PostKind::Article,
    };
    if slug.is_empty() {
        export.skip(&source, "no post id to make an address from");
        return None;
    }
    if title.is_empty() {
        export.skip(&source, "no title");
        return None;
    }
    let Some(html) = html else {
        export.skip(
            &source,
            "listed in posts.csv, but its body is not in the export",
        );
        return None;
    };
    let mut post = Post::new(source, kind, slug.clone(), title);
    post.date = datetime(&row.post_date);
    post.draft = !row.is_published.trim().eq_ignore_ascii_case("true");
    post.newsletter = kind == PostKind::Article && !row.email_sent_at.trim().is_empty();
    post.audience = match row.audience.trim() {
        "only_paid" | "founding" => Audience::Paid,
        "only_free" => Audience::Members,
        _ => Audience::Everyone,
    };
    post.description =
        Some(clean_text(&clean::decode_entities(&row.subtitle))).filter(|s| !s.is_empty());
    post.old_path = Some(format!("/p/{slug}"));
    let tally = Tally::default();
    let mut body = body(&clean_html(&html), &tally, &mut export.old_hosts);
    let podcast = row.podcast_url.trim();
    match embeds::media_link("Audio", podcast, Some("Listen to the episode")) {
        Some(link) => body = format!("{link}{body}"),
        None if !podcast.is_empty() => tally.removed(Removal::Embed, podcast),
        None => {}
    }
    post.html = clean::common(&body, &tally);
    post.embeds = tally.embeds();
    post.removed = tally.take_removed();
    Some(post)
}

/// A JSON value from a `data-attrs` attribute.
pub(super) fn data_attrs(el: &lol_html::html_content::Element) -> serde_json::Value {
    el.get_attribute("data-attrs")
        // References decoded, nothing else: a `<` in the JSON is text, not a tag.
        .and_then(|a| serde_json::from_str(&clean::decode_entities(&a)).ok())
        .unwrap_or(serde_json::Value::Null)
}

/// The address Substack's image CDN copies from
/// (`https://substackcdn.com/image/fetch/w_474,…/https%3A%2F%2F…jpeg` → `https://…jpeg`).
fn cdn_original(src: &str) -> Option<String> {
    let rest = src.strip_prefix("https://substackcdn.com/image/fetch/")?;
    let encoded = &rest[rest.find("/http")? + 1..];
    let original = percent_encoding::percent_decode_str(encoded)
        .decode_utf8()
        .ok()?;
    embeds::is_web(&original).then(|| original.into_owned())
}

/// Whether a Substack button only asks to subscribe, share, comment or give a gift.
fn is_furniture(url: &str) -> bool {
    [
        "/subscribe",
        "action=share",
        "/comments",
        "gift=true",
        "/share",
        "utm_source=substack",
    ]
    .iter()
    .any(|s| url.contains(s))
        || url.is_empty()
}

/// Substack's markup in kring's terms: furniture removed, footnotes marked, images at
/// their originals, YouTube as a video, other embeds as links. Hosts of the old site seen
/// in its subscribe buttons are added to `hosts`.
fn body(html: &str, tally: &Tally, hosts: &mut Vec<String>) -> String {
    let seen_hosts = RefCell::new(Vec::<String>::new());
    let remember_host = |url: &str| {
        if let Some(host) = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
        {
            seen_hosts.borrow_mut().push(host);
        }
    };
    let mut handlers = vec![
        element!(
            ".subscription-widget-wrap, .subscription-widget-wrap-editor, .subscription-widget, .subscribe-widget, .captioned-button-wrap, .paywall-jump, .image-link-expand, .post-ufi, .share-dialog, .install-substack-app-embed",
            |el| {
                if let Some(url) = data_attrs(el)["url"].as_str() {
                    remember_host(url);
                }
                let class = el.get_attribute("class").unwrap_or_default();
                // The paywall's marker and the image viewer's button say nothing.
                let kind = if class.contains("subscri") || class.contains("captioned-button") {
                    Some(Removal::SignUp)
                } else if class.contains("post-ufi") || class.contains("share") {
                    Some(Removal::Button)
                } else {
                    None
                };
                tally.drop(el, kind, "");
                Ok(())
            }
        ),
        element!("p.button-wrapper, div.button-wrapper", |el| {
            let attrs = data_attrs(el);
            let url = attrs["url"].as_str().unwrap_or_default().to_string();
            let text = attrs["text"].as_str().unwrap_or("Link").to_string();
            if is_furniture(&url) {
                remember_host(&url);
                let kind = if url.contains("/subscribe") {
                    Removal::SignUp
                } else {
                    Removal::Button
                };
                tally.drop(el, Some(kind), &text);
            } else {
                el.replace(
                    &format!("<p><a href=\"{}\">{}</a></p>", escape(&url), escape(&text)),
                    ContentType::Html,
                );
            }
            Ok(())
        }),
        element!("a.footnote-anchor", |el| {
            let href = el.get_attribute("href").unwrap_or_default();
            let n = href.rsplit('-').next().unwrap_or_default().to_string();
            el.set_attribute("data-kring-fnref", &n)?;
            Ok(())
        }),
        element!("div.footnote", |el| {
            let n = el
                .get_attribute("id")
                .and_then(|id| id.strip_prefix("footnote-").map(str::to_string))
                .unwrap_or_default();
            el.set_attribute("data-kring-fn", &n)?;
            Ok(())
        }),
        element!("a.footnote-number", |el| {
            let id = el.get_attribute("id").or_else(|| el.get_attribute("href"));
            let n = id
                .as_deref()
                .and_then(|id| id.rsplit('-').next())
                .unwrap_or_default();
            el.replace(
                &format!("<{FN_NUMBER} data-n=\"{}\"></{FN_NUMBER}>", escape(n)),
                ContentType::Html,
            );
            Ok(())
        }),
        element!("a.image-link", |el| {
            el.remove_and_keep_content();
            Ok(())
        }),
        element!("picture source", |el| {
            el.remove();
            Ok(())
        }),
        element!("img", |el| {
            // The original upload, not the CDN's resized copy.
            let src = html_text(&el.get_attribute("src").unwrap_or_default());
            if let Some(src) = data_attrs(el)["src"].as_str() {
                el.set_attribute("src", src)?;
            } else if let Some(original) = cdn_original(&src) {
                el.set_attribute("src", &original)?;
            }
            Ok(())
        }),
    ];
    handlers.extend(super::substack_embeds::handlers(tally));
    let out = clean::rewrite(html, handlers);
    for host in seen_hosts.into_inner() {
        if !hosts.contains(&host) {
            hosts.push(host);
        }
    }
    out
}
