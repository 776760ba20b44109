//! Committing a build in place (see `staging.rs`): the outputs that changed are renamed
//! from the staging folder over their paths, the last build's files this one does not write
//! are removed, and nothing else in the output folder is touched.
//!
//! Order, so that a kill at any moment loses nothing: the user's files in the way are
//! refused before anything moves; the marker is first rewritten to list the files of both
//! builds (so none of kring's files can pass for the user's afterwards); then the stale
//! files go, the changed ones are renamed in one by one (each path is always a whole old or
//! a whole new file), and the marker is written with this build's files alone.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use crate::cleanup;
use crate::error::{Error, Result};
use crate::output::carry::{clash_error, marker_text};
use crate::output::manifest::{Kept, Stamp};
use crate::output::staging::{MARKER, Output};

/// What a folder on a path the build uses is now.
#[derive(Clone, Copy, PartialEq)]
enum Found {
    Missing,
    Folder,
    /// A file or a symbolic link: nothing may be written through it.
    Other,
}

/// Every folder above `rel`, nearest the root first.
fn folders_of(rel: &str) -> impl Iterator<Item = &str> {
    rel.match_indices('/').map(move |(i, _)| &rel[..i])
}

/// Commits `written` (what this build wrote into `staged`, or left in place) into `target`,
/// whose marker listed `listed`. Returns the manifest of the new output.
pub fn commit<'a>(
    staged: &Path,
    target: &Path,
    written: &'a HashMap<String, Output>,
    listed: &HashSet<String>,
) -> Result<Vec<(&'a String, Kept)>> {
    if !target.is_dir() {
        return Err(Error::Usage(format!(
            "the output folder {} went away during the build: build again",
            target.display()
        )));
    }
    let outputs = || written.iter().filter(|(rel, _)| rel.as_str() != MARKER);
    let to_rename: Vec<&String> = outputs()
        .filter(|(_, o)| o.in_place.is_none())
        .map(|(rel, _)| rel)
        .collect();
    let stale: Vec<&String> = listed
        .iter()
        .filter(|rel| rel.as_str() != MARKER && !written.contains_key(rel.as_str()))
        .collect();

    // What each folder on the way is now, looked at once.
    let mut folders: HashSet<&str> = HashSet::new();
    for rel in to_rename.iter().chain(&stale) {
        folders.extend(folders_of(rel));
    }
    let found: HashMap<&str, Found> = folders
        .into_par_iter()
        .map(|f| {
            let kind = match std::fs::symlink_metadata(target.join(f)) {
                Ok(m) if m.is_dir() => Found::Folder,
                Ok(_) => Found::Other,
                Err(_) => Found::Missing,
            };
            (f, kind)
        })
        .collect();

    // The user's files in the way: at a path this build adds, where it needs a folder, or
    // a folder where kring's file was.
    let mut clashes: Vec<&String> = Vec::new();
    let mut blocking: HashSet<&str> = HashSet::new();
    for rel in &to_rename {
        if let Some(f) = folders_of(rel).find(|f| found.get(f) == Some(&Found::Other)) {
            blocking.insert(f);
        } else if let Ok(meta) = std::fs::symlink_metadata(target.join(rel))
            && (meta.is_dir() || !listed.contains(rel.as_str()))
        {
            clashes.push(rel);
        }
    }
    let blocking: Vec<String> = blocking.into_iter().map(str::to_string).collect();
    clashes.extend(&blocking);
    if !clashes.is_empty() {
        clashes.sort();
        return Err(clash_error(target, &clashes));
    }

    let _held = cleanup::hold();
    // Both builds' files, until the end of the commit; the marker is left alone when the
    // build wrote the same paths.
    let same_paths = stale.is_empty() && outputs().all(|(rel, _)| listed.contains(rel));
    if !same_paths {
        let both = marker_text(
            listed
                .iter()
                .chain(outputs().map(|(rel, _)| rel))
                .filter(|p| p.as_str() != MARKER),
        );
        replace_marker(staged, target, &both)?;
    }

    for rel in &stale {
        // Never through a file or a link the user put where kring's folder was.
        if folders_of(rel).any(|f| found.get(f) != Some(&Found::Folder)) {
            continue;
        }
        let path = target.join(rel);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&path, e)),
        }
    }
    // The folders kring's stale files were in, deepest first, when nothing is left in them
    // (`remove_dir` refuses a folder that holds anything, the user's files included).
    let needed: HashSet<&str> = outputs().flat_map(|(rel, _)| folders_of(rel)).collect();
    let mut emptied: Vec<&str> = stale
        .iter()
        .flat_map(|rel| folders_of(rel))
        .filter(|f| !needed.contains(f) && found.get(f) == Some(&Found::Folder))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    emptied.sort_by_key(|f| std::cmp::Reverse(f.matches('/').count()));
    for folder in emptied {
        let _ = std::fs::remove_dir(target.join(folder));
    }

    let renamed: Vec<(&String, Option<Stamp>)> = to_rename
        .par_iter()
        .map(|rel| {
            let to = target.join(rel);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            std::fs::rename(staged.join(rel), &to).map_err(|e| Error::io(&to, e))?;
            Ok((*rel, Stamp::at(&to)))
        })
        .collect::<Result<_>>()?;

    if !same_paths {
        replace_marker(staged, target, &marker_text(outputs().map(|(rel, _)| rel)))?;
    }

    let mut kept: Vec<(&String, Kept)> = outputs()
        .filter_map(|(rel, o)| {
            let stamp = o.in_place?;
            Some((
                rel,
                Kept {
                    hash: o.hash,
                    stamp,
                },
            ))
        })
        .collect();
    kept.extend(renamed.into_iter().filter_map(|(rel, stamp)| {
        let hash = written[rel].hash;
        Some((
            rel,
            Kept {
                hash,
                stamp: stamp?,
            },
        ))
    }));
    Ok(kept)
}

/// Writes the marker into `staged` (its path there is kept for it: no output can take it)
/// and renames it over the output's.
fn replace_marker(staged: &Path, target: &Path, text: &str) -> Result<()> {
    let tmp = staged.join(MARKER);
    std::fs::write(&tmp, text).map_err(|e| Error::io(&tmp, e))?;
    let to = target.join(MARKER);
    std::fs::rename(&tmp, &to).map_err(|e| Error::io(&to, e))
}

/// The manifest of a build swapped into place whole: each output's file, looked at once.
pub fn stamped<'a>(target: &Path, written: &'a HashMap<String, Output>) -> Vec<(&'a String, Kept)> {
    written
        .par_iter()
        .filter(|(rel, _)| rel.as_str() != MARKER)
        .filter_map(|(rel, o)| {
            let stamp = Stamp::at(&target.join(rel))?;
            Some((
                rel,
                Kept {
                    hash: o.hash,
                    stamp,
                },
            ))
        })
        .collect()
}
