//! `kring ci PLATFORM [SITE]` (and `kring init --ci PLATFORM`): the files a host needs to
//! build the site on every push and every night (so "upcoming" lists stay right) and to
//! serve calendars and feeds with their content types. The workflow files go to the root
//! of the site's repository; files of the site itself (`static/_headers`, `deploy/`) into
//! the site. `docs/deploy.md` shows these very
//! files; a test holds the two together.

mod headers;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The npm packages the Netlify and Cloudflare workflows deploy with, pinned so a new
/// release of either cannot change a deploy unseen.
pub const NETLIFY_CLI: &str = "27.10.2";
pub const WRANGLER: &str = "4.164.0";

/// Where releases are published: `v<version>/<archive>`, `SHA256SUMS` and the install
/// scripts lie under it. `scripts/install.sh` has the same address (a test holds them
/// together).
pub const RELEASES: &str = "https://github.com/kring-ssg/kring/releases/download";

/// The install script of this version of kring, as the release publishes it: workflows
/// check its SHA-256 before running it.
pub const INSTALL_SCRIPT: &str = include_str!("../../../scripts/install.sh");

/// The SHA-256 of [`INSTALL_SCRIPT`], in hex.
pub fn install_script_sha256() -> String {
    ring::digest::digest(&ring::digest::SHA256, INSTALL_SCRIPT.as_bytes())
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The server platform's script, which is made executable.
const PUBLISH_SCRIPT: &str = "deploy/publish.sh";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Platform {
    /// GitHub Actions, publishing on GitHub Pages
    Github,
    /// GitLab CI, publishing on GitLab Pages
    Gitlab,
    /// GitHub Actions, publishing on Netlify
    Netlify,
    /// GitHub Actions, publishing on Cloudflare Pages
    Cloudflare,
    /// Your own server: nginx and Caddy configurations, and a script that builds and
    /// copies the site with rsync (by hand or nightly from cron)
    Server,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the site is published
    #[arg(value_enum)]
    pub platform: Platform,
    /// The site folder (with kring.toml); the current folder when left out
    pub site: Option<PathBuf>,
    /// Replace files that are already there
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args) -> Result<()> {
    let site = super::site_dir(&args.site);
    if !site.join(crate::vocabulary::CONFIG_FILE).is_file() {
        return Err(Error::Usage(format!(
            "{} has no kring.toml: `kring ci` adds deploy files to an existing site (`kring init --ci {}` makes a new one)",
            site.display(),
            platform_name(args.platform)
        )));
    }
    let written = write(&site, args.platform, args.force)?;
    report(&written, args.platform);
    Ok(())
}

/// Tells what was written and what the user still has to do on the platform.
pub fn report(written: &[PathBuf], platform: Platform) {
    for path in written {
        println!("Wrote {}", path.display());
    }
    let next = match platform {
        Platform::Github => "turn on Settings → Pages → Source: \"GitHub Actions\", then push",
        Platform::Gitlab => {
            "push, and add a pipeline schedule (Build → Pipeline schedules) for the nightly rebuild"
        }
        Platform::Netlify => {
            "add the secrets NETLIFY_AUTH_TOKEN and NETLIFY_SITE_ID to the GitHub repository, then push"
        }
        Platform::Cloudflare => {
            "add the secrets CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID to the GitHub repository, then push"
        }
        Platform::Server => {
            "install deploy/nginx.conf or deploy/Caddyfile on the server, then run deploy/publish.sh (and add it to cron for the nightly rebuild)"
        }
    };
    println!("Next: {next}. docs/deploy.md has the steps.");
}

fn platform_name(platform: Platform) -> &'static str {
    match platform {
        Platform::Github => "github",
        Platform::Gitlab => "gitlab",
        Platform::Netlify => "netlify",
        Platform::Cloudflare => "cloudflare",
        Platform::Server => "server",
    }
}

/// A file for the platform: its path from the repository's root, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CiFile {
    pub path: String,
    pub text: String,
}

/// The files for `platform`, for a site in folder `site` of its repository (`.` at the
/// root) whose Cloudflare project is called `project`.
pub fn files(platform: Platform, site: &str, project: &str) -> Vec<CiFile> {
    let fill = |template: &str| {
        template
            .replace("@@build-steps@@\n", include_str!("files/build-steps.yml"))
            .replace("@@version@@", env!("CARGO_PKG_VERSION"))
            .replace("@@releases@@", RELEASES)
            .replace("@@install-sha256@@", &install_script_sha256())
            .replace("@@site@@", site)
            .replace("@@netlify-cli@@", NETLIFY_CLI)
            .replace("@@wrangler@@", WRANGLER)
            .replace("@@project@@", project)
            .replace("@@nginx-rules@@", &headers::nginx_rules())
            .replace("@@caddy-rules@@", &headers::caddy_rules())
    };
    let workflow = |template: &str| CiFile {
        path: ".github/workflows/kring.yml".into(),
        text: fill(template),
    };
    let in_site = |rel: &str| match site {
        "." => rel.to_string(),
        _ => format!("{site}/{rel}"),
    };
    match platform {
        Platform::Github => vec![workflow(include_str!("files/github.yml"))],
        Platform::Gitlab => vec![CiFile {
            path: ".gitlab-ci.yml".into(),
            text: fill(include_str!("files/gitlab-ci.yml")),
        }],
        Platform::Netlify => vec![
            workflow(include_str!("files/netlify.yml")),
            CiFile {
                path: "netlify.toml".into(),
                text: headers::netlify_toml(),
            },
        ],
        Platform::Cloudflare => vec![
            workflow(include_str!("files/cloudflare.yml")),
            CiFile {
                path: in_site("static/_headers"),
                text: headers::headers_file(),
            },
        ],
        Platform::Server => vec![
            CiFile {
                path: in_site("deploy/nginx.conf"),
                text: fill(include_str!("files/nginx.conf")),
            },
            CiFile {
                path: in_site("deploy/Caddyfile"),
                text: fill(include_str!("files/Caddyfile")),
            },
            CiFile {
                path: in_site(PUBLISH_SCRIPT),
                text: fill(include_str!("files/publish.sh")),
            },
        ],
    }
}

/// Writes the platform's files for the site in `site`, at the root of its git repository
/// (or of the site when it is in none). Nothing is written when a file is already there,
/// unless `force`.
pub fn write(site: &Path, platform: Platform, force: bool) -> Result<Vec<PathBuf>> {
    let (root, site_rel) = repository_of(site);
    // The folder goes into YAML and shell lines as it is: only names that mean the same
    // to both (no spaces, quotes, `:`, `#`, `$`, control characters).
    let plain = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '/');
    if !site_rel.chars().all(plain) || site_rel.starts_with('-') {
        return Err(Error::Usage(format!(
            "the site's folder {site_rel:?} (from the repository's root) has characters a workflow would misread: rename it with letters, digits, `.`, `_` and `-` only"
        )));
    }
    let project = slug::slugify(
        site.canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "kring-site".into()),
    );
    let files = files(platform, &site_rel, &project);
    let there: Vec<String> = files
        .iter()
        .filter(|f| root.join(&f.path).exists())
        .map(|f| root.join(&f.path).display().to_string())
        .collect();
    if !there.is_empty() && !force {
        return Err(Error::Usage(format!(
            "not written, as these files are already there: {} (add --force to replace them)",
            there.join(", ")
        )));
    }
    let mut written = Vec::new();
    for file in files {
        let path = root.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, file.text).map_err(|e| Error::io(&path, e))?;
        #[cfg(unix)]
        if file.path.ends_with(PUBLISH_SCRIPT) {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
                .map_err(|e| Error::io(&path, e))?;
        }
        written.push(path);
    }
    Ok(written)
}

/// The root of the git repository `site` is in, and the site's folder in it (`.` for the
/// root; `/` separators); the site itself when it is in no repository.
fn repository_of(site: &Path) -> (PathBuf, String) {
    let Ok(full) = site.canonicalize() else {
        return (site.to_path_buf(), ".".into());
    };
    for root in full.ancestors() {
        if root.join(".git").exists() {
            let rel = full
                .strip_prefix(root)
                .unwrap_or(Path::new(""))
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let rel = if rel.is_empty() { ".".into() } else { rel };
            return (root.to_path_buf(), rel);
        }
    }
    (site.to_path_buf(), ".".into())
}
