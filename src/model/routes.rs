//! Where outputs go. Every file a build writes is claimed here first, with what claims it —
//! a page and its file, a generated list, a feed, a static file — so two outputs that
//! would land on one path are an error naming both, not a race whose winner changes
//! between runs.

use std::collections::HashMap;

use crate::error::{Diagnostic, Problems, Result};
use crate::model::Site;

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
pub fn alias_path(alias: &str) -> Result<String, &'static str> {
    let path = alias.trim();
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
    format!("series/{}/", slug::slugify(name))
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

/// Claims on output paths, each with a description of its source for error messages.
#[derive(Default)]
pub struct Claims {
    by_path: HashMap<String, String>,
    problems: Problems,
}

impl Claims {
    /// Claims `path` for `source`. A second claim is a problem naming both; `file` is the
    /// user's file to point at, when the second claimant has one.
    pub fn claim(&mut self, path: String, source: impl Into<String>, file: Option<&str>) {
        let source = source.into();
        if let Some(first) = self.by_path.get(&path) {
            let message = format!(
                "two outputs would be written to /{path}: {first}, and {source}. Rename or move one of them (a page's `slug`, a static file's name)"
            );
            let d = match file {
                Some(f) => Diagnostic::new(f, message),
                None => Diagnostic::new("kring.toml", message),
            };
            self.problems.push(d);
            return;
        }
        self.by_path.insert(path, source);
    }

    /// Every output of `site`, its paths under `prefix` (`""`, or `en/` for a language).
    pub fn claim_site(&mut self, site: &Site, prefix: &str) {
        for section in &site.sections {
            let shown = section.file.as_ref().map(|f| f.shown.display().to_string());
            let source = match &shown {
                Some(f) => format!("the section {f}"),
                None => format!("the section /{}", section.path),
            };
            let pagers = pager_count(section.pages.len(), section.paginate_by);
            for n in 1..=pagers {
                let what = if n == 1 {
                    source.clone()
                } else {
                    format!("list page {n} of {source}")
                };
                self.claim(
                    format!("{prefix}{}", pager_file(&section.path, n)),
                    what,
                    shown.as_deref(),
                );
            }
            for asset in &section.assets {
                let name = asset.file_name().map(|n| n.to_string_lossy().into_owned());
                let name = name.unwrap_or_default();
                let rel = format!("{prefix}{}{name}", section.path);
                self.claim_photo_size(&rel, &name);
                self.claim(
                    rel,
                    format!("the file {name} beside {source}"),
                    shown.as_deref(),
                );
            }
        }
        for (i, page) in site.pages.iter().enumerate() {
            let shown = page.file.shown.display().to_string();
            self.claim(
                format!("{prefix}{}", index_file(&page.path)),
                format!("the page {shown}"),
                Some(&shown),
            );
            for (from, name) in &page.assets {
                let rel = format!("{prefix}{}{name}", page.path);
                self.claim_photo_size(&rel, name);
                self.claim(rel, format!("the file {}", from.display()), Some(&shown));
            }
            for alias in &page.aliases {
                self.claim(
                    alias_file(alias),
                    format!("the alias /{alias} of {shown}"),
                    Some(&shown),
                );
            }
            if let Some(card) = social_card_file(site, i) {
                self.claim(
                    format!("{prefix}{card}"),
                    format!("the social card of {shown}"),
                    Some(&shown),
                );
            }
            if site.issues.iter().any(|&(_, p)| p == i) {
                for file in email_files(&page.path) {
                    self.claim(
                        format!("{prefix}{file}"),
                        format!("the email edition of {shown}"),
                        Some(&shown),
                    );
                }
            }
        }
        if site.config.images.social_cards {
            self.claim(
                format!("{prefix}{SOCIAL_CARD}"),
                "the social card of the site",
                None,
            );
        }
        for taxonomy in &site.taxonomies {
            self.claim(
                format!("{prefix}{}", index_file(&taxonomy.path)),
                format!("the list of {} that kring makes", taxonomy.name),
                None,
            );
            for term in &taxonomy.terms {
                let what = format!(
                    "the {} page of “{}” that kring makes",
                    taxonomy.name, term.name
                );
                for n in 1..=pager_count(term.pages.len(), taxonomy.paginate_by) {
                    self.claim(
                        format!("{prefix}{}", pager_file(&term.path, n)),
                        what.clone(),
                        None,
                    );
                }
                if taxonomy.feed {
                    for file in [RSS, ATOM, JSON_FEED] {
                        self.claim(
                            format!("{prefix}{}{file}", term.path),
                            format!("the {file} feed of {what}"),
                            None,
                        );
                    }
                }
            }
        }
        for name in site.series_names() {
            let path = series_path(name);
            self.claim(
                format!("{prefix}{}", index_file(&path)),
                format!("the page of the series {name}"),
                None,
            );
        }
        let mut feed_folders = vec![(String::new(), "the site".to_string())];
        for name in site.series_names() {
            feed_folders.push((series_path(name), format!("the series {name}")));
        }
        for (i, s) in site.sections.iter().enumerate() {
            if section_has_feed(site, i) {
                feed_folders.push((s.path.clone(), format!("the section /{}", s.path)));
            }
        }
        for (folder, what) in feed_folders {
            for file in [RSS, ATOM, JSON_FEED] {
                self.claim(
                    format!("{prefix}{folder}{file}"),
                    format!("the {file} feed of {what}"),
                    None,
                );
            }
        }
        if !site.schedule.is_empty() {
            for taxonomy in site.taxonomies.iter().filter(|t| t.calendar) {
                for term in &taxonomy.terms {
                    self.claim(
                        format!("{prefix}{}", folder_calendar_path(&term.path)),
                        format!("the calendar of the {} term {}", taxonomy.name, term.name),
                        None,
                    );
                }
            }
            for i in sections_with_calendar(site) {
                self.claim(
                    format!("{prefix}{}", folder_calendar_path(&site.sections[i].path)),
                    format!("the calendar of the section /{}", site.sections[i].path),
                    None,
                );
            }
            self.claim(
                format!("{prefix}{}", calendar_path(site)),
                "the calendar of all events",
                None,
            );
            let mut pages: Vec<usize> = site.schedule.iter().map(|h| h.page).collect();
            pages.sort_unstable();
            pages.dedup();
            for p in pages {
                let shown = site.pages[p].file.shown.display().to_string();
                self.claim(
                    format!("{prefix}{}", page_ics_path(site, p)),
                    format!("the calendar file of {shown}"),
                    Some(&shown),
                );
            }
        }
    }

    /// Files copied from `static/` folders: (output path, the file shown to the user).
    pub fn claim_static(&mut self, files: &[(String, String)]) {
        for (rel, shown) in files {
            self.claim_photo_size(rel, shown);
            self.claim(rel.clone(), format!("the static file {shown}"), Some(shown));
        }
    }

    /// A photo published at `rel` is also written in its email size (see [`email_photo`]).
    fn claim_photo_size(&mut self, rel: &str, shown: &str) {
        if crate::content::photo::is_photo(rel) {
            self.claim(
                email_photo(rel),
                format!("the email size of the photo {shown}"),
                None,
            );
        }
    }

    /// The problems found; a path claimed as a file and also as a folder of others
    /// (`rss.xml` and `rss.xml/index.html`) is one too, as both cannot exist on disk.
    pub fn finish(mut self) -> Result<()> {
        let mut paths: Vec<(&String, &String)> = self.by_path.iter().collect();
        paths.sort();
        for pair in paths.windows(2) {
            let ((file, first), (inside, second)) = (pair[0], pair[1]);
            if inside.starts_with(file.as_str()) && inside[file.len()..].starts_with('/') {
                self.problems.push(Diagnostic::new(
                    "kring.toml",
                    format!(
                        "two outputs would be written to /{file}: {first} writes a file there, and {second} needs a folder of that name. Rename or move one of them"
                    ),
                ));
            }
        }
        self.problems.into_result()
    }
}

/// Claims every output of the sites (the default language first, then the others under
/// `/LANG/`), the files at the root, and the static files; `Err` lists every collision.
pub fn check(sites: &[&Site], static_files: &[(String, String)]) -> Result<()> {
    let mut claims = Claims::default();
    claims.claim(
        OUTPUT_MARKER.to_string(),
        "kring's marker of its build folders",
        None,
    );
    for file in ROOT_FILES {
        claims.claim(
            (*file).to_string(),
            format!("the {file} that kring makes"),
            None,
        );
    }
    for site in sites {
        claims.claim_site(site, &site.config.language_prefix());
    }
    if sites
        .iter()
        .any(|s| s.pages.iter().any(|p| !p.aliases.is_empty()))
    {
        claims.claim(
            REDIRECTS.to_string(),
            "the _redirects file kring writes for pages' aliases (put your own rules in a page's `aliases` instead)",
            None,
        );
    }
    claims.claim_static(static_files);
    claims.finish()
}

#[cfg(test)]
mod tests {
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
