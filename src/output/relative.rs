//! Portable output: internal links and assets in pages are made relative to the page, so a
//! build works wherever its folder is served — a deploy preview, a staging host, a laptop's
//! `python -m http.server`, under any sub-path — without rebuilding (Hugo's
//! `relativeURLs`). What must name the real address stays absolute: `<link rel=canonical>`,
//! `<link rel=alternate>` (feeds to subscribe to, `hreflang` versions), `<meta>` (og:url,
//! og:image), JSON-LD, feeds, the sitemap,
//! calendars, email editions, and the 404 page (served at any address, where a relative
//! URL would resolve against the missing page's).

use lol_html::{RewriteStrSettings, element, rewrite_str};

use super::write::Sink;
use crate::error::Result;
use crate::model::routes::EMAIL_HTML;

/// A sink that writes HTML pages with their internal URLs made relative.
pub struct Relative<'a> {
    inner: &'a dyn Sink,
    /// The address of the whole output folder, ending in `/`.
    root: String,
    /// Where this language's files go inside it: `""` or `en/`.
    prefix: String,
}

impl<'a> Relative<'a> {
    /// For a site whose output folder is at `root`, writing under `prefix`.
    pub fn new(inner: &'a dyn Sink, root: &str, prefix: &str) -> Relative<'a> {
        Relative {
            inner,
            root: root.to_string(),
            prefix: prefix.to_string(),
        }
    }
}

impl Sink for Relative<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let page = rel.ends_with(".html")
            && !rel.ends_with(EMAIL_HTML)
            && !(self.prefix.is_empty() && rel == "404.html");
        if !page {
            return self.inner.write(rel, bytes);
        }
        let html = String::from_utf8_lossy(bytes);
        let dir = format!(
            "{}{}",
            self.prefix,
            rel.rsplit_once('/').map_or("", |(d, _)| d)
        );
        let dir = if dir.is_empty() || dir.ends_with('/') {
            dir
        } else {
            format!("{dir}/")
        };
        let relative = relativize(&html, &dir, &self.root);
        self.inner.write(rel, relative.as_bytes())
    }
    fn copy(&self, from: &std::path::Path, rel: &str) -> Result<()> {
        self.inner.copy(from, rel)
    }
}

/// `html` of a page in folder `dir` (relative to the output, `""` or `articles/x/`) with
/// every URL under `root` made relative to that folder.
pub fn relativize(html: &str, dir: &str, root: &str) -> String {
    let fix = |url: &str| -> Option<String> {
        let target = url.strip_prefix(root)?;
        Some(relative_to(dir, target))
    };
    let settings = RewriteStrSettings::new().append_element_content_handler(element!(
        "[href], [src], [srcset], [poster], [action], [data]",
        |el| {
            let tag = el.tag_name();
            let rel_attr = el.get_attribute("rel").unwrap_or_default();
            let keep_absolute = tag == "meta"
                || (tag == "link"
                    && rel_attr.split_ascii_whitespace().any(|r| {
                        r.eq_ignore_ascii_case("canonical") || r.eq_ignore_ascii_case("alternate")
                    }));
            if keep_absolute {
                return Ok(());
            }
            for name in ["href", "src", "poster", "action", "data"] {
                if let Some(new) = el.get_attribute(name).as_deref().and_then(fix) {
                    el.set_attribute(name, &new)?;
                }
            }
            if let Some(set) = el.get_attribute("srcset") {
                let fixed: Vec<String> = set
                    .split(',')
                    .map(|candidate| {
                        let candidate = candidate.trim();
                        let (url, size) = candidate.split_once(' ').unwrap_or((candidate, ""));
                        let url = fix(url).unwrap_or_else(|| url.to_string());
                        if size.is_empty() {
                            url
                        } else {
                            format!("{url} {size}")
                        }
                    })
                    .collect();
                el.set_attribute("srcset", &fixed.join(", "))?;
            }
            Ok(())
        }
    ));
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

/// The relative URL from a page in folder `from` to `to` (both inside the output, `to` as
/// written after the root: `articles/x/`, `kring.css`, `tags/#t`, ``).
pub fn relative_to(from: &str, to: &str) -> String {
    let from_parts: Vec<&str> = from.split('/').filter(|p| !p.is_empty()).collect();
    // Only the path is compared; a query or fragment rides along.
    let split = to.find(['?', '#']).unwrap_or(to.len());
    let (path, tail) = to.split_at(split);
    let to_parts: Vec<&str> = path.split('/').collect();
    let (to_dirs, to_last) = to_parts.split_at(to_parts.len() - 1);
    let common = from_parts
        .iter()
        .zip(to_dirs)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from_parts.len() - common);
    for part in &to_dirs[common..] {
        out.push_str(part);
        out.push('/');
    }
    out.push_str(to_last[0]);
    if out.is_empty() {
        out.push_str("./");
    }
    out.push_str(tail);
    // A path segment with a colon would read as a scheme.
    if out
        .split('/')
        .next()
        .is_some_and(|first| first.contains(':'))
    {
        out.insert_str(0, "./");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_between_folders() {
        for (from, to, expected) in [
            ("", "", "./"),
            ("", "kring.css", "kring.css"),
            ("", "articles/x/", "articles/x/"),
            ("articles/x/", "", "../../"),
            ("articles/x/", "articles/y/", "../y/"),
            ("articles/x/", "articles/x/", "./"),
            ("articles/x/", "articles/x/pic.png", "pic.png"),
            ("articles/page/2/", "articles/", "../../"),
            ("en/articles/x/", "kring.css", "../../../kring.css"),
            ("articles/x/", "articles/x/#part", "./#part"),
            ("", "tags/?a=b", "tags/?a=b"),
            ("x/", "a:b/", "../a:b/"),
            ("", "a:b/", "./a:b/"),
        ] {
            assert_eq!(relative_to(from, to), expected, "{from} → {to}");
        }
    }

    #[test]
    fn pages_get_relative_links_but_keep_canonical_and_meta() {
        let root = "https://ex.org/hub/";
        let html = r#"<html><head><link rel="canonical" href="https://ex.org/hub/a/"><link rel="alternate" hreflang="en" href="https://ex.org/hub/en/a/"><link rel="alternate" type="application/rss+xml" href="https://ex.org/hub/rss.xml"><meta property="og:url" content="https://ex.org/hub/a/"><link rel="stylesheet" href="https://ex.org/hub/kring.css"></head><body><a href="https://ex.org/hub/b/#x">b</a><a href="https://elsewhere.org/">e</a><img src="https://ex.org/hub/a/p.png" srcset="https://ex.org/hub/a/p.png 1x, https://ex.org/hub/a/p2.png 2x"><a href="https://ex.org/other/">outside the hub</a></body></html>"#;
        let out = relativize(html, "a/", root);
        assert!(out.contains(r#"<link rel="canonical" href="https://ex.org/hub/a/">"#));
        assert!(out.contains(r#"hreflang="en" href="https://ex.org/hub/en/a/""#));
        assert!(
            out.contains(r#"href="https://ex.org/hub/rss.xml""#),
            "{out}"
        );
        assert!(out.contains(r#"content="https://ex.org/hub/a/""#));
        assert!(out.contains(r#"href="../kring.css""#), "{out}");
        assert!(out.contains(r#"href="../b/#x""#));
        assert!(out.contains(r#"href="https://elsewhere.org/""#));
        assert!(
            out.contains(r#"src="p.png" srcset="p.png 1x, p2.png 2x""#),
            "{out}"
        );
        assert!(out.contains(r#"href="https://ex.org/other/""#));
    }
}
