//! Where outputs go. Every file a build writes is claimed here first, with what claims it —
//! a page and its file, a generated list, a feed, a static file — so two outputs that
//! would land on one path are an error naming both, not a race whose winner changes
//! between runs.

use crate::error::Result;
use crate::model::Site;

mod claims;

pub use claims::{Claims, check};

/// Feed files, written into the folder of the site, a section or a term.
pub const RSS: &str = "rss.xml";
pub const ATOM: &str = "atom.xml";
pub const JSON_FEED: &str = "feed.json";
/// The email edition of a newsletter article, beside its page.
pub const EMAIL_HTML: &str = "email.html";
pub const EMAIL_TEXT: &str = "email.txt";
/// The file kring writes into every output folder it makes. Only a folder that has it (or
/// an empty one) is ever replaced: anything else may be somebody's web root.
pub const OUTPUT_MARKER: &str = ".kring-build";
pub const NOT_FOUND: &str = "404.html";
/// The drawn `og:image` of a page without an image (beside it), and of the site (at the
/// root of each language).
pub const SOCIAL_CARD: &str = "social-card.png";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";
/// Files at the root of every build.
pub const ROOT_FILES: &[&str] = &[NOT_FOUND, SITEMAP, ROBOTS];

/// How a file ends → its content type, for the outputs whose type web servers guess
/// wrong or not at all (calendars, feeds). The dev server sends these, and `kring ci`
/// writes them into the host's header rules, so both come from this one table.
pub const CONTENT_TYPES: &[(&str, &str)] = &[
    (".ics", "text/calendar; charset=utf-8"),
    (RSS, "application/rss+xml; charset=utf-8"),
    (ATOM, "application/atom+xml; charset=utf-8"),
    (JSON_FEED, "application/feed+json; charset=utf-8"),
];

/// The content type [`CONTENT_TYPES`] gives the file at URL path `path`: a feed by its
/// whole file name, a calendar by its extension.
pub fn content_type(path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    CONTENT_TYPES
        .iter()
        .find(|(end, _)| {
            if end.starts_with('.') {
                name.ends_with(end)
            } else {
                name == *end
            }
        })
        .map(|(_, ct)| *ct)
}

/// The URL path (and output folder) of a section in content folder `dir`: `articles/`, or
/// `""` for the home page.
pub fn section_path(dir: &str) -> String {
    if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    }
}

/// The URL path of a page with `slug` in the section at `section_path`.
pub fn page_path(section_path: &str, slug: &str) -> String {
    format!("{section_path}{slug}/")
}

/// The URL path of a taxonomy's list of terms: `tags/`.
pub fn taxonomy_path(taxonomy: &str) -> String {
    format!("{taxonomy}/")
}

/// The URL path of a term's page: `tags/moderation/` (`slug` is the term made URL-safe).
/// The longest slug kept whole: a slug is one folder name in the output, and file systems
/// refuse names past 255 bytes. A longer one (a tag or slug thousands of letters long, as an
/// import or a hostile contributor may write) is cut at a character boundary and ends in a
/// hash of the whole, so two long names that share their start stay two pages.
const MAX_SLUG_BYTES: usize = 200;

/// The URL-safe slug of a name, a tag or a `slug` (every slug in a path comes from here).
pub fn slug_of(text: &str) -> String {
    let slug = slug::slugify(text);
    if slug.len() <= MAX_SLUG_BYTES {
        return slug;
    }
    let hash = xxhash_rust::xxh3::xxh3_64(slug.as_bytes());
    let end = crate::text::floor_char_boundary(&slug, MAX_SLUG_BYTES - 17);
    format!("{}-{hash:016x}", slug[..end].trim_end_matches('-'))
}

pub fn term_path(taxonomy: &str, slug: &str) -> String {
    format!("{taxonomy}/{slug}/")
}

/// Where feed `file` (`RSS`, `ATOM`, `JSON_FEED`) of the site (`folder` `""`), a section or
/// a term is written.
pub fn feed_file(folder: &str, file: &str) -> String {
    format!("{folder}{file}")
}

/// The address of feed `file` in `folder`, under `base` (a language's `base_url`).
pub fn feed_url(base: &str, folder: &str, file: &str) -> String {
    format!("{base}{}", feed_file(folder, file))
}

/// The file that serves a folder-style URL path: `articles/x/` → `articles/x/index.html`.
pub fn index_file(path: &str) -> String {
    format!("{path}index.html")
}

/// Output path of list page `index` (1-based) of a list at `path`.
pub fn pager_file(path: &str, index: usize) -> String {
    if index <= 1 {
        index_file(path)
    } else {
        format!("{path}page/{index}/index.html")
    }
}

/// Which list page (1-based) of the list at `path` the folder `folder` is, if any: the
/// inverse of [`pager_file`].
pub fn pager_at(path: &str, folder: &str) -> Option<usize> {
    let rest = folder.strip_prefix(path)?;
    if rest.is_empty() {
        return Some(1);
    }
    let n: usize = rest
        .strip_prefix("page/")?
        .strip_suffix('/')?
        .parse()
        .ok()?;
    (n > 1).then_some(n)
}

/// URL of list page `index` (1-based) of a list whose first page is at `permalink`.
pub fn pager_url(permalink: &str, index: usize) -> String {
    if index <= 1 {
        permalink.to_string()
    } else {
        format!("{permalink}page/{index}/")
    }
}

/// The two files of a newsletter article's email edition, beside its page at `page_path`.
pub fn email_files(page_path: &str) -> [String; 2] {
    [
        format!("{page_path}{EMAIL_HTML}"),
        format!("{page_path}{EMAIL_TEXT}"),
    ]
}

/// The widest image an email edition or a feed item shows: twice an email's 600 px.
pub const EMAIL_PHOTO_WIDTH: u32 = 1200;

/// Where the email-and-feed size of the photo published at `rel` goes: beside it, at most
/// [`EMAIL_PHOTO_WIDTH`] wide, as JPEG or PNG (many mail clients show no WebP):
/// `meetup.jpg` → `meetup.w1200.jpg`, `chart.webp` → `chart.w1200.png`.
pub fn email_photo(rel: &str) -> String {
    let (stem, ext) = rel.rsplit_once('.').unwrap_or((rel, ""));
    let ext = match ext.to_ascii_lowercase().as_str() {
        "jpg" | "jpeg" | "png" => ext.to_string(),
        _ => "png".to_string(),
    };
    format!("{stem}.w{EMAIL_PHOTO_WIDTH}.{ext}")
}

/// The address to share of the image at `url` (a page's `image`, an avatar): for one of the
/// site's photos (under `root_url`), its email-and-feed size (see [`email_photo`]), which
/// every published photo has, rather than the original of up to 2400 px; any other
/// address as it is.
pub fn shared_image(url: &str, root_url: &str) -> String {
    let own_photo = url.starts_with(root_url)
        && !url.contains(['?', '#'])
        && crate::content::photo::is_photo(url);
    if own_photo {
        email_photo(url)
    } else {
        url.to_string()
    }
}

/// Where page `index`'s drawn social card goes, if it gets one: when `[images]
/// social_cards` is on and the page has no image a chat app can show (none, or an SVG; a
/// member's raster avatar counts).
pub fn social_card_file(site: &Site, index: usize) -> Option<String> {
    let page = &site.pages[index];
    let raster = |url: &Option<String>| {
        url.as_deref()
            .is_some_and(|u| !u.split(['?', '#']).next().unwrap_or(u).ends_with(".svg"))
    };
    let avatar = page.as_member().is_some_and(|m| raster(&m.avatar));
    (site.config.images.social_cards && !raster(&page.image) && !avatar)
        .then(|| format!("{}{SOCIAL_CARD}", page.path))
}

/// How many list pages `items` make at `per_page` a page.
pub fn pager_count(items: usize, per_page: Option<usize>) -> usize {
    match per_page {
        Some(n) if n > 0 && items > 0 => items.div_ceil(n),
        _ => 1,
    }
}

/// Where the site's calendar of everything lives: beside the first events section.
pub fn calendar_path(site: &Site) -> String {
    site.sections
        .iter()
        .find(|s| s.kind == crate::vocabulary::Kind::Events)
        .map_or_else(
            || "calendar.ics".to_string(),
            |s| format!("{}calendar.ics", s.path),
        )
}

/// The calendar of a term of a taxonomy with `calendar = true` (`tags/utrecht/calendar.ics`)
/// or of an events section below the one with the site's calendar
/// (`events/utrecht/calendar.ics`): `folder` is the term's or section's path.
pub fn folder_calendar_path(folder: &str) -> String {
    format!("{folder}calendar.ics")
}

/// The events sections with a calendar of their own: every events section but the one
/// beside which the site's calendar lives.
pub fn sections_with_calendar(site: &Site) -> Vec<usize> {
    let site_calendar = calendar_path(site);
    site.sections
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            s.kind == crate::vocabulary::Kind::Events
                && folder_calendar_path(&s.path) != site_calendar
        })
        .map(|(i, _)| i)
        .collect()
}

/// The calendar file of a term, when its taxonomy has `calendar = true` and the term has
/// events: one place decides for the file and for the links to it.
pub fn term_calendar(
    site: &Site,
    taxonomy: &super::Taxonomy,
    term: &super::Term,
) -> Option<String> {
    let has_events = term
        .pages
        .iter()
        .any(|&p| site.happenings_of(p).next().is_some());
    (taxonomy.calendar && has_events).then(|| folder_calendar_path(&term.path))
}

/// The calendar file of events section `section`, when it has one and events in it.
pub fn section_calendar(site: &Site, section: usize) -> Option<String> {
    let path = &site.sections[section].path;
    let has_events = site.schedule.iter().any(|h| {
        site.sections[site.pages[h.page].section]
            .path
            .starts_with(path.as_str())
    });
    (has_events && sections_with_calendar(site).contains(&section))
        .then(|| folder_calendar_path(path))
}

/// The .ics file of one page (event or masterclass): `events/x/x.ics`.
pub fn page_ics_path(site: &Site, page: usize) -> String {
    let p = &site.pages[page];
    format!("{}{}.ics", p.path, p.slug)
}

/// Whether a section writes feeds: its `feed` setting, on by default for articles, events
/// and masterclasses (the home page's feeds are the site's).
pub fn section_has_feed(site: &Site, section: usize) -> bool {
    let s = &site.sections[section];
    !s.is_home() && s.feed
}

/// A feed link for `<link rel="alternate">` and subscribe buttons.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FeedLink {
    pub title: String,
    pub url: String,
    /// MIME type: `application/rss+xml`, `application/atom+xml`, `application/feed+json`.
    #[serde(rename = "type")]
    pub mime: &'static str,
}

pub fn feed_links(
    config: &crate::config::FeedConfig,
    base: &str,
    path: &str,
    title: &str,
) -> Vec<FeedLink> {
    let mut out = Vec::new();
    let url = |file: &str| feed_url(base, path, file);
    if config.rss {
        out.push(FeedLink {
            title: format!("{title} (RSS)"),
            url: url(RSS),
            mime: "application/rss+xml",
        });
    }
    if config.atom {
        out.push(FeedLink {
            title: format!("{title} (Atom)"),
            url: url(ATOM),
            mime: "application/atom+xml",
        });
    }
    if config.json {
        out.push(FeedLink {
            title: format!("{title} (JSON Feed)"),
            url: url(JSON_FEED),
            mime: "application/feed+json",
        });
    }
    out
}

/// The `_redirects` file of static hosts (Netlify, Cloudflare Pages): every alias.
pub const REDIRECTS: &str = "_redirects";

/// The output folder of an old address a page keeps (`aliases = ["/p/my-slug"]`):
/// `p/my-slug/`, relative to the output's root. An address with a file name
/// (`/2019/05/post.html`) is that file. `Err` says what is wrong with it.
///
/// An alias is the address as a browser asks for it, percent-encoded or not (`/caf%C3%A9`
/// and `/café` are one address): it is decoded here, as a server decodes a request before
/// it looks for the file, and checked decoded, so `%0A` is refused like a line break.
/// Spaces and letters of any script stay; `_redirects` encodes them again.
pub fn alias_path(alias: &str) -> Result<String, &'static str> {
    let decoded = percent_encoding::percent_decode_str(alias.trim())
        .decode_utf8()
        .map_err(|_| "has a percent-encoded byte that is not part of UTF-8 text (%FF)")?;
    let path = decoded.as_ref();
    if path.contains("://") || path.starts_with("//") {
        return Err("is an address on another site: write the path only, e.g. /p/my-post");
    }
    if path
        .chars()
        .any(|c| c.is_control() || "?#\\\"<>".contains(c))
    {
        return Err(
            "has a character a path cannot have (a query, an anchor, a quote, a control character)",
        );
    }
    let path = path.trim_matches('/');
    if path.is_empty() {
        return Err("is the site's home page, which is not a page's to redirect");
    }
    if path
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return Err("has an empty, `.` or `..` part");
    }
    Ok(if path.ends_with(".html") || path.ends_with(".htm") {
        path.to_string()
    } else {
        format!("{path}/")
    })
}

/// The file written for an alias folder or file (see [`alias_path`]).
pub fn alias_file(path: &str) -> String {
    if path.ends_with('/') {
        index_file(path)
    } else {
        path.to_string()
    }
}

/// Where the search page and the search index of a language live.
pub const SEARCH_PATH: &str = "search/";

/// A file of the search index: `search/meta.json`, `search/w/636f.json`.
pub fn search_file(name: &str) -> String {
    format!("{SEARCH_PATH}{name}")
}

/// Where the page of chat platforms lives.
pub const COMMUNITY_PATH: &str = "community/";

/// The page of a series of articles: `series/<slug>/`.
pub fn series_path(name: &str) -> String {
    format!("series/{}/", slug_of(name))
}

/// Where the newsletter archive lives: `[newsletter] archive_path`, `newsletter/` by default.
pub fn newsletter_path(config: &crate::config::Config) -> String {
    let path = config
        .newsletter
        .as_ref()
        .and_then(|n| n.archive_path.as_deref())
        .unwrap_or("newsletter");
    format!("{}/", path.trim_matches('/'))
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_slugs_are_cut_to_one_folder_name_and_stay_apart() {
        assert_eq!(super::slug_of("Moestuin & Buurt"), "moestuin-buurt");
        let long_a = format!("{} a", "Buurtnieuws ".repeat(300));
        let long_b = format!("{} b", "Buurtnieuws ".repeat(300));
        let greek = "επίπεδο ".repeat(400);
        for text in [&long_a, &long_b, &greek, &"x".repeat(201), &"é".repeat(150)] {
            let slug = super::slug_of(text);
            assert!(slug.len() <= super::MAX_SLUG_BYTES, "{} bytes", slug.len());
            assert!(!slug.contains("--") && !slug.starts_with('-'), "{slug}");
            assert_eq!(slug, super::slug_of(text), "the same every time");
        }
        assert_ne!(super::slug_of(&long_a), super::slug_of(&long_b));
        // At the limit a slug is kept whole.
        assert_eq!(super::slug_of(&"x".repeat(200)), "x".repeat(200));
    }

    use super::*;

    #[test]
    fn pager_at_finds_the_list_page_that_pager_file_writes() {
        for list in ["", "articles/", "tags/growth/"] {
            for n in 1..=12 {
                let folder = pager_file(list, n)
                    .strip_suffix("index.html")
                    .unwrap()
                    .to_string();
                assert_eq!(pager_at(list, &folder), Some(n), "{list} {n}");
            }
        }
        // Not list pages: another page, page 1 spelled out, junk after the number.
        for (list, folder) in [
            ("articles/", "articles/x/"),
            ("articles/", "articles/page/1/"),
            ("articles/", "articles/page/2/x/"),
            ("articles/", "articles/page/two/"),
            ("", "about/"),
            ("tags/a/", "tags/ab/"),
        ] {
            assert_eq!(pager_at(list, folder), None, "{folder}");
        }
    }
}
