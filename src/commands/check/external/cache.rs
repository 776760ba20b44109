//! `.kring-cache/links.json`: the links that answered well, and when, so a second
//! `kring check --external` within the day asks no host again. Only good answers are
//! kept: a broken link is asked again every time, so a fix on the other side shows.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::vocabulary::CACHE_DIR;

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    /// Address → when it last answered well (seconds since 1970).
    links: BTreeMap<String, i64>,
}

/// The good answers of earlier runs that are still fresh.
pub struct LinkCache {
    path: PathBuf,
    max_age_secs: i64,
    now: i64,
    file: File,
}

impl LinkCache {
    /// Reads the site's cache; an unreadable or outdated file is an empty cache (it is
    /// only ever a shortcut).
    pub fn open(site_dir: &Path, max_age_hours: u64) -> LinkCache {
        let path = site_dir.join(CACHE_DIR).join("links.json");
        let file = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        LinkCache {
            path,
            max_age_secs: i64::try_from(max_age_hours.saturating_mul(3600)).unwrap_or(i64::MAX),
            now: jiff::Timestamp::now().as_second(),
            file,
        }
    }

    /// Whether `url` answered well recently enough to be left alone.
    pub fn is_fresh(&self, url: &str) -> bool {
        self.max_age_secs > 0
            && self
                .file
                .links
                .get(url)
                .is_some_and(|at| self.now.saturating_sub(*at) < self.max_age_secs)
    }

    /// Remembers a good answer from now.
    pub fn remember(&mut self, url: &str) {
        self.file.links.insert(url.to_string(), self.now);
    }

    /// Writes the cache, without the entries too old to use.
    pub fn save(mut self) -> std::io::Result<()> {
        let (now, max_age) = (self.now, self.max_age_secs);
        self.file
            .links
            .retain(|_, at| now.saturating_sub(*at) < max_age);
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let json = serde_json::to_vec_pretty(&self.file).map_err(std::io::Error::other)?;
        std::fs::write(&self.path, json)
    }
}
