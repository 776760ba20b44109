//! Social cards: the picture chat apps and social sites show when someone shares a link
//! (`og:image`). A page without an image of its own (or with an SVG, which they do not
//! show) gets one drawn by kring — 1200 × 630 PNG, its title, the site's name, the accent
//! colour — and the site gets one for its other pages. The font (Inter Bold, SIL Open Font
//! License, Latin subset) is built into kring and no system font is read, so a card looks
//! the same on every machine. Cards are cached like photos.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::images::ImageCache;
use super::write::Sink;
use crate::error::{Diagnostic, Error, Result};
use crate::model::Site;
use crate::model::routes::{SOCIAL_CARD, social_card_file};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
const FONT: &[u8] = include_bytes!("../../assets/fonts/Inter-Bold-latin.otf");
/// Bumped when the drawing changes, so older cached cards are not reused.
const DRAWING: &str = "card-v1";
/// The theme's accent, when `[extra] accent` is not a `#rrggbb` colour.
const ACCENT: &str = "#0b6e4f";

/// Writes the cards of `pages` (those that get one) and, with `site_card`, the site's.
pub fn write_cards(
    site: &Site,
    pages: &[usize],
    site_card: bool,
    cache: &ImageCache,
    out: &dyn Sink,
) -> Result<usize> {
    use rayon::prelude::*;
    let site_name = &site.config.title;
    let mut cards: Vec<(String, &str, &str)> = pages
        .iter()
        .filter_map(|&i| {
            social_card_file(site, i)
                .map(|file| (file, site.pages[i].title.as_str(), site_name.as_str()))
        })
        .collect();
    if site_card && site.config.images.social_cards {
        cards.push((
            SOCIAL_CARD.to_string(),
            site_name,
            site.config.description.as_str(),
        ));
    }
    let accent = accent(site);
    cards
        .par_iter()
        .map(|(file, title, footer)| {
            let svg = svg(title, footer, &accent);
            let png = cache
                .get_or_make(
                    &[DRAWING.as_bytes(), svg.as_bytes()],
                    "png",
                    &format!("the social card /{file}"),
                    || png(&svg),
                )
                .map_err(|why| {
                    Error::from(Diagnostic::new(
                        "kring.toml",
                        format!("the social card {file} could not be drawn: {why}"),
                    ))
                })?;
            out.write(file, &png)
        })
        .collect::<Result<()>>()?;
    Ok(cards.len())
}

/// `[extra] accent` when it is a `#rrggbb` colour, else the theme's.
fn accent(site: &Site) -> String {
    site.config
        .extra
        .get("accent")
        .and_then(|v| v.as_str())
        .filter(|c| {
            c.len() == 7 && c.starts_with('#') && c[1..].bytes().all(|b| b.is_ascii_hexdigit())
        })
        .unwrap_or(ACCENT)
        .to_string()
}

/// The card as SVG: the title in up to four lines on the accent colour, `footer` (the
/// site's name) below.
pub fn svg(title: &str, footer: &str, accent: &str) -> String {
    let lines = wrap(title, 26, 4);
    let size = if lines.len() > 3 { 64 } else { 72 };
    let mut text = String::new();
    for (n, line) in lines.iter().enumerate() {
        text.push_str(&format!(
            "<text x=\"80\" y=\"{}\" font-size=\"{size}\">{}</text>",
            150 + n * (size as usize + 16),
            escape(line)
        ));
    }
    let footer = wrap(footer, 44, 1).into_iter().next().unwrap_or_default();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\">\
         <rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{accent}\"/>\
         <rect x=\"80\" y=\"500\" width=\"120\" height=\"8\" rx=\"4\" fill=\"#ffffff\" fill-opacity=\"0.7\"/>\
         <g font-family=\"Inter\" font-weight=\"700\" fill=\"#ffffff\">{text}\
         <text x=\"80\" y=\"565\" font-size=\"34\" fill-opacity=\"0.85\">{}</text></g></svg>",
        escape(&footer)
    )
}

/// `text` in lines of at most `width` characters, broken between words (a word longer than
/// a line is cut), at most `max` lines: the last ends in `…` when text is left over.
fn wrap(text: &str, width: usize, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let words = text.split_whitespace().flat_map(|w| {
        let chars: Vec<char> = w.chars().collect();
        chars
            .chunks(width)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
    });
    let mut left_over = false;
    for word in words {
        if lines.len() == max {
            left_over = true;
            break;
        }
        let fits =
            line.chars().count() + usize::from(!line.is_empty()) + word.chars().count() <= width;
        if !fits && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            if lines.len() == max {
                left_over = true;
                break;
            }
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() && lines.len() < max {
        lines.push(line);
    }
    if left_over && let Some(last) = lines.last_mut() {
        while last.chars().count() + 1 > width {
            last.pop();
        }
        last.push('…');
    }
    lines
}

/// Text for the SVG: XML-escaped, without the control characters XML does not allow.
fn escape(s: &str) -> String {
    let text: String = s.chars().filter(|c| !c.is_control()).collect();
    crate::text::escape_xml(&text)
}

/// The fonts cards are drawn with: Inter Bold only, never the machine's.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_font_data(FONT.to_vec());
            Arc::new(db)
        })
        .clone()
}

/// Draws `svg` as a PNG of [`WIDTH`] × [`HEIGHT`].
pub fn png(svg: &str) -> std::result::Result<Vec<u8>, String> {
    let options = usvg::Options {
        font_family: "Inter".into(),
        fontdb: fonts(),
        // Nothing outside the SVG is read: no files, no images.
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| e.to_string())?;
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("no memory for the card")?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_wrap_between_words_and_end_in_an_ellipsis() {
        assert_eq!(wrap("A short title", 26, 4), vec!["A short title"]);
        assert_eq!(
            wrap(
                "Writing a newsletter people reply to, and why it matters",
                26,
                4
            ),
            vec![
                "Writing a newsletter",
                "people reply to, and why",
                "it matters"
            ]
        );
        let long = wrap(&"word ".repeat(100), 26, 4);
        assert_eq!(long.len(), 4);
        assert!(long[3].ends_with('…') && long[3].chars().count() <= 26);
        // A word longer than a line is cut, not left to run off the card.
        let w = wrap(&"x".repeat(60), 26, 4);
        assert!(w.iter().all(|l| l.chars().count() <= 26), "{w:?}");
        assert!(wrap("", 26, 4).is_empty());
    }

    #[test]
    fn hostile_titles_stay_text() {
        for title in [
            "</text><image href=\"file:///etc/passwd\"/><text>",
            "a & b < c > d \" e",
            "\u{0}\u{1b}[31mred\r\nline",
            "🎉 Émoji and accents ĳ ß — “quotes”",
        ] {
            let svg = svg(title, "Site & <Co>", "#0b6e4f");
            assert!(!svg.contains("<image"), "{svg}");
            let png = png(&svg).unwrap_or_else(|e| panic!("{title}: {e}"));
            assert!(png.starts_with(b"\x89PNG"));
        }
    }
}
