//! Discourse: a topic's public JSON, `/t/{id}.json`, with its first posts in
//! `post_stream.posts` and the ids of all of them in `post_stream.stream`; more are asked
//! of `/t/{id}/posts.json?post_ids[]=…` only while `show` is not yet filled, and at most
//! [`MORE_PAGES`] times, so a topic of 10,000 posts costs a few requests.

use serde::Deserialize;
use url::Url;

use super::fetch::{Asker, Failure};
use super::thread::{Candidate, Fetched, Filter};
use super::{Author, Reply, reduce};

/// Pages of posts asked after the topic's own.
const MORE_PAGES: usize = 3;
/// Posts asked per page (Discourse's own chunk size).
const PAGE: usize = 20;

/// A topic: its id and the path its forum lives under (`/forum` for one at
/// `https://example.org/forum/t/slug/12`, or nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub prefix: String,
    pub id: u64,
}

/// `…/t/slug/123`, `…/t/123`, `…/t/slug/123/4` (a post of the topic).
pub fn recognise(url: &Url) -> Option<Topic> {
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    let t = segments.iter().position(|s| *s == "t")?;
    let number = |s: &str| {
        (!s.is_empty() && s.len() <= 19 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten()
    };
    let id = match &segments[t + 1..] {
        [id] => number(id)?,
        // `/t/123/4` is topic 123's post 4; `/t/slug/123`, topic 123.
        [a, b] => number(a)
            .filter(|_| number(b).is_some())
            .or_else(|| number(b))?,
        [_, id, post] => number(id).filter(|_| number(post).is_some())?,
        _ => return None,
    };
    let prefix: String = segments[..t].iter().map(|s| format!("/{s}")).collect();
    Some(Topic { prefix, id })
}

#[derive(Deserialize)]
struct TopicJson {
    #[serde(default)]
    slug: String,
    #[serde(default)]
    posts_count: usize,
    post_stream: PostStream,
}

#[derive(Deserialize)]
struct PostStream {
    #[serde(default)]
    posts: Vec<Post>,
    #[serde(default)]
    stream: Vec<u64>,
}

#[derive(Deserialize)]
struct Post {
    id: u64,
    #[serde(default)]
    name: Option<String>,
    username: String,
    #[serde(default)]
    avatar_template: Option<String>,
    created_at: String,
    #[serde(default)]
    cooked: String,
    post_number: u64,
    /// 1 is a post; 2 a moderator's note, 3 a "closed the topic" line, 4 a staff whisper.
    #[serde(default = "regular")]
    post_type: u8,
    #[serde(default)]
    reply_to_post_number: Option<u64>,
    #[serde(default)]
    hidden: bool,
    #[serde(default)]
    deleted_at: Option<String>,
    #[serde(default)]
    user_deleted: bool,
}

fn regular() -> u8 {
    1
}

impl Post {
    fn is_public_reply(&self) -> bool {
        self.post_number > 1
            && self.post_type == 1
            && !self.hidden
            && self.deleted_at.is_none()
            && !self.user_deleted
    }
}

pub fn fetch(
    asker: &Asker,
    origin: &Url,
    topic: &Topic,
    discuss: &Url,
    filter: &Filter,
) -> Result<Fetched, Failure> {
    let base = origin
        .join(&format!("{}/", topic.prefix.trim_start_matches('/')))
        .map_err(|e| Failure::Malformed(e.to_string()))?;
    let api = |path: &str| {
        base.join(path)
            .map_err(|e| Failure::Malformed(e.to_string()))
    };
    let TopicJson {
        slug,
        posts_count,
        post_stream,
    } = asker.json(&api(&format!("t/{}.json", topic.id))?)?;
    let host = origin.host_str().unwrap_or_default().to_string();
    let topic_url = |post_number: u64| {
        let mut u = base.clone();
        if let Ok(mut path) = u.path_segments_mut() {
            path.pop_if_empty().push("t");
            if !slug.is_empty() {
                path.push(&slug);
            }
            path.push(&topic.id.to_string())
                .push(&post_number.to_string());
        }
        u
    };
    // Posts the first page had, shown or not, are not asked for again.
    let seen: std::collections::HashSet<u64> = post_stream.posts.iter().map(|p| p.id).collect();
    let mut candidates = Vec::new();
    add(&mut candidates, post_stream.posts, &base, &topic_url);
    let mut rest = post_stream
        .stream
        .into_iter()
        .filter(|id| !seen.contains(id));
    for _ in 0..MORE_PAGES {
        if filter.kept(&candidates, &host) >= filter.show {
            break;
        }
        let ids: Vec<u64> = rest.by_ref().take(PAGE).collect();
        if ids.is_empty() {
            break;
        }
        let mut url = api(&format!("t/{}/posts.json", topic.id))?;
        for id in &ids {
            url.query_pairs_mut()
                .append_pair("post_ids[]", &id.to_string());
        }
        let page: PostsJson = asker.json(&url)?;
        add(&mut candidates, page.post_stream.posts, &base, &topic_url);
    }
    Ok(Fetched {
        join_url: discuss.to_string(),
        reply_count: posts_count.saturating_sub(1),
        candidates,
    })
}

#[derive(Deserialize)]
struct PostsJson {
    post_stream: PostStream,
}

/// The public replies among `posts`, keyed by post number (what `reply_to_post_number`
/// names).
fn add(out: &mut Vec<Candidate>, posts: Vec<Post>, base: &Url, topic_url: &dyn Fn(u64) -> Url) {
    for post in posts.into_iter().filter(Post::is_public_reply) {
        let Some(published) = super::timestamp(&post.created_at) else {
            continue;
        };
        let name = reduce::name(post.name.as_deref().unwrap_or_default());
        let username = reduce::name(&post.username);
        let avatar = post
            .avatar_template
            .as_deref()
            .filter(|t| !t.contains("letter_avatar"))
            .and_then(|t| base.join(&t.replace("{size}", "96")).ok());
        out.push(Candidate {
            id: post.post_number.to_string(),
            parent: post
                .reply_to_post_number
                .filter(|n| *n > 1)
                .map(|n| n.to_string()),
            reply: Reply {
                url: topic_url(post.post_number).to_string(),
                author: Author {
                    name: if name.is_empty() {
                        username.clone()
                    } else {
                        name
                    },
                    handle: format!("@{username}"),
                    avatar: None,
                },
                published,
                paragraphs: reduce::html(&post.cooked),
                children: Vec::new(),
            },
            avatar,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(u: &str) -> Option<(String, u64)> {
        recognise(&Url::parse(u).unwrap()).map(|t| (t.prefix, t.id))
    }

    #[test]
    fn topics_are_recognised_by_their_path() {
        let t = |p: &str, id| Some((p.to_string(), id));
        assert_eq!(topic("https://forum.example.org/t/welcome/123"), t("", 123));
        assert_eq!(topic("https://forum.example.org/t/123"), t("", 123));
        assert_eq!(
            topic("https://forum.example.org/t/welcome/123/4"),
            t("", 123)
        );
        assert_eq!(topic("https://forum.example.org/t/123/4"), t("", 123));
        assert_eq!(
            topic("https://forum.example.org/t/welcome/123/?u=x#reply"),
            t("", 123)
        );
        assert_eq!(
            topic("https://example.org/forum/t/welkom-ü/7"),
            t("/forum", 7)
        );
        for not in [
            "https://forum.example.org/",
            "https://forum.example.org/t/",
            "https://forum.example.org/t/welcome",
            "https://forum.example.org/t/welcome/abc",
            "https://forum.example.org/t/a/1/2/3",
            "https://forum.example.org/t/a/99999999999999999999999",
            "https://forum.example.org/c/news/5",
        ] {
            assert_eq!(topic(not), None, "{not}");
        }
    }
}
