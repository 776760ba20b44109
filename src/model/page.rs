//! A page and what its kind adds to it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::Zoned;

use crate::content::frontmatter::{Location, ShowcaseItem};
use crate::content::load::SourceFile;
use crate::content::markdown::Rendered;
use crate::vocabulary::{Discuss, EventStatus, HttpUrl, Kind};

#[derive(Debug)]
pub struct Page {
    pub file: SourceFile,
    /// Index of the page's section in `Site::sections`.
    pub section: usize,
    pub kind: Kind,
    pub slug: String,
    /// Site-relative path with a trailing slash and no leading one: `articles/welcome/`.
    pub path: String,
    pub permalink: String,
    pub title: String,
    pub description: Option<String>,
    pub date: Option<Zoned>,
    pub updated: Option<Zoned>,
    pub draft: bool,
    pub tags: Vec<String>,
    pub taxonomies: BTreeMap<String, Vec<String>>,
    pub weight: i64,
    /// Permalink of the page's image, if it has one.
    pub image: Option<String>,
    pub in_menu: bool,
    /// Front matter `in_search`: `false` leaves the page out of the search index.
    pub in_search: bool,
    /// Old addresses that redirect here, as output folders (`p/my-slug/`); see
    /// `routes::alias_path`.
    pub aliases: Vec<String>,
    pub template: Option<String>,
    pub extra: toml::Table,
    /// Who paid for it (`sponsored`): labelled at the top, in feeds and email, and its
    /// outbound links marked `rel="sponsored"`.
    pub sponsored: Option<Sponsor>,
    /// `related` as written: the articles to show under "Read also" (see `related.rs`).
    pub related: Vec<String>,
    pub details: Details,
    pub content: Rendered,
    /// Page bundle files: where they are, and their name beside the page.
    pub assets: Vec<(PathBuf, String)>,
}

/// Who paid for a page, and their address.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Sponsor {
    pub by: String,
    pub url: Option<String>,
}

impl Page {
    /// The name a page is known by in lists: a member's name, otherwise the title.
    pub fn reading_minutes(&self) -> usize {
        self.content
            .word_count
            .div_ceil(crate::content::markdown::WORDS_PER_MINUTE)
            .max(1)
    }

    /// Its `description`, or else its summary's text (at most `most` characters): plain
    /// text, for a format that escapes it once (JSON-LD, a feed's summary).
    pub fn description_or_summary(&self, most: usize) -> Option<String> {
        self.description.clone().or_else(|| {
            let summary = self.content.summary.as_deref()?;
            Some(crate::text::summary_text(summary, most)).filter(|t| !t.is_empty())
        })
    }

    /// Whether content path `path` (`@/events/x.md`, `events/x.md`, or a bundle's folder
    /// `events/x`) names this page, as blocks and `related` write them.
    pub fn is_at(&self, path: &str) -> bool {
        let rel = path.trim_start_matches("@/").trim_start_matches('/');
        self.file.rel == rel || self.file.rel.strip_suffix("/index.md") == Some(rel)
    }

    /// When the page last changed: `updated`, else `date`.
    pub fn last_modified(&self) -> Option<&Zoned> {
        self.updated.as_ref().or(self.date.as_ref())
    }

    /// Whether the page belongs in lists, feeds and the sitemap.
    pub fn listed(&self) -> bool {
        match &self.details {
            Details::Member(m) => m.listed,
            _ => true,
        }
    }

    /// Member ids or names credited for the page.
    pub fn authors(&self) -> &[String] {
        match &self.details {
            Details::Article(a) => &a.authors,
            Details::Plain { authors, .. } => authors,
            _ => &[],
        }
    }

    pub fn as_member(&self) -> Option<&Member> {
        match &self.details {
            Details::Member(m) => Some(m),
            _ => None,
        }
    }

    /// The page's own `discuss` setting (articles, plain pages, masterclasses, events).
    pub fn own_discuss(&self) -> Option<&Discuss> {
        match &self.details {
            Details::Article(a) => a.discuss.as_ref(),
            Details::Plain { discuss, .. } => discuss.as_ref(),
            Details::Masterclass(m) => m.discuss.as_ref(),
            Details::Event(e) => e.discuss.as_ref(),
            Details::Member(_) => None,
        }
    }

    pub fn as_event(&self) -> Option<&Event> {
        match &self.details {
            Details::Event(e) => Some(e),
            _ => None,
        }
    }
}

#[derive(Debug)]
pub enum Details {
    Article(Article),
    Masterclass(Masterclass),
    Event(Event),
    Member(Member),
    Plain {
        authors: Vec<String>,
        discuss: Option<Discuss>,
    },
}

#[derive(Debug)]
pub struct Article {
    pub authors: Vec<String>,
    pub series: Option<String>,
    pub discuss: Option<Discuss>,
    pub newsletter: bool,
    pub issue: Option<u32>,
}

#[derive(Debug)]
pub struct Masterclass {
    pub level: Option<String>,
    pub price: Option<String>,
    pub signup_url: Option<HttpUrl>,
    pub speakers: Vec<String>,
    pub sessions: Vec<Session>,
    pub discuss: Option<Discuss>,
}

#[derive(Debug)]
pub struct Session {
    pub title: Option<String>,
    pub start: Zoned,
    pub end: Zoned,
    pub online_url: Option<HttpUrl>,
    pub location: Option<Location>,
}

#[derive(Debug)]
pub struct Event {
    pub start: Zoned,
    pub end: Zoned,
    pub all_day: bool,
    pub location: Option<Location>,
    pub online_url: Option<HttpUrl>,
    pub registration_url: Option<HttpUrl>,
    pub price: Option<String>,
    pub hosts: Vec<String>,
    pub status: EventStatus,
    pub recurrence: Option<super::recurrence::Recurrence>,
    pub chat: Option<HttpUrl>,
    /// Where the event is talked about (its replies are shown when fetched).
    pub discuss: Option<Discuss>,
}

#[derive(Debug)]
pub struct Member {
    /// The file name: what `authors`, `hosts` and `speakers` refer to.
    pub id: String,
    pub name: String,
    pub role: Option<String>,
    /// Permalink of the avatar image.
    pub avatar: Option<String>,
    pub location: Option<String>,
    pub pronouns: Option<String>,
    pub links: BTreeMap<String, HttpUrl>,
    pub skills: Vec<String>,
    pub showcase: Vec<ShowcaseItem>,
    pub listed: bool,
}

impl Member {
    /// Up to two initials, for the drawn avatar of a member without a picture.
    pub fn initials(&self) -> String {
        initials(&self.name)
    }
}

/// Up to two initials of a name ("Noor El Amrani" → "NA"), skipping words that do not start
/// with a letter or digit; "?" when there are none.
pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_alphanumeric))
        .collect();
    let first = |w: &str| {
        w.chars()
            .next()
            .map(|c| c.to_uppercase().to_string())
            .unwrap_or_default()
    };
    match words.as_slice() {
        [] => "?".into(),
        [one] => first(one),
        [a, .., b] => format!("{}{}", first(a), first(b)),
    }
}
