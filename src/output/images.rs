//! Photos as kring publishes them. Every JPEG, PNG and WebP file a build writes — a page
//! bundle's, a section's, a `static/` folder's — is decoded within limits, turned upright
//! (its EXIF orientation), made at most [`MAX_WIDTH`] wide, and written again **without any
//! metadata**: no GPS location, camera serial or author field from a member's phone
//! survives. SVG and GIF files are copied as they are.
//!
//! The work is cached in the site's `.kring-cache/images/`, keyed by the source bytes and
//! the operation, so `build` and `serve` redo nothing for an unchanged image; a build
//! removes the entries it did not use.

use std::collections::HashSet;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use image::{DynamicImage, ImageFormat};

use super::write::Sink;
pub use crate::content::photo::{MAX_WIDTH, is_photo};
use crate::content::photo::{decoder, format_of, published_size};
use crate::error::{Diagnostic, Error, Result};
use crate::model::routes::{EMAIL_PHOTO_WIDTH, email_photo};

/// Bumped when what [`process`] writes changes, so older cache entries are not reused.
const OPERATION: &str = "upright-stripped-max2400-v1";

/// The image at `path` as kring publishes it, encoded in its own format.
/// `format` and `max_width` are those of the file written (the source's, for the published
/// photo; JPEG or PNG at most 1200 wide, for its email size).
fn process(
    bytes: &[u8],
    path: &Path,
    format: ImageFormat,
    max_width: u32,
) -> std::result::Result<Vec<u8>, String> {
    let mut decoder = decoder(Cursor::new(bytes), path)?;
    let orientation = decoder.orientation().map_err(|e| e.to_string())?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    img.apply_orientation(orientation);
    let (w, h) = published_size(img.width(), img.height());
    let (w, h) = if w > max_width {
        (
            max_width,
            (u64::from(h) * u64::from(max_width))
                .div_ceil(u64::from(w))
                .max(1) as u32,
        )
    } else {
        (w, h)
    };
    if (w, h) != (img.width(), img.height()) {
        img = resize(&img, w, h)?;
    }
    let mut out = Vec::new();
    match format {
        ImageFormat::Jpeg => {
            // JPEG has no alpha: flattened onto white rather than refused.
            let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
            rgb.write_with_encoder(encoder).map_err(|e| e.to_string())?;
        }
        other => {
            img.write_to(&mut Cursor::new(&mut out), other)
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(out)
}

fn resize(img: &DynamicImage, w: u32, h: u32) -> std::result::Result<DynamicImage, String> {
    use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
    // 8-bit RGB(A) is what every published format takes.
    let src = if img.color().has_alpha() {
        DynamicImage::ImageRgba8(img.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(img.to_rgb8())
    };
    let mut dst = DynamicImage::new(w, h, src.color());
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| e.to_string())?;
    Ok(dst)
}

/// Processed images by the hash of their source and the operation, in a folder of the site.
pub struct ImageCache {
    dir: Option<PathBuf>,
    /// The entries this build used: the others are pruned after it.
    used: Mutex<HashSet<String>>,
}

/// A photo's file, read once for every size made of it, and the hash of its bytes.
struct Source {
    path: PathBuf,
    bytes: Vec<u8>,
    digest: u128,
}

impl Source {
    fn read(path: &Path) -> Result<Source> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Ok(Source {
            path: path.to_path_buf(),
            digest: xxhash_rust::xxh3::xxh3_128(&bytes),
            bytes,
        })
    }
}

impl ImageCache {
    /// The cache of the site at `site_dir`; without a folder (`None`), nothing is kept.
    pub fn new(dir: Option<PathBuf>) -> ImageCache {
        ImageCache {
            dir,
            used: Mutex::default(),
        }
    }

    /// The site's cache folder: `.kring-cache/images/`.
    pub fn folder(site_dir: &Path) -> PathBuf {
        site_dir.join(".kring-cache").join("images")
    }

    /// The published bytes of `photo` written as `rel`: in its own format, or with `email`,
    /// its size for email editions and feeds (see [`email_photo`]); `shown` names it in
    /// errors.
    fn publish(&self, photo: &Source, rel: &str, email: bool, shown: &Path) -> Result<Vec<u8>> {
        let format = format_of(rel).ok_or_else(|| Error::Usage(format!("{rel} is not a photo")))?;
        let ext = rel
            .rsplit_once('.')
            .map_or("", |(_, e)| e)
            .to_ascii_lowercase();
        let max = if email { EMAIL_PHOTO_WIDTH } else { MAX_WIDTH };
        let op = format!("{OPERATION}-{max}-{ext}");
        let key = [op.as_bytes(), &photo.digest.to_le_bytes()];
        self.get_or_make(&key, &ext, || process(&photo.bytes, &photo.path, format, max))
            .map_err(|why| {
                Error::from(Diagnostic::new(
                    shown,
                    format!("this image cannot be published: {why}. Replace it with a JPEG, PNG or WebP file that opens in an image viewer"),
                ))
            })
    }

    /// What `make` makes, from the cache when `key` (the input and the operation) was made
    /// before; `ext` is the file type of the result.
    pub fn get_or_make(
        &self,
        key: &[&[u8]],
        ext: &str,
        make: impl FnOnce() -> std::result::Result<Vec<u8>, String>,
    ) -> std::result::Result<Vec<u8>, String> {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        for part in key {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        let name = format!("{:032x}.{ext}", hasher.digest128());
        self.used
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.clone());
        let cached = self.dir.as_ref().map(|d| d.join(&name));
        if let Some(done) = cached.as_ref().and_then(|p| std::fs::read(p).ok()) {
            return Ok(done);
        }
        let made = make()?;
        if let (Some(dir), Some(path)) = (&self.dir, &cached) {
            // A cache that cannot be written only costs time: the build goes on.
            let _ = std::fs::create_dir_all(dir);
            let tmp = path.with_extension("kring-tmp");
            if std::fs::write(&tmp, &made).is_ok() {
                let _ = std::fs::rename(&tmp, path);
            }
        }
        Ok(made)
    }

    /// Removes the entries this build did not use (after a whole build only).
    pub fn prune(&self) {
        let Some(dir) = &self.dir else { return };
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !used.contains(&name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// A sink that publishes photos through the [`ImageCache`] when they are copied; every other
/// file passes through.
pub struct Photos<'a> {
    pub inner: &'a dyn Sink,
    pub cache: &'a ImageCache,
    /// The site's folder, for naming images in errors relative to it.
    pub site_dir: &'a Path,
}

impl Sink for Photos<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.inner.write(rel, bytes)
    }
    fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        if !is_photo(rel) {
            return self.inner.copy(from, rel);
        }
        let shown = from.strip_prefix(self.site_dir).unwrap_or(from);
        let photo = Source::read(from)?;
        let bytes = self.cache.publish(&photo, rel, false, shown)?;
        self.inner.write(rel, &bytes)?;
        // And its size for email editions and feed items.
        let email = email_photo(rel);
        let bytes = self.cache.publish(&photo, &email, true, shown)?;
        self.inner.write(&email, &bytes)
    }
}
