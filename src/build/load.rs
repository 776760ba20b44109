//! Reading a site: config, theme, content, and the model of every language, checked; and
//! how the build reports its progress.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::run::Rendering;
use crate::config::Config;
use crate::content::load;
use crate::content::photo::{is_passthrough, is_photo};
use crate::error::Result;
use crate::model::{BuildOptions, Site};
use crate::output::images::ImageCache;
use crate::output::pages::Expanded;
use crate::output::plan::Plan;
use crate::render::photos::PhotoShelf;
use crate::render::theme::{StaticSource, Theme, files_in_site};

/// A site read and understood, ready to render.
pub struct Loaded {
    /// The site in its default language.
    pub site: Site,
    pub theme: Theme,
    /// The same site in each of its other languages (`[languages]`), under `/LANG/`.
    pub others: Vec<Site>,
    /// The static files by output path (see [`static_files`]), found once for the check of
    /// output paths and the copy.
    pub statics: Vec<(String, StaticSource)>,
    /// Photos as published, cached in the site's `.kring-cache/images/`.
    pub images: ImageCache,
    /// The images pages show, and the sizes they ask for.
    pub photos: Arc<PhotoShelf>,
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

    /// The plan of a whole build: every output of every language.
    pub fn full_plan(&self, renderings: &[Rendering]) -> Plan {
        let renderers: Vec<_> = self
            .sites()
            .into_iter()
            .zip(renderings)
            .map(|(site, r)| r.renderer(site))
            .collect();
        Plan::full(&renderers, self.statics.iter().map(|(rel, _)| rel.clone()))
    }

    /// Rendering state for every language, in the order of [`sites`](Self::sites).
    /// Renders the content blocks of language `lang`'s bodies with the theme (all of them,
    /// or only page `only`), now that the whole site is known; each body takes its blocks'
    /// HTML in place of their placeholders. `rendering` is used when given (the dev
    /// server's), otherwise one is made when some body has blocks.
    pub fn expand_blocks(&mut self, lang: usize, only: Option<(usize, &Rendering)>) -> Result<()> {
        let site = self.sites()[lang];
        let made;
        let (rendering, pages): (&Rendering, Vec<usize>) = match only {
            Some((index, rendering)) => (rendering, vec![index]),
            None => {
                let pages: Vec<usize> = (0..site.pages.len())
                    .filter(|&i| !site.pages[i].content.blocks.is_empty())
                    .collect();
                if pages.is_empty() && site.sections.iter().all(|s| s.content.blocks.is_empty()) {
                    return Ok(());
                }
                made = Rendering::for_site(site, &self.theme, self.photos.clone())?;
                (&made, pages)
            }
        };
        let renderer = rendering.renderer(site);
        let mut problems = crate::error::Problems::default();
        let mut expanded_pages = Vec::new();
        for i in pages {
            match renderer.expand_page(i) {
                Ok(Some(e)) => expanded_pages.push((i, e)),
                Ok(None) => {}
                Err(e) => problems.extend(e.diagnostics()),
            }
        }
        let mut expanded_sections = Vec::new();
        if only.is_none() {
            for i in 0..site.sections.len() {
                match renderer.expand_section(i) {
                    Ok(Some(e)) => expanded_sections.push((i, e)),
                    Ok(None) => {}
                    Err(e) => problems.extend(e.diagnostics()),
                }
            }
        }
        problems.into_result()?;
        let site = self.site_mut(lang);
        let take = |content: &mut crate::content::markdown::Rendered, e: Expanded| {
            let html = std::mem::replace(&mut content.html, e.html);
            let summary = std::mem::replace(&mut content.summary, e.summary);
            content.unexpanded.get_or_insert((html, summary));
            content.faq = e.faq;
        };
        for (i, e) in expanded_pages {
            take(&mut site.pages[i].content, e);
        }
        for (i, e) in expanded_sections {
            take(&mut site.sections[i].content, e);
        }
        Ok(())
    }

    pub fn renderings(&self) -> Result<Vec<Rendering>> {
        self.sites()
            .into_iter()
            .map(|site| Rendering::for_site(site, &self.theme, self.photos.clone()))
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
    gather_conversations(site_dir, &options, &mut site, &mut others);
    let (statics, warnings) = static_files(&site, &theme);
    site.warnings.extend(warnings);
    let shown: Vec<(String, String)> = statics
        .iter()
        .map(|(rel, source)| {
            let shown = match source {
                StaticSource::Disk(path) => path
                    .strip_prefix(site_dir)
                    .unwrap_or(path)
                    .display()
                    .to_string(),
                StaticSource::Embedded(_) => format!("{rel} of the built-in theme"),
            };
            (rel.clone(), shown)
        })
        .collect();
    let sites: Vec<&Site> = std::iter::once(&site).chain(&others).collect();
    crate::model::routes::check(&sites, &shown)?;
    phases.done("model assembled (Markdown, taxonomies, schedule)");
    let photos = PhotoShelf::new(
        site.config.root_url().as_str(),
        image_sources(&sites, &statics),
    );
    let mut loaded = Loaded {
        site,
        theme,
        others,
        statics,
        images: ImageCache::new(Some(ImageCache::folder(site_dir))),
        photos: Arc::new(photos),
    };
    for lang in 0..=loaded.others.len() {
        loaded.expand_blocks(lang, None)?;
    }
    phases.done("content blocks rendered");
    Ok(loaded)
}

/// The conversations of every language's pages, asked for once, before anything renders.
/// `cached_conversations` (the dev server, the editor) reads the cache only: a page never
/// waits on another host there.
fn gather_conversations(dir: &Path, options: &BuildOptions, site: &mut Site, others: &mut [Site]) {
    let sites: Vec<&Site> = std::iter::once(&*site).chain(others.iter()).collect();
    let urls = crate::model::conversations::discuss_urls(&sites);
    if urls.is_empty() {
        return;
    }
    let mut config = site.config.discussion.clone();
    config.offline |= options.cached_conversations;
    let gathered = crate::discussions::gather(dir, &config, &urls);
    let mut all: Vec<&mut Site> = std::iter::once(&mut *site).chain(others).collect();
    let bad_avatars = crate::model::conversations::attach(&mut all, dir, gathered.conversations);
    site.warnings
        .extend(gathered.warnings.into_iter().chain(bad_avatars));
}

/// Every image a build publishes by output path: page and section bundles' (under their
/// language's prefix) and `static/`'s, photos, GIF and SVG files, and the avatars of the
/// conversations pages show.
pub fn image_sources(
    sites: &[&Site],
    statics: &[(String, StaticSource)],
) -> HashMap<String, PathBuf> {
    let image = |name: &str| is_photo(name) || is_passthrough(name);
    let mut sources = HashMap::new();
    for site in sites {
        let prefix = site.config.language_prefix();
        for page in &site.pages {
            for (from, name) in page.assets.iter().filter(|(_, n)| image(n)) {
                sources.insert(format!("{prefix}{}{name}", page.path), from.clone());
            }
        }
        for section in &site.sections {
            for from in &section.assets {
                let name = from
                    .file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default();
                if image(&name) {
                    sources.insert(format!("{prefix}{}{name}", section.path), from.clone());
                }
            }
        }
    }
    for (rel, source) in statics {
        if let (StaticSource::Disk(path), true) = (source, image(rel)) {
            sources.insert(rel.clone(), path.clone());
        }
    }
    if let Some(site) = sites.first() {
        sources.extend(crate::model::conversations::avatar_sources(site));
    }
    sources
}

/// The static files of a build by output path: the theme's, with the site's `static/`
/// taking the place of a theme file of the same name; and warnings for the symbolic links
/// in `static/` that were not followed (see [`files_in_site`]).
pub fn static_files(site: &Site, theme: &Theme) -> (Vec<(String, StaticSource)>, Vec<String>) {
    let mut files: std::collections::BTreeMap<String, StaticSource> =
        theme.static_files.iter().cloned().collect();
    let (found, warnings) = files_in_site(&site.root.join("static"), &site.root, "static");
    for (rel, path) in found {
        files.insert(rel, StaticSource::Disk(path));
    }
    (files.into_iter().collect(), warnings)
}
