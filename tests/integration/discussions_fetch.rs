//! Fetching conversations (#25) from a server this test starts on 127.0.0.1 that answers
//! like a Discourse forum, a Mastodon server and Bluesky's AppView (fixtures in
//! tests/fixtures/discussions/, in each API's format), counting the requests: what
//! `gather` returns, what it keeps in the cache, what it never asks, and hostile replies.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kring::config::DiscussionConfig;
use kring::discussions::{self, Conversation, Fetching, Gathered, Inline, Platform, Reply};

use crate::common;

struct Server {
    base: String,
    hits: Arc<Mutex<BTreeMap<String, usize>>>,
    /// While set, every connection is closed unanswered (the host "is gone").
    gone: Arc<AtomicBool>,
}

fn fixture(name: &str, base: &str) -> Vec<u8> {
    let path = common::repo().join("tests/fixtures/discussions").join(name);
    std::fs::read_to_string(path)
        .unwrap()
        .replace("{{BASE}}", base)
        .into_bytes()
}

fn image(format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(8, 8, image::Rgb([200, 80, 40]))
        .write_to(&mut out, format)
        .unwrap();
    out.into_inner()
}

/// Discourse's JSON of a post numbered `n` of the 10,000-post topic 999: the first page's
/// replies are all by an account the site hides, so `gather` has to page on.
fn big_post(n: u64) -> serde_json::Value {
    serde_json::json!({
        "id": n, "name": format!("Person {n}"), "username": if n <= 20 { "spammer".to_string() } else { format!("p{n}") },
        "avatar_template": "/letter_avatar_proxy/v4/letter/p/e56c9b/{size}.png",
        "created_at": "2026-11-01T12:00:00.000Z", "cooked": format!("<p>Reply {n}</p>"),
        "post_number": n, "post_type": 1, "reply_to_post_number": null, "hidden": false,
        "deleted_at": null, "user_deleted": false, "topic_id": 999, "actions_summary": []
    })
}

fn answer(path: &str, hit: usize, base: &str) -> (String, &'static str, Vec<u8>) {
    let ok = |body: Vec<u8>| {
        (
            "200 OK".to_string(),
            "application/json; charset=utf-8",
            body,
        )
    };
    let route = path.split('?').next().unwrap_or_default();
    let query = path.split_once('?').map(|(_, q)| q).unwrap_or_default();
    match route {
        "/t/123.json" | "/forum/t/123.json" => ok(fixture("discourse-topic.json", base)),
        "/t/777.json" if hit == 1 => ("429 Too Many Requests\r\nRetry-After: 1".into(), "text/plain", b"slow down".to_vec()),
        "/t/777.json" => ok(fixture("discourse-topic.json", base)),
        "/t/888.json" => ("429 Too Many Requests\r\nRetry-After: 3600".into(), "text/plain", Vec::new()),
        "/t/999.json" => {
            let posts: Vec<_> = (1..=20).map(big_post).collect();
            ok(serde_json::to_vec(&serde_json::json!({
                "post_stream": {"posts": posts, "stream": (1..=10_000).collect::<Vec<u64>>()},
                "id": 999, "title": "Busy", "slug": "busy", "posts_count": 10_000, "chunk_size": 20
            }))
            .unwrap())
        }
        "/t/999/posts.json" => {
            let posts: Vec<_> = query
                .split('&')
                .filter_map(|p| p.split_once('=').and_then(|(_, v)| v.parse().ok()))
                .map(big_post)
                .collect();
            ok(serde_json::to_vec(&serde_json::json!({"post_stream": {"posts": posts}, "id": 999})).unwrap())
        }
        "/t/555.json" | "/api/v1/statuses/555" => {
            // A host that accepts the connection and never answers.
            std::thread::sleep(Duration::from_secs(30));
            ok(Vec::new())
        }
        "/api/v1/statuses/113500000000000001" => ok(fixture("mastodon-status.json", base)),
        "/api/v1/statuses/113500000000000001/context" => ok(fixture("mastodon-context.json", base)),
        "/xrpc/com.atproto.identity.resolveHandle" if query == "handle=kring.example.org" => {
            ok(fixture("bluesky-resolve-handle.json", base))
        }
        "/xrpc/app.bsky.feed.getPostThread"
            if query.starts_with("uri=at%3A%2F%2Fdid%3Aplc%3Akringhub7xq2a%2Fapp.bsky.feed.post%2F3lroot2kring&depth=") =>
        {
            ok(fixture("bluesky-thread.json", base))
        }
        "/t/666.json" => {
            // Larger than any topic kring reads: refused, not read whole.
            let mut body = b"{\"post_stream\": {\"posts\": [], \"stream\": [".to_vec();
            body.resize(9 * 1024 * 1024, b' ');
            ok(body)
        }
        r if r.starts_with("/avatars/huge") => {
            let mut png = image(image::ImageFormat::Png);
            png.resize(2 * 1024 * 1024, 0);
            ("200 OK".into(), "image/png", png)
        }
        "/avatars/sam.jpg" => ("200 OK".into(), "image/jpeg", image(image::ImageFormat::Jpeg)),
        r if r.starts_with("/avatars/not-an-image") => ("200 OK".into(), "image/png", b"<html>no</html>".to_vec()),
        r if r.starts_with("/avatars/") => ("200 OK".into(), "image/png", image(image::ImageFormat::Png)),
        _ => ("404 Not Found".into(), "application/json", b"{\"errors\":[\"not found\"]}".to_vec()),
    }
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let hits: Arc<Mutex<BTreeMap<String, usize>>> = Arc::default();
        let gone = Arc::new(AtomicBool::new(false));
        let (counted, closed, own) = (hits.clone(), gone.clone(), base.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let (counted, closed, base) = (counted.clone(), closed.clone(), own.clone());
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut line = String::new();
                    let _ = reader.read_line(&mut line);
                    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                    let mut header = String::new();
                    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                        header.clear();
                    }
                    if closed.load(Ordering::SeqCst) {
                        return;
                    }
                    let hit = {
                        let mut hits = counted.lock().unwrap();
                        let n = hits.entry(path.clone()).or_default();
                        *n += 1;
                        *n
                    };
                    let (status, content_type, body) = answer(&path, hit, &base);
                    let head = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(head.as_bytes());
                    let _ = stream.write_all(&body);
                });
            }
        });
        Server { base, hits, gone }
    }

    fn requests(&self) -> usize {
        self.hits.lock().unwrap().values().sum()
    }

    fn hits(&self, prefix: &str) -> usize {
        let hits = self.hits.lock().unwrap();
        hits.iter()
            .filter(|(p, _)| p.starts_with(prefix))
            .map(|(_, n)| n)
            .sum()
    }

    fn config(&self) -> DiscussionConfig {
        DiscussionConfig {
            fetch: true,
            hosts: vec![self.base.clone()],
            show: 10,
            ..DiscussionConfig::default()
        }
    }
}

fn quick() -> Fetching {
    Fetching {
        timeout: Duration::from_secs(5),
        ..Fetching::default()
    }
}

fn gather(site: &Path, config: &DiscussionConfig, urls: &[String]) -> Gathered {
    discussions::gather_with(site, config, urls, &quick())
}

fn text(reply: &Reply) -> String {
    reply
        .paragraphs
        .iter()
        .map(|p| {
            p.iter()
                .map(|i| match i {
                    Inline::Text { text } | Inline::Link { text, .. } => text.as_str(),
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn names(replies: &[Reply]) -> Vec<String> {
    replies.iter().map(|r| r.author.name.clone()).collect()
}

fn one(g: &Gathered, url: &str) -> Conversation {
    g.conversations
        .get(url)
        .unwrap_or_else(|| panic!("no conversation for {url}: {:?}", g.warnings))
        .clone()
}

#[test]
fn discourse_public_replies_nested_one_level() {
    let server = Server::start();
    let site = tempfile::tempdir().unwrap();
    let url = format!("{}/t/fietsdag-2026/123", server.base);
    let mut config = server.config();
    config.hide_accounts = vec!["@troll".into()];
    let g = gather(site.path(), &config, std::slice::from_ref(&url));
    assert!(g.warnings.is_empty(), "{:?}", g.warnings);
    let c = one(&g, &url);
    assert_eq!(c.platform, Platform::Discourse);
    assert_eq!(c.join_url, url);
    // posts_count 9 less the topic's own post; hidden and deleted ones are not the
    // forum's to count, and kring takes its count.
    assert_eq!(c.reply_count, 8);
    // Hidden (3), deleted by author (4) or moderator (5), the "closed" line (7) and the
    // hidden account (8) are not there; Carla (9, reply to 6, reply to 2) is lifted under
    // Anna.
    assert_eq!(names(&c.replies), ["Anna de Vries", "Dirk"]);
    let anna = &c.replies[0];
    assert_eq!(names(&anna.children), ["bert", "Carla"]);
    assert!(anna.children.iter().all(|r| r.children.is_empty()));
    assert_eq!(anna.author.handle, "@anna");
    assert_eq!(anna.published, "2026-11-02T10:15:30Z");
    assert_eq!(anna.children[1].published, "2026-11-03T07:00:00Z");
    assert_eq!(anna.url, format!("{}/t/fietsdag-2026/123/2", server.base));
    assert_eq!(
        anna.paragraphs[0],
        vec![
            Inline::Text {
                text: "Great day! Photos are on ".into()
            },
            Inline::Link {
                href: "https://photos.example.org/fietsdag".into(),
                text: "my album".into()
            },
            Inline::Text { text: ".".into() },
        ]
    );
    assert_eq!(
        text(anna),
        "Great day! Photos are on my album.\nSee you next year :bike:"
    );
    // Anna's avatar is an image, downloaded; Carla's answer is not one; letters are none.
    let avatar = anna.author.avatar.as_ref().expect("Anna's avatar");
    assert!(avatar.starts_with(site.path().join(".kring-cache/discussions/avatars")));
    assert_eq!(imagesize::size(avatar).unwrap().width, 8);
    assert_eq!(anna.children[1].author.avatar, None);
    // A letter avatar is none, and one over 1 MiB is not kept.
    assert_eq!(anna.children[0].author.avatar, None);
    assert_eq!(c.replies[1].author.avatar, None);
    assert_eq!(server.hits("/avatars/huge"), 1);
    assert_eq!(
        server.hits("/avatars/troll"),
        0,
        "a hidden account's avatar is not asked"
    );
    // Under a forum in a sub-folder, the API is asked there too.
    let sub = format!("{}/forum/t/fietsdag-2026/123/4", server.base);
    let g = gather(site.path(), &config, std::slice::from_ref(&sub));
    assert_eq!(
        one(&g, &sub).replies[0].url,
        format!("{}/forum/t/fietsdag-2026/123/2", server.base)
    );
}

#[test]
fn mastodon_public_statuses_only() {
    let server = Server::start();
    let site = tempfile::tempdir().unwrap();
    let url = format!("{}/@kring/113500000000000001", server.base);
    let g = gather(site.path(), &server.config(), std::slice::from_ref(&url));
    let c = one(&g, &url);
    assert_eq!(c.platform, Platform::Mastodon);
    assert_eq!(c.join_url, url);
    // Four public descendants; unlisted, followers-only and direct ones are not counted.
    assert_eq!(c.reply_count, 4);
    assert_eq!(names(&c.replies), ["Joost 🔧", "Joost 🔧", "Eve evil"]);
    let host = server
        .base
        .trim_start_matches("http://")
        .split(':')
        .next()
        .unwrap()
        .to_string();
    let joost = &c.replies[0];
    assert_eq!(joost.author.handle, format!("@joost@{host}"));
    assert_eq!(joost.published, "2026-11-10T18:05:00Z");
    assert_eq!(
        joost.url,
        format!("{}/@joost/113500000000000002", server.base)
    );
    assert_eq!(
        text(joost),
        "@kring My toaster! See repair.example.org/toaste…"
    );
    assert!(joost.paragraphs[0].contains(&Inline::Link {
        href: "https://repair.example.org/toasters".into(),
        text: "repair.example.org/toaste…".into()
    }));
    assert!(joost.author.avatar.is_some());
    let mila = &joost.children[0];
    assert_eq!(
        (mila.author.name.as_str(), mila.author.handle.as_str()),
        ("Mila", "@mila@other.example")
    );
    assert_eq!(
        mila.author.avatar, None,
        "Mastodon's missing.png is no avatar"
    );
    // Behind a content warning: the warning only.
    assert_eq!(text(&c.replies[1]), "⚠ Broken glass …");
    let all = format!("{c:?}");
    assert!(!all.contains("not shown"), "{all}");
}

#[test]
fn bluesky_thread_from_the_listed_hosts_xrpc() {
    let server = Server::start();
    let site = tempfile::tempdir().unwrap();
    let url = format!(
        "{}/profile/kring.example.org/post/3lroot2kring",
        server.base
    );
    let g = gather(site.path(), &server.config(), std::slice::from_ref(&url));
    let c = one(&g, &url);
    assert_eq!(c.platform, Platform::Bluesky);
    assert_eq!(server.hits("/xrpc/com.atproto.identity.resolveHandle"), 1);
    // Not found, blocked and logged-in-only replies are left out.
    assert_eq!(c.reply_count, 2);
    assert_eq!(names(&c.replies), ["Sam"]);
    let sam = &c.replies[0];
    assert_eq!(sam.author.handle, "@sam.example.net");
    assert_eq!(
        sam.url,
        format!("{}/profile/sam.example.net/post/3lreply1sam", server.base)
    );
    assert_eq!(sam.published, "2026-11-12T08:30:00Z");
    assert_eq!(
        sam.paragraphs[0],
        vec![
            Inline::Text {
                text: "Lovely write-up 🚲 details at ".into()
            },
            Inline::Link {
                href: "https://example.org/route".into(),
                text: "example.org/route".into()
            },
            Inline::Text {
                text: " and more".into()
            },
        ]
    );
    let avatar = sam.author.avatar.as_ref().unwrap();
    assert_eq!(avatar.extension().unwrap(), "jpg");
    let noor = &sam.children[0];
    assert_eq!(
        (noor.author.name.as_str(), text(noor).as_str()),
        ("Noor", "Agree!\nSecond paragraph.")
    );
    assert_eq!(noor.author.avatar, None);
}

#[test]
fn the_cache_spares_requests_and_stands_in_for_a_host_that_is_gone() {
    let server = Server::start();
    let site = tempfile::tempdir().unwrap();
    let urls = vec![
        format!("{}/t/fietsdag-2026/123", server.base),
        format!("{}/@kring/113500000000000001", server.base),
    ];
    let config = server.config();
    let first = gather(site.path(), &config, &urls);
    assert_eq!(first.conversations.len(), 2);
    let asked = server.requests();
    // Fresh: no request.
    let second = gather(site.path(), &config, &urls);
    assert_eq!(server.requests(), asked);
    assert_eq!(second.conversations, first.conversations);
    // The cache file reads as JSON of its own.
    let files: Vec<_> = std::fs::read_dir(site.path().join(".kring-cache/discussions"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .collect();
    assert_eq!(files.len(), 2);
    for f in files {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(f.path()).unwrap()).unwrap();
        assert!(urls.contains(&v["url"].as_str().unwrap().to_string()));
    }
    // Offline: never asks, even when the cache is old.
    let offline = DiscussionConfig {
        offline: true,
        cache_hours: 0,
        ..config.clone()
    };
    let g = gather(site.path(), &offline, &urls);
    assert_eq!((server.requests(), g.conversations.len()), (asked, 2));
    assert!(g.warnings.is_empty(), "{:?}", g.warnings);
    // Cache only (kring serve's first build): the same.
    let how = Fetching {
        cache_only: true,
        ..quick()
    };
    let every = DiscussionConfig {
        cache_hours: 0,
        ..config.clone()
    };
    let g = discussions::gather_with(site.path(), &every, &urls, &how);
    assert_eq!((server.requests(), g.conversations.len()), (asked, 2));
    // Asked every build, the host gone: the cache, with how old it is.
    server.gone.store(true, Ordering::SeqCst);
    let g = gather(site.path(), &every, &urls);
    assert_eq!(g.conversations, first.conversations);
    assert_eq!(g.warnings.len(), 2, "{:?}", g.warnings);
    for w in &g.warnings {
        assert!(
            w.contains("could not be fetched") && w.contains("showing the replies fetched"),
            "{w}"
        );
        assert!(
            w.contains(" seconds ago") || w.contains(" second ago"),
            "{w}"
        );
    }
    // Not in the cache and the host gone: a warning naming the URL, no conversation.
    let other = vec![format!("{}/t/other/124", server.base)];
    let g = gather(site.path(), &every, &other);
    assert!(g.conversations.is_empty());
    assert!(
        g.warnings[0].contains(&other[0]) && g.warnings[0].contains("shows the link only"),
        "{:?}",
        g.warnings
    );
    let g = gather(site.path(), &offline, &other);
    assert!(
        g.conversations.is_empty() && g.warnings[0].contains("offline"),
        "{:?}",
        g.warnings
    );
}

#[test]
fn hidden_replies_and_accounts_are_left_out_before_show() {
    let server = Server::start();
    let site = tempfile::tempdir().unwrap();
    let topic = format!("{}/t/fietsdag-2026/123", server.base);
    let status = format!("{}/@kring/113500000000000001", server.base);
    let config = DiscussionConfig {
        hide: vec![format!("{}/t/fietsdag-2026/123/2/?u=someone", server.base)],
        hide_accounts: vec![
            "@TROLL".into(),
            "@Bert@127.0.0.1".into(),
            "@mila@OTHER.example".into(),
            "@eve@evil.example".into(),
        ],
        show: 2,
        ..server.config()
    };
    let g = gather(site.path(), &config, &[topic.clone(), status.clone()]);
    let c = one(&g, &topic);
    // Anna's post hidden by URL, Bert's by account: Carla (reply to Bert) stands alone.
    assert_eq!(names(&c.replies), ["Carla", "Dirk"]);
    assert_eq!(c.reply_count, 8, "hidden replies still count");
    let m = one(&g, &status);
    assert_eq!(names(&m.replies), ["Joost 🔧", "Joost 🔧"]);
    assert!(m.replies[0].children.is_empty());
}

#[test]
fn hosts_not_listed_and_other_urls_are_never_asked() {
    let server = Server::start();
    let site = tempfile::tempdir().unwrap();
    let port: u16 = server.base.rsplit(':').next().unwrap().parse().unwrap();
    let config = DiscussionConfig {
        hosts: vec![
            format!("http://127.0.0.1:{}", port.wrapping_add(1)),
            "localhost".into(),
        ],
        ..server.config()
    };
    let urls = vec![
        format!("{}/t/fietsdag-2026/123", server.base),
        format!("http://localhost:{port}/@kring/113500000000000001"),
        format!("{}/about", server.base),
        format!("{}/t/not-a-topic", server.base),
        "javascript:alert(1)".into(),
        "not a url".into(),
    ];
    let g = gather(site.path(), &config, &urls);
    assert_eq!(server.requests(), 0);
    assert!(g.conversations.is_empty());
    assert_eq!(g.warnings.len(), 2, "{:?}", g.warnings);
    assert!(
        g.warnings
            .iter()
            .all(|w| w.contains("is not in [discussion] hosts")),
        "{:?}",
        g.warnings
    );
    // Fetching off: nothing at all.
    let off = DiscussionConfig {
        fetch: false,
        ..server.config()
    };
    assert!(gather(site.path(), &off, &urls).conversations.is_empty());
    assert_eq!(server.requests(), 0);
}

#[test]
fn a_host_that_never_answers_times_out_and_is_not_asked_again() {
    let server = Server::start();
    let site = tempfile::tempdir().unwrap();
    let urls = vec![
        format!("{}/t/slow/555", server.base),
        format!("{}/@kring/555", server.base),
    ];
    let how = Fetching {
        timeout: Duration::from_millis(300),
        ..Fetching::default()
    };
    let g = discussions::gather_with(site.path(), &server.config(), &urls, &how);
    assert!(g.conversations.is_empty());
    assert_eq!(g.warnings.len(), 2, "{:?}", g.warnings);
    assert!(
        g.warnings
            .iter()
            .any(|w| w.contains("no answer within 0.3 s")),
        "{:?}",
        g.warnings
    );
    assert!(
        g.warnings.iter().any(|w| w.contains("not asked")),
        "{:?}",
        g.warnings
    );
    assert_eq!(server.requests(), 1);
}

#[test]
fn busy_hosts_are_asked_again_after_retry_after_within_bounds() {
    let server = Server::start();
    let site = tempfile::tempdir().unwrap();
    let url = format!("{}/t/busy/777", server.base);
    let g = gather(site.path(), &server.config(), std::slice::from_ref(&url));
    assert!(g.warnings.is_empty(), "{:?}", g.warnings);
    assert_eq!(one(&g, &url).replies.len(), 3);
    assert_eq!(server.hits("/t/777.json"), 2);
    // A wait longer than kring's bound: given up on at once, with a warning.
    let url = format!("{}/t/busy/888", server.base);
    let g = gather(site.path(), &server.config(), std::slice::from_ref(&url));
    assert!(g.conversations.is_empty());
    assert!(
        g.warnings[0].contains("429") && g.warnings[0].contains("3600 s"),
        "{:?}",
        g.warnings
    );
    assert_eq!(server.hits("/t/888.json"), 1);
}

#[test]
fn a_thread_of_ten_thousand_replies_costs_a_few_requests() {
    let server = Server::start();
    let site = tempfile::tempdir().unwrap();
    let url = format!("{}/t/busy/999", server.base);
    let config = DiscussionConfig {
        show: 5,
        hide_accounts: vec!["@spammer".into()],
        ..server.config()
    };
    let g = gather(site.path(), &config, std::slice::from_ref(&url));
    let c = one(&g, &url);
    assert_eq!(c.reply_count, 9_999);
    assert_eq!(
        names(&c.replies),
        [
            "Person 21",
            "Person 22",
            "Person 23",
            "Person 24",
            "Person 25"
        ]
    );
    // The topic, then one page of 20 further posts.
    assert_eq!(server.hits("/t/999"), 2);
    // However many are hidden, the pages asked are bounded.
    let config = DiscussionConfig {
        hide_accounts: (1..=100)
            .map(|n| format!("@p{n}"))
            .chain(["@spammer".into()])
            .collect(),
        cache_hours: 0,
        ..config
    };
    let g = gather(site.path(), &config, std::slice::from_ref(&url));
    assert!(one(&g, &url).replies.is_empty());
    assert_eq!(server.hits("/t/999"), 2 + 4);
}

#[test]
fn hostile_replies_are_reduced_to_inert_bounded_text() {
    let server = Server::start();
    let site = tempfile::tempdir().unwrap();
    let url = format!("{}/@kring/113500000000000001", server.base);
    let g = gather(site.path(), &server.config(), std::slice::from_ref(&url));
    let eve = one(&g, &url)
        .replies
        .into_iter()
        .find(|r| r.author.handle == "@eve@evil.example")
        .unwrap();
    // NUL parts the name like a space; the override and isolate are gone.
    assert_eq!(eve.author.name, "Eve evil");
    let all = text(&eve);
    assert!(
        all.starts_with("evil click data rel</script><script>alert(2)</script> nulhere\nlong long"),
        "{all}"
    );
    assert_eq!(all.replace('\n', "").chars().count(), 2_000);
    assert!(all.ends_with('…'));
    for bad in [
        "alert(1)",
        "alert(3)",
        "alert(4)",
        "display:none",
        "frame",
        "\u{202e}",
        "\u{202c}",
        "\u{2066}",
        "\0",
    ] {
        assert!(
            !all.contains(bad) && !eve.author.name.contains(bad),
            "{bad:?} in {all}"
        );
    }
    // An answer over 8 MiB is refused (and warned about), not read whole.
    let big = format!("{}/t/big/666", server.base);
    let g = gather(site.path(), &server.config(), std::slice::from_ref(&big));
    assert!(g.conversations.is_empty());
    assert!(
        g.warnings[0].contains("larger than 8 MiB"),
        "{:?}",
        g.warnings
    );
    let links: Vec<&Inline> = eve
        .paragraphs
        .iter()
        .flatten()
        .filter(|i| matches!(i, Inline::Link { .. }))
        .collect();
    assert!(links.is_empty(), "{links:?}");
}

#[test]
fn hosts_that_are_not_hosts_are_config_errors_naming_the_entry() {
    for bad in [
        "ftp://forum.example.org",
        "forum.example.org/t/1",
        "*.example.org",
        "user@host.example",
    ] {
        let text = format!(
            "base_url = \"https://example.org/\"\ntitle = \"T\"\n\n[discussion]\nfetch = true\nhosts = [\"bsky.app\", \"{bad}\"]\n"
        );
        let e = kring::config::Config::parse(&text, Path::new("kring.toml")).expect_err(bad);
        let message = e.to_string();
        assert!(
            message.contains(&format!("`{bad}`")) && message.contains("[discussion] hosts"),
            "{message}"
        );
    }
    let text = "base_url = \"https://example.org/\"\ntitle = \"T\"\n[discussion]\nhosts = [\"forum.example.org\", \"mastodon.social:8443\", \"http://127.0.0.1:8080\"]\n";
    assert!(kring::config::Config::parse(text, Path::new("kring.toml")).is_ok());
}

#[test]
fn platforms_are_told_by_the_shape_of_the_url() {
    let p = discussions::platform_of;
    assert_eq!(
        p("https://forum.example.org/t/slug/123"),
        Some(Platform::Discourse)
    );
    assert_eq!(
        p("https://mastodon.social/@kring/113500000000000001"),
        Some(Platform::Mastodon)
    );
    assert_eq!(
        p("https://mastodon.social/users/t/statuses/1"),
        Some(Platform::Mastodon)
    );
    assert_eq!(
        p("https://bsky.app/profile/kring.example.org/post/3lroot2kring"),
        Some(Platform::Bluesky)
    );
    for none in [
        "https://example.org/blog/post",
        "https://chat.example.org/#/room",
        "mailto:x@example.org",
        "ftp://forum.example.org/t/x/1",
    ] {
        assert_eq!(p(none), None, "{none}");
    }
}

#[test]
fn serve_refreshes_in_the_background_and_builds_read_the_cache() {
    let server = Server::start();
    let site = tempfile::tempdir().unwrap();
    let url = format!("{}/@kring/113500000000000001", server.base);
    let urls = vec![url.clone()];
    let cache_only = Fetching {
        cache_only: true,
        ..quick()
    };
    // The first build of `kring serve` asks nothing and has nothing yet.
    let g = discussions::gather_with(site.path(), &server.config(), &urls, &cache_only);
    assert!(g.conversations.is_empty() && g.warnings.is_empty());
    assert_eq!(server.requests(), 0);
    let (tx, rx) = std::sync::mpsc::channel();
    discussions::refresh_in_background(
        site.path().to_path_buf(),
        server.config(),
        urls.clone(),
        move |g| {
            tx.send(g).unwrap();
        },
    )
    .unwrap()
    .join()
    .unwrap();
    let fetched = rx.recv().unwrap();
    assert_eq!(one(&fetched, &url).replies.len(), 3);
    // The rebuild after it reads what the refresh kept.
    let g = discussions::gather_with(site.path(), &server.config(), &urls, &cache_only);
    assert_eq!(g.conversations, fetched.conversations);
}

#[test]
fn kring_serve_shows_the_cache_then_the_hosts_answer() {
    let server = Server::start();
    let (_tmp, site) = common::fixture("hub");
    let url = format!("{}/@kring/113500000000000001", server.base);
    let toml = common::read(&site, "kring.toml");
    common::write(
        &site,
        "kring.toml",
        format!(
            "{toml}\n[discussion]\nfetch = true\ncache_hours = 0\nshow = 10\nhosts = [\"{}\"]\n",
            server.base
        ),
    );
    let rel = "content/articles/first.md";
    let text = common::read(&site, rel);
    let rest = text.strip_prefix("+++\n").unwrap();
    common::write(&site, rel, format!("+++\ndiscuss = \"{url}\"\n{rest}"));
    // What an earlier run kept: one reply.
    let mut kept = one(
        &gather(&site, &server.config(), std::slice::from_ref(&url)),
        &url,
    );
    let first_requests = server.requests();
    let names = |c: &Conversation| {
        c.replies
            .iter()
            .map(|r| 1 + r.children.len())
            .sum::<usize>()
    };
    let all = names(&kept);
    kept.replies.truncate(1);
    let few = names(&kept);
    assert!(few < all);
    kept.reply_count = 1;
    discussions::cache::write(&site, &kept).unwrap();
    let mut options = kring::serve::ServeOptions::new(&site);
    options.port = 0;
    let dev = kring::serve::DevServer::start(&options).unwrap();
    dev.wait_built();
    let page = dev.out.join("articles/first/index.html");
    let replies_shown = || {
        let html = std::fs::read_to_string(&page).unwrap_or_default();
        let doc = scraper::Html::parse_document(&html);
        let sel = scraper::Selector::parse("bdi.reply__name").unwrap();
        doc.select(&sel).count()
    };
    // The first build served the cache without waiting on the host …
    let at_first = replies_shown();
    // … then the host was asked in the background, and the page built again with its answer.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while replies_shown() != all && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(at_first == few || at_first == all, "{at_first}");
    assert_eq!(replies_shown(), all, "the refreshed conversation is served");
    assert!(server.requests() > first_requests, "the host was asked");
}
