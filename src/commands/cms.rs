//! `kring cms`: the content editor in `static/admin/` (see [`crate::cms`]).

use std::path::{Path, PathBuf};

use crate::cms::{self, vendor};
use crate::error::Result;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site (default: the current folder)
    pub site: Option<PathBuf>,
    /// Download Decap CMS again even when static/admin/ has it
    #[arg(long)]
    pub refresh: bool,
}

/// The npm registry Decap is downloaded from: `KRING_NPM_REGISTRY` for a mirror (and the
/// tests' server on 127.0.0.1). The download is checked against the pinned integrity
/// whatever the registry.
pub fn registry() -> String {
    std::env::var("KRING_NPM_REGISTRY").unwrap_or_else(|_| vendor::DEFAULT_REGISTRY.into())
}

pub fn run(args: Args) -> Result<()> {
    let site = super::site_dir(&args.site);
    write(&site, args.refresh)
}

/// Writes the editor into `site` and says what it did.
pub fn write(site: &Path, refresh: bool) -> Result<()> {
    let written = cms::write_admin(site, &registry(), refresh)?;
    if written.vendored {
        println!(
            "Vendored Decap CMS {} into {} (checked against its npm integrity).",
            vendor::DECAP.version,
            cms::ADMIN_DIR
        );
    }
    println!(
        "Wrote the content editor's config: {}/config.yml (run `kring cms` again after changing kring.toml or the sections).",
        cms::ADMIN_DIR
    );
    println!(
        "Edit locally: `kring serve {}` and open /admin/. On the web: see docs/cms.md.",
        site.display()
    );
    Ok(())
}
