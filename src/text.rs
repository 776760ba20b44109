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
            '<' => {
                let tag = rest.find('>').map_or(rest, |end| &rest[..end]);
                rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
                // Inline elements are inside words (`<em>free</em>?`); others separate them.
                if !space && !is_inline(tag) {
                    out.push(' ');
                    space = true;
                }
                continue;
            }
            '&' => {
                let (decoded, len) = entity(rest);
                out.push(decoded);
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

/// The character of the entity at the start of `s`, and its length; `&` itself when it is
/// not one kring writes.
fn entity(s: &str) -> (char, usize) {
    for (name, c) in [
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&#39;", '\''),
        ("&nbsp;", '\u{a0}'),
    ] {
        if s.starts_with(name) {
            return (c, name.len());
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
    if let Some(found) = numeric {
        return found;
    }
    ('&', 1)
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
