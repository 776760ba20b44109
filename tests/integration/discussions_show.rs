//! Conversations shown on their pages (issue #25): replies kept in
//! `.kring-cache/discussions/` (written with `cache::write`, `offline = true`: no network)
//! and read back from the build with independent parsers — scraper for the pages, feed-rs
//! for feeds, the image crate and kamadak-exif for avatars.

use crate::common;

use std::path::{Path, PathBuf};

use common::photos::{assert_no_exif, phone_photo};
use common::*;
use kring::discussions::{Author, Conversation, Inline, Platform, Reply, cache};
use scraper::{ElementRef, Html, Selector};

const FORUM: &str = "https://forum.example.org/t/first-post/12";
const TOOT: &str = "https://mastodon.example/@hub/113000000000000001";
const SKEET: &str = "https://bsky.app/profile/hub.example.org/post/3kabc";

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(e: ElementRef) -> String {
    e.text().collect()
}

fn page(out: &Path, rel: &str) -> Html {
    Html::parse_document(&read(out, rel))
}

fn reply(url: &str, name: &str, handle: &str, published: &str, said: &str) -> Reply {
    Reply {
        url: url.into(),
        author: Author {
            name: name.into(),
            handle: handle.into(),
            avatar: None,
        },
        published: published.into(),
        paragraphs: vec![vec![Inline::Text { text: said.into() }]],
        children: Vec::new(),
    }
}

fn conversation(url: &str, platform: Platform, count: usize, replies: Vec<Reply>) -> Conversation {
    Conversation {
        url: url.into(),
        platform,
        join_url: url.into(),
        reply_count: count,
        replies,
        fetched_at: "2026-11-22T10:00:00Z".into(),
    }
}

/// `kring check --privacy` passes: nothing on the pages loads from another host.
fn privacy_is_clean(site: &Path, home: &Path) {
    let run = kring()
        .args(["check", "--privacy", site.to_str().unwrap()])
        .env("HOME", home)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success() && said.contains("Privacy: no page"),
        "{said}{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// `[discussion]` that reads the cache only, then `more` keys.
fn discussion(site: &Path, more: &str) {
    let toml = read(site, "kring.toml");
    write(
        site,
        "kring.toml",
        format!(
            "{toml}\n[discussion]\nfetch = true\noffline = true\nhosts = [\"forum.example.org\", \"mastodon.example\", \"bsky.app\"]\n{more}\n"
        ),
    );
}

/// Adds `discuss = "url"` to the front matter of `rel`.
fn discuss(site: &Path, rel: &str, url: &str) {
    let text = read(site, rel);
    let rest = text.strip_prefix("+++\n").unwrap();
    write(site, rel, format!("+++\ndiscuss = \"{url}\"\n{rest}"));
}

/// The hub with a forum topic on its first article, a Mastodon post on its meetup and a
/// Bluesky post on its about page, all in the cache.
fn hub() -> (tempfile::TempDir, PathBuf) {
    let (tmp, site) = fixture("hub");
    discussion(&site, "");
    discuss(&site, "content/articles/first.md", FORUM);
    discuss(&site, "content/events/meetup.md", TOOT);
    discuss(&site, "content/about.md", SKEET);
    let mut first = reply(
        "https://forum.example.org/t/first-post/12/2",
        "Noor El Amrani",
        "@noor",
        "2026-11-20T09:15:00Z",
        "Thanks, this helped.",
    );
    first.paragraphs.push(vec![
        Inline::Text {
            text: "See ".into(),
        },
        Inline::Link {
            href: "https://example.net/guide".into(),
            text: "the guide".into(),
        },
    ]);
    let mut answer = reply(
        "https://forum.example.org/t/first-post/12/3",
        "Mateo Ruiz",
        "@mateo",
        "2026-11-20T10:00:00Z",
        "Agreed.",
    );
    // Deeper replies are the fetcher's to lift; a cache that has one shows one level only.
    answer.children.push(reply(
        "https://forum.example.org/t/first-post/12/4",
        "Too Deep",
        "@deep",
        "2026-11-20T11:00:00Z",
        "Not shown nested.",
    ));
    first.children.push(answer);
    let second = reply(
        "https://forum.example.org/t/first-post/12/5",
        "Femke de Wit",
        "@femke",
        "2026-11-21T08:00:00Z",
        "One more thought.",
    );
    let convs = [
        conversation(FORUM, Platform::Discourse, 4, vec![first, second]),
        conversation(
            TOOT,
            Platform::Mastodon,
            1,
            vec![reply(
                "https://mastodon.example/@sam/113000000000000002",
                "Sam",
                "@sam@mastodon.example",
                "2026-07-01T12:00:00Z",
                "See you there!",
            )],
        ),
        conversation(
            SKEET,
            Platform::Bluesky,
            1,
            vec![reply(
                "https://bsky.app/profile/lin.example/post/3kdef",
                "Lin",
                "@lin.example@bsky.app",
                "2026-10-01T12:00:00Z",
                "Nice page.",
            )],
        ),
    ];
    for c in &convs {
        cache::write(&site, c).unwrap();
    }
    (tmp, site)
}

#[test]
fn the_conversation_is_shown_with_names_dates_links_and_where_to_join() {
    let (_tmp, site) = hub();
    let out = build_ok(&site);
    let doc = page(&out, "articles/first/index.html");
    let section = doc
        .select(&sel("section.conversation"))
        .next()
        .expect("a conversation section");
    let h2 = section.select(&sel("h2")).next().unwrap();
    assert_eq!(text(h2), "From the conversation");
    // Its heading is the section's name, for screen readers too.
    assert_eq!(
        section.value().attr("aria-labelledby"),
        h2.value().attr("id")
    );
    assert_eq!(
        text(section.select(&sel(".conversation__count")).next().unwrap()),
        "4 replies"
    );
    let names: Vec<String> = section.select(&sel("bdi.reply__name")).map(text).collect();
    assert_eq!(names, ["Noor El Amrani", "Mateo Ruiz", "Femke de Wit"]);
    // One level of nesting: Mateo answers Noor; the deeper reply is not shown.
    let top: Vec<ElementRef> = section
        .select(&sel("ol.conversation__replies > li"))
        .collect();
    assert_eq!(top.len(), 2);
    let nested: Vec<String> = top[0]
        .select(&sel("ol.conversation__answers > li bdi.reply__name"))
        .map(text)
        .collect();
    assert_eq!(nested, ["Mateo Ruiz"]);
    assert!(section.select(&sel("ol ol ol")).next().is_none());
    assert!(!read(&out, "articles/first/index.html").contains("Too Deep"));
    // Dates in the site's zone (Amsterdam, winter), written in the page's language.
    let times: Vec<(String, String)> = section
        .select(&sel("time[datetime]"))
        .map(|t| (t.value().attr("datetime").unwrap().to_string(), text(t)))
        .collect();
    assert_eq!(times[0].0, "2026-11-20T10:15:00+01:00");
    assert!(times[0].1.contains("November"), "{times:?}");
    // Every link out is marked as other people's, and each reply links to itself.
    let links: Vec<ElementRef> = section.select(&sel(".reply a")).collect();
    assert!(links.len() >= 4);
    for a in &links {
        assert_eq!(a.value().attr("rel"), Some("nofollow ugc noopener"));
    }
    let hrefs: Vec<&str> = links
        .iter()
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert!(hrefs.contains(&"https://forum.example.org/t/first-post/12/2"));
    assert!(hrefs.contains(&"https://example.net/guide"));
    // No avatar: an initial.
    assert_eq!(
        text(section.select(&sel(".avatar--initials")).next().unwrap()),
        "NA"
    );
    // Joining, per platform; the plain "discuss" box is not shown as well.
    let join = |rel: &str| {
        let doc = page(&out, rel);
        let a = doc
            .select(&sel(".conversation__join a"))
            .next()
            .unwrap_or_else(|| panic!("no join link on {rel}"));
        assert!(doc.select(&sel("aside.discuss")).next().is_none(), "{rel}");
        (a.value().attr("href").unwrap().to_string(), text(a))
    };
    assert_eq!(
        join("articles/first/index.html"),
        (FORUM.into(), "Join on the forum".into())
    );
    assert_eq!(
        join("events/meetup/index.html"),
        (TOOT.into(), "Join on Mastodon".into())
    );
    assert_eq!(
        join("about/index.html"),
        (SKEET.into(), "Join on Bluesky".into())
    );
    // Search engines read the thread and its size from the JSON-LD.
    let ld: serde_json::Value = serde_json::from_str(&text(
        doc.select(&sel("script[type='application/ld+json']"))
            .next()
            .unwrap(),
    ))
    .unwrap();
    assert_eq!(ld["discussionUrl"], FORUM);
    assert_eq!(ld["commentCount"], 4);
    let meetup = page(&out, "events/meetup/index.html");
    assert_eq!(
        text(meetup.select(&sel(".conversation__count")).next().unwrap()),
        "1 reply"
    );
}

#[test]
fn both_languages_show_it_in_their_own_words() {
    let (_tmp, site) = fixture("bilingual");
    discussion(&site, "");
    let nl = "https://forum.example.org/t/hallo/7";
    let en = "https://forum.example.org/t/hello/8";
    discuss(&site, "content/articles/welcome.md", nl);
    discuss(&site, "content/articles/welcome.en.md", en);
    let two = |url: &str| {
        conversation(
            url,
            Platform::Discourse,
            2,
            vec![
                reply(
                    &format!("{url}/2"),
                    "Anouk",
                    "@anouk",
                    "2026-03-14T20:00:00Z",
                    "Mooi.",
                ),
                reply(
                    &format!("{url}/3"),
                    "Bram",
                    "@bram",
                    "2026-03-15T20:00:00Z",
                    "Fijn.",
                ),
            ],
        )
    };
    cache::write(&site, &two(nl)).unwrap();
    cache::write(&site, &two(en)).unwrap();
    let out = build_ok(&site);
    for (rel, title, count, join, month) in [
        (
            "articles/welcome/index.html",
            "Uit het gesprek",
            "2 reacties",
            "Doe mee op het forum",
            "maart",
        ),
        (
            "en/articles/welcome/index.html",
            "From the conversation",
            "2 replies",
            "Join on the forum",
            "March",
        ),
    ] {
        let doc = page(&out, rel);
        let s = doc.select(&sel("section.conversation")).next().unwrap();
        assert_eq!(text(s.select(&sel("h2")).next().unwrap()), title, "{rel}");
        assert_eq!(
            text(s.select(&sel(".conversation__count")).next().unwrap()),
            count
        );
        assert_eq!(
            text(s.select(&sel(".conversation__join a")).next().unwrap()),
            join
        );
        let date = text(s.select(&sel("time")).next().unwrap());
        assert!(date.contains(month), "{rel}: {date}");
    }
}

/// Hostile replies: markup, scripts, comments, quotes, `javascript:` links, bidi
/// overrides, NUL and CR, a huge text, 10,000 replies.
#[test]
fn hostile_replies_are_inert_and_bounded() {
    let (_tmp, site) = hub();
    let nasty_names = [
        "<script>alert(1)</script>",
        "</script><!--<script>alert(3)//",
        "Ma\"lory\" onmouseover=\"alert(4)",
        "\u{202E}nimda\u{202C} Eve",
        "Nul\0l\r",
    ];
    let mut replies: Vec<Reply> = nasty_names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut r = reply(
                &format!("javascript:alert({i})"),
                name,
                &format!("@{name}"),
                "not a date <b>",
                &format!("{name} said <img src=x onerror=alert(5)> \u{202E}txet"),
            );
            r.paragraphs.push(vec![Inline::Link {
                href: " javascript:alert(6)".into(),
                text: "click </p><script>alert(7)</script>".into(),
            }]);
            r
        })
        .collect();
    replies[0].paragraphs.push(vec![Inline::Text {
        text: "é<".repeat(500_000),
    }]);
    // 10,000 more, only `show` of which may reach the page.
    replies.extend((0..10_000).map(|i| {
        reply(
            &format!("https://forum.example.org/t/first-post/12/{}", i + 100),
            &format!("Person {i}"),
            &format!("@p{i}"),
            "2026-11-20T09:15:00Z",
            "Hi",
        )
    }));
    let mut c = conversation(FORUM, Platform::Discourse, 10_005, replies);
    c.join_url = "javascript:alert(8)".into();
    cache::write(&site, &c).unwrap();
    let out = build_ok(&site);
    let html = read(&out, "articles/first/index.html");
    let doc = Html::parse_document(&html);
    let s = doc.select(&sel("section.conversation")).next().unwrap();
    assert_eq!(
        text(s.select(&sel(".conversation__count")).next().unwrap()),
        "10005 replies"
    );
    // `show` (5) replies in all, from the first; names as they were written, isolated
    // (`<bdi>`), without NUL and CR.
    let shown: Vec<String> = s.select(&sel("bdi.reply__name")).map(text).collect();
    assert_eq!(shown[..4], nasty_names[..4]);
    assert_eq!(shown[4], "Null");
    // Nothing runs: no script of theirs, no handler, no javascript: anywhere.
    for script in doc.select(&sel("script")) {
        assert!(!text(script).contains("alert"), "{}", script.html());
    }
    for e in s.descendants().filter_map(ElementRef::wrap) {
        for (name, value) in e.value().attrs() {
            assert!(!name.starts_with("on"), "handler {name} on {}", e.html());
            assert!(!value.contains("javascript"), "{name}={value}");
        }
        let name = e.value().name();
        assert!(
            !["script", "b", "img", "iframe"].contains(&name),
            "{}",
            e.html()
        );
    }
    assert!(
        s.select(&sel(".conversation__join")).next().is_none(),
        "no join link to javascript:"
    );
    // The text is there as text; the comment opener did not open a comment.
    assert!(text(s).contains("</script><!--<script>alert(3)//"));
    assert!(text(s).contains("click </p><script>alert(7)</script>"));
    assert!(!html.contains('\0') && !text(s).contains('\r'));
    // A date that does not read is left out rather than failing the build.
    assert!(s.select(&sel("time")).next().is_none());
    // Bounded: the half-million characters of one reply are not all on the page.
    assert!(html.len() < 200_000, "{} bytes", html.len());
}

#[test]
fn hidden_replies_and_accounts_stay_hidden_from_an_old_cache() {
    let (_tmp, site) = hub();
    // `hub()`'s table again, with the lists.
    let toml = read(&site, "kring.toml");
    let first = toml.find("[discussion]").unwrap();
    write(
        &site,
        "kring.toml",
        format!(
            "{}[discussion]\nfetch = true\noffline = true\nhide = [\"https://forum.example.org/t/first-post/12/5\"]\nhide_accounts = [\"@NOOR\"]\n",
            &toml[..first]
        ),
    );
    let out = build_ok(&site);
    let doc = page(&out, "articles/first/index.html");
    let names: Vec<String> = doc.select(&sel("bdi.reply__name")).map(text).collect();
    // Noor's reply goes, and the answer to it with it; Femke's reply by its URL.
    assert!(names.is_empty(), "{names:?}");
    assert!(doc.select(&sel("section.conversation")).next().is_some());
}

#[test]
fn avatars_are_published_from_the_site_without_metadata() {
    let (tmp, site) = hub();
    let folder = cache::folder(&site).join("avatars");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("noor.jpg"),
        phone_photo(300, 200, image::ImageFormat::Jpeg),
    )
    .unwrap();
    std::fs::write(folder.join("broken.png"), b"not a png").unwrap();
    std::fs::write(
        site.join("secret.png"),
        phone_photo(8, 8, image::ImageFormat::Png),
    )
    .unwrap();
    let mut c = cache::read(&site, FORUM).unwrap();
    // Relative to the site, as the cache keeps them; one that is not an image; one that
    // climbs out of the cache and one given as an absolute path (both dropped when the
    // cache is read: only files directly in the avatars folder are taken).
    c.replies[0].author.avatar = Some(".kring-cache/discussions/avatars/noor.jpg".into());
    c.replies[1].author.avatar = Some(".kring-cache/discussions/avatars/broken.png".into());
    c.replies[0].children[0].author.avatar =
        Some(".kring-cache/discussions/avatars/../../../secret.png".into());
    let mut absolute = c.replies[1].clone();
    absolute.url.push_str("-absolute");
    absolute.author.avatar = Some(site.join("secret.png"));
    c.replies.push(absolute);
    cache::write(&site, &c).unwrap();
    let report = kring::build(&site, &options(), None).unwrap();
    let out = report.output;
    assert!(
        report.warnings.iter().any(|w| w.contains("broken.png")),
        "{:?}",
        report.warnings
    );
    let doc = page(&out, "articles/first/index.html");
    let s = doc.select(&sel("section.conversation")).next().unwrap();
    let imgs: Vec<ElementRef> = s.select(&sel("img")).collect();
    assert_eq!(imgs.len(), 1, "only Noor's avatar is a picture");
    // Addresses are relative to the page (`relative_urls`).
    let page_url = url::Url::parse("https://hub.example.org/articles/first/").unwrap();
    let on_site = |src: &str| {
        let url = page_url.join(src).unwrap();
        assert_eq!(url.host_str(), Some("hub.example.org"), "{src}");
        url.path().trim_start_matches('/').to_string()
    };
    let rel = on_site(imgs[0].value().attr("src").unwrap());
    assert!(rel.starts_with("conversations/avatars/"), "{rel}");
    let bytes = std::fs::read(out.join(&rel)).unwrap();
    assert_no_exif(&bytes, &rel);
    let img = image::load_from_memory(&bytes).unwrap();
    assert_eq!((img.width(), img.height()), (40, 40));
    // A 2x WebP for sharp screens, from the site too.
    let srcset = s
        .select(&sel("source"))
        .next()
        .unwrap()
        .value()
        .attr("srcset")
        .unwrap();
    let big = on_site(
        srcset
            .split(", ")
            .find(|c| c.ends_with(" 80w"))
            .unwrap()
            .split(' ')
            .next()
            .unwrap(),
    );
    let webp = image::load_from_memory(&std::fs::read(out.join(big)).unwrap()).unwrap();
    assert_eq!(webp.width(), 80);
    // The others get initials; nothing of the secret file is published.
    assert_eq!(s.select(&sel(".avatar--initials")).count(), 3);
    assert!(tree(&out).keys().all(|k| !k.contains("secret")));
    // Nothing loads from another host.
    privacy_is_clean(&site, tmp.path());
}

#[test]
fn cards_feeds_and_the_email_edition_carry_the_count() {
    let (_tmp, site) = hub();
    let out = build_ok(&site);
    // The article's card in its list (two to a page) and on its tag's page.
    for rel in ["articles/page/2/index.html", "tags/moderation/index.html"] {
        let counts: Vec<String> = page(&out, rel)
            .select(&sel(".card__replies"))
            .map(text)
            .collect();
        assert_eq!(counts, ["4 replies"], "{rel}");
    }
    assert!(
        page(&out, "articles/index.html")
            .select(&sel(".card__replies"))
            .next()
            .is_none()
    );
    // Feeds: the item's text says so, linked to the conversation.
    for file in ["rss.xml", "atom.xml", "feed.json"] {
        let body = feed_entry_body(&out, file, "First post & <friends>");
        let item = Html::parse_fragment(&body);
        let a = item
            .select(&sel("a"))
            .find(|a| a.value().attr("href") == Some(FORUM))
            .unwrap_or_else(|| panic!("{file}: {body}"));
        assert_eq!(text(a), "4 replies · Join on the forum", "{file}");
    }
    // The email edition links to it, in HTML and text.
    let email = page(&out, "articles/first/email.html");
    let a = email
        .select(&sel("a"))
        .find(|a| a.value().attr("href") == Some(FORUM))
        .expect("the email links to the conversation");
    assert_eq!(text(a), "Join the conversation (4 replies)");
    let plain = read(&out, "articles/first/email.txt");
    assert!(
        plain.contains("Join the conversation (4 replies)"),
        "{plain}"
    );
    assert!(plain.contains(FORUM));
}

#[test]
fn a_page_without_its_conversation_shows_its_link_as_before() {
    let (_tmp, site) = fixture("hub");
    discuss(&site, "content/articles/first.md", FORUM);
    let before = read(&build_ok(&site), "articles/first/index.html");
    discussion(&site, "");
    // Offline with nothing cached: the same page.
    let after = read(&build_ok(&site), "articles/first/index.html");
    assert_eq!(before, after);
    let doc = Html::parse_document(&after);
    assert!(doc.select(&sel("section.conversation")).next().is_none());
    let a = doc.select(&sel("aside.discuss a.button")).next().unwrap();
    assert_eq!(a.value().attr("href"), Some(FORUM));
}

#[test]
fn the_example_site_shows_three_conversations_and_stays_private() {
    let (tmp, site) = fixture("example-site");
    let out = build_ok(&site);
    // Two articles and an event, each in Dutch and English: (page, where to join).
    let mut shown: Vec<(String, String)> = Vec::new();
    for e in walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !e.path().ends_with("index.html") {
            continue;
        }
        let doc = Html::parse_document(&std::fs::read_to_string(e.path()).unwrap());
        let Some(s) = doc.select(&sel("section.conversation")).next() else {
            continue;
        };
        assert!(s.select(&sel(".reply bdi")).next().is_some());
        let join = s.select(&sel(".conversation__join a")).next().unwrap();
        shown.push((
            e.path().strip_prefix(&out).unwrap().display().to_string(),
            join.value().attr("href").unwrap().to_string(),
        ));
    }
    shown.sort();
    let threads: std::collections::BTreeSet<&str> = shown.iter().map(|(_, j)| j.as_str()).collect();
    assert_eq!((shown.len(), threads.len()), (6, 3), "{shown:?}");
    assert!(
        shown.iter().any(|(p, _)| p.starts_with("events/")),
        "{shown:?}"
    );
    // Their avatars are the site's own.
    let burnout = read(&out, "articles/moderator-burnout/index.html");
    assert!(burnout.contains("src=\"../../conversations/avatars/"));
    privacy_is_clean(&site, tmp.path());
}

/// `kring serve` and the editor never wait on another host: their builds read the cache,
/// even with `cache_hours = 0` (which makes `kring build` ask every time).
#[test]
fn the_editor_reads_the_cache_only() {
    let (_tmp, site) = fixture("hub");
    let host = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    host.set_nonblocking(true).unwrap();
    let addr = host.local_addr().unwrap();
    let topic = format!("http://{addr}/t/first-post/12");
    let toml = read(&site, "kring.toml");
    write(
        &site,
        "kring.toml",
        format!(
            "{toml}\n[discussion]\nfetch = true\ncache_hours = 0\nhosts = [\"http://{addr}\"]\n"
        ),
    );
    discuss(&site, "content/articles/first.md", &topic);
    kring::cms::config::read_site(&site).unwrap();
    // The editor's model asked the host nothing (`kring serve` asks it in the background
    // after its first build: discussions_fetch::kring_serve_shows_the_cache_then_the_hosts_answer).
    let asked = host.accept();
    assert!(
        matches!(&asked, Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "{asked:?}"
    );
}
