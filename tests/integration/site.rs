//! Builds the hub fixture with the default theme and checks what a build writes.

use crate::common;

use common::*;

#[test]
fn writes_pages_at_pretty_urls_with_bundles_and_static_files() {
    let (_tmp, site) = fixture("hub");
    let out = build_ok(&site);
    for file in [
        "index.html",
        "about/index.html",
        "articles/index.html",
        "articles/first/index.html",
        "articles/second/index.html",
        "articles/bundle-post/index.html",
        "articles/bundle-post/pic.svg",
        "events/meetup/index.html",
        "events/far-future/index.html",
        "members/ada/index.html",
        "members/hidden/index.html",
        "masterclasses/eight-steps/index.html",
        "tags/index.html",
        "tags/moderation/index.html",
        "authors/ada/index.html",
        "authors/guest-writer/index.html",
        "skills/moderation/index.html",
        "topics/safety/index.html",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "logo.svg",
        "kring.css",
    ] {
        assert!(out.join(file).is_file(), "{file} was not written");
    }
    // The date in the file name is the date, not part of the slug.
    assert!(!out.join("articles/2026-02-01-second").exists());
}

#[test]
fn drafts_and_future_posts_stay_out_unless_asked_but_events_never_hide() {
    let (_tmp, site) = fixture("hub");
    let out = build_ok(&site);
    assert!(!out.join("articles/future").exists());
    assert!(!out.join("articles/draft").exists());
    assert!(out.join("events/far-future/index.html").is_file());

    let mut opts = options();
    opts.drafts = true;
    let out = kring::build(&site, &opts, None).unwrap().output;
    assert!(out.join("articles/future/index.html").is_file());
    assert!(out.join("articles/draft/index.html").is_file());
}

#[test]
fn sections_paginate() {
    let (_tmp, site) = fixture("hub");
    let out = build_ok(&site);
    // Three published articles, two per page.
    let first = read(&out, "articles/index.html");
    let second = read(&out, "articles/page/2/index.html");
    assert!(
        first.contains("A bundle") && first.contains("Second post"),
        "newest first on page 1"
    );
    assert!(
        second.contains("First post &amp; &lt;friends&gt;"),
        "oldest on page 2, escaped"
    );
    assert!(!out.join("articles/page/3").exists());
    assert!(
        first.contains("href=\"page/2/\""),
        "page 1 links to page 2 (relative: portable output)"
    );
    assert!(
        second.contains("href=\"../../\""),
        "page 2 links back to page 1"
    );
}

#[test]
fn internal_links_and_relative_urls_become_permalinks() {
    let (_tmp, site) = fixture("hub");
    let out = build_ok(&site);
    let about = read(&out, "about/index.html");
    assert!(
        about.contains("href=\"../articles/first/#second-heading\""),
        "{about}"
    );
    let bundle = read(&out, "articles/bundle-post/index.html");
    assert!(bundle.contains("src=\"pic.svg\""), "{bundle}");
}

#[test]
fn links_are_absolute_when_relative_urls_is_off() {
    let (_tmp, site) = fixture("hub");
    let config = read(&site, "kring.toml");
    write(
        &site,
        "kring.toml",
        format!("relative_urls = false\n{config}"),
    );
    let out = build_ok(&site);
    let about = read(&out, "about/index.html");
    assert!(
        about.contains("href=\"https://hub.example.org/articles/first/#second-heading\""),
        "{about}"
    );
    let bundle = read(&out, "articles/bundle-post/index.html");
    assert!(bundle.contains("src=\"https://hub.example.org/articles/bundle-post/pic.svg\""));
    assert!(read(&out, "articles/index.html").contains("https://hub.example.org/articles/page/2/"));
}

#[test]
fn base_url_override_and_sub_path() {
    let (_tmp, site) = fixture("hub");
    let mut opts = options();
    opts.base_url = Some("https://example.org/hub".into());
    let out = kring::build(&site, &opts, None).unwrap().output;
    let about = read(&out, "about/index.html");
    assert!(about.contains("href=\"../articles/first/#second-heading\""));
    assert!(
        about.contains("<link rel=\"canonical\" href=\"https://example.org/hub/about/\""),
        "{about}"
    );
    assert!(read(&out, "sitemap.xml").contains("<loc>https://example.org/hub/about/</loc>"));
    assert!(read(&out, "robots.txt").contains("Sitemap: https://example.org/hub/sitemap.xml"));
}

#[test]
fn unlisted_members_are_reachable_but_not_listed() {
    let (_tmp, site) = fixture("hub");
    let out = build_ok(&site);
    let directory = read(&out, "members/index.html");
    assert!(directory.contains("Ada Lovelace"));
    assert!(!directory.contains("Hidden Member"));
    assert!(!read(&out, "sitemap.xml").contains("members/hidden/"));
    assert!(read(&out, "members/hidden/index.html").contains("noindex"));
}

#[test]
fn sitemap_lists_pages_with_lastmod_and_robots_points_at_it() {
    let (_tmp, site) = fixture("hub");
    let out = build_ok(&site);
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://hub.example.org/articles/first/</loc>\n    <lastmod>2026-01-10T00:00:00+01:00</lastmod>"), "{sitemap}");
    assert!(sitemap.contains("<loc>https://hub.example.org/tags/growth/</loc>"));
    assert_eq!(
        read(&out, "robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://hub.example.org/sitemap.xml\n"
    );
}

#[test]
fn authors_link_to_members_or_stay_names() {
    let (_tmp, site) = fixture("hub");
    let out = build_ok(&site);
    let page = read(&out, "articles/first/index.html");
    assert!(
        page.contains("https://hub.example.org/members/ada/"),
        "member author links to the member page"
    );
    assert!(page.contains("Guest Writer"));
    let member = read(&out, "members/ada/index.html");
    assert!(
        member.contains("First post &amp; &lt;friends&gt;"),
        "the member page lists their articles"
    );
    assert!(member.contains("Summer meetup"), "and the events they host");
    assert!(member.contains("Eight steps"), "and their masterclasses");
}

#[test]
fn check_passes_on_the_fixture_and_finds_a_broken_anchor() {
    let (_tmp, site) = fixture("hub");
    let report = kring::commands::check::links::check_site(&site, &options(), false).unwrap();
    assert!(report.links > 20);
    write(
        &site,
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n\nSee [x](@/articles/first.md#no-such-heading).\n",
    );
    let err = kring::commands::check::links::check_site(&site, &options(), false)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("content/about.md:5:5") && err.contains("no-such-heading"),
        "{err}"
    );
}

/// Whole pages, reviewed as snapshots: a change to the theme or the pipeline shows up here.
#[test]
fn snapshot_of_an_article_page_and_the_site_feed() {
    let (_tmp, site) = fixture("hub");
    let out = build_ok(&site);
    insta::assert_snapshot!("article_page", read(&out, "articles/first/index.html"));
    insta::assert_snapshot!("site_rss", read(&out, "rss.xml"));
}

#[test]
fn theme_options_logo_hero_image_and_home_blocks() {
    let (_tmp, site) = fixture("hub");
    let config = std::fs::read_to_string(site.join("kring.toml")).unwrap();
    write(
        &site,
        "kring.toml",
        format!(
            "{config}\n[extra]\nlogo = \"logo.svg\"\nhero_image = \"logo.svg\"\nhome_blocks = [\"articles\"]\n"
        ),
    );
    let out = build_ok(&site);
    let home = read(&out, "index.html");
    assert!(
        home.contains("class=\"brand__logo\" src=\"logo.svg\""),
        "the logo in the header"
    );
    assert!(
        home.contains("class=\"hero__image\" src=\"logo.svg\""),
        "the hero image"
    );
    assert!(
        home.contains("k-articles-title"),
        "the articles block is shown"
    );
    assert!(
        !home.contains("k-events-title") && !home.contains("k-members-title"),
        "the others are not"
    );
    // Without home_blocks, every block with something to show appears.
    write(&site, "kring.toml", config);
    let home = read(&build_ok(&site), "index.html");
    assert!(home.contains("k-events-title") && home.contains("k-members-title"));
}
