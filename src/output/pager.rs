//! Pagination: one list page of a section or term, and the links between list pages.

use serde_json::{Value, json};

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

    pub fn value(&self, pages: Vec<Value>) -> Value {
        let i = self.index;
        // `json!` would copy the list by serializing it again; it is moved in instead.
        let mut value = json!({
            "current_index": i,
            "number_pagers": self.count,
            "total_pages": self.total,
            "paginate_by": self.per_page,
            "first": self.url_of(1),
            "last": self.url_of(self.count),
            "previous": (i > 1).then(|| self.url_of(i - 1)),
            "next": (i < self.count).then(|| self.url_of(i + 1)),
            "pagers": self.window().into_iter().map(|(n, gap)| json!({ "index": n, "permalink": self.url_of(n), "gap_before": gap })).collect::<Vec<_>>(),
        });
        value["pages"] = Value::Array(pages);
        value
    }
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
