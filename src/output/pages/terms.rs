//! Taxonomy pages: the list of a taxonomy's terms, and each term's pages.

use super::Renderer;
use super::pager;
use crate::error::Result;
use crate::model::routes::index_file;
use crate::output::feeds;
use crate::output::write::Sink;
use crate::render::views::{self, TaxonomyHeader, TermPageView, TermView};

impl Renderer<'_> {
    pub(super) fn write_taxonomy_list(&self, t: usize, out: &dyn Sink) -> Result<()> {
        let taxonomy = &self.site.taxonomies[t];
        let mut ctx = self.context(&taxonomy.permalink, &[], None);
        ctx.insert("taxonomy".into(), self.taxonomy_values[t].clone());
        let html = self.templates.render(
            "taxonomy_list.html",
            ctx,
            &format!("the {} list", taxonomy.name),
        )?;
        out.write(&index_file(&taxonomy.path), html.as_bytes())
    }

    pub(super) fn write_term_pager(
        &self,
        t: usize,
        term_index: usize,
        n: usize,
        out: &dyn Sink,
    ) -> Result<()> {
        let taxonomy = &self.site.taxonomies[t];
        let term = &taxonomy.terms[term_index];
        let term_feeds = if taxonomy.feed {
            feeds::links_for(
                &self.site.config.feeds,
                self.site.config.base_url.as_str(),
                &term.path,
                &format!("{} — {}", self.site.config.title, term.name),
            )
        } else {
            Vec::new()
        };
        let pager = pager(
            &term.pages,
            taxonomy.paginate_by,
            &term.permalink,
            &term.path,
            n,
        );
        let mut ctx = self.context(&pager.permalink, &term_feeds, None);
        let list = self.list(pager.items);
        // Without its terms: a list of every term on every term page grows with the square
        // of the number of terms (an `authors` taxonomy has one per author).
        ctx.insert(
            "taxonomy".into(),
            views::value(TaxonomyHeader::of(taxonomy)),
        );
        let view = TermPageView {
            term: TermView::of(term),
            feeds: term_feeds,
            calendar: crate::model::routes::term_calendar(self.site, taxonomy, term)
                .map(|path| crate::render::views::CalendarView::at(self.site, &path)),
        };
        ctx.insert(
            "term".into(),
            serde_json::to_value(&view).unwrap_or_default(),
        );
        ctx.insert("paginator".into(), pager.value(list));
        let html = self.templates.render(
            "taxonomy_term.html",
            ctx,
            &format!("the {} page of {}", taxonomy.name, term.name),
        )?;
        out.write(&pager.file, html.as_bytes())
    }
}
