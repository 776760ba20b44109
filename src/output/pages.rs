//! HTML output: a page per content file, section lists with pagination, taxonomy lists and
//! term pages, the home page and 404. Pages are rendered in parallel and written as soon as
//! they are rendered, so the build never holds the whole site's HTML.

use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Value, json};
use tera::Context;

use super::write::Staging;
use crate::content::frontmatter::Kind;
use crate::error::{Diagnostic, Error, MAX_REPORTED, Result};
use crate::model::schedule::{Happening, upcoming_and_past};
use crate::model::{Site, Taxonomy};
use crate::output::feeds::{self, FeedLink};
use crate::render::context::{happening_view, page_full, section_feeds, section_view, site_view};
use crate::render::templates::Templates;

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
    fn pick<'t>(&self, wanted: Option<&'t str>, fallback: &'t str) -> &'t str {
        match wanted {
            Some(t) if self.templates.has(t) => t,
            _ => fallback,
        }
    }

    pub fn render_page(&self, index: usize) -> Result<String> {
        let page = &self.site.pages[index];
        let section = &self.site.sections[page.section];
        let template = page
            .template
            .as_deref()
            .or(section.page_template.as_deref())
            .unwrap_or(page.kind.page_template());
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

    /// Writes every page; returns how many.
    pub fn write_pages(&self, out: &Staging) -> Result<usize> {
        let errors: Vec<Error> = (0..self.site.pages.len())
            .into_par_iter()
            .filter_map(|i| {
                let page = &self.site.pages[i];
                let result = self.render_page(i).and_then(|html| {
                    out.write(&format!("{}index.html", page.path), html.as_bytes())?;
                    for (from, name) in &page.assets {
                        out.copy(from, &format!("{}{}", page.path, name))?;
                    }
                    Ok(())
                });
                result.err()
            })
            .collect();
        collect(errors)?;
        Ok(self.site.pages.len())
    }

    /// Writes every section's list pages (the home page is the root section).
    pub fn write_sections(&self, out: &Staging) -> Result<usize> {
        let errors: Vec<Error> = self
            .site
            .sections
            .par_iter()
            .enumerate()
            .flat_map_iter(|(index, section)| {
                let template = if section.is_home() {
                    self.pick(section.template.as_deref(), "index.html")
                } else {
                    let by_kind = section.kind.section_template();
                    self.pick(
                        section.template.as_deref(),
                        if self.templates.has(by_kind) {
                            by_kind
                        } else {
                            "section.html"
                        },
                    )
                };
                let mut view = section_view(self.site, section);
                if section.kind == Kind::Events {
                    // Events sections list what is coming and what has been, by happening.
                    let (upcoming, past) = upcoming_and_past(&self.site.schedule, &self.site.now);
                    let belongs = |h: &&Happening| {
                        self.site.pages[h.page].section == index || h.session.is_some()
                    };
                    let list = |hs: Vec<&Happening>| -> Vec<Value> {
                        hs.into_iter()
                            .filter(belongs)
                            .map(|h| happening_view(self.site, h, &self.summaries))
                            .collect()
                    };
                    view["upcoming"] = Value::from(list(upcoming));
                    view["past"] = Value::from(list(past));
                }
                let section_feed_links = section_feeds(self.site, index);
                view["feeds"] = serde_json::to_value(&section_feed_links).unwrap_or_default();
                let rendering = section
                    .file
                    .as_ref()
                    .map_or(format!("content/{}", section.index_file()), |f| {
                        f.shown.display().to_string()
                    });
                let mut errors = Vec::new();
                for pager in paginate(
                    &section.pages,
                    section.paginate_by,
                    &section.permalink,
                    &section.path,
                ) {
                    let mut ctx = self.context(&pager.permalink, &section_feed_links);
                    let list = self.list(pager.items);
                    let mut section_value = view.clone();
                    section_value["pages"] = Value::from(list.clone());
                    ctx.insert("section", &section_value);
                    ctx.insert("paginator", &pager.value(list));
                    if let Err(e) = self
                        .templates
                        .render(template, &ctx, &rendering)
                        .and_then(|html| out.write(&pager.file, html.as_bytes()))
                    {
                        errors.push(e);
                    }
                }
                for asset in &section.assets {
                    let name = asset
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    if let Err(e) = out.copy(asset, &format!("{}{}", section.path, name)) {
                        errors.push(e);
                    }
                }
                errors
            })
            .collect();
        collect(errors)?;
        Ok(self.site.sections.len())
    }

    /// Writes each taxonomy's list and each term's pages.
    pub fn write_taxonomies(&self, out: &Staging) -> Result<usize> {
        let jobs: Vec<(&Taxonomy, Option<usize>)> = self
            .site
            .taxonomies
            .iter()
            .flat_map(|t| {
                std::iter::once((t, None)).chain((0..t.terms.len()).map(move |i| (t, Some(i))))
            })
            .collect();
        let written: Vec<Result<usize>> = jobs
            .par_iter()
            .map(|&(taxonomy, term)| self.write_taxonomy_page(taxonomy, term, out))
            .collect();
        let mut count = 0;
        let mut errors = Vec::new();
        for w in written {
            match w {
                Ok(n) => count += n,
                Err(e) => errors.push(e),
            }
        }
        collect(errors)?;
        Ok(count)
    }

    fn write_taxonomy_page(
        &self,
        taxonomy: &Taxonomy,
        term: Option<usize>,
        out: &Staging,
    ) -> Result<usize> {
        let terms: Vec<Value> = taxonomy
            .terms
            .iter()
            .map(|t| json!({ "name": t.name, "slug": t.slug, "permalink": t.permalink, "page_count": t.pages.len() }))
            .collect();
        let taxonomy_value = json!({ "name": taxonomy.name, "permalink": taxonomy.permalink, "terms": terms, "feed": taxonomy.feed });
        let Some(t) = term else {
            let mut ctx = self.context(&taxonomy.permalink, &[]);
            ctx.insert("taxonomy", &taxonomy_value);
            let html = self.templates.render(
                "taxonomy_list.html",
                &ctx,
                &format!("the {} list", taxonomy.name),
            )?;
            out.write(&format!("{}index.html", taxonomy.path), html.as_bytes())?;
            return Ok(1);
        };
        let term = &taxonomy.terms[t];
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
        let mut n = 0;
        for pager in paginate(
            &term.pages,
            taxonomy.paginate_by,
            &term.permalink,
            &term.path,
        ) {
            let mut ctx = self.context(&pager.permalink, &term_feeds);
            let list = self.list(pager.items);
            ctx.insert("taxonomy", &taxonomy_value);
            ctx.insert("term", &json!({ "name": term.name, "slug": term.slug, "permalink": term.permalink, "pages": list, "page_count": term.pages.len(), "feeds": term_feeds }));
            ctx.insert("paginator", &pager.value(list));
            let html = self.templates.render(
                "taxonomy_term.html",
                &ctx,
                &format!("the {} page of {}", taxonomy.name, term.name),
            )?;
            out.write(&pager.file, html.as_bytes())?;
            n += 1;
        }
        Ok(n)
    }

    pub fn write_404(&self, out: &Staging) -> Result<()> {
        let ctx = self.context(&self.site.config.base_url.join("404.html"), &[]);
        let html = self.templates.render("404.html", &ctx, "404.html")?;
        out.write("404.html", html.as_bytes())
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
