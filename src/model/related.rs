//! "Lees ook" / "Read also": for each article, up to [`MOST`] other articles it shares the
//! most with — terms (tags, topics, any taxonomy), its series, its authors — newer first
//! when they score the same. Front matter `related = ["@/…"]` chooses them instead.
//!
//! From an inverted index (each term's pages, which the taxonomies already are), never by
//! comparing every pair of pages. A term on more than [`COMMON`] pages says little about
//! what two pages share and would make the work grow with the square of the site: it is
//! left out of the scores.

use super::page::{Details, Page};
use super::site::Site;
use crate::error::Diagnostic;
use crate::vocabulary::Kind;

/// How many related articles a page shows.
pub const MOST: usize = 4;

/// Terms on more pages than this do not count (see the module).
pub const COMMON: usize = 200;

/// What sharing each thing is worth.
const SAME_SERIES: u32 = 3;
const SHARED_TERM: u32 = 2;
const SHARED_AUTHOR: u32 = 1;

/// The related articles of every page (empty for pages that are not articles), and errors
/// for `related` entries that name no page.
pub fn related(site: &Site) -> (Vec<Vec<usize>>, Vec<Diagnostic>) {
    let (lists, errors) = related_of(site, 0..site.pages.len());
    (lists.into_iter().map(|(_, list)| list).collect(), errors)
}

/// The related articles of the pages `which` only, each with its page: what an edit that
/// kept a page's terms, series and authors can change (see `Site::relink_edited`).
pub fn related_of(
    site: &Site,
    which: impl Iterator<Item = usize>,
) -> (Vec<(usize, Vec<usize>)>, Vec<Diagnostic>) {
    let pages = &site.pages;
    let is_candidate = |i: usize| pages[i].kind == Kind::Articles && pages[i].listed();
    // Page → the terms it has: (the term's pages, what sharing it is worth).
    let mut terms_of: Vec<Vec<(&[usize], u32)>> = vec![Vec::new(); pages.len()];
    for taxonomy in &site.taxonomies {
        let weight = match taxonomy.name.as_str() {
            "authors" => SHARED_AUTHOR,
            "skills" => continue,
            _ => SHARED_TERM,
        };
        for term in taxonomy.terms.iter().filter(|t| t.pages.len() <= COMMON) {
            for &p in &term.pages {
                terms_of[p].push((&term.pages, weight));
            }
        }
    }
    let mut errors = Vec::new();
    let mut scores = vec![0u32; pages.len()];
    let mut touched: Vec<usize> = Vec::new();
    let related = which
        .map(|i| {
            let page = &pages[i];
            if page.kind != Kind::Articles {
                return (i, Vec::new());
            }
            if !page.related.is_empty() {
                return (i, chosen(site, page, &mut errors));
            }
            let mut add = |q: usize, points: u32| {
                if q != i && is_candidate(q) {
                    if scores[q] == 0 {
                        touched.push(q);
                    }
                    scores[q] += points;
                }
            };
            for (term_pages, weight) in &terms_of[i] {
                for &q in term_pages.iter() {
                    add(q, *weight);
                }
            }
            if let Details::Article(a) = &page.details
                && let Some(list) = a.series.as_ref().and_then(|s| site.series.get(s))
            {
                for &q in list {
                    add(q, SAME_SERIES);
                }
            }
            let mut best: Vec<usize> = touched.clone();
            best.sort_by(|&a, &b| {
                scores[b]
                    .cmp(&scores[a])
                    .then(pages[b].date.cmp(&pages[a].date))
                    .then(a.cmp(&b))
            });
            best.truncate(MOST);
            for &q in &touched {
                scores[q] = 0;
            }
            touched.clear();
            (i, best)
        })
        .collect();
    (related, errors)
}

/// The pages `related` names, in its order; an error for each that is not a page.
fn chosen(site: &Site, page: &Page, errors: &mut Vec<Diagnostic>) -> Vec<usize> {
    page.related
        .iter()
        .filter_map(|path| {
            let found = site.pages.iter().position(|p| p.is_at(path));
            if found.is_none() {
                errors.push(page.file.error_at_key(
                    "related",
                    format!("related: there is no page {path} (write it as @/articles/x.md)"),
                ));
            }
            found
        })
        .take(MOST)
        .collect()
}
