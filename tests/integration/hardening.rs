//! Attacks on kring, one test per class of finding (issue #9): each tries several variants
//! and checks there is no panic or signal exit, that input at fault gets a diagnostic with
//! file and line, that independent parsers read the output, and that nothing is lost.

use crate::common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::*;

/// A build that must fail cleanly: exit 1 (not a panic's 101, not a signal), the message
/// naming `file` with a line number.
fn fails_at(site: &Path, tmp: &Path, file: &str) -> String {
    let (code, stderr) = build_status(site, tmp, &[]);
    assert_eq!(code, Some(1), "expected a clean failure; stderr:\n{stderr}");
    assert!(
        stderr.contains(&format!("{file}:")) && !stderr.contains("panicked"),
        "the error should name {file}:LINE:\n{stderr}"
    );
    let after = stderr.split(&format!("{file}:")).nth(1).unwrap_or("");
    assert!(
        after.starts_with(|c: char| c.is_ascii_digit()),
        "no line number after {file}:\n{stderr}"
    );
    stderr
}

fn event(title: &str, extra: &str) -> String {
    format!(
        "+++\ntitle = {}\nstart = 2026-12-10T19:30:00\nend = 2026-12-10T21:00:00\ntimezone = \"Europe/Amsterdam\"\n{extra}\n+++\n\nBody.\n",
        toml_string(title)
    )
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

// ---------------------------------------------------------------- 1. the output folder

#[test]
fn a_folder_kring_did_not_make_is_never_replaced() {
    let (tmp, site) = fixture("hub");
    let variants: [(&str, &[(&str, &str)]); 4] = [
        (
            "web-root",
            &[
                ("index.html", "<h1>mine</h1>"),
                ("important.txt", "keep"),
                ("sub/db.sqlite", "data"),
            ],
        ),
        ("only-index", &[("index.html", "<h1>an old site</h1>")]),
        ("hidden-only", &[(".env", "SECRET=1")]),
        (
            "fake-marker-dir",
            &[(".kring-build/x", "a folder, not kring's file")],
        ),
    ];
    for (name, files) in variants {
        let victim = tmp.path().join(name);
        for (rel, text) in files {
            write(&victim, rel, text);
        }
        let before = tree(&victim);
        let (code, stderr) = build_status(&site, tmp.path(), &["-o", victim.to_str().unwrap()]);
        assert_eq!(code, Some(1), "{name}: {stderr}");
        assert!(stderr.contains("kring did not make it"), "{name}: {stderr}");
        assert_eq!(tree(&victim), before, "{name}: the folder changed");
    }
    // An empty folder, and kring's own output, are replaced.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    for _ in 0..2 {
        let (code, stderr) = build_status(&site, tmp.path(), &["-o", empty.to_str().unwrap()]);
        assert_eq!(code, Some(0), "{stderr}");
    }
    assert!(empty.join(".kring-build").is_file() && empty.join("index.html").is_file());
}

// ---------------------------------------------------------------- 2. calendars

#[test]
fn hostile_text_cannot_add_calendar_lines() {
    let hostile = [
        "safety\r\nATTACH:https://evil.example/x\r\nBEGIN:VALARM\r\nTRIGGER:-PT5M\r\nEND:VALARM",
        "bare\rATTACH:https://evil.example/cr",
        "lf\nATTACH:https://evil.example/lf",
        "Summer BEGIN:VEVENT party",
        "END:VCALENDAR",
        "semi;colon,comma\\backslash",
        "nul\0and\u{b}vt",
        "ë 😀 <!--<script>",
    ];
    let (tmp, site) = fixture("hub");
    for (i, text) in hostile.iter().enumerate() {
        let tags: Vec<String> = hostile.iter().map(|t| toml_string(t)).collect();
        let extra = format!(
            "description = {}\ntags = [{}]\nlocation = {{ name = {}, address = {} }}",
            toml_string(text),
            tags.join(", "),
            toml_string(text),
            toml_string(text)
        );
        write(
            &site,
            &format!("content/events/hostile-{i}.md"),
            event(text, &extra),
        );
    }
    write(
        &site,
        "kring.toml",
        read(&site, "kring.toml").replace(
            "title = \"Fixture Hub\"",
            &format!("title = {}", toml_string("Hub\r\nX-EVIL:1 BEGIN:VEVENT")),
        ),
    );
    let (code, stderr) = build_status(&site, tmp.path(), &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let public = site.join("public");
    // A real calendar client reads the calendar of everything: every event, no complaint
    // (`khal` fails the test on any error or warning line).
    if let Some((home, config, _)) = khal_setup() {
        let calendar = public.join("events/calendar.ics");
        let printed = khal(
            home.path(),
            &config,
            &[
                "printics",
                "--format",
                "{title}",
                calendar.to_str().unwrap(),
            ],
        );
        let events = read(&public, "events/calendar.ics")
            .matches("\r\nBEGIN:VEVENT\r\n")
            .count();
        assert!(events >= hostile.len(), "{events}");
        assert!(
            printed.contains(&format!("{events} events found")),
            "{printed}"
        );
        // The text comes back as it was written, punctuation and all.
        assert!(printed.contains("semi;colon,comma\\backslash"), "{printed}");
        assert!(printed.contains("Summer BEGIN:VEVENT party"), "{printed}");
    }
    let mut files = vec!["events/calendar.ics".to_string()];
    files.extend((0..hostile.len()).map(|i| format!("events/hostile-{i}/hostile-{i}.ics")));
    for file in files {
        let text = read(&public, &file);
        // Every physical line is a property of a known name or a continuation.
        for line in text.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(
                !line.contains('\r') && !line.contains('\n') && !line.contains('\0'),
                "{file}: {line:?}"
            );
            if line.starts_with(' ') {
                continue;
            }
            let name = line.split([':', ';']).next().unwrap();
            assert!(
                !matches!(name, "ATTACH" | "TRIGGER" | "X-EVIL"),
                "{file}: an injected line {line:?}"
            );
        }
        let begins = text.matches("\r\nBEGIN:VEVENT\r\n").count();
        let ends = text.matches("\r\nEND:VEVENT\r\n").count();
        assert_eq!(begins, ends, "{file}");
        for line in text.split("\r\n") {
            if let Some(component) = line
                .strip_prefix("BEGIN:")
                .or_else(|| line.strip_prefix("END:"))
            {
                assert!(
                    matches!(
                        component,
                        "VCALENDAR" | "VEVENT" | "VTIMEZONE" | "STANDARD" | "DAYLIGHT"
                    ),
                    "{file}: an injected component {line:?}"
                );
            }
        }
        // An independent parser reads it, and gets the hostile text back as text.
        let parser = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
        let calendars: Vec<_> = parser
            .collect::<Result<_, _>>()
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(calendars.len(), 1, "{file}");
        for ev in &calendars[0].events {
            let summary = ev
                .properties
                .iter()
                .find(|p| p.name == "SUMMARY")
                .and_then(|p| p.value.clone())
                .unwrap();
            assert!(!summary.is_empty());
        }
        assert!(calendars[0].timezones.len() <= 1, "{file}");
    }
}

// ---------------------------------------------------------------- 3. panics on user text

#[test]
fn non_ascii_and_odd_dates_and_rules_are_errors_at_their_line() {
    let cases = [
        ("recurrence = \"FREQ=WEEKLY;BYDAY=€\"", "date"),
        ("recurrence = \"FREQ=MONTHLY;BYDAY=2€\"", "rule"),
        ("recurrence = \"FREQ=WEEKLY;UNTIL=202€1231\"", "rule"),
        ("recurrence = \"FREQ=WEEKLY;UNTIL=2€\"", "rule"),
        ("recurrence = \"FREQ=WEEKLY;BYDAY=\u{0}\"", "rule"),
        ("recurrence = \"FREQ=WEEKLY;COUNT=é\"", "rule"),
        ("recurrence = \"FREQ=WEEKLY;BYDAY=T\"", "rule"),
    ];
    let (tmp, site) = fixture("hub");
    for (extra, _) in cases {
        write(&site, "content/events/meetup.md", event("Meetup", extra));
        fails_at(&site, tmp.path(), "content/events/meetup.md");
    }
    for date in [
        "aaaaaé12345",
        "2026-01-01T19:30:00+0€:00",
        "2026-01-0é",
        "ééééééééééé",
        "2026-01-01T1😀",
        "+01:00",
    ] {
        let text = format!(
            "+++\ntitle = \"x\"\ndate = {}\n+++\n\nx\n",
            toml_string(date)
        );
        write(&site, "content/articles/first.md", text);
        fails_at(&site, tmp.path(), "content/articles/first.md");
    }
}

// ---------------------------------------------------------------- 4. JSON-LD in HTML

/// A tag, a series or a slug thousands of letters long (an import of a mangled export, a
/// hostile contributor) would be a folder name no file system takes: it builds, each its
/// own page, under names that fit.
#[test]
fn names_too_long_for_a_folder_build() {
    let (_tmp, site) = fixture("hub");
    let long = |c: &str| format!("{}{c}", "Buurtnieuws ".repeat(400));
    for (i, (tag, slug)) in [(long("a"), "x".repeat(3000)), (long("b"), "ε".repeat(1500))]
        .iter()
        .enumerate()
    {
        write(
            &site,
            &format!("content/articles/long-{i}.md"),
            format!(
                "+++\ntitle = \"Long {i}\"\ndate = 2026-01-0{}\nslug = {}\ntags = [{}]\nseries = {}\n+++\n\nThe body.\n",
                i + 1,
                toml_string(slug),
                toml_string(tag),
                toml_string(tag)
            ),
        );
    }
    let out = build_ok(&site);
    let mut long_folders = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(name.len() <= 255, "{name}");
        if name.len() > 150 && entry.file_type().is_dir() {
            long_folders += 1;
        }
    }
    // Two pages, two tags and two series, each its own folder.
    assert_eq!(long_folders, 6);
}

#[test]
fn markup_in_titles_cannot_escape_json_ld() {
    let hostile = [
        "<!--<script>",
        "</script><img src=x onerror=alert(1)>",
        "</SCRIPT >x",
        "<!-- a & b -->",
        "\u{2028}",
    ];
    let (_tmp, site) = fixture("hub");
    write(
        &site,
        "kring.toml",
        read(&site, "kring.toml").replace(
            "title = \"Fixture Hub\"",
            &format!(
                "title = {}\nauthor = {}",
                toml_string(hostile[0]),
                toml_string(hostile[1])
            ),
        ),
    );
    for (i, h) in hostile.iter().enumerate() {
        write(
            &site,
            &format!("content/articles/hostile-{i}.md"),
            format!(
                "+++\ntitle = {}\ndate = 2026-01-0{}\ndescription = {}\n+++\n\nThe body is here.\n",
                toml_string(h),
                i + 1,
                toml_string(h)
            ),
        );
    }
    let public = build_ok(&site);
    for page in [
        "index.html",
        "articles/hostile-0/index.html",
        "articles/hostile-1/index.html",
        "articles/hostile-3/index.html",
    ] {
        let html = read(&public, page);
        let doc = scraper::Html::parse_document(&html);
        // The body is still there: nothing swallowed the rest of the page.
        let main = scraper::Selector::parse("main").unwrap();
        assert!(
            doc.select(&main).next().is_some(),
            "{page}: <main> was swallowed"
        );
        let footer = scraper::Selector::parse("footer").unwrap();
        assert!(
            doc.select(&footer).next().is_some(),
            "{page}: <footer> was swallowed"
        );
        let ld = scraper::Selector::parse(r#"script[type="application/ld+json"]"#).unwrap();
        let scripts: Vec<_> = doc.select(&ld).collect();
        assert!(!scripts.is_empty(), "{page}");
        for s in scripts {
            let json: serde_json::Value =
                serde_json::from_str(&s.inner_html()).unwrap_or_else(|e| panic!("{page}: {e}"));
            assert!(json.is_object() || json.is_array());
        }
    }
}

// ---------------------------------------------------------------- 5. collisions

#[test]
fn two_outputs_on_one_path_are_an_error_naming_both() {
    let cases: [(&str, &str, &str); 7] = [
        (
            "content/about.md",
            "+++\ntitle = \"About\"\nslug = \"topics\"\n+++\n\nx\n",
            "topics",
        ),
        (
            "content/about.md",
            "+++\ntitle = \"About\"\nslug = \"tags\"\n+++\n\nx\n",
            "tags/index.html",
        ),
        (
            "content/topics/safety.md",
            "+++\ntitle = \"T\"\n+++\n\nx\n",
            "topics/safety",
        ),
        ("static/sitemap.xml", "<urlset/>", "sitemap.xml"),
        (
            "static/articles/index.html",
            "<p>mine</p>",
            "articles/index.html",
        ),
        (
            "content/articles/bundle-post/index.html",
            "<p>mine</p>",
            "bundle-post/index.html",
        ),
        (
            "static/events/calendar.ics",
            "BEGIN:VCALENDAR",
            "calendar.ics",
        ),
    ];
    for (rel, text, path) in cases {
        let (tmp, site) = fixture("hub");
        write(&site, rel, text);
        let (code, stderr) = build_status(&site, tmp.path(), &[]);
        assert_eq!(code, Some(1), "{rel}: {stderr}");
        assert!(
            stderr.contains("two outputs would be written to") && stderr.contains(path),
            "{rel}: {stderr}"
        );
        assert!(
            stderr.contains(rel),
            "{rel}: the error should name the file: {stderr}"
        );
    }
}

// ---------------------------------------------------------------- 6. deep nesting

#[test]
fn deep_nesting_is_an_error_naming_the_markdown_file() {
    let bodies = [
        "- ".repeat(2000) + "x",
        "> ".repeat(2000) + "x",
        "1. ".repeat(500) + "x",
        "- ".repeat(100_000) + "x",
    ];
    let (tmp, site) = fixture("hub");
    for body in &bodies {
        write(
            &site,
            "content/articles/first.md",
            format!("+++\ntitle = \"Deep\"\ndate = 2026-01-01\nnewsletter = true\n+++\n\n{body}\n"),
        );
        let started = Instant::now();
        let stderr = fails_at(&site, tmp.path(), "content/articles/first.md");
        assert!(stderr.contains("nest more than"), "{stderr}");
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "took {:?}",
            started.elapsed()
        );
    }
    // Raw HTML nested deeply goes to the email tools on a thread with room for it.
    let html = "<div>".repeat(3000) + "x" + &"</div>".repeat(3000);
    write(
        &site,
        "content/articles/first.md",
        format!("+++\ntitle = \"Deep\"\ndate = 2026-01-01\nnewsletter = true\n+++\n\n{html}\n"),
    );
    let (code, stderr) = build_status(&site, tmp.path(), &[]);
    assert!(
        code == Some(0) || (code == Some(1) && stderr.contains("first.md")),
        "{code:?} {stderr}"
    );
}

/// `[extra]` is the one part of a page's list view that a writer nests at will: however deep
/// the TOML parser lets it go (80 levels), the page still shows in its lists (list views are
/// kept as JSON text, read back with serde_json's limit of 128), or the build fails at the
/// file.
#[test]
fn deeply_nested_extra_keeps_the_page_in_its_lists() {
    let (tmp, site) = fixture("hub");
    let arrays = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
    let tables = |n: usize| format!("[{}1{}]", "{a = ".repeat(n), "}".repeat(n));
    let mut shown = 0;
    for (depth, deep) in [
        (20, arrays(20)),
        (79, arrays(79)),
        (80, arrays(80)),
        (81, arrays(81)),
        (200, arrays(200)),
        (78, tables(78)),
        (3000, tables(3000)),
    ] {
        write(
            &site,
            "content/articles/first.md",
            format!(
                "+++\ntitle = \"Deep {depth}\"\ndate = 2026-06-01\n[extra]\ndeep = {deep}\n+++\n\nBody.\n"
            ),
        );
        let (code, stderr) = build_status(&site, tmp.path(), &[]);
        match code {
            Some(0) => {
                let list = read(&site.join("public"), "articles/index.html");
                assert!(
                    list.contains(&format!("Deep {depth}")),
                    "{depth}: not in the list"
                );
                let page = read(&site.join("public"), "articles/first/index.html");
                assert!(page.contains(&format!("Deep {depth}")), "{depth}: its page");
                shown += 1;
            }
            _ => assert!(
                code == Some(1) && stderr.contains("first.md") && !stderr.contains("panicked"),
                "{depth}: {code:?} {stderr}"
            ),
        }
    }
    assert!(shown >= 4, "the deepest accepted nesting was not tried");
}

// ---------------------------------------------------------------- 7. staging folders

fn staging_leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("kring-build"))
        .collect()
}

#[cfg(unix)]
#[test]
fn interrupted_builds_leave_no_staging_folder_and_keep_the_last_build() {
    let (tmp, site) = fixture("example-site");
    let public = build_ok(&site);
    let good = tree(&public);
    let signals = [("INT", 2), ("TERM", 15), ("HUP", 1), ("KILL", 9)];
    for (round, (name, number)) in signals.iter().cycle().take(8).enumerate() {
        // Kill at different moments of the build.
        let after = Duration::from_millis(20 + 25 * round as u64);
        let status = build_signalled(&site, tmp.path(), after, name);
        if *number != 9 {
            // Finished, or stopped by kring's handler (128 + n). A signal in the first
            // milliseconds, before the handler is installed, ends the process the default
            // way; no staging folder exists yet then, which the next assertion checks.
            use std::os::unix::process::ExitStatusExt;
            assert!(
                status.success()
                    || status.code() == Some(128 + number)
                    || status.signal() == Some(*number),
                "SIG{name}: {status:?}"
            );
            assert!(
                staging_leftovers(&site).is_empty(),
                "SIG{name} left {:?}",
                staging_leftovers(&site)
            );
        }
        // Whatever happened, public/ is a whole build: the old one or a new one.
        let now = tree(&public);
        assert_eq!(
            now.keys().collect::<Vec<_>>(),
            good.keys().collect::<Vec<_>>(),
            "SIG{name}: public/ is not whole"
        );
    }
    // The next good build removes what the hard kills left.
    build_ok(&site);
    assert!(
        staging_leftovers(&site).is_empty(),
        "{:?}",
        staging_leftovers(&site)
    );
}

// ---------------------------------------------------------------- 11. heading ids

#[test]
fn many_identical_headings_get_distinct_ids_quickly() {
    let (_tmp, site) = fixture("hub");
    let body = "## same\n\n".repeat(20_000) + "## same-1\n";
    write(
        &site,
        "content/articles/first.md",
        format!("+++\ntitle = \"Same\"\ndate = 2026-01-01\n+++\n\n{body}"),
    );
    let public = build_ok(&site);
    let html = read(&public, "articles/first/index.html");
    let doc = scraper::Html::parse_document(&html);
    let h2 = scraper::Selector::parse("h2[id]").unwrap();
    let ids: std::collections::HashSet<String> = doc
        .select(&h2)
        .map(|e| e.value().attr("id").unwrap().to_string())
        .filter(|id| id.starts_with("same"))
        .collect();
    assert_eq!(ids.len(), 20_001, "every heading has its own id");
}

// ---------------------------------------------------------------- 12. template cycles

#[test]
fn templates_that_recurse_are_an_error_with_the_chain() {
    let cases = [
        (
            "templates/article.html",
            "{% include \"article.html\" %}",
            "article.html → article.html",
        ),
        (
            "templates/partials/a.html",
            "{% include \"partials/b.html\" %}",
            "partials/a.html → partials/b.html → partials/a.html",
        ),
        (
            "templates/macros/loop.html",
            "{% macro m() %}{{ self::m() }}{% endmacro m %}",
            "macro m in macros/loop.html",
        ),
    ];
    for (rel, text, chain) in cases {
        let (tmp, site) = fixture("hub");
        write(&site, rel, text);
        write(
            &site,
            "templates/partials/b.html",
            "{% include \"partials/a.html\" %}",
        );
        let (code, stderr) = build_status(&site, tmp.path(), &[]);
        assert_eq!(code, Some(1), "{rel}: {stderr}");
        assert!(stderr.contains(chain), "{rel}: {stderr}");
        assert!(staging_leftovers(&site).is_empty());
    }
}

// ---------------------------------------------------------------- 13. accepted silently

#[test]
fn what_was_accepted_silently_is_an_error_or_a_warning_at_its_line() {
    let (tmp, site) = fixture("hub");
    let original = read(&site, "content/events/meetup.md");
    write(
        &site,
        "content/events/meetup.md",
        original.replace(
            "end = 2026-07-09T21:30:00",
            "end = 2026-07-09T21:30:00\nduration = \"2h\"",
        ),
    );
    let stderr = fails_at(&site, tmp.path(), "content/events/meetup.md");
    assert!(stderr.contains("not both"), "{stderr}");
    write(&site, "content/events/meetup.md", &original);

    let index = read(&site, "content/events/_index.md");
    write(
        &site,
        "content/events/_index.md",
        index.replacen("+++\n", "+++\ntemplate = \"nope.html\"\n", 1),
    );
    let stderr = fails_at(&site, tmp.path(), "content/events/_index.md");
    assert!(stderr.contains("nope.html"), "{stderr}");
    write(&site, "content/events/_index.md", &index);

    let config = read(&site, "kring.toml");
    for code in ["xx", "english", "e", "nl_NL"] {
        write(
            &site,
            "kring.toml",
            config.replace("language = \"en\"", &format!("language = \"{code}\"")),
        );
        let stderr = fails_at(&site, tmp.path(), "kring.toml");
        assert!(stderr.contains("not a language code"), "{stderr}");
    }
    write(
        &site,
        "kring.toml",
        config.replace("language = \"en\"", "language = \"pt-BR\""),
    );
    assert_eq!(build_status(&site, tmp.path(), &[]).0, Some(0));
    write(&site, "kring.toml", &config);

    write(
        &site,
        "content/events/meetup.md",
        original.replace(
            "hosts = [\"ada\"]",
            "hosts = [\"nobody\", \"Anna de Vries\"]",
        ),
    );
    let (code, stderr) = build_status(&site, tmp.path(), &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("content/events/meetup.md:")
            && stderr.contains("`nobody` is not the id of any member"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("`Anna de Vries` is not"),
        "plain names are fine: {stderr}"
    );
}
