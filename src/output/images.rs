//! Photos as kring publishes them. Every JPEG, PNG and WebP file a build writes — a page
//! bundle's, a section's, a `static/` folder's — is decoded within limits, turned upright
//! (its EXIF orientation), made at most `MAX_WIDTH` wide, and written again **without any
//! metadata**: no GPS location, camera serial or author field from a member's phone
//! survives. GIF files are copied as they are, SVG files cleaned (see `output::svg`).
//!
//! The work is cached in the site's `.kring-cache/images/`, keyed by the source bytes and
//! the operation, so `build` and `serve` redo nothing for an unchanged image; a build
//! removes the entries it did not use. Each entry's name carries the hash of its bytes,
//! checked at every read: a damaged one is made again, with a warning, rather than
//! published. An entry holds the published bytes alone, so the output gets it as a hard link
//! (a copy where the file system refuses one): see [`Made`].

use std::collections::HashSet;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use image::{DynamicImage, ImageFormat};

use super::write::Sink;
use crate::content::markdown::ShownPhoto;
pub use crate::content::photo::is_photo;
use crate::content::photo::{decoder, upright_size};
use crate::error::{Diagnostic, Error, Result};
use crate::model::variants::{self, Format, Variant};
use crate::render::photos::PhotoShelf;

/// Bumped when what [`process`] writes changes, so older cache entries are not reused.
const OPERATION: &str = "upright-stripped-v2";

/// How an entry is stored: the made bytes alone, named `<key>-<XXH3-128 of the bytes>.<ext>`.
/// Part of every entry's key, so entries stored another way are never read as this one.
const ENTRY_FORMAT: &str = "named-v2";

/// WebP quality: photos at 80 look like the JPEG at 85 they replace, at about two thirds
/// of its size.
const WEBP_QUALITY: f32 = 80.0;

/// The photo in `bytes` (read from `path`) decoded within limits, and upright.
fn decode(bytes: &[u8], path: &Path) -> std::result::Result<DynamicImage, String> {
    let mut decoder = decoder(Cursor::new(bytes), path)?;
    let orientation = decoder.orientation().map_err(|e| e.to_string())?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    img.apply_orientation(orientation);
    // No size is wider than the published photo: every one is made from that, rather than
    // from the camera's 12 megapixels each time.
    let (w, h) = crate::content::photo::published_size(img.width(), img.height());
    if w < img.width() {
        img = resize(&img, w, h)?;
    }
    Ok(img)
}

/// The file `variant` of the (upright) photo `img`: scaled or cut to its size, in its
/// format, and without metadata (the encoders write none).
fn encode(img: &DynamicImage, variant: &Variant) -> std::result::Result<Vec<u8>, String> {
    let mut img = std::borrow::Cow::Borrowed(img);
    let (w, h) = (variant.width.max(1), variant.height.max(1));
    if variant.crop {
        // The middle of the photo in the variant's shape.
        let (iw, ih) = (u64::from(img.width()), u64::from(img.height()));
        let (cw, ch) = if iw * u64::from(h) > ih * u64::from(w) {
            ((ih * u64::from(w) / u64::from(h)).max(1), ih)
        } else {
            (iw, (iw * u64::from(h) / u64::from(w)).max(1))
        };
        img = std::borrow::Cow::Owned(img.crop_imm(
            ((iw - cw) / 2) as u32,
            ((ih - ch) / 2) as u32,
            cw as u32,
            ch as u32,
        ));
    }
    if (w, h) != (img.width(), img.height()) {
        img = std::borrow::Cow::Owned(resize(&img, w, h)?);
    }
    let mut out = Vec::new();
    match variant.format {
        Format::Jpeg => {
            // JPEG has no alpha: flattened onto white rather than refused.
            let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
            rgb.write_with_encoder(encoder).map_err(|e| e.to_string())?;
        }
        Format::Png => {
            img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
                .map_err(|e| e.to_string())?;
        }
        Format::WebP => {
            let (rgba, rgb);
            let encoder = if img.color().has_alpha() {
                rgba = img.to_rgba8();
                webp::Encoder::from_rgba(&rgba, w, h)
            } else {
                rgb = img.to_rgb8();
                webp::Encoder::from_rgb(&rgb, w, h)
            };
            out = encoder
                .encode_simple(false, WEBP_QUALITY)
                .map_err(|e| format!("WebP encoding failed: {e:?}"))?
                .to_vec();
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
    /// The hash of each photo read, by file: its sizes are made without reading it again.
    digests: Mutex<std::collections::HashMap<PathBuf, u128>>,
    /// Damaged entries found and SVG files cleaned, for the build's warnings.
    warnings: Mutex<Vec<String>>,
    /// The entries in the folder when it was first looked at: file name by key.
    listing: std::sync::OnceLock<std::collections::HashMap<String, String>>,
}

/// What [`ImageCache::get_or_make`] gives: the bytes, and the cache entry that holds exactly
/// them, when there is one, for the output to link to.
///
/// A hard link shares the file: a tool or a person that edits the published copy in place
/// edits the entry too. So the entry's name carries the hash of its bytes and every read
/// checks it: an entry changed that way is made again, with a warning, and never published.
/// (Writing the published copy anew — what nearly every tool does — leaves the entry alone.)
pub struct Made {
    pub bytes: Vec<u8>,
    pub entry: Option<PathBuf>,
}

impl Made {
    /// Publishes the bytes at `rel`: a link to the entry, or written.
    pub fn publish(&self, out: &dyn Sink, rel: &str) -> Result<()> {
        match &self.entry {
            Some(entry) => out.link(entry, rel, &self.bytes),
            None => out.write(rel, &self.bytes),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The name of the entry of `key` holding `bytes`: `<key>-<their XXH3-128>.<ext>`.
fn entry_name(key: &str, bytes: &[u8], ext: &str) -> String {
    format!("{key}-{:032x}.{ext}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// A photo's file, read once for every size made of it (and only when one is not in the
/// cache), and the hash of its bytes.
struct Source {
    path: PathBuf,
    bytes: std::sync::OnceLock<Vec<u8>>,
    digest: u128,
}

impl Source {
    fn read(path: &Path) -> Result<Source> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Ok(Source {
            path: path.to_path_buf(),
            digest: xxhash_rust::xxh3::xxh3_128(&bytes),
            bytes: std::sync::OnceLock::from(bytes),
        })
    }

    fn bytes(&self) -> std::result::Result<&[u8], String> {
        if let Some(bytes) = self.bytes.get() {
            return Ok(bytes);
        }
        let read = std::fs::read(&self.path).map_err(|e| e.to_string())?;
        Ok(self.bytes.get_or_init(|| read))
    }
}

impl ImageCache {
    /// The cache of the site at `site_dir`; without a folder (`None`), nothing is kept.
    pub fn new(dir: Option<PathBuf>) -> ImageCache {
        ImageCache {
            dir,
            used: Mutex::default(),
            digests: Mutex::default(),
            warnings: Mutex::default(),
            listing: std::sync::OnceLock::new(),
        }
    }

    /// The site's cache folder: `.kring-cache/images/`.
    pub fn folder(site_dir: &Path) -> PathBuf {
        site_dir.join(crate::vocabulary::CACHE_DIR).join("images")
    }

    /// The bytes of each of `variants` of `photo`, in order, decoding the photo once for
    /// those not in the cache; `shown` names the photo in errors.
    fn make(&self, photo: &Source, variants: &[&Variant], shown: &Path) -> Result<Vec<Made>> {
        let mut decoded: Option<DynamicImage> = None;
        let mut made = Vec::with_capacity(variants.len());
        for variant in variants {
            let op = format!(
                "{OPERATION}-{}x{}-{}-{:?}",
                variant.width, variant.height, variant.crop, variant.format
            );
            let key = [op.as_bytes(), &photo.digest.to_le_bytes()];
            let bytes = self
                .get_or_make(&key, variant.format.ext(), &format!("{} as /{}", shown.display(), variant.file), || {
                    if decoded.is_none() {
                        decoded = Some(decode(photo.bytes()?, &photo.path)?);
                    }
                    encode(decoded.as_ref().expect("decoded above"), variant)
                })
                .map_err(|why| {
                    Error::from(Diagnostic::new(
                        shown,
                        format!("this image cannot be published: {why}. Replace it with a JPEG, PNG or WebP file that opens in an image viewer"),
                    ))
                })?;
            made.push(bytes);
        }
        Ok(made)
    }

    /// The hash of the photo at `path` if this build read it already (it is published
    /// before the pages that show it ask for its sizes), else `None`.
    fn digest_of(&self, path: &Path) -> Option<u128> {
        lock(&self.digests).get(path).copied()
    }

    /// What `make` makes, from the cache when `key` (the input and the operation) was made
    /// before; `ext` is the file type of the result, `shown` names it in a warning.
    ///
    /// An entry is named by its key and the hash of its bytes, checked at every read: an
    /// entry cut off or overwritten (a cache restored badly in CI, a full disk, a published
    /// copy edited in place: see [`Made`]) is made again with a warning instead of being
    /// published. A hash of the bytes costs far less than decoding them.
    pub fn get_or_make(
        &self,
        key: &[&[u8]],
        ext: &str,
        shown: &str,
        make: impl FnOnce() -> std::result::Result<Vec<u8>, String>,
    ) -> std::result::Result<Made, String> {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(ENTRY_FORMAT.as_bytes());
        for part in key {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        let key = format!("{:032x}", hasher.digest128());
        if let (Some(dir), Some(name)) = (&self.dir, self.listing().get(&key)) {
            let path = dir.join(name);
            if let Ok(bytes) = std::fs::read(&path) {
                if entry_name(&key, &bytes, ext) == *name {
                    lock(&self.used).insert(name.clone());
                    return Ok(Made {
                        bytes,
                        entry: Some(path),
                    });
                }
                lock(&self.warnings).push(format!(
                    "{}: the cached copy of {shown} was damaged (cut off or overwritten): made again",
                    Path::new(crate::vocabulary::CACHE_DIR)
                        .join("images")
                        .join(name)
                        .display()
                ));
            }
        }
        let bytes = make()?;
        let name = entry_name(&key, &bytes, ext);
        lock(&self.used).insert(name.clone());
        let mut entry = None;
        if let Some(dir) = &self.dir {
            // A cache that cannot be written only costs time: the build goes on.
            let _ = std::fs::create_dir_all(dir);
            let path = dir.join(&name);
            // Written beside and renamed: a new file, never the one a damaged entry (or an
            // earlier output linked to it) still is.
            let tmp = path.with_extension("kring-tmp");
            if std::fs::write(&tmp, &bytes).is_ok() && std::fs::rename(&tmp, &path).is_ok() {
                entry = Some(path);
            }
        }
        Ok(Made { bytes, entry })
    }

    /// The entries in the cache folder by key, read once.
    fn listing(&self) -> &std::collections::HashMap<String, String> {
        self.listing.get_or_init(|| {
            let Some(Ok(entries)) = self.dir.as_ref().map(std::fs::read_dir) else {
                return Default::default();
            };
            entries
                .flatten()
                .filter_map(|e| {
                    let name = e.file_name().into_string().ok()?;
                    if name.ends_with(".kring-tmp") {
                        return None;
                    }
                    let (key, _) = name.split_once('-')?;
                    (key.len() == 32).then(|| (key.to_string(), name.clone()))
                })
                .collect()
        })
    }

    /// What went wrong with the cache so far (damaged entries made again), taken.
    pub fn take_warnings(&self) -> Vec<String> {
        std::mem::take(&mut *lock(&self.warnings))
    }

    /// Removes the entries this build did not use (after a whole build only).
    pub fn prune(&self) {
        let Some(dir) = &self.dir else { return };
        let used = lock(&self.used);
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

/// The WebP sizes of the photos a Markdown body shows (see `content::picture`).
pub fn body_sizes(photos: &[ShownPhoto]) -> impl Iterator<Item = Variant> + '_ {
    photos
        .iter()
        .filter(|p| is_photo(&p.rel))
        .flat_map(|p| variants::fluid(&p.rel, p.upright))
}

/// A sink that publishes photos through the [`ImageCache`] when they are copied; every other
/// file passes through.
pub struct Photos<'a> {
    pub inner: &'a dyn Sink,
    pub cache: &'a ImageCache,
    pub shelf: &'a PhotoShelf,
    /// The site's folder, for naming images in errors relative to it.
    pub site_dir: &'a Path,
    /// `[images] keep_originals`: the photo's own file under its name.
    pub keep_originals: bool,
}

impl Photos<'_> {
    fn shown<'p>(&self, from: &'p Path) -> &'p Path {
        from.strip_prefix(self.site_dir).unwrap_or(from)
    }

    /// Writes `variants` (each once) of the photos on the shelf; returns how many.
    pub fn write_variants(&self, variants: Vec<Variant>) -> Result<usize> {
        use rayon::prelude::*;
        let mut by_source: std::collections::BTreeMap<&str, Vec<&Variant>> = Default::default();
        for v in &variants {
            by_source.entry(v.source.as_str()).or_default().push(v);
        }
        let written: Vec<Result<usize>> = by_source
            .into_par_iter()
            .map(|(source, variants)| {
                let Some(from) = self.shelf.source(source) else {
                    return Ok(0);
                };
                if let Some(v) = variants.iter().find(|v| self.shelf.has_source(&v.file)) {
                    return Err(Diagnostic::new(
                        self.shown(&from),
                        format!("kring writes a size of this photo as {}, where the site has a file of its own: rename that file", v.file),
                    )
                    .into());
                }
                let photo = match self.cache.digest_of(&from) {
                    Some(digest) => Source {
                        path: from.clone(),
                        bytes: std::sync::OnceLock::new(),
                        digest,
                    },
                    None => Source::read(&from)?,
                };
                let made = self.cache.make(&photo, &variants, self.shown(&from))?;
                for (v, made) in variants.iter().zip(made) {
                    made.publish(self.inner, &v.file)?;
                }
                Ok(variants.len())
            })
            .collect();
        written.into_iter().sum()
    }
}

impl Sink for Photos<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.inner.write(rel, bytes)
    }
    fn link(&self, entry: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
        self.inner.link(entry, rel, bytes)
    }
    fn copy(&self, from: &Path, rel: &str) -> Result<()> {
        let shown = self.shown(from);
        if rel.to_ascii_lowercase().ends_with(".svg") {
            let bytes = std::fs::read(from).map_err(|e| Error::io(from, e))?;
            let cleaned = super::svg::clean(&bytes).map_err(|why| {
                Error::from(Diagnostic::new(
                    shown,
                    format!("this SVG cannot be published: {why}. Save it again from a drawing program as plain SVG"),
                ))
            })?;
            if !cleaned.removed.is_empty() {
                lock(&self.cache.warnings).push(format!(
                    "{}: published without what could run script or load from another site: {}",
                    shown.display(),
                    cleaned.removed.join(", ")
                ));
            }
            return self.inner.write(rel, &cleaned.svg);
        }
        if !is_photo(rel) {
            return self.inner.copy(from, rel);
        }
        let photo = Source::read(from)?;
        lock(&self.cache.digests).insert(from.to_path_buf(), photo.digest);
        let size = upright_size(from).map_err(|why| {
            Error::from(Diagnostic::new(
                shown,
                format!("this image cannot be published: {why}. Replace it with a JPEG, PNG or WebP file that opens in an image viewer"),
            ))
        })?;
        // As published (unless the original is), its size for email editions and feed
        // items, and the sizes pages asked of it before (the dev server, when it changed).
        let mut all = vec![variants::email(rel, size)];
        if self.keep_originals {
            self.inner.copy(from, rel)?;
        } else {
            all.push(variants::published(rel, size));
        }
        all.extend(self.shelf.made_from(rel));
        let wanted: Vec<&Variant> = all.iter().collect();
        let made = self.cache.make(&photo, &wanted, shown)?;
        for (v, made) in all.iter().zip(made) {
            made.publish(self.inner, &v.file)?;
        }
        Ok(())
    }
}
