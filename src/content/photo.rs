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
    let mut file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    if let Some(format) = format_of(&path.to_string_lossy()) {
        check_whole(&mut file, format)?;
        file.rewind().map_err(|e| e.to_string())?;
    }
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

/// Refuses a photo that was cut off (a download or a copy that did not finish): its decoder
/// would fill the missing part with grey and say nothing. The end of the file tells, so
/// only a few bytes are read; the whole file only when something follows the image's end
/// marker (a phone's "motion photo" appends a video).
fn check_whole(file: &mut std::fs::File, format: ImageFormat) -> std::result::Result<(), String> {
    use std::io::{Read, SeekFrom};
    const CUT: &str =
        "the file is cut off before the end of its image (a download or copy that did not finish?)";
    let len = file.seek(SeekFrom::End(0)).map_err(|e| e.to_string())?;
    let mut tail = [0u8; 32];
    let start = len.saturating_sub(tail.len() as u64);
    file.seek(SeekFrom::Start(start))
        .map_err(|e| e.to_string())?;
    let tail = &mut tail[..(len - start) as usize];
    file.read_exact(tail).map_err(|e| e.to_string())?;
    let whole = |file: &mut std::fs::File| -> std::result::Result<Vec<u8>, String> {
        let mut bytes = Vec::new();
        file.rewind().map_err(|e| e.to_string())?;
        file.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
        Ok(bytes)
    };
    let complete = match format {
        ImageFormat::Jpeg => {
            tail.windows(2).any(|w| w == [0xFF, 0xD9]) || jpeg_complete(&whole(file)?)
        }
        ImageFormat::Png => tail.ends_with(b"IEND\xAE\x42\x60\x82") || png_complete(&whole(file)?),
        ImageFormat::WebP => {
            // RIFF says how long the file is.
            let mut head = [0u8; 8];
            file.rewind().map_err(|e| e.to_string())?;
            file.read_exact(&mut head).is_err()
                || u64::from(u32::from_le_bytes([head[4], head[5], head[6], head[7]])) + 8 <= len
        }
        _ => true,
    };
    if complete { Ok(()) } else { Err(CUT.into()) }
}

/// Whether the JPEG in `b` reaches its end marker: segments are skipped by their length,
/// the compressed data of each scan up to the next marker.
fn jpeg_complete(b: &[u8]) -> bool {
    if !b.starts_with(&[0xFF, 0xD8]) {
        // Not a JPEG at all: the decoder says so.
        return true;
    }
    let mut i = 2;
    loop {
        while i < b.len() && b[i] != 0xFF {
            i += 1;
        }
        while i < b.len() && b[i] == 0xFF {
            i += 1;
        }
        let Some(&marker) = b.get(i) else {
            return false;
        };
        i += 1;
        match marker {
            0xD9 => return true,
            0x01 | 0xD0..=0xD8 => continue,
            _ => {}
        }
        let Some(length) = b.get(i..i + 2) else {
            return false;
        };
        i += usize::from(u16::from_be_bytes([length[0], length[1]]));
        if i > b.len() {
            return false;
        }
        if marker == 0xDA {
            // Compressed data: an 0xFF in it is followed by 0 (a byte) or a restart marker.
            loop {
                while i < b.len() && b[i] != 0xFF {
                    i += 1;
                }
                match b.get(i + 1) {
                    None => return false,
                    Some(0x00 | 0xD0..=0xD7) => i += 2,
                    Some(_) => break,
                }
            }
        }
    }
}

/// Whether the PNG in `b` reaches its `IEND` chunk, walking the chunks by their length.
fn png_complete(b: &[u8]) -> bool {
    if !b.starts_with(b"\x89PNG") {
        return true;
    }
    let mut i = 8usize;
    while let Some(head) = b.get(i..i + 8) {
        let length = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        if &head[4..8] == b"IEND" {
            return true;
        }
        i = i.saturating_add(12).saturating_add(length);
    }
    false
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
        let text = std::str::from_utf8(&data).ok()?;
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        };
        let doc = roxmltree::Document::parse_with_options(text, options).ok()?;
        // usvg walks the tree by recursion: a file nested deeper than any drawing is not
        // given to it (the build refuses to publish it, see `output::svg`).
        if svg_depth(&doc) > SVG_MAX_DEPTH {
            return None;
        }
        let tree = resvg::usvg::Tree::from_xmltree(&doc, &resvg::usvg::Options::default()).ok()?;
        let size = tree.size();
        return Some((
            size.width().round().max(1.0) as u32,
            size.height().round().max(1.0) as u32,
        ));
    }
    None
}

/// How deep an SVG's elements may nest (drawing programs nest a few dozen groups at most).
pub const SVG_MAX_DEPTH: usize = 256;

/// How deep the elements of `doc` nest, counted without recursion.
pub fn svg_depth(doc: &roxmltree::Document) -> usize {
    let (mut depth, mut most) = (0usize, 0usize);
    for edge in traverse(doc.root()) {
        match edge {
            Edge::Open(n) if n.is_element() => {
                depth += 1;
                most = most.max(depth);
            }
            Edge::Close(n) if n.is_element() => depth -= 1,
            _ => {}
        }
    }
    most
}

/// A step of [`traverse`]: into a node, or out of it after its children.
#[derive(Clone, Copy)]
pub enum Edge<'a, 'input> {
    Open(roxmltree::Node<'a, 'input>),
    Close(roxmltree::Node<'a, 'input>),
}

/// Every node under `root` (itself included), in document order, opened and closed: a
/// walk without recursion, however deep the tree.
pub fn traverse<'a, 'input>(
    root: roxmltree::Node<'a, 'input>,
) -> impl Iterator<Item = Edge<'a, 'input>> {
    std::iter::successors(Some(Edge::Open(root)), move |edge| match *edge {
        Edge::Open(node) => Some(node.first_child().map_or(Edge::Close(node), Edge::Open)),
        Edge::Close(node) if node == root => None,
        Edge::Close(node) => match node.next_sibling() {
            Some(next) => Some(Edge::Open(next)),
            None => node.parent().map(Edge::Close),
        },
    })
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
