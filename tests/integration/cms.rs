//! The content editor (#24): Decap's config generated from the content model, read back
//! with a YAML parser and held to `PageFront`'s own list of keys; and the dev server as
//! Decap's local backend (cms_backend.rs).

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use kring::cms::config::{self, SectionModel, SiteModel};
use kring::cms::fields::{DATE_FORMAT, DATETIME_FORMAT, EVENT_STATUSES, URL_PATTERN};
use kring::content::frontmatter::{PageFront, kind_takes};
use kring::time::WrittenDate;
use kring::vocabulary::{EventStatus, Kind};
use serde::de::{self, Deserializer, Visitor};
use yaml_rust2::{Yaml, YamlLoader};

/// A serde Deserializer that only records the field names a struct asks for: the list of
/// `PageFront`'s keys as serde sees them (renames and all), without writing it down twice.
struct Recorder<'a>(&'a mut Vec<&'static str>);

impl<'de> Deserializer<'de> for Recorder<'_> {
    type Error = de::value::Error;
    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("only a struct is recorded"))
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.extend(fields);
        Err(de::Error::custom("recorded"))
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

fn page_front_keys() -> Vec<&'static str> {
    let mut keys = Vec::new();
    let _ = <PageFront as serde::Deserialize>::deserialize(Recorder(&mut keys));
    assert!(keys.len() > 40, "PageFront's keys were recorded: {keys:?}");
    keys
}

const KINDS: [Kind; 5] = [
    Kind::Articles,
    Kind::Pages,
    Kind::Masterclasses,
    Kind::Events,
    Kind::Members,
];

/// The keys a page of `kind` takes: those of every page, and its kind's own.
fn keys_of(kind: Kind) -> BTreeSet<&'static str> {
    page_front_keys()
        .into_iter()
        .filter(|k| kind_takes(kind, k) || !KINDS.iter().any(|&other| kind_takes(other, k)))
        .collect()
}

fn generated(site: &Path) -> (SiteModel, Yaml, String) {
    let model = config::read_site(site).unwrap_or_else(|e| panic!("{e}"));
    let text = config::render(&config::generate(&model), None);
    let mut docs = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    (model, docs.remove(0), text)
}

fn str_of<'a>(y: &'a Yaml, key: &str) -> Option<&'a str> {
    y[key].as_str()
}

fn list(y: &Yaml) -> &[Yaml] {
    y.as_vec().map_or(&[], Vec::as_slice)
}

fn field<'a>(fields: &'a Yaml, name: &str) -> &'a Yaml {
    list(fields)
        .iter()
        .find(|f| str_of(f, "name") == Some(name))
        .unwrap_or_else(|| panic!("no field {name}"))
}

/// A value as Decap writes it with the dayjs `format`, for the date tokens kring uses.
fn sample(format: &str) -> String {
    format
        .replace("YYYY", "2026")
        .replace("MM", "03")
        .replace("DD", "14")
        .replace("HH", "19")
        .replace("mm", "30")
        .replace("ss", "00")
}

/// Every check of the config against the model, for any site.
fn check_against_model(model: &SiteModel, y: &Yaml) {
    let collections = list(&y["collections"]);
    assert_eq!(collections.len(), model.sections.len());
    let left_out: BTreeSet<&str> = config::left_out(model).iter().map(|(k, _)| *k).collect();
    for (section, c) in model.sections.iter().zip(collections) {
        let name = config::collection_name(section);
        assert_eq!(str_of(c, "name"), Some(name.as_str()));
        assert_eq!(str_of(c, "format"), Some("toml-frontmatter"));
        assert_eq!(str_of(c, "extension"), Some("md"));
        let fields = &c["fields"];
        let names: BTreeSet<&str> = list(fields)
            .iter()
            .filter_map(|f| str_of(f, "name"))
            .collect();
        let mut expected: BTreeSet<&str> = keys_of(section.kind)
            .difference(&left_out)
            .copied()
            .collect();
        expected.insert("body");
        assert_eq!(
            names, expected,
            "{name} ({:?}): fields against PageFront's keys (less config::left_out)",
            section.kind
        );
        for f in list(fields) {
            let fname = str_of(f, "name").unwrap();
            // Every date the editor writes is one kring reads, of the kind meant.
            if str_of(f, "widget") == Some("datetime") {
                let format = str_of(f, "format").unwrap();
                let written = WrittenDate::parse(&sample(format))
                    .unwrap_or_else(|e| panic!("{name}.{fname}: {e}"));
                match fname {
                    "date" | "updated" => {
                        assert_eq!(format, DATE_FORMAT);
                        assert!(written.is_date_only());
                        assert_eq!(f["time_format"].as_bool(), Some(false));
                    }
                    _ => {
                        assert_eq!(format, DATETIME_FORMAT);
                        assert!(matches!(written, WrittenDate::Local(_)), "{fname}");
                    }
                }
            }
            if matches!(fname, "authors" | "hosts" | "speakers") {
                let members = model.members_collection.as_deref().unwrap();
                assert_eq!(str_of(f, "widget"), Some("relation"), "{name}.{fname}");
                assert_eq!(str_of(f, "collection"), Some(members));
                assert_eq!(f["multiple"].as_bool(), Some(true));
                let target = collections
                    .iter()
                    .zip(&model.sections)
                    .find(|(c, _)| str_of(c, "name") == Some(members))
                    .expect("the members collection exists");
                assert_eq!(target.1.kind, Kind::Members);
            }
            if fname.ends_with("url") || matches!(fname, "discuss" | "chat") {
                let pattern = list(&f["pattern"]);
                assert_eq!(pattern[0].as_str(), Some(URL_PATTERN), "{name}.{fname}");
            }
        }
        assert_eq!(field(fields, "title")["required"].as_bool(), Some(true));
        match section.kind {
            Kind::Events => {
                let status = field(fields, "status");
                let options: Vec<&str> = list(&status["options"])
                    .iter()
                    .filter_map(Yaml::as_str)
                    .collect();
                assert_eq!(options, EVENT_STATUSES);
                for o in options {
                    let parsed: Result<EventStatus, _> = toml::Value::String(o.into()).try_into();
                    assert!(parsed.is_ok(), "status {o} is one kring reads");
                }
                assert_eq!(field(fields, "start")["required"].as_bool(), Some(true));
                let location: BTreeSet<&str> = list(&field(fields, "location")["fields"])
                    .iter()
                    .filter_map(|f| str_of(f, "name"))
                    .collect();
                assert_eq!(location, BTreeSet::from(["name", "address", "url"]));
            }
            Kind::Masterclasses => {
                let sessions: BTreeSet<&str> = list(&field(fields, "sessions")["fields"])
                    .iter()
                    .filter_map(|f| str_of(f, "name"))
                    .collect();
                let expected = BTreeSet::from([
                    "title",
                    "start",
                    "end",
                    "duration",
                    "online_url",
                    "location",
                ]);
                assert_eq!(sessions, expected);
            }
            Kind::Members => {
                let links: BTreeSet<&str> = list(&field(fields, "links")["fields"])
                    .iter()
                    .filter_map(|f| str_of(f, "name"))
                    .collect();
                for n in &model.link_names {
                    assert!(links.contains(n.as_str()), "link {n}");
                }
            }
            _ => {}
        }
        if !model.taxonomies.is_empty() {
            let tax = field(fields, "taxonomies");
            let inner: Vec<&str> = list(&tax["fields"])
                .iter()
                .filter_map(|f| str_of(f, "name"))
                .collect();
            let own: Vec<&str> = model.taxonomies.keys().map(String::as_str).collect();
            assert_eq!(inner, own);
            for (t, terms) in &model.taxonomies {
                let hint = str_of(field(&tax["fields"], t), "hint").unwrap();
                for term in terms.iter().take(5) {
                    assert!(hint.contains(term.as_str()), "{t}: {term} in {hint}");
                }
            }
        }
        // Translations: every field is in each language's file, one way or the other.
        if model.languages.is_empty() {
            assert!(c["i18n"].is_badvalue(), "{name}");
        } else {
            assert_eq!(c["i18n"].as_bool(), Some(true), "{name}");
            for f in list(fields) {
                let i18n = &f["i18n"];
                assert!(
                    i18n.as_bool() == Some(true) || i18n.as_str() == Some("duplicate"),
                    "{name}.{:?} has i18n {i18n:?}",
                    str_of(f, "name")
                );
            }
        }
    }
}

#[test]
fn the_example_sites_config_follows_the_content_model() {
    let (_tmp, site) = fixture("example-site");
    let (model, y, _) = generated(&site);
    check_against_model(&model, &y);
    assert_eq!(y["i18n"]["structure"].as_str(), Some("multiple_files"));
    let locales: Vec<&str> = list(&y["i18n"]["locales"])
        .iter()
        .filter_map(Yaml::as_str)
        .collect();
    assert_eq!(locales, ["nl", "en"]);
    assert_eq!(y["i18n"]["default_locale"].as_str(), Some("nl"));
    assert_eq!(y["local_backend"]["url"].as_str(), Some("/api/v1"));
    assert_eq!(y["media_folder"].as_str(), Some("static/images"));
    let names: Vec<&str> = list(&y["collections"])
        .iter()
        .filter_map(|c| str_of(c, "name"))
        .collect();
    for n in ["pages", "articles", "events", "masterclasses", "members"] {
        assert!(names.contains(&n), "{n} in {names:?}");
    }
    // Sections whose pages are folders keep a page's images in its folder.
    let members = list(&y["collections"])
        .iter()
        .find(|c| str_of(c, "name") == Some("members"))
        .unwrap();
    assert_eq!(str_of(members, "path"), Some("{{slug}}/index"));
    assert_eq!(str_of(members, "media_folder"), Some(""));
    let root = &list(&y["collections"])[0];
    assert_eq!(str_of(root, "folder"), Some("content"));
    assert!(
        root["path"].is_badvalue(),
        "the root never reaches into sections"
    );
    // Terms in use are offered.
    assert!(model.taxonomies["topics"].len() > 2);
    assert!(model.tags.iter().any(|t| t == "Evenementen"));
}

#[test]
fn a_site_with_more_taxonomies_and_two_languages() {
    let (_tmp, site) = fixture("hub");
    let toml = read(&site, "kring.toml").replace(
        "[taxonomies]\n",
        "[taxonomies]\nplaces = {}\nformats = { feed = false }\n",
    );
    write(&site, "kring.toml", format!("{toml}\n[languages.de]\n"));
    write(
        &site,
        "content/articles/first.de.md",
        "+++\ntitle = \"Erster\"\ndate = 2026-01-10\n[taxonomies]\nplaces = [\"Köln\"]\n+++\nHallo\n",
    );
    let (model, y, text) = generated(&site);
    assert_eq!(
        model.taxonomies.keys().collect::<Vec<_>>(),
        ["formats", "places", "topics"]
    );
    assert!(model.taxonomies["places"].contains(&"Köln".to_string()));
    check_against_model(&model, &y);
    let locales: Vec<&str> = list(&y["i18n"]["locales"])
        .iter()
        .filter_map(Yaml::as_str)
        .collect();
    assert_eq!(locales, ["en", "de"]);
    // The same again: run twice, the same file.
    assert_eq!(config::render(&config::generate(&model), Some(&text)), text);
}

#[test]
fn a_key_the_model_gains_fails_the_check() {
    // The check itself: a config missing one key of the model is caught.
    let model = SiteModel {
        base_url: "https://x.example/".into(),
        language: "en".into(),
        timezone: "UTC".into(),
        sections: vec![SectionModel {
            dir: "events".into(),
            title: "Events".into(),
            kind: Kind::Events,
            bundles: false,
        }],
        ..SiteModel::default()
    };
    let mut generated = config::generate(&model);
    generated.collections[0]
        .fields
        .retain(|f| f.name != "recurrence");
    let text = config::render(&generated, None);
    let y = YamlLoader::load_from_str(&text).unwrap().remove(0);
    let caught = std::panic::catch_unwind(|| check_against_model(&model, &y));
    assert!(caught.is_err(), "a missing field must fail the check");
}
