//! Email editions of newsletter articles: `email.html` — the theme's `email.html` with its
//! CSS inlined into `style` attributes (css-inline), every URL absolute, every image with a
//! width and alt text — and `email.txt`, plain text with links as numbered references
//! (html2text). Paste or upload either into any mail tool.

use lol_html::{RewriteStrSettings, element, rewrite_str};

use crate::error::{Diagnostic, Result};
use crate::output::feeds::absolutize;

/// Width of the email's content column, in pixels: images get it as their `width`.
pub const CONTENT_WIDTH: u32 = 560;

/// The two files of an email edition.
pub struct Edition {
    pub html: String,
    pub text: String,
}

/// How much stack the email tools get. css-inline and html2text walk the document
/// recursively; a body's Markdown and HTML nest at most 64 levels (`MAX_NESTING`, which
/// also keeps html5ever's work per tag small), but blocks nest bodies in bodies and a
/// theme's templates add their own levels, so they run on a thread of their own with room
/// for deep documents (the memory is only reserved).
const EMAIL_STACK: usize = 512 << 20;

/// Turns the rendered `email.html` template into an edition. `page_url` is the article's
/// permalink, `base` the site's base URL; `shown` names the article in errors.
pub fn edition(rendered: &str, page_url: &str, base: &str, shown: &str) -> Result<Edition> {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("kring-email".into())
            .stack_size(EMAIL_STACK)
            .spawn_scoped(scope, || make_edition(rendered, page_url, base, shown))
            .map_err(|e| Diagnostic::new(shown, format!("cannot start the email tools: {e}")))?;
        worker.join().unwrap_or_else(|panic| {
            Err(Diagnostic::new(
                shown,
                format!(
                    "the email edition could not be made: {}",
                    crate::error::panic_message(panic.as_ref())
                ),
            )
            .into())
        })
    })
}

fn make_edition(rendered: &str, page_url: &str, base: &str, shown: &str) -> Result<Edition> {
    let inliner = css_inline::CSSInliner::options()
        .load_remote_stylesheets(false)
        .keep_style_tags(false)
        .build();
    let inlined = inliner.inline(rendered).map_err(|e| {
        Diagnostic::new(
            shown,
            format!("the email edition's CSS could not be inlined: {e}"),
        )
    })?;
    let absolute = absolutize(&inlined, page_url, base);
    let html = email_safe_images(&absolute);
    // Links are never broken across lines: a wrapped address does not open.
    let text = html2text::config::plain()
        .no_link_wrapping()
        .string_from_read(without_hidden(&html).as_bytes(), 78)
        .map_err(|e| {
            Diagnostic::new(
                shown,
                format!("the plain-text edition could not be made: {e}"),
            )
        })?;
    Ok(Edition {
        html,
        text: tidy_text(&text),
    })
}

/// The HTML minus what a reader of the plain text never sees: the hidden preheader.
fn without_hidden(html: &str) -> String {
    let settings =
        RewriteStrSettings::new().append_element_content_handler(element!("[style]", |el| {
            let style = el
                .get_attribute("style")
                .unwrap_or_default()
                .replace(' ', "");
            if style.contains("display:none") {
                el.remove();
            }
            Ok(())
        }));
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

/// Mail clients need an explicit width (many ignore CSS on images) and an `alt`; heading
/// anchors (`#`) lead nowhere in a mailbox.
fn email_safe_images(html: &str) -> String {
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("a.heading-anchor", |el| {
            el.remove();
            Ok(())
        }))
        .append_element_content_handler(element!("img", |el| {
            if el.get_attribute("alt").is_none() {
                el.set_attribute("alt", "")?;
            }
            // At most the column's width, height in proportion: clients that ignore CSS
            // (Outlook) show an image at its `width`.
            let number = |name: &str| el.get_attribute(name).and_then(|v| v.parse::<u32>().ok());
            match (number("width"), number("height")) {
                (Some(w), _) if w > 0 && w <= CONTENT_WIDTH => {}
                (Some(w), Some(h)) if w > 0 => {
                    let h = (u64::from(h) * u64::from(CONTENT_WIDTH) / u64::from(w)).max(1);
                    el.set_attribute("width", &CONTENT_WIDTH.to_string())?;
                    el.set_attribute("height", &h.to_string())?;
                }
                _ => {
                    el.set_attribute("width", &CONTENT_WIDTH.to_string())?;
                    el.remove_attribute("height");
                }
            }
            let style = el.get_attribute("style").unwrap_or_default();
            if !style.contains("max-width") {
                let sep = if style.is_empty() || style.trim_end().ends_with(';') {
                    ""
                } else {
                    ";"
                };
                el.set_attribute("style", &format!("{style}{sep}max-width:100%;height:auto"))?;
            }
            Ok(())
        }));
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

/// Trailing spaces off, no runs of more than one blank line.
fn tidy_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_start_matches('\n').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inlines_css_and_fixes_images_and_links() {
        let html = r#"<!doctype html><html><head><style>p { color: #123456 }</style></head><body><p>Hi <a href="/about/">about</a></p><img src="pic.png"></body></html>"#;
        let e = edition(
            html,
            "https://s.org/articles/x/",
            "https://s.org/",
            "email.html",
        )
        .unwrap();
        assert!(!e.html.contains("<style"), "{}", e.html);
        assert!(e.html.contains(r#"style="color: #123456;""#), "{}", e.html);
        assert!(e.html.contains(r#"href="https://s.org/about/""#));
        // The site's photo in its email size (see `routes::email_photo`).
        assert!(
            e.html
                .contains(r#"src="https://s.org/articles/x/pic.w1200.png""#)
        );
        assert!(e.html.contains(r#"alt="""#) && e.html.contains(r#"width="560""#));
        assert!(e.text.contains("Hi") && !e.text.contains('<'), "{}", e.text);
        assert!(
            e.text.contains("https://s.org/about/"),
            "links are kept as references: {}",
            e.text
        );
    }
}
