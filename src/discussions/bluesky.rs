//! Bluesky: the thread of a post, `app.bsky.feed.getPostThread`, asked of the XRPC
//! endpoint of its host (the public AppView for `bsky.app`, see [`super::hosts::xrpc`]);
//! a handle in the URL is first made a DID with `com.atproto.identity.resolveHandle`.
//! Posts of people who asked not to be shown to logged-out readers (the
//! `!no-unauthenticated` label) are left out, as Bluesky's own web app does.

use serde::Deserialize;
use url::Url;

use super::fetch::{Asker, Failure};
use super::hosts;
use super::thread::{Candidate, Fetched};
use super::{Author, Reply, reduce};

/// How deep the thread is asked: replies, their replies, and one level more (lifted).
const DEPTH: &str = "3";

/// A post: who posted it (handle or DID) and its record key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Post {
    pub actor: String,
    pub rkey: String,
}

/// `…/profile/<handle or did>/post/<rkey>`.
pub fn recognise(url: &Url) -> Option<Post> {
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    let ["profile", actor, "post", rkey] = segments.as_slice() else {
        return None;
    };
    let handle = actor.contains('.')
        && actor.len() <= 253
        && actor
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'));
    let did = actor.starts_with("did:")
        && actor.len() <= 2048
        && actor
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':' | b'%'));
    let rkey_ok = !rkey.is_empty()
        && rkey.len() <= 512
        && !matches!(*rkey, "." | "..")
        && rkey
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~' | b':'));
    ((handle || did) && rkey_ok).then(|| Post {
        actor: actor.to_ascii_lowercase(),
        rkey: rkey.to_string(),
    })
}

#[derive(Deserialize)]
struct Resolved {
    did: String,
}

#[derive(Deserialize)]
struct ThreadJson {
    thread: Item,
}

#[derive(Deserialize)]
#[serde(tag = "$type")]
enum Item {
    #[serde(rename = "app.bsky.feed.defs#threadViewPost")]
    Post(Box<ThreadViewPost>),
    /// `notFoundPost`, `blockedPost`, and whatever a later version adds.
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
struct ThreadViewPost {
    post: PostView,
    #[serde(default)]
    replies: Vec<Item>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PostView {
    uri: String,
    author: Profile,
    record: Record,
    #[serde(default)]
    indexed_at: String,
    #[serde(default)]
    labels: Vec<Label>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Profile {
    did: String,
    handle: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    avatar: Option<String>,
    #[serde(default)]
    labels: Vec<Label>,
}

#[derive(Deserialize)]
struct Label {
    val: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Record {
    #[serde(default)]
    text: String,
    #[serde(default)]
    created_at: String,
    #[serde(default)]
    facets: Vec<Facet>,
}

#[derive(Deserialize)]
struct Facet {
    index: ByteSlice,
    #[serde(default)]
    features: Vec<Feature>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ByteSlice {
    byte_start: usize,
    byte_end: usize,
}

#[derive(Deserialize)]
#[serde(tag = "$type")]
enum Feature {
    #[serde(rename = "app.bsky.richtext.facet#link")]
    Link { uri: String },
    #[serde(other)]
    Other,
}

impl PostView {
    /// Whether the author (or a moderator) asked that this not be shown to readers who
    /// are not logged in, or hidden.
    fn withheld(&self) -> bool {
        self.labels.iter().chain(&self.author.labels).any(|l| {
            matches!(
                l.val.as_str(),
                "!no-unauthenticated" | "!hide" | "!takedown"
            )
        })
    }
}

pub fn fetch(asker: &Asker, origin: &Url, post: &Post, discuss: &Url) -> Result<Fetched, Failure> {
    let xrpc = hosts::xrpc(origin);
    let method = |name: &str, query: &[(&str, &str)]| -> Result<Url, Failure> {
        let mut u = xrpc
            .join(name)
            .map_err(|e| Failure::Malformed(e.to_string()))?;
        u.query_pairs_mut().extend_pairs(query);
        Ok(u)
    };
    let did = if post.actor.starts_with("did:") {
        post.actor.clone()
    } else {
        let url = method(
            "com.atproto.identity.resolveHandle",
            &[("handle", &post.actor)],
        )?;
        asker.json::<Resolved>(&url)?.did
    };
    let uri = format!("at://{did}/app.bsky.feed.post/{}", post.rkey);
    let url = method(
        "app.bsky.feed.getPostThread",
        &[("uri", &uri), ("depth", DEPTH), ("parentHeight", "0")],
    )?;
    let Item::Post(root) = asker.json::<ThreadJson>(&url)?.thread else {
        return Err(Failure::Gone);
    };
    let root = *root;
    // Depth first, in the AppView's order, each with the URI of the post it answers.
    let mut stack: Vec<(Item, Option<String>)> =
        root.replies.into_iter().rev().map(|r| (r, None)).collect();
    let mut candidates = Vec::new();
    let mut reply_count = 0;
    while let Some((item, parent)) = stack.pop() {
        let Item::Post(t) = item else { continue };
        let t = *t;
        if t.post.withheld() {
            continue;
        }
        reply_count += 1;
        let uri = t.post.uri.clone();
        stack.extend(t.replies.into_iter().rev().map(|r| (r, Some(uri.clone()))));
        if let Some(c) = candidate(t.post, parent, origin) {
            candidates.push(c);
        }
    }
    Ok(Fetched {
        join_url: discuss.to_string(),
        reply_count,
        candidates,
    })
}

fn candidate(post: PostView, parent: Option<String>, origin: &Url) -> Option<Candidate> {
    let rkey = post.uri.rsplit('/').next()?;
    let handle = reduce::name(&post.author.handle).to_ascii_lowercase();
    let shown_as = if handle.is_empty() || handle == "handle.invalid" {
        &post.author.did
    } else {
        &handle
    };
    let mut url = origin.clone();
    url.path_segments_mut()
        .ok()?
        .clear()
        .extend(["profile", shown_as, "post", rkey]);
    let published =
        super::timestamp(&post.record.created_at).or_else(|| super::timestamp(&post.indexed_at))?;
    let links: Vec<(usize, usize, String)> = post
        .record
        .facets
        .iter()
        .flat_map(|f| {
            f.features.iter().filter_map(|feature| match feature {
                Feature::Link { uri } => Some((f.index.byte_start, f.index.byte_end, uri.clone())),
                Feature::Other => None,
            })
        })
        .collect();
    let name = reduce::name(post.author.display_name.as_deref().unwrap_or_default());
    Some(Candidate {
        id: post.uri.clone(),
        parent,
        reply: Reply {
            url: url.to_string(),
            author: Author {
                name: if name.is_empty() {
                    handle.clone()
                } else {
                    name
                },
                handle: format!("@{handle}"),
                avatar: None,
            },
            published,
            paragraphs: reduce::text_with_links(&post.record.text, &links),
            children: Vec::new(),
        },
        avatar: post
            .author
            .avatar
            .as_deref()
            .and_then(|a| Url::parse(a).ok()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(u: &str) -> Option<(String, String)> {
        recognise(&Url::parse(u).unwrap()).map(|p| (p.actor, p.rkey))
    }

    #[test]
    fn posts_are_recognised_by_their_path() {
        let some = |a: &str, r: &str| Some((a.to_string(), r.to_string()));
        assert_eq!(
            post("https://bsky.app/profile/Kring.example.org/post/3kabc2xyz"),
            some("kring.example.org", "3kabc2xyz")
        );
        assert_eq!(
            post("https://bsky.app/profile/did:plc:abc123/post/3kabc2xyz"),
            some("did:plc:abc123", "3kabc2xyz")
        );
        for not in [
            "https://bsky.app/profile/kring.example.org",
            "https://bsky.app/profile/kring/post/3k",
            "https://bsky.app/profile/kring.example.org/post/",
            "https://bsky.app/profile/kring.example.org/post/..",
            "https://bsky.app/profile/kring.example.org/post/3k%2Fx",
            "https://bsky.app/profile/kring.example.org/lists/3k",
            "https://bsky.app/profile/ex%20ample.org/post/3k",
        ] {
            assert_eq!(post(not), None, "{not}");
        }
    }
}
