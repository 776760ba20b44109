//! Assembling the model from the content: kinds, slugs and URLs, dates, each kind's
//! details, Markdown, section order and taxonomies.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use jiff::{Timestamp, Zoned};
use rayon::prelude::*;

use super::body::{Bodies, Permalinks};
use super::construct::{build_page, build_section};
use super::page::{Article, Details, Page};
use super::section::Section;
use super::taxonomy::{self, Taxonomy};
pub use super::translations::{Translation, language_name, link_translations};
use crate::config::Config;
use crate::content::load::{Content, SourceFile, SourcePage};
use crate::error::{Diagnostic, Problems, Result};
use crate::vocabulary::{Kind, SortBy};

/// What a command asks of a build, beyond the site's config.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Include drafts and future-dated pages.
    pub drafts: bool,
    /// Replaces `base_url` (deploy previews, the dev server).
    pub base_url: Option<String>,
    /// The moment the build is "now" (upcoming/past, future posts); the clock by default.
    pub now: Option<Timestamp>,
    /// Conversations from `.kring-cache/discussions/` only, never asked of their hosts: the
    /// dev server and the editor must not wait on the network.
    pub cached_conversations: bool,
}

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub root: PathBuf,
    pub sections: Vec<Section>,
    pub pages: Vec<Page>,
    pub taxonomies: Vec<Taxonomy>,
    /// Member id → page index.
    pub members: HashMap<String, usize>,
    /// Member id → the listed pages crediting them (author, host, speaker), newest first.
    pub credits: HashMap<String, Vec<usize>>,
    /// Series name → its articles, oldest first.
    pub series: HashMap<String, Vec<usize>>,
    /// Newsletter issues, newest first: (number, page index).
    pub issues: Vec<(u32, usize)>,
    /// Per page, its related articles (see `related.rs`); empty for other kinds.
    pub related: Vec<Vec<usize>>,
    /// Content key (`articles/welcome.md`, `articles/_index.md`) → every language's version.
    /// Empty for a site in one language.
    pub translations: std::sync::Arc<HashMap<String, Vec<Translation>>>,
    /// Every language of the site with its home page, the default first.
    pub languages: Vec<Translation>,
    /// When this build happened, in the site's time zone.
    pub now: Zoned,
    /// Events and masterclass sessions, by start.
    pub schedule: Vec<super::schedule::Happening>,
    /// For each page with happenings, their indexes in `schedule`, in order: a page's view
    /// asks for its own without scanning the whole schedule.
    happenings_by_page: HashMap<usize, Vec<usize>>,
    pub warnings: Vec<String>,
    /// The conversations pages' `discuss` links lead to, by URL (see `conversations.rs`).
    pub conversations: std::sync::Arc<HashMap<String, crate::discussions::Conversation>>,
    /// Content path → permalink of every section and page, for `@/` links; for a language
    /// other than the default, with the default language's where this one has no
    /// translation. Made once: an edit in the dev server changes no page's path.
    links: std::sync::Arc<Permalinks>,
}

impl Site {
    /// The model of one language's content. `config` is final: `--base-url` and the
    /// language's `/LANG/` are applied by `build::load_site`, the one caller.
    pub fn assemble(
        site_dir: &Path,
        config: Config,
        content: Content,
        options: &BuildOptions,
    ) -> Result<Site> {
        let tz = config.timezone.tz().clone();
        let now = options
            .now
            .unwrap_or_else(Timestamp::now)
            .to_zoned(tz.clone());
        let base = config.base_url.clone();
        // Root-relative URLs in Markdown (`/images/x.png`) are the whole site's, whatever the language.
        let root = config.root_url().clone();
        let mut problems = Problems::default();
        problems.extend(content.problems);
        let mut unreadable = content.unreadable;

        // Sections: parents, kinds (inherited), paths.
        let Content {
            sections: src_sections,
            pages: src_pages,
            mut warnings,
            fallback_links,
            ..
        } = content;
        let mut sections: Vec<Section> = Vec::with_capacity(src_sections.len());
        let mut section_by_dir: HashMap<String, usize> = HashMap::new();
        // `load` returns sections sorted by folder, so a parent always comes first.
        for s in src_sections {
            if s.front.draft && !options.drafts {
                continue;
            }
            let parent = parent_section(&s.dir, &section_by_dir);
            if !s.dir.is_empty() && parent.is_none() {
                continue; // inside a draft section
            }
            let inherited = parent.map_or(Kind::Pages, |p| {
                if sections[p].is_home() {
                    Kind::Articles
                } else {
                    sections[p].kind
                }
            });
            let section = build_section(s, parent, inherited, &base);
            section_by_dir.insert(section.dir.clone(), sections.len());
            if let Some(p) = parent {
                let idx = sections.len();
                sections[p].subsections.push(idx);
            }
            sections.push(section);
        }

        // Pages: kind checks, slugs, URLs, dates and details.
        let mut pages: Vec<Page> = Vec::with_capacity(src_pages.len());
        let mut by_path: HashMap<String, String> = HashMap::new();
        for section in &sections {
            by_path.insert(
                section.path.clone(),
                shown(&section.file, &section.index_file()),
            );
        }
        for sp in src_pages {
            let Some(&section) = section_by_dir.get(&sp.section_dir) else {
                continue; // in a draft section
            };
            let kind = sections[section].kind;
            let rel = sp.file.rel.clone();
            match build_page(
                sp,
                section,
                kind,
                &sections[section],
                &config,
                &now,
                options,
            ) {
                Ok(Some(page)) => {
                    if let Some(other) =
                        by_path.insert(page.path.clone(), page.file.shown.display().to_string())
                    {
                        problems.push(Diagnostic::new(
                            &page.file.shown,
                            format!(
                                "this page's URL /{} is already taken by {other}: give one of them another `slug`",
                                page.path
                            ),
                        ));
                    }
                    pages.push(page);
                }
                Ok(None) => {}
                Err(d) => {
                    problems.extend(d);
                    unreadable.push(rel);
                }
            }
        }

        // Markdown, with every content file's permalink known (another language's, where
        // this one has no translation).
        let mut links = fallback_links;
        for s in &sections {
            links.insert(s.index_file(), s.permalink.clone());
        }
        for p in &pages {
            links.insert(p.file.rel.clone(), p.permalink.clone());
            if let Some(dir) = p.file.rel.strip_suffix("/index.md") {
                links.insert(dir.to_string(), p.permalink.clone());
            }
        }
        // Files that failed above are reported once, not again by every link to them.
        for rel in unreadable {
            links.entry(rel).or_insert_with(|| "#".to_string());
        }
        let links = std::sync::Arc::new(Permalinks(links));
        let bodies = Bodies {
            smart_punctuation: config.markdown.smart_punctuation,
            root: root.as_str(),
            links: &links,
            static_dir: site_dir.join("static"),
        };
        let rendered: Vec<(Vec<Diagnostic>, Vec<String>)> = pages
            .par_iter_mut()
            .map(|page| {
                let body = bodies.render_page(page);
                page.content = body.rendered;
                (body.errors, body.warnings)
            })
            .collect();
        for section in &mut sections {
            if let Some(file) = &section.file {
                let body = bodies.render(file, &section.permalink);
                section.content = body.rendered;
                problems.extend(body.errors);
                warnings.extend(body.warnings);
            }
        }
        for (errors, found) in rendered {
            problems.extend(errors);
            warnings.extend(found);
        }

        problems.into_result()?;
        let mut site = Site {
            config,
            root: site_dir.to_path_buf(),
            sections,
            pages,
            taxonomies: Vec::new(),
            members: HashMap::new(),
            credits: HashMap::new(),
            series: HashMap::new(),
            issues: Vec::new(),
            translations: Default::default(),
            languages: Vec::new(),
            now,
            schedule: Vec::new(),
            happenings_by_page: HashMap::new(),
            related: Vec::new(),
            warnings,
            conversations: Default::default(),
            links,
        };
        site.link()?;
        site.warnings.extend(site.unknown_people());
        Ok(site)
    }

    /// `hosts`, `speakers` and `authors` that look like a member's id (`noor`, `jan-de-vries`)
    /// but name no member: most likely a typo, which would show up as a person of that
    /// name. Plain names (`Anna de Vries`) are fine; so is any name on a site without members.
    fn unknown_people(&self) -> Vec<String> {
        if self.members.is_empty() {
            return Vec::new();
        }
        let id_like = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        };
        let mut out = Vec::new();
        for page in &self.pages {
            let (key, people): (&str, &[String]) = match &page.details {
                Details::Event(e) => ("hosts", &e.hosts),
                Details::Masterclass(m) => ("speakers", &m.speakers),
                _ => ("authors", page.authors()),
            };
            for id in people {
                if id_like(id) && !self.members.contains_key(id) {
                    let d = page.file.error_at_key(
                        key,
                        format!(
                            "`{id}` is not the id of any member (no members/{id}.md), so it is shown as a plain name"
                        ),
                    );
                    out.push(d.to_string());
                }
            }
        }
        out
    }

    /// Everything derived from the pages as a whole: members by id, each section's pages in
    /// order, taxonomies and the schedule. Run after any page changed.
    pub fn link(&mut self) -> Result<()> {
        let mut problems = Problems::default();
        for page in &self.pages {
            for name in page.taxonomies.keys() {
                if !self.config.taxonomies.contains_key(name) {
                    problems.push(page.file.error_at_key(
                        "taxonomies",
                        format!("taxonomy `{name}` is not declared: add `{name} = {{}}` under [taxonomies] in kring.toml"),
                    ));
                }
            }
        }
        problems.into_result()?;
        let pages = &self.pages;
        self.members = pages
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.as_member().map(|m| (m.id.clone(), i)))
            .collect();
        let mut credits: HashMap<String, Vec<usize>> = HashMap::new();
        let mut series: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, page) in pages.iter().enumerate() {
            let people: &[String] = match &page.details {
                Details::Event(e) => &e.hosts,
                Details::Masterclass(m) => &m.speakers,
                _ => page.authors(),
            };
            if page.listed() {
                for id in people.iter().filter(|id| self.members.contains_key(*id)) {
                    credits.entry(id.clone()).or_default().push(i);
                }
            }
            if let Details::Article(Article {
                series: Some(name), ..
            }) = &page.details
            {
                series.entry(name.clone()).or_default().push(i);
            }
        }
        // Newest first (see `credit_time`); events and masterclasses are put in calendar
        // order once the schedule is made (`schedule::calendar_order`).
        let when = |i: usize| credit_time(pages, i);
        for list in credits.values_mut() {
            list.sort_by_key(|&i| std::cmp::Reverse(when(i)));
        }
        for list in series.values_mut() {
            list.sort_by(|&a, &b| pages[a].date.cmp(&pages[b].date));
        }
        self.credits = credits;
        self.series = series;
        for section in &mut self.sections {
            section.pages.clear();
        }
        for (i, page) in pages.iter().enumerate() {
            if page.listed() {
                self.sections[page.section].pages.push(i);
            }
        }
        for section in &mut self.sections {
            sort_pages(&mut section.pages, section.sort_by, pages);
        }
        let weights: Vec<(i64, String)> = self
            .sections
            .iter()
            .map(|s| (s.weight, s.title.clone()))
            .collect();
        for section in &mut self.sections {
            section
                .subsections
                .sort_by(|&a, &b| weights[a].cmp(&weights[b]).then(a.cmp(&b)));
        }

        let config = &self.config;
        let members = &self.members;
        let mut names: Vec<&str> = taxonomy::BUILT_IN.to_vec();
        names.extend(
            config
                .taxonomies
                .keys()
                .map(String::as_str)
                .filter(|n| !taxonomy::BUILT_IN.contains(n)),
        );
        self.taxonomies = names
            .into_par_iter()
            .map(|name| {
                let settings = config.taxonomies.get(name);
                let feed = settings.map_or(name == "tags", |t| t.feed);
                let paginate_by = settings.and_then(|t| t.paginate_by);
                let mut taxonomy =
                    taxonomy::collect(name, pages, &config.base_url, feed, paginate_by, |value| {
                        if name == "authors"
                            && let Some(&m) = members.get(value)
                        {
                            return pages[m].title.clone();
                        }
                        value.to_string()
                    });
                taxonomy.calendar = settings.is_some_and(|t| t.calendar);
                taxonomy
            })
            .filter(|t| !t.terms.is_empty())
            .collect();
        self.schedule = super::schedule::schedule(self);
        let mut by_page: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, h) in self.schedule.iter().enumerate() {
            by_page.entry(h.page).or_default().push(i);
        }
        self.happenings_by_page = by_page;
        // Lists of events read as a calendar (what comes soonest, then what has been, most
        // recent first), now that the happenings are known: sections sorted by start, and the
        // events and masterclasses on a member's page (their credits).
        let mut sections = std::mem::take(&mut self.sections);
        for section in sections.iter_mut().filter(|s| s.sort_by == SortBy::Start) {
            super::schedule::calendar_order(self, &mut section.pages);
        }
        self.sections = sections;
        let mut credits = std::mem::take(&mut self.credits);
        for list in credits.values_mut() {
            super::schedule::calendar_order(self, list);
        }
        self.credits = credits;
        self.number_issues();
        self.relate()
    }

    /// Works out every article's related articles again.
    pub(super) fn relate(&mut self) -> Result<()> {
        let (related, errors) = super::related::related(self);
        self.related = related;
        let mut problems = Problems::default();
        problems.extend(errors);
        problems.into_result()
    }

    /// Numbers the newsletter issues (see [`newsletter_issues`]), newest first.
    pub(super) fn number_issues(&mut self) {
        let mut issues = newsletter_issues(self);
        issues.sort_by(|a, b| {
            self.pages[b.1]
                .date
                .cmp(&self.pages[a.1].date)
                .then(b.0.cmp(&a.0))
        });
        self.issues = issues;
    }

    /// Content path → permalink of every section and page.
    pub fn content_permalinks(&self) -> HashMap<String, String> {
        self.links.0.clone()
    }

    /// The dev server's fast path for an edited page: the page is rebuilt from `source` and
    /// replaces page `index`, then the site is re-linked. `Ok(false)` when the edit changes
    /// more than one page can (its URL, whether it is published), and a full rebuild is due.
    pub fn update_page(
        &mut self,
        index: usize,
        source: SourcePage,
        options: &BuildOptions,
    ) -> Result<bool> {
        let old = &self.pages[index];
        if source.file.rel != old.file.rel {
            return Ok(false);
        }
        let section = old.section;
        let kind = self.sections[section].kind;
        let built = build_page(
            source,
            section,
            kind,
            &self.sections[section],
            &self.config,
            &self.now,
            options,
        )
        .map_err(crate::error::Error::Input)?;
        let Some(mut page) = built else {
            return Ok(false);
        };
        if page.path != old.path || page.listed() != old.listed() {
            return Ok(false);
        }
        let bodies = Bodies {
            smart_punctuation: self.config.markdown.smart_punctuation,
            root: self.config.root_url().as_str(),
            links: &self.links,
            static_dir: self.root.join("static"),
        };
        let body = bodies.render_page(&page);
        let mut problems = Problems::default();
        problems.extend(body.errors);
        problems.into_result()?;
        page.content = body.rendered;
        let old = std::mem::replace(&mut self.pages[index], page);
        self.relink_edited(index, &old)?;
        Ok(true)
    }

    /// The names of the site's series, in the order of their addresses: the output jobs
    /// and plans number series by this order.
    pub fn series_names(&self) -> Vec<&String> {
        let mut names: Vec<&String> = self.series.keys().collect();
        names.sort_by_cached_key(|n| (slug::slugify(n.as_str()), n.to_string()));
        names
    }

    /// The happenings of page `index` (an event's occurrences, a masterclass's sessions),
    /// in schedule order.
    pub fn happenings_of(&self, index: usize) -> impl Iterator<Item = &super::schedule::Happening> {
        self.happenings_by_page
            .get(&index)
            .into_iter()
            .flatten()
            .map(|&i| &self.schedule[i])
    }

    pub fn home(&self) -> &Section {
        &self.sections[0]
    }

    /// The permalink of a content file (`articles/x.md`, `articles/_index.md`).
    pub fn permalink_of(&self, content_path: &str) -> Option<&str> {
        let path = content_path
            .trim_start_matches("@/")
            .trim_start_matches('/');
        let (file, _) = path.split_once('#').unwrap_or((path, ""));
        self.sections
            .iter()
            .find(|s| s.index_file() == file)
            .map(|s| s.permalink.as_str())
            .or_else(|| {
                self.pages
                    .iter()
                    .find(|p| {
                        p.file.rel == file || p.file.rel.strip_suffix("/index.md") == Some(file)
                    })
                    .map(|p| p.permalink.as_str())
            })
    }

    /// The display name for an author, host or speaker: a member's name, or the text itself.
    pub fn person_name(&self, id: &str) -> String {
        match self.members.get(id) {
            Some(&i) => self.pages[i].title.clone(),
            None => id.to_string(),
        }
    }
}

fn shown(file: &Option<SourceFile>, fallback: &str) -> String {
    file.as_ref()
        .map(|f| f.shown.display().to_string())
        .unwrap_or_else(|| format!("content/{fallback}"))
}

fn parent_section(dir: &str, by_dir: &HashMap<String, usize>) -> Option<usize> {
    if dir.is_empty() {
        return None;
    }
    let mut d = dir;
    loop {
        d = d.rfind('/').map_or("", |i| &d[..i]);
        if let Some(&i) = by_dir.get(d) {
            return Some(i);
        }
        if d.is_empty() {
            return None;
        }
    }
}

/// When a page is credited to its people, for the newest-first lists on member pages:
/// events by when they happen (their `date` is when they were announced), masterclasses by
/// their first session, the rest by date.
pub(super) fn credit_time(pages: &[Page], i: usize) -> Option<Timestamp> {
    match &pages[i].details {
        Details::Event(e) => Some(e.start.timestamp()),
        Details::Masterclass(m) => m
            .sessions
            .first()
            .map(|s| s.start.timestamp())
            .or_else(|| pages[i].date.as_ref().map(|d| d.timestamp())),
        _ => pages[i].date.as_ref().map(|d| d.timestamp()),
    }
}

/// Orders a section's pages; `list` is in site order, which breaks the remaining ties.
pub(super) fn sort_pages(list: &mut [usize], by: SortBy, pages: &[Page]) {
    // Keys made once per page, not per comparison: sections hold thousands of pages.
    let title = |i: usize| pages[i].title.to_lowercase();
    let when = |i: usize| pages[i].date.as_ref().map(Zoned::timestamp);
    match by {
        SortBy::Date => list.sort_by_cached_key(|&i| (std::cmp::Reverse(when(i)), title(i))),
        SortBy::Start => list.sort_by_cached_key(|&i| (when(i), title(i))),
        SortBy::Title | SortBy::Name => list.sort_by_cached_key(|&i| {
            let name = pages[i].as_member().map_or(&pages[i].title, |m| &m.name);
            name.to_lowercase()
        }),
        SortBy::Weight => list.sort_by_cached_key(|&i| (pages[i].weight, title(i))),
    }
}

/// Newsletter issues with their numbers: `issue` where set, else counted by date.
fn newsletter_issues(site: &Site) -> Vec<(u32, usize)> {
    let mut issues: Vec<usize> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.listed() && matches!(&p.details, Details::Article(a) if a.newsletter))
        .map(|(i, _)| i)
        .collect();
    issues.sort_by(|&a, &b| site.pages[a].date.cmp(&site.pages[b].date));
    let mut numbered = BTreeMap::new();
    for (n, i) in issues.into_iter().enumerate() {
        let explicit = match &site.pages[i].details {
            Details::Article(a) => a.issue,
            _ => None,
        };
        numbered.insert(i, explicit.unwrap_or(n as u32 + 1));
    }
    numbered.into_iter().map(|(i, n)| (n, i)).collect()
}
