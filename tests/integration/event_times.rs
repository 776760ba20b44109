//! When events happen, and in what order they are listed (issue #21, points 14 and 16):
//! a length no event has is an error at its line, a moment (`0m`) is a valid calendar
//! event, and every list of events reads as a calendar: what comes soonest first, then
//! what has been, most recent first.

use crate::common;

use std::path::Path;

use common::*;
use scraper::{Html, Selector};

fn event(title: &str, when: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n{when}\n+++\n\nBody.\n")
}

#[test]
fn durations_no_event_has_are_errors_at_their_line() {
    let (tmp, site) = fixture("hub");
    // (file, front matter after the title, the line of the error, what it says)
    let cases: &[(&str, &str, usize, &str)] = &[
        (
            "huge",
            "start = 2026-12-01T19:00:00\nduration = \"99999999999999h\"",
            4,
            "366 days",
        ),
        (
            "overflow",
            "start = 2026-12-01T19:00:00\nduration = \"999999999999999999999999h\"",
            4,
            "too long",
        ),
        (
            "year-and-a-day",
            "start = 2026-12-01T19:00:00\nduration = \"8785h\"",
            4,
            "366 days",
        ),
        (
            "negative",
            "start = 2026-12-01T19:00:00\nduration = \"-2h\"",
            4,
            "negative",
        ),
        (
            "mixed-negative",
            "start = 2026-12-01T19:00:00\nduration = \"1h-30m\"",
            4,
            "not a duration",
        ),
        (
            "arabic-digits",
            "start = 2026-12-01T19:00:00\nduration = \"٢h\"",
            4,
            "not a duration",
        ),
        (
            "fullwidth-digits",
            "start = 2026-12-01T19:00:00\nduration = \"２h\"",
            4,
            "not a duration",
        ),
        (
            "long-end",
            "start = 2026-12-01T19:00:00\nend = 2028-12-01T19:00:00",
            4,
            "366 days",
        ),
        (
            "end-before-start",
            "start = 2026-12-01T19:00:00\nend = 2026-12-01T18:59:00",
            4,
            "ends before it starts",
        ),
        (
            "past-the-calendar",
            "start = 9998-12-31T12:00:00\ntimezone = \"UTC\"\nduration = \"8784h\"",
            5,
            "the end of 9999",
        ),
        (
            "start-past-9998",
            "start = 9999-12-30T12:00:00\ntimezone = \"UTC\"\nduration = \"12h\"",
            3,
            "out of range",
        ),
    ];
    for (name, when, _, _) in cases {
        write(
            &site,
            &format!("content/events/{name}.md"),
            event(name, when),
        );
    }
    // A masterclass's sessions are held to the same, each at its own line.
    write(
        &site,
        "content/masterclasses/session-end.md",
        "+++\ntitle = \"Sessions\"\n\n[[sessions]]\nstart = 2026-12-01T19:00:00\n\n[[sessions]]\nstart = 2026-12-08T19:00:00\nend = 2026-12-08T18:00:00\n+++\n",
    );
    write(
        &site,
        "content/masterclasses/session-long.md",
        "+++\ntitle = \"Long\"\n\n[[sessions]]\nstart = 2026-12-08T19:00:00\nduration = \"9000h\"\n+++\n",
    );
    let (ok, _, stderr) = run(&["build", site.to_str().unwrap()], tmp.path());
    assert!(!ok, "the build should fail:\n{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    let says = |at: &str, what: &str| {
        let found = lines.iter().position(|l| l.contains(at));
        // The message is on the line with the place, or on the one after it.
        found.is_some_and(|i| lines[i..(i + 3).min(lines.len())].concat().contains(what))
    };
    for (name, _, line, what) in cases {
        let at = format!("content/events/{name}.md:{line}:");
        assert!(says(&at, what), "{at} should say {what:?}:\n{stderr}");
    }
    assert!(
        says(
            "content/masterclasses/session-end.md:9:",
            "ends before it starts"
        ),
        "{stderr}"
    );
    assert!(
        says("content/masterclasses/session-long.md:6:", "366 days"),
        "{stderr}"
    );
}

#[test]
fn an_event_of_zero_length_is_a_moment_without_dtend() {
    let (_tmp, site) = fixture("hub");
    write(
        &site,
        "content/events/deadline.md",
        event("Deadline", "start = 2026-12-01T12:00:00\nduration = \"0m\""),
    );
    write(
        &site,
        "content/events/same-end.md",
        event(
            "Same end",
            "start = 2026-12-02T12:00:00\nend = 2026-12-02T12:00:00",
        ),
    );
    write(
        &site,
        "content/events/longest.md",
        event(
            "Longest",
            "start = 2026-12-03T12:00:00\nduration = \"8784h\"",
        ),
    );
    let out = build_ok(&site);
    for (name, dtend) in [("deadline", false), ("same-end", false), ("longest", true)] {
        let rel = format!("events/{name}/{name}.ics");
        let file = std::fs::File::open(out.join(&rel)).unwrap();
        let cal = ical::IcalParser::new(std::io::BufReader::new(file))
            .next()
            .unwrap()
            .unwrap_or_else(|e| panic!("{rel}: {e}"));
        let props: Vec<&str> = cal.events[0]
            .properties
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert!(props.contains(&"DTSTART"), "{rel}: {props:?}");
        assert_eq!(props.contains(&"DTEND"), dtend, "{rel}: {props:?}");
    }
    // Shown as a moment, not a range from 12:00 to 12:00.
    let page = Html::parse_document(&read(&out, "events/deadline/index.html"));
    let when: String = page
        .select(&Selector::parse(".facts__when").unwrap())
        .next()
        .expect("the event's time")
        .text()
        .collect();
    assert!(
        when.contains("12:00") && when.matches("12:00").count() == 1 && !when.contains('–'),
        "{when}"
    );
    let item = feed_entry_body(&out, "events/rss.xml", "Deadline");
    assert!(
        item.contains("12:00") && !item.contains("12:00 – "),
        "{item}"
    );
    let longest = read(&out, "events/longest/longest.ics");
    assert!(
        longest.contains("20271204T120000"),
        "366 days on:\n{longest}"
    );
}

/// The titles of the cards of `list` (a `<ul>` matched by `selector`) in `html`, in order.
fn card_titles(html: &str, selector: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let list = doc
        .select(&Selector::parse(selector).unwrap())
        .next()
        .unwrap_or_else(|| panic!("no {selector}"));
    list.select(&Selector::parse(".card__title").unwrap())
        .map(|t| t.text().collect::<String>().trim().to_string())
        .collect()
}

fn sessions_of(site: &Path, name: &str, starts: &[&str]) {
    let mut text = format!("+++\ntitle = \"{name}\"\nspeakers = [\"ada\"]\n");
    for s in starts {
        text.push_str(&format!("\n[[sessions]]\nstart = {s}\nduration = \"1h\"\n"));
    }
    text.push_str("+++\n\nBody.\n");
    write(site, &format!("content/masterclasses/{name}.md"), text);
}

#[test]
fn lists_of_events_are_soonest_first_then_most_recent_first() {
    let (_tmp, site) = fixture("hub");
    // Written in an order that is neither: file names, dates and announcement dates
    // (`date`) disagree. "Now" is 2026-11-22.
    for (name, start, date) in [
        ("a-later", "2027-03-01T19:00:00", "2026-01-01"),
        ("b-long-ago", "2026-01-10T19:00:00", "2026-11-01"),
        ("c-soonest", "2026-12-01T19:00:00", "2025-01-01"),
        ("d-recent", "2026-06-10T19:00:00", "2026-02-01"),
        ("e-soon", "2026-12-15T19:00:00", "2026-10-01"),
    ] {
        write(
            &site,
            &format!("content/events/{name}.md"),
            event(
                name,
                &format!("start = {start}\ndate = {date}\nduration = \"2h\"\nhosts = [\"ada\"]"),
            ),
        );
    }
    // A monthly call begun in September: its next time (10 December) is what counts.
    write(
        &site,
        "content/events/monthly.md",
        event(
            "monthly",
            "start = 2026-09-10T20:00:00\nduration = \"1h\"\nrecurrence = \"FREQ=MONTHLY;BYDAY=2TH;COUNT=6\"\nhosts = [\"ada\"]",
        ),
    );
    sessions_of(&site, "mc-later", &["2027-02-01T19:00:00"]);
    sessions_of(&site, "mc-old", &["2025-05-01T19:00:00"]);
    // One session past and one to come: it is upcoming, at the one to come.
    sessions_of(
        &site,
        "mc-soon",
        &["2026-10-01T19:00:00", "2026-12-05T19:00:00"],
    );
    let out = build_ok(&site);
    let member = read(&out, "members/ada/index.html");
    assert_eq!(
        card_titles(&member, "[aria-labelledby=k-member-events] ul"),
        [
            "c-soonest",
            "monthly",
            "e-soon",
            "a-later",
            "Summer meetup",
            "d-recent",
            "b-long-ago"
        ],
        "the events a member hosts"
    );
    let masterclasses = ["mc-soon", "mc-later", "Eight steps", "mc-old"];
    assert_eq!(
        card_titles(&member, "[aria-labelledby=k-member-masterclasses] ul"),
        masterclasses,
        "the masterclasses a member gives"
    );
    assert_eq!(
        card_titles(&read(&out, "masterclasses/index.html"), "main ul.cards"),
        masterclasses,
        "the masterclasses section"
    );
}
