//! Substack's embeds in kring's terms. Most carry what they show as JSON in `data-attrs`
//! (a gallery's images, a post's title, a tweet's text, a formula's source); older tweets
//! carry it in their markup. Each becomes what kring shows without another host: a
//! YouTube or Vimeo video kring's video, a tweet or another post a quote with its text
//! and link, a gallery its images, a formula its LaTeX source; what has no equivalent (a
//! poll, a chat, a video uploaded to Substack) is named in the report.

use lol_html::element;
use lol_html::html_content::ContentType;
use serde_json::Value;

use super::substack::data_attrs;
use crate::import::clean::{self, Handler, escape};
use crate::import::embeds::{self, Quote};
use crate::import::tally::{Removal, Tally};

/// The most characters of a quoted text kept (a tweet is short; a post's excerpt is cut
/// by Substack already).
const MAX_QUOTE: usize = 2_000;

/// A string field of `value`, `""` when absent.
fn text<'v>(value: &'v Value, key: &str) -> &'v str {
    value[key].as_str().unwrap_or_default()
}

fn cut(s: &str) -> String {
    s.chars().take(MAX_QUOTE).collect()
}

/// "Name (@handle)", "Name" or "@handle", from a tweet's fields.
fn tweet_author(attrs: &Value) -> String {
    let name = text(attrs, "name").trim();
    let handle = text(attrs, "username").trim().trim_start_matches('@');
    match (name.is_empty(), handle.is_empty()) {
        (false, false) => format!("{name} (@{handle})"),
        (false, true) => name.to_string(),
        (true, false) => format!("@{handle}"),
        (true, true) => String::new(),
    }
}

/// The handlers for Substack's embeds, run with the reader's other rules.
pub(super) fn handlers(tally: &Tally) -> Vec<Handler<'_>> {
    vec![
        element!(".youtube-wrap, .vimeo-wrap", |el| {
            let attrs = data_attrs(el);
            let id = text(&attrs, "videoId");
            let start = attrs["startTime"].as_u64();
            let address = if el
                .get_attribute("class")
                .unwrap_or_default()
                .contains("vimeo")
            {
                format!("https://vimeo.com/{id}")
            } else {
                let at = start.map_or(String::new(), |s| format!("&t={s}"));
                format!("https://www.youtube.com/watch?v={id}{at}")
            };
            match clean::video_address(&address) {
                Some(address) => {
                    tally.embed();
                    tally.replace(el, &clean::raw(&address));
                }
                None => tally.drop(el, Some(Removal::Embed), "a video without its address"),
            }
            Ok(())
        }),
        element!(".tweet[data-attrs], .twitter-embed[data-attrs]", |el| {
            let attrs = data_attrs(el);
            let url = text(&attrs, "url");
            if url.is_empty() && text(&attrs, "full_text").is_empty() {
                // No data: the markup inside says it (the rules below).
                return Ok(());
            }
            let author = tweet_author(&attrs);
            let quote = Quote {
                url,
                title: None,
                text: Some(&cut(text(&attrs, "full_text"))),
                byline: Some(&author),
            };
            tally.embed();
            tally.replace(el, &quote.html());
            Ok(())
        }),
        // A tweet in markup: its text and author stay, quoted, with the link under them;
        // the avatar (from Twitter's host) and the counts go.
        element!(".tweet, .twitter-embed", |el| {
            if !tally.quiet() {
                tally.embed();
            }
            el.set_tag_name("blockquote")?;
            Ok(())
        }),
        element!(
            ".tweet-header-avatar, .tweet-ufi, .tweet-footer hr, .tweet-link-bottom .likes, .tweet-link-bottom .retweets",
            |el| {
                el.remove();
                Ok(())
            }
        ),
        element!(".tweet a.tweet-link-top", |el| {
            el.remove_and_keep_content();
            Ok(())
        }),
        element!(".tweet .tweet-header", |el| {
            el.set_tag_name("p")?;
            el.prepend("— ", ContentType::Text);
            Ok(())
        }),
        element!(".tweet .tweet-text", |el| {
            el.set_tag_name("p")?;
            Ok(())
        }),
        element!(".tweet a.tweet-link-bottom", |el| {
            el.before("<p>", ContentType::Html);
            el.after("</p>", ContentType::Html);
            Ok(())
        }),
        element!(".tweet-footer, .tweet-header-text", |el| {
            el.set_tag_name("span")?;
            Ok(())
        }),
        element!(".embedded-post-wrap, .digest-post-embed", |el| {
            let attrs = data_attrs(el);
            let url = [text(&attrs, "canonical_url"), text(&attrs, "url")]
                .into_iter()
                .find(|u| !u.is_empty())
                .unwrap_or_default();
            if url.is_empty() && text(&attrs, "title").is_empty() {
                // Without its data: what the markup shows stays, if anything.
                if !tally.quiet() {
                    tally.removed(Removal::Embed, "a post embed without its data");
                }
                el.remove_and_keep_content();
                return Ok(());
            }
            let body = [text(&attrs, "truncated_body_text"), text(&attrs, "caption")]
                .into_iter()
                .find(|t| !t.trim().is_empty())
                .map(cut);
            let author = attrs["publishedBylines"][0]["name"].as_str();
            let publication = attrs["publication_name"].as_str();
            let byline = [author, publication]
                .into_iter()
                .flatten()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            let quote = Quote {
                url,
                title: Some(text(&attrs, "title")).filter(|t| !t.trim().is_empty()),
                text: body.as_deref(),
                byline: Some(&byline),
            };
            tally.embed();
            tally.replace(el, &quote.html());
            Ok(())
        }),
        element!(".image-gallery-embed", |el| {
            let attrs = data_attrs(el);
            let gallery = &attrs["gallery"];
            let alt = text(gallery, "alt");
            let images = gallery["images"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or_default();
            let html = embeds::gallery(
                images.iter().map(|image| {
                    let own = text(image, "alt");
                    (text(image, "src"), if own.is_empty() { alt } else { own })
                }),
                Some(text(gallery, "caption")),
            );
            if images.is_empty() {
                tally.drop(el, Some(Removal::Embed), "a gallery without its images");
            } else {
                tally.embed();
                tally.replace(el, &html);
            }
            Ok(())
        }),
        element!(".latex-rendered", |el| {
            let attrs = data_attrs(el);
            let source = text(&attrs, "persistentExpression");
            if source.trim().is_empty() {
                tally.drop(el, Some(Removal::Embed), "a formula without its source");
            } else {
                tally.embed();
                tally.replace(el, &embeds::math(source));
            }
            Ok(())
        }),
        element!(".instagram", |el| {
            let attrs = data_attrs(el);
            let id = text(&attrs, "instagram_id");
            let url = if id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                && !id.is_empty()
            {
                format!("https://www.instagram.com/p/{id}/")
            } else {
                text(&attrs, "url").to_string()
            };
            linked(el, tally, &url, attrs["title"].as_str());
            Ok(())
        }),
        element!(
            ".bluesky-wrap, .spotify-wrap, .soundcloud-wrap, .apple-podcast-container, .tiktok-wrap",
            |el| {
                let attrs = data_attrs(el);
                let title = attrs["title"].as_str().or(attrs["text"].as_str());
                linked(el, tally, text(&attrs, "url"), title);
                Ok(())
            }
        ),
        element!(".file-embed-wrapper", |el| {
            tally.embed();
            el.set_tag_name("div")?;
            Ok(())
        }),
        element!(
            ".file-embed-thumbnail-default, .file-embed-button.narrow",
            |el| {
                el.remove();
                Ok(())
            }
        ),
        element!(".file-embed-details-h1", |el| {
            el.set_tag_name("p")?;
            el.prepend("<strong>", ContentType::Html);
            el.append("</strong>", ContentType::Html);
            Ok(())
        }),
        element!(".file-embed-details-h2, .file-embed-button.wide", |el| {
            el.before("<p>", ContentType::Html);
            el.after("</p>", ContentType::Html);
            Ok(())
        }),
        element!(".mention-wrap", |el| {
            // A mention of someone on Substack: their name stays.
            let name = text(&data_attrs(el), "name").trim().to_string();
            if !name.is_empty() {
                el.replace(&format!("@{}", escape(&name)), ContentType::Html);
            }
            Ok(())
        }),
        element!(".poll-embed", |el| {
            tally.drop(el, Some(Removal::Embed), "a Substack poll");
            Ok(())
        }),
        element!(".native-video-embed", |el| {
            tally.drop(el, Some(Removal::Embed), "a video uploaded to Substack");
            Ok(())
        }),
        element!(".native-audio-embed", |el| {
            tally.drop(el, Some(Removal::Embed), "audio uploaded to Substack");
            Ok(())
        }),
        element!(".community-chat", |el| {
            tally.drop(el, Some(Removal::Embed), "a Substack chat");
            Ok(())
        }),
    ]
}

/// An embed kring can only link to: the link, named in the report.
fn linked(el: &mut lol_html::html_content::Element, tally: &Tally, url: &str, title: Option<&str>) {
    let title = title.map(|t| t.chars().take(120).collect::<String>());
    let html = clean::embed(url, title.as_deref());
    if tally.quiet() {
        return el.remove();
    }
    if html.is_empty() {
        tally.drop(el, Some(Removal::Embed), url);
    } else {
        tally.removed(Removal::LinkedEmbed, url);
        tally.embed();
        tally.replace(el, &html);
    }
}
