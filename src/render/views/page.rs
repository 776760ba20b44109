//! Pages as templates see them: [`PageView`] in lists (everything but the content), and
//! the full view on a page's own template (content, table of contents, neighbours, JSON-LD).

use serde::Serialize;
use serde_json::Value;

use super::conversation::ConversationView;
use super::event::{EventTimes, LocationView, SessionView, status_name};
use crate::content::markdown::Heading;
use crate::model::routes::{self, page_ics_path};
use crate::model::schedule::Happening;
use crate::model::{Details, Site};
use crate::render::{community, jsonld};
use crate::time::rfc3339;
use crate::vocabulary::{Discuss, HttpUrl, Kind};

/// A person credited on a page: a member (with profile link and avatar) or just a name.
#[derive(Debug, Clone, Serialize)]
pub struct PersonView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub permalink: Option<&'a str>,
    pub role: Option<&'a str>,
    pub avatar: Option<&'a str>,
    pub initials: String,
    pub is_member: bool,
}

impl<'a> PersonView<'a> {
    pub fn of(site: &'a Site, id: &'a str) -> PersonView<'a> {
        if let Some(&i) = site.members.get(id) {
            let page = &site.pages[i];
            let m = page.as_member().expect("members map holds members");
            return PersonView {
                id,
                name: &m.name,
                permalink: Some(&page.permalink),
                role: m.role.as_deref(),
                avatar: m.avatar.as_deref(),
                initials: m.initials(),
                is_member: true,
            };
        }
        // Not a member: the page of their name in `authors`, if the site has that taxonomy.
        let term = site
            .taxonomies
            .iter()
            .find(|t| t.name == "authors")
            .and_then(|t| {
                t.terms
                    .iter()
                    .find(|term| term.slug == crate::model::routes::slug_of(id))
            });
        PersonView {
            id,
            name: id,
            permalink: term.map(|t| t.permalink.as_str()),
            role: None,
            avatar: None,
            initials: crate::model::page::initials(id),
            is_member: false,
        }
    }
}

fn people<'a>(site: &'a Site, ids: &'a [String]) -> Vec<PersonView<'a>> {
    ids.iter().map(|id| PersonView::of(site, id)).collect()
}

/// A term a page carries, linked to its page.
#[derive(Debug, Clone, Serialize)]
pub struct TermLink<'a> {
    pub name: &'a str,
    pub slug: String,
    pub permalink: String,
}

fn term_links<'a>(site: &Site, taxonomy: &str, values: &'a [String]) -> Vec<TermLink<'a>> {
    values
        .iter()
        .map(|v| {
            let slug = slug::slugify(v);
            let permalink = site
                .config
                .base_url
                .join(&routes::term_path(taxonomy, &slug));
            TermLink {
                name: v,
                slug,
                permalink,
            }
        })
        .collect()
}

/// A page's `discuss` as written: a link, `false` (off), or absent.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum DiscussSetting<'a> {
    At(&'a str),
    Off(bool),
}

fn discuss_setting(d: Option<&Discuss>) -> Option<DiscussSetting<'_>> {
    d.map(|d| match d {
        Discuss::At(url) => DiscussSetting::At(&url.0),
        Discuss::Off => DiscussSetting::Off(false),
    })
}

/// A section as a page's list view names it.
#[derive(Debug, Serialize)]
pub struct SectionLink<'a> {
    pub title: &'a str,
    pub permalink: &'a str,
    pub kind: &'static str,
}

/// Another language's version of a page or section.
#[derive(Debug, Serialize)]
pub struct TranslationView<'a> {
    pub lang: &'a str,
    pub name: &'a str,
    pub permalink: &'a str,
    pub title: &'a str,
}

/// The other languages' versions of a content file (empty on a one-language site).
pub fn translations<'a>(site: &'a Site, key: &str) -> Vec<TranslationView<'a>> {
    let list = site.translations.get(key).map_or(&[][..], Vec::as_slice);
    list.iter()
        .filter(|t| t.lang != site.config.language)
        .map(|t| TranslationView {
            lang: &t.lang,
            name: &t.name,
            permalink: &t.permalink,
            title: &t.title,
        })
        .collect()
}

/// The view of a page in a list: everything but the full content. Exactly one of
/// `article`, `plain`, `event`, `masterclass` and `member` is present, by the page's kind.
#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub permalink: &'a str,
    pub path: String,
    pub slug: &'a str,
    pub kind: &'static str,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub draft: bool,
    pub tags: Vec<TermLink<'a>>,
    pub taxonomies: std::collections::BTreeMap<&'a str, Vec<TermLink<'a>>>,
    pub image: Option<&'a str>,
    /// The address of its drawn social card, when it has no image a chat app can show.
    pub social_card: Option<String>,
    /// Its summary as HTML (entities and all): for `| safe`, never to be escaped again.
    pub summary: Option<&'a str>,
    /// Its summary's text (at most 160 characters, cut after a word), for cards, the meta
    /// description (when it has no `description`), `og:description` and social previews:
    /// entities decoded, so the template's escaping is the only one.
    pub summary_text: Option<String>,
    pub word_count: usize,
    pub reading_time: usize,
    pub extra: &'a toml::Table,
    /// Who paid for it (`sponsored`), shown before the reader starts.
    pub sponsored: Option<&'a crate::model::page::Sponsor>,
    pub section: SectionLink<'a>,
    pub authors: Vec<PersonView<'a>>,
    pub lang: &'a str,
    pub translations: Vec<TranslationView<'a>>,
    /// Where the conversation about the page is: its own link or the site's default.
    pub discuss: Value,
    /// The conversation its `discuss` link leads to, when fetched: the count here.
    pub conversation: Option<ConversationView<'a>>,
    #[serde(flatten)]
    pub details: DetailsView<'a>,
}

/// What only one kind of page has, under the kind's name.
#[derive(Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DetailsView<'a> {
    Article(ArticleView<'a>),
    Plain { discuss: Option<DiscussSetting<'a>> },
    Masterclass(Box<MasterclassView<'a>>),
    Event(Box<EventView<'a>>),
    Member(MemberView<'a>),
}

#[derive(Debug, Serialize)]
pub struct ArticleView<'a> {
    pub series: Option<&'a str>,
    pub discuss: Option<DiscussSetting<'a>>,
    pub newsletter: bool,
    pub issue: Option<u32>,
    /// The web address of its email edition, for a newsletter issue.
    pub email: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct MasterclassView<'a> {
    pub level: Option<&'a str>,
    pub price: Option<&'a str>,
    pub signup_url: Option<&'a HttpUrl>,
    pub speakers: Vec<PersonView<'a>>,
    pub sessions: Vec<SessionView<'a>>,
    pub discuss: Option<DiscussSetting<'a>>,
    pub ics: String,
}

#[derive(Debug, Serialize)]
pub struct EventView<'a> {
    pub start: String,
    pub end: String,
    pub timezone: Option<&'a str>,
    pub all_day: bool,
    pub status: &'static str,
    pub location: Option<LocationView<'a>>,
    pub online_url: Option<&'a HttpUrl>,
    pub registration_url: Option<&'a HttpUrl>,
    pub price: Option<&'a str>,
    pub hosts: Vec<PersonView<'a>>,
    pub recurrence: Option<String>,
    pub chat: Value,
    pub upcoming: bool,
    pub ics: String,
    #[serde(flatten)]
    pub times: Option<EventTimes>,
}

#[derive(Debug, Serialize)]
pub struct MemberView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub role: Option<&'a str>,
    pub avatar: Option<&'a str>,
    pub initials: String,
    pub location: Option<&'a str>,
    pub pronouns: Option<&'a str>,
    pub links: Vec<MemberLink<'a>>,
    pub skills: Vec<TermLink<'a>>,
    pub showcase: Vec<ShowcaseView<'a>>,
    pub listed: bool,
}

#[derive(Debug, Serialize)]
pub struct MemberLink<'a> {
    pub kind: &'a str,
    pub url: &'a HttpUrl,
}

#[derive(Debug, Serialize)]
pub struct ShowcaseView<'a> {
    pub title: &'a str,
    pub url: Option<&'a HttpUrl>,
    pub description: Option<&'a str>,
    /// Absolute, as it may be shown on other pages than the member's.
    pub image: Option<String>,
}

/// Characters of a summary's text in a page's view: about what a search engine shows of a
/// meta description.
pub const SUMMARY_TEXT: usize = 160;

impl<'a> PageView<'a> {
    pub fn of(site: &'a Site, index: usize) -> PageView<'a> {
        let page = &site.pages[index];
        let section = &site.sections[page.section];
        let happenings: Vec<&Happening> = match page.kind {
            Kind::Events | Kind::Masterclasses => site.happenings_of(index).collect(),
            _ => Vec::new(),
        };
        let ics = || site.config.base_url.join(&page_ics_path(site, index));
        let details = match &page.details {
            Details::Article(a) => DetailsView::Article(ArticleView {
                series: a.series.as_deref(),
                discuss: discuss_setting(a.discuss.as_ref()),
                newsletter: a.newsletter,
                issue: site
                    .issues
                    .iter()
                    .find(|(_, i)| *i == index)
                    .map(|(n, _)| *n),
                email: a.newsletter.then(|| {
                    site.config
                        .base_url
                        .join(&routes::email_files(&page.path)[0])
                }),
            }),
            Details::Plain { discuss, .. } => DetailsView::Plain {
                discuss: discuss_setting(discuss.as_ref()),
            },
            Details::Masterclass(m) => DetailsView::Masterclass(Box::new(MasterclassView {
                level: m.level.as_deref(),
                price: m.price.as_deref(),
                signup_url: m.signup_url.as_ref(),
                speakers: people(site, &m.speakers),
                sessions: m
                    .sessions
                    .iter()
                    .zip(&happenings)
                    .map(|(s, h)| SessionView::of(site, s, h))
                    .collect(),
                discuss: discuss_setting(m.discuss.as_ref()),
                ics: ics(),
            })),
            Details::Event(e) => DetailsView::Event(Box::new(EventView {
                start: rfc3339(&e.start),
                end: rfc3339(&e.end),
                timezone: e.start.time_zone().iana_name(),
                all_day: e.all_day,
                status: status_name(e.status),
                location: LocationView::of(e.location.as_ref()),
                online_url: e.online_url.as_ref(),
                registration_url: e.registration_url.as_ref(),
                price: e.price.as_deref(),
                hosts: people(site, &e.hosts),
                recurrence: e.recurrence.as_ref().map(|r| r.to_string()),
                chat: community::chat(e.chat.as_ref()),
                upcoming: happenings
                    .first()
                    .is_some_and(|h| h.next(&site.now).is_some()),
                ics: ics(),
                times: happenings.first().map(|h| EventTimes::of(site, h)),
            })),
            Details::Member(m) => DetailsView::Member(MemberView {
                id: &m.id,
                name: &m.name,
                role: m.role.as_deref(),
                avatar: m.avatar.as_deref(),
                initials: m.initials(),
                location: m.location.as_deref(),
                pronouns: m.pronouns.as_deref(),
                links: m
                    .links
                    .iter()
                    .map(|(kind, url)| MemberLink { kind, url })
                    .collect(),
                skills: term_links(site, "skills", &m.skills),
                showcase: m
                    .showcase
                    .iter()
                    .map(|s| ShowcaseView {
                        title: &s.title,
                        url: s.url.as_ref(),
                        description: s.description.as_deref(),
                        image: s.image.as_ref().map(|img| {
                            crate::content::markdown::absolute_url(
                                img,
                                &page.permalink,
                                site.config.root_url().as_str(),
                            )
                            .unwrap_or_else(|| img.clone())
                        }),
                    })
                    .collect(),
                listed: m.listed,
            }),
        };
        let own_discuss = match &page.details {
            Details::Article(a) => Some(a.discuss.as_ref()),
            Details::Plain { discuss, .. } => Some(discuss.as_ref()),
            Details::Masterclass(m) => Some(m.discuss.as_ref()),
            // An event has no default place: only its own link.
            Details::Event(e) => e.discuss.as_ref().map(Some),
            Details::Member(_) => None,
        };
        PageView {
            sponsored: page.sponsored.as_ref(),
            title: &page.title,
            description: page.description.as_deref(),
            permalink: &page.permalink,
            path: format!("/{}", page.path),
            slug: &page.slug,
            kind: page.kind.name(),
            date: page.date.as_ref().map(rfc3339),
            updated: page.updated.as_ref().map(rfc3339),
            draft: page.draft,
            tags: term_links(site, "tags", &page.tags),
            taxonomies: page
                .taxonomies
                .iter()
                .map(|(k, v)| (k.as_str(), term_links(site, k, v)))
                .collect(),
            image: page.image.as_deref(),
            social_card: routes::social_card_file(site, index)
                .map(|file| site.config.base_url.join(&file)),
            summary: page.content.summary.as_deref(),
            summary_text: page
                .content
                .summary
                .as_deref()
                .map(|summary| crate::text::summary_text(summary, SUMMARY_TEXT))
                .filter(|t| !t.is_empty()),
            word_count: page.content.word_count,
            reading_time: page.reading_minutes(),
            extra: &page.extra,
            section: SectionLink {
                title: &section.title,
                permalink: &section.permalink,
                kind: section.kind.name(),
            },
            authors: people(site, page.authors()),
            lang: &site.config.language,
            translations: translations(site, &page.file.rel),
            discuss: own_discuss.map_or(Value::Null, |d| community::discuss(&site.config, d)),
            conversation: ConversationView::of(site, index, false),
            details,
        }
    }
}

/// Every page's list view, made once per build and kept as compact JSON: about 1.5 KB a
/// page, where a `serde_json::Value` of it takes about 9 KB (a map node and a key string
/// per field) — 200 MiB at 30,000 pages. Decoding one costs what copying a `Value` did,
/// and every use copied.
///
/// JSON text is read back with serde_json's nesting limit of 128; the one part of a view a
/// writer nests at will, `[extra]`, cannot pass 80 levels (the TOML parser's limit), which
/// `tests/integration/hardening.rs` checks.
#[derive(Debug, Clone, Default)]
pub struct ListViews {
    json: Vec<Box<str>>,
    /// `[extra] featured = true`, for `get_section(…, featured=true)` without decoding.
    featured: Vec<bool>,
}

impl ListViews {
    pub fn of(site: &Site) -> ListViews {
        use rayon::prelude::*;
        let (json, featured) = (0..site.pages.len())
            .into_par_iter()
            .map(|i| Self::encode(site, i))
            .unzip();
        ListViews { json, featured }
    }

    fn encode(site: &Site, index: usize) -> (Box<str>, bool) {
        let page = &site.pages[index];
        let json = serde_json::to_string(&PageView::of(site, index)).unwrap_or_default();
        let featured = page.extra.get("featured") == Some(&toml::Value::Boolean(true));
        (json.into(), featured)
    }

    /// The list view of page `index`, or `Null` past the end.
    pub fn get(&self, index: usize) -> Value {
        self.json
            .get(index)
            .and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default()
    }

    pub fn featured(&self, index: usize) -> bool {
        self.featured.get(index).copied().unwrap_or(false)
    }

    /// Makes page `index`'s list view again, after an edit.
    pub fn update(&mut self, site: &Site, index: usize) {
        (self.json[index], self.featured[index]) = Self::encode(site, index);
    }
}

/// A neighbouring page or one of a series.
#[derive(Debug, Serialize)]
pub struct PageLink<'a> {
    pub title: &'a str,
    pub permalink: &'a str,
    /// In a series: whether it is the page being shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<bool>,
}

/// What a page's own template has beyond its [`PageView`].
#[derive(Debug, Serialize)]
struct FullParts<'a> {
    content: &'a str,
    toc: &'a [Heading],
    #[serde(skip_serializing_if = "Option::is_none")]
    previous: Option<Option<PageLink<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<Option<PageLink<'a>>>,
    /// Its JSON-LD, ready for a `<script type="application/ld+json">`.
    #[serde(skip_serializing_if = "Option::is_none")]
    json_ld: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    series_pages: Option<Vec<PageLink<'a>>>,
    /// The page of its series (`/series/<slug>/`), when it is a part of one.
    #[serde(skip_serializing_if = "Option::is_none")]
    series_url: Option<String>,
    /// "Read also": its related articles' list views (articles only).
    #[serde(skip_serializing_if = "Option::is_none")]
    related: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    member_articles: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    member_events: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    member_masterclasses: Option<Vec<Value>>,
    /// The conversation with its replies, in place of the list view's count alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    conversation: Option<ConversationView<'a>>,
}

/// The full view of a page for its own template: its list view (from `summaries`) plus
/// content, table of contents, neighbours, JSON-LD and (for members) what they are
/// credited on.
pub fn page_full(site: &Site, index: usize, summaries: &ListViews) -> Value {
    let page = &site.pages[index];
    let link = |i: usize, current: Option<bool>| PageLink {
        title: &site.pages[i].title,
        permalink: &site.pages[i].permalink,
        current,
    };
    let siblings = &site.sections[page.section].pages;
    let position = siblings.iter().position(|&i| i == index);
    let neighbour = |at: Option<usize>| {
        position.map(|_| at.and_then(|p| siblings.get(p)).map(|&i| link(i, None)))
    };
    let newest_first = site.sections[page.section].sort_by == crate::vocabulary::SortBy::Date;
    let earlier = position.and_then(|p| p.checked_sub(1));
    let later = position.map(|p| p + 1);
    let mut happenings = site.happenings_of(index);
    // One `json_ld` per page, on its own page only: lists do not carry it.
    let json_ld = match &page.details {
        Details::Article(_) => Some(jsonld::article(site, page)),
        Details::Event(_) => happenings.next().map(|h| jsonld::event(site, h)),
        Details::Masterclass(_) => Some(Value::from(
            happenings
                .map(|h| jsonld::event(site, h))
                .collect::<Vec<_>>(),
        )),
        Details::Member(m) => Some(jsonld::person(site, page, m)),
        Details::Plain { .. } => None,
    };
    // A page with a FAQ says so too, beside what it is.
    let json_ld = match (json_ld, page.content.faq.is_empty()) {
        (json_ld, true) => json_ld,
        (None, false) => Some(jsonld::faq(page)),
        (Some(Value::Array(mut all)), false) => {
            all.push(jsonld::faq(page));
            Some(Value::Array(all))
        }
        (Some(one), false) => Some(Value::from(vec![one, jsonld::faq(page)])),
    };
    let series_pages = match &page.details {
        Details::Article(a) => a.series.as_ref().map(|series| {
            let list = site.series.get(series).map_or(&[][..], Vec::as_slice);
            list.iter().map(|&i| link(i, Some(i == index))).collect()
        }),
        _ => None,
    };
    let credited = |kind: Kind| match &page.details {
        Details::Member(m) => Some(
            site.credits
                .get(&m.id)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .filter(|&&i| site.pages[i].kind == kind)
                .map(|&i| summaries.get(i))
                .collect(),
        ),
        _ => None,
    };
    let parts = FullParts {
        content: &page.content.html,
        toc: &page.content.toc,
        // Reading order: a section by date lists the newest first, so "previous" is the
        // older page (after this one in the list), "next" the newer one.
        previous: neighbour(if newest_first { later } else { earlier }),
        next: neighbour(if newest_first { earlier } else { later }),
        json_ld: json_ld.map(|j| jsonld::embed(&j)),
        series_url: match &page.details {
            Details::Article(a) => a.series.as_ref().map(|s| {
                site.config
                    .base_url
                    .join(&crate::model::routes::series_path(s))
            }),
            _ => None,
        },
        series_pages,
        related: (page.kind == Kind::Articles).then(|| {
            site.related
                .get(index)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .map(|&i| summaries.get(i))
                .collect()
        }),
        member_articles: credited(Kind::Articles),
        member_events: credited(Kind::Events),
        member_masterclasses: credited(Kind::Masterclasses),
        conversation: ConversationView::of(site, index, true),
    };
    let mut view = summaries.get(index);
    if let (Value::Object(all), Ok(Value::Object(more))) = (&mut view, serde_json::to_value(parts))
    {
        all.extend(more);
    }
    view
}
