//! Decap CMS vendored into the site: the pinned npm tarball downloaded once, checked against
//! its sha512 integrity, and its browser bundle (`dist/decap-cms.js` and the chunks it loads
//! from beside itself) written into `static/admin/`. No script comes from another host.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::error::{Error, Result};
use crate::http::Client;

/// A package version and what npm says its tarball hashes to.
#[derive(Debug, Clone, Copy)]
pub struct Pin {
    pub name: &'static str,
    pub version: &'static str,
    /// `dist.integrity` from the registry (`npm view decap-cms@3.16.3 dist.integrity`).
    pub integrity: &'static str,
}

/// The Decap CMS kring's config is written for and tested with.
pub const DECAP: Pin = Pin {
    name: "decap-cms",
    version: "3.16.3",
    integrity: "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw==",
};

pub const DEFAULT_REGISTRY: &str = "https://registry.npmjs.org";

/// The tarball's largest size: the real one is some 20 MB.
const MOST_BYTES: u64 = 64 * 1024 * 1024;

impl Pin {
    /// The tarball's address on `registry` (npm's layout).
    pub fn url(&self, registry: &str) -> String {
        format!(
            "{}/{name}/-/{name}-{version}.tgz",
            registry.trim_end_matches('/'),
            name = self.name,
            version = self.version
        )
    }
}

/// Whether `bytes` hash to `integrity` (`sha512-BASE64`).
pub fn verify(bytes: &[u8], integrity: &str) -> bool {
    let Some(expected) = integrity.strip_prefix("sha512-") else {
        return false;
    };
    let digest = ring::digest::digest(&ring::digest::SHA512, bytes);
    BASE64.encode(digest.as_ref()) == expected
}

/// Downloads the tarball of `pin` from `registry`.
pub fn download(pin: &Pin, registry: &str) -> Result<Vec<u8>> {
    let url = pin.url(registry);
    let parsed = url::Url::parse(&url).map_err(|e| Error::Usage(format!("{url}: {e}")))?;
    let client = Client::new("cms", Duration::from_secs(120), 5);
    let failed = |why: String| Error::Usage(format!("could not download {url}: {why}"));
    let mut response = client
        .agent(&parsed)
        .get(url.as_str())
        .call()
        .map_err(|e| failed(e.to_string()))?;
    if !response.status().is_success() {
        return Err(failed(format!(
            "the registry answered {}",
            response.status().as_u16()
        )));
    }
    response
        .body_mut()
        .with_config()
        .limit(MOST_BYTES)
        .read_to_vec()
        .map_err(|e| failed(e.to_string()))
}

/// The files of the browser bundle in a verified tarball: `(file name, bytes)`.
pub fn bundle(tarball: &[u8], pin: &Pin) -> Result<Vec<(String, Vec<u8>)>> {
    if !verify(tarball, pin.integrity) {
        return Err(Error::Usage(format!(
            "the downloaded {}@{} does not match its pinned integrity: nothing was written",
            pin.name, pin.version
        )));
    }
    let mut tar = Vec::new();
    flate2::read::GzDecoder::new(tarball)
        .take(4 * MOST_BYTES)
        .read_to_end(&mut tar)
        .map_err(|e| Error::Usage(format!("the tarball does not unpack: {e}")))?;
    let files: Vec<(String, Vec<u8>)> = tar_files(&tar)?
        .into_iter()
        .filter_map(|(name, bytes)| {
            let file = name.strip_prefix("package/dist/")?;
            is_bundle_file(file).then(|| (file.to_string(), bytes))
        })
        .collect();
    if !files.iter().any(|(n, _)| n == "decap-cms.js") {
        return Err(Error::Usage(
            "the tarball has no dist/decap-cms.js".to_string(),
        ));
    }
    Ok(files)
}

/// `decap-cms.js` and its chunks (`123.decap-cms.js`), nothing else: no source maps, and a
/// name of letters, digits and dots only (it becomes a file name in `static/admin/`).
fn is_bundle_file(name: &str) -> bool {
    let chunk = name
        .strip_suffix(".decap-cms.js")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    name == "decap-cms.js" || chunk
}

/// The regular files of a ustar archive with their names (`prefix/name`).
fn tar_files(tar: &[u8]) -> Result<Vec<(String, Vec<u8>)>> {
    let bad = || Error::Usage("the tarball is not a tar archive".into());
    let field = |h: &[u8], at: usize, len: usize| -> String {
        let f = &h[at..at + len];
        let end = f.iter().position(|&b| b == 0).unwrap_or(len);
        String::from_utf8_lossy(&f[..end]).into_owned()
    };
    let mut out = Vec::new();
    let mut at = 0;
    while at + 512 <= tar.len() {
        let header = &tar[at..at + 512];
        if header.iter().all(|&b| b == 0) {
            break;
        }
        let size_text = field(header, 124, 12);
        let size = u64::from_str_radix(size_text.trim(), 8).map_err(|_| bad())?;
        let size = usize::try_from(size).map_err(|_| bad())?;
        let start = at + 512;
        let end = start
            .checked_add(size)
            .filter(|&e| e <= tar.len())
            .ok_or_else(bad)?;
        let kind = header[156];
        if kind == b'0' || kind == 0 {
            let prefix = field(header, 345, 155);
            let name = field(header, 0, 100);
            let full = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            out.push((full, tar[start..end].to_vec()));
        }
        // Pax and other headers carry data of their own: skipped with it.
        at = start + size.div_ceil(512) * 512;
    }
    Ok(out)
}

/// Writes `files` into `dir` (made if needed); the paths written.
pub fn write_bundle(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    files
        .iter()
        .map(|(name, bytes)| {
            let path = dir.join(name);
            std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
            Ok(path)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrity_and_names() {
        assert!(verify(
            b"",
            "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="
        ));
        assert!(!verify(
            b"x",
            "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="
        ));
        assert!(!verify(b"", "sha1-abc"));
        assert!(is_bundle_file("decap-cms.js") && is_bundle_file("977.decap-cms.js"));
        for n in [
            "977.decap-cms.js.map",
            "../x.decap-cms.js",
            "a.decap-cms.js",
            ".decap-cms.js",
            "cms.js",
        ] {
            assert!(!is_bundle_file(n), "{n}");
        }
        assert_eq!(
            DECAP.url("https://registry.npmjs.org/"),
            "https://registry.npmjs.org/decap-cms/-/decap-cms-3.16.3.tgz"
        );
    }
}
