//! The site and its sections as templates see them: `site` in every template (navigation
//! and site-wide facts, small on purpose) and `section` without its pages (those come per
//! list page, see `output::pages`).

use serde::Serialize;
use serde_json::Value;

use super::page::{TranslationView, translations};
use crate::config::{BaseUrl, NewsletterProvider};
use crate::content::markdown::Heading;
use crate::model::routes::{self, FeedLink, calendar_path};
use crate::model::{Section, Site};
use crate::render::{calendar_links, community, jsonld};
use crate::time::rfc3339;

/// An entry of the main menu: a section or page with `in_menu`, by weight.
#[derive(Debug, Serialize)]
pub struct MenuItem<'a> {
    pub name: &'a str,
    pub permalink: &'a str,
    pub path: String,
}

/// A section as `site.sections` lists it.
#[derive(Debug, Serialize)]
pub struct SectionSummary<'a> {
    pub title: &'a str,
    pub permalink: &'a str,
    pub kind: &'static str,
    pub page_count: usize,
}

/// A taxonomy as `site.taxonomies` lists it.
#[derive(Debug, Serialize)]
pub struct TaxonomySummary<'a> {
    pub name: &'a str,
    pub permalink: &'a str,
    pub term_count: usize,
}

/// A language of the site, linked to its home page.
#[derive(Debug, Serialize)]
pub struct LanguageView<'a> {
    pub lang: &'a str,
    pub name: &'a str,
    pub permalink: &'a str,
    pub current: bool,
}

/// A calendar to download or subscribe to: the site's, a topic's or a section's.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarView {
    pub url: String,
    pub webcal: String,
}

impl CalendarView {
    /// The links to the calendar file at output path `path`.
    pub fn at(site: &Site, path: &str) -> CalendarView {
        let url = site.config.base_url.join(path);
        CalendarView {
            webcal: calendar_links::webcal(&url),
            url,
        }
    }
}

/// `site.newsletter`: the signup form and where the archive is.
#[derive(Debug, Serialize)]
pub struct NewsletterView<'a> {
    pub provider: &'a NewsletterProvider,
    pub name: String,
    pub description: Option<&'a str>,
    pub archive_url: String,
    pub form: Option<community::NewsletterForm>,
}

/// `site` in every template.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a BaseUrl,
    pub base_path: &'a str,
    pub language: &'a str,
    pub menu: Vec<MenuItem<'a>>,
    pub sections: Vec<SectionSummary<'a>>,
    pub taxonomies: Vec<TaxonomySummary<'a>>,
    pub now: String,
    pub generator: &'static str,
    /// The site's JSON-LD (`WebSite`), ready for a `<script type="application/ld+json">`.
    pub json_ld: String,
    pub languages: Vec<LanguageView<'a>>,
    pub feeds: Vec<FeedLink>,
    pub community: Value,
    pub community_url: Option<String>,
    pub newsletter: Option<NewsletterView<'a>>,
    pub analytics: Option<community::AnalyticsScript>,
    pub calendar: Option<CalendarView>,
    /// The address of the site's drawn social card (`[images] social_cards`).
    pub social_card: Option<String>,
    /// The search page's address, where the index is too (`[search] enabled`).
    pub search: Option<String>,
}

impl<'a> SiteView<'a> {
    pub fn of(site: &'a Site) -> SiteView<'a> {
        let config = &site.config;
        let mut menu: Vec<(i64, MenuItem)> = site
            .sections
            .iter()
            .filter(|s| s.in_menu && !s.is_home())
            .map(|s| {
                let item = MenuItem {
                    name: s.menu_title.as_ref().unwrap_or(&s.title),
                    permalink: &s.permalink,
                    path: format!("/{}", s.path),
                };
                (s.weight, item)
            })
            .collect();
        menu.extend(site.pages.iter().filter(|p| p.in_menu).map(|p| {
            let item = MenuItem {
                name: &p.title,
                permalink: &p.permalink,
                path: format!("/{}", p.path),
            };
            (p.weight, item)
        }));
        // Stable: equal weights keep sections before pages, each in site order.
        menu.sort_by_key(|(w, _)| *w);
        SiteView {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            base_path: config.base_url.path(),
            language: &config.language,
            menu: menu.into_iter().map(|(_, item)| item).collect(),
            sections: site
                .sections
                .iter()
                .filter(|s| !s.is_home())
                .map(|s| SectionSummary {
                    title: &s.title,
                    permalink: &s.permalink,
                    kind: s.kind.name(),
                    page_count: s.pages.len(),
                })
                .collect(),
            taxonomies: site
                .taxonomies
                .iter()
                .map(|t| TaxonomySummary {
                    name: &t.name,
                    permalink: &t.permalink,
                    term_count: t.terms.len(),
                })
                .collect(),
            now: rfc3339(&site.now),
            generator: concat!("kring ", env!("CARGO_PKG_VERSION")),
            json_ld: jsonld::embed(&jsonld::website(site)),
            languages: site
                .languages
                .iter()
                .map(|l| LanguageView {
                    lang: &l.lang,
                    name: &l.name,
                    permalink: &l.permalink,
                    current: l.lang == config.language,
                })
                .collect(),
            feeds: routes::feed_links(&config.feeds, config.base_url.as_str(), "", &config.title),
            community: community::community(config),
            community_url: (!config.community.is_empty())
                .then(|| config.base_url.join(routes::COMMUNITY_PATH)),
            newsletter: config.newsletter.as_ref().map(|n| NewsletterView {
                provider: &n.provider,
                name: n.name.clone().unwrap_or_else(|| config.title.clone()),
                description: n.description.as_deref(),
                archive_url: config.base_url.join(&routes::newsletter_path(config)),
                form: community::newsletter_form(config),
            }),
            analytics: community::analytics(config),
            search: config
                .search
                .enabled
                .then(|| config.base_url.join(routes::SEARCH_PATH)),
            social_card: config
                .images
                .social_cards
                .then(|| config.base_url.join(routes::SOCIAL_CARD)),
            calendar: (!site.schedule.is_empty())
                .then(|| CalendarView::at(site, &calendar_path(site))),
        }
    }
}

/// [`SiteView`] as a template value.
pub fn site_view(site: &Site) -> Value {
    serde_json::to_value(SiteView::of(site)).unwrap_or_default()
}

/// A subsection, as its parent's view lists it.
#[derive(Debug, Serialize)]
pub struct SubsectionView<'a> {
    pub title: &'a str,
    pub permalink: &'a str,
    pub page_count: usize,
}

/// `section`: a section without its pages (those come per list page).
#[derive(Debug, Serialize)]
pub struct SectionView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub permalink: &'a str,
    pub path: String,
    pub kind: &'static str,
    pub content: &'a str,
    pub toc: &'a [Heading],
    pub extra: &'a toml::Table,
    pub page_count: usize,
    pub translations: Vec<TranslationView<'a>>,
    pub subsections: Vec<SubsectionView<'a>>,
    /// The calendar of an events section below the main one (`events/utrecht/`).
    pub calendar: Option<CalendarView>,
}

impl<'a> SectionView<'a> {
    pub fn of(site: &'a Site, section: &'a Section) -> SectionView<'a> {
        SectionView {
            title: &section.title,
            description: section.description.as_deref(),
            permalink: &section.permalink,
            path: format!("/{}", section.path),
            kind: section.kind.name(),
            content: &section.content.html,
            toc: &section.content.toc,
            extra: &section.extra,
            page_count: section.pages.len(),
            translations: translations(site, &section.index_file()),
            calendar: site
                .sections
                .iter()
                .position(|s| std::ptr::eq(s, section))
                .and_then(|i| routes::section_calendar(site, i))
                .map(|path| CalendarView::at(site, &path)),
            subsections: section
                .subsections
                .iter()
                .map(|&i| {
                    let s = &site.sections[i];
                    SubsectionView {
                        title: &s.title,
                        permalink: &s.permalink,
                        page_count: s.pages.len(),
                    }
                })
                .collect(),
        }
    }
}

/// [`SectionView`] as a template value.
pub fn section_view(site: &Site, section: &Section) -> Value {
    serde_json::to_value(SectionView::of(site, section)).unwrap_or_default()
}

/// The feeds of a section, for autodiscovery and subscribe links (empty when it has none).
pub fn section_feeds(site: &Site, section: usize) -> Vec<FeedLink> {
    if !routes::section_has_feed(site, section) {
        return Vec::new();
    }
    let s = &site.sections[section];
    routes::feed_links(
        &site.config.feeds,
        site.config.base_url.as_str(),
        &s.path,
        &format!("{} — {}", site.config.title, s.title),
    )
}
