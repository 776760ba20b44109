//! `kring serve`

use std::net::IpAddr;
use std::path::PathBuf;

use crate::serve::{DEFAULT_PORT, ServeOptions};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site folder (with kring.toml); the current folder when left out
    pub site: Option<PathBuf>,
    /// Port to listen on (the next free one is used if it is taken)
    #[arg(short, long, default_value_t = DEFAULT_PORT)]
    pub port: u16,
    /// Address to listen on; anything but 127.0.0.1 or ::1 shows the site to your network
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Include drafts and pages dated in the future
    #[arg(long)]
    pub drafts: bool,
    /// Open the site in your browser
    #[arg(long)]
    pub open: bool,
}

pub fn run(args: Args) -> crate::Result<()> {
    let mut options = ServeOptions::new(super::site_dir(&args.site));
    options.port = args.port;
    options.bind = args.bind;
    options.drafts = args.drafts;
    options.verbose = true;
    crate::serve::run(&options, args.open)
}
