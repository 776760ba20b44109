//! Views of taxonomies and their terms.

use serde::Serialize;

use crate::model::routes::FeedLink;
use crate::model::{Taxonomy, Term};

/// A term of a taxonomy: `tags/moderation/` with how many pages carry it.
#[derive(Debug, Clone, Serialize)]
pub struct TermView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub permalink: &'a str,
    pub page_count: usize,
}

impl<'a> TermView<'a> {
    pub fn of(term: &'a Term) -> TermView<'a> {
        TermView {
            name: &term.name,
            slug: &term.slug,
            permalink: &term.permalink,
            page_count: term.pages.len(),
        }
    }
}

/// A term's own page: the term, and its feeds.
#[derive(Debug, Clone, Serialize)]
pub struct TermPageView<'a> {
    #[serde(flatten)]
    pub term: TermView<'a>,
    pub feeds: Vec<FeedLink>,
    /// The calendar of the term's events (`calendar = true` on its taxonomy).
    pub calendar: Option<super::site::CalendarView>,
}

/// A taxonomy with all its terms (`taxonomy` on its list page, `get_taxonomy(name=…)`).
#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyView<'a> {
    pub name: &'a str,
    pub permalink: &'a str,
    pub terms: Vec<TermView<'a>>,
    /// Whether its terms have feeds.
    pub feed: bool,
}

impl<'a> TaxonomyView<'a> {
    pub fn of(taxonomy: &'a Taxonomy) -> TaxonomyView<'a> {
        TaxonomyView {
            name: &taxonomy.name,
            permalink: &taxonomy.permalink,
            terms: taxonomy.terms.iter().map(TermView::of).collect(),
            feed: taxonomy.feed,
        }
    }

    /// As a template value.
    pub fn value(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// A taxonomy on one of its term pages: without its terms, as a list of every term on
/// every term page would grow with the square of the number of terms.
#[derive(Debug, Clone, Serialize)]
pub struct TaxonomyHeader<'a> {
    pub name: &'a str,
    pub permalink: &'a str,
    pub feed: bool,
    pub term_count: usize,
}

impl<'a> TaxonomyHeader<'a> {
    pub fn of(taxonomy: &'a Taxonomy) -> TaxonomyHeader<'a> {
        TaxonomyHeader {
            name: &taxonomy.name,
            permalink: &taxonomy.permalink,
            feed: taxonomy.feed,
            term_count: taxonomy.terms.len(),
        }
    }
}
