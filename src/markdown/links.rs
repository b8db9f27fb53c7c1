//! Internal links and images: placed under the site's base path, resolved against the
//! pages and files the site really has, and repaired when only their letter case is wrong.
//!
//! Hugo lowercases URLs but leaves hand-written links as typed (`../1.2-Week2/`), which
//! 404 on case-sensitive hosts (S3, GitHub Pages). Such links are rewritten to the real
//! target with a warning; links to nothing at all are warnings too.

use std::collections::{HashMap, HashSet};

/// Every path the built site will have, site-relative: pages as `1-worklog/` (home is
/// ``), files as `images/a.png`.
#[derive(Debug, Default, Clone)]
pub struct SiteIndex {
    exact: HashSet<String>,
    by_lowercase: HashMap<String, String>,
    /// Lowercase paths by their last segment: a dead link is compared with the paths it
    /// could end, not with every path of the site.
    by_last_segment: HashMap<String, Vec<String>>,
}

impl SiteIndex {
    pub fn new(paths: impl IntoIterator<Item = String>) -> SiteIndex {
        let mut index = SiteIndex::default();
        for path in paths {
            let lower = path.to_lowercase();
            if !index.by_lowercase.contains_key(&lower) {
                let trimmed = lower.trim_end_matches('/');
                let last = trimmed.rsplit('/').next().unwrap_or_default();
                index
                    .by_last_segment
                    .entry(last.to_string())
                    .or_default()
                    .push(lower.clone());
                index.by_lowercase.insert(lower, path.clone());
            }
            index.exact.insert(path);
        }
        index
    }

    /// The one path of `home` ending with `/tail` (letter case aside), if exactly one does.
    fn unique_ending(&self, home: &Home, tail: &str) -> Option<String> {
        let tail = tail.trim_matches('/').to_lowercase();
        if tail.is_empty() || tail.contains("..") {
            return None;
        }
        let last = tail.rsplit('/').next().unwrap_or_default();
        let with_slash = format!("/{tail}");
        let mut found = self.by_last_segment.get(last)?.iter().filter(|lower| {
            let lower = lower.trim_end_matches('/');
            home.contains(lower) && (lower == tail || lower.ends_with(&with_slash))
        });
        let first = found.next()?;
        let real = self.by_lowercase.get(first)?;
        found.next().is_none().then(|| real.clone())
    }

    /// The path as the site has it, whatever the letter case asked for.
    fn real(&self, path: &str) -> Option<String> {
        match self.find(path)? {
            Found::Exact if self.exact.contains(path) => Some(path.to_string()),
            Found::Exact => Some(format!("{path}/")),
            Found::OtherCase(p) => Some(p.to_string()),
        }
    }

    fn find(&self, path: &str) -> Option<Found<'_>> {
        let mut candidates = vec![path.to_string()];
        if !path.is_empty() && !path.ends_with('/') {
            candidates.push(format!("{path}/"));
        }
        for c in &candidates {
            if self.exact.contains(c) {
                return Some(Found::Exact);
            }
        }
        candidates
            .iter()
            .find_map(|c| self.by_lowercase.get(&c.to_lowercase()))
            .map(|p| Found::OtherCase(p))
    }
}

enum Found<'a> {
    Exact,
    OtherCase(&'a str),
}

/// What became of one link.
#[derive(Debug, PartialEq)]
pub enum Resolved {
    /// Not an internal link, or fine as written.
    Unchanged,
    /// Fine, written anew (under the base path).
    Rewritten(String),
    /// The target exists with another letter case: written anew, with a warning.
    CaseFixed(String),
    /// A relative link that leads nowhere from its page but names a target from the
    /// home page (`5-Workshop/5.6-Cleanup/` written in a week page): written anew, with a
    /// warning.
    FromHome(String),
    /// No such page or file: left as written (under the base path), with a warning.
    Missing(Option<String>),
}

/// Where a language's pages live: its home folder (`` or `vi/`) and the other languages'
/// folders, which are not part of it even when they sit inside it.
#[derive(Debug, Clone, Default)]
pub struct Home {
    pub dir: String,
    pub others: Vec<String>,
}

impl Home {
    fn contains(&self, path: &str) -> bool {
        path.starts_with(&self.dir)
            && !self
                .others
                .iter()
                .any(|o| o.len() > self.dir.len() && path.starts_with(o.as_str()))
    }
}

/// Resolves `url` written in the page at `page_dir` (`1-worklog/1.2-week2/`) of the
/// language whose pages live in `home`.
pub fn resolve(
    url: &str,
    page_dir: &str,
    home: &Home,
    base_path: &str,
    index: &SiteIndex,
) -> Resolved {
    let home_dir = home.dir.as_str();
    if !is_internal(url) {
        return Resolved::Unchanged;
    }
    let url = url.trim();
    let split = url.find(['?', '#']).unwrap_or(url.len());
    let (path_part, suffix) = url.split_at(split);
    let decoded = percent_decode(path_part);
    let absolute = path_part.starts_with('/');
    let site_relative = if absolute {
        let trimmed = decoded.strip_prefix(base_path).or_else(|| {
            // `/journal` without the trailing slash is the home page too.
            (decoded.trim_end_matches('/') == base_path.trim_end_matches('/')).then_some("")
        });
        trimmed.unwrap_or(&decoded[1..]).to_string()
    } else {
        format!("{page_dir}{decoded}")
    };
    let normalised = normalise(&site_relative);
    let rebased = || absolute.then(|| rebase(url, base_path)).flatten();
    match normalised.as_deref().and_then(|p| index.find(p)) {
        Some(Found::Exact) => rebased().map_or(Resolved::Unchanged, Resolved::Rewritten),
        Some(Found::OtherCase(real)) => {
            Resolved::CaseFixed(format!("{base_path}{}{suffix}", encode_path(real)))
        }
        None if !absolute => {
            let from_home = normalise(&format!("{home_dir}{decoded}")).and_then(|p| index.real(&p));
            // `5.2-Prerequisite/` written in a week page, meaning the workshop's step:
            // the one page of the language whose path ends so.
            let tail = decoded.trim_start_matches("./").trim_start_matches("../");
            match from_home.or_else(|| index.unique_ending(home, tail)) {
                Some(real) => {
                    Resolved::FromHome(format!("{base_path}{}{suffix}", encode_path(&real)))
                }
                None => Resolved::Missing(None),
            }
        }
        None => Resolved::Missing(rebased()),
    }
}

/// Whether `url` may name a page or file of the site: not external, protocol-relative or
/// a fragment of the page itself.
pub fn is_internal(url: &str) -> bool {
    let url = url.trim();
    !(url.is_empty() || url.starts_with('#') || url.starts_with("//") || has_scheme(url))
}

fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => url[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')),
        None => false,
    }
}

/// Resolves `.` and `..`; `None` when the path climbs above the site.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Spaces in file names (static files keep their names) must be escaped in a URL.
fn encode_path(path: &str) -> String {
    path.replace('%', "%25").replace(' ', "%20")
}

/// `/images/a.png` → `/journal/images/a.png`. Relative, external, protocol-relative and
/// fragment links are left alone, and so is a link that already carries the base path.
pub fn rebase(url: &str, base_path: &str) -> Option<String> {
    if base_path == "/" || !url.starts_with('/') || url.starts_with("//") {
        return None;
    }
    if url.starts_with(base_path) || url.trim_end_matches('/') == base_path.trim_end_matches('/') {
        return None;
    }
    Some(format!("{}{}", base_path, &url[1..]))
}

/// Applies `rewrite` to every `src="…"` / `href="…"` value in a piece of raw HTML.
pub fn rewrite_html_urls(
    html: &str,
    mut rewrite: impl FnMut(&str) -> Option<String>,
) -> Option<String> {
    if !(html.contains("src=")
        || html.contains("href=")
        || html.contains("SRC=")
        || html.contains("HREF="))
    {
        return None;
    }
    let mut out = String::with_capacity(html.len() + 32);
    let mut rest = html;
    let mut changed = false;
    while let Some(i) = find_url_attribute(rest) {
        let (before, after) = rest.split_at(i);
        out.push_str(before);
        let quote = after.as_bytes()[0] as char;
        let value_end = after[1..].find(quote).map_or(after.len(), |j| j + 1);
        let value = &after[1..value_end];
        out.push(quote);
        match rewrite(value) {
            Some(new) => {
                out.push_str(&new);
                changed = true;
            }
            None => out.push_str(value),
        }
        rest = &after[value_end..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// Offset of the opening quote of the next `src=` / `href=` value. Reads only up to it:
/// called once per attribute, a search of the whole rest made big HTML quadratic.
fn find_url_attribute(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    (0..bytes.len()).find_map(|at| {
        if at > 0 && !bytes[at - 1].is_ascii_whitespace() {
            return None;
        }
        ["src=", "href="].iter().find_map(|attr| {
            let q = at + attr.len();
            let name = bytes.get(at..q)?;
            (name.eq_ignore_ascii_case(attr.as_bytes())
                && matches!(bytes.get(q), Some(b'"' | b'\'')))
            .then_some(q)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> SiteIndex {
        SiteIndex::new([
            "".into(),
            "1-worklog/".into(),
            "1-worklog/1.1-week1/".into(),
            "images/My Pic.png".into(),
        ])
    }

    #[test]
    fn rebases_root_links_once() {
        assert_eq!(
            rebase("/images/a.png", "/j/").as_deref(),
            Some("/j/images/a.png")
        );
        assert_eq!(rebase("/j/images/a.png", "/j/"), None);
        assert_eq!(rebase("images/a.png", "/j/"), None);
        assert_eq!(rebase("//cdn.x/a", "/j/"), None);
        assert_eq!(rebase("/images/a.png", "/"), None);
    }

    #[test]
    fn resolves_relative_and_absolute_links() {
        let i = index();
        assert_eq!(
            resolve("../1.1-week1/", "1-worklog/x/", &Home::default(), "/", &i),
            Resolved::Unchanged
        );
        assert_eq!(
            resolve("/1-worklog/", "", &Home::default(), "/j/", &i),
            Resolved::Rewritten("/j/1-worklog/".into())
        );
        assert_eq!(
            resolve("/j/1-worklog/#top", "", &Home::default(), "/j/", &i),
            Resolved::Unchanged
        );
        assert_eq!(
            resolve("https://x.io/A", "", &Home::default(), "/", &i),
            Resolved::Unchanged
        );
        assert_eq!(
            resolve("mailto:a@b.c", "", &Home::default(), "/", &i),
            Resolved::Unchanged
        );
    }

    #[test]
    fn repairs_letter_case() {
        let i = index();
        assert_eq!(
            resolve(
                "1.1-Week1/#goals",
                "1-worklog/",
                &Home::default(),
                "/j/",
                &i
            ),
            Resolved::CaseFixed("/j/1-worklog/1.1-week1/#goals".into())
        );
        assert_eq!(
            resolve("../1-Worklog", "1-worklog/", &Home::default(), "/", &i),
            Resolved::CaseFixed("/1-worklog/".into())
        );
        assert_eq!(
            resolve("/images/my%20pic.png", "", &Home::default(), "/", &i),
            Resolved::CaseFixed("/images/My%20Pic.png".into())
        );
    }

    #[test]
    fn a_relative_link_written_from_home_is_repaired() {
        let i = index();
        assert_eq!(
            resolve(
                "1-Worklog/1.1-Week1/",
                "1-worklog/1.1-week1/",
                &Home::default(),
                "/j/",
                &i
            ),
            Resolved::FromHome("/j/1-worklog/1.1-week1/".into())
        );
    }

    #[test]
    fn a_link_naming_one_page_by_its_folder_is_repaired() {
        let i = SiteIndex::new([
            "".into(),
            "5-workshop/".into(),
            "5-workshop/5.2-prerequiste/".into(),
            "vi/5-workshop/5.2-prerequiste/".into(),
        ]);
        let en = Home {
            dir: String::new(),
            others: vec!["vi/".into()],
        };
        let vi = Home {
            dir: "vi/".into(),
            others: Vec::new(),
        };
        assert_eq!(
            resolve("5.2-Prerequiste/", "1-worklog/1.7-week7/", &en, "/", &i),
            Resolved::FromHome("/5-workshop/5.2-prerequiste/".into())
        );
        assert_eq!(
            resolve("5.2-Prerequiste/", "vi/1-worklog/1.7-week7/", &vi, "/", &i),
            Resolved::FromHome("/vi/5-workshop/5.2-prerequiste/".into())
        );
    }

    #[test]
    fn reports_missing_targets() {
        let i = index();
        assert_eq!(
            resolve("../nope/", "1-worklog/", &Home::default(), "/", &i),
            Resolved::Missing(None)
        );
        assert_eq!(
            resolve("/nope.png", "", &Home::default(), "/j/", &i),
            Resolved::Missing(Some("/j/nope.png".into()))
        );
        assert_eq!(
            resolve("../../../x", "a/", &Home::default(), "/", &i),
            Resolved::Missing(None)
        );
    }

    #[test]
    fn rewrites_raw_html() {
        let out = rewrite_html_urls(r#"<img src="/a.png" alt="x"> <a href='b/'>b</a>"#, |u| {
            Some(format!("[{u}]"))
        });
        assert_eq!(
            out.as_deref(),
            Some(r#"<img src="[/a.png]" alt="x"> <a href='[b/]'>b</a>"#)
        );
        assert_eq!(rewrite_html_urls("<br>", |_| None), None);
    }
}
