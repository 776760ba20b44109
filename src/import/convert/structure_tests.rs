//! Tables, `<pre>` blocks, line breaks and the summary marker, read back with
//! pulldown-cmark (with GFM tables, as kring renders) and compared with what scraper reads
//! in the HTML.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::*;
use crate::import::tree::normalize;

fn convert(html: &str) -> String {
    Converter::new().convert(&normalize(html))
}

/// Every GFM table in `md`: rows of cells, each cell's text with white space collapsed
/// (`<br>` a space).
fn md_tables(md: &str) -> Vec<Vec<Vec<String>>> {
    let mut tables = Vec::new();
    let mut cell: Option<String> = None;
    for event in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Table(_)) => tables.push(Vec::new()),
            Event::Start(Tag::TableHead | Tag::TableRow) => {
                tables.last_mut().unwrap().push(Vec::new())
            }
            Event::Start(Tag::TableCell) => cell = Some(String::new()),
            Event::End(TagEnd::TableCell) => {
                let text = cell.take().unwrap();
                let row = tables.last_mut().unwrap().last_mut().unwrap();
                row.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = cell.as_mut() {
                    c.push_str(&t);
                }
            }
            Event::InlineHtml(h) if &*h == "<br>" => {
                if let Some(c) = cell.as_mut() {
                    c.push(' ');
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(c) = cell.as_mut() {
                    c.push(' ');
                }
            }
            _ => {}
        }
    }
    tables
}

/// The cells of the tables in `html`, row by row as written (the tables here have no
/// spans, and their groups in order), `<br>` a space: what scraper reads.
fn html_cells(html: &str) -> Vec<Vec<String>> {
    let doc = scraper::Html::parse_fragment(html);
    let rows = scraper::Selector::parse("tr").unwrap();
    let cells = scraper::Selector::parse("td, th").unwrap();
    let text = |cell: scraper::ElementRef| {
        let text: String = cell
            .descendants()
            .map(|node| match node.value() {
                scraper::Node::Text(t) => t.to_string(),
                scraper::Node::Element(e) if e.name() == "br" => " ".into(),
                _ => String::new(),
            })
            .collect();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    doc.select(&rows)
        .map(|row| row.select(&cells).map(text).collect())
        .collect()
}

/// `html`'s one table converted: a GFM table with the same text in the same rows and
/// columns (body `<th>` cells bold, so their text is the same).
fn assert_same_table(html: &str) -> String {
    let md = convert(html);
    let tables = md_tables(&md);
    assert_eq!(tables.len(), 1, "one GFM table from {html}:\n{md}");
    assert_eq!(tables[0], html_cells(html), "{html}\n{md}");
    md
}

/// Cell contents that meant something else in Markdown, or in HTML.
const HOSTILE: &[&str] = &[
    "#",
    "+",
    "-",
    "- item",
    "&gt; quote",
    "1.",
    "1. first",
    "## Heading",
    "---",
    "===",
    "a | b",
    "|",
    "\\",
    "a\\",
    "\\|",
    "C:\\path\\",
    "`tick",
    "*star* _under_",
    "[x](y)",
    "&lt;!--&lt;script&gt;",
    "&lt;/script&gt;",
    "&amp;amp; &lt;b&gt;",
    "Ωμέγα 日本 🙂",
    "a\rb",
    "a\0b",
    "<code>a|b\\|c\\</code>",
    "<code>``x``</code>",
    "<a href=\"https://x.example/?a=1|2\">link|text</a>",
    "<strong>bold</strong> and <em>em</em>",
    "line<br>break",
    "<!--<script>-->after",
    "",
    " ",
];

#[test]
fn every_table_shape_becomes_a_gfm_table_with_the_same_cells() {
    let grid = |rows: &[&[&str]]| -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    };
    for (html, expected) in [
        // WordPress's table block: no <thead>, the first row is the header.
        (
            "<figure class=\"wp-block-table\"><table><tbody><tr><td>Employee</td><td>Salary</td></tr><tr><td><a href=\"http://example.org/john\">John Doe</a></td><td>$1</td></tr></tbody></table></figure>",
            grid(&[&["Employee", "Salary"], &["John Doe", "$1"]]),
        ),
        // Rows right in <table>, <th> down the first column, one row short.
        (
            "<table><tr><th>Day</th><th>Open</th></tr><tr><th>Monday</th><td>9–5</td></tr><tr><th></th></tr></table>",
            grid(&[&["Day", "Open"], &["Monday", "9–5"], &["", ""]]),
        ),
        // <thead> with empty header cells; <tfoot> before <tbody> in the source, last.
        (
            "<table><thead><tr><th></th><th>B</th><th></th></tr></thead><tfoot><tr><td>foot</td><td></td><td>f</td></tr></tfoot><tbody><tr><td></td><td></td><td></td></tr><tr><td>1</td></tr></tbody></table>",
            grid(&[
                &["", "B", ""],
                &["", "", ""],
                &["1", "", ""],
                &["foot", "", "f"],
            ]),
        ),
        // Spans: their text, then empty cells, so the columns stay in line.
        (
            "<table><tr><th colspan=\"3\">Wide</th></tr><tr><td rowspan=\"2\">Tall</td><td>b</td><td>c</td></tr><tr><td colspan=\"2\">bc</td></tr><tr><td>a</td><td rowspan=\"9\">long</td><td>c</td></tr></table>",
            grid(&[
                &["Wide", "", ""],
                &["Tall", "b", "c"],
                &["", "bc", ""],
                &["a", "long", "c"],
            ]),
        ),
    ] {
        let md = convert(html);
        assert_eq!(md_tables(&md), [expected], "{html}\n{md}");
        assert!(!md.contains("wp-block"), "{md}");
    }
    let md = assert_same_table(
        "<table><tr><th>Day</th><th>Open</th></tr><tr><th>Monday</th><td>9–5</td></tr></table>",
    );
    assert!(md.contains("| **Monday** | 9–5  |"), "{md}");
    let md = assert_same_table(
        "<table><caption>Hours <em>now</em></caption><tr><td>a</td></tr></table>",
    );
    assert!(md.ends_with("| a |\n| - |\n\n_Hours *now*_\n"), "{md}");
    let md = assert_same_table(
        "<figure class=\"wp-block-table\"><table><tr><td>a</td></tr></table><figcaption>Table caption</figcaption></figure>",
    );
    assert!(md.ends_with("\n\n_Table caption_\n"), "{md}");
}

#[test]
fn cells_keep_inline_formatting_and_tables_nest_in_lists_and_quotes() {
    let cell = "<a href=\"https://x.example/\">link</a> <strong>bold</strong> <code>c|d</code> <em>em</em><br><br>";
    let table = format!("<table><tr><th>Head<br></th></tr><tr><td>{cell}</td></tr></table>");
    for html in [
        table.clone(),
        format!("<ul><li>{table}</li></ul>"),
        format!("<ol><li><p>Item</p>{table}</li></ol>"),
        format!("<blockquote>{table}</blockquote>"),
    ] {
        let md = convert(&html);
        assert!(md.contains("| Head "), "{md}");
        assert!(!md.contains("<br>"), "breaks that end a cell go: {md}");
        let events: Vec<Event> = Parser::new_ext(&md, Options::ENABLE_TABLES).collect();
        let tables = md_tables(&md);
        assert_eq!(tables, [[["Head"], ["link bold c|d em"]]], "{html}\n{md}");
        for wanted in ["Link", "Strong", "Emphasis", "Code"] {
            assert!(
                events
                    .iter()
                    .any(|e| format!("{e:?}").starts_with(&format!("Start({wanted}"))
                        || (wanted == "Code" && matches!(e, Event::Code(c) if &**c == "c|d"))),
                "{wanted} in {md}"
            );
        }
    }
}

#[test]
fn hostile_cells_keep_their_text_and_start_no_block() {
    for (i, cell) in HOSTILE.iter().enumerate() {
        let other = HOSTILE[(i + 1) % HOSTILE.len()];
        for html in [
            format!(
                "<table><tr><td>{cell}</td><td>{other}</td></tr><tr><td>{other}</td><td>{cell}</td></tr></table>"
            ),
            format!(
                "<table><thead><tr><th>{cell}</th></tr></thead><tbody><tr><th>{cell}</th></tr><tr><td>{cell}</td></tr></tbody></table>"
            ),
        ] {
            let md = assert_same_table(&html);
            // Nothing but the table: no heading, list, quote or rule from a cell.
            let blocks = Parser::new_ext(&md, Options::ENABLE_TABLES)
                .filter(|e| matches!(e, Event::Start(t) if !matches!(t, Tag::Table(_) | Tag::TableHead | Tag::TableRow | Tag::TableCell | Tag::Strong | Tag::Emphasis | Tag::Link { .. })))
                .count();
            assert_eq!(blocks, 0, "{html}\n{md}");
        }
    }
}

#[test]
fn tables_markdown_cannot_hold_stay_html() {
    for (html, kept) in [
        (
            "<table><tr><td>a</td></tr><tr><td><table><tr><td>inner</td></tr></table></td></tr></table>",
            "<table><tbody><tr><td>a</td></tr><tr><td><table><tbody><tr><td>inner</td></tr></tbody></table></td></tr></tbody></table>",
        ),
        (
            "<table class=\"old\"><tr><th>List</th></tr><tr><td><ul><li>one</li><li><a href=\"https://x.example/\">two</a></li></ul></td></tr></table>",
            "<table><tbody><tr><th>List</th></tr><tr><td><ul><li>one</li><li><a href=\"https://x.example/\">two</a></li></ul></td></tr></tbody></table>",
        ),
        (
            "<table><tr><td><p>one</p><p>two &amp; &lt;b&gt;</p></td></tr></table>",
            "<table><tbody><tr><td><p>one</p><p>two &amp; &lt;b&gt;</p></td></tr></tbody></table>",
        ),
        (
            "<table><tr><td><pre>  a\n\n  (\\_/)</pre></td><td><h3>Head</h3></td></tr></table>",
            "<table><tbody><tr><td><pre>  a&#10;&#10;  (\\_/)</pre></td><td><h3>Head</h3></td></tr></tbody></table>",
        ),
        (
            "<table><tr><td><a href=\"@/articles/x.md\">internal</a></td></tr><tr><td><blockquote>q</blockquote></td></tr></table>",
            "<table><tbody><tr><td>internal</td></tr><tr><td><blockquote>q</blockquote></td></tr></tbody></table>",
        ),
    ] {
        let md = convert(html);
        assert_eq!(md, format!("{kept}\n"), "{html}");
        // One HTML block, passed through as it is.
        let events: Vec<Event> = Parser::new_ext(&md, Options::ENABLE_TABLES).collect();
        assert!(matches!(events[0], Event::Start(Tag::HtmlBlock)), "{md}");
        assert!(
            !events
                .iter()
                .any(|e| matches!(e, Event::Start(Tag::Table(_)) | Event::Text(_))),
            "{md}"
        );
    }
    // Too wide for a Markdown table.
    let wide = format!(
        "<table><tr><td colspan=\"1000\">x</td></tr><tr>{}</tr></table>",
        "<td>c</td>".repeat(70)
    );
    assert!(convert(&wide).starts_with("<table><tbody><tr><td colspan=\"1000\">x</td>"));
}

#[test]
fn huge_and_deeply_nested_tables_convert_in_bounded_time() {
    let rows: String = (0..1000)
        .map(|i| format!("<tr><td>r{i} | x</td><td>{i}</td></tr>"))
        .collect();
    let html = format!("<table>{rows}</table>");
    let md = assert_same_table(&html);
    assert_eq!(md.lines().count(), 1001, "header, delimiter, 999 rows");
    // A table in a table, 40 deep: the nesting past the limit loses its tags, the text
    // stays, and the outer table is kept as HTML.
    let deep = format!(
        "{}deepest{}",
        "<table><tr><td>cell".repeat(40),
        "</td></tr></table>".repeat(40)
    );
    let md = convert(&deep);
    assert!(md.contains("deepest") && md.starts_with("<table>"), "{md}");
    assert!(
        md.matches("<table>").count() <= crate::import::tree::MAX_DEPTH,
        "{md}"
    );
    assert_eq!(md.trim_end().lines().count(), 1, "one HTML block: {md}");
    // Breaks, references and markers by the ten thousand, in a paragraph and a cell.
    let many = "a<br>&amp;amp;<br>-<br>".repeat(10_000);
    let md = convert(&format!(
        "<p>{many}</p><table><tr><td>{many}</td></tr></table>"
    ));
    assert_eq!(md.matches("\\&amp;").count(), 20_000);
    assert_eq!(md.matches("<br>").count(), 30_000 - 1);
    // Unclosed cells, 5,000 of them, in one row.
    let wide = format!("<table><tr>{}</table>", "<td>x".repeat(5000));
    assert!(convert(&wide).contains("x"));
}

/// The text of every `<pre>` in the HTML kring renders from `md`, as scraper reads it.
fn rendered_pre(md: &str) -> Vec<String> {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(md, Options::ENABLE_TABLES));
    let doc = scraper::Html::parse_fragment(&html);
    let pre = scraper::Selector::parse("pre").unwrap();
    doc.select(&pre).map(|p| p.text().collect()).collect()
}

#[test]
fn preformatted_text_survives_byte_for_byte() {
    let poem = "The Road Not Taken<br><br>Two roads diverged in a yellow wood,<br>And sorry I could not travel both          (\\_/)  <br>And be one traveler, long I stood         (='.'=)  <br>And looked down one as far as I could     (\")_(\")  <br>Had worn them really about the same,         `&gt;&gt;x&lt;&lt;´  <br>                                             /  O  \\  <br>\tTab, &amp;amp; ``` and ````<br><br><br><br>end<br>";
    let expected = poem
        .replace("<br>", "\n")
        .replace("&gt;", ">")
        .replace("&lt;", "<")
        .replace("&amp;", "&");
    let expected = expected.strip_suffix('\n').unwrap();
    for (html, language) in [
        (
            format!("<pre class=\"wp-block-preformatted\">{poem}</pre>"),
            "",
        ),
        (format!("<pre class=\"wp-block-verse\">{poem}</pre>"), ""),
        (format!("<pre>\n{}</pre>", poem.replace("<br>", "\n")), ""),
        (
            format!("<pre class=\"wp-block-code\"><code>{poem}</code></pre>"),
            "",
        ),
        (
            format!("<pre><code class=\"language-rust\">{poem}</code></pre>"),
            "rust",
        ),
        (
            format!("<pre class=\"brush: php; gutter: false\">{poem}</pre>"),
            "php",
        ),
        (format!("<ul><li>Item<pre>{poem}</pre></li></ul>"), ""),
        (
            format!(
                "<ol><li><p>One</p><blockquote><pre><code class=\"lang-sh\">{poem}</code></pre></blockquote></li></ol>"
            ),
            "sh",
        ),
        (
            format!("<blockquote><pre><strong>{poem}</strong></pre></blockquote>"),
            "",
        ),
    ] {
        let md = convert(&html);
        assert_eq!(rendered_pre(&md), [format!("{expected}\n")], "{html}\n{md}");
        let fence = format!("````{language}\n");
        assert!(md.contains(&fence), "`{fence}` in {md}");
    }
    // Entities decoded once; what looks like markup stays text.
    let md = convert("<pre>&amp;lt;b&amp;gt; &lt;!--&lt;script&gt; &lt;/script&gt; \\*</pre>");
    assert_eq!(
        rendered_pre(&md),
        ["&lt;b&gt; <!--<script> </script> \\*\n"],
        "{md}"
    );
    assert_eq!(
        convert("<pre> \n </pre><p>x</p>"),
        "x\n",
        "an empty block goes"
    );
}

#[test]
fn line_breaks_survive_in_items_quotes_paragraphs_and_cells() {
    assert_eq!(
        convert("<p><a href=\"https://x.example/\">a<br>b</a></p>"),
        "[a\\\nb](https://x.example/)\n"
    );
    let md = convert(
        "<ul><li><strong>Title</strong><br>Description</li><li>a<br></li><li><br>b</li></ul>\
         <blockquote><p>One<br>two</p></blockquote><p><em>Mark<br></em>up<br></p>\
         <h2>Head<br>line</h2><table><tr><td>x<br>y</td></tr></table>",
    );
    assert_eq!(
        md,
        "- **Title**\\\n  Description\n- a\n-\n  b\n\n> One\\\n> two\n\n*Mark*\\\nup\n\n## Head line\n\n| x<br>y |\n| ------ |\n",
    );
    // A break after a number, a dash or a `>` is a break too.
    for (html, md) in [
        ("<p>1999<br>was a year</p>", "1999\\\nwas a year\n"),
        ("<p>-<br>&gt;<br>x</p>", "\\-\\\n\\>\\\nx\n"),
        (
            "<p>a<br>#<br>+ <br>12.<br>b</p>",
            "a\\\n\\#\\\n\\+\\\n12\\.\\\nb\n",
        ),
    ] {
        assert_eq!(convert(html), md);
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(&md, Options::ENABLE_TABLES));
    for part in [
        "<li><strong>Title</strong><br />\nDescription</li>",
        "<li>a</li>",
        "<p>One<br />\ntwo</p>",
        "<em>Mark</em><br />\nup</p>",
        "<th>x<br>y</th>",
    ] {
        assert!(html.contains(part), "{part} in {html}");
    }
    assert!(!html.contains('\\'), "{html}");
    // A break that ends a paragraph in a quote or an item leaves no backslash.
    for html in [
        "<blockquote><p>a<br></p><p>b<br><br></p></blockquote>",
        "<ul><li><p>a<br></p><p>b</p></li><li>c<br><ul><li>d<br></li></ul></li></ul>",
        "<ol><li>a<br></li><li>b<br>\n</li></ol><p>c<br> </p>",
        "<ul><li><br>a</li><li><br><br>b</li></ul><blockquote><br>q</blockquote>",
    ] {
        let md = convert(html);
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, Parser::new(&md));
        assert!(
            !out.contains('\\') && !md.contains('\\'),
            "{html}\n{md}\n{out}"
        );
    }
}

#[test]
fn references_written_as_text_stay_text() {
    let md = convert(
        "<p>Write &amp;amp; or &amp;#38; for &amp;, &amp;nbsp; too; Tom &amp; Jerry; <code>&amp;amp;</code></p>",
    );
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new(&md));
    let doc = scraper::Html::parse_fragment(&html);
    let text: String = doc.root_element().text().collect();
    assert_eq!(
        text.trim(),
        "Write &amp; or &#38; for &, &nbsp; too; Tom & Jerry; &amp;",
        "{md}"
    );
}

#[test]
fn text_that_is_only_a_marker_stays_text() {
    for marker in ["#", "###", "-", "+", "*", "1.", "2)", "=", "~"] {
        for html in [
            format!("<p>{marker}</p>"),
            format!("<ul><li>{marker}</li></ul>"),
            format!(
                "<table><tr><td>{marker}</td></tr><tr><td><ul><li>x</li></ul>{marker}</td></tr></table>"
            ),
        ] {
            let md = convert(&html);
            let mut out = String::new();
            pulldown_cmark::html::push_html(&mut out, Parser::new_ext(&md, Options::ENABLE_TABLES));
            let doc = scraper::Html::parse_fragment(&out);
            let text: String = doc.root_element().text().collect();
            assert!(
                text.contains(marker) && !text.contains('\\'),
                "{html}\n{md}\n{out}"
            );
            for block in ["<h", "<li></li>", "<ol", "<hr"] {
                assert!(!out.contains(block), "{html}\n{md}\n{out}");
            }
        }
    }
}

#[test]
fn the_more_comment_becomes_the_summary_marker_once() {
    for html in [
        "<p>Intro</p>\n<!--more-->\n<p>Rest</p>",
        "<p>Intro</p><!-- more --><p>Rest</p><!--more--><p>x</p>",
        "<p>Intro<!--more Read on &raquo;--></p><p>Rest</p>",
        "<div><p>Intro</p><!--more--></div><p>Rest</p>",
    ] {
        let md = convert(html);
        assert_eq!(md.matches("<!-- more -->").count(), 1, "{html}\n{md}");
        let (before, after) = md.split_once("\n\n<!-- more -->\n\n").expect(&md);
        assert_eq!(
            (before, after.lines().next()),
            ("Intro", Some("Rest")),
            "{md}"
        );
    }
    for html in [
        "<p>Intro</p><!--kg-card-begin: html--><p>Card</p><!--kg-card-end: html-->",
        "<p>a<!--moreover--></p><!-- wp:more --><!--noteaser-->",
        "<ul><li>a<!--more--></li></ul><blockquote><!--more--></blockquote><p><em>a<!--more-->b</em></p>",
        "<pre>&lt;!--more--&gt;</pre>",
    ] {
        let md = convert(html);
        assert!(!md.contains("<!-- more -->"), "{html}\n{md}");
    }
}
