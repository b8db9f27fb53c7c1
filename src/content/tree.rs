//! The page tree: one arena of pages, children as indices, ordered by `weight`, then the
//! natural order of the path, then the title.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::load::SourceFile;
use super::paths::{natural_cmp, urlize};
use super::{FrontMatter, Page, PageId, PageKind, front_matter, numbering};
use crate::config::Config;
use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone)]
pub struct ContentTree {
    pub pages: Vec<Page>,
    pub root: PageId,
    /// The language of every page of this tree (`en`).
    pub language: String,
    /// Every file under the content folders the pages come from, Markdown or not, in walk
    /// order: where the page bundles' files are found.
    pub files: Arc<[PathBuf]>,
}

impl ContentTree {
    /// Listed pages in reading order (depth-first, children in order): the order of the
    /// sidebar and of previous/next links.
    pub fn reading_order(&self) -> Vec<PageId> {
        let mut order = Vec::with_capacity(self.pages.len());
        let mut stack = vec![self.root];
        while let Some(id) = stack.pop() {
            order.push(id);
            let listed = self.pages[id]
                .children
                .iter()
                .rev()
                .filter(|&&c| self.pages[c].is_listed());
            stack.extend(listed);
        }
        order
    }

    /// From the root down to the page's parent.
    pub fn ancestors(&self, id: PageId) -> Vec<PageId> {
        let mut chain = Vec::new();
        let mut cur = self.pages[id].parent;
        while let Some(p) = cur {
            chain.push(p);
            cur = self.pages[p].parent;
        }
        chain.reverse();
        chain
    }

    pub fn by_path(&self, path: &str) -> Option<PageId> {
        self.pages.iter().position(|p| p.path == path)
    }
}

/// What a file is in the tree, from its name.
fn key_and_kind(file: &SourceFile) -> (Vec<String>, PageKind) {
    let mut key = file.dirs.clone();
    let stem = file
        .file_name
        .rsplit_once('.')
        .map_or(file.file_name.as_str(), |(s, _)| s);
    match stem {
        "_index" if key.is_empty() => (key, PageKind::Home),
        "_index" => (key, PageKind::Section),
        // A leaf bundle: `folder/index.md` is the page `folder`.
        "index" if !key.is_empty() => (key, PageKind::Page),
        _ => {
            key.push(stem.to_string());
            (key, PageKind::Page)
        }
    }
}

/// Builds the tree of one language; `config` is that language's (see
/// [`Config::for_language`]) and `today` leaves out future-dated pages.
pub fn build(
    files: Vec<SourceFile>,
    config: &Config,
    today: &str,
) -> (ContentTree, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut pages: Vec<Page> = Vec::new();
    let mut by_key: HashMap<Vec<String>, PageId> = HashMap::new();

    // Parsed on every core, then taken in file order: the tree does not depend on which
    // thread parsed what.
    let splits: Vec<_> = files
        .par_iter()
        .map(|file| front_matter::split(&file.text))
        .collect();
    for (file, split) in files.iter().zip(splits) {
        let (key, kind) = key_and_kind(file);
        let split = match split {
            Ok(s) => s,
            Err(e) => {
                diagnostics.push(Diagnostic::error(
                    &file.display_path,
                    Some(e.line),
                    e.message,
                ));
                continue;
            }
        };
        diagnostics.extend(
            split
                .warnings
                .iter()
                .map(|w| Diagnostic::warning(&file.display_path, Some(w.line), &w.message)),
        );
        if split.front_matter.draft && !config.build_drafts {
            continue;
        }
        let front = &split.front_matter;
        match (front.date.as_deref(), front.date_ymd()) {
            (Some(raw), None) => diagnostics.push(Diagnostic::warning(
                &file.display_path,
                front_matter::line_of_key(&file.text, "date"),
                format!("`date: {raw}` is not a date (a day of the calendar, YYYY-MM-DD): the page has no date"),
            )),
            (_, Some(date)) if date > today && !config.build_future => {
                diagnostics.push(Diagnostic::warning(
                    &file.display_path,
                    front_matter::line_of_key(&file.text, "date"),
                    format!("dated {date}, in the future: left out, as Hugo does (set buildFuture = true to build it)"),
                ));
                continue;
            }
            _ => {}
        }
        if let Some(&other) = by_key.get(&key) {
            let other = pages[other]
                .source
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            diagnostics.push(Diagnostic::error(
                &file.display_path,
                None,
                format!("this file and {other} are the same page: keep one of them"),
            ));
            continue;
        }
        let title = match split
            .front_matter
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
        {
            Some(t) => t,
            None => {
                let (title, origin) = match first_heading(split.body) {
                    Some(h) => (h, "its first heading"),
                    None if kind == PageKind::Home => (config.title.clone(), "the site title"),
                    None => (
                        key.last().cloned().unwrap_or_default(),
                        "its file or folder name",
                    ),
                };
                if kind != PageKind::Home {
                    diagnostics.push(Diagnostic::warning(
                        &file.display_path,
                        Some(1),
                        format!("no `title` in the front matter: using {origin}, \"{title}\""),
                    ));
                }
                title
            }
        };
        let path_line = match (&split.front_matter.url, &split.front_matter.slug) {
            (Some(_), _) => front_matter::line_of_key(&file.text, "url"),
            (None, Some(_)) => front_matter::line_of_key(&file.text, "slug"),
            (None, None) => None,
        };
        by_key.insert(key.clone(), pages.len());
        pages.push(Page {
            kind,
            source: Some(file.display_path.clone()),
            key,
            body: split.body.to_string(),
            body_line: split.body_line,
            front: split.front_matter,
            title,
            path: String::new(),
            path_line,
            number: None,
            parent: None,
            children: Vec::new(),
        });
    }

    let root = match by_key.get(&Vec::new()) {
        Some(&id) => id,
        None => {
            by_key.insert(Vec::new(), pages.len());
            pages.push(implicit_section(
                Vec::new(),
                PageKind::Home,
                config.title.clone(),
            ));
            pages.len() - 1
        }
    };
    // Hugo makes every top-level folder a section, even without `_index.md`.
    let top_level: Vec<String> = pages
        .iter()
        .filter(|p| !p.key.is_empty())
        .map(|p| p.key[0].clone())
        .collect();
    for folder in top_level {
        let key = vec![folder.clone()];
        if !by_key.contains_key(&key) {
            by_key.insert(key.clone(), pages.len());
            pages.push(implicit_section(key, PageKind::Section, folder));
        }
    }

    // Parent: the nearest enclosing section.
    for id in 0..pages.len() {
        if id == root {
            continue;
        }
        let key = &pages[id].key;
        let parent = (0..key.len())
            .rev()
            .filter_map(|n| by_key.get(&key[..n]).copied())
            .find(|&p| pages[p].kind != PageKind::Page)
            .unwrap_or(root);
        pages[id].parent = Some(parent);
        pages[parent].children.push(id);
    }
    for id in 0..pages.len() {
        let mut children = std::mem::take(&mut pages[id].children);
        children.sort_by(|&a, &b| order(&pages[a], &pages[b]));
        pages[id].children = children;
    }

    let mut tree = ContentTree {
        pages,
        root,
        language: config.language.clone(),
        files: Arc::default(),
    };
    assign_paths(&mut tree, config, &mut diagnostics);
    numbering::assign(&mut tree, config.auto_number);
    (tree, diagnostics)
}

fn implicit_section(key: Vec<String>, kind: PageKind, title: String) -> Page {
    Page {
        kind,
        source: None,
        key,
        front: FrontMatter::default(),
        body: String::new(),
        body_line: 1,
        title,
        path: String::new(),
        path_line: None,
        number: None,
        parent: None,
        children: Vec::new(),
    }
}

/// Weight first (pages without one last, as in Hugo), then the path in natural order,
/// then the title.
fn order(a: &Page, b: &Page) -> Ordering {
    let weight = |p: &Page| p.front.weight.filter(|&w| w != 0.0);
    let by_weight = match (weight(a), weight(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    by_weight
        .then_with(|| natural_cmp(&a.key.join("/"), &b.key.join("/")))
        .then_with(|| a.title.cmp(&b.title))
}

/// URL paths, computed once here: Hugo's form of the source path, or `slug` / `url`.
fn assign_paths(tree: &mut ContentTree, config: &Config, diagnostics: &mut Vec<Diagnostic>) {
    let lowercase = !config.keep_path_case;
    let mut seen: BTreeMap<String, PageId> = BTreeMap::new();
    for id in tree.reading_order_all() {
        let page = &tree.pages[id];
        let mut segments: Vec<String> = page.key.iter().map(|s| urlize(s, lowercase)).collect();
        let chosen = match (&page.front.url, &page.front.slug, segments.last_mut()) {
            (Some(url), ..) => url_segments(url).map(|s| segments = s),
            (None, Some(slug), Some(last)) => {
                *last = urlize(slug, lowercase);
                match last.as_str() {
                    "." | ".." => Err(format!("`slug: {slug}` names no page: a slug is a name")),
                    _ => Ok(()),
                }
            }
            _ => Ok(()),
        };
        if let Err(message) = chosen {
            let source = page.source.clone().unwrap_or_default();
            diagnostics.push(Diagnostic::error(source, page.path_line, message));
            continue;
        }
        let path: String = segments.iter().map(|s| format!("{s}/")).collect();
        let path = format!("{}{path}", config.language_prefix);
        if let Some(&other) = seen.get(&path) {
            let name = |p: &Page| {
                p.source
                    .as_ref()
                    .map_or_else(|| p.key.join("/"), |s| s.display().to_string())
            };
            diagnostics.push(Diagnostic::error(
                tree.pages[id].source.clone().unwrap_or_default(),
                tree.pages[id].path_line,
                format!(
                    "this page and {} would both be written to /{path}: rename one",
                    name(&tree.pages[other])
                ),
            ));
        }
        seen.insert(path.clone(), id);
        tree.pages[id].path = path;
    }
}

/// A page's `url` as the folders it names: `a//b/` is `a/b`, as Hugo cleans it. A `.` or
/// `..` would place the page elsewhere than written, or outside the output; a scheme is
/// refused by Hugo too (`url` is a path in the site).
fn url_segments(url: &str) -> Result<Vec<String>, String> {
    if url.contains("://") {
        return Err(format!(
            "`url: {url}` is an address: a page's url is a path in the site (`/journal/week-1/`), as in Hugo"
        ));
    }
    let segments: Vec<String> = url
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if segments.iter().any(|s| s == "." || s == "..") {
        return Err(format!(
            "`url: {url}` has a `.` or `..` folder: write the path from the site's root (`/a/b/`)"
        ));
    }
    Ok(segments)
}

impl ContentTree {
    /// Every page, hidden ones too, parents before children.
    fn reading_order_all(&self) -> Vec<PageId> {
        let mut order = Vec::with_capacity(self.pages.len());
        let mut stack = vec![self.root];
        while let Some(id) = stack.pop() {
            order.push(id);
            stack.extend(self.pages[id].children.iter().rev());
        }
        order
    }
}

/// The text of the first ATX heading outside code fences, without inline markup.
fn first_heading(body: &str) -> Option<String> {
    let mut fence: Option<&str> = None;
    for line in body.lines() {
        let t = line.trim_start();
        if let Some(f) = fence {
            if t.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
            continue;
        }
        let hashes = t.bytes().take_while(|&b| b == b'#').count();
        if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
            let text: String = t[hashes..]
                .trim()
                .trim_end_matches('#')
                .chars()
                .filter(|c| !matches!(c, '*' | '_' | '`'))
                .collect();
            let text = text.trim();
            if !text.is_empty() {
                return Some(text.to_string());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_a_path_inside_the_site() {
        assert_eq!(url_segments("/a//b/").unwrap(), ["a", "b"]);
        assert!(url_segments("/").unwrap().is_empty());
        assert!(url_segments("../../escaped").is_err());
        assert!(url_segments("/a/./b").is_err());
        assert!(url_segments("https://x.io/a/").is_err());
    }

    #[test]
    fn first_heading_skips_code() {
        assert_eq!(
            first_heading("```\n# not\n```\n## **Real** one\n").as_deref(),
            Some("Real one")
        );
        assert_eq!(first_heading("no heading"), None);
    }
}
