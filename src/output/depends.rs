//! What depends on what: where a page appears before and after an edit (its place in its
//! section, its neighbours, terms, series and people), and from that the outputs of the
//! [`Plan`] to redo. This sits beside the outputs so that a new output says here what it
//! shows; the dev server only asks.

use std::collections::BTreeSet;

use super::pages::Job;
use super::plan::{Output, Plan};
use crate::model::{Details, Site};
use crate::vocabulary::Kind;

/// Where a page appears, taken before and after an edit.
pub struct Footprint {
    /// Its title, which other languages show among its translations.
    pub title: String,
    /// Where the page is in its section's order.
    pub position: Option<usize>,
    /// Its newsletter issue number, if it is one.
    pub issue: Option<u32>,
    pub neighbours: Vec<usize>,
    pub terms: BTreeSet<String>,
    pub series: Vec<usize>,
    pub people: Vec<usize>,
    /// The pages that show it under "Read also".
    pub related_by: Vec<usize>,
    /// The series it is a part of.
    pub series_name: Option<String>,
    /// Every series of the site: one that appears or vanishes adds or removes a page.
    pub all_series: Vec<String>,
    /// Every term of every taxonomy: a term that appears or vanishes adds or removes pages.
    pub all_terms: BTreeSet<String>,
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
            related_by: (0..site.related.len())
                .filter(|&i| site.related[i].contains(&index))
                .collect(),
            all_terms: Footprint::all_terms(site),
            series_name: match &page.details {
                Details::Article(a) => a.series.clone(),
                _ => None,
            },
            all_series: site.series_names().into_iter().cloned().collect(),
        }
    }

    pub fn all_terms(site: &Site) -> BTreeSet<String> {
        site.taxonomies
            .iter()
            .flat_map(|t| t.terms.iter().map(|term| term.path.clone()))
            .collect()
    }

    /// The outputs of language `lang` that show page `index`, which had footprint `self`
    /// before an edit and has `after` now; the sitemap (its `lastmod`) too.
    pub fn affected(&self, after: &Footprint, site: &Site, lang: usize, index: usize) -> Plan {
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
            .chain(&self.related_by)
            .chain(&after.related_by)
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
        let names = site.series_names();
        for name in self.series_name.iter().chain(&after.series_name) {
            if let Some(n) = names.iter().position(|s| *s == name) {
                jobs.push(Job::Series(n));
                feeds.insert(crate::model::routes::series_path(name));
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
        let mut plan = Plan::default();
        plan.extend(lang, jobs.into_iter().map(Output::Html));
        plan.extend(lang, feeds.into_iter().map(Output::Feed));
        if scheduled {
            plan.add(lang, Output::Calendars);
        }
        // Its card shows its title (only where it has one: see `Plan::within`); the search
        // index its words.
        plan.add(lang, Output::Card(index));
        plan.add(lang, Output::Search);
        plan.add(0, Output::Sitemap);
        plan.add(0, Output::Redirects);
        plan
    }
}

/// Every output of language `lang` that shows something of every page: what a change to a
/// member (whose name and avatar other pages show) redoes.
pub fn everything_of(renderer: &super::pages::Renderer, lang: usize) -> Plan {
    let mut plan = Plan::language(renderer, lang);
    plan.add(0, Output::Sitemap);
    plan
}
