//! The search index (issue #12), read back with a JSON parser as the search page's script
//! reads it: a word leads to its stem's pages, and the pages' records say what to show.
//! What must not be found is not in any file.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use serde_json::Value;

fn json(public: &Path, rel: &str) -> Value {
    serde_json::from_str(&read(public, rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

/// The records of the pages where `word` (as typed: lower case, no accents) is found, as
/// the script finds them: the file of the longest key that starts the word.
fn lookup(public: &Path, folder: &str, word: &str) -> Vec<Value> {
    let meta = json(public, &format!("{folder}meta.json"));
    let key = meta["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .filter(|k| word.starts_with(k))
        .max_by_key(|k| k.len());
    let Some(key) = key else { return Vec::new() };
    let file = json(public, &format!("{folder}w/{}.json", hex(key)));
    let Some(postings) = file["w"][word].as_array() else {
        return Vec::new();
    };
    let per_file = meta["per_file"].as_u64().unwrap();
    let mut page = 0;
    let mut out = Vec::new();
    // The word's stem first, then its pages and weights.
    for pair in postings[1..].chunks(2) {
        page += pair[0].as_u64().unwrap();
        let chunk = json(public, &format!("{folder}p/{}.json", page / per_file));
        out.push(chunk[(page % per_file) as usize].clone());
    }
    out
}

fn titles(records: &[Value]) -> Vec<&str> {
    records.iter().map(|r| r["t"].as_str().unwrap()).collect()
}

#[test]
fn words_lead_to_their_pages_and_what_is_hidden_is_not_indexed() {
    let (_tmp, site) = fixture("hub");
    write(
        &site,
        "content/articles/first.md",
        "+++\ntitle = \"Gemeenschappen <img src=x onerror=alert(1)>\"\ndate = 2026-01-10\ntags = [\"growth\"]\n+++\n\nOver de Coördinatoren van zeldzaamwoord-gemeenschappen.\n",
    );
    write(
        &site,
        "content/articles/quiet.md",
        "+++\ntitle = \"Quiet\"\ndate = 2026-01-11\nin_search = false\n+++\n\nverstopwoord here.\n",
    );
    write(
        &site,
        "content/articles/draft.md",
        "+++\ntitle = \"Draft\"\ndate = 2026-01-12\ndraft = true\n+++\n\ndraftwoord here.\n",
    );
    let hidden = std::fs::read_to_string(site.join("content/members/hidden.md")).unwrap();
    write(
        &site,
        "content/members/hidden.md",
        format!("{hidden}\nverborgenlid\n"),
    );
    let public = build_ok(&site);
    // Accents gone: the word typed without them finds the page with them.
    let found = lookup(&public, "search/", "coordinatoren");
    assert_eq!(
        titles(&found),
        ["Gemeenschappen <img src=x onerror=alert(1)>"]
    );
    let record = &found[0];
    assert_eq!(record["k"], "articles");
    assert_eq!(record["u"], "../articles/first/");
    assert!(
        record["x"].as_str().unwrap().contains("Coördinatoren"),
        "{record}"
    );
    // The title as it was written: the script shows it as text.
    assert_eq!(lookup(&public, "search/", "zeldzaamwoord").len(), 1);
    // Members by name and role; events with their date.
    let ada = lookup(&public, "search/", "lovelace");
    assert_eq!(titles(&ada), ["Ada Lovelace"]);
    assert_eq!(ada[0]["k"], "members");
    assert_eq!(ada[0]["d"], "Moderator");
    // What must not be found is in no file at all.
    for word in ["verstopwoord", "draftwoord", "verborgenlid"] {
        assert!(
            lookup(&public, "search/", word).is_empty(),
            "{word} is indexed"
        );
        let mut all = String::new();
        for entry in walkdir::WalkDir::new(public.join("search")) {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "json") {
                all.push_str(&std::fs::read_to_string(entry.path()).unwrap());
            }
        }
        assert!(!all.contains(word), "{word} is in the index files");
    }
    // The search page is there, with a form that works without JavaScript.
    let html = read(&public, "search/index.html");
    let doc = scraper::Html::parse_document(&html);
    let form =
        scraper::Selector::parse("main form[role=search] input[type=search][name=q]").unwrap();
    assert_eq!(doc.select(&form).count(), 1);
    let header =
        scraper::Selector::parse("header form[role=search][method=get] input[type=search]")
            .unwrap();
    let home = scraper::Html::parse_document(&read(&public, "index.html"));
    assert_eq!(
        home.select(&header).count(),
        1,
        "the header has a search box"
    );
}

#[test]
fn search_can_be_turned_off_and_sections_left_out() {
    let (_tmp, site) = fixture("hub");
    let index = std::fs::read_to_string(site.join("content/events/_index.md")).unwrap();
    write(
        &site,
        "content/events/_index.md",
        index.replacen("+++\n", "+++\nin_search = false\n", 1),
    );
    let public = build_ok(&site);
    let kinds: BTreeMap<String, usize> = std::fs::read_dir(public.join("search/p"))
        .unwrap()
        .flat_map(|e| {
            json(
                &public,
                &format!("search/p/{}", e.unwrap().file_name().to_string_lossy()),
            )
            .as_array()
            .unwrap()
            .clone()
        })
        .fold(BTreeMap::new(), |mut m, r| {
            *m.entry(r["k"].as_str().unwrap().to_string()).or_default() += 1;
            m
        });
    assert!(
        kinds.contains_key("articles") && kinds.contains_key("members"),
        "{kinds:?}"
    );
    assert!(!kinds.contains_key("events"), "{kinds:?}");
    let config = std::fs::read_to_string(site.join("kring.toml")).unwrap();
    write(
        &site,
        "kring.toml",
        format!("{config}\n[search]\nenabled = false\n"),
    );
    let public = build_ok(&site);
    assert!(!public.join("search").exists());
    assert!(!read(&public, "index.html").contains("role=\"search\""));
}

/// The page numbers where `word` is found (as [`lookup`] finds them).
fn page_ids(public: &Path, word: &str) -> Vec<u64> {
    let meta = json(public, "search/meta.json");
    let key = meta["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .filter(|k| word.starts_with(k))
        .max_by_key(|k| k.len())
        .unwrap();
    let file = json(public, &format!("search/w/{}.json", hex(key)));
    let postings = file["w"][word].as_array().unwrap();
    let mut page = 0;
    postings[1..]
        .chunks(2)
        .map(|pair| {
            page += pair[0].as_u64().unwrap();
            page
        })
        .collect()
}

#[test]
fn a_word_deep_in_a_body_has_the_text_around_it_for_its_excerpt() {
    let (_tmp, site) = fixture("hub");
    let filler = "Gewone woorden over een gemeenschap en haar leden. ".repeat(60);
    write(
        &site,
        "content/articles/deep.md",
        format!(
            "+++\ntitle = \"Diep\"\ndate = 2026-01-12\n+++\n\n{filler}\n\nHier staat het diepgravendwoord &amp; <em>Zoë</em>.\n"
        ),
    );
    write(
        &site,
        "content/articles/short.md",
        "+++\ntitle = \"Kort\"\ndate = 2026-01-13\n+++\n\nEen kort stuk met ondiepwoord.\n",
    );
    let public = build_ok(&site);
    let ids = page_ids(&public, "diepgravendwoord");
    assert_eq!(ids.len(), 1);
    let records = lookup(&public, "search/", "diepgravendwoord");
    let record = &records[0];
    assert_eq!(record["t"], "Diep");
    let x = record["x"].as_str().unwrap();
    assert!(
        !x.contains("diepgravendwoord"),
        "the word is past the record's text"
    );
    assert!(x.chars().count() <= 800, "{}", x.chars().count());
    assert_eq!(record["f"], true, "the record says its text goes on");
    // The whole texts come a few pages to a file, as the script reads them.
    let per = json(&public, "search/meta.json")["texts_per_file"]
        .as_u64()
        .unwrap();
    assert!(per > 1, "{per}");
    let texts = json(&public, &format!("search/t/{}.json", ids[0] / per));
    let whole = texts[(ids[0] % per) as usize].as_str().unwrap();
    assert!(
        whole.starts_with(x),
        "the whole text goes on from the record's"
    );
    assert!(
        whole.ends_with("Hier staat het diepgravendwoord & Zoë."),
        "entities decoded once, tags gone: …{}",
        &whole[whole.len() - 60..]
    );
    // A short page's record holds all its text: no file of its own.
    let short = &lookup(&public, "search/", "ondiepwoord")[0];
    assert!(short.get("f").is_none(), "{short}");
    let id = page_ids(&public, "ondiepwoord")[0];
    let shard = format!("search/t/{}.json", id / per);
    if public.join(&shard).exists() {
        let texts = json(&public, &shard);
        assert!(texts[(id % per) as usize].is_null(), "{texts}");
    }
}
