//! Videos and livestreams. A YouTube, Vimeo or PeerTube address alone on a line — or a
//! ```` ```video ```` block with the address, a `title:` and a `start:` time — becomes a
//! link to the video inside `<figure class="video">`. The page loads **nothing** from the
//! video's host: no iframe, no script, no thumbnail. The theme's `video.js` turns the
//! figure into a play button, and only a click puts the player's iframe in the page
//! (YouTube's from youtube-nocookie.com). Without JavaScript, and in feeds and email
//! editions, it stays a link.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};
use url::Url;

use super::markdown::escape_attr;

/// A video kring knows how to embed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Video {
    /// `YouTube`, `Vimeo`, `PeerTube`.
    pub provider: &'static str,
    /// Where the video is, as the writer linked it.
    pub watch_url: String,
    /// The player, loaded only on a click.
    pub embed_url: String,
}

/// The video at `address`, if it is one of YouTube, Vimeo or PeerTube; `start` in seconds.
pub fn recognize(address: &str, start: Option<u32>) -> Option<Video> {
    let parts = Parts::of(address)?;
    let (url, host) = (&parts.url, parts.host.as_str());
    let segments = parts.segments();
    let query = |key: &str| parts.query(key);
    let start = start.or_else(|| {
        query("t")
            .or_else(|| query("start"))
            .and_then(|t| seconds(&t))
    });
    let at = |sep: char| start.map_or(String::new(), |s| format!("{sep}start={s}"));
    let (provider, embed) = match (host, segments.as_slice()) {
        ("youtube.com" | "m.youtube.com", ["watch"]) => {
            let id = query("v").filter(|id| youtube_id(id))?;
            ("YouTube", youtube_embed(&id, &at('&')))
        }
        ("youtube.com" | "m.youtube.com", ["live" | "shorts" | "embed", id]) if youtube_id(id) => {
            ("YouTube", youtube_embed(id, &at('&')))
        }
        ("youtu.be", [id]) if youtube_id(id) => ("YouTube", youtube_embed(id, &at('&'))),
        ("vimeo.com", [id]) if id.bytes().all(|b| b.is_ascii_digit()) && id.len() < 16 => (
            "Vimeo",
            format!(
                "https://player.vimeo.com/video/{id}?autoplay=1&dnt=1{}",
                start.map_or(String::new(), |s| format!("#t={s}s"))
            ),
        ),
        (_, ["w", id] | ["videos", "watch", id]) if peertube_id(id) => (
            "PeerTube",
            format!(
                "{}://{}/videos/embed/{id}?autoplay=1{}",
                url.scheme(),
                url.host_str()?,
                at('&')
            ),
        ),
        _ => return None,
    };
    Some(Video {
        provider,
        watch_url: url.to_string(),
        embed_url: embed,
    })
}

/// The address to write for a YouTube or Vimeo player or page, in the form [`recognize`]
/// knows: a player's address (`youtube-nocookie.com/embed/ID?start=90`,
/// `//player.vimeo.com/video/ID`) becomes the video's page
/// (`https://www.youtube.com/watch?v=ID&t=90`, `https://vimeo.com/ID`). `None` for what is
/// not a video.
pub fn watch_address(src: &str) -> Option<String> {
    let src = src.trim();
    let src = match src.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => src.to_string(),
    };
    let parts = Parts::of(&src)?;
    let address = match (parts.host.as_str(), parts.segments().as_slice()) {
        ("youtube.com" | "youtube-nocookie.com", ["embed", id]) => {
            let start = parts
                .query("start")
                .or_else(|| parts.query("t"))
                .filter(|s| s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty());
            let mut address = format!("https://www.youtube.com/watch?v={id}");
            if let Some(start) = start {
                address.push_str(&format!("&t={start}"));
            }
            address
        }
        ("player.vimeo.com", ["video", id]) => format!("https://vimeo.com/{id}"),
        _ => src.clone(),
    };
    recognize(&address, None).map(|_| address)
}

/// A web address taken apart: its host (lower case, without `www.`) and path segments.
struct Parts {
    url: Url,
    host: String,
    segments: Vec<String>,
}

impl Parts {
    fn of(address: &str) -> Option<Parts> {
        let url = Url::parse(address.trim()).ok()?;
        if !matches!(url.scheme(), "https" | "http") {
            return None;
        }
        let host = url.host_str()?.to_ascii_lowercase();
        let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
        let segments = url
            .path_segments()?
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        Some(Parts {
            url,
            host,
            segments,
        })
    }

    fn segments(&self) -> Vec<&str> {
        self.segments.iter().map(String::as_str).collect()
    }

    fn query(&self, key: &str) -> Option<String> {
        self.url
            .query_pairs()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    }
}

fn youtube_embed(id: &str, start: &str) -> String {
    format!("https://www.youtube-nocookie.com/embed/{id}?autoplay=1{start}")
}

fn youtube_id(id: &str) -> bool {
    id.len() == 11
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// PeerTube's short ids (22 base-58 characters) and UUIDs.
fn peertube_id(id: &str) -> bool {
    let short = (20..=24).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric());
    let uuid = id.len() == 36
        && id.bytes().enumerate().all(|(i, b)| {
            matches!(i, 8 | 13 | 18 | 23) == (b == b'-') && (b == b'-' || b.is_ascii_hexdigit())
        });
    short || uuid
}

/// `90`, `1m30s`, `1:30`, `1:02:03` as seconds.
pub fn seconds(text: &str) -> Option<u32> {
    let text = text.trim();
    if let Ok(n) = text.parse::<u32>() {
        return Some(n);
    }
    if text.contains(':') {
        return text.split(':').try_fold(0u32, |total, part| {
            total
                .checked_mul(60)?
                .checked_add(part.parse::<u32>().ok()?)
        });
    }
    let mut total = 0u32;
    let mut number = String::new();
    for c in text.chars() {
        match c {
            '0'..='9' => number.push(c),
            'h' | 'm' | 's' => {
                let n: u32 = number.parse().ok()?;
                let unit = match c {
                    'h' => 3600,
                    'm' => 60,
                    _ => 1,
                };
                total = total.checked_add(n.checked_mul(unit)?)?;
                number.clear();
            }
            _ => return None,
        }
    }
    number.is_empty().then_some(total)
}

/// The body of a ```` ```video ```` block: the address, then `title:` and `start:` lines.
pub fn from_block(text: &str) -> Option<(Video, Option<String>)> {
    let mut address = None;
    let mut title = None;
    let mut start = None;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(t) = line.strip_prefix("title:") {
            title = Some(t.trim().to_string());
        } else if let Some(s) = line.strip_prefix("start:") {
            start = Some(seconds(s)?);
        } else if address.is_none() {
            address = Some(line);
        } else {
            return None;
        }
    }
    Some((recognize(address?, start)?, title))
}

/// The figure a video becomes: a link, which `video.js` turns into a play button.
pub fn markup(video: &Video, title: Option<&str>, escape: impl Fn(&str) -> String) -> String {
    let label = title.unwrap_or(&video.watch_url);
    format!(
        "<figure class=\"video\" data-embed=\"{}\" data-provider=\"{}\" data-title=\"{}\">\
         <a class=\"video__link\" href=\"{}\">▶ {}</a> <span class=\"video__provider\">({})</span></figure>\n",
        escape(&video.embed_url),
        video.provider,
        escape(title.unwrap_or(video.provider)),
        escape(&video.watch_url),
        escape(label),
        video.provider
    )
}

/// Paragraphs that are only a video's address (as text or `<…>`), and ```` ```video ````
/// blocks, become video figures (see the module). Replaced in place — the events
/// after the first become empty text — so positions into `events` stay valid.
pub fn embed(events: &mut [Event<'_>]) {
    let mut i = 0;
    while i < events.len() {
        let block = matches!(&events[i], Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if info.trim() == "video");
        if !block && !matches!(events[i], Event::Start(Tag::Paragraph)) {
            i += 1;
            continue;
        }
        let Some(len) = events[i + 1..]
            .iter()
            .position(|e| matches!(e, Event::End(TagEnd::Paragraph | TagEnd::CodeBlock)))
        else {
            return;
        };
        let end = i + 1 + len;
        let mut text = String::new();
        let mut only_an_address = true;
        for event in &events[i + 1..end] {
            match event {
                Event::Text(t) => text.push_str(t),
                Event::Start(Tag::Link {
                    link_type: LinkType::Autolink,
                    ..
                })
                | Event::End(TagEnd::Link) => {}
                _ => only_an_address = false,
            }
        }
        let found = if !only_an_address {
            None
        } else if block {
            from_block(&text)
        } else {
            recognize(&text, None).map(|v| (v, None))
        };
        if let Some((video, title)) = found {
            let html = markup(&video, title.as_deref(), escape_attr);
            events[i] = Event::Html(CowStr::from(html));
            for e in &mut events[i + 1..=end] {
                *e = Event::Text(CowStr::from(""));
            }
        }
        i = end + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognizes_the_addresses_of_each_host() {
        let yt = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1";
        for (address, embed) in [
            ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", yt.to_string()),
            ("https://youtube.com/watch?feature=x&v=dQw4w9WgXcQ", yt.to_string()),
            ("https://m.youtube.com/watch?v=dQw4w9WgXcQ", yt.to_string()),
            ("https://youtu.be/dQw4w9WgXcQ", yt.to_string()),
            ("https://www.youtube.com/live/dQw4w9WgXcQ", yt.to_string()),
            ("https://youtu.be/dQw4w9WgXcQ?t=90", format!("{yt}&start=90")),
            ("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s", format!("{yt}&start=90")),
            ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?autoplay=1&dnt=1".into()),
            (
                "https://peertube.example/w/9c9de5e8-0a1e-484a-b099-e80766180a6d",
                "https://peertube.example/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d?autoplay=1".into(),
            ),
            (
                "https://tube.example.nl/w/kkGMgK9ZtnKfYAgnEtQxbv",
                "https://tube.example.nl/videos/embed/kkGMgK9ZtnKfYAgnEtQxbv?autoplay=1".into(),
            ),
        ] {
            let v = recognize(address, None).unwrap_or_else(|| panic!("{address}"));
            assert_eq!(v.embed_url, embed, "{address}");
        }
        for address in [
            "https://www.youtube.com/watch?v=short",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ\"onload=x",
            "https://evil.example/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/",
            "javascript:alert(1)//youtu.be/dQw4w9WgXcQ",
            "https://vimeo.com/about",
            "https://en.wikipedia.org/w/index.php",
            "ftp://youtu.be/dQw4w9WgXcQ",
            "not a url",
        ] {
            assert_eq!(recognize(address, None), None, "{address}");
        }
    }

    #[test]
    fn start_times_and_blocks() {
        assert_eq!(seconds("90"), Some(90));
        assert_eq!(seconds("1:30"), Some(90));
        assert_eq!(seconds("1:02:03"), Some(3723));
        assert_eq!(seconds("1h2m3s"), Some(3723));
        assert_eq!(seconds("2m"), Some(120));
        assert_eq!(seconds("1m30"), None);
        assert_eq!(seconds("99999999999"), None);
        let (v, title) =
            from_block("https://youtu.be/dQw4w9WgXcQ\ntitle: Our October meetup\nstart: 1:30\n")
                .unwrap();
        assert!(v.embed_url.ends_with("&start=90"));
        assert_eq!(title.as_deref(), Some("Our October meetup"));
        assert!(from_block("https://example.org/x\n").is_none());
        assert!(from_block("https://youtu.be/dQw4w9WgXcQ\nsomething else\n").is_none());
    }
}
