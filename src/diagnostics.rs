//! Diagnostics: what a user did wrong (or might have), located by file and line.
//!
//! Every stage reports into these types so that one bad page never hides another's
//! error: a build collects all of them and fails once, listing each.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One message about one place in the user's files.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub file: PathBuf,
    /// 1-based; `None` when the problem concerns the whole file.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn error(file: impl AsRef<Path>, line: Option<usize>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, line, message)
    }

    pub fn warning(
        file: impl AsRef<Path>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, file, line, message)
    }

    fn new(
        severity: Severity,
        file: impl AsRef<Path>,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.as_ref().to_path_buf(),
            line,
            column: None,
            severity,
            message: message.into(),
        }
    }

    pub fn with_column(mut self, column: Option<usize>) -> Self {
        self.column = column;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col`, the form editors and terminals make clickable.
    pub fn location(&self) -> String {
        let mut s = self.file.display().to_string();
        if let Some(line) = self.line {
            s.push_str(&format!(":{line}"));
            if let Some(col) = self.column {
                s.push_str(&format!(":{col}"));
            }
        }
        s
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        // One write: stderr is unbuffered, and a piece at a time made printing 200,000
        // warnings a million system calls.
        f.write_str(&format!("{level}: {}: {}", self.location(), self.message))
    }
}

/// The 1-based line of a byte offset in `text`. Counts from the start: for one lookup.
/// A text asked about many times (one warning per link of a page) takes a [`LineIndex`].
pub fn line_of_offset(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Where each line of a text starts, found once, so that any number of offsets become
/// lines in logarithmic time each. Rescanning from the start made a page with a dead
/// link in every paragraph quadratic: 20 MB took over ten minutes.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Offsets just after each `\n`, in order.
    next_line_starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let next_line_starts = text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i + 1)
            .collect();
        LineIndex {
            next_line_starts,
            len: text.len(),
        }
    }

    /// The 1-based line of a byte offset, as [`line_of_offset`] counts it.
    pub fn line(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        self.next_line_starts.partition_point(|&s| s <= offset) + 1
    }

    /// The offset where the line holding `offset` starts.
    pub fn line_start(&self, offset: usize) -> usize {
        match self.line(offset) {
            1 => 0,
            n => self.next_line_starts[n - 2],
        }
    }
}

/// A failed build: every error found, in a stable order.
#[derive(Debug, Clone, thiserror::Error)]
pub struct BuildErrors(pub Vec<Diagnostic>);

impl BuildErrors {
    pub fn sorted(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort();
        diagnostics.dedup();
        BuildErrors(diagnostics)
    }
}

impl fmt::Display for BuildErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(f, "{n} error{} in the site:", if n == 1 { "" } else { "s" })?;
        for d in &self.0 {
            writeln!(f, "  {d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_agrees_with_counting() {
        for text in ["", "a", "\n", "ab\ncd\n\nef", "\n\nx\n"] {
            let index = LineIndex::new(text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    index.line(offset),
                    line_of_offset(text, offset),
                    "{text:?} at {offset}"
                );
                let start = text[..offset.min(text.len())]
                    .rfind('\n')
                    .map_or(0, |i| i + 1);
                assert_eq!(index.line_start(offset), start, "{text:?} at {offset}");
            }
        }
    }
}
