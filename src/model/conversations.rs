//! Pages and the conversations their `discuss` links lead to: which URLs a build asks
//! `discussions::gather` for, the conversations it found kept on every language's site,
//! and their avatars as images the site publishes itself.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Page, Site};
use crate::content::photo::{is_photo, upright_size};
use crate::discussions::{Conversation, Reply, cache};
use crate::vocabulary::Discuss;

/// Where avatars are published, under the site's root: named by a hash, so no page or
/// static file a person writes is likely to meet them.
pub const AVATARS: &str = "conversations/avatars/";

/// Every page's own `discuss` URL, in every language, once each. `[discussion] default`
/// is a place (a forum category), not a thread: it is not among them.
pub fn discuss_urls(sites: &[&Site]) -> Vec<String> {
    let urls: BTreeSet<&str> = sites
        .iter()
        .flat_map(|s| &s.pages)
        .filter_map(|p| match p.own_discuss() {
            Some(Discuss::At(url)) => Some(url.0.as_str()),
            _ => None,
        })
        .collect();
    urls.into_iter().map(String::from).collect()
}

/// Keeps `found` on every language's site, each avatar checked first: one that is not a
/// photo in `.kring-cache/discussions/avatars/` that reads is dropped (its reply shows an
/// initial instead), with a warning, so a cache file cannot publish another file of the
/// machine or fail the build.
pub fn attach(
    sites: &mut [&mut Site],
    site_dir: &Path,
    mut found: HashMap<String, Conversation>,
) -> Vec<String> {
    let folder = cache::folder(site_dir).join("avatars").canonicalize().ok();
    let mut warnings = Vec::new();
    let mut checked: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
    let mut check = |avatar: &mut Option<PathBuf>| {
        let Some(path) = avatar.take() else { return };
        *avatar = checked
            .entry(path.clone())
            .or_insert_with(|| {
                // Kept relative to the site (the cache moves with it), or absolute.
                let file = site_dir.join(&path).canonicalize().ok().filter(|p| {
                    // Directly in it: the file name alone names it on the site.
                    folder.as_deref().is_some_and(|f| p.parent() == Some(f))
                        && p.is_file()
                        && p.file_name()
                            .is_some_and(|n| is_photo(&n.to_string_lossy()))
                        && upright_size(p).is_ok()
                });
                if file.is_none() {
                    warnings.push(format!(
                        "the avatar {} of a cached conversation is not a photo in {}: an initial is shown instead",
                        path.display(),
                        cache::folder(site_dir).join("avatars").display()
                    ));
                }
                file
            })
            .clone();
    };
    for conversation in found.values_mut() {
        for reply in &mut conversation.replies {
            check(&mut reply.author.avatar);
            for child in &mut reply.children {
                check(&mut child.author.avatar);
            }
        }
    }
    let shared = Arc::new(found);
    for site in sites {
        site.conversations = shared.clone();
    }
    warnings
}

/// The output path of an avatar kept at `file`: `conversations/avatars/<hash>.<ext>`, by
/// its file name (avatars are kept side by side in one folder).
pub fn avatar_path(file: &Path) -> Option<String> {
    let name = file.file_name()?.to_string_lossy();
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    let hash = xxhash_rust::xxh3::xxh3_64(name.as_bytes());
    Some(format!("{AVATARS}{hash:016x}.{ext}"))
}

/// Every avatar of `site`'s conversations by output path, for the image pipeline.
pub fn avatar_sources(site: &Site) -> impl Iterator<Item = (String, PathBuf)> + '_ {
    fn all(r: &Reply) -> impl Iterator<Item = &Reply> {
        std::iter::once(r).chain(&r.children)
    }
    site.conversations
        .values()
        .flat_map(|c| c.replies.iter().flat_map(all))
        .filter_map(|r| r.author.avatar.as_deref())
        .filter_map(|file| avatar_path(file).map(|rel| (rel, file.to_path_buf())))
}

impl Site {
    /// The conversation page `index`'s own `discuss` link leads to, when it was found.
    pub fn conversation_of(&self, index: usize) -> Option<&Conversation> {
        self.conversation_at(&self.pages[index])
    }

    /// The conversation `page`'s own `discuss` link leads to, when it was found.
    pub fn conversation_at(&self, page: &Page) -> Option<&Conversation> {
        match page.own_discuss()? {
            Discuss::At(url) => self.conversations.get(url.0.as_str()),
            Discuss::Off => None,
        }
    }
}
