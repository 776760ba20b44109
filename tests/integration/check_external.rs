//! `kring check --external` against a server this test starts on 127.0.0.1: a page that
//! is there, one that moved, one that is gone, a busy one (429 once), one that stays busy,
//! a slow one, and a host name that does not exist.

use crate::common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{run, write};

struct LinkServer {
    base: String,
    hits: Arc<Mutex<BTreeMap<String, usize>>>,
    /// The most requests the server had at once.
    busiest: Arc<AtomicUsize>,
}

impl LinkServer {
    fn start() -> LinkServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let hits: Arc<Mutex<BTreeMap<String, usize>>> = Arc::default();
        let busiest = Arc::new(AtomicUsize::new(0));
        let now = Arc::new(AtomicUsize::new(0));
        let (counted, most) = (hits.clone(), busiest.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let (counted, most, now) = (counted.clone(), most.clone(), now.clone());
                std::thread::spawn(move || {
                    let in_flight = now.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(in_flight, Ordering::SeqCst);
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut line = String::new();
                    let _ = reader.read_line(&mut line);
                    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                    // The rest of the request, so closing never resets it.
                    let mut header = String::new();
                    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                        header.clear();
                    }
                    let hit = {
                        let mut hits = counted.lock().unwrap();
                        let n = hits.entry(path.clone()).or_default();
                        *n += 1;
                        *n
                    };
                    let route = path.split('?').next().unwrap_or_default();
                    let head = match route {
                        "/ok" => "200 OK\r\n".to_string(),
                        "/moved" => "301 Moved Permanently\r\nLocation: /ok\r\n".into(),
                        "/busy" if hit == 1 => "429 Too Many Requests\r\nRetry-After: 1\r\n".into(),
                        "/busy" => "200 OK\r\n".into(),
                        "/always-busy" => "429 Too Many Requests\r\nRetry-After: 0\r\n".into(),
                        "/slow" => {
                            std::thread::sleep(Duration::from_secs(3));
                            "200 OK\r\n".into()
                        }
                        _ => "404 Not Found\r\n".into(),
                    };
                    let response = format!(
                        "HTTP/1.1 {head}Content-Type: text/html\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                    );
                    // Done before the answer is sent: the client's next request may come
                    // before this thread runs again on a busy machine.
                    now.fetch_sub(1, Ordering::SeqCst);
                    let _ = stream.write_all(response.as_bytes());
                });
            }
        });
        LinkServer {
            base,
            hits,
            busiest,
        }
    }

    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

/// A small site whose article, event and community card link to the server.
fn site(dir: &Path, base: &str) {
    write(
        dir,
        "kring.toml",
        format!(
            r#"base_url = "https://hub.example/"
title = "Links"
language = "en"

[check]
timeout = 1
skip_hosts = ["skipped.example"]

[[community]]
platform = "discord"
name = "Chat"
url = "{base}/gone?from=config"
"#
        ),
    );
    write(
        dir,
        "content/articles/_index.md",
        "+++\ntitle = \"Articles\"\nkind = \"articles\"\n+++\n",
    );
    write(
        dir,
        "content/events/_index.md",
        "+++\ntitle = \"Events\"\nkind = \"events\"\n+++\n",
    );
    write(
        dir,
        "content/articles/links.md",
        format!(
            r#"+++
title = "Links"
date = 2026-11-01
+++

Fine: [ok]({base}/ok) and [moved]({base}/moved).

A [broken one]({base}/gone?a=1&b=2).

[busy]({base}/busy), [always busy]({base}/always-busy), [slow]({base}/slow#part).

[skipped](https://www.skipped.example/x) and [nowhere](http://kring-test.invalid/).
"#
        ),
    );
    write(
        dir,
        "content/events/meetup.md",
        format!(
            r#"+++
title = "Meetup"
start = 2026-12-20T19:00:00
registration_url = "{base}/gone?event"
+++

Come along.
"#
        ),
    );
}

#[test]
fn external_links_are_checked_politely_reported_where_written_and_cached() {
    let server = LinkServer::start();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    site(&dir, &server.base);
    let dir_arg = dir.to_str().unwrap();

    let (ok, out, err) = run(&["check", "--external", dir_arg], tmp.path());
    assert!(!ok, "a 404 fails the check\n{out}\n{err}");
    let gone = format!("{}/gone?a=1&b=2", server.base);
    assert!(
        err.contains("content/articles/links.md:8") && err.contains(&gone),
        "the broken link is named with its file and line:\n{err}"
    );
    assert!(err.contains("404 Not Found"), "{err}");
    assert!(
        err.contains("content/events/meetup.md:4") && err.contains("/gone?event"),
        "a front-matter address is found on its line:\n{err}"
    );
    assert!(
        err.contains("kring.toml:12") && err.contains("/gone?from=config"),
        "a community card's address is reported in kring.toml, once:\n{err}"
    );
    assert_eq!(err.matches("/gone?from=config").count(), 1, "{err}");
    assert!(
        err.contains("kring-test.invalid") && err.contains("does not exist"),
        "an unknown host is broken:\n{err}"
    );
    // Warnings, not failures: the slow page and the one that stays busy.
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning:")).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("/slow") && w.contains("no answer within 1 s")),
        "{err}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("/always-busy") && w.contains("429")),
        "{err}"
    );
    assert!(!err.contains("/ok"), "good links are not reported:\n{err}");
    assert!(!err.contains("/busy)"), "{err}");
    assert!(
        !err.contains("skipped.example"),
        "skipped hosts are not asked:\n{err}"
    );
    // A 429 with Retry-After is asked again, and then answers; one that stays busy is
    // asked four times in all; a 301 is followed.
    assert_eq!(server.hits("/busy"), 2);
    assert_eq!(server.hits("/always-busy"), 4);
    assert_eq!(server.hits("/moved"), 1);
    assert_eq!(server.hits("/ok"), 2, "once itself, once after /moved");
    assert_eq!(
        server.hits("/slow"),
        1,
        "the #fragment is not a different page"
    );
    assert_eq!(
        server.busiest.load(Ordering::SeqCst),
        1,
        "one request at a time to one host"
    );
    let cache = std::fs::read_to_string(dir.join(".kring-cache/links.json")).unwrap();
    let cache: serde_json::Value = serde_json::from_str(&cache).unwrap();
    let cached = cache["links"].as_object().unwrap();
    assert!(cached.contains_key(&format!("{}/ok", server.base)));
    assert!(
        !cached.keys().any(|k| k.contains("gone")),
        "only good answers are kept"
    );

    // The second run asks only what was not good.
    let (ok, _, err) = run(&["check", "--external", dir_arg], tmp.path());
    assert!(!ok);
    assert_eq!(server.hits("/ok"), 2, "the cache answers for /ok");
    assert_eq!(server.hits("/moved"), 1);
    assert_eq!(server.hits("/busy"), 2);
    assert_eq!(
        server.hits("/gone?a=1&b=2"),
        2,
        "a broken link is asked again"
    );
    assert!(err.contains("content/articles/links.md:8"), "{err}");

    // With the broken links fixed, timeouts and busy hosts only warn.
    let fixed = std::fs::read_to_string(dir.join("content/articles/links.md"))
        .unwrap()
        .replace("/gone?a=1&b=2", "/ok")
        .replace("[nowhere](http://kring-test.invalid/)", "nowhere");
    write(&dir, "content/articles/links.md", fixed);
    write(
        &dir,
        "content/events/meetup.md",
        "+++\ntitle = \"Meetup\"\nstart = 2026-12-20T19:00:00\n+++\n",
    );
    let config = std::fs::read_to_string(dir.join("kring.toml"))
        .unwrap()
        .replace("/gone?from=config", "/ok");
    write(&dir, "kring.toml", config);
    let (ok, out, err) = run(&["check", "--external", dir_arg], tmp.path());
    assert!(ok, "warnings do not fail the check:\n{out}\n{err}");
    assert!(err.contains("warning:") && err.contains("/slow"), "{err}");
    assert!(out.contains("0 broken, 2 warnings"), "{out}");
}

/// A server on 127.0.0.1 that counts the requests it reads and answers each with `head`
/// (`None`: reads the request and never answers, holding the connection open).
fn counting_server(head: Option<&'static str>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(AtomicUsize::new(0));
    let counted = requests.clone();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            counted.fetch_add(1, Ordering::SeqCst);
            match head {
                Some(head) => {
                    let response = format!(
                        "HTTP/1.1 {head}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                    );
                    let _ = stream.write_all(response.as_bytes());
                }
                None => held.push(stream),
            }
        }
    });
    (base, requests)
}

#[test]
fn each_host_has_a_budget_of_timeouts_and_waits() {
    let (silent, silent_hits) = counting_server(None);
    let busy: Vec<(String, Arc<AtomicUsize>)> = (0..4)
        .map(|_| counting_server(Some("503 Service Unavailable\r\nRetry-After: 5")))
        .collect();
    let (fine, fine_hits) = counting_server(Some("200 OK"));
    // 20 links to a host that never answers, 6 to a host that stays busy and 2 to each
    // of three more, 3 to a host that answers: each on a line of its own, with non-ASCII
    // and markup around it.
    let mut lines = Vec::new();
    for i in 0..20 {
        lines.push(format!("- [stil é <b>{i}</b>]({silent}/quiet/{i}?a=1&b=2)"));
    }
    for (n, (base, _)) in busy.iter().enumerate() {
        for i in 0..if n == 0 { 6 } else { 2 } {
            lines.push(format!("- [druk ✓ {i}]({base}/busy/{i})"));
        }
    }
    for i in 0..3 {
        lines.push(format!("- [ok {i}]({fine}/ok/{i})"));
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    write(
        &dir,
        "kring.toml",
        "base_url = \"https://hub.example/\"\ntitle = \"Hosts\"\nlanguage = \"en\"\n\n[check]\ntimeout = 1\n",
    );
    write(
        &dir,
        "content/articles/_index.md",
        "+++\ntitle = \"Articles\"\nkind = \"articles\"\n+++\n",
    );
    // The front matter and a blank line come first: link `i` is on line 7 + i.
    write(
        &dir,
        "content/articles/links.md",
        format!(
            "+++\ntitle = \"Links\"\ndate = 2026-11-01\n+++\n\nLinks:\n{}\n",
            lines.join("\n")
        ),
    );
    let (ok, out, err) = run(&["check", "--external", dir.to_str().unwrap()], tmp.path());
    assert!(ok, "timeouts and busy hosts only warn:\n{out}\n{err}");
    // The warning about a host as a whole: it starts with the host and port.
    let host_warning = |base: &str| -> &str {
        let start = format!("warning: {}:", base.trim_start_matches("http://"));
        let found: Vec<&str> = err.lines().filter(|l| l.starts_with(&start)).collect();
        assert_eq!(found.len(), 1, "one warning for {base}:\n{err}");
        found[0]
    };

    // Two timeouts, then the host's other 18 links are skipped with one warning that
    // names each of them and its line.
    assert_eq!(silent_hits.load(Ordering::SeqCst), 2, "{err}");
    let given_up = host_warning(&silent);
    assert!(
        given_up.contains("no answer within 1 s, 2 times")
            && given_up.contains("its 18 other links were not asked"),
        "{err}"
    );
    let named = (0..20)
        .filter(|i| {
            given_up.contains(&format!(
                "{silent}/quiet/{i}?a=1&b=2 (content/articles/links.md:{})",
                7 + i
            ))
        })
        .count();
    assert_eq!(
        named, 18,
        "each skipped link is named with its line:\n{err}"
    );
    let timed_out = err
        .lines()
        .filter(|l| {
            l.contains("/quiet/")
                && l.contains(": no answer within 1 s")
                && !l.contains("not asked")
        })
        .count();
    assert_eq!(timed_out, 2, "{err}");

    // Busy hosts: at most 10 s of waiting for one host (two waits of 5 s: three requests)
    // and 30 s for all: six waits among the four hosts, so ten requests in all, whatever
    // the order; each host's other links are skipped with one warning.
    let hits: Vec<usize> = busy.iter().map(|(_, h)| h.load(Ordering::SeqCst)).collect();
    assert_eq!(hits.iter().sum::<usize>(), 10, "{hits:?}\n{err}");
    assert!(hits.iter().all(|&h| (1..=3).contains(&h)), "{hits:?}");
    for (n, (base, _)) in busy.iter().enumerate() {
        let warning = host_warning(base);
        let skipped = if n == 0 { 5 } else { 1 };
        assert!(
            warning.contains("503 Service Unavailable")
                && warning.contains("at most 10 s for one host, 30 s for all")
                && warning.contains(&format!("its {skipped} other links were not asked")),
            "{err}"
        );
    }
    // The host that answers is asked for each of its links.
    assert_eq!(fine_hits.load(Ordering::SeqCst), 3);
    assert!(!err.contains("/ok/"), "{err}");
    assert!(out.contains("0 broken, 11 warnings"), "{out}");
}
