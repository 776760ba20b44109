//! Helpers shared by the integration tests: fixture sites copied into temp folders, builds
//! with a fixed "now", and the `kring` binary.
#![allow(dead_code)]

pub mod import;
pub mod photos;

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
        cached_conversations: false,
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

/// The content of the entry titled `title` in feed `file` of `out`, read with feed-rs.
pub fn feed_entry_body(out: &Path, file: &str, title: &str) -> String {
    let feed = feed_rs::parser::parse(read(out, file).as_bytes())
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    let entry = feed
        .entries
        .iter()
        .find(|e| e.title.as_ref().is_some_and(|t| t.content == title))
        .unwrap_or_else(|| panic!("no entry `{title}` in {file}"));
    entry
        .content
        .as_ref()
        .and_then(|c| c.body.clone())
        .unwrap_or_else(|| panic!("the entry `{title}` in {file} has no content"))
}

pub fn kring() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kring"))
}

/// `kring build SITE` (with `home` as HOME), sent the signal `name` (`KILL`, `INT`, …)
/// after `after`: how it ended. Finished builds are fine: the signal then reaches nothing.
#[cfg(unix)]
pub fn build_signalled(
    site: &Path,
    home: &Path,
    after: std::time::Duration,
    name: &str,
) -> std::process::ExitStatus {
    let child = kring()
        .args(["build", site.to_str().unwrap()])
        .env("HOME", home)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let _ = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status();
    child.wait_with_output().unwrap().status
}

/// `kring build SITE` with the binary: (exit code, stderr). A panic exits 101 and a signal
/// gives no code: both fail the assertion made by every caller.
pub fn build_status(site: &Path, tmp: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let mut args = vec!["build", site.to_str().unwrap()];
    args.extend(extra);
    let out = kring().args(&args).env("HOME", tmp).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
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

// A real calendar client: khal (a Python program using the icalendar library).

/// A khal setup in a temp folder: (tempdir, config file, calendar folder).
pub fn khal_setup() -> Option<(tempfile::TempDir, PathBuf, PathBuf)> {
    let found = Command::new("khal").arg("--version").output();
    match found {
        Ok(o) if o.status.success() => {}
        _ => {
            if std::env::var("KRING_SKIP_KHAL").as_deref() == Ok("1") {
                eprintln!("khal is not installed; skipped because KRING_SKIP_KHAL=1");
                return None;
            }
            panic!(
                "khal is not installed: `apt-get install khal` (or set KRING_SKIP_KHAL=1 to skip this check)"
            );
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let cal = tmp.path().join("cal");
    std::fs::create_dir_all(&cal).unwrap();
    let config = tmp.path().join("khal.conf");
    std::fs::write(
        &config,
        format!(
            "[calendars]\n[[local]]\npath = {}\ntype = calendar\n[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\nlocal_timezone = Europe/Amsterdam\ndefault_timezone = Europe/Amsterdam\n",
            cal.display()
        ),
    )
    .unwrap();
    Some((tmp, config, cal))
}

/// Runs `khal -c CONFIG ARGS…` with its data and config folders in `home`; returns stdout.
pub fn khal(home: &Path, config: &Path, args: &[&str]) -> String {
    let out = Command::new("khal")
        .arg("-c")
        .arg(config)
        .args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "khal {args:?} failed:\n{stdout}\n{stderr}"
    );
    let complaints: Vec<&str> = stderr
        .lines()
        .filter(|l| {
            ["error", "critical", "warning"]
                .iter()
                .any(|w| l.trim_start().to_lowercase().starts_with(w))
        })
        .collect();
    assert!(complaints.is_empty(), "khal {args:?} complained:\n{stderr}");
    stdout
}
