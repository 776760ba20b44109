//! Asking the hosts: [`HOSTS_AT_ONCE`] hosts at a time and one request at a time per host
//! (no forum sees a build as a flood), a timeout per request, `Retry-After` on 429 and 503
//! honoured up to [`Fetching::most_wait`], bounded redirects and bodies. A host that does
//! not answer in time, or stays busy, is not asked again in that build: its other
//! conversations come from the cache.

use std::cell::Cell;
use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use serde::de::DeserializeOwned;
use url::Url;

use super::Fetching;
use super::hosts::Policy;
use crate::http::Client;
use crate::http::guard;

/// Hosts asked at the same time.
pub const HOSTS_AT_ONCE: usize = 4;
/// Tries after the first when a host answers 429 (too many requests) or 503.
const RETRIES: u32 = 3;
/// The most kring waits for one host over a build, in `Retry-After`s of
/// [`Fetching::most_wait`]: a host that keeps asking to wait is given up on.
const WAITS_PER_HOST: u32 = 3;
/// Redirects followed for one request.
const MAX_REDIRECTS: u32 = 5;
/// The most bytes of one JSON answer: a 10,000-reply thread is cut off (an error, and the
/// cache is used) rather than read into memory whole.
pub const MOST_JSON: u64 = 8 * 1024 * 1024;

/// Why a conversation (or an avatar) could not be had from its host.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Failure {
    #[error("no answer within {} s", .0.as_secs_f32())]
    TimedOut(Duration),
    #[error("the host answers {status} (busy){}", busy_wait(*.wait, *.most))]
    Busy {
        status: u16,
        wait: Option<u64>,
        /// What kring would still wait for.
        most: Duration,
    },
    #[error("the host answers {0}")]
    Status(u16),
    #[error("the host cannot be reached ({0})")]
    Unreachable(String),
    #[error("the answer is larger than {} MiB", .0 / (1024 * 1024))]
    TooLarge(u64),
    #[error("the answer is not what kring expects ({0})")]
    Malformed(String),
    #[error("the post is deleted, blocked or not public")]
    Gone,
    #[error("not asked: the host {0} earlier in this build")]
    HostGaveUp(String),
}

fn busy_wait(wait: Option<u64>, most: Duration) -> String {
    match wait {
        Some(s) if Duration::from_secs(s) > most => format!(
            " and asks to wait {s} s, longer than kring waits now ({} s)",
            most.as_secs()
        ),
        _ => format!(" after {RETRIES} tries"),
    }
}

impl Failure {
    /// Whether the host's other conversations are better not asked in this build.
    fn gives_up_on_host(&self) -> bool {
        matches!(
            self,
            Failure::TimedOut(_) | Failure::Busy { .. } | Failure::Unreachable(_)
        )
    }

    /// The failure as "the host …" for the ones left unasked.
    fn as_reason(&self) -> String {
        match self {
            Failure::TimedOut(t) => format!("gave no answer within {} s", t.as_secs_f32()),
            Failure::Busy { status, .. } => format!("stayed busy ({status})"),
            other => format!("failed ({other})"),
        }
    }
}

/// Asks one host's questions, one at a time.
pub struct Asker<'a> {
    client: &'a Client,
    pub policy: &'a Policy,
    settings: &'a Fetching,
    /// What is left of the host's waits for this build.
    wait_left: Cell<Duration>,
}

impl<'a> Asker<'a> {
    pub fn new(client: &'a Client, policy: &'a Policy, settings: &'a Fetching) -> Asker<'a> {
        Asker {
            client,
            policy,
            settings,
            wait_left: Cell::new(settings.most_wait * WAITS_PER_HOST),
        }
    }

    /// The JSON at `url`.
    pub fn json<T: DeserializeOwned>(&self, url: &Url) -> Result<T, Failure> {
        let (bytes, _) = self.get(url, MOST_JSON, "application/json")?;
        serde_json::from_slice(&bytes).map_err(|e| Failure::Malformed(e.to_string()))
    }

    /// The body at `url` (at most `most` bytes) and its content type, after waits the host
    /// asks for while they are short enough.
    pub fn get(&self, url: &Url, most: u64, accept: &str) -> Result<(Vec<u8>, String), Failure> {
        let mut tries = 0;
        loop {
            let request = self
                .client
                .agent(url)
                .get(url.as_str())
                .header("Accept", accept);
            let mut response = match request.call() {
                Ok(r) => r,
                Err(ureq::Error::Timeout(_)) => {
                    return Err(Failure::TimedOut(self.settings.timeout));
                }
                Err(e) => return Err(Failure::Unreachable(e.to_string())),
            };
            let status = response.status().as_u16();
            if matches!(status, 429 | 503) {
                let wait = response
                    .headers()
                    .get("retry-after")
                    .and_then(|v| v.to_str().ok())
                    .and_then(retry_after);
                let most = self.settings.most_wait.min(self.wait_left.get());
                let pause = Duration::from_secs(wait.unwrap_or(1));
                if tries == RETRIES || pause > most {
                    return Err(Failure::Busy { status, wait, most });
                }
                tries += 1;
                self.wait_left
                    .set(self.wait_left.get().saturating_sub(pause));
                std::thread::sleep(pause);
                continue;
            }
            if !(200..300).contains(&status) {
                return Err(Failure::Status(status));
            }
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_ascii_lowercase();
            let body = response.body_mut().with_config().limit(most).read_to_vec();
            return match body {
                Ok(bytes) => Ok((bytes, content_type)),
                Err(ureq::Error::BodyExceedsLimit(_)) => Err(Failure::TooLarge(most)),
                Err(ureq::Error::Timeout(_)) => Err(Failure::TimedOut(self.settings.timeout)),
                Err(e) => Err(Failure::Unreachable(e.to_string())),
            };
        }
    }
}

/// Seconds to wait from a `Retry-After` header: a number of seconds or an HTTP date.
fn retry_after(value: &str) -> Option<u64> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(secs);
    }
    let at = jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(value)
        .ok()?;
    let secs = at.as_second() - jiff::Timestamp::now().as_second();
    Some(secs.max(0) as u64)
}

/// The client conversations are asked with. The hosts in `[discussion] hosts` (`listed`,
/// with their ports) are reached wherever they are; everything else a request reaches (an
/// avatar on a CDN, where a redirect leads) must be on the public internet, so a hostile
/// account's avatar address cannot make the build fetch and publish this machine's or its
/// network's files. The check is made as each connection is opened (`http::guard`).
pub fn client(settings: &Fetching, listed: Vec<(String, u16)>) -> Client {
    let proxy_host = ureq::Proxy::try_from_env().map(|p| p.host().to_string());
    let policy = guard::Policy {
        listed,
        ..Default::default()
    };
    Client::with_resolver("discussions", settings.timeout, MAX_REDIRECTS, |_| {
        Some(guard::Checked {
            policy: policy.clone(),
            proxy_host: proxy_host.clone(),
        })
    })
}

/// Does `work` for every job, grouped by host (`jobs` are `(host, job)`), with the state
/// `per_host` makes for each host: at most [`HOSTS_AT_ONCE`] hosts at a time, one job at
/// a time per host. After a job fails in a way that says the host is down or busy, its
/// host's other jobs are not done.
pub fn for_each_host<J, R, S>(
    jobs: Vec<(String, J)>,
    per_host: impl Fn() -> S + Sync,
    work: impl Fn(&S, &J) -> Result<R, Failure> + Sync,
) -> Vec<(J, Result<R, Failure>)>
where
    J: Send,
    R: Send,
{
    let mut by_host: BTreeMap<String, Vec<J>> = BTreeMap::new();
    for (host, job) in jobs {
        by_host.entry(host).or_default().push(job);
    }
    let hosts = by_host.len();
    let queue = Mutex::new(by_host.into_values().collect::<VecDeque<_>>());
    let done = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..HOSTS_AT_ONCE.min(hosts) {
            scope.spawn(|| {
                while let Some(host_jobs) = queue.lock().ok().and_then(|mut q| q.pop_front()) {
                    let mut gave_up: Option<String> = None;
                    let state = per_host();
                    for job in host_jobs {
                        let result = match &gave_up {
                            Some(why) => Err(Failure::HostGaveUp(why.clone())),
                            None => work(&state, &job),
                        };
                        if let Err(f) = &result
                            && f.gives_up_on_host()
                        {
                            gave_up = Some(f.as_reason());
                        }
                        if let Ok(mut d) = done.lock() {
                            d.push((job, result));
                        }
                    }
                }
            });
        }
    });
    done.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether a request for `url` with `client` reaches a listener: the guard refuses
    /// before connecting, so the listener counts what got through.
    fn reaches(listed: Vec<(String, u16)>, path: &str) -> bool {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let listed: Vec<(String, u16)> = listed
            .into_iter()
            .map(|(h, p)| (h, if p == 0 { port } else { p }))
            .collect();
        let quick = Fetching {
            timeout: Duration::from_millis(300),
            ..Fetching::default()
        };
        let client = client(&quick, listed);
        let url = Url::parse(&format!("https://127.0.0.1:{port}{path}")).unwrap();
        listener.set_nonblocking(true).unwrap();
        let answered = client.agent(&url).get(url.as_str()).call();
        assert!(answered.is_err(), "no TLS there: {answered:?}");
        listener.accept().is_ok()
    }

    #[test]
    fn only_listed_hosts_may_be_on_this_machine_or_its_network() {
        // An avatar or a redirect pointing at this machine: refused before connecting.
        assert!(!reaches(vec![], "/avatar.png"));
        assert!(!reaches(vec![("127.0.0.1".into(), 1)], "/avatar.png"));
        assert!(!reaches(vec![("localhost".into(), 0)], "/avatar.png"));
        // The same address listed in [discussion] hosts with its port: reached.
        assert!(reaches(vec![("127.0.0.1".into(), 0)], "/t/1.json"));
    }

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        assert_eq!(retry_after("120"), Some(120));
        assert_eq!(retry_after(" 0 "), Some(0));
        // A date in the past: no wait.
        assert_eq!(retry_after("Sun, 06 Nov 1994 08:49:37 GMT"), Some(0));
        let later = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(3600);
        let header = jiff::fmt::rfc2822::DateTimePrinter::new()
            .timestamp_to_rfc9110_string(&later)
            .unwrap();
        assert!(
            retry_after(&header).is_some_and(|s| (3500..=3600).contains(&s)),
            "{header}"
        );
        for not in ["", "soon", "-5", "1.5", "99999999999999999999999"] {
            assert_eq!(retry_after(not), None, "{not}");
        }
    }
}
