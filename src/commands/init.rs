//! `kring init`: a new site with working sample content.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use crate::error::{Error, Result};

static SKELETON: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/commands/init_site");

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to make the site (default: the current folder); must be empty or new
    pub dir: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    let dir = super::site_dir(&args.dir);
    init(&dir)?;
    println!("Made a new kring site in {}.", dir.display());
    println!(
        "Next: kring build {0}   (or: kring serve {0})",
        dir.display()
    );
    Ok(())
}

/// Writes the sample site into `dir`, which must be empty or not exist yet.
pub fn init(dir: &Path) -> Result<()> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        if entries.next().is_some() {
            return Err(Error::Usage(format!(
                "{} is not empty: kring init only writes into an empty or new folder",
                dir.display()
            )));
        }
    }
    let today = jiff::Zoned::now().date();
    let next_month = today
        .checked_add(jiff::Span::new().months(1))
        .unwrap_or(today);
    let title = dir
        .canonicalize()
        .ok()
        .or_else(|| Some(dir.to_path_buf()))
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|n| !n.is_empty() && n != ".")
        .unwrap_or_else(|| "My community".into());
    let mut stack: Vec<&Dir> = vec![&SKELETON];
    while let Some(d) = stack.pop() {
        stack.extend(d.dirs());
        for file in d.files() {
            let target = dir.join(file.path());
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            let text = String::from_utf8_lossy(file.contents())
                .replace("{{today}}", &today.to_string())
                .replace("{{next_month}}", &next_month.to_string())
                .replace("{{title}}", &title.replace('"', "'"));
            std::fs::write(&target, text).map_err(|e| Error::io(&target, e))?;
        }
    }
    Ok(())
}
