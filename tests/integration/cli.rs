//! The command line as a user meets it: init, new, build, check, exit codes and --help.

use crate::common;

use common::*;

#[test]
fn init_makes_a_site_that_builds_and_checks() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("my-hub");
    let (ok, stdout, stderr) = run(&["init", site.to_str().unwrap()], tmp.path());
    assert!(ok, "{stderr}");
    assert!(stdout.contains("Made a new kring site"));
    // What kring makes stays out of git: the build and the image cache.
    let ignored = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    for line in ["/public/", "/.kring-cache/"] {
        assert!(
            ignored.lines().any(|l| l == line),
            "{line} not in .gitignore"
        );
    }
    let (ok, stdout, stderr) = run(&["build", site.to_str().unwrap()], tmp.path());
    assert!(ok, "{stderr}");
    assert!(stdout.starts_with("Built "), "{stdout}");
    for file in [
        "index.html",
        "articles/welcome/index.html",
        "events/first-meetup/index.html",
        "members/you/index.html",
        "rss.xml",
        "events/calendar.ics",
    ] {
        assert!(site.join("public").join(file).is_file(), "{file} missing");
    }
    let (ok, _, stderr) = run(&["check", site.to_str().unwrap()], tmp.path());
    assert!(ok, "{stderr}");
}

#[test]
fn init_refuses_a_folder_with_files() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let (ok, _, stderr) = run(&["init", tmp.path().to_str().unwrap()], tmp.path());
    assert!(!ok);
    assert!(stderr.contains("not empty"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn new_writes_each_kind_of_file_that_builds_and_never_overwrites() {
    let (tmp, site) = fixture("hub");
    let s = site.to_str().unwrap();
    let cases = [
        (
            "article",
            "Hallo wereld",
            "content/articles/hallo-wereld.md",
        ),
        (
            "event",
            "Borrel in Utrecht",
            "content/events/borrel-in-utrecht.md",
        ),
        ("member", "Fatima Zahra", "content/members/fatima-zahra.md"),
        (
            "masterclass",
            "Moderation 101",
            "content/masterclasses/moderation-101.md",
        ),
    ];
    for (what, title, file) in cases {
        let (ok, stdout, stderr) = run(&["new", what, title, s], tmp.path());
        assert!(ok, "{what}: {stderr}");
        assert!(stdout.contains(file), "{stdout}");
        assert!(site.join(file).is_file());
    }
    let mut opts = options();
    opts.drafts = true;
    let out = kring::build(&site, &opts, None)
        .unwrap_or_else(|e| panic!("{e}"))
        .output;
    assert!(read(&out, "articles/hallo-wereld/index.html").contains("Hallo wereld"));
    assert!(read(&out, "members/fatima-zahra/index.html").contains("Fatima Zahra"));

    let before = std::fs::read_to_string(site.join("content/articles/hallo-wereld.md")).unwrap();
    let (ok, _, stderr) = run(&["new", "article", "Hallo wereld", s], tmp.path());
    assert!(!ok && stderr.contains("already exists"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(site.join("content/articles/hallo-wereld.md")).unwrap(),
        before
    );
}

#[test]
fn new_quotes_titles_safely() {
    let (tmp, site) = fixture("hub");
    let (ok, _, stderr) = run(
        &[
            "new",
            "article",
            "She said \"hi\" \\ bye",
            site.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert!(ok, "{stderr}");
    let mut opts = options();
    opts.drafts = true;
    let out = kring::build(&site, &opts, None)
        .unwrap_or_else(|e| panic!("{e}"))
        .output;
    assert!(
        read(&out, "articles/she-said-hi-bye/index.html")
            .contains("She said &quot;hi&quot; \\ bye")
    );
}

#[test]
fn build_summary_and_exit_codes() {
    let (tmp, site) = fixture("hub");
    let (ok, stdout, _) = run(&["build", site.to_str().unwrap()], tmp.path());
    assert!(ok);
    assert!(
        stdout.contains("pages") && stdout.contains("feeds") && stdout.contains(" s → "),
        "{stdout}"
    );
    let (ok, _, stderr) = run(
        &["build", tmp.path().join("nowhere").to_str().unwrap()],
        tmp.path(),
    );
    assert!(!ok);
    assert!(stderr.starts_with("error: "), "{stderr}");
}

#[test]
fn every_command_has_help() {
    for cmd in ["build", "init", "check", "new", "serve"] {
        let out = kring().args([cmd, "--help"]).output().unwrap();
        assert!(out.status.success(), "{cmd} --help failed");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Usage: kring"), "{cmd}: {text}");
    }
}

#[test]
fn check_reports_a_broken_link_from_a_template() {
    let (tmp, site) = fixture("hub");
    write(
        &site,
        "templates/page.html",
        "<!DOCTYPE html><html lang=\"en\"><head><title>x</title></head><body><a href=\"{{ config.base_url }}no-such-page/\">x</a></body></html>",
    );
    let (ok, _, stderr) = run(&["check", site.to_str().unwrap()], tmp.path());
    assert!(!ok);
    assert!(
        stderr.contains("content/about.md") && stderr.contains("no-such-page"),
        "{stderr}"
    );
    assert!(!site.join("public").exists(), "check wrote output");
}
