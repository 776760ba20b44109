//! What the last build wrote into an output folder, file by file: the XXH3-128 of the bytes,
//! and the size, modification time and inode the file had once in place. Kept in
//! `.kring-cache/outputs/`, one file per output folder, written last by a build.
//!
//! An output whose new bytes hash as the last build's did, at a path whose file on disk
//! still has the recorded size, time and inode, is not written again: one `stat` instead of
//! a new file. A file the user deleted, edited or replaced fails the check and is written.
//! The manifest only ever lets a build skip work; a missing or damaged one makes the build
//! write everything (see `staging.rs`).

use std::collections::HashMap;
use std::fs::Metadata;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::output::carry::{escape, unescape};

/// The first line: the format, so a manifest of another version is not trusted.
const HEADER: &str = "kring outputs 1";

/// How a file in place looked right after kring put it there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    size: u64,
    mtime_ns: i128,
    inode: u64,
}

impl Stamp {
    pub fn of(meta: &Metadata) -> Option<Stamp> {
        if !meta.is_file() {
            return None;
        }
        let mtime = meta.modified().ok()?;
        let mtime_ns = match mtime.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp {
            size: meta.len(),
            mtime_ns,
            inode,
        })
    }

    /// The stamp of the file at `path` (not following a symbolic link: a link is never
    /// what kring wrote).
    pub fn at(path: &Path) -> Option<Stamp> {
        Stamp::of(&std::fs::symlink_metadata(path).ok()?)
    }
}

/// One output of a build: the hash of its bytes and, once in place, its stamp.
#[derive(Debug, Clone, Copy)]
pub struct Kept {
    pub hash: u128,
    pub stamp: Stamp,
}

/// The last build's outputs by `/`-separated path inside the output folder.
#[derive(Debug, Default)]
pub struct Manifest(HashMap<String, Kept>);

impl Manifest {
    /// Where the manifest of the output folder `target` is kept, inside the cache folder
    /// `cache`: named by the output's path, so building into several folders keeps one each.
    pub fn path_for(cache: &Path, target: &Path) -> PathBuf {
        let id = xxhash_rust::xxh3::xxh3_64(target.as_os_str().as_encoded_bytes());
        cache.join("outputs").join(format!("{id:016x}"))
    }

    /// Reads a manifest; `None` when it is missing or not one this version wrote.
    pub fn read(path: &Path) -> Option<Manifest> {
        let text = std::fs::read_to_string(path).ok()?;
        let mut lines = text.lines();
        if lines.next()? != HEADER {
            return None;
        }
        let mut map = HashMap::new();
        for line in lines {
            let mut parts = line.splitn(5, ' ');
            let hash = u128::from_str_radix(parts.next()?, 16).ok()?;
            let size = parts.next()?.parse().ok()?;
            let mtime_ns = parts.next()?.parse().ok()?;
            let inode = parts.next()?.parse().ok()?;
            let stamp = Stamp {
                size,
                mtime_ns,
                inode,
            };
            map.insert(unescape(parts.next()?), Kept { hash, stamp });
        }
        Some(Manifest(map))
    }

    /// The stamp of the file at `rel` in `target` when it holds exactly bytes hashing to
    /// `hash`, as the last build left it; `None` when it must be written.
    pub fn unchanged(&self, target: &Path, rel: &str, hash: u128, size: u64) -> Option<Stamp> {
        let kept = self.0.get(rel)?;
        if kept.hash != hash || kept.stamp.size != size {
            return None;
        }
        let now = Stamp::at(&target.join(rel))?;
        (now == kept.stamp).then_some(now)
    }

    /// Writes the manifest of `outputs` at `path` in one step: a new file renamed over the
    /// old one, so a build killed while writing leaves the last manifest or this one.
    pub fn write<'a>(
        path: &Path,
        outputs: impl Iterator<Item = (&'a String, Kept)>,
    ) -> std::io::Result<()> {
        use std::fmt::Write;
        let mut text = String::from(HEADER);
        text.push('\n');
        for (rel, kept) in outputs {
            let Stamp {
                size,
                mtime_ns,
                inode,
            } = kept.stamp;
            let _ = writeln!(
                text,
                "{:032x} {size} {mtime_ns} {inode} {}",
                kept.hash,
                escape(rel)
            );
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let tmp = path.with_extension("kring-tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, path)
    }
}

/// The XXH3-128 of `bytes`.
pub fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// The XXH3-128 of the file at `path`, read in pieces (a static file may be a large video).
pub fn hash_file(path: &Path) -> std::io::Result<(u128, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((hasher.digest128(), size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_with_odd_names() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            "a/index.html",
            "ünï cödé/x",
            "line\nbreak",
            "back\\slash\r",
            "sp ace",
        ];
        let kept = Kept {
            hash: 0x0123_4567_89ab_cdef_0011_2233_4455_6677,
            stamp: Stamp {
                size: 42,
                mtime_ns: -5,
                inode: 7,
            },
        };
        let owned: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        let path = dir.path().join("m/x");
        Manifest::write(&path, owned.iter().map(|n| (n, kept))).unwrap();
        let read = Manifest::read(&path).unwrap();
        assert_eq!(read.0.len(), names.len());
        for n in names {
            let got = read.0.get(n).unwrap();
            assert_eq!((got.hash, got.stamp), (kept.hash, kept.stamp), "{n:?}");
        }
        std::fs::write(&path, "kring outputs 0\n").unwrap();
        assert!(Manifest::read(&path).is_none());
        std::fs::write(&path, "kring outputs 1\nnot hex 1 2 3 x\n").unwrap();
        assert!(Manifest::read(&path).is_none());
    }
}
