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
    /// What it is about, for warnings that come by the dozen in real journals.
    pub kind: Option<WarningKind>,
}

/// Warnings that a journal often has many of: a plain build counts them in one line each
/// ([`summarise`]); `worklog check` and `--verbose` list every one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WarningKind {
    /// A link to no page or file of the site.
    LinkNowhere,
    /// A link whose letter case differs from its target's (repaired).
    LinkCaseOnly,
    /// A relative link that names a page from the home page (repaired).
    LinkFromHome,
    /// A shortcode the theme has no template for.
    UnknownShortcode,
    /// A config key worklog does not read.
    UnknownConfigKey,
}

impl WarningKind {
    /// One line for `n` warnings of this kind.
    fn summary(self, n: usize) -> String {
        match self {
            WarningKind::LinkNowhere => format!("{n} links point to no page or file of the site"),
            WarningKind::LinkCaseOnly => format!(
                "{n} links differ from their target in letter case only: worklog writes them as the target's"
            ),
            WarningKind::LinkFromHome => format!(
                "{n} relative links name a page from the home page, not from theirs: worklog writes them to that page"
            ),
            WarningKind::UnknownShortcode => {
                format!("{n} shortcodes have no template in the theme: shown as written")
            }
            WarningKind::UnknownConfigKey => {
                format!("{n} config keys are not settings of worklog, so they are ignored")
            }
        }
    }
}

/// Warnings of one kind in a plain build's report: listed one by one up to this many.
const LISTED_PER_KIND: usize = 3;
/// A plain build prints at most this many warning lines.
pub const MAX_WARNING_LINES: usize = 20;

/// The lines a plain build prints for `warnings`: each kind with more than a few counted
/// in one line, and at most [`MAX_WARNING_LINES`] in all, the last saying where the
/// rest are. `worklog check` and `--verbose` print them all.
pub fn summarise(warnings: &[Diagnostic]) -> Vec<String> {
    let mut counts: std::collections::HashMap<WarningKind, usize> = Default::default();
    for kind in warnings.iter().filter_map(|w| w.kind) {
        *counts.entry(kind).or_default() += 1;
    }
    let mut lines = Vec::new();
    let mut summarised = std::collections::HashSet::new();
    for w in warnings {
        match w.kind {
            Some(kind) if counts[&kind] > LISTED_PER_KIND => {
                if summarised.insert(kind) {
                    lines.push(format!("warning: {}", kind.summary(counts[&kind])));
                }
            }
            _ => lines.push(w.to_string()),
        }
    }
    let hidden = lines.len() != warnings.len();
    if lines.len() > MAX_WARNING_LINES {
        let rest = lines.len() - (MAX_WARNING_LINES - 1);
        lines.truncate(MAX_WARNING_LINES - 1);
        lines.push(format!(
            "warning: and {rest} more: `worklog check` (or --verbose) lists every warning with its file and line"
        ));
    } else if hidden {
        lines.push(
            "warning: `worklog check` (or --verbose) lists each counted warning with its file and line"
                .into(),
        );
    }
    lines
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
            kind: None,
        }
    }

    pub fn with_column(mut self, column: Option<usize>) -> Self {
        self.column = column;
        self
    }

    pub fn of_kind(mut self, kind: Option<WarningKind>) -> Self {
        self.kind = kind;
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

    fn link(n: usize, kind: WarningKind) -> Diagnostic {
        Diagnostic::warning("content/a.md", Some(n), format!("link {n}")).of_kind(Some(kind))
    }

    #[test]
    fn a_kind_that_repeats_is_one_line_and_a_few_are_listed() {
        let mut warnings: Vec<Diagnostic> = (1..=70)
            .map(|n| link(n, WarningKind::LinkCaseOnly))
            .collect();
        warnings.push(Diagnostic::warning(
            "layouts",
            None,
            "Go templates are ignored",
        ));
        warnings.extend((1..=3).map(|n| link(n, WarningKind::LinkNowhere)));
        assert_eq!(
            summarise(&warnings),
            [
                "warning: 70 links differ from their target in letter case only: worklog writes them as the target's",
                "warning: layouts: Go templates are ignored",
                "warning: content/a.md:1: link 1",
                "warning: content/a.md:2: link 2",
                "warning: content/a.md:3: link 3",
                "warning: `worklog check` (or --verbose) lists each counted warning with its file and line",
            ]
        );
        // Nothing counted: each is listed, and nothing more is said.
        assert_eq!(summarise(&warnings[70..]).len(), 4);
    }

    #[test]
    fn at_most_a_screenful_is_printed() {
        let warnings: Vec<Diagnostic> = (1..=100)
            .map(|n| Diagnostic::warning("content/a.md", Some(n), format!("odd thing {n}")))
            .collect();
        let lines = summarise(&warnings);
        assert_eq!(lines.len(), MAX_WARNING_LINES);
        assert_eq!(lines[18], "warning: content/a.md:19: odd thing 19");
        assert_eq!(
            lines[19],
            "warning: and 81 more: `worklog check` (or --verbose) lists every warning with its file and line"
        );
    }

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
