//! The one HTTP client of the commands that reach other hosts (`kring import
//! --download-images`, `kring check --external`): ureq with rustls, a proxy from the
//! environment for other hosts and never for this machine itself.

pub mod guard;

use std::time::Duration;

use ureq::unversioned::resolver::{DefaultResolver, Resolver};
use ureq::unversioned::transport::DefaultConnector;

/// Two agents with the same settings: one through the environment's proxy (if any), one
/// direct for loopback addresses (a proxy cannot reach the user's own 127.0.0.1).
pub struct Client {
    proxied: ureq::Agent,
    direct: ureq::Agent,
}

impl Client {
    /// `purpose` goes into the User-Agent (`kring/0.1.0 (import)`), so a site owner who
    /// sees the requests knows what made them.
    pub fn new(purpose: &str, timeout: Duration, max_redirects: u32) -> Client {
        Client::with_resolver(purpose, timeout, max_redirects, |_| None::<DefaultResolver>)
    }

    /// The same with a resolver of the caller's (given whether the agent is the proxied
    /// one): `kring import` refuses private addresses there, where the connection is made.
    pub fn with_resolver<R: Resolver>(
        purpose: &str,
        timeout: Duration,
        max_redirects: u32,
        resolver: impl Fn(bool) -> Option<R>,
    ) -> Client {
        let agent = |proxy_from_env: bool| -> ureq::Agent {
            let mut config = ureq::Agent::config_builder()
                .timeout_global(Some(timeout))
                .user_agent(format!("kring/{} ({purpose})", env!("CARGO_PKG_VERSION")))
                .max_redirects(max_redirects)
                // A 404 is an answer to report, not a failure of the request.
                .http_status_as_error(false);
            if !proxy_from_env {
                config = config.proxy(None);
            }
            match resolver(proxy_from_env) {
                Some(r) => ureq::Agent::with_parts(config.build(), DefaultConnector::default(), r),
                None => config.build().into(),
            }
        };
        Client {
            proxied: agent(true),
            direct: agent(false),
        }
    }

    /// The agent for `url`.
    pub fn agent(&self, url: &url::Url) -> &ureq::Agent {
        if is_loopback(url) {
            &self.direct
        } else {
            &self.proxied
        }
    }
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}
