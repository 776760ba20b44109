//! A page in several languages: which versions of a page, section or the home page exist,
//! and how each language's site links to the others.

use std::collections::HashMap;

use super::Site;

/// One language's version of a page, section or home.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Translation {
    pub lang: String,
    /// The language's own name for itself ("Nederlands", "English").
    pub name: String,
    pub permalink: String,
    pub title: String,
}

/// A language's own name for itself; the code when kring does not know it.
pub fn language_name(code: &str) -> String {
    let name = match code {
        "nl" => "Nederlands",
        "en" => "English",
        "de" => "Deutsch",
        "fr" => "Français",
        "es" => "Español",
        "it" => "Italiano",
        "pt" => "Português",
        "fy" => "Frysk",
        "da" => "Dansk",
        "sv" => "Svenska",
        "nb" | "no" => "Norsk",
        "pl" => "Polski",
        "tr" => "Türkçe",
        "ar" => "العربية",
        "uk" => "Українська",
        other => other,
    };
    name.to_string()
}

/// Ties the language versions of a site together: each page and section learns its
/// translations, each site its languages.
pub fn link_translations(default: &mut Site, others: &mut [Site]) {
    let mut map: HashMap<String, Vec<Translation>> = HashMap::new();
    let mut languages = Vec::new();
    for site in std::iter::once(&*default).chain(others.iter()) {
        let lang = site.config.language.clone();
        languages.push(Translation {
            name: language_name(&lang),
            permalink: site.config.base_url.as_str().to_string(),
            title: site.config.title.clone(),
            lang: lang.clone(),
        });
        for s in &site.sections {
            if s.file.is_some() || s.is_home() {
                map.entry(s.index_file()).or_default().push(Translation {
                    lang: lang.clone(),
                    name: language_name(&lang),
                    permalink: s.permalink.clone(),
                    title: s.title.clone(),
                });
            }
        }
        for p in &site.pages {
            map.entry(p.file.rel.clone())
                .or_default()
                .push(Translation {
                    lang: lang.clone(),
                    name: language_name(&lang),
                    permalink: p.permalink.clone(),
                    title: p.title.clone(),
                });
        }
    }
    let map = std::sync::Arc::new(map);
    for site in std::iter::once(default).chain(others.iter_mut()) {
        site.translations = map.clone();
        site.languages = languages.clone();
    }
}
