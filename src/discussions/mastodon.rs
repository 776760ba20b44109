//! Mastodon (and servers with its API): the status, `/api/v1/statuses/{id}`, and its
//! replies, `/api/v1/statuses/{id}/context` (`descendants`, in thread order). Only public
//! statuses are kept (`visibility == "public"`): not unlisted, followers-only or direct
//! ones, even where a server sends them.

use serde::Deserialize;
use url::Url;

use super::fetch::{Asker, Failure};
use super::thread::{Candidate, Fetched};
use super::{Author, Reply, reduce};

/// A status by its id on the server of the URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub id: String,
}

/// `https://host/@name/123456` (also `@name@other.host`, as a server shows accounts of
/// others) and `https://host/users/name/statuses/123456`.
pub fn recognise(url: &Url) -> Option<Status> {
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    let id = match segments.as_slice() {
        [account, id] if account.starts_with('@') && is_name(&account[1..]) => id,
        ["users", name, "statuses", id] if is_name(name) => id,
        _ => return None,
    };
    let numeric = !id.is_empty() && id.len() <= 30 && id.bytes().all(|b| b.is_ascii_digit());
    numeric.then(|| Status { id: id.to_string() })
}

fn is_name(name: &str) -> bool {
    let mut parts = name.split('@');
    let user = parts.next().unwrap_or_default();
    let ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    };
    ok(user) && parts.next().is_none_or(ok) && parts.next().is_none()
}

#[derive(Deserialize)]
struct StatusJson {
    id: String,
    created_at: String,
    #[serde(default)]
    in_reply_to_id: Option<String>,
    #[serde(default)]
    visibility: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    uri: Option<String>,
    #[serde(default)]
    content: String,
    #[serde(default)]
    spoiler_text: String,
    account: Account,
}

#[derive(Deserialize)]
struct Account {
    acct: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    avatar_static: Option<String>,
}

#[derive(Deserialize)]
struct Context {
    #[serde(default)]
    descendants: Vec<StatusJson>,
}

pub fn fetch(
    asker: &Asker,
    origin: &Url,
    status: &Status,
    discuss: &Url,
) -> Result<Fetched, Failure> {
    let api = |path: String| {
        origin
            .join(&path)
            .map_err(|e| Failure::Malformed(e.to_string()))
    };
    let root: StatusJson = asker.json(&api(format!("api/v1/statuses/{}", status.id))?)?;
    let context: Context = asker.json(&api(format!("api/v1/statuses/{}/context", status.id))?)?;
    let host = origin.host_str().unwrap_or_default();
    let public: Vec<StatusJson> = context
        .descendants
        .into_iter()
        .filter(|s| s.visibility == "public")
        .collect();
    let reply_count = public.len();
    let candidates = public
        .into_iter()
        .filter_map(|s| candidate(s, &root.id, host))
        .collect();
    let join_url = root
        .url
        .as_deref()
        .and_then(reduce::web_link)
        .unwrap_or_else(|| discuss.to_string());
    Ok(Fetched {
        join_url,
        reply_count,
        candidates,
    })
}

fn candidate(s: StatusJson, root: &str, host: &str) -> Option<Candidate> {
    let url = s
        .url
        .as_deref()
        .or(s.uri.as_deref())
        .and_then(reduce::web_link)?;
    let published = super::timestamp(&s.created_at)?;
    let acct = reduce::name(&s.account.acct);
    let handle = match acct.split_once('@') {
        Some(_) => format!("@{acct}"),
        None => format!("@{acct}@{host}"),
    };
    let name = reduce::name(&s.account.display_name);
    let avatar = s
        .account
        .avatar_static
        .as_deref()
        .filter(|a| !a.ends_with("/missing.png"))
        .and_then(|a| Url::parse(a).ok());
    // Behind a content warning the text stays there: the page shows the warning, and
    // the link to read the rest where it was written.
    let paragraphs = if s.spoiler_text.trim().is_empty() {
        reduce::html(&s.content)
    } else {
        reduce::text_with_links(&format!("⚠ {} …", s.spoiler_text), &[])
    };
    Some(Candidate {
        parent: s.in_reply_to_id.filter(|p| p != root),
        id: s.id,
        reply: Reply {
            url,
            author: Author {
                name: if name.is_empty() { acct.clone() } else { name },
                handle,
                avatar: None,
            },
            published,
            paragraphs,
            children: Vec::new(),
        },
        avatar,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(u: &str) -> Option<String> {
        recognise(&Url::parse(u).unwrap()).map(|s| s.id)
    }

    #[test]
    fn statuses_are_recognised_by_their_path() {
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            id("https://mastodon.social/@kring/113456789012345678"),
            some("113456789012345678")
        );
        assert_eq!(
            id("https://mastodon.social/@kring@other.example/42"),
            some("42")
        );
        assert_eq!(
            id("https://mastodon.social/users/kring/statuses/42"),
            some("42")
        );
        assert_eq!(id("https://mastodon.social/@kring/42?x=1#top"), some("42"));
        for not in [
            "https://mastodon.social/@kring",
            "https://mastodon.social/@kring/with_replies",
            "https://mastodon.social/@/42",
            "https://mastodon.social/@kr%20ing/42",
            "https://mastodon.social/@a@b@c/42",
            "https://mastodon.social/users/kring/42",
            "https://mastodon.social/@kring/42/embed",
            "https://mastodon.social/@kring/1234567890123456789012345678901",
        ] {
            assert_eq!(id(not), None, "{not}");
        }
    }
}
