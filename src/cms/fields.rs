//! Decap's fields for kring's front matter, one kind at a time: the keys of
//! [`PageFront`](crate::content::frontmatter::PageFront) that a page of the kind takes, each
//! with the widget whose output kring reads back.

use serde::Serialize;

use super::config::SiteModel;
use crate::vocabulary::Kind;

/// The widgets kring's keys use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Widget {
    String,
    Text,
    Markdown,
    Boolean,
    Number,
    Datetime,
    Image,
    List,
    Object,
    Select,
    Relation,
}

/// A field's part in translations: `true` (each language its own value) or `"duplicate"`
/// (one value, copied to every language: a start time is the same in both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum FieldI18n {
    Translate(bool),
    Duplicate(&'static str),
}

/// One Decap field. Only what kring's keys need.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    pub name: String,
    pub label: String,
    pub widget: Widget,
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Default>,
    /// `[regex, message]`, checked by the editor before it saves.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<[String; 2]>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiple: Option<bool>,
    /// Datetime: how the value is written (dayjs tokens).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_format: Option<&'static str>,
    /// Datetime: `false` for a date alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_format: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_type: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collection: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_field: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub search_fields: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub display_fields: Vec<&'static str>,
    /// Object and list: the fields inside.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub i18n: Option<FieldI18n>,
}

/// A default value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Default {
    Bool(bool),
    Int(i64),
    Text(String),
}

impl Field {
    pub fn new(name: &str, label: &str, widget: Widget) -> Field {
        Field {
            name: name.into(),
            label: label.into(),
            widget,
            required: false,
            hint: None,
            default: None,
            pattern: None,
            options: Vec::new(),
            multiple: None,
            format: None,
            date_format: None,
            time_format: None,
            value_type: None,
            min: None,
            collection: None,
            value_field: None,
            search_fields: Vec::new(),
            display_fields: Vec::new(),
            fields: Vec::new(),
            i18n: None,
        }
    }
    pub(super) fn required(mut self) -> Field {
        self.required = true;
        self
    }
    pub(super) fn hint(mut self, hint: impl Into<String>) -> Field {
        self.hint = Some(hint.into());
        self
    }
    pub(super) fn default(mut self, d: Default) -> Field {
        self.default = Some(d);
        self
    }
    fn same_in_every_language(mut self) -> Field {
        self.i18n = Some(FieldI18n::Duplicate("duplicate"));
        self
    }
    pub(super) fn with(mut self, fields: Vec<Field>) -> Field {
        self.fields = fields;
        self
    }
}

/// `https://…` only: kring refuses other schemes (`javascript:`) in every URL key.
pub const URL_PATTERN: &str = "^https?://[^\\s]+$";
/// How a date-time is written: wall-clock time without an offset, which kring reads in the
/// page's `timezone` (or the site's). The browser's own zone never enters it: Decap formats
/// the picked local time with these tokens.
pub const DATETIME_FORMAT: &str = "YYYY-MM-DDTHH:mm:ss";
/// How a date alone is written.
pub const DATE_FORMAT: &str = "YYYY-MM-DD";
/// A duration as kring reads it: `90m`, `2h`, `1h30m` or ISO 8601 (`PT1H30M`).
pub const DURATION_PATTERN: &str = "^([0-9]+h)?([0-9]+m)?$|^P(T?[0-9HMDS.]+)+$";
/// The values of `status` (see [`EventStatus`](crate::vocabulary::EventStatus)).
pub const EVENT_STATUSES: [&str; 4] = ["scheduled", "cancelled", "postponed", "moved-online"];

pub(super) fn url(name: &str, label: &str) -> Field {
    let mut f = Field::new(name, label, Widget::String).same_in_every_language();
    f.pattern = Some([
        URL_PATTERN.into(),
        "a web address starting with https://".into(),
    ]);
    f
}

fn date(name: &str, label: &str) -> Field {
    let mut f = Field::new(name, label, Widget::Datetime).same_in_every_language();
    f.format = Some(DATE_FORMAT);
    f.date_format = Some(DATE_FORMAT);
    f.time_format = Some(false);
    f
}

fn datetime(name: &str, label: &str, zone: &str) -> Field {
    let mut f = Field::new(name, label, Widget::Datetime).same_in_every_language();
    f.format = Some(DATETIME_FORMAT);
    f.hint = Some(format!(
        "Local time in the page's time zone ({zone} unless the page says otherwise)"
    ));
    f
}

fn flag(name: &str, label: &str) -> Field {
    Field::new(name, label, Widget::Boolean).same_in_every_language()
}

/// A list of words, with the ones the site already uses in the hint (Decap's list widget
/// takes new ones; a select would not).
fn terms(name: &str, label: &str, existing: &[String]) -> Field {
    let mut shown: Vec<&str> = existing.iter().map(String::as_str).take(30).collect();
    if existing.len() > shown.len() {
        shown.push("…");
    }
    let f = Field::new(name, label, Widget::List);
    if shown.is_empty() {
        f.hint("Separate with commas")
    } else {
        f.hint(format!(
            "Separate with commas. In use: {}",
            shown.join(", ")
        ))
    }
}

/// Members by id (their file or folder name), or plain names when the site has no members
/// section.
fn people(name: &str, label: &str, site: &SiteModel) -> Field {
    match &site.members_collection {
        Some(members) => {
            let mut f = Field::new(name, label, Widget::Relation).same_in_every_language();
            f.collection = Some(members.clone());
            f.value_field = Some("{{slug}}");
            f.search_fields = vec!["title", "name"];
            f.display_fields = vec!["title"];
            f.multiple = Some(true);
            f
        }
        None => Field::new(name, label, Widget::List).same_in_every_language(),
    }
}

fn location() -> Field {
    Field::new("location", "Location", Widget::Object).with(vec![
        Field::new("name", "Name", Widget::String),
        Field::new("address", "Address", Widget::String),
        url("url", "Web address"),
    ])
}

/// The fields every page takes, then those of `kind`, then the body. Keys left out are in
/// [`left_out`](super::config::left_out).
pub fn for_kind(kind: Kind, site: &SiteModel) -> Vec<Field> {
    let zone = site.timezone.as_str();
    let mut f = vec![
        Field::new("title", "Title", Widget::String).required(),
        Field::new("description", "Description", Widget::Text),
        date("date", "Date"),
        date("updated", "Updated"),
        flag("draft", "Draft").default(Default::Bool(false)),
        {
            let mut s = Field::new("slug", "Address (slug)", Widget::String);
            s.pattern = Some([
                "^[a-z0-9]+(-[a-z0-9]+)*$".into(),
                "lower-case letters, digits and dashes".into(),
            ]);
            s
        },
        terms("tags", "Tags", &site.tags),
    ];
    if !site.taxonomies.is_empty() {
        let inner = site
            .taxonomies
            .iter()
            .map(|(name, existing)| terms(name, name, existing))
            .collect();
        f.push(Field::new("taxonomies", "Taxonomies", Widget::Object).with(inner));
    }
    f.extend([
        Field::new("weight", "Weight (order)", Widget::Number).same_in_every_language(),
        Field::new("image", "Image", Widget::Image).same_in_every_language(),
        flag("in_menu", "In the menu"),
        flag("in_search", "In the search"),
        Field::new("aliases", "Old addresses", Widget::List)
            .same_in_every_language()
            .hint("Paths such as /p/old-slug: each redirects here"),
        Field::new("template", "Template", Widget::String).same_in_every_language(),
        Field::new("sponsored", "Sponsored", Widget::Object)
            .same_in_every_language()
            .with(vec![
                Field::new("by", "By", Widget::String),
                url("url", "Sponsor's web address"),
            ]),
        {
            let mut r = Field::new("related", "Read also", Widget::List)
                .hint("Pages as @/articles/name.md");
            r.i18n = Some(FieldI18n::Duplicate("duplicate"));
            r
        },
    ]);
    for w in &mut f {
        if w.name == "weight" {
            w.value_type = Some("int");
            w.default = Some(Default::Int(0));
        }
    }
    let kind_fields: Vec<Field> = match kind {
        Kind::Articles => vec![
            people("authors", "Authors", site),
            Field::new("series", "Series", Widget::String).hint(format!(
                "The series' name (one). In use: {}",
                site.series.join(", ")
            )),
            url("discuss", "Discussion"),
            flag("newsletter", "Sent as a newsletter"),
            {
                let mut n = Field::new("issue", "Newsletter issue", Widget::Number);
                n.value_type = Some("int");
                n.min = Some(1);
                n.same_in_every_language()
            },
        ],
        Kind::Pages => vec![
            people("authors", "Authors", site),
            url("discuss", "Discussion"),
        ],
        Kind::Masterclasses => vec![
            Field::new("level", "Level", Widget::String),
            Field::new("price", "Price", Widget::String),
            url("signup_url", "Sign-up address"),
            people("speakers", "Speakers", site),
            timezone(zone),
            Field::new("sessions", "Sessions", Widget::List)
                .same_in_every_language()
                .with(vec![
                    Field::new("title", "Title", Widget::String),
                    datetime("start", "Start", zone).required(),
                    datetime("end", "End", zone),
                    duration(),
                    url("online_url", "Online at"),
                    location(),
                ]),
            url("discuss", "Discussion"),
        ],
        Kind::Events => vec![
            datetime("start", "Start", zone).required(),
            datetime("end", "End", zone),
            duration(),
            timezone(zone),
            flag("all_day", "All day"),
            location().same_in_every_language(),
            url("online_url", "Online at"),
            url("registration_url", "Registration"),
            Field::new("price", "Price", Widget::String),
            people("hosts", "Hosts", site),
            {
                let mut s = Field::new("status", "Status", Widget::Select).same_in_every_language();
                s.options = EVENT_STATUSES.iter().map(|s| s.to_string()).collect();
                s.default = Some(Default::Text("scheduled".into()));
                s
            },
            Field::new("recurrence", "Repeats", Widget::String)
                .same_in_every_language()
                .hint("An RRULE such as FREQ=MONTHLY;BYDAY=1TH"),
            url("chat", "Chat"),
            url("discuss", "Discussion"),
        ],
        Kind::Members => vec![
            Field::new("name", "Name", Widget::String).same_in_every_language(),
            Field::new("role", "Role", Widget::String),
            Field::new("avatar", "Avatar", Widget::Image).same_in_every_language(),
            // A member's location is the town, a name (kring also reads a table, which an
            // object widget would need; a name in an object widget cannot be saved).
            Field::new("location", "Town", Widget::String),
            Field::new("pronouns", "Pronouns", Widget::String),
            Field::new("links", "Links", Widget::Object)
                .same_in_every_language()
                .with(site.link_names.iter().map(|n| url(n, n)).collect()),
            terms("skills", "Skills", &site.skills),
            Field::new("showcase", "Showcase", Widget::List).with(vec![
                Field::new("title", "Title", Widget::String).required(),
                url("url", "Web address"),
                Field::new("image", "Image", Widget::Image),
                Field::new("description", "Description", Widget::Text),
            ]),
            flag("listed", "Listed on the members page"),
        ],
    };
    f.extend(kind_fields);
    f.push(Field::new("body", "Body", Widget::Markdown));
    f
}

fn timezone(site_zone: &str) -> Field {
    Field::new("timezone", "Time zone", Widget::String)
        .same_in_every_language()
        .hint(format!(
            "An IANA name such as Europe/Amsterdam; empty: the site's ({site_zone})"
        ))
}

fn duration() -> Field {
    let mut d = Field::new("duration", "Duration", Widget::String)
        .same_in_every_language()
        .hint("Instead of an end: 90m, 2h or 1h30m");
    d.pattern = Some([DURATION_PATTERN.into(), "such as 90m, 2h or 1h30m".into()]);
    d
}
