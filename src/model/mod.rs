//! The site as kring understands it: sections, pages of each kind, taxonomies. Built once
//! from the content (`site::Site::assemble`), read by every output.

mod body;
mod construct;
pub mod conversations;
pub mod page;
pub mod recurrence;
pub mod related;
mod relink;
pub mod routes;
pub mod schedule;
pub mod section;
pub mod site;
pub mod taxonomy;
pub mod translations;
pub mod variants;

pub use page::{Article, Details, Event, Masterclass, Member, Page, Session};
pub use section::Section;
pub use site::{BuildOptions, Site};
pub use taxonomy::{Taxonomy, Term};
