//! Which host the content editor talks to when someone uses it on the web: what `kring
//! check --privacy` says about `/admin/`, whose page itself loads nothing from another host.

use std::path::Path;

/// The git backend named in the site's `static/admin/config.yml`: its name, and the host
/// the editor sends requests to once someone signs in (`None` for the local and test
/// backends, and for a backend without a known or given host).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitBackend {
    pub name: String,
    pub host: Option<String>,
}

/// The backend of the config at `site_dir`, when the site has the editor. A later top-level
/// `backend:` (the kept section below the marker line) wins over the generated one, as in
/// Decap's own reading of the file.
pub fn git_backend(site_dir: &Path) -> Option<GitBackend> {
    let text = std::fs::read_to_string(site_dir.join(super::ADMIN_DIR).join("config.yml")).ok()?;
    backend_of(&text)
}

fn backend_of(yaml: &str) -> Option<GitBackend> {
    let mut found = None;
    let mut lines = yaml.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim_end() != "backend:" {
            continue;
        }
        let mut keys: Vec<(String, String)> = Vec::new();
        while let Some(next) = lines.peek() {
            if !next.starts_with([' ', '\t']) && !next.trim().is_empty() {
                break;
            }
            if let Some((key, value)) = next.trim().split_once(':') {
                let value = value.trim().trim_matches(['"', '\'']).to_string();
                keys.push((key.trim().to_string(), value));
            }
            lines.next();
        }
        let get = |k: &str| {
            keys.iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
        };
        let name = get("name")?;
        let given = get("api_root")
            .or_else(|| get("base_url"))
            .and_then(|u| url::Url::parse(&u).ok()?.host_str().map(str::to_string));
        let default = match name.as_str() {
            "github" => Some("api.github.com"),
            "gitlab" => Some("gitlab.com"),
            "bitbucket" => Some("api.bitbucket.org"),
            "azure" => Some("dev.azure.com"),
            _ => None,
        };
        found = Some(GitBackend {
            host: given.or_else(|| default.map(str::to_string)),
            name,
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_backend_wins_and_its_host_is_known_or_given() {
        let generated =
            "backend:\n  branch: \"main\"\n  name: \"github\"\nlocal_backend:\n  url: \"x\"\n";
        assert_eq!(
            backend_of(generated),
            Some(GitBackend {
                name: "github".into(),
                host: Some("api.github.com".into())
            })
        );
        let kept = format!(
            "{generated}# ---- kept ----\nbackend:\n  name: gitea\n  repo: me/site\n  api_root: 'https://git.example.nl/api/v1'\n"
        );
        assert_eq!(
            backend_of(&kept),
            Some(GitBackend {
                name: "gitea".into(),
                host: Some("git.example.nl".into())
            })
        );
        // No host known or given; no backend at all; a key that only looks like one.
        assert_eq!(
            backend_of("backend:\n  name: test-repo\n").and_then(|b| b.host),
            None
        );
        assert_eq!(backend_of("collections: []\n"), None);
        assert_eq!(backend_of("  backend:\n    name: github\n"), None);
    }
}
