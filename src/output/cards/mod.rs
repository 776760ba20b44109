//! Social cards: the picture chat apps and social sites show when someone shares a link
//! (`og:image`). A page without an image of its own (or with an SVG, which they do not
//! show) gets one drawn by kring — 1200 × 630 PNG, its title, the site's name, the accent
//! colour — and the site gets one for its other pages. The font (Inter Bold, SIL Open Font
//! License, Latin subset) is built into kring and no system font is read, so a card looks
//! the same on every machine. Cards are cached like photos.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

mod encode;
mod glyphs;

use encode::{Steps, encode, indexed};

use super::images::ImageCache;
use super::write::Sink;
use crate::error::{Diagnostic, Error, Result};
use crate::model::Site;
use crate::model::routes::{SOCIAL_CARD, social_card_file};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
const FONT: &[u8] = include_bytes!("../../../assets/fonts/Inter-Bold-latin.otf");
/// Bumped when the drawing changes, so older cached cards are not reused.
const DRAWING: &str = "card-v3";
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
    // The parts every card with one footer shares, drawn when the first is needed.
    let backdrops: std::collections::HashMap<&str, OnceLock<Option<Backdrop>>> = cards
        .iter()
        .map(|(_, _, f)| (*f, OnceLock::new()))
        .collect();
    cards
        .par_iter()
        .map(|(file, title, footer)| {
            let svg = svg(title, footer, &accent);
            cache
                .get_or_make(
                    &[DRAWING.as_bytes(), svg.as_bytes()],
                    "png",
                    &format!("the social card /{file}"),
                    || {
                        let backdrop =
                            backdrops[footer].get_or_init(|| Backdrop::new(footer, &accent).ok());
                        match backdrop {
                            Some(backdrop) => backdrop.png(title),
                            None => png(&svg),
                        }
                    },
                )
                .map_err(|why| {
                    Error::from(Diagnostic::new(
                        "kring.toml",
                        format!("the social card {file} could not be drawn: {why}"),
                    ))
                })?
                .publish(out, file)
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
/// site's name) below. What a card is cached by; it is drawn in two parts (see
/// `Backdrop`): `backdrop_svg` without the title, then `title_svg` over it.
pub fn svg(title: &str, footer: &str, accent: &str) -> String {
    let (open, close) = backdrop_parts(footer, accent);
    format!("{open}{}{close}", title_text(title))
}

/// The card without its title: the background, the bar and the footer.
fn backdrop_svg(footer: &str, accent: &str) -> String {
    let (open, close) = backdrop_parts(footer, accent);
    format!("{open}{close}")
}

/// The title alone, in the card's group, on nothing.
fn title_svg(title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\">\
         <g font-family=\"Inter\" font-weight=\"700\" fill=\"#ffffff\">{}</g></svg>",
        title_text(title)
    )
}

/// The card's SVG before and after the title's `<text>` elements.
fn backdrop_parts(footer: &str, accent: &str) -> (String, String) {
    let footer = wrap(footer, 44, 1).into_iter().next().unwrap_or_default();
    (
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" viewBox=\"0 0 {WIDTH} {HEIGHT}\">\
             <rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"{accent}\"/>\
             <rect x=\"80\" y=\"500\" width=\"120\" height=\"8\" rx=\"4\" fill=\"#ffffff\" fill-opacity=\"0.7\"/>\
             <g font-family=\"Inter\" font-weight=\"700\" fill=\"#ffffff\">"
        ),
        format!(
            "<text x=\"80\" y=\"565\" font-size=\"34\" fill-opacity=\"0.85\">{}</text></g></svg>",
            escape(&footer)
        ),
    )
}

/// The title's `<text>` elements: up to four lines, smaller when there are four.
fn title_text(title: &str) -> String {
    let (lines, size) = title_lines(title);
    let mut text = String::new();
    for (n, line) in lines.iter().enumerate() {
        text.push_str(&format!(
            "<text x=\"80\" y=\"{}\" font-size=\"{size}\">{}</text>",
            baseline(n, size),
            escape(line)
        ));
    }
    text
}

/// The title's lines and their font size.
fn title_lines(title: &str) -> (Vec<String>, usize) {
    let lines = wrap(title, 26, 4);
    let size = if lines.len() > 3 { 64 } else { 72 };
    (lines, size)
}

/// The baseline of line `n` (from 0) of a title in `size` pixels.
fn baseline(n: usize, size: usize) -> usize {
    150 + n * (size + 16)
}

/// The rows a title may cover when it is drawn from cached glyphs (see [`Fast`]): from above
/// the tallest accent on the first line to below the descenders of a fourth, clear of the
/// bar (row 500).
const BAND: std::ops::Range<usize> = 40..470;

/// What every card of a site with one footer shares, drawn once: the background, the bar
/// and the footer, as pixels and in palette form. A card is its title drawn over it (the
/// title does not reach the bar or the footer, so the pixels are those of drawing the whole
/// card at once). Each thread draws on its own copy (see [`Canvas`]), and only the band of
/// rows the title covers is drawn, turned into the palette and put back afterwards: copying
/// the whole backdrop for every card was a fifth of a cold build.
struct Backdrop {
    /// Tells the copies of different backdrops apart (a thread may hold an older one).
    id: u64,
    pixmap: tiny_skia::Pixmap,
    /// The palette and each pixel's entry, when the backdrop has that form.
    indexed: Option<(Vec<u8>, Vec<u8>)>,
    /// How its cards are drawn without usvg, when they can be.
    fast: Option<Fast>,
}

/// A backdrop's cards drawn from cached glyphs ([`glyphs`]): the title's coverage in
/// [`BAND`] (where the backdrop is its background alone) becomes palette entries through
/// one table, and only the band is encoded again ([`encode::Rows`]).
struct Fast {
    /// The palette entry of each coverage of white over the background, as tiny-skia
    /// blends it.
    table: [u8; 256],
    /// The table maps each coverage to itself: the coverage is the entries.
    identity: bool,
    rows: encode::Rows,
}

impl Fast {
    fn new(background: [u8; 4], palette: &[u8], entries: &[u8]) -> Option<Fast> {
        let rows = encode::Rows::new(palette.to_vec(), entries, BAND)?;
        let steps = Steps::of([palette[0], palette[1], palette[2]])?;
        // tiny-skia fills an opaque colour `s` over `d` with coverage `c` (lowp pipeline) as
        // `(d × (255 − c) + s × c) / 255`, the division being `(v + 255) >> 8`.
        let lerp = |d: u8, c: u32| ((u32::from(d) * (255 - c) + 255 * c + 255) >> 8) as u8;
        let mut table = [0; 256];
        for (c, entry) in table.iter_mut().enumerate() {
            let px = background.map(|d| lerp(d, c as u32));
            *entry = steps.entry(&px)?;
        }
        (table[0] == entries[0]).then(|| Fast {
            table,
            identity: (0..=255).eq(table.iter().copied()),
            rows,
        })
    }

    /// The card of `title` as a PNG, or `None` when its title is left to usvg.
    fn png(&self, title: &str) -> Option<std::result::Result<Vec<u8>, String>> {
        let (lines, size) = title_lines(title);
        let lines: Vec<glyphs::Line> = lines
            .iter()
            .enumerate()
            .map(|(n, line)| glyphs::Line {
                text: line.chars().filter(|c| !c.is_control()).collect(),
                size: size as f32,
                baseline: baseline(n, size) as i32,
            })
            .collect();
        SCRATCH.with_borrow_mut(|scratch| {
            scratch.coverage.resize(BAND.len() * WIDTH as usize, 0);
            let touched = glyphs::cover(&lines, BAND, &mut scratch.coverage);
            let table = (!self.identity).then_some(&self.table);
            let png = touched.clone().and_then(|touched| {
                self.rows
                    .png(&scratch.coverage, touched, table, &mut scratch.filtered)
            });
            // Back to nothing drawn for the next card.
            let rows = touched.unwrap_or(0..BAND.len());
            let width = WIDTH as usize;
            scratch.coverage[rows.start.min(rows.end) * width..rows.end * width].fill(0);
            png
        })
    }
}

/// A thread's buffers for [`Fast`] cards: between two cards, the coverage is all 0.
#[derive(Default)]
struct Scratch {
    coverage: Vec<u8>,
    filtered: Vec<u8>,
}

/// A thread's copy of a backdrop's pixels and palette entries: equal to the backdrop's
/// between two cards.
struct Canvas {
    id: u64,
    rgba: Vec<u8>,
    entries: Vec<u8>,
}

thread_local! {
    static CANVAS: std::cell::RefCell<Option<Canvas>> = const { std::cell::RefCell::new(None) };
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

impl Backdrop {
    fn new(footer: &str, accent: &str) -> std::result::Result<Backdrop, String> {
        static IDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let pixmap = draw(&backdrop_svg(footer, accent))?;
        let indexed = indexed(pixmap.data());
        let fast = indexed.as_ref().and_then(|(palette, entries)| {
            let d = pixmap.data();
            Fast::new([d[0], d[1], d[2], d[3]], palette, entries)
        });
        Ok(Backdrop {
            id: IDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            pixmap,
            indexed,
            fast,
        })
    }

    /// The card of `title` as a PNG: drawn from cached glyphs when it can be
    /// ([`Fast`]), else what [`png`] makes of the whole card's SVG.
    fn png(&self, title: &str) -> std::result::Result<Vec<u8>, String> {
        if let Some(png) = self.fast.as_ref().and_then(|fast| fast.png(title)) {
            return png;
        }
        self.drawn(title)
    }

    /// The card of `title` drawn by resvg over the backdrop.
    fn drawn(&self, title: &str) -> std::result::Result<Vec<u8>, String> {
        let tree =
            usvg::Tree::from_str(&title_svg(title), &options()).map_err(|e| e.to_string())?;
        let row = WIDTH as usize * 4;
        // The rows the title covers, and two more each side for anti-aliasing. Drawing is
        // clipped to them, so no pixel outside can change (the tests compare with the
        // whole drawing).
        let bounds = tree.root().abs_stroke_bounding_box();
        let top = (bounds.top().floor() as i64 - 2).clamp(0, i64::from(HEIGHT)) as usize;
        let bottom = (bounds.bottom().ceil() as i64 + 2).clamp(top as i64, i64::from(HEIGHT));
        let band = top..bottom as usize;
        CANVAS.with_borrow_mut(|slot| {
            let canvas = match slot {
                Some(c) if c.id == self.id => c,
                _ => slot.insert(Canvas {
                    id: self.id,
                    rgba: self.pixmap.data().to_vec(),
                    entries: self
                        .indexed
                        .as_ref()
                        .map(|(_, e)| e.clone())
                        .unwrap_or_default(),
                }),
            };
            let rows = band.start * row..band.end * row;
            if !band.is_empty() {
                let mut part = tiny_skia::PixmapMut::from_bytes(
                    &mut canvas.rgba[rows.clone()],
                    WIDTH,
                    band.len() as u32,
                )
                .ok_or("no room for the card's title")?;
                let shift = tiny_skia::Transform::from_translate(0.0, -(band.start as f32));
                resvg::render(&tree, shift, &mut part);
            }
            let under = self.pixmap.data();
            let result = match &self.indexed {
                Some((palette, entries)) if band.start > 0 => {
                    let pixels = band.start * WIDTH as usize..band.end * WIDTH as usize;
                    let mapped = map_rows(
                        &canvas.rgba[rows.clone()],
                        &under[rows.clone()],
                        &mut canvas.entries[pixels.clone()],
                        palette,
                    );
                    let png = if mapped {
                        encode(
                            &canvas.entries,
                            png::ColorType::Indexed,
                            Some(palette.clone()),
                        )
                    } else {
                        encode(&canvas.rgba, png::ColorType::Rgba, None)
                    };
                    canvas.entries[pixels.clone()].copy_from_slice(&entries[pixels]);
                    png
                }
                // The top-left pixel sets the palette: a title over it is mapped whole.
                _ => match indexed(&canvas.rgba) {
                    Some((palette, pixels)) => {
                        encode(&pixels, png::ColorType::Indexed, Some(palette))
                    }
                    None => encode(&canvas.rgba, png::ColorType::Rgba, None),
                },
            };
            canvas.rgba[rows.clone()].copy_from_slice(&under[rows]);
            result
        })
    }
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
    let pixmap = draw(svg)?;
    match indexed(pixmap.data()) {
        Some((palette, pixels)) => encode(&pixels, png::ColorType::Indexed, Some(palette)),
        None => encode(pixmap.data(), png::ColorType::Rgba, None),
    }
}

/// How cards are read: the built-in font only; nothing outside the SVG (no files, no images).
fn options() -> usvg::Options<'static> {
    usvg::Options {
        font_family: "Inter".into(),
        fontdb: fonts(),
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    }
}

fn draw(svg: &str) -> std::result::Result<tiny_skia::Pixmap, String> {
    let tree = usvg::Tree::from_str(svg, &options()).map_err(|e| e.to_string())?;
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("no memory for the card")?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    Ok(pixmap)
}

/// Turns `rgba`, rows of a card whose backdrop had the pixels `under` there, into palette
/// entries in `entries` (which hold the backdrop's): only pixels the title changed are
/// looked at. `false` when one is off the palette's line (the card is then kept in RGBA).
/// The palette is the backdrop's: the band must not hold the top-left pixel that set it.
fn map_rows(rgba: &[u8], under: &[u8], entries: &mut [u8], palette: &[u8]) -> bool {
    let Some(steps) = Steps::of([palette[0], palette[1], palette[2]]) else {
        return false;
    };
    let row = WIDTH as usize * 4;
    for (y, (now, before)) in rgba
        .chunks_exact(row)
        .zip(under.chunks_exact(row))
        .enumerate()
    {
        if now == before {
            continue;
        }
        let at = y * WIDTH as usize;
        for (x, (px, old)) in now.chunks_exact(4).zip(before.chunks_exact(4)).enumerate() {
            if px != old {
                match steps.entry(px) {
                    Some(k) => entries[at + x] = k,
                    None => return false,
                }
            }
        }
    }
    true
}

#[cfg(test)]
mod tests;
