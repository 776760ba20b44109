use super::*;

fn comment(id: &str, parent: &str, name: &str, text: &str) -> Comment {
    Comment {
        id: id.into(),
        parent: parent.into(),
        name: name.into(),
        date: None,
        text: text.into(),
    }
}

/// The section as a browser sees it, through Markdown (pulldown-cmark) and an HTML parser.
fn page(section: &str) -> scraper::Html {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(section));
    scraper::Html::parse_fragment(&html)
}

fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&scraper::Selector::parse(css).unwrap())
        .collect()
}

#[test]
fn text_keeps_paragraphs_breaks_and_web_links_only() {
    assert_eq!(
        reduce("First line\nsecond line\n\nNew <b>paragraph</b> with <a href=\"https://x.example/a?b=1&c=2\" title=t>a link</a>."),
        vec![
            "First line<br>second line".to_string(),
            "New paragraph with <a href=\"https://x.example/a?b=1&amp;c=2\" rel=\"nofollow ugc\">a link</a>.".into()
        ]
    );
    assert_eq!(
        reduce("<p>één</p><p>ΑΒΓ | a\\b</p>"),
        vec!["één".to_string(), "ΑΒΓ | a\\b".into()]
    );
}

#[test]
fn hostile_comment_text_is_inert() {
    for (input, kept) in [
        ("<script>alert(1)</script>hi", "hi"),
        ("hi<!--<script>alert(1)</script>-->", "hi"),
        ("</script><img src=x onerror=alert(1)>hi", "hi"),
        ("<a href=\"javascript:alert(1)\">hi</a>", "hi"),
        ("<a href=\" JaVaScRiPt:alert(1)\">hi</a>", "hi"),
        ("<a href=\"data:text/html,<script>\">hi</a>", "hi"),
        ("<a href=\"/relative\">hi</a>", "hi"),
        ("h\u{202E}i\u{2066}", "hi"),
        ("h\0i\r", "hi"),
        ("&lt;script&gt;hi", "&lt;script>hi"),
        (
            "<style>body{}</style><iframe src=https://x.example></iframe>hi",
            "hi",
        ),
        ("\"><svg onload=alert(1)>hi", "&quot;>hi"),
    ] {
        let out = reduce(input).join("\n");
        assert!(out.contains(kept), "{input:?} → {out:?}");
        for bad in [
            "<script",
            "<img",
            "<svg",
            "<iframe",
            "javascript",
            "onerror",
            "data:",
            "\u{202E}",
            "\0",
            "<style",
        ] {
            assert!(
                !out.to_ascii_lowercase().contains(bad),
                "{bad} in {out:?} from {input:?}"
            );
        }
    }
    // A link that wraps paragraphs is closed in each.
    let out = reduce("<a href=\"https://x.example/\">one<p>two</a>");
    assert_eq!(
        out[0].matches("<a ").count(),
        out[0].matches("</a>").count()
    );
}

#[test]
fn huge_and_deeply_nested_text_is_bounded() {
    let out = reduce(&"word ".repeat(100_000)).join("");
    assert!(
        out.chars().count() <= MAX_TEXT * 2 && out.ends_with('…'),
        "{}",
        out.len()
    );
    let nested = format!(
        "{}deep{}",
        "<blockquote><div>".repeat(50_000),
        "</div></blockquote>".repeat(50_000)
    );
    assert_eq!(reduce(&nested), vec!["deep".to_string()]);
}

#[test]
fn threads_nest_three_deep_and_deeper_replies_join_the_third_level() {
    // 1 ← 2 ← 3 ← 4 ← 5, and 6 at the top.
    let comments = vec![
        comment("1", "", "One", "a"),
        comment("2", "1", "Two", "b"),
        comment("3", "2", "Three", "c"),
        comment("4", "3", "Four", "d"),
        comment("5", "4", "Five", "e"),
        comment("6", "", "Six", "f"),
    ];
    let order: Vec<&Comment> = comments.iter().collect();
    assert_eq!(
        thread(&order),
        vec![None, Some(0), Some(1), Some(1), Some(1), None]
    );
    let doc = page(&section(&comments, "en"));
    let top = select(&doc, "ul.earlier-replies > li");
    assert_eq!(top.len(), 2);
    assert_eq!(
        select(&doc, "ul.earlier-replies > li > ul > li > ul > li").len(),
        3
    );
    assert!(
        select(&doc, "ul ul ul ul").is_empty(),
        "at most three levels"
    );
    assert_eq!(
        select(&doc, "h2")[0].text().collect::<String>(),
        "Earlier replies"
    );
    assert_eq!(
        select(&doc, "li#comment-4 bdi")[0]
            .text()
            .collect::<String>(),
        "Four"
    );
    let doc = page(&section(&comments, "nl"));
    assert_eq!(
        select(&doc, "h2")[0].text().collect::<String>(),
        "Eerdere reacties"
    );
}

#[test]
fn loops_missing_parents_and_duplicate_ids_do_not_hang_or_lose_comments() {
    let comments = vec![
        comment("1", "2", "A", "a"),
        comment("2", "1", "B", "b"),
        comment("3", "3", "C", "c"),
        comment("4", "99", "D", "d"),
        comment("4", "1", "E", "e"),
        comment("x\"><script>", "", "F", "f"),
    ];
    let doc = page(&section(&comments, "en"));
    assert_eq!(select(&doc, "li").len(), comments.len());
    assert_eq!(select(&doc, "[id=comment-4]").len(), 1, "ids stay unique");
    assert!(select(&doc, "script").is_empty());
}

#[test]
fn ten_thousand_comments_in_one_chain_or_flat_stay_linear_and_shallow() {
    for chain in [true, false] {
        let comments: Vec<Comment> = (1..=10_000)
            .map(|i| {
                let parent = if chain {
                    (i - 1).to_string()
                } else {
                    String::new()
                };
                comment(&i.to_string(), &parent, &format!("N{i}"), "text")
            })
            .collect();
        let doc = page(&section(&comments, "en"));
        assert_eq!(select(&doc, "li").len(), 10_000);
        assert!(select(&doc, "ul ul ul ul").is_empty());
    }
}

#[test]
fn the_section_shows_names_and_text_as_text_never_markdown() {
    let comments = vec![
        Comment {
            date: "2013-01-05T18:00:20Z".parse().ok(),
            ..comment(
                "7",
                "",
                "<b>*Mallory*</b> \u{202E}kcab",
                "*not emphasis* # not a heading\n\n| a | b |\n\n<!-- more -->",
            )
        },
        comment("8", "", "  ", "anonymous"),
    ];
    let md = section(&comments, "en");
    let body = md.split("\n\n").nth(2).unwrap();
    assert!(
        !body.lines().any(|l| l.trim().is_empty()),
        "one HTML block: {md}"
    );
    let doc = page(&md);
    let text: String = select(&doc, "li#comment-7")[0].text().collect();
    assert!(text.contains("<b>*Mallory*</b> kcab"), "{text}");
    assert!(
        text.contains("*not emphasis* # not a heading") && text.contains("| a | b |"),
        "{text}"
    );
    assert!(select(&doc, "em, h1, table, b").is_empty());
    assert_eq!(
        select(&doc, "time")[0].value().attr("datetime"),
        Some("2013-01-05T18:00:20Z")
    );
    assert!(
        select(&doc, "li")
            .iter()
            .any(|li| li.text().collect::<String>().contains("Anonymous"))
    );
    assert_eq!(section(&[], "en"), "");
}

#[test]
fn the_report_counts_every_state() {
    let mut counts = Counts::default();
    for s in [
        Status::Approved,
        Status::Approved,
        Status::Held,
        Status::Spam,
        Status::Trash,
        Status::Pingback,
    ] {
        counts.add(s);
    }
    let text = counts.describe().unwrap();
    assert!(text.contains("6 in the export (2 approved, 1 held for moderation, 1 spam, 1 in the trash, 1 pingbacks"), "{text}");
    assert!(
        text.contains("none published") && text.contains("--comments"),
        "{text}"
    );
    counts.published = 1;
    counts.posts = 1;
    let text = counts.describe().unwrap();
    assert!(
        text.contains("1 approved comments added under 1 posts")
            && text.contains("1 approved on items not imported"),
        "{text}"
    );
    assert_eq!(Counts::default().describe(), None);
    let ghost = count_ghost(&[
        serde_json::json!({"status": "published"}),
        serde_json::json!({"status": "hidden"}),
    ]);
    assert!(ghost.describe().unwrap().contains("not imported"));
}
