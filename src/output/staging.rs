//! A build is written into a staging folder beside the output and put in place only when
//! the whole build succeeded. A failed, interrupted or killed build never touches the last
//! good site, and its staging folder does not outlive it: removed on drop and on
//! Ctrl-C/SIGTERM/SIGHUP (see [`crate::cleanup`]), and by the next build after a hard kill.
//!
//! Two ways in:
//! - **In place** (`kring build` into a folder an earlier build made, whose marker lists
//!   kring's files and whose manifest is in `.kring-cache/outputs/`, see `manifest.rs`): an
//!   output whose bytes equal what the last build left at that path, still there untouched,
//!   is not written at all; the others are written into the staging folder. The commit
//!   renames each of them over its path, removes the files the last build wrote that this
//!   one does not (only files the marker lists) and the folders that leaves empty among
//!   those kring's files were in, then writes the marker and, last, the manifest. A second
//!   build of an unchanged site writes no page. Each file is replaced whole (a new file
//!   renamed over the old one, never written into: a published file may be a hard link to a
//!   cache entry), so a build killed during the commit leaves every path its old or its new
//!   complete file, and the user's files untouched; the marker lists the files of both
//!   builds until the commit ends, and the next build repairs the rest (the manifest, written
//!   last, still describes the old files, so every replaced one fails its check).
//! - **Whole** (a first build, an output without a listed marker or without a manifest, the
//!   dev server's folder): every file is written into the staging folder, the user's files
//!   are carried over (`carry.rs`), and the folder is swapped with the output in one step;
//!   the old build is then removed.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::cleanup;
use crate::error::{Error, Result};
use crate::output::carry::{KringFiles, carry_over, marker_text};
use crate::output::in_place;
use crate::output::manifest::{Kept, Manifest, Stamp};

pub use crate::model::routes::OUTPUT_MARKER as MARKER;

/// Marks staging folders: `.public.kring-build-<pid>-<n>`, each beside a `.lock` file that
/// its build holds locked while it runs.
const STAGING_TAG: &str = "kring-build-";

/// A folder being filled with a build, swapped into place by [`Staging::commit`].
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    lock: Option<(File, PathBuf)>,
    /// Every path written so far: a second write to one is a collision the route check
    /// missed, and an error rather than a race between two outputs.
    written: Mutex<HashMap<String, Output>>,
    /// Whether files in the old folder that kring did not write are carried over (see
    /// `carry.rs`); not for a folder only kring writes to.
    keep_users_files: bool,
    /// The manifest this build keeps, and what the last build left when it can be built on.
    manifest: Option<Keeping>,
}

/// One output of the build.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// The XXH3-128 of its bytes (0 when no manifest is kept).
    pub hash: u128,
    /// Its file in the output, when that already holds exactly these bytes: not written.
    pub in_place: Option<Stamp>,
}

struct Keeping {
    path: PathBuf,
    /// The last build's manifest and the files its marker lists: set when this build
    /// commits in place.
    last: Option<(Manifest, HashSet<String>)>,
}

impl Staging {
    /// A staging folder beside `target` (same file system, so the swap is a rename). Removes
    /// what killed builds of this output left behind first.
    pub fn new(target: &Path) -> Result<Staging> {
        Self::make(target, true)
    }

    /// A staging folder for a folder that only kring writes to (the dev server's, which
    /// also writes single files between whole builds): the new build replaces everything.
    pub fn replacing_all(target: &Path) -> Result<Staging> {
        Self::make(target, false)
    }

    fn make(target: &Path, keep_users_files: bool) -> Result<Staging> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let name = target
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let prefix = format!(".{name}.{STAGING_TAG}");
        remove_leftovers(parent, &prefix, target);

        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let (dir, lock) = loop {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let dir = parent.join(format!("{prefix}{}-{n}", std::process::id()));
            let lock_path = lock_path_of(&dir);
            // Known to the signal handler before they exist, so a signal at any moment
            // finds them.
            cleanup::remember(&dir);
            cleanup::remember(&lock_path);
            // The lock comes first, so a folder of a running build always has a held lock.
            let file = match File::create_new(&lock_path) {
                Ok(f) => f,
                Err(e) => {
                    cleanup::forget(&dir);
                    cleanup::forget(&lock_path);
                    if e.kind() == std::io::ErrorKind::AlreadyExists {
                        continue;
                    }
                    return Err(Error::io(&lock_path, e));
                }
            };
            let made = file.lock().and_then(|()| std::fs::create_dir(&dir));
            if let Err(e) = made {
                let _ = std::fs::remove_file(&lock_path);
                cleanup::forget(&dir);
                cleanup::forget(&lock_path);
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    continue;
                }
                return Err(Error::io(&dir, e));
            }
            break (dir, (file, lock_path));
        };
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            lock: Some(lock),
            written: Mutex::new(HashMap::from([(
                MARKER.to_string(),
                Output {
                    hash: 0,
                    in_place: None,
                },
            )])),
            keep_users_files,
            manifest: None,
        })
    }

    /// Keeps the manifest of what this build writes at `path` (see `manifest.rs`). When
    /// the output's marker lists kring's files and the manifest there is readable, the
    /// build is committed in place and writes only what changed.
    pub fn keeping_manifest(mut self, path: PathBuf) -> Staging {
        let last = match KringFiles::of(&self.target, MARKER) {
            Some(KringFiles::Listed(files)) if self.keep_users_files => {
                Manifest::read(&path).map(|m| (m, files))
            }
            _ => None,
        };
        self.manifest = Some(Keeping { path, last });
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Notes that `rel` is being written; `Err` if something already was, or if the
    /// process is being stopped by a signal.
    pub fn claim(&self, rel: &str) -> Result<()> {
        self.note(rel, || Ok((0, 0))).map(|_| ())
    }

    /// Notes that `rel` is being written, with `digest` giving the hash and size of its
    /// bytes (asked only when a manifest is kept); `Ok(true)` when the output already holds
    /// exactly them there, and nothing is to be written. `Err` as [`Staging::claim`].
    pub fn note(&self, rel: &str, digest: impl FnOnce() -> Result<(u128, u64)>) -> Result<bool> {
        if cleanup::stopping() {
            return Err(Error::Usage("the build was interrupted".into()));
        }
        let rel = rel.trim_start_matches('/');
        let mut output = Output {
            hash: 0,
            in_place: None,
        };
        if let Some(keeping) = &self.manifest {
            let (hash, size) = digest()?;
            output.hash = hash;
            if let Some((last, listed)) = &keeping.last
                && listed.contains(rel)
            {
                output.in_place = last.unchanged(&self.target, rel, hash, size);
            }
        }
        let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        match written.entry(rel.to_string()) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(output);
                Ok(output.in_place.is_some())
            }
            std::collections::hash_map::Entry::Occupied(_) => Err(Error::Usage(format!(
                "two outputs of this build are written to /{rel}: rename or move one of them"
            ))),
        }
    }

    /// Whether outputs are hashed, for a manifest.
    pub fn hashing(&self) -> bool {
        self.manifest.is_some()
    }

    /// Puts the build in place: in place when the last build can be built on, else by
    /// carrying the files the user keeps in the output folder into the new build, writing
    /// the marker listing what kring wrote, putting the new build in place of the old one
    /// in one step, then removing the old one. The manifest, when kept, is written last.
    pub fn commit(mut self) -> Result<()> {
        let written = std::mem::take(&mut *self.written.lock().unwrap_or_else(|e| e.into_inner()));
        let keeping = self.manifest.take();
        if let Some(Keeping {
            path,
            last: Some((_, listed)),
        }) = &keeping
        {
            let kept = in_place::commit(&self.dir, &self.target, &written, listed)?;
            write_manifest(path, kept);
            return Ok(());
        }
        let had_target = self.target.exists();
        let names: HashSet<String> = written.keys().cloned().collect();
        if had_target
            && self.keep_users_files
            && let Some(kring) = KringFiles::of(&self.target, MARKER)
        {
            carry_over(&self.target, &kring, &self.dir, &names, MARKER)?;
        }
        let marker = marker_text(names.iter().filter(|p| p.as_str() != MARKER));
        std::fs::write(self.dir.join(MARKER), marker).map_err(|e| Error::io(&self.dir, e))?;
        {
            let _held = cleanup::hold();
            swap_into_place(&self.dir, &self.target, had_target)
                .map_err(|e| Error::io(&self.target, e))?;
        }
        if let Some(keeping) = keeping {
            write_manifest(&keeping.path, in_place::stamped(&self.target, &written));
        }
        // `dir` now holds the last build (or nothing): Drop removes it and lets go.
        if !had_target {
            cleanup::forget(&self.dir);
            self.release_lock();
        }
        Ok(())
    }

    fn release_lock(&mut self) {
        if let Some((file, path)) = self.lock.take() {
            cleanup::forget(&path);
            let _ = std::fs::remove_file(&path);
            drop(file);
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.lock.is_none() {
            return;
        }
        if self.dir.exists() {
            let _ = remove_tree(&self.dir);
        }
        cleanup::forget(&self.dir);
        self.release_lock();
    }
}

/// Writes the manifest; one that cannot be written only makes the next build write all.
fn write_manifest(path: &Path, kept: Vec<(&String, Kept)>) {
    if Manifest::write(path, kept.into_iter()).is_err() {
        let _ = std::fs::remove_file(path);
    }
}

fn lock_path_of(dir: &Path) -> PathBuf {
    let mut p = dir.as_os_str().to_owned();
    p.push(".lock");
    PathBuf::from(p)
}

/// Exchanges `staged` and `target` atomically where the system can (Linux `renameat2` with
/// `RENAME_EXCHANGE`): at every moment `target` is either the whole old build or the whole
/// new one. Elsewhere, or on a file system without the exchange, the old build is moved
/// aside to `<staged>.old` and the new one renamed in; a kill between the two renames is
/// repaired by the next build, which moves the `.old` folder back when `target` is missing.
fn swap_into_place(staged: &Path, target: &Path, had_target: bool) -> std::io::Result<()> {
    if !had_target {
        return std::fs::rename(staged, target);
    }
    #[cfg(target_os = "linux")]
    {
        match exchange(staged, target) {
            Ok(()) => return Ok(()),
            Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) => {}
            Err(e) => return Err(e),
        }
    }
    let aside = old_of(staged);
    std::fs::rename(target, &aside)?;
    if let Err(e) = std::fs::rename(staged, target) {
        let _ = std::fs::rename(&aside, target);
        return Err(e);
    }
    // The staging path now names nothing; the old build is moved back under it so the
    // owner removes it like the exchanged case.
    std::fs::rename(&aside, staged)
}

#[cfg(target_os = "linux")]
#[allow(unsafe_code)] // one of the two FFI calls kring makes (the other: src/main.rs); see the SAFETY note below
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are valid NUL-terminated paths; the call only reads them.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

fn old_of(staged: &Path) -> PathBuf {
    let mut p = staged.as_os_str().to_owned();
    p.push(".old");
    PathBuf::from(p)
}

/// Removes the staging folders of builds of `target` that no longer run: their lock is free
/// (the OS lets go of a dead process's locks), or they have no lock at all (folders of
/// kring versions before the lock). A build that was killed between the two renames of the
/// fallback swap left the last good build as `….old` with `target` missing: that one is
/// moved back instead.
fn remove_leftovers(parent: &Path, prefix: &str, target: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix))
        .collect();
    names.sort();
    for name in names {
        let path = parent.join(&name);
        if let Some(dir) = name.strip_suffix(".lock") {
            // A lock whose folder is gone: remove it once it is free.
            if !parent.join(dir).exists() && lock_is_free(&path) {
                let _ = std::fs::remove_file(&path);
            }
            continue;
        }
        if name.ends_with(".old") {
            if !target.exists() && std::fs::rename(&path, target).is_ok() {
                continue;
            }
            let owner = parent.join(name.trim_end_matches(".old"));
            if owner.exists() {
                continue; // its build is still running, or will be cleaned with it
            }
            let _ = remove_tree(&path);
            continue;
        }
        let lock = lock_path_of(&path);
        if !lock.exists() || lock_is_free(&lock) {
            let _ = remove_tree(&path);
            let _ = std::fs::remove_file(&lock);
        }
    }
}

fn lock_is_free(lock: &Path) -> bool {
    File::open(lock).is_ok_and(|f| f.try_lock().is_ok())
}

/// `remove_dir_all`, with the folders two levels down removed in parallel: a large site's
/// old build is tens of thousands of small files, and unlinking them is most of a swap.
pub fn remove_tree(root: &Path) -> std::io::Result<()> {
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
