//! The shared vocabulary of kring's layers: what a section's pages are, how lists sort,
//! an event's status, a checked web address. Config, content, model and the outputs all
//! speak it, so it lives below them rather than in the front-matter parser.

use serde::{Deserialize, Serialize};

/// The file that makes a folder a kring site.
pub const CONFIG_FILE: &str = "kring.toml";

/// The site's cache folder (processed images, link-check answers), shared by `build`,
/// `serve` and `check`; `kring init` git-ignores it.
pub const CACHE_DIR: &str = ".kring-cache";

/// What a section's pages are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Articles,
    Masterclasses,
    Events,
    Members,
    Pages,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Articles => "articles",
            Kind::Masterclasses => "masterclasses",
            Kind::Events => "events",
            Kind::Members => "members",
            Kind::Pages => "pages",
        }
    }
    /// The template for one page of this kind.
    pub fn page_template(self) -> &'static str {
        match self {
            Kind::Articles => "article.html",
            Kind::Masterclasses => "masterclass.html",
            Kind::Events => "event.html",
            Kind::Members => "member.html",
            Kind::Pages => "page.html",
        }
    }
    /// The template for a section of this kind.
    pub fn section_template(self) -> &'static str {
        match self {
            Kind::Articles => "articles.html",
            Kind::Masterclasses => "masterclasses.html",
            Kind::Events => "events.html",
            Kind::Members => "members.html",
            Kind::Pages => "section.html",
        }
    }
    pub fn default_sort(self) -> SortBy {
        match self {
            Kind::Articles => SortBy::Date,
            Kind::Masterclasses | Kind::Events => SortBy::Start,
            Kind::Members => SortBy::Name,
            Kind::Pages => SortBy::Weight,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    Date,
    Title,
    Weight,
    Name,
    Start,
}

/// An `http(s)://` URL. Anything else (`javascript:`, a bare word) is refused where it is
/// written, because these URLs end up in `href`s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct HttpUrl(pub String);

impl HttpUrl {
    pub fn parse(s: &str) -> Result<HttpUrl, String> {
        let t = s.trim();
        let lower = t.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"));
        match rest {
            Some(r) if !r.is_empty() && !t.contains(char::is_whitespace) => {
                Ok(HttpUrl(t.to_string()))
            }
            _ => Err(format!(
                "`{s}` is not a web address: write a full URL starting with https://"
            )),
        }
    }
}

impl<'de> Deserialize<'de> for HttpUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        HttpUrl::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// `discuss = "https://…"` or `discuss = false`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Discuss {
    At(HttpUrl),
    Off,
}

impl<'de> Deserialize<'de> for Discuss {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(d)? {
            toml::Value::Boolean(false) => Ok(Discuss::Off),
            toml::Value::String(s) => HttpUrl::parse(&s)
                .map(Discuss::At)
                .map_err(serde::de::Error::custom),
            _ => Err(serde::de::Error::custom(
                "discuss is the URL of the conversation, or `false` to show no discuss link",
            )),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum EventStatus {
    #[default]
    Scheduled,
    Cancelled,
    Postponed,
    #[serde(alias = "moved")]
    MovedOnline,
}
