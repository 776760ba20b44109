//! Old addresses that keep working: for each alias of a page (`aliases = ["/p/my-slug"]`,
//! kept by an import from Substack, Ghost or WordPress) a small page that sends the
//! browser on (a `<meta>` refresh, the canonical address for search engines, and a link
//! for everyone else), and one `_redirects` file with every alias as a permanent (301)
//! redirect, for the static hosts that read it (Netlify, Cloudflare Pages).
//!
//! `_redirects` is one rule a line, its fields split at white space and `#` starting a
//! comment: both paths are written percent-encoded, so a space, a `#` or a letter of
//! another script in an alias stays inside its field (aliases with control characters are
//! refused where they are read, see `routes::alias_path`).

use super::write::Sink;
use crate::error::Result;
use crate::model::Site;
use crate::model::routes::{REDIRECTS, alias_file};
use crate::render::templates::escape_html;

/// What is encoded in a path of `_redirects`: control characters, white space, what
/// starts a comment, query or fragment, quotes, and `%` itself (aliases are decoded);
/// every byte past ASCII is encoded too.
const IN_REDIRECTS: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// A path for `_redirects`: `decoded` is encoded whole; an address already encoded (a
/// permalink's path) keeps its `%XX`.
fn redirects_path(path: &str, decoded: bool) -> String {
    const ENCODED: &percent_encoding::AsciiSet = &IN_REDIRECTS.remove(b'%');
    let set = if decoded { IN_REDIRECTS } else { ENCODED };
    percent_encoding::utf8_percent_encode(path, set).to_string()
}

/// Writes the alias pages of every language's pages and the `_redirects` file (when there
/// is an alias); returns how many files.
pub fn write_redirects(sites: &[&Site], out: &dyn Sink) -> Result<usize> {
    let mut lines = String::new();
    let mut files = 0;
    for site in sites {
        let root = site.config.root_url().path();
        for page in &site.pages {
            let target = url::Url::parse(&page.permalink)
                .map(|u| u.path().to_string())
                .unwrap_or_else(|_| page.permalink.clone());
            for alias in &page.aliases {
                out.write(
                    &alias_file(alias),
                    redirect_page(site, page.title.as_str(), &page.permalink).as_bytes(),
                )?;
                lines.push_str(&format!(
                    "{root}{} {} 301\n",
                    redirects_path(alias, true),
                    redirects_path(&target, false)
                ));
                files += 1;
            }
        }
    }
    if !lines.is_empty() {
        out.write(REDIRECTS, lines.as_bytes())?;
        files += 1;
    }
    Ok(files)
}

/// The page at an old address of the page titled `title` at `url`.
fn redirect_page(site: &Site, title: &str, url: &str) -> String {
    let url = escape_html(url);
    let title = escape_html(title);
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"canonical\" href=\"{url}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n<body>\n<p><a href=\"{url}\">{title}</a></p>\n</body>\n</html>\n",
        lang = escape_html(&site.config.language),
    )
}
