//! Templates: the theme, Tera with kring's functions, and the views templates see.

pub mod context;
pub mod templates;
pub mod theme;
