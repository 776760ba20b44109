//! `kring new article|event|member|masterclass "Title"`: a content file with its front
//! matter filled in, in the first section of that kind.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::load;
use crate::error::{Error, Result};
use crate::vocabulary::Kind;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum What {
    Article,
    Event,
    Member,
    Masterclass,
}

impl What {
    fn kind(self) -> Kind {
        match self {
            What::Article => Kind::Articles,
            What::Event => Kind::Events,
            What::Member => Kind::Members,
            What::Masterclass => Kind::Masterclasses,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to add
    #[arg(value_enum)]
    pub what: What,
    /// Its title (for a member: their name)
    pub title: String,
    /// The site folder (with kring.toml); the current folder when left out
    pub site: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    let site = super::site_dir(&args.site);
    let path = new(&site, args.what, &args.title)?;
    println!("Wrote {}", path.display());
    if !matches!(args.what, What::Member) {
        println!(
            "It is a draft: `kring build --drafts` shows it; remove `draft = true` to publish."
        );
    }
    Ok(())
}

/// Writes the new file and returns its path; never overwrites.
pub fn new(site_dir: &Path, what: What, title: &str) -> Result<PathBuf> {
    let config = Config::load(site_dir)?;
    let content = load::load(site_dir, &config.other_languages(), &config.language)?;
    let kind = what.kind();
    let dir = match crate::scaffold::section_of_kind(&content, kind) {
        Some(dir) => dir,
        None => {
            return Err(Error::Usage(format!(
                "the site has no section of kind \"{}\": add content/{}/_index.md with kind = \"{}\"",
                kind.name(),
                kind.name(),
                kind.name()
            )));
        }
    };
    let slug = slug::slugify(title);
    if slug.is_empty() {
        return Err(Error::Usage(format!(
            "`{title}` has no letters or digits to make a file name from"
        )));
    }
    let path = site_dir
        .join("content")
        .join(&dir)
        .join(format!("{slug}.md"));
    let bundle = site_dir.join("content").join(&dir).join(&slug);
    if path.exists() || bundle.exists() {
        return Err(Error::Usage(format!(
            "{} already exists: kring new never overwrites a file",
            path.display()
        )));
    }
    let tz = config.timezone.tz().clone();
    let now = jiff::Zoned::now().with_time_zone(tz);
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let next_week = now
        .date()
        .checked_add(jiff::Span::new().days(7))
        .unwrap_or(now.date());
    let front = match what {
        What::Article => format!(
            "title = {}\ndescription = \"\"\ndate = {}\ndraft = true\ntags = []\nauthors = []\n# newsletter = true   # also an issue of the newsletter, with an email edition\n",
            q(title),
            now.date()
        ),
        What::Event => format!(
            "title = {}\ndescription = \"\"\nstart = {next_week}T19:30:00\nend = {next_week}T21:00:00\ntimezone = {}\ndraft = true\n# location = {{ name = \"…\", address = \"…\" }}\n# online_url = \"https://…\"\n# registration_url = \"https://…\"\nhosts = []\n",
            q(title),
            q(config.timezone.name())
        ),
        What::Member => format!(
            "name = {}\nrole = \"\"\nlocation = \"\"\nskills = []\n# avatar = \"avatar.jpg\"   # in a page bundle: members/{slug}/index.md + avatar.jpg\n[links]\n# website = \"https://…\"\n# mastodon = \"https://…\"\n",
            q(title)
        ),
        What::Masterclass => format!(
            "title = {}\ndescription = \"\"\nlevel = \"beginner\"\nprice = \"\"\n# signup_url = \"https://…\"\nspeakers = []\ntimezone = {}\ndraft = true\n\n[[sessions]]\ntitle = \"Session 1\"\nstart = {next_week}T19:30:00\nend = {next_week}T21:00:00\n# online_url = \"https://…\"\n",
            q(title),
            q(config.timezone.name())
        ),
    };
    let body = match what {
        What::Member => "A few lines about this member.\n",
        What::Event => "What happens, who it is for, and what to bring.\n",
        What::Masterclass => "## What you will learn\n\n- \n\n## Who it is for\n\n",
        What::Article => "Write the first paragraph here; it becomes the summary.\n",
    };
    std::fs::write(&path, format!("+++\n{front}+++\n\n{body}")).map_err(|e| Error::io(&path, e))?;
    Ok(path)
}
