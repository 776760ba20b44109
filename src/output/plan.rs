//! The plan of a build: every output as a job, with its language. `kring build` runs the
//! whole plan; the dev server runs the part of it that a change affects (see
//! [`depends`](super::depends)), on the same code path.

use std::collections::{BTreeMap, BTreeSet};

use super::feeds;
use super::pages::{Job, Renderer};
use crate::model::Site;
use crate::model::routes::{pager_at, social_card_file};

/// One output (or group of files written together) of one language.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Output {
    /// An HTML page, list or email edition.
    Html(Job),
    /// Every format of the feed in a folder: the site's (`""`), a section's, a term's.
    Feed(String),
    /// Every `.ics` file of the language: its calendar of everything and one per page.
    Calendars,
    /// The sitemap of every language (planned in the default language).
    Sitemap,
    Robots,
    /// A file of the theme's or the site's `static/`, by output path.
    Static(String),
    /// The drawn social card of a page without an image (see `cards`).
    Card(usize),
    /// The social card of the language's site, for its other pages.
    SiteCard,
    /// The language's search index (`[search] enabled`).
    Search,
    /// The pages at every language's aliases and `_redirects` (planned in the default
    /// language, like the sitemap).
    Redirects,
}

/// Outputs by language (0 is the default language, then the others in config order).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    by_language: BTreeMap<usize, BTreeSet<Output>>,
}

impl Plan {
    /// Everything a full build writes. `renderers` are the languages' in the order of
    /// `sites`; `statics` the output paths of the static files.
    pub fn full(renderers: &[Renderer], statics: impl IntoIterator<Item = String>) -> Plan {
        let mut plan = Plan::default();
        for (lang, renderer) in renderers.iter().enumerate() {
            plan.merge(Plan::language(renderer, lang));
        }
        plan.add(0, Output::Sitemap);
        plan.add(0, Output::Robots);
        plan.add(0, Output::Redirects);
        plan.extend(0, statics.into_iter().map(Output::Static));
        plan
    }

    /// Everything language `lang` writes of its own (not the sitemap, robots.txt or the
    /// static files, which are the whole site's).
    pub fn language(renderer: &Renderer, lang: usize) -> Plan {
        let site = renderer.site;
        let mut plan = Plan::default();
        plan.extend(lang, renderer.all_jobs().into_iter().map(Output::Html));
        plan.extend(lang, feed_folders(site).into_iter().map(Output::Feed));
        if !site.schedule.is_empty() {
            plan.add(lang, Output::Calendars);
        }
        let cards = (0..site.pages.len()).filter(|&i| social_card_file(site, i).is_some());
        plan.extend(lang, cards.map(Output::Card));
        if site.config.images.social_cards {
            plan.add(lang, Output::SiteCard);
        }
        if site.config.search.enabled {
            plan.add(lang, Output::Search);
        }
        plan
    }

    pub fn add(&mut self, lang: usize, output: Output) {
        self.by_language.entry(lang).or_default().insert(output);
    }

    pub fn extend(&mut self, lang: usize, outputs: impl IntoIterator<Item = Output>) {
        self.by_language.entry(lang).or_default().extend(outputs);
    }

    /// Adds every output of `other`.
    pub fn merge(&mut self, other: Plan) {
        for (lang, outputs) in other.by_language {
            self.extend(lang, outputs);
        }
    }

    /// Plans `statics` (output paths) as the static files, instead of those planned before.
    pub fn replace_statics(&mut self, statics: impl IntoIterator<Item = String>) {
        let default = self.by_language.entry(0).or_default();
        default.retain(|o| !matches!(o, Output::Static(_)));
        default.extend(statics.into_iter().map(Output::Static));
    }

    /// Takes the search indexes out of the plan: the dev server writes them after the
    /// browsers reload, as they are rewritten whole for any edit.
    pub fn take_search(&mut self) -> Plan {
        let mut taken = Plan::default();
        for (&lang, outputs) in &mut self.by_language {
            if outputs.remove(&Output::Search) {
                taken.add(lang, Output::Search);
            }
        }
        taken
    }

    pub fn is_empty(&self) -> bool {
        self.by_language.values().all(BTreeSet::is_empty)
    }

    /// How many outputs are planned.
    pub fn len(&self) -> usize {
        self.by_language.values().map(BTreeSet::len).sum()
    }

    /// The languages with something to do, and what.
    pub fn languages(&self) -> impl Iterator<Item = (usize, &BTreeSet<Output>)> {
        self.by_language
            .iter()
            .filter(|(_, o)| !o.is_empty())
            .map(|(l, o)| (*l, o))
    }

    /// The outputs of `self` that `full` (the plan of a whole build) has: what a change
    /// affects is only redone where a build would make it. One list page of a section
    /// counts as part of the section.
    pub fn within(&self, full: &Plan) -> Plan {
        let mut kept = Plan::default();
        for (&lang, outputs) in &self.by_language {
            let Some(all) = full.by_language.get(&lang) else {
                continue;
            };
            for output in outputs {
                let present = match output {
                    Output::Html(Job::SectionPage(s, _)) => {
                        all.contains(&Output::Html(Job::Section(*s)))
                    }
                    other => all.contains(other),
                };
                if present {
                    kept.add(lang, output.clone());
                }
            }
        }
        kept
    }
}

/// How many files of each kind a render wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub pages: usize,
    pub sections: usize,
    pub taxonomy_pages: usize,
    pub feeds: usize,
    pub calendars: usize,
    pub emails: usize,
    pub statics: usize,
    pub cards: usize,
    /// Files of the search index.
    pub search: usize,
    /// Sizes of photos (WebP and fallbacks) made for pages.
    pub photos: usize,
}

impl Counts {
    /// Every file counted.
    pub fn files(&self) -> usize {
        self.pages
            + self.sections
            + self.taxonomy_pages
            + self.feeds
            + self.calendars
            + self.emails
            + self.statics
            + self.cards
            + self.search
            + self.photos
    }

    pub fn add(&mut self, other: Counts) {
        self.pages += other.pages;
        self.sections += other.sections;
        self.taxonomy_pages += other.taxonomy_pages;
        self.feeds += other.feeds;
        self.calendars += other.calendars;
        self.emails += other.emails;
        self.statics += other.statics;
        self.cards += other.cards;
        self.search += other.search;
        self.photos += other.photos;
    }
}

impl Plan {
    /// Splits the plan in two: the HTML pages at the URL paths `visited` (`/articles/x/`,
    /// `/en/tags/y/page/2/`) with every output that is not HTML, and the rest. The dev
    /// server writes the first part, reloads the browsers, then writes the rest: the pages
    /// someone is looking at are new within a fraction of a second, even when a template
    /// edit re-renders thousands. `None` when no visited page is in the plan.
    pub fn visited_first(&self, sites: &[&Site], visited: &[String]) -> Option<(Plan, Plan)> {
        let mut first = Plan::default();
        let mut rest = Plan::default();
        let mut found = false;
        for (lang, outputs) in self.languages() {
            let site = sites[lang];
            let prefix = site.config.language_prefix();
            let own: Vec<&str> = visited
                .iter()
                .filter_map(|v| v.trim_start_matches('/').strip_prefix(prefix.as_str()))
                .map(|v| v.strip_suffix("index.html").unwrap_or(v))
                .collect();
            for output in outputs {
                let now = match output {
                    Output::Html(job) => {
                        let shown = own.iter().any(|v| shows(site, *job, v));
                        found |= shown;
                        shown
                    }
                    _ => true,
                };
                if now {
                    first.add(lang, output.clone());
                } else {
                    rest.add(lang, output.clone());
                }
            }
        }
        found.then_some((first, rest))
    }
}

/// Whether HTML job `job` writes the page at `path` (relative to its language's root, the
/// folder of an `index.html`).
fn shows(site: &Site, job: Job, path: &str) -> bool {
    let list_at = |list: &str| pager_at(list, path).is_some();
    match job {
        Job::Page(i) => site.pages[i].path == path,
        Job::Section(i) | Job::SectionPage(i, _) => list_at(&site.sections[i].path),
        Job::TaxonomyList(t) => site.taxonomies[t].path == path,
        Job::Term(t, n) => list_at(&site.taxonomies[t].terms[n].path),
        Job::Series(i) => site
            .series_names()
            .get(i)
            .is_some_and(|name| crate::model::routes::series_path(name) == path),
        Job::NotFound | Job::Community | Job::Search | Job::Newsletter | Job::Email(_) => false,
    }
}

/// The folders with feeds: the site's, then each section's and term's that has one.
pub fn feed_folders(site: &Site) -> Vec<String> {
    feeds::sources(site).into_iter().map(|s| s.path).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_redone_only_where_a_build_writes() {
        let mut full = Plan::default();
        full.add(0, Output::Html(Job::Section(2)));
        full.add(0, Output::Html(Job::Page(1)));
        full.add(1, Output::Feed("articles/".into()));
        let mut change = Plan::default();
        change.add(0, Output::Html(Job::SectionPage(2, 3)));
        change.add(0, Output::Html(Job::Page(1)));
        change.add(0, Output::Html(Job::Newsletter)); // no archive in this build
        change.add(0, Output::Feed("articles/".into())); // a feed of the other language
        change.add(1, Output::Feed("articles/".into()));
        change.add(2, Output::Calendars); // no such language
        let kept = change.within(&full);
        let mut expected = Plan::default();
        expected.add(0, Output::Html(Job::SectionPage(2, 3)));
        expected.add(0, Output::Html(Job::Page(1)));
        expected.add(1, Output::Feed("articles/".into()));
        assert_eq!(kept, expected);
        assert_eq!(kept.len(), 3);
    }
}
