//! kring's content blocks as Decap editor components (`static/admin/kring-blocks.js`): the
//! generated script parses, each component reads back what it writes on hostile values
//! (tests/browser/cms-blocks.mjs, in node), and what it writes builds with kring into the
//! block's markup (read with scraper).

use super::*;
use scraper::{Html, Selector};
use serde_json::Value;

fn node(args: &[&std::ffi::OsStr]) -> (bool, String) {
    let out = std::process::Command::new("node")
        .args(args)
        .output()
        .expect("node is installed (scripts/test.sh installs it)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

fn text_of(e: &scraper::ElementRef) -> String {
    e.text().collect::<String>()
}

#[test]
fn each_block_is_a_component_that_writes_and_reads_kring_syntax() {
    let (tmp, site) = fixture("example-site");
    let model = config::read_site(&site).unwrap();
    let script = tmp.path().join("kring-blocks.js");
    std::fs::write(&script, kring::cms::blocks::script(&model)).unwrap();
    let (ok, said) = node(&["--check".as_ref(), script.as_os_str()]);
    assert!(ok, "the generated script does not parse:\n{said}");

    let made = tmp.path().join("made.json");
    let runner = repo().join("tests/browser/cms-blocks.mjs");
    let (ok, said) = node(&[runner.as_os_str(), script.as_os_str(), made.as_os_str()]);
    assert!(ok, "round trip:\n{said}");
    assert!(said.contains("components round-trip"), "{said}");
    let made: Vec<Value> = serde_json::from_str(&read(tmp.path(), "made.json")).unwrap();
    let ids: BTreeSet<&str> = made.iter().filter_map(|m| m["id"].as_str()).collect();
    let built_ins: BTreeSet<&str> = kring::content::blocks::BUILT_INS
        .iter()
        .map(|b| b.name)
        .collect();
    assert_eq!(ids, built_ins, "a component for each of kring's blocks");

    // Each block in a page of its own, between two paragraphs: the page builds and shows
    // the block's markup, and the paragraph after it (nothing swallowed).
    for (i, m) in made.iter().enumerate() {
        let block = m["block"].as_str().unwrap();
        write(
            &site,
            &format!("content/articles/block-{i}.md"),
            format!(
                "+++\ntitle = \"Block {i}\"\ndate = 2026-11-01\n+++\n\nBefore the block.\n\n{block}\n\nAfter the block.\n"
            ),
        );
    }
    let out = build_ok(&site);
    for (i, m) in made.iter().enumerate() {
        let (id, data) = (m["id"].as_str().unwrap(), &m["data"]);
        // HTML has no NUL: a parser reads it as U+FFFD.
        let shown = |key: &str| data[key].as_str().map(|s| s.replace('\0', "\u{FFFD}"));
        let page = read(&out, &format!("articles/block-{i}/index.html"));
        let doc = Html::parse_document(&page);
        let why = format!("{id} {}:\n{}", m["hostile"], m["block"]);
        let body: Vec<String> = select(&doc, "main p").iter().map(text_of).collect();
        assert!(
            body.iter().any(|p| p == "After the block."),
            "the text after the block is shown: {why}"
        );
        match id {
            "faq" => {
                let items = select(&doc, ".faq details.faq__item");
                let questions = data["items"].as_array().unwrap();
                assert_eq!(items.len(), questions.len(), "{why}");
                let last = select(&doc, ".faq details.faq__item summary");
                assert_eq!(
                    text_of(&last[last.len() - 1]).trim(),
                    questions[questions.len() - 1]["question"].as_str().unwrap(),
                    "{why}"
                );
                assert!(page.contains("\"@type\":\"FAQPage\"") || page.contains("FAQPage"));
            }
            "callout" => {
                let aside = select(&doc, "aside.callout.callout--warning");
                assert_eq!(aside.len(), 1, "{why}");
                assert_eq!(
                    aside[0].value().attr("aria-label").map(String::from),
                    shown("title"),
                    "{why}"
                );
            }
            "video" => {
                let figure = select(&doc, "figure.video");
                assert_eq!(figure.len(), 1, "{why}");
                assert_eq!(
                    figure[0].value().attr("data-title").map(String::from),
                    shown("title"),
                    "{why}"
                );
            }
            "event" => assert!(
                select(&doc, ".block-card")
                    .iter()
                    .any(|c| text_of(c).contains("Stoep Live")),
                "{why}"
            ),
            "member" => assert!(
                select(&doc, ".block-card")
                    .iter()
                    .any(|c| text_of(c).contains("Noor")),
                "{why}"
            ),
            // The block's own form (the theme shows another one under each article).
            "signup" => assert!(
                !select(&doc, "form.signup-form [id^='k-block-newsletter-']").is_empty(),
                "{why}"
            ),
            other => panic!("a block the test does not know: {other}"),
        }
    }
}

#[test]
fn the_admin_page_loads_the_components_after_decap() {
    // Every block the theme has is one of kring's own, so the editor offers it.
    let shortcodes = repo().join("themes/kring/templates/shortcodes");
    for entry in std::fs::read_dir(shortcodes).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let block = name.trim_end_matches(".html");
        assert!(
            kring::content::blocks::built_in(block).is_some(),
            "the theme has the block {block}() that is not in content::blocks::BUILT_INS"
        );
    }
}
