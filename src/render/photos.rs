//! The photos a build shows, and the sizes pages ask for: the shelf a build's templates
//! (the `image()` function) and page bodies put their requests on, and from which the
//! output makes the files (`output::images`).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Mutex, RwLock};

use serde::Serialize;
use serde_json::Value;

use crate::content::photo::{is_photo, passthrough_size, upright_size};
use crate::model::variants::{self, Variant};

/// Every photo of a build by output path, the sizes asked of them, and those made.
#[derive(Default)]
pub struct PhotoShelf {
    /// The site's root URL: a URL under it names an output path.
    root_url: String,
    /// Output path → the file it is published from (photos, SVG and GIF files).
    sources: RwLock<HashMap<String, PathBuf>>,
    /// Upright sizes read from headers, by output path.
    sizes: Mutex<HashMap<String, SizeRead>>,
    /// Asked for since the output last took them, by file.
    wanted: Mutex<BTreeMap<String, Variant>>,
    /// Made so far, by file: made again when their photo changes (the dev server).
    made: Mutex<BTreeMap<String, Variant>>,
}

/// An image's upright size, or why it could not be read.
type SizeRead = std::result::Result<(u32, u32), String>;

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl PhotoShelf {
    /// The shelf of a site at `root_url` whose images are `sources` (output path → file).
    pub fn new(root_url: &str, sources: HashMap<String, PathBuf>) -> PhotoShelf {
        PhotoShelf {
            root_url: root_url.to_string(),
            sources: RwLock::new(sources),
            ..PhotoShelf::default()
        }
    }

    /// After a file of `static/` came or went: the images found again.
    pub fn replace_sources(&self, sources: HashMap<String, PathBuf>) {
        *self.sources.write().unwrap_or_else(|e| e.into_inner()) = sources;
        lock(&self.sizes).clear();
    }

    pub fn has_source(&self, rel: &str) -> bool {
        self.sources
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .contains_key(rel)
    }

    /// The output path of `url` (a URL under the site's root, or a path from it).
    fn rel_of<'u>(&self, url: &'u str) -> Option<&'u str> {
        if let Some(rel) = url.strip_prefix(&self.root_url) {
            return Some(rel);
        }
        if url.contains("://") || url.starts_with("//") {
            return None;
        }
        Some(url.trim_start_matches('/'))
    }

    /// The upright size of the image published at `rel`, if the site has one there.
    pub fn size(&self, rel: &str) -> Option<SizeRead> {
        if let Some(known) = lock(&self.sizes).get(rel) {
            return Some(known.clone());
        }
        let path = self
            .sources
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(rel)?
            .clone();
        let size = if is_photo(rel) {
            upright_size(&path)
        } else {
            passthrough_size(&path).ok_or_else(|| "its size cannot be read".to_string())
        };
        lock(&self.sizes).insert(rel.to_string(), size.clone());
        Some(size)
    }

    /// Asks for `variants` to be made (once each).
    pub fn want(&self, variants: impl IntoIterator<Item = Variant>) {
        let made = lock(&self.made);
        let mut wanted = lock(&self.wanted);
        for v in variants {
            if !made.contains_key(&v.file) {
                wanted.entry(v.file.clone()).or_insert(v);
            }
        }
    }

    /// What was asked for since the last call, now counted as made.
    pub fn take_wanted(&self) -> Vec<Variant> {
        let wanted = std::mem::take(&mut *lock(&self.wanted));
        let mut made = lock(&self.made);
        for (file, v) in &wanted {
            made.insert(file.clone(), v.clone());
        }
        wanted.into_values().collect()
    }

    /// The files made so far from the photo at `source`.
    pub fn made_from(&self, source: &str) -> Vec<Variant> {
        lock(&self.made)
            .values()
            .filter(|v| v.source == source)
            .cloned()
            .collect()
    }

    /// Forgets what was made from `source` (gone from the site), returning it.
    pub fn forget(&self, source: &str) -> Vec<Variant> {
        let mut made = lock(&self.made);
        let gone: Vec<String> = made
            .values()
            .filter(|v| v.source == source)
            .map(|v| v.file.clone())
            .collect();
        gone.iter().filter_map(|f| made.remove(f)).collect()
    }

    /// The source file of the photo at `rel`.
    pub fn source(&self, rel: &str) -> Option<PathBuf> {
        self.sources
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(rel)
            .cloned()
    }

    /// What `image()` returns for `path` shown `width` wide (see `docs/templates.md`).
    fn image(
        &self,
        path: &str,
        width: u32,
        height: Option<u32>,
        crop: bool,
    ) -> Result<ImageView, String> {
        let url_of = |rel: &str| format!("{}{rel}", self.root_url);
        let as_given = |w: Option<u32>, h: Option<u32>| ImageView {
            src: self.rel_of(path).map_or_else(|| path.to_string(), url_of),
            width: w,
            height: h,
            webp_srcset: String::new(),
        };
        let Some(rel) = self.rel_of(path) else {
            return Ok(as_given(Some(width), height));
        };
        let size = match self.size(rel) {
            None => return Ok(as_given(Some(width), height)),
            Some(size) => size.map_err(|why| format!("{path}: {why}"))?,
        };
        if !is_photo(rel) {
            // SVG and GIF are shown as they are, in the slot's size.
            let h = match (height, crop) {
                (Some(h), true) => h,
                _ => scale(size, width),
            };
            return Ok(as_given(Some(width), Some(h)));
        }
        let slot = variants::slot(rel, size, width, height, crop);
        let view = ImageView {
            src: url_of(&slot.fallback.file),
            width: Some(slot.width),
            height: Some(slot.height),
            webp_srcset: variants::srcset(&slot.webp, url_of),
        };
        self.want(slot.webp.into_iter().chain([slot.fallback]));
        Ok(view)
    }

    /// What `shared_image()` returns for `url`: one of the site's photos in its email size
    /// (the file feeds and email editions show, which every published photo has) with that
    /// size; a GIF as it is with its own size; anything else as it is, size unknown.
    fn shared(&self, url: &str) -> SharedView {
        let as_is = SharedView {
            src: url.to_string(),
            width: None,
            height: None,
            mime: None,
        };
        let Some(rel) = self.rel_of(url).filter(|_| !url.contains(['?', '#'])) else {
            return as_is;
        };
        let Some(Ok(size)) = self.size(rel) else {
            return as_is;
        };
        if !is_photo(rel) {
            let gif = rel.to_ascii_lowercase().ends_with(".gif");
            return SharedView {
                src: format!("{}{rel}", self.root_url),
                width: gif.then_some(size.0),
                height: gif.then_some(size.1),
                mime: gif.then_some("image/gif"),
            };
        }
        let v = variants::email(rel, size);
        SharedView {
            src: format!("{}{}", self.root_url, v.file),
            width: Some(v.width),
            height: Some(v.height),
            mime: Some(match v.format {
                variants::Format::Jpeg => "image/jpeg",
                _ => "image/png",
            }),
        }
    }
}

/// What the `shared_image()` template function returns: the image a link preview shows.
#[derive(Debug, Serialize)]
struct SharedView {
    src: String,
    width: Option<u32>,
    height: Option<u32>,
    #[serde(rename = "type")]
    mime: Option<&'static str>,
}

/// `height` of an image of `size` shown `width` wide.
fn scale((w, h): (u32, u32), width: u32) -> u32 {
    (u64::from(h) * u64::from(width))
        .div_ceil(u64::from(w.max(1)))
        .max(1) as u32
}

/// What the `image()` template function returns.
#[derive(Debug, Serialize)]
struct ImageView {
    /// The 1× file in the photo's own format (PNG for a WebP), or the image as it is.
    src: String,
    width: Option<u32>,
    height: Option<u32>,
    /// WebP files for a `<source type="image/webp">`, with `w` widths; empty when the image
    /// is not a photo kring processes (SVG, GIF, another site's).
    webp_srcset: String,
}

/// `image(path=…, width=…, height=…, op="fit"|"fill")` and `shared_image(path=…)`.
pub fn register(tera: &mut tera::Tera, shelf: std::sync::Arc<PhotoShelf>) {
    let shared = shelf.clone();
    tera.register_function("shared_image", move |args: &HashMap<String, Value>| {
        let path = args.get("path").and_then(Value::as_str).ok_or_else(|| {
            tera::Error::msg("shared_image(): needs a `path` (a string)".to_string())
        })?;
        serde_json::to_value(shared.shared(path)).map_err(|e| tera::Error::msg(e.to_string()))
    });
    tera.register_function("image", move |args: &HashMap<String, Value>| {
        let fail = |why: String| tera::Error::msg(format!("image(): {why}"));
        let path = args
            .get("path")
            .and_then(Value::as_str)
            .ok_or_else(|| fail("needs a `path` (a string)".into()))?;
        let number = |name: &str| -> tera::Result<Option<u32>> {
            match args.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => v
                    .as_u64()
                    .filter(|&n| n > 0 && n <= 10_000)
                    .map(|n| Some(n as u32))
                    .ok_or_else(|| {
                        fail(format!(
                            "`{name}` must be a whole number of pixels from 1 to 10000"
                        ))
                    }),
            }
        };
        let width = number("width")?.ok_or_else(|| fail("needs a `width`".into()))?;
        let height = number("height")?;
        let crop = match args.get("op").and_then(Value::as_str).unwrap_or("fit") {
            "fit" => false,
            "fill" if height.is_some() => true,
            "fill" => return Err(fail("op=\"fill\" needs a `height` too".into())),
            other => return Err(fail(format!("op is \"fit\" or \"fill\", not \"{other}\""))),
        };
        let view = shelf.image(path, width, height, crop).map_err(fail)?;
        serde_json::to_value(view).map_err(|e| fail(e.to_string()))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shelf(dir: &std::path::Path) -> PhotoShelf {
        let mut png = image::RgbImage::new(400, 200);
        png.put_pixel(0, 0, image::Rgb([255, 0, 0]));
        png.save(dir.join("p.png")).unwrap();
        std::fs::write(
            dir.join("a.svg"),
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="64" height="32"/>"#,
        )
        .unwrap();
        let sources = HashMap::from([
            ("m/p.png".to_string(), dir.join("p.png")),
            ("logo.svg".to_string(), dir.join("a.svg")),
        ]);
        PhotoShelf::new("https://s.org/sub/", sources)
    }

    #[test]
    fn photos_get_their_sizes_and_are_asked_for_once() {
        let dir = tempfile::tempdir().unwrap();
        let shelf = shelf(dir.path());
        let v = shelf
            .image("https://s.org/sub/m/p.png", 48, Some(48), true)
            .unwrap();
        assert_eq!(v.src, "https://s.org/sub/m/p.48x48.png");
        assert_eq!((v.width, v.height), (Some(48), Some(48)));
        assert_eq!(
            v.webp_srcset,
            "https://s.org/sub/m/p.48x48.webp 48w, https://s.org/sub/m/p.96x96.webp 96w"
        );
        // The same from a path, and again: asked for once.
        shelf.image("/m/p.png", 48, Some(48), true).unwrap();
        let wanted = shelf.take_wanted();
        assert_eq!(wanted.len(), 3);
        shelf.image("m/p.png", 48, Some(48), true).unwrap();
        assert!(shelf.take_wanted().is_empty());
        assert_eq!(shelf.made_from("m/p.png").len(), 3);
        assert_eq!(shelf.forget("m/p.png").len(), 3);
    }

    #[test]
    fn other_images_are_shown_as_they_are_with_a_size() {
        let dir = tempfile::tempdir().unwrap();
        let shelf = shelf(dir.path());
        let v = shelf.image("/logo.svg", 32, None, false).unwrap();
        assert_eq!(v.src, "https://s.org/sub/logo.svg");
        assert_eq!(
            (v.width, v.height, v.webp_srcset.as_str()),
            (Some(32), Some(16), "")
        );
        let v = shelf
            .image("https://elsewhere.org/x.jpg", 32, Some(20), false)
            .unwrap();
        assert_eq!(v.src, "https://elsewhere.org/x.jpg");
        assert_eq!((v.width, v.height), (Some(32), Some(20)));
        assert!(shelf.take_wanted().is_empty());
        // A photo that is not one fails with its path.
        std::fs::write(dir.path().join("p.png"), b"not a png").unwrap();
        let fresh = PhotoShelf::new(
            "https://s.org/",
            HashMap::from([("x.png".into(), dir.path().join("p.png"))]),
        );
        assert!(
            fresh
                .image("/x.png", 10, None, false)
                .unwrap_err()
                .contains("/x.png")
        );
    }
}
