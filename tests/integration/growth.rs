//! Work that must grow in proportion to its input (issue 21, point 10): thousands of
//! content blocks in one page are each shown once, in a build that does not search the
//! whole page for each of them; and HTML nested past the documented limit (64 levels,
//! `content::markdown::MAX_NESTING`) is refused at its line before the email edition's
//! HTML5 parsers, which look through every open element at each tag, see it. The steps
//! themselves are counted by the unit tests of `content::markdown` and
//! `output::pages::blocks`; no assertion here is timed.

use crate::common;

use std::path::Path;

use common::*;

const ARTICLE: &str = "content/articles/deep.md";

/// A site with one newsletter article whose body starts on line 7 of its file.
fn site(dir: &Path, body: &str) {
    write(
        dir,
        "kring.toml",
        "base_url = \"https://hub.example/\"\ntitle = \"Deep\"\nlanguage = \"en\"\n\n[search]\nenabled = false\n",
    );
    write(
        dir,
        "content/articles/_index.md",
        "+++\ntitle = \"Articles\"\nkind = \"articles\"\n+++\n",
    );
    write(
        dir,
        ARTICLE,
        format!("+++\ntitle = \"Deep\"\ndate = 2026-11-01\nnewsletter = true\n+++\n\n{body}\n"),
    );
}

#[test]
fn html_nested_past_the_limit_is_an_error_at_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    // (body, the line of the article where the limit is passed)
    let cases: Vec<(String, usize)> = vec![
        // 100,000 nested divs, lists and quotes of raw HTML on one line, closed or not.
        (
            "<div>".repeat(100_000) + "deep" + &"</div>".repeat(100_000),
            7,
        ),
        (
            "<ul><li>".repeat(100_000) + "deep" + &"</li></ul>".repeat(100_000),
            7,
        ),
        ("<blockquote>".repeat(100_000) + "deep", 7),
        (
            format!("Intro\n\n{}deep{}", "<b>".repeat(100), "</b>".repeat(100)),
            9,
        ),
        // One element a line: the 65th is on line 7 + 64.
        ("<section>\n".repeat(100) + "deep", 71),
        // Markdown's quotes and HTML's divs add up: 30 + 40.
        ("> ".repeat(30) + &"<div>".repeat(40) + "deep", 7),
        // Elements never closed: formatting, `<div/>` (which opens a div), non-ASCII and
        // control characters around them.
        ("é <b>\r\n".repeat(200), 6 + 64),
        ("<div/>\0".repeat(1000), 7),
        // Inside a block's body, and left open by many blocks' bodies.
        (
            format!("{{% callout() %}}\n{}\n{{% end %}}", "<div>".repeat(100)),
            8,
        ),
        (
            "{% callout() %}\n<div>\n{% end %}\n\n".repeat(100),
            7 + 4 * 64 + 1,
        ),
    ];
    for (body, line) in cases {
        site(&dir, &body);
        let (ok, _, err) = run(&["build", dir.to_str().unwrap()], tmp.path());
        let shown = &body[..body.len().min(40)];
        assert!(!ok, "{shown:?}");
        assert!(
            err.contains(&format!("{ARTICLE}:{line}:")) && err.contains("nest more than 64"),
            "{shown:?}: the error names the file and line {line}:\n{err}"
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn much_html_that_does_not_nest_deeply_makes_an_email_edition() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    // Many elements, each group 60 deep; ends HTML lets writers leave out; comments and
    // scripts that look like tags; text that is not HTML.
    let groups = format!("{}diepte{}\n\n", "<div>".repeat(60), "</div>".repeat(60)).repeat(500);
    let body = format!(
        "{groups}{}\n\n<ul>{}</ul>\n\n{}\n\n{}\n\nLast < words & 1<2 </script> ✓",
        "<p>Paragraph ".repeat(2000),
        "<li>Item ".repeat(2000),
        "<!-- <div><div><div> -->".repeat(100),
        "<script>'<div>'.repeat(9)</script>".repeat(100),
    );
    site(&dir, &body);
    let out = build_ok(&dir);
    let text = read(&out, "articles/deep/email.txt");
    assert_eq!(
        text.matches("diepte").count(),
        500,
        "every group is in the text"
    );
    assert!(text.contains("Paragraph") && text.contains("Item"));
    assert!(
        text.contains("Last < words & 1<2"),
        "the text's end is kept"
    );
    let html = read(&out, "articles/deep/email.html");
    let doc = scraper::Html::parse_document(&html);
    let divs = scraper::Selector::parse("div div div div div div div div div div").unwrap();
    assert!(doc.select(&divs).next().is_some());
}

#[test]
fn thousands_of_blocks_are_each_shown_once_where_they_are() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let n = 3000;
    let mut body = String::new();
    for i in 0..n {
        body.push_str(&format!(
            "{{% callout(kind=\"tip\") %}}\nTip ✓ {i} `{{x}}`.\n{{% end %}}\n\n"
        ));
        // Every tenth holds another block.
        if i % 10 == 0 {
            body.push_str(&format!(
                "{{% callout() %}}\nOuter {i}\n{{% callout(kind=\"warning\") %}}\nInner {i} <!--<script>-->\n{{% end %}}\n{{% end %}}\n\n"
            ));
        }
    }
    // A placeholder written by hand does not show a block a second time.
    body.push_str(
        "<kring-block data-n=\"0\"></kring-block> <kring-block data-n=\"1\"></kring-block>\n",
    );
    site(&dir, &body);
    let out = build_ok(&dir);
    let html = read(&out, "articles/deep/index.html");
    assert_eq!(
        html.matches("<kring-block").count(),
        2,
        "only the two written by hand"
    );
    let page = scraper::Html::parse_document(&html);
    let select = |s: &str| scraper::Selector::parse(s).unwrap();
    let asides: Vec<String> = page
        .select(&select("aside.callout"))
        .map(|a| a.text().collect())
        .collect();
    let nested = n / 10;
    assert_eq!(asides.len(), n + 2 * nested);
    for i in (0..n).step_by(997) {
        let tip = format!("Tip ✓ {i} {{x}}.");
        assert_eq!(
            asides.iter().filter(|a| a.contains(&tip)).count(),
            1,
            "{tip}"
        );
    }
    let inner: Vec<String> = page
        .select(&select("aside.callout aside.callout--warning"))
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(inner.len(), nested);
    assert!(inner[7].contains("Inner 70"), "{}", inner[7]);
}
