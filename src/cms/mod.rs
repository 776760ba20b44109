//! The content editor: Decap CMS's config generated from kring's content model
//! ([`config`]), the local backend's counterpart in `kring serve`, and the files `kring cms`
//! writes into `static/admin/` ([`write_admin`]), with Decap vendored ([`vendor`]) and
//! kring's content blocks as editor components ([`blocks`]).

pub mod backend;
pub mod blocks;
pub mod config;
pub mod fields;
pub mod vendor;
pub mod yaml;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Where the editor lives in the site, and so at `/admin/` on the web.
pub const ADMIN_DIR: &str = "static/admin";

/// The editor's page: Decap from beside it (no other host), kept out of search engines.
const INDEX_HTML: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>Content editor</title>
</head>
<body>
<script src="./decap-cms.js"></script>
<script src="./kring-admin.js"></script>
<script src="./kring-blocks.js"></script>
</body>
</html>
"#;

/// The editor's preview with the theme's own stylesheet. A file, not an inline script, so a
/// Content-Security-Policy without `unsafe-inline` still allows it.
const ADMIN_JS: &str = "// Written by `kring cms`: previews in the site's own style.\nCMS.registerPreviewStyle(\"../kring.css\");\n";

/// What [`write_admin`] did.
#[derive(Debug)]
pub struct Written {
    pub files: Vec<PathBuf>,
    /// Decap was downloaded (it was missing, or `refresh` asked for it).
    pub vendored: bool,
}

/// Writes `static/admin/`: the page, the generated `config.yml` (keeping its marked part),
/// and Decap from `registry` when it is not there yet or `refresh` is set.
pub fn write_admin(site_dir: &Path, registry: &str, refresh: bool) -> Result<Written> {
    let model = config::read_site(site_dir)?;
    let dir = site_dir.join(ADMIN_DIR);
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let config_path = dir.join("config.yml");
    let previous = std::fs::read_to_string(&config_path).ok();
    let text = config::render(&config::generate(&model), previous.as_deref());
    let blocks = blocks::script(&model);
    let mut files = Vec::new();
    for (path, bytes) in [
        (config_path, text.as_bytes()),
        (dir.join("index.html"), INDEX_HTML.as_bytes()),
        (dir.join("kring-admin.js"), ADMIN_JS.as_bytes()),
        (dir.join(blocks::SCRIPT_NAME), blocks.as_bytes()),
    ] {
        std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
        files.push(path);
    }
    let vendored = refresh || !dir.join("decap-cms.js").is_file();
    if vendored {
        let tarball = vendor::download(&vendor::DECAP, registry)?;
        let bundle = vendor::bundle(&tarball, &vendor::DECAP)?;
        files.extend(vendor::write_bundle(&dir, &bundle)?);
    }
    Ok(Written { files, vendored })
}
