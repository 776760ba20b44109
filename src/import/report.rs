//! What an import did, printed at the end: counts per kind, what was skipped and why,
//! images, and the files it left alone because someone edited them.

use std::fmt;

use super::comments::Counts;
use super::model::Skipped;
use super::tally::{Removal, summary};

#[derive(Debug, Default)]
pub struct Report {
    pub platform: &'static str,
    pub articles: usize,
    pub newsletter_issues: usize,
    pub drafts: usize,
    /// Paid, members-only, private, password-protected or email-only: kept as drafts.
    pub held_back: usize,
    pub pages: usize,
    pub members: usize,
    pub images_downloaded: usize,
    pub embeds_converted: usize,
    pub aliases: usize,
    pub skipped: Vec<Skipped>,
    /// What was removed from the posts or kept only as a link: (post, kind, detail), the
    /// post as `articles/hello.md (its place in the export)`.
    pub removed: Vec<(String, Removal, String)>,
    pub notes: Vec<String>,
    /// Images that could not be fetched: (post, address, why).
    pub failed_images: Vec<(String, String, String)>,
    /// Images not fetched because their host is this machine or a private network.
    pub refused_images: Vec<(String, String, String)>,
    /// Hosts that images are still loaded from (without `--download-images`).
    pub remote_hosts: Vec<String>,
    /// Files written for the first time, updated, and already as the import would write.
    pub written: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Files not written because they were edited since the last import (or were never
    /// written by one).
    pub kept: Vec<String>,
    /// Readers' comments in the export, and how many were published.
    pub comments: Counts,
    /// Whether the site was created by this import.
    pub created_site: bool,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Imported from {}:", self.platform)?;
        if self.created_site {
            writeln!(f, "  a new site (kring.toml, sections) was made for it")?;
        }
        let lines = [
            (self.articles, "articles"),
            (
                self.newsletter_issues,
                "of them newsletter issues (newsletter = true)",
            ),
            (self.drafts, "drafts (draft = true)"),
            (
                self.held_back,
                "paid, members-only, private or email-only posts kept as drafts ([extra] audience says which)",
            ),
            (self.pages, "pages"),
            (
                self.members,
                "members (from the authors; no e-mail addresses)",
            ),
            (self.images_downloaded, "images downloaded"),
            (self.embeds_converted, "embeds turned into videos or links"),
            (self.aliases, "old addresses redirected (aliases)"),
        ];
        for (count, what) in lines {
            writeln!(f, "  {count:>5} {what}")?;
        }
        writeln!(
            f,
            "  files: {} new, {} updated, {} unchanged, {} kept as you edited them",
            self.written,
            self.updated,
            self.unchanged,
            self.kept.len()
        )?;
        if let Some(comments) = self.comments.describe() {
            writeln!(f, "{comments}")?;
        }
        section(
            f,
            "Not overwritten (edited since the last import, or not written by one):",
            self.kept.iter().map(|p| format!("  {p}")),
        )?;
        section(
            f,
            "Skipped:",
            self.skipped
                .iter()
                .map(|s| format!("  {}: {}", s.what, s.why)),
        )?;
        section(
            f,
            "Removed from the posts, or kept only as a link (kring's own sign-up form is on every page):",
            removed_lines(&self.removed).into_iter(),
        )?;
        section(
            f,
            "Images not downloaded (the posts link to them where they were):",
            self.failed_images
                .iter()
                .map(|(post, url, why)| format!("  {post}: {url}: {why}")),
        )?;
        section(
            f,
            "Images refused: their host is this machine or a private network (the posts link to them where they were; --allow-private-hosts fetches them):",
            self.refused_images
                .iter()
                .map(|(post, url, why)| format!("  {post}: {url}: {why}")),
        )?;
        if !self.remote_hosts.is_empty() {
            writeln!(
                f,
                "Images are still loaded from {} (run again with --download-images to keep copies in the site; `kring check --privacy` lists them)",
                self.remote_hosts.join(", ")
            )?;
        }
        let notes = self.notes.iter().map(|n| format!("Note: {n}"));
        section(f, "", notes)
    }
}

/// One line per post: what was removed from it, counted per kind.
fn removed_lines(removed: &[(String, Removal, String)]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut rest = removed;
    while let Some((post, _, _)) = rest.first() {
        let n = rest.iter().take_while(|(p, _, _)| p == post).count();
        let kinds: Vec<(Removal, String)> = rest[..n]
            .iter()
            .map(|(_, kind, detail)| (*kind, detail.clone()))
            .collect();
        lines.push(format!("  {post}: removed {}", summary(&kinds)));
        rest = &rest[n..];
    }
    lines
}

/// The most lines of one kind a report prints: an export of a million broken rows gives
/// a report to read, not megabytes.
pub const MAX_LINES: usize = 50;

/// `heading` and the first [`MAX_LINES`] of `lines`, then how many more; nothing when
/// there are no lines.
fn section(
    f: &mut fmt::Formatter<'_>,
    heading: &str,
    lines: impl ExactSizeIterator<Item = String>,
) -> fmt::Result {
    let total = lines.len();
    if total == 0 {
        return Ok(());
    }
    if !heading.is_empty() {
        writeln!(f, "{heading}")?;
    }
    for line in lines.take(MAX_LINES) {
        writeln!(f, "{line}")?;
    }
    if total > MAX_LINES {
        writeln!(f, "  … and {} more", total - MAX_LINES)?;
    }
    Ok(())
}
