//! Templates: the theme, Tera with kring's functions, and the views templates see.

pub mod calendar_links;
pub mod community;
pub mod cycles;
pub mod jsonld;
pub mod photos;
pub mod recurrence_text;
pub mod templates;
pub mod theme;
pub mod views;
