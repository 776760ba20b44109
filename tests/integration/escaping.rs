//! Text made from HTML (a page's summary, the description it stands in for) is escaped
//! exactly once wherever it goes (issue #21, point 13): cards, meta and `og:` descriptions,
//! the newsletter archive, JSON-LD, Atom and JSON Feed summaries, RSS descriptions and the
//! search index. Each is read back with an independent parser (scraper, serde_json,
//! feed-rs), which undoes one escaping: what it reads must be the text as written.

use crate::common;

use std::path::Path;

use common::*;
use scraper::{Html, Selector};

/// Articles without a `description`, so their summary stands in for it: (slug, Markdown
/// of the first paragraph, the text a reader must see).
const ARTICLES: &[(&str, &str, &str)] = &[
    ("ampersand", "Tom & Jerry", "Tom & Jerry"),
    (
        "quotes",
        "Say \"hi\" and 'bye' <3 > 2",
        "Say \"hi\" and 'bye' <3 > 2",
    ),
    (
        "entities",
        "Written &amp; literally, &lt;b&gt; and &quot;x&quot; &#39;y&#39; &eacute;",
        "Written & literally, <b> and \"x\" 'y' é",
    ),
    (
        "non-ascii",
        "Zoë’s café — 😀 naïve façade",
        "Zoë’s café — 😀 naïve façade",
    ),
    (
        "comment",
        "Before <!--<script>alert(1)</script>--> after &amp; end",
        "Before after & end",
    ),
    (
        "escaped-tag",
        "Use `</script>` and \\<!--x",
        "Use </script> and <!--x",
    ),
    // A NUL is U+FFFD in Markdown; a line break inside a paragraph is a space.
    (
        "control",
        "Nul \0 and\r\ncarriage\treturn",
        "Nul \u{fffd} and carriage return",
    ),
];

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn site() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, site) = fixture("hub");
    // Straight quotes stay quotes (they are escaped as `&quot;` and `&#39;`), and the
    // newsletter archive lists the articles too.
    let config = std::fs::read_to_string(site.join("kring.toml")).unwrap();
    write(
        &site,
        "kring.toml",
        format!(
            "{config}\n[markdown]\nsmart_punctuation = false\n\n[newsletter]\nprovider = \"buttondown\"\naccount = \"hub\"\n"
        ),
    );
    for (n, (slug, markdown, _)) in ARTICLES.iter().enumerate() {
        write(
            &site,
            &format!("content/articles/{slug}.md"),
            format!(
                "+++\ntitle = \"Once {slug}\"\ndate = 2026-04-{:02}\nnewsletter = true\n+++\n\n{markdown}\n\nA second paragraph.\n",
                n + 1
            ),
        );
    }
    (tmp, site)
}

/// The text of the element `selector` matches inside the card (an `<article>` or list
/// item) whose link says `title`.
fn card_text(html: &str, title: &str, selector: &str) -> Option<String> {
    let doc = Html::parse_document(html);
    doc.select(&sel("article, li"))
        .filter(|card| {
            card.select(&sel("a"))
                .any(|a| a.text().collect::<String>().trim() == title)
        })
        .find_map(|card| card.select(&sel(selector)).next())
        .map(|e| e.text().collect::<String>())
}

fn meta(html: &str, selector: &str) -> String {
    let doc = Html::parse_document(html);
    doc.select(&sel(selector))
        .next()
        .and_then(|m| m.value().attr("content"))
        .unwrap_or_else(|| panic!("no {selector}"))
        .to_string()
}

fn feed(out: &Path, file: &str) -> feed_rs::model::Feed {
    feed_rs::parser::parse(read(out, file).as_bytes()).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn summaries_are_escaped_once_everywhere_they_are_shown() {
    let (_tmp, site) = site();
    let out = build_ok(&site);
    // Every list page of the articles (two to a page in the fixture).
    let mut list = read(&out, "articles/index.html");
    for n in 2.. {
        let Ok(more) = std::fs::read_to_string(out.join(format!("articles/page/{n}/index.html")))
        else {
            break;
        };
        list.push_str(&more);
    }
    let archive = read(&out, "newsletter/index.html");
    let atom = feed(&out, "atom.xml");
    let json_feed: serde_json::Value = serde_json::from_str(&read(&out, "feed.json")).unwrap();
    let rss = feed(&out, "rss.xml");
    let mut search = String::new();
    for entry in std::fs::read_dir(out.join("search/p")).unwrap() {
        let records: Vec<serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        for r in records {
            search.push_str(r["x"].as_str().unwrap());
            search.push('\n');
        }
    }
    for (slug, _, text) in ARTICLES {
        let title = format!("Once {slug}");
        let what = |place: &str| format!("{slug} in {place}");
        assert_eq!(
            card_text(&list, &title, ".card__text").as_deref(),
            Some(*text),
            "{}",
            what("the articles list's card")
        );
        assert_eq!(
            card_text(&archive, &title, ".issue__text").as_deref(),
            Some(*text),
            "{}",
            what("the newsletter archive")
        );
        let page = read(&out, &format!("articles/{slug}/index.html"));
        for m in [
            "meta[name=description]",
            "meta[property='og:description']",
            "meta[name='twitter:description']",
        ] {
            assert_eq!(meta(&page, m), *text, "{}", what(m));
        }
        let doc = Html::parse_document(&page);
        let ld = doc
            .select(&sel("script[type='application/ld+json']"))
            .map(|s| s.text().collect::<String>())
            .find(|s| s.contains("BlogPosting"))
            .unwrap_or_else(|| panic!("{}", what("JSON-LD")));
        let ld: serde_json::Value = serde_json::from_str(&ld).unwrap();
        assert_eq!(ld["description"], *text, "{}", what("JSON-LD"));
        let entry = atom
            .entries
            .iter()
            .find(|e| e.title.as_ref().is_some_and(|t| t.content == title))
            .unwrap_or_else(|| panic!("{}", what("Atom")));
        assert_eq!(
            entry.summary.as_ref().map(|s| s.content.as_str()),
            Some(*text),
            "{}",
            what("the Atom summary")
        );
        let item = json_feed["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["title"] == title.as_str())
            .unwrap_or_else(|| panic!("{}", what("JSON Feed")));
        assert_eq!(item["summary"], *text, "{}", what("the JSON Feed summary"));
        // RSS carries the summary as HTML: its text, read as HTML, is the text.
        let rss_item = rss
            .entries
            .iter()
            .find(|e| e.title.as_ref().is_some_and(|t| t.content == title))
            .unwrap_or_else(|| panic!("{}", what("RSS")));
        let html = &rss_item.summary.as_ref().unwrap().content;
        let shown: String = Html::parse_fragment(html).root_element().text().collect();
        // White space as a reader shows it: runs are one space.
        let shown = shown.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(shown, *text, "{}", what("the RSS description"));
        assert!(
            search.lines().any(|x| x.starts_with(text)),
            "{}:\n{search}",
            what("the search index")
        );
    }
    for raw in [&list, &archive] {
        assert!(!raw.contains("&amp;amp;"), "escaped twice");
        assert!(!raw.contains("alert(1)"), "a comment's content shown");
    }
}
