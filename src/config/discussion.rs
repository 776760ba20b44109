//! `[discussion]`: where pages are discussed, and whether their replies are fetched.

use serde::{Deserialize, Serialize};

use crate::vocabulary::HttpUrl;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DiscussionConfig {
    /// Where articles without a `discuss` link are discussed, e.g. a forum category.
    pub default: Option<HttpUrl>,
    /// Fetch the replies of pages' `discuss` links at build time (off unless set).
    #[serde(default)]
    pub fetch: bool,
    /// Never ask the hosts: show what `.kring-cache/discussions/` holds (CI without
    /// network, the example site).
    #[serde(default)]
    pub offline: bool,
    /// The only hosts asked: `forum.example.org`, `mastodon.social:8443`, `bsky.app`;
    /// `http://` only as written here (`"http://127.0.0.1:8080"`).
    #[serde(default)]
    pub hosts: Vec<String>,
    /// Replies shown per page.
    #[serde(default = "default_show")]
    pub show: usize,
    /// How long a fetched conversation is used before it is asked for again (0: every
    /// build, with the cache as the fallback when the host cannot be reached).
    #[serde(default = "default_cache_hours")]
    pub cache_hours: u64,
    /// Reply URLs never shown (a person asked for theirs to be hidden).
    #[serde(default)]
    pub hide: Vec<String>,
    /// Accounts never shown: `@name@host` (or `@name` on a forum).
    #[serde(default)]
    pub hide_accounts: Vec<String>,
}

fn default_show() -> usize {
    5
}

fn default_cache_hours() -> u64 {
    6
}

impl Default for DiscussionConfig {
    fn default() -> Self {
        DiscussionConfig {
            default: None,
            fetch: false,
            offline: false,
            hosts: Vec::new(),
            show: default_show(),
            cache_hours: default_cache_hours(),
            hide: Vec::new(),
            hide_accounts: Vec::new(),
        }
    }
}
