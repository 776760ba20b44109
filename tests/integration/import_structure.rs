//! The structure of imported posts (issue #22): tables become GFM tables with the same
//! cells in the same rows and columns, or stay HTML when Markdown cannot hold them; `<pre>`
//! blocks (code, preformatted, verse) keep every byte; line breaks stay; `<!--more-->`
//! ends the summary. The posts are WordPress's own test content (the Theme Unit Test data
//! and the block test data, in `tests/fixtures/real/wordpress/`) and hostile variants,
//! imported, built, and read back through parsers: pulldown-cmark with GFM tables on the
//! Markdown, scraper on the export's HTML and on the built pages.

use crate::common;

use std::path::{Path, PathBuf};

use common::import::*;
use common::*;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use scraper::{ElementRef, Html, Node, Selector};

/// A post of the export this test writes: its slug and HTML.
struct Post {
    slug: String,
    html: String,
}

/// The published posts and pages of a real WordPress export that hold a table, a `<pre>`
/// or a `<!--more-->`, with their content as WordPress exported it.
fn real_posts(file: &str, tag: &str) -> Vec<Post> {
    let path = repo().join("tests/fixtures/real/wordpress").join(file);
    let xml = std::fs::read_to_string(&path).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let child = |item: roxmltree::Node, ns: &str, name: &str| {
        item.children()
            .find(|c| {
                c.tag_name().name() == name && c.tag_name().namespace().unwrap_or("").contains(ns)
            })
            .and_then(|c| c.text())
            .unwrap_or_default()
            .to_string()
    };
    doc.descendants()
        .filter(|n| n.has_tag_name("item"))
        .filter(|item| {
            matches!(
                &*child(*item, "wordpress.org/export", "post_type"),
                "post" | "page"
            ) && child(*item, "wordpress.org/export", "status") == "publish"
        })
        .map(|item| Post {
            slug: format!("{tag}-{}", child(item, "wordpress.org/export", "post_id")),
            html: child(item, "purl.org/rss/1.0/modules/content", "encoded"),
        })
        .filter(|p| {
            ["<table", "<pre", "<!--more"]
                .iter()
                .any(|m| p.html.contains(m))
        })
        .collect()
}

/// A WordPress export (WXR) of `posts`, each a published post titled by its slug.
fn wxr(dir: &Path, posts: &[Post]) -> PathBuf {
    let items: String = posts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "<item><title>{slug}</title><link>https://old.example.org/{slug}/</link>\
                 <dc:creator><![CDATA[admin]]></dc:creator>\
                 <content:encoded><![CDATA[{}]]></content:encoded>\
                 <wp:post_id>{}</wp:post_id><wp:post_date><![CDATA[2024-05-01 10:00:00]]></wp:post_date>\
                 <wp:post_name><![CDATA[{slug}]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status>\
                 <wp:post_type><![CDATA[post]]></wp:post_type></item>\n",
                p.html.replace("]]>", "]]]]><![CDATA[>"),
                i + 1,
                slug = p.slug,
            )
        })
        .collect();
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<rss version=\"2.0\" \
         xmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:wp=\"http://wordpress.org/export/1.2/\">\
         <channel><title>Structure</title><link>https://old.example.org</link><wp:wxr_version>1.2</wp:wxr_version>\
         <wp:author><wp:author_login><![CDATA[admin]]></wp:author_login><wp:author_display_name><![CDATA[Admin]]></wp:author_display_name></wp:author>\
         {items}</channel></rss>"
    );
    let path = dir.join("structure.xml");
    std::fs::write(&path, xml).unwrap();
    path
}

/// Text with its white space collapsed.
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cells with kring's smart punctuation (a new site's default: `'` → `’`, `--` → `–`)
/// undone, on both sides: typography, not text, differs.
fn plain(table: Vec<Vec<String>>) -> Vec<Vec<String>> {
    let undo = |cell: &String| {
        cell.replace(['’', '‘'], "'")
            .replace(['“', '”'], "\"")
            .replace('…', "...")
            .replace('—', "---")
            .replace('–', "--")
    };
    table
        .iter()
        .map(|row| row.iter().map(undo).collect())
        .collect()
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

/// The tables of a document that are not inside another table.
fn outer_tables(doc: &Html) -> Vec<ElementRef<'_>> {
    doc.select(&sel("table"))
        .filter(|t| {
            !t.ancestors()
                .any(|a| a.value().as_element().is_some_and(|e| e.name() == "table"))
        })
        .collect()
}

/// A table's cells as a browser lays them out: the header group first and the footer
/// group last, a cell spanning n columns or rows followed by n-1 empty cells (as the
/// importer promises), `<br>` a space, white space collapsed, rows padded to one width.
fn cells(table: ElementRef) -> Vec<Vec<String>> {
    let mut rows: Vec<(u8, ElementRef)> = Vec::new();
    for child in table.children().filter_map(ElementRef::wrap) {
        let order = match child.value().name() {
            "thead" => 0,
            "tfoot" => 2,
            "tr" => {
                rows.push((1, child));
                continue;
            }
            _ => 1,
        };
        for tr in child.children().filter_map(ElementRef::wrap) {
            if tr.value().name() == "tr" {
                rows.push((order, tr));
            }
        }
    }
    rows.sort_by_key(|(order, _)| *order);
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut covered: Vec<usize> = Vec::new();
    let mut group = None;
    for (order, row) in rows {
        if group != Some(order) {
            covered.clear();
            group = Some(order);
        }
        let mut line = Vec::new();
        let mut found = row
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|c| matches!(c.value().name(), "td" | "th"));
        loop {
            let col = line.len();
            if let Some(n) = covered.get_mut(col).filter(|n| **n > 0) {
                *n -= 1;
                line.push(String::new());
                continue;
            }
            let Some(cell) = found.next() else { break };
            let span = |name: &str| {
                cell.value()
                    .attr(name)
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .unwrap_or(1)
                    .max(1)
            };
            for k in 0..span("colspan") {
                line.push(if k == 0 {
                    words(&text(cell))
                } else {
                    String::new()
                });
                let col = line.len() - 1;
                if covered.len() <= col {
                    covered.resize(col + 1, 0);
                }
                covered[col] = span("rowspan") - 1;
            }
        }
        for n in covered.iter_mut().skip(line.len()) {
            *n = n.saturating_sub(1);
        }
        out.push(line);
    }
    let width = out.iter().map(Vec::len).max().unwrap_or(0);
    for line in &mut out {
        line.resize(width, String::new());
    }
    out
}

/// An element's text as a browser shows it: `<br>` a line break.
fn text(el: ElementRef) -> String {
    let mut out = String::new();
    for node in el.descendants() {
        match node.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if e.name() == "br" => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// The GFM tables of a Markdown body, as pulldown-cmark (kring's parser) reads them.
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
                let text = words(&cell.take().unwrap());
                tables.last_mut().unwrap().last_mut().unwrap().push(text);
            }
            Event::Text(t) | Event::Code(t) => cell.iter_mut().for_each(|c| c.push_str(&t)),
            Event::InlineHtml(_) | Event::SoftBreak | Event::HardBreak => {
                cell.iter_mut().for_each(|c| c.push(' '))
            }
            _ => {}
        }
    }
    tables
}

/// The `<pre>` texts of a document (a block's final line break is the fence's).
fn pre_texts(doc: &Html) -> Vec<String> {
    doc.select(&sel("pre"))
        .map(|p| {
            let t = text(p);
            t.strip_suffix('\n').map(str::to_string).unwrap_or(t)
        })
        .filter(|t| !t.trim().is_empty())
        .collect()
}

/// The built page of the post `slug`.
fn page(site: &Path, slug: &str) -> Html {
    let path = site.join("public/articles").join(slug).join("index.html");
    let html = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Html::parse_document(&html)
}

/// The Markdown body of the post `slug`.
fn body(site: &Path, slug: &str) -> String {
    for rel in [
        format!("content/articles/{slug}.md"),
        format!("content/articles/{slug}/index.md"),
    ] {
        if site.join(&rel).exists() {
            return content(site, &rel).1;
        }
    }
    panic!("no content file for {slug}");
}

/// Imports `posts` into a new site, builds it and checks it.
fn import_and_build(tmp: &Path, posts: &[Post]) -> PathBuf {
    let export = wxr(tmp, posts);
    let site = tmp.join("site");
    import_ok(
        &[
            "wordpress",
            export.to_str().unwrap(),
            site.to_str().unwrap(),
        ],
        tmp,
    );
    let (ok, stdout, stderr) = run(&["build", site.to_str().unwrap()], tmp);
    assert!(ok, "build failed:\n{stdout}\n{stderr}");
    check_ok(&site, tmp);
    site
}

/// Every table of `post` is in its built page with the same cells, and each GFM table of
/// its Markdown is one of them, in order. Returns (GFM tables, tables kept as HTML).
fn tables_arrive(site: &Path, post: &Post) -> (usize, usize) {
    let export = Html::parse_fragment(&post.html);
    let expected: Vec<_> = outer_tables(&export).into_iter().map(cells).collect();
    let built = page(site, &post.slug);
    let shown: Vec<_> = outer_tables(&built)
        .into_iter()
        .map(cells)
        .map(plain)
        .collect();
    let typeset: Vec<_> = expected.iter().cloned().map(plain).collect();
    assert_eq!(shown, typeset, "{}: tables in the built page", post.slug);
    let md = body(site, &post.slug);
    let gfm = md_tables(&md);
    let mut rest = expected.iter();
    for table in &gfm {
        assert!(
            rest.any(|e| e == table),
            "{}: a GFM table that is not the export's, or out of order: {table:?}\n{md}",
            post.slug
        );
    }
    (gfm.len(), expected.len() - gfm.len())
}

/// Every `<pre>` of `post` is in its built page byte for byte.
fn pre_arrives(site: &Path, post: &Post) -> usize {
    let expected = pre_texts(&Html::parse_fragment(&post.html));
    let shown = pre_texts(&page(site, &post.slug));
    assert_eq!(shown, expected, "{}: <pre> in the built page", post.slug);
    expected.len()
}

/// The summary a page's meta description shows (the theme uses it without a description).
fn summary(site: &Path, slug: &str) -> String {
    let page = page(site, slug);
    let meta = page.select(&sel("meta[name=description]")).next();
    meta.and_then(|m| m.value().attr("content"))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn real_wordpress_tables_pre_blocks_and_more_tags_arrive() {
    let tmp = tempfile::tempdir().unwrap();
    let mut posts = real_posts("themeunittestdata.wordpress.xml", "unit");
    posts.extend(real_posts("64-block-test-data.xml", "blocks"));
    assert!(
        posts.len() >= 16,
        "{} posts with tables, pre or more",
        posts.len()
    );
    let site = import_and_build(tmp.path(), &posts);
    let (mut gfm, mut kept, mut pre, mut more) = (0, 0, 0, 0);
    for post in &posts {
        let (g, k) = tables_arrive(&site, post);
        gfm += g;
        kept += k;
        pre += pre_arrives(&site, post);
        if let Some((_, after)) = post.html.split_once("<!--more-->") {
            more += 1;
            let md = body(&site, &post.slug);
            assert_eq!(
                md.matches("\n<!-- more -->\n").count(),
                1,
                "{}:\n{md}",
                post.slug
            );
            // The summary ends at the marker: nothing after it is in it.
            let after = words(
                &Html::parse_fragment(after)
                    .root_element()
                    .text()
                    .collect::<String>(),
            );
            let first: String = after.split(' ').take(6).collect::<Vec<_>>().join(" ");
            let summary = summary(&site, &post.slug);
            assert!(
                !first.is_empty() && !summary.contains(&first),
                "{}: {summary}",
                post.slug
            );
        }
    }
    // What these two exports hold: 40 tables (all simple enough for Markdown), 82 `<pre>`
    // blocks with text, 5 more tags.
    assert_eq!((gfm, kept, pre, more), (40, 0, 82, 5));
    // The summary is what comes before the marker, two paragraphs here, not the first alone.
    let summary = summary(&site, "unit-996");
    assert!(
        summary.starts_with("This content is before the more tag. Right after this sentence"),
        "{summary}"
    );
}

/// Cell contents that mean something else in Markdown or HTML.
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
    "&amp;amp; &amp;#124;",
    "Ωμέγα 日本 🙂",
    "a\rb",
    "a\r\nb",
    "a\0b",
    "<code>a|b\\|c\\</code>",
    "<a href=\"https://x.example/?q=1|2\">link|text</a>",
    "<strong>bold</strong> <em>em</em>",
    "line<br>break",
    "<!--<script>-->after",
    "",
];

#[test]
fn hostile_tables_and_blocks_arrive_bounded() {
    let tmp = tempfile::tempdir().unwrap();
    let mut posts = Vec::new();
    // Each hostile cell in a header, a body `<th>` and a body cell, beside another.
    let rows: String = HOSTILE
        .iter()
        .zip(HOSTILE.iter().cycle().skip(1))
        .map(|(a, b)| format!("<tr><th>{a}</th><td>{b}</td><td>{a}</td></tr>"))
        .collect();
    posts.push(Post {
        slug: "hostile-cells".into(),
        html: format!(
            "<table><tr><td>{}</td><td>|</td><td>#</td></tr>{rows}</table>",
            HOSTILE[4]
        ),
    });
    // Every shape of table: header from <thead> or the first row, <tfoot> last, body
    // <th>, empty cells, spans, captions.
    posts.push(Post {
        slug: "table-shapes".into(),
        html: "<figure class=\"wp-block-table\"><table><tbody><tr><td>Employee</td><td>Salary</td></tr>\
               <tr><td><a href=\"https://x.example/john\">John</a></td><td>$1</td></tr></tbody></table>\
               <figcaption>Pay</figcaption></figure>\
               <table><caption>Hours</caption><tr><th>Day</th><th>Open</th></tr><tr><th>Monday</th><td>9–5</td></tr><tr><th></th></tr></table>\
               <table><thead><tr><th></th><th>B</th><th></th></tr></thead><tfoot><tr><td>foot</td><td></td><td>f</td></tr></tfoot>\
               <tbody><tr><td></td><td></td><td></td></tr><tr><td>1</td></tr></tbody></table>\
               <table><tr><th colspan=\"3\">Wide</th></tr><tr><td rowspan=\"2\">Tall</td><td>b</td><td>c</td></tr>\
               <tr><td colspan=\"2\">bc</td></tr><tr><td>a</td><td rowspan=\"9\">long</td><td>c</td></tr></table>"
            .into(),
    });
    let rows: String = (0..1000)
        .map(|i| format!("<tr><td>row {i} | é</td><td>{i}</td></tr>"))
        .collect();
    posts.push(Post {
        slug: "thousand-rows".into(),
        html: format!("<p>Big.</p><table>{rows}</table>"),
    });
    posts.push(Post {
        slug: "nested-tables".into(),
        html: format!(
            "<table><tr><td>outer</td></tr><tr><td>{}deepest{}</td></tr></table><p>After.</p>",
            "<table><tr><td>level".repeat(40),
            "</td></tr></table>".repeat(40)
        ),
    });
    let poem =
        "  (\\_/)\t&lt;/script&gt; &lt;!--&lt;script&gt; ```` &amp;amp;\r\n\r\n\r\n   (='.'=)  \n";
    posts.push(Post {
        slug: "hostile-pre".into(),
        html: format!(
            "<pre class=\"wp-block-verse\">{poem}</pre><pre class=\"wp-block-preformatted\">{}</pre>\
             <pre><code class=\"language-rust\">{poem}</code></pre><ul><li>In a list<pre>{poem}</pre></li></ul>",
            poem.replace("\r\n", "\n").replace('\n', "<br>")
        ),
    });
    posts.push(Post {
        slug: "breaks-and-more".into(),
        html: "<p>Short one.</p><p>Short two.</p>\n<!-- more -->\n\
               <ul><li><strong>Title</strong><br>Description</li></ul><p>After the marker.</p>\
               <!--more--><!--kg-card-begin: html--><p>End.</p>"
            .into(),
    });
    let site = import_and_build(tmp.path(), &posts);
    for (post, n) in posts.iter().zip([1, 4, 1]) {
        assert_eq!(tables_arrive(&site, post), (n, 0), "{}", post.slug);
    }
    let md = body(&site, "hostile-cells");
    let lines = md.lines().filter(|l| !l.is_empty());
    assert!(
        lines.clone().all(|l| l.starts_with('|')),
        "nothing but the table:\n{md}"
    );
    assert_eq!(lines.count(), HOSTILE.len() + 2);
    assert_eq!(
        body(&site, "thousand-rows")
            .lines()
            .filter(|l| l.starts_with('|'))
            .count(),
        1001
    );

    // The nested table stays HTML, on one line; the nesting past the limit is flattened.
    let md = body(&site, "nested-tables");
    let kept: Vec<&str> = md.lines().filter(|l| l.starts_with("<table>")).collect();
    assert_eq!(kept.len(), 1, "{md}");
    assert!(
        kept[0].contains("deepest") && kept[0].matches("<table>").count() < 40,
        "{md}"
    );
    let built = page(&site, "nested-tables");
    let outer = outer_tables(&built);
    assert_eq!(outer.len(), 1);
    assert_eq!(cells(outer[0])[0], ["outer"]);
    assert!(text(outer[0]).contains("deepest"));

    assert_eq!(pre_arrives(&site, &posts[4]), 4);
    let built = page(&site, "hostile-pre");
    let expected = "  (\\_/)\t</script> <!--<script> ```` &amp;\n\n\n   (='.'=)  ";
    assert!(
        pre_texts(&built).iter().all(|t| t == expected),
        "{:?}",
        pre_texts(&built)
    );
    assert!(body(&site, "hostile-pre").contains("`````rust\n"));

    let built = page(&site, "breaks-and-more");
    let item = built
        .select(&sel("li"))
        .find(|li| text(*li).contains("Title"))
        .unwrap();
    assert_eq!(words(&text(item)), "Title Description", "{}", item.html());
    assert_eq!(
        item.select(&sel("strong + br")).count(),
        1,
        "{}",
        item.html()
    );
    assert_eq!(summary(&site, "breaks-and-more"), "Short one. Short two.");
    let md = body(&site, "breaks-and-more");
    assert_eq!(md.matches("<!-- more -->").count(), 1, "{md}");
}
