//! Running a plan: every output it names, language by language, into a sink. A build runs
//! the whole plan; the dev server the part a change affects.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, RwLock};

use rayon::prelude::*;

use super::load::{Loaded, Phases};
use crate::error::Result;
use crate::model::{Site, routes};
use crate::output::images::Photos;
use crate::output::pages::{Counts, Job, Renderer};
use crate::output::plan::{Output, Plan};
use crate::output::write::Sink;
use crate::output::{calendar, cards, feeds, redirects, search, sitemap};
use crate::render::photos::PhotoShelf;
use crate::render::templates::{self, SharedLookup, Strings, Templates};
use crate::render::theme::{StaticSource, Theme};
use crate::render::views::ListViews;

/// What rendering needs beyond the model: every page's list view, the lookup tables of the
/// template functions, and Tera. Made once per build; the dev server keeps it between edits.
pub struct Rendering {
    /// Every page's list view.
    pub summaries: Arc<ListViews>,
    pub lookup: SharedLookup,
    pub templates: Templates,
    pub strings: Strings,
    /// The HTML of feed items: kept between the dev server's rebuilds, not in a build.
    pub feed_items: feeds::FeedItems,
}

impl Rendering {
    pub fn new(loaded: &Loaded) -> Result<Rendering> {
        Rendering::for_site(&loaded.site, &loaded.theme, loaded.photos.clone())
    }

    /// Rendering state for one language's site.
    pub fn for_site(site: &Site, theme: &Theme, photos: Arc<PhotoShelf>) -> Result<Rendering> {
        let mut phases = Phases::start();
        let summaries = Arc::new(ListViews::of(site));
        let lookup: SharedLookup = Arc::new(RwLock::new(Arc::new(templates::lookup(
            site,
            summaries.clone(),
        ))));
        let templates = templates::load(theme, site, lookup.clone(), photos)?;
        templates::check_named_templates(site, &templates)?;
        let strings = Strings::for_site(theme, &site.config);
        phases.done("list views, lookups and templates");
        Ok(Rendering {
            summaries,
            lookup,
            templates,
            strings,
            feed_items: feeds::FeedItems::default(),
        })
    }

    /// After the model changed: list views of `pages` (all when `None`) and the lookup tables.
    /// With `pages`, no page has moved, so the maps of paths are kept.
    pub fn refresh(&mut self, site: &Site, pages: Option<&[usize]>) {
        // Let go of the lookup's share of the list views first, so they can be updated in
        // place instead of copied (ten thousand of them, for one edited page).
        self.feed_items.forget(pages);
        let old = std::mem::take(&mut *self.lookup.write().unwrap_or_else(|e| e.into_inner()));
        let fresh = match pages {
            None => {
                drop(old);
                self.summaries = Arc::new(ListViews::of(site));
                templates::lookup(site, self.summaries.clone())
            }
            Some(changed) => {
                let (permalinks, page_index) = (old.permalinks.clone(), old.page_index.clone());
                drop(old);
                let all = Arc::make_mut(&mut self.summaries);
                for &i in changed {
                    all.update(site, i);
                }
                templates::lookup_with(site, self.summaries.clone(), permalinks, page_index)
            }
        };
        *self.lookup.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(fresh);
    }

    pub fn renderer<'a>(&'a self, site: &'a Site) -> Renderer<'a> {
        Renderer::new(site, &self.templates, self.summaries.clone())
    }
}

/// Writes every output of `plan` into `out`; `renderings` are the languages' (see
/// [`Loaded::renderings`]). Each language writes under its own prefix (`en/`).
pub fn run(
    loaded: &Loaded,
    renderings: &[Rendering],
    plan: &Plan,
    out: &dyn Sink,
) -> Result<Counts> {
    let mut phases = Phases::start();
    let sites = loaded.sites();
    let mut counts = Counts::default();
    // Every photo copied into the output is published through the image cache.
    let photos = Photos {
        inner: out,
        cache: &loaded.images,
        shelf: &loaded.photos,
        site_dir: &loaded.site.root,
        keep_originals: loaded.site.config.images.keep_originals,
    };
    let out: &dyn Sink = &photos;
    for (lang, outputs) in plan.languages() {
        // Static files first: a photo that changed (the dev server) takes the sizes made
        // of it before along, and those pages ask for below are not made twice.
        let statics: Vec<&str> = outputs
            .iter()
            .filter_map(|o| match o {
                Output::Static(rel) => Some(rel.as_str()),
                _ => None,
            })
            .collect();
        if !statics.is_empty() {
            counts.statics += copy_static(&loaded.statics, &statics, out)?;
            phases.done("static files");
        }
        let site = sites[lang];
        let rendering = &renderings[lang];
        let prefixed = Prefixed {
            prefix: site.config.language_prefix(),
            inner: out,
        };
        let jobs: Vec<Job> = outputs
            .iter()
            .filter_map(|o| match o {
                Output::Html(job) => Some(*job),
                _ => None,
            })
            .collect();
        if !jobs.is_empty() {
            counts.add(rendering.renderer(site).run(&jobs, &prefixed)?);
            phases.done(&format!("{} HTML jobs of /{}", jobs.len(), prefixed.prefix));
            // The sizes of photos those pages asked for (`image()`, Markdown images).
            counts.photos += photos.write_variants(loaded.photos.take_wanted())?;
            phases.done("photo sizes");
        }
        let feed_folders: BTreeSet<&str> = outputs
            .iter()
            .filter_map(|o| match o {
                Output::Feed(folder) => Some(folder.as_str()),
                _ => None,
            })
            .collect();
        if !feed_folders.is_empty() {
            let items = &rendering.feed_items;
            counts.feeds += feeds::write_feeds(site, &rendering.strings, items, &prefixed, |s| {
                feed_folders.contains(s.path.as_str())
            })?;
            phases.done("feeds");
        }
        if outputs.contains(&Output::Search) {
            counts.search += search::write_search(site, &prefixed)?;
            phases.done("search index");
        }
        if outputs.contains(&Output::Calendars) {
            counts.calendars += calendar::write_calendars(site, &prefixed)?;
            phases.done("calendars");
        }
        // Site-wide files, at the root whichever language plans them.
        if outputs.contains(&Output::Sitemap) {
            out.write(routes::SITEMAP, sitemap::sitemap(&sites).as_bytes())?;
        }
        if outputs.contains(&Output::Redirects) {
            counts.pages += redirects::write_redirects(&sites, out)?;
        }
        if outputs.contains(&Output::Robots) {
            out.write(routes::ROBOTS, sitemap::robots(site).as_bytes())?;
        }
        let cards: Vec<usize> = outputs
            .iter()
            .filter_map(|o| match o {
                Output::Card(i) => Some(*i),
                _ => None,
            })
            .collect();
        let site_card = outputs.contains(&Output::SiteCard);
        if !cards.is_empty() || site_card {
            counts.cards += cards::write_cards(site, &cards, site_card, &loaded.images, &prefixed)?;
            phases.done("social cards");
        }
    }
    Ok(counts)
}

/// Writes into a sub-folder of another sink: a language's part of the site.
struct Prefixed<'a> {
    prefix: String,
    inner: &'a dyn Sink,
}

impl Sink for Prefixed<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.inner.write(&format!("{}{rel}", self.prefix), bytes)
    }
    fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        self.inner.copy(from, &format!("{}{rel}", self.prefix))
    }
    fn link(&self, entry: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
        self.inner
            .link(entry, &format!("{}{rel}", self.prefix), bytes)
    }
}

/// Copies the static files `wanted` (output paths) of `all`; returns how many.
fn copy_static(all: &[(String, StaticSource)], wanted: &[&str], out: &dyn Sink) -> Result<usize> {
    let sources: BTreeMap<&str, &StaticSource> =
        all.iter().map(|(rel, s)| (rel.as_str(), s)).collect();
    let results: Vec<Result<usize>> = wanted
        .par_iter()
        .filter_map(|rel| sources.get(rel).map(|source| (rel, source)))
        .map(|(rel, source)| {
            match source {
                StaticSource::Disk(path) => out.copy(path, rel)?,
                StaticSource::Embedded(bytes) => out.write(rel, bytes)?,
            }
            Ok(1)
        })
        .collect();
    results.into_iter().sum()
}
