//! `kring check`: everything a build validates, plus every internal link and `#anchor` in
//! the rendered site, without touching the output folder.

use std::path::PathBuf;

use crate::model::BuildOptions;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site folder (with kring.toml)
    pub site: Option<PathBuf>,
    /// Also check drafts
    #[arg(long)]
    pub drafts: bool,
    /// Fail when a page loads anything from a host kring.toml does not allow
    #[arg(long)]
    pub privacy: bool,
}

pub fn run(args: Args) -> crate::Result<()> {
    crate::cleanup::on_signals_remove_folders();
    let site = super::site_dir(&args.site);
    let options = BuildOptions {
        drafts: args.drafts,
        base_url: None,
        now: None,
    };
    let report = crate::output::links::check_site(&site, &options, args.privacy)?;
    println!(
        "{} pages and {} links checked: no problems found.",
        report.pages, report.links
    );
    Ok(())
}
