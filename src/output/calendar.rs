//! iCalendar files: one per event (and per masterclass, with all its sessions) and one
//! calendar of everything, written with [`Ics`], which escapes every value
//! and folds lines at 75 octets with CRLF endings; the VTIMEZONE blocks come from jiff's tz
//! database.

use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan, Zoned};

use super::ics::Ics;
use crate::model::Site;
use crate::model::schedule::Happening;
use crate::time::compact_utc;
use crate::vocabulary::EventStatus;

pub use crate::model::routes::{calendar_path, page_ics_path, section_calendar, term_calendar};

/// A calendar of `items`, named `name`.
pub fn calendar(site: &Site, name: &str, items: &[&Happening]) -> String {
    let mut ics = Ics::new();
    ics.begin("VCALENDAR");
    ics.value("VERSION", &[], "2.0");
    ics.value(
        "PRODID",
        &[],
        concat!("-//kring//kring ", env!("CARGO_PKG_VERSION"), "//EN"),
    );
    ics.value("CALSCALE", &[], "GREGORIAN");
    ics.value("METHOD", &[], "PUBLISH");
    ics.text("X-WR-CALNAME", name);
    ics.text("X-WR-TIMEZONE", site.config.timezone.name());
    // Zones in use, with the years they must cover; their VTIMEZONEs come first.
    let mut zones: BTreeMap<String, (TimeZone, i16, i16)> = BTreeMap::new();
    for h in items {
        if let Some(name) = zone_name(&h.start).filter(|_| !h.all_day) {
            let last = h.occurrences.last().unwrap_or(&h.start).year() + 1;
            let entry = zones.entry(name.to_string()).or_insert((
                h.start.time_zone().clone(),
                h.start.year(),
                last,
            ));
            entry.1 = entry.1.min(h.start.year());
            entry.2 = entry.2.max(last);
        }
    }
    for (name, (tz, from, to)) in &zones {
        vtimezone(&mut ics, name, tz, *from, *to);
    }
    let stamp = compact_utc(&site.now.timestamp());
    for h in items {
        vevent(&mut ics, site, h, &stamp);
    }
    ics.finish()
}

/// The named zone of a time, unless it is UTC (written as `…Z` instead).
fn zone_name(z: &Zoned) -> Option<&str> {
    z.time_zone()
        .iana_name()
        .filter(|n| *n != "UTC" && *n != "Etc/UTC")
}

fn local(z: &Zoned) -> String {
    z.strftime("%Y%m%dT%H%M%S").to_string()
}

/// DTSTART or DTEND: a date for all-day events (DTEND is then the day after the last day,
/// RFC 5545 §3.6.1), local time with its TZID, or UTC.
fn date_property(ics: &mut Ics, key: &str, z: &Zoned, all_day: bool) {
    if all_day {
        ics.value(
            key,
            &[("VALUE", "DATE")],
            &z.date().strftime("%Y%m%d").to_string(),
        );
        return;
    }
    match zone_name(z) {
        Some(name) => ics.value(key, &[("TZID", name)], &local(z)),
        None => ics.value(key, &[], &compact_utc(&z.timestamp())),
    }
}

fn vevent(ics: &mut Ics, site: &Site, h: &Happening, stamp: &str) {
    let page = &site.pages[h.page];
    ics.begin("VEVENT");
    ics.text("UID", &h.uid);
    ics.value("DTSTAMP", &[], stamp);
    date_property(ics, "DTSTART", &h.start, h.all_day);
    // A moment (`duration = "0m"`) has no DTEND: RFC 5545 §3.6.1 lets an event without one
    // end when it starts, and a DTEND must be later than DTSTART.
    if h.end.timestamp() > h.start.timestamp() {
        date_property(ics, "DTEND", &h.end, h.all_day);
    }
    ics.text("SUMMARY", &h.title);
    ics.value("URL", &[], &page.permalink);
    let mut description = page.description.clone().unwrap_or_default();
    if let Some(online) = &h.online_url {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&format!("Online: {}", online.0));
    }
    if !description.is_empty() {
        description.push_str("\n\n");
    }
    description.push_str(&page.permalink);
    ics.text("DESCRIPTION", &description);
    let place = h.location.as_ref().map(|l| {
        [l.name.as_deref(), l.address.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    });
    match (place.filter(|p| !p.is_empty()), &h.online_url) {
        (Some(p), _) => ics.text("LOCATION", &p),
        (None, Some(url)) => ics.text("LOCATION", &url.0),
        _ => {}
    }
    let status = match h.status {
        EventStatus::Cancelled => "CANCELLED",
        EventStatus::Postponed => "TENTATIVE",
        _ => "CONFIRMED",
    };
    ics.value("STATUS", &[], status);
    if let Some(r) = &h.recurrence {
        ics.value("RRULE", &[], &r.to_rrule(h.start.time_zone(), h.all_day));
    }
    if !page.tags.is_empty() {
        ics.text_list("CATEGORIES", &page.tags);
    }
    ics.end();
}

/// A VTIMEZONE with one observance per transition from `from` to `to` (years), plus the
/// one in force when `from` starts, so any client can place every time correctly.
fn vtimezone(ics: &mut Ics, name: &str, tz: &TimeZone, from: i16, to: i16) {
    let offset = |seconds: i32| -> String {
        let sign = if seconds < 0 { '-' } else { '+' };
        let s = seconds.abs();
        format!("{sign}{:02}{:02}", s / 3600, (s % 3600) / 60)
    };
    ics.begin("VTIMEZONE");
    ics.text("TZID", name);
    let start = jiff::civil::date(from, 1, 1)
        .to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let end = jiff::civil::date(to, 12, 31)
        .to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .unwrap_or(start);
    let mut transitions: Vec<_> = tz.preceding(start).take(1).collect();
    transitions.extend(tz.following(start).take_while(|t| t.timestamp() <= end));
    if transitions.is_empty() {
        // A zone without transitions: one observance.
        let info = tz.to_offset_info(start);
        let off = offset(info.offset().seconds());
        ics.begin("STANDARD");
        ics.value("DTSTART", &[], "19700101T000000");
        ics.value("TZOFFSETFROM", &[], &off);
        ics.value("TZOFFSETTO", &[], &off);
        ics.text("TZNAME", info.abbreviation());
        ics.end();
    }
    for t in transitions {
        let before = t
            .timestamp()
            .checked_sub(1.second())
            .unwrap_or(t.timestamp());
        let from_offset = tz.to_offset(before);
        let to_offset = t.offset();
        ics.begin(if t.dst().is_dst() {
            "DAYLIGHT"
        } else {
            "STANDARD"
        });
        // DTSTART is the wall-clock time the change happens at, in the offset before it.
        let local_start = t.timestamp().to_zoned(TimeZone::fixed(from_offset));
        ics.value("DTSTART", &[], &local(&local_start));
        ics.value("TZOFFSETFROM", &[], &offset(from_offset.seconds()));
        ics.value("TZOFFSETTO", &[], &offset(to_offset.seconds()));
        ics.text("TZNAME", t.abbreviation());
        ics.end();
    }
    ics.end();
}

/// Writes the site calendar and one file per event and masterclass; returns the count.
pub fn write_calendars(site: &Site, out: &dyn crate::output::write::Sink) -> crate::Result<usize> {
    if site.schedule.is_empty() {
        return Ok(0);
    }
    let all: Vec<&Happening> = site.schedule.iter().collect();
    out.write(
        &calendar_path(site),
        calendar(site, &site.config.title, &all).as_bytes(),
    )?;
    let mut by_page: BTreeMap<usize, Vec<&Happening>> = BTreeMap::new();
    for h in &site.schedule {
        by_page.entry(h.page).or_default().push(h);
    }
    for (page, items) in &by_page {
        out.write(
            &page_ics_path(site, *page),
            calendar(site, &site.pages[*page].title, items).as_bytes(),
        )?;
    }
    let mut written = 1 + by_page.len();
    // Per topic: the events with a term of a taxonomy that asks for calendars.
    for taxonomy in &site.taxonomies {
        for term in &taxonomy.terms {
            let Some(path) = term_calendar(site, taxonomy, term) else {
                continue;
            };
            // In the schedule's order, as the calendar of everything.
            let pages: std::collections::HashSet<usize> = term.pages.iter().copied().collect();
            let items: Vec<&Happening> = site
                .schedule
                .iter()
                .filter(|h| pages.contains(&h.page))
                .collect();
            let name = format!("{} — {}", site.config.title, term.name);
            out.write(&path, calendar(site, &name, &items).as_bytes())?;
            written += 1;
        }
    }
    // Per events sub-section: its events and those of the sections below it.
    for (i, section) in site.sections.iter().enumerate() {
        let Some(path) = section_calendar(site, i) else {
            continue;
        };
        let items: Vec<&Happening> = site
            .schedule
            .iter()
            .filter(|h| {
                site.sections[site.pages[h.page].section]
                    .path
                    .starts_with(&section.path)
            })
            .collect();
        let name = format!("{} — {}", site.config.title, section.title);
        out.write(&path, calendar(site, &name, &items).as_bytes())?;
        written += 1;
    }
    Ok(written)
}
