//! Reading the user's text files: UTF-8 checked, TOML errors mapped to file positions.

use std::path::Path;

use crate::error::{Diagnostic, Error, Result};

/// Reads a UTF-8 text file. `shown_as` is the path used in messages (relative to the site).
pub fn read_text(path: &Path, shown_as: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(shown_as, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
        let mut d = Diagnostic::new(
            shown_as,
            "the file is not valid UTF-8: save it as UTF-8 (most editors have this under \"Save with encoding\")",
        )
        .at_line(line);
        d.column = Some(column);
        d.into()
    })
}

/// A TOML error as a diagnostic in the file it came from. `offset` is where the TOML
/// fragment starts inside `source` (front matter starts after the `+++` line), so the
/// line and column are those of the whole file.
pub fn toml_diagnostic(
    file: &Path,
    source: &str,
    offset: usize,
    error: &toml::de::Error,
) -> Diagnostic {
    let message = friendlier(error.message().trim(), file);
    let d = Diagnostic::new(file, message);
    match error.span() {
        Some(span) => d.at_offset(source, offset + span.start),
        None => d,
    }
}

/// serde's "unknown field `daet`, expected one of `title`, … (40 more)" becomes
/// "unknown key `daet`: did you mean `date`?" — the list helps nobody.
fn friendlier(message: &str, file: &Path) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message.to_string();
    };
    let Some((key, expected)) = rest.split_once('`') else {
        return message.to_string();
    };
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let best = candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(key, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min();
    let docs = if file.ends_with(crate::vocabulary::CONFIG_FILE) {
        "docs/configuration.md"
    } else {
        "docs/content.md"
    };
    match best {
        Some((_, c)) => format!("unknown key `{key}`: did you mean `{c}`?"),
        None => format!("unknown key `{key}`: {docs} lists the keys this file takes"),
    }
}

/// Escapes text for XML, in elements and attributes alike (sitemap, SVG).
/// The largest character boundary of `s` at or before byte `at` (where a string may be cut
/// to at most `at` bytes). `str::floor_char_boundary` once the minimum Rust version has it.
pub fn floor_char_boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

pub fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// The text of kring's HTML (a Markdown body), its first `most` characters or so: tags
/// dropped, entities decoded, runs of white space made one space (none for inline elements:
/// `<em>free</em>?` reads `free?`).
pub fn html_text(html: &str, most: usize) -> String {
    let mut out = String::with_capacity(html.len().min(most * 2));
    let mut rest = html;
    let mut space = true;
    while let Some(c) = rest.chars().next() {
        if out.len() > most * 4 {
            break;
        }
        match c {
            '<' if rest.starts_with("<!--") => {
                // A comment is no text, even one holding `>` or a tag (`<!--<script>-->`).
                rest = rest[4..].find("-->").map_or("", |end| &rest[4 + end + 3..]);
                continue;
            }
            '<' => {
                let tag = rest.find('>').map_or(rest, |end| &rest[..end]);
                rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
                // What a script or style element holds is code, not text to show.
                if let Some(name) = raw_text_element(tag) {
                    rest = find_ascii_ci(rest, &format!("</{name}")).map_or("", |end| &rest[end..]);
                }
                // Inline elements are inside words (`<em>free</em>?`); others separate them.
                if !space && !is_inline(tag) {
                    out.push(' ');
                    space = true;
                }
                continue;
            }
            '&' => {
                let (decoded, len) = entity(rest);
                // `&#0;` and `&#27;` are no more text than the characters themselves.
                out.extend(decoded.filter_map(|c| match c {
                    '\0' => Some('\u{fffd}'),
                    c if c.is_control() && c.is_whitespace() => Some(' '),
                    c if c.is_control() => None,
                    c => Some(c),
                }));
                space = false;
                rest = &rest[len..];
                continue;
            }
            c if c.is_whitespace() => {
                if !space {
                    out.push(' ');
                    space = true;
                }
            }
            // A NUL is U+FFFD, as an HTML parser reads it; other control characters are no
            // text (and XML, where this text goes in feeds, allows none of them).
            '\0' => {
                out.push('\u{fffd}');
                space = false;
            }
            c if c.is_control() => {}
            c if c.is_ascii() => {
                // A run of printable ASCII is copied at once (most of a body), never past
                // the point where the check above would stop the loop.
                let run = rest
                    .bytes()
                    .take_while(|b| b.is_ascii_graphic() && !matches!(b, b'<' | b'&'))
                    .count()
                    .min(most * 4 + 1 - out.len());
                out.push_str(&rest[..run]);
                space = false;
                rest = &rest[run..];
                continue;
            }
            c => {
                out.push(c);
                space = false;
            }
        }
        rest = &rest[c.len_utf8()..];
    }
    out.truncate(out.trim_end().len());
    out
}

/// Whether `tag` (`<em class="x"`, `</a`) opens or closes an inline element.
fn is_inline(tag: &str) -> bool {
    let name = tag
        .trim_start_matches('<')
        .trim_start_matches('/')
        .split(|c: char| c.is_whitespace() || c == '/')
        .next()
        .unwrap_or_default();
    matches!(
        name,
        "a" | "abbr"
            | "b"
            | "cite"
            | "code"
            | "del"
            | "em"
            | "i"
            | "ins"
            | "kbd"
            | "mark"
            | "q"
            | "s"
            | "small"
            | "span"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "u"
    )
}

/// `script` or `style` when `tag` (`<script type="x"`) opens one: elements whose content
/// is not text.
fn raw_text_element(tag: &str) -> Option<&'static str> {
    let name = tag
        .trim_start_matches('<')
        .split(|c: char| c.is_whitespace() || c == '/')
        .next()
        .unwrap_or_default();
    ["script", "style"]
        .into_iter()
        .find(|raw| name.eq_ignore_ascii_case(raw))
}

/// Where `needle` (ASCII) starts in `haystack`, ignoring ASCII case.
pub fn find_ascii_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The characters of the entity at the start of `s` (one, or two for a few named ones),
/// and its length; `&` itself when it is no entity. Markdown writes `&amp;` and the like;
/// raw HTML in a page may use any of HTML's named entities (`&eacute;`, `&hellip;`).
fn entity(
    s: &str,
) -> (
    std::iter::Flatten<std::array::IntoIter<Option<char>, 2>>,
    usize,
) {
    let one = |c: char| [Some(c), None].into_iter().flatten();
    for (name, c) in [
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&#39;", '\''),
        ("&nbsp;", '\u{a0}'),
    ] {
        if s.starts_with(name) {
            return (one(c), name.len());
        }
    }
    // Any other named entity, by HTML's own table (the longest name is 32 letters).
    let name_len = s[1..]
        .bytes()
        .take(40)
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    if name_len > 0 && s.as_bytes().get(1 + name_len) == Some(&b';') {
        let name = &s[1..name_len + 2];
        if let Some(&(first, second)) = html5ever::data::NAMED_ENTITIES.get(name)
            && let Some(first) = char::from_u32(first).filter(|_| first != 0)
        {
            let chars = [Some(first), char::from_u32(second).filter(|_| second != 0)];
            return (chars.into_iter().flatten(), name_len + 2);
        }
    }
    // A number: `&#39;`, `&#x41;`.
    let numeric = s.strip_prefix("&#").and_then(|rest| {
        let (num, _) = rest.split_once(';').filter(|(n, _)| n.len() < 8)?;
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        Some((char::from_u32(code)?, num.len() + 3))
    });
    if let Some((c, len)) = numeric {
        return (one(c), len);
    }
    (one('&'), 1)
}

/// A summary's text for a meta description or an inbox preview: at most `most` characters,
/// cut after a whole word (with `…` when cut).
pub fn summary_text(html: &str, most: usize) -> String {
    let text = html_text(html, most + 1);
    if text.chars().count() <= most {
        return text;
    }
    let cut: String = text.chars().take(most).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// Steps taken by the loops whose cost must grow in proportion to their input (content
/// blocks found and filled in): unit tests count them for inputs of growing size, so a
/// loop that grows with the square of its input fails a test instead of a user's build.
/// Outside unit tests the count compiles to nothing.
pub mod work {
    #[cfg(test)]
    thread_local! {
        static STEPS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    }

    /// Counts `n` steps on this thread.
    #[inline(always)]
    pub fn add(n: usize) {
        #[cfg(test)]
        STEPS.with(|s| s.set(s.get() + n as u64));
        #[cfg(not(test))]
        let _ = n;
    }

    /// The steps counted on this thread since the last call.
    #[cfg(test)]
    pub fn take() -> u64 {
        STEPS.with(|s| s.replace(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `html_text` as it was, a character at a time: the oracle for the runs it copies.
    fn html_text_by_char(html: &str, most: usize) -> String {
        let mut out = String::with_capacity(html.len().min(most * 2));
        let mut rest = html;
        let mut space = true;
        while let Some(c) = rest.chars().next() {
            if out.len() > most * 4 {
                break;
            }
            match c {
                '<' if rest.starts_with("<!--") => {
                    // A comment is no text, even one holding `>` or a tag (`<!--<script>-->`).
                    rest = rest[4..].find("-->").map_or("", |end| &rest[4 + end + 3..]);
                    continue;
                }
                '<' => {
                    let tag = rest.find('>').map_or(rest, |end| &rest[..end]);
                    rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
                    // What a script or style element holds is code, not text to show.
                    if let Some(name) = raw_text_element(tag) {
                        rest = find_ascii_ci(rest, &format!("</{name}"))
                            .map_or("", |end| &rest[end..]);
                    }
                    // Inline elements are inside words (`<em>free</em>?`); others separate them.
                    if !space && !is_inline(tag) {
                        out.push(' ');
                        space = true;
                    }
                    continue;
                }
                '&' => {
                    let (decoded, len) = entity(rest);
                    // `&#0;` and `&#27;` are no more text than the characters themselves.
                    out.extend(decoded.filter_map(|c| match c {
                        '\0' => Some('\u{fffd}'),
                        c if c.is_control() && c.is_whitespace() => Some(' '),
                        c if c.is_control() => None,
                        c => Some(c),
                    }));
                    space = false;
                    rest = &rest[len..];
                    continue;
                }
                c if c.is_whitespace() => {
                    if !space {
                        out.push(' ');
                        space = true;
                    }
                }
                // A NUL is U+FFFD, as an HTML parser reads it; other control characters are no
                // text (and XML, where this text goes in feeds, allows none of them).
                '\0' => {
                    out.push('\u{fffd}');
                    space = false;
                }
                c if c.is_control() => {}
                c => {
                    out.push(c);
                    space = false;
                }
            }
            rest = &rest[c.len_utf8()..];
        }
        out.truncate(out.trim_end().len());
        out
    }

    #[test]
    fn html_text_copies_runs_as_it_read_characters() {
        let bodies = [
            "<p>Plain words, some <em>inline</em>; a&amp;b &lt;tag&gt; x&#39;s.</p>\n<p>Two</p>",
            "abcdefghijklmnopqrstuvwxyz0123456789!?#%()*+,-./:;=@[]^_`{|}~",
            "<p>Één café — naïef\u{a0}x\ty\r\nz\0w\u{7f}v</p><!-- <p>no</p> --><script>x</script>k",
            "word<br>word<span>in</span>side&nbsp;&#x1F600;end",
        ];
        for body in bodies {
            for most in 0..body.len() + 2 {
                assert_eq!(
                    html_text(body, most),
                    html_text_by_char(body, most),
                    "{body:?} {most}"
                );
            }
        }
    }

    #[test]
    fn summaries_are_cut_after_a_word() {
        assert_eq!(summary_text("<p>Short <em>one</em>.</p>", 50), "Short one.");
        assert_eq!(
            summary_text("<p>One two three, four five</p>", 16),
            "One two three…"
        );
        assert_eq!(summary_text("<p>Éénwoord</p>", 3), "Één…");
    }

    #[test]
    fn html_becomes_text() {
        assert_eq!(
            html_text(
                "<p>Hello <em>world</em> &amp; &lt;you&gt;&#39;&#x41;</p>\n<p>Two</p>",
                99
            ),
            "Hello world & <you>'A Two"
        );
        assert_eq!(html_text("a &bogus; b & c", 99), "a &bogus; b & c");
        // Any of HTML's named entities (raw HTML in a page), decoded once: `&amp;amp;` is
        // the text `&amp;`; one entity is two characters.
        assert_eq!(
            html_text(
                "<div>Caf&eacute; &hellip; &amp;amp; &NotEqualTilde;!</div>",
                99
            ),
            "Café … &amp; \u{2242}\u{338}!"
        );
        // Comments, scripts and styles are not text, whatever they hold.
        assert_eq!(
            html_text(
                "a <!-- x > y <p>z</p> --> b <!--<script>--> c <script>if (a<b) {}</script> d <STYLE>p>q{}</STYLE> e",
                99
            ),
            "a b c d e"
        );
        assert_eq!(html_text("a <!-- never closed <p>b</p>", 99), "a");
        assert_eq!(html_text("a <script>never closed", 99), "a");
        assert_eq!(
            html_text("<p>nul\0 esc\u{1b}[31m del\u{7f} c1\u{85}\r\n</p>", 99),
            "nul\u{fffd} esc[31m del c1"
        );
        assert_eq!(html_text("a&#0;b&#27;c&#10;d&#x7F;e", 99), "a\u{fffd}bc de");
        assert_eq!(html_text("<p>unclosed <b", 99), "unclosed");
        // Raw HTML passes what kring would not write: never a panic.
        for odd in [
            "&;",
            "&#;",
            "&é;",
            "&#é;",
            "&#xZZ;",
            "&#99999999999;",
            "&#xD800;",
            "&",
            "&#",
        ] {
            assert!(html_text(odd, 99).starts_with('&'), "{odd}");
        }
    }
}
