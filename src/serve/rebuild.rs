//! What the dev server does when files change: each change is classified, and only what it
//! affects is redone. Editing one article re-renders that page, its neighbours, the lists,
//! term pages and feeds that show it — not the whole site — in whichever language the file
//! is. Anything structural (a new or deleted page, a section's `_index.md`, the config, a
//! title that other languages show) rebuilds everything.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::footprint::{Affected, Footprint};
use crate::build::{Loaded, Prefixed, Rendering, copy_static, load_site, render_with};
use crate::content::load::{self, is_ignored};
use crate::error::{Error, Result};
use crate::model::{BuildOptions, Site};
use crate::output::pages::Job;
use crate::output::write::{LiveDir, Sink, Staging};
use crate::output::{calendar, feeds, sitemap};
use crate::render::theme::Theme;

/// A change to one file, by what it affects.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Config,
    /// A Markdown file under `content/` (content-relative path).
    Content(String),
    /// Another file under `content/`: a bundle's image, a section's file.
    ContentAsset,
    /// A template, by name (`article.html`, `partials/head.html`).
    Template(String),
    /// UI strings.
    Strings,
    /// A file of the site's or the theme's `static/`, by output path.
    Static(String),
}

/// Sorts a changed path into a [`Change`]; `None` for what kring does not read.
pub fn classify(site_dir: &Path, theme: &str, path: &Path) -> Option<Change> {
    let rel = path.strip_prefix(site_dir).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.iter().any(|p| is_ignored(p)) {
        return None;
    }
    let tail = |from: usize| parts[from..].join("/");
    match parts.first().map(String::as_str)? {
        "kring.toml" => Some(Change::Config),
        "content" if parts.last().is_some_and(|n| n.ends_with(".md")) => {
            Some(Change::Content(tail(1)))
        }
        "content" => Some(Change::ContentAsset),
        "templates" if parts.len() > 1 => Some(Change::Template(tail(1))),
        "i18n" => Some(Change::Strings),
        "static" if parts.len() > 1 => Some(Change::Static(tail(1))),
        "themes" if parts.get(1).map(String::as_str) == Some(theme) => {
            match parts.get(2).map(String::as_str) {
                Some("templates") if parts.len() > 3 => Some(Change::Template(tail(3))),
                Some("static") if parts.len() > 3 => Some(Change::Static(tail(3))),
                Some("i18n") => Some(Change::Strings),
                _ => None,
            }
        }
        _ => None,
    }
}

/// What a rebuild did, for the terminal and the browser.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Only stylesheets changed: browsers swap them without reloading.
    pub css_only: bool,
    /// Files written.
    pub written: usize,
    /// Whether the whole site was rebuilt.
    pub full: bool,
    pub elapsed: Duration,
}

/// The dev server's site: the model and rendering state kept between edits, and the folder
/// being served.
pub struct DevSite {
    pub site_dir: PathBuf,
    pub options: BuildOptions,
    /// The folder being served.
    pub out: PathBuf,
    /// Injects the live-reload script into every HTML file written.
    pub live_reload: bool,
    /// The model, and the rendering state of each language (default first).
    state: Option<(Loaded, Vec<Rendering>)>,
}

/// A sink that adds the live-reload script to HTML.
struct WithReload<'a>(&'a dyn Sink);

pub const RELOAD_SCRIPT_TAG: &str = "<script src=\"/__kring/live-reload.js\" defer></script>";

impl Sink for WithReload<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        if !rel.ends_with(".html") {
            return self.0.write(rel, bytes);
        }
        let html = String::from_utf8_lossy(bytes);
        let injected = match html.rfind("</body>") {
            Some(at) => format!("{}{RELOAD_SCRIPT_TAG}\n{}", &html[..at], &html[at..]),
            None => format!("{html}{RELOAD_SCRIPT_TAG}\n"),
        };
        self.0.write(rel, injected.as_bytes())
    }
    fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        self.0.copy(from, rel)
    }
}

impl DevSite {
    pub fn new(
        site_dir: PathBuf,
        options: BuildOptions,
        out: PathBuf,
        live_reload: bool,
    ) -> DevSite {
        DevSite {
            site_dir,
            options,
            out,
            live_reload,
            state: None,
        }
    }

    pub fn site(&self) -> Option<&Site> {
        self.state.as_ref().map(|(l, _)| &l.site)
    }

    pub fn theme_name(&self) -> String {
        self.site()
            .map_or_else(|| "kring".to_string(), |s| s.config.theme.clone())
    }

    /// Reads and renders everything into a fresh folder, swapped in whole.
    pub fn full_build(&mut self) -> Result<Outcome> {
        let started = Instant::now();
        let loaded = load_site(&self.site_dir, &self.options)?;
        let renderings = loaded.renderings()?;
        let staging = Staging::new(&self.out)?;
        let (counts, statics) = if self.live_reload {
            render_with(&loaded, &renderings, &WithReload(&staging))?
        } else {
            render_with(&loaded, &renderings, &staging)?
        };
        staging.commit()?;
        self.state = Some((loaded, renderings));
        Ok(Outcome {
            css_only: false,
            written: counts.pages
                + counts.sections
                + counts.taxonomy_pages
                + counts.feeds
                + counts.calendars
                + statics,
            full: true,
            elapsed: started.elapsed(),
        })
    }

    /// [`apply`](Self::apply), surviving a panic: kring's own bug must not stop the dev
    /// server from rebuilding. The kept state may be half-updated, so it is dropped and the
    /// next change rebuilds everything.
    pub fn apply_guarded(&mut self, paths: &[PathBuf]) -> Result<Outcome> {
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.apply(paths)));
        run.unwrap_or_else(|panic| {
            self.state = None;
            Err(Error::Bug(crate::error::panic_message(panic.as_ref())))
        })
    }

    /// Applies a batch of changed paths.
    pub fn apply(&mut self, paths: &[PathBuf]) -> Result<Outcome> {
        let started = Instant::now();
        let theme = self.theme_name();
        let changes: BTreeSet<Change> = paths
            .iter()
            .filter_map(|p| classify(&self.site_dir, &theme, p))
            .collect();
        if changes.is_empty() {
            return Ok(Outcome {
                css_only: false,
                written: 0,
                full: false,
                elapsed: started.elapsed(),
            });
        }
        if self.state.is_none()
            || changes
                .iter()
                .any(|c| matches!(c, Change::Config | Change::Strings | Change::ContentAsset))
        {
            return self.full_build();
        }
        let mut written = 0;
        let mut css_only = true;
        // What to redo, by language (0 is the default language).
        let mut jobs: BTreeMap<usize, BTreeSet<Job>> = BTreeMap::new();
        let mut feed_paths: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
        let mut calendars: BTreeSet<usize> = BTreeSet::new();
        let mut templates_changed = Vec::new();
        for change in &changes {
            match change {
                Change::Static(rel) => {
                    written += self.copy_static_file(rel)?;
                    css_only &= rel.ends_with(".css");
                }
                Change::Template(name) => {
                    templates_changed.push(name.clone());
                    css_only = false;
                }
                Change::Content(rel) => {
                    css_only = false;
                    match self.update_content(rel)? {
                        Some((lang, affected)) => {
                            jobs.entry(lang).or_default().extend(affected.jobs);
                            feed_paths.entry(lang).or_default().extend(affected.feeds);
                            if affected.calendars {
                                calendars.insert(lang);
                            }
                        }
                        None => return self.full_build(),
                    }
                }
                Change::Config | Change::Strings | Change::ContentAsset => {
                    unreachable!("handled above")
                }
            }
        }
        if !templates_changed.is_empty() {
            for (lang, job) in self.reload_templates(&templates_changed)? {
                jobs.entry(lang).or_default().insert(job);
            }
        }
        let (loaded, renderings) = self.state.as_ref().expect("state is loaded");
        let live = LiveDir(self.out.clone());
        let reload = WithReload(&live);
        let root_sink: &dyn Sink = if self.live_reload { &reload } else { &live };
        let languages: BTreeSet<usize> = jobs
            .keys()
            .chain(feed_paths.keys())
            .chain(&calendars)
            .copied()
            .collect();
        let sites = loaded.sites();
        for lang in languages {
            let site = sites[lang];
            let rendering = &renderings[lang];
            let prefixed = Prefixed {
                prefix: loaded.prefix(lang),
                inner: root_sink,
            };
            let sink: &dyn Sink = &prefixed;
            written += self.redo(
                site,
                rendering,
                jobs.remove(&lang).unwrap_or_default(),
                feed_paths.get(&lang),
                calendars.contains(&lang),
                sink,
            )?;
        }
        if !feed_paths.is_empty() {
            let mut phases = crate::build::Phases::start();
            root_sink.write("sitemap.xml", sitemap::sitemap(&sites).as_bytes())?;
            written += 1;
            phases.done("sitemap");
        }
        Ok(Outcome {
            css_only: css_only && written > 0,
            written,
            full: false,
            elapsed: started.elapsed(),
        })
    }

    /// Re-renders `jobs`, the feeds at `feed_paths` and (if `calendars`) the calendars of
    /// one language's `site` into `sink`; returns how many files were written.
    fn redo(
        &self,
        site: &Site,
        rendering: &Rendering,
        jobs: BTreeSet<Job>,
        feed_paths: Option<&BTreeSet<String>>,
        calendars: bool,
        sink: &dyn Sink,
    ) -> Result<usize> {
        let mut written = 0;
        let mut phases = crate::build::Phases::start();
        if !jobs.is_empty() {
            let renderer = rendering.renderer(site);
            // Generated pages (archive, community, emails) only where a full build makes them.
            let generated: BTreeSet<Job> = renderer
                .all_jobs()
                .into_iter()
                .filter(|j| matches!(j, Job::Newsletter | Job::Community | Job::Email(_)))
                .collect();
            // The 404 page is the default language's only.
            let other_language = site.config.site_root.is_some();
            let jobs: Vec<Job> = jobs
                .into_iter()
                .filter(|j| {
                    !matches!(j, Job::Newsletter | Job::Community | Job::Email(_))
                        || generated.contains(j)
                })
                .filter(|j| !(other_language && *j == Job::NotFound))
                .collect();
            let counts = renderer.run(&jobs, sink)?;
            written += counts.pages + counts.sections + counts.taxonomy_pages + counts.emails;
            phases.done(&format!("{} pages rendered", jobs.len()));
        }
        if let Some(paths) = feed_paths.filter(|p| !p.is_empty()) {
            written +=
                feeds::write_feeds(site, &rendering.strings, sink, |s| paths.contains(&s.path))?;
            phases.done("feeds");
        }
        if calendars {
            written += calendar::write_calendars(site, sink)?;
        }
        Ok(written)
    }

    fn copy_static_file(&self, rel: &str) -> Result<usize> {
        let (loaded, _) = self.state.as_ref().expect("state is loaded");
        let target = self.out.join(rel);
        // The site's static/ wins over the theme's.
        let site_file = self.site_dir.join("static").join(rel);
        let theme_file = self
            .site_dir
            .join("themes")
            .join(&loaded.site.config.theme)
            .join("static")
            .join(rel);
        let source = [site_file, theme_file].into_iter().find(|p| p.is_file());
        match source {
            Some(from) => LiveDir(self.out.clone()).copy(&from, rel).map(|_| 1),
            None => {
                // Deleted: the theme's built-in file may take its place again.
                let _ = std::fs::remove_file(&target);
                copy_static(&loaded.site, &loaded.theme, &LiveDir(self.out.clone()))
            }
        }
    }

    /// Reloads the theme and returns, by language, the jobs whose templates use one of
    /// `names`.
    fn reload_templates(&mut self, names: &[String]) -> Result<Vec<(usize, Job)>> {
        let (loaded, renderings) = self.state.as_mut().expect("state is loaded");
        loaded.theme = Theme::load(&self.site_dir, &loaded.site.config.theme)?;
        *renderings = loaded.renderings()?;
        let affected = templates_using(&loaded.theme, names);
        let mut jobs = Vec::new();
        for (lang, site) in loaded.sites().into_iter().enumerate() {
            let renderer = renderings[lang].renderer(site);
            jobs.extend(
                renderer
                    .all_jobs()
                    .into_iter()
                    .filter(|job| {
                        renderer
                            .template_of(*job)
                            .is_none_or(|t| affected.contains(&t))
                    })
                    .map(|job| (lang, job)),
            );
        }
        Ok(jobs)
    }

    /// Re-reads one Markdown file; returns its language and what it affects there. `None`
    /// when the change needs a full rebuild.
    fn update_content(&mut self, rel: &str) -> Result<Option<(usize, Affected)>> {
        let (loaded, renderings) = self.state.as_mut().expect("state is loaded");
        let multilingual = !loaded.others.is_empty();
        // By the file itself: translations share `rel`, the name links use.
        let path = self.site_dir.join("content").join(rel);
        let found = loaded
            .sites()
            .into_iter()
            .enumerate()
            .find_map(|(lang, site)| {
                site.pages
                    .iter()
                    .position(|p| p.file.path == path)
                    .map(|index| (lang, index))
            });
        let Some((lang, index)) = found else {
            return Ok(None); // a section, a new page or a deleted one
        };
        let site = loaded.site_mut(lang);
        let rendering = &mut renderings[lang];
        if !path.is_file() {
            return Ok(None);
        }
        let mut phases = crate::build::Phases::start();
        let before = Footprint::of(site, index);
        let section_dir = site.sections[site.pages[index].section].dir.clone();
        let mut source =
            load::read_page(&path, rel.to_string(), section_dir).map_err(Error::from)?;
        // Named as the loader names it: without its language, or by the page it translates
        // (a changed `translation_of` makes `update_page` ask for a full rebuild).
        let old = &site.pages[index].file;
        source.file.own_rel = old.own_rel.clone();
        source.file.rel = match &source.front.translation_of {
            Some(of) if lang > 0 => of
                .trim_start_matches("@/")
                .trim_start_matches('/')
                .to_string(),
            _ => old.own_rel.clone(),
        };
        let assets = std::mem::take(&mut site.pages[index].assets);
        source.assets = assets.clone();
        if !site.update_page(index, source, &self.options)? {
            site.pages[index].assets = assets;
            return Ok(None);
        }
        phases.done("page re-read and the model re-linked");
        let after = Footprint::of(site, index);
        if before.terms != after.terms && before.all_terms != Footprint::all_terms(site) {
            return Ok(None);
        }
        // Becoming (or ceasing to be) a newsletter issue adds or removes an email edition.
        if before.issue != after.issue {
            return Ok(None);
        }
        // The other languages show a page's title (its translations) and its members.
        let is_member = site.pages[index].as_member().is_some();
        if multilingual && (before.title != after.title || is_member) {
            return Ok(None);
        }
        if is_member {
            // Other pages show this member's name and avatar.
            rendering.refresh(site, None);
            let renderer = rendering.renderer(site);
            let feeds = feeds::sources(site).into_iter().map(|s| s.path).collect();
            return Ok(Some((
                lang,
                Affected {
                    jobs: renderer.all_jobs(),
                    feeds,
                    calendars: true,
                },
            )));
        }
        rendering.refresh(site, Some(&[index]));
        phases.done("list views and lookups refreshed");
        Ok(Some((lang, before.affected(&after, site, index))))
    }
}

/// Template names that are, or extend, include or import, one of `changed`.
pub fn templates_using(theme: &Theme, changed: &[String]) -> BTreeSet<String> {
    let mut affected: BTreeSet<String> = changed.iter().cloned().collect();
    loop {
        let before = affected.len();
        for (name, source) in &theme.templates {
            if affected.contains(name) {
                continue;
            }
            let uses = affected.iter().any(|a| {
                source.text.contains(&format!("\"{a}\"")) || source.text.contains(&format!("'{a}'"))
            });
            if uses {
                affected.insert(name.clone());
            }
        }
        if affected.len() == before {
            return affected;
        }
    }
}
