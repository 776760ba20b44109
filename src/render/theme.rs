//! A theme: templates, static files and UI strings, from `themes/NAME/` in the site or the
//! default theme built into kring. The site's own `templates/` and `i18n/` override it file
//! by file, key by key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::content::load::rel_path;
use crate::error::{Diagnostic, Error, Result};
use crate::text::{read_text, toml_diagnostic};

static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/kring");
pub const DEFAULT_THEME: &str = "kring";

/// A template's text and the file it came from (for error messages).
#[derive(Debug, Clone)]
pub struct TemplateSource {
    pub text: String,
    pub shown: PathBuf,
}

#[derive(Debug, Clone)]
pub enum StaticSource {
    Disk(PathBuf),
    Embedded(&'static [u8]),
}

#[derive(Debug)]
pub struct Theme {
    /// Template name (`article.html`, `partials/head.html`) → source.
    pub templates: BTreeMap<String, TemplateSource>,
    /// Output-relative path → file, the theme's `static/`.
    pub static_files: Vec<(String, StaticSource)>,
    /// Language → UI strings.
    pub i18n: BTreeMap<String, toml::Table>,
}

impl Theme {
    /// Loads the theme the config names, then the site's overrides.
    pub fn load(site_dir: &Path, name: &str) -> Result<Theme> {
        let on_disk = site_dir.join("themes").join(name);
        let mut theme = if on_disk.is_dir() {
            from_disk(&on_disk, &PathBuf::from("themes").join(name))?
        } else if name == DEFAULT_THEME {
            built_in()?
        } else {
            return Err(Diagnostic::new(
                "kring.toml",
                format!("theme `{name}` not found: there is no themes/{name}/ in the site (the built-in theme is \"{DEFAULT_THEME}\")"),
            )
            .into());
        };
        // The site's own templates and strings win.
        let templates_dir = site_dir.join("templates");
        if templates_dir.is_dir() {
            for (name, path) in files_under(&templates_dir) {
                let shown = PathBuf::from("templates").join(&name);
                let text = read_text(&path, &shown)?;
                theme.templates.insert(name, TemplateSource { text, shown });
            }
        }
        let i18n_dir = site_dir.join("i18n");
        if i18n_dir.is_dir() {
            for (name, path) in files_under(&i18n_dir) {
                if let Some(lang) = name.strip_suffix(".toml") {
                    let shown = PathBuf::from("i18n").join(&name);
                    let table = parse_strings(&read_text(&path, &shown)?, &shown)?;
                    theme
                        .i18n
                        .entry(lang.to_string())
                        .or_default()
                        .merge_from(table);
                }
            }
        }
        Ok(theme)
    }
}

/// The site's strings over the theme's, key by key, also inside tables such as
/// `[date_formats]`: overriding one format keeps the others.
trait MergeFrom {
    fn merge_from(&mut self, from: toml::Table);
}

impl MergeFrom for toml::Table {
    fn merge_from(&mut self, from: toml::Table) {
        for (key, value) in from {
            match (self.get_mut(&key), value) {
                (Some(toml::Value::Table(mine)), toml::Value::Table(theirs)) => {
                    mine.merge_from(theirs)
                }
                (_, value) => {
                    self.insert(key, value);
                }
            }
        }
    }
}

fn parse_strings(text: &str, shown: &Path) -> Result<toml::Table> {
    toml::from_str(text).map_err(|e| Error::from(toml_diagnostic(shown, text, 0, &e)))
}

fn from_disk(dir: &Path, shown_root: &Path) -> Result<Theme> {
    let mut theme = Theme {
        templates: BTreeMap::new(),
        static_files: Vec::new(),
        i18n: BTreeMap::new(),
    };
    for (name, path) in files_under(&dir.join("templates")) {
        let shown = shown_root.join("templates").join(&name);
        let text = read_text(&path, &shown)?;
        theme.templates.insert(name, TemplateSource { text, shown });
    }
    for (name, path) in files_under(&dir.join("static")) {
        theme.static_files.push((name, StaticSource::Disk(path)));
    }
    for (name, path) in files_under(&dir.join("i18n")) {
        if let Some(lang) = name.strip_suffix(".toml") {
            let shown = shown_root.join("i18n").join(&name);
            theme.i18n.insert(
                lang.to_string(),
                parse_strings(&read_text(&path, &shown)?, &shown)?,
            );
        }
    }
    Ok(theme)
}

fn built_in() -> Result<Theme> {
    let mut theme = Theme {
        templates: BTreeMap::new(),
        static_files: Vec::new(),
        i18n: BTreeMap::new(),
    };
    let shown_root = PathBuf::from("(built-in theme kring)");
    let mut stack: Vec<&Dir> = vec![&BUILT_IN];
    while let Some(dir) = stack.pop() {
        stack.extend(dir.dirs());
        for file in dir.files() {
            let path = file.path().to_string_lossy().replace('\\', "/");
            if let Some(name) = path.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(file.contents()).into_owned();
                theme.templates.insert(
                    name.to_string(),
                    TemplateSource {
                        text,
                        shown: shown_root.join(&path),
                    },
                );
            } else if let Some(name) = path.strip_prefix("static/") {
                theme
                    .static_files
                    .push((name.to_string(), StaticSource::Embedded(file.contents())));
            } else if let Some(name) = path
                .strip_prefix("i18n/")
                .and_then(|n| n.strip_suffix(".toml"))
            {
                let text = String::from_utf8_lossy(file.contents());
                theme.i18n.insert(
                    name.to_string(),
                    parse_strings(&text, &shown_root.join(&path))?,
                );
            }
        }
    }
    theme.static_files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(theme)
}

/// Files under `dir`, as (`/`-separated relative name, path), editor leftovers skipped.
pub fn files_under(dir: &Path) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !crate::content::load::is_ignored(&e.file_name().to_string_lossy())
        })
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| (rel_path(dir, e.path()), e.into_path()))
        .collect()
}

/// Files under `dir` (a folder of the site at `site_root`) as [`files_under`] finds them,
/// following symbolic links that point inside the site, files and folders alike: a shared
/// logo linked into `static/` is published under the link's name. A link that points
/// outside the site, at nothing, or back at a folder it is in is skipped with a warning
/// naming it (`shown` is how `dir` is named in it): a build never publishes a file from
/// elsewhere on the machine, and a loop ends.
pub fn files_in_site(
    dir: &Path,
    site_root: &Path,
    shown: &str,
) -> (Vec<(String, PathBuf)>, Vec<String>) {
    let mut warnings = Vec::new();
    if !dir.is_dir() {
        return (Vec::new(), warnings);
    }
    let root = site_root
        .canonicalize()
        .unwrap_or_else(|_| site_root.to_path_buf());
    let mut files = Vec::new();
    let mut walk = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let name = e.path().map(|p| rel_path(dir, p)).unwrap_or_default();
                let why = if e.loop_ancestor().is_some() {
                    "it is a symbolic link to a folder it is in (a loop)".to_string()
                } else if e.path().is_some_and(|p| p.is_symlink() && !p.exists()) {
                    "it is a symbolic link to something that does not exist".to_string()
                } else {
                    e.to_string()
                };
                warnings.push(format!("{shown}/{name}: skipped: {why}"));
                continue;
            }
        };
        let ignored = entry.depth() > 0
            && crate::content::load::is_ignored(&entry.file_name().to_string_lossy());
        let outside = entry.path_is_symlink()
            && !entry
                .path()
                .canonicalize()
                .is_ok_and(|target| target.starts_with(&root));
        if ignored || outside {
            if outside {
                warnings.push(format!(
                    "{shown}/{}: skipped: it is a symbolic link to something outside the site",
                    rel_path(dir, entry.path())
                ));
            }
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        if entry.file_type().is_file() {
            files.push((rel_path(dir, entry.path()), entry.into_path()));
        }
    }
    (files, warnings)
}
