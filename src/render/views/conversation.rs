//! A page's conversation as templates see it: the reply count everywhere the page is
//! listed, the replies themselves on its own page.
//!
//! Everything here came from other people on another host, through a cache file anyone
//! with the repository can edit: the view trusts none of it. Text loses control
//! characters and is bounded, links keep only `http`/`https` targets, dates that do not
//! read are left out, and `hide`/`hide_accounts` apply again (a person may ask after the
//! cache was written, and an offline build never asks the host).

use serde::Serialize;

use crate::config::DiscussionConfig;
use crate::discussions::{Conversation, Inline, Platform, Reply};
use crate::model::Site;
use crate::model::conversations::avatar_path;
use crate::render::templates::{Strings, escape_html};
use crate::text::floor_char_boundary;

/// Characters of a display name shown.
const NAME: usize = 80;
/// Characters of one reply's text shown, all paragraphs together.
const TEXT: usize = 2_000;
/// Paragraphs of one reply shown.
const PARAGRAPHS: usize = 20;

#[derive(Debug, Serialize)]
pub struct ConversationView<'a> {
    /// Public replies in the whole thread.
    pub count: usize,
    /// `discourse`, `mastodon` or `bluesky`: the theme's strings say "on the forum".
    pub platform: &'static str,
    /// Where to join in (absent when the cache gave no web address).
    pub join_url: Option<&'a str>,
    /// The replies shown, on the page's own template only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replies: Option<Vec<ReplyView>>,
}

#[derive(Debug, Serialize)]
pub struct ReplyView {
    /// The reply on its platform (absent when not an `http(s)` address).
    pub url: Option<String>,
    pub author: AuthorView,
    /// When it was posted, RFC 3339 in the site's zone.
    pub published: Option<String>,
    pub paragraphs: Vec<Vec<InlineView>>,
    /// Replies to it, one level deep.
    pub children: Vec<ReplyView>,
}

/// Shaped like a member's `PersonView` where it matters, so the theme's avatar macro
/// shows either.
#[derive(Debug, Serialize)]
pub struct AuthorView {
    pub name: String,
    pub handle: String,
    /// The avatar's address on this site, for `image()`.
    pub avatar: Option<String>,
    pub initials: String,
}

#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum InlineView {
    Text { text: String },
    Link { href: String, text: String },
}

impl<'a> ConversationView<'a> {
    /// The conversation of page `index`, with its replies when `full`.
    pub fn of(site: &'a Site, index: usize, full: bool) -> Option<ConversationView<'a>> {
        let c = site.conversation_of(index)?;
        Some(ConversationView {
            count: c.reply_count,
            platform: match c.platform {
                Platform::Discourse => "discourse",
                Platform::Mastodon => "mastodon",
                Platform::Bluesky => "bluesky",
            },
            join_url: web_url(&c.join_url).then_some(c.join_url.as_str()),
            replies: full.then(|| replies(site, c)),
        })
    }
}

/// "12 replies · Join on the forum", linked to the conversation, as HTML: what feed
/// readers show is an item's content, so the count goes there. Empty without one.
pub fn feed_line(site: &Site, index: usize, strings: &Strings) -> String {
    let Some(c) = ConversationView::of(site, index, false) else {
        return String::new();
    };
    let Some(url) = c.join_url else {
        return String::new();
    };
    let count = match c.count {
        1 => strings
            .text("reply_count_one")
            .unwrap_or("1 reply")
            .to_string(),
        n => strings
            .text("reply_count_other")
            .unwrap_or("{n} replies")
            .replace("{n}", &n.to_string()),
    };
    let join = strings
        .text(&format!("conversation_join_{}", c.platform))
        .unwrap_or("Join the conversation");
    format!(
        "\n<p><a href=\"{}\">{} · {}</a></p>",
        escape_html(url),
        escape_html(&count),
        escape_html(join)
    )
}

/// At most `show` replies in all, children counted, none of those hidden.
fn replies(site: &Site, c: &Conversation) -> Vec<ReplyView> {
    let config = &site.config.discussion;
    let mut left = config.show;
    let mut out = Vec::new();
    for reply in c.replies.iter().filter(|r| !hidden(config, r)) {
        if left == 0 {
            break;
        }
        left -= 1;
        let mut view = reply_view(site, reply);
        for child in reply.children.iter().filter(|r| !hidden(config, r)) {
            if left == 0 {
                break;
            }
            left -= 1;
            view.children.push(reply_view(site, child));
        }
        out.push(view);
    }
    out
}

fn hidden(config: &DiscussionConfig, r: &Reply) -> bool {
    config.hide.iter().any(|u| u == &r.url)
        || config
            .hide_accounts
            .iter()
            .any(|a| a.eq_ignore_ascii_case(&r.author.handle))
}

fn reply_view(site: &Site, r: &Reply) -> ReplyView {
    let name = plain(&r.author.name, NAME, true);
    let name = if name.trim().is_empty() {
        plain(&r.author.handle, NAME, true)
    } else {
        name
    };
    let mut budget = TEXT;
    let paragraphs = r
        .paragraphs
        .iter()
        .take(PARAGRAPHS)
        .map_while(|p| {
            (budget > 0).then(|| {
                p.iter()
                    .map_while(|inline| {
                        if budget == 0 {
                            return None;
                        }
                        let (text, href) = match inline {
                            Inline::Text { text } => (text, None),
                            Inline::Link { href, text } => (text, Some(href)),
                        };
                        let text = plain(text, budget, false);
                        budget -= text.chars().count().min(budget);
                        Some(match href.filter(|h| web_url(h)) {
                            Some(href) => InlineView::Link {
                                href: href.clone(),
                                text,
                            },
                            None => InlineView::Text { text },
                        })
                    })
                    .collect::<Vec<_>>()
            })
        })
        .filter(|p| !p.is_empty())
        .collect();
    ReplyView {
        url: web_url(&r.url).then(|| r.url.clone()),
        author: AuthorView {
            initials: crate::model::page::initials(&name),
            name,
            handle: plain(&r.author.handle, NAME, true),
            avatar: r
                .author
                .avatar
                .as_deref()
                .and_then(avatar_path)
                .map(|rel| format!("/{rel}")),
        },
        published: r
            .published
            .parse::<jiff::Timestamp>()
            .ok()
            .map(|t| crate::time::rfc3339(&t.to_zoned(site.config.timezone.tz().clone()))),
        paragraphs,
        children: Vec::new(),
    }
}

/// An absolute `http`/`https` URL: what a link may lead to.
fn web_url(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
        && !s.chars().any(char::is_control)
}

/// `s` without control characters (`\0`, `\r`; line breaks too when `one_line`), at most
/// `most` characters, cut with "…".
fn plain(s: &str, most: usize, one_line: bool) -> String {
    let mut out: String = s
        .chars()
        .filter_map(|c| match c {
            '\n' | '\t' if one_line => Some(' '),
            '\n' | '\t' => Some(c),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    if out.chars().count() > most {
        let cut = out
            .char_indices()
            .nth(most.saturating_sub(1))
            .map_or(out.len(), |(i, _)| i);
        out.truncate(floor_char_boundary(&out, cut));
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_loses_controls_and_is_bounded() {
        assert_eq!(plain("a\0b\r\nc", 10, false), "ab\nc");
        assert_eq!(plain("a\nb", 10, true), "a b");
        assert_eq!(plain("ééééé", 3, false), "éé…");
        assert_eq!(plain("abc", 3, false), "abc");
    }

    #[test]
    fn only_web_addresses_are_links() {
        assert!(web_url("https://forum.example.org/t/x/1"));
        assert!(!web_url("javascript:alert(1)"));
        assert!(!web_url(" javascript:alert(1)"));
        assert!(!web_url("data:text/html,x"));
        assert!(!web_url("/relative"));
    }
}
