//! Content blocks (`{{ name() }}` and `{% name() %}…{% end %}`): the built-ins rendered by
//! the theme in pages, their static form in feeds and email editions, FAQPage JSON-LD,
//! a site's own block, and bad calls as errors at their line.

use crate::common;

use common::*;
use scraper::{Html, Selector};

const NEWSLETTER: &str = "\n[newsletter]\nprovider = \"buttondown\"\naccount = \"hub\"\n";

const ARTICLE: &str = r#"+++
title = "Blocks everywhere"
date = 2026-03-01
newsletter = true
+++

The first paragraph, the summary.

Written by:

{{ member(id="ada") }}

{% faq() %}
Before the questions.

### Is it *free*?
Yes, always.

### Where do we meet?
- In Utrecht
- Online
{% end %}

{% callout(kind="warning") %}
Bring **your own** cup. {{ video(url="https://www.youtube.com/watch?v=dQw4w9WgXcQ", title="Our talk", start="1m30s") }}
{% end %}

{{ event(path="@/events/meetup.md") }}

{{ signup() }}

Written out: `{{ video(url="x") }}` and {{/* video(url="y") */}}.

```
{% faq() %} in code {% end %}
```
"#;

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn built_in_blocks_render_in_pages_feeds_and_email() {
    let (_tmp, site) = fixture("hub");
    let config = read(&site, "kring.toml");
    write(&site, "kring.toml", format!("{config}{NEWSLETTER}"));
    write(&site, "content/articles/blocks.md", ARTICLE);
    let out = build_ok(&site);
    let html = read(&out, "articles/blocks/index.html");
    let doc = Html::parse_document(&html);

    // FAQ: <details> with the question as <summary>, the intro kept.
    let questions: Vec<String> = select(&doc, "details.faq__item > summary")
        .iter()
        .map(|s| s.text().collect::<String>())
        .collect();
    assert_eq!(questions, ["Is it free?", "Where do we meet?"]);
    assert_eq!(select(&doc, ".faq__answer li").len(), 2);
    assert!(html.contains("Before the questions."));
    // …and FAQPage JSON-LD beside the article's.
    let ld: Vec<serde_json::Value> = select(&doc, "script[type='application/ld+json']")
        .iter()
        .map(|s| serde_json::from_str(&s.text().collect::<String>()).expect("JSON-LD parses"))
        .collect();
    let all: Vec<&serde_json::Value> = ld
        .iter()
        .flat_map(|v| v.as_array().map_or_else(|| vec![v], |a| a.iter().collect()))
        .collect();
    let faq = all
        .iter()
        .find(|v| v["@type"] == "FAQPage")
        .expect("FAQPage");
    assert_eq!(faq["mainEntity"][0]["name"], "Is it free?");
    assert_eq!(
        faq["mainEntity"][0]["acceptedAnswer"]["text"],
        "Yes, always."
    );
    assert_eq!(
        faq["mainEntity"][1]["acceptedAnswer"]["text"],
        "In Utrecht Online"
    );
    assert!(all.iter().any(|v| v["@type"] == "BlogPosting"));

    // Callout: an aside labelled by its kind, with the video inside it.
    let callout = select(&doc, "aside.callout.callout--warning");
    assert_eq!(callout.len(), 1);
    assert_eq!(callout[0].value().attr("aria-label"), Some("Warning"));
    let video = select(&doc, "aside.callout figure.video");
    assert_eq!(video.len(), 1);
    assert!(
        video[0]
            .value()
            .attr("data-embed")
            .unwrap()
            .contains("start=90")
    );
    assert!(
        !html.contains("<iframe"),
        "the video loads nothing until clicked"
    );

    // Cards: the member inline, the event as in its list, and the signup form.
    assert_eq!(
        select(
            &doc,
            ".block-card .member-card .card__title a[href$='/members/ada/']"
        )
        .len(),
        1
    );
    assert_eq!(
        select(
            &doc,
            ".block-card .event-card .card__title a[href$='/events/meetup/']"
        )
        .len(),
        1
    );
    assert_eq!(
        select(
            &doc,
            "section[id^='k-block-newsletter-'] form.signup-form[action*='buttondown']"
        )
        .len(),
        1
    );
    // Not in a <p>: blocks stand alone.
    assert!(select(&doc, "p .block-card, p aside, p details").is_empty());

    // Code and written-out calls stay as written.
    assert!(
        html.contains("<code>{{ video(url=\"x\") }}</code>"),
        "inline code"
    );
    assert!(
        html.contains("{{ video(url=“y”) }}"),
        "{{/* */}} writes the call (with smart quotes)"
    );
    assert!(html.contains("{% faq() %} in code {% end %}"), "code block");

    // Feeds: the static form (feed-rs parses the feed).
    let body = feed_entry_body(&out, "atom.xml", "Blocks everywhere");
    assert!(
        !body.contains("<details") && !body.contains("<summary") && !body.contains("<form"),
        "{body}"
    );
    assert!(
        body.contains("<strong>Is it <em>free</em>?</strong></p>"),
        "{body}"
    );
    assert!(
        body.contains("class=\"video\""),
        "the video stays a link: {body}"
    );

    // Email edition: no details, no form; the question as text.
    let email = read(&out, "articles/blocks/email.html");
    assert!(
        !email.contains("<details") && !email.contains("<form"),
        "{email}"
    );
    assert!(email.contains("Is it <em>free</em>?"));
}

/// A member's or an event's card inside an answer is part of that answer: its own heading
/// is not a question, in the page or in its FAQPage data.
#[test]
fn cards_inside_an_answer_add_no_question() {
    let (_tmp, site) = fixture("hub");
    write(
        &site,
        "content/articles/faq-cards.md",
        "+++\ntitle = \"FAQ with cards\"\ndate = 2026-03-02\n+++\n\n{% faq() %}\n### Who hosts?\nShe does:\n\n{{ member(id=\"ada\") }}\n\n### When is the next one?\n{{ event(path=\"@/events/meetup.md\") }}\n\n### <!--<script>--> Why ÅÉ?\nBecause.\n{% end %}\n",
    );
    let out = build_ok(&site);
    let doc = Html::parse_document(&read(&out, "articles/faq-cards/index.html"));
    let questions: Vec<String> = select(&doc, "details.faq__item > summary")
        .iter()
        .map(|s| s.text().collect::<String>().trim().to_string())
        .collect();
    assert_eq!(
        questions,
        ["Who hosts?", "When is the next one?", "Why ÅÉ?"]
    );
    // The cards are inside the answers.
    assert_eq!(select(&doc, "details.faq__item .member-card").len(), 1);
    assert_eq!(select(&doc, "details.faq__item .faq__answer h3").len(), 2);
    let faq: Vec<serde_json::Value> = select(&doc, "script[type='application/ld+json']")
        .iter()
        .map(|s| serde_json::from_str(&s.text().collect::<String>()).unwrap())
        .flat_map(|v: serde_json::Value| match v {
            serde_json::Value::Array(a) => a,
            v => vec![v],
        })
        .filter(|v| v["@type"] == "FAQPage")
        .collect();
    assert_eq!(faq.len(), 1);
    let names: Vec<&str> = faq[0]["mainEntity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Who hosts?", "When is the next one?", "Why ÅÉ?"]);
}

#[test]
fn a_site_adds_its_own_blocks_in_its_language() {
    let (_tmp, site) = fixture("hub");
    let config = read(&site, "kring.toml").replace("language = \"en\"", "language = \"nl\"");
    write(&site, "kring.toml", config);
    write(
        &site,
        "templates/shortcodes/quote.html",
        "<blockquote class=\"pull\" data-n=\"{{ block_number }}\">{{ body | safe }}<cite>{{ who }}</cite></blockquote>",
    );
    write(
        &site,
        "content/articles/own.md",
        "+++\ntitle = \"Own\"\ndate = 2026-03-02\n+++\n\n{% quote(who=\"Ada <3\") %}\nA *pull* quote {% callout(kind=\"note\") %}\nnested\n{% end %}\n{% end %}\n",
    );
    let out = build_ok(&site);
    let html = read(&out, "articles/own/index.html");
    assert!(
        html.contains("<cite>Ada &lt;3</cite>"),
        "arguments are escaped: {html}"
    );
    assert!(html.contains("A <em>pull</em> quote"));
    let doc = Html::parse_document(&html);
    assert_eq!(
        select(
            &doc,
            "blockquote.pull aside.callout--note[aria-label='Let op']"
        )
        .len(),
        1
    );
}

#[test]
fn bad_blocks_are_errors_at_their_line() {
    let cases = [
        ("{{ nope() }}", "unknown block `nope`"),
        (
            "{% callout(kind=\"loud\") %}\nx\n{% end %}",
            "kind must be \"note\", \"tip\" or \"warning\"",
        ),
        (
            "{{ video(url=\"https://example.org/v\") }}",
            "not a YouTube, Vimeo or PeerTube address",
        ),
        (
            "{{ video(url=\"https://youtu.be/dQw4w9WgXcQ\", start=\"soon\") }}",
            "is not a time",
        ),
        (
            "{{ event(path=\"@/events/nope.md\") }}",
            "there is no page @/events/nope.md",
        ),
        (
            "{{ event(path=\"@/articles/first.md\") }}",
            "is not an event",
        ),
        ("{{ member(id=\"nobody\") }}", "there is no member `nobody`"),
        ("{{ signup() }}", "no newsletter form"),
        ("{{ faq(x=1) }}", "takes no arguments"),
        ("{% faq() %}\nno questions\n{% end %}", "has no questions"),
        ("{% callout() %}\nno end", "is not ended"),
        ("{{ video(url=\"a\" }}", "not closed"),
    ];
    for (block, message) in cases {
        let (tmp, site) = fixture("hub");
        write(
            &site,
            "content/articles/bad.md",
            format!("+++\ntitle = \"Bad\"\ndate = 2026-03-01\n+++\n\nFirst line.\n\n{block}\n"),
        );
        let (ok, _, stderr) = run(&["build", site.to_str().unwrap()], tmp.path());
        assert!(!ok, "{block} built");
        assert!(
            stderr.contains("content/articles/bad.md:8"),
            "{block}: no file and line in\n{stderr}"
        );
        assert!(
            stderr.contains(message),
            "{block}: expected `{message}` in\n{stderr}"
        );
    }
}
