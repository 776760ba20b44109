//! The header rules of the deploy files, one table written in each host's format
//! (`_headers` for Cloudflare Pages, `netlify.toml`, nginx, Caddy): the content types of
//! [`CONTENT_TYPES`] (calendars, feeds), and how long browsers may keep a file.

use crate::model::routes::CONTENT_TYPES;

/// Which files a rule is for.
#[derive(Debug, Clone, Copy)]
enum Files {
    /// Files ending in this extension (`.ics`), anywhere.
    Extension(&'static str),
    /// Files with this name (`rss.xml`), in any folder.
    Named(&'static str),
    /// Everything in this folder at the root (`images`).
    Folder(&'static str),
}

/// `Cache-Control` by files. kring's file names do not change with their contents, so
/// nothing is cached as `immutable`: the theme's files and photos are kept for an hour,
/// and pages, feeds and calendars keep the host's default (asked again on every visit).
/// No two rules match one file, as hosts join the values of all matching rules.
const CACHING: &[(Files, &str)] = &[
    (Files::Extension(".css"), "public, max-age=3600"),
    (Files::Extension(".js"), "public, max-age=3600"),
    (Files::Folder("images"), "public, max-age=3600"),
];

/// Every rule: (files, header name, value), in the order written.
fn rules() -> Vec<(Files, &'static str, &'static str)> {
    let mut rules: Vec<_> = CACHING
        .iter()
        .map(|(files, value)| (*files, "Cache-Control", *value))
        .collect();
    for (end, content_type) in CONTENT_TYPES {
        let files = if end.starts_with('.') {
            Files::Extension(end)
        } else {
            Files::Named(end)
        };
        rules.push((files, "Content-Type", content_type));
    }
    rules
}

/// The URL patterns of Netlify and Cloudflare Pages (`*` matches anything, `/` too).
fn url_patterns(files: Files) -> Vec<String> {
    match files {
        Files::Extension(ext) => vec![format!("/*{ext}")],
        Files::Named(name) => vec![format!("/{name}"), format!("/*/{name}")],
        Files::Folder(folder) => vec![format!("/{folder}/*")],
    }
}

/// `static/_headers` (Cloudflare Pages' format, which Netlify reads too).
pub fn headers_file() -> String {
    let mut out = String::from(
        "# Written by `kring ci`: how long browsers may keep kring's files, and the content\n# types of its calendars and feeds. Copied into the built site as it is.\n",
    );
    for (files, name, value) in rules() {
        for pattern in url_patterns(files) {
            out.push_str(&format!("{pattern}\n  {name}: {value}\n"));
        }
    }
    out
}

/// `netlify.toml`: the folder Netlify serves, its own builds turned off (the workflow
/// builds and deploys, nightly too), and the same header rules.
pub fn netlify_toml() -> String {
    let mut out = String::from(
        "# Written by `kring ci netlify`. The GitHub workflow (.github/workflows/kring.yml)\n# builds and deploys the site, on every push and every night; if this repository is\n# also linked in Netlify, Netlify's own builds are skipped (`ignore`) so the two never\n# race.\n[build]\npublish = \"public\"\nignore = \"exit 0\"\n",
    );
    for (files, name, value) in rules() {
        for pattern in url_patterns(files) {
            out.push_str(&format!(
                "\n[[headers]]\nfor = \"{pattern}\"\n[headers.values]\n{name} = \"{value}\"\n"
            ));
        }
    }
    out
}

/// nginx `location` blocks for the rules (inside the `server` block). A content type is
/// set by emptying the `types` map for the location, so `default_type` applies.
pub fn nginx_rules() -> String {
    let mut out = String::from(
        "    # Content types of calendars and feeds; how long browsers may keep files.\n",
    );
    for (files, name, value) in rules() {
        let location = match files {
            Files::Extension(ext) => format!("~ \\{ext}$"),
            Files::Named(file) => format!("~ /{}$", file.replace('.', "\\.")),
            Files::Folder(folder) => format!("/{folder}/"),
        };
        let body = match name {
            "Content-Type" => format!("types {{ }}\n        default_type \"{value}\";"),
            _ => format!("add_header {name} \"{value}\";"),
        };
        out.push_str(&format!(
            "    location {location} {{\n        {body}\n    }}\n"
        ));
    }
    out
}

/// Caddy matchers and `header` directives for the rules (inside the site block). Caddy's
/// file server keeps a `Content-Type` that is already set.
pub fn caddy_rules() -> String {
    let mut out = String::from(
        "\t# Content types of calendars and feeds; how long browsers may keep files.\n",
    );
    for (files, name, value) in rules() {
        let (matcher, path) = match files {
            Files::Extension(ext) => (ext.trim_start_matches('.').to_string(), format!("*{ext}")),
            Files::Named(file) => (file.replace('.', "_"), format!("*/{file}")),
            Files::Folder(folder) => (folder.to_string(), format!("/{folder}/*")),
        };
        out.push_str(&format!(
            "\t@{matcher} path {path}\n\theader @{matcher} {name} \"{value}\"\n"
        ));
    }
    out
}
