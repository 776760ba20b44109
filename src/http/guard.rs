//! What a fetch of someone else's address may reach (`kring import --download-images`,
//! avatars of fetched conversations): hosts on the public internet only. An export is
//! someone else's file, and its image addresses could name this machine (`127.0.0.1`,
//! `localhost`, `2130706433`, `[::1]`), its network (`10.0.0.1`) or a cloud's metadata
//! service (`169.254.169.254`); what such a server answers would be published with the
//! site. The check is on addresses, not on how they are written: every name is resolved
//! and every address it has must be public, and the connection goes to the addresses that
//! were checked (a resolver plugged into ureq), so a name cannot resolve to a public
//! address for the check and to a private one for the request. Each redirect is checked
//! the same way. `--allow-private-hosts` lifts all of it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};

use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};

/// What may be fetched.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// `--allow-private-hosts`: anything.
    pub allow_private: bool,
    /// One address allowed although private (the tests' server, which stands in for a
    /// public host that redirects).
    pub trusted: Option<SocketAddr>,
    /// Hosts the user named in the config (`host`, port), allowed whatever their address:
    /// `[discussion] hosts` may list a forum on the user's own network. Any other host a
    /// request reaches (an avatar's CDN, a redirect) must still be public.
    pub listed: Vec<(String, u16)>,
}

/// Why an address is not public, or `None` when it is.
pub fn private_kind(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => v4_kind(v4),
        IpAddr::V6(v6) => v6_kind(v6),
    }
}

fn v4_kind(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b) {
        _ if ip.is_loopback() => "a loopback address (this machine)",
        (0, _) => "an unspecified address (this machine)",
        _ if ip.is_private() => "a private network's address",
        (100, 64..=127) => "a shared (carrier) network's address",
        _ if ip.is_link_local() => "a link-local address (cloud metadata lives there)",
        _ if ip.is_multicast() => "a multicast address",
        (192, 0) if c == 0 => "a reserved address",
        (198, 18..=19) => "a benchmarking network's address",
        (240..=255, _) => "a reserved or broadcast address",
        _ => return None,
    })
}

fn v6_kind(ip: Ipv6Addr) -> Option<&'static str> {
    let seg = ip.segments();
    // IPv4 inside IPv6: mapped (::ffff:a.b.c.d), compatible (::a.b.c.d), NAT64
    // (64:ff9b::a.b.c.d) and 6to4 (2002:AABB:CCDD::) reach the IPv4 address.
    let embedded = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    if let Some(v4) = ip.to_ipv4_mapped() {
        return v4_kind(v4);
    }
    if seg[..6] == [0; 6] && !(seg[6] == 0 && seg[7] <= 1) {
        return v4_kind(embedded(seg[6], seg[7]));
    }
    if seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return v4_kind(embedded(seg[6], seg[7]));
    }
    if seg[0] == 0x2002 {
        return v4_kind(embedded(seg[1], seg[2]));
    }
    Some(match seg[0] {
        _ if ip.is_loopback() => "a loopback address (this machine)",
        _ if ip.is_unspecified() => "an unspecified address (this machine)",
        s if s & 0xfe00 == 0xfc00 => "a private network's address",
        s if s & 0xffc0 == 0xfe80 => "a link-local address",
        s if s & 0xffc0 == 0xfec0 => "a site-local address",
        s if s & 0xff00 == 0xff00 => "a multicast address",
        _ => return None,
    })
}

impl Policy {
    /// `Err` says why `addr` may not be fetched from.
    fn allows(&self, host: &str, addr: SocketAddr) -> Result<(), String> {
        let listed = self.listed.iter().any(|(h, p)| {
            *p == addr.port() && h.eq_ignore_ascii_case(host.trim_matches(['[', ']']))
        });
        if self.allow_private || self.trusted == Some(addr) || listed {
            return Ok(());
        }
        match private_kind(addr.ip()) {
            Some(kind) => Err(format!(
                "refused: {host} is {kind} ({}); --allow-private-hosts fetches it",
                addr.ip()
            )),
            None => Ok(()),
        }
    }

    /// Checks the host of `url` before a request (each hop of a redirect): its addresses,
    /// resolved here, must all be allowed.
    pub fn check(&self, url: &url::Url) -> Result<(), String> {
        if self.allow_private {
            return Ok(());
        }
        let port = url.port_or_known_default().unwrap_or(80);
        let host = url.host_str().unwrap_or_default().to_string();
        // The url crate has already read every IPv4 spelling (2130706433, 0x7f.1,
        // 0177.0.0.1) as the address it means.
        let addrs: Vec<SocketAddr> = match url.host() {
            Some(url::Host::Ipv4(ip)) => vec![SocketAddr::new(ip.into(), port)],
            Some(url::Host::Ipv6(ip)) => vec![SocketAddr::new(ip.into(), port)],
            Some(url::Host::Domain(name))
                if name
                    .trim_end_matches('.')
                    .rsplit('.')
                    .next()
                    .is_some_and(|top| top.eq_ignore_ascii_case("localhost")) =>
            {
                return Err(format!(
                    "refused: {host} is this machine; --allow-private-hosts fetches it"
                ));
            }
            Some(url::Host::Domain(name)) => (name, port)
                .to_socket_addrs()
                .map_err(|e| format!("{name} could not be resolved: {e}"))?
                .collect(),
            None => return Err("an address without a host".into()),
        };
        addrs.into_iter().try_for_each(|a| self.allows(&host, a))
    }
}

/// ureq's resolver with the policy applied to what it resolves: the connection can only
/// go to addresses that passed. A proxy's own address is left alone (the user set it).
#[derive(Debug)]
pub struct Checked {
    pub policy: Policy,
    pub proxy_host: Option<String>,
}

impl Resolver for Checked {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let addrs = DefaultResolver::default().resolve(uri, config, timeout)?;
        let host = uri.host().unwrap_or_default();
        if self.proxy_host.as_deref() == Some(host) {
            return Ok(addrs);
        }
        for addr in addrs.iter() {
            self.policy
                .allows(host, *addr)
                .map_err(|why| ureq::Error::Io(std::io::Error::other(why)))?;
        }
        Ok(addrs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_private_address_is_refused() {
        let policy = Policy::default();
        for url in [
            "http://127.0.0.1/a.jpg",
            "http://127.8.9.10/a.jpg",
            "http://localhost/a.jpg",
            "http://LOCALHOST./a.jpg",
            "http://0.0.0.0/a.jpg",
            "http://0/a.jpg",
            "http://2130706433/a.jpg",
            "http://0x7f000001/a.jpg",
            "http://0x7f.1/a.jpg",
            "http://0177.0.0.1/a.jpg",
            "http://127.1/a.jpg",
            "http://[::1]/a.jpg",
            "http://[::]/a.jpg",
            "http://[::ffff:127.0.0.1]/a.jpg",
            "http://[::ffff:a9fe:a9fe]/a.jpg",
            "http://[::127.0.0.1]/a.jpg",
            "http://[64:ff9b::a9fe:a9fe]/a.jpg",
            "http://[2002:a00:1::]/a.jpg",
            "http://169.254.169.254/latest/meta-data/",
            "http://10.1.2.3/a.jpg",
            "http://172.16.0.1/a.jpg",
            "http://192.168.1.1/a.jpg",
            "http://100.64.0.1/a.jpg",
            "http://224.0.0.1/a.jpg",
            "http://255.255.255.255/a.jpg",
            "http://[fe80::1]/a.jpg",
            "http://[fc00::1]/a.jpg",
            "http://[ff02::1]/a.jpg",
        ] {
            let parsed = url::Url::parse(url).unwrap();
            let why = policy.check(&parsed).err();
            assert!(
                why.as_deref().is_some_and(|w| w.starts_with("refused: ")),
                "{url}: {why:?}"
            );
        }
        for public in [
            "8.8.8.8",
            "1.1.1.1",
            "[2606:4700::1111]",
            "[::ffff:8.8.8.8]",
        ] {
            let parsed = url::Url::parse(&format!("http://{public}/a.jpg")).unwrap();
            assert_eq!(policy.check(&parsed), Ok(()), "{public}");
        }
        let allowed = Policy {
            allow_private: true,
            ..Default::default()
        };
        assert_eq!(
            allowed.check(&url::Url::parse("http://127.0.0.1/a").unwrap()),
            Ok(())
        );
    }
}
