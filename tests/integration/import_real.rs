//! `kring import` on exports that real platforms wrote and nobody here made
//! (tests/fixtures/real/, see its SOURCES.md): WordPress's Theme Unit Test data and its
//! accessibility test data, Ghost's own export fixtures. Each becomes a site that
//! `kring build` and `kring check` pass; every word of every published post arrives on its
//! built page; comments are counted, and with `--comments` shown threaded, names and text
//! only.

use crate::common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use common::import::*;
use common::*;
use scraper::{Html, Selector};

fn real(rel: &str) -> PathBuf {
    repo().join("tests/fixtures/real").join(rel)
}

const THEME_UNIT_TEST: &str = "wordpress/themeunittestdata.wordpress.xml";
const A11Y: &str = "wordpress/a11y-theme-unit-test-data.xml";

/// `kring import ARGS…` into a new site `name` under `tmp`: (site, report).
fn import_into(tmp: &Path, name: &str, args: &[&str]) -> (PathBuf, String) {
    let site = tmp.join(name);
    let mut all: Vec<&str> = args.to_vec();
    all.insert(2, site.to_str().unwrap());
    let report = import_ok(&all, tmp);
    (site, report)
}

fn build_and_check(site: &Path, tmp: &Path) {
    let (code, stderr) = build_status(site, tmp, &[]);
    assert_eq!(code, Some(0), "kring build failed:\n{stderr}");
    check_ok(site, tmp);
}

/// A WordPress export read with roxmltree (not the importer's rss crate): its items.
struct Item {
    id: String,
    title: String,
    link: String,
    post_type: String,
    status: String,
    password: String,
    html: String,
    /// (id, parent, approved, type, author, email, ip, url)
    comments: Vec<HashMap<String, String>>,
}

fn wxr_items(xml: &str) -> Vec<Item> {
    let doc = roxmltree::Document::parse_with_options(
        xml,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        },
    )
    .unwrap();
    let text = |n: roxmltree::Node, name: &str| -> String {
        n.children()
            .find(|c| c.tag_name().name() == name && c.is_element())
            .map(|c| c.text().unwrap_or_default().to_string())
            .unwrap_or_default()
    };
    doc.descendants()
        .filter(|n| n.has_tag_name("item"))
        .map(|n| Item {
            id: text(n, "post_id"),
            title: text(n, "title"),
            link: text(n, "link"),
            post_type: text(n, "post_type"),
            status: text(n, "status"),
            password: text(n, "post_password"),
            html: n
                .children()
                .find(|c| {
                    c.tag_name().name() == "encoded"
                        && c.tag_name()
                            .namespace()
                            .is_some_and(|ns| ns.contains("content"))
                })
                .and_then(|c| c.text())
                .unwrap_or_default()
                .to_string(),
            comments: n
                .children()
                .filter(|c| c.tag_name().name() == "comment")
                .map(|c| {
                    c.children()
                        .filter(|f| f.is_element())
                        .map(|f| {
                            (
                                f.tag_name().name().to_string(),
                                f.text().unwrap_or_default().trim().to_string(),
                            )
                        })
                        .collect()
                })
                .collect(),
        })
        .collect()
}

/// Words: runs of Unicode letters and digits, case-folded, with how often each occurs.
fn words(text: &str) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        *counts.entry(word.to_lowercase()).or_default() += 1;
    }
    counts
}

/// Elements a browser shows apart from the text around them.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "li",
    "td",
    "th",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "blockquote",
    "pre",
    "figcaption",
    "figure",
    "dt",
    "dd",
    "section",
    "article",
    "ul",
    "ol",
    "table",
    "hr",
    "img",
    "address",
    "details",
    "summary",
    "caption",
    "aside",
    "header",
    "footer",
    "nav",
];

/// The text of an HTML fragment as a browser shows it (scripts, styles and templates left
/// out): inline elements' text runs on (`H<sub>2</sub>O` is one word), blocks apart.
fn html_words(html: &str, selector: Option<&str>) -> String {
    let doc = Html::parse_document(html);
    let roots: Vec<scraper::ElementRef> = match selector {
        Some(css) => doc.select(&Selector::parse(css).unwrap()).collect(),
        None => vec![doc.root_element()],
    };
    let is_block = |n: Option<&scraper::Node>| {
        n.and_then(|n| n.as_element())
            .is_some_and(|e| BLOCKS.contains(&e.name()))
    };
    let mut out = String::new();
    for root in roots {
        for node in root.descendants() {
            // A block starts apart, and so does what follows one.
            if is_block(Some(node.value())) || is_block(node.prev_sibling().map(|p| p.value())) {
                out.push(' ');
            }
            if let Some(text) = node.value().as_text() {
                let hidden = node.ancestors().any(|a| {
                    a.value().as_element().is_some_and(|e| {
                        matches!(e.name(), "script" | "style" | "template" | "noscript")
                    })
                });
                if !hidden {
                    out.push_str(text);
                }
            }
        }
        out.push(' ');
    }
    out
}

/// WordPress shortcodes' own markup (`[caption id="…"]`, `[/gallery]`): the importer
/// removes the brackets and what is inside them, and keeps the text between.
fn without_shortcodes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('[') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let name_ok = after
            .trim_start_matches('/')
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic());
        match after.find(']') {
            Some(end) if name_ok && !after[..end].contains('[') => {
                out.push(' ');
                rest = &after[end + 1..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// One post's coverage: (words in the export, words found on its page, the missing ones).
fn coverage(source: &str, page: &str) -> (usize, usize, Vec<String>) {
    let want = words(source);
    let have = words(page);
    let total: usize = want.values().sum();
    let mut found = 0;
    let mut missing = Vec::new();
    for (word, n) in &want {
        let got = have.get(word).copied().unwrap_or(0).min(*n);
        found += got;
        if got < *n {
            missing.push(format!("{word}×{}", n - got));
        }
    }
    missing.sort();
    (total, found, missing)
}

/// The built page of a post that had the old address `old` (through `_redirects`).
fn built_page(public: &Path, redirects: &HashMap<String, String>, old: &str) -> Option<String> {
    let path = url::Url::parse(old)
        .map(|u| u.path().to_string())
        .unwrap_or_else(|_| old.to_string());
    let mut path = percent_encoding::percent_decode_str(&path)
        .decode_utf8_lossy()
        .into_owned();
    // The importer collapses `//` in an old address (the Theme Unit Test data has one).
    while path.contains("//") {
        path = path.replace("//", "/");
    }
    let new = redirects
        .get(&path)
        .or_else(|| redirects.get(path.trim_end_matches('/')))
        .or_else(|| redirects.get(&format!("{}/", path.trim_end_matches('/'))))
        // Not redirected: the page kept its old address.
        .unwrap_or(&path);
    let file = public.join(new.trim_matches('/')).join("index.html");
    std::fs::read_to_string(file).ok()
}

fn redirects(public: &Path) -> HashMap<String, String> {
    let text = std::fs::read_to_string(public.join("_redirects")).unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let from = parts.next()?;
            let to = parts.next()?;
            Some((
                percent_encoding::percent_decode_str(from)
                    .decode_utf8_lossy()
                    .into_owned(),
                to.to_string(),
            ))
        })
        .collect()
}

/// Checks that each post's words reach its page; prints a table of every post below
/// 100% and fails when one is below 99%.
fn assert_every_word_arrives(name: &str, posts: &[(String, String, Option<String>)]) {
    let mut table = Vec::new();
    let mut failed = false;
    for (what, source, page) in posts {
        let Some(page) = page else {
            table.push(format!("{what}: no built page found"));
            failed = true;
            continue;
        };
        let source_text = html_words(source, None);
        let page_text = html_words(page, Some("main .prose"));
        let (total, found, missing) = coverage(&source_text, &page_text);
        if found < total {
            let share = found as f64 * 100.0 / total as f64;
            failed |= share < 99.0;
            let shown: Vec<&String> = missing.iter().take(12).collect();
            table.push(format!(
                "{share:6.2}% {found:>5}/{total:<5} {what}: missing {shown:?}{}",
                if missing.len() > 12 { " …" } else { "" }
            ));
        }
    }
    println!("{name}: posts below 100%:\n{}", table.join("\n"));
    assert!(!failed, "{name}: words lost:\n{}", table.join("\n"));
}

fn wordpress_coverage(rel: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let export = real(rel);
    let (site, _) = import_into(tmp.path(), "site", &["wordpress", export.to_str().unwrap()]);
    build_ok(&site);
    let public = site.join("public");
    let redirects = redirects(&public);
    let xml = std::fs::read_to_string(&export).unwrap();
    let posts: Vec<(String, String, Option<String>)> = wxr_items(&xml)
        .into_iter()
        .filter(|i| {
            matches!(i.post_type.as_str(), "post" | "page")
                && i.status == "publish"
                && i.password.is_empty()
                && !i.title.trim().is_empty()
        })
        .map(|i| {
            let page = built_page(&public, &redirects, &i.link);
            (
                format!("{} {}", i.id, i.link),
                without_shortcodes(&i.html),
                page,
            )
        })
        .collect();
    assert!(posts.len() > 20, "{}", posts.len());
    assert_every_word_arrives(rel, &posts);
}

#[test]
fn every_word_of_the_theme_unit_test_data_arrives() {
    wordpress_coverage(THEME_UNIT_TEST);
}

#[test]
fn every_word_of_the_accessibility_test_data_arrives() {
    wordpress_coverage(A11Y);
}

/// Each approved comment of `item` in the built page, threaded at most three deep, and
/// nothing of what the export knows about its writers but their names.
fn assert_replies_shown(site: &Path, xml: &str, link: &str) {
    let items = wxr_items(xml);
    let item = items.iter().find(|i| i.link == link).unwrap();
    let approved: Vec<&HashMap<String, String>> = item
        .comments
        .iter()
        .filter(|c| {
            c["comment_approved"] == "1"
                && !matches!(
                    c.get("comment_type").map(String::as_str),
                    Some("pingback" | "trackback")
                )
        })
        .collect();
    assert!(!approved.is_empty());
    let public = site.join("public");
    let page = built_page(&public, &redirects(&public), link).expect("the post's page");
    let doc = Html::parse_document(&page);
    let select = |css: &str| doc.select(&Selector::parse(css).unwrap()).count();
    assert_eq!(select("ul.earlier-replies li"), approved.len(), "{link}");
    assert_eq!(select("ul.earlier-replies ul ul ul"), 0, "at most 3 levels");
    for c in &approved {
        let id = &c["comment_id"];
        let li = Selector::parse(&format!("li#comment-{id} bdi")).unwrap();
        let name: String = doc.select(&li).next().unwrap().text().collect();
        assert_eq!(name.trim(), c["comment_author"].trim(), "comment {id}");
    }
    // What the export says about commenters beyond their names never reaches the site.
    for c in items.iter().flat_map(|i| &i.comments) {
        for key in ["comment_author_email", "comment_author_IP"] {
            let value = c.get(key).map(String::as_str).unwrap_or_default();
            if value.len() > 3 {
                let found = files_containing(site, value);
                assert!(found.is_empty(), "{key} {value} in {found:?}");
            }
        }
    }
    for a in Html::parse_document(&page)
        .select(&Selector::parse("ul.earlier-replies a").unwrap())
        .map(|a| a.value().attr("rel").unwrap_or_default().to_string())
    {
        assert_eq!(a, "nofollow ugc");
    }
}

#[test]
fn the_theme_unit_test_data_imports_builds_and_checks_with_its_comments_counted_or_shown() {
    let tmp = tempfile::tempdir().unwrap();
    let export = real(THEME_UNIT_TEST);
    let (plain, report) = import_into(
        tmp.path(),
        "plain",
        &["wordpress", export.to_str().unwrap()],
    );
    assert!(
        report.contains("Comments: 33 in the export (26 approved, 3 held for moderation, 0 spam, 0 in the trash, 4 pingbacks or trackbacks): none published"),
        "{report}"
    );
    assert!(files_containing(&plain.join("content"), "Earlier replies").is_empty());
    build_and_check(&plain, tmp.path());

    let (site, report) = import_into(
        tmp.path(),
        "with-comments",
        &["wordpress", export.to_str().unwrap(), "--comments"],
    );
    assert!(
        report.contains("Comments: 26 approved comments added under 6 posts"),
        "{report}"
    );
    build_and_check(&site, tmp.path());
    let xml = std::fs::read_to_string(&export).unwrap();
    // Eleven replies, each to the one before: shown three deep.
    assert_replies_shown(
        &site,
        &xml,
        "https://wpthemetestdata.wordpress.com/2012/01/03/template-comments/",
    );
    assert_replies_shown(
        &site,
        &xml,
        "https://wpthemetestdata.wordpress.com/about/page-with-comments/",
    );

    // Importing again changes nothing; an edited reply is kept.
    let again = || {
        let args = [
            "wordpress",
            export.to_str().unwrap(),
            site.to_str().unwrap(),
            "--comments",
        ];
        import_ok(&args, tmp.path())
    };
    let report = again();
    assert!(report.contains("0 new, 0 updated"), "{report}");
    let file = files_containing(&site.join("content"), "comment-914")[0].clone();
    let edited = std::fs::read_to_string(&file)
        .unwrap()
        .replacen("<p>", "<p>Edited. ", 1);
    std::fs::write(&file, &edited).unwrap();
    let report = again();
    assert!(report.contains("1 kept as you edited them"), "{report}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), edited);
}

#[test]
fn the_accessibility_test_data_imports_builds_and_checks_with_its_comments() {
    let tmp = tempfile::tempdir().unwrap();
    let export = real(A11Y);
    let (site, report) = import_into(
        tmp.path(),
        "site",
        &["wordpress", export.to_str().unwrap(), "--comments"],
    );
    assert!(report.contains("approved comments added under"), "{report}");
    build_and_check(&site, tmp.path());
    let xml = std::fs::read_to_string(&export).unwrap();
    let with_comments: Vec<String> = wxr_items(&xml)
        .into_iter()
        .filter(|i| {
            i.status == "publish"
                && i.password.is_empty()
                && i.post_type == "post"
                && i.comments.iter().any(|c| c["comment_approved"] == "1")
        })
        .map(|i| i.link)
        .collect();
    assert!(!with_comments.is_empty());
    for link in with_comments {
        assert_replies_shown(&site, &xml, &link);
    }
}

/// Hostile comments, written into a copy of the real export: markup, scripts, a
/// `javascript:` link, direction overrides, `\0`, a loop of parents and a thread of
/// 10,000 replies.
#[test]
fn hostile_comments_in_a_real_export_stay_text() {
    let tmp = tempfile::tempdir().unwrap();
    let xml = std::fs::read_to_string(real(THEME_UNIT_TEST)).unwrap();
    let link = "https://wpthemetestdata.wordpress.com/2012/01/03/template-comments/";
    let comment = |id: usize, parent: usize, name: &str, text: &str| {
        format!(
            "<wp:comment><wp:comment_id>{id}</wp:comment_id><wp:comment_author><![CDATA[{name}]]></wp:comment_author><wp:comment_author_email>hostile{id}@example.invalid</wp:comment_author_email><wp:comment_author_url>https://commenter-{id}.example.invalid/</wp:comment_author_url><wp:comment_author_IP>203.0.113.{}</wp:comment_author_IP><wp:comment_date_gmt>2020-01-01 00:00:00</wp:comment_date_gmt><wp:comment_content><![CDATA[{text}]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent></wp:comment>",
            id % 250
        )
    };
    let mut added = vec![
        comment(
            90001,
            0,
            "<b>Mallory</b>\u{202E}evil",
            "<script>alert(1)</script>Hello <a href=\"javascript:alert(2)\">click</a> <!--<script>--> </script> a|b\\c\r\n\r\nsecond <a href=\"https://ok.example/\">link</a>",
        ),
        comment(90002, 90003, "Loop A", "a"),
        comment(90003, 90002, "Loop B", "b"),
        comment(
            90004,
            0,
            "Null\u{1}",
            "x\u{1}y <img src=x onerror=alert(3)>",
        ),
    ];
    added.extend((0..10_000).map(|i| {
        comment(
            100_000 + i,
            if i == 0 { 0 } else { 99_999 + i },
            "Deep",
            "reply",
        )
    }));
    // Not approved: never shown, each counted in its state.
    for (id, approved, kind) in [
        (90010, "spam", "comment"),
        (90011, "trash", "comment"),
        (90012, "post-trashed", ""),
        (90013, "0", "comment"),
        (90014, "1", "pingback"),
        (90015, "1", "trackback"),
    ] {
        added.push(
            comment(id, 0, "Not shown", &format!("unpublished-{id}"))
                .replace(
                    "<wp:comment_approved>1</wp:comment_approved>",
                    &format!("<wp:comment_approved>{approved}</wp:comment_approved>"),
                )
                .replace(
                    "<wp:comment_type>comment</wp:comment_type>",
                    &format!("<wp:comment_type>{kind}</wp:comment_type>"),
                ),
        );
    }
    let at = xml.find(&format!("<link>{link}</link>")).unwrap();
    let close = at + xml[at..].find("</item>").unwrap();
    let hostile = format!("{}{}{}", &xml[..close], added.join("\n"), &xml[close..]);
    let export = tmp.path().join("hostile.xml");
    std::fs::write(&export, hostile.replace('\u{1}', "\u{0}")).unwrap();
    let (site, report) = import_into(
        tmp.path(),
        "site",
        &["wordpress", export.to_str().unwrap(), "--comments"],
    );
    assert!(
        report.contains("Comments: 10030 approved comments added under 6 posts")
            && report.contains(
                "not published: 4 held for moderation, 1 spam, 2 in the trash, 6 pingbacks or trackbacks"
            ),
        "{report}"
    );
    assert!(files_containing(&site, "unpublished-").is_empty());
    build_and_check(&site, tmp.path());
    let public = site.join("public");
    let page = built_page(&public, &redirects(&public), link).unwrap();
    let doc = Html::parse_document(&page);
    let replies = Selector::parse("ul.earlier-replies").unwrap();
    let list = doc.select(&replies).next().unwrap();
    let html = list.html().to_ascii_lowercase();
    for bad in [
        "<script",
        "javascript",
        "onerror",
        "<img",
        "<b>",
        "\u{202e}",
        "example.invalid",
        "203.0.113",
    ] {
        assert!(!html.contains(bad), "{bad} in the replies");
    }
    let text: String = list.text().collect();
    for kept in [
        "<b>Mallory</b>evil",
        "Hello click",
        "a|b\\c",
        "Loop A",
        "Loop B",
        "xy",
    ] {
        assert!(text.contains(kept), "{kept} not in the replies");
    }
    let li = |css: &str| doc.select(&Selector::parse(css).unwrap()).count();
    assert!(li("ul.earlier-replies li") >= 10_004);
    assert_eq!(li("ul.earlier-replies ul ul ul"), 0);
    assert_eq!(
        li("ul.earlier-replies a[href='https://ok.example/'][rel='nofollow ugc']"),
        1
    );
}

fn ghost(rel: &str) -> (tempfile::TempDir, PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let export = real(rel);
    let (site, report) = import_into(
        tmp.path(),
        "site",
        &[
            "ghost",
            export.to_str().unwrap(),
            "--site-url",
            "https://ghost.example.org/",
            "--comments",
        ],
    );
    (tmp, site, report)
}

#[test]
fn ghost_2_export_imports_builds_and_checks() {
    let (tmp, site, report) = ghost("ghost/v2_export.json");
    assert!(report.contains("7 articles"), "{report}");
    build_and_check(&site, tmp.path());
}

#[test]
fn ghost_4_export_imports_builds_and_checks() {
    let (tmp, site, report) = ghost("ghost/v4_export.json");
    assert!(report.contains("paid"), "{report}");
    build_and_check(&site, tmp.path());
}

/// Ghost 5's `comments` table (added here to Ghost's own 2.x export) is counted; its rows
/// name members, whose table is never read, so nothing of them is imported.
#[test]
fn ghost_comments_are_counted_never_imported() {
    let tmp = tempfile::tempdir().unwrap();
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(real("ghost/v2_export.json")).unwrap())
            .unwrap();
    let post = json["db"][0]["data"]["posts"][0]["id"].clone();
    json["db"][0]["data"]["comments"] = serde_json::json!([
        {"id": "c1", "post_id": post, "member_id": "m1", "parent_id": null, "status": "published", "html": "<p>Ghost comment one</p>"},
        {"id": "c2", "post_id": post, "member_id": "m2", "parent_id": "c1", "status": "published", "html": "<p>Ghost comment two</p>"},
        {"id": "c3", "post_id": post, "member_id": "m2", "parent_id": null, "status": "hidden", "html": "<p>Ghost comment three</p>"},
        {"id": "c4", "post_id": post, "member_id": "m3", "parent_id": null, "status": "deleted", "html": "<p>Ghost comment four</p>"},
    ]);
    let export = tmp.path().join("ghost.json");
    std::fs::write(&export, json.to_string()).unwrap();
    let (site, report) = import_into(
        tmp.path(),
        "site",
        &[
            "ghost",
            export.to_str().unwrap(),
            "--site-url",
            "https://ghost.example.org/",
            "--comments",
        ],
    );
    assert!(
        report.contains("Comments: 4 in the export (2 approved, 1 held for moderation, 0 spam, 1 in the trash, 0 pingbacks or trackbacks): not imported"),
        "{report}"
    );
    assert!(files_containing(&site, "Ghost comment").is_empty());
}

fn ghost_coverage(rel: &str) {
    let (_tmp, site, _) = ghost(rel);
    build_ok(&site);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(real(rel)).unwrap()).unwrap();
    let public = site.join("public");
    let redirects = redirects(&public);
    let posts: Vec<(String, String, Option<String>)> = json["db"][0]["data"]["posts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["status"] == "published" && p["visibility"] == "public")
        .map(|p| {
            let slug = p["slug"].as_str().unwrap();
            (
                slug.to_string(),
                p["html"].as_str().unwrap_or_default().to_string(),
                built_page(&public, &redirects, &format!("/{slug}/")),
            )
        })
        .collect();
    assert!(!posts.is_empty());
    assert_every_word_arrives(rel, &posts);
}

#[test]
fn every_word_of_ghost_4_export_arrives() {
    ghost_coverage("ghost/v4_export.json");
}

#[test]
fn every_word_of_ghost_2_export_arrives() {
    ghost_coverage("ghost/v2_export.json");
}

/// The real exports are test inputs, with their own licences: never in the published crate.
#[test]
fn real_exports_stay_out_of_the_crate() {
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(repo().join("Cargo.toml")).unwrap()).unwrap();
    let include = manifest["package"]["include"].as_array().unwrap();
    for pattern in include {
        let p = pattern.as_str().unwrap();
        assert!(
            !p.starts_with("/tests")
                && !p.starts_with("tests")
                && !p.starts_with("**")
                && p != "/*",
            "{p} would publish tests/fixtures/real"
        );
    }
    let sources = std::fs::read_to_string(real("SOURCES.md")).unwrap();
    for file in [
        THEME_UNIT_TEST,
        A11Y,
        "ghost/v4_export.json",
        "ghost/v2_export.json",
    ] {
        assert!(real(file).exists(), "{file}");
        let name = file.rsplit('/').next().unwrap();
        assert!(sources.contains(name), "SOURCES.md does not name {name}");
    }
}
