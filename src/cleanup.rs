//! Folders that must not outlive the process: a build's staging folder, the dev server's
//! temporary site. They are removed when their owner is dropped (which covers errors and
//! panics); this module covers the signals that end a process without unwinding it —
//! Ctrl-C, SIGTERM, SIGHUP — by removing every registered folder before exiting.
//!
//! A process killed outright (SIGKILL, a stack overflow) leaves its folder behind; the next
//! build removes such leftovers (see `output::staging`).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

static FOLDERS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Set when a signal ends the process: builds stop writing, so their folders can go.
static STOPPING: AtomicBool = AtomicBool::new(false);

/// Whether the process is being ended by a signal; writers check it before each file.
pub fn stopping() -> bool {
    STOPPING.load(Ordering::Relaxed)
}

/// When a signal is ending the process, waits for its handler to finish: an error that the
/// interruption caused (a write refused) must not end the process first, with the wrong
/// exit code and the folders still there.
pub fn let_a_signal_finish() {
    if stopping() {
        std::thread::sleep(std::time::Duration::from_secs(10));
    }
}

fn folders() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    FOLDERS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Remove `path` (a folder, or a file such as a lock) if the process is ended by a signal before [`forget`] is called.
pub fn remember(path: &Path) {
    folders().push(path.to_path_buf());
}

/// `path` is gone or has become the user's (the build was swapped into place).
pub fn forget(path: &Path) {
    folders().retain(|p| p != path);
}

/// Keeps the signal handler from removing folders while the guard lives: a swap into place
/// must not be cut in half by a removal.
pub fn hold() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    folders()
}

/// Removes every remembered folder. Holding the lock while removing keeps a build from
/// registering (or committing) a folder half-way through.
fn remove_all() {
    STOPPING.store(true, Ordering::Relaxed);
    // Let writes under way finish; no new one starts.
    std::thread::sleep(std::time::Duration::from_millis(30));
    let list = folders();
    for path in list.iter() {
        // A write that began before STOPPING was set may still be creating files in it (a
        // thread of a busy machine can be off the CPU for longer than the pause above):
        // try again, pausing, for up to a second.
        if path.is_file() {
            let _ = std::fs::remove_file(path);
            continue;
        }
        // Gone, and still gone a moment later: a late write recreates the folder it
        // writes into.
        let mut gone = 0;
        for _ in 0..50 {
            if path.exists() {
                gone = 0;
                let _ = std::fs::remove_dir_all(path);
            } else {
                gone += 1;
                if gone == 2 {
                    break;
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
    // The lock stays held (the guard is leaked) so no one adds a folder before the exit.
    std::mem::forget(list);
}

/// On Ctrl-C, SIGTERM or SIGHUP: remove the remembered folders and exit with 128 + the
/// signal's number, as a shell expects. Called once, by the commands that write folders.
#[cfg(unix)]
pub fn on_signals_remove_folders() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("kring-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                remove_all();
                std::process::exit(128 + signal);
            }
        });
}

#[cfg(not(unix))]
pub fn on_signals_remove_folders() {}
