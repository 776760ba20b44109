//! Markdown bodies of pages and sections: rendered with every content file's permalink
//! known and every local photo's published size, and what the renderer found — broken
//! `@/` links and nesting past the limit (errors), images without alt text (warnings).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::content::load::SourceFile;
use crate::content::markdown::ShownPhoto;
use crate::content::markdown::{self, LinkResolver, MarkdownOptions, Rendered};
use crate::content::photo::{is_passthrough, is_photo, passthrough_size, upright_size};
use crate::error::Diagnostic;
use crate::model::variants;

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
    /// The body of `page`: as [`Bodies::render`], and a sponsored page's links to other
    /// sites marked `rel="sponsored noopener"`.
    pub fn render_page(&self, page: &super::Page) -> Body {
        let mut body = self.render(&page.file, &page.permalink);
        if page.sponsored.is_some() {
            body.rendered.html = mark_sponsored(&body.rendered.html, self.root);
        }
        body
    }

    /// The body of `file`, whose page or section is at `permalink`.
    pub fn render(&self, file: &SourceFile, permalink: &str) -> Body {
        // Files beside the Markdown are published beside the page: a bundle's `index.md`
        // and a section's `_index.md`.
        let folder = file
            .rel
            .ends_with("index.md")
            .then(|| file.path.parent())
            .flatten();
        let page_dir = permalink.strip_prefix(self.root).unwrap_or("");
        let size = |url: &str| self.image(url, folder, page_dir);
        let options = MarkdownOptions {
            smart_punctuation: self.smart_punctuation,
            page_permalink: permalink,
            base_url: self.root,
            image_size: Some(&size),
        };
        let text = match file.read_body() {
            Ok(text) => text,
            Err(error) => {
                return Body {
                    rendered: Rendered::default(),
                    errors: vec![error],
                    warnings: Vec::new(),
                };
            }
        };
        let (rendered, broken) = markdown::render(&text, &options, self.links);
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
        for (at, why) in &rendered.block_errors {
            errors.push(file.error_in_body(*at, why.clone()));
        }
        if let Some(at) = rendered.too_deep_at {
            errors.push(file.error_in_body(
                at,
                format!(
                    "lists, quotes, HTML elements or other blocks nest more than {} levels deep here (an HTML element counts until it is closed): flatten them",
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

impl Bodies<'_> {
    /// How the image a body's `url` names is shown: a file beside the Markdown
    /// (`photo.jpg`, published in the page's folder `page_dir`) or in `static/`
    /// (`/img/photo.jpg`). `None` for anything else; a photo that exists but cannot be read
    /// is `Err`, so the error names the page and line.
    fn image(
        &self,
        url: &str,
        folder: Option<&Path>,
        page_dir: &str,
    ) -> Result<Option<ShownPhoto>, String> {
        let url = url.split(['?', '#']).next().unwrap_or("");
        let sized = is_photo(url) || is_passthrough(url);
        if url.is_empty() || url.contains("://") || url.starts_with("//") || !sized {
            return Ok(None);
        }
        if url
            .split('/')
            .any(|part| part == ".." || part.contains('\\'))
        {
            return Ok(None);
        }
        let (path, rel) = match (url.strip_prefix('/'), folder) {
            (Some(rooted), _) => (self.static_dir.join(rooted), rooted.to_string()),
            (None, Some(folder)) => (folder.join(url), format!("{page_dir}{url}")),
            (None, None) => return Ok(None),
        };
        if !path.is_file() {
            return Ok(None); // a broken link: `kring check` reports it
        }
        if !is_photo(url) {
            return Ok(passthrough_size(&path).map(|(w, h)| ShownPhoto {
                rel,
                upright: (w, h),
                width: w,
                height: h,
                ..ShownPhoto::default()
            }));
        }
        let upright = upright_size(&path)?;
        let published = variants::published(&rel, upright);
        let webp_srcset = variants::srcset(&variants::fluid(&rel, upright), |file| {
            format!("{}{file}", self.root)
        });
        Ok(Some(ShownPhoto {
            rel,
            upright,
            width: published.width,
            height: published.height,
            webp_srcset,
            sizes: variants::FLUID_SIZES,
        }))
    }
}

/// Every link in `html` to another site (not under `root`) marked `rel="sponsored
/// noopener"`, as search engines and the Dutch advertising code ask of paid content.
fn mark_sponsored(html: &str, root: &str) -> String {
    use lol_html::{RewriteStrSettings, element, rewrite_str};
    let settings =
        RewriteStrSettings::new().append_element_content_handler(element!("a[href]", |el| {
            let href = el.get_attribute("href").unwrap_or_default();
            let outbound = (href.starts_with("https://")
                || href.starts_with("http://")
                || href.starts_with("//"))
                && !href.starts_with(root);
            if outbound {
                let mut rel: Vec<String> = el
                    .get_attribute("rel")
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(str::to_string)
                    .collect();
                for word in ["sponsored", "noopener"] {
                    if !rel.iter().any(|r| r == word) {
                        rel.push(word.to_string());
                    }
                }
                el.set_attribute("rel", &rel.join(" "))?;
            }
            Ok(())
        }));
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}
