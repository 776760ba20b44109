//! Measures the dev server's edit-to-served latency: the time from writing an article to
//! the updated page being served over HTTP (watcher debounce, rebuild and write included).
//!
//! `cargo run --profile dist --example serve_latency -- SITE_DIR [ARTICLE] [ROUNDS] [URL_PATH]`
//! ARTICLE is a path under content/ (default: the first article found); the file is edited
//! and put back. URL_PATH is where its page is served, when not at its file name (a `slug`,
//! a language: `/en/articles/x/`).
//!
//! `… -- SITE_DIR templates/NAME ROUNDS URL_PATH` edits a template instead (the site's own,
//! or a copy of the default theme's put in `templates/`) and measures until URL_PATH, which
//! the tool has just visited as a browser would, shows the edit.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kring::serve::{DevServer, ServeOptions};

fn get(addr: SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut body = String::new();
    stream.read_to_string(&mut body).unwrap();
    body
}

fn first_article(site: &Path) -> PathBuf {
    walkdir::WalkDir::new(site.join("content/articles"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .find(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .expect("an article")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let site = PathBuf::from(
        args.get(1)
            .expect("usage: serve_latency SITE_DIR [ARTICLE] [ROUNDS]"),
    );
    let rounds: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(20);
    if let Some(name) = args.get(2).and_then(|a| a.strip_prefix("templates/")) {
        let url = args.get(4).expect("a URL_PATH to watch");
        return template_edits(&site, name, rounds, url);
    }
    let article = args
        .get(2)
        .map(|a| site.join("content").join(a))
        .unwrap_or_else(|| first_article(&site));

    let mut options = ServeOptions::new(&site);
    options.port = 0;
    let started = Instant::now();
    let server = DevServer::start(&options).expect("the site serves");
    server.wait_built();
    println!(
        "initial build and start: {} ms",
        started.elapsed().as_millis()
    );

    let rel = article
        .strip_prefix(site.join("content"))
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/");
    let original = std::fs::read_to_string(&article).unwrap();
    let stem = rel.trim_end_matches("/index.md").trim_end_matches(".md");
    let slug = stem.rsplit('/').next().unwrap();
    let dated = slug.len() > 11
        && slug.as_bytes()[10] == b'-'
        && slug.as_bytes()[..4].iter().all(u8::is_ascii_digit);
    let slug = if dated { &slug[11..] } else { slug };
    let url = args.get(4).cloned().unwrap_or_else(|| {
        format!(
            "/{}/{}/",
            stem.rsplit_once('/').map_or("", |(d, _)| d),
            slug
        )
    });
    assert!(
        get(server.addr, &url).contains("200 OK"),
        "{url} is not served"
    );

    let pause = Duration::from_millis(150);
    let times = timed_edits(&server, &article, &url, rounds, pause, |marker| {
        format!("{}\n\nA new paragraph: {marker}.\n", original.trim_end())
    });
    std::fs::write(&article, original).unwrap();
    report(&times, &rel);
    server.stop();
}

/// Writes `edit(marker)` to `file` `rounds` times; the time until `url` shows each marker.
fn timed_edits(
    server: &DevServer,
    file: &Path,
    url: &str,
    rounds: usize,
    pause: Duration,
    edit: impl Fn(&str) -> String,
) -> Vec<Duration> {
    let mut times = Vec::new();
    for round in 0..rounds {
        let marker = format!("latency-marker-{round}-{}", std::process::id());
        let edited = edit(&marker);
        // Let the last rebuild (and the rest of a large one) finish, as between two saves.
        std::thread::sleep(pause);
        let t0 = Instant::now();
        std::fs::write(file, edited).unwrap();
        loop {
            if get(server.addr, url).contains(&marker) {
                break;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(30),
                "the edit was never served"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        times.push(t0.elapsed());
    }
    times
}

/// Edits template `name` of `site` (a copy of the default theme's when the site has none).
fn template_edits(site: &Path, name: &str, rounds: usize, url: &str) {
    let file = site.join("templates").join(name);
    let own = std::fs::read_to_string(&file).ok();
    let original = own.clone().unwrap_or_else(|| {
        let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/kring/templates");
        std::fs::read_to_string(theme.join(name)).expect("a template of the default theme")
    });
    if own.is_none() {
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, &original).unwrap();
    }
    let mut options = ServeOptions::new(site);
    options.port = 0;
    let server = DevServer::start(&options).expect("the site serves");
    server.wait_built();
    assert!(
        get(server.addr, url).contains("200 OK"),
        "{url} is not served"
    );
    let anchor = if original.contains("</main>") {
        "</main>"
    } else {
        "{% block content %}"
    };
    // A template edit re-renders the visited page first and then every other page using it.
    let pause = Duration::from_secs(6);
    let times = timed_edits(&server, &file, url, rounds, pause, |marker| {
        let with = if anchor == "</main>" {
            format!("<p>{marker}</p></main>")
        } else {
            format!("{anchor}<p>{marker}</p>")
        };
        original.replacen(anchor, &with, 1)
    });
    server.stop();
    match own {
        Some(text) => std::fs::write(&file, text).unwrap(),
        None => std::fs::remove_file(&file).unwrap(),
    }
    report(&times, &format!("templates/{name}"));
}

fn report(times: &[Duration], what: &str) {
    let mut times = times.to_vec();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{} edits of {what}: median {:.0} ms, fastest {:.0} ms, slowest {:.0} ms (watcher debounce is {} ms of that)",
        times.len(),
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        kring::serve::watch::DEBOUNCE.as_millis()
    );
}
