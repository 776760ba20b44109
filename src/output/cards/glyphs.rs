//! Titles drawn from cached glyphs. usvg lays a title out by shaping it (harfrust) and
//! turning every glyph into an outline (skrifa) for each card; tiny-skia then fills those
//! outlines. Here the same shaper and outlines lay the line out, and each glyph is filled
//! once per size and sub-pixel position into a coverage mask that every later card copies.
//!
//! What differs from drawing the whole SVG: a glyph's position is rounded to 1/`SUBPIXEL`
//! of a pixel, and glyphs that overlap add their coverage (capped at full) where tiny-skia
//! fills their union. Lines this cannot lay out like usvg (see [`plain`]) are left to usvg.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use resvg::tiny_skia;
use skrifa::MetadataProvider;

use super::{FONT, WIDTH};

/// A pixel is divided in this many positions a glyph may start at.
const SUBPIXEL: f32 = 64.0;

/// A line of a title as the card's SVG has it: text, font size and baseline (both pixels);
/// the left edge is the card's margin, [`LEFT`].
pub(super) struct Line {
    pub text: String,
    pub size: f32,
    pub baseline: i32,
}

/// Where every title line starts (the SVG's `x`).
pub(super) const LEFT: f32 = 80.0;

/// One glyph's coverage at one size and sub-pixel position, and where its top-left corner is
/// from the pen (the whole pixel at or left of it, on the baseline).
struct Mask {
    left: i32,
    top: i32,
    width: usize,
    coverage: Vec<u8>,
}

struct Font {
    shaper: harfrust::ShaperData,
    font: harfrust::FontRef<'static>,
    units_per_em: f32,
}

fn font() -> Option<&'static Font> {
    static FONT_DATA: OnceLock<Option<Font>> = OnceLock::new();
    FONT_DATA
        .get_or_init(|| {
            let font = harfrust::FontRef::new(FONT).ok()?;
            let units_per_em = skrifa::FontRef::new(FONT)
                .ok()?
                .metrics(
                    skrifa::instance::Size::unscaled(),
                    skrifa::instance::LocationRef::default(),
                )
                .units_per_em;
            Some(Font {
                shaper: harfrust::ShaperData::new(&font),
                font,
                units_per_em: f32::from(units_per_em),
            })
        })
        .as_ref()
}

/// Masks by glyph, size (its bits) and sub-pixel position, shared by the threads: the same
/// key always makes the same mask, so which thread draws it first does not matter.
type Masks = Mutex<HashMap<(u32, u32, u32), Arc<Mask>>>;

fn masks() -> &'static Masks {
    static MASKS: OnceLock<Masks> = OnceLock::new();
    MASKS.get_or_init(Default::default)
}

/// Characters laid out here as usvg does: Latin letters, digits and the usual punctuation,
/// written left to right without combining marks. Anything else (other scripts, emoji the
/// font lacks, right-to-left text, a soft hyphen) is drawn by usvg.
pub(super) fn plain(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{A1}'..='\u{AC}' | '\u{AE}'..='\u{17F}')
        || matches!(
            c,
            '–' | '—'
                | '‘'
                | '’'
                | '‚'
                | '“'
                | '”'
                | '„'
                | '•'
                | '…'
                | '‹'
                | '›'
                | '€'
                | '™'
        )
}

/// Adds the coverage of `lines` to `band` (rows `rows` of the card, [`WIDTH`] pixels each),
/// or `None` when a line is not [`plain`], lacks a glyph, needs more than one glyph for a
/// character, or reaches the band's first or last row. Returns the rows (of the band) it
/// touched.
pub(super) fn cover(
    lines: &[Line],
    rows: std::ops::Range<usize>,
    band: &mut [u8],
) -> Option<std::ops::Range<usize>> {
    let font = font()?;
    let (mut first, mut end) = (usize::MAX, 0);
    for line in lines {
        // usvg collapses runs of spaces and trims them: lines with any are left to it.
        if line.text.starts_with(' ')
            || line.text.ends_with(' ')
            || line.text.contains("  ")
            || !line.text.chars().all(plain)
        {
            return None;
        }
        let scale = line.size / font.units_per_em;
        let mut buffer = harfrust::UnicodeBuffer::new();
        buffer.push_str(&line.text);
        buffer.set_direction(harfrust::Direction::LeftToRight);
        buffer.guess_segment_properties();
        let shaper = font.shaper.shaper(&font.font).build();
        let shaped = shaper.shape(buffer, harfrust::ShapeOptions::new());
        let mut pen = 0.0f32;
        let mut last_cluster = None;
        for (info, pos) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
            if info.glyph_id == 0
                || pos.x_offset != 0
                || pos.y_offset != 0
                || last_cluster == Some(info.cluster)
            {
                return None;
            }
            last_cluster = Some(info.cluster);
            let x = LEFT + pen;
            pen += pos.x_advance as f32 * scale;
            let mut whole = x.floor();
            let mut step = ((x - whole) * SUBPIXEL).round();
            if step >= SUBPIXEL {
                whole += 1.0;
                step = 0.0;
            }
            let mask = mask(info.glyph_id, line.size, step as u32)?;
            if mask.coverage.is_empty() {
                continue;
            }
            let top = line.baseline + mask.top - rows.start as i32;
            let height = mask.coverage.len() / mask.width;
            if top < 1 || top as usize + height >= rows.len() {
                return None;
            }
            let top = top as usize;
            (first, end) = (first.min(top), end.max(top + height));
            let left = whole as i32 + mask.left;
            // The mask's columns on the card: a line too long runs off its right edge.
            let from = (-left).clamp(0, mask.width as i32) as usize;
            let to = (WIDTH as i32 - left).clamp(from as i32, mask.width as i32) as usize;
            if from == to {
                continue;
            }
            for (r, src) in mask.coverage.chunks_exact(mask.width).enumerate() {
                let at = (top + r) * WIDTH as usize;
                let x = (left + from as i32) as usize;
                let dst = &mut band[at + x..at + x + (to - from)];
                for (px, m) in dst.iter_mut().zip(&src[from..to]) {
                    *px = px.saturating_add(*m);
                }
            }
        }
    }
    Some(first.min(end)..end)
}

/// The mask of glyph `id` at `size` pixels, its pen `step`/`SUBPIXEL` right of a whole
/// pixel: drawn once, then shared.
fn mask(id: u32, size: f32, step: u32) -> Option<Arc<Mask>> {
    let key = (id, size.to_bits(), step);
    if let Some(mask) = masks().lock().ok()?.get(&key) {
        return Some(mask.clone());
    }
    let mask = Arc::new(draw(id, size, step as f32 / SUBPIXEL)?);
    masks().lock().ok()?.insert(key, mask.clone());
    Some(mask)
}

/// Fills glyph `id` as usvg's outline of it (unhinted, in font units, flipped and scaled),
/// anti-aliased and non-zero, as resvg fills a text path.
fn draw(id: u32, size: f32, offset: f32) -> Option<Mask> {
    let outline = skrifa::FontRef::new(FONT)
        .ok()?
        .outline_glyphs()
        .get(skrifa::GlyphId::new(id))?;
    let mut pen = Pen(tiny_skia::PathBuilder::new());
    let settings = skrifa::outline::DrawSettings::unhinted(
        skrifa::instance::Size::unscaled(),
        skrifa::instance::LocationRef::default(),
    );
    outline.draw(settings, &mut pen).ok()?;
    let Some(path) = pen.0.finish() else {
        // A space: no outline.
        return Some(Mask {
            left: 0,
            top: 0,
            width: 1,
            coverage: Vec::new(),
        });
    };
    let scale = size / font()?.units_per_em;
    let path = path.transform(tiny_skia::Transform::from_row(
        scale, 0.0, 0.0, -scale, offset, 0.0,
    ))?;
    let bounds = path.bounds();
    let left = bounds.left().floor() as i32 - 1;
    let top = bounds.top().floor() as i32 - 1;
    let width = (bounds.right().ceil() as i32 + 1 - left).max(1) as u32;
    let height = (bounds.bottom().ceil() as i32 + 1 - top).max(1) as u32;
    let mut mask = tiny_skia::Mask::new(width, height)?;
    mask.fill_path(
        &path,
        tiny_skia::FillRule::Winding,
        true,
        tiny_skia::Transform::from_translate(-(left as f32), -(top as f32)),
    );
    Some(Mask {
        left,
        top,
        width: width as usize,
        coverage: mask.data().to_vec(),
    })
}

struct Pen(tiny_skia::PathBuilder);

impl skrifa::outline::OutlinePen for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.0.quad_to(cx0, cy0, x, y);
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.0.cubic_to(cx0, cy0, cx1, cy1, x, y);
    }
    fn close(&mut self) {
        self.0.close();
    }
}
