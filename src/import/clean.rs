//! Cleaning imported HTML, the part every platform shares: what would run code or load
//! another host goes (scripts, forms, buttons, styles, iframes), embeds of YouTube and Vimeo
//! become kring's click-to-load video (the address alone on a line), other embeds a link.
//! At the end, links and images are pointed at their new places.
//!
//! The body is first parsed as HTML5 (see `tree`: where elements end, nesting bounded),
//! then rewritten by lol_html, which never builds a tree.

use std::cell::{Cell, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use lol_html::html_content::ContentType;
use lol_html::{ElementContentHandlers, RewriteStrSettings, Selector, element, rewrite_str, text};
use url::Url;

use super::tally::{Removal, Tally};

pub use crate::content::video::watch_address as video_address;

/// The element kring's Markdown conversion writes out as it is: `data-text` alone in its
/// own paragraph (a video address must not get Markdown escapes).
pub const RAW: &str = "kring-raw";

/// One lol_html handler, as the platform modules build their lists.
pub type Handler<'h> = (std::borrow::Cow<'h, Selector>, ElementContentHandlers<'h>);

/// Runs `handlers` over `html`; on a rewriting error (which lol_html reports only for
/// broken encodings or memory limits) the input is kept.
pub fn rewrite<'h>(html: &str, handlers: Vec<Handler<'h>>) -> String {
    let settings = handlers
        .into_iter()
        .fold(RewriteStrSettings::new(), |settings, handler| {
            settings.append_element_content_handler(handler)
        });
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

/// What every platform's body goes through after its own rules; `tally` counts the embeds
/// turned into videos or links and names what is removed.
pub fn common(html: &str, tally: &Tally) -> String {
    // Every end tag explicit and nesting bounded, as the HTML5 parser sees the body.
    let html = super::tree::normalize(html);
    // The first source of the audio or video being read (the others are other formats).
    let sourced = Cell::new(false);
    rewrite(
        &html,
        vec![
            element!("style, noscript, template, link, meta", |el| {
                // Not content: a theme's styles, fallbacks that repeat what is there.
                tally.drop(el, None, "");
                Ok(())
            }),
            element!("script", |el| {
                let src = el.get_attribute("src").unwrap_or_default();
                tally.drop(el, Some(Removal::Script), &html_text(&src));
                Ok(())
            }),
            element!("form", |el| {
                let detail = el.get_attribute("action").unwrap_or_default();
                tally.drop(el, Some(Removal::Form), &html_text(&detail));
                Ok(())
            }),
            element!("input, button, select, textarea", |el| {
                // Controls outside a form are a player's or a theme's (a form is named).
                tally.drop(el, None, "");
                Ok(())
            }),
            element!("svg, object, canvas, applet", |el| {
                let detail = el.get_attribute("data").unwrap_or_default();
                tally.drop(el, Some(Removal::Drawing), &html_text(&detail));
                Ok(())
            }),
            element!("a[href*='#/portal'], [data-portal]", |el| {
                let href = html_text(&el.get_attribute("href").unwrap_or_default());
                let class = el.get_attribute("class").unwrap_or_default();
                if !tally.quiet() {
                    tally.removed(Removal::Portal, &href);
                }
                // A button goes; a link in a sentence leaves its words.
                if el.tag_name() == "a" && !class.contains("btn") && !class.contains("button") {
                    el.remove_and_keep_content();
                } else {
                    tally.drop(el, None, "");
                }
                Ok(())
            }),
            element!("audio, video", |el| {
                sourced.set(false);
                let src = el
                    .get_attribute("src")
                    .or_else(|| el.get_attribute("data-src"))
                    .map(|s| html_text(&s));
                let Some(src) = src else {
                    // The address is in a `<source>` inside; what else is inside is a
                    // browser's fallback text.
                    el.remove_and_keep_content();
                    return Ok(());
                };
                let html = media(el.tag_name() == "audio", &src, tally);
                tally.replace(el, &html);
                Ok(())
            }),
            element!("audio source, video source", |el| {
                let src = html_text(&el.get_attribute("src").unwrap_or_default());
                if tally.quiet() || sourced.replace(true) || src.is_empty() {
                    el.remove();
                } else {
                    let audio = el
                        .get_attribute("type")
                        .is_some_and(|t| t.starts_with("audio"))
                        || is_audio_file(&src);
                    el.replace(&media(audio, &src, tally), ContentType::Html);
                }
                Ok(())
            }),
            text!("audio, video", |t| {
                t.remove();
                Ok(())
            }),
            element!("iframe, embed, frame", |el| {
                let src = el
                    .get_attribute("src")
                    .or_else(|| el.get_attribute("data-src"))
                    .map(|s| html_text(&s));
                let title = el.get_attribute("title").map(|t| html_text(&t));
                match src {
                    Some(src) if !tally.quiet() => {
                        let html = embed(&src, title.as_deref());
                        if html.is_empty() {
                            tally.removed(Removal::Embed, &src);
                        } else if video_address(&src).is_none() {
                            tally.removed(Removal::LinkedEmbed, &src);
                        }
                        tally.embed();
                        tally.replace(el, &html);
                    }
                    _ => tally.drop(el, Some(Removal::Embed), ""),
                }
                Ok(())
            }),
            element!("img", |el| {
                let src = el.get_attribute("src").unwrap_or_default();
                if !(src.starts_with("http://") || src.starts_with("https://")) {
                    // No source, or a data: or relative one that points nowhere now.
                    el.remove();
                } else {
                    for attr in ["srcset", "sizes", "style", "class", "loading", "onerror"] {
                        el.remove_attribute(attr);
                    }
                }
                Ok(())
            }),
            element!("a[href]", |el| {
                let href = el.get_attribute("href").unwrap_or_default();
                if !is_safe_link(&html_text(&href)) {
                    el.remove_and_keep_content();
                }
                Ok(())
            }),
            element!("*", |el| {
                // Event handlers and inline styles of the old theme.
                let names: Vec<String> = el
                    .attributes()
                    .iter()
                    .map(|a| a.name())
                    .filter(|n| n.starts_with("on") || n == "style")
                    .collect();
                for name in names {
                    el.remove_attribute(&name);
                }
                Ok(())
            }),
        ],
    )
}

/// Whether an address names an audio file by its extension.
fn is_audio_file(src: &str) -> bool {
    let path = src.split(['?', '#']).next().unwrap_or_default();
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    [
        "mp3", "m4a", "ogg", "oga", "opus", "wav", "flac", "aac", "wma",
    ]
    .iter()
    .any(|a| ext.eq_ignore_ascii_case(a))
}

/// What an audio or video file becomes: a video kring knows (YouTube…) its address, any
/// other file a link to it; nothing, named in the report, when it is not on the web.
pub fn media(audio: bool, src: &str, tally: &Tally) -> String {
    if !audio && let Some(watch) = video_address(src) {
        tally.embed();
        return raw(&watch);
    }
    match super::embeds::media_link(if audio { "Audio" } else { "Video" }, src, None) {
        Some(html) => {
            tally.embed();
            html
        }
        None => {
            tally.removed(Removal::Embed, src);
            String::new()
        }
    }
}

/// The HTML an embed of `src` becomes: a video's address alone (kring shows it as a video
/// that loads nothing until clicked), or a link to what was embedded, named by its title or
/// else by its address, as WordPress shows an embed it cannot load (the address is often
/// all the export says about it, and its words are the post's).
pub fn embed(src: &str, title: Option<&str>) -> String {
    if let Some(watch) = video_address(src) {
        return raw(&watch);
    }
    let Ok(url) = Url::parse(src.trim()) else {
        return String::new();
    };
    if !matches!(url.scheme(), "http" | "https") {
        return String::new();
    }
    let text = title
        .filter(|t| !t.trim().is_empty())
        .map_or_else(|| url.as_str().to_string(), str::to_string);
    format!(
        "<p><a href=\"{}\">{}</a></p>",
        escape(url.as_str()),
        escape(&text)
    )
}

/// `data-text` written out verbatim, alone on its line.
pub fn raw(text: &str) -> String {
    format!("<{RAW} data-text=\"{}\"></{RAW}>", escape(text))
}

/// Every image address in `html`, in order, once each.
pub fn image_urls(html: &str) -> Vec<String> {
    let found = RefCell::new(Vec::<String>::new());
    let _ = rewrite(
        html,
        vec![element!("img[src]", |el| {
            let src = html_text(&el.get_attribute("src").unwrap_or_default());
            let mut found = found.borrow_mut();
            if !found.contains(&src) {
                found.push(src);
            }
            Ok(())
        })],
    );
    found.into_inner()
}

/// Points links and images at their new places: `link(href)` gives the `@/` path of an
/// imported post, `image(src)` the file an image was saved as.
pub fn relink(
    html: &str,
    link: &dyn Fn(&str) -> Option<String>,
    image: &dyn Fn(&str) -> Option<String>,
) -> String {
    rewrite(
        html,
        vec![
            element!("a[href]", |el| {
                let href = html_text(&el.get_attribute("href").unwrap_or_default());
                if let Some(new) = link(&href) {
                    el.set_attribute("href", &new)?;
                }
                Ok(())
            }),
            element!("img[src]", |el| {
                let src = html_text(&el.get_attribute("src").unwrap_or_default());
                if let Some(new) = image(&src) {
                    el.set_attribute("src", &new)?;
                }
                Ok(())
            }),
        ],
    )
}

/// A link the new site may keep: web, mail and in-page links, and relative ones.
fn is_safe_link(href: &str) -> bool {
    let lower = href.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        Some((scheme, _)) if !scheme.contains('/') && !scheme.contains('#') => {
            matches!(scheme, "http" | "https" | "mailto" | "__ghost_url__")
        }
        _ => true,
    }
}

/// The text of an HTML fragment, its character references decoded and its tags dropped:
/// `&#x201C;Hi&#x201D; <em>there</em>` → `“Hi” there`. Also decodes attribute values as
/// lol_html hands them over (with their references still in).
pub fn html_text(html: &str) -> String {
    #[derive(Default)]
    struct Text(RefCell<String>);
    impl TokenSink for Text {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            if let Token::CharacterTokens(t) = token {
                self.0.borrow_mut().push_str(&t);
            }
            TokenSinkResult::Continue
        }
    }
    if !html.contains(['&', '<']) {
        return html.to_string();
    }
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Text::default(), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.into_inner()
}

/// Text with its character references decoded and nothing else changed: a title written
/// `Why &lt;div&gt; &amp; <span>` as Substack or WordPress store it reads `Why <div> & <span>`.
pub fn decode_entities(text: &str) -> String {
    html_text(&text.replace('<', "&lt;"))
}

/// Escapes text for an HTML attribute or element.
pub fn escape(s: &str) -> String {
    crate::content::markdown::escape_attr(s)
}

#[cfg(test)]
mod tests {
    use super::super::tree::MAX_DEPTH;
    use super::*;

    #[test]
    fn players_become_addresses_kring_shows_as_videos() {
        assert_eq!(
            video_address("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?rel=0&start=90")
                .as_deref(),
            Some("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=90")
        );
        assert_eq!(
            video_address("//player.vimeo.com/video/76979871?h=abc").as_deref(),
            Some("https://vimeo.com/76979871")
        );
        assert_eq!(video_address("https://evil.example/embed/x"), None);
        assert_eq!(
            video_address("https://www.youtube.com/embed/<script>"),
            None,
            "not an id"
        );
    }

    #[test]
    fn scripts_styles_forms_and_handlers_go() {
        let tally = Tally::default();
        let out = common(
            "<p onclick=\"x()\" style=\"color:red\">Hi<script>alert(1)</script></p>\
             <form><input name=email><button>Subscribe</button></form>\
             <a href=\"javascript:alert(1)\">click</a><a href=\" JavaScript:alert(2)\">two</a>\
             <img src=\"data:image/png;base64,AAA\"><img src=\"https://x.example/a.png\" srcset=\"b 2x\" onerror=\"y()\" alt=\"A\">\
             <iframe src=\"https://www.youtube.com/embed/dQw4w9WgXcQ\"></iframe>\
             <iframe src=\"https://maps.example/embed?q=1\" title=\"Our map\"></iframe>",
            &tally,
        );
        for gone in [
            "script",
            "onclick",
            "style=",
            "<form",
            "<button",
            "javascript",
            "data:",
            "srcset",
            "onerror",
        ] {
            assert!(!out.to_ascii_lowercase().contains(gone), "{gone} in {out}");
        }
        assert!(
            out.contains("click") && out.contains("two"),
            "link text kept: {out}"
        );
        assert!(
            out.contains("data-text=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\""),
            "{out}"
        );
        assert!(
            out.contains("<a href=\"https://maps.example/embed?q=1\">Our map</a>"),
            "{out}"
        );
        assert_eq!(tally.embeds(), 2);
    }

    #[test]
    fn deep_nesting_is_flattened_and_the_text_kept() {
        for n in [100usize, 10_000, 200_000] {
            let html = format!(
                "{}deep text{}",
                "<div><blockquote>".repeat(n),
                "</blockquote></div>".repeat(n)
            );
            let out = common(&html, &Tally::default());
            assert!(out.contains("deep text"));
            assert!(out.matches("<div>").count() <= MAX_DEPTH, "{n} levels kept");
            let md = super::super::convert::Converter::new().convert(&out);
            assert!(md.contains("deep text"), "{n}");
        }
    }

    #[test]
    fn text_of_html_is_decoded() {
        assert_eq!(
            html_text("&#x201C;Hi&#x201D; <em>there</em> &amp; &nbsp;you"),
            "\u{201c}Hi\u{201d} there & \u{a0}you"
        );
        assert_eq!(html_text("{&quot;a&quot;:1}"), "{\"a\":1}");
        assert_eq!(html_text("plain"), "plain");
        assert_eq!(
            decode_entities("Why &lt;div&gt; &amp; <span> &#8217;"),
            "Why <div> & <span> \u{2019}"
        );
    }
}
