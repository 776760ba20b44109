//! What cleaning did to one body, for the report: embeds turned into videos or links, and
//! every element removed or not converted, by kind. A writer moves an archive once; what
//! does not arrive must be named with its post, never dropped without a word.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use lol_html::html_content::{ContentType, Element};

/// A kind of thing the importer removed from a post, or could keep only as a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Removal {
    /// Subscribe and sign-up boxes, forms and buttons (kring's own form is on every page).
    SignUp,
    /// Share, comment and gift buttons of the old platform.
    Button,
    /// Ghost's portal links and buttons (`#/portal/signup`), which only work on Ghost.
    Portal,
    Script,
    /// Forms and their fields, outside a sign-up box.
    Form,
    /// An embed or widget kring has no equivalent for (a poll, a chat, an unknown iframe
    /// without a web address).
    Embed,
    /// An embed kept only as a link to where it was (an iframe of a map, a player).
    LinkedEmbed,
    /// A WordPress shortcode kring does not know (`[contact-form-7]`).
    Shortcode,
    /// Inline drawings, canvases and plugin objects (`<svg>`, `<canvas>`, `<object>`).
    Drawing,
}

impl Removal {
    /// The kind as the report names one of it: "a script".
    pub fn one(self) -> &'static str {
        match self {
            Removal::SignUp => "a sign-up form or button",
            Removal::Button => "a share or comment button",
            Removal::Portal => "a Ghost portal link",
            Removal::Script => "a script",
            Removal::Form => "a form or form field",
            Removal::Embed => "an embed kring cannot show",
            Removal::LinkedEmbed => "an embed shown as a link only",
            Removal::Shortcode => "a shortcode",
            Removal::Drawing => "a drawing or plugin object (svg, canvas, object)",
        }
    }

    /// The kind as the report names several: "scripts".
    pub fn many(self) -> &'static str {
        match self {
            Removal::SignUp => "sign-up forms or buttons",
            Removal::Button => "share or comment buttons",
            Removal::Portal => "Ghost portal links",
            Removal::Script => "scripts",
            Removal::Form => "forms or form fields",
            Removal::Embed => "embeds kring cannot show",
            Removal::LinkedEmbed => "embeds shown as links only",
            Removal::Shortcode => "shortcodes",
            Removal::Drawing => "drawings or plugin objects (svg, canvas, object)",
        }
    }
}

/// The most characters of one removed element's detail (an address, a shortcode) kept.
const MAX_DETAIL: usize = 200;

/// One body's tally, filled by the platform's rules and [`super::clean::common`].
#[derive(Debug, Default)]
pub struct Tally {
    embeds: Cell<usize>,
    removed: RefCell<Vec<(Removal, String)>>,
    /// How many removed or replaced elements the rewriter is inside: lol_html still calls
    /// the handlers of what they contain, which must not count it again.
    inside: Rc<Cell<usize>>,
}

impl Tally {
    /// An embed became a video or a link.
    pub fn embed(&self) {
        self.embeds.set(self.embeds.get() + 1);
    }

    /// `kind` was removed; `detail` says which (an address, a name), shortened, one line.
    pub fn removed(&self, kind: Removal, detail: &str) {
        let detail: String = super::model::clean_text(detail)
            .chars()
            .filter(|c| !is_bidi_control(*c))
            .take(MAX_DETAIL)
            .collect();
        self.removed.borrow_mut().push((kind, detail));
    }

    /// Whether the element being handled is inside one already removed or replaced.
    pub fn quiet(&self) -> bool {
        self.inside.get() > 0
    }

    /// Removes `el` and what it holds, naming it as `kind` unless it is inside something
    /// already removed.
    pub fn drop(&self, el: &mut Element, kind: Option<Removal>, detail: &str) {
        if let Some(kind) = kind.filter(|_| !self.quiet()) {
            self.removed(kind, detail);
        }
        self.enter(el);
        el.remove();
    }

    /// Replaces `el` (and what it holds) with `html`.
    pub fn replace(&self, el: &mut Element, html: &str) {
        self.enter(el);
        el.replace(html, ContentType::Html);
    }

    /// Counts the handlers run until `el`'s end tag as inside it.
    fn enter(&self, el: &mut Element) {
        if let Some(ends) = el.end_tag_handlers() {
            self.inside.set(self.inside.get() + 1);
            let inside = self.inside.clone();
            let on_end: lol_html::EndTagHandler<'static> = Box::new(move |_| {
                inside.set(inside.get().saturating_sub(1));
                Ok(())
            });
            ends.push(on_end);
        }
    }

    pub fn embeds(&self) -> usize {
        self.embeds.get()
    }

    /// What was removed, in the order it was met.
    pub fn take_removed(&self) -> Vec<(Removal, String)> {
        self.removed.take()
    }
}

/// Characters that reorder the text around them on a terminal (a report line that shows
/// another address than it holds).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}')
}

/// The report's words for one post's removals: counted per kind, kinds in the order they
/// were met, a few details each ("2 scripts (https://a.example/x.js, …), a shortcode
/// ([gallery])").
pub fn summary(removed: &[(Removal, String)]) -> String {
    let mut kinds: Vec<(Removal, usize, Vec<&str>)> = Vec::new();
    for (kind, detail) in removed {
        let entry = match kinds.iter().position(|(k, _, _)| k == kind) {
            Some(i) => &mut kinds[i],
            None => {
                kinds.push((*kind, 0, Vec::new()));
                kinds.last_mut().expect("just pushed")
            }
        };
        entry.1 += 1;
        if !detail.is_empty() && !entry.2.contains(&detail.as_str()) {
            entry.2.push(detail);
        }
    }
    kinds
        .iter()
        .map(|(kind, n, details)| {
            let what = if *n == 1 {
                kind.one().to_string()
            } else {
                format!("{n} {}", kind.many())
            };
            match details.len() {
                0 => what,
                1..=3 => format!("{what} ({})", details.join(", ")),
                _ => format!("{what} ({}, …)", details[..3].join(", ")),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removals_are_counted_per_kind_with_a_few_details() {
        let tally = Tally::default();
        tally.removed(Removal::SignUp, "");
        for i in 0..5 {
            tally.removed(Removal::Script, &format!("https://a.example/{i}.js"));
        }
        tally.removed(Removal::Shortcode, "[gallery\0 ids=\"1\u{202E}\"]\r\n");
        let line = summary(&tally.take_removed());
        assert_eq!(
            line,
            "a sign-up form or button, 5 scripts (https://a.example/0.js, https://a.example/1.js, https://a.example/2.js, …), a shortcode ([gallery ids=\"1\"])"
        );
    }
}
