use super::*;

fn t(text: &str) -> Inline {
    Inline::Text { text: text.into() }
}

fn link(href: &str, text: &str) -> Inline {
    Inline::Link {
        href: href.into(),
        text: text.into(),
    }
}

/// All text of the paragraphs, links included.
fn all_text(paragraphs: &[Paragraph]) -> String {
    paragraphs
        .iter()
        .flatten()
        .map(|i| match i {
            Inline::Text { text } | Inline::Link { text, .. } => text.as_str(),
        })
        .collect()
}

#[test]
fn paragraphs_keep_text_and_web_links_only() {
    let p = html(
        "<p>Hello <b>dear</b>\n  <a href=\"https://example.org/a?b=1\" onclick=\"x()\">friends</a>!</p>\
         <p><img src=x onerror=alert(1)><br>second   line</p><div></div>",
    );
    assert_eq!(
        p,
        vec![
            vec![
                t("Hello dear "),
                link("https://example.org/a?b=1", "friends"),
                t("!")
            ],
            vec![t("second line")],
        ]
    );
}

#[test]
fn links_that_are_not_web_addresses_become_their_text() {
    for href in [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "/relative/path",
        "../up",
        "//example.org/no-scheme",
        "mailto:a@example.org",
        "vbscript:x",
        "https://",
    ] {
        let p = html(&format!(
            "<p>see <a href=\"{}\">this</a> now</p>",
            href.replace('"', "&quot;")
        ));
        assert_eq!(p, vec![vec![t("see this now")]], "{href:?}");
    }
}

#[test]
fn scripts_styles_and_frames_go_with_their_content() {
    let p = html(
        "<p>a<script>alert('x')</script>b<style>p{}</style>c<iframe src=//evil>inside</iframe>d\
         <svg><script>1</script><text>svg</text></svg>e<noscript>no</noscript>f\
         <template><p>t</p></template>g<!--<script>alert(1)</script>-->h</p>",
    );
    assert_eq!(p, vec![vec![t("abcdefgh")]]);
    // `</script>` inside text is text, and stays text (the page escapes it).
    let p = html("<p>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>");
    assert_eq!(all_text(&p), "</script><script>alert(1)</script>");
}

#[test]
fn controls_and_bidi_overrides_are_removed() {
    let p = html("<p>a\u{202E}b\u{2066}c\u{2069}d\u{0}e\u{7}f\r\ng\u{200F}h\u{9c}i</p>");
    // html5ever drops NUL from text; other controls part words like whitespace.
    assert_eq!(all_text(&p), "abcde f gh i");
    assert_eq!(name("  Eve\u{202E}evil\u{0}\r\n  name  "), "Eveevil name");
    assert_eq!(name("\u{2067}\u{2069}"), "");
    assert_eq!(name("Zoë 🦀 Ünïcode"), "Zoë 🦀 Ünïcode");
}

#[test]
fn replies_and_names_are_bounded_at_a_character_boundary() {
    let huge = "ü".repeat(50_000);
    let p = html(&format!("<p>{huge}</p><p>more</p>"));
    let text = all_text(&p);
    assert_eq!(text.chars().count(), MOST_CHARS);
    assert!(text.ends_with('…'));
    let many = "word ".repeat(10_000);
    assert_eq!(all_text(&html(&many)).chars().count(), MOST_CHARS);
    // Exactly full, then more: still at most the bound, mark included.
    let exact = format!("{} more", "a".repeat(MOST_NAME_CHARS));
    assert_eq!(
        name(&exact),
        format!("{}…", "a".repeat(MOST_NAME_CHARS - 1))
    );
    let exact = format!("<p>{}</p><p>more</p>", "b".repeat(MOST_CHARS));
    assert_eq!(all_text(&html(&exact)).chars().count(), MOST_CHARS);
    let n = name(&"🦀".repeat(500));
    assert_eq!(n.chars().count(), MOST_NAME_CHARS);
    assert!(n.ends_with('…'));
}

#[test]
fn deeply_nested_markup_does_not_overflow_the_stack() {
    let deep = format!(
        "{}deep{}",
        "<div><span>".repeat(20_000),
        "</span></div>".repeat(20_000)
    );
    assert_eq!(all_text(&html(&deep)), "deep");
}

#[test]
fn mastodon_hides_parts_of_long_links() {
    let p = html(
        "<p>read <a href=\"https://example.org/very/long/path\" rel=\"nofollow\"><span class=\"invisible\">https://</span><span class=\"ellipsis\">example.org/very</span><span class=\"invisible\">/long/path</span></a></p>",
    );
    assert_eq!(
        p,
        vec![vec![
            t("read "),
            link("https://example.org/very/long/path", "example.org/very…")
        ]]
    );
}

#[test]
fn text_with_links_takes_whole_ranges_in_order() {
    let text = "héllo example.org\nbye";
    let start = text.find("example").unwrap();
    let end = start + "example.org".len();
    let p = text_with_links(
        text,
        &[
            (start, end, "https://example.org/".into()),
            // Overlapping, out of range, inside a character, not a web link: ignored.
            (start + 1, end, "https://evil.example/".into()),
            (0, 999, "https://evil.example/".into()),
            (1, 2, "https://evil.example/".into()),
            (end + 1, end + 4, "javascript:alert(1)".into()),
        ],
    );
    assert_eq!(
        p,
        vec![
            vec![t("héllo "), link("https://example.org/", "example.org")],
            vec![t("bye")],
        ]
    );
}
