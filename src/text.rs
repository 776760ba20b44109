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
