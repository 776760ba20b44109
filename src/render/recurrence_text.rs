//! A repeating event's rule in words, in the page's language: `FREQ=MONTHLY;BYDAY=2TH` is
//! "Elke tweede donderdag van de maand" / "Every second Thursday of the month". The
//! patterns, ordinals and day names are the theme's UI strings (`recur_*`, `ordinals`,
//! `weekdays`), so a theme or another language words them its own way.

use crate::model::recurrence::{Frequency, Recurrence};

use super::templates::{Strings, format_date};

/// The rule in words, starting with a capital.
pub fn describe(rule: &Recurrence, strings: &Strings, tz: &jiff::tz::TimeZone) -> String {
    let text = |key: &str| strings.text(key).unwrap_or(key).to_string();
    let weekdays = strings.list("weekdays");
    let ordinals = strings.list("ordinals");
    let day_name = |d: jiff::civil::Weekday| {
        weekdays
            .get(usize::from(d.to_monday_zero_offset().unsigned_abs()))
            .cloned()
            .unwrap_or_else(|| format!("{d:?}"))
    };
    let ordinal = |n: i8| match n {
        -1 => text("ordinal_last"),
        -2 => text("ordinal_second_last"),
        n if n > 0 => ordinals
            .get(n as usize - 1)
            .cloned()
            .unwrap_or_else(|| format!("{n}.")),
        n => format!("{n}"),
    };
    let and = format!(" {} ", text("recur_and"));
    let join = |items: Vec<String>| match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{}{and}{}", items[..n - 1].join(", "), items[n - 1]),
    };
    let days = join(
        rule.by_day
            .iter()
            .map(|(n, d)| match n {
                Some(n) => format!("{} {}", ordinal(*n), day_name(*d)),
                None => day_name(*d),
            })
            .collect(),
    );
    let n = rule.interval.max(1).to_string();
    let key = match (rule.frequency, rule.interval > 1, days.is_empty()) {
        (Frequency::Weekly, false, true) => "recur_every_week",
        (Frequency::Weekly, false, false) => "recur_weekly_on",
        (Frequency::Weekly, true, true) => "recur_every_n_weeks",
        (Frequency::Weekly, true, false) => "recur_every_n_weeks_on",
        (Frequency::Monthly, false, true) => "recur_every_month",
        (Frequency::Monthly, false, false) => "recur_monthly_on",
        (Frequency::Monthly, true, true) => "recur_every_n_months",
        (Frequency::Monthly, true, false) => "recur_every_n_months_on",
    };
    let mut out = text(key).replace("{days}", &days).replace("{n}", &n);
    if let Some(count) = rule.count {
        out.push_str(", ");
        out.push_str(&text("recur_times").replace("{n}", &count.to_string()));
    }
    if let Some(until) = rule.until
        && let Ok(day) = until.to_zoned(tz.clone())
    {
        out.push_str(", ");
        out.push_str(&text("recur_until").replace("{date}", &format_date(&day, "date", strings)));
    }
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::theme::Theme;

    fn words(rule: &str, lang: &str) -> String {
        let theme = Theme::load(std::path::Path::new("/no/site/here"), "kring").unwrap();
        let strings = Strings::new(&theme, lang);
        describe(
            &rule.parse().unwrap(),
            &strings,
            &jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap(),
        )
    }

    #[test]
    fn rules_in_dutch_and_english() {
        for (rule, nl, en) in [
            (
                "FREQ=MONTHLY;BYDAY=2TH",
                "Elke tweede donderdag van de maand",
                "Every second Thursday of the month",
            ),
            (
                "FREQ=MONTHLY;BYDAY=-1FR;COUNT=6",
                "Elke laatste vrijdag van de maand, 6 keer",
                "Every last Friday of the month, 6 times",
            ),
            (
                "FREQ=WEEKLY;BYDAY=MO,WE",
                "Elke maandag en woensdag",
                "Every Monday and Wednesday",
            ),
            (
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
                "Om de 2 weken op donderdag",
                "Every 2 weeks on Thursday",
            ),
            ("FREQ=WEEKLY", "Elke week", "Every week"),
            (
                "FREQ=MONTHLY;INTERVAL=3;BYDAY=1SA",
                "Om de 3 maanden op de eerste zaterdag",
                "Every 3 months on the first Saturday",
            ),
            (
                "FREQ=MONTHLY;UNTIL=20270601",
                "Elke maand, tot en met 1 juni 2027",
                "Every month, until 1 June 2027",
            ),
        ] {
            assert_eq!(words(rule, "nl"), nl, "{rule}");
            assert_eq!(words(rule, "en"), en, "{rule}");
        }
    }
}
