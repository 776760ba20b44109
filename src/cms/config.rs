//! Decap CMS's `config.yml`, generated from the site: one collection per section by its
//! kind, the fields of that kind's front matter, the site's languages as Decap's i18n, and
//! the members as what authors, hosts and speakers are chosen from.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::fields::{self, Field, FieldI18n, Widget};
use super::yaml;
use std::path::Path;

use crate::build::{Loaded, load_site};
use crate::error::Result;
use crate::model::BuildOptions;
use crate::vocabulary::Kind;

/// What the generator needs to know of a site; read from a loaded site by
/// [`SiteModel::from_loaded`].
#[derive(Debug, Clone, Default)]
pub struct SiteModel {
    pub base_url: String,
    pub language: String,
    /// The site's other languages, in order.
    pub languages: Vec<String>,
    pub timezone: String,
    pub sections: Vec<SectionModel>,
    /// The collection of the members section, if the site has one.
    pub members_collection: Option<String>,
    pub tags: Vec<String>,
    pub skills: Vec<String>,
    pub series: Vec<String>,
    /// The site's own taxonomies with the terms in use.
    pub taxonomies: BTreeMap<String, Vec<String>>,
    /// The names of members' `links` (`website`, `mastodon`, …).
    pub link_names: Vec<String>,
    /// `[newsletter]` is set: the signup block can be offered.
    pub newsletter: bool,
}

#[derive(Debug, Clone)]
pub struct SectionModel {
    /// Under `content/`, `/`-separated; empty for the site's root.
    pub dir: String,
    pub title: String,
    pub kind: Kind,
    /// Its pages are folders with an `index.md` and their images beside it.
    pub bundles: bool,
}

/// The link names offered even before any member uses them.
const LINK_NAMES: [&str; 5] = ["website", "mastodon", "bluesky", "linkedin", "github"];

impl SiteModel {
    pub fn from_loaded(loaded: &Loaded) -> SiteModel {
        let site = &loaded.site;
        let config = &site.config;
        let mut tags = BTreeSet::new();
        let mut skills = BTreeSet::new();
        let mut taxonomies: BTreeMap<String, BTreeSet<String>> = config
            .taxonomies
            .keys()
            .map(|k| (k.clone(), BTreeSet::new()))
            .collect();
        let mut link_names: BTreeSet<String> = LINK_NAMES.iter().map(|s| s.to_string()).collect();
        for s in loaded.sites() {
            for p in &s.pages {
                tags.extend(p.tags.iter().cloned());
                for (name, terms) in &p.taxonomies {
                    if let Some(set) = taxonomies.get_mut(name) {
                        set.extend(terms.iter().cloned());
                    }
                }
                if let Some(m) = p.as_member() {
                    skills.extend(m.skills.iter().cloned());
                    link_names.extend(m.links.keys().cloned());
                }
            }
        }
        let mut series: Vec<String> = loaded
            .sites()
            .iter()
            .flat_map(|s| s.series_names())
            .cloned()
            .collect();
        series.sort();
        series.dedup();
        let sections: Vec<SectionModel> = site
            .sections
            .iter()
            .map(|s| SectionModel {
                dir: s.dir.trim_matches('/').to_string(),
                title: s.title.clone(),
                kind: s.kind,
                bundles: s.pages.iter().any(|&i| {
                    let rel = &site.pages[i].file.rel;
                    rel.ends_with("/index.md")
                        && rel.trim_end_matches("/index.md") != s.dir.trim_matches('/')
                }),
            })
            .collect();
        let members_collection = sections
            .iter()
            .find(|s| s.kind == Kind::Members)
            .map(collection_name);
        SiteModel {
            base_url: config.base_url.as_str().to_string(),
            language: config.language.clone(),
            languages: config.other_languages(),
            timezone: config.timezone.name().to_string(),
            sections,
            members_collection,
            tags: tags.into_iter().collect(),
            skills: skills.into_iter().collect(),
            series,
            taxonomies: taxonomies
                .into_iter()
                .map(|(k, v)| (k, v.into_iter().collect()))
                .collect(),
            link_names: link_names.into_iter().collect(),
            newsletter: config.newsletter.is_some(),
        }
    }
}

/// The name of a section's collection: its folder, `pages` for the site's root.
pub fn collection_name(section: &SectionModel) -> String {
    if section.dir.is_empty() {
        "pages".into()
    } else {
        section.dir.replace('/', "-")
    }
}

/// The local backend's path on `kring serve`. Decap wants an absolute URL there; the dev
/// server puts its own address in front when it serves `/admin/config.yml`, and elsewhere
/// (the published site) Decap ignores the relative one and uses the git host.
pub const LOCAL_BACKEND_URL: &str = "/api/v1";

/// Keys of the front matter that the editor does not offer, with why. Anything else a kind
/// takes is a field; the test of the generated config holds the two lists to the model.
pub fn left_out(site: &SiteModel) -> Vec<(&'static str, &'static str)> {
    let mut out = vec![
        (
            "extra",
            "a free-form table of the theme's own keys: Decap has no widget for arbitrary keys; \
             it stays as written when a page is saved only if the theme's keys are added as fields by hand",
        ),
        (
            "translation_of",
            "the editor pairs translations by file name (`name.LANG.md`), as kring does by default",
        ),
    ];
    if site.taxonomies.is_empty() {
        out.push(("taxonomies", "the site defines no taxonomies of its own"));
    }
    out
}

#[derive(Debug, Serialize)]
pub struct CmsConfig {
    pub backend: Backend,
    /// `kring serve`'s own address: written relative, made absolute by the dev server (see
    /// [`LOCAL_BACKEND_URL`]). Decap uses it only on localhost and 127.0.0.1.
    pub local_backend: LocalBackend,
    pub site_url: String,
    pub media_folder: String,
    pub public_folder: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub i18n: Option<I18n>,
    pub collections: Vec<Collection>,
}

/// Where the CMS commits on the web. The generated one is a placeholder to replace in the
/// kept part of the file (docs/cms.md shows GitHub, GitLab and Gitea).
#[derive(Debug, Serialize)]
pub struct Backend {
    pub name: String,
    pub repo: String,
    pub branch: String,
}

#[derive(Debug, Serialize)]
pub struct LocalBackend {
    pub url: String,
}

#[derive(Debug, Serialize)]
pub struct I18n {
    /// `multiple_files`: `name.LANG.md` beside each other, as kring keeps translations.
    pub structure: &'static str,
    pub locales: Vec<String>,
    pub default_locale: String,
}

#[derive(Debug, Serialize)]
pub struct Collection {
    pub name: String,
    pub label: String,
    pub folder: String,
    pub create: bool,
    pub extension: &'static str,
    /// TOML between `+++` lines: kring's own front matter.
    pub format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// `""` beside `path: {{slug}}/index`: a page's images go into its own folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_folder: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_folder: Option<String>,
    pub slug: &'static str,
    pub summary: &'static str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub i18n: bool,
    pub fields: Vec<Field>,
}

/// The config for `site`.
pub fn generate(site: &SiteModel) -> CmsConfig {
    let translated = !site.languages.is_empty();
    let collections = site
        .sections
        .iter()
        .map(|s| {
            // The site's root lists only its own files: `{{slug}}/index` would reach into
            // every section's folder.
            let bundles = s.bundles && !s.dir.is_empty();
            let mut fields = fields::for_kind(s.kind, site);
            if !translated {
                no_i18n(&mut fields);
            }
            for f in &mut fields {
                // Decap leaves a field without `i18n` out of the other languages' files;
                // kring reads each file alone, so every field is in each one.
                f.i18n = match f.i18n {
                    _ if !translated => None,
                    // Decap's schema takes `duplicate` only on fields of one value; a list
                    // or object is kept per language.
                    Some(FieldI18n::Duplicate(_))
                        if matches!(f.widget, Widget::List | Widget::Object) =>
                    {
                        Some(FieldI18n::Translate(true))
                    }
                    None => Some(FieldI18n::Translate(true)),
                    shared => shared,
                };
            }
            Collection {
                name: collection_name(s),
                label: s.title.clone(),
                folder: if s.dir.is_empty() {
                    "content".into()
                } else {
                    format!("content/{}", s.dir)
                },
                create: true,
                extension: "md",
                format: "toml-frontmatter",
                path: bundles.then(|| "{{slug}}/index".into()),
                media_folder: bundles.then(String::new),
                public_folder: bundles.then(String::new),
                slug: "{{slug}}",
                summary: "{{title}}",
                i18n: translated,
                fields,
            }
        })
        .collect();
    CmsConfig {
        backend: Backend {
            name: "github".into(),
            repo: "OWNER/REPOSITORY".into(),
            branch: "main".into(),
        },
        local_backend: LocalBackend {
            url: LOCAL_BACKEND_URL.into(),
        },
        site_url: site.base_url.clone(),
        media_folder: "static/images".into(),
        public_folder: "/images".into(),
        i18n: translated.then(|| I18n {
            structure: "multiple_files",
            locales: std::iter::once(site.language.clone())
                .chain(site.languages.iter().cloned())
                .collect(),
            default_locale: site.language.clone(),
        }),
        collections,
    }
}

/// A site in one language: no field says anything about translations, however deep.
fn no_i18n(fields: &mut [Field]) {
    for f in fields {
        f.i18n = None;
        no_i18n(&mut f.fields);
    }
}

const HEADER: &str = "# Decap CMS's configuration, written by `kring cms` from the site's content model.\n\
# Run `kring cms` again after changing kring.toml or the sections: this part is rewritten.\n\
# Settings of your own (the `backend` of your git host, for one) go below the marker line at\n\
# the end: they are kept, and a top-level key set there replaces the generated one.\n";

/// The text of `config.yml`: the generated settings, less those the kept part of `previous`
/// (an earlier `config.yml`) sets, then that kept part.
pub fn render(config: &CmsConfig, previous: Option<&str>) -> String {
    let (kept, keys) = previous.map(yaml::kept).unwrap_or_default();
    let mut value = serde_json::to_value(config).expect("the config serializes");
    if let Some(map) = value.as_object_mut() {
        for k in &keys {
            map.remove(k);
        }
    }
    let mut out = String::from(HEADER);
    out.push_str(&yaml::write(&value));
    out.push('\n');
    out.push_str(yaml::KEEP_MARKER);
    out.push('\n');
    out.push_str(&kept);
    out
}

/// The model of the site in `site_dir`, drafts included (an editor edits those too).
pub fn read_site(site_dir: &Path) -> Result<SiteModel> {
    let options = BuildOptions {
        drafts: true,
        cached_conversations: true,
        ..BuildOptions::default()
    };
    Ok(SiteModel::from_loaded(&load_site(site_dir, &options)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> SiteModel {
        SiteModel {
            base_url: "https://x.example/".into(),
            language: "nl".into(),
            timezone: "Europe/Amsterdam".into(),
            sections: vec![SectionModel {
                dir: "events".into(),
                title: "Events".into(),
                kind: Kind::Events,
                bundles: true,
            }],
            ..SiteModel::default()
        }
    }

    #[test]
    fn kept_settings_replace_generated_ones_and_survive() {
        let config = generate(&model());
        let first = render(&config, None);
        assert!(first.contains("backend:\n  branch: \"main\"\n  name: \"github\""));
        let edited = format!("{first}backend:\n  name: \"gitea\"\n  repo: \"me/site\"\n");
        let second = render(&config, Some(&edited));
        assert_eq!(second.matches("\nbackend:").count(), 1, "{second}");
        assert!(second.ends_with("backend:\n  name: \"gitea\"\n  repo: \"me/site\"\n"));
        assert_eq!(
            render(&config, Some(&second)),
            second,
            "stable when run again"
        );
    }

    #[test]
    fn one_language_has_no_i18n_and_bundles_keep_their_images() {
        let text = render(&generate(&model()), None);
        assert!(!text.contains("i18n"), "{text}");
        assert!(text.contains("path: \"{{slug}}/index\""));
        assert!(text.contains("media_folder: \"\""));
    }
}
