//! kring's integration tests, as one test binary: each module is one area (a file of its
//! own before). One binary links kring and its dependencies once instead of once per area,
//! which took minutes off a clean run of the test command on 2 cores, and lets the
//! areas' tests run side by side instead of one binary after another.

mod common;

mod aliases;
mod blocks;
mod browser;
mod calendars;
mod check_external;
mod ci;
mod cli;
mod cms;
mod community;
mod discussions_fetch;
mod discussions_show;
mod errors;
mod escaping;
mod event_times;
mod example_site;
mod feeds;
mod fuzz;
mod growth;
mod hardening;
mod images;
mod import;
mod import_again;
mod import_media;
mod import_metadata;
mod import_real;
mod import_safety;
mod import_structure;
mod install;
mod keep;
mod languages;
mod layout;
mod photo_sizes;
mod published_files;
mod publishing;
mod search;
mod serve;
mod servers;
mod site;
