//! Which hosts kring asks, and where: only those listed in `[discussion] hosts`, over
//! https unless the entry is written with `http://`, at the entry's port.

use url::Url;

use crate::config::{DiscussionConfig, HostEntry};

/// Bluesky's web app does not serve the API: its posts are read from the public AppView,
/// which answers without an account.
const BLUESKY_WEB: &str = "bsky.app";
const BLUESKY_APPVIEW: &str = "https://public.api.bsky.app/";

/// The listed hosts.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    entries: Vec<HostEntry>,
}

impl Policy {
    /// The policy of `config` (entries that are not hosts were refused when the config
    /// was read, so none is left out here but in a config made in code).
    pub fn new(config: &DiscussionConfig) -> Policy {
        Policy {
            entries: config
                .hosts
                .iter()
                .filter_map(|h| HostEntry::parse(h).ok())
                .collect(),
        }
    }

    /// The entry listing `url`'s host and port (an entry without a port lists the default
    /// one of its scheme).
    fn entry(&self, url: &Url) -> Option<&HostEntry> {
        let host = url.host_str()?.to_ascii_lowercase();
        let port = url.port_or_known_default()?;
        self.entries.iter().find(|e| {
            let own = e.port.unwrap_or(if e.http { 80 } else { 443 });
            e.host == host && own == port
        })
    }

    /// The listed hosts with their ports, as the connection guard wants them.
    pub fn listed(&self) -> Vec<(String, u16)> {
        self.entries
            .iter()
            .map(|e| {
                let port = e.port.unwrap_or(if e.http { 80 } else { 443 });
                (e.host.clone(), port)
            })
            .collect()
    }

    /// Where the API of `url`'s site is asked: `scheme://host[:port]/` of its entry, or
    /// `None` when its host is not listed.
    pub fn origin(&self, url: &Url) -> Option<Url> {
        let e = self.entry(url)?;
        let scheme = if e.http { "http" } else { "https" };
        let origin = match e.port {
            Some(p) => format!("{scheme}://{}:{p}/", bracketed(&e.host)),
            None => format!("{scheme}://{}/", bracketed(&e.host)),
        };
        Url::parse(&origin).ok()
    }

    /// Whether an avatar at `url` may be downloaded for a conversation on a listed host:
    /// avatars live on the platform's own CDN, so any host over https, and plain http only
    /// where the entry for that host says `http://`.
    pub fn allows_avatar(&self, url: &Url) -> bool {
        match url.scheme() {
            "https" => url.host_str().is_some(),
            "http" => self.entry(url).is_some_and(|e| e.http),
            _ => false,
        }
    }
}

/// The XRPC endpoint Bluesky posts of the site at `origin` are read from: the public
/// AppView for `bsky.app`, the listed host's own `/xrpc/` for any other.
pub fn xrpc(origin: &Url) -> Url {
    let base = if origin.host_str() == Some(BLUESKY_WEB) && origin.port().is_none() {
        Url::parse(BLUESKY_APPVIEW).unwrap_or_else(|_| origin.clone())
    } else {
        origin.clone()
    };
    base.join("xrpc/").unwrap_or(base)
}

/// An IPv6 address as a URL wants it.
fn bracketed(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(hosts: &[&str]) -> Policy {
        let config = DiscussionConfig {
            hosts: hosts.iter().map(|h| h.to_string()).collect(),
            ..DiscussionConfig::default()
        };
        config.check().unwrap();
        Policy::new(&config)
    }

    fn origin(p: &Policy, url: &str) -> Option<String> {
        p.origin(&Url::parse(url).unwrap()).map(|u| u.to_string())
    }

    #[test]
    fn only_listed_hosts_are_asked_over_https_unless_written_with_http() {
        let p = policy(&[
            "Forum.Example.org",
            "mastodon.social:8443",
            "http://127.0.0.1:8080",
        ]);
        assert_eq!(
            origin(&p, "https://forum.example.org/t/x/1").as_deref(),
            Some("https://forum.example.org/")
        );
        // An http:// page on a host listed without http:// is still asked over https.
        assert_eq!(
            origin(&p, "http://FORUM.example.org:443/t/x/1").as_deref(),
            Some("https://forum.example.org/")
        );
        assert_eq!(origin(&p, "http://forum.example.org/t/x/1"), None);
        assert_eq!(
            origin(&p, "https://mastodon.social:8443/@a/1").as_deref(),
            Some("https://mastodon.social:8443/")
        );
        assert_eq!(origin(&p, "https://mastodon.social/@a/1"), None);
        assert_eq!(
            origin(&p, "http://127.0.0.1:8080/@a/1").as_deref(),
            Some("http://127.0.0.1:8080/")
        );
        assert_eq!(origin(&p, "http://127.0.0.1:8081/@a/1"), None);
        assert_eq!(origin(&p, "https://sub.forum.example.org/t/x/1"), None);
        assert_eq!(origin(&p, "https://example.org/t/x/1"), None);
        assert_eq!(
            origin(&p, "https://forum.example.org.evil.test/t/x/1"),
            None
        );
    }

    #[test]
    fn avatars_over_https_anywhere_and_http_only_where_listed() {
        let p = policy(&["forum.example.org", "http://127.0.0.1:8080"]);
        let allows = |u: &str| p.allows_avatar(&Url::parse(u).unwrap());
        assert!(allows("https://cdn.example.net/a.png"));
        assert!(allows("http://127.0.0.1:8080/a.png"));
        assert!(!allows("http://cdn.example.net/a.png"));
        assert!(!allows("http://127.0.0.1:9/a.png"));
        assert!(!allows("data:image/png;base64,AAAA"));
        assert!(!allows("file:///etc/passwd"));
    }

    #[test]
    fn bluesky_posts_are_read_from_the_appview_or_the_listed_host() {
        let x = |o: &str| xrpc(&Url::parse(o).unwrap()).to_string();
        assert_eq!(x("https://bsky.app/"), "https://public.api.bsky.app/xrpc/");
        assert_eq!(x("http://127.0.0.1:8080/"), "http://127.0.0.1:8080/xrpc/");
        assert_eq!(
            x("https://bsky.example.org/"),
            "https://bsky.example.org/xrpc/"
        );
    }

    #[test]
    fn entries_that_are_not_hosts_are_config_errors_naming_them() {
        for bad in [
            "",
            "https://",
            "forum.example.org/t/1",
            "ftp://forum.example.org",
            "user@forum.example.org",
            "*.example.org",
            "forum example.org",
            "forum.example.org:99999",
            "forum.example.org\0",
            "forum.example.org?x",
        ] {
            let config = DiscussionConfig {
                hosts: vec!["bsky.app".into(), bad.into()],
                ..DiscussionConfig::default()
            };
            let e = config.check().expect_err(bad);
            assert!(e.contains(&format!("`{bad}`")), "{bad:?}: {e}");
        }
        let e = HostEntry::parse("[::1]:8080").unwrap();
        assert_eq!((e.host.as_str(), e.port), ("[::1]", Some(8080)));
        let e = HostEntry::parse("HTTPS://Bücher.example/").unwrap();
        assert_eq!((e.host.as_str(), e.http), ("xn--bcher-kva.example", false));
    }
}
