//! A new site's files: the sample site `kring init` writes, the bare site `kring import`
//! starts from, and where in a site each kind of content goes (`kring new`, the importer).

use std::path::Path;

use include_dir::{Dir, include_dir};

use crate::content::load;
use crate::error::{Error, Result};
use crate::vocabulary::Kind;

static SKELETON: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/scaffold/site");

/// The sample content: what [`init_bare`] leaves out.
const SAMPLES: &[&str] = &[
    "content/about.md",
    "content/articles/welcome.md",
    "content/events/first-meetup.md",
    "content/members/you.md",
];

/// Writes the sample site into `dir`, which must be empty or not exist yet.
pub fn init(dir: &Path) -> Result<()> {
    write_skeleton(dir, None, true)
}

/// A site without the sample content (for `kring import`): its configuration, with the
/// given title and language when known, and its sections.
pub fn init_bare(dir: &Path, title: Option<&str>, language: Option<&str>) -> Result<()> {
    write_skeleton(dir, title, false)?;
    // The sample home page links to the sample article.
    let home = dir.join("content/_index.md");
    let text = "+++\ntitle = \"Welcome\"\n+++\n\nThis is the home page: edit `content/_index.md` to say who you are and why people\nshould join.\n";
    std::fs::write(&home, text).map_err(|e| Error::io(&home, e))?;
    if let Some(language) = language.filter(|l| *l != "en") {
        let config = dir.join("kring.toml");
        let text = std::fs::read_to_string(&config).map_err(|e| Error::io(&config, e))?;
        let text = text.replacen(
            "language = \"en\"",
            &format!("language = {}", toml::Value::from(language)),
            1,
        );
        std::fs::write(&config, text).map_err(|e| Error::io(&config, e))?;
    }
    Ok(())
}

fn write_skeleton(dir: &Path, title: Option<&str>, samples: bool) -> Result<()> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        if entries.next().is_some() {
            return Err(Error::Usage(format!(
                "{} is not empty: kring init only writes into an empty or new folder",
                dir.display()
            )));
        }
    }
    let today = jiff::Zoned::now().date();
    let next_month = today
        .checked_add(jiff::Span::new().months(1))
        .unwrap_or(today);
    let title = title
        .map(str::to_string)
        .or_else(|| {
            dir.canonicalize()
                .ok()
                .or_else(|| Some(dir.to_path_buf()))
                .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
                .filter(|n| !n.is_empty() && n != ".")
        })
        .unwrap_or_else(|| "My community".into());
    let mut stack: Vec<&Dir> = vec![&SKELETON];
    while let Some(d) = stack.pop() {
        stack.extend(d.dirs());
        for file in d.files() {
            if !samples && SAMPLES.iter().any(|s| file.path() == Path::new(s)) {
                continue;
            }
            let target = dir.join(file.path());
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            let text = String::from_utf8_lossy(file.contents())
                .replace("{{today}}", &today.to_string())
                .replace("{{next_month}}", &next_month.to_string())
                .replace(
                    "{{title}}",
                    &title
                        .replace(['"', '\\'], "'")
                        .replace(char::is_control, " "),
                );
            std::fs::write(&target, text).map_err(|e| Error::io(&target, e))?;
        }
    }
    Ok(())
}

/// The folder (under `content/`) of the site's first section of `kind`: the root's direct
/// children win over nested ones.
pub fn section_of_kind(content: &load::Content, kind: Kind) -> Option<String> {
    content
        .sections
        .iter()
        .filter(|s| !s.dir.is_empty() && s.front.kind.unwrap_or_default() == kind)
        .min_by_key(|s| (s.dir.matches('/').count(), s.dir.clone()))
        .map(|s| s.dir.clone())
}
