//! How a Markdown image is written: an `<img>` with its size and alt text, lazy below the
//! first, and for a photo of the site a `<picture>` whose WebP sizes the browser picks
//! from (the published photo is the fallback, and what feeds and emails show).

use super::markdown::escape_attr;

/// A photo of the site as a body shows it (see [`ImageSize`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ShownPhoto {
    /// Its output path (`articles/x/photo.jpg`), so its sizes can be made.
    pub rel: String,
    /// Its size upright, as read from its header.
    pub upright: (u32, u32),
    /// The size it is published at: the `<img>`'s `width` and `height`.
    pub width: u32,
    pub height: u32,
    /// Its WebP files with their widths; empty for GIF and SVG, which are shown as they are.
    pub webp_srcset: String,
    /// The `sizes` of that set.
    pub sizes: &'static str,
}

/// What the site knows of an image by its URL as written (`photo.jpg`, `/img/x.png`):
/// `None` when it is not a file of the site kring can size, `Err` with the reason when it
/// is one that cannot be read.
pub type ImageSize<'f> = dyn Fn(&str) -> Result<Option<ShownPhoto>, String> + Sync + 'f;

/// An image being read: its `<img>` is written once its alt text is known.
pub(super) struct PendingImage {
    pub src: String,
    pub title: String,
    pub alt: String,
    pub shown: Option<ShownPhoto>,
    pub offset: usize,
}

impl PendingImage {
    /// The image's markup; `first` is the body's first image, likely on the first screen.
    pub fn html(&self, first: bool) -> String {
        let mut tag = format!(
            "<img src=\"{}\" alt=\"{}\"",
            escape_attr(&self.src),
            escape_attr(&self.alt)
        );
        if !self.title.is_empty() {
            tag.push_str(&format!(" title=\"{}\"", escape_attr(&self.title)));
        }
        if let Some(shown) = &self.shown {
            tag.push_str(&format!(
                " width=\"{}\" height=\"{}\"",
                shown.width, shown.height
            ));
        }
        if !first {
            tag.push_str(" loading=\"lazy\"");
        }
        tag.push_str(" decoding=\"async\">");
        match &self.shown {
            Some(shown) if !shown.webp_srcset.is_empty() => format!(
                "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{}\">{tag}</picture>",
                escape_attr(&shown.webp_srcset),
                shown.sizes
            ),
            _ => tag,
        }
    }
}
