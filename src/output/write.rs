//! Writing the output safely: everything goes into a fresh folder beside the output, which
//! replaces the output only when the whole build succeeded. A failed build leaves the last
//! good site exactly as it was.

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// Where rendered files go: a staging folder for a build, the live folder of the dev server.
pub trait Sink: Sync {
    /// Writes `bytes` at `rel` (a `/`-separated path inside the output).
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()>;
    /// Copies a file into the output at `rel`.
    fn copy(&self, from: &Path, rel: &str) -> Result<()>;
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

/// A folder being filled with a build, swapped into place by [`Staging::commit`].
pub struct Staging {
    temp: tempfile::TempDir,
    target: PathBuf,
}

impl Staging {
    /// A staging folder beside `target` (same file system, so the swap is a rename).
    pub fn new(target: &Path) -> Result<Staging> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let name = target
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}.kring-build-"))
            .tempdir_in(parent)
            .map_err(|e| Error::io(parent, e))?;
        Ok(Staging {
            temp,
            target: target.to_path_buf(),
        })
    }

    pub fn dir(&self) -> &Path {
        self.temp.path()
    }

    /// Puts the new build in place of the old one. The old one is moved aside first and
    /// removed only once the new one is in place.
    pub fn commit(self) -> Result<()> {
        let staged = self.temp.keep();
        let target = &self.target;
        let mut old = None;
        if target.exists() {
            let aside = staged.with_file_name(format!(
                "{}.old",
                staged
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            ));
            std::fs::rename(target, &aside).map_err(|e| Error::io(target, e))?;
            old = Some(aside);
        }
        if let Err(e) = std::fs::rename(&staged, target) {
            // Put the last good build back before reporting.
            if let Some(aside) = &old {
                let _ = std::fs::rename(aside, target);
            }
            let _ = std::fs::remove_dir_all(&staged);
            return Err(Error::io(target, e));
        }
        if let Some(aside) = old {
            remove_tree(&aside).map_err(|e| Error::io(&aside, e))?;
        }
        Ok(())
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let path = inside(self.temp.path(), rel)?;
        create_parent(&path)?;
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))
    }
    fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        let path = inside(self.temp.path(), rel)?;
        create_parent(&path)?;
        std::fs::copy(from, &path)
            .map(|_| ())
            .map_err(|e| Error::io(from, e))
    }
}

/// `remove_dir_all`, with the folders two levels down removed in parallel: a large site's
/// old build is tens of thousands of small files, and unlinking them is most of a swap.
fn remove_tree(root: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let mut dirs = Vec::new();
    for entry in std::fs::read_dir(root)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            let children: Vec<PathBuf> = std::fs::read_dir(entry.path())?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            dirs.push(children);
        }
    }
    dirs.par_iter().try_for_each(|children| {
        children.par_iter().try_for_each(|child| {
            if child.is_dir() {
                std::fs::remove_dir_all(child)
            } else {
                std::fs::remove_file(child)
            }
        })
    })?;
    std::fs::remove_dir_all(root)
}

/// Refuses an output folder whose replacement would destroy something: `/`, the home
/// folder, the site itself or a folder containing it, the site's sources, or an existing
/// folder that does not look like a site build.
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
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if home.canonicalize().is_ok_and(|h| h == out) {
            return Err(refuse("it is your home folder"));
        }
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
        if !empty && !out.join("index.html").is_file() {
            return Err(refuse(
                "it is a folder with other files in it (no index.html from an earlier build); choose an empty or new folder",
            ));
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
