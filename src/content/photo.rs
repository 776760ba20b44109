//! Reading photos (JPEG, PNG, WebP): which files are photos, their upright size from the
//! header, and a decoder that refuses what would not fit in memory. The Markdown renderer
//! uses the sizes for `width` and `height`; `output::images` publishes the photos.

use std::io::{BufRead, BufReader, Seek};
use std::path::Path;

use image::{ImageDecoder, ImageFormat, ImageReader, Limits};

/// The widest image kring writes: twice a full-width column of 1200 CSS pixels.
pub const MAX_WIDTH: u32 = 2400;
/// Larger sides are refused before decoding: a "decompression bomb" is a small file that
/// claims to be enormous.
const MAX_SIDE: u32 = 16_384;
/// At most this much memory for one decoded image.
const MAX_DECODED: u64 = 256 << 20;
/// Whether kring processes a file with this name (by extension).
pub fn is_photo(name: &str) -> bool {
    format_of(name).is_some()
}

/// Whether a file with this name is an image kring shows as it is (GIF, SVG).
pub fn is_passthrough(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.ends_with(".gif") || name.ends_with(".svg")
}

pub fn format_of(name: &str) -> Option<ImageFormat> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" => Some(ImageFormat::Jpeg),
        "png" => Some(ImageFormat::Png),
        "webp" => Some(ImageFormat::WebP),
        _ => None,
    }
}

/// The size an image of `width` × `height` (upright) is published at.
pub fn published_size(width: u32, height: u32) -> (u32, u32) {
    if width <= MAX_WIDTH {
        return (width, height);
    }
    let h = (u64::from(height) * u64::from(MAX_WIDTH)).div_ceil(u64::from(width));
    (MAX_WIDTH, h.max(1) as u32)
}

/// The upright size of the image at `path`, from its header: only the header is read,
/// nothing is decoded.
pub fn upright_size(path: &Path) -> std::result::Result<(u32, u32), String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut decoder = decoder(BufReader::new(file), path)?;
    let (w, h) = decoder.dimensions();
    let turned = matches!(
        decoder.orientation().map_err(|e| e.to_string())?,
        image::metadata::Orientation::Rotate90
            | image::metadata::Orientation::Rotate270
            | image::metadata::Orientation::Rotate90FlipH
            | image::metadata::Orientation::Rotate270FlipH
    );
    Ok(if turned { (h, w) } else { (w, h) })
}

/// The size of a GIF or SVG file, which kring publishes as it is: a GIF's from its header,
/// an SVG's from its `width` and `height` (or `viewBox`).
pub fn passthrough_size(path: &Path) -> Option<(u32, u32)> {
    let name = path.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".gif") {
        let size = imagesize::size(path).ok()?;
        return Some((size.width as u32, size.height as u32));
    }
    if name.ends_with(".svg") {
        // A logo or an icon: refused past 1 MiB rather than parsed.
        let meta = std::fs::metadata(path).ok()?;
        if meta.len() > 1 << 20 {
            return None;
        }
        let data = std::fs::read(path).ok()?;
        let tree = resvg::usvg::Tree::from_data(&data, &resvg::usvg::Options::default()).ok()?;
        let size = tree.size();
        return Some((
            size.width().round().max(1.0) as u32,
            size.height().round().max(1.0) as u32,
        ));
    }
    None
}

/// A decoder of the image in `input` (named by `path`, whose extension gives its format)
/// that refuses what would not fit in memory.
pub fn decoder<'a>(
    input: impl BufRead + Seek + 'a,
    path: &Path,
) -> std::result::Result<Box<dyn ImageDecoder + 'a>, String> {
    let format = format_of(&path.to_string_lossy()).ok_or("not a JPEG, PNG or WebP file")?;
    let mut reader = ImageReader::with_format(input, format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED);
    reader.limits(limits);
    let decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    // `into_decoder` checks the sides, not the memory the pixels take: checked here.
    if decoder.total_bytes() > MAX_DECODED {
        return Err(format!(
            "it would take {} MiB to decode (at most {} MiB)",
            decoder.total_bytes() >> 20,
            MAX_DECODED >> 20
        ));
    }
    Ok(Box::new(decoder))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_sizes_keep_the_aspect_and_cap_the_width() {
        assert_eq!(published_size(800, 600), (800, 600));
        assert_eq!(published_size(2400, 10), (2400, 10));
        assert_eq!(published_size(4000, 3000), (2400, 1800));
        assert_eq!(published_size(4001, 3), (2400, 2));
        assert_eq!(published_size(100_000, 1), (2400, 1));
    }

    #[test]
    fn only_jpeg_png_and_webp_are_processed() {
        for name in ["a.jpg", "b.JPEG", "c.png", "d.WebP", "x/y.z.jpg"] {
            assert!(is_photo(name), "{name}");
        }
        for name in ["a.gif", "b.svg", "c", "jpg", "d.jpg.txt", "e.pdf"] {
            assert!(!is_photo(name), "{name}");
        }
    }
}
