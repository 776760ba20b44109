//! The example site: builds cleanly, every page is valid HTML5, every internal link
//! resolves, and nothing is loaded from another host.

use crate::common;

use common::*;
use scraper::{Html, Selector};

#[test]
fn example_site_builds_and_checks_clean() {
    let (_tmp, site) = fixture("example-site");
    let out = build_ok(&site);
    for file in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "articles/index.html",
        "tags/index.html",
        "authors/index.html",
        "members/index.html",
        "events/index.html",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    kring::commands::check::links::check_site(&site, &options(), false)
        .unwrap_or_else(|e| panic!("kring check failed:\n{e}"));
}

#[test]
fn every_page_is_valid_html5_and_loads_nothing_from_elsewhere() {
    let (_tmp, site) = fixture("example-site");
    let out = build_ok(&site);
    let base = "https://destoep.example.org/";
    let loads = Selector::parse("script[src], link[rel=stylesheet], link[rel=icon], img, iframe, source, video, audio, embed, object").unwrap();
    let mut pages = 0;
    for (rel, bytes) in tree(&out) {
        if !rel.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(bytes).unwrap();
        assert!(
            html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"),
            "{rel}: no doctype"
        );
        let doc = Html::parse_document(&html);
        assert!(
            doc.errors.is_empty(),
            "{rel}: HTML5 parse errors: {:?}",
            doc.errors
        );
        for el in doc.select(&loads) {
            for attr in ["src", "href", "data", "srcset"] {
                if let Some(url) = el.value().attr(attr) {
                    let external = (url.starts_with("http") && !url.starts_with(base))
                        || url.starts_with("//");
                    assert!(
                        !external,
                        "{rel}: <{}> loads {url} from another host",
                        el.value().name()
                    );
                }
            }
        }
        assert!(
            !html.contains("url(http") && !html.contains("url(//"),
            "{rel}: CSS loads from another host"
        );
    }
    assert!(pages > 40, "only {pages} pages");
    for (rel, bytes) in tree(&out) {
        if rel.ends_with(".css") {
            let css = String::from_utf8_lossy(&bytes);
            assert!(
                !css.contains("url(http") && !css.contains("url(//") && !css.contains("@import"),
                "{rel} loads from elsewhere"
            );
        }
    }
}

/// Each kind of page carries its own schema.org JSON-LD once, from `page.json_ld`, and it
/// parses: BlogPosting, Event, a list of Events (one per session), Person.
#[test]
fn each_kind_of_page_has_its_json_ld() {
    let (_tmp, site) = fixture("example-site");
    let out = build_ok(&site);
    let ld = Selector::parse(r#"script[type="application/ld+json"]"#).unwrap();
    for (page, expected) in [
        ("articles/starting-a-community/index.html", "BlogPosting"),
        ("events/utrecht-meetup-december/index.html", "Event"),
        (
            "masterclasses/moderation-without-burnout/index.html",
            "Event",
        ),
        ("members/noor/index.html", "Person"),
        ("en/members/noor/index.html", "Person"),
    ] {
        let doc = Html::parse_document(&read(&out, page));
        let blocks: Vec<String> = doc.select(&ld).map(|s| s.inner_html()).collect();
        assert_eq!(blocks.len(), 1, "{page}: {blocks:?}");
        let json: serde_json::Value = serde_json::from_str(&blocks[0]).unwrap();
        let first = json.as_array().map_or(&json, |a| &a[0]);
        assert_eq!(first["@type"], expected, "{page}: {json}");
    }
}
