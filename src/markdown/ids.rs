//! Heading ids as Hugo (goldmark, `autoHeadingIDType = "github"`) makes them, unique per page.

use std::collections::{HashMap, HashSet};

/// GitHub-style slug: letters and digits lowercased, spaces and `-` kept as `-`,
/// `_` kept, everything else dropped (`Tổng kết — summary` → `tổng-kết--summary`).
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c == '-' || c == ' ' {
            out.push('-');
        } else if c == '_' || c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Hands out ids, suffixing repeats with `-1`, `-2`, … as goldmark does.
#[derive(Default)]
pub struct IdSet {
    used: HashSet<String>,
    /// For each repeated base, the suffix to try next: trying from `-1` each time made a
    /// page of N equal headings cost N² lookups.
    next_suffix: HashMap<String, usize>,
}

impl IdSet {
    pub fn unique(&mut self, base: String) -> String {
        let base = if base.is_empty() {
            "heading".to_string()
        } else {
            base
        };
        if self.used.insert(base.clone()) {
            return base;
        }
        let n = self.next_suffix.entry(base.clone()).or_insert(1);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_slugs() {
        assert_eq!(slugify("Week 7 Goals:"), "week-7-goals");
        assert_eq!(slugify("Tổng kết — summary"), "tổng-kết--summary");
        assert_eq!(
            slugify("Step 1.2: S3 & CloudFront"),
            "step-12-s3--cloudfront"
        );
    }

    #[test]
    fn repeats_get_suffixes() {
        let mut ids = IdSet::default();
        assert_eq!(ids.unique("notes".into()), "notes");
        assert_eq!(ids.unique("notes".into()), "notes-1");
        assert_eq!(ids.unique("notes".into()), "notes-2");
        assert_eq!(ids.unique(String::new()), "heading");
        assert_eq!(ids.unique("x-1".into()), "x-1");
        assert_eq!(ids.unique("x".into()), "x");
        assert_eq!(
            ids.unique("x".into()),
            "x-2",
            "x-1 is taken by a heading of its own"
        );
        assert_eq!(ids.unique("x".into()), "x-3");
    }
}
