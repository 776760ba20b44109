//! When and where things happen: one view for an event and a masterclass session in lists
//! ([`HappeningView`]), and the parts event and masterclass pages share.

use serde::Serialize;
use serde_json::Value;

use crate::content::frontmatter::Location;
use crate::model::Site;
use crate::model::page::Session;
use crate::model::schedule::Happening;
use crate::render::calendar_links::{self, CalendarLinks};
use crate::time::rfc3339;
use crate::vocabulary::{EventStatus, HttpUrl};

/// Where something happens: a place, an address, a link to it.
#[derive(Debug, Clone, Serialize)]
pub struct LocationView<'a> {
    pub name: Option<&'a str>,
    pub address: Option<&'a str>,
    pub url: Option<&'a HttpUrl>,
}

impl<'a> LocationView<'a> {
    pub fn of(l: Option<&'a Location>) -> Option<LocationView<'a>> {
        l.map(|l| LocationView {
            name: l.name.as_deref(),
            address: l.address.as_deref(),
            url: l.url.as_ref(),
        })
    }
}

/// An event's status as templates name it.
pub fn status_name(s: EventStatus) -> &'static str {
    match s {
        EventStatus::Scheduled => "scheduled",
        EventStatus::Cancelled => "cancelled",
        EventStatus::Postponed => "postponed",
        EventStatus::MovedOnline => "moved-online",
    }
}

/// An event or masterclass session as lists and the home page show it: its next
/// occurrence (or its last, once it is over) and the page it belongs to.
#[derive(Debug, Serialize)]
pub struct HappeningView<'a> {
    pub title: &'a str,
    pub start: String,
    pub end: String,
    pub timezone: Option<&'a str>,
    pub all_day: bool,
    pub status: &'static str,
    pub location: Option<LocationView<'a>>,
    pub online_url: Option<&'a HttpUrl>,
    pub permalink: &'a str,
    /// `event` or `session`.
    pub kind: &'static str,
    pub session_title: Option<&'a str>,
    pub recurring: bool,
    pub upcoming: bool,
    /// The list view of the page it belongs to.
    pub page: Option<Value>,
}

/// [`HappeningView`] of `h` as a template value, with `page`, the list view of its page.
pub fn happening_view(site: &Site, h: &Happening, page: Option<Value>) -> Value {
    let (start, end) = h.next(&site.now).unwrap_or_else(|| h.last());
    let session_title = h.session.and_then(|n| match &site.pages[h.page].details {
        crate::model::Details::Masterclass(m) => m.sessions.get(n).and_then(|s| s.title.as_deref()),
        _ => None,
    });
    let view = HappeningView {
        title: &h.title,
        start: rfc3339(&start),
        end: rfc3339(&end),
        timezone: start.time_zone().iana_name(),
        all_day: h.all_day,
        status: status_name(h.status),
        location: LocationView::of(h.location.as_ref()),
        online_url: h.online_url.as_ref(),
        permalink: &site.pages[h.page].permalink,
        kind: if h.session.is_some() {
            "session"
        } else {
            "event"
        },
        session_title,
        recurring: h.recurrence.is_some(),
        upcoming: h.next(&site.now).is_some(),
        page,
    };
    serde_json::to_value(view).unwrap_or_default()
}

/// One session of a masterclass on its page.
#[derive(Debug, Serialize)]
pub struct SessionView<'a> {
    pub title: Option<&'a str>,
    pub start: String,
    pub end: String,
    pub timezone: Option<&'a str>,
    pub online_url: Option<&'a HttpUrl>,
    pub location: Option<LocationView<'a>>,
    pub calendar_links: CalendarLinks,
    pub upcoming: bool,
}

impl<'a> SessionView<'a> {
    pub fn of(site: &Site, s: &'a Session, h: &Happening) -> SessionView<'a> {
        SessionView {
            title: s.title.as_deref(),
            start: rfc3339(&s.start),
            end: rfc3339(&s.end),
            timezone: s.start.time_zone().iana_name(),
            online_url: s.online_url.as_ref(),
            location: LocationView::of(s.location.as_ref()),
            calendar_links: calendar_links::add_links(site, h),
            upcoming: h.next(&site.now).is_some(),
        }
    }
}

/// When an event happens next, and its next few dates, for its page and lists.
#[derive(Debug, Serialize)]
pub struct EventTimes {
    pub next_start: Option<String>,
    pub next_end: Option<String>,
    pub occurrences: Vec<String>,
    pub calendar_links: CalendarLinks,
}

impl EventTimes {
    pub fn of(site: &Site, h: &Happening) -> EventTimes {
        let next = h.next(&site.now);
        EventTimes {
            next_start: next.as_ref().map(|(s, _)| rfc3339(s)),
            next_end: next.as_ref().map(|(_, e)| rfc3339(e)),
            occurrences: h
                .occurrences
                .iter()
                .filter(|s| s.timestamp() >= site.now.timestamp())
                .take(6)
                .map(rfc3339)
                .collect(),
            calendar_links: calendar_links::add_links(site, h),
        }
    }
}
