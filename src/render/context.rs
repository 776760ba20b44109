//! What templates see: serializable views of the model. Every page's summary view is made
//! once per build and shared by every list, term page and function that shows it.

use serde_json::{Value, json};

use super::calendar_links;
use super::{community, jsonld};
use crate::content::frontmatter::Location;
use crate::model::page::Session;
use crate::model::routes::{self, calendar_path, page_ics_path};
use crate::model::schedule::Happening;
use crate::model::{Details, Page, Section, Site};
use crate::time::rfc3339;
use crate::vocabulary::{Discuss, EventStatus, Kind};

/// A person credited on a page: a member (with profile link and avatar) or just a name.
pub fn person(site: &Site, id: &str) -> Value {
    match site.members.get(id) {
        Some(&i) => {
            let page = &site.pages[i];
            let m = page.as_member().expect("members map holds members");
            json!({
                "id": id, "name": m.name, "permalink": page.permalink, "role": m.role,
                "avatar": m.avatar, "initials": m.initials(), "is_member": true,
            })
        }
        None => {
            let term = site
                .taxonomies
                .iter()
                .find(|t| t.name == "authors")
                .and_then(|t| t.terms.iter().find(|term| term.slug == slug::slugify(id)));
            json!({
                "id": id, "name": id, "permalink": term.map(|t| &t.permalink), "role": null,
                "avatar": null, "initials": crate::model::page::initials(id), "is_member": false,
            })
        }
    }
}

fn term_links(site: &Site, taxonomy: &str, values: &[String]) -> Vec<Value> {
    values
        .iter()
        .map(|v| {
            let slug = slug::slugify(v);
            let permalink = site.config.base_url.join(&format!("{taxonomy}/{slug}/"));
            json!({ "name": v, "slug": slug, "permalink": permalink })
        })
        .collect()
}

fn location(l: &Option<Location>) -> Value {
    match l {
        Some(l) => json!({ "name": l.name, "address": l.address, "url": l.url }),
        None => Value::Null,
    }
}

fn status(s: EventStatus) -> &'static str {
    match s {
        EventStatus::Scheduled => "scheduled",
        EventStatus::Cancelled => "cancelled",
        EventStatus::Postponed => "postponed",
        EventStatus::MovedOnline => "moved-online",
    }
}

fn discuss(d: &Option<Discuss>) -> Value {
    match d {
        Some(Discuss::At(url)) => json!(url.0),
        Some(Discuss::Off) => json!(false),
        None => Value::Null,
    }
}

fn session(s: &Session) -> Value {
    json!({
        "title": s.title, "start": rfc3339(&s.start), "end": rfc3339(&s.end),
        "timezone": s.start.time_zone().iana_name(),
        "online_url": s.online_url, "location": location(&s.location),
    })
}

/// An event or masterclass session as lists and the home page show it: its next
/// occurrence (or its last, once it is over) and the page it belongs to.
pub fn happening_view(site: &Site, h: &Happening, summaries: &[Value]) -> Value {
    let (start, end) = h.next(&site.now).unwrap_or_else(|| h.last());
    let session_title = h.session.and_then(|n| match &site.pages[h.page].details {
        Details::Masterclass(m) => m.sessions.get(n).and_then(|s| s.title.clone()),
        _ => None,
    });
    json!({
        "title": h.title,
        "start": rfc3339(&start),
        "end": rfc3339(&end),
        "timezone": start.time_zone().iana_name(),
        "all_day": h.all_day,
        "status": status(h.status),
        "location": location(&h.location),
        "online_url": h.online_url,
        "permalink": site.pages[h.page].permalink,
        "kind": if h.session.is_some() { "session" } else { "event" },
        "session_title": session_title,
        "recurring": h.recurrence.is_some(),
        "upcoming": h.next(&site.now).is_some(),
        "page": summaries.get(h.page),
    })
}

/// Facts about when an event happens, for its page and lists.
fn event_times(site: &Site, h: &Happening) -> Value {
    let next = h.next(&site.now);
    let upcoming: Vec<Value> = h
        .occurrences
        .iter()
        .filter(|s| s.timestamp() >= site.now.timestamp())
        .take(6)
        .map(|s| Value::from(rfc3339(s)))
        .collect();
    json!({
        "next_start": next.as_ref().map(|(s, _)| rfc3339(s)),
        "next_end": next.as_ref().map(|(_, e)| rfc3339(e)),
        "occurrences": upcoming,
        "calendar_links": calendar_links::add_links(site, h),
    })
}

/// The view of a page in a list: everything but the full content.
pub fn page_summary(site: &Site, index: usize) -> Value {
    let page = &site.pages[index];
    let section = &site.sections[page.section];
    let happenings: Vec<&Happening> = match page.kind {
        crate::vocabulary::Kind::Events | crate::vocabulary::Kind::Masterclasses => {
            site.happenings_of(index).collect()
        }
        _ => Vec::new(),
    };
    let mut v = json!({
        "title": page.title,
        "description": page.description,
        "permalink": page.permalink,
        "path": format!("/{}", page.path),
        "slug": page.slug,
        "kind": page.kind.name(),
        "date": page.date.as_ref().map(rfc3339),
        "updated": page.updated.as_ref().map(rfc3339),
        "draft": page.draft,
        "tags": term_links(site, "tags", &page.tags),
        "taxonomies": page.taxonomies.iter().map(|(k, v)| (k.clone(), Value::from(term_links(site, k, v)))).collect::<serde_json::Map<_, _>>(),
        "image": page.image,
        "summary": page.content.summary,
        "word_count": page.content.word_count,
        "reading_time": page.reading_minutes(),
        "extra": page.extra,
        "section": { "title": section.title, "permalink": section.permalink, "kind": section.kind.name() },
        "authors": page.authors().iter().map(|a| person(site, a)).collect::<Vec<_>>(),
        "lang": site.config.language,
        "translations": translations(site, &page.file.rel),
    });
    let details = match &page.details {
        Details::Article(a) => json!({ "article": {
            "series": a.series, "discuss": discuss(&a.discuss), "newsletter": a.newsletter,
            "issue": site.issues.iter().find(|(_, i)| *i == index).map(|(n, _)| *n),
            "email": a.newsletter.then(|| site.config.base_url.join(&routes::email_files(&page.path)[0])),
        }}),
        Details::Plain { discuss: d, .. } => json!({ "plain": { "discuss": discuss(d) } }),
        Details::Masterclass(m) => json!({ "masterclass": {
            "level": m.level, "price": m.price, "signup_url": m.signup_url,
            "speakers": m.speakers.iter().map(|s| person(site, s)).collect::<Vec<_>>(),
            "sessions": m.sessions.iter().zip(&happenings).map(|(s, h)| {
                let mut v = session(s);
                v["calendar_links"] = calendar_links::add_links(site, h);
                v["upcoming"] = Value::from(h.next(&site.now).is_some());
                v
            }).collect::<Vec<_>>(),
            "discuss": discuss(&m.discuss),
            "ics": site.config.base_url.join(&page_ics_path(site, index)),
        }}),
        Details::Event(e) => json!({ "event": {
            "start": rfc3339(&e.start), "end": rfc3339(&e.end),
            "timezone": e.start.time_zone().iana_name(),
            "all_day": e.all_day, "status": status(e.status),
            "location": location(&e.location), "online_url": e.online_url,
            "registration_url": e.registration_url, "price": e.price,
            "hosts": e.hosts.iter().map(|h| person(site, h)).collect::<Vec<_>>(),
            "recurrence": e.recurrence.as_ref().map(|r| r.to_string()), "chat": community::chat(e.chat.as_ref()),
            "upcoming": happenings.first().is_some_and(|h| h.next(&site.now).is_some()),
            "ics": site.config.base_url.join(&page_ics_path(site, index)),
        }}),
        Details::Member(m) => json!({ "member": {
            "id": m.id, "name": m.name, "role": m.role, "avatar": m.avatar, "initials": m.initials(),
            "location": m.location, "pronouns": m.pronouns,
            "links": m.links.iter().map(|(k, u)| json!({ "kind": k, "url": u })).collect::<Vec<_>>(),
            "skills": term_links(site, "skills", &m.skills),
            "showcase": m.showcase.iter().map(|s| json!({
                "title": s.title, "url": s.url, "description": s.description,
                "image": s.image.as_ref().map(|img| crate::content::markdown::absolute_url(img, &page.permalink, site.config.root_url().as_str()).unwrap_or_else(|| img.clone())),
            })).collect::<Vec<_>>(),
            "listed": m.listed,
        }}),
    };
    // Where the conversation about the page is (the page's own link or the site's default).
    let own = match &page.details {
        Details::Article(a) => Some(a.discuss.as_ref()),
        Details::Plain { discuss, .. } => Some(discuss.as_ref()),
        Details::Masterclass(m) => Some(m.discuss.as_ref()),
        _ => None,
    };
    let discussion = own.map_or(Value::Null, |d| community::discuss(&site.config, d));
    if let (Value::Object(base), Value::Object(more)) = (&mut v, details) {
        base.extend(more);
        base.insert("discuss".into(), discussion);
    }
    if let (Some(h), Some(Value::Object(event))) = (happenings.first(), v.get_mut("event"))
        && let Value::Object(times) = event_times(site, h)
    {
        event.extend(times);
    }
    v
}

/// The full view of a page for its own template: the summary view plus content, table of
/// contents, neighbours and (for members) what they are credited on.
pub fn page_full(site: &Site, index: usize, summaries: &[Value]) -> Value {
    let page = &site.pages[index];
    let mut v = summaries[index].clone();
    let obj = v.as_object_mut().expect("summaries are objects");
    obj.insert("content".into(), Value::from(page.content.html.as_str()));
    obj.insert(
        "toc".into(),
        serde_json::to_value(&page.content.toc).unwrap_or_default(),
    );
    let siblings = &site.sections[page.section].pages;
    if let Some(pos) = siblings.iter().position(|&i| i == index) {
        let neighbour = |p: Option<&usize>| p.map_or(Value::Null, |&i| link_view(&site.pages[i]));
        obj.insert(
            "previous".into(),
            neighbour(pos.checked_sub(1).and_then(|p| siblings.get(p))),
        );
        obj.insert("next".into(), neighbour(siblings.get(pos + 1)));
    }
    // One `json_ld` per page, on its own page only: lists do not carry it.
    let mut happenings = site.happenings_of(index);
    let json_ld = match &page.details {
        Details::Article(_) => Some(jsonld::article(site, page)),
        Details::Event(_) => happenings.next().map(|h| jsonld::event(site, h)),
        Details::Masterclass(_) => Some(Value::from(
            happenings
                .map(|h| jsonld::event(site, h))
                .collect::<Vec<_>>(),
        )),
        Details::Member(m) => Some(jsonld::person(site, page, m)),
        Details::Plain { .. } => None,
    };
    if let Some(json_ld) = json_ld {
        obj.insert("json_ld".into(), Value::from(jsonld::embed(&json_ld)));
    }
    if let Details::Article(a) = &page.details
        && let Some(series) = &a.series
    {
        let list: Vec<Value> = site
                .series
                .get(series)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .map(|&i| json!({ "title": site.pages[i].title, "permalink": site.pages[i].permalink, "current": i == index }))
                .collect();
        obj.insert("series_pages".into(), Value::from(list));
    }
    if let Details::Member(m) = &page.details {
        let credited = site.credits.get(&m.id).map_or(&[][..], Vec::as_slice);
        let of_kind = |kind: Kind| -> Value {
            Value::from(
                credited
                    .iter()
                    .filter(|&&i| site.pages[i].kind == kind)
                    .map(|&i| summaries[i].clone())
                    .collect::<Vec<_>>(),
            )
        };
        obj.insert("member_articles".into(), of_kind(Kind::Articles));
        obj.insert("member_events".into(), of_kind(Kind::Events));
        obj.insert("member_masterclasses".into(), of_kind(Kind::Masterclasses));
    }
    v
}

fn link_view(page: &Page) -> Value {
    json!({ "title": page.title, "permalink": page.permalink })
}

/// The other languages' versions of a content file (empty on a one-language site).
fn translations(site: &Site, key: &str) -> Value {
    let list = site.translations.get(key).map_or(&[][..], Vec::as_slice);
    Value::from(
        list.iter()
            .filter(|t| t.lang != site.config.language)
            .map(|t| json!({ "lang": t.lang, "name": t.name, "permalink": t.permalink, "title": t.title }))
            .collect::<Vec<_>>(),
    )
}

/// A section without its pages (those come per list page, see `output::pages`).
pub fn section_view(site: &Site, section: &Section) -> Value {
    json!({
        "title": section.title,
        "description": section.description,
        "permalink": section.permalink,
        "path": format!("/{}", section.path),
        "kind": section.kind.name(),
        "content": section.content.html,
        "toc": section.content.toc,
        "extra": section.extra,
        "page_count": section.pages.len(),
        "translations": translations(site, &section.index_file()),
        "subsections": section.subsections.iter().map(|&i| {
            let s = &site.sections[i];
            json!({ "title": s.title, "permalink": s.permalink, "page_count": s.pages.len() })
        }).collect::<Vec<_>>(),
    })
}

/// `site` in every template: navigation and site-wide facts, small on purpose.
pub fn site_view(site: &Site) -> Value {
    let mut menu: Vec<(i64, Value)> = site
        .sections
        .iter()
        .filter(|s| s.in_menu && !s.is_home())
        .map(|s| (s.weight, json!({ "name": s.menu_title.as_ref().unwrap_or(&s.title), "permalink": s.permalink, "path": format!("/{}", s.path) })))
        .collect();
    menu.extend(site.pages.iter().filter(|p| p.in_menu).map(|p| {
        (
            p.weight,
            json!({ "name": p.title, "permalink": p.permalink, "path": format!("/{}", p.path) }),
        )
    }));
    menu.sort_by_key(|(w, _)| *w);
    json!({
        "title": site.config.title,
        "description": site.config.description,
        "base_url": site.config.base_url,
        "base_path": site.config.base_url.path(),
        "language": site.config.language,
        "menu": menu.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
        "sections": site.sections.iter().filter(|s| !s.is_home()).map(|s| json!({
            "title": s.title, "permalink": s.permalink, "kind": s.kind.name(), "page_count": s.pages.len(),
        })).collect::<Vec<_>>(),
        "taxonomies": site.taxonomies.iter().map(|t| json!({
            "name": t.name, "permalink": t.permalink, "term_count": t.terms.len(),
        })).collect::<Vec<_>>(),
        "now": rfc3339(&site.now),
        "generator": concat!("kring ", env!("CARGO_PKG_VERSION")),
        "json_ld": jsonld::embed(&jsonld::website(site)),
        "languages": site.languages.iter().map(|l| json!({
            "lang": l.lang, "name": l.name, "permalink": l.permalink, "current": l.lang == site.config.language,
        })).collect::<Vec<_>>(),
        "feeds": routes::feed_links(&site.config.feeds, site.config.base_url.as_str(), "", &site.config.title, true),
        "community": community::community(&site.config),
        "community_url": (!site.config.community.is_empty()).then(|| site.config.base_url.join(routes::COMMUNITY_PATH)),
        "newsletter": newsletter_view(site),
        "analytics": community::analytics(&site.config),
        "calendar": (!site.schedule.is_empty()).then(|| {
            let url = site.config.base_url.join(&calendar_path(site));
            json!({ "url": url, "webcal": calendar_links::webcal(&url) })
        }),
    })
}

/// The feeds of a section, for autodiscovery and subscribe links (empty when it has none).
pub fn section_feeds(site: &Site, section: usize) -> Vec<routes::FeedLink> {
    if !routes::section_has_feed(site, section) {
        return Vec::new();
    }
    let s = &site.sections[section];
    routes::feed_links(
        &site.config.feeds,
        site.config.base_url.as_str(),
        &s.path,
        &format!("{} — {}", site.config.title, s.title),
        true,
    )
}

/// `site.newsletter`: the signup form and where the archive is.
fn newsletter_view(site: &Site) -> Value {
    let Some(n) = &site.config.newsletter else {
        return Value::Null;
    };
    json!({
        "provider": n.provider,
        "name": n.name.clone().unwrap_or_else(|| site.config.title.clone()),
        "description": n.description,
        "archive_url": site.config.base_url.join(&routes::newsletter_path(&site.config)),
        "form": community::newsletter_form(&site.config),
    })
}
