//! `kring.toml` → [`Config`]. Typed, with defaults; an unknown key is an error naming it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Error, Result};
use crate::text::{read_text, toml_diagnostic};
use crate::time::Zone;
use crate::vocabulary::HttpUrl;

mod discussion;

pub use crate::vocabulary::CONFIG_FILE;
pub use discussion::{DiscussionConfig, HostEntry};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub base_url: BaseUrl,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language", deserialize_with = "language_code")]
    pub language: String,
    #[serde(default)]
    pub timezone: Zone,
    #[serde(default = "default_theme")]
    pub theme: String,
    pub author: Option<String>,
    #[serde(default = "default_output_dir")]
    pub output_dir: PathBuf,
    /// Links and assets inside pages relative to the page, so the output works wherever
    /// it is served; `false` writes them absolute to `base_url`.
    #[serde(default = "yes")]
    pub relative_urls: bool,
    #[serde(default)]
    pub taxonomies: BTreeMap<String, TaxonomyConfig>,
    /// Series of articles by name (or slug): what their page says about them.
    #[serde(default)]
    pub series: BTreeMap<String, SeriesConfig>,
    #[serde(default)]
    pub feeds: FeedConfig,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    pub newsletter: Option<NewsletterConfig>,
    #[serde(default)]
    pub community: Vec<CommunityConfig>,
    pub analytics: Option<AnalyticsConfig>,
    /// The site's other languages: `[languages.en]`. Content in them is `name.LANG.md`.
    #[serde(default, deserialize_with = "language_table")]
    pub languages: BTreeMap<String, LanguageConfig>,
    #[serde(default)]
    pub discussion: DiscussionConfig,
    #[serde(default)]
    pub privacy: PrivacyConfig,
    #[serde(default)]
    pub images: ImagesConfig,
    #[serde(default)]
    pub search: SearchConfig,
    #[serde(default)]
    pub check: CheckConfig,
    #[serde(default)]
    pub extra: toml::Table,
    /// For a language under `/LANG/`: the address of the whole site, where static files
    /// and root-relative URLs (`/images/x.png`) live.
    #[serde(skip)]
    pub site_root: Option<BaseUrl>,
}

fn yes() -> bool {
    true
}

fn default_language() -> String {
    "en".into()
}

/// The two-letter language codes of ISO 639-1.
const ISO_639_1: &str = "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// Whether `code` is a language as `<html lang>` and hreflang want it: an ISO 639-1 code,
/// optionally with a region (`nl`, `pt-BR`, `es-419`).
pub fn is_language_code(code: &str) -> bool {
    let (language, region) = match code.split_once('-') {
        Some((l, r)) => (l, Some(r)),
        None => (code, None),
    };
    let region_ok = region.is_none_or(|r| {
        (r.len() == 2 && r.bytes().all(|b| b.is_ascii_alphabetic()))
            || (r.len() == 3 && r.bytes().all(|b| b.is_ascii_digit()))
    });
    language.len() == 2 && ISO_639_1.split(' ').any(|l| l == language) && region_ok
}

fn language_error(code: &str) -> String {
    format!(
        "`{code}` is not a language code: use a two-letter ISO 639-1 code such as \"nl\" or \"en\", optionally with a region (\"pt-BR\")"
    )
}

fn language_code<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let code = String::deserialize(d)?;
    if is_language_code(&code) {
        Ok(code)
    } else {
        Err(serde::de::Error::custom(language_error(&code)))
    }
}

fn language_table<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, LanguageConfig>, D::Error> {
    let table = BTreeMap::<String, LanguageConfig>::deserialize(d)?;
    match table.keys().find(|code| !is_language_code(code)) {
        Some(code) => Err(serde::de::Error::custom(language_error(code))),
        None => Ok(table),
    }
}
fn default_theme() -> String {
    "kring".into()
}
fn default_output_dir() -> PathBuf {
    "public".into()
}

/// The site's address, always with a scheme and a trailing slash, so that
/// `base_url + "articles/x/"` is a permalink.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct BaseUrl(String);

impl BaseUrl {
    pub fn parse(s: &str) -> Result<BaseUrl, String> {
        let s = s.trim();
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .ok_or_else(|| format!("base_url must start with https:// or http://, found `{s}`"))?;
        if rest.is_empty() || rest.starts_with('/') {
            return Err(format!("base_url `{s}` has no host"));
        }
        if s.contains(['?', '#', ' ']) {
            return Err(format!(
                "base_url `{s}` may not contain a query, fragment or space"
            ));
        }
        let mut url = s.to_string();
        if !url.ends_with('/') {
            url.push('/');
        }
        Ok(BaseUrl(url))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The site-root path of the base URL: `/` or `/hub/`.
    pub fn path(&self) -> &str {
        let after_scheme = self.0.split_once("://").map_or("", |(_, r)| r);
        after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
    }

    /// `scheme://host[:port]`, without the path.
    pub fn origin(&self) -> &str {
        let path_len = self.path().len();
        &self.0[..self.0.len() - path_len]
    }

    /// The permalink of a site path such as `articles/x/` or `/articles/x/`.
    pub fn join(&self, path: &str) -> String {
        format!("{}{}", self.0, path.trim_start_matches('/'))
    }
}

impl<'de> Deserialize<'de> for BaseUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        BaseUrl::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyConfig {
    #[serde(default)]
    pub feed: bool,
    pub paginate_by: Option<usize>,
    /// What pages call it: one name, or one per language (`{ nl = "Vaardigheden",
    /// en = "Skills" }`). The theme names the built-in ones.
    pub name: Option<TaxonomyName>,
    /// Events with one of its terms are also in the term's own calendar
    /// (`/tags/utrecht/calendar.ics`).
    #[serde(default)]
    pub calendar: bool,
}

/// `[series."Name"]`: the description on the series' page.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesConfig {
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum TaxonomyName {
    One(String),
    PerLanguage(BTreeMap<String, String>),
}

impl TaxonomyConfig {
    /// Its name in language `lang`, if `kring.toml` gives one.
    pub fn name_in(&self, lang: &str) -> Option<&str> {
        match self.name.as_ref()? {
            TaxonomyName::One(name) => Some(name),
            TaxonomyName::PerLanguage(names) => names.get(lang).map(String::as_str),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeedConfig {
    pub rss: bool,
    pub atom: bool,
    pub json: bool,
    pub summary_only: bool,
    pub limit: usize,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig {
            rss: true,
            atom: true,
            json: true,
            summary_only: false,
            limit: 20,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    pub smart_punctuation: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            smart_punctuation: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NewsletterProvider {
    Buttondown,
    Mailchimp,
    Kit,
    Listmonk,
    Ghost,
    Custom,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NewsletterConfig {
    pub provider: NewsletterProvider,
    /// The URL the signup form posts to (copied from the provider's embed code).
    pub action: Option<HttpUrl>,
    /// Buttondown username or Kit form id: enough to make `action` for those providers.
    pub account: Option<String>,
    /// The newsletter's own name, e.g. "De Stoep Letter".
    pub name: Option<String>,
    pub description: Option<String>,
    /// Listmonk list UUIDs; for Mailchimp `[u, id]` when `action` does not carry them.
    #[serde(default)]
    pub list_ids: Vec<String>,
    /// Field names for `provider = "custom"`.
    pub email_field: Option<String>,
    pub name_field: Option<String>,
    pub honeypot_field: Option<String>,
    /// Where the archive of issues lives (default `newsletter`: `/newsletter/`).
    pub archive_path: Option<String>,
    /// The unsubscribe link your mail tool fills in, for `provider = "custom"` (the
    /// others' are known: see [`NewsletterConfig::unsubscribe_url`]).
    pub unsubscribe_url: Option<String>,
}

impl NewsletterConfig {
    /// The placeholder the provider replaces with each reader's own unsubscribe link, for
    /// the email edition's footer.
    pub fn unsubscribe_url(&self) -> Option<&str> {
        match self.provider {
            NewsletterProvider::Buttondown => Some("{{ unsubscribe_url }}"),
            NewsletterProvider::Mailchimp => Some("*|UNSUB|*"),
            NewsletterProvider::Kit => Some("{{ unsubscribe_url }}"),
            NewsletterProvider::Listmonk => Some("{{ UnsubscribeURL }}"),
            NewsletterProvider::Ghost => Some("%%{unsubscribe_url}%%"),
            NewsletterProvider::Custom => self.unsubscribe_url.as_deref(),
        }
    }

    /// What the provider needs and this table lacks, as the message for it.
    pub fn check(&self) -> Result<(), String> {
        let has_action = self.action.is_some();
        let missing = match self.provider {
            NewsletterProvider::Buttondown if !has_action && self.account.is_none() => {
                Some("`account` (your Buttondown username) or `action`")
            }
            NewsletterProvider::Kit if !has_action && self.account.is_none() => {
                Some("`account` (the Kit form id) or `action`")
            }
            NewsletterProvider::Mailchimp if !has_action => Some(
                "`action`: the form URL from Mailchimp's embedded form (…list-manage.com/subscribe/post?u=…&id=…)",
            ),
            NewsletterProvider::Listmonk if !has_action => {
                Some("`action`: https://your-listmonk/subscription/form")
            }
            NewsletterProvider::Listmonk if self.list_ids.is_empty() => {
                Some("`list_ids`: the UUIDs of the lists to subscribe to")
            }
            NewsletterProvider::Ghost if !has_action => Some("`action`: your Ghost site's address"),
            NewsletterProvider::Custom if !has_action => Some("`action`"),
            _ => None,
        };
        match missing {
            Some(what) => Err(format!(
                "[newsletter] provider = \"{}\" needs {what}",
                self.provider.name()
            )),
            None => Ok(()),
        }
    }
}

impl NewsletterProvider {
    pub fn name(self) -> &'static str {
        match self {
            NewsletterProvider::Buttondown => "buttondown",
            NewsletterProvider::Mailchimp => "mailchimp",
            NewsletterProvider::Kit => "kit",
            NewsletterProvider::Listmonk => "listmonk",
            NewsletterProvider::Ghost => "ghost",
            NewsletterProvider::Custom => "custom",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CommunityConfig {
    pub platform: String,
    pub name: String,
    pub url: HttpUrl,
    pub description: Option<String>,
    #[serde(default)]
    pub members_only: bool,
}

/// What a language other than the default one changes.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    pub title: Option<String>,
    pub description: Option<String>,
    /// The chat platforms as this language describes them (replaces `[[community]]`).
    pub community: Option<Vec<CommunityConfig>>,
    /// The newsletter's name and description in this language.
    pub newsletter_name: Option<String>,
    pub newsletter_description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AnalyticsProvider {
    Plausible,
    Umami,
    Goatcounter,
    Custom,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AnalyticsConfig {
    pub provider: AnalyticsProvider,
    /// Plausible: the site's domain as registered there.
    pub domain: Option<String>,
    /// The script's URL (self-hosted Plausible or Umami, or `custom`).
    pub script_url: Option<HttpUrl>,
    /// Umami's website id.
    pub site_id: Option<String>,
    /// GoatCounter's site code (`code.goatcounter.com`).
    pub code: Option<String>,
}

impl AnalyticsConfig {
    /// What the provider needs and this table lacks, as the message for it.
    pub fn check(&self) -> Result<(), String> {
        let missing = match self.provider {
            AnalyticsProvider::Plausible if self.domain.is_none() => Some(("plausible", "domain")),
            AnalyticsProvider::Umami if self.site_id.is_none() => Some(("umami", "site_id")),
            AnalyticsProvider::Goatcounter if self.code.is_none() => Some(("goatcounter", "code")),
            AnalyticsProvider::Custom if self.script_url.is_none() => {
                Some(("custom", "script_url"))
            }
            _ => None,
        };
        match missing {
            Some((provider, key)) => Err(format!(
                "[analytics] provider = \"{provider}\" needs `{key}`"
            )),
            None => Ok(()),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyConfig {
    /// Hosts pages may load resources from besides the site (analytics is allowed by
    /// being configured); `kring check --privacy` fails on any other.
    #[serde(default)]
    pub allow: Vec<String>,
}

/// `[images]`: what kring makes of pictures.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ImagesConfig {
    /// A drawn `og:image` (title, site name, accent colour) for pages without an image of
    /// their own, so shared links show a picture in chat apps.
    #[serde(default = "yes")]
    pub social_cards: bool,
    /// Publish each photo's file exactly as it is, metadata (GPS, camera serial) and all,
    /// beside the sizes kring makes; off by default, for privacy.
    #[serde(default)]
    pub keep_originals: bool,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            social_cards: true,
            keep_originals: false,
        }
    }
}

/// `[search]`: the index the search page reads, written by every build.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// `[check]`: how `kring check --external` treats links to other sites.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Hosts never asked (with their subdomains): sites that turn robots away, or links
    /// behind a login.
    #[serde(default)]
    pub skip_hosts: Vec<String>,
    /// Seconds to wait for one answer; a host that takes longer is a warning.
    #[serde(default = "default_check_timeout")]
    pub timeout: u64,
    /// Hours a good answer is remembered (in `.kring-cache/links.json`); 0 asks every time.
    #[serde(default = "default_check_cache_hours")]
    pub cache_hours: u64,
}

fn default_check_timeout() -> u64 {
    10
}

fn default_check_cache_hours() -> u64 {
    24
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            skip_hosts: Vec::new(),
            timeout: default_check_timeout(),
            cache_hours: default_check_cache_hours(),
        }
    }
}

impl Config {
    /// Reads `kring.toml` in `site_dir`.
    pub fn load(site_dir: &Path) -> Result<Config> {
        let path = site_dir.join(CONFIG_FILE);
        if !path.is_file() {
            return Err(Diagnostic::new(
                &path,
                format!(
                    "no {CONFIG_FILE} here: is `{}` a kring site? (`kring init` makes one)",
                    site_dir.display()
                ),
            )
            .into());
        }
        let text = read_text(&path, Path::new(CONFIG_FILE))?;
        Config::parse(&text, Path::new(CONFIG_FILE))
    }

    /// Parses the text of a config file; `shown_as` is the name used in errors.
    pub fn parse(text: &str, shown_as: &Path) -> Result<Config> {
        let config: Config = toml::from_str(text)
            .map_err(|e| Error::from(toml_diagnostic(shown_as, text, 0, &e)))?;
        // What the tables need together (a provider's form URL, an analytics id) is checked
        // here, so the error points at the table.
        let at_table = |table: &str, message: String| {
            let offset = text.find(&format!("[{table}]")).unwrap_or(0);
            Error::from(Diagnostic::new(shown_as, message).at_offset(text, offset))
        };
        if let Some(n) = &config.newsletter {
            n.check().map_err(|m| at_table("newsletter", m))?;
        }
        if let Some(a) = &config.analytics {
            a.check().map_err(|m| at_table("analytics", m))?;
        }
        config
            .discussion
            .check()
            .map_err(|m| at_table("discussion", m))?;
        Ok(config)
    }

    /// The address of the whole site: `base_url`, or for a language under `/LANG/` the
    /// site's own.
    pub fn root_url(&self) -> &BaseUrl {
        self.site_root.as_ref().unwrap_or(&self.base_url)
    }

    /// The other languages' codes, in order.
    pub fn other_languages(&self) -> Vec<String> {
        self.languages
            .keys()
            .filter(|l| **l != self.language)
            .cloned()
            .collect()
    }

    /// The config as one language's part of the site sees it: its language, title and
    /// description, and URLs under `/LANG/`.
    pub fn for_language(&self, lang: &str) -> Config {
        let mut config = self.clone();
        if let Some(l) = self.languages.get(lang) {
            config.title = l.title.clone().unwrap_or(config.title);
            config.description = l.description.clone().unwrap_or(config.description);
            if let Some(community) = &l.community {
                config.community = community.clone();
            }
            if let Some(n) = config.newsletter.as_mut() {
                n.name = l.newsletter_name.clone().or(n.name.take());
                n.description = l.newsletter_description.clone().or(n.description.take());
            }
        }
        config.site_root = Some(self.base_url.clone());
        config.language = lang.to_string();
        config.base_url = BaseUrl(self.base_url.join(&config.language_prefix()));
        config
    }

    /// The one rule for where a language lives: `""` for the default language, `en/` for
    /// another. It is both the folder its files are written to inside the output and the
    /// path of its URLs under the site's root (see [`for_language`](Self::for_language)).
    pub fn language_prefix(&self) -> String {
        match self.site_root {
            Some(_) => format!("{}/", self.language),
            None => String::new(),
        }
    }

    /// The author named in feeds when a page has none.
    pub fn author(&self) -> &str {
        self.author.as_deref().unwrap_or(&self.title)
    }
}
