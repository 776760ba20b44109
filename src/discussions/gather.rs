//! The conversations of a build: from the cache while it is fresh (or the site is
//! offline), else asked of the listed hosts, with the cache as the fallback when a host
//! fails. Never an error: what cannot be had is a warning.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use jiff::Timestamp;
use url::Url;

use super::fetch::{self, Asker, Failure};
use super::hosts::Policy;
use super::thread::{self, Candidate, Filter};
use super::{Conversation, Fetching, Gathered, Platform, Reply, avatar, bluesky, cache};
use super::{discourse, mastodon};
use crate::config::DiscussionConfig;

/// What a `discuss` URL points to.
#[derive(Debug, Clone)]
enum Target {
    Discourse(discourse::Topic),
    Mastodon(mastodon::Status),
    Bluesky(bluesky::Post),
}

impl Target {
    fn platform(&self) -> Platform {
        match self {
            Target::Discourse(_) => Platform::Discourse,
            Target::Mastodon(_) => Platform::Mastodon,
            Target::Bluesky(_) => Platform::Bluesky,
        }
    }
}

/// The conversation `url` names, by its shape; anything else is none (and never asked).
fn target(url: &str) -> Option<(Url, Target)> {
    let parsed = Url::parse(url.trim()).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return None;
    }
    // The exact shapes first: `/users/t/statuses/1` is a Mastodon status, not a topic.
    let target = mastodon::recognise(&parsed)
        .map(Target::Mastodon)
        .or_else(|| bluesky::recognise(&parsed).map(Target::Bluesky))
        .or_else(|| discourse::recognise(&parsed).map(Target::Discourse))?;
    Some((parsed, target))
}

/// The platform of a `discuss` URL, if kring can show its replies.
pub fn platform_of(url: &str) -> Option<Platform> {
    target(url).map(|(_, t)| t.platform())
}

struct Job {
    url: String,
    parsed: Url,
    target: Target,
    origin: Url,
    cached: Option<Conversation>,
}

pub fn gather(
    site_dir: &Path,
    config: &DiscussionConfig,
    urls: &[String],
    how: &Fetching,
) -> Gathered {
    let mut gathered = Gathered::default();
    if !config.fetch {
        return gathered;
    }
    let policy = Policy::new(config);
    let filter = Filter::new(config);
    let now = Timestamp::now();
    let fresh_for = config.cache_hours.saturating_mul(3600);
    let mut jobs = Vec::new();
    let mut unlisted: BTreeMap<String, usize> = BTreeMap::new();
    let mut seen = HashSet::new();
    for url in urls {
        if !seen.insert(url.as_str()) {
            continue;
        }
        let Some((parsed, target)) = target(url) else {
            continue;
        };
        let cached = cache::read(site_dir, url);
        if config.offline || how.cache_only {
            match cached {
                Some(c) => keep(&mut gathered, c),
                None if config.offline => gathered.warnings.push(format!(
                    "discussion {url}: not in {} and `offline = true`: its page shows the link only",
                    cache::folder(Path::new("")).display()
                )),
                None => {}
            }
            continue;
        }
        if let Some(c) = cached
            .as_ref()
            .filter(|c| age(c, now).is_some_and(|a| a < fresh_for))
        {
            keep(&mut gathered, c.clone());
            continue;
        }
        let Some(origin) = policy.origin(&parsed) else {
            let host = match parsed.port() {
                Some(p) => format!("{}:{p}", parsed.host_str().unwrap_or_default()),
                None => parsed.host_str().unwrap_or_default().to_string(),
            };
            *unlisted.entry(host).or_default() += 1;
            continue;
        };
        let host = origin.to_string();
        jobs.push((
            host,
            Job {
                url: url.clone(),
                parsed,
                target,
                origin,
                cached,
            },
        ));
    }
    for (host, n) in unlisted {
        gathered.warnings.push(format!(
            "{n} discussion{} on {host} not fetched: {host} is not in [discussion] hosts",
            if n == 1 { "" } else { "s" }
        ));
    }
    let client = fetch::client(how, policy.listed());
    let results = fetch::for_each_host(
        jobs,
        || Asker::new(&client, &policy, how),
        |asker, job| conversation(asker, site_dir, job, &filter),
    );
    for (job, result) in results {
        match (result, job.cached) {
            (Ok(c), _) => {
                if let Err(e) = cache::write(site_dir, &c) {
                    gathered
                        .warnings
                        .push(format!("discussion {}: not kept in the cache ({e})", c.url));
                }
                keep(&mut gathered, c);
            }
            (Err(f), Some(c)) => {
                let old =
                    age(&c, now).map_or("at an unknown time".into(), |a| format!("{} ago", ago(a)));
                gathered.warnings.push(format!(
                    "discussion {}: could not be fetched ({f}); showing the replies fetched {old}",
                    job.url
                ));
                keep(&mut gathered, c);
            }
            (Err(f), None) => gathered.warnings.push(format!(
                "discussion {}: could not be fetched ({f}); its page shows the link only",
                job.url
            )),
        }
    }
    for c in gathered.conversations.values_mut() {
        for r in c.replies.iter_mut() {
            local_avatar(site_dir, r);
            r.children
                .iter_mut()
                .for_each(|child| local_avatar(site_dir, child));
        }
    }
    gathered.warnings.sort();
    gathered
}

fn keep(gathered: &mut Gathered, c: Conversation) {
    gathered.conversations.insert(c.url.clone(), c);
}

/// The avatar kept as a path under the site (in the cache file) as the file itself, if
/// it is there and in the avatars folder.
fn local_avatar(site_dir: &Path, reply: &mut Reply) {
    reply.author.avatar = reply.author.avatar.take().and_then(|rel| {
        let inside = rel.starts_with(avatar::folder())
            && rel
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)));
        let file = site_dir.join(rel);
        (inside && file.is_file()).then_some(file)
    });
}

/// Seconds since `c` was fetched.
fn age(c: &Conversation, now: Timestamp) -> Option<u64> {
    let at: Timestamp = c.fetched_at.parse().ok()?;
    u64::try_from(now.as_second() - at.as_second()).ok()
}

/// "40 minutes", "3 hours", "2 days".
pub fn ago(secs: u64) -> String {
    let (n, unit) = match secs {
        0..120 => (secs, "second"),
        120..7_200 => (secs / 60, "minute"),
        7_200..172_800 => (secs / 3_600, "hour"),
        _ => (secs / 86_400, "day"),
    };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// Asks for one conversation and the avatars of the replies shown.
fn conversation(
    asker: &Asker,
    site_dir: &Path,
    job: &Job,
    filter: &Filter,
) -> Result<Conversation, Failure> {
    let (origin, discuss) = (&job.origin, &job.parsed);
    let fetched = match &job.target {
        Target::Discourse(t) => discourse::fetch(asker, origin, t, discuss, filter)?,
        Target::Mastodon(s) => mastodon::fetch(asker, origin, s, discuss)?,
        Target::Bluesky(p) => bluesky::fetch(asker, origin, p, discuss)?,
    };
    let host = discuss.host_str().unwrap_or_default();
    let shown = thread::shown(&fetched.candidates, filter, host);
    let mut slots: Vec<Option<Candidate>> = fetched.candidates.into_iter().map(Some).collect();
    let mut take = |i: usize| {
        let c = slots[i].take()?;
        let mut reply = c.reply;
        reply.author.avatar = c.avatar.and_then(|a| avatar::fetch(asker, site_dir, &a));
        Some(reply)
    };
    let replies = shown
        .into_iter()
        .filter_map(|(i, children)| {
            let mut reply = take(i)?;
            reply.children = children.into_iter().filter_map(&mut take).collect();
            Some(reply)
        })
        .collect();
    Ok(Conversation {
        url: job.url.clone(),
        platform: job.target.platform(),
        join_url: fetched.join_url,
        reply_count: fetched.reply_count,
        replies,
        fetched_at: Timestamp::now().to_string(),
    })
}
