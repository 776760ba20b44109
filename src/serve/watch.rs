//! Watching the site for changes: notify with a short debounce, so an editor's save (often a
//! write, a rename and a chmod) becomes one batch of paths.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::error::{Error, Result};

/// Short enough to feel instant, long enough to merge an editor's burst of events (a
/// save by rename, a backup and a write land within a few milliseconds of each other).
/// It is most of the wait between a save and the page served (the debouncer looks every
/// quarter of it), so no longer than that: a burst split in two batches costs a second,
/// small rebuild, never a wrong page.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

pub type Watcher = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// Watches `site_dir`; each debounced batch of changed paths arrives on the returned channel.
/// Paths inside `ignore` (the site's own output folder) are left out.
pub fn watch(
    site_dir: &Path,
    ignore: Vec<PathBuf>,
) -> Result<(Watcher, mpsc::Receiver<Vec<PathBuf>>)> {
    let (tx, rx) = mpsc::channel();
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let mut paths: Vec<PathBuf> = events
            .into_iter()
            .filter(|e| !e.kind.is_access())
            .flat_map(|e| e.event.paths)
            .flat_map(|p| with_files_inside(p, &ignore))
            .collect();
        paths.sort();
        paths.dedup();
        if !paths.is_empty() {
            let _ = tx.send(paths);
        }
    })
    .map_err(|e| Error::io(site_dir, std::io::Error::other(e.to_string())))?;
    debouncer
        .watch(site_dir, RecursiveMode::Recursive)
        .map_err(|e| Error::io(site_dir, std::io::Error::other(e.to_string())))?;
    Ok((debouncer, rx))
}

/// A path and, when it is a folder, every file in it. A folder created with files in it
/// (`mkdir -p static && cp kring.css static/`, a page bundle copied in) reaches the watcher
/// before it watches the new folder, so the files' own events can be lost: they are found
/// here instead.
/// Paths inside `ignore` are left out.
fn with_files_inside(path: PathBuf, ignore: &[PathBuf]) -> Vec<PathBuf> {
    let ignored = |p: &Path| ignore.iter().any(|i| p.starts_with(i));
    if ignored(&path) {
        return Vec::new();
    }
    if !path.is_dir() {
        return vec![path];
    }
    let files = walkdir::WalkDir::new(&path)
        .into_iter()
        .filter_entry(|e| !ignored(e.path()))
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path);
    std::iter::once(path.clone()).chain(files).collect()
}
