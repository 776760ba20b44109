//! Helpers shared by the integration tests: fixture sites copied into temp folders, builds
//! with a fixed "now", and the `kring` binary.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use kring::BuildOptions;

/// The moment every library-level test build treats as "now".
pub const NOW: &str = "2026-11-22T12:00:00Z";

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of `tests/fixtures/NAME` (or of `example-site` when NAME is that) in a temp folder.
pub fn fixture(name: &str) -> (tempfile::TempDir, PathBuf) {
    let from = if name == "example-site" {
        repo().join(name)
    } else {
        repo().join("tests/fixtures").join(name)
    };
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&from, &site);
    (tmp, site)
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        if rel.starts_with("public") {
            continue;
        }
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn options() -> BuildOptions {
    BuildOptions {
        drafts: false,
        base_url: None,
        now: Some(NOW.parse().unwrap()),
    }
}

/// Builds `site` into `site/public` with the fixed "now"; panics with the message on failure.
pub fn build_ok(site: &Path) -> PathBuf {
    match kring::build(site, &options(), None) {
        Ok(report) => report.output,
        Err(e) => panic!("build failed:\n{e}"),
    }
}

pub fn write(site: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let path = site.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

pub fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every file under `dir` with its bytes: to show an output folder did not change.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

pub fn kring() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kring"))
}

/// Runs `kring ARGS…`; returns (success, stdout, stderr) with the temp folder's path
/// replaced by `[TMP]` so messages can be snapshotted.
pub fn run(args: &[&str], tmp: &Path) -> (bool, String, String) {
    let out = kring().args(args).env("HOME", tmp).output().unwrap();
    let clean = |b: &[u8]| {
        let s = String::from_utf8_lossy(b).into_owned();
        let real = tmp.canonicalize().unwrap_or_else(|_| tmp.to_path_buf());
        s.replace(&real.display().to_string(), "[TMP]")
            .replace(&tmp.display().to_string(), "[TMP]")
    };
    (out.status.success(), clean(&out.stdout), clean(&out.stderr))
}
