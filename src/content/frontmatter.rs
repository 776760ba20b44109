//! Front matter: the TOML between `+++` lines, split off the body and parsed into typed
//! structs. One struct holds the keys of every kind so that one parse gives every error a
//! line; [`PageFront::foreign_keys`] then refuses keys that belong to another kind.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::time::{WrittenDate, WrittenDuration, Zone};

/// A Markdown file cut into its front matter and body, with where each starts.
#[derive(Debug)]
pub struct Split<'a> {
    pub front: &'a str,
    /// Byte offset of `front` in the file.
    pub front_offset: usize,
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
}

/// Splits `+++` front matter off a file. A file without front matter is all body.
/// An opening `+++` without a closing one is an error at the opening line's offset.
pub fn split(source: &str) -> Result<Split<'_>, (usize, String)> {
    let start = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let text = &source[start..];
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "+++" {
        if text.trim_start().starts_with("---") {
            return Err((
                start,
                "front matter must be TOML between `+++` lines; `---` (YAML) is not supported"
                    .into(),
            ));
        }
        return Ok(Split {
            front: "",
            front_offset: start,
            body: text,
            body_offset: start,
        });
    }
    let front_offset = start + first_line_end;
    let mut pos = front_offset;
    for line in source[front_offset..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let body_offset = pos + line.len();
            return Ok(Split {
                front: &source[front_offset..pos],
                front_offset,
                body: &source[body_offset..],
                body_offset,
            });
        }
        pos += line.len();
    }
    Err((
        start,
        "the front matter opened with `+++` is never closed: add a line with `+++` after it".into(),
    ))
}

pub use crate::vocabulary::{Discuss, EventStatus, HttpUrl, Kind, SortBy};

/// Front matter of an `_index.md`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionFront {
    pub title: Option<String>,
    pub description: Option<String>,
    pub kind: Option<Kind>,
    pub sort_by: Option<SortBy>,
    pub paginate_by: Option<usize>,
    pub feed: Option<bool>,
    pub in_menu: Option<bool>,
    /// `false`: neither the section's pages nor the section are in the site's search.
    pub in_search: Option<bool>,
    pub menu_title: Option<String>,
    #[serde(default)]
    pub weight: i64,
    pub template: Option<String>,
    pub page_template: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub extra: toml::Table,
}

/// Where something happens: a table `{ name, address, url }`, or just a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Location {
    pub name: Option<String>,
    pub address: Option<String>,
    pub url: Option<HttpUrl>,
}

impl<'de> Deserialize<'de> for Location {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Table {
            name: Option<String>,
            address: Option<String>,
            url: Option<HttpUrl>,
        }
        // Parse via a Value first so a bad URL inside the table keeps its own message.
        let value = toml::Value::deserialize(d)?;
        match value {
            toml::Value::String(name) => Ok(Location {
                name: Some(name),
                ..Location::default()
            }),
            toml::Value::Table(_) => {
                let t: Table = value.try_into().map_err(serde::de::Error::custom)?;
                Ok(Location {
                    name: t.name,
                    address: t.address,
                    url: t.url,
                })
            }
            _ => Err(serde::de::Error::custom(
                "location is a name (\"Utrecht\") or a table { name, address, url }",
            )),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionFront {
    pub title: Option<String>,
    pub start: Spanned<WrittenDate>,
    pub end: Option<Spanned<WrittenDate>>,
    pub duration: Option<WrittenDuration>,
    pub online_url: Option<HttpUrl>,
    pub location: Option<Location>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ShowcaseItem {
    pub title: String,
    pub url: Option<HttpUrl>,
    pub image: Option<String>,
    pub description: Option<String>,
}

/// `sponsored = { by = "Acme", url = "https://acme.example" }`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SponsoredFront {
    pub by: Option<String>,
    pub url: Option<HttpUrl>,
}

/// Front matter of a page, every kind's keys together.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFront {
    // Every page.
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<WrittenDate>,
    pub updated: Option<WrittenDate>,
    #[serde(default)]
    pub draft: bool,
    pub slug: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub taxonomies: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub weight: i64,
    pub image: Option<String>,
    pub in_menu: Option<bool>,
    /// `false`: the page is left out of the site's search.
    pub in_search: Option<bool>,
    /// Old addresses of the page (`/p/my-slug`): each gets a page that redirects here.
    #[serde(default)]
    pub aliases: Vec<String>,
    pub template: Option<String>,
    /// For a translation with a file name of its own (`welkom.nl.md`): the page it
    /// translates, e.g. `articles/welcome.md`.
    pub translation_of: Option<String>,
    #[serde(default)]
    pub extra: toml::Table,
    /// Paid for by someone: labelled as such (articles and events).
    pub sponsored: Option<SponsoredFront>,
    /// The articles to show under "Read also" (`@/…` paths), instead of those kring picks.
    #[serde(default)]
    pub related: Vec<String>,

    // Articles.
    #[serde(default)]
    pub authors: Vec<String>,
    pub series: Option<String>,
    pub discuss: Option<Discuss>,
    pub newsletter: Option<bool>,
    pub issue: Option<u32>,

    // Masterclasses (and `price`, `timezone` for events).
    pub level: Option<String>,
    pub price: Option<String>,
    pub signup_url: Option<HttpUrl>,
    #[serde(default)]
    pub speakers: Vec<String>,
    pub timezone: Option<Zone>,
    #[serde(default)]
    pub sessions: Vec<SessionFront>,

    // Events.
    pub start: Option<Spanned<WrittenDate>>,
    pub end: Option<Spanned<WrittenDate>>,
    pub duration: Option<WrittenDuration>,
    pub all_day: Option<bool>,
    pub location: Option<Location>,
    pub online_url: Option<HttpUrl>,
    pub registration_url: Option<HttpUrl>,
    #[serde(default)]
    pub hosts: Vec<String>,
    pub status: Option<EventStatus>,
    pub recurrence: Option<Spanned<String>>,
    pub chat: Option<HttpUrl>,

    // Members.
    pub name: Option<String>,
    pub role: Option<String>,
    pub avatar: Option<String>,
    pub pronouns: Option<String>,
    #[serde(default)]
    pub links: BTreeMap<String, HttpUrl>,
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub showcase: Vec<ShowcaseItem>,
    pub listed: Option<bool>,
}

impl PageFront {
    /// The keys set here that a page of `kind` does not take.
    pub fn foreign_keys(&self, kind: Kind) -> Vec<&'static str> {
        let set: [(&'static str, bool); 27] = [
            ("authors", !self.authors.is_empty()),
            ("series", self.series.is_some()),
            ("discuss", self.discuss.is_some()),
            ("newsletter", self.newsletter.is_some()),
            ("issue", self.issue.is_some()),
            ("level", self.level.is_some()),
            ("price", self.price.is_some()),
            ("signup_url", self.signup_url.is_some()),
            ("speakers", !self.speakers.is_empty()),
            ("timezone", self.timezone.is_some()),
            ("sessions", !self.sessions.is_empty()),
            ("start", self.start.is_some()),
            ("end", self.end.is_some()),
            ("duration", self.duration.is_some()),
            ("all_day", self.all_day.is_some()),
            ("location", self.location.is_some()),
            ("online_url", self.online_url.is_some()),
            ("registration_url", self.registration_url.is_some()),
            ("hosts", !self.hosts.is_empty()),
            ("status", self.status.is_some()),
            ("recurrence", self.recurrence.is_some()),
            ("chat", self.chat.is_some()),
            ("name", self.name.is_some()),
            ("role", self.role.is_some()),
            ("avatar", self.avatar.is_some()),
            ("links", !self.links.is_empty()),
            ("showcase", !self.showcase.is_empty()),
        ];
        let more: [(&'static str, bool); 3] = [
            ("pronouns", self.pronouns.is_some()),
            ("skills", !self.skills.is_empty()),
            ("listed", self.listed.is_some()),
        ];
        set.into_iter()
            .chain(more)
            .filter(|&(key, present)| present && !kind_takes(kind, key))
            .map(|(key, _)| key)
            .collect()
    }
}

/// Whether a page of `kind` takes the kind-specific key `key` (keys every page takes are
/// in no kind's list). The CMS's generated config asks the same question.
pub fn kind_takes(kind: Kind, key: &str) -> bool {
    const ARTICLE: &[&str] = &["authors", "series", "discuss", "newsletter", "issue"];
    const PAGE: &[&str] = &["authors", "discuss"];
    const MASTERCLASS: &[&str] = &[
        "level",
        "price",
        "signup_url",
        "speakers",
        "timezone",
        "sessions",
        "discuss",
    ];
    const EVENT: &[&str] = &[
        "start",
        "end",
        "duration",
        "timezone",
        "all_day",
        "location",
        "online_url",
        "registration_url",
        "price",
        "hosts",
        "status",
        "recurrence",
        "chat",
        "discuss",
    ];
    const MEMBER: &[&str] = &[
        "name", "role", "avatar", "location", "pronouns", "links", "skills", "showcase", "listed",
    ];
    let keys = match kind {
        Kind::Articles => ARTICLE,
        Kind::Pages => PAGE,
        Kind::Masterclasses => MASTERCLASS,
        Kind::Events => EVENT,
        Kind::Members => MEMBER,
    };
    keys.contains(&key)
}

/// Byte offset of the line `key = …` inside a front matter fragment, for errors about a key
/// that parsed but does not belong.
pub fn key_offset(front: &str, key: &str) -> Option<usize> {
    let mut pos = 0;
    for line in front.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && (rest.trim_start().starts_with('=') || rest.trim_start().starts_with(']'))
        {
            return Some(pos + (line.len() - trimmed.len()));
        }
        if trimmed.starts_with(&format!("[{key}")) {
            return Some(pos + (line.len() - trimmed.len()));
        }
        pos += line.len();
    }
    None
}

/// The front matter with each `key = ""` blanked out (spaces in its place, so every offset
/// stays where it was): an empty string is a key left empty, as the content editor writes a
/// field that was cleared, and means the same as the key left out. Except `title` (required:
/// an empty one stays an empty title) and the theme's free-form `extra`, whose meaning kring
/// does not know.
pub fn without_empty_strings(front: &str) -> std::borrow::Cow<'_, str> {
    use toml::de::{DeTable, DeValue};
    fn blank(table: &DeTable, top: bool, front: &str, out: &mut Vec<std::ops::Range<usize>>) {
        for (key, value) in table {
            let name: &str = key.get_ref();
            if top && (name == "title" || name == "extra") {
                continue;
            }
            match value.get_ref() {
                DeValue::String(s) if s.is_empty() => {
                    let mut end = value.span().end;
                    // In an inline table, its comma goes with it.
                    let rest = &front[end..];
                    let after = rest.trim_start_matches([' ', '\t']);
                    if after.starts_with(',') {
                        end += rest.len() - after.len() + 1;
                    }
                    out.push(key.span().start..end);
                }
                DeValue::Table(t) => blank(t, false, front, out),
                DeValue::Array(items) => {
                    for item in items.iter() {
                        if let DeValue::Table(t) = item.get_ref() {
                            blank(t, false, front, out);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    if !front.contains("\"\"") {
        return front.into();
    }
    // A front matter that does not parse is left as it is: its error is reported as written.
    let Ok(table) = DeTable::parse(front) else {
        return front.into();
    };
    let mut ranges = Vec::new();
    blank(table.get_ref(), true, front, &mut ranges);
    if ranges.is_empty() {
        return front.into();
    }
    let mut text = front.to_string();
    for range in ranges {
        // A space for each byte, so offsets stay; a line break stays one.
        let spaces: String = front[range.clone()]
            .chars()
            .flat_map(|c| std::iter::repeat_n(if c == '\n' { '\n' } else { ' ' }, c.len_utf8()))
            .collect();
        text.replace_range(range, &spaces);
    }
    text.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_knows_offsets() {
        let src = "+++\ntitle = \"x\"\n+++\nBody\n";
        let s = split(src).unwrap();
        assert_eq!(s.front, "title = \"x\"\n");
        assert_eq!(&src[s.front_offset..s.front_offset + 5], "title");
        assert_eq!(s.body, "Body\n");
    }

    #[test]
    fn unclosed_and_yaml_front_matter_are_errors() {
        assert!(split("+++\ntitle = \"x\"\nBody").is_err());
        assert!(
            split("---\ntitle: x\n---\n")
                .unwrap_err()
                .1
                .contains("YAML")
        );
    }

    #[test]
    fn empty_strings_are_keys_left_out() {
        let front = "title = \"\"\ndescription = \"\"\nchat = \"\" # cleared\n\
                     extra = { x = \"\" }\nnote = \"\"\"\nchat = \"\"\n\"\"\"\n\
                     location = { url = \"\", name = \"Café ✓\" }\n\
                     [links]\nwebsite = \"\"\n[[showcase]]\ntitle = \"é\"\nurl = \"\"\n";
        let out = without_empty_strings(front);
        assert_eq!(out.len(), front.len(), "every offset where it was");
        let v: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(v["title"].as_str(), Some(""), "the required title stays");
        assert!(
            v["extra"]["x"].as_str() == Some(""),
            "the theme's keys stay"
        );
        assert!(!v.contains_key("description") && !v.contains_key("chat"));
        assert_eq!(
            v["note"].as_str(),
            Some("chat = \"\"\n"),
            "inside a string, nothing"
        );
        assert_eq!(v["location"].as_table().unwrap().len(), 1);
        assert!(v["links"].as_table().unwrap().is_empty());
        assert!(!v["showcase"][0].as_table().unwrap().contains_key("url"));
        // Without empty strings, or not TOML: as written.
        assert_eq!(without_empty_strings("a = \"b\""), "a = \"b\"");
        assert_eq!(without_empty_strings("a = \"\" = x"), "a = \"\" = x");
    }

    #[test]
    fn javascript_urls_are_refused() {
        assert!(HttpUrl::parse("javascript:alert(1)").is_err());
        assert!(HttpUrl::parse("https://").is_err());
        assert!(HttpUrl::parse("HTTPS://Example.org/x").is_ok());
    }

    #[test]
    fn keys_of_another_kind_are_found() {
        let f: PageFront =
            toml::from_str("title = \"x\"\nstart = 2026-01-01\nauthors = [\"a\"]").unwrap();
        assert_eq!(f.foreign_keys(Kind::Articles), vec!["start"]);
        assert_eq!(f.foreign_keys(Kind::Events), vec!["authors"]);
        assert_eq!(key_offset("title = \"x\"\nstart = 1", "start"), Some(12));
    }
}
