//! A mutation fuzzer over what users write: dates, recurrence rules, front matter and
//! Markdown. Runs on stable as an ordinary test, for `KRING_FUZZ_SECONDS` (5 by default;
//! `.ci/run` gives it longer), starting from the corpus in `tests/fuzz/` and mutating with
//! the characters and shapes that broke kring before: non-ASCII, control characters,
//! markup, deep nesting, names of generated paths. It asserts that nothing panics and that
//! a site build that fails names the file and line of the page at fault.

use crate::common;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use common::*;

/// xorshift64*: a small, seedable generator; the seed is printed so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const HOSTILE: &[&str] = &[
    "é",
    "€",
    "😀",
    "\u{0}",
    "\r",
    "\r\n",
    "\n",
    "\t",
    "\u{b}",
    "\u{2028}",
    "<!--<script>",
    "</script>",
    "\"",
    "'",
    "\\",
    ";",
    ",",
    "=",
    "[",
    "]",
    "{",
    "}",
    "+++",
    "- ",
    "> ",
    "1. ",
    "#",
    "`",
    "```",
    "*",
    "_",
    "[x](@/nope.md)",
    "<div>",
    "tags",
    "rss.xml",
    "index.html",
    "BEGIN:VEVENT",
    "T",
    "Z",
    "+01:00",
    "-",
    ":",
    "0",
    "9",
    "99999999",
];

fn mutate(rng: &mut Rng, input: &str) -> String {
    let mut chars: Vec<char> = input.chars().collect();
    for _ in 0..=rng.below(4) {
        let at = rng.below(chars.len() + 1);
        match rng.below(6) {
            0 | 1 => {
                let insert: Vec<char> = rng.pick(HOSTILE).chars().collect();
                chars.splice(at..at, insert);
            }
            2 if !chars.is_empty() => {
                let end = (at + rng.below(8)).min(chars.len());
                chars.drain(at.min(end)..end);
            }
            3 if !chars.is_empty() => {
                let at = at.min(chars.len() - 1);
                chars[at] = *rng.pick(&['é', '\0', '\r', '9', '€', ' ', '<']);
            }
            4 => {
                // Repeat a slice: nesting, long runs.
                let end = (at + 1 + rng.below(4)).min(chars.len());
                let piece: Vec<char> = chars[at.min(end)..end].to_vec();
                let most = if rng.below(10) == 0 { 3000 } else { 20 };
                let times = 1 + rng.below(most);
                for _ in 0..times {
                    chars.splice(at..at, piece.iter().copied());
                }
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

fn corpus(name: &str) -> Vec<String> {
    std::fs::read_to_string(repo().join("tests/fuzz").join(name))
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

fn budget() -> Duration {
    let seconds = std::env::var("KRING_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5.0);
    Duration::from_secs_f64(seconds)
}

fn seed() -> u64 {
    let seed = std::env::var("KRING_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64 | 1)
        });
    eprintln!("fuzz seed: {seed} (KRING_FUZZ_SEED={seed} reproduces it)");
    seed
}

#[test]
fn dates_and_recurrence_rules_never_panic() {
    let mut rng = Rng(seed());
    let dates = corpus("dates.txt");
    let rules = corpus("rules.txt");
    let until = Instant::now() + budget() / 3;
    let mut runs = 0;
    while Instant::now() < until || runs < 1000 {
        let date = rng.pick(&dates).clone();
        let date = mutate(&mut rng, &date);
        let parsed = catch_unwind(|| kring::time::WrittenDate::parse(&date).is_ok());
        assert!(parsed.is_ok(), "WrittenDate::parse panicked on {date:?}");
        let rule = rng.pick(&rules).clone();
        let rule = mutate(&mut rng, &rule);
        let parsed = catch_unwind(|| rule.parse::<kring::model::recurrence::Recurrence>().is_ok());
        assert!(parsed.is_ok(), "Recurrence parse panicked on {rule:?}");
        runs += 1;
    }
}

#[test]
fn pages_never_panic_and_errors_name_their_line() {
    let mut rng = Rng(seed().rotate_left(17));
    let pages: Vec<(String, String)> = ["article.md", "event.md"]
        .iter()
        .map(|n| {
            let text = std::fs::read_to_string(repo().join("tests/fuzz/pages").join(n)).unwrap();
            (n.to_string(), text)
        })
        .collect();
    let (_tmp, site) = fixture("hub");
    let until = Instant::now() + budget() * 2 / 3;
    let mut runs = 0;
    while Instant::now() < until || runs < 20 {
        let (name, text) = rng.pick(&pages).clone();
        let section = if name == "event.md" {
            "events"
        } else {
            "articles"
        };
        let rel = format!("content/{section}/fuzzed.md");
        let fuzzed = mutate(&mut rng, &text);
        write(&site, &rel, &fuzzed);
        let result = catch_unwind(AssertUnwindSafe(|| kring::build(&site, &options(), None)));
        let outcome = result.unwrap_or_else(|_| panic!("the build panicked on {rel}:\n{fuzzed:?}"));
        if let Err(e) = outcome {
            for d in e.diagnostics() {
                if d.file.to_string_lossy().ends_with("fuzzed.md") {
                    assert!(d.line.is_some(), "no line for: {d}\ninput: {fuzzed:?}");
                }
            }
        }
        runs += 1;
    }
    eprintln!("{runs} fuzzed site builds");
}

/// One mutated export of `platform` in `dir`, from the fixtures; its description.
fn mutated_export(
    rng: &mut Rng,
    platform: usize,
    dir: &std::path::Path,
) -> (std::path::PathBuf, String) {
    let fixtures = repo().join("tests/fixtures/import");
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    match platform {
        0 => {
            let folder = dir.join("substack");
            let mut csv = read(&fixtures, "substack/posts.csv");
            let mut post = read(&fixtures, "substack/posts/100009.hostile.html");
            if rng.below(2) == 0 {
                csv = mutate(rng, &csv);
            } else {
                post = mutate(rng, &post);
            }
            write(&folder, "posts.csv", &csv);
            write(&folder, "posts/100009.hostile.html", &post);
            (folder, format!("posts.csv {csv:?}\npost {post:?}"))
        }
        1 => {
            let json = mutate(rng, &read(&fixtures, "ghost.json"));
            let path = dir.join("ghost.json");
            std::fs::write(&path, &json).unwrap();
            (path, format!("{json:?}"))
        }
        _ => {
            let xml = mutate(rng, &read(&fixtures, "wordpress.xml"));
            let path = dir.join("wordpress.xml");
            std::fs::write(&path, &xml).unwrap();
            (path, format!("{xml:?}"))
        }
    }
}

#[test]
fn mutated_exports_import_and_build_or_are_refused_untouched() {
    use kring::import::{Options, Platform, import};
    let mut rng = Rng(seed().rotate_left(31));
    let tmp = tempfile::tempdir().unwrap();
    let existing = tmp.path().join("existing");
    let args = |platform: usize, export: std::path::PathBuf| Options {
        site_url: Some("https://old.example.org".into()),
        ..Options::new(
            [Platform::Substack, Platform::Ghost, Platform::Wordpress][platform],
            export,
        )
    };
    let plain = repo().join("tests/fixtures/import/wordpress.xml");
    import(&args(2, plain), &existing).expect("the fixture imports");
    let until = Instant::now() + budget() / 3;
    let mut runs = 0;
    while Instant::now() < until || runs < 6 {
        let platform = rng.below(3);
        let (export, shown) = mutated_export(&mut rng, platform, &tmp.path().join("export"));
        let site = if rng.below(2) == 0 {
            existing.clone()
        } else {
            tmp.path().join(format!("new-{runs}"))
        };
        let before = tree(&site);
        let result = catch_unwind(AssertUnwindSafe(|| import(&args(platform, export), &site)));
        let outcome = result.unwrap_or_else(|_| panic!("the import panicked on:\n{shown}"));
        match outcome {
            Ok(_) => {
                if let Err(e) = kring::build(&site, &options(), None) {
                    panic!("an import that does not build:\n{e}\ninput: {shown}");
                }
            }
            Err(e) => {
                assert!(!e.to_string().trim().is_empty(), "{shown}");
                assert_eq!(
                    tree(&site),
                    before,
                    "a refused import changed the site: {e}\n{shown}"
                );
            }
        }
        runs += 1;
    }
    eprintln!("{runs} fuzzed imports");
}
