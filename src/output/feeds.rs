//! Feeds: RSS 2.0, Atom 1.0 and JSON Feed 1.1 (those the site enables) for the site, each
//! section and each term of a taxonomy with `feed`. Every URL in an item's content
//! is absolute, so feed readers show images and follow links.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use lol_html::{RewriteStrSettings, element, rewrite_str};
use serde_json::json;

use super::write::Sink;
use crate::content::markdown::absolute_url;
use crate::error::Result;
use crate::model::schedule::upcoming_and_past;
use crate::model::{Details, Page, Site};
use crate::render::templates::{Strings, format_date};
use crate::time::rfc3339;
use crate::vocabulary::{EventStatus, Kind};

pub use crate::model::routes::{
    ATOM, FeedLink, JSON_FEED as JSON, RSS, feed_links as links_for, section_has_feed,
};
use crate::model::routes::{feed_file, feed_url, shared_image};

/// One feed's worth of items and where it lives.
pub struct FeedSource {
    pub title: String,
    pub description: String,
    /// The page the feed belongs to (its permalink).
    pub home: String,
    /// Output folder of the feed files: `""`, `articles/`, `tags/moderation/`.
    pub path: String,
    pub pages: Vec<usize>,
}

/// Characters of a summary's text in Atom and JSON Feed items without a `description`.
const FEED_SUMMARY: usize = 300;

/// Every feed the site has.
pub fn sources(site: &Site) -> Vec<FeedSource> {
    let limit = site.config.feeds.limit;
    let mut out = Vec::new();
    let mut articles: Vec<usize> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == Kind::Articles && p.listed())
        .map(|(i, _)| i)
        .collect();
    articles.sort_by(|&a, &b| site.pages[b].date.cmp(&site.pages[a].date));
    articles.truncate(limit);
    out.push(FeedSource {
        title: site.config.title.clone(),
        description: site.config.description.clone(),
        home: site.config.base_url.as_str().to_string(),
        path: String::new(),
        pages: articles,
    });
    for (i, s) in site.sections.iter().enumerate() {
        if !section_has_feed(site, i) {
            continue;
        }
        let pages = if s.kind == Kind::Events {
            // Upcoming first (soonest first), then the archive.
            let (upcoming, past) = upcoming_and_past(&site.schedule, &site.now);
            let mut pages: Vec<usize> = Vec::new();
            for h in upcoming.into_iter().chain(past) {
                if site.pages[h.page].section == i && !pages.contains(&h.page) {
                    pages.push(h.page);
                }
            }
            pages
        } else {
            s.pages.clone()
        };
        out.push(FeedSource {
            title: format!("{} — {}", site.config.title, s.title),
            description: s.description.clone().unwrap_or_default(),
            home: s.permalink.clone(),
            path: s.path.clone(),
            pages: pages.into_iter().take(limit).collect(),
        });
    }
    for name in site.series_names() {
        let path = crate::model::routes::series_path(name);
        let mut pages = site.series[name].clone();
        pages.reverse(); // the newest part first
        out.push(FeedSource {
            title: format!("{} — {name}", site.config.title),
            description: series_description(site, name)
                .unwrap_or_default()
                .to_string(),
            home: site.config.base_url.join(&path),
            path,
            pages: pages.into_iter().take(limit).collect(),
        });
    }
    for t in site.taxonomies.iter().filter(|t| t.feed) {
        for term in &t.terms {
            out.push(FeedSource {
                title: format!("{} — {}", site.config.title, term.name),
                description: String::new(),
                home: term.permalink.clone(),
                path: term.path.clone(),
                pages: term.pages.iter().copied().take(limit).collect(),
            });
        }
    }
    out
}

/// What `kring.toml` says about a series (`[series."Name"]` or by its slug).
pub fn series_description<'a>(site: &'a Site, name: &str) -> Option<&'a str> {
    let series = &site.config.series;
    series
        .get(name)
        .or_else(|| series.get(&slug::slugify(name)))
        .and_then(|s| s.description.as_deref())
}

/// Makes every `href`, `src` and `srcset` URL in `html` absolute against `page_url`, and
/// the site's photos their email size: feed readers and mail clients get JPEG or PNG at
/// most 1200 wide, not the WebP sizes of a `<picture>` (many show no WebP). Content blocks
/// take their static form: `<details>` open as text, forms (and `data-web-only`) gone.
pub fn absolutize(html: &str, page_url: &str, base: &str) -> String {
    // In a feed an `#anchor` resolves against the feed's address, so it gets the page's too.
    let fix = |v: &str| match v.strip_prefix('#') {
        Some(anchor) => format!("{page_url}#{anchor}"),
        None => absolute_url(v, page_url, base).unwrap_or_else(|| v.to_string()),
    };
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("picture > source, form, [data-web-only]", |el| {
            // Forms post nowhere from a mail client or feed reader.
            el.remove();
            Ok(())
        }))
        // Content blocks in their static form: a FAQ's questions and answers as text.
        .append_element_content_handler(element!("details", |el| {
            el.set_tag_name("div")?;
            el.remove_attribute("open");
            Ok(())
        }))
        .append_element_content_handler(element!("summary", |el| {
            el.set_tag_name("p")?;
            el.prepend("<strong>", lol_html::html_content::ContentType::Html);
            el.append("</strong>", lol_html::html_content::ContentType::Html);
            Ok(())
        }))
        .append_element_content_handler(element!("[href], [src], [poster]", |el| {
            // An unsubscribe link is the mail tool's placeholder (`*|UNSUB|*`) to fill in.
            if el.has_attribute("data-unsubscribe") {
                return Ok(());
            }
            let img = el.tag_name() == "img";
            for attr in ["href", "src", "poster"] {
                if let Some(v) = el.get_attribute(attr) {
                    let mut url = fix(&v);
                    // The site's own photos in their email size: at most 1200 px, no WebP.
                    if img && attr == "src" {
                        url = shared_image(&url, base);
                    }
                    el.set_attribute(attr, &url)?;
                }
            }
            Ok(())
        }))
        .append_element_content_handler(element!("[srcset]", |el| {
            if let Some(v) = el.get_attribute("srcset") {
                let fixed: Vec<String> = v
                    .split(',')
                    .map(|candidate| {
                        let candidate = candidate.trim();
                        match candidate.split_once(' ') {
                            Some((url, size)) => format!("{} {size}", fix(url)),
                            None => fix(candidate),
                        }
                    })
                    .collect();
                el.set_attribute("srcset", &fixed.join(", "))?;
            }
            Ok(())
        }));
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

/// "Gesponsord door Acme" (with a link to the sponsor when it has one), as HTML.
pub fn sponsored_label(sponsor: &crate::model::page::Sponsor, strings: &Strings) -> String {
    let text = strings
        .text("sponsored_by")
        .unwrap_or("Sponsored by {name}");
    let name = match &sponsor.url {
        Some(url) => format!(
            "<a href=\"{}\" rel=\"sponsored noopener\">{}</a>",
            escape(url),
            escape(&sponsor.by)
        ),
        None => escape(&sponsor.by),
    };
    escape(text).replace("{name}", &name)
}

/// The HTML of an item: when and where for events and masterclasses, then the content.
fn item_html(site: &Site, index: usize, strings: &Strings) -> String {
    let page = &site.pages[index];
    let body = if site.config.feeds.summary_only {
        page.content
            .summary
            .clone()
            .or_else(|| {
                page.description
                    .clone()
                    .map(|d| format!("<p>{}</p>", escape(&d)))
            })
            .unwrap_or_default()
    } else {
        page.content.html.clone()
    };
    let label = |key: &str, fallback: &str| strings.text(key).unwrap_or(fallback).to_string();
    // Paid content says so first, in the feed as on the page.
    let mut intro = page
        .sponsored
        .as_ref()
        .map(|s| format!("<p><strong>{}</strong></p>\n", sponsored_label(s, strings)))
        .unwrap_or_default();
    for h in site.happenings_of(index) {
        let (start, end) = h.next(&site.now).unwrap_or_else(|| h.last());
        let status = match h.status {
            EventStatus::Cancelled => Some(label("status_cancelled", "Cancelled")),
            EventStatus::Postponed => Some(label("status_postponed", "Postponed")),
            EventStatus::MovedOnline => Some(label("status_moved_online", "Moved online")),
            EventStatus::Scheduled => None,
        };
        if let Some(status) = status {
            intro.push_str(&format!("<p><strong>{}</strong></p>\n", escape(&status)));
        }
        let when = if h.all_day {
            format_date(&start, "long", strings)
        } else if end.timestamp() == start.timestamp() {
            // A moment (`duration = "0m"`): no range.
            format_date(&start, "datetime", strings)
        } else {
            format!(
                "{} – {}",
                format_date(&start, "datetime", strings),
                format_date(&end, "time", strings)
            )
        };
        intro.push_str(&format!(
            "<p><strong>{}:</strong> {} ({})",
            escape(&label("when", "When")),
            escape(&when),
            escape(start.time_zone().iana_name().unwrap_or(""))
        ));
        if let Some(l) = &h.location {
            let place: Vec<&str> = [l.name.as_deref(), l.address.as_deref()]
                .into_iter()
                .flatten()
                .collect();
            intro.push_str(&format!(
                "<br><strong>{}:</strong> {}",
                escape(&label("where", "Where")),
                escape(&place.join(", "))
            ));
        }
        if let Some(url) = &h.online_url {
            intro.push_str(&format!(
                "<br><strong>{}:</strong> <a href=\"{}\">{}</a>",
                escape(&label("online", "Online")),
                escape(&url.0),
                escape(&url.0)
            ));
        }
        intro.push_str("</p>\n");
    }
    let talk = crate::render::views::conversation_feed_line(site, index, strings);
    absolutize(
        &format!("{intro}{body}{talk}"),
        &page.permalink,
        site.config.root_url().as_str(),
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn authors(site: &Site, page: &Page) -> Vec<String> {
    let names: Vec<String> = match &page.details {
        Details::Event(e) => e.hosts.iter().map(|h| site.person_name(h)).collect(),
        Details::Masterclass(m) => m.speakers.iter().map(|h| site.person_name(h)).collect(),
        _ => page.authors().iter().map(|a| site.person_name(a)).collect(),
    };
    if names.is_empty() {
        vec![site.config.author().to_string()]
    } else {
        names
    }
}

fn rss(site: &Site, source: &FeedSource, items_html: &[Arc<str>]) -> String {
    use rss::extension::atom::{AtomExtension, Link};
    use rss::extension::dublincore::DublinCoreExtension;
    let items: Vec<rss::Item> = source
        .pages
        .iter()
        .zip(items_html)
        .map(|(&i, html)| {
            let page = &site.pages[i];
            let mut item = rss::Item::default();
            item.set_title(page.title.clone());
            item.set_link(page.permalink.clone());
            item.set_guid(rss::Guid {
                value: page.permalink.clone(),
                permalink: true,
            });
            if let Some(d) = &page.date {
                item.set_pub_date(d.strftime("%a, %d %b %Y %H:%M:%S %z").to_string());
            }
            let summary = page.description.clone().or_else(|| {
                // Its photos in their feed size, as in the item's content.
                let summary = page.content.summary.as_deref()?;
                Some(absolutize(
                    summary,
                    &page.permalink,
                    site.config.root_url().as_str(),
                ))
            });
            item.set_description(summary);
            if !site.config.feeds.summary_only {
                item.set_content(html.to_string());
            }
            item.set_categories(
                page.tags
                    .iter()
                    .map(|t| rss::Category {
                        name: t.clone(),
                        domain: None,
                    })
                    .collect::<Vec<_>>(),
            );
            item.set_dublin_core_ext(DublinCoreExtension {
                creators: authors(site, page),
                ..Default::default()
            });
            item
        })
        .collect();
    let mut channel = rss::Channel::default();
    channel.set_title(source.title.clone());
    channel.set_link(source.home.clone());
    channel.set_description(if source.description.is_empty() {
        source.title.clone()
    } else {
        source.description.clone()
    });
    channel.set_language(site.config.language.clone());
    channel.set_generator(concat!("kring ", env!("CARGO_PKG_VERSION")).to_string());
    channel.set_last_build_date(site.now.strftime("%a, %d %b %Y %H:%M:%S %z").to_string());
    let mut self_link = Link::default();
    self_link.set_rel("self");
    self_link.set_href(feed_url(site.config.base_url.as_str(), &source.path, RSS));
    self_link.set_mime_type(Some("application/rss+xml".to_string()));
    channel.set_atom_ext(AtomExtension {
        links: vec![self_link],
    });
    channel.set_items(items);
    channel.to_string()
}

fn atom(site: &Site, source: &FeedSource, items_html: &[Arc<str>]) -> String {
    use atom_syndication::{Category, Content, Entry, Feed, FixedDateTime, Link, Person, Text};
    let fixed = |z: &jiff::Zoned| FixedDateTime::parse_from_rfc3339(&rfc3339(z)).ok();
    let now = fixed(&site.now).expect("the build time is a valid date");
    let link = |href: String, rel: &str, mime: Option<&str>| {
        let mut l = Link::default();
        l.set_href(href);
        l.set_rel(rel.to_string());
        l.set_mime_type(mime.map(String::from));
        l
    };
    let entries: Vec<Entry> = source
        .pages
        .iter()
        .zip(items_html)
        .map(|(&i, html)| {
            let page = &site.pages[i];
            let mut e = Entry::default();
            e.set_id(page.permalink.clone());
            e.set_title(Text::plain(page.title.clone()));
            let updated = page.last_modified().and_then(fixed).unwrap_or(now);
            e.set_updated(updated);
            e.set_published(page.date.as_ref().and_then(fixed));
            e.set_links(vec![link(
                page.permalink.clone(),
                "alternate",
                Some("text/html"),
            )]);
            e.set_authors(
                authors(site, page)
                    .into_iter()
                    .map(|name| Person {
                        name,
                        ..Default::default()
                    })
                    .collect::<Vec<_>>(),
            );
            e.set_categories(
                page.tags
                    .iter()
                    .map(|t| Category {
                        term: t.clone(),
                        ..Default::default()
                    })
                    .collect::<Vec<_>>(),
            );
            // Plain text, escaped once by the writer: a summary's entities are decoded.
            if let Some(summary) = page.description_or_summary(FEED_SUMMARY) {
                e.set_summary(Some(Text::plain(summary)));
            }
            let mut content = Content::default();
            content.set_content_type(Some("html".to_string()));
            content.set_value(Some(html.to_string()));
            e.set_content(Some(content));
            e
        })
        .collect();
    let updated = source
        .pages
        .iter()
        .filter_map(|&i| site.pages[i].last_modified())
        .filter(|d| d.timestamp() <= site.now.timestamp())
        .max()
        .and_then(fixed)
        .unwrap_or(now);
    let mut feed = Feed::default();
    feed.set_id(source.home.clone());
    feed.set_title(Text::plain(source.title.clone()));
    if !source.description.is_empty() {
        feed.set_subtitle(Some(Text::plain(source.description.clone())));
    }
    feed.set_updated(updated);
    feed.set_lang(Some(site.config.language.clone()));
    feed.set_links(vec![
        link(source.home.clone(), "alternate", Some("text/html")),
        link(
            feed_url(site.config.base_url.as_str(), &source.path, ATOM),
            "self",
            Some("application/atom+xml"),
        ),
    ]);
    feed.set_authors(vec![Person {
        name: site.config.author().to_string(),
        ..Default::default()
    }]);
    feed.set_generator(Some(atom_syndication::Generator {
        value: "kring".into(),
        uri: None,
        version: Some(env!("CARGO_PKG_VERSION").into()),
    }));
    feed.set_entries(entries);
    feed.to_string()
}

fn json_feed(site: &Site, source: &FeedSource, items_html: &[Arc<str>]) -> String {
    let items: Vec<serde_json::Value> = source
        .pages
        .iter()
        .zip(items_html)
        .map(|(&i, html)| {
            let page = &site.pages[i];
            json!({
                "id": page.permalink,
                "url": page.permalink,
                "title": page.title,
                "content_html": &**html,
                "summary": page.description_or_summary(FEED_SUMMARY),
                // The sized photo, as in the items' content: not the original.
                "image": page.image.as_deref().map(|u| shared_image(u, site.config.root_url().as_str())),
                "date_published": page.date.as_ref().map(rfc3339),
                "date_modified": page.updated.as_ref().map(rfc3339),
                "authors": authors(site, page).into_iter().map(|name| json!({ "name": name })).collect::<Vec<_>>(),
                "tags": page.tags,
            })
        })
        .collect();
    let feed = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": source.title,
        "home_page_url": source.home,
        "feed_url": feed_url(site.config.base_url.as_str(), &source.path, JSON),
        "description": source.description,
        "language": site.config.language,
        "authors": [{ "name": site.config.author() }],
        "items": items,
    });
    // JSON Feed readers prefer absent fields to nulls.
    serde_json::to_string_pretty(&crate::render::jsonld::strip_nulls(feed))
        .expect("JSON values serialize")
}

/// The HTML of feed items by page, kept between the dev server's rebuilds: a page is in
/// several feeds (the site's, its section's, its terms'), and an edit changes one page.
/// A build makes each item once per feed and keeps nothing.
#[derive(Default)]
pub struct FeedItems(Option<Mutex<HashMap<usize, Arc<str>>>>);

impl FeedItems {
    /// Items are kept until [`forget`](Self::forget).
    pub fn kept() -> FeedItems {
        FeedItems(Some(Mutex::default()))
    }

    fn get(&self, site: &Site, index: usize, strings: &Strings) -> Arc<str> {
        let Some(kept) = &self.0 else {
            return item_html(site, index, strings).into();
        };
        let lock = || kept.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(html) = lock().get(&index) {
            return html.clone();
        }
        let html: Arc<str> = item_html(site, index, strings).into();
        lock().insert(index, html.clone());
        html
    }

    /// Forgets the items of `pages` (of every page when `None`).
    pub fn forget(&self, pages: Option<&[usize]>) {
        if let Some(kept) = &self.0 {
            let mut kept = kept.lock().unwrap_or_else(|e| e.into_inner());
            match pages {
                Some(pages) => pages.iter().for_each(|i| {
                    kept.remove(i);
                }),
                None => kept.clear(),
            }
        }
    }
}

/// Writes the feeds `wanted` selects (all, for a build); returns how many files.
pub fn write_feeds(
    site: &Site,
    strings: &Strings,
    items: &FeedItems,
    out: &dyn Sink,
    wanted: impl Fn(&FeedSource) -> bool + Sync,
) -> Result<usize> {
    use rayon::prelude::*;
    let config = &site.config.feeds;
    let results: Vec<Result<usize>> = sources(site)
        .into_par_iter()
        .filter(|source| wanted(source))
        .map(|source| {
            let html: Vec<Arc<str>> = source
                .pages
                .iter()
                .map(|&i| items.get(site, i, strings))
                .collect();
            let mut n = 0;
            if config.rss {
                out.write(
                    &feed_file(&source.path, RSS),
                    rss(site, &source, &html).as_bytes(),
                )?;
                n += 1;
            }
            if config.atom {
                out.write(
                    &feed_file(&source.path, ATOM),
                    atom(site, &source, &html).as_bytes(),
                )?;
                n += 1;
            }
            if config.json {
                out.write(
                    &feed_file(&source.path, JSON),
                    json_feed(site, &source, &html).as_bytes(),
                )?;
                n += 1;
            }
            Ok(n)
        })
        .collect();
    let mut total = 0;
    for r in results {
        total += r?;
    }
    Ok(total)
}
