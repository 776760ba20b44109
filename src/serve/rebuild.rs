//! What the dev server does when files change: each change is classified, and only what it
//! affects is redone. Editing one article re-renders that page, its neighbours, the lists,
//! term pages and feeds that show it — not the whole site — in whichever language the file
//! is. Anything structural (a new or deleted page, a section's `_index.md`, the config, a
//! title that other languages show) rebuilds everything.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::build::{Loaded, Rendering, load_site, run, static_files};
use crate::content::load::{self, is_ignored};
use crate::error::{Error, Result};
use crate::model::{BuildOptions, Site};
use crate::output::depends::{Footprint, everything_of};
use crate::output::plan::{Output, Plan};
use crate::output::write::{LiveDir, Sink, Staging};
use crate::render::theme::Theme;

use super::server::Visits;

/// A change to one file, by what it affects.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Config,
    /// A Markdown file under `content/` (content-relative path).
    Content(String),
    /// Another file under `content/`: a bundle's image, a section's file.
    ContentAsset,
    /// A template, by name (`article.html`, `partials/head.html`).
    Template(String),
    /// UI strings.
    Strings,
    /// A file of the site's or the theme's `static/`, by output path.
    Static(String),
    /// A conversation in `.kring-cache/discussions/`, written by the background refresh
    /// (`kring serve` never waits on another host): every page showing it or its count.
    Conversation,
}

/// Sorts a changed path into a [`Change`]; `None` for what kring does not read.
pub fn classify(site_dir: &Path, theme: &str, path: &Path) -> Option<Change> {
    let rel = path.strip_prefix(site_dir).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.len() == 3
        && parts[0] == crate::vocabulary::CACHE_DIR
        && parts[1] == "discussions"
        && parts[2].ends_with(".json")
    {
        return Some(Change::Conversation);
    }
    if parts.iter().any(|p| is_ignored(p)) {
        return None;
    }
    let tail = |from: usize| parts[from..].join("/");
    match parts.first().map(String::as_str)? {
        "kring.toml" => Some(Change::Config),
        "content" if parts.last().is_some_and(|n| n.ends_with(".md")) => {
            Some(Change::Content(tail(1)))
        }
        "content" => Some(Change::ContentAsset),
        "templates" if parts.len() > 1 => Some(Change::Template(tail(1))),
        "i18n" => Some(Change::Strings),
        "static" if parts.len() > 1 => Some(Change::Static(tail(1))),
        "themes" if parts.get(1).map(String::as_str) == Some(theme) => {
            match parts.get(2).map(String::as_str) {
                Some("templates") if parts.len() > 3 => Some(Change::Template(tail(3))),
                Some("static") if parts.len() > 3 => Some(Change::Static(tail(3))),
                Some("i18n") => Some(Change::Strings),
                _ => None,
            }
        }
        _ => None,
    }
}

/// What a rebuild did, for the terminal and the browser.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Only stylesheets changed: browsers swap them without reloading.
    pub css_only: bool,
    /// Files written.
    pub written: usize,
    /// Whether the whole site was rebuilt.
    pub full: bool,
    pub elapsed: Duration,
    /// Outputs left for [`DevSite::finish`]: a rebuild writes the edited pages and those open
    /// in browsers first, and the rest after the browsers are told.
    pub pending: usize,
}

/// The dev server's site: the model and rendering state kept between edits, and the folder
/// being served.
pub struct DevSite {
    pub site_dir: PathBuf,
    pub options: BuildOptions,
    /// The folder being served.
    pub out: PathBuf,
    /// Injects the live-reload script into every HTML file written.
    pub live_reload: bool,
    /// The model, the rendering state of each language (default first), and the plan of a
    /// whole build, which every rebuild's plan is restricted to.
    state: Option<State>,
    /// The pages open in browsers (the server records them).
    pub visits: Visits,
    /// What the last rebuild left to write after the visited pages.
    pending: Option<Plan>,
}

struct State {
    loaded: Loaded,
    renderings: Vec<Rendering>,
    full: Plan,
}

/// A sink that adds the live-reload script to HTML.
pub(super) struct WithReload<'a>(pub(super) &'a dyn Sink);

pub const RELOAD_SCRIPT_SRC: &str = "/__kring/live-reload.js";
/// Added before `</body>` of every page; the server marks it with the build generation.
pub const RELOAD_SCRIPT_TAG: &str = "<script src=\"/__kring/live-reload.js\" defer></script>";

impl Sink for WithReload<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        if !rel.ends_with(".html") {
            return self.0.write(rel, bytes);
        }
        let html = String::from_utf8_lossy(bytes);
        let injected = match html.rfind("</body>") {
            Some(at) => format!("{}{RELOAD_SCRIPT_TAG}\n{}", &html[..at], &html[at..]),
            None => format!("{html}{RELOAD_SCRIPT_TAG}\n"),
        };
        self.0.write(rel, injected.as_bytes())
    }
    fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        self.0.copy(from, rel)
    }
    fn link(&self, entry: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
        self.0.link(entry, rel, bytes)
    }
}

impl DevSite {
    pub fn new(
        site_dir: PathBuf,
        options: BuildOptions,
        out: PathBuf,
        live_reload: bool,
    ) -> DevSite {
        DevSite {
            site_dir,
            options,
            out,
            live_reload,
            state: None,
            visits: Visits::default(),
            pending: None,
        }
    }

    pub fn site(&self) -> Option<&Site> {
        self.state.as_ref().map(|s| &s.loaded.site)
    }

    pub fn theme_name(&self) -> String {
        self.site()
            .map_or_else(|| "kring".to_string(), |s| s.config.theme.clone())
    }

    /// Reads and renders everything into a fresh folder, swapped in whole.
    pub fn full_build(&mut self) -> Result<Outcome> {
        let started = Instant::now();
        let loaded = load_site(&self.site_dir, &self.options)?;
        let renderings = kept(loaded.renderings()?);
        let full = loaded.full_plan(&renderings);
        let staging = Staging::replacing_all(&self.out)?;
        let counts = if self.live_reload {
            run(&loaded, &renderings, &full, &WithReload(&staging))?
        } else {
            run(&loaded, &renderings, &full, &staging)?
        };
        staging.commit()?;
        Ok(self.finish_full(loaded, renderings, full, counts.files(), started))
    }

    /// After a whole build is in place: the unused cache entries go, the cache's warnings are
    /// shown, and the site becomes the state later changes start from.
    pub(super) fn finish_full(
        &mut self,
        loaded: Loaded,
        renderings: Vec<Rendering>,
        full: Plan,
        written: usize,
        started: Instant,
    ) -> Outcome {
        loaded.images.prune();
        for w in loaded.images.take_warnings() {
            eprintln!("warning: {w}");
        }
        self.install(loaded, renderings, full);
        Outcome {
            css_only: false,
            written,
            full: true,
            elapsed: started.elapsed(),
            pending: 0,
        }
    }

    /// Keeps a site built whole as the state later changes start from.
    /// The site as last built, if a build has succeeded.
    pub fn loaded(&self) -> Option<&Loaded> {
        self.state.as_ref().map(|s| &s.loaded)
    }

    pub(super) fn install(&mut self, loaded: Loaded, renderings: Vec<Rendering>, full: Plan) {
        self.pending = None;
        self.state = Some(State {
            loaded,
            renderings,
            full,
        });
    }

    /// [`apply`](Self::apply), surviving a panic: kring's own bug must not stop the dev
    /// server from rebuilding. The kept state may be half-updated, so it is dropped and the
    /// next change rebuilds everything.
    pub fn apply_guarded(&mut self, paths: &[PathBuf]) -> Result<Outcome> {
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.apply(paths)));
        run.unwrap_or_else(|panic| {
            self.state = None;
            self.pending = None;
            Err(Error::Bug(crate::error::panic_message(panic.as_ref())))
        })
    }

    /// Applies a batch of changed paths.
    pub fn apply(&mut self, paths: &[PathBuf]) -> Result<Outcome> {
        let started = Instant::now();
        let theme = self.theme_name();
        let changes: BTreeSet<Change> = paths
            .iter()
            .filter_map(|p| classify(&self.site_dir, &theme, p))
            .collect();
        if changes.is_empty() {
            return Ok(Outcome {
                css_only: false,
                written: 0,
                full: false,
                elapsed: started.elapsed(),
                pending: self.pending.as_ref().map_or(0, Plan::len),
            });
        }
        if self.state.is_none()
            || changes.iter().any(|c| {
                matches!(
                    c,
                    Change::Config | Change::Strings | Change::ContentAsset | Change::Conversation
                )
            })
        {
            return self.full_build();
        }
        let mut css_only = true;
        let mut plan = Plan::default();
        let mut templates_changed = Vec::new();
        for change in &changes {
            match change {
                Change::Static(rel) => {
                    self.static_changed(rel)?;
                    plan.add(0, Output::Static(rel.clone()));
                    css_only &= rel.ends_with(".css");
                }
                Change::Template(name) => {
                    // Blocks are rendered into page bodies when the site is read.
                    let theme = &self.state.as_ref().expect("state is loaded").loaded.theme;
                    if templates_using(theme, std::slice::from_ref(name))
                        .iter()
                        .any(|t| t.starts_with("shortcodes/"))
                    {
                        return self.full_build();
                    }
                    templates_changed.push(name.clone());
                    css_only = false;
                }
                Change::Content(rel) => {
                    css_only = false;
                    match self.update_content(rel)? {
                        Some(affected) => plan.merge(affected),
                        None => return self.full_build(),
                    }
                }
                Change::Config | Change::Strings | Change::ContentAsset | Change::Conversation => {
                    unreachable!("handled above")
                }
            }
        }
        if !templates_changed.is_empty() {
            plan.merge(self.reload_templates(&templates_changed)?);
        }
        let state = self.state.as_ref().expect("state is loaded");
        let mut plan = plan.within(&state.full);
        if let Some(left) = self.pending.take() {
            plan.merge(left);
        }
        let content = self.site_dir.join("content");
        let edited: Vec<PathBuf> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Content(rel) => Some(content.join(rel)),
                _ => None,
            })
            .collect();
        let (mut now, mut later) = super::order::first_and_rest(
            plan,
            &state.loaded.sites(),
            &self.visits.recent(),
            &edited,
        );
        if now.is_empty() {
            // Nothing anyone looks at changed (a template of pages no tab shows): the whole
            // plan, then the reload.
            std::mem::swap(&mut now, &mut later);
        }
        let written = self.write(&now)?;
        let pending = later.len();
        self.pending = (pending > 0).then_some(later);
        Ok(Outcome {
            css_only: css_only && written > 0,
            written,
            full: false,
            elapsed: started.elapsed(),
            pending,
        })
    }

    /// Writes what the last rebuild left after the visited pages (see [`Outcome::pending`]).
    pub fn finish(&mut self) -> Result<Outcome> {
        self.finish_unless(|| false)
    }

    /// [`finish`](Self::finish) a step at a time, stopping when `interrupted` says so (a new
    /// change is waiting): what is left stays pending, and the next rebuild writes it with its own.
    pub fn finish_unless(&mut self, mut interrupted: impl FnMut() -> bool) -> Result<Outcome> {
        let started = Instant::now();
        let mut written = 0;
        while let Some(plan) = self.pending.take() {
            if interrupted() {
                self.pending = Some(plan);
                break;
            }
            let (now, later) = super::order::next_step(plan, &[], &[]);
            written += self.write(&now)?;
            self.pending = (!later.is_empty()).then_some(later);
        }
        Ok(Outcome {
            css_only: false,
            written,
            full: false,
            elapsed: started.elapsed(),
            pending: self.pending.as_ref().map_or(0, Plan::len),
        })
    }

    /// [`finish_unless`](Self::finish_unless), surviving a panic as [`apply_guarded`](Self::apply_guarded).
    pub fn finish_guarded(&mut self, interrupted: impl FnMut() -> bool) -> Result<Outcome> {
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.finish_unless(interrupted)
        }));
        run.unwrap_or_else(|panic| {
            self.state = None;
            self.pending = None;
            Err(Error::Bug(crate::error::panic_message(panic.as_ref())))
        })
    }

    /// Runs `plan` into the served folder; returns how many files were written.
    fn write(&self, plan: &Plan) -> Result<usize> {
        let state = self.state.as_ref().expect("state is loaded");
        // A search index written again may have fewer files (a word gone): the old ones go
        // first, from the served folder, which kring made.
        let sites = state.loaded.sites();
        for (lang, outputs) in plan.languages() {
            if outputs.contains(&Output::Search) {
                let folder = self.out.join(sites[lang].config.language_prefix());
                let folder = folder.join(crate::model::routes::SEARCH_PATH);
                for part in ["w", "p"] {
                    let _ = std::fs::remove_dir_all(folder.join(part));
                }
            }
        }
        let live = LiveDir(self.out.clone());
        let counts = if self.live_reload {
            run(&state.loaded, &state.renderings, plan, &WithReload(&live))?
        } else {
            run(&state.loaded, &state.renderings, plan, &live)?
        };
        Ok(counts.files())
    }

    /// A file of a `static/` folder was written or deleted: the static files are found again
    /// (the theme's may take the place of a deleted one of the site), and a file that is
    /// gone from both is removed from the output.
    fn static_changed(&mut self, rel: &str) -> Result<()> {
        let state = self.state.as_mut().expect("state is loaded");
        let loaded = &mut state.loaded;
        // The theme too: a file may have appeared in its `static/`.
        loaded.theme = Theme::load(&self.site_dir, &loaded.site.config.theme)?;
        let (statics, warnings) = static_files(&loaded.site, &loaded.theme);
        for w in warnings {
            eprintln!("warning: {w}");
        }
        loaded.statics = statics;
        state
            .full
            .replace_statics(loaded.statics.iter().map(|(rel, _)| rel.clone()));
        let sites = loaded.sites();
        loaded
            .photos
            .replace_sources(crate::build::image_sources(&sites, &loaded.statics));
        if !loaded.statics.iter().any(|(r, _)| r == rel) {
            let _ = std::fs::remove_file(self.out.join(rel));
            // A photo's sizes go with it.
            if crate::content::photo::is_photo(rel) {
                let _ = std::fs::remove_file(self.out.join(crate::model::routes::email_photo(rel)));
                for made in loaded.photos.forget(rel) {
                    let _ = std::fs::remove_file(self.out.join(made.file));
                }
            }
        }
        Ok(())
    }

    /// Reloads the theme and returns, by language, the jobs whose templates use one of
    /// `names`.
    fn reload_templates(&mut self, names: &[String]) -> Result<Plan> {
        let state = self.state.as_mut().expect("state is loaded");
        let loaded = &mut state.loaded;
        loaded.theme = Theme::load(&self.site_dir, &loaded.site.config.theme)?;
        state.renderings = kept(loaded.renderings()?);
        // A template that appeared or vanished adds or removes generated pages.
        state.full = loaded.full_plan(&state.renderings);
        let affected = templates_using(&loaded.theme, names);
        let mut plan = Plan::default();
        for (lang, site) in loaded.sites().into_iter().enumerate() {
            let renderer = state.renderings[lang].renderer(site);
            let jobs = renderer.all_jobs().into_iter().filter(|job| {
                renderer
                    .template_of(*job)
                    .is_none_or(|t| affected.contains(&t))
            });
            plan.extend(lang, jobs.map(Output::Html));
        }
        Ok(plan)
    }

    /// Re-reads one Markdown file; returns its language and what it affects there. `None`
    /// when the change needs a full rebuild.
    fn update_content(&mut self, rel: &str) -> Result<Option<Plan>> {
        let state = self.state.as_mut().expect("state is loaded");
        let (loaded, renderings) = (&mut state.loaded, &mut state.renderings);
        let multilingual = !loaded.others.is_empty();
        // By the file itself: translations share `rel`, the name links use.
        let path = self.site_dir.join("content").join(rel);
        let found = loaded
            .sites()
            .into_iter()
            .enumerate()
            .find_map(|(lang, site)| {
                site.pages
                    .iter()
                    .position(|p| p.file.path == path)
                    .map(|index| (lang, index))
            });
        let Some((lang, index)) = found else {
            return Ok(None); // a section, a new page or a deleted one
        };
        let site = loaded.site_mut(lang);
        if !path.is_file() {
            return Ok(None);
        }
        let mut phases = crate::build::Phases::start();
        let before = Footprint::of(site, index);
        let had_schedule = !site.schedule.is_empty();
        let section_dir = site.sections[site.pages[index].section].dir.clone();
        let mut source =
            load::read_page(&path, rel.to_string(), section_dir).map_err(Error::from)?;
        // Named as the loader names it: without its language, or by the page it translates
        // (a changed `translation_of` makes `update_page` ask for a full rebuild).
        let old = &site.pages[index].file;
        source.file.own_rel = old.own_rel.clone();
        source.file.rel = match &source.front.translation_of {
            Some(of) if lang > 0 => of
                .trim_start_matches("@/")
                .trim_start_matches('/')
                .to_string(),
            _ => old.own_rel.clone(),
        };
        let assets = std::mem::take(&mut site.pages[index].assets);
        source.assets = assets.clone();
        if !site.update_page(index, source, &self.options)? {
            site.pages[index].assets = assets;
            return Ok(None);
        }
        phases.done("page re-read and the model re-linked");
        loaded.expand_blocks(lang, Some((index, &renderings[lang])))?;
        let site = loaded.site_mut(lang);
        let rendering = &mut renderings[lang];
        let after = Footprint::of(site, index);
        if before.terms != after.terms && before.all_terms != Footprint::all_terms(site) {
            return Ok(None);
        }
        if before.all_series != after.all_series {
            return Ok(None);
        }
        // Becoming (or ceasing to be) a newsletter issue adds or removes an email edition;
        // the first dated event adds the calendars, the last one removes them.
        if before.issue != after.issue || had_schedule == site.schedule.is_empty() {
            return Ok(None);
        }
        // The other languages show a page's title (its translations) and its members.
        let is_member = site.pages[index].as_member().is_some();
        if multilingual && (before.title != after.title || is_member) {
            return Ok(None);
        }
        // Pages whose blocks show this one (an event's card in an article) show it anew,
        // from its new list view.
        let shown_by = crate::output::pages::shown_by_blocks(site, index);
        let edited = [index];
        rendering.refresh(site, if is_member { None } else { Some(&edited) });
        for &other in &shown_by {
            loaded.expand_blocks(lang, Some((other, &renderings[lang])))?;
        }
        let site = loaded.site_mut(lang);
        let rendering = &mut renderings[lang];
        if !shown_by.is_empty() {
            rendering.refresh(site, Some(&shown_by));
        }
        if is_member {
            // Other pages show this member's name and avatar.
            return Ok(Some(everything_of(&rendering.renderer(site), lang)));
        }
        phases.done("list views and lookups refreshed");
        let mut plan = before.affected(&after, site, lang, index);
        for &other in &shown_by {
            let footprint = Footprint::of(site, other);
            plan.merge(footprint.affected(&footprint, site, lang, other));
        }
        Ok(Some(plan))
    }
}

/// Rendering state that keeps what an edit does not change between rebuilds.
pub(super) fn kept(mut renderings: Vec<Rendering>) -> Vec<Rendering> {
    for r in &mut renderings {
        r.feed_items = crate::output::feeds::FeedItems::kept();
    }
    renderings
}

/// Template names that are, or extend, include or import, one of `changed`.
pub fn templates_using(theme: &Theme, changed: &[String]) -> BTreeSet<String> {
    let mut affected: BTreeSet<String> = changed.iter().cloned().collect();
    loop {
        let before = affected.len();
        for (name, source) in &theme.templates {
            if affected.contains(name) {
                continue;
            }
            let uses = affected.iter().any(|a| {
                source.text.contains(&format!("\"{a}\"")) || source.text.contains(&format!("'{a}'"))
            });
            if uses {
                affected.insert(name.clone());
            }
        }
        if affected.len() == before {
            return affected;
        }
    }
}
