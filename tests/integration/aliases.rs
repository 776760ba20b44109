//! Aliases (issue #13's redirects, a front-matter feature of every page): each old
//! address gets a page that sends the browser on, and `_redirects` lists them all for the
//! static hosts that read it. Bad aliases are errors at their line; an alias cannot take
//! another output's path.

use crate::common;

use common::*;
use scraper::{Html, Selector};

fn article(aliases: &str) -> String {
    format!(
        "+++\ntitle = \"Moved <here> & \\\"there\\\"\"\ndate = 2026-01-10\naliases = {aliases}\n+++\n\nBody.\n"
    )
}

#[test]
fn old_addresses_redirect_to_the_page() {
    let (_tmp, site) = fixture("hub");
    write(
        &site,
        "content/articles/moved.md",
        article(r#"["/p/old-post", "2019/05/old.html", "/p/other/"]"#),
    );
    let public = build_ok(&site);
    let target = "https://hub.example.org/articles/moved/";
    for file in [
        "p/old-post/index.html",
        "2019/05/old.html",
        "p/other/index.html",
    ] {
        let doc = Html::parse_document(&read(&public, file));
        let attr = |css: &str, name: &str| {
            doc.select(&Selector::parse(css).unwrap())
                .next()
                .and_then(|e| e.value().attr(name).map(str::to_string))
                .unwrap_or_else(|| panic!("{file}: no {css}"))
        };
        assert_eq!(attr("link[rel=canonical]", "href"), target, "{file}");
        assert_eq!(
            attr("meta[http-equiv=refresh]", "content"),
            format!("0; url={target}")
        );
        assert_eq!(attr("body a", "href"), target);
        assert_eq!(attr("meta[name=robots]", "content"), "noindex");
        let title = doc
            .select(&Selector::parse("title").unwrap())
            .next()
            .unwrap()
            .text()
            .collect::<String>();
        assert_eq!(title, "Moved <here> & \"there\"");
    }
    let redirects = read(&public, "_redirects");
    assert_eq!(
        redirects.lines().collect::<Vec<_>>(),
        [
            "/p/old-post/ /articles/moved/ 301",
            "/2019/05/old.html /articles/moved/ 301",
            "/p/other/ /articles/moved/ 301"
        ]
    );
}

#[test]
fn a_site_without_aliases_writes_no_redirects_file() {
    let (_tmp, site) = fixture("hub");
    let public = build_ok(&site);
    assert!(!public.join("_redirects").exists());
}

#[test]
fn bad_aliases_are_errors_at_their_line() {
    for bad in [
        "\"https://old.example/p/x\"",
        "\"//old.example/p\"",
        "\"/p/../../etc\"",
        "\"/p/x?utm=1\"",
        "\"/\"",
        "\"/p//x\"",
        "\"/p/\\u0000x\"",
        "\"/p/\\r\\nx\"",
        "\"/p/<script>\"",
    ] {
        let (tmp, site) = fixture("hub");
        write(
            &site,
            "content/articles/moved.md",
            article(&format!("[{bad}]")),
        );
        let (ok, stdout, stderr) = run(&["build", site.to_str().unwrap()], tmp.path());
        assert!(!ok, "{bad}: {stdout}");
        assert!(
            stderr.contains("content/articles/moved.md:4"),
            "{bad}: {stderr}"
        );
        assert!(stderr.contains("alias"), "{bad}: {stderr}");
    }
}

#[test]
fn an_alias_cannot_take_another_outputs_path() {
    for (alias, other) in [
        ("/about/", "about.md"),
        ("/sitemap.xml.html", ""),
        ("/articles/first/", "first.md"),
    ] {
        let (tmp, site) = fixture("hub");
        write(
            &site,
            "content/articles/moved.md",
            article(&format!("[\"{alias}\"]")),
        );
        if other.is_empty() {
            write(&site, "static/sitemap.xml.html", "mine");
        }
        let (ok, stdout, stderr) = run(&["build", site.to_str().unwrap()], tmp.path());
        assert!(!ok, "{alias}: {stdout}");
        assert!(
            stderr.contains("two outputs would be written to"),
            "{alias}: {stderr}"
        );
        assert!(stderr.contains("moved.md"), "{alias}: {stderr}");
        assert!(
            other.is_empty() || stderr.contains(other),
            "{alias}: {stderr}"
        );
    }
    // A site's own _redirects and kring's cannot both be written.
    let (tmp, site) = fixture("hub");
    write(&site, "content/articles/moved.md", article("[\"/p/x\"]"));
    write(&site, "static/_redirects", "/a /b 301\n");
    let (ok, _, stderr) = run(&["build", site.to_str().unwrap()], tmp.path());
    assert!(!ok && stderr.contains("_redirects"), "{stderr}");
}
