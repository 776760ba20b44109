//! How a card becomes PNG bytes: the palette along the accent→white line, the png crate
//! for whole pictures, and [`Rows`] for cards drawn over a backdrop, which compresses the
//! rows every card of the backdrop shares only once.

use super::{HEIGHT, WIDTH};

/// A card is white (at some opacity) drawn on one opaque colour, so every pixel lies on the
/// line from the background to white: 256 steps along it hold the card in one byte a pixel
/// (a quarter of RGBA), each within one unit of the drawn colour. `None` for a picture
/// that is not such a card (a background too close to white to tell the steps apart, or a
/// pixel off the line), which is then kept in RGBA.
pub(super) fn indexed(rgba: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let steps = Steps::of([rgba[0], rgba[1], rgba[2]])?;
    let mut pixels = Vec::with_capacity(rgba.len() / 4);
    for px in rgba.chunks_exact(4) {
        pixels.push(steps.entry(px)?);
    }
    Some((steps.palette, pixels))
}

/// The palette of a card on one background, and how a pixel finds its entry in it.
pub(super) struct Steps {
    pub(super) palette: Vec<u8>,
    /// The channel that changes most from the background to white: it measures coverage.
    channel: usize,
    /// The entry of each value of that channel.
    steps: Vec<u8>,
}

impl Steps {
    pub(super) fn of(background: [u8; 3]) -> Option<Steps> {
        let (channel, span) = (0..3)
            .map(|c| (c, 255 - i32::from(background[c])))
            .max_by_key(|&(_, span)| span)?;
        if span < 64 {
            return None;
        }
        let step = |k: i32, c: usize| {
            let b = i32::from(background[c]);
            (b + ((255 - b) * k + 127) / 255) as u8
        };
        let palette: Vec<u8> = (0..256)
            .flat_map(|k| [step(k, 0), step(k, 1), step(k, 2)])
            .collect();
        let steps: Vec<u8> = (0..256)
            .map(|v| {
                let k = ((v - i32::from(background[channel])) * 255 + span / 2) / span;
                k.clamp(0, 255) as u8
            })
            .collect();
        Some(Steps {
            palette,
            channel,
            steps,
        })
    }

    /// The entry of the pixel `px` (RGBA), or `None` when it is off the line.
    pub(super) fn entry(&self, px: &[u8]) -> Option<u8> {
        let k = self.steps[usize::from(px[self.channel])];
        let entry = &self.palette[usize::from(k) * 3..usize::from(k) * 3 + 3];
        let off = px[3] != 255
            || px[0].abs_diff(entry[0]) > 2
            || px[1].abs_diff(entry[1]) > 2
            || px[2].abs_diff(entry[2]) > 2;
        (!off).then_some(k)
    }
}

/// A PNG of [`WIDTH`] × [`HEIGHT`] with the png crate's fast deflate (fdeflate): a card is a
/// few flat areas and text, which it compresses nearly as well as the default level, in a
/// fraction of the time.
pub(super) fn encode(
    data: &[u8],
    color: png::ColorType,
    palette: Option<Vec<u8>>,
) -> std::result::Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, WIDTH, HEIGHT);
    encoder.set_color(color);
    encoder.set_depth(png::BitDepth::Eight);
    if let Some(palette) = palette {
        encoder.set_palette(palette);
    }
    encoder.set_compression(png::Compression::Fast);
    if color == png::ColorType::Indexed {
        // One filter for every row instead of trying each: `Up`, as text is made of vertical
        // strokes and the background repeats the row above.
        encoder.set_filter(png::Filter::Up);
    }
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(data).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(bytes)
}

/// PNG's filter type `Up` (each byte minus the one above it), the only one cards use: text is
/// made of vertical strokes and the background repeats the row above.
const UP: u8 = 2;

/// A backdrop's palette PNG cut at a band of rows where it is one colour, its filtered rows
/// above and below the band kept: a card that draws only inside the band, leaving the
/// band's first and last rows alone, has those same filtered rows, so only the band is
/// filtered again. The deflate is fdeflate's, as the png crate uses for
/// [`png::Compression::Fast`].
pub(super) struct Rows {
    palette: Vec<u8>,
    band: std::ops::Range<usize>,
    above: Vec<u8>,
    below: Vec<u8>,
}

impl Rows {
    /// `entries`: the backdrop's palette entries, a row of [`WIDTH`] after another. `None`
    /// unless the band and the row above it are one colour, the first entry (the
    /// background's, where a card's coverage is 0).
    pub(super) fn new(
        palette: Vec<u8>,
        entries: &[u8],
        band: std::ops::Range<usize>,
    ) -> Option<Rows> {
        let width = WIDTH as usize;
        let plain = band.start > 0
            && band.end < HEIGHT as usize
            && entries[(band.start - 1) * width..band.end * width]
                .iter()
                .all(|&e| e == entries[0]);
        let filtered = |rows: std::ops::Range<usize>| {
            let mut out = Vec::with_capacity(rows.len() * (width + 1));
            for y in rows {
                let prev = y.checked_sub(1).map(|p| row(entries, p));
                filter_row(row(entries, y), prev, &mut out);
            }
            out
        };
        plain.then(|| Rows {
            palette,
            above: filtered(0..band.start),
            below: filtered(band.end..HEIGHT as usize),
            band,
        })
    }

    /// The PNG of the backdrop with a title of `coverage` (0 to 255 a pixel, the band's
    /// rows) over its band: each coverage is the palette entry `table` gives (itself when
    /// `None`). `None` when the band's first or last row is covered (the rows around the
    /// band were filtered against the background). Only the rows `touched` (of the band)
    /// hold any coverage. `scratch` keeps its allocation from one card to the next.
    pub(super) fn png(
        &self,
        coverage: &[u8],
        touched: std::ops::Range<usize>,
        table: Option<&[u8; 256]>,
        scratch: &mut Vec<u8>,
    ) -> Option<Result<Vec<u8>, String>> {
        let (width, rows) = (WIDTH as usize, self.band.len());
        if coverage.len() != rows * width
            || row(coverage, 0).iter().any(|&c| c != 0)
            || row(coverage, rows - 1).iter().any(|&c| c != 0)
        {
            return None;
        }
        scratch.clear();
        for y in 0..rows {
            scratch.push(UP);
            let start = scratch.len();
            scratch.resize(start + width, 0);
            // Rows without coverage, and with none above, filter to nothing.
            if y == 0 || y < touched.start || y > touched.end {
                continue;
            }
            let out = &mut scratch[start..];
            let (now, above) = (row(coverage, y), row(coverage, y - 1));
            match table {
                None => {
                    for ((o, c), a) in out.iter_mut().zip(now).zip(above) {
                        *o = c.wrapping_sub(*a);
                    }
                }
                Some(table) => {
                    let chunks = out.chunks_exact_mut(8).zip(now.chunks_exact(8));
                    for ((o, c), a) in chunks.zip(above.chunks_exact(8)) {
                        // Most of a row is background over background: 0.
                        if c.iter().chain(a).any(|&v| v != 0) {
                            for ((o, c), a) in o.iter_mut().zip(c).zip(a) {
                                let (c, a) = (table[usize::from(*c)], table[usize::from(*a)]);
                                *o = c.wrapping_sub(a);
                            }
                        }
                    }
                }
            }
        }
        Some(self.write(scratch))
    }

    fn write(&self, band: &[u8]) -> Result<Vec<u8>, String> {
        let mut idat = Vec::with_capacity(64 * 1024);
        let mut deflate = fdeflate::Compressor::new(&mut idat).map_err(|e| e.to_string())?;
        for part in [&self.above[..], band, &self.below] {
            deflate.write_data(part).map_err(|e| e.to_string())?;
        }
        deflate.finish().map_err(|e| e.to_string())?;

        let mut png = Vec::with_capacity(idat.len() + self.palette.len() + 128);
        png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
        let mut ihdr = Vec::with_capacity(13);
        ihdr.extend_from_slice(&WIDTH.to_be_bytes());
        ihdr.extend_from_slice(&HEIGHT.to_be_bytes());
        // 8 bits, palette colour, deflate, adaptive filtering, no interlace.
        ihdr.extend_from_slice(&[8, 3, 0, 0, 0]);
        chunk(&mut png, b"IHDR", &ihdr);
        chunk(&mut png, b"PLTE", &self.palette);
        chunk(&mut png, b"IDAT", &idat);
        chunk(&mut png, b"IEND", &[]);
        Ok(png)
    }
}

fn row(entries: &[u8], y: usize) -> &[u8] {
    &entries[y * WIDTH as usize..(y + 1) * WIDTH as usize]
}

/// Appends `row` filtered with `Up` against `prev` (none above the first row).
fn filter_row(row: &[u8], prev: Option<&[u8]>, out: &mut Vec<u8>) {
    out.push(UP);
    match prev {
        Some(prev) => out.extend(row.iter().zip(prev).map(|(a, b)| a.wrapping_sub(*b))),
        None => out.extend_from_slice(row),
    }
}

/// Appends a PNG chunk: length, type, data, and the CRC of type and data.
fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    png.extend_from_slice(&crc.finalize().to_be_bytes());
}
