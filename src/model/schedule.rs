//! The calendar: every event, and every session of every masterclass, as one list of
//! [`Happening`]s. Lists of upcoming and past events, the .ics files and the events feed
//! all read from it.

use jiff::{SignedDuration, ToSpan, Zoned};

use super::page::Details;
use super::recurrence::Recurrence;
use super::site::Site;
use crate::content::frontmatter::Location;
use crate::vocabulary::{EventStatus, HttpUrl};

/// One thing on the calendar.
#[derive(Debug, Clone)]
pub struct Happening {
    /// The event's page, or the masterclass's for a session.
    pub page: usize,
    /// Which session of a masterclass (0-based), or `None` for an event.
    pub session: Option<usize>,
    pub title: String,
    pub start: Zoned,
    pub end: Zoned,
    pub all_day: bool,
    pub status: EventStatus,
    pub location: Option<Location>,
    pub online_url: Option<HttpUrl>,
    pub recurrence: Option<Recurrence>,
    /// Start times up to the horizon: just `start` unless the event repeats.
    pub occurrences: Vec<Zoned>,
    /// Stable across builds: made from the page's path.
    pub uid: String,
}

/// How far ahead a repeating event is expanded for lists and feeds.
pub fn horizon(now: &Zoned) -> Zoned {
    now.checked_add(1.year()).unwrap_or_else(|_| now.clone())
}

impl Happening {
    pub fn duration(&self) -> SignedDuration {
        self.end.duration_since(&self.start)
    }

    /// The next occurrence that has not ended at `now`: (start, end).
    pub fn next(&self, now: &Zoned) -> Option<(Zoned, Zoned)> {
        let d = self.duration();
        self.occurrences
            .iter()
            .map(|s| (s.clone(), s.checked_add(d).unwrap_or_else(|_| s.clone())))
            .find(|(_, e)| e.timestamp() >= now.timestamp())
    }

    /// The most recent occurrence: what a past event is filed under.
    pub fn last(&self) -> (Zoned, Zoned) {
        let s = self
            .occurrences
            .last()
            .cloned()
            .unwrap_or_else(|| self.start.clone());
        let e = s.checked_add(self.duration()).unwrap_or_else(|_| s.clone());
        (s, e)
    }
}

fn uid(site: &Site, path: &str, session: Option<usize>) -> String {
    let host = site
        .config
        .base_url
        .origin()
        .split("://")
        .nth(1)
        .unwrap_or("kring")
        .to_string();
    let mut id = path.trim_matches('/').replace('/', "-");
    if let Some(n) = session {
        id.push_str(&format!("-session-{}", n + 1));
    }
    format!("{id}@{host}")
}

/// Every happening of the site, sorted by start.
pub fn schedule(site: &Site) -> Vec<Happening> {
    let horizon = horizon(&site.now);
    let mut list = Vec::new();
    for (i, page) in site.pages.iter().enumerate() {
        match &page.details {
            Details::Event(e) => {
                let occurrences = match &e.recurrence {
                    Some(r) => r.occurrences(&e.start, &horizon),
                    None => vec![e.start.clone()],
                };
                list.push(Happening {
                    page: i,
                    session: None,
                    title: page.title.clone(),
                    start: e.start.clone(),
                    end: e.end.clone(),
                    all_day: e.all_day,
                    status: e.status,
                    location: e.location.clone(),
                    online_url: e.online_url.clone(),
                    recurrence: e.recurrence.clone(),
                    occurrences,
                    uid: uid(site, &page.path, None),
                });
            }
            Details::Masterclass(m) => {
                for (n, s) in m.sessions.iter().enumerate() {
                    let title = match &s.title {
                        Some(t) => format!("{} — {t}", page.title),
                        None => format!("{} — {}", page.title, n + 1),
                    };
                    list.push(Happening {
                        page: i,
                        session: Some(n),
                        title,
                        start: s.start.clone(),
                        end: s.end.clone(),
                        all_day: false,
                        status: EventStatus::Scheduled,
                        location: s.location.clone(),
                        online_url: s.online_url.clone(),
                        recurrence: None,
                        occurrences: vec![s.start.clone()],
                        uid: uid(site, &page.path, Some(n)),
                    });
                }
            }
            _ => {}
        }
    }
    list.sort_by(|a, b| {
        a.start
            .timestamp()
            .cmp(&b.start.timestamp())
            .then(a.uid.cmp(&b.uid))
    });
    list
}

/// Split into upcoming (soonest first) and past (most recent first) at `now`.
pub fn upcoming_and_past<'a>(
    list: &'a [Happening],
    now: &Zoned,
) -> (Vec<&'a Happening>, Vec<&'a Happening>) {
    let (mut upcoming, mut past): (Vec<&Happening>, Vec<&Happening>) =
        list.iter().partition(|h| h.next(now).is_some());
    upcoming.sort_by_key(|h| h.next(now).map(|(s, _)| s.timestamp()));
    past.sort_by_key(|h| std::cmp::Reverse(h.last().0.timestamp()));
    (upcoming, past)
}

/// Where a page stands on the calendar at `now`, to list pages as a calendar does.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Standing {
    /// Something still to come: when its next happening starts (soonest first).
    Coming(jiff::Timestamp),
    /// All over: when its last happening started (most recent first).
    Been(std::cmp::Reverse<jiff::Timestamp>),
    /// No happenings (an article credited beside events).
    Never,
}

/// Orders pages as a calendar lists them, the way [`upcoming_and_past`] orders happenings:
/// pages with something still to come first, soonest first; then those that are over, most
/// recent first; pages without happenings last, in the order they had. A member's events,
/// a masterclasses section.
pub fn calendar_order(site: &Site, list: &mut [usize]) {
    list.sort_by_cached_key(|&page| {
        let mut standing = Standing::Never;
        for h in site.happenings_of(page) {
            let this = match h.next(&site.now) {
                Some((start, _)) => Standing::Coming(start.timestamp()),
                None => Standing::Been(std::cmp::Reverse(h.last().0.timestamp())),
            };
            standing = standing.min(this);
        }
        standing
    });
}
