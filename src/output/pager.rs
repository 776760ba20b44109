//! Pagination: one list page of a section or term, and the links between list pages.

use serde::Serialize;
use serde_json::Value;

use crate::model::routes::{pager_count, pager_file, pager_url};

/// One page of a paginated list.
pub struct Pager<'a> {
    pub index: usize,
    pub count: usize,
    pub items: &'a [usize],
    pub permalink: String,
    /// Output file, e.g. `articles/page/2/index.html`.
    pub file: String,
    base_permalink: String,
    total: usize,
    per_page: Option<usize>,
}

impl Pager<'_> {
    fn url_of(&self, i: usize) -> String {
        pager_url(&self.base_permalink, i)
    }

    /// The pager numbers worth linking: the first, the last and two either side of the
    /// current one, each with whether numbers were skipped before it. A list of every pager
    /// would make a long section's list pages grow with the square of its length.
    fn window(&self) -> Vec<(usize, bool)> {
        let near = self.index.saturating_sub(2).max(1)..=(self.index + 2).min(self.count);
        let mut numbers: Vec<usize> = std::iter::once(1)
            .chain(near)
            .chain(std::iter::once(self.count))
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        let mut previous = 0;
        numbers
            .into_iter()
            .map(|n| {
                let gap = n > previous + 1;
                previous = n;
                (n, gap)
            })
            .collect()
    }

    /// The `paginator` of a list page, with its `pages` (list views).
    pub fn value(&self, pages: Vec<Value>) -> Value {
        let i = self.index;
        let view = PaginatorView {
            current_index: i,
            number_pagers: self.count,
            total_pages: self.total,
            paginate_by: self.per_page,
            first: self.url_of(1),
            last: self.url_of(self.count),
            previous: (i > 1).then(|| self.url_of(i - 1)),
            next: (i < self.count).then(|| self.url_of(i + 1)),
            pagers: self
                .window()
                .into_iter()
                .map(|(n, gap)| PagerLink {
                    index: n,
                    permalink: self.url_of(n),
                    gap_before: gap,
                })
                .collect(),
        };
        // The list is moved in afterwards: serializing it with the rest would copy it.
        let mut value = serde_json::to_value(view).unwrap_or_default();
        value["pages"] = Value::Array(pages);
        value
    }
}

/// `paginator` in list templates (its `pages` are added beside these).
#[derive(Debug, Serialize)]
pub struct PaginatorView {
    /// 1-based.
    pub current_index: usize,
    pub number_pagers: usize,
    /// How many items the whole list has.
    pub total_pages: usize,
    pub paginate_by: Option<usize>,
    pub first: String,
    pub last: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// The pagers worth linking: the first, the last, and two either side of this one.
    pub pagers: Vec<PagerLink>,
}

#[derive(Debug, Serialize)]
pub struct PagerLink {
    pub index: usize,
    pub permalink: String,
    /// Numbers were skipped before this one (show "…").
    pub gap_before: bool,
}

/// List page `n` (0-based) of `items` cut into pages of `per_page` (one page when `None`).
pub fn pager<'a>(
    items: &'a [usize],
    per_page: Option<usize>,
    permalink: &str,
    path: &str,
    n: usize,
) -> Pager<'a> {
    let count = pager_count(items.len(), per_page);
    let slice = match per_page {
        Some(size) if size > 0 => {
            let start = (n * size).min(items.len());
            &items[start..(start + size).min(items.len())]
        }
        _ => items,
    };
    let index = n + 1;
    let file = pager_file(path, index);
    let permalink_n = pager_url(permalink, index);
    Pager {
        index,
        count,
        items: slice,
        permalink: permalink_n,
        file,
        base_permalink: permalink.to_string(),
        total: items.len(),
        per_page,
    }
}
