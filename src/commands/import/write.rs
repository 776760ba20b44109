//! Writing an import into the site: front matter as TOML (escaped by the `toml` crate),
//! files written whole (a temporary file renamed into place), and `.kring-import.toml`,
//! the record of what the import wrote, by content hash. Running the import again updates
//! a file only while it is as the import left it; an edited file is kept and listed.
//! Nothing is ever deleted but a post's own earlier file when it becomes a page bundle.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::report::Report;
use crate::error::{Error, Result};

/// The record's file name, at the top of the site.
pub const MANIFEST: &str = ".kring-import.toml";

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// Site-relative path → hash of the bytes the import wrote.
    #[serde(default)]
    pub files: BTreeMap<String, String>,
}

pub fn hash(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))
}

impl Manifest {
    pub fn load(site: &Path) -> Result<Manifest> {
        let path = site.join(MANIFEST);
        match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|e| {
                crate::error::Diagnostic::new(&path, format!("not readable: {}", e.message()))
                    .into()
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    fn save(&self, site: &Path) -> Result<()> {
        let text = format!(
            "# What `kring import` wrote, by content hash. Importing again updates a file only\n# while its hash matches (you have not edited it). Keep this file with your content.\n{}",
            toml::to_string(self).unwrap_or_default()
        );
        write_whole(&site.join(MANIFEST), text.as_bytes())
    }

    /// Whether the file at `rel` is as an import wrote it (not edited since).
    pub fn is_untouched(&self, site: &Path, rel: &str) -> bool {
        match (self.files.get(rel), std::fs::read(site.join(rel))) {
            (Some(recorded), Ok(bytes)) => *recorded == hash(&bytes),
            _ => false,
        }
    }
}

/// A file the import wants in the site.
pub struct Planned {
    /// Site-relative, with `/`.
    pub rel: String,
    pub bytes: Vec<u8>,
}

/// Writes `files` into `site`, updating the manifest; `remove` are earlier files of posts
/// that moved into bundles (removed only while untouched).
pub fn write_all(
    site: &Path,
    manifest: &mut Manifest,
    files: Vec<Planned>,
    remove: Vec<String>,
    report: &mut Report,
) -> Result<()> {
    for file in files {
        let path = site.join(&file.rel);
        let new_hash = hash(&file.bytes);
        if path.exists() {
            let current = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            if current == file.bytes {
                report.unchanged += 1;
                manifest.files.insert(file.rel, new_hash);
                continue;
            }
            if !manifest.is_untouched(site, &file.rel) {
                report.kept.push(file.rel);
                continue;
            }
            report.updated += 1;
        } else {
            report.written += 1;
        }
        write_whole(&path, &file.bytes)?;
        manifest.files.insert(file.rel, new_hash);
    }
    for rel in remove {
        if manifest.is_untouched(site, &rel) {
            let path = site.join(&rel);
            std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
            manifest.files.remove(&rel);
        }
    }
    manifest.save(site)
}

/// Writes a file whole: into a temporary file next to it, then renamed over it, so an
/// interrupted import leaves the old file or the new one, never half of one.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let mut temp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| Error::io(&dir, e))?;
    std::io::Write::write_all(&mut temp, bytes).map_err(|e| Error::io(path, e))?;
    temp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// An article's or page's front matter, in the order a person reads it.
#[derive(Debug, Default, Serialize)]
pub struct PostFront {
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<toml::value::Datetime>,
    #[serde(skip_serializing_if = "is_false")]
    pub draft: bool,
    #[serde(skip_serializing_if = "is_false")]
    pub newsletter: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub extra: PostExtra,
}

#[derive(Debug, Default, Serialize)]
pub struct PostExtra {
    /// Who could read it on the old platform, when not everyone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<&'static str>,
    #[serde(skip_serializing_if = "is_false")]
    pub email_only: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_alt: Option<String>,
    /// The platform it came from.
    pub imported_from: &'static str,
}

/// A member's front matter.
#[derive(Debug, Default, Serialize)]
pub struct MemberFront {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub links: BTreeMap<String, String>,
}

/// A content file: `+++`, an optional comment, the TOML, `+++`, the body.
pub fn content_file(comment: Option<&str>, front: &impl Serialize, body: &str) -> Vec<u8> {
    // Every string on one line: a multi-line TOML string could hold a `+++` line, which
    // would end the front matter early.
    fn one_line(value: &mut toml::Value) {
        match value {
            toml::Value::String(s) if s.contains(char::is_control) => {
                *s = s.replace(char::is_control, " ");
            }
            toml::Value::Array(items) => items.iter_mut().for_each(one_line),
            toml::Value::Table(table) => table.iter_mut().for_each(|(_, v)| one_line(v)),
            _ => {}
        }
    }
    let mut value = toml::Value::try_from(front).unwrap_or(toml::Value::Table(toml::Table::new()));
    one_line(&mut value);
    let toml = toml::to_string(&value).unwrap_or_default();
    let comment = comment.map_or(String::new(), |c| {
        c.lines().map(|l| format!("# {l}\n")).collect()
    });
    format!("+++\n{comment}{toml}+++\n\n{body}").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_titles_stay_inside_their_toml_string() {
        let front = PostFront {
            title: "\"\"\"\n+++\ndraft = false\n<!--<script>".into(),
            draft: true,
            ..PostFront::default()
        };
        let file =
            String::from_utf8(content_file(Some("Paid on Substack"), &front, "Body\n")).unwrap();
        let inner = file.strip_prefix("+++\n").unwrap();
        let (toml_text, body) = inner.split_once("\n+++\n").unwrap();
        let parsed: toml::Table = toml::from_str(toml_text).unwrap();
        assert_eq!(
            parsed["title"].as_str(),
            Some("\"\"\" +++ draft = false <!--<script>")
        );
        assert_eq!(parsed["draft"].as_bool(), Some(true));
        assert_eq!(body, "\nBody\n");
        assert!(file.starts_with("+++\n# Paid on Substack\n"));
    }
}
