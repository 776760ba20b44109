//! Files a user keeps in the output folder (issue #21, point 1): a `.git` of a GitHub Pages
//! branch, a `CNAME`, `.well-known/`, notes of their own. kring's marker lists the files it
//! wrote; everything else survives every build, a build that would overwrite one is refused
//! by name, and a build killed at any moment loses none of them.

use crate::common;

use std::path::Path;
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
        build_signalled(
            &site,
            tmp.path(),
            Duration::from_millis(30 + 60 * round),
            "KILL",
        );
        assert_kept(&public, &format!("after a kill at round {round}"));
        assert_eq!(tree(&public.join(".git")), objects, "round {round}: .git");
    }
    build_ok(&site);
    assert_kept(&public, "after the next build");
    assert_eq!(tree(&public.join(".git")), objects, ".git after the build");
}

// ------------------------------------------- a second build writes only what changed (#23)

/// Every file under `dir` with its bytes, inode and modification time.
#[cfg(unix)]
fn snapshot(
    dir: &Path,
) -> std::collections::BTreeMap<String, (Vec<u8>, u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    tree(dir)
        .into_iter()
        .map(|(rel, bytes)| {
            let meta = std::fs::symlink_metadata(dir.join(&rel)).unwrap();
            (rel, (bytes, meta.ino(), meta.modified().unwrap()))
        })
        .collect()
}

/// The site built afresh into a new folder: what `public/` must now equal.
fn fresh(site: &Path, name: &str) -> std::collections::BTreeMap<String, Vec<u8>> {
    let out = site.parent().unwrap().join(name);
    kring::build(site, &options(), Some(&out)).unwrap();
    tree(&out)
}

#[cfg(unix)]
#[test]
fn a_second_build_of_an_unchanged_site_writes_no_file() {
    let (_tmp, site) = fixture("hub");
    let public = build_ok(&site);
    plant(&public);
    let before = snapshot(&public);
    for round in 0..2 {
        build_ok(&site);
        let after = snapshot(&public);
        assert_eq!(
            after.keys().collect::<Vec<_>>(),
            before.keys().collect::<Vec<_>>(),
            "round {round}"
        );
        for (rel, (bytes, ino, mtime)) in &before {
            let (b, i, m) = &after[rel];
            assert!(
                b == bytes && i == ino && m == mtime,
                "round {round}: {rel} was written again"
            );
        }
    }
    assert_kept(&public, "after the unchanged builds");
}

/// An edit of the site: what it is, the edit, the outputs it must change and those it removes.
type Edit = (
    &'static str,
    Box<dyn Fn(&Path)>,
    &'static [&'static str],
    &'static [&'static str],
);

/// Each edit: the files whose bytes changed are exactly those written again, and the
/// output equals a fresh build's.
#[cfg(unix)]
#[test]
fn an_edit_rewrites_what_it_changes_and_nothing_else() {
    let (_tmp, site) = fixture("hub");
    let public = build_ok(&site);
    let edits: Vec<Edit> = vec![
        (
            "a body with non-ASCII and markup",
            Box::new(|s: &Path| {
                let path = s.join("content/articles/first.md");
                let mut text = std::fs::read_to_string(&path).unwrap();
                text.push_str("\nÜnïcödé <!--<script>alert(1)</script>\r\n");
                std::fs::write(path, text).unwrap();
            }),
            &["articles/first/index.html"],
            &[],
        ),
        (
            "a title, with \\r\\n line ends",
            Box::new(|s: &Path| {
                let text = "+++\r\ntitle = \"Over ons — ü\"\r\nin_menu = true\r\n+++\r\n\r\nAbout the fixture.\r\n";
                std::fs::write(s.join("content/about.md"), text).unwrap();
            }),
            &["about/index.html", "index.html"],
            &[],
        ),
        (
            "a new page",
            Box::new(|s: &Path| {
                write(
                    s,
                    "content/articles/brand-new.md",
                    "+++\ntitle = \"Brand new\"\ndate = 2026-03-01\n+++\n\nNew.\n",
                );
            }),
            &["articles/brand-new/index.html"],
            &[],
        ),
        (
            "a removed page",
            Box::new(|s: &Path| {
                std::fs::remove_file(s.join("content/articles/2026-02-01-second.md")).unwrap();
            }),
            &[],
            &["articles/second"],
        ),
        (
            "a static file added, then changed",
            Box::new(|s: &Path| {
                write(s, "static/files/ünï naam.txt", "one\0two\r\n");
                build_ok(s);
                write(s, "static/files/ünï naam.txt", "three\0four\r\n");
            }),
            &["files/ünï naam.txt"],
            &[],
        ),
    ];
    for (n, (what, edit, rewritten, gone)) in edits.iter().enumerate() {
        let before = snapshot(&public);
        edit(&site);
        build_ok(&site);
        let after = snapshot(&public);
        for rel in *rewritten {
            let old = before.get(*rel);
            assert!(
                old.is_none_or(|(b, ..)| *b != after[*rel].0),
                "{what}: /{rel} did not change"
            );
        }
        for rel in *gone {
            assert!(!public.join(rel).exists(), "{what}: /{rel} stayed");
        }
        for (rel, (bytes, ino, mtime)) in &before {
            let Some((b, i, m)) = after.get(rel) else {
                continue;
            };
            let written = (i, m) != (ino, mtime);
            assert_eq!(
                b != bytes,
                written,
                "{what}: /{rel} {}",
                if written {
                    "was written again with the same bytes"
                } else {
                    "changed but was not written"
                }
            );
        }
        let expected = fresh(&site, &format!("fresh-{n}"));
        assert!(
            tree(&public) == expected,
            "{what}: differs from a fresh build"
        );
    }
}

/// Files of kring's that the user deleted, edited or replaced in `public/` are put back.
#[cfg(unix)]
#[test]
fn kring_files_the_user_deleted_or_edited_are_restored() {
    let (_tmp, site) = fixture("hub");
    let public = build_ok(&site);
    plant(&public);
    std::fs::remove_file(public.join("about/index.html")).unwrap();
    std::fs::remove_dir_all(public.join("articles/first")).unwrap();
    // Edited in place: longer, and the same length.
    let index = std::fs::read(public.join("index.html")).unwrap();
    std::fs::write(
        public.join("index.html"),
        [&index[..], b"<!--<script>"].concat(),
    )
    .unwrap();
    let mut flipped = std::fs::read(public.join("articles/index.html")).unwrap();
    flipped[10] ^= 0x20;
    std::fs::write(public.join("articles/index.html"), flipped).unwrap();
    // Replaced by a new file with the same bytes, and by a link to a copy.
    let sitemap = std::fs::read(public.join("sitemap.xml")).unwrap();
    std::fs::remove_file(public.join("sitemap.xml")).unwrap();
    std::fs::write(public.join("sitemap.xml"), &sitemap).unwrap();
    let feed = std::fs::read(public.join("robots.txt")).unwrap();
    std::fs::write(site.join("elsewhere.txt"), &feed).unwrap();
    std::fs::remove_file(public.join("robots.txt")).unwrap();
    std::os::unix::fs::symlink(site.join("elsewhere.txt"), public.join("robots.txt")).unwrap();
    build_ok(&site);
    assert!(
        !std::fs::symlink_metadata(public.join("robots.txt"))
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link stayed"
    );
    let mut expected = fresh(&site, "fresh");
    for (rel, bytes) in users_files() {
        expected.insert(rel.to_string(), bytes.to_vec());
    }
    assert!(
        tree(&public) == expected,
        "public/ differs from a fresh build"
    );
    assert_kept(&public, "after the repairing build");
}

/// A folder of the user's where kring's file was is refused by name, like any file in the
/// way, and nothing changes.
#[cfg(unix)]
#[test]
fn a_folder_of_the_users_at_a_path_of_kring_is_refused() {
    let (tmp, site) = fixture("hub");
    let public = build_ok(&site);
    std::fs::remove_file(public.join("about/index.html")).unwrap();
    write(&public, "about/index.html/mine.txt", "mine");
    let before = snapshot(&public);
    let (code, stderr) = build_status(&site, tmp.path(), &[]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("/about/index.html") && stderr.contains("did not write"),
        "{stderr}"
    );
    assert!(snapshot(&public) == before, "public/ changed");
}

/// A build that fails — bad front matter, a file in the way — changes nothing in `public/`:
/// no byte, no inode, no time.
#[cfg(unix)]
#[test]
fn a_failed_build_changes_nothing_in_the_output() {
    let (tmp, site) = fixture("hub");
    let public = build_ok(&site);
    plant(&public);
    // Changes that would rewrite pages, so a half-done commit would show.
    let about = std::fs::read_to_string(site.join("content/about.md")).unwrap();
    write(
        &site,
        "content/about.md",
        about.replace("About us", "Über uns"),
    );
    let bad_front_matter = [
        "+++\ntitle = \"unclosed\n+++\n\nBody.\n",
        "+++\ntitle = 1\ndate = \"not a date\"\n+++\n",
        "+++\ntitle = \"nul\0\"\n+++\n<!--<script>",
    ];
    let before = snapshot(&public);
    for (n, text) in bad_front_matter.iter().enumerate() {
        write(&site, "content/articles/broken.md", text);
        let (code, stderr) = build_status(&site, tmp.path(), &[]);
        assert_eq!(code, Some(1), "variant {n}: {stderr}");
        assert!(snapshot(&public) == before, "variant {n}: public/ changed");
    }
    std::fs::remove_file(site.join("content/articles/broken.md")).unwrap();
    build_ok(&site);
    assert!(read(&public, "about/index.html").contains("Über uns"));
}

/// `bytes` without the build's own time (a feed's `lastBuildDate`, a calendar's `DTSTAMP`),
/// which differs between any two builds.
fn timeless(bytes: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return bytes.to_vec();
    };
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("<lastBuildDate>") {
        out.push_str(&rest[..at]);
        let end = rest[at..]
            .find("</lastBuildDate>")
            .map_or(rest.len(), |e| at + e);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out.split_inclusive('\n')
        .map(|l| {
            if l.starts_with("DTSTAMP:") {
                "DTSTAMP\r\n"
            } else {
                l
            }
        })
        .collect::<String>()
        .into_bytes()
}

fn timeless_tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    tree(dir)
        .into_iter()
        .map(|(rel, bytes)| (rel, timeless(&bytes)))
        .collect()
}

/// Builds killed at many moments, each changing every page (the site's title flips between
/// two): every file is whole — the one or the other build's — and the user's files stay.
#[cfg(unix)]
#[test]
fn a_build_killed_while_committing_leaves_whole_files() {
    let (tmp, site) = fixture("example-site");
    let config = std::fs::read_to_string(site.join("kring.toml")).unwrap();
    let titles = ["De Stoep", "De Stoëp <!--<script>"];
    let with_title = |t: &str| config.replacen("\"De Stoep\"", &format!("{t:?}"), 1);
    let built = |n: usize| {
        write(&site, "kring.toml", with_title(titles[n]));
        let (code, stderr) = build_status(
            &site,
            tmp.path(),
            &["-o", tmp.path().join(format!("ref-{n}")).to_str().unwrap()],
        );
        assert_eq!(code, Some(0), "{stderr}");
        timeless_tree(&tmp.path().join(format!("ref-{n}")))
    };
    let refs = [built(0), built(1)];
    let (code, stderr) = build_status(&site, tmp.path(), &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let public = site.join("public");
    plant(&public);
    let mine: Vec<&str> = users_files().iter().map(|(rel, _)| *rel).collect();
    for round in 0..10u64 {
        write(
            &site,
            "kring.toml",
            with_title(titles[(round % 2) as usize]),
        );
        build_signalled(
            &site,
            tmp.path(),
            Duration::from_millis(60 + 170 * round),
            "KILL",
        );
        assert_kept(&public, &format!("round {round}"));
        for (rel, bytes) in timeless_tree(&public) {
            if mine.contains(&rel.as_str()) || rel == ".kring-build" {
                continue;
            }
            assert!(
                refs.iter().any(|r| r.get(&rel) == Some(&bytes)),
                "round {round}: /{rel} is neither build's"
            );
        }
        for rel in refs[0].keys().filter(|r| refs[1].contains_key(*r)) {
            assert!(public.join(rel).is_file(), "round {round}: /{rel} is gone");
        }
    }
    write(&site, "kring.toml", with_title(titles[1]));
    let (code, stderr) = build_status(&site, tmp.path(), &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let mut now = timeless_tree(&public);
    now.retain(|rel, _| !mine.contains(&rel.as_str()));
    assert!(
        now == refs[1],
        "the build after the kills is not a whole build"
    );
    assert_kept(&public, "after the next build");
}
