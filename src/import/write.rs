//! Writing an import into the site: front matter as TOML (escaped by the `toml` crate),
//! files written whole (a temporary file renamed into place), and `.kring-import.toml`,
//! the record of what the import wrote, by content hash. Running the import again updates
//! a file only while it is as the import left it; an edited file is kept and listed.
//! Nothing is ever deleted but a post's own earlier file when it becomes a page bundle.
//! The files of one import are written all or none (see [`write_all`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::report::Report;
use crate::error::{Diagnostic, Error, Result};

/// The longest file or folder name most file systems hold, in bytes.
const MAX_NAME: usize = 255;

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

    fn text(&self) -> String {
        format!(
            "# What `kring import` wrote, by content hash. Importing again updates a file only\n# while its hash matches (you have not edited it). Keep this file with your content.\n{}",
            toml::to_string(self).unwrap_or_default()
        )
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
/// that moved into bundles (removed only while untouched). All or nothing: every file is
/// first written to a temporary file beside its place, then each is renamed into place;
/// when any step fails, what was done is undone (old contents back, new files and folders
/// gone), so the site and `.kring-import.toml` stay as they were.
pub fn write_all(
    site: &Path,
    manifest: &mut Manifest,
    files: Vec<Planned>,
    remove: Vec<String>,
    report: &mut Report,
) -> Result<()> {
    let mut next = Manifest {
        files: manifest.files.clone(),
    };
    let mut counts = (0, 0, 0);
    let mut kept = Vec::new();
    let mut writes: Vec<(String, Vec<u8>)> = Vec::new();
    for file in files {
        let path = site.join(&file.rel);
        let new_hash = hash(&file.bytes);
        if path.is_dir() {
            return Err(Diagnostic::new(
                &path,
                "is a folder where the import writes a file: move it away and import again",
            )
            .into());
        }
        if path.exists() {
            let current = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
            if current == file.bytes {
                counts.2 += 1;
                next.files.insert(file.rel, new_hash);
                continue;
            }
            if !manifest.is_untouched(site, &file.rel) {
                kept.push(file.rel);
                continue;
            }
            counts.1 += 1;
        } else {
            counts.0 += 1;
        }
        next.files.insert(file.rel.clone(), new_hash);
        writes.push((file.rel, file.bytes));
    }
    let removes: Vec<String> = remove
        .into_iter()
        .filter(|rel| manifest.is_untouched(site, rel))
        .collect();
    for rel in &removes {
        next.files.remove(rel);
    }
    writes.push((MANIFEST.to_string(), next.text().into_bytes()));
    let mut done = Transaction::default();
    let result =
        stage(site, &writes, &mut done).and_then(|staged| done.commit(site, staged, &removes));
    if let Err(e) = result {
        done.undo();
        return Err(e);
    }
    *manifest = next;
    (report.written, report.updated, report.unchanged) = counts;
    report.kept = kept;
    Ok(())
}

/// A file written to a temporary file beside its place, waiting to be renamed into it.
pub struct Staged {
    temp: tempfile::NamedTempFile,
    path: PathBuf,
    /// What was there before, put back if the import fails.
    before: Option<Vec<u8>>,
}

/// What an import changed so far, to undo when a later step fails.
#[derive(Default)]
pub struct Transaction {
    /// Folders made, outermost first.
    dirs: Vec<PathBuf>,
    /// Files written or removed, with what was there before.
    files: Vec<(PathBuf, Option<Vec<u8>>)>,
}

/// The temporary files of `writes`, with the folders they need made (and recorded in
/// `done`); a name the file system cannot hold is refused here, before any rename.
pub fn stage(
    site: &Path,
    writes: &[(String, Vec<u8>)],
    done: &mut Transaction,
) -> Result<Vec<Staged>> {
    let mut staged = Vec::new();
    for (rel, bytes) in writes {
        let path = site.join(rel);
        if let Some(long) = rel.split('/').find(|part| part.len() > MAX_NAME) {
            return Err(Diagnostic::new(
                &path,
                format!("`{long}` is longer than a file name may be ({MAX_NAME} bytes)"),
            )
            .into());
        }
        let dir = path
            .parent()
            .map_or_else(|| site.to_path_buf(), Path::to_path_buf);
        let missing: Vec<PathBuf> = dir
            .ancestors()
            .take_while(|d| !d.exists())
            .map(Path::to_path_buf)
            .collect();
        for d in missing.into_iter().rev() {
            std::fs::create_dir(&d).map_err(|e| Error::io(&d, e))?;
            done.dirs.push(d);
        }
        let before = match std::fs::read(&path) {
            Ok(b) => Some(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io(&path, e)),
        };
        let mut temp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| Error::io(&dir, e))?;
        std::io::Write::write_all(&mut temp, bytes).map_err(|e| Error::io(&path, e))?;
        staged.push(Staged { temp, path, before });
    }
    Ok(staged)
}

impl Transaction {
    /// Renames the staged files into place (the last one, the record, after `removes` are
    /// gone).
    pub fn commit(
        &mut self,
        site: &Path,
        mut staged: Vec<Staged>,
        removes: &[String],
    ) -> Result<()> {
        let last = staged.pop();
        for file in staged {
            self.persist(file)?;
        }
        if let Some(record) = last {
            for rel in removes {
                let path = site.join(rel);
                let before = std::fs::read(&path).map_err(|e| Error::io(&path, e))?;
                std::fs::remove_file(&path).map_err(|e| Error::io(&path, e))?;
                self.files.push((path, Some(before)));
            }
            self.persist(record)?;
        }
        Ok(())
    }

    fn persist(&mut self, file: Staged) -> Result<()> {
        let Staged { temp, path, before } = file;
        temp.persist(&path).map_err(|e| Error::io(&path, e.error))?;
        self.files.push((path, before));
        Ok(())
    }

    /// Puts back what was there: old contents, no new files, no new folders.
    pub fn undo(&mut self) {
        for (path, before) in self.files.drain(..).rev() {
            let _ = match before {
                Some(bytes) => write_whole(&path, &bytes),
                None => std::fs::remove_file(&path).map_err(|e| Error::io(&path, e)),
            };
        }
        for dir in self.dirs.drain(..).rev() {
            let _ = std::fs::remove_dir(&dir);
        }
    }
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
    // Through TOML's text and back, not `toml::Value::try_from`: that turns a date into the
    // serializer's private `[date] "$__toml_private_datetime"` table, which every other
    // TOML reader sees as a table; read back from text it is a date again.
    let mut value = toml::to_string(front)
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .map_or(toml::Value::Table(toml::Table::new()), toml::Value::Table);
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
    fn a_failed_rename_puts_everything_back() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path();
        std::fs::create_dir_all(site.join("content")).unwrap();
        std::fs::write(site.join("content/a.md"), "old").unwrap();
        let writes: Vec<(String, Vec<u8>)> = [
            ("content/a.md", "new"),
            ("content/new/deeper/b.md", "b"),
            ("content/c.md", "c"),
            (MANIFEST, "[files]"),
        ]
        .iter()
        .map(|(r, b)| (r.to_string(), b.as_bytes().to_vec()))
        .collect();
        let mut done = Transaction::default();
        let staged = stage(site, &writes, &mut done).unwrap();
        // Something takes `content/c.md` between staging and renaming.
        std::fs::create_dir_all(site.join("content/c.md/x")).unwrap();
        assert!(done.commit(site, staged, &[]).is_err());
        done.undo();
        assert_eq!(
            std::fs::read_to_string(site.join("content/a.md")).unwrap(),
            "old"
        );
        assert!(!site.join("content/new").exists());
        assert!(!site.join(MANIFEST).exists());
        let mut left: Vec<String> = std::fs::read_dir(site.join("content"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["a.md", "c.md"], "no temporary file left");

        let mut done = Transaction::default();
        let long = vec![(format!("content/{}.md", "é".repeat(200)), b"x".to_vec())];
        let err = stage(site, &long, &mut done).err().unwrap().to_string();
        assert!(err.contains("longer than a file name"), "{err}");
    }

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
        let dated = PostFront {
            title: "x".into(),
            date: "2013-01-05T18:00:20Z".parse().ok(),
            ..PostFront::default()
        };
        let dated = String::from_utf8(content_file(None, &dated, "")).unwrap();
        assert!(dated.contains("\ndate = 2013-01-05T18:00:20Z\n"), "{dated}");
        assert!(file.starts_with("+++\n# Paid on Substack\n"));
    }
}
