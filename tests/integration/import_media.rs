//! `kring import` on media, embeds and footnotes, from markup real platforms wrote: a
//! Substack export assembled from TryGhost/migrate's real post HTML
//! (tests/fixtures/real/substack, SOURCES.md says where each piece comes from) and
//! WordPress's own test data (tests/fixtures/real/wordpress). Read back from the built
//! pages with scraper and from the Markdown with pulldown-cmark: each audio file, gallery
//! image, tweet, post embed and formula arrives, footnotes are footnotes, and everything
//! removed is named in the report with its post.

use crate::common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::import::*;
use common::*;
use kring::import::{Options, Platform, Removal, Report, import};
use pulldown_cmark::{Event, Parser, Tag};
use scraper::{Html, Selector};

fn real(rel: &str) -> PathBuf {
    repo().join("tests/fixtures/real").join(rel)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// Imports `export` into a new site in `tmp` and builds it; the report and the output.
fn import_and_build(platform: Platform, export: &Path, tmp: &Path) -> (Report, PathBuf, PathBuf) {
    let site = tmp.join("hub");
    let report = import(&Options::new(platform, export.to_path_buf()), &site)
        .unwrap_or_else(|e| panic!("import failed: {e}"));
    let out = build_ok(&site);
    (report, site, out)
}

/// A built page, parsed.
fn page(out: &Path, rel: &str) -> Html {
    Html::parse_document(&read(out, rel))
}

/// The text of the page's article (its `<main>`).
fn main_text(html: &Html) -> String {
    html.select(&sel("main"))
        .flat_map(|m| m.text())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every built page of the site: (path, parsed).
fn pages(out: &Path) -> Vec<(String, Html)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e.path().strip_prefix(out).unwrap().display().to_string();
            (
                rel,
                Html::parse_document(&std::fs::read_to_string(e.path()).unwrap()),
            )
        })
        .collect()
}

/// (references, definitions) of the footnotes of a Markdown body, as pulldown-cmark reads
/// them: (label, text of the definition).
fn footnotes(markdown: &str) -> (Vec<String>, Vec<(String, String)>) {
    let options = pulldown_cmark::Options::ENABLE_FOOTNOTES;
    let mut refs = Vec::new();
    let mut defs: Vec<(String, String)> = Vec::new();
    let mut inside: Option<usize> = None;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::FootnoteReference(label) => refs.push(label.to_string()),
            Event::Start(Tag::FootnoteDefinition(label)) => {
                defs.push((label.to_string(), String::new()));
                inside = Some(defs.len() - 1);
            }
            Event::End(pulldown_cmark::TagEnd::FootnoteDefinition) => inside = None,
            Event::Text(t) => {
                if let Some(i) = inside {
                    defs[i].1.push_str(&t);
                }
            }
            _ => {}
        }
    }
    (refs, defs)
}

fn removed(report: &Report, post: &str, kind: Removal, detail: &str) -> bool {
    report
        .removed
        .iter()
        .any(|(p, k, d)| p.starts_with(post) && *k == kind && d.contains(detail))
}

#[test]
fn substack_media_and_embeds_from_real_post_html_arrive() {
    let tmp = tempfile::tempdir().unwrap();
    let (report, site, out) = import_and_build(Platform::Substack, &real("substack"), tmp.path());

    // The podcast's audio file, a link on its page.
    let podcast = page(&out, "articles/podcast/index.html");
    assert_eq!(
        podcast
            .select(&sel("main a[href='https://example.com/my-audio/file.mp3']"))
            .count(),
        1
    );

    // Both galleries: six images each, at the originals (not the CDN's copies), alt text
    // and caption kept.
    let gallery = page(&out, "articles/gallery/index.html");
    let images: Vec<(String, String)> = gallery
        .select(&sel("main img"))
        .map(|i| {
            let v = i.value();
            (
                v.attr("src").unwrap_or_default().to_string(),
                v.attr("alt").unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(images.len(), 12, "{images:?}");
    for id in [
        "abcd1234-2021",
        "abc1235-6563",
        "abcd1236-c233",
        "abcd1237-2469",
        "abcd1238-2236",
        "abcd1239-e31d",
    ] {
        let found: Vec<_> = images.iter().filter(|(src, _)| src.contains(id)).collect();
        assert_eq!(found.len(), 2, "{id}: {images:?}");
        for (src, alt) in found {
            assert!(
                src.starts_with("https://substack-post-media.s3.amazonaws.com/public/images/"),
                "{src}"
            );
            assert_eq!(alt, "My alt text");
        }
    }
    assert_eq!(main_text(&gallery).matches("My caption").count(), 2);

    // Tweets: quoted, with their text, author and link; no avatar from Twitter's host.
    let tweets = page(&out, "articles/tweets/index.html");
    let quotes: Vec<String> = tweets
        .select(&sel("main blockquote"))
        .map(|q| q.text().collect::<String>())
        .collect();
    assert_eq!(quotes.len(), 2, "{quotes:?}");
    assert!(quotes[0].contains("This is the tweet text") && quotes[0].contains("@example"));
    assert!(quotes[1].contains("example"));
    assert_eq!(
        tweets
            .select(&sel(
                "main blockquote a[href^='https://twitter.com/example/status/123456']"
            ))
            .count(),
        2
    );
    assert_eq!(tweets.select(&sel("main img")).count(), 0, "no avatar");

    // Post embeds: a quote with the title as a link, the text and the byline.
    let embeds = page(&out, "articles/embeds/index.html");
    let link = |href: &str| {
        embeds
            .select(&sel(&format!("main blockquote a[href='{href}']")))
            .map(|a| a.text().collect::<String>())
            .next()
    };
    assert_eq!(
        link("https://www.exampe.com/p/the-link").as_deref(),
        Some("The Title")
    );
    assert_eq!(
        link("https://example.substack.com/p/example-post").as_deref(),
        Some("Lorem ipsum, This is the Title I’m Showing You")
    );
    let text = main_text(&embeds);
    for part in [
        "The caption",
        "Author Name, Pub Name",
        "Information Document",
        "31.6KB",
        "Thanks @Test User for the tip!",
    ] {
        assert!(text.contains(part), "`{part}` missing: {text}");
    }
    for href in [
        "https://example.com/api/v1/file/1234-abcd.pdf",
        "https://www.instagram.com/p/QWERTYNgZO8/",
    ] {
        assert_eq!(
            embeds
                .select(&sel(&format!("main a[href='{href}']")))
                .count(),
            1,
            "{href}"
        );
    }

    // The formula: its LaTeX source in a code block.
    let latex = page(&out, "articles/latex/index.html");
    let code: Vec<String> = latex
        .select(&sel("main pre code"))
        .map(|c| c.text().collect())
        .collect();
    assert_eq!(code, ["ABC_{\\text{Terminal}}ABCTerminal\n"]);

    // Footnotes, both of Substack's styles: real footnotes, in the Markdown and the page.
    for (file, notes) in [
        (
            "footnotes",
            [
                "Lorem ipsum",
                "Consectetur adipiscing",
                "Elit elementum venenatis",
            ],
        ),
        (
            "footnotes-new",
            ["Note content", "More notes", "in this one"],
        ),
    ] {
        let (_, body) = content(&site, &format!("content/articles/{file}.md"));
        let (refs, defs) = footnotes(&body);
        assert_eq!(refs, ["1", "2", "3"], "{body}");
        assert_eq!(defs.len(), 3, "{body}");
        for ((_, def), note) in defs.iter().zip(notes) {
            assert!(def.contains(note), "{def} / {note}");
        }
        let built = page(&out, &format!("articles/{file}/index.html"));
        assert_eq!(built.select(&sel("main .footnote-definition")).count(), 3);
        assert_eq!(built.select(&sel("main .footnote-reference a")).count(), 3);
    }

    // What went is named with its post, and no page shows it.
    for (post, kind, detail) in [
        ("articles/plain-text.md", Removal::SignUp, "Sign up now"),
        ("articles/buttons.md", Removal::SignUp, "Sign up now"),
        ("articles/buttons.md", Removal::Button, "Share PodSnacks"),
        ("articles/podcast.md", Removal::Button, "Leave a comment"),
        (
            "articles/embeds.md",
            Removal::Embed,
            "post embed without its data",
        ),
        (
            "articles/embeds.md",
            Removal::LinkedEmbed,
            "https://www.instagram.com/p/QWERTYNgZO8/",
        ),
        ("about-us.md", Removal::SignUp, "Sign up"),
    ] {
        assert!(
            removed(&report, post, kind, detail),
            "{post} {kind:?} {detail}: {:?}",
            report.removed
        );
    }
    let printed = report.to_string();
    assert!(
        printed.contains("  articles/buttons.md (posts/123412.buttons.html): removed 5 sign-up forms or buttons (Sign up now), 2 share or comment buttons (Leave a comment, Share PodSnacks)"),
        "{printed}"
    );
    for (rel, html) in pages(&out) {
        let text = main_text(&html);
        for gone in ["Sign up now", "Share PodSnacks", "Leave a comment"] {
            assert!(!text.contains(gone), "{gone} on {rel}");
        }
    }
    check_ok(&site, tmp.path());
}

/// A Substack export of one post with `html` as its body, and `podcast` as its audio.
fn substack_export(dir: &Path, html: &str, podcast: &str) -> PathBuf {
    let export = dir.join("export");
    std::fs::create_dir_all(export.join("posts")).unwrap();
    std::fs::write(
        export.join("posts.csv"),
        format!(
            "post_id,post_date,is_published,email_sent_at,type,audience,title,subtitle,podcast_url\n\
             1.hostile,2024-01-01T00:00:00Z,true,,newsletter,everyone,Hostile,,{podcast}\n"
        ),
    )
    .unwrap();
    std::fs::write(export.join("posts/1.hostile.html"), html).unwrap();
    export
}

/// `s` as a JSON string inside a double-quoted HTML attribute, as Substack writes it.
fn attr_json(value: &serde_json::Value) -> String {
    value
        .to_string()
        .replace('&', "&amp;")
        .replace('"', "&quot;")
}

#[test]
fn hostile_substack_embeds_keep_their_text_and_lose_their_code() {
    let tmp = tempfile::tempdir().unwrap();
    let tweet_text = "<!--<script>alert(1)</script> \u{202E}evil\u{202C} and \0 </p>done";
    let tweet = serde_json::json!({
        "url": "https://x.com/eve/status/9",
        "full_text": tweet_text,
        "name": "Eve </blockquote>",
        "username": "eve",
    });
    let bad_link = serde_json::json!({
        "canonical_url": "javascript:alert(1)",
        "title": "Click | me \\ now",
        "caption": "Text of the post",
    });
    let images: Vec<serde_json::Value> = (0..2000)
        .map(|i| serde_json::json!({"src": format!("https://img.example/{i}.jpg"), "alt": format!("Image {i}")}))
        .collect();
    let gallery =
        serde_json::json!({"gallery": {"images": images, "caption": "Two thousand", "alt": ""}});
    let formula = serde_json::json!({"persistentExpression": "a</code></pre><script>x</script> ``` \\frac{1}{2}"});
    let html = format!(
        "<p>Before</p>\
         <div class=\"twitter-embed\" data-attrs=\"{}\"></div>\
         <div class=\"tweet\" data-attrs=\"{}\"></div>\
         <div class=\"digest-post-embed\" data-attrs=\"{}\"></div>\
         <div class=\"image-gallery-embed\" data-attrs=\"{}\"></div>\
         <div class=\"latex-rendered\" data-attrs=\"{}\"></div>\
         <iframe src=\"javascript:alert(2)\"></iframe>\
         <p>After</p>",
        attr_json(&tweet),
        attr_json(&tweet),
        attr_json(&bad_link),
        attr_json(&gallery),
        attr_json(&formula),
    );
    let export = substack_export(tmp.path(), &html, "javascript:alert(3)");
    let (report, site, out) = import_and_build(Platform::Substack, &export, tmp.path());
    let built = read(&out, "articles/hostile/index.html");
    let doc = Html::parse_document(&built);
    assert_eq!(doc.select(&sel("main script")).count(), 0);
    for a in doc.select(&sel("a[href]")) {
        let href = a.value().attr("href").unwrap().to_ascii_lowercase();
        assert!(!href.contains("javascript"), "{href}");
    }
    let quotes: Vec<String> = doc
        .select(&sel("main blockquote"))
        .map(|q| q.text().collect())
        .collect();
    assert_eq!(quotes.len(), 3, "{quotes:?}");
    for quote in &quotes[..2] {
        // As text (the page's smart punctuation makes `--` a dash).
        assert!(quote.contains("<script>alert(1)</script>"), "{quote}");
        assert!(
            quote.contains("</p>done") && quote.contains("Eve </blockquote> (@eve)"),
            "{quote}"
        );
        assert!(!quote.contains('\0'), "{quote:?}");
    }
    assert_eq!(
        doc.select(&sel("main blockquote a[href='https://x.com/eve/status/9']"))
            .count(),
        2
    );
    assert!(quotes[2].contains("Click | me \\ now") && quotes[2].contains("Text of the post"));
    let imgs: Vec<_> = doc.select(&sel("main img")).collect();
    assert_eq!(imgs.len(), 2000);
    assert_eq!(imgs[1999].value().attr("alt"), Some("Image 1999"));
    let code: Vec<String> = doc
        .select(&sel("main pre code"))
        .map(|c| c.text().collect())
        .collect();
    assert_eq!(
        code,
        ["a</code></pre><script>x</script> ``` \\frac{1}{2}\n"]
    );
    let text = main_text(&doc);
    assert!(text.contains("Before") && text.contains("After") && text.contains("Two thousand"));
    assert!(
        removed(
            &report,
            "articles/hostile.md",
            Removal::Embed,
            "javascript:alert(2)"
        ),
        "{:?}",
        report.removed
    );
    assert!(
        removed(
            &report,
            "articles/hostile.md",
            Removal::Embed,
            "javascript:alert(3)"
        ),
        "{:?}",
        report.removed
    );
    assert!(!report.to_string().contains('\u{202E}'));
    check_ok(&site, tmp.path());
}

/// Every `<audio>`/`<source>` address and `[audio …]` address in the export's posts.
fn audio_in_export(xml: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let doc = Html::parse_fragment(&xml.replace("<![CDATA[", "").replace("]]>", ""));
    for el in doc.select(&sel("audio[src], audio source[src]")) {
        let src = el.value().attr("src").unwrap().to_string();
        if src.starts_with("http") {
            found.insert(src);
        }
    }
    for part in xml.split("[audio").skip(1) {
        let tag = &part[..part.find(']').unwrap()];
        if let Some(start) = tag.find("http") {
            let url: String = tag[start..]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '"')
                .collect();
            found.insert(url);
        }
    }
    found
}

#[test]
fn wordpress_test_data_keeps_audio_footnotes_and_shortcodes() {
    for (name, footnote_page) in [
        ("64-block-test-data.xml", Some("articles/footnotes")),
        ("themeunittestdata.wordpress.xml", None),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let export = real(&format!("wordpress/{name}"));
        let xml = std::fs::read_to_string(&export).unwrap();
        let (report, site, out) = import_and_build(Platform::Wordpress, &export, tmp.path());
        let pages = pages(&out);
        let links: BTreeSet<String> = pages
            .iter()
            .flat_map(|(_, html)| {
                html.select(&sel("main a[href]"))
                    .map(|a| a.value().attr("href").unwrap().to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        let audio = audio_in_export(&xml);
        assert!(!audio.is_empty(), "{name}");
        for src in &audio {
            assert!(links.contains(src), "{name}: {src} is not linked");
        }
        for (rel, html) in &pages {
            let text = main_text(html);
            for shortcode in ["[audio", "[video", "[playlist", "[embed]", "[gallery"] {
                assert!(!text.contains(shortcode), "{name}: {shortcode} on {rel}");
            }
        }
        if let Some(post) = footnote_page {
            let (_, body) = content(&site, &format!("content/{post}.md"));
            let (refs, defs) = footnotes(&body);
            assert_eq!(refs, ["1", "2"], "{body}");
            assert_eq!(
                defs,
                [
                    ("1".to_string(), "A note".to_string()),
                    ("2".to_string(), "Another note".to_string())
                ]
            );
            let built = page(&out, &format!("{post}/index.html"));
            assert_eq!(built.select(&sel("main .footnote-definition")).count(), 2);
        }
        // The embeds kring can only link to are named with their post.
        assert!(
            footnote_page.is_some()
                || removed(
                    &report,
                    "articles/blocks-embeds.md",
                    Removal::LinkedEmbed,
                    "https://twitter.com/WordPress/status/1057136472321613824"
                ),
            "{name}: {:?}",
            report.removed
        );
        check_ok(&site, tmp.path());
    }
}

/// A WordPress export of one classic post with `content`.
fn wxr(content: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Plugins</title><link>https://plugins.example</link><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Notes</title><link>https://plugins.example/notes/</link><dc:creator>ann</dc:creator>
<content:encoded><![CDATA[{content}]]></content:encoded>
<wp:post_id>7</wp:post_id><wp:post_date_gmt>2024-01-01 10:00:00</wp:post_date_gmt><wp:post_name>notes</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type><wp:post_password></wp:post_password></item>
</channel></rss>"#
    )
}

#[test]
fn plugin_footnotes_and_unknown_shortcodes_are_footnotes_or_named() {
    let tmp = tempfile::tempdir().unwrap();
    let content = "<p>Markdown-style claim<sup><a href=\"#fn1\" id=\"fnref1\">1</a></sup> and Easy\
<span class=\"easy-footnote-margin-adjust\" id=\"easy-footnote-1-7\"></span><span class=\"easy-footnote\"><a href=\"#easy-footnote-bottom-1-7\" title=\"Easy note\"><sup>1</sup></a></span> here.</p>\n\n\
A shortcode note[efn_note]Shortcode note with <em>emphasis</em>[/efn_note] too.\n\n\
<ol><li id=\"fn1\">First note, with ü and | pipes \\ and backslashes. <a href=\"#fnref1\">↩</a></li></ol>\n\n\
<ol class=\"easy-footnotes-wrapper\"><li class=\"easy-footnote-single\"><span id=\"easy-footnote-bottom-1-7\" class=\"easy-footnote-margin-adjust\"></span>Easy note<a class=\"easy-footnote-to-top\" href=\"#easy-footnote-1-7\"></a></li></ol>\n\n\
[audio mp3=\"javascript:alert(1)\"]\n\n[playlist]\n\n[video src=\"https://media.example/clip.mp4\"]\n\n[embed]https://maps.example/place[/embed]\n\n\
[mystery foo=\"1\"]\n\n<script>alert(1)</script><form action=\"https://list.example/join\"><input name=\"email\"></form>\n\n\
<a href=\"#/portal/signup\" class=\"gh-btn\">Join</a> and <a href=\"https://old.example/#/portal/signup\">become a member</a> today.";
    let export = tmp.path().join("wp.xml");
    std::fs::write(&export, wxr(content)).unwrap();
    let (report, site, out) = import_and_build(Platform::Wordpress, &export, tmp.path());
    let (_, body) = content_of(&site);
    let (refs, defs) = footnotes(&body);
    assert_eq!(refs.len(), 3, "{body}");
    let texts: Vec<&str> = defs.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(defs.len(), 3, "{body}");
    assert!(
        texts.iter().any(
            |t| t.contains("First note, with ü and | pipes \\ and backslashes.")
                && !t.contains('↩')
        ),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t.contains("Easy note")), "{texts:?}");
    assert!(
        texts.iter().any(|t| t.contains("Shortcode note with")),
        "{texts:?}"
    );
    let built = page(&out, "articles/notes/index.html");
    assert_eq!(built.select(&sel("main .footnote-definition")).count(), 3);
    assert_eq!(
        built
            .select(&sel("main a[href='https://media.example/clip.mp4']"))
            .count(),
        1
    );
    assert_eq!(
        built
            .select(&sel("main a[href='https://maps.example/place']"))
            .count(),
        1
    );
    assert_eq!(
        built
            .select(&sel("main a[href*='portal'], main script, main form"))
            .count(),
        0
    );
    let text = main_text(&built);
    assert!(text.contains("become a member today"), "{text}");
    assert!(
        !text.contains("[mystery") && !text.contains("[playlist"),
        "{text}"
    );
    let link_texts: Vec<String> = built
        .select(&sel("main a"))
        .map(|a| a.text().collect())
        .collect();
    assert!(
        !link_texts
            .iter()
            .any(|t| t == "Join" || t == "become a member"),
        "{link_texts:?}"
    );
    for (kind, detail) in [
        (Removal::Embed, "javascript:alert(1)"),
        (Removal::Shortcode, "[playlist]"),
        (Removal::Shortcode, "[mystery]"),
        (Removal::LinkedEmbed, "https://maps.example/place"),
        (Removal::Script, ""),
        (Removal::Form, "https://list.example/join"),
        (Removal::Portal, "#/portal/signup"),
        (Removal::Portal, "https://old.example/#/portal/signup"),
    ] {
        assert!(
            removed(&report, "articles/notes.md", kind, detail),
            "{kind:?} {detail}: {:?}",
            report.removed
        );
    }
    let printed = report.to_string();
    assert!(printed.contains("  articles/notes.md ("), "{printed}");
    assert!(printed.contains("2 Ghost portal links"), "{printed}");
    check_ok(&site, tmp.path());
}

/// The one article of a site, front matter and body.
fn content_of(site: &Path) -> (toml::Table, String) {
    content(site, "content/articles/notes.md")
}

#[test]
fn a_wordpress_podcast_episode_links_its_file_and_names_its_player() {
    // TryGhost/migrate's fixture (packages/mg-wp-xml/test/fixtures): the episode's file is
    // only in the post's `enclosure` meta; the body is Libsyn's player.
    let tmp = tempfile::tempdir().unwrap();
    let export = real("wordpress/has-audio-enclosure-with-libsyn-embed.xml");
    let (report, site, out) = import_and_build(Platform::Wordpress, &export, tmp.path());
    let built = page(&out, "articles/my-episode/index.html");
    assert_eq!(
        built
            .select(&sel(
                "main a[href='http://media.libsyn.com/media/example/podcast.mp3']"
            ))
            .count(),
        1
    );
    assert!(main_text(&built).contains("This is the episode description."));
    assert!(
        removed(
            &report,
            "articles/my-episode.md",
            Removal::LinkedEmbed,
            "https://html5-player.libsyn.com/player/id/12345/"
        ),
        "{:?}",
        report.removed
    );
    check_ok(&site, tmp.path());
}

#[test]
fn ghost_portal_links_go_with_a_report_line_and_their_words_stay() {
    // Ghost's own export fixture (TryGhost/Ghost, ghost/core/test/utils/fixtures/export):
    // its "portal" post says "Like this! <a href="#/portal">Sign up here</a>".
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("hub");
    let mut options = Options::new(Platform::Ghost, real("ghost/v4_export.json"));
    options.site_url = Some("https://old.example/".into());
    let report = import(&options, &site).unwrap_or_else(|e| panic!("{e}"));
    let out = build_ok(&site);
    let built = page(&out, "articles/portal/index.html");
    assert!(main_text(&built).contains("Like this! Sign up here"));
    assert_eq!(built.select(&sel("a[href*='#/portal']")).count(), 0);
    assert!(
        removed(&report, "articles/portal.md", Removal::Portal, "#/portal"),
        "{:?}",
        report.removed
    );
    assert!(
        removed(
            &report,
            "articles/integrations.md",
            Removal::Script,
            "https://zapier.com/apps/embed/widget.js"
        ),
        "{:?}",
        report.removed
    );
    check_ok(&site, tmp.path());
}
