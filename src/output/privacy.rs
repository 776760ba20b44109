//! Privacy: which other hosts a built page makes a browser contact. Links (`<a href>`) do not
//! count — only what loads by itself: scripts, stylesheets, fonts, images, frames, media.

use std::collections::BTreeMap;
use std::sync::Mutex;

use lol_html::{HtmlRewriter, Settings, element, text};

use super::write::Sink;
use crate::error::Result;
use crate::render::community::host_of;

/// Elements and attributes that load something without a click.
const LOADING: &str = "script[src], link[href], img, source, video, audio, iframe[src], embed[src], object[data], track[src], input[src], [style]";

/// Every URL in `html` that a browser fetches by itself, with the host it is on; `site_host`
/// is left out.
pub fn external_loads(html: &[u8], site_host: &str) -> Vec<(String, String)> {
    if !mentions_other_host(html, site_host) {
        return Vec::new();
    }
    let mut urls: Vec<String> = Vec::new();
    let mut style_attributes = String::new();
    let mut style_elements = String::new();
    {
        let mut rewriter =
            HtmlRewriter::new(
                Settings::new()
                    .append_element_content_handler(element!(LOADING, |el| {
                        let tag = el.tag_name();
                        if tag == "link" {
                            let rel = el
                                .get_attribute("rel")
                                .unwrap_or_default()
                                .to_ascii_lowercase();
                            let loads = rel.split_whitespace().any(|r| {
                                matches!(
                                    r,
                                    "stylesheet"
                                        | "icon"
                                        | "preload"
                                        | "prefetch"
                                        | "modulepreload"
                                        | "manifest"
                                        | "apple-touch-icon"
                                        | "preconnect"
                                        | "dns-prefetch"
                                )
                            });
                            if loads {
                                urls.extend(el.get_attribute("href"));
                            }
                        } else {
                            for attr in ["src", "poster", "data"] {
                                urls.extend(el.get_attribute(attr));
                            }
                            for attr in ["srcset"] {
                                if let Some(set) = el.get_attribute(attr) {
                                    urls.extend(set.split(',').filter_map(|c| {
                                        c.split_whitespace().next().map(String::from)
                                    }));
                                }
                            }
                        }
                        if let Some(style) = el.get_attribute("style") {
                            style_attributes.push_str(&style);
                            style_attributes.push('\n');
                        }
                        Ok(())
                    }))
                    .append_element_content_handler(text!("style", |t| {
                        style_elements.push_str(t.as_str());
                        Ok(())
                    })),
                |_: &[u8]| {},
            );
        let _ = rewriter.write(html);
        let _ = rewriter.end();
    }
    urls.extend(css_urls(&style_attributes));
    urls.extend(css_urls(&style_elements));
    urls.into_iter()
        .filter_map(|u| {
            let host = host_of(u.trim())?;
            (host != site_host).then_some((host, u))
        })
        .collect()
}

/// Whether `html` names any host but `site_host` after a `//` (as every URL to another
/// host must): most pages do not, and skip the full scan.
fn mentions_other_host(html: &[u8], site_host: &str) -> bool {
    let Ok(text) = std::str::from_utf8(html) else {
        return true;
    };
    text.match_indices("//").any(|(at, _)| {
        let rest = &text[at + 2..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '@')))
            .unwrap_or(rest.len());
        let host = &rest[..end];
        !host.is_empty() && !host.eq_ignore_ascii_case(site_host)
    })
}

/// URLs in CSS: `url(…)` and `@import "…"`.
pub fn css_urls(css: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = css;
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        out.push(rest[..end].trim().trim_matches(['"', '\'']).to_string());
        rest = &rest[end..];
    }
    for line in css.split("@import").skip(1) {
        let quoted = line.trim_start().trim_start_matches("url(");
        if let Some(q) = quoted.chars().next().filter(|c| *c == '"' || *c == '\'') {
            if let Some(end) = quoted[1..].find(q) {
                out.push(quoted[1..1 + end].to_string());
            }
        }
    }
    out
}

/// A sink that writes through and notes, per other host, the first page loading from it.
pub struct Watching<'a> {
    inner: &'a dyn Sink,
    site_host: String,
    pub found: Mutex<BTreeMap<String, (String, String)>>,
}

impl<'a> Watching<'a> {
    pub fn new(inner: &'a dyn Sink, site_host: String) -> Self {
        Watching {
            inner,
            site_host,
            found: Mutex::new(BTreeMap::new()),
        }
    }

    /// Other hosts, each with the first page (output path) and URL found.
    pub fn hosts(self) -> BTreeMap<String, (String, String)> {
        self.found.into_inner().unwrap_or_default()
    }
}

impl Sink for Watching<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let is_page = rel.ends_with(".html") && !rel.ends_with("email.html");
        if is_page || rel.ends_with(".css") {
            let loads = if is_page {
                external_loads(bytes, &self.site_host)
            } else {
                css_urls(&String::from_utf8_lossy(bytes))
                    .into_iter()
                    .filter_map(|u| host_of(&u).filter(|h| *h != self.site_host).map(|h| (h, u)))
                    .collect()
            };
            if !loads.is_empty() {
                let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
                for (host, url) in loads {
                    found.entry(host).or_insert_with(|| (rel.to_string(), url));
                }
            }
        }
        self.inner.write(rel, bytes)
    }
    fn copy(&self, from: &std::path::Path, rel: &str) -> Result<()> {
        if rel.ends_with(".css") {
            let bytes = std::fs::read(from).map_err(|e| crate::error::Error::io(from, e))?;
            return self.write(rel, &bytes);
        }
        self.inner.copy(from, rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_loads_and_ignores_links() {
        let html = br#"<html><head><link rel="stylesheet" href="https://cdn.example/x.css"><link rel="canonical" href="https://other.example/"><script src="https://stats.example/s.js"></script><style>body{background:url("https://img.example/bg.png")}</style></head>
<body><a href="https://elsewhere.example/">fine</a><img src="https://site.example/ok.png" srcset="https://imgs.example/a.png 2x"><iframe src="https://video.example/e"></iframe><div style="background:url(//tracker.example/p.gif)"></div></body></html>"#;
        let mut hosts: Vec<String> = external_loads(html, "site.example")
            .into_iter()
            .map(|(h, _)| h)
            .collect();
        hosts.sort();
        hosts.dedup();
        assert_eq!(
            hosts,
            [
                "cdn.example",
                "img.example",
                "imgs.example",
                "stats.example",
                "tracker.example",
                "video.example"
            ]
        );
    }
}
