//! Template errors as diagnostics: the template's file, line and column, the offending
//! line with Tera's caret under it, and the page being rendered when there is one.

use std::collections::BTreeMap;

use super::Theme;
use crate::diagnostics::Diagnostic;

/// `errors` met while rendering `what` (`content/1-Worklog/_index.md, /1-worklog/`),
/// saying so under each.
pub fn while_rendering(mut errors: Vec<Diagnostic>, what: &str) -> Vec<Diagnostic> {
    for d in &mut errors {
        d.message.push_str(&format!("\n  = while rendering {what}"));
    }
    errors
}

/// The errors of each page that failed, each said once: a template every page uses fails
/// them all the same way, so the first page is named and the others counted.
pub fn by_page(failed: Vec<(String, Vec<Diagnostic>)>) -> Vec<Diagnostic> {
    let mut pages: BTreeMap<Diagnostic, (String, usize)> = BTreeMap::new();
    for (page, errors) in failed {
        for error in errors {
            pages.entry(error).or_insert_with(|| (page.clone(), 0)).1 += 1;
        }
    }
    pages
        .into_iter()
        .flat_map(|(error, (first, count))| {
            let what = match count {
                1 => first,
                2 => format!("{first} and 1 other page"),
                n => format!("{first} and {} other pages", n - 1),
            };
            while_rendering(vec![error], &what)
        })
        .collect()
}

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
            None => match missing_parent(message, theme) {
                Some(found) => found,
                None => ("(theme)".into(), None, None),
            },
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

/// Tera names no place for `{% extends %}` of a template that does not exist: the place
/// is the tag, in the template the message names.
fn missing_parent(
    message: &str,
    theme: &Theme,
) -> Option<(std::path::PathBuf, Option<usize>, Option<usize>)> {
    let rest = message.strip_prefix("Template '")?;
    let (child, rest) = rest.split_once('\'')?;
    let parent = rest.split('\'').nth(1)?;
    let template = theme.templates.get(child)?;
    let (line, column) = template
        .source
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            let tag = l.find("extends")?;
            let name = l[tag..].find(parent)?;
            Some((i + 1, tag + name + 1))
        })
        .map_or((None, None), |(l, c)| (Some(l), Some(c)));
    Some((template.display_path.clone(), line, column))
}

/// `page.html:12:5` → (`page.html`, 12, 5).
fn parse_location(s: &str) -> Option<(&str, usize, usize)> {
    let (rest, col) = s.rsplit_once(':')?;
    let (name, line) = rest.rsplit_once(':')?;
    Some((name, line.trim().parse().ok()?, col.trim().parse().ok()?))
}
