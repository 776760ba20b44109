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

#[test]
fn the_workflow_kring_ci_writes_rebuilds_on_the_branch_the_editor_commits_to() {
    let (tmp, site) = fixture("example-site");
    let model = config::read_site(&site).unwrap();
    let text = config::render(&config::generate(&model), None);
    let cms = YamlLoader::load_from_str(&text).unwrap().remove(0);
    let branch = cms["backend"]["branch"]
        .as_str()
        .expect("the backend's branch");
    for (platform, file) in [
        ("github", ".github/workflows/kring.yml"),
        ("netlify", ".github/workflows/kring.yml"),
        ("cloudflare", ".github/workflows/kring.yml"),
    ] {
        let dir = tmp.path().join(platform);
        copy_dir(&site, &dir);
        let (ok, out, err) = run(&["ci", platform, dir.to_str().unwrap()], tmp.path());
        assert!(ok, "{out}{err}");
        let workflow = YamlLoader::load_from_str(&read(&dir, file))
            .unwrap()
            .remove(0);
        let branches: Vec<&str> = list(&workflow["on"]["push"]["branches"])
            .iter()
            .filter_map(Yaml::as_str)
            .collect();
        assert!(
            branches.contains(&branch),
            "{platform}: the workflow runs on {branches:?}, the editor commits to {branch}"
        );
    }
}

#[test]
fn fields_the_editor_cleared_are_keys_left_out() {
    // What Decap writes for a field that was filled and cleared: `""`. kring reads it as the
    // key left out, in tables too; hand-written pages the same.
    let (_tmp, site) = fixture("example-site");
    write(
        &site,
        "content/events/cleared.md",
        "+++\ntitle = \"Geleegd\"\ndescription = \"\"\nstart = \"2026-12-18T19:30:00\"\n\
         end = \"\"\nduration = \"\"\ntimezone = \"\"\nonline_url = \"\"\nregistration_url = \"\"\n\
         price = \"\"\nstatus = \"\"\nrecurrence = \"\"\nchat = \"\"\nslug = \"\"\nimage = \"\"\n\
         template = \"\"\n\n[location]\nname = \"De Lindeboom\"\naddress = \"\"\nurl = \"\"\n+++\nBody.\n",
    );
    write(
        &site,
        "content/members/cleared.md",
        "+++\ntitle = \"Leeg Lid\"\nname = \"Leeg Lid\"\nrole = \"\"\nlocation = \"\"\npronouns = \"\"\navatar = \"\"\n\
         [links]\nwebsite = \"\"\nmastodon = \"\"\n\n[[showcase]]\ntitle = \"Iets\"\nurl = \"\"\n+++\n",
    );
    let out = build_ok(&site);
    let page = read(&out, "events/cleared/index.html");
    let doc = scraper::Html::parse_document(&page);
    let empty_links = doc
        .select(&scraper::Selector::parse("a[href=''], img[src='']").unwrap())
        .count();
    assert_eq!(empty_links, 0, "no link or image made of an empty key");
    assert!(page.contains("De Lindeboom") && page.contains("2026-12-18T19:30:00+01:00"));
    let member = read(&out, "members/cleared/index.html");
    assert!(member.contains("Leeg Lid"));
}

#[test]
fn pages_a_web_backend_writes_as_name_lang_md_are_read_in_the_default_language() {
    // On GitHub, GitLab or Gitea, Decap's `multiple_files` writes the default language's
    // file as `name.nl.md` too: kring reads it as the default language, paired with
    // `name.en.md`.
    let (_tmp, site) = fixture("example-site");
    for (lang, title) in [("nl", "Op het web gemaakt"), ("en", "Made on the web")] {
        write(
            &site,
            &format!("content/articles/web-made.{lang}.md"),
            format!("+++\ntitle = \"{title}\"\ndate = 2026-11-01\n+++\nText.\n"),
        );
    }
    let out = build_ok(&site);
    let nl = read(&out, "articles/web-made/index.html");
    let en = read(&out, "en/articles/web-made/index.html");
    assert!(nl.contains("Op het web gemaakt") && nl.contains("lang=\"nl\""));
    assert!(en.contains("Made on the web"));
    assert!(
        nl.contains("en/articles/web-made/"),
        "the two are each other's translations"
    );
}

// ---- kring's blocks as editor components ----

mod blocks;

// ---- The dev server as Decap's local backend ----

mod backend {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD as BASE64;
    use kring::serve::{DevServer, ServeOptions};
    use serde_json::{Value, json};
    use std::io::{Read, Write};
    use std::net::{SocketAddr, TcpStream};
    use std::time::{Duration, Instant};

    fn start(site: &Path) -> DevServer {
        let mut options = ServeOptions::new(site);
        options.port = 0;
        options.now = Some(NOW.parse().unwrap());
        let server = DevServer::start(&options).unwrap_or_else(|e| panic!("serve failed: {e}"));
        // The first build runs after `start` returns: the trees compared before and after
        // a request must not include what it writes.
        server.wait_built();
        server
    }

    /// A raw HTTP/1.1 request, so headers and paths go out exactly as written.
    fn raw(
        addr: SocketAddr,
        method: &str,
        path: &str,
        headers: &str,
        body: &[u8],
    ) -> (u16, String) {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        let head = format!(
            "{method} {path} HTTP/1.1\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        // A server that refuses early may close before the whole body is sent.
        let _ = stream.write_all(body);
        let mut out = Vec::new();
        let _ = stream.read_to_end(&mut out);
        let text = String::from_utf8_lossy(&out).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, body.to_string())
    }

    fn own_headers(addr: SocketAddr) -> String {
        format!("Host: {addr}\r\nOrigin: http://{addr}\r\nContent-Type: application/json\r\n")
    }

    fn api(addr: SocketAddr, action: &str, params: Value) -> (u16, Value) {
        let body = json!({ "action": action, "params": params }).to_string();
        let (status, text) = raw(addr, "POST", "/api/v1", &own_headers(addr), body.as_bytes());
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    fn ok(addr: SocketAddr, action: &str, params: Value) -> Value {
        let (status, v) = api(addr, action, params);
        assert_eq!(status, 200, "{action}: {v}");
        v
    }

    fn get(addr: SocketAddr, path: &str) -> (u16, String) {
        raw(addr, "GET", path, &format!("Host: {addr}\r\n"), b"")
    }

    fn eventually(addr: SocketAddr, path: &str, done: impl Fn(u16, &str) -> bool) -> String {
        let started = Instant::now();
        loop {
            let (status, body) = get(addr, path);
            if done(status, &body) {
                return body;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{path}: {status}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    const EVENT: &str = "+++\ntitle = \"Kerstborrel\"\nstart = \"2026-12-18T19:30:00\"\nend = \"2026-12-18T22:00:00\"\ntimezone = \"Europe/Amsterdam\"\nhosts = [\"noor\"]\n[location]\nname = \"De Lindeboom\"\n+++\nSoep en verhalen.\n";

    #[test]
    fn each_action_of_the_protocol() {
        let (_tmp, site) = fixture("example-site");
        let model = config::read_site(&site).unwrap();
        write(
            &site,
            "static/admin/config.yml",
            config::render(&config::generate(&model), None),
        );
        let server = start(&site);
        let addr = server.addr;

        // Decap takes only an absolute URL: the server puts its own address in.
        let (status, served) = get(addr, "/admin/config.yml");
        assert_eq!(status, 200);
        let served = YamlLoader::load_from_str(&served).unwrap().remove(0);
        assert_eq!(
            served["local_backend"]["url"].as_str(),
            Some(format!("http://{addr}/api/v1").as_str())
        );

        let info = ok(addr, "info", json!({}));
        assert_eq!(info["type"], "local_fs");
        assert_eq!(info["publish_modes"], json!(["simple"]));

        // The default language's files are shown as `name.nl.md` (Decap's multiple_files).
        let members = ok(
            addr,
            "entriesByFolder",
            json!({"folder": "content/members", "extension": "md", "depth": 2}),
        );
        let paths: Vec<&str> = members
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["file"]["path"].as_str().unwrap())
            .collect();
        assert!(paths.contains(&"content/members/amara.nl.md"), "{paths:?}");
        assert!(paths.contains(&"content/members/amara.en.md"));
        assert!(paths.contains(&"content/members/noor/index.nl.md"));
        assert!(
            !paths.iter().any(|p| p.contains("_index")),
            "sections are not entries"
        );
        let amara = members
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["file"]["path"] == "content/members/amara.nl.md")
            .unwrap();
        assert_eq!(
            amara["data"].as_str().unwrap(),
            read(&site, "content/members/amara.md")
        );
        assert_eq!(
            amara["file"]["id"].as_str().unwrap().len(),
            64,
            "a sha256 in hex"
        );

        let one = ok(
            addr,
            "getEntry",
            json!({"path": "content/events/utrecht-meetup-december.nl.md"}),
        );
        assert_eq!(
            one["data"].as_str().unwrap(),
            read(&site, "content/events/utrecht-meetup-december.md")
        );
        let two = ok(
            addr,
            "entriesByFiles",
            json!({"files": [{"path": "content/about.en.md"}, {"path": "content/about.nl.md"}]}),
        );
        assert_eq!(
            two[0]["data"].as_str().unwrap(),
            read(&site, "content/about.en.md")
        );
        assert_eq!(
            two[1]["data"].as_str().unwrap(),
            read(&site, "content/about.md")
        );

        // A new event with an image: written as kring names it, and built.
        let png = photos::plain_photo(40, 30, image::ImageFormat::Png);
        let persisted = ok(
            addr,
            "persistEntry",
            json!({
                "dataFiles": [{"slug": "kerstborrel", "path": "content/events/kerstborrel.nl.md", "raw": EVENT}],
                "assets": [{"path": "static/images/kerst.png", "content": BASE64.encode(&png), "encoding": "base64"}],
                "options": {}
            }),
        );
        assert_eq!(persisted["message"], "entry persisted");
        assert_eq!(read(&site, "content/events/kerstborrel.md"), EVENT);
        assert!(!site.join("content/events/kerstborrel.nl.md").exists());
        assert_eq!(
            std::fs::read(site.join("static/images/kerst.png")).unwrap(),
            png
        );
        let page = eventually(addr, "/events/kerstborrel/", |s, b| {
            s == 200 && b.contains("Kerstborrel")
        });
        assert!(page.contains("19:30"), "the wall-clock time as written");
        let leftovers = std::fs::read_dir(site.join("content/events"))
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
            .count();
        assert_eq!(leftovers, 0, "no temporary file is left");

        // Renamed: written at the new path, the old one gone.
        ok(
            addr,
            "persistEntry",
            json!({
                "dataFiles": [{"slug": "x", "path": "content/events/kerstborrel.nl.md", "raw": EVENT, "newPath": "content/events/kerst.nl.md"}],
                "assets": []
            }),
        );
        assert!(site.join("content/events/kerst.md").is_file());
        assert!(!site.join("content/events/kerstborrel.md").exists());

        let media = ok(addr, "getMedia", json!({"mediaFolder": "static/images"}));
        let kerst = media
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["name"] == "kerst.png")
            .expect("listed");
        assert_eq!(
            BASE64.decode(kerst["content"].as_str().unwrap()).unwrap(),
            png
        );
        assert_eq!(kerst["path"], "static/images/kerst.png");
        let file = ok(
            addr,
            "getMediaFile",
            json!({"path": "static/images/kerst.png"}),
        );
        assert_eq!(file["id"], kerst["id"]);

        let bundle_image = "content/articles/picking-a-platform/new.png";
        let saved = ok(
            addr,
            "persistMedia",
            json!({"asset": {"path": bundle_image, "content": BASE64.encode(&png), "encoding": "base64"}, "options": {}}),
        );
        assert_eq!(saved["path"], bundle_image);
        assert!(site.join(bundle_image).is_file());

        ok(addr, "deleteFile", json!({"path": bundle_image}));
        assert!(!site.join(bundle_image).exists());
        ok(
            addr,
            "deleteFiles",
            json!({"paths": ["content/events/kerst.nl.md", "static/images/kerst.png"]}),
        );
        assert!(!site.join("content/events/kerst.md").exists());
        assert!(!site.join("static/images/kerst.png").exists());
        eventually(addr, "/events/kerst/", |s, _| s == 404);

        assert_eq!(ok(addr, "getDeployPreview", json!({})), Value::Null);
        let (status, v) = api(addr, "dropDatabase", json!({}));
        assert_eq!(status, 422);
        assert!(v["error"].as_str().unwrap().contains("dropDatabase"));
        let (status, _) = api(addr, "getEntry", json!({"nopath": 1}));
        assert_eq!(status, 422, "bad params");
    }

    #[test]
    fn hostile_paths_change_nothing() {
        let (tmp, site) = fixture("hub");
        // Outside the site: a folder a link in content/ points at.
        let outside = tmp.path().join("outside");
        write(&outside, "secret.txt", "do not read");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&outside, site.join("content/link")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(outside.join("secret.txt"), site.join("static/secret.txt"))
            .unwrap();
        let server = start(&site);
        let addr = server.addr;
        let before = tree(tmp.path());
        let hostile = [
            "../../kring.toml",
            "../outside/secret.txt",
            "content/../kring.toml",
            "content/../../outside/secret.txt",
            "/etc/passwd",
            "/tmp/x.md",
            "content/%2e%2e/kring.toml",
            "content/%2E%2E%2Fkring.toml",
            "content/a\u{0}b.md",
            "content\\..\\kring.toml",
            "kring.toml",
            "themes/x.html",
            "content/link/secret.txt",
            "content/link/new.md",
            "static/secret.txt",
            "static/admin/config.yml",
            "static/sitemap.xml",
            "content/articles/_index.md",
            "content/.git/config",
        ];
        for path in hostile {
            let b64 = BASE64.encode(b"pwned");
            let calls = [
                ("getEntry", json!({"path": path})),
                ("getMediaFile", json!({"path": path})),
                ("entriesByFiles", json!({"files": [{"path": path}]})),
                (
                    "persistEntry",
                    json!({"dataFiles": [{"slug": "x", "path": path, "raw": "pwned"}], "assets": []}),
                ),
                (
                    "persistEntry",
                    json!({"dataFiles": [{"slug": "x", "path": "content/fine.md", "raw": "x", "newPath": path}], "assets": []}),
                ),
                (
                    "persistEntry",
                    json!({"entry": {"slug": "x", "path": "content/fine.md", "raw": "x"}, "assets": [{"path": path, "content": b64, "encoding": "base64"}]}),
                ),
                (
                    "persistMedia",
                    json!({"asset": {"path": path, "content": b64, "encoding": "base64"}}),
                ),
                ("deleteFile", json!({"path": path})),
                ("deleteFiles", json!({"paths": ["content/about.md", path]})),
            ];
            for (action, params) in calls {
                let (status, v) = api(addr, action, params);
                let read_only = matches!(action, "getEntry" | "getMediaFile" | "entriesByFiles");
                if read_only
                    && matches!(
                        path,
                        "static/admin/config.yml"
                            | "static/sitemap.xml"
                            | "content/articles/_index.md"
                    )
                {
                    continue; // reading a file kring writes is fine; writing it is not
                }
                assert!(
                    status == 403
                        || (status == 500
                            && read_only
                            && !path.starts_with("content/link")
                            && path != "static/secret.txt"),
                    "{action} {path:?}: {status} {v}"
                );
            }
        }
        for folder in ["../outside", "content/link", "/etc", "content/%2e%2e"] {
            let (status, _) = api(
                addr,
                "entriesByFolder",
                json!({"folder": folder, "extension": "txt", "depth": 3}),
            );
            assert_eq!(status, 403, "{folder}");
        }
        // Listing content/ does not follow the link out.
        let all = ok(
            addr,
            "entriesByFolder",
            json!({"folder": "content", "extension": "txt", "depth": 5}),
        );
        assert_eq!(all, json!([]));
        assert_eq!(
            tree(tmp.path()),
            before,
            "nothing changed, inside or outside the site"
        );
    }

    #[test]
    fn foreign_pages_and_hosts_are_refused() {
        let (tmp, site) = fixture("hub");
        let server = start(&site);
        let addr = server.addr;
        let port = addr.port();
        let before = tree(tmp.path());
        let body = json!({"action": "persistEntry", "params": {"dataFiles": [{"slug": "x", "path": "content/x.md", "raw": "+++\ntitle = \"x\"\n+++\n"}], "assets": []}}).to_string();
        let cases = [
            (
                format!(
                    "Host: {addr}\r\nOrigin: https://evil.example\r\nContent-Type: application/json\r\n"
                ),
                403,
            ),
            (
                format!(
                    "Host: {addr}\r\nOrigin: http://127.0.0.1:{}\r\nContent-Type: application/json\r\n",
                    port.wrapping_add(1)
                ),
                403,
            ),
            (
                format!("Host: {addr}\r\nOrigin: null\r\nContent-Type: application/json\r\n"),
                403,
            ),
            (
                format!("Host: evil.example:{port}\r\nContent-Type: application/json\r\n"),
                403,
            ),
            (
                format!(
                    "Host: rebind.evil.example:{port}\r\nOrigin: http://rebind.evil.example:{port}\r\nContent-Type: application/json\r\n"
                ),
                403,
            ),
            ("Content-Type: application/json\r\n".to_string(), 400),
            // A form posted from a page of the site itself is still no JSON request.
            (
                format!("Host: {addr}\r\nOrigin: http://{addr}\r\nContent-Type: text/plain\r\n"),
                422,
            ),
        ];
        for (headers, expected) in cases {
            let (status, text) = raw(addr, "POST", "/api/v1", &headers, body.as_bytes());
            assert!(
                status == expected || (expected == 400 && status == 403),
                "{headers:?}: {status} {text}"
            );
        }
        // Too big a body is refused before it is read.
        let big = vec![b' '; kring::serve::cms::BODY_LIMIT + 1024];
        let (status, _) = raw(addr, "POST", "/api/v1", &own_headers(addr), &big);
        assert_eq!(status, 413);
        assert_eq!(tree(tmp.path()), before);
    }
}

// ---- `kring cms`: static/admin/ with Decap vendored from the pinned tarball ----

mod command {
    use super::*;
    use kring::cms::vendor::{self, Pin};
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;

    /// A registry on 127.0.0.1 that answers every request with `tarball`.
    pub(super) fn registry(tarball: Vec<u8>) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(&stream);
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    tarball.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&tarball);
            }
        });
        base
    }

    /// A gzipped ustar archive of `files`.
    fn tgz(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut tar = Vec::new();
        for (name, bytes) in files {
            let mut h = [0u8; 512];
            h[..name.len()].copy_from_slice(name.as_bytes());
            h[100..107].copy_from_slice(b"0000644");
            h[124..135].copy_from_slice(format!("{:011o}", bytes.len()).as_bytes());
            h[156] = b'0';
            h[257..262].copy_from_slice(b"ustar");
            h[148..156].copy_from_slice(b"        ");
            let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
            h[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
            tar.extend_from_slice(&h);
            tar.extend_from_slice(bytes);
            tar.resize(tar.len().div_ceil(512) * 512, 0);
        }
        tar.extend_from_slice(&[0u8; 1024]);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&tar).unwrap();
        gz.finish().unwrap()
    }

    fn integrity(bytes: &[u8]) -> &'static str {
        use base64::Engine;
        let digest = ring::digest::digest(&ring::digest::SHA512, bytes);
        let text = format!(
            "sha512-{}",
            base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
        );
        Box::leak(text.into_boxed_str())
    }

    #[test]
    fn the_bundle_is_taken_from_a_verified_tarball_only() {
        let tarball = tgz(&[
            ("package/package.json", b"{}"),
            ("package/dist/decap-cms.js", b"window.CMS = {};"),
            ("package/dist/977.decap-cms.js", b"chunk"),
            ("package/dist/977.decap-cms.js.map", b"map"),
            ("package/dist/../../evil.decap-cms.js", b"evil"),
            ("package/dist/cms.js", b"other entry"),
        ]);
        let pin = Pin {
            name: "decap-cms",
            version: "0.0.0",
            integrity: integrity(&tarball),
        };
        let base = registry(tarball.clone());
        let downloaded = vendor::download(&pin, &base).unwrap();
        assert_eq!(downloaded, tarball);
        let files = vendor::bundle(&downloaded, &pin).unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["decap-cms.js", "977.decap-cms.js"]);
        // One byte changed: refused whole.
        let mut tampered = tarball.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        let e = vendor::bundle(&tampered, &pin).unwrap_err().to_string();
        assert!(e.contains("integrity"), "{e}");
        let wrong = Pin {
            integrity: integrity(b"something else"),
            ..pin
        };
        assert!(vendor::bundle(&tarball, &wrong).is_err());
        // A verified archive without the bundle is no CMS.
        let empty = tgz(&[("package/package.json", b"{}")]);
        let empty_pin = Pin {
            integrity: integrity(&empty),
            ..pin
        };
        assert!(vendor::bundle(&empty, &empty_pin).is_err());
    }

    #[test]
    fn a_tarball_that_is_not_the_pinned_one_writes_no_script() {
        let (tmp, site) = fixture("hub");
        let base = registry(tgz(&[("package/dist/decap-cms.js", b"alert('not decap')")]));
        let out = kring()
            .args(["cms", site.to_str().unwrap()])
            .env("KRING_NPM_REGISTRY", &base)
            .env("HOME", tmp.path())
            .output()
            .unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("integrity"), "{stderr}");
        assert!(!site.join("static/admin/decap-cms.js").exists());
    }

    /// The pinned tarball, as npm's registry serves it: `scripts/test.sh` fetches it with
    /// `npm pack` (which checks npm's own integrity) into `target/test-npm/`, or
    /// `KRING_DECAP_TGZ` names a copy. Without it the test fails, saying so: a test that
    /// quietly passes without its input would prove nothing.
    pub(super) fn pinned_tarball() -> Vec<u8> {
        let path = std::env::var("KRING_DECAP_TGZ").map_or_else(
            |_| repo().join("target/test-npm/decap-cms-3.16.3.tgz"),
            std::path::PathBuf::from,
        );
        std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run scripts/test.sh (it fetches Decap's npm tarball) or set KRING_DECAP_TGZ",
                path.display()
            )
        })
    }

    #[test]
    fn kring_cms_writes_the_editor_and_the_site_keeps_it_private() {
        let tarball = pinned_tarball();
        let (tmp, site) = fixture("example-site");
        let base = registry(tarball);
        let run_cms = || {
            let out = kring()
                .args(["cms", site.to_str().unwrap()])
                .env("KRING_NPM_REGISTRY", &base)
                .env("HOME", tmp.path())
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        run_cms();
        let admin = site.join("static/admin");
        let js = std::fs::read(admin.join("decap-cms.js")).unwrap();
        assert!(js.len() > 1_000_000, "the real bundle");
        assert!(admin.join("977.decap-cms.js").is_file(), "with its chunks");
        assert!(!admin.join("decap-cms.js.map").exists());
        let index = read(&admin, "index.html");
        assert!(index.contains(r#"<meta name="robots" content="noindex, nofollow">"#));
        let scripts: Vec<&str> = index
            .match_indices("src=\"")
            .map(|(at, _)| index[at + 5..].split('"').next().unwrap())
            .collect();
        assert_eq!(
            scripts,
            ["./decap-cms.js", "./kring-admin.js", "./kring-blocks.js"],
            "nothing from another host, the components after Decap"
        );
        assert!(read(&admin, "kring-admin.js").contains("registerPreviewStyle(\"../kring.css\")"));
        let config_text = read(&admin, "config.yml");
        YamlLoader::load_from_str(&config_text).unwrap();

        // Run again with a setting of the user's below the marker: kept.
        let mine = format!("{config_text}backend:\n  name: \"gitlab\"\n  repo: \"me/site\"\n");
        std::fs::write(admin.join("config.yml"), &mine).unwrap();
        run_cms();
        let again = read(&admin, "config.yml");
        assert!(again.ends_with("backend:\n  name: \"gitlab\"\n  repo: \"me/site\"\n"));
        let y = YamlLoader::load_from_str(&again).unwrap().remove(0);
        assert_eq!(y["backend"]["name"].as_str(), Some("gitlab"));

        // Built: /admin/ is published, and in no sitemap, search index or feed.
        let report = kring::build(&site, &options(), None).unwrap();
        let out = report.output;
        assert!(out.join("admin/index.html").is_file());
        assert!(out.join("admin/decap-cms.js").is_file());
        for (rel, bytes) in tree(&out) {
            let listing = rel.ends_with("sitemap.xml")
                || rel.ends_with(".xml")
                || rel.ends_with("feed.json")
                || rel.contains("search/");
            if listing {
                let text = String::from_utf8_lossy(&bytes);
                assert!(!text.contains("/admin"), "{rel} names the admin");
            }
        }
        assert!(
            report
                .external_hosts
                .values()
                .all(|(page, _)| !page.starts_with("admin")),
            "{:?}",
            report.external_hosts
        );

        // The privacy report says where the editor talks to when used: the user's GitLab
        // backend (kept above), on GitLab's host; and it finds nothing to refuse.
        let check = kring()
            .args(["check", "--privacy", site.to_str().unwrap()])
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&check.stdout);
        assert!(
            check.status.success(),
            "{said}{}",
            String::from_utf8_lossy(&check.stderr)
        );
        assert!(
            said.contains("/admin/ (the content editor) loads nothing from another host")
                && said.contains("talks to gitlab.com (its gitlab backend)"),
            "{said}"
        );
    }
}

// ---- The editor in Chromium, in local mode ----

mod chromium {
    use super::*;
    use kring::serve::{DevServer, ServeOptions};

    #[test]
    fn events_articles_and_members_made_in_the_editor_are_pages_of_the_site() {
        if std::env::var_os("KRING_SKIP_BROWSER").is_some() {
            eprintln!("KRING_SKIP_BROWSER is set: browser test skipped");
            return;
        }
        let tarball = command::pinned_tarball();
        assert!(
            repo()
                .join("tests/browser/node_modules/playwright-core")
                .is_dir(),
            "run `npm ci` in tests/browser first (or set KRING_SKIP_BROWSER=1)"
        );
        let (tmp, site) = fixture("example-site");
        let base = command::registry(tarball);
        let out = kring()
            .args(["cms", site.to_str().unwrap()])
            .env("KRING_NPM_REGISTRY", &base)
            .env("HOME", tmp.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut options = ServeOptions::new(&site);
        options.port = 0;
        options.now = Some(NOW.parse().unwrap());
        let server = DevServer::start(&options).unwrap();
        server.wait_built();
        let member_before = read(&site, "content/members/noor/index.md");
        let event_before = read(&site, "content/events/stoep-live.md");
        // A real photo to upload, larger than the widest size kring makes.
        let photo = tmp.path().join("kerst-foto.jpg");
        std::fs::write(
            &photo,
            common::photos::plain_photo(1600, 1000, image::ImageFormat::Jpeg),
        )
        .unwrap();
        let mut command = std::process::Command::new("node");
        command
            .arg(repo().join("tests/browser/cms.mjs"))
            .arg(&server.url)
            .arg(&photo)
            // Neither the machine's zone nor the site's (Europe/Amsterdam): what is typed
            // is the site's wall-clock time all the same.
            .env("TZ", "America/New_York");
        // KRING_SCREENSHOTS=docs/images (from the repository) saves the editor's screenshots.
        if let Some(dir) = std::env::var_os("KRING_SCREENSHOTS") {
            command.env("KRING_SCREENSHOTS", repo().join(dir));
        }
        let node = command.output().expect("node is installed");
        let output = format!(
            "{}{}",
            String::from_utf8_lossy(&node.stdout),
            String::from_utf8_lossy(&node.stderr)
        );
        assert!(node.status.success(), "browser test failed:\n{output}");
        for step in [
            "browser time zone: America/New_York",
            "ok: the generated collections are listed",
            "ok: nothing requested from another host",
            "ok: event saved through the editor",
            "ok: article with a photo and a FAQ saved through the editor",
            "ok: member edited through the editor",
            "ok: hand-written event saved again",
        ] {
            assert!(output.contains(step), "missing `{step}`:\n{output}");
        }
        // On disk as kring names it, in both languages, with the wall-clock start.
        let nl = read(&site, "content/events/kerstborrel.md");
        let en = read(&site, "content/events/kerstborrel.en.md");
        for text in [&nl, &en] {
            assert!(text.contains("start = \"2026-12-18T19:30:00\""), "{text}");
            front_matter(text);
        }
        assert!(nl.contains("De Lindeboom"));
        // The article: a folder with the photo beside its two languages, the FAQ in the body.
        let article = "content/articles/fotos-van-de-kerstborrel";
        let nl = read(&site, &format!("{article}/index.md"));
        let front = front_matter(&nl);
        assert_eq!(front["image"].as_str(), Some("kerst-foto.jpg"), "{nl}");
        assert_eq!(
            std::fs::read(site.join(article).join("kerst-foto.jpg")).unwrap(),
            std::fs::read(&photo).unwrap(),
            "the photo uploaded as it was"
        );
        assert!(
            nl.contains("{% faq() %}\nAlles over de borrel.\n\n### Moet ik me aanmelden?\n\n"),
            "{nl}"
        );
        front_matter(&read(&site, &format!("{article}/index.en.md")));
        // The member: the role changed, every other key as it was.
        let mut before = front_matter(&member_before);
        let after = front_matter(&read(&site, "content/members/noor/index.md"));
        assert_eq!(after["role"].as_str(), Some("Gastvrouw van de kerstborrel"));
        before.insert("role".into(), after["role"].clone());
        assert_eq!(before, after);

        // The hand-written event: its unquoted local datetimes are still local datetimes
        // with the same wall-clock time (Decap adds `.000`), so the same instant in the
        // page's zone; every other key as it was.
        let mut before = front_matter(&event_before);
        let mut after = front_matter(&read(&site, "content/events/stoep-live.md"));
        assert_eq!(after["price"].as_str(), Some("Gratis, altijd"));
        for key in ["start", "end"] {
            let (b, a) = (
                before.remove(key).unwrap().as_datetime().copied().unwrap(),
                after.remove(key).unwrap().as_datetime().copied().unwrap(),
            );
            assert_eq!((a.date, a.offset), (b.date, b.offset), "{key}");
            let (at, bt) = (a.time.unwrap(), b.time.unwrap());
            assert_eq!(
                (at.hour, at.minute, at.second.unwrap_or(0)),
                (bt.hour, bt.minute, bt.second.unwrap_or(0)),
                "{key}"
            );
            assert!(at.nanosecond.unwrap_or(0) == 0, "{key}");
        }
        before.insert("price".into(), after["price"].clone());
        assert_eq!(before, after);

        let (ok, stdout, stderr) = run(&["check", site.to_str().unwrap()], tmp.path());
        assert!(ok, "kring check after the edits:\n{stdout}{stderr}");
        let served = |path: &str, has: &str| {
            let started = std::time::Instant::now();
            loop {
                let body = ureq_get(&format!("{}{path}", server.url));
                if let Some(b) = body.filter(|b| b.contains(has)) {
                    break b;
                }
                assert!(
                    started.elapsed().as_secs() < 60,
                    "{path} is never served with {has}"
                );
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        };
        let page = served("events/kerstborrel/", "Kerstborrel");
        assert!(
            page.contains("2026-12-18T19:30:00+01:00"),
            "the time in the site's zone"
        );
        assert!(
            page.contains("Noor El Amrani"),
            "the host chosen from the members"
        );
        let page = served("articles/fotos-van-de-kerstborrel/", "kerst-foto");
        let doc = scraper::Html::parse_document(page.split_once("\r\n\r\n").unwrap().1);
        let sel = |css: &str| scraper::Selector::parse(css).unwrap();
        let questions: Vec<String> = doc
            .select(&sel(".faq details.faq__item summary"))
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect();
        assert_eq!(questions, ["Moet ik me aanmelden?"]);
        assert!(page.contains("FAQPage"), "the FAQ's structured data");
        // The photo in kring's sizes: each width of the srcset is served at that width.
        let srcset = doc
            .select(&sel("source[srcset]"))
            .filter_map(|e| e.value().attr("srcset"))
            .find(|s| s.contains("kerst-foto"))
            .expect("the photo with its sizes");
        let widths: Vec<u32> = srcset
            .split(", ")
            .map(|candidate| {
                let (file, width) = candidate.split_once(' ').unwrap();
                let width: u32 = width.trim_end_matches('w').parse().unwrap();
                let url = format!("{}articles/fotos-van-de-kerstborrel/{file}", server.url);
                let bytes = ureq_bytes(&url).unwrap_or_else(|| panic!("{url} is not served"));
                let size = imagesize::blob_size(&bytes).unwrap();
                assert_eq!(size.width as u32, width, "{file}");
                width
            })
            .collect();
        assert!(widths.len() >= 2 && widths.contains(&1600), "{srcset}");
        let member = served("members/noor/", "Gastvrouw van de kerstborrel");
        assert!(member.contains("Noor El Amrani"));
        let event = served("events/stoep-live/", "Gratis, altijd");
        assert!(
            event.contains("2026-12-10T20:00:00+01:00"),
            "the next time at the same hour after the save"
        );
    }

    /// The TOML front matter of a page, parsed.
    fn front_matter(text: &str) -> toml::Table {
        let inner = text
            .strip_prefix("+++\n")
            .and_then(|t| t.split_once("\n+++\n"))
            .unwrap_or_else(|| panic!("no front matter:\n{text}"))
            .0;
        toml::from_str(inner).unwrap_or_else(|e| panic!("{e}:\n{text}"))
    }

    fn ureq_bytes(url: &str) -> Option<Vec<u8>> {
        let addr = url
            .trim_start_matches("http://")
            .split('/')
            .next()?
            .to_string();
        let path = format!("/{}", url.trim_start_matches("http://").split_once('/')?.1);
        let mut stream = std::net::TcpStream::connect(&addr).ok()?;
        use std::io::{Read, Write};
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .ok()?;
        let mut out = Vec::new();
        stream.read_to_end(&mut out).ok()?;
        let at = out.windows(4).position(|w| w == b"\r\n\r\n")?;
        out.starts_with(b"HTTP/1.1 200")
            .then(|| out[at + 4..].to_vec())
    }

    fn ureq_get(url: &str) -> Option<String> {
        let addr = url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap()
            .to_string();
        let path = format!(
            "/{}",
            url.trim_start_matches("http://").split_once('/').unwrap().1
        );
        let mut stream = std::net::TcpStream::connect(&addr).ok()?;
        use std::io::{Read, Write};
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .ok()?;
        let mut out = String::new();
        stream.read_to_string(&mut out).ok()?;
        out.starts_with("HTTP/1.1 200").then_some(out)
    }
}
