//! `kring check`: everything a build validates, plus every internal link and `#anchor` in
//! the rendered site, without touching the output folder.

pub mod external;
pub mod links;

use std::path::PathBuf;

use crate::model::BuildOptions;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site folder (with kring.toml); the current folder when left out
    pub site: Option<PathBuf>,
    /// Also check drafts
    #[arg(long)]
    pub drafts: bool,
    /// Fail when a page loads anything from a host kring.toml does not allow
    #[arg(long)]
    pub privacy: bool,
    /// Also ask every linked site whether the page is still there (broken links fail the
    /// check; timeouts and busy hosts are warnings); answers are cached for a day
    #[arg(long)]
    pub external: bool,
}

pub fn run(args: Args) -> crate::Result<()> {
    crate::cleanup::on_signals_remove_folders();
    let site = super::site_dir(&args.site);
    let options = BuildOptions {
        drafts: args.drafts,
        base_url: None,
        now: None,
        cached_conversations: false,
    };
    let report = links::check_site(&site, &options, args.privacy)?;
    // Every HTML file counts here — lists, term pages and 404 too — so the number is
    // larger than the build's count of content pages; the wording says which it is.
    println!(
        "Checked {} HTML files (content pages, lists and generated pages) and {} internal links: no problems found.",
        report.pages, report.links
    );
    if args.privacy {
        println!(
            "Privacy: no page or stylesheet loads anything from a host that kring.toml does not allow."
        );
        // The editor's page loads nothing from elsewhere either; using it on the web does.
        if let Some(backend) = crate::cms::backend::git_backend(&site) {
            println!(
                "Privacy: /admin/ (the content editor) loads nothing from another host; when someone signs in to edit, it talks to {} (its {} backend) to read and commit content. Visitors of the site never load it.",
                backend
                    .host
                    .as_deref()
                    .unwrap_or("the host in static/admin/config.yml"),
                backend.name
            );
        }
    }
    if args.external {
        let config = &report.check;
        let found = external::check_external(&site, config, &report.external);
        for warning in &found.unsure {
            eprintln!("warning: {warning}");
        }
        for host in &found.hosts_given_up {
            eprintln!("warning: {host}");
        }
        println!(
            "External: {} links to other sites ({} answered well within the last {} hours and were not asked again, {} on hosts in [check] skip_hosts): {} broken, {} warnings.",
            found.links,
            found.cached,
            config.cache_hours,
            found.skipped,
            found.broken.len(),
            found.warnings()
        );
        let mut problems = crate::error::Problems::default();
        problems.extend(found.broken);
        problems.into_result()?;
    }
    Ok(())
}
