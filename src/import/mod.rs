//! The importer: a writer's posts, pages and authors from the platform they leave
//! (Substack, Ghost, WordPress), as kring content, with their old addresses kept as aliases
//! (redirect pages and `_redirects`). `kring import` (src/commands/import.rs) is its command.
//!
//! The pipeline, one module a step: `read` — the platform's reader turns the export into `model::Export` (bodies
//! cleaned of the platform's furniture) — everything is read before anything is written,
//! so bad input stops the import with nothing changed; images are fetched when asked;
//! `place` gives every post and member its file; bodies become Markdown with links
//! between imported posts as `@/` links; `write` writes the files whole and records
//! their hashes, so importing again never overwrites an edit.
//!
//! Subscriber lists are never read, and no author's e-mail address is ever kept.

mod clean;
mod comments;
mod convert;
mod embeds;
mod images;
mod model;
mod place;
mod plan;
mod read;
mod report;
mod tally;
mod tree;
mod write;

use std::path::{Path, PathBuf};

use self::images::Downloads;
use self::place::Layout;
pub use self::report::Report;
pub use self::tally::Removal;
use self::write::{Manifest, Planned};
use crate::config::Config;
use crate::content::load;
use crate::error::{Error, Result};
use crate::vocabulary::Kind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Platform {
    Substack,
    Ghost,
    Wordpress,
}

impl Platform {
    fn name(self) -> &'static str {
        match self {
            Platform::Substack => "Substack",
            Platform::Ghost => "Ghost",
            Platform::Wordpress => "WordPress",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Platform::Substack => "substack",
            Platform::Ghost => "ghost",
            Platform::Wordpress => "wordpress",
        }
    }
}

/// What to import, and how: the command line's choices.
#[derive(Debug, Clone)]
pub struct Options {
    pub platform: Platform,
    /// Substack's .zip (or its unpacked folder), Ghost's .json, WordPress's .xml.
    pub export: PathBuf,
    /// The old site's address; Ghost's exports need it for images and links.
    pub site_url: Option<String>,
    /// Fetch the posts' images into the site.
    pub download_images: bool,
    /// With `download_images`: also fetch from this machine and private networks.
    pub allow_private_hosts: bool,
    /// Add each post's approved comments under it ("Earlier replies").
    pub comments: bool,
}

impl Options {
    /// `export` from `platform`, with nothing fetched and no old address given.
    pub fn new(platform: Platform, export: PathBuf) -> Options {
        Options {
            platform,
            export,
            site_url: None,
            download_images: false,
            allow_private_hosts: false,
            comments: false,
        }
    }
}

/// Imports `args.export` into the site at `site`.
pub fn import(args: &Options, site: &Path) -> Result<Report> {
    let site_url = match &args.site_url {
        Some(u) => Some(
            url::Url::parse(u)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| {
                    Error::Usage(format!("--site-url {u} is not a web address (https://…)"))
                })?,
        ),
        None => None,
    };
    if !args.export.exists() {
        return Err(Error::Usage(format!(
            "{} does not exist",
            args.export.display()
        )));
    }
    // 1. Read the whole export; nothing is written until this succeeds.
    let mut export = match args.platform {
        Platform::Substack => {
            read::substack::read(&args.export, site_url.as_ref().and_then(|u| u.host_str()))
        }
        Platform::Ghost => read::ghost::read(&args.export, site_url.as_ref()),
        Platform::Wordpress => read::wordpress::read(&args.export, site_url.as_ref()),
    }?;
    let new_site = !site.join("kring.toml").exists();
    if new_site
        && site.exists()
        && std::fs::read_dir(site)
            .map_err(|e| Error::io(site, e))?
            .next()
            .is_some()
    {
        return Err(Error::Usage(format!(
            "{} has files but no kring.toml: import into a kring site, or a new or empty folder",
            site.display()
        )));
    }
    let (articles, members, indexes) = if new_site {
        ("articles".to_string(), "members".to_string(), Vec::new())
    } else {
        sections(site)?
    };
    let manifest = Manifest::load(site)?;
    if args.comments {
        let language = if new_site {
            export.language.clone().unwrap_or_else(|| "en".into())
        } else {
            Config::load(site)?.language
        };
        add_replies(&mut export, &language);
    }

    // 2. Images, when asked for.
    let mut report = Report {
        platform: args.platform.name(),
        created_site: new_site,
        notes: export.notes.clone(),
        skipped: export.skipped.clone(),
        comments: export.comments,
        ..Report::default()
    };
    let wanted = plan::wanted_images(&export);
    let downloads: Downloads = if args.download_images {
        let policy = crate::http::guard::Policy {
            allow_private: args.allow_private_hosts,
            ..Default::default()
        };
        images::download(&wanted, &policy)
    } else {
        let mut hosts: Vec<String> = wanted
            .iter()
            .filter_map(|u| url::Url::parse(u).ok()?.host_str().map(str::to_string))
            .collect();
        hosts.sort();
        hosts.dedup();
        report.remote_hosts = hosts;
        Downloads::new()
    };

    // 3. Places, links, Markdown.
    let mut layout = Layout::new(site, &manifest, articles, members);
    if new_site {
        // The sections `init_bare` writes, before they are on disk.
        layout.reserve_sections(&["articles", "events", "members"]);
    }
    let (mut files, remove) = plan::plan(
        &export,
        site_url.as_ref(),
        &downloads,
        &mut layout,
        args.platform,
        &mut report,
    );
    files.extend(indexes);

    // 4. Write, all or nothing.
    let made_folder = !site.exists();
    let written = (|| {
        if new_site {
            crate::scaffold::init_bare(site, export.title.as_deref(), export.language.as_deref())?;
        }
        let mut manifest = Manifest::load(site)?;
        write::write_all(site, &mut manifest, files, remove, &mut report)
    })();
    if let Err(e) = written {
        if new_site {
            // The folder was new or empty: back to that.
            undo_new_site(site, made_folder);
        }
        return Err(e);
    }
    Ok(report)
}

/// Each post's approved comments as its "Earlier replies", counted for the report.
fn add_replies(export: &mut model::Export, language: &str) {
    for post in &mut export.posts {
        post.replies = comments::section(&post.comments, language);
        if !post.comments.is_empty() {
            export.comments.published += post.comments.len();
            export.comments.posts += 1;
        }
    }
}

/// Empties a folder that was empty before the import made a site in it (and removes it
/// when the import made it).
fn undo_new_site(site: &Path, made_folder: bool) {
    if made_folder {
        let _ = std::fs::remove_dir_all(site);
    } else if let Ok(entries) = std::fs::read_dir(site) {
        for entry in entries.flatten() {
            let path = entry.path();
            let _ = if path.is_dir() && !path.is_symlink() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
        }
    }
}

/// The articles and members sections of an existing site, and the section files to write
/// for those it has none of.
fn sections(site: &Path) -> Result<(String, String, Vec<Planned>)> {
    let config = Config::load(site)?;
    let content = load::load(site, &config.other_languages(), &config.language)?;
    let articles = crate::scaffold::section_of_kind(&content, Kind::Articles);
    let members = crate::scaffold::section_of_kind(&content, Kind::Members);
    let mut indexes = Vec::new();
    for (found, dir, kind, title) in [
        (&articles, "articles", "articles", "Articles"),
        (&members, "members", "members", "Members"),
    ] {
        if found.is_none() && !site.join("content").join(dir).join("_index.md").exists() {
            indexes.push(Planned {
                rel: format!("content/{dir}/_index.md"),
                bytes: format!("+++\ntitle = \"{title}\"\nkind = \"{kind}\"\n+++\n").into_bytes(),
            });
        }
    }
    Ok((
        articles.unwrap_or_else(|| "articles".into()),
        members.unwrap_or_else(|| "members".into()),
        indexes,
    ))
}
