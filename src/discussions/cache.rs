//! `.kring-cache/discussions/`: one JSON file per conversation, named by a hash of its
//! `discuss` URL, written beside and renamed so a killed build never leaves half a file.

use std::path::{Path, PathBuf};

use super::Conversation;
use crate::vocabulary::CACHE_DIR;

/// The folder conversations are kept in, for the site in `site_dir`.
pub fn folder(site_dir: &Path) -> PathBuf {
    site_dir.join(CACHE_DIR).join("discussions")
}

/// The file conversation `url` is kept in.
pub fn file_of(site_dir: &Path, url: &str) -> PathBuf {
    let hash = xxhash_rust::xxh3::xxh3_64(url.as_bytes());
    folder(site_dir).join(format!("{hash:016x}.json"))
}

/// The kept conversation for `url`, if there is one that reads (a file that does not is
/// treated as absent: it is only a cache).
pub fn read(site_dir: &Path, url: &str) -> Option<Conversation> {
    let text = std::fs::read(file_of(site_dir, url)).ok()?;
    let conversation: Conversation = serde_json::from_slice(&text).ok()?;
    (conversation.url == url).then_some(conversation)
}

/// Keeps `conversation`, replacing the last one kept for its URL.
pub fn write(site_dir: &Path, conversation: &Conversation) -> std::io::Result<()> {
    let path = file_of(site_dir, &conversation.url);
    let dir = folder(site_dir);
    std::fs::create_dir_all(&dir)?;
    let json = serde_json::to_vec_pretty(conversation).map_err(std::io::Error::other)?;
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)?;
    std::io::Write::write_all(&mut tmp, &json)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
