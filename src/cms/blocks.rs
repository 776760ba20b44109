//! kring's content blocks as Decap editor components: `static/admin/kring-blocks.js`, one
//! component per block of [`BUILT_INS`] with a field per argument. The script that writes
//! and reads kring's block syntax is `kring-blocks.js` beside this file; what differs per
//! block (its arguments, fields and body) is generated here, from kring's own list.

use serde::Serialize;

use super::config::SiteModel;
use super::fields::{self, Default, Field, Widget};
use crate::content::blocks::{BUILT_INS, BuiltIn};

/// The file the admin page loads after Decap.
pub const SCRIPT_NAME: &str = "kring-blocks.js";

/// The part of the script that is the same for every site.
const RUNTIME: &str = include_str!("kring-blocks.js");

/// What a block's body is in the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyForm {
    /// Markdown in one text field, `body`.
    Text,
    /// An introduction and a list of questions with their answers (`### question` headings).
    Faq,
}

/// One editor component, as the script reads it.
#[derive(Debug, Clone, Serialize)]
pub struct Component {
    pub id: &'static str,
    pub label: &'static str,
    /// The block's arguments, in the order they are written.
    pub args: &'static [&'static str],
    pub body: Option<BodyForm>,
    pub fields: Vec<Field>,
}

/// The component for `block`, or `None` for a block the editor does not know: the test of
/// this module fails then, so a block kring gains gets its component.
pub fn component(block: &BuiltIn, site: &SiteModel) -> Option<Component> {
    let text = |name: &str, label: &str| Field::new(name, label, Widget::Text);
    let string = |name: &str, label: &str| Field::new(name, label, Widget::String);
    let (label, body, fields) = match block.name {
        "faq" => (
            "FAQ",
            Some(BodyForm::Faq),
            vec![
                text("intro", "Introduction"),
                Field::new("items", "Questions", Widget::List)
                    .with(vec![
                        string("question", "Question").required(),
                        text("answer", "Answer (Markdown)").required(),
                    ])
                    .required(),
            ],
        ),
        "callout" => {
            let mut kind = Field::new("kind", "Kind", Widget::Select)
                .default(Default::Text("note".into()))
                .required();
            kind.options = ["note", "tip", "warning"].map(String::from).to_vec();
            (
                "Callout",
                Some(BodyForm::Text),
                vec![
                    kind,
                    string("title", "Title (instead of the kind's name)"),
                    text("body", "Text (Markdown)").required(),
                ],
            )
        }
        "video" => (
            "Video",
            None,
            vec![
                fields::url("url", "Address (YouTube, Vimeo or PeerTube)").required(),
                string("title", "Title"),
                string("start", "Start at").hint("A time like 1m30s, 1:30 or 90"),
            ],
        ),
        "event" => {
            let mut path = string("path", "Event").required().hint(
                "The event's file, as @/ links name it: @/events/name.md (or @/events/name for a folder)",
            );
            path.pattern = Some(["^@/.+".into(), "a path starting with @/".into()]);
            ("Event card", None, vec![path])
        }
        "member" => {
            let id = match &site.members_collection {
                Some(members) => {
                    let mut f = Field::new("id", "Member", Widget::Relation);
                    f.collection = Some(members.clone());
                    f.value_field = Some("{{slug}}");
                    f.search_fields = vec!["title", "name"];
                    f.display_fields = vec!["title"];
                    f
                }
                None => string("id", "Member (the member file's name)"),
            };
            ("Member card", None, vec![id.required()])
        }
        "signup" => ("Newsletter signup", None, Vec::new()),
        _ => return None,
    };
    let mut fields = fields;
    strip_i18n(&mut fields);
    Some(Component {
        id: block.name,
        label,
        args: block.args,
        body,
        fields,
    })
}

/// Whether the editor offers `block` on `site`: the signup form only with a newsletter.
fn offered(block: &BuiltIn, site: &SiteModel) -> bool {
    block.name != "signup" || site.newsletter
}

/// A component's fields are inside the body, which is translated as a whole.
fn strip_i18n(fields: &mut [Field]) {
    for f in fields {
        f.i18n = None;
        strip_i18n(&mut f.fields);
    }
}

/// The components for `site`, in kring's order of its blocks.
pub fn components(site: &SiteModel) -> Vec<Component> {
    BUILT_INS
        .iter()
        .filter(|b| offered(b, site))
        .filter_map(|b| component(b, site))
        .collect()
}

/// The text of `kring-blocks.js` for `site`.
pub fn script(site: &SiteModel) -> String {
    let described =
        serde_json::to_string_pretty(&components(site)).expect("the components serialize");
    format!(
        "// Written by `kring cms` from kring's own list of content blocks: each is an editor\n\
         // component of the Markdown body that writes kring's block syntax.\n\
         var KRING_BLOCKS = {described};\n{RUNTIME}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_block_kring_has_is_a_component_with_a_field_per_argument() {
        let site = SiteModel {
            members_collection: Some("members".into()),
            newsletter: true,
            ..SiteModel::default()
        };
        for block in BUILT_INS {
            let c = component(block, &site).unwrap_or_else(|| {
                panic!(
                    "kring has the block {}() but the editor does not: add its component",
                    block.name
                )
            });
            let names: Vec<&str> = c.fields.iter().map(|f| f.name.as_str()).collect();
            for arg in block.args {
                assert!(
                    names.contains(arg),
                    "{}(): no field for `{arg}`",
                    block.name
                );
            }
            assert_eq!(c.body.is_some(), block.body, "{}", block.name);
            let extra: Vec<&&str> = names.iter().filter(|n| !block.args.contains(n)).collect();
            match c.body {
                None => assert!(extra.is_empty(), "{}: {extra:?}", block.name),
                Some(BodyForm::Text) => assert_eq!(extra, [&"body"]),
                Some(BodyForm::Faq) => assert_eq!(extra, [&"intro", &"items"]),
            }
        }
        assert_eq!(components(&site).len(), BUILT_INS.len());
        let without = SiteModel::default();
        assert!(components(&without).iter().all(|c| c.id != "signup"));
    }
}
