//! What an edited page touches: where it appears before and after the edit (its place in
//! its section, its neighbours, terms, series and people), and from that the jobs, feeds
//! and calendars to redo.

use std::collections::BTreeSet;

use crate::model::{Details, Site};
use crate::output::pages::Job;
use crate::vocabulary::Kind;

/// The jobs, feeds and calendars an edited page touches.
pub struct Affected {
    pub jobs: Vec<Job>,
    pub feeds: BTreeSet<String>,
    pub calendars: bool,
}

/// Where a page appears, taken before and after an edit.
pub struct Footprint {
    /// Its title, which other languages show among its translations.
    pub(super) title: String,
    /// Where the page is in its section's order.
    pub(super) position: Option<usize>,
    /// Its newsletter issue number, if it is one.
    pub(super) issue: Option<u32>,
    pub(super) neighbours: Vec<usize>,
    pub(super) terms: BTreeSet<String>,
    pub(super) series: Vec<usize>,
    pub(super) people: Vec<usize>,
    /// Every term of every taxonomy: a term that appears or vanishes adds or removes pages.
    pub(super) all_terms: BTreeSet<String>,
}

impl Footprint {
    pub fn of(site: &Site, index: usize) -> Footprint {
        let page = &site.pages[index];
        let list = &site.sections[page.section].pages;
        let mut neighbours = Vec::new();
        let position = list.iter().position(|&i| i == index);
        if let Some(pos) = position {
            neighbours.extend(pos.checked_sub(1).and_then(|p| list.get(p)));
            neighbours.extend(list.get(pos + 1));
        }
        let terms = site
            .taxonomies
            .iter()
            .flat_map(|t| {
                t.terms
                    .iter()
                    .filter(|term| term.pages.contains(&index))
                    .map(|term| term.path.clone())
            })
            .collect();
        let series = match &page.details {
            Details::Article(a) => a
                .series
                .as_ref()
                .and_then(|s| site.series.get(s))
                .cloned()
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        let ids: Vec<&String> = match &page.details {
            Details::Event(e) => e.hosts.iter().collect(),
            Details::Masterclass(m) => m.speakers.iter().collect(),
            _ => page.authors().iter().collect(),
        };
        let people = ids
            .into_iter()
            .filter_map(|id| site.members.get(id).copied())
            .collect();
        Footprint {
            title: page.title.clone(),
            position,
            issue: site
                .issues
                .iter()
                .find(|(_, i)| *i == index)
                .map(|(n, _)| *n),
            neighbours,
            terms,
            series,
            people,
            all_terms: Footprint::all_terms(site),
        }
    }

    pub fn all_terms(site: &Site) -> BTreeSet<String> {
        site.taxonomies
            .iter()
            .flat_map(|t| t.terms.iter().map(|term| term.path.clone()))
            .collect()
    }

    pub fn affected(&self, after: &Footprint, site: &Site, index: usize) -> Affected {
        let page = &site.pages[index];
        let mut jobs = vec![Job::Page(index), Job::Section(0)];
        // Only the list pages between where the page was and where it is now.
        let section = &site.sections[page.section];
        match (self.position, after.position, section.paginate_by) {
            (Some(a), Some(b), Some(per)) if per > 0 => {
                for n in a.min(b) / per..=a.max(b) / per {
                    jobs.push(Job::SectionPage(page.section, n));
                }
            }
            _ => jobs.push(Job::Section(page.section)),
        }
        for &i in self
            .neighbours
            .iter()
            .chain(&after.neighbours)
            .chain(&self.series)
            .chain(&after.series)
            .chain(&self.people)
            .chain(&after.people)
        {
            jobs.push(Job::Page(i));
        }
        let terms: BTreeSet<&String> = self.terms.iter().chain(&after.terms).collect();
        let mut feeds: BTreeSet<String> =
            BTreeSet::from([String::new(), site.sections[page.section].path.clone()]);
        for (t, taxonomy) in site.taxonomies.iter().enumerate() {
            let mut touched = false;
            for (n, term) in taxonomy.terms.iter().enumerate() {
                if terms.contains(&term.path) {
                    jobs.push(Job::Term(t, n));
                    feeds.insert(term.path.clone());
                    touched = true;
                }
            }
            if touched {
                jobs.push(Job::TaxonomyList(t));
            }
        }
        if after.issue.is_some() {
            jobs.push(Job::Email(index));
            jobs.push(Job::Newsletter);
        }
        let scheduled = matches!(page.kind, Kind::Events | Kind::Masterclasses);
        if scheduled {
            for (i, s) in site.sections.iter().enumerate() {
                if s.kind == Kind::Events {
                    jobs.push(Job::Section(i));
                    feeds.insert(s.path.clone());
                }
            }
        }
        Affected {
            jobs,
            feeds,
            calendars: scheduled,
        }
    }
}
