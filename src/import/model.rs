//! What an export holds, read into kring's terms: posts (articles or pages) and the people
//! who wrote them. Each platform's reader fills these; the rest of the import does not know
//! which platform they came from.

use super::comments::{Comment, Counts};

/// Everything read from one export, before anything is written.
#[derive(Debug, Default)]
pub struct Export {
    pub posts: Vec<Post>,
    pub authors: Vec<Author>,
    /// Items left out, with the reason, for the report.
    pub skipped: Vec<Skipped>,
    /// Things the report must say (e.g. that a subscriber list was not read).
    pub notes: Vec<String>,
    /// The old site's name and language (`nl`, `en`), when the export says: a site made by
    /// the import takes them.
    pub title: Option<String>,
    pub language: Option<String>,
    /// Hosts of the old site: a link to one of them that names an imported post becomes an
    /// `@/` link.
    pub old_hosts: Vec<String>,
    /// Readers' comments in the export, by state (the report counts them).
    pub comments: Counts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostKind {
    Article,
    /// A static page (about, contact): a plain page at the top of the site.
    Page,
}

/// Who may read a post on the old platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Everyone,
    /// Free subscribers or members only.
    Members,
    /// Paying subscribers only.
    Paid,
    /// WordPress's private posts (only logged-in editors saw them).
    Private,
    /// Behind a password (the password is never imported).
    Password,
}

impl Audience {
    /// The value of `[extra] audience` for a post that was not public.
    pub fn note(self) -> Option<&'static str> {
        match self {
            Audience::Everyone => None,
            Audience::Members => Some("members"),
            Audience::Paid => Some("paid"),
            Audience::Private => Some("private"),
            Audience::Password => Some("password"),
        }
    }
}

/// One post or page of the export.
#[derive(Debug, Clone)]
pub struct Post {
    /// Where in the export it came from, for messages: `posts/123.my-slug.html`.
    pub source: String,
    pub kind: PostKind,
    /// The slug on the old site (before it is made unique in the new one).
    pub slug: String,
    pub title: String,
    pub date: Option<toml::value::Datetime>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// Keys into [`Export::authors`].
    pub authors: Vec<String>,
    /// Sent as an issue of the newsletter.
    pub newsletter: bool,
    /// Not published on the old site.
    pub draft: bool,
    pub audience: Audience,
    /// Sent by email only, never on the old site's web pages.
    pub email_only: bool,
    /// The cover image: its absolute URL and alt text.
    pub cover: Option<(String, String)>,
    /// The post's path on the old site (`/p/my-slug`): it becomes an alias, and links to it
    /// from other posts become `@/` links.
    pub old_path: Option<String>,
    /// The body, cleaned of the platform's furniture, with absolute URLs.
    pub html: String,
    /// Embeds turned into videos or links while cleaning.
    pub embeds: usize,
    /// Its approved comments (see `comments`), and the Markdown they become with
    /// `--comments` (appended to the body).
    pub comments: Vec<Comment>,
    pub replies: String,
    /// What cleaning removed or could not convert, for the report.
    pub removed: Vec<(super::tally::Removal, String)>,
}

impl Post {
    /// A post with no body yet and everything else empty.
    pub fn new(source: String, kind: PostKind, slug: String, title: String) -> Post {
        Post {
            source,
            kind,
            slug,
            title,
            date: None,
            description: None,
            tags: Vec::new(),
            authors: Vec::new(),
            newsletter: false,
            draft: false,
            audience: Audience::Everyone,
            email_only: false,
            cover: None,
            old_path: None,
            html: String::new(),
            embeds: 0,
            comments: Vec::new(),
            replies: String::new(),
            removed: Vec::new(),
        }
    }

    /// Kept as a draft because it was not meant for everyone on the web.
    pub fn held_back(&self) -> bool {
        self.audience != Audience::Everyone || self.email_only
    }
}

/// A person who wrote posts: becomes a member of the site. No e-mail address is ever read
/// into this.
#[derive(Debug, Clone, Default)]
pub struct Author {
    /// The export's own key for them (Ghost user id, WordPress login).
    pub key: String,
    pub name: String,
    pub slug: String,
    pub bio: Option<String>,
    pub location: Option<String>,
    pub website: Option<String>,
    /// The avatar's absolute URL.
    pub avatar: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Skipped {
    pub what: String,
    pub why: String,
}

impl Export {
    pub fn skip(&mut self, what: impl Into<String>, why: impl Into<String>) {
        self.skipped.push(Skipped {
            what: what.into(),
            why: why.into(),
        });
    }
}

/// A one-line text from an export (a title, a name, a tag), made safe to write: no control
/// characters (`\0`, `\r`, escape sequences), no characters kring uses as markers while
/// converting, every run of white space (line breaks too) one space, none around it.
pub fn clean_text(s: &str) -> String {
    let kept: String = s
        .chars()
        .filter(|&c| (!c.is_control() || c.is_whitespace()) && !is_marker(c))
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A body from an export, made safe to convert: line breaks as `\n` (a lone `\r` is one
/// too, as HTML reads it), no control characters but tab and line breaks, no marker
/// characters.
pub fn clean_html(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|&c| (!c.is_control() || c == '\n' || c == '\t') && !is_marker(c))
        .collect()
}

/// The path of `url` as a key for finding posts by their old address: no trailing slash,
/// no query or fragment, percent-escapes decoded (an export writes `%ce%b5` where a link
/// in a post has `%CE%B5` or the letter itself), runs of slashes one (WordPress writes
/// `…com//greek/…` for a page under a parent): `/p/my-slug/?utm=x` → `/p/my-slug`.
pub fn path_key(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let mut key = String::with_capacity(decoded.len());
    for c in decoded.chars() {
        if !(c == '/' && key.ends_with('/')) {
            key.push(c);
        }
    }
    let trimmed = key.trim_end_matches('/');
    if trimmed.is_empty() {
        "/".into()
    } else {
        trimmed.to_string()
    }
}

/// A slug as an export writes it, made kring's: percent-escapes decoded first (WordPress
/// and Ghost store a Greek slug as `%ce%b5%cf%80…`, which would otherwise become
/// `ce-b5-cf-80-…`), then kring's own slug rule, the one a page's file name goes through
/// (`επίπεδο-2` → `epipedo-2`). A byte that is not UTF-8 (`%ff`) or a control character
/// (`%00`) is dropped; an encoded slash (`%2F`) is a separator like any other.
pub fn slug_of(raw: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
    slug::slugify(clean_text(&decoded.replace('\u{FFFD}', " ")))
}

/// A date written as milliseconds since 1970 (Ghost's exports before 1.0, and some
/// after), or `None` for 0 (a date never set) and what no calendar holds.
pub fn epoch_millis(ms: i64) -> Option<toml::value::Datetime> {
    if ms == 0 {
        return None;
    }
    let ts = jiff::Timestamp::from_second(ms.div_euclid(1000)).ok()?;
    if ts.to_zoned(jiff::tz::TimeZone::UTC).year() < 1 {
        return None;
    }
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string().parse().ok()
}

/// Unicode's private-use characters, which the conversion to Markdown uses as markers.
pub fn is_marker(c: char) -> bool {
    ('\u{E000}'..='\u{F8FF}').contains(&c)
}

/// A date or date-time as an export writes it (`2019-07-26T20:48:19.814Z`,
/// `2023-10-10 02:14:43`, `2024-01-05`) as a TOML date-time in UTC (seconds kept,
/// fractions dropped), or `None` when it is not one.
pub fn datetime(s: &str) -> Option<toml::value::Datetime> {
    let s = s.trim();
    if s.is_empty() || s.starts_with("0000") {
        return None;
    }
    if s.len() == 10 {
        return s
            .parse::<jiff::civil::Date>()
            .ok()
            .and_then(|d| d.to_string().parse().ok());
    }
    if let Ok(ts) = s.parse::<jiff::Timestamp>() {
        let second = ts.as_second();
        let ts = jiff::Timestamp::from_second(second).ok()?;
        return ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string().parse().ok();
    }
    if let Ok(dt) = s.replace(' ', "T").parse::<jiff::civil::DateTime>() {
        let ts = dt.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
        return datetime(&ts.to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_dates_become_utc_date_times() {
        let d = |s: &str| datetime(s).map(|d| d.to_string());
        assert_eq!(
            d("2019-07-26T20:48:19.814Z").as_deref(),
            Some("2019-07-26T20:48:19Z")
        );
        assert_eq!(
            d("2023-10-10 02:14:43").as_deref(),
            Some("2023-10-10T02:14:43Z")
        );
        assert_eq!(d("2024-01-05").as_deref(), Some("2024-01-05"));
        assert_eq!(d("0000-00-00 00:00:00"), None);
        assert_eq!(d("yesterday"), None);
        assert_eq!(d(""), None);
    }

    #[test]
    fn epoch_milliseconds_become_utc_date_times() {
        let d = |ms: i64| epoch_millis(ms).map(|d| d.to_string());
        assert_eq!(d(1388318310783).as_deref(), Some("2013-12-29T11:58:30Z"));
        assert_eq!(d(-1).as_deref(), Some("1969-12-31T23:59:59Z"));
        assert_eq!(d(0), None);
        assert_eq!(d(i64::MAX), None);
        assert_eq!(d(i64::MIN), None);
    }

    #[test]
    fn old_paths_are_keyed_decoded_with_single_slashes() {
        assert_eq!(path_key("//greek/%ce%b5-2/"), "/greek/ε-2");
        assert_eq!(path_key("/greek/%CE%B5-2"), "/greek/ε-2");
        assert_eq!(path_key("/p/x/?utm=1#top"), "/p/x");
        assert_eq!(path_key("///"), "/");
        assert_eq!(
            slug_of("%ce%b5%cf%80%ce%af%cf%80%ce%b5%ce%b4%ce%bf-2"),
            "epipedo-2"
        );
        assert_eq!(slug_of("a%2Fb%00c%ffd"), "a-bc-d");
        assert_eq!(slug_of("%e2%82"), "");
    }

    #[test]
    fn control_characters_and_markers_are_dropped() {
        assert_eq!(
            clean_text(" a\0b\r\n c\u{1b}[31m\u{E000}\t d "),
            "ab c[31m d"
        );
    }
}
