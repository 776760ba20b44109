//! `sitemap.xml` and `robots.txt`.

use crate::model::Site;
use crate::text::escape_xml as escape;
use crate::time::rfc3339;

/// Every listed page, section and taxonomy page of every language, with `lastmod` where a
/// page has a date, and `hreflang` alternates for pages that exist in several languages.
pub fn sitemap(sites: &[&Site]) -> String {
    let multilingual = sites.len() > 1;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    if multilingual {
        out.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    out.push_str(">\n");
    for site in sites {
        let mut entry = |loc: &str, lastmod: Option<String>, key: Option<&str>| {
            out.push_str("  <url>\n    <loc>");
            out.push_str(&escape(loc));
            out.push_str("</loc>\n");
            if let Some(m) = lastmod {
                out.push_str("    <lastmod>");
                out.push_str(&m);
                out.push_str("</lastmod>\n");
            }
            let versions = key
                .and_then(|k| site.translations.get(k))
                .filter(|v| v.len() > 1);
            for t in versions.into_iter().flatten() {
                out.push_str(&format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                    escape(&t.lang),
                    escape(&t.permalink)
                ));
            }
            out.push_str("  </url>\n");
        };
        for s in &site.sections {
            let newest = s
                .pages
                .iter()
                .filter_map(|&i| site.pages[i].last_modified())
                .max();
            entry(&s.permalink, newest.map(rfc3339), Some(&s.index_file()));
        }
        for p in site.pages.iter().filter(|p| p.listed()) {
            entry(
                &p.permalink,
                p.last_modified().map(rfc3339),
                Some(&p.file.rel),
            );
        }
        for name in site.series_names() {
            entry(
                &site
                    .config
                    .base_url
                    .join(&crate::model::routes::series_path(name)),
                None,
                None,
            );
        }
        for t in &site.taxonomies {
            entry(&t.permalink, None, None);
            for term in &t.terms {
                entry(&term.permalink, None, None);
            }
        }
    }
    out.push_str("</urlset>\n");
    out
}

pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.config.base_url.join(crate::model::routes::SITEMAP)
    )
}
