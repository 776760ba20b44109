//! schema.org JSON-LD for search engines and link previews, as a string ready for a
//! `<script type="application/ld+json">`.

use serde_json::{Value, json};

use crate::model::Site;
use crate::model::routes::shared_image;
use crate::model::schedule::Happening;
use crate::time::rfc3339;
use crate::vocabulary::EventStatus;

/// Serializes for embedding in an HTML `<script>` element. `<`, `>` and `&` are written as
/// JSON's `\u003c`, `\u003e` and `\u0026`, so no value can close the script (`</script>`)
/// or switch the HTML parser into its escaped state (`<!--<script>`), which would swallow the
/// rest of the page; U+2028 and U+2029 likewise, for scripts that read the JSON as code.
/// `JSON.parse` reads the same values back.
pub fn embed(v: &Value) -> String {
    let json = serde_json::to_string(v).expect("JSON values serialize");
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A free-text price as schema.org wants it: "€ 149" → ("149", Some("EUR")), "free" → ("0", None).
pub fn price(text: &str) -> Option<(String, Option<&'static str>)> {
    let lower = text.to_lowercase();
    if ["free", "gratis", "kosteloos"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return Some(("0".into(), None));
    }
    let number: String = text
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
        .collect();
    if number.is_empty() {
        return None;
    }
    // "12,50" (Dutch) and "12.50" both mean twelve and a half; "1,250" is rare for events.
    let number = number.trim_end_matches(['.', ',']).replace(',', ".");
    let currency = if text.contains('€') || lower.contains("eur") {
        Some("EUR")
    } else if text.contains('£') || lower.contains("gbp") {
        Some("GBP")
    } else if text.contains('$') || lower.contains("usd") {
        Some("USD")
    } else {
        None
    };
    Some((number, currency))
}

/// `Event` for an event page or one masterclass session.
pub fn event(site: &Site, h: &Happening) -> Value {
    let page = &site.pages[h.page];
    let (start, end) = h.next(&site.now).unwrap_or_else(|| h.last());
    let status = match h.status {
        EventStatus::Scheduled => "EventScheduled",
        EventStatus::Cancelled => "EventCancelled",
        EventStatus::Postponed => "EventPostponed",
        EventStatus::MovedOnline => "EventMovedOnline",
    };
    let physical = h
        .location
        .as_ref()
        .filter(|_| h.status != EventStatus::MovedOnline);
    let mode = match (physical.is_some(), h.online_url.is_some()) {
        (true, true) => "MixedEventAttendanceMode",
        (false, true) => "OnlineEventAttendanceMode",
        _ => "OfflineEventAttendanceMode",
    };
    let mut locations = Vec::new();
    if let Some(l) = physical {
        locations.push(json!({ "@type": "Place", "name": l.name.clone().or_else(|| l.address.clone()), "address": l.address, "url": l.url }));
    }
    if let Some(url) = &h.online_url {
        locations.push(json!({ "@type": "VirtualLocation", "url": url }));
    }
    let people: &[String] = match &page.details {
        crate::model::Details::Event(e) => &e.hosts,
        crate::model::Details::Masterclass(m) => &m.speakers,
        _ => &[],
    };
    let organizer: Value = if people.is_empty() {
        json!({ "@type": "Organization", "name": site.config.title, "url": site.config.base_url })
    } else {
        Value::from(
            people
                .iter()
                .map(|p| {
                    let url = site
                        .members
                        .get(p)
                        .map(|&i| site.pages[i].permalink.clone());
                    json!({ "@type": "Person", "name": site.person_name(p), "url": url })
                })
                .collect::<Vec<_>>(),
        )
    };
    let (price_text, registration) = match &page.details {
        crate::model::Details::Event(e) => (
            e.price.as_deref(),
            e.registration_url.as_ref().map(|u| u.0.clone()),
        ),
        crate::model::Details::Masterclass(m) => (
            m.price.as_deref(),
            m.signup_url.as_ref().map(|u| u.0.clone()),
        ),
        _ => (None, None),
    };
    let offers = price_text.and_then(price).map(|(amount, currency)| {
        json!({ "@type": "Offer", "price": amount, "priceCurrency": currency, "url": registration.clone().unwrap_or_else(|| page.permalink.clone()) })
    });
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": h.title,
        "description": page.description_or_summary(super::views::SUMMARY_TEXT),
        "url": page.permalink,
        "startDate": if h.all_day { start.date().to_string() } else { rfc3339(&start) },
        "endDate": if h.all_day { end.date().to_string() } else { rfc3339(&end) },
        "eventStatus": format!("https://schema.org/{status}"),
        "eventAttendanceMode": format!("https://schema.org/{mode}"),
        "location": locations,
        "organizer": organizer,
        "image": page.image.as_deref().map(|u| shared_image(u, site.config.root_url().as_str())),
    });
    if let Some(o) = offers {
        v["offers"] = o;
    }
    if let Some(rule) = &h.recurrence {
        v["eventSchedule"] = schedule(h, rule);
    }
    strip_nulls(v)
}

/// schema.org `Schedule` of a repeating event: how often, on which days, from when until
/// when, at what time in which zone.
fn schedule(h: &Happening, rule: &crate::model::recurrence::Recurrence) -> Value {
    use crate::model::recurrence::Frequency;
    let unit = match rule.frequency {
        Frequency::Weekly => "W",
        Frequency::Monthly => "M",
    };
    let days: Vec<String> = rule
        .by_day
        .iter()
        .map(|(_, day)| format!("https://schema.org/{day:?}"))
        .collect();
    // "The second Thursday": the week of the month, where the rule names one.
    let month_week = rule.by_day.iter().find_map(|(n, _)| *n);
    strip_nulls(json!({
        "@type": "Schedule",
        "repeatFrequency": format!("P{}{unit}", rule.interval.max(1)),
        "byDay": if days.is_empty() { Value::Null } else { Value::from(days) },
        "byMonthWeek": month_week,
        "startDate": h.start.date().to_string(),
        "endDate": rule.until.map(|u| u.to_string()),
        "repeatCount": rule.count,
        "startTime": (!h.all_day).then(|| h.start.time().strftime("%H:%M:%S").to_string()),
        "endTime": (!h.all_day).then(|| h.end.time().strftime("%H:%M:%S").to_string()),
        "scheduleTimezone": h.start.time_zone().iana_name(),
    }))
}

/// `WebSite` and the `Organization` behind it, for the home page.
pub fn website(site: &Site) -> Value {
    let org = json!({
        "@type": "Organization",
        "name": site.config.author(),
        "url": site.config.base_url,
        "sameAs": site.config.community.iter().map(|c| c.url.0.clone()).collect::<Vec<_>>(),
    });
    json!([
        { "@context": "https://schema.org", "@type": "WebSite", "name": site.config.title, "description": site.config.description, "url": site.config.base_url, "inLanguage": site.config.language, "publisher": org },
        strip_nulls(json!({ "@context": "https://schema.org", "@type": "Organization", "name": site.config.author(), "url": site.config.base_url, "description": site.config.description })),
    ])
}

/// `Article` (a `BlogPosting`) for an article page.
pub fn article(site: &Site, page: &crate::model::Page) -> Value {
    let authors: Vec<Value> = if page.authors().is_empty() {
        vec![
            json!({ "@type": "Organization", "name": site.config.author(), "url": site.config.base_url }),
        ]
    } else {
        page.authors()
            .iter()
            .map(|a| {
                let url = site
                    .members
                    .get(a)
                    .map(|&i| site.pages[i].permalink.clone());
                strip_nulls(json!({ "@type": "Person", "name": site.person_name(a), "url": url }))
            })
            .collect()
    };
    // Its fetched conversation: the thread (the page's own `discuss` link) and its size.
    let talk = site.conversation_at(page);
    strip_nulls(json!({
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": page.title,
        "description": page.description_or_summary(super::views::SUMMARY_TEXT),
        "url": page.permalink,
        "mainEntityOfPage": page.permalink,
        "datePublished": page.date.as_ref().map(crate::time::rfc3339),
        "dateModified": page.last_modified().map(crate::time::rfc3339),
        "image": page.image.as_deref().map(|u| shared_image(u, site.config.root_url().as_str())),
        "author": authors,
        "publisher": { "@type": "Organization", "name": site.config.author(), "url": site.config.base_url },
        "keywords": page.tags,
        "wordCount": page.content.word_count,
        "inLanguage": site.config.language,
        "discussionUrl": talk.map(|c| &c.url),
        "commentCount": talk.map(|c| c.reply_count),
    }))
}

/// `FAQPage` for a page with `faq()` blocks: each question with its answer, as text.
pub fn faq(page: &crate::model::Page) -> Value {
    let questions: Vec<Value> = page
        .content
        .faq
        .iter()
        .map(|(q, a)| {
            json!({
                "@type": "Question",
                "name": q,
                "acceptedAnswer": { "@type": "Answer", "text": a },
            })
        })
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "url": page.permalink,
        "mainEntity": questions,
    })
}

/// `Person` for a member page.
pub fn person(site: &Site, page: &crate::model::Page, m: &crate::model::Member) -> Value {
    strip_nulls(json!({
        "@context": "https://schema.org",
        "@type": "Person",
        "name": m.name,
        "url": page.permalink,
        "jobTitle": m.role,
        "image": m.avatar.as_deref().map(|u| shared_image(u, site.config.root_url().as_str())),
        "homeLocation": m.location.as_ref().map(|l| json!({ "@type": "Place", "name": l })),
        "description": page.description_or_summary(super::views::SUMMARY_TEXT),
        "knowsAbout": m.skills,
        "sameAs": m.links.values().map(|u| u.0.clone()).collect::<Vec<_>>(),
        "memberOf": { "@type": "Organization", "name": site.config.title, "url": site.config.base_url },
    }))
}

pub fn strip_nulls(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_as_schema_org_wants_them() {
        assert_eq!(price("€ 149"), Some(("149".into(), Some("EUR"))));
        assert_eq!(price("12,50 EUR"), Some(("12.50".into(), Some("EUR"))));
        assert_eq!(price("Free"), Some(("0".into(), None)));
        assert_eq!(price("$20"), Some(("20".into(), Some("USD"))));
        assert_eq!(price("pay what you want"), None);
    }

    #[test]
    fn embedding_cannot_close_the_script_or_open_a_comment() {
        for hostile in [
            "</script><b>",
            "<!--<script>",
            "</SCRIPT >",
            "a&b>c",
            "x\u{2028}y",
        ] {
            let embedded = embed(&json!({ "x": hostile }));
            assert!(
                !embedded.contains(['<', '>', '&', '\u{2028}']),
                "{hostile:?} → {embedded}"
            );
            let back: Value = serde_json::from_str(&embedded).unwrap();
            assert_eq!(back["x"], hostile);
        }
    }
}
