//! Measures the dev server's edit-to-served latency: the time from writing an article to
//! the updated page being served over HTTP (watcher debounce, rebuild and write included).
//!
//! `cargo run --release --example serve_latency -- SITE_DIR [ARTICLE] [ROUNDS] [URL_PATH]`
//! ARTICLE is a path under content/ (default: the first article found); the file is edited
//! and put back. URL_PATH is where its page is served, when not at its file name (a `slug`,
//! a language: `/en/articles/x/`).

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
    let article = args
        .get(2)
        .map(|a| site.join("content").join(a))
        .unwrap_or_else(|| first_article(&site));
    let rounds: usize = args.get(3).and_then(|r| r.parse().ok()).unwrap_or(20);

    let mut options = ServeOptions::new(&site);
    options.port = 0;
    let started = Instant::now();
    let server = DevServer::start(&options).expect("the site serves");
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

    let mut times = Vec::new();
    for round in 0..rounds {
        let marker = format!("latency-marker-{round}-{}", std::process::id());
        let edited = format!("{}\n\nA new paragraph: {marker}.\n", original.trim_end());
        std::thread::sleep(Duration::from_millis(150));
        let t0 = Instant::now();
        std::fs::write(&article, edited).unwrap();
        loop {
            if get(server.addr, &url).contains(&marker) {
                break;
            }
            assert!(
                t0.elapsed() < Duration::from_secs(10),
                "the edit was never served"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        times.push(t0.elapsed());
    }
    std::fs::write(&article, original).unwrap();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{} edits of {rel}: median {:.0} ms, fastest {:.0} ms, slowest {:.0} ms (watcher debounce is {} ms of that)",
        times.len(),
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1]),
        kring::serve::watch::DEBOUNCE.as_millis()
    );
    server.stop();
}
