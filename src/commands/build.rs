//! `kring build`

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::model::BuildOptions;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site folder (with kring.toml); the current folder when left out
    pub site: Option<PathBuf>,
    /// Where to write the site (default: public/ in the site)
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Include drafts and pages dated in the future
    #[arg(long)]
    pub drafts: bool,
    /// Use this base URL instead of the one in kring.toml (e.g. for a deploy preview)
    #[arg(long)]
    pub base_url: Option<String>,
}

pub fn run(args: Args) -> crate::Result<()> {
    crate::cleanup::on_signals_remove_folders();
    let site = super::site_dir(&args.site);
    let options = BuildOptions {
        drafts: args.drafts,
        base_url: args.base_url,
        now: None,
        cached_conversations: false,
    };
    if std::io::stderr().is_terminal() {
        eprintln!("Building {} …", site.display());
    }
    let report = crate::build(&site, &options, args.output.as_deref())?;
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    let c = report.counts;
    let n = |count: usize, one: &str, many: &str| {
        format!("{count} {}", if count == 1 { one } else { many })
    };
    println!(
        "Built {}, {}, {}, {}, {}, {}, {}, {} and {} in {:.2} s → {}",
        n(c.pages, "page", "pages"),
        n(c.sections, "section", "sections"),
        n(c.taxonomy_pages, "taxonomy page", "taxonomy pages"),
        n(c.feeds, "feed", "feeds"),
        n(c.calendars, "calendar", "calendars"),
        n(c.emails, "email edition", "email editions"),
        n(c.cards, "social card", "social cards"),
        n(c.photos, "photo size", "photo sizes"),
        n(report.counts.statics, "static file", "static files"),
        report.elapsed.as_secs_f64(),
        report.output.display()
    );
    if report.external_hosts.is_empty() {
        println!("Other hosts the pages load from: none");
    } else {
        println!("Other hosts the pages load from:");
        for (host, (page, _)) in &report.external_hosts {
            println!("  {host}  (first on /{page})");
        }
    }
    Ok(())
}
