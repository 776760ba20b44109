//! Avatars, downloaded into `.kring-cache/discussions/avatars/` so the page shows them
//! from the site itself (through the image pipeline) and no reader's browser asks the
//! platform. Only images (by content type, and by a header `imagesize` reads) of at most
//! [`MOST_BYTES`] are kept; one file per avatar address, asked once.

use std::path::{Path, PathBuf};

use url::Url;

use super::fetch::Asker;
use crate::vocabulary::CACHE_DIR;

/// The most bytes of one avatar.
pub const MOST_BYTES: u64 = 1024 * 1024;
/// The most pixels of an avatar's side: a header claiming more is not an avatar.
const MOST_SIDE: usize = 4096;
const EXTENSIONS: &[&str] = &["png", "jpg", "gif", "webp"];

/// The folder avatars are kept in, relative to the site.
pub fn folder() -> PathBuf {
    Path::new(CACHE_DIR).join("discussions").join("avatars")
}

/// The avatar at `url` as a file relative to the site (downloaded unless it is there
/// already), or `None` when it may not or cannot be had: a page then shows no picture.
pub fn fetch(asker: &Asker, site_dir: &Path, url: &Url) -> Option<PathBuf> {
    if !asker.policy.allows_avatar(url) {
        return None;
    }
    let stem = format!(
        "{:016x}",
        xxhash_rust::xxh3::xxh3_64(url.as_str().as_bytes())
    );
    let kept = EXTENSIONS
        .iter()
        .map(|ext| folder().join(format!("{stem}.{ext}")))
        .find(|rel| site_dir.join(rel).is_file());
    if kept.is_some() {
        return kept;
    }
    let (bytes, content_type) = asker.get(url, MOST_BYTES, "image/*").ok()?;
    if !content_type.starts_with("image/") {
        return None;
    }
    let ext = match imagesize::image_type(&bytes).ok()? {
        imagesize::ImageType::Png => "png",
        imagesize::ImageType::Jpeg => "jpg",
        imagesize::ImageType::Gif => "gif",
        imagesize::ImageType::Webp => "webp",
        _ => return None,
    };
    let size = imagesize::blob_size(&bytes).ok()?;
    if size.width == 0 || size.height == 0 || size.width > MOST_SIDE || size.height > MOST_SIDE {
        return None;
    }
    let rel = folder().join(format!("{stem}.{ext}"));
    let dir = site_dir.join(folder());
    std::fs::create_dir_all(&dir).ok()?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).ok()?;
    std::io::Write::write_all(&mut tmp, &bytes).ok()?;
    tmp.persist(site_dir.join(&rel)).ok()?;
    Some(rel)
}
