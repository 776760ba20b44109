//! Feeds, read back with an independent parser (`feed-rs`): every RSS, Atom and JSON Feed
//! file of the hub fixture, the calendar fixture and the example site must parse, link to
//! the site with absolute URLs, carry the right dates, categories and text, and be found
//! from the pages' `<link rel="alternate">` tags.

use crate::common;

use std::path::{Path, PathBuf};

use common::*;
use feed_rs::model::{Entry, Feed};
use scraper::{Html, Selector};

const HUB: &str = "https://hub.example.org/";
const CAL: &str = "https://cal.example.org/";

/// The special title of the calendar fixture, exactly as written in its front matter.
const SPECIAL_TITLE: &str = "Tom & Jerry's <\"special\"> night";
/// A title with non-ASCII letters and an emoji (outside the Basic Multilingual Plane).
const UNICODE_TITLE: &str =
    "Online talk with Zoë 😀 about naïve café façades, jalapeño crème brûlée and more";

/// The `base_url` a site's kring.toml sets.
fn base_url(site: &Path) -> String {
    let config: toml::Table = read(site, "kring.toml").parse().unwrap();
    let url = config["base_url"].as_str().unwrap().to_string();
    assert!(url.starts_with("https://") && url.ends_with('/'), "{url}");
    url
}

/// Every feed file under `out`, as paths relative to it.
fn feed_files(out: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            matches!(
                e.file_name().to_str(),
                Some("rss.xml" | "atom.xml" | "feed.json")
            )
        })
        .map(|e| {
            e.path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

fn parse(out: &Path, rel: &str) -> Feed {
    let bytes = std::fs::read(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    feed_rs::parser::parse(bytes.as_slice()).unwrap_or_else(|e| panic!("{rel} does not parse: {e}"))
}

fn title(e: &Entry) -> &str {
    e.title.as_ref().map(|t| t.content.as_str()).unwrap_or("")
}

fn link(e: &Entry) -> &str {
    e.links.first().map(|l| l.href.as_str()).unwrap_or("")
}

fn content(e: &Entry) -> &str {
    e.content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .unwrap_or("")
}

fn summary(e: &Entry) -> &str {
    e.summary.as_ref().map(|t| t.content.as_str()).unwrap_or("")
}

fn titles(feed: &Feed) -> Vec<&str> {
    feed.entries.iter().map(title).collect()
}

fn entry<'a>(feed: &'a Feed, with_link: &str) -> &'a Entry {
    feed.entries
        .iter()
        .find(|e| link(e) == with_link)
        .unwrap_or_else(|| panic!("no entry links to {with_link}: {:?}", titles(feed)))
}

fn utc(e: &Entry) -> String {
    e.published
        .unwrap_or_else(|| panic!("{} has no published date", title(e)))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// The three sites every test in this file can build: (temp dir, site folder, output).
fn built(name: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (tmp, site) = fixture(name);
    let out = build_ok(&site);
    (tmp, site, out)
}

/// Adds `[feeds]` settings to a fixture's kring.toml (which must not have the table yet).
fn append_feeds_table(site: &Path, table: &str) {
    let config = read(site, "kring.toml");
    assert!(
        !config.contains("[feeds]"),
        "the fixture already has a [feeds] table"
    );
    write(site, "kring.toml", format!("{config}\n[feeds]\n{table}\n"));
}

#[test]
fn feeds_are_written_where_documented() {
    let (_tmp, _site, out) = built("hub");
    let mut expected: Vec<String> = Vec::new();
    for dir in ["", "articles/", "events/", "masterclasses/"] {
        for file in ["rss.xml", "atom.xml", "feed.json"] {
            expected.push(format!("{dir}{file}"));
        }
    }
    // Terms get every format too: tags always, topics because the hub sets
    // `topics = { feed = true }`.
    for term in ["tags/growth/", "tags/moderation/", "topics/safety/"] {
        for file in ["rss.xml", "atom.xml", "feed.json"] {
            expected.push(format!("{term}{file}"));
        }
    }
    expected.sort();
    assert_eq!(feed_files(&out), expected);
    // …each one a feed an independent parser reads, with the term's pages.
    for file in ["rss.xml", "atom.xml", "feed.json"] {
        let feed = feed_rs::parser::parse(read(&out, &format!("tags/growth/{file}")).as_bytes())
            .unwrap_or_else(|e| panic!("tags/growth/{file}: {e}"));
        assert!(
            !feed.entries.is_empty(),
            "tags/growth/{file} has no entries"
        );
        assert!(
            feed.title.is_some_and(|t| t.content.contains("growth")),
            "tags/growth/{file} is titled by its term"
        );
    }
    let term_page = read(&out, "tags/growth/index.html");
    for file in ["rss.xml", "atom.xml", "feed.json"] {
        assert!(
            term_page.contains(&format!("tags/growth/{file}")),
            "the term page links its {file}"
        );
    }

    let (_tmp, _site, out) = built("calendar");
    for file in [
        "rss.xml",
        "atom.xml",
        "feed.json",
        "articles/rss.xml",
        "events/atom.xml",
        "masterclasses/feed.json",
        "tags/special/rss.xml",
        "tags/special/atom.xml",
        "tags/special/feed.json",
    ] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
}

#[test]
fn every_feed_parses_and_its_entries_link_to_the_site() {
    for name in ["hub", "calendar", "example-site"] {
        let (_tmp, site, out) = built(name);
        let base = base_url(&site);
        let files = feed_files(&out);
        assert!(files.len() >= 12, "{name}: only {files:?}");
        for rel in &files {
            let feed = parse(&out, rel);
            assert!(
                feed.title.as_ref().is_some_and(|t| !t.content.is_empty()),
                "{name}/{rel}: feed has no title"
            );
            assert!(!feed.entries.is_empty(), "{name}/{rel}: no entries");
            for e in &feed.entries {
                assert!(
                    !title(e).trim().is_empty(),
                    "{name}/{rel}: an entry without a title: {e:?}"
                );
                assert!(
                    !e.links.is_empty(),
                    "{name}/{rel}: {} has no link",
                    title(e)
                );
                for l in &e.links {
                    assert!(
                        l.href.starts_with("https://") && l.href.starts_with(&base),
                        "{name}/{rel}: {} links to {}, not under {base}",
                        title(e),
                        l.href
                    );
                }
                assert!(
                    e.published.is_some(),
                    "{name}/{rel}: {} has no date",
                    title(e)
                );
            }
        }
    }
}

/// Every URL attribute of the HTML in `html`.
fn urls_in(html: &str) -> Vec<String> {
    let doc = Html::parse_fragment(html);
    let any = Selector::parse("[href], [src], [srcset], [poster]").unwrap();
    let mut urls = Vec::new();
    for el in doc.select(&any) {
        for attr in ["href", "src", "poster"] {
            if let Some(v) = el.value().attr(attr) {
                urls.push(v.to_string());
            }
        }
        if let Some(v) = el.value().attr("srcset") {
            urls.extend(
                v.split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .map(String::from),
            );
        }
    }
    urls
}

fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

#[test]
fn urls_inside_entry_content_are_absolute() {
    for name in ["hub", "calendar", "example-site"] {
        let (_tmp, _site, out) = built(name);
        let mut checked = 0;
        for rel in feed_files(&out) {
            let feed = parse(&out, &rel);
            for e in &feed.entries {
                for html in [content(e), summary(e)] {
                    for bad in ["src=\"/", "href=\"/", "src='/", "href='/"] {
                        assert!(
                            !html.contains(bad),
                            "{name}/{rel}: {} has {bad}…:\n{html}",
                            title(e)
                        );
                    }
                    for url in urls_in(html) {
                        checked += 1;
                        // `#anchor` links are the subject of the next test.
                        if url.starts_with('#') {
                            continue;
                        }
                        assert!(
                            has_scheme(&url) && !url.starts_with("//"),
                            "{name}/{rel}: {} has the relative URL {url:?}",
                            title(e)
                        );
                    }
                }
            }
        }
        assert!(
            checked > 0,
            "{name}: no URLs in any feed content, nothing was checked"
        );
    }

    // The relative URLs of the fixtures, made absolute against the page or the site.
    let (_tmp, _site, out) = built("hub");
    let feed = parse(&out, "rss.xml");
    let bundle = content(entry(&feed, &format!("{HUB}articles/bundle-post/")));
    assert!(
        bundle.contains(&format!("src=\"{HUB}articles/bundle-post/pic.svg\"")),
        "{bundle}"
    );
    let (_tmp, _site, out) = built("calendar");
    let feed = parse(&out, "articles/atom.xml");
    let notes = content(entry(&feed, &format!("{CAL}articles/winter-notes/")));
    assert!(notes.contains(&format!("src=\"{CAL}dot.svg\"")), "{notes}");
    assert!(notes.contains(&format!("href=\"{CAL}events/\"")), "{notes}");
    let feed = parse(&out, "events/feed.json");
    let special = content(entry(&feed, &format!("{CAL}events/special-night/")));
    assert!(
        special.contains(&format!("src=\"{CAL}events/special-night/dot.svg\"")),
        "{special}"
    );
}

/// feeds.rs promises "every URL in an item's content is absolute": a heading's anchor link
/// `href="#x"` is relative too, and a feed reader resolves it against the feed's URL
/// (`…/rss.xml#x`), not the article's.
#[test]
fn anchor_links_inside_entry_content_point_at_the_article() {
    let (_tmp, _site, out) = built("hub");
    for rel in ["rss.xml", "atom.xml", "feed.json", "articles/rss.xml"] {
        let feed = parse(&out, rel);
        let first = content(entry(&feed, &format!("{HUB}articles/first/")));
        assert!(first.contains("Second heading"), "{rel}: {first}");
        let anchors: Vec<String> = urls_in(first)
            .into_iter()
            .filter(|u| u.starts_with('#'))
            .collect();
        assert!(
            anchors.is_empty(),
            "{rel}: relative anchor links {anchors:?} in the feed content:\n{first}"
        );
    }
}

#[test]
fn dates_are_the_right_instants() {
    let (_tmp, _site, out) = built("hub");
    for rel in [
        "rss.xml",
        "atom.xml",
        "feed.json",
        "articles/rss.xml",
        "articles/atom.xml",
        "articles/feed.json",
    ] {
        let feed = parse(&out, rel);
        // `date = 2026-01-10` in Europe/Amsterdam (CET, UTC+1 in January): midnight there
        // is 23:00 UTC the day before.
        assert_eq!(
            utc(entry(&feed, &format!("{HUB}articles/first/"))),
            "2026-01-09T23:00:00Z",
            "{rel}"
        );
        // From the file name 2026-02-01-second.md, also CET.
        assert_eq!(
            utc(entry(&feed, &format!("{HUB}articles/second/"))),
            "2026-01-31T23:00:00Z",
            "{rel}"
        );
        // An explicit offset is kept: 09:00+01:00 is 08:00 UTC.
        assert_eq!(
            utc(entry(&feed, &format!("{HUB}articles/bundle-post/"))),
            "2026-03-01T08:00:00Z",
            "{rel}"
        );
    }
    let (_tmp, _site, out) = built("calendar");
    for rel in ["events/rss.xml", "events/atom.xml", "events/feed.json"] {
        let feed = parse(&out, rel);
        // 19:30 in Amsterdam in July is CEST (UTC+2), in January CET (UTC+1).
        assert_eq!(
            utc(entry(&feed, &format!("{CAL}events/summer-evening/"))),
            "2026-07-16T17:30:00Z",
            "{rel}"
        );
        assert_eq!(
            utc(entry(&feed, &format!("{CAL}events/winter-evening/"))),
            "2027-01-14T18:30:00Z",
            "{rel}"
        );
        // 19:00 in New York: EST (UTC-5) on 11 March 2027, EDT (UTC-4) from 14 March.
        assert_eq!(
            utc(entry(&feed, &format!("{CAL}events/new-york-before-dst/"))),
            "2027-03-12T00:00:00Z",
            "{rel}"
        );
        assert_eq!(
            utc(entry(&feed, &format!("{CAL}events/new-york-after-dst/"))),
            "2027-03-15T23:00:00Z",
            "{rel}"
        );
    }
    // Autumn notes: 2026-10-05T08:00 local, still CEST (summer time ends 25 October).
    let feed = parse(&out, "atom.xml");
    assert_eq!(
        utc(entry(&feed, &format!("{CAL}articles/autumn-notes/"))),
        "2026-10-05T06:00:00Z"
    );
}

#[test]
fn tags_are_categories() {
    let (_tmp, _site, out) = built("hub");
    for rel in ["rss.xml", "atom.xml", "feed.json", "articles/feed.json"] {
        let feed = parse(&out, rel);
        let first = entry(&feed, &format!("{HUB}articles/first/"));
        let terms: Vec<&str> = first.categories.iter().map(|c| c.term.as_str()).collect();
        assert_eq!(terms, ["Moderation", "growth"], "{rel}");
        let second = entry(&feed, &format!("{HUB}articles/second/"));
        let terms: Vec<&str> = second.categories.iter().map(|c| c.term.as_str()).collect();
        assert_eq!(terms, ["growth"], "{rel}");
    }
    // A tag's feed holds the pages with that tag and nothing else.
    let feed = parse(&out, "tags/moderation/rss.xml");
    assert_eq!(titles(&feed), ["First post & <friends>"]);
    let feed = parse(&out, "tags/growth/rss.xml");
    let mut got = titles(&feed);
    got.sort();
    assert_eq!(got, ["A bundle", "First post & <friends>", "Second post"]);
    let feed = parse(&out, "topics/safety/rss.xml");
    assert_eq!(titles(&feed), ["First post & <friends>"]);
}

#[test]
fn site_feed_has_articles_newest_first_and_no_drafts_or_future_posts() {
    let (_tmp, _site, out) = built("hub");
    for rel in [
        "rss.xml",
        "atom.xml",
        "feed.json",
        "articles/rss.xml",
        "articles/atom.xml",
        "articles/feed.json",
    ] {
        let feed = parse(&out, rel);
        // bundle-post 2026-03-01, second 2026-02-01, first 2026-01-10; draft.md is a draft
        // and future.md is dated 2099: neither is published at "now" (2026-11-22).
        assert_eq!(
            titles(&feed),
            ["A bundle", "Second post", "First post & <friends>"],
            "{rel}"
        );
        let dates: Vec<_> = feed.entries.iter().map(|e| e.published.unwrap()).collect();
        assert!(
            dates.windows(2).all(|w| w[0] >= w[1]),
            "{rel}: not newest first: {dates:?}"
        );
        for e in &feed.entries {
            assert!(
                e.published.unwrap().to_rfc3339() <= NOW.replace('Z', "+00:00"),
                "{rel}: {} is in the future",
                title(e)
            );
        }
    }
    for name in ["hub", "calendar", "example-site"] {
        let (_tmp, site, out) = built(name);
        let base = base_url(&site);
        let feed = parse(&out, "feed.json");
        for e in &feed.entries {
            // The site feed is the articles' feed: no events, masterclasses or members.
            for other in ["events/", "masterclasses/", "members/"] {
                assert!(
                    !link(e).starts_with(&format!("{base}{other}")),
                    "{name}: {} in the site feed",
                    link(e)
                );
            }
            assert!(
                !["A draft", "From the future"].contains(&title(e)),
                "{name}: {} in the site feed",
                title(e)
            );
        }
        let dates: Vec<_> = feed.entries.iter().map(|e| e.published.unwrap()).collect();
        assert!(
            dates.windows(2).all(|w| w[0] >= w[1]),
            "{name}: not newest first: {dates:?}"
        );
    }
    let (_tmp, _site, out) = built("calendar");
    assert_eq!(
        titles(&parse(&out, "rss.xml")),
        ["Autumn notes", "Winter notes"]
    );

    // The control: with --drafts, both do appear, so the assertion above can fail.
    let (_tmp, site) = fixture("hub");
    let mut opts = options();
    opts.drafts = true;
    let out = kring::build(&site, &opts, None).unwrap().output;
    let feed = parse(&out, "rss.xml");
    assert!(
        titles(&feed).contains(&"A draft") && titles(&feed).contains(&"From the future"),
        "{:?}",
        titles(&feed)
    );
}

/// Where each event of the calendar fixture is, as its feed item should say.
const WHERE: &[(&str, &str)] = &[
    ("summer-evening", "De Kas"),
    ("winter-evening", "Pakhuis"),
    ("new-york-after-dst", "Brooklyn Hall"),
    ("new-york-before-dst", "Brooklyn Hall"),
    ("spring-camp", "Camp Ground"),
    ("monthly-call", "https://meet.example.org/monthly"),
    ("cancelled-picnic", "Vondelpark"),
    ("online-talk", "https://meet.example.org/talk"),
    ("special-night", "Café Zoë"),
    ("spring-past", "Old Hall"),
];

#[test]
fn event_items_say_when_and_where() {
    let (_tmp, _site, out) = built("calendar");
    for rel in ["events/rss.xml", "events/atom.xml", "events/feed.json"] {
        let feed = parse(&out, rel);
        assert_eq!(
            feed.entries.len(),
            WHERE.len(),
            "{rel}: {:?}",
            titles(&feed)
        );
        for (slug, place) in WHERE {
            let e = entry(&feed, &format!("{CAL}events/{slug}/"));
            let html = content(e);
            assert!(
                html.contains("When:"),
                "{rel}: {slug} does not say when:\n{html}"
            );
            assert!(
                html.contains(place),
                "{rel}: {slug} does not say where ({place}):\n{html}"
            );
        }
        // Upcoming soonest first at "now" (2026-11-22), by the next occurrence (the monthly
        // call's next one is its 2nd Thursday of December, the 10th), then the past ones,
        // most recent first.
        let order: Vec<&str> = feed
            .entries
            .iter()
            .map(|e| {
                link(e)
                    .trim_start_matches(CAL)
                    .trim_start_matches("events/")
                    .trim_end_matches('/')
            })
            .collect();
        assert_eq!(
            order,
            [
                "online-talk",
                "cancelled-picnic",
                "monthly-call",
                "special-night",
                "winter-evening",
                "new-york-before-dst",
                "new-york-after-dst",
                "spring-camp",
                "summer-evening",
                "spring-past"
            ],
            "{rel}"
        );
        let monthly = content(entry(&feed, &format!("{CAL}events/monthly-call/")));
        assert!(
            monthly.contains("10 December 2026"),
            "{rel}: the next occurrence of the monthly call:\n{monthly}"
        );
        let ny = content(entry(&feed, &format!("{CAL}events/new-york-after-dst/")));
        assert!(ny.contains("America/New_York"), "{rel}: {ny}");
    }
    for rel in [
        "masterclasses/rss.xml",
        "masterclasses/atom.xml",
        "masterclasses/feed.json",
    ] {
        let feed = parse(&out, rel);
        let html = content(entry(&feed, &format!("{CAL}masterclasses/hosting/")));
        assert_eq!(
            html.matches("When:").count(),
            2,
            "{rel}: one line per session:\n{html}"
        );
        assert!(
            html.contains("Pakhuis") && html.contains("https://meet.example.org/hosting"),
            "{rel}: {html}"
        );
    }
}

#[test]
fn special_characters_survive_every_format() {
    let (_tmp, _site, out) = built("calendar");
    for rel in [
        "events/rss.xml",
        "events/atom.xml",
        "events/feed.json",
        "tags/special/rss.xml",
    ] {
        let feed = parse(&out, rel);
        let special = entry(&feed, &format!("{CAL}events/special-night/"));
        assert_eq!(title(special), SPECIAL_TITLE, "{rel}");
        let body = content(special);
        assert!(body.contains("Zoë brings 😀"), "{rel}: {body}");
        assert!(body.contains("Café Zoë"), "{rel}: {body}");
        if !rel.starts_with("tags/") {
            assert_eq!(
                title(entry(&feed, &format!("{CAL}events/online-talk/"))),
                UNICODE_TITLE,
                "{rel}"
            );
        }
    }
    // And the raw files carry the characters themselves, not mojibake or lost bytes.
    for rel in ["events/rss.xml", "events/atom.xml", "events/feed.json"] {
        let raw = read(&out, rel);
        assert!(raw.contains("Zoë") && raw.contains("😀"), "{rel}");
    }
    // The hub's `First post & <friends>` too.
    let (_tmp, _site, out) = built("hub");
    for rel in ["rss.xml", "atom.xml", "feed.json"] {
        let feed = parse(&out, rel);
        assert_eq!(
            title(entry(&feed, &format!("{HUB}articles/first/"))),
            "First post & <friends>",
            "{rel}"
        );
    }
}

#[test]
fn full_content_by_default_and_summary_only_when_configured() {
    let (_tmp, _site, out) = built("hub");
    for rel in ["rss.xml", "atom.xml", "feed.json"] {
        let feed = parse(&out, rel);
        let first = content(entry(&feed, &format!("{HUB}articles/first/")));
        assert!(
            first.contains("More text."),
            "{rel}: the full article by default:\n{first}"
        );
    }

    let (_tmp, site) = fixture("hub");
    append_feeds_table(&site, "summary_only = true");
    let out = build_ok(&site);
    for rel in [
        "rss.xml",
        "atom.xml",
        "feed.json",
        "articles/rss.xml",
        "articles/atom.xml",
        "articles/feed.json",
        "tags/moderation/rss.xml",
    ] {
        let feed = parse(&out, rel);
        let first = entry(&feed, &format!("{HUB}articles/first/"));
        for text in [content(first), summary(first)] {
            assert!(
                !text.contains("More text.") && !text.contains("Second heading"),
                "{rel}: text after <!-- more --> in a summary-only feed:\n{text}"
            );
        }
        // Something is still there: the summary (the part before <!-- more -->) or the
        // description.
        let shown = format!("{}{}", content(first), summary(first));
        assert!(
            shown.contains("First paragraph") || shown.contains("The first one"),
            "{rel}: nothing left:\n{shown}"
        );
    }
    let rss = read(&out, "rss.xml");
    assert!(
        !rss.contains("content:encoded>"),
        "summary_only RSS still has full content:\n{rss}"
    );
}

#[test]
fn limit_caps_every_feed() {
    let (_tmp, _site, out) = built("hub");
    assert_eq!(
        parse(&out, "rss.xml").entries.len(),
        3,
        "the control: three articles without a limit"
    );
    assert_eq!(parse(&out, "tags/growth/rss.xml").entries.len(), 3);

    let (_tmp, site) = fixture("hub");
    append_feeds_table(&site, "limit = 1");
    let out = build_ok(&site);
    for rel in feed_files(&out) {
        let feed = parse(&out, &rel);
        assert_eq!(feed.entries.len(), 1, "{rel}: {:?}", titles(&feed));
    }
    // The one kept is the newest article.
    for rel in ["rss.xml", "atom.xml", "feed.json"] {
        assert_eq!(titles(&parse(&out, rel)), ["A bundle"], "{rel}");
    }
    // For events, the next upcoming one (the meetup of July 2026 is past at "now").
    assert_eq!(
        titles(&parse(&out, "events/rss.xml")),
        ["Far future gathering"]
    );
}

/// The `href`s of `<head>`'s `<link rel="alternate" type=MIME>` tags.
fn alternates(html: &str, mime: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(&format!("head link[rel~=\"alternate\"][type=\"{mime}\"]")).unwrap();
    doc.select(&sel)
        .filter_map(|el| el.value().attr("href").map(String::from))
        .collect()
}

#[test]
fn pages_advertise_their_feeds() {
    for name in ["hub", "calendar"] {
        let (_tmp, site, out) = built(name);
        let base = base_url(&site);
        let pages: Vec<String> = tree(&out)
            .into_keys()
            // Email editions are read in a mail client, not a feed reader's browser.
            .filter(|p| p.ends_with(".html") && !p.ends_with("email.html"))
            .collect();
        assert!(pages.len() > 10, "{name}: {pages:?}");
        for rel in &pages {
            let html = read(&out, rel);
            let rss = alternates(&html, "application/rss+xml");
            assert!(
                rss.contains(&format!("{base}rss.xml")),
                "{name}/{rel}: no site RSS link in <head>: {rss:?}"
            );
            // Every advertised feed exists.
            for mime in [
                "application/rss+xml",
                "application/atom+xml",
                "application/feed+json",
            ] {
                for href in alternates(&html, mime) {
                    let file = href
                        .strip_prefix(&base)
                        .unwrap_or_else(|| panic!("{name}/{rel}: {href} is not under {base}"));
                    assert!(
                        out.join(file).is_file(),
                        "{name}/{rel}: advertises {href}, which was not written"
                    );
                }
            }
        }
    }
    let (_tmp, _site, out) = built("hub");
    for rel in ["articles/index.html", "articles/first/index.html"] {
        let rss = alternates(&read(&out, rel), "application/rss+xml");
        assert!(
            rss.contains(&format!("{HUB}articles/rss.xml")),
            "{rel}: no link to the articles' feed: {rss:?}"
        );
    }
}
