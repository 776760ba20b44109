//! Errors as types. Everything a user can get wrong becomes a [`Diagnostic`] that names the
//! file, and the line and column where known; `main` prints them, nothing else formats them.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one of the user's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user would name it (relative to the site where possible).
    pub file: PathBuf,
    /// 1-based line and column in `file`.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// The offending line of the file, shown under the message with a caret.
    pub snippet: Option<String>,
}

impl Diagnostic {
    pub fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            snippet: None,
        }
    }

    /// Points the diagnostic at a byte offset of `source` (the whole file's text).
    pub fn at_offset(mut self, source: &str, offset: usize) -> Self {
        let offset = crate::text::floor_char_boundary(source, offset);
        let before = &source[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = source[line_start..offset].chars().count() + 1;
        let line_end = source[line_start..]
            .find('\n')
            .map_or(source.len(), |i| line_start + i);
        self.line = Some(line);
        self.column = Some(column);
        self.snippet = Some(
            source[line_start..line_end]
                .trim_end_matches('\r')
                .to_string(),
        );
        self
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let (Some(snippet), Some(line)) = (&self.snippet, self.line) {
            let gutter = line.to_string().len();
            write!(f, "\n{:gutter$} |\n{line} | {snippet}", "")?;
            if let Some(column) = self.column {
                // Tabs keep their width so the caret lines up under the character.
                let pad: String = snippet
                    .chars()
                    .take(column.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(f, "\n{:gutter$} | {pad}^", "")?;
            }
        }
        Ok(())
    }
}

/// What can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the site's own files: config, content, templates.
    #[error("{}", render_list(.0))]
    Input(Vec<Diagnostic>),
    #[error("{}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// An output folder kring must not replace.
    #[error("refusing to write the site to {}: {reason}", .path.display())]
    UnsafeOutput { path: PathBuf, reason: String },
    #[error("{0}")]
    Usage(String),
    /// kring itself failed (a panic caught at the edge): not the user's fault.
    #[error(
        "kring failed: {0}. This is a bug in kring; please report it with the file that triggered it"
    )]
    Bug(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            source,
        }
    }

    /// The diagnostics of an input error, for tests and the dev server's overlay.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            Error::Input(list) => list.clone(),
            Error::Io { path, source } => vec![Diagnostic::new(path, source.to_string())],
            Error::UnsafeOutput { path, .. } => vec![Diagnostic::new(path, self.to_string())],
            Error::Usage(message) => vec![Diagnostic::new("", message.clone())],
            Error::Bug(_) => vec![Diagnostic::new("", self.to_string())],
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Input(vec![d])
    }
}

/// The text of a caught panic.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "an unexpected error".into())
}

/// The most problems one build reports; past that the rest are counted, not listed.
pub const MAX_REPORTED: usize = 50;

fn render_list(list: &[Diagnostic]) -> String {
    let mut out = String::new();
    for (i, d) in list.iter().take(MAX_REPORTED).enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        out.push_str(&d.to_string());
    }
    if list.len() > MAX_REPORTED {
        out.push_str(&format!(
            "\n\n… and {} more problems",
            list.len() - MAX_REPORTED
        ));
    }
    if list.len() > 1 {
        out.push_str(&format!("\n\n{} problems found", list.len()));
    }
    out
}

/// Collects problems across a pass so the user sees all of them at once.
#[derive(Debug, Default)]
pub struct Problems(Vec<Diagnostic>);

impl Problems {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// `Err` with everything collected, sorted by file and line, or `Ok(())`.
    pub fn into_result(mut self) -> Result<()> {
        if self.0.is_empty() {
            return Ok(());
        }
        self.0
            .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        self.0.dedup();
        Err(Error::Input(self.0))
    }
}
