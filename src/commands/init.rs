//! `kring init`: a new site with working sample content.

use std::path::PathBuf;

use crate::error::Result;
use crate::scaffold::init;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to make the site (default: the current folder); must be empty or new
    pub dir: Option<PathBuf>,
    /// Also write the files that build and publish it on this platform (as `kring ci`)
    #[arg(long, value_enum)]
    pub ci: Option<super::ci::Platform>,
    /// Also write the content editor into static/admin/ (as `kring cms`)
    #[arg(long)]
    pub cms: bool,
}

pub fn run(args: Args) -> Result<()> {
    let dir = super::site_dir(&args.dir);
    init(&dir)?;
    println!("Made a new kring site in {}.", dir.display());
    if let Some(platform) = args.ci {
        let written = super::ci::write(&dir, platform, false)?;
        super::ci::report(&written, platform);
    }
    if args.cms {
        super::cms::write(&dir, false)?;
    }
    println!(
        "Next: kring build {0}   (or: kring serve {0})",
        dir.display()
    );
    Ok(())
}
