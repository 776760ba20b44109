//! Privacy: which other hosts a built page makes a browser contact. Links (`<a href>`) do not
//! count — only what loads by itself: scripts, stylesheets, fonts, images, frames, media,
//! and whatever else Chromium fetches without a click.

use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;

use std::cell::{Cell, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::write::Sink;
use crate::error::Result;

/// Attributes whose URL a browser fetches on its own, whatever the element: images, media,
/// frames, objects, old `background`s, `ping` (sent when a link is followed), the `<html
/// manifest>`. `href` is handled apart: on `<a>` it is only a link.
const FETCHED: &[&str] = &[
    "src",
    "poster",
    "data",
    "background",
    "lowsrc",
    "dynsrc",
    "codebase",
    "manifest",
    "ping",
    "action-src",
];

/// Elements whose `href` (or `xlink:href`) loads something: stylesheets and other `<link>`s
/// (by their `rel`), SVG images, `<use>` and filters, SVG scripts, and `<base>`, which
/// moves every relative URL of the page to its host.
const HREF_LOADS: &[&str] = &["image", "use", "feimage", "script", "base", "link"];

/// `<link rel>` values that make the browser fetch the `href`.
fn link_loads(rel: &str) -> bool {
    rel.split_ascii_whitespace().any(|r| {
        matches!(
            r.to_ascii_lowercase().as_str(),
            "stylesheet"
                | "icon"
                | "preload"
                | "prefetch"
                | "modulepreload"
                | "manifest"
                | "apple-touch-icon"
                | "apple-touch-icon-precomposed"
                | "mask-icon"
                | "preconnect"
                | "dns-prefetch"
                | "prerender"
        )
    })
}

/// Every URL in `html` that a browser fetches by itself, with the host it is on; `site_host`
/// is left out. The page is read by html5ever's tokenizer, as a browser reads it (entities
/// in attributes decoded, `<style>` as raw text); URLs by the WHATWG URL parser of the `url`
/// crate (`https:\\host`, `//host`, tabs and newlines inside the URL). Every attribute that
/// loads counts, `srcset`s, CSS in `<style>` and `style` attributes, and the HTML inside
/// `<iframe srcdoc>`.
pub fn external_loads(html: &[u8], site_host: &str) -> Vec<(String, String)> {
    if !mentions_other_host(html, site_host) {
        return Vec::new();
    }
    let text = String::from_utf8_lossy(html);
    // Pages as kring writes them are read by a quick reader; anything it does not follow
    // exactly as html5ever's tokenizer would goes to the tokenizer.
    let page = quick::scan(&text).unwrap_or_else(|| scan(&text));
    let mut urls = page.urls;
    urls.extend(css_urls(&page.css));
    let mut found: Vec<(String, String)> = urls
        .into_iter()
        .filter_map(|u| {
            let host = fetched_host(&u, site_host)?;
            (host != site_host).then_some((host, u))
        })
        .collect();
    for inner in page.inner_documents {
        found.extend(external_loads(inner.as_bytes(), site_host));
    }
    found
}

mod quick;

/// What a page loads: the URLs of its tags, its CSS, and the documents of its `srcdoc`s.
#[derive(Debug, Default, PartialEq)]
struct Found {
    urls: Vec<String>,
    css: String,
    inner_documents: Vec<String>,
}

/// What a page loads, gathered token by token.
#[derive(Default)]
struct Scan {
    found: RefCell<Found>,
    in_style: Cell<bool>,
}

/// What the page loads, read by html5ever's tokenizer.
fn scan(html: &str) -> Found {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Scan::default(), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.found.into_inner()
}

/// The tags whose content the tokenizer reads as text, not markup, and how.
fn raw_content(element: &str) -> Option<TokenSinkResult<()>> {
    match element {
        "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
            Some(TokenSinkResult::RawData(RawKind::Rawtext))
        }
        "script" => Some(TokenSinkResult::RawData(RawKind::ScriptData)),
        "textarea" | "title" => Some(TokenSinkResult::RawData(RawKind::Rcdata)),
        "plaintext" => Some(TokenSinkResult::Plaintext),
        _ => None,
    }
}

impl TokenSink for Scan {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                let attrs: Vec<(&str, &str)> = tag
                    .attrs
                    .iter()
                    .map(|a| (&*a.name.local, &*a.value))
                    .collect();
                start_tag(&tag.name, &attrs, &mut self.found.borrow_mut());
                if &*tag.name == "style" {
                    self.in_style.set(true);
                }
                raw_content(&tag.name).unwrap_or(TokenSinkResult::Continue)
            }
            Token::TagToken(_) => {
                self.in_style.set(false);
                TokenSinkResult::Continue
            }
            Token::CharacterTokens(text) if self.in_style.get() => {
                self.found.borrow_mut().css.push_str(&text);
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

/// What a start tag loads, from its name and attributes (names lower case, values decoded).
fn start_tag(element: &str, attrs: &[(&str, &str)], found: &mut Found) {
    let attr = |name: &str| attrs.iter().find(|a| a.0 == name).map(|a| a.1);
    let urls = &mut found.urls;
    for &(name, value) in attrs {
        match name {
            n if FETCHED.contains(&n) => urls.push(value.to_string()),
            "srcset" | "imagesrcset" => urls.extend(srcset_urls(value)),
            "href" | "xlink:href"
                if HREF_LOADS.contains(&element)
                    && (element != "link" || link_loads(attr("rel").unwrap_or_default())) =>
            {
                urls.push(value.to_string());
            }
            "style" => {
                found.css.push_str(value);
                found.css.push('\n');
            }
            "srcdoc" => found.inner_documents.push(value.to_string()),
            "content" if element == "meta" => {
                // <meta http-equiv=refresh content="0; url=…"> loads by itself.
                let refresh = attr("http-equiv").is_some_and(|h| h.eq_ignore_ascii_case("refresh"));
                let lower = value.to_ascii_lowercase();
                if let (true, Some(at)) = (refresh, lower.find("url=")) {
                    urls.push(value[at + 4..].trim_matches(['\'', '"', ' ']).to_string());
                }
            }
            _ => {}
        }
    }
}

/// The URLs of a `srcset`: each candidate's first word.
fn srcset_urls(set: &str) -> impl Iterator<Item = String> + '_ {
    set.split(',')
        .filter_map(|c| c.split_whitespace().next().map(String::from))
}

/// The host a browser contacts for `url` written on a page of `site_host`, read with the
/// WHATWG URL parser; `None` for URLs that fetch nothing from a host (`data:`, `#x`, …).
/// The page may be served over http or https, which read `https:host/x` differently (a path
/// on the same host under https): a host found under either counts.
pub fn fetched_host(url: &str, site_host: &str) -> Option<String> {
    let mut seen = None;
    for scheme in ["https", "http"] {
        let Ok(base) = url::Url::parse(&format!("{scheme}://{site_host}/")) else {
            continue;
        };
        let Ok(parsed) = base.join(url) else { continue };
        if !matches!(parsed.scheme(), "http" | "https" | "ws" | "wss" | "ftp") {
            return None;
        }
        let host = parsed.host_str().map(|h| h.to_ascii_lowercase());
        if host.as_deref().is_some_and(|h| h != site_host) {
            return host;
        }
        seen = seen.or(host);
    }
    seen
}

/// Whether `html` might name another host: most pages do not, and skip the full scan. A
/// URL to another host has a host after `//` or after a scheme's colon (`https:host` is
/// absolute on an http page), or is hidden in an escape (`&#…;`, CSS `\…`) or split by a
/// tab or newline; all of those send the page to the full scan.
fn mentions_other_host(html: &[u8], site_host: &str) -> bool {
    let Ok(text) = std::str::from_utf8(html) else {
        return true;
    };
    let text = &without_json_ld(text);
    let other_host_at = |at: usize| {
        let rest = text[at..].trim_start_matches('/');
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '@')))
            .unwrap_or(rest.len());
        !rest[..end].eq_ignore_ascii_case(site_host)
    };
    let bytes = text.as_bytes();
    // One pass over the page (it runs on every page of a build), looking at the few bytes
    // that can start a URL or hide one.
    bytes.iter().enumerate().any(|(at, &b)| match b {
        b'\\' | b'\t' => true,
        // kring writes `'` as `&#39;` everywhere; any other character reference may hide
        // a URL, and so may these named ones.
        b'&' => {
            let rest = &text[at + 1..];
            (rest.starts_with('#') && !rest[1..].starts_with("39;"))
                || ["sol", "bsol", "colon", "Tab", "NewLine"]
                    .iter()
                    .any(|n| rest.starts_with(n))
        }
        b':' => {
            let before = &bytes[..at];
            let scheme = |name: &[u8]| {
                before.len() >= name.len()
                    && before[before.len() - name.len()..].eq_ignore_ascii_case(name)
            };
            (scheme(b"http")
                || scheme(b"https")
                || scheme(b"ws")
                || scheme(b"wss")
                || scheme(b"ftp"))
                && other_host_at(at + 1)
        }
        b'/' => bytes.get(at + 1) == Some(&b'/') && other_host_at(at + 2),
        _ => false,
    })
}

/// `text` without the content of its `<script type="application/ld+json">` blocks, which a
/// browser never fetches from (every JSON-LD names `https://schema.org`, which would send
/// every page to the full scan). A block is cut at the first `</script` in any case: the
/// earliest point the HTML tokenizer can end it, so nothing after the real end is skipped.
fn without_json_ld(text: &str) -> std::borrow::Cow<'_, str> {
    const OPEN: &str = "<script type=\"application/ld+json\">";
    if !text.contains(OPEN) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at + OPEN.len()]);
        let inside = &rest[at + OPEN.len()..];
        let end = inside
            .as_bytes()
            .windows(8)
            .position(|w| w.eq_ignore_ascii_case(b"</script"))
            .unwrap_or(inside.len());
        rest = &inside[end..];
    }
    out.push_str(rest);
    out.into()
}

/// URLs in CSS that load: `url(…)`, `@import "…"`, and the strings of `image-set(…)` and
/// `image(…)`. CSS escapes are decoded first (`\75 rl(` is `url(`), comments dropped, and
/// function names matched without regard to case, as a browser does.
pub fn css_urls(css: &str) -> Vec<String> {
    let css = decode_css(css);
    let lower = css.to_ascii_lowercase();
    let mut out = Vec::new();
    for (at, _) in lower.match_indices("url(") {
        let rest = &css[at + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        out.push(
            rest[..end]
                .trim()
                .trim_matches(['"', '\''])
                .trim()
                .to_string(),
        );
    }
    for function in ["image-set(", "image(", "@import"] {
        for (at, _) in lower.match_indices(function) {
            let rest = &css[at + function.len()..];
            let end = rest.find([')', ';']).unwrap_or(rest.len());
            out.extend(quoted_strings(&rest[..end]));
        }
    }
    out
}

/// The contents of the `"…"` and `'…'` strings in `text`.
fn quoted_strings(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(['"', '\'']) {
        let quote = &rest[start..start + 1];
        let after = &rest[start + 1..];
        let Some(end) = after.find(quote) else { break };
        out.push(after[..end].to_string());
        rest = &after[end + 1..];
    }
    out
}

/// CSS with comments removed and escapes decoded (CSS Syntax §4.3.7): `\` + up to six hex
/// digits (and one following space) is that code point; `\` + anything else is that
/// character; `\` + newline is nothing.
fn decode_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '\\' => {
                let mut hex = String::new();
                while hex.len() < 6 && chars.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                    hex.extend(chars.next());
                }
                if hex.is_empty() {
                    match chars.next() {
                        Some('\n') | None => {}
                        Some(other) => out.push(other),
                    }
                } else {
                    if chars.peek().is_some_and(|c| c.is_whitespace()) {
                        chars.next();
                    }
                    let code = u32::from_str_radix(&hex, 16).unwrap_or(0xFFFD);
                    out.push(
                        char::from_u32(code)
                            .filter(|c| *c != '\0')
                            .unwrap_or('\u{FFFD}'),
                    );
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// A sink that writes through and notes, per other host, the first page loading from it.
///
/// Pages found to load nothing from another host are remembered between builds by the hash
/// of their HTML and the site's host (see [`Watching::remembering`]): a page a build wrote
/// before, byte for byte, is not read again. Only a clean page is remembered, so every page
/// that does load from elsewhere is still found, and named, in every build.
pub struct Watching<'a> {
    inner: &'a dyn Sink,
    site_host: String,
    pub found: Mutex<BTreeMap<String, (String, String)>>,
    /// The file of clean pages, the ones it held, and those of this build.
    memory: Option<std::path::PathBuf>,
    clean_before: HashSet<u128>,
    clean_now: Mutex<HashSet<u128>>,
}

/// The start of the file of clean pages: a new kring (which may look for more) starts afresh.
const MEMORY_HEADER: &str = concat!("kring privacy scan v1 ", env!("CARGO_PKG_VERSION"), "\n");

impl<'a> Watching<'a> {
    pub fn new(inner: &'a dyn Sink, site_host: String) -> Self {
        Watching {
            inner,
            site_host,
            found: Mutex::new(BTreeMap::new()),
            memory: None,
            clean_before: HashSet::new(),
            clean_now: Mutex::default(),
        }
    }

    /// Remembers clean pages in the file `memory` (read now, written by [`Self::remember`]);
    /// a file that is missing or not this kring's is as good as empty.
    pub fn remembering(mut self, memory: std::path::PathBuf) -> Self {
        let bytes = std::fs::read(&memory).unwrap_or_default();
        if let Some(hashes) = bytes.strip_prefix(MEMORY_HEADER.as_bytes()) {
            self.clean_before = hashes
                .chunks_exact(16)
                .map(|h| u128::from_le_bytes(h.try_into().expect("16 bytes")))
                .collect();
        }
        self.memory = Some(memory);
        self
    }

    /// Writes the clean pages of this build (only they: the file does not grow with pages
    /// long gone). A file that cannot be written only costs the next build time.
    pub fn remember(&self) {
        let Some(path) = &self.memory else { return };
        let clean = self.clean_now.lock().unwrap_or_else(|e| e.into_inner());
        let mut bytes = MEMORY_HEADER.as_bytes().to_vec();
        for hash in clean.iter() {
            bytes.extend_from_slice(&hash.to_le_bytes());
        }
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let tmp = path.with_extension("kring-tmp");
        if std::fs::write(&tmp, bytes).is_ok() {
            let _ = std::fs::rename(&tmp, path);
        }
    }

    /// Other hosts, each with the first page (output path) and URL found.
    pub fn hosts(self) -> BTreeMap<String, (String, String)> {
        self.found.into_inner().unwrap_or_default()
    }

    /// What the page `html` loads from other hosts: nothing when it was clean before.
    fn page_loads(&self, html: &[u8]) -> Vec<(String, String)> {
        if self.memory.is_none() {
            return external_loads(html, &self.site_host);
        }
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(&(self.site_host.len() as u64).to_le_bytes());
        hasher.update(self.site_host.as_bytes());
        hasher.update(html);
        let hash = hasher.digest128();
        let loads = if self.clean_before.contains(&hash) {
            Vec::new()
        } else {
            external_loads(html, &self.site_host)
        };
        if loads.is_empty() {
            self.clean_now
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(hash);
        }
        loads
    }
}

impl Sink for Watching<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let is_page = rel.ends_with(".html") && !rel.ends_with("email.html");
        if is_page || rel.ends_with(".css") {
            let loads = if is_page {
                self.page_loads(bytes)
            } else {
                css_urls(&String::from_utf8_lossy(bytes))
                    .into_iter()
                    .filter_map(|u| {
                        fetched_host(&u, &self.site_host)
                            .filter(|h| *h != self.site_host)
                            .map(|h| (h, u))
                    })
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
    fn link(&self, entry: &std::path::Path, rel: &str, bytes: &[u8]) -> Result<()> {
        // Photos and cards only: nothing in them loads from another host.
        self.inner.link(entry, rel, bytes)
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

    /// Each of these makes Chromium contact evil.example on load (or, for `ping`, on a
    /// click): the scan must find every one, and still ignore a plain link.
    #[test]
    fn finds_every_way_a_page_loads_from_another_host() {
        let cases = [
            r#"<svg><image href="https://evil.example/a.png"/></svg>"#,
            r#"<svg><image xlink:href="//evil.example/a.png"/></svg>"#,
            r#"<svg><use href="https://evil.example/s.svg#i"/></svg>"#,
            r#"<div style="background-image: image-set('https://evil.example/a.png' 1x)"></div>"#,
            r#"<div style="background: URL(https://evil.example/a.png)"></div>"#,
            r#"<div style="background: \75 rl(https://evil.example/a.png)"></div>"#,
            r#"<div style="background: u\72l(&quot;https://evil.example/a.png&quot;)"></div>"#,
            r#"<iframe srcdoc="<img src='https://evil.example/a.png'>"></iframe>"#,
            r#"<iframe srcdoc="&lt;img src=https://evil.example/a.png&gt;"></iframe>"#,
            r#"<link rel="preload" as="image" imagesrcset="https://evil.example/a.png 2x">"#,
            r#"<table background="https://evil.example/a.png"></table>"#,
            r#"<body background="//evil.example/a.png"></body>"#,
            r#"<img src="https:\\evil.example\a.png">"#,
            r#"<img src="\\evil.example/a.png">"#,
            r#"<img src="/\evil.example/a.png">"#,
            r#"<img src="https:evil.example/a.png">"#,
            "<img src=\"ht\ttps://evil.example/a.png\">",
            "<img src=\" \n https://evil.example/a.png\">",
            r#"<img src="&#104;ttps://evil.example/a.png">"#,
            r#"<img src="https:&#x2F;&#x2F;evil.example/a.png">"#,
            r#"<img src="https&colon;&sol;&sol;evil.example/a.png">"#,
            r#"<p>It&#39;s here</p><img src="&#x2F;&#x2F;evil.example/a.png">"#,
            r#"<video poster="https://EVIL.example/p.png"></video>"#,
            r#"<object data="https://evil.example/x.swf"></object>"#,
            r#"<a href="/x" ping="https://evil.example/track">x</a>"#,
            r#"<base href="https://evil.example/">"#,
            r#"<meta http-equiv="refresh" content="0; url=https://evil.example/">"#,
            r#"<style>@import 'https://evil.example/x.css';</style>"#,
            r#"<style>@font-face { src: url(//evil.example/f.woff2) }</style>"#,
        ];
        for html in cases {
            let hosts: Vec<String> = external_loads(html.as_bytes(), "site.example")
                .into_iter()
                .map(|(h, _)| h)
                .collect();
            assert_eq!(hosts, ["evil.example"], "{html}");
        }
        // JSON-LD is never fetched from, but what follows its end is read.
        let ld = r#"<script type="application/ld+json">{"@context":"https://schema.org"}</script>"#;
        assert!(!mentions_other_host(ld.as_bytes(), "site.example"));
        for after in [
            "</script><img src=//evil.example/a.png>",
            "</SCRIPT ><img src=//evil.example/a.png>",
        ] {
            let html = format!("<script type=\"application/ld+json\">{{}}{after}");
            let hosts: Vec<String> = external_loads(html.as_bytes(), "site.example")
                .into_iter()
                .map(|(h, _)| h)
                .collect();
            assert_eq!(hosts, ["evil.example"], "{html}");
        }
        for harmless in [
            r#"<a href="https://evil.example/">a link</a>"#,
            r#"<link rel="canonical" href="https://evil.example/">"#,
            r#"<img src="data:image/png;base64,AAAA"><img src="/ok.png" srcset="ok.png 2x">"#,
            r#"<p>write to //evil.example in your notes</p>"#,
        ] {
            assert!(
                external_loads(harmless.as_bytes(), "site.example").is_empty(),
                "{harmless}"
            );
        }
    }
}
