//! The pipeline, in order: load (config → content → model, every output path checked) →
//! rendering state (list views, lookups, templates) → the plan of every output → run it
//! into a staging folder → commit that (in place, or swapped whole: see `output::staging`).

mod load;
mod run;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use load::{Loaded, Phases, image_sources, load_site, static_files};
pub use run::{Rendering, run};

use crate::error::{Error, Result};
use crate::model::BuildOptions;
use crate::output::manifest::Manifest;
use crate::output::pages::Counts;
use crate::output::privacy::Watching;
use crate::output::write::{Sink, Staging, check_output_dir};
use crate::render::community::host_of;

/// What a build did, for the summary line.
#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub counts: Counts,
    pub elapsed: Duration,
    pub warnings: Vec<String>,
    /// Other hosts the pages load from, each with the first page and URL: empty unless the
    /// site's config or content asks for one.
    pub external_hosts: BTreeMap<String, (String, String)>,
}

/// Renders the whole site into `out`.
pub fn render_site(loaded: &Loaded, out: &dyn Sink) -> Result<Counts> {
    let renderings = loaded.renderings()?;
    run(loaded, &renderings, &loaded.full_plan(&renderings), out)
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
    // Config, content and the model of every language; every output path checked.
    let loaded = load_site(site_dir, options)?;
    let wanted = match output {
        Some(o) => o.to_path_buf(),
        None => site_dir.join(&loaded.site.config.output_dir),
    };
    let output = check_output_dir(site_dir, &wanted)?;
    // Early, as it also removes what killed builds left behind.
    let cache = site_dir.join(crate::vocabulary::CACHE_DIR);
    let staging = Staging::new(&output)?.keeping_manifest(Manifest::path_for(&cache, &output));
    // List views, template lookups and Tera, per language.
    let renderings = loaded.renderings()?;
    let plan = loaded.full_plan(&renderings);
    let site_host = host_of(loaded.site.config.base_url.as_str()).unwrap_or_default();
    let memory = cache.join("privacy");
    let watching = Watching::new(&staging, site_host).remembering(memory);
    let counts = run(&loaded, &renderings, &plan, &watching)?;
    watching.remember();
    let external_hosts = watching.hosts();
    let mut phases = Phases::start();
    staging.commit()?;
    loaded.images.prune();
    phases.done("committed: changed files in place, stale ones removed");
    let mut warnings = loaded.site.warnings.clone();
    warnings.extend(loaded.images.take_warnings());
    Ok(BuildReport {
        output,
        counts,
        elapsed: started.elapsed(),
        warnings,
        external_hosts,
    })
}
