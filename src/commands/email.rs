//! `kring email PAGE`: the email edition of one article, written as two files a creator can
//! paste or upload into any mail tool.

use std::path::{Path, PathBuf};

use crate::build::{Rendering, load_site};
use crate::error::{Error, Result};
use crate::model::{BuildOptions, Details};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The article's Markdown file, e.g. example-site/content/articles/welcome.md
    pub page: PathBuf,
    /// Where to write SLUG.email.html and SLUG.email.txt (default: the current folder)
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    crate::cleanup::on_signals_remove_folders();
    let out = args.output.clone().unwrap_or_else(|| PathBuf::from("."));
    let (html, text) = email(&args.page, &out)?;
    println!("Wrote {} and {}", html.display(), text.display());
    Ok(())
}

/// The site folder a content file belongs to: the nearest folder above it with kring.toml.
fn site_of(page: &Path) -> Option<(PathBuf, String)> {
    let page = page.canonicalize().ok()?;
    let mut dir = page.parent();
    while let Some(d) = dir {
        if d.join(crate::config::CONFIG_FILE).is_file() {
            let rel = page.strip_prefix(d.join("content")).ok()?;
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            return Some((d.to_path_buf(), rel));
        }
        dir = d.parent();
    }
    None
}

/// Writes the edition of `page` into `out`; returns the two paths.
pub fn email(page: &Path, out: &Path) -> Result<(PathBuf, PathBuf)> {
    let (site_dir, rel) = site_of(page).ok_or_else(|| {
        Error::Usage(format!(
            "{} is not a content file of a kring site (no kring.toml above its content/ folder)",
            page.display()
        ))
    })?;
    // Drafts too: the edition is often made before the article is published.
    let options = BuildOptions {
        drafts: true,
        ..BuildOptions::default()
    };
    let loaded = load_site(&site_dir, &options)?;
    let site = &loaded.site;
    let index = site
        .pages
        .iter()
        .position(|p| p.file.rel == rel)
        .ok_or_else(|| Error::Usage(format!("{} is not a page kring builds", page.display())))?;
    if !matches!(&site.pages[index].details, Details::Article(_)) {
        return Err(Error::Usage(format!(
            "{} is not an article: email editions are made from articles",
            page.display()
        )));
    }
    let rendering = Rendering::new(&loaded)?;
    let edition = rendering.renderer(site).render_email(index)?;
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let slug = &site.pages[index].slug;
    let html = out.join(format!("{slug}.email.html"));
    let text = out.join(format!("{slug}.email.txt"));
    std::fs::write(&html, edition.html).map_err(|e| Error::io(&html, e))?;
    std::fs::write(&text, edition.text).map_err(|e| Error::io(&text, e))?;
    Ok((html, text))
}
