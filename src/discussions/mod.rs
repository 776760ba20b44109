//! The conversations pages link to (`discuss = "https://forum…/t/slug/123"`), fetched at
//! build time from the platform's public JSON and kept in `.kring-cache/discussions/`, so a
//! page can show its replies without a script or a request to another host.
//!
//! This module sits beside `content`: like the site's own files, a conversation is input
//! the model reads. Only what people chose to make public is kept, and only what the page
//! shows: names, handles, avatars (as local files for the image pipeline), dates, text as
//! paragraphs of plain runs and links.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The platform a `discuss` URL points to, decided from its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    /// A Discourse topic: `https://forum.example.org/t/slug/123`.
    Discourse,
    /// A Mastodon (or Mastodon-API) status: `https://host/@name/123`.
    Mastodon,
    /// A Bluesky post: `https://bsky.app/profile/handle/post/rkey`.
    Bluesky,
}

/// One conversation as kept in the cache and shown on the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    /// The `discuss` URL as the page gives it (the key pages find their conversation by).
    pub url: String,
    pub platform: Platform,
    /// Where a reader joins in (the topic or the post itself).
    pub join_url: String,
    /// Public replies in the whole thread, counted before `hide` and `show` are applied
    /// (Discourse: its `posts_count` less the topic's own post; Mastodon: public
    /// descendants; Bluesky: the replies the AppView sends, three levels deep).
    pub reply_count: usize,
    /// The replies shown: at most `show`, hidden ones left out; each keeps its own replies
    /// one level deep (deeper ones are lifted to that level).
    pub replies: Vec<Reply>,
    /// When it was fetched, RFC 3339 (what "the cache is 3 hours old" is measured from).
    pub fetched_at: String,
}

/// One public reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    /// The reply's own public URL (what `hide` lists, and what the page links to).
    pub url: String,
    pub author: Author,
    /// When it was posted, RFC 3339 with offset.
    pub published: String,
    /// The text reduced to paragraphs of plain text and links: nothing else of the
    /// platform's HTML survives, so nothing in it can be markup on the page.
    pub paragraphs: Vec<Paragraph>,
    /// Replies to this reply (one level; empty for those already one level down).
    pub children: Vec<Reply>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Author {
    /// The display name as the person set it (plain text, bounded).
    pub name: String,
    /// `@name@host` for Mastodon and Bluesky handles, `@name` on a Discourse forum: what
    /// `hide_accounts` matches.
    pub handle: String,
    /// The avatar, downloaded into `.kring-cache/discussions/avatars/`, for the image
    /// pipeline (resized, metadata stripped, published from the site itself). The cache
    /// file keeps it relative to the site; [`gather`] hands out the file's full path, and
    /// `None` when the file is gone.
    pub avatar: Option<PathBuf>,
}

/// A paragraph: runs of text and links, in order.
pub type Paragraph = Vec<Inline>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Inline {
    Text {
        text: String,
    },
    /// Only `http`/`https` targets survive; any other link becomes its text.
    Link {
        href: String,
        text: String,
    },
}

mod avatar;
mod bluesky;
pub mod cache;
mod discourse;
mod fetch;
mod gather;
pub mod hosts;
mod mastodon;
pub mod reduce;
mod thread;

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use crate::config::DiscussionConfig;

pub use gather::platform_of;

/// The conversations a build shows, by `discuss` URL, and what went wrong on the way
/// (a host that could not be reached, a cache that is old).
#[derive(Debug, Default)]
pub struct Gathered {
    pub conversations: HashMap<String, Conversation>,
    pub warnings: Vec<String>,
}

/// How [`gather_with`] asks the hosts.
#[derive(Debug, Clone)]
pub struct Fetching {
    /// The most one request may take (connecting, waiting, reading).
    pub timeout: Duration,
    /// The longest `Retry-After` waited for; a host asking for longer is given up on for
    /// this build (its conversations come from the cache).
    pub most_wait: Duration,
    /// Ask no host now, only read the cache: `kring serve`'s first build, which must not
    /// wait for the network (see [`refresh_in_background`]).
    pub cache_only: bool,
}

impl Default for Fetching {
    fn default() -> Self {
        Fetching {
            timeout: Duration::from_secs(10),
            most_wait: Duration::from_secs(20),
            cache_only: false,
        }
    }
}

/// The conversations of `urls` (the pages' `discuss` links): from the cache while it is
/// fresh or when the site is `offline`, otherwise asked of the hosts listed in `hosts`.
/// Never fails the build: what cannot be had is a warning, and the page shows its link as
/// before.
pub fn gather(site_dir: &Path, config: &DiscussionConfig, urls: &[String]) -> Gathered {
    gather_with(site_dir, config, urls, &Fetching::default())
}

/// [`gather`], asking the hosts as `how` says.
pub fn gather_with(
    site_dir: &Path,
    config: &DiscussionConfig,
    urls: &[String],
    how: &Fetching,
) -> Gathered {
    gather::gather(site_dir, config, urls, how)
}

/// For `kring serve`: gathers in a thread of its own (asking the hosts, filling the
/// cache) and hands the result to `done`, e.g. to rebuild with what is now in the cache
/// while builds in between use [`Fetching::cache_only`].
pub fn refresh_in_background(
    site_dir: std::path::PathBuf,
    config: DiscussionConfig,
    urls: Vec<String>,
    done: impl FnOnce(Gathered) + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("kring-discussions".into())
        .spawn(move || done(gather(&site_dir, &config, &urls)))
}

/// When `timestamp` (as a platform writes it) is, as RFC 3339 in UTC; `None` if it is
/// not a time.
fn timestamp(text: &str) -> Option<String> {
    text.trim()
        .parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.to_string())
}
