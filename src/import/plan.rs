//! The files of an import: every post and member given its place, its links between
//! imported posts made `@/` links, its body made Markdown, and its images named in its
//! bundle. Nothing is written here; `write` does that, all or nothing.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use lol_html::element;

use super::images::{self, Downloads};
use super::model::{Export, PostKind, path_key};
use super::place::{Layout, Place};
use super::report::Report;
use super::write::{MemberFront, Planned, PostExtra, PostFront, content_file};
use super::{Platform, clean, convert};

/// Whether `u` is an absolute web address (what a page may name as a remote image).
fn is_web(u: &str) -> bool {
    url::Url::parse(u).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
}

/// Every image address the import would fetch: bodies, covers, avatars.
pub(super) fn wanted_images(export: &Export) -> Vec<String> {
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
pub(super) fn plan(
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
            Some(Err(failure)) => {
                let list = if failure.refused {
                    &mut report.refused_images
                } else {
                    &mut report.failed_images
                };
                let who = format!("the avatar of member {:?}", author.name);
                list.push((who, a.clone(), failure.why.clone()));
                None
            }
            None => None,
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
    // A draft (not published, held back, scheduled, e-mail only) is not in the built site:
    // an `@/` link to it would stop the build.
    let (published, unpublished): (Vec<_>, Vec<_>) = export
        .posts
        .iter()
        .zip(&placed)
        .filter_map(|(post, (place, _))| Some((post, path_key(post.old_path.as_deref()?), place)))
        .partition(|(post, _, _)| !(post.draft || post.held_back()));
    let by_old_path: HashMap<String, String> = published
        .into_iter()
        .map(|(_, key, place)| (key, place.at_link()))
        .collect();
    // An old address that a published post also had stays that post's link.
    let unpublished: HashSet<String> = unpublished
        .into_iter()
        .map(|(_, key, _)| key)
        .filter(|key| !by_old_path.contains_key(key))
        .collect();
    let hosts = &export.old_hosts;
    // A link to a page of the old site that was not imported goes to the old site.
    let old_site = site_url
        .cloned()
        .or_else(|| url::Url::parse(&format!("https://{}/", hosts.first()?)).ok());
    // The path and fragment on the old site that `href` names, if it names one.
    let old_site_path = |href: &str| -> Option<OldPath> {
        Some(match url::Url::parse(href) {
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
        })
    };
    let imported_link = |href: &str| -> Option<String> {
        let (path, fragment) = old_site_path(href)?;
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
    let converter = convert::Converter::new();
    for (post, (place, images)) in export.posts.iter().zip(&placed) {
        let image = |src: &str| {
            images
                .iter()
                .find(|(u, _)| u == src)
                .map(|(_, n)| n.clone())
        };
        let html = unpublished_links(&post.html, &unpublished, old_site.as_ref(), &old_site_path)
            .map_or_else(
                || clean::relink(&post.html, &link, &image),
                |(html, named)| {
                    report.notes.push(format!(
                        "{}: links to {} not published on the new site (draft, paid or members-only, scheduled or e-mail only) {}",
                        place.file(),
                        named.into_iter().collect::<Vec<_>>().join(", "),
                        if old_site.is_some() {
                            "go to their old address"
                        } else {
                            "are plain text (no old site address: --site-url gives one)"
                        }
                    ));
                    clean::relink(&html, &link, &image)
                },
            );
        let mut body = converter.convert(&html);
        body.push_str(&post.replies);
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
        if post.date.is_none() && post.kind == PostKind::Article {
            report.notes.push(format!(
                "{}: the export gives it no date (add `date = …` to its front matter)",
                place.file()
            ));
        }
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
        let named = format!(
            "{} ({})",
            place.file().trim_start_matches("content/"),
            post.source
        );
        report.removed.extend(
            post.removed
                .iter()
                .map(|(kind, detail)| (named.clone(), *kind, detail.clone())),
        );
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

/// A path on the old site and the fragment after it (`/p/x`, `top`).
type OldPath = (String, Option<String>);

/// Links in `html` to posts of the export that are not published on the new site, made
/// absolute on the old site (`old_site`), or plain text when there is none; with the old
/// paths they named. `None` when there is no such link.
fn unpublished_links(
    html: &str,
    unpublished: &HashSet<String>,
    old_site: Option<&url::Url>,
    old_site_path: &dyn Fn(&str) -> Option<OldPath>,
) -> Option<(String, BTreeSet<String>)> {
    if unpublished.is_empty() {
        return None;
    }
    let named = RefCell::new(BTreeSet::new());
    let html = clean::rewrite(
        html,
        vec![element!("a[href]", |el| {
            let href = clean::html_text(&el.get_attribute("href").unwrap_or_default());
            let Some((path, fragment)) = old_site_path(&href) else {
                return Ok(());
            };
            let key = path_key(&path);
            if !unpublished.contains(&key) {
                return Ok(());
            }
            let old = old_site
                .and_then(|site| site.join(&path).ok())
                .map(|mut u| {
                    u.set_fragment(fragment.as_deref().filter(|f| !f.is_empty()));
                    u
                });
            match old {
                Some(old) => el.set_attribute("href", old.as_str())?,
                None => el.remove_and_keep_content(),
            }
            named.borrow_mut().insert(key);
            Ok(())
        })],
    );
    let named = named.into_inner();
    (!named.is_empty()).then_some((html, named))
}
