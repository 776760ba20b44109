//! The dev server over real HTTP: content types, 404s, path traversal, and edits served
//! without a restart, with build errors pushed to the browser over the WebSocket.

use crate::common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use common::*;
use kring::serve::{DevServer, ServeOptions};

struct Response {
    status: u16,
    headers: String,
    body: String,
}

/// A raw HTTP/1.1 GET, so the path goes out exactly as written (clients normalize `..`).
fn get(addr: SocketAddr, path: &str) -> Response {
    request(addr, path, &format!("Host: {addr}\r\n"))
}

fn content_type(r: &Response) -> &str {
    r.headers
        .lines()
        .find_map(|l| l.strip_prefix("content-type: "))
        .unwrap_or("")
}

fn start(site: &std::path::Path) -> DevServer {
    let mut options = ServeOptions::new(site);
    options.port = 0;
    options.now = Some(NOW.parse().unwrap());
    DevServer::start(&options).unwrap_or_else(|e| panic!("serve failed: {e}"))
}

/// Polls `path` until `done` holds (the watcher and rebuild run in the background).
fn eventually(addr: SocketAddr, path: &str, done: impl Fn(&Response) -> bool) -> Response {
    let started = Instant::now();
    loop {
        let r = get(addr, path);
        if done(&r) {
            return r;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "timed out waiting on {path}: {} {}",
            r.status,
            r.body
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serves_the_site_with_the_right_content_types() {
    let (_tmp, site) = fixture("hub");
    let server = start(&site);
    assert!(server.addr.ip().is_loopback(), "binds 127.0.0.1 by default");
    assert!(
        !site.join("public").exists(),
        "serve must not write into the site's public/"
    );
    let cases = [
        ("/", "text/html"),
        ("/articles/first/", "text/html"),
        ("/kring.css", "text/css"),
        ("/logo.svg", "image/svg+xml"),
        ("/rss.xml", "application/rss+xml"),
        ("/atom.xml", "application/atom+xml"),
        ("/feed.json", "application/feed+json"),
        ("/events/calendar.ics", "text/calendar"),
        ("/events/meetup/meetup.ics", "text/calendar"),
        ("/sitemap.xml", "application/xml"),
        ("/__kring/live-reload.js", "text/javascript"),
    ];
    for (path, expected) in cases {
        let r = get(server.addr, path);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            content_type(&r).starts_with(expected),
            "{path}: {}",
            content_type(&r)
        );
        assert!(
            !r.headers.contains("access-control-allow-origin"),
            "{path} sends CORS headers"
        );
    }
    // Pages link to the local server, whatever base_url says.
    let home = get(server.addr, "/");
    assert!(home.body.contains(&server.url) && !home.body.contains("hub.example.org"));
    assert!(
        home.body.contains("/__kring/live-reload.js"),
        "live reload is injected"
    );
}

#[test]
fn missing_pages_get_the_theme_404_and_folders_redirect() {
    let (_tmp, site) = fixture("hub");
    let server = start(&site);
    let r = get(server.addr, "/no/such/page/");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("<html"), "the theme's 404 page");
    let r = get(server.addr, "/articles");
    assert!(matches!(r.status, 301 | 307 | 308), "{}", r.status);
    assert!(r.headers.contains("location: /articles/"));
}

#[test]
fn never_serves_a_file_outside_the_build() {
    let (tmp, site) = fixture("hub");
    std::fs::write(tmp.path().join("secret.txt"), "TOP SECRET").unwrap();
    let server = start(&site);
    server.wait_built();
    // A link inside the served folder pointing out of it.
    #[cfg(unix)]
    std::os::unix::fs::symlink(tmp.path(), server.out.join("escape")).unwrap();
    for path in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..\\..\\etc\\passwd",
        "/..%5c..%5cetc%5cpasswd",
        "/escape/secret.txt",
        "/escape/site/kring.toml",
    ] {
        let r = get(server.addr, path);
        assert!(r.status == 404 || r.status == 400, "{path}: {}", r.status);
        assert!(
            !r.body.contains("TOP SECRET") && !r.body.contains("root:"),
            "{path} leaked a file"
        );
    }
}

#[test]
fn edits_new_files_deletions_and_errors_reach_the_browser() {
    let (_tmp, site) = fixture("hub");
    let server = start(&site);
    let (mut socket, _) = tungstenite::connect(format!("ws://{}/__kring/ws", server.addr)).unwrap();
    socket.get_ref();

    // An edit is served without a restart, in the page and the lists that show it.
    let first = std::fs::read_to_string(site.join("content/articles/first.md")).unwrap();
    let edited = first
        .replace("First paragraph", "Freshly edited paragraph")
        .replace("The first one", "A fresh description");
    write(&site, "content/articles/first.md", &edited);
    eventually(server.addr, "/articles/first/", |r| {
        r.body.contains("Freshly edited paragraph")
    });
    eventually(server.addr, "/articles/page/2/", |r| {
        r.body.contains("A fresh description")
    });
    eventually(server.addr, "/tags/growth/", |r| {
        r.body.contains("A fresh description")
    });
    eventually(server.addr, "/rss.xml", |r| {
        r.body.contains("Freshly edited paragraph")
    });
    let notice = socket.read().unwrap().into_text().unwrap();
    assert!(notice.contains("reload"), "{notice}");

    // A broken file keeps the last good page and pushes the error, with file and line.
    write(
        &site,
        "content/articles/first.md",
        edited.replace("date = 2026-01-10", "date = 2026-01-99"),
    );
    let notice = socket.read().unwrap().into_text().unwrap();
    assert!(
        notice.contains("\"error\"") && notice.contains("content/articles/first.md:4:8"),
        "{notice}"
    );
    let r = get(server.addr, "/articles/first/");
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains("Freshly edited paragraph"),
        "the last good build stays"
    );

    // A tab that connects now is told about the error at once.
    let (mut late, _) = tungstenite::connect(format!("ws://{}/__kring/ws", server.addr)).unwrap();
    assert!(
        late.read()
            .unwrap()
            .into_text()
            .unwrap()
            .contains("\"error\"")
    );

    // Fixing it clears the error.
    write(&site, "content/articles/first.md", &first);
    let notice = socket.read().unwrap().into_text().unwrap();
    assert!(notice.contains("reload"), "{notice}");
    eventually(server.addr, "/articles/first/", |r| {
        r.body.contains("First paragraph")
    });

    // New and deleted pages.
    write(
        &site,
        "content/articles/brand-new.md",
        "+++\ntitle = \"Brand new\"\ndate = 2026-05-01\n+++\nHello.\n",
    );
    eventually(server.addr, "/articles/brand-new/", |r| {
        r.status == 200 && r.body.contains("Brand new")
    });
    std::fs::remove_file(site.join("content/articles/brand-new.md")).unwrap();
    eventually(server.addr, "/articles/brand-new/", |r| r.status == 404);

    // A stylesheet change asks only for a CSS swap.
    while socket
        .read()
        .unwrap()
        .into_text()
        .unwrap()
        .contains("reload")
    {
        // drain the reloads of the steps above until the CSS notice
        write(&site, "static/extra.css", "body { color: rebeccapurple }");
    }
    eventually(server.addr, "/extra.css", |r| {
        r.body.contains("rebeccapurple")
    });
}

/// A change saved while a page was loading is not lost: the page says which build it
/// comes from, and a socket that connects after a later rebuild is told what it missed.
#[test]
fn a_tab_whose_socket_connects_late_catches_up() {
    let (_tmp, site) = fixture("hub");
    let server = start(&site);
    let since = |body: &str| -> String {
        let at = body
            .find("live-reload.js?since=")
            .expect("the page names its build")
            + 21;
        body[at..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect()
    };
    let before = since(&get(server.addr, "/articles/first/").body);

    write(&site, "static/late.css", "body { color: teal }");
    eventually(server.addr, "/late.css", |r| r.body.contains("teal"));
    // A rebuild moves the generation on (once it is announced).
    let page = eventually(server.addr, "/articles/first/", |r| {
        since(&r.body) != before
    });
    let after_css = since(&page.body);
    let (mut socket, _) =
        tungstenite::connect(format!("ws://{}/__kring/ws?since={before}", server.addr)).unwrap();
    let notice = socket.read().unwrap().into_text().unwrap();
    assert!(notice.contains("\"css\""), "{notice}");

    let first = std::fs::read_to_string(site.join("content/articles/first.md")).unwrap();
    write(
        &site,
        "content/articles/first.md",
        first.replace("First paragraph", "Late paragraph"),
    );
    // Once the rebuild is announced, pages name the new generation.
    eventually(server.addr, "/articles/first/", |r| {
        r.body.contains("Late paragraph") && since(&r.body) != after_css
    });
    for stale in [before, after_css] {
        let (mut socket, _) =
            tungstenite::connect(format!("ws://{}/__kring/ws?since={stale}", server.addr)).unwrap();
        let notice = socket.read().unwrap().into_text().unwrap();
        assert!(notice.contains("\"reload\""), "since {stale}: {notice}");
    }
}

/// A folder moved in whole gives one event for the folder and none for its files: they are
/// found anyway, in `static/` and in `content/`.
#[test]
fn a_folder_moved_in_is_read_whole() {
    let (tmp, site) = fixture("hub");
    let server = start(&site);
    write(
        tmp.path(),
        "outside/fonts/face.css",
        "@font-face { font-family: Moved }",
    );
    std::fs::rename(tmp.path().join("outside/fonts"), site.join("static/fonts")).unwrap();
    eventually(server.addr, "/fonts/face.css", |r| r.body.contains("Moved"));
    write(
        tmp.path(),
        "outside/bundle/index.md",
        "+++\ntitle = \"Moved bundle\"\ndate = 2026-05-02\n+++\nIn a folder.\n",
    );
    std::fs::rename(
        tmp.path().join("outside/bundle"),
        site.join("content/articles/bundle"),
    )
    .unwrap();
    eventually(server.addr, "/articles/bundle/", |r| {
        r.status == 200 && r.body.contains("Moved bundle")
    });
}

/// Content blocks are rendered again when the page that calls them is edited, and when
/// the site adds or changes a block's template.
#[test]
fn blocks_follow_edits_of_pages_and_templates() {
    let (_tmp, site) = fixture("hub");
    let server = start(&site);
    let first = std::fs::read_to_string(site.join("content/articles/first.md")).unwrap();
    write(
        &site,
        "content/articles/first.md",
        first.replace("First paragraph", "First paragraph.\n\n{{ member(id=\"ada\") }}\n\n{% callout() %}\nMind the step.\n{% end %}\n\nAfter"),
    );
    let page = eventually(server.addr, "/articles/first/", |r| {
        r.body.contains("Mind the step.")
    });
    assert!(page.body.contains("member-card") && page.body.contains("callout--note"));
    assert!(!page.body.contains("kring-block"), "no placeholder is left");

    write(
        &site,
        "templates/shortcodes/callout.html",
        "<div class=\"my-callout\">{{ body | safe }}</div>",
    );
    eventually(server.addr, "/articles/first/", |r| {
        r.body.contains("my-callout")
    });
}

#[test]
fn a_taken_port_moves_to_the_next_one() {
    let (_tmp, site) = fixture("hub");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut options = ServeOptions::new(&site);
    options.port = port;
    let server = DevServer::start(&options).unwrap();
    assert_ne!(server.addr.port(), port);
    assert!(server.addr.port() > port && server.addr.port() <= port + 10);
}

/// An incremental update must write what a full build would, and much less of it.
#[test]
fn incremental_rebuild_matches_a_full_build() {
    use kring::serve::rebuild::DevSite;
    let (tmp, site) = fixture("hub");
    let mut opts = options();
    opts.base_url = Some("http://127.0.0.1:1/".into());
    let live = tmp.path().join("live");
    let mut dev = DevSite::new(site.clone(), opts.clone(), live.clone(), false);
    let full = dev.full_build().unwrap();

    type Edit<'a> = (&'a str, &'a dyn Fn(&str) -> String);
    // The text; the title and date (it moves in its section, terms, its author's list and
    // the issue numbers); a date equal to another post's (ties); its tags.
    let edits: [Edit; 5] = [
        ("content/articles/first.md", &|t| {
            t.replace("More text.", "More text, edited.")
        }),
        ("content/articles/first.md", &|t| {
            t.replace("First post", "Retitled post")
                .replace("2026-01-10", "2026-02-20")
        }),
        ("content/articles/first.md", &|t| {
            t.replace("2026-02-20", "2026-02-01")
                .replace("Retitled post", "A retitled post")
        }),
        ("content/articles/first.md", &|t| {
            t.replace("\"Moderation\", \"growth\"", "\"Moderation\"")
        }),
        ("content/events/meetup.md", &|t| {
            t.replace("19:30:00", "20:00:00").replace("Café", "Library")
        }),
    ];
    for (file, edit) in edits {
        let path = site.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, edit(&text)).unwrap();
        let untouched = live.join("members/hidden/index.html");
        let stamp = std::fs::metadata(&untouched).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let outcome = dev.apply(std::slice::from_ref(&path)).unwrap();
        assert!(!outcome.full, "{file}: fell back to a full rebuild");
        assert!(
            outcome.written < full.written,
            "{file}: wrote {} of {} files",
            outcome.written,
            full.written
        );
        assert_eq!(
            std::fs::metadata(&untouched).unwrap().modified().unwrap(),
            stamp,
            "{file}: an unrelated page was rewritten"
        );
        // The search index follows after the reload, as the server writes it.
        dev.finish().unwrap();

        same_as_full_build(&site, &opts, &live, &tmp.path().join("expected"), file);
    }
}

/// On a site in two languages, an edit in either language is incremental too, and the
/// result is byte for byte what a full build writes. A retitled page (whose title the other
/// language shows) may rebuild everything, and must match all the same.
#[test]
fn incremental_rebuild_matches_a_full_build_in_two_languages() {
    use kring::serve::rebuild::DevSite;
    let (tmp, site) = fixture("example-site");
    let mut opts = options();
    opts.base_url = Some("http://127.0.0.1:1/".into());
    let live = tmp.path().join("live");
    let mut dev = DevSite::new(site.clone(), opts.clone(), live.clone(), false);
    let full = dev.full_build().unwrap();

    type Edit<'a> = (&'a str, &'a dyn Fn(&str) -> String, bool);
    let edits: [Edit; 4] = [
        (
            "content/articles/starting-a-community.md",
            &|t| format!("{t}\nEen nieuwe alinea.\n"),
            true,
        ),
        (
            "content/articles/starting-a-community.en.md",
            &|t| format!("{t}\nA new paragraph.\n"),
            true,
        ),
        (
            "content/events/utrecht-meetup-december.en.md",
            &|t| {
                t.replace("19:00:00", "19:15:00")
                    .replace("and soup", "and pea soup")
            },
            true,
        ),
        (
            "content/articles/starting-a-community.en.md",
            &|t| t.replace("Starting a community, step by step", "Starting a community"),
            false,
        ),
    ];
    for (file, edit, incremental) in edits {
        let path = site.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let edited = edit(&text);
        assert_ne!(edited, text, "{file}: the edit changed nothing");
        std::fs::write(&path, edited).unwrap();
        let outcome = dev.apply(std::slice::from_ref(&path)).unwrap();
        if incremental {
            assert!(!outcome.full, "{file}: fell back to a full rebuild");
            assert!(
                outcome.written < full.written / 4,
                "{file}: wrote {} of {} files",
                outcome.written,
                full.written
            );
        }
        // The search index follows after the reload, as the server writes it.
        dev.finish().unwrap();
        same_as_full_build(&site, &opts, &live, &tmp.path().join("expected"), file);
    }
}

/// Builds `site` whole into `expected` and asserts the dev server's `live` folder holds
/// exactly the same files, byte for byte.
fn same_as_full_build(
    site: &std::path::Path,
    opts: &kring::BuildOptions,
    live: &std::path::Path,
    expected: &std::path::Path,
    edited: &str,
) {
    let _ = std::fs::remove_dir_all(expected);
    kring::build(site, opts, Some(expected)).unwrap();
    let (got, want) = (tree(live), tree(expected));
    // The marker lists the files of the last whole build: the dev server's lists those of
    // its first, and its own folder keeps nothing else.
    let differing: Vec<&String> = want
        .keys()
        .filter(|k| k.as_str() != ".kring-build" && got.get(*k) != want.get(*k))
        .collect();
    assert!(
        differing.is_empty(),
        "{edited}: incremental output differs from a full build in {differing:?}"
    );
    assert_eq!(got.len(), want.len(), "{edited}: different sets of files");
}

/// A template change re-renders the pages that use it, and only those.
#[test]
fn a_template_change_re_renders_what_uses_it() {
    use kring::serve::rebuild::DevSite;
    let (tmp, site) = fixture("hub");
    write(
        &site,
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p>plain v1</p>{% endblock content %}",
    );
    let live = tmp.path().join("live");
    let mut dev = DevSite::new(site.clone(), options(), live.clone(), false);
    let full = dev.full_build().unwrap();
    assert!(read(&live, "about/index.html").contains("plain v1"));
    let member = live.join("members/ada/index.html");
    let stamp = std::fs::metadata(&member).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));

    write(
        &site,
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<p>plain v2</p>{% endblock content %}",
    );
    let outcome = dev.apply(&[site.join("templates/page.html")]).unwrap();
    assert!(
        !outcome.full && outcome.written < full.written,
        "{outcome:?}"
    );
    assert!(
        read(&live, "about/index.html").contains("plain v2"),
        "the page using it is re-rendered"
    );
    assert_eq!(
        std::fs::metadata(&member).unwrap().modified().unwrap(),
        stamp,
        "a page not using it is left alone"
    );
}

/// A template edit that re-renders many pages writes the pages open in a browser first,
/// then the rest; the result is what a full build writes.
#[test]
fn a_large_rebuild_writes_the_visited_pages_first() {
    use kring::serve::rebuild::DevSite;
    let (tmp, site) = fixture("hub");
    let live = tmp.path().join("live");
    let mut opts = options();
    opts.base_url = Some("http://127.0.0.1:1/".into());
    let mut dev = DevSite::new(site.clone(), opts.clone(), live.clone(), false);
    dev.full_build().unwrap();
    // Two pages are open: an article, and the second list page of the tag "growth".
    dev.visits.record("/articles/first/");
    dev.visits.record("/tags/growth/index.html");

    let base = std::fs::read_to_string(common::repo().join("themes/kring/templates/base.html"))
        .unwrap()
        .replace("<main id=\"main\"", "<main data-edited id=\"main\"");
    write(&site, "templates/base.html", &base);
    let outcome = dev.apply(&[site.join("templates/base.html")]).unwrap();
    assert!(outcome.pending > 0, "{outcome:?}");
    for open in ["articles/first/index.html", "tags/growth/index.html"] {
        assert!(
            read(&live, open).contains("data-edited"),
            "{open} is not new"
        );
    }
    for later in [
        "articles/second/index.html",
        "members/ada/index.html",
        "index.html",
    ] {
        assert!(
            !read(&live, later).contains("data-edited"),
            "{later} came first"
        );
    }
    let rest = dev.finish().unwrap();
    assert!(rest.written >= outcome.pending, "{rest:?}");
    assert!(read(&live, "members/ada/index.html").contains("data-edited"));
    same_as_full_build(
        &site,
        &opts,
        &live,
        &tmp.path().join("expected"),
        "base.html",
    );

    // What is left is not lost when the next change comes before it is written.
    let base = base.replace("data-edited", "data-edited-again");
    write(&site, "templates/base.html", &base);
    let first = dev.apply(&[site.join("templates/base.html")]).unwrap();
    assert!(first.pending > 0);
    let page = site.join("content/articles/first.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("More text.", "More text, again.")).unwrap();
    let second = dev.apply(&[page]).unwrap();
    assert!(!second.full);
    dev.finish().unwrap();
    same_as_full_build(
        &site,
        &opts,
        &live,
        &tmp.path().join("expected"),
        "first.md",
    );
}

/// A raw GET with the given header lines (`Host` included, or not).
fn request(addr: SocketAddr, path: &str, headers: &str) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n"
    )
    .unwrap();
    // Read to the end, or, for a WebSocket upgrade (which stays open), to the end of the head.
    let mut raw = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).unwrap();
        raw.extend_from_slice(&chunk[..n]);
        let upgraded = raw.starts_with(b"HTTP/1.1 101") && raw.windows(4).any(|w| w == b"\r\n\r\n");
        if n == 0 || upgraded {
            break;
        }
    }
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    Response {
        status: head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0),
        headers: head.to_ascii_lowercase(),
        body: body.to_string(),
    }
}

#[test]
fn answers_only_its_own_host_and_origin() {
    let (_tmp, site) = fixture("hub");
    let server = start(&site);
    let port = server.addr.port();
    let ws = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    // DNS rebinding: a name that now points at 127.0.0.1.
    for host in [
        format!("attacker-rebind.example:{port}"),
        "attacker-rebind.example".to_string(),
        format!("127.0.0.1.evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        "127.0.0.1".to_string(),
        String::new(),
    ] {
        let header = if host.is_empty() {
            String::new()
        } else {
            format!("Host: {host}\r\n")
        };
        let r = request(server.addr, "/", &header);
        assert_eq!(r.status, 403, "Host {host:?}: {}", r.status);
        assert!(
            !r.body.contains("Fixture Hub"),
            "Host {host:?} read the site"
        );
    }
    // Other sites' pages: neither the socket (whose errors quote the user's files) nor files.
    for origin in [
        "https://evil.example",
        "null",
        &format!("http://evil.example:{port}"),
        &format!("https://127.0.0.1:{port}"),
    ] {
        let headers = format!("Host: 127.0.0.1:{port}\r\nOrigin: {origin}\r\n");
        assert_eq!(
            request(server.addr, "/", &headers).status,
            403,
            "Origin {origin}"
        );
        let upgrade = request(server.addr, "/__kring/ws", &format!("{headers}{ws}"));
        assert_eq!(upgrade.status, 403, "WebSocket from Origin {origin}");
    }
    // Its own names are fine, with or without its own Origin.
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
    ] {
        let r = request(
            server.addr,
            "/",
            &format!("Host: {host}\r\nOrigin: http://{host}\r\n"),
        );
        assert_eq!(r.status, 200, "Host {host}");
        assert!(
            r.headers.contains("content-type: text/html; charset=utf-8"),
            "{}",
            r.headers
        );
    }
    let upgrade = request(
        server.addr,
        "/__kring/ws",
        &format!("Host: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n{ws}"),
    );
    assert_eq!(upgrade.status, 101);
}

#[test]
fn terms_no_page_uses_any_more_are_gone_after_an_edit() {
    let (_tmp, site) = fixture("hub");
    let server = start(&site);
    let first = read(&site, "content/articles/first.md");
    write(
        &site,
        "content/articles/first.md",
        first.replace("topics = [\"safety\"]", "topics = [\"only-here\"]"),
    );
    eventually(server.addr, "/topics/only-here/", |r| r.status == 200);
    write(
        &site,
        "content/articles/first.md",
        first.replace("topics = [\"safety\"]", "topics = [\"renamed\"]"),
    );
    eventually(server.addr, "/topics/renamed/", |r| r.status == 200);
    assert_eq!(
        get(server.addr, "/topics/only-here/").status,
        404,
        "the old term page is still served"
    );
    assert_eq!(get(server.addr, "/topics/only-here/rss.xml").status, 404);
}

#[cfg(unix)]
#[test]
fn termination_signals_remove_the_temporary_site() {
    for signal in ["TERM", "HUP", "INT"] {
        let (tmp, site) = fixture("hub");
        let temp_root = tmp.path().join("tmp");
        std::fs::create_dir_all(&temp_root).unwrap();
        let mut child = kring()
            .args(["serve", site.to_str().unwrap(), "--port", "0"])
            .env("TMPDIR", &temp_root)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        while !line.contains("Serving") {
            line.clear();
            assert!(
                std::io::BufRead::read_line(&mut stdout, &mut line).unwrap() > 0,
                "serve ended early"
            );
        }
        assert_eq!(
            std::fs::read_dir(&temp_root).unwrap().count(),
            1,
            "the served site is in TMPDIR"
        );
        std::process::Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        assert!(status.success(), "SIG{signal}: {status:?}");
        let left: Vec<_> = std::fs::read_dir(&temp_root).unwrap().collect();
        assert!(left.is_empty(), "SIG{signal} left {left:?}");
    }
}

/// The server answers while its first build runs: each request waits for its own page,
/// which the build writes next, and gets it whole; a page no build writes is a 404 once
/// the build is over; and the folder ends up with every file a full build writes.
#[test]
fn pages_asked_for_during_the_first_build_come_whole() {
    let (tmp, site) = fixture("hub");
    // Enough pages that the build is still running when the requests come.
    for i in 0..400 {
        write(
            &site,
            &format!("content/articles/extra-{i}.md"),
            format!(
                "+++\ntitle = \"Extra {i}: é <!--<script>\"\ndate = 2025-01-01\ntags = [\"t{}\"]\n+++\nBody {i} with `</script>` and \r\n a line.\n",
                i % 7
            ),
        );
    }
    let server = start(&site);
    let asked: [(&str, u16, &str); 7] = [
        ("/articles/extra-399/", 200, "Body 399"),
        ("/articles/first/", 200, "First paragraph"),
        ("/members/ada/", 200, "Ada"),
        ("/tags/t3/", 200, "Extra 3: é"),
        ("/", 200, "</main>"),
        ("/kring.css", 200, "{"),
        ("/no-such-page/", 404, "</html>"),
    ];
    let addr = server.addr;
    let answers: Vec<_> = asked
        .iter()
        .map(|&(path, ..)| std::thread::spawn(move || get(addr, path)))
        .collect();
    for ((path, status, text), answer) in asked.iter().zip(answers) {
        let r = answer.join().unwrap();
        assert_eq!(r.status, *status, "{path}: {}", r.body);
        assert!(r.body.contains(text), "{path} lacks {text:?}");
        if path.ends_with('/') {
            assert!(
                r.body.trim_end().ends_with("</html>"),
                "{path} came cut short"
            );
        }
    }
    server.wait_built();
    let expected = tmp.path().join("expected");
    let mut opts = options();
    opts.base_url = Some(server.url.clone());
    kring::build(&site, &opts, Some(&expected)).unwrap();
    let (served, built) = (tree(&server.out), tree(&expected));
    let missing: Vec<&String> = built.keys().filter(|k| !served.contains_key(*k)).collect();
    let extra: Vec<&String> = served.keys().filter(|k| !built.contains_key(*k)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, extra {extra:?}"
    );
    assert_eq!(
        served[".kring-build"], built[".kring-build"],
        "the marker lists what was written"
    );
}

/// A first build that fails, before writing (a bad date) or half-way (a template that
/// fails on one kind of page), serves the error page and pushes the error until it is
/// fixed; nothing of the failed build is served.
#[test]
fn a_first_build_that_fails_shows_the_error_until_fixed() {
    type Breaks<'a> = (&'a str, &'a dyn Fn(&str) -> String, &'a str);
    let broken: [Breaks; 2] = [
        (
            "content/articles/first.md",
            &|t| t.replace("date = 2026-01-10", "date = 2026-01-99"),
            "content/articles/first.md:",
        ),
        (
            "templates/member.html",
            &|_| {
                "{% extends \"base.html\" %}{% block content %}{{ no_such.thing }}{% endblock %}"
                    .into()
            },
            "member",
        ),
    ];
    for (file, breaks, named) in broken {
        let (_tmp, site) = fixture("hub");
        let path = site.join(file);
        let good = std::fs::read_to_string(&path).ok();
        write(&site, file, breaks(good.as_deref().unwrap_or_default()));
        let server = start(&site);
        // A page asked for before the failure may have been served whole; after it, none.
        server.wait_built();
        let r = get(server.addr, "/");
        assert_eq!(r.status, 200, "{file}");
        assert!(
            r.body.contains("The site did not build"),
            "{file}: {}",
            r.body
        );
        for gone in ["/kring.css", "/articles/first/"] {
            let r = get(server.addr, gone);
            assert_eq!(r.status, 404, "{file}: {gone} of a failed build is served");
        }
        let (mut socket, _) =
            tungstenite::connect(format!("ws://{}/__kring/ws", server.addr)).unwrap();
        let notice = socket.read().unwrap().into_text().unwrap();
        assert!(
            notice.contains("\"error\"") && notice.contains(named),
            "{file}: {notice}"
        );
        match good {
            Some(text) => write(&site, file, text),
            None => std::fs::remove_file(&path).unwrap(),
        }
        eventually(server.addr, "/articles/first/", |r| {
            r.status == 200 && r.body.contains("First paragraph")
        });
        eventually(server.addr, "/members/ada/", |r| r.status == 200);
    }
}
