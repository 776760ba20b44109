//! HTML output: a page per content file, section lists with pagination, taxonomy lists and
//! term pages, the home page and 404. Pages are rendered in parallel and written as soon as
//! they are rendered, so the build never holds the whole site's HTML.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Value, json};
use tera::Context;

use super::write::Sink;
use crate::content::frontmatter::Kind;
use crate::error::{Diagnostic, Error, MAX_REPORTED, Result};
use crate::model::schedule::{Happening, upcoming_and_past};
use crate::model::{Site, Taxonomy};
use crate::output::feeds::{self, FeedLink};
use crate::render::context::{happening_view, page_full, section_feeds, section_view, site_view};
use crate::render::templates::Templates;

/// One unit of HTML output. A full build runs them all; the dev server runs the few an
/// edit affects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    Page(usize),
    /// Every list page of a section (the home page is the root section).
    Section(usize),
    TaxonomyList(usize),
    /// Every list page of a term: (taxonomy, term).
    Term(usize, usize),
    NotFound,
}

struct SectionPrep {
    template: String,
    view: Value,
    feeds: Vec<FeedLink>,
    pager_count: usize,
    rendering: String,
}

fn pager_count(items: usize, per_page: Option<usize>) -> usize {
    match per_page {
        Some(n) if n > 0 && items > 0 => items.div_ceil(n),
        _ => 1,
    }
}

/// How many files of each kind a render wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub pages: usize,
    pub sections: usize,
    pub taxonomy_pages: usize,
    pub feeds: usize,
    pub calendars: usize,
}

pub struct Renderer<'a> {
    pub site: &'a Site,
    pub templates: &'a Templates,
    pub summaries: Arc<Vec<Value>>,
    base: Context,
    site_feeds: Vec<FeedLink>,
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, templates: &'a Templates, summaries: Arc<Vec<Value>>) -> Self {
        let mut base = Context::new();
        base.insert("config", &site.config);
        base.insert("site", &site_view(site));
        base.insert("lang", &site.config.language);
        base.insert("now", &crate::time::rfc3339(&site.now));
        let site_feeds = feeds::links_for(
            &site.config.feeds,
            site.config.base_url.as_str(),
            "",
            &site.config.title,
            true,
        );
        Renderer {
            site,
            templates,
            summaries,
            base,
            site_feeds,
        }
    }

    fn context(&self, permalink: &str, feeds: &[FeedLink]) -> Context {
        let mut ctx = self.base.clone();
        // Autodiscovery: the site's feeds, then those of what is being rendered.
        let mut all: Vec<FeedLink> = self.site_feeds.clone();
        all.extend(feeds.iter().cloned());
        ctx.insert("feeds", &all);
        ctx.insert("current_url", permalink);
        let path = permalink
            .strip_prefix(self.site.config.base_url.origin())
            .unwrap_or("/");
        ctx.insert("current_path", path);
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
            Job::Section(i) => self.section_template(i).to_string(),
            Job::TaxonomyList(_) => "taxonomy_list.html".into(),
            Job::Term(..) => "taxonomy_term.html".into(),
            Job::NotFound => "404.html".into(),
        })
    }

    pub fn render_page(&self, index: usize) -> Result<String> {
        let page = &self.site.pages[index];
        let section = &self.site.sections[page.section];
        let template = self.page_template(index);
        if !self.templates.has(template) {
            return Err(Diagnostic::new(
                &page.file.shown,
                format!("template `{template}` does not exist in the theme or templates/"),
            )
            .into());
        }
        let mut ctx = self.context(&page.permalink, &section_feeds(self.site, page.section));
        ctx.insert("page", &page_full(self.site, index, &self.summaries));
        ctx.insert("section", &section_view(self.site, section));
        self.templates
            .render(template, &ctx, &page.file.shown.display().to_string())
    }

    /// Everything a full build renders.
    pub fn all_jobs(&self) -> Vec<Job> {
        let mut jobs: Vec<Job> = (0..self.site.pages.len()).map(Job::Page).collect();
        jobs.extend((0..self.site.sections.len()).map(Job::Section));
        for (t, taxonomy) in self.site.taxonomies.iter().enumerate() {
            jobs.push(Job::TaxonomyList(t));
            jobs.extend((0..taxonomy.terms.len()).map(|term| Job::Term(t, term)));
        }
        jobs.push(Job::NotFound);
        jobs
    }

    /// Renders and writes `jobs` in parallel; every failure is reported, not just the first.
    pub fn run(&self, jobs: &[Job], out: &dyn Sink) -> Result<Counts> {
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
                Job::Term(t, term) => {
                    let taxonomy = &self.site.taxonomies[t];
                    let n = pager_count(taxonomy.terms[term].pages.len(), taxonomy.paginate_by);
                    units.extend((0..n).map(|k| (job, k)));
                }
                other => units.push((other, 0)),
            }
        }
        let results: Vec<Result<Job>> = units
            .par_iter()
            .map(|&(job, n)| self.run_one(job, n, &sections, out).map(|_| job))
            .collect();
        let mut counts = Counts::default();
        let mut errors = Vec::new();
        for r in results {
            match r {
                Ok(Job::Page(_)) => counts.pages += 1,
                Ok(Job::Section(_)) => counts.sections += 1,
                Ok(Job::TaxonomyList(_) | Job::Term(..)) => counts.taxonomy_pages += 1,
                Ok(Job::NotFound) => {}
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
                out.write(&format!("{}index.html", page.path), html.as_bytes())?;
                for (from, name) in &page.assets {
                    out.copy(from, &format!("{}{}", page.path, name))?;
                }
                Ok(())
            }
            Job::Section(i) => self.write_section_pager(i, pager, &sections[&i], out),
            Job::TaxonomyList(t) => self.write_taxonomy_list(t, out),
            Job::Term(t, term) => self.write_term_pager(t, term, pager, out),
            Job::NotFound => {
                let ctx = self.context(&self.site.config.base_url.join("404.html"), &[]);
                let html = self.templates.render("404.html", &ctx, "404.html")?;
                out.write("404.html", html.as_bytes())
            }
        }
    }

    /// What every list page of a section shares: template, view, feeds.
    fn prepare_section(&self, index: usize) -> SectionPrep {
        let section = &self.site.sections[index];
        let template = self.section_template(index);
        let mut view = section_view(self.site, section);
        if section.kind == Kind::Events {
            // Events sections list what is coming and what has been, by happening.
            let (upcoming, past) = upcoming_and_past(&self.site.schedule, &self.site.now);
            let belongs =
                |h: &&Happening| self.site.pages[h.page].section == index || h.session.is_some();
            let list = |hs: Vec<&Happening>| -> Vec<Value> {
                hs.into_iter()
                    .filter(belongs)
                    .map(|h| happening_view(self.site, h, &self.summaries))
                    .collect()
            };
            view["upcoming"] = Value::from(list(upcoming));
            view["past"] = Value::from(list(past));
        }
        let feeds = section_feeds(self.site, index);
        view["feeds"] = serde_json::to_value(&feeds).unwrap_or_default();
        SectionPrep {
            template: template.to_string(),
            view,
            feeds,
            pager_count: pager_count(section.pages.len(), section.paginate_by),
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
        let pagers = paginate(
            &section.pages,
            section.paginate_by,
            &section.permalink,
            &section.path,
        );
        let pager = &pagers[n];
        let mut ctx = self.context(&pager.permalink, &prep.feeds);
        let list = self.list(pager.items);
        let mut section_value = prep.view.clone();
        section_value["pages"] = Value::from(list.clone());
        ctx.insert("section", &section_value);
        ctx.insert("paginator", &pager.value(list));
        let html = self
            .templates
            .render(&prep.template, &ctx, &prep.rendering)?;
        out.write(&pager.file, html.as_bytes())?;
        if n == 0 {
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

    fn taxonomy_value(&self, taxonomy: &Taxonomy) -> Value {
        let terms: Vec<Value> = taxonomy
            .terms
            .iter()
            .map(|t| json!({ "name": t.name, "slug": t.slug, "permalink": t.permalink, "page_count": t.pages.len() }))
            .collect();
        json!({ "name": taxonomy.name, "permalink": taxonomy.permalink, "terms": terms, "feed": taxonomy.feed })
    }

    fn write_taxonomy_list(&self, t: usize, out: &dyn Sink) -> Result<()> {
        let taxonomy = &self.site.taxonomies[t];
        let mut ctx = self.context(&taxonomy.permalink, &[]);
        ctx.insert("taxonomy", &self.taxonomy_value(taxonomy));
        let html = self.templates.render(
            "taxonomy_list.html",
            &ctx,
            &format!("the {} list", taxonomy.name),
        )?;
        out.write(&format!("{}index.html", taxonomy.path), html.as_bytes())
    }

    fn write_term_pager(&self, t: usize, term: usize, n: usize, out: &dyn Sink) -> Result<()> {
        let taxonomy = &self.site.taxonomies[t];
        let term = &taxonomy.terms[term];
        let term_feeds = if taxonomy.feed {
            feeds::links_for(
                &self.site.config.feeds,
                self.site.config.base_url.as_str(),
                &term.path,
                &format!("{} — {}", self.site.config.title, term.name),
                false,
            )
        } else {
            Vec::new()
        };
        let pagers = paginate(
            &term.pages,
            taxonomy.paginate_by,
            &term.permalink,
            &term.path,
        );
        let pager = &pagers[n];
        let mut ctx = self.context(&pager.permalink, &term_feeds);
        let list = self.list(pager.items);
        ctx.insert("taxonomy", &self.taxonomy_value(taxonomy));
        ctx.insert("term", &json!({ "name": term.name, "slug": term.slug, "permalink": term.permalink, "pages": list, "page_count": term.pages.len(), "feeds": term_feeds }));
        ctx.insert("paginator", &pager.value(list));
        let html = self.templates.render(
            "taxonomy_term.html",
            &ctx,
            &format!("the {} page of {}", taxonomy.name, term.name),
        )?;
        out.write(&pager.file, html.as_bytes())
    }

    fn list(&self, items: &[usize]) -> Vec<Value> {
        items.iter().map(|&i| self.summaries[i].clone()).collect()
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

/// One page of a paginated list.
pub struct Pager<'a> {
    pub index: usize,
    pub count: usize,
    pub items: &'a [usize],
    pub permalink: String,
    /// Output file, e.g. `articles/page/2/index.html`.
    pub file: String,
    base_permalink: String,
    total: usize,
    per_page: Option<usize>,
}

impl Pager<'_> {
    fn url_of(&self, i: usize) -> String {
        if i == 1 {
            self.base_permalink.clone()
        } else {
            format!("{}page/{i}/", self.base_permalink)
        }
    }

    pub fn value(&self, pages: Vec<Value>) -> Value {
        let i = self.index;
        json!({
            "pages": pages,
            "current_index": i,
            "number_pagers": self.count,
            "total_pages": self.total,
            "paginate_by": self.per_page,
            "first": self.url_of(1),
            "last": self.url_of(self.count),
            "previous": (i > 1).then(|| self.url_of(i - 1)),
            "next": (i < self.count).then(|| self.url_of(i + 1)),
            "pagers": (1..=self.count).map(|n| json!({ "index": n, "permalink": self.url_of(n) })).collect::<Vec<_>>(),
        })
    }
}

/// Cuts `items` into pages of `per_page` (one page when `None`); always at least one page.
pub fn paginate<'a>(
    items: &'a [usize],
    per_page: Option<usize>,
    permalink: &str,
    path: &str,
) -> Vec<Pager<'a>> {
    let chunks: Vec<&[usize]> = match per_page {
        Some(n) if n > 0 && !items.is_empty() => items.chunks(n).collect(),
        _ => vec![items],
    };
    let count = chunks.len();
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, items)| {
            let index = i + 1;
            let (permalink_i, file) = if index == 1 {
                (permalink.to_string(), format!("{path}index.html"))
            } else {
                (
                    format!("{permalink}page/{index}/"),
                    format!("{path}page/{index}/index.html"),
                )
            };
            Pager {
                index,
                count,
                items,
                permalink: permalink_i,
                file,
                base_permalink: permalink.to_string(),
                total: 0,
                per_page,
            }
        })
        .map(|mut p| {
            p.total = items.len();
            p
        })
        .collect()
}
