//! `kring import`: the fixture exports of Substack, Ghost and WordPress (tests/fixtures/
//! import, written for kring to cover every construct the importer handles) become a site
//! that builds and passes `kring check`, with its images fetched from a server on
//! 127.0.0.1, its old addresses redirected, and no e-mail address from the exports in it.

use crate::common;

use std::path::Path;

use common::import::*;
use common::*;
use scraper::{Html, Selector};

/// Addresses the fixtures hold that must never reach the site: subscribers' and authors'.
const PRIVATE: &[&str] = &[
    "reader.one@example.com",
    "paying.reader@example.net",
    "noor.private@example.com",
    "sam.private@example.net",
    "nobody@example.org",
    "subscriber@example.com",
    "anouk.secret@example.nl",
    "jeroen.secret@example.nl",
    "hunter2",
];

fn no_private_data(site: &Path) {
    for needle in PRIVATE {
        let found = files_containing(site, needle);
        assert!(found.is_empty(), "{needle} found in {found:?}");
    }
}

#[test]
fn a_substack_export_becomes_a_site_with_redirects() {
    let server = ImageServer::start();
    let tmp = tempfile::tempdir().unwrap();
    let folder = export_fixture("substack", tmp.path(), &server.base);
    let zip = tmp.path().join("export.zip");
    zip_folder(&folder, &zip);
    let site = tmp.path().join("hub");
    let report = import_ok(
        &[
            "substack",
            zip.to_str().unwrap(),
            site.to_str().unwrap(),
            "--download-images",
            "--allow-private-hosts",
        ],
        tmp.path(),
    );
    for line in [
        "Imported from Substack",
        "a new site",
        "      6 articles",
        "      3 of them newsletter issues",
        "      3 drafts",
        "      2 paid, members-only",
        "      1 pages",
        "      1 images downloaded",
        "posts/100006.chat-thread.html: a discussion thread",
        "posts/100007.no-title.html: no title",
        "posts/100008.missing-body.html: listed in posts.csv, but its body is not in the export",
        "email_list.hub.csv: a subscriber list, not read",
        "Substack's export names no authors",
    ] {
        assert!(report.contains(line), "report lacks `{line}`:\n{report}");
    }
    assert!(
        report.contains("/substack/missing.png: the server answered 404"),
        "{report}"
    );
    assert!(
        report.contains("/substack/page.png: not a JPEG, PNG, WebP or GIF image"),
        "{report}"
    );

    // The newsletter issue with an image is a bundle with the photo beside it.
    let (front, body) = content(&site, "content/articles/welcome-to-the-hub/index.md");
    assert_eq!(front["title"].as_str(), Some("Welcome to the hub"));
    assert_eq!(
        front["description"].as_str(),
        Some("Why we started, and what\u{2019}s next")
    );
    assert_eq!(front["date"].to_string(), "2025-03-01T09:00:00Z");
    assert_eq!(front["newsletter"].as_bool(), Some(true));
    assert!(front.get("draft").is_none());
    assert_eq!(
        front["aliases"].as_array().unwrap()[0].as_str(),
        Some("/p/welcome-to-the-hub")
    );
    assert_eq!(front["extra"]["imported_from"].as_str(), Some("substack"));
    for part in [
        "the conversation kept *scattering* across chats.",
        "[onboarding guide](@/articles/onboarding-that-works.md#step-two)",
        "[old post](https://hub.substack.com/p/missing-post)",
        "![Members at the first meetup](meetup-800x600.jpg)",
        "_Our first meetup, **Utrecht**_",
        "A claim that needs a source[^1] and another[^2].",
        "\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ&t=90\n\n",
        "> We are live",
        "(https://twitter.com/hub/status/123)",
        "[Get a ticket](https://tickets.example.org/meetup)",
        "[^1]: The [study](https://research.example.org/paper) from 2024.",
        "[^2]: Second note.\n\n    With a second paragraph.",
    ] {
        assert!(body.contains(part), "`{part}` missing from:\n{body}");
    }
    for furniture in [
        "Thanks for reading",
        "Subscribe",
        "Share",
        "substackcdn",
        "<svg",
        "<button",
        "<form",
    ] {
        assert!(!body.contains(furniture), "`{furniture}` left in:\n{body}");
    }
    let photo =
        image::open(site.join("content/articles/welcome-to-the-hub/meetup-800x600.jpg")).unwrap();
    assert_eq!((photo.width(), photo.height()), (64, 48));
    assert_eq!(server.hits("/substack/meetup_800x600.jpg"), 1);

    let (_, body) = content(&site, "content/articles/onboarding-that-works.md");
    for part in [
        "## Step one",
        "`#introductions`",
        "[the editor](mailto:editor@hub.example)",
        "1. Pick a buddy\n2. Join a call",
        "- Bring **questions**",
        "> The best onboarding is a person.",
        "```\nkring serve example-site\n```",
        "| 1    | Say hi |",
        "[welcome post](@/articles/welcome-to-the-hub/index.md)",
    ] {
        assert!(body.contains(part), "`{part}` missing from:\n{body}");
    }
    // A failed download leaves the image where it was, and the post flat.
    assert!(
        body.contains(&format!("]({}/substack/missing.png)", server.base)),
        "{body}"
    );

    let (front, _) = content(&site, "content/articles/members-only-retro.md");
    assert_eq!(front["draft"].as_bool(), Some(true));
    assert_eq!(front["extra"]["audience"].as_str(), Some("paid"));
    assert!(
        read(&site, "content/articles/members-only-retro.md")
            .contains("# Readable by paid only on Substack")
    );
    let (front, _) = content(&site, "content/articles/free-members.md");
    assert_eq!(
        (
            front["draft"].as_bool(),
            front["extra"]["audience"].as_str()
        ),
        (Some(true), Some("members"))
    );
    let (front, _) = content(&site, "content/articles/half-finished-idea.md");
    assert_eq!(front["draft"].as_bool(), Some(true));
    assert!(front["extra"].get("audience").is_none());
    let (front, body) = content(&site, "content/about.md");
    assert_eq!(front["title"].as_str(), Some("About this newsletter"));
    assert!(front.get("newsletter").is_none() && body.contains("about running communities"));

    // Hostile input stays text.
    let (front, body) = content(&site, "content/articles/hostile.md");
    assert_eq!(
        front["title"].as_str(),
        Some("<img src=x onerror=alert(1)> \"quoted\" +++")
    );
    assert_eq!(
        front["description"].as_str(),
        Some("Sub<script>alert(2)</script>title")
    );
    assert!(body.contains("Control characters"), "{body}");
    for bad in ["\0", "\r", "\u{1b}", "<script", "alert(3)", "alert(4)"] {
        assert!(!body.contains(bad), "{bad:?} in {body:?}");
    }
    assert!(
        body.contains("[https://evil.example/frame](https://evil.example/frame)"),
        "{body}"
    );

    check_ok(&site, tmp.path());
    let out = build_ok(&site);
    let page = Html::parse_document(&read(&out, "articles/hostile/index.html"));
    assert!(
        page.select(&Selector::parse("img[src=x], img[onerror]").unwrap())
            .next()
            .is_none()
    );
    let h1: String = page
        .select(&Selector::parse("h1").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(h1.contains("<img src=x onerror=alert(1)>"), "{h1}");
    // Old addresses redirect.
    let redirect = Html::parse_document(&read(&out, "p/welcome-to-the-hub/index.html"));
    let refresh = redirect
        .select(&Selector::parse("meta[http-equiv=refresh]").unwrap())
        .next()
        .unwrap();
    assert!(
        refresh
            .value()
            .attr("content")
            .unwrap()
            .ends_with("/articles/welcome-to-the-hub/")
    );
    assert!(
        read(&out, "_redirects")
            .contains("/p/welcome-to-the-hub/ /articles/welcome-to-the-hub/ 301")
    );
    assert!(read(&out, "_redirects").contains("/p/about/ /about/ 301"));
    // The video loads nothing until clicked; the photo is offered in sizes.
    let welcome = read(&out, "articles/welcome-to-the-hub/index.html");
    assert!(
        welcome.contains("class=\"video\"") && !welcome.contains("<iframe"),
        "video figure"
    );
    no_private_data(&site);
    assert!(out.starts_with(&site));
}

#[test]
fn a_substack_folder_imports_without_downloads_and_lists_the_hosts() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = export_fixture("substack", tmp.path(), "https://cdn.example.net");
    let site = tmp.path().join("hub");
    let report = import_ok(
        &["substack", folder.to_str().unwrap(), site.to_str().unwrap()],
        tmp.path(),
    );
    assert!(
        report.contains("Images are still loaded from cdn.example.net"),
        "{report}"
    );
    assert!(report.contains("      0 images downloaded"), "{report}");
    let (_, body) = content(&site, "content/articles/welcome-to-the-hub.md");
    assert!(
        body.contains("](https://cdn.example.net/substack/meetup_800x600.jpg)"),
        "{body}"
    );
    let (ok, _, stderr) = run(&["check", "--privacy", site.to_str().unwrap()], tmp.path());
    assert!(!ok, "remote images are a privacy problem");
    assert!(
        stderr.contains("content/articles/welcome-to-the-hub.md: the page /articles/welcome-to-the-hub/ loads https://cdn.example.net/"),
        "the privacy check names the file and host: {stderr}"
    );
}

#[test]
fn a_ghost_export_becomes_articles_pages_and_members() {
    let server = ImageServer::start();
    let tmp = tempfile::tempdir().unwrap();
    let export = export_fixture("ghost.json", tmp.path(), &server.base);
    let site = tmp.path().join("hub");

    // The export calls its site __GHOST_URL__: without --site-url nothing is written.
    let (ok, _, stderr) = run(
        &[
            "import",
            "ghost",
            export.to_str().unwrap(),
            site.to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert!(
        !ok && stderr.contains("__GHOST_URL__") && stderr.contains("--site-url"),
        "{stderr}"
    );
    assert!(!site.exists(), "a failed import writes nothing");

    let report = import_ok(
        &[
            "ghost",
            export.to_str().unwrap(),
            site.to_str().unwrap(),
            "--site-url",
            &server.base,
            "--download-images",
            "--allow-private-hosts",
        ],
        tmp.path(),
    );
    for line in [
        "      6 articles",
        "      3 of them newsletter issues",
        "      4 drafts",
        "      3 paid, members-only",
        "      1 pages",
        "      2 members",
        "      3 images downloaded",
        "Ghost post 6607 \"untitled\": no title",
        "members table (subscribers) was not read",
    ] {
        assert!(report.contains(line), "report lacks `{line}`:\n{report}");
    }
    let (front, body) = content(&site, "content/articles/a-year-of-the-hub/index.md");
    assert_eq!(front["title"].as_str(), Some("A year of the hub"));
    assert_eq!(
        front["description"].as_str(),
        Some("Twelve months, three hundred members")
    );
    assert_eq!(front["date"].to_string(), "2025-03-10T09:00:00Z");
    assert_eq!(front["newsletter"].as_bool(), Some(true));
    assert_eq!(front["tags"].as_array().unwrap().len(), 1);
    assert_eq!(front["tags"][0].as_str(), Some("Community-strategie"));
    assert_eq!(
        front["authors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect::<Vec<_>>(),
        ["noor", "sam"]
    );
    assert_eq!(front["image"].as_str(), Some("cover.png"));
    assert_eq!(
        front["extra"]["image_alt"].as_str(),
        Some("Confetti over the stage")
    );
    assert_eq!(front["aliases"][0].as_str(), Some("/a-year-of-the-hub"));
    for part in [
        "[meetup recap](@/articles/meetup-recap.md)",
        "![A full room](crowd.jpg)",
        "_The room in *March*_",
        "\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n",
        "\n\nhttps://vimeo.com/76979871\n\n",
        "[The moderation guide](https://guide.example.org/moderation)",
        // A bookmark is a quote: its description and publisher arrive too.
        "> How to keep a space kind.",
        "> Guide",
        "[Buy a summit ticket](https://tickets.example.org/summit)",
        "> 💡",
        "Bring a friend.",
        "A claim[^1].",
        "[^1]: A source.",
        "> Big news",
    ] {
        assert!(body.contains(part), "`{part}` missing from:\n{body}");
    }
    for furniture in [
        "Subscribe",
        "Sign up",
        "portal",
        "platform.twitter.com",
        "favicon.ico",
        "thumb.jpg",
        "↩",
    ] {
        assert!(!body.contains(furniture), "`{furniture}` left in:\n{body}");
    }
    assert_eq!(server.hits("/content/images/2025/03/crowd.jpg"), 1);

    let (front, body) = content(&site, "content/articles/meetup-recap.md");
    assert!(front.get("newsletter").is_none());
    assert_eq!(front["authors"][0].as_str(), Some("sam"));
    assert!(
        body.contains("[the year in review](@/articles/a-year-of-the-hub/index.md)"),
        "{body}"
    );
    let (front, _) = content(&site, "content/articles/paid-deep-dive.md");
    assert_eq!(
        (
            front["draft"].as_bool(),
            front["extra"]["audience"].as_str()
        ),
        (Some(true), Some("paid"))
    );
    let (front, _) = content(&site, "content/articles/for-members.md");
    assert_eq!(front["extra"]["audience"].as_str(), Some("members"));
    let (front, _) = content(&site, "content/articles/only-in-the-inbox.md");
    assert_eq!(
        (
            front["draft"].as_bool(),
            front["extra"]["email_only"].as_bool()
        ),
        (Some(true), Some(true))
    );
    assert_eq!(front["newsletter"].as_bool(), Some(true));
    let (front, _) = content(&site, "content/articles/work-in-progress.md");
    assert_eq!(front["draft"].as_bool(), Some(true));
    let (front, _) = content(&site, "content/contact.md");
    assert_eq!(front["title"].as_str(), Some("Contact"));

    // Authors are members, with their avatar; the one who wrote nothing is not.
    let (front, body) = content(&site, "content/members/noor/index.md");
    assert_eq!(front["name"].as_str(), Some("Noor de Vries"));
    assert_eq!(front["location"].as_str(), Some("Utrecht"));
    assert_eq!(front["avatar"].as_str(), Some("avatar.jpg"));
    assert_eq!(
        front["links"]["website"].as_str(),
        Some("https://noor.example")
    );
    assert_eq!(body.trim(), "Runs the hub.");
    assert!(site.join("content/members/noor/avatar.jpg").is_file());
    let (front, _) = content(&site, "content/members/sam.md");
    assert_eq!(front["name"].as_str(), Some("Sam Jansen"));
    assert!(!site.join("content/members/ghost-writer.md").exists());

    check_ok(&site, tmp.path());
    let out = build_ok(&site);
    assert!(
        out.join("a-year-of-the-hub/index.html").is_file(),
        "the old address redirects"
    );
    assert!(read(&out, "_redirects").contains("/meetup-recap/ /articles/meetup-recap/ 301"));
    no_private_data(&site);
}

#[test]
fn a_wordpress_export_becomes_a_dutch_site() {
    let server = ImageServer::start();
    let tmp = tempfile::tempdir().unwrap();
    let export = export_fixture("wordpress.xml", tmp.path(), &server.base);
    let site = tmp.path().join("buurt");
    let report = import_ok(
        &[
            "wordpress",
            export.to_str().unwrap(),
            site.to_str().unwrap(),
            "--download-images",
            "--allow-private-hosts",
        ],
        tmp.path(),
    );
    for line in [
        "      5 articles",
        "      0 of them newsletter issues",
        "      3 drafts",
        "      2 paid, members-only, private",
        "      2 pages",
        "      2 members",
        "      3 images downloaded",
        "WordPress post 17 \"weg\": status \"trash\" in WordPress",
        "1 item(s) of type nav_menu_item",
        "content/tags-2.md: old address /tags is the address of another page",
    ] {
        assert!(report.contains(line), "report lacks `{line}`:\n{report}");
    }
    let config = read(&site, "kring.toml");
    assert!(
        config.contains("language = \"nl\"") && config.contains("title = \"Buurt & Bijeen\""),
        "{config}"
    );

    let (front, body) = content(&site, "content/articles/zomerfeest-in-het-park/index.md");
    assert_eq!(
        front["description"].as_str(),
        Some("Een terugblik op het zomerfeest & de muziek.")
    );
    assert_eq!(front["date"].to_string(), "2024-06-15T10:00:00Z");
    let tags: Vec<&str> = front["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(tags, ["Buurtnieuws", "Moestuin"]);
    assert_eq!(front["authors"][0].as_str(), Some("anouk"));
    assert_eq!(front["image"].as_str(), Some("feest.jpg"));
    assert_eq!(
        front["aliases"][0].as_str(),
        Some("/2024/06/zomerfeest-in-het-park")
    );
    for part in [
        "Het **zomerfeest** was een succes. Lees ook over [de moestuin](@/articles/de-moestuin/index.md).",
        "![Dansen in het park](feest.jpg)",
        "_Dansen bij de *vijver*_",
        "\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n",
        "[https://www.instagram.com/p/abc/](https://www.instagram.com/p/abc/)",
        "Met dank aan de vrijwilligers[^1].",
        "[^1]: En aan de bakker.",
        "[Meld je aan](https://buurt.example.nl/aanmelden/)",
    ] {
        assert!(body.contains(part), "`{part}` missing from:\n{body}");
    }
    assert!(!body.contains("wp:") && !body.contains("↩"), "{body}");
    assert_eq!(
        server.hits("/wp/feest.jpg"),
        1,
        "one download for the cover and the body"
    );

    let (_, body) = content(&site, "content/articles/de-moestuin/index.md");
    for part in [
        "De moestuin is open.\\\nElke zaterdag.",
        "![Rijpe tomaten](tomaten.png)",
        "_Tomaten uit eigen tuin_",
        "\n\nhttps://vimeo.com/76979871\n\n",
        "Zie \\[1\\] en \\[sic\\].",
        "[zomerfeest](@/articles/zomerfeest-in-het-park/index.md#muziek)",
    ] {
        assert!(body.contains(part), "`{part}` missing from:\n{body}");
    }
    assert!(
        !body.contains("gallery") && !body.contains("contact-form"),
        "{body}"
    );

    let (front, _) = content(&site, "content/articles/concept-nieuwe-plannen.md");
    assert_eq!(front["draft"].as_bool(), Some(true));
    assert!(
        front.get("aliases").is_none(),
        "?p= addresses are not aliases"
    );
    let (front, _) = content(&site, "content/articles/bestuur.md");
    assert_eq!(
        (
            front["draft"].as_bool(),
            front["extra"]["audience"].as_str()
        ),
        (Some(true), Some("password"))
    );
    let (front, _) = content(&site, "content/articles/prive.md");
    assert_eq!(front["extra"]["audience"].as_str(), Some("private"));
    let (front, _) = content(&site, "content/over-ons.md");
    assert!(
        front.get("aliases").is_none(),
        "the same address needs no redirect"
    );
    assert!(
        site.join("content/tags-2.md").is_file(),
        "a page does not take a name kring uses"
    );
    let (front, _) = content(&site, "content/members/anouk.md");
    assert_eq!(front["name"].as_str(), Some("Anouk Bakker"));

    check_ok(&site, tmp.path());
    let out = build_ok(&site);
    assert!(
        read(&out, "_redirects")
            .contains("/2024/06/zomerfeest-in-het-park/ /articles/zomerfeest-in-het-park/ 301")
    );
    assert!(read(&out, "index.html").contains("lang=\"nl\""));
    no_private_data(&site);
    no_private_data(&out);
}
