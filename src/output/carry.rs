//! Files a user keeps in the output folder — the `.git` of a GitHub Pages branch, a
//! `CNAME`, `.well-known/` — survive every build. The marker file lists every file kring
//! wrote; anything else in the last build is the user's, and is carried into the new build
//! before the swap. Carried files are hard links (copies where the file system has none),
//! so the last good folder is not touched until the swap: a build killed at any moment
//! loses nothing, and after the swap removing the old folder only removes links. (A build
//! committed in place, see `staging.rs`, leaves them where they are and carries nothing.)
//!
//! A file of the user's at a path the new build writes is an error naming it: neither may
//! silently replace the other.

use std::collections::HashSet;
use std::path::Path;

use crate::error::{Error, Result};

/// The first line of every marker; the paths follow, one a line.
const MARKER_HEADER: &str = "# This folder was made by `kring build`. It replaces the files listed below on every build;\n# anything else you keep here (a .git folder, a CNAME, .well-known/) is carried into each new build.\n";

/// What the last build's marker says kring wrote.
#[derive(Debug)]
pub enum KringFiles {
    /// The marker lists them (`/`-separated paths inside the output).
    Listed(HashSet<String>),
    /// A marker without a list, from kring before 0.2: everything but hidden top-level
    /// entries (`.git`, `.well-known`, …) and a top-level `CNAME` was kring's.
    Unlisted,
}

impl KringFiles {
    /// Reads the marker of the output folder `target`; `None` without one.
    pub fn of(target: &Path, marker: &str) -> Option<KringFiles> {
        let text = std::fs::read_to_string(target.join(marker)).ok()?;
        if !text.starts_with(MARKER_HEADER) {
            return Some(KringFiles::Unlisted);
        }
        let paths = text[MARKER_HEADER.len()..]
            .lines()
            .filter(|l| !l.is_empty())
            .map(unescape)
            .collect();
        Some(KringFiles::Listed(paths))
    }

    fn contains(&self, rel: &str) -> bool {
        match self {
            KringFiles::Listed(paths) => paths.contains(rel),
            KringFiles::Unlisted => {
                let top = rel.split('/').next().unwrap_or(rel);
                !(top.starts_with('.') || top == "CNAME")
            }
        }
    }
}

/// The marker's text: the header, then `written` (sorted, so builds of the same site
/// write the same marker).
pub fn marker_text<'a>(written: impl Iterator<Item = &'a String>) -> String {
    let mut paths: Vec<&String> = written.collect();
    paths.sort();
    let mut text = String::from(MARKER_HEADER);
    for path in paths {
        text.push_str(&escape(path));
        text.push('\n');
    }
    text
}

/// One path a line: the line breaks and backslashes a path may hold are escaped.
pub(crate) fn escape(path: &str) -> String {
    path.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

pub(crate) fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Carries the user's files from the last build `old` into the new build `staged`:
/// everything `kring` did not write, except the entries in `skip` (kring's own marker).
/// `written` holds what the new build wrote; a user's file at one of those paths is an
/// error naming every such file, and nothing is carried.
pub fn carry_over(
    old: &Path,
    kring: &KringFiles,
    staged: &Path,
    written: &HashSet<String>,
    skip: &str,
) -> Result<usize> {
    // Folders that hold a file kring wrote: walked into; any other folder is the user's
    // whole.
    let kring_folders: HashSet<&str> = match kring {
        KringFiles::Listed(paths) => paths
            .iter()
            .flat_map(|p| p.match_indices('/').map(move |(i, _)| &p[..i]))
            .collect(),
        KringFiles::Unlisted => HashSet::new(),
    };
    let mut users = Vec::new();
    collect_users(old, "", Some((kring, &kring_folders)), skip, &mut users)?;
    if users.is_empty() {
        return Ok(0);
    }
    // A new build's file at a user's path, or a user's file where the new build needs a
    // folder (or the reverse).
    let new_folders: HashSet<&str> = written
        .iter()
        .flat_map(|p| p.match_indices('/').map(move |(i, _)| &p[..i]))
        .collect();
    let clashes: Vec<&String> = users
        .iter()
        .filter(|(rel, is_dir)| {
            written.contains(rel.as_str()) || (!is_dir && new_folders.contains(rel.as_str()))
        })
        .map(|(rel, _)| rel)
        .collect();
    if !clashes.is_empty() {
        return Err(clash_error(old, &clashes));
    }
    let mut carried = 0;
    for (rel, is_dir) in &users {
        let from = old.join(rel);
        let to = staged.join(rel);
        if *is_dir {
            std::fs::create_dir_all(&to).map_err(|e| Error::io(&to, e))?;
        } else {
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            link_or_copy(&from, &to)?;
            carried += 1;
        }
    }
    Ok(carried)
}

/// The error for the user's files at `clashes`, paths this build writes into `target`:
/// named, ten at most, and nothing changed.
pub fn clash_error(target: &Path, clashes: &[&String]) -> Error {
    let mut names: Vec<String> = clashes.iter().take(10).map(|r| format!("/{r}")).collect();
    if clashes.len() > 10 {
        names.push(format!("and {} more", clashes.len() - 10));
    }
    Error::UnsafeOutput {
        path: target.to_path_buf(),
        reason: format!(
            "it holds files kring did not write at paths this build writes: {}. Move them into static/ (so kring publishes them) or out of the folder; nothing was changed",
            names.join(", ")
        ),
    }
}

/// Every entry under `rel` that is the user's, parents before children. `kring` says what
/// kring wrote; `None` inside a folder that is the user's whole, where everything is.
fn collect_users(
    root: &Path,
    rel: &str,
    kring: Option<(&KringFiles, &HashSet<&str>)>,
    skip: &str,
    out: &mut Vec<(String, bool)>,
) -> Result<()> {
    let dir = root.join(rel);
    let entries = std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(&dir, e))?;
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            // Not a name kring writes, and not one a `/`-separated path can carry.
            return Err(Error::UnsafeOutput {
                path: entry.path(),
                reason: "its name is not valid UTF-8, so kring cannot carry it into the new build; rename or move it".into(),
            });
        };
        let child = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        if child == skip {
            continue;
        }
        // Not followed: a symbolic link is carried as the link it is.
        let is_dir = entry
            .file_type()
            .map_err(|e| Error::io(entry.path(), e))?
            .is_dir();
        match kring {
            None => {
                out.push((child.clone(), is_dir));
                if is_dir {
                    collect_users(root, &child, None, skip, out)?;
                }
            }
            Some((files, folders)) if is_dir => {
                let krings = folders.contains(child.as_str())
                    || (matches!(files, KringFiles::Unlisted) && files.contains(&child));
                if !krings {
                    out.push((child.clone(), true));
                }
                collect_users(root, &child, krings.then_some((files, folders)), skip, out)?;
            }
            Some((files, _)) => {
                if !files.contains(&child) {
                    out.push((child, false));
                }
            }
        }
    }
    Ok(())
}

/// A hard link (of the link itself, for a symbolic link), or a copy where the file system
/// has no hard links.
fn link_or_copy(from: &Path, to: &Path) -> Result<()> {
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    let meta = std::fs::symlink_metadata(from).map_err(|e| Error::io(from, e))?;
    #[cfg(unix)]
    if meta.file_type().is_symlink() {
        let target = std::fs::read_link(from).map_err(|e| Error::io(from, e))?;
        return std::os::unix::fs::symlink(target, to).map_err(|e| Error::io(to, e));
    }
    let _ = meta;
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| Error::io(from, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_paths_survive_line_breaks_and_backslashes() {
        let dir = tempfile::tempdir().unwrap();
        let paths: HashSet<String> = ["a/index.html", "odd\nname", "back\\slash\r", "ünï/cödé"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        std::fs::write(dir.path().join(".m"), marker_text(paths.iter())).unwrap();
        match KringFiles::of(dir.path(), ".m") {
            Some(KringFiles::Listed(read)) => assert_eq!(read, paths),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_marker_without_a_list_keeps_hidden_entries_and_cname() {
        let k = KringFiles::Unlisted;
        assert!(!k.contains(".git"));
        assert!(!k.contains(".well-known/x"));
        assert!(!k.contains("CNAME"));
        assert!(k.contains("index.html"));
        assert!(k.contains("articles/.hidden"));
    }
}
