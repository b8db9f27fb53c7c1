//! Internal links and images: placed under the site's base path, resolved against the
//! pages and files the site really has, and repaired when only their letter case is wrong.
//!
//! Hugo lowercases URLs but leaves hand-written links as typed (`../1.2-Week2/`), which
//! 404 on case-sensitive hosts (S3, GitHub Pages). Such links are rewritten to the real
//! target with a warning; links to nothing at all are warnings too.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

mod published;

/// Every path the built site will have, site-relative: pages as `1-worklog/` (home is
/// ``), files as `images/a.png`. Cheap to clone: every language's pages share one.
#[derive(Debug, Default, Clone)]
pub struct SiteIndex {
    exact: Arc<HashSet<String>>,
    by_lowercase: Arc<HashMap<String, String>>,
    /// Lowercase paths without their trailing slash, in byte order, by each of their
    /// endings (`1.2-week2`, `1-worklog/1.2-week2`): a link that leads nowhere is looked
    /// up once, not compared with every path of the site.
    by_ending: Arc<HashMap<String, Vec<String>>>,
}

impl SiteIndex {
    pub fn new(paths: impl IntoIterator<Item = String>) -> SiteIndex {
        let mut exact = HashSet::new();
        let mut by_lowercase = HashMap::new();
        for path in paths {
            let lower = path.to_lowercase();
            by_lowercase.entry(lower).or_insert_with(|| path.clone());
            exact.insert(path);
        }
        let mut lowercase: Vec<&str> = by_lowercase
            .keys()
            .map(|p| p.trim_end_matches('/'))
            .collect();
        lowercase.sort_unstable();
        let mut by_ending: HashMap<String, Vec<String>> = HashMap::new();
        for lower in lowercase {
            let starts = std::iter::once(0).chain(lower.match_indices('/').map(|(i, _)| i + 1));
            for start in starts {
                let ending = &lower[start..];
                by_ending
                    .entry(ending.to_string())
                    .or_default()
                    .push(lower.to_string());
            }
        }
        SiteIndex {
            exact: Arc::new(exact),
            by_lowercase: Arc::new(by_lowercase),
            by_ending: Arc::new(by_ending),
        }
    }

    /// The one path of `home` ending with `/tail` (letter case aside), if exactly one does.
    fn unique_ending(&self, home: &Home, tail: &str) -> Option<String> {
        let tail = tail.trim_matches('/').to_lowercase();
        if tail.is_empty() || tail.contains("..") {
            return None;
        }
        let mut found = home.members(self.by_ending.get(&tail)?);
        let first = found.next()?;
        if found.next().is_some() {
            return None;
        }
        let real = self.by_lowercase.get(first.as_str());
        real.or_else(|| self.by_lowercase.get(&format!("{first}/")))
            .cloned()
    }

    /// The path as the site has it, whatever the letter case asked for.
    pub(super) fn real(&self, path: &str) -> Option<String> {
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
    /// A link to a page's Markdown source (`../1.3-Week3/_index.md`, `notes.md`): written
    /// as the page's URL, with a warning.
    Source(String),
    /// A link into the `static/` folder (`/static/images/x.png`), which the site
    /// publishes at its root: written as the published file's URL, with a warning.
    StaticFolder(String),
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
    /// The paths of `sorted` (in byte order) that are this language's: the ones under its
    /// folder, less those under another language's folder inside it. Each folder's paths
    /// are one run of a sorted list, found by binary search: a language whose paths are
    /// few is not searched through the others'.
    fn members<'a>(&self, sorted: &'a [String]) -> impl Iterator<Item = &'a String> {
        let within = prefix_run(sorted, &self.dir);
        let mut holes: Vec<Range<usize>> = self
            .others
            .iter()
            .filter(|o| o.len() > self.dir.len())
            .map(|o| prefix_run(sorted, o))
            .collect();
        holes.sort_by_key(|h| h.start);
        let mut runs = Vec::new();
        let mut at = within.start;
        for hole in holes {
            if hole.start > at {
                runs.push(at..hole.start.min(within.end));
            }
            at = at.max(hole.end);
        }
        if at < within.end {
            runs.push(at..within.end);
        }
        runs.into_iter().flat_map(move |run| &sorted[run])
    }
}

/// Where the strings starting with `prefix` are in `sorted`.
fn prefix_run(sorted: &[String], prefix: &str) -> Range<usize> {
    let start = sorted.partition_point(|s| s.as_str() < prefix);
    let end = start + sorted[start..].partition_point(|s| s.starts_with(prefix));
    start..end
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
    if let Some(page) = published::markdown_source_page(path_part) {
        let page_url = format!("{page}{suffix}");
        return match resolve(&page_url, page_dir, home, base_path, index) {
            Resolved::Unchanged => Resolved::Source(page_url),
            Resolved::Rewritten(u)
            | Resolved::CaseFixed(u)
            | Resolved::FromHome(u)
            | Resolved::Source(u)
            | Resolved::StaticFolder(u) => Resolved::Source(u),
            Resolved::Missing(_) => Resolved::Missing(rebase(url, base_path)),
        };
    }
    let decoded = percent_decode(path_part);
    let absolute = path_part.starts_with('/');
    let normalised = normalise(&site_relative(&decoded, absolute, page_dir, base_path));
    let rebased = || absolute.then(|| rebase(url, base_path)).flatten();
    let found = normalised.as_deref().and_then(|p| index.find(p));
    if found.is_none()
        && let Some(real) = published::in_static_folder(&decoded, index)
    {
        return Resolved::StaticFolder(format!("{base_path}{}{suffix}", encode_path(&real)));
    }
    match found {
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

/// A link's path (decoded) as a path of the site, before `.` and `..` are resolved.
/// `absolute`: the link as written starts with `/`.
fn site_relative(decoded: &str, absolute: bool, page_dir: &str, base_path: &str) -> String {
    if absolute {
        let trimmed = decoded.strip_prefix(base_path).or_else(|| {
            // `/journal` without the trailing slash is the home page too.
            (decoded.trim_end_matches('/') == base_path.trim_end_matches('/')).then_some("")
        });
        trimmed
            .unwrap_or(decoded.get(1..).unwrap_or_default())
            .to_string()
    } else {
        format!("{page_dir}{decoded}")
    }
}

/// The path of the page or file an internal link (or a bare `#anchor`) written in the page
/// at `page_dir` leads to, as the site has it; `None` for an external link or one that
/// leads nowhere.
pub fn target(url: &str, page_dir: &str, base_path: &str, index: &SiteIndex) -> Option<String> {
    let url = url.trim();
    let path_part = &url[..url.find(['?', '#']).unwrap_or(url.len())];
    if path_part.is_empty() {
        return Some(page_dir.to_string());
    }
    if !is_internal(url) {
        return None;
    }
    let decoded = percent_decode(path_part);
    let absolute = path_part.starts_with('/');
    index.real(&normalise(&site_relative(
        &decoded, absolute, page_dir, base_path,
    ))?)
}

/// Whether `url` may name a page or file of the site: not external, protocol-relative or
/// a fragment of the page itself.
/// `url` as it reads from the page's URL folder. A relative link to a Markdown source
/// (`week2.md`) starts from the folder of the file that holds it, and a page that is
/// neither a section nor a bundle (`notes.md`, published at `notes/`) has its file one
/// folder above its URL.
pub fn from_page_url(url: &str, leaf: bool) -> std::borrow::Cow<'_, str> {
    let trimmed = url.trim();
    let path = &trimmed[..trimmed.find(['?', '#']).unwrap_or(trimmed.len())];
    let relative_source = leaf
        && is_internal(trimmed)
        && !trimmed.starts_with('/')
        && published::markdown_source_page(path).is_some();
    match relative_source {
        true => format!("../{trimmed}").into(),
        false => url.into(),
    }
}

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
pub(super) fn normalise(path: &str) -> Option<String> {
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

pub fn percent_decode(s: &str) -> String {
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
    use std::collections::HashSet;

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

    /// Which path `unique_ending` must find, by comparing the tail with every path.
    fn ending_by_search(paths: &[&str], home: &Home, tail: &str) -> Option<String> {
        let tail = tail.trim_matches('/').to_lowercase();
        let in_home = |p: &str| {
            p.starts_with(&home.dir)
                && !home
                    .others
                    .iter()
                    .any(|o| o.len() > home.dir.len() && p.starts_with(o.as_str()))
        };
        let mut seen = HashSet::new();
        let found: Vec<&str> = paths
            .iter()
            .filter(|p| seen.insert(p.to_lowercase()))
            .filter(|p| {
                let lower = p.to_lowercase();
                let lower = lower.trim_end_matches('/');
                in_home(lower) && (lower == tail || lower.ends_with(&format!("/{tail}")))
            })
            .copied()
            .collect();
        (found.len() == 1 && !tail.is_empty() && !tail.contains("..")).then(|| found[0].to_string())
    }

    #[test]
    fn a_links_ending_names_what_a_search_of_every_path_would() {
        let paths = [
            "",
            "1-worklog/",
            "1-worklog/1.1-week1/",
            "1-worklog/1.1-week1/notes/",
            "1-worklog/1.2-week2/notes/",
            "1-worklog/1.2-week2/Lab/",
            "5-workshop/5.2-prerequiste/",
            "vi/",
            "vi/1-worklog/1.1-week1/notes/",
            "vi/5-workshop/5.2-prerequiste/",
            "vi/x/only-here/",
            "images/notes",
            "images/Week1.png",
            "images/week1.PNG",
            "zz/lab/",
        ];
        let index = SiteIndex::new(paths.map(String::from));
        let home = |dir: &str, others: &[&str]| Home {
            dir: dir.into(),
            others: others.iter().map(|o| o.to_string()).collect(),
        };
        let homes = [
            home("", &["vi/"]),
            home("vi/", &[""]),
            home("", &["vi/", "vi/x/"]),
            home("vi/", &["", "vi/x/"]),
            home("vi/x/", &["", "vi/"]),
            Home::default(),
        ];
        let mut tails: Vec<String> = paths
            .iter()
            .flat_map(|p| {
                let p = p.trim_end_matches('/');
                let starts = std::iter::once(0).chain(p.match_indices('/').map(|(i, _)| i + 1));
                starts.map(move |i| p[i..].to_string())
            })
            .collect();
        tails.extend(
            ["NOTES/", "week1/notes", "a/notes", "lab", "../lab", "", "/"].map(String::from),
        );
        for home in &homes {
            for tail in &tails {
                assert_eq!(
                    index.unique_ending(home, tail),
                    ending_by_search(&paths, home, tail),
                    "{tail:?} in {home:?}"
                );
            }
        }
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
