//! For the import tests: an image server on 127.0.0.1 (what the old platform's servers
//! were), and the fixture exports pointed at it.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::{read, repo, run};

/// A tiny HTTP server: `*.jpg`/`*.png` are real images (64×48), a path with `missing`
/// answers 404, one with `page` an HTML page. It counts the requests per path.
pub struct ImageServer {
    pub base: String,
    pub hits: Arc<Mutex<BTreeMap<String, usize>>>,
}

fn image(format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 120]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut bytes, format)
        .unwrap();
    bytes.into_inner()
}

impl ImageServer {
    pub fn start() -> ImageServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let hits: Arc<Mutex<BTreeMap<String, usize>>> = Arc::default();
        let counted = hits.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut line = String::new();
                if BufReader::new(&stream).read_line(&mut line).is_err() {
                    continue;
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                *counted.lock().unwrap().entry(path.clone()).or_default() += 1;
                let (status, kind, body) = if path.contains("missing") {
                    ("404 Not Found", "text/plain", b"gone".to_vec())
                } else if path.contains("page") {
                    (
                        "200 OK",
                        "text/html",
                        b"<html><body>Not an image</body></html>".to_vec(),
                    )
                } else if path.ends_with(".png") {
                    ("200 OK", "image/png", image(image::ImageFormat::Png))
                } else {
                    ("200 OK", "image/jpeg", image(image::ImageFormat::Jpeg))
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            }
        });
        ImageServer { base, hits }
    }

    pub fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

/// A copy of `tests/fixtures/import/NAME` in `dir` with `{{IMAGES}}` replaced by `base`.
pub fn export_fixture(name: &str, dir: &Path, base: &str) -> PathBuf {
    let from = repo().join("tests/fixtures/import").join(name);
    let to = dir.join(name);
    let fill = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).replace("{{IMAGES}}", base);
    if from.is_file() {
        std::fs::write(&to, fill(std::fs::read(&from).unwrap())).unwrap();
        return to;
    }
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::write(&target, fill(std::fs::read(entry.path()).unwrap())).unwrap();
        }
    }
    to
}

/// The Substack fixture folder zipped, as Substack sends it.
pub fn zip_folder(folder: &Path, zip_path: &Path) {
    let file = std::fs::File::create(zip_path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for entry in walkdir::WalkDir::new(folder).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(folder)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            zip.start_file(rel, options).unwrap();
            zip.write_all(&std::fs::read(entry.path()).unwrap())
                .unwrap();
        }
    }
    zip.finish().unwrap();
}

/// The front matter of a content file, parsed, and its body.
pub fn front_and_body(text: &str) -> (toml::Table, String) {
    let inner = text.strip_prefix("+++\n").expect("front matter");
    let (front, body) = inner.split_once("\n+++\n").expect("closing +++");
    (
        toml::from_str(front).unwrap_or_else(|e| panic!("{e}\n{front}")),
        body.to_string(),
    )
}

/// Every file under `dir` whose bytes contain `needle`.
pub fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            std::fs::read(e.path())
                .map(|b| String::from_utf8_lossy(&b).contains(needle))
                .unwrap_or(false)
        })
        .map(|e| e.path().display().to_string())
        .collect()
}

/// Runs `kring import ARGS…`, which must succeed; its report.
pub fn import_ok(args: &[&str], tmp: &Path) -> String {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    let (ok, stdout, stderr) = run(&all, tmp);
    assert!(ok, "import failed:\n{stdout}\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stdout
}

/// `kring check SITE` must pass.
pub fn check_ok(site: &Path, tmp: &Path) {
    let (ok, stdout, stderr) = run(&["check", site.to_str().unwrap()], tmp);
    assert!(ok, "kring check failed:\n{stdout}\n{stderr}");
}

/// A content file of `site`: its front matter and body.
pub fn content(site: &Path, rel: &str) -> (toml::Table, String) {
    front_and_body(&read(site, rel))
}
