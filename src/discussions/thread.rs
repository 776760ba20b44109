//! From what a platform sent to what a page shows: replies in the platform's order, those
//! of hidden URLs and accounts left out, at most `show` of them, each reply's own replies
//! one level under it (deeper ones lifted to that level).

use std::collections::{HashMap, HashSet};

use url::Url;

use super::Reply;
use crate::config::DiscussionConfig;

/// One public reply as a platform sent it, before the lists and `show` are applied.
#[derive(Debug)]
pub struct Candidate {
    /// The platform's id of the post, and that of the post it answers (`None` for a reply
    /// to the conversation's own post).
    pub id: String,
    pub parent: Option<String>,
    pub reply: Reply,
    /// Where the author's avatar is, to download if the reply is shown.
    pub avatar: Option<Url>,
}

/// What a platform sent about one conversation.
#[derive(Debug)]
pub struct Fetched {
    pub join_url: String,
    pub reply_count: usize,
    /// Public replies, in the order the platform gives them.
    pub candidates: Vec<Candidate>,
}

/// `show`, `hide` and `hide_accounts`, made ready for matching.
#[derive(Debug, Clone)]
pub struct Filter {
    pub show: usize,
    hide: HashSet<String>,
    hide_accounts: HashSet<String>,
}

impl Filter {
    pub fn new(config: &DiscussionConfig) -> Filter {
        Filter {
            show: config.show,
            hide: config.hide.iter().map(|u| same_url(u)).collect(),
            hide_accounts: config
                .hide_accounts
                .iter()
                .map(|a| a.trim().to_lowercase())
                .collect(),
        }
    }

    /// Whether `reply` is left out. Handles are matched without regard to case (Mastodon,
    /// Bluesky and Discourse all treat names so); a forum's `@name` also as
    /// `@name@forum-host`.
    pub fn hides(&self, reply: &Reply, host: &str) -> bool {
        let handle = reply.author.handle.to_lowercase();
        let on_host = format!("{handle}@{}", host.to_lowercase());
        self.hide.contains(&same_url(&reply.url))
            || self.hide_accounts.contains(&handle)
            || (handle.matches('@').count() == 1 && self.hide_accounts.contains(&on_host))
    }

    /// How many of `candidates` would be shown (those not hidden), up to `show`.
    pub fn kept(&self, candidates: &[Candidate], host: &str) -> usize {
        candidates
            .iter()
            .filter(|c| !self.hides(&c.reply, host))
            .take(self.show)
            .count()
    }
}

/// A URL as `hide` compares it: parsed (so case of the host and escapes do not matter),
/// without query, fragment and a trailing slash.
fn same_url(u: &str) -> String {
    match Url::parse(u.trim()) {
        Ok(mut url) => {
            url.set_query(None);
            url.set_fragment(None);
            url.to_string().trim_end_matches('/').to_string()
        }
        Err(_) => u.trim().to_string(),
    }
}

/// The replies shown, as indexes into `candidates`: each with its own replies.
pub fn shown(candidates: &[Candidate], filter: &Filter, host: &str) -> Vec<(usize, Vec<usize>)> {
    let kept: Vec<usize> = (0..candidates.len())
        .filter(|&i| !filter.hides(&candidates[i].reply, host))
        .collect();
    let index: HashMap<&str, usize> = kept
        .iter()
        .map(|&i| (candidates[i].id.as_str(), i))
        .collect();
    // A reply's top: the first reply up its chain that answers the conversation itself
    // (or whose parent is hidden or was not sent). Bounded by the count, in case a
    // platform sends a cycle.
    let top = |mut i: usize| {
        for _ in 0..candidates.len() {
            match candidates[i].parent.as_deref().and_then(|p| index.get(p)) {
                Some(&p) if p != i => i = p,
                _ => break,
            }
        }
        i
    };
    let mut out: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut count = 0;
    for i in kept {
        if count == filter.show {
            break;
        }
        let t = top(i);
        if t == i {
            out.push((i, Vec::new()));
            count += 1;
        } else if let Some((_, children)) = out.iter_mut().find(|(r, _)| *r == t) {
            children.push(i);
            count += 1;
        }
    }
    out
}
