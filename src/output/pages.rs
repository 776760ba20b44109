//! HTML output: a page per content file, section lists with pagination, taxonomy lists and
//! term pages, the home page and 404. Pages are rendered in parallel and written as soon as
//! they are rendered, so the build never holds the whole site's HTML.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Map, Value};

use super::relative::Relative;
use super::write::Sink;
use crate::error::{Diagnostic, Error, MAX_REPORTED, Result};
use crate::model::Site;
use crate::model::schedule::{Happening, upcoming_and_past};
use crate::output::feeds::{self, FeedLink};
use crate::render::templates::Templates;
use crate::render::views::{self, EmailView, IssueView, ListViews, TaxonomyView};
use crate::render::views::{happening_view, page_full, section_feeds, section_view, site_view};
use crate::vocabulary::Kind;

/// One unit of HTML output. A full build runs them all; the dev server runs the few an
/// edit affects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    Page(usize),
    /// Every list page of a section (the home page is the root section).
    Section(usize),
    /// One list page of a section: (section, 0-based list page).
    SectionPage(usize, usize),
    TaxonomyList(usize),
    /// Every list page of a term: (taxonomy, term).
    Term(usize, usize),
    NotFound,
    /// `/community/`: the chat platforms to join.
    Community,
    /// `/search/`: the search page (`[search] enabled`).
    Search,
    /// The newsletter archive.
    Newsletter,
    /// The email edition of a newsletter article.
    Email(usize),
    /// `/series/<slug>/`: a series' parts in order (by [`Site::series_names`]).
    Series(usize),
}

pub use crate::model::routes::{COMMUNITY_PATH, SEARCH_PATH, newsletter_path};

struct SectionPrep {
    template: String,
    view: Value,
    /// Events sections: (upcoming, past) happenings. Their list pages paginate the past
    /// (the archive); the upcoming list is on the first page only.
    happenings: Option<(Vec<Value>, Vec<Value>)>,
    feeds: Vec<FeedLink>,
    pager_count: usize,
    rendering: String,
}

mod blocks;
mod series;
mod terms;

pub use blocks::{Expanded, shown_by_blocks};

pub use super::pager::{Pager, pager};
pub use super::plan::Counts;
use crate::model::routes::{NOT_FOUND, email_files, index_file, pager_count};

pub struct Renderer<'a> {
    pub site: &'a Site,
    pub templates: &'a Templates,
    pub summaries: Arc<ListViews>,
    /// What every template gets, built once.
    base: Map<String, Value>,
    site_feeds: Vec<FeedLink>,
    taxonomy_values: Vec<Value>,
    /// Per section: its view (as page templates see it) and its feeds, made once.
    section_views: Vec<(Value, Vec<FeedLink>)>,
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, templates: &'a Templates, summaries: Arc<ListViews>) -> Self {
        let mut base = Map::new();
        base.insert(
            "config".into(),
            serde_json::to_value(&site.config).unwrap_or_default(),
        );
        base.insert("site".into(), site_view(site));
        base.insert("lang".into(), Value::from(site.config.language.as_str()));
        base.insert("now".into(), Value::from(crate::time::rfc3339(&site.now)));
        let taxonomy_values = site
            .taxonomies
            .iter()
            .map(|t| TaxonomyView::of(t).value())
            .collect();
        let section_views = (0..site.sections.len())
            .map(|i| {
                (
                    section_view(site, &site.sections[i]),
                    section_feeds(site, i),
                )
            })
            .collect();
        let site_feeds = feeds::links_for(
            &site.config.feeds,
            site.config.base_url.as_str(),
            "",
            &site.config.title,
        );
        Renderer {
            site,
            templates,
            summaries,
            base,
            site_feeds,
            taxonomy_values,
            section_views,
        }
    }

    /// The context of one render, as a JSON map: values are moved in, never serialized
    /// twice (tera's `Context::insert` would copy each of them).
    fn context(
        &self,
        permalink: &str,
        feeds: &[FeedLink],
        key: Option<&str>,
    ) -> Map<String, Value> {
        let mut ctx = self.base.clone();
        ctx.insert(
            "language_links".into(),
            views::value(views::language_links(self.site, key)),
        );
        // Autodiscovery: the site's feeds, then those of what is being rendered.
        let mut all: Vec<FeedLink> = self.site_feeds.clone();
        all.extend(feeds.iter().cloned());
        ctx.insert(
            "feeds".into(),
            serde_json::to_value(&all).unwrap_or_default(),
        );
        ctx.insert("current_url".into(), Value::from(permalink));
        let path = permalink
            .strip_prefix(self.site.config.base_url.origin())
            .unwrap_or("/");
        ctx.insert("current_path".into(), Value::from(path));
        ctx
    }

    /// The template to use: `wanted` if the theme or site has it, else `fallback`.
    fn pick(&self, wanted: Option<&'a str>, fallback: &'a str) -> &'a str {
        match wanted {
            Some(t) if self.templates.has(t) => t,
            _ => fallback,
        }
    }

    fn page_template(&self, index: usize) -> &'a str {
        let page = &self.site.pages[index];
        let section = &self.site.sections[page.section];
        page.template
            .as_deref()
            .or(section.page_template.as_deref())
            .unwrap_or(page.kind.page_template())
    }

    fn section_template(&self, index: usize) -> &'a str {
        let section = &self.site.sections[index];
        if section.is_home() {
            self.pick(section.template.as_deref(), "index.html")
        } else {
            let by_kind = section.kind.section_template();
            let fallback = if self.templates.has(by_kind) {
                by_kind
            } else {
                "section.html"
            };
            self.pick(section.template.as_deref(), fallback)
        }
    }

    /// The template a job renders with.
    pub fn template_of(&self, job: Job) -> Option<String> {
        Some(match job {
            Job::Page(i) => self.page_template(i).to_string(),
            Job::Section(i) | Job::SectionPage(i, _) => self.section_template(i).to_string(),
            Job::TaxonomyList(_) => "taxonomy_list.html".into(),
            Job::Term(..) => "taxonomy_term.html".into(),
            Job::NotFound => "404.html".into(),
            Job::Community => "community.html".into(),
            Job::Search => "search.html".into(),
            Job::Newsletter => "newsletter.html".into(),
            Job::Email(_) => "email.html".into(),
            Job::Series(_) => "series.html".into(),
        })
    }

    pub fn render_page(&self, index: usize) -> Result<String> {
        let page = &self.site.pages[index];
        let template = self.page_template(index);
        if !self.templates.has(template) {
            return Err(Diagnostic::new(
                &page.file.shown,
                format!("template `{template}` does not exist in the theme or templates/"),
            )
            .into());
        }
        let (section_value, feeds) = &self.section_views[page.section];
        let mut ctx = self.context(&page.permalink, feeds, Some(&page.file.rel));
        ctx.insert("page".into(), page_full(self.site, index, &self.summaries));
        ctx.insert("section".into(), section_value.clone());
        self.templates
            .render(template, ctx, &page.file.shown.display().to_string())
    }

    /// The email edition of newsletter article `index`.
    pub fn render_email(&self, index: usize) -> Result<crate::output::email::Edition> {
        let page = &self.site.pages[index];
        let mut ctx = self.context(&page.permalink, &[], None);
        let full = page_full(self.site, index, &self.summaries);
        let preheader = page.description.clone().unwrap_or_else(|| {
            crate::text::summary_text(page.content.summary.as_deref().unwrap_or(""), 150)
        });
        ctx.insert("page".into(), full);
        ctx.insert(
            "email".into(),
            views::value(EmailView {
                preheader,
                web_url: &page.permalink,
                unsubscribe_url: self
                    .site
                    .config
                    .newsletter
                    .as_ref()
                    .and_then(|n| n.unsubscribe_url()),
            }),
        );
        let shown = page.file.shown.display().to_string();
        let html =
            self.templates
                .render("email.html", ctx, &format!("the email edition of {shown}"))?;
        crate::output::email::edition(
            &html,
            &page.permalink,
            self.site.config.root_url().as_str(),
            &shown,
        )
    }

    /// Everything a full build renders.
    pub fn all_jobs(&self) -> Vec<Job> {
        let mut jobs: Vec<Job> = (0..self.site.pages.len()).map(Job::Page).collect();
        jobs.extend((0..self.site.sections.len()).map(Job::Section));
        for (t, taxonomy) in self.site.taxonomies.iter().enumerate() {
            jobs.push(Job::TaxonomyList(t));
            jobs.extend((0..taxonomy.terms.len()).map(|term| Job::Term(t, term)));
        }
        // One 404 page for the whole site, in its default language.
        if self.site.config.site_root.is_none() {
            jobs.push(Job::NotFound);
        }
        // Generated pages give way to content at the same URL.
        let taken = |path: &str| {
            self.site.pages.iter().any(|p| p.path == path)
                || self.site.sections.iter().any(|s| s.path == path)
        };
        if !self.site.config.community.is_empty()
            && self.templates.has("community.html")
            && !taken(COMMUNITY_PATH)
        {
            jobs.push(Job::Community);
        }
        if self.site.config.search.enabled
            && self.templates.has("search.html")
            && !taken(SEARCH_PATH)
        {
            jobs.push(Job::Search);
        }
        let newsletter = newsletter_path(&self.site.config);
        if (self.site.config.newsletter.is_some() || !self.site.issues.is_empty())
            && self.templates.has("newsletter.html")
            && !taken(&newsletter)
        {
            jobs.push(Job::Newsletter);
        }
        if self.templates.has("email.html") {
            jobs.extend(self.site.issues.iter().map(|&(_, i)| Job::Email(i)));
        }
        if self.templates.has("series.html") {
            jobs.extend((0..self.site.series.len()).map(Job::Series));
        }
        jobs
    }

    /// Renders and writes `jobs` in parallel; every failure is reported, not just the first.
    pub fn run(&self, jobs: &[Job], out: &dyn Sink) -> Result<Counts> {
        let config = &self.site.config;
        let root = config.root_url().as_str();
        let prefix = config.language_prefix();
        let relative = Relative::new(out, root, &prefix);
        let out: &dyn Sink = if config.relative_urls { &relative } else { out };
        // A section or term with many list pages is split so its pagers render in parallel.
        let mut units: Vec<(Job, usize)> = Vec::with_capacity(jobs.len());
        let mut sections: HashMap<usize, SectionPrep> = HashMap::new();
        for &job in jobs {
            match job {
                Job::Section(i) => {
                    let prep = self.prepare_section(i);
                    units.extend((0..prep.pager_count).map(|n| (job, n)));
                    sections.insert(i, prep);
                }
                Job::SectionPage(i, n) => {
                    let prep = sections.entry(i).or_insert_with(|| self.prepare_section(i));
                    if n < prep.pager_count {
                        units.push((Job::Section(i), n));
                    }
                }
                Job::Term(t, term) => {
                    let taxonomy = &self.site.taxonomies[t];
                    let n = pager_count(taxonomy.terms[term].pages.len(), taxonomy.paginate_by);
                    units.extend((0..n).map(|k| (job, k)));
                }
                other => units.push((other, 0)),
            }
        }
        let timing = std::env::var_os("KRING_TIMINGS").is_some();
        let spent: [std::sync::atomic::AtomicU64; 5] = Default::default();
        let results: Vec<Result<Job>> = units
            .par_iter()
            .map(|&(job, n)| {
                let started = timing.then(std::time::Instant::now);
                let r = self.run_one(job, n, &sections, out).map(|_| job);
                if let Some(t) = started {
                    let slot = match job {
                        Job::Page(i) => match self.site.pages[i].kind {
                            Kind::Members => 1,
                            Kind::Events => 2,
                            _ => 0,
                        },
                        Job::Section(_) => 3,
                        _ => 4,
                    };
                    spent[slot].fetch_add(
                        t.elapsed().as_micros() as u64,
                        std::sync::atomic::Ordering::Relaxed,
                    );
                }
                r
            })
            .collect();
        if timing {
            let names = [
                "article/other pages",
                "member pages",
                "event pages",
                "section lists",
                "taxonomy pages",
            ];
            for (name, us) in names.iter().zip(&spent) {
                eprintln!(
                    "          {:>8.1} ms cpu  {name}",
                    us.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1000.0
                );
            }
        }
        let mut counts = Counts::default();
        let mut errors = Vec::new();
        for r in results {
            match r {
                Ok(Job::Page(_)) => counts.pages += 1,
                Ok(Job::Section(_) | Job::SectionPage(..)) => counts.sections += 1,
                Ok(Job::TaxonomyList(_) | Job::Term(..)) => counts.taxonomy_pages += 1,
                Ok(
                    Job::NotFound | Job::Community | Job::Search | Job::Newsletter | Job::Series(_),
                ) => counts.pages += 1,
                Ok(Job::Email(_)) => counts.emails += 1,
                Err(e) => errors.push(e),
            }
        }
        collect(errors)?;
        Ok(counts)
    }

    fn run_one(
        &self,
        job: Job,
        pager: usize,
        sections: &HashMap<usize, SectionPrep>,
        out: &dyn Sink,
    ) -> Result<()> {
        match job {
            Job::Page(i) => {
                let page = &self.site.pages[i];
                let html = self.render_page(i)?;
                out.write(&index_file(&page.path), html.as_bytes())?;
                (self.templates.photos).want(super::images::body_sizes(&page.content.photos));
                for (from, name) in &page.assets {
                    out.copy(from, &format!("{}{}", page.path, name))?;
                }
                Ok(())
            }
            Job::Section(i) | Job::SectionPage(i, _) => {
                self.write_section_pager(i, pager, &sections[&i], out)
            }
            Job::TaxonomyList(t) => self.write_taxonomy_list(t, out),
            Job::Series(i) => self.write_series(i, out),
            Job::Term(t, term) => self.write_term_pager(t, term, pager, out),
            Job::Community | Job::Search => {
                let (path, template, what) = match job {
                    Job::Community => (COMMUNITY_PATH, "community.html", "the community page"),
                    _ => (SEARCH_PATH, "search.html", "the search page"),
                };
                let ctx = self.context(&self.site.config.base_url.join(path), &[], None);
                let html = self.templates.render(template, ctx, what)?;
                out.write(&index_file(path), html.as_bytes())
            }
            Job::Newsletter => {
                let path = newsletter_path(&self.site.config);
                let mut ctx = self.context(&self.site.config.base_url.join(&path), &[], None);
                let issues: Vec<Value> = self
                    .site
                    .issues
                    .iter()
                    .map(|&(number, i)| {
                        views::value(IssueView {
                            number,
                            page: self.summaries.get(i),
                        })
                    })
                    .collect();
                ctx.insert("issues".into(), Value::from(issues));
                let html =
                    self.templates
                        .render("newsletter.html", ctx, "the newsletter archive")?;
                out.write(&index_file(&path), html.as_bytes())
            }
            Job::Email(i) => {
                let page = &self.site.pages[i];
                let edition = self.render_email(i)?;
                let [html_file, text_file] = email_files(&page.path);
                out.write(&html_file, edition.html.as_bytes())?;
                out.write(&text_file, edition.text.as_bytes())
            }
            Job::NotFound => {
                let ctx = self.context(&self.site.config.base_url.join(NOT_FOUND), &[], None);
                let html = self.templates.render("404.html", ctx, "404.html")?;
                out.write(NOT_FOUND, html.as_bytes())
            }
        }
    }

    /// What every list page of a section shares: template, view, feeds.
    fn prepare_section(&self, index: usize) -> SectionPrep {
        let section = &self.site.sections[index];
        let template = self.section_template(index);
        let mut view = section_view(self.site, section);
        let mut happenings = None;
        if section.kind == Kind::Events {
            // Events sections list what is coming and what has been, by happening.
            let (upcoming, past) = upcoming_and_past(&self.site.schedule, &self.site.now);
            let belongs =
                |h: &&Happening| self.site.pages[h.page].section == index || h.session.is_some();
            let list = |hs: Vec<&Happening>| -> Vec<Value> {
                hs.into_iter()
                    .filter(belongs)
                    .map(|h| happening_view(self.site, h, Some(self.summaries.get(h.page))))
                    .collect()
            };
            happenings = Some((list(upcoming), list(past)));
        }
        let feeds = section_feeds(self.site, index);
        view["feeds"] = serde_json::to_value(&feeds).unwrap_or_default();
        SectionPrep {
            template: template.to_string(),
            view,
            feeds,
            pager_count: match &happenings {
                Some((_, past)) => pager_count(past.len(), section.paginate_by),
                None => pager_count(section.pages.len(), section.paginate_by),
            },
            happenings,
            rendering: section
                .file
                .as_ref()
                .map_or(format!("content/{}", section.index_file()), |f| {
                    f.shown.display().to_string()
                }),
        }
    }

    fn write_section_pager(
        &self,
        index: usize,
        n: usize,
        prep: &SectionPrep,
        out: &dyn Sink,
    ) -> Result<()> {
        let section = &self.site.sections[index];
        let archive: Vec<usize>;
        let (pager, list, section_value) = match &prep.happenings {
            Some((upcoming, past)) => {
                archive = (0..past.len()).collect();
                let pager = pager(
                    &archive,
                    section.paginate_by,
                    &section.permalink,
                    &section.path,
                    n,
                );
                let list: Vec<Value> = pager.items.iter().map(|&i| past[i].clone()).collect();
                let mut view = prep.view.clone();
                view["upcoming"] = Value::from(if n == 0 { upcoming.clone() } else { Vec::new() });
                view["past"] = Value::from(list.clone());
                (pager, list, view)
            }
            None => {
                let pager = pager(
                    &section.pages,
                    section.paginate_by,
                    &section.permalink,
                    &section.path,
                    n,
                );
                let list = self.list(pager.items);
                (pager, list, prep.view.clone())
            }
        };
        let key = section.index_file();
        let mut ctx = self.context(&pager.permalink, &prep.feeds, Some(&key));
        ctx.insert("section".into(), section_value);
        ctx.insert("paginator".into(), pager.value(list));
        let html = self
            .templates
            .render(&prep.template, ctx, &prep.rendering)?;
        out.write(&pager.file, html.as_bytes())?;
        if n == 0 {
            (self.templates.photos).want(super::images::body_sizes(&section.content.photos));
            for asset in &section.assets {
                let name = asset
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                out.copy(asset, &format!("{}{}", section.path, name))?;
            }
        }
        Ok(())
    }

    fn list(&self, items: &[usize]) -> Vec<Value> {
        items.iter().map(|&i| self.summaries.get(i)).collect()
    }
}

fn collect(mut errors: Vec<Error>) -> Result<()> {
    match errors.len() {
        0 => Ok(()),
        1 => Err(errors.remove(0)),
        _ => {
            let mut list = Vec::new();
            for e in errors.into_iter().take(MAX_REPORTED) {
                list.extend(e.diagnostics());
            }
            Err(Error::Input(list))
        }
    }
}
