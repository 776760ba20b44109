//! iCalendar files: one per event (and per masterclass, with all its sessions) and one
//! calendar of everything. Written with the `icalendar` crate, which escapes text and folds
//! lines at 75 octets with CRLF endings; the VTIMEZONE blocks come from jiff's tz database.

use std::collections::BTreeMap;

use icalendar::{Calendar, Component, EventLike, Property};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan, Zoned};

use crate::content::frontmatter::EventStatus;
use crate::model::Site;
use crate::model::schedule::Happening;

/// Where the site's calendar of everything lives: beside the first events section.
pub fn calendar_path(site: &Site) -> String {
    site.sections
        .iter()
        .find(|s| s.kind == crate::content::frontmatter::Kind::Events)
        .map_or_else(
            || "calendar.ics".to_string(),
            |s| format!("{}calendar.ics", s.path),
        )
}

/// The .ics file of one page (event or masterclass): `events/x/x.ics`.
pub fn page_ics_path(site: &Site, page: usize) -> String {
    let p = &site.pages[page];
    format!("{}{}.ics", p.path, p.slug)
}

/// A calendar of `items`, named `name`.
pub fn calendar(site: &Site, name: &str, items: &[&Happening]) -> String {
    // `Calendar::new()` would add its own PRODID; each may appear only once.
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"));
    cal.append_property(Property::new(
        "PRODID",
        concat!("-//kring//kring ", env!("CARGO_PKG_VERSION"), "//EN"),
    ));
    cal.append_property(Property::new("CALSCALE", "GREGORIAN"));
    cal.append_property(Property::new("METHOD", "PUBLISH"));
    cal.name(name);
    cal.append_property(Property::new("X-WR-TIMEZONE", site.config.timezone.name()));
    let stamp = utc(&site.now.timestamp());
    // Zones in use, with the years they must cover.
    let mut zones: BTreeMap<String, (TimeZone, i16, i16)> = BTreeMap::new();
    for h in items {
        let event = vevent(site, h, &stamp);
        cal.push(event);
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
    let text = refold(&cal.done().to_string());
    // VTIMEZONEs go before the events that use them.
    let zones_text: String = zones
        .iter()
        .map(|(name, (tz, from, to))| vtimezone(name, tz, *from, *to))
        .collect();
    match text.find("BEGIN:VEVENT") {
        Some(at) => format!("{}{}{}", &text[..at], zones_text, &text[at..]),
        None => text.replace("END:VCALENDAR", &format!("{zones_text}END:VCALENDAR")),
    }
}

/// Folds content lines at 75 octets (RFC 5545 §3.1), counting the space that starts a
/// continuation line and never splitting a character. The icalendar crate folds too, but
/// can leave 76-octet lines and lines ending in a space, which some parsers trim; so its
/// folding is undone and done again here.
pub fn refold(text: &str) -> String {
    let unfolded = text.replace("\r\n ", "");
    let mut out = String::with_capacity(unfolded.len() + unfolded.len() / 70 * 3);
    for line in unfolded.split_terminator("\r\n") {
        let mut rest = line;
        let mut limit = 75;
        while rest.len() > limit {
            let mut cut = limit;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            // Prefer not to end a line, or start the next, with a space.
            let mut nicer = cut;
            while nicer > limit - 8
                && (rest[..nicer].ends_with(' ') || rest[nicer..].starts_with(' '))
            {
                nicer -= 1;
                while !rest.is_char_boundary(nicer) {
                    nicer -= 1;
                }
            }
            if !(rest[..nicer].ends_with(' ') || rest[nicer..].starts_with(' ')) {
                cut = nicer;
            }
            out.push_str(&rest[..cut]);
            out.push_str("\r\n ");
            rest = &rest[cut..];
            limit = 74;
        }
        out.push_str(rest);
        out.push_str("\r\n");
    }
    out
}

/// The named zone of a time, unless it is UTC (written as `…Z` instead).
fn zone_name(z: &Zoned) -> Option<&str> {
    z.time_zone()
        .iana_name()
        .filter(|n| *n != "UTC" && *n != "Etc/UTC")
}

fn utc(ts: &Timestamp) -> String {
    ts.strftime("%Y%m%dT%H%M%SZ").to_string()
}

fn local(z: &Zoned) -> String {
    z.strftime("%Y%m%dT%H%M%S").to_string()
}

fn date_property(key: &str, z: &Zoned, all_day: bool, end: bool) -> Property {
    if all_day {
        // All-day DTEND is the day after the last day (RFC 5545 §3.6.1).
        let _ = end;
        let mut p = Property::new(key, z.date().strftime("%Y%m%d").to_string());
        p.add_parameter("VALUE", "DATE");
        return p;
    }
    match zone_name(z) {
        Some(name) => {
            let mut p = Property::new(key, local(z));
            p.add_parameter("TZID", name);
            p
        }
        None => Property::new(key, utc(&z.timestamp())),
    }
}

fn vevent(site: &Site, h: &Happening, stamp: &str) -> icalendar::Event {
    let page = &site.pages[h.page];
    let mut e = icalendar::Event::new();
    e.uid(&h.uid);
    e.append_property(Property::new("DTSTAMP", stamp));
    e.append_property(date_property("DTSTART", &h.start, h.all_day, false));
    e.append_property(date_property("DTEND", &h.end, h.all_day, true));
    e.summary(&h.title);
    e.url(&page.permalink);
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
    e.description(&description);
    let place = h.location.as_ref().map(|l| {
        [l.name.as_deref(), l.address.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    });
    match (place.filter(|p| !p.is_empty()), &h.online_url) {
        (Some(p), _) => {
            e.location(&p);
        }
        (None, Some(url)) => {
            e.location(&url.0);
        }
        _ => {}
    }
    e.status(match h.status {
        EventStatus::Cancelled => icalendar::EventStatus::Cancelled,
        EventStatus::Postponed => icalendar::EventStatus::Tentative,
        _ => icalendar::EventStatus::Confirmed,
    });
    if let Some(r) = &h.recurrence {
        e.append_property(Property::new(
            "RRULE",
            r.to_rrule(h.start.time_zone(), h.all_day),
        ));
    }
    if let Some(cats) = Some(&page.tags).filter(|t| !t.is_empty()) {
        e.append_property(Property::new("CATEGORIES", cats.join(",")));
    }
    e.done()
}

/// A VTIMEZONE with one observance per transition from `from` to `to` (years), plus the
/// one in force when `from` starts, so any client can place every time correctly.
fn vtimezone(name: &str, tz: &TimeZone, from: i16, to: i16) -> String {
    let line = |key: &str, value: &str| -> String {
        let p = Property::new(key, value);
        let s: String = p.try_into().unwrap_or_default();
        s
    };
    let offset = |seconds: i32| -> String {
        let sign = if seconds < 0 { '-' } else { '+' };
        let s = seconds.abs();
        format!("{sign}{:02}{:02}", s / 3600, (s % 3600) / 60)
    };
    let mut out = String::from("BEGIN:VTIMEZONE\r\n");
    out.push_str(&line("TZID", name));
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
        out.push_str("BEGIN:STANDARD\r\n");
        out.push_str(&line("DTSTART", "19700101T000000"));
        out.push_str(&line("TZOFFSETFROM", &off));
        out.push_str(&line("TZOFFSETTO", &off));
        out.push_str(&line("TZNAME", info.abbreviation()));
        out.push_str("END:STANDARD\r\n");
    }
    for t in transitions {
        let before = t
            .timestamp()
            .checked_sub(1.second())
            .unwrap_or(t.timestamp());
        let from_offset = tz.to_offset(before);
        let to_offset = t.offset();
        let kind = if t.dst().is_dst() {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        // DTSTART is the wall-clock time the change happens at, in the offset before it.
        let local_start = t.timestamp().to_zoned(TimeZone::fixed(from_offset));
        out.push_str(&format!("BEGIN:{kind}\r\n"));
        out.push_str(&line("DTSTART", &local(&local_start)));
        out.push_str(&line("TZOFFSETFROM", &offset(from_offset.seconds())));
        out.push_str(&line("TZOFFSETTO", &offset(to_offset.seconds())));
        out.push_str(&line("TZNAME", t.abbreviation()));
        out.push_str(&format!("END:{kind}\r\n"));
    }
    out.push_str("END:VTIMEZONE\r\n");
    out
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
    Ok(1 + by_page.len())
}

/// "Add to calendar" links for one happening: Google Calendar, Outlook.com, Office 365.
pub fn add_links(site: &Site, h: &Happening) -> serde_json::Value {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let enc = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
    let page = &site.pages[h.page];
    let (start, end) = h.next(&site.now).unwrap_or_else(|| h.last());
    let details = match &h.online_url {
        Some(u) => format!(
            "{}\n\n{}\n{}",
            page.description.clone().unwrap_or_default(),
            u.0,
            page.permalink
        ),
        None => format!(
            "{}\n\n{}",
            page.description.clone().unwrap_or_default(),
            page.permalink
        ),
    };
    let details = details.trim().to_string();
    let place = h
        .location
        .as_ref()
        .map(|l| {
            [l.name.as_deref(), l.address.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ")
        })
        .filter(|p| !p.is_empty())
        .or_else(|| h.online_url.as_ref().map(|u| u.0.clone()))
        .unwrap_or_default();
    let (g_dates, o_start, o_end) = if h.all_day {
        (
            format!(
                "{}/{}",
                start.date().strftime("%Y%m%d"),
                end.date().strftime("%Y%m%d")
            ),
            start.date().to_string(),
            end.date().to_string(),
        )
    } else {
        let iso = |z: &Zoned| z.timestamp().strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
        (
            format!("{}/{}", utc(&start.timestamp()), utc(&end.timestamp())),
            iso(&start),
            iso(&end),
        )
    };
    let tz = start.time_zone().iana_name().unwrap_or("UTC");
    let google = format!(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={}&details={}&location={}&ctz={}",
        enc(&h.title),
        g_dates,
        enc(&details),
        enc(&place),
        enc(tz)
    );
    let outlook = |host: &str| {
        format!(
            "https://{host}/calendar/0/action/compose?rru=addevent&subject={}&startdt={}&enddt={}&allday={}&body={}&location={}",
            enc(&h.title),
            enc(&o_start),
            enc(&o_end),
            h.all_day,
            enc(&details),
            enc(&place)
        )
    };
    let ics = site.config.base_url.join(&page_ics_path(site, h.page));
    serde_json::json!({
        "google": google,
        "outlook": outlook("outlook.live.com"),
        "office365": outlook("outlook.office.com"),
        "ics": ics,
        "webcal": webcal(&ics),
    })
}

/// The `webcal://` form of an .ics URL, which calendar apps open as a subscription.
pub fn webcal(url: &str) -> String {
    match url.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => url.to_string(),
    }
}
