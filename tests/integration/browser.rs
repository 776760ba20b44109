//! Real-browser tests: headless Chromium (Debian's `chromium` package, driven by
//! playwright-core from tests/browser/, installed by `.ci/run` with `npm ci`) against the
//! dev server. Set KRING_SKIP_BROWSER=1 to skip them on a machine without Chromium.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::*;
use kring::serve::{DevServer, ServeOptions};

/// Whether the browser tests can run here; panics with what to install unless skipped.
fn browser_ready() -> bool {
    if std::env::var_os("KRING_SKIP_BROWSER").is_some() {
        eprintln!("KRING_SKIP_BROWSER is set: browser test skipped");
        return false;
    }
    let modules = repo().join("tests/browser/node_modules/playwright-core");
    assert!(
        Path::new("/usr/bin/chromium").exists() || std::env::var_os("CHROMIUM").is_some(),
        "Chromium is missing: apt-get install -y chromium (or set KRING_SKIP_BROWSER=1)"
    );
    assert!(
        modules.is_dir(),
        "run `npm ci` in tests/browser first (or set KRING_SKIP_BROWSER=1)"
    );
    true
}

fn node(script: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new("node")
        .arg(repo().join("tests/browser").join(script))
        .args(args)
        .output()
        .expect("node is installed");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn live_reload_css_swap_and_error_overlay_in_chromium() {
    if !browser_ready() {
        return;
    }
    let (_tmp, site) = fixture("hub");
    let mut options = ServeOptions::new(&site);
    options.port = 0;
    options.now = Some(NOW.parse().unwrap());
    let server = DevServer::start(&options).unwrap();
    let (ok, output) = node("live-reload.mjs", &[&server.url, site.to_str().unwrap()]);
    assert!(ok, "browser test failed:\n{output}");
    for step in [
        "edited article shown",
        "CSS applied without a page reload",
        "overlay names the file and line",
        "overlay gone",
    ] {
        assert!(output.contains(step), "missing step `{step}`:\n{output}");
    }
}

/// A YouTube address alone on a line loads nothing from YouTube until the play button is
/// clicked; `kring check --privacy` has nothing to report for it.
#[test]
fn a_video_loads_nothing_until_clicked_in_chromium() {
    if !browser_ready() {
        return;
    }
    let (tmp, site) = fixture("hub");
    write(
        &site,
        "content/articles/video.md",
        "+++\ntitle = \"Our meetup on video\"\ndate = 2026-03-05\n+++\n\nWatch it back:\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n",
    );
    let (ok, stdout, stderr) = run(&["check", "--privacy", site.to_str().unwrap()], tmp.path());
    assert!(ok, "check --privacy: {stdout}{stderr}");
    let mut options = ServeOptions::new(&site);
    options.port = 0;
    options.now = Some(NOW.parse().unwrap());
    let server = DevServer::start(&options).unwrap();
    let (ok, output) = node("video.mjs", &[&format!("{}articles/video/", server.url)]);
    assert!(ok, "browser test failed:\n{output}");
    for step in [
        "nothing requested from another host on load",
        "a click brings the player's iframe",
        "without JavaScript a plain link",
    ] {
        assert!(output.contains(step), "missing step `{step}`:\n{output}");
    }
}

/// A port nothing listens on, for a script to serve a build on.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The example site built for `http://127.0.0.1:PORT/` on a free port, so a script can
/// serve it where its base_url says: the temp folder, the output, the port.
fn example_site_for_a_port() -> (tempfile::TempDir, std::path::PathBuf, u16) {
    let port = free_port();
    let (tmp, site) = fixture("example-site");
    let out = tmp.path().join("public");
    let mut opts = options();
    opts.base_url = Some(format!("http://127.0.0.1:{port}/"));
    if let Err(e) = kring::build(&site, &opts, Some(&out)) {
        panic!("build failed:\n{e}");
    }
    (tmp, out, port)
}

/// Events that end after the build: with the browser's clock set an hour after the first
/// upcoming event ends, the script moves it to the archive and its page says it is over.
#[test]
fn ended_events_leave_the_upcoming_list_in_chromium() {
    if !browser_ready() {
        return;
    }
    let (_tmp, out, port) = example_site_for_a_port();
    let (ok, output) = node("fresh.mjs", &[out.to_str().unwrap(), &port.to_string()]);
    assert!(ok, "freshness check failed:\n{output}");
    for step in [
        "without JavaScript the list stands as built",
        "the ended event heads the archive",
        "and looks like a past event",
        "times in New York time",
        "no invitation to register",
        "no request leaves the origin",
    ] {
        assert!(
            output.contains(&format!("ok: {step}")),
            "missing `{step}`:\n{output}"
        );
    }
}

#[test]
fn theme_is_accessible_and_loads_nothing_external_in_chromium() {
    if !browser_ready() {
        return;
    }
    let (_tmp, out, port) = example_site_for_a_port();
    let screenshots = repo().join("target/screenshots");
    std::fs::create_dir_all(&screenshots).unwrap();
    let (ok, output) = node(
        "theme-check.mjs",
        &[
            out.to_str().unwrap(),
            screenshots.to_str().unwrap(),
            &port.to_string(),
        ],
    );
    assert!(ok, "theme check failed:\n{output}");
    let oks = output.lines().filter(|l| l.starts_with("ok: ")).count();
    let pages = [
        "home",
        "article",
        "event",
        "member",
        "members",
        "search",
        "blocks",
        "series",
        "sponsored",
        "term",
    ];
    assert_eq!(
        oks,
        pages.len() * 2,
        "expected every page at 2 widths:\n{output}"
    );
    for page in pages {
        for width in [390, 1280] {
            let line = format!("ok: {page} @{width}");
            assert!(
                output.lines().any(|l| l == line),
                "missing `{line}`:\n{output}"
            );
        }
    }
}

#[test]
fn every_image_has_a_size_and_no_file_is_much_wider_than_shown_in_chromium() {
    if !browser_ready() {
        return;
    }
    let (_tmp, out, port) = example_site_for_a_port();
    let (ok, output) = node(
        "image-sizes.mjs",
        &[out.to_str().unwrap(), &port.to_string()],
    );
    assert!(ok, "image sizes:\n{output}");
    // The example site's photos are there to be measured: covers, avatars, a screenshot.
    for file in [
        "meetup-table.w",
        "utrecht-evening.w",
        "amara.",
        "kitchen-table-screenshot.",
    ] {
        assert!(
            output
                .lines()
                .any(|l| l.starts_with("ok: ") && l.contains(file)),
            "no photo {file} measured:\n{output}"
        );
    }
}

/// A word of at least nine letters that occurs in exactly one of the example site's
/// content files in `language` (`""` for Dutch, `"en"`), and that file is an article: the
/// word, and the article's path.
fn word_of_one_article(site: &std::path::Path, language: &str) -> (String, String) {
    let mut seen: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    let mut texts = Vec::new();
    for entry in walkdir::WalkDir::new(site.join("content")) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let english = name.ends_with(".en.md");
        if !name.ends_with(".md") || english != (language == "en") {
            continue;
        }
        let rel = entry.path().strip_prefix(site.join("content")).unwrap();
        let text = std::fs::read_to_string(entry.path())
            .unwrap()
            .to_lowercase();
        for word in text.split(|c: char| !c.is_ascii_lowercase()) {
            if word.len() >= 9 {
                seen.entry(word.to_string())
                    .or_default()
                    .insert(rel.display().to_string());
            }
        }
        texts.push(text);
    }
    for (word, files) in seen {
        let file = files.iter().next().unwrap();
        let Some(name) = file.strip_prefix("articles/") else {
            continue;
        };
        let stem = name.trim_end_matches(".en.md").trim_end_matches(".md");
        let body_only = !std::fs::read_to_string(site.join("content").join(file))
            .unwrap()
            .split("+++")
            .nth(1)
            .unwrap()
            .to_lowercase()
            .contains(&word);
        // Other forms of the word (one stem) must not be in another file either.
        let alone = texts.iter().filter(|t| t.contains(&word[..7])).count() == 1;
        if files.len() == 1 && alone && !stem.contains('/') && !stem.starts_with("20") && body_only
        {
            let lang = if language.is_empty() {
                String::new()
            } else {
                format!("{language}/")
            };
            return (word, format!("{lang}articles/{stem}/"));
        }
    }
    panic!("no word of one {language} article");
}

#[test]
fn search_finds_pages_safely_at_another_origin_under_a_sub_path_in_chromium() {
    if !browser_ready() {
        return;
    }
    let port = free_port();
    let (tmp, site) = fixture("example-site");
    let (word_nl, path_nl) = word_of_one_article(&site, "");
    let (word_en, path_en) = word_of_one_article(&site, "en");
    let title = "<img src=x onerror=alert(1)></script><!--";
    std::fs::write(
        site.join("content/articles/markup-title.md"),
        format!(
            "+++\ntitle = \"{title}\"\ndate = 2026-01-05\n+++\n\nEen pagina met xssproefwoord.\n"
        ),
    )
    .unwrap();
    // A word only deep in a body: past the text the index keeps with each page.
    let filler = "Gewone woorden over een gemeenschap en haar leden. ".repeat(60);
    std::fs::write(
        site.join("content/articles/deep-body.md"),
        format!(
            "+++\ntitle = \"Een lang stuk\"\ndate = 2026-01-06\n+++\n\n{filler}\n\nHier staat het Diepgravendwoord, ver weg.\n"
        ),
    )
    .unwrap();
    // Built for its own address (destoep.example.org), served from 127.0.0.1 under /sub/:
    // search must work at another origin and under a sub-path.
    let root = tmp.path().join("served");
    let out = root.join("sub");
    if let Err(e) = kring::build(&site, &options(), Some(&out)) {
        panic!("build failed:\n{e}");
    }
    let (ok, output) = node(
        "search.mjs",
        &[
            root.to_str().unwrap(),
            &port.to_string(),
            "/sub/",
            &word_nl,
            &format!("/sub/{path_nl}"),
            &word_en,
            &format!("/sub/{path_en}"),
            "xssproefwoord",
            title,
            "diepgravendwoord",
            "/sub/articles/deep-body/",
        ],
    );
    assert!(ok, "search in Chromium:\n{output}");
    assert_eq!(
        output.lines().filter(|l| l.starts_with("ok: ")).count(),
        6,
        "{output}"
    );
}

#[test]
fn a_build_works_at_another_origin_under_a_sub_path_in_chromium() {
    if !browser_ready() {
        return;
    }
    // Built for its own base_url (destoep.nl), served from 127.0.0.1 under /preview/deploy-7/.
    let (tmp, site) = fixture("example-site");
    let www = tmp.path().join("www");
    let out = www.join("preview/deploy-7");
    if let Err(e) = kring::build(&site, &options(), Some(&out)) {
        panic!("build failed:\n{e}");
    }
    let production = kring::config::Config::load(&site).unwrap().base_url;
    let host = production
        .as_str()
        .split("://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap()
        .to_string();
    let port = free_port();
    let (ok, output) = node(
        "portable.mjs",
        &[
            www.to_str().unwrap(),
            "preview/deploy-7",
            &port.to_string(),
            &host,
        ],
    );
    assert!(ok, "portable output check failed:\n{output}");
    let pages: usize = output
        .split("ok: ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(
        pages > 50,
        "the crawl reached only {pages} pages:\n{output}"
    );
}

/// Published SVG files opened directly (issue #21): the hostile files of
/// `published_files` run no script and request nothing, in Chromium. The same files as
/// they were written do both, so the check can see it.
#[test]
fn published_svgs_run_no_script_and_request_nothing_in_chromium() {
    if !browser_ready() {
        return;
    }
    let (tmp, site) = fixture("hub");
    let published = crate::published_files::site_with_hostile_svgs(&site);
    let out = tmp.path().join("public");
    if let Err(e) = kring::build(&site, &options(), Some(&out)) {
        panic!("build failed:\n{e}");
    }
    let mut args = vec![out.to_str().unwrap().to_string()];
    args.extend(published.iter().cloned());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (ok, output) = node("svg.mjs", &args);
    assert!(ok, "SVG check failed:\n{output}");
    for rel in &published {
        assert!(
            output.contains(&format!("ok: {rel} ")),
            "missing {rel}:\n{output}"
        );
    }
    // The files as they came: the same check sees their script run and their requests.
    let raw = site.join("static");
    let (ok, output) = node(
        "svg.mjs",
        &[
            raw.to_str().unwrap(),
            "svg/script.svg",
            "svg/onload.svg",
            "svg/external.svg",
        ],
    );
    assert!(!ok, "the check saw nothing in the raw files:\n{output}");
    for (file, what) in [
        ("svg/script.svg", "script ran"),
        ("svg/onload.svg", "script ran"),
        ("svg/external.svg", "requested http://evil.invalid/"),
    ] {
        assert!(
            output
                .lines()
                .any(|l| l.starts_with(file) && l.contains(what)),
            "{file}: {what}:\n{output}"
        );
    }
}
