//! iCalendar files, read back with the independent `ical` crate and, when it is installed,
//! with a real calendar client (`khal`), against the calendar fixture: events on both sides
//! of daylight saving time in Amsterdam and New York, an all-day event, a repeating one, a
//! cancelled one, an online one, one with characters that need escaping, and a masterclass.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::*;
use ical::parser::ical::component::{IcalCalendar, IcalEvent};
use ical::property::Property;

const BASE: &str = "https://cal.example.org/";
const SPECIAL_TITLE: &str = "Tom & Jerry's <\"special\"> night";
const SPECIAL_DESCRIPTION: &str = "One, two; three\nfour";
const UNICODE_TITLE: &str =
    "Online talk with Zoë 😀 about naïve café façades, jalapeño crème brûlée and more";

/// The .ics file of every event and masterclass page of the fixture.
const PAGES: &[&str] = &[
    "events/summer-evening/summer-evening.ics",
    "events/winter-evening/winter-evening.ics",
    "events/new-york-after-dst/new-york-after-dst.ics",
    "events/new-york-before-dst/new-york-before-dst.ics",
    "events/spring-camp/spring-camp.ics",
    "events/monthly-call/monthly-call.ics",
    "events/cancelled-picnic/cancelled-picnic.ics",
    "events/online-talk/online-talk.ics",
    "events/special-night/special-night.ics",
    "events/spring-past/spring-past.ics",
    "masterclasses/hosting/hosting.ics",
];
const SITE_CALENDAR: &str = "events/calendar.ics";

fn built() -> (tempfile::TempDir, PathBuf) {
    let (tmp, site) = fixture("calendar");
    let out = build_ok(&site);
    (tmp, out)
}

/// Every .ics file under `out`, relative to it.
fn ics_files(out: &Path) -> Vec<String> {
    tree(out)
        .into_keys()
        .filter(|p| p.ends_with(".ics"))
        .map(|p| p.replace('\\', "/"))
        .collect()
}

fn parse(out: &Path, rel: &str) -> IcalCalendar {
    let file = std::fs::File::open(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let mut calendars: Vec<IcalCalendar> = ical::IcalParser::new(std::io::BufReader::new(file))
        .map(|c| c.unwrap_or_else(|e| panic!("{rel} does not parse: {e}")))
        .collect();
    assert_eq!(calendars.len(), 1, "{rel}: one VCALENDAR per file");
    calendars.remove(0)
}

fn props<'a>(list: &'a [Property], name: &str) -> Vec<&'a Property> {
    list.iter()
        .filter(|p| p.name.eq_ignore_ascii_case(name))
        .collect()
}

/// The one `name` property of an event (panics when there is none or more than one).
fn prop<'a>(e: &'a IcalEvent, name: &str) -> &'a Property {
    let found = props(&e.properties, name);
    assert_eq!(
        found.len(),
        1,
        "{name} must occur exactly once in {:#?}",
        e.properties
    );
    found[0]
}

fn value<'a>(e: &'a IcalEvent, name: &str) -> &'a str {
    prop(e, name).value.as_deref().unwrap_or("")
}

fn param<'a>(p: &'a Property, name: &str) -> Option<&'a str> {
    p.params
        .as_ref()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.first().map(String::as_str))
}

/// The event of `cal` whose URL is the page `path` (and, for a masterclass, with `summary`).
fn event<'a>(cal: &'a IcalCalendar, path: &str, summary: Option<&str>) -> &'a IcalEvent {
    let url = format!("{BASE}{path}");
    let found: Vec<&IcalEvent> = cal
        .events
        .iter()
        .filter(|e| value(e, "URL") == url)
        .filter(|e| summary.is_none_or(|s| unescape(value(e, "SUMMARY")) == s))
        .collect();
    assert_eq!(found.len(), 1, "one event for {url} {summary:?}");
    found[0]
}

/// A TEXT value with RFC 5545 §3.3.11 escapes undone (`\\`, `\;`, `\,`, `\n`, `\N`).
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(c @ ('\\' | ';' | ',')) => out.push(c),
            other => panic!("invalid escape \\{other:?} in {s:?}"),
        }
    }
    out
}

/// The content lines of a file unfolded exactly as RFC 5545 §3.1 says: a CRLF followed by
/// one space or tab is removed, nothing else. (The `ical` crate also trims trailing
/// whitespace of every physical line, which loses a space a fold happens to follow.)
fn unfolded(raw: &str) -> Vec<String> {
    raw.replace("\r\n ", "")
        .replace("\r\n\t", "")
        .split("\r\n")
        .map(String::from)
        .collect()
}

/// The value of the first content line of `raw` that starts with `NAME:`, after `after`.
fn raw_value(raw: &str, after: &str, name: &str) -> String {
    let lines = unfolded(raw);
    let start = lines
        .iter()
        .position(|l| l == after)
        .unwrap_or_else(|| panic!("no line {after}"));
    lines[start..]
        .iter()
        .find_map(|l| l.strip_prefix(&format!("{name}:")).map(String::from))
        .unwrap_or_else(|| panic!("no {name} after {after}"))
}

#[test]
fn a_calendar_for_the_site_and_one_per_event_and_masterclass() {
    let (_tmp, out) = built();
    let mut expected: Vec<String> = PAGES.iter().map(|s| s.to_string()).collect();
    expected.push(SITE_CALENDAR.to_string());
    expected.sort();
    assert_eq!(ics_files(&out), expected);
    // Ten events and two masterclass sessions in the site calendar.
    assert_eq!(parse(&out, SITE_CALENDAR).events.len(), 12);
    for rel in PAGES {
        let n = parse(&out, rel).events.len();
        assert_eq!(
            n,
            if rel.starts_with("masterclasses/") {
                2
            } else {
                1
            },
            "{rel}"
        );
    }
}

#[test]
fn lines_end_with_crlf_and_fit_in_75_octets() {
    let (_tmp, out) = built();
    let mut long = Vec::new();
    for rel in ics_files(&out) {
        let bytes = std::fs::read(out.join(&rel)).unwrap();
        assert!(
            bytes.ends_with(b"END:VCALENDAR\r\n"),
            "{rel} does not end with END:VCALENDAR CRLF"
        );
        // Everything up to the last LF (the file ends with one, checked above).
        let body = &bytes[..bytes.len() - 1];
        for (n, line) in body.split(|&b| b == b'\n').enumerate() {
            let Some(line) = line.strip_suffix(b"\r") else {
                panic!(
                    "{rel}: line {} ends with a bare LF: {:?}",
                    n + 1,
                    String::from_utf8_lossy(line)
                );
            };
            assert!(
                !line.contains(&b'\r'),
                "{rel}: line {} has a bare CR",
                n + 1
            );
            if line.len() > 75 {
                long.push(format!(
                    "{rel}:{}: {} octets: {:?}",
                    n + 1,
                    line.len(),
                    String::from_utf8_lossy(line)
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "content lines longer than 75 octets (RFC 5545 §3.1):\n{}",
        long.join("\n")
    );
}

#[test]
fn calendar_properties_occur_once() {
    let (_tmp, out) = built();
    for rel in ics_files(&out) {
        let cal = parse(&out, &rel);
        // RFC 5545 §3.6: PRODID and VERSION are required and MUST NOT occur more than once;
        // CALSCALE and METHOD are optional and MUST NOT occur more than once.
        for (name, required) in [
            ("PRODID", true),
            ("VERSION", true),
            ("CALSCALE", false),
            ("METHOD", false),
        ] {
            let found: Vec<Option<&str>> = props(&cal.properties, name)
                .iter()
                .map(|p| p.value.as_deref())
                .collect();
            assert!(
                found.len() <= 1 && (!required || found.len() == 1),
                "{rel}: {name} occurs {} times: {found:?}",
                found.len()
            );
        }
        assert_eq!(
            props(&cal.properties, "VERSION")[0].value.as_deref(),
            Some("2.0"),
            "{rel}"
        );
    }
}

#[test]
fn every_event_has_the_required_properties() {
    let (_tmp, out) = built();
    // DTSTAMP is the build's "now", 2026-11-22T12:00:00Z, in UTC.
    let stamp = "20261122T120000Z";
    for rel in ics_files(&out) {
        let cal = parse(&out, &rel);
        assert!(!cal.events.is_empty(), "{rel}");
        for e in &cal.events {
            for name in ["UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "URL"] {
                assert!(!value(e, name).is_empty(), "{rel}: empty {name}");
            }
            assert_eq!(value(e, "DTSTAMP"), stamp, "{rel}");
            assert!(
                value(e, "URL").starts_with(BASE),
                "{rel}: {}",
                value(e, "URL")
            );
            assert!(
                value(e, "UID").ends_with("@cal.example.org"),
                "{rel}: {}",
                value(e, "UID")
            );
        }
        // In a file of one page, every event links to that page.
        if rel != SITE_CALENDAR {
            let page = format!("{BASE}{}", &rel[..rel.rfind('/').unwrap() + 1]);
            for e in &cal.events {
                assert_eq!(value(e, "URL"), page, "{rel}");
            }
        }
    }
}

fn uids(out: &Path, rel: &str) -> Vec<String> {
    parse(out, rel)
        .events
        .iter()
        .map(|e| value(e, "UID").to_string())
        .collect()
}

#[test]
fn uids_are_unique_and_stable_across_builds() {
    let (_tmp, first) = built();
    let (_tmp2, second) = built();
    assert_ne!(first, second, "two separate builds");
    let all = uids(&first, SITE_CALENDAR);
    let unique: BTreeSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "duplicate UIDs: {all:?}");
    for rel in ics_files(&first) {
        assert_eq!(
            uids(&first, &rel),
            uids(&second, &rel),
            "{rel}: UIDs changed between builds"
        );
        // The same happening has the same UID in its own file and in the site calendar.
        for uid in uids(&first, &rel) {
            assert!(
                all.contains(&uid),
                "{rel}: {uid} is not in the site calendar"
            );
        }
    }
    // The two sessions of the masterclass are two happenings.
    let sessions = uids(&first, "masterclasses/hosting/hosting.ics");
    assert_eq!(sessions.len(), 2);
    assert_ne!(sessions[0], sessions[1]);
    // And a rebuild of the same folder writes the same calendars, byte for byte.
    let (_tmp3, site) = fixture("calendar");
    let out = build_ok(&site);
    let before: BTreeMap<String, Vec<u8>> = tree(&out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".ics"))
        .collect();
    let out = build_ok(&site);
    let after: BTreeMap<String, Vec<u8>> = tree(&out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".ics"))
        .collect();
    assert_eq!(before, after);
}

/// (date-time) properties with a TZID in an event.
fn tzids(e: &IcalEvent) -> Vec<String> {
    e.properties
        .iter()
        .filter(|p| ["DTSTART", "DTEND"].contains(&p.name.as_str()))
        .filter_map(|p| param(p, "TZID").map(String::from))
        .collect()
}

#[test]
fn every_tzid_has_its_vtimezone() {
    let (_tmp, out) = built();
    for rel in ics_files(&out) {
        let cal = parse(&out, &rel);
        let zones: BTreeMap<String, &ical::parser::ical::component::IcalTimeZone> = cal
            .timezones
            .iter()
            .map(|z| {
                (
                    z.properties
                        .iter()
                        .find(|p| p.name == "TZID")
                        .and_then(|p| p.value.clone())
                        .unwrap_or_default(),
                    z,
                )
            })
            .collect();
        for e in &cal.events {
            for tzid in tzids(e) {
                let zone = zones
                    .get(&tzid)
                    .unwrap_or_else(|| panic!("{rel}: TZID={tzid} without a VTIMEZONE"));
                // The zone's observances start no later than the event, so a client knows
                // the offset in force at the event.
                let start = value(e, "DTSTART");
                let earliest = zone
                    .transitions
                    .iter()
                    .filter_map(|t| {
                        t.properties
                            .iter()
                            .find(|p| p.name == "DTSTART")
                            .and_then(|p| p.value.clone())
                    })
                    .min()
                    .unwrap_or_else(|| panic!("{rel}: VTIMEZONE {tzid} without observances"));
                assert!(
                    earliest.as_str() <= start,
                    "{rel}: {tzid} observances start at {earliest}, after the event at {start}"
                );
            }
        }
    }
    let cal = parse(&out, SITE_CALENDAR);
    let observances = |tzid: &str| -> Vec<(String, String, String)> {
        let zone = cal
            .timezones
            .iter()
            .find(|z| {
                z.properties
                    .iter()
                    .any(|p| p.name == "TZID" && p.value.as_deref() == Some(tzid))
            })
            .unwrap_or_else(|| panic!("no VTIMEZONE {tzid}"));
        zone.transitions
            .iter()
            .map(|t| {
                let v = |n: &str| {
                    t.properties
                        .iter()
                        .find(|p| p.name == n)
                        .and_then(|p| p.value.clone())
                        .unwrap_or_default()
                };
                (v("DTSTART"), v("TZOFFSETFROM"), v("TZOFFSETTO"))
            })
            .collect()
    };
    let ny = observances("America/New_York");
    // The US goes to daylight time on the second Sunday of March at 02:00 local: 2027-03-14
    // (1 March 2027 is a Monday), from EST (-0500) to EDT (-0400).
    assert!(
        ny.contains(&("20270314T020000".into(), "-0500".into(), "-0400".into())),
        "{ny:?}"
    );
    let ams = observances("Europe/Amsterdam");
    // The EU ends summer time on the last Sunday of October, 01:00 UTC = 03:00 CEST:
    // 2026-10-25; and starts it on the last Sunday of March, 01:00 UTC = 02:00 CET: 2027-03-28.
    assert!(
        ams.contains(&("20261025T030000".into(), "+0200".into(), "+0100".into())),
        "{ams:?}"
    );
    assert!(
        ams.contains(&("20270328T020000".into(), "+0100".into(), "+0200".into())),
        "{ams:?}"
    );
    // An all-day event needs no zone.
    assert!(
        parse(&out, "events/spring-camp/spring-camp.ics")
            .timezones
            .is_empty()
    );
}

#[test]
fn times_are_local_with_their_zone() {
    let (_tmp, out) = built();
    let cal = parse(&out, SITE_CALENDAR);
    for (path, tzid, start, end) in [
        (
            "events/summer-evening/",
            "Europe/Amsterdam",
            "20260716T193000",
            "20260716T213000",
        ),
        (
            "events/winter-evening/",
            "Europe/Amsterdam",
            "20270114T193000",
            "20270114T213000",
        ),
        // duration = "1h30m"
        (
            "events/new-york-before-dst/",
            "America/New_York",
            "20270311T190000",
            "20270311T203000",
        ),
        (
            "events/new-york-after-dst/",
            "America/New_York",
            "20270315T190000",
            "20270315T203000",
        ),
        (
            "events/monthly-call/",
            "Europe/Amsterdam",
            "20260910T200000",
            "20260910T210000",
        ),
    ] {
        let e = event(&cal, path, None);
        for (name, want) in [("DTSTART", start), ("DTEND", end)] {
            let p = prop(e, name);
            assert_eq!(param(p, "TZID"), Some(tzid), "{path} {name}");
            assert_eq!(p.value.as_deref(), Some(want), "{path} {name}");
        }
    }
}

#[test]
fn all_day_event_uses_dates_with_an_exclusive_end() {
    let (_tmp, out) = built();
    for rel in [SITE_CALENDAR, "events/spring-camp/spring-camp.ics"] {
        let cal = parse(&out, rel);
        let e = event(&cal, "events/spring-camp/", None);
        let start = prop(e, "DTSTART");
        let end = prop(e, "DTEND");
        assert_eq!(param(start, "VALUE"), Some("DATE"), "{rel}");
        assert_eq!(param(end, "VALUE"), Some("DATE"), "{rel}");
        assert_eq!(param(start, "TZID"), None, "{rel}");
        assert_eq!(start.value.as_deref(), Some("20270320"), "{rel}");
        // `end = 2027-03-21` is the last day; DTEND is the day after it (RFC 5545 §3.6.1).
        assert_eq!(end.value.as_deref(), Some("20270322"), "{rel}");
    }
}

#[test]
fn recurring_event_has_its_rule_once() {
    let (_tmp, out) = built();
    let cal = parse(&out, SITE_CALENDAR);
    let e = event(&cal, "events/monthly-call/", None);
    // Recurrence's Display writes FREQ, INTERVAL (when not 1), COUNT, UNTIL, BYDAY.
    assert_eq!(value(e, "RRULE"), "FREQ=MONTHLY;COUNT=6;BYDAY=2TH");
    // 2026-09-10 is the second Thursday of September 2026 (the 3rd is the first), so the
    // start is itself an occurrence, as RFC 5545 wants of DTSTART.
    assert_eq!(value(e, "DTSTART"), "20260910T200000");
    // One VEVENT with a rule, not one per occurrence.
    let n = cal
        .events
        .iter()
        .filter(|e| value(e, "URL") == format!("{BASE}events/monthly-call/"))
        .count();
    assert_eq!(n, 1);
    for other in cal
        .events
        .iter()
        .filter(|e| value(e, "URL") != format!("{BASE}events/monthly-call/"))
    {
        assert!(
            props(&other.properties, "RRULE").is_empty(),
            "{}",
            value(other, "URL")
        );
    }
}

#[test]
fn cancelled_event_says_so() {
    let (_tmp, out) = built();
    let cal = parse(&out, SITE_CALENDAR);
    for e in &cal.events {
        let want = if value(e, "URL").ends_with("/cancelled-picnic/") {
            "CANCELLED"
        } else {
            "CONFIRMED"
        };
        assert_eq!(value(e, "STATUS"), want, "{}", value(e, "URL"));
    }
    assert_eq!(
        value(
            &parse(&out, "events/cancelled-picnic/cancelled-picnic.ics").events[0],
            "STATUS"
        ),
        "CANCELLED"
    );
}

#[test]
fn text_is_escaped_and_comes_back_unchanged() {
    let (_tmp, out) = built();
    for rel in [SITE_CALENDAR, "events/special-night/special-night.ics"] {
        let cal = parse(&out, rel);
        let e = event(&cal, "events/special-night/", None);
        assert_eq!(unescape(value(e, "SUMMARY")), SPECIAL_TITLE, "{rel}");
        // The description, then a blank line and the page's address.
        assert_eq!(
            unescape(value(e, "DESCRIPTION")),
            format!("{SPECIAL_DESCRIPTION}\n\n{BASE}events/special-night/"),
            "{rel}"
        );
        assert_eq!(
            unescape(value(e, "LOCATION")),
            "Café Zoë, Kerkstraat 1, Amsterdam",
            "{rel}"
        );
        assert_eq!(value(e, "CATEGORIES"), "special", "{rel}");
        let raw = read(&out, rel);
        // The raw text escapes commas and semicolons, and has no raw newline in a value.
        assert!(raw.contains("One\\, two\\; three\\nfour"), "{rel}:\n{raw}");
    }
    // A long title with multi-byte characters, folded: unfolded by the RFC it is whole.
    let rel = "events/online-talk/online-talk.ics";
    let raw = read(&out, rel);
    assert_eq!(
        unescape(&raw_value(&raw, "BEGIN:VEVENT", "SUMMARY")),
        UNICODE_TITLE,
        "{rel}:\n{raw}"
    );
    let e = &parse(&out, rel).events[0];
    assert_eq!(
        unescape(value(e, "LOCATION")),
        "https://meet.example.org/talk"
    );
    assert!(unescape(value(e, "DESCRIPTION")).contains("Online: https://meet.example.org/talk"));
}

#[test]
fn masterclass_sessions_are_in_the_site_calendar() {
    let (_tmp, out) = built();
    for rel in [SITE_CALENDAR, "masterclasses/hosting/hosting.ics"] {
        let cal = parse(&out, rel);
        for (summary, start, end) in [
            (
                "Hosting well — Welcome",
                "20261203T193000",
                "20261203T210000",
            ),
            (
                "Hosting well — Moderation",
                "20261210T193000",
                "20261210T210000",
            ),
        ] {
            let e = event(&cal, "masterclasses/hosting/", Some(summary));
            assert_eq!(value(e, "DTSTART"), start, "{rel}");
            assert_eq!(value(e, "DTEND"), end, "{rel}");
            assert_eq!(
                param(prop(e, "DTSTART"), "TZID"),
                Some("Europe/Amsterdam"),
                "{rel}"
            );
        }
    }
}

#[test]
fn events_page_offers_the_webcal_subscription() {
    let (_tmp, out) = built();
    let doc = scraper::Html::parse_document(&read(&out, "events/index.html"));
    let links = scraper::Selector::parse("a[href]").unwrap();
    let hrefs: Vec<&str> = doc
        .select(&links)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        hrefs.contains(&"webcal://cal.example.org/events/calendar.ics"),
        "{hrefs:?}"
    );
    // The download link is relative to the page (portable output); it names the same file.
    assert!(hrefs.contains(&"calendar.ics"), "{hrefs:?}");
    assert!(out.join(SITE_CALENDAR).is_file());
}

// ---------------------------------------------------------------------------------------
// A real calendar client: khal (a Python program using the icalendar library and pytz or
// zoneinfo). It places each event in Europe/Amsterdam local time.

/// Lines "START END TITLE" by title.
fn by_title(output: &str, titles: &[&str]) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in output.lines().map(str::trim_end).filter(|l| !l.is_empty()) {
        if let Some(t) = titles.iter().find(|t| line.ends_with(&format!(" {t}"))) {
            let times = line[..line.len() - t.len() - 1].to_string();
            map.entry(t.to_string()).or_default().push(times);
        }
    }
    map
}

#[test]
fn khal_shows_the_right_local_times() {
    let Some((home, config, vdir)) = khal_setup() else {
        return;
    };
    let (_tmp, out) = built();
    let ics = out.join(SITE_CALENDAR);
    let printed = khal(
        home.path(),
        &config,
        &[
            "printics",
            "--format",
            "{start} {end} {title}",
            ics.to_str().unwrap(),
        ],
    );
    let titles = [
        "Summer evening",
        "Winter evening",
        "Monthly call",
        "New York before the switch",
        "New York after the switch",
        "Spring camp",
        "Hosting well — Welcome",
        "Hosting well — Moderation",
        SPECIAL_TITLE,
        UNICODE_TITLE,
    ];
    let got = by_title(&printed, &titles);
    let want: &[(&str, &str)] = &[
        // 19:30 in Amsterdam stays 19:30, in summer time (July) and in winter (January).
        ("Summer evening", "2026-07-16 19:30 2026-07-16 21:30"),
        ("Winter evening", "2027-01-14 19:30 2027-01-14 21:30"),
        // The first occurrence of the monthly call, 20:00 local.
        ("Monthly call", "2026-09-10 20:00 2026-09-10 21:00"),
        // 19:00 EST (UTC-5) on 11 March = 00:00 UTC on the 12th = 01:00 CET (UTC+1): +6 h.
        (
            "New York before the switch",
            "2027-03-12 01:00 2027-03-12 02:30",
        ),
        // 19:00 EDT (UTC-4) on 15 March = 23:00 UTC = 00:00 CET on the 16th: +5 h, in the
        // two weeks between the US (14 March) and the EU (28 March) switching.
        (
            "New York after the switch",
            "2027-03-16 00:00 2027-03-16 01:30",
        ),
        // All day on the 20th and 21st; khal prints the last day, not the exclusive DTEND.
        ("Spring camp", "2027-03-20 2027-03-21"),
        (
            "Hosting well — Welcome",
            "2026-12-03 19:30 2026-12-03 21:00",
        ),
        (
            "Hosting well — Moderation",
            "2026-12-10 19:30 2026-12-10 21:00",
        ),
        (SPECIAL_TITLE, "2026-12-18 20:00 2026-12-18 22:00"),
        (UNICODE_TITLE, "2026-12-02 18:00 2026-12-02 18:45"),
    ];
    for (title, times) in want {
        assert_eq!(
            got.get(*title).map(Vec::as_slice),
            Some(&[times.to_string()][..]),
            "{title} in khal's output:\n{printed}"
        );
    }

    // The repeating event, expanded by khal: six second Thursdays at 20:00 Amsterdam time,
    // across the end of summer time on 2026-10-25.
    std::fs::copy(
        out.join("events/monthly-call/monthly-call.ics"),
        vdir.join("monthly-call.ics"),
    )
    .unwrap();
    let listed = khal(
        home.path(),
        &config,
        &[
            "list",
            "--format",
            "{start} {end} {title}",
            "--day-format",
            "",
            "2026-09-01",
            "400d",
        ],
    );
    let got = by_title(&listed, &["Monthly call"])
        .remove("Monthly call")
        .unwrap_or_default();
    let want: Vec<String> = second_thursdays(2026, 9, 6)
        .into_iter()
        .map(|d| format!("{d} 20:00 {d} 21:00"))
        .collect();
    assert_eq!(got, want, "khal list:\n{listed}");
}

/// The second Thursday of `count` months from `year`-`month`, as YYYY-MM-DD.
fn second_thursdays(mut year: i16, mut month: i8, count: usize) -> Vec<String> {
    let mut out = Vec::new();
    for _ in 0..count {
        let thursdays: Vec<jiff::civil::Date> = (1..=14)
            .map(|d| jiff::civil::date(year, month, d))
            .filter(|d| d.weekday() == jiff::civil::Weekday::Thursday)
            .collect();
        out.push(thursdays[1].to_string());
        month += 1;
        if month == 13 {
            month = 1;
            year += 1;
        }
    }
    out
}
