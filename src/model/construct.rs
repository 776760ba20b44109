//! Building the model's pieces from what was read: a section from its `_index.md`, a page
//! of each kind from its front matter (slug, URL, dates, the kind's details), an event's
//! times, a page's image.

use std::path::PathBuf;

use jiff::{SignedDuration, Zoned};

use super::page::{Article, Details, Event, Masterclass, Member, Page, Session};
use super::section::Section;
use super::site::BuildOptions;
use crate::config::{BaseUrl, Config};
use crate::content::frontmatter::PageFront;
use crate::content::load::{SourceFile, SourcePage, SourceSection};
use crate::error::Diagnostic;
use crate::time::{WrittenDate, event_length_problem};
use crate::vocabulary::Kind;

pub(super) fn build_section(
    s: SourceSection,
    parent: Option<usize>,
    inherited: Kind,
    base: &BaseUrl,
) -> Section {
    let f = s.front;
    let kind = f.kind.unwrap_or(inherited);
    let path = super::routes::section_path(&s.dir);
    let folder = s.dir.rsplit('/').next().unwrap_or("");
    Section {
        title: f.title.unwrap_or_else(|| title_case(folder)),
        description: f.description,
        kind,
        permalink: base.join(&path),
        path,
        parent,
        subsections: Vec::new(),
        pages: Vec::new(),
        sort_by: f.sort_by.unwrap_or(kind.default_sort()),
        paginate_by: f.paginate_by.filter(|&n| n > 0),
        feed: f.feed.unwrap_or(matches!(
            kind,
            Kind::Articles | Kind::Events | Kind::Masterclasses
        )),
        in_menu: f
            .in_menu
            .unwrap_or(!s.dir.is_empty() && !s.dir.contains('/')),
        in_search: f.in_search.unwrap_or(true),
        menu_title: f.menu_title,
        weight: f.weight,
        template: f.template,
        page_template: f.page_template,
        extra: f.extra,
        content: Default::default(),
        assets: s.assets,
        dir: s.dir,
        file: s.file,
    }
}

fn title_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first
            .to_uppercase()
            .chain(c)
            .collect::<String>()
            .replace('-', " "),
        None => String::new(),
    }
}

/// `2026-01-05-welcome` → (2026-01-05, `welcome`).
fn date_prefix(stem: &str) -> Option<(WrittenDate, &str)> {
    if stem.len() > 11
        && stem.as_bytes()[10] == b'-'
        && let Ok(d @ WrittenDate::Date(_)) = WrittenDate::parse(&stem[..10])
    {
        return Some((d, &stem[11..]));
    }
    None
}

pub(super) fn build_page(
    sp: SourcePage,
    section: usize,
    kind: Kind,
    sec: &Section,
    config: &Config,
    now: &Zoned,
    options: &BuildOptions,
) -> Result<Option<Page>, Vec<Diagnostic>> {
    let SourcePage {
        file,
        front,
        assets,
        ..
    } = sp;
    if front.draft && !options.drafts {
        return Ok(None);
    }
    let mut errors = Vec::new();
    for key in front.foreign_keys(kind) {
        errors.push(file.error_at_key(
            key,
            format!(
                "`{key}` does not belong on a page in {} (a section of kind \"{}\"): remove it, or move the page to a section whose kind takes it (see docs/content.md)",
                if sec.dir.is_empty() { "the root of content/".to_string() } else { format!("content/{}/", sec.dir) },
                kind.name()
            ),
        ));
    }

    let stem = file.stem().to_string();
    let (name_date, name_slug) = match date_prefix(&stem) {
        Some((d, rest)) => (Some(d), rest.to_string()),
        None => (None, stem.clone()),
    };
    let slug = super::routes::slug_of(front.slug.as_deref().unwrap_or(&name_slug));
    if slug.is_empty() {
        errors.push(file.error_at_key(
            "slug",
            "the slug is empty once made URL-safe: give the page a `slug` with letters or digits",
        ));
    }
    let path = super::routes::page_path(&sec.path, &slug);
    let permalink = config.base_url.join(&path);
    let site_tz = config.timezone.tz();
    let page_tz = front.timezone.as_ref().map_or(site_tz, |z| z.tz());

    let title = match (&front.title, kind, &front.name) {
        (Some(t), _, _) => t.clone(),
        (None, Kind::Members, Some(n)) => n.clone(),
        _ => {
            errors.push(
                Diagnostic::new(
                    &file.shown,
                    "missing field `title`: add `title = \"…\"` to the front matter",
                )
                .at_offset(&file.text, 0),
            );
            String::new()
        }
    };

    let image = resolve_image(
        front.image.as_deref(),
        &file,
        &assets,
        &permalink,
        config,
        "image",
    )
    .map_err(|d| errors.push(d))
    .ok()
    .flatten();

    let details = match kind {
        Kind::Articles => Details::Article(Article {
            authors: member_ids(&front.authors),
            series: front.series.clone(),
            discuss: front.discuss.clone(),
            newsletter: front.newsletter.unwrap_or(false),
            issue: front.issue,
        }),
        Kind::Pages => Details::Plain {
            authors: member_ids(&front.authors),
            discuss: front.discuss.clone(),
        },
        Kind::Events => match event(&front, &file, page_tz) {
            Ok(e) => Details::Event(e),
            Err(d) => {
                errors.push(d);
                return Err(errors);
            }
        },
        Kind::Masterclasses
            if front
                .sessions
                .iter()
                .any(|s| s.end.is_some() && s.duration.is_some()) =>
        {
            errors.push(file.error_at_key(
                "sessions",
                "a session takes `end` or `duration`, not both: which one should win is not clear",
            ));
            return Err(errors);
        }
        Kind::Masterclasses => Details::Masterclass(Masterclass {
            level: front.level.clone(),
            price: front.price.clone(),
            signup_url: front.signup_url.clone(),
            speakers: member_ids(&front.speakers),
            sessions: match sessions(&front, &file, page_tz) {
                Ok(sessions) => sessions,
                Err(d) => {
                    errors.push(d);
                    return Err(errors);
                }
            },
            discuss: front.discuss.clone(),
        }),
        Kind::Members => {
            let name = front.name.clone().unwrap_or_else(|| {
                errors.push(file.error_at_key(
                    "name",
                    "missing field `name`: a member page needs `name = \"…\"`",
                ));
                title.clone()
            });
            let avatar = resolve_image(
                front.avatar.as_deref(),
                &file,
                &assets,
                &permalink,
                config,
                "avatar",
            )
            .map_err(|d| errors.push(d))
            .ok()
            .flatten();
            Details::Member(Member {
                id: stem.clone(),
                name,
                role: front.role.clone(),
                avatar,
                location: front.location.as_ref().and_then(|l| l.name.clone()),
                pronouns: front.pronouns.clone(),
                links: front.links.clone(),
                skills: front.skills.clone(),
                showcase: front.showcase.clone(),
                listed: front.listed.unwrap_or(true),
            })
        }
    };

    let aliases: Vec<String> = front
        .aliases
        .iter()
        .filter_map(|a| match super::routes::alias_path(a) {
            Ok(path) => Some(path),
            Err(why) => {
                errors.push(
                    file.error_at_key("aliases", format!("alias `{}` {why}", a.escape_debug())),
                );
                None
            }
        })
        .collect();

    let sponsored = match &front.sponsored {
        None => None,
        Some(_) if !matches!(kind, Kind::Articles | Kind::Events) => {
            errors.push(file.error_at_key("sponsored", "`sponsored` is for articles and events"));
            None
        }
        Some(s) => match s.by.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
            Some(by) => Some(super::page::Sponsor {
                by: by.to_string(),
                url: s.url.as_ref().map(|u| u.0.clone()),
            }),
            None => {
                errors.push(file.error_at_key(
                    "sponsored",
                    "`sponsored` needs `by`: who paid for it, e.g. sponsored = { by = \"Acme\", url = \"https://acme.example\" }",
                ));
                None
            }
        },
    };

    // Events and masterclasses are dated by when they happen, never hidden as "future".
    let date = match (&front.date, name_date, &details) {
        (Some(d), _, _) => Some(d.in_zone(site_tz)),
        (None, Some(d), _) => Some(d.in_zone(site_tz)),
        (None, None, Details::Event(e)) => Some(e.start.clone()),
        (None, None, Details::Masterclass(m)) => m.sessions.first().map(|s| s.start.clone()),
        _ => None,
    };
    let scheduled = matches!(kind, Kind::Events | Kind::Masterclasses);
    if !scheduled
        && !options.drafts
        && let Some(d) = &date
        && d.timestamp() > now.timestamp()
    {
        return if errors.is_empty() {
            Ok(None)
        } else {
            Err(errors)
        };
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    Ok(Some(Page {
        section,
        kind,
        slug,
        path,
        permalink,
        title,
        description: front.description.clone(),
        date,
        updated: front.updated.map(|d| d.in_zone(site_tz)),
        draft: front.draft,
        tags: front.tags.clone(),
        taxonomies: front.taxonomies.clone(),
        weight: front.weight,
        image,
        in_menu: front.in_menu.unwrap_or(false),
        in_search: front.in_search.unwrap_or(true),
        aliases,
        template: front.template.clone(),
        extra: front.extra.clone(),
        sponsored,
        related: front.related.clone(),
        details,
        content: Default::default(),
        assets,
        file,
    }))
}

fn event(
    front: &PageFront,
    file: &SourceFile,
    tz: &jiff::tz::TimeZone,
) -> Result<Event, Diagnostic> {
    let Some(start_w) = &front.start else {
        return Err(Diagnostic::new(
            &file.shown,
            "missing field `start`: an event needs `start = 2026-12-12T19:30:00`",
        )
        .at_offset(&file.text, 0));
    };
    if front.end.is_some() && front.duration.is_some() {
        return Err(file.error_at_key(
            "duration",
            "an event takes `end` or `duration`, not both: which one should win is not clear",
        ));
    }
    let all_day = front.all_day.unwrap_or(start_w.get_ref().is_date_only());
    let start = start_w.get_ref().in_zone(tz);
    let end = match (&front.end, &front.duration) {
        (Some(e), _) => {
            let mut end = e.get_ref().in_zone(tz);
            // An all-day event's `end` names its last day; it ends when that day does.
            if all_day && e.get_ref().is_date_only() {
                end = end
                    .checked_add(SignedDuration::from_hours(24))
                    .unwrap_or(end);
                if let Ok(next_day) = e.get_ref().in_zone(tz).date().tomorrow() {
                    end = next_day.to_zoned(tz.clone()).unwrap_or(end);
                }
            }
            if let Some(problem) = event_length_problem(end.duration_since(&start)) {
                return Err(file.error_at_span(e.span().start, problem));
            }
            end
        }
        (None, Some(d)) => start
            .checked_add(d.0)
            .map_err(|_| file.error_at_key("duration", PAST_CALENDAR))?,
        (None, None) if all_day => start
            .date()
            .tomorrow()
            .ok()
            .and_then(|d| d.to_zoned(tz.clone()).ok())
            .unwrap_or_else(|| start.clone()),
        (None, None) => start
            .checked_add(SignedDuration::from_hours(1))
            .unwrap_or_else(|_| start.clone()),
    };
    let recurrence = match &front.recurrence {
        Some(r) => Some(
            r.get_ref()
                .parse()
                .map_err(|m: String| file.error_at_span(r.span().start, m))?,
        ),
        None => None,
    };
    Ok(Event {
        start,
        end,
        all_day,
        location: front.location.clone(),
        online_url: front.online_url.clone(),
        registration_url: front.registration_url.clone(),
        price: front.price.clone(),
        hosts: member_ids(&front.hosts),
        status: front.status.unwrap_or_default(),
        recurrence,
        chat: front.chat.clone(),
        discuss: front.discuss.clone(),
    })
}

/// A masterclass's sessions, each with its end (from `end`, `duration` or an hour).
fn sessions(
    front: &PageFront,
    file: &SourceFile,
    page_tz: &jiff::tz::TimeZone,
) -> Result<Vec<Session>, Diagnostic> {
    front
        .sessions
        .iter()
        .map(|s| {
            let start = s.start.get_ref().in_zone(page_tz);
            let end = match (&s.end, &s.duration) {
                (Some(e), _) => {
                    let end = e.get_ref().in_zone(page_tz);
                    if let Some(problem) = event_length_problem(end.duration_since(&start)) {
                        return Err(file.error_at_span(e.span().start, problem));
                    }
                    end
                }
                (None, Some(d)) => start
                    .checked_add(d.0)
                    .map_err(|_| file.error_at_span(s.start.span().start, PAST_CALENDAR))?,
                (None, None) => start
                    .checked_add(SignedDuration::from_hours(1))
                    .unwrap_or_else(|_| start.clone()),
            };
            Ok(Session {
                title: s.title.clone(),
                start,
                end,
                online_url: s.online_url.clone(),
                location: s.location.clone(),
            })
        })
        .collect()
}

/// Why an event cannot end where its `duration` puts it.
const PAST_CALENDAR: &str = "the event would end after the last moment a calendar holds (the end of 9999): check `start` and `duration`";

/// An image named in front matter, as a permalink: a file in the page bundle, a path
/// under `static/` (or the site root), or an `https://` URL.
fn resolve_image(
    image: Option<&str>,
    file: &SourceFile,
    assets: &[(PathBuf, String)],
    permalink: &str,
    config: &Config,
    key: &str,
) -> Result<Option<String>, Diagnostic> {
    let Some(image) = image.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if image.starts_with("https://") || image.starts_with("http://") {
        return Ok(Some(image.to_string()));
    }
    if let Some(rest) = image.strip_prefix('/') {
        return Ok(Some(config.root_url().join(rest)));
    }
    if assets.iter().any(|(_, name)| name == image) {
        return Ok(Some(format!("{permalink}{image}")));
    }
    Err(file.error_at_key(
        key,
        format!(
            "{key} `{image}` is not a file beside this page: put it in the page's folder (a page bundle, {}/index.md), or write /images/… for a file under static/",
            file.stem()
        ),
    ))
}

/// Members named in front matter, by id. The content editor names a member kept as a folder
/// (`members/noor/index.md`) by its entry's slug, `noor/index`: that is member `noor`.
fn member_ids(ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|id| id.strip_suffix("/index").unwrap_or(id).to_string())
        .collect()
}
