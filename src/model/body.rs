//! Markdown bodies of pages and sections: rendered with every content file's permalink
//! known and every local photo's published size, and what the renderer found — broken
//! `@/` links and nesting past the limit (errors), images without alt text (warnings).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::content::load::SourceFile;
use crate::content::markdown::{self, LinkResolver, MarkdownOptions, Rendered};
use crate::content::photo::{is_photo, published_size, upright_size};
use crate::error::Diagnostic;

/// Content path → permalink, for `@/` links and `get_url`.
#[derive(Debug, Default)]
pub(super) struct Permalinks(pub HashMap<String, String>);

impl LinkResolver for Permalinks {
    fn permalink(&self, path: &str) -> Option<String> {
        self.0.get(path.trim_start_matches('/')).cloned()
    }
}

/// What every body of a site is rendered with.
pub(super) struct Bodies<'a> {
    pub smart_punctuation: bool,
    /// The site's root URL (root-relative links resolve against it).
    pub root: &'a str,
    pub links: &'a Permalinks,
    /// The site's `static/`, where `/img/x.jpg` is.
    pub static_dir: PathBuf,
}

/// A rendered body, and what is wrong with it.
pub(super) struct Body {
    pub rendered: Rendered,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<String>,
}

impl Bodies<'_> {
    /// The body of `file`, whose page or section is at `permalink`.
    pub fn render(&self, file: &SourceFile, permalink: &str) -> Body {
        // Files beside the Markdown are published beside the page: a bundle's `index.md`
        // and a section's `_index.md`.
        let folder = file
            .rel
            .ends_with("index.md")
            .then(|| file.path.parent())
            .flatten();
        let size = |url: &str| image_size(url, folder, &self.static_dir);
        let options = MarkdownOptions {
            smart_punctuation: self.smart_punctuation,
            page_permalink: permalink,
            base_url: self.root,
            image_size: Some(&size),
        };
        let (rendered, broken) = markdown::render(file.body(), &options, self.links);
        let mut errors: Vec<Diagnostic> = broken
            .into_iter()
            .map(|b| {
                file.error_in_body(
                    b.offset,
                    format!(
                        "link to {} which does not exist: `@/` links name a file under content/, e.g. @/articles/welcome.md",
                        b.target
                    ),
                )
            })
            .collect();
        for (at, why) in &rendered.unreadable_images {
            errors.push(file.error_in_body(
                *at,
                format!("this image cannot be published: {why}. Replace it with a JPEG, PNG or WebP file that opens in an image viewer"),
            ));
        }
        if let Some(at) = rendered.too_deep_at {
            errors.push(file.error_in_body(
                at,
                format!(
                    "lists, quotes or other blocks nest more than {} levels deep here: flatten them",
                    markdown::MAX_NESTING
                ),
            ));
        }
        let warnings = rendered
            .images_without_alt
            .iter()
            .map(|&at| {
                let d = file.error_in_body(at, "");
                format!(
                    "{}:{}: an image without alt text: say what it shows in ![…](…), for those who hear the page instead of seeing it",
                    d.file.display(),
                    d.line.unwrap_or(1)
                )
            })
            .collect();
        Body {
            rendered,
            errors,
            warnings,
        }
    }
}

/// The published size of the photo a body's image `url` names: beside the Markdown file
/// (`photo.jpg`) or in `static/` (`/img/photo.jpg`). `None` for anything else.
/// A photo that exists but cannot be read is `Err`, so the error names the page and line.
fn image_size(
    url: &str,
    folder: Option<&Path>,
    static_dir: &Path,
) -> Result<Option<(u32, u32)>, String> {
    let url = url.split(['?', '#']).next().unwrap_or("");
    if url.is_empty() || url.contains("://") || url.starts_with("//") || !is_photo(url) {
        return Ok(None);
    }
    if url
        .split('/')
        .any(|part| part == ".." || part.contains('\\'))
    {
        return Ok(None);
    }
    let path = match (url.strip_prefix('/'), folder) {
        (Some(rooted), _) => static_dir.join(rooted),
        (None, Some(folder)) => folder.join(url),
        (None, None) => return Ok(None),
    };
    if !path.is_file() {
        return Ok(None); // a broken link: `kring check` reports it
    }
    let (w, h) = upright_size(&path)?;
    Ok(Some(published_size(w, h)))
}
