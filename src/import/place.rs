//! Where each imported post and member goes in the site: a file name of its own (a
//! hand-written file of the same name is never taken over), a page bundle when it has
//! images, and the old addresses it keeps as aliases, unless one would be another page's.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use super::model::path_key;
use super::write::Manifest;

/// Top-level names a page may not take: what kring generates at the site's root.
const RESERVED: &[&str] = &[
    "tags",
    "series",
    "search",
    "en",
    "nl",
    "de",
    "fr",
    "static",
    "images",
    "page",
    "rss-xml",
    "atom-xml",
    "feed-json",
    "sitemap-xml",
    "404",
    "calendar",
    "newsletter",
];

/// The longest file name an import gives a post or member, in bytes: far below what file
/// systems hold (255), with room for a `-2` and a bundle's image names.
pub const MAX_SLUG: usize = 80;

/// `s` cut to at most `max` bytes at a character boundary, without a dangling `-`.
pub fn cut(s: &str, max: usize) -> &str {
    s[..crate::text::floor_char_boundary(s, max)].trim_end_matches(['-', '_', '.'])
}

/// The aliases a content file's TOML front matter declares (none when it has none or
/// cannot be read: the build reports those).
fn front_aliases(path: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let Some(front) = text
        .strip_prefix("+++")
        .and_then(|rest| rest.split_once("\n+++").map(|(front, _)| front))
    else {
        return Vec::new();
    };
    let Ok(table) = front.parse::<toml::Table>() else {
        return Vec::new();
    };
    table
        .get("aliases")
        .and_then(|a| a.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The folders of the site's sections and what is already there.
pub struct Layout<'m> {
    pub site: &'m Path,
    pub manifest: &'m Manifest,
    /// Sections' folders under `content/`.
    pub articles: String,
    pub members: String,
    /// Site-relative content paths the import has given out in this run.
    used: HashSet<String>,
    /// Output paths of pages that are already in the site (`about/`), for aliases.
    /// Output paths and aliases (lowercased) of the pages already in the site, with the
    /// file that claims each.
    existing_paths: BTreeMap<String, String>,
    /// Top-level names of sections the site has or the import makes (`articles`).
    sections: Vec<String>,
    /// Aliases given out in this run, lowercased: one old address redirects to one page.
    given: HashSet<String>,
}

/// Files kring writes (feeds, sitemap, a page's email edition): no alias may have a part of
/// that name, or its folder would stand where the file goes.
const GENERATED_FILES: &[&str] = &[
    crate::model::routes::RSS,
    crate::model::routes::ATOM,
    crate::model::routes::JSON_FEED,
    crate::model::routes::SITEMAP,
    crate::model::routes::ROBOTS,
    crate::model::routes::NOT_FOUND,
    crate::model::routes::EMAIL_HTML,
    crate::model::routes::EMAIL_TEXT,
    crate::model::routes::SOCIAL_CARD,
    crate::model::routes::REDIRECTS,
    crate::model::routes::OUTPUT_MARKER,
    "index.html",
    "calendar.ics",
];

/// A post's or member's place.
#[derive(Debug, Clone)]
pub struct Place {
    /// The folder under `content/` (`articles`, or `""` for pages at the top).
    pub dir: String,
    pub name: String,
    pub bundle: bool,
}

impl Place {
    /// The Markdown file, site-relative: `content/articles/x.md` or `content/articles/x/index.md`.
    pub fn file(&self) -> String {
        let dir = if self.dir.is_empty() {
            "content".to_string()
        } else {
            format!("content/{}", self.dir)
        };
        if self.bundle {
            format!("{dir}/{}/index.md", self.name)
        } else {
            format!("{dir}/{}.md", self.name)
        }
    }

    /// The same file in the other form (flat or bundle).
    pub fn other_form(&self) -> String {
        Place {
            bundle: !self.bundle,
            ..self.clone()
        }
        .file()
    }

    /// The folder of a bundle's files, site-relative.
    pub fn bundle_dir(&self) -> String {
        self.file().trim_end_matches("/index.md").to_string()
    }

    /// How other content links to it: `@/articles/x.md`.
    pub fn at_link(&self) -> String {
        format!("@/{}", self.file().trim_start_matches("content/"))
    }

    /// Its output path: `articles/x/`.
    pub fn output_path(&self) -> String {
        if self.dir.is_empty() {
            format!("{}/", self.name)
        } else {
            format!("{}/{}/", self.dir, self.name)
        }
    }
}

impl<'m> Layout<'m> {
    pub fn new(site: &'m Path, manifest: &'m Manifest, articles: String, members: String) -> Self {
        let content = site.join("content");
        let mut existing_paths = BTreeMap::new();
        for entry in walkdir::WalkDir::new(&content)
            .into_iter()
            .filter_map(|e| e.ok())
        {
            let Ok(rel) = entry.path().strip_prefix(site) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !rel.ends_with(".md") {
                continue;
            }
            for alias in front_aliases(entry.path()) {
                if let Ok(path) = crate::model::routes::alias_path(&alias) {
                    existing_paths.insert(path.to_lowercase(), rel.clone());
                }
            }
            let page = rel.trim_start_matches("content/").trim_end_matches(".md");
            let page = page
                .strip_suffix("/_index")
                .or_else(|| page.strip_suffix("/index"))
                .unwrap_or(page);
            existing_paths.insert(format!("{page}/").to_lowercase(), rel.clone());
        }
        let sections = vec![articles.clone(), members.clone()];
        Layout {
            site,
            manifest,
            articles,
            members,
            used: HashSet::new(),
            existing_paths,
            sections,
            given: HashSet::new(),
        }
    }

    /// Sections the site will have that are not on disk yet (a site the import makes):
    /// no page takes their names, no alias their addresses.
    pub fn reserve_sections(&mut self, names: &[&str]) {
        for name in names {
            self.existing_paths
                .insert(format!("{name}/"), format!("content/{name}/_index.md"));
            self.sections.push(name.to_string());
        }
    }

    /// Whether the site has a file or folder at `rel` that the import did not write.
    fn foreign(&self, rel: &str) -> bool {
        let path = self.site.join(rel);
        if !path.exists() {
            return false;
        }
        if path.is_dir() {
            // A bundle the import wrote has its index.md in the manifest.
            return !self.manifest.files.contains_key(&format!("{rel}/index.md"));
        }
        !self.manifest.files.contains_key(rel)
    }

    /// A place of its own for `slug` in `dir`; a bundle when `wants_bundle` or when an
    /// earlier import made it one.
    pub fn place(&mut self, dir: &str, slug: &str, wants_bundle: bool) -> Place {
        let slug = cut(slug, MAX_SLUG);
        let base = if slug.is_empty() { "untitled" } else { slug };
        for n in 1.. {
            let name = if n == 1 {
                base.to_string()
            } else {
                format!("{base}-{n}")
            };
            // `index` would be the folder's own page, not one in it.
            let lower = name.to_lowercase();
            if name == "index"
                || (dir.is_empty()
                    && (RESERVED.contains(&lower.as_str())
                        || self.sections.iter().any(|s| s.to_lowercase() == lower)))
            {
                continue;
            }
            let flat = Place {
                dir: dir.to_string(),
                name: name.clone(),
                bundle: false,
            };
            let bundle = Place {
                bundle: true,
                ..flat.clone()
            };
            let taken = self.used.contains(&flat.file().to_lowercase())
                || self.foreign(&flat.file())
                || self.foreign(&bundle.bundle_dir());
            if taken {
                continue;
            }
            let was_bundle = self.manifest.files.contains_key(&bundle.file());
            let place = if wants_bundle || was_bundle {
                bundle
            } else {
                flat
            };
            self.used.insert(place.file().to_lowercase());
            self.used.insert(place.other_form().to_lowercase());
            return place;
        }
        unreachable!("some numbered name is free")
    }

    /// The aliases to write for an old path, if it is a valid one and no other page's;
    /// `Err` says why an old path is not kept.
    pub fn alias(
        &mut self,
        old_path: &str,
        own: &Place,
        others: &HashSet<String>,
    ) -> Result<Option<String>, String> {
        let key = path_key(old_path);
        // Printed in the report: a control character in it shows as an escape.
        let shown = key.escape_debug().to_string();
        if percent_encoding::percent_decode_str(old_path)
            .decode_utf8()
            .is_err()
        {
            // Decoded, it would redirect an address nobody asks for.
            return Err(format!(
                "old address {} has a percent-encoded byte that is not part of UTF-8 text",
                old_path.escape_debug()
            ));
        }
        // `key` is decoded and an alias is read decoding it: a `%` it holds stays a `%`.
        let alias = key.replace('%', "%25");
        let output = crate::model::routes::alias_path(&alias)
            .map_err(|e| format!("old address {shown} {e}"))?;
        if output == own.output_path() {
            return Ok(None);
        }
        if output.split('/').any(|part| part.len() > MAX_SLUG * 2) {
            return Err(format!(
                "old address {shown} has a part longer than a file name may be"
            ));
        }
        let lower = output.to_lowercase();
        let first = lower.split('/').next().unwrap_or_default();
        if others.iter().any(|p| p.to_lowercase() == lower)
            || self
                .existing_paths
                .get(&lower)
                .is_some_and(|rel| *rel != own.file() && *rel != own.other_form())
            || RESERVED.contains(&first)
            || self.sections.iter().any(|s| s.to_lowercase() == first)
            || lower.split('/').any(|part| GENERATED_FILES.contains(&part))
        {
            return Err(format!(
                "old address {shown} is the address of another page of the new site"
            ));
        }
        if !self.given.insert(lower) {
            return Err(format!(
                "old address {shown} is already redirected to another imported page"
            ));
        }
        Ok(Some(alias))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_cut_at_a_character() {
        assert_eq!(cut("abc", 80), "abc");
        assert_eq!(cut(&"a".repeat(300), 80).len(), 80);
        assert_eq!(cut("aé", 2), "a", "é is two bytes");
        assert_eq!(cut("ab-cd", 3), "ab");
        assert_eq!(cut("日本語", 7), "日本");
        let tmp = tempfile::tempdir().unwrap();
        let manifest = Manifest::default();
        let mut layout = Layout::new(tmp.path(), &manifest, "articles".into(), "members".into());
        let long = "x".repeat(300);
        assert_eq!(layout.place("articles", &long, true).name.len(), 80);
        assert_eq!(
            layout.place("articles", &long, false).name,
            format!("{}-2", "x".repeat(80))
        );
    }

    #[test]
    fn names_kring_uses_or_someone_wrote_are_not_taken() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path();
        std::fs::create_dir_all(site.join("content/articles/bundle")).unwrap();
        std::fs::write(site.join("content/articles/mine.md"), "+++\n+++\n").unwrap();
        std::fs::write(site.join("content/articles/bundle/index.md"), "+++\n+++\n").unwrap();
        let manifest = Manifest::default();
        let mut layout = Layout::new(site, &manifest, "articles".into(), "members".into());
        let name = |l: &mut Layout, dir: &str, slug: &str| l.place(dir, slug, false).file();
        assert_eq!(
            name(&mut layout, "articles", "mine"),
            "content/articles/mine-2.md"
        );
        assert_eq!(
            name(&mut layout, "articles", "bundle"),
            "content/articles/bundle-2.md"
        );
        assert_eq!(
            name(&mut layout, "articles", "index"),
            "content/articles/index-2.md"
        );
        assert_eq!(name(&mut layout, "", "tags"), "content/tags-2.md");
        assert_eq!(name(&mut layout, "", "articles"), "content/articles-2.md");
        assert_eq!(name(&mut layout, "", "search"), "content/search-2.md");
        assert_eq!(
            name(&mut layout, "articles", "twice"),
            "content/articles/twice.md"
        );
        assert_eq!(
            name(&mut layout, "articles", "twice"),
            "content/articles/twice-2.md"
        );
        assert_eq!(
            layout.place("articles", "pics", true).file(),
            "content/articles/pics/index.md"
        );
        let own = layout.place("articles", "own", false);
        let none = HashSet::new();
        assert_eq!(layout.alias("/own/", &own, &none), Ok(Some("/own".into())));
        assert_eq!(layout.alias("/articles/own/", &own, &none), Ok(None));
        assert!(layout.alias("/mine/../../etc", &own, &none).is_err());
        assert!(
            layout.alias("/articles/mine/", &own, &none).is_err(),
            "a page of the site"
        );
        assert!(
            layout.alias("/tags/x/", &own, &none).is_err(),
            "kring's own"
        );
        assert!(layout.alias("/", &own, &none).is_err(), "the home page");
        assert_eq!(
            layout.alias("/caf%C3%A9/", &own, &none),
            Ok(Some("/café".into()))
        );
        assert_eq!(
            layout.alias("//greek/%ce%b5-2/", &own, &none),
            Ok(Some("/greek/ε-2".into())),
            "a double slash is one"
        );
        assert_eq!(
            layout.alias("/100%2525/", &own, &none),
            Ok(Some("/100%2525".into())),
            "a `%` in the old address stays one"
        );
        assert!(layout.alias("/a%00b/", &own, &none).is_err());
        assert!(layout.alias("/%ff%fe-bad/", &own, &none).is_err());
    }
}
