//! HTML tables as GFM tables. The header row is the `<thead>`'s first row, or the
//! table's first row when it has none (WordPress's table block, most classic tables);
//! `<tfoot>` rows come last. A cell is one line of inline Markdown: links, emphasis and
//! code stay, `<br>` stays `<br>`, `|` is escaped, and nothing in it can start a block,
//! since every row starts with `|`. A `<th>` in a body row is a **bold** cell in its
//! own column. Spans keep the columns aligned: a cell spanning three columns (or rows) is
//! its text and two empty cells (or one empty cell in each row below). The caption
//! (`<caption>`; a table block's `<figcaption>` is converted as every caption is) is an
//! italic line after the table.
//!
//! What a Markdown table cannot hold (a table in a cell, lists, paragraphs, headings,
//! code blocks in a cell, or more than [`MAX_COLUMNS`] columns) is kept as the table's
//! HTML, on one line: kring's Markdown passes an HTML block through as it is.

use std::rc::Rc;

use htmd::Element;
use htmd::element_handler::{HandlerResult, Handlers};
use markup5ever_rcdom::Node;

use super::dom::{self, attribute, elements, tag};
use crate::import::clean::RAW;

/// The widest table written as Markdown.
pub const MAX_COLUMNS: usize = 64;

/// Elements a cell of a Markdown table cannot hold.
const BLOCKS: &[&str] = &[
    "table",
    "ul",
    "ol",
    "dl",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "hr",
    "figure",
    "figcaption",
    "details",
    "menu",
    RAW,
];

/// Elements that hold a paragraph: one is a cell's line, two are two paragraphs.
const PARAGRAPHS: &[&str] = &[
    "p", "div", "section", "article", "aside", "header", "footer", "nav", "main", "center",
    "address",
];

struct Row {
    cells: Vec<Rc<Node>>,
    /// Which `<thead>`, `<tbody>` or `<tfoot>` it is in: row spans end with it.
    group: usize,
}

pub fn handle(h: &dyn Handlers, el: Element) -> Option<HandlerResult> {
    let mut rows = Vec::new();
    let mut foot = Vec::new();
    let mut captions = Vec::new();
    let mut head = Vec::new();
    for (group, child) in elements(el.node).into_iter().enumerate() {
        let rows_of = |section: &Node| {
            elements(section)
                .into_iter()
                .filter(|r| tag(r) == Some("tr"))
                .map(|r| Row {
                    cells: cells(&r),
                    group,
                })
                .collect::<Vec<_>>()
        };
        match tag(&child) {
            Some("caption") => captions.push(child),
            Some("thead") if head.is_empty() => head = rows_of(&child),
            Some("thead" | "tbody") => rows.extend(rows_of(&child)),
            Some("tfoot") => foot.extend(rows_of(&child)),
            Some("tr") => rows.push(Row {
                cells: cells(&child),
                group,
            }),
            _ => {}
        }
    }
    let rows: Vec<Row> = head.into_iter().chain(rows).chain(foot).collect();
    let simple = rows.iter().flat_map(|r| &r.cells).all(|c| !has_blocks(c));
    let Some(table) = simple.then(|| markdown(h, &rows)).flatten() else {
        let mut html = String::from("\n\n");
        dom::html(el.node, &mut html);
        html.push_str("\n\n");
        return Some(html.into());
    };
    let caption: Vec<String> = captions
        .iter()
        .map(|c| inline(h, c))
        .filter(|c| !c.is_empty())
        .collect();
    let mut out = format!("\n\n{table}\n\n");
    if !caption.is_empty() {
        out.push_str(&format!("_{}_\n\n", caption.join(" ")));
    }
    Some(out.into())
}

fn cells(row: &Node) -> Vec<Rc<Node>> {
    elements(row)
        .into_iter()
        .filter(|c| matches!(tag(c), Some("td" | "th")))
        .collect()
}

/// Whether a cell holds blocks (see [`BLOCKS`] and [`PARAGRAPHS`]).
fn has_blocks(cell: &Node) -> bool {
    let mut paragraphs = 0;
    let mut stack = elements(cell);
    while let Some(node) = stack.pop() {
        let name = tag(&node).unwrap_or_default();
        if BLOCKS.contains(&name) || attribute(&node, "data-kring-fn").is_some() {
            return true;
        }
        if PARAGRAPHS.contains(&name) {
            paragraphs += 1;
            if paragraphs > 1 {
                return true;
            }
        }
        stack.extend(elements(&node));
    }
    false
}

/// A cell's or caption's content as one line of inline Markdown.
fn inline(h: &dyn Handlers, node: &Rc<Node>) -> String {
    let md = h.walk_children(node).content;
    let line = md.split('\n').map(str::trim).filter(|l| !l.is_empty());
    let mut line = line.collect::<Vec<_>>().join(" ").replace('|', "\\|");
    // A break that ends a cell shows nothing (WordPress's editor leaves them).
    while let Some(before) = line.strip_suffix("<br>") {
        line.truncate(before.trim_end().len());
    }
    line
}

/// A span attribute's number, at least 1 (0 and nonsense count as 1: HTML's `rowspan="0"`,
/// to the end of the group, is rare enough to be the cell itself).
fn span(cell: &Node, name: &str) -> usize {
    attribute(cell, name)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_COLUMNS * 1024)
}

/// The GFM table, or `None` when it is wider than [`MAX_COLUMNS`].
fn markdown(h: &dyn Handlers, rows: &[Row]) -> Option<String> {
    let mut grid: Vec<Vec<String>> = Vec::with_capacity(rows.len());
    // For each column, how many more rows a cell above still covers.
    let mut covered: Vec<usize> = Vec::new();
    let mut group = None;
    for (i, row) in rows.iter().enumerate() {
        if group != Some(row.group) {
            covered.clear();
            group = Some(row.group);
        }
        let mut line = Vec::new();
        let mut cells = row.cells.iter();
        loop {
            let col = line.len();
            if let Some(n) = covered.get_mut(col).filter(|n| **n > 0) {
                *n -= 1;
                line.push(String::new());
                continue;
            }
            let Some(cell) = cells.next() else { break };
            let mut text = inline(h, cell);
            if i > 0 && tag(cell) == Some("th") && !text.is_empty() && !text.starts_with("**") {
                text = format!("**{text}**");
            }
            let down = span(cell, "rowspan") - 1;
            for k in 0..span(cell, "colspan") {
                let col = line.len();
                if col >= MAX_COLUMNS {
                    return None;
                }
                line.push(if k == 0 {
                    std::mem::take(&mut text)
                } else {
                    String::new()
                });
                if covered.len() <= col {
                    covered.resize(col + 1, 0);
                }
                covered[col] = down;
            }
        }
        for n in covered.iter_mut().skip(line.len()) {
            *n = n.saturating_sub(1);
        }
        grid.push(line);
    }
    let width = grid.iter().map(Vec::len).max().unwrap_or(0);
    if width == 0 {
        return Some(String::new());
    }
    // Columns padded to their widest cell, so the table reads as one in the file too.
    let widths: Vec<usize> = (0..width)
        .map(|col| {
            let cells = grid.iter().filter_map(|line| line.get(col));
            cells.map(|c| c.chars().count()).max().unwrap_or(0).max(1)
        })
        .collect();
    let mut out = String::new();
    for (i, line) in grid.iter().enumerate() {
        out.push('|');
        for (col, width) in widths.iter().enumerate() {
            let cell = line.get(col).map_or("", String::as_str);
            out.push(' ');
            out.push_str(cell);
            out.push_str(&" ".repeat(width - cell.chars().count()));
            out.push_str(" |");
        }
        out.push('\n');
        if i == 0 {
            out.push('|');
            for width in &widths {
                out.push_str(&format!(" {} |", "-".repeat(*width)));
            }
            out.push('\n');
        }
    }
    out.pop();
    Some(out)
}
