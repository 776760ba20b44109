//! `kring serve` as Decap CMS's local backend: the protocol of `decap-server`
//! (`POST /api/v1` with `{action, params}`), confined to the site's `content/` and `static/`.
//!
//! Every path is checked before it is touched: relative, `/`-separated, no `..`, `.`, empty
//! or hidden segments, no `%`, `\` or NUL, under `content/` or `static/`, and no symlink on
//! the way (a link in `content/` pointing at `~/.ssh` must not be read or written through).
//! Writes go to a temporary file in the same folder, renamed into place, so the watcher
//! sees one whole file and rebuilds as for an edit in a text editor.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};

use crate::model::routes;

/// The largest request: a photo of some 18 MB once base64 has grown it by a third.
pub const BODY_LIMIT: usize = 24 * 1024 * 1024;

/// The site being edited, and how its files are named.
#[derive(Debug, Clone)]
pub struct LocalBackend {
    /// Canonical.
    pub site: PathBuf,
    /// The default language: `name.md` is shown to Decap as `name.LANG.md`.
    pub language: String,
    /// Whether the site has other languages (Decap's i18n is on).
    pub translated: bool,
}

/// Why a request is refused.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("path `{0}` is refused: {1}")]
    Path(String, &'static str),
    #[error("unknown action {0}")]
    Unknown(String),
    #[error("bad request: {0}")]
    Bad(String),
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let status = match &self {
            Refusal::Path(..) => StatusCode::FORBIDDEN,
            Refusal::Unknown(_) | Refusal::Bad(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Refusal::Io(..) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        (
            status,
            Json(ErrorBody {
                error: self.to_string(),
            }),
        )
            .into_response()
    }
}

#[derive(Serialize)]
struct ErrorBody {
    error: String,
}

#[derive(Deserialize)]
struct Envelope {
    action: String,
    #[serde(default)]
    params: serde_json::Value,
}

#[derive(Deserialize)]
struct FolderParams {
    folder: String,
    #[serde(default)]
    extension: String,
    #[serde(default = "one")]
    depth: usize,
}

fn one() -> usize {
    1
}

#[derive(Deserialize)]
struct PathParam {
    path: String,
}

#[derive(Deserialize)]
struct FilesParams {
    files: Vec<PathParam>,
}

#[derive(Deserialize)]
struct PathsParams {
    paths: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MediaFolderParams {
    media_folder: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DataFile {
    path: String,
    raw: String,
    new_path: Option<String>,
}

#[derive(Deserialize)]
struct Asset {
    path: String,
    content: String,
    #[serde(default)]
    encoding: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PersistEntryParams {
    entry: Option<DataFile>,
    data_files: Option<Vec<DataFile>>,
    #[serde(default)]
    assets: Vec<Asset>,
}

#[derive(Deserialize)]
struct PersistMediaParams {
    asset: Asset,
}

#[derive(Serialize)]
struct Info {
    repo: String,
    publish_modes: [&'static str; 1],
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Entry {
    data: String,
    file: EntryFile,
}

#[derive(Serialize)]
struct EntryFile {
    path: String,
    id: String,
}

#[derive(Serialize)]
struct MediaFile {
    id: String,
    content: String,
    encoding: &'static str,
    path: String,
    name: String,
}

#[derive(Serialize)]
struct Message {
    message: String,
}

/// Top-level names of `static/` that would land on a file kring writes itself.
const GENERATED: &[&str] = &[
    "index.html",
    routes::NOT_FOUND,
    routes::SITEMAP,
    routes::ROBOTS,
    routes::RSS,
    routes::ATOM,
    routes::JSON_FEED,
    routes::REDIRECTS,
    routes::OUTPUT_MARKER,
    "search",
    "__kring",
    // The editor itself: it does not rewrite its own config or code.
    "admin",
];

fn ok<T: Serialize>(value: T) -> Result<Response, Refusal> {
    Ok(Json(value).into_response())
}

fn params<T: for<'de> Deserialize<'de>>(value: serde_json::Value) -> Result<T, Refusal> {
    serde_json::from_value(value).map_err(|e| Refusal::Bad(e.to_string()))
}

/// `POST /api/v1`.
pub async fn api(
    State(backend): State<Option<std::sync::Arc<LocalBackend>>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let Some(backend) = backend else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    // JSON only: a form posted from elsewhere (text/plain, no preflight) is not an edit.
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if !json {
        return Refusal::Bad("the body must be application/json".into()).into_response();
    }
    let envelope: Envelope = match serde_json::from_slice(&body) {
        Ok(e) => e,
        Err(e) => return Refusal::Bad(e.to_string()).into_response(),
    };
    let result = tokio::task::spawn_blocking(move || backend.handle(envelope)).await;
    match result {
        Ok(Ok(r)) => r,
        Ok(Err(refusal)) => refusal.into_response(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "the request failed").into_response(),
    }
}

impl LocalBackend {
    fn handle(&self, envelope: Envelope) -> Result<Response, Refusal> {
        let p = envelope.params;
        match envelope.action.as_str() {
            "info" => ok(Info {
                repo: self
                    .site
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                publish_modes: ["simple"],
                kind: "local_fs",
            }),
            "entriesByFolder" => {
                let FolderParams {
                    folder,
                    extension,
                    depth,
                } = params(p)?;
                let files = self.list(&folder, &extension, depth)?;
                let entries: Result<Vec<Entry>, Refusal> =
                    files.iter().map(|f| self.entry(f)).collect();
                ok(entries?)
            }
            "entriesByFiles" => {
                let FilesParams { files } = params(p)?;
                let entries: Result<Vec<Entry>, Refusal> =
                    files.iter().map(|f| self.entry(&f.path)).collect();
                ok(entries?)
            }
            "getEntry" => {
                let PathParam { path } = params(p)?;
                ok(self.entry(&path)?)
            }
            "persistEntry" => {
                let PersistEntryParams {
                    entry,
                    data_files,
                    assets,
                } = params(p)?;
                let files: Vec<DataFile> = data_files
                    .unwrap_or_default()
                    .into_iter()
                    .chain(entry)
                    .collect();
                // Every path is checked before anything is written.
                for f in &files {
                    self.writable(&f.path)?;
                    if let Some(n) = &f.new_path {
                        self.writable(n)?;
                    }
                }
                let decoded: Vec<(PathBuf, Vec<u8>)> = assets
                    .iter()
                    .map(|a| Ok((self.writable(&a.path)?, decode(a)?)))
                    .collect::<Result<_, Refusal>>()?;
                for f in &files {
                    let target = self.writable(f.new_path.as_deref().unwrap_or(&f.path))?;
                    write_atomic(&target, f.raw.as_bytes())?;
                    if f.new_path.is_some() {
                        let old = self.writable(&f.path)?;
                        if old != target && old.is_file() {
                            std::fs::remove_file(&old)
                                .map_err(|e| Refusal::Io(f.path.clone(), e))?;
                        }
                    }
                }
                for (target, bytes) in decoded {
                    write_atomic(&target, &bytes)?;
                }
                ok(Message {
                    message: "entry persisted".into(),
                })
            }
            "getMedia" => {
                let MediaFolderParams { media_folder } = params(p)?;
                let files = self.list(&media_folder, "", 1)?;
                let media: Result<Vec<MediaFile>, Refusal> =
                    files.iter().map(|f| self.media(f)).collect();
                ok(media?)
            }
            "getMediaFile" => {
                let PathParam { path } = params(p)?;
                ok(self.media(&path)?)
            }
            "persistMedia" => {
                let PersistMediaParams { asset } = params(p)?;
                let target = self.writable(&asset.path)?;
                write_atomic(&target, &decode(&asset)?)?;
                ok(self.media(&asset.path)?)
            }
            "deleteFile" => {
                let PathParam { path } = params(p)?;
                self.delete(&path)?;
                ok(Message {
                    message: format!("deleted file {path}"),
                })
            }
            "deleteFiles" => {
                let PathsParams { paths } = params(p)?;
                for path in &paths {
                    self.writable(path)?;
                }
                for path in &paths {
                    self.delete(path)?;
                }
                ok(Message {
                    message: format!("deleted files {}", paths.join(", ")),
                })
            }
            "getDeployPreview" => ok(serde_json::Value::Null),
            other => Err(Refusal::Unknown(other.to_string())),
        }
    }

    /// The file on disk a path Decap names: checked, and with the default language's
    /// `name.LANG.md` read and written as kring's own `name.md`.
    pub fn resolve(&self, raw: &str) -> Result<PathBuf, Refusal> {
        let refuse = |why| Err(Refusal::Path(raw.to_string(), why));
        if raw.is_empty() {
            return refuse("empty");
        }
        if raw.contains(['\0', '\\', '%', ':']) || raw.chars().any(char::is_control) {
            return refuse("NUL, `\\`, `%` and `:` are not allowed in a path");
        }
        if raw.starts_with('/') {
            return refuse("absolute paths are not allowed");
        }
        let parts: Vec<&str> = raw.trim_end_matches('/').split('/').collect();
        if parts
            .iter()
            .any(|s| s.is_empty() || *s == "." || *s == ".." || s.starts_with('.'))
        {
            return refuse("`..`, `.`, empty and hidden segments are not allowed");
        }
        if !matches!(parts[0], "content" | "static") {
            return refuse("only content/ and static/ can be edited");
        }
        let mut rel: PathBuf = parts.iter().collect();
        if Path::new(raw)
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
        {
            return refuse("not a plain relative path");
        }
        if self.translated && parts[0] == "content" {
            let suffix = format!(".{}.md", self.language);
            // Unless the site has that very file (kring reads it as the default language).
            if let Some(stem) = raw.strip_suffix(&suffix)
                && !self.site.join(&rel).exists()
            {
                rel = PathBuf::from(format!("{stem}.md"));
            }
        }
        // No symlink anywhere on the way, the file included.
        let mut at = self.site.clone();
        for c in rel.components() {
            at.push(c);
            match std::fs::symlink_metadata(&at) {
                Ok(m) if m.file_type().is_symlink() => {
                    return refuse("symbolic links are not followed");
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
        Ok(self.site.join(rel))
    }

    /// A path that may be written or deleted: [`resolve`](Self::resolve)d, and not one of
    /// kring's own names.
    fn writable(&self, raw: &str) -> Result<PathBuf, Refusal> {
        let path = self.resolve(raw)?;
        let parts: Vec<&str> = raw.split('/').collect();
        let refuse = |why| Err(Refusal::Path(raw.to_string(), why));
        if parts.len() < 2 {
            return refuse("a file is needed, not the folder");
        }
        if parts[0] == "static" && GENERATED.contains(&parts[1]) {
            return refuse("the name is one kring writes itself (or the editor's own folder)");
        }
        let name = parts[parts.len() - 1];
        if parts[0] == "content" && name.starts_with("_index") {
            return refuse("a section's _index file is not edited through the editor");
        }
        Ok(path)
    }

    fn delete(&self, raw: &str) -> Result<(), Refusal> {
        let path = self.writable(raw)?;
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Refusal::Io(raw.to_string(), e)),
        }
    }

    /// Files under `folder` (as Decap names them), at most `depth` folders down, ending in
    /// `.extension` when one is given; no hidden files, no section `_index` files, no links.
    fn list(&self, folder: &str, extension: &str, depth: usize) -> Result<Vec<String>, Refusal> {
        let root = self.resolve(folder)?;
        if !root.is_dir() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        let walk = walkdir::WalkDir::new(&root)
            .max_depth(depth.clamp(1, 16))
            .follow_links(false)
            .sort_by_file_name();
        for e in walk.into_iter().filter_map(Result::ok) {
            if !e.file_type().is_file() {
                continue;
            }
            let Ok(rel) = e.path().strip_prefix(&self.site) else {
                continue;
            };
            let Some(rel) = rel.to_str().map(|r| r.replace('\\', "/")) else {
                continue;
            };
            let name = rel.rsplit('/').next().unwrap_or("");
            let hidden = rel.split('/').any(|s| s.starts_with('.'));
            let wanted = extension.is_empty()
                || name.ends_with(&format!(".{}", extension.trim_start_matches('.')));
            if hidden || !wanted || (rel.starts_with("content/") && name.starts_with("_index")) {
                continue;
            }
            out.push(self.shown(&rel));
        }
        Ok(out)
    }

    /// How Decap sees a file: `name.md` of the default language as `name.LANG.md`.
    fn shown(&self, rel: &str) -> String {
        let is_default = |stem: &str| {
            let Some((_, lang)) = stem.rsplit_once('.') else {
                return true;
            };
            // `name.en.md` is a language's; `2026.03.12-x.md` is not one.
            !crate::config::is_language_code(lang)
        };
        match rel.strip_suffix(".md") {
            Some(stem) if self.translated && rel.starts_with("content/") && is_default(stem) => {
                format!("{stem}.{}.md", self.language)
            }
            _ => rel.to_string(),
        }
    }

    fn entry(&self, raw: &str) -> Result<Entry, Refusal> {
        let path = self.resolve(raw)?;
        let data = std::fs::read_to_string(&path).map_err(|e| Refusal::Io(raw.to_string(), e))?;
        Ok(Entry {
            file: EntryFile {
                path: raw.to_string(),
                id: sha256_hex(data.as_bytes()),
            },
            data,
        })
    }

    fn media(&self, raw: &str) -> Result<MediaFile, Refusal> {
        let path = self.resolve(raw)?;
        let bytes = std::fs::read(&path).map_err(|e| Refusal::Io(raw.to_string(), e))?;
        Ok(MediaFile {
            id: sha256_hex(&bytes),
            content: BASE64.encode(&bytes),
            encoding: "base64",
            path: raw.to_string(),
            name: raw.rsplit('/').next().unwrap_or(raw).to_string(),
        })
    }
}

fn decode(asset: &Asset) -> Result<Vec<u8>, Refusal> {
    match asset.encoding.as_str() {
        "base64" => BASE64
            .decode(asset.content.as_bytes())
            .map_err(|e| Refusal::Bad(format!("{}: {e}", asset.path))),
        "" | "utf8" | "utf-8" => Ok(asset.content.as_bytes().to_vec()),
        other => Err(Refusal::Bad(format!("unknown encoding {other}"))),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// A temporary file beside `target`, renamed over it: a reader (the watcher, the build)
/// sees the old file or the new one, never half of it.
fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), Refusal> {
    let shown = || target.display().to_string();
    let dir = target
        .parent()
        .ok_or_else(|| Refusal::Bad("no folder".into()))?;
    std::fs::create_dir_all(dir).map_err(|e| Refusal::Io(shown(), e))?;
    let mut temp = tempfile::Builder::new()
        .prefix(".kring-cms-")
        .tempfile_in(dir)
        .map_err(|e| Refusal::Io(shown(), e))?;
    temp.write_all(bytes).map_err(|e| Refusal::Io(shown(), e))?;
    temp.persist(target)
        .map_err(|e| Refusal::Io(shown(), e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backend(dir: &Path, translated: bool) -> LocalBackend {
        LocalBackend {
            site: dir.canonicalize().unwrap(),
            language: "nl".into(),
            translated,
        }
    }

    #[test]
    fn hostile_paths_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let b = backend(tmp.path(), false);
        for p in [
            "../../kring.toml",
            "content/../kring.toml",
            "/etc/passwd",
            "content/%2e%2e/x",
            "content/a\0b.md",
            "content\\..\\kring.toml",
            "kring.toml",
            "content//x.md",
            "content/./x.md",
            "content/.git/config",
            "C:/x",
            "",
        ] {
            assert!(b.resolve(p).is_err(), "{p:?}");
        }
        for p in [
            "static/admin/config.yml",
            "static/sitemap.xml",
            "content/articles/_index.md",
        ] {
            assert!(b.resolve(p).is_ok() && b.writable(p).is_err(), "{p}");
        }
    }

    #[test]
    fn the_default_language_is_shown_with_its_code() {
        let tmp = tempfile::tempdir().unwrap();
        let b = backend(tmp.path(), true);
        assert_eq!(b.shown("content/a/x.md"), "content/a/x.nl.md");
        assert_eq!(b.shown("content/a/x.en.md"), "content/a/x.en.md");
        assert_eq!(b.shown("content/a/x/index.md"), "content/a/x/index.nl.md");
        assert_eq!(b.shown("static/x.md"), "static/x.md");
        assert!(
            b.resolve("content/a/x.nl.md")
                .unwrap()
                .ends_with("content/a/x.md")
        );
    }
}
