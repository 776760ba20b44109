//! Who claims which output path: every page, list, feed, calendar, alias and static file,
//! so two never write the same file unnoticed.

use std::collections::HashMap;

use super::*;
use crate::error::{Diagnostic, Problems, Result};

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
