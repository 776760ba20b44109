//! The first build of `kring serve`, served while it runs. The server answers from the
//! moment it starts: a request for a file the build has not written yet waits, and names
//! what it waits for, so the build writes the pages asked for next instead of in its own
//! order. Files appear in the served folder whole (written beside, then renamed), so no
//! request ever sees half a page; one that is never written (a 404) waits for the end.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use tokio::sync::watch;

use super::order::{next_step, split};
use super::rebuild::{DevSite, Outcome, WithReload};
use crate::build::{load_site, run};
use crate::error::{Error, Result};
use crate::output::carry::marker_text;
use crate::output::plan::Output;
use crate::output::write::{LiveDir, MARKER, Sink};

/// The first build's progress, shared with the request handlers.
pub struct Startup {
    /// The URL paths requests wait for, not yet handed to the build.
    wanted: Mutex<Vec<String>>,
    /// Bumped after each step the build writes; `true` in the second field when it is over.
    progress: watch::Sender<(u64, bool)>,
    /// Set when the server stops: the build ends at its next step.
    stopping: AtomicBool,
}

impl Default for Startup {
    fn default() -> Self {
        Startup {
            wanted: Mutex::default(),
            progress: watch::Sender::new((0, false)),
            stopping: AtomicBool::new(false),
        }
    }
}

impl Startup {
    /// Waits until the file `url_path` names is in `out`, or the first build is over.
    pub async fn wait_for(&self, out: &Path, url_path: &str) {
        // Subscribed before looking: a step written in between wakes it all the same.
        let mut progress = self.progress.subscribe();
        let mut asked = false;
        loop {
            if progress.borrow_and_update().1 || is_written(out, url_path) {
                return;
            }
            if !asked {
                self.lock().push(url_path.to_string());
                asked = true;
            }
            if progress.changed().await.is_err() {
                return;
            }
        }
    }

    /// Whether the first build is over (done, failed or stopped).
    pub fn is_over(&self) -> bool {
        self.progress.borrow().1
    }

    /// Waits (blocking) until the first build is over.
    pub fn wait_over(&self) {
        let mut progress = self.progress.subscribe();
        if let Ok(runtime) = tokio::runtime::Builder::new_current_thread().build() {
            let _ = runtime.block_on(progress.wait_for(|(_, over)| *over));
        }
    }

    pub fn stop(&self) {
        self.stopping.store(true, Ordering::Relaxed);
    }

    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::Relaxed)
    }

    /// Marks the first build over, however it ended: waiting requests are answered.
    pub fn over(&self) {
        self.progress.send_modify(|(step, over)| {
            *step += 1;
            *over = true;
        });
    }

    fn stepped(&self) {
        self.progress.send_modify(|(step, _)| *step += 1);
    }

    fn take_wanted(&self) -> Vec<String> {
        std::mem::take(&mut *self.lock())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        self.wanted.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Whether the file a URL path names (a folder's `index.html` for a path ending in `/`)
/// is in `out`. A folder counts: the file server redirects it to its `/` form.
fn is_written(out: &Path, url_path: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(url_path).decode_utf8_lossy();
    let rel = decoded.trim_start_matches('/');
    let path = out.join(rel);
    if rel.is_empty() || rel.ends_with('/') {
        path.join("index.html").is_file()
    } else {
        path.exists()
    }
}

/// The served folder, written file by file as [`LiveDir`] does, with a [`Staging`]'s
/// checks: two outputs at one path are an error, and a stopping process writes no more.
///
/// [`Staging`]: crate::output::write::Staging
struct Filling {
    live: LiveDir,
    written: Mutex<HashSet<String>>,
}

impl Filling {
    fn claim(&self, rel: &str) -> Result<()> {
        if crate::cleanup::stopping() {
            return Err(Error::Usage("the build was interrupted".into()));
        }
        let rel = rel.trim_start_matches('/').to_string();
        let mut written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        if written.insert(rel.clone()) {
            Ok(())
        } else {
            Err(Error::Usage(format!(
                "two outputs of this build are written to /{rel}: rename or move one of them"
            )))
        }
    }

    /// Writes the marker that lists what the build wrote, as a staged build's commit does.
    fn finish(self) -> Result<()> {
        let written = self.written.into_inner().unwrap_or_else(|e| e.into_inner());
        self.live
            .write(MARKER, marker_text(written.iter()).as_bytes())
    }
}

impl Sink for Filling {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.claim(rel)?;
        self.live.write(rel, bytes)
    }
    fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        self.claim(rel)?;
        self.live.copy(from, rel)
    }
}

impl DevSite {
    /// Reads the site and writes all of it into the (new, empty) served folder, step by
    /// step: the static files first, then in each step the pages requests wait for (see
    /// [`Startup`]), or else the next few dozen outputs of the plan.
    pub fn first_build(&mut self, startup: &Startup) -> Result<Outcome> {
        let started = Instant::now();
        let loaded = load_site(&self.site_dir, &self.options)?;
        let renderings = super::rebuild::kept(loaded.renderings()?);
        let full = loaded.full_plan(&renderings);
        std::fs::create_dir_all(&self.out).map_err(|e| Error::io(&self.out, e))?;
        let filling = Filling {
            live: LiveDir(self.out.clone()),
            written: Mutex::default(),
        };
        let reloading = WithReload(&filling);
        let sink: &dyn Sink = if self.live_reload {
            &reloading
        } else {
            &filling
        };
        let sites = loaded.sites();
        let (statics, mut rest) = split(full.clone(), |_, o| matches!(o, Output::Static(_)));
        let mut written = run(&loaded, &renderings, &statics, sink)?.files();
        startup.stepped();
        while !rest.is_empty() {
            if startup.is_stopping() {
                return Err(Error::Usage("the server stopped".into()));
            }
            let (now, later) = next_step(rest, &sites, &startup.take_wanted());
            written += run(&loaded, &renderings, &now, sink)?.files();
            startup.stepped();
            rest = later;
        }
        filling.finish()?;
        Ok(self.finish_full(loaded, renderings, full, written, started))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_counts_as_written_once_its_file_is_there() {
        let out = tempfile::tempdir().unwrap();
        let out = out.path();
        assert!(!is_written(out, "/"));
        assert!(!is_written(out, "/articles/caf%C3%A9/"));
        std::fs::create_dir_all(out.join("articles/café")).unwrap();
        assert!(
            !is_written(out, "/articles/caf%C3%A9/"),
            "a folder without its page"
        );
        std::fs::write(out.join("articles/café/index.html"), "x").unwrap();
        assert!(is_written(out, "/articles/caf%C3%A9/"));
        assert!(
            is_written(out, "/articles/caf%C3%A9"),
            "redirected to its / form"
        );
        std::fs::write(out.join("index.html"), "x").unwrap();
        assert!(is_written(out, "/"));
        assert!(!is_written(out, "/kring.css"));
    }
}
