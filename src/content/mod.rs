//! Reading the site's Markdown: discovery, front matter, Markdown rendering.

pub mod blocks;
pub mod frontmatter;
pub mod load;
pub mod markdown;
pub mod nesting;
pub mod photo;
pub mod picture;
pub mod video;
