//! `kring init --ci` and `kring ci`: every file written is parsed (YAML with yaml-rust2,
//! TOML with toml, `_headers` by its format) and its steps asserted, and `docs/deploy.md`
//! shows exactly these files.

use crate::common;

use std::path::Path;

use common::{read, run};
use yaml_rust2::{Yaml, YamlLoader};

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn yaml(dir: &Path, rel: &str) -> Yaml {
    let text = read(dir, rel);
    YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{rel} is not YAML: {e}\n{text}"))
        .remove(0)
}

fn init_with(platform: &str, tmp: &Path) -> std::path::PathBuf {
    let site = tmp.join(format!("site-{platform}"));
    let (ok, out, err) = run(&["init", "--ci", platform, site.to_str().unwrap()], tmp);
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("Next:"), "{out}");
    site
}

/// The `run:` lines of a GitHub workflow's job, in order.
fn runs(job: &Yaml) -> Vec<String> {
    job["steps"]
        .as_vec()
        .expect("steps")
        .iter()
        .filter_map(|s| s["run"].as_str().map(str::to_string))
        .collect()
}

fn uses(job: &Yaml) -> Vec<String> {
    job["steps"]
        .as_vec()
        .expect("steps")
        .iter()
        .filter_map(|s| s["uses"].as_str().map(str::to_string))
        .collect()
}

/// What every GitHub workflow kring writes does: push and nightly triggers, kring
/// installed at this version and cached, a check before the build.
fn assert_github_basics(workflow: &Yaml, job: &Yaml) {
    assert_eq!(workflow["on"]["push"]["branches"][0].as_str(), Some("main"));
    let cron = workflow["on"]["schedule"][0]["cron"]
        .as_str()
        .expect("a nightly schedule");
    let fields: Vec<&str> = cron.split_whitespace().collect();
    assert_eq!(fields.len(), 5, "{cron}");
    assert_eq!(&fields[2..], ["*", "*", "*"], "every day: {cron}");
    let runs = runs(job);
    let install = runs
        .iter()
        .position(|r| r.contains("install.sh"))
        .expect("kring is installed");
    assert_installs_the_release(&runs[install], "~/.kring");
    let cache = job["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .find(|s| s["id"].as_str() == Some("kring"))
        .expect("kring's cache step");
    assert!(
        cache["uses"]
            .as_str()
            .unwrap()
            .starts_with("actions/cache@")
    );
    assert!(cache["with"]["key"].as_str().unwrap().contains(VERSION));
    let install_step = job["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .find(|s| s["run"].as_str().is_some_and(|r| r.contains("install.sh")))
        .unwrap();
    assert!(
        install_step["if"]
            .as_str()
            .unwrap()
            .contains("cache-hit != 'true'"),
        "installed only when not cached"
    );
    let check = runs.iter().position(|r| r.starts_with("kring check"));
    let build = runs.iter().position(|r| r.starts_with("kring build"));
    assert!(
        check.is_some() && check < build,
        "check, then build: {runs:?}"
    );
    assert!(
        Some(install) < check,
        "installed before the check: {runs:?}"
    );
}

/// An install step: the install script of this version, its SHA-256 checked (computed here
/// by coreutils' sha256sum from the repository's script) before it runs, the pinned
/// version, and `cargo install` only when the script says no binary exists (exit 3).
fn assert_installs_the_release(run: &str, root: &str) {
    let sum = std::process::Command::new("sha256sum")
        .arg(common::repo().join("scripts/install.sh"))
        .output()
        .unwrap();
    let sum = String::from_utf8(sum.stdout).unwrap();
    let sum = sum.split_whitespace().next().unwrap();
    assert!(
        run.contains(&format!("{}/v", kring::commands::ci::RELEASES))
            && run.contains("/install.sh"),
        "the release's script: {run}"
    );
    let check = run
        .find(&format!("echo \"{sum}  "))
        .unwrap_or_else(|| panic!("the script's checksum ({sum}) is checked: {run}"));
    assert!(run[check..].contains("sha256sum --check --strict"), "{run}");
    // The line that runs it: `sh SCRIPT --version …`.
    let runs_script = run
        .match_indices('\n')
        .map(|(i, _)| i)
        .find(|&i| run[i..].trim_start().starts_with("sh "))
        .expect("the script is run");
    assert!(check < runs_script, "checked before it runs: {run}");
    assert!(
        run[runs_script..].contains("--version ")
            && (run.contains(&format!("--version {VERSION} "))
                || run.contains("--version \"$KRING_VERSION\"")),
        "a pinned version: {run}"
    );
    assert!(run.contains(&format!("--to {root}/bin")), "{run}");
    let fallback = run.find("cargo install --locked").expect("a fallback");
    assert!(
        run[..fallback].trim_end().ends_with("then") && run[..fallback].contains("\"$status\" = 3"),
        "cargo install only where no binary exists: {run}"
    );
    assert!(
        run[fallback..].contains(&format!("kring@{VERSION}"))
            || run[fallback..].contains("kring@$KRING_VERSION"),
        "{run}"
    );
}

#[test]
fn github_pages_workflow_builds_checks_and_deploys_on_push_and_nightly() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_with("github", tmp.path());
    let workflow = yaml(&site, ".github/workflows/kring.yml");
    let build = &workflow["jobs"]["build"];
    assert_github_basics(&workflow, build);
    let runs = runs(build);
    let build_line = runs.iter().find(|r| r.starts_with("kring build")).unwrap();
    assert!(
        build_line.contains("--base-url \"${{ steps.pages.outputs.base_url }}/\""),
        "the address GitHub gives (a sub-path for a project site): {build_line}"
    );
    let uses = uses(build);
    assert!(
        uses.iter()
            .any(|u| u.starts_with("actions/configure-pages@"))
    );
    assert!(
        uses.iter()
            .any(|u| u.starts_with("actions/upload-pages-artifact@"))
    );
    assert_eq!(
        workflow["jobs"]["deploy"]["steps"][0]["uses"].as_str(),
        Some("actions/deploy-pages@v4")
    );
    assert_eq!(workflow["permissions"]["pages"].as_str(), Some("write"));
    assert_eq!(workflow["permissions"]["id-token"].as_str(), Some("write"));
    // The site built from the new folder passes its own check and build.
    let (ok, out, err) = run(&["check", site.to_str().unwrap()], tmp.path());
    assert!(ok, "{out}\n{err}");
}

#[test]
fn netlify_gets_a_workflow_and_netlify_toml_with_content_types() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_with("netlify", tmp.path());
    let workflow = yaml(&site, ".github/workflows/kring.yml");
    let job = &workflow["jobs"]["deploy"];
    assert_github_basics(&workflow, job);
    let deploy = runs(job).into_iter().last().unwrap();
    assert!(
        deploy.contains("netlify-cli@") && deploy.contains("deploy --prod --dir public"),
        "{deploy}"
    );
    assert!(job["steps"].as_vec().unwrap().iter().any(|s| {
        s["env"]["NETLIFY_AUTH_TOKEN"].as_str() == Some("${{ secrets.NETLIFY_AUTH_TOKEN }}")
    }));
    let config: toml::Table = read(&site, "netlify.toml").parse().unwrap();
    assert_eq!(config["build"]["publish"].as_str(), Some("public"));
    let headers = config["headers"].as_array().unwrap();
    let value = |pattern: &str, name: &str| {
        headers
            .iter()
            .find(|h| h["for"].as_str() == Some(pattern) && h["values"].get(name).is_some())
            .map(|h| h["values"][name].as_str().unwrap().to_string())
    };
    assert_eq!(
        value("/*.ics", "Content-Type").as_deref(),
        Some("text/calendar; charset=utf-8")
    );
    assert_eq!(
        value("/*/rss.xml", "Content-Type").as_deref(),
        Some("application/rss+xml; charset=utf-8")
    );
    assert_eq!(
        value("/rss.xml", "Content-Type").as_deref(),
        Some("application/rss+xml; charset=utf-8")
    );
    assert!(value("/*.css", "Cache-Control").is_some());
}

#[test]
fn cloudflare_gets_a_workflow_and_a_headers_file_the_build_publishes() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_with("cloudflare", tmp.path());
    let workflow = yaml(&site, ".github/workflows/kring.yml");
    let job = &workflow["jobs"]["deploy"];
    assert_github_basics(&workflow, job);
    let deploy = runs(job).into_iter().last().unwrap();
    assert!(
        deploy.contains("wrangler@") && deploy.contains("pages deploy public"),
        "{deploy}"
    );
    // `_headers`: a pattern line, then indented `Name: value` lines.
    let text = read(&site, "static/_headers");
    let mut rules: Vec<(String, String, String)> = Vec::new();
    let mut pattern = String::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        if line.starts_with("  ") {
            let (name, value) = line.trim().split_once(": ").expect("Name: value");
            rules.push((pattern.clone(), name.into(), value.into()));
        } else {
            assert!(line.starts_with('/'), "a URL pattern: {line}");
            pattern = line.to_string();
        }
    }
    assert!(rules.contains(&(
        "/*.ics".into(),
        "Content-Type".into(),
        "text/calendar; charset=utf-8".into()
    )));
    assert!(rules.contains(&(
        "/*/atom.xml".into(),
        "Content-Type".into(),
        "application/atom+xml; charset=utf-8".into()
    )));
    // The build copies it to where Cloudflare reads it.
    let (ok, out, err) = run(
        &[
            "build",
            site.to_str().unwrap(),
            "-o",
            tmp.path().join("out").to_str().unwrap(),
        ],
        tmp.path(),
    );
    assert!(ok, "{out}\n{err}");
    assert_eq!(read(&tmp.path().join("out"), "_headers"), text);
}

#[test]
fn gitlab_pages_job_checks_builds_and_runs_on_schedules() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_with("gitlab", tmp.path());
    let ci = yaml(&site, ".gitlab-ci.yml");
    let pages = &ci["pages"];
    assert_eq!(pages["variables"]["KRING_VERSION"].as_str(), Some(VERSION));
    let script: Vec<&str> = pages["script"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(
        script[0].contains("if [ ! -x .kring/bin/kring ]"),
        "{}",
        script[0]
    );
    assert_installs_the_release(script[0], ".kring");
    assert!(script[1].contains("kring check"));
    assert!(script[2].contains("kring build") && script[2].contains("-o public"));
    assert!(script[2].contains("$CI_PAGES_URL"));
    assert_eq!(pages["artifacts"]["paths"][0].as_str(), Some("public"));
    let rules: Vec<&str> = pages["rules"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|r| r["if"].as_str().unwrap())
        .collect();
    assert!(
        rules.iter().any(|r| r.contains("\"schedule\"")),
        "{rules:?}"
    );
    let caches: Vec<&str> = pages["cache"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert!(
        caches.contains(&format!("kring-{VERSION}").as_str()),
        "{caches:?}"
    );
}

#[test]
fn existing_files_are_kept_unless_forced_and_a_site_in_a_repository_folder_is_found() {
    let tmp = tempfile::tempdir().unwrap();
    // A repository with the site in web/.
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let site = repo.join("web");
    let (ok, _, err) = run(&["init", site.to_str().unwrap()], tmp.path());
    assert!(ok, "{err}");
    let (ok, out, err) = run(&["ci", "github", site.to_str().unwrap()], tmp.path());
    assert!(ok, "{out}\n{err}");
    let workflow_path = repo.join(".github/workflows/kring.yml");
    let workflow = yaml(&repo, ".github/workflows/kring.yml");
    let runs = runs(&workflow["jobs"]["build"]);
    assert!(runs.contains(&"kring check web".to_string()), "{runs:?}");
    assert!(!site.join(".github").exists());

    std::fs::write(&workflow_path, "# mine\n").unwrap();
    let (ok, _, err) = run(&["ci", "github", site.to_str().unwrap()], tmp.path());
    assert!(!ok);
    assert!(
        err.contains("already there") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&workflow_path).unwrap(), "# mine\n");
    // Cloudflare's files: one is there, so none is written.
    let (ok, _, _) = run(&["ci", "cloudflare", site.to_str().unwrap()], tmp.path());
    assert!(!ok);
    assert!(!site.join("static/_headers").exists(), "all or nothing");
    let (ok, _, err) = run(
        &["ci", "github", site.to_str().unwrap(), "--force"],
        tmp.path(),
    );
    assert!(ok, "{err}");
    assert!(read(&repo, ".github/workflows/kring.yml").contains("kring check web"));

    // Not a site: a clear error, nothing written.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let (ok, _, err) = run(&["ci", "gitlab", empty.to_str().unwrap()], tmp.path());
    assert!(!ok && err.contains("no kring.toml"), "{err}");
    assert!(!empty.join(".gitlab-ci.yml").exists());
}

/// `docs/deploy.md` shows each file under a line `<!-- kring ci PLATFORM: PATH -->`;
/// each must be what `kring ci` writes for a site at the root of its repository.
#[test]
fn the_deploy_guide_shows_the_files_kring_writes() {
    let guide = read(&common::repo(), "docs/deploy.md");
    let tmp = tempfile::tempdir().unwrap();
    let mut shown = 0;
    let mut rest = guide.as_str();
    while let Some(at) = rest.find("<!-- kring ci ") {
        rest = &rest[at + "<!-- kring ci ".len()..];
        let (label, after) = rest.split_once(" -->").unwrap();
        let (platform, path) = label.split_once(": ").unwrap();
        let fence_start = after.find("```").unwrap();
        let body_start = fence_start + after[fence_start..].find('\n').unwrap() + 1;
        let body_end = body_start + after[body_start..].find("\n```").unwrap() + 1;
        let block = &after[body_start..body_end];
        let site = tmp.path().join(platform).join("my-hub");
        if !site.exists() {
            let (ok, _, err) = run(
                &["init", "--ci", platform, site.to_str().unwrap()],
                tmp.path(),
            );
            assert!(ok, "{err}");
        }
        assert_eq!(
            block,
            read(&site, path),
            "docs/deploy.md's {path} for {platform} is not what `kring ci {platform}` writes"
        );
        shown += 1;
    }
    assert_eq!(shown, 9, "every file of every platform is shown");
}

/// The guide's table of content types is the one the dev server and the header files use.
#[test]
fn the_deploy_guide_lists_the_content_types_kring_sends() {
    let guide = read(&common::repo(), "docs/deploy.md");
    let table = guide
        .split("<!-- content types -->\n")
        .nth(1)
        .expect("the table's marker")
        .split("\n\n")
        .next()
        .unwrap();
    let rows: Vec<(String, String)> = table
        .lines()
        .skip(2)
        .map(|row| {
            let cells: Vec<&str> = row.split('|').map(|c| c.trim().trim_matches('`')).collect();
            (
                cells[1].trim_start_matches('*').to_string(),
                cells[2].to_string(),
            )
        })
        .collect();
    let kring: Vec<(String, String)> = kring::model::routes::CONTENT_TYPES
        .iter()
        .map(|(end, ct)| (end.to_string(), ct.to_string()))
        .collect();
    assert_eq!(rows, kring);
}

/// A site folder's name goes into YAML and shell lines: names that would mean something
/// else there are refused with nothing written, and letters of any script are fine.
#[test]
fn a_site_folder_a_workflow_would_misread_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    for name in [
        "my site",
        "a: b",
        "x#y",
        "it's",
        "cr\rname",
        "$(touch pwned)",
        "<!--<script>",
        "-rf",
    ] {
        let site = repo.join(name);
        let (ok, _, err) = run(&["init", site.to_str().unwrap()], tmp.path());
        assert!(ok, "{name:?}: {err}");
        let (ok, _, err) = run(&["ci", "github", site.to_str().unwrap()], tmp.path());
        assert!(!ok, "{name:?} is refused");
        assert!(err.contains("would misread"), "{name:?}: {err}");
        assert!(!repo.join(".github").exists(), "{name:?}: nothing written");
        assert!(!tmp.path().join("pwned").exists());
    }
    let site = repo.join("wijkkring-één");
    let (ok, _, err) = run(
        &["init", "--ci", "gitlab", site.to_str().unwrap()],
        tmp.path(),
    );
    assert!(ok, "{err}");
    let ci = yaml(&repo, ".gitlab-ci.yml");
    let script = ci["pages"]["script"][1].as_str().unwrap();
    assert_eq!(script, ".kring/bin/kring check wijkkring-één");
}
