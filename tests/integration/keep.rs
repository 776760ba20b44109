//! Files a user keeps in the output folder (issue #21, point 1): a `.git` of a GitHub Pages
//! branch, a `CNAME`, `.well-known/`, notes of their own. kring's marker lists the files it
//! wrote; everything else survives every build, a build that would overwrite one is refused
//! by name, and a build killed at any moment loses none of them.

use crate::common;

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use common::*;

/// The user's files, by path, with their bytes: several kinds of name, a read-only file, a
/// file inside a folder kring writes into, a deep tree.
fn users_files() -> Vec<(&'static str, &'static [u8])> {
    vec![
        ("CNAME", b"hub.example.org\n"),
        (".git/HEAD", b"ref: refs/heads/gh-pages\n"),
        (".git/objects/ab/cdef0123", b"\x78\x01binary\0object"),
        (".git/refs/heads/gh-pages", b"0123456789abcdef\n"),
        (
            ".well-known/security.txt",
            b"Contact: mailto:x@example.org\n",
        ),
        (".nojekyll", b""),
        (
            "notes/ünïcödé naam.txt",
            b"<!--<script>alert(1)</script>\r\n",
        ),
        ("articles/keep-me.txt", b"mine, beside kring's pages"),
        ("deep/a/b/c/d/e/f/g/h/i/j.txt", b"deep"),
    ]
}

fn plant(public: &Path) {
    for (rel, bytes) in users_files() {
        write(public, rel, bytes);
    }
    std::fs::create_dir_all(public.join("empty-folder-of-mine")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let object = public.join(".git/objects/ab/cdef0123");
        std::fs::set_permissions(&object, std::fs::Permissions::from_mode(0o444)).unwrap();
        std::os::unix::fs::symlink("articles/", public.join("latest")).unwrap();
    }
}

fn assert_kept(public: &Path, when: &str) {
    for (rel, bytes) in users_files() {
        let got = std::fs::read(public.join(rel))
            .unwrap_or_else(|e| panic!("{when}: {rel} is gone ({e})"));
        assert_eq!(got, bytes, "{when}: {rel} changed");
    }
    assert!(
        public.join("empty-folder-of-mine").is_dir(),
        "{when}: empty folder"
    );
    #[cfg(unix)]
    assert_eq!(
        std::fs::read_link(public.join("latest")).unwrap(),
        Path::new("articles/"),
        "{when}: the link"
    );
}

fn marker_paths(public: &Path) -> Vec<String> {
    read(public, ".kring-build")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[test]
fn files_the_user_keeps_in_the_output_survive_every_build() {
    let (_tmp, site) = fixture("hub");
    let public = build_ok(&site);
    plant(&public);
    build_ok(&site);
    assert_kept(&public, "second build");

    // kring's own files still come and go with the content: a removed article's page goes,
    // while the user's file beside the pages stays.
    assert!(public.join("articles/second/index.html").is_file());
    std::fs::remove_file(site.join("content/articles/2026-02-01-second.md")).unwrap();
    build_ok(&site);
    assert!(
        !public.join("articles/second").exists(),
        "a stale page stayed"
    );
    assert_kept(&public, "third build");

    // The marker lists what kring wrote, and none of the user's files.
    let listed = marker_paths(&public);
    assert!(listed.contains(&"index.html".to_string()), "{listed:?}");
    assert!(listed.contains(&"articles/index.html".to_string()));
    for (rel, _) in users_files() {
        assert!(
            !listed.iter().any(|l| l == rel),
            "{rel} is listed as kring's"
        );
    }
    for listed in &listed {
        assert!(
            public.join(listed).is_file(),
            "listed but missing: {listed}"
        );
    }
}

#[test]
fn a_build_that_would_overwrite_a_users_file_is_refused_by_name() {
    let (tmp, site) = fixture("hub");
    let public = build_ok(&site);
    // Each variant: a file of the user's in the way of a page the next build adds.
    let variants: [(&str, &str); 3] = [
        (
            "articles/brand-new/index.html",
            "a file where kring writes a page",
        ),
        ("articles/brand-new", "a file where kring needs a folder"),
        (
            "articles/brand-new/index.html/inner.txt",
            "a folder where kring writes a file",
        ),
    ];
    write(
        &site,
        "content/articles/brand-new.md",
        "+++\ntitle = \"Brand new\"\ndate = 2026-03-01\n+++\n\nNew.\n",
    );
    for (rel, what) in variants {
        let old = public.clone();
        write(&old, rel, what);
        let before = tree(&old);
        let (code, stderr) = build_status(&site, tmp.path(), &[]);
        assert_eq!(code, Some(1), "{what}: {stderr}");
        let shown = rel.split("/inner.txt").next().unwrap();
        assert!(
            stderr.contains(&format!("/{shown}")) && stderr.contains("did not write"),
            "{what}: the message should name /{shown}:\n{stderr}"
        );
        assert_eq!(tree(&old), before, "{what}: the last build changed");
        // Moved away, the build goes through.
        let top = old.join("articles/brand-new");
        if top.is_dir() {
            std::fs::remove_dir_all(&top).unwrap();
        } else {
            std::fs::remove_file(&top).unwrap();
        }
    }
    build_ok(&site);
    assert!(public.join("articles/brand-new/index.html").is_file());
    std::fs::remove_file(site.join("content/articles/brand-new.md")).unwrap();
}

#[test]
fn a_marker_of_an_older_kring_keeps_hidden_files_and_cname() {
    let (_tmp, site) = fixture("hub");
    let public = build_ok(&site);
    std::fs::write(
        public.join(".kring-build"),
        "This folder was made by `kring build`, which replaces it whole on the next build.\nDo not keep anything else in it.\n",
    )
    .unwrap();
    write(&public, "CNAME", "hub.example.org");
    write(&public, ".git/HEAD", "ref");
    write(&public, "stale/index.html", "an old kring page");
    build_ok(&site);
    assert_eq!(read(&public, "CNAME"), "hub.example.org");
    assert_eq!(read(&public, ".git/HEAD"), "ref");
    assert!(
        !public.join("stale").exists(),
        "an old page of kring's stayed"
    );
    assert!(marker_paths(&public).contains(&"index.html".to_string()));
}

/// The user's files survive a build killed at any moment — while rendering, while carrying
/// a large `.git` over, while swapping — and the next build still has them.
#[cfg(unix)]
#[test]
fn a_killed_build_loses_none_of_the_users_files() {
    let (tmp, site) = fixture("example-site");
    let public = build_ok(&site);
    plant(&public);
    // A `.git` of thousands of objects, so a kill can fall while it is carried over.
    for i in 0..3000 {
        write(
            &public,
            &format!(".git/objects/{:02x}/{i:038x}", i % 256),
            format!("object {i}"),
        );
    }
    let objects = tree(&public.join(".git"));
    for round in 0..10u64 {
        let child = kring()
            .args(["build", site.to_str().unwrap()])
            .env("HOME", tmp.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(30 + 60 * round));
        let _ = std::process::Command::new("kill")
            .args(["-KILL", &child.id().to_string()])
            .status();
        let _ = child.wait_with_output();
        assert_kept(&public, &format!("after a kill at round {round}"));
        assert_eq!(tree(&public.join(".git")), objects, "round {round}: .git");
    }
    build_ok(&site);
    assert_kept(&public, "after the next build");
    assert_eq!(tree(&public.join(".git")), objects, ".git after the build");
}
