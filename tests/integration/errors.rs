//! Bad input: each gets a clear message naming the file and line (snapshotted, so the
//! wording is reviewed), a non-zero exit, and leaves the last good output as it was.

use crate::common;

use common::*;

/// Builds the hub fixture, breaks it with `change`, builds again with the binary and
/// returns stderr, after checking the failure left `public/` untouched.
fn break_and_build(change: impl FnOnce(&std::path::Path)) -> String {
    let (tmp, site) = fixture("hub");
    let public = build_ok(&site);
    let before = tree(&public);
    assert!(before.contains_key("index.html"));
    change(&site);
    let (ok, _, stderr) = run(&["build", site.to_str().unwrap()], tmp.path());
    assert!(!ok, "the build should fail; stderr:\n{stderr}");
    assert_eq!(
        tree(&public),
        before,
        "a failed build changed the last good output"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&site)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("kring-build"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "a failed build left its staging folder behind"
    );
    stderr
}

#[test]
fn broken_toml_in_front_matter() {
    let err = break_and_build(|site| {
        write(
            site,
            "content/articles/first.md",
            "+++\ntitle = \"Unclosed\ndate = 2026-01-01\n+++\nBody\n",
        );
    });
    assert!(err.contains("content/articles/first.md:2:"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn unknown_key_in_front_matter() {
    let err = break_and_build(|site| {
        write(
            site,
            "content/articles/first.md",
            "+++\ntitle = \"A\"\n\ndaet = 2026-01-01\n+++\nBody\n",
        );
    });
    assert!(err.contains("content/articles/first.md:4:1"), "{err}");
    assert!(err.contains("daet"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn unknown_key_in_config() {
    let err = break_and_build(|site| {
        let config = std::fs::read_to_string(site.join("kring.toml")).unwrap();
        write(
            site,
            "kring.toml",
            config.replace("language = \"en\"", "langauge = \"en\""),
        );
    });
    assert!(err.contains("kring.toml:4:1"), "{err}");
    assert!(err.contains("langauge"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn broken_config_toml() {
    let err = break_and_build(|site| {
        write(
            site,
            "kring.toml",
            "base_url = \"https://x.org/\"\ntitle = [\n",
        )
    });
    assert!(err.contains("kring.toml:"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn missing_required_field() {
    let err = break_and_build(|site| {
        write(
            site,
            "content/articles/first.md",
            "+++\ndate = 2026-01-01\n+++\nNo title.\n",
        )
    });
    assert!(
        err.contains("content/articles/first.md:1:1") && err.contains("title"),
        "{err}"
    );
    insta::assert_snapshot!(err);
}

#[test]
fn bad_date() {
    let err = break_and_build(|site| {
        write(
            site,
            "content/articles/first.md",
            "+++\ntitle = \"A\"\ndate = \"yesterday\"\n+++\nBody\n",
        );
    });
    assert!(err.contains("content/articles/first.md:3:8"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn impossible_date() {
    let err = break_and_build(|site| {
        write(
            site,
            "content/articles/first.md",
            "+++\ntitle = \"A\"\ndate = 2026-02-30\n+++\nBody\n",
        );
    });
    assert!(err.contains("content/articles/first.md:3:"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn bad_time_zone() {
    let err = break_and_build(|site| {
        write(
            site,
            "content/events/meetup.md",
            "+++\ntitle = \"M\"\nstart = 2026-07-09T19:30:00\ntimezone = \"Europe/Amsterdm\"\n+++\n",
        );
    });
    assert!(
        err.contains("content/events/meetup.md:4:12") && err.contains("Europe/Amsterdm"),
        "{err}"
    );
    insta::assert_snapshot!(err);
}

#[test]
fn key_of_another_kind() {
    let err = break_and_build(|site| {
        write(
            site,
            "content/articles/first.md",
            "+++\ntitle = \"A\"\ndate = 2026-01-01\nstart = 2026-01-02\n+++\n",
        );
    });
    assert!(
        err.contains("content/articles/first.md:4:1") && err.contains("`start`"),
        "{err}"
    );
    insta::assert_snapshot!(err);
}

#[test]
fn javascript_url() {
    let err = break_and_build(|site| {
        write(
            site,
            "content/events/meetup.md",
            "+++\ntitle = \"M\"\nstart = 2026-07-09T19:30:00\nonline_url = \"javascript:alert(1)\"\n+++\n",
        );
    });
    assert!(err.contains("content/events/meetup.md:4:14"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn duplicate_url_names_both_files() {
    let err = break_and_build(|site| {
        write(
            site,
            "content/articles/copy.md",
            "+++\ntitle = \"Copy\"\nslug = \"first\"\ndate = 2026-01-01\n+++\n",
        );
    });
    assert!(
        err.contains("content/articles/copy.md") && err.contains("content/articles/first.md"),
        "{err}"
    );
    insta::assert_snapshot!(err);
}

#[test]
fn dangling_internal_link() {
    let err = break_and_build(|site| {
        write(
            site,
            "content/about.md",
            "+++\ntitle = \"About\"\n+++\n\nFirst line.\n\nSee [nothing](@/articles/nope.md) here.\n",
        );
    });
    assert!(
        err.contains("content/about.md:7:5") && err.contains("@/articles/nope.md"),
        "{err}"
    );
    insta::assert_snapshot!(err);
}

#[test]
fn many_errors_are_reported_together() {
    let err = break_and_build(|site| {
        write(site, "content/articles/first.md", "+++\ntitle = 1\n+++\n");
        write(
            site,
            "content/about.md",
            "+++\ntitle = \"About\"\n+++\n[x](@/gone.md)\n",
        );
        write(
            site,
            "content/events/meetup.md",
            "+++\ntitle = \"M\"\n+++\n",
        );
    });
    for file in [
        "content/articles/first.md",
        "content/about.md",
        "content/events/meetup.md",
    ] {
        assert!(err.contains(file), "{file} missing from:\n{err}");
    }
    assert!(err.contains("3 problems found"), "{err}");
}

#[test]
fn template_error_names_template_and_page() {
    let err = break_and_build(|site| {
        write(
            site,
            "templates/article.html",
            "{% extends \"base.html\" %}{% block content %}{{ page.no_such_field }}{% endblock %}",
        );
    });
    assert!(
        err.contains("templates/article.html")
            && err.contains("content/articles/")
            && err.contains("no_such_field"),
        "{err}"
    );
}

#[test]
fn template_syntax_error_names_template() {
    let err = break_and_build(|site| write(site, "templates/page.html", "{% if %}\n"));
    assert!(err.contains("templates/page.html"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn invalid_utf8() {
    let err = break_and_build(|site| {
        write(
            site,
            "content/about.md",
            b"+++\ntitle = \"About\"\n+++\nGood line\nBad \xff byte\n".as_slice(),
        );
    });
    assert!(
        err.contains("content/about.md:5:5") && err.contains("UTF-8"),
        "{err}"
    );
    insta::assert_snapshot!(err);
}

#[test]
fn unclosed_front_matter() {
    let err =
        break_and_build(|site| write(site, "content/about.md", "+++\ntitle = \"About\"\nBody\n"));
    assert!(err.contains("content/about.md:1:1"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn missing_bundle_image() {
    let err = break_and_build(|site| {
        write(
            site,
            "content/articles/bundle-post/index.md",
            "+++\ntitle = \"B\"\ndate = 2026-01-01\nimage = \"nope.png\"\n+++\n",
        );
    });
    assert!(
        err.contains("content/articles/bundle-post/index.md:4:1") && err.contains("nope.png"),
        "{err}"
    );
}

#[test]
fn dangerous_output_folders_are_refused() {
    let (tmp, site) = fixture("hub");
    let site_s = site.to_str().unwrap();
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join("precious.txt"), "keep me").unwrap();
    let content = site.join("content");
    let cases: Vec<(String, &str)> = vec![
        (site_s.to_string(), "site folder itself"),
        (
            content.to_str().unwrap().to_string(),
            "inside the site's content/",
        ),
        ("/".to_string(), "root of the file system"),
        (
            tmp.path().to_str().unwrap().to_string(),
            "contains the site",
        ),
        (home.to_str().unwrap().to_string(), "home folder"),
    ];
    for (out, reason) in cases {
        let output = kring()
            .args(["build", site_s, "-o", &out])
            .env("HOME", &home)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "-o {out} was accepted");
        assert!(
            stderr.contains("refusing") && stderr.contains(reason),
            "-o {out}: {stderr}"
        );
    }
    // A folder of other files is not a build to replace.
    let docs = tmp.path().join("documents");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("thesis.txt"), "years of work").unwrap();
    let output = kring()
        .args(["build", site_s, "-o", docs.to_str().unwrap()])
        .env("HOME", &home)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert_eq!(
        std::fs::read_to_string(docs.join("thesis.txt")).unwrap(),
        "years of work"
    );
    assert_eq!(
        std::fs::read_to_string(home.join("precious.txt")).unwrap(),
        "keep me"
    );
    assert!(content.join("about.md").is_file());
}
