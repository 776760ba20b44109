//! Tests of the Markdown renderer.
use super::*;

struct Files;
impl LinkResolver for Files {
    fn permalink(&self, path: &str) -> Option<String> {
        (path == "articles/x.md").then(|| "https://s.org/articles/x/".to_string())
    }
}

fn md(body: &str) -> (Rendered, Vec<BrokenLink>) {
    let opts = MarkdownOptions {
        smart_punctuation: true,
        page_permalink: "https://s.org/articles/here/",
        base_url: "https://s.org/",
        image_size: Some(&|url: &str| match url {
            "broken.jpg" => Err("not a JPEG".into()),
            "sized.jpg" => Ok(Some(ShownPhoto {
                rel: "articles/here/sized.jpg".into(),
                upright: (80, 60),
                width: 40,
                height: 30,
                webp_srcset: "https://s.org/articles/here/sized.w40.webp 40w".into(),
                sizes: "100vw",
            })),
            _ => Ok(None),
        }),
    };
    render(body, &opts, &Files)
}

#[test]
fn headings_get_unique_ids_anchors_and_a_toc() {
    let (r, _) = md("## Hello *world*\n\n## Hello world\n\n### Own {#mine}\n");
    assert!(r.html.contains("<h2 id=\"hello-world\">Hello <em>world</em><a class=\"heading-anchor\" href=\"#hello-world\""), "{}", r.html);
    assert!(r.html.contains("id=\"hello-world-1\""));
    assert!(r.html.contains("<h3 id=\"mine\">"));
    let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["hello-world", "hello-world-1", "mine"]);
    assert_eq!(r.toc[0].title, "Hello world");
}

#[test]
fn summary_is_more_marker_or_first_paragraph() {
    let (r, _) = md("One.\n\nTwo.\n\n<!-- more -->\n\nThree.");
    assert_eq!(r.summary.as_deref(), Some("<p>One.</p>\n<p>Two.</p>\n"));
    let (r, _) = md("## Title\n\nFirst *para*.\n\nSecond.");
    assert_eq!(r.summary.as_deref(), Some("<p>First <em>para</em>.</p>\n"));
    assert!(!r.html.contains("more"));
}

#[test]
fn internal_links_resolve_or_are_reported_with_offset() {
    let (r, broken) = md("See [x](@/articles/x.md#part) and\n[y](@/articles/nope.md).");
    assert!(r.html.contains("href=\"https://s.org/articles/x/#part\""));
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].target, "@/articles/nope.md");
    assert_eq!(
        &"See [x](@/articles/x.md#part) and\n[y](@/articles/nope.md)."[broken[0].offset..][..3],
        "[y]"
    );
    assert_eq!(r.links[0].anchor.as_deref(), Some("part"));
}

#[test]
fn relative_urls_become_absolute() {
    let (r, _) = md(
        "![a](photo.jpg) [b](/about/) [c](../other/) [d](https://x.org/) [e](#top) [f](mailto:a@b.c)",
    );
    assert!(
        r.html
            .contains("src=\"https://s.org/articles/here/photo.jpg\"")
    );
    assert!(r.html.contains("href=\"https://s.org/about/\""));
    assert!(r.html.contains("href=\"https://s.org/articles/other/\""));
    assert!(r.html.contains("href=\"https://x.org/\""));
    assert!(r.html.contains("href=\"#top\""));
    assert!(r.html.contains("href=\"mailto:a@b.c\""));
}

#[test]
fn task_list_boxes_are_labelled_by_their_task() {
    let (r, _) = md("- [ ] write *one* sentence\n- [x] invite ten people\n  - nested\n");
    assert!(r.html.contains("<li><label class=\"task\"><input type=\"checkbox\" disabled> write <em>one</em> sentence</label></li>"), "{}", r.html);
    assert!(
        r.html
            .contains("<input type=\"checkbox\" disabled checked> invite ten people</label>\n<ul>"),
        "{}",
        r.html
    );
    let (loose, _) = md("- [ ] first\n\n- [ ] second\n");
    assert!(
        loose.html.contains(
            "<p><label class=\"task\"><input type=\"checkbox\" disabled> first</label></p>"
        ),
        "{}",
        loose.html
    );
}

#[test]
fn counts_words() {
    let (r, _) = md("One two three.\n\n- four\n- five `six`");
    assert_eq!(r.word_count, 6);
}

#[test]
fn images_get_their_size_alt_text_and_lazy_loading_below_the_first() {
    let (r, _) = md(
        "![A *cat* `on` a mat](sized.jpg \"The cat\")\n\n![a < b & c](other.png)\n\n![](sized.jpg)\n",
    );
    let html = &r.html;
    assert!(
        html.contains(r#"<picture><source type="image/webp" srcset="https://s.org/articles/here/sized.w40.webp 40w" sizes="100vw"><img src="https://s.org/articles/here/sized.jpg" alt="A cat on a mat" title="The cat" width="40" height="30" decoding="async"></picture>"#),
        "{html}"
    );
    // The alt text is escaped; no size is known for other.png.
    assert!(
        html.contains(r#"<img src="https://s.org/articles/here/other.png" alt="a &lt; b &amp; c" loading="lazy" decoding="async">"#),
        "{html}"
    );
    // The third has no alt text: where it is written is reported.
    assert_eq!(r.images_without_alt.len(), 1);
    let at = r.images_without_alt[0];
    assert!(
        "![A *cat* `on` a mat](sized.jpg \"The cat\")\n\n![a < b & c](other.png)\n\n![](sized.jpg)\n"[at..].starts_with("![]"),
        "offset {at}"
    );
    assert_eq!(html.matches("<img").count(), 3);
    assert!(r.unreadable_images.is_empty());
    assert_eq!(r.photos.len(), 2);
    let (r, _) = md("Text.\n\n![A photo](broken.jpg)\n");
    assert_eq!(
        r.unreadable_images,
        vec![(7, "broken.jpg: not a JPEG".to_string())]
    );
}

#[test]
fn video_addresses_alone_on_a_line_become_figures_that_load_nothing() {
    let body = "Intro.\n\nhttps://youtu.be/dQw4w9WgXcQ\n\n<https://vimeo.com/76979871>\n\n```video\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\ntitle: Meetup <b> & \"more\"\nstart: 1:30\n```\n\nSee https://youtu.be/dQw4w9WgXcQ in a sentence.\n\n```\nhttps://youtu.be/dQw4w9WgXcQ\n```\n\n[a link](https://youtu.be/dQw4w9WgXcQ)\n";
    let (r, _) = md(body);
    let html = &r.html;
    assert_eq!(html.matches("<figure class=\"video\"").count(), 3, "{html}");
    assert!(
        !html.contains("<iframe") && !html.contains("<script"),
        "{html}"
    );
    assert!(
        html.contains(
            "data-embed=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1\""
        )
    );
    assert!(
        html.contains(
            "data-embed=\"https://player.vimeo.com/video/76979871?autoplay=1&amp;dnt=1\""
        )
    );
    assert!(html.contains("?autoplay=1&amp;start=90"), "{html}");
    assert!(
        html.contains("Meetup &lt;b> &amp; &quot;more&quot;"),
        "{html}"
    );
    // In a sentence, in a plain code block, or as a link with words: left alone.
    assert!(html.contains("See https://youtu.be/dQw4w9WgXcQ in a sentence."));
    assert!(html.contains("<pre><code>https://youtu.be/dQw4w9WgXcQ"));
    assert!(html.contains("<a href=\"https://youtu.be/dQw4w9WgXcQ\">a link</a>"));
}

#[test]
fn blocks_leave_placeholders_and_offsets_stay_true() {
    let body = "Intro {{ video(url=\"https://youtu.be/dQw4w9WgXcQ\") }}.\n\n\
                {% faq() %}\n### Why?\nBecause [x](@/articles/gone.md).\n\n### `{{ code }}`?\nYes.\n{% end %}\n\n\
                After [y](@/articles/missing.md) ![](sized.jpg)\n";
    let (r, broken) = md(body);
    let names: Vec<&str> = r.blocks.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["video", "faq"]);
    assert!(
        r.html
            .contains("Intro <kring-block data-n=\"0\"></kring-block>."),
        "{}",
        r.html
    );
    assert!(
        r.html
            .contains("<p><kring-block data-n=\"1\"></kring-block></p>"),
        "{}",
        r.html
    );
    let faq = r.blocks[1].body_html.as_deref().unwrap();
    assert!(
        faq.contains("<h3") && faq.contains("Why?") && faq.contains("<code>{{ code }}</code>"),
        "{faq}"
    );
    // Broken links inside and after blocks point at their place in the original body.
    let at: Vec<usize> = broken.iter().map(|b| b.offset).collect();
    let mut wanted = vec![body.find("[x]").unwrap(), body.find("[y]").unwrap()];
    wanted.sort();
    let mut at_sorted = at.clone();
    at_sorted.sort();
    assert_eq!(at_sorted, wanted);
    assert_eq!(r.images_without_alt, vec![body.find("![](sized").unwrap()]);
    assert_eq!(r.blocks[1].offset, body.find("{% faq").unwrap());
}

#[test]
fn a_bad_block_is_an_error_at_its_offset() {
    let body = "Text\n\n{% callout() %}\nno end\n";
    let (r, _) = md(body);
    assert_eq!(r.block_errors.len(), 1);
    assert_eq!(r.block_errors[0].0, body.find("{%").unwrap());
}

/// The steps [`render`] takes for a body made by `body(n)`, per unit of `n`, at 1,000 and
/// at 8,000: a loop that grows with the square of the body multiplies the second by eight.
fn steps_per_unit(body: impl Fn(usize) -> String) -> (u64, u64) {
    let mut per = [0; 2];
    for (i, n) in [1_000, 8_000].into_iter().enumerate() {
        let text = body(n);
        crate::text::work::take();
        let (r, _) = md(&text);
        per[i] = crate::text::work::take() / n as u64;
        assert!(r.too_deep_at.is_none() || n > 0);
    }
    (per[0], per[1])
}

/// A body of `n` units.
type Body = fn(usize) -> String;

#[test]
fn finding_blocks_takes_work_in_proportion_to_the_body() {
    let bodies: [(&str, Body); 5] = [
        ("many callouts with links and code", |n| {
            (0..n)
                .map(|i| format!("{{% callout(kind=\"tip\") %}}\nTip {i} `{{x}}` [a](@/articles/gone.md) é\n{{% end %}}\n\nAfter `{{x}}` [b](@/articles/gone.md) ![](sized.jpg)\n\n"))
                .collect()
        }),
        ("inline blocks and braces in one paragraph", |n| {
            "{{ video(url=\"https://youtu.be/dQw4w9WgXcQ\") }} { `{%` } ".repeat(n)
        }),
        ("written-out calls left unclosed", |n| {
            "{{/* video() ".repeat(n)
        }),
        ("blocks nested in blocks", |n| {
            "{% callout() %}\n{% callout() %}\n<!--<script>-->\r\n{% end %}\n{% end %}\n".repeat(n)
        }),
        ("many code spans", |n| "`{{ a() }}` {x} ".repeat(n)),
    ];
    for (what, body) in bodies {
        let (small, large) = steps_per_unit(body);
        assert!(
            large <= small * 2 + 10,
            "{what}: {small} steps per unit at 1,000, {large} at 8,000"
        );
    }
}

#[test]
fn raw_html_counts_towards_the_nesting_limit() {
    let deep = |html: &str| md(html).0.too_deep_at;
    // Nested elements, lists and quotes of raw HTML, alone or inside Markdown's own.
    for html in [
        "<div>".repeat(100_000),
        format!("{}x{}", "<div>".repeat(100_000), "</div>".repeat(100_000)),
        format!("a {}x{} b", "<i>".repeat(65), "</i>".repeat(65)),
        "<ul><li>".repeat(65),
        "<blockquote>\n".repeat(65),
        format!("{}{}", "> ".repeat(30), "<div>".repeat(40)),
        "<b>".repeat(65),
        "<div/>".repeat(65),
        "Text <span>unclosed\n\n".repeat(65),
        // Elements left open in blocks' bodies add up.
        "{% callout() %}\n<div>\n{% end %}\n\n".repeat(65),
        format!(
            "{{% callout() %}}\n{}\n{{% end %}}\n",
            "<section>".repeat(65)
        ),
    ] {
        assert!(deep(&html).is_some(), "{}", &html[..html.len().min(80)]);
    }
    // Where the limit is passed: the 65th element.
    let html = format!("Intro\n\n{}<div>x", "<div>\n".repeat(64));
    assert_eq!(deep(&html), Some(html.rfind("<div>").unwrap()));
    // What does not nest: ends HTML lets writers leave out, void elements, comments,
    // scripts, closed elements, and text that only looks like tags.
    for html in [
        "<p>Paragraph ".repeat(1000),
        "<ul>".to_string() + &"<li>Item ".repeat(1000),
        "<div><img src=x><br>é ✓</div>\n\n".repeat(1000),
        "<!-- <div><div> -->\n\n".repeat(100),
        "<script>'<div>'</script>\n\n".repeat(100),
        format!("{}x{}", "<div>".repeat(60), "</div>".repeat(60)),
        "a < b and 1<2 and `<div>`\n\n".repeat(100),
        "<svg><path d=\"M0 0\"/><circle r=\"1\"/></svg>\n\n".repeat(100),
    ] {
        assert_eq!(deep(&html), None, "{}", &html[..80.min(html.len())]);
    }
}
