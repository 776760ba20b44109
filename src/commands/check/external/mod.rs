//! `kring check --external`: every link from the site to another one (in pages, member
//! and community cards, event registration and online addresses) asked once, and each
//! broken one reported where it is written: the Markdown file and line, or `kring.toml`.

mod cache;
mod fetch;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::links::ExternalUse;
use crate::config::CheckConfig;
use crate::error::Diagnostic;
use crate::http::Client;
use crate::vocabulary::CONFIG_FILE;
use cache::LinkCache;
use fetch::Answer;

/// What the external check found.
#[derive(Debug, Default)]
pub struct ExternalReport {
    /// Different addresses linked to in the site's own files.
    pub links: usize,
    /// Of those, answered well within the cache's time and not asked again.
    pub cached: usize,
    /// Of those, on a host in `[check] skip_hosts`.
    pub skipped: usize,
    /// Links that are certainly broken (4xx but 429, an unknown host): the check fails.
    pub broken: Vec<Diagnostic>,
    /// Links that did not answer well this time (timeouts, 5xx, busy hosts): warnings.
    pub unsure: Vec<Diagnostic>,
    /// Hosts whose remaining links were not asked (they timed out twice, or stayed busy
    /// past the waits allowed), one warning each naming the links and where they are.
    pub hosts_given_up: Vec<String>,
}

impl ExternalReport {
    /// The warnings, of links and of hosts.
    pub fn warnings(&self) -> usize {
        self.unsure.len() + self.hosts_given_up.len()
    }
}

/// Asks for every address in `uses` that is neither skipped nor fresh in the cache.
pub fn check_external(
    site_dir: &Path,
    config: &CheckConfig,
    uses: &[ExternalUse],
) -> ExternalReport {
    let mut report = ExternalReport::default();
    // Each address once, without its #fragment (which is never sent).
    let mut pages_of: BTreeMap<String, Vec<&ExternalUse>> = BTreeMap::new();
    for u in uses {
        pages_of
            .entry(without_fragment(&u.url))
            .or_default()
            .push(u);
    }
    // Where each is written. An address in none of the site's files is the theme's own
    // (an "add to calendar" link), not the author's to fix, and is not asked.
    let written = WrittenFiles::read(site_dir, uses);
    let places: BTreeMap<&String, BTreeSet<Place>> = pages_of
        .iter()
        .map(|(address, uses)| (address, places(&written, uses)))
        .filter(|(_, places)| places.iter().any(|p| matches!(p, Place::Source(..))))
        .collect();
    report.links = places.len();
    let mut cache = LinkCache::open(site_dir, config.cache_hours);
    let mut to_ask = Vec::new();
    // The address as written, by the form it is asked in.
    let mut written_as: HashMap<String, &String> = HashMap::new();
    let mut answers: BTreeMap<String, Answer> = BTreeMap::new();
    for address in places.keys().copied() {
        match url::Url::parse(address) {
            Ok(url)
                if url
                    .host_str()
                    .is_some_and(|h| is_skipped(h, &config.skip_hosts)) =>
            {
                report.skipped += 1
            }
            Ok(_) if cache.is_fresh(address) => report.cached += 1,
            Ok(url) => {
                written_as.insert(url.as_str().to_string(), address);
                to_ask.push(url);
            }
            Err(e) => {
                answers.insert(
                    address.clone(),
                    Answer::Broken(format!("not a valid address ({e})")),
                );
            }
        }
    }
    let timeout = Duration::from_secs(config.timeout.max(1));
    let client = Client::new("link check", timeout, 10);
    let (asked, gave_up) = fetch::ask_all(&client, to_ask, timeout);
    for host in gave_up {
        let links: Vec<String> = host
            .skipped
            .iter()
            .map(|url| {
                let address = written_as.get(url.as_str()).copied();
                let place = address
                    .and_then(|a| places.get(a))
                    .and_then(|p| p.first())
                    .map(|p| format!(" ({})", p.shown()))
                    .unwrap_or_default();
                format!("{}{place}", address.map_or(url.as_str(), |a| a.as_str()))
            })
            .collect();
        report.hosts_given_up.push(format!(
            "{}: {}; its {} other links were not asked: {}",
            host.host,
            host.why,
            links.len(),
            links.join(", ")
        ));
    }
    for (url, answer) in asked {
        if answer == Answer::Good {
            cache.remember(url.as_str());
        }
        answers.insert(url.as_str().to_string(), answer);
    }
    // The cache is a shortcut: a folder that cannot be written only costs time next run.
    let _ = cache.save();

    for (address, places) in &places {
        // `Url` writes an address in its normal form (`https://Host` → `https://host/`).
        let answer = url::Url::parse(address)
            .ok()
            .and_then(|u| answers.get(u.as_str()))
            .or_else(|| answers.get(*address));
        let (list, reason) = match answer {
            Some(Answer::Broken(reason)) => (&mut report.broken, reason),
            Some(Answer::Unsure(reason)) => (&mut report.unsure, reason),
            Some(Answer::Good) | None => continue,
        };
        for place in places {
            list.push(place.diagnostic(format!("link to {address}: {reason}")));
        }
    }
    report
}

/// Where a link is written, for its message.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Place {
    /// A file of the site and the line.
    Source(PathBuf, usize),
    /// Only in the output: the first page that has it, and how many others do.
    Output(PathBuf, usize),
}

impl Place {
    /// `file:line`, or the output page.
    fn shown(&self) -> String {
        match self {
            Place::Source(file, line) => format!("{}:{line}", file.display()),
            Place::Output(page, _) => page.display().to_string(),
        }
    }

    fn diagnostic(&self, message: String) -> Diagnostic {
        match self {
            Place::Source(file, line) => Diagnostic::new(file, message).at_line(*line),
            Place::Output(page, 0) => Diagnostic::new(page, message),
            Place::Output(page, others) => {
                Diagnostic::new(page, format!("{message} (and on {others} other pages)"))
            }
        }
    }
}

/// The files links are written in, each read once: the source files of the pages that
/// have links, and the site's other files that can hold one, `kring.toml` (community
/// cards, the discussion forum) and the templates of `templates/` and `themes/`.
struct WrittenFiles {
    /// Page source file as shown (`content/articles/x.md`) → its text.
    pages: HashMap<PathBuf, String>,
    /// (path shown, text) of the other files, in the order searched.
    others: Vec<(PathBuf, String)>,
}

impl WrittenFiles {
    fn read(site_dir: &Path, uses: &[ExternalUse]) -> WrittenFiles {
        let mut pages = HashMap::new();
        for u in uses.iter().filter(|u| u.has_source) {
            if !pages.contains_key(&u.page)
                && let Ok(text) = std::fs::read_to_string(site_dir.join(&u.page))
            {
                pages.insert(u.page.clone(), text);
            }
        }
        let mut others = vec![(
            PathBuf::from(CONFIG_FILE),
            std::fs::read_to_string(site_dir.join(CONFIG_FILE)).unwrap_or_default(),
        )];
        for folder in ["templates", "themes"] {
            for (rel, path) in crate::render::theme::files_under(&site_dir.join(folder)) {
                if rel.ends_with(".html") || rel.ends_with(".toml") {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    others.push((Path::new(folder).join(rel), text));
                }
            }
        }
        WrittenFiles { pages, others }
    }
}

/// The places an address is written: its line in each page's source file that has it;
/// otherwise its line in `kring.toml` or a template, once; otherwise the output pages.
fn places(written: &WrittenFiles, uses: &[&ExternalUse]) -> BTreeSet<Place> {
    let mut found = BTreeSet::new();
    let mut elsewhere = Vec::new();
    for u in uses {
        let line = written
            .pages
            .get(&u.page)
            .and_then(|text| line_of(text, &u.url));
        match line {
            Some(line) => {
                found.insert(Place::Source(u.page.clone(), line));
            }
            None => elsewhere.push(*u),
        }
    }
    if let Some(first) = elsewhere.first() {
        let in_file = written
            .others
            .iter()
            .find_map(|(file, text)| Some(Place::Source(file.clone(), line_of(text, &first.url)?)));
        found.insert(
            in_file.unwrap_or_else(|| Place::Output(first.page.clone(), elsewhere.len() - 1)),
        );
    }
    found
}

/// The 1-based line of `url` in `text`, as written or with `&` escaped as in HTML.
fn line_of(text: &str, url: &str) -> Option<usize> {
    let at = text
        .find(url)
        .or_else(|| text.find(&url.replace('&', "&amp;")))?;
    Some(text[..at].matches('\n').count() + 1)
}

fn without_fragment(url: &str) -> String {
    url.split_once('#').map_or(url, |(u, _)| u).to_string()
}

/// Whether `host` is one of `skip` or under one of them (`www.linkedin.com` under
/// `linkedin.com`).
fn is_skipped(host: &str, skip: &[String]) -> bool {
    let host = host.to_ascii_lowercase();
    skip.iter().any(|s| {
        let s = s.trim().trim_start_matches("*.").to_ascii_lowercase();
        !s.is_empty() && (host == s || host.ends_with(&format!(".{s}")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipped_hosts_take_their_subdomains_but_not_lookalikes() {
        let skip = vec!["linkedin.com".to_string(), "*.example.org".to_string()];
        assert!(is_skipped("linkedin.com", &skip));
        assert!(is_skipped("www.LinkedIn.com", &skip));
        assert!(is_skipped("a.example.org", &skip));
        assert!(!is_skipped("notlinkedin.com", &skip));
        assert!(!is_skipped("linkedin.com.evil.net", &skip));
    }

    #[test]
    fn a_line_is_found_as_written_or_escaped() {
        let text = "a\nb [x](https://h/?a=1&b=2)\n";
        assert_eq!(line_of(text, "https://h/?a=1&b=2"), Some(2));
        let html = "a\n\nb <a href=\"https://h/?a=1&amp;b=2\">";
        assert_eq!(line_of(html, "https://h/?a=1&b=2"), Some(3));
        assert_eq!(line_of(text, "https://other/"), None);
    }
}
