//! Walks `content/` and reads every file: sections (`_index.md`), pages (`x.md` and page
//! bundles `x/index.md`), and the assets beside them. Front matter is parsed here, in
//! parallel; the model (URLs, kinds, dates) is assembled from this in `model::site`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use super::frontmatter::{self, PageFront, SectionFront};
use crate::error::{Diagnostic, Error, Result};
use crate::text::{read_text, toml_diagnostic};

/// A content file as read from disk.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to `content/`, with `/` separators and without a language:
    /// `articles/welcome.md`. What `@/` links name, and what ties translations together.
    pub rel: String,
    /// The file's own path relative to `content/` (`articles/welkom.nl.md`), which gives the
    /// slug; the same as `rel` but for translations.
    pub own_rel: String,
    /// Path as shown to the user: `content/articles/welcome.md`.
    pub shown: PathBuf,
    /// Where the file is on disk.
    pub path: PathBuf,
    /// The text of the file up to the end of its front matter; the body is read again when
    /// it is rendered (see [`SourceFile::read_body`]).
    pub text: String,
    pub front_offset: usize,
    pub front_end: usize,
    pub body_offset: usize,
}

impl SourceFile {
    /// The body, read from the file again. The first read keeps only the front matter, so
    /// a large site's Markdown is never all in memory at once: every page's permalink must
    /// be known before any body is rendered, and holding the bodies until then was about
    /// 600 MB of the peak at 100,000 pages. A file whose front matter changed in between
    /// (saved while kring read the site) is an error: build again.
    pub fn read_body(&self) -> Result<String, Diagnostic> {
        let mut text = read_text(&self.path, &self.shown).map_err(|e| e.diagnostics().remove(0))?;
        if text.get(..self.text.len()) != Some(self.text.as_str())
            || !text.is_char_boundary(self.body_offset.min(text.len()))
        {
            return Err(Diagnostic::new(
                &self.shown,
                "this file changed while kring was reading the site: build again",
            ));
        }
        Ok(text.split_off(self.body_offset.min(text.len())))
    }
    pub fn front(&self) -> &str {
        &self.text[self.front_offset..self.front_end]
    }
    /// A diagnostic pointing at a byte offset of the body, whose line is found in the file
    /// (only the front matter is kept).
    pub fn error_in_body(&self, body_offset: usize, message: impl Into<String>) -> Diagnostic {
        let offset = self.body_offset + body_offset;
        match std::fs::read_to_string(&self.path) {
            Ok(text) => Diagnostic::new(&self.shown, message).at_offset(&text, offset),
            Err(_) => Diagnostic::new(&self.shown, message),
        }
    }
    /// A diagnostic pointing at a key of the front matter (or the file's first line).
    pub fn error_at_key(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let offset =
            frontmatter::key_offset(self.front(), key).map_or(0, |o| self.front_offset + o);
        Diagnostic::new(&self.shown, message).at_offset(&self.text, offset)
    }
    /// A diagnostic at a byte span of the front matter, as `toml::Spanned` gives them.
    pub fn error_at_span(&self, span_start: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.shown, message).at_offset(&self.text, self.front_offset + span_start)
    }
    /// The file or bundle folder name without `.md`: `welcome`, `big-post`.
    pub fn stem(&self) -> &str {
        let rel = self
            .own_rel
            .strip_suffix("/index.md")
            .unwrap_or(&self.own_rel);
        let name = rel.rsplit('/').next().unwrap_or(rel);
        name.strip_suffix(".md").unwrap_or(name)
    }
    /// The folder (content-relative, `""` for the root) this file's page or section lives in.
    pub fn dir(&self) -> &str {
        match self.rel.rfind('/') {
            Some(i) => &self.rel[..i],
            None => "",
        }
    }
}

#[derive(Debug)]
pub struct SourceSection {
    /// Content-relative folder: `""` for the root, `articles`, `articles/series`.
    pub dir: String,
    /// The language of `_index.LANG.md`; `None` for the site's default language.
    pub lang: Option<String>,
    /// `None` for a folder with pages but no `_index.md`.
    pub file: Option<SourceFile>,
    pub front: SectionFront,
    /// Files in the folder that are neither pages nor sections (absolute paths).
    pub assets: Vec<PathBuf>,
}

#[derive(Debug)]
pub struct SourcePage {
    pub file: SourceFile,
    /// The language of `name.LANG.md`; `None` for the site's default language.
    pub lang: Option<String>,
    pub front: PageFront,
    /// The section folder the page belongs to.
    pub section_dir: String,
    /// For a page bundle: the files beside `index.md`, with their bundle-relative names.
    pub assets: Vec<(PathBuf, String)>,
}

#[derive(Debug, Default)]
pub struct Content {
    pub sections: Vec<SourceSection>,
    pub pages: Vec<SourcePage>,
    pub warnings: Vec<String>,
    /// Files that could not be read or parsed, with why. The build goes on without them
    /// so that one run reports every problem, then fails.
    pub problems: Vec<Diagnostic>,
    /// Content paths of those files: links to them are not reported as broken too.
    pub unreadable: Vec<String>,
    /// Permalinks of another language's content, for `@/` links to pages that have no
    /// translation in this one.
    pub fallback_links: std::collections::HashMap<String, String>,
}

impl Content {
    /// The content of each language: the default language's first, then `languages` in
    /// order. A language without its own `_index.LANG.md` gets the default section's
    /// settings (kind, sorting, pagination).
    pub fn by_language(self, languages: &[String]) -> Vec<(Option<String>, Content)> {
        let Content {
            sections,
            pages,
            warnings,
            problems,
            unreadable,
            ..
        } = self;
        let (default_sections, translated): (Vec<SourceSection>, Vec<SourceSection>) =
            sections.into_iter().partition(|s| s.lang.is_none());
        let mut out = Vec::new();
        let mut pages_by_lang: BTreeMap<Option<String>, Vec<SourcePage>> = BTreeMap::new();
        for p in pages {
            pages_by_lang.entry(p.lang.clone()).or_default().push(p);
        }
        let mut translated: BTreeMap<(String, String), SourceSection> = translated
            .into_iter()
            .map(|s| ((s.dir.clone(), s.lang.clone().unwrap_or_default()), s))
            .collect();
        for lang in languages {
            let sections = default_sections
                .iter()
                .map(|d| {
                    translated
                        .remove(&(d.dir.clone(), lang.clone()))
                        .unwrap_or_else(|| SourceSection {
                            dir: d.dir.clone(),
                            lang: Some(lang.clone()),
                            file: None,
                            front: d.front.clone(),
                            assets: d.assets.clone(),
                        })
                })
                .collect();
            let pages = pages_by_lang
                .remove(&Some(lang.clone()))
                .unwrap_or_default();
            out.push((
                Some(lang.clone()),
                Content {
                    sections,
                    pages,
                    ..Content::default()
                },
            ));
        }
        let pages = pages_by_lang.remove(&None).unwrap_or_default();
        out.insert(
            0,
            (
                None,
                Content {
                    sections: default_sections,
                    pages,
                    warnings,
                    problems,
                    unreadable,
                    ..Content::default()
                },
            ),
        );
        out
    }
}

/// `welcome.en.md` → (`welcome.md`, `en`) when `en` is one of the site's other languages.
fn split_language(rel: &str, languages: &[String]) -> (String, Option<String>) {
    if let Some(stem) = rel.strip_suffix(".md")
        && let Some((base, lang)) = stem.rsplit_once('.')
        && languages.iter().any(|l| l == lang)
        && !base.ends_with('/')
    {
        return (format!("{base}.md"), Some(lang.to_string()));
    }
    (rel.to_string(), None)
}

enum Entry {
    /// A section's folder, and the language of its `_index` file.
    Section(String, Option<String>, PathBuf, String),
    Page {
        path: PathBuf,
        /// The file's own path, `articles/welcome.en.md`.
        rel: String,
        /// Its path without the language, `articles/welcome.md`: what `@/` links name.
        key: String,
        lang: Option<String>,
        section_dir: String,
    },
    Asset {
        path: PathBuf,
        rel: String,
    },
}

/// Reads everything under `site_dir/content`. `languages` are the site's languages besides
/// the default one: `name.LANG.md` files are in those. `default` is the default language:
/// `name.DEFAULT.md` is the same as `name.md`.
pub fn load(site_dir: &Path, languages: &[String], default: &str) -> Result<Content> {
    let content_dir = site_dir.join("content");
    if !content_dir.is_dir() {
        return Err(Diagnostic::new(
            "content",
            "the site has no content/ folder: add content/_index.md for the home page",
        )
        .into());
    }
    let site_root = site_dir
        .canonicalize()
        .map_err(|e| Error::io(site_dir, e))?;

    let mut warnings = Vec::new();
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    // Links are followed, files and folders alike, when they point inside the site: content
    // is never pulled in silently from elsewhere on the machine. Those that point outside,
    // at nothing, or at a folder they are in (a loop, which walkdir finds) are skipped with
    // a warning naming them.
    let mut skipped = Vec::new();
    let walk = WalkDir::new(&content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && is_ignored(&e.file_name().to_string_lossy()) {
                return false;
            }
            let inside = !e.path_is_symlink()
                || e.path()
                    .canonicalize()
                    .is_ok_and(|target| target.starts_with(&site_root));
            if !inside {
                skipped.push(format!(
                    "content/{}: skipped: it is a symbolic link to something outside the site",
                    rel_path(&content_dir, e.path())
                ));
            }
            inside
        });
    for entry in walk {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e)
                if e.loop_ancestor().is_some()
                    || e.io_error()
                        .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) =>
            {
                let rel = e
                    .path()
                    .map(|p| rel_path(&content_dir, p))
                    .unwrap_or_default();
                let why = if e.loop_ancestor().is_some() {
                    "a symbolic link to a folder it is in (a loop)"
                } else {
                    "a symbolic link to something that does not exist"
                };
                warnings.push(format!("content/{rel}: skipped: it is {why}"));
                continue;
            }
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| content_dir.clone());
                return Err(Error::io(&path, std::io::Error::other(e.to_string())));
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let path = entry.path().to_path_buf();
        let rel = rel_path(&content_dir, &path);
        files.push((path, rel));
    }
    warnings.extend(skipped);

    // A folder with `index.md` (and no `_index.md`) is a page bundle.
    let mut known = languages.to_vec();
    known.push(default.to_string());
    let keys: Vec<(String, Option<String>)> = files
        .iter()
        .map(|(_, rel)| {
            let (key, lang) = split_language(rel, &known);
            (key, lang.filter(|l| l != default))
        })
        .collect();
    let bundle_dirs: BTreeSet<String> = keys
        .iter()
        .filter_map(|(key, _)| key.strip_suffix("index.md"))
        .filter(|d| !d.ends_with('_') && !d.is_empty())
        .map(|d| d.trim_end_matches('/').to_string())
        .collect();
    let in_bundle = |rel: &str| -> Option<String> {
        let mut dir = parent(rel);
        while !dir.is_empty() {
            if bundle_dirs.contains(dir) {
                return Some(dir.to_string());
            }
            dir = parent(dir);
        }
        None
    };

    let mut entries = Vec::new();
    let mut section_dirs: BTreeSet<String> = BTreeSet::from([String::new()]);
    for ((path, rel), (key, lang)) in files.into_iter().zip(keys) {
        let name = key.rsplit('/').next().unwrap_or(&key).to_string();
        if name == "_index.md" {
            let dir = parent(&key).to_string();
            section_dirs.insert(dir.clone());
            entries.push(Entry::Section(dir, lang, path, rel));
        } else if name == "index.md" && bundle_dirs.contains(parent(&key)) {
            let bundle = parent(&key);
            let section_dir = parent(bundle).to_string();
            entries.push(Entry::Page {
                path,
                rel,
                key,
                lang,
                section_dir,
            });
        } else if in_bundle(&key).is_none() && name.ends_with(".md") {
            let section_dir = parent(&key).to_string();
            entries.push(Entry::Page {
                path,
                rel,
                key,
                lang,
                section_dir,
            });
        } else {
            entries.push(Entry::Asset { path, rel });
        }
    }
    // Folders holding pages but no `_index.md` are sections with default settings.
    for e in &entries {
        if let Entry::Page { section_dir, .. } = e {
            let mut dir = section_dir.as_str();
            while !dir.is_empty() {
                section_dirs.insert(dir.to_string());
                dir = parent(dir);
            }
        }
    }

    let mut problems = Vec::new();
    let mut unreadable = Vec::new();
    let parsed: Vec<Result<Parsed, (String, Diagnostic)>> = entries
        .par_iter()
        .filter_map(|e| match e {
            Entry::Section(dir, lang, path, rel) => Some(
                read_section(path, rel.clone(), dir.clone())
                    .map(|mut s| {
                        s.lang = lang.clone();
                        Parsed::Section(Box::new(s))
                    })
                    .map_err(|d| (rel.clone(), d)),
            ),
            Entry::Page {
                path,
                rel,
                key,
                lang,
                section_dir,
            } => Some(
                read_page(path, rel.clone(), section_dir.clone())
                    .map(|mut p| {
                        // Links and lookups name a page without its language; a translation
                        // with a name of its own says which page it translates.
                        p.file.own_rel = key.clone();
                        p.file.rel = match &p.front.translation_of {
                            Some(of) if lang.is_some() => of
                                .trim_start_matches("@/")
                                .trim_start_matches('/')
                                .to_string(),
                            _ => key.clone(),
                        };
                        p.lang = lang.clone();
                        Parsed::Page(Box::new(p))
                    })
                    .map_err(|d| (key.clone(), d)),
            ),
            Entry::Asset { .. } => None,
        })
        .collect();

    let mut sections: BTreeMap<String, SourceSection> = section_dirs
        .into_iter()
        .map(|dir| {
            (
                dir.clone(),
                SourceSection {
                    dir,
                    lang: None,
                    file: None,
                    front: SectionFront::default(),
                    assets: Vec::new(),
                },
            )
        })
        .collect();
    let mut pages = Vec::new();
    let mut translated_sections = Vec::new();
    for p in parsed {
        match p {
            Ok(Parsed::Section(s)) if s.lang.is_none() => {
                sections.insert(s.dir.clone(), *s);
            }
            Ok(Parsed::Section(s)) => translated_sections.push(*s),
            Ok(Parsed::Page(p)) => pages.push(*p),
            Err((rel, d)) => {
                problems.push(d);
                unreadable.push(rel);
            }
        }
    }

    // A bundle's files belong to each language's version of it.
    let mut bundle_index: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        if let Some(dir) = p.file.own_rel.strip_suffix("/index.md") {
            bundle_index.entry(dir.to_string()).or_default().push(i);
        }
    }
    for e in entries {
        if let Entry::Asset { path, rel } = e {
            if let Some(bundle) = in_bundle(&rel) {
                let name = rel[bundle.len() + 1..].to_string();
                for &i in bundle_index.get(&bundle).into_iter().flatten() {
                    pages[i].assets.push((path.clone(), name.clone()));
                }
            } else if let Some(section) = sections.get_mut(parent(&rel)) {
                section.assets.push(path);
            }
        }
    }

    let mut sections: Vec<SourceSection> = sections.into_values().collect();
    sections.extend(translated_sections);
    Ok(Content {
        sections,
        pages,
        warnings,
        problems,
        unreadable,
        fallback_links: Default::default(),
    })
}

enum Parsed {
    Section(Box<SourceSection>),
    Page(Box<SourcePage>),
}

fn read_source(path: &Path, rel: String) -> Result<SourceFile, Diagnostic> {
    let shown = PathBuf::from("content").join(&rel);
    let mut text = read_text(path, &shown).map_err(|e| e.diagnostics().remove(0))?;
    let split = frontmatter::split(&text)
        .map_err(|(offset, msg)| Diagnostic::new(&shown, msg).at_offset(&text, offset))?;
    let (front_offset, front_end, body_offset) = (
        split.front_offset,
        split.front_offset + split.front.len(),
        split.body_offset,
    );
    text.truncate(front_end);
    text.shrink_to_fit();
    Ok(SourceFile {
        own_rel: rel.clone(),
        rel,
        shown,
        path: path.to_path_buf(),
        text,
        front_offset,
        front_end,
        body_offset,
    })
}

fn parse_front<T: serde::de::DeserializeOwned>(file: &SourceFile) -> Result<T, Diagnostic> {
    toml::from_str(&frontmatter::without_empty_strings(file.front()))
        .map_err(|e| toml_diagnostic(&file.shown, &file.text, file.front_offset, &e))
}

fn read_section(path: &Path, rel: String, dir: String) -> Result<SourceSection, Diagnostic> {
    let file = read_source(path, rel)?;
    let front = parse_front(&file)?;
    Ok(SourceSection {
        dir,
        lang: None,
        file: Some(file),
        front,
        assets: Vec::new(),
    })
}

/// Reads one page file (the dev server re-reads single pages this way).
pub fn read_page(path: &Path, rel: String, section_dir: String) -> Result<SourcePage, Diagnostic> {
    let file = read_source(path, rel)?;
    let front = parse_front(&file)?;
    Ok(SourcePage {
        file,
        lang: None,
        front,
        section_dir,
        assets: Vec::new(),
    })
}

/// Editor leftovers and hidden files are never content.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

fn parent(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

/// `path` under `base` as a `/`-separated name.
pub fn rel_path(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only the front matter is kept after the first read; the body is read again when it is
    /// rendered, with non-ASCII, `\r\n` and markup intact. A file whose front matter changed
    /// in between is an error naming it, never a page made of two versions.
    #[test]
    fn bodies_are_read_again_and_a_changed_front_matter_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        let body = "Één \r\n<!--<script>--> </script> ✓\n\0";
        std::fs::write(&path, format!("+++\r\ntitle = \"A\"\r\n+++\r\n{body}")).unwrap();
        let file = read_source(&path, "articles/a.md".into()).unwrap();
        assert!(
            !file.text.contains("Één"),
            "the body is not kept: {:?}",
            file.text
        );
        assert!(file.front().contains("title = \"A\""));
        assert_eq!(file.read_body().unwrap(), body);
        // The body alone changed: the new body.
        std::fs::write(&path, "+++\r\ntitle = \"A\"\r\n+++\r\nNew ✓").unwrap();
        assert_eq!(file.read_body().unwrap(), "New ✓");
        // The front matter changed, grew, shrank, or the file is gone: an error each.
        for changed in [
            "+++\r\ntitle = \"B\"\r\n+++\r\nx",
            "+++\r\ntitle = \"AA\"\r\n+++\r\n",
            "+",
        ] {
            std::fs::write(&path, changed).unwrap();
            let error = file.read_body().unwrap_err();
            assert!(error.to_string().contains("a.md"), "{error}");
            assert!(error.to_string().contains("changed"), "{error}");
        }
        std::fs::remove_file(&path).unwrap();
        assert!(file.read_body().is_err());
    }
}
