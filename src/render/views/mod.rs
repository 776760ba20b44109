//! Typed views: what templates see of the model, as Rust types whose fields are the keys
//! (`docs/templates.md` is their contract). Each view is made in one place, whichever page
//! or template function shows it, and serialized once: a page's list view is made once per
//! build and shared by every list, term page and template function that shows it.

mod conversation;
mod event;
mod page;
mod site;
mod taxonomy;

pub use conversation::{ConversationView, feed_line as conversation_feed_line};
pub use event::{HappeningView, LocationView, happening_view};
pub use page::{ListViews, PageView, SUMMARY_TEXT, page_full};
pub use site::{CalendarView, SectionView, SiteView, section_feeds, section_view, site_view};
pub use taxonomy::{TaxonomyHeader, TaxonomyView, TermPageView, TermView};

use serde::Serialize;
use serde_json::Value;

/// As a template value.
pub fn value(view: impl Serialize) -> Value {
    serde_json::to_value(view).unwrap_or_default()
}

/// Another language of the site, linked to this page's version in it when there is one
/// (`language_links`).
#[derive(Debug, Serialize)]
pub struct LanguageLink<'a> {
    pub lang: &'a str,
    pub name: &'a str,
    pub permalink: &'a str,
    pub translated: bool,
}

/// For a site in several languages: each other language, linked to the version of the
/// content file `key` in it when there is one, else to that language's home page. Empty
/// otherwise.
pub fn language_links<'a>(
    site: &'a crate::model::Site,
    key: Option<&str>,
) -> Vec<LanguageLink<'a>> {
    let versions = key.and_then(|k| site.translations.get(k));
    site.languages
        .iter()
        .filter(|l| l.lang != site.config.language)
        .map(|l| {
            let version = versions.and_then(|v| v.iter().find(|t| t.lang == l.lang));
            LanguageLink {
                lang: &l.lang,
                name: &l.name,
                permalink: version.map_or(&l.permalink, |t| &t.permalink),
                translated: version.is_some(),
            }
        })
        .collect()
}

/// `email` in the template of an email edition.
#[derive(Debug, Serialize)]
pub struct EmailView<'a> {
    /// The line inboxes show after the subject.
    pub preheader: String,
    /// Where the issue is on the web.
    pub web_url: &'a str,
    /// The provider's placeholder for each reader's unsubscribe link (`*|UNSUB|*`).
    pub unsubscribe_url: Option<&'a str>,
}

/// A newsletter issue in the archive: its number and its page's list view.
#[derive(Debug, Serialize)]
pub struct IssueView {
    pub number: u32,
    pub page: Value,
}
