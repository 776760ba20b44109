//! Asking other hosts about links: a few hosts at a time and one request at a time per
//! host (so no site sees kring as a flood), with retries after 429 and 503 that honour
//! `Retry-After`, and a timeout per request.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use crate::commands::http::Client;

/// Hosts asked at the same time.
const HOSTS_AT_ONCE: usize = 8;
/// Tries after the first for a 429 (too many requests) or 503 (unavailable).
const RETRIES: u32 = 3;
/// The longest wait a `Retry-After` may ask for; a host asking more is reported as busy.
const LONGEST_WAIT: Duration = Duration::from_secs(30);

/// What a link's host answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A 2xx (after redirects, which are followed).
    Good,
    /// Certainly broken: a 4xx other than 429, or a host name that does not exist. Makes
    /// `kring check --external` fail.
    Broken(String),
    /// Perhaps only for now (a timeout, a 5xx, a 429 that stayed, a refused connection):
    /// a warning.
    Unsure(String),
}

/// Asks for every address in `urls`, grouped by host; the answers in no set order.
pub fn ask_all(client: &Client, urls: Vec<url::Url>, timeout: Duration) -> Vec<(url::Url, Answer)> {
    let mut by_host: BTreeMap<String, Vec<url::Url>> = BTreeMap::new();
    for url in urls {
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        by_host.entry(host).or_default().push(url);
    }
    let queue: Mutex<VecDeque<Vec<url::Url>>> = Mutex::new(by_host.into_values().collect());
    let answers = Mutex::new(Vec::new());
    let workers = HOSTS_AT_ONCE
        .min(queue.lock().map(|q| q.len()).unwrap_or(1))
        .max(1);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().ok().and_then(|mut q| q.pop_front());
                    let Some(host_urls) = next else { break };
                    for url in host_urls {
                        let answer = ask(client, &url, timeout);
                        if let Ok(mut a) = answers.lock() {
                            a.push((url, answer));
                        }
                    }
                }
            });
        }
    });
    answers.into_inner().unwrap_or_default()
}

/// One address, with retries while the host says "later": after the wait its
/// `Retry-After` asks for, or else 1, 2 and 4 seconds.
fn ask(client: &Client, url: &url::Url, timeout: Duration) -> Answer {
    let mut tries = 0;
    loop {
        let (answer, again) = ask_once(client, url, timeout);
        let wait = match again {
            Again::No => return answer,
            Again::After(wait) => wait,
            Again::Later => Duration::from_secs(1 << tries),
        };
        if tries == RETRIES || wait > LONGEST_WAIT {
            return answer;
        }
        tries += 1;
        std::thread::sleep(wait);
    }
}

/// Whether to ask again after an answer.
enum Again {
    No,
    /// After the wait the host's `Retry-After` gave.
    After(Duration),
    /// After a wait of kring's own.
    Later,
}

/// One request: the answer, and for a 429 or 503 that it may be asked again.
fn ask_once(client: &Client, url: &url::Url, timeout: Duration) -> (Answer, Again) {
    let response = client.agent(url).get(url.as_str()).call();
    let response = match response {
        Ok(r) => r,
        Err(e) => return (failure(e, timeout), Again::No),
    };
    let status = response.status().as_u16();
    match status {
        200..=299 => (Answer::Good, Again::No),
        429 | 503 => {
            let again = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map_or(Again::Later, |secs| Again::After(Duration::from_secs(secs)));
            let answer = Answer::Unsure(format!("{status} {}: the host is busy", reason(status)));
            (answer, again)
        }
        400..=499 => (
            Answer::Broken(format!("{status} {}", reason(status))),
            Again::No,
        ),
        _ => (
            Answer::Unsure(format!("{status} {}", reason(status))),
            Again::No,
        ),
    }
}

fn failure(e: ureq::Error, timeout: Duration) -> Answer {
    match e {
        ureq::Error::HostNotFound => Answer::Broken("the host name does not exist (DNS)".into()),
        ureq::Error::Timeout(_) => {
            Answer::Unsure(format!("no answer within {} s", timeout.as_secs_f32()))
        }
        ureq::Error::TooManyRedirects | ureq::Error::RedirectFailed => {
            Answer::Broken("redirects that go nowhere".into())
        }
        // The system resolver's "no such name" comes as an I/O error; its "try again"
        // (no network, say) is not the link's fault.
        ureq::Error::Io(e) if is_unknown_host(&e) => {
            Answer::Broken("the host name does not exist (DNS)".into())
        }
        other => Answer::Unsure(other.to_string()),
    }
}

fn is_unknown_host(e: &std::io::Error) -> bool {
    let message = e.to_string();
    message.contains("failed to lookup address")
        && !message.to_ascii_lowercase().contains("temporary failure")
}

fn reason(status: u16) -> &'static str {
    ureq::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
}
