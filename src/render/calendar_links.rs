//! "Add to calendar" links of an event for its page: Google Calendar, Outlook.com,
//! Office 365, the `.ics` file and its `webcal://` subscription form.

use jiff::Zoned;

use crate::model::Site;
use crate::model::routes::page_ics_path;
use crate::model::schedule::Happening;
use crate::time::compact_utc;

/// "Add to calendar" links for one happening: Google Calendar, Outlook.com, Office 365.
pub fn add_links(site: &Site, h: &Happening) -> CalendarLinks {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let enc = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
    let page = &site.pages[h.page];
    // A repeating event is added as the series it is: from its first occurrence, with its
    // rule (`recur=RRULE:…`), so the calendar app repeats it as kring does.
    let (start, end) = match &h.recurrence {
        Some(_) => (h.start.clone(), h.end.clone()),
        None => h.next(&site.now).unwrap_or_else(|| h.last()),
    };
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
            format!(
                "{}/{}",
                compact_utc(&start.timestamp()),
                compact_utc(&end.timestamp())
            ),
            iso(&start),
            iso(&end),
        )
    };
    let tz = start.time_zone().iana_name().unwrap_or("UTC");
    let mut google = format!(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={}&details={}&location={}&ctz={}",
        enc(&h.title),
        g_dates,
        enc(&details),
        enc(&place),
        enc(tz)
    );
    if let Some(rule) = &h.recurrence {
        let rrule = format!("RRULE:{}", rule.to_rrule(start.time_zone(), h.all_day));
        google.push_str(&format!("&recur={}", enc(&rrule)));
    }
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
    CalendarLinks {
        google,
        outlook: outlook("outlook.live.com"),
        office365: outlook("outlook.office.com"),
        webcal: webcal(&ics),
        ics,
    }
}

/// Where to add an event to a calendar: `calendar_links` of events and sessions.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CalendarLinks {
    pub google: String,
    pub outlook: String,
    pub office365: String,
    /// The event's own `.ics` file.
    pub ics: String,
    pub webcal: String,
}

/// The `webcal://` form of an .ics URL, which calendar apps open as a subscription.
pub fn webcal(url: &str) -> String {
    match url.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => url.to_string(),
    }
}
