//! Repeating events: the subset of RFC 5545 RRULE that community calendars use —
//! `FREQ=WEEKLY|MONTHLY` with `INTERVAL`, `COUNT`, `UNTIL` and `BYDAY` (`TH`, `MO,WE`,
//! `2TH`, `-1FR`) — and its expansion into occurrences. Occurrences keep their wall-clock
//! time in the event's zone, so a 19:30 session stays 19:30 across daylight saving time.
//!
//! Written here rather than taken from the `rrule` crate: that crate is built on chrono and
//! chrono-tz, while kring's times are jiff's; the subset is small and fully tested below.

use std::fmt;
use std::str::FromStr;

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{ToSpan, Zoned};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Weekly,
    Monthly,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    pub frequency: Frequency,
    pub interval: u32,
    pub count: Option<u32>,
    /// The last day an occurrence may start on (inclusive), in the event's zone.
    pub until: Option<Date>,
    /// Weekdays, each with an optional ordinal in the month (`2TH` → `(Some(2), Thursday)`).
    pub by_day: Vec<(Option<i8>, Weekday)>,
}

/// The most occurrences one event expands to, whatever its rule says.
pub const MAX_OCCURRENCES: usize = 520;

const SUPPORTED: &str = "kring supports FREQ=WEEKLY or FREQ=MONTHLY with INTERVAL, COUNT, UNTIL and BYDAY, e.g. \"FREQ=MONTHLY;BYDAY=2TH;COUNT=12\"";

fn weekday(code: &str) -> Option<Weekday> {
    Some(match code {
        "MO" => Weekday::Monday,
        "TU" => Weekday::Tuesday,
        "WE" => Weekday::Wednesday,
        "TH" => Weekday::Thursday,
        "FR" => Weekday::Friday,
        "SA" => Weekday::Saturday,
        "SU" => Weekday::Sunday,
        _ => return None,
    })
}

fn code(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "MO",
        Weekday::Tuesday => "TU",
        Weekday::Wednesday => "WE",
        Weekday::Thursday => "TH",
        Weekday::Friday => "FR",
        Weekday::Saturday => "SA",
        Weekday::Sunday => "SU",
    }
}

impl FromStr for Recurrence {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let text = s.trim();
        let text = text.strip_prefix("RRULE:").unwrap_or(text);
        if let Some(c) = text.chars().find(|c| !c.is_ascii() || c.is_ascii_control()) {
            return Err(format!(
                "the recurrence contains {c:?}, which no rule has; {SUPPORTED}"
            ));
        }
        let mut frequency = None;
        let mut interval = 1;
        let mut count = None;
        let mut until = None;
        let mut by_day = Vec::new();
        for part in text.split(';').filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').ok_or_else(|| {
                format!("`{part}` in the recurrence is not KEY=VALUE; {SUPPORTED}")
            })?;
            let value = value.trim().to_ascii_uppercase();
            match key.trim().to_ascii_uppercase().as_str() {
                "FREQ" => {
                    frequency = Some(match value.as_str() {
                        "WEEKLY" => Frequency::Weekly,
                        "MONTHLY" => Frequency::Monthly,
                        other => return Err(format!("FREQ={other} is not supported; {SUPPORTED}")),
                    })
                }
                "INTERVAL" => {
                    interval = value
                        .parse::<u32>()
                        .ok()
                        .filter(|&n| (1..=52).contains(&n))
                        .ok_or_else(|| {
                            format!("INTERVAL={value} must be a whole number from 1 to 52")
                        })?
                }
                "COUNT" => {
                    count = Some(value.parse::<u32>().ok().filter(|&n| n >= 1).ok_or_else(
                        || format!("COUNT={value} must be a whole number of at least 1"),
                    )?)
                }
                "UNTIL" => {
                    let part = |r: std::ops::Range<usize>| value.get(r);
                    let parsed = match (part(0..4), part(4..6), part(6..8)) {
                        (Some(y), Some(m), Some(d)) => Date::from_str(&format!("{y}-{m}-{d}")).ok(),
                        _ => None,
                    };
                    until = Some(
                        parsed
                            .ok_or_else(|| format!("UNTIL={value} is not a date like 20271231"))?,
                    );
                }
                "BYDAY" => {
                    for item in value.split(',') {
                        let item = item.trim();
                        let split = item.len().saturating_sub(2);
                        let (ordinal, day) = item.split_at_checked(split).unwrap_or(("", item));
                        let day = weekday(day).ok_or_else(|| {
                            format!("BYDAY={value}: `{item}` is not a weekday like TH or 2TH")
                        })?;
                        let ordinal = if ordinal.is_empty() {
                            None
                        } else {
                            Some(
                                ordinal
                                    .parse::<i8>()
                                    .ok()
                                    .filter(|n| (1..=5).contains(&n.abs()))
                                    .ok_or_else(|| {
                                        format!(
                                            "BYDAY={value}: `{item}` needs an ordinal from -5 to 5"
                                        )
                                    })?,
                            )
                        };
                        by_day.push((ordinal, day));
                    }
                }
                other => {
                    return Err(format!(
                        "{other} is not supported in a recurrence; {SUPPORTED}"
                    ));
                }
            }
        }
        let frequency =
            frequency.ok_or_else(|| format!("the recurrence has no FREQ; {SUPPORTED}"))?;
        if count.is_some() && until.is_some() {
            return Err("a recurrence takes COUNT or UNTIL, not both".into());
        }
        if frequency == Frequency::Weekly && by_day.iter().any(|(o, _)| o.is_some()) {
            return Err("BYDAY with a number (like 2TH) only works with FREQ=MONTHLY".into());
        }
        Ok(Recurrence {
            frequency,
            interval,
            count,
            until,
            by_day,
        })
    }
}

impl fmt::Display for Recurrence {
    /// The rule as an RRULE value. `UNTIL` is written as a date; [`Recurrence::to_rrule`]
    /// writes it the way a calendar file with a `TZID` start needs it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let freq = match self.frequency {
            Frequency::Weekly => "WEEKLY",
            Frequency::Monthly => "MONTHLY",
        };
        write!(f, "FREQ={freq}")?;
        if self.interval != 1 {
            write!(f, ";INTERVAL={}", self.interval)?;
        }
        if let Some(c) = self.count {
            write!(f, ";COUNT={c}")?;
        }
        if let Some(u) = self.until {
            write!(f, ";UNTIL={}", u.strftime("%Y%m%d"))?;
        }
        if !self.by_day.is_empty() {
            let days: Vec<String> = self
                .by_day
                .iter()
                .map(|(o, d)| {
                    format!(
                        "{}{}",
                        o.map(|n| n.to_string()).unwrap_or_default(),
                        code(*d)
                    )
                })
                .collect();
            write!(f, ";BYDAY={}", days.join(","))?;
        }
        Ok(())
    }
}

impl Recurrence {
    /// The RRULE for an .ics file whose DTSTART is in `tz`: UNTIL becomes the UTC moment
    /// the last day ends (RFC 5545 requires UTC there).
    pub fn to_rrule(&self, tz: &TimeZone, all_day: bool) -> String {
        let mut without_until = self.clone();
        without_until.until = None;
        let mut rule = without_until.to_string();
        if let Some(u) = self.until {
            if all_day {
                rule.push_str(&format!(";UNTIL={}", u.strftime("%Y%m%d")));
            } else {
                let end_of_day = u
                    .at(23, 59, 59, 0)
                    .to_zoned(tz.clone())
                    .map(|z| z.timestamp().strftime("%Y%m%dT%H%M%SZ").to_string())
                    .unwrap_or_default();
                rule.push_str(&format!(";UNTIL={end_of_day}"));
            }
        }
        rule
    }

    /// Start times of the occurrences from `start` (always the first) until the rule ends
    /// or `horizon` is passed; at most [`MAX_OCCURRENCES`].
    pub fn occurrences(&self, start: &Zoned, horizon: &Zoned) -> Vec<Zoned> {
        let tz = start.time_zone().clone();
        let time = start.time();
        let first_day = start.date();
        let limit = self
            .count
            .map_or(MAX_OCCURRENCES, |c| (c as usize).min(MAX_OCCURRENCES));
        let mut out = vec![start.clone()];
        let keep_going = |day: Date| -> bool { self.until.is_none_or(|u| day <= u) };
        let mut period = 0i64;
        // Candidate days per period (a week or a month), in order.
        'periods: while out.len() < limit && period < 100 * MAX_OCCURRENCES as i64 {
            let candidates: Vec<Date> = match self.frequency {
                Frequency::Weekly => {
                    let week_start = first_day
                        .checked_sub((first_day.weekday().to_monday_zero_offset() as i64).days())
                        .and_then(|d| d.checked_add((period * 7 * self.interval as i64).days()));
                    let Ok(week_start) = week_start else { break };
                    if self.by_day.is_empty() {
                        week_start
                            .checked_add(
                                (first_day.weekday().to_monday_zero_offset() as i64).days(),
                            )
                            .into_iter()
                            .collect()
                    } else {
                        let mut days: Vec<Date> = self
                            .by_day
                            .iter()
                            .filter_map(|(_, d)| {
                                week_start
                                    .checked_add((d.to_monday_zero_offset() as i64).days())
                                    .ok()
                            })
                            .collect();
                        days.sort();
                        days
                    }
                }
                Frequency::Monthly => {
                    let Ok(month) = first_day
                        .first_of_month()
                        .checked_add((period * self.interval as i64).months())
                    else {
                        break;
                    };
                    let mut days: Vec<Date> = if self.by_day.is_empty() {
                        // The same day of the month; months without it are skipped (RFC 5545).
                        Date::new(month.year(), month.month(), first_day.day())
                            .into_iter()
                            .collect()
                    } else {
                        self.by_day
                            .iter()
                            .flat_map(|&(ordinal, day)| days_in_month(month, ordinal, day))
                            .collect()
                    };
                    days.sort();
                    days
                }
            };
            period += 1;
            for day in candidates {
                if day <= first_day {
                    continue;
                }
                if !keep_going(day) {
                    break 'periods;
                }
                let Ok(at) = day.to_datetime(time).to_zoned(tz.clone()) else {
                    continue;
                };
                if at.timestamp() > horizon.timestamp() {
                    break 'periods;
                }
                out.push(at);
                if out.len() >= limit {
                    break 'periods;
                }
            }
        }
        out
    }
}

/// The days of `month` that are `day`, or only its `ordinal`-th (negative: from the end).
fn days_in_month(month: Date, ordinal: Option<i8>, day: Weekday) -> Vec<Date> {
    let mut all = Vec::new();
    let mut d = month.first_of_month();
    while d.month() == month.month() {
        if d.weekday() == day {
            all.push(d);
        }
        match d.tomorrow() {
            Ok(next) => d = next,
            Err(_) => break,
        }
    }
    match ordinal {
        None => all,
        Some(n) if n > 0 => all.get(n as usize - 1).copied().into_iter().collect(),
        Some(n) => all
            .len()
            .checked_sub(n.unsigned_abs() as usize)
            .and_then(|i| all.get(i))
            .copied()
            .into_iter()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Zoned {
        s.parse().unwrap()
    }

    fn starts(rule: &str, start: &str, horizon: &str) -> Vec<String> {
        let r: Recurrence = rule.parse().unwrap();
        r.occurrences(&at(start), &at(horizon))
            .iter()
            .map(|z| z.strftime("%Y-%m-%d %H:%M %Z").to_string())
            .collect()
    }

    #[test]
    fn monthly_second_thursday_keeps_local_time_across_dst() {
        let got = starts(
            "FREQ=MONTHLY;BYDAY=2TH;COUNT=4",
            "2026-09-10T20:00[Europe/Amsterdam]",
            "2030-01-01T00:00[Europe/Amsterdam]",
        );
        assert_eq!(
            got,
            [
                "2026-09-10 20:00 CEST",
                "2026-10-08 20:00 CEST",
                "2026-11-12 20:00 CET",
                "2026-12-10 20:00 CET"
            ]
        );
    }

    #[test]
    fn last_friday_and_until() {
        let got = starts(
            "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20270301",
            "2026-12-25T18:00[America/New_York]",
            "2030-01-01T00:00[America/New_York]",
        );
        assert_eq!(
            got,
            [
                "2026-12-25 18:00 EST",
                "2027-01-29 18:00 EST",
                "2027-02-26 18:00 EST"
            ]
        );
    }

    #[test]
    fn weekly_on_two_days_every_other_week_across_us_dst() {
        let got = starts(
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=5",
            "2027-03-02T09:00[America/New_York]",
            "2030-01-01T00:00[America/New_York]",
        );
        assert_eq!(
            got,
            [
                "2027-03-02 09:00 EST",
                "2027-03-04 09:00 EST",
                "2027-03-16 09:00 EDT",
                "2027-03-18 09:00 EDT",
                "2027-03-30 09:00 EDT"
            ]
        );
    }

    #[test]
    fn monthly_on_the_31st_skips_short_months() {
        let got = starts(
            "FREQ=MONTHLY;COUNT=3",
            "2027-01-31T10:00[UTC]",
            "2030-01-01T00:00[UTC]",
        );
        assert_eq!(
            got,
            [
                "2027-01-31 10:00 UTC",
                "2027-03-31 10:00 UTC",
                "2027-05-31 10:00 UTC"
            ]
        );
    }

    #[test]
    fn horizon_bounds_an_endless_rule() {
        let got = starts(
            "FREQ=WEEKLY",
            "2027-01-04T10:00[UTC]",
            "2027-01-25T10:00[UTC]",
        );
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn unsupported_and_malformed_rules_are_refused() {
        for bad in [
            "FREQ=DAILY",
            "FREQ=MONTHLY;BYMONTHDAY=3",
            "BYDAY=TH",
            "FREQ=WEEKLY;BYDAY=2TH",
            "FREQ=MONTHLY;COUNT=0",
            "FREQ=MONTHLY;BYDAY=XX",
            "FREQ=MONTHLY;COUNT=2;UNTIL=20270101",
        ] {
            assert!(bad.parse::<Recurrence>().is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn rrule_for_ics_has_utc_until() {
        let r: Recurrence = "FREQ=MONTHLY;BYDAY=2TH;UNTIL=20270610".parse().unwrap();
        let tz = TimeZone::get("Europe/Amsterdam").unwrap();
        assert_eq!(
            r.to_rrule(&tz, false),
            "FREQ=MONTHLY;BYDAY=2TH;UNTIL=20270610T215959Z"
        );
    }
}
