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
    /// `http://` only as written here (`"http://127.0.0.1:8080"`). Bluesky posts are read
    /// from the host's `/xrpc/`, for `bsky.app` from the public AppView
    /// (`public.api.bsky.app`). Avatars come from whatever host the platform names, over
    /// https.
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

/// One entry of `hosts`, as asked: the scheme (`https` unless the entry is written with
/// `http://`), the host in lower case (IDN as punycode) and its port, if it names one
/// other than the scheme's own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostEntry {
    pub http: bool,
    pub host: String,
    pub port: Option<u16>,
}

impl HostEntry {
    /// `forum.example.org`, `mastodon.social:8443`, `http://127.0.0.1:8080`; anything
    /// else (a path, a user, a wildcard, another scheme) is refused with why.
    pub fn parse(entry: &str) -> Result<HostEntry, String> {
        let bad = |why: &str| {
            format!(
                "[discussion] hosts: `{entry}` {why}: write a host name, optionally with a port (\"forum.example.org\", \"mastodon.social:8443\"), or \"http://host:port\" for a server without TLS"
            )
        };
        let lower = entry.to_ascii_lowercase();
        let (http, rest) = match lower.split_once("://") {
            Some(("http", rest)) => (true, rest),
            Some(("https", rest)) => (false, rest),
            Some(_) => return Err(bad("has a scheme other than http:// or https://")),
            None => (false, lower.as_str()),
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.is_empty() {
            return Err(bad("names no host"));
        }
        if let Some(c) = rest.chars().find(|c| {
            matches!(c, '/' | '?' | '#' | '@' | '*' | '\\') || c.is_whitespace() || c.is_control()
        }) {
            return Err(bad(&format!("has `{}` in it", c.escape_debug())));
        }
        let scheme = if http { "http" } else { "https" };
        let url = url::Url::parse(&format!("{scheme}://{rest}/"))
            .map_err(|e| bad(&format!("is not a host ({e})")))?;
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| bad("names no host"))?;
        Ok(HostEntry {
            http,
            host: host.to_string(),
            port: url.port(),
        })
    }
}

impl DiscussionConfig {
    /// The entries of `hosts`; the first that is not a host is the error.
    pub fn host_entries(&self) -> Result<Vec<HostEntry>, String> {
        self.hosts.iter().map(|h| HostEntry::parse(h)).collect()
    }

    /// What the keys need together, as the message for it.
    pub fn check(&self) -> Result<(), String> {
        self.host_entries().map(|_| ())
    }
}
