//! Portable output: internal links and assets in pages are made relative to the page, so a
//! build works wherever its folder is served — a deploy preview, a staging host, a laptop's
//! `python -m http.server`, under any sub-path — without rebuilding (Hugo's
//! `relativeURLs`). What must name the real address stays absolute: `<link rel=canonical>`,
//! `<link rel=alternate>` (feeds to subscribe to, `hreflang` versions), `<meta>` (og:url,
//! og:image), JSON-LD, feeds, the sitemap,
//! calendars, email editions, and the 404 page (served at any address, where a relative
//! URL would resolve against the missing page's).

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
            && !(self.prefix.is_empty() && rel == crate::model::routes::NOT_FOUND);
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
    fn link(&self, entry: &std::path::Path, rel: &str, bytes: &[u8]) -> Result<()> {
        self.inner.link(entry, rel, bytes)
    }
}

/// Attributes whose URL is made relative.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "srcset",
    "imagesrcset",
    "poster",
    "action",
    "data",
];

/// `html` of a page in folder `dir` (relative to the output, `""` or `articles/x/`) with
/// every URL under `root` in a URL attribute made relative to that folder.
///
/// A scan for `root` rather than an HTML rewriter: a page has a few dozen such URLs, and
/// rewriting every element of every page cost a build a quarter of its time. Each hit is
/// checked to be the start of an attribute value (`name="…` right before it), of an
/// attribute in `URL_ATTRIBUTES`, on an element that is not `<meta>` or a canonical or
/// alternate `<link>`; text, JSON-LD and other attributes are left alone. kring escapes `<`
/// and `"` in attribute values and text, so the nearest `<` before a hit opens its tag.
pub fn relativize(html: &str, dir: &str, root: &str) -> String {
    if root.is_empty() || !html.contains(root) {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = html[from..].find(root) {
        let at = from + found;
        from = at + root.len();
        let Some((name, quote)) = attribute_before(html, at) else {
            continue;
        };
        if !URL_ATTRIBUTES.contains(&name.as_str()) || !tag_allows(html, at) {
            continue;
        }
        let end = html[at..].find(quote).map_or(html.len(), |e| at + e);
        let value = &html[at..end];
        let rewritten = if name.ends_with("srcset") {
            value
                .split(',')
                .map(|candidate| {
                    let candidate = candidate.trim();
                    let (url, size) = candidate.split_once(' ').unwrap_or((candidate, ""));
                    let url = url
                        .strip_prefix(root)
                        .map_or_else(|| url.to_string(), |t| relative_to(dir, t));
                    if size.is_empty() {
                        url
                    } else {
                        format!("{url} {size}")
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            relative_to(dir, &value[root.len()..])
        };
        out.push_str(&html[copied..at]);
        out.push_str(&rewritten);
        copied = end;
        from = end;
    }
    out.push_str(&html[copied..]);
    out
}

/// The attribute whose value starts at `at` (`name="` or `name='` right before it), in
/// lower case, with its quote.
fn attribute_before(html: &str, at: usize) -> Option<(String, char)> {
    let before = &html.as_bytes()[..at];
    let (&quote, rest) = before.split_last()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let (&eq, rest) = rest.split_last()?;
    if eq != b'=' {
        return None;
    }
    let start = rest
        .iter()
        .rposition(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b':' || *b == b'_'))
        .map_or(0, |p| p + 1);
    if start == rest.len()
        || !rest
            .get(start.wrapping_sub(1))
            .is_some_and(u8::is_ascii_whitespace)
    {
        return None;
    }
    let name = std::str::from_utf8(&rest[start..])
        .ok()?
        .to_ascii_lowercase();
    Some((name, quote as char))
}

/// Whether the tag around `at` may have relative URLs: not `<meta>`, not a `<link>` whose
/// `rel` is canonical or alternate.
fn tag_allows(html: &str, at: usize) -> bool {
    let Some(open) = html[..at].rfind('<') else {
        return false;
    };
    let close = html[at..].find('>').map_or(html.len(), |c| at + c);
    let tag = &html[open..close];
    let name: String = tag[1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    match name.as_str() {
        "meta" => false,
        "link" => {
            let lower = tag.to_ascii_lowercase();
            let rel = lower
                .split_once("rel=")
                .map(|(_, r)| r.trim_start_matches(['"', '\'']))
                .map(|r| r.split(['"', '\'']).next().unwrap_or(""))
                .unwrap_or("");
            !rel.split_ascii_whitespace()
                .any(|r| r == "canonical" || r == "alternate")
        }
        _ => true,
    }
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
        // Text, JSON-LD and attributes that are not URLs keep the address as written.
        let html = r#"<p title="https://ex.org/hub/x/">See https://ex.org/hub/x/ and <code>href="https://ex.org/hub/"</code></p><script type="application/ld+json">{"url":"https://ex.org/hub/x/"}</script><a data-x="https://ex.org/hub/x/" HREF='https://ex.org/hub/y/'>y</a><link href="https://ex.org/hub/rss.xml" rel="alternate"><form action="https://ex.org/hub/s/"></form>"#;
        let out = relativize(html, "x/", root);
        assert!(out.contains(r#"title="https://ex.org/hub/x/""#), "{out}");
        assert!(out.contains("See https://ex.org/hub/x/ and"), "{out}");
        assert!(out.contains(r#"{"url":"https://ex.org/hub/x/"}"#), "{out}");
        assert!(out.contains(r#"data-x="https://ex.org/hub/x/""#), "{out}");
        assert!(out.contains("HREF='../y/'"), "{out}");
        assert!(
            out.contains(r#"<link href="https://ex.org/hub/rss.xml" rel="alternate">"#),
            "{out}"
        );
        assert!(out.contains(r#"action="../s/""#), "{out}");
    }
}
