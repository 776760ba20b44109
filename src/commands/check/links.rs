//! The link checker behind `kring check`: renders the site into a scratch folder, then
//! follows every internal `href`/`src` and `#anchor` in the HTML. `@/` links with an
//! anchor are checked against the Markdown so the error names the line.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use lol_html::{HtmlRewriter, Settings, element};
use rayon::prelude::*;

use crate::build::{load_site, render_site};
use crate::error::{Diagnostic, Error, Problems, Result};
use crate::model::BuildOptions;
use crate::model::routes::index_file;
use crate::output::write::Staging;
use crate::render::theme::files_under;

#[derive(Debug)]
pub struct CheckReport {
    pub pages: usize,
    pub links: usize,
    /// Every link to another site, once per page that has it (for `--external`).
    pub external: Vec<ExternalUse>,
    /// The site's `[check]` table, which says how `--external` asks.
    pub check: crate::config::CheckConfig,
}

/// A link to another site on one page.
#[derive(Debug, Clone)]
pub struct ExternalUse {
    /// The address as a browser reads it (entities decoded).
    pub url: String,
    /// The page's source file as shown to the user (`content/articles/x.md`), or
    /// `(output) tags/index.html` for a page with none.
    pub page: PathBuf,
    /// Whether `page` is a file in the site folder that can be read for the line.
    pub has_source: bool,
}

/// What one HTML file holds: its ids and the URLs it points at.
#[derive(Default)]
struct Scan {
    ids: HashSet<String>,
    links: Vec<String>,
}

fn scan(html: &[u8]) -> Scan {
    let mut ids = HashSet::new();
    let mut links = Vec::new();
    {
        let mut rewriter = HtmlRewriter::new(
            Settings::new()
                .append_element_content_handler(element!("[id]", |el| {
                    if let Some(id) = el.get_attribute("id") {
                        ids.insert(id);
                    }
                    Ok(())
                }))
                .append_element_content_handler(element!(
                    "a[href], link[href], img[src], script[src], source[src], iframe[src]",
                    |el| {
                        // An email edition's unsubscribe link is the mail tool's placeholder.
                        if el.has_attribute("data-unsubscribe") {
                            return Ok(());
                        }
                        for attr in ["href", "src"] {
                            if let Some(v) = el.get_attribute(attr) {
                                links.push(v);
                            }
                        }
                        Ok(())
                    }
                )),
            |_: &[u8]| {},
        );
        let _ = rewriter.write(html);
        let _ = rewriter.end();
    }
    Scan { ids, links }
}

/// Checks the site at `site_dir`; the scratch folder is removed afterwards. With `privacy`,
/// a page that loads anything from a host the config does not allow is a problem too.
pub fn check_site(site_dir: &Path, options: &BuildOptions, privacy: bool) -> Result<CheckReport> {
    let loaded = load_site(site_dir, options)?;
    let scratch = tempfile::tempdir().map_err(|e| Error::io(std::env::temp_dir(), e))?;
    let staging = Staging::new(&scratch.path().join("site"))?;
    render_site(&loaded, &staging)?;
    let site = &loaded.site;
    let root = staging.dir().to_path_buf();

    let html_files: Vec<(String, PathBuf)> = files_under(&root)
        .into_iter()
        .filter(|(rel, _)| rel.ends_with(".html"))
        .collect();
    let scans: HashMap<String, Scan> = html_files
        .par_iter()
        .map(|(rel, path)| (rel.clone(), scan(&std::fs::read(path).unwrap_or_default())))
        .collect();
    let exists = |rel: &str| root.join(rel).is_file();

    // Which source file each output page came from, for messages.
    let mut source_of: HashMap<String, PathBuf> = HashMap::new();
    for lang_site in loaded.sites() {
        let prefix = lang_site.config.language_prefix();
        for p in &lang_site.pages {
            let file = format!("{prefix}{}", index_file(&p.path));
            source_of.insert(file, p.file.shown.clone());
        }
        for s in &lang_site.sections {
            if let Some(f) = &s.file {
                let file = format!("{prefix}{}", index_file(&s.path));
                source_of.insert(file, f.shown.clone());
            }
        }
    }

    let mut problems = Problems::default();
    // `@/file.md#anchor` links, with their line in the Markdown.
    let mut reported: HashSet<(String, String)> = HashSet::new();
    for page in &site.pages {
        for link in &page.content.links {
            let (Some(anchor), Some(target)) = (&link.anchor, site.permalink_of(&link.target))
            else {
                continue;
            };
            let target_file =
                output_file(target, site.config.base_url.as_str()).unwrap_or_default();
            let has = scans
                .get(&target_file)
                .is_some_and(|s| s.ids.contains(anchor.as_str()));
            if !has {
                problems.push(page.file.error_in_body(
                    link.offset,
                    format!("link to @/{}#{anchor}: that page has no heading or element with id `{anchor}`", link.target),
                ));
                reported.insert((index_file(&page.path), format!("{target}#{anchor}")));
            }
        }
    }

    let base = site.config.base_url.as_str();
    let mut external = Vec::new();
    let mut count = 0;
    let mut per_page: Vec<(&String, &Scan)> = scans.iter().collect();
    per_page.sort_by_key(|(rel, _)| rel.as_str());
    for (rel, scan) in per_page {
        let page_url = format!("{base}{}", rel.trim_end_matches("index.html"));
        for link in &scan.links {
            count += 1;
            if reported.contains(&(rel.clone(), link.clone())) {
                continue;
            }
            let Some(absolute) = internal_url(link, &page_url, base) else {
                if let Some(url) = web_address(link) {
                    let page = source_of.get(rel);
                    external.push(ExternalUse {
                        url,
                        has_source: page.is_some(),
                        page: page
                            .cloned()
                            .unwrap_or_else(|| PathBuf::from(format!("(output) {rel}"))),
                    });
                }
                continue;
            };
            let (url, anchor) = match absolute.split_once('#') {
                Some((u, a)) => (u.to_string(), Some(a.to_string())),
                None => (absolute.clone(), None),
            };
            let where_ = source_of
                .get(rel)
                .cloned()
                .unwrap_or_else(|| PathBuf::from(format!("(output) {rel}")));
            let shown_link = link.as_str();
            let Some(target) = output_file(&url, base) else {
                problems.push(Diagnostic::new(
                    &where_,
                    format!("links to {shown_link}, which is outside the site's base URL {base}"),
                ));
                continue;
            };
            if !exists(&target) && !exists(&format!("{target}/index.html")) {
                problems.push(Diagnostic::new(
                    &where_,
                    format!(
                        "links to {shown_link}, which the build does not produce (no {target})"
                    ),
                ));
                continue;
            }
            if let Some(anchor) = anchor.filter(|a| !a.is_empty())
                && let Some(s) = scans.get(&target)
                && !s.ids.contains(&anchor)
            {
                problems.push(Diagnostic::new(
                    &where_,
                    format!(
                        "links to {shown_link}, but that page has no element with id `{anchor}`"
                    ),
                ));
            }
        }
    }
    if privacy {
        problems.extend(privacy_problems(site, &root, &html_files, &source_of));
        problems.extend(svg_privacy_problems(site, &root, &loaded.photos));
    }
    problems.into_result()?;
    Ok(CheckReport {
        pages: scans.len(),
        links: count,
        external,
        check: site.config.check.clone(),
    })
}

/// A link to a web page on another host as a browser reads it (`&amp;` decoded,
/// `//host/x` as `https://host/x`); `None` for `mailto:`, `tel:` and the like.
fn web_address(link: &str) -> Option<String> {
    let link = crate::text::html_text(link.trim(), link.len());
    let link = match link.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => link,
    };
    let scheme = link.split_once(':')?.0.to_ascii_lowercase();
    matches!(scheme.as_str(), "http" | "https").then_some(link)
}

/// A link as an absolute URL when it points into the site; `None` for other hosts and
/// schemes (`mailto:`, `https://elsewhere`).
fn internal_url(link: &str, page_url: &str, base: &str) -> Option<String> {
    let link = link.trim();
    if link.starts_with(base) {
        return Some(link.to_string());
    }
    if link.starts_with("//")
        || link.contains(':')
            && !link.starts_with('/')
            && !link.starts_with('#')
            && link.split(':').next().is_some_and(|s| !s.contains('/'))
    {
        return None;
    }
    if let Some(anchor) = link.strip_prefix('#') {
        return Some(format!("{page_url}#{anchor}"));
    }
    let origin_end = base
        .find("://")
        .map(|i| i + 3)
        .and_then(|i| base[i..].find('/').map(|j| i + j))
        .unwrap_or(base.len());
    if link.starts_with('/') {
        return Some(format!("{}{}", &base[..origin_end], link));
    }
    crate::content::markdown::absolute_url(link, page_url, base)
}

/// The output file an absolute URL of the site names: `…/articles/x/` → `articles/x/index.html`.
fn output_file(url: &str, base: &str) -> Option<String> {
    let rel = url.strip_prefix(base)?;
    let rel = rel.split(['?', '#']).next().unwrap_or("");
    let rel = percent_decode(rel);
    Some(if rel.is_empty() || rel.ends_with('/') {
        crate::model::routes::index_file(&rel)
    } else {
        rel
    })
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// The addresses on other hosts that the site's SVG files refer to: the build leaves them
/// out (see `output::svg`), but the file still names them, and a privacy check says so.
fn svg_privacy_problems(
    site: &crate::model::Site,
    root: &Path,
    photos: &crate::render::photos::PhotoShelf,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (rel, _) in files_under(root) {
        if !rel.to_ascii_lowercase().ends_with(".svg") {
            continue;
        }
        let Some(source) = photos.source(&rel) else {
            continue;
        };
        let Ok(cleaned) = std::fs::read(&source).map(|b| crate::output::svg::clean(&b)) else {
            continue;
        };
        let shown = source.strip_prefix(&site.root).unwrap_or(&source);
        for url in cleaned.map(|c| c.external).unwrap_or_default() {
            let host =
                crate::output::privacy::fetched_host(&url, "svg.invalid").unwrap_or_default();
            problems.push(Diagnostic::new(
                shown,
                format!("this SVG refers to {url} on {host}: kring publishes it without that reference, which a browser would load (remove it from the file)"),
            ));
        }
    }
    problems
}

/// Pages that load from a host that is neither the site's, the configured analytics' nor
/// listed in `[privacy] allow`.
fn privacy_problems(
    site: &crate::model::Site,
    root: &Path,
    html_files: &[(String, PathBuf)],
    source_of: &HashMap<String, PathBuf>,
) -> Vec<Diagnostic> {
    use crate::render::community::{analytics, host_of};
    let site_host = host_of(site.config.base_url.as_str()).unwrap_or_default();
    let mut allowed: HashSet<String> = site
        .config
        .privacy
        .allow
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    if let Some(script) = analytics(&site.config) {
        allowed.extend(host_of(&script.src));
    }
    let mut problems = Vec::new();
    for (rel, path) in html_files {
        if rel.ends_with("email.html") {
            continue; // read in a mail client, not a browser visiting the site
        }
        let html = std::fs::read(path).unwrap_or_default();
        let mut seen = HashSet::new();
        for (host, url) in crate::output::privacy::external_loads(&html, &site_host) {
            if allowed.contains(&host) || !seen.insert(host.clone()) {
                continue;
            }
            let page = source_of
                .get(rel)
                .cloned()
                .unwrap_or_else(|| PathBuf::from(format!("(output) {rel}")));
            problems.push(Diagnostic::new(
                page,
                format!("the page /{} loads {url} from {host}, which kring.toml does not allow: remove it, or add \"{host}\" to allow under [privacy]", rel.trim_end_matches("index.html")),
            ));
        }
    }
    for (rel, path) in crate::render::theme::files_under(root) {
        if rel.ends_with(".css") {
            let css = std::fs::read_to_string(&path).unwrap_or_default();
            for url in crate::output::privacy::css_urls(&css) {
                if let Some(host) =
                    host_of(&url).filter(|h| *h != site_host && !allowed.contains(h))
                {
                    problems.push(Diagnostic::new(
                        format!("(output) {rel}"),
                        format!("loads {url} from {host}, which kring.toml does not allow"),
                    ));
                }
            }
        }
    }
    problems
}
