//! Publishing features of issue #14 beyond content blocks: reading order, readable terms,
//! feeds per term.

mod common;

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
