//! A quick reader for pages as kring writes them: tags with quoted attributes, text,
//! comments, a doctype, and `<script>`/`<style>`-like elements. It finds what html5ever's
//! tokenizer finds (the same start tags, attribute values and `<style>` text, handed to the
//! same [`start_tag`]), at a fraction of the cost; on anything it does not read exactly
//! as the tokenizer does — an unquoted or repeated attribute, an entity other than the five
//! kring writes, a `<!--` inside a script, a `\r` or `\0`, a bogus comment, an odd name — it
//! gives up and the page is tokenized. Giving up is always safe; reading differently is not,
//! so the rules below follow the WHATWG tokenizer states they stand for.

use std::borrow::Cow;

use super::{Found, raw_content, start_tag};

/// Whitespace between attributes, as the tokenizer sees it (`\r` never gets here).
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b' ')
}

/// What `html` loads, or `None` when the page needs the tokenizer.
pub(super) fn scan(html: &str) -> Option<Found> {
    let bytes = html.as_bytes();
    // The tokenizer turns `\r\n` into `\n` and `\0` into U+FFFD: not worth following.
    if bytes.iter().any(|&b| b == b'\r' || b == 0) {
        return None;
    }
    let mut found = Found::default();
    let mut at = 0;
    while let Some(lt) = bytes[at..].iter().position(|&b| b == b'<').map(|p| at + p) {
        match bytes.get(lt + 1) {
            Some(b) if b.is_ascii_alphabetic() => {
                let (end, element, attrs) = tag(html, lt + 1)?;
                let attrs: Vec<(&str, &str)> = attrs
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_ref()))
                    .collect();
                start_tag(&element, &attrs, &mut found);
                at = end;
                if let Some(kind) = raw_content(&element) {
                    if element == "plaintext" {
                        return None;
                    }
                    let close = raw_end(bytes, at, &element)?;
                    let text = &html[at..close];
                    // `<!--` in a script starts the escaped states, where `</script>` may
                    // not end it.
                    if matches!(
                        kind,
                        html5ever::tokenizer::TokenSinkResult::RawData(
                            html5ever::tokenizer::states::RawKind::ScriptData
                        )
                    ) && text.contains("<!--")
                    {
                        return None;
                    }
                    if element == "style" {
                        found.css.push_str(text);
                    }
                    // The end tag is read by the next turn of the loop.
                    at = close;
                }
            }
            Some(b'/') => at = end_tag(bytes, lt + 2)?,
            Some(b'!') => at = markup_declaration(bytes, lt + 2)?,
            Some(b'?') => return None,
            // A `<` that starts nothing is text.
            _ => at = lt + 1,
        }
    }
    Some(found)
}

type Attrs<'a> = Vec<(String, Cow<'a, str>)>;

/// A start tag whose name starts at `at`: the index after its `>`, its name and its
/// attributes (names in lower case, values decoded), or `None` for anything unusual.
fn tag(html: &str, mut at: usize) -> Option<(usize, String, Attrs<'_>)> {
    let bytes = html.as_bytes();
    let start = at;
    while !matches!(bytes.get(at), Some(&b) if is_space(b) || b == b'/' || b == b'>') {
        if !bytes.get(at)?.is_ascii_alphanumeric() {
            return None;
        }
        at += 1;
    }
    let name = html[start..at].to_ascii_lowercase();
    let mut attrs: Attrs<'_> = Vec::new();
    loop {
        while is_space(*bytes.get(at)?) {
            at += 1;
        }
        match bytes.get(at)? {
            b'>' => return Some((at + 1, name, attrs)),
            // `/` other than in `/>` is read as a space, with an error: not worth following.
            b'/' => {
                return (bytes.get(at + 1) == Some(&b'>')).then_some((at + 2, name, attrs));
            }
            _ => {}
        }
        let start = at;
        while !matches!(bytes.get(at), Some(&b) if is_space(b) || matches!(b, b'/' | b'>' | b'=')) {
            let b = *bytes.get(at)?;
            if !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')) {
                return None;
            }
            at += 1;
        }
        if at == start {
            return None;
        }
        let attr = html[start..at].to_ascii_lowercase();
        while is_space(*bytes.get(at)?) {
            at += 1;
        }
        let value = if bytes[at] == b'=' {
            at += 1;
            while is_space(*bytes.get(at)?) {
                at += 1;
            }
            let quote = *bytes.get(at)?;
            if quote != b'"' && quote != b'\'' {
                return None;
            }
            let end = at + 1 + bytes[at + 1..].iter().position(|&b| b == quote)?;
            let value = decode(&html[at + 1..end])?;
            at = end + 1;
            // After a value, the tokenizer wants a space, `/` or `>`.
            if !matches!(bytes.get(at), Some(&b) if is_space(b) || b == b'/' || b == b'>') {
                return None;
            }
            value
        } else {
            Cow::Borrowed("")
        };
        // The tokenizer keeps the first of two same-named attributes: not worth following.
        if attrs.iter().any(|(n, _)| *n == attr) {
            return None;
        }
        attrs.push((attr, value));
    }
}

/// An attribute value with the character references kring writes decoded; `None` for any
/// other `&`, whose reading depends on the tokenizer's table and legacy rules.
fn decode(value: &str) -> Option<Cow<'_, str>> {
    if !value.contains('&') {
        return Some(Cow::Borrowed(value));
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let (text, len) = [
            ("&amp;", "&"),
            ("&quot;", "\""),
            ("&#39;", "'"),
            ("&lt;", "<"),
            ("&gt;", ">"),
        ]
        .iter()
        .find(|(entity, _)| rest.starts_with(entity))
        .map(|(entity, text)| (*text, entity.len()))?;
        out.push_str(text);
        rest = &rest[len..];
    }
    out.push_str(rest);
    Some(Cow::Owned(out))
}

/// Where the text of a raw-text element named `element` ends: its first `</element`
/// (any case) followed by a space, `/` or `>`. `None` when the page ends first.
fn raw_end(bytes: &[u8], mut at: usize, element: &str) -> Option<usize> {
    let name = element.as_bytes();
    loop {
        let lt = at + bytes[at..].windows(2).position(|w| w == b"</")?;
        let after = lt + 2 + name.len();
        if bytes.len() > after
            && bytes[lt + 2..after].eq_ignore_ascii_case(name)
            && (is_space(bytes[after]) || bytes[after] == b'/' || bytes[after] == b'>')
        {
            return Some(lt);
        }
        at = lt + 2;
    }
}

/// An end tag whose name starts at `at`: a name, maybe spaces, `>`. The index after it.
fn end_tag(bytes: &[u8], mut at: usize) -> Option<usize> {
    if !bytes.get(at)?.is_ascii_alphabetic() {
        return None;
    }
    while bytes.get(at)?.is_ascii_alphanumeric() {
        at += 1;
    }
    while is_space(*bytes.get(at)?) {
        at += 1;
    }
    (bytes[at] == b'>').then_some(at + 1)
}

/// After `<!`: a comment or `<!DOCTYPE html>`. The index after it.
fn markup_declaration(bytes: &[u8], at: usize) -> Option<usize> {
    let rest = &bytes[at..];
    const DOCTYPE: &[u8] = b"doctype html>";
    if rest.len() >= DOCTYPE.len() && rest[..DOCTYPE.len()].eq_ignore_ascii_case(DOCTYPE) {
        return Some(at + DOCTYPE.len());
    }
    let body = rest.strip_prefix(b"--")?;
    let start = at + 2;
    // `<!-->` and `<!--->` end at once; otherwise the first `-->` or `--!>` ends it.
    if body.starts_with(b">") {
        return Some(start + 1);
    }
    if body.starts_with(b"->") {
        return Some(start + 2);
    }
    let end = body.windows(3).position(|w| w == b"-->").map(|p| p + 3);
    let bang = body.windows(4).position(|w| w == b"--!>").map(|p| p + 4);
    let end = match (end, bang) {
        (Some(a), Some(b)) => Some(if a - 3 < b - 4 { a } else { b }),
        (a, b) => a.or(b),
    }?;
    Some(start + end)
}

#[cfg(test)]
mod tests {
    use super::super::scan as tokenized;
    use super::*;

    /// A page like the ones kring writes, with every construct the quick reader follows.
    const PAGE: &str = r#"<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Tom &amp; Jerry&#39;s &lt;b&gt;</title>
<meta property="og:image" content="https://site.example/a/social-card.png">
<meta http-equiv="refresh" content="5; url=https://evil.example/r">
<link rel="stylesheet" href="/kring.css"><link rel="canonical" href="https://other.example/x">
<link rel="icon" href="https://evil.example/favicon.ico">
<script type="application/ld+json">{"@context":"https://schema.org","a":"<\/script"}</script>
<script src="/fresh.js" defer></script><style>body { background: url(//evil.example/bg.png) }</style>
</head><body><!-- a comment with <img src="https://evil.example/no.png"> --><!---->
<a href="https://forum.example/t/1?a=1&amp;b=2" title="It&#39;s &quot;here&quot;">forum</a>
<img src="/a.png" srcset="/a-2x.png 2x, https://evil.example/b.png 3x" alt='1 < 2 > 0' loading="lazy">
<p>Text with https://evil.example/ and 1 < 2 and a & b</p><textarea><img src=//evil.example/t.png></textarea>
<video poster="https://evil.example/p.png" controls></video><div style="background:url('https://evil.example/s.png')"></div>
<iframe srcdoc="&lt;img src=&quot;https://evil.example/i.png&quot;&gt;" src="https://video.example/e"></iframe>
<svg><image xlink:href="https://evil.example/x.svg"/></svg></body></html>"#;

    fn same_as_tokenizer(html: &str) -> bool {
        match scan(html) {
            Some(quick) => {
                assert_eq!(quick, tokenized(html), "{html:?}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn reads_a_kring_page_as_the_tokenizer_does() {
        assert!(same_as_tokenizer(PAGE));
        let found = scan(PAGE).unwrap();
        assert!(found.css.contains("//evil.example/bg.png"));
        assert_eq!(found.inner_documents.len(), 1);
    }

    /// Every snippet put at every place of the page, and every byte taken out: the quick
    /// reader either finds what the tokenizer finds or leaves the page to it.
    #[test]
    fn never_reads_a_changed_page_otherwise_than_the_tokenizer() {
        let snippets = [
            "<!--",
            "-->",
            "--!>",
            "<!-->",
            "<script>",
            "</script>",
            "<SCRIPT>",
            "<style>",
            "</style >",
            "</style/>",
            "\"",
            "'",
            "=",
            " ",
            "/",
            ">",
            "<",
            "&",
            "&#39;",
            "&amp",
            "</",
            "<?",
            "<!",
            "<!x>",
            "<textarea>",
            "<plaintext>",
            "\r",
            "\0",
            "é",
            "\u{feff}",
            "<title>",
            "<iframe>",
            "<xmp>",
            "src=",
            "src=//evil.example/u.png ",
            "\t",
            "\x0C",
            "<img src=//evil.example/a.png>",
            "<img src='//evil.example/a.png'>",
            "A",
            "<svg>",
            "<![CDATA[",
            "<a href=\"https://forum.example/\">",
            "/>",
            "<!-- <script>",
        ];
        let mut accepted = 0;
        let cuts: Vec<usize> = PAGE.char_indices().map(|(i, _)| i).collect();
        for &at in &cuts {
            for snippet in snippets {
                let html = format!("{}{snippet}{}", &PAGE[..at], &PAGE[at..]);
                accepted += usize::from(same_as_tokenizer(&html));
            }
            let next = cuts
                .iter()
                .find(|&&c| c > at)
                .copied()
                .unwrap_or(PAGE.len());
            let html = format!("{}{}", &PAGE[..at], &PAGE[next..]);
            accepted += usize::from(same_as_tokenizer(&html));
        }
        // Most changes leave a page the quick reader still reads (text, spaces, names).
        assert!(accepted > cuts.len() * 5, "{accepted}");
    }

    #[test]
    fn leaves_tricky_pages_to_the_tokenizer() {
        for html in [
            "<script><!--<script></script><img src=//evil.example/a.png></script>",
            "<img src=//evil.example/a.png>",
            "<img src=\"/a.png\"src=\"//evil.example/a.png\">",
            "<img src=\"/a.png\" src=\"//evil.example/a.png\">",
            "<img src=\"&#x2F;&#x2F;evil.example/a.png\">",
            "<style>a{}",
            "<plaintext><img src=//evil.example/a.png>",
            "<? <img src=//evil.example/a.png> ?>",
            "</ <img src=//evil.example/a.png>>",
            "<img\rsrc=\"//evil.example/a.png\">",
        ] {
            assert!(scan(html).is_none(), "{html}");
        }
    }
}
