//! The dev server's re-link after one page is edited. Linking the whole site again
//! (indexes, taxonomies, schedule) takes tens of milliseconds at ten thousand pages; an
//! edit to an article's text, title, date or weight only moves the page within the orders
//! it is already in, so those orders are made again and nothing else. Anything more (its
//! people, terms, series, newsletter number, or any event, masterclass or member) links
//! the whole site. Either way the result is the same as [`Site::link`]'s: the
//! `incremental_rebuild_matches_a_full_build` tests of the dev server check that.

use std::cmp::Reverse;

use super::page::{Details, Page};
use super::schedule::calendar_order;
use super::site::{Site, credit_time, sort_pages};
use crate::error::{Problems, Result};
use crate::vocabulary::SortBy;

impl Site {
    /// After page `index` was replaced (it was `old`): puts it in its place in every order
    /// it is in, or links the whole site when the edit changed more than its place.
    pub(super) fn relink_edited(&mut self, index: usize, old: &Page) -> Result<()> {
        let new = &self.pages[index];
        let same_links = match (&old.details, &new.details) {
            (Details::Article(a), Details::Article(b)) => {
                a.series == b.series && a.newsletter == b.newsletter && a.issue == b.issue
            }
            (Details::Plain { .. }, Details::Plain { .. }) => true,
            _ => false,
        };
        let unchanged = same_links
            && old.authors() == new.authors()
            && old.tags == new.tags
            && old.taxonomies == new.taxonomies
            && old.section == new.section
            && old.listed()
            && new.listed();
        if !unchanged {
            return self.link();
        }
        let pages = &self.pages;
        // Its section: from site order, as `link` sorts it, so ties come out the same.
        let mut section_pages = std::mem::take(&mut self.sections[new.section].pages);
        let sort_by = self.sections[new.section].sort_by;
        section_pages.sort_unstable();
        sort_pages(&mut section_pages, sort_by, pages);
        // By start is as a calendar lists them (`link` does the same).
        if sort_by == SortBy::Start {
            calendar_order(self, &mut section_pages);
        }
        let pages = &self.pages;
        self.sections[new.section].pages = section_pages;
        // Its terms: newest first, then site order (`taxonomy::collect`).
        let date = |i: usize| pages[i].date.as_ref().map(jiff::Zoned::timestamp);
        for taxonomy in &mut self.taxonomies {
            for term in taxonomy
                .terms
                .iter_mut()
                .filter(|t| t.pages.contains(&index))
            {
                term.pages.sort_by_cached_key(|&i| (Reverse(date(i)), i));
            }
        }
        // Its series: oldest first, then site order.
        if let Details::Article(a) = &new.details
            && let Some(list) = a.series.as_ref().and_then(|s| self.series.get_mut(s))
        {
            list.sort_by_key(|&i| (date(i), i));
        }
        // What its people are credited on: newest first, then site order; events and
        // masterclasses as a calendar lists them (`link` does the same).
        for id in self.pages[index].authors().to_vec() {
            if let Some(mut list) = self.credits.remove(&id) {
                list.sort_by_key(|&i| (Reverse(credit_time(&self.pages, i)), i));
                calendar_order(self, &mut list);
                self.credits.insert(id, list);
            }
        }
        let new = &self.pages[index];
        // Issue numbers follow the dates of the issues.
        if matches!(&new.details, Details::Article(a) if a.newsletter) {
            self.number_issues();
        }
        // Its `related` may have changed, and its date breaks ties among the related
        // articles of the pages it shares something with (what it shares is the same).
        let new = &self.pages[index];
        let mut around = vec![index];
        if new.date != old.date {
            for taxonomy in &self.taxonomies {
                for term in taxonomy.terms.iter().filter(|t| t.pages.contains(&index)) {
                    around.extend(&term.pages);
                }
            }
            if let Details::Article(a) = &new.details
                && let Some(list) = a.series.as_ref().and_then(|s| self.series.get(s))
            {
                around.extend(list);
            }
            around.sort_unstable();
            around.dedup();
        }
        let (lists, errors) = super::related::related_of(self, around.into_iter());
        for (i, list) in lists {
            self.related[i] = list;
        }
        let mut problems = Problems::default();
        problems.extend(errors);
        problems.into_result()
    }
}
