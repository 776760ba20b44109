//! The header rules the Netlify and Cloudflare files carry: the content types of
//! [`CONTENT_TYPES`] (calendars, feeds), and how long browsers may keep a file.

use crate::model::routes::CONTENT_TYPES;

/// URL patterns → `Cache-Control`. kring's file names do not change with their contents,
/// so nothing is cached as `immutable`: the theme's files and photos are kept for an hour,
/// and pages, feeds and calendars keep the host's default (asked again on every visit).
/// No two patterns match one file, as hosts join the values of all matching rules.
const CACHING: &[(&str, &str)] = &[
    ("/*.css", "public, max-age=3600"),
    ("/*.js", "public, max-age=3600"),
    ("/images/*", "public, max-age=3600"),
];

/// The URL patterns a content-type entry covers: a file name in any folder (`/rss.xml`,
/// `/*/rss.xml`), or an extension (`/*.ics`).
fn patterns(end: &str) -> Vec<String> {
    if end.starts_with('.') {
        vec![format!("/*{end}")]
    } else {
        vec![format!("/{end}"), format!("/*/{end}")]
    }
}

/// Every rule: (URL pattern, header name, value), in the order written.
fn rules() -> Vec<(String, &'static str, &'static str)> {
    let mut rules: Vec<(String, &str, &str)> = CACHING
        .iter()
        .map(|(pattern, value)| (pattern.to_string(), "Cache-Control", *value))
        .collect();
    for (end, content_type) in CONTENT_TYPES {
        for pattern in patterns(end) {
            rules.push((pattern, "Content-Type", content_type));
        }
    }
    rules
}

/// `static/_headers` (Cloudflare Pages' format, which Netlify reads too).
pub fn headers_file() -> String {
    let mut out = String::from(
        "# Written by `kring ci`: how long browsers may keep kring's files, and the content\n# types of its calendars and feeds. Copied into the built site as it is.\n",
    );
    for (pattern, name, value) in rules() {
        out.push_str(&format!("{pattern}\n  {name}: {value}\n"));
    }
    out
}

/// `netlify.toml`: the folder Netlify serves, its own builds turned off (the workflow
/// builds and deploys, nightly too), and the same header rules.
pub fn netlify_toml() -> String {
    let mut out = String::from(
        "# Written by `kring ci netlify`. The GitHub workflow (.github/workflows/kring.yml)\n# builds and deploys the site, on every push and every night; if this repository is\n# also linked in Netlify, Netlify's own builds are skipped (`ignore`) so the two never\n# race.\n[build]\npublish = \"public\"\nignore = \"exit 0\"\n",
    );
    for (pattern, name, value) in rules() {
        out.push_str(&format!(
            "\n[[headers]]\nfor = \"{pattern}\"\n[headers.values]\n{name} = \"{value}\"\n"
        ));
    }
    out
}
