//! The community around the site, as templates see it: chat platforms recognized from their
//! URLs, "discuss this" links, the newsletter signup form each provider expects, and the
//! analytics snippet — the only third-party request kring ever adds, and only when asked.

use serde_json::Value;

use crate::config::{AnalyticsProvider, Config, NewsletterProvider};
use crate::vocabulary::{Discuss, HttpUrl};

/// Platforms the theme has an icon and a name for.
pub const PLATFORMS: [(&str, &str); 10] = [
    ("discord", "Discord"),
    ("slack", "Slack"),
    ("discourse", "Discourse"),
    ("matrix", "Matrix"),
    ("telegram", "Telegram"),
    ("whatsapp", "WhatsApp"),
    ("signal", "Signal"),
    ("substack", "Substack chat"),
    ("mastodon", "Mastodon"),
    ("linkedin", "LinkedIn"),
];

/// A platform as written in `[[community]] platform = "…"`, normalized.
pub fn normalize(platform: &str) -> &'static str {
    let p = platform
        .trim()
        .to_ascii_lowercase()
        .replace([' ', '-', '_'], "");
    let p = match p.as_str() {
        "substackchat" => "substack",
        "forum" => "discourse",
        other => other,
    };
    PLATFORMS
        .iter()
        .find(|(id, _)| *id == p)
        .map_or("other", |(id, _)| id)
}

pub fn platform_name(id: &str) -> &'static str {
    PLATFORMS
        .iter()
        .find(|(p, _)| *p == id)
        .map_or("the community", |(_, name)| name)
}

/// Which platform a conversation URL is on, from its host and path.
pub fn platform_of(url: &str) -> &'static str {
    let rest = url
        .split_once("://")
        .map_or(url, |(_, r)| r)
        .to_ascii_lowercase();
    let (host, path) = rest
        .split_once('/')
        .map_or((rest.as_str(), ""), |(h, p)| (h, p));
    let host = host.trim_start_matches("www.");
    let is = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
    if is("discord.gg") || is("discord.com") || is("discordapp.com") {
        "discord"
    } else if is("slack.com") {
        "slack"
    } else if is("t.me") || is("telegram.me") || is("telegram.org") {
        "telegram"
    } else if is("whatsapp.com") || is("wa.me") {
        "whatsapp"
    } else if is("signal.group") || is("signal.me") || is("signal.org") {
        "signal"
    } else if is("matrix.to") || host.starts_with("matrix.") || host.contains("element") {
        "matrix"
    } else if is("substack.com") {
        "substack"
    } else if is("linkedin.com") {
        "linkedin"
    } else if path.starts_with('@') || host.starts_with("mastodon.") || is("mastodon.social") {
        "mastodon"
    } else if path.starts_with("t/")
        || path.starts_with("c/")
        || host.starts_with("forum.")
        || host.starts_with("discuss.")
        || host.starts_with("community.")
    {
        "discourse"
    } else {
        "other"
    }
}

/// A link to a conversation: where it is, and on which platform.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ChatLink<'a> {
    pub url: &'a str,
    pub platform: &'static str,
    pub platform_name: &'static str,
}

fn link(url: &HttpUrl) -> Value {
    let platform = platform_of(&url.0);
    serde_json::to_value(ChatLink {
        url: &url.0,
        platform,
        platform_name: platform_name(platform),
    })
    .unwrap_or_default()
}

/// Where a page's conversation is: its own `discuss`, else the site's default.
pub fn discuss(config: &Config, page: Option<&Discuss>) -> Value {
    match page {
        Some(Discuss::Off) => Value::Null,
        Some(Discuss::At(url)) => link(url),
        None => config.discussion.default.as_ref().map_or(Value::Null, link),
    }
}

/// A chat link (events' `chat`).
pub fn chat(url: Option<&HttpUrl>) -> Value {
    url.map_or(Value::Null, link)
}

/// A chat platform of `[[community]]`, as `site.community` lists it.
#[derive(Debug, serde::Serialize)]
pub struct CommunityView<'a> {
    pub platform: &'static str,
    pub platform_name: &'a str,
    pub name: &'a str,
    pub url: &'a HttpUrl,
    pub description: Option<&'a str>,
    pub members_only: bool,
}

pub fn community(config: &Config) -> Value {
    Value::from(
        config
            .community
            .iter()
            .map(|c| {
                let platform = normalize(&c.platform);
                let view = CommunityView {
                    platform,
                    platform_name: if platform == "other" {
                        &c.platform
                    } else {
                        platform_name(platform)
                    },
                    name: &c.name,
                    url: &c.url,
                    description: c.description.as_deref(),
                    members_only: c.members_only,
                };
                serde_json::to_value(view).unwrap_or_default()
            })
            .collect::<Vec<_>>(),
    )
}

fn field(
    name: &str,
    kind: &str,
    label: Option<&str>,
    required: bool,
    autocomplete: Option<&str>,
    value: Option<&str>,
) -> FormField {
    FormField {
        name: name.to_string(),
        kind: kind.to_string(),
        label: label.map(str::to_string),
        required,
        autocomplete: autocomplete.map(str::to_string),
        value: value.map(str::to_string),
    }
}

/// One field of the newsletter signup form.
#[derive(Debug, serde::Serialize)]
pub struct FormField {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// The key of its label in the UI strings.
    pub label: Option<String>,
    pub required: bool,
    pub autocomplete: Option<String>,
    pub value: Option<String>,
}

/// The signup form as the provider expects it (`site.newsletter.form`).
#[derive(Debug, serde::Serialize)]
pub struct NewsletterForm {
    pub action: String,
    pub method: &'static str,
    pub fields: Vec<FormField>,
    /// A field bots fill in and people do not see.
    pub honeypot: Option<String>,
}

fn email(name: &str) -> FormField {
    field(
        name,
        "email",
        Some("newsletter_email"),
        true,
        Some("email"),
        None,
    )
}

/// `u` and `id` of a Mailchimp form action (`…/subscribe/post?u=U&id=ID`).
fn mailchimp_ids(action: &str) -> Option<(String, String)> {
    let query = action.split_once('?')?.1;
    let get = |key: &str| {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(&format!("{key}=")).map(str::to_string))
    };
    Some((get("u")?, get("id")?))
}

/// The signup form as the provider expects it: where it posts, and the field names.
/// `None` without a `[newsletter]`, or (which `NewsletterConfig::check` rules out when the
/// config loads) without what its provider needs.
pub fn newsletter_form(config: &Config) -> Option<NewsletterForm> {
    let n = config.newsletter.as_ref()?;
    let action = n.action.as_ref().map(|a| a.0.clone());
    let (action, method, fields, honeypot) = match n.provider {
        NewsletterProvider::Buttondown => {
            let action = match (action, &n.account) {
                (Some(a), _) => a,
                (None, Some(user)) => {
                    format!("https://buttondown.com/api/emails/embed-subscribe/{user}")
                }
                (None, None) => return None,
            };
            (
                action,
                "post",
                vec![
                    email("email"),
                    field("embed", "hidden", None, false, None, Some("1")),
                ],
                None,
            )
        }
        NewsletterProvider::Mailchimp => {
            let action = action?;
            let ids = mailchimp_ids(&action).or_else(|| match n.list_ids.as_slice() {
                [u, id] => Some((u.clone(), id.clone())),
                _ => None,
            });
            // Mailchimp's own honeypot: a field named after the list that people leave empty.
            let honeypot = ids.map(|(u, id)| format!("b_{u}_{id}"));
            (
                action,
                "post",
                vec![
                    email("EMAIL"),
                    field(
                        "FNAME",
                        "text",
                        Some("newsletter_name"),
                        false,
                        Some("given-name"),
                        None,
                    ),
                ],
                honeypot,
            )
        }
        NewsletterProvider::Kit => {
            let action = match (action, &n.account) {
                (Some(a), _) => a,
                (None, Some(form)) => format!("https://app.kit.com/forms/{form}/subscriptions"),
                (None, None) => return None,
            };
            (
                action,
                "post",
                vec![
                    email("email_address"),
                    field(
                        "fields[first_name]",
                        "text",
                        Some("newsletter_name"),
                        false,
                        Some("given-name"),
                        None,
                    ),
                ],
                None,
            )
        }
        NewsletterProvider::Listmonk => {
            let action = action?;
            let mut fields = vec![
                email("email"),
                field(
                    "name",
                    "text",
                    Some("newsletter_name"),
                    false,
                    Some("name"),
                    None,
                ),
            ];
            fields.extend(
                n.list_ids
                    .iter()
                    .map(|id| field("l", "hidden", None, false, None, Some(id))),
            );
            // listmonk ignores submissions that fill its `nonce` field.
            (action, "post", fields, Some("nonce".to_string()))
        }
        NewsletterProvider::Ghost => {
            // Ghost signs people up only through its own Portal page: the form opens it.
            let site = action?;
            (
                format!("{}/#/portal/signup", site.trim_end_matches('/')),
                "get",
                Vec::new(),
                None,
            )
        }
        NewsletterProvider::Custom => {
            let action = action?;
            let mut fields = vec![email(n.email_field.as_deref().unwrap_or("email"))];
            if let Some(name) = &n.name_field {
                fields.push(field(
                    name,
                    "text",
                    Some("newsletter_name"),
                    false,
                    Some("name"),
                    None,
                ));
            }
            (action, "post", fields, n.honeypot_field.clone())
        }
    };
    Some(NewsletterForm {
        action,
        method,
        fields,
        honeypot,
    })
}

/// The one `<script>` for configured analytics: `{src, attributes}`, or null without
/// `[analytics]` (or without what its provider needs, which `AnalyticsConfig::check` rules
/// out when the config loads).
pub fn analytics(config: &Config) -> Option<AnalyticsScript> {
    let a = config.analytics.as_ref()?;
    let script = a.script_url.as_ref().map(|u| u.0.clone());
    let script_or = |default: &str| script.clone().unwrap_or_else(|| default.to_string());
    let found = match a.provider {
        AnalyticsProvider::Plausible => a.domain.clone().map(|domain| {
            (
                script_or("https://plausible.io/js/script.js"),
                vec![("data-domain", domain)],
            )
        }),
        AnalyticsProvider::Umami => a.site_id.clone().map(|id| {
            (
                script_or("https://cloud.umami.is/script.js"),
                vec![("data-website-id", id)],
            )
        }),
        AnalyticsProvider::Goatcounter => a.code.clone().map(|code| {
            (
                script_or("https://gc.zgo.at/count.js"),
                vec![(
                    "data-goatcounter",
                    format!("https://{code}.goatcounter.com/count"),
                )],
            )
        }),
        AnalyticsProvider::Custom => script.clone().map(|src| (src, Vec::new())),
    };
    found.map(|(src, attributes)| AnalyticsScript {
        src,
        attributes: attributes
            .into_iter()
            .map(|(name, value)| ScriptAttribute { name, value })
            .collect(),
    })
}

/// The analytics `<script>`: where it loads from and its `data-` attributes.
#[derive(Debug, serde::Serialize)]
pub struct AnalyticsScript {
    pub src: String,
    pub attributes: Vec<ScriptAttribute>,
}

#[derive(Debug, serde::Serialize)]
pub struct ScriptAttribute {
    pub name: &'static str,
    pub value: String,
}

/// The host of a URL (`https://plausible.io/js/x.js` → `plausible.io`).
pub fn host_of(url: &str) -> Option<String> {
    let rest = url
        .split_once("://")
        .map(|(_, r)| r)
        .or_else(|| url.strip_prefix("//"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_are_recognized_from_urls() {
        for (url, platform) in [
            ("https://discord.gg/abc", "discord"),
            ("https://destoep.slack.com/archives/C1", "slack"),
            ("https://forum.example.org/t/house-rules/12", "discourse"),
            ("https://matrix.to/#/#stoep:matrix.org", "matrix"),
            ("https://t.me/destoep", "telegram"),
            ("https://chat.whatsapp.com/AbC", "whatsapp"),
            ("https://signal.group/#abc", "signal"),
            ("https://destoep.substack.com/chat", "substack"),
            ("https://mastodon.social/@destoep", "mastodon"),
            ("https://www.linkedin.com/groups/1", "linkedin"),
            ("https://example.org/somewhere", "other"),
        ] {
            assert_eq!(platform_of(url), platform, "{url}");
        }
        assert_eq!(normalize("Substack chat"), "substack");
        assert_eq!(normalize("WhatsApp"), "whatsapp");
        assert_eq!(normalize("Zulip"), "other");
    }

    #[test]
    fn hosts() {
        assert_eq!(
            host_of("https://User@Plausible.io:443/js/x.js").as_deref(),
            Some("plausible.io")
        );
        assert_eq!(
            host_of("//cdn.example.org/x.css").as_deref(),
            Some("cdn.example.org")
        );
        assert_eq!(host_of("/local.css"), None);
    }
}
