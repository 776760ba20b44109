//! A series' own page: `/series/<slug>/`, its parts in reading order, what `kring.toml`
//! says about it, and its feeds.

use serde::Serialize;
use serde_json::Value;

use super::Renderer;
use crate::error::Result;
use crate::model::routes::{index_file, series_path};
use crate::output::feeds::{self, FeedLink};
use crate::output::write::Sink;

/// `series` in `series.html`.
#[derive(Serialize)]
struct SeriesView<'a> {
    name: &'a str,
    permalink: String,
    description: Option<&'a str>,
    /// The parts' list views, first part first.
    parts: Vec<Value>,
    feeds: Vec<FeedLink>,
}

impl Renderer<'_> {
    pub(super) fn write_series(&self, index: usize, out: &dyn Sink) -> Result<()> {
        let site = self.site;
        let name = site.series_names()[index];
        let path = series_path(name);
        let permalink = site.config.base_url.join(&path);
        let series_feeds = feeds::links_for(
            &site.config.feeds,
            site.config.base_url.as_str(),
            &path,
            &format!("{} — {name}", site.config.title),
        );
        let mut ctx = self.context(&permalink, &series_feeds, None);
        let view = SeriesView {
            name,
            description: feeds::series_description(site, name),
            parts: site.series[name]
                .iter()
                .map(|&i| self.summaries.get(i))
                .collect(),
            feeds: series_feeds,
            permalink,
        };
        ctx.insert(
            "series".into(),
            serde_json::to_value(&view).unwrap_or_default(),
        );
        let html = self.templates.render(
            "series.html",
            ctx,
            &format!("the page of the series {name}"),
        )?;
        out.write(&index_file(&path), html.as_bytes())
    }
}
