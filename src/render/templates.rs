//! Tera, loaded with the theme's templates (overridden by the site's), and kring's
//! functions and filters: `get_url`, `get_page`, `get_section`, `get_taxonomy`, `trans`,
//! and the `date` filter that writes dates the local way.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use jiff::Zoned;
use jiff::tz::TimeZone;
use serde_json::{Value, json};
use tera::Tera;

use super::theme::Theme;
use super::views;
use crate::error::{Diagnostic, Error, Result};
use crate::model::Site;

/// What the template functions look things up in, shared across render threads.
#[derive(Default)]
pub struct Lookup {
    pub base_url: String,
    /// Content path (`articles/x.md`, `articles/_index.md`) → permalink.
    pub permalinks: Arc<HashMap<String, String>>,
    /// Content path → index into `summaries`.
    pub page_index: Arc<HashMap<String, usize>>,
    pub summaries: Arc<views::ListViews>,
    /// Content path of `_index.md` → (section view, its listed pages).
    pub sections: HashMap<String, (Value, Vec<usize>)>,
    /// Taxonomy name → view with terms (names, permalinks, page counts).
    pub taxonomies: HashMap<String, Value>,
    /// Upcoming events and masterclass sessions, soonest first: each view without its
    /// `page`, and the index of that page in `summaries` (added to the few `get_events`
    /// returns, rather than copied into every one).
    pub upcoming: Vec<(Value, usize)>,
}

/// The lookup tables, swappable so the dev server can refresh them without reloading Tera.
pub type SharedLookup = Arc<std::sync::RwLock<Arc<Lookup>>>;

fn current(lookup: &SharedLookup) -> Arc<Lookup> {
    lookup.read().unwrap_or_else(|e| e.into_inner()).clone()
}

pub struct Templates {
    pub tera: Tera,
    /// The photos `image()` and page bodies ask sizes of.
    pub photos: Arc<super::photos::PhotoShelf>,
    /// Template name → file shown in errors.
    pub sources: BTreeMap<String, PathBuf>,
}

impl Templates {
    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// Renders `name`; an error names the template file and the page being rendered.
    pub fn render(
        &self,
        name: &str,
        ctx: serde_json::Map<String, Value>,
        rendering: &str,
    ) -> Result<String> {
        let ctx = tera::Context::from_value(Value::Object(ctx)).expect("an object is a context");
        self.tera.render(name, &ctx).map_err(|e| {
            let file = self
                .sources
                .get(name)
                .cloned()
                .unwrap_or_else(|| PathBuf::from(name));
            Error::from(Diagnostic::new(
                file,
                format!("template error while rendering {rendering}: {}", chain(&e)),
            ))
        })
    }
}

/// A tera error with its causes: tera puts the useful part ("Variable `x` not found") in
/// the source chain, not the top message.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

pub fn load(
    theme: &Theme,
    site: &Site,
    lookup: SharedLookup,
    photos: Arc<super::photos::PhotoShelf>,
) -> Result<Templates> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's default also escapes `/` (as `&#x2F;`), which clutters every URL in the
    // output for no safety gain inside quoted attributes and text.
    tera.set_escape_fn(escape_html);
    let list: Vec<(String, String)> = theme
        .templates
        .iter()
        .map(|(n, s)| (n.clone(), s.text.clone()))
        .collect();
    let sources: BTreeMap<String, PathBuf> = theme
        .templates
        .iter()
        .map(|(n, s)| (n.clone(), s.shown.clone()))
        .collect();
    tera.add_raw_templates(list).map_err(|e| {
        // Parse errors name the template inside the message; point at its file too.
        let msg = chain(&e);
        let file = sources
            .iter()
            .find(|(name, _)| msg.contains(&format!("'{name}'")))
            .map(|(_, f)| f.clone())
            .unwrap_or_else(|| PathBuf::from("templates"));
        // Tera's parser reports ` --> LINE:COL`; lift it into the diagnostic.
        let mut d = Diagnostic::new(file, msg.clone());
        if let Some((line, column)) = msg.split_once("--> ").and_then(|(_, r)| {
            let pos = r.split_whitespace().next()?;
            let (l, c) = pos.split_once(':')?;
            Some((l.parse().ok()?, c.parse().ok()?))
        }) {
            d.line = Some(line);
            d.column = Some(column);
        }
        Error::from(d)
    })?;

    if let Some((blame, chain)) = super::cycles::find_cycle(&tera) {
        let file = sources
            .get(&blame)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(&blame));
        return Err(Diagnostic::new(
            file,
            format!("templates include or call each other in a loop that never ends: {chain}"),
        )
        .into());
    }

    let strings = Strings::for_site(theme, &site.config);
    register(
        &mut tera,
        lookup,
        strings,
        site.config.timezone.tz().clone(),
    );
    super::photos::register(&mut tera, photos.clone());
    Ok(Templates {
        tera,
        sources,
        photos,
    })
}

/// Sections and pages that name a template the theme does not have: each an error at its
/// `template` or `page_template` key, instead of a quiet fallback to the default.
pub fn check_named_templates(site: &Site, templates: &Templates) -> Result<()> {
    let mut problems = crate::error::Problems::default();
    fn missing<'a>(name: &'a Option<String>, templates: &Templates) -> Option<&'a str> {
        name.as_deref().filter(|t| !templates.has(t))
    }
    let message = |key: &str, name: &str| {
        format!(
            "{key} = \"{name}\" names a template that is neither in templates/ nor in the theme"
        )
    };
    for section in &site.sections {
        let Some(file) = &section.file else { continue };
        for (key, name) in [
            ("template", &section.template),
            ("page_template", &section.page_template),
        ] {
            if let Some(name) = missing(name, templates) {
                problems.push(file.error_at_key(key, message(key, name)));
            }
        }
    }
    for page in &site.pages {
        if let Some(name) = missing(&page.template, templates) {
            problems.push(
                page.file
                    .error_at_key("template", message("template", name)),
            );
        }
    }
    problems.into_result()
}

/// Escapes text for HTML content and quoted attributes.
pub fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    // Every value a template shows passes here: copy the runs between the five characters
    // (all ASCII, so a byte index is a character boundary) rather than char by char.
    let mut from = 0;
    for (at, b) in input.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&input[from..at]);
        out.push_str(entity);
        from = at + 1;
    }
    out.push_str(&input[from..]);
    out
}

/// UI strings for the site's language, falling back to English.
#[derive(Clone)]
pub struct Strings {
    lang: String,
    table: Arc<toml::Table>,
    fallback: Arc<toml::Table>,
    /// Names for dates, looked up once: the `date` filter runs for every date shown.
    months: Arc<Vec<String>>,
    months_short: Arc<Vec<String>>,
    weekdays: Arc<Vec<String>>,
}

impl Strings {
    /// The strings of `site`'s language: the theme's, with the names `kring.toml` gives its
    /// taxonomies (`taxonomy_<name>`) in that language.
    pub fn for_site(theme: &Theme, config: &crate::config::Config) -> Strings {
        let lang = config.language.as_str();
        let mut table = theme.i18n.get(lang).cloned().unwrap_or_default();
        for (name, settings) in &config.taxonomies {
            if let Some(title) = settings.name_in(lang) {
                table.insert(format!("taxonomy_{name}"), toml::Value::from(title));
            }
        }
        Strings::with_table(theme, lang, table)
    }

    pub fn new(theme: &Theme, lang: &str) -> Strings {
        Strings::with_table(
            theme,
            lang,
            theme.i18n.get(lang).cloned().unwrap_or_default(),
        )
    }

    fn with_table(theme: &Theme, lang: &str, table: toml::Table) -> Strings {
        let mut strings = Strings {
            lang: lang.to_string(),
            table: Arc::new(table),
            fallback: Arc::new(theme.i18n.get("en").cloned().unwrap_or_default()),
            months: Arc::default(),
            months_short: Arc::default(),
            weekdays: Arc::default(),
        };
        strings.months = Arc::new(strings.list("months"));
        strings.months_short = Arc::new(strings.list("months_short"));
        strings.weekdays = Arc::new(strings.list("weekdays"));
        strings
    }
    pub fn get(&self, key: &str) -> Option<&toml::Value> {
        self.table.get(key).or_else(|| self.fallback.get(key))
    }
    pub fn text(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(|v| v.as_str())
    }
    /// A list of strings (`weekdays`, `ordinals`), empty when there is none.
    pub fn list(&self, key: &str) -> Vec<String> {
        self.get(key)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn arg<'a>(
    args: &'a HashMap<String, Value>,
    name: &str,
    function: &str,
) -> tera::Result<&'a Value> {
    args.get(name)
        .ok_or_else(|| tera::Error::msg(format!("{function}() needs a `{name}` argument")))
}

fn arg_str<'a>(
    args: &'a HashMap<String, Value>,
    name: &str,
    function: &str,
) -> tera::Result<&'a str> {
    arg(args, name, function)?
        .as_str()
        .ok_or_else(|| tera::Error::msg(format!("{function}(): `{name}` must be a string")))
}

fn register(tera: &mut Tera, lookup: SharedLookup, strings: Strings, site_tz: TimeZone) {
    let l = lookup.clone();
    tera.register_function("get_url", move |args: &HashMap<String, Value>| {
        let l = current(&l);
        let path = arg_str(args, "path", "get_url")?;
        if let Some(content) = path.strip_prefix("@/") {
            let (file, anchor) = content
                .split_once('#')
                .map_or((content, None), |(f, a)| (f, Some(a)));
            let url = l.permalinks.get(file).ok_or_else(|| {
                tera::Error::msg(format!(
                    "get_url: no content file `{file}` (paths are relative to content/)"
                ))
            })?;
            return Ok(Value::from(match anchor {
                Some(a) => format!("{url}#{a}"),
                None => url.clone(),
            }));
        }
        Ok(Value::from(format!(
            "{}{}",
            l.base_url,
            path.trim_start_matches('/')
        )))
    });

    let l = lookup.clone();
    tera.register_function("get_page", move |args: &HashMap<String, Value>| {
        let l = current(&l);
        let path = arg_str(args, "path", "get_page")?.trim_start_matches("@/");
        l.page_index
            .get(path)
            .map(|&i| l.summaries.get(i))
            .ok_or_else(|| tera::Error::msg(format!("get_page: no page `{path}` (paths are relative to content/, e.g. articles/welcome.md)")))
    });

    let l = lookup.clone();
    tera.register_function("get_section", move |args: &HashMap<String, Value>| {
        let l = current(&l);
        let path = arg_str(args, "path", "get_section")?.trim_start_matches("@/");
        let limit = args
            .get("limit")
            .and_then(Value::as_u64)
            .map(|n| n as usize);
        let (view, pages) = l.sections.get(path).ok_or_else(|| {
            tera::Error::msg(format!(
                "get_section: no section `{path}` (e.g. articles/_index.md)"
            ))
        })?;
        // `featured=true`: only pages whose `[extra] featured` is true. Filtering here, not
        // in the template, copies only what is shown instead of the whole section.
        let featured = args.get("featured").and_then(Value::as_bool) == Some(true);
        let mut view = view.clone();
        let list: Vec<Value> = pages
            .iter()
            .filter(|&&i| !featured || l.summaries.featured(i))
            .take(limit.unwrap_or(usize::MAX))
            .map(|&i| l.summaries.get(i))
            .collect();
        view.as_object_mut()
            .expect("section views are objects")
            .insert("pages".into(), Value::from(list));
        Ok(view)
    });

    let l = lookup.clone();
    tera.register_function("get_taxonomy", move |args: &HashMap<String, Value>| {
        let l = current(&l);
        let name = arg_str(args, "name", "get_taxonomy")?;
        Ok(l.taxonomies
            .get(name)
            .cloned()
            .unwrap_or_else(|| json!({ "name": name, "terms": [] })))
    });

    let l = lookup.clone();
    tera.register_function("get_events", move |args: &HashMap<String, Value>| {
        let l = current(&l);
        let limit = args
            .get("limit")
            .and_then(Value::as_u64)
            .map_or(usize::MAX, |n| n as usize);
        let events = l.upcoming.iter().take(limit).map(|(view, page)| {
            let mut view = view.clone();
            if let Value::Object(v) = &mut view {
                v.insert("page".into(), l.summaries.get(*page));
            }
            view
        });
        Ok(Value::from(events.collect::<Vec<_>>()))
    });

    let s = strings.clone();
    tera.register_function("trans", move |args: &HashMap<String, Value>| {
        let key = arg_str(args, "key", "trans")?;
        // `default="…"`: what to show when neither language has the string.
        let fallback = args.get("default").and_then(Value::as_str);
        let text = s.text(key).or(fallback).ok_or_else(|| {
            tera::Error::msg(format!(
                "trans: no string `{key}` in i18n/{}.toml or i18n/en.toml",
                s.lang
            ))
        })?;
        // `trans(key="reading_time", n=5)` fills `{n}`.
        let mut out = text.to_string();
        for (k, v) in args.iter().filter(|(k, _)| *k != "key" && *k != "default") {
            let v = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            out = out.replace(&format!("{{{k}}}"), &v);
        }
        Ok(Value::from(out))
    });

    // Tera's own `slugify` needs its chrono-heavy "builtins"; kring's slugs come from `slug`.
    tera.register_filter("slugify", |value: &Value, _: &HashMap<String, Value>| {
        let text = value
            .as_str()
            .ok_or_else(|| tera::Error::msg("slugify: expects a string"))?;
        Ok(Value::from(crate::model::routes::slug_of(text)))
    });

    let (s, tz) = (strings.clone(), site_tz.clone());
    tera.register_filter(
        "recurrence",
        move |value: &Value, _: &HashMap<String, Value>| {
            let rule = value
                .as_str()
                .ok_or_else(|| tera::Error::msg("recurrence: expects a rule (FREQ=…)"))?;
            let rule = rule
                .parse()
                .map_err(|e| tera::Error::msg(format!("recurrence: {e}")))?;
            Ok(Value::from(super::recurrence_text::describe(
                &rule, &s, &tz,
            )))
        },
    );

    let s = strings;
    tera.register_filter(
        "date",
        move |value: &Value, args: &HashMap<String, Value>| {
            let text = value
                .as_str()
                .ok_or_else(|| tera::Error::msg("date: expects a date string"))?;
            let tz = match args.get("tz").and_then(Value::as_str) {
                Some(name) => TimeZone::get(name)
                    .map_err(|_| tera::Error::msg(format!("date: unknown time zone `{name}`")))?,
                None => site_tz.clone(),
            };
            let zoned = parse_moment(text, &tz)
                .ok_or_else(|| tera::Error::msg(format!("date: `{text}` is not a date")))?;
            let format = args.get("format").and_then(Value::as_str).unwrap_or("date");
            Ok(Value::from(format_date(&zoned, format, &s)))
        },
    );
}

/// A date as templates get them (RFC 3339), in `tz`.
fn parse_moment(text: &str, tz: &TimeZone) -> Option<Zoned> {
    if let Ok(ts) = jiff::Timestamp::from_str(text) {
        return Some(ts.to_zoned(tz.clone()));
    }
    jiff::civil::Date::from_str(text)
        .ok()
        .and_then(|d| d.to_zoned(tz.clone()).ok())
}

/// Formats with a named pattern from the UI strings (`date_formats.long` …) or, if the
/// format is not a name, with that pattern itself. Placeholders: `{weekday}`, `{day}`,
/// `{month}`, `{month_short}`, `{year}`, `{hour}` (24 h, 2 digits), `{hour12}`, `{minute}`,
/// `{ampm}`, `{zone}` (abbreviation, e.g. CET), `{iso}`.
pub fn format_date(z: &Zoned, format: &str, strings: &Strings) -> String {
    let pattern = strings
        .get("date_formats")
        .and_then(|t| t.get(format))
        .and_then(|v| v.as_str())
        .map(String::from)
        .unwrap_or_else(|| format.to_string());
    let (months, months_short, weekdays) =
        (&strings.months, &strings.months_short, &strings.weekdays);
    let month = z.month() as usize - 1;
    let weekday = z.weekday().to_monday_zero_offset() as usize;
    let hour12 = match z.hour() % 12 {
        0 => 12,
        h => h,
    };
    let ampm = if z.hour() < 12 { "AM" } else { "PM" };
    // One pass over the pattern, each placeholder made only when it is used: dates are
    // formatted many times a page (lists, related articles), and eleven `replace`s each
    // copied the whole string, with the zone's name looked up every time.
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut rest = pattern.as_str();
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let name = rest[1..].find('}').map(|close| &rest[1..=close]);
        let value = match name {
            Some("weekday") => weekdays.get(weekday).cloned().unwrap_or_default(),
            Some("day") => z.day().to_string(),
            Some("month_short") => months_short.get(month).cloned().unwrap_or_default(),
            Some("month") => months.get(month).cloned().unwrap_or_default(),
            Some("year") => z.year().to_string(),
            Some("hour12") => hour12.to_string(),
            Some("hour") => format!("{:02}", z.hour()),
            Some("minute") => format!("{:02}", z.minute()),
            Some("ampm") => ampm.to_string(),
            Some("zone") => z.strftime("%Z").to_string(),
            Some("iso") => z.date().to_string(),
            _ => {
                out.push('{');
                rest = &rest[1..];
                continue;
            }
        };
        out.push_str(&value);
        rest = &rest[name.map_or(1, |n| n.len() + 2)..];
    }
    out.push_str(rest);
    out
}

/// Builds the lookup tables the template functions use.
pub fn lookup(site: &Site, summaries: Arc<views::ListViews>) -> Lookup {
    let mut permalinks = HashMap::new();
    let mut page_index = HashMap::new();
    for s in &site.sections {
        permalinks.insert(s.index_file(), s.permalink.clone());
    }
    for (i, p) in site.pages.iter().enumerate() {
        permalinks.insert(p.file.rel.clone(), p.permalink.clone());
        page_index.insert(p.file.rel.clone(), i);
    }
    lookup_with(site, summaries, Arc::new(permalinks), Arc::new(page_index))
}

/// The lookup tables after an edit that moved no page (the dev server's fast path): the
/// maps of paths are kept, the lists and views made again.
pub fn lookup_with(
    site: &Site,
    summaries: Arc<views::ListViews>,
    permalinks: Arc<HashMap<String, String>>,
    page_index: Arc<HashMap<String, usize>>,
) -> Lookup {
    let sections = site
        .sections
        .iter()
        .map(|s| {
            (
                s.index_file(),
                (views::section_view(site, s), s.pages.clone()),
            )
        })
        .collect();
    let taxonomies = site
        .taxonomies
        .iter()
        .map(|t| (t.name.clone(), super::views::TaxonomyView::of(t).value()))
        .collect();
    let (upcoming, _) = crate::model::schedule::upcoming_and_past(&site.schedule, &site.now);
    let upcoming = upcoming
        .into_iter()
        .map(|h| (views::happening_view(site, h, None), h.page))
        .collect();
    Lookup {
        upcoming,
        // Paths that are not content (static files) are the whole site's, in every language.
        base_url: site.config.root_url().as_str().to_string(),
        permalinks,
        page_index,
        summaries,
        sections,
        taxonomies,
    }
}

#[cfg(test)]
mod escape_tests {
    #[test]
    fn escapes_the_five_characters_and_keeps_the_rest() {
        assert_eq!(
            super::escape_html("<!--<script>'é'&&\"</script>\0\r日本>"),
            "&lt;!--&lt;script&gt;&#39;é&#39;&amp;&amp;&quot;&lt;/script&gt;\0\r日本&gt;"
        );
        assert_eq!(super::escape_html(""), "");
        assert_eq!(super::escape_html("plain"), "plain");
    }
}
