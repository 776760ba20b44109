//! The HTML that embeds of the old platforms become, before the Markdown conversion: what
//! kring can show without loading anything from another host. A tweet or another post is a
//! quote with its text and a link; an audio or video file a link to it; a gallery its
//! images; a formula its LaTeX source in a code block (kring renders no math).

use super::clean::escape;
use super::model::clean_html;

/// Whether `url` is a web address a page may link to.
pub fn is_web(url: &str) -> bool {
    url::Url::parse(url.trim()).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// A link to an audio or video file: kring has no player of its own for them, and a link
/// plays in every browser and loads nothing until it is followed. `what` is "Audio" or
/// "Video"; the link's text is `label`, or the file's name. `None` when `src` is not a web
/// address.
pub fn media_link(what: &str, src: &str, label: Option<&str>) -> Option<String> {
    let src = src.trim();
    if !is_web(src) {
        return None;
    }
    let text = match label.map(str::trim).filter(|l| !l.is_empty()) {
        Some(label) => label.to_string(),
        None => format!("{what}: {}", file_name(src)),
    };
    Some(format!(
        "<p><a href=\"{}\">{}</a></p>",
        escape(src),
        escape(&text)
    ))
}

/// The last segment of an address's path, decoded (`…/St%20Louis.mp3` → `St Louis.mp3`),
/// or the address when it has none.
fn file_name(src: &str) -> String {
    let name = url::Url::parse(src)
        .ok()
        .and_then(|u| {
            u.path_segments()?
                .rev()
                .find(|s| !s.is_empty())
                .map(str::to_string)
        })
        .map(|s| {
            percent_encoding::percent_decode_str(&s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .filter(|s| !s.trim().is_empty());
    name.unwrap_or_else(|| src.to_string())
}

/// Something quoted from elsewhere (a tweet, another post): its title as a link, its text,
/// and who wrote it. Every part is plain text.
#[derive(Debug, Default)]
pub struct Quote<'a> {
    pub url: &'a str,
    pub title: Option<&'a str>,
    pub text: Option<&'a str>,
    pub byline: Option<&'a str>,
}

impl Quote<'_> {
    /// The quote as a `<blockquote>`; the link only when the address is a web address.
    pub fn html(&self) -> String {
        fn nonempty(s: Option<&str>) -> Option<&str> {
            s.map(str::trim).filter(|s| !s.is_empty())
        }
        let url = self.url.trim();
        let link = |text: &str| {
            if is_web(url) {
                format!("<a href=\"{}\">{}</a>", escape(url), escape(text))
            } else {
                escape(text)
            }
        };
        let mut out = String::from("<blockquote>");
        let title = nonempty(self.title);
        if let Some(title) = title {
            out.push_str(&format!("<p><strong>{}</strong></p>", link(title)));
        }
        if let Some(text) = nonempty(self.text) {
            let text = clean_html(text);
            for paragraph in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
                out.push_str("<p>");
                out.push_str(&escape(paragraph.trim()).replace('\n', "<br>"));
                out.push_str("</p>");
            }
        }
        let byline = nonempty(self.byline).map(|b| format!("— {}", escape(b)));
        let source = (title.is_none() && is_web(url)).then(|| link(url));
        match (byline, source) {
            (Some(b), Some(s)) => out.push_str(&format!("<p>{b}, {s}</p>")),
            (Some(one), None) | (None, Some(one)) => out.push_str(&format!("<p>{one}</p>")),
            (None, None) => {}
        }
        out.push_str("</blockquote>");
        out
    }
}

/// A gallery as its images, one a paragraph, each with its alt text, and the gallery's
/// caption under them. Images without a web address are left out.
pub fn gallery<'a>(
    images: impl Iterator<Item = (&'a str, &'a str)>,
    caption: Option<&str>,
) -> String {
    let mut out = String::from("<figure>");
    for (src, alt) in images.filter(|(src, _)| is_web(src)) {
        out.push_str(&format!(
            "<p><img src=\"{}\" alt=\"{}\"></p>",
            escape(src.trim()),
            escape(alt.trim())
        ));
    }
    if let Some(caption) = caption.map(str::trim).filter(|c| !c.is_empty()) {
        out.push_str(&format!("<figcaption>{}</figcaption>", escape(caption)));
    }
    out.push_str("</figure>");
    out
}

/// A formula: its LaTeX source in a ```` ```latex ```` block, as written.
pub fn math(source: &str) -> String {
    format!(
        "<pre><code class=\"language-latex\">{}</code></pre>",
        escape(source.trim()).replace('>', "&gt;")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_links_name_their_file_and_refuse_other_schemes() {
        assert_eq!(
            media_link(
                "Audio",
                " https://x.example/a/St%20Louis%20Blues.mp3 ",
                None
            )
            .as_deref(),
            Some(
                "<p><a href=\"https://x.example/a/St%20Louis%20Blues.mp3\">Audio: St Louis Blues.mp3</a></p>"
            )
        );
        assert_eq!(media_link("Audio", "javascript:alert(1)", None), None);
        assert_eq!(media_link("Video", "data:video/mp4,AAAA", None), None);
        assert!(
            media_link("Audio", "https://x.example/", Some("<b>Ep 1</b>"))
                .unwrap()
                .contains("&lt;b>Ep 1&lt;/b>")
        );
    }

    #[test]
    fn quotes_escape_their_text_and_link_only_the_web() {
        let html = Quote {
            url: "javascript:alert(1)",
            title: None,
            text: Some("<!--<script>alert(1)</script>\n\nsecond"),
            byline: Some("Eve <@eve>"),
        }
        .html();
        assert!(
            !html.contains("javascript") && !html.contains("<script"),
            "{html}"
        );
        assert!(
            html.contains("<p>&lt;!--&lt;script>alert(1)&lt;/script></p><p>second</p>"),
            "{html}"
        );
        let html = Quote {
            url: "https://twitter.com/a/status/1",
            byline: Some("A (@a)"),
            ..Quote::default()
        }
        .html();
        assert!(
            html.contains("<p>— A (@a), <a href=\"https://twitter.com/a/status/1\">https://twitter.com/a/status/1</a></p>"),
            "{html}"
        );
    }
}
