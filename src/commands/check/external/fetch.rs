//! Asking other hosts about links: a few hosts at a time and one request at a time per
//! host (so no site sees kring as a flood), with retries after 429 and 503 that honour
//! `Retry-After`, and a timeout per request. Each host has a budget, so a check ends in
//! minutes whatever the hosts do: after [`TIMEOUTS_PER_HOST`] timeouts, or when it is still
//! busy and its waits (at most [`WAIT_PER_HOST`] in all, and [`WAIT_IN_ALL`] for all
//! hosts together) are spent, its remaining links are not asked, with one warning.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use crate::http::Client;

/// Hosts asked at the same time.
const HOSTS_AT_ONCE: usize = 8;
/// Tries after the first for a 429 (too many requests) or 503 (unavailable).
const RETRIES: u32 = 3;
/// Timeouts after which a host's other links are not asked (documented in
/// docs/configuration.md, `check.timeout`).
pub const TIMEOUTS_PER_HOST: u32 = 2;
/// The most kring waits for one host, over all its `Retry-After`s and back-offs.
pub const WAIT_PER_HOST: Duration = Duration::from_secs(10);
/// The most kring waits for all hosts together.
pub const WAIT_IN_ALL: Duration = Duration::from_secs(30);

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

/// A host whose remaining links were not asked: why, and those links.
#[derive(Debug)]
pub struct GaveUp {
    pub host: String,
    pub why: String,
    pub skipped: Vec<url::Url>,
}

/// What is left of the host's budget while its links are asked.
struct HostBudget {
    timeouts: u32,
    wait_left: Duration,
}

/// Asks for every address in `urls`, grouped by host (and port); the answers in no set
/// order, and the hosts given up on.
pub fn ask_all(
    client: &Client,
    urls: Vec<url::Url>,
    timeout: Duration,
) -> (Vec<(url::Url, Answer)>, Vec<GaveUp>) {
    let mut by_host: BTreeMap<String, Vec<url::Url>> = BTreeMap::new();
    for url in urls {
        by_host.entry(host_of(&url)).or_default().push(url);
    }
    let queue: Mutex<VecDeque<(String, Vec<url::Url>)>> = Mutex::new(by_host.into_iter().collect());
    let answers = Mutex::new(Vec::new());
    let gave_up = Mutex::new(Vec::new());
    let wait_in_all = Mutex::new(WAIT_IN_ALL);
    let workers = HOSTS_AT_ONCE
        .min(queue.lock().map(|q| q.len()).unwrap_or(1))
        .max(1);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().ok().and_then(|mut q| q.pop_front());
                    let Some((host, host_urls)) = next else { break };
                    let mut budget = HostBudget {
                        timeouts: 0,
                        wait_left: WAIT_PER_HOST,
                    };
                    let mut urls = host_urls.into_iter();
                    while let Some(url) = urls.next() {
                        let (answer, stop) = ask(client, &url, timeout, &mut budget, &wait_in_all);
                        if let Ok(mut a) = answers.lock() {
                            a.push((url, answer));
                        }
                        if let Some(why) = stop {
                            let skipped: Vec<url::Url> = urls.by_ref().collect();
                            if !skipped.is_empty()
                                && let Ok(mut g) = gave_up.lock()
                            {
                                g.push(GaveUp {
                                    host: host.clone(),
                                    why,
                                    skipped,
                                });
                            }
                        }
                    }
                }
            });
        }
    });
    let mut gave_up = gave_up.into_inner().unwrap_or_default();
    gave_up.sort_by(|a, b| a.host.cmp(&b.host));
    (answers.into_inner().unwrap_or_default(), gave_up)
}

/// The host and port an address is asked at: one server, whose budget it shares.
fn host_of(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    match url.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    }
}

/// One address, with retries while the host says "later": after the wait its
/// `Retry-After` asks for, or else 1, 2 and 4 seconds, while the budgets allow. With the
/// answer, why the host's other links are not to be asked, if they are not.
fn ask(
    client: &Client,
    url: &url::Url,
    timeout: Duration,
    budget: &mut HostBudget,
    wait_in_all: &Mutex<Duration>,
) -> (Answer, Option<String>) {
    let mut tries = 0;
    let mut waited = Duration::ZERO;
    loop {
        let (answer, again) = ask_once(client, url, timeout);
        let wait = match again {
            Again::TimedOut => {
                budget.timeouts += 1;
                let stop = (budget.timeouts >= TIMEOUTS_PER_HOST).then(|| {
                    format!(
                        "no answer within {} s, {} times",
                        timeout.as_secs_f32(),
                        budget.timeouts
                    )
                });
                return (answer, stop);
            }
            Again::No => return (answer, None),
            Again::After(wait) => wait,
            Again::Later => Duration::from_secs(1 << tries),
        };
        if tries == RETRIES {
            return (answer, None);
        }
        if !take_wait(wait, budget, wait_in_all) {
            let Answer::Unsure(busy) = &answer else {
                return (answer, None);
            };
            let why = format!(
                "{busy} and asks to wait {} s more, after kring waited {} s (at most {} s for one host, {} s for all)",
                wait.as_secs(),
                waited.as_secs(),
                WAIT_PER_HOST.as_secs(),
                WAIT_IN_ALL.as_secs()
            );
            return (answer, Some(why));
        }
        tries += 1;
        waited += wait;
        std::thread::sleep(wait);
    }
}

/// Takes `wait` from the host's budget and the one for all hosts, if both have it.
fn take_wait(wait: Duration, budget: &mut HostBudget, wait_in_all: &Mutex<Duration>) -> bool {
    if wait > budget.wait_left {
        return false;
    }
    let Ok(mut left) = wait_in_all.lock() else {
        return false;
    };
    if wait > *left {
        return false;
    }
    *left -= wait;
    budget.wait_left -= wait;
    true
}

/// Whether to ask again after an answer.
enum Again {
    No,
    /// No: the host did not answer in time (which counts against it).
    TimedOut,
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
        Err(ureq::Error::Timeout(_)) => {
            return (Answer::Unsure(timed_out(timeout)), Again::TimedOut);
        }
        Err(e) => return (failure(e), Again::No),
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

fn failure(e: ureq::Error) -> Answer {
    match e {
        ureq::Error::HostNotFound => Answer::Broken("the host name does not exist (DNS)".into()),
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

fn timed_out(timeout: Duration) -> String {
    format!("no answer within {} s", timeout.as_secs_f32())
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
