//! Dates, times and zones as the user writes them, parsed once into jiff's types.

use std::fmt;
use std::str::FromStr;

use jiff::civil;
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp, Zoned};
use serde::{Deserialize, Serialize};

/// An IANA time zone, e.g. `Europe/Amsterdam`, checked against the tz database.
#[derive(Clone)]
pub struct Zone {
    name: String,
    tz: TimeZone,
}

impl Zone {
    pub fn parse(name: &str) -> Result<Zone, String> {
        let tz = TimeZone::get(name).map_err(|_| {
            format!(
                "unknown time zone `{name}`: use an IANA name such as \"Europe/Amsterdam\", \"Europe/London\" or \"America/New_York\""
            )
        })?;
        Ok(Zone {
            name: name.to_string(),
            tz,
        })
    }
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }
}

impl Default for Zone {
    fn default() -> Self {
        Zone {
            name: "UTC".into(),
            tz: TimeZone::UTC,
        }
    }
}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Zone::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Zone {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.name)
    }
}

/// A date or date-time as written in front matter, before a time zone makes it an instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WrittenDate {
    /// `2026-03-14`: a whole day.
    Date(civil::Date),
    /// `2026-03-14T19:30:00`: wall-clock time in the page's (or site's) zone.
    Local(civil::DateTime),
    /// `2026-03-14T19:30:00+01:00`: an exact instant.
    Exact(Timestamp, Offset),
}

impl WrittenDate {
    pub fn parse(s: &str) -> Result<WrittenDate, String> {
        let date = Self::parse_any(s)?;
        // Later years leave the range a moment can be shown in every time zone (jiff's ends
        // at 9999-12-30T22:00Z): such a date would silently become 1970.
        let year = match date {
            WrittenDate::Date(d) => d.year(),
            WrittenDate::Local(dt) => dt.year(),
            WrittenDate::Exact(ts, _) => ts.to_zoned(TimeZone::UTC).year(),
        };
        if !(1..=9998).contains(&year) {
            return Err(format!(
                "`{}` is out of range: kring reads dates from the year 1 to 9998",
                s.trim()
            ));
        }
        Ok(date)
    }

    fn parse_any(s: &str) -> Result<WrittenDate, String> {
        let s = s.trim();
        let bad = || {
            format!(
                "`{s}` is not a date: write 2026-03-14, 2026-03-14T19:30:00 or 2026-03-14T19:30:00+01:00"
            )
        };
        // Dates are ASCII; anything else is refused before any slicing by position.
        if !s.is_ascii() {
            return Err(bad());
        }
        if s.len() == 10 {
            return civil::Date::from_str(s)
                .map(WrittenDate::Date)
                .map_err(|_| bad());
        }
        let tail = s.get(s.len().saturating_sub(6)..).unwrap_or("");
        let has_offset = s.ends_with(['Z', 'z'])
            || (tail.len() == 6
                && (tail.starts_with('+') || tail.starts_with('-'))
                && tail.as_bytes()[3] == b':');
        if has_offset {
            let ts = Timestamp::from_str(s).map_err(|_| bad())?;
            let offset = if s.ends_with(['Z', 'z']) {
                Offset::UTC
            } else {
                let sign = if tail.starts_with('-') { -1 } else { 1 };
                let number = |range: std::ops::Range<usize>| -> Result<i32, String> {
                    tail.get(range).and_then(|t| t.parse().ok()).ok_or_else(bad)
                };
                let hours = number(1..3)?;
                let minutes = number(4..6)?;
                Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).map_err(|_| bad())?
            };
            return Ok(WrittenDate::Exact(ts, offset));
        }
        civil::DateTime::from_str(s)
            .map(WrittenDate::Local)
            .map_err(|_| bad())
    }

    pub fn is_date_only(&self) -> bool {
        matches!(self, WrittenDate::Date(_))
    }

    /// The moment this date names, read in `tz` where it has no offset of its own; a
    /// date alone is its midnight. An exact instant keeps its instant, shown in `tz`.
    pub fn in_zone(&self, tz: &TimeZone) -> Zoned {
        match *self {
            WrittenDate::Date(d) => d
                .to_zoned(tz.clone())
                .unwrap_or_else(|_| Timestamp::UNIX_EPOCH.to_zoned(tz.clone())),
            WrittenDate::Local(dt) => dt
                .to_zoned(tz.clone())
                .unwrap_or_else(|_| Timestamp::UNIX_EPOCH.to_zoned(tz.clone())),
            WrittenDate::Exact(ts, _) => ts.to_zoned(tz.clone()),
        }
    }

    /// Like [`in_zone`](Self::in_zone), but an exact instant keeps the offset it was written with.
    pub fn as_written(&self, tz: &TimeZone) -> Zoned {
        match *self {
            WrittenDate::Exact(ts, offset) => ts.to_zoned(TimeZone::fixed(offset)),
            _ => self.in_zone(tz),
        }
    }
}

impl<'de> Deserialize<'de> for WrittenDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // TOML has its own datetime type; people also quote dates. Both are accepted.
        match toml::Value::deserialize(d)? {
            toml::Value::Datetime(dt) => {
                WrittenDate::parse(&dt.to_string()).map_err(serde::de::Error::custom)
            }
            toml::Value::String(s) => WrittenDate::parse(&s).map_err(serde::de::Error::custom),
            other => Err(serde::de::Error::custom(format!(
                "expected a date like 2026-03-14 or 2026-03-14T19:30:00, found {}",
                other.type_str()
            ))),
        }
    }
}

/// The longest an event or a masterclass session may last, by `duration` or `end`: a
/// year, leap day included. Longer is a slip (`99999999999999h`, a year typed wrong), and
/// past it dates leave the range a calendar can hold; something that comes back every week
/// is one event with `recurrence`.
pub const LONGEST_EVENT: SignedDuration = SignedDuration::from_hours(366 * 24);

/// What an event lasting `length` (from `duration` or `end − start`) is wrong in, if it is.
/// Zero is allowed: a moment (a deadline, a launch) is a valid iCalendar event.
pub fn event_length_problem(length: SignedDuration) -> Option<String> {
    if length.is_negative() {
        Some("the event ends before it starts: `end` must be after `start`".to_string())
    } else if length > LONGEST_EVENT {
        Some(format!(
            "an event lasts at most 366 days (8784h), and this one lasts {length}: for something that comes back, write one event with `recurrence`"
        ))
    } else {
        None
    }
}

/// A length of time written as `90m`, `2h`, `1h30m` or ISO 8601 `PT1H30M`: zero or more,
/// at most [`LONGEST_EVENT`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WrittenDuration(pub SignedDuration);

impl WrittenDuration {
    pub fn parse(s: &str) -> Result<WrittenDuration, String> {
        let written = s.trim();
        let parsed = SignedDuration::from_str(written).map_err(|_| {
            // Digits past what a number holds: a length no event has.
            let digits = written
                .trim_start_matches(['-', '+'])
                .chars()
                .take_while(char::is_ascii_digit)
                .count();
            if digits > 9 {
                format!("duration `{s}` is too long: an event lasts at most 366 days")
            } else {
                format!(
                    "`{s}` is not a duration: write \"90m\", \"2h\" or \"1h30m\" (ASCII digits, units h, m or s)"
                )
            }
        })?;
        if parsed.is_negative() {
            return Err(format!(
                "duration `{s}` is negative: an event cannot end before it starts"
            ));
        }
        if let Some(problem) = event_length_problem(parsed) {
            return Err(format!("duration `{s}`: {problem}"));
        }
        Ok(WrittenDuration(parsed))
    }
}

impl<'de> Deserialize<'de> for WrittenDuration {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        WrittenDuration::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// An instant in UTC as iCalendar and calendar links write it: `20261203T180000Z`.
pub fn compact_utc(ts: &Timestamp) -> String {
    ts.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// RFC 3339 with the offset, e.g. `2026-03-14T19:30:00+01:00`: what feeds, sitemaps and
/// `<time datetime>` want, and what templates get for every date.
pub fn rfc3339(z: &Zoned) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_shapes_of_date() {
        assert!(matches!(
            WrittenDate::parse("2026-03-14"),
            Ok(WrittenDate::Date(_))
        ));
        assert!(matches!(
            WrittenDate::parse("2026-03-14T19:30:00"),
            Ok(WrittenDate::Local(_))
        ));
        let Ok(WrittenDate::Exact(ts, off)) = WrittenDate::parse("2026-03-14T19:30:00+01:00")
        else {
            panic!("offset date-time not parsed");
        };
        assert_eq!(ts.to_string(), "2026-03-14T18:30:00Z");
        assert_eq!(off.seconds(), 3600);
        assert!(WrittenDate::parse("2026-13-01").is_err());
        assert!(WrittenDate::parse("next tuesday").is_err());
    }

    /// Dates a zone cannot show are refused, not shown as 1970, in every shape.
    #[test]
    fn dates_past_the_range_are_refused() {
        for s in [
            "9999-12-31",
            "9999-12-31T23:00:00",
            "9999-01-01T00:00:00Z",
            "9999-06-01T12:00:00+14:00",
            "0000-01-01",
        ] {
            let e = WrittenDate::parse(s).expect_err(s);
            assert!(e.contains("out of range"), "{s}: {e}");
        }
        let edge = WrittenDate::parse("9998-12-31T23:59:59").unwrap();
        let tz = TimeZone::get("Pacific/Kiritimati").unwrap();
        assert_eq!(edge.in_zone(&tz).year(), 9998);
    }

    #[test]
    fn local_time_keeps_wall_clock_across_dst() {
        let ams = TimeZone::get("Europe/Amsterdam").unwrap();
        let summer = WrittenDate::parse("2026-07-09T19:30:00")
            .unwrap()
            .in_zone(&ams);
        let winter = WrittenDate::parse("2026-01-08T19:30:00")
            .unwrap()
            .in_zone(&ams);
        assert_eq!(rfc3339(&summer), "2026-07-09T19:30:00+02:00");
        assert_eq!(rfc3339(&winter), "2026-01-08T19:30:00+01:00");
    }

    #[test]
    fn durations_in_friendly_and_iso_form() {
        for (s, mins) in [("90m", 90), ("2h", 120), ("1h30m", 90), ("PT45M", 45)] {
            let d: WrittenDuration = toml::from_str::<toml::Table>(&format!("d = \"{s}\""))
                .unwrap()["d"]
                .clone()
                .try_into()
                .unwrap();
            assert_eq!(d.0.as_secs() / 60, mins, "{s}");
        }
    }

    #[test]
    fn durations_out_of_range_are_refused_and_zero_is_a_moment() {
        assert_eq!(
            WrittenDuration::parse("0m").unwrap().0,
            SignedDuration::ZERO
        );
        assert_eq!(
            WrittenDuration::parse("366 days").ok(),
            None,
            "days are not a unit kring reads"
        );
        assert_eq!(
            WrittenDuration::parse("8784h").unwrap().0,
            LONGEST_EVENT,
            "366 days to the hour is the longest"
        );
        for (bad, says) in [
            ("99999999999999h", "at most 366 days"),
            (
                "99999999999999999999999h",
                "too long: an event lasts at most 366 days",
            ),
            ("8785h", "at most 366 days"),
            ("8784h1m", "at most 366 days"),
            ("PT9000H", "at most 366 days"),
            ("-1h", "negative"),
            ("-0h30m", "negative"),
            ("1h-30m", "not a duration"),
            ("١h", "not a duration"),
            ("２h", "not a duration"),
            ("1½h", "not a duration"),
            ("1h\0", "not a duration"),
            ("", "not a duration"),
            ("h", "not a duration"),
        ] {
            let err = WrittenDuration::parse(bad).unwrap_err();
            assert!(err.contains(says), "{bad:?}: {err}");
        }
        for (mixed, mins) in [("1h 30m", 90), ("1h30m15s", 90), ("PT1H30M", 90)] {
            assert_eq!(
                WrittenDuration::parse(mixed).unwrap().0.as_mins(),
                mins,
                "{mixed}"
            );
        }
    }

    #[test]
    fn unknown_zone_is_refused_with_advice() {
        let err = Zone::parse("Europe/Amsterdm").unwrap_err();
        assert!(
            err.contains("Europe/Amsterdm") && err.contains("IANA"),
            "{err}"
        );
    }
}
