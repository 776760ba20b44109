//! Publishing features of issue #14 beyond content blocks: reading order, readable terms,
//! feeds per term.

mod common;

use common::*;
use scraper::{Html, Selector};

fn nav(out: &std::path::Path, page: &str) -> (Option<String>, Option<String>) {
    let doc = Html::parse_document(&read(out, page));
    let title = |css: &str| {
        doc.select(&Selector::parse(css).unwrap())
            .next()
            .map(|a| a.text().collect::<String>())
    };
    (
        title(".page-nav__previous .page-nav__title"),
        title(".page-nav__next .page-nav__title"),
    )
}

/// "Previous" is the older article and "next" the newer one, in a section listed newest
/// first.
#[test]
fn previous_is_older_and_next_is_newer() {
    let (_tmp, site) = fixture("hub");
    let out = build_ok(&site);
    // first (January) < second (February) < bundle-post.
    let (previous, next) = nav(&out, "articles/first/index.html");
    assert_eq!(previous, None, "nothing is older than the first article");
    assert_eq!(next.as_deref(), Some("Second post"));
    let (previous, _) = nav(&out, "articles/second/index.html");
    assert_eq!(previous.as_deref(), Some("First post & <friends>"));
}

/// Terms show the words the writer used (their slug is only the address), and taxonomy
/// names come from `kring.toml` in the page's language, else the theme's.
#[test]
fn terms_keep_the_writers_words_and_taxonomies_their_names() {
    let (_tmp, site) = fixture("hub");
    let config = read(&site, "kring.toml")
        .replace("language = \"en\"", "language = \"nl\"")
        .replace(
            "topics = { feed = true }",
            "topics = { feed = true, name = { nl = \"Thema's\", en = \"Themes\" } }\nskills = { name = \"Kunde\" }",
        );
    write(&site, "kring.toml", config);
    write(
        &site,
        "content/articles/terms.md",
        "+++\ntitle = \"Termen\"\ndate = 2026-03-03\ntags = [\"Community-strategie\", \"Privacy & veiligheid\"]\ntaxonomies = { topics = [\"Erbij horen\"] }\n+++\nTekst.\n",
    );
    let member = read(&site, "content/members/ada.md").replace(
        "skills = [\"moderation\"]",
        "skills = [\"Gespreksleiding\"]",
    );
    write(&site, "content/members/ada.md", member);
    let out = build_ok(&site);
    let doc = Html::parse_document(&read(&out, "articles/terms/index.html"));
    let chips: Vec<(String, String)> = doc
        .select(&Selector::parse(".terms a").unwrap())
        .map(|a| {
            (
                a.text().collect(),
                a.value().attr("href").unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        chips
            .iter()
            .any(|(t, h)| t == "Community-strategie" && h.ends_with("tags/community-strategie/")),
        "{chips:?}"
    );
    assert!(
        chips
            .iter()
            .any(|(t, h)| t == "Privacy & veiligheid" && h.ends_with("tags/privacy-veiligheid/")),
        "{chips:?}"
    );
    let labels: Vec<String> = doc
        .select(&Selector::parse(".terms__label").unwrap())
        .map(|l| l.text().collect())
        .collect();
    assert!(labels.contains(&"Thema's".to_string()), "{labels:?}");
    let topics = Html::parse_document(&read(&out, "topics/index.html"));
    let h1: String = topics
        .select(&Selector::parse("h1").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(h1.trim(), "Thema's");
    let term = read(&out, "tags/community-strategie/index.html");
    assert!(term.contains("Community-strategie"));
    let skills = Html::parse_document(&read(&out, "skills/index.html"));
    let h1: String = skills
        .select(&Selector::parse("h1").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(h1.trim(), "Kunde");
    let member = read(&out, "members/ada/index.html");
    assert!(
        member.contains("Gespreksleiding"),
        "the member's skill as written"
    );
}
