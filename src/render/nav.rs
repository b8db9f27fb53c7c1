//! The navigation tree, rendered once per language and specialised per page by splicing.
//!
//! Every page shows the whole tree with its own entry highlighted and its ancestors open.
//! Rendering that template per page costs N² template work; instead the theme's
//! `nav.html` is rendered once with placeholder marks, cut at the marks, and each page's
//! copy is the pieces joined with `open` / `aria-current="page"` put in at its own marks.
//!
//! The tree reaches templates twice: nested (`items`) and as a flat list in reading order
//! (`entries`). Tera's components recurse at most 20 levels, so the default theme walks
//! the flat list, which renders sections nested to any depth; a theme that recurses over
//! `items` fails on a deeper tree with an error naming its deepest page.

use std::collections::HashSet;

use serde::Serialize;

use crate::content::{ContentTree, PageId};

/// Marks are private-use characters around `o<id>` / `c<id>`: they cannot come from
/// escaped titles by accident, and never reach the output.
const MARK_START: char = '\u{E000}';
const MARK_END: char = '\u{E001}';

/// How many levels nested values handed to templates (`items`, a shortcode's
/// `page.children`) hold. Tera renders components nested at most 20 deep, so no template
/// reads further; one level more keeps a recursive template failing as it would on the
/// whole tree. The bound also bounds the stack spent converting the values for Tera.
pub const TEMPLATE_TREE_LEVELS: usize = 21;

/// What `nav.html` is told besides `site`: the tree, twice.
#[derive(Debug, Serialize)]
pub struct NavContext {
    pub items: Vec<NavItem>,
    pub entries: Vec<NavEntry>,
}

#[derive(Debug, Serialize)]
pub struct NavItem {
    pub title: String,
    pub number: Option<String>,
    pub url: String,
    /// Put inside the tag that opens (`<details{{ item.open_attr }}>`): becomes ` open`
    /// on the current page and its ancestors.
    pub open_attr: String,
    /// Put inside the item's link: becomes ` aria-current="page"` on the current page.
    pub current_attr: String,
    pub children: Vec<NavItem>,
}

/// One page of the tree in the flat list: its children follow it, one level deeper.
#[derive(Debug, Serialize)]
pub struct NavEntry {
    pub title: String,
    pub number: Option<String>,
    pub url: String,
    /// As [`NavItem::open_attr`].
    pub open_attr: String,
    /// As [`NavItem::current_attr`].
    pub current_attr: String,
    /// 1 for the chapters under the home page.
    pub depth: usize,
    pub has_children: bool,
    /// How many levels of children end right after this entry: the lists (and the
    /// items holding them) to close.
    pub closes: usize,
}

/// The listed children of the root, as nested items, [`TEMPLATE_TREE_LEVELS`] deep.
pub fn items(tree: &ContentTree, url_of: &dyn Fn(PageId) -> String) -> Vec<NavItem> {
    fn build(
        tree: &ContentTree,
        id: PageId,
        url_of: &dyn Fn(PageId) -> String,
        levels: usize,
    ) -> NavItem {
        let page = &tree.pages[id];
        let children = if levels > 1 {
            listed_children(tree, id)
                .map(|c| build(tree, c, url_of, levels - 1))
                .collect()
        } else {
            Vec::new()
        };
        NavItem {
            title: page.menu_title().to_string(),
            number: page.number.clone(),
            url: url_of(id),
            open_attr: open_mark(id),
            current_attr: current_mark(id),
            children,
        }
    }
    listed_children(tree, tree.root)
        .map(|c| build(tree, c, url_of, TEMPLATE_TREE_LEVELS))
        .collect()
}

/// The deepest listed page and its depth (1 for the chapters under the home page), when
/// deeper than a recursive template can go: what to name when the nav fails.
pub fn too_deep_for_templates(tree: &ContentTree) -> Option<(PageId, usize)> {
    let deepest = entries_depths(tree).fold(None, |deepest, (id, depth)| match deepest {
        Some((_, d)) if d >= depth => deepest,
        _ => Some((id, depth)),
    })?;
    (deepest.1 >= TEMPLATE_TREE_LEVELS).then_some(deepest)
}

/// The listed pages under the root in reading order, each with its depth.
pub fn entries(tree: &ContentTree, url_of: &dyn Fn(PageId) -> String) -> Vec<NavEntry> {
    let mut out: Vec<NavEntry> = Vec::new();
    for (id, depth) in entries_depths(tree) {
        if let Some(last) = out.last_mut() {
            last.has_children = depth > last.depth;
            last.closes = last.depth.saturating_sub(depth);
        }
        let page = &tree.pages[id];
        out.push(NavEntry {
            title: page.menu_title().to_string(),
            number: page.number.clone(),
            url: url_of(id),
            open_attr: open_mark(id),
            current_attr: current_mark(id),
            depth,
            has_children: false,
            closes: 0,
        });
    }
    if let Some(last) = out.last_mut() {
        last.closes = last.depth - 1;
    }
    out
}

/// Listed pages under the root in reading order with their depths, without recursion:
/// a tree may be as deep as paths allow.
fn entries_depths(tree: &ContentTree) -> impl Iterator<Item = (PageId, usize)> + '_ {
    let mut stack: Vec<(PageId, usize)> =
        listed_children(tree, tree.root).map(|c| (c, 1)).collect();
    stack.reverse();
    std::iter::from_fn(move || {
        let (id, depth) = stack.pop()?;
        let first_child = stack.len();
        stack.extend(listed_children(tree, id).map(|c| (c, depth + 1)));
        stack[first_child..].reverse();
        Some((id, depth))
    })
}

fn open_mark(id: PageId) -> String {
    format!("{MARK_START}o{id}{MARK_END}")
}

fn current_mark(id: PageId) -> String {
    format!("{MARK_START}c{id}{MARK_END}")
}

fn listed_children(tree: &ContentTree, id: PageId) -> impl Iterator<Item = PageId> + '_ {
    tree.pages[id]
        .children
        .iter()
        .copied()
        .filter(|&c| tree.pages[c].is_listed())
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    Open(PageId),
    Current(PageId),
}

/// The rendered nav, cut at its marks.
#[derive(Debug, Clone, Default)]
pub struct NavTemplate {
    pieces: Vec<(String, Option<Mark>)>,
    len: usize,
    /// A hash of the rendered nav: two pages showing equal navs have equal fingerprints.
    pub hash: u64,
}

impl NavTemplate {
    pub fn parse(html: &str) -> NavTemplate {
        let mut pieces = Vec::new();
        let mut rest = html;
        while let Some(start) = rest.find(MARK_START) {
            let after = &rest[start + MARK_START.len_utf8()..];
            let Some(end) = after.find(MARK_END) else {
                break;
            };
            let mark = &after[..end];
            let id = mark.get(1..).and_then(|n| n.parse().ok());
            let mark = match (mark.chars().next(), id) {
                (Some('o'), Some(id)) => Some(Mark::Open(id)),
                (Some('c'), Some(id)) => Some(Mark::Current(id)),
                _ => None,
            };
            pieces.push((rest[..start].to_string(), mark));
            rest = &after[end + MARK_END.len_utf8()..];
        }
        pieces.push((rest.to_string(), None));
        let len = pieces.iter().map(|(s, _)| s.len()).sum();
        NavTemplate {
            pieces,
            len,
            hash: crate::output::fnv1a(html.as_bytes()),
        }
    }

    /// The nav as `current` sees it: itself current, itself and its ancestors open.
    /// `None` gives the tree with nothing marked (the 404 page, the shared nav file).
    pub fn for_page(&self, current: Option<PageId>, ancestors: &[PageId]) -> String {
        let mut out = String::with_capacity(self.len + 64);
        self.write_for_page(&mut out, current, ancestors);
        out
    }

    pub fn write_for_page(&self, out: &mut String, current: Option<PageId>, ancestors: &[PageId]) {
        let open: HashSet<PageId> = ancestors.iter().copied().chain(current).collect();
        for (text, mark) in &self.pieces {
            out.push_str(text);
            match mark {
                Some(Mark::Open(id)) if open.contains(id) => out.push_str(" open"),
                Some(Mark::Current(id)) if Some(*id) == current => {
                    out.push_str(" aria-current=\"page\"")
                }
                _ => {}
            }
        }
    }

    /// Bytes of the nav without marks.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_replaced_per_page() {
        let html = format!(
            "<details{s}o1{e}><a{s}c1{e}>A</a><details{s}o2{e}><a{s}c2{e}>B</a></details></details>",
            s = MARK_START,
            e = MARK_END
        );
        let nav = NavTemplate::parse(&html);
        assert_eq!(
            nav.for_page(Some(2), &[1]),
            "<details open><a>A</a><details open><a aria-current=\"page\">B</a></details></details>"
        );
        assert_eq!(
            nav.for_page(None, &[]),
            "<details><a>A</a><details><a>B</a></details></details>"
        );
    }
}
