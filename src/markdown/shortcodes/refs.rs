//! `ref` and `relref`: a content path (`/5-Workshop`, `../1.2-Week2/_index.md#goals`) to the
//! URL path of the page it names.
//!
//! Resolved in Rust rather than in a template: a dead reference must fail the build with
//! the content file and line, which a template cannot report. Lookup follows
//! hugo-theme-learn's override: case-insensitive, from `content/` when the path starts with
//! `/`, from the page's own folder otherwise (then from `content/` as Hugo falls back to).
//! Knows page keys and URL paths only, not the tree.

use std::collections::HashMap;

/// Pages by their source folders (`1-Worklog/1.8-Week8`), lowercased.
#[derive(Debug, Clone, Default)]
pub struct PageRefs {
    by_key: HashMap<String, String>,
}

impl PageRefs {
    /// `(key, path)` pairs: the page's source key joined by `/` (`` for home) and its URL path.
    pub fn new(pages: impl IntoIterator<Item = (String, String)>) -> PageRefs {
        PageRefs {
            by_key: pages
                .into_iter()
                .map(|(key, path)| (key.to_lowercase(), path))
                .collect(),
        }
    }

    /// The URL path and `#anchor` (empty when none) of `reference`, written in a page
    /// whose file is in the content folder `folder` (`1-Worklog/1.8-Week8`).
    pub fn resolve<'r>(&self, reference: &'r str, folder: &str) -> Option<(&str, &'r str)> {
        let reference = reference.trim();
        let (path, anchor) = match reference.find('#') {
            Some(i) => reference.split_at(i),
            None => (reference, ""),
        };
        let candidates = match path.strip_prefix('/') {
            Some(from_root) => vec![from_root.to_string()],
            None => vec![format!("{folder}/{path}"), path.to_string()],
        };
        candidates
            .iter()
            .filter_map(|c| page_key(c))
            .find_map(|k| self.by_key.get(&k))
            .map(|p| (p.as_str(), anchor))
    }
}

/// `a/./b/../c/_index.md` → `a/c`, lowercased; `None` when it climbs above `content/`.
fn page_key(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split(['/', '\\']) {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    if let Some(last) = parts.last_mut() {
        let lower = last.to_ascii_lowercase();
        for ext in [".md", ".markdown"] {
            if lower.ends_with(ext) {
                *last = &last[..last.len() - ext.len()];
                break;
            }
        }
    }
    if parts
        .last()
        .is_some_and(|l| l.eq_ignore_ascii_case("_index") || l.eq_ignore_ascii_case("index"))
    {
        parts.pop();
    }
    Some(parts.join("/").to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs() -> PageRefs {
        PageRefs::new([
            (String::new(), String::new()),
            ("5-Workshop".into(), "5-workshop/".into()),
            ("1-Worklog/1.2-Week2".into(), "1-worklog/1.2-week2/".into()),
            ("1-Worklog/notes".into(), "1-worklog/notes/".into()),
        ])
    }

    #[test]
    fn from_the_content_root_in_any_case() {
        let r = refs();
        assert_eq!(r.resolve("/5-Workshop", "x"), Some(("5-workshop/", "")));
        assert_eq!(r.resolve("/5-workshop/", "x"), Some(("5-workshop/", "")));
        assert_eq!(
            r.resolve("/5-WORKSHOP/_index.md#Step-1", ""),
            Some(("5-workshop/", "#Step-1"))
        );
        assert_eq!(r.resolve("/", "x"), Some(("", "")));
    }

    #[test]
    fn from_the_page_folder_then_the_root() {
        let r = refs();
        assert_eq!(
            r.resolve("../1.2-Week2", "1-Worklog/1.1-Week1"),
            Some(("1-worklog/1.2-week2/", ""))
        );
        assert_eq!(
            r.resolve("notes.md", "1-Worklog"),
            Some(("1-worklog/notes/", ""))
        );
        assert_eq!(
            r.resolve("5-Workshop", "1-Worklog"),
            Some(("5-workshop/", ""))
        );
        assert_eq!(r.resolve("/nope", ""), None);
        assert_eq!(r.resolve("../../..", "a"), None);
    }
}
