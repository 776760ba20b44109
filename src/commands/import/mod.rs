//! `kring import substack|ghost|wordpress EXPORT [SITE]`: a writer's posts, pages and
//! authors from the platform they leave, as kring content, with their old addresses kept
//! as aliases (redirect pages and `_redirects`).
//!
//! The pipeline: the platform's reader turns the export into `model::Export` (bodies
//! cleaned of the platform's furniture) — everything is read before anything is written,
//! so bad input stops the import with nothing changed; images are fetched when asked;
//! `place` gives every post and member its file; bodies become Markdown with links
//! between imported posts as `@/` links; `write` writes the files whole and records
//! their hashes, so importing again never overwrites an edit.
//!
//! Subscriber lists are never read, and no author's e-mail address is ever kept.

mod clean;
mod ghost;
mod guard;
mod images;
mod markdown;
mod model;
mod place;
mod report;
mod substack;
mod tree;
mod wordpress;
mod wpautop;
mod write;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use self::images::Downloads;
use self::model::{Export, PostKind, path_key};
use self::place::{Layout, Place};
pub use self::report::Report;
use self::write::{Manifest, MemberFront, Planned, PostExtra, PostFront, content_file};
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
}

pub fn run(args: Args) -> Result<()> {
    let site = super::site_dir(&args.site);
    let report = import(&args, &site)?;
    print!("{report}");
    println!(
        "Next: kring check {0}   then: kring serve {0}",
        site.display()
    );
    Ok(())
}

/// Imports `args.export` into the site at `site`.
pub fn import(args: &Args, site: &Path) -> Result<Report> {
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
    let export = match args.platform {
        Platform::Substack => {
            substack::read(&args.export, site_url.as_ref().and_then(|u| u.host_str()))
        }
        Platform::Ghost => ghost::read(&args.export, site_url.as_ref()),
        Platform::Wordpress => wordpress::read(&args.export, site_url.as_ref()),
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

    // 2. Images, when asked for.
    let mut report = Report {
        platform: args.platform.name(),
        created_site: new_site,
        notes: export.notes.clone(),
        skipped: export.skipped.clone(),
        ..Report::default()
    };
    let wanted = wanted_images(&export);
    let downloads: Downloads = if args.download_images {
        let policy = guard::Policy {
            allow_private: args.allow_private_hosts,
            trusted: None,
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
    let (mut files, remove) = plan(
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
            super::init::init_bare(site, export.title.as_deref(), export.language.as_deref())?;
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
    let articles = super::new::section_of_kind(&content, Kind::Articles);
    let members = super::new::section_of_kind(&content, Kind::Members);
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

/// Whether `u` is an absolute web address (what a page may name as a remote image).
fn is_web(u: &str) -> bool {
    url::Url::parse(u).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
}

/// Every image address the import would fetch: bodies, covers, avatars.
fn wanted_images(export: &Export) -> Vec<String> {
    let mut urls: Vec<String> = Vec::new();
    let mut add = |u: String| {
        if (u.starts_with("https://") || u.starts_with("http://")) && !urls.contains(&u) {
            urls.push(u);
        }
    };
    for post in &export.posts {
        clean::image_urls(&post.html).into_iter().for_each(&mut add);
        if let Some((cover, _)) = &post.cover {
            add(cover.clone());
        }
    }
    for author in &export.authors {
        if let Some(avatar) = &author.avatar {
            add(avatar.clone());
        }
    }
    urls
}

/// A bundle's image files: address → file name, unique in the bundle.
fn bundle_images(urls: &[String], downloads: &Downloads) -> Vec<(String, String)> {
    let mut names: Vec<(String, String)> = Vec::new();
    for url in urls {
        let Some(Ok(fetched)) = downloads.get(url) else {
            continue;
        };
        if names.iter().any(|(u, _)| u == url) {
            continue;
        }
        let name = images::file_name(url, fetched.extension);
        let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
        let mut unique = name.clone();
        for n in 2.. {
            if !names.iter().any(|(_, taken)| *taken == unique) {
                break;
            }
            unique = format!("{stem}-{n}.{ext}");
        }
        names.push((url.clone(), unique));
    }
    names
}

/// The files of the import, and earlier flat files of posts that became bundles.
fn plan(
    export: &Export,
    site_url: Option<&url::Url>,
    downloads: &Downloads,
    layout: &mut Layout,
    platform: Platform,
    report: &mut Report,
) -> (Vec<Planned>, Vec<String>) {
    let mut files = Vec::new();
    let mut remove = Vec::new();
    let image_file = |bundle: &str, name: &str, url: &str, files: &mut Vec<Planned>| {
        if let Some(Ok(fetched)) = downloads.get(url) {
            files.push(Planned {
                rel: format!("{bundle}/{name}"),
                bytes: fetched.bytes.as_ref().clone(),
            });
        }
    };

    // Members first: posts name them.
    let mut member_ids: HashMap<String, String> = HashMap::new();
    let members_dir = layout.members.clone();
    for author in &export.authors {
        let slug = if author.slug.is_empty() {
            slug::slugify(&author.name)
        } else {
            author.slug.clone()
        };
        let avatar = author.avatar.as_ref().and_then(|a| match downloads.get(a) {
            Some(Ok(f)) => Some((a.clone(), format!("avatar.{}", f.extension))),
            _ => None,
        });
        let place = layout.place(&members_dir, &slug, avatar.is_some());
        if !place.bundle
            && place.other_form() != place.file()
            && layout
                .manifest
                .is_untouched(layout.site, &place.other_form())
        {
            remove.push(place.other_form());
        }
        let mut links = BTreeMap::new();
        if let Some(site) = author.website.as_ref().filter(|w| w.starts_with("http")) {
            links.insert("website".to_string(), site.clone());
        }
        let front = MemberFront {
            name: if author.name.is_empty() {
                slug.clone()
            } else {
                author.name.clone()
            },
            location: author.location.clone(),
            avatar: avatar
                .as_ref()
                .filter(|_| place.bundle)
                .map(|(_, n)| n.clone())
                .or_else(|| author.avatar.clone().filter(|a| !place.bundle && is_web(a))),
            links,
        };
        let bio = author
            .bio
            .clone()
            .map(|b| format!("{b}\n"))
            .unwrap_or_default();
        files.push(Planned {
            rel: place.file(),
            bytes: content_file(None, &front, &bio),
        });
        if let (Some((url, name)), true) = (&avatar, place.bundle) {
            image_file(&place.bundle_dir(), name, url, &mut files);
            report.images_downloaded += 1;
        }
        member_ids.insert(author.key.clone(), place.name.clone());
        report.members += 1;
    }

    // Posts: places first, so links between them can be resolved.
    let articles_dir = layout.articles.clone();
    let mut placed: Vec<(Place, Vec<(String, String)>)> = Vec::new();
    for post in &export.posts {
        let mut urls = clean::image_urls(&post.html);
        urls.extend(post.cover.as_ref().map(|(u, _)| u.clone()));
        let images = bundle_images(&urls, downloads);
        for url in &urls {
            if let Some(Err(failure)) = downloads.get(url) {
                let list = if failure.refused {
                    &mut report.refused_images
                } else {
                    &mut report.failed_images
                };
                list.push((post.source.clone(), url.clone(), failure.why.clone()));
            }
        }
        let dir = if post.kind == PostKind::Article {
            articles_dir.as_str()
        } else {
            ""
        };
        let place = layout.place(dir, &post.slug, !images.is_empty());
        if place.bundle
            && layout
                .manifest
                .is_untouched(layout.site, &place.other_form())
        {
            remove.push(place.other_form());
        }
        placed.push((place, images));
    }
    let new_paths: HashSet<String> = placed.iter().map(|(p, _)| p.output_path()).collect();
    let by_old_path: HashMap<String, String> = export
        .posts
        .iter()
        .zip(&placed)
        // A draft is not in the built site: links to it keep their old address.
        .filter(|(post, _)| !(post.draft || post.held_back()))
        .filter_map(|(post, (place, _))| {
            Some((path_key(post.old_path.as_deref()?), place.at_link()))
        })
        .collect();
    let hosts = &export.old_hosts;
    // A link to a page of the old site that was not imported goes to the old site.
    let old_site = site_url
        .cloned()
        .or_else(|| url::Url::parse(&format!("https://{}/", hosts.first()?)).ok());
    let imported_link = |href: &str| -> Option<String> {
        let (path, fragment) = match url::Url::parse(href) {
            Ok(url) => {
                let host = url.host_str()?;
                if !hosts.iter().any(|h| h == host) {
                    return None;
                }
                (url.path().to_string(), url.fragment().map(str::to_string))
            }
            Err(_) if href.starts_with('/') && !href.starts_with("//") => {
                let (path, fragment) = href
                    .split_once('#')
                    .map_or((href, None), |(p, f)| (p, Some(f.to_string())));
                (path.to_string(), fragment)
            }
            Err(_) => return None,
        };
        let target = by_old_path.get(&path_key(&path))?;
        Some(match fragment {
            Some(f) if !f.is_empty() => format!("{target}#{f}"),
            _ => target.clone(),
        })
    };

    let link = |href: &str| -> Option<String> {
        let imported = imported_link(href);
        if imported.is_none() && href.starts_with('/') && !href.starts_with("//") {
            return old_site
                .as_ref()
                .and_then(|base| base.join(href).ok())
                .map(String::from);
        }
        imported
    };
    let converter = markdown::Converter::new();
    for (post, (place, images)) in export.posts.iter().zip(&placed) {
        let image = |src: &str| {
            images
                .iter()
                .find(|(u, _)| u == src)
                .map(|(_, n)| n.clone())
        };
        let html = clean::relink(&post.html, &link, &image);
        let body = converter.convert(&html);
        let mut aliases = Vec::new();
        if let Some(old) = &post.old_path {
            match layout.alias(old, place, &new_paths) {
                Ok(Some(alias)) => aliases.push(alias),
                Ok(None) => {}
                Err(why) => report
                    .notes
                    .push(format!("{}: {why}; not redirected", place.file())),
            }
        }
        report.aliases += aliases.len();
        let held_back = post.held_back();
        let front = PostFront {
            title: post.title.clone(),
            description: post.description.clone(),
            date: post.date,
            draft: post.draft || held_back,
            newsletter: post.newsletter,
            tags: post.tags.clone(),
            authors: post
                .authors
                .iter()
                .map(|a| member_ids.get(a).cloned().unwrap_or_else(|| a.clone()))
                .collect(),
            // A cover kept remote must be a web address: anything else would be read
            // as a file beside the page, which is not there.
            image: post
                .cover
                .as_ref()
                .and_then(|(u, _)| image(u).or_else(|| is_web(u).then(|| u.clone()))),
            aliases,
            extra: PostExtra {
                audience: post.audience.note(),
                email_only: post.email_only,
                image_alt: post
                    .cover
                    .as_ref()
                    .map(|(_, alt)| alt.clone())
                    .filter(|a| !a.is_empty()),
                imported_from: platform.key(),
            },
        };
        let comment = if post.email_only {
            Some(format!(
                "Sent by email only on {}: kept as a draft. Remove `draft = true` to publish it on the web.",
                platform.name()
            ))
        } else {
            post.audience.note().map(|audience| format!(
                "Readable by {audience} only on {}: kept as a draft. Remove `draft = true` only if it may be read by everyone.",
                platform.name()
            ))
        };
        files.push(Planned {
            rel: place.file(),
            bytes: content_file(comment.as_deref(), &front, &body),
        });
        for (url, name) in images {
            image_file(&place.bundle_dir(), name, url, &mut files);
            report.images_downloaded += 1;
        }
        report.embeds_converted += post.embeds;
        match post.kind {
            PostKind::Page => report.pages += 1,
            PostKind::Article => report.articles += 1,
        }
        report.newsletter_issues += usize::from(post.newsletter);
        report.drafts += usize::from(post.draft || held_back);
        report.held_back += usize::from(held_back);
    }
    (files, remove)
}
