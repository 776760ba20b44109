//! kring: a static site generator for newsletter-plus-community hubs.
//!
//! The modules follow the pipeline: [`config`] → [`content`] (load, front matter,
//! Markdown) → [`model`] → [`render`] (theme, templates, views) → [`output`] → [`build`](mod@build) → [`serve`]; [`import`] and [`cms`] stand beside build
//! and serve, and [`commands`] is the command line over all of them.

pub mod build;
pub mod cleanup;
pub mod cms;
pub mod commands;
pub mod config;
pub mod content;
pub mod discussions;
pub mod error;
pub mod http;
pub mod import;
pub mod model;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod text;
pub mod time;
pub mod vocabulary;

pub use build::{BuildReport, build};
pub use error::{Diagnostic, Error, Result};
pub use model::BuildOptions;
