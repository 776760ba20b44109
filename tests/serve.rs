//! The dev server over real HTTP: content types, 404s, path traversal, and edits served
//! without a restart, with build errors pushed to the browser over the WebSocket.

mod common;

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
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Response {
        status,
        headers: head.to_ascii_lowercase(),
        body: body.to_string(),
    }
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
    let edits: [Edit; 3] = [
        ("content/articles/first.md", &|t| {
            t.replace("More text.", "More text, edited.")
        }),
        ("content/articles/first.md", &|t| {
            t.replace("First post", "Retitled post")
                .replace("2026-01-10", "2026-02-20")
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

        let expected = tmp.path().join("expected");
        let _ = std::fs::remove_dir_all(&expected);
        kring::build(&site, &opts, Some(&expected)).unwrap();
        let (got, want) = (tree(&live), tree(&expected));
        let differing: Vec<&String> = want
            .keys()
            .filter(|k| got.get(*k) != want.get(*k))
            .collect();
        assert!(
            differing.is_empty(),
            "{file}: incremental output differs from a full build in {differing:?}"
        );
        assert_eq!(got.len(), want.len(), "{file}: different sets of files");
    }
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
