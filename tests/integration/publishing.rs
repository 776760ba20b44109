//! Publishing features of issue #14 beyond content blocks: reading order, readable terms,
//! feeds per term.

use crate::common;

use common::*;
use scraper::{Html, Selector};

fn nav(out: &std::path::Path, page: &str) -> (Option<String>, Option<String>) {
    let doc = Html::parse_document(&read(out, page));
    let title = |css: &str| {
        doc.select(&Selector::parse(css).unwrap())
            .next()
            .map(|a| a.text().collect::<String>())
    };
    (
        title(".page-nav__previous .page-nav__title"),
        title(".page-nav__next .page-nav__title"),
    )
}

/// "Previous" is the older article and "next" the newer one, in a section listed newest
/// first.
#[test]
fn previous_is_older_and_next_is_newer() {
    let (_tmp, site) = fixture("hub");
    let out = build_ok(&site);
    // first (January) < second (February) < bundle-post.
    let (previous, next) = nav(&out, "articles/first/index.html");
    assert_eq!(previous, None, "nothing is older than the first article");
    assert_eq!(next.as_deref(), Some("Second post"));
    let (previous, _) = nav(&out, "articles/second/index.html");
    assert_eq!(previous.as_deref(), Some("First post & <friends>"));
}

/// Terms show the words the writer used (their slug is only the address), and taxonomy
/// names come from `kring.toml` in the page's language, else the theme's.
#[test]
fn terms_keep_the_writers_words_and_taxonomies_their_names() {
    let (_tmp, site) = fixture("hub");
    let config = read(&site, "kring.toml")
        .replace("language = \"en\"", "language = \"nl\"")
        .replace(
            "topics = { feed = true }",
            "topics = { feed = true, name = { nl = \"Thema's\", en = \"Themes\" } }\nskills = { name = \"Kunde\" }",
        );
    write(&site, "kring.toml", config);
    write(
        &site,
        "content/articles/terms.md",
        "+++\ntitle = \"Termen\"\ndate = 2026-03-03\ntags = [\"Community-strategie\", \"Privacy & veiligheid\"]\ntaxonomies = { topics = [\"Erbij horen\"] }\n+++\nTekst.\n",
    );
    let member = read(&site, "content/members/ada.md").replace(
        "skills = [\"moderation\"]",
        "skills = [\"Gespreksleiding\"]",
    );
    write(&site, "content/members/ada.md", member);
    let out = build_ok(&site);
    let doc = Html::parse_document(&read(&out, "articles/terms/index.html"));
    let chips: Vec<(String, String)> = doc
        .select(&Selector::parse(".terms a").unwrap())
        .map(|a| {
            (
                a.text().collect(),
                a.value().attr("href").unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        chips
            .iter()
            .any(|(t, h)| t == "Community-strategie" && h.ends_with("tags/community-strategie/")),
        "{chips:?}"
    );
    assert!(
        chips
            .iter()
            .any(|(t, h)| t == "Privacy & veiligheid" && h.ends_with("tags/privacy-veiligheid/")),
        "{chips:?}"
    );
    let labels: Vec<String> = doc
        .select(&Selector::parse(".terms__label").unwrap())
        .map(|l| l.text().collect())
        .collect();
    assert!(labels.contains(&"Thema's".to_string()), "{labels:?}");
    let topics = Html::parse_document(&read(&out, "topics/index.html"));
    let h1: String = topics
        .select(&Selector::parse("h1").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(h1.trim(), "Thema's");
    let term = read(&out, "tags/community-strategie/index.html");
    assert!(term.contains("Community-strategie"));
    let skills = Html::parse_document(&read(&out, "skills/index.html"));
    let h1: String = skills
        .select(&Selector::parse("h1").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(h1.trim(), "Kunde");
    let member = read(&out, "members/ada/index.html");
    assert!(
        member.contains("Gespreksleiding"),
        "the member's skill as written"
    );
}

/// Summaries of the events in an .ics file, read by an independent iCalendar parser.
fn ics_summaries(path: &std::path::Path) -> Vec<String> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let calendars: Vec<_> = ical::IcalParser::new(std::io::BufReader::new(file))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    calendars
        .iter()
        .flat_map(|c| &c.events)
        .filter_map(|e| e.properties.iter().find(|p| p.name == "SUMMARY"))
        .filter_map(|p| p.value.clone())
        .collect()
}

/// A topic's events in a calendar of their own (`calendar = true` on the taxonomy), and a
/// sub-section of events with its own calendar; their pages link them with webcal://.
#[test]
fn topics_and_sub_sections_have_their_own_calendars() {
    let (_tmp, site) = fixture("hub");
    let config = read(&site, "kring.toml").replace(
        "[taxonomies]\n",
        "[taxonomies]\ntags = { calendar = true }\n",
    );
    write(&site, "kring.toml", config);
    let meetup =
        read(&site, "content/events/meetup.md").replacen("+++\n", "+++\ntags = [\"Utrecht\"]\n", 1);
    write(&site, "content/events/meetup.md", meetup);
    write(
        &site,
        "content/events/rotterdam/_index.md",
        "+++\ntitle = \"Rotterdam\"\nkind = \"events\"\n+++\n",
    );
    write(
        &site,
        "content/events/rotterdam/harbour-walk.md",
        "+++\ntitle = \"Harbour walk\"\nstart = 2026-12-12T10:00:00\nend = 2026-12-12T12:00:00\ntimezone = \"Europe/Amsterdam\"\ntags = [\"Utrecht\", \"Walks\"]\n+++\nWalk.\n",
    );
    let out = build_ok(&site);
    assert_eq!(
        ics_summaries(&out.join("tags/utrecht/calendar.ics")),
        ["Summer meetup", "Harbour walk"]
    );
    assert_eq!(
        ics_summaries(&out.join("tags/walks/calendar.ics")),
        ["Harbour walk"]
    );
    assert!(
        !out.join("tags/growth/calendar.ics").exists(),
        "a term without events has none"
    );
    assert_eq!(
        ics_summaries(&out.join("events/rotterdam/calendar.ics")),
        ["Harbour walk"]
    );
    let all = ics_summaries(&out.join("events/calendar.ics"));
    assert!(
        all.contains(&"Harbour walk".to_string()) && all.contains(&"Summer meetup".to_string())
    );

    let term = read(&out, "tags/utrecht/index.html");
    assert!(
        term.contains("href=\"webcal://hub.example.org/tags/utrecht/calendar.ics\""),
        "the term page links its calendar"
    );
    let section = read(&out, "events/rotterdam/index.html");
    assert!(
        section.contains("href=\"webcal://hub.example.org/events/rotterdam/calendar.ics\""),
        "the sub-section links its own calendar"
    );
}

/// Paid content says so before the reader starts — on the page, in feeds, in the email
/// edition — and its links to other sites are `rel="sponsored"`.
#[test]
fn sponsored_content_is_labelled_everywhere() {
    let (tmp, site) = fixture("hub");
    write(
        &site,
        "content/articles/paid.md",
        "+++\ntitle = \"A word from Acme\"\ndate = 2026-03-05\nnewsletter = true\nsponsored = { by = \"Acme <Tools>\", url = \"https://acme.example/\" }\n+++\n\nTry [Acme](https://acme.example/try) or read [our rules](@/articles/first.md) and [more](https://other.example/x \"t\").\n",
    );
    let meetup = read(&site, "content/events/meetup.md").replacen(
        "+++\n",
        "+++\nsponsored = { by = \"Café Noord\" }\n",
        1,
    );
    write(&site, "content/events/meetup.md", meetup);
    let out = build_ok(&site);

    let html = read(&out, "articles/paid/index.html");
    let doc = Html::parse_document(&html);
    let label = doc
        .select(&Selector::parse("header .sponsored-label").unwrap())
        .next()
        .expect("a label");
    assert_eq!(
        label.text().collect::<String>(),
        "Sponsored by Acme <Tools>"
    );
    assert!(
        html.find("sponsored-label").unwrap() < html.find("<h1").unwrap(),
        "before the title"
    );
    let rels: Vec<(String, Option<String>)> = doc
        .select(&Selector::parse(".prose a").unwrap())
        .map(|a| {
            (
                a.value().attr("href").unwrap().to_string(),
                a.value().attr("rel").map(str::to_string),
            )
        })
        .collect();
    for (href, rel) in &rels {
        let outbound =
            href.starts_with("https://acme.example") || href.starts_with("https://other.example");
        assert_eq!(
            rel.as_deref() == Some("sponsored noopener"),
            outbound,
            "{href}: {rel:?}"
        );
    }
    let event = Html::parse_document(&read(&out, "events/meetup/index.html"));
    let label: String = event
        .select(&Selector::parse(".sponsored-label").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(label, "Sponsored by Café Noord");

    let body = feed_entry_body(&out, "atom.xml", "A word from Acme");
    assert!(body.trim_start().starts_with("<p><strong>Sponsored by <a href=\"https://acme.example/\" rel=\"sponsored noopener\">Acme &lt;Tools&gt;</a></strong></p>"), "{body}");
    let email = read(&out, "articles/paid/email.html");
    assert!(
        email.find("Sponsored by").unwrap() < email.find("<h1").unwrap(),
        "the email edition says so first"
    );
    assert!(read(&out, "articles/paid/email.txt").contains("Sponsored by"));

    // Without `by` it is an error at its line; on a member it is one too.
    for (file, text, message) in [
        (
            "content/articles/bad.md",
            "+++\ntitle = \"Bad\"\ndate = 2026-03-05\nsponsored = { url = \"https://acme.example/\" }\n+++\nx\n",
            "needs `by`",
        ),
        (
            "content/members/paid.md",
            "+++\nname = \"Paid\"\nsponsored = { by = \"Acme\" }\n+++\nx\n",
            "for articles and events",
        ),
    ] {
        let (tmp2, site2) = fixture("hub");
        write(&site2, file, text);
        let (ok, _, stderr) = run(&["build", site2.to_str().unwrap()], tmp2.path());
        assert!(
            !ok && stderr.contains(message) && stderr.contains(&format!("{file}:")),
            "{stderr}"
        );
    }
    drop(tmp);
}

/// "Read also": the articles sharing the most (terms, series, authors), newer first on
/// ties; `related` in front matter chooses instead, and names only pages that exist.
#[test]
fn related_articles_share_the_most() {
    let (tmp, site) = fixture("hub");
    let article = |name: &str, date: &str, extra: &str| {
        write(
            &site,
            &format!("content/articles/{name}.md"),
            format!("+++\ntitle = \"{name}\"\ndate = {date}\n{extra}\n+++\nText.\n"),
        );
    };
    article(
        "alpha",
        "2026-04-01",
        "tags = [\"Zeilen\", \"Roeien\"]\nseries = \"Water\"",
    );
    article("beta", "2026-03-01", "tags = [\"Zeilen\", \"Roeien\"]");
    article("gamma", "2026-03-02", "tags = [\"Zeilen\"]");
    article("delta", "2026-03-03", "series = \"Water\"");
    article("epsilon", "2026-03-04", "tags = [\"Zeilen\"]");
    article("zeta", "2026-03-05", "tags = [\"Anders\"]");
    article(
        "eta",
        "2026-03-06",
        "tags = [\"Anders\"]\nrelated = [\"@/articles/zeta.md\", \"@/articles/alpha.md\"]",
    );
    let out = build_ok(&site);
    let titles = |page: &str| -> Vec<String> {
        let doc = Html::parse_document(&read(&out, page));
        doc.select(&Selector::parse(".related .card__title").unwrap())
            .map(|t| t.text().collect::<String>().trim().to_string())
            .collect()
    };
    // beta 4 (two tags), delta 3 (series), then gamma and epsilon 2 each: newer first.
    assert_eq!(
        titles("articles/alpha/index.html"),
        ["beta", "delta", "epsilon", "gamma"]
    );
    assert_eq!(
        titles("articles/eta/index.html"),
        ["zeta", "alpha"],
        "chosen in front matter"
    );
    assert_eq!(titles("articles/zeta/index.html"), ["eta"]);
    let html = read(&out, "articles/alpha/index.html");
    assert!(html.contains("Read also"));

    article("theta", "2026-03-07", "related = [\"@/articles/nope.md\"]");
    let (ok, _, stderr) = run(&["build", site.to_str().unwrap()], tmp.path());
    assert!(
        !ok && stderr.contains("content/articles/theta.md:4")
            && stderr.contains("no page @/articles/nope.md"),
        "{stderr}"
    );
}

/// Email editions: each provider's unsubscribe link in the footer of both files, links in
/// the text never broken across lines, and a page without `description` described by its
/// summary (meta description, og:description, the inbox preview).
#[test]
fn email_editions_unsubscribe_and_keep_links_whole() {
    let long = "https://tickets.example.org/destoep/rotterdam-october-2026/registration?utm_source=none&seat=front-row-please";
    let providers = [
        (
            "provider = \"buttondown\"\naccount = \"hub\"",
            "{{ unsubscribe_url }}",
        ),
        (
            "provider = \"mailchimp\"\naction = \"https://x.us1.list-manage.com/subscribe/post?u=1&id=2\"",
            "*|UNSUB|*",
        ),
        (
            "provider = \"kit\"\naccount = \"123\"",
            "{{ unsubscribe_url }}",
        ),
        (
            "provider = \"listmonk\"\naction = \"https://lists.example.org/subscription/form\"\nlist_ids = [\"abc\"]",
            "{{ UnsubscribeURL }}",
        ),
        (
            "provider = \"ghost\"\naction = \"https://ghost.example.org/\"",
            "%%{unsubscribe_url}%%",
        ),
        (
            "provider = \"custom\"\naction = \"https://mail.example.org/join\"\nunsubscribe_url = \"[[UNSUB_LINK]]\"",
            "[[UNSUB_LINK]]",
        ),
    ];
    for (newsletter, unsubscribe) in providers {
        let (_tmp, site) = fixture("hub");
        let config = read(&site, "kring.toml");
        write(
            &site,
            "kring.toml",
            format!("{config}\n[newsletter]\n{newsletter}\n"),
        );
        write(
            &site,
            "content/articles/issue.md",
            format!(
                "+++\ntitle = \"Issue one\"\ndate = 2026-03-05\nnewsletter = true\n+++\n\nThe first paragraph is what this issue is about, in a few words.\n\nRegister at <{long}> before Friday.\n"
            ),
        );
        let out = build_ok(&site);
        let html = read(&out, "articles/issue/email.html");
        let doc = Html::parse_document(&html);
        let hrefs: Vec<&str> = doc
            .select(&Selector::parse(".footer a").unwrap())
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert!(hrefs.contains(&unsubscribe), "{newsletter}: {hrefs:?}");
        let text = read(&out, "articles/issue/email.txt");
        assert!(text.contains(unsubscribe), "{newsletter}: {text}");
        assert!(
            text.lines().any(|l| l.contains(long)),
            "the address stays on one line:\n{text}"
        );
        assert!(
            text.lines()
                .all(|l| l.chars().count() <= 78 || l.contains("https://")),
            "{text}"
        );
        // No description: the summary describes it.
        let preheader: String = doc
            .select(&Selector::parse(".preheader").unwrap())
            .next()
            .unwrap()
            .text()
            .collect();
        assert!(
            preheader.starts_with("The first paragraph is what this issue is about"),
            "{preheader}"
        );
        let page = Html::parse_document(&read(&out, "articles/issue/index.html"));
        for css in ["meta[name=description]", "meta[property='og:description']"] {
            let content = page
                .select(&Selector::parse(css).unwrap())
                .next()
                .unwrap()
                .value()
                .attr("content")
                .unwrap();
            assert_eq!(
                content, "The first paragraph is what this issue is about, in a few words.",
                "{css}"
            );
        }
    }
}

/// A repeating event: its rule in words in the page's language, the Google Calendar link
/// with the rule (`recur=RRULE:…`), and an `eventSchedule` in its JSON-LD.
#[test]
fn repeating_events_say_how_they_repeat() {
    let (_tmp, site) = fixture("hub");
    let config = read(&site, "kring.toml").replace("language = \"en\"", "language = \"nl\"");
    write(&site, "kring.toml", config);
    let meetup = read(&site, "content/events/meetup.md").replacen(
        "+++\n",
        "+++\nrecurrence = \"FREQ=MONTHLY;BYDAY=2TH;COUNT=12\"\n",
        1,
    );
    write(&site, "content/events/meetup.md", meetup);
    let out = build_ok(&site);
    let html = read(&out, "events/meetup/index.html");
    assert!(
        html.contains("Elke tweede donderdag van de maand, 12 keer"),
        "the rule in Dutch"
    );
    let doc = Html::parse_document(&html);
    let google = doc
        .select(&Selector::parse("a[href^='https://calendar.google.com/']").unwrap())
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    let url = url::Url::parse(&google).unwrap();
    let recur = url
        .query_pairs()
        .find(|(k, _)| k == "recur")
        .map(|(_, v)| v.into_owned());
    assert_eq!(
        recur.as_deref(),
        Some("RRULE:FREQ=MONTHLY;COUNT=12;BYDAY=2TH")
    );
    let dates = url
        .query_pairs()
        .find(|(k, _)| k == "dates")
        .unwrap()
        .1
        .into_owned();
    assert!(
        dates.starts_with("20260709T"),
        "the series from its first occurrence: {dates}"
    );
    let ld: serde_json::Value = serde_json::from_str(
        &doc.select(&Selector::parse("script[type='application/ld+json']").unwrap())
            .next()
            .unwrap()
            .text()
            .collect::<String>(),
    )
    .unwrap();
    let schedule = &ld["eventSchedule"];
    assert_eq!(schedule["@type"], "Schedule");
    assert_eq!(schedule["repeatFrequency"], "P1M");
    assert_eq!(schedule["byDay"][0], "https://schema.org/Thursday");
    assert_eq!(schedule["byMonthWeek"], 2);
    assert_eq!(schedule["repeatCount"], 12);
    assert_eq!(schedule["startTime"], "19:30:00");
    assert_eq!(schedule["scheduleTimezone"], "Europe/Amsterdam");
}

/// A series has its own page, `/series/<slug>/`, with its parts in reading order and the
/// description from `kring.toml`, its own feeds, and its articles link to it.
#[test]
fn series_have_their_own_page_and_feed() {
    let (_tmp, site) = fixture("hub");
    let config = read(&site, "kring.toml");
    write(
        &site,
        "kring.toml",
        format!(
            "{config}\n[series.\"Goed begonnen\"]\ndescription = \"Vier stukken over de eerste maand.\"\n"
        ),
    );
    for (name, date) in [
        ("deel-twee", "2026-04-02"),
        ("deel-een", "2026-04-01"),
        ("deel-drie", "2026-04-03"),
    ] {
        write(
            &site,
            &format!("content/articles/{name}.md"),
            format!(
                "+++\ntitle = \"{name}\"\ndate = {date}\nseries = \"Goed begonnen\"\n+++\nText.\n"
            ),
        );
    }
    let out = build_ok(&site);
    let doc = Html::parse_document(&read(&out, "series/goed-begonnen/index.html"));
    let h1: String = doc
        .select(&Selector::parse("h1").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(h1, "Goed begonnen");
    let parts: Vec<String> = doc
        .select(&Selector::parse(".series-parts .card__title").unwrap())
        .map(|t| t.text().collect::<String>().trim().to_string())
        .collect();
    assert_eq!(
        parts,
        ["deel-een", "deel-twee", "deel-drie"],
        "reading order"
    );
    assert!(
        read(&out, "series/goed-begonnen/index.html")
            .contains("Vier stukken over de eerste maand.")
    );
    let feed =
        feed_rs::parser::parse(read(&out, "series/goed-begonnen/atom.xml").as_bytes()).unwrap();
    let titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.clone().unwrap().content)
        .collect();
    assert_eq!(
        titles,
        ["deel-drie", "deel-twee", "deel-een"],
        "the newest part first"
    );
    let article = Html::parse_document(&read(&out, "articles/deel-twee/index.html"));
    let link = article
        .select(&Selector::parse(".series__all a").unwrap())
        .next()
        .expect("a link to the series");
    assert!(
        link.value()
            .attr("href")
            .unwrap()
            .ends_with("series/goed-begonnen/")
    );
    assert!(read(&out, "sitemap.xml").contains("https://hub.example.org/series/goed-begonnen/"));
}
