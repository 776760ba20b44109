//! The command line: one module per subcommand, each with its `Args` and `run`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

pub mod build;
pub mod check;
pub mod ci;
pub mod cms;
pub mod email;
pub mod import;
pub mod init;
pub mod new;
pub mod serve;

#[derive(Debug, Parser)]
#[command(name = "kring", version, about = "A static site generator for newsletter-plus-community hubs", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or -o DIR)
    Build(build::Args),
    /// Make a new site with sample content, ready to build
    Init(init::Args),
    /// Check config, front matter, internal links and anchors without writing output
    Check(check::Args),
    /// Add a new article, event, member or masterclass with filled-in front matter
    New(new::Args),
    /// Serve the site on 127.0.0.1 with live reload, rebuilding on every change
    Serve(serve::Args),
    /// Write the email edition of an article (HTML with inlined CSS, and plain text)
    Email(email::Args),
    /// Write the files that build and publish the site on GitHub Pages, GitLab Pages,
    /// Netlify or Cloudflare Pages, on every push and every night
    Ci(ci::Args),
    /// Bring posts, pages and authors over from a Substack, Ghost or WordPress export
    Import(import::Args),
    /// Write the content editor (Decap CMS) into static/admin/, its config generated from
    /// the site's sections, languages and members
    Cms(cms::Args),
}

/// The site folder argument shared by the commands: the current folder by default.
pub fn site_dir(arg: &Option<PathBuf>) -> PathBuf {
    arg.clone().unwrap_or_else(|| PathBuf::from("."))
}

pub fn run(cli: Cli) -> crate::Result<()> {
    match cli.command {
        Command::Build(args) => build::run(args),
        Command::Init(args) => init::run(args),
        Command::Check(args) => check::run(args),
        Command::New(args) => new::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Email(args) => email::run(args),
        Command::Import(args) => import::run(args),
        Command::Ci(args) => ci::run(args),
        Command::Cms(args) => cms::run(args),
    }
}
