//! Everything a build writes: pages, sitemap, static files; the atomic output folder.

pub mod calendar;
pub mod feeds;
pub mod links;
pub mod pages;
pub mod sitemap;
pub mod write;
