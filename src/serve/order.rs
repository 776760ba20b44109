//! The order in which the dev server writes: what a person looks at first, the rest after
//! in steps small enough that a new request or a new change does not wait long behind them.

use std::path::PathBuf;

use crate::model::Site;
use crate::output::pages::Job;
use crate::output::plan::{Output, Plan};

/// How many outputs are written between two looks at what is asked for or changed: a few
/// dozen pages' work.
pub const STEP: usize = 64;

/// Splits a rebuild's `plan` into what is written before the browsers are told to reload
/// and what is written after: first the HTML pages of the `edited` files (Markdown, by
/// path) and those at the `visited` URL paths, with the changed static files (a stylesheet
/// swap shows them at once); then every other page, list, feed, card, calendar, the sitemap
/// and the search index. So an edit is served after one page's work however large the site
/// is, and the rest follows within the same rebuild (see [`DevSite::finish`](super::rebuild::DevSite::finish)).
pub(super) fn first_and_rest(
    plan: Plan,
    sites: &[&Site],
    visited: &[String],
    edited: &[PathBuf],
) -> (Plan, Plan) {
    let (visited_pages, others) = plan
        .visited_first(sites, visited)
        .unwrap_or_else(|| (Plan::default(), plan));
    let (mut first, mut rest) = (Plan::default(), Plan::default());
    for (part, shown) in [(visited_pages, true), (others, false)] {
        for (lang, outputs) in part.languages() {
            for output in outputs {
                let now = match output {
                    Output::Static(_) => true,
                    Output::Html(Job::Page(i)) => {
                        shown || edited.contains(&sites[lang].pages[*i].file.path)
                    }
                    Output::Html(_) => shown,
                    _ => false,
                };
                if now {
                    first.add(lang, output.clone());
                } else {
                    rest.add(lang, output.clone());
                }
            }
        }
    }
    (first, rest)
}

/// The next step of a build written in steps: the pages at the `wanted` URL paths when there are
/// such in `rest`, else the next [`STEP`] outputs; and what is left after it.
pub(super) fn next_step(rest: Plan, sites: &[&Site], wanted: &[String]) -> (Plan, Plan) {
    let asked = (!wanted.is_empty())
        .then(|| rest.visited_first(sites, wanted))
        .flatten();
    if let Some((asked, others)) = asked {
        // `visited_first` puts every output that is not a page with the pages.
        let (pages, not_pages) = split(asked, |_, o| matches!(o, Output::Html(_)));
        let mut later = others;
        later.merge(not_pages);
        return (pages, later);
    }
    let mut taken = 0;
    split(rest, |_, _| {
        taken += 1;
        taken <= STEP
    })
}

/// The outputs of `plan` for which `take` holds, and the others.
pub(super) fn split(plan: Plan, mut take: impl FnMut(usize, &Output) -> bool) -> (Plan, Plan) {
    let (mut yes, mut no) = (Plan::default(), Plan::default());
    for (lang, outputs) in plan.languages() {
        for output in outputs {
            if take(lang, output) {
                yes.add(lang, output.clone());
            } else {
                no.add(lang, output.clone());
            }
        }
    }
    (yes, no)
}
