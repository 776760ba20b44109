//! The files kring makes from a photo, and their names: the published photo, its email
//! size, the WebP widths of a photo in a column of text, and the 1× and 2× sizes of a
//! photo in a slot of the theme (an avatar, a card, a cover). Every name is decided here,
//! beside the photo: `meetup.jpg` → `meetup.w960.webp`, `noor.jpg` → `noor.96x96.webp`.

use super::routes::email_photo;
use crate::content::photo::{MAX_WIDTH, published_size};

/// The encodings kring writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
}

impl Format {
    /// The format of a photo's file, by its extension.
    pub fn of(rel: &str) -> Option<Format> {
        let ext = rel.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::WebP),
            _ => None,
        }
    }

    /// The format a browser without WebP, or a mail client, is sent instead of `self`.
    fn without_webp(self) -> Format {
        match self {
            Format::WebP => Format::Png,
            other => other,
        }
    }

    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
        }
    }
}

/// One file made from a photo.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Variant {
    /// Where it is written (an output path).
    pub file: String,
    /// The output path of the photo it is made from (`articles/x/cover.jpg`).
    pub source: String,
    pub width: u32,
    pub height: u32,
    /// Cut to `width` × `height` from the middle of the photo, rather than scaled whole.
    pub crop: bool,
    pub format: Format,
}

/// The widths of WebP files of a photo shown across a column of text (Markdown images):
/// a phone's column, a desktop's, and twice that for sharp screens.
pub const FLUID_WIDTHS: [u32; 3] = [480, 960, 1440];

/// What `sizes` says of a Markdown image: as wide as the default theme's text column
/// (42rem) or the screen.
pub const FLUID_SIZES: &str = "(min-width: 45rem) 42rem, 100vw";

/// The photo at `source`, `width` × `height` (upright) as published under its own name:
/// at most [`MAX_WIDTH`] wide, in its own format.
pub fn published(source: &str, (width, height): (u32, u32)) -> Variant {
    let (w, h) = published_size(width, height);
    Variant {
        file: source.to_string(),
        source: source.to_string(),
        width: w,
        height: h,
        crop: false,
        format: Format::of(source).unwrap_or(Format::Jpeg),
    }
}

/// Its size for email editions and feeds: at most 1200 wide, JPEG or PNG.
pub fn email(source: &str, size: (u32, u32)) -> Variant {
    let (w, h) = scaled(size, super::routes::EMAIL_PHOTO_WIDTH);
    Variant {
        file: email_photo(source),
        source: source.to_string(),
        width: w,
        height: h,
        crop: false,
        format: Format::of(source).unwrap_or(Format::Jpeg).without_webp(),
    }
}

/// Its WebP files for a column of text: [`FLUID_WIDTHS`] up to its own width, and its own
/// width when that lies between them.
pub fn fluid(source: &str, size: (u32, u32)) -> Vec<Variant> {
    let (own, _) = published_size(size.0, size.1);
    let mut widths: Vec<u32> = FLUID_WIDTHS.iter().copied().filter(|&w| w < own).collect();
    if widths
        .last()
        .is_none_or(|&w| w < FLUID_WIDTHS[FLUID_WIDTHS.len() - 1])
    {
        widths.push(own.min(FLUID_WIDTHS[FLUID_WIDTHS.len() - 1]));
    }
    widths
        .into_iter()
        .map(|w| fit(source, size, w, Format::WebP))
        .collect()
}

/// A photo in a slot of a page `width` CSS pixels wide (and `height` high, cut to it with
/// `crop`): the size the page gives it, its WebP files, and one file in its own format for
/// browsers that show no WebP.
pub struct Slot {
    pub width: u32,
    pub height: u32,
    /// Half (for phones, when that is still 160 or more), 1× and 2× the slot, never wider
    /// than the photo.
    pub webp: Vec<Variant>,
    /// The 1× size in the photo's own format (PNG for a WebP).
    pub fallback: Variant,
}

pub fn slot(source: &str, size: (u32, u32), width: u32, height: Option<u32>, crop: bool) -> Slot {
    let (own_w, own_h) = published_size(size.0, size.1);
    let mut width = width.clamp(1, MAX_WIDTH);
    // Scaled whole into a box: as wide as the box's height allows.
    if let (Some(h), false) = (height, crop) {
        let fits = u64::from(h.max(1)) * u64::from(own_w) / u64::from(own_h);
        width = width.min(fits.max(1) as u32);
    }
    // The slot's shape: the photo's own, or the one asked for when cut to it.
    let (aspect_w, aspect_h) = match height {
        Some(h) if crop => (width, h.max(1)),
        _ => (own_w, own_h),
    };
    let height_at = |w: u32| {
        (u64::from(w) * u64::from(aspect_h))
            .div_ceil(u64::from(aspect_w))
            .max(1) as u32
    };
    // The largest size of that shape the photo holds.
    let most = if u64::from(own_w) * u64::from(aspect_h) <= u64::from(own_h) * u64::from(aspect_w) {
        own_w
    } else {
        (u64::from(own_h) * u64::from(aspect_w) / u64::from(aspect_h)).max(1) as u32
    };
    let make = |w: u32, format: Format| {
        let w = w.min(most);
        let h = height_at(w);
        Variant {
            file: name(source, w, h, crop, format),
            source: source.to_string(),
            width: w,
            height: h,
            crop,
            format,
        }
    };
    let mut widths = Vec::new();
    if width / 2 >= 160 {
        widths.push(width / 2);
    }
    widths.extend([width, width * 2]);
    let mut webp: Vec<Variant> = widths.into_iter().map(|w| make(w, Format::WebP)).collect();
    webp.dedup_by_key(|v| v.width);
    let own = Format::of(source).unwrap_or(Format::Jpeg).without_webp();
    Slot {
        width,
        height: height_at(width),
        webp,
        fallback: make(width, own),
    }
}

/// The photo scaled whole to `width` (never wider than it is published).
fn fit(source: &str, size: (u32, u32), width: u32, format: Format) -> Variant {
    let (w, h) = scaled(size, width);
    Variant {
        file: name(source, w, h, false, format),
        source: source.to_string(),
        width: w,
        height: h,
        crop: false,
        format,
    }
}

/// `size` (upright) scaled to at most `width` wide, and never beyond its published size.
fn scaled(size: (u32, u32), width: u32) -> (u32, u32) {
    let (w, h) = published_size(size.0, size.1);
    if w <= width {
        return (w, h);
    }
    let height = (u64::from(h) * u64::from(width)).div_ceil(u64::from(w));
    (width, height.max(1) as u32)
}

/// `cover.jpg` → `cover.w480.webp` (scaled whole) or `cover.96x96.webp` (cut).
fn name(source: &str, w: u32, h: u32, crop: bool, format: Format) -> String {
    let stem = source.rsplit_once('.').map_or(source, |(stem, _)| stem);
    let ext = format.ext();
    if crop {
        format!("{stem}.{w}x{h}.{ext}")
    } else {
        format!("{stem}.w{w}.{ext}")
    }
}

/// A `srcset` of `variants`, each at `url(file)`: `a.w480.webp 480w, a.w960.webp 960w`.
pub fn srcset(variants: &[Variant], url: impl Fn(&str) -> String) -> String {
    variants
        .iter()
        .map(|v| format!("{} {}w", url(&v.file), v.width))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widths(v: &[Variant]) -> Vec<(u32, u32)> {
        v.iter().map(|v| (v.width, v.height)).collect()
    }

    #[test]
    fn column_photos_get_webp_widths_up_to_their_own() {
        let v = fluid("a/p.jpg", (4000, 3000));
        assert_eq!(widths(&v), [(480, 360), (960, 720), (1440, 1080)]);
        assert_eq!(v[0].file, "a/p.w480.webp");
        assert!(v.iter().all(|v| v.format == Format::WebP && !v.crop));
        assert_eq!(widths(&fluid("p.png", (700, 100))), [(480, 69), (700, 100)]);
        assert_eq!(widths(&fluid("p.png", (300, 300))), [(300, 300)]);
        assert_eq!(widths(&fluid("p.png", (960, 10))), [(480, 5), (960, 10)]);
        // Upright sizes past the published width are scaled as published.
        assert_eq!(widths(&fluid("p.jpg", (1000, 5000)))[1], (960, 4800));
    }

    #[test]
    fn slots_get_one_and_two_times_their_size_and_a_fallback() {
        let s = slot("m/noor.jpg", (1200, 1600), 48, Some(48), true);
        assert_eq!((s.width, s.height), (48, 48));
        assert_eq!(widths(&s.webp), [(48, 48), (96, 96)]);
        assert_eq!(s.webp[1].file, "m/noor.96x96.webp");
        assert_eq!(s.fallback.file, "m/noor.48x48.jpg");
        // A fluid slot gets half its width too; the photo's own shape when not cut.
        let s = slot("c.webp", (4000, 2000), 960, None, false);
        assert_eq!(widths(&s.webp), [(480, 240), (960, 480), (1920, 960)]);
        assert_eq!(s.fallback.file, "c.w960.png");
        // Never wider than the photo: a small photo gives what it has, once.
        let s = slot("small.png", (100, 50), 300, Some(300), true);
        assert_eq!(widths(&s.webp), [(50, 50)]);
        assert_eq!((s.width, s.height), (300, 300));
        // Scaled whole into a box: the box's height bounds the width.
        let s = slot("logo.png", (400, 100), 200, Some(32), false);
        assert_eq!((s.width, s.height), (128, 32));
    }

    #[test]
    fn names_sit_beside_the_photo() {
        assert_eq!(email("x/a.webp", (3000, 1500)).file, "x/a.w1200.png");
        assert_eq!(published("x/a.JPG", (3000, 1500)).width, 2400);
        assert_eq!(
            name("a.b/c.d.jpeg", 10, 20, true, Format::WebP),
            "a.b/c.d.10x20.webp"
        );
        let v = fluid("p.jpg", (500, 500));
        assert_eq!(
            srcset(&v, |f| format!("/{f}")),
            "/p.w480.webp 480w, /p.w500.webp 500w"
        );
    }
}
