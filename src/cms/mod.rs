//! The content editor: Decap CMS's config generated from kring's content model
//! ([`config`]), and the files `kring cms` writes into `static/admin/`.

pub mod config;
pub mod fields;
pub mod yaml;
