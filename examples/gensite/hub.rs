//! The shape of a real hub (issue #23), for kring and, with `--hugo`, the same corpus for
//! Hugo: 80% articles, 10% events, 10% members.

use std::fmt::Write as _;
use std::path::Path;

use crate::{Rng, WORDS, sentence};

const FIRST: &[&str] = &[
    "Maya", "Daan", "Sanne", "Youssef", "Lotte", "Finn", "Noor", "Bram", "Emma", "Sem",
];
const LAST: &[&str] = &["Yilmaz", "de Vries", "Jansen", "Bakker", "El Amrani"];
const HOSTS: &[&str] = &[
    "https://developer.mozilla.org/en-US/docs/Web",
    "https://www.rijksoverheid.nl/onderwerpen",
    "https://en.wikipedia.org/wiki",
    "https://github.com/rust-lang/rust/issues",
    "https://news.ycombinator.com/item?id=",
    "https://www.nrc.nl/nieuws/2025",
];
const CODE: &[(&str, &str)] = &[
    (
        "python",
        "def welcome(member):\n    \"\"\"Send the welcome mail.\"\"\"\n    if member.is_new:\n        send(member.email, template=\"welcome\")\n    return member\n",
    ),
    (
        "rust",
        "fn main() {\n    let members = load(\"members.toml\").unwrap();\n    for m in members.iter().filter(|m| m.active) {\n        println!(\"{}\", m.name);\n    }\n}\n",
    ),
    (
        "toml",
        "[discussion]\ndefault = \"https://forum.example.org/\"\n\n[newsletter]\nprovider = \"buttondown\"\n",
    ),
    (
        "sh",
        "kring build my-hub\nrsync -a my-hub/public/ server:/var/www/hub/\n",
    ),
];

/// One of 50 author names.
fn author(rng: &mut Rng) -> String {
    let i = rng.below(50);
    format!("{} {}", FIRST[i % FIRST.len()], LAST[i / FIRST.len()])
}

/// A paragraph with inline code, bold and italic, and now and then a link to another host.
fn paragraph(rng: &mut Rng, links: &mut usize) -> String {
    let mut p = String::new();
    for s in 0..3 + rng.below(3) {
        let words = 10 + rng.below(12);
        let mut line = sentence(rng, words);
        match (s + rng.below(5)) % 6 {
            0 => line = format!("**{}** {line}", WORDS[rng.below(WORDS.len())]),
            1 => line = format!("{line} *{}*.", WORDS[rng.below(WORDS.len())]),
            2 => {
                line = format!(
                    "Run `kring {}` first. {line}",
                    WORDS[rng.below(WORDS.len())]
                )
            }
            3 if *links > 0 => {
                *links -= 1;
                let host = HOSTS[rng.below(HOSTS.len())];
                line = format!(
                    "{line} See [{}]({host}/{}{}).",
                    WORDS[rng.below(WORDS.len())],
                    WORDS[rng.below(WORDS.len())],
                    rng.below(10_000)
                );
            }
            _ => {}
        }
        if s > 0 {
            p.push(' ');
        }
        p.push_str(&line);
    }
    p
}

/// 600–900 words: `##` headings, paragraphs, bullet lists, 1–3 outbound links, and in one
/// article of four a fenced code block.
fn article_body(rng: &mut Rng) -> String {
    let target = 600 + rng.below(300);
    let mut links = 1 + rng.below(3);
    let mut b = String::new();
    let mut part = 0;
    while b.split_whitespace().count() < target {
        if part % 2 == 0 {
            let words = 3 + rng.below(4);
            let _ = writeln!(b, "## {}\n", sentence(rng, words).trim_end_matches('.'));
        }
        let _ = writeln!(b, "{}\n", paragraph(rng, &mut links));
        if part % 3 == 1 {
            for _ in 0..3 + rng.below(3) {
                let words = 5 + rng.below(6);
                let _ = writeln!(b, "- {}", sentence(rng, words));
            }
            b.push('\n');
        }
        if part == 2 && rng.below(4) == 0 {
            let (lang, code) = CODE[rng.below(CODE.len())];
            let _ = writeln!(b, "```{lang}\n{code}```\n");
        }
        part += 1;
    }
    while links > 0 {
        links -= 1;
        let host = HOSTS[rng.below(HOSTS.len())];
        let _ = writeln!(b, "More in [the notes]({host}/notes{}).\n", rng.below(1000));
    }
    b
}

fn toml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

pub fn write(dir: &Path, n: usize, hugo: bool) {
    let content = dir.join("content");
    // Only the address and the name: cards, search, feeds and calendars at their defaults.
    std::fs::write(
        dir.join("kring.toml"),
        "base_url = \"https://hub.example.org/\"\ntitle = \"De Kring\"\n",
    )
    .unwrap();
    if hugo {
        std::fs::write(
            dir.join("hugo.toml"),
            "baseURL = \"https://hub.example.org/\"\ntitle = \"De Kring\"\ndisableKinds = [\"RSS\"]\n[pagination]\npagerSize = 20\n[taxonomies]\ntag = \"tags\"\n",
        )
        .unwrap();
    }
    for (section, title, kind) in [
        ("articles", "Artikelen", ""),
        ("events", "Agenda", "kind = \"events\"\n"),
        ("members", "Leden", "kind = \"members\"\n"),
    ] {
        std::fs::write(
            content.join(section).join("_index.md"),
            format!("+++\ntitle = \"{title}\"\n{kind}paginate_by = 20\n+++\n"),
        )
        .unwrap();
    }
    let mut rng = Rng(0x2545f4914f6cdd1d);
    let n_articles = n * 8 / 10;
    let n_events = n / 10;
    let n_members = n - n_articles - n_events;
    for i in 0..n_articles {
        let tags: Vec<String> = (0..1 + rng.below(4))
            .map(|_| format!("tag{}", rng.below(200)))
            .collect();
        let authors = vec![author(&mut rng)];
        // Six years of archive: 2020-01-01 plus up to 6 × 365 days.
        let date = jiff::civil::date(2020, 1, 1)
            .checked_add(jiff::Span::new().days(rng.below(6 * 365) as i64))
            .unwrap();
        let words = 3 + rng.below(5);
        let title = sentence(&mut rng, words);
        let text = format!(
            "+++\ntitle = \"{}\"\ndescription = \"{}\"\ndate = {date}\ntags = {}\nauthors = {}\n+++\n\n{}",
            title.trim_end_matches('.'),
            sentence(&mut rng, 14),
            toml_list(&tags),
            toml_list(&authors),
            article_body(&mut rng)
        );
        std::fs::write(content.join(format!("articles/a{i}.md")), text).unwrap();
    }
    for i in 0..n_events {
        let date = jiff::civil::date(2024, 1, 1)
            .checked_add(jiff::Span::new().days(rng.below(4 * 365) as i64))
            .unwrap();
        let offset = if (date.month() as u8) < 4 || date.month() > 10 {
            "+01:00"
        } else {
            "+02:00"
        };
        let agenda: String = (0..3 + rng.below(3))
            .map(|k| {
                format!(
                    "- {}:{:02} {}\n",
                    19 + k / 2,
                    (k % 2) * 30,
                    sentence(&mut rng, 5)
                )
            })
            .collect();
        let when = if hugo {
            format!("date = {date}T19:30:00{offset}")
        } else {
            format!(
                "start = {date}T19:30:00{offset}\nonline_url = \"https://meet.example.org/e{i}\"\nlocation = {{ name = \"{} {}\" }}",
                WORDS[rng.below(WORDS.len())],
                ["Bibliotheek", "Buurthuis", "Café"][rng.below(3)]
            )
        };
        let text = format!(
            "+++\ntitle = \"{}\"\n{when}\n+++\n\n{}\n\n## Agenda\n\n{agenda}",
            sentence(&mut rng, 4).trim_end_matches('.'),
            sentence(&mut rng, 40)
        );
        std::fs::write(content.join(format!("events/e{i}.md")), text).unwrap();
    }
    for i in 0..n_members {
        let name = format!(
            "{} {} {i}",
            FIRST[i % FIRST.len()],
            LAST[rng.below(LAST.len())]
        );
        let front = if hugo {
            format!("title = \"{name}\"")
        } else {
            format!(
                "name = \"{name}\"\nlinks = {{ website = \"https://m{i}.example.org/\", github = \"https://github.com/m{i}\" }}"
            )
        };
        let list: String = (0..2 + rng.below(3))
            .map(|_| format!("- {}\n", sentence(&mut rng, 4)))
            .collect();
        let text = format!("+++\n{front}\n+++\n\n{}\n\n{list}", sentence(&mut rng, 25));
        std::fs::write(content.join(format!("members/m{i}.md")), text).unwrap();
    }
}
