//! The pipeline, in order: config → content → model → templates → outputs → swap into place.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::load;
use crate::error::{Error, Result};
use crate::model::{BuildOptions, Site};
use crate::output::pages::{Counts, Renderer};
use crate::output::write::{Staging, check_output_dir};
use crate::output::{calendar, feeds, sitemap};
use crate::render::context::page_summary;
use crate::render::templates;
use crate::render::theme::{StaticSource, Theme, files_under};

/// What a build did, for the summary line.
#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub counts: Counts,
    pub static_files: usize,
    pub elapsed: Duration,
    pub warnings: Vec<String>,
}

/// A site read and understood, ready to render.
pub struct Loaded {
    pub site: Site,
    pub theme: Theme,
}

/// Reads and checks everything; writes nothing.
pub fn load_site(site_dir: &Path, options: &BuildOptions) -> Result<Loaded> {
    let config = Config::load(site_dir)?;
    let theme = Theme::load(site_dir, &config.theme)?;
    let content = load::load(site_dir)?;
    let site = Site::assemble(site_dir, config, content, options)?;
    Ok(Loaded { site, theme })
}

/// Renders the whole site into `staging`.
pub fn render_site(loaded: &Loaded, staging: &Staging) -> Result<(Counts, usize)> {
    let site = &loaded.site;
    let summaries: Arc<Vec<serde_json::Value>> = Arc::new(
        (0..site.pages.len())
            .into_par_iter()
            .map(|i| page_summary(site, i))
            .collect(),
    );
    let lookup = Arc::new(templates::lookup(site, summaries.clone()));
    let templates = templates::load(&loaded.theme, site, lookup)?;
    let renderer = Renderer::new(site, &templates, summaries);

    let pages = renderer.write_pages(staging)?;
    let sections = renderer.write_sections(staging)?;
    let taxonomy_pages = renderer.write_taxonomies(staging)?;
    renderer.write_404(staging)?;
    let strings = templates::Strings::new(&loaded.theme, &site.config.language);
    let feeds = feeds::write_feeds(site, &strings, staging)?;
    let calendars = calendar::write_calendars(site, staging)?;
    staging.write("sitemap.xml", sitemap::sitemap(site).as_bytes())?;
    staging.write("robots.txt", sitemap::robots(site).as_bytes())?;
    let static_files = copy_static(site, &loaded.theme, staging)?;
    Ok((
        Counts {
            pages,
            sections,
            taxonomy_pages,
            feeds,
            calendars,
        },
        static_files,
    ))
}

/// The theme's static files, then the site's `static/` over them.
fn copy_static(site: &Site, theme: &Theme, staging: &Staging) -> Result<usize> {
    let mut n = 0;
    for (rel, source) in &theme.static_files {
        match source {
            StaticSource::Disk(path) => staging.copy(path, rel)?,
            StaticSource::Embedded(bytes) => staging.write(rel, bytes)?,
        }
        n += 1;
    }
    let site_static = files_under(&site.root.join("static"));
    let results: Vec<Result<()>> = site_static
        .par_iter()
        .map(|(rel, path)| staging.copy(path, rel))
        .collect();
    for r in results {
        r?;
    }
    Ok(n + site_static.len())
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
    let (counts, static_files) = render_site(&loaded, &staging)?;
    staging.commit()?;
    Ok(BuildReport {
        output,
        counts,
        static_files,
        elapsed: started.elapsed(),
        warnings: loaded.site.warnings.clone(),
    })
}
