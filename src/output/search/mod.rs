//! The search index of a language: static JSON files the search page's script reads, so
//! search needs no server and nothing from another host.
//!
//! Words are lower-cased and stripped of accents (`coördinator` → `coordinator`), then
//! grouped by their Snowball stem (Dutch or English), so `gemeenschappen` finds
//! `gemeenschap`. The browser has no stemmer: it looks the typed word up among the words
//! the site uses (exactly, or as the start of one) and takes their stems' pages. Words are
//! split into files by their first letters, so a query loads only the few files of its
//! words; page records (title, address, kind, date, text for the excerpt) come ten to a
//! file. Pagefind was measured first: through its Rust API, indexing 10,000 pages took
//! longer than building them (see the README).
//!
//! Files, under the language's `search/`:
//! - `meta.json`: `{"pages": N, "per_file": 10, "texts_per_file": 4, "keys": ["co", …]}`;
//! - `w/<hex of the key>.json`: `{"w": {"word": [stem, page, weight, page, weight, …]}}`:
//!   the stem a number shared by the words of one stem in the file, pages as increasing
//!   numbers written as differences;
//! - `p/<n>.json`: the records of pages `10n` to `10n + 9`, each with the first 800
//!   characters of its text;
//! - `t/<n>.json`: the whole texts (up to 200,000 characters each) of pages `4n` to
//!   `4n + 3`, as an array of JSON strings, `null` for a page whose record holds all its
//!   text: the excerpt of a word found only further on. No file where every record does.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
mod words;
pub use crate::text::html_text;
pub use words::{for_each_word, for_each_word_in_html};

use super::write::Sink;

/// Maps of words, hashed with foldhash: indexing hashes millions of short words, and the
/// standard library's SipHash was a third of the time.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
use crate::error::Result;
use crate::model::routes::search_file;
use crate::model::{Details, Site};

/// Records per file of page records.
const PER_FILE: usize = 10;
/// Whole texts per file of them: a few, as a result whose word is further on in its text
/// loads the file of its text (a one-page file each was most of the files of a build).
const TEXTS_PER_FILE: usize = 4;
/// Pages read at a time (a multiple of both of the above): their words are put in the index
/// before the next are read.
const CHUNK: usize = 20 * PER_FILE * TEXTS_PER_FILE;
/// A file of words is split by one more letter past this size (bytes), so that no query
/// loads much more than it needs.
const MOST_PER_KEY: usize = 48 * 1024;
/// Characters of a page's text kept in its record, for the excerpt: most matches are in it.
const EXCERPT_TEXT: usize = 800;
/// Characters of a page's text kept in the file of texts (`t/<n>.json`), for the excerpt of a
/// word found further on: the script loads it only then, for the results it shows.
const FULL_TEXT: usize = 200_000;

/// How much a word counts where it is found.
const IN_TITLE: u32 = 8;
const IN_DETAILS: u32 = 3;
const IN_TEXT: u32 = 1;

/// What the browser shows of a page in the results.
#[derive(Serialize)]
struct Record<'a> {
    /// Its address relative to the search folder (`../articles/x/`), so the index works
    /// wherever the site is served.
    u: String,
    /// Its title (a member's name).
    t: &'a str,
    /// Its kind: `articles`, `events`, `masterclasses`, `members`, `pages`.
    k: &'static str,
    /// An event's start (`2026-12-10T19:30`), or a member's role.
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<String>,
    /// Its text, for the excerpt around the words found.
    x: String,
    /// Whether its text goes on past `x`, in the file of texts (`t/<n>.json`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    f: bool,
}

/// Whether page `index` of `site` is found by search: published, listed, and neither it
/// nor its section says `in_search = false`.
pub fn searchable(site: &Site, index: usize) -> bool {
    let page = &site.pages[index];
    !page.draft && page.listed() && page.in_search && site.sections[page.section].in_search
}

/// Writes the search index of `site` under `search/`; returns how many files.
///
/// Pages are read `CHUNK` at a time, in parallel, and each chunk's words go into the
/// index (a number per word, its pages as pairs of numbers) and its records and texts into
/// their files before the next is read: what a build holds is the index, not every page's
/// words at once.
pub fn write_search(site: &Site, out: &dyn Sink) -> Result<usize> {
    let pages: Vec<usize> = (0..site.pages.len())
        .filter(|&i| searchable(site, i))
        .collect();
    let stemmer = stemmer_for(&site.config.language);
    // Each word's pages with their weights, and its stem: words of one stem find each
    // other's pages, after the pages with the very word typed.
    let mut ids: HashMap<String, usize> = HashMap::default();
    let mut stems: HashMap<String, usize> = HashMap::default();
    let mut index = Index::default();
    let mut files = 0;
    for (c, chunk) in pages.chunks(CHUNK).enumerate() {
        let first = c * CHUNK;
        // Each page's record, words with their weights, and whole text when that goes on
        // past the record's.
        let read: Vec<_> = chunk.par_iter().map(|&i| read_page(site, i)).collect();
        let texts: Vec<Option<&String>> = read.iter().map(|(_, _, full)| full.as_ref()).collect();
        files += write_texts(&texts, first, out)?;
        let records: Vec<&Record> = read.iter().map(|(record, _, _)| record).collect();
        files += write_records(&records, first, out)?;
        for (k, (_, words, _)) in read.iter().enumerate() {
            let n = (first + k) as u32;
            for (word, &weight) in words {
                let id = match ids.get(word.as_str()) {
                    Some(&id) => id,
                    None => {
                        let stem = stemmer
                            .as_ref()
                            .map_or_else(|| word.clone(), |s| s.stem(word).into_owned());
                        let next = stems.len();
                        index.stem.push(*stems.entry(stem).or_insert(next));
                        index.postings.push(Vec::new());
                        ids.insert(word.clone(), index.stem.len() - 1);
                        index.stem.len() - 1
                    }
                };
                index.postings[id].push((n, weight));
            }
        }
    }
    drop(stems);
    let groups = group_words(ids, &index);
    let keys: Vec<&String> = groups.iter().map(|(key, _)| key).collect();
    let meta = serde_json::json!({
        "pages": pages.len(),
        "per_file": PER_FILE,
        "texts_per_file": TEXTS_PER_FILE,
        "keys": keys,
    });
    out.write(&search_file("meta.json"), meta.to_string().as_bytes())?;
    let words: Result<Vec<()>> = groups
        .par_iter()
        .map(|(key, group)| {
            let file = search_file(&format!("w/{}.json", hex(key)));
            out.write(&file, words_file(group, &index).as_bytes())
        })
        .collect();
    words?;
    Ok(files + 1 + groups.len())
}

/// Writes the files of page records `first..` (`first` a multiple of [`PER_FILE`]);
/// returns how many.
fn write_records(records: &[&Record], first: usize, out: &dyn Sink) -> Result<usize> {
    records
        .par_chunks(PER_FILE)
        .enumerate()
        .map(|(k, chunk)| {
            let json = serde_json::to_string(chunk).expect("records serialize");
            let n = first / PER_FILE + k;
            out.write(&search_file(&format!("p/{n}.json")), json.as_bytes())?;
            Ok(1)
        })
        .sum()
}

/// Writes the whole texts of pages `first..` (`first` a multiple of [`TEXTS_PER_FILE`]),
/// [`TEXTS_PER_FILE`] to a file, as an array with `null` for a page whose record holds all
/// its text; no file where none does. Returns how many.
fn write_texts(texts: &[Option<&String>], first: usize, out: &dyn Sink) -> Result<usize> {
    texts
        .par_chunks(TEXTS_PER_FILE)
        .enumerate()
        .filter(|(_, chunk)| chunk.iter().any(Option::is_some))
        .map(|(k, chunk)| {
            let json = serde_json::to_string(chunk).expect("strings serialize");
            let n = first / TEXTS_PER_FILE + k;
            out.write(&search_file(&format!("t/{n}.json")), json.as_bytes())?;
            Ok(1)
        })
        .sum()
}

/// Every word's pages (ascending, with the word's weight on each) and its stem.
#[derive(Default)]
struct Index {
    postings: Vec<Vec<(u32, u32)>>,
    stem: Vec<usize>,
}

/// The words of the index (word → its number in `index`) in files by key (the first
/// letters of their words): each key with its words.
type Group = Vec<(String, usize)>;

fn group_words(ids: HashMap<String, usize>, index: &Index) -> Vec<(String, Group)> {
    let mut words: Vec<(String, usize)> = ids.into_iter().collect();
    words.sort_unstable();
    let mut done = BTreeMap::new();
    let mut todo: Vec<(usize, Vec<(String, usize)>)> = Vec::new();
    // First by two letters, then splitting what is too large.
    let mut by_key: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
    for (word, id) in words {
        by_key.entry(prefix(&word, 2)).or_default().push((word, id));
    }
    todo.extend(by_key.into_values().map(|group| (2, group)));
    while let Some((len, group)) = todo.pop() {
        let key = prefix(&group[0].0, len);
        if file_size(&group, index) <= MOST_PER_KEY || len >= 6 || group.len() == 1 {
            done.insert(key, group);
            continue;
        }
        // Words no longer than the key stay under it; the others go one letter deeper.
        let mut deeper: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
        let mut here = Vec::new();
        for (word, id) in group {
            if word.chars().count() <= len {
                here.push((word, id));
            } else {
                deeper
                    .entry(prefix(&word, len + 1))
                    .or_default()
                    .push((word, id));
            }
        }
        if !here.is_empty() {
            done.insert(key, here);
        }
        todo.extend(deeper.into_values().map(|g| (len + 1, g)));
    }
    done.into_iter().collect()
}

/// The JSON of a file of words: for each word, its stem (a number shared by the words of
/// one stem in this file), then its pages and weights, pages written as differences.
/// Written by hand: these are most of the index's numbers, and serde_json's `Value`s
/// for them cost more than the rest of the index.
fn words_file(group: &[(String, usize)], index: &Index) -> String {
    let mut stems: HashMap<usize, usize> = HashMap::default();
    let mut out = String::with_capacity(file_size(group, index) + 16);
    let mut number = itoa::Buffer::new();
    out.push_str("{\"w\":{");
    for (n, (word, id)) in group.iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(word).expect("a string serializes"));
        out.push_str(":[");
        let next = stems.len();
        out.push_str(number.format(*stems.entry(index.stem[*id]).or_insert(next)));
        let mut last = 0;
        for &(page, weight) in &index.postings[*id] {
            out.push(',');
            out.push_str(number.format(page - last));
            out.push(',');
            out.push_str(number.format(weight));
            last = page;
        }
        out.push(']');
    }
    out.push_str("}}");
    out
}

/// About how many bytes [`words_file`] writes for `group`, without writing it.
fn file_size(group: &[(String, usize)], index: &Index) -> usize {
    let digits = |n: u32| (n.max(1).ilog10() + 1) as usize;
    group
        .iter()
        .map(|(word, id)| {
            let mut last = 0;
            let pages: usize = index.postings[*id]
                .iter()
                .map(|&(page, weight)| {
                    let d = digits(page - last) + digits(weight) + 2;
                    last = page;
                    d
                })
                .sum();
            word.len() + 8 + pages
        })
        .sum()
}

/// The first `n` characters of `word`.
fn prefix(word: &str, n: usize) -> String {
    word.chars().take(n).collect()
}

/// A key as a file name: the hex of its UTF-8 bytes (`co` → `636f`), as the script does.
fn hex(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

fn stemmer_for(language: &str) -> Option<pagefind_stem::Stemmer> {
    let algorithm = match language.split(['-', '_']).next().unwrap_or("") {
        "nl" => pagefind_stem::Algorithm::Dutch,
        "en" => pagefind_stem::Algorithm::English,
        _ => return None,
    };
    Some(pagefind_stem::Stemmer::create(algorithm))
}

/// Adds `weight` to `word`'s sum, allocating the word only the first time it is seen.
fn tally(words: &mut HashMap<String, u32>, word: &str, weight: u32) {
    match words.get_mut(word) {
        Some(sum) => *sum += weight,
        None => {
            words.insert(word.to_owned(), weight);
        }
    }
}

/// A page's record, its words with their weights, and its whole text when that goes on
/// past the record's.
fn read_page(site: &Site, index: usize) -> (Record<'_>, HashMap<String, u32>, Option<String>) {
    let page = &site.pages[index];
    let mut words = HashMap::default();
    let mut add = |text: &str, weight: u32| for_each_word(text, |w| tally(&mut words, w, weight));
    let text = html_text(&page.content.html, FULL_TEXT);
    add(&page.title, IN_TITLE);
    if let Some(d) = &page.description {
        add(d, IN_DETAILS);
    }
    let mut date = None;
    match &page.details {
        Details::Event(e) => {
            date = Some(e.start.strftime("%Y-%m-%dT%H:%M").to_string());
            if let Some(l) = &e.location {
                add(l.name.as_deref().unwrap_or(""), IN_DETAILS);
                add(l.address.as_deref().unwrap_or(""), IN_DETAILS);
            }
        }
        Details::Masterclass(m) => {
            date = m
                .sessions
                .first()
                .map(|s| s.start.strftime("%Y-%m-%dT%H:%M").to_string());
            add(m.level.as_deref().unwrap_or(""), IN_DETAILS);
        }
        Details::Member(m) => {
            add(&m.name, IN_TITLE);
            add(m.role.as_deref().unwrap_or(""), IN_DETAILS);
            add(m.location.as_deref().unwrap_or(""), IN_DETAILS);
            for skill in &m.skills {
                add(skill, IN_DETAILS);
            }
            date = m.role.clone();
        }
        _ => {}
    }
    for tag in &page.tags {
        add(tag, IN_DETAILS);
    }
    for_each_word_in_html(&page.content.html, |w| tally(&mut words, w, IN_TEXT));
    let lead = page.description.as_deref().unwrap_or("");
    let mut x = String::with_capacity(lead.len() + text.len() + 8);
    for part in [lead, text.as_str()] {
        if !part.is_empty() && !x.contains(part) {
            if !x.is_empty() {
                x.push_str(" · ");
            }
            x.push_str(part);
        }
    }
    let mut full = None;
    if let Some((cut, _)) = x.char_indices().nth(EXCERPT_TEXT) {
        full = Some(x.clone());
        x.truncate(cut);
    }
    let title = match &page.details {
        Details::Member(m) => m.name.as_str(),
        _ => page.title.as_str(),
    };
    let from_root = page
        .permalink
        .strip_prefix(site.config.base_url.as_str())
        .unwrap_or(&page.path);
    let record = Record {
        u: format!("../{from_root}"),
        t: title,
        k: page.kind.name(),
        d: date,
        x,
        f: full.is_some(),
    };
    (record, words, full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_and_english_words_meet_at_their_stem() {
        let nl = stemmer_for("nl").unwrap();
        assert_eq!(nl.stem("gemeenschappen"), nl.stem("gemeenschap"));
        let en = stemmer_for("en-GB").unwrap();
        assert_eq!(en.stem("communities"), en.stem("community"));
        assert!(stemmer_for("fy").is_none());
    }

    #[test]
    fn keys_split_until_files_are_small() {
        let index = Index {
            postings: (0..401)
                .map(|i| (0..200).map(|p| (p, i % 7 + 1)).collect())
                .collect(),
            stem: (0..401).map(|i| i / 2).collect(),
        };
        let ids: HashMap<String, usize> = (0..400)
            .map(|i| (format!("co{i:03}word"), i))
            .chain([("co".to_string(), 400)])
            .collect();
        let groups: BTreeMap<String, String> = group_words(ids, &index)
            .into_iter()
            .map(|(key, group)| (key, words_file(&group, &index)))
            .collect();
        assert!(groups.len() > 1, "{:?}", groups.keys().collect::<Vec<_>>());
        assert!(
            groups.contains_key("co"),
            "the two-letter word stays under its key"
        );
        for (key, json) in &groups {
            assert!(
                json.len() <= MOST_PER_KEY || key.chars().count() >= 6,
                "{key}: {}",
                json.len()
            );
            let v: serde_json::Value = serde_json::from_str(json).unwrap();
            for word in v["w"].as_object().unwrap().keys() {
                assert!(word.starts_with(key.as_str()), "{word} under {key}");
            }
        }
        assert_eq!(hex("co"), "636f");
        assert_eq!(hex("ïj"), "c3af6a");
    }
}
