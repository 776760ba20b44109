//! `scripts/install.sh` against a release laid out like the real one (issue #26), served on
//! 127.0.0.1: archives made from the freshly built binary and a SHA256SUMS written by
//! coreutils. It installs a kring that runs; a wrong checksum, a platform without a binary
//! and a download cut off each leave nothing installed and say why. And the release
//! workflow: parsed as YAML, its platforms, checksums and version check.

use crate::common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use yaml_rust2::{Yaml, YamlLoader};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The Rust target the script picks on this machine.
fn this_target() -> String {
    let os = match std::env::consts::OS {
        "linux" => "unknown-linux-musl",
        "macos" => "apple-darwin",
        other => other,
    };
    format!("{}-{os}", std::env::consts::ARCH)
}

/// A release folder: `v<VERSION>/` with the archive of `target` (the test's own kring
/// binary inside, as the release workflow packs it) and SHA256SUMS.
fn release(root: &Path, target: &str) -> PathBuf {
    let dir = root.join(format!("v{VERSION}"));
    let name = format!("kring-{VERSION}-{target}");
    let inner = root.join("pack").join(&name);
    std::fs::create_dir_all(&inner).unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_kring"), inner.join("kring")).unwrap();
    for licence in ["LICENSE-MIT", "LICENSE-APACHE"] {
        std::fs::copy(common::repo().join(licence), inner.join(licence)).unwrap();
    }
    let ok = Command::new("tar")
        .args(["-czf", dir.join(format!("{name}.tar.gz")).to_str().unwrap()])
        .arg("-C")
        .arg(root.join("pack"))
        .arg(&name)
        .status()
        .unwrap();
    assert!(ok.success());
    std::fs::copy(
        common::repo().join("scripts/install.sh"),
        dir.join("install.sh"),
    )
    .unwrap();
    let sums = Command::new("sh")
        .arg("-c")
        .arg("sha256sum -- *.tar.gz install.sh > SHA256SUMS")
        .current_dir(&dir)
        .status()
        .unwrap();
    assert!(sums.success());
    dir
}

/// Serves `root` on 127.0.0.1; a file named in `cut` is sent half, with the full length
/// announced, and the connection closed.
struct Server {
    port: u16,
    cut: Arc<Mutex<HashSet<String>>>,
}

impl Server {
    fn start(root: PathBuf) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let cut: Arc<Mutex<HashSet<String>>> = Arc::default();
        let cut_here = cut.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut line = String::new();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) <= 2 {
                        break;
                    }
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                let rel = path.trim_start_matches('/');
                let file = root.join(rel);
                let read = if rel.contains("..") {
                    Err(std::io::ErrorKind::NotFound.into())
                } else {
                    std::fs::read(&file)
                };
                let Ok(bytes) = read else {
                    let _ = stream.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    );
                    continue;
                };
                let name = rel.rsplit('/').next().unwrap_or(rel).to_string();
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    bytes.len()
                );
                let _ = stream.write_all(head.as_bytes());
                if cut_here.lock().unwrap().contains(&name) {
                    let _ = stream.write_all(&bytes[..bytes.len() / 2]);
                } else {
                    let _ = stream.write_all(&bytes);
                }
            }
        });
        Server { port, cut }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// Runs the install script into `dest`: (exit code, stderr). Its temporary files go into
/// `tmp/scratch`, which must be empty again afterwards.
fn install(server: &Server, tmp: &Path, dest: &Path, env: &[(&str, &str)]) -> (i32, String) {
    let scratch = tmp.join("scratch");
    std::fs::create_dir_all(&scratch).unwrap();
    let mut cmd = Command::new("sh");
    cmd.arg(common::repo().join("scripts/install.sh"))
        .args(["--version", VERSION, "--to", dest.to_str().unwrap()])
        .env("KRING_DOWNLOAD_URL", server.url())
        .env("TMPDIR", &scratch)
        .env("HOME", tmp)
        .env_remove("KRING_VERSION")
        .env_remove("KRING_TARGET");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let left: Vec<_> = std::fs::read_dir(&scratch).unwrap().collect();
    assert!(left.is_empty(), "the script left {left:?} behind");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn installed(dest: &Path) -> Vec<String> {
    std::fs::read_dir(dest)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(unix)]
#[test]
fn the_install_script_installs_a_kring_that_runs() {
    let tmp = tempfile::tempdir().unwrap();
    release(&tmp.path().join("site"), &this_target());
    let server = Server::start(tmp.path().join("site"));
    let dest = tmp.path().join("bin with spaces ü");
    let (code, stderr) = install(&server, tmp.path(), &dest, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(&format!("installed kring {VERSION} at {}", dest.display())),
        "it says where: {stderr}"
    );
    assert!(stderr.contains("is not on your PATH"), "{stderr}");
    let out = Command::new(dest.join("kring"))
        .arg("--version")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("kring {VERSION}")
    );
    assert_eq!(installed(&dest), ["kring"], "only the binary");
}

#[cfg(unix)]
#[test]
fn a_failed_install_leaves_nothing_and_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let dir = release(&root, &this_target());
    let server = Server::start(root.clone());
    let archive = format!("kring-{VERSION}-{}.tar.gz", this_target());
    let dest = tmp.path().join("bin");
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();

    // A checksum that does not match the archive.
    let wrong: String = sums
        .lines()
        .map(|l| {
            if l.ends_with(&archive) {
                format!("{}{}\n", "0".repeat(64), &l[64..])
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(dir.join("SHA256SUMS"), wrong).unwrap();
    let (code, stderr) = install(&server, tmp.path(), &dest, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("checksum") && stderr.contains("refusing"),
        "{stderr}"
    );
    assert!(installed(&dest).is_empty(), "{:?}", installed(&dest));
    std::fs::write(dir.join("SHA256SUMS"), &sums).unwrap();

    // No binary for the platform: exit 3, which `kring ci` workflows answer by compiling.
    let (code, stderr) = install(
        &server,
        tmp.path(),
        &dest,
        &[("KRING_TARGET", "riscv64gc-unknown-linux-musl")],
    );
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("no binary for riscv64gc-unknown-linux-musl")
            && stderr.contains("cargo install --locked"),
        "{stderr}"
    );
    assert!(installed(&dest).is_empty());

    // Listed, but the archive is missing from the release.
    std::fs::rename(dir.join(&archive), tmp.path().join("aside")).unwrap();
    let (code, stderr) = install(&server, tmp.path(), &dest, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("failed or was cut off"), "{stderr}");
    assert!(installed(&dest).is_empty());
    std::fs::rename(tmp.path().join("aside"), dir.join(&archive)).unwrap();

    // A download cut off half-way, over an earlier install that must stay as it was.
    std::fs::create_dir_all(&dest).unwrap();
    std::fs::write(dest.join("kring"), "the kring installed before").unwrap();
    server.cut.lock().unwrap().insert(archive.clone());
    let (code, stderr) = install(&server, tmp.path(), &dest, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("cut off"), "{stderr}");
    assert_eq!(installed(&dest), ["kring"]);
    assert_eq!(
        std::fs::read_to_string(dest.join("kring")).unwrap(),
        "the kring installed before"
    );
    server.cut.lock().unwrap().clear();

    // A version that was never released.
    let out = Command::new("sh")
        .arg(common::repo().join("scripts/install.sh"))
        .args(["--version", "99.0.0", "--to", dest.to_str().unwrap()])
        .env("KRING_DOWNLOAD_URL", server.url())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is 99.0.0 a released version"));

    // Hostile arguments are refused before anything is fetched.
    for bad in ["1.0; rm -rf /", "../../etc", "1.0\n2.0"] {
        let out = Command::new("sh")
            .arg(common::repo().join("scripts/install.sh"))
            .args(["--version", bad, "--to", dest.to_str().unwrap()])
            .env("KRING_DOWNLOAD_URL", server.url())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{bad:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("is not a version number"));
    }
}

/// The script's pinned version and download address are the crate's.
#[test]
fn the_install_scripts_pin_this_version_and_the_release_address() {
    let sh = common::read(&common::repo(), "scripts/install.sh");
    assert!(sh.contains(&format!("\nVERSION={VERSION}\n")), "install.sh");
    assert!(
        sh.contains(&format!("\nBASE_URL={}\n", kring::commands::ci::RELEASES)),
        "install.sh downloads from the releases `kring ci` names"
    );
    let ps = common::read(&common::repo(), "scripts/install.ps1");
    assert!(
        ps.contains(&format!("else {{ \"{VERSION}\" }}),")),
        "install.ps1"
    );
    assert!(ps.contains(kring::commands::ci::RELEASES));
    assert_eq!(kring::commands::ci::INSTALL_SCRIPT, sh);
}

fn release_workflow() -> Yaml {
    let text = common::read(&common::repo(), ".github/workflows/release.yml");
    YamlLoader::load_from_str(&text).unwrap().remove(0)
}

fn step_runs(job: &Yaml) -> Vec<String> {
    job["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .filter_map(|s| s["run"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn the_release_workflow_builds_every_platform_with_checksums() {
    let w = release_workflow();
    assert_eq!(w["on"]["push"]["tags"][0].as_str(), Some("v*"));
    let targets: HashSet<&str> = w["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|t| t["target"].as_str().unwrap())
        .collect();
    let wanted: HashSet<&str> = [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ]
    .into();
    assert_eq!(targets, wanted);
    let build = step_runs(&w["jobs"]["build"]);
    assert!(
        build
            .iter()
            .any(|r| r.contains("cargo build --profile dist --locked"))
    );
    assert!(
        build
            .iter()
            .any(|r| r.contains("--version") && r.contains("$VERSION")),
        "the binary's version is checked"
    );
    let package = build.iter().find(|r| r.contains("tar -czf")).unwrap();
    for licence in ["LICENSE-MIT", "LICENSE-APACHE", "LICENSE-Inter.txt"] {
        assert!(package.contains(licence), "{licence} is packed");
    }
    assert_eq!(
        w["jobs"]["build"]["needs"].as_str(),
        Some("version"),
        "nothing is built before the versions agree"
    );
    let publish = step_runs(&w["jobs"]["publish"]);
    let sums = publish
        .iter()
        .position(|r| r.contains("> SHA256SUMS"))
        .unwrap();
    let release = publish
        .iter()
        .position(|r| r.contains("gh release create"))
        .unwrap();
    assert!(sums < release);
    assert!(publish[sums].contains("install.sh") && publish[sums].contains("install.ps1"));
}

/// The version job's own script, run here: it passes for this version's tag and stops a
/// tag that disagrees with Cargo.toml and the install scripts.
#[cfg(unix)]
#[test]
fn the_release_stops_when_the_versions_disagree() {
    let w = release_workflow();
    let script = step_runs(&w["jobs"]["version"])
        .into_iter()
        .find(|r| r.contains("GITHUB_OUTPUT"))
        .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    for (tag, ok) in [
        (format!("v{VERSION}"), true),
        ("v99.0.0".to_string(), false),
        (format!("v{VERSION}-rc1"), false),
    ] {
        let output = tmp.path().join("out");
        let status = Command::new("bash")
            .args(["-e", "-c", &script])
            .current_dir(common::repo())
            .env("GITHUB_REF_NAME", &tag)
            .env("GITHUB_OUTPUT", &output)
            .output()
            .unwrap();
        assert_eq!(status.status.success(), ok, "{tag}: {status:?}");
        if ok {
            assert_eq!(
                std::fs::read_to_string(&output).unwrap(),
                format!("version={VERSION}\n")
            );
        }
    }
}
