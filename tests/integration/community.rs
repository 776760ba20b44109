//! Members, chat platforms, the newsletter and privacy: what issue #5 promises, checked on
//! built output with an HTML5 parser.

use crate::common;

use common::*;
use scraper::{Html, Selector};

/// Whether a page has a script that runs (JSON-LD `<script type="application/ld+json">` is
/// data, not code).
/// Whether a page runs code other than the theme's own scripts (the freshness script,
/// the video player, search): JSON-LD is data, not code.
fn has_code(html: &str) -> bool {
    let doc = Html::parse_document(html);
    doc.select(&sel("script")).any(|s| {
        let own = s.value().attr("src").is_some_and(|src| {
            !src.contains("://")
                && ["fresh.js", "video.js", "search.js"]
                    .iter()
                    .any(|f| src.ends_with(f))
        });
        s.value().attr("type") != Some("application/ld+json") && !own
    })
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn append(site: &std::path::Path, rel: &str, more: &str) {
    let text = std::fs::read_to_string(site.join(rel)).unwrap();
    write(site, rel, format!("{text}\n{more}\n"));
}

/// The signup form on the home page: (action, method, input names).
fn form(out: &std::path::Path) -> (String, String, Vec<String>) {
    let doc = Html::parse_document(&read(out, "index.html"));
    // The signup form, not the header's search box.
    let form = doc
        .select(&sel("form[action]:not([role=search])"))
        .next()
        .unwrap_or_else(|| panic!("no signup form on the home page of {}", out.display()));
    let names = form
        .select(&sel("input[name]"))
        .map(|i| i.value().attr("name").unwrap().to_string())
        .collect();
    (
        form.value().attr("action").unwrap().to_string(),
        form.value().attr("method").unwrap().to_string(),
        names,
    )
}

#[test]
fn each_newsletter_provider_gets_its_own_form() {
    let cases: [(&str, &str, &[&str]); 6] = [
        (
            "provider = \"buttondown\"\naccount = \"stoep\"",
            "https://buttondown.com/api/emails/embed-subscribe/stoep",
            &["email", "embed"],
        ),
        (
            "provider = \"mailchimp\"\naction = \"https://x.us1.list-manage.com/subscribe/post?u=abc&id=def\"",
            "https://x.us1.list-manage.com/subscribe/post?u=abc&id=def",
            &["EMAIL", "FNAME", "b_abc_def"],
        ),
        (
            "provider = \"kit\"\naccount = \"12345\"",
            "https://app.kit.com/forms/12345/subscriptions",
            &["email_address", "fields[first_name]"],
        ),
        (
            "provider = \"listmonk\"\naction = \"https://lists.example.org/subscription/form\"\nlist_ids = [\"uuid-1\"]",
            "https://lists.example.org/subscription/form",
            &["email", "name", "l", "nonce"],
        ),
        (
            "provider = \"ghost\"\naction = \"https://blog.example.org\"",
            "https://blog.example.org/#/portal/signup",
            &[],
        ),
        (
            "provider = \"custom\"\naction = \"https://forms.example.org/in\"\nemail_field = \"mail\"\nhoneypot_field = \"website\"",
            "https://forms.example.org/in",
            &["mail", "website"],
        ),
    ];
    for (config, action, names) in cases {
        let (_tmp, site) = fixture("hub");
        append(&site, "kring.toml", &format!("[newsletter]\n{config}\n"));
        let out = build_ok(&site);
        let (got_action, method, got_names) = form(&out);
        assert_eq!(got_action, action, "{config}");
        assert_eq!(
            method,
            if config.contains("ghost") {
                "get"
            } else {
                "post"
            }
        );
        for name in names {
            assert!(
                got_names.iter().any(|n| n == name),
                "{config}: no field `{name}` in {got_names:?}"
            );
        }
        assert!(
            !has_code(&read(&out, "index.html")),
            "{config}: a provider script"
        );
    }
}

#[test]
fn a_provider_without_what_it_needs_is_an_error_on_its_table() {
    let (tmp, site) = fixture("hub");
    append(
        &site,
        "kring.toml",
        "[newsletter]\nprovider = \"mailchimp\"\n",
    );
    let (ok, _, stderr) = run(&["build", site.to_str().unwrap()], tmp.path());
    assert!(!ok);
    assert!(
        stderr.contains("kring.toml:15:1")
            && stderr.contains("mailchimp")
            && stderr.contains("action"),
        "{stderr}"
    );
}

#[test]
fn community_cards_and_discuss_blocks_per_platform() {
    let (_tmp, site) = fixture("hub");
    let platforms = [
        ("discord", "https://discord.gg/x", "Discord"),
        ("slack", "https://x.slack.com/", "Slack"),
        ("discourse", "https://forum.example.org/", "Discourse"),
        ("matrix", "https://matrix.to/#/#x:example.org", "Matrix"),
        ("telegram", "https://t.me/x", "Telegram"),
        ("whatsapp", "https://chat.whatsapp.com/x", "WhatsApp"),
        ("signal", "https://signal.group/#x", "Signal"),
        (
            "substack chat",
            "https://x.substack.com/chat",
            "Substack chat",
        ),
        ("mastodon", "https://mastodon.social/@x", "Mastodon"),
        ("linkedin", "https://www.linkedin.com/groups/1", "LinkedIn"),
        ("zulip", "https://x.zulipchat.com/", "zulip"),
    ];
    let mut config = std::fs::read_to_string(site.join("kring.toml")).unwrap();
    config = config.replace("[[community]]\nplatform = \"discord\"\nname = \"Fixture Discord\"\nurl = \"https://discord.gg/fixture\"\n", "");
    for (platform, url, _) in platforms {
        config.push_str(&format!("\n[[community]]\nplatform = \"{platform}\"\nname = \"Our {platform}\"\nurl = \"{url}\"\ndescription = \"Come in\"\n"));
    }
    config.push_str("\n[discussion]\ndefault = \"https://forum.example.org/c/articles/\"\n");
    write(&site, "kring.toml", config);
    let first = std::fs::read_to_string(site.join("content/articles/first.md")).unwrap();
    write(
        &site,
        "content/articles/first.md",
        first.replace(
            "newsletter = true",
            "newsletter = true\ndiscuss = \"https://discord.gg/first\"",
        ),
    );
    let second =
        std::fs::read_to_string(site.join("content/articles/2026-02-01-second.md")).unwrap();
    write(
        &site,
        "content/articles/2026-02-01-second.md",
        second.replace(
            "authors = [\"ada\"]",
            "authors = [\"ada\"]\ndiscuss = false",
        ),
    );
    let out = build_ok(&site);

    let page = Html::parse_document(&read(&out, "community/index.html"));
    let text = page.root_element().text().collect::<String>();
    for (platform, url, name) in platforms {
        assert!(
            text.contains(&format!("Our {platform}")),
            "{platform} card missing"
        );
        assert!(text.contains(name), "{name} missing");
        let link = page.select(&sel(&format!("a[href=\"{url}\"]"))).next();
        assert!(link.is_some(), "no link to {url}");
    }
    assert!(
        page.select(&sel("svg")).count() >= platforms.len(),
        "an inline icon per card"
    );
    assert!(
        read(&out, "index.html").contains("https://discord.gg/x"),
        "join cards on the home page"
    );

    let discuss = |file: &str| {
        let doc = Html::parse_document(&read(&out, file));
        doc.select(&sel(".discuss")).next().map(|d| d.html())
    };
    let own = discuss("articles/first/index.html").expect("a discuss block");
    assert!(
        own.contains("https://discord.gg/first") && own.contains("Discord"),
        "{own}"
    );
    assert!(
        discuss("articles/second/index.html").is_none(),
        "discuss = false shows nothing"
    );
    let default = discuss("articles/bundle-post/index.html").expect("the site default");
    assert!(
        default.contains("https://forum.example.org/c/articles/") && default.contains("Discourse"),
        "{default}"
    );
}

#[test]
fn non_web_urls_are_refused_where_written() {
    let (tmp, site) = fixture("hub");
    let config = std::fs::read_to_string(site.join("kring.toml")).unwrap();
    write(
        &site,
        "kring.toml",
        config.replace(
            "url = \"https://discord.gg/fixture\"",
            "url = \"javascript:alert(1)\"",
        ),
    );
    let (ok, _, stderr) = run(&["build", site.to_str().unwrap()], tmp.path());
    assert!(!ok);
    assert!(
        stderr.contains("kring.toml:13:7") && stderr.contains("javascript:alert(1)"),
        "{stderr}"
    );
}

#[test]
fn unlisted_members_stay_out_of_lists_and_feeds() {
    let (_tmp, site) = fixture("hub");
    write(
        &site,
        "content/members/_index.md",
        "+++\ntitle = \"Members\"\nkind = \"members\"\nfeed = true\n+++\n",
    );
    let out = build_ok(&site);
    assert!(read(&out, "members/rss.xml").contains("Ada Lovelace"));
    assert!(!read(&out, "members/rss.xml").contains("Hidden Member"));
    assert!(!read(&out, "skills/index.html").contains("Hidden"));
    let hidden = Html::parse_document(&read(&out, "members/hidden/index.html"));
    let robots = hidden
        .select(&sel("meta[name=robots]"))
        .next()
        .expect("a robots meta");
    assert!(robots.value().attr("content").unwrap().contains("noindex"));
    let ada = read(&out, "members/ada/index.html");
    assert!(ada.contains("\"@type\":\"Person\""), "Person JSON-LD");
}

#[test]
fn email_editions_are_self_contained_and_the_text_has_no_tags() {
    let (_tmp, site) = fixture("hub");
    let out = build_ok(&site);
    let html = read(&out, "articles/first/email.html");
    let doc = Html::parse_document(&html);
    assert!(
        doc.errors.is_empty(),
        "email.html parse errors: {:?}",
        doc.errors
    );
    assert!(
        doc.select(&sel("link[rel=stylesheet], style, script"))
            .next()
            .is_none(),
        "no stylesheet, style block or script"
    );
    assert!(
        doc.select(&sel("[style]")).count() > 5,
        "CSS is inlined into style attributes"
    );
    for el in doc.select(&sel("[href], [src]")) {
        for attr in ["href", "src"] {
            if let Some(url) = el.value().attr(attr) {
                assert!(
                    url.starts_with("https://") || url.starts_with("mailto:"),
                    "relative URL in the email: {url}"
                );
            }
        }
    }
    for img in doc.select(&sel("img")) {
        assert!(
            img.value().attr("alt").is_some() && img.value().attr("width").is_some(),
            "{}",
            img.html()
        );
    }
    assert!(
        html.contains("https://hub.example.org/articles/first/"),
        "a view-in-browser link"
    );
    let text = read(&out, "articles/first/email.txt");
    assert!(text.contains("First post & <friends>"), "{text}");
    let tag = regex_like_tag(&text);
    assert!(tag.is_none(), "a tag in the plain text: {tag:?}");
    assert!(
        text.contains("[1]") && text.contains("https://hub.example.org/articles/bundle-post/"),
        "links as numbered references:\n{text}"
    );
    // Only newsletter articles get one.
    assert!(!out.join("articles/second/email.html").exists());
}

/// A `<tag` or `</tag` in plain text (the title's own `<friends>` is text, written as such).
fn regex_like_tag(text: &str) -> Option<String> {
    let text = text.replace("<friends>", "");
    text.match_indices('<').find_map(|(i, _)| {
        let rest = &text[i + 1..];
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        rest.chars()
            .next()
            .filter(char::is_ascii_alphabetic)
            .map(|_| text[i..(i + 20).min(text.len())].to_string())
    })
}

#[test]
fn kring_email_writes_both_files_for_one_page() {
    let (tmp, site) = fixture("hub");
    let out = tmp.path().join("mail");
    let page = site.join("content/articles/first.md");
    let (ok, stdout, stderr) = run(
        &["email", page.to_str().unwrap(), "-o", out.to_str().unwrap()],
        tmp.path(),
    );
    assert!(ok, "{stderr}");
    assert!(stdout.contains("first.email.html"));
    assert!(read(&out, "first.email.html").contains("First post &amp; &lt;friends&gt;"));
    assert!(!read(&out, "first.email.txt").is_empty());
    let (ok, _, stderr) = run(
        &[
            "email",
            site.join("content/events/meetup.md").to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert!(!ok && stderr.contains("not an article"), "{stderr}");
}

#[test]
fn privacy_nothing_external_by_default_analytics_only_when_asked() {
    let (tmp, site) = fixture("hub");
    let s = site.to_str().unwrap();
    let (ok, stdout, stderr) = run(&["build", s], tmp.path());
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("Other hosts the pages load from: none"),
        "{stdout}"
    );
    assert!(
        !has_code(&read(&site.join("public"), "index.html")),
        "no script without analytics"
    );
    let (ok, _, stderr) = run(&["check", "--privacy", s], tmp.path());
    assert!(ok, "{stderr}");

    // Analytics: its one script appears, and check --privacy allows its host.
    append(
        &site,
        "kring.toml",
        "[analytics]\nprovider = \"plausible\"\ndomain = \"hub.example.org\"\n",
    );
    let (ok, stdout, _) = run(&["build", s], tmp.path());
    assert!(ok && stdout.contains("plausible.io"), "{stdout}");
    let home = Html::parse_document(&read(&site.join("public"), "index.html"));
    let script = home
        .select(&sel("script[src]"))
        .next()
        .expect("the analytics script");
    assert_eq!(
        script.value().attr("src"),
        Some("https://plausible.io/js/script.js")
    );
    assert_eq!(script.value().attr("data-domain"), Some("hub.example.org"));
    let (ok, _, stderr) = run(&["check", "--privacy", s], tmp.path());
    assert!(ok, "{stderr}");

    // Anything else loaded from elsewhere fails, naming the page and the host.
    append(
        &site,
        "content/about.md",
        "\n![a badge](https://badges.example.net/b.svg)\n",
    );
    let (ok, _, stderr) = run(&["check", "--privacy", s], tmp.path());
    assert!(!ok);
    assert!(
        stderr.contains("content/about.md") && stderr.contains("badges.example.net"),
        "{stderr}"
    );
}

/// A build remembers the pages that load nothing from elsewhere (by their HTML) and does
/// not read them again; a page that does load from another host is found in every build,
/// and a file of clean pages that is damaged counts for nothing.
#[test]
fn privacy_clean_pages_are_remembered_and_the_others_found_every_time() {
    let (tmp, site) = fixture("hub");
    let s = site.to_str().unwrap();
    let memory = site.join(".kring-cache/privacy");
    let (ok, stdout, stderr) = run(&["build", s], tmp.path());
    assert!(ok && stdout.contains("load from: none"), "{stdout}{stderr}");
    assert!(memory.is_file());
    append(
        &site,
        "content/about.md",
        "\n![a badge](https://badges.example.net/b.svg)\n",
    );
    for build in ["first", "second"] {
        let (ok, stdout, stderr) = run(&["build", s], tmp.path());
        assert!(
            ok && stdout.contains("badges.example.net"),
            "{build}: {stdout}{stderr}"
        );
    }
    std::fs::write(&memory, b"kring privacy scan v1 0.0.0\nnot hashes").unwrap();
    let (ok, stdout, stderr) = run(&["build", s], tmp.path());
    assert!(
        ok && stdout.contains("badges.example.net"),
        "{stdout}{stderr}"
    );
}

#[test]
fn newsletter_archive_lists_issues_with_numbers() {
    let (_tmp, site) = fixture("hub");
    append(
        &site,
        "kring.toml",
        "[newsletter]\nprovider = \"buttondown\"\naccount = \"hub\"\n",
    );
    let out = build_ok(&site);
    let archive = read(&out, "newsletter/index.html");
    assert!(archive.contains("First post &amp; &lt;friends&gt;"));
    assert!(archive.contains('1'), "issue numbers");
}
