//! A section: a folder of pages with an `_index.md`.

use std::path::PathBuf;

use crate::content::load::SourceFile;
use crate::content::markdown::Rendered;
use crate::vocabulary::{Kind, SortBy};

#[derive(Debug)]
pub struct Section {
    /// `None` for a folder without `_index.md`.
    pub file: Option<SourceFile>,
    /// Content-relative folder: `""` for the home page.
    pub dir: String,
    pub kind: Kind,
    pub title: String,
    pub description: Option<String>,
    /// Site-relative path: `""` for the home page, `articles/`.
    pub path: String,
    pub permalink: String,
    pub parent: Option<usize>,
    pub subsections: Vec<usize>,
    /// Published pages, sorted as the section asks.
    pub pages: Vec<usize>,
    pub sort_by: SortBy,
    pub paginate_by: Option<usize>,
    pub feed: bool,
    pub in_menu: bool,
    /// Front matter `in_search`: `false` leaves the section's pages out of the search.
    pub in_search: bool,
    pub menu_title: Option<String>,
    pub weight: i64,
    pub template: Option<String>,
    pub page_template: Option<String>,
    pub extra: toml::Table,
    pub content: Rendered,
    pub assets: Vec<PathBuf>,
}

impl Section {
    pub fn is_home(&self) -> bool {
        self.dir.is_empty()
    }
    /// Content-relative path of the section's `_index.md`, as `@/` links name it.
    pub fn index_file(&self) -> String {
        if self.dir.is_empty() {
            "_index.md".into()
        } else {
            format!("{}/_index.md", self.dir)
        }
    }
}
