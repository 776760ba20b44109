//! `kring import substack|ghost|wordpress EXPORT [SITE]`: the importer (`crate::import`)
//! on the command line.

use std::path::PathBuf;

use crate::error::Result;
use crate::import::{self, Options, Platform};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the posts come from
    #[arg(value_enum)]
    pub platform: Platform,
    /// The export: Substack's .zip (or its unpacked folder), Ghost's .json, WordPress's .xml
    pub export: PathBuf,
    /// The kring site to import into (default: the current folder); made if it does not exist
    pub site: Option<PathBuf>,
    /// The old site's address (https://…): Ghost's exports need it for images and links
    #[arg(long)]
    pub site_url: Option<String>,
    /// Fetch the posts' images into the site (otherwise they stay on the old platform's servers)
    #[arg(long)]
    pub download_images: bool,
    /// With --download-images: also fetch from this machine and private networks
    /// (127.0.0.1, 10.x, 192.168.x, 169.254.x, …), which are refused otherwise
    #[arg(long)]
    pub allow_private_hosts: bool,
    /// Add each post's approved comments under it as "Earlier replies" (display name, date
    /// and text; never an e-mail address, IP or web address). Without it, comments are
    /// counted, not published: they are their writers' personal data
    #[arg(long)]
    pub comments: bool,
}

pub fn run(args: Args) -> Result<()> {
    let site = super::site_dir(&args.site);
    let options = Options {
        platform: args.platform,
        export: args.export,
        site_url: args.site_url,
        download_images: args.download_images,
        allow_private_hosts: args.allow_private_hosts,
        comments: args.comments,
    };
    let report = import::import(&options, &site)?;
    print!("{report}");
    println!(
        "Next: kring check {0}   then: kring serve {0}",
        site.display()
    );
    Ok(())
}
