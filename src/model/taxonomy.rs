//! Taxonomies (tags, authors, skills, and those declared in `kring.toml`) and their terms.

use std::collections::HashMap;

use super::page::Page;

#[derive(Debug)]
pub struct Taxonomy {
    pub name: String,
    /// `tags/`
    pub path: String,
    pub permalink: String,
    pub feed: bool,
    /// Its terms have calendars of their events (`calendar = true` in `kring.toml`).
    pub calendar: bool,
    pub paginate_by: Option<usize>,
    /// Sorted by name.
    pub terms: Vec<Term>,
}

#[derive(Debug)]
pub struct Term {
    /// As written (for authors: the member's name when the id is a member's).
    pub name: String,
    pub slug: String,
    /// `tags/moderation/`
    pub path: String,
    pub permalink: String,
    /// Newest first.
    pub pages: Vec<usize>,
}

/// The built-in taxonomies: name and the front matter they come from.
pub const BUILT_IN: [&str; 3] = ["tags", "authors", "skills"];

/// The values a page has for a taxonomy.
pub fn values<'a>(page: &'a Page, taxonomy: &str) -> &'a [String] {
    match taxonomy {
        "tags" => &page.tags,
        "authors" => page.authors(),
        "skills" => page.as_member().map_or(&[], |m| &m.skills[..]),
        other => page.taxonomies.get(other).map_or(&[], |v| &v[..]),
    }
}

/// Groups pages into terms in one pass over the pages: O(pages × values), never
/// O(pages × terms). `display` names a term (authors: member id → member name).
pub fn collect(
    name: &str,
    pages: &[Page],
    base_url: &crate::config::BaseUrl,
    feed: bool,
    paginate_by: Option<usize>,
    display: impl Fn(&str) -> String,
) -> Taxonomy {
    let mut by_slug: HashMap<String, Term> = HashMap::new();
    // Thousands of pages share a few hundred values: each is made a slug once.
    let mut slugs: HashMap<&str, String> = HashMap::new();
    for (i, page) in pages.iter().enumerate() {
        if !page.listed() {
            continue;
        }
        for value in values(page, name) {
            let slug = slugs
                .entry(value)
                .or_insert_with(|| super::routes::slug_of(value))
                .clone();
            if slug.is_empty() {
                continue;
            }
            let term = by_slug.entry(slug.clone()).or_insert_with(|| {
                let path = super::routes::term_path(name, &slug);
                Term {
                    name: display(value),
                    permalink: base_url.join(&path),
                    slug,
                    path,
                    pages: Vec::new(),
                }
            });
            if term.pages.last() != Some(&i) {
                term.pages.push(i);
            }
        }
    }
    let mut terms: Vec<Term> = by_slug.into_values().collect();
    for term in &mut terms {
        term.pages.sort_by_cached_key(|&i| {
            (
                std::cmp::Reverse(pages[i].date.as_ref().map(jiff::Zoned::timestamp)),
                i,
            )
        });
    }
    terms.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.slug.cmp(&b.slug))
    });
    let path = super::routes::taxonomy_path(name);
    Taxonomy {
        name: name.to_string(),
        permalink: base_url.join(&path),
        path,
        feed,
        calendar: false,
        paginate_by,
        terms,
    }
}
