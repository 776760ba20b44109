//! Everything a build writes: pages, sitemap, static files; the atomic output folder.

pub mod calendar;
pub mod cards;
pub mod carry;
pub mod depends;
pub mod email;
pub mod feeds;
pub mod ics;
pub mod images;
pub mod in_place;
pub mod manifest;
pub mod pager;
pub mod pages;
pub mod plan;
pub mod privacy;
pub mod redirects;
pub mod relative;
pub mod search;
pub mod sitemap;
pub mod staging;
pub mod svg;
pub mod write;
