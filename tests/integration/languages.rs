//! The theme in Dutch and English, and a site deployed under a sub-path.

use crate::common;

use std::collections::BTreeSet;

use common::*;
use scraper::{Html, Selector};

fn keys(table: &toml::Table, prefix: &str, out: &mut BTreeSet<String>) {
    for (k, v) in table {
        let key = format!("{prefix}{k}");
        if let toml::Value::Table(t) = v {
            keys(t, &format!("{key}."), out);
        }
        out.insert(key);
    }
}

fn strings(lang: &str) -> toml::Table {
    let text =
        std::fs::read_to_string(repo().join(format!("themes/kring/i18n/{lang}.toml"))).unwrap();
    toml::from_str(&text).unwrap()
}

#[test]
fn dutch_and_english_strings_have_the_same_keys() {
    let (mut en, mut nl) = (BTreeSet::new(), BTreeSet::new());
    keys(&strings("en"), "", &mut en);
    keys(&strings("nl"), "", &mut nl);
    let only_en: Vec<_> = en.difference(&nl).collect();
    let only_nl: Vec<_> = nl.difference(&en).collect();
    assert!(
        only_en.is_empty() && only_nl.is_empty(),
        "only in en.toml: {only_en:?}\nonly in nl.toml: {only_nl:?}"
    );
    assert!(en.len() > 100, "a theme's worth of strings");
}

/// Visible text of every page, without what the site's own content wrote.
fn page_texts(out: &std::path::Path) -> Vec<(String, String)> {
    let skip = Selector::parse(".content, .prose, script, style, pre, code").unwrap();
    tree(out)
        .into_iter()
        .filter(|(rel, _)| rel.ends_with(".html") && !rel.ends_with("email.html"))
        .map(|(rel, bytes)| {
            let doc = Html::parse_document(&String::from_utf8_lossy(&bytes));
            let mut text: String = doc.root_element().text().collect::<Vec<_>>().join(" ");
            for el in doc.select(&skip) {
                for t in el.text() {
                    text = text.replacen(t, " ", 1);
                }
            }
            (rel, text)
        })
        .collect()
}

#[test]
fn a_dutch_site_shows_no_english_theme_strings_and_dutch_dates() {
    let (_tmp, site) = fixture("hub");
    let config = std::fs::read_to_string(site.join("kring.toml")).unwrap();
    write(
        &site,
        "kring.toml",
        config.replace("language = \"en\"", "language = \"nl\""),
    );
    let out = build_ok(&site);
    let article = read(&out, "articles/first/index.html");
    assert!(article.contains("lang=\"nl\""));
    assert!(article.contains("10 januari 2026"), "dates the Dutch way");
    assert_no_english(&site, &out, |_| true);
}

#[test]
fn the_example_site_reads_naturally_in_dutch_and_english() {
    let (_tmp, site) = fixture("example-site");
    let out = build_ok(&site);
    // Dutch at the root, English under /en/.
    assert!(read(&out, "index.html").contains("lang=\"nl\""));
    assert!(read(&out, "en/index.html").contains("lang=\"en\""));
    assert!(read(&out, "events/utrecht-meetup-december/index.html").contains("december 2026"));
    assert!(read(&out, "en/events/utrecht-meetup-december/index.html").contains("December 2026"));
    assert_no_english(&site, &out, |rel| !rel.starts_with("en/"));
}

/// No English theme string in the pages `dutch` selects.
fn assert_no_english(site: &std::path::Path, out: &std::path::Path, dutch: impl Fn(&str) -> bool) {
    // Words the site's own content uses are the site's business, not the theme's.
    let content: String = walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect::<Vec<_>>()
        .join("\n")
        .to_lowercase();
    let (en, nl) = (strings("en"), strings("nl"));
    let mut english = Vec::new();
    for (key, value) in &en {
        let (Some(e), Some(n)) = (value.as_str(), nl.get(key).and_then(|v| v.as_str())) else {
            continue;
        };
        if e == n {
            continue;
        }
        // The longest piece between placeholders, if it is long enough to be telling.
        let piece = e
            .split(['{', '}'])
            .step_by(2)
            .map(str::trim)
            .max_by_key(|p| p.len())
            .unwrap_or("");
        if piece.len() >= 8
            && piece.contains(' ')
            && !content.contains(&piece.to_lowercase())
            && !n.contains(piece)
        {
            english.push((key.clone(), piece.to_string()));
        }
    }
    assert!(english.len() > 30, "enough English strings to look for");
    for (rel, text) in page_texts(out).into_iter().filter(|(rel, _)| dutch(rel)) {
        for (key, piece) in &english {
            assert!(
                !text.contains(piece.as_str()),
                "{rel}: English `{piece}` (i18n key `{key}`) in the Dutch site"
            );
        }
    }
}

#[test]
fn a_site_under_a_sub_path_links_only_inside_it() {
    for name in ["hub", "example-site"] {
        let (_tmp, site) = fixture(name);
        let mut opts = options();
        opts.base_url = Some("https://example.org/hub/".into());
        let out = kring::build(&site, &opts, None)
            .unwrap_or_else(|e| panic!("{e}"))
            .output;
        // Every internal link and anchor resolves, under /hub/.
        kring::commands::check::links::check_site(&site, &opts, false)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let attrs = Selector::parse("[href], [src], [action]").unwrap();
        for (rel, bytes) in tree(&out) {
            if !rel.ends_with(".html") {
                continue;
            }
            let doc = Html::parse_document(&String::from_utf8_lossy(&bytes));
            for el in doc.select(&attrs) {
                for attr in ["href", "src", "action"] {
                    let Some(url) = el.value().attr(attr) else {
                        continue;
                    };
                    assert!(
                        !url.starts_with('/') || url.starts_with("//"),
                        "{name}/{rel}: root-relative {url} breaks under a sub-path"
                    );
                    if url.starts_with("https://example.org/") {
                        assert!(
                            url.starts_with("https://example.org/hub/"),
                            "{name}/{rel}: {url} is outside /hub/"
                        );
                    }
                }
            }
        }
        for feed in ["rss.xml", "atom.xml", "feed.json", "sitemap.xml"] {
            let text = read(&out, feed);
            assert!(
                text.contains("https://example.org/hub/")
                    && !text.contains("https://example.org/articles"),
                "{name}/{feed}"
            );
        }
    }
}

#[test]
fn a_site_overrides_single_strings_and_date_formats() {
    let (_tmp, site) = fixture("hub");
    write(
        &site,
        "i18n/en.toml",
        "[date_formats]\nshort = \"{day}/{month_short}\"\n",
    );
    let out = build_ok(&site);
    let article = read(&out, "articles/first/index.html");
    // The overridden format is used in lists; the others are still the theme's.
    assert!(
        read(&out, "articles/page/2/index.html").contains("10/Jan"),
        "the site's short format"
    );
    assert!(
        article.contains("10 January 2026"),
        "the theme's other formats survive"
    );
    assert!(
        !article.contains(">long<") && !article.contains(">date<"),
        "no format name printed as a date"
    );
}

#[test]
fn a_site_in_two_languages() {
    let (_tmp, site) = fixture("bilingual");
    let out = build_ok(&site);
    let alternates = |rel: &str| -> Vec<(String, String)> {
        let doc = Html::parse_document(&read(&out, rel));
        let sel = Selector::parse("link[rel=alternate][hreflang]").unwrap();
        doc.select(&sel)
            .map(|l| {
                (
                    l.value().attr("hreflang").unwrap().to_string(),
                    l.value().attr("href").unwrap().to_string(),
                )
            })
            .collect()
    };
    // One page in two languages: the default at the root, the other under /en/.
    let nl = read(&out, "articles/welcome/index.html");
    let en = read(&out, "en/articles/welcome/index.html");
    assert!(nl.contains("lang=\"nl\"") && nl.contains("Hallo allemaal"));
    assert!(en.contains("lang=\"en\"") && en.contains("Hello everyone"));
    let expected = vec![
        (
            "en".to_string(),
            "https://twee.example.org/en/articles/welcome/".to_string(),
        ),
        (
            "nl".to_string(),
            "https://twee.example.org/articles/welcome/".to_string(),
        ),
    ];
    for rel in [
        "articles/welcome/index.html",
        "en/articles/welcome/index.html",
    ] {
        let mut got = alternates(rel);
        got.sort();
        assert_eq!(got, expected, "{rel}");
    }
    // A translation with a name of its own.
    let mut got = alternates("en/articles/house-rules/index.html");
    got.sort();
    assert_eq!(got[1].1, "https://twee.example.org/articles/huisregels/");
    // The switcher goes to the translation, or to the other language's home.
    let switch = |rel: &str| {
        let doc = Html::parse_document(&read(&out, rel));
        let sel = Selector::parse(".lang-switch a").unwrap();
        // Links inside pages are relative (portable output): resolved as a browser would.
        let page = url::Url::parse("https://twee.example.org/")
            .unwrap()
            .join(rel.trim_end_matches("index.html"))
            .unwrap();
        doc.select(&sel)
            .map(|a| {
                page.join(a.value().attr("href").unwrap())
                    .unwrap()
                    .to_string()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        switch("articles/welcome/index.html"),
        ["https://twee.example.org/en/articles/welcome/"]
    );
    assert_eq!(
        switch("articles/alleen-nl/index.html"),
        ["https://twee.example.org/en/"]
    );
    // UI strings in each page's own language.
    assert!(nl.contains("aria-label=\"Taal\"") && en.contains("aria-label=\"Language\""));
    // An untranslated page is linked in the default language.
    // (relative, from en/articles/welcome/: up to the root, then the default language's page)
    assert!(en.contains("href=\"../../../articles/alleen-nl/\""));
    // Lists and feeds per language.
    assert!(read(&out, "en/articles/index.html").contains("Hello everyone"));
    assert!(!read(&out, "en/articles/index.html").contains("Hallo allemaal"));
    assert!(
        read(&out, "en/rss.xml").contains("Hello everyone")
            && !read(&out, "en/rss.xml").contains("Hallo")
    );
    assert!(
        read(&out, "rss.xml").contains("Hallo allemaal")
            && !read(&out, "rss.xml").contains("Hello everyone")
    );
    assert!(
        out.join("en/tags/start/index.html").is_file()
            && out.join("tags/begin/index.html").is_file()
    );
    // The sitemap lists both, with their alternates.
    let sitemap = read(&out, "sitemap.xml");
    assert!(
        sitemap.contains("xmlns:xhtml")
            && sitemap.contains("<loc>https://twee.example.org/en/articles/welcome/</loc>")
    );
    assert!(
        sitemap.contains("hreflang=\"en\" href=\"https://twee.example.org/en/articles/welcome/\"")
    );
    // Every internal link of both languages resolves.
    kring::commands::check::links::check_site(&site, &options(), false)
        .unwrap_or_else(|e| panic!("{e}"));
}
