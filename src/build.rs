//! The pipeline, in order: config → content → model → templates → outputs → swap into place.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::load;
use crate::error::{Error, Result};
use crate::model::{BuildOptions, Site};
use crate::output::pages::{Counts, Job, Renderer};
use crate::output::privacy::Watching;
use crate::output::write::{Sink, Staging, check_output_dir};
use crate::output::{calendar, feeds, sitemap};
use crate::render::community::host_of;
use crate::render::context::page_summary;
use crate::render::templates::{self, SharedLookup, Strings, Templates};
use crate::render::theme::{StaticSource, Theme, files_under};

/// What a build did, for the summary line.
#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub counts: Counts,
    pub static_files: usize,
    pub elapsed: Duration,
    pub warnings: Vec<String>,
    /// Other hosts the pages load from, each with the first page and URL: empty unless the
    /// site's config or content asks for one.
    pub external_hosts: std::collections::BTreeMap<String, (String, String)>,
}

/// A site read and understood, ready to render.
pub struct Loaded {
    /// The site in its default language.
    pub site: Site,
    pub theme: Theme,
    /// The same site in each of its other languages (`[languages]`), under `/LANG/`.
    pub others: Vec<Site>,
}

impl Loaded {
    /// Every language's site: the default language first, then the others in order.
    pub fn sites(&self) -> Vec<&Site> {
        std::iter::once(&self.site).chain(&self.others).collect()
    }

    /// Language `lang` (0 for the default) of [`sites`](Self::sites).
    pub fn site_mut(&mut self, lang: usize) -> &mut Site {
        match lang {
            0 => &mut self.site,
            n => &mut self.others[n - 1],
        }
    }

    /// Where language `lang` writes inside the output: `""`, or `en/`.
    pub fn prefix(&self, lang: usize) -> String {
        match lang {
            0 => String::new(),
            n => format!("{}/", self.others[n - 1].config.language),
        }
    }

    /// Rendering state for every language, in the order of [`sites`](Self::sites).
    pub fn renderings(&self) -> Result<Vec<Rendering>> {
        self.sites()
            .into_iter()
            .map(|site| Rendering::for_site(site, &self.theme))
            .collect()
    }
}

/// Progress through the phases of a build. With `KRING_TIMINGS=1` in the environment each
/// phase prints how long it took (for benchmarks and for finding what is slow); otherwise,
/// on a terminal, a build that has run for more than half a second says which phase it
/// finished, so a large site does not sit silent.
pub struct Phases {
    last: Instant,
    started: Instant,
    timings: bool,
    progress: bool,
}

impl Phases {
    pub fn start() -> Phases {
        use std::io::IsTerminal;
        let now = Instant::now();
        Phases {
            last: now,
            started: now,
            timings: std::env::var_os("KRING_TIMINGS").is_some(),
            progress: std::io::stderr().is_terminal(),
        }
    }
    pub fn done(&mut self, what: &str) {
        if self.timings {
            eprintln!(
                "{:>8.1} ms  {what}",
                self.last.elapsed().as_secs_f64() * 1000.0
            );
        } else if self.progress && self.started.elapsed() > Duration::from_millis(500) {
            eprintln!("  … {what}");
        }
        self.last = Instant::now();
    }
}

/// Reads and checks everything; writes nothing.
pub fn load_site(site_dir: &Path, options: &BuildOptions) -> Result<Loaded> {
    let mut phases = Phases::start();
    let mut config = Config::load(site_dir)?;
    // `--base-url` replaces the config's before each language adds its `/LANG/`.
    let mut options = options.clone();
    if let Some(url) = options.base_url.take() {
        config.base_url = crate::config::BaseUrl::parse(&url)
            .map_err(|m| crate::error::Diagnostic::new("--base-url", m))?;
    }
    let theme = Theme::load(site_dir, &config.theme)?;
    phases.done("config and theme");
    let languages = config.other_languages();
    let content = load::load(site_dir, &languages, &config.language)?;
    phases.done("content read");
    let mut parts = content.by_language(&languages).into_iter();
    let (_, default_content) = parts.next().expect("the default language comes first");
    let site = Site::assemble(site_dir, config.clone(), default_content, &options);
    let mut others = Vec::new();
    let mut problems = Vec::new();
    let fallback = site
        .as_ref()
        .map(|s| s.content_permalinks())
        .unwrap_or_default();
    for (lang, mut content) in parts {
        let lang = lang.expect("other languages are named");
        content.fallback_links = fallback.clone();
        match Site::assemble(site_dir, config.for_language(&lang), content, &options) {
            Ok(s) => others.push(s),
            Err(e) => problems.extend(e.diagnostics()),
        }
    }
    let mut site = match site {
        Ok(s) => s,
        Err(e) => {
            problems.splice(0..0, e.diagnostics());
            return Err(crate::error::Error::Input(problems));
        }
    };
    if !problems.is_empty() {
        return Err(crate::error::Error::Input(problems));
    }
    if !others.is_empty() {
        crate::model::site::link_translations(&mut site, &mut others);
    }
    let statics: Vec<(String, String)> = static_files(&site, &theme)
        .into_iter()
        .map(|(rel, source)| {
            let shown = match source {
                StaticSource::Disk(path) => path
                    .strip_prefix(site_dir)
                    .unwrap_or(&path)
                    .display()
                    .to_string(),
                StaticSource::Embedded(_) => format!("{rel} of the built-in theme"),
            };
            (rel, shown)
        })
        .collect();
    let sites: Vec<&Site> = std::iter::once(&site).chain(&others).collect();
    crate::model::routes::check(&sites, &statics)?;
    phases.done("model assembled (Markdown, taxonomies, schedule)");
    Ok(Loaded {
        site,
        theme,
        others,
    })
}

/// What rendering needs beyond the model: every page's list view, the lookup tables of the
/// template functions, and Tera. Made once per build; the dev server keeps it between edits.
pub struct Rendering {
    pub summaries: Arc<Vec<serde_json::Value>>,
    pub lookup: SharedLookup,
    pub templates: Templates,
    pub strings: Strings,
}

impl Rendering {
    pub fn new(loaded: &Loaded) -> Result<Rendering> {
        Rendering::for_site(&loaded.site, &loaded.theme)
    }

    /// Rendering state for one language's site.
    pub fn for_site(site: &Site, theme: &Theme) -> Result<Rendering> {
        let mut phases = Phases::start();
        let summaries: Arc<Vec<serde_json::Value>> = Arc::new(
            (0..site.pages.len())
                .into_par_iter()
                .map(|i| page_summary(site, i))
                .collect(),
        );
        let lookup: SharedLookup = Arc::new(RwLock::new(Arc::new(templates::lookup(
            site,
            summaries.clone(),
        ))));
        let templates = templates::load(theme, site, lookup.clone())?;
        templates::check_named_templates(site, &templates)?;
        let strings = Strings::new(theme, &site.config.language);
        phases.done("list views, lookups and templates");
        Ok(Rendering {
            summaries,
            lookup,
            templates,
            strings,
        })
    }

    /// After the model changed: list views of `pages` (all when `None`) and the lookup tables.
    pub fn refresh(&mut self, site: &Site, pages: Option<&[usize]>) {
        // Let go of the lookup's share of the list views first, so they can be updated in
        // place instead of copied (ten thousand of them, for one edited page).
        *self.lookup.write().unwrap_or_else(|e| e.into_inner()) =
            Arc::new(templates::Lookup::default());
        match pages {
            None => {
                self.summaries = Arc::new(
                    (0..site.pages.len())
                        .into_par_iter()
                        .map(|i| page_summary(site, i))
                        .collect(),
                );
            }
            Some(changed) => {
                let all = Arc::make_mut(&mut self.summaries);
                all.resize(site.pages.len(), serde_json::Value::Null);
                for &i in changed {
                    all[i] = page_summary(site, i);
                }
            }
        }
        let fresh = Arc::new(templates::lookup(site, self.summaries.clone()));
        *self.lookup.write().unwrap_or_else(|e| e.into_inner()) = fresh;
    }

    pub fn renderer<'a>(&'a self, site: &'a Site) -> Renderer<'a> {
        Renderer::new(site, &self.templates, self.summaries.clone())
    }
}

/// Renders the whole site into `out`.
pub fn render_site(loaded: &Loaded, out: &dyn Sink) -> Result<(Counts, usize)> {
    render_with(loaded, &loaded.renderings()?, out)
}

/// Renders the whole site into `out` with the rendering state of every language, made
/// earlier (see [`Loaded::renderings`]).
pub fn render_with(
    loaded: &Loaded,
    renderings: &[Rendering],
    out: &dyn Sink,
) -> Result<(Counts, usize)> {
    let mut phases = Phases::start();
    let site = &loaded.site;
    let rendering = &renderings[0];
    let renderer = rendering.renderer(site);
    let mut counts = renderer.run(&renderer.all_jobs(), out)?;
    phases.done("HTML rendered and written");
    counts.feeds = feeds::write_feeds(site, &rendering.strings, out, |_| true)?;
    phases.done("feeds");
    counts.calendars = calendar::write_calendars(site, out)?;
    phases.done("calendars");
    // The other languages, each under /LANG/ with its own UI strings and lists.
    for (i, other) in loaded.others.iter().enumerate() {
        let prefixed = Prefixed {
            prefix: loaded.prefix(i + 1),
            inner: out,
        };
        let rendering = &renderings[i + 1];
        let renderer = rendering.renderer(other);
        let jobs: Vec<Job> = renderer
            .all_jobs()
            .into_iter()
            .filter(|j| *j != Job::NotFound)
            .collect();
        let more = renderer.run(&jobs, &prefixed)?;
        counts.pages += more.pages;
        counts.sections += more.sections;
        counts.taxonomy_pages += more.taxonomy_pages;
        counts.emails += more.emails;
        counts.feeds += feeds::write_feeds(other, &rendering.strings, &prefixed, |_| true)?;
        counts.calendars += calendar::write_calendars(other, &prefixed)?;
    }
    if !loaded.others.is_empty() {
        phases.done("the other languages");
    }
    let all = loaded.sites();
    out.write("sitemap.xml", sitemap::sitemap(&all).as_bytes())?;
    out.write("robots.txt", sitemap::robots(site).as_bytes())?;
    let static_files = copy_static(site, &loaded.theme, out)?;
    phases.done("sitemap and static files");
    Ok((counts, static_files))
}

/// Writes into a sub-folder of another sink: a language's part of the site.
pub struct Prefixed<'a> {
    pub prefix: String,
    pub inner: &'a dyn Sink,
}

impl Sink for Prefixed<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.inner.write(&format!("{}{rel}", self.prefix), bytes)
    }
    fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        self.inner.copy(from, &format!("{}{rel}", self.prefix))
    }
}

/// The static files of a build by output path: the theme's, with the site's `static/`
/// taking the place of a theme file of the same name.
pub fn static_files(site: &Site, theme: &Theme) -> Vec<(String, StaticSource)> {
    let mut files: std::collections::BTreeMap<String, StaticSource> =
        theme.static_files.iter().cloned().collect();
    for (rel, path) in files_under(&site.root.join("static")) {
        files.insert(rel, StaticSource::Disk(path));
    }
    files.into_iter().collect()
}

/// Copies the static files (see [`static_files`]); returns how many.
pub fn copy_static(site: &Site, theme: &Theme, staging: &dyn Sink) -> Result<usize> {
    let files = static_files(site, theme);
    let results: Vec<Result<()>> = files
        .par_iter()
        .map(|(rel, source)| match source {
            StaticSource::Disk(path) => staging.copy(path, rel),
            StaticSource::Embedded(bytes) => staging.write(rel, bytes),
        })
        .collect();
    for r in results {
        r?;
    }
    Ok(files.len())
}

/// `kring build`: the site into its output folder, replacing the last build only on success.
pub fn build(
    site_dir: &Path,
    options: &BuildOptions,
    output: Option<&Path>,
) -> Result<BuildReport> {
    let started = Instant::now();
    if !site_dir.is_dir() {
        return Err(Error::Usage(format!(
            "there is no folder {}",
            site_dir.display()
        )));
    }
    let loaded = load_site(site_dir, options)?;
    let wanted = match output {
        Some(o) => o.to_path_buf(),
        None => site_dir.join(&loaded.site.config.output_dir),
    };
    let output = check_output_dir(site_dir, &wanted)?;
    let staging = Staging::new(&output)?;
    let site_host = host_of(loaded.site.config.base_url.as_str()).unwrap_or_default();
    let watching = Watching::new(&staging, site_host);
    let (counts, static_files) = render_site(&loaded, &watching)?;
    let external_hosts = watching.hosts();
    let mut phases = Phases::start();
    staging.commit()?;
    phases.done("swapped into place, last build removed");
    Ok(BuildReport {
        output,
        counts,
        static_files,
        elapsed: started.elapsed(),
        warnings: loaded.site.warnings.clone(),
        external_hosts,
    })
}
