//! `kring import` under pressure: importing again (edits kept, nothing deleted), importing
//! into a site that has files of its own, and exports that are damaged or not exports.

use crate::common;

use common::import::*;
use common::*;

/// Importing again updates what nobody edited, keeps (and lists) what someone did, and
/// deletes nothing.
#[test]
fn importing_again_keeps_edits_and_deletes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = export_fixture("substack", tmp.path(), "https://cdn.example.net");
    let site = tmp.path().join("hub");
    let args = ["substack", folder.to_str().unwrap(), site.to_str().unwrap()];
    import_ok(&args, tmp.path());
    let before = tree(&site);

    let again = import_ok(&args, tmp.path());
    assert!(
        again.contains("files: 0 new, 0 updated, 7 unchanged, 0 kept"),
        "{again}"
    );
    assert_eq!(
        tree(&site),
        before,
        "a second import of the same export changes nothing"
    );

    // An edit survives; an untouched file follows the export; a post gone from the export stays.
    let edited = read(&site, "content/articles/onboarding-that-works.md")
        .replace("Step one", "Step one (edited)");
    write(&site, "content/articles/onboarding-that-works.md", &edited);
    let csv = read(&folder, "posts.csv")
        .replace("Welcome to the hub,", "Welcome to our hub,")
        .replace("Onboarding that works, step by step", "Onboarding, renamed")
        .lines()
        .filter(|l| !l.starts_with("100010."))
        .collect::<Vec<_>>()
        .join("\n");
    write(&folder, "posts.csv", csv);
    let third = import_ok(&args, tmp.path());
    assert!(
        third.contains("1 updated") && third.contains("1 kept as you edited them"),
        "{third}"
    );
    assert!(
        third.contains("  content/articles/onboarding-that-works.md"),
        "{third}"
    );
    assert_eq!(
        read(&site, "content/articles/onboarding-that-works.md"),
        edited
    );
    assert!(
        read(&site, "content/articles/welcome-to-the-hub.md")
            .contains("title = \"Welcome to our hub\"")
    );
    assert!(
        site.join("content/articles/free-members.md").exists(),
        "never deletes content"
    );
}

/// Into an existing site: its sections are used, and a hand-written file with the same
/// name as an imported post is left alone (the post takes the next name).
#[test]
fn an_existing_site_keeps_its_own_files() {
    let (tmp, site) = fixture("hub");
    write(
        &site,
        "content/articles/welcome-to-the-hub.md",
        "+++\ntitle = \"Mine\"\ndate = 2026-01-01\n+++\nHand-written.\n",
    );
    let folder = export_fixture("substack", tmp.path(), "https://cdn.example.net");
    let report = import_ok(
        &["substack", folder.to_str().unwrap(), site.to_str().unwrap()],
        tmp.path(),
    );
    assert!(!report.contains("a new site"), "{report}");
    assert!(read(&site, "content/articles/welcome-to-the-hub.md").contains("Hand-written."));
    let (front, _) = content(&site, "content/articles/welcome-to-the-hub-2.md");
    assert_eq!(front["title"].as_str(), Some("Welcome to the hub"));
    let (_, body) = content(&site, "content/articles/onboarding-that-works.md");
    assert!(
        body.contains("@/articles/welcome-to-the-hub-2.md"),
        "links follow the post: {body}"
    );
    check_ok(&site, tmp.path());
}

/// Not an export, a damaged one, or the wrong platform's: a clear error naming the file,
/// no panic, and nothing written.
#[test]
fn bad_exports_are_clear_errors_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = export_fixture("substack", tmp.path(), "https://cdn.example.net");
    let good_zip = tmp.path().join("good.zip");
    zip_folder(&folder, &good_zip);
    let bytes = std::fs::read(&good_zip).unwrap();
    write(tmp.path(), "truncated.zip", &bytes[..bytes.len() / 2]);
    write(
        tmp.path(),
        "random.zip",
        b"PK\x03\x04 not really a zip \x00\xff",
    );
    write(tmp.path(), "empty-folder/readme.txt", "nothing here");
    write(
        tmp.path(),
        "broken.json",
        "{\"db\": [{\"data\": {\"posts\": [\n{\"title\": \"x\",\n]}}]}",
    );
    write(tmp.path(), "not-ghost.json", "{\"hello\": \"world\"}");
    write(
        tmp.path(),
        "broken.xml",
        "<rss><channel><item><title>x</title></channel>",
    );
    write(
        tmp.path(),
        "plain-feed.xml",
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>A feed</title><link>https://x.example</link><description>d</description><item><title>x</title></item></channel></rss>",
    );
    write(tmp.path(), "binary.xml", b"\x00\x01\x02\xff\xfe");
    let cases = [
        ("substack", "truncated.zip", "truncated.zip"),
        ("substack", "random.zip", "not a readable Substack export"),
        ("substack", "empty-folder", "no posts.csv"),
        ("substack", "broken.json", "not a readable Substack export"),
        ("ghost", "broken.json", "broken.json:3"),
        ("ghost", "not-ghost.json", "not a Ghost export"),
        ("ghost", "broken.xml", "not a Ghost export"),
        ("wordpress", "broken.xml", "not a WordPress export"),
        (
            "wordpress",
            "plain-feed.xml",
            "not a WordPress export: an RSS feed without WordPress's wp: elements",
        ),
        ("wordpress", "binary.xml", "not a WordPress export"),
        ("wordpress", "missing.xml", "does not exist"),
    ];
    for (platform, name, message) in cases {
        let site = tmp.path().join(format!("site-{platform}-{name}"));
        let export = tmp.path().join(name);
        let (ok, stdout, stderr) = run(
            &[
                "import",
                platform,
                export.to_str().unwrap(),
                site.to_str().unwrap(),
            ],
            tmp.path(),
        );
        assert!(!ok, "{platform} {name} was accepted:\n{stdout}");
        assert!(!stderr.contains("panicked"), "{platform} {name}: {stderr}");
        assert!(
            stderr.contains(message),
            "{platform} {name}: expected `{message}` in:\n{stderr}"
        );
        assert!(
            !site.exists(),
            "{platform} {name}: a failed import wrote {}",
            site.display()
        );
    }
}
