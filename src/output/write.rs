//! Writing the output safely: every path stays inside the output folder, and only a folder
//! kring made is ever replaced. A build writes into a [`Staging`] folder (see `staging.rs`).

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};
use crate::output::manifest::{hash, hash_file};
pub use crate::output::staging::{MARKER, Staging};

/// Where rendered files go: a staging folder for a build, the live folder of the dev server.
pub trait Sink: Sync {
    /// Writes `bytes` at `rel` (a `/`-separated path inside the output).
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()>;
    /// Copies a file into the output at `rel`.
    fn copy(&self, from: &Path, rel: &str) -> Result<()>;
    /// Puts `bytes`, the contents of the cache entry `entry`, at `rel`: a sink that can
    /// links the entry there instead of writing the bytes again (see `images::Made`); the
    /// others write them.
    fn link(&self, entry: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
        let _ = entry;
        self.write(rel, bytes)
    }
}

/// The path of `rel` inside `root`; refuses anything that would leave it.
fn inside(root: &Path, rel: &str) -> Result<PathBuf> {
    let rel_path = Path::new(rel.trim_start_matches('/'));
    if rel_path
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(Error::UnsafeOutput {
            path: rel_path.to_path_buf(),
            reason: "an output path may not leave the output folder".into(),
        });
    }
    Ok(root.join(rel_path))
}

fn create_parent(path: &Path) -> Result<()> {
    match path.parent() {
        Some(parent) => std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e)),
        None => Ok(()),
    }
}

/// A folder that is being served: each file is replaced whole (written beside, then
/// renamed), so a request never sees half a page.
pub struct LiveDir(pub PathBuf);

impl Sink for LiveDir {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = inside(&self.0, rel)?;
        create_parent(&path)?;
        let mut tmp = path.clone().into_os_string();
        tmp.push(".kring-tmp");
        std::fs::write(&tmp, bytes).map_err(|e| Error::io(&path, e))?;
        std::fs::rename(&tmp, &path).map_err(|e| Error::io(&path, e))
    }
    fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        let path = inside(&self.0, rel)?;
        create_parent(&path)?;
        std::fs::copy(from, &path)
            .map(|_| ())
            .map_err(|e| Error::io(from, e))
    }
}

/// Each output is noted with the hash of its bytes (see [`Staging::note`]): one the output
/// already holds, untouched since the last build, is not written again.
impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = inside(self.dir(), rel)?;
        if self.note(rel, || Ok((hash(bytes), bytes.len() as u64)))? {
            return Ok(());
        }
        create_parent(&path)?;
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
    }
    fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        let path = inside(self.dir(), rel)?;
        if self.note(rel, || hash_file(from).map_err(|e| Error::io(from, e)))? {
            return Ok(());
        }
        create_parent(&path)?;
        std::fs::copy(from, &path)
            .map(|_| ())
            .map_err(|e| Error::io(from, e))
    }
    /// A hard link to the entry: no new file's data to write, and for the file system one
    /// name more rather than a new file. Written where links fail (another file system, a
    /// file system without them).
    fn link(&self, entry: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = inside(self.dir(), rel)?;
        if self.note(rel, || Ok((hash(bytes), bytes.len() as u64)))? {
            return Ok(());
        }
        create_parent(&path)?;
        if std::fs::hard_link(entry, &path).is_ok() {
            return Ok(());
        }
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
    }
}

/// Refuses an output folder whose replacement would destroy something: `/`, the home
/// folder, the site itself or a folder containing it, the site's sources, or an existing
/// folder that kring did not make (no [`MARKER`] file) and that is not empty.
pub fn check_output_dir(site_dir: &Path, output: &Path) -> Result<PathBuf> {
    let refuse = |reason: &str| Error::UnsafeOutput {
        path: output.to_path_buf(),
        reason: reason.into(),
    };
    let site = site_dir
        .canonicalize()
        .map_err(|e| Error::io(site_dir, e))?;
    let out = absolute(output);
    if out.parent().is_none() {
        return Err(refuse("it is the root of the file system"));
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && home.canonicalize().is_ok_and(|h| h == out)
    {
        return Err(refuse("it is your home folder"));
    }
    if out == site {
        return Err(refuse(
            "it is the site folder itself; use a folder inside it, such as public/",
        ));
    }
    if site.starts_with(&out) {
        return Err(refuse(
            "it contains the site; the build would delete your content",
        ));
    }
    for source in ["content", "static", "templates", "themes", "i18n"] {
        if out.starts_with(site.join(source)) {
            return Err(refuse(&format!("it is inside the site's {source}/ folder")));
        }
    }
    if out.is_file() {
        return Err(refuse("it is a file"));
    }
    if out.is_dir() {
        let mut entries = std::fs::read_dir(&out).map_err(|e| Error::io(&out, e))?;
        let empty = entries.next().is_none();
        if !empty && !out.join(MARKER).is_file() {
            return Err(refuse(&format!(
                "it has files in it and kring did not make it (there is no {MARKER} file from an earlier build), so building would delete them; choose an empty or new folder, or empty this one yourself"
            )));
        }
    }
    Ok(out)
}

/// `path` made absolute and free of `.`/`..`, resolving symlinks as far as it exists.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    if let Ok(c) = joined.canonicalize() {
        return c;
    }
    // Not there yet: resolve the longest existing ancestor, then add the rest.
    let mut rest = Vec::new();
    let mut cur = joined.as_path();
    loop {
        if let Ok(c) = cur.canonicalize() {
            let mut out = c;
            for part in rest.iter().rev() {
                match part {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other.as_os_str()),
                }
            }
            return out;
        }
        match (cur.parent(), cur.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                cur = parent;
            }
            _ => return joined,
        }
    }
}
