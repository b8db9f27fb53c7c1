//! Template errors as diagnostics: the template's file, line and column, the offending
//! line with Tera's caret under it, and the page being rendered when there is one.

use super::Theme;
use crate::diagnostics::Diagnostic;

/// A Tera error as diagnostics naming the template file, line and column.
pub fn template_errors(err: &tera::Error, theme: &Theme) -> Vec<Diagnostic> {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        text.push_str(&format!("\n{s}"));
        source = s.source();
    }
    // Tera reports each problem as `error: message\n --> name:line:col\n  | snippet`.
    let reports: Vec<&str> = text
        .split("error: ")
        .filter(|r| !r.trim().is_empty())
        .collect();
    let mut out = Vec::new();
    for report in reports {
        let (message, rest) = report.split_once('\n').unwrap_or((report, ""));
        let location = rest.lines().find_map(|l| l.trim().strip_prefix("--> "));
        let (file, line, column) = match location.and_then(parse_location) {
            Some((name, line, col)) => {
                let path = theme
                    .templates
                    .get(name)
                    .map(|t| t.display_path.clone())
                    .unwrap_or_else(|| name.into());
                (path, Some(line), Some(col))
            }
            None => ("(theme)".into(), None, None),
        };
        let snippet: Vec<&str> = rest
            .lines()
            .filter(|l| !l.trim().starts_with("--> "))
            .collect();
        let mut message = message.trim().to_string();
        if !snippet.is_empty() {
            message.push('\n');
            message.push_str(snippet.join("\n").trim_end());
        }
        out.push(Diagnostic::error(file, line, message).with_column(column));
    }
    out
}

/// `page.html:12:5` → (`page.html`, 12, 5).
fn parse_location(s: &str) -> Option<(&str, usize, usize)> {
    let (rest, col) = s.rsplit_once(':')?;
    let (name, line) = rest.rsplit_once(':')?;
    Some((name, line.trim().parse().ok()?, col.trim().parse().ok()?))
}
