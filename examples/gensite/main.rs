//! Generates a synthetic site for benchmarks:
//! `cargo run --profile dist --example gensite -- DIR N [--minimal-templates | --hugo] [--photos P]`.
//! With `--photos P`, P pages get a 4000×3000 JPEG as a phone makes it: half of them
//! articles (the photo in `static/photos/`, shown in their text), half members (a page
//! bundle with the photo as their avatar).
//! With `--hugo` it writes the same corpus as a Hugo site with minimal layouts
//! (`examples/bench-hugo/`), so `scripts/bench.sh` can time Hugo beside kring.
//! With `--minimal-templates` the site overrides the default theme with the small
//! templates in `examples/bench-templates/`, the kind of corpus Hugo and Zola are usually
//! compared on; without it the site renders with kring's full default theme.
//! 80% articles with 1-4 of 200 tags, 10% events, 10% members; bodies of ~600 words with
//! headings, lists, links and a table, so Markdown and templates do realistic work.
//! With `--hub` the corpus has the shape of a real hub (issue #23), which the benchmark uses
//! by default: articles of 600–900 words with inline code, emphasis, links to other hosts and
//! now and then a fenced code block, authors as plain names from a pool of 50, dates over
//! six years, sections listing 20 a page; events with an offset, an online URL, a named
//! location and an agenda; members with links and a bio with a list; a `kring.toml` with
//! only `base_url` and `title` (cards, search, feeds and calendars at their defaults).

mod hub;

use std::fmt::Write as _;
use std::path::Path;

pub(crate) const WORDS: &[&str] = &[
    "community",
    "members",
    "moderation",
    "trust",
    "newsletter",
    "meetup",
    "platform",
    "forum",
    "discord",
    "welcome",
    "onboarding",
    "rules",
    "volunteers",
    "growth",
    "small",
    "groups",
    "conversation",
    "event",
    "session",
    "masterclass",
    "people",
    "share",
    "learn",
    "together",
    "kring",
    "utrecht",
    "amsterdam",
    "care",
    "listen",
    "build",
    "host",
    "invite",
];

/// A tiny deterministic generator, so every run makes the same site.
pub(crate) struct Rng(pub(crate) u64);
impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

pub(crate) fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[rng.below(WORDS.len())]);
    }
    s.push('.');
    s
}

fn body(rng: &mut Rng, n_articles: usize, link: &dyn Fn(usize) -> String) -> String {
    let mut b = String::new();
    for section in 0..4 {
        let _ = writeln!(b, "## Part {section}: {}\n", sentence(rng, 4));
        for _ in 0..2 {
            let _ = writeln!(
                b,
                "{} {} {}\n",
                sentence(rng, 18),
                sentence(rng, 14),
                sentence(rng, 20)
            );
        }
        let _ = writeln!(
            b,
            "- {}\n- {}\n- see [another article]({})\n",
            sentence(rng, 6),
            sentence(rng, 7),
            link(rng.below(n_articles.max(1)))
        );
    }
    b.push_str("| what | how |\n|---|---|\n| rules | written |\n| moderators | three |\n");
    b
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let minimal = args.iter().any(|a| a == "--minimal-templates");
    let hugo = args.iter().any(|a| a == "--hugo");
    let hub = args.iter().any(|a| a == "--hub");
    let photos_at = args.iter().position(|a| a == "--photos");
    let photos: usize = photos_at
        .and_then(|i| args.get(i + 1))
        .map_or(0, |p| p.parse().expect("--photos takes a number"));
    let positional: Vec<&String> = args
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(i, a)| !a.starts_with("--") && photos_at.map(|p| p + 1) != Some(*i))
        .map(|(_, a)| a)
        .collect();
    let (dir, n) = match positional.as_slice() {
        [dir, n] => (
            Path::new(dir.as_str()).to_path_buf(),
            n.parse::<usize>().expect("N is a number"),
        ),
        _ => {
            eprintln!("usage: gensite DIR N [--hub] [--minimal-templates | --hugo]");
            std::process::exit(2);
        }
    };
    let _ = std::fs::remove_dir_all(&dir);
    let content = dir.join("content");
    for s in ["articles", "events", "members"] {
        std::fs::create_dir_all(content.join(s)).unwrap();
    }
    if hugo {
        std::fs::write(
            dir.join("hugo.toml"),
            "baseURL = \"https://bench.example.org/\"\ntitle = \"Bench\"\ntimeZone = \"Europe/Amsterdam\"\ndisableKinds = [\"RSS\"]\n[pagination]\npagerSize = 10\n[taxonomies]\ntag = \"tags\"\n",
        )
        .unwrap();
    }
    std::fs::write(
        dir.join("kring.toml"),
        "base_url = \"https://bench.example.org/\"\ntitle = \"Bench\"\ntimezone = \"Europe/Amsterdam\"\n",
    )
    .unwrap();
    std::fs::write(
        content.join("_index.md"),
        "+++\ntitle = \"Bench\"\n+++\nHome.\n",
    )
    .unwrap();
    std::fs::write(
        content.join("articles/_index.md"),
        "+++\ntitle = \"Articles\"\npaginate_by = 10\n+++\n",
    )
    .unwrap();
    std::fs::write(
        content.join("events/_index.md"),
        "+++\ntitle = \"Events\"\nkind = \"events\"\npaginate_by = 20\n+++\n",
    )
    .unwrap();
    std::fs::write(
        content.join("members/_index.md"),
        "+++\ntitle = \"Members\"\nkind = \"members\"\npaginate_by = 24\n+++\n",
    )
    .unwrap();

    if hub {
        hub::write(&dir, n, hugo);
        finish(&dir, hugo, minimal);
        println!("generated {n} pages (hub shape) in {}", dir.display());
        return;
    }
    // Hugo has no `@/file.md` links, members by id or event times: the same words and
    // structure, in front matter Hugo reads.
    let link = |i: usize| {
        if hugo {
            format!("/articles/a{i}/")
        } else {
            format!("@/articles/a{i}.md")
        }
    };
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let n_articles = n * 8 / 10;
    let n_events = n / 10;
    let n_members = n - n_articles - n_events;
    for i in 0..n_articles {
        let tags: Vec<String> = (0..1 + rng.below(4))
            .map(|_| format!("\"tag{}\"", rng.below(200)))
            .collect();
        let author = if n_members > 0 {
            format!("m{}", rng.below(n_members))
        } else {
            "someone".into()
        };
        let day = 1 + rng.below(28);
        let month = 1 + rng.below(10);
        let text = format!(
            "+++\ntitle = \"Article {i}: {}\"\ndescription = \"{}\"\ndate = 2025-{month:02}-{day:02}\ntags = [{}]\nauthors = [\"{author}\"]\n+++\n\n{}",
            sentence(&mut rng, 4).trim_end_matches('.'),
            sentence(&mut rng, 12),
            tags.join(", "),
            body(&mut rng, n_articles, &link)
        );
        std::fs::write(content.join(format!("articles/a{i}.md")), text).unwrap();
    }
    for i in 0..n_events {
        let day = 1 + rng.below(28);
        let month = 1 + rng.below(12);
        let text = format!(
            "+++\ntitle = \"Event {i}\"\n{}\n+++\n\n{}\n",
            if hugo {
                format!("date = 2026-{month:02}-{day:02}T19:30:00")
            } else {
                format!(
                    "start = 2026-{month:02}-{day:02}T19:30:00\nduration = \"2h\"\nlocation = {{ name = \"Library\", address = \"Main street {i}\" }}"
                )
            },
            sentence(&mut rng, 40)
        );
        std::fs::write(content.join(format!("events/e{i}.md")), text).unwrap();
    }
    for i in 0..n_members {
        let text = format!(
            "+++\n{} = \"Member {i}\"\n{}\n+++\n\n{}\n",
            if hugo { "title" } else { "name" },
            if hugo {
                format!("skills = [\"skill{}\"]", rng.below(30))
            } else {
                format!("role = \"Member\"\nskills = [\"skill{}\"]", rng.below(30))
            },
            sentence(&mut rng, 60)
        );
        std::fs::write(content.join(format!("members/m{i}.md")), text).unwrap();
    }
    finish(&dir, hugo, minimal);
    add_photos(&content, photos, n_articles, n_members);
    println!("generated {n} pages in {}", dir.display());
}

/// Hugo's layouts (and no kring.toml) for `--hugo`, the minimal templates for
/// `--minimal-templates`.
fn finish(dir: &Path, hugo: bool, minimal: bool) {
    if hugo {
        let _ = std::fs::remove_file(dir.join("kring.toml"));
        let layouts = dir.join("layouts");
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/bench-hugo");
        for entry in walk(&from) {
            let rel = entry.strip_prefix(&from).unwrap();
            std::fs::create_dir_all(layouts.join(rel).parent().unwrap()).unwrap();
            std::fs::copy(&entry, layouts.join(rel)).unwrap();
        }
        let css = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/kring/static/kring.css");
        std::fs::create_dir_all(dir.join("static")).unwrap();
        std::fs::copy(css, dir.join("static/kring.css")).unwrap();
    }
    if minimal {
        let templates = dir.join("templates");
        std::fs::create_dir_all(&templates).unwrap();
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/bench-templates");
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), templates.join(entry.file_name())).unwrap();
        }
    }
}

/// Gives `count` pages a photo: articles show one from `static/photos/` in their text
/// (other articles link to them by file, so they stay files), members take one as their
/// avatar in a page bundle. Each photo differs, as real ones do.
fn add_photos(content: &Path, count: usize, articles: usize, members: usize) {
    let mut rng = Rng(0x5851f42d4c957f2d);
    let photos = content.parent().unwrap().join("static/photos");
    std::fs::create_dir_all(&photos).unwrap();
    for i in 0..count {
        let target = if i % 2 == 0 && i / 2 < articles {
            let page = content.join(format!("articles/a{}.md", i / 2));
            let text = std::fs::read_to_string(&page).unwrap();
            let file = format!("a{}.jpg", i / 2);
            std::fs::write(
                &page,
                format!("{text}\n![A photo from the meetup](/photos/{file})\n"),
            )
            .unwrap();
            photos.join(file)
        } else if i / 2 < members {
            let flat = content.join(format!("members/m{}.md", i / 2));
            let text = std::fs::read_to_string(&flat).unwrap();
            let bundle = content.join(format!("members/m{}", i / 2));
            std::fs::create_dir_all(&bundle).unwrap();
            let text = text.replacen("+++\n", "+++\navatar = \"avatar.jpg\"\n", 1);
            std::fs::write(bundle.join("index.md"), text).unwrap();
            std::fs::remove_file(flat).unwrap();
            bundle.join("avatar.jpg")
        } else {
            continue;
        };
        let (tint, grain) = (rng.below(120) as u8, rng.below(1 << 30) as u32);
        let img = image::RgbImage::from_fn(4000, 3000, |x, y| {
            let n = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503) ^ grain) >> 27;
            image::Rgb([
                (x / 16) as u8 ^ tint,
                (y / 12) as u8,
                ((x + y) / 28) as u8 ^ n as u8,
            ])
        });
        let mut jpeg = std::io::BufWriter::new(std::fs::File::create(target).unwrap());
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
            .encode_image(&img)
            .unwrap();
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
